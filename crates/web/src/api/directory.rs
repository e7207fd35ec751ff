//! Archiving an entry of the directory of help through the API, as the directory page does: the entry leaves the
//! public `/pomoc` page and the lists, and can be brought back.

use axum::extract::State;
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct ArchiveEntry {
    /// true (default) archives the entry, false brings it back.
    #[serde(default = "yes")]
    pub archived: bool,
    /// The entry's version as read; a change against an older one is refused with 409.
    pub version: i64,
}

fn yes() -> bool {
    true
}

/// Archives a directory entry (or brings it back). The team's staff who manage the directory.
#[utoipa::path(post, path = "/api/v1/directory/{id}/archive", tag = "directory", request_body = ArchiveEntry,
    params(("id" = String, Path, description = "The entry's id")),
    responses((status = 204), (status = 400, body = ApiErrorBody), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn archive(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ArchiveEntry>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageDirectory)?;
    state.store.archive_directory_entry(&user.caller(), id, body.archived, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
