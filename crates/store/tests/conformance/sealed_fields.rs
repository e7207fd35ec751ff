//! Issue 20, item 1 in the store: sealed fields. A person who fled gives a new address; sealed, it is withheld from
//! every member the seal does not name, on every form of the case (also those filled later), in the case file for
//! outside and in a transfer package unless the chair includes it; sealing and unsealing are audited, their reasons
//! kept encrypted with the seal.

use domain::forms::seal::SealKind;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::procedure::transfer::ExportChoice;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake, NewSeal};
use uuid::Uuid;

use crate::procedure::{Team, form_a, person, pesel, team};
use crate::support::*;

const NEW_ADDRESS: &str = "ul. Ukryta 7, 31-000 Kraków";
const ADDRESS_PATH: &str = "affected_persons[0].residence_address";

fn form_a_with_address() -> ValidatedAnswers {
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert(ADDRESS_PATH, NEW_ADDRESS);
    answers.insert("affected_persons[0].phone", "600100200");
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

fn form_c_with_address() -> ValidatedAnswers {
    let answers: Answers = [
        ("header.date", "2026-03-03"),
        ("affected_person.first_name", "Anna"),
        ("affected_person.last_name", "Kowalska"),
        ("affected_person.residence_address", NEW_ADDRESS),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    validate(definition(FormKind::C, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A case with the new address on form A, its group (social worker, police officer) appointed and met; the chair's
/// handle.
pub(crate) async fn case(h: &Harness, t: &Team) -> CaseHandle {
    h.advance(SignedDuration::from_hours(1));
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), &form_a_with_address(), false).await.unwrap()
    else {
        panic!("not opened")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    chair
}

pub(crate) async fn seal_address(
    h: &Harness,
    by: &CaseHandle,
    reason: &str,
    viewers: Vec<Uuid>,
) -> Result<Uuid, StoreError> {
    let seals = h.store.case_seals(by).await?;
    let anna = seals.persons.iter().find(|p| p.name == "Anna Kowalska").expect("Anna is sealable");
    let seal = NewSeal { person: anna.token.clone(), kind: SealKind::Address, reason: reason.to_owned(), viewers };
    h.store.seal_field(by, &seal).await
}

/// The address as this account's view of the case shows it, on every form that carries it.
async fn addresses(h: &Harness, who: &store::identity::Principal, id: Uuid) -> Vec<(String, Option<String>, bool)> {
    let handle = h.store.case_access(&Caller::local(who), id).await.unwrap();
    let view = h.store.procedure_view(&handle).await.unwrap();
    view.forms
        .iter()
        .filter(|f| f.kind != "B")
        .map(|f| {
            let path = if f.kind == "A" { ADDRESS_PATH } else { "affected_person.residence_address" };
            (f.kind.clone(), f.answers.get(path).map(str::to_owned), f.withheld.contains(path))
        })
        .collect()
}

#[tokio::test]
async fn a_sealed_address_is_seen_only_by_the_named_members_on_every_form_until_unsealed() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    let id = chair.procedure_id;

    // A reason is required, beside its field; a group member who is not the coordinator does not seal.
    assert_eq!(field_error(seal_address(&h, &chair, "   ", vec![]).await, "reason"), "err-seal-reason-required");
    let police = h.store.case_access(&Caller::local(&t.police), id).await.unwrap();
    assert!(matches!(seal_address(&h, &police, "ucieczka", vec![]).await, Err(StoreError::NotFound)));
    let seal = seal_address(&h, &chair, "Osoba uciekła przed sprawcą; nowy adres.", vec![]).await.unwrap();
    assert_eq!(field_error(seal_address(&h, &chair, "jeszcze raz", vec![]).await, "kind"), "err-seal-already-in-force");

    // The default: the group's social worker sees it; the police officer and the chair (not named) do not.
    assert_eq!(addresses(&h, &t.social_worker, id).await, vec![("A".into(), Some(NEW_ADDRESS.into()), false)]);
    assert_eq!(addresses(&h, &t.police, id).await, vec![("A".into(), None, true)]);
    assert_eq!(addresses(&h, &t.chair, id).await, vec![("A".into(), None, true)]);
    // Only the sealed kind: the phone is not sealed.
    let view = h.store.procedure_view(&police).await.unwrap();
    assert_eq!(view.forms[0].answers.get("affected_persons[0].phone"), Some("600100200"));

    // A form C filled after the seal is covered too.
    let social = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.store.add_form(&social, &form_c_with_address(), 3).await.unwrap();
    let of_police = addresses(&h, &t.police, id).await;
    assert_eq!(of_police, vec![("A".into(), None, true), ("C".into(), None, true)]);
    let of_social = addresses(&h, &t.social_worker, id).await;
    assert!(of_social.iter().all(|(_, v, w)| v.as_deref() == Some(NEW_ADDRESS) && !w), "{of_social:?}");

    // The case file for outside withholds it even from the named social worker.
    let outside = h.store.procedure_view_for_outside(&social).await.unwrap();
    assert!(outside.forms.iter().all(|f| f.answers.iter().all(|(_, v)| v != NEW_ADDRESS)));

    // What the page lists: the seal, who sees it, whether the reader does.
    let listed = h.store.case_seals(&police).await.unwrap();
    assert_eq!(listed.seals.len(), 1);
    assert!(!listed.seals[0].visible_to_reader && !listed.may_seal);
    assert!(h.store.case_seals(&social).await.unwrap().seals[0].visible_to_reader);

    // Audited: the sealing (its reason stays encrypted with the seal, never in the audit detail), the named member's
    // reads as such.
    let created: Vec<_> =
        audit_entries(&h.store, "create").await.into_iter().filter(|e| e.object_kind == "field_seal").collect();
    assert_eq!(created.len(), 1);
    assert!(!created[0].detail.contains("Osoba uciekła"), "the reason in clear: {}", created[0].detail);
    let reads: Vec<_> = audit_entries(&h.store, "read_personal_data")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "field_seal" && e.object_id.as_deref() == Some(&seal.to_string()))
        .collect();
    assert!(reads.len() >= 2, "each of the social worker's reads of the sealed value: {}", reads.len());

    // Unsealed with a reason: everyone with access sees the address again.
    assert_eq!(field_error(h.store.unseal_field(&chair, seal, "").await, "reason"), "err-seal-reason-required");
    h.store.unseal_field(&chair, seal, "Sprawca wyprowadził się z miasta.").await.unwrap();
    assert!(addresses(&h, &t.police, id).await.iter().all(|(_, v, _)| v.as_deref() == Some(NEW_ADDRESS)));
    let lifted: Vec<_> =
        audit_entries(&h.store, "delete").await.into_iter().filter(|e| e.object_kind == "field_seal").collect();
    assert!(!lifted[0].detail.contains("Sprawca wyprowadził"), "the reason in clear: {}", lifted[0].detail);
}

/// One read of the procedure page can write several audit entries (the case, the sealed values a named reader saw,
/// the grants' reasons for the staff); the first takes its place in the chain with the page's reads, the others
/// follow it. The chain verifies whole after each kind of reader.
#[tokio::test]
async fn the_procedure_pages_several_audit_entries_keep_the_chain_whole() {
    // Arrange: a seal the chair is named for, and a grant to an account outside the group.
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    let id = chair.procedure_id;
    seal_address(&h, &chair, "ucieczka", vec![t.chair.account_id]).await.unwrap();
    let expert = person(&h, chair.tenant_id, "ekspert", &[Role::GroupMember]).await;
    h.store.grant_case_access(&chair, expert.account_id, None).await.unwrap();
    let case_reads =
        |entries: &[store::audit::AuditEntry]| entries.iter().filter(|e| e.object_kind == "procedure").count();
    let before = case_reads(&audit_entries(&h.store, "read_personal_data").await);

    // Act: the chair (case, sealed value shown, grants), the police officer (case only), the expert (by a grant).
    for who in [&t.chair, &t.police, &expert] {
        let (_, page) = h.store.procedure_page_of(&Caller::local(who), id).await.unwrap();
        assert!(!page.view.forms.is_empty());
    }

    // Assert
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert!(reads.iter().any(|e| e.object_kind == "case_grant"), "the grants' read");
    assert!(reads.iter().any(|e| e.object_kind == "field_seal"), "the sealed value shown to the chair");
    assert_eq!(case_reads(&reads), before + 3, "one entry per page read");
    assert_eq!(h.store.verify_audit().await.unwrap().first_break, None);
}

#[tokio::test]
async fn the_chair_names_who_sees_a_seal_and_nobody_else_does() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    let id = chair.procedure_id;
    // Someone outside the group and the staff is refused beside the field.
    assert_eq!(
        field_error(seal_address(&h, &chair, "ucieczka", vec![t.outsider.account_id]).await, "viewers"),
        "err-seal-viewer-not-allowed"
    );
    seal_address(&h, &chair, "ucieczka", vec![t.police.account_id, t.chair.account_id]).await.unwrap();
    assert_eq!(addresses(&h, &t.police, id).await, vec![("A".into(), Some(NEW_ADDRESS.into()), false)]);
    assert_eq!(addresses(&h, &t.chair, id).await, vec![("A".into(), Some(NEW_ADDRESS.into()), false)]);
    assert_eq!(addresses(&h, &t.social_worker, id).await, vec![("A".into(), None, true)], "not the default now");
}

#[tokio::test]
async fn a_transfer_package_omits_sealed_values_unless_the_chair_includes_them() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    seal_address(&h, &chair, "ucieczka", vec![]).await.unwrap();

    let exported = h.store.export_case(&chair, "Gmina Miasto Jasło", None).await.unwrap();
    let package = h.store.read_transfer_package(&exported.bytes, &exported.passphrase).await.unwrap();
    let form = package.forms.iter().find(|f| f.kind == "A").unwrap();
    assert_eq!(form.answers.get(ADDRESS_PATH), None);
    assert_eq!(form.withheld, vec![ADDRESS_PATH.to_owned()]);

    // The secretary exports, but does not include sealed values.
    let secretary = person(&h, chair.tenant_id, "sekretarz", &[Role::Secretary]).await;
    let by_secretary = h.store.case_access(&Caller::local(&secretary), chair.procedure_id).await.unwrap();
    let refused = h.store.export_case_with(&by_secretary, "Gmina Miasto Jasło", &WITH_SEALED).await;
    assert_eq!(field_error(refused, "include_sealed"), "err-seal-include-chair-only");

    let included = h.store.export_case_with(&chair, "Gmina Miasto Jasło", &WITH_SEALED).await.unwrap();
    let package = h.store.read_transfer_package(&included.bytes, &included.passphrase).await.unwrap();
    let form = package.forms.iter().find(|f| f.kind == "A").unwrap();
    assert_eq!(form.answers.get(ADDRESS_PATH), Some(NEW_ADDRESS));
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert!(reads.iter().any(|e| e.detail.contains("sealed fields included by the chair")));
}

