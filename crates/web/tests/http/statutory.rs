//! The statutory set over HTTP: the page in the template's words (never a code), the CSV, the XLSX and the JSON with
//! the version they show; an entered line refused beside its field with the typed value kept; the chair's approval;
//! the data-quality view for the team only.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::procedures::token;

#[tokio::test]
async fn the_statutory_set_is_a_page_a_csv_an_xlsx_and_json_in_the_templates_words_approved_by_the_chair() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let page = "/programme/statutory?year=2025";
    let r = app.get_with(&chair, page).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    for words in [
        "liczba osób doznających przemocy domowej objętych w danym roku działaniami w ramach procedury",
        "w tym: kobiety",
        "liczba zakończonych procedur ze względu na brak zasadności podejmowania działań",
        "programie oddziaływań korekcyjno-edukacyjnych",
        "funkcjonariusz Policji",
        "Dane bieżące, jeszcze niezatwierdzone.",
    ] {
        assert!(html.contains(words), "{words}");
    }
    for code in ["police:", "women:", "no_grounds:", ">no_grounds<"] {
        assert!(!html.contains(code), "{code}");
    }

    // A non-number and a negative are refused beside the field, the typed value kept.
    let action = "/programme/statutory/2025/entry";
    for (typed, message) in [("sto", "liczbę całkowitą"), ("-4", "ujemna")] {
        let r = app.post_form(&chair, page, action, &[("line", "children_secured_elsewhere"), ("value", typed)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"value-children_secured_elsewhere-error\""), "{typed}");
        assert!(html.contains(&format!("value=\"{typed}\"")), "{typed}");
        assert!(html.to_lowercase().contains(message), "{typed}: {html}");
    }
    let r = app.post_form(&chair, page, action, &[("line", "children_secured_elsewhere"), ("value", "3")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A computed line cannot be entered.
    let r = app.post_form(&chair, page, action, &[("line", "forms_c"), ("value", "3")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The chair approves (no gaps in an empty municipality: no reason needed); the page says which version.
    let r = app.post_form(&chair, page, "/programme/statutory/2025/approve", &[("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, page).await.text().await.unwrap();
    assert!(html.contains("Zatwierdzona wersja 1"), "{html}");
    assert!(html.contains("data-testid=\"statutory-children_secured\">3<"));

    let csv = app.get_with(&chair, "/programme/statutory/2025/csv").await.text().await.unwrap();
    assert!(csv.contains("zatwierdzona wersja 1") && csv.contains(";children_secured;3"), "{csv}");
    let r = app.get_with(&chair, "/programme/statutory/2025/xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(app.get_with(&chair, "/programme/statutory/20x5/csv").await.status(), StatusCode::NOT_FOUND);
    let r = app.get_with(&chair, "/programme/statutory/2025/gaps").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("statutory-no-gaps"));

    // The JSON says the same, with the version; a late entry is listed as a correction; re-approval makes version 2.
    let api = token(&app, "sekretarz", &[Role::Secretary]).await;
    let c = reqwest::Client::new();
    let set: Value =
        c.get(app.url("/api/v1/statutory/2025")).bearer_auth(&api).send().await.unwrap().json().await.unwrap();
    assert_eq!(set["statutory"]["approval"]["version"], 1);
    let line = |id: &str| set["statutory"]["lines"].as_array().unwrap().iter().find(|l| l["id"] == id).unwrap().clone();
    let entered = line("children_secured_elsewhere");
    assert_eq!((entered["value"].as_i64(), entered["source"].as_str()), (Some(3), Some("entered")));
    // The template's line is the total: no placement recorded in the team's cases, and the centre's 3.
    let total = line("children_secured");
    assert_eq!((total["value"].as_i64(), total["source"].as_str()), (Some(3), Some("computed")));
    let r = c
        .put(app.url("/api/v1/statutory/2025/lines/children_secured_elsewhere"))
        .bearer_auth(&api)
        .json(&json!({"value": "-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .put(app.url("/api/v1/statutory/2025/lines/children_secured_elsewhere"))
        .bearer_auth(&api)
        .json(&json!({"value": "4"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let set: Value =
        c.get(app.url("/api/v1/statutory/2025")).bearer_auth(&api).send().await.unwrap().json().await.unwrap();
    assert_eq!(set["statutory"]["corrections"][0]["now"], 4);
    // Only the chair approves.
    let r =
        c.post(app.url("/api/v1/statutory/2025/approvals")).bearer_auth(&api).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let chair_api = token(&app, "przewodniczacy.api", &[Role::Chair]).await;
    let r = c
        .post(app.url("/api/v1/statutory/2025/approvals"))
        .bearer_auth(&chair_api)
        .json(&json!({"reason": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);

    // A group member sees none of it.
    let member = app.login_as("czlonek", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&member, page).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_with(&member, "/programme/statutory/2025/gaps").await.status(), StatusCode::FORBIDDEN);
}
