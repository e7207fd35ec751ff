//! The audit trail: append-only in the database, and a hash chain that names whatever someone with direct database
//! access edited or removed.

use jiff::{SignedDuration, Timestamp};
use store::{AuditEntry, AuditFilter, Db, Store};

use crate::support::*;

/// Some ordinary work: a tenant, an institution, an account, its activation and a listing.
async fn some_actions(store: &Store) {
    let tomaszow = tenant(store).await;
    store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    let (_, token) = account(store, tomaszow.id, "zzolkiewska").await;
    store.activate(&token, PASSWORD, PASSWORD, Some(ADDRESS.into())).await.unwrap();
    store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    let _ = store.password_login("zzolkiewska", "zupełnie złe hasło", ADDRESS).await;
}

async fn entry_count(store: &Store) -> i64 {
    scalar(store, "SELECT COUNT(*) FROM audit_entry").await
}

/// Removes the database's append-only guard, as an attacker with full database access could.
async fn drop_append_only_triggers(store: &Store) {
    if is_postgres(store) {
        execute(store, "DROP TRIGGER audit_entry_no_update ON audit_entry").await.unwrap();
    } else {
        execute(store, "DROP TRIGGER audit_entry_no_update").await.unwrap();
        execute(store, "DROP TRIGGER audit_entry_no_delete").await.unwrap();
    }
}

#[tokio::test]
async fn the_chain_of_ordinary_work_verifies_without_a_break() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    assert_eq!(i64::try_from(report.entries_checked).unwrap(), entry_count(&h.store).await);
    assert!(report.entries_checked >= 8, "the work wrote entries: {}", report.entries_checked);
}

#[tokio::test]
async fn an_empty_trail_verifies() {
    // Arrange: a fresh database holds only the entry of its master key's creation.
    let h = Harness::new().await;

    // Act
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    assert_eq!(report.entries_checked, 1);
    assert_eq!(audit_entries(&h.store, "key_created").await.len(), 1);
}

#[tokio::test]
async fn entries_are_numbered_in_order_and_each_links_to_the_one_before() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let mut entries = all_audit_entries(&h.store).await;

    // Assert
    entries.reverse();
    assert_eq!(entries[0].seq, 1);
    assert_eq!(entries[0].prev_hash, vec![0u8; 32]);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1);
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert!(
        entries.iter().all(|e| e.chain_version == 2 && e.compute_hash() != e.hash),
        "every entry is keyed: its hash is not the SHA-256 anyone could recompute"
    );
}

#[tokio::test]
async fn an_update_of_an_audit_entry_is_refused_by_the_database() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;

    // Act
    let result = execute(&h.store, "UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 2").await;

    // Assert
    let err = result.expect_err("the trigger must refuse the update");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(h.store.verify_audit().await.unwrap().first_break, None);
}

#[tokio::test]
async fn a_delete_of_an_audit_entry_is_refused_by_the_database() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let before = entry_count(&h.store).await;

    // Act
    let result = execute(&h.store, "DELETE FROM audit_entry WHERE seq = 2").await;

    // Assert
    let err = result.expect_err("the trigger must refuse the delete");
    assert!(err.to_string().contains("append-only"), "{err}");
    assert_eq!(entry_count(&h.store).await, before);
}

#[tokio::test]
async fn an_edited_entry_is_named_by_verification() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;

    // Act
    let changed = execute(&h.store, "UPDATE audit_entry SET detail = 'nothing happened' WHERE seq = 4").await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(changed, 1);
    let broken = report.first_break.expect("the edit must be detected");
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("edited"), "{}", broken.reason);
    assert_eq!(report.entries_checked, 3, "the entries before the edit are sound");
}

#[tokio::test]
async fn an_edited_entry_with_a_recomputed_hash_is_named_by_verification() {
    // Arrange: the attacker also recomputes the edited entry's hash, as far as they can without the master key: the
    // unkeyed SHA-256.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let mut entries = all_audit_entries(&h.store).await;
    entries.reverse();
    let mut forged = entries[3].clone();
    assert_eq!(forged.seq, 4);
    forged.detail = "nothing happened".into();
    let forged_hash = hex::encode(forged.compute_hash());
    let sql = if is_postgres(&h.store) {
        format!("UPDATE audit_entry SET detail = 'nothing happened', hash = '\\x{forged_hash}'::bytea WHERE seq = 4")
    } else {
        format!("UPDATE audit_entry SET detail = 'nothing happened', hash = X'{forged_hash}' WHERE seq = 4")
    };

    // Act
    execute(&h.store, &sql).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the forgery must be detected");
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("without the key"), "{}", broken.reason);
}

