//! Accounts and how they prove who they are: passwords (Argon2id), the TOTP second factor, sessions, one-time links
//! (set-up, activation, second-factor reset), API tokens and the lock-out after failed logins.
//!
//! Guarantees:
//! - Secrets are stored only as hashes (passwords: Argon2id; session, link and API tokens: SHA-256 of 256 random
//!   bits), or encrypted (the TOTP secret), so a copy of the database lets no one log in.
//! - A TOTP code is accepted once: the step it matched is remembered and older or equal steps are refused.
//! - Every login success and failure, every rejected token and every change of roles, password or second factor is
//!   in the audit trail.

mod accounts;
mod filler;
mod lifecycle;
mod links;
mod login;
mod position;
mod sessions;
mod tokens;

pub use accounts::{AccountView, NewAccount, PersonalDetails};
pub use filler::Filler;
pub use lifecycle::{CASE_ROLES, ResetKind, ResetOutcome, ResetRequestView};
pub use links::{LinkInfo, LinkPurpose};
pub use login::{LoginOutcome, TotpEnrolment};
pub use position::{POSITION_MAX_CHARS, parse_position};
pub use sessions::{SessionEnd, SessionInfo, SessionPolicy, SessionStage, UNREAD_COUNT_CAP};
pub use tokens::{ApiTokenView, DEFAULT_TOKEN_DAYS, LAST_USE_EVERY, MAX_TOKEN_DAYS};

use domain::identity::RoleSet;
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// Who is logged in, as the web layer and the domain see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub account_id: Uuid,
    pub login: String,
    pub tenant_id: Option<Uuid>,
    pub tenant_teryt: Option<String>,
    pub tenant_name: Option<String>,
    pub tenant_is_demo: bool,
    /// Made by `ostoja demo`: such an account acts on demo municipalities only.
    pub demo_account: bool,
    pub roles: RoleSet,
}

impl Principal {
    /// Whether this principal may act on a municipality at all: a demo account never on a real one.
    pub fn may_act_on(&self, tenant_is_demo: bool) -> bool {
        !self.demo_account || tenant_is_demo
    }
}

impl Principal {
    /// The audit trail's actor for this principal, from `address`. A request passes its [`Caller`] instead
    /// ([`Caller::actor`]), so the address cannot be forgotten; this form is for jobs and the command line, which have
    /// none.
    pub fn actor(&self, address: Option<String>) -> crate::Actor {
        crate::Actor {
            account_id: Some(self.account_id),
            login: self.login.clone(),
            tenant_id: self.tenant_id,
            address,
        }
    }
}

/// Who asks the store to act and from where: the principal and the client's address, which every audit entry the
/// call writes records beside the account.
///
/// One value instead of a `&Principal` and an `address: Option<String>` on every method, so the pair cannot be
/// split (an entry with another request's address, or none where the web has one) and a call names its caller once.
/// It borrows the principal: the web layer holds it for the request already (`User::caller`, `ApiUser::caller`),
/// and a caller is made per call without copying the roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller<'a> {
    pub principal: &'a Principal,
    /// The client's address as the audit trail records it; `None` where there is no client (jobs, the command
    /// line, tests).
    pub address: Option<String>,
}

impl<'a> Caller<'a> {
    /// A request's caller: the principal and the client's address it came from.
    pub fn new(principal: &'a Principal, address: Option<String>) -> Self {
        Caller { principal, address }
    }

    /// A caller with no client address: a job, the command line or a test acting as `principal`. The web layer
    /// always has an address and uses [`Caller::new`] (through `User::caller`).
    pub fn local(principal: &'a Principal) -> Self {
        Caller { principal, address: None }
    }

    /// The audit trail's actor for this call: the principal's account and tenant, and the client's address.
    pub fn actor(&self) -> crate::Actor {
        self.principal.actor(self.address.clone())
    }
}

/// A fresh random token (256 bits, hex) and the hash under which it is stored.
pub(crate) fn new_token(prefix: &str) -> (String, Vec<u8>) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{prefix}{}", hex::encode(bytes));
    let hash = token_hash(&token);
    (token, hash)
}

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Argon2id with the crate's defaults (m = 19 MiB, t = 2, p = 1: OWASP's recommendation), off the async threads.
pub(crate) async fn hash_password(password: String) -> Result<String, crate::StoreError> {
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| crate::StoreError::Key(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| crate::StoreError::Key(format!("password hashing task failed: {e}")))?
}

pub(crate) async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordVerifier;
        // Without a stored hash, still spend the time of one verification, so timing does not tell which logins exist.
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.to_owned());
        argon2::Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()
    })
    .await
    .unwrap_or(false)
}

/// An Argon2id hash of a random string nobody knows, used to equalise timing for unknown logins.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$F3zJ8YV1Q0m0zJ2s4e8cO2yqzQm4o8k6Jz7lQ0xwq3s";
