#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub(crate) mod access;
pub mod area;
mod area_cache;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod county;
pub mod crypto;
pub mod db;
pub mod drafts;
mod error;
pub mod files;
pub mod identity;
pub mod keys;
pub mod notify;
pub mod platform;
pub mod procedure;
pub mod programme;
pub mod retention;
pub mod rotation;
pub mod row_security;
pub mod team;
pub mod tenant;
#[cfg(feature = "testing")]
pub mod testing;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use domain::audit::AuditAction;
use domain::clock::SharedClock;
use jiff::Timestamp;

pub use audit::{Actor, AuditEntry, AuditFilter, AuditRecord};
pub use db::{Db, Tx};
pub use error::StoreError;
pub use identity::Caller;

use crate::crypto::{MasterKey, load_or_create_master_key};
use crate::keys::Keyring;

/// Where the data lives.
#[derive(Debug, Clone)]
pub struct StorageOptions {
    /// The data directory: the SQLite database and, by default, the master key.
    pub data_dir: PathBuf,
    /// PostgreSQL instead of the embedded SQLite.
    pub database_url: Option<String>,
    /// The master key file; default `<data_dir>/master.key`.
    pub master_key_file: Option<PathBuf>,
}

impl StorageOptions {
    pub fn master_key_path(&self) -> PathBuf {
        self.master_key_file.clone().unwrap_or_else(|| self.data_dir.join("master.key"))
    }
}

/// The store: the database, the keyring and the clock.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) keys: Arc<Keyring>,
    pub(crate) clock: SharedClock,
    pub(crate) sessions: identity::SessionPolicy,
    /// Whether notifications also queue e-mails (SMTP is configured).
    pub(crate) email_outbox: bool,
    /// Cases' states replayed from their command logs, by log version, for the home page's deadlines.
    pub(crate) replays: Arc<procedure::replay_cache::ReplayCache>,
    /// The statutory set's per-procedure and per-person figures, by municipality-year, while its procedures are
    /// unchanged.
    pub(crate) year_figures: Arc<programme::year_figures_cache::YearFiguresCache>,
    /// Each municipality's running cases with their clocks, while its cases and records are unchanged, for the home
    /// page's counts.
    pub(crate) days: Arc<procedure::day_cache::DayCache>,
    /// Each county's and region's protected figures by year, while the same versions of its municipalities' sets
    /// count.
    pub(crate) area_lines: Arc<area_cache::AreaLinesCache>,
}

impl Store {
    /// Opens the database named by `options`, applies migrations, and loads (or at first start creates) the master
    /// key.
    pub async fn open(options: &StorageOptions, clock: SharedClock) -> Result<Store, StoreError> {
        // Migrations and finishing an interrupted key rotation touch every tenant's rows.
        row_security::crossing_tenants("opening the store", Self::open_crossing_tenants(options, clock)).await
    }

