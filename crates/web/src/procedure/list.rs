//! The case list: every case the account may see, newest first, narrowed by a GET form (phase, opening dates,
//! part of the number) and paged. Need-to-know is the store's; the filter only narrows.
//!
//! Search by person (issue 16) sits above it: a POST form (CSRF, and no PESEL or name in an address, a browser's
//! history or a server log) whose answer is this page with the cases found in place of the list, or "no procedure
//! found for …" (which, by the store's rule, is also the answer for a case the reader may not see).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::Permission;
use domain::person::search::{SearchQuery, SearchRole};
use serde::Deserialize;
use store::procedure::{CaseListFilter, PHASE_NAMES, ProcedureSummary, SearchHit, phase_name};

use crate::audit::{day_start, parse_day};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::identity::login::local_time;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

const PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/list.html")]
pub struct ListPage {
    chrome: Chrome,
    rows: Vec<ProcedureSummary>,
    can_open: bool,
    form: FormState,
    phases: [&'static str; 6],
    /// The next page's address, the filter kept.
    next: Option<String>,
    /// The export links' query (the filter kept), without the format.
    export_query: String,
    /// The search box: what was typed and the message beside it.
    search_form: FormState,
    /// The answer to a search, shown in place of the list.
    search: Option<SearchAnswer>,
}

/// What a search found, as the page shows it.
pub struct SearchAnswer {
    /// As typed (trimmed): "no procedure found for …" repeats nothing more.
    typed: String,
    hits: Vec<SearchHit>,
    truncated: bool,
    /// Older forms still wait for the index: the answer may be incomplete.
    pending: bool,
}

impl ListPage {
    fn opened(&self, r: &ProcedureSummary) -> String {
        let zone = domain::calendar::poland_zone();
        format!("{} {}", r.opened_at.to_zoned(zone).date(), local_time(r.opened_at))
    }

