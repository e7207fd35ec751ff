//! Programme referrals over the API: the same rules as the referrals page (need-to-know through the case handle, the
//! team's own steps, the optimistic version check). The suspected persons' names are personal data: the read is
//! audited, as on the page.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use domain::procedure::referral::{ProgrammeKind, Referral, ReferralStep, SuspectedPersonRef};
use domain::procedure::timing::parse_occurred_at;
use serde::{Deserialize, Serialize};
use store::procedure::{CaseHandle, ReferralsView};
use utoipa::ToSchema;
use uuid::Uuid;

use super::procedures::{DeadlineDto, deadline_dto, one_error, parse_id};
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PersonRefDto {
    /// The form A that names the person.
    pub form_id: String,
    /// The person's position (from 0) in the form's `suspected_persons` section.
    pub index: u32,
}

#[derive(Serialize, ToSchema)]
pub struct SuspectedPersonDto {
    pub person: PersonRefDto,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralDto {
    pub id: String,
    /// correctional_educational, psychological_therapeutic
    pub programme: String,
    pub person: PersonRefDto,
    pub requested_at: String,
    pub referred_at: Option<String>,
    pub provider: Option<String>,
    pub delivered_on: Option<String>,
    pub registration_certificate_on: Option<String>,
    pub calls: Vec<String>,
    pub programme_ended_on: Option<String>,
    pub completion_certificate_on: Option<String>,
    pub notification_requested_on: Option<String>,
    pub starosta_asked_on: Option<String>,
    pub notification_filed_on: Option<String>,
    pub commander_informed_on: Option<String>,
    /// fine, restriction_of_liberty
    pub penalty: Option<String>,
    pub penalty_on: Option<String>,
    pub deadlines: Vec<DeadlineDto>,
    /// The steps this account may record now.
    pub possible_steps: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralsDto {
    /// Send it back with the next step; a step against an older version is refused with 409.
    pub version: i64,
    pub can_request: bool,
    pub referrals: Vec<ReferralDto>,
    pub suspected_persons: Vec<SuspectedPersonDto>,
}

fn person_dto(p: SuspectedPersonRef) -> PersonRefDto {
    PersonRefDto { form_id: p.form_id.to_string(), index: p.index }
}

fn referral_dto(r: &Referral, deadlines: Vec<DeadlineDto>, possible: Vec<String>) -> ReferralDto {
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
    ReferralDto {
        id: r.id().to_string(),
        programme: r.programme().as_str().into(),
        person: person_dto(r.person()),
        requested_at: r.requested_at().to_string(),
        referred_at: r.referred().map(|x| x.at.to_string()),
        provider: r.referred().map(|x| x.provider.clone()),
        delivered_on: day(r.delivered_on()),
        registration_certificate_on: day(r.registration_certificate_on()),
        calls: r.calls().iter().map(ToString::to_string).collect(),
        programme_ended_on: day(r.programme_ended_on()),
        completion_certificate_on: day(r.completion_certificate_on()),
        notification_requested_on: day(r.notification_requested_on()),
        starosta_asked_on: day(r.starosta_asked_on()),
        notification_filed_on: day(r.notification_filed_on()),
        commander_informed_on: day(r.commander_informed_on()),
        penalty: r.penalty().map(|p| p.0.as_str().into()),
        penalty_on: day(r.penalty().map(|p| p.1)),
        deadlines,
        possible_steps: possible,
    }
}

fn referrals_dto(v: ReferralsView) -> ReferralsDto {
    ReferralsDto {
        version: v.version,
        can_request: v.can_request,
        referrals: v
            .referrals
            .iter()
            .map(|rv| {
                let deadlines = rv.deadlines.iter().map(deadline_dto).collect();
                let possible = rv.possible.iter().map(|s| s.as_str().to_owned()).collect();
                referral_dto(&rv.referral, deadlines, possible)
            })
            .collect(),
        suspected_persons: v
            .suspected_persons
            .into_iter()
            .map(|p| SuspectedPersonDto { person: person_dto(p.person), name: p.name })
            .collect(),
    }
}

async fn view(state: &AppState, handle: &CaseHandle) -> Result<ReferralsDto, ApiError> {
    Ok(referrals_dto(state.store.referrals_view(handle).await?))
}

/// The case's programme referrals with their clocks, and the suspected persons a request can name (for the team and
/// the group; others: 404). The read of the names is audited.
#[utoipa::path(get, path = "/api/v1/procedures/{id}/referrals", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = ReferralsDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<ReferralsDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    Ok(Json(view(&state, &handle).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct NewReferral {
    /// correctional_educational, psychological_therapeutic
    pub programme: String,
    pub person: PersonRefDto,
    /// When the group asked (at its meeting): RFC 3339 or Polish local `2026-03-05T10:30`; default now. Never in the
    /// future, never before the group's first meeting (a 422 on `occurred_at` names the event and its date).
    #[serde(default)]
    pub occurred_at: Option<String>,
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralCreated {
    pub id: String,
    pub referrals: ReferralsDto,
}

/// The group asks the team to refer a suspected person to a programme (art. 9b ust. 8 pkt 5 of the act).
#[utoipa::path(post, path = "/api/v1/procedures/{id}/referrals", tag = "referrals", params(("id" = String, Path)), request_body = NewReferral,
    responses((status = 201, body = ReferralCreated), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn request(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewReferral>,
) -> Result<(StatusCode, Json<ReferralCreated>), ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), parse_id(&id)?).await?;
    let mut errors = domain::FieldErrors::new();
    let programme = errors.check("programme", ProgrammeKind::parse(&body.programme));
    let form_id =
        errors.check("person", Uuid::parse_str(&body.person.form_id).map_err(|_| "err-referral-person-unknown"));
    let occurred_at = errors.check("occurred_at", parse_occurred_at(body.occurred_at.as_deref().unwrap_or("")));
    let (Some(programme), Some(form_id), Some(at)) = (programme, form_id, occurred_at) else {
        return Err(ApiError::Invalid(errors));
    };
    let step = ReferralStep::Request { programme, person: SuspectedPersonRef { form_id, index: body.person.index } };
    let referral = Uuid::now_v7();
    state.store.referral_step_at(&handle, referral, &step, at, body.version).await?;
    let referrals = view(&state, &handle).await?;
    Ok((StatusCode::CREATED, Json(ReferralCreated { id: referral.to_string(), referrals })))
}

