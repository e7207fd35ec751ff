//! Checkpoints: the audit head's sequence number and hash at a moment, signed with the audit key and kept outside the
//! database.
//!
//! A chain whose tail was removed and whose head was moved back is consistent in the database; only something kept
//! elsewhere can tell. The store appends a checkpoint line to `audit-checkpoints` beside the master key (when the
//! chain is anchored, periodically from the server, after each `ostoja audit verify` and each backup), and
//! `ostoja audit checkpoint --out FILE` writes one for the data protection officer to keep away from the server.
//!
//! One line per checkpoint: `ostoja-audit-checkpoint-v1 SEQ HEAD-HASH TIME KEYED-FROM MAC`, hashes in hex, the time
//! in RFC 3339. The MAC covers every other field, so a line cannot be edited or made up without the master key.

use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::Mac;
use jiff::Timestamp;

use super::AuditKeys;
use crate::StoreError;

const TAG: &str = "ostoja-audit-checkpoint-v1";

/// The name of the checkpoint file the store keeps beside the master key.
pub const CHECKPOINT_FILE: &str = "audit-checkpoints";

/// The store's own checkpoint file: `audit-checkpoints` in the master key's folder.
pub fn checkpoint_file_beside(master_key: &Path) -> PathBuf {
    master_key.with_file_name(CHECKPOINT_FILE)
}

/// The head at one moment, as signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: Vec<u8>,
    pub at: Timestamp,
    /// Where the keyed part of the chain begins: a checkpoint also pins the anchor.
    pub keyed_from: i64,
    pub mac: Vec<u8>,
}

impl Checkpoint {
    pub(crate) fn sign(keys: &AuditKeys, seq: i64, hash: Vec<u8>, at: Timestamp, keyed_from: i64) -> Checkpoint {
        let at = crate::truncate(at);
        let mut checkpoint = Checkpoint { seq, hash, at, keyed_from, mac: Vec::new() };
        checkpoint.mac = checkpoint.compute_mac(keys);
        checkpoint
    }

    /// The MAC's state over every field but the MAC itself.
    fn mac_over_fields(&self, keys: &AuditKeys) -> super::HmacSha256 {
        let mut mac = keys.checkpoint_mac();
        mac.update(TAG.as_bytes());
        mac.update(&self.seq.to_be_bytes());
        mac.update(&(self.hash.len() as u64).to_be_bytes());
        mac.update(&self.hash);
        mac.update(&self.at.as_microsecond().to_be_bytes());
        mac.update(&self.keyed_from.to_be_bytes());
        mac
    }

    fn compute_mac(&self, keys: &AuditKeys) -> Vec<u8> {
        self.mac_over_fields(keys).finalize().into_bytes().to_vec()
    }

    /// Whether the MAC was made with this installation's audit key (compared in constant time).
    pub(crate) fn is_authentic(&self, keys: &AuditKeys) -> bool {
        self.mac_over_fields(keys).verify_slice(&self.mac).is_ok()
    }

    /// The checkpoint as one line of a checkpoint file, with its newline.
    pub fn to_line(&self) -> String {
        format!(
            "{TAG} {} {} {} {} {}\n",
            self.seq,
            hex::encode(&self.hash),
            self.at,
            self.keyed_from,
            hex::encode(&self.mac)
        )
    }

    /// Parses one line; `None` for a line that is not a checkpoint.
    pub fn parse(line: &str) -> Option<Checkpoint> {
        let mut parts = line.split_whitespace();
        if parts.next()? != TAG {
            return None;
        }
        let seq = parts.next()?.parse().ok()?;
        let hash = hex::decode(parts.next()?).ok()?;
        let at = parts.next()?.parse().ok()?;
        let keyed_from = parts.next()?.parse().ok()?;
        let mac = hex::decode(parts.next()?).ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Checkpoint { seq, hash, at, keyed_from, mac })
    }

    /// Appends the line to `path`, creating the file (mode 0600) when missing, and syncs it to disk.
    pub fn append_to(&self, path: &Path) -> Result<(), StoreError> {
        let io =
            |e: std::io::Error| StoreError::Io(format!("cannot write the audit checkpoint {}: {e}", path.display()));
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io)?;
        file.write_all(self.to_line().as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)
    }
}

/// Reads a checkpoint file. A missing file holds no checkpoints; a line that does not parse is an error, as a
/// damaged file must not pass for an empty one.
pub fn read_checkpoints(path: &Path) -> Result<Vec<Checkpoint>, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::Io(format!("cannot read the audit checkpoints {}: {e}", path.display()))),
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            Checkpoint::parse(line).ok_or_else(|| {
                StoreError::Corrupt(format!("{} line {}: not an audit checkpoint", path.display(), n + 1))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SecretKey;

    #[test]
    fn a_checkpoint_round_trips_through_its_line_and_an_edit_breaks_its_mac() {
        let keys = AuditKeys::new(&SecretKey::from_bytes([3u8; 32]));
        let at: Timestamp = "2026-12-04T21:00:00.123456Z".parse().unwrap();
        let checkpoint = Checkpoint::sign(&keys, 42, vec![9u8; 32], at, 7);

        let parsed = Checkpoint::parse(&checkpoint.to_line()).unwrap();
        assert_eq!(parsed, checkpoint);
        assert!(parsed.is_authentic(&keys));

        let moved_back = Checkpoint { seq: 41, ..parsed.clone() };
        assert!(!moved_back.is_authentic(&keys));
        let other_installation = AuditKeys::new(&SecretKey::from_bytes([4u8; 32]));
        assert!(!parsed.is_authentic(&other_installation));
    }
}
