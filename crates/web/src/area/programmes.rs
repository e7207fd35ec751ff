//! The county's own programmes (issue 17, item 4): the county's coordinator records each edition of its programmes
//! for persons using violence (period, registrations, completions) and the certificates it sends back to the
//! municipalities' teams, against the opaque reference a municipality gave with its referral. Counts and references
//! only: nothing here names a person or a case. The figures appear on `/area` for the county and summed for the region.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::procedure::referral::ProgrammeKind;
use store::StoreError;
use store::county::{Certificate, CertificateInput, CertificateKind, Edition, EditionInput};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

const EDITION_FIELDS: [&str; 5] = ["kind", "starts_on", "ends_on", "registrations", "completions"];
const CERTIFICATE_FIELDS: [&str; 4] = ["kind", "issued_on", "edition", "reference"];

/// An edition's form: a new one (`id` none) or the change of a listed one, with what was typed.
pub struct EditionForm {
    pub key: String,
    pub action: String,
    pub version: i64,
    pub open: bool,
    pub state: FormState,
}

impl EditionForm {
    /// The two dates' (name, label) in the order the form asks for them.
    pub fn date_fields(&self) -> [(&'static str, &'static str); 2] {
        [("starts_on", "county-edition-starts"), ("ends_on", "county-edition-ends")]
    }

    pub fn count_fields(&self) -> [(&'static str, &'static str); 2] {
        [("registrations", "county-edition-registrations"), ("completions", "county-edition-completions")]
    }
}

pub struct EditionRow {
    pub edition: Edition,
    pub kind: String,
    pub period: String,
    pub form: EditionForm,
}

pub struct CertificateRow {
    pub certificate: Certificate,
    pub kind: String,
    pub issued_on: String,
    pub edition: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "area/programmes.html")]
pub struct ProgrammesPage {
    chrome: Chrome,
    kinds: Vec<(&'static str, String)>,
    certificate_kinds: Vec<(&'static str, String)>,
    new_edition: EditionForm,
    editions: Vec<EditionRow>,
    certificate: FormState,
    certificates: Vec<CertificateRow>,
    /// (value, label) of each edition for the certificate's choice.
    edition_choices: Vec<(String, String)>,
}

/// Which form a refused post came from.
enum Failed {
    Edition(Option<Uuid>, FormState),
    Certificate(FormState),
}

fn date(d: jiff::civil::Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

async fn render(state: &AppState, user: &User, failed: Option<Failed>) -> Result<ProgrammesPage, PageError> {
    let t = user.ctx.t();
    let editions = state.store.county_editions(&user.principal).await?;
    let certificates = state.store.county_certificates(&user.principal).await?;
    let kind_name = |k: ProgrammeKind| t.get(&format!("programme-{}", k.as_str()));
    let (mut failed_edition, certificate) = match failed {
        Some(Failed::Edition(id, s)) => (Some((id, s)), FormState::new()),
        Some(Failed::Certificate(s)) => (None, s),
        None => (None, FormState::new()),
    };
    let new_edition = EditionForm {
        key: "edition-new".into(),
        action: "/area/programmes/editions".into(),
        version: 0,
        open: true,
        state: failed_edition.take_if(|(id, _)| id.is_none()).map(|(_, s)| s).unwrap_or_default(),
    };
    let edition_choices = editions
        .iter()
        .map(|e| (e.id.to_string(), format!("{}, {}–{}", kind_name(e.kind), date(e.starts_on), date(e.ends_on))))
        .collect();
    let edition_label = |id: Option<Uuid>| {
        id.and_then(|id| editions.iter().find(|e| e.id == id))
            .map_or_else(|| "—".to_owned(), |e| format!("{}, {}", kind_name(e.kind), date(e.starts_on)))
    };
    let certificates = certificates
        .into_iter()
        .map(|c| CertificateRow {
            kind: t.get(&format!("county-certificate-{}", c.kind.as_str())),
            issued_on: date(c.issued_on),
            edition: edition_label(c.edition_id),
            certificate: c,
        })
        .collect();
    let editions = editions
        .iter()
        .map(|e| {
            let typed = failed_edition.take_if(|(id, _)| *id == Some(e.id)).map(|(_, s)| s);
            let open = typed.is_some();
            let state = typed.unwrap_or_else(|| {
                FormState::new()
                    .with("kind", e.kind.as_str())
                    .with("starts_on", &e.starts_on.to_string())
                    .with("ends_on", &e.ends_on.to_string())
                    .with("registrations", &e.registrations.to_string())
                    .with("completions", &e.completions.to_string())
            });
            EditionRow {
                kind: kind_name(e.kind),
                period: format!("{} – {}", date(e.starts_on), date(e.ends_on)),
                form: EditionForm {
                    key: format!("edition-{}", e.id),
                    action: format!("/area/programmes/editions/{}", e.id),
                    version: e.version,
                    open,
                    state,
                },
                edition: e.clone(),
            }
        })
        .collect();
    Ok(ProgrammesPage {
        kinds: ProgrammeKind::ALL.iter().map(|k| (k.as_str(), kind_name(*k))).collect(),
        certificate_kinds: CertificateKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.get(&format!("county-certificate-{}", k.as_str()))))
            .collect(),
        new_edition,
        editions,
        certificate,
        certificates,
        edition_choices,
        chrome: Chrome::for_user(user, "county-programmes-title"),
    })
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageCountyProgrammes)?;
    Ok(render(&state, &user, None).await?.into_response())
}

