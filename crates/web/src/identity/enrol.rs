//! Enrolling the authenticator app: a QR code (inline SVG, no script, no external service) and the key as text.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::StoreError;
use store::identity::SessionStage;

use crate::error::PageError;
use crate::page::{Chrome, FormState, PostForm};
use crate::session::{Ctx, redirect_with_cookie, session_cookie};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/enrol.html")]
pub struct EnrolPage {
    chrome: Chrome,
    form: FormState,
    secret: String,
    qr_svg: String,
}

/// The otpauth URL as an SVG QR code. The SVG is generated here from a URL we built, so it is safe to embed
/// unescaped.
fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

/// Groups the base32 key in fours, as authenticator apps show it.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

async fn render(state: &AppState, ctx: &Ctx, form: FormState) -> Result<EnrolPage, PageError> {
    let account = ctx.session.as_ref().map(|s| s.principal.account_id).ok_or(crate::error::ErrorPage::NotFound)?;
    let enrolment = state.store.totp_enrolment(account).await?;
    Ok(EnrolPage {
        chrome: Chrome::new(ctx, "enrol-title"),
        form,
        secret: grouped(&enrolment.secret_base32),
        qr_svg: qr_svg(&enrolment.otpauth_url),
    })
}

pub async fn show(State(state): State<AppState>, ctx: Ctx) -> Result<Response, PageError> {
    if ctx.stage() != Some(SessionStage::Enrolment) {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(render(&state, &ctx, FormState::new()).await?.into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PostForm(form): PostForm<CodeForm>,
) -> Result<Response, PageError> {
    let Some((token, account)) = ctx.at_stage(SessionStage::Enrolment) else {
        return Ok(Redirect::to("/login").into_response());
    };
    ctx.check_csrf(&form.csrf)?;
    match state.store.confirm_totp_enrolment(account, &form.code, &ctx.address).await {
        Ok(()) => {
            let token = state.store.advance_session(token, account, SessionStage::Full).await?;
            Ok(redirect_with_cookie("/", session_cookie(&state, &token)))
        }
        Err(StoreError::Invalid(errors)) => {
            let form = FormState::new().with("code", &form.code).with_errors(&errors, &ctx.t());
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&state, &ctx, form).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
