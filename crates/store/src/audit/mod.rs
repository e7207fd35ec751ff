//! The audit trail: append-only and hash-chained.
//!
//! Guarantees:
//! - Entries are written only by the store, inside the same transaction as the change or read they record, so an
//!   action and its entry commit or vanish together; no handler can forget one.
//! - Each entry holds the hash of the entry before it; `audit_head` holds the newest. [`verify`] recomputes the
//!   chain and names the first entry that was edited, removed or inserted. Triggers refuse UPDATE and DELETE on
//!   `audit_entry` in both engines; the chain catches whoever goes around them.
//! - Details hold ids and field names, never personal data.

mod verify;

pub use verify::{ChainBreak, VerifyReport, verify};

use domain::audit::AuditAction;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{Tx, on_tx};
use crate::{StoreError, ts};

/// Who acted: an account, or the installation itself (a command run by the operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<Uuid>,
    pub login: String,
    pub tenant_id: Option<Uuid>,
    /// The client's address, for web requests.
    pub address: Option<String>,
}

impl Actor {
    /// The operator at the command line.
    pub fn operator() -> Actor {
        Actor { account_id: None, login: "operator (command line)".into(), tenant_id: None, address: None }
    }

    /// Someone not yet logged in (a failed login attempt).
    pub fn anonymous(address: Option<String>) -> Actor {
        Actor { account_id: None, login: "anonymous".into(), tenant_id: None, address }
    }
}

/// What to record.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub tenant_id: Option<Uuid>,
    pub action: AuditAction,
    pub object_kind: &'static str,
    pub object_id: Option<String>,
    pub detail: String,
}

impl AuditRecord {
    pub fn new(action: AuditAction, object_kind: &'static str, object_id: impl ToString) -> Self {
        AuditRecord {
            tenant_id: None,
            action,
            object_kind,
            object_id: Some(object_id.to_string()),
            detail: String::new(),
        }
    }

    pub fn in_tenant(mut self, tenant_id: Option<Uuid>) -> Self {
        self.tenant_id = tenant_id;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub seq: i64,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    pub at: Timestamp,
    pub tenant_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub actor_login: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<String>,
    pub detail: String,
    pub address: Option<String>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl AuditEntry {
    /// The hash this entry must carry, given its content and the previous entry's hash.
    pub fn compute_hash(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(b"ostoja-audit-v1");
        h.update(&self.prev_hash);
        h.update(self.seq.to_be_bytes());
        h.update(self.at.as_microsecond().to_be_bytes());
        let mut field = |v: Option<&[u8]>| match v {
            None => h.update([0u8]),
            Some(bytes) => {
                h.update([1u8]);
                h.update((bytes.len() as u64).to_be_bytes());
                h.update(bytes);
            }
        };
        field(self.tenant_id.as_ref().map(|u| u.as_bytes().as_slice()));
        field(self.actor_id.as_ref().map(|u| u.as_bytes().as_slice()));
        field(self.actor_login.as_deref().map(str::as_bytes));
        field(Some(self.action.as_bytes()));
        field(Some(self.object_kind.as_bytes()));
        field(self.object_id.as_deref().map(str::as_bytes));
        field(Some(self.detail.as_bytes()));
        field(self.address.as_deref().map(str::as_bytes));
        h.finalize().to_vec()
    }
}

/// Appends one entry inside `tx`.
pub(crate) async fn append(
    tx: &mut Tx,
    now: Timestamp,
    actor: &Actor,
    record: &AuditRecord,
) -> Result<i64, StoreError> {
    // Taking the head row first serialises concurrent appends (row lock / SQLite write lock).
    let (seq, prev_hash): (i64, Vec<u8>) = on_tx!(tx, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq + 1 WHERE chain = 1 RETURNING seq, hash").fetch_one(c).await)?;
    let mut entry = AuditEntry {
        seq,
        at: crate::truncate(now),
        tenant_id: record.tenant_id.or(actor.tenant_id),
        actor_id: actor.account_id,
        actor_login: Some(actor.login.clone()),
        action: record.action.as_str().to_owned(),
        object_kind: record.object_kind.to_owned(),
        object_id: record.object_id.clone(),
        detail: record.detail.clone(),
        address: actor.address.clone(),
        prev_hash,
        hash: Vec::new(),
    };
    entry.hash = entry.compute_hash();
    // The migration's trigger `audit_head_follows_entry` moves the head's hash in the same statement.
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO audit_entry (seq, at, tenant_id, actor_id, actor_login, action, object_kind, \
         object_id, detail, address, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(entry.seq)
        .bind(ts(entry.at))
        .bind(entry.tenant_id)
        .bind(entry.actor_id)
        .bind(&entry.actor_login)
        .bind(&entry.action)
        .bind(&entry.object_kind)
        .bind(&entry.object_id)
        .bind(&entry.detail)
        .bind(&entry.address)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(seq)
}

/// Filters for the data protection officer's list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries of this tenant only (a tenant's officer sees their tenant's entries).
    pub tenant_id: Option<Uuid>,
    pub action: Option<String>,
    pub actor_login: Option<String>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Entries older than this sequence number (paging backwards).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

pub(crate) async fn list(tx: &mut Tx, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = on_tx!(tx, c => sqlx::query_as::<_, AuditEntry>(
        "SELECT seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, detail, address, prev_hash, hash \
         FROM audit_entry \
         WHERE ($1 IS NULL OR tenant_id = $1) AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR actor_login = $3) \
           AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) AND ($6 IS NULL OR seq < $6) \
         ORDER BY seq DESC LIMIT $7")
        .bind(filter.tenant_id).bind(&filter.action).bind(&filter.actor_login)
        .bind(filter.from.map(ts)).bind(filter.until.map(ts)).bind(filter.before_seq).bind(filter.limit.clamp(1, 500))
        .fetch_all(c).await)?;
    Ok(rows)
}
