//! The Blue Card procedure over the API: the same rules as the pages (need-to-know through the store's case handle,
//! validation by the form definitions, the optimistic version check).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::identity::Permission;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use domain::procedure::timing::parse_occurred_at;
use serde::{Deserialize, Serialize};
use store::procedure::{AppointmentBasis, DeadlineView, FormAIntake, ProcedureView};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{ApiJson, ApiQuery, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct NewFormA {
    /// Answers by field path, e.g. `"affected_persons[0].last_name": "Kowalska"`; multiple choices comma-joined.
    pub answers: BTreeMap<String, String>,
    /// Open a new procedure even when the people are already in a running or monitored one.
    #[serde(default)]
    pub new_despite_match: bool,
    /// A form filled on paper, typed in by the team's staff (chair, deputy, secretary): the case records it. Refused
    /// (403) for anyone else.
    #[serde(default)]
    pub from_paper: bool,
    /// `2023` (default) or `2011`: a case still running on the 2011 forms, typed in from paper with its original
    /// date (needs `from_paper`); it then continues on the 2011 forms C and D.
    #[serde(default)]
    pub form_version: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProcedureRef {
    pub id: String,
    pub number: String,
    pub phase: String,
}

#[derive(Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FormAOutcome {
    /// A procedure was opened.
    Opened { id: String, number: String },
    /// Nothing was stored: the people are in these procedures already (the team's staff only).
    AlreadyKnown { procedures: Vec<ProcedureRef> },
    /// The form went to the team. Anyone but the team's staff gets this answer (202) whether the form opened a
    /// procedure or, its people being in a running case, waits for the staff as a pending intake: submitting a form
    /// A does not tell whether a person is in a case. The filer's own forms A are in `GET /api/v1/procedures`.
    Forwarded,
}

/// Fills form A (2023), which opens a Blue Card procedure; or, typed in from paper by the team's staff, a form A of
/// 2011 for a case that still runs on it.
#[utoipa::path(post, path = "/api/v1/procedures", tag = "procedures", request_body = NewFormA,
    responses((status = 201, body = FormAOutcome), (status = 200, body = FormAOutcome, description = "already known"),
              (status = 202, body = FormAOutcome, description = "forwarded to the team"),
              (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewFormA>,
) -> Result<(StatusCode, Json<FormAOutcome>), ApiError> {
    user.require(Permission::OpenProcedure)?;
    let version = match body.form_version.as_deref().map(str::trim) {
        None | Some("") | Some("2023") => FormVersion::V2023,
        Some("2011") => FormVersion::V2011,
        Some(_) => {
            let mut errors = domain::FieldErrors::new();
            errors.add("form_version", "err-form-version-unknown");
            return Err(ApiError::Invalid(errors));
        }
    };
    if version == FormVersion::V2011 && !body.from_paper {
        let mut errors = domain::FieldErrors::new();
        errors.add("form_version", "err-form-2011-paper-only");
        return Err(ApiError::Invalid(errors));
    }
    let def = definition(FormKind::A, version).ok_or(ApiError::NotFound)?;
    let answers: Answers = body.answers.into_iter().collect();
    let validated = validate(def, &answers).map_err(ApiError::Invalid)?;
    let opened = if body.from_paper {
        user.require(Permission::ManageProcedures)?;
        state.store.open_procedure_from_paper(&user.caller(), &validated, body.new_despite_match).await?
    } else {
        state.store.open_procedure(&user.caller(), &validated, body.new_despite_match).await?
    };
    let staff = state.store.sees_recognition(&user.principal).await?;
    match opened {
        FormAIntake::Opened { id, number } if staff => {
            Ok((StatusCode::CREATED, Json(FormAOutcome::Opened { id: id.to_string(), number })))
        }
        FormAIntake::Opened { .. } | FormAIntake::Forwarded { .. } => {
            Ok((StatusCode::ACCEPTED, Json(FormAOutcome::Forwarded)))
        }
        FormAIntake::AlreadyKnown { procedures } => Ok((
            StatusCode::OK,
            Json(FormAOutcome::AlreadyKnown {
                procedures: procedures
                    .into_iter()
                    .map(|p| ProcedureRef { id: p.id.to_string(), number: p.number, phase: p.phase })
                    .collect(),
            }),
        )),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProcedureSummaryDto {
    pub id: String,
    pub number: String,
    pub phase: String,
    pub opened_at: String,
}

/// Narrowing the case list: every parameter optional; need-to-know applies first, whatever the filter.
#[derive(Deserialize, IntoParams)]
pub struct CaseListQuery {
    #[serde(default)]
    pub offset: Option<i64>,
    /// At most 500 (default 50).
    #[serde(default)]
    pub limit: Option<i64>,
    /// One phase: opened, group_appointed, in_progress, closed, monitoring_ended, transferred_out.
    #[serde(default)]
    pub phase: Option<String>,
    /// Opened on or after this day (YYYY-MM-DD, Polish time).
    #[serde(default)]
    pub opened_from: Option<String>,
    /// Opened on or before this day (YYYY-MM-DD, inclusive, Polish time).
    #[serde(default)]
    pub opened_to: Option<String>,
    /// Part of the case number, e.g. `2026/00` (case-insensitive).
    #[serde(default)]
    pub number: Option<String>,
}

/// The procedures this account may see (no personal data), newest first, optionally filtered; a bad parameter is a
/// 422 naming it.
#[utoipa::path(get, path = "/api/v1/procedures", tag = "procedures", params(CaseListQuery),
    responses((status = 200, body = Vec<ProcedureSummaryDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiQuery(p): ApiQuery<CaseListQuery>,
) -> Result<Json<Vec<ProcedureSummaryDto>>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let filter = crate::procedure::list::case_filter(
        crate::procedure::list::API_FIELDS,
        &text(&p.phase),
        &text(&p.opened_from),
        &text(&p.opened_to),
        &text(&p.number),
    )
    .map_err(ApiError::Invalid)?;
    let rows = state
        .store
        .list_procedures_filtered(&user.principal, &filter, p.limit.unwrap_or(50), p.offset.unwrap_or(0))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ProcedureSummaryDto {
                id: r.id.to_string(),
                number: r.number,
                phase: r.phase,
                opened_at: r.opened_at.to_string(),
            })
            .collect(),
    ))
}

/// A search by person.
#[derive(Deserialize, ToSchema)]
pub struct PersonSearch {
    /// A surname, a first name and surname (either order), a PESEL or a whole case number (`NK/2026/0007`). Polish
    /// letters may be left out.
    pub person: String,
}

/// A case a search found: no personal data, only the roles in which the searched person appears.
#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    pub id: String,
    pub number: String,
    pub phase: String,
    pub opened_at: String,
    /// affected_person, suspected_person, child, household_member, witness, reporter; empty when the case number
    /// matched.
    pub matched_roles: Vec<String>,
}

