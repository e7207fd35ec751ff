//! Need-to-know over HTTP (issue 14): the confidentiality declaration of every account before any case data, recorded
//! by the team's staff; recognition of people in a running case that reveals nothing to those without access.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::procedures::{form_a, open_case, token};

#[tokio::test]
async fn a_group_member_from_outside_the_team_sees_no_case_until_the_staff_record_their_declaration() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &initiator, form_a()).await;
    let chair_token = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let police = app.login_unsigned("policjant.gdp", &[Role::GroupMember]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair_token)
        .json(&json!({"members": crate::procedures::group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let case = format!("/procedures/{id}");
    assert_eq!(app.get_with(&police, &case).await.status(), StatusCode::NOT_FOUND, "no declaration: no case");

    let chair = app.login_as("sekretarz", &[Role::Secretary]).await;
    let page = app.get_with(&chair, "/team/declarations").await.text().await.unwrap();
    assert!(page.contains("policjant.gdp"), "{page}");
    assert!(page.contains("brak — bez dostępu do danych spraw"));
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let police_id = police_id.to_string();

    // Bad input: the message beside the field, in Polish, and what was typed kept.
    let r = app
        .post_form(
            &chair,
            "/team/declarations",
            "/team/declarations",
            &[("account_id", &police_id), ("kind", "authorisation"), ("signed_on", "2026-12-01")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"signed_on-error\">Data nie może być późniejsza niż dzisiejsza."), "{body}");
    assert!(body.contains("value=\"2026-12-01\""));
    assert!(body.contains(&format!("value=\"{police_id}\" selected")));
    assert!(body.contains("value=\"authorisation\" selected"));
    let r = app
        .post_form(&chair, "/team/declarations", "/team/declarations", &[("account_id", &police_id), ("signed_on", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"kind-error\">Wybierz rodzaj dokumentu"), "{body}");
    assert!(body.contains("id=\"signed_on-error\">To pole jest wymagane."), "{body}");

    let r = app
        .post_form(
            &chair,
            "/team/declarations",
            "/team/declarations",
            &[("account_id", &police_id), ("kind", "declaration"), ("signed_on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("Zapisano oświadczenie."));
    assert!(body.contains("Oświadczenie o zachowaniu poufności, 20.11.2026"), "{body}");
    assert_eq!(app.get_with(&police, &case).await.status(), StatusCode::OK, "signed: the member works the case");

    // A group member does not reach the page; the API answers the same and refuses a malformed body with 4xx.
    let social = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&social, "/team/declarations").await.status(), StatusCode::FORBIDDEN);
    let c = reqwest::Client::new();
    let api: Value = c
        .get(app.url("/api/v1/team/declarations"))
        .bearer_auth(&chair_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let row = api.as_array().unwrap().iter().find(|a| a["login"] == "policjant.gdp").unwrap();
    assert_eq!(row["kind"], "declaration");
    assert_eq!(row["signed_on"], "2026-11-20");
    let r = c
        .post(app.url("/api/v1/team/declarations"))
        .bearer_auth(&chair_token)
        .json(&json!({"account_id": police_id, "kind": "king", "signed_on": "2026-11-20"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(app.url("/api/v1/team/declarations"))
        .bearer_auth(&chair_token)
        .header("content-type", "application/json")
        .body("{\"account_id\": 7")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}

/// Submits form A over the API as `bearer`; the status and the body as text.
async fn submit(app: &TestApp, bearer: &str, answers: Value) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(bearer)
        .json(&json!({"answers": answers}))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

fn other_family() -> Value {
    let mut other = form_a();
    other["affected_persons[0].pesel"] = json!(crate::procedures::pesel("7001011230"));
    other["suspected_persons[0].pesel"] = json!(crate::procedures::pesel("6801011230"));
    other
}

#[tokio::test]
async fn an_initiator_submitting_form_a_about_a_person_in_a_running_case_learns_nothing() {
    let app = TestApp::spawn().await;
    let first = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &first, form_a()).await;

    // Another service, knowing nothing of the case: the answer for people in a running case is exactly the answer
    // for people in none, and names no case.
    let prober = token(&app, "ciekawski", &[Role::Initiator]).await;
    let (matched_status, matched_body) = submit(&app, &prober, form_a()).await;
    let (fresh_status, fresh_body) = submit(&app, &prober, other_family()).await;
    assert_eq!(matched_status, StatusCode::ACCEPTED);
    assert_eq!((matched_status, &matched_body), (fresh_status, &fresh_body));
    assert!(!matched_body.contains("NK/") && !matched_body.contains(&id), "{matched_body}");
    // The same on the page: both land on "went to the team", with no case number.
    let page = app.login_as("ciekawska", &[Role::GroupMember]).await;
    let fields = crate::procedures::page_fields();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&page, "/procedures/new", "/procedures/new", &refs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&r), "/procedures/forwarded");
    let body = app.get_with(&page, "/procedures/forwarded").await.text().await.unwrap();
    assert!(body.contains("Formularz przekazano zespołowi.") && !body.contains("NK/"), "{body}");
    // The prober cannot reach the case either way.
    let r = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&prober)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_staff_see_the_match_and_the_pending_form_and_every_look_up_is_audited_without_the_pesel() {
    let app = TestApp::spawn().await;
    let first = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &first, form_a()).await;
    let prober = token(&app, "ciekawski", &[Role::Initiator]).await;
    let (status, _) = submit(&app, &prober, form_a()).await;
    assert_eq!(status, StatusCode::ACCEPTED);

    // The staff are told, as before.
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let (status, body) = submit(&app, &chair, form_a()).await;
    assert_eq!(status, StatusCode::OK);
    let known: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(known["outcome"], "already_known");
    assert_eq!(known["procedures"][0]["id"], id.as_str());
    // And see the prober's form waiting, with the case it matched.
    let c = reqwest::Client::new();
    let pending: Value =
        c.get(app.url("/api/v1/procedures/intakes")).bearer_auth(&chair).send().await.unwrap().json().await.unwrap();
    assert_eq!(pending[0]["filed_by"], "ciekawski");
    assert_eq!(pending[0]["matched"][0]["number"], "NK/2026/0001");
    let r = c.get(app.url("/api/v1/procedures/intakes")).bearer_auth(&prober).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "not the filer's to see");
    // A malformed resolution is a 4xx; opening a new procedure with it works.
    let intake = pending[0]["id"].as_str().unwrap();
    let url = app.url(&format!("/api/v1/procedures/intakes/{intake}"));
    let r = c.post(&url).bearer_auth(&chair).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.post(&url).bearer_auth(&chair).json(&json!({"open_new": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.post(&url).bearer_auth(&chair).json(&json!({"open_new": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "dealt with once");

    // Every look-up is in the audit trail: who, which kinds of key, which cases; never the PESEL.
    let entries = app
        .store
        .audit_entries(
            &store::Actor::operator(),
            &store::AuditFilter { action: Some("read_personal_data".into()), limit: 100, ..Default::default() },
        )
        .await
        .unwrap();
    let lookups: Vec<_> = entries.iter().filter(|e| e.object_kind == "person_match").collect();
    assert_eq!(lookups.len(), 3, "the first filing, the prober's and the chair's");
    let probe = lookups.iter().find(|e| e.actor_login.as_deref() == Some("ciekawski")).expect("the prober's");
    assert!(
        probe.detail.contains("keys: name-dob,pesel") && probe.detail.contains(&format!("matched: {id}")),
        "{}",
        probe.detail
    );
    let pesel = crate::procedures::pesel("8503120840");
    assert!(lookups.iter().all(|e| !e.detail.contains(&pesel) && !e.detail.contains("Kowalsk")));
}
