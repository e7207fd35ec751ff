//! Operations: liveness, readiness, Prometheus metrics, static files, the language switch, error pages.

use std::sync::atomic::Ordering;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use rust_embed::RustEmbed;
use serde::Deserialize;

use crate::error::{ErrorPage, error_texts};
use crate::i18n::{Lang, Tr};
use crate::identity::login::safe_next;
use crate::page::Chrome;
use crate::session::{LANG_COOKIE, cookie_header, redirect_with_cookie};
use crate::state::AppState;

/// Alive: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers and can take a write (a full disk, a database at its size limit or a read-only
/// server make every case read and change fail, since a read writes its audit entry).
pub async fn readyz(State(state): State<AppState>) -> Response {
    if let Err(e) = state.store.db().ping().await {
        tracing::warn!(error = %e, "not ready: database unreachable");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response();
    }
    match state.store.db().check_writable().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the database cannot write");
            (StatusCode::SERVICE_UNAVAILABLE, "database cannot write").into_response()
        }
    }
}

/// Whether this request may read `/metrics`: with the configured bearer token, or from loopback when it did not come
/// through a proxy (a reverse proxy on the same machine connects from loopback too, so a forwarded request is never
/// taken as local).
fn metrics_allowed(parts: &axum::http::request::Parts, config: &crate::state::WebConfig) -> bool {
    let presented = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    if let (Some(expected), Some(presented)) = (config.metrics_token.as_deref(), presented) {
        return crate::session::same_secret(expected, presented);
    }
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"].iter().any(|h| parts.headers.contains_key(*h));
    !forwarded && crate::client::peer(parts).is_some_and(|ip| ip.is_loopback())
}

/// Prometheus text format; loopback or the configured bearer token only (404 otherwise, as if it were not there).
pub async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if !metrics_allowed(&parts, &state.config) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let m = &state.metrics;
    let db_up = u8::from(state.store.db().ping().await.is_ok());
    let mut out = String::new();
    out.push_str("# HELP ostoja_http_requests_total HTTP responses by status class.\n# TYPE ostoja_http_requests_total counter\n");
    for (class, counter) in
        [("2xx", &m.requests_2xx), ("3xx", &m.requests_3xx), ("4xx", &m.requests_4xx), ("5xx", &m.requests_5xx)]
    {
        out.push_str(&format!("ostoja_http_requests_total{{class=\"{class}\"}} {}\n", counter.load(Ordering::Relaxed)));
    }
    out.push_str("# HELP ostoja_http_request_duration_seconds_sum Total time spent serving requests.\n# TYPE ostoja_http_request_duration_seconds_sum counter\n");
    out.push_str(&format!(
        "ostoja_http_request_duration_seconds_sum {:.6}\n",
        m.request_micros_total.load(Ordering::Relaxed) as f64 / 1e6
    ));
    out.push_str(
        "# HELP ostoja_login_failures_total Failed password logins.\n# TYPE ostoja_login_failures_total counter\n",
    );
    out.push_str(&format!("ostoja_login_failures_total {}\n", m.login_failures.load(Ordering::Relaxed)));
    out.push_str("# HELP ostoja_database_up Whether the database answered.\n# TYPE ostoja_database_up gauge\n");
    out.push_str(&format!("ostoja_database_up{{engine=\"{}\"}} {db_up}\n", state.store.db().engine()));
    // The e-mail outbox: a growing `retrying` or any `failed` needs the administrator (docs/operations.md).
    if let Ok(c) = state.store.outbox_counts().await {
        out.push_str("# HELP ostoja_email_outbox Notification e-mails by state (queued includes retrying).\n# TYPE ostoja_email_outbox gauge\n");
        for (label, n) in [("queued", c.queued), ("retrying", c.retrying), ("failed", c.failed), ("sent", c.sent)] {
            out.push_str(&format!("ostoja_email_outbox{{state=\"{label}\"}} {n}\n"));
        }
    }
    out.push_str(&format!("# HELP ostoja_build_info Build information.\n# TYPE ostoja_build_info gauge\nostoja_build_info{{version=\"{}\"}} 1\n", env!("CARGO_PKG_VERSION")));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], out).into_response()
}

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// Files compiled into the binary (no CDN, so the CSP can stay `'self'`).
pub async fn static_file(Path(path): Path<String>) -> Response {
    match Static::get(&path) {
        Some(file) => (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            ],
            file.data,
        )
            .into_response(),
        None => ErrorPage::NotFound.into_response_page(),
    }
}

#[derive(Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    next: Option<String>,
}

/// Switches the interface language and goes back where the user was.
pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::from_code(&code).unwrap_or_default();
    let cookie = cookie_header(LANG_COOKIE, lang.code(), state.config.secure_cookies, Some(60 * 60 * 24 * 365));
    redirect_with_cookie(&safe_next(q.next.as_deref()), cookie)
}

/// Unknown routes: a JSON 404 under `/api/`, a friendly page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        crate::error::ApiError::NotFound.into_response()
    } else {
        ErrorPage::NotFound.into_response_page()
    }
}

impl ErrorPage {
    fn into_response_page(self) -> Response {
        crate::error::PageError::Page(self).into_response()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorTemplate {
    chrome: Chrome,
    message: String,
}

/// Renders error markers (and bare 5xx answers, e.g. from a caught panic) as pages in the user's language.
pub async fn error_pages(request: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let lang = jar.get(LANG_COOKIE).and_then(|c| Lang::from_code(c.value())).unwrap_or_default();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let marker = response.extensions().get::<ErrorPage>().copied();
    let page = match marker {
        Some(p) => p,
        None if response.status().is_server_error()
            && response.headers().get(header::CONTENT_TYPE).is_none_or(|v| !v.as_bytes().starts_with(b"text/html"))
            && !path.starts_with("/api/")
            && path != "/readyz" =>
        {
            ErrorPage::Internal(crate::error::log_internal(&format!("{} without a page", response.status())))
        }
        None => return response,
    };
    let status = response.status();
    let (title, message) = error_texts(page, lang);
    let chrome = Chrome { t: Tr::new(lang), user: None, csrf: String::new(), demo: false, path, title, notice: None };
    let mut rendered = ErrorTemplate { chrome, message }.into_response();
    *rendered.status_mut() = status;
    rendered
}

/// A panic in a handler: logged once with an event number (not its message, which could hold data), answered
/// with the Polish error page. The language is not known here, so Polish, the default, it is.
pub fn panic_page(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let id = crate::error::log_internal(&"a request handler panicked");
    let (title, message) = error_texts(ErrorPage::Internal(id), Lang::Pl);
    let chrome = Chrome {
        t: Tr::new(Lang::Pl),
        user: None,
        csrf: String::new(),
        demo: false,
        path: String::new(),
        title,
        notice: None,
    };
    let mut rendered = ErrorTemplate { chrome, message }.into_response();
    *rendered.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    rendered
}

/// Counts responses by status class and time spent, for `/metrics`.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    state.metrics.record(response.status().as_u16(), micros);
    response
}
