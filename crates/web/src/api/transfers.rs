//! Handing a case to another municipality over the API: the same rules as the pages (`web::procedure::transfer`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::identity::Permission;
use domain::procedure::timing::parse_occurred_at;
use serde::{Deserialize, Serialize};
use store::procedure::transfer::{ExportChoice, TransferIntake};
use utoipa::ToSchema;
use uuid::Uuid;

use super::procedures::one_error;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct TransferRequest {
    /// The receiving municipality's team, as the user names it.
    pub to: String,
    /// The case's version: the case also leaves this team (its clocks stop here). Without it the documentation is
    /// only copied.
    #[serde(default)]
    pub hand_over_version: Option<i64>,
    /// When the case was handed over (with `hand_over_version`): RFC 3339 or Polish local `2026-03-05T10:30`; default
    /// now. Never in the future, never before the events it follows (a 422 on `occurred_at` names the event).
    #[serde(default)]
    pub occurred_at: Option<String>,
    /// Include the case's sealed values (issue 20): the chair or deputy chair only; without it they are left out and
    /// listed in each form's `withheld`.
    #[serde(default)]
    pub include_sealed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TransferPackageDto {
    pub transfer_id: String,
    pub file_name: String,
    /// Shown once; pass it to the receiving team apart from the file.
    pub passphrase: String,
    /// The sealed file (JSON), to be given as is to the receiving team's Ostoja.
    #[schema(value_type = Object)]
    pub package: serde_json::Value,
}

/// Exports a case for the team of the municipality the person experiencing violence moved to (team only).
#[utoipa::path(post, path = "/api/v1/procedures/{id}/transfer", tag = "procedures", request_body = TransferRequest,
    params(("id" = String, Path, description = "The procedure's id")),
    responses((status = 200, body = TransferPackageDto), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<TransferRequest>,
) -> Result<Json<TransferPackageDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let occurred_at = parse_occurred_at(body.occurred_at.as_deref().unwrap_or(""))
        .map_err(|code| ApiError::Invalid(one_error("occurred_at", code)))?;
    let choice = ExportChoice { hand_over: body.hand_over_version, occurred_at, include_sealed: body.include_sealed };
    let exported = state.store.export_case_with(&handle, &body.to, &choice).await?;
    let package = serde_json::from_slice(&exported.bytes).map_err(|_| ApiError::NotFound)?;
    Ok(Json(TransferPackageDto {
        transfer_id: exported.transfer_id.to_string(),
        file_name: exported.file_name,
        passphrase: exported.passphrase,
        package,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ImportRequest {
    /// The sealed file as received.
    #[schema(value_type = Object)]
    pub package: serde_json::Value,
    pub passphrase: String,
}

#[derive(Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    Imported {
        id: String,
        number: String,
    },
    /// This package was received before, as this case.
    AlreadyImported {
        id: String,
    },
}

/// Receives a case from another municipality's package (team only).
#[utoipa::path(post, path = "/api/v1/procedures/import", tag = "procedures", request_body = ImportRequest,
    responses((status = 201, body = ImportOutcome), (status = 409, body = ImportOutcome),
              (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ImportRequest>,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    user.require(Permission::ManageProcedures)?;
    let file = serde_json::to_vec(&body.package).map_err(|_| ApiError::NotFound)?;
    let package = state.store.read_transfer_package(&file, &body.passphrase).await?;
    match state.store.import_case(&user.caller(), &package).await? {
        TransferIntake::Imported { id, number } => {
            Ok((StatusCode::CREATED, Json(ImportOutcome::Imported { id: id.to_string(), number })))
        }
        TransferIntake::AlreadyImported { id } => {
            Ok((StatusCode::CONFLICT, Json(ImportOutcome::AlreadyImported { id: id.to_string() })))
        }
    }
}
