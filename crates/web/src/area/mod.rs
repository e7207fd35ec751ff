//! The county's and the region's pages (issue 17): the municipalities' submissions of the statutory set (who has
//! submitted, who is late, who corrected, returns with a comment), the summed figures with disclosure control (each
//! with the number of municipalities behind it and the national sum), a chosen line per municipality as bars with a
//! table beside them, its trend over five years, the exports (JSON, XLSX in the annex-2 layout) and the region's
//! approval. Figures only: nothing here names a person, a case or a case's text.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::disclosure::Shown;
use domain::identity::Permission;
use domain::territory::TerritorialLevel;
use serde::Deserialize;
use store::StoreError;
use store::area::{AreaFigures, AreaLine, MunicipalityStatus, SubmissionVia};
use store::county::CountyProgrammeFigures;
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::page::{Chrome, PostForm, field};
use crate::programme::{this_year, year_param};
use crate::session::User;
use crate::state::AppState;

mod keys;
mod programmes;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/area", get(show))
        .route("/area/keys", get(keys::list).post(keys::register))
        .route("/area/keys/{fingerprint}/revoke", get(keys::confirm).post(keys::revoke))
        .route("/area/programmes", get(programmes::show))
        .route("/area/programmes/editions", post(programmes::create_edition))
        .route("/area/programmes/editions/{id}", post(programmes::update_edition))
        .route("/area/programmes/certificates", post(programmes::record_certificate))
        .route("/area/{year}/json", get(json))
        .route("/area/{year}/xlsx", get(xlsx))
        .route("/area/{year}/return", post(return_submission))
        .route("/area/{year}/approve", post(approve))
}

#[derive(Deserialize)]
pub struct AreaQuery {
    pub year: Option<String>,
    pub line: Option<String>,
}

/// A return being typed: for which municipality, what, and what is wrong with it.
#[derive(Default)]
pub struct ReturnState {
    pub municipality: String,
    pub typed: String,
    pub error: Option<String>,
}

/// One municipality's row as the page shows it.
pub struct StatusRow {
    pub status: MunicipalityStatus,
    pub state: String,
    pub submitted: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "area/show.html")]
pub struct AreaPage {
    chrome: Chrome,
    year: i16,
    year_error: Option<String>,
    figures: AreaFigures,
    rows: Vec<StatusRow>,
    summary: String,
    deadlines: String,
    /// The line shown per municipality and over the years.
    chosen: String,
    chosen_name: String,
    bars: String,
    trend: Vec<(i16, String, usize)>,
    trend_bars: String,
    may_return: bool,
    may_approve: bool,
    /// The region's coordinator keeps the register of the municipalities' keys.
    may_manage_keys: bool,
    approval_text: Option<String>,
    returning: ReturnState,
    /// The county's own programmes for persons using violence: its row, or the region's counties and their sum.
    programmes: Vec<ProgrammeRow>,
    may_enter_programmes: bool,
}

