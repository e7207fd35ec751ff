//! Issue 20, item 5 over real HTTP: the officer's retention page lists what is due in words, refuses a period out of
//! bounds and an erasure of a record within its period beside the field (typed values kept), erases what is due with
//! a moment and a comment, and is refused to the chair; a malformed choice is a 400.

use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use store::Caller;

use crate::helpers::TestApp;

const PAGE: &str = "/audit/retention";

async fn deactivate(app: &TestApp, chair: uuid::Uuid, login: &str) -> uuid::Uuid {
    let _ = app.login_as(login, &[Role::GroupMember]).await;
    let (id, _) = app.store.account_by_login(login).await.unwrap();
    let chair = app.store.principal(chair).await.unwrap();
    app.store.deactivate_account(&Caller::local(&chair), id).await.unwrap();
    id
}

#[tokio::test]
async fn the_officer_erases_a_departed_account_past_its_period_and_is_refused_one_within_it() {
    let app = TestApp::spawn().await;
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let (chair, _) = app.store.account_by_login("przewodniczaca").await.unwrap();
    let gone = deactivate(&app, chair, "odeszla.dawno").await;
    app.clock.advance(SignedDuration::from_hours(24 * 365 * 5));
    let recent = deactivate(&app, chair, "odeszla.niedawno").await;
    app.clock.advance(SignedDuration::from_hours(24 * 40));
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;

    let html = app.get_with(&dpo, PAGE).await.text().await.unwrap();
    assert_eq!(html.matches("data-testid=\"retention-due\"").count(), 1, "{html}");
    assert!(html.contains("odeszla.dawno") && !html.contains("odeszla.niedawno"));
    assert!(html.contains("Konta osób, które odeszły z zespołu"), "the kind in words");

    // A period below its bound: refused beside the field, the typed value kept.
    let r = app
        .post_form(
            &dpo,
            PAGE,
            "/audit/retention/settings",
            &[("procedure", "3"), ("form_draft", "30"), ("audit_entry", "10"), ("departed_account", "5")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("poza dozwolonym zakresem") && html.contains("value=\"3\""), "{html}");

    // Within its period: refused beside the list, the comment kept, nothing erased.
    let within = format!("departed_account:{recent}");
    let r = app
        .post_form(
            &dpo,
            PAGE,
            "/audit/retention/erase",
            &[("record", &within), ("at", "2031-12-01T10:00"), ("comment", "Decyzja IOD 7/2031")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("jest jeszcze w okresie przechowywania") && html.contains("Decyzja IOD 7/2031"), "{html}");
    assert!(app.store.account_by_login("odeszla.niedawno").await.is_ok());

    // The chair may not see or use the page; a malformed choice is a bad request.
    let chair_client = app.login_as("przewodniczacy.nowy", &[Role::Chair]).await;
    assert_eq!(app.get_with(&chair_client, PAGE).await.status(), StatusCode::FORBIDDEN);
    let r = app.post_form(&dpo, PAGE, "/audit/retention/erase", &[("record", "konto:123"), ("comment", "x")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    let due = format!("departed_account:{gone}");
    let r = app
        .post_form(
            &dpo,
            PAGE,
            "/audit/retention/erase",
            &[("record", &due), ("at", "2031-12-01T10:00"), ("comment", "Upłynęło 5 lat od odejścia")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    assert!(app.store.account_by_login("odeszla.dawno").await.is_err(), "the login is gone");
    let html = app.get_with(&dpo, PAGE).await.text().await.unwrap();
    assert_eq!(html.matches("data-testid=\"retention-erased\"").count(), 1);
    assert!(html.contains("Upłynęło 5 lat od odejścia") && !html.contains("data-testid=\"retention-due\""));
}
