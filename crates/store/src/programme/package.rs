//! Signed statutory packages (issue 17, item 5): a municipality's approved statutory set goes upward to the county's
//! or region's installation without anyone carrying personal data out, and the receiver can prove who sent it.
//!
//! Guarantees:
//! - The sender signs with its own Ed25519 key, made on first use; the private half is sealed under the
//!   municipality's data key (`statutory_signing_key.private_key`, rotated with it) and never leaves the store.
//! - A package holds the frozen figures of an approved version and nothing else (no person, no case number, no free
//!   text): it is built from `statutory_approval.figures` only.
//! - The receiver accepts a package only under a public key it registered for that TERYT (an operator compared the
//!   fingerprint), with a valid signature over the canonical bytes, for a year that has ended, with figures that
//!   are whole, not negative and add up ("of which" never above its total). The same package twice (its signature)
//!   and an older or equal version are refused; every version received is kept whole, and each becomes a new
//!   `statutory_approval` version of the municipality on the receiving side (a correction, never an overwrite).
//! - A push token lets its holder submit its own TERYT's packages and nothing else; it is stored as a SHA-256 hash.
//! - Every key made, export, registration and import is in the audit trail.

use crate::Caller;
use std::collections::BTreeMap;

use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::programme::package::{self, FORMAT, Package};
use domain::validation::{FieldError, FieldErrors};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use jiff::Timestamp;
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::indicators::bounds;
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};
use domain::identity::{FEED_REFUSAL_WINDOW, LockoutPolicy};

/// The column name the private key's ciphertext is bound to.
const PRIVATE_KEY: &str = "statutory_signing_key.private_key";

/// A municipality's signing key as shown: never its private half.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningKeyInfo {
    /// The Ed25519 public key, 64 hexadecimal digits: what the region registers.
    pub public_key: String,
    /// SHA-256 of the public key, 64 hexadecimal digits: what the two sides compare aloud.
    pub fingerprint: String,
    pub created_at: Timestamp,
}

/// How a package reached the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageVia {
    /// `ostoja aggregates import FILE`.
    File,
    /// Pushed over HTTPS with a push token.
    Push,
}

impl PackageVia {
    fn as_str(self) -> &'static str {
        match self {
            PackageVia::File => "file",
            PackageVia::Push => "push",
        }
    }
}

/// A key the receiver registered, with the push token shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredKey {
    pub teryt: String,
    pub fingerprint: String,
    /// Shown once: the municipality's installation pushes with it (`ostoja aggregates push --token`).
    pub push_token: String,
}

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub teryt: String,
    pub name: String,
    pub year: i16,
    /// The sender's version.
    pub package_version: i32,
    /// The receiver's `statutory_approval` version it became.
    pub approval_version: i32,
    /// A later version of a year already received.
    pub correction: bool,
    /// The municipality was not yet known here and was created (with no cases).
    pub tenant_created: bool,
}

/// A registered municipality's key as the region's coordinator sees it in the register of keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageKey {
    pub teryt: String,
    /// The municipality's name on this installation; none until its first package arrived.
    pub municipality: Option<String>,
    pub fingerprint: String,
    pub registered_at: Timestamp,
    /// The login of the account that registered it; none: the operator at the command line.
    pub registered_by: Option<String>,
    pub revocation: Option<KeyRevocation>,
    /// The packages received under this key, by year and version (oldest first).
    pub packages: Vec<ReceivedPackage>,
}

/// A key's revocation: when, by whom (login) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRevocation {
    pub at: Timestamp,
    pub by: Option<String>,
    pub reason: String,
}

/// The shortest and longest reason for revoking a key, in characters.
pub const REVOKE_REASON_CHARS: std::ops::RangeInclusive<usize> = 10..=500;

/// A package received, as the receiver lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedPackage {
    pub teryt: String,
    pub year: i16,
    pub package_version: i32,
    pub approval_version: i32,
    pub via: String,
    pub received_at: Timestamp,
}

/// The refusal of a package: one field error naming what is wrong (and the line, for a figure).
fn refused(code: &'static str, args: Vec<(&'static str, String)>) -> StoreError {
    let mut errors = FieldErrors::new();
    errors.add_with("package", code, args);
    StoreError::Invalid(errors)
}

