//! The support group after its appointment (art. 9a ust. 12b–12c): the team extends it, replaces a member who left,
//! names its coordinator. Each change is a step of the procedure (on the timeline, in the command log and the audit
//! trail) and a change of `group_member` in the same transaction; need-to-know follows at once, because
//! `crate::access` admits only members whose `left_at` is unset. The conditional members of art. 9a ust. 11a–12 (a
//! Military Police soldier, a probation officer) are checked against what the case's forms say
//! (`domain::procedure::group`), at the appointment and at each change.

use domain::audit::AuditAction;
use domain::procedure::group::{GroupFacts, check_change_keeps_members, check_conditional_members};
use domain::procedure::lifecycle::{Command, GroupChange, GroupMemberKind, ProcedureState};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle, load_state, read_form};
use crate::db::{Batch, Slot, on_tx};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// An account the team can put in a support group: an active account of the municipality with the group-member role.
/// No personal data: the login, the institution and the function in the team's register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCandidate {
    pub account_id: Uuid,
    pub login: String,
    /// The institution the account works for, when recorded (the account's, else its record in the register).
    pub institution: Option<String>,
    /// That institution's kind (`social_welfare`, `police`, ...).
    pub institution_kind: Option<String>,
    /// The function in the team's register (`chair`, `member`, ...), for a current member of the team.
    pub team_function: Option<String>,
    /// The capacity in which the account is in this case's group now, if it is.
    pub in_group_as: Option<String>,
}

/// A member of a case's support group, present or past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMemberView {
    pub account_id: Uuid,
    pub login: String,
    /// The capacity (`social_worker`, `police_officer`, ...).
    pub kind: String,
    /// When they joined after the appointment (by extension or replacement); `None` for an appointed member.
    pub joined_at: Option<Timestamp>,
    /// When they left (replaced): from then on they no longer reach the case.
    pub left_at: Option<Timestamp>,
    /// Added by the team's extension of the group (art. 9a ust. 12b–12c).
    pub by_extension: bool,
    pub coordinator: bool,
}

/// account, login, institution, institution kind, team function, capacity in the group now.
pub(crate) type CandidateRow = (Uuid, String, Option<String>, Option<String>, Option<String>, Option<String>);

pub(crate) type MemberRow =
    (Uuid, String, String, Option<jiff_sqlx::Timestamp>, Option<jiff_sqlx::Timestamp>, bool, bool);

/// Queues the read of [`Store::group_candidates`].
pub(crate) fn queue_group_candidates(store: &Store, batch: &mut Batch, handle: &CaseHandle) -> Slot<CandidateRow> {
    batch
        .push(
            "SELECT a.id, a.login, i.name, i.kind, \
                    (SELECT tm.function FROM team_member tm WHERE tm.account_id = a.id \
                      AND (tm.left_on IS NULL OR tm.left_on > $3) ORDER BY tm.appointed_on DESC LIMIT 1), \
                    (SELECT g.kind FROM group_member g WHERE g.procedure_id = $2 AND g.account_id = a.id \
                      AND g.left_at IS NULL) \
             FROM account a JOIN account_role r ON r.account_id = a.id AND r.role = 'group_member' \
             LEFT JOIN institution i ON i.id = COALESCE(a.institution_id, \
                (SELECT tm.institution_id FROM team_member tm WHERE tm.account_id = a.id \
                  AND tm.institution_id IS NOT NULL ORDER BY tm.appointed_on DESC LIMIT 1)) \
             WHERE a.tenant_id = $1 AND a.active ORDER BY a.login",
        )
        .bind(handle.tenant_id)
        .bind(handle.procedure_id)
        .bind(store.today_text())
        .slot()
}

pub(crate) fn candidates(rows: Vec<CandidateRow>) -> Vec<GroupCandidate> {
    rows.into_iter()
        .map(|(account_id, login, institution, institution_kind, team_function, in_group_as)| GroupCandidate {
            account_id,
            login,
            institution,
            institution_kind,
            team_function,
            in_group_as,
        })
        .collect()
}

