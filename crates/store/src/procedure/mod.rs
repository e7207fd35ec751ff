//! The Blue Card procedure in storage: opening by form A, recognising the same people, need-to-know access to each
//! case, the command log from which the domain rebuilds the state, the timeline and the deadlines.
//!
//! Guarantees:
//! - A case is reached only through a [`CaseHandle`], which [`Store::case_access`] hands out to those with a need to
//!   know, by the rule written once in `crate::access`: the team's chair, deputy and secretary; the members of the
//!   case's support group until its monitoring has ended; and whoever filed one of its forms A (their own forms A and
//!   the status) — each only while in good standing in the team's register and, for staff and group, with a signed
//!   confidentiality declaration. Anyone else gets `NotFound`, exactly as for a case that does not exist.
//! - Form answers are personal data throughout: stored as one encrypted document per form, read only through a
//!   handle, and every read is in the audit trail.
//! - People are recognised across forms A by blind indexes of their PESEL or name with birth date; nothing in the
//!   index can be read back.
//! - The state is never stored as truth: it is rebuilt from the accepted commands by `domain::procedure::lifecycle`,
//!   and deadlines are computed from it on the Polish calendar.

mod bulk;
pub mod closing;
mod day;
mod documents;
pub mod grants;
mod group;
mod intake;
pub mod records;
mod referral;
mod release;
pub(crate) mod replay_cache;
mod seal;
pub mod search;
mod timeliness;
pub mod transfer;
mod view;

pub use bulk::{SyntheticActors, SyntheticCase};
pub use closing::{ClosingContext, ClosingRecord};
pub use documents::HelpLine;
pub use grants::{CaseRef, GrantBanner, GrantKind, GrantStatus, GrantView};
pub use group::{GroupCandidate, GroupMemberView};
pub use intake::{IntakeResolution, PendingIntake};
pub use records::{CaseRecord, validate_record};
pub use referral::{ReferralView, ReferralsView, SuspectedPerson};
pub(crate) use release::releases_of;
pub use release::{ReleaseContents, ReleaseView};
pub use seal::{Audience, CaseSeals, MAX_SEAL_REASON_CHARS, NewSeal, SealCandidate, SealView};
pub use search::{SEARCH_MAX_CASES, SearchHit, SearchResult};
pub use timeliness::{Breach, RuleTally, TimelinessReport, UpcomingMeeting};
pub use view::{
    CaseListFilter, DashboardCase, DeadlineView, FormView, PHASE_NAMES, ProcedurePage, ProcedureSummary, ProcedureView,
    TimelineEntry, phase_name,
};
pub(crate) use view::{deadlines as case_deadlines, replayed_many};

use domain::audit::AuditAction;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::procedure::intake::{persons_of_form_a, recognition_keys};
use domain::procedure::lifecycle::{Command, GroupMemberKind, PhaseKind, ProcedureState, replay};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// How the holder may see a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// The team's chair, deputy or secretary: the whole case.
    Team,
    /// A member of the case's support group: the whole case, until its monitoring has ended.
    Group,
    /// The person who filled its form A (or a further one): their own forms and the status.
    Initiator,
    /// A member of the team who opened it in an emergency (break-glass): the case as the group sees it, read-only,
    /// until the opening ends.
    BreakGlass,
    /// An account the chair let in (an expert, a new member): the case as the group sees it, read-only, until the
    /// grant ends.
    Granted,
}

impl CaseAccess {
    /// Whether the holder works on the case: takes its steps, adds its forms and records. The team and the group do;
    /// an initiator, a break-glass opening and a grant only read (a grant is for looking, not for acting in a case the
    /// group runs: whoever should act is made a member of the group).
    pub fn works_on_case(self) -> bool {
        matches!(self, CaseAccess::Team | CaseAccess::Group)
    }

    /// Whether access comes from a grant (break-glass or given by the chair), which ends by itself.
    pub fn is_grant(self) -> bool {
        matches!(self, CaseAccess::BreakGlass | CaseAccess::Granted)
    }
}

/// The right to reach one case. Only [`Store::case_access`] makes one.
#[derive(Debug, Clone)]
pub struct CaseHandle {
    pub procedure_id: Uuid,
    pub tenant_id: Uuid,
    pub access: CaseAccess,
    principal: Principal,
}

impl CaseHandle {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
}

/// An open procedure that the people of a new form A already appear in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedProcedure {
    pub id: Uuid,
    pub number: String,
    pub phase: String,
}