/// One row of the county programmes' table: whose (a county, or the sum), which programme, and the five figures as
/// shown (editions, registered, completed, registration and completion certificates).
pub struct ProgrammeRow {
    pub whose: String,
    pub kind: String,
    /// (the column's label, the figure as shown).
    pub cells: Vec<(&'static str, String)>,
    pub total: bool,
}

/// The county programmes' columns, in the order of `store::county::ProgrammeCounts`' measures.
const PROGRAMME_COLUMNS: [&str; 5] = [
    "county-programmes-col-editions",
    "county-edition-registrations",
    "county-edition-completions",
    "county-programmes-col-registration-certificates",
    "county-programmes-col-completion-certificates",
];

fn programme_rows(figures: &CountyProgrammeFigures, level: TerritorialLevel, t: &crate::i18n::Tr) -> Vec<ProgrammeRow> {
    let kinds: Vec<String> = domain::procedure::referral::ProgrammeKind::ALL
        .iter()
        .map(|k| t.get(&format!("programme-{}", k.as_str())))
        .collect();
    let rows_of = |whose: &str, by_kind: &[[Shown; 5]], total: bool| -> Vec<ProgrammeRow> {
        by_kind
            .iter()
            .zip(&kinds)
            .map(|(cells, kind)| ProgrammeRow {
                whose: whose.to_owned(),
                kind: kind.clone(),
                cells: PROGRAMME_COLUMNS.into_iter().zip(cells.iter().map(shown_text)).collect(),
                total,
            })
            .collect()
    };
    if level == TerritorialLevel::County {
        return rows_of("", &figures.total, false);
    }
    let mut rows: Vec<ProgrammeRow> =
        figures.counties.iter().flat_map(|c| rows_of(&c.name, &c.by_kind, false)).collect();
    rows.extend(rows_of(&t.get("county-programmes-sum"), &figures.total, true));
    rows
}

impl AreaPage {
    fn name(&self, l: &AreaLine) -> String {
        match self.chrome.t.lang {
            crate::i18n::Lang::En => domain::programme::statutory::shown_name(l.name_en, l.level, "of which"),
            _ => domain::programme::statutory::shown_name(l.name_pl, l.level, "w tym"),
        }
    }

    fn cell(&self, s: &Shown) -> String {
        shown_text(s)
    }

    fn top_lines(&self) -> Vec<&AreaLine> {
        self.figures.lines.iter().filter(|l| l.level == 0).collect()
    }

    fn is_chosen(&self, l: &&AreaLine) -> bool {
        l.id == self.chosen
    }

    fn by_municipality(&self) -> Vec<(String, String)> {
        let Some(line) = self.figures.line(&self.chosen) else { return Vec::new() };
        self.figures
            .counted
            .iter()
            .zip(&line.by_municipality)
            .map(|((_, name), s)| (name.clone(), shown_text(s)))
            .collect()
    }

    fn programme_columns(&self) -> [&'static str; 5] {
        PROGRAMME_COLUMNS
    }

    /// A region's table has a row per county; a county's has its own rows only.
    fn per_county(&self) -> bool {
        self.figures.level != TerritorialLevel::County
    }

    fn returning_here(&self, r: &StatusRow) -> bool {
        self.returning.municipality == r.status.tenant_id.to_string()
    }

    /// The municipalities the coordinator has to act on: nothing submitted, late, or returned.
    fn attention_rows(&self) -> Vec<&StatusRow> {
        self.rows.iter().filter(|r| needs_attention(&r.status)).collect()
    }

    /// The municipalities whose latest set stands and came on time (corrections included).
    fn settled_rows(&self) -> Vec<&StatusRow> {
        self.rows.iter().filter(|r| !needs_attention(&r.status)).collect()
    }

    /// A region's list of municipalities runs to hundreds of rows: those that need nothing are folded away so the
    /// sums are not thousands of pixels down. A county's few stay open.
    fn fold_settled(&self) -> bool {
        self.rows.len() > FOLD_SETTLED_ABOVE
    }