/// The refusal of a package under a revoked key: its fingerprint, the day it was revoked and the reason given.
fn revoked(fingerprint: &str, at: Timestamp, reason: Option<String>) -> StoreError {
    let day = at.to_zoned(domain::calendar::poland_zone()).strftime("%d.%m.%Y").to_string();
    refused(
        "err-package-key-revoked",
        vec![("fingerprint", fingerprint.to_owned()), ("date", day), ("reason", reason.unwrap_or_default())],
    )
}

/// The voivodeship whose keys the principal keeps: the regional coordinator's own; `NotFound` for anyone else.
fn key_region(principal: &Principal) -> Result<String, StoreError> {
    let code = principal.tenant_teryt.clone().ok_or(StoreError::NotFound)?;
    if domain::territory::TerritorialLevel::of_code(&code) != domain::territory::TerritorialLevel::Region
        || !principal.roles.permits(Permission::ManagePackageKeys)
    {
        return Err(StoreError::NotFound);
    }
    Ok(code)
}

fn from_field_error(e: FieldError) -> StoreError {
    let mut errors = FieldErrors::new();
    errors.add_with(e.field, e.code, e.args);
    StoreError::Invalid(errors)
}

/// SHA-256 of a public key, as stored and signed.
pub fn fingerprint_of(public_key: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public_key.as_bytes()))
}

/// The chair's municipality, or `NotFound` for anyone else.
fn chair_tenant(principal: &Principal) -> Result<Uuid, StoreError> {
    let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
    if !principal.roles.permits(Permission::ChairDecisions) {
        return Err(StoreError::NotFound);
    }
    Ok(tenant)
}

/// Whether a unique violation is the one-key-in-force index's (PostgreSQL names the index; SQLite names the column).
fn names_in_force_index(db: &dyn sqlx::error::DatabaseError) -> bool {
    db.constraint() == Some("statutory_package_key_in_force") || db.message().contains("statutory_package_key.teryt")
}

fn push_token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

fn parse_public_key(typed: &str) -> Result<VerifyingKey, StoreError> {
    let bytes = hex::decode(typed.trim()).map_err(|_| StoreError::invalid("key", "err-package-key-format"))?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| StoreError::invalid("key", "err-package-key-format"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| StoreError::invalid("key", "err-package-key-format"))
}

