//! A form added to a running case: form C (with the person experiencing violence), form D (with the suspected
//! person), or a further form A (a new incident). The same generated form as form A, posting the case's version.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use store::StoreError;
use uuid::Uuid;

use super::form::{PostedForm, sections, unplaced_errors};
use super::form_a::FormAPage;
use crate::error::{ErrorPage, PageError};
use crate::page::{Chrome, PostForm};
use crate::session::User;
use crate::state::AppState;

fn kind_of(raw: &str) -> Result<FormKind, PageError> {
    match raw {
        "a" => Ok(FormKind::A),
        "c" => Ok(FormKind::C),
        "d" => Ok(FormKind::D),
        _ => Err(ErrorPage::NotFound.into()),
    }
}

fn page(
    user: &User,
    id: Uuid,
    kind: FormKind,
    version: i64,
    answers: &Answers,
    errors: &FieldErrors,
    add: Option<&str>,
) -> Result<FormAPage, PageError> {
    let def = definition(kind, FormVersion::V2023).ok_or(ErrorPage::NotFound)?;
    let t = user.ctx.t();
    let sections = sections(def, answers, errors, &t, add);
    let mut summary = unplaced_errors(&sections, errors, &t);
    if !errors.is_empty() {
        summary.insert(0, t.get("form-has-errors"));
    }
    let letter = kind.as_str().to_lowercase();
    let mut chrome = Chrome::for_user(user, "form-a-title");
    chrome.title = format!("Formularz „{}”", def.title_pl);
    Ok(FormAPage {
        chrome,
        intro: t.get(&format!("case-form-{letter}-intro")),
        action: format!("/procedures/{id}/forms/{letter}"),
        submit: t.get("case-form-submit"),
        back: Some(format!("/procedures/{id}")),
        version: Some(version),
        hidden: vec![],
        sections,
        summary,
        matches: vec![],
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Path((id, kind)): Path<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let id = Uuid::parse_str(&id).map_err(|_| ErrorPage::NotFound)?;
    let kind = kind_of(&kind)?;
    let handle = state.store.case_access(&user.principal, id).await?;
    if handle.access == store::procedure::CaseAccess::Initiator {
        return Err(ErrorPage::NotFound.into());
    }
    let version = state.store.procedure_version(&handle).await?;
    let mut answers = Answers::new();
    let today = state.store.now().to_zoned(domain::calendar::poland_zone());
    if kind == FormKind::A {
        answers.insert("header.filled_at", today.strftime("%Y-%m-%dT%H:%M").to_string());
    } else {
        answers.insert("header.date", today.date().to_string());
    }
    Ok(page(&user, id, kind, version, &answers, &FieldErrors::new(), None)?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    Path((id, kind)): Path<(String, String)>,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let id = Uuid::parse_str(&id).map_err(|_| ErrorPage::NotFound)?;
    let kind = kind_of(&kind)?;
    let handle = state.store.case_access(&user.principal, id).await?;
    let posted = PostedForm::read(&body);
    user.ctx.check_csrf(posted.control("csrf").unwrap_or(""))?;
    let version = posted.control("version").and_then(|v| v.parse::<i64>().ok()).ok_or(ErrorPage::BadRequest)?;
    let add = posted.control("add");
    let answers = posted.answers;
    if add.is_some() {
        return Ok(page(&user, id, kind, version, &answers, &FieldErrors::new(), add)?.into_response());
    }
    let def = definition(kind, FormVersion::V2023).ok_or(ErrorPage::NotFound)?;
    let rerender =
        |status: StatusCode, errors: &FieldErrors, user: &User, answers: &Answers| -> Result<Response, PageError> {
            Ok((status, page(user, id, kind, version, answers, errors, None)?).into_response())
        };
    let validated = match validate(def, &answers) {
        Ok(v) => v,
        Err(errors) => return rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, &user, &answers),
    };
    match state.store.add_form(&handle, &validated, version, Some(user.ctx.address.clone())).await {
        Ok(_) => Ok(Redirect::to(&format!("/procedures/{id}")).into_response()),
        Err(StoreError::Invalid(errors)) => rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, &user, &answers),
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("form", "procedure-conflict");
            rerender(StatusCode::CONFLICT, &errors, &user, &answers)
        }
        Err(e) => Err(e.into()),
    }
}
