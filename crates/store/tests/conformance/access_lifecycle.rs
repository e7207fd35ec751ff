//! Access that can be taken away (issue 14): deactivation, roles, resets with four eyes, token expiry and revocation,
//! the atomic log-in throttle, the second factor under concurrent use, the password policy, the demo's confinement
//! and private files. Each test fails on the code before these guarantees.

use domain::identity::Role;
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::identity::{NewAccount, Principal, ResetKind, ResetOutcome, SessionStage};
use uuid::Uuid;

use crate::support::*;

async fn account_with_roles(h: &Harness, tenant: Option<Uuid>, login: &str, roles: &[Role]) -> Uuid {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(tenant, login, "Anna Nowak") };
    let (id, token) = h.store.create_account(&operator(), &new).await.expect("account created");
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.expect("activated");
    id
}

async fn principal(h: &Harness, id: Uuid) -> Principal {
    h.store.principal(id).await.expect("principal")
}

/// A municipality with an active chair, and the chair.
async fn municipality_with_chair(h: &Harness) -> (Uuid, Principal) {
    let tenant = tenant(&h.store).await;
    let chair = account_with_roles(h, Some(tenant.id), "przewodniczaca", &[Role::Chair]).await;
    (tenant.id, principal(h, chair).await)
}

#[tokio::test]
async fn deactivating_an_account_ends_its_sessions_and_tokens_and_its_log_in_at_once() {
    let h = Harness::new().await;
    let (tenant, chair) = municipality_with_chair(&h).await;
    let member = account_with_roles(&h, Some(tenant), "czlonek.gdp", &[Role::GroupMember]).await;
    let session = h.store.create_session(member, SessionStage::Full).await.unwrap();
    let token = h.store.issue_api_token(&operator(), "czlonek.gdp", "integracja").await.unwrap();

    h.store.deactivate_account(&Caller::new(&chair, Some(ADDRESS.into())), member).await.unwrap();

    assert!(h.store.session(&session).await.unwrap().is_err(), "the session is gone");
    assert!(matches!(h.store.authenticate_api_token(&token, ADDRESS).await, Err(StoreError::NotFound)));
    assert!(matches!(
        h.store.password_login("czlonek.gdp", PASSWORD, ADDRESS).await,
        Err(StoreError::AuthFailed { .. })
    ));
    assert_eq!(audit_entries(&h.store, "account_deactivated").await.len(), 1);
    assert_eq!(audit_entries(&h.store, "api_token_revoked").await.len(), 1);
    // Its history stays: the account is still there, inactive.
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM account WHERE login = 'czlonek.gdp' AND NOT active").await, 1);
}

#[tokio::test]
async fn a_municipality_is_never_left_without_an_active_chair() {
    let h = Harness::new().await;
    let (_, chair) = municipality_with_chair(&h).await;
    let admin_id = account_with_roles(&h, None, "admin", &[Role::SystemAdministrator]).await;
    let admin = principal(&h, admin_id).await;

    let demoted = h.store.set_account_roles(&Caller::local(&chair), chair.account_id, &[Role::GroupMember]).await;
    assert_eq!(field_error(demoted, "roles"), "err-last-chair");
    let removed = h.store.deactivate_account(&Caller::local(&admin), chair.account_id).await;
    assert_eq!(field_error(removed, "roles"), "err-last-chair");
    assert!(principal(&h, chair.account_id).await.roles.contains(Role::Chair), "nothing changed");
}

#[tokio::test]
async fn roles_are_changed_by_the_chair_and_never_by_the_administrator() {
    let h = Harness::new().await;
    let (tenant, chair) = municipality_with_chair(&h).await;
    let reporter = account_with_roles(&h, Some(tenant), "sprawozdawca", &[Role::ProgrammeReporter]).await;
    let admin = principal(&h, account_with_roles(&h, None, "admin", &[Role::SystemAdministrator]).await).await;

    // The administrator could otherwise give a case role to an account it may reset alone.
    let by_admin = h.store.set_account_roles(&Caller::local(&admin), reporter, &[Role::Chair]).await;
    assert!(matches!(by_admin, Err(StoreError::NotFound)), "{by_admin:?}");
    h.store.set_account_roles(&Caller::local(&chair), reporter, &[Role::Secretary]).await.unwrap();
    let roles = principal(&h, reporter).await.roles;
    assert!(roles.contains(Role::Secretary) && !roles.contains(Role::ProgrammeReporter));
    assert_eq!(audit_entries(&h.store, "role_revoked").await.len(), 1);
}

