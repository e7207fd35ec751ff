//! The notifications page, the header's unread count, and the API.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Caller;

use crate::helpers::{TestApp, location};
use crate::procedures::{form_a, group_members, open_case, token};

#[tokio::test]
async fn an_appointed_member_sees_the_count_in_the_header_the_case_on_the_page_and_can_mark_all_read() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let police = app.store.issue_api_token(&store::Actor::operator(), "policjant.gdp", "test").await.unwrap();

    let home = app.get_with(&social, "/").await.text().await.unwrap();
    assert!(home.contains("data-testid=\"nav-notifications\""));
    assert!(!home.contains("data-testid=\"unread-count\""), "nothing unread yet");

    let id = open_case(&app, &initiator, form_a()).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());

    let home = app.get_with(&social, "/").await.text().await.unwrap();
    assert!(home.contains("data-testid=\"unread-count\">1<"), "{home}");
    let page = app.get_with(&social, "/notifications").await.text().await.unwrap();
    assert!(page.contains("Powołano cię do grupy diagnostyczno-pomocowej"), "{page}");
    assert!(page.contains(&format!("href=\"/procedures/{id}\"")), "a link to the case");
    assert!(page.contains("NK/2026/0001"));
    assert!(!page.contains("Kowalsk"), "no personal data on the page");

    // The API lists the same, for the police officer.
    let c = reqwest::Client::new();
    let list: Value =
        c.get(app.url("/api/v1/notifications")).bearer_auth(&police).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["kind"], "group_appointed");
    assert_eq!(list[0]["procedure_id"], id.as_str());
    assert_eq!(list[0]["procedure_accessible"], true);
    assert_eq!(list[0]["read"], false);
    let marked: Value =
        c.post(app.url("/api/v1/notifications/read")).bearer_auth(&police).send().await.unwrap().json().await.unwrap();
    assert_eq!(marked["marked"], 1);
    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/notifications"]["get"].is_object());
    assert!(openapi["paths"]["/api/v1/notifications/read"]["post"].is_object());

    // Without the CSRF token: refused, nothing changes.
    let r = social.post(app.url("/notifications/read")).form(&[("csrf", "nope")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store
            .unread_notifications(app.store.account_by_login("pracownik.socjalny").await.unwrap().0)
            .await
            .unwrap(),
        1
    );
    let r = app.post_form(&social, "/notifications", "/notifications/read", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/notifications");
    let home = app.get_with(&social, "/").await.text().await.unwrap();
    assert!(!home.contains("data-testid=\"unread-count\""), "all read");

    // Once monitoring has ended the member loses access: the notification stays, without a link.
    let (chair_id, _) = app.store.account_by_login("przewodniczaca").await.unwrap();
    let chair = app.store.principal(chair_id).await.unwrap();
    let handle = app.store.case_access(&Caller::local(&chair), id.parse().unwrap()).await.unwrap();
    use domain::procedure::lifecycle::{ClosingReason, Command};
    app.store.apply_procedure_command(&handle, &Command::RecordGroupMeeting, 2).await.unwrap();
    // Form C goes in with its content (the bare step is refused).
    let answers: domain::forms::Answers = [
        ("header.date", "2026-11-23"),
        ("affected_person.first_name", "Anna"),
        ("affected_person.last_name", "Kowalska"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let form_c = domain::forms::validate(
        domain::forms::definition(domain::forms::FormKind::C, domain::forms::FormVersion::V2023).unwrap(),
        &answers,
    )
    .unwrap();
    app.store.add_form(&handle, &form_c, 3).await.unwrap();
    let closing = domain::procedure::closing::ClosingDecision {
        reason: ClosingReason::ViolenceStopped,
        justification: None,
        occurred_at: None,
        meeting: None,
    };
    app.store.close_procedure(&handle, &closing, true, 4).await.unwrap();
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 280));
    app.store.apply_procedure_command(&handle, &Command::EndMonitoring, 5).await.unwrap();
    // A token lives 90 days: the one from the case's start has expired by the end of its monitoring.
    let social_token =
        app.store.issue_api_token(&store::Actor::operator(), "pracownik.socjalny", "po monitoringu").await.unwrap();
    let list: Value =
        c.get(app.url("/api/v1/notifications")).bearer_auth(&social_token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["procedure_number"], "NK/2026/0001");
    assert_eq!(list[0]["procedure_accessible"], false);
}
