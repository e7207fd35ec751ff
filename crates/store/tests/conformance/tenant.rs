//! Tenants (municipalities) and their institutions.

use store::StoreError;
use uuid::Uuid;

use crate::support::*;

#[tokio::test]
async fn a_created_tenant_is_listed_and_found_by_its_teryt() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let created =
        h.store.create_tenant(&operator(), " 10 16 01 1 ", "  Gmina Miasto Tomaszów Mazowiecki ", true).await.unwrap();

    // Assert
    assert_eq!(created.teryt, "1016011", "the TERYT is stored without spaces");
    assert_eq!(created.name, "Gmina Miasto Tomaszów Mazowiecki", "the name is trimmed");
    assert!(created.is_demo);
    assert_eq!(h.store.list_tenants().await.unwrap(), vec![created.clone()]);
    assert_eq!(h.store.tenant_by_teryt("1016011").await.unwrap(), created);
}

#[tokio::test]
async fn tenants_are_listed_by_name() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;

    // Act
    let listed = h.store.list_tenants().await.unwrap();

    // Assert
    assert_eq!(listed, vec![jaslo, tomaszow]);
}

#[tokio::test]
async fn a_second_tenant_with_the_same_teryt_is_refused_as_taken() {
    // Arrange
    let h = Harness::new().await;
    let first = tenant(&h.store).await;

    // Act: the same code, written with spaces.
    let result = h.store.create_tenant(&operator(), "1016 011", "Inna nazwa", false).await;

    // Assert
    assert_eq!(field_error(result, "teryt"), "err-teryt-taken");
    assert_eq!(h.store.list_tenants().await.unwrap(), vec![first], "nothing was added");
}

#[tokio::test]
async fn a_malformed_teryt_is_refused_with_a_field_error() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let wrong_length = h.store.create_tenant(&operator(), "123", "Gmina", false).await;
    let odd_voivodeship = h.store.create_tenant(&operator(), "3316011", "Gmina", false).await;

    // Assert
    assert_eq!(field_error(wrong_length, "teryt"), "err-teryt-format");
    assert_eq!(field_error(odd_voivodeship, "teryt"), "err-teryt-voivodeship");
    assert!(h.store.list_tenants().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_field_at_fault_is_named_at_once() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let result = h.store.create_tenant(&operator(), "", "   ", false).await;

    // Assert
    let Err(StoreError::Invalid(errors)) = result else { panic!("expected a validation error, got {result:?}") };
    assert_eq!(errors.for_field("teryt"), Some("err-required"));
    assert_eq!(errors.for_field("name"), Some("err-required"));
}

#[tokio::test]
async fn an_unknown_teryt_is_not_found() {
    // Arrange
    let h = Harness::new().await;
    tenant(&h.store).await;

    // Act
    let unknown = h.store.tenant_by_teryt(OTHER_TERYT).await;
    let malformed = h.store.tenant_by_teryt("nonsense").await;

    // Assert
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    assert!(matches!(malformed, Err(StoreError::NotFound)), "{malformed:?}");
}

#[tokio::test]
async fn creating_a_tenant_is_recorded_in_its_audit_trail() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let created = tenant(&h.store).await;

    // Assert
    let entries = audit_entries(&h.store, "create").await;
    let entry = entries.iter().find(|e| e.object_kind == "tenant").expect("a create entry for the tenant");
    assert_eq!(entry.object_id.as_deref(), Some(created.id.to_string().as_str()));
    assert_eq!(entry.tenant_id, Some(created.id));
    assert_eq!(entry.detail, "1016011");
}

#[tokio::test]
async fn an_institution_is_created_and_listed_under_its_tenant_only() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;

    // Act
    let police =
        h.store.create_institution(&operator(), tomaszow.id, " Komenda Powiatowa Policji ", "police").await.unwrap();
    let ops = h
        .store
        .create_institution(&operator(), tomaszow.id, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();

    // Assert
    assert_eq!(police.name, "Komenda Powiatowa Policji");
    assert_eq!(police.tenant_id, tomaszow.id);
    assert_eq!(police.kind(), Some(domain::tenant::InstitutionKind::Police));
    assert_eq!(h.store.list_institutions(tomaszow.id).await.unwrap(), vec![police, ops]);
    assert!(h.store.list_institutions(jaslo.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_second_institution_with_the_same_name_in_a_tenant_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();

    // Act
    let result = h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "other").await;

    // Assert
    assert_eq!(field_error(result, "name"), "err-institution-taken");
    assert_eq!(h.store.list_institutions(tomaszow.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn two_tenants_may_each_have_an_institution_of_the_same_name() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    h.store.create_institution(&operator(), tomaszow.id, "Komenda Powiatowa Policji", "police").await.unwrap();

    // Act
    let result = h.store.create_institution(&operator(), jaslo.id, "Komenda Powiatowa Policji", "police").await;

    // Assert
    assert!(result.is_ok(), "{result:?}");
}

#[tokio::test]
async fn an_institution_of_an_unknown_kind_is_refused() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;

    // Act
    let result = h.store.create_institution(&operator(), tomaszow.id, "Cyrk", "circus").await;

    // Assert
    assert_eq!(field_error(result, "kind"), "err-institution-kind");
}

#[tokio::test]
async fn an_institution_for_an_unknown_tenant_is_not_found() {
    // Arrange
    let h = Harness::new().await;

    // Act
    let result = h.store.create_institution(&operator(), Uuid::now_v7(), "Komenda Powiatowa Policji", "police").await;

    // Assert
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

fn principal_in(tenant: Option<Uuid>, role: domain::identity::Role) -> store::identity::Principal {
    store::identity::Principal {
        account_id: Uuid::now_v7(),
        login: "x".into(),
        tenant_id: tenant,
        tenant_teryt: None,
        tenant_name: None,
        tenant_is_demo: false,
        demo_account: false,
        roles: domain::identity::RoleSet::new(vec![role]),
    }
}

#[tokio::test]
async fn a_municipality_is_handed_out_to_its_own_team_and_the_administrator_and_hidden_from_others() {
    // Arrange
    let h = Harness::new().await;
    let tomaszow = tenant(&h.store).await;
    let jaslo = other_tenant(&h.store).await;
    let own_chair = principal_in(Some(tomaszow.id), domain::identity::Role::Chair);
    let admin = principal_in(None, domain::identity::Role::SystemAdministrator);
    let initiator = principal_in(Some(tomaszow.id), domain::identity::Role::Initiator);

    // Act and assert
    let scope = h.store.tenant_scope(&own_chair, &tomaszow.teryt).await.unwrap();
    assert_eq!(scope.tenant, tomaszow);
    assert!(!scope.manage, "a team member reads the directory but does not manage it");
    assert!(h.store.tenant_scope(&admin, &jaslo.teryt).await.unwrap().manage);
    assert!(matches!(h.store.tenant_scope(&own_chair, &jaslo.teryt).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.tenant_scope(&own_chair, "1805031").await, Err(StoreError::NotFound)));
    assert!(
        matches!(h.store.tenant_scope(&initiator, &tomaszow.teryt).await, Err(StoreError::NotFound)),
        "an initiator has no need to see the team's directory"
    );
}
