//! The computed indicators page and the records behind one figure (the statutory set: statutory.rs).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::{ComputedKey, definition};
use serde::Deserialize;

use super::{this_year, year_param};
use crate::error::{ErrorPage, PageError};
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub(crate) year: Option<String>,
}

pub struct IndicatorRow {
    pub key: &'static str,
    pub name: &'static str,
    pub rule: &'static str,
    pub total: i64,
    pub breakdown: Vec<(String, i64)>,
    pub note: Option<String>,
    pub lists_records: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/indicators.html")]
pub struct IndicatorsPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    rows: Vec<IndicatorRow>,
    may_open_records: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    let t = user.ctx.t();
    let (year, year_error) = year_param(q.year.as_deref(), this_year(&state));
    let values = state.store.computed_indicators(&user.principal, year, true).await?;
    let english = t.lang.code() == "en";
    let rows = values
        .into_iter()
        .map(|v| {
            let d = definition(v.key);
            IndicatorRow {
                key: v.key.as_str(),
                name: if english { d.name_en } else { d.name_pl },
                rule: if english { d.rule_en } else { d.rule_pl },
                total: v.total,
                // A breakdown's part is a stored code (an initiating institution's kind): shown in words.
                breakdown: v
                    .breakdown
                    .into_iter()
                    .map(|(part, n)| {
                        let id = format!("kind-{part}");
                        let words = t.get(&id);
                        (if words == id { part } else { words }, n)
                    })
                    .collect(),
                note: v.note,
                lists_records: d.lists_records,
            }
        })
        .collect();
    let mut chrome = Chrome::for_user(&user, "programme-indicators-title");
    chrome.title = t.arg("programme-indicators-heading", "year", &year.to_string());
    Ok(IndicatorsPage {
        year,
        year_error: year_error.map(|e| t.get(e)),
        rows,
        may_open_records: user.can(Permission::ManageProgramme),
        chrome,
    }
    .into_response())
}

/// One case or record behind a figure, as a person reads it: the case's number, the day the counted thing happened
/// and its category in words (never a record's id or a stored code).
pub struct RecordRow {
    pub procedure_id: uuid::Uuid,
    pub number: String,
    pub day: Option<String>,
    pub category: Option<String>,
}

/// A stored category code in words: where it comes from depends on what the figure counts.
fn category_words(t: &crate::i18n::Tr, key: ComputedKey, code: String) -> String {
    use domain::forms::records::{RecordKind, record_definition};
    let message = |prefix: &str| {
        let id = format!("{prefix}-{code}");
        Some(t.get(&id)).filter(|w| *w != id)
    };
    let option = |kind: RecordKind| {
        let (section, field) = kind.tag_field()?;
        let def = record_definition(kind);
        let field = def.field(section, field)?;
        let option = field.field_type.options().iter().find(|o| o.value == code)?;
        Some(t.option_label(def, section, field, option).to_owned())
    };
    let words = match key {
        ComputedKey::Closures => message("closing"),
        ComputedKey::ReferralSteps => message("referral-done"),
        ComputedKey::GroupMeetingsHeld => message("dashboard-with-whom"),
        ComputedKey::Letters => option(RecordKind::Letter),
        _ => message("kind"),
    };
    words.unwrap_or(code)
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/records.html")]
pub struct RecordsPage {
    chrome: Chrome,
    year: i16,
    rule: &'static str,
    rows: Vec<RecordRow>,
}

/// The cases and records behind one figure (the team; audited by the store).
pub async fn records(
    State(state): State<AppState>,
    user: User,
    Path((year, key)): Path<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
    let key = ComputedKey::parse(&key).ok_or(ErrorPage::NotFound)?;
    let rows = state.store.indicator_records(&user.principal, key, year).await?;
    let d = definition(key);
    let t = user.ctx.t();
    let english = t.lang.code() == "en";
    let mut chrome = Chrome::for_user(&user, "programme-records-title");
    chrome.title = format!("{} — {year}", if english { d.name_en } else { d.name_pl });
    Ok(RecordsPage {
        year,
        rule: if english { d.rule_en } else { d.rule_pl },
        rows: rows
            .into_iter()
            .map(|r| RecordRow {
                procedure_id: r.procedure_id,
                number: r.procedure_number,
                day: r.at.map(|at| crate::team::day(at.to_zoned(domain::calendar::poland_zone()).date())),
                category: r.category.map(|c| category_words(&t, key, c)),
            })
            .collect(),
        chrome,
    }
    .into_response())
}
