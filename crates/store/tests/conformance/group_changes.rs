//! Issue 15, items 4–6 in the store: the support group changes as the case does (extension, replacement with access
//! following, the coordinator, the conditional members of art. 9a ust. 11a–12); steps that stand for a document are
//! taken only with it; a running 2011 case is brought in from paper and continues on the 2011 forms.

use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind as K};
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::procedure::{AppointmentBasis, FormAIntake};
use uuid::Uuid;

use crate::procedure::{Team, form_a, open, person, pesel, team};
use crate::support::*;

fn validated(kind: FormKind, version: FormVersion, pairs: &[(&str, &str)]) -> ValidatedAnswers {
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    validate(definition(kind, version).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

fn timeline(view: &store::procedure::ProcedureView) -> Vec<&'static str> {
    view.timeline.iter().map(|e| e.kind.as_str()).collect()
}

/// A case with its group (social worker and police officer) appointed at version 1; returns the chair's handle.
async fn appointed(h: &Harness, t: &Team, id: Uuid) -> store::procedure::CaseHandle {
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [(t.social_worker.account_id, K::SocialWorker), (t.police.account_id, K::PoliceOfficer)];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    chair
}

#[tokio::test]
async fn the_team_extends_the_group_and_a_replaced_member_loses_the_case_at_once() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = appointed(&h, &t, id).await;
    let tenant = chair.tenant_id;
    assert!(matches!(h.store.case_access(&Caller::local(&t.outsider), id).await, Err(StoreError::NotFound)));

    // A group member does not change the group: only the team does.
    let social = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    let refused = h.store.extend_group(&social, &[(t.outsider.account_id, K::Psychologist)], 2).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(field_error(h.store.extend_group(&chair, &[], 2).await, "command"), "err-group-extension-empty");
    assert_eq!(
        field_error(h.store.extend_group(&chair, &[(t.police.account_id, K::Teacher)], 2).await, "members"),
        "err-group-member-already-in"
    );

    h.advance(SignedDuration::from_hours(2));
    h.store.extend_group(&chair, &[(t.outsider.account_id, K::Psychologist)], 2).await.unwrap();
    assert_eq!(
        h.store.case_access(&Caller::local(&t.outsider), id).await.unwrap().access,
        store::procedure::CaseAccess::Group
    );

    // The police officer leaves; another takes their place, as a police officer by default.
    let second_police = person(&h, tenant, "policjant.drugi", &[Role::GroupMember]).await;
    let stale = h.store.replace_group_member(&chair, t.police.account_id, second_police.account_id, None, 2).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    h.store.replace_group_member(&chair, t.police.account_id, second_police.account_id, None, 3).await.unwrap();
    assert!(
        matches!(h.store.case_access(&Caller::local(&t.police), id).await, Err(StoreError::NotFound)),
        "the one who left"
    );
    assert!(h.store.case_access(&Caller::local(&second_police), id).await.is_ok(), "the one who joined");
    assert!(h.store.list_procedures(&t.police, 50, 0).await.unwrap().is_empty(), "nor in the list");

    // The statutory core stays: a social worker is replaced by a social worker, not by a teacher.
    let teacher = person(&h, tenant, "nauczycielka", &[Role::GroupMember]).await;
    let refused =
        h.store.replace_group_member(&chair, t.social_worker.account_id, teacher.account_id, Some(K::Teacher), 4).await;
    assert_eq!(field_error(refused, "command"), "err-group-needs-social-worker");
    assert_eq!(
        field_error(h.store.name_group_coordinator(&chair, t.police.account_id, 4).await, "coordinator"),
        "err-group-member-not-in-group"
    );
    h.store.name_group_coordinator(&chair, t.social_worker.account_id, 4).await.unwrap();

    let members = h.store.group_members(&chair).await.unwrap();
    let row = |a: Uuid| members.iter().find(|m| m.account_id == a).unwrap();
    assert!(row(t.outsider.account_id).by_extension && row(t.outsider.account_id).joined_at.is_some());
    assert!(row(t.police.account_id).left_at.is_some());
    assert_eq!(row(second_police.account_id).kind, "police_officer");
    assert!(row(t.social_worker.account_id).coordinator);
    let view = h.store.procedure_view(&chair).await.unwrap();
    let events = timeline(&view);
    for kind in ["group_extended", "group_member_replaced", "group_coordinator_named"] {
        assert!(events.contains(&kind), "{kind} on the timeline: {events:?}");
    }
    assert!(!view.who_can_see.contains(&"policjant.gdp".to_owned()), "{:?}", view.who_can_see);
    assert!(view.who_can_see.contains(&"policjant.drugi".to_owned()));
    let changes: Vec<String> = audit_entries(&h.store, "update")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "group_member")
        .map(|e| e.detail)
        .collect();
    assert_eq!(changes.len(), 4, "{changes:?}");
    assert!(changes.iter().any(|d| d.contains("left the group")), "{changes:?}");

    // The candidates: the accounts with the group-member role, and who is in the group as what.
    let candidates = h.store.group_candidates(&chair).await.unwrap();
    let of = |a: Uuid| candidates.iter().find(|c| c.account_id == a).unwrap();
    assert_eq!(of(t.social_worker.account_id).in_group_as.as_deref(), Some("social_worker"));
    assert_eq!(of(t.police.account_id).in_group_as, None);
    assert!(!candidates.iter().any(|c| c.account_id == t.chair.account_id));
    assert!(matches!(h.store.group_candidates(&social).await, Err(StoreError::NotFound)));
}

