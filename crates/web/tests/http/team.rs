//! The team's pages and API, and the public directory page: no cookie, only public entries, quick exit, export.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, location};
use crate::procedures::{form_a, group_members, open_case, token};

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

#[tokio::test]
async fn the_public_help_page_sets_no_cookie_shows_only_public_entries_and_has_a_quick_exit() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    for (name, public) in [("Niebieska Linia", true), ("Kontakt wewnętrzny zespołu", false)] {
        let (s, v) = api(
            &app,
            &chair,
            reqwest::Method::POST,
            "/api/v1/directory",
            Some(json!({
                "name": name, "help_kinds": ["helpline", "psychological"], "phone": "800 120 002",
                "languages": "pl en", "is_public": public, "last_checked_on": "2026-11-01",
                "description": "=HYPERLINK(\"x\")"
            })),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // With one municipality, /pomoc goes straight to its page.
    let r = c.get(app.url("/pomoc")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/pomoc/{}", app.teryt));
    let r = c.get(app.url(&format!("/pomoc/{}", app.teryt))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get("set-cookie").is_none(), "no cookie on the public page");
    let html = r.text().await.unwrap();
    assert!(html.contains("Niebieska Linia"), "{html}");
    assert!(!html.contains("Kontakt wewnętrzny"), "an internal entry is not published");
    assert!(
        html.contains("data-testid=\"quick-exit\"") && html.contains("href=\"https://www.google.com/search?q=pogoda\"")
    );
    assert!(html.contains("/pomoc/zasoby/quick-exit.js"));
    assert!(!html.contains("noindex"), "the law wants the information found");
    assert!(!html.contains("name=\"csrf\""));
    for asset in ["quick-exit.js", "pomoc.css", "ostoja.css"] {
        let r = c.get(app.url(&format!("/pomoc/zasoby/{asset}"))).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{asset}");
        assert!(r.headers().get("set-cookie").is_none(), "{asset} sets no cookie");
    }
    let js = c.get(app.url("/pomoc/zasoby/quick-exit.js")).send().await.unwrap().text().await.unwrap();
    assert!(js.contains("location.replace") && js.contains("Escape"));

    let r = c.get(app.url(&format!("/pomoc/{}/eksport.csv", app.teryt))).send().await.unwrap();
    assert!(r.headers().get("set-cookie").is_none());
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.text().await.unwrap();
    // The header, the team's public entry and the four national helplines every municipality starts with.
    assert_eq!(csv.lines().count(), 6, "{csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "a formula is defused: {csv}");
    let json: Value =
        c.get(app.url(&format!("/pomoc/{}/eksport.json", app.teryt))).send().await.unwrap().json().await.unwrap();
    assert_eq!(json.as_array().unwrap().len(), 5);
    let ours = json.as_array().unwrap().iter().find(|e| e["name"] == "Niebieska Linia").unwrap();
    assert_eq!(ours["help_kinds"], json!(["psychological", "helpline"]));
    assert!(ours.get("is_public").is_none() && ours.get("id").is_none() && ours.get("national_key").is_none());

    let r = c.get(app.url("/pomoc/1805021")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn the_chair_keeps_the_members_on_pages_with_reasons_beside_the_fields_and_others_are_refused() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let viewer = app.login_as("podglad", &[Role::AggregateViewer]).await;
    let reporter = app.login_as("sprawozdawca", &[Role::ProgrammeReporter]).await;

    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(
        home.contains("href=\"/team\"")
            && home.contains("href=\"/directory\"")
            && home.contains("href=\"/activities\"")
    );
    let home = app.get_with(&member, "/").await.text().await.unwrap();
    assert!(
        !home.contains("href=\"/team\"")
            && home.contains("href=\"/directory\"")
            && !home.contains("href=\"/activities\"")
    );

    let r = app
        .post_form(
            &chair,
            "/team/members/new",
            "/team/members/new",
            &[
                ("full_name", "Zofia Przykładowa"),
                ("function", "member"),
                ("appointed_on", "23/11/2026"),
                ("email", "zofia@example"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Podaj datę w postaci RRRR-MM-DD."), "{page}");
    assert!(page.contains("value=\"Zofia Przykładowa\""), "typed values kept");
    let r = app
        .post_form(
            &chair,
            "/team/members/new",
            "/team/members/new",
            &[("full_name", "Zofia Przykładowa"), ("function", "secretary"), ("appointed_on", "2026-01-10")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&chair, "/team").await.text().await.unwrap();
    assert!(page.contains("Zofia Przykładowa") && page.contains("sekretarz"));
    assert!(page.contains("brak — bez dostępu do danych spraw"), "the missing declaration is shown");
    assert!(page.contains("Członkowie bez podpisanego oświadczenia o poufności: 1."), "{page}");

    for (client, who) in [(&member, "group member"), (&viewer, "viewer"), (&reporter, "reporter")] {
        assert_eq!(app.get_with(client, "/team").await.status(), StatusCode::FORBIDDEN, "{who}");
        assert_eq!(app.get_with(client, "/team/meetings").await.status(), StatusCode::FORBIDDEN, "{who}");
        assert_eq!(app.get_with(client, "/activities").await.status(), StatusCode::FORBIDDEN, "{who}");
    }
    assert_eq!(app.get_with(&member, "/directory").await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&member, "/directory/new").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_with(&viewer, "/directory").await.status(), StatusCode::FORBIDDEN);
    // Without the token: refused, nothing written.
    let r = chair
        .post(app.url("/team/orders"))
        .form(&[("csrf", "x"), ("number", "1/2026"), ("issued_on", "2026-01-02")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn meetings_through_the_api_notice_attendance_and_the_letter_after_three_unexcused_absences() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let police = token(&app, "policjant.gdp", &[Role::GroupMember]).await;
    let (police_id, _) = app.store.account_by_login("policjant.gdp").await.unwrap();
    let post = reqwest::Method::POST;
    let (s, v) = api(
        &app,
        &chair,
        post.clone(),
        "/api/v1/team/members",
        Some(json!({
            "full_name": "Jan Nieobecny", "function": "member", "appointed_on": "2026-01-10",
            "confidentiality_signed_on": "2026-01-10", "account_id": police_id.to_string()
        })),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let member_id = v["id"].as_str().unwrap().to_owned();
    let (s, v) =
        api(&app, &chair, post.clone(), "/api/v1/team/members", Some(json!({"full_name": "", "function": "king"})))
            .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = api(&app, &police, reqwest::Method::GET, "/api/v1/team/members", None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    for day in ["2026-11-24", "2026-11-25", "2026-11-26"] {
        let (s, v) = api(&app, &chair, post.clone(), "/api/v1/team/meetings", Some(json!({
            "scheduled_at": format!("{day}T10:00"), "mode": "in_person", "place": "Sala 12", "agenda": "Sprawy bieżące"
        }))).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let id = v["id"].as_str().unwrap().to_owned();
        let (s, v) =
            api(&app, &chair, post.clone(), &format!("/api/v1/team/meetings/{id}/notice"), Some(json!({"version": 1})))
                .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["notified"], 1);
        let (s, _) =
            api(&app, &chair, post.clone(), &format!("/api/v1/team/meetings/{id}/notice"), Some(json!({"version": 1})))
                .await;
        assert_eq!(s, StatusCode::CONFLICT);
        app.clock.advance(jiff::SignedDuration::from_hours(25));
        let (s, v) = api(
            &app,
            &chair,
            post.clone(),
            &format!("/api/v1/team/meetings/{id}/held"),
            Some(json!({
                "held_at": format!("{day}T10:00"), "minutes": "Protokół", "resolutions": "",
                "attendance": [{"member_id": member_id, "present": false}], "version": 2
            })),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        let (_, m) = api(&app, &chair, reqwest::Method::GET, &format!("/api/v1/team/meetings/{id}"), None).await;
        assert_eq!(m["status"], "held");
        assert_eq!(m["attendance"][0]["status"], "unexcused");
    }
    let (s, letters) = api(&app, &chair, reqwest::Method::GET, "/api/v1/team/absence-letters", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(letters[0]["full_name"], "Jan Nieobecny");
    assert_eq!(letters[0]["absences"], json!(["2026-11-24", "2026-11-25", "2026-11-26"]));
    let notes: Value = reqwest::Client::new()
        .get(app.url("/api/v1/notifications"))
        .bearer_auth(&police)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(notes[0]["kind"], "team_meeting_scheduled");

    let _ = app.login_as("sekretarz.strony", &[Role::Secretary]).await;
    let (s, _) = api(&app, &chair, reqwest::Method::GET, "/api/v1/team/meetings?year=2026", None).await;
    assert_eq!(s, StatusCode::OK);
    let openapi: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in [
        "/api/v1/team/members",
        "/api/v1/team/meetings/{id}/held",
        "/api/v1/directory",
        "/api/v1/activities",
        "/api/v1/team/absence-letters",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path}");
    }
}

#[tokio::test]
async fn the_letters_page_drafts_the_letter_and_activities_are_kept_by_year() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let r = app.get_with(&chair, "/team/letters").await.text().await.unwrap();
    assert!(r.contains("data-testid=\"letters-none\""));
    let r = app
        .post_form(
            &chair,
            "/activities",
            "/activities",
            &[
                ("kind", "workshop"),
                ("held_on", "2026-05-12"),
                ("title", "Warsztaty w SP nr 3"),
                ("participants", "-4"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Liczba nie może być ujemna."));
    let r = app
        .post_form(
            &chair,
            "/activities",
            "/activities",
            &[
                ("kind", "workshop"),
                ("held_on", "2026-05-12"),
                ("title", "Warsztaty w SP nr 3"),
                ("participants", "54"),
                ("materials_handed_out", "120"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&chair, "/activities?year=2026").await.text().await.unwrap();
    assert!(
        page.contains("Warsztaty w SP nr 3") && page.contains("Razem uczestników: 54; rozdanych materiałów: 120."),
        "{page}"
    );
    let page = app.get_with(&chair, "/activities?year=2025").await.text().await.unwrap();
    assert!(!page.contains("Warsztaty w SP nr 3"));
    let page = app.get_with(&chair, "/activities?year=abc").await.text().await.unwrap();
    assert!(page.contains("Podaj rok czterema cyframi"));
}

#[tokio::test]
async fn a_group_member_linked_to_the_team_without_a_declaration_does_not_see_the_case() {
    let app = TestApp::spawn().await;
    let initiator = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let id = open_case(&app, &initiator, form_a()).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&json!({"members": group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.get_with(&social, &format!("/procedures/{id}")).await.status(), StatusCode::OK);
    let (social_id, _) = app.store.account_by_login("pracownik.socjalny").await.unwrap();
    let (s, v) = api(&app, &chair, reqwest::Method::POST, "/api/v1/team/members", Some(json!({
        "full_name": "Anna Socjalna", "function": "member", "appointed_on": "2026-11-20", "account_id": social_id.to_string()
    }))).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(app.get_with(&social, &format!("/procedures/{id}")).await.status(), StatusCode::NOT_FOUND);
    let list = app.get_with(&social, "/procedures").await.text().await.unwrap();
    assert!(!list.contains(&format!("/procedures/{id}")));
    let member_id = v["id"].as_str().unwrap();
    let (s, v) = api(&app, &chair, reqwest::Method::PUT, &format!("/api/v1/team/members/{member_id}"), Some(json!({
        "full_name": "Anna Socjalna", "function": "member", "appointed_on": "2026-11-20", "account_id": social_id.to_string(),
        "confidentiality_signed_on": "2026-11-23", "version": 1
    }))).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(app.get_with(&social, &format!("/procedures/{id}")).await.status(), StatusCode::OK);
    let (s, _) = api(
        &app,
        &chair,
        reqwest::Method::PUT,
        &format!("/api/v1/team/members/{member_id}"),
        Some(json!({
            "full_name": "Anna Socjalna", "function": "member", "appointed_on": "2026-11-20", "version": 1
        })),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_held_team_meeting_prints_its_minutes_and_a_planned_one_has_none() {
    let app = TestApp::spawn().await;
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let post = reqwest::Method::POST;
    let mut ids = Vec::new();
    for day in ["2026-11-24", "2026-12-20"] {
        let (s, v) = api(&app, &chair, post.clone(), "/api/v1/team/meetings", Some(json!({
            "scheduled_at": format!("{day}T10:00"), "mode": "in_person", "place": "Sala 12", "agenda": "Sprawozdanie roczne"
        }))).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    app.clock.advance(jiff::SignedDuration::from_hours(25));
    let (s, v) = api(
        &app,
        &chair,
        post.clone(),
        &format!("/api/v1/team/meetings/{}/held", ids[0]),
        Some(json!({"held_at": "2026-11-24T10:00", "minutes": "Omówiono sprawozdanie.", "resolutions": "Przyjęto sprawozdanie.", "attendance": [], "version": 1})),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let secretary = app.login_as("sekretarz", &[Role::Secretary]).await;
    let page = app.get_with(&secretary, &format!("/team/meetings/{}", ids[0])).await.text().await.unwrap();
    assert!(page.contains(&format!("/team/meetings/{}/minutes.pdf", ids[0])), "{page}");
    let pdf = app.get_with(&secretary, &format!("/team/meetings/{}/minutes.pdf", ids[0])).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(
        app.get_with(&secretary, &format!("/team/meetings/{}/minutes.pdf", ids[1])).await.status(),
        StatusCode::NOT_FOUND,
        "a planned meeting has no minutes"
    );
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    assert_eq!(
        app.get_with(&member, &format!("/team/meetings/{}/minutes.pdf", ids[0])).await.status(),
        StatusCode::FORBIDDEN
    );
}
