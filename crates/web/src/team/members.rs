//! `/team`: the team's order, its members (function, institution, term, declaration, training, coordinators), the
//! coordinators per area of work and where its rules stand; the member form; a member's training history
//! (`/team/members/{id}/trainings`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::{CoordinationArea, MeetingRule, MemberFunction, TrainingKind, TrainingState};
use store::StoreError;
use store::team::{MemberDraft, TeamMember, TeamOrder, TeamOverview, TrainingDraft, TrainingEntry};

use super::{day, kept, opt_day, version_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

pub struct MemberRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub function: String,
    pub institution: String,
    pub appointed: String,
    pub term: String,
    pub declaration: Option<String>,
    pub training: String,
    pub training_class: &'static str,
    pub coordinator: bool,
    pub left: Option<String>,
}

fn member_row(chrome: &Chrome, m: &TeamMember, today: jiff::civil::Date) -> MemberRow {
    let t = &chrome.t;
    let (training, training_class) = match m.training(today) {
        TrainingState::Completed { on } => (t.arg("team-training-done", "date", &day(on)), "ok"),
        TrainingState::Due { by } => (t.arg("team-training-due-by", "date", &day(by)), "running"),
        TrainingState::DueSoon { by } => (t.arg("team-training-due-soon", "date", &day(by)), "due-soon"),
        TrainingState::Overdue { by } => (t.arg("team-training-overdue", "date", &day(by)), "overdue"),
    };
    MemberRow {
        id: m.id,
        name: m.details.full_name.clone(),
        function: t.get(&format!("team-function-{}", m.function.as_str().replace('_', "-"))),
        institution: m.institution_name.clone().unwrap_or_else(|| "—".to_owned()),
        appointed: day(m.appointed_on),
        term: opt_day(m.term_ends_on),
        declaration: m.confidentiality_signed_on.map(day),
        training,
        training_class,
        coordinator: m.group_coordinator,
        left: m.left_on.map(day),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "team/overview.html")]
pub struct OverviewPage {
    chrome: Chrome,
    manage: bool,
    warnings: Vec<(String, &'static str)>,
    orders: Vec<TeamOrder>,
    members: Vec<MemberRow>,
    form: FormState,
    /// Each area of work in words with its coordinators' names ("—" for none).
    coordinators: Vec<(String, String)>,
    /// Whether any area has a coordinator (else the section says none is named).
    any_coordinator: bool,
}

impl OverviewPage {
    fn order_day(&self, o: &TeamOrder) -> String {
        day(o.issued_on)
    }
}

/// The warnings of the overview, in words.
pub fn warnings(chrome: &Chrome, o: &TeamOverview) -> Vec<(String, &'static str)> {
    let t = &chrome.t;
    let mut out = Vec::new();
    match o.meeting_rule {
        MeetingRule::DueSoon { due } => out.push((t.arg("team-warn-meeting-due", "date", &day(due)), "due-soon")),
        MeetingRule::Missed { due } => out.push((t.arg("team-warn-meeting-missed", "date", &day(due)), "overdue")),
        MeetingRule::Kept { .. } => {}
    }
    if !o.notices_late.is_empty() {
        out.push((t.arg("team-warn-notice-late", "count", &o.notices_late.len().to_string()), "due-soon"));
    }
    if o.declarations_missing > 0 {
        out.push((t.arg("team-warn-declarations", "count", &o.declarations_missing.to_string()), "overdue"));
    }
    if o.trainings_overdue > 0 {
        out.push((t.arg("team-warn-training-overdue", "count", &o.trainings_overdue.to_string()), "overdue"));
    }
    if o.trainings_due > 0 {
        out.push((t.arg("team-warn-training-due", "count", &o.trainings_due.to_string()), "due-soon"));
    }
    if o.reviews_due > 0 {
        out.push((t.arg("team-warn-reviews", "count", &o.reviews_due.to_string()), "due-soon"));
    }
    if o.agreements_lapsing > 0 {
        out.push((t.arg("team-warn-agreements-lapsing", "count", &o.agreements_lapsing.to_string()), "due-soon"));
    }
    out
}

async fn overview_page(
    state: &AppState,
    user: &User,
    form: FormState,
    notice: Option<String>,
) -> Result<OverviewPage, PageError> {
    let chrome = Chrome::for_user(user, "team-title").with_notice(notice);
    let overview = state.store.team_overview(&user.principal).await?;
    let orders = state.store.team_orders(&user.principal).await?;
    let today = state.store.today();
    let all = state.store.team_members(&user.caller()).await?;
    let members = all.iter().map(|m| member_row(&chrome, m, today)).collect();
    let areas = state.store.team_coordinators(&user.principal).await?;
    let any_coordinator = areas.iter().any(|a| !a.member_ids.is_empty());
    let coordinators = areas
        .iter()
        .map(|a| {
            let names: Vec<&str> = a
                .member_ids
                .iter()
                .filter_map(|id| all.iter().find(|m| m.id == *id).map(|m| m.details.full_name.as_str()))
                .collect();
            let names = if names.is_empty() { "—".to_owned() } else { names.join(", ") };
            (area_label(&chrome, a.area), names)
        })
        .collect();
    let manage = user.can(Permission::ManageTeam);
    let mut warnings = warnings(&chrome, &overview);
    // The agreements lapsed without a new one: only the staff may read the agreements (the store's rule).
    if manage {
        let agreements = state.store.agreements(&user.principal).await?;
        let (_, lapsed) = store::team::agreements_needing_attention(&agreements, today);
        if !lapsed.is_empty() {
            warnings.push((chrome.t.arg("team-warn-agreements-lapsed", "count", &lapsed.len().to_string()), "overdue"));
        }
    }
    Ok(OverviewPage { manage, warnings, chrome, orders, members, form, coordinators, any_coordinator })
}

pub async fn overview(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewTeam)?;
    Ok(overview_page(&state, &user, FormState::new(), None).await?.into_response())
}

