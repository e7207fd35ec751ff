//! `/team/rules` and `/team/standards` (issue 18 item 5): the team's rules (regulamin) and its standards and
//! procedures for institutions, each a document amended by resolution. A page shows the version in force with the
//! resolution that adopted it and the whole history; a new version is a new row (nothing is overwritten); for a
//! standard, which institutions acknowledged which version. The store lets only the team's staff (`ManageTeam`) read
//! and keep them, so every handler asks for that; there is nothing to remove.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::Permission;
use jiff::civil::Date;
use store::StoreError;
use store::team::{DocumentKind, DocumentVersionDraft, DocumentVersionInput, TeamDocument, parse_document_title};
use uuid::Uuid;

use super::{day, kept, version_of};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

/// One version as the pages show it.
#[derive(Clone)]
pub struct VersionRow {
    pub id: Uuid,
    pub number: i64,
    pub resolution: String,
    pub in_force_from: String,
    /// `in-force`, `past` or `ahead`: the row's class and its words.
    pub state: &'static str,
    pub state_label: String,
    pub body: String,
    /// The institutions that acknowledged this version, with the day ("—" never: the day is required).
    pub acknowledgements: Vec<(String, String)>,
}

fn version_rows(chrome: &Chrome, doc: &TeamDocument, today: Date) -> Vec<VersionRow> {
    let t = &chrome.t;
    let in_force = doc.in_force(today).map(|v| v.id);
    doc.versions
        .iter()
        .map(|v| {
            let state = if Some(v.id) == in_force {
                "in-force"
            } else if v.in_force_from > today {
                "ahead"
            } else {
                "past"
            };
            VersionRow {
                id: v.id,
                number: v.number,
                resolution: t.arg2(
                    "team-doc-resolution",
                    "number",
                    &v.resolution_number,
                    "date",
                    &day(v.resolution_on),
                ),
                in_force_from: day(v.in_force_from),
                state,
                state_label: t.get(&format!("team-doc-state-{state}")),
                body: v.body.clone(),
                acknowledgements: v
                    .acknowledgements
                    .iter()
                    .map(|a| (a.institution_name.clone(), day(a.acknowledged_on)))
                    .collect(),
            }
        })
        .collect()
}

/// The versions not yet in force, in words, for the notice above the history.
fn upcoming(chrome: &Chrome, doc: &TeamDocument, today: Date) -> Vec<String> {
    let mut ahead: Vec<_> = doc.versions.iter().filter(|v| v.in_force_from > today).collect();
    ahead.sort_by_key(|v| v.in_force_from);
    ahead
        .into_iter()
        .map(|v| {
            chrome.t.args(
                "team-doc-upcoming",
                &[
                    ("number", v.number.to_string()),
                    ("resolution", v.resolution_number.clone()),
                    ("date", day(v.in_force_from)),
                ],
            )
        })
        .collect()
}

fn version_draft(body: &[(String, String)]) -> DocumentVersionDraft {
    let f = |k: &str| field(body, k).to_owned();
    DocumentVersionDraft {
        body: f("body"),
        resolution_number: f("resolution_number"),
        resolution_on: f("resolution_on"),
        in_force_from: f("in_force_from"),
    }
}

/// The form for a new version: the newest text to amend, the resolution still to be given.
fn amend_form(doc: &TeamDocument) -> FormState {
    FormState::new().with("body", doc.latest().map(|v| v.body.as_str()).unwrap_or_default())
}

/// The version as typed, checked; with a title (a new document), the title too, so every refusal shows at once.
fn checked(
    body: &[(String, String)],
    today: Date,
    with_title: bool,
) -> Result<(String, DocumentVersionInput), FieldErrors> {
    let title = field(body, "title").to_owned();
    let mut errors = FieldErrors::new();
    let input = version_draft(body).validate(today).map_err(|e| errors = e).ok();
    if with_title && let Err(code) = parse_document_title(&title) {
        errors.add("title", code);
    }
    match input {
        Some(input) if errors.is_empty() => Ok((title, input)),
        _ => Err(errors),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "team/rules.html")]
pub struct RulesPage {
    chrome: Chrome,
    doc: Option<TeamDocument>,
    current: Option<VersionRow>,
    /// The first version's day, while none is in force yet.
    first_from: Option<String>,
    upcoming: Vec<String>,
    rows: Vec<VersionRow>,
    form: FormState,
}

