//! Backups: a consistent copy taken while the server runs, and its restore.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy of the live database in one statement.
//! PostgreSQL: a logical export with `pg_dump --format=custom` (the operator may prefer pgBackRest or streaming
//! replication; see docs/operations.md), restored with `pg_restore`.
//!
//! The master key is never inside a backup: a backup without its key is unreadable ciphertext for the personal
//! data, which is the point. Keep the key apart from the backups.

mod postgres;
mod sqlite;

use std::path::Path;

use domain::audit::AuditAction;

use crate::db::Db;
use crate::{Actor, AuditRecord, StorageOptions, Store, StoreError};

impl Store {
    /// Writes a consistent backup to `out` (refusing to overwrite a file).
    pub async fn backup(&self, out: &Path, options: &StorageOptions) -> Result<(), StoreError> {
        if out.exists() {
            return Err(StoreError::Io(format!("{} exists already; choose a new file name", out.display())));
        }
        // Mode 0600 before a byte is written: a backup holds everything the database does.
        crate::files::create_private(out)?;
        // Recorded before the copy, so the backup itself carries the entry of its own making.
        self.record_event(&Actor::operator(), AuditRecord::new(AuditAction::BackupTaken, "backup", out.display()))
            .await?;
        let written = match &self.db {
            Db::Sqlite(pool, _) => sqlite::backup(pool, out).await,
            Db::Postgres(_) => postgres::backup(options.database_url.as_deref().unwrap_or_default(), out).await,
        };
        if written.is_err() {
            // No half-written file named like a backup.
            let _ = std::fs::remove_file(out);
        }
        written?;
        // A checkpoint at each backup: the head the backup holds (or a later one) is pinned outside the database.
        // The backup itself is done; a checkpoint that cannot be written is said, not made the backup's failure.
        if let Err(e) = self.audit_checkpoint().await {
            tracing::warn!(error = %e, "backup taken, but the audit checkpoint could not be written");
        }
        Ok(())
    }
}

/// Brings a backup back. SQLite: the server must be stopped; the file is checked and moved into place. PostgreSQL:
/// the target database's objects are replaced by the backup's.
pub async fn restore(file: &Path, options: &StorageOptions) -> Result<(), StoreError> {
    if !file.is_file() {
        return Err(StoreError::Io(format!("{} is not a file", file.display())));
    }
    match &options.database_url {
        None => sqlite::restore(file, &options.data_dir).await?,
        Some(url) => postgres::restore(file, url).await?,
    }
    set_checkpoints_aside(&options.master_key_path())
}

/// The audit checkpoints beside the key pin the replaced database's chain, not the restored one's: kept under a new
/// name (`audit-checkpoints.before-restore-N`), so `ostoja audit verify` starts afresh and nothing is lost.
fn set_checkpoints_aside(master_key: &Path) -> Result<(), StoreError> {
    let current = crate::audit::checkpoint_file_beside(master_key);
    if !current.exists() {
        return Ok(());
    }
    let aside = (1..)
        .map(|n| current.with_extension(format!("before-restore-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| current.with_extension("before-restore"));
    std::fs::rename(&current, &aside)
        .map_err(|e| StoreError::Io(format!("cannot set the audit checkpoints {} aside: {e}", current.display())))?;
    tracing::warn!(file = %aside.display(), "restored a backup: the audit checkpoints of the replaced database were set aside");
    Ok(())
}