#[tokio::test]
async fn a_removed_middle_entry_is_named_by_verification() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;
    let middle = last / 2;

    // Act
    let removed = execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {middle}")).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(removed, 1);
    let broken = report.first_break.expect("the removal must be detected");
    assert_eq!(broken.seq, middle);
    assert!(broken.reason.contains("missing"), "{}", broken.reason);
}

#[tokio::test]
async fn a_removed_middle_entry_with_the_rest_renumbered_is_detected() {
    // Arrange: the attacker closes the gap so the sequence looks whole.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let middle = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await / 2;
    execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {middle}")).await.unwrap();

    // Act: renumber one row at a time, upwards, so the primary key never collides.
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;
    for seq in middle + 1..=last {
        execute(&h.store, &format!("UPDATE audit_entry SET seq = {} WHERE seq = {seq}", seq - 1)).await.unwrap();
    }
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the removal must be detected");
    assert_eq!(broken.seq, middle);
}

#[tokio::test]
async fn a_removed_last_entry_is_detected() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_append_only_triggers(&h.store).await;
    let last = scalar(&h.store, "SELECT MAX(seq) FROM audit_entry").await;

    // Act
    let removed = execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq = {last}")).await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(removed, 1);
    let broken = report.first_break.expect("a removed tail must be detected");
    assert_eq!(broken.seq, last);
    assert!(broken.reason.contains("head"), "{}", broken.reason);
    assert_eq!(i64::try_from(report.entries_checked).unwrap(), last - 1);
}

#[tokio::test]
async fn the_trail_is_filtered_by_tenant_and_action() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    h.store.create_institution(&operator(), jaslo.id, "Komenda Powiatowa Policji", "police").await.unwrap();

    // Act
    let filter = AuditFilter {
        tenant_id: Some(tomaszow.id),
        action: Some("create".into()),
        limit: 100,
        ..AuditFilter::default()
    };
    let entries = h.store.audit_entries(&operator(), &filter).await.unwrap();

    // Assert
    let kinds: Vec<_> = entries.iter().map(|e| e.object_kind.as_str()).collect();
    assert_eq!(kinds, ["institution", "tenant"], "newest first, this tenant's only");
    assert!(entries.iter().all(|e| e.tenant_id == Some(tomaszow.id)));
}

#[tokio::test]
async fn the_trail_is_paged_backwards_by_sequence_number() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let newest = all_audit_entries(&h.store).await;

    // Act
    let first_page =
        h.store.audit_entries(&operator(), &AuditFilter { limit: 3, ..AuditFilter::default() }).await.unwrap();
    let before_seq = first_page.last().unwrap().seq;
    let second_page = h
        .store
        .audit_entries(&operator(), &AuditFilter { limit: 3, before_seq: Some(before_seq), ..AuditFilter::default() })
        .await
        .unwrap();

    // Assert
    assert_eq!(first_page.len(), 3);
    assert_eq!(second_page.len(), 3);
    assert!(second_page.iter().all(|e| e.seq < before_seq));
    assert_eq!(second_page[0].seq, before_seq - 1);
    assert!(newest.len() > 6);
}

