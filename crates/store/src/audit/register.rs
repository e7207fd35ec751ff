//! The data protection officer's register (issue 20, item 7): per case, every read of its personal data from the
//! audit trail, its break-glass openings and its seals with their reasons; and a municipality-wide count for a period.
//!
//! Guarantees:
//! - Only a data protection officer of the case's municipality (whoever `Permission::ReadAuditTrail` admits); anyone
//!   else, and a case of another municipality, gets `NotFound`.
//! - A case's reads are the `read_personal_data` entries whose object is the case itself or something of it (a record,
//!   a seal, a transfer); nothing of the case's content is read, only what the audit entry names.
//! - Every view and export of the register is itself audited (object `dpo_register`).
//! - Releases of copies (item 2) come from `case_release`, with their recipients and purposes decrypted for the
//!   officer. Erasures (item 5) are not recorded anywhere yet; the register has no section for them rather than an
//!   empty one that would look like a clean record.

use crate::Caller;
use domain::audit::AuditAction;
use domain::forms::seal::SealKind;
use domain::identity::{Permission, Role};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::procedure::GrantView;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// Object kinds whose id is the case's own id.
const CASE_OBJECTS: [&str; 5] = ["procedure", "procedure_document", "procedure_closing", "case_grant", "case_releases"];
/// Object kinds whose id is a row of the case, with the table holding that row's `procedure_id`.
const CASE_ROW_OBJECTS: [(&str, &str); 4] = [
    ("case_record", "case_record"),
    ("field_seal", "field_seal"),
    ("procedure_transfer", "procedure_transfer"),
    ("case_release", "case_release"),
];

/// What the officer asks of one case's register.
#[derive(Debug, Clone, Default)]
pub struct CaseRegisterQuery {
    /// The case number as typed ("NK/2026/0001"; case does not matter).
    pub number: String,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Reads older than this sequence number (paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
    /// An export for an inspection (audited as such) rather than a page.
    pub export: bool,
}

/// Who acted, as the register names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterActor {
    pub login: String,
    /// The account's full name; empty for the operator or an account without one.
    pub full_name: String,
    pub roles: Vec<Role>,
}

/// One read of the case's personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRead {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: RegisterActor,
    /// What was read: the audit entry's object kind (`procedure`, `case_record`, ...).
    pub object_kind: String,
    pub address: Option<String>,
}

/// A seal of the case with its reasons, decrypted for the officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealEvent {
    pub id: Uuid,
    pub kind: SealKind,
    pub sealed_at: Timestamp,
    pub sealed_by: Option<String>,
    pub reason: String,
    pub unsealed_at: Option<Timestamp>,
    pub unsealed_by: Option<String>,
    pub unseal_reason: Option<String>,
}

/// One case's register.
#[derive(Debug, Clone)]
pub struct CaseRegister {
    pub procedure_id: Uuid,
    pub number: String,
    /// Newest first, at most the query's limit.
    pub reads: Vec<RegisterRead>,
    pub break_glass: Vec<GrantView>,
    pub seals: Vec<SealEvent>,
    /// The copies released, newest first.
    pub releases: Vec<crate::procedure::ReleaseView>,
}

/// How many entries of one kind one account made in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub actor: RegisterActor,
    pub action: String,
    pub object_kind: String,
    pub count: i64,
}

type ReadRow = (i64, jiff_sqlx::Timestamp, Option<Uuid>, Option<String>, String, Option<String>);
/// Who, what, of which kind, how many.
type CountRow = (Option<Uuid>, Option<String>, String, String, i64);
type SealRow = (
    Uuid,
    String,
    jiff_sqlx::Timestamp,
    Option<String>,
    Vec<u8>,
    Option<jiff_sqlx::Timestamp>,
    Option<String>,
    Option<Vec<u8>>,
);

