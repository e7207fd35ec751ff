//! API tokens for integrations: issued once, stored as a hash, and every rejection recorded.

use domain::identity::Role;
use store::StoreError;

use crate::support::*;

const LOGIN: &str = "integracja.ops";

#[tokio::test]
async fn an_issued_api_token_authenticates_as_its_account() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.issue_api_token(&operator(), LOGIN, "System dziedzinowy OPS").await.unwrap();

    // Act
    let principal = h.store.authenticate_api_token(&token, ADDRESS).await.unwrap();

    // Assert
    assert!(token.starts_with("ostoja_"), "{token}");
    assert_eq!(principal.account_id, id);
    assert_eq!(principal.login, LOGIN);
    assert_eq!(principal.tenant_teryt.as_deref(), Some(TERYT));
    assert!(principal.roles.contains(Role::GroupMember));
    assert_eq!(audit_entries(&h.store, "api_token_issued").await.len(), 1);
}

#[tokio::test]
async fn an_api_token_is_stored_only_as_a_hash() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;

    // Act
    let token = h.store.issue_api_token(&operator(), LOGIN, "System dziedzinowy OPS").await.unwrap();

    // Assert
    let stored: Vec<(Vec<u8>,)> = match h.store.db() {
        store::Db::Sqlite(p, _) => sqlx::query_as("SELECT token_hash FROM api_token").fetch_all(p).await,
        store::Db::Postgres(p) => sqlx::query_as("SELECT token_hash FROM api_token").fetch_all(p).await,
    }
    .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0.len(), 32, "a SHA-256 hash");
    assert!(!contains_bytes(&stored[0].0, token.as_bytes()));
}

#[tokio::test]
async fn a_wrong_api_token_is_not_found_and_its_rejection_is_recorded() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;
    let token = h.store.issue_api_token(&operator(), LOGIN, "System dziedzinowy OPS").await.unwrap();
    let mut wrong = token.clone();
    wrong.pop();
    wrong.push(if token.ends_with('0') { '1' } else { '0' });

    // Act
    let result = h.store.authenticate_api_token(&wrong, ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    let rejected = audit_entries(&h.store, "api_token_rejected").await;
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].address.as_deref(), Some(ADDRESS));
    assert!(!rejected[0].detail.contains(&wrong), "the presented token is not recorded whole: {}", rejected[0].detail);
}

#[tokio::test]
async fn a_token_without_the_prefix_is_rejected_and_recorded() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;
    let token = h.store.issue_api_token(&operator(), LOGIN, "System dziedzinowy OPS").await.unwrap();

    // Act
    let result = h.store.authenticate_api_token(token.trim_start_matches("ostoja_"), ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(audit_entries(&h.store, "api_token_rejected").await.len(), 1);
}

#[tokio::test]
async fn an_api_token_for_an_unknown_login_is_not_issued() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;

    // Act
    let unknown = h.store.issue_api_token(&operator(), "nikt.taki", "Integracja").await;
    let unnamed = h.store.issue_api_token(&operator(), LOGIN, "   ").await;

    // Assert
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    assert_eq!(field_error(unnamed, "name"), "err-required");
}

#[tokio::test]
async fn a_tokens_last_use_is_written_at_most_once_a_minute() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let token = h.store.issue_api_token(&operator(), LOGIN, "System dziedzinowy OPS").await.unwrap();
    let last_use = || async { h.store.list_api_tokens(id).await.unwrap()[0].last_used_at };

    // Act
    h.store.authenticate_api_token(&token, ADDRESS).await.unwrap();
    let first = last_use().await;
    h.advance(jiff::SignedDuration::from_secs(59));
    h.store.authenticate_api_token(&token, ADDRESS).await.unwrap();
    let within_the_minute = last_use().await;
    h.advance(jiff::SignedDuration::from_secs(1));
    h.store.authenticate_api_token(&token, ADDRESS).await.unwrap();
    let a_minute_later = last_use().await;

    // Assert
    assert!(first.is_some());
    assert_eq!(within_the_minute, first, "written again within the minute");
    assert_eq!(a_minute_later, Some(h.now()));
}