#[tokio::test]
async fn the_trail_is_filtered_by_time_to_the_microsecond() {
    // Arrange: entries on a whole second and between seconds; SQLite keeps instants as text, PostgreSQL as numbers,
    // and both must agree on which come first.
    let h = Harness::new().await;
    let start: Timestamp = START.parse().unwrap();
    h.advance(SignedDuration::from_millis(500));
    tenant(&h.store).await; // at 08:00:00.5
    h.advance(SignedDuration::from_millis(500));
    other_tenant(&h.store).await; // at 08:00:01
    h.advance(SignedDuration::from_micros(250_001));
    h.store.set_demo_mode(true).await.unwrap(); // at 08:00:01.250001

    // Act
    let window = |from: Timestamp, until: Timestamp| AuditFilter {
        from: Some(from),
        until: Some(until),
        limit: 100,
        ..AuditFilter::default()
    };
    let all_after_start =
        h.store.audit_entries(&operator(), &window(start, start + SignedDuration::from_hours(1))).await.unwrap();
    let from_half_second = h
        .store
        .audit_entries(
            &operator(),
            &window(start + SignedDuration::from_millis(500), start + SignedDuration::from_millis(1250)),
        )
        .await
        .unwrap();
    let up_to_the_last = h
        .store
        .audit_entries(
            &operator(),
            &window(start + SignedDuration::from_secs(1), start + SignedDuration::from_micros(1_250_001)),
        )
        .await
        .unwrap();

    // Assert
    let actions = |entries: &[store::AuditEntry]| entries.iter().map(|e| (e.action.clone(), e.at)).collect::<Vec<_>>();
    let at = |micros: i64| start + SignedDuration::from_micros(micros);
    assert_eq!(
        actions(&all_after_start),
        [
            ("update".to_owned(), at(1_250_001)),
            ("create".into(), at(1_000_000)),
            ("create".into(), at(500_000)),
            ("key_created".into(), at(0))
        ]
    );
    assert_eq!(actions(&from_half_second), [("create".to_owned(), at(1_000_000)), ("create".into(), at(500_000))]);
    assert_eq!(actions(&up_to_the_last), [("create".to_owned(), at(1_000_000))], "`until` is exclusive");
}

#[tokio::test]
async fn reading_the_trail_is_itself_recorded() {
    // Arrange
    let h = Harness::new().await;
    let filter = AuditFilter { limit: 10, ..AuditFilter::default() };

    // Act
    h.store.audit_entries(&operator(), &filter).await.unwrap();

    // Assert
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].object_kind, "audit_trail");
}

// --- Insiders with the database but not the master key (issue 14, item 6) ---

/// The whole chain, oldest first, read straight from the database (reading through the store would append a read).
async fn chain(store: &Store) -> Vec<AuditEntry> {
    let sql = "SELECT seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, detail, address, \
               prev_hash, hash, chain_version FROM audit_entry ORDER BY seq";
    match store.db() {
        Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap()
}

/// A byte string as an SQL literal of the engine.
fn bytes(store: &Store, value: &[u8]) -> String {
    if is_postgres(store) {
        format!("'\\x{}'::bytea", hex::encode(value))
    } else {
        format!("X'{}'", hex::encode(value))
    }
}

/// Rewrites `entries` from `from_seq` on as an attacker without the key would: renumbered from `from_seq`, each
/// linked to the one before with the SHA-256 anyone can compute, under `version`; then moves the head to the last.
async fn recompute_chain(store: &Store, entries: &[AuditEntry], from_seq: i64, version: i16) {
    let mut prev = if from_seq == 1 {
        vec![0u8; 32]
    } else {
        chain(store).await.into_iter().find(|e| e.seq == from_seq - 1).unwrap().hash
    };
    let rewritten: Vec<AuditEntry> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut e = e.clone();
            e.seq = from_seq + i64::try_from(i).unwrap();
            e.prev_hash = prev.clone();
            e.chain_version = version;
            e.hash = e.compute_hash();
            prev = e.hash.clone();
            e
        })
        .collect();
    execute(store, &format!("DELETE FROM audit_entry WHERE seq >= {from_seq}")).await.unwrap();
    for (e, original) in rewritten.iter().zip(entries) {
        let sql = format!(
            "INSERT INTO audit_entry (seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, \
             detail, address, prev_hash, hash, chain_version) SELECT {}, at, tenant_id, actor_id, actor_login, action, \
             object_kind, object_id, detail, address, {}, {}, {} FROM audit_original WHERE seq = {}",
            e.seq,
            bytes(store, &e.prev_hash),
            bytes(store, &e.hash),
            e.chain_version,
            original.seq
        );
        execute(store, &sql).await.unwrap();
    }
    let last = rewritten.last().unwrap();
    execute(
        store,
        &format!("UPDATE audit_head SET seq = {}, hash = {} WHERE chain = 1", last.seq, bytes(store, &last.hash)),
    )
    .await
    .unwrap();
}

