//! The keyring: per-scope data keys, wrapped by the master key, unwrapped on first use and cached.
//!
//! A scope is a tenant (its id) or the installation itself ([`INSTALLATION_SCOPE`], the nil UUID), which holds the
//! personal data of accounts that belong to no tenant. One more wrapped key, under [`AUDIT_SCOPE`], keys the audit
//! chain and its checkpoints: it is random and wrapped like the others (not derived from the master key itself), so a
//! master key rotation re-wraps it and the chain written before the rotation stays verifiable.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use uuid::Uuid;

use crate::audit::AuditKeys;
use crate::crypto::{MasterKey, ScopeKeys, SecretKey, open, seal};
use crate::db::{Tx, on_tx};
use crate::{StoreError, ts};

pub const INSTALLATION_SCOPE: Uuid = Uuid::nil();
/// The scope of the audit chain's key (the all-ones UUID: no tenant has it, tenant ids are version 7).
pub const AUDIT_SCOPE: Uuid = Uuid::max();

#[derive(Debug)]
pub struct Keyring {
    master: RwLock<MasterKey>,
    cache: RwLock<HashMap<Uuid, ScopeKeys>>,
    /// Loaded once when the store opens ([`crate::audit::open_chain`]), so an append costs no round trip for it.
    audit: RwLock<Option<Arc<AuditKeys>>>,
}

fn wrap_aad(scope: Uuid) -> Vec<u8> {
    format!("data-key:{scope}").into_bytes()
}

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

    /// The keys of `scope`, creating the scope's data key inside `tx` when it has none yet.
    pub(crate) async fn scope_keys(
        &self,
        tx: &mut Tx,
        scope: Uuid,
        now: jiff::Timestamp,
    ) -> Result<ScopeKeys, StoreError> {
        if let Some(keys) = self.cache.read().unwrap_or_else(|e| e.into_inner()).get(&scope) {
            return Ok(keys.clone());
        }
        let master = self.master();
        let row: Option<(Vec<u8>,)> = on_tx!(tx, c => sqlx::query_as("SELECT wrapped FROM data_key WHERE scope_id = $1")
            .bind(scope).fetch_optional(c).await)?;
        let data_key = match row {
            Some((wrapped,)) => unwrap_key(&master, scope, &wrapped)?,
            None => {
                let key = SecretKey::random();
                let wrapped = seal(&master.key, &wrap_aad(scope), key.expose())?;
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO data_key (scope_id, wrapped, master_fingerprint, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(scope).bind(wrapped).bind(master.fingerprint()).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
                key
            }
        };
        let keys = ScopeKeys::new(scope, &data_key);
        self.cache.write().unwrap_or_else(|e| e.into_inner()).insert(scope, keys.clone());
        Ok(keys)
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
            Some((wrapped,)) => unwrap_key(&master, AUDIT_SCOPE, &wrapped)?,
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

    /// Re-wraps every data key under `new_master` inside `tx`. The caller commits, then calls [`Keyring::adopt`].
    pub(crate) async fn rewrap_all(&self, tx: &mut Tx, new_master: &MasterKey) -> Result<usize, StoreError> {
        let master = self.master();
        let rows: Vec<(Uuid, Vec<u8>)> =
            on_tx!(tx, c => sqlx::query_as("SELECT scope_id, wrapped FROM data_key").fetch_all(c).await)?;
        for (scope, wrapped) in &rows {
            let key = unwrap_key(&master, *scope, wrapped)?;
            let rewrapped = seal(&new_master.key, &wrap_aad(*scope), key.expose())?;
            on_tx!(tx, c => sqlx::query("UPDATE data_key SET wrapped = $1, master_fingerprint = $2 WHERE scope_id = $3")
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

fn unwrap_key(master: &MasterKey, scope: Uuid, wrapped: &[u8]) -> Result<SecretKey, StoreError> {
    let bytes = open(&master.key, &wrap_aad(scope), wrapped).map_err(|_| {
        StoreError::Key(format!(
            "the data key of scope {scope} does not open with the master key {} (fingerprint {}); is this the right key file?",
            master.path.display(),
            master.fingerprint()
        ))
    })?;
    let array: [u8; 32] = bytes.try_into().map_err(|_| StoreError::Key("a data key has the wrong length".into()))?;
    Ok(SecretKey::from_bytes(array))
}