pub async fn create_order(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    match state.store.create_team_order(&user.caller(), field(&body, "number"), field(&body, "issued_on")).await {
        Ok(_) => {
            Ok(overview_page(&state, &user, FormState::new(), Some(t.get("team-order-saved"))).await?.into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let form = kept(&body, Some(&errors), &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, overview_page(&state, &user, form, None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn area_label(chrome: &Chrome, area: CoordinationArea) -> String {
    chrome.t.get(&format!("coordination-area-{}", area.as_str().replace('_', "-")))
}

#[derive(Template, WebTemplate)]
#[template(path = "team/member.html")]
pub struct MemberPage {
    chrome: Chrome,
    action: String,
    version: i64,
    /// The member's training history page, when editing one.
    trainings_link: Option<String>,
    form: FormState,
    functions: Vec<(&'static str, String)>,
    areas: Vec<(&'static str, String)>,
    institutions: Vec<(String, String)>,
    orders: Vec<(String, String)>,
    accounts: Vec<(String, String)>,
}

async fn member_page(
    state: &AppState,
    user: &User,
    title: &str,
    action: String,
    version: i64,
    form: FormState,
) -> Result<MemberPage, PageError> {
    let chrome = Chrome::for_user(user, title);
    let tenant = user.principal.tenant_id.ok_or(crate::error::ErrorPage::NotFound)?;
    let institutions =
        state.store.list_institutions(tenant).await?.into_iter().map(|i| (i.id.to_string(), i.name)).collect();
    let orders = state
        .store
        .team_orders(&user.principal)
        .await?
        .into_iter()
        .map(|o| (o.id.to_string(), format!("{} ({})", o.number, day(o.issued_on))))
        .collect();
    let accounts = state
        .store
        .team_account_choices(&user.principal)
        .await?
        .into_iter()
        .map(|(id, l)| (id.to_string(), l))
        .collect();
    let functions = MemberFunction::ALL
        .iter()
        .map(|f| (f.as_str(), chrome.t.get(&format!("team-function-{}", f.as_str().replace('_', "-")))))
        .collect();
    let areas = CoordinationArea::ALL.iter().map(|a| (a.as_str(), area_label(&chrome, *a))).collect();
    // An existing member's form posts to /team/members/{id}; its history lives beside it.
    let trainings_link = (version > 0).then(|| format!("{action}/trainings"));
    Ok(MemberPage { chrome, action, version, trainings_link, form, functions, areas, institutions, orders, accounts })
}

fn draft_of(body: &[(String, String)]) -> MemberDraft {
    let f = |k: &str| field(body, k).to_owned();
    MemberDraft {
        full_name: f("full_name"),
        position: f("position"),
        email: f("email"),
        phone: f("phone"),
        account_id: f("account_id"),
        institution_id: f("institution_id"),
        order_id: f("order_id"),
        function: f("function"),
        appointed_on: f("appointed_on"),
        term_ends_on: f("term_ends_on"),
        confidentiality_signed_on: f("confidentiality_signed_on"),
        group_coordinator: field(body, "group_coordinator") == "true",
        coordination_areas: body.iter().filter(|(k, _)| k == "coordination_areas").map(|(_, v)| v.clone()).collect(),
        left_on: f("left_on"),
    }
}

fn form_of(d: &MemberDraft) -> FormState {
    FormState::new()
        .with("full_name", &d.full_name)
        .with("position", &d.position)
        .with("email", &d.email)
        .with("phone", &d.phone)
        .with("account_id", &d.account_id)
        .with("institution_id", &d.institution_id)
        .with("order_id", &d.order_id)
        .with("function", &d.function)
        .with("appointed_on", &d.appointed_on)
        .with("term_ends_on", &d.term_ends_on)
        .with("confidentiality_signed_on", &d.confidentiality_signed_on)
        .with("group_coordinator", if d.group_coordinator { "true" } else { "" })
        .with("coordination_areas", &d.coordination_areas.join(","))
        .with("left_on", &d.left_on)
}

pub async fn new_form(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let form = FormState::new().with("function", "member");
    Ok(member_page(&state, &user, "team-member-new", "/team/members/new".into(), 0, form).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    let draft = draft_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.create_team_member(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(member) => Ok(crate::flash::saved(&format!("/team#member-{member}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let page = member_page(&state, &user, "team-member-new", "/team/members/new".into(), 0, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let member = state.store.team_member(&user.caller(), id).await?;
    let form = form_of(&member.to_draft());
    Ok(member_page(&state, &user, "team-member-edit", format!("/team/members/{id}"), member.version, form)
        .await?
        .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.update_team_member(&user.caller(), id, &input, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let action = format!("/team/members/{id}");
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/team#member-{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let page = member_page(&state, &user, "team-member-edit", action, version, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let form = form_of(&draft).error("form", t.get("record-conflict"));
            let page = member_page(&state, &user, "team-member-edit", action, version, form).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One entry of the history in words.
pub struct TrainingRow {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub organiser: String,
    pub dates: String,
    pub hours: String,
    pub certificate: String,
}

/// An entry's title; one carried over from the single date has none: say so rather than show a blank.
fn training_title(t: &crate::i18n::Tr, e: &TrainingEntry) -> String {
    e.title.clone().unwrap_or_else(|| t.get("training-title-carried-over"))
}

fn training_row(chrome: &Chrome, e: &TrainingEntry) -> TrainingRow {
    let t = &chrome.t;
    TrainingRow {
        id: e.id,
        kind: t.get(&format!("training-kind-{}", e.kind.as_str().replace('_', "-"))),
        title: training_title(t, e),
        organiser: e.organiser.clone().unwrap_or_else(|| "—".to_owned()),
        dates: match e.starts_on {
            Some(start) if start != e.completed_on => format!("{} – {}", day(start), day(e.completed_on)),
            _ => day(e.completed_on),
        },
        hours: e.hours.map(|h| h.to_string()).unwrap_or_else(|| "—".to_owned()),
        certificate: e.certificate_number.clone().unwrap_or_else(|| "—".to_owned()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "team/trainings.html")]
pub struct TrainingsPage {
    chrome: Chrome,
    member_id: Uuid,
    name: String,
    training: String,
    training_class: &'static str,
    rows: Vec<TrainingRow>,
    kinds: Vec<(&'static str, String)>,
    form: FormState,
}

async fn trainings_page(
    state: &AppState,
    user: &User,
    id: Uuid,
    form: FormState,
    notice: Option<String>,
) -> Result<TrainingsPage, PageError> {
    let member = state.store.team_member(&user.caller(), id).await?;
    let entries = state.store.member_trainings(&user.caller(), id).await?;
    let chrome = Chrome::for_user(user, "training-title").with_notice(notice);
    let row = member_row(&chrome, &member, state.store.today());
    let kinds = TrainingKind::ALL
        .iter()
        .map(|k| (k.as_str(), chrome.t.get(&format!("training-kind-{}", k.as_str().replace('_', "-")))))
        .collect();
    let rows = entries.iter().map(|e| training_row(&chrome, e)).collect();
    Ok(TrainingsPage {
        chrome,
        member_id: id,
        name: member.details.full_name,
        training: row.training,
        training_class: row.training_class,
        rows,
        kinds,
        form,
    })
}

pub async fn trainings(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let form = FormState::new().with("kind", "mandatory");
    Ok(trainings_page(&state, &user, id, form, None).await?.into_response())
}

pub async fn add_training(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let t = user.ctx.t();
    let f = |k: &str| field(&body, k).to_owned();
    let draft = TrainingDraft {
        kind: f("kind"),
        title: f("title"),
        organiser: f("organiser"),
        starts_on: f("starts_on"),
        completed_on: f("completed_on"),
        hours: f("hours"),
        certificate_number: f("certificate_number"),
    };
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.add_member_training(&user.caller(), id, &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(crate::flash::saved(&format!("/team/members/{id}/trainings"))),
        Err(StoreError::Invalid(errors)) => {
            let form = kept(&body, Some(&errors), &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, trainings_page(&state, &user, id, form, None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_training(
    State(state): State<AppState>,
    user: User,
    Ids((id, training)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    if !crate::page::confirmed(&body) {
        // A removal changes the "members trained" figures of the report: asked once more, naming the entry.
        let entries = state.store.member_trainings(&user.caller(), id).await?;
        let entry = entries.iter().find(|e| e.id == training).ok_or(crate::error::ErrorPage::NotFound)?;
        let t = user.ctx.t();
        let list = format!("/team/members/{id}/trainings");
        return Ok(crate::page::ConfirmPage {
            chrome: Chrome::for_user(&user, "confirm-title"),
            question: t.arg("confirm-training-remove", "title", &training_title(&t, entry)),
            action: format!("{list}/{training}/delete"),
            hidden: Vec::new(),
            confirm_label: t.get("training-remove"),
            cancel: list,
        }
        .into_response());
    }
    state.store.remove_member_training(&user.caller(), id, training).await?;
    Ok(crate::flash::saved(&format!("/team/members/{id}/trainings")))
}
