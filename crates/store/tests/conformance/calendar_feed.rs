//! The calendar feed's secret address read by strangers (issue 16): wrong addresses are throttled per client address
//! like failed log-ins, and the audit trail gets a bounded number of entries, not one per request.

use jiff::SignedDuration;
use store::StoreError;

use crate::support::*;

const WRONG: &str = "ostoja_cal_0000000000000000000000000000000000000000000";

async fn read(h: &Harness, address: &str) -> Result<usize, StoreError> {
    let now = h.store.now();
    h.store.calendar_feed(WRONG, Some(address.to_owned()), now, now).await.map(|e| e.len())
}

#[tokio::test]
async fn wrong_feed_addresses_are_throttled_per_client_and_audited_once_per_window() {
    // Arrange
    let h = Harness::new().await;
    let attacker = "203.0.113.9";

    // Act: twenty wrong addresses within the hour are answered "not found", the twentieth locks the client.
    for n in 1..=20 {
        let r = read(&h, attacker).await;
        assert!(matches!(r, Err(StoreError::NotFound)), "refusal {n}: {r:?}");
    }
    let locked = read(&h, attacker).await;
    let other = read(&h, "198.51.100.4").await;

    // Assert
    let Err(StoreError::AuthFailed { locked_until: Some(until) }) = locked else { panic!("locked: {locked:?}") };
    assert_eq!(until, h.store.now() + SignedDuration::from_mins(1));
    assert!(matches!(other, Err(StoreError::NotFound)), "another client is not locked: {other:?}");
    let entries = audit_entries(&h.store, "feed_read").await;
    // The attacker's first refusal and its lock, the other client's first refusal: three, not twenty-two.
    assert_eq!(entries.len(), 3, "{:?}", entries.iter().map(|e| &e.detail).collect::<Vec<_>>());
    assert!(entries.iter().any(|e| e.detail.contains("paused")));
    assert!(entries.iter().all(|e| !e.detail.contains(&WRONG[12..])), "only a short prefix of what was sent");

    // Past the lock the next refusal doubles it, still without an audit entry.
    h.advance(SignedDuration::from_secs(61));
    assert!(matches!(read(&h, attacker).await, Err(StoreError::NotFound)));
    let Err(StoreError::AuthFailed { locked_until: Some(until) }) = read(&h, attacker).await else {
        panic!("locked again")
    };
    assert_eq!(until, h.store.now() + SignedDuration::from_mins(2));
    assert_eq!(audit_entries(&h.store, "feed_read").await.len(), 3);

    // A quiet hour starts the count again: a calendar app polling a revoked address is never locked for long.
    h.advance(SignedDuration::from_hours(2));
    assert!(matches!(read(&h, attacker).await, Err(StoreError::NotFound)));
    assert!(matches!(read(&h, attacker).await, Err(StoreError::NotFound)));
    assert_eq!(audit_entries(&h.store, "feed_read").await.len(), 4);
}
