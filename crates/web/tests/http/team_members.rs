//! Members' qualifications and the working groups over real HTTP (issue 18, items 6–7): a training refused beside
//! the field with the typed data kept, the coordinators per area on `/team`, a working group set up through the API,
//! worked in by its member on the page and over the API, and not found by anyone outside it.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, location};

async fn api(
    app: &TestApp,
    bearer: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new().request(method, app.url(path)).bearer_auth(bearer);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn bearer(app: &TestApp, login: &str) -> String {
    app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap()
}

#[tokio::test]
async fn a_training_is_refused_beside_the_field_then_kept_and_the_coordinators_show_on_the_team_page() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let (account, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let account = account.to_string();
    let r = app
        .post_form(
            &chair,
            "/team/members/new",
            "/team/members/new",
            &[
                ("full_name", "Katarzyna Wiśniewska"),
                ("function", "member"),
                ("account_id", &account),
                ("appointed_on", "2026-01-10"),
                ("confidentiality_signed_on", "2026-01-10"),
                ("coordination_areas", "children"),
                ("coordination_areas", "elderly"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let member = location(&r).trim_start_matches("/team#member-").to_owned();
    let html = app.get_with(&chair, "/team").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"team-coordinators\""), "{html}");
    assert!(html.contains("<dt>dzieci</dt><dd>Katarzyna Wiśniewska</dd>"), "{html}");
    assert!(html.contains("<dt>osoby starsze</dt><dd>Katarzyna Wiśniewska</dd>"));
    assert!(!html.contains(">children<"), "no raw key");

    let page = format!("/team/members/{member}/trainings");
    let fields = |completed_on: &'static str| {
        vec![
            ("kind", "studium_first_degree"),
            ("title", "Studium Przeciwdziałania Przemocy w Rodzinie I stopnia"),
            ("organiser", "Niebieska Linia IPZ"),
            ("starts_on", "2026-02-01"),
            ("completed_on", completed_on),
            ("hours", "120"),
            ("certificate_number", "NL/2026/17"),
        ]
    };
    let r = app.post_form(&chair, &page, &page, &fields("2099-01-01")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"completed_on-error\""), "the message sits beside the field: {html}");
    assert!(html.contains("Studium Przeciwdziałania Przemocy w Rodzinie I stopnia"), "what was typed is kept");
    let r = app.post_form(&chair, &page, &page, &fields("2026-01-31")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "the end before the start");
    assert!(r.text().await.unwrap().contains("id=\"completed_on-error\""));
    let r = app.post_form(&chair, &page, &page, &fields("2026-06-30")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), page);
    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("Studium I stopnia") && html.contains("NL/2026/17"), "{html}");

    // Removing an entry asks once more, naming it; only the confirmed form removes it.
    let delete = html.split("action=\"").find_map(|a| a.split('"').next().filter(|a| a.ends_with("/delete"))).unwrap();
    let delete = delete.to_owned();
    let r = app.post_form(&chair, &page, &delete, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Usunąć szkolenie „Studium Przeciwdziałania Przemocy w Rodzinie I stopnia”"), "{html}");
    assert!(html.contains("name=\"confirmed\" value=\"yes\""), "{html}");
    assert!(app.get_with(&chair, &page).await.text().await.unwrap().contains("NL/2026/17"), "not removed yet");

    // Over the API: the history, the member's derived training date (a Studium is not the mandatory training).
    let token = bearer(&app, "przewodniczaca").await;
    let (s, list) =
        api(&app, &token, reqwest::Method::GET, &format!("/api/v1/team/members/{member}/trainings"), None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list[0]["kind"], "studium_first_degree");
    let (s, members) = api(&app, &token, reqwest::Method::GET, "/api/v1/team/members", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(members[0]["training_completed_on"], Value::Null);
    assert_eq!(members[0]["coordination_areas"], json!(["children", "elderly"]));
    let (s, added) = api(
        &app,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/team/members/{member}/trainings"),
        Some(json!({"kind": "mandatory", "title": "Szkolenie obowiązkowe", "completed_on": "2026-03-05"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{added}");
    let (_, members) = api(&app, &token, reqwest::Method::GET, "/api/v1/team/members", None).await;
    assert_eq!(members[0]["training_completed_on"], "2026-03-05");
    let (s, _) = api(
        &app,
        &token,
        reqwest::Method::DELETE,
        &format!("/api/v1/team/members/{member}/trainings/{}", added["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, members) = api(&app, &token, reqwest::Method::GET, "/api/v1/team/members", None).await;
    assert_eq!(members[0]["training_completed_on"], Value::Null);
    let (s, areas) = api(&app, &token, reqwest::Method::GET, "/api/v1/team/coordinators", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(areas[0]["area"], "children");
    assert_eq!(areas[0]["member_ids"], json!([member]));

    // Confirmed in the browser, the entry goes.
    let r = app.post_form(&chair, &page, &delete, &[("confirmed", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!app.get_with(&chair, &page).await.text().await.unwrap().contains("NL/2026/17"), "removed");
}

#[tokio::test]
async fn a_working_group_is_worked_in_by_its_members_and_hidden_from_everyone_else() {
    let app = TestApp::spawn().await;
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let chair = bearer(&app, "przewodniczaca").await;
    let social_token = bearer(&app, "pracownik.socjalny").await;
    let police_token = bearer(&app, "policjant.gdp").await;
    let (social_account, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (s, member) = api(
        &app,
        &chair,
        reqwest::Method::POST,
        "/api/v1/team/members",
        Some(
            json!({"full_name": "Katarzyna Wiśniewska", "function": "member", "account_id": social_account.to_string(),
            "appointed_on": "2026-01-10", "confidentiality_signed_on": "2026-01-10"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{member}");
    let member = member["id"].as_str().unwrap().to_owned();

    let group = json!({"name": "Grupa ds. seniorów", "purpose": "Kampania w przychodniach.", "established_on": "2026-02-01",
        "member_ids": [member]});
    let (s, _) =
        api(&app, &social_token, reqwest::Method::POST, "/api/v1/team/working-groups", Some(group.clone())).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the staff set a group up");
    let (s, created) = api(&app, &chair, reqwest::Method::POST, "/api/v1/team/working-groups", Some(group)).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/team/working-groups/{id}");

    // Its member adds a task over the API and records a meeting on the page.
    let (s, listed) = api(&app, &social_token, reqwest::Method::GET, "/api/v1/team/working-groups", None).await;
    assert_eq!((s, listed[0]["role"].clone()), (StatusCode::OK, json!("member")));
    let task =
        json!({"title": "Ulotka dla przychodni", "owner_member_id": member, "due_on": "2099-04-30", "status": "open"});
    let (s, _) = api(&app, &social_token, reqwest::Method::POST, &format!("{path}/tasks"), Some(task)).await;
    assert_eq!(s, StatusCode::CREATED);
    let page = format!("/team/working-groups/{id}");
    let early = [("held_on", "2026-01-20"), ("minutes", "Ustalono treść ulotki."), ("attended", member.as_str())];
    let r = app.post_form(&social, &page, &format!("{page}/meetings"), &early).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"held_on-error\"") && html.contains("Ustalono treść ulotki."), "{html}");
    let held = [("held_on", "2026-02-20"), ("minutes", "Ustalono treść ulotki."), ("attended", member.as_str())];
    let r = app.post_form(&social, &page, &format!("{page}/meetings"), &held).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains("Ulotka dla przychodni") && html.contains("Ustalono treść ulotki."), "{html}");
    // A member does not change the group itself (that is the staff's or its chair's).
    let (s, _) = api(
        &app,
        &social_token,
        reqwest::Method::PUT,
        &path,
        Some(json!({"name": "Inna nazwa", "established_on": "2026-02-01", "member_ids": [member], "version": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Another group member finds nothing, on the API and on the page.
    let (s, listed) = api(&app, &police_token, reqwest::Method::GET, "/api/v1/team/working-groups", None).await;
    assert_eq!((s, listed), (StatusCode::OK, json!([])));
    let (s, _) = api(&app, &police_token, reqwest::Method::GET, &path, None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let police = app.login_as("policjant.drugi", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&police, &page).await.status(), StatusCode::NOT_FOUND);
    // A malformed id is a 404, never a server error.
    assert_eq!(app.get_with(&social, "/team/working-groups/nie-uuid").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_working_groups_meeting_is_recorded_and_changed_over_the_api_at_the_version_it_was_read() {
    // The meeting's body is the store's draft flattened beside `version`: absent fields default, unknown ones are
    // ignored, a field of the wrong type is the API's 400, and the version still decides a change.
    let app = TestApp::spawn().await;
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let chair = bearer(&app, "przewodniczaca").await;
    let social = bearer(&app, "pracownik.socjalny").await;
    let (social_account, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let member = json!({"full_name": "Katarzyna Wiśniewska", "function": "member", "account_id": social_account.to_string(),
        "appointed_on": "2026-01-10", "confidentiality_signed_on": "2026-01-10"});
    let (s, member) = api(&app, &chair, reqwest::Method::POST, "/api/v1/team/members", Some(member)).await;
    assert_eq!(s, StatusCode::CREATED, "{member}");
    let member = member["id"].as_str().unwrap().to_owned();
    let group = json!({"name": "Grupa ds. seniorów", "established_on": "2026-02-01", "member_ids": [member]});
    let (s, created) = api(&app, &chair, reqwest::Method::POST, "/api/v1/team/working-groups", Some(group)).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let path = format!("/api/v1/team/working-groups/{}", created["id"].as_str().unwrap());

    // Its member records a meeting; no agenda sent, and a field the API does not know is ignored.
    let held =
        json!({"held_on": "2026-02-20", "minutes": "Ustalono treść ulotki.", "attended": [member], "room": "12"});
    let (s, recorded) = api(&app, &social, reqwest::Method::POST, &format!("{path}/meetings"), Some(held)).await;
    assert_eq!(s, StatusCode::CREATED, "{recorded}");
    let meeting = format!("{path}/meetings/{}", recorded["id"].as_str().unwrap());
    let (s, detail) = api(&app, &social, reqwest::Method::GET, &path, None).await;
    assert_eq!(s, StatusCode::OK);
    let shown = &detail["meetings"][0];
    assert_eq!(
        (&shown["held_on"], &shown["agenda"], &shown["attended"]),
        (&json!("2026-02-20"), &json!(""), &json!([member]))
    );
    let version = shown["version"].as_i64().unwrap();

    // A field of the wrong type is refused before the handler, in the API's error shape.
    let (s, error) =
        api(&app, &social, reqwest::Method::PUT, &meeting, Some(json!({"held_on": 20, "version": version}))).await;
    assert_eq!((s, &error["error"]), (StatusCode::BAD_REQUEST, &json!("bad_request")), "{error}");
    // A change needs the version it was read at; absent fields are empty, so the day is then missing.
    let change = |v: i64| json!({"held_on": "2026-02-21", "agenda": "Ulotka", "minutes": "Poprawiono.", "attended": [member], "version": v});
    assert_eq!(
        api(&app, &social, reqwest::Method::PUT, &meeting, Some(change(version + 1))).await.0,
        StatusCode::CONFLICT
    );
    let (s, error) = api(&app, &social, reqwest::Method::PUT, &meeting, Some(json!({"version": version}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["fields"].as_array().unwrap().iter().any(|f| f["field"] == "held_on"), "{error}");
    assert_eq!(
        api(&app, &social, reqwest::Method::PUT, &meeting, Some(change(version))).await.0,
        StatusCode::NO_CONTENT
    );
    let (_, detail) = api(&app, &social, reqwest::Method::GET, &path, None).await;
    let shown = &detail["meetings"][0];
    assert_eq!(
        (&shown["held_on"], &shown["agenda"], &shown["minutes"]),
        (&json!("2026-02-21"), &json!("Ulotka"), &json!("Poprawiono."))
    );
    assert!(shown["version"].as_i64().unwrap() > version);
}