#[tokio::test]
async fn the_administrator_creates_only_a_municipalitys_first_chair() {
    let h = Harness::new().await;
    let admin = principal(&h, account_with_roles(&h, None, "admin", &[Role::SystemAdministrator]).await).await;
    let tenant = tenant(&h.store).await;
    let member =
        |login: &str, role: Role| NewAccount { roles: vec![role], ..new_account(Some(tenant.id), login, "X Y") };

    let not_a_chair = h.store.create_account_as(&Caller::local(&admin), &member("czlonek", Role::GroupMember)).await;
    assert_eq!(field_error(not_a_chair, "roles"), "err-admin-first-chair-only");
    h.store.create_account_as(&Caller::local(&admin), &member("przewodniczacy", Role::Chair)).await.unwrap();
    let second = h.store.create_account_as(&Caller::local(&admin), &member("drugi.przewodniczacy", Role::Chair)).await;
    assert_eq!(field_error(second, "roles"), "err-admin-tenant-has-chair");
}

#[tokio::test]
async fn an_administrators_reset_of_an_account_with_case_access_waits_for_the_chair() {
    let h = Harness::new().await;
    let (tenant, chair) = municipality_with_chair(&h).await;
    let member = account_with_roles(&h, Some(tenant), "czlonek.gdp", &[Role::GroupMember]).await;
    let reporter = account_with_roles(&h, Some(tenant), "sprawozdawca", &[Role::ProgrammeReporter]).await;
    let admin = principal(&h, account_with_roles(&h, None, "admin", &[Role::SystemAdministrator]).await).await;
    let token = h.store.issue_api_token(&operator(), "czlonek.gdp", "integracja").await.unwrap();

    let asked = h.store.reset_account(&Caller::local(&admin), member, ResetKind::Password).await.unwrap();

    assert_eq!(asked, ResetOutcome::AwaitingApproval);
    // Nothing happened yet: the member still logs in and the token still works.
    assert!(h.store.password_login("czlonek.gdp", PASSWORD, ADDRESS).await.is_ok());
    assert!(h.store.authenticate_api_token(&token, ADDRESS).await.is_ok());
    assert_eq!(h.store.unread_notifications(chair.account_id).await.unwrap(), 1, "the chair is told");
    let pending = h.store.pending_resets(&chair).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].login, "czlonek.gdp");
    // The administrator cannot approve it.
    assert!(h.store.decide_reset(&Caller::local(&admin), pending[0].id, true).await.is_err());

    let link = h.store.decide_reset(&Caller::local(&chair), pending[0].id, true).await.unwrap().expect("a link");
    assert!(!link.is_empty());
    assert!(h.store.password_login("czlonek.gdp", PASSWORD, ADDRESS).await.is_err(), "the old password is gone");
    assert!(h.store.authenticate_api_token(&token, ADDRESS).await.is_err(), "the token died with the reset");
    h.store.activate(&link, "nowe bardzo długie hasło 7", "nowe bardzo długie hasło 7", None).await.unwrap();

    // An account without case access is reset at once.
    let direct = h.store.reset_account(&Caller::local(&admin), reporter, ResetKind::SecondFactor).await.unwrap();
    assert!(matches!(direct, ResetOutcome::Link(_)));
}

#[tokio::test]
async fn a_token_expires_and_can_be_revoked_by_name() {
    let h = Harness::new().await;
    activated_account(&h.store, "integracja.ops").await;
    let too_long = h.store.issue_api_token_for(&operator(), "integracja.ops", "rok i dzień", 366).await;
    assert_eq!(field_error(too_long, "days"), "err-token-days");
    let short = h.store.issue_api_token_for(&operator(), "integracja.ops", "krótki", 30).await.unwrap();
    let named = h.store.issue_api_token(&operator(), "integracja.ops", "system OPS").await.unwrap();
    let again = h.store.issue_api_token(&operator(), "integracja.ops", "system OPS").await;
    assert_eq!(field_error(again, "name"), "err-token-name-taken");

    h.store.revoke_api_token_by_name(&operator(), "integracja.ops", "system OPS").await.unwrap();
    assert!(h.store.authenticate_api_token(&named, ADDRESS).await.is_err());
    assert!(h.store.authenticate_api_token(&short, ADDRESS).await.is_ok());
    h.advance(SignedDuration::from_hours(24 * 31));
    assert!(h.store.authenticate_api_token(&short, ADDRESS).await.is_err(), "expired after 30 days");
    let listed = h.store.list_api_tokens(h.store.account_by_login("integracja.ops").await.unwrap().0).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|t| !t.live_at(h.now())));
}

