//! Issue 16 items 1 and 3 over real HTTP: the home page counts first and folds repeated deadlines into one line; the
//! filtered list it links to pages and shows only the cases the account may see; the case page opens with a summary
//! (the persons by role with their age, the next deadline and whose turn it is, the group, the open plan items); a
//! record's page names its case and links back; a record's answers do not repeat their heading.

use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::case_records::staffed_case;
use crate::helpers::TestApp;
use crate::procedures::{form_a, group_members, open_case, pesel, token};

const SURNAMES: [&str; 13] = [
    "Nowak",
    "Wójcik",
    "Kamińska",
    "Lewandowska",
    "Zielińska",
    "Szymańska",
    "Woźniak",
    "Dąbrowska",
    "Kozłowska",
    "Jankowska",
    "Mazur",
    "Krawczyk",
    "Piotrowska",
];

/// A form A about other people than [`form_a`]'s (no recognition of the same persons, so each opens its own case).
fn other_family(i: usize) -> Value {
    let mut answers = form_a();
    answers["affected_persons[0].last_name"] = json!(SURNAMES[i]);
    answers["affected_persons[0].first_name"] = json!("Ewa");
    answers["affected_persons[0].pesel"] = json!(pesel(&format!("900101{:03}2", 100 + i)));
    answers["suspected_persons[0].last_name"] = json!(format!("{}-Nowicki", SURNAMES[i]));
    answers["suspected_persons[0].first_name"] = json!("Marek");
    answers["suspected_persons[0].pesel"] = json!(pesel(&format!("880202{:03}3", 100 + i)));
    answers
}

fn count(html: &str, testid: &str) -> usize {
    let marker = format!("data-testid=\"{testid}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {testid} in {html}")) + marker.len();
    html[start..].split('<').next().unwrap().trim().parse().unwrap()
}

fn rows(html: &str) -> usize {
    html.matches("data-testid=\"deadline-row\"").count()
}

