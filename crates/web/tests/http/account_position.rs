//! An account's own position (issue 16): set by its holder on `/account/settings` or by the municipality's chair on
//! the accounts list, and prefilled into form A's part XIV for a person who is no member of the team.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::form_steps::carried;
use crate::helpers::{TestApp, between, location};

#[tokio::test]
async fn an_initiator_outside_the_team_sets_a_position_once_and_form_a_is_prefilled_with_it() {
    // Arrange: a police officer with an account and no entry in the team's register.
    let app = TestApp::spawn().await;
    let officer = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let fresh = app.get_with(&officer, "/procedures/new").await.text().await.unwrap();
    assert!(!carried(&fresh).iter().any(|(k, _)| k == "filled_by.position"), "nothing to prefill yet");
    let settings = app.get_with(&officer, "/account/settings").await.text().await.unwrap();
    assert!(settings.contains("name=\"position\""), "{settings}");
    assert!(settings.contains("href=\"/account/settings\""), "the menu links the settings");

    // Act: a position too long, then a real one.
    let long = "kierownik ".repeat(13);
    let r = app.post_form(&officer, "/account/settings", "/account/settings", &[("position", &long)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.unwrap();
    let r = app
        .post_form(&officer, "/account/settings", "/account/settings", &[("position", " starszy dzielnicowy ")])
        .await;

    // Assert: refused beside the field with what was typed kept; then saved, said so, and prefilled.
    assert!(refused.contains("<p class=\"error\" id=\"position-error\">Stanowisko może mieć najwyżej 120 znaków.</p>"));
    assert!(
        refused.contains(&format!("value=\"{}\"", long.trim_end())) || refused.contains(&format!("value=\"{long}\""))
    );
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/account/settings#position");
    let saved = app.get_with(&officer, "/account/settings").await.text().await.unwrap();
    assert!(saved.contains("Zapisano.") && saved.contains("value=\"starszy dzielnicowy\""), "{saved}");
    let form = app.get_with(&officer, "/procedures/new").await.text().await.unwrap();
    assert!(carried(&form).contains(&("filled_by.position".into(), "starszy dzielnicowy".into())), "{form}");
}

#[tokio::test]
async fn the_chair_sets_a_position_on_the_accounts_list_and_a_bad_one_is_refused_with_the_reason() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let teacher = app.login_as("nauczycielka", &[Role::Initiator]).await;
    let (id, _) = app.store.account_by_login("nauczycielka").await.unwrap();
    let action = format!("/team/accounts/{id}/position");

    let r = app.post_form(&chair, "/team/accounts", &action, &[("position", "pedagog szkolny")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "no confirmation: nothing is taken away");
    assert_eq!(location(&r), format!("/team/accounts#account-{id}"));
    let list = app.get_with(&chair, "/team/accounts").await.text().await.unwrap();
    assert_eq!(between(&list, "data-testid=\"position-nauczycielka\">", "<"), "pedagog szkolny");
    let form = app.get_with(&teacher, "/procedures/new").await.text().await.unwrap();
    assert!(carried(&form).contains(&("filled_by.position".into(), "pedagog szkolny".into())));

    let r = app.post_form(&chair, "/team/accounts", &action, &[("position", "pedagog\r\nszkolny")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Wpisz stanowisko w jednym wierszu."), "{page}");
    // A teacher manages no accounts: the action is refused before anything is read.
    let r = app.post_form(&teacher, "/procedures/new", &action, &[("position", "dyrektor")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