#[tokio::test]
async fn a_burst_of_parallel_log_ins_checks_only_the_policys_three_passwords() {
    let h = Harness::new().await;
    activated_account(&h.store, "atakowana").await;

    let attempts = (0..40).map(|_| {
        let store = h.store.clone();
        tokio::spawn(async move { store.password_login("atakowana", "zgadywane hasło 123", ADDRESS).await })
    });
    for attempt in attempts {
        assert!(attempt.await.unwrap().is_err());
    }

    let failures = audit_entries(&h.store, "login_failed").await;
    let checked = failures.iter().filter(|e| e.detail == "wrong login or password").count();
    assert_eq!(checked, 3, "passwords checked in the burst");
    assert_eq!(failures.len(), 40, "every attempt recorded");
    // The right password right after the burst does not get in either.
    assert!(matches!(
        h.store.password_login("atakowana", PASSWORD, ADDRESS).await,
        Err(StoreError::AuthFailed { locked_until: Some(_) })
    ));
}

#[tokio::test]
async fn a_failed_log_in_of_a_known_account_is_recorded_in_its_municipality() {
    let h = Harness::new().await;
    let id = activated_account(&h.store, "urzedniczka").await;
    let tenant = principal(&h, id).await.tenant_id;

    assert!(h.store.password_login("urzedniczka", "nie to hasło wcale", ADDRESS).await.is_err());

    let failed = audit_entries(&h.store, "login_failed").await;
    assert_eq!(failed[0].tenant_id, tenant);
    assert_eq!(failed[0].object_id.as_deref(), Some(id.to_string().as_str()));
}

#[tokio::test]
async fn one_second_factor_code_logs_in_once_however_many_log_ins_race_with_it() {
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, "dwuskladnikowa").await;
    h.advance(SignedDuration::from_secs(60));
    let code = totp_code(&secret, "dwuskladnikowa", h.now());

    let tries = (0..8).map(|_| {
        let (store, code) = (h.store.clone(), code.clone());
        tokio::spawn(async move { store.verify_second_factor(id, &code, ADDRESS).await })
    });
    let mut accepted = 0;
    for t in tries {
        accepted += usize::from(t.await.unwrap().is_ok());
    }
    assert_eq!(accepted, 1);
}

#[tokio::test]
async fn a_second_factor_code_is_accepted_as_apps_show_it() {
    let h = Harness::new().await;
    let (id, secret) = enrolled_account(&h, "ze.spacja").await;
    h.advance(SignedDuration::from_secs(60));
    let code = totp_code(&secret, "ze.spacja", h.now());
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    h.store.verify_second_factor(id, &spaced, ADDRESS).await.unwrap();
}

#[tokio::test]
async fn common_passwords_and_the_municipalitys_name_are_refused_at_activation() {
    let h = Harness::new().await;
    let tenant = tenant(&h.store).await;
    let (_, token) = account(&h.store, tenant.id, "nowa.osoba").await;
    let common = h.store.activate(&token, "qwerty123456", "qwerty123456", None).await;
    assert_eq!(field_error(common, "password"), "err-password-common");
    let named = h.store.activate(&token, "Tomaszów nad Pilicą 1", "Tomaszów nad Pilicą 1", None).await;
    assert_eq!(field_error(named, "password"), "err-password-has-name");
}

