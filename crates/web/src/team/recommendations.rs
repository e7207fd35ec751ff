//! `/team/recommendations`: the team's conclusions and recommendations to the mayor by year, with their form, and
//! the year's letter to the mayor (PDF and ODT). The texts are decrypted by the store, which audits every read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::team::RecommendationStatus;
use serde::Deserialize;
use store::StoreError;
use store::team::{Recommendation, RecommendationDraft};
use uuid::Uuid;

use super::{opt_day, version_of, year_of};
use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<String>,
}

pub struct RecommendationRow {
    pub r: Recommendation,
    pub status: String,
    pub submitted: String,
    pub responded: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/recommendations.html")]
pub struct RecommendationsPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    rows: Vec<RecommendationRow>,
    statuses: Vec<(&'static str, String)>,
    action: String,
    version: i64,
    editing: bool,
    form: FormState,
}

pub(crate) fn status_label(t: &crate::i18n::Tr, s: RecommendationStatus) -> String {
    t.get(&format!("recommendation-status-{}", s.as_str().replace('_', "-")))
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
) -> Result<RecommendationsPage, PageError> {
    let chrome = Chrome::for_user(user, "recommendations-title").with_notice(notice);
    let (year, year_error) = year_of(year, state.store.today().year(), &chrome.t);
    let list = state.store.recommendations(&user.caller(), year).await?;
    let rows = list
        .into_iter()
        .map(|r| RecommendationRow {
            status: status_label(&chrome.t, r.status),
            submitted: opt_day(r.submitted_on),
            responded: opt_day(r.responded_on),
            r,
        })
        .collect();
    let statuses = RecommendationStatus::ALL.iter().map(|s| (s.as_str(), status_label(&chrome.t, *s))).collect();
    Ok(RecommendationsPage { chrome, year, year_error, rows, statuses, action, version, editing, form })
}

fn draft_of(body: &[(String, String)]) -> RecommendationDraft {
    let f = |k: &str| field(body, k).to_owned();
    RecommendationDraft {
        year: f("year"),
        addressee: f("addressee"),
        recommendation: f("recommendation"),
        justification: f("justification"),
        status: f("status"),
        submitted_on: f("submitted_on"),
        response: f("response"),
        responded_on: f("responded_on"),
        follow_up: f("follow_up"),
    }
}

fn form_of(d: &RecommendationDraft) -> FormState {
    FormState::new()
        .with("year", &d.year)
        .with("addressee", &d.addressee)
        .with("recommendation", &d.recommendation)
        .with("justification", &d.justification)
        .with("status", &d.status)
        .with("submitted_on", &d.submitted_on)
        .with("response", &d.response)
        .with("responded_on", &d.responded_on)
        .with("follow_up", &d.follow_up)
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let this_year = state.store.today().year().to_string();
    let form = FormState::new().with("status", "draft").with("year", q.year.as_deref().unwrap_or(&this_year));
    let p = page(&state, &user, q.year.as_deref(), "/team/recommendations".into(), 0, false, form, None).await?;
    Ok(p.into_response())
}

/// Adds (no id) or changes (an id) a recommendation; refused input comes back beside its fields, as typed.
async fn save(
    state: AppState,
    user: User,
    id: Option<Uuid>,
    body: Vec<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let draft = draft_of(&body);
    let version = version_of(&body);
    let result = match (draft.validate(state.store.today()), id) {
        (Ok(input), None) => state.store.create_recommendation(&user.caller(), &input).await.map(drop),
        (Ok(input), Some(id)) => state.store.update_recommendation(&user.caller(), id, &input, version).await,
        (Err(e), _) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    let action = id.map_or_else(|| "/team/recommendations".to_owned(), |id| format!("/team/recommendations/{id}"));
    let year = Some(draft.year.as_str()).filter(|y| y.trim().parse::<i16>().is_ok());
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/team/recommendations?year={}", draft.year.trim()))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let p = page(&state, &user, year, action, version, id.is_some(), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let p = page(&state, &user, year, action, version, true, form_of(&draft), Some(t.get("record-conflict")))
                .await?;
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

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let r = state.store.recommendation(&user.caller(), id).await?;
    let year = r.year.to_string();
    let form = form_of(&r.to_draft());
    let p =
        page(&state, &user, Some(&year), format!("/team/recommendations/{id}"), r.version, true, form, None).await?;
    Ok(p.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(state, user, Some(id), body).await
}

/// The year's letter to the mayor: every recommendation past its draft. PDF or ODT by the path's extension; the
/// document is recorded in the audit trail (the store's read is audited too).
pub async fn letter(
    State(state): State<AppState>,
    user: User,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let not_found = || PageError::from(crate::error::ErrorPage::NotFound);
    let (year, extension) = file.split_once('.').ok_or_else(not_found)?;
    let year: i16 = year.parse().map_err(|_| not_found())?;
    if !matches!(extension, "pdf" | "odt") || !(2005..=state.store.today().year()).contains(&year) {
        return Err(not_found());
    }
    let list = state.store.recommendations(&user.caller(), year).await?;
    let tenant_name = user.principal.tenant_name.clone().unwrap_or_default();
    let institution = if tenant_name.is_empty() {
        "Zespół interdyscyplinarny".to_owned()
    } else {
        format!("Zespół interdyscyplinarny – {tenant_name}")
    };
    let now = state.clock.now().to_zoned(domain::calendar::poland_zone());
    let letter = documents::RecommendationsLetter {
        tenant_name,
        year,
        place_and_date: now.strftime("%d.%m.%Y").to_string(),
        recommendations: list
            .iter()
            .filter(|r| r.status != RecommendationStatus::Draft)
            .map(Recommendation::to_report)
            .collect(),
    };
    let ctx = documents::RenderContext { institution: institution.clone(), created_at: now, watermark: None };
    let pdf = extension == "pdf";
    let bytes = tokio::task::spawn_blocking(move || {
        if pdf {
            documents::recommendations_letter_pdf(&letter, &ctx)
        } else {
            documents::recommendations_letter_odt(&letter, &institution)
        }
    })
    .await
    .map_err(|e| StoreError::Io(e.to_string()))?
    .map_err(|e| StoreError::Io(e.to_string()))?;
    let audit = store::AuditRecord::new(
        domain::audit::AuditAction::ReadPersonalData,
        "team_recommendation",
        format!("letter {year}"),
    )
    .in_tenant(user.principal.tenant_id)
    .detail(extension.to_owned());
    state.store.record_event(&user.actor(), audit).await?;
    let content_type = if pdf { "application/pdf" } else { "application/vnd.oasis.opendocument.text" };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"rekomendacje-{year}.{extension}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
