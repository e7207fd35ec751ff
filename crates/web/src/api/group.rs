//! The support group through the API: who is in it, whom the team can choose from, and its changes after the
//! appointment (art. 9a ust. 12b–12c): extension, replacement of a member who left, the coordinator. The store
//! checks the statutory and conditional members and moves access with each change.

use axum::Json;
use axum::extract::State;
use domain::FieldErrors;
use domain::identity::Permission;
use domain::procedure::lifecycle::GroupMemberKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::procedures::{GroupMemberDto, ProcedureDto, procedure_dto};
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct GroupCandidateDto {
    pub account_id: String,
    pub login: String,
    /// The institution the account works for, when recorded.
    pub institution: Option<String>,
    /// social_welfare, police, education, health, alcohol_commission, ...
    pub institution_kind: Option<String>,
    /// The function in the team's register (chair, deputy_chair, secretary, member), for a current team member.
    pub team_function: Option<String>,
    /// The capacity in which the account is in this case's group now, if it is.
    pub in_group_as: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupMemberViewDto {
    pub account_id: String,
    pub login: String,
    /// social_worker, police_officer, probation_officer, military_police, ...
    pub kind: String,
    /// When they joined after the appointment (extension or replacement); null for an appointed member.
    pub joined_at: Option<String>,
    /// When they left the group (replaced); they no longer reach the case.
    pub left_at: Option<String>,
    pub by_extension: bool,
    pub coordinator: bool,
}

/// The accounts the team can put in this case's group: active accounts of the municipality with the group-member
/// role, with their institution and function. The team (chair, deputy, secretary) only.
#[utoipa::path(get, path = "/api/v1/procedures/{id}/group/candidates", tag = "procedures", params(("id" = String, Path)),
    responses((status = 200, body = Vec<GroupCandidateDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
pub async fn candidates(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<Vec<GroupCandidateDto>>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let list = state.store.group_candidates(&handle).await?;
    Ok(Json(
        list.into_iter()
            .map(|c| GroupCandidateDto {
                account_id: c.account_id.to_string(),
                login: c.login,
                institution: c.institution,
                institution_kind: c.institution_kind,
                team_function: c.team_function,
                in_group_as: c.in_group_as,
            })
            .collect(),
    ))
}

/// The case's group, present and past members. The team and the group.
#[utoipa::path(get, path = "/api/v1/procedures/{id}/group", tag = "procedures", params(("id" = String, Path)),
    responses((status = 200, body = Vec<GroupMemberViewDto>), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn members(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<Vec<GroupMemberViewDto>>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let list = state.store.group_members(&handle).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| GroupMemberViewDto {
                account_id: m.account_id.to_string(),
                login: m.login,
                kind: m.kind,
                joined_at: m.joined_at.map(|t| t.to_string()),
                left_at: m.left_at.map(|t| t.to_string()),
                by_extension: m.by_extension,
                coordinator: m.coordinator,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ExtendGroup {
    pub members: Vec<GroupMemberDto>,
    pub version: i64,
}

/// The team extends the group (art. 9a ust. 12b–12c), e.g. with an institution's representative or the probation
/// officer the case now needs.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/group/extend", tag = "procedures", params(("id" = String, Path)),
    request_body = ExtendGroup,
    responses((status = 200, body = ProcedureDto), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn extend(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ExtendGroup>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let mut errors = FieldErrors::new();
    let mut members = Vec::new();
    for m in &body.members {
        let account = errors.check("members", Uuid::parse_str(&m.account_id).map_err(|_| "err-group-member-unknown"));
        let kind = errors.check("members", GroupMemberKind::parse(&m.kind));
        if let (Some(a), Some(k)) = (account, kind) {
            members.push((a, k));
        }
    }
    if body.members.is_empty() {
        errors.add("members", "err-group-extension-empty");
    }
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    state.store.extend_group(&handle, &members, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReplaceMember {
    /// The account of the member who left.
    pub left: String,
    /// The account that takes their place.
    pub joined: String,
    /// The new member's capacity; by default the one of the member who left.
    #[serde(default)]
    pub kind: Option<String>,
    pub version: i64,
}

/// A member left the group and another account takes their place: the one who left no longer reaches the case.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/group/replace", tag = "procedures", params(("id" = String, Path)),
    request_body = ReplaceMember,
    responses((status = 200, body = ProcedureDto), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ReplaceMember>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let mut errors = FieldErrors::new();
    let left = errors.check("left", Uuid::parse_str(&body.left).map_err(|_| "err-group-member-not-in-group"));
    let joined = errors.check("joined", Uuid::parse_str(&body.joined).map_err(|_| "err-group-member-unknown"));
    let kind = match body.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Some(None),
        Some(raw) => errors.check("kind", GroupMemberKind::parse(raw)).map(Some),
    };
    let (Some(left), Some(joined), Some(kind)) = (left, joined, kind) else { return Err(ApiError::Invalid(errors)) };
    state.store.replace_group_member(&handle, left, joined, kind, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct NameCoordinator {
    /// A current member of the group.
    pub account_id: String,
    pub version: i64,
}

/// The team names the group's coordinator.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/group/coordinator", tag = "procedures", params(("id" = String, Path)),
    request_body = NameCoordinator,
    responses((status = 200, body = ProcedureDto), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn coordinator(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<NameCoordinator>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let Ok(account) = Uuid::parse_str(&body.account_id) else {
        let mut errors = FieldErrors::new();
        errors.add("account_id", "err-group-member-not-in-group");
        return Err(ApiError::Invalid(errors));
    };
    state.store.name_group_coordinator(&handle, account, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}
