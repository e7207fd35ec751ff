//! `/directory`: the directory of help for the team's staff (all entries, also the internal ones, with their
//! yearly review) and its form. Group members may read it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::HelpKind;
use serde::Deserialize;
use store::StoreError;
use store::team::{DirectoryDraft, DirectoryEntry};

use super::{day, version_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field, repeated};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    archived: Option<String>,
}

pub struct EntryRow {
    pub entry: DirectoryEntry,
    pub kinds: String,
    pub checked: String,
    pub review_due: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/directory.html")]
pub struct DirectoryPage {
    chrome: Chrome,
    manage: bool,
    with_archived: bool,
    rows: Vec<EntryRow>,
    public_href: String,
}

pub fn kinds_text(chrome: &Chrome, kinds: &[HelpKind]) -> String {
    kinds
        .iter()
        .map(|k| chrome.t.get(&format!("help-kind-{}", k.as_str().replace('_', "-"))))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewHelpDirectory)?;
    let chrome = Chrome::for_user(&user, "directory-title");
    let with_archived = q.archived.as_deref() == Some("1");
    let today = state.store.today();
    let rows = state
        .store
        .directory(&user.principal, with_archived)
        .await?
        .into_iter()
        .map(|entry| EntryRow {
            kinds: kinds_text(&chrome, &entry.help_kinds),
            checked: day(entry.last_checked_on),
            review_due: !entry.archived && entry.review_overdue(today),
            entry,
        })
        .collect();
    let public_href = format!("/pomoc/{}", user.principal.tenant_teryt.clone().unwrap_or_default());
    Ok(DirectoryPage { manage: user.can(Permission::ManageDirectory), chrome, with_archived, rows, public_href }
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "team/directory_entry.html")]
pub struct EntryPage {
    chrome: Chrome,
    action: String,
    version: i64,
    archived: Option<bool>,
    form: FormState,
    kinds: Vec<(&'static str, String)>,
    institutions: Vec<(String, String)>,
}

async fn entry_page(
    state: &AppState,
    user: &User,
    title: &str,
    action: String,
    version: i64,
    archived: Option<bool>,
    form: FormState,
) -> Result<EntryPage, PageError> {
    let chrome = Chrome::for_user(user, title);
    let tenant = user.principal.tenant_id.ok_or(crate::error::ErrorPage::NotFound)?;
    let institutions =
        state.store.list_institutions(tenant).await?.into_iter().map(|i| (i.id.to_string(), i.name)).collect();
    let kinds = HelpKind::ALL
        .iter()
        .map(|k| (k.as_str(), chrome.t.get(&format!("help-kind-{}", k.as_str().replace('_', "-")))))
        .collect();
    Ok(EntryPage { chrome, action, version, archived, form, kinds, institutions })
}

fn draft_of(body: &[(String, String)]) -> DirectoryDraft {
    let f = |k: &str| field(body, k).to_owned();
    DirectoryDraft {
        name: f("name"),
        institution_id: f("institution_id"),
        help_kinds: repeated(body, "help_kinds"),
        address: f("address"),
        opening_hours: f("opening_hours"),
        phone: f("phone"),
        email: f("email"),
        website: f("website"),
        languages: f("languages"),
        accessibility: f("accessibility"),
        description: f("description"),
        is_public: field(body, "is_public") == "true",
        last_checked_on: f("last_checked_on"),
    }
}

fn form_of(d: &DirectoryDraft) -> FormState {
    FormState::new()
        .with("name", &d.name)
        .with("institution_id", &d.institution_id)
        .with("help_kinds", &d.help_kinds.join(","))
        .with("address", &d.address)
        .with("opening_hours", &d.opening_hours)
        .with("phone", &d.phone)
        .with("email", &d.email)
        .with("website", &d.website)
        .with("languages", &d.languages)
        .with("accessibility", &d.accessibility)
        .with("description", &d.description)
        .with("is_public", if d.is_public { "true" } else { "" })
        .with("last_checked_on", &d.last_checked_on)
}

pub async fn new_form(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let form = FormState::new()
        .with("is_public", "true")
        .with("languages", "pl")
        .with("last_checked_on", &state.store.today().to_string());
    Ok(entry_page(&state, &user, "directory-new", "/directory/new".into(), 0, None, form).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let draft = draft_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.create_directory_entry(&user.caller(), &input).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    match result {
        Ok(entry) => Ok(crate::flash::saved(&format!("/directory#entry-{entry}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &user.ctx.t());
            let page = entry_page(&state, &user, "directory-new", "/directory/new".into(), 0, None, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let entry = state.store.directory_entry(&user.principal, id).await?;
    let form = form_of(&entry.to_draft());
    let action = format!("/directory/{id}");
    Ok(entry_page(&state, &user, "directory-edit", action, entry.version, Some(entry.archived), form)
        .await?
        .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(input) => state.store.update_directory_entry(&user.caller(), id, &input, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let action = format!("/directory/{id}");
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/directory#entry-{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let page = entry_page(&state, &user, "directory-edit", action, version, None, form).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let form = form_of(&draft).error("form", t.get("record-conflict"));
            let page = entry_page(&state, &user, "directory-edit", action, version, None, form).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn archive(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let archived = field(&body, "archived") == "true";
    state.store.archive_directory_entry(&user.caller(), id, archived, version_of(&body)).await?;
    Ok(crate::flash::saved(&format!("/directory#entry-{id}")))
}
