//! The receiving side of a pushed statutory package (issue 17, item 5; docs/statutory-package.md): a municipality's
//! installation posts its signed package here with the push token the region gave it. The token is the credential
//! and admits its own TERYT's packages only; the package is verified exactly as `ostoja aggregates import` does.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiErrorBody};
use crate::state::AppState;

/// What the receiver stored.
#[derive(Serialize, ToSchema)]
pub struct ReceivedDto {
    pub teryt: String,
    pub year: i16,
    /// The sender's version.
    pub package_version: i32,
    /// The version it became on this installation.
    pub approval_version: i32,
    /// A later version of a year already received (a correction, never an overwrite).
    pub correction: bool,
}

/// Receives a signed statutory package (the file `ostoja aggregates export` writes, as its body) with the push
/// token `ostoja aggregates register-key` printed (`Authorization: Bearer ostoja-push-…`).
#[utoipa::path(post, path = "/api/v1/statutory/packages", tag = "statutory",
    request_body(content = Object, content_type = "application/json", description = "The signed package as exported"),
    responses((status = 201, body = ReceivedDto), (status = 401, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody), (status = 429, description = "Too many wrong tokens from this client; Retry-After says when to try again")))]
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    parts: Parts,
    body: Bytes,
) -> Result<Response, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with("ostoja-push-"))
        .ok_or(ApiError::Unauthorized)?;
    let address = crate::client::address(&parts, &state.config.trusted_proxies);
    let imported = match state.store.import_pushed_package(token, &body, Some(address)).await {
        Err(store::StoreError::NotFound) => return Err(ApiError::Unauthorized),
        // Too many wrong tokens from this client: it may try again later (RFC 6585).
        Err(store::StoreError::AuthFailed { locked_until }) => {
            let now = state.store.now();
            let wait = locked_until.map_or(60, |u| u.duration_since(now).as_secs().max(1));
            return Ok(
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, wait.to_string())], "429").into_response()
            );
        }
        other => other?,
    };
    Ok((
        StatusCode::CREATED,
        Json(ReceivedDto {
            teryt: imported.teryt,
            year: imported.year,
            package_version: imported.package_version,
            approval_version: imported.approval_version,
            correction: imported.correction,
        }),
    )
        .into_response())
}
