//! The special cases of procedure.md §2.4 that the store enforces: a child is not invited to a group meeting, a
//! person who cannot cope comes with a companion, and the notice to an absent suspect is due only when someone was
//! absent.

use domain::forms::records::RecordKind;
use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use store::Caller;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake, validate_record};
use uuid::Uuid;

use crate::procedure::{Team, form_a, pesel, team};
use crate::support::*;

/// The tests' form A with some answers replaced or added.
fn form_a_with(changes: &[(&str, &str)]) -> domain::forms::ValidatedAnswers {
    let mut answers: Answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    for (path, value) in changes {
        answers.insert(*path, *value);
    }
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

async fn open_with_group(h: &Harness, t: &Team, answers: &domain::forms::ValidatedAnswers) -> (Uuid, CaseHandle) {
    h.advance(SignedDuration::from_hours(1));
    // The chair: asking for a new procedure despite a match is the staff's (anyone else's form goes to them).
    let FormAIntake::Opened { id, .. } = h.store.open_procedure(&Caller::local(&t.chair), answers, true).await.unwrap()
    else {
        panic!("not opened")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    (id, chair)
}

fn meeting(h: &Harness, extra: &[(&str, &str)]) -> domain::forms::ValidatedAnswers {
    let starts = h.now().checked_add(SignedDuration::from_hours(48)).unwrap();
    let starts = starts.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string();
    let mut answers: Answers = [
        ("meeting.starts_at", starts.as_str()),
        ("meeting.with_whom", "affected_person"),
        ("meeting.mode", "in_person"),
        ("meeting.place", "MOPS, pokój 12"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (path, value) in extra {
        answers.insert(*path, *value);
    }
    validate_record(RecordKind::Meeting, &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_child_is_not_invited_to_a_group_meeting_but_the_adult_who_comes_for_it_is() {
    let h = Harness::new().await;
    let t = team(&h).await;
    // The only person experiencing violence is a boy of nine (PESEL of 2017).
    let child = form_a_with(&[
        ("affected_persons[0].first_name", "Staś"),
        ("affected_persons[0].pesel", &pesel("1722010411")),
        ("household.children_present", "true"),
        ("children[0].first_name", "Staś"),
        ("children[0].last_name", "Kowalski"),
    ]);
    let (_, chair) = open_with_group(&h, &t, &child).await;
    let refused = h.store.add_record(&chair, &meeting(&h, &[])).await;
    assert_eq!(field_error(refused, "meeting.child_represented_by"), "err-meeting-child-not-invited");
    h.store.add_record(&chair, &meeting(&h, &[("meeting.child_represented_by", "parent")])).await.unwrap();
    // A meeting of the group alone asks nothing.
    h.store.add_record(&chair, &meeting(&h, &[("meeting.with_whom", "group_only")])).await.unwrap();
}

#[tokio::test]
async fn a_child_of_form_a_who_has_come_of_age_by_the_meeting_is_invited_as_an_adult() {
    let h = Harness::new().await;
    let t = team(&h).await;
    // Seventeen on the day of form A (2 March 2026), eighteen on 3 March; the meeting is on 4 March.
    let girl = form_a_with(&[
        ("affected_persons[0].first_name", "Ola"),
        ("affected_persons[0].pesel", &pesel("0823030420")),
        ("household.children_present", "true"),
        ("children[0].first_name", "Ola"),
        ("children[0].last_name", "Kowalska"),
    ]);
    let (_, chair) = open_with_group(&h, &t, &girl).await;
    h.store.add_record(&chair, &meeting(&h, &[])).await.expect("an adult on the meeting's day is invited");
}

#[tokio::test]
async fn a_person_who_cannot_cope_alone_is_met_with_a_companion_and_an_adult_alone_without() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = open_with_group(&h, &t, &form_a_with(&[("affected_persons[0].is_unable_to_cope", "true")])).await;
    let refused = h.store.add_record(&chair, &meeting(&h, &[])).await;
    assert_eq!(field_error(refused, "meeting.companion"), "err-meeting-companion-required");
    h.store.add_record(&chair, &meeting(&h, &[("meeting.companion", "córka, Ewa Kowalska")])).await.unwrap();

    let (_, chair) = open_with_group(&h, &t, &form_a_with(&[])).await;
    h.store.add_record(&chair, &meeting(&h, &[])).await.unwrap();
}

async fn notice_clock(h: &Harness, t: &Team, present: Option<&str>) -> bool {
    let answers = match present {
        Some(p) => form_a_with(&[("suspected_persons[0].present_at_opening", p)]),
        None => form_a_with(&[]),
    };
    let (id, chair) = open_with_group(h, t, &answers).await;
    h.advance(SignedDuration::from_hours(24));
    let held = h.now().checked_sub(SignedDuration::from_hours(1)).unwrap();
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeetingHeld { held_at: held }, 2).await.unwrap();
    let view = h.store.procedure_view(&h.store.case_access(&Caller::local(&t.chair), id).await.unwrap()).await.unwrap();
    view.deadlines.iter().any(|d| d.rule_id == "reg23_notify_absent_suspect")
}

#[tokio::test]
async fn the_notice_to_an_absent_suspect_is_due_unless_form_a_says_everyone_was_present() {
    let h = Harness::new().await;
    let t = team(&h).await;
    assert!(notice_clock(&h, &t, Some("no")).await, "absent: the group must notify");
    assert!(notice_clock(&h, &t, None).await, "not known: the clock runs");
    assert!(!notice_clock(&h, &t, Some("yes")).await, "present: nobody to notify");
}
