//! Form A on a page: generated from the form definition, works without JavaScript ("add another person" is a
//! submit button that comes back with one more slot), and a failed submit returns everything typed. What is typed
//! is saved as a draft as the user goes (see `drafts`). The team's staff may type in a form filled on paper.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use domain::forms::{Answers, FormDefinition, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use store::StoreError;
use store::drafts::DraftOf;
use store::procedure::{FormAIntake, MatchedProcedure};

use super::drafts::{self, DraftRequest, DraftVm, SavedDraft};

use super::form::{FormBody, PostedForm, StepAt, form_body};
use super::owner::OwnerNames;
use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::Chrome;
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
    /// The case the form belongs to, named beside the link back to it.
    pub(super) case_number: Option<String>,
    /// The case's version, for a form added to an existing case.
    pub(super) version: Option<i64>,
    /// Other controls the page posts back (a record's version and kind).
    pub(super) hidden: Vec<(String, String)>,
    /// The step shown, the other steps' answers carried, the error summary.
    pub(super) body: FormBody,
    pub(super) matches: Vec<MatchedProcedure>,
    /// Drafts: shown on forms that keep them (form A, forms C and D).
    pub(super) draft: Option<DraftVm>,
    /// The "typed in from a paper form" choice, offered to the team's staff on form A: `Some(checked)`.
    pub(super) from_paper: Option<bool>,
}

const NEW_CASE: DraftOf = DraftOf { form: FormKind::A, procedure_id: None };

/// `?draft=` on the form A page resumes a saved draft.
#[derive(Debug, serde::Deserialize)]
pub struct DraftQuery {
    #[serde(default)]
    pub draft: Option<String>,
    /// The step to open (from 0); the first when absent.
    #[serde(default)]
    pub step: Option<usize>,
}

fn form_a() -> Result<&'static FormDefinition, PageError> {
    definition(FormKind::A, FormVersion::V2023).ok_or(PageError::Page(ErrorPage::NotFound))
}

/// What the page shows besides the answers: the draft part and the paper choice.
struct Extras {
    draft: DraftVm,
    from_paper: bool,
}

fn page(
    user: &User,
    answers: &Answers,
    errors: &FieldErrors,
    add: Option<&str>,
    matches: Vec<MatchedProcedure>,
    extras: Extras,
    at: &StepAt,
) -> Result<FormAPage, PageError> {
    let t = user.ctx.t();
    let body = form_body(form_a()?, answers, errors, &t, add, &OwnerNames::default(), at);
    Ok(FormAPage {
        chrome: Chrome::for_user(user, "form-a-title"),
        intro: t.get("form-a-intro"),
        action: "/procedures/new".into(),
        submit: t.get("form-a-submit"),
        back: None,
        case_number: None,
        version: None,
        hidden: vec![],
        body,
        matches,
        draft: Some(extras.draft),
        from_paper: user.principal.roles.permits(Permission::ManageProcedures).then_some(extras.from_paper),
    })
}

/// The form A category of the person filling it (part XIV, art. 9a ust. 11–11d) that an institution's kind implies,
/// where it implies one: an officer of the police, a social worker, a teacher, a medical professional, the alcohol
/// commission. Other kinds leave the choice to the person.
fn category_of_institution(kind: &str) -> Option<&'static str> {
    match kind {
        "police" => Some("police"),
        "social_welfare" => Some("social_worker"),
        "education" => Some("teacher"),
        "health_care" => Some("medical"),
        "alcohol_commission" => Some("gkrpa"),
        _ => None,
    }
}

