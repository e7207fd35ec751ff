//! The data protection officer's view of the audit trail, filtered and paged, for their municipality.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use serde::Deserialize;
use store::{AuditEntry, AuditFilter};

use crate::error::PageError;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

pub mod break_glass;
pub mod failed;
pub mod register;
pub mod retention;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/audit", axum::routing::get(list))
        .route("/audit/failed-logins", axum::routing::get(failed::show))
        .route("/audit/break-glass", axum::routing::get(break_glass::list))
        .route("/audit/break-glass/{grant}/review", axum::routing::post(break_glass::review))
        .route("/audit/register", axum::routing::get(register::show))
        .route("/audit/register/export", axum::routing::get(register::export))
        .route("/audit/retention", axum::routing::get(retention::show))
        .route("/audit/retention/settings", axum::routing::post(retention::save))
        .route("/audit/retention/erase", axum::routing::post(retention::erase))
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    chrome: Chrome,
    entries: Vec<AuditEntry>,
    actions: Vec<&'static str>,
    form: FormState,
    older: Option<String>,
    /// Cases by number and accounts by login, for the entries' objects.
    names: std::collections::HashMap<String, String>,
}

impl AuditPage {
    /// An action as people read it ("Nieudane logowanie"), from its stored name (`login_failed`).
    fn action_label(&self, action: &str) -> String {
        self.chrome.t.get(&format!("audit-action-{}", action.replace('_', "-")))
    }

    /// An object kind in words ("karta sprawy"), never its stored name.
    fn object_label(&self, kind: &str) -> String {
        register::object_label(&self.chrome.t, kind)
    }

    /// The entry's object as people know it (a case's number, an account's login); nothing for an object known only
    /// by its record id or a code.
    fn object_name(&self, e: &AuditEntry) -> String {
        e.object_id.as_deref().and_then(|id| self.names.get(id)).cloned().unwrap_or_default()
    }

    /// The entry's detail in words where it is a role (granted or revoked); the other details are technical notes
    /// in English with record ids, kept in the trail (and its API and exports) but not shown on the page.
    fn detail(&self, e: &AuditEntry) -> String {
        match domain::identity::Role::parse(&e.detail) {
            Ok(role) if e.action == "role_granted" || e.action == "role_revoked" => self.chrome.t.role(&role),
            _ => String::new(),
        }
    }

    fn time(&self, e: &AuditEntry) -> String {
        let zone = domain::calendar::poland_zone();
        e.at.to_zoned(zone).strftime("%Y-%m-%d %H:%M:%S").to_string()
    }
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: Option<i64>,
}

const PAGE_SIZE: i64 = 100;

/// A date typed as `YYYY-MM-DD` (or `DD.MM.YYYY`, as Polish users often type it), at midnight in Warsaw.
pub(crate) fn parse_day(raw: &str) -> Result<Option<jiff::civil::Date>, &'static str> {
    domain::parse::optional_date(raw)
}

pub(crate) fn day_start(d: jiff::civil::Date) -> Option<jiff::Timestamp> {
    d.to_zoned(domain::calendar::poland_zone()).ok().map(|z| z.timestamp())
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let t = user.ctx.t();
    let mut errors = FieldErrors::new();
    let from = errors.check("from", parse_day(&q.from)).flatten();
    let until = errors.check("until", parse_day(&q.until)).flatten();
    let action = match q.action.as_str() {
        "" => None,
        a => errors.check("action", AuditAction::parse(a).map(|a| a.as_str().to_owned()).ok_or("err-required")),
    };
    let form = FormState::new()
        .with("action", &q.action)
        .with("actor", &q.actor)
        .with("from", &q.from)
        .with("until", &q.until)
        .with_errors(&errors, &t);
    let actions = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
    if !errors.is_empty() {
        let chrome = Chrome::for_user(&user, "audit-title");
        let page = AuditPage { chrome, entries: vec![], actions, form, older: None, names: Default::default() };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let filter = AuditFilter {
        // An officer sees their own municipality's entries; one without a municipality sees the installation's.
        tenant_id: user.principal.tenant_id,
        action,
        actor_login: Some(q.actor.trim().to_lowercase()).filter(|a| !a.is_empty()),
        from: from.and_then(day_start),
        until: until.and_then(|d| d.tomorrow().ok()).and_then(day_start),
        before_seq: q.before,
        limit: PAGE_SIZE,
    };
    let entries = state.store.audit_entries(&user.actor(), &filter).await?;
    let older = (entries.len() as i64 == PAGE_SIZE).then(|| {
        let last = entries.last().map_or(0, |e| e.seq);
        let query = serde_urlencoded::to_string([
            ("action", q.action.as_str()),
            ("actor", q.actor.as_str()),
            ("from", q.from.as_str()),
            ("until", q.until.as_str()),
            ("before", &last.to_string()),
        ])
        .unwrap_or_default();
        format!("/audit?{query}")
    });
    let names = state.store.audit_object_names(user.principal.tenant_id, &entries).await?;
    let chrome = Chrome::for_user(&user, "audit-title");
    Ok(AuditPage { chrome, entries, actions, form, older, names }.into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_day;
    use crate::i18n::{Lang, Tr};
    use domain::audit::AuditAction;

    #[test]
    fn every_audit_action_has_words_in_both_languages() {
        for lang in [Lang::Pl, Lang::En] {
            for a in AuditAction::ALL {
                let key = format!("audit-action-{}", a.as_str().replace('_', "-"));
                assert_ne!(Tr::new(lang).get(&key), key, "{key} in {lang:?}");
            }
        }
    }

    #[test]
    fn dates_are_read_in_both_usual_forms_and_impossible_ones_refused() {
        assert_eq!(parse_day("2025-02-28").unwrap().unwrap().to_string(), "2025-02-28");
        assert_eq!(parse_day("28.02.2025").unwrap().unwrap().to_string(), "2025-02-28");
        assert_eq!(parse_day(" ").unwrap(), None);
        assert_eq!(parse_day("31.02.2025"), Err("err-date-not-exist"));
        assert_eq!(parse_day("jutro"), Err("err-date-format"));
    }
}
