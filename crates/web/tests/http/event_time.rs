//! Every step on its real date and the closing with its record, over HTTP: the date field's refusals beside the field
//! with the typed date kept, "wpisano później" on the timeline, the closing page with its warnings, the chair's undo;
//! and the same through the JSON API.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, csrf_of};
use crate::procedures::{form_a, group_members, open_case, token};

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

#[tokio::test]
async fn a_misdated_step_is_refused_beside_its_date_field_with_the_typed_date_kept() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &initiator, form_a()).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let page = format!("/procedures/{id}");
    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("name=\"occurred_at\" type=\"datetime-local\""), "the appointment takes its date");
    let csrf = csrf_of(&html);
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let (social_key, police_key) = (format!("member.{social_id}"), format!("member.{police_id}"));
    // Appointed at 10:00 on 23 November (Warsaw), typed in at 10:00 too.
    let r = post(
        &chair,
        &app,
        &format!("{page}/group"),
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("basis", "team_decision"),
            (&social_key, "social_worker"),
            (&police_key, "police_officer"),
            ("occurred_at", "2026-11-23T09:40"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let html = app.get_with(&social, &page).await.text().await.unwrap();
    let csrf = csrf_of(&html);
    let meeting = |at: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("version", "2".to_owned()),
            ("command", "record_group_meeting".to_owned()),
            ("occurred_at", at.to_owned()),
        ]
    };
    // Before the group that meets was appointed.
    let r = social.post(app.url(&format!("{page}/command"))).form(&meeting("2026-11-23T09:00")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(
            "Data jest wcześniejsza niż zdarzenie, które musi ją poprzedzać: „Powołanie grupy diagnostyczno-pomocowej” (23.11.2026 09:40)."
        ),
        "{html}"
    );
    assert!(html.contains("id=\"occurred-record_group_meeting-error\""), "beside the step's date field");
    assert!(html.contains("value=\"2026-11-23T09:00\" aria-invalid=\"true\""), "the typed date is kept");
    // 31 February does not exist.
    let r = social.post(app.url(&format!("{page}/command"))).form(&meeting("2026-02-31T10:00")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Taki dzień nie istnieje") && html.contains("value=\"2026-02-31T10:00\""));
    // Tomorrow has not happened yet.
    let r = social.post(app.url(&format!("{page}/command"))).form(&meeting("2026-11-24T10:00")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Data nie może być późniejsza niż dzisiejsza."));
    // A week later the meeting of 24 November is typed in: on the timeline at its own date, marked as entered later.
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
    // The sessions of a week ago have expired: a second chair account of the team types it in.
    let social = app.login_as("przewodniczaca2", &[Role::Chair]).await;
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    let csrf = csrf_of(&html);
    let r = post(
        &social,
        &app,
        &format!("{page}/command"),
        &[("csrf", &csrf), ("version", "2"), ("command", "record_group_meeting"), ("occurred_at", "2026-11-24T10:00")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains("<time>2026-11-24 10:00</time> Posiedzenie grupy (wpisano później: 2026-11-30 "), "{html}");
}

/// Opens a case through the API and brings it to its first meeting; returns its id and the version.
async fn case_in_progress(app: &TestApp, chair: &str, social: &str) -> (String, i64) {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(app, &initiator, form_a()).await;
    let c = reqwest::Client::new();
    let path = format!("/api/v1/procedures/{id}");
    let members = group_members(app).await;
    let r = c
        .post(app.url(&format!("{path}/group")))
        .bearer_auth(chair)
        .json(&json!({"members": members, "version": 1, "occurred_at": "2026-11-23T09:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c
        .post(app.url(&format!("{path}/commands")))
        .bearer_auth(social)
        .json(&json!({"command": {"command": "record_group_meeting"}, "version": 2, "occurred_at": "2026-11-23T09:30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    (id, 3)
}

/// An API token for an account that already exists (logged in through the pages).
async fn api_token(app: &TestApp, login: &str) -> String {
    app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap()
}

#[tokio::test]
async fn the_closing_page_asks_for_the_record_shows_the_warnings_and_the_chair_may_undo() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let (chair_token, social_token) =
        (api_token(&app, "przewodniczaca").await, api_token(&app, "pracownik.socjalny").await);
    let (id, _) = case_in_progress(&app, &chair_token, &social_token).await;
    let page = format!("/procedures/{id}");
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains(&format!("href=\"{page}/close\"")), "the case page links to the closing page");
    let html = app.get_with(&social, &format!("{page}/close")).await.text().await.unwrap();
    assert!(html.contains("Zanim zakończysz") && html.contains("Nie zaplanowano monitorowania"), "{html}");
    assert!(html.contains("rozstrzygnięcie o braku zasadności podejmowania działań"));
    let csrf = csrf_of(&html);
    // No justification for "no grounds", the warnings not confirmed: both said beside their fields, the rest kept.
    let r = post(
        &social,
        &app,
        &format!("{page}/close"),
        &[("csrf", &csrf), ("version", "3"), ("reason", "no_grounds"), ("occurred_at", "2026-11-23T09:50")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"justification-error\">Przy rozstrzygnięciu o braku zasadności"), "{html}");
    assert!(html.contains("value=\"no_grounds\" checked") && html.contains("value=\"2026-11-23T09:50\""), "{html}");
    // Before the meeting at which the group met: named.
    let r = post(
        &social,
        &app,
        &format!("{page}/close"),
        &[
            ("csrf", &csrf),
            ("version", "3"),
            ("reason", "no_grounds"),
            ("justification", "Zgłoszenie okazało się konfliktem sąsiedzkim."),
            ("occurred_at", "2026-11-23T09:10"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"occurred_at-error\">Data jest wcześniejsza niż zdarzenie")
            && html.contains("Posiedzenie grupy")
    );
    assert!(html.contains("Zgłoszenie okazało się konfliktem sąsiedzkim."), "the justification is kept");
    let r = post(
        &social,
        &app,
        &format!("{page}/close"),
        &[
            ("csrf", &csrf),
            ("version", "3"),
            ("reason", "no_grounds"),
            ("justification", "Zgłoszenie okazało się konfliktem sąsiedzkim."),
            ("occurred_at", "2026-11-23T09:50"),
            ("confirm", "yes"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains("Protokół zakończenia procedury") && html.contains("konfliktem sąsiedzkim"), "{html}");
    assert!(!html.contains("Cofnij zakończenie"), "a group member does not undo");
    let r =
        post(&social, &app, &format!("{page}/close/undo"), &[("csrf", &csrf), ("version", "4"), ("undo_reason", "x")])
            .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("Cofnij zakończenie"));
    let csrf = csrf_of(&html);
    let r =
        post(&chair, &app, &format!("{page}/close/undo"), &[("csrf", &csrf), ("version", "4"), ("undo_reason", "")])
            .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Podaj powód cofnięcia zakończenia."));
    let r = post(
        &chair,
        &app,
        &format!("{page}/close/undo"),
        &[("csrf", &csrf), ("version", "4"), ("undo_reason", "Grupa jeszcze nie zdecydowała.")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("Zakończenie cofnięte") && html.contains("Grupa jeszcze nie zdecydowała."), "{html}");
}

#[tokio::test]
async fn the_api_takes_each_steps_date_and_closes_only_with_the_record() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let (id, version) = case_in_progress(&app, &chair, &social).await;
    let c = reqwest::Client::new();
    let path = format!("/api/v1/procedures/{id}");

    // A week later, the notice of 23 November: on time by its own date, flagged as entered later.
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
    let r = c
        .post(app.url(&format!("{path}/commands")))
        .bearer_auth(&social)
        .json(&json!({"command": {"command": "record_suspect_notified"}, "version": version, "occurred_at": "2026-12-31T10:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["fields"][0]["field"].as_str(), body["fields"][0]["code"].as_str()),
        (Some("occurred_at"), Some("err-date-in-future"))
    );
    let r = c
        .post(app.url(&format!("{path}/commands")))
        .bearer_auth(&social)
        .json(&json!({"command": {"command": "record_suspect_notified"}, "version": version, "occurred_at": "2026-11-23T11:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let notice = view["events"].as_array().unwrap().iter().find(|e| e["kind"] == "suspect_notified").unwrap().clone();
    assert_eq!((notice["at"].as_str(), notice["entered_later"].as_bool()), (Some("2026-11-23T10:00:00Z"), Some(true)));
    let clock =
        view["deadlines"].as_array().unwrap().iter().find(|d| d["rule_id"] == "reg23_notify_absent_suspect").unwrap();
    assert_eq!(clock["state"], "met_on_time");
    let version = view["version"].as_i64().unwrap();
    // The case offers its closing through `/close`, never as a bare command, and no second notice.
    let steps: Vec<&str> = view["offers"]["steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(steps.contains(&"record_group_meeting") && !steps.contains(&"close"), "{steps:?}");
    assert!(!steps.contains(&"record_suspect_notified"), "{steps:?}");
    assert_eq!(view["offers"]["close"], true);

    // The bare close is refused, naming the route.
    let r = c
        .post(app.url(&format!("{path}/commands")))
        .bearer_auth(&social)
        .json(&json!({"command": {"command": "close", "reason": "violence_stopped"}, "version": version}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "err-close-needs-record");
    assert!(body["fields"][0]["message"].as_str().unwrap().contains("/api/v1/procedures/{id}/close"));

    let closing: Value =
        c.get(app.url(&format!("{path}/closing"))).bearer_auth(&social).send().await.unwrap().json().await.unwrap();
    assert_eq!(closing["warnings"], json!(["no_monitoring_planned"]));
    let close = |confirm: bool| {
        json!({"reason": "violence_stopped", "justification": "Plan zrealizowany.", "occurred_at": "2026-11-30T09:00",
               "confirm_warnings": confirm, "version": version})
    };
    let r = c.post(app.url(&format!("{path}/close"))).bearer_auth(&social).json(&close(false)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json::<Value>().await.unwrap()["fields"][0]["field"], "confirm");
    let r = c.post(app.url(&format!("{path}/close"))).bearer_auth(&social).json(&close(true)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    assert_eq!(view["phase"], "closed");
    let version = view["version"].as_i64().unwrap();
    let closing: Value =
        c.get(app.url(&format!("{path}/closing"))).bearer_auth(&chair).send().await.unwrap().json().await.unwrap();
    let record = &closing["closings"][0];
    assert_eq!(
        (record["reason"].as_str(), record["justification"].as_str()),
        (Some("violence_stopped"), Some("Plan zrealizowany."))
    );
    assert_eq!(
        (record["decided_at"].as_str(), record["undoable"].as_bool()),
        (Some("2026-11-30T08:00:00Z"), Some(true))
    );

    let undo = json!({"reason": "Pomyłka w sprawie.", "version": version});
    let r = c.post(app.url(&format!("{path}/close/undo"))).bearer_auth(&social).json(&undo).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c.post(app.url(&format!("{path}/close/undo"))).bearer_auth(&chair).json(&undo).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["phase"], "in_progress");
}
