//! Break-glass and time-boxed access (issue 20, items 3 and 4): a member of the team outside the case's group opens
//! it in an emergency with a written reason, for 24 hours, the chair and the data protection officer are told and the
//! officer reviews it; the chair lets an expert in until a last day; every grant gives nothing from its end instant;
//! whoever may not break glass learns nothing of whether a case exists.

use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::identity::Principal;
use store::notify::NotificationKind;
use store::procedure::{AppointmentBasis, CaseAccess, CaseRef, GrantKind, GrantStatus};
use store::team::MemberDraft;
use uuid::Uuid;

use crate::procedure::{Team, open, person, team};
use crate::support::*;

const REASON: &str = "Policja w nocy prosi o bezpieczny kontakt do osoby doznającej przemocy";

/// A police officer who sits on the team (a current record in its register) but not in the case's group.
async fn team_member(h: &Harness, t: &Team) -> Principal {
    let tenant = t.chair.tenant_id.unwrap();
    let officer = person(h, tenant, "policjant.zespol", &[Role::GroupMember]).await;
    let draft = MemberDraft {
        full_name: "Jan Policjant".into(),
        email: "policjant@example.org".into(),
        account_id: officer.account_id.to_string(),
        function: "member".into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: "2026-01-12".into(),
        ..MemberDraft::default()
    };
    h.store.create_team_member(&Caller::local(&t.chair), &draft.validate(h.store.today()).unwrap()).await.unwrap();
    officer
}

