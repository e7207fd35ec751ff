//! The support group's records of a case: meetings kept apart for the two persons, minutes that move the clocks,
//! plan items reviewed with their history, dates checked against the case, need-to-know, the chair's timeliness
//! report and the meetings ahead.

use domain::forms::Answers;
use domain::forms::records::RecordKind;
use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::procedure::{AppointmentBasis, CaseHandle, validate_record};
use store::{Db, StoreError};
use uuid::Uuid;

use crate::procedure::{Team, open, team};
use crate::support::*;

fn record(kind: RecordKind, fields: &[(&str, &str)]) -> domain::forms::ValidatedAnswers {
    let answers: Answers = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    validate_record(kind, &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

/// A Warsaw wall-clock time `hours` from now, as a form posts it (`2026-03-02T10:00`).
fn local(h: &Harness, hours: i64) -> String {
    let at = h.now().checked_add(SignedDuration::from_hours(hours)).unwrap();
    at.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn meeting(starts_at: &str, with_whom: &str) -> domain::forms::ValidatedAnswers {
    record(
        RecordKind::Meeting,
        &[
            ("meeting.starts_at", starts_at),
            ("meeting.with_whom", with_whom),
            ("meeting.mode", "in_person"),
            ("meeting.place", "MOPS, pokój 12"),
        ],
    )
}

/// An opened case with its group appointed; the chair's handle.
async fn case_with_group(h: &Harness, t: &Team) -> (Uuid, CaseHandle) {
    let id = open(h, t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::ChairUnderDelegation, 1).await.unwrap();
    (id, chair)
}

#[tokio::test]
async fn the_two_persons_are_never_invited_to_the_same_time_and_a_meeting_needs_a_group() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let early = h.store.add_record(&chair, &meeting(&local(&h, 48), "group_only")).await;
    assert_eq!(field_error(early, "meeting.starts_at"), "err-transition-meeting-without-group");
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), chair.procedure_id).await.unwrap();
    h.store.add_record(&group, &meeting(&local(&h, 48), "affected_person")).await.unwrap();
    let clash = h.store.add_record(&group, &meeting(&local(&h, 48), "suspected_person")).await;
    assert_eq!(field_error(clash, "meeting.starts_at"), "err-meeting-both-persons-same-time");
    // Two hours later the suspected person may come; the group alone may meet at the same time as anyone.
    h.store.add_record(&group, &meeting(&local(&h, 50), "suspected_person")).await.unwrap();
    h.store.add_record(&group, &meeting(&local(&h, 48), "group_only")).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.records.iter().filter(|r| r.kind == RecordKind::Meeting).count(), 3);
    assert!(view.records.iter().all(|r| r.status == "planned"));
}

#[tokio::test]
async fn planning_moving_and_cancelling_a_meeting_tells_the_other_members_of_the_group() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let before = h.store.unread_notifications(t.social_worker.account_id).await.unwrap();
    let police = h.store.case_access(&Caller::local(&t.police), chair.procedure_id).await.unwrap();
    let id = h.store.add_record(&police, &meeting(&local(&h, 30), "group_only")).await.unwrap();
    assert_eq!(h.store.unread_notifications(t.social_worker.account_id).await.unwrap(), before + 1);
    // The one who planned it is not told of their own meeting.
    let police_before = h.store.unread_notifications(t.police.account_id).await.unwrap();
    h.store.update_record(&police, id, &meeting(&local(&h, 32), "group_only"), 1).await.unwrap();
    h.store.cancel_meeting(&police, id, 2).await.unwrap();
    assert_eq!(h.store.unread_notifications(t.social_worker.account_id).await.unwrap(), before + 3);
    assert_eq!(h.store.unread_notifications(t.police.account_id).await.unwrap(), police_before);
    let kinds: Vec<String> =
        h.store.notifications(&t.social_worker, 10).await.unwrap().iter().map(|n| format!("{:?}", n.kind)).collect();
    assert!(kinds.iter().any(|k| k.contains("Cancelled")), "{kinds:?}");
}

