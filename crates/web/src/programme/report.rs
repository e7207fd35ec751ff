//! The programme list and the annual report preview: goal → task → responsible institutions → time frame →
//! indicators with values, earlier years and targets (inline SVG bars), and the team's narrative.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::AnnualReport;
use uuid::Uuid;

use super::{bars_svg, this_year};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

pub struct ProgrammeRow {
    pub id: Uuid,
    pub title: String,
    pub period: String,
    pub versions: Vec<(i64, String, String)>,
    pub years: Vec<i16>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/list.html")]
pub struct ListPage {
    chrome: Chrome,
    programmes: Vec<ProgrammeRow>,
    year: i16,
    may_view: bool,
    may_enter: bool,
    may_manage: bool,
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    let may_view = user.can(Permission::ViewAggregates);
    let may_enter = user.can(Permission::EnterIndicators);
    if !may_view && !may_enter {
        return Err(ErrorPage::Forbidden.into());
    }
    let mut programmes = Vec::new();
    for p in state.store.programmes(&user.principal).await? {
        let view = state.store.programme(&user.principal, p.id).await?;
        let from = view.period_from;
        let to = view.period_to.min(this_year(&state));
        programmes.push(ProgrammeRow {
            id: p.id,
            title: p.title,
            period: format!("{}–{}", p.period_from, p.period_to),
            versions: view.versions.iter().map(|v| (v.number, v.applies_from.clone(), v.resolution.clone())).collect(),
            years: (from..=to).rev().collect(),
        });
    }
    Ok(ListPage {
        chrome: Chrome::for_user(&user, "programme-title"),
        programmes,
        year: this_year(&state),
        may_view,
        may_enter,
        may_manage: user.can(Permission::ManageProgramme),
    }
    .into_response())
}

pub struct IndicatorView {
    pub name: String,
    pub value: String,
    pub target: String,
    pub target_met: Option<bool>,
    pub earlier: Vec<(i16, String)>,
    pub breakdown: Vec<(String, i64)>,
    pub notes: Vec<String>,
    pub missing_from: Vec<String>,
    pub svg: String,
    pub computed: Option<&'static str>,
}

pub struct TaskView {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub institutions: Vec<String>,
    pub time_frame: String,
    pub narrative: String,
    pub narrative_version: i64,
    pub indicators: Vec<IndicatorView>,
}

pub struct GoalView {
    pub id: String,
    pub numeral: String,
    pub title: String,
    pub narrative: String,
    pub narrative_version: i64,
    pub tasks: Vec<TaskView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/report.html")]
pub struct ReportPage {
    chrome: Chrome,
    id: Uuid,
    report: AnnualReport,
    goals: Vec<GoalView>,
    may_manage: bool,
    /// The team's staff see the recommendations to the mayor; the store leaves them out for anyone else.
    may_see_recommendations: bool,
    /// Why a download failed, shown above the report.
    message: Option<String>,
}

impl ReportPage {
    fn status(&self, s: &domain::team::RecommendationStatus) -> String {
        crate::team::recommendations::status_label(&self.chrome.t, *s)
    }

    fn funder(&self, f: &domain::team::Funder) -> String {
        self.chrome.t.get(&format!("project-funder-{}", f.as_str()))
    }

    fn day(&self, iso: &Option<String>) -> String {
        iso.as_deref().map_or_else(|| "—".to_owned(), |d| self.iso_day(d))
    }

    fn iso_day(&self, iso: &str) -> String {
        iso.parse::<jiff::civil::Date>().map_or_else(|_| iso.to_owned(), crate::team::day)
    }

    fn amount(&self, grosze: &i64) -> String {
        domain::team::format_amount(*grosze)
    }
}

fn shown(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Ids((id, year)): Ids<(Uuid, String)>,
) -> Result<Response, PageError> {
    if !user.can(Permission::ViewAggregates) {
        user.require(Permission::ManageProgramme)?;
    }
    if let Some((year, format)) = year.split_once('.') {
        let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
        let format = DownloadFormat::parse(format).ok_or(ErrorPage::NotFound)?;
        return download(&state, &user, id, year, format).await;
    }
    let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
    render(&state, &user, id, year, None).await
}

/// The formats the report downloads as.
#[derive(Debug, Clone, Copy)]
enum DownloadFormat {
    Pdf,
    Xlsx,
    Odt,
}

impl DownloadFormat {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "pdf" => Some(Self::Pdf),
            "xlsx" => Some(Self::Xlsx),
            "odt" => Some(Self::Odt),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Xlsx => "xlsx",
            Self::Odt => "odt",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Odt => "application/vnd.oasis.opendocument.text",
        }
    }
}

