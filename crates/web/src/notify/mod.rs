//! The notifications page: the account's notifications, newest first, each linking to its case while the reader
//! still has access to it; "mark all read" as a plain form post.

use std::collections::HashMap;
use store::Caller;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::identity::Permission;
use serde::Deserialize;
use store::identity::Principal;
use store::notify::{NotificationKind, NotificationView};
use uuid::Uuid;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::i18n::Tr;
use crate::identity::login::local_time;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

/// How many notifications the page and the API show.
pub const LIMIT: i64 = 100;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().route("/notifications", get(show)).route("/notifications/read", post(mark_read))
}

/// A notification as a row of the page.
pub struct Row {
    pub text: String,
    pub number: Option<String>,
    /// The case's page, when the reader may still see it.
    pub href: Option<String>,
    pub when: String,
    pub read: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notify/list.html")]
pub struct NotificationsPage {
    chrome: Chrome,
    rows: Vec<Row>,
    any_unread: bool,
}

/// The Polish (or English) sentence for a notification; the deadline's name comes from the rule table.
pub fn describe(t: &Tr, n: &NotificationView) -> String {
    let base = t.get(&format!("notification-{}", n.kind.as_str().replace('_', "-")));
    match (n.kind, n.rule_id.as_deref()) {
        (NotificationKind::DeadlineDueSoon | NotificationKind::DeadlineOverdue, Some(rule)) => {
            match domain::procedure::deadlines::RULES.iter().find(|r| r.id == rule) {
                Some(r) => format!("{base}: {}", t.rule(r)),
                None => base,
            }
        }
        (NotificationKind::TeamReminder, Some(rule)) => format!("{base}: {}", t.get(&format!("team-rule-{rule}"))),
        _ => base,
    }
}

/// The notifications with, for each case, whether the reader still has access (asked once per case).
pub async fn with_access(
    state: &AppState,
    principal: &Principal,
) -> Result<Vec<(NotificationView, bool)>, store::StoreError> {
    let list = state.store.notifications(principal, LIMIT).await?;
    let mut access: HashMap<Uuid, bool> = HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for n in list {
        let reachable = match n.procedure_id {
            Some(id) => match access.get(&id) {
                Some(a) => *a,
                None => {
                    let a = match state.store.case_access(&Caller::local(principal), id).await {
                        Ok(_) => true,
                        Err(store::StoreError::NotFound) => false,
                        Err(e) => return Err(e),
                    };
                    access.insert(id, a);
                    a
                }
            },
            None => false,
        };
        out.push((n, reachable));
    }
    Ok(out)
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let t = user.ctx.t();
    let zone = domain::calendar::poland_zone();
    let rows: Vec<Row> = with_access(&state, &user.principal)
        .await?
        .into_iter()
        .map(|(n, reachable)| Row {
            text: describe(&t, &n),
            href: n.procedure_id.filter(|_| reachable).map(|id| format!("/procedures/{id}")),
            number: n.procedure_number.clone(),
            when: format!("{} {}", n.created_at.to_zoned(zone.clone()).date(), local_time(n.created_at)),
            read: n.read,
        })
        .collect();
    let any_unread = rows.iter().any(|r| !r.read);
    Ok(NotificationsPage { chrome: Chrome::for_user(&user, "notifications-title"), rows, any_unread }.into_response())
}

#[derive(Deserialize)]
pub struct MarkRead {}

pub async fn mark_read(
    State(state): State<AppState>,
    user: User,
    CsrfForm(_form): CsrfForm<MarkRead>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    state.store.mark_notifications_read(&user.principal).await?;
    Ok(Redirect::to("/notifications").into_response())
}
