use reqwest::StatusCode;

use crate::helpers::{TestApp, client};

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.text().await.unwrap(), "ok");
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    let _ = app.get("/login").await;
    let metrics = app.get("/metrics").await;
    assert!(metrics.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = metrics.text().await.unwrap();
    assert!(text.contains("ostoja_http_requests_total{class=\"2xx\"}"));
    assert!(text.contains("ostoja_database_up{engine=") && text.contains("} 1"));
    assert!(text.contains("ostoja_email_outbox{state=\"failed\"} 0"), "{text}");
}

#[tokio::test]
async fn readiness_fails_with_503_when_the_database_went_away() {
    let app = TestApp::spawn().await;
    app.store.close().await;
    assert_eq!(app.get("/readyz").await.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    // A page that needs the database says so politely, in Polish, with 503.
    let c = client();
    let r =
        c.get(app.url("/login")).header("cookie", format!("ostoja_session={}", "a".repeat(64))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.text().await.unwrap().contains("Baza danych jest chwilowo niedostępna"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/login", "/healthz", "/nie-ma-takiej-strony", "/api/v1/me", "/static/ostoja.css"] {
        let r = app.get(path).await;
        let h = r.headers();
        assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn unknown_pages_get_a_friendly_polish_404_and_unknown_api_routes_json() {
    let app = TestApp::spawn().await;
    let r = app.get("/nie-ma-takiej-strony").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let page = r.text().await.unwrap();
    assert!(page.contains("Nie znaleziono strony") && page.contains("<html lang=\"pl\">"));
    let r = app.get("/api/v1/nie-ma").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn malformed_and_oversized_requests_get_a_4xx_page_never_a_500() {
    let app = TestApp::spawn().await;
    let c = client();
    let _ = app.get_with(&c, "/login").await;
    // Not a form at all.
    let r = c.post(app.url("/login")).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.text().await.unwrap().contains("Nieprawidłowe żądanie"));
    // Bytes that are not UTF-8.
    let r = c
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'l', b'o', b'g', b'i', b'n', b'=', 0xff, 0xfe, b'&', b'p', b'=', 0xc3])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    // Too large.
    let r = c
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("login={}", "a".repeat(200 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("zbyt duże"));
}

#[tokio::test]
async fn a_full_disk_is_said_with_503_on_pages_and_in_json_and_readiness_fails_until_space_is_freed() {
    // Arrange
    let app = TestApp::spawn().await;
    let officer = app.login_as("iod", &[domain::identity::Role::DataProtectionOfficer]).await;
    let _ = app.login_as("admin.api", &[domain::identity::Role::SystemAdministrator]).await;
    let token = app.store.issue_api_token(&store::Actor::operator(), "admin.api", "integracja").await.unwrap();
    let c = client();
    let create = |n: usize| {
        c.post(app.url(&format!("/api/v1/tenants/{}/institutions", app.teryt)))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": format!("Komenda Powiatowa Policji {n}"), "kind": "police"}))
            .send()
    };
    if !store::testing::cap_sqlite_pages(&app.store, Some(0)).await {
        // PostgreSQL owns its disk; its readiness is still checked with a write transaction.
        assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
        return;
    }

    // Act: write until the storage refuses (the last free room in the pages goes first).
    let mut refused = None;
    for n in 0..100 {
        let r = create(n).await.unwrap();
        if r.status() == StatusCode::SERVICE_UNAVAILABLE {
            refused = Some(r);
            break;
        }
        assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    }
    store::testing::cap_sqlite_pages(&app.store, Some(0)).await;
    let page = app.get_with(&officer, "/audit").await;
    let ready_while_full = app.get("/readyz").await.status();

    // Assert: JSON and page say the storage is full, with 503; readiness fails.
    let refused = refused.expect("the capped database kept accepting writes");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "storage_full", "{body}");
    assert!(body["message"].as_str().unwrap().contains("Brak miejsca na dysku"), "{body}");
    assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE, "an audited read fails closed");
    assert!(page.text().await.unwrap().contains("Brak miejsca na dysku"));
    assert_eq!(ready_while_full, StatusCode::SERVICE_UNAVAILABLE);

    // Act: space is freed; no restart.
    store::testing::cap_sqlite_pages(&app.store, None).await;

    // Assert: ready, and every read and write works again.
    assert_eq!(app.get("/readyz").await.status(), StatusCode::OK);
    for n in 0..24 {
        assert_eq!(app.get_with(&officer, "/audit").await.status(), StatusCode::OK, "read {n}");
        let r = create(50 + n).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED, "write {n}: {}", r.text().await.unwrap());
    }
}

/// A server like `TestApp`'s, with its own connection settings.
async fn server_with(
    header_read_timeout: std::time::Duration,
    max_connections: usize,
) -> (String, store::testing::TestDatabase) {
    let db = store::testing::TestDatabase::new().await;
    let clock = domain::clock::ManualClock::at("2026-11-23T09:00:00Z".parse().unwrap());
    let store = store::Store::open(&db.options, std::sync::Arc::new(clock.clone())).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let state = web::AppState {
        store,
        clock: std::sync::Arc::new(clock),
        config: std::sync::Arc::new(web::WebConfig { header_read_timeout, max_connections, ..Default::default() }),
        metrics: std::sync::Arc::default(),
    };
    tokio::spawn(async move { web::serve(listener, state, std::future::pending()).await.unwrap() });
    (address, db)
}

/// Reads until the server closes the connection or `within` passes; None when it did not close in time.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: std::time::Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut received = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok().map(|()| String::from_utf8_lossy(&received).into_owned())
}

#[tokio::test]
async fn a_client_too_slow_with_its_headers_is_disconnected_and_connections_beyond_the_cap_wait() {
    use tokio::io::AsyncWriteExt;
    // Arrange
    let (address, _db) = server_with(std::time::Duration::from_millis(800), 2).await;
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHo").await.unwrap();
    let _silent = tokio::net::TcpStream::connect(&address).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;

    // Act: a third, complete request while two connections hold the cap.
    let mut third = tokio::net::TcpStream::connect(&address).await.unwrap();
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let while_capped = read_until_closed(&mut third, std::time::Duration::from_millis(300)).await;
    let slow_closed = read_until_closed(&mut slow, std::time::Duration::from_secs(5)).await;
    let answered = read_until_closed(&mut third, std::time::Duration::from_secs(5)).await;

    // Assert
    assert_eq!(while_capped, None, "answered beyond the connection cap");
    assert!(slow_closed.is_some(), "a client sending its headers too slowly kept its connection");
    let answered = answered.expect("the waiting connection was never served");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}
