//! Form A in steps (issue 16, item 4): each part of the form on its own page, the answers carried between steps and
//! kept in the draft, a step left with errors marked, and the error summary linking every error to its field.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, between, csrf_of};
use crate::procedures::page_fields;

/// Posts `fields` to form A with a fresh CSRF token and answers with the status and the page.
async fn post(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let r = app.post_form(client, "/procedures/new", "/procedures/new", fields).await;
    (r.status(), r.text().await.unwrap())
}

/// What a browser would post back from a step page's text and hidden inputs, as (name, value), without the CSRF
/// token and with empty inputs left out.
pub(crate) fn carried(html: &str) -> Vec<(String, String)> {
    html.split("<input ")
        .skip(1)
        .filter_map(|rest| {
            let tag = rest.split('>').next().unwrap_or("");
            if tag.contains("type=\"checkbox\"") {
                return None;
            }
            let name = between(tag, "name=\"", "\"");
            let value = between(tag, "value=\"", "\"").replace("&#39;", "'").replace("&#x27;", "'");
            (!name.is_empty() && name != "csrf" && !value.is_empty()).then_some((name, value))
        })
        .collect()
}

#[tokio::test]
async fn form_a_opens_on_its_first_part_and_goes_part_by_part_keeping_every_answer_in_the_page_and_the_draft() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;

    let first = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    assert!(first.contains("Krok 1 z 14"), "{first}");
    assert!(first.contains("name=\"affected_persons[0].last_name\""));
    assert!(!first.contains("name=\"suspected_persons[0].last_name\""), "part II is a page of its own");
    assert!(first.contains("Dalej: II. Dane osób stosujących przemoc domową"));

    let (status, second) = post(
        &app,
        &initiator,
        &[
            ("step", "0"),
            ("goto", "1"),
            ("header.filled_at", "2026-11-23T08:30"),
            ("affected_persons[0].first_name", "Zofia"),
            ("affected_persons[0].last_name", "D'Amico"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(second.contains("Krok 2 z 14"), "{second}");
    assert!(second.contains("name=\"suspected_persons[0].last_name\""));
    assert!(!second.contains("do poprawy"), "part I was complete: {second}");
    let kept = carried(&second);
    assert!(kept.contains(&("affected_persons[0].last_name".into(), "D'Amico".into())), "{kept:?}");
    assert!(second.contains("Szkic zapisany o"), "leaving a step saves the draft");
    let draft = between(&second, "name=\"draft\" value=\"", "\"");
    assert_eq!(draft.len(), 36);
    let resumed = app.get_with(&initiator, &format!("/procedures/new?draft={draft}")).await.text().await.unwrap();
    assert!(resumed.contains("D&#39;Amico") || resumed.contains("D&#x27;Amico"), "{resumed}");

    // Back to part I: what was typed there is in its fields again.
    let mut back: Vec<(String, String)> = kept.clone();
    back.retain(|(k, _)| k != "step");
    back.push(("step".into(), "1".into()));
    back.push(("goto".into(), "0".into()));
    let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, again) = post(&app, &initiator, &refs).await;
    assert_eq!(status, StatusCode::OK);
    assert!(again.contains("Krok 1 z 14"));
    assert!(
        again.contains(
            "id=\"affected_persons-0-first_name\" name=\"affected_persons[0].first_name\" type=\"text\" value=\"Zofia\""
        ),
        "{again}"
    );
}

#[tokio::test]
async fn leaving_a_step_with_errors_keeps_the_answers_and_marks_the_step_and_a_day_that_does_not_exist_is_named() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let (status, second) = post(
        &app,
        &initiator,
        &[
            ("step", "0"),
            ("goto", "1"),
            ("header.filled_at", "2026-11-23T08:30"),
            ("affected_persons[0].last_name", "Nowak"),
            ("affected_persons[0].birth_date", "31.02.1985"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "leaving is allowed");
    assert!(second.contains("Krok 2 z 14"));
    assert!(second.contains("do poprawy: 2"), "part I is marked with its two errors: {second}");
    assert!(!second.contains("class=\"error\""), "part II, just opened, is not painted red");

    let mut back = carried(&second);
    back.retain(|(k, _)| k != "step");
    back.push(("step".into(), "1".into()));
    back.push(("goto".into(), "0".into()));
    let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, first) = post(&app, &initiator, &refs).await;
    assert!(first.contains("Krok 1 z 14"));
    assert!(first.contains("Taki dzień nie istnieje"), "{first}");
    assert!(!first.contains("Podaj datę w postaci"), "not a format error");
    assert!(first.contains("value=\"31.02.1985\""), "the typed date is kept");
    assert!(first.contains("value=\"Nowak\""));
    assert!(first.contains("class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus"));
    assert!(
        first.contains("<a href=\"#affected_persons-0-birth_date\">Data urodzenia (Pozycja 1): Taki dzień"),
        "{first}"
    );
    assert!(first.contains("<a href=\"#affected_persons-0-first_name\">"));
}

#[tokio::test]
async fn a_refused_submit_opens_the_first_part_with_an_error_and_its_summary_reaches_errors_on_other_parts() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let mut fields = page_fields();
    fields.retain(|(k, _)| k != "filled_by.first_name" && k != "suspected_persons[0].last_name");
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, page) = post(&app, &initiator, &refs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Krok 2 z 14"), "the first part with an error is part II: {page}");
    assert!(page.contains("Popraw następujące błędy"));
    assert!(page.contains("<a href=\"#suspected_persons-0-last_name\">Nazwisko (Pozycja 1): "), "{page}");
    assert!(
        page.contains("name=\"goto\" value=\"13\" formaction=\"/procedures/new#filled_by-first_name\""),
        "an error on part XIV is a button that goes there: {page}"
    );
    assert!(page.contains("do poprawy: 1"));
    // Everything typed travels with the page: sending it again with the two answers added opens the procedure.
    let mut again = carried(&page);
    assert!(again.contains(&("suspected_persons[0].first_name".into(), "Jan".into())), "{again:?}");
    again.push(("suspected_persons[0].last_name".into(), "Żółkiewski".into()));
    again.push(("filled_by.first_name".into(), "Piotr".into()));
    let refs: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, page) = post(&app, &initiator, &refs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

#[tokio::test]
async fn a_step_in_the_address_opens_that_part_and_malformed_step_controls_are_no_error() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let page = app.get_with(&initiator, "/procedures/new?step=13").await.text().await.unwrap();
    assert!(page.contains("Krok 14 z 14"), "{page}");
    assert!(page.contains("name=\"filled_by.institution\""));
    assert!(
        page.contains("data-testid=\"step-next\">Dalej: Sprawdź odpowiedzi<"),
        "the last part leads to the check of the answers: {page}"
    );
    let csrf = csrf_of(&page);
    // A malformed step or list of steps left is no error: the page opens on its first part.
    let r = initiator
        .post(app.url("/procedures/new"))
        .form(&[("csrf", csrf.as_str()), ("step", "x"), ("steps_left", "1,z,99999"), ("goto", "nope")])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error() || r.status() == StatusCode::OK, "{}", r.status());
}

