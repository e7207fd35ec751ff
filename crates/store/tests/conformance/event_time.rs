//! Every step on its real date (issue 15, item 1) and closing as the act requires (item 3): steps typed in late take
//! their place by when they happened, deadlines and figures follow the event, a late entry is marked, a misdated step
//! is refused naming the event in its way; a closing keeps its record and the chair can undo it for one working day.

use domain::forms::{FormKind, FormVersion, definition, validate};
use domain::identity::Role;
use domain::procedure::closing::ClosingDecision;
use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::programme::indicators::ComputedKey;
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::StoreError;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake};
use uuid::Uuid;

use crate::procedure::{Team, form_a, open, person, pesel, team};
use crate::support::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn members(team: &Team) -> [(Uuid, GroupMemberKind); 2] {
    [
        (team.social_worker.account_id, GroupMemberKind::SocialWorker),
        (team.police.account_id, GroupMemberKind::PoliceOfficer),
    ]
}

/// The field error's message id and arguments.
fn misdated<T: std::fmt::Debug>(
    result: Result<T, StoreError>,
    field: &str,
) -> (&'static str, Vec<(&'static str, String)>) {
    match result {
        Err(StoreError::Invalid(errors)) => {
            let e =
                errors.iter().find(|e| e.field == field).unwrap_or_else(|| panic!("no error on {field}: {errors:?}"));
            (e.code, e.args.clone())
        }
        other => panic!("expected a field error on {field}, got {other:?}"),
    }
}

/// A case opened 2 March 2026 08:30 Warsaw, its group appointed at 10:00 the next day, its first meeting on 6 March.
async fn running_case(h: &Harness, team: &Team) -> (Uuid, CaseHandle, CaseHandle) {
    let id = open(h, team).await;
    let chair = h.store.case_access(&Caller::local(&team.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 5));
    h.store
        .appoint_group_at(&chair, &members(team), AppointmentBasis::TeamDecision, Some(t("2026-03-03T09:00:00Z")), 1)
        .await
        .unwrap();
    let group = h.store.case_access(&Caller::local(&team.social_worker), id).await.unwrap();
    h.store
        .apply_procedure_command_at(&group, &Command::RecordGroupMeeting, Some(t("2026-03-06T09:00:00Z")), 2)
        .await
        .unwrap();
    (id, chair, group)
}

#[tokio::test]
async fn a_notice_given_on_time_but_typed_weeks_later_is_on_time_and_marked_as_entered_later() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let (_, _, group) = running_case(&h, &team).await;
    h.advance(SignedDuration::from_hours(24 * 50));
    // Given on 5 March, before the meeting of 6 March already recorded: it takes its place.
    h.store
        .apply_procedure_command_at(&group, &Command::RecordSuspectNotified, Some(t("2026-03-05T11:00:00Z")), 3)
        .await
        .unwrap();
    let view = h.store.procedure_view(&group).await.unwrap();
    let notice = view.deadlines.iter().find(|d| d.rule_id == "reg23_notify_absent_suspect").unwrap();
    assert!(matches!(notice.state, DeadlineState::MetOnTime { .. }), "{notice:?}");
    let entry = view.timeline.iter().find(|e| e.kind.as_str() == "suspect_notified").unwrap();
    assert_eq!(entry.at, t("2026-03-05T11:00:00Z"));
    assert!(entry.entered_late, "{entry:?}");
    assert_eq!(entry.recorded_at, Some(h.now()));
    // In event order on the timeline: the notice before the meeting recorded earlier.
    let kinds: Vec<&str> = view.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["procedure_opened", "group_appointed", "suspect_notified", "group_meeting_held"]);
    let appointed = view.timeline.iter().find(|e| e.kind.as_str() == "group_appointed").unwrap();
    assert!(appointed.entered_late, "appointed on 3 March, typed in on 7 March");
}

#[tokio::test]
async fn a_step_typed_in_the_same_or_next_working_day_is_not_marked() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let id = open(&h, &team).await;
    let chair = h.store.case_access(&Caller::local(&team.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.appoint_group_at(&chair, &members(&team), AppointmentBasis::TeamDecision, None, 1).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert!(view.timeline.iter().all(|e| !e.entered_late), "{:?}", view.timeline);
}

#[tokio::test]
async fn a_step_in_the_future_is_refused_beside_its_date() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let (_, _, group) = running_case(&h, &team).await;
    let future = h.now() + SignedDuration::from_mins(5);
    let refused = h.store.apply_procedure_command_at(&group, &Command::RecordSuspectNotified, Some(future), 3).await;
    assert_eq!(misdated(refused, "occurred_at").0, "err-date-in-future");
    assert_eq!(h.store.procedure_version(&group).await.unwrap(), 3, "nothing recorded");
}

