//! Issue 14 over HTTP: no open redirect, a malformed `next` answered 400, `/metrics` closed to the world, the team's
//! staff managing their municipality's accounts with deactivation ending a live session at once, the administrator
//! limited to a first chair, a password change ending the other sessions, and tokens revocable from the page and the
//! API.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, between, client, location};

#[tokio::test]
async fn next_never_leads_off_the_site_and_a_line_break_in_it_is_a_bad_request() {
    let app = TestApp::spawn().await;
    for bad in ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%2F%2Fevil"] {
        let page = app.get(&format!("/login?next={bad}")).await.text().await.unwrap();
        assert_eq!(between(&page, "name=\"next\" value=\"", "\""), "/", "{bad}");
    }
    let page = app.get("/login?next=/procedures%3Fpage%3D2").await.text().await.unwrap();
    assert_eq!(between(&page, "name=\"next\" value=\"", "\""), "/procedures?page=2");
    let crlf = app.get("/login?next=/%0d%0aSet-Cookie:%20x=1").await;
    assert_eq!(crlf.status(), StatusCode::BAD_REQUEST);

    // Through a real log-in, a tab in next ends on the home page.
    let c = app.login_as("ktos", &[Role::Initiator]).await;
    let _ = c.post(app.url("/logout")).send().await;
    let fresh = client();
    let page = fresh.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let csrf = between(&page, "name=\"csrf\" value=\"", "\"");
    let r = fresh
        .post(app.url("/login"))
        .form(&[("csrf", csrf.as_str()), ("login", "ktos"), ("password", PASSWORD), ("next", "/\t/evil.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!location(&r).contains("evil"), "{}", location(&r));
}

#[tokio::test]
async fn metrics_answer_on_loopback_only_and_never_through_a_proxy() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/metrics").await.status(), StatusCode::OK);
    let proxied = app.client.get(app.url("/metrics")).header("X-Forwarded-For", "203.0.113.9").send().await.unwrap();
    assert_eq!(proxied.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_chair_makes_and_deactivates_accounts_and_a_deactivated_session_ends_at_once() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let member = app.login_as("czlonkini", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&member, "/procedures").await.status(), StatusCode::OK);

    let created = app
        .post_form(
            &chair,
            "/team/accounts",
            "/team/accounts",
            &[("login", "nowa.osoba"), ("full_name", "Nowa Osoba"), ("roles", "initiator")],
        )
        .await;
    assert_eq!(created.status(), StatusCode::OK);
    assert!(created.text().await.unwrap().contains("/activate/"));

    let (member_id, _) = app.store.account_by_login("czlonkini").await.unwrap();
    let deactivate = format!("/team/accounts/{member_id}/deactivate");
    let r = app.post_form(&chair, "/team/accounts", &deactivate, &[("confirmed", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = app.get_with(&chair, "/team/accounts").await.text().await.unwrap();
    assert!(list.contains("Zapisano.") && list.contains("<strong>nieaktywne</strong>"));
    let after = app.get_with(&member, "/procedures").await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the member's session is gone");
    assert!(location(&after).starts_with("/login"));

    // The last chair cannot be removed from the role, with the reason on the page.
    let (chair_id, _) = app.store.account_by_login("przewodniczaca").await.unwrap();
    let r = app
        .post_form(
            &chair,
            "/team/accounts",
            &format!("/team/accounts/{chair_id}/roles"),
            &[("roles", "secretary"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("bez aktywnego przewodniczącego"));
    // A group member has no such page.
    let other = app.login_as("inny.czlonek", &[Role::GroupMember]).await;
    assert_eq!(app.get_with(&other, "/team/accounts").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_administrator_makes_only_a_first_chair_and_its_reset_of_a_member_waits_for_approval() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let page = format!("/admin/tenants/{}/accounts", app.teryt);
    let member = app
        .post_form(&admin, &page, &page, &[("login", "czlonek"), ("full_name", "Jan Kowal"), ("roles", "group_member")])
        .await;
    assert_eq!(member.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = member.text().await.unwrap();
    assert!(body.contains("tylko pierwsze konto gminy"), "{body}");
    assert!(body.contains("value=\"Jan Kowal\""), "what was typed is kept");

    let chair = app.login_as("przewodniczacy", &[Role::Chair]).await;
    let second = app
        .post_form(
            &admin,
            &page,
            &page,
            &[("login", "drugi"), ("full_name", "Drugi Przewodniczący"), ("roles", "chair")],
        )
        .await;
    assert_eq!(second.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let _member = app.login_as("czlonkini", &[Role::GroupMember]).await;
    let (member_id, _) = app.store.account_by_login("czlonkini").await.unwrap();
    let r =
        app.post_form(&admin, &page, &format!("{page}/{member_id}/reset-second-factor"), &[("confirmed", "yes")]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(body.contains("czeka na zatwierdzenie"), "{body}");
    assert!(!body.contains("/activate/"), "the administrator gets no link");

    let approvals = app.get_with(&chair, "/account/approvals").await.text().await.unwrap();
    assert!(approvals.contains("czlonkini"));
    let request = between(&approvals, "action=\"/account/approvals/", "/approve");
    let r = app.post_form(&chair, "/account/approvals", &format!("/account/approvals/{request}/approve"), &[]).await;
    assert!(r.text().await.unwrap().contains("/activate/"), "the chair hands the link over");
}

#[tokio::test]
async fn changing_the_password_ends_the_accounts_other_sessions() {
    let app = TestApp::spawn().await;
    let first = app.login_as("dwa.komputery", &[Role::Initiator]).await;
    let (account, _) = app.store.account_by_login("dwa.komputery").await.unwrap();
    // A second session of the same account, as on another computer: log in again through the pages needs the
    // authenticator secret, so the store opens it directly.
    let token = app.store.create_session(account, store::identity::SessionStage::Full).await.unwrap();
    let second = client();
    assert_eq!(
        second
            .get(app.url("/procedures"))
            .header("cookie", format!("ostoja_session={token}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let new = "zupełnie inne długie zdanie 9";
    let r = app
        .post_form(
            &first,
            "/account/password",
            "/account/password",
            &[("current_password", PASSWORD), ("password", new), ("password_confirm", new)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let after =
        second.get(app.url("/procedures")).header("cookie", format!("ostoja_session={token}")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(app.get_with(&first, "/procedures").await.status(), StatusCode::OK, "this one goes on");
}

#[tokio::test]
async fn a_token_is_issued_listed_and_revoked_from_the_page_and_the_api() {
    let app = TestApp::spawn().await;
    let c = app.login_as("integrator", &[Role::Initiator]).await;
    let too_long =
        app.post_form(&c, "/account/tokens", "/account/tokens", &[("name", "system"), ("days", "400")]).await;
    assert_eq!(too_long.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.text().await.unwrap().contains("od 1 do 365 dni"));
    let r = app.post_form(&c, "/account/tokens", "/account/tokens", &[("name", "system OPS"), ("days", "30")]).await;
    let page = r.text().await.unwrap();
    let token = between(&page, "data-testid=\"issued-token\">", "<");
    let api = client();
    let me = api.get(app.url("/api/v1/me/tokens")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let list: serde_json::Value = me.json().await.unwrap();
    assert_eq!(list[0]["name"], "system OPS");
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let revoked =
        api.post(app.url(&format!("/api/v1/me/tokens/{id}/revoke"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let after = api.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    let page = app.get_with(&c, "/account/tokens").await.text().await.unwrap();
    assert!(page.contains("unieważniony"));
}

#[tokio::test]
async fn the_data_protection_officer_sees_a_burst_of_failed_log_ins_on_a_staff_account() {
    let app = TestApp::spawn().await;
    let dpo = app.login_as("iod.gminy", &[Role::DataProtectionOfficer]).await;
    let _victim = app.login_as("sekretarka", &[Role::Secretary]).await;
    let attacker = client();
    for _ in 0..6 {
        let page = attacker.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = between(&page, "name=\"csrf\" value=\"", "\"");
        attacker
            .post(app.url("/login"))
            .form(&[("csrf", csrf.as_str()), ("login", "sekretarka"), ("password", "zgaduję hasło numer 1")])
            .send()
            .await
            .unwrap();
    }
    let page = app.get_with(&dpo, "/audit/failed-logins").await.text().await.unwrap();
    assert!(page.contains("sekretarka"), "{page}");
    assert!(page.contains("data-testid=\"burst\""), "six in a minute is a burst");
    // Another municipality's officer sees none of it.
    let other =
        app.store.create_tenant(&store::Actor::operator(), "1805021", "Gmina Miasto Jasło", false).await.unwrap();
    let other_dpo = app.login_in(other.id, "iod.jaslo", &[Role::DataProtectionOfficer]).await;
    let page = app.get_with(&other_dpo, "/audit/failed-logins").await.text().await.unwrap();
    assert!(!page.contains("sekretarka"));
}

#[tokio::test]
async fn session_cookies_are_http_only_and_strict_and_pages_are_never_cached() {
    let app = TestApp::spawn().await;
    app.login_as("ciasteczko", &[Role::Initiator]).await;
    let fresh = client();
    let page = fresh.get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    let csrf = between(&page.text().await.unwrap(), "name=\"csrf\" value=\"", "\"");
    let r = fresh
        .post(app.url("/login"))
        .form(&[("csrf", csrf.as_str()), ("login", "ciasteczko"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("ostoja_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
}

#[tokio::test]
async fn another_municipalitys_chair_reaches_no_account_here_and_malformed_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let _member = app.login_as("czlonek.tutaj", &[Role::GroupMember]).await;
    let (member_id, _) = app.store.account_by_login("czlonek.tutaj").await.unwrap();
    let other =
        app.store.create_tenant(&store::Actor::operator(), "1805021", "Gmina Miasto Jasło", false).await.unwrap();
    let foreign_chair = app.login_in(other.id, "przewodniczacy.jaslo", &[Role::Chair]).await;

    for action in ["deactivate", "reset-password", "reset-second-factor", "roles"] {
        let r = app
            .post_form(
                &foreign_chair,
                "/team/accounts",
                &format!("/team/accounts/{member_id}/{action}"),
                &[("roles", "chair")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}: as if the account did not exist");
    }
    let page = app.get_with(&foreign_chair, "/team/accounts").await.text().await.unwrap();
    assert!(!page.contains("czlonek.tutaj"), "another municipality's accounts are not listed");
    let still = app.store.principal(member_id).await.unwrap();
    assert!(still.roles.contains(Role::GroupMember) && !still.roles.contains(Role::Chair), "nothing changed");

    for path in ["/team/accounts/not-a-uuid/deactivate", "/team/accounts/{id}/explode", "/account/tokens/xyz/revoke"] {
        let path = path.replace("{id}", &member_id.to_string());
        let r = app.post_form(&foreign_chair, "/team/accounts", &path, &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app
        .post_form(
            &foreign_chair,
            "/account/approvals",
            "/account/approvals/00000000-0000-0000-0000-000000000000/approve",
            &[],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
