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
