//! A new team's first steps (issue 16 item 11): the checklist of what a municipality sets up before the team can
//! work a case (the appointing order, members and their confidentiality declarations, institutions, accounts for the
//! support groups, the directory of help, the programme), each step done when the data shows it
//! (`Store::start_progress`), never ticked by hand. Its own page for the team's staff, and a summary on the home
//! page while a step is open.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::team::{StartProgress, StartStep};

use crate::error::PageError;
use crate::i18n::Tr;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

/// One step as shown.
pub struct StepRow {
    pub id: &'static str,
    pub label: String,
    pub done: bool,
    /// What the data shows now ("2 members, 1 without a declaration").
    pub status: String,
    /// Where to do it, when the reader may.
    pub href: Option<&'static str>,
    /// Who does it instead, when the reader may not.
    pub who: Option<String>,
}

/// The checklist for a page.
pub struct Checklist {
    pub steps: Vec<StepRow>,
    pub done: usize,
    pub total: usize,
}

impl Checklist {
    pub fn complete(&self) -> bool {
        self.done == self.total
    }

    /// The first step not done yet.
    pub fn next(&self) -> Option<&StepRow> {
        self.steps.iter().find(|s| !s.done)
    }
}

pub fn checklist(t: &Tr, user: &User, p: &StartProgress) -> Checklist {
    let steps: Vec<StepRow> = StartStep::ALL
        .iter()
        .map(|step| {
            let (href, who): (Option<&'static str>, Option<String>) = match step {
                StartStep::Order => (Some("/team#team-orders"), None),
                StartStep::Members => (Some("/team/members/new"), None),
                StartStep::Declarations => (Some("/team/declarations"), None),
                StartStep::Institutions => (None, Some(t.get("start-who-administrator"))),
                StartStep::Accounts if user.can(Permission::ManageTeamAccounts) => (Some("/team/accounts"), None),
                StartStep::Accounts => (None, Some(t.get("start-who-chair"))),
                StartStep::Directory => (Some("/directory/new"), None),
                StartStep::Programme => (Some("/programme/new"), None),
            };
            let count = |n: i64| n.to_string();
            let status = match step {
                StartStep::Order => t.arg("start-status-orders", "count", &count(p.orders)),
                StartStep::Members => t.arg("start-status-members", "count", &count(p.members)),
                StartStep::Declarations => {
                    t.arg("start-status-declarations", "count", &count(p.members_without_declaration))
                }
                StartStep::Institutions => t.arg("start-status-institutions", "count", &count(p.institutions)),
                StartStep::Accounts => t.arg("start-status-accounts", "count", &count(p.group_member_accounts)),
                StartStep::Directory => t.arg("start-status-directory", "count", &count(p.directory_entries)),
                StartStep::Programme => t.arg("start-status-programmes", "count", &count(p.programmes)),
            };
            StepRow {
                id: step.as_str(),
                label: t.get(&format!("start-step-{}", step.as_str())),
                done: p.done(*step),
                status,
                href,
                who,
            }
        })
        .collect();
    Checklist { done: p.done_count(), total: steps.len(), steps }
}

#[derive(Template, WebTemplate)]
#[template(path = "start.html")]
pub struct StartPage {
    chrome: Chrome,
    list: Checklist,
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let progress = state.store.start_progress(&user.principal).await?;
    let t = user.ctx.t();
    Ok(StartPage { list: checklist(&t, &user, &progress), chrome: Chrome::for_user(&user, "start-title") }
        .into_response())
}
