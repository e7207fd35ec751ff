//! `/region/…`: the regional cooperation platform (issue 17 item 7; seed 004). The voivodeship's coordinator keeps it
//! (the group, its meetings, the library of good practice, the answers to difficulties, the announcements); the
//! counties' coordinators read the group, the meetings and what the library shows them; a municipality's team staff
//! and a county's coordinator raise difficulties and read the region's answers; an invited expert sees the platform
//! and nothing else. What each may read is the store's decision (`store::platform`); these handlers check the coarse
//! permission first and word the answers. No case data anywhere: the forms say so.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::FieldErrors;
use domain::identity::Permission;
use serde::Deserialize;
use store::StoreError;
use store::platform::{
    Announcement, AnnouncementDraft, AnswerDraft, Audience, Difficulty, DifficultyDraft, DifficultyStatus, GroupLevel,
    GroupMember, GroupMemberDraft, MeetingDraft, MeetingMode, PlatformSeat, Practice, PracticeDraft, RegionMeeting,
};
use uuid::Uuid;

use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field, repeated};
use crate::session::User;
use crate::state::AppState;
use crate::team::{day, version_of};

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/region", get(overview))
        .route("/region/announcements", post(publish_announcement))
        .route("/region/announcements/{id}/dismiss", post(dismiss_announcement))
        .route("/region/group", get(group).post(add_member))
        .route("/region/group/{id}", get(member).post(update_member))
        .route("/region/meetings", get(meetings).post(plan_meeting))
        .route("/region/meetings/{id}", get(meeting).post(record_minutes))
        .route("/region/library", get(library).post(add_practice))
        .route("/region/difficulties", get(difficulties).post(raise_difficulty))
        .route("/region/difficulties/{id}", get(difficulty).post(answer_difficulty))
}

type Body = Vec<(String, String)>;

/// The platform's sections, for the local navigation of every page.
fn sections(chrome: &Chrome, seat: &PlatformSeat) -> Vec<(&'static str, String)> {
    let mut out = vec![("/region", chrome.t.get("region-nav-overview"))];
    if seat.sees_group() {
        out.push(("/region/group", chrome.t.get("region-nav-group")));
        out.push(("/region/meetings", chrome.t.get("region-nav-meetings")));
    }
    out.push(("/region/library", chrome.t.get("region-nav-library")));
    out.push(("/region/difficulties", chrome.t.get("region-nav-difficulties")));
    out
}

fn chrome_for(user: &User, seat: &PlatformSeat, title_id: &str) -> Chrome {
    let mut chrome = Chrome::for_user(user, title_id);
    chrome.title = format!("{} — {}", chrome.title, seat.region_name);
    chrome
}

/// A refused form: 422 with the page, the typed values kept and each message beside its field.
fn refused(page: impl IntoResponse) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

fn form_with(body: &Body, fields: &[&str]) -> FormState {
    fields.iter().fold(FormState::new(), |f, k| f.with(k, field(body, k)))
}

// --- Overview and announcements ---

