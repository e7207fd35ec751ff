//! Encryption of personal-data fields at rest, and blind indexes for exact look-ups.
//!
//! Guarantees:
//! - Every personal-data field is sealed with XChaCha20-Poly1305 (random 192-bit nonce) under the data key of its
//!   scope (a tenant, or the installation). The additional data binds the ciphertext to its column, scope and row,
//!   so a ciphertext copied into another row or column fails to open.
//! - Data keys are random, kept in the database only wrapped by the master key; the master key never enters the
//!   database or a backup.
//! - Blind indexes are HMAC-SHA-256 under a key derived from the scope's first data key: equal inputs give equal
//!   indexes within a scope, and nothing about the input can be read from them without the key. A data-key rotation
//!   keeps that blind-index key (see [`crate::keys`] and docs/security.md for why).
//!
//! Blob formats: `1 ‖ nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes)` for a field sealed under a scope's first data
//! key (and for keys wrapped by the master key), and `2 ‖ key version (4 bytes, big-endian) ‖ nonce ‖ ciphertext ‖
//! tag` for a field sealed under a later data key, so a reader knows which key opens it while a rotation runs.

mod master;

pub use master::{MasterKey, load_or_create_master_key};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::Mac;
use rand::RngCore;
use sha2::Sha256;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::StoreError;

const BLOB_VERSION: u8 = 1;
/// A field sealed under a data key of version 2 or later: the key version follows the format byte.
const BLOB_VERSIONED: u8 = 2;
const NONCE_LEN: usize = 24;

/// A 256-bit secret.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        SecretKey(bytes)
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        SecretKey(bytes)
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    /// Derives a sub-key for one purpose (HKDF-SHA-256), so encryption and blind indexing never share a key.
    pub(crate) fn derive(&self, purpose: &[u8]) -> SecretKey {
        let hk = hkdf::Hkdf::<Sha256>::new(None, &self.0);
        let mut out = [0u8; 32];
        // 32 bytes is always a valid HKDF-SHA-256 output length.
        let _ = hk.expand(purpose, &mut out);
        SecretKey(out)
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey([REDACTED])")
    }
}

/// Seals `plaintext` under `key`, bound to `aad`.
pub(crate) fn seal(key: &SecretKey, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
    let cipher = XChaCha20Poly1305::new(&Key::from(*key.expose()));
    let mut nonce = XNonce::default();
    rand::rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(&nonce, Payload { msg: plaintext, aad })
        .map_err(|_| StoreError::Key("encryption failed".into()))?;
    let mut blob = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
    blob.push(BLOB_VERSION);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&sealed);
    Ok(blob)
}

/// Opens a blob made by [`seal`] with the same key and `aad`.
pub(crate) fn open(key: &SecretKey, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, StoreError> {
    let (version, rest) = blob.split_first().ok_or_else(|| StoreError::Key("empty ciphertext".into()))?;
    if *version != BLOB_VERSION {
        return Err(StoreError::Key("unknown ciphertext format".into()));
    }
    open_body(key, aad, rest)
}

/// Opens `nonce ‖ ciphertext ‖ tag`.
fn open_body(key: &SecretKey, aad: &[u8], rest: &[u8]) -> Result<Vec<u8>, StoreError> {
    if rest.len() < NONCE_LEN + 16 {
        return Err(StoreError::Key("unknown ciphertext format".into()));
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| StoreError::Key("bad nonce".into()))?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*key.expose()));
    cipher
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .map_err(|_| StoreError::Key("ciphertext does not open with this key (tampered or moved)".into()))
}

/// Seals a field under the data key of `key_version`: the first key keeps format 1 (byte for byte what was written
/// before keys had versions), later keys write format 2 with their version.
fn seal_versioned(key: &SecretKey, key_version: u32, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
    let blob = seal(key, aad, plaintext)?;
    if key_version <= 1 {
        return Ok(blob);
    }
    let mut framed = Vec::with_capacity(blob.len() + 4);
    framed.push(BLOB_VERSIONED);
    framed.extend_from_slice(&key_version.to_be_bytes());
    framed.extend_from_slice(blob.get(1..).unwrap_or_default());
    Ok(framed)
}

/// Which data key version sealed a field, and the rest of the blob.
fn split_key_version(blob: &[u8]) -> Result<(u32, &[u8]), StoreError> {
    match blob.split_first() {
        Some((&BLOB_VERSION, rest)) => Ok((1, rest)),
        Some((&BLOB_VERSIONED, rest)) if rest.len() >= 4 => {
            let (version, body) = rest.split_at(4);
            let version =
                u32::from_be_bytes(version.try_into().map_err(|_| StoreError::Key("bad key version".into()))?);
            Ok((version, body))
        }
        _ => Err(StoreError::Key("unknown ciphertext format".into())),
    }
}

