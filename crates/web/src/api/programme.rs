//! The municipal programme over the API: the computed indicators with how each is counted, the records behind a
//! figure (team only, audited), the programme and its versions, the institutions' entries, completeness and
//! reminders, the annual report (`AnnualReport`, the structure the document exports render) and the statutory set.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::identity::Permission;
use domain::programme::{ComputedKey, ProgrammeContent, definition};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

fn year_of(raw: &str) -> Result<i16, ApiError> {
    raw.parse::<i16>().ok().filter(|y| (2000..=2100).contains(y)).ok_or(ApiError::NotFound)
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    /// The computed key (`procedures_opened`, `home_visits`…).
    pub key: String,
    pub name_pl: String,
    pub name_en: String,
    /// How it is counted.
    pub rule_pl: String,
    pub rule_en: String,
    pub unit: String,
    /// Where it comes from: `{"kind": "computed", "from": "…"}` or `{"kind": "decrypted", "from": "…"}`.
    #[schema(value_type = Object)]
    pub source: domain::programme::IndicatorSource,
    pub total: i64,
    /// `[["police", 80], ["social_worker", 36]]`
    #[schema(value_type = Vec<Object>)]
    pub breakdown: Vec<(String, i64)>,
    pub note: Option<String>,
    /// Whether the team may open the list of records behind it.
    pub lists_records: bool,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct IndicatorQuery {
    /// Count the persons (one decrypting pass, audited); default true.
    pub persons: Option<bool>,
}

/// Every computed indicator of the caller's municipality for the year, with how each is counted. Figures only.
#[utoipa::path(get, path = "/api/v1/indicators/{year}", tag = "programme", params(("year" = String, Path), IndicatorQuery),
    responses((status = 200, body = Vec<IndicatorDto>), (status = 401, body = ApiErrorBody), (status = 403, body = ApiErrorBody)))]
