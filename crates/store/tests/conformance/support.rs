//! What the areas' tests share: a store on a fresh database with a clock the test controls, and the few steps most
//! tests begin with.

use std::sync::Arc;

use domain::clock::{Clock, ManualClock, SharedClock};
use domain::identity::Role;
use jiff::{SignedDuration, Timestamp};
use store::identity::{NewAccount, PersonalDetails};
use store::tenant::Tenant;
use store::testing::TestDatabase;
use store::{Actor, AuditEntry, AuditFilter, Db, Store, StoreError};
use uuid::Uuid;

/// A Monday morning; whole seconds, so TOTP steps and lock-out ends are easy to reason about.
pub const START: &str = "2026-03-02T08:00:00Z";

/// A password that passes the policy for every login used here.
pub const PASSWORD: &str = "długie hasło zespołu 2026";

pub const ADDRESS: &str = "192.0.2.10";

/// A store on a fresh database of the engine under test, with a clock that moves only when told.
pub struct Harness {
    // Declared first so it is dropped (and its pool released) before the database is dropped.
    pub store: Store,
    pub clock: ManualClock,
    pub db: TestDatabase,
}

impl Harness {
    pub async fn new() -> Harness {
        let db = TestDatabase::new().await;
        let clock = ManualClock::at(START.parse().expect("start instant"));
        let store = Store::open(&db.options, shared(&clock)).await.expect("store opens on a fresh database");
        Harness { store, clock, db }
    }

    /// Opens a second store on the same database and key file, as a restarted server would.
    pub async fn reopen(&self) -> Result<Store, StoreError> {
        Store::open(&self.db.options, shared(&self.clock)).await
    }

    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

pub fn shared(clock: &ManualClock) -> SharedClock {
    Arc::new(clock.clone())
}

pub fn operator() -> Actor {
    Actor::operator()
}

pub fn is_postgres(store: &Store) -> bool {
    matches!(store.db(), Db::Postgres(_))
}

/// Tomaszów Mazowiecki.
pub const TERYT: &str = "1016011";
/// Jasło.
pub const OTHER_TERYT: &str = "1805021";

pub async fn tenant(store: &Store) -> Tenant {
    store.create_tenant(&operator(), TERYT, "Gmina Miasto Tomaszów Mazowiecki", false).await.expect("tenant created")
}

pub async fn other_tenant(store: &Store) -> Tenant {
    store.create_tenant(&operator(), OTHER_TERYT, "Gmina Miasto Jasło", false).await.expect("tenant created")
}

pub fn details(full_name: &str) -> PersonalDetails {
    PersonalDetails {
        full_name: full_name.into(),
        email: "zofia.zolkiewska@ops.example.pl".into(),
        phone: "+48 600 123 456".into(),
    }
}

pub fn new_account(tenant: Option<Uuid>, login: &str, full_name: &str) -> NewAccount {
    let roles = if tenant.is_some() { vec![Role::GroupMember] } else { vec![Role::SystemAdministrator] };
    NewAccount { tenant_id: tenant, institution_id: None, login: login.into(), roles, details: details(full_name) }
}

/// A tenant's account, created by the operator; returns its id and the activation token.
pub async fn account(store: &Store, tenant: Uuid, login: &str) -> (Uuid, String) {
    store
        .create_account(&operator(), &new_account(Some(tenant), login, "Zofia Żółkiewska"))
        .await
        .expect("account created")
}

/// A tenant and an account with its password set (activated), without a second factor yet.
pub async fn activated_account(store: &Store, login: &str) -> Uuid {
    let tenant = tenant(store).await;
    let (id, token) = account(store, tenant.id, login).await;
    store.activate(&token, PASSWORD, PASSWORD, None).await.expect("activation");
    id
}

/// An activated account whose authenticator is enrolled and confirmed at the current instant; returns its id and the
/// base32 secret.
pub async fn enrolled_account(h: &Harness, login: &str) -> (Uuid, String) {
    let id = activated_account(&h.store, login).await;
    let enrolment = h.store.totp_enrolment(id).await.expect("enrolment");
    let code = totp_code(&enrolment.secret_base32, login, h.now());
    h.store.confirm_totp_enrolment(id, &code, ADDRESS).await.expect("enrolment confirmed");
    (id, enrolment.secret_base32)
}

/// The code an authenticator app shows at `at` for this secret.
pub fn totp_code(secret_base32: &str, login: &str, at: Timestamp) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).expect("base32 secret");
    totp_rs::Builder::new()
        .with_secret(secret.as_bytes().to_vec())
        .with_account_name(login)
        .with_issuer(Some("Ostoja"))
        .build()
        .expect("TOTP parameters")
        .generate(u64::try_from(at.as_second()).expect("after 1970"))
        .to_string()
}

/// The audit entries with this action, newest first (the reading itself is recorded after the list is taken).
pub async fn audit_entries(store: &Store, action: &str) -> Vec<AuditEntry> {
    store
        .audit_entries(&operator(), &AuditFilter { action: Some(action.into()), limit: 100, ..AuditFilter::default() })
        .await
        .expect("audit entries")
}

/// The newest entries of the whole trail, newest first.
pub async fn all_audit_entries(store: &Store) -> Vec<AuditEntry> {
    store
        .audit_entries(&operator(), &AuditFilter { limit: 500, ..AuditFilter::default() })
        .await
        .expect("audit entries")
}

/// Runs a statement directly on the database, as someone with database access (not the store) would.
pub async fn execute(store: &Store, sql: &str) -> Result<u64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match store.db() {
        Db::Sqlite(p, _) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    }
}

/// One integer from a query run directly on the database.
pub async fn scalar(store: &Store, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let (n,): (i64,) = match store.db() {
        Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_one(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .expect("scalar query");
    n
}

/// The field and message id of a single-field validation error; panics on any other outcome.
pub fn field_error<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) -> &'static str {
    match result {
        Err(StoreError::Invalid(errors)) => {
            errors.for_field(field).unwrap_or_else(|| panic!("no error for field {field}: {errors:?}"))
        }
        other => panic!("expected a validation error for {field}, got {other:?}"),
    }
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Closes a case as the closing page does: the reason with a justification, at its latest held meeting (if any), the
/// warnings confirmed.
pub async fn close_case(
    store: &Store,
    case: &store::procedure::CaseHandle,
    reason: domain::procedure::lifecycle::ClosingReason,
    version: i64,
) -> Result<domain::procedure::lifecycle::ProcedureState, StoreError> {
    let context = store.closing_context(case).await?;
    let decision = domain::procedure::closing::ClosingDecision {
        reason,
        justification: Some("Uzasadnienie zakończenia.".to_owned()),
        occurred_at: None,
        meeting: context.meetings.first().map(|(id, _)| *id),
    };
    store.close_procedure(case, &decision, true, version).await
}
