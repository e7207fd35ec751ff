//! The region's register of municipal keys (issue 17, item 5): the public keys the voivodeship's installation
//! registered for its municipalities' signed statutory packages, who registered each and when, what arrived under
//! each (year and version), and a key's revocation (a confirmation page with a reason). A revoked key's packages are
//! refused on import with that reason; what was received under it stays kept and counted. The regional coordinator
//! only; keys and figures, never a person's data beyond the logins of the accounts that kept the register.
//!
//! The coordinator also registers a municipality's key here (TERYT, public key, and the fingerprint the municipality
//! read out by phone, which must match): the push token is shown once, on the answer to that POST, never cached. A
//! municipality holds one key in force at a time. For anyone else every route here answers as if it did not exist.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::package::fingerprint_for_people;
use serde::Deserialize;
use store::StoreError;
use store::programme::package::{PackageKey, REVOKE_REASON_CHARS};

use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

/// One key as the register shows it: everything in words, dates in Polish form.
pub struct KeyRow {
    pub key: PackageKey,
    pub municipality: String,
    pub fingerprint: String,
    pub registered: String,
    /// None: in force.
    pub revoked: Option<String>,
    /// Per year received: "2025: wersje 1, 2 (przyjęto 12.01.2026)".
    pub years: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "area/keys.html")]
pub struct KeysPage {
    chrome: Chrome,
    rows: Vec<KeyRow>,
    in_force: usize,
    /// The registration form: empty, or as typed with its refusals.
    form: FormState,
}

/// The answer to a registration: the push token, shown this once.
#[derive(Template, WebTemplate)]
#[template(path = "area/key_registered.html")]
pub struct RegisteredPage {
    chrome: Chrome,
    teryt: String,
    fingerprint: String,
    push_token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "area/revoke_key.html")]
pub struct RevokePage {
    chrome: Chrome,
    row: KeyRow,
    form: FormState,
}

fn day_time(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%d.%m.%Y, %H:%M").to_string()
}

fn row(key: PackageKey, t: &crate::i18n::Tr) -> KeyRow {
    let by = |login: &Option<String>| login.clone().unwrap_or_else(|| t.get("keys-by-operator"));
    let registered = t.arg2("keys-registered", "date", &day_time(key.registered_at), "by", &by(&key.registered_by));
    let revoked = key
        .revocation
        .as_ref()
        .map(|r| t.args("keys-revoked", &[("date", day_time(r.at)), ("by", by(&r.by)), ("reason", r.reason.clone())]));
    let mut years: Vec<String> = Vec::new();
    let mut by_year: std::collections::BTreeMap<i16, Vec<&store::programme::package::ReceivedPackage>> =
        std::collections::BTreeMap::new();
    for p in &key.packages {
        by_year.entry(p.year).or_default().push(p);
    }
    for (year, packages) in by_year.iter().rev() {
        let versions = packages.iter().map(|p| p.package_version.to_string()).collect::<Vec<_>>().join(", ");
        let last = packages.last().map(|p| super::date(p.received_at)).unwrap_or_default();
        years.push(t.args("keys-year-received", &[("year", year.to_string()), ("versions", versions), ("date", last)]));
    }
    KeyRow {
        municipality: key.municipality.clone().unwrap_or_else(|| t.get("keys-municipality-not-yet")),
        fingerprint: fingerprint_for_people(&key.fingerprint),
        registered,
        revoked,
        years,
        key,
    }
}

/// The register's routes exist only for the region's coordinator: anyone else is answered as if they did not.
fn reachable(user: &User) -> Result<(), PageError> {
    let region = user.principal.tenant_teryt.as_deref().is_some_and(|code| {
        domain::territory::TerritorialLevel::of_code(code) == domain::territory::TerritorialLevel::Region
    });
    if region && user.can(Permission::ManagePackageKeys) { Ok(()) } else { Err(ErrorPage::NotFound.into()) }
}

