//! The master key: created once, required ever after, rotated without losing the data it guards.

use std::os::unix::fs::PermissionsExt;

use store::StoreError;

use crate::support::*;

const LOGIN: &str = "zzolkiewska";

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_first_start_creates_a_private_master_key_and_records_it() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let path = h.db.options.master_key_path();

    // Assert
    assert!(path.is_file());
    assert_eq!(mode(&path), 0o600);
    assert_eq!(h.store.master_key_path(), path);
    assert_eq!(audit_entries(&h.store, "key_created").await.len(), 1);
}

#[tokio::test]
async fn a_restart_reuses_the_master_key_and_still_decrypts() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;
    let key_before = std::fs::read(h.db.options.master_key_path()).unwrap();
    h.store.close().await;

    // Act
    let reopened = h.reopen().await.unwrap();

    // Assert
    assert_eq!(std::fs::read(h.db.options.master_key_path()).unwrap(), key_before);
    let listed = reopened.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    assert_eq!(listed[0].details.full_name, "Zofia Żółkiewska");
    assert_eq!(audit_entries(&reopened, "key_created").await.len(), 1, "no second key was created");
}

#[tokio::test]
async fn after_a_rotation_a_restarted_store_still_decrypts_the_accounts() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;
    h.store.create_account(&operator(), &new_account(None, "admin", "Ewa Administratorka")).await.unwrap();
    let before = h.store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    let key_path = h.db.options.master_key_path();
    let old_key = std::fs::read(&key_path).unwrap();

    // Act
    let (fingerprint, rewrapped) = h.store.rotate_master_key().await.unwrap();
    h.store.close().await;
    let reopened = h.reopen().await.unwrap();

    // Assert
    assert_eq!(rewrapped, 3, "the tenant's data key, the installation's and the audit chain's");
    let new_key = std::fs::read(&key_path).unwrap();
    assert_ne!(new_key, old_key);
    assert_eq!(mode(&key_path), 0o600);
    assert_eq!(
        std::fs::read(key_path.with_file_name("master.old")).unwrap(),
        old_key,
        "the old key is kept as master.old"
    );
    assert!(!key_path.with_file_name("master.new").exists());
    assert_eq!(reopened.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap(), before);
    assert_eq!(reopened.list_accounts(&operator(), None).await.unwrap()[0].details.full_name, "Ewa Administratorka");
    let rotated = audit_entries(&reopened, "key_rotated").await;
    assert_eq!(rotated.len(), 1);
    assert_eq!(rotated[0].object_id.as_deref(), Some(fingerprint.as_str()));
}

#[tokio::test]
async fn the_rotating_store_keeps_working_without_a_restart() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    h.store.rotate_master_key().await.unwrap();

    // Act: a new scope's data key is wrapped with the new master key.
    let jaslo = other_tenant(&h.store).await;
    account(&h.store, jaslo.id, LOGIN).await;
    h.store.close().await;
    let reopened = h.reopen().await.unwrap();

    // Assert
    assert_eq!(reopened.list_accounts(&operator(), Some(jaslo.id)).await.unwrap()[0].login, LOGIN);
    assert!(reopened.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_second_rotation_also_keeps_the_data_readable() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;
    h.store.rotate_master_key().await.unwrap();

    // Act
    h.store.rotate_master_key().await.unwrap();
    h.store.close().await;
    let reopened = h.reopen().await.unwrap();

    // Assert
    assert_eq!(reopened.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap()[0].login, LOGIN);
}

#[tokio::test]
async fn a_rotation_interrupted_before_the_files_moved_is_finished_at_the_next_start() {
    // Arrange: the database holds data keys wrapped with the new key, which still sits in master.new, while
    // master.key is the old one (the state a crash between commit and rename leaves).
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;
    h.store.rotate_master_key().await.unwrap();
    h.store.close().await;
    let key_path = h.db.options.master_key_path();
    let (old, staged) = (key_path.with_file_name("master.old"), key_path.with_file_name("master.new"));
    std::fs::rename(&key_path, &staged).unwrap();
    std::fs::rename(&old, &key_path).unwrap();
    let new_key = std::fs::read(&staged).unwrap();

    // Act
    let reopened = h.reopen().await.unwrap();

    // Assert
    assert_eq!(std::fs::read(&key_path).unwrap(), new_key);
    assert!(!staged.exists());
    assert_eq!(reopened.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap()[0].login, LOGIN);
}

#[tokio::test]
async fn a_database_with_data_keys_does_not_open_without_its_master_key() {
    // Arrange
    let h = Harness::new().await;
    tenant(&h.store).await;
    h.store.close().await;
    let key_path = h.db.options.master_key_path();
    std::fs::remove_file(&key_path).unwrap();

    // Act
    let result = h.reopen().await;

    // Assert
    assert!(matches!(result, Err(StoreError::Key(_))), "{result:?}");
    assert!(!key_path.exists(), "no new key may be made up for existing data");
}

#[tokio::test]
async fn a_database_opened_with_another_master_key_cannot_read_the_data() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;
    h.store.close().await;
    let stranger = Harness::new().await;
    let key_path = h.db.options.master_key_path();
    std::fs::copy(stranger.db.options.master_key_path(), &key_path).unwrap();

    // Act: the audit chain's key is unwrapped at start, so the wrong key is refused before any page is served.
    let result = h.reopen().await;

    // Assert
    assert!(matches!(result, Err(StoreError::Key(ref m)) if m.contains("right key file")), "{result:?}");
    assert!(!tomaszow.name.is_empty());
}

#[tokio::test]
async fn a_master_key_readable_by_others_is_refused() {
    // Arrange
    let h = Harness::new().await;
    h.store.close().await;
    let key_path = h.db.options.master_key_path();
    std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).unwrap();

    // Act
    let result = h.reopen().await;

    // Assert
    assert!(matches!(result, Err(StoreError::Key(ref m)) if m.contains("chmod 600")), "{result:?}");
}
