//! The team's settings for the case clocks (`/timeliness/settings`): whether deadlines resting on an unconfirmed
//! reading of the law (\[U\]) count as breaches, are painted overdue and escalated, and how many months apart the
//! group checks a monitored case. The team's staff see them; only the chair changes them (audited by the store).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::identity::Permission;
use domain::procedure::reminders::{ClockSettings, parse_monitoring_check_months};
use serde::Deserialize;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/clock_settings.html")]
pub struct ClockSettingsPage {
    chrome: Chrome,
    form: FormState,
    escalate_unconfirmed: bool,
    /// Only the chair may change them.
    editable: bool,
    /// The [U] rules the setting concerns, with their basis.
    rules: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize)]
pub struct Posted {
    #[serde(default)]
    escalate_unconfirmed: Option<String>,
    #[serde(default)]
    monitoring_check_months: String,
}

fn page(user: &User, form: FormState, escalate_unconfirmed: bool) -> ClockSettingsPage {
    ClockSettingsPage {
        chrome: Chrome::for_user(user, "clock-settings-title"),
        form,
        escalate_unconfirmed,
        editable: user.principal.roles.permits(Permission::ChairDecisions),
        rules: domain::procedure::deadlines::RULES
            .iter()
            .filter(|r| r.is_unconfirmed())
            .map(|r| (user.ctx.t().rule(r), r.legal_basis))
            .collect(),
    }
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let settings = state.store.clock_settings(&user.principal).await?;
    let form = FormState::new().with("monitoring_check_months", &settings.monitoring_check_months.to_string());
    Ok(page(&user, form, settings.escalate_unconfirmed).into_response())
}

pub async fn save(
    State(state): State<AppState>,
    user: User,
    CsrfForm(posted): CsrfForm<Posted>,
) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    let escalate_unconfirmed = posted.escalate_unconfirmed.as_deref() == Some("on");
    let form = FormState::new().with("monitoring_check_months", &posted.monitoring_check_months);
    let months = match parse_monitoring_check_months(&posted.monitoring_check_months) {
        Ok(m) => m,
        Err(code) => {
            let form = form.error("monitoring_check_months", user.ctx.t().get(code));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, form, escalate_unconfirmed)).into_response());
        }
    };
    let settings = ClockSettings { escalate_unconfirmed, monitoring_check_months: months };
    state.store.set_clock_settings(&user.caller(), settings).await?;
    Ok(Redirect::to("/timeliness/settings?saved=1").into_response())
}