#[tokio::test]
async fn notifications_and_e_mails_carry_no_sealed_value() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    seal_address(&h, &chair, "ucieczka", vec![]).await.unwrap();
    let social = h.store.case_access(&Caller::local(&t.social_worker), chair.procedure_id).await.unwrap();
    h.store.add_form(&social, &form_c_with_address(), 3).await.unwrap();
    let notices = scalar(&h.store, "SELECT COUNT(*) FROM notification").await;
    assert!(notices > 0, "the group was told of its appointment");
    // Every text column of both tables, as anyone with database access would read them.
    let leaks = scalar(
        &h.store,
        "SELECT (SELECT COUNT(*) FROM notification WHERE kind LIKE '%Ukryta%' OR COALESCE(rule_id, '') LIKE \
         '%Ukryta%' OR COALESCE(once_key, '') LIKE '%Ukryta%') + (SELECT COUNT(*) FROM email_outbox WHERE kind LIKE \
         '%Ukryta%' OR COALESCE(last_error, '') LIKE '%Ukryta%')",
    )
    .await;
    assert_eq!(leaks, 0);
}

/// A copy of the documentation with the sealed values, as only the chair may choose.
const WITH_SEALED: ExportChoice = ExportChoice { hand_over: None, occurred_at: None, include_sealed: true };
