//! The case's documents over real HTTP: the links on the procedure page, the PDFs with the printing account on every
//! page, form B in Ukrainian with the directory of help, need-to-know as on the case pages, the audit trail, and the
//! case list exported as CSV and XLSX.

use std::process::Command;
use store::Caller;

use domain::identity::Role;
use reqwest::StatusCode;

use crate::case_records::staffed_case;
use crate::helpers::TestApp;

/// The text of a PDF, as poppler's pdftotext reads it (installed by scripts/test and .ci/run).
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").args(["-enc", "UTF-8", "-nodiag"]).arg(&path).arg("-").output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

async fn pdf(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let r = app.get_with(client, path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{path}");
    pdf_text(&bytes)
}

async fn documents_trail(app: &TestApp, kind: &str) -> Vec<store::AuditEntry> {
    let all = app
        .store
        .audit_entries(
            &store::Actor::operator(),
            &store::AuditFilter { action: Some("read_personal_data".into()), limit: 500, ..Default::default() },
        )
        .await
        .unwrap();
    all.into_iter().filter(|e| e.object_kind == kind).collect()
}

#[tokio::test]
async fn the_team_prints_form_a_form_b_in_ukrainian_and_the_case_file_each_recorded_and_watermarked() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    let chair = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(html.contains("Dokumenty do druku"), "{html}");
    let start = html.find(&format!("/procedures/{id}/documents/forms/")).expect("a link to form A's PDF");
    let form_link = &html[start..start + html[start..].find('"').unwrap()];

    let text = pdf(&app, &chair, form_link).await;
    assert!(text.contains("Niebieska Karta – A"), "{text}");
    assert!(text.contains("Wydrukował(a) zastepca dnia "), "the printing account is on the page");

    let text = pdf(&app, &chair, &format!("/procedures/{id}/documents/form-b/uk.pdf")).await;
    assert!(text.contains("Блакитна картка – B"), "{text}");
    assert!(text.contains("112"));

    let text = pdf(&app, &chair, &format!("/procedures/{id}/documents/case-file.pdf")).await;
    assert!(text.contains("Akta sprawy") && text.contains("Przebieg sprawy"), "{text}");
    let _ = pdf(&app, &chair, &format!("/procedures/{id}/documents/plan.pdf")).await;

    let trail = documents_trail(&app, "procedure_document").await;
    let printed: Vec<&str> = trail.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(trail.len(), 4, "{printed:?}");
    assert!(
        trail
            .iter()
            .all(|e| e.actor_login.as_deref() == Some("zastepca") && e.object_id.as_deref() == Some(id.as_str()))
    );
    assert!(printed.iter().any(|d| d.starts_with("pdf case_file")), "{printed:?}");

    // A language that does not exist, or a form of no case, is not found.
    let r = app.get_with(&chair, &format!("/procedures/{id}/documents/form-b/de.pdf")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = app.get_with(&chair, &format!("/procedures/{id}/documents/forms/{}.pdf", uuid::Uuid::nil())).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn documents_follow_need_to_know_as_the_case_pages_do() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    // A group member of no group of this case: not found, as for a case that does not exist.
    let outsider = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    for path in ["case-file.pdf", "plan.pdf", "form-b/pl.pdf"] {
        let r = app.get_with(&outsider, &format!("/procedures/{id}/documents/{path}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // Another police officer, who filed no form of this case.
    let initiator = app.login_as("inny.dzielnicowy", &[Role::Initiator]).await;
    let r = app.get_with(&initiator, &format!("/procedures/{id}/documents/case-file.pdf")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(documents_trail(&app, "procedure_document").await.is_empty(), "nothing refused is recorded as printed");
}

#[tokio::test]
async fn the_case_list_exports_as_csv_for_polish_excel_and_as_xlsx_and_each_export_is_recorded() {
    let app = TestApp::spawn().await;
    let (_, _) = staffed_case(&app).await;
    let chair = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let html = app.get_with(&chair, "/procedures").await.text().await.unwrap();
    assert!(html.contains("/procedures/export?format=csv-semicolon"), "{html}");
    let r = app.get_with(&chair, "/procedures/export?format=csv-semicolon&phase=&from=&until=&number=").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = r.bytes().await.unwrap();
    assert!(csv.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    assert!(csv.contains("Numer sprawy;") || csv.lines().next().unwrap().contains(';'), "{csv}");
    assert_eq!(csv.lines().count(), 2, "the header and the one case: {csv}");

    let r = app.get_with(&chair, "/procedures/export?format=xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let r = app.get_with(&chair, "/procedures/export?format=pdf").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = app.get_with(&chair, "/procedures/export?format=csv&from=31.02.2026").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // An account that sees no case exports an empty list.
    let outsider = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    let csv = app.get_with(&outsider, "/procedures/export?format=csv").await.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1, "{csv}");
    assert_eq!(documents_trail(&app, "case_list").await.len(), 3);
}

#[tokio::test]
async fn form_b_in_the_language_chosen_at_hand_over_comes_first_on_the_procedure_page() {
    let app = TestApp::spawn().await;
    let (id, _) = staffed_case(&app).await;
    let chair = app.login_as("zastepca", &[Role::DeputyChair]).await;
    let first_form_b = |html: &str| {
        let start = html.find(&format!("/procedures/{id}/documents/form-b/")).expect("a form B link");
        html[start..start + 200.min(html.len() - start)].to_owned()
    };
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    assert!(first_form_b(&html).contains("form-b/pl.pdf"), "Polish first when nothing was chosen");

    let principal = app.store.principal(app.store.account_by_login("zastepca").await.unwrap().0).await.unwrap();
    let handle = app.store.case_access(&Caller::local(&principal), uuid::Uuid::parse_str(&id).unwrap()).await.unwrap();
    let now = app.store.now().to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string();
    let answers: domain::forms::Answers = [
        ("handover.handed", "yes"),
        ("handover.at", now.as_str()),
        ("handover.to_whom", "affected_person"),
        ("handover.language", "uk"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let record =
        store::procedure::validate_record(domain::forms::records::RecordKind::FormBHandover, &answers).unwrap();
    app.store.add_record(&handle, &record).await.unwrap();
    let html = app.get_with(&chair, &format!("/procedures/{id}")).await.text().await.unwrap();
    let first = first_form_b(&html);
    assert!(first.contains("form-b/uk.pdf") && first.contains("język wybrany przy przekazaniu"), "{first}");
}