    async fn open_crossing_tenants(options: &StorageOptions, clock: SharedClock) -> Result<Store, StoreError> {
        let db = match &options.database_url {
            Some(url) => Db::open_postgres(url).await?,
            None => Db::open_sqlite(&options.data_dir).await?,
        };
        db.migrate().await?;
        let key_path = options.master_key_path();
        // A master key may be created only for a database that holds no wrapped data keys yet: a missing key file
        // for an existing database means the data cannot be read, and a fresh key would hide that.
        let has_keys =
            db::on_pool!(&db, p => sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM data_key").fetch_one(p).await)?.0
                > 0;
        if has_keys {
            finish_interrupted_rotation(&db, &key_path).await?;
        }
        let (master, created) = load_or_create_master_key(&key_path, !has_keys)?;
        let store = Store {
            db,
            keys: Arc::new(Keyring::new(master)),
            clock,
            sessions: identity::SessionPolicy::default(),
            email_outbox: false,
            replays: Arc::default(),
            year_figures: Arc::default(),
            days: Arc::default(),
            area_lines: Arc::default(),
        };
        if audit::open_chain(&store.db, &store.keys, store.now()).await?
            && let Err(e) = store.audit_checkpoint().await
        {
            // The anchor's first checkpoint: from now on re-anchoring the chain in the database shows. A key folder
            // the server cannot write (a read-only secret mount) must not stop it from starting.
            tracing::warn!(error = %e, "could not write the audit chain's first checkpoint beside the master key");
        }
        if created {
            let mut tx = store.db.begin().await?;
            store
                .audit(
                    &mut tx,
                    &Actor::operator(),
                    &AuditRecord::new(AuditAction::KeyCreated, "master_key", store.keys.fingerprint()),
                )
                .await?;
            tx.commit().await?;
            tracing::info!(path = %key_path.display(), "created a new master key; keep a copy of it apart from the backups");
        }
        Ok(store)
    }

    pub fn with_session_policy(mut self, policy: identity::SessionPolicy) -> Self {
        self.sessions = policy;
        self
    }

    /// Notifications also queue e-mails (set when SMTP is configured; without it, in-app only).
    pub fn with_email_outbox(mut self, enabled: bool) -> Self {
        self.email_outbox = enabled;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn master_key_path(&self) -> PathBuf {
        self.keys.master_path()
    }

    /// Writes an audit entry inside `tx`.
    pub(crate) async fn audit(&self, tx: &mut Tx, actor: &Actor, record: &AuditRecord) -> Result<i64, StoreError> {
        let keys = self.keys.audit_keys()?;
        audit::append(tx, &keys, self.now(), actor, record).await
    }

    /// Writes an audit entry inside `tx` at the place in the chain taken for it ([`audit::Place`]).
    pub(crate) async fn audit_at(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        record: &AuditRecord,
        place: audit::Place,
    ) -> Result<i64, StoreError> {
        let keys = self.keys.audit_keys()?;
        audit::append_at(tx, &keys, self.now(), actor, record, place).await
    }

    /// Records an event that changes nothing else (a failed login, a rejected token, a logout).
    pub async fn record_event(&self, actor: &Actor, record: AuditRecord) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        self.audit(&mut tx, actor, &record).await?;
        tx.commit().await
    }

    /// The audit trail, filtered; the reading itself is recorded.
    pub async fn audit_entries(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut tx = self.db.begin().await?;
        let rows = audit::list(&mut tx, filter).await?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::ReadPersonalData, "audit_trail", "list").in_tenant(filter.tenant_id),
        )
        .await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// What the audit page names entries' objects by instead of their ids (issue 16: no record ids on a page): a case
    /// by its number, an account by its login; only objects of `tenant` (`None`: the installation's own).
    pub async fn audit_object_names(
        &self,
        tenant: Option<uuid::Uuid>,
        entries: &[AuditEntry],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut names = std::collections::HashMap::new();
        let mut tx = self.db.begin_read().await?;
        for e in entries {
            let Some(id) = e.object_id.as_deref() else { continue };
            let Ok(uuid) = uuid::Uuid::parse_str(id) else { continue };
            if names.contains_key(id) {
                continue;
            }
            let sql = match e.object_kind.as_str() {
                "procedure" => "SELECT number FROM procedure WHERE id = $1 AND tenant_id IS NOT DISTINCT FROM $2",
                "account" => "SELECT login FROM account WHERE id = $1 AND tenant_id IS NOT DISTINCT FROM $2",
                _ => continue,
            };
            let row: Option<(String,)> = db::on_tx!(&mut tx, c => sqlx::query_as(sql)
                .bind(uuid).bind(tenant).fetch_optional(c).await)?;
            if let Some((name,)) = row {
                names.insert(id.to_owned(), name);
            }
        }
        tx.commit().await?;
        Ok(names)
    }

    /// Checks the whole audit chain against the store's own checkpoint file.
    pub async fn verify_audit(&self) -> Result<audit::VerifyReport, StoreError> {
        self.verify_audit_against(&[]).await
    }

    /// Checks the whole audit chain against the store's own checkpoint file and the checkpoint files in `extra`
    /// (the copies the data protection officer keeps elsewhere).
    pub async fn verify_audit_against(&self, extra: &[PathBuf]) -> Result<audit::VerifyReport, StoreError> {
        let mut checkpoints = audit::read_checkpoints(&self.audit_checkpoint_path())?;
        for file in extra {
            if !file.exists() {
                return Err(StoreError::Io(format!("the checkpoint file {} does not exist", file.display())));
            }
            checkpoints.extend(audit::read_checkpoints(file)?);
        }
        audit::verify(&self.db, &self.keys.audit_keys()?, &checkpoints).await
    }

