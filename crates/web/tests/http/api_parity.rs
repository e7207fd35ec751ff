//! Issue 15, items 4–6 over HTTP: forms A, C and D through the API with their content, the bare document steps
//! refused on the page and the API, the group changed by the team with access following, the conditional members,
//! a 2011 case brought in from paper (API and page) and continued on the 2011 forms, and archiving a directory entry.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, csrf_of, location};
use crate::procedures::{form_a, group_members, open_case, token};

async fn call(
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

async fn post(app: &TestApp, bearer: &str, path: &str, body: Value) -> (StatusCode, Value) {
    call(app, bearer, reqwest::Method::POST, path, Some(body)).await
}

/// A case opened by the initiator, its group (social worker, police officer) appointed by the chair, the group's
/// first meeting recorded: at version 3. Returns (id, chair token, social worker token, police token).
async fn running_case(app: &TestApp, answers: Value) -> (String, String, String, String) {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let chair = token(app, "przewodniczaca", &[Role::Chair]).await;
    let social = token(app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let police = token(app, "policjant.gdp", &[Role::GroupMember]).await;
    let id = open_case(app, &initiator, answers).await;
    let api = format!("/api/v1/procedures/{id}");
    let (s, v) =
        post(app, &chair, &format!("{api}/group"), json!({"members": group_members(app).await, "version": 1})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    app.clock.advance(jiff::SignedDuration::from_hours(24));
    let meeting = json!({"command": {"command": "record_group_meeting"}, "version": 2});
    let (s, v) = post(app, &social, &format!("{api}/commands"), meeting).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (id, chair, social, police)
}

fn field_codes(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .map_or_else(Vec::new, |f| f.iter().map(|e| e["code"].as_str().unwrap().to_owned()).collect())
}

#[tokio::test]
async fn forms_c_d_and_a_go_through_the_api_with_their_content_and_the_bare_steps_are_refused_everywhere() {
    let app = TestApp::spawn().await;
    let (id, chair, social, _police) = running_case(&app, form_a()).await;
    let api = format!("/api/v1/procedures/{id}");

    // The bare steps: refused on the API, naming the form route, nothing recorded.
    for (command, route) in [
        ("record_form_c", "forms/c"),
        ("record_form_d", "forms/d"),
        ("attach_further_incident", "forms/a"),
        ("reopen_from_monitoring", "forms/a"),
        ("transfer_out", "/transfer"),
    ] {
        let (s, v) =
            post(&app, &chair, &format!("{api}/commands"), json!({"command": {"command": command}, "version": 3}))
                .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{command}: {v}");
        let message = v["fields"][0]["message"].as_str().unwrap();
        assert!(message.contains(route), "{command}: {message}");
    }
    // And on the page.
    let page = format!("/procedures/{id}");
    let chair_page = app.login_as("przewodniczaca.strona", &[Role::Chair]).await;
    let r = app
        .post_form(&chair_page, &page, &format!("{page}/command"), &[("version", "3"), ("command", "record_form_c")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("odnotowuje się razem z jego treścią"));

    // Form C through the API: malformed body, refused role, field errors in Polish, then stored.
    let r = reqwest::Client::new()
        .post(app.url(&format!("{api}/forms/c")))
        .bearer_auth(&social)
        .header("content-type", "application/json")
        .body("{\"answers\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // The filer of form A reaches the case as its initiator: their forms A and the status, no form C.
    let initiator = app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "again").await.unwrap();
    let form_c = json!({"header.date": "2026-11-24", "affected_person.first_name": "Anna", "affected_person.last_name": "Kowalska",
        "support_plan[0].action": "Konsultacja prawna w OIK", "support_plan[0].institution": "social_welfare"});
    let (s, _) = post(&app, &initiator, &format!("{api}/forms/c"), json!({"answers": form_c, "version": 3})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an initiator adds no form C");
    let (s, _) = post(&app, &social, &format!("{api}/forms/x"), json!({"answers": form_c, "version": 3})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = post(
        &app,
        &social,
        &format!("{api}/forms/c"),
        json!({"answers": {"header.date": "2026-02-31", "support_plan[0].action": "Terapia"}, "version": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&str> = v["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"header.date") && fields.contains(&"support_plan[0].institution"), "{v}");
    assert!(v["fields"][0]["message"].as_str().unwrap().chars().any(|c| "ąćęłńóśźż".contains(c)), "Polish: {v}");
    let (s, v) =
        post(&app, &social, &format!("{api}/forms/c"), json!({"answers": {"header.date": "2026-12-30"}, "version": 3}))
            .await;
    assert_eq!((s, field_codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-date-in-future".to_owned()]));
    let (s, v) = post(&app, &social, &format!("{api}/forms/c"), json!({"answers": form_c, "version": 3})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let form = v["forms"].as_array().unwrap().iter().find(|f| f["kind"] == "C").expect("form C stored");
    assert_eq!(form["answers"]["support_plan[0].action"], "Konsultacja prawna w OIK");
    let (s, _) = post(&app, &social, &format!("{api}/forms/c"), json!({"answers": form_c, "version": 3})).await;
    assert_eq!(s, StatusCode::CONFLICT, "a stale version");

    let form_d = json!({"header.date": "2026-11-24", "suspected_person.first_name": "Jan",
        "suspected_person.last_name": "Kowalski"});
    let (s, v) = post(&app, &social, &format!("{api}/forms/D"), json!({"answers": form_d, "version": 4})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A further form A about the same family, by the team.
    let mut further = form_a();
    further["header.filled_at"] = json!("2026-11-24T09:00");
    let (s, v) = post(&app, &chair, &format!("{api}/forms/a"), json!({"answers": further, "version": 5})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let timeline: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e[1].as_str().unwrap()).collect();
    for kind in ["form_c_recorded", "form_d_recorded", "further_incident_attached"] {
        assert!(timeline.contains(&kind), "{kind}: {timeline:?}");
    }
    let kinds: Vec<&str> = v["forms"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "A").count(), 2, "{kinds:?}");

    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/procedures/{id}/forms/{kind}",
        "/api/v1/procedures/{id}/group/candidates",
        "/api/v1/procedures/{id}/group/extend",
        "/api/v1/procedures/{id}/group/replace",
        "/api/v1/procedures/{id}/group/coordinator",
        "/api/v1/directory/{id}/archive",
    ] {
        assert!(openapi["paths"][path]["post"].is_object() || openapi["paths"][path]["get"].is_object(), "{path}");
    }
    assert!(openapi["paths"]["/api/v1/procedures/{id}/group"]["get"].is_object());
}

#[tokio::test]
async fn the_team_changes_the_group_through_the_api_and_a_replaced_member_gets_404() {
    let app = TestApp::spawn().await;
    let (id, chair, social, police) = running_case(&app, form_a()).await;
    let api = format!("/api/v1/procedures/{id}");
    let psychologist = token(&app, "psycholog", &[Role::GroupMember]).await;
    let second_police = token(&app, "policjant.drugi", &[Role::GroupMember]).await;

    // The candidates: the team only.
    let (s, _) = call(&app, &social, reqwest::Method::GET, &format!("{api}/group/candidates"), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, candidates) = call(&app, &chair, reqwest::Method::GET, &format!("{api}/group/candidates"), None).await;
    assert_eq!(s, StatusCode::OK);
    let by_login = |login: &str| {
        candidates.as_array().unwrap().iter().find(|c| c["login"] == login).unwrap_or_else(|| panic!("{login}")).clone()
    };
    assert_eq!(by_login("pracownik.socjalny")["in_group_as"], "social_worker");
    assert!(by_login("psycholog")["in_group_as"].is_null());
    let psychologist_id = by_login("psycholog")["account_id"].as_str().unwrap().to_owned();
    let police_id = by_login("policjant.gdp")["account_id"].as_str().unwrap().to_owned();
    let second_police_id = by_login("policjant.drugi")["account_id"].as_str().unwrap().to_owned();

    // Extension: malformed, refused role, Polish field errors, then done.
    let r = reqwest::Client::new()
        .post(app.url(&format!("{api}/group/extend")))
        .bearer_auth(&chair)
        .header("content-type", "application/json")
        .body("{\"members\": 7}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let extension = json!({"members": [{"account_id": psychologist_id, "kind": "psychologist"}], "version": 3});
    let (s, _) = post(&app, &social, &format!("{api}/group/extend"), extension.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a group member does not change the group");
    let (s, v) = post(
        &app,
        &chair,
        &format!("{api}/group/extend"),
        json!({"members": [{"account_id": psychologist_id, "kind": "wizard"}], "version": 3}),
    )
    .await;
    assert_eq!(
        (s, field_codes(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-group-member-kind-unknown".to_owned()])
    );
    assert!(v["fields"][0]["message"].as_str().unwrap().contains("Wybierz"), "{v}");
    assert_eq!(call(&app, &psychologist, reqwest::Method::GET, &api, None).await.0, StatusCode::NOT_FOUND);
    let (s, v) = post(&app, &chair, &format!("{api}/group/extend"), extension).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(call(&app, &psychologist, reqwest::Method::GET, &api, None).await.0, StatusCode::OK);

    // Replacement: the police officer who left gets 404 at once, the new one reads the case.
    let (s, v) = post(
        &app,
        &chair,
        &format!("{api}/group/replace"),
        json!({"left": police_id, "joined": second_police_id, "kind": "teacher", "version": 4}),
    )
    .await;
    assert_eq!(
        (s, field_codes(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-group-needs-police-officer".to_owned()])
    );
    let (s, v) = post(
        &app,
        &chair,
        &format!("{api}/group/replace"),
        json!({"left": police_id, "joined": second_police_id, "version": 4}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(call(&app, &police, reqwest::Method::GET, &api, None).await.0, StatusCode::NOT_FOUND);
    let (_, list) = call(&app, &police, reqwest::Method::GET, "/api/v1/procedures", None).await;
    assert_eq!(list.as_array().unwrap().len(), 0);
    assert_eq!(call(&app, &second_police, reqwest::Method::GET, &api, None).await.0, StatusCode::OK);

    let (s, v) =
        post(&app, &chair, &format!("{api}/group/coordinator"), json!({"account_id": police_id, "version": 5})).await;
    assert_eq!(
        (s, field_codes(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-group-member-not-in-group".to_owned()])
    );
    let (s, v) =
        post(&app, &chair, &format!("{api}/group/coordinator"), json!({"account_id": second_police_id, "version": 5}))
            .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let timeline: Vec<&str> = v["timeline"].as_array().unwrap().iter().map(|e| e[1].as_str().unwrap()).collect();
    for kind in ["group_extended", "group_member_replaced", "group_coordinator_named"] {
        assert!(timeline.contains(&kind), "{kind}: {timeline:?}");
    }
    let (s, members) = call(&app, &social, reqwest::Method::GET, &format!("{api}/group"), None).await;
    assert_eq!(s, StatusCode::OK);
    let member = |login: &str| members.as_array().unwrap().iter().find(|m| m["login"] == login).unwrap().clone();
    assert!(member("policjant.gdp")["left_at"].is_string());
    assert_eq!(member("psycholog")["by_extension"], true);
    assert_eq!(member("policjant.drugi")["coordinator"], true);

    // The page shows the group as it was and is; the replaced member's page is a 404.
    let chair_page = app.login_as("przewodniczaca.strona", &[Role::Chair]).await;
    let html = app.get_with(&chair_page, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(html.contains("Skład grupy diagnostyczno-pomocowej") && html.contains("opuścił(a) grupę"), "{html}");
    assert!(html.contains("Zastąp członka grupy") && html.contains("Rozszerz skład grupy"));
    assert!(html.contains("Rozszerzenie składu grupy diagnostyczno-pomocowej"), "on the timeline");
}

#[tokio::test]
async fn the_page_replaces_a_member_and_the_one_who_left_gets_404_on_the_case() {
    let app = TestApp::spawn().await;
    let (id, _chair, _social, _police) = running_case(&app, form_a()).await;
    let page = format!("/procedures/{id}");
    let police_page = app.login_as("policjant.strona", &[Role::GroupMember]).await;
    let _ = police_page;
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let (newcomer_id, _) = {
        let _ = app.login_as("policjant.nowy", &[Role::GroupMember]).await;
        app.store.account_by_login("policjant.nowy").await.unwrap()
    };
    let chair = app.login_as("przewodniczaca.strona", &[Role::Chair]).await;
    let r = app
        .post_form(
            &chair,
            &page,
            &format!("{page}/group/replace"),
            &[("version", "3"), ("left", &police_id.to_string()), ("joined", ""), ("kind", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"group-replace-error\"") && html.contains("Wybierz członków grupy"), "beside the form");
    assert!(
        html.contains(&format!("<option value=\"{police_id}\" selected>")),
        "the member chosen to leave stays chosen"
    );
    let r = app
        .post_form(
            &chair,
            &page,
            &format!("{page}/group/replace"),
            &[("version", "3"), ("left", &police_id.to_string()), ("joined", &newcomer_id.to_string()), ("kind", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), page);
    // The police officer who left, now through the pages: 404, as for a case that does not exist.
    let member = app.store.account_by_login("policjant.gdp").await.unwrap().0;
    let token = app.store.reset_second_factor(&store::Actor::operator(), member, None).await.unwrap();
    let police = crate::helpers::client();
    app.activate_and_enrol(&police, &format!("/activate/{token}")).await;
    assert_eq!(app.get_with(&police, &page).await.status(), StatusCode::NOT_FOUND);
    // Without the CSRF token nothing changes.
    let r = chair
        .post(app.url(&format!("{page}/group/coordinator")))
        .form(&[("csrf", "nope"), ("version", "4"), ("account", &newcomer_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_soldier_using_violence_needs_a_military_police_soldier_in_the_group() {
    let app = TestApp::spawn().await;
    let mut answers = form_a();
    answers["suspected_persons[0].is_soldier"] = json!("true");
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let _ = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let _ = token(&app, "zandarm", &[Role::GroupMember]).await;
    let id = open_case(&app, &initiator, answers).await;
    let api = format!("/api/v1/procedures/{id}");
    let (s, v) =
        post(&app, &chair, &format!("{api}/group"), json!({"members": group_members(&app).await, "version": 1})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["fields"][0]["message"].as_str().unwrap().contains("Żandarmerii Wojskowej"), "{v}");
    let (mp, _) = app.store.account_by_login("zandarm").await.unwrap();
    let mut members = group_members(&app).await;
    members.as_array_mut().unwrap().push(json!({"account_id": mp.to_string(), "kind": "military_police"}));
    let (s, v) = post(&app, &chair, &format!("{api}/group"), json!({"members": members, "version": 1})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

fn form_a_2011(day: &str) -> Value {
    json!({
        "header.place": "Tomaszów Mazowiecki",
        "header.date": day,
        "header.institution": "Miejski Ośrodek Pomocy Społecznej",
        "affected_person.first_name": "Zofia",
        "affected_person.last_name": "Wiśniewska",
        "suspected_person.first_name": "Adam",
        "suspected_person.last_name": "Wiśniewski"
    })
}

#[tokio::test]
async fn a_running_2011_case_is_brought_in_from_paper_and_continues_on_the_2011_forms_c_and_d() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let (s, v) =
        post(&app, &chair, "/api/v1/procedures", json!({"answers": form_a_2011("2023-05-10"), "form_version": "2011"}))
            .await;
    assert_eq!((s, field_codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-form-2011-paper-only".to_owned()]));
    let (s, _) = post(
        &app,
        &initiator,
        "/api/v1/procedures",
        json!({"answers": form_a_2011("2023-05-10"), "form_version": "2011", "from_paper": true}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only the team's staff type in from paper");
    let (s, v) = post(
        &app,
        &chair,
        "/api/v1/procedures",
        json!({"answers": form_a_2011("2024-02-01"), "form_version": "2011", "from_paper": true}),
    )
    .await;
    assert_eq!(
        (s, field_codes(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-form-2011-date-out-of-range".to_owned()])
    );
    assert_eq!(v["fields"][0]["field"], "header.date");
    let (s, v) = post(
        &app,
        &chair,
        "/api/v1/procedures",
        json!({"answers": form_a_2011("2023-05-10"), "form_version": "2099", "from_paper": true}),
    )
    .await;
    assert_eq!((s, field_codes(&v)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["err-form-version-unknown".to_owned()]));
    let (s, v) = post(
        &app,
        &chair,
        "/api/v1/procedures",
        json!({"answers": form_a_2011("2023-05-10"), "form_version": "2011", "from_paper": true}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["number"], "NK/2023/0001");
    let id = v["id"].as_str().unwrap().to_owned();
    let api = format!("/api/v1/procedures/{id}");
    let (s, v) =
        post(&app, &chair, &format!("{api}/group"), json!({"members": group_members(&app).await, "version": 1})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = post(
        &app,
        &social,
        &format!("{api}/commands"),
        json!({"command": {"command": "record_group_meeting"}, "version": 2}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // The case's forms are the 2011 ones: a 2023-only field is unknown here.
    let (s, v) = post(
        &app,
        &social,
        &format!("{api}/forms/c"),
        json!({"answers": {"header.date": "2026-11-23", "affected_person.pesel": "85031208405"}, "version": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, v) = post(
        &app,
        &social,
        &format!("{api}/forms/c"),
        json!({"answers": {"header.date": "2026-11-23",
        "affected_person.first_name": "Zofia", "affected_person.last_name": "Wiśniewska"}, "version": 3}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, v) = post(
        &app,
        &social,
        &format!("{api}/forms/d"),
        json!({"answers": {"header.date": "2026-11-23",
        "suspected_person.first_name": "Adam", "suspected_person.last_name": "Wiśniewski"}, "version": 4}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let versions: Vec<(String, String)> = v["forms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["kind"].as_str().unwrap().to_owned(), f["version"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(versions, [("A".into(), "2011".into()), ("C".into(), "2011".into()), ("D".into(), "2011".into())]);

    // The page: the staff's form A links the 2011 one; a date out of its years comes back beside the field, typed
    // data kept; a good one opens the case.
    let page = app.login_as("sekretarz", &[Role::Secretary]).await;
    let html = app.get_with(&page, "/procedures/new").await.text().await.unwrap();
    assert!(html.contains("href=\"/procedures/new-2011\""));
    let initiator_page = app.login_as("dzielnicowy.strona", &[Role::Initiator]).await;
    assert_eq!(app.get_with(&initiator_page, "/procedures/new-2011").await.status(), StatusCode::FORBIDDEN);
    let html = app.get_with(&page, "/procedures/new-2011").await.text().await.unwrap();
    assert!(html.contains("wzoru z 2011"), "{html}");
    let csrf = csrf_of(&html);
    let mut fields: Vec<(String, String)> = form_a_2011("2024-02-01")
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    fields.push(("csrf".into(), csrf.clone()));
    fields.iter_mut().filter(|(k, _)| k == "affected_person.last_name").for_each(|(_, v)| *v = "Malinowska".into());
    let r = page.post(app.url("/procedures/new-2011")).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"header-date-error\"") && html.contains("27 września 2023"), "{html}");
    assert!(html.contains("value=\"Malinowska\""), "typed data kept");
    fields.iter_mut().filter(|(k, _)| k == "header.date").for_each(|(_, v)| *v = "2022-12-01".into());
    let r = page.post(app.url("/procedures/new-2011")).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case = location(&r);
    let html = app.get_with(&page, &case).await.text().await.unwrap();
    assert!(html.contains("NK/2022/0001") && html.contains("(2011)"), "{html}");
}

#[tokio::test]
async fn a_directory_entry_is_archived_through_the_api() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let member = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let (s, v) = post(
        &app,
        &chair,
        "/api/v1/directory",
        json!({"name": "Punkt Interwencji Kryzysowej",
        "help_kinds": ["psychological"], "is_public": true, "last_checked_on": "2026-11-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let entry = v["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/directory/{entry}/archive");
    assert_eq!(post(&app, &member, &path, json!({"version": 1})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&app, &chair, &path, json!({"version": 9})).await.0, StatusCode::CONFLICT);
    assert_eq!(post(&app, &chair, &path, json!({"version": "one"})).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        post(&app, &chair, "/api/v1/directory/nope/archive", json!({"version": 1})).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(post(&app, &chair, &path, json!({"version": 1})).await.0, StatusCode::NO_CONTENT);
    let (_, list) = call(&app, &chair, reqwest::Method::GET, "/api/v1/directory", None).await;
    let row = list.as_array().unwrap().iter().find(|e| e["id"] == entry.as_str()).unwrap().clone();
    assert_eq!((row["archived"].as_bool(), row["version"].as_i64()), (Some(true), Some(2)));
    let public = reqwest::Client::new().get(app.url(&format!("/pomoc/{}", app.teryt))).send().await.unwrap();
    assert!(!public.text().await.unwrap().contains("Punkt Interwencji Kryzysowej"), "off the public page");
    assert_eq!(post(&app, &chair, &path, json!({"archived": false, "version": 2})).await.0, StatusCode::NO_CONTENT);
}
