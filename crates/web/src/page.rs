//! What every page shows around its content (the "chrome"), form state, and form parsing.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use domain::FieldErrors;
use domain::identity::Permission;
use serde::de::DeserializeOwned;

use crate::error::{ErrorPage, PageError};
use crate::i18n::Tr;
use crate::session::{Ctx, User};

/// The navigation entries a user may see.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub login: String,
    pub manage_tenants: bool,
    pub manage_team_accounts: bool,
    pub read_audit: bool,
    pub view_procedures: bool,
    /// The team's own pages (the timeliness report).
    pub manage_procedures: bool,
    /// Unread notifications (shown beside the link when above zero), counted up to the store's cap.
    pub unread: i64,
    /// The team's registers (members, meetings).
    pub view_team: bool,
    /// The directory of help.
    pub view_help_directory: bool,
    /// The register of prevention and training activities.
    pub manage_activities: bool,
    /// The county's or region's page of its municipalities' reports.
    pub area: bool,
    /// The programme's pages (figures, report, entries).
    pub programme: bool,
    /// The regional cooperation platform.
    pub platform: bool,
    /// The key of this tab's copy of a form, for this account today (see [`crate::tab_key`]).
    pub tab_key: String,
}

impl NavUser {
    /// The badge's text: the count, or "99+" once the store stopped counting.
    pub fn unread_badge(&self) -> String {
        if self.unread >= store::identity::UNREAD_COUNT_CAP {
            format!("{}+", store::identity::UNREAD_COUNT_CAP - 1)
        } else {
            self.unread.to_string()
        }
    }
}

/// The layout's data: translator, user, CSRF token, demo banner.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: Tr,
    pub user: Option<NavUser>,
    pub csrf: String,
    pub demo: bool,
    /// The current path, for the language switch to come back to.
    pub path: String,
    pub title: String,
    /// A one-line message shown above the content (e.g. "logged out").
    pub notice: Option<String>,
}

impl Chrome {
    pub fn new(ctx: &Ctx, title_id: &str) -> Chrome {
        let principal =
            ctx.session.as_ref().filter(|s| s.stage == store::identity::SessionStage::Full).map(|s| &s.principal);
        let above_municipality = principal.and_then(|p| p.tenant_teryt.as_deref()).is_some_and(|code| {
            domain::territory::TerritorialLevel::of_code(code) != domain::territory::TerritorialLevel::Municipality
        });
        Chrome {
            t: ctx.t(),
            user: principal.map(|p| NavUser {
                login: p.login.clone(),
                manage_tenants: p.roles.permits(Permission::ManageTenants),
                manage_team_accounts: p.roles.permits(Permission::ManageTeamAccounts),
                read_audit: p.roles.permits(Permission::ReadAuditTrail),
                view_procedures: p.roles.permits(Permission::ViewProcedures),
                manage_procedures: p.roles.permits(Permission::ManageProcedures),
                unread: ctx.unread,
                view_team: p.roles.permits(Permission::ViewTeam),
                view_help_directory: p.roles.permits(Permission::ViewHelpDirectory),
                manage_activities: p.roles.permits(Permission::ManageActivities),
                // A county's or voivodeship's account has no programme of its own: its page is the area's.
                programme: (p.roles.permits(Permission::ViewAggregates)
                    || p.roles.permits(Permission::EnterIndicators))
                    && !above_municipality,
                area: p.roles.permits(Permission::ViewAreaFigures) && above_municipality,
                platform: p.roles.permits(Permission::ViewPlatform),
                tab_key: crate::tab_key::for_account(p.account_id, ctx.now),
            }),
            csrf: ctx.csrf().to_owned(),
            demo: principal.is_some_and(|p| p.tenant_is_demo),
            path: ctx.path.clone(),
            title: ctx.t().get(title_id),
            notice: ctx.flash.map(|f| ctx.t().get(f.message_id())),
        }
    }

    pub fn for_user(user: &User, title_id: &str) -> Chrome {
        Chrome::new(&user.ctx, title_id)
    }

