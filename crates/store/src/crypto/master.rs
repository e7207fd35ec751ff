//! The master key: a file outside the database (mode 0600), created at first start.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::Mac;
use sha2::Sha256;

use super::SecretKey;
use crate::StoreError;

const HEADER: &str = "ostoja-master-key-v1:";

/// The master key and where it lives.
#[derive(Debug, Clone)]
pub struct MasterKey {
    pub(crate) key: SecretKey,
    pub path: PathBuf,
}

impl MasterKey {
    /// A short, non-secret name of this key, stored beside each data key it wraps.
    pub fn fingerprint(&self) -> String {
        let mut mac = <hmac::Hmac<Sha256> as hmac::KeyInit>::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| super::unreachable_hmac());
        mac.update(b"ostoja master key fingerprint");
        hex::encode(mac.finalize().into_bytes().iter().take(8).copied().collect::<Vec<u8>>())
    }

    pub fn generate(path: PathBuf) -> MasterKey {
        MasterKey { key: SecretKey::random(), path }
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> Result<MasterKey, StoreError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| StoreError::Key(format!("cannot read the master key {}: {e}", path.display())))?;
        let hex_part = text
            .trim()
            .strip_prefix(HEADER)
            .ok_or_else(|| StoreError::Key(format!("{} is not an Ostoja master key file", path.display())))?;
        let bytes = hex::decode(hex_part)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| StoreError::Key(format!("{} holds a damaged master key", path.display())))?;
        Ok(MasterKey { key: SecretKey::from_bytes(bytes), path: path.to_owned() })
    }

    /// Writes the key to `path` with mode 0600, atomically (temporary file, then rename), refusing to overwrite.
    pub fn write_new(&self, path: &Path) -> Result<(), StoreError> {
        if path.exists() {
            return Err(StoreError::Key(format!("{} exists already; not overwriting a master key", path.display())));
        }
        let tmp = path.with_extension("tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let io = |e: std::io::Error| StoreError::Key(format!("cannot write the master key {}: {e}", path.display()));
        let _ = std::fs::remove_file(&tmp);
        let mut file = options.open(&tmp).map_err(io)?;
        file.write_all(format!("{HEADER}{}\n", hex::encode(self.key.expose())).as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(())
    }
}

/// Loads the master key from `path`, creating it (0600) when it does not exist yet and `create` allows it.
pub fn load_or_create_master_key(path: &Path, create: bool) -> Result<(MasterKey, bool), StoreError> {
    if path.exists() {
        check_permissions(path)?;
        return Ok((MasterKey::read(path)?, false));
    }
    if !create {
        return Err(StoreError::Key(format!(
            "the master key {} does not exist; without it the encrypted data cannot be read",
            path.display()
        )));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?;
    }
    let key = MasterKey::generate(path.to_owned());
    key.write_new(path)?;
    Ok((key, true))
}

/// Refuses a key file that others can read: a master key readable by the group or the world is a leak waiting to
/// happen.
fn check_permissions(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_err(|e| StoreError::Key(e.to_string()))?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(StoreError::Key(format!(
                "the master key {} is readable by others (mode {:o}); run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_is_written_with_mode_0600_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let (created, fresh) = load_or_create_master_key(&path, true).unwrap();
        assert!(fresh);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let (loaded, fresh) = load_or_create_master_key(&path, true).unwrap();
        assert!(!fresh);
        assert_eq!(created.fingerprint(), loaded.fingerprint());
    }

    #[test]
    fn a_world_readable_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        load_or_create_master_key(&path, true).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(load_or_create_master_key(&path, true).is_err());
        }
    }

    #[test]
    fn a_missing_key_is_not_created_when_not_allowed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_or_create_master_key(&dir.path().join("nope.key"), false).is_err());
    }
}
