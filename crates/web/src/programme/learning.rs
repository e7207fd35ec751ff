//! What the team learns from its work (issue 18 items 1–2): the local diagnosis (page, PDF, the ODT draft the team
//! completes) and the outcomes of support (page, and for the team the cases behind each figure), for a span of years.
//!
//! The team (ManageProgramme) sees exact figures and may ask for the version for sharing; the aggregate viewers and
//! programme reporters get only that version (the store decides, cells of 1–4 shown as "<5"). Every table has a
//! server-drawn SVG chart beside it and is itself the chart's accessible text.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::diagnosis::{Cell, LearningReport, RowKind, Table, check_span};
use serde::Deserialize;

use super::this_year;
use crate::error::{ErrorPage, PageError};
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct SpanQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    /// "1" for the version shared beyond the team.
    #[serde(default)]
    sharing: Option<String>,
}

/// Which of the two pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Diagnosis,
    Outcomes,
}

/// A cell as the page shows it, with the link to its cases when the team may open them.
pub struct CellView {
    pub text: String,
    pub column: String,
    pub href: Option<String>,
}

pub struct RowView {
    pub label: String,
    pub cells: Vec<CellView>,
}

pub struct TableView {
    pub id: &'static str,
    pub title: &'static str,
    pub rule: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<RowView>,
    pub svg: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/learning.html")]
pub struct LearningPage {
    chrome: Chrome,
    diagnosis: bool,
    from: String,
    to: String,
    from_error: Option<String>,
    to_error: Option<String>,
    /// Shown for sharing (asked, or the only version this reader gets).
    sharing: bool,
    may_choose_sharing: bool,
    may_draft: bool,
    /// The other page is open to this reader (a programme reporter sees only the diagnosis).
    may_switch: bool,
    empty: bool,
    span: String,
    tables: Vec<TableView>,
}

/// Who may see the figures at all: the team, the aggregate viewers, the programme reporters.
fn require_figures(user: &User) -> Result<(), PageError> {
    if user.can(Permission::ViewAggregates) || user.can(Permission::EnterIndicators) {
        Ok(())
    } else {
        Err(ErrorPage::Forbidden.into())
    }
}

/// The span asked for: the last five years up to this one by default; a typed span checked, its error beside the
/// field and what was typed kept.
fn span_of(q: &SpanQuery, this_year: i16) -> Result<(i16, i16), (&'static str, &'static str)> {
    let from = q.from.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let to = q.to.as_deref().map(str::trim).filter(|s| !s.is_empty());
    check_span(from.unwrap_or(&(this_year - 4).to_string()), to.unwrap_or(&this_year.to_string()), this_year)
}

pub async fn diagnosis(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<SpanQuery>,
) -> Result<Response, PageError> {
    require_figures(&user)?;
    page(&state, &user, &q, Which::Diagnosis).await
}

pub async fn outcomes(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<SpanQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAggregates)?;
    page(&state, &user, &q, Which::Outcomes).await
}

