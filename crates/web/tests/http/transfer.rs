//! Handing a case to another municipality through the pages: the old team's export with its one-time passphrase,
//! the new team's import (a wrong passphrase answered beside the field), the documentation shown on the new case.

use domain::identity::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{TestApp, between, csrf_of, location};
use crate::procedures::{form_a, open_case, token};

async fn import(app: &TestApp, client: &reqwest::Client, file: Vec<u8>, passphrase: &str) -> reqwest::Response {
    let page = app.get_with(client, "/procedures/import").await.text().await.unwrap();
    let form = Form::new()
        .text("csrf", csrf_of(&page))
        .text("passphrase", passphrase.to_owned())
        .part("package", Part::bytes(file).file_name("NK-2026-0001.ostoja"));
    client.post(app.url("/procedures/import")).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn the_old_team_exports_a_case_and_the_new_team_receives_it_with_the_passphrase() {
    let app = TestApp::spawn().await;
    let bearer = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &bearer, form_a()).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let case = format!("/procedures/{id}");
    let page = app.get_with(&chair, &case).await.text().await.unwrap();
    assert!(page.contains(&format!("action=\"/procedures/{id}/transfer\"")), "the team is offered the transfer");
    // The group member is not.
    let r = app
        .post_form(
            &chair,
            &case,
            &format!("/procedures/{id}/transfer"),
            &[("to", "Gmina Jasło"), ("version", "1"), ("hand_over", "true")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let ready = r.text().await.unwrap();
    let passphrase = between(&ready, "data-testid=\"transfer-passphrase\"><strong>", "</strong>");
    assert_eq!(passphrase.len(), 29, "{passphrase}");
    let transfer = between(&ready, &format!("href=\"/procedures/{id}/transfer/"), "/file");
    let download = format!("/procedures/{id}/transfer/{transfer}/file");
    let file = app.get_with(&chair, &download).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert!(file.headers()["content-disposition"].to_str().unwrap().contains("NK-2026-0001.ostoja"));
    let file = file.bytes().await.unwrap().to_vec();
    assert!(!String::from_utf8_lossy(&file).contains("Kowalska"));
    assert!(
        app.get_with(&chair, &case).await.text().await.unwrap().contains("przekazana innej gminie"),
        "the case left this team"
    );
    let own = import(&app, &chair, file.clone(), &passphrase).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY, "the exporting team cannot import its own file");
    assert!(own.text().await.unwrap().contains("Ten plik wyeksportował Wasz zespół."));
    let initiator = app.login_as("inicjator2", &[Role::Initiator]).await;
    // Without the team's permission the address is refused whatever the case (nothing about it is revealed).
    assert_eq!(app.get_with(&initiator, &download).await.status(), StatusCode::FORBIDDEN);

    // The new municipality: a wrong passphrase is answered beside its field and the typed text kept.
    let other =
        app.store.create_tenant(&store::Actor::operator(), "1805021", "Gmina Miasto Jasło", false).await.unwrap();
    let new_chair = app.login_in(other.id, "przewodniczacy.jaslo", &[Role::Chair]).await;
    let r = import(&app, &new_chair, file.clone(), "zle-haslo-zle-haslo-zle-hasl").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"passphrase-error\"") && html.contains("Hasło nie pasuje do pliku"), "{html}");
    assert!(html.contains("value=\"zle-haslo-zle-haslo-zle-hasl\""));
    let r = import(&app, &new_chair, file.clone(), &passphrase.to_lowercase()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let new_case = location(&r);
    let html = app.get_with(&new_chair, &new_case).await.text().await.unwrap();
    assert!(html.contains("Dokumentacja przekazana przez: Gmina Testowa (1016011), sprawa NK/2026/0001"), "{html}");
    assert!(html.contains("Kowalska"));
    // Once only.
    assert_eq!(import(&app, &new_chair, file, &passphrase).await.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_api_hands_a_case_over_and_receives_it_once_with_the_same_rules() {
    let app = TestApp::spawn().await;
    let bearer = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &bearer, form_a()).await;
    let http = reqwest::Client::new();
    let refused = http
        .post(app.url(&format!("/api/v1/procedures/{id}/transfer")))
        .bearer_auth(&bearer)
        .json(&serde_json::json!({"to": "Gmina Jasło"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "an initiator does not hand cases over");
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let r = http
        .post(app.url(&format!("/api/v1/procedures/{id}/transfer")))
        .bearer_auth(&chair)
        .json(&serde_json::json!({"to": "Gmina Jasło", "hand_over_version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let exported: serde_json::Value = r.json().await.unwrap();
    let passphrase = exported["passphrase"].as_str().unwrap().to_owned();
    let import_as = |bearer: String, passphrase: String| {
        let body = serde_json::json!({"package": exported["package"], "passphrase": passphrase});
        let http = http.clone();
        let url = app.url("/api/v1/procedures/import");
        async move { http.post(url).bearer_auth(bearer).json(&body).send().await.unwrap() }
    };
    // The exporting team cannot bring its own package back as a second case.
    let own = import_as(chair.clone(), passphrase.clone()).await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.text().await.unwrap().contains("err-transfer-own-municipality"));
    let other =
        app.store.create_tenant(&store::Actor::operator(), "1805021", "Gmina Miasto Jasło", false).await.unwrap();
    let _ = app.login_in(other.id, "przewodniczacy.jaslo", &[Role::Chair]).await;
    let new_chair = app.store.issue_api_token(&store::Actor::operator(), "przewodniczacy.jaslo", "test").await.unwrap();
    let import = |passphrase: String| import_as(new_chair.clone(), passphrase);
    let wrong = import("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF".into()).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let first = import(passphrase.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: serde_json::Value = first.json().await.unwrap();
    assert_eq!(first["outcome"], "imported");
    let again = import(passphrase).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert_eq!(again.json::<serde_json::Value>().await.unwrap()["id"], first["id"]);
}

#[tokio::test]
async fn each_download_of_a_transfer_package_is_in_the_audit_trail_the_repeated_ones_too() {
    let app = TestApp::spawn().await;
    let bearer = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &bearer, form_a()).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let case = format!("/procedures/{id}");
    let r = app
        .post_form(
            &chair,
            &case,
            &format!("/procedures/{id}/transfer"),
            &[("to", "Gmina Jasło"), ("version", "1"), ("hand_over", "true")],
        )
        .await;
    let ready = r.text().await.unwrap();
    let transfer = between(&ready, &format!("href=\"/procedures/{id}/transfer/"), "/file");
    let download = format!("/procedures/{id}/transfer/{transfer}/file");
    let downloads = |entries: &[store::AuditEntry]| {
        entries
            .iter()
            .filter(|e| {
                e.object_kind == "procedure"
                    && e.object_id.as_deref() == Some(id.as_str())
                    && e.detail.contains(&format!("transfer package {transfer} downloaded"))
            })
            .map(|e| e.actor_login.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let filter =
        store::AuditFilter { action: Some("read_personal_data".into()), limit: 500, ..store::AuditFilter::default() };

    // The first download and a later one (the file stays with the case).
    for _ in 0..2 {
        let file = app.get_with(&chair, &download).await;
        assert_eq!(file.status(), StatusCode::OK);
        assert!(!file.bytes().await.unwrap().is_empty());
    }

    let entries = app.store.audit_entries(&store::Actor::operator(), &filter).await.unwrap();
    assert_eq!(downloads(&entries), ["przewodniczaca", "przewodniczaca"], "each download is recorded, by whom");
    assert!(app.store.verify_audit().await.unwrap().first_break.is_none());
}

#[tokio::test]
async fn the_hand_over_takes_the_day_it_happened_and_a_misdated_one_comes_back_beside_its_field() {
    let app = TestApp::spawn().await;
    let bearer = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &bearer, form_a()).await;
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let case = format!("/procedures/{id}");
    let action = format!("/procedures/{id}/transfer");
    let fields = [("to", "Gmina Jasło"), ("version", "1"), ("hand_over", "true"), ("occurred_at", "2026-12-31T10:00")];
    let r = app.post_form(&chair, &case, &action, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"transfer-occurred-error\">Data nie może być późniejsza niż dzisiejsza."), "{html}");
    assert!(html.contains("value=\"Gmina Jasło\"") && html.contains("value=\"2026-12-31T10:00\""), "typed kept");
    let fields = [("to", "Gmina Jasło"), ("version", "1"), ("hand_over", "true"), ("occurred_at", "2026-11-20T10:00")];
    let r = app.post_form(&chair, &case, &action, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Data jest wcześniejsza niż zdarzenie, które musi ją poprzedzać"));

    // Through the API, on Wednesday 25 November at 12:00 Warsaw.
    let api = app.store.issue_api_token(&store::Actor::operator(), "przewodniczaca", "test").await.unwrap();
    let http = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/procedures/{id}/transfer"));
    let body = serde_json::json!({"to": "Gmina Jasło", "hand_over_version": 1, "occurred_at": "31.02.2026 10:00"});
    let r = http.post(&url).bearer_auth(&api).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("err-date-not-exist"));
    let body = serde_json::json!({"to": "Gmina Jasło", "hand_over_version": 1, "occurred_at": "2026-11-25T12:00"});
    let r = http.post(&url).bearer_auth(&api).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let procedure: serde_json::Value = http
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(procedure["phase"], "transferred_out");
    let out = procedure["events"].as_array().unwrap().iter().find(|e| e["kind"] == "transferred_out").unwrap();
    assert_eq!(out["at"], "2026-11-25T11:00:00Z");
    assert_eq!(out["entered_later"], true);
}
