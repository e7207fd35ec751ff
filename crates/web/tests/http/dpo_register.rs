//! Issue 20, item 7 over real HTTP: the data protection officer's register of a case lists who read it (name, role,
//! address) in Polish words, the seal with its reason, pages through a case read hundreds of times, exports it as CSV
//! named by case and period (the export audited), and is refused to the chair.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;
use store::AuditFilter;

use crate::helpers::TestApp;
use crate::sealed_fields::case_with_address;

const SEAL_REASON: &str = "Osoba uciekła; nowy adres znany tylko MOPS.";

/// The case's number, as the police officer's API answer gives it.
pub(crate) async fn number(app: &TestApp, token: &str, id: &str) -> String {
    let json: Value = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    json["number"].as_str().expect("the number").to_owned()
}

/// Seals Anna's address as the deputy chair, with [`SEAL_REASON`].
pub(crate) async fn seal(app: &TestApp, id: &str) {
    let deputy = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let case_page = format!("/procedures/{id}");
    let html = app.get_with(&deputy, &case_page).await.text().await.unwrap();
    let at = html.find("name=\"person\"").expect("the sealing form");
    let option = &html[at..];
    let start = option.find("<option value=\"").unwrap() + "<option value=\"".len();
    let after_blank = &option[start..];
    let next = after_blank.find("<option value=\"").unwrap() + "<option value=\"".len();
    let anna = after_blank[next..next + after_blank[next..].find('"').unwrap()].to_owned();
    let r = app
        .post_form(
            &deputy,
            &case_page,
            &format!("/procedures/{id}/seals"),
            &[("person", &anna), ("kind", "address"), ("reason", SEAL_REASON)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

pub(crate) fn register_path(number: &str) -> String {
    format!("/audit/register?{}", serde_urlencoded::to_string([("number", number)]).unwrap())
}

#[tokio::test]
async fn the_officer_sees_who_read_the_case_and_the_seal_reason_in_words_and_the_chair_is_refused() {
    let app = TestApp::spawn().await;
    let (id, _social, police, police_token) = case_with_address(&app).await;
    let number = number(&app, &police_token, &id).await;
    seal(&app, &id).await;
    assert_eq!(app.get_with(&police, &format!("/procedures/{id}")).await.status(), StatusCode::OK);
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;

    let r = app.get_with(&dpo, &register_path(&number.to_lowercase())).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let reads = html.matches("data-testid=\"register-read\"").count();
    assert!(reads >= 2, "{html}");
    assert!(html.contains("policjant.gdp"), "the police officer's read");
    assert!(html.contains("Członek grupy diagnostyczno-pomocowej"), "the reader's role in words");
    assert!(html.contains("karta sprawy"), "what was read, in words");
    assert!(html.contains(SEAL_REASON), "the seal's reason for the officer");
    assert!(html.contains("adres zamieszkania"));
    assert!(!html.contains("ul. Ukryta"), "never the sealed value itself");
    for raw in ["read_personal_data", "field_seal", ">procedure<", "group_member<"] {
        assert!(!html.contains(raw), "no raw code {raw} on the page");
    }
    assert!(!html.contains("Ostoja jeszcze tego nie odnotowuje"), "releases and erasures are recorded now");
    assert!(html.contains("Nie udostępniano kopii dokumentacji tej sprawy"), "no release of this case, said so");
    assert!(html.contains("/audit/retention#erased"), "the erasures are one link away");

    // An unknown number: beside the field, the number kept.
    let r = app.get_with(&dpo, "/audit/register?number=NK%2F1999%2F0042").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nie ma w gminie sprawy o takim numerze") && html.contains("value=\"NK/1999/0042\""));
    // A period ending before it starts.
    let r = app.get_with(&dpo, "/audit/register?from=2026-05-01&until=2026-04-01").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let chair = app.login_as("przewodniczaca.iod", &[Role::Chair]).await;
    assert_eq!(app.get_with(&chair, &register_path(&number)).await.status(), StatusCode::FORBIDDEN);
    let export = format!("/audit/register/export?{}", serde_urlencoded::to_string([("number", &number)]).unwrap());
    assert_eq!(app.get_with(&chair, &export).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_csv_export_holds_the_rows_is_named_by_case_and_period_and_is_audited() {
    let app = TestApp::spawn().await;
    let (id, _social, police, police_token) = case_with_address(&app).await;
    let number = number(&app, &police_token, &id).await;
    seal(&app, &id).await;
    assert_eq!(app.get_with(&police, &format!("/procedures/{id}")).await.status(), StatusCode::OK);
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;
    let today = app.store.today();
    let from = format!("{}-01-01", today.year());
    let query = serde_urlencoded::to_string([
        ("number", number.as_str()),
        ("from", &from),
        ("until", &today.to_string()),
        ("format", "csv"),
    ])
    .unwrap();
    let r = app.get_with(&dpo, &format!("/audit/register/export?{query}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"].to_str().unwrap().to_owned();
    let safe: String = number.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    assert!(disposition.contains(&format!("rejestr-iod-{safe}-{from}-{today}.csv")), "{disposition}");
    let csv = r.text().await.unwrap();
    let read_rows = csv.lines().filter(|l| l.starts_with("odczyt danych,") && l.contains("policjant.gdp")).count();
    assert!(read_rows >= 1, "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("zastrzeżenie danych,") && l.contains(SEAL_REASON)), "{csv}");

    // The summary export of the same period counts the police officer's reads.
    let query = serde_urlencoded::to_string([("from", from.as_str()), ("format", "csv")]).unwrap();
    let csv = app.get_with(&dpo, &format!("/audit/register/export?{query}")).await.text().await.unwrap();
    assert!(csv.lines().any(|l| l.starts_with("policjant.gdp,") && l.contains("karta sprawy")), "{csv}");

    let entries = app
        .store
        .audit_entries(&store::Actor::operator(), &AuditFilter { limit: 500, ..Default::default() })
        .await
        .unwrap();
    let exports: Vec<_> =
        entries.iter().filter(|e| e.object_kind == "dpo_register" && e.detail.contains("exported")).collect();
    assert_eq!(exports.len(), 2, "both exports are in the audit trail");
    assert!(exports.iter().all(|e| e.actor_login.as_deref() == Some("iod")));
}

#[tokio::test]
async fn a_case_read_hundreds_of_times_pages_through_every_read() {
    let app = TestApp::spawn().await;
    let (id, _social, _police, police_token) = case_with_address(&app).await;
    let number = number(&app, &police_token, &id).await;
    let api = reqwest::Client::new();
    for _ in 0..205 {
        let r = api.get(app.url(&format!("/api/v1/procedures/{id}"))).bearer_auth(&police_token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;
    let mut path = register_path(&number);
    let mut pages = Vec::new();
    loop {
        let html = app.get_with(&dpo, &path).await.text().await.unwrap();
        pages.push(html.matches("data-testid=\"register-read\"").count());
        let Some(at) = html.find("data-testid=\"register-older\"") else { break };
        let href_start = html[..at].rfind("href=\"").unwrap() + "href=\"".len();
        path = html[href_start..href_start + html[href_start..].find('"').unwrap()]
            .replace("&amp;", "&")
            .replace("&#38;", "&");
        assert!(pages.len() < 5, "paging ends: {pages:?} {path}");
    }
    assert_eq!(pages[0], 200, "a full first page");
    assert!(pages.len() >= 2, "{pages:?}");
    assert!(pages.iter().sum::<usize>() >= 206, "every read on some page: {pages:?}");
}
