//! One's own account settings: the position one holds (form A's part XIV is prefilled with it). A person who opens
//! form A without being a member of the team has no entry in the team's register; this is where their position lives.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::StoreError;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

pub const PATH: &str = "/account/settings";

#[derive(Template, WebTemplate)]
#[template(path = "identity/settings.html")]
pub struct SettingsPage {
    chrome: Chrome,
    form: FormState,
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let position = state.store.own_position(&user.principal).await?;
    let form = FormState::new().with("position", &position);
    Ok(SettingsPage { chrome: Chrome::for_user(&user, "settings-title"), form }.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let typed = field(&body, "position");
    match state.store.set_own_position(&user.caller(), typed).await {
        Ok(()) => Ok(crate::flash::saved(&format!("{PATH}#position"))),
        Err(StoreError::Invalid(errors)) => {
            let form = FormState::new().with("position", typed).with_errors(&errors, &user.ctx.t());
            let page = SettingsPage { chrome: Chrome::for_user(&user, "settings-title"), form };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