pub async fn indicators(
    State(state): State<AppState>,
    user: ApiUser,
    Path(year): Path<String>,
    Query(q): Query<IndicatorQuery>,
) -> Result<Json<Vec<IndicatorDto>>, ApiError> {
    user.require(Permission::ViewAggregates)?;
    let year = year_of(&year)?;
    let values = state.store.computed_indicators(&user.principal, year, q.persons.unwrap_or(true)).await?;
    Ok(Json(
        values
            .into_iter()
            .map(|v| {
                let d = definition(v.key);
                IndicatorDto {
                    key: v.key.as_str().to_owned(),
                    name_pl: d.name_pl.to_owned(),
                    name_en: d.name_en.to_owned(),
                    rule_pl: d.rule_pl.to_owned(),
                    rule_en: d.rule_en.to_owned(),
                    unit: d.unit.to_owned(),
                    source: d.source,
                    total: v.total,
                    breakdown: v.breakdown,
                    note: v.note,
                    lists_records: d.lists_records,
                }
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct UnderlyingDto {
    pub procedure_id: String,
    pub procedure_number: String,
    pub record_id: Option<String>,
    pub category: Option<String>,
}

/// The records behind one computed figure: case numbers and record ids (the team only; audited).
#[utoipa::path(get, path = "/api/v1/indicators/{year}/{key}/records", tag = "programme",
    params(("year" = String, Path), ("key" = String, Path)),
    responses((status = 200, body = Vec<UnderlyingDto>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn indicator_records(
    State(state): State<AppState>,
    user: ApiUser,
    Path((year, key)): Path<(String, String)>,
) -> Result<Json<Vec<UnderlyingDto>>, ApiError> {
    user.require(Permission::ManageProgramme)?;
    let year = year_of(&year)?;
    let key = ComputedKey::parse(&key).ok_or(ApiError::NotFound)?;
    let rows = state.store.indicator_records(&user.principal, key, year).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| UnderlyingDto {
                procedure_id: r.procedure_id.to_string(),
                procedure_number: r.procedure_number,
                record_id: r.record_id.map(|id| id.to_string()),
                category: r.category,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeSummaryDto {
    pub id: String,
    pub title: String,
    pub period_from: i32,
    pub period_to: i32,
}

#[derive(Deserialize, ToSchema)]
pub struct NewProgramme {
    pub title: String,
    pub period_from: i16,
    pub period_to: i16,
    /// ISO date the first version applies from.
    pub applies_from: String,
    /// The council's resolution.
    pub resolution: String,
    /// `domain::programme::ProgrammeContent`: strategic_goal, goals → tasks → indicators (source `{"kind":
    /// "computed", "key": "home_visits"}` or `{"kind": "entered", "institutions": [uuid…]}`, targets by year).
    #[schema(value_type = Object)]
    pub content: ProgrammeContent,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// The municipality's programmes.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programme",
    responses((status = 200, body = Vec<ProgrammeSummaryDto>), (status = 401, body = ApiErrorBody)))]
pub async fn list(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<ProgrammeSummaryDto>>, ApiError> {
    let rows = state.store.programmes(&user.principal).await.map_err(|_| ApiError::Forbidden)?;
    Ok(Json(
        rows.into_iter()
            .map(|p| ProgrammeSummaryDto {
                id: p.id.to_string(),
                title: p.title,
                period_from: p.period_from,
                period_to: p.period_to,
            })
            .collect(),
    ))
}

/// Adopts a programme with its first version (the team only).
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programme", request_body = NewProgramme,
    responses((status = 201, body = Created), (status = 400, body = ApiErrorBody), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<NewProgramme>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageProgramme)?;
    let id = state
        .store
        .create_programme(
            &user.principal,
            &body.title,
            body.period_from,
            body.period_to,
            &body.applies_from,
            &body.resolution,
            &body.content,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDto {
    /// `store::programme::ProgrammeView`: id, title, period, versions (number, applies_from, resolution, content).
    #[schema(value_type = Object)]
    pub programme: store::programme::ProgrammeView,
}

/// A programme with every version.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programme", params(("id" = String, Path)),
    responses((status = 200, body = ProgrammeDto), (status = 404, body = ApiErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<ProgrammeDto>, ApiError> {
    let programme = state.store.programme(&user.principal, id).await?;
    Ok(Json(ProgrammeDto { programme }))
}

#[derive(Deserialize, ToSchema)]
pub struct Amendment {
    pub applies_from: String,
    pub resolution: String,
    #[schema(value_type = Object)]
    pub content: ProgrammeContent,
    /// The latest version number the caller saw; another amendment since gives 409.
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub version: i64,
}

/// Amends the programme: a new version applying from a date (the team only).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/versions", tag = "programme", params(("id" = String, Path)), request_body = Amendment,
    responses((status = 201, body = VersionDto), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn amend(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<Amendment>,
) -> Result<(StatusCode, Json<VersionDto>), ApiError> {
    user.require(Permission::ManageProgramme)?;
    let version = state
        .store
        .amend_programme(&user.principal, id, &body.applies_from, &body.resolution, &body.content, body.version)
        .await?;
    Ok((StatusCode::CREATED, Json(VersionDto { version })))
}

#[derive(Serialize, ToSchema)]
pub struct EntryDto {
    pub indicator_id: String,
    pub goal_title: String,
    pub task_title: String,
    pub name: String,
    pub value: Option<i64>,
    pub note: Option<String>,
    pub version: i64,
    pub last_year: Option<i64>,
    pub target: Option<i64>,
}

/// The indicators the caller's institution enters for the year (programme reporters).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/entries/{year}", tag = "programme", params(("id" = String, Path), ("year" = String, Path)),
    responses((status = 200, body = Vec<EntryDto>), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn entries(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year)): ApiIds<(Uuid, String)>,
) -> Result<Json<Vec<EntryDto>>, ApiError> {
    user.require(Permission::EnterIndicators)?;
    let rows = state.store.reporter_indicators(&user.principal, id, year_of(&year)?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| EntryDto {
                indicator_id: r.indicator_id,
                goal_title: r.goal_title,
                task_title: r.task_title,
                name: r.name,
                value: r.value,
                note: r.note,
                version: r.version,
                last_year: r.last_year,
                target: r.target,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct EntryBody {
    /// The value as typed: a whole number, not negative.
    pub value: String,
    #[serde(default)]
    pub note: String,
    /// True to confirm a value far off last year's.
    #[serde(default)]
    pub confirmed: bool,
    /// The entry's version (0 before the first entry).
    pub version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct EntryResult {
    /// `saved` or `needs_confirmation`
    pub outcome: String,
    pub version: Option<i64>,
    pub last_year: Option<i64>,
}

/// Enters the caller's institution's value (200 saved; 202 asks to confirm a value far off last year's; 422 refused).
#[utoipa::path(put, path = "/api/v1/programmes/{id}/entries/{year}/{indicator}", tag = "programme",
    params(("id" = String, Path), ("year" = String, Path), ("indicator" = String, Path)), request_body = EntryBody,
    responses((status = 200, body = EntryResult), (status = 202, body = EntryResult), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn enter(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year, indicator)): ApiIds<(Uuid, String, String)>,
    ApiJson(body): ApiJson<EntryBody>,
) -> Result<(StatusCode, Json<EntryResult>), ApiError> {
    user.require(Permission::EnterIndicators)?;
    let outcome = state
        .store
        .enter_indicator_value(
            &user.principal,
            id,
            &indicator,
            year_of(&year)?,
            &body.value,
            &body.note,
            body.confirmed,
            body.version,
        )
        .await?;
    Ok(match outcome {
        store::programme::EntryOutcome::Saved { version } => {
            (StatusCode::OK, Json(EntryResult { outcome: "saved".into(), version: Some(version), last_year: None }))
        }
        store::programme::EntryOutcome::NeedsConfirmation { last_year } => (
            StatusCode::ACCEPTED,
            Json(EntryResult { outcome: "needs_confirmation".into(), version: None, last_year: Some(last_year) }),
        ),
    })
}

#[derive(Serialize, ToSchema)]
pub struct MissingDto {
    pub institution_id: String,
    pub institution_name: String,
    pub indicator_id: String,
    pub indicator_name: String,
}

/// Which institution has not entered which indicator for the year.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/missing/{year}", tag = "programme", params(("id" = String, Path), ("year" = String, Path)),
    responses((status = 200, body = Vec<MissingDto>), (status = 403, body = ApiErrorBody)))]
pub async fn missing(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year)): ApiIds<(Uuid, String)>,
) -> Result<Json<Vec<MissingDto>>, ApiError> {
    user.require(Permission::ViewAggregates)?;
    let rows = state.store.missing_entries(&user.principal, id, year_of(&year)?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|m| MissingDto {
                institution_id: m.institution_id.to_string(),
                institution_name: m.institution_name,
                indicator_id: m.indicator_id,
                indicator_name: m.indicator_name,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Reminded {
    pub notified: usize,
}

/// Reminds the reporters of institutions with missing values (once a day each; the team only).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/missing/{year}/reminders", tag = "programme", params(("id" = String, Path), ("year" = String, Path)),
    responses((status = 200, body = Reminded), (status = 403, body = ApiErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year)): ApiIds<(Uuid, String)>,
) -> Result<Json<Reminded>, ApiError> {
    user.require(Permission::ManageProgramme)?;
    let notified = state.store.remind_missing_entries(&user.principal, id, year_of(&year)?).await?;
    Ok(Json(Reminded { notified }))
}

#[derive(Serialize, ToSchema)]
pub struct ReportDto {
    /// `domain::programme::AnnualReport`: goals → tasks → institutions, time frame, indicators with values by year,
    /// targets, breakdowns, notes, narrative. The structure the PDF/DOCX/ODT/XLSX exports render.
    #[schema(value_type = Object)]
    pub report: domain::programme::AnnualReport,
}

/// The annual report of the programme for the year, as data.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/report/{year}", tag = "programme", params(("id" = String, Path), ("year" = String, Path)),
    responses((status = 200, body = ReportDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year)): ApiIds<(Uuid, String)>,
) -> Result<Json<ReportDto>, ApiError> {
    user.require(Permission::ViewAggregates)?;
    let report = state.store.annual_report(&user.principal, id, year_of(&year)?).await?;
    Ok(Json(ReportDto { report }))
}

#[derive(Deserialize, ToSchema)]
pub struct NarrativeBody {
    pub body: String,
    /// The narrative's version (0 before the first text).
    pub version: i64,
}

/// The team's narrative for a goal or task of the year's report.
#[utoipa::path(put, path = "/api/v1/programmes/{id}/report/{year}/narrative/{node}", tag = "programme",
    params(("id" = String, Path), ("year" = String, Path), ("node" = String, Path)), request_body = NarrativeBody,
    responses((status = 200, body = VersionDto), (status = 409, body = ApiErrorBody)))]
pub async fn narrative(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds((id, year, node)): ApiIds<(Uuid, String, String)>,
    ApiJson(body): ApiJson<NarrativeBody>,
) -> Result<Json<VersionDto>, ApiError> {
    user.require(Permission::ManageProgramme)?;
    let version =
        state.store.set_report_narrative(&user.principal, id, year_of(&year)?, &node, &body.body, body.version).await?;
    Ok(Json(VersionDto { version }))
}

#[derive(Serialize, ToSchema)]
pub struct StatutoryDto {
    /// `store::programme::statutory::StatutorySet`: teryt, tenant_name, year, deadline (10 February), approval (the
    /// approved version shown, or null for live figures), lines in the template's order (id, reference, name_pl,
    /// name_en, level: 0 a line, 1–2 "w tym", source: computed or entered, value) and corrections (frozen figures
    /// the data now gives differently: id, name_pl, approved, now).
    #[schema(value_type = Object)]
    pub statutory: store::programme::statutory::StatutorySet,
}

/// The statutory set (Government Programme 2024–2030, annex 2) in its template's shape, with the version it shows.
/// Figures only.
#[utoipa::path(get, path = "/api/v1/statutory/{year}", tag = "programme", params(("year" = String, Path)),
    responses((status = 200, body = StatutoryDto), (status = 403, body = ApiErrorBody)))]
pub async fn statutory(
    State(state): State<AppState>,
    user: ApiUser,
    Path(year): Path<String>,
) -> Result<Json<StatutoryDto>, ApiError> {
    user.require(Permission::ViewAggregates)?;
    let statutory = state.store.statutory_set(&user.principal, year_of(&year)?).await?;
    Ok(Json(StatutoryDto { statutory }))
}

#[derive(Deserialize, ToSchema)]
pub struct StatutoryEntryBody {
    /// A whole number, not negative, as typed.
    pub value: String,
    /// True to confirm a value far off last year's.
    #[serde(default)]
    pub confirmed: bool,
}

/// Enters a line of the statutory set that an institution knows (200 saved; 202 asks to confirm a value far off last
/// year's; 422 refused; 404 for a computed line).
#[utoipa::path(put, path = "/api/v1/statutory/{year}/lines/{line}", tag = "programme",
    params(("year" = String, Path), ("line" = String, Path)), request_body = StatutoryEntryBody,
    responses((status = 200, body = EntryResult), (status = 202, body = EntryResult), (status = 422, body = ApiErrorBody)))]
pub async fn statutory_entry(
    State(state): State<AppState>,
    user: ApiUser,
    Path((year, line)): Path<(String, String)>,
    ApiJson(body): ApiJson<StatutoryEntryBody>,
) -> Result<(StatusCode, Json<EntryResult>), ApiError> {
    if !user.principal.roles.permits(Permission::ManageProgramme) {
        user.require(Permission::EnterIndicators)?;
    }
    let outcome =
        state.store.enter_statutory_line(&user.principal, year_of(&year)?, &line, &body.value, body.confirmed).await?;
    Ok(match outcome {
        store::programme::statutory::EnterOutcome::Saved => {
            (StatusCode::OK, Json(EntryResult { outcome: "saved".into(), version: None, last_year: None }))
        }
        store::programme::statutory::EnterOutcome::NeedsConfirmation { last_year } => (
            StatusCode::ACCEPTED,
            Json(EntryResult { outcome: "needs_confirmation".into(), version: None, last_year: Some(last_year) }),
        ),
    })
}

#[derive(Deserialize, ToSchema)]
pub struct ApprovalBody {
    /// Required (10 characters or more) when the completeness check finds gaps.
    #[serde(default)]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApprovalDto {
    pub version: i32,
}

/// The chair approves the year's statutory figures, freezing them as a new version (201); with gaps only with a
/// written reason (422 otherwise).
#[utoipa::path(post, path = "/api/v1/statutory/{year}/approvals", tag = "programme", params(("year" = String, Path)),
    request_body = ApprovalBody,
    responses((status = 201, body = ApprovalDto), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn statutory_approve(
    State(state): State<AppState>,
    user: ApiUser,
    Path(year): Path<String>,
    ApiJson(body): ApiJson<ApprovalBody>,
) -> Result<(StatusCode, Json<ApprovalDto>), ApiError> {
    user.require(Permission::ChairDecisions)?;
    let version = state.store.approve_statutory(&user.principal, year_of(&year)?, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(ApprovalDto { version })))
}

/// Parses a programme id from a path (shared with the pages).
pub fn programme_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}