/// Search by person (issue 16): the cases this account may see in which the person appears, newest first, at most
/// 100. A case the account may not see is never among them, so the answer is then an empty list, as for no match.
/// A POST, so that a PESEL or a name never stands in an address (and so in a proxy's log). Every search is in the
/// audit trail, without what was typed. A bad entry (one letter, a PESEL with a wrong check digit) is a 422 naming
/// `person`.
#[utoipa::path(post, path = "/api/v1/procedures/search", tag = "procedures", request_body = PersonSearch,
    responses((status = 200, body = Vec<SearchHitDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
        (status = 422, body = ApiErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<PersonSearch>,
) -> Result<Json<Vec<SearchHitDto>>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let query = domain::person::search::SearchQuery::parse(&body.person)
        .map_err(|code| ApiError::Invalid(one_error("person", code)))?;
    let found = state.store.search_procedures(&user.caller(), &query).await?;
    Ok(Json(
        found
            .hits
            .into_iter()
            .map(|h| SearchHitDto {
                id: h.id.to_string(),
                number: h.number,
                phase: h.phase,
                opened_at: h.opened_at.to_string(),
                matched_roles: h.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineDto {
    pub rule_id: String,
    pub name_pl: String,
    pub legal_basis: String,
    /// \[P\] read in the legal text, \[S\] secondary source, \[U\] unconfirmed.
    pub confidence: String,
    /// pending, due_soon, overdue, met_on_time, met_late
    pub state: String,
    /// The last day (or instant) of the deadline.
    pub due: String,
    /// Who must act: initiator, team, chair, group, person_using_violence, member, social_worker, police, no_one.
    pub responsible: String,
    /// Whether a reason for missing it was recorded.
    pub explained: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ProcedureDto {
    pub id: String,
    pub number: String,
    pub phase: String,
    pub opened_at: String,
    /// Send it back with the next change; a change against an older version is refused with 409.
    pub version: i64,
    pub timeline: Vec<(String, String)>,
    /// The timeline with when each step was typed in: `entered_later` when more than one working day after it
    /// happened ("wpisano później").
    pub events: Vec<TimelineEventDto>,
    pub deadlines: Vec<DeadlineDto>,
    /// Each form's answers by field path.
    pub forms: Vec<FormDto>,
    pub who_can_see: Vec<String>,
    /// team_decision or chair_under_delegation, once the group is appointed.
    pub group_basis: Option<String>,
    /// The group's records (none for an initiator).
    pub records: Vec<super::records::RecordDto>,
    /// What this caller may do on the case now, as the page offers it.
    pub offers: OffersDto,
}

/// The steps, forms and records a case offers its caller now (the domain's one decision, the page's buttons).
#[derive(Serialize, ToSchema)]
pub struct OffersDto {
    /// The team may appoint the support group (`POST /api/v1/procedures/{id}/group`).
    pub appoint_group: bool,
    /// Command names for `POST /api/v1/procedures/{id}/commands`.
    pub steps: Vec<String>,
    /// The group may close the case now, with the closing record (`POST /api/v1/procedures/{id}/close`).
    pub close: bool,
    /// Form letters that may be filled now: `a` (a further incident), `c`, `d`.
    pub forms: Vec<String>,
    /// Record kinds that may be added now.
    pub records: Vec<String>,
    /// The team may hand the case to another municipality.
    pub hand_over: bool,
    /// The team may extend the group, replace a member or name its coordinator (`/api/v1/procedures/{id}/group/…`).
    pub change_group: bool,
}

fn offers_dto(o: &domain::procedure::offers::Offers) -> OffersDto {
    use domain::procedure::offers::Step;
    OffersDto {
        appoint_group: o.appoint_group,
        // Closing is not a bare command: it goes with its record through `/close`.
        steps: o.steps.iter().filter(|s| **s != Step::Close).map(|s| s.as_str().to_owned()).collect(),
        close: o.offers_step(Step::Close),
        forms: o.forms.iter().map(|f| f.as_str().to_lowercase()).collect(),
        records: o.records.iter().map(|r| r.as_str().to_owned()).collect(),
        hand_over: o.hand_over,
        change_group: o.change_group,
    }
}

#[derive(Serialize, ToSchema)]
pub struct TimelineEventDto {
    /// When it happened (RFC 3339).
    pub at: String,
    /// The event kind, e.g. `group_appointed`.
    pub kind: String,
    /// When it was typed in; none for the opening (its form A says).
    pub recorded_at: Option<String>,
    pub entered_later: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FormDto {
    pub id: String,
    pub kind: String,
    pub version: String,
    pub filled_at: String,
    pub answers: BTreeMap<String, String>,
    /// The paths of the values sealed from this caller (issue 20): absent from `answers`; show „zastrzeżone”.
    pub sealed: Vec<String>,
}

pub(crate) fn deadline_dto(d: &DeadlineView) -> DeadlineDto {
    use domain::procedure::deadlines::{DeadlineState as S, Due};
    let (state, due) = match &d.state {
        S::Pending { due, .. } => ("pending", due),
        S::DueSoon { due, .. } => ("due_soon", due),
        S::Overdue { due, .. } => ("overdue", due),
        S::MetOnTime { due } => ("met_on_time", due),
        S::MetLate { due, .. } => ("met_late", due),
    };
    let due = match due {
        Due::EndOfDay(d) => d.to_string(),
        Due::At(t) => t.to_string(),
    };
    DeadlineDto {
        rule_id: d.rule_id.into(),
        name_pl: d.name_pl.into(),
        legal_basis: d.legal_basis.into(),
        confidence: d.confidence.into(),
        state: state.into(),
        due,
        responsible: d.responsible.into(),
        explained: d.explained,
    }
}

pub(super) fn procedure_dto(v: ProcedureView) -> ProcedureDto {
    // The API speaks Polish, as its messages do; a plan item's owner is named as the case page names it.
    let names = crate::procedure::owner::OwnerNames::of(&crate::i18n::Tr::default(), &v.group);
    ProcedureDto {
        offers: offers_dto(&v.offers),
        id: v.id.to_string(),
        number: v.number,
        phase: v.phase.as_str().to_owned(),
        opened_at: v.opened_at.to_string(),
        version: v.version,
        timeline: v.timeline.iter().map(|e| (e.at.to_string(), e.kind.as_str().to_owned())).collect(),
        events: v
            .timeline
            .iter()
            .map(|e| TimelineEventDto {
                at: e.at.to_string(),
                kind: e.kind.as_str().to_owned(),
                recorded_at: e.recorded_at.map(|r| r.to_string()),
                entered_later: e.entered_late,
            })
            .collect(),
        deadlines: v.deadlines.iter().map(deadline_dto).collect(),
        forms: v
            .forms
            .into_iter()
            .map(|f| FormDto {
                id: f.id.to_string(),
                kind: f.kind,
                version: f.version,
                filled_at: f.filled_at.to_string(),
                answers: f.answers.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
                sealed: f.withheld.into_iter().collect(),
            })
            .collect(),
        who_can_see: v.who_can_see,
        group_basis: v.group_basis,
        records: v.records.iter().map(|r| super::records::record_dto(r, &names)).collect(),
    }
}

/// One field error, for a field checked before the store.
pub(crate) fn one_error(field: &'static str, code: &'static str) -> domain::FieldErrors {
    let mut errors = domain::FieldErrors::new();
    errors.add(field, code);
    errors
}

pub(crate) fn parse_id(raw: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| ApiError::NotFound)
}

/// One procedure, for those with a need to know (others: 404, as for a missing one). The read is audited.
#[utoipa::path(get, path = "/api/v1/procedures/{id}", tag = "procedures", params(("id" = String, Path)),
    responses((status = 200, body = ProcedureDto), (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct GroupMemberDto {
    pub account_id: String,
    /// social_worker, police_officer, probation_officer, military_police, teacher, health_worker,
    /// alcohol_commission, psychologist, other
    pub kind: String,
}

#[derive(Deserialize, ToSchema)]
pub struct AppointGroup {
    pub members: Vec<GroupMemberDto>,
    /// team_decision (default) or chair_under_delegation (art. 9a ust. 10a, 6b).
    #[serde(default)]
    pub basis: Option<String>,
    /// When the group was appointed: RFC 3339 or Polish local `2026-03-05T10:30`; default now.
    #[serde(default)]
    pub occurred_at: Option<String>,
    pub version: i64,
}

/// The team appoints the support group (at least a social worker and a police officer, art. 9a ust. 11).
#[utoipa::path(post, path = "/api/v1/procedures/{id}/group", tag = "procedures", params(("id" = String, Path)), request_body = AppointGroup,
    responses((status = 200, body = ProcedureDto), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn appoint_group(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<AppointGroup>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let mut members = Vec::new();
    let mut errors = domain::FieldErrors::new();
    for m in &body.members {
        let account = errors.check("members", Uuid::parse_str(&m.account_id).map_err(|_| "err-group-member-unknown"));
        let kind = errors.check("members", GroupMemberKind::parse(&m.kind));
        if let (Some(a), Some(k)) = (account, kind) {
            members.push((a, k));
        }
    }
    let basis = match body.basis.as_deref() {
        None => Some(AppointmentBasis::TeamDecision),
        Some(raw) => errors.check("basis", AppointmentBasis::parse(raw)),
    };
    let occurred_at = errors.check("occurred_at", parse_occurred_at(body.occurred_at.as_deref().unwrap_or("")));
    let (Some(basis), Some(occurred_at)) = (basis.filter(|_| errors.is_empty()), occurred_at) else {
        return Err(ApiError::Invalid(errors));
    };
    state.store.appoint_group_at(&handle, &members, basis, occurred_at, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct CommandRequest {
    /// e.g. `{"command": "record_group_meeting"}` or `{"command": "close", "reason": "violence_stopped"}`
    #[schema(value_type = Object)]
    pub command: Command,
    /// When the step happened: RFC 3339 or Polish local `2026-03-05T10:30`; default now. Never in the future, never
    /// before the events it follows (a 422 on `occurred_at` names that event and its date).
    #[serde(default)]
    pub occurred_at: Option<String>,
    pub version: i64,
}

/// The support group's steps on their real dates: meetings, notices, firearm, end of monitoring. A step that stands for
/// a document is refused here (422, naming the route): forms C, D and a further form A go through
/// `POST /api/v1/procedures/{id}/forms/{kind}` with their content, a transfer through `POST .../transfer` with its
/// package; a closing goes with its record through `POST /api/v1/procedures/{id}/close`.
#[utoipa::path(post, path = "/api/v1/procedures/{id}/commands", tag = "procedures", params(("id" = String, Path)), request_body = CommandRequest,
    responses((status = 200, body = ProcedureDto), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn command(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<CommandRequest>,
) -> Result<Json<ProcedureDto>, ApiError> {
    user.require(Permission::ViewProcedures)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let occurred_at = parse_occurred_at(body.occurred_at.as_deref().unwrap_or(""))
        .map_err(|code| ApiError::Invalid(one_error("occurred_at", code)))?;
    state.store.apply_procedure_command_at(&handle, &body.command, occurred_at, body.version).await?;
    Ok(Json(procedure_dto(state.store.procedure_view(&handle).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct PendingIntakeDto {
    pub id: String,
    /// The login of the account that submitted the form.
    pub filed_by: String,
    pub filled_at: String,
    pub received_at: String,
    /// The cases the form's people were found in.
    pub matched: Vec<ProcedureRef>,
}

/// The forms A waiting for the team's staff: submitted by someone outside the staff about people already in a
/// running or monitored case (the filer was told only that the form went to the team). Team staff.
#[utoipa::path(get, path = "/api/v1/procedures/intakes", tag = "procedures",
    responses((status = 200, body = Vec<PendingIntakeDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn intakes(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<PendingIntakeDto>>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let list = state.store.pending_intakes(&user.principal).await?;
    Ok(Json(
        list.into_iter()
            .map(|i| PendingIntakeDto {
                id: i.id.to_string(),
                filed_by: i.filed_by,
                filled_at: i.filled_at.to_string(),
                received_at: i.received_at.to_string(),
                matched: i
                    .matched
                    .into_iter()
                    .map(|p| ProcedureRef { id: p.id.to_string(), number: p.number, phase: p.phase })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct IntakeResolutionBody {
    /// Attach the form to this matched procedure as a further form A.
    #[serde(default)]
    pub attach_to: Option<String>,
    /// Open a new procedure with the form instead.
    #[serde(default)]
    pub open_new: bool,
}

#[derive(Serialize, ToSchema)]
pub struct IntakeResolved {
    /// The procedure the form went to.
    pub procedure_id: String,
}

/// Deals with a pending form A: attaches it to one of its matched procedures, or opens a new one. Team staff.
#[utoipa::path(post, path = "/api/v1/procedures/intakes/{id}", tag = "procedures", params(("id" = String, Path)),
    request_body = IntakeResolutionBody,
    responses((status = 200, body = IntakeResolved), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn resolve_intake(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<IntakeResolutionBody>,
) -> Result<Json<IntakeResolved>, ApiError> {
    user.require(Permission::ManageProcedures)?;
    let resolution = match (&body.attach_to, body.open_new) {
        (Some(case), false) => store::procedure::IntakeResolution::Attach(parse_id(case)?),
        (None, true) => store::procedure::IntakeResolution::OpenNew,
        _ => {
            let mut errors = domain::FieldErrors::new();
            errors.add("attach_to", "err-required");
            return Err(ApiError::Invalid(errors));
        }
    };
    let case = state.store.resolve_intake(&user.caller(), id, resolution).await?;
    Ok(Json(IntakeResolved { procedure_id: case.to_string() }))
}
