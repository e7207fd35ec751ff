//! The JSON API under `/api/v1`, with bearer tokens (`ostoja token issue`) and the same permission rules as the
//! pages. The OpenAPI document is generated from these declarations and served at `/api/v1/openapi.json`.

pub mod closing;
pub mod directory;
pub mod forms;
pub mod grants;
pub mod group;
pub mod me;
pub mod notifications;
pub mod packages;
pub mod procedures;
pub mod programme;
pub mod records;
pub mod referrals;
pub mod region;
pub mod team;
pub mod team_learns;
pub mod team_rules;
pub mod tenants;
pub mod transfers;
pub mod working_groups;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::IntoResponse;
use domain::identity::Permission;
use store::identity::Principal;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ostoja API", description = "API systemu Ostoja dla zespołów interdyscyplinarnych. Uwierzytelnianie: nagłówek `Authorization: Bearer <token>`."),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes and their OpenAPI document, from one declaration.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(me::tokens))
        .routes(routes!(me::revoke_token))
        .routes(routes!(tenants::list, tenants::create))
        .routes(routes!(tenants::institutions, tenants::create_institution))
        .routes(routes!(procedures::open, procedures::list))
        .routes(routes!(procedures::intakes))
        .routes(routes!(procedures::search))
        .routes(routes!(procedures::resolve_intake))
        .routes(routes!(procedures::show))
        .routes(routes!(procedures::appoint_group, group::members))
        .routes(routes!(group::candidates))
        .routes(routes!(grants::break_glass))
        .routes(routes!(grants::list, grants::grant))
        .routes(routes!(grants::end))
        .routes(routes!(grants::register))
        .routes(routes!(grants::review))
        .routes(routes!(group::extend))
        .routes(routes!(group::replace))
        .routes(routes!(group::coordinator))
        .routes(routes!(forms::submit))
        .routes(routes!(procedures::command))
        .routes(routes!(closing::show))
        .routes(routes!(closing::close))
        .routes(routes!(closing::undo))
        .routes(routes!(transfers::export))
        .routes(routes!(transfers::import))
        .routes(routes!(records::create))
        .routes(routes!(records::update))
        .routes(routes!(records::minutes))
        .routes(routes!(records::cancel))
        .routes(routes!(records::definition))
        .routes(routes!(records::timeliness))
        .routes(routes!(referrals::list, referrals::request))
        .routes(routes!(referrals::step))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(team::orders, team::create_order))
        .routes(routes!(team::members, team::create_member))
        .routes(routes!(team::declarations, team::record_declaration))
        .routes(routes!(team::update_member))
        .routes(routes!(team::meetings, team::plan_meeting))
        .routes(routes!(team::meeting, team::update_meeting))
        .routes(routes!(team::notice))
        .routes(routes!(team::hold))
        .routes(routes!(team::cancel))
        .routes(routes!(team::letters))
        .routes(routes!(team::directory, team::create_entry))
        .routes(routes!(team::update_entry))
        .routes(routes!(directory::archive))
        .routes(routes!(team::activities, team::create_activity))
        .routes(routes!(team::update_activity, team::delete_activity))
        .routes(routes!(team_learns::recommendations, team_learns::create_recommendation))
        .routes(routes!(team_learns::recommendation, team_learns::update_recommendation))
        .routes(routes!(team_learns::projects, team_learns::create_project))
        .routes(routes!(team_learns::project, team_learns::update_project))
        .routes(routes!(team_rules::rules, team_rules::create_rules))
        .routes(routes!(team_rules::add_rules_version))
        .routes(routes!(team_rules::standards, team_rules::create_standard))
        .routes(routes!(team_rules::standard))
        .routes(routes!(team_rules::add_standard_version))
        .routes(routes!(team_rules::acknowledge))
        .routes(routes!(team_rules::agreements, team_rules::create_agreement))
        .routes(routes!(team_rules::agreement, team_rules::update_agreement))
        .routes(routes!(working_groups::trainings, working_groups::add_training))
        .routes(routes!(working_groups::remove_training))
        .routes(routes!(working_groups::coordinators))
        .routes(routes!(working_groups::list, working_groups::create))
        .routes(routes!(working_groups::show, working_groups::update))
        .routes(routes!(working_groups::add_task))
        .routes(routes!(working_groups::update_task))
        .routes(routes!(working_groups::record_meeting))
        .routes(routes!(working_groups::update_meeting))
        .routes(routes!(programme::indicators))
        .routes(routes!(programme::indicator_records))
        .routes(routes!(programme::list, programme::create))
        .routes(routes!(programme::show))
        .routes(routes!(programme::amend))
        .routes(routes!(programme::entries))
        .routes(routes!(programme::enter))
        .routes(routes!(programme::missing))
        .routes(routes!(programme::remind))
        .routes(routes!(programme::report))
        .routes(routes!(programme::narrative))
        .routes(routes!(programme::statutory))
        .routes(routes!(programme::statutory_entry))
        .routes(routes!(programme::statutory_approve))
        .routes(routes!(packages::receive))
        .routes(routes!(region::library))
        .routes(routes!(region::difficulties, region::raise_difficulty))
        .split_for_parts()
}

/// The account behind the request's bearer token.
pub struct ApiUser {
    pub principal: Principal,
    pub address: String,
}

impl ApiUser {
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.principal.roles.permits(permission) { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    pub fn actor(&self) -> store::Actor {
        self.caller().actor()
    }

    /// Who asks the store to act and from where: the principal and the client's address, for the audit entries the
    /// store's calls write.
    pub fn caller(&self) -> store::Caller<'_> {
        store::Caller::new(&self.principal, Some(self.address.clone()))
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let address = crate::client::address(parts, &state.config.trusted_proxies);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token else { return Err(ApiError::Unauthorized.into_response()) };
        match state.store.authenticate_api_token(token, &address).await {
            Ok(principal) => {
                store::row_security::settle_request_tenant(principal.tenant_id);
                Ok(ApiUser { principal, address })
            }
            Err(store::StoreError::NotFound) => Err(ApiError::Unauthorized.into_response()),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// JSON bodies that fail to parse get the API's error shape, never axum's plain-text rejection.
pub struct ApiJson<T>(pub T);

/// A query string decoded into `T`; anything malformed (`?offset=abc`) is a JSON 400 like every other API error,
/// not axum's plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| ApiQuery(v))
            .map_err(|e| {
                ApiError::BadRequest(crate::i18n::Tr::default().arg("api-bad-query", "detail", &e.body_text()))
            })
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| ApiJson(v))
            .map_err(|e| ApiError::BadRequest(crate::i18n::Tr::default().arg("api-bad-json", "detail", &e.body_text())))
    }
}
