//! Break-glass and time-boxed access over HTTP (issue 20, items 3 and 4): the emergency opening offered where a case
//! is refused (alike for any id), its reason refused beside the field, the case read-only with its banner, the chair
//! and the data protection officer told, the officer's review; the chair's grant to an expert, refused for a past
//! day, lapsing and ended early.

use domain::clock::Clock;
use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use store::Caller;
use store::team::MemberDraft;

use crate::helpers::{TestApp, location};
use crate::procedures::{form_a, group_members, open_case, token};

const REASON: &str = "Policja w nocy prosi o bezpieczny kontakt do osoby doznającej przemocy";

/// A case with its group (the social worker and the group's police officer), opened by an initiator.
async fn case_with_group(app: &TestApp) -> String {
    let initiator = token(app, "dzielnicowy", &[Role::Initiator]).await;
    let id = open_case(app, &initiator, form_a()).await;
    let chair = token(app, "przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{id}/group")))
        .bearer_auth(&chair)
        .json(&serde_json::json!({"members": group_members(app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    id
}

/// Makes `login` a current member of the team's register (a police officer sitting on the team).
async fn in_register(app: &TestApp, login: &str) {
    let (chair_id, _) = app.store.account_by_login("przewodniczaca").await.unwrap();
    let chair = app.store.principal(chair_id).await.unwrap();
    let (id, _) = app.store.account_by_login(login).await.unwrap();
    let draft = MemberDraft {
        full_name: "Jan Policjant".into(),
        email: "policjant@example.org".into(),
        account_id: id.to_string(),
        function: "member".into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: "2026-01-12".into(),
        ..MemberDraft::default()
    };
    app.store.create_team_member(&Caller::local(&chair), &draft.validate(app.store.today()).unwrap()).await.unwrap();
}

#[tokio::test]
async fn break_glass_asks_a_reason_shows_the_case_read_only_with_its_end_and_tells_the_chair_and_the_officer() {
    let app = TestApp::spawn().await;
    let id = case_with_group(&app).await;
    let officer = app.login_as("policjant.zespol", &[Role::GroupMember]).await;
    in_register(&app, "policjant.zespol").await;
    let chair = app.login_as("przewodniczacy.2", &[Role::Chair]).await;
    let dpo = app.login_as("iod", &[Role::DataProtectionOfficer]).await;
    let case = format!("/procedures/{id}");

    // Refused, with the way to an emergency opening: the same page for a case that does not exist.
    let r = app.get_with(&officer, &case).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let refused = r.text().await.unwrap();
    assert!(refused.contains(&format!("/procedures/emergency?case={id}")), "{refused}");
    let other = uuid::Uuid::now_v7().to_string();
    let r = app.get_with(&officer, &format!("/procedures/{other}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(r.text().await.unwrap().replace(&other, &id), refused, "nothing tells the two apart");

    // Bad input: the reason refused beside its field, what was typed kept, nothing opened.
    let emergency = format!("/procedures/emergency?case={id}");
    let r = app.post_form(&officer, &emergency, "/procedures/emergency", &[("case", &id), ("reason", "")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"reason-error\">Podaj powód dostępu awaryjnego."), "{body}");
    assert!(body.contains("id=\"confirm-error\">"), "{body}");
    let r = app
        .post_form(
            &officer,
            &emergency,
            "/procedures/emergency",
            &[("case", &id), ("reason", "pilne"), ("confirm", "on")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"reason-error\">Powód jest za krótki"), "{body}");
    assert!(body.contains(">pilne</textarea>"), "{body}");
    assert_eq!(app.get_with(&officer, &case).await.status(), StatusCode::NOT_FOUND);

    let r = app
        .post_form(
            &officer,
            &emergency,
            "/procedures/emergency",
            &[("case", &id), ("reason", REASON), ("confirm", "on")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), case);
    let page = app.get_with(&officer, &case).await.text().await.unwrap();
    // 24 hours on, in Polish time.
    let ends = (app.clock.now() + SignedDuration::from_hours(24)).to_zoned(domain::calendar::poland_zone());
    let banner =
        format!("Dostęp awaryjny: widzisz tę sprawę tylko do odczytu, do {}.", ends.strftime("%Y-%m-%d %H:%M"));
    assert!(page.contains(&banner), "{page}");
    assert!(!page.contains("/documents/"), "no printed copy through break-glass");
    assert!(!page.contains("name=\"command\""), "no step offered");
    let r = app.get_with(&officer, &format!("/procedures/{id}/documents/case-file.pdf")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The chair and the officer are told; the notification names the case, not the reason.
    for who in [&chair, &dpo] {
        let notes = app.get_with(who, "/notifications").await.text().await.unwrap();
        assert!(notes.contains("otworzył sprawę w trybie dostępu awaryjnego"), "{notes}");
        assert!(!notes.contains("Policja w nocy"), "{notes}");
    }

    // The officer's register: who, which case, why; the review refused without a comment, then recorded.
    let register = app.get_with(&dpo, "/audit/break-glass").await.text().await.unwrap();
    assert!(register.contains("policjant.zespol") && register.contains("NK/2026/0001"), "{register}");
    assert!(register.contains(REASON), "{register}");
    let grant = crate::helpers::between(&register, "action=\"/audit/break-glass/", "/review\"");
    let action = format!("/audit/break-glass/{grant}/review");
    let r = app.post_form(&dpo, "/audit/break-glass", &action, &[("comment", " ")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains(&format!("id=\"comment-{grant}-error\">To pole jest wymagane.")));
    let r = app.post_form(&dpo, "/audit/break-glass", &action, &[("comment", "Uzasadnione: interwencja.")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let register = app.get_with(&dpo, "/audit/break-glass").await.text().await.unwrap();
    assert!(register.contains("iod, ") && register.contains("Uzasadnione: interwencja."), "{register}");
    assert!(!register.contains(&action), "reviewed once");
    // The chair does not reach the register.
    assert_eq!(app.get_with(&chair, "/audit/break-glass").await.status(), StatusCode::FORBIDDEN);

    // At its end instant the case is gone for the officer (read through the API: the page session would have
    // expired by then), from the case and from the list.
    let bearer = app.store.issue_api_token(&store::Actor::operator(), "policjant.zespol", "test").await.unwrap();
    let api = |path: String| reqwest::Client::new().get(app.url(&path)).bearer_auth(&bearer).send();
    assert_eq!(api(format!("/api/v1/procedures/{id}")).await.unwrap().status(), StatusCode::OK);
    app.clock.advance(SignedDuration::from_hours(24) - SignedDuration::from_secs(1));
    assert_eq!(api(format!("/api/v1/procedures/{id}")).await.unwrap().status(), StatusCode::OK, "its last second");
    app.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(api(format!("/api/v1/procedures/{id}")).await.unwrap().status(), StatusCode::NOT_FOUND);
    let list = api("/api/v1/procedures".to_owned()).await.unwrap().text().await.unwrap();
    assert!(!list.contains("NK/2026/0001"), "{list}");
}

#[tokio::test]
async fn an_account_that_cannot_break_glass_is_refused_without_learning_whether_the_case_exists() {
    let app = TestApp::spawn().await;
    let id = case_with_group(&app).await;
    let other_initiator = app.login_as("inny.dzielnicowy", &[Role::Initiator]).await;
    let outsider = app.login_as("kurator", &[Role::GroupMember]).await; // not in the team's register
    let missing = uuid::Uuid::now_v7().to_string();

    // An initiator: the plain "not found", alike for both, and no emergency page at all.
    let a = app.get_with(&other_initiator, &format!("/procedures/{id}")).await;
    let b = app.get_with(&other_initiator, &format!("/procedures/{missing}")).await;
    assert_eq!((a.status(), b.status()), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    let a = a.text().await.unwrap();
    assert!(!a.contains("/procedures/emergency"), "{a}");
    assert_eq!(a, b.text().await.unwrap().replace(&missing, &id), "only the address differs");
    assert_eq!(app.get_with(&other_initiator, "/procedures/emergency").await.status(), StatusCode::FORBIDDEN);

    // A group member outside the team: offered the page (as for any id), refused alike for both.
    for case in [&id, &missing] {
        let page = format!("/procedures/emergency?case={case}");
        let r = app
            .post_form(
                &outsider,
                &page,
                "/procedures/emergency",
                &[("case", case), ("reason", REASON), ("confirm", "on")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{case}");
    }
    for number in ["NK/2026/0001", "NK/2026/0999"] {
        let r = app
            .post_form(
                &outsider,
                "/procedures/emergency",
                "/procedures/emergency",
                &[("number", number), ("reason", REASON), ("confirm", "on")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{number}");
    }
    assert_eq!(app.get_with(&outsider, &format!("/procedures/{id}")).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_chair_gives_an_expert_access_until_a_last_day_and_ends_it_early() {
    let app = TestApp::spawn().await;
    let id = case_with_group(&app).await;
    let chair = app.login_as("przewodniczacy.2", &[Role::Chair]).await;
    let expert = app.login_as("psycholog.biegly", &[Role::GroupMember]).await;
    let (expert_id, _) = app.store.account_by_login("psycholog.biegly").await.unwrap();
    let expert_id = expert_id.to_string();
    let case = format!("/procedures/{id}");
    let action = format!("/procedures/{id}/grants");

    // A last day in the past: refused beside the field, the choice and the day kept.
    let r = app.post_form(&chair, &case, &action, &[("account", &expert_id), ("last_day", "2026-11-22")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"grant-last-day-error\">Ostatni dzień dostępu nie może być w przeszłości."), "{body}");
    assert!(body.contains("value=\"2026-11-22\""), "{body}");
    assert!(body.contains(&format!("value=\"{expert_id}\" selected")), "{body}");
    assert_eq!(app.get_with(&expert, &case).await.status(), StatusCode::NOT_FOUND);

    let r = app.post_form(&chair, &case, &action, &[("account", &expert_id), ("last_day", "2026-11-24")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_with(&expert, &case).await.text().await.unwrap();
    assert!(
        page.contains("Dostęp nadany przez przewodniczącego: widzisz tę sprawę tylko do odczytu, do 2026-11-25 00:00."),
        "{page}"
    );
    let chair_page = app.get_with(&chair, &case).await.text().await.unwrap();
    assert!(chair_page.contains("psycholog.biegly") && chair_page.contains("Trwa"), "{chair_page}");
    // A group member may not give access.
    let social = app.login_as("pracownik.socjalny.2", &[Role::GroupMember]).await;
    let r = social.post(app.url(&action)).form(&[("csrf", "x"), ("account", &expert_id)]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Ended early: nothing from that instant.
    let end = crate::helpers::between(&chair_page, &format!("action=\"/procedures/{id}/grants/"), "/end\"");
    let r = app.post_form(&chair, &case, &format!("/procedures/{id}/grants/{end}/end"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&expert, &case).await.status(), StatusCode::NOT_FOUND);
    let chair_page = app.get_with(&chair, &case).await.text().await.unwrap();
    assert!(chair_page.contains("Odwołany"), "{chair_page}");
}

#[tokio::test]
async fn the_api_opens_by_break_glass_lists_grants_and_takes_the_officers_review() {
    let app = TestApp::spawn().await;
    let id = case_with_group(&app).await;
    let officer = token(&app, "policjant.zespol", &[Role::GroupMember]).await;
    in_register(&app, "policjant.zespol").await;
    let chair = token(&app, "przewodniczacy.2", &[Role::Chair]).await;
    let dpo = token(&app, "iod", &[Role::DataProtectionOfficer]).await;
    let initiator = token(&app, "inny.dzielnicowy", &[Role::Initiator]).await;
    let c = reqwest::Client::new();
    let post = |bearer: &str, path: &str, body: serde_json::Value| {
        c.post(app.url(path)).bearer_auth(bearer.to_owned()).json(&body).send()
    };

    let r = post(&initiator, "/api/v1/procedures/emergency", serde_json::json!({"procedure_id": id, "reason": REASON}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = post(&officer, "/api/v1/procedures/emergency", serde_json::json!({"procedure_id": id, "reason": ""}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "reason", "{body}");
    assert_eq!(body["fields"][0]["code"], "err-break-glass-reason-required", "{body}");

    let r =
        post(&officer, "/api/v1/procedures/emergency", serde_json::json!({"number": "NK/2026/0001", "reason": REASON}))
            .await
            .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!((body["procedure_id"].as_str(), body["access"].as_str()), (Some(id.as_str()), Some("break_glass")));
    let r = c.get(app.url(&format!("/api/v1/procedures/{id}"))).bearer_auth(&officer).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let grants: serde_json::Value = c
        .get(app.url(&format!("/api/v1/procedures/{id}/grants")))
        .bearer_auth(&chair)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(grants[0]["kind"], "break_glass", "{grants}");
    assert_eq!(grants[0]["status"], "current", "{grants}");
    let register: serde_json::Value =
        c.get(app.url("/api/v1/break-glass")).bearer_auth(&dpo).send().await.unwrap().json().await.unwrap();
    assert_eq!(register[0]["reason"], REASON, "{register}");
    let review = format!("/api/v1/break-glass/{}/review", register[0]["id"].as_str().unwrap());
    let r = post(&dpo, &review, serde_json::json!({"comment": ""})).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = post(&dpo, &review, serde_json::json!({"comment": "Uzasadnione."})).await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = post(&dpo, &review, serde_json::json!({"comment": "Jeszcze raz."})).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = c.get(app.url("/api/v1/break-glass")).bearer_auth(&chair).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
