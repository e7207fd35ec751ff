//! The audit trail: append-only, and chained with a key that is not in the database.
//!
//! Guarantees:
//! - Entries are written only by the store, inside the same transaction as the change or read they record, so an
//!   action and its entry commit or vanish together; no handler can forget one.
//! - Each entry holds the hash of the entry before it; `audit_head` holds the newest. Since migration 0011 an entry's
//!   hash is an HMAC-SHA-256 under the audit key ([`AuditKeys`]), which the database holds only wrapped by the master
//!   key: someone with the database but not the master key cannot recompute the chain after editing, removing or
//!   reordering entries. Entries from before keep their unkeyed SHA-256 hash (`chain_version` 1) and are verified by
//!   that rule; `audit_head.keyed_from` and its MAC pin where the keyed part begins and what it links to.
//! - A removed tail with the head moved back leaves a consistent chain in the database; what catches it is a
//!   [`Checkpoint`]: the head's sequence number and hash, signed with the audit key and kept outside the database
//!   (the file beside the master key, and the copies the data protection officer exports and keeps elsewhere).
//! - [`verify`] recomputes the chain, checks it against every checkpoint given, and names the first entry that was
//!   edited, removed, inserted or reordered. Triggers refuse UPDATE and DELETE on `audit_entry` in both engines; the
//!   chain and the checkpoints catch whoever goes around them.
//! - Details hold ids and field names, never personal data.

mod checkpoint;
mod register;
mod verify;

pub use checkpoint::{Checkpoint, checkpoint_file_beside, read_checkpoints};
pub use register::{CaseRegister, CaseRegisterQuery, RegisterActor, RegisterRead, SealEvent, SummaryRow};
pub use verify::{ChainBreak, VerifyReport, verify};

use domain::audit::AuditAction;
use hmac::Mac;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::crypto::SecretKey;
use crate::db::{Batch, Db, Slot, Tx, on_tx};
use crate::keys::Keyring;
use crate::{StoreError, ts};

/// The rule of entries written before the chain was keyed: SHA-256 over the content and the previous hash.
pub const CHAIN_UNKEYED: i16 = 1;
/// The rule of entries written since: HMAC-SHA-256 under the audit key.
pub const CHAIN_KEYED: i16 = 2;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The keys of the audit trail, derived (HKDF-SHA-256) from the audit scope's random key, which the database holds
/// only wrapped by the master key. One keys the chain and its anchor, the other signs checkpoints.
#[derive(Debug)]
pub struct AuditKeys {
    chain: SecretKey,
    checkpoint: SecretKey,
}

impl AuditKeys {
    pub(crate) fn new(root: &SecretKey) -> Self {
        AuditKeys {
            chain: root.derive(b"ostoja audit chain v2"),
            checkpoint: root.derive(b"ostoja audit checkpoint v1"),
        }
    }

    fn mac(key: &SecretKey) -> HmacSha256 {
        <HmacSha256 as hmac::KeyInit>::new_from_slice(key.expose())
            .unwrap_or_else(|_| crate::crypto::unreachable_hmac())
    }

    pub(crate) fn chain_mac(&self) -> HmacSha256 {
        Self::mac(&self.chain)
    }

    pub(crate) fn checkpoint_mac(&self) -> HmacSha256 {
        Self::mac(&self.checkpoint)
    }

    /// The MAC that pins where keyed entries begin (`keyed_from`) and the hash the first of them links to.
    pub(crate) fn anchor_mac(&self, keyed_from: i64, links_to: &[u8]) -> Vec<u8> {
        let mut mac = self.chain_mac();
        mac.update(b"ostoja-audit-anchor-v2");
        mac.update(&keyed_from.to_be_bytes());
        mac.update(links_to);
        mac.finalize().into_bytes().to_vec()
    }
}

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
    /// Which rule made `hash`: [`CHAIN_UNKEYED`] or [`CHAIN_KEYED`].
    pub chain_version: i16,
}

