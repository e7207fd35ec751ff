//! The keyring: per-scope data keys, wrapped by the master key, unwrapped on first use and cached.
//!
//! A scope is a tenant (its id) or the installation itself ([`INSTALLATION_SCOPE`], the nil UUID), which holds the
//! personal data of accounts that belong to no tenant.

use std::collections::HashMap;
use std::sync::RwLock;

use uuid::Uuid;

use crate::crypto::{MasterKey, ScopeKeys, SecretKey, open, seal};
use crate::db::{Tx, on_tx};
use crate::{StoreError, ts};

pub const INSTALLATION_SCOPE: Uuid = Uuid::nil();

#[derive(Debug)]
pub struct Keyring {
    master: RwLock<MasterKey>,
    cache: RwLock<HashMap<Uuid, ScopeKeys>>,
}

fn wrap_aad(scope: Uuid) -> Vec<u8> {
    format!("data-key:{scope}").into_bytes()
}

impl Keyring {
    pub fn new(master: MasterKey) -> Self {
        Keyring { master: RwLock::new(master), cache: RwLock::new(HashMap::new()) }
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
