//! The one place where errors become responses.
//!
//! Which type to use where:
//! - Page handlers return `Result<_, PageError>`. A `PageError` becomes a status code plus a marker; the
//!   `error_pages` middleware renders the marker as a friendly Polish (or English) page in the user's language.
//! - API handlers return `Result<_, ApiError>`, which is JSON: `{"error": code, "message": text, "fields": [...]}`.
//! - Validation errors (`StoreError::Invalid`) are not page errors: the page handler re-renders its form with the
//!   messages beside the fields and the typed values kept.
//!
//! A refused case and a missing one render alike (404): need-to-know hides even existence.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldErrors;
use serde::Serialize;
use store::StoreError;
use utoipa::ToSchema;

use crate::i18n::{Lang, Tr};

/// Kinds of error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    NotFound,
    Forbidden,
    BadRequest,
    CsrfFailed,
    PayloadTooLarge,
    Conflict,
    Unavailable,
    /// The database's storage is full: nothing can be saved, and no case can be read (its read's audit entry cannot
    /// be written; failing closed).
    StorageFull,
    /// With an operation id that matches the log line.
    Internal(u64),
}

#[derive(Debug)]
pub enum PageError {
    /// Not logged in (or the session expired): go to the login page and come back to `next`.
    LoginRequired {
        next: String,
        expired: bool,
    },
    Page(ErrorPage),
}

impl From<ErrorPage> for PageError {
    fn from(p: ErrorPage) -> Self {
        PageError::Page(p)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Page(match e {
            StoreError::NotFound => ErrorPage::NotFound,
            StoreError::Conflict(_) => ErrorPage::Conflict,
            StoreError::Invalid(_) | StoreError::AuthFailed { .. } => ErrorPage::BadRequest,
            e if e.is_storage_full() => {
                tracing::error!(error = %e, "database storage full: writes and audited reads are refused");
                ErrorPage::StorageFull
            }
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                ErrorPage::Unavailable
            }
            e => ErrorPage::Internal(log_internal(&e)),
        })
    }
}

/// Logs an unexpected error once, with an id the user can quote.
pub fn log_internal(e: &dyn std::fmt::Display) -> u64 {
    let id = rand::random::<u32>() as u64;
    tracing::error!(error.id = id, error = %e, "request failed");
    id
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::LoginRequired { next, expired } => {
                let mut target = format!("/login?next={}", urlencode(&next));
                if expired {
                    target.push_str("&expired=1");
                }
                Redirect::to(&target).into_response()
            }
            PageError::Page(page) => {
                let status = match page {
                    ErrorPage::NotFound => StatusCode::NOT_FOUND,
                    ErrorPage::Forbidden | ErrorPage::CsrfFailed => StatusCode::FORBIDDEN,
                    ErrorPage::BadRequest => StatusCode::BAD_REQUEST,
                    ErrorPage::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorPage::Conflict => StatusCode::CONFLICT,
                    ErrorPage::Unavailable | ErrorPage::StorageFull => StatusCode::SERVICE_UNAVAILABLE,
                    ErrorPage::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                };
                let mut response = status.into_response();
                response.extensions_mut().insert(page);
                response
            }
        }
    }
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|v| v.trim_start_matches('=').to_owned()).unwrap_or_default()
}

/// The title and message of an error page.
pub fn error_texts(page: ErrorPage, lang: Lang) -> (String, String) {
    let t = Tr::new(lang);
    match page {
        ErrorPage::NotFound => (t.get("not-found-title"), t.get("not-found")),
        ErrorPage::Forbidden => (t.get("forbidden-title"), t.get("forbidden")),
        ErrorPage::BadRequest => (t.get("bad-request-title"), t.get("bad-request")),
        ErrorPage::CsrfFailed => (t.get("forbidden-title"), t.get("csrf-failed")),
        ErrorPage::PayloadTooLarge => (t.get("bad-request-title"), t.get("payload-too-large")),
        ErrorPage::Conflict => (t.get("error-title"), t.get("conflict")),
        ErrorPage::Unavailable => (t.get("unavailable-title"), t.get("unavailable")),
        ErrorPage::StorageFull => (t.get("unavailable-title"), t.get("storage-full")),
        ErrorPage::Internal(id) => (t.get("internal-title"), t.arg("internal", "id", &id.to_string())),
    }
}

/// A JSON error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// A stable code, e.g. `not_found`, `invalid`, `unauthorized`.
    pub error: &'static str,
    /// A human-readable message in Polish.
    pub message: String,
    /// Field errors, for `invalid`.
    pub fields: Vec<ApiFieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug)]
pub enum ApiError {
    Unauthorized,
    Forbidden,
    NotFound,
    BadRequest(String),
    Invalid(FieldErrors),
    Conflict,
    Unavailable,
    StorageFull,
    Internal(u64),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Invalid(errors) => ApiError::Invalid(errors),
            StoreError::Conflict(_) => ApiError::Conflict,
            StoreError::AuthFailed { .. } => ApiError::Unauthorized,
            e if e.is_storage_full() => {
                tracing::error!(error = %e, "database storage full: writes and audited reads are refused");
                ApiError::StorageFull
            }
            e if e.is_unavailable() => ApiError::Unavailable,
            e => ApiError::Internal(log_internal(&e)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let t = Tr::new(Lang::Pl);
        let (status, error, message, fields) = match self {
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", t.get("api-unauthorized"), vec![]),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", t.get("forbidden"), vec![]),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found", t.get("not-found"), vec![]),
            ApiError::BadRequest(why) => (StatusCode::BAD_REQUEST, "bad_request", why, vec![]),
            ApiError::Invalid(errors) => {
                let fields = errors
                    .iter()
                    .map(|e| ApiFieldError { field: e.field, code: e.code, message: t.field_error(e) })
                    .collect();
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", t.get("form-has-errors"), fields)
            }
            ApiError::Conflict => (StatusCode::CONFLICT, "conflict", t.get("conflict"), vec![]),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", t.get("unavailable"), vec![]),
            ApiError::StorageFull => (StatusCode::SERVICE_UNAVAILABLE, "storage_full", t.get("storage-full"), vec![]),
            ApiError::Internal(id) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", t.arg("internal", "id", &id.to_string()), vec![])
            }
        };
        let mut response = (status, Json(ApiErrorBody { error, message, fields })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert("www-authenticate", axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