    /// Replaces the notice when there is one (`None` keeps a save's "Zapisano").
    pub fn with_notice(mut self, notice: Option<String>) -> Chrome {
        self.notice = notice.or(self.notice);
        self
    }

    /// The language switch's target: the other language, coming back here.
    pub fn lang_switch_href(&self) -> String {
        let next = serde_urlencoded::to_string([("next", self.path.as_str())]).unwrap_or_default();
        format!("/lang/{}?{next}", self.t.get("lang-switch-code"))
    }
}

/// What the user typed and what is wrong with it, for re-rendering a form.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState::default()
    }

    /// Keeps typed values (never passwords: the caller leaves them out).
    pub fn with(mut self, name: &str, value: &str) -> FormState {
        self.values.insert(name.to_owned(), value.to_owned());
        self
    }

    pub fn with_errors(mut self, errors: &FieldErrors, t: &Tr) -> FormState {
        for e in errors.iter() {
            self.errors.entry(e.field.to_owned()).or_insert_with(|| t.field_error(e));
        }
        self
    }

    pub fn error(mut self, field: &str, message: String) -> FormState {
        self.errors.insert(field.to_owned(), message);
        self
    }

    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn e(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether a multi-valued field (checkboxes) holds `value`.
    pub fn checked(&self, name: &str, value: &str) -> bool {
        self.values.get(name).is_some_and(|v| v.split(',').any(|x| x == value))
    }
}

/// An `application/x-www-form-urlencoded` body decoded into `T`. Anything malformed is a 400 page, never a panic
/// or a raw extractor message.
pub struct PostForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PostForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = form_bytes(req, state).await?;
        serde_urlencoded::from_bytes(&bytes).map(PostForm).map_err(|_| ErrorPage::BadRequest.into())
    }
}

/// The raw body of a form post: only `application/x-www-form-urlencoded` (else 400), within the body limit (else 413).
pub(crate) async fn form_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, PageError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ErrorPage::BadRequest.into());
    }
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            PageError::Page(ErrorPage::PayloadTooLarge)
        } else {
            PageError::Page(ErrorPage::BadRequest)
        }
    })
}

/// The first value of `key` in a raw form body, or "" when absent.
pub fn field<'a>(body: &'a [(String, String)], key: &str) -> &'a str {
    body.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

/// Collects repeated form keys (checkbox groups) from a raw body: `roles=chair&roles=secretary`.
pub fn repeated(body: &[(String, String)], key: &str) -> Vec<String> {
    body.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

/// "Are you sure?" before a removal (issue 16): a row's button posts without `confirmed`, the handler answers with
/// this page, and its button posts the same form again with `confirmed=yes`. Works without JavaScript.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub chrome: Chrome,
    /// The question, naming what is removed and what follows.
    pub question: String,
    /// Where the confirmed form goes (the same address the row's button posted to).
    pub action: String,
    /// The fields of the original form to send again.
    pub hidden: Vec<(String, String)>,
    pub confirm_label: String,
    /// Where "Cancel" leads (the list, at the row).
    pub cancel: String,
}

/// Whether a posted form carries the confirmation of [`ConfirmPage`].
pub fn confirmed(body: &[(String, String)]) -> bool {
    field(body, "confirmed") == "yes"
}

#[cfg(test)]
mod tests {
    use super::NavUser;

    fn with_unread(unread: i64) -> NavUser {
        NavUser {
            login: "x".into(),
            manage_tenants: false,
            manage_team_accounts: false,
            read_audit: false,
            view_procedures: false,
            manage_procedures: false,
            unread,
            view_team: false,
            view_help_directory: false,
            manage_activities: false,
            area: false,
            programme: false,
            platform: false,
            tab_key: String::new(),
        }
    }

    #[test]
    fn the_unread_badge_shows_the_count_until_the_store_stops_counting() {
        let cap = store::identity::UNREAD_COUNT_CAP;
        assert_eq!(with_unread(1).unread_badge(), "1");
        assert_eq!(with_unread(cap - 1).unread_badge(), (cap - 1).to_string());
        assert_eq!(with_unread(cap).unread_badge(), "99+");
    }
}
