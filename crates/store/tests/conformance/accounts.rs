//! Accounts: personal details encrypted at rest, decrypted for the list, and every such read recorded.

use domain::identity::Role;
use store::{Db, StoreError};

use crate::support::*;

const NAME: &str = "Zofia Żółkiewska";
const EMAIL: &str = "zofia.zolkiewska@ops.example.pl";
const PHONE: &str = "+48 600 123 456";

/// The raw encrypted columns of every account, as a copy of the database would show them.
async fn raw_personal_columns(db: &Db) -> Vec<(Option<Vec<u8>>, Option<Vec<u8>>, Option<Vec<u8>>)> {
    let sql = "SELECT full_name_enc, email_enc, phone_enc FROM account";
    match db {
        Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_all(p).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .expect("raw account rows")
}

#[tokio::test]
async fn an_accounts_personal_details_are_stored_only_encrypted() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;

    // Act
    h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "zzolkiewska", NAME)).await.unwrap();

    // Assert
    let rows = raw_personal_columns(h.store.db()).await;
    assert_eq!(rows.len(), 1);
    let (name, email, phone) = rows.into_iter().next().unwrap();
    let (name, email, phone) =
        (name.expect("name stored"), email.expect("e-mail stored"), phone.expect("phone stored"));
    assert!(!contains_bytes(&name, NAME.as_bytes()), "the name is in the clear");
    assert!(!contains_bytes(&name, "Żółkiewska".as_bytes()), "the surname is in the clear");
    assert!(!contains_bytes(&email, EMAIL.as_bytes()), "the e-mail is in the clear");
    assert!(!contains_bytes(&email, b"zolkiewska"), "part of the e-mail is in the clear");
    assert!(!contains_bytes(&phone, b"600 123 456"), "the phone number is in the clear");
    // Version byte, 24-byte nonce, ciphertext, 16-byte tag.
    assert_eq!(name.len(), 1 + 24 + NAME.len() + 16);
}

#[tokio::test]
async fn the_same_name_encrypts_differently_in_two_accounts() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;

    // Act
    h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "zofia.a", NAME)).await.unwrap();
    h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "zofia.b", NAME)).await.unwrap();

    // Assert
    let rows = raw_personal_columns(h.store.db()).await;
    assert_eq!(rows.len(), 2);
    assert_ne!(rows[0].0, rows[1].0, "equal names must not give equal ciphertexts");
}

#[tokio::test]
async fn listing_accounts_decrypts_their_personal_details() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let institution = h
        .store
        .create_institution(&operator(), tomaszow.id, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    let mut new = new_account(Some(tomaszow.id), "  ZZolkiewska ", NAME);
    new.institution_id = Some(institution.id);
    new.roles = vec![Role::Chair, Role::GroupMember];
    let (id, _) = h.store.create_account(&operator(), &new).await.unwrap();

    // Act
    let listed = h.store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();

    // Assert
    assert_eq!(listed.len(), 1);
    let view = &listed[0];
    assert_eq!(view.id, id);
    assert_eq!(view.login, "zzolkiewska", "logins are trimmed and lower-cased");
    assert_eq!(view.tenant_id, Some(tomaszow.id));
    assert_eq!(view.institution_id, Some(institution.id));
    assert_eq!(view.details, details(NAME));
    assert_eq!(view.details.email, EMAIL);
    assert_eq!(view.details.phone, PHONE);
    assert!(view.roles.contains(Role::Chair) && view.roles.contains(Role::GroupMember));
    assert!(!view.roles.contains(Role::Secretary));
    assert!(view.active);
    assert!(!view.has_second_factor);
}

#[tokio::test]
async fn accounts_are_listed_only_for_their_own_tenant() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "tomaszow.1", "Anna Nowak")).await.unwrap();
    h.store.create_account(&operator(), &new_account(Some(jaslo.id), "jaslo.1", "Jan Kowalski")).await.unwrap();
    h.store.create_account(&operator(), &new_account(None, "admin", "Ewa Administratorka")).await.unwrap();

    // Act
    let in_tomaszow = h.store.list_accounts(&operator(), Some(tomaszow.id)).await.unwrap();
    let in_jaslo = h.store.list_accounts(&operator(), Some(jaslo.id)).await.unwrap();
    let tenantless = h.store.list_accounts(&operator(), None).await.unwrap();

    // Assert
    let logins = |v: &[store::identity::AccountView]| v.iter().map(|a| a.login.clone()).collect::<Vec<_>>();
    assert_eq!(logins(&in_tomaszow), ["tomaszow.1"]);
    assert_eq!(logins(&in_jaslo), ["jaslo.1"]);
    assert_eq!(logins(&tenantless), ["admin"]);
    assert_eq!(tenantless[0].details.full_name, "Ewa Administratorka", "installation-scope details decrypt too");
}

#[tokio::test]
async fn listing_accounts_records_a_read_of_personal_data() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let (id, _) =
        h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "zzolkiewska", NAME)).await.unwrap();
    assert!(audit_entries(&h.store, "read_personal_data").await.iter().all(|e| e.object_kind != "account"));
    let reader = store::Actor { login: "przewodniczaca".into(), tenant_id: Some(tomaszow.id), ..operator() };

    // Act
    h.store.list_accounts(&reader, Some(tomaszow.id)).await.unwrap();

    // Assert
    let reads: Vec<_> = audit_entries(&h.store, "read_personal_data")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "account")
        .collect();
    assert_eq!(reads.len(), 1, "{reads:?}");
    let read = &reads[0];
    assert_eq!(read.actor_login.as_deref(), Some("przewodniczaca"));
    assert_eq!(read.tenant_id, Some(tomaszow.id));
    assert!(read.detail.contains(&id.to_string()), "the entry names the accounts read: {}", read.detail);
    assert!(!read.detail.contains("Żółkiewska"), "the entry holds ids, never personal data");
}

#[tokio::test]
async fn a_login_that_is_taken_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    h.store.create_account(&operator(), &new_account(Some(tomaszow.id), "zzolkiewska", NAME)).await.unwrap();

    // Act: the same login in other letter case, in another scope.
    let result = h.store.create_account(&operator(), &new_account(None, "ZZolkiewska", "Ktoś Inny")).await;

    // Assert
    assert_eq!(field_error(result, "login"), "err-login-taken");
    assert!(h.store.list_accounts(&operator(), None).await.unwrap().is_empty(), "nothing was added");
}

#[tokio::test]
async fn an_account_with_bad_input_names_each_field_at_fault() {
    // Arrange
    let h = Harness::new().await;
    let mut new = new_account(None, "a b", " ");
    new.details.email = "not-an-email".into();
    new.roles = vec![Role::GroupMember];

    // Act
    let result = h.store.create_account(&operator(), &new).await;

    // Assert
    let Err(StoreError::Invalid(errors)) = result else { panic!("expected a validation error, got {result:?}") };
    assert_eq!(errors.for_field("login"), Some("err-login-chars"));
    assert_eq!(errors.for_field("full_name"), Some("err-required"));
    assert_eq!(errors.for_field("email"), Some("err-email-format"));
    assert_eq!(errors.for_field("tenant"), Some("err-tenant-required-for-role"));
}

#[tokio::test]
async fn an_account_cannot_belong_to_another_tenants_institution() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    let jaslo_police =
        h.store.create_institution(&operator(), jaslo.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    let mut new = new_account(Some(tomaszow.id), "zzolkiewska", NAME);
    new.institution_id = Some(jaslo_police.id);

    // Act
    let result = h.store.create_account(&operator(), &new).await;

    // Assert
    assert_eq!(field_error(result, "institution"), "err-institution-unknown");
}