    /// The roles a search matched, in words; the case number when it was the number that matched.
    fn roles(&self, hit: &SearchHit) -> String {
        let t = &self.chrome.t;
        if hit.roles.is_empty() {
            return t.get("search-matched-number");
        }
        hit.roles.iter().map(|r| role_label(t, *r)).collect::<Vec<_>>().join(", ")
    }
}

pub(crate) fn role_label(t: &crate::i18n::Tr, role: SearchRole) -> String {
    t.get(&format!("search-role-{}", role.as_str().replace('_', "-")))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    offset: Option<i64>,
    /// Set after a form A was attached to an existing case: say so.
    #[serde(default)]
    attached: Option<String>,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    number: String,
}

/// The names of the filter's fields (phase, from, until, number), for the errors: the page's and the API's.
pub(crate) type FilterFields = [&'static str; 4];
pub(crate) const PAGE_FIELDS: FilterFields = ["phase", "from", "until", "number"];
pub(crate) const API_FIELDS: FilterFields = ["phase", "opened_from", "opened_to", "number"];

/// The store's filter from the typed values, or the field errors to show beside them. Shared with the API.
pub(crate) fn case_filter(
    names: FilterFields,
    phase: &str,
    from: &str,
    until: &str,
    number: &str,
) -> Result<CaseListFilter, FieldErrors> {
    let [phase_field, from_field, until_field, number_field] = names;
    let mut errors = FieldErrors::new();
    let phase = match phase.trim() {
        "" => None,
        p => errors.check(phase_field, phase_name(p).ok_or("err-phase-unknown")),
    };
    let from = errors.check(from_field, parse_day(from)).flatten();
    let until = errors.check(until_field, parse_day(until)).flatten();
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        errors.add(until_field, "err-date-range-reversed");
    }
    if number.chars().count() > 20 {
        errors.add(number_field, "err-number-part-too-long");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseListFilter {
        phase,
        opened_from: from.and_then(day_start),
        // "Until" includes the day: the list takes cases opened before the next day's start.
        opened_before: until.and_then(|d| d.tomorrow().ok()).and_then(day_start),
        number: Some(number.trim().to_owned()).filter(|n| !n.is_empty()),
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let t = user.ctx.t();
    let offset = q.offset.unwrap_or(0).max(0);
    let notice = q.attached.as_ref().map(|_| t.get("form-a-attached"));
    let filter = case_filter(PAGE_FIELDS, &q.phase, &q.from, &q.until, &q.number);
    let mut form = FormState::new()
        .with("phase", &q.phase)
        .with("from", &q.from)
        .with("until", &q.until)
        .with("number", &q.number);
    let (status, rows) = match &filter {
        Ok(filter) => {
            (StatusCode::OK, state.store.list_procedures_filtered(&user.principal, filter, PAGE, offset).await?)
        }
        Err(errors) => {
            form = form.with_errors(errors, &t);
            (StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
        }
    };
    let next = (rows.len() as i64 == PAGE).then(|| {
        let query = serde_urlencoded::to_string([
            ("phase", q.phase.as_str()),
            ("from", q.from.as_str()),
            ("until", q.until.as_str()),
            ("number", q.number.as_str()),
            ("offset", &(offset + PAGE).to_string()),
        ])
        .unwrap_or_default();
        format!("/procedures?{query}")
    });
    let export_query = serde_urlencoded::to_string([
        ("phase", q.phase.as_str()),
        ("from", q.from.as_str()),
        ("until", q.until.as_str()),
        ("number", q.number.as_str()),
    ])
    .unwrap_or_default();
    let page = ListPage {
        chrome: Chrome::for_user(&user, "procedures-title").with_notice(notice),
        rows,
        can_open: user.can(Permission::OpenProcedure),
        form,
        phases: PHASE_NAMES,
        next,
        export_query,
        search_form: FormState::new(),
        search: None,
    };
    Ok((status, page).into_response())
}

/// `POST /procedures/search`: the cases the reader may see in which the typed person (surname, first name and
/// surname, PESEL) or case number appears. A bad entry (one letter, a PESEL with a wrong check digit) is a message
/// beside the box, the entry kept (422).
pub async fn search(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let t = user.ctx.t();
    let typed = field(&body, "person");
    let mut search_form = FormState::new().with("person", typed);
    let (status, search) = match SearchQuery::parse(typed) {
        Ok(query) => {
            let found = state.store.search_procedures(&user.caller(), &query).await?;
            let pending = state.store.forms_pending_search_index(&user.principal).await? > 0;
            let answer =
                SearchAnswer { typed: typed.trim().to_owned(), hits: found.hits, truncated: found.truncated, pending };
            (StatusCode::OK, Some(answer))
        }
        Err(code) => {
            search_form = search_form.error("person", t.get(code));
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        }
    };
    let page = ListPage {
        chrome: Chrome::for_user(&user, "procedures-title"),
        rows: Vec::new(),
        can_open: user.can(Permission::OpenProcedure),
        form: FormState::new(),
        phases: PHASE_NAMES,
        next: None,
        export_query: String::new(),
        search_form,
        search,
    };
    Ok((status, page).into_response())
}

/// At most this many cases in one export (a town's whole history fits many times over).
const EXPORT_MAX: i64 = 100_000;

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    /// `csv`, `csv-semicolon` (Polish Excel) or `xlsx`.
    #[serde(default)]
    format: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    number: String,
}

/// `GET /procedures/export`: the case list as filtered on its page, same need-to-know, every case (not one page),
/// as CSV or XLSX. The export is recorded in the audit trail.
pub async fn export(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    use axum::http::header;
    user.require(Permission::ViewProcedures)?;
    let filter = case_filter(PAGE_FIELDS, &q.phase, &q.from, &q.until, &q.number)
        .map_err(|_| crate::error::ErrorPage::BadRequest)?;
    let (content_type, extension) = match q.format.as_str() {
        "csv" | "csv-semicolon" => ("text/csv; charset=utf-8", "csv"),
        "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        _ => return Err(crate::error::ErrorPage::BadRequest.into()),
    };
    let rows = state.store.list_procedures_filtered(&user.principal, &filter, EXPORT_MAX, 0).await?;
    let t = user.ctx.t();
    let zone = domain::calendar::poland_zone();
    let table = documents::Table {
        name: t.get("procedures-title"),
        headers: vec![t.get("col-number"), t.get("col-opened"), t.get("col-phase")],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.number.clone(),
                    r.opened_at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string(),
                    super::phase_label(&t, &r.phase),
                ]
            })
            .collect(),
    };
    let bytes = match q.format.as_str() {
        "csv" => documents::to_csv(&table, documents::Delimiter::Comma),
        "csv-semicolon" => documents::to_csv(&table, documents::Delimiter::Semicolon),
        _ => {
            documents::to_xlsx(&table).map_err(|e| crate::error::ErrorPage::Internal(crate::error::log_internal(&e)))?
        }
    };
    state
        .store
        .record_event(
            &user.actor(),
            store::AuditRecord::new(domain::audit::AuditAction::ReadPersonalData, "case_list", "export")
                .in_tenant(user.principal.tenant_id)
                .detail(format!("{} {} rows", q.format, rows.len())),
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"sprawy.{extension}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
