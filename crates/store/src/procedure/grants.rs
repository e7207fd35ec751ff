//! Access to a case beyond the standing roles (issue 20, items 3 and 4): break-glass and time-boxed grants.
//!
//! Guarantees:
//! - A grant is a row of `case_grant`; whether it lets anyone in is decided only by the need-to-know fragments in
//!   `crate::access`, from its begin and end instants: an ended or lapsed grant gives nothing from that instant, with
//!   no job to run.
//! - Break-glass: only a member of the team (the group-member role, a current record in the register, a signed
//!   declaration) may open a case so; anyone else is answered `NotFound` before the case is looked up, so the answer
//!   says nothing of whether the case exists. The written reason is required, encrypted at rest, and the chair(s) and
//!   the data protection officer(s) are notified in the same transaction (the notification carries the case, never
//!   the reason).
//! - Every grant, end, review and read of the reasons is in the audit trail; no row is ever deleted, so the data
//!   protection officer's register ([`Store::break_glass_register`]) lists every opening.

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::{Permission, Role};
use domain::procedure::access_grant;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::{CaseAccess, CaseHandle};
use crate::crypto::ScopeKeys;
use crate::db::{Batch, Slot, on_tx};
use crate::identity::Principal;
use crate::notify::{NewNotification, NotificationKind, notify_in};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

const REASON_COLUMN: &str = "case_grant.reason";
const COMMENT_COLUMN: &str = "case_grant.review_comment";

/// How a grant came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// A member of the team opened the case in an emergency, with a written reason.
    BreakGlass,
    /// The chair let an account outside the group in (an expert, a new member).
    Granted,
}

impl GrantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantKind::BreakGlass => "break_glass",
            GrantKind::Granted => "granted",
        }
    }

    fn parse(s: &str) -> GrantKind {
        if s == "break_glass" { GrantKind::BreakGlass } else { GrantKind::Granted }
    }
}

/// Where a grant stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantStatus {
    /// It lets its account in now.
    Current,
    /// It reached its end by itself.
    Lapsed,
    /// The chair ended it early.
    Ended,
}

/// One grant as the chair and the data protection officer see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantView {
    pub id: Uuid,
    pub procedure_id: Uuid,
    pub number: String,
    pub kind: GrantKind,
    /// The account let in, by login (never its name: the lists are read often).
    pub account_login: String,
    /// The reason written (break-glass); `None` for a chair's grant.
    pub reason: Option<String>,
    pub granted_by_login: String,
    pub granted_at: Timestamp,
    /// The end instant (exclusive); `None`: until the chair ends it.
    pub ends_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub status: GrantStatus,
    pub reviewed_by_login: Option<String>,
    pub reviewed_at: Option<Timestamp>,
    pub review_comment: Option<String>,
}

/// Which case a break-glass opening is for: the id of a link refused, or a number the person knows.
#[derive(Debug, Clone, Copy)]
pub enum CaseRef<'a> {
    Id(Uuid),
    Number(&'a str),
}

/// What a page shows in its banner when a grant is how the reader sees the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantBanner {
    pub kind: GrantKind,
    pub ends_at: Option<Timestamp>,
}

pub(crate) type GrantRow = (
    Uuid,
    Uuid,
    Uuid,
    String,
    String,
    String,
    Option<Vec<u8>>,
    String,
    jiff_sqlx::Timestamp,
    Option<jiff_sqlx::Timestamp>,
    Option<jiff_sqlx::Timestamp>,
    Option<String>,
    Option<jiff_sqlx::Timestamp>,
    Option<Vec<u8>>,
);

/// The end of a current grant the reader is in by (`None`: until ended), for the banner.
pub(crate) type BannerRow = (Option<jiff_sqlx::Timestamp>,);

/// Queues the read of every grant of the case, newest first.
pub(crate) fn queue_case_grants(batch: &mut Batch, handle: &CaseHandle) -> Slot<GrantRow> {
    batch
        .push(format!("{GRANT_COLUMNS} WHERE g.procedure_id = $1 ORDER BY g.granted_at DESC, g.id DESC"))
        .bind(handle.procedure_id)
        .slot()
}

fn banner_kind(handle: &CaseHandle) -> GrantKind {
    if handle.access == CaseAccess::BreakGlass { GrantKind::BreakGlass } else { GrantKind::Granted }
}