/// A form A whose person using violence is a soldier in active service.
fn form_a_soldier() -> ValidatedAnswers {
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("suspected_persons[0].is_soldier", "true");
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap()
}

#[tokio::test]
async fn a_soldier_needs_the_military_police_and_supervision_on_form_d_a_probation_officer() {
    let h = Harness::new().await;
    let t = team(&h).await;
    h.advance(SignedDuration::from_hours(1));
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.chair), &form_a_soldier(), false).await.unwrap()
    else {
        panic!("not opened")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let core = [(t.social_worker.account_id, K::SocialWorker), (t.police.account_id, K::PoliceOfficer)];
    let refused = h.store.appoint_group(&chair, &core, AppointmentBasis::TeamDecision, 1).await;
    assert_eq!(field_error(refused, "members"), "err-group-needs-military-police");
    let mut with_mp = core.to_vec();
    with_mp.push((t.outsider.account_id, K::MilitaryPolice));
    h.store.appoint_group(&chair, &with_mp, AppointmentBasis::TeamDecision, 1).await.unwrap();

    // The Military Police soldier is replaced only by another one.
    let other = person(&h, chair.tenant_id, "inny.zolnierz", &[Role::GroupMember]).await;
    let refused =
        h.store.replace_group_member(&chair, t.outsider.account_id, other.account_id, Some(K::Teacher), 2).await;
    assert_eq!(field_error(refused, "kind"), "err-group-needs-military-police");

    // Form D says the person is under a probation officer's supervision: the team extends the group with one.
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    let form_d = validated(
        FormKind::D,
        FormVersion::V2023,
        &[
            ("header.date", "2026-03-03"),
            ("suspected_person.first_name", "Jan"),
            ("suspected_person.last_name", "Kowalski"),
            ("convictions.probation_supervision", "yes"),
        ],
    );
    h.store.add_form(&group, &form_d, 3).await.unwrap();
    let probation = person(&h, chair.tenant_id, "kurator", &[Role::GroupMember]).await;
    h.store.extend_group(&chair, &[(probation.account_id, K::ProbationOfficer)], 4).await.unwrap();
    let refused =
        h.store.replace_group_member(&chair, probation.account_id, other.account_id, Some(K::Teacher), 5).await;
    assert_eq!(field_error(refused, "kind"), "err-group-needs-probation-officer");
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert!(reads.iter().any(|e| e.detail.contains("group composition check")));
}

