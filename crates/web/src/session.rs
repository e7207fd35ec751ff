//! Who is asking: the session cookie, the language, the client's address and the CSRF token, as extractors.
//!
//! Guarantees:
//! - [`User`] exists only for a fully logged-in session (password and second factor); handlers that take it cannot
//!   run for anyone else. Its `require` asks the domain's permission table, never compares roles itself.
//! - Every state-changing form carries a CSRF token: the session's own token once logged in, a double-submit cookie
//!   before that. The Fetch-Metadata/Origin check of `tower_http::csrf` stands in front of both.
//! - Session cookies are HttpOnly and SameSite=Strict, and Secure behind TLS.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum_extra::extract::CookieJar;
use domain::identity::Permission;
use store::identity::{Principal, SessionInfo, SessionStage};

use crate::error::{ErrorPage, PageError};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "ostoja_session";
pub const CSRF_COOKIE: &str = "ostoja_csrf";
pub const LANG_COOKIE: &str = "ostoja_lang";

/// Whether a presented secret equals the expected one, in time that does not depend on where they differ; an empty
/// expected secret matches nothing.
pub fn same_secret(expected: &str, presented: &str) -> bool {
    let (a, b) = (expected.as_bytes(), presented.as_bytes());
    !a.is_empty() && a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The anonymous CSRF token for this request (from the cookie, or freshly minted by the middleware).
#[derive(Debug, Clone)]
pub struct AnonCsrf(pub String);

/// Everything about the request's sender, whether logged in or not.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub address: String,
    pub session_token: Option<String>,
    pub session: Option<SessionInfo>,
    pub session_expired: bool,
    anon_csrf: String,
    pub path: String,
    /// Unread notifications of a fully logged-in user, for the page header.
    pub unread: i64,
    /// When the request arrived, by the application's clock.
    pub now: jiff::Timestamp,
    /// What the previous request's save asks this page to say ("Zapisano"), see [`crate::flash`].
    pub flash: Option<crate::flash::Flash>,
}

impl Ctx {
    pub fn t(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// The CSRF token forms on this page must carry.
    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or(&self.anon_csrf, |s| &s.csrf_token)
    }

    /// Refuses a form whose token does not match (constant-time comparison).
    pub fn check_csrf(&self, presented: &str) -> Result<(), PageError> {
        if same_secret(self.csrf(), presented) { Ok(()) } else { Err(ErrorPage::CsrfFailed.into()) }
    }

    pub fn stage(&self) -> Option<SessionStage> {
        self.session.as_ref().map(|s| s.stage)
    }

    /// The session token and account of a login that stands at `stage` (between password and second factor).
    pub fn at_stage(&self, stage: SessionStage) -> Option<(&str, uuid::Uuid)> {
        match (&self.session_token, &self.session) {
            (Some(token), Some(s)) if s.stage == stage => Some((token.as_str(), s.principal.account_id)),
            _ => None,
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let lang = jar.get(LANG_COOKIE).and_then(|c| Lang::from_code(c.value())).unwrap_or_default();
        let address = crate::client::address(parts, &state.config.trusted_proxies);
        let session_token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).filter(|v| v.len() == 64);
        let (session, session_expired) = match &session_token {
            Some(token) => match state.store.session(token).await.map_err(PageError::from)? {
                Ok(info) => (Some(info), false),
                Err(store::identity::SessionEnd::Expired) => (None, true),
                Err(store::identity::SessionEnd::Unknown) => (None, false),
            },
            None => (None, false),
        };
        if let Some(SessionInfo { stage: SessionStage::Full, principal, .. }) = &session {
            store::row_security::settle_request_tenant(principal.tenant_id);
        }
        let anon_csrf = parts.extensions.get::<AnonCsrf>().map(|a| a.0.clone()).unwrap_or_default();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        // Read with the session in one query.
        let unread = match &session {
            Some(s) if s.stage == SessionStage::Full => s.unread,
            _ => 0,
        };
        let now = state.clock.now();
        let flash = parts.extensions.get::<crate::flash::Incoming>().map(|f| f.0);
        let ctx = Ctx { lang, address, session_token, session, session_expired, anon_csrf, path, unread, now, flash };
        parts.extensions.insert(ctx.clone());
        Ok(ctx)
    }
}

/// A fully logged-in user.
#[derive(Debug, Clone)]
pub struct User {
    pub ctx: Ctx,
    pub principal: Principal,
}

impl User {
    /// Refuses with 403 unless one of the user's roles grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.principal.roles.permits(permission) { Ok(()) } else { Err(ErrorPage::Forbidden.into()) }
    }

    pub fn can(&self, permission: Permission) -> bool {
        self.principal.roles.permits(permission)
    }

    pub fn actor(&self) -> store::Actor {
        self.caller().actor()
    }

    /// Who asks the store to act and from where: the principal and the client's address, for the audit entries the
    /// store's calls write.
    pub fn caller(&self) -> store::Caller<'_> {
        store::Caller::new(&self.principal, Some(self.ctx.address.clone()))
    }
}

impl FromRequestParts<AppState> for User {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match &ctx.session {
            Some(SessionInfo { stage: SessionStage::Full, principal, .. }) => {
                let principal = principal.clone();
                Ok(User { ctx, principal })
            }
            _ => {
                let next =
                    if parts.method == axum::http::Method::GET { ctx.path.clone() } else { page_of_post(&ctx.path) };
                Err(PageError::LoginRequired { next, expired: ctx.session_expired })
            }
        }
    }
}

/// Where to return after logging in again when a post found its session gone: the form page it came from (where the
/// browser's draft is filled back in), the case for the other case actions, the dashboard otherwise.
pub fn page_of_post(path: &str) -> String {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match parts.as_slice() {
        ["procedures", "new"]
        | ["procedures", _, "forms", _]
        | ["procedures", _, "records", "new", _]
        | ["procedures", _, "records", _, "edit" | "minutes"]
        | ["procedures", _, "referrals"] => path.to_owned(),
        ["procedures", id, ..] => format!("/procedures/{id}"),
        _ => "/".to_owned(),
    }
}

impl OptionalFromRequestParts<AppState> for User {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        match <User as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(user) => Ok(Some(user)),
            Err(PageError::LoginRequired { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A `Set-Cookie` value for the session token.
pub fn session_cookie(state: &AppState, token: &str) -> HeaderValue {
    cookie_header(SESSION_COOKIE, token, state.config.secure_cookies, None)
}

pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    cookie_header(SESSION_COOKIE, "", state.config.secure_cookies, Some(0))
}

pub fn cookie_header(name: &str, value: &str, secure: bool, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Responds with a redirect (303) that also sets a cookie.
pub fn redirect_with_cookie(to: &str, cookie: HeaderValue) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = axum::response::Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::page_of_post;

    #[test]
    fn a_post_without_a_session_returns_to_its_form_page_or_its_case_after_login() {
        assert_eq!(page_of_post("/procedures/new"), "/procedures/new");
        assert_eq!(page_of_post("/procedures/abc/forms/c"), "/procedures/abc/forms/c");
        assert_eq!(page_of_post("/procedures/abc/records/new/meeting"), "/procedures/abc/records/new/meeting");
        assert_eq!(page_of_post("/procedures/abc/records/r1/minutes"), "/procedures/abc/records/r1/minutes");
        assert_eq!(page_of_post("/procedures/abc/command"), "/procedures/abc");
        assert_eq!(page_of_post("/procedures/abc/records/r1/cancel"), "/procedures/abc");
        assert_eq!(page_of_post("/logout"), "/");
        assert_eq!(page_of_post("/admin/tenants"), "/");
    }
}