#[tokio::test]
async fn the_demo_stays_in_its_own_municipalities() {
    let h = Harness::new().await;
    let real = tenant(&h.store).await;
    let real_chair = account_with_roles(&h, Some(real.id), "prawdziwy.przewodniczacy", &[Role::Chair]).await;
    let demo = h.store.create_tenant(&operator(), "1099011", "Gmina Demonstracyjna (DEMO)", true).await.unwrap();
    let demo_admin = account_with_roles(&h, Some(demo.id), "demo.admin", &[Role::SystemAdministrator]).await;
    h.store.mark_demo_account(demo_admin).await.unwrap();
    let demo_admin = principal(&h, demo_admin).await;
    h.store.set_demo_mode(true).await.unwrap();

    assert!(h.store.has_real_tenant().await.unwrap());
    let created = h.store.create_tenant(&operator(), OTHER_TERYT, "Gmina Miasto Jasło", false).await;
    assert_eq!(field_error(created, "teryt"), "err-tenant-demo-installation");
    let reset = h.store.reset_account(&Caller::local(&demo_admin), real_chair, ResetKind::SecondFactor).await;
    assert!(matches!(reset, Err(StoreError::NotFound)), "{reset:?}");
    let new = NewAccount { roles: vec![Role::Chair], ..new_account(Some(real.id), "intruz", "I N") };
    assert!(matches!(h.store.create_account_as(&Caller::local(&demo_admin), &new).await, Err(StoreError::NotFound)));
    assert!(!demo_admin.may_act_on(false));

    // Ending the demo: its accounts are out, and real municipalities may be created.
    assert_eq!(h.store.end_demo().await.unwrap(), 1);
    h.store.create_tenant(&operator(), OTHER_TERYT, "Gmina Miasto Jasło", false).await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_backups_are_readable_by_the_service_only() {
    use std::os::unix::fs::PermissionsExt;
    let h = Harness::new().await;
    activated_account(&h.store, "ktokolwiek").await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    if !is_postgres(&h.store) {
        let file = h.db.options.data_dir.join("ostoja.sqlite3");
        assert_eq!(mode(&file), 0o600, "the database");
        let wal = h.db.options.data_dir.join("ostoja.sqlite3-wal");
        if wal.exists() {
            assert_eq!(mode(&wal), 0o600, "its write-ahead log");
        }
    }
    let out = h.db.options.data_dir.parent().unwrap().join("kopia.backup");
    h.store.backup(&out, &h.db.options).await.unwrap();
    assert_eq!(mode(&out), 0o600, "the backup");
    assert!(store::files::readable_by_others(&h.db.options.data_dir).is_empty());
}

#[tokio::test]
async fn a_deactivated_accounts_draft_is_kept_for_the_usual_thirty_days() {
    let h = Harness::new().await;
    let (tenant, chair) = municipality_with_chair(&h).await;
    let member = account_with_roles(&h, Some(tenant), "z.szkicem", &[Role::Initiator]).await;
    let of = store::drafts::DraftOf { form: domain::forms::FormKind::A, procedure_id: None };
    let draft =
        h.store.save_draft(&Caller::local(&principal(&h, member).await), None, of, &Default::default()).await.unwrap();

    h.store.deactivate_account(&Caller::local(&chair), member).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 29));
    assert_eq!(h.store.purge_drafts().await.unwrap(), 0, "kept while its 30 days run");
    h.store.reactivate_account(&Caller::local(&chair), member).await.unwrap();
    assert!(h.store.draft(&Caller::local(&principal(&h, member).await), draft).await.is_ok(), "back with its owner");
    h.advance(SignedDuration::from_hours(24 * 2));
    assert_eq!(h.store.purge_drafts().await.unwrap(), 1, "then gone like any other");
}

#[tokio::test]
async fn a_secretary_resets_neither_the_chair_nor_the_officer_and_a_reset_nobody_can_approve_is_refused() {
    let h = Harness::new().await;
    let (tenant, chair) = municipality_with_chair(&h).await;
    let secretary = principal(&h, account_with_roles(&h, Some(tenant), "sekretarz", &[Role::Secretary]).await).await;
    let member = account_with_roles(&h, Some(tenant), "czlonek", &[Role::GroupMember]).await;
    let admin = principal(&h, account_with_roles(&h, None, "admin", &[Role::SystemAdministrator]).await).await;

    let on_chair = h.store.reset_account(&Caller::local(&secretary), chair.account_id, ResetKind::Password).await;
    assert_eq!(field_error(on_chair, "account"), "err-reset-needs-chair");
    assert!(matches!(
        h.store.reset_account(&Caller::local(&secretary), member, ResetKind::Password).await,
        Ok(ResetOutcome::Link(_))
    ));

    // The only chair, no officer: nobody could approve the administrator's reset of the chair.
    let nobody = h.store.reset_account(&Caller::local(&admin), chair.account_id, ResetKind::SecondFactor).await;
    assert_eq!(field_error(nobody, "account"), "err-reset-no-approver");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM account_reset_request").await, 0, "no request left waiting");
    // The operator at the console stands in.
    assert!(!h.store.reset_account_as_operator(chair.account_id, ResetKind::SecondFactor).await.unwrap().is_empty());
}