/// Keeps a copy of the trail to rebuild rows from (a forger's scratch table).
async fn copy_trail(store: &Store) {
    execute(store, "CREATE TABLE audit_original AS SELECT * FROM audit_entry").await.unwrap();
}

/// Lets the attacker delete rows too (on PostgreSQL `drop_append_only_triggers` only drops the update guard).
async fn drop_all_append_only_triggers(store: &Store) {
    drop_append_only_triggers(store).await;
    if is_postgres(store) {
        execute(store, "DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_entry").await.unwrap();
    }
}

#[tokio::test]
async fn reordered_entries_are_named_by_verification() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_all_append_only_triggers(&h.store).await;

    // Act: entries 3 and 4 swap places.
    execute(&h.store, "UPDATE audit_entry SET seq = -3 WHERE seq = 3").await.unwrap();
    execute(&h.store, "UPDATE audit_entry SET seq = 3 WHERE seq = 4").await.unwrap();
    execute(&h.store, "UPDATE audit_entry SET seq = 4 WHERE seq = -3").await.unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the reordering must be detected");
    assert_eq!(broken.seq, 3);
    assert_eq!(report.entries_checked, 2);
}

#[tokio::test]
async fn a_removed_tail_with_the_head_moved_back_is_caught_by_the_checkpoint_beside_the_key() {
    // Arrange: a checkpoint is written (as the server does periodically), then more work.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let checkpoint = h.store.audit_checkpoint().await.unwrap();
    h.store
        .create_institution(&operator(), tenant_id(&h.store).await, "Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    drop_all_append_only_triggers(&h.store).await;

    // Act: the last entries go, and the head is moved back to what is now the last entry, so the database alone is
    // consistent.
    let keep = checkpoint.seq - 2;
    execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq > {keep}")).await.unwrap();
    let last = chain(&h.store).await.pop().unwrap();
    execute(
        &h.store,
        &format!("UPDATE audit_head SET seq = {keep}, hash = {} WHERE chain = 1", bytes(&h.store, &last.hash)),
    )
    .await
    .unwrap();
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    assert_eq!(last.seq, keep);
    assert_eq!(report.checkpoints_checked, 2, "the anchor's and the one written");
    let broken = report.first_break.expect("the removed tail must be detected");
    assert_eq!(broken.seq, keep + 1);
    assert!(broken.reason.contains("checkpoint"), "{}", broken.reason);
}

#[tokio::test]
async fn a_removed_tail_with_the_head_moved_back_is_caught_by_the_officers_exported_checkpoint() {
    // Arrange: the officer exports a checkpoint and keeps it elsewhere; the file beside the key is lost.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let elsewhere = tempfile::tempdir().unwrap();
    let exported = elsewhere.path().join("checkpoints-of-the-officer");
    let checkpoint = h.store.export_audit_checkpoint(&exported).await.unwrap();
    std::fs::remove_file(h.store.audit_checkpoint_path()).unwrap();
    drop_all_append_only_triggers(&h.store).await;
    let keep = checkpoint.seq - 1;
    execute(&h.store, &format!("DELETE FROM audit_entry WHERE seq > {keep}")).await.unwrap();
    let last = chain(&h.store).await.pop().unwrap();
    execute(
        &h.store,
        &format!("UPDATE audit_head SET seq = {keep}, hash = {} WHERE chain = 1", bytes(&h.store, &last.hash)),
    )
    .await
    .unwrap();

    // Act
    let without = h.store.verify_audit().await.unwrap();
    let with = h.store.verify_audit_against(&[exported]).await.unwrap();

    // Assert: the database alone cannot tell; the exported checkpoint can.
    assert_eq!(without.first_break, None);
    let broken = with.first_break.expect("the removed tail must be detected");
    assert_eq!(broken.seq, keep + 1);
}

#[tokio::test]
async fn a_chain_recomputed_without_the_key_after_removing_the_reads_of_a_case_is_detected() {
    // Arrange: the attacker removes every read of the trail, closes the gaps and recomputes every link with SHA-256.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    h.store.audit_entries(&operator(), &AuditFilter { limit: 5, ..AuditFilter::default() }).await.unwrap();
    some_actions_again(&h.store).await;
    drop_all_append_only_triggers(&h.store).await;
    copy_trail(&h.store).await;
    let entries = chain(&h.store).await;
    let first_read = entries.iter().find(|e| e.action == "read_personal_data").unwrap().seq;
    let kept: Vec<AuditEntry> =
        entries.into_iter().filter(|e| e.seq >= first_read && e.action != "read_personal_data").collect();

    // Act
    recompute_chain(&h.store, &kept, first_read, 2).await;
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the recomputed chain must be detected");
    assert_eq!(broken.seq, first_read);
    assert!(broken.reason.contains("without the key"), "{}", broken.reason);
}

#[tokio::test]
async fn a_chain_recomputed_as_unkeyed_and_re_anchored_is_caught_by_the_checkpoints() {
    // Arrange: the attacker rewrites the whole chain by the old, unkeyed rule, removes the anchor and restarts the
    // server, hoping it anchors afresh on the forged head.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_all_append_only_triggers(&h.store).await;
    copy_trail(&h.store).await;
    let entries: Vec<AuditEntry> = chain(&h.store).await.into_iter().filter(|e| e.seq != 3).collect();
    recompute_chain(&h.store, &entries, 1, 1).await;
    execute(&h.store, "UPDATE audit_head SET keyed_from = NULL, anchor_mac = NULL WHERE chain = 1").await.unwrap();

    // Act
    let in_place = h.store.verify_audit().await.unwrap();
    let restarted = h.reopen().await.unwrap();
    let after_restart = restarted.verify_audit().await.unwrap();

    // Assert
    assert!(in_place.first_break.expect("the missing anchor is seen").reason.contains("anchor"));
    let broken = after_restart.first_break.expect("the re-anchored forgery must be detected");
    assert!(broken.reason.contains("re-anchored"), "{}", broken.reason);
}

#[tokio::test]
async fn the_store_refuses_to_re_anchor_a_keyed_chain_whose_anchor_was_removed() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    execute(&h.store, "UPDATE audit_head SET keyed_from = NULL, anchor_mac = NULL WHERE chain = 1").await.unwrap();

    // Act
    let reopened = h.reopen().await;

    // Assert
    let err = reopened.expect_err("a keyed head without its anchor is tampering");
    assert!(err.to_string().contains("tampered"), "{err}");
}

