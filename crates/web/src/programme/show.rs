//! One programme as adopted and amended: the version in force (strategic goal, goals, tasks with their responsible
//! institutions and time frames, indicators with their source and yearly targets) and every version with its
//! resolution and the date it applies from. The team opens the editor for an amendment from here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::{ProgrammeIndicatorSource, definition};
use serde::Deserialize;
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::Ids;
use crate::i18n::Lang;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

pub struct IndicatorRow {
    pub name: String,
    pub source: String,
    pub targets: String,
}

pub struct TaskRow {
    pub title: String,
    pub institutions: String,
    pub time_frame: String,
    pub indicators: Vec<IndicatorRow>,
}

pub struct GoalRow {
    pub title: String,
    pub tasks: Vec<TaskRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/show.html")]
pub struct ShowPage {
    chrome: Chrome,
    id: Uuid,
    period: String,
    /// (number, applies from, resolution), oldest first.
    versions: Vec<(i64, String, String)>,
    in_force: i64,
    strategic_goal: String,
    goals: Vec<GoalRow>,
    may_manage: bool,
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    if !user.can(Permission::ViewAggregates) {
        user.require(Permission::ManageProgramme)?;
    }
    let view = state.store.programme(&user.principal, id).await?;
    let tenant = user.principal.tenant_id.ok_or(ErrorPage::NotFound)?;
    let institutions = state.store.list_institutions(tenant).await?;
    let name_of = |ids: &[Uuid]| {
        ids.iter()
            .filter_map(|i| institutions.iter().find(|x| x.id == *i).map(|x| x.name.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let t = user.ctx.t();
    let latest = view.latest().ok_or(ErrorPage::NotFound)?;
    let goals = latest
        .content
        .goals
        .iter()
        .map(|g| GoalRow {
            title: g.title.clone(),
            tasks: g
                .tasks
                .iter()
                .map(|task| TaskRow {
                    title: task.title.clone(),
                    institutions: name_of(&task.institutions),
                    time_frame: if task.from_year == task.to_year {
                        task.from_year.to_string()
                    } else {
                        format!("{}–{}", task.from_year, task.to_year)
                    },
                    indicators: task
                        .indicators
                        .iter()
                        .map(|i| IndicatorRow {
                            name: i.name.clone(),
                            source: match &i.source {
                                ProgrammeIndicatorSource::Computed { key } => {
                                    let d = definition(*key);
                                    let name = if t.lang == Lang::En { d.name_en } else { d.name_pl };
                                    t.arg("programme-source-computed-named", "name", name)
                                }
                                ProgrammeIndicatorSource::Entered { institutions } => {
                                    t.arg("programme-source-entered-by", "names", &name_of(institutions))
                                }
                            },
                            targets: if i.targets.is_empty() {
                                t.get("programme-targets-none")
                            } else {
                                i.targets.iter().map(|(y, v)| format!("{y}: {v}")).collect::<Vec<_>>().join(", ")
                            },
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let mut chrome = Chrome::for_user(&user, "programme-show-title")
        .with_notice(q.saved.is_some().then(|| t.arg("programme-saved", "number", &latest.number.to_string())));
    chrome.title = view.title.clone();
    Ok(ShowPage {
        chrome,
        id,
        period: format!("{}–{}", view.period_from, view.period_to),
        versions: view.versions.iter().map(|v| (v.number, v.applies_from.clone(), v.resolution.clone())).collect(),
        in_force: latest.number,
        strategic_goal: latest.content.strategic_goal.clone(),
        goals,
        may_manage: user.can(Permission::ManageProgramme),
    }
    .into_response())
}
