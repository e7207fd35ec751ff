//! What the team and the support group do on the procedure page: appoint the group, record meetings and forms,
//! close, end monitoring. Each is a plain form post carrying the version it was read at, so two people acting on
//! the same page get a clear conflict instead of a silent overwrite.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::identity::Permission;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use store::StoreError;
use store::procedure::AppointmentBasis;
use uuid::Uuid;

use super::show::{StepError, render, render_with};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::field;
use crate::session::User;
use crate::state::AppState;

/// After a change: back to the page (303). A refused step: the page again with the reason (422); someone else's
/// change first: the page again with the conflict explained (409).
pub(super) async fn outcome(
    state: &AppState,
    user: &User,
    id: Uuid,
    result: Result<(), StoreError>,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/procedures/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let message = errors.iter().next().map_or_else(|| t.get("form-has-errors"), |e| t.field_error(e));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(state, user, id, Some(message)).await?).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            Ok((StatusCode::CONFLICT, render(state, user, id, Some(t.get("procedure-conflict"))).await?)
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A step's outcome: a refusal for its date goes beside that step's date field, with the date as typed; anything
/// else as [`outcome`] does.
async fn step_outcome(
    state: &AppState,
    user: &User,
    id: Uuid,
    step: &str,
    typed: &str,
    result: Result<(), StoreError>,
) -> Result<Response, PageError> {
    match result {
        Err(StoreError::Invalid(errors)) if errors.iter().any(|e| e.field == "occurred_at") => {
            let t = user.ctx.t();
            let message =
                errors.iter().find(|e| e.field == "occurred_at").map(|e| t.field_error(e)).unwrap_or_default();
            let error = StepError { step: step.to_owned(), message, typed: typed.to_owned() };
            let page = render_with(state, user, id, Some(t.get("form-has-errors")), Some(error)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        other => outcome(state, user, id, other).await,
    }
}

/// The date a step happened, as typed (empty: now); a malformed one is a field error on `occurred_at`.
fn occurred_at(body: &[(String, String)]) -> Result<Option<jiff::Timestamp>, StoreError> {
    domain::procedure::timing::parse_occurred_at(field(body, "occurred_at"))
        .map_err(|code| StoreError::invalid("occurred_at", code))
}

pub async fn appoint_group(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    // One select per candidate, named member.<account id>, holding the member's kind or nothing.
    let mut members = Vec::new();
    for (key, value) in &body {
        let Some(account) = key.strip_prefix("member.") else { continue };
        if value.is_empty() {
            continue;
        }
        let account = Uuid::parse_str(account).map_err(|_| ErrorPage::BadRequest)?;
        let kind = GroupMemberKind::parse(value).map_err(|_| ErrorPage::BadRequest)?;
        members.push((account, kind));
    }
    let basis = match AppointmentBasis::parse(field(&body, "basis")) {
        Ok(basis) => basis,
        Err(code) => return outcome(&state, &user, id, Err(StoreError::invalid("basis", code))).await,
    };
    let typed = field(&body, "occurred_at");
    let result = match occurred_at(&body) {
        Ok(at) => state.store.appoint_group_at(&handle, &members, basis, at, version).await.map(|_| ()),
        Err(e) => Err(e),
    };
    step_outcome(&state, &user, id, "appoint_group", typed, result).await
}

pub async fn command(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let command = match field(&body, "command") {
        "record_group_meeting" => Command::RecordGroupMeeting,
        "record_form_c" => Command::RecordFormC,
        "record_form_d" => Command::RecordFormD,
        "record_firearm" => Command::RecordFirearm,
        "record_firearm_notified" => Command::RecordFirearmNotified,
        "record_suspect_notified" => Command::RecordSuspectNotified,
        "end_monitoring" => Command::EndMonitoring,
        // Closing has its own page, with its record and its warnings.
        "close" => return Ok(Redirect::to(&format!("/procedures/{id}/close")).into_response()),
        _ => return Err(ErrorPage::BadRequest.into()),
    };
    let step = field(&body, "command");
    let typed = field(&body, "occurred_at");
    let result = match occurred_at(&body) {
        Ok(at) => state.store.apply_procedure_command_at(&handle, &command, at, version).await.map(|_| ()),
        Err(e) => Err(e),
    };
    step_outcome(&state, &user, id, step, typed, result).await
}