/// A case with its group appointed (the social worker and the group's police officer).
async fn case_with_group(h: &Harness, t: &Team) -> Uuid {
    let id = open(h, t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    id
}

async fn grants_in_db(h: &Harness) -> i64 {
    scalar(&h.store, "SELECT COUNT(*) FROM case_grant").await
}

#[tokio::test]
async fn break_glass_without_a_reason_is_refused_beside_the_field_and_records_nothing() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let officer = team_member(&h, &t).await;
    let id = case_with_group(&h, &t).await;
    let notes_before = scalar(&h.store, "SELECT COUNT(*) FROM notification").await;

    for (reason, code) in [("", "err-break-glass-reason-required"), ("  pilne  ", "err-break-glass-reason-short")] {
        let r = h.store.break_glass(&Caller::local(&officer), CaseRef::Id(id), reason, 24).await;
        assert_eq!(field_error(r, "reason"), code);
    }
    assert_eq!(grants_in_db(&h).await, 0);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM notification").await, notes_before, "no one is told of nothing");
    assert!(matches!(h.store.case_access(&Caller::local(&officer), id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn break_glass_reads_the_case_for_24_hours_and_lapses_exactly_at_its_end() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let officer = team_member(&h, &t).await;
    let id = case_with_group(&h, &t).await;
    assert!(
        matches!(h.store.case_access(&Caller::local(&officer), id).await, Err(StoreError::NotFound)),
        "no access before"
    );
    // The chair's home page keeps the municipality's running cases; who sees them is asked afresh every time.
    assert_eq!(h.store.running_cases(&t.chair).await.unwrap().len(), 1);
    assert!(h.store.running_cases(&officer).await.unwrap().is_empty(), "not on the home page before");

    let handle =
        h.store.break_glass(&Caller::local(&officer), CaseRef::Number("nk/2026/0001"), REASON, 24).await.unwrap();
    assert_eq!(h.store.running_cases(&officer).await.unwrap().len(), 1, "on the home page while the grant runs");
    assert_eq!(handle.access, CaseAccess::BreakGlass);
    let opened = h.now();
    // The case as the group sees it: every form, acting on nothing.
    let view = h.store.procedure_view(&handle).await.unwrap();
    assert_eq!(view.forms.len(), 1);
    assert!(view.offers.steps.is_empty(), "{:?}", view.offers.steps);
    assert!(view.who_can_see.iter().any(|l| l == "policjant.zespol"), "{:?}", view.who_can_see);
    assert!(matches!(
        h.store.apply_procedure_command(&handle, &Command::RecordGroupMeeting, 2).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(h.store.list_procedures(&officer, 50, 0).await.unwrap().len(), 1);
    let banner = h.store.grant_banner(&handle).await.unwrap().unwrap();
    assert_eq!(banner.kind, GrantKind::BreakGlass);
    assert_eq!(banner.ends_at, Some(opened + SignedDuration::from_hours(24)));
    // The reason is not at rest in the clear.
    let clear = if is_postgres(&h.store) {
        "SELECT COUNT(*) FROM case_grant WHERE position('Policja'::bytea in reason_enc) > 0"
    } else {
        "SELECT COUNT(*) FROM case_grant WHERE instr(reason_enc, CAST('Policja' AS BLOB)) > 0"
    };
    assert_eq!(scalar(&h.store, clear).await, 0);

    // One second before its end it still lets in; at its end instant, nothing anywhere.
    h.advance(SignedDuration::from_hours(24) - SignedDuration::from_secs(1));
    assert_eq!(h.store.case_access(&Caller::local(&officer), id).await.unwrap().access, CaseAccess::BreakGlass);
    h.advance(SignedDuration::from_secs(1));
    assert!(matches!(h.store.case_access(&Caller::local(&officer), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&officer, 50, 0).await.unwrap().is_empty());
    assert!(h.store.dashboard(&officer, 50).await.unwrap().is_empty());
    assert!(h.store.running_cases(&officer).await.unwrap().is_empty(), "off the home page at its end instant");
    assert_eq!(h.store.running_cases(&t.chair).await.unwrap().len(), 1);
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert!(!view.who_can_see.iter().any(|l| l == "policjant.zespol"), "{:?}", view.who_can_see);
    let grants = h.store.case_grants(&chair).await.unwrap();
    assert_eq!(grants[0].status, GrantStatus::Lapsed);
    assert_eq!(grants[0].reason.as_deref(), Some(REASON));
}

#[tokio::test]
async fn the_chair_and_the_data_protection_officer_are_told_at_once_and_no_one_else() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let officer = team_member(&h, &t).await;
    let id = case_with_group(&h, &t).await;
    h.store.break_glass(&Caller::local(&officer), CaseRef::Id(id), REASON, 24).await.unwrap();

    for who in [&t.chair, &dpo] {
        let notes = h.store.notifications(who, 50).await.unwrap();
        let told = notes.iter().find(|n| n.kind == NotificationKind::BreakGlass);
        let told = told.unwrap_or_else(|| panic!("{} not told: {notes:?}", who.login));
        assert_eq!(told.procedure_number.as_deref(), Some("NK/2026/0001"));
    }
    for who in [&t.social_worker, &officer, &t.initiator] {
        let notes = h.store.notifications(who, 50).await.unwrap();
        assert!(!notes.iter().any(|n| n.kind == NotificationKind::BreakGlass), "{} told", who.login);
    }
    let creates = audit_entries(&h.store, "create").await;
    assert!(creates.iter().any(|e| e.object_kind == "case_grant"), "the opening is audited");
}

#[tokio::test]
async fn the_data_protection_officer_lists_every_break_glass_and_marks_each_reviewed_with_a_comment() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let officer = team_member(&h, &t).await;
    let id = case_with_group(&h, &t).await;
    h.store.break_glass(&Caller::local(&officer), CaseRef::Id(id), REASON, 24).await.unwrap();

    let register = h.store.break_glass_register(&Caller::local(&dpo), 100).await.unwrap();
    assert_eq!(register.len(), 1);
    let entry = &register[0];
    assert_eq!((entry.account_login.as_str(), entry.number.as_str()), ("policjant.zespol", "NK/2026/0001"));
    assert_eq!(entry.reason.as_deref(), Some(REASON));
    assert_eq!(entry.status, GrantStatus::Current);
    assert_eq!(entry.reviewed_at, None);
    // Only the officer reads the register and reviews.
    assert!(matches!(h.store.break_glass_register(&Caller::local(&t.chair), 100).await, Err(StoreError::NotFound)));
    assert!(matches!(
        h.store.review_break_glass(&Caller::local(&t.chair), entry.id, "Sprawdzone").await,
        Err(StoreError::NotFound)
    ));
    // A review without a comment is refused beside the field.
    assert_eq!(
        field_error(h.store.review_break_glass(&Caller::local(&dpo), entry.id, "  ").await, "comment"),
        "err-required"
    );

    h.store
        .review_break_glass(&Caller::local(&dpo), entry.id, "Uzasadnione: interwencja policji w nocy.")
        .await
        .unwrap();
    let entry = h.store.break_glass_register(&Caller::local(&dpo), 100).await.unwrap().remove(0);
    assert_eq!(entry.reviewed_by_login.as_deref(), Some("iod"));
    assert_eq!(entry.review_comment.as_deref(), Some("Uzasadnione: interwencja policji w nocy."));
    assert!(entry.reviewed_at.is_some());
    assert!(matches!(
        h.store.review_break_glass(&Caller::local(&dpo), entry.id, "Jeszcze raz").await,
        Err(StoreError::Conflict(_))
    ));
    let updates = audit_entries(&h.store, "update").await;
    assert!(updates.iter().any(|e| e.object_kind == "case_grant" && e.actor_login.as_deref() == Some("iod")));
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert!(reads.iter().any(|e| e.object_kind == "case_grant"), "reading the reasons is audited");
}

#[tokio::test]
async fn time_boxed_access_for_an_expert_ends_by_itself_after_its_last_day() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let expert = person(&h, tenant, "psycholog.biegly", &[Role::GroupMember]).await;
    let id = case_with_group(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let today = h.store.today();

    // Not in the past, and not to someone already in the group.
    let yesterday = today.yesterday().unwrap();
    assert_eq!(
        field_error(h.store.grant_case_access(&chair, expert.account_id, Some(yesterday)).await, "last_day"),
        "err-grant-end-past"
    );
    assert_eq!(
        field_error(h.store.grant_case_access(&chair, t.social_worker.account_id, Some(today)).await, "account"),
        "err-grant-already-in-group"
    );
    // Only the chair (or the deputy) grants: not a group member, not through a grant.
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    assert!(matches!(
        h.store.grant_case_access(&group, expert.account_id, Some(today)).await,
        Err(StoreError::NotFound)
    ));

    let last_day = today.tomorrow().unwrap();
    h.store.grant_case_access(&chair, expert.account_id, Some(last_day)).await.unwrap();
    let handle = h.store.case_access(&Caller::local(&expert), id).await.unwrap();
    assert_eq!(handle.access, CaseAccess::Granted);
    assert!(matches!(h.store.grant_case_access(&handle, expert.account_id, None).await, Err(StoreError::NotFound)));
    assert_eq!(h.store.list_procedures(&expert, 50, 0).await.unwrap().len(), 1);

    // Its end is midnight after the last day, in Poland.
    let end = last_day.tomorrow().unwrap().to_zoned(domain::calendar::poland_zone()).unwrap().timestamp();
    h.advance(h.now().duration_until(end) - SignedDuration::from_secs(1));
    assert!(h.store.case_access(&Caller::local(&expert), id).await.is_ok(), "the last second of the last day");
    h.advance(SignedDuration::from_secs(1));
    assert!(matches!(h.store.case_access(&Caller::local(&expert), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&expert, 50, 0).await.unwrap().is_empty());
    let grants = h.store.case_grants(&chair).await.unwrap();
    assert_eq!((grants[0].kind, grants[0].status), (GrantKind::Granted, GrantStatus::Lapsed));
    // A lapsed grant cannot be ended again.
    assert!(matches!(h.store.end_case_grant(&chair, grants[0].id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn the_chair_ends_a_grant_early_and_it_gives_nothing_from_that_instant() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let expert = person(&h, tenant, "nowy.czlonek", &[Role::GroupMember]).await;
    let id = case_with_group(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let grant = h.store.grant_case_access(&chair, expert.account_id, None).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 40));
    assert!(h.store.case_access(&Caller::local(&expert), id).await.is_ok(), "no last day: until ended");

    h.store.end_case_grant(&chair, grant).await.unwrap();
    assert!(matches!(h.store.case_access(&Caller::local(&expert), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&expert, 50, 0).await.unwrap().is_empty());
    assert_eq!(h.store.case_grants(&chair).await.unwrap()[0].status, GrantStatus::Ended);
}

#[tokio::test]
async fn whoever_may_not_break_glass_is_refused_without_learning_whether_the_case_exists() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let viewer = person(&h, tenant, "statystyk", &[Role::AggregateViewer]).await;
    let id = case_with_group(&h, &t).await;
    // An initiator only, the officer, a viewer, and a group member from outside the team (not in its register).
    for who in [&t.initiator, &dpo, &viewer, &t.outsider] {
        for case in [CaseRef::Id(id), CaseRef::Id(Uuid::now_v7())] {
            let r = h.store.break_glass(&Caller::local(who), case, REASON, 24).await;
            assert!(matches!(r, Err(StoreError::NotFound)), "{}: {r:?}", who.login);
        }
        for number in ["NK/2026/0001", "NK/2026/0999"] {
            let r = h.store.break_glass(&Caller::local(who), CaseRef::Number(number), REASON, 24).await;
            assert!(matches!(r, Err(StoreError::NotFound)), "{}: {r:?}", who.login);
        }
        // Not even the reason is checked first: an empty one gets the same answer.
        let r = h.store.break_glass(&Caller::local(who), CaseRef::Id(id), "", 24).await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{}: {r:?}", who.login);
    }
    assert_eq!(grants_in_db(&h).await, 0);
    // The initiator keeps exactly what they had: their own form A.
    assert_eq!(h.store.case_access(&Caller::local(&t.initiator), id).await.unwrap().access, CaseAccess::Initiator);
}

#[tokio::test]
async fn a_number_of_no_case_is_refused_beside_the_field_and_a_grant_needs_the_group_member_role() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let officer = team_member(&h, &t).await;
    let id = case_with_group(&h, &t).await;
    h.store.break_glass(&Caller::local(&officer), CaseRef::Id(id), REASON, 24).await.unwrap();
    // A number that names no case is refused beside the field, to a member who may break glass.
    assert_eq!(
        field_error(
            h.store.break_glass(&Caller::local(&officer), CaseRef::Number("NK/2026/0999"), REASON, 24).await,
            "number"
        ),
        "err-break-glass-no-case"
    );
    // Without the group-member role the grant gives nothing.
    let no_role = Principal { roles: domain::identity::RoleSet::new(vec![Role::Initiator]), ..officer.clone() };
    assert!(matches!(h.store.case_access(&Caller::local(&no_role), id).await, Err(StoreError::NotFound)));
    assert!(h.store.list_procedures(&no_role, 50, 0).await.unwrap().is_empty());
}
