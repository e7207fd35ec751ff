use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use serde::Deserialize;
use store::StoreError;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/password.html")]
pub struct PasswordPage {
    chrome: Chrome,
    form: FormState,
}

pub async fn show(user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    Ok(PasswordPage { chrome: Chrome::for_user(&user, "password-title"), form: FormState::new() }.into_response())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let t = user.ctx.t();
    match state
        .store
        .change_password(
            &user.principal,
            user.ctx.session_token.as_deref().unwrap_or_default(),
            &form.current_password,
            &form.password,
            &form.password_confirm,
            &user.ctx.address,
        )
        .await
    {
        Ok(()) => Ok(PasswordPage {
            chrome: Chrome::for_user(&user, "password-title").with_notice(Some(t.get("password-changed"))),
            form: FormState::new(),
        }
        .into_response()),
        Err(StoreError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                chrome: Chrome::for_user(&user, "password-title"),
                form: FormState::new().with_errors(&errors, &t),
            },
        )
            .into_response()),
        Err(StoreError::AuthFailed { locked_until }) => {
            let message = match locked_until {
                Some(until) => t.arg("login-locked", "until", &super::login::local_time(until)),
                None => t.get("err-password-wrong"),
            };
            let form = FormState::new().error("current_password", message);
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                PasswordPage { chrome: Chrome::for_user(&user, "password-title"), form },
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
