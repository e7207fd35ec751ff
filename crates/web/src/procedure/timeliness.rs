//! The chair's timeliness page: every clock of the cases opened in a year, each breach with its recorded reason, and
//! the average days from form A to the support group and to its first meeting (the figures the NIK audit asked for).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use serde::Deserialize;

use super::show::{DeadlineRow, deadline_row};
use crate::error::{ErrorPage, PageError};
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Period {
    #[serde(default)]
    year: Option<String>,
}

pub struct RuleRow {
    pub name: &'static str,
    pub basis: &'static str,
    pub on_time: u32,
    pub late: u32,
    pub overdue: u32,
    pub running: u32,
    /// An unconfirmed reading (\[U\]): its late and overdue clocks are not breaches.
    pub unconfirmed: bool,
}

pub struct BreachRow {
    pub id: uuid::Uuid,
    pub number: String,
    pub deadline: DeadlineRow,
    pub reason: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/timeliness.html")]
pub struct TimelinessPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    cases: u32,
    rules: Vec<RuleRow>,
    breaches: Vec<BreachRow>,
    /// Past their date by an unconfirmed reading, shown apart (item 2 of issue 15).
    unconfirmed: Vec<BreachRow>,
    /// Whether the municipality counts unconfirmed readings as breaches (then `unconfirmed` is empty).
    escalate_unconfirmed: bool,
    avg_to_group: String,
    avg_to_meeting: String,
    max_to_group: String,
    max_to_meeting: String,
}

fn breach_row(t: &crate::i18n::Tr, b: &store::procedure::Breach) -> BreachRow {
    BreachRow {
        id: b.procedure_id,
        number: b.number.clone(),
        deadline: deadline_row(t, &b.deadline),
        reason: b.reason.clone(),
    }
}

fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |d| format!("{d:.1}").replace('.', ","))
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(period): Query<Period>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let t = user.ctx.t();
    let zone = domain::calendar::poland_zone();
    let this_year = state.store.now().to_zoned(zone.clone()).year();
    // A year typed wrong is said so, and the current year is shown instead.
    let (year, year_error) = match period.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => (this_year, None),
        Some(raw) => match raw.parse::<i16>() {
            Ok(y) if (2005..=9998).contains(&y) => (y, None),
            _ => (this_year, Some(t.get("err-year-format"))),
        },
    };
    let start = |y: i16| {
        jiff::civil::date(y, 1, 1).to_zoned(zone.clone()).map(|z| z.timestamp()).map_err(|_| ErrorPage::BadRequest)
    };
    let report = state.store.timeliness(&user.caller(), start(year)?, start(year + 1)?).await?;
    let mut chrome = Chrome::for_user(&user, "timeliness-title");
    chrome.title = t.arg("timeliness-heading", "year", &year.to_string());
    Ok(TimelinessPage {
        year,
        year_error,
        cases: report.cases,
        rules: report
            .rules
            .iter()
            .map(|r| RuleRow {
                name: t.rule_name(r.rule_id, r.name_pl),
                basis: r.legal_basis,
                on_time: r.met_on_time,
                late: r.met_late,
                overdue: r.overdue,
                running: r.running,
                unconfirmed: r.unconfirmed,
            })
            .collect(),
        breaches: report.breaches.iter().map(|b| breach_row(&t, b)).collect(),
        unconfirmed: report.unconfirmed.iter().map(|b| breach_row(&t, b)).collect(),
        escalate_unconfirmed: state.store.clock_settings(&user.principal).await?.escalate_unconfirmed,
        avg_to_group: days(report.avg_days_to_group),
        avg_to_meeting: days(report.avg_days_to_first_meeting),
        max_to_group: days(report.max_days_to_group),
        max_to_meeting: days(report.max_days_to_first_meeting),
        chrome,
    }
    .into_response())
}
