//! The case list: every case the account may see, newest first, narrowed by a GET form (phase, opening dates,
//! part of the number) and paged. Need-to-know is the store's; the filter only narrows.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::Permission;
use serde::Deserialize;
use store::procedure::{CaseListFilter, PHASE_NAMES, ProcedureSummary, phase_name};

use crate::audit::{day_start, parse_day};
use crate::error::PageError;
use crate::identity::login::local_time;
use crate::page::{Chrome, FormState};
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
}

impl ListPage {
    fn opened(&self, r: &ProcedureSummary) -> String {
        let zone = domain::calendar::poland_zone();
        format!("{} {}", r.opened_at.to_zoned(zone).date(), local_time(r.opened_at))
    }
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
    let page = ListPage {
        chrome: Chrome::for_user(&user, "procedures-title").with_notice(notice),
        rows,
        can_open: user.can(Permission::OpenProcedure),
        form,
        phases: PHASE_NAMES,
        next,
    };
    Ok((status, page).into_response())
}