    /// The sequence number of the newest audit entry.
    pub async fn audit_head_seq(&self) -> Result<i64, StoreError> {
        let (seq,): (i64,) = db::on_pool!(&self.db, p => sqlx::query_as("SELECT seq FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
        Ok(seq)
    }

    /// The store's own checkpoint file, beside the master key.
    pub fn audit_checkpoint_path(&self) -> PathBuf {
        audit::checkpoint_file_beside(&self.keys.master_path())
    }

    /// Signs the audit head as it is now and appends the checkpoint to the store's own file.
    pub async fn audit_checkpoint(&self) -> Result<audit::Checkpoint, StoreError> {
        let (seq, hash, keyed_from): (i64, Vec<u8>, Option<i64>) = db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT seq, hash, keyed_from FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
        let keyed_from = keyed_from.ok_or_else(|| StoreError::Key("the audit chain has no anchor".into()))?;
        let keys = self.keys.audit_keys()?;
        let checkpoint = audit::Checkpoint::sign(&keys, seq, hash, self.now(), keyed_from);
        checkpoint.append_to(&self.audit_checkpoint_path())?;
        Ok(checkpoint)
    }

    /// Writes a checkpoint to the store's own file and to `out`, for the data protection officer to keep away from
    /// the server (`ostoja audit checkpoint --out FILE`). `out` is appended to, so one file can collect them.
    pub async fn export_audit_checkpoint(&self, out: &Path) -> Result<audit::Checkpoint, StoreError> {
        let checkpoint = self.audit_checkpoint().await?;
        checkpoint.append_to(out)?;
        Ok(checkpoint)
    }

    /// Replaces the master key: re-wraps every data key under a new one in one transaction, then moves the new key
    /// file into place. The old key is kept beside it as `<name>.old` until the operator removes it.
    pub async fn rotate_master_key(&self) -> Result<(String, usize), StoreError> {
        let path = self.keys.master_path();
        let staged = path.with_extension("new");
        let _ = std::fs::remove_file(&staged);
        let new_master = MasterKey::generate(staged.clone());
        new_master.write_new(&staged)?;
        let mut tx = self.db.begin().await?;
        let count = self.keys.rewrap_all(&mut tx, &new_master).await?;
        self.audit(
            &mut tx,
            &Actor::operator(),
            &AuditRecord::new(AuditAction::KeyRotated, "master_key", new_master.fingerprint()),
        )
        .await?;
        tx.commit().await?;
        let old = path.with_extension("old");
        let io = |e: std::io::Error| {
            StoreError::Key(format!(
                "key rotated in the database, but moving files failed: {e}; the new key is {}",
                staged.display()
            ))
        };
        std::fs::rename(&path, &old).map_err(io)?;
        std::fs::rename(&staged, &path).map_err(io)?;
        let fingerprint = new_master.fingerprint();
        self.keys.adopt(MasterKey { path: path.clone(), ..new_master });
        Ok((fingerprint, count))
    }

    pub async fn close(&self) {
        self.db.close().await;
    }
}

/// A rotation that committed in the database but died before moving the key files leaves `master.key.new` holding
/// the key the data keys are now wrapped with. Finish the move, so the next start reads the right key.
async fn finish_interrupted_rotation(db: &Db, key_path: &Path) -> Result<(), StoreError> {
    let staged = key_path.with_extension("new");
    if !staged.exists() {
        return Ok(());
    }
    let wrapped_with: Option<(String,)> = db::on_pool!(db, p => sqlx::query_as("SELECT master_fingerprint FROM data_key LIMIT 1").fetch_optional(p).await)?;
    let staged_key = MasterKey::read(&staged)?;
    if wrapped_with.map(|(f,)| f) == Some(staged_key.fingerprint()) {
        let io = |e: std::io::Error| StoreError::Key(format!("finishing an interrupted key rotation: {e}"));
        if key_path.exists() {
            std::fs::rename(key_path, key_path.with_extension("old")).map_err(io)?;
        }
        std::fs::rename(&staged, key_path).map_err(io)?;
        tracing::warn!(path = %key_path.display(), "finished an interrupted master key rotation");
    }
    Ok(())
}

/// Timestamps are kept to the microsecond (PostgreSQL's precision), so what is hashed is what is stored.
pub(crate) fn truncate(t: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(t.as_microsecond()).unwrap_or(t)
}

pub(crate) fn ts(t: Timestamp) -> db::SqlTimestamp {
    db::SqlTimestamp(truncate(t))
}

/// The default data directory's database file, for messages.
pub fn sqlite_file(data_dir: &Path) -> PathBuf {
    data_dir.join("ostoja.sqlite3")
}
