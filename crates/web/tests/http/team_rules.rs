//! The team's rules, standards for institutions and agreements with them (issue 18 item 5) over real HTTP: refusals
//! beside the field with the typed data kept, "Zapisano" with the saved item in view, versions kept, stale versions
//! refused, the reminder before an agreement lapses (pages, home page, one notification), and who may see them.
//! The test clock stands at 2026-11-23.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, location};

/// Posts owned field values (as `TestApp::post_form` does with borrowed ones).
async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, String)],
) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post_form(client, page, action, &borrowed).await
}

async fn institutions(app: &TestApp) -> (String, String) {
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let op = store::Actor::operator();
    let police = app.store.create_institution(&op, tenant.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    let school = app.store.create_institution(&op, tenant.id, "Szkoła Podstawowa nr 1", "education").await.unwrap();
    (police.id.to_string(), school.id.to_string())
}

#[tokio::test]
async fn the_rules_keep_every_version_with_its_resolution_and_refuse_bad_input_beside_the_field() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let page = "/team/rules";
    let html = app.get_with(&chair, page).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"rules-none\""), "{html}");

    // No resolution number, a day that does not exist: both refused beside their fields, the text kept.
    let bad = [
        ("title", "Regulamin Zespołu Interdyscyplinarnego"),
        ("body", "§ 1. Zespół działa na podstawie art. 9a ustawy."),
        ("resolution_number", ""),
        ("resolution_on", "2026-02-30"),
        ("in_force_from", "2026-03-01"),
    ];
    let r = app.post_form(&chair, page, page, &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"resolution_number-error\"") && html.contains("id=\"resolution_on-error\""), "{html}");
    assert!(html.contains("§ 1. Zespół działa na podstawie art. 9a ustawy."), "what was typed is kept");
    assert!(html.contains("To pole jest wymagane."), "in Polish");

    let first = [
        ("title", "Regulamin Zespołu Interdyscyplinarnego"),
        ("body", "§ 1. Zespół działa na podstawie art. 9a ustawy."),
        ("resolution_number", "1/2026"),
        ("resolution_on", "2026-02-10"),
        ("in_force_from", "2026-03-01"),
    ];
    let r = app.post_form(&chair, page, page, &first).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/team/rules#version-1");
    let html = app.get_with(&chair, page).await.text().await.unwrap();
    assert!(html.contains("Zapisano"), "the save is confirmed");
    assert!(html.contains("nr 1/2026 z dnia 10.02.2026") && html.contains("Obowiązuje od 01.03.2026."), "{html}");
    // The rules are one per municipality: a second first version is a conflict, not a second document.
    let r = app.post_form(&chair, page, page, &first).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // An amendment in force before the resolution that adopted it is refused beside the field, the text kept.
    let version = crate::helpers::between(&html, "name=\"version\" value=\"", "\"");
    let amend = |from: &'static str, v: String| {
        vec![
            ("version", v),
            ("body", "§ 1. Zespół działa na podstawie art. 9a ustawy.\n§ 2. Posiedzenia co dwa miesiące.".to_owned()),
            ("resolution_number", "7/2026".to_owned()),
            ("resolution_on", "2026-11-20".to_owned()),
            ("in_force_from", from.to_owned()),
        ]
    };
    let r = post(&app, &chair, page, "/team/rules/versions", &amend("2026-02-01", version.clone())).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"in_force_from-error\"") && html.contains("Posiedzenia co dwa miesiące."), "{html}");
    // A form read before someone else's change is refused as stale.
    let r = post(&app, &chair, page, "/team/rules/versions", &amend("2027-01-01", "999".to_owned())).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let r = post(&app, &chair, page, "/team/rules/versions", &amend("2027-01-01", version)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/team/rules#version-2");
    let html = app.get_with(&chair, page).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"document-upcoming\""), "the amendment is ahead: {html}");
    assert!(html.contains("Wersja 2 (uchwała nr 7/2026) wejdzie w życie 01.01.2027."), "{html}");
    assert!(html.contains("id=\"version-1\"") && html.contains("id=\"version-2\""), "both versions in the history");
    // Version 1 stays the one in force until the amendment's day.
    let in_force = crate::helpers::between(&html, "data-testid=\"document-in-force\"", "</section>");
    assert!(in_force.contains("Wersja 1") && !in_force.contains("Posiedzenia co dwa miesiące."), "{in_force}");
}

