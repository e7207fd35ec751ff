//! What every handler can reach.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::clock::SharedClock;
use store::Store;

/// Settings of the web layer.
#[derive(Clone)]
pub struct WebConfig {
    /// The address users reach the server at, for links printed on the console (e.g. `http://127.0.0.1:8080`).
    pub public_url: String,
    /// Mark cookies `Secure` (the server sits behind TLS).
    pub secure_cookies: bool,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` headers name the real client (addresses or CIDR ranges).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A bearer token that opens `/metrics` from elsewhere than loopback; without it, loopback only.
    pub metrics_token: Option<String>,
    /// How long a client may take to send a request's headers (and an idle kept-alive connection may stay silent)
    /// before the connection is closed: slow clients cannot hold connections open for good.
    pub header_read_timeout: std::time::Duration,
    /// Connections served at once; further ones wait in the listen queue until one closes (logged). Keep it well
    /// below the process's open-file limit (`LimitNOFILE`, docs/operations.md), which also covers the database.
    pub max_connections: usize,
}

impl std::fmt::Debug for WebConfig {
    // The metrics token is a secret: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebConfig")
            .field("public_url", &self.public_url)
            .field("secure_cookies", &self.secure_cookies)
            .field("body_limit", &self.body_limit)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "[REDACTED]"))
            .field("header_read_timeout", &self.header_read_timeout)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: "http://127.0.0.1:8080".into(),
            secure_cookies: false,
            body_limit: 256 * 1024,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            header_read_timeout: std::time::Duration::from_secs(15),
            max_connections: 512,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: SharedClock,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    pub requests_2xx: AtomicU64,
    pub requests_3xx: AtomicU64,
    pub requests_4xx: AtomicU64,
    pub requests_5xx: AtomicU64,
    pub login_failures: AtomicU64,
    /// Sum of request durations, for the average.
    pub request_micros_total: AtomicU64,
}

impl Metrics {
    pub fn record(&self, status: u16, micros: u64) {
        let counter = match status {
            200..=299 => &self.requests_2xx,
            300..=399 => &self.requests_3xx,
            400..=499 => &self.requests_4xx,
            _ => &self.requests_5xx,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.request_micros_total.fetch_add(micros, Ordering::Relaxed);
    }
}