async fn rules_page(
    state: &AppState,
    user: &User,
    form: Option<FormState>,
    notice: Option<String>,
) -> Result<RulesPage, PageError> {
    let chrome = Chrome::for_user(user, "rules-title").with_notice(notice);
    let today = state.store.today();
    let doc = state.store.team_rules(&user.principal).await?;
    let rows = doc.as_ref().map(|d| version_rows(&chrome, d, today)).unwrap_or_default();
    let current = rows.iter().find(|r| r.state == "in-force").cloned();
    let first_from = match (&doc, &current) {
        (Some(d), None) => d.versions.iter().map(|v| v.in_force_from).min().map(day),
        _ => None,
    };
    let upcoming = doc.as_ref().map(|d| upcoming(&chrome, d, today)).unwrap_or_default();
    let form = form.unwrap_or_else(|| match &doc {
        Some(d) => amend_form(d),
        None => FormState::new().with("title", &chrome.t.get("rules-default-title")),
    });
    Ok(RulesPage { chrome, doc, current, first_from, upcoming, rows, form })
}

pub async fn rules(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    Ok(rules_page(&state, &user, None, None).await?.into_response())
}

/// Records the rules for the first time (their first version).
pub async fn create_rules(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let result = match checked(&body, state.store.today(), true) {
        Ok((title, input)) => {
            state.store.create_team_document(&user.caller(), DocumentKind::Rules, &title, &input).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    match result {
        Ok(_) => Ok(crate::flash::saved("/team/rules#version-1")),
        Err(StoreError::Invalid(errors)) => {
            let page = rules_page(&state, &user, Some(kept(&body, Some(&errors), &t)), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // Someone recorded the rules meanwhile: the page now shows theirs, with what was typed in the amend form.
        Err(StoreError::Conflict(_)) => {
            let page = rules_page(&state, &user, Some(kept(&body, None, &t)), Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a version to the rules, at the version of the document the form was read at.
pub async fn add_rules_version(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let doc = state.store.team_rules(&user.principal).await?.ok_or(ErrorPage::NotFound)?;
    let result = match checked(&body, state.store.today(), false) {
        Ok((_, input)) => {
            state.store.add_team_document_version(&user.caller(), doc.id, &input, version_of(&body)).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    match result {
        Ok(number) => Ok(crate::flash::saved(&format!("/team/rules#version-{number}"))),
        Err(StoreError::Invalid(errors)) => {
            let page = rules_page(&state, &user, Some(kept(&body, Some(&errors), &t)), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let page = rules_page(&state, &user, Some(kept(&body, None, &t)), Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A standard on the list.
pub struct StandardRow {
    pub id: Uuid,
    pub title: String,
    pub current: String,
    pub acknowledged: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/standards.html")]
pub struct StandardsPage {
    chrome: Chrome,
    rows: Vec<StandardRow>,
    form: FormState,
}

async fn standards_page(state: &AppState, user: &User, form: FormState) -> Result<StandardsPage, PageError> {
    let chrome = Chrome::for_user(user, "standards-title");
    let today = state.store.today();
    let tenant = user.principal.tenant_id.ok_or(ErrorPage::NotFound)?;
    let institutions = state.store.list_institutions(tenant).await?.len();
    let rows = state
        .store
        .team_standards(&user.principal)
        .await?
        .into_iter()
        .map(|d| {
            let (current, acknowledged) = match d.in_force(today) {
                Some(v) => (
                    format!(
                        "{} · {}",
                        chrome.t.arg("team-doc-version-number", "number", &v.number.to_string()),
                        chrome.t.arg2(
                            "team-doc-resolution",
                            "number",
                            &v.resolution_number,
                            "date",
                            &day(v.resolution_on)
                        ),
                    ),
                    chrome.t.arg2(
                        "standards-acknowledged-count",
                        "done",
                        &v.acknowledgements.len().to_string(),
                        "total",
                        &institutions.to_string(),
                    ),
                ),
                None => (chrome.t.get("standards-current-none"), "—".to_owned()),
            };
            StandardRow { id: d.id, title: d.title, current, acknowledged }
        })
        .collect();
    Ok(StandardsPage { chrome, rows, form })
}

pub async fn standards(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    Ok(standards_page(&state, &user, FormState::new()).await?.into_response())
}

pub async fn create_standard(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let result = match checked(&body, state.store.today(), true) {
        Ok((title, input)) => {
            state.store.create_team_document(&user.caller(), DocumentKind::Standard, &title, &input).await
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/team/standards/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let page = standards_page(&state, &user, kept(&body, Some(&errors), &user.ctx.t())).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Which of the standard's forms a re-rendered error belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    None,
    Version,
    Acknowledgement,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/standard.html")]
pub struct StandardPage {
    chrome: Chrome,
    doc: TeamDocument,
    current: Option<VersionRow>,
    first_from: Option<String>,
    upcoming: Vec<String>,
    rows: Vec<VersionRow>,
    /// The institutions that have not acknowledged the version in force, by name.
    missing: Vec<String>,
    institutions: Vec<(String, String)>,
    /// Each version for the acknowledgement's choice, newest first.
    version_choices: Vec<(String, String)>,
    form: FormState,
    ack_form: FormState,
    failed: Failed,
}

/// The standard `id`, or not found (also for the rules, which have their own page).
async fn standard_of(state: &AppState, user: &User, id: Uuid) -> Result<TeamDocument, PageError> {
    let doc = state.store.team_document(&user.principal, id).await?;
    if doc.kind == DocumentKind::Standard { Ok(doc) } else { Err(ErrorPage::NotFound.into()) }
}

async fn standard_page(
    state: &AppState,
    user: &User,
    doc: TeamDocument,
    forms: (Option<FormState>, Option<FormState>),
    failed: Failed,
    notice: Option<String>,
) -> Result<StandardPage, PageError> {
    let chrome = Chrome::for_user(user, "standards-title").with_notice(notice);
    let today = state.store.today();
    let tenant = user.principal.tenant_id.ok_or(ErrorPage::NotFound)?;
    let all = state.store.list_institutions(tenant).await?;
    let rows = version_rows(&chrome, &doc, today);
    let current = rows.iter().find(|r| r.state == "in-force").cloned();
    let missing = match doc.in_force(today) {
        Some(v) => all
            .iter()
            .filter(|i| !v.acknowledgements.iter().any(|a| a.institution_id == i.id))
            .map(|i| i.name.clone())
            .collect(),
        None => Vec::new(),
    };
    let first_from = if current.is_none() { doc.versions.iter().map(|v| v.in_force_from).min().map(day) } else { None };
    let version_choices = doc
        .versions
        .iter()
        .map(|v| {
            let label = chrome.t.arg2(
                "standard-ack-version-option",
                "number",
                &v.number.to_string(),
                "resolution",
                &v.resolution_number,
            );
            (v.id.to_string(), label)
        })
        .collect();
    let (version_form, ack_form) = forms;
    let form = version_form.unwrap_or_else(|| amend_form(&doc));
    // A fresh acknowledgement is of the version in force (else the newest), on today.
    let ack_form = ack_form.unwrap_or_else(|| {
        let v = doc.in_force(today).or(doc.latest()).map(|v| v.id.to_string()).unwrap_or_default();
        FormState::new().with("version_id", &v).with("acknowledged_on", &today.to_string())
    });
    Ok(StandardPage {
        upcoming: upcoming(&chrome, &doc, today),
        chrome,
        current,
        first_from,
        rows,
        missing,
        institutions: all.into_iter().map(|i| (i.id.to_string(), i.name)).collect(),
        version_choices,
        form,
        ack_form,
        failed,
        doc,
    })
}

pub async fn standard(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let doc = standard_of(&state, &user, id).await?;
    Ok(standard_page(&state, &user, doc, (None, None), Failed::None, None).await?.into_response())
}

pub async fn add_standard_version(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let doc = standard_of(&state, &user, id).await?;
    let result = match checked(&body, state.store.today(), false) {
        Ok((_, input)) => state.store.add_team_document_version(&user.caller(), id, &input, version_of(&body)).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    match result {
        Ok(number) => Ok(crate::flash::saved(&format!("/team/standards/{id}#version-{number}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = kept(&body, Some(&errors), &t);
            let page = standard_page(&state, &user, doc, (Some(form), None), Failed::Version, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let doc = standard_of(&state, &user, id).await?;
            let form = kept(&body, None, &t);
            let notice = Some(t.get("record-conflict"));
            let page = standard_page(&state, &user, doc, (Some(form), None), Failed::Version, notice).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A choice's id as typed: empty is "required", anything but an id "unknown".
fn choice(raw: &str) -> Result<Uuid, &'static str> {
    match raw.trim() {
        "" => Err("err-required"),
        s => s.parse().map_err(|_| "err-choice-unknown"),
    }
}

/// Records that an institution acknowledged a version of the standard on a day.
pub async fn acknowledge(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let doc = standard_of(&state, &user, id).await?;
    let mut errors = FieldErrors::new();
    let version_id = errors.check("version_id", choice(field(&body, "version_id")));
    let institution_id = errors.check("institution_id", choice(field(&body, "institution_id")));
    let on = field(&body, "acknowledged_on");
    if on.trim().is_empty() {
        errors.add("acknowledged_on", "err-required");
    }
    let result = match (version_id, institution_id) {
        (Some(v), Some(i)) if errors.is_empty() => {
            state.store.acknowledge_team_document(&user.caller(), id, v, i, on).await.map(|()| v)
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(v) => {
            let number = doc.versions.iter().find(|x| x.id == v).map(|x| x.number).unwrap_or(1);
            Ok(crate::flash::saved(&format!("/team/standards/{id}#version-{number}")))
        }
        Err(StoreError::Invalid(errors)) => {
            let form = kept(&body, Some(&errors), &user.ctx.t());
            let page = standard_page(&state, &user, doc, (None, Some(form)), Failed::Acknowledgement, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