#[derive(Template, WebTemplate)]
#[template(path = "region/overview.html")]
pub struct OverviewPage {
    chrome: Chrome,
    /// None: the account's voivodeship has no platform on this installation.
    seat: Option<PlatformSeat>,
    nav: Vec<(&'static str, String)>,
    announcements: Vec<(Announcement, String)>,
    form: FormState,
}

async fn overview_page(state: &AppState, user: &User, form: FormState) -> Result<OverviewPage, PageError> {
    let seat = match state.store.platform_seat(&user.principal).await {
        Ok(seat) => Some(seat),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let Some(seat) = seat else {
        let chrome = Chrome::for_user(user, "region-title");
        return Ok(OverviewPage { chrome, seat: None, nav: Vec::new(), announcements: Vec::new(), form });
    };
    let chrome = chrome_for(user, &seat, "region-title");
    let announcements = state
        .store
        .announcements(&user.principal)
        .await?
        .into_iter()
        .map(|a| {
            let when =
                chrome.t.arg2("region-announcement-period", "from", &day(a.shown_from), "until", &day(a.expires_on));
            (a, when)
        })
        .collect();
    Ok(OverviewPage { nav: sections(&chrome, &seat), chrome, seat: Some(seat), announcements, form })
}

pub async fn overview(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    let today = state.store.today().to_string();
    let form = FormState::new().with("shown_from", &today);
    Ok(overview_page(&state, &user, form).await?.into_response())
}

pub async fn publish_announcement(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let draft = AnnouncementDraft {
        text: field(&body, "text").to_owned(),
        shown_from: field(&body, "shown_from").to_owned(),
        expires_on: field(&body, "expires_on").to_owned(),
    };
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.publish_announcement(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved("/region")),
        Err(StoreError::Invalid(errors)) => {
            let form = form_with(&body, &["text", "shown_from", "expires_on"]).with_errors(&errors, &user.ctx.t());
            Ok(refused(overview_page(&state, &user, form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Hides an announcement from this account's home page (any account that has a home page).
pub async fn dismiss_announcement(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(_body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewDashboard)?;
    state.store.dismiss_announcement(&user.caller(), id).await?;
    Ok(axum::response::Redirect::to("/").into_response())
}

// --- The group ---

#[derive(Template, WebTemplate)]
#[template(path = "region/group.html")]
pub struct GroupPage {
    chrome: Chrome,
    seat: PlatformSeat,
    nav: Vec<(&'static str, String)>,
    members: Vec<MemberRow>,
    levels: Vec<(&'static str, String)>,
    /// The region's invited experts' accounts a group entry may be linked to (the coordinator's form only).
    experts: Vec<(Uuid, String)>,
    form: FormState,
}

pub struct MemberRow {
    pub m: GroupMember,
    pub level: String,
    pub period: String,
}

fn level_label(chrome: &Chrome, level: GroupLevel) -> String {
    chrome.t.get(&format!("region-level-{}", level.as_str()))
}

async fn group_page(state: &AppState, user: &User, form: FormState) -> Result<GroupPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let members = state.store.region_group(&user.caller()).await?;
    let chrome = chrome_for(user, &seat, "region-group-title");
    let members = members
        .into_iter()
        .map(|m| MemberRow {
            level: level_label(&chrome, m.level),
            period: match m.left_on {
                Some(left) => format!("{} – {}", day(m.joined_on), day(left)),
                None => chrome.t.arg("region-member-since", "date", &day(m.joined_on)),
            },
            m,
        })
        .collect();
    let levels = GroupLevel::ALL.iter().map(|l| (l.as_str(), level_label(&chrome, *l))).collect();
    let experts = expert_accounts(state, user, &seat).await?;
    Ok(GroupPage { nav: sections(&chrome, &seat), chrome, seat, members, levels, experts, form })
}

async fn expert_accounts(state: &AppState, user: &User, seat: &PlatformSeat) -> Result<Vec<(Uuid, String)>, PageError> {
    Ok(if seat.manages { state.store.region_expert_accounts(&user.principal).await? } else { Vec::new() })
}

fn member_draft(body: &Body) -> GroupMemberDraft {
    let f = |k: &str| field(body, k).to_owned();
    GroupMemberDraft {
        full_name: f("full_name"),
        function: f("function"),
        email: f("email"),
        level: f("level"),
        institution: f("institution"),
        joined_on: f("joined_on"),
        left_on: f("left_on"),
        account: f("account"),
    }
}

pub async fn group(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    let form = FormState::new().with("level", "county");
    Ok(group_page(&state, &user, form).await?.into_response())
}

const MEMBER_FIELDS: [&str; 8] =
    ["full_name", "function", "email", "level", "institution", "joined_on", "left_on", "account"];

pub async fn add_member(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let result = match member_draft(&body).validate(state.store.today()) {
        Ok(input) => state.store.add_group_member(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved("/region/group")),
        Err(StoreError::Invalid(errors)) => {
            let form = form_with(&body, &MEMBER_FIELDS).with_errors(&errors, &user.ctx.t());
            Ok(refused(group_page(&state, &user, form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// One member's entry, to change it: a member who leaves gets the day they left, and an invited expert's account
/// loses the platform with it.
#[derive(Template, WebTemplate)]
#[template(path = "region/member.html")]
pub struct MemberPage {
    chrome: Chrome,
    nav: Vec<(&'static str, String)>,
    id: Uuid,
    version: i64,
    levels: Vec<(&'static str, String)>,
    experts: Vec<(Uuid, String)>,
    form: FormState,
}

async fn member_page(
    state: &AppState,
    user: &User,
    id: Uuid,
    form: Option<FormState>,
) -> Result<MemberPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    if !seat.manages {
        return Err(crate::error::ErrorPage::NotFound.into());
    }
    let members = state.store.region_group(&user.caller()).await?;
    let m = members.into_iter().find(|m| m.id == id).ok_or(crate::error::ErrorPage::NotFound)?;
    let mut chrome = chrome_for(user, &seat, "region-member-edit");
    chrome.title = format!("{} — {}", chrome.t.get("region-member-edit"), m.details.full_name);
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .with("full_name", &m.details.full_name)
            .with("function", m.details.function.as_deref().unwrap_or(""))
            .with("email", m.details.email.as_deref().unwrap_or(""))
            .with("level", m.level.as_str())
            .with("institution", &m.institution)
            .with("joined_on", &m.joined_on.to_string())
            .with("left_on", &m.left_on.map(|d| d.to_string()).unwrap_or_default())
            .with("account", &m.account_id.map(|a| a.to_string()).unwrap_or_default())
    });
    let levels = GroupLevel::ALL.iter().map(|l| (l.as_str(), level_label(&chrome, *l))).collect();
    let experts = expert_accounts(state, user, &seat).await?;
    Ok(MemberPage { nav: sections(&chrome, &seat), chrome, id, version: m.version, levels, experts, form })
}

pub async fn member(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    Ok(member_page(&state, &user, id, None).await?.into_response())
}

pub async fn update_member(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let result = match member_draft(&body).validate(state.store.today()) {
        Ok(input) => state.store.update_group_member(&user.caller(), id, &input, version_of(&body)).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    let typed = || form_with(&body, &MEMBER_FIELDS);
    match result {
        Ok(()) => Ok(crate::flash::saved("/region/group")),
        Err(StoreError::Invalid(errors)) => {
            let form = typed().with_errors(&errors, &t);
            Ok(refused(member_page(&state, &user, id, Some(form)).await?))
        }
        Err(StoreError::Conflict(_)) => {
            let form = typed().error("full_name", t.get("record-conflict"));
            Ok((StatusCode::CONFLICT, member_page(&state, &user, id, Some(form)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// --- Meetings ---

#[derive(Template, WebTemplate)]
#[template(path = "region/meetings.html")]
pub struct MeetingsPage {
    chrome: Chrome,
    seat: PlatformSeat,
    nav: Vec<(&'static str, String)>,
    meetings: Vec<MeetingRow>,
    form: FormState,
}

pub struct MeetingRow {
    pub m: RegionMeeting,
    pub date: String,
    pub mode: String,
    pub state: String,
}

fn meeting_row(chrome: &Chrome, today: jiff::civil::Date, m: RegionMeeting) -> MeetingRow {
    MeetingRow {
        date: day(m.held_on),
        mode: chrome.t.get(match m.mode {
            MeetingMode::InPerson => "region-mode-in-person",
            MeetingMode::Remote => "region-mode-remote",
        }),
        state: chrome.t.get(if m.texts.minutes.is_some() {
            "region-meeting-minuted"
        } else if m.held_on > today {
            "region-meeting-planned"
        } else {
            "region-meeting-no-minutes"
        }),
        m,
    }
}

async fn meetings_page(state: &AppState, user: &User, form: FormState) -> Result<MeetingsPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let list = state.store.region_meetings(&user.caller()).await?;
    let chrome = chrome_for(user, &seat, "region-meetings-title");
    let today = state.store.today();
    let meetings = list.into_iter().map(|m| meeting_row(&chrome, today, m)).collect();
    Ok(MeetingsPage { nav: sections(&chrome, &seat), chrome, seat, meetings, form })
}

pub async fn meetings(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    let form = FormState::new().with("mode", "in_person");
    Ok(meetings_page(&state, &user, form).await?.into_response())
}

const MEETING_FIELDS: [&str; 6] = ["topic", "held_on", "mode", "agenda", "place", "remote_link"];

pub async fn plan_meeting(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let f = |k: &str| field(&body, k).to_owned();
    let draft = MeetingDraft {
        topic: f("topic"),
        held_on: f("held_on"),
        mode: f("mode"),
        agenda: f("agenda"),
        place: f("place"),
        remote_link: f("remote_link"),
    };
    let result = match draft.validate() {
        Ok(input) => state.store.plan_region_meeting(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/region/meetings/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_with(&body, &MEETING_FIELDS).with_errors(&errors, &user.ctx.t());
            Ok(refused(meetings_page(&state, &user, form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "region/meeting.html")]
pub struct MeetingPage {
    chrome: Chrome,
    nav: Vec<(&'static str, String)>,
    row: MeetingRow,
    /// The group's members: (id, name and institution, present).
    members: Vec<(Uuid, String, bool)>,
    /// The minutes can be recorded (the day has come).
    may_record: bool,
    form: FormState,
}

async fn meeting_page(state: &AppState, user: &User, id: Uuid, form: FormState) -> Result<MeetingPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let m = state.store.region_meeting(&user.caller(), id).await?;
    let group = state.store.region_group(&user.caller()).await?;
    let chrome = chrome_for(user, &seat, "region-meeting-title");
    let today = state.store.today();
    let members = group
        .into_iter()
        .filter(|g| m.attended.contains(&g.id) || g.left_on.is_none_or(|left| left >= m.held_on))
        .map(|g| {
            let present = if form.has_errors() {
                form.checked("attended", &g.id.to_string())
            } else {
                m.attended.contains(&g.id)
            };
            (g.id, format!("{} ({})", g.details.full_name, g.institution), present)
        })
        .collect();
    let may_record = seat.manages && m.held_on <= today;
    let form = if form.has_errors() { form } else { form.with("minutes", m.texts.minutes.as_deref().unwrap_or("")) };
    let row = meeting_row(&chrome, today, m);
    Ok(MeetingPage { nav: sections(&chrome, &seat), chrome, row, members, may_record, form })
}

pub async fn meeting(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    Ok(meeting_page(&state, &user, id, FormState::new()).await?.into_response())
}

pub async fn record_minutes(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    // A checkbox that is not a member's id names nothing: refused beside the list, like any unknown choice.
    let ticked = repeated(&body, "attended");
    let attended: Vec<Uuid> = ticked.iter().filter_map(|a| a.parse().ok()).collect();
    let result = if attended.len() == ticked.len() {
        state
            .store
            .record_region_minutes(&user.caller(), id, field(&body, "minutes"), &attended, version_of(&body))
            .await
    } else {
        let mut e = FieldErrors::new();
        e.add("attended", "err-choice-unknown");
        Err(StoreError::Invalid(e))
    };
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/region/meetings/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = FormState::new()
                .with("minutes", field(&body, "minutes"))
                .with("attended", &ticked.join(","))
                .with_errors(&errors, &t);
            Ok(refused(meeting_page(&state, &user, id, form).await?))
        }
        Err(StoreError::Conflict(_)) => {
            let form = FormState::new()
                .with("minutes", field(&body, "minutes"))
                .with("attended", &ticked.join(","))
                .error("minutes", t.get("record-conflict"));
            Ok((StatusCode::CONFLICT, meeting_page(&state, &user, id, form).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// --- The library ---

#[derive(Template, WebTemplate)]
#[template(path = "region/library.html")]
pub struct LibraryPage {
    chrome: Chrome,
    seat: PlatformSeat,
    nav: Vec<(&'static str, String)>,
    practices: Vec<(Practice, String)>,
    tag: String,
    audiences: Vec<(&'static str, String)>,
    form: FormState,
}

#[derive(Deserialize)]
pub struct LibraryQuery {
    pub tag: Option<String>,
}

fn audience_label(chrome: &Chrome, a: Audience) -> String {
    chrome.t.get(&format!("region-audience-{}", a.as_str()))
}

async fn library_page(state: &AppState, user: &User, tag: &str, form: FormState) -> Result<LibraryPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let list = state.store.practices(&user.principal, Some(tag)).await?;
    let chrome = chrome_for(user, &seat, "region-library-title");
    let practices = list
        .into_iter()
        .map(|p| {
            let label = audience_label(&chrome, p.audience);
            (p, label)
        })
        .collect();
    let audiences = Audience::ALL.iter().map(|a| (a.as_str(), audience_label(&chrome, *a))).collect();
    Ok(LibraryPage {
        nav: sections(&chrome, &seat),
        chrome,
        seat,
        practices,
        tag: tag.trim().to_owned(),
        audiences,
        form,
    })
}

pub async fn library(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<LibraryQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    let form = FormState::new().with("audience", "all").with("year", &state.store.today().year().to_string());
    Ok(library_page(&state, &user, q.tag.as_deref().unwrap_or(""), form).await?.into_response())
}

const PRACTICE_FIELDS: [&str; 7] = ["title", "summary", "link", "tags", "municipality", "year", "audience"];

pub async fn add_practice(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let seat = state.store.platform_seat(&user.principal).await?;
    let f = |k: &str| field(&body, k).to_owned();
    let draft = PracticeDraft {
        title: f("title"),
        summary: f("summary"),
        link: f("link"),
        tags: f("tags"),
        municipality: f("municipality"),
        year: f("year"),
        audience: f("audience"),
    };
    let result = match draft.validate(state.store.today(), &seat.region_code) {
        Ok(input) => state.store.add_practice(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved("/region/library")),
        Err(StoreError::Invalid(errors)) => {
            let form = form_with(&body, &PRACTICE_FIELDS).with_errors(&errors, &user.ctx.t());
            Ok(refused(library_page(&state, &user, "", form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

// --- Difficulties ---

pub struct DifficultyRow {
    pub d: Difficulty,
    pub raised: String,
    pub status: String,
    pub solution_on: String,
}

fn difficulty_row(chrome: &Chrome, d: Difficulty) -> DifficultyRow {
    DifficultyRow {
        raised: day(d.raised_on),
        status: status_label(chrome, d.status),
        solution_on: d.solution_on.map(day).unwrap_or_default(),
        d,
    }
}

fn status_label(chrome: &Chrome, s: DifficultyStatus) -> String {
    chrome.t.get(&format!("region-status-{}", s.as_str().replace('_', "-")))
}

#[derive(Template, WebTemplate)]
#[template(path = "region/difficulties.html")]
pub struct DifficultiesPage {
    chrome: Chrome,
    seat: PlatformSeat,
    nav: Vec<(&'static str, String)>,
    rows: Vec<DifficultyRow>,
    form: FormState,
}

async fn difficulties_page(state: &AppState, user: &User, form: FormState) -> Result<DifficultiesPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let list = state.store.difficulties(&user.principal).await?;
    let chrome = chrome_for(user, &seat, "region-difficulties-title");
    let rows = list.into_iter().map(|d| difficulty_row(&chrome, d)).collect();
    Ok(DifficultiesPage { nav: sections(&chrome, &seat), chrome, seat, rows, form })
}

pub async fn difficulties(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    let form = FormState::new().with("raised_on", &state.store.today().to_string());
    Ok(difficulties_page(&state, &user, form).await?.into_response())
}

pub async fn raise_difficulty(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::RaiseDifficulty)?;
    let draft = DifficultyDraft {
        title: field(&body, "title").to_owned(),
        description: field(&body, "description").to_owned(),
        raised_on: field(&body, "raised_on").to_owned(),
    };
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.raise_difficulty(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/region/difficulties/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_with(&body, &["title", "description", "raised_on"]).with_errors(&errors, &user.ctx.t());
            Ok(refused(difficulties_page(&state, &user, form).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "region/difficulty.html")]
pub struct DifficultyPage {
    chrome: Chrome,
    seat: PlatformSeat,
    nav: Vec<(&'static str, String)>,
    row: DifficultyRow,
    statuses: Vec<(&'static str, String)>,
    form: FormState,
}

async fn difficulty_page(
    state: &AppState,
    user: &User,
    id: Uuid,
    form: Option<FormState>,
) -> Result<DifficultyPage, PageError> {
    let seat = state.store.platform_seat(&user.principal).await?;
    let d = state.store.difficulties(&user.principal).await?.into_iter().find(|d| d.id == id);
    let d = d.ok_or(crate::error::ErrorPage::NotFound)?;
    let chrome = chrome_for(user, &seat, "region-difficulty-title");
    let form = form.unwrap_or_else(|| {
        FormState::new()
            .with("status", d.status.as_str())
            .with("solution", d.solution.as_deref().unwrap_or(""))
            .with("solution_on", &d.solution_on.map(|d| d.to_string()).unwrap_or_default())
    });
    let statuses = DifficultyStatus::ALL.iter().map(|s| (s.as_str(), status_label(&chrome, *s))).collect();
    let row = difficulty_row(&chrome, d);
    Ok(DifficultyPage { nav: sections(&chrome, &seat), chrome, seat, row, statuses, form })
}

pub async fn difficulty(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewPlatform)?;
    Ok(difficulty_page(&state, &user, id, None).await?.into_response())
}

pub async fn answer_difficulty(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Body>,
) -> Result<Response, PageError> {
    user.require(Permission::ManagePlatform)?;
    let draft = AnswerDraft {
        status: field(&body, "status").to_owned(),
        solution: field(&body, "solution").to_owned(),
        solution_on: field(&body, "solution_on").to_owned(),
    };
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.answer_difficulty(&user.caller(), id, &input, version_of(&body)).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    let typed = || form_with(&body, &["status", "solution", "solution_on"]);
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/region/difficulties/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = typed().with_errors(&errors, &t);
            Ok(refused(difficulty_page(&state, &user, id, Some(form)).await?))
        }
        Err(StoreError::Conflict(_)) => {
            let form = typed().error("solution", t.get("record-conflict"));
            Ok((StatusCode::CONFLICT, difficulty_page(&state, &user, id, Some(form)).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
