//! Forms A that went to the team: the filer's answer (`/procedures/forwarded`, the same whether the form opened a
//! case or matched people already in one), and the staff's list of pending intakes (`/procedures/intakes`) with the
//! cases each matched, to attach the form to one of them or open a new procedure with it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::procedure::{IntakeResolution, PendingIntake};

use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/forwarded.html")]
pub struct ForwardedPage {
    chrome: Chrome,
}

/// What a filer who is not the team's staff sees after submitting a form A, whatever its people matched.
pub async fn forwarded(user: User) -> Result<Response, PageError> {
    user.require(Permission::OpenProcedure)?;
    Ok(ForwardedPage { chrome: Chrome::for_user(&user, "intake-forwarded-title") }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/intakes.html")]
pub struct IntakesPage {
    chrome: Chrome,
    /// Each pending form with its answers, labelled as on the case page.
    intakes: Vec<(PendingIntake, Vec<super::show::AnswerRow>)>,
}

impl IntakesPage {
    fn when(&self, t: &jiff::Timestamp) -> String {
        crate::team::when(*t)
    }

    fn phase(&self, phase: &str) -> String {
        super::phase_label(&self.chrome.t, phase)
    }
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let chrome = Chrome::for_user(&user, "intakes-title");
    let mut intakes = Vec::new();
    for intake in state.store.pending_intakes(&user.principal).await? {
        let answers = state.store.pending_intake_form(&user.caller(), intake.id).await?;
        let rows = super::show::labelled(
            &chrome.t,
            answers.definition(),
            &answers.to_answers(),
            &super::owner::OwnerNames::default(),
        );
        intakes.push((intake, rows));
    }
    Ok(IntakesPage { chrome, intakes }.into_response())
}

/// Attaches the intake's form to a matched case (`attach_to`) or opens a new procedure with it (`open_new`).
pub async fn resolve(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let attach = field(&body, "attach_to");
    let resolution = if !attach.is_empty() {
        IntakeResolution::Attach(attach.parse().map_err(|_| ErrorPage::BadRequest)?)
    } else if !field(&body, "open_new").is_empty() {
        IntakeResolution::OpenNew
    } else {
        return Err(ErrorPage::BadRequest.into());
    };
    let case = state.store.resolve_intake(&user.caller(), id, resolution).await?;
    Ok(crate::flash::saved(&format!("/procedures/{case}")))
}
