//! The team's registers over the API: members and the appointing order, meetings (notice, holding with attendance,
//! cancelling), the absence letters, the directory of help and the activities; the same permissions, validation and
//! version checks as the pages. The public directory's export is at `/pomoc/{teryt}/eksport.json` (no token).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use store::StoreError;
use store::team::{
    Activity, ActivityDraft, AttendanceInput, DeclarationDraft, DirectoryDraft, DirectoryEntry, MeetingInput,
    MemberDraft, TeamMeeting, TeamMember,
};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

#[derive(Deserialize, ToSchema)]
pub struct VersionBody {
    /// The version the change was read at; an older one is refused with 409.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct OrderDto {
    pub id: String,
    pub number: String,
    pub issued_on: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewOrder {
    pub number: String,
    /// YYYY-MM-DD
    pub issued_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub id: String,
    pub full_name: String,
    pub position: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub account_id: Option<String>,
    pub institution_id: Option<String>,
    pub institution_name: Option<String>,
    pub order_id: Option<String>,
    /// chair, deputy_chair, secretary, member
    pub function: String,
    pub appointed_on: String,
    pub term_ends_on: Option<String>,
    /// Empty while not signed: the member then reaches no case data.
    pub confidentiality_signed_on: Option<String>,
    /// The mandatory training's completion, read from the member's training history
    /// (`/api/v1/team/members/{id}/trainings`); empty while there is none.
    pub training_completed_on: Option<String>,
    /// The mandatory training's deadline (12 months after appointment).
    pub training_due_by: Option<String>,
    pub group_coordinator: bool,
    /// The areas of work the member coordinates: children, elderly, persons_with_disabilities, programmes,
    /// support_groups, trainings, campaigns.
    pub coordination_areas: Vec<String>,
    pub left_on: Option<String>,
    pub version: i64,
}

fn member_dto(m: &TeamMember) -> MemberDto {
    let s = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
    MemberDto {
        id: m.id.to_string(),
        full_name: m.details.full_name.clone(),
        position: m.details.position.clone(),
        email: m.details.email.clone(),
        phone: m.details.phone.clone(),
        account_id: m.account_id.map(|u| u.to_string()),
        institution_id: m.institution_id.map(|u| u.to_string()),
        institution_name: m.institution_name.clone(),
        order_id: m.order_id.map(|u| u.to_string()),
        function: m.function.as_str().into(),
        appointed_on: m.appointed_on.to_string(),
        term_ends_on: s(m.term_ends_on),
        confidentiality_signed_on: s(m.confidentiality_signed_on),
        training_completed_on: s(m.training_completed_on),
        training_due_by: s(domain::team::training_due_by(m.appointed_on)),
        group_coordinator: m.group_coordinator,
        coordination_areas: m.coordination_areas.iter().map(|a| a.as_str().to_owned()).collect(),
        left_on: s(m.left_on),
        version: m.version,
    }
}

/// A member as sent: the fields of `MemberDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct MemberBody {
    #[serde(flatten)]
    pub draft: MemberDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl MemberBody {
    fn draft(&self) -> &MemberDraft {
        &self.draft
    }
}

/// The appointing orders (team staff).
#[utoipa::path(get, path = "/api/v1/team/orders", tag = "team",
    responses((status = 200, body = Vec<OrderDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn orders(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<OrderDto>>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let list = state.store.team_orders(&user.principal).await?;
    Ok(Json(
        list.into_iter()
            .map(|o| OrderDto { id: o.id.to_string(), number: o.number, issued_on: o.issued_on.to_string() })
            .collect(),
    ))
}

/// Records the mayor's order appointing the team.
#[utoipa::path(post, path = "/api/v1/team/orders", tag = "team", request_body = NewOrder,
    responses((status = 201, body = OrderDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_order(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewOrder>,
) -> Result<(StatusCode, Json<OrderDto>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let o = state.store.create_team_order(&user.caller(), &body.number, &body.issued_on).await?;
    Ok((
        StatusCode::CREATED,
        Json(OrderDto { id: o.id.to_string(), number: o.number, issued_on: o.issued_on.to_string() }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DeclarationDto {
    pub account_id: String,
    pub login: String,
    /// declaration, authorisation; absent when none is recorded (the account then sees no case data)
    pub kind: Option<String>,
    /// YYYY-MM-DD
    pub signed_on: Option<String>,
}

/// The accounts that work with case data outside the team's register (group members from outside the team, staff
/// accounts not in the register), with their confidentiality declaration (art. 9c ust. 3) if recorded. Team staff.
#[utoipa::path(get, path = "/api/v1/team/declarations", tag = "team",
    responses((status = 200, body = Vec<DeclarationDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn declarations(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<DeclarationDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let list = state.store.account_declarations(&user.principal).await?;
    Ok(Json(
        list.into_iter()
            .map(|a| DeclarationDto {
                account_id: a.account_id.to_string(),
                login: a.login,
                kind: a.kind.map(|k| k.as_str().to_owned()),
                signed_on: a.signed_on.map(|d| d.to_string()),
            })
            .collect(),
    ))
}

/// Records the declaration or authorisation an account signed, with its date. Team staff.
#[utoipa::path(post, path = "/api/v1/team/declarations", tag = "team", request_body = DeclarationDraft,
    responses((status = 204), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn record_declaration(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(draft): ApiJson<DeclarationDraft>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let (account, kind, signed_on) = draft.validate().map_err(ApiError::Invalid)?;
    state.store.record_account_declaration(&user.caller(), account, kind, signed_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The team's members with their personal data (team staff; the read is audited).
#[utoipa::path(get, path = "/api/v1/team/members", tag = "team",
    responses((status = 200, body = Vec<MemberDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn members(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<MemberDto>>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let list = state.store.team_members(&user.caller()).await?;
    Ok(Json(list.iter().map(member_dto).collect()))
}

/// Adds a member to the team.
#[utoipa::path(post, path = "/api/v1/team/members", tag = "team", request_body = MemberBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_member(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.create_team_member(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Changes a member (the declaration, the training, the term…) at the version it was read.
#[utoipa::path(put, path = "/api/v1/team/members/{id}", tag = "team", request_body = MemberBody,
    params(("id" = String, Path, description = "The member's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_member(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<MemberBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_team_member(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceDto {
    pub member_id: String,
    pub full_name: String,
    /// present, excused, unexcused
    pub status: String,
    pub absence_notified_on: Option<String>,
    pub special_circumstances: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDto {
    pub id: String,
    pub scheduled_at: String,
    /// in_person or remote
    pub mode: String,
    /// planned, held, cancelled
    pub status: String,
    pub held_at: Option<String>,
    pub notice_sent_at: Option<String>,
    pub version: i64,
    /// Present on `GET /api/v1/team/meetings/{id}` only.
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub resolutions: Option<String>,
    pub attendance: Vec<AttendanceDto>,
}

fn meeting_dto(m: &TeamMeeting, with_body: bool) -> MeetingDto {
    let b = |s: &str| with_body.then(|| s.to_owned());
    MeetingDto {
        id: m.id.to_string(),
        scheduled_at: m.scheduled_at.to_string(),
        mode: m.mode.as_str().into(),
        status: m.status.as_str().into(),
        held_at: m.held_at.map(|t| t.to_string()),
        notice_sent_at: m.notice_sent_at.map(|t| t.to_string()),
        version: m.version,
        place: b(&m.body.place),
        video_link: b(&m.body.video_link),
        agenda: b(&m.body.agenda),
        minutes: b(&m.body.minutes),
        resolutions: b(&m.body.resolutions),
        attendance: m
            .attendance
            .iter()
            .map(|a| AttendanceDto {
                member_id: a.member_id.to_string(),
                full_name: a.full_name.clone(),
                status: a.status.as_str().into(),
                absence_notified_on: a.absence_notified_on.map(|d| d.to_string()),
                special_circumstances: a.special_circumstances,
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct YearParam {
    /// The year (default: all years; for activities, the current year).
    pub year: Option<i16>,
}

/// A meeting to plan or change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MeetingBody {
    /// Date and time in Poland, `YYYY-MM-DDTHH:MM`.
    pub scheduled_at: String,
    /// in_person or remote (then `video_link` is required)
    pub mode: String,
    pub place: String,
    pub video_link: String,
    pub agenda: String,
    /// For a change: the version it was read at.
    pub version: i64,
}

impl MeetingBody {
    fn input(&self) -> MeetingInput {
        MeetingInput {
            scheduled_at: self.scheduled_at.clone(),
            mode: self.mode.clone(),
            place: self.place.clone(),
            video_link: self.video_link.clone(),
            agenda: self.agenda.clone(),
        }
    }
}

/// The team's meetings, newest first, without their content.
#[utoipa::path(get, path = "/api/v1/team/meetings", tag = "team", params(YearParam),
    responses((status = 200, body = Vec<MeetingDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn meetings(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<YearParam>,
) -> Result<Json<Vec<MeetingDto>>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let list = state.store.team_meetings(&user.principal, q.year).await?;
    Ok(Json(list.iter().map(|m| meeting_dto(m, false)).collect()))
}

/// Plans a meeting (the members are told with `POST …/notice`).
#[utoipa::path(post, path = "/api/v1/team/meetings", tag = "team", request_body = MeetingBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn plan_meeting(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let id = state.store.plan_team_meeting(&user.caller(), &body.input()).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// One meeting with its agenda, minutes, resolutions and attendance (the read is audited).
#[utoipa::path(get, path = "/api/v1/team/meetings/{id}", tag = "team",
    params(("id" = String, Path, description = "The meeting's id")),
    responses((status = 200, body = MeetingDto), (status = 404, body = ApiErrorBody)))]
pub async fn meeting(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<MeetingDto>, ApiError> {
    user.require(Permission::ViewTeam)?;
    let m = state.store.team_meeting(&user.caller(), id).await?;
    Ok(Json(meeting_dto(&m, true)))
}

/// Moves or changes a planned meeting.
#[utoipa::path(put, path = "/api/v1/team/meetings/{id}", tag = "team", request_body = MeetingBody,
    params(("id" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<MeetingBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    state.store.update_team_meeting(&user.caller(), id, &body.input(), body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct NoticeSent {
    /// How many members were told.
    pub notified: usize,
}

/// Sends the meeting's notice to the members (in the app, and by e-mail with an .ics invitation).
#[utoipa::path(post, path = "/api/v1/team/meetings/{id}/notice", tag = "team", request_body = VersionBody,
    params(("id" = String, Path, description = "The meeting's id")),
    responses((status = 200, body = NoticeSent), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn notice(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<Json<NoticeSent>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let notified = state.store.send_team_meeting_notice(&user.caller(), id, body.version).await?;
    Ok(Json(NoticeSent { notified }))
}

#[derive(Deserialize, ToSchema)]
pub struct AttendanceBody {
    pub member_id: String,
    pub present: bool,
    /// YYYY-MM-DD, when the absence was notified to the chair.
    #[serde(default)]
    pub absence_notified_on: String,
    #[serde(default)]
    pub special_circumstances: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct HeldBody {
    /// `YYYY-MM-DDTHH:MM` in Poland.
    pub held_at: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub resolutions: String,
    #[serde(default)]
    pub attendance: Vec<AttendanceBody>,
    pub version: i64,
}

/// Records a planned meeting as held, with minutes, resolutions and attendance.
#[utoipa::path(post, path = "/api/v1/team/meetings/{id}/held", tag = "team", request_body = HeldBody,
    params(("id" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn hold(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<HeldBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let mut attendance = Vec::with_capacity(body.attendance.len());
    for a in &body.attendance {
        let Ok(member_id) = a.member_id.parse() else {
            return Err(StoreError::invalid("attendance", "err-choice-unknown").into());
        };
        attendance.push(AttendanceInput {
            member_id,
            present: a.present,
            absence_notified_on: a.absence_notified_on.clone(),
            special_circumstances: a.special_circumstances,
        });
    }
    state
        .store
        .hold_team_meeting(
            &user.caller(),
            id,
            &body.held_at,
            &body.minutes,
            &body.resolutions,
            &attendance,
            body.version,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Cancels a planned meeting (members who had the notice get the cancellation).
#[utoipa::path(post, path = "/api/v1/team/meetings/{id}/cancel", tag = "team", request_body = VersionBody,
    params(("id" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<VersionBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    state.store.cancel_team_meeting(&user.caller(), id, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct LetterDto {
    pub member_id: String,
    pub full_name: String,
    pub institution_name: Option<String>,
    /// The days of the unexcused absences (3 or more).
    pub absences: Vec<String>,
}

/// The members due a letter to their institution after 3 unexcused absences (art. 9a ust. 7g).
#[utoipa::path(get, path = "/api/v1/team/absence-letters", tag = "team",
    responses((status = 200, body = Vec<LetterDto>), (status = 403, body = ApiErrorBody)))]
pub async fn letters(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<LetterDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let list = state.store.absence_letters(&user.caller()).await?;
    Ok(Json(
        list.into_iter()
            .map(|l| LetterDto {
                member_id: l.member.id.to_string(),
                full_name: l.member.details.full_name,
                institution_name: l.member.institution_name,
                absences: l.absences.iter().map(|d| d.to_string()).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DirectoryEntryDto {
    pub id: String,
    pub institution_id: Option<String>,
    pub name: String,
    /// Keys: psychological, legal, social, medical, shelter, crisis_intervention, helpline,
    /// programme_for_persons_using_violence, addiction, family, police, other.
    pub help_kinds: Vec<String>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub accessibility: Option<String>,
    pub description: Option<String>,
    pub is_public: bool,
    pub last_checked_on: String,
    pub archived: bool,
    pub version: i64,
}

fn entry_dto(e: DirectoryEntry) -> DirectoryEntryDto {
    DirectoryEntryDto {
        id: e.id.to_string(),
        institution_id: e.institution_id.map(|u| u.to_string()),
        name: e.name,
        help_kinds: e.help_kinds.iter().map(|k| k.as_str().to_owned()).collect(),
        address: e.address,
        opening_hours: e.opening_hours,
        phone: e.phone,
        email: e.email,
        website: e.website,
        languages: e.languages,
        accessibility: e.accessibility,
        description: e.description,
        is_public: e.is_public,
        last_checked_on: e.last_checked_on.to_string(),
        archived: e.archived,
        version: e.version,
    }
}

/// An entry as sent: the fields of `DirectoryDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct DirectoryBody {
    #[serde(flatten)]
    pub draft: DirectoryDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl DirectoryBody {
    fn draft(&self) -> &DirectoryDraft {
        &self.draft
    }
}

/// The whole directory of help of the account's municipality (team staff and group members).
#[utoipa::path(get, path = "/api/v1/directory", tag = "directory",
    responses((status = 200, body = Vec<DirectoryEntryDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn directory(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<DirectoryEntryDto>>, ApiError> {
    user.require(Permission::ViewHelpDirectory)?;
    let list = state.store.directory(&user.principal, true).await?;
    Ok(Json(list.into_iter().map(entry_dto).collect()))
}

/// Adds an entry to the directory.
#[utoipa::path(post, path = "/api/v1/directory", tag = "directory", request_body = DirectoryBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<DirectoryBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageDirectory)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.create_directory_entry(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Changes an entry at the version it was read.
#[utoipa::path(put, path = "/api/v1/directory/{id}", tag = "directory", request_body = DirectoryBody,
    params(("id" = String, Path, description = "The entry's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_entry(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<DirectoryBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageDirectory)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_directory_entry(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDto {
    pub id: String,
    /// campaign, workshop, training, conference, supervision, training_needs_diagnosis, other
    pub kind: String,
    pub held_on: String,
    pub title: String,
    pub organiser: Option<String>,
    pub audience: Option<String>,
    pub participants: i64,
    pub materials_handed_out: i64,
    pub notes: Option<String>,
    pub version: i64,
    /// Of the participants: team members and support-group members (RPPPD 4.3.2).
    pub team_members_trained: i64,
    pub group_members_trained: i64,
}

fn activity_dto(a: Activity) -> ActivityDto {
    ActivityDto {
        id: a.id.to_string(),
        kind: a.kind.as_str().into(),
        held_on: a.held_on.to_string(),
        title: a.title,
        organiser: a.organiser,
        audience: a.audience,
        participants: a.participants,
        materials_handed_out: a.materials_handed_out,
        notes: a.notes,
        version: a.version,
        team_members_trained: a.team_members_trained,
        group_members_trained: a.group_members_trained,
    }
}

/// An activity as sent: the day YYYY-MM-DD, the counts as whole numbers.
// Not `ActivityDraft` flattened: the draft holds the counts as the form typed them (text), while the API has always
// taken them as JSON integers, so this body keeps its own fields and converts them in `draft`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ActivityBody {
    pub kind: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub audience: String,
    pub participants: i64,
    pub materials_handed_out: i64,
    pub notes: String,
    /// For a change or a deletion: the version it was read at.
    pub version: i64,
    /// Of the participants: team members and support-group members (RPPPD 4.3.2).
    pub team_members_trained: i64,
    pub group_members_trained: i64,
}

impl ActivityBody {
    fn draft(&self) -> ActivityDraft {
        ActivityDraft {
            kind: self.kind.clone(),
            held_on: self.held_on.clone(),
            title: self.title.clone(),
            organiser: self.organiser.clone(),
            audience: self.audience.clone(),
            participants: self.participants.to_string(),
            materials_handed_out: self.materials_handed_out.to_string(),
            notes: self.notes.clone(),
            team_members_trained: self.team_members_trained.to_string(),
            group_members_trained: self.group_members_trained.to_string(),
        }
    }
}

/// The activities of a year (default: the current one).
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(YearParam),
    responses((status = 200, body = Vec<ActivityDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn activities(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<YearParam>,
) -> Result<Json<Vec<ActivityDto>>, ApiError> {
    user.require(Permission::ManageActivities)?;
    let year = q.year.unwrap_or_else(|| state.store.today().year());
    let list = state.store.activities(&user.principal, year).await?;
    Ok(Json(list.into_iter().map(activity_dto).collect()))
}

/// Adds an activity to the register.
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = ActivityBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_activity(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageActivities)?;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    let id = state.store.create_activity(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Changes an activity at the version it was read.
#[utoipa::path(put, path = "/api/v1/activities/{id}", tag = "activities", request_body = ActivityBody,
    params(("id" = String, Path, description = "The activity's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_activity(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<ActivityBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageActivities)?;
    let input = body.draft().validate().map_err(ApiError::Invalid)?;
    state.store.update_activity(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes an activity entered by mistake.
#[utoipa::path(delete, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = String, Path, description = "The activity's id"), VersionQuery),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
pub async fn delete_activity(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    Query(q): Query<VersionQuery>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageActivities)?;
    state.store.delete_activity(&user.caller(), id, q.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct VersionQuery {
    /// The version the activity was read at.
    pub version: i64,
}