#[derive(Deserialize, ToSchema)]
pub struct StepRequest {
    /// e.g. `{"step": "refer", "provider": "PCPR"}`, `{"step": "deliver", "on": "2026-11-20"}` or
    /// `{"step": "penalty", "penalty": "fine", "on": "2027-02-01"}`. A dated step's `on` is the day it happened:
    /// never in the future, never before the step it follows (a 422 on `on` names that step and its date).
    #[schema(value_type = Object)]
    pub step: ReferralStep,
    /// For the referral itself (`refer`), a moment: when the team referred, RFC 3339 or Polish local
    /// `2026-03-05T10:30`; default now. Refused for a dated step, which has its `on`.
    #[serde(default)]
    pub occurred_at: Option<String>,
    pub version: i64,
}

/// Records a later step of a referral: the referral itself and what the team files (team only), the delivery, the
/// certificates, the calls, the programme's end, the request for the offence notification, the penalty.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/referrals/{referral}/steps", tag = "referrals",
    params(("id" = String, Path), ("referral" = String, Path)), request_body = StepRequest,
    responses((status = 200, body = ReferralsDto), (status = 400, body = ApiErrorBody), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, referral)): ApiIds<(String, Uuid)>,
    ApiJson(body): ApiJson<StepRequest>,
) -> Result<Json<ReferralsDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), parse_id(&id)?).await?;
    if matches!(body.step, ReferralStep::Request { .. }) {
        return Err(ApiError::BadRequest("a request is posted to /api/v1/procedures/{id}/referrals".into()));
    }
    let typed = body.occurred_at.as_deref().unwrap_or("");
    if body.step.date().is_some() && !typed.trim().is_empty() {
        return Err(ApiError::Invalid(one_error("occurred_at", "err-referral-occurred-at-dated")));
    }
    let at = parse_occurred_at(typed).map_err(|code| ApiError::Invalid(one_error("occurred_at", code)))?;
    state.store.referral_step_at(&handle, referral, &body.step, at, body.version).await?;
    Ok(Json(view(&state, &handle).await?))
}