/// What submitting a form A did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAIntake {
    /// A new procedure was opened.
    Opened { id: Uuid, number: String },
    /// Nothing was stored: the people are already in these procedures. Attach the form to one of them as a further
    /// incident, or submit again asking for a new procedure. Only the team's staff are told this.
    AlreadyKnown { procedures: Vec<MatchedProcedure> },
    /// The people are already in a case and the filer is not the team's staff: the form is kept as a pending intake
    /// for the staff, who attach it or open a new procedure. The filer must be answered exactly as for `Opened`,
    /// without the case's number: whether anything matched is not theirs to learn.
    Forwarded { intake_id: Uuid },
}

const MATCH_PURPOSE: &str = "person-match";

/// On what the appointment of a support group rests. The act gives it to the team (art. 9a ust. 10a); in practice
/// teams delegate it to the chair in their rules (art. 9a ust. 6b), which a 2024 parliamentary question found the
/// act does not clearly allow (procedure.md §1.6, GP-GDP \[S\]). Ostoja records which it was for each group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppointmentBasis {
    /// A decision of the team.
    TeamDecision,
    /// The chair, under a delegation written in the team's rules.
    ChairUnderDelegation,
}

impl AppointmentBasis {
    pub const ALL: [AppointmentBasis; 2] = [AppointmentBasis::TeamDecision, AppointmentBasis::ChairUnderDelegation];

    pub fn as_str(self) -> &'static str {
        match self {
            AppointmentBasis::TeamDecision => "team_decision",
            AppointmentBasis::ChairUnderDelegation => "chair_under_delegation",
        }
    }

    pub fn parse(s: &str) -> Result<AppointmentBasis, &'static str> {
        AppointmentBasis::ALL.into_iter().find(|b| b.as_str() == s.trim()).ok_or("err-group-basis-required")
    }
}

/// Whether form A says every suspected person was present at its filling: `Some(true)` only when each answered
/// "yes"; `Some(false)` when someone was absent; `None` when not known for everyone (the notice clock then runs).
fn all_suspects_present(answers: &ValidatedAnswers) -> Option<bool> {
    let answers: Vec<Option<String>> = answers
        .items("suspected_persons")
        .iter()
        .map(|p| p.get("present_at_opening").map(domain::forms::Value::to_raw))
        .collect();
    if answers.iter().any(|a| a.as_deref() == Some("no")) {
        Some(false)
    } else if !answers.is_empty() && answers.iter().all(|a| a.as_deref() == Some("yes")) {
        Some(true)
    } else {
        None
    }
}

fn form_definition(kind: &str, version: &str) -> Option<&'static domain::forms::FormDefinition> {
    let kind = [FormKind::A, FormKind::B, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == kind)?;
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == version)?;
    definition(kind, version)
}

