//! Closing a procedure through the API with the record the act asks for (art. 9h ust. 1, art. 9b ust. 15), the
//! chair's undo within one working day, and the closing records.

use axum::Json;
use axum::extract::{Path, State};
use domain::identity::Permission;
use domain::procedure::closing::parse_closing;
use serde::{Deserialize, Serialize};
use store::procedure::ClosingRecord;
use utoipa::ToSchema;

use super::procedures::{ProcedureDto, one_error, parse_id, procedure_dto};
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct CloseRequest {
    /// violence_stopped (art. 9h ust. 1 pkt 1) or no_grounds (pkt 2).
    pub reason: String,
    /// The written justification; required for no_grounds (art. 9b ust. 15).
    #[serde(default)]
    pub justification: Option<String>,
    /// When the group decided: RFC 3339 or Polish local `2026-03-05T10:30`; default now.
    #[serde(default)]
    pub occurred_at: Option<String>,
    /// The held meeting (a record id) at which the group decided; required when the case has held meetings.
    #[serde(default)]
    pub meeting_id: Option<String>,
    /// The warnings (`GET .../closing` lists them) were read and are confirmed.
    #[serde(default)]
    pub confirm_warnings: bool,
    pub version: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct UndoCloseRequest {
    /// Why the closing is undone (kept encrypted, in the audit trail as an event).
    pub reason: String,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ClosingDto {
    pub id: String,
    pub reason: String,
    pub justification: Option<String>,
    pub decided_at: String,
    pub meeting_id: Option<String>,
    pub meeting_at: Option<String>,
    /// The warnings shown and confirmed: open_plan_items, no_form_d_though_suspect_came, no_monitoring_planned.
    pub warnings: Vec<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: String,
    pub undone_at: Option<String>,
    pub undone_by: Option<String>,
    pub undo_reason: Option<String>,
    /// The chair may still undo it.
    pub undoable: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ClosingStateDto {
    /// What closing now would warn of (to confirm with `confirm_warnings`).
    pub warnings: Vec<String>,
    /// The case's held meetings to choose from: (record id, when held), latest first.
    pub meetings: Vec<(String, String)>,
    /// The closings recorded so far, oldest first.
    pub closings: Vec<ClosingDto>,
    pub version: i64,
}

fn closing_dto(c: ClosingRecord) -> ClosingDto {
    ClosingDto {
        id: c.id.to_string(),
        reason: c.reason.as_str().to_owned(),
        justification: c.justification,
        decided_at: c.decided_at.to_string(),
        meeting_id: c.meeting_id.map(|m| m.to_string()),
        meeting_at: c.meeting_at.map(|m| m.to_string()),
        warnings: c.warnings,
        recorded_by: c.recorded_by,
        recorded_at: c.recorded_at.to_string(),
        undone_at: c.undone_at.map(|t| t.to_string()),
        undone_by: c.undone_by,
        undo_reason: c.undo_reason,
        undoable: c.undoable,
    }
}

/// The closing's warnings, the meetings to choose from, and the closing records (reads audited).
#[utoipa::path(get, path = "/api/v1/procedures/{id}/closing", tag = "procedures", params(("id" = String, Path)),
    responses((status = 200, body = ClosingStateDto), (status = 404, body = ApiErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ClosingStateDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), parse_id(&id)?).await?;
    let context = state.store.closing_context(&handle).await?;
    let closings = state.store.closing_records(&handle).await?;
    Ok(Json(ClosingStateDto {
        warnings: context.warnings.iter().map(|w| w.as_str().to_owned()).collect(),
        meetings: context.meetings.iter().map(|(id, at)| (id.to_string(), at.to_string())).collect(),
        closings: closings.into_iter().map(closing_dto).collect(),
        version: context.version,
    }))
}

/// The group closes the procedure with its record. Field errors: reason, justification, occurred_at, meeting,
/// confirm (warnings not confirmed).
#[utoipa::path(post, path = "/api/v1/procedures/{id}/close", tag = "procedures", params(("id" = String, Path)), request_body = CloseRequest,
    responses((status = 200, body = ProcedureDto), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<CloseRequest>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let decision = parse_closing(
        &body.reason,
        body.justification.as_deref().unwrap_or(""),
        body.occurred_at.as_deref().unwrap_or(""),
        body.meeting_id.as_deref().unwrap_or(""),
    )
    .map_err(ApiError::Invalid)?;
    state.store.close_procedure(&handle, &decision, body.confirm_warnings, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

/// The chair undoes the latest closing within one working day of its entry, with a reason. Anyone else: 403.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/close/undo", tag = "procedures", params(("id" = String, Path)), request_body = UndoCloseRequest,
    responses((status = 200, body = ProcedureDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn undo(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<UndoCloseRequest>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ChairDecisions)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    if body.reason.trim().is_empty() {
        return Err(ApiError::Invalid(one_error("reason", "err-closing-undo-reason-required")));
    }
    state.store.undo_closing(&handle, &body.reason, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}
