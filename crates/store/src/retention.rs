//! Retention with logged erasure (issue 20, item 5): the municipality's retention periods, the records whose period
//! has ended, and their erasure once the data protection officer approves it.
//!
//! Guarantees:
//! - Only a data protection officer of the municipality (`Permission::ReadAuditTrail`) reads or sets the periods,
//!   lists the records due and erases; anyone else gets `NotFound`. A period outside its bounds
//!   (`domain::retention`) is refused beside its field.
//! - Nothing is erased by itself but form drafts (housekeeping, after the municipality's period); a procedure or an
//!   account is erased only by the officer's approval, with a moment (not in the future, not before the period
//!   ended) and a comment. A record still within its period is refused beside the field and nothing is erased.
//! - Erasing a procedure deletes every row of it: forms, the command log, records, persons' match keys, seals,
//!   grants, transfer packages, closing records, drafts and resolved forms A, notifications. There are no per-record
//!   keys (one data key per municipality, `keys.rs`), so this is deletion, not crypto-shredding: copies in backups
//!   live until those backups are destroyed (docs/operations.md).
//! - The statutory figures of every year the procedure counted in stay as they were: the figures with and without it
//!   are computed in the same transaction and the difference is added to `statutory_erased` (summed per year and
//!   line over all erasures, so no row tells what one case counted for), which the live set adds back.
//! - Erasing a departed account overwrites its personal fields (name, e-mail, phone, second factor, password) and its
//!   login, and deletes its sessions, tokens, links, drafts and notifications; the row stays because the
//!   documentation points to it.
//! - Each erasure is an `erasure` row and an audit entry (`delete`, the record's kind and id, the erasure's id and the
//!   last day of the period): never the content, never the comment (which is free text, encrypted).
//! - Audit entries are not erased: each entry's hash covers its content and the next entry's hash covers it, and the
//!   checkpoints outside the database pin the chain, so removing or blanking an entry breaks `ostoja audit verify`.
//!   Their period is held as data and the page says that they are kept.

use crate::Caller;
use std::collections::BTreeMap;

use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::procedure::lifecycle::PhaseKind;
use domain::retention::{RecordKind, RetentionRule};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// The period of one kind in the officer's municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionSetting {
    pub rule: RetentionRule,
    pub amount: u32,
    /// No value saved: the default applies.
    pub is_default: bool,
}

/// A record whose period has ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    /// The case number, or the account's login.
    pub label: String,
    /// The day the period started (the procedure's end, the account's deactivation), in Poland.
    pub since: Date,
    /// The period's last day; erasure is allowed from the next day.
    pub last_day: Date,
}

/// What the officer approves.
#[derive(Debug, Clone)]
pub struct ErasureRequest {
    pub records: Vec<(RecordKind, Uuid)>,
    /// The moment of the decision.
    pub at: Timestamp,
    pub comment: String,
}

/// One recorded erasure, for the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureView {
    pub id: Uuid,
    pub kind: RecordKind,
    pub object_id: Uuid,
    pub label: String,
    pub period_ended_on: String,
    pub erased_at: Timestamp,
    pub approved_by: String,
    pub comment: String,
}

/// Phases after which a procedure's period runs (its last command is its end).
const ENDED: [PhaseKind; 3] = [PhaseKind::Closed, PhaseKind::MonitoringEnded, PhaseKind::TransferredOut];

type ErasureRow = (Uuid, String, Uuid, String, String, jiff_sqlx::Timestamp, Option<String>, Vec<u8>);

