use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub(crate) fn pesel(first_ten: &str) -> String {
    domain::person::pesel::complete(first_ten).unwrap()
}

pub(crate) fn form_a() -> Value {
    json!({
        "header.filled_at": "2026-11-23T08:30",
        "affected_persons[0].first_name": "Anna",
        "affected_persons[0].last_name": "Kowalska",
        "affected_persons[0].pesel": pesel("8503120840"),
        "suspected_persons[0].first_name": "Jan",
        "suspected_persons[0].last_name": "Kowalski",
        "suspected_persons[0].pesel": pesel("8301050571"),
        "violence.forms": "physical,psychological",
        "household.children_present": "false",
        "firearm.has_firearm": "no",
        "filled_by.category": "police",
        "filled_by.first_name": "Piotr",
        "filled_by.last_name": "Wiśniewski",
        "filled_by.institution": "Komenda Powiatowa Policji"
    })
}

/// Opens a case through the API with `answers` as the account behind `bearer`; returns its id.
pub(crate) async fn open_case(app: &TestApp, bearer: &str, answers: Value) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(bearer)
        .json(&json!({"answers": answers}))
        .send()
        .await
        .unwrap();
    match r.status() {
        StatusCode::CREATED => r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned(),
        // Anyone but the team's staff is told only that the form went to the team; their own case is in their list.
        StatusCode::ACCEPTED => {
            let list: Value = reqwest::Client::new()
                .get(app.url("/api/v1/procedures"))
                .bearer_auth(bearer)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            list[0]["id"].as_str().unwrap().to_owned()
        }
        other => panic!("form A answered {other}"),
    }
}

/// The group of the tests: `pracownik.socjalny` as the social worker, `policjant.gdp` as the police officer.
pub(crate) async fn group_members(app: &TestApp) -> Value {
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    json!([
        {"account_id": social_id.to_string(), "kind": "social_worker"},
        {"account_id": police_id.to_string(), "kind": "police_officer"}
    ])
}

pub(crate) async fn token(app: &TestApp, login: &str, roles: &[Role]) -> String {
    let _ = app.login_as(login, roles).await;
    app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap()
}

