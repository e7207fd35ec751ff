use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiUser;
use crate::error::ApiError;
use crate::error::ApiErrorBody;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub login: String,
    /// The municipality's TERYT code; absent for the installation's administrator.
    pub tenant_teryt: Option<String>,
    pub roles: Vec<String>,
}

/// Who the token belongs to.
#[utoipa::path(get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, body = Me), (status = 401, body = ApiErrorBody)))]
pub async fn me(user: ApiUser) -> Json<Me> {
    let p = user.principal;
    Json(Me {
        login: p.login,
        tenant_teryt: p.tenant_teryt,
        roles: p.roles.iter().map(|r| r.as_str().to_owned()).collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct ApiToken {
    pub id: Uuid,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The caller's own API tokens (never the tokens themselves), revoked and expired ones included.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "identity",
    responses((status = 200, body = [ApiToken]), (status = 401, body = ApiErrorBody)))]
pub async fn tokens(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<ApiToken>>, ApiError> {
    let list = state.store.list_api_tokens(user.principal.account_id).await?;
    Ok(Json(
        list.into_iter()
            .map(|t| ApiToken {
                id: t.id,
                name: t.name,
                created_at: t.created_at.to_string(),
                expires_at: t.expires_at.to_string(),
                last_used_at: t.last_used_at.map(|u| u.to_string()),
                revoked_at: t.revoked_at.map(|r| r.to_string()),
            })
            .collect(),
    ))
}

/// Revokes one of the caller's own tokens (it may be the one making this call); 404 for any other id.
#[utoipa::path(post, path = "/api/v1/me/tokens/{id}/revoke", tag = "identity",
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    state.store.revoke_own_api_token(&user.caller(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
