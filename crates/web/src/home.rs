//! The home page: who you are, your municipality and roles, and what to do next.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::identity::{Permission, Role};

use crate::error::PageError;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    chrome: Chrome,
    /// The member's cases with their most pressing open deadline, overdue first; `None` when the role has no cases.
    cases: Option<Vec<CaseRow>>,
    login: String,
    tenant: Option<(String, String)>,
    roles: Vec<Role>,
    admin_hint: bool,
    dpo_hint: bool,
}

pub struct CaseRow {
    pub id: uuid::Uuid,
    pub number: String,
    pub phase: String,
    /// The open deadline that matters most (overdue, else the nearest), if any.
    pub deadline: Option<crate::procedure::show::DeadlineRow>,
    rank: u8,
}

const DASHBOARD_CASES: i64 = 100;

async fn cases(state: &AppState, user: &User) -> Result<Option<Vec<CaseRow>>, PageError> {
    if !user.can(Permission::ViewProcedures) {
        return Ok(None);
    }
    use domain::procedure::deadlines::DeadlineState as S;
    let t = user.ctx.t();
    let mut rows: Vec<CaseRow> = state
        .store
        .dashboard(&user.principal, DASHBOARD_CASES)
        .await?
        .into_iter()
        .map(|c| {
            let open = c
                .deadlines
                .iter()
                .filter(|d| matches!(d.state, S::Overdue { .. } | S::DueSoon { .. } | S::Pending { .. }))
                .min_by_key(|d| match d.state {
                    S::Overdue { .. } => 0,
                    S::DueSoon { .. } => 1,
                    _ => 2,
                });
            let rank = open.map_or(3, |d| match d.state {
                S::Overdue { .. } => 0,
                S::DueSoon { .. } => 1,
                _ => 2,
            });
            CaseRow {
                id: c.summary.id,
                number: c.summary.number,
                phase: crate::procedure::phase_label(&t, &c.summary.phase),
                deadline: open.map(|d| crate::procedure::show::deadline_row(&t, d)),
                rank,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.rank);
    Ok(Some(rows))
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewDashboard)?;
    let p = &user.principal;
    Ok(HomePage {
        cases: cases(&state, &user).await?,
        chrome: Chrome::for_user(&user, "home-title"),
        login: p.login.clone(),
        tenant: p.tenant_name.clone().zip(p.tenant_teryt.clone()),
        roles: p.roles.iter().collect(),
        admin_hint: user.can(Permission::ManageTenants),
        dpo_hint: user.can(Permission::ReadAuditTrail),
    }
    .into_response())
}
