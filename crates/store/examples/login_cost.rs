//! What a successful password log-in costs beside Argon2id: the throttle's reservation and release, the account
//! query and the audit entry. Prints the medians of N log-ins and of N bare Argon2id verifications; their difference
//! bounds what the store (throttle included) adds to a log-in.
//!
//! `OSTOJA_TEST_ENGINE=sqlite|postgres cargo run --release -p store --example login_cost --features testing -- 200`

use std::sync::Arc;
use std::time::Instant;

use argon2::{PasswordHasher, PasswordVerifier};
use domain::clock::{ManualClock, SharedClock};
use domain::identity::Role;
use store::identity::{NewAccount, PersonalDetails};
use store::testing::TestDatabase;
use store::{Actor, Store};

const PASSWORD: &str = "długie hasło zespołu 2026";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let db = TestDatabase::new().await;
    let clock = ManualClock::at("2026-03-02T08:00:00Z".parse()?);
    let shared: SharedClock = Arc::new(clock.clone());
    let store = Store::open(&db.options, shared).await?;
    let tenant = store.create_tenant(&Actor::operator(), "1016011", "Gmina Testowa", false).await?;
    let new = NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: None,
        login: "pomiar".into(),
        roles: vec![Role::Initiator],
        details: PersonalDetails { full_name: "Pomiar".into(), ..PersonalDetails::default() },
    };
    let (_, token) = store.create_account(&Actor::operator(), &new).await?;
    store.activate(&token, PASSWORD, PASSWORD, None).await?;

    let mut logins = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        store.password_login("pomiar", PASSWORD, "192.0.2.10").await?;
        logins.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let hash = argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).map_err(|e| e.to_string())?.to_string();
    let mut bare = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let parsed = argon2::PasswordHash::new(&hash).map_err(|e| e.to_string())?;
        argon2::Argon2::default().verify_password(PASSWORD.as_bytes(), &parsed).map_err(|e| e.to_string())?;
        bare.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (login, argon) = (median(logins), median(bare));
    println!(
        "{}: {n} log-ins, median {login:.2} ms; bare Argon2id verification median {argon:.2} ms; store's share {:.2} ms",
        store.db().engine(),
        login - argon
    );
    store.close().await;
    Ok(())
}
