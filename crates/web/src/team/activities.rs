//! `/activities`: the register of prevention and training activities by year, with its form.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::ActivityKind;
use serde::Deserialize;
use store::StoreError;
use store::team::{Activity, ActivityDraft};

use super::{day, version_of, year_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

pub struct ActivityRow {
    pub a: Activity,
    pub day: String,
    pub kind: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/activities.html")]
pub struct ActivitiesPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    rows: Vec<ActivityRow>,
    participants: i64,
    materials: i64,
    kinds: Vec<(&'static str, String)>,
    action: String,
    version: i64,
    editing: bool,
    form: FormState,
}

fn kinds(chrome: &Chrome) -> Vec<(&'static str, String)> {
    ActivityKind::ALL.iter().map(|k| (k.as_str(), kind_label(chrome, *k))).collect()
}

fn kind_label(chrome: &Chrome, k: ActivityKind) -> String {
    chrome.t.get(&format!("activity-kind-{}", k.as_str().replace('_', "-")))
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    user: &User,
    year: Option<&str>,
    action: String,
    version: i64,
    editing: bool,
    form: FormState,
    notice: Option<String>,
) -> Result<ActivitiesPage, PageError> {
    let chrome = Chrome::for_user(user, "activities-title").with_notice(notice);
    let (year, year_error) = year_of(year, state.store.today().year(), &chrome.t);
    let list = state.store.activities(&user.principal, year).await?;
    let participants = list.iter().map(|a| a.participants).sum();
    let materials = list.iter().map(|a| a.materials_handed_out).sum();
    let rows =
        list.into_iter().map(|a| ActivityRow { day: day(a.held_on), kind: kind_label(&chrome, a.kind), a }).collect();
    Ok(ActivitiesPage {
        kinds: kinds(&chrome),
        chrome,
        year,
        year_error,
        rows,
        participants,
        materials,
        action,
        version,
        editing,
        form,
    })
}

fn draft_of(body: &[(String, String)]) -> ActivityDraft {
    let f = |k: &str| field(body, k).to_owned();
    ActivityDraft {
        kind: f("kind"),
        held_on: f("held_on"),
        title: f("title"),
        organiser: f("organiser"),
        audience: f("audience"),
        participants: f("participants"),
        materials_handed_out: f("materials_handed_out"),
        notes: f("notes"),
        team_members_trained: f("team_members_trained"),
        group_members_trained: f("group_members_trained"),
    }
}

fn form_of(d: &ActivityDraft) -> FormState {
    FormState::new()
        .with("kind", &d.kind)
        .with("held_on", &d.held_on)
        .with("title", &d.title)
        .with("organiser", &d.organiser)
        .with("audience", &d.audience)
        .with("participants", &d.participants)
        .with("materials_handed_out", &d.materials_handed_out)
        .with("notes", &d.notes)
        .with("team_members_trained", &d.team_members_trained)
        .with("group_members_trained", &d.group_members_trained)
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageActivities)?;
    let form = FormState::new().with("kind", "training");
    Ok(page(&state, &user, q.year.as_deref(), "/activities".into(), 0, false, form, None).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageActivities)?;
    let draft = draft_of(&body);
    let result = match draft.validate() {
        Ok(input) => state.store.create_activity(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(_) => {
            let year = draft.held_on.get(0..4).unwrap_or_default().to_owned();
            Ok(crate::flash::saved(&format!("/activities?year={year}")))
        }
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &user.ctx.t());
            let p = page(&state, &user, None, "/activities".into(), 0, false, form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageActivities)?;
    let a = state.store.activity(&user.principal, id).await?;
    let year = a.held_on.year().to_string();
    let form = form_of(&a.to_draft());
    Ok(page(&state, &user, Some(&year), format!("/activities/{id}"), a.version, true, form, None)
        .await?
        .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageActivities)?;
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match draft.validate() {
        Ok(input) => state.store.update_activity(&user.caller(), id, &input, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    let action = format!("/activities/{id}");
    match result {
        Ok(()) => {
            let year = draft.held_on.get(0..4).unwrap_or_default().to_owned();
            Ok(crate::flash::saved(&format!("/activities?year={year}")))
        }
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let p = page(&state, &user, None, action, version, true, form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let form = form_of(&draft);
            let p = page(&state, &user, None, action, version, true, form, Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageActivities)?;
    state.store.delete_activity(&user.caller(), id, version_of(&body)).await?;
    Ok(crate::flash::saved("/activities"))
}