async fn keys_page(state: &AppState, user: &User, form: FormState) -> Result<KeysPage, PageError> {
    let t = user.ctx.t();
    let keys = state.store.package_keys(&user.principal).await?;
    let rows: Vec<KeyRow> = keys.into_iter().map(|k| row(k, &t)).collect();
    let in_force = rows.iter().filter(|r| r.revoked.is_none()).count();
    Ok(KeysPage { chrome: Chrome::for_user(user, "keys-title"), rows, in_force, form })
}

/// `GET /area/keys`: the register of the voivodeship's municipal keys, with the form to register one.
pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    reachable(&user)?;
    Ok(keys_page(&state, &user, FormState::new()).await?.into_response())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    teryt: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    fingerprint: String,
}

/// `POST /area/keys`: a municipality's key registered; the answer shows its push token once and is never cached. A
/// refusal comes back on the register beside its fields, with what was typed.
pub async fn register(
    State(state): State<AppState>,
    user: User,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, PageError> {
    reachable(&user)?;
    let registered =
        state.store.register_package_key_for(&user.caller(), &form.teryt, &form.key, &form.fingerprint).await;
    match registered {
        Ok(registered) => {
            let page = RegisteredPage {
                chrome: Chrome::for_user(&user, "keys-registered-title"),
                fingerprint: fingerprint_for_people(&registered.fingerprint),
                teryt: registered.teryt,
                push_token: registered.push_token,
            };
            Ok(([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], page).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let t = user.ctx.t();
            let typed = FormState::new()
                .with("teryt", &form.teryt)
                .with("key", &form.key)
                .with("fingerprint", &form.fingerprint)
                .with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, keys_page(&state, &user, typed).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The key of the path among the principal's register, or the 404 page (another voivodeship's key does not exist).
async fn find(state: &AppState, user: &User, fingerprint: &str) -> Result<KeyRow, PageError> {
    let wanted = domain::programme::package::normalise_fingerprint(fingerprint);
    let key = state
        .store
        .package_keys(&user.principal)
        .await?
        .into_iter()
        .find(|k| k.fingerprint == wanted)
        .ok_or(PageError::from(ErrorPage::NotFound))?;
    Ok(row(key, &user.ctx.t()))
}

fn revoke_page(user: &User, row: KeyRow, form: FormState) -> RevokePage {
    let mut chrome = Chrome::for_user(user, "keys-revoke-title");
    chrome.title = user.ctx.t().arg("keys-revoke-heading", "municipality", &row.municipality);
    RevokePage { chrome, row, form }
}

/// `GET /area/keys/{fingerprint}/revoke`: what revoking will do, and the reason to give.
pub async fn confirm(
    State(state): State<AppState>,
    user: User,
    Ids(fingerprint): Ids<String>,
) -> Result<Response, PageError> {
    reachable(&user)?;
    let row = find(&state, &user, &fingerprint).await?;
    Ok(revoke_page(&user, row, FormState::new()).into_response())
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

/// `POST /area/keys/{fingerprint}/revoke`: the key revoked, back to the register with "Zapisano"; a refused reason
/// stays typed beside its field.
pub async fn revoke(
    State(state): State<AppState>,
    user: User,
    Ids(fingerprint): Ids<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, PageError> {
    reachable(&user)?;
    match state.store.revoke_package_key(&user.caller(), &fingerprint, &form.reason).await {
        Ok(()) => Ok(crate::flash::saved("/area/keys")),
        Err(StoreError::Invalid(errors)) => {
            let t = user.ctx.t();
            let typed = FormState::new().with("reason", &form.reason).with_errors(&errors, &t);
            let row = find(&state, &user, &fingerprint).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, revoke_page(&user, row, typed)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

impl RevokePage {
    fn reason_hint(&self) -> String {
        self.chrome.t.arg2(
            "keys-revoke-reason-hint",
            "min",
            &REVOKE_REASON_CHARS.start().to_string(),
            "max",
            &REVOKE_REASON_CHARS.end().to_string(),
        )
    }
}