#[tokio::test]
async fn an_unkeyed_trail_from_before_the_migration_stays_verifiable_and_is_pinned_by_the_anchor() {
    // Arrange: make this trail look like one written before migration 0011 (unkeyed, no anchor, no audit key, no
    // checkpoints), then start the store on it.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    drop_all_append_only_triggers(&h.store).await;
    copy_trail(&h.store).await;
    let legacy = chain(&h.store).await;
    recompute_chain(&h.store, &legacy, 1, 1).await;
    execute(&h.store, "UPDATE audit_head SET keyed_from = NULL, anchor_mac = NULL WHERE chain = 1").await.unwrap();
    let audit_scope = if is_postgres(&h.store) {
        format!("'{}'::uuid", store::keys::AUDIT_SCOPE)
    } else {
        bytes(&h.store, store::keys::AUDIT_SCOPE.as_bytes())
    };
    assert_eq!(execute(&h.store, &format!("DELETE FROM data_key WHERE scope_id = {audit_scope}")).await.unwrap(), 1);
    std::fs::remove_file(h.store.audit_checkpoint_path()).unwrap();
    let legacy_head = i64::try_from(legacy.len()).unwrap();

    // Act: the first start after the migration anchors the keyed chain on the last unkeyed entry.
    let upgraded = h.reopen().await.unwrap();
    some_actions_again(&upgraded).await;
    let report = upgraded.verify_audit().await.unwrap();
    // ...and a later rewrite of the unkeyed part, recomputed by the unkeyed rule, is caught by the anchor.
    let mut forged: Vec<AuditEntry> = chain(&upgraded).await.into_iter().filter(|e| e.seq <= legacy_head).collect();
    forged[1].detail = "nothing happened".into();
    execute(&upgraded, "DROP TABLE audit_original").await.unwrap();
    copy_trail(&upgraded).await;
    let keyed_tail: Vec<AuditEntry> = chain(&upgraded).await.into_iter().filter(|e| e.seq > legacy_head).collect();
    rewrite_unkeyed_prefix(&upgraded, &forged, &keyed_tail).await;
    let with_checkpoints = upgraded.verify_audit().await.unwrap();
    std::fs::remove_file(upgraded.audit_checkpoint_path()).unwrap();
    let after_forgery = upgraded.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    let versions: Vec<i16> = chain(&upgraded).await.iter().map(|e| e.chain_version).collect();
    assert!(versions.starts_with(&vec![1; legacy.len()]));
    assert!(versions[legacy.len()..].iter().all(|v| *v == 2) && versions.len() > legacy.len());
    let caught = with_checkpoints.first_break.expect("the anchoring's checkpoint pins the last unkeyed entry");
    assert_eq!(caught.seq, legacy_head, "{}", caught.reason);
    let broken = after_forgery.first_break.expect("without checkpoints, the anchor still catches the rewrite");
    assert_eq!(broken.seq, legacy_head + 1, "{}", broken.reason);
    assert!(broken.reason.contains("unkeyed entries"), "{}", broken.reason);
}

