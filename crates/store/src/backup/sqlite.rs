//! SQLite backups: `VACUUM INTO` for a consistent copy of the live database; restore checks the file, then moves it
//! into place.

use std::path::Path;

use sqlx::SqlitePool;

use crate::StoreError;
use crate::db::{Db, on_pool};

pub(super) async fn backup(pool: &SqlitePool, out: &Path) -> Result<(), StoreError> {
    let target = out.to_str().ok_or_else(|| StoreError::Io("the backup path must be valid UTF-8".into()))?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
    Ok(())
}

pub(super) async fn restore(file: &Path, data_dir: &Path) -> Result<(), StoreError> {
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
    std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Io(e.to_string()))?;
    let target = crate::sqlite_file(data_dir);
    let staged = target.with_extension("restoring");
    std::fs::copy(file, &staged).map_err(|e| StoreError::Io(e.to_string()))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::rename(&staged, &target).map_err(|e| StoreError::Io(e.to_string()))?;
    Ok(())
}

fn tempfile_dir(near: &Path) -> Result<std::path::PathBuf, StoreError> {
    let dir = std::env::temp_dir().join(format!("ostoja-restore-check-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).map_err(|e| StoreError::Io(format!("{}: {e}", near.display())))?;
    Ok(dir)
}
