//! The first administrator, created through the one-time link printed on the console.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::StoreError;
use store::identity::{LinkPurpose, PersonalDetails, SessionStage};

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState};
use crate::session::{Ctx, redirect_with_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/setup.html")]
pub struct SetupPage {
    chrome: Chrome,
    form: FormState,
    token: String,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(token): Path<String>) -> Result<Response, PageError> {
    match state.store.inspect_link(&token).await {
        Ok(info) if info.purpose == LinkPurpose::Setup => {
            Ok(SetupPage { chrome: Chrome::new(&ctx, "setup-title"), form: FormState::new(), token }.into_response())
        }
        Ok(_) | Err(StoreError::NotFound) => Ok(super::activate::invalid_link(&ctx)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<Response, PageError> {
    let details =
        PersonalDetails { full_name: form.full_name.clone(), email: form.email.clone(), phone: form.phone.clone() };
    match state
        .store
        .complete_setup(
            &token,
            &form.login,
            &details,
            &form.password,
            &form.password_confirm,
            Some(ctx.address.clone()),
        )
        .await
    {
        Ok(account) => {
            let session = state.store.create_session(account, SessionStage::Enrolment).await?;
            Ok(redirect_with_cookie("/enrol", session_cookie(&state, &session)))
        }
        Err(StoreError::Invalid(errors)) => {
            let kept = FormState::new()
                .with("login", &form.login)
                .with("full_name", &form.full_name)
                .with("email", &form.email)
                .with("phone", &form.phone)
                .with_errors(&errors, &ctx.t());
            let page = SetupPage { chrome: Chrome::new(&ctx, "setup-title"), form: kept, token };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::NotFound) => Ok(super::activate::invalid_link(&ctx)),
        Err(e) => Err(e.into()),
    }
}
