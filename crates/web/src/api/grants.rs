//! Break-glass and time-boxed access through the API (issue 20), as on the pages: the emergency opening with its
//! reason, the case's grants for the team's staff (given and ended by the chair or deputy), and the data protection
//! officer's register of openings with their review. The store decides who may and audits each.

use axum::Json;
use axum::extract::State;
use domain::FieldErrors;
use domain::identity::Permission;
use domain::procedure::access_grant::BREAK_GLASS_DEFAULT_HOURS;
use serde::{Deserialize, Serialize};
use store::procedure::{CaseRef, GrantKind, GrantStatus, GrantView};
use utoipa::ToSchema;
use uuid::Uuid;

use super::procedures::parse_id;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct GrantDto {
    pub id: String,
    pub procedure_id: String,
    pub number: String,
    /// break_glass or granted.
    pub kind: &'static str,
    /// The account let in, by login.
    pub login: String,
    /// The reason written, for a break-glass opening.
    pub reason: Option<String>,
    pub granted_by: String,
    pub granted_at: String,
    /// The end instant (exclusive); null: until ended.
    pub ends_at: Option<String>,
    pub ended_at: Option<String>,
    /// current, lapsed or ended.
    pub status: &'static str,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub review_comment: Option<String>,
}

fn dto(g: GrantView) -> GrantDto {
    GrantDto {
        id: g.id.to_string(),
        procedure_id: g.procedure_id.to_string(),
        number: g.number,
        kind: g.kind.as_str(),
        login: g.account_login,
        reason: g.reason,
        granted_by: g.granted_by_login,
        granted_at: g.granted_at.to_string(),
        ends_at: g.ends_at.map(|t| t.to_string()),
        ended_at: g.ended_at.map(|t| t.to_string()),
        status: match g.status {
            GrantStatus::Current => "current",
            GrantStatus::Lapsed => "lapsed",
            GrantStatus::Ended => "ended",
        },
        reviewed_by: g.reviewed_by_login,
        reviewed_at: g.reviewed_at.map(|t| t.to_string()),
        review_comment: g.review_comment,
    }
}

#[derive(Deserialize, ToSchema)]
pub struct BreakGlassRequest {
    /// The case's id (from a refused link), or else its number.
    #[serde(default)]
    pub procedure_id: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    /// Why the case is needed now: at least 20 characters.
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct BreakGlassDto {
    pub procedure_id: String,
    /// break_glass, or how the caller already saw the case (no opening recorded then).
    pub access: &'static str,
    /// When the opening ends.
    pub ends_at: Option<String>,
}

/// Opens a case in an emergency for 24 hours with a written reason; the chair(s) and the data protection officer(s)
/// are told at once. Only a member of the team in its register who holds the group-member role may; anyone else gets
/// 404 whether the case exists or not.
#[utoipa::path(post, path = "/api/v1/procedures/emergency", tag = "procedures", request_body = BreakGlassRequest,
    responses((status = 200, body = BreakGlassDto), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn break_glass(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<BreakGlassRequest>,
) -> Result<Json<BreakGlassDto>, ApiError> {
    user.require(Permission::BreakGlass)?;
    let case = match (body.procedure_id.as_deref(), body.number.as_deref()) {
        (Some(id), _) => CaseRef::Id(parse_id(id)?),
        (None, Some(number)) if !number.trim().is_empty() => CaseRef::Number(number),
        _ => {
            let mut errors = FieldErrors::new();
            errors.add("number", "err-required");
            return Err(ApiError::Invalid(errors));
        }
    };
    let handle = state.store.break_glass(&user.caller(), case, &body.reason, BREAK_GLASS_DEFAULT_HOURS).await?;
    let banner = state.store.grant_banner(&handle).await?;
    let access = match banner.map(|b| b.kind) {
        Some(GrantKind::BreakGlass) => "break_glass",
        Some(GrantKind::Granted) => "granted",
        None => "already",
    };
    Ok(Json(BreakGlassDto {
        procedure_id: handle.procedure_id.to_string(),
        access,
        ends_at: banner.and_then(|b| b.ends_at).map(|t| t.to_string()),
    }))
}

/// Every grant of the case, current and past, newest first. The team's staff only; the reasons are read (audited).
#[utoipa::path(get, path = "/api/v1/procedures/{id}/grants", tag = "procedures", params(("id" = String, Path)),
    responses((status = 200, body = Vec<GrantDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<Vec<GrantDto>>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let grants = state.store.case_grants(&handle).await?;
    Ok(Json(grants.into_iter().map(dto).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct GrantRequest {
    /// An active account of the municipality with the group-member role, not in the case's group.
    pub account_id: String,
    /// The last day of access (YYYY-MM-DD, today or later); access lapses at midnight after it in Poland. Null or
    /// absent: until ended.
    #[serde(default)]
    pub last_day: Option<String>,
}

/// The chair (or deputy) gives an account outside the group read-only access to the case; answers the case's grants.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/grants", tag = "procedures", params(("id" = String, Path)),
    request_body = GrantRequest,
    responses((status = 200, body = Vec<GrantDto>), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<GrantRequest>,
) -> Result<Json<Vec<GrantDto>>, ApiError> {
    user.require(Permission::GrantCaseAccess)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let mut errors = FieldErrors::new();
    let account =
        errors.check("account_id", Uuid::parse_str(&body.account_id).map_err(|_| "err-grant-account-unknown"));
    let last_day = errors.check("last_day", domain::parse::optional_date(body.last_day.as_deref().unwrap_or("")));
    let (Some(account), Some(last_day)) = (account, last_day) else { return Err(ApiError::Invalid(errors)) };
    state.store.grant_case_access(&handle, account, last_day).await?;
    Ok(Json(state.store.case_grants(&handle).await?.into_iter().map(dto).collect()))
}

/// The chair (or deputy) ends a current grant of the case now; answers the case's grants.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/grants/{grant}/end", tag = "procedures",
    params(("id" = String, Path), ("grant" = String, Path)),
    responses((status = 200, body = Vec<GrantDto>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, grant)): ApiIds<(Uuid, Uuid)>,
) -> Result<Json<Vec<GrantDto>>, ApiError> {
    user.require(Permission::GrantCaseAccess)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    state.store.end_case_grant(&handle, grant).await?;
    Ok(Json(state.store.case_grants(&handle).await?.into_iter().map(dto).collect()))
}

/// The data protection officer's register: every break-glass opening of the municipality, newest first, with its
/// reason and review (audited).
#[utoipa::path(get, path = "/api/v1/break-glass", tag = "audit",
    responses((status = 200, body = Vec<GrantDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn register(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<GrantDto>>, ApiError> {
    user.require(Permission::ReadAuditTrail)?;
    let list = state.store.break_glass_register(&user.caller(), 1000).await?;
    Ok(Json(list.into_iter().map(dto).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// What the review found: required.
    #[serde(default)]
    pub comment: String,
}

/// The data protection officer marks an opening reviewed with a comment, once (409 after).
#[utoipa::path(post, path = "/api/v1/break-glass/{grant}/review", tag = "audit", params(("grant" = String, Path)),
    request_body = ReviewRequest,
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(grant): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    user.require(Permission::ReadAuditTrail)?;
    state.store.review_break_glass(&user.caller(), grant, &body.comment).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
