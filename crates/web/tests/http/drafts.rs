//! Drafts of forms (saved by a button without JavaScript, or in the background by the page's script) and form A
//! typed in from paper by the team's staff.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, between, csrf_of, location};
use crate::procedures::page_fields;

/// Posts the form A page's fields, with `extra` replacing or adding fields, with a fresh CSRF token.
async fn post_form_a(app: &TestApp, client: &reqwest::Client, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut fields = page_fields();
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    let mut refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    refs.extend_from_slice(extra);
    app.post_form(client, "/procedures/new", "/procedures/new", &refs).await
}

#[tokio::test]
async fn a_half_filled_form_a_saved_as_a_draft_comes_back_to_its_author_only_and_goes_when_submitted() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    // Without JavaScript: the "save draft" button, with half a form (no validation yet).
    let r = app
        .post_form(
            &initiator,
            "/procedures/new",
            "/procedures/new",
            &[("affected_persons[0].last_name", "Żółkiewska-O'Neil"), ("save_draft", "true")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Szkic zapisany o"), "{html}");
    assert!(!html.contains("class=\"error\""), "a draft is not validated");
    let draft = between(&html, "name=\"draft\" value=\"", "\"");
    assert_eq!(draft.len(), 36, "the page carries the draft's id: {draft}");

    // The fresh page lists it; following the link brings back what was typed.
    let fresh = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    assert!(fresh.contains(&format!("/procedures/new?draft={draft}")), "{fresh}");
    let resumed = app.get_with(&initiator, &format!("/procedures/new?draft={draft}")).await;
    assert_eq!(resumed.status(), StatusCode::OK);
    let resumed = resumed.text().await.unwrap();
    assert!(resumed.contains("value=\"Żółkiewska-O&#39;Neil\"") || resumed.contains("Żółkiewska-O&#x27;Neil"));

    // Nobody else reaches it, not even the chair.
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    assert_eq!(app.get_with(&chair, &format!("/procedures/new?draft={draft}")).await.status(), StatusCode::NOT_FOUND);
    assert!(!app.get_with(&chair, "/procedures/new").await.text().await.unwrap().contains(&draft));

    // Autosave (what the script does): the same draft is replaced and its id answered as JSON.
    let page = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = initiator
        .post(app.url("/procedures/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("draft", draft.as_str()),
            ("autosave", "true"),
            ("affected_persons[0].last_name", "Kowalska"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["draft"], draft.as_str());
    assert!(saved["message"].as_str().unwrap().contains("Szkic zapisany"));
    let resumed = app.get_with(&initiator, &format!("/procedures/new?draft={draft}")).await.text().await.unwrap();
    assert!(resumed.contains("value=\"Kowalska\""));

    // A failed submit keeps the draft; a successful one deletes it.
    let r = post_form_a(&app, &initiator, &[("draft", draft.as_str()), ("header.filled_at", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(&format!("name=\"draft\" value=\"{draft}\"")));
    let r = post_form_a(&app, &initiator, &[("draft", draft.as_str())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap_or_default());
    assert_eq!(
        app.get_with(&initiator, &format!("/procedures/new?draft={draft}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(!app.get_with(&initiator, "/procedures/new").await.text().await.unwrap().contains(&draft));

    // A malformed draft id is a bad request, not a server error.
    let page = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    let r = initiator
        .post(app.url("/procedures/new"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("draft", "nie-uuid"), ("save_draft", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_team_types_in_a_paper_form_a_and_the_case_says_so_while_an_initiator_cannot_mark_one() {
    let app = TestApp::spawn().await;
    let secretary = app.login_as("sekretarz", &[Role::Secretary]).await;
    let page = app.get_with(&secretary, "/procedures/new").await.text().await.unwrap();
    assert!(page.contains("name=\"from_paper\""), "the team is offered the paper choice");
    let r = post_form_a(&app, &secretary, &[("from_paper", "true"), ("header.filled_at", "2026-11-20T21:40")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case = location(&r);
    let html = app.get_with(&secretary, &case).await.text().await.unwrap();
    assert!(html.contains("Wprowadzony z formularza papierowego przez: sekretarz"), "{html}");
    assert!(html.contains("2026-11-20 21:40"), "the case keeps the paper form's own date: {html}");

    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let page = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    assert!(!page.contains("name=\"from_paper\""));
    let r = post_form_a(&app, &initiator, &[("from_paper", "true"), ("new_despite_match", "true")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&initiator, &location(&r)).await.text().await.unwrap();
    assert!(!html.contains("Wprowadzony z formularza papierowego"), "only the team marks paper forms");
}