/// Rewrites the unkeyed entries `prefix` by the unkeyed rule (detail edited) and relinks the keyed `tail`'s first
/// entry to the new prefix (the rest of the tail is left as it was: the attacker cannot recompute it anyway).
async fn rewrite_unkeyed_prefix(store: &Store, prefix: &[AuditEntry], tail: &[AuditEntry]) {
    let mut prev = vec![0u8; 32];
    for e in prefix {
        let mut e = e.clone();
        e.prev_hash = prev.clone();
        e.hash = e.compute_hash();
        prev = e.hash.clone();
        let detail = e.detail.replace('\'', "''");
        execute(
            store,
            &format!(
                "UPDATE audit_entry SET detail = '{detail}', prev_hash = {}, hash = {} WHERE seq = {}",
                bytes(store, &e.prev_hash),
                bytes(store, &e.hash),
                e.seq
            ),
        )
        .await
        .unwrap();
    }
    let first = &tail[0];
    execute(store, &format!("UPDATE audit_entry SET prev_hash = {} WHERE seq = {}", bytes(store, &prev), first.seq))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_forged_checkpoint_line_is_named_by_verification() {
    // Arrange: someone with the server's files but not the key edits a checkpoint to match a shorter chain.
    let h = Harness::new().await;
    some_actions(&h.store).await;
    let checkpoint = h.store.audit_checkpoint().await.unwrap();
    let forged = store::audit::Checkpoint { seq: checkpoint.seq - 1, ..checkpoint.clone() };
    forged.append_to(&h.store.audit_checkpoint_path()).unwrap();

    // Act
    let report = h.store.verify_audit().await.unwrap();

    // Assert
    let broken = report.first_break.expect("the forged checkpoint must be detected");
    assert!(broken.reason.contains("signature"), "{}", broken.reason);
}

#[tokio::test]
async fn checkpoints_and_the_chain_still_verify_after_the_master_key_is_rotated() {
    // Arrange
    let h = Harness::new().await;
    some_actions(&h.store).await;
    h.store.audit_checkpoint().await.unwrap();

    // Act
    h.store.rotate_master_key().await.unwrap();
    some_actions_again(&h.store).await;
    let reopened = h.reopen().await.unwrap();
    let report = reopened.verify_audit().await.unwrap();

    // Assert
    assert_eq!(report.first_break, None);
    assert!(report.checkpoints_checked >= 2, "the anchor's checkpoint and the one written: {report:?}");
}

/// More work of the kind `some_actions` does, on the tenant it created.
async fn some_actions_again(store: &Store) {
    let id = tenant_id(store).await;
    store
        .create_institution(&operator(), id, &format!("Sąd Rejonowy {}", uuid::Uuid::now_v7()), "other")
        .await
        .unwrap();
    store.list_accounts(&operator(), Some(id)).await.unwrap();
}

async fn tenant_id(store: &Store) -> uuid::Uuid {
    store.tenant_by_teryt(TERYT).await.unwrap().id
}
