//! The keyring: per-scope data keys, wrapped by the master key, unwrapped on first use and cached.
//!
//! A scope is a tenant (its id) or the installation itself ([`INSTALLATION_SCOPE`], the nil UUID), which holds the
//! personal data of accounts that belong to no tenant. One more wrapped key, under [`AUDIT_SCOPE`], keys the audit
//! chain and its checkpoints: it is random and wrapped like the others (not derived from the master key itself), so a
//! master key rotation re-wraps it and the chain written before the rotation stays verifiable.
//!
//! A scope's data key itself can be replaced ([`crate::rotation`]): `data_key` holds the current key and its version,
//! `data_key_rotation` the next one while a rotation runs. Every `Keyring::scope_keys` call reads both versions
//! (one primary-key look-up), so a server sees a rotation the command line started, and a ciphertext names the
//! version that sealed it, so both keys open fields until the old one is retired.
//!
//! The blind-index key does not change with the data key. It was derived from the scope's first data key; the first
//! rotation stores it wrapped on its own (`index_wrapped`) before that key is retired. Re-computing the indexes would
//! mean re-deriving every look-up key from decrypted forms in the rotation's batches, with look-ups meanwhile trying
//! both keys: a mistake there silently stops recognising a family already in a case, which is a safety failure for
//! the people the procedure protects. What a data-key rotation must achieve, that the stored fields no longer open
//! with a key that may have leaked, holds without it; docs/security.md states the limit (a leaked blind-index key
//! still lets its holder test guessed PESELs against a later copy of the indexes).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use uuid::Uuid;

use crate::audit::AuditKeys;
use crate::crypto::{MasterKey, ScopeKeys, SecretKey, blind_index_key, open, seal};
use crate::db::{Batch, Slot, Tx, on_tx};
use crate::{StoreError, ts};

pub const INSTALLATION_SCOPE: Uuid = Uuid::nil();
/// The scope of the audit chain's key (the all-ones UUID: no tenant has it, tenant ids are version 7).
pub const AUDIT_SCOPE: Uuid = Uuid::max();

/// Which keys a cached [`ScopeKeys`] was built from: the current version and the next one while a rotation runs.
type KeyStamp = (i32, Option<i32>);

#[derive(Debug)]
pub struct Keyring {
    master: RwLock<MasterKey>,
    cache: RwLock<HashMap<Uuid, (KeyStamp, ScopeKeys)>>,
    /// Loaded once when the store opens ([`crate::audit::open_chain`]), so an append costs no round trip for it.
    audit: RwLock<Option<Arc<AuditKeys>>>,
}

fn wrap_aad(scope: Uuid) -> Vec<u8> {
    format!("data-key:{scope}").into_bytes()
}

/// A data key of a later version is bound to its version too, so a wrapped key cannot stand in for another version.
fn wrap_aad_versioned(scope: Uuid, version: i32) -> Vec<u8> {
    if version <= 1 { wrap_aad(scope) } else { format!("data-key:{scope}:v{version}").into_bytes() }
}

fn index_aad(scope: Uuid) -> Vec<u8> {
    format!("index-key:{scope}").into_bytes()
}

/// The wrapped keys of a scope as stored: current version and key, the separate blind-index key if any, the next
/// version and key while a rotation runs.
pub(crate) type StoredKeys = (i32, Vec<u8>, Option<Vec<u8>>, Option<i32>, Option<Vec<u8>>);

/// Queues the read of `scope`'s stored keys (for [`Keyring::scope_keys_from`]).
pub(crate) fn queue_scope_keys(batch: &mut Batch, scope: Uuid) -> Slot<StoredKeys> {
    batch
        .push(
            "SELECT d.version, d.wrapped, d.index_wrapped, r.to_version, r.wrapped FROM data_key d \
             LEFT JOIN data_key_rotation r ON r.scope_id = d.scope_id WHERE d.scope_id = $1",
        )
        .bind(scope)
        .slot()
}

/// A `data_key` row for re-wrapping: scope, version, wrapped key, wrapped blind-index key.
type WrappedScope = (Uuid, i32, Vec<u8>, Option<Vec<u8>>);

impl Keyring {
    pub fn new(master: MasterKey) -> Self {
        Keyring { master: RwLock::new(master), cache: RwLock::new(HashMap::new()), audit: RwLock::new(None) }
    }