impl Store {
    /// Opens a procedure with a validated form A. Unless `new_despite_match`, a form A about people already in a
    /// running or monitored procedure of the same municipality opens nothing and names those procedures instead.
    /// `filled_at` is the moment written on the form (a paper form entered later keeps its own time).
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "open_procedure", account = %principal.account_id))]
    pub async fn open_procedure(
        &self,
        principal: &Principal,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
        address: Option<String>,
    ) -> Result<FormAIntake, StoreError> {
        self.open_with(principal, answers, new_despite_match, false, address).await
    }

    /// Opens a procedure with a form A that was filled on paper and is typed in by the team's staff (chair, deputy,
    /// secretary): the form keeps the date and time written on it, the initiator is the person named in its part
    /// XIV, and the form is marked as entered from paper by this account. Anyone else gets `NotFound`.
    pub async fn open_procedure_from_paper(
        &self,
        principal: &Principal,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
        address: Option<String>,
    ) -> Result<FormAIntake, StoreError> {
        if !principal.roles.permits(domain::identity::Permission::ManageProcedures) {
            return Err(StoreError::NotFound);
        }
        self.open_with(principal, answers, new_despite_match, true, address).await
    }

    async fn open_with(
        &self,
        principal: &Principal,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
        from_paper: bool,
        address: Option<String>,
    ) -> Result<FormAIntake, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Err(StoreError::NotFound) };
        let def = answers.definition();
        if def.kind != FormKind::A {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        // A case is opened on the 2011 form only when it is typed in from paper: it runs on since before 2023.
        if def.version == FormVersion::V2011 && !from_paper {
            return Err(StoreError::invalid("form", "err-form-2011-paper-only"));
        }
        let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid(date_field(answers), "err-date-in-future"));
        }
        let day = filled_at.to_zoned(domain::calendar::poland_zone()).date();
        if let Some(code) = domain::procedure::intake::form_a_date_fits_version(def.version, day) {
            return Err(StoreError::invalid(date_field(answers), code));
        }
        let mut tx = self.db.begin().await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let raw_keys = recognition_keys(&persons);
        let hashes: Vec<Vec<u8>> = raw_keys.iter().map(|k| keys.blind_index(MATCH_PURPOSE, k)).collect();
        // Recognition is a look-up in the people of every case: always made, always audited, and its result is shown
        // only to the team's staff. Anyone else's form about people already in a case goes to the staff as a
        // pending intake, and the filer is answered as if nothing matched (no recognition oracle).
        let known = matching_procedures(&mut tx, tenant_id, &hashes).await?;
        let staff = crate::access::is_current_staff(&mut tx, self, principal).await?;
        self.audit_recognition(&mut tx, principal, tenant_id, &raw_keys, &known, address.clone()).await?;
        if !known.is_empty() && !staff {
            let intake_id = self.store_intake(&mut tx, principal, tenant_id, answers, filled_at, &known).await?;
            tx.commit().await?;
            return Ok(FormAIntake::Forwarded { intake_id });
        }
        if !known.is_empty() && !new_despite_match {
            tx.commit().await?;
            return Ok(FormAIntake::AlreadyKnown { procedures: known });
        }
        let (id, number) = self
            .open_in(&mut tx, principal, principal.account_id, answers, filled_at, from_paper, &hashes, address)
            .await?;
        tx.commit().await?;
        Ok(FormAIntake::Opened { id, number })
    }

    /// Opens the procedure of a checked form A inside `tx`: its number, its row, the form (entered by `filer`, the
    /// initiator), the firearm step, the recognition keys, the audit entry.
    #[allow(clippy::too_many_arguments)] // one opening: who, what, when, how, the keys it brings
    pub(crate) async fn open_in(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        filer: Uuid,
        answers: &ValidatedAnswers,
        filled_at: Timestamp,
        from_paper: bool,
        hashes: &[Vec<u8>],
        address: Option<String>,
    ) -> Result<(Uuid, String), StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Err(StoreError::NotFound) };
        let def = answers.definition();
        let now = self.now();
        let id = Uuid::now_v7();
        let year = filled_at.to_zoned(domain::calendar::poland_zone()).year();
        let (seq,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "INSERT INTO procedure_number (tenant_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (tenant_id, year) DO UPDATE SET last = procedure_number.last + 1 RETURNING last")
            .bind(tenant_id).bind(i32::from(year)).fetch_one(c).await)?;
        let number = format!("NK/{year}/{seq:04}");
        let (state, _) = ProcedureState::open(filled_at);
        // Not personal data: the category of service that opened the case (who notifies the firearms unit, art. 9f).
        let initiator_category = answers.get("filled_by", "category").map(domain::forms::Value::to_raw);
        let suspects_present = all_suspects_present(answers);
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure (id, tenant_id, number, form_version, opened_at, initiator_id, phase, created_at, updated_at, initiator_category, suspects_present) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)")
            .bind(id).bind(tenant_id).bind(&number).bind(def.version.as_str()).bind(ts(filled_at))
            .bind(filer).bind(state.phase().as_str()).bind(ts(now)).bind(initiator_category)
            .bind(suspects_present)
            .execute(c).await.map(|r| r.rows_affected()))?;
        let actor = principal.actor(address.clone());
        self.insert_form(tx, &actor, Some(filer), tenant_id, id, answers, filled_at, from_paper).await?;
        // A firearm held by the person using violence starts the immediate notification at once (art. 9f).
        if declares_firearm(answers) {
            let handle =
                CaseHandle { procedure_id: id, tenant_id, access: CaseAccess::Team, principal: principal.clone() };
            // On the form's own date: a firearm declared on a paper form typed in later started its clock then.
            self.apply_at(tx, &handle, &Command::RecordFirearm, Some(filled_at), "header.filled_at", 1, address)
                .await?;
        }
        for hash in hashes {
            on_tx!(tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(tenant_id).bind(hash).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        self.audit(
            tx,
            &actor,
            &AuditRecord::new(AuditAction::Create, "procedure", id).in_tenant(Some(tenant_id)).detail(&number),
        )
        .await?;
        Ok((id, number))
    }

    #[allow(clippy::too_many_arguments)] // one form row: where it goes, what it says, when and how it was filled
    pub(crate) async fn insert_form(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        entered_by: Option<Uuid>,
        tenant_id: Uuid,
        procedure_id: Uuid,
        answers: &ValidatedAnswers,
        filled_at: Timestamp,
        from_paper: bool,
    ) -> Result<Uuid, StoreError> {
        let form_id = Uuid::now_v7();
        let keys = self.keys.scope_keys(tx, tenant_id, self.now()).await?;
        let json = serde_json::to_vec(&answers.to_answers()).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = keys.encrypt_bytes("procedure_form.answers", form_id, &json)?;
        let def = answers.definition();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure_form (id, procedure_id, tenant_id, kind, version, answers_enc, filled_at, entered_by, created_at, entered_from_paper) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(form_id).bind(procedure_id).bind(tenant_id).bind(def.kind.as_str()).bind(def.version.as_str())
            .bind(sealed).bind(ts(filled_at)).bind(entered_by).bind(ts(self.now())).bind(from_paper)
            .execute(c).await.map(|r| r.rows_affected()))?;
        // The persons of every form are found by search from the moment it is stored.
        search::index_form(tx, &keys, tenant_id, procedure_id, form_id, answers).await?;
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "procedure_form", form_id).in_tenant(Some(tenant_id)).detail(
                format!(
                    "procedure {procedure_id}, form {}{}",
                    def.kind.as_str(),
                    if from_paper { ", entered from paper" } else { "" }
                ),
            ),
        )
        .await?;
        Ok(form_id)
    }

    /// The right to reach a case, for those with a need to know; `NotFound` for everyone else.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "case_access", account = %principal.account_id, procedure = %procedure_id))]
    pub async fn case_access(&self, principal: &Principal, procedure_id: Uuid) -> Result<CaseHandle, StoreError> {
        // One query for every fact the decision needs: this check runs before each page and API call on a case. The
        // rule itself is written once, in `crate::access`.
        let row: Option<AccessRow> = on_pool!(&self.db, p => sqlx::query_as(concat!(
            "SELECT p.tenant_id, ",
            crate::access::staff_access_sql!("$2", "$3", "$5"), " AS as_staff, ",
            crate::access::group_access_sql!("$2", "$4", "$5"), " AS as_group, ",
            "CASE WHEN ", crate::access::grant_access_sql!("$2", "$4", "$5", "$6"),
            " THEN (SELECT MIN(cgk.kind) FROM case_grant cgk WHERE ",
            crate::access::grant_current_sql!("cgk", "$2", "$6"), ") END AS as_grant, ",
            crate::access::initiator_access_sql!("$2", "$5"), " AS as_initiator \
             FROM procedure p WHERE p.id = $1"))
            .bind(procedure_id).bind(principal.account_id).bind(crate::access::holds_staff_role(principal))
            .bind(crate::access::holds_member_role(principal)).bind(self.today_text()).bind(ts(self.now()))
            .fetch_optional(p).await)?;
        let Some(row) = row else { return Err(StoreError::NotFound) };
        let tenant_id = row.tenant_id;
        let access = if principal.tenant_id != Some(tenant_id) {
            None
        } else if row.as_staff {
            Some(CaseAccess::Team)
        } else if row.as_group {
            Some(CaseAccess::Group)
        } else if let Some(kind) = row.as_grant.as_deref() {
            // A grant reads more than an initiator's own form A, so it comes first.
            Some(if kind == "break_glass" { CaseAccess::BreakGlass } else { CaseAccess::Granted })
        } else if row.as_initiator {
            Some(CaseAccess::Initiator)
        } else {
            None
        };
        access
            .map(|access| CaseHandle { procedure_id, tenant_id, access, principal: principal.clone() })
            .ok_or(StoreError::NotFound)
    }

    /// The team appoints the support group with these accounts of the municipality (at least a social worker and a
    /// police officer, art. 9a ust. 11). Only the team (chair, deputy, secretary) may.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "appoint_group", procedure = %handle.procedure_id))]
    pub async fn appoint_group(
        &self,
        handle: &CaseHandle,
        members: &[(Uuid, GroupMemberKind)],
        basis: AppointmentBasis,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        self.appoint_group_at(handle, members, basis, None, expected_version, address).await
    }

    /// [`Store::appoint_group`] on the day the team (or the chair) really appointed it, default now.
    pub async fn appoint_group_at(
        &self,
        handle: &CaseHandle,
        members: &[(Uuid, GroupMemberKind)],
        basis: AppointmentBasis,
        occurred_at: Option<Timestamp>,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let kinds: Vec<GroupMemberKind> = members.iter().map(|(_, k)| *k).collect();
        let mut tx = self.db.begin().await?;
        for (account, _) in members {
            let ok: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.id = $1 AND a.tenant_id = $2 AND a.active AND r.role = 'group_member'")
                .bind(*account).bind(handle.tenant_id).fetch_optional(c).await)?;
            if ok.is_none() {
                return Err(StoreError::invalid("members", "err-group-member-unknown"));
            }
        }
        self.check_appointment_members(&mut tx, handle, &kinds, address.clone()).await?;
        let command = Command::AppointGroup { members: kinds };
        let state =
            self.apply_at(&mut tx, handle, &command, occurred_at, "occurred_at", expected_version, address).await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE procedure SET group_basis = $2 WHERE id = $1")
            .bind(handle.procedure_id).bind(basis.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        for (account, kind) in members {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO group_member (procedure_id, account_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(handle.procedure_id).bind(*account).bind(kind.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        }
        // The members hear of it in the same transaction (notify area).
        let accounts: Vec<Uuid> = members.iter().map(|(a, _)| *a).collect();
        let note = crate::notify::NewNotification {
            tenant_id: handle.tenant_id,
            kind: crate::notify::NotificationKind::GroupAppointed,
            procedure_id: Some(handle.procedure_id),
            rule_id: None,
            once_key: None,
        };
        crate::notify::notify_in(self, &mut tx, &accounts, &note).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Adds a filled form to a running case, with the step it stands for: form C or D (the group's meetings with the
    /// persons), or a further form A (a new incident; its people join the case's recognition keys). The team and the
    /// group may; the form must pass the person rules and the state machine must accept the step.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "add_form", procedure = %handle.procedure_id))]
    pub async fn add_form(
        &self,
        handle: &CaseHandle,
        answers: &ValidatedAnswers,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let command = match answers.definition().kind {
            FormKind::A => Command::AttachFurtherIncident,
            FormKind::C => Command::RecordFormC,
            FormKind::D => Command::RecordFormD,
            FormKind::B | FormKind::Record(_) => return Err(StoreError::invalid("form", "err-unknown-field")),
        };
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid(date_field(answers), "err-date-in-future"));
        }
        let hashes = if command == Command::AttachFurtherIncident {
            let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
            recognition_keys(&persons)
        } else {
            Vec::new()
        };
        let mut tx = self.db.begin().await?;
        // A case keeps the forms it was opened on: a 2011 case gets 2011 forms C and D, a 2023 case 2023 ones.
        let (case_forms, phase): (String, String) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT form_version, phase FROM procedure WHERE id = $1").bind(handle.procedure_id).fetch_one(c).await)?;
        if case_forms != answers.definition().version.as_str() {
            return Err(StoreError::invalid("form", "err-form-version-mismatch"));
        }
        // A further form A during monitoring reopens the case (procedure.md §2.2 step 16).
        let command =
            if command == Command::AttachFurtherIncident && PhaseKind::parse(&phase) == Some(PhaseKind::Closed) {
                Command::ReopenFromMonitoring
            } else {
                command
            };
        let step_at = step_instant(answers, filled_at, self.now());
        let state = self
            .apply_at(&mut tx, handle, &command, Some(step_at), date_field(answers), expected_version, address.clone())
            .await?;
        let address_for_firearm = address.clone();
        let actor = handle.principal.actor(address);
        self.insert_form(
            &mut tx,
            &actor,
            actor.account_id,
            handle.tenant_id,
            handle.procedure_id,
            answers,
            filled_at,
            false,
        )
        .await?;
        let state = self.firearm_of_further_form(&mut tx, handle, answers, state, step_at, address_for_firearm).await?;
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        for key in &hashes {
            let hash = keys.blind_index(MATCH_PURPOSE, key);
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(handle.tenant_id).bind(hash).bind(handle.procedure_id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(state)
    }

    /// Attaches a form A about people already in a running or monitored case to that case as a further incident
    /// (procedure.md §2.2 step 16). The team's staff only (a form from anyone else reaches the case through a pending
    /// intake, [`Store::resolve_intake`]). Allowed only when the form's people match the case by their
    /// recognition keys: a form cannot be attached to an unrelated case. A case in monitoring is reopened.
    pub async fn attach_form_a(
        &self,
        principal: &Principal,
        procedure_id: Uuid,
        answers: &ValidatedAnswers,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Err(StoreError::NotFound) };
        if answers.definition().kind != FormKind::A {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid("header.filled_at", "err-date-in-future"));
        }
        let mut tx = self.db.begin().await?;
        // Only the staff learn which cases a form's people are in, so only they attach to one (anyone else's form
        // goes to them as a pending intake: `open_procedure`).
        if !crate::access::is_current_staff(&mut tx, self, principal).await? {
            return Err(StoreError::NotFound);
        }
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let raw_keys = recognition_keys(&persons);
        let hashes: Vec<Vec<u8>> = raw_keys.iter().map(|k| keys.blind_index(MATCH_PURPOSE, k)).collect();
        let known = matching_procedures(&mut tx, tenant_id, &hashes).await?;
        self.audit_recognition(&mut tx, principal, tenant_id, &raw_keys, &known, address.clone()).await?;
        let Some(case) = known.into_iter().find(|p| p.id == procedure_id) else { return Err(StoreError::NotFound) };
        let command = if PhaseKind::parse(&case.phase) == Some(PhaseKind::Closed) {
            Command::ReopenFromMonitoring
        } else {
            Command::AttachFurtherIncident
        };
        let version: (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(procedure_id).fetch_one(c).await)?;
        let handle =
            CaseHandle { procedure_id, tenant_id, access: CaseAccess::Initiator, principal: principal.clone() };
        let state = self
            .apply_at(&mut tx, &handle, &command, Some(filled_at), "header.filled_at", version.0, address.clone())
            .await?;
        let actor = principal.actor(address.clone());
        self.insert_form(&mut tx, &actor, actor.account_id, tenant_id, procedure_id, answers, filled_at, false).await?;
        let state = self.firearm_of_further_form(&mut tx, &handle, answers, state, filled_at, address).await?;
        for hash in &hashes {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(tenant_id).bind(hash).bind(procedure_id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(state)
    }

    /// Applies a command of the support group (meetings, forms C and D recorded, closing, monitoring). The team and
    /// the group may; an initiator may not. The group's appointment and referral steps have their own methods, which
    /// check who may take them ([`Store::appoint_group`], [`Store::referral_step`]).
    pub async fn apply_procedure_command(
        &self,
        handle: &CaseHandle,
        command: &Command,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        self.apply_procedure_command_at(handle, command, None, expected_version, address).await
    }

    /// [`Store::apply_procedure_command`] for a step that happened at `occurred_at` (default now): never in the
    /// future, never before the events it follows; a refusal for the date is a field error on `occurred_at`. Closing
    /// goes through [`Store::close_procedure`], which keeps its record.
    pub async fn apply_procedure_command_at(
        &self,
        handle: &CaseHandle,
        command: &Command,
        occurred_at: Option<Timestamp>,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() || matches!(command, Command::AppointGroup { .. } | Command::Referral { .. })
        {
            return Err(StoreError::NotFound);
        }
        // Steps that stand for a document are taken only with the document: a bare step would show a form on the
        // timeline that is stored nowhere and counted by no figure.
        if let Some(code) = needs_document(command) {
            return Err(StoreError::invalid("command", code));
        }
        // A closing is never one click: it goes with its record, through its confirmation (`close_procedure`).
        if matches!(command, Command::Close { .. }) {
            return Err(StoreError::invalid("command", "err-close-needs-record"));
        }
        let mut tx = self.db.begin().await?;
        let state =
            self.apply_at(&mut tx, handle, command, occurred_at, "occurred_at", expected_version, address).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// A further form A (attached, or a pending intake resolved into the case) that declares a firearm starts the art.
    /// 9f notification exactly as the opening form does, unless a firearm is already recorded in the case (its
    /// notification runs or was made). Returns the state after it.
    pub(crate) async fn firearm_of_further_form(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        answers: &ValidatedAnswers,
        state: ProcedureState,
        at: Timestamp,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        if answers.definition().kind != FormKind::A
            || !declares_firearm(answers)
            || state.firearm_recorded_at().is_some()
        {
            return Ok(state);
        }
        let (version,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(c).await)?;
        // The firearm was declared when the form was filled: its notification clock runs from then.
        self.apply_at(tx, handle, &Command::RecordFirearm, Some(at), "header.filled_at", version, address).await
    }

    /// Applies `command` as happening now (see [`Store::apply_at`]).
    async fn apply_in(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        command: &Command,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        self.apply_at(tx, handle, command, None, "occurred_at", expected_version, address).await
    }

    /// Applies `command` as having happened at `occurred_at` (default: now), records it with the moment of entry,
    /// bumps the version. The step takes its place among the recorded ones in event order
    /// (`domain::procedure::timing::place`); a date in the future, before an event it must follow, or contradicting a
    /// later recorded step is refused under `field`, naming that event and its date.
    #[allow(clippy::too_many_arguments)] // one step: on what, which, when, where its date was typed, the version read
    pub(crate) async fn apply_at(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        command: &Command,
        occurred_at: Option<Timestamp>,
        field: &'static str,
        expected_version: i64,
        address: Option<String>,
    ) -> Result<ProcedureState, StoreError> {
        let (opened_at, log, version, seq) = load_log(tx, handle.procedure_id).await?;
        if version != expected_version {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let now = self.now();
        let at = occurred_at.unwrap_or(now);
        let next = domain::procedure::timing::place(opened_at, &log, command, at, now)
            .map_err(|m| misplaced_error(field, m))?;
        let json = serde_json::to_string(command).map_err(|e| StoreError::Internal(e.to_string()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure_command (procedure_id, seq, command, kind, at, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(handle.procedure_id).bind(seq + 1).bind(json).bind(command.as_str()).bind(ts(at))
            .bind(handle.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        let updated = on_tx!(tx, c => sqlx::query(
            "UPDATE procedure SET phase = $2, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $4")
            .bind(handle.procedure_id).bind(next.phase().as_str()).bind(ts(now)).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if updated != 1 {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let detail =
            if at == now { command.as_str().to_owned() } else { format!("{}; occurred at {at}", command.as_str()) };
        self.audit(
            tx,
            &handle.principal.actor(address),
            &AuditRecord::new(AuditAction::Update, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(detail),
        )
        .await?;
        Ok(next)
    }
}

/// The message naming the route that takes `command` with its document (form C, D or A, or the transfer package),
/// or `None` for a step that needs no document.
pub fn needs_document(command: &Command) -> Option<&'static str> {
    match command {
        Command::RecordFormC => Some("err-command-needs-form-c"),
        Command::RecordFormD => Some("err-command-needs-form-d"),
        Command::AttachFurtherIncident | Command::ReopenFromMonitoring => Some("err-command-needs-form-a"),
        Command::TransferOut => Some("err-command-needs-package"),
        _ => None,
    }
}

/// The field that holds a form's date: `header.filled_at` on the 2023 form A, `header.date` on the others.
fn date_field(answers: &ValidatedAnswers) -> &'static str {
    if answers.definition().field("header", "filled_at").is_some() { "header.filled_at" } else { "header.date" }
}

/// Whether a form A says the person using violence holds a firearm (part on firearms: "yes").
fn declares_firearm(answers: &ValidatedAnswers) -> bool {
    matches!(answers.get("firearm", "has_firearm"), Some(domain::forms::Value::Choice("yes")))
}

/// A step refused for its date, as a field error naming the event in its way (the web layer words the event).
pub(crate) fn misplaced_error(field: &'static str, m: domain::procedure::timing::Misplaced) -> StoreError {
    use domain::procedure::timing::Misplaced;
    let mut errors = domain::validation::FieldErrors::new();
    match m {
        Misplaced::BeforeEvent { event, at } | Misplaced::ConflictsWithLater { event, at } => {
            errors.add_with(field, m.code(), vec![("event", event.as_str().to_owned()), ("date", polish_datetime(at))]);
        }
        Misplaced::InFuture => errors.add(field, m.code()),
        // Refused whatever the date: the step itself is the problem, not its date.
        Misplaced::Refused(_) => errors.add("command", m.code()),
    }
    StoreError::Invalid(errors)
}

/// "3.03.2026 10:00" in Polish time, as the messages name a date.
pub(crate) fn polish_datetime(at: Timestamp) -> String {
    at.to_zoned(domain::calendar::poland_zone()).strftime("%-d.%m.%Y %H:%M").to_string()
}

/// When a form's step happened in the procedure: a form A's date and time; a form C or D carries a day only, so the
/// step is at that day's end (or now, if that is today): it follows the meeting of the same day at which it was
/// filled. The form itself keeps its date as written.
fn step_instant(answers: &ValidatedAnswers, filled_at: Timestamp, now: Timestamp) -> Timestamp {
    if matches!(answers.get("header", "filled_at"), Some(domain::forms::Value::DateTime(_))) {
        return filled_at;
    }
    let zone = domain::calendar::poland_zone();
    let day_end = filled_at
        .to_zoned(zone.clone())
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(zone).ok())
        .map_or(filled_at, |z| z.timestamp() - jiff::SignedDuration::from_micros(1));
    day_end.min(now)
}

fn filled_at(answers: &ValidatedAnswers) -> Result<Timestamp, StoreError> {
    match answers.get("header", "filled_at") {
        Some(domain::forms::Value::DateTime(dt)) => dt
            .to_zoned(domain::calendar::poland_zone())
            .map(|z| z.timestamp())
            .map_err(|_| StoreError::invalid("header.filled_at", "err-datetime-format")),
        // Forms C and D carry a date only: the start of that day in Poland.
        _ => match answers.get("header", "date") {
            Some(domain::forms::Value::Date(d)) => d
                .to_zoned(domain::calendar::poland_zone())
                .map(|z| z.timestamp())
                .map_err(|_| StoreError::invalid("header.date", "err-date-format")),
            _ => Err(StoreError::invalid("header.filled_at", "err-required")),
        },
    }
}

async fn matching_procedures(
    tx: &mut Tx,
    tenant_id: Uuid,
    hashes: &[Vec<u8>],
) -> Result<Vec<MatchedProcedure>, StoreError> {
    let mut found: Vec<MatchedProcedure> = Vec::new();
    for hash in hashes {
        let rows: Vec<(Uuid, String, String)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT p.id, p.number, p.phase FROM person_match m JOIN procedure p ON p.id = m.procedure_id \
             WHERE m.tenant_id = $1 AND m.key_hash = $2")
            .bind(tenant_id).bind(hash).fetch_all(c).await)?;
        for (id, number, phase) in rows {
            if PhaseKind::parse(&phase).is_some_and(PhaseKind::is_live) && !found.iter().any(|f| f.id == id) {
                found.push(MatchedProcedure { id, number, phase });
            }
        }
    }
    found.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(found)
}

/// What [`Store::case_access`] reads of a case and the account.
#[derive(sqlx::FromRow)]
struct AccessRow {
    tenant_id: Uuid,
    as_staff: bool,
    as_group: bool,
    /// The kind of the current grant that lets the account in (`break_glass` before `granted`), if one does.
    as_grant: Option<String>,
    as_initiator: bool,
}

/// The state rebuilt from the command log in event order, the row's version, and the last command's sequence number.
async fn load_state(tx: &mut Tx, procedure_id: Uuid) -> Result<(ProcedureState, i64, i64), StoreError> {
    let (opened_at, commands, version, seq) = load_log(tx, procedure_id).await?;
    let state = replay(opened_at, &domain::procedure::timing::in_event_order(&commands))
        .map_err(|e| StoreError::Corrupt(format!("command log replay: {}", e.code())))?;
    Ok((state, version, seq))
}

/// The opening instant, the command log in the order of entry, the row's version and the last sequence number.
#[allow(clippy::type_complexity)] // the four facts a step is placed with
async fn load_log(
    tx: &mut Tx,
    procedure_id: Uuid,
) -> Result<(Timestamp, Vec<(Command, Timestamp)>, i64, i64), StoreError> {
    let (opened_at, version): (jiff_sqlx::Timestamp, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT opened_at, version FROM procedure WHERE id = $1").bind(procedure_id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)?;
    let rows: Vec<(i64, String, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT seq, command, at FROM procedure_command WHERE procedure_id = $1 ORDER BY seq").bind(procedure_id).fetch_all(c).await)?;
    let mut commands = Vec::with_capacity(rows.len());
    for (_, json, at) in &rows {
        let command: Command = serde_json::from_str(json).map_err(|e| StoreError::corrupt_json("command log", &e))?;
        commands.push((command, at.to_jiff()));
    }
    // An undone closing left the log but keeps its sequence number in its record: never reused.
    let (undone,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COALESCE(MAX(command_seq), 0) FROM procedure_closing WHERE procedure_id = $1")
        .bind(procedure_id).fetch_one(c).await)?;
    let last = rows.last().map_or(0, |(s, _, _)| *s).max(undone);
    Ok((opened_at.to_jiff(), commands, version, last))
}

/// Reads a stored form back into validated answers (the definition it was filled in).
pub(crate) fn read_form(kind: &str, version: &str, json: &[u8]) -> Result<ValidatedAnswers, StoreError> {
    let def =
        form_definition(kind, version).ok_or_else(|| StoreError::Corrupt(format!("unknown form {kind} {version}")))?;
    let answers: Answers =
        serde_json::from_slice(json).map_err(|e| StoreError::corrupt_json("stored form answers", &e))?;
    validate(def, &answers).map_err(|_| StoreError::Corrupt("a stored form no longer validates".into()))
}

impl Store {
    /// The municipality's active accounts that can sit in a support group, by login (no personal data): what the
    /// team chooses from when it appoints a group.
    pub async fn group_member_candidates(&self, handle: &CaseHandle) -> Result<Vec<(Uuid, String)>, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        Ok(crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT a.id, a.login FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active AND r.role = 'group_member' ORDER BY a.login")
            .bind(handle.tenant_id).fetch_all(p).await)?)
    }
}

impl Store {
    /// The case's current version, for a page that will post a change.
    pub async fn procedure_version(&self, handle: &CaseHandle) -> Result<i64, StoreError> {
        let row: (i64,) = crate::db::on_pool!(&self.db, p => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(p).await)?;
        Ok(row.0)
    }

    /// The case's version and the legal version of its forms: a case opened on the 2011 forms keeps them
    /// (procedure.md §3.1, migration note), so its forms C and D are the 2011 ones.
    pub async fn procedure_form_version(&self, handle: &CaseHandle) -> Result<(i64, FormVersion), StoreError> {
        let (version, forms): (i64, String) = crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT version, form_version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(p).await)?;
        let forms = FormVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == forms)
            .ok_or_else(|| StoreError::Corrupt(format!("procedure {}: form version {forms}", handle.procedure_id)))?;
        Ok((version, forms))
    }
}
