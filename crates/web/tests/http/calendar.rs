//! The calendar (issue 16 item 10): a month and a week of one's group meetings and the team's meetings, need-to-know
//! kept; the personal .ics feed at a secret address, without personal data, revocable, re-issuable, audited.

use domain::identity::Role;
use reqwest::StatusCode;

use serde_json::json;

use crate::helpers::{TestApp, between};
use crate::procedures::{form_a, group_members, open_case, token};

/// A case staffed by the test group, as `case_records::staffed_case` makes it, keeping the social worker's session.
async fn staffed_case(app: &TestApp) -> (String, reqwest::Client) {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(app, &initiator, form_a()).await;
    let chair = token(app, "przewodniczaca", &[Role::Chair]).await;
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": group_members(app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (id, member)
}

#[tokio::test]
async fn a_member_sees_the_group_meetings_of_the_cases_and_the_staff_the_team_meetings_by_month_and_week() {
    let app = TestApp::spawn().await;
    let (id, member) = staffed_case(&app).await;
    let deputy = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let new_meeting = format!("/procedures/{id}/records/new/meeting");
    let r = app
        .post_form(
            &deputy,
            &new_meeting,
            &new_meeting,
            &[
                ("meeting.starts_at", "2026-11-26T10:00"),
                ("meeting.with_whom", "affected_person"),
                ("meeting.mode", "in_person"),
                ("meeting.place", "MOPS, pokój 12"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &deputy,
            "/team/meetings",
            "/team/meetings",
            &[("scheduled_at", "2026-12-03T12:00"), ("mode", "in_person"), ("place", "Urząd Gminy, sala 102")],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());

    // The group member: the group's meeting in November with its case, no team meeting (not on the team's staff).
    let month = app.get_with(&member, "/calendar?view=month&date=2026-11-01").await;
    assert_eq!(month.status(), StatusCode::OK);
    let html = month.text().await.unwrap();
    assert!(html.contains("listopad 2026") && html.contains("Spotkanie grupy diagnostyczno-pomocowej"), "{html}");
    let cell = between(&html, "data-date=\"2026-11-26\"", "</td>");
    assert!(cell.contains("10:00") && cell.contains(&format!("href=\"/procedures/{id}\"")), "{cell}");
    assert!(between(&cell, "sprawa ", "<").starts_with("NK"), "the case by its number: {cell}");
    assert!(!html.contains("Posiedzenie zespołu interdyscyplinarnego"));
    assert!(html.contains("href=\"/calendar\""), "in the menu");
    let december = app.get_with(&member, "/calendar?view=month&date=2026-12-01").await.text().await.unwrap();
    assert!(december.contains("Brak spotkań w tym okresie."), "the team's meeting is not the member's");

    // The deputy chair: the week with both kinds; the month of December with the team meeting.
    let week = app.get_with(&deputy, "/calendar?view=week&date=2026-11-26").await.text().await.unwrap();
    assert!(week.contains("Tydzień od 23.11.2026 do 29.11.2026"), "{week}");
    assert!(week.contains("czwartek, 26.11.2026") && week.contains("Spotkanie grupy diagnostyczno-pomocowej"));
    let december = app.get_with(&deputy, "/calendar?view=month&date=2026-12-15").await.text().await.unwrap();
    assert!(december.contains("Posiedzenie zespołu interdyscyplinarnego") && december.contains("12:00"));
    assert!(
        december.contains("view=month") && december.contains("date=2026-11-01\" rel=\"prev\""),
        "the previous month"
    );

    // Another group member sees nothing of this case; a date that cannot be read shows the current month.
    let stranger = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let html = app.get_with(&stranger, "/calendar?view=month&date=2026-11-01").await.text().await.unwrap();
    assert!(html.contains("Brak spotkań w tym okresie.") && !html.contains(&id));
    let r = app.get_with(&stranger, "/calendar?view=week&date=31.02.2026").await;
    assert_eq!(r.status(), StatusCode::OK);
    // A reporter has no calendar.
    let reporter = app.login_as("sprawozdawca", &[Role::ProgrammeReporter]).await;
    assert_eq!(app.get_with(&reporter, "/calendar").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_feed_lives_at_a_secret_address_without_personal_data_and_dies_when_revoked_or_reissued() {
    let app = TestApp::spawn().await;
    let (id, member) = staffed_case(&app).await;
    let deputy = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let new_meeting = format!("/procedures/{id}/records/new/meeting");
    let r = app
        .post_form(
            &deputy,
            &new_meeting,
            &new_meeting,
            &[
                ("meeting.starts_at", "2026-11-26T10:00"),
                ("meeting.with_whom", "affected_person"),
                ("meeting.mode", "in_person"),
                ("meeting.place", "MOPS, pokój 12"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&member, "/calendar").await.text().await.unwrap();
    assert!(html.contains("Nie masz jeszcze adresu kalendarza."));
    let r = app.post_form(&member, "/calendar", "/calendar/feed", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let url = between(&html, "id=\"feed-url\" type=\"text\" readonly value=\"", "\"");
    assert!(url.starts_with(&app.url("/feeds/calendar/ostoja_cal_")) && url.ends_with(".ics"), "{url}");

    let anonymous = reqwest::Client::new();
    let r = anonymous.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    assert!(r.headers().get("set-cookie").is_none());
    let ics = r.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("SUMMARY:Spotkanie grupy diagnostyczno-pomocowej\r\n"), "{unfolded}");
    assert!(unfolded.contains("DTSTART:20261126T090000Z\r\n"), "10:00 in Warsaw is 09:00 UTC in November");
    // No personal data: no names, no place, no case number, no case id.
    let month = app.get_with(&member, "/calendar?view=month&date=2026-11-01").await.text().await.unwrap();
    let number = between(&month, "sprawa ", "<");
    assert!(number.starts_with("NK"), "{number}");
    for secret in ["Anna", "Kowalsk", "MOPS", number.as_str(), id.as_str()] {
        assert!(!unfolded.contains(secret), "{secret} in the feed: {unfolded}");
    }
    for l in ics.split("\r\n") {
        assert!(l.len() <= 75, "{l:?}");
    }
    let html = app.get_with(&member, "/calendar").await.text().await.unwrap();
    assert!(html.contains("Ostatnio pobrany:"), "its use is shown");

    // Wrong addresses: 404, never 500.
    for bad in ["/feeds/calendar/ostoja_cal_00.ics", "/feeds/calendar/x", "/feeds/calendar/%FF%FE.ics"] {
        let r = anonymous.get(app.url(bad)).send().await.unwrap();
        assert!(r.status().is_client_error(), "{bad}: {}", r.status());
    }

    // Re-issued: the old address stops at once, the new one works.
    let r = app.post_form(&member, "/calendar", "/calendar/feed", &[]).await;
    let html = r.text().await.unwrap();
    let second = between(&html, "id=\"feed-url\" type=\"text\" readonly value=\"", "\"");
    assert_ne!(second, url);
    assert_eq!(anonymous.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(anonymous.get(&second).send().await.unwrap().status(), StatusCode::OK);
    // Revoked: gone.
    let r = app.post_form(&member, "/calendar", "/calendar/feed/revoke", &[]).await;
    assert!(r.text().await.unwrap().contains("Adres kalendarza wyłączono"));
    assert_eq!(anonymous.get(&second).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    // Without the CSRF token nothing is issued.
    let r = member.post(app.url("/calendar/feed")).form(&[("csrf", "x")]).send().await.unwrap();
    assert!(r.status().is_client_error());

    // Every use is in the audit trail under the account, with no personal data; of the refusals from one address
    // within the hour, the first (the throttle's own test counts them).
    let filter = store::AuditFilter { limit: 1000, ..Default::default() };
    let entries: Vec<(String, String)> = app
        .store
        .audit_entries(&store::Actor::operator(), &filter)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.object_kind == "calendar_feed")
        .map(|e| (e.action, e.detail))
        .collect();
    assert!(entries.iter().filter(|(action, _)| action == "feed_read").count() == 3, "{entries:?}");
    assert!(entries.iter().any(|(action, _)| action == "create") && entries.iter().any(|(a, _)| a == "delete"));
    for (_, detail) in &entries {
        assert!(!detail.contains("Anna") && !detail.contains(&number), "{detail}");
    }
}

#[tokio::test]
async fn a_stranger_guessing_feed_addresses_is_answered_429_after_twenty_and_leaves_two_audit_entries() {
    let app = TestApp::spawn().await;
    let stranger = reqwest::Client::new();
    let wrong = |n: usize| app.url(&format!("/feeds/calendar/ostoja_cal_{n:043}.ics"));
    for n in 0..20 {
        assert_eq!(stranger.get(wrong(n)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "guess {n}");
    }
    let r = stranger.get(wrong(20)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // The guesses left two entries (the first refusal, the pause), not one per request.
    let filter = store::AuditFilter { limit: 1000, ..Default::default() };
    let entries = app.store.audit_entries(&store::Actor::operator(), &filter).await.unwrap();
    let refusals = entries.iter().filter(|e| e.object_kind == "calendar_feed").count();
    assert_eq!(refusals, 2, "{:?}", entries.iter().map(|e| &e.detail).collect::<Vec<_>>());
}
