//! Programme referrals over real HTTP: the page with its forms, errors beside the fields and typed input kept; the
//! API with the team's own steps, need-to-know, the version check and malformed bodies.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::procedures::form_a;

struct Case {
    id: String,
    api: String,
    chair: String,
    social: String,
    initiator: String,
    social_page: reqwest::Client,
}

async fn token(app: &TestApp, login: &str) -> String {
    app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap()
}

/// A case whose group has met: the chair, the social worker (also logged in on the pages) and the initiator.
async fn running_case(app: &TestApp) -> Case {
    let social_page = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let (social, chair, initiator) =
        (token(app, "pracownik.socjalny").await, token(app, "przewodniczaca").await, token(app, "dzielnicowy").await);
    let c = reqwest::Client::new();
    let id = crate::procedures::open_case(app, &initiator, form_a()).await;
    let api = format!("/api/v1/procedures/{id}");
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let members = json!([
        {"account_id": social_id.to_string(), "kind": "social_worker"},
        {"account_id": police_id.to_string(), "kind": "police_officer"}
    ]);
    let r =
        c.post(app.url(&format!("{api}/group"))).bearer_auth(&chair).json(&json!({"members": members, "version": 1}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::OK);
    let meeting = json!({"command": {"command": "record_group_meeting"}, "version": 2});
    let r = c.post(app.url(&format!("{api}/commands"))).bearer_auth(&social).json(&meeting);
    assert_eq!(r.send().await.unwrap().status(), StatusCode::OK);
    Case { id, api, chair, social, initiator, social_page }
}

async fn get(app: &TestApp, path: &str, bearer: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url(path)).bearer_auth(bearer).send().await.unwrap()
}

async fn post(app: &TestApp, path: &str, bearer: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new().post(app.url(path)).bearer_auth(bearer).json(&body).send().await.unwrap()
}

