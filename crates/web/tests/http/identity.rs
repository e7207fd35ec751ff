use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, client, location};

#[tokio::test]
async fn the_first_administrator_is_created_through_the_setup_link_and_must_enrol_a_second_factor() {
    let app = TestApp::spawn().await;
    let (admin, secret) = app.admin().await;
    let home = app.get_with(&admin, "/").await;
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Witaj, Administrator Systemu."));

    // A second login needs the password and a fresh code.
    let other = client();
    let r = app.login(&other, "admin", &secret).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/");
    assert_eq!(app.get_with(&other, "/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_used_setup_link_does_not_work_twice() {
    let app = TestApp::spawn().await;
    let token = app.store.issue_setup_link().await.unwrap();
    let link = format!("/setup/{token}");
    let c = client();
    let fields = [("login", "admin"), ("full_name", "A B"), ("password", PASSWORD), ("password_confirm", PASSWORD)];
    assert_eq!(app.post_form(&c, &link, &link, &fields).await.status(), StatusCode::SEE_OTHER);
    let again = app.get_with(&client(), &link).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert!(again.text().await.unwrap().contains("Link jest nieważny"));
}

#[tokio::test]
async fn setup_with_bad_input_shows_polish_messages_beside_the_fields_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let token = app.store.issue_setup_link().await.unwrap();
    let link = format!("/setup/{token}");
    let c = client();
    let r = app
        .post_form(
            &c,
            &link,
            &link,
            &[
                ("login", "Zażółć"),
                ("full_name", "Zofia Ąę-Żółkiewska"),
                ("email", "zofia(at)gmina"),
                ("password", "krótkie"),
                ("password_confirm", "krótkie"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"login-error\""), "{page}");
    assert!(page.contains("Login może zawierać tylko małe litery"));
    assert!(page.contains("Podaj adres e-mail w postaci"));
    assert!(page.contains("Hasło musi mieć co najmniej 12 znaków."));
    assert!(page.contains("value=\"Zofia Ąę-Żółkiewska\""), "typed name kept");
    assert!(page.contains("value=\"Zażółć\""), "typed login kept");
    assert!(!page.contains("krótkie"), "a password is never echoed back");
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_repeated_failures_lock_the_account_out() {
    let app = TestApp::spawn().await;
    let _ = app.login_as("anna.ops", &[Role::Chair]).await;
    let c = client();
    for _ in 0..3 {
        let r =
            app.post_form(&c, "/login", "/login", &[("login", "anna.ops"), ("password", "zupełnie złe hasło")]).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let page = r.text().await.unwrap();
        assert!(page.contains("Nieprawidłowy login lub hasło.") || page.contains("Zbyt wiele nieudanych prób"));
        assert!(page.contains("value=\"anna.ops\""), "the login stays typed");
    }
    // Now even the right password is refused until the delay passes.
    let r = app.post_form(&c, "/login", "/login", &[("login", "anna.ops"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("Zbyt wiele nieudanych prób"));
    app.clock.advance(SignedDuration::from_mins(5));
    let r = app.post_form(&c, "/login", "/login", &[("login", "anna.ops"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_password_without_the_second_factor_does_not_open_the_application() {
    let app = TestApp::spawn().await;
    let c = app.login_as("jan.policja", &[Role::GroupMember]).await;
    // Log out, then stop after the password step.
    let r = app.post_form(&c, "/", "/logout", &[]).await;
    assert_eq!(location(&r), "/login?bye=1");
    let r = app.post_form(&c, "/login", "/login", &[("login", "jan.policja"), ("password", PASSWORD)]).await;
    assert!(location(&r).starts_with("/login/second-factor"));
    let home = app.get_with(&c, "/").await;
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert!(location(&home).starts_with("/login"));
    let bad = app.post_form(&c, "/login/second-factor", "/login/second-factor", &[("code", "000000")]).await;
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
    assert!(bad.text().await.unwrap().contains("Nieprawidłowy lub już użyty kod."));
}

#[tokio::test]
async fn an_idle_session_expires_and_the_login_page_says_so() {
    let app = TestApp::spawn().await;
    let c = app.login_as("ewa.szkola", &[Role::Secretary]).await;
    assert_eq!(app.get_with(&c, "/account/password").await.status(), StatusCode::OK);
    app.clock.advance(SignedDuration::from_mins(31));
    let r = app.get_with(&c, "/account/password").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let target = location(&r);
    assert!(target.contains("expired=1") && target.contains("next=%2Faccount%2Fpassword"), "{target}");
    let login = app.get_with(&c, &target).await.text().await.unwrap();
    assert!(login.contains("Sesja wygasła"));
    assert!(login.contains("value=\"/account/password\""), "the user comes back where they were");
}

#[tokio::test]
async fn a_form_posted_after_the_session_expired_returns_to_its_form_page_after_login() {
    let app = TestApp::spawn().await;
    let c = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let page = app.get_with(&c, "/procedures/new").await.text().await.unwrap();
    let csrf = crate::helpers::csrf_of(&page);
    app.clock.advance(SignedDuration::from_mins(31));
    let r = c
        .post(app.url("/procedures/new"))
        .form(&[("csrf", csrf.as_str()), ("affected_persons[0].last_name", "Żak")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let target = location(&r);
    assert!(target.contains("expired=1") && target.contains("next=%2Fprocedures%2Fnew"), "{target}");
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let c = app.login_as("piotr.gkrpa", &[Role::GroupMember]).await;
    let cookie_before = app.get_with(&c, "/").await.status();
    assert_eq!(cookie_before, StatusCode::OK);
    let r = app.post_form(&c, "/", "/logout", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&c, "/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_user_changes_their_password_after_giving_the_current_one() {
    let app = TestApp::spawn().await;
    let c = app.login_as("maria.zdrowie", &[Role::GroupMember]).await;
    let wrong = app
        .post_form(
            &c,
            "/account/password",
            "/account/password",
            &[
                ("current_password", "nie to hasło"),
                ("password", "nowe długie hasło 2"),
                ("password_confirm", "nowe długie hasło 2"),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().await.unwrap().contains("Obecne hasło jest nieprawidłowe."));
    let ok = app
        .post_form(
            &c,
            "/account/password",
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("password", "nowe długie hasło 2"),
                ("password_confirm", "nowe długie hasło 2"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(ok.text().await.unwrap().contains("Hasło zostało zmienione."));
    let outcome = app.store.password_login("maria.zdrowie", "nowe długie hasło 2", "127.0.0.9").await;
    assert!(outcome.is_ok());
}

#[tokio::test]
async fn the_language_switch_turns_the_pages_english_and_back() {
    let app = TestApp::spawn().await;
    let c = client();
    assert!(app.get_with(&c, "/login").await.text().await.unwrap().contains("<h1>Logowanie</h1>"));
    let r = app.get_with(&c, "/lang/en?next=/login").await;
    assert_eq!(location(&r), "/login");
    let page = app.get_with(&c, "/login").await.text().await.unwrap();
    assert!(page.contains("<h1>Log in</h1>") && page.contains("lang=\"en\""));
    // An open redirect is not possible through the switch.
    let r = app.get_with(&c, "/lang/pl?next=//evil.example").await;
    assert_eq!(location(&r), "/");
}

#[tokio::test]
async fn demo_accounts_skip_the_second_factor_only_in_demo_mode() {
    let app = TestApp::spawn().await;
    let demo = app.store.create_tenant(&store::Actor::operator(), "1099011", "Gmina Demo", true).await.unwrap();
    let new = store::identity::NewAccount {
        tenant_id: Some(demo.id),
        institution_id: None,
        login: "demo.chair".into(),
        roles: vec![Role::Chair],
        details: store::identity::PersonalDetails { full_name: "Demo".into(), ..Default::default() },
    };
    let (_, token) = app.store.create_account(&store::Actor::operator(), &new).await.unwrap();
    app.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();

    app.store.set_demo_mode(true).await.unwrap();
    let c = client();
    let r = app.post_form(&c, "/login", "/login", &[("login", "demo.chair"), ("password", PASSWORD)]).await;
    assert_eq!(location(&r), "/");
    assert!(app.get_with(&c, "/").await.text().await.unwrap().contains("Instalacja demonstracyjna"));

    app.store.set_demo_mode(false).await.unwrap();
    let c = client();
    let r = app.post_form(&c, "/login", "/login", &[("login", "demo.chair"), ("password", PASSWORD)]).await;
    assert_eq!(location(&r), "/enrol", "outside demo mode the second factor is required");
}
