//! `/team/meetings`: the team's meetings by year, planning one, its page (notice, holding it with attendance,
//! minutes and resolutions, cancelling), and `/team/letters`, the letters after 3 unexcused absences.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::{MeetingMode, MeetingStatus, notice_late};
use serde::Deserialize;
use store::StoreError;
use store::team::{AbsenceLetter, AttendanceInput, MeetingInput, TeamMeeting, TeamMember};

use super::{day, kept, local_input, version_of, when, year_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field, repeated};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

pub struct MeetingRow {
    pub id: uuid::Uuid,
    pub when: String,
    pub mode: String,
    pub status: String,
    pub notice: String,
    pub notice_late: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/meetings.html")]
pub struct MeetingsPage {
    chrome: Chrome,
    manage: bool,
    year: i16,
    year_error: Option<String>,
    held: usize,
    rows: Vec<MeetingRow>,
    modes: Vec<(&'static str, String)>,
    form: FormState,
}

fn modes(chrome: &Chrome) -> Vec<(&'static str, String)> {
    MeetingMode::ALL
        .iter()
        .map(|m| (m.as_str(), chrome.t.get(&format!("team-mode-{}", m.as_str().replace('_', "-")))))
        .collect()
}

fn status_label(chrome: &Chrome, s: MeetingStatus) -> String {
    chrome.t.get(&format!("team-status-{}", s.as_str()))
}

async fn meetings_page(
    state: &AppState,
    user: &User,
    year: Option<&str>,
    form: FormState,
) -> Result<MeetingsPage, PageError> {
    let chrome = Chrome::for_user(user, "team-meetings-title");
    let this_year = state.store.today().year();
    let (year, year_error) = year_of(year, this_year, &chrome.t);
    let list = state.store.team_meetings(&user.principal, Some(year)).await?;
    let today = state.store.today();
    let held = list.iter().filter(|m| m.status == MeetingStatus::Held).count();
    let rows = list
        .iter()
        .map(|m| MeetingRow {
            id: m.id,
            when: when(m.held_at.unwrap_or(m.scheduled_at)),
            mode: chrome.t.get(&format!("team-mode-{}", m.mode.as_str().replace('_', "-"))),
            status: status_label(&chrome, m.status),
            notice: m.notice_sent_at.map(when).unwrap_or_else(|| "—".to_owned()),
            notice_late: m.status == MeetingStatus::Planned
                && notice_late(m.day(), m.notice_sent_at.map(|_| m.day()), today),
        })
        .collect();
    Ok(MeetingsPage {
        manage: user.can(Permission::ManageTeam),
        modes: modes(&chrome),
        chrome,
        year,
        year_error,
        held,
        rows,
        form,
    })
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewTeam)?;
    let form = FormState::new().with("mode", "in_person");
    Ok(meetings_page(&state, &user, q.year.as_deref(), form).await?.into_response())
}

fn input_of(body: &[(String, String)]) -> MeetingInput {
    MeetingInput {
        scheduled_at: field(body, "scheduled_at").to_owned(),
        mode: field(body, "mode").to_owned(),
        place: field(body, "place").to_owned(),
        video_link: field(body, "video_link").to_owned(),
        agenda: field(body, "agenda").to_owned(),
    }
}

pub async fn plan(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    match state.store.plan_team_meeting(&user.caller(), &input_of(&body)).await {
        Ok(id) => Ok(crate::flash::saved(&format!("/team/meetings/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = kept(&body, Some(&errors), &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, meetings_page(&state, &user, None, form).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct AttendanceLine {
    pub name: String,
    pub status: String,
    pub notified: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/meeting.html")]
pub struct MeetingPage {
    chrome: Chrome,
    manage: bool,
    meeting: TeamMeeting,
    when: String,
    mode: String,
    status: String,
    notice: Option<String>,
    notice_late: bool,
    planned: bool,
    attendance: Vec<AttendanceLine>,
    members: Vec<TeamMember>,
    modes: Vec<(&'static str, String)>,
    form: FormState,
}

async fn meeting_page(
    state: &AppState,
    user: &User,
    id: uuid::Uuid,
    form: Option<FormState>,
    notice: Option<String>,
) -> Result<MeetingPage, PageError> {
    let chrome = Chrome::for_user(user, "team-meeting-title").with_notice(notice);
    let meeting = state.store.team_meeting(&user.caller(), id).await?;
    let manage = user.can(Permission::ManageTeam);
    let members = if manage && meeting.status == MeetingStatus::Planned {
        state.store.team_members(&user.caller()).await?.into_iter().filter(|m| m.left_on.is_none()).collect()
    } else {
        Vec::new()
    };
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .with("scheduled_at", &local_input(meeting.scheduled_at))
            .with("mode", meeting.mode.as_str())
            .with("place", &meeting.body.place)
            .with("video_link", &meeting.body.video_link)
            .with("agenda", &meeting.body.agenda)
            .with("held_at", &local_input(meeting.scheduled_at))
    });
    let attendance = meeting
        .attendance
        .iter()
        .map(|a| AttendanceLine {
            name: a.full_name.clone(),
            status: chrome.t.get(&format!("team-attendance-{}", a.status.as_str())),
            notified: a.absence_notified_on.map(day).unwrap_or_default(),
        })
        .collect();
    let today = state.store.today();
    Ok(MeetingPage {
        manage,
        when: when(meeting.held_at.unwrap_or(meeting.scheduled_at)),
        mode: chrome.t.get(&format!("team-mode-{}", meeting.mode.as_str().replace('_', "-"))),
        status: status_label(&chrome, meeting.status),
        notice: meeting.notice_sent_at.map(when),
        notice_late: meeting.status == MeetingStatus::Planned
            && notice_late(meeting.day(), meeting.notice_sent_at.map(|_| meeting.day()), today),
        planned: meeting.status == MeetingStatus::Planned,
        attendance,
        members,
        modes: modes(&chrome),
        chrome,
        meeting,
        form,
    })
}

pub async fn show(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewTeam)?;
    Ok(meeting_page(&state, &user, id, None, None).await?.into_response())
}

/// A store answer on the meeting page: success goes back to it with a notice, field errors re-render it with the
/// typed values, a conflict says so.
async fn after(
    state: &AppState,
    user: &User,
    id: uuid::Uuid,
    body: &[(String, String)],
    result: Result<(), StoreError>,
    done: &str,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(meeting_page(state, user, id, None, Some(t.get(done))).await?.into_response()),
        Err(StoreError::Invalid(errors)) => {
            let form = kept(body, Some(&errors), &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, meeting_page(state, user, id, Some(form), None).await?)
                .into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let page = meeting_page(state, user, id, None, Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let result = state.store.update_team_meeting(&user.caller(), id, &input_of(&body), version_of(&body)).await;
    after(&state, &user, id, &body, result, "team-meeting-saved").await
}

pub async fn notice(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let result = state.store.send_team_meeting_notice(&user.caller(), id, version_of(&body)).await.map(|_| ());
    after(&state, &user, id, &body, result, "team-notice-sent").await
}

pub async fn hold(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let present = repeated(&body, "present");
    let special = repeated(&body, "special");
    let mut attendance = Vec::new();
    for member in repeated(&body, "member") {
        let Ok(member_id) = member.parse() else { return Err(crate::error::ErrorPage::BadRequest.into()) };
        attendance.push(AttendanceInput {
            member_id,
            present: present.contains(&member),
            absence_notified_on: field(&body, &format!("notified_{member}")).to_owned(),
            special_circumstances: special.contains(&member),
        });
    }
    let result = state
        .store
        .hold_team_meeting(
            &user.caller(),
            id,
            field(&body, "held_at"),
            field(&body, "minutes"),
            field(&body, "resolutions"),
            &attendance,
            version_of(&body),
        )
        .await;
    after(&state, &user, id, &body, result, "team-meeting-held").await
}

pub async fn cancel(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let result = state.store.cancel_team_meeting(&user.caller(), id, version_of(&body)).await;
    after(&state, &user, id, &body, result, "team-meeting-cancelled").await
}

pub struct LetterView {
    pub institution: String,
    pub name: String,
    pub function: String,
    pub dates: String,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/letters.html")]
pub struct LettersPage {
    chrome: Chrome,
    letters: Vec<LetterView>,
    today: String,
    municipality: String,
}

pub async fn letters(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let chrome = Chrome::for_user(&user, "team-letters-title");
    let list: Vec<AbsenceLetter> = state.store.absence_letters(&user.caller()).await?;
    let letters = list
        .iter()
        .map(|l| LetterView {
            institution: l
                .member
                .institution_name
                .clone()
                .unwrap_or_else(|| chrome.t.get("team-letter-institution-unknown")),
            name: l.member.details.full_name.clone(),
            function: chrome.t.get(&format!("team-function-{}", l.member.function.as_str().replace('_', "-"))),
            dates: l.absences.iter().map(|d| day(*d)).collect::<Vec<_>>().join(", "),
            count: l.absences.len(),
        })
        .collect();
    Ok(LettersPage {
        today: day(state.store.today()),
        municipality: user.principal.tenant_name.clone().unwrap_or_default(),
        chrome,
        letters,
    }
    .into_response())
}

/// The minutes of a held team meeting as PDF, every page marked with who printed it; recorded in the audit trail
/// (the store's read of the meeting is audited too). A meeting not yet held has no minutes: not found.
pub async fn minutes_pdf(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewTeam)?;
    let meeting = state.store.team_meeting(&user.caller(), id).await?;
    if meeting.status != MeetingStatus::Held {
        return Err(crate::error::ErrorPage::NotFound.into());
    }
    let t = user.ctx.t();
    let zone = domain::calendar::poland_zone();
    let held_at = meeting.held_at.unwrap_or(meeting.scheduled_at).to_zoned(zone);
    let mode = t.get(&format!("team-mode-{}", meeting.mode.as_str().replace('_', "-")));
    let place = match meeting.mode {
        MeetingMode::InPerson => meeting.body.place.clone(),
        MeetingMode::Remote => meeting.body.video_link.clone(),
    };
    let minutes = documents::TeamMinutes {
        held: held_at.strftime("%d.%m.%Y %H:%M").to_string(),
        mode: if place.trim().is_empty() { mode } else { format!("{mode}, {place}") },
        attendance: meeting
            .attendance
            .iter()
            .map(|a| (a.full_name.clone(), t.get(&format!("team-attendance-{}", a.status.as_str()))))
            .collect(),
        agenda: meeting.body.agenda.clone(),
        minutes: meeting.body.minutes.clone(),
        resolutions: meeting.body.resolutions.clone(),
    };
    let ctx = crate::procedure::documents::context(&state, &user);
    let pdf = tokio::task::spawn_blocking(move || documents::team_minutes_pdf(&minutes, &ctx))
        .await
        .map_err(|e| store::StoreError::Internal(e.to_string()))?
        .map_err(|e| store::StoreError::Internal(e.to_string()))?;
    let audit = store::AuditRecord::new(domain::audit::AuditAction::ReadPersonalData, "team_meeting_document", id)
        .in_tenant(user.principal.tenant_id)
        .detail("pdf team minutes");
    state.store.record_event(&user.actor(), audit).await?;
    let name = format!("protokol-posiedzenia-zespolu-{}.pdf", held_at.strftime("%Y-%m-%d"));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "application/pdf".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (axum::http::header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}
