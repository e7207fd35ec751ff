//! A programme reporter's entry form (their own institution's indicators only), with the refusal of a value that is
//! not a whole number or is negative beside the field, and the question when a value is far off last year's; the
//! coordinator's completeness view and reminders.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::StoreError;
use store::programme::{EntryOutcome, MissingEntry, ReporterIndicator};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

pub struct EntryRow {
    pub indicator: ReporterIndicator,
    /// What the reporter typed (kept after a refusal).
    pub typed: String,
    pub typed_note: String,
    pub error: Option<String>,
    /// Asked to confirm a value far off last year's.
    pub confirm: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/entries.html")]
pub struct EntriesPage {
    chrome: Chrome,
    id: Uuid,
    year: i16,
    rows: Vec<EntryRow>,
}

fn ids(id: &str, year: &str) -> Result<(Uuid, i16), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
    Ok((id, year))
}

fn page(user: &User, id: Uuid, year: i16, rows: Vec<EntryRow>) -> EntriesPage {
    let mut chrome = Chrome::for_user(user, "programme-entries-title");
    chrome.title = user.ctx.t().arg("programme-entries-heading", "year", &year.to_string());
    EntriesPage { chrome, id, year, rows }
}

fn rows_of(indicators: Vec<ReporterIndicator>) -> Vec<EntryRow> {
    indicators
        .into_iter()
        .map(|i| EntryRow {
            typed: i.value.map(|v| v.to_string()).unwrap_or_default(),
            typed_note: i.note.clone().unwrap_or_default(),
            indicator: i,
            error: None,
            confirm: None,
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Path((id, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::EnterIndicators)?;
    let (id, year) = ids(&id, &year)?;
    let indicators = state.store.reporter_indicators(&user.principal, id, year).await?;
    Ok(page(&user, id, year, rows_of(indicators)).into_response())
}

/// One indicator's value per submit (each row is its own form).
pub async fn submit(
    State(state): State<AppState>,
    user: User,
    Path((id, year)): Path<(String, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::EnterIndicators)?;
    let (id, year) = ids(&id, &year)?;
    let indicator = field(&body, "indicator");
    let (raw, note) = (field(&body, "value"), field(&body, "note"));
    let confirmed = field(&body, "confirm") == "yes";
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let result =
        state.store.enter_indicator_value(&user.principal, id, indicator, year, raw, note, confirmed, version).await;
    let t = user.ctx.t();
    let (status, error, confirm) = match result {
        Ok(EntryOutcome::Saved { .. }) => {
            return Ok(crate::flash::saved(&format!("/programme/{id}/entries/{year}#indicator-{indicator}")));
        }
        Ok(EntryOutcome::NeedsConfirmation { last_year }) => {
            (StatusCode::OK, None, Some(t.arg("programme-entry-confirm", "last", &last_year.to_string())))
        }
        Err(StoreError::Invalid(errors)) => {
            let code = errors.for_field("value").or_else(|| errors.for_field("note")).unwrap_or("err-required");
            (StatusCode::UNPROCESSABLE_ENTITY, Some(t.get(code)), None)
        }
        Err(e) => return Err(e.into()),
    };
    let indicators = state.store.reporter_indicators(&user.principal, id, year).await?;
    let mut rows = rows_of(indicators);
    for row in rows.iter_mut().filter(|r| r.indicator.indicator_id == indicator) {
        row.typed = raw.to_owned();
        row.typed_note = note.to_owned();
        row.error.clone_from(&error);
        row.confirm.clone_from(&confirm);
    }
    Ok((status, page(&user, id, year, rows)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/missing.html")]
pub struct MissingPage {
    chrome: Chrome,
    id: Uuid,
    year: i16,
    rows: Vec<MissingEntry>,
    may_remind: bool,
}

pub async fn missing(
    State(state): State<AppState>,
    user: User,
    Path((id, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    let (id, year) = ids(&id, &year)?;
    let rows = state.store.missing_entries(&user.principal, id, year).await?;
    let mut chrome = Chrome::for_user(&user, "programme-missing-title");
    chrome.title = user.ctx.t().arg("programme-missing-heading", "year", &year.to_string());
    Ok(MissingPage { chrome, id, year, rows, may_remind: user.can(Permission::ManageProgramme) }.into_response())
}

pub async fn remind(
    State(state): State<AppState>,
    user: User,
    Path((id, year)): Path<(String, String)>,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let (id, year) = ids(&id, &year)?;
    let notified = state.store.remind_missing_entries(&user.principal, id, year).await?;
    let rows = state.store.missing_entries(&user.principal, id, year).await?;
    let t = user.ctx.t();
    let mut chrome = Chrome::for_user(&user, "programme-missing-title").with_notice(Some(t.arg(
        "programme-reminded",
        "count",
        &notified.to_string(),
    )));
    chrome.title = t.arg("programme-missing-heading", "year", &year.to_string());
    Ok(MissingPage { chrome, id, year, rows, may_remind: true }.into_response())
}
