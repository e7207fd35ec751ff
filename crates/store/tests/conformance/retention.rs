//! Retention with logged erasure (issue 20, item 5): the periods within their bounds, the records whose period ended
//! listed for the data protection officer, and an erasure that leaves no personal data of the case, keeps every
//! year's statutory figures, is in the audit trail without content and leaves the chain verifiable.

use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::retention::RecordKind;
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake};
use store::retention::ErasureRequest;

use crate::procedure::{form_a, person, pesel, team};
use crate::sealed_fields::{case, seal_address};
use crate::support::*;

const DAY: SignedDuration = SignedDuration::from_hours(24);
const COMMENT: &str = "Okres przechowywania upłynął; decyzja IOD nr 3/2031";

async fn close(h: &Harness, case: &CaseHandle) {
    let v = h.store.procedure_version(case).await.unwrap();
    close_case(&h.store, case, ClosingReason::ViolenceStopped, v).await.unwrap();
}

/// Rows of the personal tables that belong to no case but the one numbered `kept`.
async fn rows_outside(h: &Harness, kept: &str) -> Vec<(&'static str, i64)> {
    let of = format!("(SELECT id FROM procedure WHERE number = '{kept}')");
    let mut out = Vec::new();
    for table in [
        "procedure_form",
        "procedure_command",
        "case_record",
        "field_seal",
        "person_match",
        "group_member",
        "case_grant",
        "person_search",
        "case_release",
    ] {
        out.push((table, scalar(&h.store, &format!("SELECT COUNT(*) FROM {table} WHERE procedure_id <> {of}")).await));
    }
    let persons = format!(
        "SELECT COUNT(*) FROM statutory_form_persons s JOIN procedure_form f ON f.id = s.form_id \
         WHERE f.procedure_id <> {of}"
    );
    out.push(("statutory_form_persons", scalar(&h.store, &persons).await));
    out.push(("procedure", scalar(&h.store, &format!("SELECT COUNT(*) FROM procedure WHERE id <> {of}")).await));
    out
}

fn request(records: Vec<(RecordKind, uuid::Uuid)>, at: jiff::Timestamp, comment: &str) -> ErasureRequest {
    ErasureRequest { records, at, comment: comment.to_owned() }
}

