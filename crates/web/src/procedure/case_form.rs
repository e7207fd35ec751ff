//! A form added to a running case: form C (with the person experiencing violence), form D (with the suspected
//! person), or a further form A (a new incident). The same generated form as form A, posting the case's version,
//! with drafts as on form A. A case opened on the 2011 forms gets the 2011 forms.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use store::StoreError;
use store::drafts::DraftOf;
use uuid::Uuid;

use super::drafts::{self, DraftRequest, DraftVm, SavedDraft};
use super::form::{PostedForm, StepAt, form_body};
use super::form_a::{DraftQuery, FormAPage};
use super::owner::OwnerNames;
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::Chrome;
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

/// Which form of which case, in the legal version the case keeps.
#[derive(Clone, Copy)]
struct CaseForm<'a> {
    id: Uuid,
    kind: FormKind,
    forms: FormVersion,
    /// The case's number: the page names its case and links back.
    number: &'a str,
    /// The case's version the page posts back.
    version: i64,
}

impl CaseForm<'_> {
    fn draft_of(self) -> DraftOf {
        DraftOf { form: self.kind, procedure_id: Some(self.id) }
    }
}

fn page(
    user: &User,
    form: CaseForm,
    answers: &Answers,
    errors: &FieldErrors,
    add: Option<&str>,
    draft: DraftVm,
    at: &StepAt,
) -> Result<FormAPage, PageError> {
    let CaseForm { id, kind, forms, number, version } = form;
    let def = definition(kind, forms).ok_or(ErrorPage::NotFound)?;
    let t = user.ctx.t();
    let body = form_body(def, answers, errors, &t, add, &OwnerNames::default(), at);
    let letter = kind.as_str().to_lowercase();
    let mut chrome = Chrome::for_user(user, "form-a-title");
    chrome.title = t.arg("case-form-page-title", "title", t.form_title(def));
    Ok(FormAPage {
        chrome,
        intro: t.get(&format!("case-form-{letter}-intro")),
        action: format!("/procedures/{id}/forms/{letter}"),
        submit: t.get("case-form-submit"),
        back: Some(format!("/procedures/{id}")),
        case_number: Some(number.to_owned()),
        version: Some(version),
        hidden: vec![],
        body,
        matches: vec![],
        draft: Some(draft),
        from_paper: None,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Ids((id, kind)): Ids<(Uuid, String)>,
    Query(q): Query<DraftQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let kind = kind_of(&kind)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    if !handle.access.works_on_case() {
        return Err(ErrorPage::NotFound.into());
    }
    let (version, forms) = state.store.procedure_form_version(&handle).await?;
    let number = state.store.case_number(&handle).await?;
    let form = CaseForm { id, kind, forms, number: &number, version };
    if let Some(raw) = q.draft.as_deref() {
        let (draft, answers) = drafts::resume(&state, &user, form.draft_of(), raw).await?;
        let def = definition(kind, forms).ok_or(ErrorPage::NotFound)?;
        let at = StepAt { step: q.step.unwrap_or(0), ..StepAt::resumed(def, &answers) };
        let errors = validate(def, &answers).err().unwrap_or_default();
        return Ok(page(&user, form, &answers, &errors, None, draft, &at)?.into_response());
    }
    let mut answers = Answers::new();
    let today = state.store.now().to_zoned(domain::calendar::poland_zone());
    if kind == FormKind::A {
        answers.insert("header.filled_at", today.strftime("%Y-%m-%dT%H:%M").to_string());
        if forms == FormVersion::V2023 {
            super::form_a::prefill_filler(&mut answers, &state.store.filler(&user.principal).await?);
        }
    } else {
        answers.insert("header.date", today.date().to_string());
    }
    let base = format!("/procedures/{id}/forms/{}", kind.as_str().to_lowercase());
    let draft = drafts::fresh(&state, &user, form.draft_of(), &base).await?;
    let at = StepAt { step: q.step.unwrap_or(0), ..StepAt::default() };
    Ok(page(&user, form, &answers, &FieldErrors::new(), None, draft, &at)?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    Ids((id, kind)): Ids<(Uuid, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let kind = kind_of(&kind)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    if !handle.access.works_on_case() {
        return Err(ErrorPage::NotFound.into());
    }
    let posted = PostedForm::read(&body);
    let version = posted.control("version").and_then(|v| v.parse::<i64>().ok()).ok_or(ErrorPage::BadRequest)?;
    let (_, forms) = state.store.procedure_form_version(&handle).await?;
    let number = state.store.case_number(&handle).await?;
    let form = CaseForm { id, kind, forms, number: &number, version };
    let add = posted.control("add");
    let draft_id = drafts::posted_id(&posted)?;
    let how = drafts::request(&posted);
    let at = StepAt::posted(&posted);
    let going = at.clone().going(&posted);
    let answers = posted.answers;
    let mut draft = DraftVm { id: draft_id.map(|d| d.to_string()).unwrap_or_default(), ..DraftVm::default() };
    if !matches!(how, DraftRequest::None) {
        match drafts::save(&state, &user, form.draft_of(), draft_id, &answers, how).await? {
            SavedDraft::Json(response) => return Ok(response),
            SavedDraft::Page(saved) => draft = saved,
        }
        return Ok(page(&user, form, &answers, &FieldErrors::new(), None, draft, &at)?.into_response());
    }
    let def = definition(kind, forms).ok_or(ErrorPage::NotFound)?;
    if let Some(going) = going {
        // Another step: the answers are kept in the draft, and the steps left with errors are marked.
        if let SavedDraft::Page(saved) =
            drafts::save(&state, &user, form.draft_of(), draft_id, &answers, DraftRequest::Save).await?
        {
            draft = saved;
        }
        let errors = validate(def, &answers).err().unwrap_or_default();
        return Ok(page(&user, form, &answers, &errors, None, draft, &going)?.into_response());
    }
    if add.is_some() {
        return Ok(page(&user, form, &answers, &FieldErrors::new(), add, draft, &at)?.into_response());
    }
    let rerender = |status: StatusCode, errors: &FieldErrors, answers: &Answers| -> Result<Response, PageError> {
        let at = StepAt::refused(def, errors, &at);
        Ok((status, page(&user, form, answers, errors, None, draft.clone(), &at)?).into_response())
    };
    let validated = match validate(def, &answers) {
        Ok(v) => v,
        Err(errors) => return rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, &answers),
    };
    match state.store.add_form(&handle, &validated, version).await {
        Ok(_) => {
            drafts::submitted(&state, &user, draft_id).await?;
            Ok(crate::flash::saved(&format!("/procedures/{id}")))
        }
        Err(StoreError::Invalid(errors)) => rerender(StatusCode::UNPROCESSABLE_ENTITY, &errors, &answers),
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("form", "procedure-conflict");
            rerender(StatusCode::CONFLICT, &errors, &answers)
        }
        Err(e) => Err(e.into()),
    }
}
