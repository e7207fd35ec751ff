//! Files the service writes beside the database: created readable by the service's user only (mode 0600), so a
//! colleague with a shell on the same machine reads nothing.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// Creates `path` empty with mode 0600, refusing to replace an existing file. SQLite gives its `-wal` and `-shm` files
/// the database file's mode, and `VACUUM INTO` and `pg_dump --file` write into the empty file they find, keeping it.
pub(crate) fn create_private(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop).map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))
}

/// The service's files in `data_dir` that others than the owner may read (group or world bits): the database, its
/// `-wal` and `-shm`, the master key, backups left there. The server warns about each at start.
pub fn readable_by_others(data_dir: &Path) -> Vec<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(entries) = std::fs::read_dir(data_dir) else { return Vec::new() };
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o077 != 0))
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
    #[cfg(not(unix))]
    {
        let _ = data_dir;
        Vec::new()
    }
}
