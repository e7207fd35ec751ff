use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use serde::Deserialize;
use store::procedure::ProcedureSummary;

use crate::error::PageError;
use crate::identity::login::local_time;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

const PAGE: i64 = 50;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/list.html")]
pub struct ListPage {
    chrome: Chrome,
    rows: Vec<ProcedureSummary>,
    can_open: bool,
    next: Option<i64>,
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
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let offset = q.offset.unwrap_or(0).max(0);
    let rows = state.store.list_procedures(&user.principal, PAGE, offset).await?;
    let next = (rows.len() as i64 == PAGE).then_some(offset + PAGE);
    let notice = q.attached.as_ref().map(|_| user.ctx.t().get("form-a-attached"));
    Ok(ListPage {
        chrome: Chrome::for_user(&user, "procedures-title").with_notice(notice),
        rows,
        can_open: user.can(Permission::OpenProcedure),
        next,
    }
    .into_response())
}
