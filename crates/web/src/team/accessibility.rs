//! `/accessibility-statement`: the team's staff set the municipality's accessibility statement (deklaracja
//! dostępności), which the public help page publishes at `/pomoc/{teryt}/deklaracja-dostepnosci`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::StoreError;
use store::team::accessibility::{STATUSES, StatementDraft};

use super::version_of;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "team/accessibility.html")]
pub struct StatementEditPage {
    chrome: Chrome,
    version: i64,
    form: FormState,
    statuses: Vec<(&'static str, String)>,
    public_href: String,
}

fn page(user: &User, version: i64, form: FormState, notice: Option<String>) -> StatementEditPage {
    let chrome = Chrome::for_user(user, "statement-edit-title").with_notice(notice);
    let statuses =
        STATUSES.iter().map(|s| (*s, chrome.t.get(&format!("statement-status-option-{s}")))).collect::<Vec<_>>();
    let public_href =
        format!("/pomoc/{}/deklaracja-dostepnosci", user.principal.tenant_teryt.clone().unwrap_or_default());
    StatementEditPage { chrome, version, form, statuses, public_href }
}

fn form_of(d: &StatementDraft) -> FormState {
    FormState::new()
        .with("status", &d.status)
        .with("inaccessible", &d.inaccessible)
        .with("published_on", &d.published_on)
        .with("updated_on", &d.updated_on)
        .with("prepared_on", &d.prepared_on)
        .with("reviewed_on", &d.reviewed_on)
        .with("method", &d.method)
        .with("contact_name", &d.contact_name)
        .with("contact_email", &d.contact_email)
        .with("contact_phone", &d.contact_phone)
        .with("architectural", &d.architectural)
}

fn draft_of(body: &[(String, String)]) -> StatementDraft {
    let f = |k: &str| field(body, k).to_owned();
    StatementDraft {
        status: f("status"),
        inaccessible: f("inaccessible"),
        published_on: f("published_on"),
        updated_on: f("updated_on"),
        prepared_on: f("prepared_on"),
        reviewed_on: f("reviewed_on"),
        method: f("method"),
        contact_name: f("contact_name"),
        contact_email: f("contact_email"),
        contact_phone: f("contact_phone"),
        architectural: f("architectural"),
    }
}

pub async fn edit_form(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let tenant = user.principal.tenant_id.ok_or(crate::error::ErrorPage::NotFound)?;
    let (version, form) = match state.store.accessibility_statement(tenant).await? {
        Some(s) => (s.version, form_of(&s.to_draft())),
        None => (0, FormState::new().with("status", "partial").with("prepared_on", &state.store.today().to_string())),
    };
    Ok(page(&user, version, form, None).into_response())
}

pub async fn save(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageDirectory)?;
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match draft.validate(state.store.today()) {
        Ok(s) => state.store.save_accessibility_statement(&user.caller(), &s, version).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    match result {
        Ok(()) => {
            let tenant = user.principal.tenant_id.ok_or(crate::error::ErrorPage::NotFound)?;
            let saved = state.store.accessibility_statement(tenant).await?.ok_or(crate::error::ErrorPage::NotFound)?;
            Ok(page(&user, saved.version, form_of(&saved.to_draft()), Some(t.get("statement-saved"))).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, version, form, None)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