#[tokio::test]
async fn a_procedure_is_opened_staffed_and_worked_on_through_the_api_by_those_with_a_need_to_know() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let police = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let outsider = token(&app, "inny.czlonek", &[Role::GroupMember]).await;
    let c = reqwest::Client::new();

    let r = c
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(&initiator)
        .json(&json!({"answers": form_a()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let opened: Value = r.json().await.unwrap();
    assert_eq!(opened["outcome"], "forwarded", "the initiator is told the form went to the team");
    let list: Value =
        c.get(app.url("/api/v1/procedures")).bearer_auth(&initiator).send().await.unwrap().json().await.unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();

    // The same family again, from the staff: recognised, nothing stored.
    let r = c
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(&chair)
        .json(&json!({"answers": form_a()}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let known: Value = r.json().await.unwrap();
    assert_eq!(known["outcome"], "already_known");
    assert_eq!(known["procedures"][0]["id"], id.as_str());

    let path = format!("/api/v1/procedures/{id}");
    let outsider_view = c.get(app.url(&path)).bearer_auth(&outsider).send().await.unwrap();
    assert_eq!(outsider_view.status(), StatusCode::NOT_FOUND);

    let view: Value = c.get(app.url(&path)).bearer_auth(&chair).send().await.unwrap().json().await.unwrap();
    assert_eq!(view["phase"], "opened");
    assert_eq!(view["forms"][0]["answers"]["affected_persons[0].last_name"], "Kowalska");
    let group_clock =
        view["deadlines"].as_array().unwrap().iter().find(|d| d["rule_id"] == "act_group_appointed").unwrap();
    assert_eq!(group_clock["state"], "pending");
    assert_eq!(group_clock["responsible"], "team");
    assert!(group_clock["legal_basis"].as_str().unwrap().contains("9a"));

    let members = group_members(&app).await;
    let r = c
        .post(app.url(&format!("{path}/group")))
        .bearer_auth(&social)
        .json(&json!({"members": members, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a group member does not appoint groups");
    let r = c
        .post(app.url(&format!("{path}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": members, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let meeting = json!({"command": {"command": "record_group_meeting"}, "version": 2});
    let r = c.post(app.url(&format!("{path}/commands"))).bearer_auth(&police).json(&meeting).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = c.post(app.url(&format!("{path}/commands"))).bearer_auth(&social).json(&meeting).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "two members working from the same version: the second is told");

    let list: Value =
        c.get(app.url("/api/v1/procedures")).bearer_auth(&outsider).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);
    let list: Value =
        c.get(app.url("/api/v1/procedures")).bearer_auth(&social).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["phase"], "in_progress");
}

#[tokio::test]
async fn a_form_a_with_errors_is_answered_with_the_fields_at_fault_in_polish() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let mut answers = form_a();
    answers["suspected_persons[0].pesel"] = json!("83010505710");
    answers["header.filled_at"] = json!("31.02.2025 10:00");
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/procedures"))
        .bearer_auth(&initiator)
        .json(&json!({"answers": answers}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&"suspected_persons[0].pesel"), "{body}");
    assert!(fields.contains(&"header.filled_at"), "{body}");
}

#[tokio::test]
async fn roles_without_case_work_cannot_open_or_list_procedures() {
    let app = TestApp::spawn().await;
    for (login, role) in
        [("iod", Role::DataProtectionOfficer), ("admin.x", Role::SystemAdministrator), ("stat", Role::AggregateViewer)]
    {
        let t = token(&app, login, &[role]).await;
        let c = reqwest::Client::new();
        let r = c
            .post(app.url("/api/v1/procedures"))
            .bearer_auth(&t)
            .json(&json!({"answers": form_a()}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(
            c.get(app.url("/api/v1/procedures")).bearer_auth(&t).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
}

pub(crate) fn page_fields() -> Vec<(String, String)> {
    form_a().as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect()
}

#[tokio::test]
async fn an_initiator_fills_form_a_on_the_page_and_lands_on_the_procedure_with_its_deadlines() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let page = app.get_with(&initiator, "/procedures/new").await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Formularz „Niebieska Karta – A”") && html.contains("name=\"affected_persons[0].last_name\"")
    );
    // A required yes/no question can be answered "no" from the page (an unticked checkbox would send nothing); it is
    // on part VI, the sixth step.
    let html = app.get_with(&initiator, "/procedures/new?step=5").await.text().await.unwrap();
    assert!(html.contains("<select id=\"household-children_present\"") && html.contains("<option value=\"false\""));

    let fields = page_fields();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&initiator, "/procedures/new", "/procedures/new", &refs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Not the team's staff: told the form went to the team; the case is in their list.
    assert_eq!(crate::helpers::location(&r), "/procedures/forwarded");
    let html = app.get_with(&initiator, "/procedures/forwarded").await.text().await.unwrap();
    assert!(html.contains("Formularz przekazano zespołowi."), "{html}");
    let bearer = app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "t").await.unwrap();
    let list: Value = reqwest::Client::new()
        .get(app.url("/api/v1/procedures"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let target = format!("/procedures/{}", list[0]["id"].as_str().unwrap());
    let html = app.get_with(&initiator, &target).await.text().await.unwrap();
    assert!(html.contains("Procedura NK/2026/0001"), "{html}");
    assert!(html.contains("Wszczęcie procedury"));

    // The chair sees the deadlines with their legal basis; another group member does not even see the case.
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let html = app.get_with(&chair, &target).await.text().await.unwrap();
    assert!(html.contains("Terminy") && html.contains("art. 9a ust. 10a"), "{html}");
    assert!(html.contains("Kowalska"));
    let outsider = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&outsider, &target).await.status(), StatusCode::NOT_FOUND);
    assert!(!app.get_with(&outsider, "/procedures").await.text().await.unwrap().contains("NK/2026/0001"));
}

#[tokio::test]
async fn a_form_a_with_errors_comes_back_with_messages_beside_the_fields_and_everything_typed() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let mut fields = page_fields();
    for (k, v) in fields.iter_mut() {
        if k == "suspected_persons[0].pesel" {
            *v = "83010505710".into();
        }
    }
    fields.push(("violence.description".into(), "Krzyczał:\t„wynoś się” 😡".into()));
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&initiator, "/procedures/new", "/procedures/new", &refs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"suspected_persons-0-pesel-error\""), "error beside the field");
    assert!(html.contains("Cyfra kontrolna numeru PESEL się nie zgadza"));
    assert!(
        html.contains("value=\"83010505710\"") && html.contains("Wiśniewski") && html.contains("😡"),
        "typed data kept"
    );
    assert_eq!(
        app.store
            .list_procedures(
                &app.store.principal(app.store.account_by_login("dzielnicowy").await.unwrap().0).await.unwrap(),
                10,
                0
            )
            .await
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn adding_another_person_without_javascript_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let r = app
        .post_form(
            &initiator,
            "/procedures/new",
            "/procedures/new",
            &[("affected_persons[0].last_name", "Kowalska"), ("add", "affected_persons")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("name=\"affected_persons[1].last_name\"") && html.contains("value=\"Kowalska\""));
    assert!(!html.contains("class=\"error\""), "adding a slot does not validate yet");
}

#[tokio::test]
async fn the_chair_appoints_the_group_on_the_page_and_the_group_works_the_case_with_conflicts_explained() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(&app, &initiator, form_a()).await;
    let page = format!("/procedures/{id}");
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let social_key = format!("member.{social_id}");
    let police_key = format!("member.{police_id}");

    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("Powołanie grupy diagnostyczno-pomocowej") && html.contains("pracownik.socjalny"));
    let r = app
        .post_form(
            &chair,
            &page,
            &format!("{page}/group"),
            &[("version", "1"), ("basis", "team_decision"), (&social_key, "social_worker")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("musi obejmować funkcjonariusza Policji"));
    let r = app
        .post_form(
            &chair,
            &page,
            &format!("{page}/group"),
            &[
                ("version", "1"),
                ("basis", "chair_under_delegation"),
                (&social_key, "social_worker"),
                (&police_key, "police_officer"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The social worker now sees the case and its steps; two tabs read at version 2.
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains("Odnotuj posiedzenie grupy"), "{html}");
    let csrf = crate::helpers::csrf_of(&html);
    let step = |version: &'static str| {
        vec![("csrf", csrf.clone()), ("version", version.to_owned()), ("command", "record_group_meeting".to_owned())]
    };
    let first = social.post(app.url(&format!("{page}/command"))).form(&step("2")).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = social.post(app.url(&format!("{page}/command"))).form(&step("2")).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    assert!(second.text().await.unwrap().contains("Ktoś inny zmienił tę procedurę"));

    // The one-click close is gone: the step leads to the closing page, which asks for the record.
    let close = social
        .post(app.url(&format!("{page}/command")))
        .form(&[("csrf", csrf.as_str()), ("version", "3"), ("command", "close"), ("reason", "no_grounds")])
        .send()
        .await
        .unwrap();
    assert_eq!(close.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&close), format!("{page}/close"));
    let close = social
        .post(app.url(&format!("{page}/close")))
        .form(&[("csrf", csrf.as_str()), ("version", "3"), ("reason", ""), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(close.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(close.text().await.unwrap().contains("Wybierz przyczynę zakończenia"));
    let close = social
        .post(app.url(&format!("{page}/close")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "3"),
            ("reason", "no_grounds"),
            ("justification", "Zdarzenie nie było przemocą domową."),
            ("confirm", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(close.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&social, &page).await.text().await.unwrap();
    assert!(html.contains("zakończona, monitorowanie") && html.contains("Początek monitorowania"));
}

#[tokio::test]
async fn the_chairs_dashboard_puts_the_overdue_group_appointment_first() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    open_case(&app, &initiator, form_a()).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let html = app.get_with(&chair, "/").await.text().await.unwrap();
    // Counts first, then the day's work: the group's appointment falls due within the week.
    assert!(html.contains("data-testid=\"count-week\">2<") && html.contains("NK/2026/0001"), "{html}");
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 6));
    let chair = app.login_as("przewodniczaca2", &[Role::Chair]).await;
    let html = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(html.contains("class=\"deadline-overdue\"") && html.contains("PRZEKROCZONY"), "{html}");
    // The administrator has no cases and no such counts.
    let (admin, _) = app.admin().await;
    assert!(!app.get_with(&admin, "/").await.text().await.unwrap().contains("data-testid=\"day-counts\""));
}

#[tokio::test]
async fn the_group_fills_form_c_with_a_support_plan_in_the_case_and_the_initiator_cannot() {
    let app = TestApp::spawn().await;
    let initiator_token = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let c = reqwest::Client::new();
    let id = open_case(&app, &initiator_token, form_a()).await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social_token = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let members = group_members(&app).await;
    let api = format!("/api/v1/procedures/{id}");
    c.post(app.url(&format!("{api}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": members, "version": 1}))
        .send()
        .await
        .unwrap();
    c.post(app.url(&format!("{api}/commands")))
        .bearer_auth(&social_token)
        .json(&json!({"command": {"command": "record_group_meeting"}, "version": 2}))
        .send()
        .await
        .unwrap();

    let social = app.login_as("pracownik.socjalny2", &[Role::GroupMember]).await;
    assert_eq!(
        app.get_with(&social, &format!("/procedures/{id}/forms/c")).await.status(),
        StatusCode::NOT_FOUND,
        "not in this group"
    );
    let social = crate::helpers::client();
    // The group member who is in the group logs in through the pages.
    let member = app.store.account_by_login("pracownik.socjalny").await.unwrap().0;
    let token = app.store.reset_second_factor(&store::Actor::operator(), member, None).await.unwrap();
    app.activate_and_enrol(&social, &format!("/activate/{token}")).await;
    let form_page = format!("/procedures/{id}/forms/c");
    let html = app.get_with(&social, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(html.contains(&form_page), "the case page links form C");
    let html = app.get_with(&social, &form_page).await.text().await.unwrap();
    assert!(html.contains("Niebieska Karta – C") && html.contains("name=\"version\" value=\"3\""), "{html}");

    let r = app
        .post_form(
            &social,
            &form_page,
            &form_page,
            &[("version", "3"), ("support_plan[0].action", "Konsultacja prawna w OIK")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    // The form opens on its first part with an error; the summary reaches the plan's field on its part, and what was
    // typed travels with the page.
    assert!(
        html.contains(&format!("formaction=\"{form_page}#support_plan-0-institution\""))
            && html.contains("Konsultacja prawna w OIK"),
        "{html}"
    );
    let r = app
        .post_form(
            &social,
            &form_page,
            &form_page,
            &[
                ("version", "3"),
                ("header.date", "2026-11-23"),
                ("support_plan[0].action", "Konsultacja prawna w OIK"),
                ("support_plan[0].institution", "social_welfare"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let view: Value = c.get(app.url(&api)).bearer_auth(&chair).send().await.unwrap().json().await.unwrap();
    let form_c = view["forms"].as_array().unwrap().iter().find(|f| f["kind"] == "C").expect("form C stored");
    assert_eq!(form_c["answers"]["support_plan[0].action"], "Konsultacja prawna w OIK");
    assert!(view["timeline"].as_array().unwrap().iter().any(|e| e[1] == "form_c_recorded"));

    let initiator = app.login_as("dzielnicowy2", &[Role::Initiator]).await;
    assert_eq!(app.get_with(&initiator, &form_page).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_second_service_attaches_its_form_a_to_the_familys_running_case_and_nowhere_else() {
    let app = TestApp::spawn().await;
    let first = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let c = reqwest::Client::new();
    let id = open_case(&app, &first, form_a()).await;
    // An unrelated family's case.
    let mut other = form_a();
    other["affected_persons[0].pesel"] = json!(pesel("7001011230"));
    other["suspected_persons[0].pesel"] = json!(pesel("6801011230"));
    let other_id = open_case(&app, &first, other).await;

    let teacher = app.login_as("nauczycielka", &[Role::Initiator]).await;
    let fields = page_fields();
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    // She is not the team's staff: she learns nothing of the family's case, only that the form went to the team.
    let r = app.post_form(&teacher, "/procedures/new", "/procedures/new", &refs).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&r), "/procedures/forwarded");
    // Naming a case to attach to is the staff's alone: refused as for a case that does not exist.
    let mut attach = refs.clone();
    attach.push(("attach_to", id.as_str()));
    assert_eq!(
        app.post_form(&teacher, "/procedures/new", "/procedures/new", &attach).await.status(),
        StatusCode::NOT_FOUND
    );

    // The staff see the form with the case it matched and attach it there (not to an unrelated case).
    let staff = app.login_as("sekretarz", &[Role::Secretary]).await;
    let html = app.get_with(&staff, "/procedures/intakes").await.text().await.unwrap();
    assert!(html.contains("nauczycielka") && html.contains("NK/2026/0001"), "{html}");
    assert!(html.contains("Kowalska"), "the staff read the form before deciding: {html}");
    assert!(!html.contains("NK/2026/0002"), "the unrelated case is not offered");
    let intake = crate::helpers::between(&html, "action=\"/procedures/intakes/", "\"");
    let action = format!("/procedures/intakes/{intake}");
    let r = app.post_form(&staff, "/procedures/intakes", &action, &[("attach_to", other_id.as_str())]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.post_form(&staff, "/procedures/intakes", &action, &[("attach_to", id.as_str())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(crate::helpers::location(&r), format!("/procedures/{id}"));
    let html = app.get_with(&staff, "/procedures/intakes").await.text().await.unwrap();
    assert!(html.contains("Nie ma formularzy do rozpatrzenia."), "{html}");

    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let view: Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["forms"].as_array().unwrap().len(), 2);
    assert!(view["timeline"].as_array().unwrap().iter().any(|e| e[1] == "further_incident_attached"));
    // Having filed a form in the case, she sees it in her list (its status and her own form, not the others').
    let teacher_cases: Value = c
        .get(app.url("/api/v1/procedures"))
        .bearer_auth(app.store.issue_api_token(&store::Actor::operator(), "nauczycielka", "t").await.unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(teacher_cases.as_array().unwrap().len(), 1);
    let teacher_token = app.store.issue_api_token(&store::Actor::operator(), "nauczycielka", "t2").await.unwrap();
    let her_view: Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&teacher_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(her_view["forms"].as_array().unwrap().len(), 1, "only her own form");
    assert_eq!(her_view["phase"], "opened");
    let view: Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(view["who_can_see"].as_array().unwrap().iter().any(|l| l == "nauczycielka"), "{}", view["who_can_see"]);
}
