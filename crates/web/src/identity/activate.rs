//! Activation of an account (or its re-activation after a second-factor reset) through a one-time link.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::StoreError;
use store::identity::{LinkPurpose, SessionStage};

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState};
use crate::session::{Ctx, redirect_with_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/activate.html")]
pub struct ActivatePage {
    chrome: Chrome,
    form: FormState,
    token: String,
    login: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct InvalidLinkPage {
    chrome: Chrome,
    message: String,
}

/// The page for an expired, used or unknown link (404: the link does not exist any more).
pub fn invalid_link(ctx: &Ctx) -> Response {
    let page = InvalidLinkPage { chrome: Chrome::new(ctx, "link-invalid-title"), message: ctx.t().get("link-invalid") };
    (StatusCode::NOT_FOUND, page).into_response()
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, PageError> {
    match state.store.inspect_link(&token).await {
        Ok(info) if info.purpose == LinkPurpose::Activation => Ok(ActivatePage {
            chrome: Chrome::new(&ctx, "activate-title"),
            form: FormState::new(),
            token,
            login: info.login.unwrap_or_default(),
        }
        .into_response()),
        Ok(_) | Err(StoreError::NotFound) => Ok(invalid_link(&ctx)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ActivateForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ActivateForm>,
) -> Result<Response, PageError> {
    match state.store.activate(&token, &form.password, &form.password_confirm, Some(ctx.address.clone())).await {
        Ok(account) => {
            let session = state.store.create_session(account, SessionStage::Enrolment).await?;
            Ok(redirect_with_cookie("/enrol", session_cookie(&state, &session)))
        }
        Err(StoreError::Invalid(errors)) => {
            let login = state.store.inspect_link(&token).await.ok().and_then(|i| i.login).unwrap_or_default();
            let page = ActivatePage {
                chrome: Chrome::new(&ctx, "activate-title"),
                form: FormState::new().with_errors(&errors, &ctx.t()),
                token,
                login,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::NotFound) => Ok(invalid_link(&ctx)),
        Err(e) => Err(e.into()),
    }
}
