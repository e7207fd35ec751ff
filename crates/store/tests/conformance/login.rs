//! Logging in: activation links, password, the TOTP second factor with its enrolment and replay protection, and the
//! lock-out after failed attempts.

use jiff::SignedDuration;
use store::StoreError;
use store::identity::{LinkPurpose, SessionStage};

use crate::support::*;

const LOGIN: &str = "zzolkiewska";

#[tokio::test]
async fn an_activation_link_names_its_account_until_it_is_used() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let (id, token) = account(&h.store, tomaszow.id, LOGIN).await;

    // Act
    let info = h.store.inspect_link(&token).await.unwrap();

    // Assert
    assert_eq!(info.purpose, LinkPurpose::Activation);
    assert_eq!(info.account_id, Some(id));
    assert_eq!(info.login.as_deref(), Some(LOGIN));
}

#[tokio::test]
async fn an_activation_link_sets_the_password_and_then_stops_working() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let (id, token) = account(&h.store, tomaszow.id, LOGIN).await;

    // Act
    let activated = h.store.activate(&token, PASSWORD, PASSWORD, None).await;
    let again = h.store.activate(&token, "inne długie hasło 1", "inne długie hasło 1", None).await;

    // Assert
    assert_eq!(activated.unwrap(), id);
    assert!(matches!(again, Err(StoreError::NotFound)), "a used link must not work twice: {again:?}");
    assert!(matches!(h.store.inspect_link(&token).await, Err(StoreError::NotFound)));
    // The first password stands.
    assert!(h.store.password_login(LOGIN, PASSWORD, ADDRESS).await.is_ok());
}

#[tokio::test]
async fn an_activation_link_expires_after_seven_days() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let (_, token) = account(&h.store, tomaszow.id, LOGIN).await;
    h.advance(SignedDuration::from_hours(7 * 24) + SignedDuration::from_secs(1));

    // Act
    let result = h.store.activate(&token, PASSWORD, PASSWORD, None).await;

    // Assert
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

#[tokio::test]
async fn an_activation_with_a_weak_password_is_refused_and_the_link_stays_valid() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let (_, token) = account(&h.store, tomaszow.id, LOGIN).await;

    // Act
    let short = h.store.activate(&token, "krótkie", "krótkie", None).await;
    let mismatch = h.store.activate(&token, PASSWORD, "inne długie hasło 1", None).await;

    // Assert
    assert_eq!(field_error(short, "password"), "err-password-short");
    assert_eq!(field_error(mismatch, "password_confirm"), "err-password-mismatch");
    assert!(h.store.inspect_link(&token).await.is_ok());
}

#[tokio::test]
async fn the_first_password_login_asks_for_enrolment_of_the_second_factor() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;

    // Act
    let outcome = h.store.password_login("  ZZolkiewska ", PASSWORD, ADDRESS).await.unwrap();

    // Assert
    assert_eq!(outcome.account_id, id);
    assert_eq!(outcome.next, SessionStage::Enrolment);
}

#[tokio::test]
async fn an_account_that_was_never_activated_cannot_log_in() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    account(&h.store, tomaszow.id, LOGIN).await;

    // Act
    let result = h.store.password_login(LOGIN, PASSWORD, ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::AuthFailed { locked_until: None })), "{result:?}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_fail_alike_and_are_recorded() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;

    // Act
    let wrong_password = h.store.password_login(LOGIN, "zupełnie złe hasło", ADDRESS).await;
    let unknown_login = h.store.password_login("nikt.taki", PASSWORD, "192.0.2.99").await;

    // Assert
    assert!(matches!(wrong_password, Err(StoreError::AuthFailed { locked_until: None })), "{wrong_password:?}");
    assert!(matches!(unknown_login, Err(StoreError::AuthFailed { locked_until: None })), "{unknown_login:?}");
    let failures = audit_entries(&h.store, "login_failed").await;
    assert_eq!(failures.len(), 2);
    assert!(failures.iter().any(|e| e.actor_login.as_deref() == Some(LOGIN) && e.address.as_deref() == Some(ADDRESS)));
    assert!(failures.iter().any(|e| e.actor_login.as_deref() == Some("nikt.taki")));
}

#[tokio::test]
async fn enrolment_gives_a_secret_that_stays_the_same_until_confirmed() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;

    // Act
    let first = h.store.totp_enrolment(id).await.unwrap();
    let second = h.store.totp_enrolment(id).await.unwrap();

    // Assert
    assert!(totp_rs::Secret::try_from_base32(&first.secret_base32).is_ok(), "not base32: {}", first.secret_base32);
    assert_eq!(first.secret_base32, second.secret_base32);
    assert!(first.otpauth_url.starts_with("otpauth://totp/"), "{}", first.otpauth_url);
    assert!(first.otpauth_url.contains("issuer=Ostoja"), "{}", first.otpauth_url);
}

#[tokio::test]
async fn a_wrong_enrolment_code_is_refused_and_leaves_no_second_factor() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let enrolment = h.store.totp_enrolment(id).await.unwrap();
    let right = totp_code(&enrolment.secret_base32, LOGIN, h.now());
    let wrong = if right == "000000" { "111111" } else { "000000" };

    // Act
    let result = h.store.confirm_totp_enrolment(id, wrong, ADDRESS).await;

    // Assert
    assert_eq!(field_error(result, "code"), "err-totp-wrong");
    assert_eq!(h.store.password_login(LOGIN, PASSWORD, ADDRESS).await.unwrap().next, SessionStage::Enrolment);
}

