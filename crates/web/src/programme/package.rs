//! The chair's page of the signed statutory package (issue 17, item 5): the municipality's signing key (public key
//! and fingerprint, to register with the region and confirm by telephone) and the package of an approved year to
//! download. The package holds figures only (docs/statutory-package.md).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::programme::package::fingerprint_for_people;
use store::StoreError;

use super::indicators::YearQuery;
use super::{this_year, year_param};
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "programme/package.html")]
pub struct PackagePage {
    chrome: Chrome,
    /// The key as (public key, fingerprint for people, made on): none until the chair makes it with a post.
    key: Option<(String, String, String)>,
    year: i16,
    year_error: Option<String>,
}

async fn page(state: &AppState, user: &User, year: i16, year_error: Option<String>) -> Result<PackagePage, PageError> {
    let key = state.store.statutory_signing_key(&user.principal).await?;
    Ok(PackagePage {
        chrome: Chrome::for_user(user, "package-title"),
        key: key.map(|k| {
            (k.public_key, fingerprint_for_people(&k.fingerprint), crate::procedure::show::warsaw(k.created_at))
        }),
        year,
        year_error,
    })
}

/// The key (once made) and the download form, for the year that has just ended. A view changes nothing.
pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    Ok(page(&state, &user, this_year(&state) - 1, None).await?.into_response())
}

/// The chair makes the municipality's signing key (audited); the page shows it from then on.
pub async fn create_key(
    State(state): State<AppState>,
    user: User,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    state.store.create_statutory_signing_key(&user.caller()).await?;
    Ok(crate::flash::saved("/programme/statutory/package"))
}

/// The signed package of `?year=`; refused beside the year field when the year has not ended or is not approved.
pub async fn download(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ChairDecisions)?;
    let t = user.ctx.t();
    let (year, year_error) = year_param(q.year.as_deref(), this_year(&state) - 1);
    let refused = match year_error {
        Some(code) => t.get(code),
        None => match state.store.export_statutory_package_for(&user.principal, year).await {
            Ok(bytes) => {
                let teryt = user.principal.tenant_teryt.clone().unwrap_or_default();
                let name = format!("attachment; filename=\"pakiet-rpppd-{teryt}-{year}.json\"");
                return Ok((
                    [(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, name)],
                    bytes,
                )
                    .into_response());
            }
            Err(StoreError::Invalid(errors)) => errors.iter().map(|e| t.field_error(e)).collect::<Vec<_>>().join(" "),
            Err(e) => return Err(e.into()),
        },
    };
    let page = page(&state, &user, year, Some(refused)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