impl Store {
    /// The municipality's signing key for the chair's page, if one has been made: reading never makes one (a page
    /// view must change nothing; [`Store::create_statutory_signing_key`] does, on the chair's explicit request).
    pub async fn statutory_signing_key(&self, principal: &Principal) -> Result<Option<SigningKeyInfo>, StoreError> {
        let tenant = chair_tenant(principal)?;
        let row: Option<(String, String, jiff_sqlx::Timestamp)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT public_key, fingerprint, created_at FROM statutory_signing_key WHERE tenant_id = $1")
            .bind(tenant).fetch_optional(p).await)?;
        Ok(row.map(|(public_key, fingerprint, created_at)| SigningKeyInfo {
            public_key,
            fingerprint,
            created_at: created_at.to_jiff(),
        }))
    }

    /// The chair makes the municipality's signing key (sealed, audited with the caller's address); asking again
    /// returns the key there is.
    pub async fn create_statutory_signing_key(&self, caller: &Caller<'_>) -> Result<SigningKeyInfo, StoreError> {
        let tenant = chair_tenant(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let (_, info) = self.signing_key_in(&mut tx, &caller.actor(), tenant, true).await?;
        tx.commit().await?;
        Ok(info)
    }

    /// The municipality's signing key for the operator at the console (`ostoja aggregates key`), made on first use.
    pub async fn statutory_signing_key_as_operator(
        &self,
        actor: &Actor,
        tenant: Uuid,
    ) -> Result<SigningKeyInfo, StoreError> {
        let mut tx = self.db.begin().await?;
        let (_, info) = self.signing_key_in(&mut tx, actor, tenant, true).await?;
        tx.commit().await?;
        Ok(info)
    }

    /// The tenant's signing key, opened; when it has none, made, sealed and audited if `create`, else refused
    /// (`err-package-no-key`).
    async fn signing_key_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        tenant: Uuid,
        create: bool,
    ) -> Result<(SigningKey, SigningKeyInfo), StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let row: Option<(String, String, Vec<u8>, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT public_key, fingerprint, private_key_enc, created_at FROM statutory_signing_key WHERE tenant_id = $1")
            .bind(tenant).fetch_optional(c).await)?;
        if let Some((public_key, fingerprint, sealed, created_at)) = row {
            let secret = zeroize::Zeroizing::new(keys.decrypt_bytes(PRIVATE_KEY, tenant, &sealed)?);
            let secret: [u8; 32] = secret
                .as_slice()
                .try_into()
                .map_err(|_| StoreError::Key("the statutory signing key is not 32 bytes".into()))?;
            let signing = SigningKey::from_bytes(&secret);
            return Ok((signing, SigningKeyInfo { public_key, fingerprint, created_at: created_at.to_jiff() }));
        }
        if !create {
            return Err(refused("err-package-no-key", Vec::new()));
        }
        let mut secret = zeroize::Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(secret.as_mut());
        let signing = SigningKey::from_bytes(&secret);
        let public = signing.verifying_key();
        let info = SigningKeyInfo {
            public_key: hex::encode(public.as_bytes()),
            fingerprint: fingerprint_of(&public),
            created_at: self.now(),
        };
        let sealed = keys.encrypt_bytes(PRIVATE_KEY, tenant, secret.as_ref())?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO statutory_signing_key (tenant_id, public_key, fingerprint, private_key_enc, created_at) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(tenant).bind(&info.public_key).bind(&info.fingerprint).bind(&sealed).bind(ts(info.created_at))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::KeyCreated, "statutory_signing_key", tenant)
                .in_tenant(Some(tenant))
                .detail(format!("signing key for statutory packages, fingerprint {}", info.fingerprint)),
        )
        .await?;
        Ok((signing, info))
    }

    /// The chair's export of the municipality's latest approved set of `year` as a signed package: with the key the
    /// chair made on the page (a download never makes one).
    pub async fn export_statutory_package_for(&self, principal: &Principal, year: i16) -> Result<Vec<u8>, StoreError> {
        let tenant = chair_tenant(principal)?;
        self.export_package(&principal.actor(None), tenant, year, false).await
    }

    /// The latest approved statutory set of `tenant` for `year` as a signed package (pretty-printed JSON), for the
    /// operator at the console (`ostoja aggregates export`), the key made on first use. Refused for a year not yet
    /// ended, a year with no approved version, or figures that do not add up. Audited.
    pub async fn export_statutory_package(
        &self,
        actor: &Actor,
        tenant: Uuid,
        year: i16,
    ) -> Result<Vec<u8>, StoreError> {
        self.export_package(actor, tenant, year, true).await
    }

    async fn export_package(
        &self,
        actor: &Actor,
        tenant: Uuid,
        year: i16,
        create_key: bool,
    ) -> Result<Vec<u8>, StoreError> {
        bounds(year)?;
        if !package::year_ended(year, self.current_year()) {
            return Err(refused("err-package-year-not-ended", vec![("year", year.to_string())]));
        }
        let mut tx = self.db.begin().await?;
        let named: Option<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT teryt, name FROM tenant WHERE id = $1").bind(tenant).fetch_optional(c).await)?;
        let (teryt, name) = named.ok_or(StoreError::NotFound)?;
        let approved: Option<(i32, jiff_sqlx::Timestamp, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT version, approved_at, figures FROM statutory_approval WHERE tenant_id = $1 AND year = $2 \
             ORDER BY version DESC LIMIT 1")
            .bind(tenant).bind(i32::from(year)).fetch_optional(c).await)?;
        let Some((version, approved_at, figures)) = approved else {
            return Err(refused("err-package-not-approved", vec![("year", year.to_string())]));
        };
        let figures: BTreeMap<String, i64> =
            serde_json::from_str(&figures).map_err(|e| StoreError::corrupt_json("frozen set", &e))?;
        // The receiver refuses figures that do not add up: say so here, before anything is sent.
        package::check_figures(&figures).map_err(from_field_error)?;
        let (signing, info) = self.signing_key_in(&mut tx, actor, tenant, create_key).await?;
        let mut envelope = Package {
            format: FORMAT.to_owned(),
            teryt,
            name,
            year,
            version,
            approved_at: approved_at.to_jiff().to_string(),
            figures,
            key_fingerprint: info.fingerprint,
            signature: String::new(),
        };
        envelope.signature = hex::encode(signing.sign(&envelope.signed_bytes()).to_bytes());
        let bytes = serde_json::to_vec_pretty(&envelope).map_err(|e| StoreError::Internal(e.to_string()))?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "statutory_package", format!("{year}-v{version}"))
                .in_tenant(Some(tenant))
                .detail(format!("signed package of the statutory figures of {year}, version {version}")),
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }

    /// The receiver registers a municipality's public key (hexadecimal), once, for the operator at the command line
    /// (`ostoja aggregates register-key`). When `fingerprint` is given (as the municipality read it out), it must
    /// match. A municipality holds one key in force at a time: while it has one, a new key is refused
    /// (`err-package-key-in-force`, revoke the old one first). Returns the push token, shown once. Audited.
    pub async fn register_package_key(
        &self,
        actor: &Actor,
        teryt: &str,
        public_key: &str,
        fingerprint: Option<&str>,
    ) -> Result<RegisteredKey, StoreError> {
        let teryt = domain::tenant::Teryt::parse(teryt).map_err(|code| StoreError::invalid("teryt", code))?;
        if !self.in_register(teryt.as_str()).await? {
            return Err(StoreError::invalid("teryt", "err-teryt-not-in-register"));
        }
        let key = parse_public_key(public_key)?;
        let actual = fingerprint_of(&key);
        if let Some(typed) = fingerprint
            && package::normalise_fingerprint(typed) != actual
        {
            return Err(StoreError::invalid("fingerprint", "err-package-fingerprint-mismatch"));
        }
        self.insert_package_key(actor, teryt.as_str(), &key).await
    }

    /// The region's coordinator registers a municipality's public key on the register's page: a municipality (7
    /// digits) of the coordinator's own voivodeship, the key in hexadecimal and the fingerprint the municipality
    /// read out, which is required here and must match. A code of another voivodeship is refused exactly like a
    /// code that names no municipality (`err-package-key-teryt-unknown`), so the page tells nothing of what lies
    /// outside the coordinator's reach; anyone but a regional coordinator gets `NotFound`. Every field's refusal is
    /// given at once, beside its field. One key in force per municipality, as for the operator. Audited with the
    /// caller's address; returns the push token, shown once.
    pub async fn register_package_key_for(
        &self,
        caller: &Caller<'_>,
        teryt: &str,
        public_key: &str,
        fingerprint: &str,
    ) -> Result<RegisteredKey, StoreError> {
        let region = key_region(caller.principal)?;
        let mut e = FieldErrors::new();
        let teryt = match domain::tenant::Teryt::parse(teryt) {
            Err(code) => {
                e.add("teryt", code);
                None
            }
            Ok(t)
                if domain::territory::TerritorialLevel::of_code(t.as_str())
                    != domain::territory::TerritorialLevel::Municipality =>
            {
                e.add("teryt", "err-package-key-teryt-municipality");
                None
            }
            Ok(t) => {
                // The register knows its county, or the municipality is already known here (a demo's made-up
                // counties are in no register).
                let known = t.as_str().starts_with(&region)
                    && (self.in_register(t.as_str()).await? || self.known_tenant(t.as_str()).await?);
                if !known {
                    e.add("teryt", "err-package-key-teryt-unknown");
                }
                known.then_some(t)
            }
        };
        let key = match public_key.trim() {
            "" => {
                e.add("key", "err-required");
                None
            }
            typed => match parse_public_key(typed) {
                Ok(key) => Some(key),
                Err(_) => {
                    e.add("key", "err-package-key-format");
                    None
                }
            },
        };
        if fingerprint.trim().is_empty() {
            e.add("fingerprint", "err-package-fingerprint-required");
        } else if let Some(key) = &key
            && package::normalise_fingerprint(fingerprint) != fingerprint_of(key)
        {
            e.add("fingerprint", "err-package-fingerprint-mismatch");
        }
        let (Some(teryt), Some(key), true) = (teryt, key, e.is_empty()) else {
            return Err(StoreError::Invalid(e));
        };
        self.insert_package_key(&caller.actor(), teryt.as_str(), &key).await
    }

    /// Whether a tenant of that TERYT exists on this installation.
    async fn known_tenant(&self, teryt: &str) -> Result<bool, StoreError> {
        match self.tenant_by_teryt(teryt).await {
            Ok(_) => Ok(true),
            Err(StoreError::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Keeps a checked key for `teryt` with a new push token, refused while the municipality has a key in force
    /// (checked here and, for two registrations at once, by the unique index `statutory_package_key_in_force`).
    async fn insert_package_key(
        &self,
        actor: &Actor,
        teryt: &str,
        key: &VerifyingKey,
    ) -> Result<RegisteredKey, StoreError> {
        let actual = fingerprint_of(key);
        let in_force_refusal = || {
            let mut errors = FieldErrors::new();
            errors.add_with("teryt", "err-package-key-in-force", vec![("teryt", teryt.to_owned())]);
            StoreError::Invalid(errors)
        };
        let (push_token, _) = crate::identity::new_token("ostoja-push-");
        let mut tx = self.db.begin().await?;
        let in_force: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT fingerprint FROM statutory_package_key WHERE teryt = $1 AND revoked_at IS NULL")
            .bind(teryt).fetch_optional(c).await)?;
        if let Some((fingerprint,)) = in_force {
            // The same key again is "already registered", which says more than "revoke it first".
            return Err(if fingerprint == actual {
                StoreError::invalid("key", "err-package-key-taken")
            } else {
                in_force_refusal()
            });
        }
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO statutory_package_key (fingerprint, teryt, public_key, push_token_hash, registered_at, \
             registered_by) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&actual).bind(teryt).bind(hex::encode(key.as_bytes())).bind(push_token_hash(&push_token))
            .bind(ts(self.now())).bind(actor.account_id).execute(c).await.map(|r| r.rows_affected()))
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() && names_in_force_index(db.as_ref()) => {
                in_force_refusal()
            }
            _ => crate::error::unique_as_field(e, "key", "err-package-key-taken"),
        })?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "statutory_package_key", &actual)
                .detail(format!("registered the statutory package key of {teryt}")),
        )
        .await?;
        tx.commit().await?;
        Ok(RegisteredKey { teryt: teryt.to_owned(), fingerprint: actual, push_token })
    }

    /// The register of keys for the region's coordinator: every key registered for a municipality of the
    /// principal's voivodeship, revoked ones too, each with the packages received under it. Names the accounts
    /// that registered and revoked keys (their logins), so the read is audited.
    pub async fn package_keys(&self, principal: &Principal) -> Result<Vec<PackageKey>, StoreError> {
        let region = key_region(principal)?;
        let pattern = format!("{region}%");
        type KeyRow = (
            String,
            Option<String>,
            String,
            jiff_sqlx::Timestamp,
            Option<String>,
            Option<jiff_sqlx::Timestamp>,
            Option<String>,
            Option<String>,
        );
        let mut tx = self.db.begin().await?;
        let keys: Vec<KeyRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT k.teryt, t.name, k.fingerprint, k.registered_at, r.login, k.revoked_at, v.login, k.revoke_reason \
             FROM statutory_package_key k LEFT JOIN tenant t ON t.teryt = k.teryt \
             LEFT JOIN account r ON r.id = k.registered_by LEFT JOIN account v ON v.id = k.revoked_by \
             WHERE k.teryt LIKE $1 ORDER BY k.teryt, k.registered_at")
            .bind(&pattern).fetch_all(&mut *c).await)?;
        type PackageRow = (String, String, i32, i32, i32, String, jiff_sqlx::Timestamp);
        let packages: Vec<PackageRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.fingerprint, t.teryt, r.year, r.package_version, r.approval_version, r.via, r.received_at \
             FROM statutory_package_received r JOIN tenant t ON t.id = r.tenant_id \
             WHERE t.teryt LIKE $1 ORDER BY r.year, r.package_version")
            .bind(&pattern).fetch_all(&mut *c).await)?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::ReadPersonalData, "statutory_package_key", format!("region {region}"))
                .detail(format!("read the register of {} statutory package keys", keys.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(keys
            .into_iter()
            .map(|(teryt, municipality, fingerprint, at, registered_by, revoked_at, revoked_by, reason)| PackageKey {
                packages: packages
                    .iter()
                    .filter(|p| p.0 == fingerprint)
                    .map(|(_, teryt, year, package_version, approval_version, via, received_at)| ReceivedPackage {
                        teryt: teryt.clone(),
                        year: i16::try_from(*year).unwrap_or_default(),
                        package_version: *package_version,
                        approval_version: *approval_version,
                        via: via.clone(),
                        received_at: received_at.to_jiff(),
                    })
                    .collect(),
                revocation: revoked_at.map(|at| KeyRevocation {
                    at: at.to_jiff(),
                    by: revoked_by,
                    reason: reason.unwrap_or_default(),
                }),
                teryt,
                municipality,
                fingerprint,
                registered_at: at.to_jiff(),
                registered_by,
            })
            .collect())
    }

    /// The region's coordinator revokes a municipality's key, with a reason (10–500 characters): from now on a
    /// package signed with it, or pushed with its token, is refused with that reason; what was received under it
    /// stays kept and counted. The municipality registers a new key. A key outside the coordinator's voivodeship
    /// does not exist for them; a key revoked already is refused as such. Audited in the same transaction.
    pub async fn revoke_package_key(
        &self,
        caller: &Caller<'_>,
        fingerprint: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        let region = key_region(caller.principal)?;
        let fingerprint = package::normalise_fingerprint(fingerprint);
        let reason = reason.trim();
        let chars = reason.chars().count();
        if !REVOKE_REASON_CHARS.contains(&chars) {
            return Err(StoreError::invalid("reason", "err-package-revoke-reason"));
        }
        if reason.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            return Err(StoreError::invalid("reason", "err-package-revoke-reason-characters"));
        }
        let mut tx = self.db.begin().await?;
        let row: Option<(String, Option<jiff_sqlx::Timestamp>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT teryt, revoked_at FROM statutory_package_key WHERE fingerprint = $1")
            .bind(&fingerprint).fetch_optional(c).await)?;
        let Some((teryt, revoked_at)) = row.filter(|(teryt, _)| teryt.starts_with(&region)) else {
            return Err(StoreError::NotFound);
        };
        if revoked_at.is_some() {
            return Err(StoreError::invalid("reason", "err-package-key-already-revoked"));
        }
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE statutory_package_key SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 \
             WHERE fingerprint = $1 AND revoked_at IS NULL")
            .bind(&fingerprint).bind(ts(self.now())).bind(caller.principal.account_id).bind(reason)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "statutory_package_key", &fingerprint)
                .detail(format!("revoked the statutory package key of {teryt}: {reason}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every package received, newest first.
    pub async fn received_packages(&self) -> Result<Vec<ReceivedPackage>, StoreError> {
        type Row = (String, i32, i32, i32, String, jiff_sqlx::Timestamp);
        let rows: Vec<Row> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT t.teryt, r.year, r.package_version, r.approval_version, r.via, r.received_at \
             FROM statutory_package_received r JOIN tenant t ON t.id = r.tenant_id ORDER BY r.received_at DESC")
            .fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(teryt, year, package_version, approval_version, via, at)| ReceivedPackage {
                teryt,
                year: i16::try_from(year).unwrap_or_default(),
                package_version,
                approval_version,
                via,
                received_at: at.to_jiff(),
            })
            .collect())
    }

    /// A package pushed with a token: the token must be one this installation issued, and it admits only its own
    /// TERYT's packages. An unknown token is `NotFound` (the endpoint answers 401 and says nothing more).
    ///
    /// A wrong token is what a stranger on the network can send, so it is throttled per client address like the
    /// calendar feed's wrong addresses (`push:<address>` in the log-in throttle's table,
    /// [`LockoutPolicy::per_feed_address`] within [`FEED_REFUSAL_WINDOW`]): past the free refusals the address gets
    /// `AuthFailed` with the time it may try again and nothing is counted. The audit trail gets one entry for the
    /// first refusal of a window and one when the address is locked, never one per request.
    pub async fn import_pushed_package(
        &self,
        token: &str,
        bytes: &[u8],
        address: Option<String>,
    ) -> Result<Imported, StoreError> {
        let throttle = format!("push:{}", address.as_deref().unwrap_or("unknown"));
        if let Some(until) = self.throttle_locked_until(&throttle).await? {
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        type TokenRow = (String, String, Option<jiff_sqlx::Timestamp>, Option<String>);
        let row: Option<TokenRow> = if token.len() < 200 {
            on_pool!(&self.db, p => sqlx::query_as(
                "SELECT teryt, fingerprint, revoked_at, revoke_reason FROM statutory_package_key \
                 WHERE push_token_hash = $1")
                .bind(push_token_hash(token)).fetch_optional(p).await)?
        } else {
            None
        };
        // A revoked key's token admits nothing: its holder is told why (it proved it holds the token).
        if let Some((_, fingerprint, Some(at), reason)) = &row {
            return Err(revoked(&package::fingerprint_for_people(fingerprint), at.to_jiff(), reason.clone()));
        }
        let Some((teryt, fingerprint, _, _)) = row else {
            let policy = LockoutPolicy::per_feed_address();
            let count = match self.count_refusal(&throttle, &policy, FEED_REFUSAL_WINDOW).await? {
                Ok(count) => count,
                Err(until) => return Err(StoreError::AuthFailed { locked_until: Some(until) }),
            };
            let detail = if count == 1 {
                let shown: String = token.chars().take(16).collect();
                Some(format!("refused push token, prefix {shown}…"))
            } else if count == policy.free_attempts {
                Some(format!("{count} push tokens refused within the hour: this address is paused"))
            } else {
                None
            };
            if let Some(detail) = detail {
                self.record_event(
                    &Actor::anonymous(address),
                    AuditRecord::new(AuditAction::LoginFailed, "statutory_package_key", "unknown").detail(detail),
                )
                .await?;
            }
            return Err(StoreError::NotFound);
        };
        let actor = Actor {
            account_id: None,
            login: format!("push token of {teryt} ({})", package::fingerprint_for_people(&fingerprint)),
            tenant_id: None,
            address,
        };
        self.import(&actor, bytes, PackageVia::Push, Some(&teryt)).await
    }

    /// `ostoja aggregates import FILE`: a package read from a file by the operator.
    pub async fn import_statutory_package(&self, actor: &Actor, bytes: &[u8]) -> Result<Imported, StoreError> {
        self.import(actor, bytes, PackageVia::File, None).await
    }

    async fn import(
        &self,
        actor: &Actor,
        bytes: &[u8],
        via: PackageVia,
        token_teryt: Option<&str>,
    ) -> Result<Imported, StoreError> {
        let envelope = read_envelope(bytes)?;
        // The key first: nothing about the figures is said to a sender that cannot prove who it is.
        let registered: Option<(String, String, Option<jiff_sqlx::Timestamp>, Option<String>)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT teryt, public_key, revoked_at, revoke_reason FROM statutory_package_key WHERE fingerprint = $1")
            .bind(package::normalise_fingerprint(&envelope.key_fingerprint)).fetch_optional(p).await)?;
        let shown = package::fingerprint_for_people(&package::normalise_fingerprint(&envelope.key_fingerprint));
        let Some((key_teryt, public_key, revoked_at, reason)) = registered else {
            return Err(refused("err-package-unknown-key", vec![("fingerprint", shown)]));
        };
        if let Some(at) = revoked_at {
            return Err(revoked(&shown, at.to_jiff(), reason));
        }
        let key = parse_public_key(&public_key)?;
        let signature = hex::decode(&envelope.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| Signature::from_bytes(&b))
            .ok_or_else(|| refused("err-package-signature", Vec::new()))?;
        key.verify_strict(&envelope.signed_bytes(), &signature)
            .map_err(|_| refused("err-package-signature", Vec::new()))?;
        if envelope.teryt != key_teryt || token_teryt.is_some_and(|t| t != envelope.teryt) {
            let expected = token_teryt.unwrap_or(&key_teryt).to_owned();
            return Err(refused("err-package-teryt", vec![("teryt", envelope.teryt.clone()), ("expected", expected)]));
        }
        // The municipality's county must be one the register knows, or its figures would be summed under no one.
        if !self.in_register(&envelope.teryt).await? {
            let county = envelope.teryt.chars().take(4).collect::<String>();
            return Err(refused("err-package-county-unknown", vec![("county", county)]));
        }
        let year = envelope.year;
        if bounds(year).is_err() || !package::year_ended(year, self.current_year()) {
            return Err(refused("err-package-year-not-ended", vec![("year", year.to_string())]));
        }
        package::check_figures(&envelope.figures).map_err(from_field_error)?;
        if envelope.version < 1 {
            return Err(refused("err-package-format", vec![("line", "version".into())]));
        }
        let approved_at: Timestamp = envelope
            .approved_at
            .parse()
            .map_err(|_| refused("err-package-format", vec![("line", "approved_at".into())]))?;

        // The municipality on this installation: one with no cases of its own, made here when first heard of, in
        // the import's own transaction (its row, data key and audit entry are kept only with the package). The
        // checks that read (demo mode, the register) run before the transaction.
        let sender = match self.tenant_by_teryt(&envelope.teryt).await {
            Ok(t) => Sender::Known(t.id),
            Err(StoreError::NotFound) => {
                let (teryt, name) = self.checked_new_tenant(&envelope.teryt, &envelope.name, false).await?;
                Sender::New(teryt, name)
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.db.begin().await?;
        let (tenant, tenant_created) = match sender {
            Sender::Known(id) => (id, false),
            Sender::New(teryt, name) => (self.create_tenant_in(&mut tx, actor, &teryt, &name, false).await?.id, true),
        };
        let cases: (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT COUNT(*) FROM procedure WHERE tenant_id = $1")
            .bind(tenant).fetch_one(c).await)?;
        if cases.0 > 0 {
            return Err(refused("err-package-hosted", vec![("teryt", envelope.teryt.clone())]));
        }
        let seen: Option<(i32,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT package_version FROM statutory_package_received WHERE signature = $1")
            .bind(&envelope.signature).fetch_optional(c).await)?;
        if let Some((version,)) = seen {
            return Err(refused("err-package-replay", vec![("version", version.to_string())]));
        }
        let latest: (Option<i32>, Option<i32>) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT (SELECT MAX(package_version) FROM statutory_package_received WHERE tenant_id = $1 AND year = $2), \
                    (SELECT MAX(version) FROM statutory_approval WHERE tenant_id = $1 AND year = $2)")
            .bind(tenant).bind(i32::from(year)).fetch_one(c).await)?;
        if let Some(latest) = latest.0.filter(|v| *v >= envelope.version) {
            return Err(refused(
                "err-package-stale",
                vec![("version", envelope.version.to_string()), ("latest", latest.to_string())],
            ));
        }
        let approval_version = latest.1.unwrap_or(0) + 1;
        let figures = serde_json::to_string(&envelope.figures).map_err(|e| StoreError::Internal(e.to_string()))?;
        let stored = String::from_utf8_lossy(bytes).into_owned();
        let now = self.now();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO statutory_approval (tenant_id, year, version, figures, gaps, reason, approved_by, approved_at) \
             VALUES ($1, $2, $3, $4, '{}', NULL, NULL, $5)")
            .bind(tenant).bind(i32::from(year)).bind(approval_version).bind(&figures).bind(ts(approved_at))
            .execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO statutory_package_received (id, tenant_id, year, package_version, approval_version, fingerprint, \
             signature, package, via, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(Uuid::now_v7()).bind(tenant).bind(i32::from(year)).bind(envelope.version).bind(approval_version)
            .bind(package::normalise_fingerprint(&envelope.key_fingerprint)).bind(&envelope.signature).bind(&stored)
            .bind(via.as_str()).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))
            // Two receipts of one package at once: the loser meets the unique signature.
            .map_err(|e| crate::error::unique_as_field(e, "package", "err-package-replay"))?;
        // The county and region see it as this municipality's submission of the version it became here.
        self.record_submission_in(&mut tx, tenant, year, approval_version, crate::area::SubmissionVia::Package).await?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "statutory_package", format!("{year}-v{}", envelope.version))
                .in_tenant(Some(tenant))
                .detail(format!(
                    "received the statutory figures of {} for {year}, version {} ({}), stored as version {approval_version}",
                    envelope.teryt,
                    envelope.version,
                    via.as_str()
                )),
        )
        .await?;
        tx.commit().await?;
        Ok(Imported {
            teryt: envelope.teryt,
            name: envelope.name,
            year,
            package_version: envelope.version,
            approval_version,
            correction: latest.0.is_some(),
            tenant_created,
        })
    }

    /// The current year in Poland.
    fn current_year(&self) -> i16 {
        self.now().to_zoned(domain::calendar::poland_zone()).year()
    }
}

/// The sending municipality on the receiving installation: known already, or to be made in the import's transaction.
enum Sender {
    Known(Uuid),
    New(domain::tenant::Teryt, String),
}

/// The envelope read from bytes: size, JSON (a syntax error names the file's line), format.
fn read_envelope(bytes: &[u8]) -> Result<Package, StoreError> {
    if bytes.len() > package::MAX_BYTES {
        return Err(refused("err-package-too-large", Vec::new()));
    }
    let envelope: Package = serde_json::from_slice(bytes)
        .map_err(|e| refused("err-package-json", vec![("file_line", e.line().to_string())]))?;
    if envelope.format != FORMAT {
        return Err(refused(
            "err-package-format-version",
            vec![("format", envelope.format.chars().take(60).collect())],
        ));
    }
    Ok(envelope)
}
