//! The JSON API's request bodies, through the whole application as the server runs it (`web::app`, in process, on
//! SQLite): every write route of `/api/v1` with a bearer token of a team account that holds most roles, a path
//! naming a real case or anything, and the fuzzer's bytes as the body. A malformed request must be answered with a
//! 4xx (or a success); a 5xx is a crash here, like a panic.
#![no_main]

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use arbitrary::Arbitrary;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, header};
use domain::clock::ManualClock;
use domain::identity::Role;
use libfuzzer_sys::fuzz_target;
use store::testing::TestDatabase;
use store::{Actor, Store};
use tower::ServiceExt;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    token: String,
    teryt: String,
    /// The API's write routes (method, path pattern).
    routes: Vec<(Method, String)>,
    _db: TestDatabase,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // store::testing picks the engine from OSTOJA_TEST_ENGINE; unset, it is SQLite in a temporary directory.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (app, token, teryt, db) = runtime.block_on(async {
            let db = TestDatabase::new().await;
            let clock = ManualClock::at("2026-11-23T09:00:00Z".parse().unwrap());
            let store = Store::open(&db.options, Arc::new(clock.clone())).await.unwrap();
            let tenant = store.create_tenant(&Actor::operator(), "1016011", "Gmina Testowa", false).await.unwrap();
            let new = store::identity::NewAccount {
                tenant_id: Some(tenant.id),
                institution_id: None,
                login: "fuzz.team".to_owned(),
                roles: vec![Role::Chair, Role::Secretary, Role::GroupMember, Role::Initiator, Role::ProgrammeReporter],
                details: store::identity::PersonalDetails { full_name: "Osoba Testowa".into(), ..Default::default() },
            };
            let (account, _) = store.create_account(&Actor::operator(), &new).await.unwrap();
            store::testing::sign_confidentiality(&store, account).await;
            let token = store.issue_api_token(&Actor::operator(), "fuzz.team", "fuzz").await.unwrap();
            let state = web::AppState {
                store: store.clone(),
                clock: Arc::new(clock),
                config: Arc::new(web::WebConfig {
                    public_url: "http://127.0.0.1".into(),
                    body_limit: 64 * 1024,
                    ..Default::default()
                }),
                metrics: Arc::default(),
            };
            (web::app(state), token, tenant.teryt, db)
        });
        let routes = web::route_table()
            .into_iter()
            .filter(|r| r.path.starts_with("/api/v1/") && r.method != "GET")
            .filter_map(|r| Some((r.method.parse().ok()?, r.path)))
            .collect();
        Fixture { runtime, app, token, teryt, routes, _db: db }
    })
}

#[derive(Debug, Arbitrary)]
struct Input {
    route: u8,
    /// What stands for each `{parameter}` of the path: an id that exists, or the fuzzer's text.
    parameter: Parameter,
    json_content_type: bool,
    body: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
enum Parameter {
    Known,
    Text(String),
}

fn fill(pattern: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        out.push_str(value);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fuzz_target!(|input: Input| {
    let f = fixture();
    if f.routes.is_empty() {
        return;
    }
    let (method, pattern) = &f.routes[usize::from(input.route) % f.routes.len()];
    let value = match &input.parameter {
        Parameter::Known if pattern.contains("{teryt}") => f.teryt.clone(),
        Parameter::Known => "0190a3c4-0000-7000-8000-000000000001".to_owned(),
        Parameter::Text(s) => s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect(),
    };
    let uri = fill(pattern, &value);
    let mut request = Request::builder()
        .method(method.clone())
        .uri(&uri)
        .header(header::AUTHORIZATION, format!("Bearer {}", f.token));
    if input.json_content_type {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let Ok(mut request) = request.body(Body::from(input.body)) else { return };
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = f.runtime.block_on(f.app.clone().oneshot(request)).unwrap();
    let status = response.status();
    assert!(!status.is_server_error(), "{method} {uri} answered {status}");
});
