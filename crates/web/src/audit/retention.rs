//! Retention and erasure for the data protection officer (`/audit/retention`, issue 20 item 5): the municipality's
//! periods within their bounds, the records whose period ended ("do usunięcia") with a form to erase them (one, some
//! or all, with a moment and a comment), and the erasures done. The store decides who may and audits every step.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::identity::Permission;
use domain::retention::{PeriodUnit, RecordKind};
use store::StoreError;
use store::retention::{ErasureRequest, RetentionSetting};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::i18n::Tr;
use crate::page::{Chrome, FormState, field, repeated};
use crate::procedure::show::{local_input, warsaw};
use crate::session::User;
use crate::state::AppState;

/// One period as the form shows it.
pub struct PeriodField {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
}

/// One record due, as the list shows it.
pub struct DueLine {
    /// `kind:id`, the checkbox's value.
    pub value: String,
    pub kind: String,
    pub label: String,
    pub since: String,
    pub last_day: String,
}

/// One erasure done.
pub struct ErasedLine {
    pub kind: String,
    pub label: String,
    pub period_ended_on: String,
    pub at: String,
    pub by: String,
    pub comment: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/retention.html")]
pub struct RetentionPage {
    chrome: Chrome,
    periods: Vec<PeriodField>,
    settings: FormState,
    due: Vec<DueLine>,
    erase: FormState,
    erased: Vec<ErasedLine>,
    saved: bool,
}

impl RetentionPage {
    fn is_checked(&self, value: &str) -> bool {
        self.erase.checked("record", value)
    }
}

fn kind_label(t: &Tr, kind: RecordKind) -> String {
    t.get(&format!("retention-kind-{}", kind.as_str().replace('_', "-")))
}

fn period_field(t: &Tr, s: &RetentionSetting) -> PeriodField {
    let unit = match s.rule.unit {
        PeriodUnit::Days => "retention-bounds-days",
        PeriodUnit::Years => "retention-bounds-years",
    };
    PeriodField {
        name: s.rule.kind.as_str(),
        label: kind_label(t, s.rule.kind),
        hint: t.arg2(unit, "min", &s.rule.min.to_string(), "max", &s.rule.max.to_string()),
    }
}

/// The page with the given forms' state; the lists are read afresh (each read audited by the store).
async fn page(
    state: &AppState,
    user: &User,
    settings: Option<FormState>,
    erase: FormState,
    saved: bool,
) -> Result<RetentionPage, PageError> {
    let t = user.ctx.t();
    let current = state.store.retention_settings(&user.principal).await?;
    let settings = settings.unwrap_or_else(|| {
        current.iter().fold(FormState::new(), |f, s| f.with(s.rule.kind.as_str(), &s.amount.to_string()))
    });
    let due = state
        .store
        .due_for_erasure(&user.caller())
        .await?
        .into_iter()
        .map(|d| DueLine {
            value: format!("{}:{}", d.kind.as_str(), d.id),
            kind: kind_label(&t, d.kind),
            label: d.label,
            since: d.since.to_string(),
            last_day: d.last_day.to_string(),
        })
        .collect();
    let erased = state
        .store
        .erasures(&user.caller())
        .await?
        .into_iter()
        .map(|e| ErasedLine {
            kind: kind_label(&t, e.kind),
            label: e.label,
            period_ended_on: e.period_ended_on,
            at: warsaw(e.erased_at),
            by: e.approved_by,
            comment: e.comment,
        })
        .collect();
    Ok(RetentionPage {
        chrome: Chrome::for_user(user, "retention-title"),
        periods: current.iter().map(|s| period_field(&t, s)).collect(),
        settings,
        due,
        erase,
        erased,
        saved,
    })
}

fn fresh_erase_form(state: &AppState) -> FormState {
    FormState::new().with("at", &local_input(state.store.now()))
}

/// `GET /audit/retention`.
pub async fn show(
    State(state): State<AppState>,
    user: User,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let saved = field(&q, "saved") == "1";
    Ok(page(&state, &user, None, fresh_erase_form(&state), saved).await?.into_response())
}

/// `POST /audit/retention/settings`: the periods; out of bounds refused beside the field, typed values kept.
pub async fn save(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let typed: Vec<(RecordKind, String)> =
        RecordKind::ALL.into_iter().map(|k| (k, field(&body, k.as_str()).to_owned())).collect();
    match state.store.set_retention(&user.caller(), &typed).await {
        Ok(()) => Ok(Redirect::to("/audit/retention?saved=1").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let form = typed
                .iter()
                .fold(FormState::new(), |f, (k, v)| f.with(k.as_str(), v))
                .with_errors(&errors, &user.ctx.t());
            let page = page(&state, &user, Some(form), fresh_erase_form(&state), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /audit/retention/erase`: erases the ticked records; a record within its period, a moment in the future or
/// before the period ended, a missing comment are refused beside their fields with what was typed kept.
pub async fn erase(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let ticked = repeated(&body, "record");
    let mut records = Vec::with_capacity(ticked.len());
    for value in &ticked {
        // Values come from the page's checkboxes; anything else is a malformed request.
        let (kind, id) = value.split_once(':').ok_or(ErrorPage::BadRequest)?;
        let kind = RecordKind::parse(kind).map_err(|_| ErrorPage::BadRequest)?;
        let id = Uuid::parse_str(id).map_err(|_| ErrorPage::BadRequest)?;
        records.push((kind, id));
    }
    let (at_typed, comment) = (field(&body, "at"), field(&body, "comment"));
    let form = FormState::new().with("at", at_typed).with("comment", comment).with("record", &ticked.join(","));
    let t = user.ctx.t();
    let at = match domain::parse::instant_in_poland(at_typed) {
        Ok(at) => at,
        Err(code) => {
            let form = form.error("at", t.get(code));
            let page = page(&state, &user, None, form, false).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let request = ErasureRequest { records, at, comment: comment.to_owned() };
    match state.store.erase(&user.caller(), &request).await {
        Ok(_) => Ok(crate::flash::saved("/audit/retention#erased")),
        Err(StoreError::Invalid(errors)) => {
            let form = form.with_errors(&errors, &t);
            let page = page(&state, &user, None, form, false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