#[tokio::test]
async fn the_home_page_counts_first_folds_repeats_and_links_a_paged_list_within_need_to_know() {
    let app = TestApp::spawn().await;
    // Fourteen cases; ten days on, nobody has appointed a group in any of them.
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let staffed = open_case(&app, &initiator, form_a()).await;
    let mut others = Vec::new();
    for i in 0..SURNAMES.len() {
        others.push(open_case(&app, &initiator, other_family(i)).await);
    }
    app.clock.advance(SignedDuration::from_hours(24 * 10));
    // Then the first case gets its group (late); the thirteen others stay overdue.
    let chair_token = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{staffed}/group")))
        .bearer_auth(&chair_token)
        .json(&json!({"members": group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let chair = app.login_as("przewodniczaca.dnia", &[Role::Chair]).await;
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    let overdue = count(&home, "count-overdue");
    // Two clocks run from the team's receipt of form A until the group is appointed: its appointment and form A to
    // its members; both overdue in each of the thirteen, both met (late) in the first case.
    assert_eq!(overdue, 2 * SURNAMES.len(), "{home}");
    // The thirteen same deadlines make one folded line with their count, not thirteen lines.
    let folded: Vec<&str> = home.split("data-testid=\"day-folded\"").skip(1).collect();
    assert!(folded.iter().any(|l| l.contains("<strong>13 ×</strong>")), "{home}");
    assert!(home.contains("/deadlines?kind=") && home.contains("&#38;when=overdue"), "{home}");
    for id in &others {
        assert!(!home.contains(&format!("/procedures/{id}\"")), "a folded case is not listed one by one: {home}");
    }
    // Forms A waiting for the chair: the thirteen cases without a group.
    assert_eq!(count(&home, "count-forms"), SURNAMES.len(), "{home}");

    // The list behind the count: every overdue deadline, 25 a page.
    let page1 = app.get_with(&chair, "/deadlines?when=overdue").await.text().await.unwrap();
    assert!(page1.contains(&format!("razem: {overdue}")), "the list holds what the count says: {page1}");
    assert!(overdue > 25, "two pages: {overdue}");
    assert_eq!(rows(&page1), 25);
    assert!(page1.contains("Strona 1 z 2") && page1.contains("rel=\"next\""), "{page1}");
    let page2 = app.get_with(&chair, "/deadlines?when=overdue&page=2").await.text().await.unwrap();
    assert_eq!(rows(&page2), overdue - 25, "{page2}");
    assert!(page2.contains("Strona 2 z 2") && page2.contains("rel=\"prev\""));
    // A folded line's own list: exactly its count.
    let start = home.find("<strong>13 ×</strong>").unwrap();
    let href = crate::helpers::between(&home[start..], "href=\"", "\"").replace("&#38;", "&");
    let kind = app.get_with(&chair, &href).await.text().await.unwrap();
    assert!(kind.contains("razem: 13"), "{href}: {kind}");

    // Malformed filters are refused, never a server error.
    for bad in ["/deadlines?when=yesterday", "/deadlines?kind=no_such_rule", "/deadlines?page=0", "/deadlines?page=x"] {
        assert_eq!(app.get_with(&chair, bad).await.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    // A member of the first case's group: that case's deadlines only, none of the thirteen.
    let mine = app.get_with(&member, "/deadlines").await.text().await.unwrap();
    for id in &others {
        assert!(!mine.contains(id.as_str()), "{mine}");
    }
    let member_home = app.get_with(&member, "/").await.text().await.unwrap();
    assert_eq!(count(&member_home, "count-overdue"), 0, "{member_home}");
    assert!(!member_home.contains("count-forms"), "forms A wait for the staff only");
    assert!(!member_home.contains("13 ×"));
    // A member of no group sees nothing at all.
    let outsider = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let none = app.get_with(&outsider, "/deadlines").await.text().await.unwrap();
    assert!(none.contains("razem: 0"), "{none}");
    let chair_list = app.get_with(&chair, "/deadlines").await.text().await.unwrap();
    assert!(chair_list.contains(others[0].as_str()), "the staff see every case");
}

#[tokio::test]
async fn the_case_page_opens_with_its_persons_by_role_and_age_and_its_next_deadline() {
    let app = TestApp::spawn().await;
    let (id, chair_token) = staffed_case(&app).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/records")))
        .bearer_auth(&chair_token)
        .json(&json!({"kind": "plan_item", "answers": {
            "item.action": "Konsultacja prawna",
            "item.responsible": {"institution": "ngo"},
            "item.agreed_on": "2026-11-23",
            "item.status": "planned"
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let chair = app.login_as("przewodniczaca.karty", &[Role::Chair]).await;
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    let summary = crate::helpers::between(&html, "data-testid=\"case-summary\"", "</section>");
    // PESEL 850312… and 830105…: 41 and 43 years old on 23 November 2026.
    assert!(summary.contains("Osoba doznająca przemocy domowej: <strong>Anna Kowalska</strong>, wiek 41"), "{summary}");
    assert!(
        summary.contains("Osoba stosująca przemoc domową (podejrzenie): <strong>Jan Kowalski</strong>, wiek 43"),
        "{summary}"
    );
    let next = crate::helpers::between(&summary, "data-testid=\"summary-next-deadline\">", "</dd>");
    assert!(next.contains("kolej na:"), "{next}");
    assert!(summary.contains("członków: 2"), "{summary}");
    assert!(summary.contains("działań w toku: 1"), "{summary}");
    // The summary comes before the sections, and the menu links to them.
    let menu = html.find("data-testid=\"case-menu\"").unwrap();
    assert!(html.find("data-testid=\"case-summary\"").unwrap() < menu);
    assert!(html[menu..].contains("href=\"#deadlines\"") && html.contains("id=\"deadlines\""));
    // A plan item's answer is labelled once, not "Działanie: Działanie".
    assert!(html.contains("<dt>Działanie</dt><dd>Konsultacja prawna</dd>"), "{html}");
    assert!(!html.contains("Działanie: Działanie"));
    // The record's page names its case and links back.
    let number = crate::helpers::between(&html, "<h1>Procedura ", "</h1>");
    let form = app.get_with(&chair, &format!("/procedures/{id}/records/new/home_visit")).await.text().await.unwrap();
    assert!(form.contains(&format!("Sprawa {number}")), "{form}");
    assert!(form.contains(&format!("<a href=\"/procedures/{id}\">Wróć do sprawy {number}</a>")), "{form}");
    // Someone without a need to know gets no summary at all.
    let outsider = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&outsider, &format!("/procedures/{id}")).await.status(), StatusCode::NOT_FOUND);
}
