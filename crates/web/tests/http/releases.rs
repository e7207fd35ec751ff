//! Issue 20, item 2 over real HTTP: the chair's redacted copy of the case documentation. The suspected person's copy
//! never carries the sealed address nor the victim's PESEL (read back from the PDF), carries its watermark on every
//! page, and is in the officer's register; a release without a recipient is refused beside the field with the typed
//! data kept; anyone but the chair or deputy is refused with 403 and leaves no trace.

use domain::identity::Role;
use reqwest::StatusCode;
use store::AuditFilter;

use crate::documents::pdf_text;
use crate::dpo_register::{number, register_path, seal};
use crate::helpers::{TestApp, between};
use crate::sealed_fields::case_with_address;

const VICTIM_PESEL: &str = "85031208407";
const SUSPECT_PESEL: &str = "83010505714";
const RECIPIENT: &str = "Mec. Adam Nowak";
const PURPOSE: &str = "sprawa rozwodowa";

/// The value of the first checkbox named `name` on the page.
fn first_value(html: &str, name: &str) -> String {
    between(html, &format!("name=\"{name}\" value=\""), "\"")
}

#[tokio::test]
async fn the_suspected_persons_copy_hides_the_sealed_address_and_the_victims_pesel_and_is_watermarked_and_registered() {
    let app = TestApp::spawn().await;
    let (id, _social, _police, police_token) = case_with_address(&app).await;
    seal(&app, &id).await;
    let deputy = app.login_as("wiceprzewodniczacy", &[Role::DeputyChair]).await;
    let case_page = app.get_with(&deputy, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(case_page.contains(&format!("/procedures/{id}/release")), "the chair's way to the page");
    let page_path = format!("/procedures/{id}/release");
    let r = app.get_with(&deputy, &page_path).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let form = first_value(&html, "documents");
    assert!(form.starts_with("form:"), "{form}");
    let today = between(&html, "max=\"", "\"");
    let typed = |recipient: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut v = vec![
            ("recipient", recipient),
            ("purpose", PURPOSE),
            ("requester", "suspected_person"),
            ("basis", "act_9c_5_suspected"),
        ];
        v.extend(extra);
        v
    };

    // Without a recipient: refused beside the field, everything typed kept, nothing released.
    let mut fields = typed("  ", vec![]);
    fields.push(("requested_on", today.as_str()));
    fields.push(("documents", form.as_str()));
    let r = app.post_form(&deputy, &page_path, &page_path, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("id=\"recipient-error\">Podaj odbiorcę kopii."), "{refused}");
    assert!(refused.contains(&format!("value=\"{PURPOSE}\"")), "the purpose typed is kept");
    assert!(refused.contains(&format!("value=\"{form}\" checked")), "the document chosen is kept");
    assert!(refused.contains("value=\"suspected_person\" selected"));
    // Sealed data for the suspected person: refused beside the choice.
    let mut fields = typed(RECIPIENT, vec![("include_sealed", "on"), ("sealed_reason", "prosi o wszystko")]);
    fields.push(("requested_on", today.as_str()));
    fields.push(("documents", form.as_str()));
    let r = app.post_form(&deputy, &page_path, &page_path, &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("id=\"include_sealed-error\""));

    let mut fields = typed(RECIPIENT, vec![]);
    fields.push(("requested_on", today.as_str()));
    fields.push(("documents", form.as_str()));
    let r = app.post_form(&deputy, &page_path, &page_path, &fields).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let text = pdf_text(&r.bytes().await.unwrap());
    assert!(!text.contains("Ukryta"), "the sealed address: {text}");
    // A PESEL is printed in 11 boxes, one digit each: compare without the spaces between them.
    let digits: String = text.split_whitespace().collect();
    assert!(!digits.contains(VICTIM_PESEL), "the victim's PESEL: {text}");
    assert!(digits.contains(SUSPECT_PESEL), "the requester's own data stay");
    assert!(text.contains("[utajniono]") && text.contains("zastrzeżone"));
    let date = {
        let d: jiff::civil::Date = today.parse().unwrap();
        d.strftime("%d.%m.%Y").to_string()
    };
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2, "a cover and the form");
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains(&format!("Kopia z {date} dla: {RECIPIENT} · cel: {PURPOSE}")),
            "page {} has no watermark: {page}",
            i + 1
        );
    }

    // Listed on the page and in the officer's register.
    let html = app.get_with(&deputy, &page_path).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"release\"") && html.contains(RECIPIENT));
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;
    let number = number(&app, &police_token, &id).await;
    let register = app.get_with(&dpo, &register_path(&number)).await.text().await.unwrap();
    assert!(register.contains("data-testid=\"register-release\""), "{register}");
    assert!(register.contains(RECIPIENT) && register.contains(PURPOSE));
    assert!(
        !register.contains("register-not-recorded-yet")
            && register.matches("data-testid=\"register-release\"").count() == 1
    );
}

#[tokio::test]
async fn anyone_but_the_chair_or_deputy_is_refused_and_leaves_no_trace() {
    let app = TestApp::spawn().await;
    let (id, social, _police, _) = case_with_address(&app).await;
    let secretary = app.login_as("sekretarz", &[Role::Secretary]).await;
    let path = format!("/procedures/{id}/release");
    let fields = [
        ("recipient", RECIPIENT),
        ("purpose", PURPOSE),
        ("requester", "authority"),
        ("basis", "court_or_prosecutor"),
        ("requested_on", "2026-11-24"),
    ];
    for (login, client) in [("sekretarz", &secretary), ("pracownik.socjalny", &social)] {
        let trail =
            |login: &str| AuditFilter { actor_login: Some(login.to_owned()), limit: 1000, ..Default::default() };
        let csrf = crate::helpers::csrf_of(&app.get_with(client, "/").await.text().await.unwrap());
        let before = app.store.audit_entries(&store::Actor::operator(), &trail(login)).await.unwrap().len();
        assert_eq!(app.get_with(client, &path).await.status(), StatusCode::FORBIDDEN, "{login}");
        let mut body = vec![("csrf", csrf.as_str())];
        body.extend_from_slice(&fields);
        let r = client.post(app.url(&path)).form(&body).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{login}");
        let after = app.store.audit_entries(&store::Actor::operator(), &trail(login)).await.unwrap();
        assert_eq!(after.len(), before, "{login} left a trace: {:?}", after.first().map(|e| &e.object_kind));
    }
    // Nothing was released.
    let deputy = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let html = app.get_with(&deputy, &path).await.text().await.unwrap();
    assert!(!html.contains("data-testid=\"release\""));
}
