//! Sessions: found by their token, ended by idleness, by age, by logout, and replaced at every change of stage.

use jiff::SignedDuration;
use store::Caller;
use store::identity::{SessionEnd, SessionStage};

use crate::support::*;

const LOGIN: &str = "zzolkiewska";

#[tokio::test]
async fn a_new_session_is_found_by_its_token() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;

    // Act
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    let found = h.store.session(&token).await.unwrap();

    // Assert
    let info = found.expect("a live session");
    assert_eq!(info.stage, SessionStage::Full);
    assert_eq!(info.principal.account_id, id);
    assert_eq!(info.principal.login, LOGIN);
    assert_eq!(info.principal.tenant_teryt.as_deref(), Some(TERYT));
    assert!(info.csrf_token.len() >= 32, "the CSRF token is long and random: {}", info.csrf_token);
}

#[tokio::test]
async fn an_unknown_token_gives_no_session() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    h.store.create_session(id, SessionStage::Full).await.unwrap();

    // Act
    let found = h.store.session("0123456789abcdef").await.unwrap();

    // Assert
    assert_eq!(found.err(), Some(SessionEnd::Unknown));
}

#[tokio::test]
async fn each_session_has_its_own_token_and_csrf_token() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;

    // Act
    let a = h.store.create_session(id, SessionStage::Full).await.unwrap();
    let b = h.store.create_session(id, SessionStage::Full).await.unwrap();

    // Assert
    assert_ne!(a, b);
    let (a, b) = (h.store.session(&a).await.unwrap().unwrap(), h.store.session(&b).await.unwrap().unwrap());
    assert_ne!(a.csrf_token, b.csrf_token);
}

#[tokio::test]
async fn a_session_unused_for_thirty_one_minutes_has_expired() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    h.advance(SignedDuration::from_mins(31));

    // Act
    let found = h.store.session(&token).await.unwrap();

    // Assert
    assert_eq!(found.err(), Some(SessionEnd::Expired));
    assert_eq!(
        h.store.session(&token).await.unwrap().err(),
        Some(SessionEnd::Unknown),
        "an expired session is removed"
    );
}

#[tokio::test]
async fn a_session_unused_for_twenty_nine_minutes_is_still_alive() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    h.advance(SignedDuration::from_mins(29));

    // Act
    let found = h.store.session(&token).await.unwrap();

    // Assert
    assert!(found.is_ok(), "{found:?}");
}

#[tokio::test]
async fn using_a_session_keeps_it_alive_past_the_idle_timeout() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    h.advance(SignedDuration::from_mins(20));
    h.store.session(&token).await.unwrap().expect("alive after 20 minutes");
    h.advance(SignedDuration::from_mins(20));

    // Act: 40 minutes after login, 20 after the last use.
    let found = h.store.session(&token).await.unwrap();

    // Assert
    assert!(found.is_ok(), "{found:?}");
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_login_even_when_in_use() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    for _ in 0..28 {
        h.advance(SignedDuration::from_mins(25));
        h.store.session(&token).await.unwrap().expect("alive while used");
    }
    // 11 h 40 min have passed; 25 more minutes pass the 12-hour limit while staying under the idle timeout.
    h.advance(SignedDuration::from_mins(25));

    // Act
    let found = h.store.session(&token).await.unwrap();

    // Assert
    assert_eq!(found.err(), Some(SessionEnd::Expired));
}

#[tokio::test]
async fn logging_out_ends_the_session_and_is_recorded() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    let principal = h.store.session(&token).await.unwrap().unwrap().principal;

    // Act
    h.store.logout(&token, &Caller::new(&principal, Some(ADDRESS.into()))).await.unwrap();

    // Assert
    assert_eq!(h.store.session(&token).await.unwrap().err(), Some(SessionEnd::Unknown));
    let logouts = audit_entries(&h.store, "logout").await;
    assert_eq!(logouts.len(), 1);
    assert_eq!(logouts[0].actor_id, Some(id));
    assert_eq!(logouts[0].address.as_deref(), Some(ADDRESS));
}

