use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::Caller;
use store::StoreError;
use store::identity::SessionStage;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState, PostForm};
use crate::session::{Ctx, clear_session_cookie, redirect_with_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/login.html")]
pub struct LoginPage {
    chrome: Chrome,
    form: FormState,
    next: String,
    failure: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    bye: Option<String>,
}

/// Only a path on this site may be a redirect target (no open redirect): one leading `/`, no `//`, no backslash,
/// no control character, neither raw nor percent-encoded (`/%09/host` would reach another origin: browsers drop
/// the tab and read `//host`). Anything else goes to the home page.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn is_local_path(n: &str) -> bool {
    fn plain(s: &str) -> bool {
        s.starts_with('/') && !s.starts_with("//") && !s.contains('\\') && !s.chars().any(|c| c.is_control())
    }
    // Checked raw, then once and twice percent-decoded, so no encoding hides a control character or a second slash.
    let once = percent_decode(n);
    let twice = percent_decode(&once);
    n.len() < 512 && plain(n) && plain(&once) && plain(&twice) && !twice.contains("/\\")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (Some(b'%'), Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (Some(b), _, _) => {
                out.push(*b);
                i += 1;
            }
            (None, _, _) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a `next` parameter holds a line break or another control character: a request to refuse with 400, not
/// a redirect to build (a header cannot hold it).
pub fn next_is_malformed(next: Option<&str>) -> bool {
    next.is_some_and(|n| n.chars().any(|c| c == '\r' || c == '\n' || c == '\0'))
}

pub async fn show(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
    if next_is_malformed(q.next.as_deref()) {
        return PageError::from(crate::error::ErrorPage::BadRequest).into_response();
    }
    if ctx.stage() == Some(SessionStage::Full) {
        return Redirect::to("/").into_response();
    }
    let t = ctx.t();
    let notice = if ctx.session_expired || q.expired.is_some() {
        Some(t.get("session-expired"))
    } else if q.bye.is_some() {
        Some(t.get("logged-out"))
    } else {
        None
    };
    LoginPage {
        chrome: Chrome::new(&ctx, "login-title").with_notice(notice),
        form: FormState::new(),
        next: safe_next(q.next.as_deref()),
        failure: None,
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<Response, PageError> {
    if next_is_malformed(Some(&form.next)) {
        return Err(crate::error::ErrorPage::BadRequest.into());
    }
    let t = ctx.t();
    let next = safe_next(Some(&form.next));
    let failed = |message: String| {
        let page = LoginPage {
            chrome: Chrome::new(&ctx, "login-title"),
            form: FormState::new().with("login", &form.login),
            next: next.clone(),
            failure: Some(message),
        };
        (axum::http::StatusCode::UNAUTHORIZED, page).into_response()
    };
    match state.store.password_login(&form.login, &form.password, &ctx.address).await {
        Ok(outcome) => {
            let token = state.store.create_session(outcome.account_id, outcome.next).await?;
            let target = match outcome.next {
                SessionStage::Full => next,
                SessionStage::SecondFactor => format!("/login/second-factor?next={}", urlencode(&next)),
                SessionStage::Enrolment => "/enrol".to_owned(),
            };
            Ok(redirect_with_cookie(&target, session_cookie(&state, &token)))
        }
        Err(StoreError::AuthFailed { locked_until }) => {
            state.metrics.login_failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok(failed(match locked_until {
                Some(until) => t.arg("login-locked", "until", &local_time(until)),
                None => t.get("login-failed"),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|v| v.trim_start_matches('=').to_owned()).unwrap_or_default()
}

/// A time as people in Poland read it.
pub fn local_time(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::{next_is_malformed, safe_next};

    #[test]
    fn only_a_path_on_this_site_is_a_redirect_target() {
        for good in ["/", "/procedures?page=2", "/procedures/abc#x", "/pomoc/1016011", "/a%20b"] {
            assert_eq!(safe_next(Some(good)), good, "{good}");
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil",
            "https://evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%252F/evil",
            "/%0d%0aSet-Cookie:x",
            "evil",
            "",
            "/\u{7f}x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
    }

    #[test]
    fn a_line_break_in_next_is_a_malformed_request() {
        assert!(next_is_malformed(Some("/a\r\nb")));
        assert!(!next_is_malformed(Some("/a%0d%0ab")));
        assert!(!next_is_malformed(None));
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    PostForm(form): PostForm<LogoutForm>,
) -> Result<Response, PageError> {
    if let (Some(token), Some(session)) = (&ctx.session_token, &ctx.session) {
        ctx.check_csrf(&form.csrf)?;
        state.store.logout(token, &Caller::new(&session.principal, Some(ctx.address.clone()))).await?;
    }
    Ok(redirect_with_cookie("/login?bye=1", clear_session_cookie(&state)))
}