    fn master(&self) -> MasterKey {
        self.master.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn master_path(&self) -> std::path::PathBuf {
        self.master().path
    }

    /// The keys of `scope`, creating the scope's data key inside `tx` when it has none yet. The stored versions are
    /// read every time (one primary-key look-up), so a rotation started or finished by another process is seen at
    /// the next transaction; the unwrapped keys are cached per version.
    pub(crate) async fn scope_keys(
        &self,
        tx: &mut Tx,
        scope: Uuid,
        now: jiff::Timestamp,
    ) -> Result<ScopeKeys, StoreError> {
        let mut batch = Batch::new(tx);
        let slot = queue_scope_keys(&mut batch, scope);
        let row = batch.run(tx).await?.take_optional(slot)?;
        self.scope_keys_from(tx, scope, now, row).await
    }

    /// [`Keyring::scope_keys`] from the scope's row, read by the caller in a batch of its own
    /// ([`queue_scope_keys`]).
    pub(crate) async fn scope_keys_from(
        &self,
        tx: &mut Tx,
        scope: Uuid,
        now: jiff::Timestamp,
        row: Option<StoredKeys>,
    ) -> Result<ScopeKeys, StoreError> {
        let Some((version, wrapped, index_wrapped, next_version, next_wrapped)) = row else {
            let master = self.master();
            let key = SecretKey::random();
            let wrapped = seal(&master.key, &wrap_aad(scope), key.expose())?;
            on_tx!(tx, c => sqlx::query(
                "INSERT INTO data_key (scope_id, wrapped, master_fingerprint, created_at) VALUES ($1, $2, $3, $4)")
                .bind(scope).bind(wrapped).bind(master.fingerprint()).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
            let keys = ScopeKeys::new(scope, &key);
            self.cache.write().unwrap_or_else(|e| e.into_inner()).insert(scope, ((1, None), keys.clone()));
            return Ok(keys);
        };
        let stamp = (version, next_version);
        if let Some((cached, keys)) = self.cache.read().unwrap_or_else(|e| e.into_inner()).get(&scope)
            && *cached == stamp
        {
            return Ok(keys.clone());
        }
        let master = self.master();
        let current = unwrap_key(&master, scope, version, &wrapped)?;
        let blind_index = match &index_wrapped {
            Some(w) => unwrap_with(&master, scope, &index_aad(scope), w)?,
            None if version == 1 => blind_index_key(&current),
            None => return Err(StoreError::Key(format!("the blind-index key of scope {scope} is missing"))),
        };
        let keys = match (next_version, &next_wrapped) {
            (Some(next_version), Some(next_wrapped)) => {
                let next = unwrap_key(&master, scope, next_version, next_wrapped)?;
                ScopeKeys::versioned(
                    scope,
                    (as_version(next_version)?, &next),
                    Some((as_version(version)?, &current)),
                    blind_index,
                )
            }
            _ => ScopeKeys::versioned(scope, (as_version(version)?, &current), None, blind_index),
        };
        self.cache.write().unwrap_or_else(|e| e.into_inner()).insert(scope, (stamp, keys.clone()));
        Ok(keys)
    }

    /// Creates the next data key of `scope` inside `tx` and records the rotation (cursor at the first table); keeps
    /// the blind-index key apart first, if it was still derived from the first data key. Returns the versions.
    pub(crate) async fn begin_rotation(
        &self,
        tx: &mut Tx,
        scope: Uuid,
        first_table: &str,
        now: jiff::Timestamp,
    ) -> Result<(i32, i32), StoreError> {
        let master = self.master();
        let (version, wrapped, index_wrapped): (i32, Vec<u8>, Option<Vec<u8>>) = on_tx!(tx, c => sqlx::query_as(
            "SELECT version, wrapped, index_wrapped FROM data_key WHERE scope_id = $1")
            .bind(scope).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)?;
        if index_wrapped.is_none() {
            let current = unwrap_key(&master, scope, version, &wrapped)?;
            let index = seal(&master.key, &index_aad(scope), blind_index_key(&current).expose())?;
            on_tx!(tx, c => sqlx::query("UPDATE data_key SET index_wrapped = $1 WHERE scope_id = $2")
                .bind(index).bind(scope).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let next_version = version + 1;
        let next = SecretKey::random();
        let next_wrapped = seal(&master.key, &wrap_aad_versioned(scope, next_version), next.expose())?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO data_key_rotation (scope_id, from_version, to_version, wrapped, master_fingerprint, \
             table_name, after_id, rows_done, started_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, 0, $7)")
            .bind(scope).bind(version).bind(next_version).bind(next_wrapped).bind(master.fingerprint())
            .bind(first_table).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        Ok((version, next_version))
    }

    /// Makes the rotation's key the scope's current key and forgets the old one, inside `tx`. The caller has checked
    /// that no field under the old key remains.
    pub(crate) async fn end_rotation(&self, tx: &mut Tx, scope: Uuid) -> Result<(), StoreError> {
        let (to_version, wrapped, fingerprint): (i32, Vec<u8>, String) = on_tx!(tx, c => sqlx::query_as(
            "SELECT to_version, wrapped, master_fingerprint FROM data_key_rotation WHERE scope_id = $1")
            .bind(scope).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)?;
        on_tx!(tx, c => sqlx::query(
            "UPDATE data_key SET version = $1, wrapped = $2, master_fingerprint = $3 WHERE scope_id = $4")
            .bind(to_version).bind(wrapped).bind(fingerprint).bind(scope).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("DELETE FROM data_key_rotation WHERE scope_id = $1")
            .bind(scope).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Loads the audit chain's key inside `tx`, creating it when there is none and `create` allows it; `None` when
    /// there is none and it may not be created.
    pub(crate) async fn load_audit_keys(
        &self,
        tx: &mut Tx,
        create: bool,
        now: jiff::Timestamp,
    ) -> Result<Option<Arc<AuditKeys>>, StoreError> {
        let master = self.master();
        let row: Option<(Vec<u8>,)> = on_tx!(tx, c => sqlx::query_as("SELECT wrapped FROM data_key WHERE scope_id = $1")
            .bind(AUDIT_SCOPE).fetch_optional(c).await)?;
        let root = match row {
            Some((wrapped,)) => unwrap_key(&master, AUDIT_SCOPE, 1, &wrapped)?,
            None if create => {
                let key = SecretKey::random();
                let wrapped = seal(&master.key, &wrap_aad(AUDIT_SCOPE), key.expose())?;
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO data_key (scope_id, wrapped, master_fingerprint, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(AUDIT_SCOPE).bind(wrapped).bind(master.fingerprint()).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
                key
            }
            None => return Ok(None),
        };
        let keys = Arc::new(AuditKeys::new(&root));
        *self.audit.write().unwrap_or_else(|e| e.into_inner()) = Some(keys.clone());
        Ok(Some(keys))
    }

    /// The audit chain's keys, loaded when the store opened.
    pub(crate) fn audit_keys(&self) -> Result<Arc<AuditKeys>, StoreError> {
        self.audit
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| StoreError::Key("the audit chain's key is not loaded".into()))
    }

    /// Re-wraps every data key under `new_master` inside `tx`: the current keys, the separate blind-index keys and the
    /// next keys of rotations in progress. The caller commits, then calls [`Keyring::adopt`].
    pub(crate) async fn rewrap_all(&self, tx: &mut Tx, new_master: &MasterKey) -> Result<usize, StoreError> {
        let master = self.master();
        let rows: Vec<WrappedScope> = on_tx!(tx, c => sqlx::query_as(
            "SELECT scope_id, version, wrapped, index_wrapped FROM data_key").fetch_all(c).await)?;
        for (scope, version, wrapped, index_wrapped) in &rows {
            let key = unwrap_key(&master, *scope, *version, wrapped)?;
            let rewrapped = seal(&new_master.key, &wrap_aad_versioned(*scope, *version), key.expose())?;
            let index = match index_wrapped {
                Some(w) => {
                    let index = unwrap_with(&master, *scope, &index_aad(*scope), w)?;
                    Some(seal(&new_master.key, &index_aad(*scope), index.expose())?)
                }
                None => None,
            };
            on_tx!(tx, c => sqlx::query(
                "UPDATE data_key SET wrapped = $1, master_fingerprint = $2, index_wrapped = $3 WHERE scope_id = $4")
                .bind(rewrapped).bind(new_master.fingerprint()).bind(index).bind(*scope).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let rotations: Vec<(Uuid, i32, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT scope_id, to_version, wrapped FROM data_key_rotation").fetch_all(c).await)?;
        for (scope, version, wrapped) in &rotations {
            let key = unwrap_key(&master, *scope, *version, wrapped)?;
            let rewrapped = seal(&new_master.key, &wrap_aad_versioned(*scope, *version), key.expose())?;
            on_tx!(tx, c => sqlx::query(
                "UPDATE data_key_rotation SET wrapped = $1, master_fingerprint = $2 WHERE scope_id = $3")
                .bind(rewrapped).bind(new_master.fingerprint()).bind(*scope).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(rows.len())
    }

    pub(crate) fn adopt(&self, new_master: MasterKey) {
        *self.master.write().unwrap_or_else(|e| e.into_inner()) = new_master;
    }

    pub fn fingerprint(&self) -> String {
        self.master().fingerprint()
    }
}

fn unwrap_key(master: &MasterKey, scope: Uuid, version: i32, wrapped: &[u8]) -> Result<SecretKey, StoreError> {
    unwrap_with(master, scope, &wrap_aad_versioned(scope, version), wrapped)
}

fn unwrap_with(master: &MasterKey, scope: Uuid, aad: &[u8], wrapped: &[u8]) -> Result<SecretKey, StoreError> {
    let bytes = open(&master.key, aad, wrapped).map_err(|_| {
        StoreError::Key(format!(
            "the data key of scope {scope} does not open with the master key {} (fingerprint {}); is this the right key file?",
            master.path.display(),
            master.fingerprint()
        ))
    })?;
    let array: [u8; 32] = bytes.try_into().map_err(|_| StoreError::Key("a data key has the wrong length".into()))?;
    Ok(SecretKey::from_bytes(array))
}

fn as_version(version: i32) -> Result<u32, StoreError> {
    u32::try_from(version).map_err(|_| StoreError::Key(format!("data key version {version} is out of range")))
}
