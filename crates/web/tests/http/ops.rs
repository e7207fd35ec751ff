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