#[tokio::test]
async fn a_closed_procedure_past_its_period_is_listed_and_erased_without_changing_any_years_figures() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let old = case(&h, &t).await;
    let old_number = h.store.procedure_view(&old).await.unwrap().number;
    seal_address(&h, &old, "Uciekła do schroniska", vec![]).await.unwrap();
    close(&h, &old).await;
    let first_year = domain::calendar::warsaw_date(h.now()).unwrap().year();
    assert!(h.store.approve_statutory(&t.chair, first_year, "Rok zamknięty.").await.is_ok());
    h.store.set_retention(&Caller::local(&dpo), &[(RecordKind::Procedure, "5".into())]).await.unwrap();

    // A second case of other people, closed three years later: still within its period when the first is due.
    h.advance(DAY * 365 * 3);
    let FormAIntake::Opened { id, .. } = h
        .store
        .open_procedure(&Caller::local(&t.initiator), &form_a(&pesel("7801010024"), &pesel("7001011230")), false)
        .await
        .unwrap()
    else {
        panic!("not opened")
    };
    let recent = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&recent, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.advance(DAY);
    h.store.apply_procedure_command(&recent, &Command::RecordGroupMeeting, 2).await.unwrap();
    let recent_number = h.store.procedure_view(&recent).await.unwrap().number;
    close(&h, &recent).await;

    // Five years and a few days after the first closing.
    h.advance(DAY * (365 * 2 + 10));
    let years: Vec<i16> = (first_year..=domain::calendar::warsaw_date(h.now()).unwrap().year()).collect();
    let mut sets = Vec::new();
    for year in &years {
        sets.push(h.store.statutory_set(&t.chair, *year).await.unwrap());
    }
    assert!(sets[0].approval.is_some(), "the first year is approved");
    assert!(sets[0].value("procedures_opened") >= 1, "the first case counts in its year");

    let due = h.store.due_for_erasure(&Caller::local(&dpo)).await.unwrap();
    let listed: Vec<(RecordKind, &str)> = due.iter().map(|d| (d.kind, d.label.as_str())).collect();
    assert_eq!(listed, vec![(RecordKind::Procedure, old_number.as_str())], "only the first case is due");
    let before = rows_outside(&h, &recent_number).await;
    for table in ["procedure_form", "procedure_command", "field_seal", "person_match", "group_member", "procedure"] {
        assert!(before.iter().any(|(t, n)| *t == table && *n > 0), "the first case has rows in {table}: {before:?}");
    }

    // Refused: a case within its period, anyone but the officer, a moment in the future, no comment.
    let now = h.now();
    assert_eq!(
        field_error(
            h.store
                .erase(&Caller::local(&dpo), &request(vec![(RecordKind::Procedure, recent.procedure_id)], now, COMMENT))
                .await,
            "records"
        ),
        "err-erasure-within-retention"
    );
    // The same case listed twice (a form submitted again) is erased once.
    let twice = vec![(RecordKind::Procedure, old.procedure_id), (RecordKind::Procedure, old.procedure_id)];
    let mine = request(twice, now - SignedDuration::from_hours(1), COMMENT);
    assert!(matches!(h.store.erase(&Caller::local(&t.chair), &mine).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.due_for_erasure(&Caller::local(&t.chair)).await, Err(StoreError::NotFound)));
    let future = request(mine.records.clone(), now + SignedDuration::from_hours(1), COMMENT);
    assert_eq!(field_error(h.store.erase(&Caller::local(&dpo), &future).await, "at"), "err-erasure-at-future");
    let silent = request(mine.records.clone(), mine.at, "  ");
    assert_eq!(field_error(h.store.erase(&Caller::local(&dpo), &silent).await, "comment"), "err-erasure-comment");
    assert_eq!(rows_outside(&h, &recent_number).await, before, "a refused erasure erases nothing");

    let erased = h.store.erase(&Caller::new(&dpo, Some("10.0.0.9".into())), &mine).await.unwrap();
    assert_eq!(erased.len(), 1);
    // Erasing it again is refused in words, like any record not due, never an error page.
    assert_eq!(
        field_error(h.store.erase(&Caller::local(&dpo), &mine).await, "records"),
        "err-erasure-within-retention"
    );

    // No row of the first case is left, and the second is whole.
    assert!(
        rows_outside(&h, &recent_number).await.iter().all(|(_, n)| *n == 0),
        "{:?}",
        rows_outside(&h, &recent_number).await
    );
    assert!(h.store.procedure_view(&recent).await.is_ok());
    assert!(matches!(h.store.case_access(&Caller::local(&t.chair), old.procedure_id).await, Err(StoreError::NotFound)));
    // Every year's figures, the approved one and the live ones, are what they were.
    for (year, was) in years.iter().zip(&sets) {
        assert_eq!(&h.store.statutory_set(&t.chair, *year).await.unwrap(), was, "the figures of {year}");
    }
    // The erasure is in the trail by kind and id, without content or comment; the chain verifies.
    let entry = audit_entries(&h.store, "delete")
        .await
        .into_iter()
        .find(|e| e.object_kind == "procedure" && e.object_id == Some(old.procedure_id.to_string()))
        .expect("the erasure's audit entry");
    assert!(entry.detail.contains(&erased[0].to_string()), "{}", entry.detail);
    for content in ["Kowalska", "Ukryta", "schronisk", "IOD nr 3", &old_number] {
        assert!(!entry.detail.contains(content), "{content} in {}", entry.detail);
    }
    assert_eq!(entry.address.as_deref(), Some("10.0.0.9"));
    assert_eq!(h.store.verify_audit().await.unwrap().first_break, None);
    // The officer's register of erasures names the case by number with the comment; the list is empty again.
    let register = h.store.erasures(&Caller::local(&dpo)).await.unwrap();
    assert_eq!(register.len(), 1);
    assert_eq!((register[0].label.as_str(), register[0].comment.as_str()), (old_number.as_str(), COMMENT));
    assert!(h.store.due_for_erasure(&Caller::local(&dpo)).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_officer_sets_periods_within_their_bounds_and_nobody_else_does() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let dpo = person(&h, t.chair.tenant_id.unwrap(), "iod", &[Role::DataProtectionOfficer]).await;
    let defaults = h.store.retention_settings(&dpo).await.unwrap();
    assert!(defaults.iter().all(|s| s.is_default && s.amount == s.rule.default));

    let typed = [(RecordKind::Procedure, "4".to_owned()), (RecordKind::FormDraft, "pięć".to_owned())];
    let Err(StoreError::Invalid(errors)) = h.store.set_retention(&Caller::local(&dpo), &typed).await else {
        panic!("out of bounds accepted")
    };
    assert_eq!(errors.for_field("procedure"), Some("err-retention-bounds"));
    assert_eq!(errors.for_field("form_draft"), Some("err-retention-number"));
    assert!(h.store.retention_settings(&dpo).await.unwrap().iter().all(|s| s.is_default), "nothing saved");

    let good = [(RecordKind::Procedure, "12".to_owned())];
    assert!(matches!(h.store.set_retention(&Caller::local(&t.chair), &good).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.retention_settings(&t.social_worker).await, Err(StoreError::NotFound)));
    h.store.set_retention(&Caller::local(&dpo), &good).await.unwrap();
    let saved = h.store.retention_settings(&dpo).await.unwrap();
    let procedure = saved.iter().find(|s| s.rule.kind == RecordKind::Procedure).unwrap();
    assert_eq!((procedure.amount, procedure.is_default), (12, false));
    assert!(
        audit_entries(&h.store, "update").await.iter().any(|e| e.object_kind == "tenant_retention_setting"),
        "the change is audited"
    );
}

