//! What the team learns from its work, over the API: the recommendations to the mayor and the projects and
//! co-financed programmes; the same permission (the team's staff), validation, audit and version checks as the pages.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use store::team::{Project, ProjectDraft, Recommendation, RecommendationDraft};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::team::Created;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RecommendationDto {
    pub id: String,
    /// The year whose annual report carries it.
    pub year: i16,
    /// draft, submitted, accepted, partly_accepted, rejected, implemented
    pub status: String,
    pub submitted_on: Option<String>,
    pub responded_on: Option<String>,
    pub addressee: String,
    pub recommendation: String,
    pub justification: String,
    pub response: String,
    pub follow_up: String,
    pub version: i64,
}

fn recommendation_dto(r: Recommendation) -> RecommendationDto {
    RecommendationDto {
        id: r.id.to_string(),
        year: r.year,
        status: r.status.as_str().into(),
        submitted_on: r.submitted_on.map(|d| d.to_string()),
        responded_on: r.responded_on.map(|d| d.to_string()),
        addressee: r.body.addressee,
        recommendation: r.body.recommendation,
        justification: r.body.justification,
        response: r.body.response,
        follow_up: r.body.follow_up,
        version: r.version,
    }
}

/// A recommendation to add or change: the fields of `RecommendationDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct RecommendationBody {
    #[serde(flatten)]
    pub draft: RecommendationDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl RecommendationBody {
    fn draft(&self) -> &RecommendationDraft {
        &self.draft
    }
}

#[derive(Deserialize, IntoParams)]
pub struct RecommendationYear {
    /// The report year (default: the current one).
    pub year: Option<i16>,
}

/// The recommendations of a year, decrypted (the read is audited).
#[utoipa::path(get, path = "/api/v1/recommendations", tag = "team", params(RecommendationYear),
    responses((status = 200, body = Vec<RecommendationDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn recommendations(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<RecommendationYear>,
) -> Result<Json<Vec<RecommendationDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let year = q.year.unwrap_or_else(|| state.store.today().year());
    let list = state.store.recommendations(&user.caller(), year).await?;
    Ok(Json(list.into_iter().map(recommendation_dto).collect()))
}

/// Adds a recommendation to the mayor.
#[utoipa::path(post, path = "/api/v1/recommendations", tag = "team", request_body = RecommendationBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<RecommendationBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.create_recommendation(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// One recommendation (the read is audited).
#[utoipa::path(get, path = "/api/v1/recommendations/{id}", tag = "team", params(("id" = String, Path, description = "The recommendation's id")),
    responses((status = 200, body = RecommendationDto), (status = 404, body = ApiErrorBody)))]
pub async fn recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<RecommendationDto>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let r = state.store.recommendation(&user.caller(), id).await?;
    Ok(Json(recommendation_dto(r)))
}

/// Changes a recommendation (the mayor's response, its follow-up) at the version it was read.
#[utoipa::path(put, path = "/api/v1/recommendations/{id}", tag = "team", request_body = RecommendationBody,
    params(("id" = String, Path, description = "The recommendation's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_recommendation(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<RecommendationBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_recommendation(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ProjectDto {
    pub id: String,
    pub title: String,
    /// ministry, voivodeship, county, municipality, eu, other
    pub funder: String,
    pub funder_name: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// In grosze.
    pub amount_granted: i64,
    pub amount_spent: i64,
    /// Spending above the grant (accepted, flagged).
    pub overspent: bool,
    pub partners: Option<String>,
    pub target_group: Option<String>,
    pub planned_results: Option<String>,
    pub achieved_results: Option<String>,
    pub programme_id: Option<String>,
    /// The programme's task and indicator ids it serves.
    pub programme_nodes: Vec<String>,
    pub version: i64,
}

fn project_dto(p: Project) -> ProjectDto {
    ProjectDto {
        id: p.id.to_string(),
        overspent: p.overspent(),
        title: p.title,
        funder: p.funder.as_str().into(),
        funder_name: p.funder_name,
        starts_on: p.starts_on.to_string(),
        ends_on: p.ends_on.map(|d| d.to_string()),
        amount_granted: p.amount_granted,
        amount_spent: p.amount_spent,
        partners: p.partners,
        target_group: p.target_group,
        planned_results: p.planned_results,
        achieved_results: p.achieved_results,
        programme_id: p.programme_id.map(|id| id.to_string()),
        programme_nodes: p.programme_nodes,
        version: p.version,
    }
}

/// A project to add or change: the fields of `ProjectDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct ProjectBody {
    #[serde(flatten)]
    pub draft: ProjectDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl ProjectBody {
    fn draft(&self) -> &ProjectDraft {
        &self.draft
    }
}

/// Every project, the newest start first.
#[utoipa::path(get, path = "/api/v1/projects", tag = "team",
    responses((status = 200, body = Vec<ProjectDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn projects(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<ProjectDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let list = state.store.projects(&user.principal).await?;
    Ok(Json(list.into_iter().map(project_dto).collect()))
}

/// Adds a project; spending above the grant is accepted and flagged (`overspent`).
#[utoipa::path(post, path = "/api/v1/projects", tag = "team", request_body = ProjectBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_project(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ProjectBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    let id = state.store.create_project(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// One project.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "team", params(("id" = String, Path, description = "The project's id")),
    responses((status = 200, body = ProjectDto), (status = 404, body = ApiErrorBody)))]
pub async fn project(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<ProjectDto>, ApiError> {
    user.require(Permission::ManageTeam)?;
    Ok(Json(project_dto(state.store.project(&user.principal, id).await?)))
}

/// Changes a project at the version it was read.
#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "team", request_body = ProjectBody,
    params(("id" = String, Path, description = "The project's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_project(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ProjectBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    state.store.update_project(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
