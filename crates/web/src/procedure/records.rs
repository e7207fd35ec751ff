//! The support group's records on pages: plan a meeting, write its minutes or cancel it, add a support-plan item and
//! review it, record a home visit, a letter, a protective measure, form B's hand-over, a monitoring check or the
//! reason for a missed deadline. Each page is generated from the record's definition (the same machinery as forms
//! A–D), works without JavaScript, and a refused submit comes back with everything typed and the reason beside the
//! field.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::forms::Answers;
use domain::forms::ValidatedAnswers;
use domain::forms::records::{RecordKind, record_definition};
use domain::identity::Permission;
use store::StoreError;
use store::procedure::{CaseHandle, validate_record};
use uuid::Uuid;

use super::form::{PostedForm, StepAt, form_body};
use super::form_a::FormAPage;
use super::owner::OwnerNames;
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

/// The kinds a user adds from the procedure page (minutes are written into a planned meeting instead).
fn addable(raw: &str) -> Result<RecordKind, PageError> {
    RecordKind::parse(raw).filter(|k| *k != RecordKind::MeetingMinutes).ok_or_else(|| ErrorPage::NotFound.into())
}

/// The case for someone who works on it (team or group); an initiator or anyone else gets "not found".
async fn working_handle(state: &AppState, user: &User, id: Uuid) -> Result<CaseHandle, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    if !handle.access.works_on_case() {
        return Err(ErrorPage::NotFound.into());
    }
    Ok(handle)
}

/// Where a form posts and what it carries besides the answers.
struct Target {
    action: String,
    /// The case's version (for a meeting's minutes, which move the procedure) or the record's (for an edit).
    version: Option<i64>,
    hidden: Vec<(String, String)>,
    /// The case's group members, for a plan item's owner (its choices and their names).
    owners: OwnerNames,
    /// The case's number: the page names its case and links back.
    number: String,
}

impl Target {
    async fn of_case(mut self, state: &AppState, handle: &CaseHandle) -> Result<Target, PageError> {
        self.number = state.store.case_number(handle).await?;
        Ok(self)
    }
}

fn page(
    user: &User,
    id: Uuid,
    kind: RecordKind,
    target: &Target,
    answers: &Answers,
    errors: &FieldErrors,
) -> FormAPage {
    let def = record_definition(kind);
    let t = user.ctx.t();
    let body = form_body(def, answers, errors, &t, None, &target.owners, &StepAt::default());
    let mut chrome = Chrome::for_user(user, "procedure-title");
    chrome.title = t.form_title(def).to_owned();
    FormAPage {
        chrome,
        intro: t.get(&format!("record-{}-intro", kind.as_str().replace('_', "-"))),
        action: target.action.clone(),
        submit: t.get("record-submit"),
        back: Some(format!("/procedures/{id}")),
        case_number: Some(target.number.clone()),
        version: target.version,
        hidden: target.hidden.clone(),
        body,
        matches: vec![],
        draft: None,
        from_paper: None,
    }
}

/// Today's date or now, in Poland, in the record's date field: what a user fills most of the time.
fn with_today(state: &AppState, kind: RecordKind) -> Answers {
    let now = state.store.now().to_zoned(domain::calendar::poland_zone());
    let (section, field) = kind.date_field();
    let mut answers = Answers::new();
    let value = match record_definition(kind).field(section, field).map(|f| &f.field_type) {
        Some(domain::forms::FieldType::DateTime) => now.strftime("%Y-%m-%dT%H:%M").to_string(),
        _ => now.date().to_string(),
    };
    answers.insert(format!("{section}.{field}"), value);
    answers
}

