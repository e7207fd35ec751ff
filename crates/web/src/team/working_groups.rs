//! `/team/working-groups`: the team's thematic working groups (issue 18 item 7), apart from the support groups of
//! cases. The team's staff set them up; a group's chair changes it; its members record its tasks and meetings. The
//! store answers "not found" to anyone else, so these handlers only ask for a team account (`ViewTeamDirectory`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::WorkingTaskStatus;
use store::StoreError;
use store::team::{GroupDetail, GroupMeetingDraft, GroupTaskDraft, WorkingGroup, WorkingGroupDraft};
use uuid::Uuid;

use super::{day, kept, version_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

fn values(body: &[(String, String)], key: &str) -> Vec<String> {
    body.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

fn group_draft(body: &[(String, String)]) -> WorkingGroupDraft {
    let f = |k: &str| field(body, k).to_owned();
    WorkingGroupDraft {
        name: f("name"),
        purpose: f("purpose"),
        established_on: f("established_on"),
        closed_on: f("closed_on"),
        chair_member_id: f("chair_member_id"),
        member_ids: values(body, "member_ids"),
    }
}

fn group_form(d: &WorkingGroupDraft) -> FormState {
    FormState::new()
        .with("name", &d.name)
        .with("purpose", &d.purpose)
        .with("established_on", &d.established_on)
        .with("closed_on", &d.closed_on)
        .with("chair_member_id", &d.chair_member_id)
        .with("member_ids", &d.member_ids.join(","))
}

pub struct GroupRow {
    pub group: WorkingGroup,
    pub established: String,
    pub closed: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/working_groups.html")]
pub struct ListPage {
    chrome: Chrome,
    rows: Vec<GroupRow>,
    /// The staff may set a group up: then the team's members to choose from.
    manage: bool,
    choices: Vec<(String, String)>,
    form: FormState,
}

async fn list_page(state: &AppState, user: &User, form: FormState) -> Result<ListPage, PageError> {
    let chrome = Chrome::for_user(user, "working-groups-title");
    let manage = user.can(Permission::ManageTeam);
    let rows = state
        .store
        .working_groups(&user.principal)
        .await?
        .into_iter()
        .map(|group| GroupRow { established: day(group.established_on), closed: group.closed_on.map(day), group })
        .collect();
    let choices = if manage {
        let members = state.store.working_group_member_choices(&user.caller(), None).await?;
        members.into_iter().map(|(id, name)| (id.to_string(), name)).collect()
    } else {
        Vec::new()
    };
    Ok(ListPage { chrome, rows, manage, choices, form })
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    Ok(list_page(&state, &user, FormState::new()).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    let draft = group_draft(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.create_working_group(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/team/working-groups/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = group_form(&draft).with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, list_page(&state, &user, form).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct TaskRow {
    pub id: Uuid,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub status_label: String,
    pub version: i64,
    pub owner_id: String,
    pub due_on: String,
}

pub struct MeetingRow {
    pub held: String,
    pub agenda: String,
    pub minutes: String,
    pub attended: String,
}

/// Which of the page's forms a re-rendered error belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    None,
    Group,
    Task,
    Meeting,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/working_group.html")]
pub struct GroupPage {
    chrome: Chrome,
    detail: GroupDetail,
    established: String,
    closed: Option<String>,
    chair: Option<String>,
    tasks: Vec<TaskRow>,
    meetings: Vec<MeetingRow>,
    statuses: Vec<(&'static str, String)>,
    /// Every current team member, to choose the group's members from (for the staff and the chair).
    choices: Vec<(String, String)>,
    group_form: FormState,
    task_form: FormState,
    meeting_form: FormState,
    failed: Failed,
}

impl GroupPage {
    fn manages(&self) -> bool {
        self.detail.group.role.manages()
    }
}

fn status_label(chrome: &Chrome, s: WorkingTaskStatus) -> String {
    chrome.t.get(&format!("working-task-status-{}", s.as_str().replace('_', "-")))
}

async fn group_page(
    state: &AppState,
    user: &User,
    id: Uuid,
    forms: (FormState, FormState, FormState),
    failed: Failed,
) -> Result<GroupPage, PageError> {
    let detail = state.store.working_group(&user.caller(), id).await?;
    let chrome = Chrome::for_user(user, "working-group-title");
    let name_of = |member: Option<Uuid>| {
        member.and_then(|m| detail.members.iter().find(|(id, _)| *id == m).map(|(_, n)| n.clone()))
    };
    let tasks = detail
        .tasks
        .iter()
        .map(|t| TaskRow {
            id: t.id,
            title: t.title.clone(),
            owner: name_of(t.owner_member_id).unwrap_or_else(|| "—".to_owned()),
            due: t.due_on.map(day).unwrap_or_else(|| "—".to_owned()),
            status: t.status.as_str(),
            status_label: status_label(&chrome, t.status),
            version: t.version,
            owner_id: t.owner_member_id.map(|u| u.to_string()).unwrap_or_default(),
            due_on: t.due_on.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let meetings = detail
        .meetings
        .iter()
        .map(|m| MeetingRow {
            held: day(m.held_on),
            agenda: m.body.agenda.clone(),
            minutes: m.body.minutes.clone(),
            attended: {
                let names: Vec<String> = m.attended.iter().filter_map(|a| name_of(Some(*a))).collect();
                if names.is_empty() { "—".to_owned() } else { names.join(", ") }
            },
        })
        .collect();
    let statuses = WorkingTaskStatus::ALL.iter().map(|s| (s.as_str(), status_label(&chrome, *s))).collect();
    let choices = if detail.group.role.manages() {
        let members = state.store.working_group_member_choices(&user.caller(), Some(id)).await?;
        members.into_iter().map(|(id, name)| (id.to_string(), name)).collect()
    } else {
        Vec::new()
    };
    let (group_form, task_form, meeting_form) = forms;
    // A fresh page fills the group's form with the group as it stands.
    let group_form = if failed == Failed::Group { group_form } else { self::group_form(&detail.group.to_draft()) };
    Ok(GroupPage {
        established: day(detail.group.established_on),
        closed: detail.group.closed_on.map(day),
        chair: name_of(detail.group.chair_member_id),
        chrome,
        tasks,
        meetings,
        statuses,
        choices,
        group_form,
        task_form,
        meeting_form,
        failed,
        detail,
    })
}

fn fresh() -> (FormState, FormState, FormState) {
    (FormState::new(), FormState::new().with("status", "open"), FormState::new())
}

pub async fn show(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    Ok(group_page(&state, &user, id, fresh(), Failed::None).await?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    let t = user.ctx.t();
    let draft = group_draft(&body);
    let version = version_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.update_working_group(&user.caller(), id, &input, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let (_, task, meeting) = fresh();
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/team/working-groups/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = group_form(&draft).with_errors(&errors, &t);
            let page = group_page(&state, &user, id, (form, task, meeting), Failed::Group).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let form = group_form(&draft).error("form", t.get("record-conflict"));
            let page = group_page(&state, &user, id, (form, task, meeting), Failed::Group).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn task_draft(body: &[(String, String)]) -> GroupTaskDraft {
    let f = |k: &str| field(body, k).to_owned();
    GroupTaskDraft {
        title: f("title"),
        owner_member_id: f("owner_member_id"),
        due_on: f("due_on"),
        status: f("status"),
    }
}

pub async fn add_task(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    let t = user.ctx.t();
    let result = match task_draft(&body).validate() {
        Ok(input) => state.store.add_group_task(&user.caller(), id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved(&format!("/team/working-groups/{id}#tasks"))),
        Err(StoreError::Invalid(errors)) => {
            let (group, _, meeting) = fresh();
            let page =
                group_page(&state, &user, id, (group, kept(&body, Some(&errors), &t), meeting), Failed::Task).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A task's row form: its status (and the rest as it was read), at its version.
pub async fn update_task(
    State(state): State<AppState>,
    user: User,
    Ids((id, task)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    let t = user.ctx.t();
    let version = version_of(&body);
    let result = match task_draft(&body).validate() {
        Ok(input) => state.store.update_group_task(&user.caller(), id, task, &input, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/team/working-groups/{id}#tasks"))),
        Err(StoreError::Invalid(errors)) => {
            let (group, _, meeting) = fresh();
            let page =
                group_page(&state, &user, id, (group, kept(&body, Some(&errors), &t), meeting), Failed::Task).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let (group, _, meeting) = fresh();
            let form = FormState::new().with("status", "open").error("form", t.get("record-conflict"));
            let page = group_page(&state, &user, id, (group, form, meeting), Failed::Task).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn record_meeting(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewTeamDirectory)?;
    let t = user.ctx.t();
    let f = |k: &str| field(&body, k).to_owned();
    let draft = GroupMeetingDraft {
        held_on: f("held_on"),
        agenda: f("agenda"),
        minutes: f("minutes"),
        attended: values(&body, "attended"),
    };
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.record_group_meeting(&user.caller(), id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved(&format!("/team/working-groups/{id}#meetings"))),
        Err(StoreError::Invalid(errors)) => {
            let (group, task, _) = fresh();
            let page =
                group_page(&state, &user, id, (group, task, kept(&body, Some(&errors), &t)), Failed::Meeting).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
