//! The case list's filter on the page and over the API: it narrows, keeps what was typed, says in Polish what is
//! wrong beside the field, and never shows a group member a case outside their groups.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::procedures::pesel;

pub(crate) fn form_a(filled_at: &str, her: &str, his: &str, her_pesel: &str, his_pesel: &str) -> Value {
    json!({
        "header.filled_at": filled_at,
        "affected_persons[0].first_name": "Anna",
        "affected_persons[0].last_name": her,
        "affected_persons[0].pesel": pesel(her_pesel),
        "suspected_persons[0].first_name": "Jan",
        "suspected_persons[0].last_name": his,
        "suspected_persons[0].pesel": pesel(his_pesel),
        "violence.forms": "psychological",
        "household.children_present": "false",
        "firearm.has_firearm": "no",
        "filled_by.category": "police",
        "filled_by.first_name": "Piotr",
        "filled_by.last_name": "Wiśniewski",
        "filled_by.institution": "Komenda Powiatowa Policji"
    })
}

pub(crate) async fn open(app: &TestApp, bearer: &str, answers: Value) -> (String, String) {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(bearer)
        .json(&json!({"answers": answers}))
        .send()
        .await
        .unwrap();
    assert!(matches!(r.status(), StatusCode::CREATED | StatusCode::ACCEPTED), "{}", r.status());
    // An initiator is told only that the form went to the team: their newest case is first in their list.
    let list: Value = reqwest::Client::new()
        .get(app.url("/api/v1/procedures"))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (list[0]["id"].as_str().unwrap().to_owned(), list[0]["number"].as_str().unwrap().to_owned())
}

async fn api_list(app: &TestApp, bearer: &str, query: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/procedures{query}")))
        .bearer_auth(bearer)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

fn numbers(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|p| p["number"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_case_list_filters_on_the_page_and_over_the_api_within_need_to_know() {
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

    // The API.
    let (status, all) = api_list(&app, &chair, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(numbers(&all), [other_no.as_str(), staffed_no.as_str()]);
    let (_, appointed) = api_list(&app, &chair, "?phase=group_appointed").await;
    assert_eq!(numbers(&appointed), [staffed_no.as_str()]);
    let (_, early) = api_list(&app, &chair, "?opened_from=2026-11-01&opened_to=2026-11-02").await;
    assert_eq!(numbers(&early), [staffed_no.as_str()], "the 'to' day is included");
    let (_, by_number) = api_list(&app, &chair, &format!("?number={}", &other_no[3..])).await;
    assert_eq!(numbers(&by_number), [other_no.as_str()]);
    let (_, paged) = api_list(&app, &chair, "?limit=1&offset=1").await;
    assert_eq!(numbers(&paged), [staffed_no.as_str()]);
    let (status, bad) = api_list(&app, &chair, "?opened_from=31.13.2026&phase=lost").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = bad["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["phase", "opened_from"], "{bad}");
    let (status, bad) = api_list(&app, &chair, "?offset=many").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["message"].as_str().is_some_and(|m| m.contains("offset")), "a JSON error naming the parameter: {bad}");
    // Need-to-know first: the member's filtered list holds only the group's case, even when asked for the other.
    let (_, mine) = api_list(&app, &social, "?phase=opened").await;
    assert!(numbers(&mine).is_empty(), "{mine}");
    let (_, mine) = api_list(&app, &social, &format!("?number={other_no}")).await;
    assert!(numbers(&mine).is_empty(), "{mine}");
    let (_, mine) = api_list(&app, &social, "?opened_from=2026-01-01").await;
    assert_eq!(numbers(&mine), [staffed_no.as_str()]);

    // The page: a GET form with Polish labels, the filter applied and kept.
    let page = app.get_with(&chair_web, "/procedures?phase=opened&from=2026-11-10&until=&number=").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<form method=\"get\" action=\"/procedures\"") && html.contains("Wszczęte od dnia"));
    assert!(html.contains(&other_no) && !html.contains(&staffed_no), "only the opened case of 20 November");
    assert!(html.contains("value=\"2026-11-10\"") && html.contains("value=\"opened\" selected"), "the filter kept");
    // A bad date: the message beside the field, what was typed kept, nothing listed.
    let page = app.get_with(&chair_web, "/procedures?from=2026-11-40&until=2026-11-01&number=NK%2F").await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"from-error\"") && html.contains("Taki dzień nie istnieje"), "{html}");
    assert!(html.contains("value=\"2026-11-40\"") && html.contains("value=\"NK/\""));
    assert!(!html.contains(&other_no) && !html.contains(&staffed_no));
    let page = app.get_with(&chair_web, "/procedures?from=2026-11-20&until=2026-11-01").await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text().await.unwrap().contains("nie może być wcześniejsza"));
    // The member's page, filtered by the other case's number: nothing, exactly as for a number that does not exist.
    let page = app.get_with(&social_web, &format!("/procedures?number={other_no}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(!html.contains(&format!(">{other_no}<")) && html.contains("Nie ma procedur"), "{html}");
}
