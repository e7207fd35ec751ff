//! The members' training histories, the coordinators per area and the team's working groups over the API (issue 18,
//! items 6–7): the same permissions (the team's staff; a working group's chair and members in their group), the same
//! validation, audit and version checks as the pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use store::team::{
    GroupDetail, GroupMeetingDraft, GroupTaskDraft, TrainingDraft, TrainingEntry, WorkingGroup, WorkingGroupDraft,
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::team::Created;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct MemberTrainingDto {
    pub id: String,
    /// mandatory, further, studium_first_degree, studium_second_degree, specialisation
    pub kind: String,
    /// Empty only for an entry carried over from the former single training date.
    pub title: Option<String>,
    pub organiser: Option<String>,
    pub starts_on: Option<String>,
    pub completed_on: String,
    pub hours: Option<i32>,
    pub certificate_number: Option<String>,
}

fn training_dto(t: TrainingEntry) -> MemberTrainingDto {
    MemberTrainingDto {
        id: t.id.to_string(),
        kind: t.kind.as_str().to_owned(),
        title: t.title,
        organiser: t.organiser,
        starts_on: t.starts_on.map(|d| d.to_string()),
        completed_on: t.completed_on.to_string(),
        hours: t.hours,
        certificate_number: t.certificate_number,
    }
}

/// A member's training history, newest first (the read is audited).
#[utoipa::path(get, path = "/api/v1/team/members/{id}/trainings", tag = "team",
    params(("id" = String, Path, description = "The member's id")),
    responses((status = 200, body = Vec<MemberTrainingDto>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn trainings(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<Vec<MemberTrainingDto>>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let list = state.store.member_trainings(&user.caller(), id).await?;
    Ok(Json(list.into_iter().map(training_dto).collect()))
}

/// Adds a training to a member's history.
#[utoipa::path(post, path = "/api/v1/team/members/{id}/trainings", tag = "team", request_body = TrainingDraft,
    params(("id" = String, Path, description = "The member's id")),
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_training(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<TrainingDraft>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.validate(state.store.today()).map_err(ApiError::Invalid)?;
    let created = state.store.add_member_training(&user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: created.to_string() })))
}

/// Removes a training recorded by mistake.
#[utoipa::path(delete, path = "/api/v1/team/members/{id}/trainings/{training}", tag = "team",
    params(("id" = String, Path, description = "The member's id"), ("training" = String, Path, description = "The training's id")),
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn remove_training(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, training)): ApiIds<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    state.store.remove_member_training(&user.caller(), id, training).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CoordinationAreaDto {
    /// children, elderly, persons_with_disabilities, programmes, support_groups, trainings, campaigns
    pub area: String,
    /// The current members who coordinate it (their ids; names from `/api/v1/team/members`).
    pub member_ids: Vec<String>,
}