fn edition_input(body: &[(String, String)]) -> EditionInput {
    EditionInput {
        kind: field(body, "kind").to_owned(),
        starts_on: field(body, "starts_on").to_owned(),
        ends_on: field(body, "ends_on").to_owned(),
        registrations: field(body, "registrations").to_owned(),
        completions: field(body, "completions").to_owned(),
    }
}

/// Saved: back to the page (303). Refused: the page with the message beside its field and the typed input kept (422);
/// someone else's change first: the same with the conflict said on top (409).
async fn outcome(
    state: &AppState,
    user: &User,
    result: Result<(), StoreError>,
    typed: FormState,
    failed: impl FnOnce(FormState) -> Failed,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(crate::flash::saved("/area/programmes")),
        Err(StoreError::Invalid(errors)) => {
            let mut page = render(state, user, Some(failed(typed.with_errors(&errors, &t)))).await?;
            page.chrome = page.chrome.with_notice(Some(t.get("form-has-errors")));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let mut page = render(state, user, Some(failed(typed))).await?;
            page.chrome = page.chrome.with_notice(Some(t.get("county-edition-conflict")));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

fn typed(body: &[(String, String)], fields: &[&str]) -> FormState {
    fields.iter().fold(FormState::new(), |s, k| s.with(k, field(body, k)))
}

pub async fn create_edition(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCountyProgrammes)?;
    let result = state.store.create_county_edition(&user.caller(), &edition_input(&body)).await;
    outcome(&state, &user, result.map(|_| ()), typed(&body, &EDITION_FIELDS), |s| Failed::Edition(None, s)).await
}

pub async fn update_edition(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCountyProgrammes)?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let input = edition_input(&body);
    let result = state.store.update_county_edition(&user.caller(), id, version, &input).await;
    outcome(&state, &user, result, typed(&body, &EDITION_FIELDS), |s| Failed::Edition(Some(id), s)).await
}

pub async fn record_certificate(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageCountyProgrammes)?;
    let input = CertificateInput {
        kind: field(&body, "kind").to_owned(),
        issued_on: field(&body, "issued_on").to_owned(),
        edition: field(&body, "edition").to_owned(),
        reference: field(&body, "reference").to_owned(),
    };
    let result = state.store.record_county_certificate(&user.caller(), &input).await;
    outcome(&state, &user, result.map(|_| ()), typed(&body, &CERTIFICATE_FIELDS), Failed::Certificate).await
}
