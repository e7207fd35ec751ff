//! `/team/agreements` (issue 18 item 5): the agreements between the mayor and the member institutions
//! (porozumienia, art. 9a ust. 8) with their dates and state in words, those needing the chair on top, and the form
//! to add one or change one (an extension, a termination, a correction) at the version it was read at. The reminder
//! before one lapses is each agreement's own lead (`remind_days`, 30 days unless typed otherwise): the same rule the
//! daily job uses to notify the chair and the deputy (store `team_reminders`), so the page, the home page and the
//! notification never disagree. The store lets only the team's staff (`ManageTeam`) read and keep them.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use jiff::civil::Date;
use store::StoreError;
use store::team::{Agreement, AgreementDraft, AgreementState, agreements_needing_attention};
use uuid::Uuid;

use super::{day, version_of};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

pub struct AgreementRow {
    pub id: Uuid,
    pub institution: String,
    pub subject: String,
    pub signed: String,
    pub period: String,
    /// The row's class: `deadline-soon` while lapsing, `muted` once lapsed, else empty.
    pub class: &'static str,
    pub state: String,
}

fn state_label(t: &Tr, s: AgreementState) -> String {
    t.get(&format!("agreement-state-{}", s.as_str().replace('_', "-")))
}

fn row(t: &Tr, a: &Agreement, today: Date) -> AgreementRow {
    let state = a.state(today);
    let period = match a.in_force_to {
        Some(to) => format!("{} – {}", day(a.in_force_from), day(to)),
        None => t.arg("agreement-period-open", "from", &day(a.in_force_from)),
    };
    let class = match state {
        AgreementState::Lapsing { .. } => "deadline-soon",
        AgreementState::Lapsed => "muted",
        AgreementState::Ahead | AgreementState::InForce => "",
    };
    AgreementRow {
        id: a.id,
        institution: a.institution_name.clone(),
        subject: a.subject.clone(),
        signed: day(a.signed_on),
        period,
        class,
        state: state_label(t, state),
    }
}

/// The agreements lapsing and those lapsed without a new one, in sentences (the agreements page and the team's
/// page); empty when nothing needs the chair.
pub fn attention(t: &Tr, list: &[Agreement], today: Date) -> (Vec<String>, Vec<String>) {
    let (lapsing, lapsed) = agreements_needing_attention(list, today);
    let last = |a: &Agreement| a.in_force_to.map(day).unwrap_or_default();
    let sentence = |id: &str, a: &Agreement| t.arg2(id, "institution", &a.institution_name, "date", &last(a));
    (
        lapsing.into_iter().map(|a| sentence("agreements-lapsing", a)).collect(),
        lapsed.into_iter().map(|a| sentence("agreements-lapsed", a)).collect(),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "team/agreements.html")]
pub struct AgreementsPage {
    chrome: Chrome,
    rows: Vec<AgreementRow>,
    lapsing: Vec<String>,
    lapsed: Vec<String>,
    institutions: Vec<(String, String)>,
    action: String,
    version: i64,
    editing: bool,
    form: FormState,
}

async fn page(
    state: &AppState,
    user: &User,
    shown: Option<&Agreement>,
    form: FormState,
    notice: Option<String>,
) -> Result<AgreementsPage, PageError> {
    let chrome = Chrome::for_user(user, "agreements-title").with_notice(notice);
    let today = state.store.today();
    let list = state.store.agreements(&user.principal).await?;
    let tenant = user.principal.tenant_id.ok_or(ErrorPage::NotFound)?;
    let institutions =
        state.store.list_institutions(tenant).await?.into_iter().map(|i| (i.id.to_string(), i.name)).collect();
    let (lapsing, lapsed) = attention(&chrome.t, &list, today);
    let rows = list.iter().map(|a| row(&chrome.t, a, today)).collect();
    let (action, version, editing) = match shown {
        Some(a) => (format!("/team/agreements/{}", a.id), a.version, true),
        None => ("/team/agreements".to_owned(), 0, false),
    };
    Ok(AgreementsPage { chrome, rows, lapsing, lapsed, institutions, action, version, editing, form })
}

fn draft_of(body: &[(String, String)]) -> AgreementDraft {
    let f = |k: &str| field(body, k).to_owned();
    AgreementDraft {
        institution_id: f("institution_id"),
        subject: f("subject"),
        signed_on: f("signed_on"),
        in_force_from: f("in_force_from"),
        in_force_to: f("in_force_to"),
        remind_days: f("remind_days"),
    }
}

fn form_of(d: &AgreementDraft) -> FormState {
    FormState::new()
        .with("institution_id", &d.institution_id)
        .with("subject", &d.subject)
        .with("signed_on", &d.signed_on)
        .with("in_force_from", &d.in_force_from)
        .with("in_force_to", &d.in_force_to)
        .with("remind_days", &d.remind_days)
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    Ok(page(&state, &user, None, FormState::new(), None).await?.into_response())
}

pub async fn edit_form(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    let a = state.store.agreement(&user.principal, id).await?;
    let form = form_of(&a.to_draft());
    Ok(page(&state, &user, Some(&a), form, None).await?.into_response())
}

/// Adds (no id) or changes (an id) an agreement, then shows it in its form with the list above.
async fn save(
    state: AppState,
    user: User,
    id: Option<Uuid>,
    body: Vec<(String, String)>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTeam)?;
    // A change to an agreement that is not there (or not this municipality's) is the 404 page, before anything else.
    let stored = match id {
        Some(id) => Some(state.store.agreement(&user.principal, id).await?),
        None => None,
    };
    let draft = draft_of(&body);
    let result = match (draft.validate(state.store.today()), id) {
        (Ok(input), None) => state.store.create_agreement(&user.caller(), &input).await,
        (Ok(input), Some(id)) => {
            state.store.update_agreement(&user.caller(), id, &input, version_of(&body)).await.map(|()| id)
        }
        (Err(e), _) => Err(StoreError::Invalid(e)),
    };
    let t = user.ctx.t();
    match result {
        Ok(id) => Ok(crate::flash::saved(&format!("/team/agreements/{id}"))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_of(&draft).with_errors(&errors, &t);
            let p = page(&state, &user, stored.as_ref(), form, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            // The form keeps what was typed, at the version now stored, so a second save is a deliberate one.
            let fresh = match id {
                Some(id) => Some(state.store.agreement(&user.principal, id).await?),
                None => None,
            };
            let p = page(&state, &user, fresh.as_ref(), form_of(&draft), Some(t.get("record-conflict"))).await?;
            Ok((StatusCode::CONFLICT, p).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(state, user, None, body).await
}

pub async fn update(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save(state, user, Some(id), body).await
}