#[tokio::test]
async fn a_standard_records_which_institutions_acknowledged_which_version() {
    let app = TestApp::spawn().await;
    let (police, school) = institutions(&app).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let list = "/team/standards";
    let mut fields = vec![
        ("title", ""),
        ("body", "Procedura postępowania w szkole przy podejrzeniu przemocy."),
        ("resolution_number", "4/2026"),
        ("resolution_on", "2026-05-12"),
        ("in_force_from", "2026-06-01"),
    ];
    let r = app.post_form(&chair, list, list, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"title-error\"") && html.contains("Procedura postępowania w szkole"), "{html}");
    fields[0] = ("title", "Standard reagowania w szkole");
    let r = app.post_form(&chair, list, list, &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = location(&r);
    assert!(shown.starts_with("/team/standards/"), "{shown}");
    let html = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(html.contains("Zapisano") && html.contains("Standard reagowania w szkole"), "{html}");
    assert!(html.contains("Nie potwierdziły obowiązującej wersji: Komenda Powiatowa Policji, Szkoła Podstawowa nr 1."));
    let version_id = crate::helpers::between(&html, "name=\"version_id\"><option value=\"", "\"");
    assert_eq!(version_id.len(), 36, "{html}");
    let action = format!("{shown}/acknowledgements");

    let ack = |institution: &str, on: &str| {
        vec![
            ("version_id", version_id.clone()),
            ("institution_id", institution.to_owned()),
            ("acknowledged_on", on.to_owned()),
        ]
    };
    // A day ahead, a day before the resolution, an institution that is no choice: each beside its field.
    for (fields, id) in [
        (ack(&school, "2026-12-01"), "acknowledged_on-error"),
        (ack(&school, "2026-05-01"), "acknowledged_on-error"),
        (ack("nie-uuid", "2026-09-01"), "institution_id-error"),
        (ack("", "2026-09-01"), "institution_id-error"),
    ] {
        let r = post(&app, &chair, &shown, &action, &fields).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{id}");
        assert!(r.text().await.unwrap().contains(&format!("id=\"{id}\"")), "{id}");
    }
    let r = post(&app, &chair, &shown, &action, &ack(&school, "2026-09-01")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{shown}#version-1"));
    let html = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(html.contains("Szkoła Podstawowa nr 1 — potwierdzenie z dnia 01.09.2026"), "{html}");
    assert!(html.contains("Nie potwierdziły obowiązującej wersji: Komenda Powiatowa Policji."), "{html}");
    // Once per institution and version.
    let r = post(&app, &chair, &shown, &action, &ack(&school, "2026-09-02")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("ma już zapisane zapoznanie"));
    let listed = app.get_with(&chair, list).await.text().await.unwrap();
    assert!(listed.contains("1 z 2 instytucji"), "{listed}");
    let _ = police;

    // The rules are not a standard; a malformed id is the 404 page.
    app.post_form(
        &chair,
        "/team/rules",
        "/team/rules",
        &[
            ("title", "Regulamin"),
            ("body", "§ 1."),
            ("resolution_number", "1/2026"),
            ("resolution_on", "2026-01-10"),
            ("in_force_from", "2026-01-10"),
        ],
    )
    .await;
    let rules = app.get_with(&chair, "/team/rules").await.text().await.unwrap();
    assert!(rules.contains("Obowiązuje od 10.01.2026."), "{rules}");
    assert_eq!(app.get_with(&chair, "/team/standards/nie-uuid").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agreement_about_to_lapse_is_shown_to_the_chair_until_it_is_extended() {
    let app = TestApp::spawn().await;
    let (police, school) = institutions(&app).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let list = "/team/agreements";
    let agreement = |institution: &str, signed: &str, to: &str| {
        vec![
            ("institution_id", institution.to_owned()),
            ("subject", "Udział przedstawiciela w pracach zespołu i wymiana informacji.".to_owned()),
            ("signed_on", signed.to_owned()),
            ("in_force_from", "2025-01-01".to_owned()),
            ("in_force_to", to.to_owned()),
            ("remind_days", String::new()),
        ]
    };
    // Signed in the future and ending before it starts: refused beside both fields, the subject kept.
    let r = post(&app, &chair, list, list, &agreement(&police, "2026-12-01", "2024-12-31")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"signed_on-error\"") && html.contains("id=\"in_force_to-error\""), "{html}");
    assert!(html.contains("Udział przedstawiciela w pracach zespołu"), "what was typed is kept");
    let mut bad_days = agreement(&police, "2024-12-01", "2026-12-10");
    bad_days[5] = ("remind_days", "dużo".to_owned());
    let r = post(&app, &chair, list, list, &bad_days).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"remind_days-error\""));

    // Lapsing on 10.12.2026, within the 30-day lead; the school's ended on 30.06.2026 with no new one.
    let r = post(&app, &chair, list, list, &agreement(&police, "2024-12-01", "2026-12-10")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let shown = location(&r);
    assert!(shown.starts_with("/team/agreements/"), "{shown}");
    let r = post(&app, &chair, list, list, &agreement(&school, "2024-12-01", "2026-06-30")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, list).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"agreements-attention\""), "{html}");
    assert!(html.contains("Wkrótce wygasa porozumienie z: Komenda Powiatowa Policji (ostatni dzień 10.12.2026)."));
    assert!(html.contains("Wygasło porozumienie z: Szkoła Podstawowa nr 1 (30.06.2026)"), "{html}");
    assert!(html.contains("wkrótce wygasa") && html.contains(">wygasło<"), "the state in words");
    assert!(!html.contains(">lapsing<") && !html.contains(">lapsed<"), "no raw state");
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(home.contains("data-testid=\"home-agreements\""), "{home}");
    assert!(home.contains("wkrótce wygasają: 1, wygasły bez nowego: 1"), "{home}");
    let team = app.get_with(&chair, "/team").await.text().await.unwrap();
    assert!(team.contains("bliskie wygaśnięcia: 1") && team.contains("wygasłe bez nowego: 1"), "{team}");

    // The daily job reminds the chair once, not again on the next run.
    let reminder = "zbliża się koniec porozumienia z instytucją członkowską";
    app.store.team_reminders().await.unwrap();
    app.store.team_reminders().await.unwrap();
    let notes = app.get_with(&chair, "/notifications").await.text().await.unwrap();
    assert_eq!(notes.matches(reminder).count(), 1, "{notes}");

    // The edit form carries the version it was read at; a stale one is refused, the typed data kept.
    let edit = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(edit.contains("Zmień porozumienie") && edit.contains("value=\"2026-12-10\""), "{edit}");
    let version = crate::helpers::between(&edit, "name=\"version\" value=\"", "\"");
    let mut extended = agreement(&police, "2024-12-01", "2027-12-31");
    extended.push(("version", "999".to_owned()));
    let r = post(&app, &chair, list, &shown, &extended).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("value=\"2027-12-31\""), "what was typed is kept");
    extended.pop();
    extended.push(("version", version));
    let r = post(&app, &chair, list, &shown, &extended).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), shown);
    let html = app.get_with(&chair, &shown).await.text().await.unwrap();
    assert!(html.contains("Zapisano") && html.contains("01.01.2025 – 31.12.2027"), "{html}");
    assert!(!html.contains("Wkrótce wygasa porozumienie"), "extended: no longer lapsing");
    let home = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(home.contains("wkrótce wygasają: 0, wygasły bez nowego: 1"), "{home}");
}