#[tokio::test]
async fn minutes_recorded_later_move_the_first_meeting_clock_to_when_it_was_held() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let group = h.store.case_access(&Caller::local(&t.police), chair.procedure_id).await.unwrap();
    let held_local = local(&h, 24);
    let meeting_id = h.store.add_record(&group, &meeting(&held_local, "group_only")).await.unwrap();
    // Written up two days after it was held.
    h.advance(SignedDuration::from_hours(72));
    let minutes = record(
        RecordKind::MeetingMinutes,
        &[
            ("minutes.held_at", held_local.as_str()),
            ("minutes.members_present", "pracownik socjalny, funkcjonariusz Policji"),
            ("minutes.affected_attended", "not_invited"),
            ("minutes.suspected_attended", "not_invited"),
            ("minutes.course", "Analiza formularza A; ustalono termin spotkania z osobą doznającą przemocy."),
        ],
    );
    let version = h.store.procedure_version(&group).await.unwrap();
    let stale = h.store.hold_meeting(&group, meeting_id, &minutes, 7, version).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let state = h.store.hold_meeting(&group, meeting_id, &minutes, 1, version).await.unwrap();
    assert_eq!(state.phase().as_str(), "in_progress");
    let held_at = state.first_meeting_at().unwrap();
    assert!(held_at < h.now().checked_sub(SignedDuration::from_hours(47)).unwrap(), "held_at is the meeting's time");

    let view = h.store.procedure_view(&chair).await.unwrap();
    let first = view.deadlines.iter().find(|d| d.rule_id == "reg23_first_group_meeting").unwrap();
    assert!(matches!(first.state, DeadlineState::MetOnTime { .. }), "{:?}", first.state);
    let record = view.records.iter().find(|r| r.id == meeting_id).unwrap();
    assert_eq!(record.status, "held");
    assert!(record.minutes.as_ref().unwrap().get("minutes.course").unwrap().starts_with("Analiza"));
    // Held once: a second set of minutes for the same meeting is refused.
    let again = h.store.hold_meeting(&group, meeting_id, &minutes, 2, version + 1).await;
    assert_eq!(field_error(again, "form"), "err-record-not-editable");
    // The minutes are encrypted at rest.
    let raw = raw_bodies(&h).await;
    assert!(!raw.iter().any(|b| contains_bytes(b, "Analiza formularza".as_bytes())));
}

async fn raw_bodies(h: &Harness) -> Vec<Vec<u8>> {
    match h.store.db() {
        Db::Sqlite(p, _) => sqlx::query_scalar("SELECT body_enc FROM case_record").fetch_all(p).await.unwrap(),
        Db::Postgres(p) => sqlx::query_scalar("SELECT body_enc FROM case_record").fetch_all(p).await.unwrap(),
    }
}

#[tokio::test]
async fn a_plan_item_is_reviewed_with_its_history_kept_and_a_stale_review_is_a_conflict() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let today = local(&h, 0)[..10].to_owned();
    let item = |status: &str, review: &str| {
        record(
            RecordKind::PlanItem,
            &[
                ("item.action", "Konsultacja psychologiczna"),
                ("item.responsible", "institution:health_care"),
                ("item.agreed_on", today.as_str()),
                ("item.status", status),
                ("item.review", review),
            ],
        )
    };
    let id = h.store.add_record(&chair, &item("planned", "")).await.unwrap();
    h.store.update_record(&chair, id, &item("in_progress", "Pierwsza wizyta odbyta."), 1).await.unwrap();
    let stale = h.store.update_record(&chair, id, &item("done", "x"), 1).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let record = h.store.case_record(&chair, id).await.unwrap();
    assert_eq!(record.tag.as_deref(), Some("in_progress"));
    assert_eq!(record.version, 2);
    assert_eq!(record.history.len(), 1);
    assert_eq!(record.history[0].answers.get("item.status"), Some("planned"));
}

#[tokio::test]
async fn records_are_checked_against_the_case_dates_and_phase() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let tomorrow = local(&h, 30)[..10].to_owned();
    let visit = |on: &str| {
        record(
            RecordKind::HomeVisit,
            &[("visit.on", on), ("visit.by", "pracownik socjalny MOPS"), ("visit.findings", "Rodzina w domu.")],
        )
    };
    assert_eq!(field_error(h.store.add_record(&chair, &visit(&tomorrow)).await, "visit.on"), "err-date-in-future");
    assert_eq!(
        field_error(h.store.add_record(&chair, &visit("2026-02-27")).await, "visit.on"),
        "err-record-before-opening"
    );
    h.store.add_record(&chair, &visit(&local(&h, 0)[..10])).await.unwrap();
    let check = record(
        RecordKind::MonitoringCheck,
        &[
            ("check.on", &local(&h, 0)[..10]),
            ("check.how", "phone"),
            ("check.violence_recurred", "no"),
            ("check.findings", "Sytuacja stabilna."),
        ],
    );
    assert_eq!(field_error(h.store.add_record(&chair, &check).await, "check.on"), "err-record-monitoring-only");
}