    /// A folded list opens again when a return in it was refused (its message and typed comment are inside).
    fn settled_open(&self) -> bool {
        self.settled_rows().iter().any(|r| self.returning_here(r) && self.returning.error.is_some())
    }
}

/// More municipalities than this in an area, and the settled ones are folded (a county has at most a few dozen).
const FOLD_SETTLED_ABOVE: usize = 40;

fn needs_attention(s: &MunicipalityStatus) -> bool {
    s.version.is_none() || s.late || s.returned_at.is_some()
}

/// A figure as shown outside its municipality: the number, "<5", or "×".
pub fn shown_text(s: &Shown) -> String {
    match s {
        Shown::Value(v) => v.to_string(),
        Shown::Small => "<5".to_owned(),
        Shown::Hidden => "×".to_owned(),
    }
}

fn date(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%d.%m.%Y").to_string()
}

fn year_of(raw: &str) -> Result<i16, PageError> {
    raw.parse::<i16>().ok().filter(|y| (2000..=2100).contains(y)).ok_or(PageError::from(ErrorPage::NotFound))
}

/// Bars of one line per municipality, drawn on the server: only numbers and municipality names go in (escaped);
/// a suppressed figure gets no bar, only its sign.
fn municipality_bars(rows: &[(String, String)], label: &str) -> String {
    let esc = |s: &str| askama::filters::escape(s, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default();
    let values: Vec<i64> = rows.iter().map(|(_, v)| v.parse::<i64>().unwrap_or(0)).collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let (row_h, label_w, bar_w) = (26usize, 190usize, 260usize);
    let height = rows.len() * row_h + 10;
    let width = label_w + bar_w + 60;
    let mut svg = format!(
        "<svg class=\"bars\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
        esc(label)
    );
    for (i, ((name, shown), v)) in rows.iter().zip(&values).enumerate() {
        let y = 5 + i * row_h;
        let w = usize::try_from(v.saturating_mul(bar_w as i64) / max).unwrap_or(0);
        let short: String = name.chars().take(26).collect();
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"#2b5f8a\"></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            label_w - 6,
            y + 15,
            esc(&short),
            row_h - 8,
            label_w + w + 4,
            y + 15,
            esc(shown)
        ));
    }
    svg.push_str("</svg>");
    svg
}

