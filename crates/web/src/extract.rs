//! The extractors most handlers share, so a handler states what it needs in its signature instead of repeating the
//! checks in its body:
//!
//! - [`CsrfForm`]: a form post whose CSRF token has been checked (a wrong or missing token is the 403 page).
//! - [`Ids`]: the path's ids, parsed (a malformed id is the 404 page, as for an id that does not exist).
//! - [`ApiIds`]: the same for the JSON API (a malformed id is the API's 404).
//!
//! Who calls the store, with the client's address for the audit trail, is [`crate::session::User::caller`] (pages)
//! and [`crate::api::ApiUser::caller`] (API): a `store::Caller` that every store method acting for a user takes.

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorPage, PageError};
use crate::page::form_bytes;
use crate::session::Ctx;
use crate::state::AppState;

/// A form post (`application/x-www-form-urlencoded`) whose `csrf` field matched this session's token (or, before a
/// login, the double-submit cookie's). Parsed like [`crate::page::PostForm`] first, so a malformed body stays a 400;
/// then the token is compared in constant time. Take it after `User`/`Ctx` (it must be the last argument anyway):
/// a post without a session still goes to the login first.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        // Already extracted by `User`/`Ctx` in nearly every handler: then this is a copy from the request's extensions.
        let ctx = Ctx::from_request_parts(&mut parts, state).await?;
        let bytes = form_bytes(Request::from_parts(parts, body), state).await?;
        let value: T = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::from(ErrorPage::BadRequest))?;
        // The first `csrf` value, as the handlers read it before (`page::field`).
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::from(ErrorPage::BadRequest))?;
        let presented = pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        ctx.check_csrf(presented)?;
        Ok(CsrfForm(value))
    }
}

/// The path's parameters as typed values, usually `Uuid` or a tuple of them (`Ids((id, record_id))`). Anything that
/// does not parse answers the 404 page: a malformed id names nothing, exactly like an id that does not exist.
pub struct Ids<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Ids<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| Ids(v)).map_err(|_| ErrorPage::NotFound.into())
    }
}

/// [`Ids`] for the JSON API: a malformed id is the API's 404 (`ApiError::NotFound`).
pub struct ApiIds<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiIds<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| ApiIds(v)).map_err(|_| ApiError::NotFound)
    }
}