#[tokio::test]
async fn only_the_team_and_the_group_reach_the_records() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (id, chair) = case_with_group(&h, &t).await;
    let letter = record(
        RecordKind::Letter,
        &[
            ("letter.on", &local(&h, 0)[..10]),
            ("letter.addressee", "family_court"),
            ("letter.subject", "Wniosek o wgląd w sytuację rodziny"),
        ],
    );
    let record_id = h.store.add_record(&chair, &letter).await.unwrap();
    let initiator = h.store.case_access(&Caller::local(&t.initiator), id).await.unwrap();
    assert!(matches!(h.store.add_record(&initiator, &letter).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.case_record(&initiator, record_id).await, Err(StoreError::NotFound)));
    assert!(h.store.procedure_view(&initiator).await.unwrap().records.is_empty());
    assert!(matches!(h.store.case_access(&Caller::local(&t.outsider), id).await, Err(StoreError::NotFound)));
    // A record of another case is not found through this case's handle.
    let form = crate::procedure::form_a(&crate::procedure::pesel("9001010007"), &crate::procedure::pesel("8801010003"));
    let store::procedure::FormAIntake::Opened { id: other, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), &form, true).await.unwrap()
    else {
        panic!("not opened")
    };
    let other = h.store.case_access(&Caller::local(&t.chair), other).await.unwrap();
    assert!(matches!(h.store.case_record(&other, record_id).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_firearm_in_form_a_starts_the_chairs_notification_clock() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let mut answers =
        crate::procedure::form_a(&crate::procedure::pesel("8503120840"), &crate::procedure::pesel("8301050571"))
            .to_answers();
    answers.insert("firearm.has_firearm", "yes");
    answers.insert("firearm.details", "Pistolet sportowy w sejfie.");
    answers.insert("filled_by.category", "social_worker");
    let def = domain::forms::definition(domain::forms::FormKind::A, domain::forms::FormVersion::V2023).unwrap();
    let validated = domain::forms::validate(def, &answers).unwrap();
    h.advance(SignedDuration::from_hours(1));
    let store::procedure::FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), &validated, false).await.unwrap()
    else {
        panic!("not opened")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let firearm = view.deadlines.iter().find(|d| d.rule_id == "act_firearm_notification").unwrap();
    assert_eq!(firearm.responsible, "chair");
    assert!(matches!(firearm.state, DeadlineState::DueSoon { .. }), "{:?}", firearm.state);
    h.advance(SignedDuration::from_hours(30));
    let version = h.store.procedure_version(&chair).await.unwrap();
    h.store.apply_procedure_command(&chair, &Command::RecordFirearmNotified, version).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let firearm = view.deadlines.iter().find(|d| d.rule_id == "act_firearm_notification").unwrap();
    assert!(matches!(firearm.state, DeadlineState::MetLate { .. }), "{:?}", firearm.state);
}

#[tokio::test]
async fn the_timeliness_report_shows_each_breach_with_its_reason_and_the_averages() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let from: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let to: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
    let id = open(&h, &t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    // The group is appointed six days after form A: the 3-day term of art. 9a ust. 10a is missed.
    h.advance(SignedDuration::from_hours(6 * 24));
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    let report = h.store.timeliness(&Caller::local(&t.chair), from, to).await.unwrap();
    assert_eq!(report.cases, 1);
    let breach = report.breaches.iter().find(|b| b.deadline.rule_id == "act_group_appointed").unwrap();
    assert!(breach.reason.is_none());
    assert!(!breach.deadline.explained);
    let days = report.avg_days_to_group.unwrap();
    assert!((5.9..6.2).contains(&days), "{days}");
    let tally = report.rules.iter().find(|r| r.rule_id == "act_group_appointed").unwrap();
    assert_eq!((tally.met_on_time, tally.met_late), (0, 1));

    let reason = record(
        RecordKind::BreachReason,
        &[
            ("breach.rule_id", "act_group_appointed"),
            ("breach.recorded_on", &local(&h, 0)[..10]),
            ("breach.reason", "Długi weekend; przewodnicząca na zwolnieniu lekarskim."),
        ],
    );
    h.store.add_record(&chair, &reason).await.unwrap();
    let report = h.store.timeliness(&Caller::local(&t.chair), from, to).await.unwrap();
    let breach = report.breaches.iter().find(|b| b.deadline.rule_id == "act_group_appointed").unwrap();
    assert!(breach.deadline.explained);
    assert_eq!(breach.reason.as_deref(), Some("Długi weekend; przewodnicząca na zwolnieniu lekarskim."));
    // Not for a group member or an initiator.
    assert!(matches!(h.store.timeliness(&Caller::local(&t.police), from, to).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.timeliness(&Caller::local(&t.initiator), from, to).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn the_meetings_ahead_are_shown_to_those_who_may_see_the_case() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    h.store.add_record(&chair, &meeting(&local(&h, 26), "affected_person")).await.unwrap();
    for who in [&t.chair, &t.social_worker, &t.police] {
        let ahead = h.store.upcoming_meetings(who, 10).await.unwrap();
        assert_eq!(ahead.len(), 1, "{}", who.login);
        assert_eq!(ahead[0].with_whom.as_deref(), Some("affected_person"));
    }
    assert!(h.store.upcoming_meetings(&t.outsider, 10).await.unwrap().is_empty());
    assert!(h.store.upcoming_meetings(&t.initiator, 10).await.unwrap().is_empty());
    // Once it has passed, it is no longer ahead.
    h.advance(SignedDuration::from_hours(30));
    assert!(h.store.upcoming_meetings(&t.chair, 10).await.unwrap().is_empty());
}
