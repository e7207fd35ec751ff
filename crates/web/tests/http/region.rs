//! The regional cooperation platform over HTTP (issue 17 item 7): the region keeps it, with refused forms answered
//! beside their fields; the announcement reaches a municipality's home page and goes when dismissed; a municipality's
//! chair raises a difficulty and reads the region's answer but edits nothing; an invited expert sees the platform and
//! no case page at all.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::procedures::{form_a, open_case};

#[tokio::test]
async fn the_region_keeps_the_platform_and_a_municipalitys_chair_raises_a_difficulty_and_reads_the_answer() {
    let app = TestApp::spawn().await;
    let region = app.login_as("koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let member = app.login_as("pracownik", &[Role::GroupMember]).await;

    let html = app.get_with(&region, "/region").await.text().await.unwrap();
    assert!(html.contains("Regionalna platforma współpracy") && html.contains("Jednostka 10"), "{html}");

    // An announcement longer than one line: refused beside its field, the typed text kept.
    let long = "Spotkanie ".repeat(20);
    let r = app
        .post_form(
            &region,
            "/region",
            "/region/announcements",
            &[("text", &long), ("shown_from", "2026-11-23"), ("expires_on", "2026-12-10")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Komunikat ma najwyżej 160 znaków") && html.contains(long.trim()), "{html}");
    let text = "Spotkanie grupy regionalnej 10 grudnia, zdalnie.";
    let r = app
        .post_form(
            &region,
            "/region",
            "/region/announcements",
            &[("text", text), ("shown_from", "2026-11-23"), ("expires_on", "2026-12-10")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The group: a member joining tomorrow is refused; today is taken.
    let member_fields = |joined: &'static str| {
        [
            ("full_name", "Alicja Wrzosek"),
            ("function", "koordynatorka"),
            ("email", ""),
            ("level", "county"),
            ("institution", "PCPR w Tomaszowie"),
            ("joined_on", joined),
            ("left_on", ""),
        ]
    };
    let r = app.post_form(&region, "/region/group", "/region/group", &member_fields("2026-11-24")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Data nie może być późniejsza niż dzisiejsza."));
    let r = app.post_form(&region, "/region/group", "/region/group", &member_fields("2026-11-23")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get_with(&region, "/region/group").await.text().await.unwrap().contains("Alicja Wrzosek"));

    // A remote meeting without its link is refused; with it, planned ahead.
    let meeting = [
        ("topic", "Sprawozdawczość"),
        ("held_on", "2026-12-10"),
        ("mode", "remote"),
        ("place", ""),
        ("agenda", "1. Otwarcie"),
    ];
    let r = app.post_form(&region, "/region/meetings", "/region/meetings", &meeting).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Spotkanie zdalne wymaga linku do spotkania."));
    let mut with_link = meeting.to_vec();
    with_link.push(("remote_link", "https://spotkanie.example.org/abc"));
    let r = app.post_form(&region, "/region/meetings", "/region/meetings", &with_link).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(location(&r).starts_with("/region/meetings/"));

    let practice = [
        ("title", "Wzór pisma do sądu"),
        ("summary", "Wspólny wzór pisma."),
        ("link", ""),
        ("tags", "sąd, pisma"),
        ("municipality", &app.teryt),
        ("year", "2026"),
        ("audience", "all"),
    ];
    let r = app.post_form(&region, "/region/library", "/region/library", &practice).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The municipality: the announcement on the home page of every team account, until dismissed.
    for c in [&chair, &member] {
        assert!(app.get_with(c, "/").await.text().await.unwrap().contains(text));
    }
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    let action = between(&home, "action=\"/region/announcements/", "\"");
    let r = app.post_form(&chair, "/", &format!("/region/announcements/{action}"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!app.get_with(&chair, "/").await.text().await.unwrap().contains(text));
    assert!(app.get_with(&member, "/").await.text().await.unwrap().contains(text), "dismissed for the chair only");

    // The chair reads the library but not the group, and edits nothing.
    assert!(app.get_with(&chair, "/region/library").await.text().await.unwrap().contains("Wzór pisma do sądu"));
    assert_eq!(app.get_with(&chair, "/region/group").await.status(), StatusCode::NOT_FOUND);
    for (action, fields) in [
        ("/region/library", practice.to_vec()),
        ("/region/group", member_fields("2026-11-23").to_vec()),
        ("/region/meetings", with_link.clone()),
        (
            "/region/announcements",
            vec![("text", "Nie moje"), ("shown_from", "2026-11-23"), ("expires_on", "2026-12-10")],
        ),
    ] {
        let r = app.post_form(&chair, "/region", action, &fields).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{action}");
    }
    // A group member of the team has no platform at all.
    assert_eq!(app.get_with(&member, "/region").await.status(), StatusCode::FORBIDDEN);

    // The chair raises a difficulty (dated tomorrow: refused), then reads the region's answer.
    let difficulty = |day: &'static str| {
        [("title", "Brak psychologa dziecięcego"), ("description", "Dzieci czekają dwa miesiące."), ("raised_on", day)]
    };
    let r = app.post_form(&chair, "/region/difficulties", "/region/difficulties", &difficulty("2026-11-24")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Brak psychologa dziecięcego"), "typed data kept");
    let r = app.post_form(&chair, "/region/difficulties", "/region/difficulties", &difficulty("2026-11-20")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = location(&r);
    let answer = [
        ("status", "solved"),
        ("solution", "Porozumienie z poradnią w powiecie."),
        ("solution_on", "2026-11-22"),
        ("version", "1"),
    ];
    assert_eq!(app.post_form(&chair, &page, &page, &answer).await.status(), StatusCode::FORBIDDEN);
    let early = [
        ("status", "solved"),
        ("solution", "Porozumienie z poradnią w powiecie."),
        ("solution_on", "2026-11-19"),
        ("version", "1"),
    ];
    let r = app.post_form(&region, &page, &page, &early).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("nie może być wcześniejsza niż data zgłoszenia"));
    let r = app.post_form(&region, &page, &page, &answer).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, &page).await.text().await.unwrap();
    assert!(html.contains("Porozumienie z poradnią w powiecie.") && html.contains("rozwiązanie wypracowane"), "{html}");
    assert!(!html.contains(">solved<"), "no codes on the page");

    // The same over the API: the chair's token raises one (a date in the future refused) and lists both.
    let token = app.store.issue_api_token(&store::Actor::operator(), "przewodniczaca", "test").await.unwrap();
    let raise = |day: &str| serde_json::json!({"title": "Dojazdy do ośrodka", "description": "Brak transportu.", "raised_on": day});
    let url = app.url("/api/v1/region/difficulties");
    let r = client().post(&url).bearer_auth(&token).json(&raise("2026-12-01")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = client().post(&url).bearer_auth(&token).json(&raise("2026-11-23")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let list: serde_json::Value = client().get(&url).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list.iter().any(|d| d["status"] == "solved" && d["raised_by"] == "Gmina Testowa"));
    let library: serde_json::Value = client()
        .get(app.url("/api/v1/region/library?tag=sąd"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(library[0]["title"], "Wzór pisma do sądu");

    // Everything written is in the audit trail.
    let entries = app
        .store
        .audit_entries(&store::Actor::operator(), &store::audit::AuditFilter { limit: 10_000, ..Default::default() })
        .await
        .unwrap();
    for kind in ["region_announcement", "region_group_member", "region_meeting", "region_practice", "region_difficulty"]
    {
        assert!(entries.iter().any(|e| e.object_kind == kind), "{kind} not audited");
    }
}

#[tokio::test]
async fn an_invited_expert_sees_the_platform_and_no_case_page() {
    let app = TestApp::spawn().await;
    let region = app.login_as("koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let expert = app.login_as("ekspertka", &[Role::RegionalExpert]).await;
    let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let opener = app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "test").await.unwrap();
    let case = open_case(&app, &opener, form_a()).await;

    // Her account alone opens no platform page: the region puts her in the group, linked to the account.
    assert_eq!(app.get_with(&expert, "/region/group").await.status(), StatusCode::NOT_FOUND);
    let expert_id = app.store.account_by_login("ekspertka").await.unwrap().0.to_string();
    let group = app.get_with(&region, "/region/group").await.text().await.unwrap();
    assert!(group.contains(&format!("<option value=\"{expert_id}\">ekspertka</option>")), "{group}");
    let entry = |left_on: &'static str, account: String| {
        vec![
            ("full_name", "dr Halina Ekspertka".to_owned()),
            ("function", "psycholożka".to_owned()),
            ("email", String::new()),
            ("level", "expert".to_owned()),
            ("institution", "Uniwersytet Łódzki".to_owned()),
            ("joined_on", "2026-11-02".to_owned()),
            ("left_on", left_on.to_owned()),
            ("account", account),
        ]
    };
    let as_refs = |fields: &[(&'static str, String)]| fields.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    // A coordinator's account is not an expert's: refused beside the field, the typed entry kept.
    let coordinator_id = app.store.account_by_login("koordynator.regionalny").await.unwrap().0.to_string();
    let fields = as_refs(&entry("", coordinator_id));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(&region, "/region/group", "/region/group", &pairs).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Wybierz konto zaproszonego eksperta") && html.contains("dr Halina Ekspertka"), "{html}");
    let fields = as_refs(&entry("", expert_id.clone()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&region, "/region/group", "/region/group", &pairs).await.status(), StatusCode::SEE_OTHER);

    for page in ["/", "/region", "/region/group", "/region/meetings", "/region/library", "/region/difficulties"] {
        assert_eq!(app.get_with(&expert, page).await.status(), StatusCode::OK, "{page}");
    }
    let nav = app.get_with(&expert, "/region").await.text().await.unwrap();
    assert!(!nav.contains("href=\"/procedures\"") && nav.contains("href=\"/region\""), "{nav}");
    // Every page of a case, the case lists and calendars, the team's and the programme's pages: refused.
    let token = app.store.issue_api_token(&store::Actor::operator(), "ekspertka", "test").await.unwrap();
    let mut refused = 0;
    for route in web::route_table().into_iter().filter(|r| r.method == "GET") {
        let p = &route.path;
        let case_like = p.starts_with("/procedures")
            || p.starts_with("/api/v1/procedures")
            || p.starts_with("/team")
            || p.starts_with("/programme")
            || p.starts_with("/area")
            || p.starts_with("/deadlines")
            || p.starts_with("/calendar")
            || p.starts_with("/timeliness");
        if !case_like {
            continue;
        }
        let path = p.replacen("{id}", &case, 1).replace("{year}", "2026");
        let path = path.split('{').next().unwrap_or_default().trim_end_matches('/').to_owned();
        let r = if path.starts_with("/api/") {
            client().get(app.url(&path)).bearer_auth(&token).send().await.unwrap()
        } else {
            app.get_with(&expert, &path).await
        };
        // A path cut at its first unfilled parameter may name a route that has no GET (405): nothing is served
        // either way.
        assert!(
            matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED),
            "the expert reached {path}: {}",
            r.status()
        );
        refused += 1;
    }
    assert!(refused > 20, "only {refused} case pages tried");

    // She leaves the group: the region changes her entry, and from that day her account opens nothing.
    let group = app.get_with(&region, "/region/group").await.text().await.unwrap();
    let link = group.split("href=\"/region/group/").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    let page = format!("/region/group/{link}");
    assert_eq!(app.get_with(&expert, &page).await.status(), StatusCode::FORBIDDEN, "the expert edits nothing");
    let form = app.get_with(&region, &page).await.text().await.unwrap();
    assert!(form.contains(&format!("<option value=\"{expert_id}\" selected>")), "{form}");
    let mut fields = as_refs(&entry("2026-11-23", expert_id.clone()));
    fields.push(("version", "1".to_owned()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&region, &page, &page, &pairs).await.status(), StatusCode::SEE_OTHER);
    for page in ["/region/group", "/region/library", "/region/difficulties"] {
        assert_eq!(app.get_with(&expert, page).await.status(), StatusCode::NOT_FOUND, "{page}");
    }
}
