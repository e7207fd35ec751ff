//! The support group's records over real HTTP: meetings planned on the page and kept apart for the two persons,
//! minutes that move the clock, bad dates refused beside the field with the typed text kept, need-to-know, the
//! chair's timeliness page and the dashboard's meetings ahead; the same over the API.

use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::procedures::{form_a, group_members, open_case, token};

/// A case opened by a police officer and staffed by the test group; returns its id and the chair's API token.
pub(crate) async fn staffed_case(app: &TestApp) -> (String, String) {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(app, &initiator, form_a()).await;
    let chair = token(app, "przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": group_members(app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (id, chair)
}

#[tokio::test]
async fn the_group_plans_meetings_on_the_page_apart_for_the_two_persons_and_writes_the_minutes() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    // A group member of another case: not found, as for a case that does not exist.
    let other_member = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let new_meeting = format!("/procedures/{id}/records/new/meeting");
    assert_eq!(app.get_with(&other_member, &new_meeting).await.status(), StatusCode::NOT_FOUND);

    let chair = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let page = app.get_with(&chair, &new_meeting).await;
    assert_eq!(page.status(), StatusCode::OK);
    let meeting = |at: &'static str, with: &'static str, place: &'static str| {
        vec![
            ("meeting.starts_at", at),
            ("meeting.with_whom", with),
            ("meeting.mode", "in_person"),
            ("meeting.place", place),
        ]
    };
    let r = app
        .post_form(
            &chair,
            &new_meeting,
            &new_meeting,
            &meeting("2026-11-25T10:00", "affected_person", "MOPS, pokój 12"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &chair,
            &new_meeting,
            &new_meeting,
            &meeting("2026-11-25T10:30", "suspected_person", "Sala konferencyjna 3"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Osobę doznającą przemocy i osobę stosującą przemoc zaprasza się na różne terminy"),
        "{html}"
    );
    assert!(html.contains("Sala konferencyjna 3"), "the typed place is kept");
    // An impossible date is refused beside its field, with the rest kept.
    let r = app
        .post_form(
            &chair,
            &new_meeting,
            &new_meeting,
            &meeting("31.02.2026 10:00", "suspected_person", "Sala konferencyjna 3"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("meeting-starts_at-error"), "{html}");
    assert!(html.contains("Sala konferencyjna 3"));
    let r = app
        .post_form(
            &chair,
            &new_meeting,
            &new_meeting,
            &meeting("2026-11-25T13:00", "suspected_person", "Sala konferencyjna 3"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The meetings ahead show on the dashboard.
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(home.contains("Najbliższe posiedzenia grup") && home.contains("2026-11-25 10:00"), "{home}");

    // Two days later the group writes the minutes of the first one (a new session: the old one has expired).
    app.clock.advance(SignedDuration::from_hours(50));
    let chair = app.login_as("zastepca.po.posiedzeniu", &[Role::DeputyChair]).await;
    let case_page = format!("/procedures/{id}");
    let html = app.get_with(&chair, &case_page).await.text().await.unwrap();
    // The first planned meeting's minutes link: its record id stands just before "/minutes".
    let end = html.find("/minutes\"").expect("a minutes link");
    let record = &html[end - 36..end];
    let minutes = format!("/procedures/{id}/records/{record}/minutes");
    let form = app.get_with(&chair, &minutes).await.text().await.unwrap();
    assert!(form.contains("2026-11-25T10:00"), "the planned time is offered");
    let record_version = crate::helpers::between(&form, "name=\"record_version\" value=\"", "\"");
    let version = crate::helpers::between(&form, "name=\"version\" value=\"", "\"");
    let r = app
        .post_form(
            &chair,
            &minutes,
            &minutes,
            &[
                ("record_version", record_version.as_str()),
                ("version", version.as_str()),
                ("minutes.held_at", "2026-11-25T10:00"),
                ("minutes.members_present", "pracownik socjalny, dzielnicowy"),
                ("minutes.affected_attended", "yes"),
                ("minutes.suspected_attended", "not_invited"),
                ("minutes.course", "Rozmowa z osobą doznającą przemocy; ustalono plan pomocy."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let html = app.get_with(&chair, &case_page).await.text().await.unwrap();
    assert!(html.contains("ustalono plan pomocy") && html.contains("odbyte"), "{html}");
    assert!(html.contains("w toku"), "the first meeting moved the case on");
}

#[tokio::test]
async fn the_initiator_and_others_cannot_reach_the_records_and_only_the_team_sees_timeliness() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    let initiator = app.login_as("druga.sluzba", &[Role::Initiator]).await;
    for path in [format!("/procedures/{id}/records/new/home_visit"), format!("/procedures/{id}/records/new/letter")] {
        assert_eq!(app.get_with(&initiator, &path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let member = app.login_as("czlonek.gdp", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&member, "/timeliness").await.status(), StatusCode::FORBIDDEN);
    let chair = app.login_as("przewodniczaca.strona", &[Role::Chair]).await;
    let html = app.get_with(&chair, "/timeliness").await.text().await.unwrap();
    assert!(html.contains("Terminowość procedur wszczętych w roku 2026"), "{html}");
    assert!(html.contains("Procedury wszczęte w tym roku: 1."), "{html}");
    let html = app.get_with(&chair, "/timeliness?year=20x6").await.text().await.unwrap();
    assert!(html.contains("Podaj rok czterema cyframi"), "{html}");
}

#[tokio::test]
async fn the_api_records_a_plan_item_refuses_a_stale_review_and_reports_timeliness() {
    let app = TestApp::spawn().await;
    let (id, chair) = staffed_case(&app).await;
    let c = reqwest::Client::new();
    let item = |status: &str| {
        json!({"kind": "plan_item", "answers": {
            "item.action": "Konsultacja prawna",
            "item.responsible": {"institution": "ngo"},
            "item.agreed_on": "2026-11-23",
            "item.status": status
        }})
    };
    let r = c
        .post(app.url(&format!("/api/v1/procedures/{id}/records")))
        .bearer_auth(&chair)
        .json(&item("planned"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let record = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let mut review = item("done");
    review["version"] = json!(1);
    let path = format!("/api/v1/procedures/{id}/records/{record}");
    assert_eq!(
        c.put(app.url(&path)).bearer_auth(&chair).json(&review).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let stale = c.put(app.url(&path)).bearer_auth(&chair).json(&review).send().await.unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let bad = c
        .post(app.url(&format!("/api/v1/procedures/{id}/records")))
        .bearer_auth(&chair)
        .json(&json!({"kind": "home_visit", "answers": {"visit.on": "2026-13-40"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let view: Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let records = view["records"].as_array().unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["answers"]["item.status"], "done");
    assert_eq!(view["group_basis"], "team_decision");

    app.clock.advance(SignedDuration::from_hours(24 * 10));
    let report: Value =
        c.get(app.url("/api/v1/timeliness?year=2026")).bearer_auth(&chair).send().await.unwrap().json().await.unwrap();
    assert_eq!(report["cases"], 1);
    let breach = report["breaches"].as_array().unwrap().iter().find(|b| b["rule_id"] == "reg23_first_group_meeting");
    assert!(breach.is_some(), "{report}");
    let initiator = token(&app, "inna.sluzba", &[Role::Initiator]).await;
    let r = c.get(app.url("/api/v1/timeliness")).bearer_auth(&initiator).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let openapi: Value = c.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/procedures/{id}/records/{record}/minutes"].is_object());
}

#[tokio::test]
async fn a_plan_items_owner_is_chosen_from_the_group_and_an_outsider_is_refused_with_the_typed_data_kept() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    let _ = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let (outsider_id, _) = app.store.account_by_login("inny.czlonek").await.unwrap();
    let chair = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let new_item = format!("/procedures/{id}/records/new/plan_item");
    let form = app.get_with(&chair, &new_item).await.text().await.unwrap();
    // The group's members now, by login and capacity, then the institutions; nobody outside the group.
    assert!(form.contains(&format!("value=\"member:{police_id}\">policjant.gdp: funkcjonariusz Policji<")), "{form}");
    assert!(form.contains("value=\"institution:police\">Policja (instytucja)<"), "{form}");
    assert!(!form.contains(&outsider_id.to_string()), "an account outside the group is not offered");

    let in_ten_days = app.store.now().checked_add(SignedDuration::from_hours(24 * 10)).unwrap();
    let due = in_ten_days.to_zoned(domain::calendar::poland_zone()).date().to_string();
    let item = |owner: String| {
        vec![
            ("item.action".to_owned(), "Terapia dla osoby stosującej przemoc, wtorki".to_owned()),
            ("item.responsible".to_owned(), owner),
            ("item.agreed_on".to_owned(), "2026-11-23".to_owned()),
            ("item.due_on".to_owned(), due.clone()),
            ("item.status".to_owned(), "planned".to_owned()),
        ]
    };
    let refused = item(format!("member:{outsider_id}"));
    let refused: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&chair, &new_item, &new_item, &refused).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"item-responsible-error\""), "the reason stands beside the owner: {html}");
    assert!(html.contains("nie jest obecnie członkiem grupy"), "{html}");
    assert!(html.contains("Terapia dla osoby stosującej przemoc, wtorki"), "the typed action is kept");
    assert!(html.contains(&due), "the typed due day is kept");

    let chosen = item(format!("member:{police_id}"));
    let chosen: Vec<(&str, &str)> = chosen.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&chair, &new_item, &new_item, &chosen).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(html.contains("policjant.gdp: funkcjonariusz Policji"), "the owner by name: {html}");
    assert!(!html.contains("member:"), "never the stored value");

    // On its due day the reminder reaches the owner, not the group's other member.
    app.clock.advance(SignedDuration::from_hours(24 * 10));
    app.store.escalate_deadlines().await.unwrap();
    let c = reqwest::Client::new();
    let reminded = |login: &'static str| {
        let c = c.clone();
        let app = &app;
        async move {
            let bearer = app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap();
            let list: Value = c
                .get(app.url("/api/v1/notifications"))
                .bearer_auth(&bearer)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            list.as_array().unwrap().iter().any(|n| n["rule_id"] == "plan_item_due")
        }
    };
    assert!(reminded("policjant.gdp").await, "the owner is reminded");
    assert!(!reminded("pracownik.socjalny").await, "a member who does not own the item is not");
}

#[tokio::test]
async fn the_api_takes_a_plan_items_owner_as_a_member_or_an_institution_and_reads_it_back_by_name() {
    let app = TestApp::spawn().await;
    let (id, chair) = staffed_case(&app).await;
    let _ = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let (outsider_id, _) = app.store.account_by_login("inny.czlonek").await.unwrap();
    let c = reqwest::Client::new();
    let post = |owner: Value| {
        let body = json!({"kind": "plan_item", "answers": {
            "item.action": "Konsultacja prawna",
            "item.responsible": owner,
            "item.agreed_on": "2026-11-23",
            "item.status": "planned"
        }});
        c.post(app.url(&format!("/api/v1/procedures/{id}/records"))).bearer_auth(&chair).json(&body).send()
    };
    assert_eq!(post(json!({"member": police_id.to_string()})).await.unwrap().status(), StatusCode::CREATED);
    assert_eq!(post(json!({"institution": "police"})).await.unwrap().status(), StatusCode::CREATED);
    for (owner, message) in [
        (json!({"member": outsider_id.to_string()}), "nie jest obecnie członkiem grupy"),
        (json!({"member": "nie-uuid"}), "Wybierz z listy"),
        (json!({"institution": "cyrk"}), "Wybierz z listy"),
        (json!({"member": police_id.to_string(), "institution": "police"}), "Wybierz z listy"),
        (json!("Punkt nieodpłatnej pomocy prawnej"), "wpis tekstem nie wskazuje"),
    ] {
        let r = post(owner.clone()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{owner}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["fields"][0]["field"], "item.responsible", "{owner}: {body}");
        assert!(body["fields"][0]["message"].as_str().unwrap().contains(message), "{owner}: {body}");
    }
    let view: Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let owners: Vec<&Value> =
        view["records"].as_array().unwrap().iter().map(|r| &r["answers"]["item.responsible"]).collect();
    assert_eq!(
        owners,
        [
            &json!({"member": police_id.to_string(), "name": "policjant.gdp: funkcjonariusz Policji"}),
            &json!({"institution": "police", "name": "Policja"})
        ]
    );
}