/// Part XIV of a fresh form A ("who filled the form") from the account: the name (the last word as the surname),
/// the position (from the team's register), the institution and the category its kind implies. Everything stays
/// editable.
pub(super) fn prefill_filler(answers: &mut Answers, filler: &store::identity::Filler) {
    let name = filler.full_name.trim();
    if let Some((first, last)) = name.rsplit_once(char::is_whitespace) {
        answers.insert("filled_by.first_name", first.trim());
        answers.insert("filled_by.last_name", last.trim());
    } else if !name.is_empty() {
        answers.insert("filled_by.last_name", name);
    }
    if !filler.position.trim().is_empty() {
        answers.insert("filled_by.position", filler.position.trim());
    }
    if let Some((institution, kind)) = &filler.institution {
        answers.insert("filled_by.institution", institution.as_str());
        if let Some(category) = category_of_institution(kind) {
            answers.insert("filled_by.category", category);
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<DraftQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::OpenProcedure)?;
    if let Some(raw) = q.draft.as_deref() {
        let (draft, answers) = drafts::resume(&state, &user, NEW_CASE, raw).await?;
        let extras = Extras { draft, from_paper: false };
        let def = form_a()?;
        let at = StepAt { step: q.step.unwrap_or(0), ..StepAt::resumed(def, &answers) };
        let errors = validate(def, &answers).err().unwrap_or_default();
        return Ok(page(&user, &answers, &errors, None, vec![], extras, &at)?.into_response());
    }
    let mut answers = Answers::new();
    let now = state.store.now().to_zoned(domain::calendar::poland_zone());
    answers.insert("header.filled_at", now.strftime("%Y-%m-%dT%H:%M").to_string());
    prefill_filler(&mut answers, &state.store.filler(&user.principal).await?);
    let extras = Extras { draft: drafts::fresh(&state, &user, NEW_CASE, "/procedures/new").await?, from_paper: false };
    let at = StepAt { step: q.step.unwrap_or(0), ..StepAt::default() };
    Ok(page(&user, &answers, &FieldErrors::new(), None, vec![], extras, &at)?.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::OpenProcedure)?;
    let posted = PostedForm::read(&body);
    let (add, attach_to) = (posted.control("add"), posted.control("attach_to"));
    let new_despite_match = posted.control("new_despite_match").is_some();
    let from_paper = posted.control("from_paper").is_some();
    let draft_id = drafts::posted_id(&posted)?;
    let how = drafts::request(&posted);
    let at = StepAt::posted(&posted);
    let going = at.clone().going(&posted);
    let answers = posted.answers;
    let mut extras = Extras {
        draft: DraftVm { id: draft_id.map(|d| d.to_string()).unwrap_or_default(), ..DraftVm::default() },
        from_paper,
    };
    if !matches!(how, DraftRequest::None) {
        match drafts::save(&state, &user, NEW_CASE, draft_id, &answers, how).await? {
            SavedDraft::Json(response) => return Ok(response),
            SavedDraft::Page(draft) => extras.draft = draft,
        }
        return Ok(page(&user, &answers, &FieldErrors::new(), None, vec![], extras, &at)?.into_response());
    }
    if let Some(going) = going {
        // Another step: the answers are kept in the draft, and the steps left with errors are marked.
        if let SavedDraft::Page(draft) =
            drafts::save(&state, &user, NEW_CASE, draft_id, &answers, DraftRequest::Save).await?
        {
            extras.draft = draft;
        }
        let errors = validate(form_a()?, &answers).err().unwrap_or_default();
        return Ok(page(&user, &answers, &errors, None, vec![], extras, &going)?.into_response());
    }
    if let Some(section) = add {
        // "Add another person": the same page with one more slot, nothing checked yet.
        return Ok(page(&user, &answers, &FieldErrors::new(), Some(section), vec![], extras, &at)?.into_response());
    }
    let invalid = |errors: &FieldErrors, extras: Extras| -> Result<Response, PageError> {
        let at = StepAt::refused(form_a()?, errors, &at);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&user, &answers, errors, None, vec![], extras, &at)?)
            .into_response())
    };
    let validated = match validate(form_a()?, &answers) {
        Ok(v) => v,
        Err(errors) => return invalid(&errors, extras),
    };
    if let Some(case) = attach_to {
        let case = uuid::Uuid::parse_str(case).map_err(|_| ErrorPage::BadRequest)?;
        return match state.store.attach_form_a(&user.caller(), case, &validated).await {
            Ok(_) => {
                drafts::submitted(&state, &user, draft_id).await?;
                Ok(Redirect::to(&format!("/procedures?attached={case}")).into_response())
            }
            Err(StoreError::Invalid(errors)) => invalid(&errors, extras),
            Err(e) => Err(e.into()),
        };
    }
    let opened = if from_paper && user.principal.roles.permits(Permission::ManageProcedures) {
        state.store.open_procedure_from_paper(&user.caller(), &validated, new_despite_match).await
    } else {
        state.store.open_procedure(&user.caller(), &validated, new_despite_match).await
    };
    // Only the team's staff learn whether the people matched a case: anyone else gets the same answer either way.
    let staff = state.store.sees_recognition(&user.principal).await?;
    match opened {
        Ok(FormAIntake::Opened { id, .. }) if staff => {
            drafts::submitted(&state, &user, draft_id).await?;
            Ok(Redirect::to(&format!("/procedures/{id}")).into_response())
        }
        Ok(FormAIntake::Opened { .. } | FormAIntake::Forwarded { .. }) => {
            drafts::submitted(&state, &user, draft_id).await?;
            Ok(Redirect::to("/procedures/forwarded").into_response())
        }
        Ok(FormAIntake::AlreadyKnown { procedures }) => {
            let page = page(&user, &answers, &FieldErrors::new(), None, procedures, extras, &at)?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(StoreError::Invalid(errors)) => invalid(&errors, extras),
        Err(e) => Err(e.into()),
    }
}
