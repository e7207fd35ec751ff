//! Issue 20, item 1 over real HTTP: a sealed address never appears on the page, in the API answer or in the PDFs of
//! a member the seal does not name, while the named social worker sees it (and the case file for outside does not
//! print it even for them); a seal without a reason is refused beside its field with the typed choices kept.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::documents::pdf_text;
use crate::helpers::TestApp;
use crate::procedures::{form_a, group_members, open_case, token};

const STREET: &str = "Ukryta";
const NEW_ADDRESS: &str = "ul. Ukryta 7, 31-000 Kraków";

/// A case whose person experiencing violence gave a new address, its group appointed; the clients of the police
/// officer and the social worker (both in the group) and the police officer's API token.
pub(crate) async fn case_with_address(app: &TestApp) -> (String, reqwest::Client, reqwest::Client, String) {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let mut answers = form_a();
    answers["affected_persons[0].residence_address"] = Value::from(NEW_ADDRESS);
    let id = open_case(app, &initiator, answers).await;
    let chair = token(app, "przewodniczaca", &[Role::Chair]).await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let police = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let police_token = app.store.issue_api_token(&store::Actor::operator(), "policjant.gdp", "test").await.unwrap();
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&serde_json::json!({"members": group_members(app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    (id, social, police, police_token)
}

async fn page(app: &TestApp, client: &reqwest::Client, id: &str) -> String {
    let r = app.get_with(client, &format!("/procedures/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.text().await.unwrap()
}

/// The first link on `html` starting with `prefix`.
fn link(html: &str, prefix: &str) -> String {
    let start = html.find(prefix).unwrap_or_else(|| panic!("{prefix} on the page"));
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn pdf(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let r = app.get_with(client, path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    pdf_text(&r.bytes().await.unwrap())
}

#[tokio::test]
async fn a_sealed_address_is_shown_only_to_the_named_social_worker_on_pages_api_and_pdfs() {
    let app = TestApp::spawn().await;
    let (id, social, police, police_token) = case_with_address(&app).await;
    let deputy = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let case_page = format!("/procedures/{id}");
    let html = page(&app, &deputy, &id).await;
    assert!(html.contains("Dane zastrzeżone") && html.contains(NEW_ADDRESS), "not sealed yet");
    let anna = {
        let at = html.find("name=\"person\"").expect("the sealing form");
        let option = &html[at..];
        let start = option.find("<option value=\"").unwrap() + "<option value=\"".len();
        let after_blank = &option[start..];
        // The first option is the blank "choose"; the next is Anna.
        let next = after_blank.find("<option value=\"").unwrap() + "<option value=\"".len();
        after_blank[next..next + after_blank[next..].find('"').unwrap()].to_owned()
    };

    // Without a reason: refused beside the reason, the person and kind chosen kept.
    let sealing = format!("/procedures/{id}/seals");
    let r =
        app.post_form(&deputy, &case_page, &sealing, &[("person", &anna), ("kind", "address"), ("reason", "  ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"seal-reason-error\">Są braki w danych: podaj powód."), "{html}");
    assert!(html.contains(&format!("value=\"{anna}\" selected")) && html.contains("value=\"address\" selected"));
    // A made-up person is refused too, nothing sealed.
    let r = app
        .post_form(&deputy, &case_page, &sealing, &[("person", "00ff"), ("kind", "address"), ("reason", "ucieczka")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let r = app
        .post_form(
            &deputy,
            &case_page,
            &sealing,
            &[("person", &anna), ("kind", "address"), ("reason", "Osoba uciekła; nowy adres znany tylko MOPS.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The police officer in the group: neither page, nor API, nor PDF carries the address.
    let html = page(&app, &police, &id).await;
    assert!(!html.contains(STREET), "the page of a member not named");
    assert!(html.contains("zastrzeżone"));
    let api = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/procedures/{id}")))
        .bearer_auth(&police_token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!api.contains(STREET), "the API answer of a member not named");
    let json: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(json["forms"][0]["sealed"][0], "affected_persons[0].residence_address", "a marker, not the value");
    let form_link = link(&html, &format!("/procedures/{id}/documents/forms/"));
    let text = pdf(&app, &police, &form_link).await;
    assert!(!text.contains(STREET) && text.contains("zastrzeżone"), "{text}");
    let text = pdf(&app, &police, &format!("/procedures/{id}/documents/case-file.pdf")).await;
    assert!(!text.contains(STREET));
    // The deputy who sealed it is not named either.
    assert!(!page(&app, &deputy, &id).await.contains(STREET));

    // The social worker (named by default) sees it on the page and their form PDF; the case file for a court
    // withholds it even from them.
    let html = page(&app, &social, &id).await;
    assert!(html.contains(NEW_ADDRESS));
    let text = pdf(&app, &social, &form_link).await;
    assert!(text.contains(STREET), "{text}");
    let text = pdf(&app, &social, &format!("/procedures/{id}/documents/case-file.pdf")).await;
    assert!(!text.contains(STREET) && text.contains("zastrzeżone"), "{text}");

    // The police officer may not seal (not the coordinator): nothing changes.
    let r =
        app.post_form(&police, &case_page, &sealing, &[("person", &anna), ("kind", "contact"), ("reason", "x")]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