#[tokio::test]
async fn a_step_before_the_event_it_follows_is_refused_naming_that_event_and_its_date() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let (_, _, group) = running_case(&h, &team).await;
    // A notice to the absent suspect before the group that gives it existed.
    let refused = h
        .store
        .apply_procedure_command_at(&group, &Command::RecordSuspectNotified, Some(t("2026-03-02T12:00:00Z")), 3)
        .await;
    assert_eq!(
        misdated(refused, "occurred_at"),
        (
            "err-occurred-before-event",
            vec![("event", "group_appointed".to_owned()), ("date", "3.03.2026 10:00".to_owned())]
        )
    );
    // A firearm before the opening (form A of 2 March 08:30).
    let refused =
        h.store.apply_procedure_command_at(&group, &Command::RecordFirearm, Some(t("2026-03-01T12:00:00Z")), 3).await;
    assert_eq!(
        misdated(refused, "occurred_at"),
        (
            "err-occurred-before-event",
            vec![("event", "procedure_opened".to_owned()), ("date", "2.03.2026 08:30".to_owned())]
        )
    );
    // A closing before the meeting at which the group decided.
    let context = h.store.closing_context(&group).await.unwrap();
    assert!(context.meetings.is_empty(), "the meeting was recorded as a step, without minutes");
    let decision = ClosingDecision {
        reason: ClosingReason::ViolenceStopped,
        justification: None,
        occurred_at: Some(t("2026-03-05T09:00:00Z")),
        meeting: None,
    };
    let refused = h.store.close_procedure(&group, &decision, true, 3).await;
    assert_eq!(misdated(refused, "occurred_at").0, "err-occurred-before-event");
}

#[tokio::test]
async fn two_groups_appointed_in_2025_and_typed_in_2026_count_in_2025() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let mut ids = Vec::new();
    for (i, (wife, husband)) in [("8503120840", "8301050571"), ("9001010040", "8802020050")].into_iter().enumerate() {
        let mut answers = form_a(&pesel(wife), &pesel(husband)).to_answers();
        answers.insert("header.filled_at", format!("2025-12-1{i}T10:00"));
        let answers = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
        let FormAIntake::Opened { id, .. } =
            h.store.open_procedure_from_paper(&Caller::local(&team.chair), &answers, true).await.unwrap()
        else {
            panic!("opened")
        };
        ids.push(id);
    }
    for (i, id) in ids.iter().enumerate() {
        let chair = h.store.case_access(&Caller::local(&team.chair), *id).await.unwrap();
        let at = t(&format!("2025-12-1{}T12:00:00Z", i + 2));
        h.store.appoint_group_at(&chair, &members(&team), AppointmentBasis::TeamDecision, Some(at), 1).await.unwrap();
    }
    let groups = |values: &[store::programme::ComputedValue]| {
        values.iter().find(|v| v.key == ComputedKey::GroupsCreated).map_or(0, |v| v.total)
    };
    assert_eq!(groups(&h.store.computed_indicators(&team.chair, 2025, false).await.unwrap()), 2);
    assert_eq!(groups(&h.store.computed_indicators(&team.chair, 2026, false).await.unwrap()), 0);
}

#[tokio::test]
async fn a_case_closed_in_the_previous_year_and_still_monitored_can_be_entered() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("header.filled_at", "2025-10-01T10:00");
    let answers = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure_from_paper(&Caller::local(&team.chair), &answers, false).await.unwrap()
    else {
        panic!("opened")
    };
    let chair = h.store.case_access(&Caller::local(&team.chair), id).await.unwrap();
    h.store
        .appoint_group_at(&chair, &members(&team), AppointmentBasis::TeamDecision, Some(t("2025-10-02T08:00:00Z")), 1)
        .await
        .unwrap();
    h.store
        .apply_procedure_command_at(&chair, &Command::RecordGroupMeeting, Some(t("2025-10-08T08:00:00Z")), 2)
        .await
        .unwrap();
    let decision = ClosingDecision {
        reason: ClosingReason::ViolenceStopped,
        justification: Some("Przemoc ustała, plan zrealizowany.".to_owned()),
        occurred_at: Some(t("2025-12-15T10:00:00Z")),
        meeting: None,
    };
    let state = h.store.close_procedure(&chair, &decision, true, 3).await.unwrap();
    assert_eq!(state.closing().unwrap().monitoring_until().to_string(), "2026-09-15");
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.phase.as_str(), "closed");
    let monitoring = view.deadlines.iter().find(|d| d.rule_id == "act_post_closing_monitoring").unwrap();
    assert!(matches!(monitoring.state, DeadlineState::Pending { .. }), "{monitoring:?}");
    for (year, expected, why) in [(2025, (1, 1), "closed in 2025"), (2026, (0, 1), "monitored into 2026")] {
        let values = h.store.computed_indicators(&team.chair, year, false).await.unwrap();
        let c = values.iter().find(|v| v.key == ComputedKey::Closures).unwrap().total;
        let m = values.iter().find(|v| v.key == ComputedKey::PostClosingMonitoring).unwrap().total;
        assert_eq!((c, m), expected, "{why}");
    }
}

