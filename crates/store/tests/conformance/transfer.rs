//! Handing a case to another municipality: an export sealed under a one-time passphrase, imported once by the
//! receiving team as a case of its own with the original opening and form A, and the old documentation beside it.

use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::procedure::AppointmentBasis;
use store::procedure::transfer::{ExportChoice, TransferIntake};

use crate::procedure::{open, person, team};
use crate::support::*;

#[tokio::test]
async fn a_case_moves_to_the_new_municipality_with_its_history_and_only_the_passphrase_opens_it() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();

    // Only the team exports; a group member gets "not found".
    let member = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    assert!(matches!(h.store.export_case(&member, "Gmina Miasto Jasło", None).await, Err(StoreError::NotFound)));
    assert_eq!(
        field_error(h.store.export_case(&chair, "  ", Some(3)).await, "to"),
        "err-required",
        "the receiving municipality is named"
    );
    let exported = h.store.export_case(&chair, "Gmina Miasto Jasło", Some(3)).await.unwrap();
    assert_eq!(exported.file_name, "NK-2026-0001.ostoja");
    let file = String::from_utf8(exported.bytes.clone()).unwrap();
    assert!(!file.contains("Kowalska") && !file.contains("Kowalski"), "the file carries no personal data in clear");
    // The case left this team: its clocks stop here, and the file can be downloaded again.
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.phase.as_str(), "transferred_out");
    assert_eq!(h.store.exported_file(&chair, exported.transfer_id).await.unwrap().1, exported.bytes);

    // The receiving municipality's team.
    let other = other_tenant(&h.store).await;
    let new_chair = person(&h, other.id, "przewodniczacy.jaslo", &[Role::Chair]).await;
    let wrong = h.store.read_transfer_package(&exported.bytes, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF").await;
    assert_eq!(field_error(wrong, "passphrase"), "err-transfer-passphrase");
    assert_eq!(field_error(h.store.read_transfer_package(b"{}", "x").await, "package"), "err-transfer-unreadable");
    let typed = exported.passphrase.to_lowercase().replace('-', " ");
    let package = h.store.read_transfer_package(&exported.bytes, &typed).await.unwrap();
    assert_eq!(package.number, "NK/2026/0001");

    assert_eq!(
        field_error(h.store.import_case(&Caller::local(&t.chair), &package).await, "package"),
        "err-transfer-own-municipality",
        "the exporting team cannot import its own package"
    );
    let initiator_there = person(&h, other.id, "dzielnicowy.jaslo", &[Role::Initiator]).await;
    assert!(matches!(h.store.import_case(&Caller::local(&initiator_there), &package).await, Err(StoreError::NotFound)));
    let TransferIntake::Imported { id: new_id, number } =
        h.store.import_case(&Caller::local(&new_chair), &package).await.unwrap()
    else {
        panic!("not imported")
    };
    assert_eq!(number, "NK/2026/0001", "numbered in the new municipality's own series");
    assert_eq!(
        h.store.import_case(&Caller::local(&new_chair), &package).await.unwrap(),
        TransferIntake::AlreadyImported { id: new_id },
        "a package is imported once"
    );
    let handle = h.store.case_access(&Caller::local(&new_chair), new_id).await.unwrap();
    let view = h.store.procedure_view(&handle).await.unwrap();
    assert_eq!(view.phase.as_str(), "opened", "the new team appoints its own group");
    assert_eq!(view.opened_at, package.opened_at, "the original opening date is kept");
    assert_eq!(view.forms.len(), 1);
    assert_eq!(view.forms[0].answers.get("affected_persons[0].last_name"), Some("Kowalska"));
    let received = h.store.received_documentation(&handle).await.unwrap().unwrap();
    assert!(received.timeline.iter().any(|(_, kind)| kind == "group_appointed"), "{:?}", received.timeline);
    // Nobody in the old municipality reaches the new case.
    assert!(matches!(h.store.case_access(&Caller::local(&t.chair), new_id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_case_handed_over_days_ago_is_recorded_on_that_day_and_a_misdated_hand_over_is_refused() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let opened_at = view.timeline.iter().find(|e| e.kind.as_str() == "procedure_opened").unwrap().at;
    h.advance(SignedDuration::from_hours(24 * 10));

    let future = h.now() + SignedDuration::from_hours(1);
    let refused = h.store.export_case_with(&chair, "Gmina Miasto Jasło", &dated(future)).await;
    assert_eq!(field_error(refused, "occurred_at"), "err-date-in-future");
    let early = opened_at - SignedDuration::from_hours(1);
    let refused = h.store.export_case_with(&chair, "Gmina Miasto Jasło", &dated(early)).await;
    assert_eq!(field_error(refused, "occurred_at"), "err-occurred-before-event");
    assert_eq!(h.store.procedure_version(&chair).await.unwrap(), 1, "a refused hand-over changes nothing");

    let handed = opened_at + SignedDuration::from_hours(24 * 2);
    h.store.export_case_with(&chair, "Gmina Miasto Jasło", &dated(handed)).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.phase.as_str(), "transferred_out");
    let out = view.timeline.iter().find(|e| e.kind.as_str() == "transferred_out").unwrap();
    assert_eq!(out.at, handed, "the day it really left");
    assert!(out.entered_late);
}

/// A hand-over of version 1 at `at`.
fn dated(at: jiff::Timestamp) -> ExportChoice {
    ExportChoice { hand_over: Some(1), occurred_at: Some(at), include_sealed: false }
}

#[tokio::test]
async fn a_package_whose_salt_argon2_refuses_is_unreadable_not_an_internal_error() {
    // Found while writing the fuzz target for package files (fuzz/fuzz_targets/transfer_package.rs): a one-byte salt
    // reached the key derivation, whose refusal was a key error (500) instead of the damaged file it is.
    let h = Harness::new().await;
    for salt in ["", "00", "00112233445566", &"ab".repeat(17)] {
        let file = format!(r#"{{"format":"ostoja-transfer/1","kdf":"argon2id","salt":"{salt}","ciphertext":"00"}}"#);
        let read = h.store.read_transfer_package(file.as_bytes(), "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF").await;
        assert_eq!(field_error(read, "package"), "err-transfer-unreadable", "salt {salt:?}");
    }
}
