//! The county's and region's page over HTTP (issue 17): the municipalities' submissions and sums, a return with its
//! comment refused beside the field and then shown to the municipality's chair, the exports, the region's approval
//! refused for a running year; and every page a coordinator can open holds no name, PESEL or case number.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::procedures::{form_a, open_case, pesel};

#[tokio::test]
async fn the_county_sees_figures_only_returns_a_submission_and_the_chair_reads_why() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let opener = app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "test").await.unwrap();
    let case = open_case(&app, &opener, form_a()).await;
    let number = {
        let (id, _) = app.store.account_by_login("przewodniczaca").await.unwrap();
        let principal = app.store.principal(id).await.unwrap();
        let cases = app.store.list_procedures(&principal, 10, 0).await.unwrap();
        cases.iter().find(|c| c.id.to_string() == case).unwrap().number.clone()
    };
    let statutory = "/programme/statutory?year=2026";
    let r = app
        .post_form(
            &chair,
            statutory,
            "/programme/statutory/2026/approve",
            &[("reason", "Rok w toku: wersja robocza dla powiatu.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let county = app.login_as("koordynator.powiatu", &[Role::CountyCoordinator]).await;
    let page = "/area?year=2026";
    let html = app.get_with(&county, page).await.text().await.unwrap();
    assert!(html.contains("Gmina Testowa") && html.contains("powiat tomaszowski"), "{html}");
    assert!(html.contains("Przekazało 1 z 1 gmin"), "{html}");
    assert!(html.contains("liczba wszczętych w danym roku procedur"), "the template's words");
    // One procedure is "<5" in the county's sums and in the bars' table.
    assert!(
        html.contains("data-testid=\"area-procedures_opened\">&lt;5<")
            || html.contains("data-testid=\"area-procedures_opened\">&#60;5<"),
        "{html}"
    );
    assert!(!html.contains("procedures_opened<") && !html.contains(">county_coordinator<"), "no codes on the page");

    // Every page the coordinator can open: no name, PESEL or case number of the municipality's case.
    let secrets = ["Kowalsk", "Anna", &pesel("8503120840"), &pesel("8301050571"), &number, &case, "Wiśniewski"];
    let mut opened = 0;
    for route in web::route_table().into_iter().filter(|r| r.method == "GET") {
        let path = route.path.replace("{year}", "2026");
        // The public pages and the API's own description (its examples name invented people) are no one's data.
        if path.contains('{') || path.starts_with("/pomoc") || path.starts_with("/static") || path.starts_with("/api/")
        {
            continue;
        }
        let r = app.get_with(&county, &path).await;
        if r.status() != StatusCode::OK {
            continue;
        }
        opened += 1;
        let bytes = r.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for s in &secrets {
            assert!(!text.contains(s), "{path} shows {s}");
        }
    }
    assert!(opened >= 4, "the coordinator opened {opened} pages");
    let json: Value = app.get_with(&county, "/area/2026/json").await.json().await.unwrap();
    assert_eq!(json["municipalities_counted"], 1);
    assert!(json["lines"].as_array().unwrap().iter().any(|l| l["id"] == "procedures_opened" && l["value"] == "<5"));

    // A return needs a comment: refused beside the field, the typed text kept.
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap().id.to_string();
    let action = "/area/2026/return";
    let r = app.post_form(&county, page, action, &[("municipality", &tenant), ("comment", "popraw")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"comment-1016011-error\"") && html.contains(">popraw</textarea>"), "{html}");
    assert!(html.contains("co najmniej 10 znaków"));
    let comment = "Liczba posiedzeń zespołu nie zgadza się z protokołami.";
    let r = app.post_form(&county, page, action, &[("municipality", &tenant), ("comment", comment)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&county, page).await.text().await.unwrap();
    assert!(html.contains("zwrócono do poprawy"), "{html}");
    let html = app.get_with(&chair, statutory).await.text().await.unwrap();
    assert!(html.contains("data-testid=\"statutory-returned\"") && html.contains(comment), "{html}");
    // A malformed municipality is a 400, never a 500.
    let r = app.post_form(&county, page, action, &[("municipality", "nie-uuid"), ("comment", comment)]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // The region sees the same municipality and cannot approve a year still running.
    let region = app.login_as("koordynator.regionu", &[Role::RegionalCoordinator]).await;
    let html = app.get_with(&region, page).await.text().await.unwrap();
    assert!(html.contains("województwo łódzkie") && html.contains("Zatwierdź sprawozdanie województwa"), "{html}");
    let r = app.post_form(&region, page, "/area/2026/approve", &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("po zakończeniu roku"));
    let r = app.get_with(&region, "/area/2026/xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // The municipality's own accounts have no area.
    assert_eq!(app.get_with(&chair, page).await.status(), StatusCode::FORBIDDEN);
    let viewer = app.login_as("podglad.gminy", &[Role::AggregateViewer]).await;
    assert_eq!(app.get_with(&viewer, page).await.status(), StatusCode::NOT_FOUND);
}