#[tokio::test]
async fn a_step_that_stands_for_a_document_is_refused_without_it_naming_the_route() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = appointed(&h, &t, id).await;
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    for (command, code) in [
        (Command::RecordFormC, "err-command-needs-form-c"),
        (Command::RecordFormD, "err-command-needs-form-d"),
        (Command::AttachFurtherIncident, "err-command-needs-form-a"),
        (Command::ReopenFromMonitoring, "err-command-needs-form-a"),
        (Command::TransferOut, "err-command-needs-package"),
    ] {
        assert_eq!(field_error(h.store.apply_procedure_command(&chair, &command, 3).await, "command"), code);
    }
    assert_eq!(h.store.procedure_version(&chair).await.unwrap(), 3, "nothing was recorded");

    // A further form A in monitoring reopens the case, with its content stored.
    h.store.add_form(&group, &crate::need_to_know::form_c("2026-03-03"), 3).await.unwrap();
    crate::support::close_case(&h.store, &group, ClosingReason::ViolenceStopped, 4).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 10));
    let mut further = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    further.insert("header.filled_at", "2026-03-12T10:00");
    let further = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &further).unwrap();
    h.store.add_form(&group, &further, 5).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.phase.as_str(), "in_progress");
    assert!(timeline(&view).contains(&"procedure_reopened"));
    assert_eq!(view.forms.iter().filter(|f| f.kind == "A").count(), 2);
}

fn form_a_2011(day: &str) -> ValidatedAnswers {
    validated(
        FormKind::A,
        FormVersion::V2011,
        &[
            ("header.place", "Tomaszów Mazowiecki"),
            ("header.date", day),
            ("header.institution", "Miejski Ośrodek Pomocy Społecznej"),
            ("affected_person.first_name", "Zofia"),
            ("affected_person.last_name", "Wiśniewska"),
            ("suspected_person.first_name", "Adam"),
            ("suspected_person.last_name", "Wiśniewski"),
            ("suspect_background.probation_supervision", "no"),
        ],
    )
}

#[tokio::test]
async fn a_running_2011_case_is_typed_in_from_paper_and_continues_on_the_2011_forms_c_and_d() {
    let h = Harness::new().await;
    let t = team(&h).await;
    h.advance(SignedDuration::from_hours(1));
    assert_eq!(
        field_error(h.store.open_procedure(&Caller::local(&t.chair), &form_a_2011("2023-05-10"), false).await, "form"),
        "err-form-2011-paper-only"
    );
    assert_eq!(
        field_error(
            h.store.open_procedure_from_paper(&Caller::local(&t.chair), &form_a_2011("2024-01-10"), false).await,
            "header.date"
        ),
        "err-form-2011-date-out-of-range"
    );
    assert!(matches!(
        h.store.open_procedure_from_paper(&Caller::local(&t.initiator), &form_a_2011("2023-05-10"), false).await,
        Err(StoreError::NotFound)
    ));
    let FormAIntake::Opened { id, number } =
        h.store.open_procedure_from_paper(&Caller::local(&t.chair), &form_a_2011("2023-05-10"), false).await.unwrap()
    else {
        panic!("not opened")
    };
    assert_eq!(number, "NK/2023/0001", "numbered in the year of its paper form");
    let chair = appointed(&h, &t, id).await;
    assert_eq!(h.store.procedure_form_version(&chair).await.unwrap().1, FormVersion::V2011);
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    // A 2023 form C does not fit a 2011 case.
    assert_eq!(
        field_error(h.store.add_form(&group, &crate::need_to_know::form_c("2026-03-03"), 3).await, "form"),
        "err-form-version-mismatch"
    );
    let form_c = validated(
        FormKind::C,
        FormVersion::V2011,
        &[
            ("header.date", "2026-03-03"),
            ("affected_person.first_name", "Zofia"),
            ("affected_person.last_name", "Wiśniewska"),
        ],
    );
    h.store.add_form(&group, &form_c, 3).await.unwrap();
    let form_d = validated(
        FormKind::D,
        FormVersion::V2011,
        &[
            ("header.date", "2026-03-03"),
            ("suspected_person.first_name", "Adam"),
            ("suspected_person.last_name", "Wiśniewski"),
        ],
    );
    h.store.add_form(&group, &form_d, 4).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let forms: Vec<(String, String)> = view.forms.iter().map(|f| (f.kind.clone(), f.version.clone())).collect();
    assert_eq!(
        forms,
        [("A".into(), "2011".into()), ("C".into(), "2011".into()), ("D".into(), "2011".into())],
        "{forms:?}"
    );
    assert_eq!(view.forms[0].entered_from_paper_by.as_deref(), Some("przewodniczaca"));
    let events = timeline(&view);
    assert!(events.contains(&"form_c_recorded") && events.contains(&"form_d_recorded"), "{events:?}");
}
