//! Backups: a consistent copy taken while the store runs, restored into another database, readable with the master
//! key that was kept apart from it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use store::testing::TestDatabase;
use store::{Store, StoreError};

use crate::support::*;

/// Copies the master key into another data directory, as the operator does when restoring on a new machine.
fn copy_master_key(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600)).unwrap();
}

#[tokio::test]
async fn a_restored_backup_holds_the_same_tenants_and_readable_accounts() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    other_tenant(&h.store).await;
    h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    account(&h.store, tomaszow.id, "zzolkiewska").await;
    h.store.create_account(&operator(), &new_account(None, "admin", "Ewa Administratorka")).await.unwrap();
    let tenants = h.store.list_tenants().await.unwrap();
    let institutions = h.store.list_institutions(tomaszow.id).await.unwrap();
    let accounts = h.store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    let admins = h.store.list_accounts(&operator(), None).await.unwrap();
    let file = h.db.dir().join("ostoja.backup");
    let target = TestDatabase::new().await;

    // Act
    h.store.backup(&file, &h.db.options).await.unwrap();
    store::backup::restore(&file, &target.options).await.unwrap();
    copy_master_key(&h.db.options.master_key_path(), &target.options.master_key_path());
    let restored = Store::open(&target.options, shared(&h.clock)).await.unwrap();

    // Assert
    assert_eq!(restored.list_tenants().await.unwrap(), tenants);
    assert_eq!(restored.list_institutions(tomaszow.id).await.unwrap(), institutions);
    assert_eq!(restored.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap(), accounts);
    assert_eq!(restored.list_accounts(&operator(), None).await.unwrap(), admins);
    assert_eq!(accounts[0].details.full_name, "Zofia Żółkiewska");
}

#[tokio::test]
async fn a_restored_backup_keeps_an_unbroken_audit_chain_with_the_entry_of_its_making() {
    // Arrange
    let h = Harness::new().await;
    tenant(&h.store).await;
    let file = h.db.dir().join("ostoja.backup");
    let target = TestDatabase::new().await;

    // Act
    h.store.backup(&file, &h.db.options).await.unwrap();
    store::backup::restore(&file, &target.options).await.unwrap();
    copy_master_key(&h.db.options.master_key_path(), &target.options.master_key_path());
    let restored = Store::open(&target.options, shared(&h.clock)).await.unwrap();

    // Assert
    assert_eq!(restored.verify_audit().await.unwrap().first_break, None);
    let taken = audit_entries(&restored, "backup_taken").await;
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].object_id.as_deref(), Some(file.display().to_string().as_str()));
}

#[tokio::test]
async fn a_restore_replaces_what_the_target_database_held() {
    // Arrange: the target already runs a store with a tenant of its own.
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let file = h.db.dir().join("ostoja.backup");
    h.store.backup(&file, &h.db.options).await.unwrap();
    let target = TestDatabase::new().await;
    {
        let other = Store::open(&target.options, shared(&h.clock)).await.unwrap();
        other_tenant(&other).await;
        other.close().await;
    }
    std::fs::remove_file(target.options.master_key_path()).unwrap();

    // Act
    store::backup::restore(&file, &target.options).await.unwrap();
    copy_master_key(&h.db.options.master_key_path(), &target.options.master_key_path());
    let restored = Store::open(&target.options, shared(&h.clock)).await.unwrap();

    // Assert
    assert_eq!(restored.list_tenants().await.unwrap(), vec![tomaszow]);
    assert_eq!(restored.verify_audit().await.unwrap().first_break, None);
}

#[tokio::test]
async fn a_restored_backup_without_its_master_key_does_not_open() {
    // Arrange
    let h = Harness::new().await;
    tenant(&h.store).await;
    let file = h.db.dir().join("ostoja.backup");
    h.store.backup(&file, &h.db.options).await.unwrap();
    let target = TestDatabase::new().await;

    // Act
    store::backup::restore(&file, &target.options).await.unwrap();
    let result = Store::open(&target.options, shared(&h.clock)).await;

    // Assert
    assert!(matches!(result, Err(StoreError::Key(_))), "{result:?}");
}

#[tokio::test]
async fn a_backup_does_not_overwrite_an_existing_file() {
    // Arrange
    let h = Harness::new().await;
    let file = h.db.dir().join("ostoja.backup");
    std::fs::write(&file, b"an earlier backup").unwrap();

    // Act
    let result = h.store.backup(&file, &h.db.options).await;

    // Assert
    assert!(matches!(result, Err(StoreError::Io(_))), "{result:?}");
    assert_eq!(std::fs::read(&file).unwrap(), b"an earlier backup");
}

#[tokio::test]
async fn restoring_a_file_that_is_not_a_backup_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let file = h.db.dir().join("notes.txt");
    std::fs::write(&file, b"this is not a database backup").unwrap();
    let target = TestDatabase::new().await;

    // Act
    let result = store::backup::restore(&file, &target.options).await;
    let missing = store::backup::restore(&h.db.dir().join("nope.backup"), &target.options).await;

    // Assert
    assert!(matches!(result, Err(StoreError::Io(_))), "{result:?}");
    assert!(matches!(missing, Err(StoreError::Io(_))), "{missing:?}");
    assert!(!store::sqlite_file(&target.options.data_dir).exists(), "nothing was put in place");
}
