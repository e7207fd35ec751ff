//! Closing a procedure as the act requires: a confirmation page with the closing record (one of the two statutory
//! reasons, its justification in writing, the date, the held meeting at which the group decided), the warnings shown
//! first and confirmed; and the chair's undo within one working day.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::identity::Permission;
use domain::procedure::closing::parse_closing;
use domain::procedure::lifecycle::ClosingReason;
use store::StoreError;
use store::procedure::CaseHandle;
use uuid::Uuid;

use super::show::{local_input, render, warsaw};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/closing.html")]
pub struct ClosingPage {
    chrome: Chrome,
    id: Uuid,
    version: i64,
    form: FormState,
    /// (value, label)
    reasons: Vec<(&'static str, String)>,
    /// The warnings in words.
    warnings: Vec<String>,
    /// Held meetings: (record id, when, in words).
    meetings: Vec<(String, String)>,
    now_local: String,
}

async fn page(
    state: &AppState,
    user: &User,
    handle: &CaseHandle,
    form: FormState,
) -> Result<Option<ClosingPage>, PageError> {
    let t = user.ctx.t();
    let context = state.store.closing_context(handle).await?;
    if context.phase != "in_progress" {
        return Ok(None);
    }
    let number = context.number.clone();
    let mut chrome = Chrome::for_user(user, "closing-title");
    chrome.title = t.arg("closing-heading", "number", &number);
    Ok(Some(ClosingPage {
        id: handle.procedure_id,
        version: context.version,
        form,
        reasons: ClosingReason::ALL.iter().map(|r| (r.as_str(), t.get(&format!("closing-{}", r.as_str())))).collect(),
        warnings: context.warnings.iter().map(|w| t.get(&format!("closing-warning-{}", w.as_str()))).collect(),
        meetings: context.meetings.iter().map(|(id, at)| (id.to_string(), warsaw(*at))).collect(),
        now_local: local_input(state.clock.now()),
        chrome,
    }))
}

pub async fn show(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    match page(&state, &user, &handle, FormState::new()).await? {
        Some(p) => Ok(p.into_response()),
        // Not closable now (not yet met, or closed already): the case page says where it stands.
        None => Ok(Redirect::to(&format!("/procedures/{id}")).into_response()),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let t = user.ctx.t();
    let mut form = FormState::new();
    for name in ["reason", "justification", "occurred_at", "meeting", "confirm"] {
        form = form.with(name, field(&body, name));
    }
    let result = match parse_closing(
        field(&body, "reason"),
        field(&body, "justification"),
        field(&body, "occurred_at"),
        field(&body, "meeting"),
    ) {
        Ok(decision) => {
            state.store.close_procedure(&handle, &decision, field(&body, "confirm") == "yes", version).await.map(|_| ())
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/procedures/{id}#closing"))),
        Err(StoreError::Invalid(errors)) => {
            let mut form = form.with_errors(&errors, &t);
            // A refusal of the step itself (not its date) is shown above the form.
            if let Some(e) = errors.iter().find(|e| e.field == "command") {
                form = form.error("form", t.field_error(e));
            }
            match page(&state, &user, &handle, form).await? {
                Some(p) => Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response()),
                None => Ok(Redirect::to(&format!("/procedures/{id}")).into_response()),
            }
        }
        Err(StoreError::Conflict(_)) => {
            Ok((StatusCode::CONFLICT, render(&state, &user, id, Some(t.get("procedure-conflict"))).await?)
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn undo(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let result = state.store.undo_closing(&handle, field(&body, "undo_reason"), version).await.map(|_| ());
    super::actions::outcome(&state, &user, id, result).await
}
