use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn token_for(app: &TestApp, login: &str, roles: &[Role]) -> String {
    let _ = app.login_as(login, roles).await;
    app.store.issue_api_token(&store::Actor::operator(), login, "integracja").await.unwrap()
}

#[tokio::test]
async fn a_bearer_token_identifies_its_account_and_is_limited_to_its_roles() {
    let app = TestApp::spawn().await;
    let token = token_for(&app, "system.integracji", &[Role::AggregateViewer]).await;
    let c = reqwest::Client::new();
    let me: serde_json::Value =
        c.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["login"], "system.integracji");
    assert_eq!(me["tenant_teryt"], app.teryt.as_str());
    assert_eq!(me["roles"][0], "aggregate_viewer");
    let r = c.get(app.url("/api/v1/tenants")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused_and_the_rejection_is_audited() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let r = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let r = c.get(app.url("/api/v1/me")).bearer_auth("ostoja_nieprawdziwy").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
    let trail = app
        .store
        .audit_entries(
            &store::Actor::operator(),
            &store::AuditFilter { action: Some("api_token_rejected".into()), limit: 10, ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert!(!trail[0].detail.contains("nieprawdziwy"), "the presented secret is not logged whole");
}

#[tokio::test]
async fn the_administrator_creates_a_municipality_and_institution_through_the_api_with_field_errors_in_json() {
    let app = TestApp::spawn().await;
    let token = token_for(&app, "admin.api", &[Role::SystemAdministrator]).await;
    let c = reqwest::Client::new();
    let r = c
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"teryt": "1805021", "name": "Jasło"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = c
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"teryt": "abc", "name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "teryt");
    assert_eq!(
        body["fields"][0]["message"],
        "Kod TERYT gminy to 7 cyfr (np. 1016011), powiatu 4 (1016), województwa 2 (10)."
    );
    let r = c
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{nie json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = c
        .post(app.url("/api/v1/tenants/1805021/institutions"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Komenda Powiatowa Policji", "kind": "police"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: serde_json::Value = c
        .get(app.url("/api/v1/tenants/1805021/institutions"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["kind"], "police");
}

#[tokio::test]
async fn another_municipalitys_team_cannot_learn_that_a_municipality_exists() {
    let app = TestApp::spawn().await;
    app.store.create_tenant(&store::Actor::operator(), "1805021", "Jasło", false).await.unwrap();
    let token = token_for(&app, "chair.tomaszow", &[Role::Chair]).await;
    let c = reqwest::Client::new();
    let own = c
        .get(app.url(&format!("/api/v1/tenants/{}/institutions", app.teryt)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    let other = c.get(app.url("/api/v1/tenants/1805021/institutions")).bearer_auth(&token).send().await.unwrap();
    let missing = c.get(app.url("/api/v1/tenants/1805031/institutions")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/me",
        "/api/v1/tenants",
        "/api/v1/tenants/{teryt}/institutions",
        "/api/v1/procedures",
        "/api/v1/procedures/{id}",
        "/api/v1/procedures/{id}/commands",
    ] {
        assert!(paths.contains_key(p), "{p} missing");
    }
    assert!(paths["/api/v1/tenants"].get("post").is_some());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}
