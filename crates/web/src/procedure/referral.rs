//! The referrals page: each referral of a person using violence to a programme, with its facts, its clocks and the
//! steps it can take now, each a plain form post carrying the version it was read at. A refused step comes back with
//! the message beside the field it concerns and the typed input kept.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::Permission;
use domain::procedure::referral::{
    Penalty, ProgrammeKind, Referral, ReferralStep, StepKind, SuspectedPersonRef, parse_date,
};
use domain::procedure::timing::parse_occurred_at;
use jiff::Timestamp;
use jiff::civil::Date;
use store::StoreError;
use store::county::ReferralReference;
use store::procedure::{ReferralsView, SuspectedPerson};
use uuid::Uuid;

use super::show::{DeadlineRow, deadline_row, local_input, warsaw};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

/// One step's form. `key` is unique on the page (html ids); the values and errors are those of a refused post.
pub struct StepForm {
    pub key: String,
    pub step: &'static str,
    pub label: String,
    pub dated: bool,
    /// A moment (the team's referral): a date-time field, empty meaning now.
    pub moment: bool,
    pub provider: bool,
    pub penalty: bool,
    pub state: FormState,
}

pub struct ReferralBlock {
    pub id: Uuid,
    /// The reference given to the county for its certificates (grouped by four), and what arrived against it.
    pub county_reference: Option<String>,
    pub county_certificates: Vec<String>,
    /// Whether the reader may make the reference (the team or the group, once the team has referred).
    pub may_make_reference: bool,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub deadlines: Vec<DeadlineRow>,
    pub steps: Vec<StepForm>,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/referral.html")]
pub struct ReferralsPage {
    chrome: Chrome,
    id: Uuid,
    version: i64,
    referrals: Vec<ReferralBlock>,
    can_request: bool,
    /// (value posted, label) of each suspected person of the case's forms A.
    persons: Vec<(String, String)>,
    programmes: Vec<(&'static str, String)>,
    penalties: Vec<(&'static str, String)>,
    /// The request form's typed values and errors.
    request: FormState,
    /// "Break-glass access until …": a case read through a grant says so on every page.
    grant_banner: Option<String>,
    /// Now in Polish time, as a date-time field's `max`.
    now_local: String,
}

/// Which form on the page a refused post came from, with what was typed and what is wrong.
enum Failed {
    Request(FormState),
    Step { referral: Uuid, step: StepKind, state: FormState },
}

fn person_value(p: &SuspectedPersonRef) -> String {
    format!("{}:{}", p.form_id, p.index)
}

fn parse_person(raw: &str) -> Option<SuspectedPersonRef> {
    let (form, index) = raw.split_once(':')?;
    Some(SuspectedPersonRef { form_id: Uuid::parse_str(form).ok()?, index: index.parse().ok()? })
}

fn person_name(persons: &[SuspectedPerson], r: &Referral, t: &Tr) -> String {
    persons.iter().find(|p| p.person == r.person()).map_or_else(|| t.get("referral-person-missing"), |p| p.name.clone())
}

fn facts(r: &Referral, late: &[(StepKind, Timestamp)], t: &Tr) -> Vec<(String, String)> {
    let zone = domain::calendar::poland_zone();
    // "wpisano później: <when>" beside a fact typed in more than a working day after it happened (the n-th of its
    // kind: the calls).
    let marked = |kind: StepKind, nth: usize, value: String| match late.iter().filter(|(k, _)| *k == kind).nth(nth) {
        Some((_, recorded)) => format!("{value} ({})", t.arg("timeline-entered-later", "date", &warsaw(*recorded))),
        None => value,
    };
    let mut out = vec![(
        t.get("referral-fact-requested"),
        marked(StepKind::Request, 0, r.requested_at().to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string()),
    )];
    if let Some(referred) = r.referred() {
        let at = referred.at.to_zoned(zone).strftime("%Y-%m-%d %H:%M").to_string();
        out.push((t.get("referral-fact-referred"), marked(StepKind::Refer, 0, at)));
        out.push((t.get("referral-fact-provider"), referred.provider.clone()));
    }
    let dated: [(&str, StepKind, Option<Date>); 9] = [
        ("referral-fact-delivered", StepKind::Deliver, r.delivered_on()),
        ("referral-fact-registration-certificate", StepKind::RegistrationCertificate, r.registration_certificate_on()),
        ("referral-fact-programme-ended", StepKind::ProgrammeEnded, r.programme_ended_on()),
        ("referral-fact-completion-certificate", StepKind::CompletionCertificate, r.completion_certificate_on()),
        ("referral-fact-notification-requested", StepKind::RequestOffenceNotification, r.notification_requested_on()),
        ("referral-fact-starosta-asked", StepKind::AskStarosta, r.starosta_asked_on()),
        ("referral-fact-notification-filed", StepKind::FileOffenceNotification, r.notification_filed_on()),
        ("referral-fact-commander-informed", StepKind::InformCommander, r.commander_informed_on()),
        ("referral-fact-penalty", StepKind::Penalty, r.penalty().map(|p| p.1)),
    ];
    for (i, call) in r.calls().iter().enumerate() {
        out.push((
            t.arg("referral-fact-call", "n", &(i + 1).to_string()),
            marked(StepKind::CertificateCall, i, call.to_string()),
        ));
    }
    for (key, kind, date) in dated {
        let Some(date) = date else { continue };
        let value = match (kind, r.penalty()) {
            (StepKind::Penalty, Some((p, _))) => format!("{} ({date})", t.get(&format!("penalty-{}", p.as_str()))),
            _ => date.to_string(),
        };
        out.push((t.get(key), marked(kind, 0, value)));
    }
    out
}

fn page(
    user: &User,
    id: Uuid,
    view: &ReferralsView,
    references: &[ReferralReference],
    failed: Option<Failed>,
    now: Timestamp,
) -> ReferralsPage {
    let t = user.ctx.t();
    let (request, failed_step) = match failed {
        Some(Failed::Request(state)) => (state, None),
        Some(Failed::Step { referral, step, state }) => (FormState::new(), Some((referral, step, state))),
        None => (FormState::new(), None),
    };
    let mut failed_step = failed_step;
    let referrals = view
        .referrals
        .iter()
        .map(|rv| {
            let r = &rv.referral;
            let steps = rv
                .possible
                .iter()
                .map(|&step| {
                    let state = match failed_step.take_if(|(fr, fs, _)| *fr == r.id() && *fs == step) {
                        Some((_, _, state)) => state,
                        None => FormState::new(),
                    };
                    StepForm {
                        key: format!("{}-{}", r.id(), step.as_str()),
                        step: step.as_str(),
                        label: t.get(&format!("referral-step-{}", step.as_str())),
                        dated: !matches!(step, StepKind::Request | StepKind::Refer),
                        moment: step == StepKind::Refer,
                        provider: step == StepKind::Refer,
                        penalty: step == StepKind::Penalty,
                        state,
                    }
                })
                .collect();
            let reference = references.iter().find(|x| x.referral_id == r.id());
            ReferralBlock {
                id: r.id(),
                county_reference: reference.map(|x| x.reference.clone()),
                county_certificates: reference
                    .map(|x| {
                        x.certificates
                            .iter()
                            .map(|(kind, on)| {
                                t.arg(
                                    &format!("referral-county-certificate-{}", kind.as_str()),
                                    "date",
                                    &on.strftime("%d.%m.%Y").to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                may_make_reference: reference.is_none() && view.access.works_on_case() && r.referred().is_some(),
                title: format!(
                    "{}: {}",
                    t.get(&format!("programme-{}", r.programme().as_str())),
                    person_name(&view.suspected_persons, r, &t)
                ),
                facts: facts(r, &rv.entered_late, &t),
                deadlines: rv.deadlines.iter().map(|d| deadline_row(&t, d)).collect(),
                steps,
            }
        })
        .collect();
    ReferralsPage {
        id,
        version: view.version,
        referrals,
        can_request: view.can_request,
        persons: view.suspected_persons.iter().map(|p| (person_value(&p.person), p.name.clone())).collect(),
        programmes: ProgrammeKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.get(&format!("programme-{}", k.as_str()))))
            .collect(),
        penalties: Penalty::ALL.iter().map(|p| (p.as_str(), t.get(&format!("penalty-{}", p.as_str())))).collect(),
        request,
        grant_banner: None,
        now_local: local_input(now),
        chrome: Chrome::for_user(user, "referrals-title"),
    }
}

async fn render(
    state: &AppState,
    user: &User,
    id: Uuid,
    failed: Option<Failed>,
    notice: Option<String>,
) -> Result<ReferralsPage, PageError> {
    let handle = state.store.case_access(&user.caller(), id).await?;
    let view = state.store.referrals_view(&handle).await?;
    let references = state.store.county_references(&handle).await?;
    let mut page = page(user, id, &view, &references, failed, state.clock.now());
    page.chrome = page.chrome.with_notice(notice);
    page.grant_banner = super::grants::banner(state, &user.ctx.t(), &handle).await?;
    // The page names its case (issue 16 item 3); the link back is at its top.
    let number = state.store.case_number(&handle).await?;
    page.chrome.title = format!("{} — {}", page.chrome.title, user.ctx.t().arg("case-of", "number", &number));
    Ok(page)
}

pub async fn show(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    Ok(render(&state, &user, id, None, None).await?.into_response())
}

/// After a step: back to the page (303). Refused: the page with the message beside its field (422). Someone else's
/// change first: the page with the conflict explained and the typed input kept (409).
async fn outcome(
    state: &AppState,
    user: &User,
    id: Uuid,
    result: Result<(), StoreError>,
    failed: impl FnOnce(Option<&FieldErrors>) -> Failed,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    match result {
        Ok(()) => Ok(crate::flash::saved(&format!("/procedures/{id}/referrals"))),
        Err(StoreError::Invalid(errors)) => {
            // The first message on top too: the step's own form may not be on the page any more (a stale page).
            let notice = errors.iter().next().map_or_else(|| t.get("form-has-errors"), |e| t.field_error(e));
            let page = render(state, user, id, Some(failed(Some(&errors))), Some(notice)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            let page = render(state, user, id, Some(failed(None)), Some(t.get("procedure-conflict"))).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The group (or the team on its behalf) asks for a referral of a suspected person to a programme.
pub async fn request(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let (person_raw, programme_raw) = (field(&body, "person"), field(&body, "programme"));
    let occurred_raw = field(&body, "occurred_at");
    let mut errors = FieldErrors::new();
    let person = errors.check("person", parse_person(person_raw).ok_or("err-referral-person-unknown"));
    let programme = errors.check("programme", ProgrammeKind::parse(programme_raw));
    let occurred_at = errors.check("occurred_at", parse_occurred_at(occurred_raw));
    let result = match (person, programme, occurred_at) {
        (Some(person), Some(programme), Some(at)) if errors.is_empty() => {
            let step = ReferralStep::Request { programme, person };
            state.store.referral_step_at(&handle, Uuid::now_v7(), &step, at, version).await.map(|_| ())
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    let t = user.ctx.t();
    outcome(&state, &user, id, result, |errors| {
        let typed = FormState::new()
            .with("person", person_raw)
            .with("programme", programme_raw)
            .with("occurred_at", occurred_raw);
        Failed::Request(errors.map_or(typed.clone(), |e| typed.clone().with_errors(e, &t)))
    })
    .await
}

/// Reads one step from the posted fields, with the moment it happened for the referral itself (empty: now), or the
/// errors beside them.
fn step_from(body: &[(String, String)], kind: StepKind) -> Result<(ReferralStep, Option<Timestamp>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let on = if matches!(kind, StepKind::Request | StepKind::Refer) {
        None
    } else {
        errors.check("on", parse_date(field(body, "on").trim()))
    };
    let occurred_at = if kind == StepKind::Refer {
        errors.check("occurred_at", parse_occurred_at(field(body, "occurred_at"))).flatten()
    } else {
        None
    };
    let penalty =
        if kind == StepKind::Penalty { errors.check("penalty", Penalty::parse(field(body, "penalty"))) } else { None };
    if !errors.is_empty() {
        return Err(errors);
    }
    let on = on.unwrap_or(Date::MIN);
    let step = match kind {
        // A request is posted to the request form; here it is malformed.
        StepKind::Request => {
            let mut e = FieldErrors::new();
            e.add("step", "err-referral-unknown");
            return Err(e);
        }
        StepKind::Refer => ReferralStep::Refer { provider: field(body, "provider").to_owned() },
        StepKind::Deliver => ReferralStep::Deliver { on },
        StepKind::RegistrationCertificate => ReferralStep::RegistrationCertificate { on },
        StepKind::CertificateCall => ReferralStep::CertificateCall { on },
        StepKind::ProgrammeEnded => ReferralStep::ProgrammeEnded { on },
        StepKind::CompletionCertificate => ReferralStep::CompletionCertificate { on },
        StepKind::RequestOffenceNotification => ReferralStep::RequestOffenceNotification { on },
        StepKind::AskStarosta => ReferralStep::AskStarosta { on },
        StepKind::FileOffenceNotification => ReferralStep::FileOffenceNotification { on },
        StepKind::InformCommander => ReferralStep::InformCommander { on },
        StepKind::Penalty => ReferralStep::Penalty { penalty: penalty.unwrap_or(Penalty::Fine), on },
    };
    Ok((step, occurred_at))
}

/// A later step of an existing referral.
pub async fn step(
    State(state): State<AppState>,
    user: User,
    Ids((id, referral)): Ids<(Uuid, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    let kind = StepKind::parse(field(&body, "step")).ok_or(ErrorPage::BadRequest)?;
    let result = match step_from(&body, kind) {
        Ok((step, at)) => state.store.referral_step_at(&handle, referral, &step, at, version).await.map(|_| ()),
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let t = user.ctx.t();
    let typed =
        ["on", "occurred_at", "provider", "penalty"].iter().fold(FormState::new(), |s, k| s.with(k, field(&body, k)));
    outcome(&state, &user, id, result, |errors| {
        let state = errors.map_or(typed.clone(), |e| typed.clone().with_errors(e, &t));
        Failed::Step { referral, step: kind, state }
    })
    .await
}

/// The team or the group makes the referral's reference for the county (shown on the page from then on): the county
/// types it beside the certificate it sends back, and never learns more of the case.
pub async fn county_reference(
    State(state): State<AppState>,
    user: User,
    Ids((id, referral)): Ids<(Uuid, Uuid)>,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    state.store.issue_county_reference(&handle, referral).await?;
    Ok(crate::flash::saved(&format!("/procedures/{id}/referrals#referral-{referral}")))
}