/// The coordinators per area of the team's work (every area, those without a coordinator included).
#[utoipa::path(get, path = "/api/v1/team/coordinators", tag = "team",
    responses((status = 200, body = Vec<CoordinationAreaDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn coordinators(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<Vec<CoordinationAreaDto>>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let areas = state.store.team_coordinators(&user.principal).await?;
    Ok(Json(
        areas
            .into_iter()
            .map(|a| CoordinationAreaDto {
                area: a.area.as_str().to_owned(),
                member_ids: a.member_ids.iter().map(Uuid::to_string).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct WorkingGroupDto {
    pub id: String,
    pub name: String,
    pub purpose: Option<String>,
    pub established_on: String,
    pub closed_on: Option<String>,
    pub chair_member_id: Option<String>,
    pub member_ids: Vec<String>,
    /// What the caller may do: staff (everything), chair (the group, its tasks and meetings), member (its tasks and
    /// meetings).
    pub role: String,
    pub open_tasks: i64,
    pub version: i64,
}

fn group_dto(g: WorkingGroup) -> WorkingGroupDto {
    WorkingGroupDto {
        id: g.id.to_string(),
        name: g.name,
        purpose: g.purpose,
        established_on: g.established_on.to_string(),
        closed_on: g.closed_on.map(|d| d.to_string()),
        chair_member_id: g.chair_member_id.map(|u| u.to_string()),
        member_ids: g.member_ids.iter().map(Uuid::to_string).collect(),
        role: match g.role {
            store::team::WorkingGroupRole::Staff => "staff",
            store::team::WorkingGroupRole::Chair => "chair",
            store::team::WorkingGroupRole::Member => "member",
        }
        .to_owned(),
        open_tasks: g.open_tasks,
        version: g.version,
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkingGroupMemberDto {
    pub member_id: String,
    pub full_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingGroupTaskDto {
    pub id: String,
    pub title: String,
    pub owner_member_id: Option<String>,
    pub due_on: Option<String>,
    /// open, in_progress, done, dropped
    pub status: String,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingGroupMeetingDto {
    pub id: String,
    pub held_on: String,
    pub agenda: String,
    pub minutes: String,
    /// The members who attended (their ids).
    pub attended: Vec<String>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct WorkingGroupDetailDto {
    pub group: WorkingGroupDto,
    /// The chair first.
    pub members: Vec<WorkingGroupMemberDto>,
    pub tasks: Vec<WorkingGroupTaskDto>,
    /// Newest first.
    pub meetings: Vec<WorkingGroupMeetingDto>,
}

fn detail_dto(d: GroupDetail) -> WorkingGroupDetailDto {
    WorkingGroupDetailDto {
        group: group_dto(d.group),
        members: d
            .members
            .into_iter()
            .map(|(id, full_name)| WorkingGroupMemberDto { member_id: id.to_string(), full_name })
            .collect(),
        tasks: d
            .tasks
            .into_iter()
            .map(|t| WorkingGroupTaskDto {
                id: t.id.to_string(),
                title: t.title,
                owner_member_id: t.owner_member_id.map(|u| u.to_string()),
                due_on: t.due_on.map(|d| d.to_string()),
                status: t.status.as_str().to_owned(),
                version: t.version,
            })
            .collect(),
        meetings: d
            .meetings
            .into_iter()
            .map(|m| WorkingGroupMeetingDto {
                id: m.id.to_string(),
                held_on: m.held_on.to_string(),
                agenda: m.body.agenda,
                minutes: m.body.minutes,
                attended: m.attended.iter().map(Uuid::to_string).collect(),
                version: m.version,
            })
            .collect(),
    }
}

/// A working group as sent: the fields of `WorkingGroupDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct WorkingGroupBody {
    #[serde(flatten)]
    pub draft: WorkingGroupDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl WorkingGroupBody {
    fn draft(&self) -> &WorkingGroupDraft {
        &self.draft
    }
}

/// A task as sent: the fields of `GroupTaskDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct WorkingGroupTaskBody {
    #[serde(flatten)]
    pub draft: GroupTaskDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl WorkingGroupTaskBody {
    fn draft(&self) -> &GroupTaskDraft {
        &self.draft
    }
}

/// A meeting as sent: the fields of `GroupMeetingDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct WorkingGroupMeetingBody {
    #[serde(flatten)]
    pub draft: GroupMeetingDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl WorkingGroupMeetingBody {
    fn draft(&self) -> &GroupMeetingDraft {
        &self.draft
    }
}

/// The working groups the caller may see: all for the team's staff, their own for a member.
#[utoipa::path(get, path = "/api/v1/team/working-groups", tag = "team",
    responses((status = 200, body = Vec<WorkingGroupDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<WorkingGroupDto>>, ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let groups = state.store.working_groups(&user.principal).await?;
    Ok(Json(groups.into_iter().map(group_dto).collect()))
}

/// Sets a working group up (the team's staff).
#[utoipa::path(post, path = "/api/v1/team/working-groups", tag = "team", request_body = WorkingGroupBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<WorkingGroupBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.create_working_group(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// One working group with its members, tasks and meetings (the read is audited).
#[utoipa::path(get, path = "/api/v1/team/working-groups/{id}", tag = "team",
    params(("id" = String, Path, description = "The working group's id")),
    responses((status = 200, body = WorkingGroupDetailDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<WorkingGroupDetailDto>, ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let detail = state.store.working_group(&user.caller(), id).await?;
    Ok(Json(detail_dto(detail)))
}

/// Changes a working group (the staff or its chair) at the version it was read.
#[utoipa::path(put, path = "/api/v1/team/working-groups/{id}", tag = "team", request_body = WorkingGroupBody,
    params(("id" = String, Path, description = "The working group's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<WorkingGroupBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let version = body.version;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_working_group(&user.caller(), id, &input, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a task to a working group (its members).
#[utoipa::path(post, path = "/api/v1/team/working-groups/{id}/tasks", tag = "team", request_body = WorkingGroupTaskBody,
    params(("id" = String, Path, description = "The working group's id")),
    responses((status = 201, body = Created), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_task(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<WorkingGroupTaskBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    let task = state.store.add_group_task(&user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: task.to_string() })))
}

/// Changes a task (its status, owner, due date) at the version it was read.
#[utoipa::path(put, path = "/api/v1/team/working-groups/{id}/tasks/{task}", tag = "team", request_body = WorkingGroupTaskBody,
    params(("id" = String, Path, description = "The working group's id"), ("task" = String, Path, description = "The task's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_task(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, task)): ApiIds<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<WorkingGroupTaskBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let version = body.version;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    state.store.update_group_task(&user.caller(), id, task, &input, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a meeting of a working group held (its members): agenda, minutes, attendance.
#[utoipa::path(post, path = "/api/v1/team/working-groups/{id}/meetings", tag = "team", request_body = WorkingGroupMeetingBody,
    params(("id" = String, Path, description = "The working group's id")),
    responses((status = 201, body = Created), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn record_meeting(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<WorkingGroupMeetingBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let meeting = state.store.record_group_meeting(&user.caller(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: meeting.to_string() })))
}

/// Changes a meeting's day, agenda, minutes or attendance at the version it was read.
#[utoipa::path(put, path = "/api/v1/team/working-groups/{id}/meetings/{meeting}", tag = "team", request_body = WorkingGroupMeetingBody,
    params(("id" = String, Path, description = "The working group's id"), ("meeting" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, meeting)): ApiIds<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<WorkingGroupMeetingBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ViewTeamDirectory)?;
    let version = body.version;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_group_meeting(&user.caller(), id, meeting, &input, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
