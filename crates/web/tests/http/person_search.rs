//! Search by person on the procedures page and over the API (issue 16): found within need-to-know, "no procedure
//! found" that reads the same for a case the reader may not see, bad entries answered beside the box.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::case_list::{form_a, open};
use crate::helpers::{TestApp, csrf_of};
use crate::procedures::pesel;

async fn search(app: &TestApp, client: &reqwest::Client, typed: &str) -> (StatusCode, String) {
    let r = app.post_form(client, "/procedures", "/procedures/search", &[("person", typed)]).await;
    (r.status(), r.text().await.unwrap())
}

async fn api(app: &TestApp, bearer: &str, typed: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/procedures/search"))
        .bearer_auth(bearer)
        .json(&json!({"person": typed}))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn staff_and_members_find_cases_by_person_and_a_hidden_case_reads_as_no_match() {
    let app = TestApp::spawn().await;
    let chair_web = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let social_web = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let token = |login: &'static str| {
        let store = app.store.clone();
        async move { store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap() }
    };
    let (chair, social, initiator) =
        (token("przewodniczaca").await, token("pracownik.socjalny").await, token("dzielnicowy").await);
    let (staffed, staffed_no) =
        open(&app, &initiator, form_a("2026-11-02T08:30", "Kowalska", "Kowalski", "8503120840", "8301050571")).await;
    let (_, other_no) =
        open(&app, &initiator, form_a("2026-11-20T09:00", "Nowak", "Nowak", "9001010845", "8802020576")).await;
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let members = json!([
        {"account_id": social_id.to_string(), "kind": "social_worker"},
        {"account_id": police_id.to_string(), "kind": "police_officer"}
    ]);
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{staffed}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": members, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // The page: the search box is a POST form with its CSRF token; the answer lists number, phase and role.
    let list = app.get_with(&chair_web, "/procedures").await.text().await.unwrap();
    assert!(list.contains("action=\"/procedures/search\"") && list.contains("Szukaj osoby lub procedury"));
    let (status, html) = search(&app, &chair_web, "anna kowalska").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&staffed_no) && !html.contains(&other_no), "{html}");
    assert!(html.contains("osoba doznająca przemocy domowej") && html.contains("grupa powołana"), "{html}");
    assert!(!html.contains("Kowalski<") && !html.contains("8503120840"), "no person's data in the answer");
    let (_, html) = search(&app, &chair_web, &pesel("8802020576")).await;
    assert!(html.contains(&other_no) && html.contains("osoba stosująca przemoc domową"), "{html}");
    let (_, html) = search(&app, &chair_web, "Zielińska").await;
    assert!(html.contains("Nie znaleziono procedury dla „Zielińska”."), "{html}");

    // The member is in the first case's group only: "Nowak" (the other case) reads exactly like a name nobody has.
    let (status, hidden) = search(&app, &social_web, "Nowak").await;
    assert_eq!(status, StatusCode::OK);
    assert!(hidden.contains("Nie znaleziono procedury dla „Nowak”.") && !hidden.contains(&other_no), "{hidden}");
    let (_, none) = search(&app, &social_web, "Zielińska").await;
    assert_eq!(hidden.replace("Nowak", "…"), none.replace("Zielińska", "…"));
    let (_, html) = search(&app, &social_web, "Kowalska").await;
    assert!(html.contains(&staffed_no), "{html}");

    // Bad entries: the reason beside the box, the entry kept, never an error page.
    let wrong = {
        let mut p = pesel("8503120840");
        let last = p.pop().unwrap().to_digit(10).unwrap();
        p.push(char::from_digit((last + 1) % 10, 10).unwrap());
        p
    };
    let (status, html) = search(&app, &chair_web, &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"person-error\"") && html.contains("Cyfra kontrolna numeru PESEL"), "{html}");
    assert!(html.contains(&format!("value=\"{wrong}\"")), "the entry kept");
    let (status, html) = search(&app, &chair_web, "K").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("co najmniej 2 litery"), "{html}");
    let (status, html) = search(&app, &chair_web, "O'Brien").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Nie znaleziono procedury dla"), "{html}");
    // Without the token: refused.
    let r = chair_web.post(app.url("/procedures/search")).form(&[("person", "Kowalska")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The API: the same search, the same need-to-know.
    let (status, found) = api(&app, &chair, "Kowalska").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["number"], staffed_no.as_str());
    assert_eq!(found[0]["matched_roles"], json!(["affected_person"]));
    let (_, found) = api(&app, &chair, &other_no).await;
    assert_eq!(found[0]["matched_roles"], json!([]));
    let (_, hidden) = api(&app, &social, "Nowak").await;
    assert_eq!(hidden, json!([]));
    let (status, bad) = api(&app, &chair, "K").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["fields"][0]["field"], "person", "{bad}");

    // Every search is in the trail, without what was typed.
    let entries = app
        .store
        .audit_entries(
            &store::Actor::operator(),
            &store::AuditFilter { action: Some("read_personal_data".into()), limit: 500, ..Default::default() },
        )
        .await
        .unwrap();
    let searches: Vec<_> = entries.iter().filter(|e| e.detail.starts_with("person search")).collect();
    assert_eq!(searches.len(), 10, "every accepted search, page and API");
    assert!(searches.iter().all(|e| !e.detail.contains("owa") && !e.detail.contains("Nowak")));
}

#[tokio::test]
async fn a_page_without_the_search_token_or_with_a_malformed_body_is_a_4xx() {
    let app = TestApp::spawn().await;
    let chair_web = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let page = app.get_with(&chair_web, "/procedures").await.text().await.unwrap();
    let csrf = csrf_of(&page);
    let r = chair_web
        .post(app.url("/procedures/search"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&person=%FF%FE"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}
