//! The programme over HTTP: the team adopts it through the API, a reporter enters their institution's values on the
//! page (refusal beside the field with the typed value kept; a value far off last year's asks to confirm), the
//! aggregate viewer reads the report with its bars and the statutory set, and nobody sees more than their role.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use store::Actor;

use crate::helpers::*;
use crate::procedures::token;

async fn reporter(app: &TestApp, login: &str, institution: uuid::Uuid) -> reqwest::Client {
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let new = store::identity::NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: Some(institution),
        login: login.to_owned(),
        roles: vec![Role::ProgrammeReporter],
        details: store::identity::PersonalDetails { full_name: format!("Osoba {login}"), ..Default::default() },
    };
    let (_, link) = app.store.create_account(&Actor::operator(), &new).await.unwrap();
    let c = client();
    app.activate_and_enrol(&c, &format!("/activate/{link}")).await;
    c
}

#[tokio::test]
async fn the_programme_is_adopted_entered_by_institutions_and_reported_with_figures_only() {
    let app = TestApp::spawn().await;
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let mops = app
        .store
        .create_institution(&Actor::operator(), tenant.id, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    let chair = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let c = reqwest::Client::new();
    let content = json!({
        "strategic_goal": "Zwiększenie skuteczności działań podmiotów.",
        "goals": [{"id": "g1", "title": "Zwiększenie poziomu kompetencji.", "tasks": [{
            "id": "g1t1", "title": "Wspólne wizyty.", "institutions": [mops.id], "from_year": 2025, "to_year": 2030,
            "indicators": [
                {"id": "g1t1i1", "name": "liczba interwencji", "source": {"kind": "entered", "institutions": [mops.id]}, "targets": {"2026": 400}},
                {"id": "g1t1i2", "name": "liczba wizyt", "source": {"kind": "computed", "key": "home_visits"}}
            ]}]}]
    });
    let body = json!({"title": "Miejski Program 2025–2030", "period_from": 2025, "period_to": 2030,
        "applies_from": "2025-01-01", "resolution": "Uchwała nr I/1/2025", "content": content});
    let r = c.post(app.url("/api/v1/programmes")).bearer_auth(&chair).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // Malformed JSON is a JSON 400; a reporter may not adopt a programme.
    let bad = c
        .post(app.url("/api/v1/programmes"))
        .bearer_auth(&chair)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.json::<Value>().await.is_ok());

    // The reporter of the social welfare centre enters on the page.
    let rep = reporter(&app, "sprawozdawca.mops", mops.id).await;
    let page = format!("/programme/{id}/entries/2025");
    let r = app.get_with(&rep, &page).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("liczba interwencji"));
    let form = |value: &'static str, version: &'static str, confirm: bool| {
        let mut f = vec![("indicator", "g1t1i1"), ("value", value), ("version", version), ("note", "z rejestru MOPS")];
        if confirm {
            f.push(("confirm", "yes"));
        }
        f
    };
    let r = app.post_form(&rep, &page, &page, &form("sto", "0", false)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"value-g1t1i1-error\"") && html.contains("Wpisz liczbę całkowitą"), "{html}");
    assert!(html.contains("value=\"sto\"") && html.contains("z rejestru MOPS"), "typed data kept");
    let r = app.post_form(&rep, &page, &page, &form("100", "0", false)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // 2026: ten times last year's value asks to confirm, then is saved.
    let page26 = format!("/programme/{id}/entries/2026");
    let r = app.post_form(&rep, &page26, &page26, &form("1000", "0", false)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("bardzo różni się") && html.contains("name=\"confirm\""), "{html}");
    let r = app.post_form(&rep, &page26, &page26, &form("1000", "0", true)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A reporter sees no figures and no report.
    assert_eq!(app.get_with(&rep, "/programme/indicators").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get_with(&rep, &format!("/programme/{id}/report/2026")).await.status(), StatusCode::FORBIDDEN);

    // The aggregate viewer reads the report with its bars, the statutory set and its CSV; never the cases.
    let viewer = app.login_as("podglad", &[Role::AggregateViewer]).await;
    let r = app.get_with(&viewer, &format!("/programme/{id}/report/2026")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Cel I")
            && html.contains("<svg class=\"bars\"")
            && html.contains("Miejski Ośrodek Pomocy Społecznej")
    );
    assert!(html.contains("<strong>1000</strong>") && html.contains("osiągnięta"), "{html}");
    assert!(!html.contains("name=\"body\""), "no narrative form for a viewer");
    assert!(html.contains(&format!("/programme/{id}/report/2026.pdf")), "download links");
    // The report downloads whole as PDF, XLSX and ODT; not for a reporter; an unknown format is not found.
    for (ext, content_type, magic) in [
        ("pdf", "application/pdf", &b"%PDF"[..]),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &b"PK"[..]),
        ("odt", "application/vnd.oasis.opendocument.text", &b"PK"[..]),
    ] {
        let r = app.get_with(&viewer, &format!("/programme/{id}/report/2026.{ext}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{ext}");
        assert_eq!(r.headers()["content-type"], content_type);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains(&format!("2026.{ext}")));
        assert!(r.bytes().await.unwrap().starts_with(magic), "{ext}");
        let r = app.get_with(&rep, &format!("/programme/{id}/report/2026.{ext}")).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{ext} for a reporter");
    }
    assert_eq!(
        app.get_with(&viewer, &format!("/programme/{id}/report/2026.doc")).await.status(),
        StatusCode::NOT_FOUND
    );
    let r = app.get_with(&viewer, "/programme/indicators?year=2026").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!r.text().await.unwrap().contains("/programme/indicators/2026/home_visits"));
    assert_eq!(app.get_with(&viewer, "/programme/indicators/2026/home_visits").await.status(), StatusCode::FORBIDDEN);
    let r = app.get_with(&viewer, "/programme/statutory/2026/csv").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(r.text().await.unwrap().contains(";procedures_opened;"));
    let r = app.get_with(&viewer, "/programme/statutory?year=20x6").await;
    assert!(r.text().await.unwrap().contains("id=\"year-error\""));

    // The report as data over the API, and the team's narrative.
    let r = c.get(app.url(&format!("/api/v1/programmes/{id}/report/2026"))).bearer_auth(&chair).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["report"]["goals"][0]["tasks"][0]["indicators"][0]["values"][1]["value"], 1000);
    let r = c
        .put(app.url(&format!("/api/v1/programmes/{id}/report/2026/narrative/g1")))
        .bearer_auth(&chair)
        .json(&json!({"body": "Szkolenia dla członków zespołu.", "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let stale = c
        .put(app.url(&format!("/api/v1/programmes/{id}/report/2026/narrative/g1")))
        .bearer_auth(&chair)
        .json(&json!({"body": "Inaczej.", "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let r = c.get(app.url("/api/v1/indicators/2026")).bearer_auth(&chair).send().await.unwrap();
    let indicators: Value = r.json().await.unwrap();
    assert!(
        indicators
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["key"] == "home_visits" && i["rule_pl"].as_str().unwrap().contains("Wizyty"))
    );
    let group = token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;
    let r = c.get(app.url("/api/v1/indicators/2026")).bearer_auth(&group).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let openapi: Value = c.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in ["/api/v1/programmes", "/api/v1/programmes/{id}/report/{year}", "/api/v1/statutory/{year}"] {
        assert!(openapi["paths"][path].is_object(), "{path}");
    }
}
