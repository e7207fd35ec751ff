//! `/team/declarations`: the confidentiality declarations (art. 9c ust. 3) of the accounts that work with case data
//! outside the team's register — group members from outside the team, staff accounts not in the register — which
//! the team's staff record with their kind and date. Without one such an account sees no case data.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::StoreError;
use store::team::{DeclarationDraft, DeclarationKind};

use super::{day, kept};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

pub struct DeclarationRow {
    pub login: String,
    /// "Oświadczenie, 01.03.2026", or `None` when nothing is recorded.
    pub signed: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/declarations.html")]
pub struct DeclarationsPage {
    chrome: Chrome,
    rows: Vec<DeclarationRow>,
    accounts: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    form: FormState,
}

async fn page(
    state: &AppState,
    user: &User,
    form: FormState,
    notice: Option<String>,
) -> Result<DeclarationsPage, PageError> {
    let chrome = Chrome::for_user(user, "declarations-title").with_notice(notice);
    let list = state.store.account_declarations(&user.principal).await?;
    let rows = list
        .iter()
        .map(|a| DeclarationRow {
            login: a.login.clone(),
            signed: match (a.kind, a.signed_on) {
                (Some(k), Some(d)) => {
                    Some(format!("{}, {}", chrome.t.get(&format!("declaration-kind-{}", k.as_str())), day(d)))
                }
                _ => None,
            },
        })
        .collect();
    let accounts = list.iter().map(|a| (a.account_id.to_string(), a.login.clone())).collect();
    let kinds = DeclarationKind::ALL
        .iter()
        .map(|k| (k.as_str(), chrome.t.get(&format!("declaration-kind-{}", k.as_str()))))
        .collect();
    Ok(DeclarationsPage { chrome, rows, accounts, kinds, form })
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    Ok(page(&state, &user, FormState::new(), None).await?.into_response())
}

pub async fn record(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    let draft = DeclarationDraft {
        account_id: field(&body, "account_id").to_owned(),
        kind: field(&body, "kind").to_owned(),
        signed_on: field(&body, "signed_on").to_owned(),
    };
    let refused = |errors: domain::FieldErrors| kept(&body, Some(&errors), &t);
    let result = match draft.validate() {
        Ok((account, kind, signed_on)) => {
            state.store.record_account_declaration(&user.caller(), account, kind, signed_on).await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(page(&state, &user, FormState::new(), Some(t.get("declarations-saved"))).await?.into_response()),
        Err(StoreError::Invalid(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, &user, refused(errors), None).await?).into_response())
        }
        // An account of another municipality, or one that does not exist: as a wrong choice in the list.
        Err(StoreError::NotFound) => {
            let mut errors = domain::FieldErrors::new();
            errors.add("account_id", "err-required");
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, &user, refused(errors), None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
