//! Faults the store must survive without a restart (issue 19, item 8): a full disk, and transactions that fail
//! half-way, must give their connections back clean.
//!
//! A full disk is simulated, not produced: CI has no small disk to fill without root. `PRAGMA max_page_count`, set
//! on every connection of the pool to the database's current size, makes SQLite answer `SQLITE_FULL` exactly as a
//! full disk does (the pager refuses the next page), including its automatic rollback of the transaction.

use store::{Store, StoreError};

use crate::support::*;

/// An audited read (it writes its own audit entry, as a case read does) and a write.
async fn read_and_write(store: &Store, tenant: uuid::Uuid, n: usize) -> Result<(), StoreError> {
    store.audit_entries(&operator(), &store::AuditFilter { limit: 5, ..store::AuditFilter::default() }).await?;
    store.create_account(&operator(), &new_account(Some(tenant), &format!("konto.{n}"), "Zofia Żółkiewska")).await?;
    Ok(())
}

#[tokio::test]
async fn after_the_disk_was_full_and_space_is_freed_every_read_and_write_works_again_without_a_restart() {
    // Arrange: a working store, then "the disk" fills up.
    let h = Harness::new().await;
    let tenant = tenant(&h.store).await;
    if !store::testing::cap_sqlite_pages(&h.store, Some(0)).await {
        // PostgreSQL: the server, not this process, owns its disk; a failed transaction there is covered by
        // `a_transaction_that_fails_half_way_gives_its_connection_back_clean`.
        assert!(is_postgres(&h.store));
        return;
    }

    // Act: write until the storage refuses, and keep going for a while as users would.
    let mut failures = Vec::new();
    for n in 0..400 {
        if let Err(e) = read_and_write(&h.store, tenant.id, n).await {
            failures.push(e);
        }
        if failures.len() >= 40 {
            break;
        }
    }

    // Assert: every failure says the storage is full, and readiness says the database cannot write.
    assert!(failures.len() >= 40, "the capped database kept accepting writes");
    for e in &failures {
        assert!(e.is_storage_full(), "not reported as storage full: {e}");
    }
    // (Capped again first: a connection the pool replaced would have no cap.)
    store::testing::cap_sqlite_pages(&h.store, Some(0)).await;
    assert!(h.store.db().check_writable().await.is_err(), "ready while the database cannot write");

    // Act: space is freed.
    store::testing::cap_sqlite_pages(&h.store, None).await;

    // Assert: every connection of the pool works again, reads and writes alike.
    h.store.db().check_writable().await.expect("writable again");
    for n in 1000..1060 {
        read_and_write(&h.store, tenant.id, n).await.unwrap_or_else(|e| panic!("after space was freed: {e}"));
    }
}

#[tokio::test]
async fn a_transaction_that_fails_half_way_gives_its_connection_back_clean() {
    // Arrange
    let h = Harness::new().await;
    let tenant = tenant(&h.store).await;
    account(&h.store, tenant.id, "zajete.konto").await;

    // Act: writes refused half-way (a login already taken) on every connection in turn.
    for _ in 0..40 {
        let taken = h.store.create_account(&operator(), &new_account(Some(tenant.id), "zajete.konto", "Ktoś")).await;
        assert!(taken.is_err());
    }

    // Assert
    for n in 0..40 {
        read_and_write(&h.store, tenant.id, n).await.unwrap_or_else(|e| panic!("after failed transactions: {e}"));
    }
}