#[tokio::test]
async fn advancing_a_session_to_the_next_stage_replaces_its_token() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let first = h.store.create_session(id, SessionStage::SecondFactor).await.unwrap();

    // Act
    let second = h.store.advance_session(&first, id, SessionStage::Full).await.unwrap();

    // Assert
    assert_ne!(first, second);
    assert_eq!(h.store.session(&first).await.unwrap().err(), Some(SessionEnd::Unknown), "the old token stops working");
    assert_eq!(h.store.session(&second).await.unwrap().unwrap().stage, SessionStage::Full);
}

#[tokio::test]
async fn resetting_the_second_factor_ends_the_accounts_sessions() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();

    // Act
    let link = h.store.reset_second_factor(&operator(), id, None).await.unwrap();

    // Assert
    assert_eq!(h.store.session(&token).await.unwrap().err(), Some(SessionEnd::Unknown));
    assert!(h.store.inspect_link(&link).await.is_ok(), "a new activation link is issued");
    assert!(
        matches!(h.store.password_login(LOGIN, PASSWORD, ADDRESS).await, Err(store::StoreError::AuthFailed { .. })),
        "the old password is cleared"
    );
}

#[tokio::test]
async fn purging_removes_only_expired_sessions() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let old = h.store.create_session(id, SessionStage::Full).await.unwrap();
    h.advance(SignedDuration::from_mins(20));
    let recent = h.store.create_session(id, SessionStage::Full).await.unwrap();
    h.advance(SignedDuration::from_mins(15));

    // Act
    let purged = h.store.purge_sessions().await.unwrap();

    // Assert
    assert_eq!(purged, 1);
    assert!(h.store.session(&recent).await.unwrap().is_ok());
    assert_eq!(h.store.session(&old).await.unwrap().err(), Some(SessionEnd::Unknown));
}

#[tokio::test]
async fn purging_compares_instants_not_their_spelling() {
    // Arrange: one instant on a whole second, the cut-off half a second later. SQLite keeps instants as text, where
    // "08:00:00Z" must still count as earlier than "08:00:00.5Z".
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let expired = h.store.create_session(id, SessionStage::Full).await.unwrap(); // last seen 08:00:00
    h.advance(SignedDuration::from_secs(1));
    let alive = h.store.create_session(id, SessionStage::Full).await.unwrap(); // last seen 08:00:01
    h.advance(SignedDuration::from_mins(30) - SignedDuration::from_millis(500)); // idle cut-off 08:00:00.5

    // Act
    let purged = h.store.purge_sessions().await.unwrap();

    // Assert
    assert_eq!(purged, 1, "exactly the session last seen before the cut-off is purged");
    assert!(h.store.session(&alive).await.unwrap().is_ok());
    assert_eq!(h.store.session(&expired).await.unwrap().err(), Some(SessionEnd::Unknown));
}

#[tokio::test]
async fn the_sessions_unread_count_is_exact_below_the_cap_and_stops_at_it() {
    // Arrange: notifications inserted in bulk (their kind and case do not matter to the count).
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.create_session(id, SessionStage::Full).await.unwrap();
    let (new_id, at) = if is_postgres(&h.store) {
        ("gen_random_uuid()", "now()")
    } else {
        ("randomblob(16)", "'2026-01-01T00:00:00Z'")
    };
    let insert = |n: i64| {
        format!(
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {n}) \
             INSERT INTO notification (id, tenant_id, account_id, kind, created_at) \
             SELECT {new_id}, a.tenant_id, a.id, 'group_appointed', {at} FROM account a, k WHERE a.login = '{LOGIN}'"
        )
    };
    let unread = |token: String| {
        let store = h.store.clone();
        async move { store.session(&token).await.unwrap().expect("a live session").unread }
    };

    // Act and assert
    assert_eq!(unread(token.clone()).await, 0);
    execute(&h.store, &insert(store::identity::UNREAD_COUNT_CAP - 1)).await.unwrap();
    assert_eq!(unread(token.clone()).await, store::identity::UNREAD_COUNT_CAP - 1, "exact below the cap");
    execute(&h.store, &insert(50)).await.unwrap();
    assert_eq!(unread(token.clone()).await, store::identity::UNREAD_COUNT_CAP, "stops at the cap");
    assert_eq!(h.store.unread_notifications(id).await.unwrap(), store::identity::UNREAD_COUNT_CAP + 49);
}