/// The data key version that sealed `blob` (1 for format 1).
pub fn key_version_of(blob: &[u8]) -> Result<u32, StoreError> {
    split_key_version(blob).map(|(version, _)| version)
}

/// The first bytes every field sealed under `key_version` starts with, for finding fields not sealed under it in
/// SQL (`substr(column, 1, n)`, the same on both engines).
pub fn key_version_prefix(key_version: u32) -> Vec<u8> {
    if key_version <= 1 {
        vec![BLOB_VERSION]
    } else {
        let mut prefix = vec![BLOB_VERSIONED];
        prefix.extend_from_slice(&key_version.to_be_bytes());
        prefix
    }
}

/// The keys of one scope (a tenant or the installation), unwrapped and ready to use. Fields are sealed under the
/// current data key; while a rotation of the scope's data key runs, the next key seals and both open.
#[derive(Clone, Debug)]
pub struct ScopeKeys {
    scope: Uuid,
    /// The data key version new fields are sealed under, and its encryption key.
    write: (u32, SecretKey),
    /// Every version that may still be found in the scope's fields (the write version included).
    read: Vec<(u32, SecretKey)>,
    blind_index: SecretKey,
}

fn encryption_key(data_key: &SecretKey) -> SecretKey {
    data_key.derive(b"ostoja field encryption v1")
}

/// The blind-index key derived from a scope's first data key; kept wrapped on its own from the first rotation on.
pub(crate) fn blind_index_key(data_key: &SecretKey) -> SecretKey {
    data_key.derive(b"ostoja blind index v1")
}

impl ScopeKeys {
    /// The keys of a scope that has only its first data key.
    pub fn new(scope: Uuid, data_key: &SecretKey) -> Self {
        let encryption = encryption_key(data_key);
        ScopeKeys {
            scope,
            write: (1, encryption.clone()),
            read: vec![(1, encryption)],
            blind_index: blind_index_key(data_key),
        }
    }

    /// The keys of a scope whose fields are sealed under `write`'s data key, and may still be under `also`'s (a
    /// rotation in progress), with its blind-index key.
    pub(crate) fn versioned(
        scope: Uuid,
        write: (u32, &SecretKey),
        also: Option<(u32, &SecretKey)>,
        blind_index: SecretKey,
    ) -> Self {
        let mut read = vec![(write.0, encryption_key(write.1))];
        if let Some((version, key)) = also {
            read.push((version, encryption_key(key)));
        }
        ScopeKeys { scope, write: (write.0, encryption_key(write.1)), read, blind_index }
    }

    /// The scope these keys belong to (a municipality, or the installation).
    pub fn scope(&self) -> Uuid {
        self.scope
    }

    /// The data key version new fields are sealed under.
    pub fn write_version(&self) -> u32 {
        self.write.0
    }

    fn aad(&self, column: &str, row: Uuid) -> Vec<u8> {
        format!("{column}:{}:{row}", self.scope).into_bytes()
    }

    /// Encrypts one field's value for `column` of row `row`.
    pub fn encrypt(&self, column: &str, row: Uuid, value: &str) -> Result<Vec<u8>, StoreError> {
        self.encrypt_bytes(column, row, value.as_bytes())
    }

    pub fn encrypt_bytes(&self, column: &str, row: Uuid, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        seal_versioned(&self.write.1, self.write.0, &self.aad(column, row), value)
    }

    pub fn decrypt(&self, column: &str, row: Uuid, blob: &[u8]) -> Result<String, StoreError> {
        let bytes = self.decrypt_bytes(column, row, blob)?;
        String::from_utf8(bytes).map_err(|_| StoreError::Key("decrypted field is not UTF-8".into()))
    }

    pub fn decrypt_bytes(&self, column: &str, row: Uuid, blob: &[u8]) -> Result<Vec<u8>, StoreError> {
        let (version, body) = split_key_version(blob)?;
        let key = self.read.iter().find(|(v, _)| *v == version).map(|(_, k)| k).ok_or_else(|| {
            StoreError::Key(format!("a field is sealed under data key version {version}, which is not loaded"))
        })?;
        open_body(key, &self.aad(column, row), body)
    }

