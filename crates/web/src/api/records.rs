//! The support group's records over the API (meetings and their minutes, plan items, visits, letters, measures,
//! form B's hand-over, monitoring checks, breach reasons), with the same rules as the pages: need-to-know through the
//! case handle, validation by the record definitions, version checks; and the chair's timeliness report.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::forms::options::LINE_MAX;
use domain::forms::owner::PLAN_OWNER_PATH;
use domain::forms::records::{RecordKind, record_definition};
use domain::forms::validate::FORM_PATH;
use domain::forms::{Answers, FieldType, PlanOwner};
use domain::identity::Permission;
use domain::tenant::InstitutionKind;
use serde::{Deserialize, Serialize};
use store::procedure::{CaseRecord, validate_record};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::procedures::{ProcedureDto, parse_id, procedure_dto};
use super::{ApiJson, ApiQuery, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::i18n::Tr;
use crate::procedure::owner::OwnerNames;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct RecordDto {
    pub id: String,
    /// meeting, plan_item, home_visit, letter, protective_measure, form_b_handover, monitoring_check, breach_reason
    pub kind: String,
    pub occurs_at: String,
    pub ends_at: Option<String>,
    /// planned, held, cancelled (meetings); recorded (the rest)
    pub status: String,
    /// Send it back with an edit; an edit against an older version is refused with 409.
    pub version: i64,
    /// Answers by field path; a plan item's owner (`item.responsible`) is an object (see [`OwnerDto`]).
    pub answers: BTreeMap<String, AnswerDto>,
    /// A held meeting's minutes.
    pub minutes: Option<BTreeMap<String, String>>,
}

/// One answer: a string, or for a plan item's owner an object.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerDto {
    Text(String),
    Owner(OwnerDto),
}

/// A plan item's owner: `{"member": "<account uuid>"}` (a current member of the case's support group, from
/// `GET /api/v1/procedures/{id}/group`) or `{"institution": "<code>"}` (`social_welfare`, `police`, `education`,
/// `health_care`, `alcohol_commission`, `probation_officer`, `prosecutor`, `county_family_centre`,
/// `crisis_intervention_centre`, `ngo`, `other`). Read back with the owner's `name`; an item recorded before owners
/// were chosen has `as_recorded`, its free text (sent back unchanged it is kept; any other text is refused).
#[derive(Serialize, Deserialize, ToSchema, Default)]
pub struct OwnerDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_recorded: Option<String>,
    /// The owner by name, as the case page shows it (read only: ignored when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn map(a: &Answers) -> BTreeMap<String, String> {
    a.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// Whether `path` of a `kind` record is an owner (read and written as an [`OwnerDto`]).
fn is_owner(kind: RecordKind, path: &str) -> bool {
    let Some((section, field)) = path.split_once('.') else { return false };
    record_definition(kind).field(section, field).is_some_and(|f| f.field_type == FieldType::Owner)
}

fn owner_dto(raw: &str, names: &OwnerNames, t: &Tr) -> OwnerDto {
    let name = Some(names.shown_raw(t, raw));
    match PlanOwner::parse(raw, LINE_MAX) {
        Ok(PlanOwner::Member(id)) => OwnerDto { member: Some(id.to_string()), name, ..OwnerDto::default() },
        Ok(PlanOwner::Institution(k)) => {
            OwnerDto { institution: Some(k.as_str().to_owned()), name, ..OwnerDto::default() }
        }
        _ => OwnerDto { as_recorded: Some(raw.to_owned()), name, ..OwnerDto::default() },
    }
}

pub(super) fn record_dto(r: &CaseRecord, names: &OwnerNames) -> RecordDto {
    // The API speaks Polish, as its error messages do.
    let t = Tr::default();
    let answers = r
        .answers
        .iter()
        .map(|(k, v)| {
            let value = if is_owner(r.kind, k) {
                AnswerDto::Owner(owner_dto(v, names, &t))
            } else {
                AnswerDto::Text(v.to_owned())
            };
            (k.to_owned(), value)
        })
        .collect();
    RecordDto {
        id: r.id.to_string(),
        kind: r.kind.as_str().into(),
        occurs_at: r.occurs_at.to_string(),
        ends_at: r.ends_at.map(|t| t.to_string()),
        status: r.status.clone(),
        version: r.version,
        answers,
        minutes: r.minutes.as_ref().map(map),
    }
}