impl Store {
    /// The accounts the team chooses from when it appoints or changes this case's group. The team only.
    pub async fn group_candidates(&self, handle: &CaseHandle) -> Result<Vec<GroupCandidate>, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin_read().await?;
        let rows = Batch::fetch_all(&mut tx, |batch| queue_group_candidates(self, batch, handle)).await?;
        tx.commit().await?;
        Ok(candidates(rows))
    }

    /// The case's group as it is and as it was: who is in it, in what capacity, who left and when. The team and the
    /// group.
    pub async fn group_members(&self, handle: &CaseHandle) -> Result<Vec<GroupMemberView>, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let members = members_in(&mut tx, handle.procedure_id).await?;
        tx.commit().await?;
        Ok(members)
    }

    /// The team extends the group with these accounts in these capacities (art. 9a ust. 12b–12c).
    pub async fn extend_group(
        &self,
        handle: &CaseHandle,
        members: &[(Uuid, GroupMemberKind)],
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        team_only(handle)?;
        let mut tx = self.db.begin().await?;
        for (account, _) in members {
            check_candidate(&mut tx, handle, *account).await?;
            if current_kind(&mut tx, handle, *account).await?.is_some() {
                return Err(StoreError::invalid("members", "err-group-member-already-in"));
            }
        }
        let kinds: Vec<GroupMemberKind> = members.iter().map(|(_, k)| *k).collect();
        let change = GroupChange::Extend { members: kinds };
        let state = self.apply_in(&mut tx, handle, &Command::ChangeGroup { change }, expected_version).await?;
        let now = self.now();
        for (account, kind) in members {
            upsert_member(&mut tx, handle.procedure_id, *account, *kind, now, true).await?;
        }
        let accounts: Vec<Uuid> = members.iter().map(|(a, _)| *a).collect();
        self.audit_members(&mut tx, handle, &accounts, "extended the group").await?;
        self.tell_joined(&mut tx, handle, &accounts).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// A member left the group and another account takes their place, in `kind` (by default the same capacity). The
    /// one who left loses access to the case at once; the one who joined gains it.
    pub async fn replace_group_member(
        &self,
        handle: &CaseHandle,
        left: Uuid,
        joined: Uuid,
        kind: Option<GroupMemberKind>,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        team_only(handle)?;
        let mut tx = self.db.begin().await?;
        let Some(left_kind) = current_kind(&mut tx, handle, left).await? else {
            return Err(StoreError::invalid("left", "err-group-member-not-in-group"));
        };
        check_candidate(&mut tx, handle, joined).await?;
        if joined == left || current_kind(&mut tx, handle, joined).await?.is_some() {
            return Err(StoreError::invalid("joined", "err-group-member-already-in"));
        }
        let joined_kind = kind.unwrap_or(left_kind);
        let (state, _, _) = load_state(&mut tx, handle.procedure_id).await?;
        if let Some(group) = state.group() {
            let before = group.members().to_vec();
            let mut after = before.clone();
            if let Some(slot) = after.iter_mut().find(|k| **k == left_kind) {
                *slot = joined_kind;
            }
            let facts = self.group_facts(&mut tx, handle).await?;
            check_change_keeps_members(&before, &after, facts).map_err(|code| StoreError::invalid("kind", code))?;
        }
        let change = GroupChange::Replace { left: left_kind, joined: joined_kind };
        let state = self.apply_in(&mut tx, handle, &Command::ChangeGroup { change }, expected_version).await?;
        let now = self.now();
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE group_member SET left_at = $3, coordinator = FALSE WHERE procedure_id = $1 AND account_id = $2")
            .bind(handle.procedure_id).bind(left).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        upsert_member(&mut tx, handle.procedure_id, joined, joined_kind, now, false).await?;
        self.audit_members(&mut tx, handle, &[left], "left the group (replaced)").await?;
        self.audit_members(&mut tx, handle, &[joined], "joined the group (replacing a member)").await?;
        self.tell_joined(&mut tx, handle, &[joined]).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The team names the group's coordinator (one at a time): a current member of the group.
    pub async fn name_group_coordinator(
        &self,
        handle: &CaseHandle,
        account: Uuid,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        team_only(handle)?;
        let mut tx = self.db.begin().await?;
        if current_kind(&mut tx, handle, account).await?.is_none() {
            return Err(StoreError::invalid("coordinator", "err-group-member-not-in-group"));
        }
        let change = GroupChange::NameCoordinator;
        let state = self.apply_in(&mut tx, handle, &Command::ChangeGroup { change }, expected_version).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE group_member SET coordinator = (account_id = $2) WHERE procedure_id = $1")
            .bind(handle.procedure_id).bind(account).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit_members(&mut tx, handle, &[account], "named the group's coordinator").await?;
        tx.commit().await?;
        Ok(state)
    }

    /// What the case's forms A and D say about the persons using violence, for the group's composition. A read of
    /// personal data, so audited.
    pub(crate) async fn group_facts(&self, tx: &mut Tx, handle: &CaseHandle) -> Result<GroupFacts, StoreError> {
        let rows: Vec<(Uuid, String, String, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind, version, answers_enc FROM procedure_form WHERE procedure_id = $1 AND kind IN ('A', 'D') \
             ORDER BY filled_at, id")
            .bind(handle.procedure_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, handle.tenant_id, self.now()).await?;
        let mut forms = Vec::with_capacity(rows.len());
        for (id, kind, version, sealed) in &rows {
            let json = keys.decrypt_bytes("procedure_form.answers", *id, sealed)?;
            forms.push(read_form(kind, version, &json)?);
        }
        let ids: Vec<String> = rows.iter().map(|(id, ..)| id.to_string()).collect();
        self.audit(
            tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("group composition check (art. 9a ust. 11a-12), forms: {}", ids.join(","))),
        )
        .await?;
        Ok(GroupFacts::of_forms(&forms))
    }

    /// Refuses an appointment without the conditional members the case's forms call for (art. 9a ust. 11a–12).
    pub(crate) async fn check_appointment_members(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        kinds: &[GroupMemberKind],
    ) -> Result<(), StoreError> {
        let facts = self.group_facts(tx, handle).await?;
        check_conditional_members(kinds, facts).map_err(|code| StoreError::invalid("members", code))
    }

    async fn audit_members(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        accounts: &[Uuid],
        what: &str,
    ) -> Result<(), StoreError> {
        for account in accounts {
            self.audit(
                tx,
                &handle.actor(),
                &AuditRecord::new(AuditAction::Update, "group_member", *account)
                    .in_tenant(Some(handle.tenant_id))
                    .detail(format!("procedure {}: {what}", handle.procedure_id)),
            )
            .await?;
        }
        Ok(())
    }

    /// The accounts that joined hear of it in the same transaction, as at the appointment.
    async fn tell_joined(&self, tx: &mut Tx, handle: &CaseHandle, accounts: &[Uuid]) -> Result<(), StoreError> {
        let note = crate::notify::NewNotification {
            tenant_id: handle.tenant_id,
            kind: crate::notify::NotificationKind::GroupAppointed,
            procedure_id: Some(handle.procedure_id),
            rule_id: None,
            once_key: None,
        };
        crate::notify::notify_in(self, tx, accounts, &note).await.map(|_| ())
    }
}

/// The group of `procedure_id`, present members first, each by login.
pub(crate) async fn members_in(tx: &mut Tx, procedure_id: Uuid) -> Result<Vec<GroupMemberView>, StoreError> {
    let rows = Batch::fetch_all(tx, |batch| queue_members(batch, procedure_id)).await?;
    Ok(members_from(rows))
}

/// Queues the read of [`members_in`].
pub(crate) fn queue_members(batch: &mut Batch, procedure_id: Uuid) -> Slot<MemberRow> {
    batch
        .push(
            "SELECT g.account_id, a.login, g.kind, g.joined_at, g.left_at, g.by_extension, g.coordinator \
             FROM group_member g JOIN account a ON a.id = g.account_id WHERE g.procedure_id = $1 \
             ORDER BY g.left_at IS NOT NULL, a.login",
        )
        .bind(procedure_id)
        .slot()
}

pub(crate) fn members_from(rows: Vec<MemberRow>) -> Vec<GroupMemberView> {
    rows.into_iter().map(member_view).collect()
}

fn member_view(row: MemberRow) -> GroupMemberView {
    let (account_id, login, kind, joined_at, left_at, by_extension, coordinator) = row;
    GroupMemberView {
        account_id,
        login,
        kind,
        joined_at: joined_at.map(|t| t.to_jiff()),
        left_at: left_at.map(|t| t.to_jiff()),
        by_extension,
        coordinator,
    }
}

fn team_only(handle: &CaseHandle) -> Result<(), StoreError> {
    if handle.access == CaseAccess::Team { Ok(()) } else { Err(StoreError::NotFound) }
}

/// An active account of the case's municipality with the group-member role; anything else is refused beside the
/// members field (an account of another municipality is not told apart from a missing one).
async fn check_candidate(tx: &mut Tx, handle: &CaseHandle, account: Uuid) -> Result<(), StoreError> {
    let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
         WHERE a.id = $1 AND a.tenant_id = $2 AND a.active AND r.role = 'group_member'")
        .bind(account).bind(handle.tenant_id).fetch_optional(c).await)?;
    if ok.is_none() { Err(StoreError::invalid("members", "err-group-member-unknown")) } else { Ok(()) }
}

