//! The statutory set in its template's shape (page, CSV, XLSX), the institutions' entered lines, the data-quality
//! view of the completeness check, and the chair's approval of a year.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::statutory::LineSource;
use store::StoreError;
use store::programme::statutory::{EnterOutcome, Gap, StatutorySet};

use super::indicators::YearQuery;
use super::{this_year, year_param};
use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

/// What was typed into one entered line, with its refusal or question.
#[derive(Default)]
pub struct EntryState {
    pub line: String,
    pub typed: String,
    pub error: Option<String>,
    pub confirm: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/statutory.html")]
pub struct StatutoryPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    set: StatutorySet,
    version_text: String,
    may_enter: bool,
    may_approve: bool,
    may_see_gaps: bool,
    entry: EntryState,
    reason: String,
    reason_error: Option<String>,
    /// The county's or region's return of the latest submission, worded (the team sees what to correct).
    returned: Option<String>,
}

impl StatutoryPage {
    fn is_entered(&self, source: &LineSource) -> bool {
        *source == LineSource::Entered
    }

    /// A corrected line's template words in the page's language.
    fn correction_name(&self, c: &store::programme::statutory::Correction) -> &'static str {
        match domain::programme::statutory::template_line(c.id) {
            Some(l) if self.chrome.t.lang == crate::i18n::Lang::En => l.name_en,
            _ => c.name_pl,
        }
    }

    /// The line's template words in the page's language, "w tym: …" under the line above.
    fn shown(&self, l: &store::programme::statutory::SetLine) -> String {
        match self.chrome.t.lang {
            crate::i18n::Lang::En => domain::programme::statutory::shown_name(l.name_en, l.level, "of which"),
            _ => domain::programme::statutory::shown_name(l.name_pl, l.level, "w tym"),
        }
    }
}

fn version_text(user: &User, set: &StatutorySet) -> String {
    let t = user.ctx.t();
    match &set.approval {
        Some(a) => t.arg2(
            "statutory-version-approved",
            "version",
            &a.version.to_string(),
            "date",
            &a.approved_at.to_zoned(domain::calendar::poland_zone()).date().to_string(),
        ),
        None => t.get("statutory-version-live"),
    }
}

async fn page(
    state: &AppState,
    user: &User,
    year: i16,
    year_error: Option<String>,
    entry: EntryState,
    reason: String,
    reason_error: Option<String>,
) -> Result<StatutoryPage, PageError> {
    let set = state.store.statutory_set(&user.principal, year).await?;
    let returned = state.store.submission_return(&user.principal, year).await?.map(|(at, by, comment)| {
        user.ctx.t().args(
            "statutory-returned",
            &[
                ("by", by),
                ("date", at.to_zoned(domain::calendar::poland_zone()).strftime("%d.%m.%Y").to_string()),
                ("comment", comment),
            ],
        )
    });
    let mut chrome = Chrome::for_user(user, "programme-statutory-title");
    chrome.title = user.ctx.t().arg("programme-statutory-heading", "year", &year.to_string());
    Ok(StatutoryPage {
        version_text: version_text(user, &set),
        year,
        year_error,
        set,
        may_enter: user.can(Permission::ManageProgramme) || user.can(Permission::EnterIndicators),
        may_approve: user.principal.roles.permits(Permission::ChairDecisions),
        may_see_gaps: user.can(Permission::ManageProgramme),
        entry,
        reason,
        reason_error,
        returned,
        chrome,
    })
}

fn year_of(raw: &str) -> Result<i16, PageError> {
    raw.parse::<i16>().ok().filter(|y| (2000..=2100).contains(y)).ok_or(PageError::from(ErrorPage::NotFound))
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    // The set is due for the year that has just ended.
    let (year, year_error) = year_param(q.year.as_deref(), this_year(&state) - 1);
    let t = user.ctx.t();
    Ok(page(&state, &user, year, year_error.map(|e| t.get(e)), EntryState::default(), String::new(), None)
        .await?
        .into_response())
}

pub async fn csv(State(state): State<AppState>, user: User, Path(year): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    let set = state.store.statutory_set(&user.principal, year_of(&year)?).await?;
    let name = format!("attachment; filename=\"sprawozdanie-rpppd-{}-{}.csv\"", set.teryt, set.year);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
        set.to_csv(),
    )
        .into_response())
}

