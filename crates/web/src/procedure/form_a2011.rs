//! A running case brought in on the 2011 form A, typed in from paper by the team's staff with the form's own date
//! (procedure.md §3.1, migration note). The case then continues on the 2011 forms C and D (`case_form`). The same
//! page as form A, without drafts (a 2011 form is copied from the paper in one sitting).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::forms::{Answers, FormDefinition, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use store::StoreError;
use store::procedure::{FormAIntake, MatchedProcedure};

use super::form::{PostedForm, StepAt, form_body};
use super::form_a::FormAPage;
use super::owner::OwnerNames;
use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

pub const PATH: &str = "/procedures/new-2011";

fn form_a_2011() -> Result<&'static FormDefinition, PageError> {
    definition(FormKind::A, FormVersion::V2011).ok_or(PageError::Page(ErrorPage::NotFound))
}

fn page(
    user: &User,
    answers: &Answers,
    errors: &FieldErrors,
    add: Option<&str>,
    matches: Vec<MatchedProcedure>,
    at: &StepAt,
) -> Result<FormAPage, PageError> {
    let t = user.ctx.t();
    let body = form_body(form_a_2011()?, answers, errors, &t, add, &OwnerNames::default(), at);
    let mut chrome = Chrome::for_user(user, "form-a-title");
    chrome.title = t.get("form-a-2011-title");
    Ok(FormAPage {
        chrome,
        intro: t.get("form-a-2011-intro"),
        action: PATH.into(),
        submit: t.get("form-a-submit"),
        back: Some("/procedures/new".into()),
        case_number: None,
        version: None,
        hidden: vec![],
        body,
        matches,
        draft: None,
        from_paper: None,
    })
}

pub async fn show(State(_state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    Ok(page(&user, &Answers::new(), &FieldErrors::new(), None, vec![], &StepAt::default())?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProcedures)?;
    let posted = PostedForm::read(&body);
    let (add, attach_to) = (posted.control("add"), posted.control("attach_to"));
    let new_despite_match = posted.control("new_despite_match").is_some();
    let at = StepAt::posted(&posted);
    let going = at.clone().going(&posted);
    let answers = posted.answers;
    if let Some(going) = going {
        // Another step (no draft here: the answers travel with the page), the steps left with errors marked.
        let errors = validate(form_a_2011()?, &answers).err().unwrap_or_default();
        return Ok(page(&user, &answers, &errors, None, vec![], &going)?.into_response());
    }
    if let Some(section) = add {
        return Ok(page(&user, &answers, &FieldErrors::new(), Some(section), vec![], &at)?.into_response());
    }
    let invalid = |errors: &FieldErrors| -> Result<Response, PageError> {
        let at = StepAt::refused(form_a_2011()?, errors, &at);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, &answers, errors, None, vec![], &at)?).into_response())
    };
    let validated = match validate(form_a_2011()?, &answers) {
        Ok(v) => v,
        Err(errors) => return invalid(&errors),
    };
    if let Some(case) = attach_to {
        let case = uuid::Uuid::parse_str(case).map_err(|_| ErrorPage::BadRequest)?;
        return match state.store.attach_form_a(&user.caller(), case, &validated).await {
            Ok(_) => Ok(crate::flash::saved(&format!("/procedures?attached={case}"))),
            Err(StoreError::Invalid(errors)) => invalid(&errors),
            Err(e) => Err(e.into()),
        };
    }
    match state.store.open_procedure_from_paper(&user.caller(), &validated, new_despite_match).await {
        Ok(FormAIntake::Opened { id, .. }) => Ok(crate::flash::saved(&format!("/procedures/{id}"))),
        Ok(FormAIntake::Forwarded { .. }) => Ok(crate::flash::saved("/procedures/forwarded")),
        Ok(FormAIntake::AlreadyKnown { procedures }) => {
            let page = page(&user, &answers, &FieldErrors::new(), None, procedures, &at)?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(StoreError::Invalid(errors)) => invalid(&errors),
        Err(e) => Err(e.into()),
    }
}