async fn page(state: &AppState, user: &User, q: &SpanQuery, which: Which) -> Result<Response, PageError> {
    let t = user.ctx.t();
    let english = t.lang.code() == "en";
    let team = user.can(Permission::ManageProgramme);
    let asked_sharing = q.sharing.as_deref() == Some("1");
    let this_year = this_year(state);
    let title = if which == Which::Diagnosis { "learning-diagnosis-title" } else { "learning-outcomes-title" };
    let mut page = LearningPage {
        chrome: Chrome::for_user(user, title),
        diagnosis: which == Which::Diagnosis,
        from: q.from.clone().unwrap_or_else(|| (this_year - 4).to_string()),
        to: q.to.clone().unwrap_or_else(|| this_year.to_string()),
        from_error: None,
        to_error: None,
        sharing: asked_sharing || !team,
        may_choose_sharing: team,
        may_draft: team && which == Which::Diagnosis,
        may_switch: user.can(Permission::ViewAggregates),
        empty: false,
        span: String::new(),
        tables: Vec::new(),
    };
    let (from, to) = match span_of(q, this_year) {
        Ok(span) => span,
        Err((field, code)) => {
            if field == "from" {
                page.from_error = Some(t.get(code));
            } else {
                page.to_error = Some(t.get(code));
            }
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let report = match which {
        Which::Diagnosis => state.store.local_diagnosis(&user.principal, from, to, asked_sharing).await?,
        Which::Outcomes => state.store.support_outcomes(&user.principal, from, to, asked_sharing).await?,
    };
    page.sharing = report.for_sharing;
    page.empty = report.empty;
    page.span = if from == to { from.to_string() } else { format!("{from}–{to}") };
    page.tables = report.tables.iter().map(|table| table_view(table, english, &report)).collect();
    Ok(page.into_response())
}

fn table_view(table: &Table, english: bool, report: &LearningReport) -> TableView {
    let columns: Vec<String> = (0..table.columns.len()).map(|i| table.column(i, english).to_owned()).collect();
    let rows = table
        .rows
        .iter()
        .map(|row| RowView {
            label: row.label(english).to_owned(),
            cells: (0..row.cells.len())
                .map(|i| {
                    let column = columns.get(i).cloned().unwrap_or_default();
                    // A year column of a figure with cases behind it, when it counts some: the team opens them.
                    let href = row.figure.filter(|_| row.value(i).is_some_and(|v| v > 0)).and_then(|figure| {
                        let year = column.parse::<i16>().ok().filter(|y| (report.from..=report.to).contains(y))?;
                        Some(format!("/programme/outcomes/{year}/{figure}"))
                    });
                    CellView { text: row.shown(i, english), column, href }
                })
                .collect(),
        })
        .collect();
    TableView {
        id: table.id,
        title: table.title(english),
        rule: table.rule(english),
        svg: chart_svg(&table.chart_bars(english), &table.chart_caption(english), english),
        columns,
        rows,
    }
}

/// A horizontal bar chart drawn on the server: one bar per shown value, its label and figure as text, nothing
/// scripted. A cell shown as "<5" or "—" gets no bar, only its text. Labels are escaped.
fn chart_svg(bars: &[(String, Cell, RowKind)], caption: &str, english: bool) -> String {
    let esc = |s: &str| askama::filters::escape(s, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default();
    let max = bars
        .iter()
        .filter_map(|(_, c, _)| if let Cell::Value(v) = c { Some(*v) } else { None })
        .max()
        .unwrap_or(0)
        .max(1);
    let (label_width, bar_width, row) = (190, 200, 26);
    let width = label_width + bar_width + 70;
    let height = bars.len() * row + 8;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\">",
        esc(caption)
    );
    for (i, (label, cell, kind)) in bars.iter().enumerate() {
        let y = 4 + i * row;
        let short: String = if label.chars().count() > 30 {
            label.chars().take(29).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        let w = match cell {
            Cell::Value(v) => usize::try_from((*v).max(0).saturating_mul(bar_width as i64) / max).unwrap_or(0),
            _ => 0,
        };
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect x=\"{}\" y=\"{}\" width=\"{w}\" height=\"18\" fill=\"#2b5f8a\"></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            label_width - 6,
            y + 13,
            esc(&short),
            label_width,
            y,
            label_width + w + 4,
            y + 13,
            esc(&cell.shown(*kind, english)),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The diagnosis as PDF: the team's exact figures, or (`?sharing=1`, and always for the aggregate viewers) the
/// version for sharing. The store's pass is audited.
pub async fn diagnosis_pdf(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<SpanQuery>,
) -> Result<Response, PageError> {
    require_figures(&user)?;
    let (from, to) = span_of(&q, this_year(&state)).map_err(|_| ErrorPage::BadRequest)?;
    let report = state.store.local_diagnosis(&user.principal, from, to, q.sharing.as_deref() == Some("1")).await?;
    let ctx = documents::RenderContext {
        institution: institution(&user),
        created_at: state.clock.now().to_zoned(domain::calendar::poland_zone()),
        watermark: None,
    };
    let suffix = if report.for_sharing { "-do-udostepnienia" } else { "" };
    let rendered =
        tokio::task::spawn_blocking(move || documents::learning_pdf(&report, documents::LearningKind::Diagnosis, &ctx))
            .await;
    let bytes = rendered.map_err(|e| internal(&e.to_string()))?.map_err(|e| internal(&e.to_string()))?;
    Ok(file(bytes, "application/pdf", &format!("diagnoza-{from}-{to}{suffix}.pdf")))
}

/// The editable draft of the diagnosis document (ODT), for the team to complete.
pub async fn diagnosis_odt(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<SpanQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let (from, to) = span_of(&q, this_year(&state)).map_err(|_| ErrorPage::BadRequest)?;
    let report = state.store.local_diagnosis(&user.principal, from, to, q.sharing.as_deref() == Some("1")).await?;
    let institution = institution(&user);
    let rendered = tokio::task::spawn_blocking(move || documents::diagnosis_draft_odt(&report, &institution)).await;
    let bytes = rendered.map_err(|e| internal(&e.to_string()))?.map_err(|e| internal(&e.to_string()))?;
    Ok(file(bytes, "application/vnd.oasis.opendocument.text", &format!("diagnoza-{from}-{to}-projekt.odt")))
}

fn institution(user: &User) -> String {
    user.principal
        .tenant_name
        .as_ref()
        .map_or_else(|| "Zespół interdyscyplinarny".to_owned(), |n| format!("Zespół interdyscyplinarny – {n}"))
}

fn internal(e: &str) -> PageError {
    ErrorPage::Internal(crate::error::log_internal(&e)).into()
}

fn file(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub struct CaseRow {
    pub procedure_id: uuid::Uuid,
    pub number: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/learning_cases.html")]
pub struct CasesPage {
    chrome: Chrome,
    year: i16,
    rows: Vec<CaseRow>,
}

/// The cases behind one figure of the outcomes (the team; the store keeps to need-to-know and audits the list).
pub async fn outcome_cases(
    State(state): State<AppState>,
    user: User,
    Path((year, figure)): Path<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
    let rows = state.store.outcome_cases(&user.principal, &figure, year).await?;
    let t = user.ctx.t();
    let mut chrome = Chrome::for_user(&user, "learning-cases-title");
    chrome.title = t.arg2(
        "learning-cases-heading",
        "figure",
        &t.get(&format!("learning-figure-{figure}")),
        "year",
        &year.to_string(),
    );
    Ok(CasesPage {
        chrome,
        year,
        rows: rows.into_iter().map(|r| CaseRow { procedure_id: r.procedure_id, number: r.procedure_number }).collect(),
    }
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_escapes_labels_and_draws_no_bar_for_a_hidden_cell() {
        let svg = chart_svg(
            &[
                ("Nowa <Wieś>".into(), Cell::Value(10), RowKind::Count),
                ("Rawa".into(), Cell::FewerThanFive, RowKind::Count),
                ("2027".into(), Cell::Value(571), RowKind::Permille),
            ],
            "procedury & miejscowości",
            false,
        );
        assert!(svg.contains("Nowa &#60;Wieś&#62;") || svg.contains("Nowa &lt;Wieś&gt;"), "{svg}");
        assert!(svg.contains(">&#60;5</text>") || svg.contains(">&lt;5</text>"), "{svg}");
        assert!(svg.contains("width=\"0\""), "no bar for <5: {svg}");
        assert!(svg.contains(">57,1%</text>") && svg.contains("role=\"img\""));
    }

    #[test]
    fn the_span_defaults_to_five_years_and_keeps_its_errors() {
        assert_eq!(span_of(&SpanQuery::default(), 2026), Ok((2022, 2026)));
        let q = SpanQuery { from: Some("2026".into()), to: Some("2025".into()), sharing: None };
        assert_eq!(span_of(&q, 2026), Err(("to", "err-span-before-start")));
    }
}