/// Validates a posted record and hands it to `store_call`: back to the case's records once it is saved; otherwise the
/// same page with everything typed and the reasons beside the fields (422), or the conflict on top (409).
async fn save<T, Fut>(
    user: &User,
    id: Uuid,
    kind: RecordKind,
    target: Target,
    answers: Answers,
    store_call: impl FnOnce(ValidatedAnswers) -> Fut,
) -> Result<Response, PageError>
where
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let render = |status: StatusCode, errors: &FieldErrors| {
        (status, page(user, id, kind, &target, &answers, errors)).into_response()
    };
    let validated = match validate_record(kind, &answers) {
        Ok(v) => v,
        Err(errors) => return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &errors)),
    };
    match store_call(validated).await {
        Ok(_) => Ok(crate::flash::saved(&format!("/procedures/{id}#records"))),
        Err(StoreError::Invalid(errors)) => Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &errors)),
        Err(StoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new();
            errors.add("form", "record-conflict");
            Ok(render(StatusCode::CONFLICT, &errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// The group's members when the record has an owner to choose (a plan item); nothing to read otherwise.
async fn owners_for(
    state: &AppState,
    user: &User,
    handle: &CaseHandle,
    kind: RecordKind,
) -> Result<OwnerNames, PageError> {
    if kind != RecordKind::PlanItem {
        return Ok(OwnerNames::default());
    }
    Ok(OwnerNames::load(state, &user.ctx.t(), handle).await?)
}

fn new_target(id: Uuid, kind: RecordKind, owners: OwnerNames) -> Target {
    Target {
        action: format!("/procedures/{id}/records/new/{}", kind.as_str()),
        version: None,
        hidden: vec![],
        owners,
        number: String::new(),
    }
}

fn edit_target(id: Uuid, record_id: Uuid, kind: RecordKind, record_version: i64, owners: OwnerNames) -> Target {
    Target {
        action: format!("/procedures/{id}/records/{record_id}/edit"),
        version: None,
        hidden: vec![("record_version".into(), record_version.to_string()), ("kind".into(), kind.as_str().into())],
        owners,
        number: String::new(),
    }
}

fn minutes_target(id: Uuid, record_id: Uuid, record_version: i64, version: i64) -> Target {
    Target {
        action: format!("/procedures/{id}/records/{record_id}/minutes"),
        version: Some(version),
        hidden: vec![("record_version".into(), record_version.to_string())],
        owners: OwnerNames::default(),
        number: String::new(),
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    user: User,
    Ids((id, kind)): Ids<(Uuid, String)>,
) -> Result<Response, PageError> {
    let kind = addable(&kind)?;
    let handle = working_handle(&state, &user, id).await?;
    // A meeting is planned ahead: its time is left to the user; anything else is most often recorded the same day.
    let answers = if kind == RecordKind::Meeting { Answers::new() } else { with_today(&state, kind) };
    let target = new_target(id, kind, owners_for(&state, &user, &handle, kind).await?).of_case(&state, &handle).await?;
    Ok(page(&user, id, kind, &target, &answers, &FieldErrors::new()).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    Ids((id, kind)): Ids<(Uuid, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let kind = addable(&kind)?;
    let handle = working_handle(&state, &user, id).await?;
    let posted = PostedForm::read(&body);
    let target = new_target(id, kind, owners_for(&state, &user, &handle, kind).await?).of_case(&state, &handle).await?;
    save(&user, id, kind, target, posted.answers, |v| async move { state.store.add_record(&handle, &v).await }).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: User,
    Ids((id, record_id)): Ids<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let handle = working_handle(&state, &user, id).await?;
    let record = state.store.case_record(&handle, record_id).await?;
    if !record.is_editable() {
        return Err(ErrorPage::NotFound.into());
    }
    let mut answers = record.answers.clone();
    if record.kind == RecordKind::PlanItem {
        // A review starts empty: the earlier one stays in the history.
        answers.remove("item.review");
    }
    let owners = owners_for(&state, &user, &handle, record.kind).await?;
    let target = edit_target(id, record_id, record.kind, record.version, owners).of_case(&state, &handle).await?;
    Ok(page(&user, id, record.kind, &target, &answers, &FieldErrors::new()).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids((id, record_id)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let handle = working_handle(&state, &user, id).await?;
    let posted = PostedForm::read(&body);
    let record_version =
        posted.control("record_version").and_then(|v| v.parse::<i64>().ok()).ok_or(ErrorPage::BadRequest)?;
    let kind = RecordKind::parse(posted.control("kind").unwrap_or_default()).ok_or(ErrorPage::BadRequest)?;
    let owners = owners_for(&state, &user, &handle, kind).await?;
    let target = edit_target(id, record_id, kind, record_version, owners).of_case(&state, &handle).await?;
    save(&user, id, kind, target, posted.answers, |v| async move {
        state.store.update_record(&handle, record_id, &v, record_version).await
    })
    .await
}

pub async fn minutes_form(
    State(state): State<AppState>,
    user: User,
    Ids((id, record_id)): Ids<(Uuid, Uuid)>,
) -> Result<Response, PageError> {
    let handle = working_handle(&state, &user, id).await?;
    let record = state.store.case_record(&handle, record_id).await?;
    if record.kind != RecordKind::Meeting || record.status != "planned" {
        return Err(ErrorPage::NotFound.into());
    }
    let version = state.store.procedure_version(&handle).await?;
    let mut answers = Answers::new();
    if let Some(start) = record.answers.get("meeting.starts_at") {
        answers.insert("minutes.held_at", start.get(..16).unwrap_or(start));
    }
    let target = minutes_target(id, record_id, record.version, version).of_case(&state, &handle).await?;
    Ok(page(&user, id, RecordKind::MeetingMinutes, &target, &answers, &FieldErrors::new()).into_response())
}

pub async fn hold(
    State(state): State<AppState>,
    user: User,
    Ids((id, record_id)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let handle = working_handle(&state, &user, id).await?;
    let posted = PostedForm::read(&body);
    let number = |name: &str| posted.control(name).and_then(|v| v.parse::<i64>().ok());
    let (Some(record_version), Some(version)) = (number("record_version"), number("version")) else {
        return Err(ErrorPage::BadRequest.into());
    };
    let target = minutes_target(id, record_id, record_version, version).of_case(&state, &handle).await?;
    save(&user, id, RecordKind::MeetingMinutes, target, posted.answers, |v| async move {
        state.store.hold_meeting(&handle, record_id, &v, record_version, version).await
    })
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    user: User,
    Ids((id, record_id)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let handle = working_handle(&state, &user, id).await?;
    let version = field(&body, "record_version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let result = state.store.cancel_meeting(&handle, record_id, version).await;
    super::actions::outcome(&state, &user, id, result).await
}
