//! Backups: a consistent copy taken while the server runs, and its restore.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy of the live database in one statement.
//! PostgreSQL: a logical export with `pg_dump --format=custom` (the operator may prefer pgBackRest or streaming
//! replication; see docs/operations.md), restored with `pg_restore`.
//!
//! The master key is never inside a backup: a backup without its key is unreadable ciphertext for the personal
//! data, which is the point. Keep the key apart from the backups.

use std::path::Path;

use domain::audit::AuditAction;

use crate::db::{Db, on_pool};
use crate::{Actor, AuditRecord, StorageOptions, Store, StoreError};

impl Store {
    /// Writes a consistent backup to `out` (refusing to overwrite a file).
    pub async fn backup(&self, out: &Path, options: &StorageOptions) -> Result<(), StoreError> {
        if out.exists() {
            return Err(StoreError::Io(format!("{} exists already; choose a new file name", out.display())));
        }
        // Recorded before the copy, so the backup itself carries the entry of its own making.
        self.record_event(&Actor::operator(), AuditRecord::new(AuditAction::BackupTaken, "backup", out.display()))
            .await?;
        match &self.db {
            Db::Sqlite(pool) => {
                let target =
                    out.to_str().ok_or_else(|| StoreError::Io("the backup path must be valid UTF-8".into()))?;
                sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
            }
            Db::Postgres(_) => {
                let url = options.database_url.as_deref().unwrap_or_default();
                run("pg_dump", &["--format=custom", "--no-owner", "--file", &out.to_string_lossy(), "--dbname", url])
                    .await?;
            }
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
        None => {
            // Check that the file is an Ostoja SQLite database before anything is replaced.
            let probe = tempfile_dir(file)?;
            std::fs::copy(file, probe.join("ostoja.sqlite3")).map_err(|e| StoreError::Io(e.to_string()))?;
            // A file that is no database at all fails already at opening; either way the probe is removed.
            let ok = match Db::open_sqlite(&probe).await {
                Ok(db) => {
                    let ok: Result<(i64,), sqlx::Error> =
                        on_pool!(&db, p => sqlx::query_as("SELECT COUNT(*) FROM audit_head").fetch_one(p).await);
                    db.close().await;
                    ok.is_ok()
                }
                Err(_) => false,
            };
            let _ = std::fs::remove_dir_all(&probe);
            if !ok {
                return Err(StoreError::Io(format!("{} is not an Ostoja SQLite backup", file.display())));
            }
            std::fs::create_dir_all(&options.data_dir).map_err(|e| StoreError::Io(e.to_string()))?;
            let target = crate::sqlite_file(&options.data_dir);
            let staged = target.with_extension("restoring");
            std::fs::copy(file, &staged).map_err(|e| StoreError::Io(e.to_string()))?;
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::rename(&staged, &target).map_err(|e| StoreError::Io(e.to_string()))?;
        }
        Some(url) => {
            run(
                "pg_restore",
                &[
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    url,
                    &file.to_string_lossy(),
                ],
            )
            .await?;
        }
    }
    Ok(())
}

fn tempfile_dir(near: &Path) -> Result<std::path::PathBuf, StoreError> {
    let dir = std::env::temp_dir().join(format!("ostoja-restore-check-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io(format!("{}: {e}", near.display())))?;
    Ok(dir)
}

async fn run(program: &str, args: &[&str]) -> Result<(), StoreError> {
    let output = tokio::process::Command::new(program)
        .args(args)
        .output()
        .await
        .map_err(|e| StoreError::Io(format!("cannot run {program}: {e} (install the PostgreSQL client tools)")))?;
    if !output.status.success() {
        return Err(StoreError::Io(format!("{program} failed: {}", String::from_utf8_lossy(&output.stderr).trim())));
    }
    Ok(())
}