/// The raw answers of a posted record, as a page posts them: an owner object becomes its raw value (a member, an
/// institution, or the earlier free text). An object that names no account or no institution kind, or says more
/// than one, or one sent for a field that is no owner, is refused.
fn raw_answers(kind: RecordKind, posted: BTreeMap<String, AnswerDto>) -> Result<Answers, ApiError> {
    let mut answers = Answers::new();
    for (path, value) in posted {
        let raw = match value {
            AnswerDto::Text(text) => text,
            AnswerDto::Owner(_) if !is_owner(kind, &path) => {
                return Err(ApiError::Invalid(super::procedures::one_error(FORM_PATH, "err-unknown-field")));
            }
            AnswerDto::Owner(owner) => {
                let chosen = match (owner.member, owner.institution, owner.as_recorded) {
                    (Some(id), None, None) => Uuid::parse_str(id.trim()).ok().map(PlanOwner::Member),
                    (None, Some(code), None) => InstitutionKind::parse(&code).ok().map(PlanOwner::Institution),
                    (None, None, Some(text)) => Some(PlanOwner::AsRecorded(text)),
                    _ => None,
                };
                let unknown = || ApiError::Invalid(super::procedures::one_error(PLAN_OWNER_PATH, "err-owner-unknown"));
                chosen.ok_or_else(unknown)?.to_raw()
            }
        };
        answers.insert(path, raw);
    }
    Ok(answers)
}

#[derive(Deserialize, ToSchema)]
pub struct NewRecord {
    /// The record's kind (see `GET /api/v1/record-definitions/{kind}` for its fields).
    pub kind: String,
    /// Answers by field path, e.g. `"meeting.starts_at": "2026-03-10T10:00"`; a plan item's owner as
    /// `"item.responsible": {"member": "<account uuid>"}` or `{"institution": "police"}`.
    pub answers: BTreeMap<String, AnswerDto>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordCreated {
    pub id: String,
}

fn kind_of(raw: &str) -> Result<RecordKind, ApiError> {
    RecordKind::parse(raw).filter(|k| *k != RecordKind::MeetingMinutes).ok_or_else(|| {
        let mut errors = domain::FieldErrors::new();
        errors.add("kind", "err-choice-unknown");
        ApiError::Invalid(errors)
    })
}

async fn working_handle(state: &AppState, user: &ApiUser, id: &str) -> Result<store::procedure::CaseHandle, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), parse_id(id)?).await?;
    if !handle.access.works_on_case() {
        return Err(ApiError::NotFound);
    }
    Ok(handle)
}

/// Adds a record to a case (a meeting is added as planned). The team and the case's group may.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/records", tag = "records", params(("id" = String, Path)), request_body = NewRecord,
    responses((status = 201, body = RecordCreated), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewRecord>,
) -> Result<(StatusCode, Json<RecordCreated>), ApiError> {
    let handle = working_handle(&state, &user, &id).await?;
    let kind = kind_of(&body.kind)?;
    let validated = validate_record(kind, &raw_answers(kind, body.answers)?).map_err(ApiError::Invalid)?;
    let record = state.store.add_record(&handle, &validated).await?;
    Ok((StatusCode::CREATED, Json(RecordCreated { id: record.to_string() })))
}

#[derive(Deserialize, ToSchema)]
pub struct RecordEdit {
    pub kind: String,
    /// As for a new record; a plan item's owner as an object ([`OwnerDto`]).
    pub answers: BTreeMap<String, AnswerDto>,
    /// The record's version as read.
    pub version: i64,
}