/// Renders the report off the async threads and answers with the whole file, recorded in the audit trail; on
/// failure, the preview with a Polish message and nothing recorded.
async fn download(
    state: &AppState,
    user: &User,
    id: Uuid,
    year: i16,
    format: DownloadFormat,
) -> Result<Response, PageError> {
    let report = state.store.annual_report(&user.principal, id, year).await?;
    let institution = user
        .principal
        .tenant_name
        .as_ref()
        .map_or_else(|| "Zespół interdyscyplinarny".to_owned(), |n| format!("Zespół interdyscyplinarny – {n}"));
    let ctx = documents::RenderContext {
        institution: institution.clone(),
        created_at: state.clock.now().to_zoned(domain::calendar::poland_zone()),
        watermark: None,
    };
    let teryt = report.teryt.clone();
    let rendered = tokio::task::spawn_blocking(move || match format {
        DownloadFormat::Pdf => documents::annual_report_pdf(&report, &ctx),
        DownloadFormat::Xlsx => documents::annual_report_xlsx(&report),
        DownloadFormat::Odt => documents::annual_report_odt(&report, &institution),
    })
    .await;
    let bytes = match rendered {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return failed(state, user, id, year, e.to_string()).await,
        Err(e) => return failed(state, user, id, year, e.to_string()).await,
    };
    let actor = user.actor();
    state.store.record_report_document(&actor, id, year, format.as_str()).await?;
    let filename = format!("sprawozdanie-{teryt}-{year}.{}", format.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

async fn failed(state: &AppState, user: &User, id: Uuid, year: i16, e: String) -> Result<Response, PageError> {
    let incident = crate::error::log_internal(&e);
    let message = user.ctx.t().arg("document-failed", "id", &incident.to_string());
    let page = render(state, user, id, year, Some(message)).await?;
    Ok((StatusCode::INTERNAL_SERVER_ERROR, page).into_response())
}

async fn render(
    state: &AppState,
    user: &User,
    id: Uuid,
    year: i16,
    message: Option<String>,
) -> Result<Response, PageError> {
    let report = state.store.annual_report(&user.principal, id, year).await?;
    let narratives = state.store.report_narratives(&user.principal, id, year).await?;
    let version_of = |node: &str| narratives.iter().find(|(n, _, _)| n == node).map_or(0, |(_, _, v)| *v);
    let goals = report
        .goals
        .iter()
        .map(|g| GoalView {
            id: g.id.clone(),
            numeral: g.numeral.clone(),
            title: g.title.clone(),
            narrative: g.narrative.clone(),
            narrative_version: version_of(&g.id),
            tasks: g
                .tasks
                .iter()
                .map(|t| TaskView {
                    id: t.id.clone(),
                    number: t.number,
                    title: t.title.clone(),
                    institutions: t.institutions.clone(),
                    time_frame: t.time_frame.clone(),
                    narrative: t.narrative.clone(),
                    narrative_version: version_of(&t.id),
                    indicators: t
                        .indicators
                        .iter()
                        .map(|i| IndicatorView {
                            name: i.name.clone(),
                            value: shown(i.value()),
                            target: shown(i.target),
                            target_met: i.target_met(),
                            earlier: i
                                .values
                                .iter()
                                .filter(|v| v.year < year)
                                .map(|v| (v.year, shown(v.value)))
                                .collect(),
                            breakdown: i.breakdown.clone(),
                            notes: i.notes.clone(),
                            missing_from: i.missing_from.clone(),
                            svg: bars_svg(
                                &i.values.iter().map(|v| (v.year, v.value, v.target)).collect::<Vec<_>>(),
                                &i.name,
                            ),
                            computed: i.computed.map(|k| k.as_str()),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut chrome = Chrome::for_user(user, "programme-report-title");
    chrome.title = user.ctx.t().arg("programme-report-heading", "year", &year.to_string());
    Ok(ReportPage {
        id,
        goals,
        report,
        may_manage: user.can(Permission::ManageProgramme),
        may_see_recommendations: user.can(Permission::ManageTeam),
        chrome,
        message,
    }
    .into_response())
}

/// Saves the team's narrative for a goal or task, then back to the report at that node.
pub async fn narrative(
    State(state): State<AppState>,
    user: User,
    Ids((id, year)): Ids<(Uuid, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let year = year.parse::<i16>().map_err(|_| ErrorPage::NotFound)?;
    let node = field(&body, "node");
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    state.store.set_report_narrative(&user.principal, id, year, node, field(&body, "body"), version).await?;
    Ok(crate::flash::saved(&format!("/programme/{id}/report/{year}#node-{node}")))
}