impl Store {
    /// One case's register for its municipality's data protection officer; the read (or export) is audited.
    pub async fn case_register(
        &self,
        caller: &Caller<'_>,
        query: &CaseRegisterQuery,
    ) -> Result<CaseRegister, StoreError> {
        let tenant_id = officer(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let case: Option<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, number FROM procedure WHERE tenant_id = $1 AND UPPER(number) = UPPER($2)")
            .bind(tenant_id).bind(query.number.trim()).fetch_optional(c).await)?;
        let Some((procedure_id, number)) = case else { return Err(StoreError::NotFound) };

        // The object ids that belong to the case, as the audit trail writes them (text).
        let mut ids: Vec<(&str, String)> = CASE_OBJECTS.iter().map(|kind| (*kind, procedure_id.to_string())).collect();
        for (kind, table) in CASE_ROW_OBJECTS {
            let rows: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM {table} WHERE procedure_id = $1"))).bind(procedure_id).fetch_all(c).await)?;
            ids.extend(rows.into_iter().map(|(id,)| (kind, id.to_string())));
        }
        // `+tenant_id` keeps SQLite (without statistics) off the tenant index, which walks the whole trail, and on
        // `audit_entry_object` (migration 0024); PostgreSQL's planner picks that index by itself.
        let tenant_term = if matches!(tx, Tx::Sqlite(..)) { "+tenant_id" } else { "tenant_id" };
        let mut sql = format!(
            "SELECT seq, at, actor_id, actor_login, object_kind, address FROM audit_entry \
             WHERE {tenant_term} = $1 AND action = $2 AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4) \
             AND ($5 IS NULL OR seq < $5) AND (",
        );
        for i in 0..ids.len() {
            let n = 7 + 2 * i;
            if i > 0 {
                sql.push_str(" OR ");
            }
            sql.push_str(&format!("(object_kind = ${n} AND object_id = ${})", n + 1));
        }
        sql.push_str(") ORDER BY seq DESC LIMIT $6");
        let limit = query.limit.clamp(1, 100_000);
        let rows: Vec<ReadRow> = on_tx!(&mut tx, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(tenant_id)
                .bind(AuditAction::ReadPersonalData.as_str())
                .bind(query.from.map(ts))
                .bind(query.until.map(ts))
                .bind(query.before_seq)
                .bind(limit);
            for (kind, id) in &ids {
                q = q.bind(*kind).bind(id.clone());
            }
            q.fetch_all(c).await
        })?;
        let mut actors = ActorNames::default();
        let mut reads = Vec::with_capacity(rows.len());
        for (seq, at, actor_id, login, object_kind, address) in rows {
            let actor = actors.get(self, &mut tx, tenant_id, actor_id, login).await?;
            reads.push(RegisterRead { seq, at: at.to_jiff(), actor, object_kind, address });
        }

