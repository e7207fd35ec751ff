//! Signed statutory packages over HTTP (issue 17, item 5): the chair's page shows the municipality's key and
//! downloads the package of an approved year (refused beside the year field otherwise); a region's installation
//! receives a pushed package with its push token only, and refuses the same package twice in Polish words.

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn the_chair_downloads_a_signed_package_that_the_receiving_endpoint_takes_once_with_its_push_token() {
    // Arrange: the chair approves 2025 (an empty municipality: no gaps, no reason needed).
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let r = app
        .post_form(&chair, "/programme/statutory?year=2025", "/programme/statutory/2025/approve", &[("reason", "")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Viewing the page makes no key (a GET changes nothing), and a download then says to make one first.
    let html = app.get_with(&chair, "/programme/statutory/package").await.text().await.unwrap();
    assert!(html.contains("Utwórz klucz podpisu") && !html.contains("package-fingerprint"), "{html}");
    let r = app.get_with(&chair, "/programme/statutory/package/download?year=2025").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("nie ma jeszcze klucza podpisu"));
    let r = app.post_form(&chair, "/programme/statutory/package", "/programme/statutory/package/key", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The page shows the key and its fingerprint in groups; the year still running is refused beside its field.
    let html = app.get_with(&chair, "/programme/statutory/package").await.text().await.unwrap();
    assert!(html.contains("Klucz podpisu gminy"), "{html}");
    let public_key = between(&html, "data-testid=\"package-public-key\">", "<");
    let fingerprint = between(&html, "data-testid=\"package-fingerprint\">", "<");
    assert_eq!((public_key.len(), fingerprint.len()), (64, 79), "{public_key} / {fingerprint}");
    let r = app.get_with(&chair, "/programme/statutory/package/download?year=2026").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"year-error\"") && html.contains("Rok 2026 jeszcze się nie zakończył"), "{html}");
    let r = app.get_with(&chair, "/programme/statutory/package/download?year=2024").await;
    assert!(r.text().await.unwrap().contains("Brak zatwierdzonych danych za rok 2024"));

    // Act: download 2025; the receiving side (here the same installation, for a municipality with no cases)
    // registers the key and takes the package pushed with the token.
    let r = app.get_with(&chair, "/programme/statutory/package/download?year=2025").await;
    assert_eq!(r.status(), StatusCode::OK);
    let package = r.bytes().await.unwrap();
    let envelope: Value = serde_json::from_slice(&package).unwrap();
    assert_eq!(envelope["teryt"], app.teryt.as_str());
    assert_eq!(envelope["version"], 1);
    let registered = app
        .store
        .register_package_key(&store::Actor::operator(), &app.teryt, &public_key, Some(&fingerprint))
        .await
        .unwrap();
    let push = |token: &str| {
        app.client
            .post(app.url("/api/v1/statutory/packages"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(package.clone())
            .send()
    };

    // Assert: a wrong token and an API token are 401; the push token is 201 once, then 422 in words.
    assert_eq!(push("ostoja-push-0000").await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let api_token = app.store.issue_api_token(&store::Actor::operator(), "przewodniczaca", "test").await.unwrap();
    assert_eq!(push(&api_token).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let r = push(&registered.push_token).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    assert_eq!((body["year"].as_i64(), body["approval_version"].as_i64()), (Some(2025), Some(2)));
    let r = push(&registered.push_token).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "err-package-replay");
    assert_eq!(body["fields"][0]["message"], "Ten pakiet (wersja 1) został już przyjęty.");
}

fn between(html: &str, start: &str, end: &str) -> String {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} in {html}")) + start.len();
    html[from..].split(end).next().unwrap().to_owned()
}

#[tokio::test]
async fn the_regions_coordinator_lists_the_keys_and_revokes_one_after_a_confirmation_with_a_reason() {
    // Arrange: the municipality's approved 2025 received by the region under its registered key.
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let approve = |chair| {
        app.post_form(chair, "/programme/statutory?year=2025", "/programme/statutory/2025/approve", &[("reason", "")])
    };
    assert_eq!(approve(&chair).await.status(), StatusCode::SEE_OTHER);
    let r = app.post_form(&chair, "/programme/statutory/package", "/programme/statutory/package/key", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(&chair, "/programme/statutory/package").await.text().await.unwrap();
    let public_key = between(&html, "data-testid=\"package-public-key\">", "<");
    let fingerprint = between(&html, "data-testid=\"package-fingerprint\">", "<");
    let registered = app
        .store
        .register_package_key(&store::Actor::operator(), &app.teryt, &public_key, Some(&fingerprint))
        .await
        .unwrap();
    let push = |package: Vec<u8>| {
        app.client
            .post(app.url("/api/v1/statutory/packages"))
            .bearer_auth(&registered.push_token)
            .header("content-type", "application/json")
            .body(package)
            .send()
    };
    let download = || async {
        let r = app.get_with(&chair, "/programme/statutory/package/download?year=2025").await;
        assert_eq!(r.status(), StatusCode::OK);
        r.bytes().await.unwrap().to_vec()
    };
    assert_eq!(push(download().await).await.unwrap().status(), StatusCode::CREATED);

    // The municipality's chair has no register of keys (as if there were none); the region's coordinator has,
    // linked from its page.
    assert_eq!(app.get_with(&chair, "/area/keys").await.status(), StatusCode::NOT_FOUND);
    let coordinator = app.login_as("koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let area = app.get_with(&coordinator, "/area").await.text().await.unwrap();
    assert!(area.contains("href=\"/area/keys\""), "{area}");
    let html = app.get_with(&coordinator, "/area/keys").await.text().await.unwrap();
    assert!(html.contains("Gmina Testowa") && html.contains(&format!("TERYT {}", app.teryt)), "{html}");
    assert!(html.contains(&fingerprint), "the fingerprint in groups: {html}");
    assert!(html.contains("rok 2025: przyjęte wersje 1 ("), "{html}");
    assert!(html.contains("administrator w wierszu poleceń") && html.contains("ważny"), "{html}");

    // Act: the confirmation page says what will happen; a short reason is refused beside the field, kept as typed.
    let stored = fingerprint.replace(' ', "").to_lowercase();
    let confirm = format!("/area/keys/{stored}/revoke");
    let html = app.get_with(&coordinator, &confirm).await.text().await.unwrap();
    assert!(html.contains("Co się stanie po unieważnieniu") && html.contains("zostają zachowane"), "{html}");
    let r = app.post_form(&coordinator, &confirm, &confirm, &[("reason", "zgubiony")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"reason-error\"") && html.contains(">zgubiony</textarea>"), "{html}");
    let reason = "Laptop z kluczem skradziony z urzędu gminy.";
    let r = app.post_form(&coordinator, &confirm, &confirm, &[("reason", reason)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Assert: the register says so; the next version under that key is refused in Polish words naming the reason.
    let html = app.get_with(&coordinator, "/area/keys").await.text().await.unwrap();
    assert!(html.contains("unieważniony") && html.contains(reason), "{html}");
    assert!(!html.contains(&format!("href=\"{confirm}\"")), "no second revocation offered: {html}");
    assert_eq!(approve(&chair).await.status(), StatusCode::SEE_OTHER);
    let r = push(download().await).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["code"], "err-package-key-revoked");
    let message = body["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(reason) && message.contains("unieważniono"), "{message}");
    // Another voivodeship's path, or a fingerprint that names nothing: not found.
    let r = app.get_with(&coordinator, &format!("/area/keys/{}/revoke", "0".repeat(64))).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// The chair's municipality's key, made on the chair's page: (public key, fingerprint in groups).
async fn chairs_key(app: &TestApp, chair: &reqwest::Client) -> (String, String) {
    let r = app.post_form(chair, "/programme/statutory/package", "/programme/statutory/package/key", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = app.get_with(chair, "/programme/statutory/package").await.text().await.unwrap();
    (
        between(&html, "data-testid=\"package-public-key\">", "<"),
        between(&html, "data-testid=\"package-fingerprint\">", "<"),
    )
}

#[tokio::test]
async fn the_regions_coordinator_registers_a_key_on_the_register_and_sees_its_push_token_once() {
    // Arrange: the municipality's key, read out by its chair; the voivodeship's coordinator.
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let (public_key, fingerprint) = chairs_key(&app, &chair).await;
    let coordinator = app.login_as("koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let html = app.get_with(&coordinator, "/area/keys").await.text().await.unwrap();
    assert!(html.contains("action=\"/area/keys\"") && html.contains("Zarejestruj klucz gminy"), "{html}");
    let register = |fields: [(&'static str, &str); 3]| {
        let fields: Vec<(&'static str, String)> = fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        let (app, coordinator) = (&app, &coordinator);
        async move {
            let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form(coordinator, "/area/keys", "/area/keys", &borrowed).await
        }
    };
    let teryt = app.teryt.clone();

    // Refused: everything beside its field in Polish, with what was typed kept.
    let r = register([("teryt", &teryt), ("key", "zz"), ("fingerprint", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"key-key-error\"") && html.contains("64 znaki szesnastkowe"), "{html}");
    assert!(html.contains("id=\"key-fingerprint-error\"") && html.contains("Wpisz odcisk klucza"), "{html}");
    assert!(html.contains(&format!("value=\"{}\"", app.teryt)) && html.contains("value=\"zz\""), "{html}");
    assert!(!html.contains("id=\"key-teryt-error\""), "the code was right: {html}");
    let wrong = fingerprint.replace(&fingerprint[..4], "0000");
    let r = register([("teryt", &teryt), ("key", &public_key), ("fingerprint", &wrong)]).await;
    assert!(r.text().await.unwrap().contains("Odcisk nie zgadza się z kluczem"));
    // Another voivodeship's municipality reads exactly like one that does not exist.
    let outside = |code: &'static str| register([("teryt", code), ("key", &public_key), ("fingerprint", &fingerprint)]);
    let elsewhere = between(&outside("1805021").await.text().await.unwrap(), "id=\"key-teryt-error\">", "<");
    assert_eq!(elsewhere, "W Twoim województwie nie ma gminy o tym kodzie TERYT. Sprawdź kod z gminą.");
    let nowhere = between(&outside("1034011").await.text().await.unwrap(), "id=\"key-teryt-error\">", "<");
    assert_eq!(elsewhere, nowhere);

    // Act: the right code, key and fingerprint.
    let r = register([("teryt", &teryt), ("key", &public_key), ("fingerprint", &fingerprint)]).await;

    // Assert: the token once, with the warning, never cached; not on the register afterwards.
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    let html = r.text().await.unwrap();
    let token = between(&html, "data-testid=\"push-token\">", "<");
    assert!(token.starts_with("ostoja-push-"), "{html}");
    assert!(html.contains("Ten token widzisz tylko teraz") && html.contains("Jak przekazać token gminie"), "{html}");
    let listing = app.get_with(&coordinator, "/area/keys").await.text().await.unwrap();
    assert!(!listing.contains(&token), "{listing}");
    assert!(listing.contains(&fingerprint) && listing.contains("koordynator.regionalny"), "{listing}");
    // The token is the municipality's: the endpoint takes it (a package that is not one is refused in words, not 401).
    let pushed = app
        .client
        .post(app.url("/api/v1/statutory/packages"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A second key while this one is in force: refused, saying to revoke the old one first.
    // (a real key with its fingerprint: the neighbouring municipality's, as its chair shows it)
    let neighbour = app.tenant_at("1016022").await;
    let neighbours_chair = app.login_in(neighbour.id, "przewodniczacy.sasiad", &[Role::Chair]).await;
    let (other_key, other_fingerprint) = chairs_key(&app, &neighbours_chair).await;
    let r = register([("teryt", &teryt), ("key", &other_key), ("fingerprint", &other_fingerprint)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("ma już ważny klucz") && html.contains("najpierw unieważnij stary klucz"), "{html}");
}

#[tokio::test]
async fn registering_a_key_does_not_exist_for_anyone_but_the_voivodeships_coordinator() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let (public_key, fingerprint) = chairs_key(&app, &chair).await;
    let county = app.login_as("koordynator.powiatu", &[Role::CountyCoordinator]).await;
    let podkarpackie = app.tenant_at("18").await;
    let elsewhere = app.login_in(podkarpackie.id, "koordynator.podkarpacki", &[Role::RegionalCoordinator]).await;
    let fields = [("teryt", app.teryt.as_str()), ("key", public_key.as_str()), ("fingerprint", fingerprint.as_str())];

    // A municipality's chair and a county's coordinator: the routes answer 404, and nothing is registered.
    for client in [&chair, &county] {
        assert_eq!(app.get_with(client, "/area/keys").await.status(), StatusCode::NOT_FOUND);
        let r = app.post_form(client, "/account/settings", "/area/keys", &fields).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    // Another voivodeship's coordinator: this municipality does not exist there.
    let r = app.post_form(&elsewhere, "/area/keys", "/area/keys", &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("W Twoim województwie nie ma gminy o tym kodzie TERYT"));
    // Without the form's CSRF token: refused before anything is read.
    let r = elsewhere.post(app.url("/area/keys")).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let keys = app.get_with(&elsewhere, "/area/keys").await.text().await.unwrap();
    assert!(keys.contains("Zarejestrowane klucze: 0"), "{keys}");
}