/// The group's request through the API; returns the referral's id.
async fn request(app: &TestApp, case: &Case) -> String {
    let view: Value = get(app, &format!("{}/referrals", case.api), &case.social).await.json().await.unwrap();
    assert_eq!(view["can_request"], true);
    assert_eq!(view["suspected_persons"][0]["name"], "Jan Kowalski");
    let person = view["suspected_persons"][0]["person"].clone();
    let body = json!({"programme": "correctional_educational", "person": person, "version": view["version"]});
    let r = post(app, &format!("{}/referrals", case.api), &case.social, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn version(app: &TestApp, case: &Case) -> i64 {
    let view: Value = get(app, &format!("{}/referrals", case.api), &case.chair).await.json().await.unwrap();
    view["version"].as_i64().unwrap()
}

#[tokio::test]
async fn the_api_takes_the_steps_in_order_the_team_alone_refers_and_strangers_see_nothing() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    let referral = request(&app, &case).await;
    let steps = format!("{}/referrals/{referral}/steps", case.api);

    let refer = json!({"step": "refer", "provider": "Powiatowe Centrum Pomocy Rodzinie"});
    let v = version(&app, &case).await;
    let r = post(&app, &steps, &case.social, json!({"step": refer, "version": v})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("err-referral-team-only") && body.contains("należy do zespołu"), "{body}");
    let r = post(&app, &steps, &case.chair, json!({"step": refer, "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a step against an older version");
    let v = version(&app, &case).await;
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-02-31"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "a date that does not exist is a malformed body");
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let r0 = &view["referrals"][0];
    assert_eq!(r0["delivered_on"], "2026-11-23");
    assert_eq!(r0["provider"], "Powiatowe Centrum Pomocy Rodzinie");
    assert_eq!(r0["deadlines"][0]["rule_id"], "act_programme_registration");
    assert_eq!(r0["deadlines"][0]["state"], "pending");
    // The clocks are among the procedure's deadlines too.
    let procedure: Value = get(&app, &case.api, &case.chair).await.json().await.unwrap();
    let rules: Vec<&str> =
        procedure["deadlines"].as_array().unwrap().iter().map(|d| d["rule_id"].as_str().unwrap()).collect();
    assert!(rules.contains(&"act_registration_certificate_missing"), "{rules:?}");

    // The general command endpoint does not take referral steps past the team's own rules.
    let v = version(&app, &case).await;
    let sneaky = json!({"command": {"command": "referral", "referral": referral, "step": {"step": "file_offence_notification", "on": "2026-11-23"}}, "version": v});
    assert_eq!(
        post(&app, &format!("{}/commands", case.api), &case.social, sneaky).await.status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(get(&app, &format!("{}/referrals", case.api), &case.initiator).await.status(), StatusCode::NOT_FOUND);
    let _ = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let outsider = token(&app, "inny.czlonek").await;
    assert_eq!(get(&app, &format!("{}/referrals", case.api), &outsider).await.status(), StatusCode::NOT_FOUND);
    let r = post(&app, &steps, &outsider, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let spec: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(spec["paths"]["/api/v1/procedures/{id}/referrals/{referral}/steps"]["post"].is_object());
    assert!(spec["paths"]["/api/v1/procedures/{id}/referrals"]["get"].is_object());
}

#[tokio::test]
async fn the_page_offers_the_steps_and_a_bad_date_or_a_refused_step_comes_back_beside_its_field() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    let page = format!("/procedures/{}/referrals", case.id);
    let procedure = app.get_with(&case.social_page, &format!("/procedures/{}", case.id)).await.text().await.unwrap();
    assert!(procedure.contains(&format!("href=\"{page}\"")), "the procedure page links the referrals");

    // The request on the page: without a person it comes back with the message beside the field.
    let v = version(&app, &case).await.to_string();
    let r = app
        .post_form(
            &case.social_page,
            &page,
            &page,
            &[("version", &v), ("person", ""), ("programme", "psychological_therapeutic")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"referral-person-error\">Wybierz osobę stosującą przemoc domową"), "{html}");
    assert!(html.contains("value=\"psychological_therapeutic\" selected"), "the programme chosen is kept");

    let referral = request(&app, &case).await;
    let v = version(&app, &case).await.to_string();
    let action = format!("{page}/{referral}");
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "refer"), ("provider", "PCPR")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Ten krok należy do zespołu interdyscyplinarnego."));
    let body = json!({"step": {"step": "refer", "provider": "PCPR Lubliniec"}, "version": v.parse::<i64>().unwrap()});
    assert_eq!(
        post(&app, &format!("{}/referrals/{referral}/steps", case.api), &case.chair, body).await.status(),
        StatusCode::OK
    );

    let html = app.get_with(&case.social_page, &page).await.text().await.unwrap();
    assert!(html.contains("Program korekcyjno-edukacyjny: Jan Kowalski") && html.contains("PCPR Lubliniec"), "{html}");
    assert!(html.contains("value=\"deliver\""), "the delivery is offered");
    assert!(!html.contains("value=\"file_offence_notification\""), "nor a team step to the group");

    let v = version(&app, &case).await.to_string();
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "31.02.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("id=\"{referral}-deliver-on-error\">Taki dzień nie istnieje")), "{html}");
    assert!(html.contains("value=\"31.02.2026\""), "what was typed is kept");

    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "1.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Data doręczenia nie może być wcześniejsza niż data wniosku"));

    let r = app
        .post_form(
            &case.social_page,
            &page,
            &action,
            &[("version", &v), ("step", "registration_certificate"), ("on", "23.11.2026")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a step out of order, from a stale page");
    assert!(r.text().await.unwrap().contains("Najpierw zapisz doręczenie skierowania."));

    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "23.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "23.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the same page posted twice");
    let html = app.get_with(&case.social_page, &page).await.text().await.unwrap();
    assert!(html.contains("Zgłoszenie się do udziału w programie") && html.contains("art. 9b ust. 11 pkt 3"), "{html}");

    let r = app.post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "exploded")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}