#[tokio::test]
async fn only_the_team_staff_of_the_municipality_see_the_rules_and_agreements() {
    let app = TestApp::spawn().await;
    let (police, _) = institutions(&app).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let r = app
        .post_form(
            &chair,
            "/team/agreements",
            "/team/agreements",
            &[
                ("institution_id", police.as_str()),
                ("subject", "Wymiana informacji"),
                ("signed_on", "2026-01-05"),
                ("in_force_from", "2026-01-05"),
                ("in_force_to", "2026-12-01"),
            ],
        )
        .await;
    let agreement = location(&r);
    let r = app
        .post_form(
            &chair,
            "/team/standards",
            "/team/standards",
            &[
                ("title", "Standard"),
                ("body", "Treść"),
                ("resolution_number", "2/2026"),
                ("resolution_on", "2026-01-05"),
                ("in_force_from", "2026-01-05"),
            ],
        )
        .await;
    let standard = location(&r);

    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    for path in ["/team/rules", "/team/standards", "/team/agreements", standard.as_str(), agreement.as_str()] {
        assert_eq!(app.get_with(&member, path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let home = app.get_with(&member, "/").await.text().await.unwrap();
    assert!(!home.contains("home-agreements"), "a member is not reminded of agreements");
    // Another municipality's chair: the records are not there.
    let other =
        app.store.create_tenant(&store::Actor::operator(), "1805021", "Gmina Miasto Jasło", false).await.unwrap();
    let stranger = app.login_in(other.id, "obca", &[Role::Chair]).await;
    for path in [standard.as_str(), agreement.as_str()] {
        assert_eq!(app.get_with(&stranger, path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app
        .post_form(
            &stranger,
            "/team/agreements",
            &agreement,
            &[
                ("institution_id", police.as_str()),
                ("subject", "Przejęcie"),
                ("signed_on", "2026-01-05"),
                ("in_force_from", "2026-01-05"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let own = app.get_with(&stranger, "/team/agreements").await.text().await.unwrap();
    assert!(!own.contains("Wymiana informacji"), "{own}");
}

async fn api(
    app: &TestApp,
    bearer: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    let mut r = reqwest::Client::new().request(method, app.url(path)).bearer_auth(bearer);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    (status, serde_json::from_str(&r.text().await.unwrap()).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn the_api_keeps_the_rules_and_agreements_with_the_same_checks() {
    use reqwest::Method;
    use serde_json::json;
    let app = TestApp::spawn().await;
    let (police, _) = institutions(&app).await;
    let chair = crate::procedures::token(&app, "przewodniczaca", &[Role::Chair]).await;
    let member = crate::procedures::token(&app, "pracownik.socjalny", &[Role::GroupMember]).await;

    assert_eq!(api(&app, &chair, Method::GET, "/api/v1/team/rules", None).await.0, StatusCode::NOT_FOUND);
    let rules = |number: &str| {
        json!({"title": "Regulamin", "body": "§ 1.", "resolution_number": number,
               "resolution_on": "2026-02-10", "in_force_from": "2026-03-01"})
    };
    let (s, v) = api(&app, &chair, Method::POST, "/api/v1/team/rules", Some(rules(""))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v.to_string().contains("resolution_number"), "{v}");
    let (s, _) = api(&app, &chair, Method::POST, "/api/v1/team/rules", Some(rules("1/2026"))).await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(
        api(&app, &chair, Method::POST, "/api/v1/team/rules", Some(rules("2/2026"))).await.0,
        StatusCode::CONFLICT
    );
    let (s, doc) = api(&app, &chair, Method::GET, "/api/v1/team/rules", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(doc["in_force"], 1, "{doc}");
    let amend = |version: &serde_json::Value| {
        json!({"body": "§ 1. § 2.", "resolution_number": "7/2026", "resolution_on": "2026-11-20",
               "in_force_from": "2027-01-01", "version": version})
    };
    let (s, _) = api(&app, &chair, Method::POST, "/api/v1/team/rules/versions", Some(amend(&json!(99)))).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = api(&app, &chair, Method::POST, "/api/v1/team/rules/versions", Some(amend(&doc["version"]))).await;
    assert_eq!((s, v["number"].clone()), (StatusCode::CREATED, json!(2)));

    let agreement = json!({"institution_id": police, "subject": "Wymiana informacji", "signed_on": "2024-12-01",
                           "in_force_from": "2025-01-01", "in_force_to": "2026-12-10"});
    let (s, created) = api(&app, &chair, Method::POST, "/api/v1/team/agreements", Some(agreement.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let (_, list) = api(&app, &chair, Method::GET, "/api/v1/team/agreements", None).await;
    assert_eq!(list[0]["state"], "lapsing", "{list}");
    let path = format!("/api/v1/team/agreements/{}", created["id"].as_str().unwrap());
    let mut stale = agreement.clone();
    stale["version"] = json!(7);
    assert_eq!(api(&app, &chair, Method::PUT, &path, Some(stale)).await.0, StatusCode::CONFLICT);
    let mut backwards = agreement.clone();
    backwards["in_force_to"] = json!("2024-12-31");
    backwards["version"] = json!(1);
    let (s, v) = api(&app, &chair, Method::PUT, &path, Some(backwards)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v.to_string().contains("in_force_to"), "{v}");

    for path in ["/api/v1/team/rules", "/api/v1/team/standards", "/api/v1/team/agreements", path.as_str()] {
        assert_eq!(api(&app, &member, Method::GET, path, None).await.0, StatusCode::FORBIDDEN, "{path}");
    }
}