/// The capacity in which the account is in the case's group now (not replaced), if it is.
async fn current_kind(tx: &mut Tx, handle: &CaseHandle, account: Uuid) -> Result<Option<GroupMemberKind>, StoreError> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind FROM group_member WHERE procedure_id = $1 AND account_id = $2 AND left_at IS NULL")
        .bind(handle.procedure_id).bind(account).fetch_optional(c).await)?;
    row.map(|(k,)| GroupMemberKind::parse(&k).map_err(|_| StoreError::Corrupt(format!("group_member kind {k}"))))
        .transpose()
}

/// Puts the account in the group as from `now`; an account that had left and comes back gets its row renewed.
async fn upsert_member(
    tx: &mut Tx,
    procedure_id: Uuid,
    account: Uuid,
    kind: GroupMemberKind,
    now: Timestamp,
    by_extension: bool,
) -> Result<(), StoreError> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO group_member (procedure_id, account_id, kind, joined_at, left_at, by_extension, coordinator) \
         VALUES ($1, $2, $3, $4, NULL, $5, FALSE) \
         ON CONFLICT (procedure_id, account_id) DO UPDATE SET kind = $3, joined_at = $4, left_at = NULL, \
         by_extension = $5, coordinator = FALSE")
        .bind(procedure_id).bind(account).bind(kind.as_str()).bind(ts(now)).bind(by_extension)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
