use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiUser;
use crate::error::ApiErrorBody;

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