pub async fn xlsx(State(state): State<AppState>, user: User, Path(year): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    let set = state.store.statutory_set(&user.principal, year_of(&year)?).await?;
    let rows: Vec<documents::statutory::StatutoryRow<'_>> = set
        .lines
        .iter()
        .map(|l| documents::statutory::StatutoryRow {
            reference: l.reference,
            name_pl: l.name_pl,
            level: l.level,
            value: l.value,
            text: None,
            municipalities: None,
        })
        .collect();
    let version = match &set.approval {
        Some(a) => format!("Zatwierdzona wersja {}", a.version),
        None => "Dane bieżące, niezatwierdzone".to_owned(),
    };
    let heading = format!("{} ({}), rok {}", set.tenant_name, set.teryt, set.year);
    let bytes = documents::statutory::statutory_xlsx(&heading, &version, &rows)
        .map_err(|e| ErrorPage::Internal(crate::error::log_internal(&e)))?;
    let name = format!("attachment; filename=\"sprawozdanie-rpppd-{}-{}.xlsx\"", set.teryt, set.year);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// One entered line per submit; a refused value stays typed beside its field.
pub async fn enter(
    State(state): State<AppState>,
    user: User,
    Path(year): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !user.can(Permission::ManageProgramme) && !user.can(Permission::EnterIndicators) {
        return Err(ErrorPage::Forbidden.into());
    }
    let year = year_of(&year)?;
    let (line, raw) = (field(&body, "line"), field(&body, "value"));
    let confirmed = field(&body, "confirm") == "yes";
    let t = user.ctx.t();
    let result = state.store.enter_statutory_line(&user.principal, year, line, raw, confirmed).await;
    let (status, error, confirm) = match result {
        Ok(EnterOutcome::Saved) => {
            return Ok(crate::flash::saved(&format!("/programme/statutory?year={year}#line-{line}")));
        }
        Ok(EnterOutcome::NeedsConfirmation { last_year }) => {
            (StatusCode::OK, None, Some(t.arg("programme-entry-confirm", "last", &last_year.to_string())))
        }
        Err(StoreError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Some(t.get(errors.for_field("value").unwrap_or("err-required"))), None)
        }
        Err(e) => return Err(e.into()),
    };
    if !user.can(Permission::ViewAggregates) {
        // A reporter sees no figures: only the message.
        return Ok((status, error.or(confirm).unwrap_or_default()).into_response());
    }
    let entry = EntryState { line: line.to_owned(), typed: raw.to_owned(), error, confirm };
    Ok((status, page(&state, &user, year, None, entry, String::new(), None).await?).into_response())
}

/// The chair approves the year; with gaps only with a written reason (kept typed when refused).
pub async fn approve(
    State(state): State<AppState>,
    user: User,
    Path(year): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    let year = year_of(&year)?;
    let reason = field(&body, "reason");
    match state.store.approve_statutory(&user.principal, year, reason).await {
        Ok(_) => Ok(crate::flash::saved(&format!("/programme/statutory?year={year}"))),
        Err(StoreError::Invalid(errors)) => {
            let error = user.ctx.t().get(errors.for_field("reason").unwrap_or("err-required"));
            let page = page(&state, &user, year, None, EntryState::default(), reason.to_owned(), Some(error)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub struct GapGroup {
    pub institution: String,
    pub gaps: Vec<(String, Gap)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/statutory_gaps.html")]
pub struct GapsPage {
    chrome: Chrome,
    year: i16,
    groups: Vec<GapGroup>,
}

/// The data-quality view: the completeness check's gaps by institution, each with a link to its case. The team.
pub async fn gaps(State(state): State<AppState>, user: User, Path(year): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let year = year_of(&year)?;
    let t = user.ctx.t();
    let mut groups: Vec<GapGroup> = Vec::new();
    for gap in state.store.statutory_gaps(&user.principal, year).await? {
        let institution = gap.institution.clone().unwrap_or_else(|| t.get("statutory-gaps-no-institution"));
        if groups.last().is_none_or(|g| g.institution != institution) {
            groups.push(GapGroup { institution: institution.clone(), gaps: Vec::new() });
        }
        if let Some(g) = groups.last_mut() {
            g.gaps.push((t.get(gap.kind.message()), gap));
        }
    }
    let mut chrome = Chrome::for_user(&user, "statutory-gaps-title");
    chrome.title = t.arg("statutory-gaps-heading", "year", &year.to_string());
    Ok(GapsPage { chrome, year, groups }.into_response())
}
