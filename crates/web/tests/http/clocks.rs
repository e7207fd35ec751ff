//! The safety clocks over real HTTP (issue 15, items 2 and 7): `/timeliness` lists unconfirmed readings apart from
//! the breaches, the chair's settings page (bad input beside the field, typed value kept; only the chair saves), and
//! the record of a child's placement with its 24-hour clock (a date in the future refused beside the field).

use domain::clock::Clock;
use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::case_records::staffed_case;
use crate::helpers::TestApp;

/// A Warsaw wall-clock time `hours` from the test clock's now, as a form posts it.
fn local(app: &TestApp, hours: i64) -> String {
    let at = app.clock.now().checked_add(SignedDuration::from_hours(hours)).unwrap();
    at.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

async fn timeliness(app: &TestApp, bearer: &str) -> Value {
    let r =
        reqwest::Client::new().get(app.url("/api/v1/timeliness?year=2026")).bearer_auth(bearer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

fn rules_of(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|b| b["rule_id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn timeliness_shows_unconfirmed_readings_apart_until_the_chair_counts_them() {
    let app = TestApp::spawn().await;
    let (id, chair_token) = staffed_case(&app).await;
    // The first meeting starts the notice to the absent suspected person (3 working days, an unconfirmed reading).
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/commands")))
        .bearer_auth(&chair_token)
        .json(&json!({"command": {"command": "record_group_meeting"}, "version": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    app.clock.advance(SignedDuration::from_hours(24 * 10));
    let report = timeliness(&app, &chair_token).await;
    assert!(!rules_of(&report["breaches"]).contains(&"reg23_notify_absent_suspect".to_owned()), "{report}");
    assert_eq!(rules_of(&report["unconfirmed"]), vec!["reg23_notify_absent_suspect".to_owned()]);

    let chair = app.login_as("przewodniczaca.zegary", &[Role::Chair]).await;
    let html = app.get_with(&chair, "/timeliness").await.text().await.unwrap();
    assert!(html.contains("Odczyty niepotwierdzone"), "{html}");
    assert!(html.contains("Po terminie według odczytu niepotwierdzonego: 1"), "{html}");
    assert!(html.contains("odczyt niepotwierdzony"), "the rule's line is marked");
    // The case page does not paint it overdue: it says what it is.
    let case = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(case.contains("nie jest liczony jako przekroczenie"), "{case}");
    assert!(case.contains("deadline-unconfirmed"));
    // Nor does the dashboard: the case's line is marked as an unconfirmed reading, never "PRZEKROCZONY".
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(home.contains("deadline-unconfirmed") && !home.contains("PRZEKROCZONY"), "{home}");

    // The deputy sees the settings but cannot change them; a group member does not reach them.
    let deputy = app.login_as("zastepca.zegary", &[Role::DeputyChair]).await;
    let page = app.get_with(&deputy, "/timeliness/settings").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Ustawienia zmienia przewodniczący zespołu."));
    let r = app.post_form(&deputy, "/timeliness", "/timeliness/settings", &[("monitoring_check_months", "2")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let member = app.login_as("czlonek.zegary", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&member, "/timeliness/settings").await.status(), StatusCode::FORBIDDEN);

    // A number typed in words is refused beside the field, what was typed kept.
    let settings = "/timeliness/settings";
    let r = app
        .post_form(&chair, settings, settings, &[("escalate_unconfirmed", "on"), ("monitoring_check_months", "dwa")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("monitoring_check_months-error") && html.contains("Wpisz liczbę miesięcy cyframi"), "{html}");
    assert!(html.contains("value=\"dwa\""), "{html}");
    let r = app.post_form(&chair, settings, settings, &[("monitoring_check_months", "10")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Podaj od 1 do 9 miesięcy"));
    let report = timeliness(&app, &chair_token).await;
    assert!(report["breaches"].as_array().unwrap().iter().all(|b| b["rule_id"] != "reg23_notify_absent_suspect"));

    let r = app
        .post_form(&chair, settings, settings, &[("escalate_unconfirmed", "on"), ("monitoring_check_months", "2")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, settings).await.text().await.unwrap();
    assert!(html.contains("value=\"2\"") && html.contains(" checked"), "{html}");
    let report = timeliness(&app, &chair_token).await;
    assert!(rules_of(&report["breaches"]).contains(&"reg23_notify_absent_suspect".to_owned()), "{report}");
    assert!(report["unconfirmed"].as_array().unwrap().is_empty());
    let html = app.get_with(&chair, "/timeliness").await.text().await.unwrap();
    assert!(html.contains("Zespół liczy odczyty niepotwierdzone jak terminy ustawowe"), "{html}");
}

#[tokio::test]
async fn a_childs_placement_is_recorded_with_its_24_hour_clock_and_a_future_date_is_refused_beside_the_field() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    let deputy = app.login_as("zastepca.umieszczenie", &[Role::DeputyChair]).await;
    let new = format!("/procedures/{id}/records/new/child_placement");
    let page = app.get_with(&deputy, &new).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Sąd opiekuńczy zawiadamia się w ciągu 24 godzin"));
    let placed = local(&app, -3);
    let future = local(&app, 48);
    let fields = |placed_at: &str, notified: &str| {
        vec![
            ("placement.placed_at".to_owned(), placed_at.to_owned()),
            ("placement.placed_with".to_owned(), "foster_family".to_owned()),
            ("placement.place".to_owned(), "Rodzina zastępcza w Jaśle".to_owned()),
            ("placement.placed_by".to_owned(), "pracownik socjalny, dzielnicowy, ratownik".to_owned()),
            ("placement.child_sex".to_owned(), "boy".to_owned()),
            ("placement.court_notified_at".to_owned(), notified.to_owned()),
        ]
    };
    let post = |f: Vec<(String, String)>| {
        let (app, deputy, new) = (&app, &deputy, new.clone());
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            app.post_form(deputy, &new, &new, &f).await
        }
    };
    let r = post(fields(&future, "")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("placement-placed_at-error"), "{html}");
    assert!(html.contains("Rodzina zastępcza w Jaśle"), "the typed place is kept");
    let before = local(&app, -5);
    let r = post(fields(&placed, &before)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("placement-court_notified_at-error") && html.contains("nie może być wcześniejsza"), "{html}");
    let r = post(fields("31.02.2026 10:00", "")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(fields(&placed, "")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let case = app.get_with(&deputy, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(case.contains("Zawiadomienie sądu opiekuńczego o odebraniu dziecka"), "{case}");
    assert!(case.contains("art. 12a ust. 5"), "with its legal basis");
}
