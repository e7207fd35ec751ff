//! Form A on a page: generated from the form definition, works without JavaScript ("add another person" is a
//! submit button that comes back with one more slot), and a failed submit returns everything typed.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::forms::{Answers, FormDefinition, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use store::StoreError;
use store::procedure::{FormAIntake, MatchedProcedure};

use super::form::{PostedForm, SectionVm, sections, unplaced_errors};
use crate::error::{ErrorPage, PageError};
use crate::page::{Chrome, PostForm};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "procedure/form_a.html")]
pub struct FormAPage {
    pub(super) chrome: Chrome,
    pub(super) intro: String,
    pub(super) action: String,
    pub(super) submit: String,
    pub(super) back: Option<String>,
    /// The case's version, for a form added to an existing case.
    pub(super) version: Option<i64>,
    /// Other controls the page posts back (a record's version and kind).
    pub(super) hidden: Vec<(String, String)>,
    pub(super) sections: Vec<SectionVm>,
    pub(super) summary: Vec<String>,
    pub(super) matches: Vec<MatchedProcedure>,
}

fn form_a() -> Result<&'static FormDefinition, PageError> {
    definition(FormKind::A, FormVersion::V2023).ok_or(PageError::Page(ErrorPage::NotFound))
}

fn page(
    user: &User,
    answers: &Answers,
    errors: &FieldErrors,
    add: Option<&str>,
    matches: Vec<MatchedProcedure>,
) -> Result<FormAPage, PageError> {
    let t = user.ctx.t();
    let sections = sections(form_a()?, answers, errors, &t, add);
    let mut summary = unplaced_errors(&sections, errors, &t);
    if !errors.is_empty() {
        summary.insert(0, t.get("form-has-errors"));
    }
    Ok(FormAPage {
        chrome: Chrome::for_user(user, "form-a-title"),
        intro: t.get("form-a-intro"),
        action: "/procedures/new".into(),
        submit: t.get("form-a-submit"),
        back: None,
        version: None,
        hidden: vec![],
        sections,
        summary,
        matches,
    })
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::OpenProcedure)?;
    let mut answers = Answers::new();
    let now = state.store.now().to_zoned(domain::calendar::poland_zone());
    answers.insert("header.filled_at", now.strftime("%Y-%m-%dT%H:%M").to_string());
    Ok(page(&user, &answers, &FieldErrors::new(), None, vec![])?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::OpenProcedure)?;
    let posted = PostedForm::read(&body);
    user.ctx.check_csrf(posted.control("csrf").unwrap_or(""))?;
    let (add, attach_to) = (posted.control("add"), posted.control("attach_to"));
    let new_despite_match = posted.control("new_despite_match").is_some();
    let answers = posted.answers;
    if let Some(section) = add {
        // "Add another person": the same page with one more slot, nothing checked yet.
        return Ok(page(&user, &answers, &FieldErrors::new(), Some(section), vec![])?.into_response());
    }
    let validated = match validate(form_a()?, &answers) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(
                (StatusCode::UNPROCESSABLE_ENTITY, page(&user, &answers, &errors, None, vec![])?).into_response()
            );
        }
    };
    if let Some(case) = attach_to {
        let case = uuid::Uuid::parse_str(case).map_err(|_| ErrorPage::BadRequest)?;
        return match state.store.attach_form_a(&user.principal, case, &validated, Some(user.ctx.address.clone())).await
        {
            Ok(_) => Ok(Redirect::to(&format!("/procedures?attached={case}")).into_response()),
            Err(StoreError::Invalid(errors)) => {
                Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, &answers, &errors, None, vec![])?).into_response())
            }
            Err(e) => Err(e.into()),
        };
    }
    match state
        .store
        .open_procedure(&user.principal, &validated, new_despite_match, Some(user.ctx.address.clone()))
        .await
    {
        Ok(FormAIntake::Opened { id, .. }) => Ok(Redirect::to(&format!("/procedures/{id}")).into_response()),
        Ok(FormAIntake::AlreadyKnown { procedures }) => {
            Ok((StatusCode::CONFLICT, page(&user, &answers, &FieldErrors::new(), None, procedures)?).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, &answers, &errors, None, vec![])?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
