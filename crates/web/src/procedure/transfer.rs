//! Handing a case to another municipality (art. 9e ust. 3): the team exports the case as a sealed package with a
//! one-time passphrase, and the receiving team imports it (the file and the passphrase) as a case of its own. The
//! received documentation is shown read-only on the new case's page. See `store::procedure::transfer`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::Permission;
use store::StoreError;
use store::procedure::transfer::{ExportChoice, TransferIntake};
use uuid::Uuid;

use super::actions::outcome;
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

/// The largest package accepted: a two-year case with its records is well under 1 MB.
const MAX_PACKAGE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/transfer_ready.html")]
pub struct ReadyPage {
    chrome: Chrome,
    id: Uuid,
    to: String,
    passphrase: String,
    download: String,
    file_name: String,
}

/// The team exports the case for the municipality named in `to`; with `hand_over` checked the case also leaves this
/// team. The page shows the passphrase once, with the file to download.
pub async fn export(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let hand_over = match field(&body, "hand_over") {
        "" => None,
        _ => Some(field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?),
    };
    let to = field(&body, "to");
    // Sealed values go only when the chair ticks it (issue 20); the store refuses anyone else.
    let include_sealed = field(&body, "include_sealed") == "true";
    let exported = match domain::procedure::timing::parse_occurred_at(field(&body, "occurred_at")) {
        Ok(occurred_at) => {
            let choice = ExportChoice { hand_over, occurred_at, include_sealed };
            state.store.export_case_with(&handle, to, &choice).await
        }
        Err(code) => Err(StoreError::invalid("occurred_at", code)),
    };
    match exported {
        Ok(exported) => {
            let mut chrome = Chrome::for_user(&user, "transfer-ready-title");
            chrome.title = user.ctx.t().get("transfer-ready-title");
            Ok(ReadyPage {
                chrome,
                id,
                to: to.trim().to_owned(),
                passphrase: exported.passphrase,
                download: format!("/procedures/{id}/transfer/{}/file", exported.transfer_id),
                file_name: exported.file_name,
            }
            .into_response())
        }
        // Refused for the municipality's name or the date: beside that field, with what was typed.
        Err(StoreError::Invalid(errors)) if errors.iter().all(|e| matches!(e.field, "to" | "occurred_at")) => {
            let t = user.ctx.t();
            let messages = errors.iter().map(|e| (e.field, t.field_error(e))).collect();
            let page = super::show::render(&state, &user, id, Some(t.get("form-has-errors")))
                .await?
                .with_transfer_error(messages, &body);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => outcome(&state, &user, id, Err(e)).await,
    }
}

/// The sealed file of an export, again.
pub async fn file(
    State(state): State<AppState>,
    user: User,
    Ids((id, transfer)): Ids<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let (name, bytes) = state.store.exported_file(&handle, transfer).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/transfer_import.html")]
pub struct ImportPage {
    chrome: Chrome,
    passphrase: String,
    file_error: Option<String>,
    passphrase_error: Option<String>,
    already: Option<Uuid>,
}

fn import_page(user: &User, passphrase: &str) -> ImportPage {
    let mut chrome = Chrome::for_user(user, "transfer-import-title");
    chrome.title = user.ctx.t().get("transfer-import-title");
    ImportPage { chrome, passphrase: passphrase.to_owned(), file_error: None, passphrase_error: None, already: None }
}

pub async fn import_form(user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    Ok(import_page(&user, "").into_response())
}

/// The import page again with the reasons beside the passphrase or the file (the browser cannot keep a chosen file).
fn refused(mut page: ImportPage, errors: &FieldErrors, t: &Tr) -> Response {
    for e in errors.iter() {
        let message = Some(format!("{} {}", t.get(e.code), t.get("transfer-choose-file-again")));
        if e.field == "passphrase" {
            page.passphrase_error = message;
        } else {
            page.file_error = message;
        }
    }
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// The receiving team uploads the file and types the passphrase (multipart form).
pub async fn import(State(state): State<AppState>, user: User, mut form: Multipart) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let (mut csrf, mut passphrase, mut file) = (String::new(), String::new(), Vec::new());
    while let Some(part) = form.next_field().await.map_err(|_| ErrorPage::BadRequest)? {
        match part.name().unwrap_or("") {
            "csrf" => csrf = part.text().await.map_err(|_| ErrorPage::BadRequest)?,
            "passphrase" => passphrase = part.text().await.map_err(|_| ErrorPage::BadRequest)?,
            "package" => {
                let bytes = part.bytes().await.map_err(|_| ErrorPage::BadRequest)?;
                if bytes.len() > MAX_PACKAGE_BYTES {
                    return Err(ErrorPage::PayloadTooLarge.into());
                }
                file = bytes.to_vec();
            }
            _ => {}
        }
    }
    user.ctx.check_csrf(&csrf)?;
    let t = user.ctx.t();
    let mut page = import_page(&user, &passphrase);
    if file.is_empty() {
        page.file_error = Some(t.get("err-transfer-file-required"));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let package = match state.store.read_transfer_package(&file, &passphrase).await {
        Ok(p) => p,
        Err(StoreError::Invalid(errors)) => return Ok(refused(page, &errors, &t)),
        Err(e) => return Err(e.into()),
    };
    let intake = match state.store.import_case(&user.caller(), &package).await {
        Ok(intake) => intake,
        Err(StoreError::Invalid(errors)) => return Ok(refused(page, &errors, &t)),
        Err(e) => return Err(e.into()),
    };
    match intake {
        TransferIntake::Imported { id, .. } => Ok(crate::flash::saved(&format!("/procedures/{id}"))),
        TransferIntake::AlreadyImported { id } => {
            page.already = Some(id);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}