#[tokio::test]
async fn who_fills_form_a_comes_from_the_account_name_institution_and_the_category_its_kind_implies() {
    let app = TestApp::spawn().await;
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let police = app
        .store
        .create_institution(&store::Actor::operator(), tenant.id, "Komenda Powiatowa Policji w Ostoi", "police")
        .await
        .unwrap();
    let new = store::identity::NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: Some(police.id),
        login: "asp.nowak".into(),
        roles: vec![Role::Initiator],
        details: store::identity::PersonalDetails { full_name: "Anna Maria Nowak".into(), ..Default::default() },
    };
    let (_, token) = app.store.create_account(&store::Actor::operator(), &new).await.unwrap();
    let officer = crate::helpers::client();
    app.activate_and_enrol(&officer, &format!("/activate/{token}")).await;

    let page = app.get_with(&officer, "/procedures/new").await.text().await.unwrap();
    let kept = carried(&page);
    for (name, value) in [
        ("filled_by.first_name", "Anna Maria"),
        ("filled_by.last_name", "Nowak"),
        ("filled_by.institution", "Komenda Powiatowa Policji w Ostoi"),
        ("filled_by.category", "police"),
    ] {
        assert!(kept.contains(&(name.into(), value.into())), "{name} = {value}: {kept:?}");
    }
    // On its own part, editable: the inputs hold the values.
    let last = app.get_with(&officer, "/procedures/new?step=13").await.text().await.unwrap();
    assert!(last.contains("name=\"filled_by.first_name\" type=\"text\" value=\"Anna Maria\""), "{last}");
    assert!(last.contains("<option value=\"police\" selected>"));
}

#[tokio::test]
async fn a_person_slot_added_and_left_empty_is_still_there_after_another_step() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    // "Add another person" on part I: a second, empty slot.
    let (status, added) = post(
        &app,
        &initiator,
        &[("step", "0"), ("add", "affected_persons"), ("affected_persons[0].last_name", "Kowalska")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(added.contains("name=\"affected_persons[1].last_name\""), "{added}");
    assert!(added.contains("name=\"slots\" value=\"affected_persons:2"), "the page posts its slots back: {added}");

    // To part II and back, the slot still empty: it is still there.
    let mut fields = carried(&added);
    fields.retain(|(k, _)| k != "step");
    fields.extend([("step".into(), "0".into()), ("goto".into(), "1".into())]);
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, second) = post(&app, &initiator, &refs).await;
    assert!(second.contains("Krok 2 z 14"), "{second}");
    let mut back = carried(&second);
    back.retain(|(k, _)| k != "step");
    back.extend([("step".into(), "1".into()), ("goto".into(), "0".into())]);
    let refs: Vec<(&str, &str)> = back.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (_, first) = post(&app, &initiator, &refs).await;
    assert!(first.contains("Krok 1 z 14"), "{first}");
    assert!(first.contains("name=\"affected_persons[1].last_name\""), "the empty slot came back: {first}");
    assert!(!first.contains("name=\"affected_persons[2].last_name\""), "and only it");

    // A forged count (on a move between steps) is capped by the section's own maximum, never an error.
    let forged = [("step", "0"), ("goto", "0"), ("slots", "affected_persons:99999,Bad-Id:2,x")];
    let (status, page) = post(&app, &initiator, &forged).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"affected_persons[9].last_name\""), "ten slots, the section's maximum");
    assert!(!page.contains("name=\"affected_persons[10].last_name\""), "and no more");
}