        let break_glass = self.break_glass_of_case(&mut tx, procedure_id).await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let seal_rows: Vec<SealRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT s.id, s.kind, s.sealed_at, a.login, s.reason_enc, s.unsealed_at, b.login, s.unseal_reason_enc \
             FROM field_seal s LEFT JOIN account a ON a.id = s.sealed_by LEFT JOIN account b ON b.id = s.unsealed_by \
             WHERE s.procedure_id = $1 ORDER BY s.sealed_at, s.id")
            .bind(procedure_id).fetch_all(c).await)?;
        let mut seals = Vec::with_capacity(seal_rows.len());
        for (id, kind, sealed_at, sealed_by, reason_enc, unsealed_at, unsealed_by, unseal_enc) in seal_rows {
            seals.push(SealEvent {
                id,
                kind: SealKind::parse(&kind)
                    .map_err(|_| StoreError::Corrupt(format!("field_seal {id}: kind {kind}")))?,
                sealed_at: sealed_at.to_jiff(),
                sealed_by,
                reason: keys.decrypt("field_seal.reason", id, &reason_enc)?,
                unsealed_at: unsealed_at.map(|t| t.to_jiff()),
                unsealed_by,
                unseal_reason: unseal_enc.map(|b| keys.decrypt("field_seal.unseal_reason", id, &b)).transpose()?,
            });
        }
        let releases = crate::procedure::releases_of(self, &mut tx, tenant_id, procedure_id).await?;
        let what = if query.export { "exported for an inspection" } else { "viewed" };
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "dpo_register", procedure_id)
                .in_tenant(Some(tenant_id))
                .detail(format!(
                    "case register {what}: {} reads, {} break-glass, {} seals with reasons, {} releases",
                    reads.len(),
                    break_glass.len(),
                    seals.len(),
                    releases.len()
                )),
        )
        .await?;
        tx.commit().await?;
        Ok(CaseRegister { procedure_id, number, reads, break_glass, seals, releases })
    }

    /// The municipality's audit entries in `[from, until)` counted per account, action and object kind, for its data
    /// protection officer; the read is audited.
    pub async fn register_summary(
        &self,
        caller: &Caller<'_>,
        from: Timestamp,
        until: Timestamp,
        export: bool,
    ) -> Result<Vec<SummaryRow>, StoreError> {
        let tenant_id = officer(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let rows: Vec<CountRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT actor_id, actor_login, action, object_kind, COUNT(*) FROM audit_entry \
             WHERE tenant_id = $1 AND at >= $2 AND at < $3 \
             GROUP BY actor_id, actor_login, action, object_kind ORDER BY actor_login, action, object_kind")
            .bind(tenant_id).bind(ts(from)).bind(ts(until)).fetch_all(c).await)?;
        let mut actors = ActorNames::default();
        let mut out = Vec::with_capacity(rows.len());
        for (actor_id, login, action, object_kind, count) in rows {
            let actor = actors.get(self, &mut tx, tenant_id, actor_id, login).await?;
            out.push(SummaryRow { actor, action, object_kind, count });
        }
        let what = if export { "exported for an inspection" } else { "viewed" };
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "dpo_register", "summary")
                .in_tenant(Some(tenant_id))
                .detail(format!("summary {what}: {from} to {until}, {} rows", out.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// Names and roles of the accounts met, each looked up (and decrypted) once.
#[derive(Default)]
struct ActorNames(Vec<(Option<Uuid>, String, RegisterActor)>);

impl ActorNames {
    async fn get(
        &mut self,
        store: &Store,
        tx: &mut Tx,
        tenant_id: Uuid,
        id: Option<Uuid>,
        login: Option<String>,
    ) -> Result<RegisterActor, StoreError> {
        let login = login.unwrap_or_default();
        if let Some((_, _, actor)) = self.0.iter().find(|(i, l, _)| *i == id && *l == login) {
            return Ok(actor.clone());
        }
        let mut actor = RegisterActor { login: login.clone(), full_name: String::new(), roles: Vec::new() };
        if let Some(account) = id {
            let row: Option<(Option<Uuid>, Option<Vec<u8>>)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT tenant_id, full_name_enc FROM account WHERE id = $1").bind(account).fetch_optional(c).await)?;
            // Only names of the officer's own municipality's accounts are decrypted here.
            if let Some((Some(tenant), Some(name))) = row.filter(|(t, _)| *t == Some(tenant_id)) {
                let keys = store.keys.scope_keys(tx, tenant, store.now()).await?;
                actor.full_name = keys.decrypt("account.full_name", account, &name)?;
            }
            let roles: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT role FROM account_role WHERE account_id = $1 ORDER BY role").bind(account).fetch_all(c).await)?;
            actor.roles = roles.into_iter().filter_map(|(r,)| Role::parse(&r).ok()).collect();
        }
        self.0.push((id, login, actor.clone()));
        Ok(actor)
    }
}

/// The municipality of a data protection officer; `NotFound` for anyone else.
fn officer(principal: &Principal) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(tenant_id) if principal.roles.permits(Permission::ReadAuditTrail) => Ok(tenant_id),
        _ => Err(StoreError::NotFound),
    }
}