async fn page(
    state: &AppState,
    user: &User,
    year: i16,
    year_error: Option<String>,
    chosen: Option<&str>,
    returning: ReturnState,
) -> Result<AreaPage, PageError> {
    let t = user.ctx.t();
    let figures = state.store.area_figures(&user.principal, year).await?;
    let chosen = chosen
        .filter(|c| figures.lines.iter().any(|l| l.id == *c && l.level == 0))
        .unwrap_or("procedures_opened")
        .to_owned();
    let rows: Vec<StatusRow> = figures
        .statuses
        .iter()
        .map(|s| {
            let state = match (s.version, s.returned_at, s.late) {
                (None, _, true) => t.get("area-state-missing-late"),
                (None, _, false) => t.get("area-state-missing"),
                (Some(_), Some(at), _) => t.arg("area-state-returned", "date", &date(at)),
                (Some(_), None, late) => {
                    let base = if late { t.get("area-state-late") } else { t.get("area-state-submitted") };
                    if s.corrections > 0 {
                        format!("{base}; {}", t.arg("area-state-corrections", "count", &s.corrections.to_string()))
                    } else {
                        base
                    }
                }
            };
            let submitted = match (s.version, s.submitted_at, s.via) {
                (Some(v), Some(at), Some(via)) => t.args(
                    "area-submitted",
                    &[
                        ("version", v.to_string()),
                        ("date", date(at)),
                        (
                            "via",
                            t.get(match via {
                                SubmissionVia::Installation => "area-via-installation",
                                SubmissionVia::Package => "area-via-package",
                            }),
                        ),
                    ],
                ),
                _ => "—".to_owned(),
            };
            StatusRow { status: s.clone(), state, submitted }
        })
        .collect();
    let count = |f: &dyn Fn(&MunicipalityStatus) -> bool| figures.statuses.iter().filter(|s| f(s)).count().to_string();
    let summary = t.args(
        "area-summary",
        &[
            ("submitted", count(&|s| s.version.is_some())),
            ("all", figures.statuses.len().to_string()),
            ("late", count(&|s| s.late)),
            ("corrected", count(&|s| s.corrections > 0)),
            ("returned", count(&|s| s.returned_at.is_some())),
        ],
    );
    let deadlines = t.arg2(
        "area-deadlines",
        "deadline",
        &figures.deadline.strftime("%d.%m.%Y").to_string(),
        "report",
        &figures.report_deadline.strftime("%d.%m.%Y").to_string(),
    );
    let chosen_line = figures.line(&chosen);
    let chosen_name = chosen_line
        .map(|l| match t.lang {
            crate::i18n::Lang::En => l.name_en.to_owned(),
            _ => l.name_pl.to_owned(),
        })
        .unwrap_or_default();
    let per: Vec<(String, String)> = chosen_line
        .map(|l| figures.counted.iter().zip(&l.by_municipality).map(|((_, n), s)| (n.clone(), shown_text(s))).collect())
        .unwrap_or_default();
    let bars = municipality_bars(&per, &chosen_name);
    let trend_raw = state.store.area_trend(&user.principal, (year - 4)..=year, &chosen).await?;
    let trend: Vec<(i16, String, usize)> = trend_raw.iter().map(|(y, s, n)| (*y, shown_text(s), *n)).collect();
    let series: Vec<(i16, Option<i64>, Option<i64>)> =
        trend_raw.iter().map(|(y, s, _)| (*y, if let Shown::Value(v) = s { Some(*v) } else { None }, None)).collect();
    let trend_bars = crate::programme::bars_svg(&series, &chosen_name);
    let approval_text = figures.approval.as_ref().map(|a| {
        t.args(
            "area-approved",
            &[
                ("version", a.version.to_string()),
                ("date", date(a.approved_at)),
                ("count", a.municipalities.to_string()),
            ],
        )
    });
    let programme_figures = state.store.county_programme_figures(&user.principal, year).await?;
    let programmes = programme_rows(&programme_figures, figures.level, &t);
    let mut chrome = Chrome::for_user(user, "area-title");
    chrome.title = t.arg2("area-heading", "name", &figures.name, "year", &year.to_string());
    Ok(AreaPage {
        programmes,
        may_enter_programmes: user.can(Permission::ManageCountyProgrammes) && figures.level == TerritorialLevel::County,
        may_return: user.can(Permission::ReturnSubmissions),
        may_approve: user.can(Permission::ApproveRegionalReport) && figures.level == TerritorialLevel::Region,
        may_manage_keys: user.can(Permission::ManagePackageKeys) && figures.level == TerritorialLevel::Region,
        chrome,
        year,
        year_error,
        figures,
        rows,
        summary,
        deadlines,
        chosen,
        chosen_name,
        bars,
        trend,
        trend_bars,
        approval_text,
        returning,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<AreaQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewAreaFigures)?;
    let (year, year_error) = year_param(q.year.as_deref(), this_year(&state) - 1);
    let t = user.ctx.t();
    Ok(page(&state, &user, year, year_error.map(|e| t.get(e)), q.line.as_deref(), ReturnState::default())
        .await?
        .into_response())
}

pub async fn json(State(state): State<AppState>, user: User, Path(year): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ViewAreaFigures)?;
    let figures = state.store.area_figures(&user.principal, year_of(&year)?).await?;
    let name = format!("attachment; filename=\"sprawozdanie-rpppd-{}-{}.json\"", figures.code, figures.year);
    Ok((
        [(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, name)],
        figures.to_json().to_string(),
    )
        .into_response())
}

/// The area's sums in the annex-2 layout, with the municipality's XLSX writer: suppressed figures as "<5" or "x".
pub async fn xlsx(State(state): State<AppState>, user: User, Path(year): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ViewAreaFigures)?;
    let figures = state.store.area_figures(&user.principal, year_of(&year)?).await?;
    let texts: Vec<Option<String>> = figures
        .lines
        .iter()
        .map(|l| match l.total {
            Shown::Value(_) => None,
            Shown::Small => Some("<5".to_owned()),
            Shown::Hidden => Some("x".to_owned()),
        })
        .collect();
    let rows: Vec<documents::statutory::StatutoryRow<'_>> = figures
        .lines
        .iter()
        .zip(&texts)
        .map(|(l, text)| documents::statutory::StatutoryRow {
            reference: l.reference,
            name_pl: l.name_pl,
            level: l.level,
            value: if let Shown::Value(v) = l.total { v } else { 0 },
            text: text.as_deref(),
            municipalities: Some(l.municipalities),
        })
        .collect();
    let version = match &figures.approval {
        Some(a) => format!("Zatwierdzona wersja {} ({} gmin)", a.version, a.municipalities),
        None => format!("Zestawienie niezatwierdzone ({} gmin)", figures.counted.len()),
    };
    let heading = format!("{} ({}), rok {}", figures.name, figures.code, figures.year);
    let bytes = documents::statutory::statutory_xlsx(&heading, &version, &rows)
        .map_err(|e| ErrorPage::Internal(crate::error::log_internal(&e)))?;
    let name = format!("attachment; filename=\"sprawozdanie-rpppd-{}-{}.xlsx\"", figures.code, figures.year);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// A coordinator returns a municipality's submission; a refused comment stays typed beside its field.