/// Reviews a plan item or reschedules a planned meeting; the earlier version is kept in the record's history.
#[utoipa::path(put, path = "/api/v1/procedures/{id}/records/{record}", tag = "records",
    params(("id" = String, Path), ("record" = String, Path)), request_body = RecordEdit,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, record)): ApiIds<(String, Uuid)>,
    ApiJson(body): ApiJson<RecordEdit>,
) -> Result<StatusCode, ApiError> {
    let handle = working_handle(&state, &user, &id).await?;
    let kind = kind_of(&body.kind)?;
    let validated = validate_record(kind, &raw_answers(kind, body.answers)?).map_err(ApiError::Invalid)?;
    state.store.update_record(&handle, record, &validated, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct MeetingMinutes {
    /// The minutes' answers by field path, e.g. `"minutes.held_at": "2026-03-10T10:00"`.
    pub answers: BTreeMap<String, String>,
    /// The meeting record's version as read.
    pub record_version: i64,
    /// The procedure's version as read: the minutes also record the procedure's meeting step.
    pub version: i64,
}

/// Records a planned meeting as held, with its minutes; the procedure's first-meeting clock counts from `held_at`.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/records/{record}/minutes", tag = "records",
    params(("id" = String, Path), ("record" = String, Path)), request_body = MeetingMinutes,
    responses((status = 200, body = ProcedureDto), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn minutes(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, record)): ApiIds<(String, Uuid)>,
    ApiJson(body): ApiJson<MeetingMinutes>,
) -> Result<Json<ProcedureDto>, ApiError> {
    let handle = working_handle(&state, &user, &id).await?;
    let validated =
        validate_record(RecordKind::MeetingMinutes, &body.answers.into_iter().collect()).map_err(ApiError::Invalid)?;
    state.store.hold_meeting(&handle, record, &validated, body.record_version, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct RecordVersion {
    pub version: i64,
}

/// Cancels a planned meeting.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/records/{record}/cancel", tag = "records",
    params(("id" = String, Path), ("record" = String, Path)), request_body = RecordVersion,
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, record)): ApiIds<(String, Uuid)>,
    ApiJson(body): ApiJson<RecordVersion>,
) -> Result<StatusCode, ApiError> {
    let handle = working_handle(&state, &user, &id).await?;
    state.store.cancel_meeting(&handle, record, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A record kind's definition: sections, fields, types, options, required-when rules.
#[utoipa::path(get, path = "/api/v1/record-definitions/{kind}", tag = "records", params(("kind" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = ApiErrorBody)))]
pub async fn definition(user: ApiUser, Path(kind): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let kind = RecordKind::parse(&kind).ok_or(ApiError::NotFound)?;
    serde_json::to_value(record_definition(kind)).map(Json).map_err(|_| ApiError::NotFound)
}

#[derive(Deserialize, IntoParams)]
pub struct Year {
    /// The year the procedures were opened; the current one when omitted.
    #[serde(default)]
    pub year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct RuleTallyDto {
    pub rule_id: String,
    pub met_on_time: u32,
    pub met_late: u32,
    pub overdue: u32,
    pub running: u32,
    /// The rule is an unconfirmed reading (\[U\]): its late and overdue clocks are not breaches.
    pub unconfirmed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct BreachDto {
    pub procedure_id: String,
    pub number: String,
    pub rule_id: String,
    pub state: String,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TimelinessDto {
    pub year: i16,
    pub cases: u32,
    pub rules: Vec<RuleTallyDto>,
    pub breaches: Vec<BreachDto>,
    /// Clocks past the date of an unconfirmed reading (\[U\]) of the law, not counted as breaches (empty when the
    /// municipality treats such readings as binding: they are then among `breaches`).
    pub unconfirmed: Vec<BreachDto>,
    pub avg_days_to_group: Option<f64>,
    pub avg_days_to_first_meeting: Option<f64>,
    pub max_days_to_group: Option<f64>,
    pub max_days_to_first_meeting: Option<f64>,
}

fn breach_dto(b: &store::procedure::Breach) -> BreachDto {
    BreachDto {
        procedure_id: b.procedure_id.to_string(),
        number: b.number.clone(),
        rule_id: b.deadline.rule_id.into(),
        state: if matches!(b.deadline.state, domain::procedure::deadlines::DeadlineState::Overdue { .. }) {
            "overdue".into()
        } else {
            "met_late".into()
        },
        reason: b.reason.clone(),
    }
}

/// Every clock of the municipality's procedures opened in a year, each breach with its reason (team only).
#[utoipa::path(get, path = "/api/v1/timeliness", tag = "records", params(Year),
    responses((status = 200, body = TimelinessDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn timeliness(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(q): ApiQuery<Year>,
) -> Result<Json<TimelinessDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let zone = domain::calendar::poland_zone();
    let year = q.year.unwrap_or_else(|| state.store.now().to_zoned(zone.clone()).year());
    let start = |y: i16| {
        jiff::civil::Date::new(y, 1, 1).and_then(|d| d.to_zoned(zone.clone())).map(|z| z.timestamp()).map_err(|_| {
            let mut errors = domain::FieldErrors::new();
            errors.add("year", "err-year-format");
            ApiError::Invalid(errors)
        })
    };
    let (from, to) = (start(year)?, start(year.saturating_add(1))?);
    let report = state.store.timeliness(&user.caller(), from, to).await?;
    Ok(Json(TimelinessDto {
        year,
        cases: report.cases,
        rules: report
            .rules
            .iter()
            .map(|r| RuleTallyDto {
                rule_id: r.rule_id.into(),
                met_on_time: r.met_on_time,
                met_late: r.met_late,
                overdue: r.overdue,
                running: r.running,
                unconfirmed: r.unconfirmed,
            })
            .collect(),
        breaches: report.breaches.iter().map(breach_dto).collect(),
        unconfirmed: report.unconfirmed.iter().map(breach_dto).collect(),
        avg_days_to_group: report.avg_days_to_group,
        avg_days_to_first_meeting: report.avg_days_to_first_meeting,
        max_days_to_group: report.max_days_to_group,
        max_days_to_first_meeting: report.max_days_to_first_meeting,
    }))
}
