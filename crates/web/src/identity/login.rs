use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::StoreError;
use store::identity::SessionStage;

use crate::error::PageError;
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

/// Only a local path may be a redirect target (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') && n.len() < 512 => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn show(ctx: Ctx, Query(q): Query<LoginQuery>) -> Response {
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
    csrf: String,
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
    PostForm(form): PostForm<LoginForm>,
) -> Result<Response, PageError> {
    ctx.check_csrf(&form.csrf)?;
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
        state.store.logout(token, &session.principal, Some(ctx.address.clone())).await?;
    }
    Ok(redirect_with_cookie("/login?bye=1", clear_session_cookie(&state)))
}
