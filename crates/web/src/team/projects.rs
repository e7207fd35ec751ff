//! `/team/projects`: the register of projects and co-financed programmes, with its form. Spending above the grant is
//! saved and then shown with a warning, on the list and on the project's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::{Funder, format_amount};
use store::StoreError;
use store::team::{Project, ProjectDraft, node_title};
use uuid::Uuid;

use super::{day, version_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field, repeated};
use crate::session::User;
use crate::state::AppState;

pub struct ProjectRow {
    pub p: Project,
    pub period: String,
    pub funder: String,
    pub granted: String,
    pub spent: String,
}

/// A task or indicator of the programme in force, to tick.
pub struct NodeChoice {
    pub id: String,
    pub label: String,
    pub indicator: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/projects.html")]
pub struct ProjectsPage {
    chrome: Chrome,
    rows: Vec<ProjectRow>,
    funders: Vec<(&'static str, String)>,
    nodes: Vec<NodeChoice>,
    action: String,
    version: i64,
    editing: bool,
    /// The project shown spends more than it was granted.
    overspent: bool,
    form: FormState,
}

fn funder_label(chrome: &Chrome, f: Funder) -> String {
    chrome.t.get(&format!("project-funder-{}", f.as_str()))
}

async fn page(
    state: &AppState,
    user: &User,
    shown: Option<&Project>,
    form: FormState,
    notice: Option<String>,
) -> Result<ProjectsPage, PageError> {
    let chrome = Chrome::for_user(user, "projects-title").with_notice(notice);
    let list = state.store.projects(&user.principal).await?;
    let rows = list
        .into_iter()
        .map(|p| ProjectRow {
            period: format!("{} – {}", day(p.starts_on), p.ends_on.map(day).unwrap_or_default()),
            funder: funder_label(&chrome, p.funder),
            granted: format_amount(p.amount_granted),
            spent: format_amount(p.amount_spent),
            p,
        })
        .collect();
    // The tasks and indicators of the programme in force this year; none without a programme.
    let mut nodes = Vec::new();
    if user.can(Permission::ManageProgramme)
        && let Ok(view) = state.store.programme_for_year(&user.principal, state.store.today().year()).await
        && let Some(version) = view.version_for_year(state.store.today().year())
    {
        for task in version.content.goals.iter().flat_map(|g| &g.tasks) {
            let label = node_title(&version.content, &task.id).unwrap_or_else(|| task.title.clone());
            nodes.push(NodeChoice { id: task.id.clone(), label, indicator: false });
            for i in &task.indicators {
                nodes.push(NodeChoice { id: i.id.clone(), label: i.name.clone(), indicator: true });
            }
        }
    }
    let funders = Funder::ALL.iter().map(|f| (f.as_str(), funder_label(&chrome, *f))).collect();
    let (action, version, editing, overspent) = match shown {
        Some(p) => (format!("/team/projects/{}", p.id), p.version, true, p.overspent()),
        None => ("/team/projects".to_owned(), 0, false, false),
    };
    Ok(ProjectsPage { chrome, rows, funders, nodes, action, version, editing, overspent, form })
}

fn draft_of(body: &[(String, String)]) -> ProjectDraft {
    let f = |k: &str| field(body, k).to_owned();
    ProjectDraft {
        title: f("title"),
        funder: f("funder"),
        funder_name: f("funder_name"),
        starts_on: f("starts_on"),
        ends_on: f("ends_on"),
        amount_granted: f("amount_granted"),
        amount_spent: f("amount_spent"),
        partners: f("partners"),
        target_group: f("target_group"),
        planned_results: f("planned_results"),
        achieved_results: f("achieved_results"),
        programme_nodes: repeated(body, "programme_nodes"),
    }
}

fn form_of(d: &ProjectDraft) -> FormState {
    FormState::new()
        .with("title", &d.title)
        .with("funder", &d.funder)
        .with("funder_name", &d.funder_name)
        .with("starts_on", &d.starts_on)
        .with("ends_on", &d.ends_on)
        .with("amount_granted", &d.amount_granted)
        .with("amount_spent", &d.amount_spent)
        .with("partners", &d.partners)
        .with("target_group", &d.target_group)
        .with("planned_results", &d.planned_results)
        .with("achieved_results", &d.achieved_results)
        .with("programme_nodes", &d.programme_nodes.join(","))
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let form = FormState::new().with("funder", "ministry");
    Ok(page(&state, &user, None, form, None).await?.into_response())
}

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let p = state.store.project(&user.principal, id).await?;
    let form = form_of(&p.to_draft());
    Ok(page(&state, &user, Some(&p), form, None).await?.into_response())
}

/// Adds (no id) or changes (an id) a project, then shows it (with the overspending warning where it applies).
async fn save(
    state: AppState,
    user: User,
    id: Option<Uuid>,
    body: Vec<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match (draft.validate(), id) {
        (Ok(input), None) => state.store.create_project(&user.caller(), &input).await,
        (Ok(input), Some(id)) => state.store.update_project(&user.caller(), id, &input, version).await.map(|()| id),
        (Err(e), _) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    // On a refusal the form keeps what was typed; the page's other parts follow the stored project, if any.
    let stored = match id {
        Some(id) => Some(state.store.project(&user.principal, id).await?),
        None => None,
    };
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/team/projects/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let p = page(&state, &user, stored.as_ref(), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let p = page(&state, &user, stored.as_ref(), form_of(&draft), Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(state, user, None, body).await
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(state, user, Some(id), body).await
}