/// The banner from the rows of [`Store::queue_grant_banner`]: `None` if no current grant of that kind was found.
pub(crate) fn grant_banner_from(handle: &CaseHandle, rows: Vec<BannerRow>) -> Option<GrantBanner> {
    if rows.is_empty() {
        return None;
    }
    let ends_at = if rows.iter().any(|(e,)| e.is_none()) {
        None
    } else {
        rows.iter().filter_map(|(e,)| e.map(|t| t.to_jiff())).max()
    };
    Some(GrantBanner { kind: banner_kind(handle), ends_at })
}

const GRANT_COLUMNS: &str = "SELECT g.id, g.tenant_id, g.procedure_id, p.number, g.kind, a.login, g.reason_enc, \
     b.login, g.granted_at, g.ends_at, g.ended_at, r.login, g.reviewed_at, g.review_comment_enc \
     FROM case_grant g JOIN procedure p ON p.id = g.procedure_id JOIN account a ON a.id = g.account_id \
     JOIN account b ON b.id = g.granted_by LEFT JOIN account r ON r.id = g.reviewed_by";

/// The first instant after `last_day` in Poland: a grant to the end of a day lapses then.
fn end_of_day(last_day: jiff::civil::Date) -> Result<Timestamp, StoreError> {
    let next = last_day.tomorrow().map_err(|_| StoreError::invalid("last_day", "err-date-format"))?;
    next.to_zoned(domain::calendar::poland_zone())
        .map(|z| z.timestamp())
        .map_err(|_| StoreError::invalid("last_day", "err-date-format"))
}

