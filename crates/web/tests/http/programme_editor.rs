//! The programme written in the browser and a new team's first steps (issue 16 items 6 and 11): the chair builds a
//! programme with the "add" buttons (nothing typed is lost), is refused beside the field with the typed value kept,
//! saves it through the store call the API uses, and amends it with a resolution and a date (an amendment made
//! meanwhile is a conflict, not an overwrite); the checklist counts what the data shows; an empty team and a case
//! whose group cannot be appointed say what to do next.

use domain::identity::Role;
use reqwest::StatusCode;
use store::Actor;

use crate::helpers::*;
use crate::procedures::{form_a, open_case, token};

/// Posts the editor's fields with the page's token.
async fn post(app: &TestApp, c: &reqwest::Client, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(c, page, page, fields).await
}

#[tokio::test]
async fn the_programme_is_written_in_the_browser_refused_beside_the_field_and_amended_on_a_resolution() {
    let app = TestApp::spawn().await;
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let mops = app
        .store
        .create_institution(&Actor::operator(), tenant.id, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    let mops_id = mops.id.to_string();
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let r = app.get_with(&chair, "/programme").await;
    assert!(r.text().await.unwrap().contains("href=\"/programme/new\""), "the list offers the editor, not the API");

    // Arrange the structure with the buttons: each answer carries one element more and keeps what was typed.
    let page = "/programme/new";
    let head = [
        ("title", "Gminny Program 2026–2030"),
        ("period_from", "2026"),
        ("period_to", "2030"),
        ("strategic_goal", "Ograniczenie przemocy domowej w gminie"),
    ];
    let mut fields: Vec<(&str, &str)> = head.to_vec();
    fields.push(("action", "add-goal"));
    let html = post(&app, &chair, page, &fields).await.text().await.unwrap();
    assert!(html.contains("name=\"g0.id\" value=\"g1\"") && html.contains("Ograniczenie przemocy domowej w gminie"));
    let mut fields: Vec<(&str, &str)> = head.to_vec();
    fields.extend([("g0.id", "g1"), ("g0.title", "Skuteczna pomoc"), ("action", "add-task:g0")]);
    let html = post(&app, &chair, page, &fields).await.text().await.unwrap();
    assert!(html.contains("name=\"g0.t0.id\" value=\"g1t1\"") && html.contains("Skuteczna pomoc"));
    assert!(html.contains("name=\"g0.t0.from_year\" inputmode=\"numeric\" value=\"2026\""), "{html}");
    let mut fields: Vec<(&str, &str)> = head.to_vec();
    fields.extend([
        ("g0.id", "g1"),
        ("g0.title", "Skuteczna pomoc"),
        ("g0.t0.id", "g1t1"),
        ("g0.t0.title", "Wspólne wizyty"),
        ("g0.t0.from_year", "2026"),
        ("g0.t0.to_year", "2030"),
        ("g0.t0.inst", &mops_id),
        ("action", "add-indicator:g0.t0"),
    ]);
    let html = post(&app, &chair, page, &fields).await.text().await.unwrap();
    assert!(html.contains("name=\"g0.t0.i0.target.2028\""), "a target per year of the period");

    // Act: save with a target that is not a number and no resolution.
    let indicator = [
        ("g0.t0.i0.id", "g1t1i1"),
        ("g0.t0.i0.name", "liczba wspólnych wizyt"),
        ("g0.t0.i0.source", "entered"),
        ("g0.t0.i0.inst", mops_id.as_str()),
    ];
    let mut fields: Vec<(&str, &str)> = head.to_vec();
    fields.extend(fields_of_task(&mops_id));
    fields.extend(indicator);
    fields.extend([("g0.t0.i0.target.2027", "dużo"), ("applies_from", "2026-01-01"), ("action", "save")]);
    let r = post(&app, &chair, page, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"g0.t0.i0.target.2027-error\">Wpisz liczbę całkowitą"), "{html}");
    assert!(
        html.contains("value=\"dużo\"") && html.contains("id=\"resolution-error\""),
        "typed kept, resolution asked"
    );
    assert!(html.contains("href=\"#g0.t0.i0.target.2027\""), "the summary links to the field");

    // Act: save it right.
    let mut fields: Vec<(&str, &str)> = head.to_vec();
    fields.extend(fields_of_task(&mops_id));
    fields.extend(indicator);
    fields.extend([
        ("g0.t0.i0.target.2027", "400"),
        ("applies_from", "2026-01-01"),
        ("resolution", "Uchwała nr V/12/2026 Rady Gminy"),
        ("action", "save"),
    ]);
    let r = post(&app, &chair, page, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = location(&r);
    let id = shown.trim_start_matches("/programme/").trim_end_matches("?saved=1").to_owned();
    let html = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(html.contains("Zapisano.") && html.contains("Uchwała nr V/12/2026 Rady Gminy"));
    assert!(html.contains("liczba wspólnych wizyt") && html.contains("2027: 400") && html.contains("Miejski Ośrodek"));
    // Assert: the store keeps it as the API reads it, typed.
    let api = token(&app, "przewodniczaca.api", &[Role::Chair]).await;
    let json: serde_json::Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/programmes/{id}")))
        .bearer_auth(&api)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = &json["programme"]["versions"][0];
    assert_eq!(version["content"]["goals"][0]["tasks"][0]["indicators"][0]["targets"]["2027"], 400);
    assert_eq!(version["content"]["goals"][0]["tasks"][0]["institutions"][0], mops_id.as_str());

    // An amendment: the editor opens filled with the version in force.
    let amend = format!("/programme/{id}/amend");
    let html = app.get_with(&chair, &amend).await.text().await.unwrap();
    assert!(html.contains("liczba wspólnych wizyt") && html.contains("name=\"version\" value=\"1\""));
    let mut fields: Vec<(&str, &str)> = vec![("version", "1"), ("strategic_goal", "Ograniczenie przemocy domowej")];
    fields.extend(fields_of_task(&mops_id));
    fields.extend(indicator);
    fields.extend([
        ("g0.t0.i0.target.2027", "400"),
        ("g0.t0.i1.id", "g1t1i2"),
        ("g0.t0.i1.name", "liczba wizyt domowych"),
        ("g0.t0.i1.source", "home_visits"),
        ("g0.t0.i1.target.2028", "120"),
        ("resolution", "Uchwała nr IX/70/2026 zmieniająca program"),
        ("action", "save"),
    ]);
    let mut before = fields.clone();
    before.push(("applies_from", "2025-12-31"));
    let r = post(&app, &chair, &amend, &before).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("nie może obowiązywać wcześniej niż poprzednia wersja"), "{html}");
    assert!(html.contains("value=\"liczba wizyt domowych\""), "typed kept");
    let mut ok = fields;
    ok.push(("applies_from", "2026-07-01"));
    let r = post(&app, &chair, &amend, &ok).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, &format!("/programme/{id}")).await.text().await.unwrap();
    assert!(html.contains("Wersja 2: Uchwała nr IX/70/2026 zmieniająca program, obowiązuje od 2026-07-01"), "{html}");
    assert!(html.contains("liczy Ostoja") && html.contains("2028: 120"));
    // The same amendment sent again from the page of version 1 is a conflict, with everything typed kept.
    let r = post(&app, &chair, &amend, &ok).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("W międzyczasie ktoś zapisał inną zmianę") && html.contains("liczba wizyt domowych"));

    // Bad input: a name outside the scheme is a 400, an unknown button too; never a server error.
    let r = post(&app, &chair, page, &[("g999.title", "x"), ("action", "save")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = post(&app, &chair, page, &[("action", "add-task:g7")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // An aggregate viewer reads the programme but may not write one.
    let viewer = app.login_as("obserwator", &[Role::AggregateViewer]).await;
    assert_eq!(app.get_with(&viewer, &format!("/programme/{id}")).await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&viewer, page).await.status(), StatusCode::FORBIDDEN);
}

fn fields_of_task(mops: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("g0.id", "g1"),
        ("g0.title", "Skuteczna pomoc"),
        ("g0.t0.id", "g1t1"),
        ("g0.t0.title", "Wspólne wizyty"),
        ("g0.t0.from_year", "2026"),
        ("g0.t0.to_year", "2030"),
        ("g0.t0.inst", mops),
    ]
}

#[tokio::test]
async fn a_new_team_is_led_through_its_start_by_what_the_data_shows() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;

    // An empty team: the checklist on the home page, no "rules kept" on the team's page.
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(home.contains("data-testid=\"start-summary\"") && home.contains("Zrobione: "), "{home}");
    let team = app.get_with(&chair, "/team").await.text().await.unwrap();
    assert!(team.contains("Zespół nie ma jeszcze członków") && !team.contains("Zasady pracy zespołu są dotrzymane"));
    let start = app.get_with(&chair, "/start").await.text().await.unwrap();
    assert!(start.contains("data-step=\"order\" class=\"start-open\""));

    // The order recorded: the step is done without ticking anything.
    let r = app.post_form(&chair, "/team", "/team/orders", &[("number", "12/2026"), ("issued_on", "2026-01-05")]).await;
    assert!(r.status().is_redirection() || r.status().is_success(), "{}", r.status());
    let start = app.get_with(&chair, "/start").await.text().await.unwrap();
    assert!(start.contains("data-step=\"order\" class=\"start-done\""), "{start}");

    // A case whose group is due while no group-member account exists says why and where to add one.
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &initiator, form_a()).await;
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"appoint-blocked\"") && html.contains("href=\"/team/accounts\""), "{html}");
    let _member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(!html.contains("data-testid=\"appoint-blocked\"") && html.contains("pracownik.socjalny"));
    let start = app.get_with(&chair, "/start").await.text().await.unwrap();
    assert!(start.contains("data-step=\"accounts\" class=\"start-done\""));

    // Only the team's staff see the checklist.
    let viewer = app.login_as("obserwator", &[Role::AggregateViewer]).await;
    assert_eq!(app.get_with(&viewer, "/start").await.status(), StatusCode::FORBIDDEN);
    assert!(!app.get_with(&viewer, "/").await.text().await.unwrap().contains("start-summary"));
}
