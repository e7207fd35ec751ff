//! The recommendations to the mayor and the projects over real HTTP: refusals beside the field with the typed data
//! kept, overspending accepted with a warning, the letter as PDF and ODT, the API, and who may see them.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, location};
use crate::procedures::token;

async fn api(
    app: &TestApp,
    bearer: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new().request(method, app.url(path)).bearer_auth(bearer);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_recommendation_without_an_addressee_is_refused_beside_the_field_and_the_letter_carries_the_saved_one() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let page = "/team/recommendations";
    let fields = |addressee: &'static str| {
        vec![
            ("year", "2026"),
            ("addressee", addressee),
            ("recommendation", "Utworzyć punkt konsultacyjny w Zdrojach."),
            ("justification", "Mieszkańcy Zdrojów dojeżdżają 12 km."),
            ("status", "accepted"),
            ("submitted_on", "2026-11-05"),
            ("response", "Punkt powstanie w 2027 r."),
            ("responded_on", "2026-11-20"),
        ]
    };
    let r = app.post_form(&chair, page, page, &fields("")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"addressee-error\""), "the message sits beside the field: {html}");
    assert!(html.contains("Mieszkańcy Zdrojów dojeżdżają 12 km."), "what was typed is kept");
    // A date in the future is refused too.
    let mut future = fields("Burmistrz Miasta");
    future[5] = ("submitted_on", "2026-12-24");
    let r = app.post_form(&chair, page, page, &future).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"submitted_on-error\""));

    let r = app.post_form(&chair, page, page, &fields("Burmistrz Miasta")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/team/recommendations?year=2026");
    let html = app.get_with(&chair, "/team/recommendations?year=2026").await.text().await.unwrap();
    assert!(html.contains("Utworzyć punkt konsultacyjny w Zdrojach.") && html.contains("przyjęta"), "{html}");
    assert!(!html.contains(">accepted<"), "no raw status on the page");

    for (file, kind) in [("2026.pdf", "application/pdf"), ("2026.odt", "application/vnd.oasis.opendocument.text")] {
        let r = app.get_with(&chair, &format!("/team/recommendations/letter/{file}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        assert_eq!(r.headers()["content-type"], kind);
        assert!(r.bytes().await.unwrap().len() > 500);
    }
    for bad in ["2026.exe", "abc.pdf", "2030.pdf", "2026"] {
        let r = app.get_with(&chair, &format!("/team/recommendations/letter/{bad}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }

    // Not the team's staff: nothing, not even the page.
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let viewer = app.login_as("podglad", &[Role::AggregateViewer]).await;
    for client in [&member, &viewer] {
        assert_eq!(app.get_with(client, page).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get_with(client, "/team/recommendations/letter/2026.pdf").await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get_with(client, "/team/projects").await.status(), StatusCode::FORBIDDEN);
    }
    // A malformed id is a 404, never a 500.
    assert_eq!(app.get_with(&chair, "/team/recommendations/nie-uuid").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get_with(&chair, "/team/projects/nie-uuid").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_project_spending_above_its_grant_is_saved_with_a_visible_warning() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let base = [
        ("title", "Bezpieczny dom"),
        ("funder", "ministry"),
        ("funder_name", "Ministerstwo Rodziny"),
        ("starts_on", "2026-02-01"),
        ("amount_granted", "20 000"),
        ("amount_spent", "21 500,50"),
        ("partners", "Komenda Powiatowa Policji"),
    ];
    let mut backwards = base.to_vec();
    backwards.push(("ends_on", "2026-01-01"));
    let r = app.post_form(&chair, "/team/projects", "/team/projects", &backwards).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"ends_on-error\"") && html.contains("Komenda Powiatowa Policji"), "{html}");

    let mut ok = base.to_vec();
    ok.push(("ends_on", "2026-12-31"));
    let r = app.post_form(&chair, "/team/projects", "/team/projects", &ok).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = location(&r);
    assert!(shown.starts_with("/team/projects/"), "{shown}");
    let html = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"project-overspent\""), "the warning shows on the project: {html}");
    let list = app.get_with(&chair, "/team/projects").await.text().await.unwrap();
    assert!(list.contains("21\u{a0}500,50\u{a0}zł") && list.contains("powyżej przyznanej kwoty"), "{list}");
}

#[tokio::test]
async fn the_api_keeps_recommendations_and_projects_with_the_same_rules() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let member = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let post = reqwest::Method::POST;
    let (s, v) = api(
        &app,
        &chair,
        post.clone(),
        "/api/v1/recommendations",
        Some(json!({"year": "2026", "recommendation": "x", "status": "draft"})),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("addressee"), "{v}");
    let (s, v) = api(
        &app,
        &chair,
        post.clone(),
        "/api/v1/recommendations",
        Some(json!({"year": "2026", "addressee": "Burmistrz", "recommendation": "Więcej szkoleń.", "status": "draft"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_owned();
    let (s, v) = api(&app, &chair, reqwest::Method::GET, "/api/v1/recommendations?year=2026", None).await;
    assert_eq!((s, v[0]["addressee"].as_str()), (StatusCode::OK, Some("Burmistrz")));
    let change = json!({"year": "2026", "addressee": "Burmistrz", "recommendation": "Więcej szkoleń.", "status": "submitted",
        "submitted_on": "2026-11-02", "version": 1});
    let path = format!("/api/v1/recommendations/{id}");
    assert_eq!(api(&app, &chair, reqwest::Method::PUT, &path, Some(change.clone())).await.0, StatusCode::NO_CONTENT);
    assert_eq!(api(&app, &chair, reqwest::Method::PUT, &path, Some(change)).await.0, StatusCode::CONFLICT);
    assert_eq!(api(&app, &member, reqwest::Method::GET, &path, None).await.0, StatusCode::FORBIDDEN);
    // A malformed body is a 4xx, never a 500.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/projects"))
        .bearer_auth(&chair)
        .header("content-type", "application/json")
        .body("{\"title\": 5")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());

    let (s, v) = api(
        &app,
        &chair,
        post,
        "/api/v1/projects",
        Some(json!({"title": "Razem", "funder": "eu", "starts_on": "2026-01-01", "amount_granted": "100", "amount_spent": "150"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = api(&app, &chair, reqwest::Method::GET, "/api/v1/projects", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!((v[0]["amount_spent"].as_i64(), v[0]["overspent"].as_bool()), (Some(15_000), Some(true)));
}
