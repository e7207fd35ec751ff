#![doc = include_str!("../README.md")]

pub mod admin;
pub mod api;
pub mod area;
pub mod audit;
pub mod calendar;
pub mod client;
pub mod day;
pub mod error;
pub mod extract;
pub mod flash;
pub mod home;
pub mod i18n;
pub mod identity;
pub mod notify;
pub mod ops;
pub mod page;
pub mod procedure;
pub mod programme;
pub mod region;
pub mod routes;
mod server;
pub mod session;
pub mod start;
pub mod state;
pub mod tab_key;
pub mod team;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use routes::{Route, Routes};
pub use state::{AppState, Metrics, WebConfig};

use crate::session::{AnonCsrf, CSRF_COOKIE, cookie_header};

/// The pages, each behind its own permission check (see `tests/http/authorization.rs`).
fn page_routes() -> Routes {
    Routes::new()
        .route("/", get(home::show))
        .route("/deadlines", get(day::list))
        .route("/start", get(start::show))
        .merge(identity::routes())
        .merge(admin::routes())
        .merge(audit::routes())
        .merge(procedure::routes())
        .merge(programme::routes())
        .merge(area::routes())
        .merge(region::routes())
        .merge(notify::routes())
        .merge(team::routes())
        .merge(calendar::routes())
        .route("/lang/{code}", get(ops::switch_lang))
        .route("/static/{*path}", get(ops::static_file))
}

/// The JSON API, with its OpenAPI document served beside it.
fn api_routes() -> Routes {
    let (api_routes, openapi) = api::router();
    let routes = Routes::api(api_routes, &openapi);
    let openapi = Arc::new(openapi);
    routes.route("/api/v1/openapi.json", get(move || async move { Json(openapi.as_ref().clone()) }))
}

/// What stands outside the pages: the probes and the public directory of help (no cookie is ever set on it).
fn outer_routes() -> Routes {
    Routes::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .merge(team::public::routes())
        .merge(calendar::feed_routes())
}

/// Every route the application registers (method and path pattern), pages and API alike: the authorization test
/// compares it with its table of expected answers.
pub fn route_table() -> Vec<Route> {
    let mut table = Vec::new();
    for routes in [outer_routes(), api_routes(), page_routes()] {
        table.extend_from_slice(routes.table());
    }
    table.sort();
    table
}

/// The whole application: pages, API, operations, with the security layers around them.
pub fn app(state: AppState) -> Router {
    let (pages, _) = page_routes().into_parts();
    let pages = pages
        .fallback(ops::not_found)
        .layer(middleware::from_fn(ops::error_pages))
        .layer(middleware::from_fn_with_state(state.clone(), anonymous_csrf_cookie))
        .layer(middleware::from_fn_with_state(state.clone(), flash::layer));
    let (api, _) = api_routes().into_parts();
    let (outer, _) = outer_routes().into_parts();
    outer
        .merge(api)
        .merge(pages)
        .layer(middleware::from_fn_with_state(state.clone(), ops::count))
        .layer(DefaultBodyLimit::max(state.config.body_limit))
        // Fetch-Metadata/Origin check: a cross-site form post never reaches a handler.
        .layer(CsrfLayer::new())
        .layer(CatchPanicLayer::custom(ops::panic_page))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    tracing::info_span!("request", method = %req.method(), path = %loggable_path(req.uri().path()))
                })
                // Microseconds, so that scripts/bench-pages can set each request's time beside its SQL's.
                .on_response(DefaultOnResponse::new().latency_unit(LatencyUnit::Micros)),
        )
        // Outermost, so every layer and handler of the request runs inside it.
        .layer(middleware::from_fn(rows_of_one_tenant))
        .with_state(state)
}

/// Runs each request for no tenant until its session or API token names one (`session.rs`, `api/mod.rs`): on
/// PostgreSQL the row-level security policies then refuse every other tenant's case rows, even to a query that
/// forgets its tenant filter (store/src/row_security.rs).
async fn rows_of_one_tenant(request: Request, next: Next) -> Response {
    store::row_security::acting_for(None, next.run(request)).await
}

/// The path as it may appear in logs: never the query string, and the secrets some paths carry (one-time link
/// tokens, the calendar feed's token) replaced by `…`.
pub fn loggable_path(path: &str) -> String {
    for prefix in ["/setup/", "/activate/", "/feeds/calendar/"] {
        if path.starts_with(prefix) {
            return format!("{prefix}…");
        }
    }
    path.to_owned()
}

/// Gives anonymous visitors a double-submit CSRF cookie, so the login and set-up forms carry a token too.
async fn anonymous_csrf_cookie(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let existing = axum_extra::extract::CookieJar::from_headers(request.headers())
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (hex::encode(rand::random::<[u8; 32]>()), true),
    };
    request.extensions_mut().insert(AnonCsrf(token.clone()));
    let mut response = next.run(request).await;
    if fresh {
        response
            .headers_mut()
            .append(header::SET_COOKIE, cookie_header(CSRF_COOKIE, &token, state.config.secure_cookies, None));
    }
    response
}

/// Serves `app` on `listener` until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve(listener, state, shutdown).await
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    #[test]
    fn one_time_tokens_never_reach_the_logs() {
        assert_eq!(loggable_path("/setup/abc123"), "/setup/…");
        assert_eq!(loggable_path("/activate/abc123"), "/activate/…");
        assert_eq!(loggable_path("/feeds/calendar/abc123.ics"), "/feeds/calendar/…");
        assert_eq!(loggable_path("/admin/tenants"), "/admin/tenants");
    }

    #[tokio::test]
    async fn a_panicking_handler_gives_a_polish_500_page_with_an_event_number() {
        let app = Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("test")
                    }
                }),
            )
            .layer(CatchPanicLayer::custom(ops::panic_page));
        let response = app.oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("Wystąpił błąd") && text.contains("numer zdarzenia"), "{text}");
    }
}
