//! Programme referrals over real HTTP: the page with its forms, errors beside the fields and typed input kept; the
//! API with the team's own steps, need-to-know, the version check and malformed bodies.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::procedures::form_a;

struct Case {
    id: String,
    api: String,
    chair: String,
    social: String,
    initiator: String,
    social_page: reqwest::Client,
    chair_page: reqwest::Client,
}

async fn token(app: &TestApp, login: &str) -> String {
    app.store.issue_api_token(&store::Actor::operator(), login, "test").await.unwrap()
}

/// A case whose group has met: the chair, the social worker (also logged in on the pages) and the initiator.
async fn running_case(app: &TestApp) -> Case {
    let social_page = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let chair_page = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let (social, chair, initiator) =
        (token(app, "pracownik.socjalny").await, token(app, "przewodniczaca").await, token(app, "dzielnicowy").await);
    let c = reqwest::Client::new();
    let id = crate::procedures::open_case(app, &initiator, form_a()).await;
    let api = format!("/api/v1/procedures/{id}");
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let members = json!([
        {"account_id": social_id.to_string(), "kind": "social_worker"},
        {"account_id": police_id.to_string(), "kind": "police_officer"}
    ]);
    let r =
        c.post(app.url(&format!("{api}/group"))).bearer_auth(&chair).json(&json!({"members": members, "version": 1}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::OK);
    let meeting = json!({"command": {"command": "record_group_meeting"}, "version": 2});
    let r = c.post(app.url(&format!("{api}/commands"))).bearer_auth(&social).json(&meeting);
    assert_eq!(r.send().await.unwrap().status(), StatusCode::OK);
    Case { id, api, chair, social, initiator, social_page, chair_page }
}

async fn get(app: &TestApp, path: &str, bearer: &str) -> reqwest::Response {
    reqwest::Client::new().get(app.url(path)).bearer_auth(bearer).send().await.unwrap()
}

async fn post(app: &TestApp, path: &str, bearer: &str, body: Value) -> reqwest::Response {
    reqwest::Client::new().post(app.url(path)).bearer_auth(bearer).json(&body).send().await.unwrap()
}

/// The group's request through the API; returns the referral's id.
async fn request(app: &TestApp, case: &Case) -> String {
    let view: Value = get(app, &format!("{}/referrals", case.api), &case.social).await.json().await.unwrap();
    assert_eq!(view["can_request"], true);
    assert_eq!(view["suspected_persons"][0]["name"], "Jan Kowalski");
    let person = view["suspected_persons"][0]["person"].clone();
    let body = json!({"programme": "correctional_educational", "person": person, "version": view["version"]});
    let r = post(app, &format!("{}/referrals", case.api), &case.social, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn version(app: &TestApp, case: &Case) -> i64 {
    let view: Value = get(app, &format!("{}/referrals", case.api), &case.chair).await.json().await.unwrap();
    view["version"].as_i64().unwrap()
}

#[tokio::test]
async fn the_api_takes_the_steps_in_order_the_team_alone_refers_and_strangers_see_nothing() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    let referral = request(&app, &case).await;
    let steps = format!("{}/referrals/{referral}/steps", case.api);

    let refer = json!({"step": "refer", "provider": "Powiatowe Centrum Pomocy Rodzinie"});
    let v = version(&app, &case).await;
    let r = post(&app, &steps, &case.social, json!({"step": refer, "version": v})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("err-referral-team-only") && body.contains("należy do zespołu"), "{body}");
    let r = post(&app, &steps, &case.chair, json!({"step": refer, "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "a step against an older version");
    let v = version(&app, &case).await;
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-02-31"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "a date that does not exist is a malformed body");
    let r =
        post(&app, &steps, &case.social, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    let r0 = &view["referrals"][0];
    assert_eq!(r0["delivered_on"], "2026-11-23");
    assert_eq!(r0["provider"], "Powiatowe Centrum Pomocy Rodzinie");
    assert_eq!(r0["deadlines"][0]["rule_id"], "act_programme_registration");
    assert_eq!(r0["deadlines"][0]["state"], "pending");
    // The clocks are among the procedure's deadlines too.
    let procedure: Value = get(&app, &case.api, &case.chair).await.json().await.unwrap();
    let rules: Vec<&str> =
        procedure["deadlines"].as_array().unwrap().iter().map(|d| d["rule_id"].as_str().unwrap()).collect();
    assert!(rules.contains(&"act_registration_certificate_missing"), "{rules:?}");

    // The general command endpoint does not take referral steps past the team's own rules.
    let v = version(&app, &case).await;
    let sneaky = json!({"command": {"command": "referral", "referral": referral, "step": {"step": "file_offence_notification", "on": "2026-11-23"}}, "version": v});
    assert_eq!(
        post(&app, &format!("{}/commands", case.api), &case.social, sneaky).await.status(),
        StatusCode::NOT_FOUND
    );

    assert_eq!(get(&app, &format!("{}/referrals", case.api), &case.initiator).await.status(), StatusCode::NOT_FOUND);
    let _ = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let outsider = token(&app, "inny.czlonek").await;
    assert_eq!(get(&app, &format!("{}/referrals", case.api), &outsider).await.status(), StatusCode::NOT_FOUND);
    let r = post(&app, &steps, &outsider, json!({"step": {"step": "deliver", "on": "2026-11-23"}, "version": v})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let spec: Value = reqwest::get(app.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    assert!(spec["paths"]["/api/v1/procedures/{id}/referrals/{referral}/steps"]["post"].is_object());
    assert!(spec["paths"]["/api/v1/procedures/{id}/referrals"]["get"].is_object());
}

#[tokio::test]
async fn the_page_offers_the_steps_and_a_bad_date_or_a_refused_step_comes_back_beside_its_field() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    let page = format!("/procedures/{}/referrals", case.id);
    let procedure = app.get_with(&case.social_page, &format!("/procedures/{}", case.id)).await.text().await.unwrap();
    assert!(procedure.contains(&format!("href=\"{page}\"")), "the procedure page links the referrals");

    // The request on the page: without a person it comes back with the message beside the field.
    let v = version(&app, &case).await.to_string();
    let r = app
        .post_form(
            &case.social_page,
            &page,
            &page,
            &[("version", &v), ("person", ""), ("programme", "psychological_therapeutic")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"referral-person-error\">Wybierz osobę stosującą przemoc domową"), "{html}");
    assert!(html.contains("value=\"psychological_therapeutic\" selected"), "the programme chosen is kept");

    let referral = request(&app, &case).await;
    let v = version(&app, &case).await.to_string();
    let action = format!("{page}/{referral}");
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "refer"), ("provider", "PCPR")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Ten krok należy do zespołu interdyscyplinarnego."));
    let body = json!({"step": {"step": "refer", "provider": "PCPR Lubliniec"}, "version": v.parse::<i64>().unwrap()});
    assert_eq!(
        post(&app, &format!("{}/referrals/{referral}/steps", case.api), &case.chair, body).await.status(),
        StatusCode::OK
    );

    let html = app.get_with(&case.social_page, &page).await.text().await.unwrap();
    assert!(html.contains("Program korekcyjno-edukacyjny: Jan Kowalski") && html.contains("PCPR Lubliniec"), "{html}");
    assert!(html.contains("value=\"deliver\""), "the delivery is offered");
    assert!(!html.contains("value=\"file_offence_notification\""), "nor a team step to the group");

    let v = version(&app, &case).await.to_string();
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "31.02.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("id=\"{referral}-deliver-on-error\">Taki dzień nie istnieje")), "{html}");
    assert!(html.contains("value=\"31.02.2026\""), "what was typed is kept");

    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "1.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!(
            "id=\"{referral}-deliver-on-error\">Data jest wcześniejsza niż krok, po którym następuje: „skierowanie przez zespół” (23.11.2026)."
        )),
        "the step it follows is named beside the date: {html}"
    );

    let r = app
        .post_form(
            &case.social_page,
            &page,
            &action,
            &[("version", &v), ("step", "registration_certificate"), ("on", "23.11.2026")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a step out of order, from a stale page");
    assert!(r.text().await.unwrap().contains("Najpierw zapisz doręczenie skierowania."));

    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "23.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = app
        .post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "deliver"), ("on", "23.11.2026")])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the same page posted twice");
    let html = app.get_with(&case.social_page, &page).await.text().await.unwrap();
    assert!(html.contains("Zgłoszenie się do udziału w programie") && html.contains("art. 9b ust. 11 pkt 3"), "{html}");

    let r = app.post_form(&case.social_page, &page, &action, &[("version", &v), ("step", "exploded")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn referral_steps_take_their_real_moments_on_the_page_and_through_the_api() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    // The group met on Monday 23 November 2026 at 10:00 Warsaw; the steps are typed in on Thursday.
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 3));
    // The sessions of Monday have expired: a second chair account of the team uses the page.
    let chair_page = app.login_as("przewodniczaca2", &[Role::Chair]).await;
    let page = format!("/procedures/{}/referrals", case.id);
    let html = app.get_with(&chair_page, &page).await.text().await.unwrap();
    assert!(html.contains("name=\"occurred_at\" type=\"datetime-local\" max=\"2026-11-26T10:"), "{html}");
    let view: Value = get(&app, &format!("{}/referrals", case.api), &case.social).await.json().await.unwrap();
    let person = view["suspected_persons"][0]["person"].clone();
    let value = format!("{}:{}", person["form_id"].as_str().unwrap(), person["index"]);

    // A request in the future comes back beside its date, with everything typed kept.
    let v = version(&app, &case).await.to_string();
    let fields = [
        ("version", v.as_str()),
        ("person", value.as_str()),
        ("programme", "psychological_therapeutic"),
        ("occurred_at", "2026-11-30T10:00"),
    ];
    let r = app.post_form(&chair_page, &page, &page, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"referral-occurred-error\">Data nie może być późniejsza niż dzisiejsza."), "{html}");
    assert!(html.contains("value=\"2026-11-30T10:00\""), "the date typed is kept");
    assert!(html.contains("value=\"psychological_therapeutic\" selected"), "the programme chosen is kept");

    // Through the API: the request at the meeting on Monday, 11:00 Warsaw.
    let body = json!({"programme": "correctional_educational", "person": person, "occurred_at": "2026-11-23T11:00", "version": view["version"]});
    let r = post(&app, &format!("{}/referrals", case.api), &case.social, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["referrals"]["referrals"][0]["requested_at"], "2026-11-23T10:00:00Z");
    let referral = created["id"].as_str().unwrap().to_owned();
    let steps = format!("{}/referrals/{referral}/steps", case.api);

    // The referral cannot precede the request: the 422 on occurred_at names it.
    let refer = json!({"step": "refer", "provider": "PCPR"});
    let v = version(&app, &case).await;
    let r =
        post(&app, &steps, &case.chair, json!({"step": refer, "occurred_at": "2026-11-23T09:30:00Z", "version": v}))
            .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("occurred_at") && text.contains("Wniosek o skierowanie na program"), "{text}");
    let r =
        post(&app, &steps, &case.chair, json!({"step": refer, "occurred_at": "2026-11-24T12:00", "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let view: Value = r.json().await.unwrap();
    assert_eq!(view["referrals"][0]["referred_at"], "2026-11-24T11:00:00Z");

    // A dated step has its own day; a moment beside it is refused rather than ignored.
    let v = version(&app, &case).await;
    let deliver = json!({"step": "deliver", "on": "2026-11-25"});
    let r = post(&app, &steps, &case.social, json!({"step": deliver, "occurred_at": "2026-11-25T10:00", "version": v}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("err-referral-occurred-at-dated"));
    let early = json!({"step": "deliver", "on": "2026-11-23"});
    let r = post(&app, &steps, &case.social, json!({"step": early, "version": v})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text().await.unwrap();
    assert!(text.contains("err-referral-date-before-step") && text.contains("skierowanie przez zespół"), "{text}");
    let r = post(&app, &steps, &case.social, json!({"step": deliver, "version": v})).await;
    assert_eq!(r.status(), StatusCode::OK);

    // The timeline holds each step at its own moment; the referral typed two working days late says so.
    let procedure: Value = get(&app, &case.api, &case.chair).await.json().await.unwrap();
    let events = procedure["events"].as_array().unwrap();
    let referred = events.iter().find(|e| e["at"] == "2026-11-24T11:00:00Z").expect("the referral at its moment");
    assert_eq!(referred["kind"], "referral_step_recorded");
    assert_eq!(referred["entered_later"], true);
    let delivered = events.iter().find(|e| e["at"] == "2026-11-25T22:59:59.999999Z").expect("the delivery on its day");
    assert_eq!(delivered["entered_later"], false, "typed on the next working day");
    // The referrals page says so beside the fact too.
    let html = app.get_with(&chair_page, &page).await.text().await.unwrap();
    assert!(html.contains("<dd>2026-11-24 12:00 (wpisano później: 2026-11-26 "), "{html}");
    assert!(html.contains("<dd>2026-11-25</dd>"), "the delivery, typed in time, unmarked: {html}");
}

/// Issue 17 item 4: the team gives the referral a reference for the county; the county's coordinator records the
/// certificate against it on its own page (refused beside the field when unknown, typed input kept) and the team sees
/// it arrive on the referral, while no page the coordinator opens shows the person, the PESEL or the case.
#[tokio::test]
async fn the_countys_certificate_arrives_on_the_referral_by_its_reference_without_the_case() {
    let app = TestApp::spawn().await;
    let case = running_case(&app).await;
    let referral = request(&app, &case).await;
    let steps = format!("{}/referrals/{referral}/steps", case.api);
    let refer = json!({"step": {"step": "refer", "provider": "PCPR"}, "version": version(&app, &case).await});
    assert_eq!(post(&app, &steps, &case.chair, refer).await.status(), StatusCode::OK);

    let page = format!("/procedures/{}/referrals", case.id);
    let action = format!("{page}/{referral}/county-reference");
    let r = app.post_form(&case.chair_page, &page, &action, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&case.chair_page, &page).await.text().await.unwrap();
    let start = html.find("data-testid=\"county-reference\">").expect("the reference is shown") + 31;
    let reference: String = html[start..].chars().take(14).collect();
    assert!(html.contains("jeszcze nie nadeszły"), "{html}");

    let county = app.login_as("koordynator.powiatu", &[Role::CountyCoordinator]).await;
    // The county does not reach the case; the municipality's chair does not reach the county's page.
    assert_ne!(app.get_with(&county, &page).await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&case.chair_page, "/area/programmes").await.status(), StatusCode::FORBIDDEN);

    let programmes = "/area/programmes";
    let certificates = "/area/programmes/certificates";
    // The test clock stands on 23 November 2026.
    let today = "2026-11-23".to_owned();
    let wrong =
        [("kind", "registration"), ("issued_on", today.as_str()), ("edition", ""), ("reference", "ABCD-EFGH-JKMN")];
    let r = app.post_form(&county, programmes, certificates, &wrong).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"certificate-reference-error\"") && html.contains("Nie ma skierowania z takim numerem"));
    assert!(html.contains("value=\"ABCD-EFGH-JKMN\""), "the typed reference is kept");
    let right =
        [("kind", "registration"), ("issued_on", today.as_str()), ("edition", ""), ("reference", reference.as_str())];
    assert_eq!(app.post_form(&county, programmes, certificates, &right).await.status(), StatusCode::SEE_OTHER);
    // A malformed edition id is refused beside its field, never a 500.
    let bad = [("kind", "completion"), ("issued_on", today.as_str()), ("edition", "nie-uuid"), ("reference", "")];
    assert_eq!(app.post_form(&county, programmes, certificates, &bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // An edition refused beside its field with the typed numbers kept, then saved and shown on /area.
    let editions = "/area/programmes/editions";
    let mut typed =
        vec![("kind", "correctional_educational"), ("starts_on", today.as_str()), ("ends_on", today.as_str())];
    typed.extend([("registrations", "3"), ("completions", "4")]);
    let r = app.post_form(&county, programmes, editions, &typed).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"edition-new-completions-error\"") && html.contains("value=\"4\""), "{html}");
    typed[4] = ("completions", "2");
    assert_eq!(app.post_form(&county, programmes, editions, &typed).await.status(), StatusCode::SEE_OTHER);

    let secrets = ["Kowalsk", "Anna", &crate::procedures::pesel("8503120840"), &case.id, &referral, "PCPR"];
    for path in [programmes, "/area"] {
        let html = app.get_with(&county, path).await.text().await.unwrap();
        assert!(html.contains(&reference) || path == "/area", "{path}: the certificate's reference is listed");
        for s in &secrets {
            assert!(!html.contains(s), "{path} shows {s}");
        }
    }
    let area = app.get_with(&county, "/area").await.text().await.unwrap();
    assert!(area.contains("data-testid=\"county-programmes\"") && area.contains("Program korekcyjno-edukacyjny"));

    let html = app.get_with(&case.chair_page, &page).await.text().await.unwrap();
    assert!(html.contains("o zgłoszeniu się, wydane"), "the team sees the certificate arrive: {html}");
}

/// Issue 17 item 4: a county account that keeps typing references that name no referral of its county waits after
/// five, told so beside the field in words, with what it typed kept.
#[tokio::test]
async fn a_county_account_typing_wrong_references_waits_after_five_told_beside_the_field() {
    let app = TestApp::spawn().await;
    let county = app.login_as("koordynator.powiatu", &[Role::CountyCoordinator]).await;
    let (programmes, certificates) = ("/area/programmes", "/area/programmes/certificates");
    let today = "2026-11-23";
    for (n, tail) in ["MN", "MP", "MQ", "MR", "MS", "MT"].iter().enumerate() {
        let typed = format!("ABCD-EFGH-JK{tail}");
        let fields = [("kind", "registration"), ("issued_on", today), ("edition", ""), ("reference", typed.as_str())];
        let r = app.post_form(&county, programmes, certificates, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "try {n}");
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"certificate-reference-error\""), "{html}");
        assert!(html.contains(&format!("value=\"{typed}\"")), "the typed reference is kept: {html}");
        let paused = html.contains("Wpisano zbyt wiele błędnych numerów skierowań");
        assert_eq!(paused, n >= 4, "try {n}: {html}");
    }
}