#[tokio::test]
async fn after_enrolment_a_password_login_asks_for_the_second_factor() {
    // Arrange
    let h = Harness::new().await;
    let id = activated_account(&h.store, LOGIN).await;
    let enrolment = h.store.totp_enrolment(id).await.unwrap();
    let code = totp_code(&enrolment.secret_base32, LOGIN, h.now());

    // Act
    let confirmed = h.store.confirm_totp_enrolment(id, &code, ADDRESS).await;

    // Assert
    assert!(confirmed.is_ok(), "{confirmed:?}");
    assert_eq!(h.store.password_login(LOGIN, PASSWORD, ADDRESS).await.unwrap().next, SessionStage::SecondFactor);
    assert_eq!(audit_entries(&h.store, "second_factor_enrolled").await.len(), 1);
    let listed = h.store.list_accounts(&operator(), h.store.principal(id).await.unwrap().tenant_id).await.unwrap();
    assert!(listed[0].has_second_factor);
}

#[tokio::test]
async fn the_second_factor_accepts_a_fresh_code_once_and_refuses_its_replay() {
    // Arrange
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, LOGIN).await;
    h.advance(SignedDuration::from_secs(30));
    assert_eq!(h.store.password_login(LOGIN, PASSWORD, ADDRESS).await.unwrap().next, SessionStage::SecondFactor);
    let code = totp_code(&secret, LOGIN, h.now());

    // Act
    let first = h.store.verify_second_factor(id, &code, ADDRESS).await;
    let replay = h.store.verify_second_factor(id, &code, ADDRESS).await;

    // Assert
    assert!(first.is_ok(), "a fresh code must be accepted: {first:?}");
    assert!(matches!(replay, Err(StoreError::AuthFailed { .. })), "a code must be accepted once: {replay:?}");
    assert_eq!(audit_entries(&h.store, "second_factor_failed").await.len(), 1);
}

#[tokio::test]
async fn the_code_that_confirmed_enrolment_cannot_be_used_again_to_log_in() {
    // Arrange
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, LOGIN).await;
    let enrolment_code = totp_code(&secret, LOGIN, h.now());

    // Act
    let result = h.store.verify_second_factor(id, &enrolment_code, ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::AuthFailed { .. })), "{result:?}");
}

#[tokio::test]
async fn a_code_from_before_the_last_accepted_one_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, LOGIN).await;
    h.advance(SignedDuration::from_secs(30));
    let older = totp_code(&secret, LOGIN, h.now());
    h.advance(SignedDuration::from_secs(30));
    let newer = totp_code(&secret, LOGIN, h.now());
    h.store.verify_second_factor(id, &newer, ADDRESS).await.unwrap();

    // Act: the older code is still inside the allowed skew, but its step is behind the accepted one.
    let result = h.store.verify_second_factor(id, &older, ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::AuthFailed { .. })), "{result:?}");
}

#[tokio::test]
async fn a_code_from_long_ago_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, LOGIN).await;
    h.advance(SignedDuration::from_secs(30));
    let code = totp_code(&secret, LOGIN, h.now());
    h.advance(SignedDuration::from_mins(5));

    // Act
    let result = h.store.verify_second_factor(id, &code, ADDRESS).await;

    // Assert
    assert!(matches!(result, Err(StoreError::AuthFailed { .. })), "{result:?}");
}

#[tokio::test]
async fn after_three_wrong_passwords_even_the_right_one_is_refused_until_the_lock_ends() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;
    let mut last = None;
    for _ in 0..3 {
        last = Some(h.store.password_login(LOGIN, "zupełnie złe hasło", ADDRESS).await);
    }
    let Some(Err(StoreError::AuthFailed { locked_until: Some(lock_end) })) = last else {
        panic!("the third failure must lock the account: {last:?}")
    };
    assert!(lock_end > h.now(), "the lock ends in the future");

    // Act
    let while_locked = h.store.password_login(LOGIN, PASSWORD, ADDRESS).await;
    h.clock.advance(lock_end.duration_since(h.now()) + SignedDuration::from_secs(1));
    let after_lock = h.store.password_login(LOGIN, PASSWORD, ADDRESS).await;

    // Assert
    match while_locked {
        Err(StoreError::AuthFailed { locked_until: Some(until) }) => assert_eq!(until, lock_end),
        other => panic!("the right password must be refused while locked: {other:?}"),
    }
    assert_eq!(after_lock.unwrap().next, SessionStage::Enrolment);
    let failures = audit_entries(&h.store, "login_failed").await;
    assert!(failures.iter().any(|e| e.detail == "locked out"), "the refused attempt is recorded");
}

#[tokio::test]
async fn the_lock_out_also_holds_for_another_address() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;
    for _ in 0..3 {
        let _ = h.store.password_login(LOGIN, "zupełnie złe hasło", ADDRESS).await;
    }

    // Act
    let result = h.store.password_login(LOGIN, PASSWORD, "198.51.100.7").await;

    // Assert
    assert!(matches!(result, Err(StoreError::AuthFailed { locked_until: Some(_) })), "{result:?}");
}

#[tokio::test]
async fn a_successful_login_clears_the_count_of_failures() {
    // Arrange
    let h = Harness::new().await;
    activated_account(&h.store, LOGIN).await;
    for _ in 0..2 {
        let _ = h.store.password_login(LOGIN, "zupełnie złe hasło", ADDRESS).await;
    }
    h.store.password_login(LOGIN, PASSWORD, ADDRESS).await.unwrap();

    // Act: two more failures from another address would lock if the earlier two still counted.
    let mut results = Vec::new();
    for _ in 0..2 {
        results.push(h.store.password_login(LOGIN, "zupełnie złe hasło", "198.51.100.7").await);
    }

    // Assert
    for result in results {
        assert!(matches!(result, Err(StoreError::AuthFailed { locked_until: None })), "{result:?}");
    }
}