    /// A keyed hash of `value` for exact look-ups within this scope. `purpose` separates kinds of value (a PESEL
    /// never matches a name). Callers normalise `value` first (see [`normalise_for_index`]). The scope's id is hashed
    /// too, as it is bound into the ciphertexts' additional data, so no two scopes share an index even under one key.
    pub fn blind_index(&self, purpose: &str, value: &str) -> Vec<u8> {
        let mut mac = <hmac::Hmac<Sha256> as hmac::KeyInit>::new_from_slice(self.blind_index.expose())
            .unwrap_or_else(|_| unreachable_hmac());
        mac.update(self.scope.as_bytes());
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

// HMAC accepts keys of any length, so `new_from_slice` cannot fail; this keeps the no-panic lint honest.
#[cold]
pub(crate) fn unreachable_hmac() -> hmac::Hmac<Sha256> {
    <hmac::Hmac<Sha256> as hmac::KeyInit>::new(&Default::default())
}

/// Normalises text before a blind index: Unicode NFC, lower case, inner white space collapsed. SQLite's `lower()`
/// folds ASCII only, so this happens in Rust (stack.md pitfall 17).
pub fn normalise_for_index(value: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    value.nfc().collect::<String>().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(scope: Uuid) -> ScopeKeys {
        ScopeKeys::new(scope, &SecretKey::from_bytes([7u8; 32]))
    }

    #[test]
    fn a_field_round_trips_and_the_ciphertext_hides_it() {
        let k = keys(Uuid::nil());
        let row = Uuid::now_v7();
        let blob = k.encrypt("full_name", row, "Zofia Żółkiewska").unwrap();
        assert!(!blob.windows(5).any(|w| w == b"Zofia"));
        assert_eq!(k.decrypt("full_name", row, &blob).unwrap(), "Zofia Żółkiewska");
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_column_or_scope_does_not_open() {
        let k = keys(Uuid::nil());
        let row = Uuid::now_v7();
        let blob = k.encrypt("full_name", row, "Jan").unwrap();
        assert!(k.decrypt("email", row, &blob).is_err());
        assert!(k.decrypt("full_name", Uuid::now_v7(), &blob).is_err());
        assert!(keys(Uuid::now_v7()).decrypt("full_name", row, &blob).is_err());
    }

    #[test]
    fn a_flipped_bit_is_detected() {
        let k = keys(Uuid::nil());
        let row = Uuid::now_v7();
        let mut blob = k.encrypt("phone", row, "+48 600 000 000").unwrap();
        let last = blob.len() - 1;
        blob[last] ^= 1;
        assert!(k.decrypt("phone", row, &blob).is_err());
    }

    #[test]
    fn blind_indexes_are_deterministic_per_scope_and_purpose() {
        let scope = Uuid::now_v7();
        let a = keys(scope);
        assert_eq!(a.blind_index("pesel", "44051401359"), a.blind_index("pesel", "44051401359"));
        assert_ne!(a.blind_index("pesel", "44051401359"), a.blind_index("name", "44051401359"));
        assert_ne!(a.blind_index("pesel", "44051401359"), keys(Uuid::now_v7()).blind_index("pesel", "44051401359"));
    }

    #[test]
    fn during_a_rotation_both_keys_open_and_the_new_one_seals_with_its_version() {
        let scope = Uuid::now_v7();
        let (first, second) = (SecretKey::from_bytes([7u8; 32]), SecretKey::from_bytes([9u8; 32]));
        let old = keys(scope);
        let row = Uuid::now_v7();
        let before = old.encrypt("account.email", row, "a@b.pl").unwrap();
        let rotating = ScopeKeys::versioned(scope, (2, &second), Some((1, &first)), blind_index_key(&first));
        let after = rotating.encrypt("account.email", row, "a@b.pl").unwrap();
        assert_eq!(key_version_of(&before).unwrap(), 1);
        assert_eq!(key_version_of(&after).unwrap(), 2);
        assert!(after.starts_with(&key_version_prefix(2)));
        assert_eq!(rotating.decrypt("account.email", row, &before).unwrap(), "a@b.pl");
        assert_eq!(rotating.decrypt("account.email", row, &after).unwrap(), "a@b.pl");
        assert!(old.decrypt("account.email", row, &after).is_err(), "the old keyring does not hold version 2");
        let done = ScopeKeys::versioned(scope, (2, &second), None, blind_index_key(&first));
        assert!(done.decrypt("account.email", row, &before).is_err(), "the retired key is gone");
        assert_eq!(done.blind_index("pesel", "1"), old.blind_index("pesel", "1"), "indexes stay valid");
        // A forged key version in the header does not open with another key.
        let mut forged = after.clone();
        forged[4] = 3;
        assert!(rotating.decrypt("account.email", row, &forged).is_err());
    }

    #[test]
    fn normalisation_folds_polish_capitals_and_spacing() {
        assert_eq!(normalise_for_index("  ŁUKASZ   Żółć "), "łukasz żółć");
        // A decomposed "ó" (o + combining acute) equals the precomposed one.
        assert_eq!(normalise_for_index("Zo\u{301}f"), normalise_for_index("Zóf"));
    }
}