#[tokio::test]
async fn a_closing_keeps_its_record_and_the_chair_alone_undoes_it_within_one_working_day() {
    let h = Harness::new().await;
    let team = team(&h).await;
    let deputy = person(&h, team.chair.tenant_id.unwrap(), "zastepca", &[Role::DeputyChair]).await;
    let (id, chair, group) = running_case(&h, &team).await;
    // No grounds needs its justification in writing (art. 9b ust. 15).
    let mut decision =
        ClosingDecision { reason: ClosingReason::NoGrounds, justification: None, occurred_at: None, meeting: None };
    assert_eq!(
        field_error(h.store.close_procedure(&group, &decision, true, 3).await, "justification"),
        "err-closing-justification-required"
    );
    decision.justification = Some("Zdarzenie nie było przemocą domową: ustalenia z posiedzenia.".to_owned());
    // The warnings (nothing planned for the monitoring) are confirmed first.
    let context = h.store.closing_context(&group).await.unwrap();
    assert_eq!(context.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>(), ["no_monitoring_planned"]);
    assert_eq!(
        field_error(h.store.close_procedure(&group, &decision, false, 3).await, "confirm"),
        "err-closing-warnings-unconfirmed"
    );
    // A meeting that is not one of the case's held meetings.
    let stray = ClosingDecision { meeting: Some(Uuid::now_v7()), ..decision.clone() };
    assert_eq!(
        field_error(h.store.close_procedure(&group, &stray, true, 3).await, "meeting"),
        "err-closing-meeting-unknown"
    );
    // Friday 13 March 2026, 10:00.
    h.clock.advance(t("2026-03-13T09:00:00Z").duration_since(h.now()));
    h.store.close_procedure(&group, &decision, true, 3).await.unwrap();
    let records = h.store.closing_records(&chair).await.unwrap();
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record.reason, ClosingReason::NoGrounds);
    assert_eq!(record.justification, decision.justification);
    assert_eq!(record.warnings, ["no_monitoring_planned"]);
    assert!(record.undoable);
    // The justification is encrypted at rest.
    let plain = scalar(&h.store, "SELECT COUNT(*) FROM procedure_closing WHERE justification_enc IS NOT NULL").await;
    assert_eq!(plain, 1);
    assert!(!contains_bytes(&raw_closing(&h).await, "przemocą".as_bytes()));

    // Nobody but the chair undoes it; not without a reason.
    for who in [&group, &h.store.case_access(&Caller::local(&deputy), id).await.unwrap()] {
        assert_eq!(
            field_error(h.store.undo_closing(who, "Pomyłka", 4).await, "undo_reason"),
            "err-closing-undo-chair-only"
        );
    }
    assert_eq!(
        field_error(h.store.undo_closing(&chair, "  ", 4).await, "undo_reason"),
        "err-closing-undo-reason-required"
    );
    // Monday 16 March 23:00 Warsaw is still within the next working day.
    h.clock.advance(t("2026-03-16T22:00:00Z").duration_since(h.now()));
    let state = h.store.undo_closing(&chair, "Grupa nie podjęła jeszcze tej decyzji.", 4).await.unwrap();
    assert_eq!(state.phase().as_str(), "in_progress");
    let records = h.store.closing_records(&chair).await.unwrap();
    assert_eq!(records[0].undo_reason.as_deref(), Some("Grupa nie podjęła jeszcze tej decyzji."));
    assert_eq!(records[0].undone_by.as_deref(), Some("przewodniczaca"));
    assert!(!records[0].undoable);
    let undo_audit = all_audit_entries(&h.store)
        .await
        .into_iter()
        .filter(|e| e.object_kind == "procedure_closing" && e.detail.contains("undone"))
        .count();
    assert_eq!(undo_audit, 1);

    // Closed again, then too late to undo after the next working day.
    decision.occurred_at = None;
    h.store.close_procedure(&group, &decision, true, 5).await.unwrap();
    h.clock.advance(SignedDuration::from_hours(24 * 2));
    assert_eq!(
        field_error(h.store.undo_closing(&chair, "Pomyłka", 6).await, "undo_reason"),
        "err-closing-undo-too-late"
    );
    // The closing is only through its record: the bare command is refused with the route to use.
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.phase.as_str(), "closed");
    assert_eq!(
        h.store
            .procedure_view(&chair)
            .await
            .unwrap()
            .timeline
            .iter()
            .filter(|e| e.kind.as_str() == "procedure_closed")
            .count(),
        1,
        "the undone closing left the log"
    );
}

async fn raw_closing(h: &Harness) -> Vec<u8> {
    let mut all = Vec::new();
    for row in sqlx_rows(h).await {
        all.extend(row);
    }
    all
}

async fn sqlx_rows(h: &Harness) -> Vec<Vec<u8>> {
    match h.store.db() {
        store::Db::Sqlite(p, _) => {
            sqlx::query_scalar("SELECT justification_enc FROM procedure_closing").fetch_all(p).await.unwrap()
        }
        store::Db::Postgres(p) => {
            sqlx::query_scalar("SELECT justification_enc FROM procedure_closing").fetch_all(p).await.unwrap()
        }
    }
}