#[tokio::test]
async fn a_departed_account_past_its_period_loses_its_personal_fields_and_login() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    h.store.deactivate_account(&Caller::local(&t.chair), t.outsider.account_id).await.unwrap();
    h.advance(DAY * 365 * 4);
    assert!(h.store.due_for_erasure(&Caller::local(&dpo)).await.unwrap().is_empty(), "within the default five years");
    h.advance(DAY * 400);
    let due = h.store.due_for_erasure(&Caller::local(&dpo)).await.unwrap();
    assert_eq!(
        due.iter().map(|d| (d.kind, d.id)).collect::<Vec<_>>(),
        vec![(RecordKind::DepartedAccount, t.outsider.account_id)]
    );
    let named = "SELECT COUNT(*) FROM account WHERE login = 'inny.czlonek' OR (login LIKE 'usuniete-%' AND \
                 (full_name_enc IS NOT NULL OR email_enc IS NOT NULL OR password_hash IS NOT NULL))";
    assert_eq!(scalar(&h.store, named).await, 1);
    let req = request(vec![(RecordKind::DepartedAccount, t.outsider.account_id)], h.now() - DAY, "Odeszła w 2026");
    h.store.erase(&Caller::local(&dpo), &req).await.unwrap();
    assert_eq!(scalar(&h.store, named).await, 0, "login and personal fields gone");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM account WHERE login LIKE 'usuniete-%'").await, 1);
    assert!(h.store.due_for_erasure(&Caller::local(&dpo)).await.unwrap().is_empty());
    assert_eq!(h.store.verify_audit().await.unwrap().first_break, None);
    // The chair cannot bring the erased account back (to reset it and give it to someone else).
    let again = h.store.reactivate_account(&Caller::local(&t.chair), t.outsider.account_id).await;
    assert!(
        matches!(&again, Err(store::StoreError::Invalid(e)) if e.iter().any(|e| e.code == "err-account-erased")),
        "{again:?}"
    );
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM account WHERE login LIKE 'usuniete-%' AND active").await, 0);
}

#[tokio::test]
async fn drafts_are_purged_after_their_municipalitys_own_period() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let dpo = person(&h, t.chair.tenant_id.unwrap(), "iod", &[Role::DataProtectionOfficer]).await;
    let of = store::drafts::DraftOf { form: domain::forms::FormKind::A, procedure_id: None };
    h.store.save_draft(&Caller::local(&t.initiator), None, of, &Default::default()).await.unwrap();
    h.advance(DAY * 3);
    assert_eq!(h.store.purge_drafts().await.unwrap(), 0, "the default 30 days still run");
    h.store.set_retention(&Caller::local(&dpo), &[(RecordKind::FormDraft, "2".into())]).await.unwrap();
    assert_eq!(h.store.purge_drafts().await.unwrap(), 1, "gone after the municipality's 2 days");
}
