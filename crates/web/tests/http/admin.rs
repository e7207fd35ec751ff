use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, between, client};

#[tokio::test]
async fn the_administrator_creates_a_municipality_an_institution_and_an_account_whose_link_works() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;

    let r = app
        .post_form(&admin, "/admin/tenants", "/admin/tenants", &[("teryt", "1805021"), ("name", "Gmina Miejska Jasło")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("Utworzono gminę.") && page.contains("Gmina Miejska Jasło"));

    let path = "/admin/tenants/1805021/institutions";
    let r = app
        .post_form(&admin, path, path, &[("name", "Miejski Ośrodek Pomocy Społecznej"), ("kind", "social_welfare")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(crate::helpers::location(&r).starts_with(&format!("{path}#institution-")), "the saved row in view");
    let page = app.get_with(&admin, path).await.text().await.unwrap();
    assert!(page.contains("Zapisano."));
    assert!(page.contains("Jednostka organizacyjna pomocy społecznej"));
    let institution_id = between(&page, "<option value=\"", "\"");
    let institution_id = if institution_id.is_empty() {
        let accounts = app.get_with(&admin, "/admin/tenants/1805021/accounts").await.text().await.unwrap();
        let after = between(&accounts, "<option value=\"\">", "</select>");
        between(&after, "value=\"", "\"")
    } else {
        institution_id
    };

    let path = "/admin/tenants/1805021/accounts";
    let r = app
        .post_form(
            &admin,
            path,
            path,
            &[
                ("login", "k.nowak.mops"),
                ("full_name", "Katarzyna Nowak-Żuławska"),
                ("email", "k.nowak@mops.jaslo.pl"),
                ("institution", &institution_id),
                ("roles", "chair"),
                ("roles", "group_member"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("Katarzyna Nowak-Żuławska"), "the list shows the decrypted name");
    let link = between(&page, "data-testid=\"activation-link\">", "<");
    let path = link.strip_prefix(&app.base).unwrap().to_owned();

    let person = client();
    app.activate_and_enrol(&person, &path).await;
    let home = app.get_with(&person, "/").await.text().await.unwrap();
    assert!(home.contains("Przewodniczący zespołu") && home.contains("Członek grupy diagnostyczno-pomocowej"));
    assert!(home.contains("Gmina Miejska Jasło"));
}

#[tokio::test]
async fn a_duplicate_or_malformed_teryt_code_is_refused_beside_the_field_with_the_input_kept() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let r = app
        .post_form(&admin, "/admin/tenants", "/admin/tenants", &[("teryt", &app.teryt), ("name", "Druga gmina")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Gmina o tym kodzie TERYT już istnieje."));
    assert!(page.contains("value=\"Druga gmina\""));

    let r = app.post_form(&admin, "/admin/tenants", "/admin/tenants", &[("teryt", "12-345"), ("name", "")]).await;
    let page = r.text().await.unwrap();
    assert!(page.contains("Kod TERYT gminy to 7 cyfr (np. 1016011), powiatu 4 (1016), województwa 2 (10)."));
    assert!(page.contains("id=\"name-error\""));
    assert!(page.contains("value=\"12-345\""));
}

#[tokio::test]
async fn an_account_without_roles_is_refused_with_the_typed_details_kept() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let path = format!("/admin/tenants/{}/accounts", app.teryt);
    let r = app
        .post_form(
            &admin,
            &path,
            &path,
            &[("login", "bez.roli"), ("full_name", "Jan O'Brien-Łęcki"), ("phone", "+48 600 100 200")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Wybierz co najmniej jedną rolę."));
    assert!(page.contains("Jan O&#39;Brien-Łęcki") || page.contains("Jan O&#x27;Brien-Łęcki"), "escaped, kept");
    assert!(page.contains("+48 600 100 200"));
}

#[tokio::test]
async fn resetting_a_second_factor_ends_the_sessions_and_hands_out_a_new_activation_link() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    // Without case access: the administrator's reset takes effect at once (with it, it waits for the chair).
    let member = app.login_as("zgubiony.telefon", &[Role::AggregateViewer]).await;
    assert_eq!(app.get_with(&member, "/").await.status(), StatusCode::OK);
    let (id, _) = app.store.account_by_login("zgubiony.telefon").await.unwrap();
    let accounts = format!("/admin/tenants/{}/accounts", app.teryt);
    let r = app
        .post_form(&admin, &accounts, &format!("{accounts}/{id}/reset-second-factor"), &[("confirmed", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("jednorazowy link"), "{page}");
    let link = between(&page, "data-testid=\"activation-link\">", "<");
    assert_eq!(app.get_with(&member, "/").await.status(), StatusCode::SEE_OTHER, "old session ended");
    let fresh = client();
    app.activate_and_enrol(&fresh, link.strip_prefix(&app.base).unwrap()).await;
    assert_eq!(app.get_with(&fresh, "/").await.status(), StatusCode::OK);
    let trail = app
        .store
        .audit_entries(
            &store::Actor::operator(),
            &store::AuditFilter { action: Some("second_factor_reset".into()), limit: 10, ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
}

#[tokio::test]
async fn the_data_protection_officer_sees_the_audit_trail_of_their_municipality_with_filters() {
    let app = TestApp::spawn().await;
    let dpo = app.login_as("iod.gmina", &[Role::DataProtectionOfficer]).await;
    let page = app.get_with(&dpo, "/audit").await.text().await.unwrap();
    assert!(page.contains("Dziennik zdarzeń"));
    assert!(page.contains("data-action=\"login_succeeded\">Zalogowanie<"), "actions in Polish: {page}");
    assert!(page.contains("data-object=\"account\">konto użytkownika"), "objects in Polish: {page}");
    let filtered = app.get_with(&dpo, "/audit?action=second_factor_enrolled").await.text().await.unwrap();
    assert!(filtered.contains("data-action=\"second_factor_enrolled\""));
    assert!(!filtered.contains("data-action=\"login_succeeded\""));
    let bad = app.get_with(&dpo, "/audit?from=31.02.2025").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(text.contains("Taki dzień nie istnieje") && text.contains("value=\"31.02.2025\""));
}

#[tokio::test]
async fn an_institution_still_in_use_is_not_removed_and_the_page_says_what_depends_on_it() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let operator = store::Actor::operator();
    let used = app.store.create_institution(&operator, tenant.id, "Komenda Powiatowa Policji", "police").await.unwrap();
    let unused = app.store.create_institution(&operator, tenant.id, "Poradnia Zdrowia", "health_care").await.unwrap();
    let account = store::identity::NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: Some(used.id),
        login: "dzielnicowy.kpp".to_owned(),
        roles: vec![Role::Initiator],
        details: store::identity::PersonalDetails { full_name: "Jan Dzielnicowy".into(), ..Default::default() },
    };
    app.store.create_account(&operator, &account).await.unwrap();
    let page = format!("/admin/tenants/{}/institutions", app.teryt);

    let yes = [("confirmed", "yes")];
    let r = app.post_form(&admin, &page, &format!("{page}/{}/remove", used.id), &yes).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nie usunięto instytucji „Komenda Powiatowa Policji”"), "{html}");
    assert!(html.contains("konto: dzielnicowy.kpp"), "{html}");
    assert!(app.store.list_institutions(tenant.id).await.unwrap().iter().any(|i| i.id == used.id));

    // The button asks first (issue 16): nothing is removed until confirmed.
    let r = app.post_form(&admin, &page, &format!("{page}/{}/remove", unused.id), &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("data-testid=\"confirm-question\">Usunąć instytucję"));
    assert!(app.store.list_institutions(tenant.id).await.unwrap().iter().any(|i| i.id == unused.id));
    let r = app.post_form(&admin, &page, &format!("{page}/{}/remove", unused.id), &yes).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(app.get_with(&admin, &page).await.text().await.unwrap().contains("Zapisano."));
    assert!(!app.store.list_institutions(tenant.id).await.unwrap().iter().any(|i| i.id == unused.id));
    // Someone else's institution, or none: not found.
    let r = app.post_form(&admin, &page, &format!("{page}/{}/remove", uuid::Uuid::nil()), &[]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
