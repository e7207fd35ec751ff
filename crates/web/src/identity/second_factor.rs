use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::StoreError;
use store::identity::SessionStage;

use super::login::{local_time, safe_next};
use crate::error::PageError;
use crate::page::{Chrome, FormState, PostForm};
use crate::session::{Ctx, redirect_with_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/second_factor.html")]
pub struct SecondFactorPage {
    chrome: Chrome,
    form: FormState,
    next: String,
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: Option<String>,
}

pub async fn show(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.stage() != Some(SessionStage::SecondFactor) {
        return Redirect::to("/login").into_response();
    }
    SecondFactorPage {
        chrome: Chrome::new(&ctx, "second-factor-title"),
        form: FormState::new(),
        next: safe_next(q.next.as_deref()),
    }
    .into_response()
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PostForm(form): PostForm<CodeForm>,
) -> Result<Response, PageError> {
    let Some((token, account)) = ctx.at_stage(SessionStage::SecondFactor) else {
        return Ok(Redirect::to("/login").into_response());
    };
    ctx.check_csrf(&form.csrf)?;
    match state.store.verify_second_factor(account, &form.code, &ctx.address).await {
        Ok(()) => {
            let token = state.store.advance_session(token, account, SessionStage::Full).await?;
            Ok(redirect_with_cookie(&safe_next(Some(&form.next)), session_cookie(&state, &token)))
        }
        Err(StoreError::AuthFailed { locked_until }) => {
            let t = ctx.t();
            let message = match locked_until {
                Some(until) => t.arg("login-locked", "until", &local_time(until)),
                None => t.get("second-factor-failed"),
            };
            let page = SecondFactorPage {
                chrome: Chrome::new(&ctx, "second-factor-title"),
                form: FormState::new().error("code", message),
                next: safe_next(Some(&form.next)),
            };
            Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