impl AuditEntry {
    /// The unkeyed hash (chain version 1): what entries from before migration 0011 carry, and all that someone
    /// without the master key can compute.
    pub fn compute_hash(&self) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(b"ostoja-audit-v1");
        self.feed(|bytes| h.update(bytes));
        h.finalize().to_vec()
    }

    /// The keyed hash (chain version 2).
    pub(crate) fn compute_mac(&self, keys: &AuditKeys) -> Vec<u8> {
        let mut mac = keys.chain_mac();
        mac.update(b"ostoja-audit-v2");
        self.feed(|bytes| mac.update(bytes));
        mac.finalize().into_bytes().to_vec()
    }

    /// The hash this entry must carry under its own chain version.
    pub(crate) fn expected_hash(&self, keys: &AuditKeys) -> Vec<u8> {
        if self.chain_version == CHAIN_KEYED { self.compute_mac(keys) } else { self.compute_hash() }
    }

    /// Feeds the previous hash, the sequence number, the time and every field, each length-prefixed, to `h`.
    fn feed(&self, mut h: impl FnMut(&[u8])) {
        h(&self.prev_hash);
        h(&self.seq.to_be_bytes());
        h(&self.at.as_microsecond().to_be_bytes());
        let mut field = |v: Option<&[u8]>| match v {
            None => h(&[0u8]),
            Some(bytes) => {
                h(&[1u8]);
                h(&(bytes.len() as u64).to_be_bytes());
                h(bytes);
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
    }
}

/// Readies the chain when the store opens: loads the audit key and, at the first start after migration 0011 (or on
/// a fresh database), creates it and anchors the keyed chain on the current head. Returns whether it anchored, so
/// the caller writes a checkpoint of the anchor outside the database at once.
pub(crate) async fn open_chain(db: &Db, keys: &Keyring, now: Timestamp) -> Result<bool, StoreError> {
    let (keyed_from,): (Option<i64>,) = crate::db::on_pool!(db, p => sqlx::query_as(
        "SELECT keyed_from FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
    if keyed_from.is_some() {
        let mut tx = db.begin_read().await?;
        let loaded = keys.load_audit_keys(&mut tx, false, now).await?;
        tx.commit().await?;
        return match loaded {
            Some(_) => Ok(false),
            None => Err(StoreError::Key(
                "the audit chain's key is missing from the database although the chain is keyed: the audit trail \
                 has been tampered with (restore the database from a backup)"
                    .into(),
            )),
        };
    }
    let mut tx = db.begin().await?;
    // Taking the head row serialises two processes opening at once; the second finds the anchor set.
    let (seq, hash, keyed_from): (i64, Vec<u8>, Option<i64>) = on_tx!(&mut tx, c => sqlx::query_as(
        "UPDATE audit_head SET seq = seq WHERE chain = 1 RETURNING seq, hash, keyed_from").fetch_one(c).await)?;
    if keyed_from.is_none() {
        // A keyed entry at the head means the anchor was removed, not that it was never set: refuse to re-anchor,
        // which would bless whatever was done to the chain before.
        let head_version: Option<(i16,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT chain_version FROM audit_entry WHERE seq = $1").bind(seq).fetch_optional(c).await)?;
        if head_version.map(|(v,)| v) == Some(CHAIN_KEYED) {
            return Err(StoreError::Key(
                "the audit chain's anchor is missing although keyed entries exist: the audit trail has been \
                 tampered with (restore the database from a backup)"
                    .into(),
            ));
        }
    }
    let audit_keys = keys
        .load_audit_keys(&mut tx, true, now)
        .await?
        .ok_or_else(|| StoreError::Key("the audit chain's key could not be created".into()))?;
    let anchored = keyed_from.is_none();
    if anchored {
        let keyed_from = seq + 1;
        on_tx!(&mut tx, c => sqlx::query("UPDATE audit_head SET keyed_from = $1, anchor_mac = $2 WHERE chain = 1")
            .bind(keyed_from).bind(audit_keys.anchor_mac(keyed_from, &hash)).execute(c).await.map(|r| r.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(anchored)
}

/// Appends one entry inside `tx`.
pub(crate) async fn append(
    tx: &mut Tx,
    keys: &AuditKeys,
    now: Timestamp,
    actor: &Actor,
    record: &AuditRecord,
) -> Result<i64, StoreError> {
    let place = Batch::fetch_all(tx, queue_place).await?.into_iter().next();
    let place = place.ok_or(StoreError::Database(sqlx::Error::RowNotFound))?;
    append_at(tx, keys, now, actor, record, Place::taken(place)).await
}

/// The next place in the chain, taken ahead of its entry: its sequence number and the hash it chains to.
/// Taken in a [`Batch`] with a transaction's reads ([`queue_place`]), it saves the append a round trip. It must be
/// the next entry the transaction appends ([`append_at`]): an entry appended before it would chain to the same hash.
#[must_use = "a place taken in the chain must be filled by the transaction's next entry"]
pub(crate) struct Place {
    seq: i64,
    prev_hash: Vec<u8>,
}

/// Queues the taking of the chain's next place ([`Place`]). Taking the head row first serialises concurrent appends
/// (row lock on PostgreSQL; on SQLite the transaction holds the write lock already).
pub(crate) fn queue_place(batch: &mut Batch) -> Slot<(i64, Vec<u8>)> {
    batch.push("UPDATE audit_head SET seq = seq + 1 WHERE chain = 1 RETURNING seq, hash").slot()
}

impl Place {
    /// The place from the row of [`queue_place`]: the head's new sequence number and the hash it holds.
    pub(crate) fn taken((seq, prev_hash): (i64, Vec<u8>)) -> Place {
        Place { seq, prev_hash }
    }
}

/// Appends one entry inside `tx` at the place taken for it.
pub(crate) async fn append_at(
    tx: &mut Tx,
    keys: &AuditKeys,
    now: Timestamp,
    actor: &Actor,
    record: &AuditRecord,
    place: Place,
) -> Result<i64, StoreError> {
    let Place { seq, prev_hash } = place;
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
        chain_version: CHAIN_KEYED,
    };
    entry.hash = entry.compute_mac(keys);
    // The migration's trigger `audit_head_follows_entry` moves the head's hash in the same statement. No one reads
    // the insert's result: on SQLite it goes with the transaction's next round trip (its COMMIT at the latest), and
    // an error of it still fails the transaction.
    let mut batch = Batch::new(tx);
    let _inserted: Slot<()> = batch
        .push(
            "INSERT INTO audit_entry (seq, at, tenant_id, actor_id, actor_login, action, object_kind, \
             object_id, detail, address, prev_hash, hash, chain_version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(entry.seq)
        .bind(ts(entry.at))
        .bind(entry.tenant_id)
        .bind(entry.actor_id)
        .bind(entry.actor_login)
        .bind(entry.action)
        .bind(entry.object_kind)
        .bind(entry.object_id)
        .bind(entry.detail)
        .bind(entry.address)
        .bind(entry.prev_hash)
        .bind(entry.hash)
        .bind(entry.chain_version)
        .slot();
    batch.defer(tx).await?;
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
        "SELECT seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, detail, address, prev_hash, hash, \
         chain_version FROM audit_entry \
         WHERE ($1 IS NULL OR tenant_id = $1) AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR actor_login = $3) \
           AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5) AND ($6 IS NULL OR seq < $6) \
         ORDER BY seq DESC LIMIT $7")
        .bind(filter.tenant_id).bind(&filter.action).bind(&filter.actor_login)
        .bind(filter.from.map(ts)).bind(filter.until.map(ts)).bind(filter.before_seq).bind(filter.limit.clamp(1, 500))
        .fetch_all(c).await)?;
    Ok(rows)
}
