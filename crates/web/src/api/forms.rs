//! Forms A, C and D added to a running case through the API, with their content: the same definition, the same
//! domain validation and the same store call as the form pages (`procedure::case_form`). The bare steps
//! `record_form_c`, `record_form_d` and `attach_further_incident` are refused by the store, naming this route.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::forms::{Answers, FormKind, definition, validate};
use domain::identity::Permission;
use serde::Deserialize;
use utoipa::ToSchema;

use super::procedures::{ProcedureDto, procedure_dto};
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct NewCaseForm {
    /// Answers by field path, as in `GET /api/v1/procedures/{id}` `forms[].answers`, e.g.
    /// `"header.date": "2026-11-23"`, `"support_plan[0].action": "..."`; multiple choices comma-joined. The fields are
    /// those of the form in the case's version (2011 or 2023).
    pub answers: BTreeMap<String, String>,
    /// The case's version as read; a change against an older one is refused with 409.
    pub version: i64,
}

/// Adds a filled form to a running case: `c` (with a person experiencing violence) or `d` (with a person using
/// violence), by the support group or the team; `a`, a further incident, which during monitoring reopens the case.
/// The form is the one of the case's version (a 2011 case continues on the 2011 forms). Errors name the fields, in
/// Polish.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/forms/{kind}", tag = "procedures",
    params(("id" = String, Path), ("kind" = String, Path, description = "a, c or d")), request_body = NewCaseForm,
    responses((status = 201, body = ProcedureDto), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, kind)): ApiIds<(Uuid, String)>,
    ApiJson(body): ApiJson<NewCaseForm>,
) -> Result<(StatusCode, Json<ProcedureDto>), ApiError> {
    user.require(Permission::ViewProcedures)?;
    let kind = match kind.to_ascii_lowercase().as_str() {
        "a" => FormKind::A,
        "c" => FormKind::C,
        "d" => FormKind::D,
        _ => return Err(ApiError::NotFound),
    };
    let handle = state.store.case_access(&user.caller(), id).await?;
    if !handle.access.works_on_case() {
        return Err(ApiError::NotFound);
    }
    let (_, forms) = state.store.procedure_form_version(&handle).await?;
    let def = definition(kind, forms).ok_or(ApiError::NotFound)?;
    let answers: Answers = body.answers.into_iter().collect();
    let validated = validate(def, &answers).map_err(ApiError::Invalid)?;
    state.store.add_form(&handle, &validated, body.version).await?;
    Ok((StatusCode::CREATED, Json(procedure_dto(state.store.procedure_view(&handle).await?))))
}
