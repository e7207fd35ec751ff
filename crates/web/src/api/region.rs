//! The regional cooperation platform over the API (issue 17 item 7): the library of good practice and the register of
//! difficulties as each account may read them, and a difficulty raised by a municipality's team staff or a county's
//! coordinator; the same permissions, validation, need-to-know and audit as the pages (`store::platform`).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use store::platform::{Difficulty, DifficultyDraft, Practice};
use utoipa::{IntoParams, ToSchema};

use super::team::Created;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::state::AppState;

/// A document of good practice.
#[derive(Serialize, ToSchema)]
pub struct PracticeDto {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    /// The municipality's TERYT code, when the document comes from one.
    pub municipality: Option<String>,
    pub municipality_name: Option<String>,
    pub year: i16,
    /// region, counties or all: who reads it.
    pub audience: String,
}

fn practice_dto(p: Practice) -> PracticeDto {
    PracticeDto {
        id: p.id.to_string(),
        title: p.title,
        summary: p.summary,
        link: p.link,
        tags: p.tags,
        municipality: p.municipality,
        municipality_name: p.municipality_name,
        year: p.year,
        audience: p.audience.as_str().to_owned(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct LibraryParams {
    /// Only the documents with this tag.
    pub tag: Option<String>,
}

/// The library as the account's level may read it, the newest year first.
#[utoipa::path(get, path = "/api/v1/region/library", tag = "region", params(LibraryParams),
    responses((status = 200, body = Vec<PracticeDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn library(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<LibraryParams>,
) -> Result<Json<Vec<PracticeDto>>, ApiError> {
    user.require(Permission::ViewPlatform)?;
    let list = state.store.practices(&user.principal, params.tag.as_deref()).await?;
    Ok(Json(list.into_iter().map(practice_dto).collect()))
}

/// A difficulty raised with the region and its answer.
#[derive(Serialize, ToSchema)]
pub struct DifficultyDto {
    pub id: String,
    /// The municipality or county that raised it.
    pub raised_by: String,
    pub raised_by_teryt: String,
    /// YYYY-MM-DD
    pub raised_on: String,
    pub title: String,
    pub description: String,
    /// raised, in_progress, solved, declined
    pub status: String,
    pub solution: Option<String>,
    /// YYYY-MM-DD
    pub solution_on: Option<String>,
    pub version: i64,
}

fn difficulty_dto(d: Difficulty) -> DifficultyDto {
    DifficultyDto {
        id: d.id.to_string(),
        raised_by: d.raised_by_name,
        raised_by_teryt: d.raised_by_teryt,
        raised_on: d.raised_on.to_string(),
        title: d.title,
        description: d.description,
        status: d.status.as_str().to_owned(),
        solution: d.solution,
        solution_on: d.solution_on.map(|d| d.to_string()),
        version: d.version,
    }
}

/// The difficulties the account may read: the region all, a county its own and its municipalities', a municipality
/// its own, and everyone the solved ones.
#[utoipa::path(get, path = "/api/v1/region/difficulties", tag = "region",
    responses((status = 200, body = Vec<DifficultyDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 404, body = ApiErrorBody)))]
pub async fn difficulties(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<DifficultyDto>>, ApiError> {
    user.require(Permission::ViewPlatform)?;
    let list = state.store.difficulties(&user.principal).await?;
    Ok(Json(list.into_iter().map(difficulty_dto).collect()))
}

/// Raises a key difficulty with the region (a municipality's team staff, a county's coordinator).
#[utoipa::path(post, path = "/api/v1/region/difficulties", tag = "region", request_body = DifficultyDraft,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn raise_difficulty(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(draft): ApiJson<DifficultyDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::RaiseDifficulty)?;
    let input = draft.validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.raise_difficulty(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}