impl Store {
    /// Opens a case in an emergency (break-glass) for `hours` (1–72, by default
    /// [`access_grant::BREAK_GLASS_DEFAULT_HOURS`]) with a written reason, tells the chair(s) and the data protection
    /// officer(s) at once, and hands out the case. An account that may not break glass gets `NotFound` whatever the
    /// case; a reason refused is an error on `reason`; a number that names no case of the municipality, on `number`.
    /// Someone who already sees the case gets their handle and no opening is recorded.
    pub async fn break_glass(
        &self,
        caller: &Caller<'_>,
        case: CaseRef<'_>,
        reason: &str,
        hours: i64,
    ) -> Result<CaseHandle, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin().await?;
        // Asked before the case is looked up: the refusal must not depend on whether it exists.
        let (eligible,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT ", crate::access::break_glass_eligible_sql!("$1", "$2", "$3")))
            .bind(caller.principal.account_id).bind(crate::access::holds_member_role(caller.principal)).bind(self.today_text())
            .fetch_one(c).await)?;
        if !eligible {
            return Err(StoreError::NotFound);
        }
        let reason = access_grant::break_glass_reason(reason).map_err(|code| StoreError::invalid("reason", code))?;
        let hours = access_grant::break_glass_hours(hours).map_err(|code| StoreError::invalid("hours", code))?;
        let found: Option<(Uuid,)> = match case {
            CaseRef::Id(id) => on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id FROM procedure WHERE id = $1 AND tenant_id = $2")
                .bind(id).bind(tenant_id).fetch_optional(c).await)?,
            CaseRef::Number(number) => on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id FROM procedure WHERE number = $1 AND tenant_id = $2")
                .bind(number.trim().to_uppercase()).bind(tenant_id).fetch_optional(c).await)?,
        };
        let Some((procedure_id,)) = found else {
            return Err(match case {
                CaseRef::Id(_) => StoreError::NotFound,
                CaseRef::Number(_) => StoreError::invalid("number", "err-break-glass-no-case"),
            });
        };
        tx.commit().await?;
        if let Ok(handle) = self.case_access(caller, procedure_id).await
            && handle.access != CaseAccess::Initiator
        {
            return Ok(handle);
        }
        let now = self.now();
        let ends_at = now + SignedDuration::from_hours(hours);
        let mut tx = self.db.begin().await?;
        let id = Uuid::now_v7();
        let keys = self.keys.scope_keys(&mut tx, tenant_id, now).await?;
        let sealed = keys.encrypt(REASON_COLUMN, id, &reason)?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO case_grant (id, tenant_id, procedure_id, account_id, kind, reason_enc, granted_by, granted_at, ends_at) \
             VALUES ($1, $2, $3, $4, 'break_glass', $5, $4, $6, $7)")
            .bind(id).bind(tenant_id).bind(procedure_id).bind(caller.principal.account_id).bind(sealed)
            .bind(ts(now)).bind(ts(ends_at)).execute(c).await.map(|r| r.rows_affected()))?;
        // The chair(s) and the data protection officer(s) hear of it at once; the notification names the case only.
        let recipients: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active AND r.role IN ('chair', 'data_protection_officer')")
            .bind(tenant_id).fetch_all(c).await)?;
        let recipients: Vec<Uuid> = recipients.into_iter().map(|(a,)| a).collect();
        let note = NewNotification {
            tenant_id,
            kind: NotificationKind::BreakGlass,
            procedure_id: Some(procedure_id),
            rule_id: None,
            once_key: None,
        };
        notify_in(self, &mut tx, &recipients, &note).await?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Create, "case_grant", id)
                .in_tenant(Some(tenant_id))
                .detail(format!("break-glass on procedure {procedure_id} until {ends_at}")),
        )
        .await?;
        tx.commit().await?;
        self.case_access(caller, procedure_id).await
    }

    /// The chair (or the deputy standing in) lets an account outside the case's group in: read-only, until the end
    /// of `last_day` in Poland when given (today or later; an error on `last_day` otherwise), else until ended. The
    /// account must be an active account of the municipality holding the group-member role and not in the group
    /// (an error on `account`).
    pub async fn grant_case_access(
        &self,
        handle: &CaseHandle,
        account_id: Uuid,
        last_day: Option<jiff::civil::Date>,
    ) -> Result<Uuid, StoreError> {
        may_manage_grants(handle)?;
        let last_day = access_grant::grant_last_day(last_day, self.today())
            .map_err(|code| StoreError::invalid("last_day", code))?;
        let ends_at = last_day.map(end_of_day).transpose()?;
        let mut tx = self.db.begin().await?;
        let known: Option<(bool,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM group_member g WHERE g.procedure_id = $3 AND g.account_id = a.id AND g.left_at IS NULL) \
             FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.id = $1 AND a.tenant_id = $2 AND a.active AND r.role = 'group_member'")
            .bind(account_id).bind(handle.tenant_id).bind(handle.procedure_id).fetch_optional(c).await)?;
        match known {
            None => return Err(StoreError::invalid("account", "err-grant-account-unknown")),
            Some((true,)) => return Err(StoreError::invalid("account", "err-grant-already-in-group")),
            Some((false,)) => {}
        }
        let id = Uuid::now_v7();
        let now = self.now();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO case_grant (id, tenant_id, procedure_id, account_id, kind, granted_by, granted_at, ends_at) \
             VALUES ($1, $2, $3, $4, 'granted', $5, $6, $7)")
            .bind(id).bind(handle.tenant_id).bind(handle.procedure_id).bind(account_id)
            .bind(handle.principal().account_id).bind(ts(now)).bind(ends_at.map(ts))
            .execute(c).await.map(|r| r.rows_affected()))?;
        let until = ends_at.map_or_else(|| "until ended".to_owned(), |e| format!("until {e}"));
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Create, "case_grant", id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("access to procedure {} for account {account_id} {until}", handle.procedure_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The chair (or the deputy) ends a current grant of the case now (a chair's grant or a break-glass opening). A
    /// grant already over, or of another case, is `NotFound`.
    pub async fn end_case_grant(&self, handle: &CaseHandle, grant_id: Uuid) -> Result<(), StoreError> {
        may_manage_grants(handle)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE case_grant SET ended_at = $3, ended_by = $4 WHERE id = $1 AND procedure_id = $2 \
             AND ended_at IS NULL AND (ends_at IS NULL OR ends_at > $3)")
            .bind(grant_id).bind(handle.procedure_id).bind(ts(now)).bind(handle.principal().account_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "case_grant", grant_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("ended early on procedure {}", handle.procedure_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every grant of the case, current and past, newest first, for the team's staff. The reasons are decrypted, so
    /// the read is audited.
    pub async fn case_grants(&self, handle: &CaseHandle) -> Result<Vec<GrantView>, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let views = self.case_grants_in(&mut tx, handle).await?;
        tx.commit().await?;
        Ok(views)
    }

    /// [`Store::case_grants`] inside `tx`, for the team's staff only.
    pub(crate) async fn case_grants_in(&self, tx: &mut Tx, handle: &CaseHandle) -> Result<Vec<GrantView>, StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let rows = Batch::fetch_all(tx, |batch| queue_case_grants(batch, handle)).await?;
        self.case_grants_from(tx, handle, rows, None).await
    }

    /// [`Store::case_grants`] from the rows of [`queue_case_grants`] (the team's staff only: the caller checks);
    /// `keys`: the municipality's keys when the caller has them already. The read of the reasons is audited.
    pub(crate) async fn case_grants_from(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        rows: Vec<GrantRow>,
        keys: Option<&ScopeKeys>,
    ) -> Result<Vec<GrantView>, StoreError> {
        let views = self.grant_views_with(tx, rows, keys).await?;
        if !views.is_empty() {
            self.audit(
                tx,
                &handle.actor(),
                &AuditRecord::new(AuditAction::ReadPersonalData, "case_grant", handle.procedure_id)
                    .in_tenant(Some(handle.tenant_id))
                    .detail(format!("grants of procedure {}", handle.procedure_id)),
            )
            .await?;
        }
        Ok(views)
    }

    /// How a reader who sees the case through a grant sees it, for the banner on its pages; `None` for anyone else.
    pub async fn grant_banner(&self, handle: &CaseHandle) -> Result<Option<GrantBanner>, StoreError> {
        if !handle.access.is_grant() {
            return Ok(None);
        }
        let mut tx = self.db.begin_read().await?;
        let mut batch = Batch::new(&tx);
        let Some(slot) = self.queue_grant_banner(&mut batch, handle) else { return Ok(None) };
        let rows = batch.run(&mut tx).await?.take(slot)?;
        tx.commit().await?;
        Ok(grant_banner_from(handle, rows))
    }

    /// Queues the read of [`Store::grant_banner`]; `None` (nothing to read) for a reader not in by a grant.
    pub(crate) fn queue_grant_banner(&self, batch: &mut Batch, handle: &CaseHandle) -> Option<Slot<BannerRow>> {
        if !handle.access.is_grant() {
            return None;
        }
        // The latest end among the current grants of that kind: the one the reader is in by.
        Some(
            batch
                .push(concat!(
                    "SELECT g.ends_at FROM case_grant g JOIN procedure p ON p.id = g.procedure_id \
                     WHERE p.id = $1 AND g.kind = $3 AND ",
                    crate::access::grant_current_sql!("g", "$2", "$4")
                ))
                .bind(handle.procedure_id)
                .bind(handle.principal().account_id)
                .bind(banner_kind(handle).as_str())
                .bind(ts(self.now()))
                .slot(),
        )
    }

    /// The data protection officer's register of break-glass openings in their municipality, newest first (at most
    /// `limit`), with each reason and review. Only the data protection officer; the read is audited. This is the
    /// list the officer's register (issue 20, item 7) takes its break-glass events from.
    pub async fn break_glass_register(&self, caller: &Caller<'_>, limit: i64) -> Result<Vec<GrantView>, StoreError> {
        let tenant_id = data_protection_officer(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let rows: Vec<GrantRow> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{GRANT_COLUMNS} WHERE g.tenant_id = $1 AND g.kind = 'break_glass' ORDER BY g.granted_at DESC, g.id DESC LIMIT $2")))
            .bind(tenant_id).bind(limit.clamp(1, 1000)).fetch_all(c).await)?;
        let views = self.grant_views(&mut tx, rows).await?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "case_grant", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(format!("break-glass register: {} entries", views.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(views)
    }

    /// The data protection officer marks a break-glass opening reviewed, with a comment (required: an error on
    /// `comment`). Once only: a second review is a conflict; an opening of another municipality is `NotFound`.
    pub async fn review_break_glass(
        &self,
        caller: &Caller<'_>,
        grant_id: Uuid,
        comment: &str,
    ) -> Result<(), StoreError> {
        let tenant_id = data_protection_officer(caller.principal)?;
        let comment = access_grant::review_comment(comment).map_err(|code| StoreError::invalid("comment", code))?;
        let mut tx = self.db.begin().await?;
        let row: Option<(Option<jiff_sqlx::Timestamp>,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT reviewed_at FROM case_grant WHERE id = $1 AND tenant_id = $2 AND kind = 'break_glass'")
            .bind(grant_id).bind(tenant_id).fetch_optional(c).await)?;
        match row {
            None => return Err(StoreError::NotFound),
            Some((Some(_),)) => return Err(StoreError::Conflict("already reviewed")),
            Some((None,)) => {}
        }
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let sealed = keys.encrypt(COMMENT_COLUMN, grant_id, &comment)?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE case_grant SET reviewed_by = $2, reviewed_at = $3, review_comment_enc = $4 WHERE id = $1 AND reviewed_at IS NULL")
            .bind(grant_id).bind(caller.principal.account_id).bind(ts(self.now())).bind(sealed)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "case_grant", grant_id)
                .in_tenant(Some(tenant_id))
                .detail("break-glass reviewed"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The break-glass openings of one case, newest first, for the data protection officer's register (the caller
    /// checks the officer and audits the read).
    pub(crate) async fn break_glass_of_case(
        &self,
        tx: &mut Tx,
        procedure_id: Uuid,
    ) -> Result<Vec<GrantView>, StoreError> {
        let rows: Vec<GrantRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{GRANT_COLUMNS} WHERE g.procedure_id = $1 AND g.kind = 'break_glass' ORDER BY g.granted_at DESC, g.id DESC")))
            .bind(procedure_id).fetch_all(c).await)?;
        self.grant_views(tx, rows).await
    }

    async fn grant_views(&self, tx: &mut Tx, rows: Vec<GrantRow>) -> Result<Vec<GrantView>, StoreError> {
        self.grant_views_with(tx, rows, None).await
    }

    /// The grants decrypted, each with its municipality's keys: `known` if they are those, else read once per
    /// municipality.
    async fn grant_views_with(
        &self,
        tx: &mut Tx,
        rows: Vec<GrantRow>,
        known: Option<&ScopeKeys>,
    ) -> Result<Vec<GrantView>, StoreError> {
        let now = self.now();
        let mut read: std::collections::HashMap<Uuid, ScopeKeys> =
            known.map(|k| (k.scope(), k.clone())).into_iter().collect();
        let mut out = Vec::with_capacity(rows.len());
        for (
            id,
            tenant_id,
            procedure_id,
            number,
            kind,
            account_login,
            reason_enc,
            granted_by_login,
            granted_at,
            ends_at,
            ended_at,
            reviewed_by_login,
            reviewed_at,
            comment_enc,
        ) in rows
        {
            let keys = match read.get(&tenant_id) {
                Some(keys) => keys.clone(),
                None => {
                    let keys = self.keys.scope_keys(tx, tenant_id, now).await?;
                    read.insert(tenant_id, keys.clone());
                    keys
                }
            };
            let reason = reason_enc.map(|b| keys.decrypt(REASON_COLUMN, id, &b)).transpose()?;
            let review_comment = comment_enc.map(|b| keys.decrypt(COMMENT_COLUMN, id, &b)).transpose()?;
            let ends_at = ends_at.map(|t| t.to_jiff());
            let ended_at = ended_at.map(|t| t.to_jiff());
            let status = if ended_at.is_some() {
                GrantStatus::Ended
            } else if ends_at.is_some_and(|e| e <= now) {
                GrantStatus::Lapsed
            } else {
                GrantStatus::Current
            };
            out.push(GrantView {
                id,
                procedure_id,
                number,
                kind: GrantKind::parse(&kind),
                account_login,
                reason,
                granted_by_login,
                granted_at: granted_at.to_jiff(),
                ends_at,
                ended_at,
                status,
                reviewed_by_login,
                reviewed_at: reviewed_at.map(|t| t.to_jiff()),
                review_comment,
            });
        }
        Ok(out)
    }
}

/// Grants are the chair's (or the deputy's, standing in) to give and end, on a case the team sees.
fn may_manage_grants(handle: &CaseHandle) -> Result<(), StoreError> {
    let roles = &handle.principal().roles;
    if handle.access == CaseAccess::Team && (roles.contains(Role::Chair) || roles.contains(Role::DeputyChair)) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// The municipality of a data protection officer; `NotFound` for anyone else.
fn data_protection_officer(principal: &Principal) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(tenant_id) if principal.roles.permits(Permission::ReadAuditTrail) => Ok(tenant_id),
        _ => Err(StoreError::NotFound),
    }
}
