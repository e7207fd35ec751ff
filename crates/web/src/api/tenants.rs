use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct TenantDto {
    pub teryt: String,
    pub name: String,
    pub is_demo: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct NewTenant {
    pub teryt: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionDto {
    pub id: String,
    pub name: String,
    /// One of: social_welfare, police, education, health_care, alcohol_commission, probation_officer, prosecutor,
    /// county_family_centre, crisis_intervention_centre, ngo, other.
    pub kind: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewInstitution {
    pub name: String,
    pub kind: String,
}

/// All municipalities (installation administrator).
#[utoipa::path(get, path = "/api/v1/tenants", tag = "tenants",
    responses((status = 200, body = Vec<TenantDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<TenantDto>>, ApiError> {
    user.require(Permission::ManageTenants)?;
    let tenants = state.store.list_tenants().await?;
    Ok(Json(tenants.into_iter().map(|t| TenantDto { teryt: t.teryt, name: t.name, is_demo: t.is_demo }).collect()))
}

/// Creates a municipality (installation administrator).
#[utoipa::path(post, path = "/api/v1/tenants", tag = "tenants", request_body = NewTenant,
    responses((status = 201, body = TenantDto), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewTenant>,
) -> Result<(StatusCode, Json<TenantDto>), ApiError> {
    user.require(Permission::ManageTenants)?;
    let t = state.store.create_tenant(&user.actor(), &body.teryt, &body.name, false).await?;
    Ok((StatusCode::CREATED, Json(TenantDto { teryt: t.teryt, name: t.name, is_demo: t.is_demo })))
}

/// A municipality's institutions: for the administrator, and for the municipality's own team.
#[utoipa::path(get, path = "/api/v1/tenants/{teryt}/institutions", tag = "tenants",
    params(("teryt" = String, Path, description = "The municipality's 7-digit TERYT code")),
    responses((status = 200, body = Vec<InstitutionDto>), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn institutions(
    State(state): State<AppState>,
    user: ApiUser,
    Path(teryt): Path<String>,
) -> Result<Json<Vec<InstitutionDto>>, ApiError> {
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let own_team =
        user.principal.tenant_id == Some(tenant.id) && user.principal.roles.permits(Permission::ViewTeamDirectory);
    if !own_team && !user.principal.roles.permits(Permission::ManageInstitutions) {
        // Another municipality's team does not learn that it exists.
        return Err(ApiError::NotFound);
    }
    let list = state.store.list_institutions(tenant.id).await?;
    Ok(Json(list.into_iter().map(|i| InstitutionDto { id: i.id.to_string(), name: i.name, kind: i.kind }).collect()))
}

/// Adds an institution to a municipality (installation administrator).
#[utoipa::path(post, path = "/api/v1/tenants/{teryt}/institutions", tag = "tenants", request_body = NewInstitution,
    params(("teryt" = String, Path, description = "The municipality's 7-digit TERYT code")),
    responses((status = 201, body = InstitutionDto), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_institution(
    State(state): State<AppState>,
    user: ApiUser,
    Path(teryt): Path<String>,
    ApiJson(body): ApiJson<NewInstitution>,
) -> Result<(StatusCode, Json<InstitutionDto>), ApiError> {
    user.require(Permission::ManageInstitutions)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let i = state.store.create_institution(&user.actor(), tenant.id, &body.name, &body.kind).await?;
    Ok((StatusCode::CREATED, Json(InstitutionDto { id: i.id.to_string(), name: i.name, kind: i.kind })))
}