pub async fn return_submission(
    State(state): State<AppState>,
    user: User,
    Path(year): Path<String>,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ReturnSubmissions)?;
    user.ctx.check_csrf(field(&body, "csrf"))?;
    let year = year_of(&year)?;
    let municipality = Uuid::parse_str(field(&body, "municipality")).map_err(|_| ErrorPage::BadRequest)?;
    let comment = field(&body, "comment");
    match state.store.return_submission(&user.principal, municipality, year, comment).await {
        Ok(()) => Ok(crate::flash::saved(&format!("/area?year={year}"))),
        Err(StoreError::Invalid(errors)) => {
            let error = user.ctx.t().get(errors.for_field("comment").unwrap_or("err-required"));
            let returning =
                ReturnState { municipality: municipality.to_string(), typed: comment.to_owned(), error: Some(error) };
            let page = page(&state, &user, year, None, None, returning).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The regional coordinator approves the region's report of the year.
pub async fn approve(
    State(state): State<AppState>,
    user: User,
    Path(year): Path<String>,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ApproveRegionalReport)?;
    user.ctx.check_csrf(field(&body, "csrf"))?;
    let year = year_of(&year)?;
    match state.store.approve_regional_report(&user.principal, year).await {
        Ok(_) => Ok(crate::flash::saved(&format!("/area?year={year}"))),
        Err(StoreError::Invalid(errors)) => {
            let t = user.ctx.t();
            let error = t.get(errors.for_field("year").unwrap_or("err-required"));
            let page = page(&state, &user, year, Some(error), None, ReturnState::default()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_escape_names_and_draw_no_bar_for_a_suppressed_figure() {
        let svg = municipality_bars(&[("Gmina <b>".into(), "12".into()), ("Ujazd".into(), "<5".into())], "wszczęte");
        assert!(svg.contains("Gmina &#60;b&#62;") || svg.contains("Gmina &lt;b&gt;"), "{svg}");
        assert!(svg.contains("width=\"260\"") && svg.contains("width=\"0\""), "{svg}");
        assert!(svg.contains("&#60;5") || svg.contains("&lt;5"));
    }

    #[test]
    fn a_municipality_needs_attention_when_nothing_came_it_came_late_or_it_was_returned() {
        let on_time = MunicipalityStatus {
            tenant_id: uuid::Uuid::nil(),
            teryt: "1016011".into(),
            name: "Ujazd".into(),
            version: Some(2),
            submitted_at: Some(jiff::Timestamp::UNIX_EPOCH),
            via: Some(SubmissionVia::Package),
            late: false,
            corrections: 1,
            returned_at: None,
        };
        assert!(!needs_attention(&on_time), "a correction on time needs nothing");
        assert!(needs_attention(&MunicipalityStatus {
            version: None,
            submitted_at: None,
            via: None,
            ..on_time.clone()
        }));
        assert!(needs_attention(&MunicipalityStatus { late: true, ..on_time.clone() }));
        assert!(needs_attention(&MunicipalityStatus { returned_at: Some(jiff::Timestamp::UNIX_EPOCH), ..on_time }));
    }
}