impl Store {
    /// The periods of the officer's municipality, one per kind, the defaults where none was saved.
    pub async fn retention_settings(&self, principal: &Principal) -> Result<Vec<RetentionSetting>, StoreError> {
        let tenant_id = officer(principal)?;
        let mut tx = self.db.begin_read().await?;
        let settings = settings_of(&mut tx, tenant_id).await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Saves the periods typed by the officer (kind, typed value); every value outside its bounds is refused beside
    /// its field (named by the kind) and nothing is saved. Audited with the values.
    pub async fn set_retention(&self, caller: &Caller<'_>, typed: &[(RecordKind, String)]) -> Result<(), StoreError> {
        let tenant_id = officer(caller.principal)?;
        let mut errors = domain::FieldErrors::new();
        let mut values = Vec::new();
        for (kind, text) in typed {
            if let Some(n) = errors.check(kind.as_str(), kind.rule().parse_period(text)) {
                values.push((*kind, n));
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut tx = self.db.begin().await?;
        let now = ts(self.now());
        for (kind, n) in &values {
            let amount = i32::try_from(*n).unwrap_or(i32::MAX);
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO tenant_retention_setting (tenant_id, kind, amount, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, kind) DO UPDATE SET amount = excluded.amount, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at")
                .bind(tenant_id).bind(kind.as_str()).bind(amount).bind(caller.principal.account_id).bind(now)
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        let detail = values.iter().map(|(k, n)| format!("{}: {n}", k.as_str())).collect::<Vec<_>>().join(", ");
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "tenant_retention_setting", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(detail),
        )
        .await?;
        tx.commit().await
    }

    /// The procedures and departed accounts of the officer's municipality whose period ended before today, oldest
    /// first. The list names case numbers and logins, so the read is audited.
    pub async fn due_for_erasure(&self, caller: &Caller<'_>) -> Result<Vec<DueRecord>, StoreError> {
        let tenant_id = officer(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let due = due_in(&mut tx, tenant_id, self.now()).await?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "retention_due", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(format!("{} records due for erasure listed", due.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(due)
    }

    /// Erases the records the officer approved, all or none: each must be due, the moment not in the future nor
    /// before the period ended, the comment not empty. Returns the erasures' ids.
    pub async fn erase(&self, caller: &Caller<'_>, request: &ErasureRequest) -> Result<Vec<Uuid>, StoreError> {
        let tenant_id = officer(caller.principal)?;
        let now = self.now();
        let comment = request.comment.trim();
        let mut errors = domain::FieldErrors::new();
        if request.records.is_empty() {
            errors.add("records", "err-erasure-none");
        }
        if comment.is_empty() {
            errors.add("comment", "err-erasure-comment");
        }
        if request.at > now {
            errors.add("at", "err-erasure-at-future");
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut tx = self.db.begin().await?;
        let due = due_in(&mut tx, tenant_id, now).await?;
        let mut chosen = Vec::new();
        for (kind, id) in &request.records {
            // A record listed twice (a resubmitted form, a crafted request) is erased once, not refused with a 500.
            if chosen.iter().any(|d: &DueRecord| d.kind == *kind && d.id == *id) {
                continue;
            }
            match due.iter().find(|d| d.kind == *kind && d.id == *id) {
                Some(d) => chosen.push(d.clone()),
                None => {
                    // Within its period, or not of this municipality at all: the same answer, naming no record.
                    return Err(StoreError::invalid("records", "err-erasure-within-retention"));
                }
            }
        }
        let last = chosen.iter().map(|d| d.last_day).max();
        if let Some(last) = last
            && domain::calendar::warsaw_date(request.at).map_err(|e| StoreError::Internal(e.to_string()))? <= last
        {
            return Err(StoreError::invalid("at", "err-erasure-at-before-end"));
        }
        let keys = self.keys.scope_keys(&mut tx, tenant_id, now).await?;
        let mut ids = Vec::with_capacity(chosen.len());
        for record in &chosen {
            match record.kind {
                RecordKind::Procedure => self.erase_procedure(&mut tx, caller.principal, tenant_id, record.id).await?,
                RecordKind::DepartedAccount => erase_account(&mut tx, record.id).await?,
                RecordKind::FormDraft | RecordKind::AuditEntry => {
                    return Err(StoreError::invalid("records", "err-erasure-within-retention"));
                }
            }
            let erasure_id = Uuid::now_v7();
            let comment_enc = keys.encrypt("erasure.comment", erasure_id, comment)?;
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO erasure (id, tenant_id, kind, object_id, label, period_ended_on, erased_at, recorded_at, \
                 approved_by, comment_enc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(erasure_id).bind(tenant_id).bind(record.kind.as_str()).bind(record.id)
                .bind(if record.kind == RecordKind::Procedure { record.label.clone() } else { String::new() })
                .bind(record.last_day.to_string()).bind(ts(request.at)).bind(ts(now)).bind(caller.principal.account_id)
                .bind(comment_enc).execute(c).await.map(|r| r.rows_affected()))?;
            let object_kind = match record.kind {
                RecordKind::Procedure => "procedure",
                _ => "account",
            };
            self.audit(
                &mut tx,
                &caller.actor(),
                &AuditRecord::new(AuditAction::Delete, object_kind, record.id).in_tenant(Some(tenant_id)).detail(
                    format!("erased after its retention period ended on {} (erasure {erasure_id})", record.last_day),
                ),
            )
            .await?;
            ids.push(erasure_id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The municipality's erasures, newest first, with the officer's comments decrypted: for the officer's register.
    pub async fn erasures(&self, caller: &Caller<'_>) -> Result<Vec<ErasureView>, StoreError> {
        let tenant_id = officer(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let rows: Vec<ErasureRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT e.id, e.kind, e.object_id, e.label, e.period_ended_on, e.erased_at, a.login, e.comment_enc \
             FROM erasure e LEFT JOIN account a ON a.id = e.approved_by WHERE e.tenant_id = $1 \
             ORDER BY e.erased_at DESC, e.id")
            .bind(tenant_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, kind, object_id, label, period_ended_on, erased_at, by, comment_enc) in rows {
            out.push(ErasureView {
                id,
                kind: RecordKind::parse(&kind)
                    .map_err(|_| StoreError::Corrupt(format!("erasure {id}: kind {kind}")))?,
                object_id,
                label,
                period_ended_on,
                erased_at: erased_at.to_jiff(),
                approved_by: by.unwrap_or_default(),
                comment: keys.decrypt("erasure.comment", id, &comment_enc)?,
            });
        }
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "erasure", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(format!("{} erasures listed with comments", out.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Housekeeping: deletes drafts untouched for their municipality's period. Returns how many.
    pub async fn purge_drafts(&self) -> Result<u64, StoreError> {
        let rule = RecordKind::FormDraft.rule();
        let set: Vec<(Uuid, i32)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT tenant_id, amount FROM tenant_retention_setting WHERE kind = $1")
            .bind(rule.kind.as_str()).fetch_all(p).await)?;
        let cutoff = |days: u32| ts(self.now() - SignedDuration::from_hours(24 * i64::from(days)));
        let mut done = 0;
        for (tenant, days) in &set {
            let days = u32::try_from(*days).unwrap_or(rule.default);
            done += on_pool!(&self.db, p => sqlx::query("DELETE FROM form_draft WHERE tenant_id = $1 AND updated_at < $2")
                .bind(tenant).bind(cutoff(days)).execute(p).await.map(|r| r.rows_affected()))?;
        }
        done += on_pool!(&self.db, p => sqlx::query(
            "DELETE FROM form_draft WHERE updated_at < $1 AND tenant_id NOT IN \
             (SELECT tenant_id FROM tenant_retention_setting WHERE kind = $2)")
            .bind(cutoff(rule.default)).bind(rule.kind.as_str()).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done)
    }

    /// Deletes every row of one procedure, keeping what it counted for in the statutory figures of each year from its
    /// opening to this one as the anonymous trace.
    async fn erase_procedure(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), StoreError> {
        let (opened_at,): (jiff_sqlx::Timestamp,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT opened_at FROM procedure WHERE id = $1 AND tenant_id = $2")
            .bind(id).bind(tenant_id).fetch_one(c).await)?;
        let year_of = |t: Timestamp| {
            domain::calendar::warsaw_date(t).map(|d| d.year()).map_err(|e| StoreError::Internal(e.to_string()))
        };
        let years = year_of(opened_at.to_jiff())?..=year_of(self.now())?;
        let mut before = BTreeMap::new();
        for year in years.clone() {
            before.insert(year, self.live_statutory_figures(tx, principal, tenant_id, year).await?);
        }
        delete_procedure_rows(tx, id).await?;
        for year in years {
            let after = self.live_statutory_figures(tx, principal, tenant_id, year).await?;
            let Some(was) = before.get(&year) else { continue };
            for (line, value) in was {
                let delta = value - after.get(line).copied().unwrap_or(0);
                if delta == 0 {
                    continue;
                }
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO statutory_erased (tenant_id, year, line_id, value) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (tenant_id, year, line_id) DO UPDATE SET value = statutory_erased.value + excluded.value")
                    .bind(tenant_id).bind(i32::from(year)).bind(*line).bind(delta)
                    .execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        Ok(())
    }
}

/// Every row that belongs to the procedure, children first (the foreign keys refuse any other order).
async fn delete_procedure_rows(tx: &mut Tx, id: Uuid) -> Result<(), StoreError> {
    const STATEMENTS: [&str; 19] = [
        "DELETE FROM field_seal_viewer WHERE seal_id IN (SELECT id FROM field_seal WHERE procedure_id = $1)",
        "DELETE FROM field_seal WHERE procedure_id = $1",
        "DELETE FROM procedure_closing WHERE procedure_id = $1",
        "DELETE FROM statutory_form_persons WHERE form_id IN (SELECT id FROM procedure_form WHERE procedure_id = $1)",
        "DELETE FROM person_search WHERE procedure_id = $1",
        "DELETE FROM procedure_form WHERE procedure_id = $1",
        "DELETE FROM case_record WHERE procedure_id = $1",
        "DELETE FROM procedure_command WHERE procedure_id = $1",
        "DELETE FROM group_member WHERE procedure_id = $1",
        "DELETE FROM person_match WHERE procedure_id = $1",
        "DELETE FROM case_grant WHERE procedure_id = $1",
        // The releases of copies go with the documentation they copied (their recipients are personal data too).
        "DELETE FROM case_release WHERE procedure_id = $1",
        "DELETE FROM procedure_transfer WHERE procedure_id = $1",
        "DELETE FROM form_draft WHERE procedure_id = $1",
        // A form A attached to the case or that opened it is part of its documentation.
        "DELETE FROM form_a_intake WHERE procedure_id = $1",
        "DELETE FROM email_outbox WHERE procedure_id = $1 OR notification_id IN \
         (SELECT id FROM notification WHERE procedure_id = $1)",
        "DELETE FROM notification WHERE procedure_id = $1",
        // The county's reference stays (its certificates are the county's figures) but no longer leads to the case.
        "UPDATE county_referral_reference SET procedure_id = NULL, referral_id = NULL WHERE procedure_id = $1",
        // Last: a table added later that points at the case without a line here fails on its foreign key.
        "DELETE FROM procedure WHERE id = $1",
    ];
    for sql in STATEMENTS {
        on_tx!(tx, c => sqlx::query(sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Overwrites a departed account's personal fields and login, and deletes what only it used.
async fn erase_account(tx: &mut Tx, id: Uuid) -> Result<(), StoreError> {
    let login = format!("usuniete-{}", id.simple());
    const STATEMENTS: [&str; 7] = [
        // Without roles, an erased account reactivated by mistake can see nothing.
        "DELETE FROM account_role WHERE account_id = $1",
        "DELETE FROM session WHERE account_id = $1",
        "DELETE FROM api_token WHERE account_id = $1",
        "DELETE FROM one_time_link WHERE account_id = $1",
        "DELETE FROM form_draft WHERE account_id = $1",
        "DELETE FROM email_outbox WHERE account_id = $1",
        "DELETE FROM notification WHERE account_id = $1",
    ];
    for sql in STATEMENTS {
        on_tx!(tx, c => sqlx::query(sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE account SET login = $2, password_hash = NULL, totp_secret_enc = NULL, totp_confirmed = FALSE, \
         totp_last_step = NULL, full_name_enc = NULL, email_enc = NULL, phone_enc = NULL, position_enc = NULL WHERE id = $1")
        .bind(id).bind(login).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

async fn settings_of(tx: &mut Tx, tenant_id: Uuid) -> Result<Vec<RetentionSetting>, StoreError> {
    let rows: Vec<(String, i32)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT kind, amount FROM tenant_retention_setting WHERE tenant_id = $1")
        .bind(tenant_id).fetch_all(c).await)?;
    Ok(RecordKind::ALL
        .into_iter()
        .map(|kind| {
            let rule = kind.rule();
            match rows.iter().find(|(k, _)| k == kind.as_str()).and_then(|(_, n)| u32::try_from(*n).ok()) {
                Some(amount) => RetentionSetting { rule, amount, is_default: false },
                None => RetentionSetting { rule, amount: rule.default, is_default: true },
            }
        })
        .collect())
}

/// The records due in `tenant_id` at `now`.
async fn due_in(tx: &mut Tx, tenant_id: Uuid, now: Timestamp) -> Result<Vec<DueRecord>, StoreError> {
    let settings = settings_of(tx, tenant_id).await?;
    let amount =
        |kind: RecordKind| settings.iter().find(|s| s.rule.kind == kind).map_or(kind.rule().default, |s| s.amount);
    let today = domain::calendar::warsaw_date(now).map_err(|e| StoreError::Internal(e.to_string()))?;
    let mut due = Vec::new();
    let phases = ENDED.map(|p| format!("'{}'", p.as_str())).join(", ");
    let procedures: Vec<(Uuid, String, Option<jiff_sqlx::Timestamp>)> = on_tx!(tx, c => sqlx::query_as(
        sqlx::AssertSqlSafe(format!(
        "SELECT p.id, p.number, (SELECT MAX(c.at) FROM procedure_command c WHERE c.procedure_id = p.id) \
         FROM procedure p WHERE p.tenant_id = $1 AND p.phase IN ({phases})")))
        .bind(tenant_id).fetch_all(c).await)?;
    let accounts: Vec<(Uuid, String, Option<jiff_sqlx::Timestamp>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, login, deactivated_at FROM account WHERE tenant_id = $1 AND active = FALSE \
         AND deactivated_at IS NOT NULL \
         AND id NOT IN (SELECT object_id FROM erasure WHERE kind = 'departed_account')")
        .bind(tenant_id).fetch_all(c).await)?;
    let found = procedures
        .into_iter()
        .map(|(id, label, at)| (RecordKind::Procedure, id, label, at))
        .chain(accounts.into_iter().map(|(id, label, at)| (RecordKind::DepartedAccount, id, label, at)));
    for (kind, id, label, at) in found {
        let Some(at) = at else { continue };
        let since = domain::calendar::warsaw_date(at.to_jiff()).map_err(|e| StoreError::Internal(e.to_string()))?;
        let last_day = kind.rule().last_day(since, amount(kind)).map_err(|e| StoreError::Internal(e.to_string()))?;
        if last_day < today {
            due.push(DueRecord { kind, id, label, since, last_day });
        }
    }
    due.sort_by(|a, b| a.last_day.cmp(&b.last_day).then_with(|| a.label.cmp(&b.label)));
    Ok(due)
}

/// The municipality of a data protection officer; `NotFound` for anyone else.
fn officer(principal: &Principal) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(tenant_id) if principal.roles.permits(Permission::ReadAuditTrail) => Ok(tenant_id),
        _ => Err(StoreError::NotFound),
    }
}
