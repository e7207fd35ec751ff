//! Encryption of personal-data fields at rest, and blind indexes for exact look-ups.
//!
//! Guarantees:
//! - Every personal-data field is sealed with XChaCha20-Poly1305 (random 192-bit nonce) under the data key of its
//!   scope (a tenant, or the installation). The additional data binds the ciphertext to its column, scope and row,
//!   so a ciphertext copied into another row or column fails to open.
//! - Data keys are random, kept in the database only wrapped by the master key; the master key never enters the
//!   database or a backup.
//! - Blind indexes are HMAC-SHA-256 under a key derived from the data key: equal inputs give equal indexes within a
//!   scope, and nothing about the input can be read from them without the key.
//!
//! Blob format: `version (1 byte) ‖ nonce (24 bytes) ‖ ciphertext ‖ tag (16 bytes)`.

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
    if *version != BLOB_VERSION || rest.len() < NONCE_LEN + 16 {
        return Err(StoreError::Key("unknown ciphertext format".into()));
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let nonce = XNonce::try_from(nonce).map_err(|_| StoreError::Key("bad nonce".into()))?;
    let cipher = XChaCha20Poly1305::new(&Key::from(*key.expose()));
    cipher
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .map_err(|_| StoreError::Key("ciphertext does not open with this key (tampered or moved)".into()))
}

/// The keys of one scope (a tenant or the installation), unwrapped and ready to use.
#[derive(Clone, Debug)]
pub struct ScopeKeys {
    scope: Uuid,
    encryption: SecretKey,
    blind_index: SecretKey,
}

impl ScopeKeys {
    pub fn new(scope: Uuid, data_key: &SecretKey) -> Self {
        ScopeKeys {
            scope,
            encryption: data_key.derive(b"ostoja field encryption v1"),
            blind_index: data_key.derive(b"ostoja blind index v1"),
        }
    }

    fn aad(&self, column: &str, row: Uuid) -> Vec<u8> {
        format!("{column}:{}:{row}", self.scope).into_bytes()
    }

    /// Encrypts one field's value for `column` of row `row`.
    pub fn encrypt(&self, column: &str, row: Uuid, value: &str) -> Result<Vec<u8>, StoreError> {
        seal(&self.encryption, &self.aad(column, row), value.as_bytes())
    }

    pub fn encrypt_bytes(&self, column: &str, row: Uuid, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        seal(&self.encryption, &self.aad(column, row), value)
    }

    pub fn decrypt(&self, column: &str, row: Uuid, blob: &[u8]) -> Result<String, StoreError> {
        let bytes = self.decrypt_bytes(column, row, blob)?;
        String::from_utf8(bytes).map_err(|_| StoreError::Key("decrypted field is not UTF-8".into()))
    }

    pub fn decrypt_bytes(&self, column: &str, row: Uuid, blob: &[u8]) -> Result<Vec<u8>, StoreError> {
        open(&self.encryption, &self.aad(column, row), blob)
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
    fn normalisation_folds_polish_capitals_and_spacing() {
        assert_eq!(normalise_for_index("  ŁUKASZ   Żółć "), "łukasz żółć");
        // A decomposed "ó" (o + combining acute) equals the precomposed one.
        assert_eq!(normalise_for_index("Zo\u{301}f"), normalise_for_index("Zóf"));
    }
}
