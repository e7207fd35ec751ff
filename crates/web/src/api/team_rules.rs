//! The team's rules, standards for institutions and agreements with member institutions over the API (issue 18
//! item 5): the same permission (the team's staff), validation, audit and version checks as the pages.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::identity::Permission;
use serde::{Deserialize, Serialize};
use store::team::{
    Agreement, AgreementDraft, DocumentKind, DocumentVersionDraft, DocumentVersionInput, TeamDocument,
    parse_document_title,
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::team::Created;
use super::{ApiJson, ApiUser};
use crate::error::{ApiError, ApiErrorBody};
use crate::extract::ApiIds;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct AcknowledgementDto {
    pub institution_id: String,
    pub institution_name: String,
    pub acknowledged_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentVersionDto {
    pub id: String,
    /// 1 for the first version, counting up.
    pub number: i64,
    pub body: String,
    pub resolution_number: String,
    pub resolution_on: String,
    pub in_force_from: String,
    /// The institutions that acknowledged this version (standards only).
    pub acknowledgements: Vec<AcknowledgementDto>,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: String,
    /// rules or standard
    pub kind: String,
    pub title: String,
    /// The number of the version in force today; none while the first is still ahead.
    pub in_force: Option<i64>,
    /// Newest first.
    pub versions: Vec<DocumentVersionDto>,
    /// The version a new version must present.
    pub version: i64,
}

fn document_dto(d: TeamDocument, today: jiff::civil::Date) -> DocumentDto {
    DocumentDto {
        id: d.id.to_string(),
        kind: d.kind.as_str().into(),
        in_force: d.in_force(today).map(|v| v.number),
        title: d.title,
        versions: d
            .versions
            .into_iter()
            .map(|v| DocumentVersionDto {
                id: v.id.to_string(),
                number: v.number,
                body: v.body,
                resolution_number: v.resolution_number,
                resolution_on: v.resolution_on.to_string(),
                in_force_from: v.in_force_from.to_string(),
                acknowledgements: v
                    .acknowledgements
                    .into_iter()
                    .map(|a| AcknowledgementDto {
                        institution_id: a.institution_id.to_string(),
                        institution_name: a.institution_name,
                        acknowledged_on: a.acknowledged_on.to_string(),
                    })
                    .collect(),
            })
            .collect(),
        version: d.version,
    }
}

/// A version to add: the fields of `DocumentVersionDraft`, for a new document its `title`, and for a new version
/// of a document the `version` it was read at.
#[derive(Deserialize, ToSchema)]
pub struct DocumentVersionBody {
    #[serde(flatten)]
    pub draft: DocumentVersionDraft,
    /// Only for a new document.
    #[serde(default)]
    #[schema(default = "")]
    pub title: String,
    /// For a new version: the document's version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl DocumentVersionBody {
    fn input(&self, state: &AppState) -> Result<DocumentVersionInput, ApiError> {
        self.draft.validate(state.store.today()).map_err(ApiError::Invalid)
    }

    /// The version and the title checked together, so every refusal comes at once.
    fn new_document(&self, state: &AppState) -> Result<DocumentVersionInput, ApiError> {
        let title = parse_document_title(&self.title).err();
        match (self.input(state), title) {
            (Ok(input), None) => Ok(input),
            (Ok(_), Some(code)) => {
                let mut e = domain::FieldErrors::new();
                e.add("title", code);
                Err(ApiError::Invalid(e))
            }
            (Err(ApiError::Invalid(mut e)), Some(code)) => {
                e.add("title", code);
                Err(ApiError::Invalid(e))
            }
            (Err(e), _) => Err(e),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct VersionAdded {
    /// The new version's number.
    pub number: i64,
}

/// The team's rules with every version; 404 before they are recorded.
#[utoipa::path(get, path = "/api/v1/team/rules", tag = "team",
    responses((status = 200, body = DocumentDto), (status = 403, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
pub async fn rules(State(state): State<AppState>, user: ApiUser) -> Result<Json<DocumentDto>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let doc = state.store.team_rules(&user.principal).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(document_dto(doc, state.store.today())))
}

/// Records the team's rules with their first version; 409 when they are recorded already.
#[utoipa::path(post, path = "/api/v1/team/rules", tag = "team", request_body = DocumentVersionBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_rules(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<DocumentVersionBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.new_document(&state)?;
    let id = state.store.create_team_document(&user.caller(), DocumentKind::Rules, &body.title, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

/// Adds a version to the rules at the version they were read at.
#[utoipa::path(post, path = "/api/v1/team/rules/versions", tag = "team", request_body = DocumentVersionBody,
    responses((status = 201, body = VersionAdded), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_rules_version(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<DocumentVersionBody>,
) -> Result<(StatusCode, Json<VersionAdded>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let doc = state.store.team_rules(&user.principal).await?.ok_or(ApiError::NotFound)?;
    let input = body.input(&state)?;
    let number = state.store.add_team_document_version(&user.caller(), doc.id, &input, body.version).await?;
    Ok((StatusCode::CREATED, Json(VersionAdded { number })))
}

/// The standards and procedures for institutions, by title, each with every version and acknowledgement.
#[utoipa::path(get, path = "/api/v1/team/standards", tag = "team",
    responses((status = 200, body = Vec<DocumentDto>), (status = 403, body = ApiErrorBody)))]
pub async fn standards(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<DocumentDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let today = state.store.today();
    let list = state.store.team_standards(&user.principal).await?;
    Ok(Json(list.into_iter().map(|d| document_dto(d, today)).collect()))
}

/// Adds a standard with its first version.
#[utoipa::path(post, path = "/api/v1/team/standards", tag = "team", request_body = DocumentVersionBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_standard(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<DocumentVersionBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.new_document(&state)?;
    let id = state.store.create_team_document(&user.caller(), DocumentKind::Standard, &body.title, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

async fn standard_of(state: &AppState, user: &ApiUser, id: Uuid) -> Result<TeamDocument, ApiError> {
    let doc = state.store.team_document(&user.principal, id).await?;
    if doc.kind == DocumentKind::Standard { Ok(doc) } else { Err(ApiError::NotFound) }
}

/// One standard.
#[utoipa::path(get, path = "/api/v1/team/standards/{id}", tag = "team", params(("id" = String, Path, description = "The standard's id")),
    responses((status = 200, body = DocumentDto), (status = 404, body = ApiErrorBody)))]
pub async fn standard(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<DocumentDto>, ApiError> {
    user.require(Permission::ManageTeam)?;
    Ok(Json(document_dto(standard_of(&state, &user, id).await?, state.store.today())))
}

/// Adds a version to a standard at the version it was read at.
#[utoipa::path(post, path = "/api/v1/team/standards/{id}/versions", tag = "team", request_body = DocumentVersionBody,
    params(("id" = String, Path, description = "The standard's id")),
    responses((status = 201, body = VersionAdded), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn add_standard_version(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<DocumentVersionBody>,
) -> Result<(StatusCode, Json<VersionAdded>), ApiError> {
    user.require(Permission::ManageTeam)?;
    standard_of(&state, &user, id).await?;
    let input = body.input(&state)?;
    let number = state.store.add_team_document_version(&user.caller(), id, &input, body.version).await?;
    Ok((StatusCode::CREATED, Json(VersionAdded { number })))
}

/// An institution's acknowledgement of a version of a standard.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AcknowledgementBody {
    pub version_id: String,
    pub institution_id: String,
    /// YYYY-MM-DD; not in the future, not before the version's resolution.
    pub acknowledged_on: String,
}

/// Records that an institution acknowledged a version (once per institution and version).
#[utoipa::path(post, path = "/api/v1/team/standards/{id}/acknowledgements", tag = "team", request_body = AcknowledgementBody,
    params(("id" = String, Path, description = "The standard's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<AcknowledgementBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    standard_of(&state, &user, id).await?;
    let mut e = domain::FieldErrors::new();
    let choice = |raw: &str| match raw.trim() {
        "" => Err("err-required"),
        s => s.parse::<Uuid>().map_err(|_| "err-choice-unknown"),
    };
    let version_id = e.check("version_id", choice(&body.version_id));
    let institution_id = e.check("institution_id", choice(&body.institution_id));
    let (Some(version_id), Some(institution_id)) = (version_id, institution_id) else {
        return Err(ApiError::Invalid(e));
    };
    state
        .store
        .acknowledge_team_document(&user.caller(), id, version_id, institution_id, &body.acknowledged_on)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct AgreementDto {
    pub id: String,
    pub institution_id: String,
    pub institution_name: String,
    pub subject: String,
    pub signed_on: String,
    pub in_force_from: String,
    /// Its last day; none for an agreement without an end.
    pub in_force_to: Option<String>,
    /// Days before the last day the chair is reminded.
    pub remind_days: i64,
    /// ahead, in_force, lapsing or lapsed, today.
    pub state: String,
    pub version: i64,
}

fn agreement_dto(a: Agreement, today: jiff::civil::Date) -> AgreementDto {
    AgreementDto {
        id: a.id.to_string(),
        state: a.state(today).as_str().into(),
        institution_id: a.institution_id.to_string(),
        institution_name: a.institution_name,
        subject: a.subject,
        signed_on: a.signed_on.to_string(),
        in_force_from: a.in_force_from.to_string(),
        in_force_to: a.in_force_to.map(|d| d.to_string()),
        remind_days: a.remind_days,
        version: a.version,
    }
}

/// An agreement to add or change: the fields of `AgreementDraft` and, for a change, `version`.
#[derive(Deserialize, ToSchema)]
pub struct AgreementBody {
    #[serde(flatten)]
    pub draft: AgreementDraft,
    /// For a change: the version it was read at.
    #[serde(default)]
    #[schema(default = 0)]
    pub version: i64,
}

impl AgreementBody {
    fn draft(&self) -> &AgreementDraft {
        &self.draft
    }
}

/// The agreements with member institutions, with their state today.
#[utoipa::path(get, path = "/api/v1/team/agreements", tag = "team",
    responses((status = 200, body = Vec<AgreementDto>), (status = 403, body = ApiErrorBody)))]
pub async fn agreements(State(state): State<AppState>, user: ApiUser) -> Result<Json<Vec<AgreementDto>>, ApiError> {
    user.require(Permission::ManageTeam)?;
    let today = state.store.today();
    let list = state.store.agreements(&user.principal).await?;
    Ok(Json(list.into_iter().map(|a| agreement_dto(a, today)).collect()))
}

#[utoipa::path(post, path = "/api/v1/team/agreements", tag = "team", request_body = AgreementBody,
    responses((status = 201, body = Created), (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn create_agreement(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(body): ApiJson<AgreementBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    let id = state.store.create_agreement(&user.caller(), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/team/agreements/{id}", tag = "team", params(("id" = String, Path, description = "The agreement's id")),
    responses((status = 200, body = AgreementDto), (status = 404, body = ApiErrorBody)))]
pub async fn agreement(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
) -> Result<Json<AgreementDto>, ApiError> {
    user.require(Permission::ManageTeam)?;
    Ok(Json(agreement_dto(state.store.agreement(&user.principal, id).await?, state.store.today())))
}

/// Changes an agreement (an extension, a termination, a correction) at the version it was read at.
#[utoipa::path(put, path = "/api/v1/team/agreements/{id}", tag = "team", request_body = AgreementBody,
    params(("id" = String, Path, description = "The agreement's id")),
    responses((status = 204), (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
pub async fn update_agreement(
    State(state): State<AppState>,
    user: ApiUser,
    ApiIds(id): ApiIds<Uuid>,
    ApiJson(body): ApiJson<AgreementBody>,
) -> Result<StatusCode, ApiError> {
    user.require(Permission::ManageTeam)?;
    let input = body.draft().validate(state.store.today()).map_err(ApiError::Invalid)?;
    state.store.update_agreement(&user.caller(), id, &input, body.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
