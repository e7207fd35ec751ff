//! The safety clocks and whose turn it is (issue 15, items 2, 7 and 8): an unconfirmed reading is not a breach unless
//! the municipality says so; a police order lapses; the court hears of a child's placement within 24 hours; a firearm
//! on a further form A starts its notification; reminders reach the accounts whose turn it is, and nobody else.

use domain::forms::records::RecordKind;
use domain::forms::{FormKind, FormVersion, definition, validate};
use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::procedure::reminders::ClockSettings;
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::notify::NotificationKind;
use store::procedure::{AppointmentBasis, CaseHandle, DeadlineView, validate_record};
use uuid::Uuid;

use crate::procedure::{Team, form_a, open, pesel, team};
use crate::support::*;

fn record(kind: RecordKind, fields: &[(&str, &str)]) -> domain::forms::ValidatedAnswers {
    let answers: domain::forms::Answers = fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    validate_record(kind, &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

/// A Warsaw wall-clock time `hours` from now, as a form posts it.
fn local(h: &Harness, hours: i64) -> String {
    let at = h.now().checked_add(SignedDuration::from_hours(hours)).unwrap();
    at.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

async fn case_with_group(h: &Harness, t: &Team) -> (Uuid, CaseHandle) {
    let id = open(h, t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    (id, chair)
}

async fn deadline(h: &Harness, handle: &CaseHandle, rule: &str) -> Option<DeadlineView> {
    h.store.procedure_view(handle).await.unwrap().deadlines.into_iter().find(|d| d.rule_id == rule)
}

/// The rule ids of the deadline notifications an account has.
async fn notified_rules(h: &Harness, who: &store::identity::Principal) -> Vec<String> {
    h.store.notifications(who, 200).await.unwrap().into_iter().filter_map(|n| n.rule_id).collect()
}

#[tokio::test]
async fn an_unconfirmed_reading_is_not_a_breach_unless_the_municipality_counts_it() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    // The first meeting starts the notice to the absent suspected person: 3 working days, a [U] reading.
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 10));
    let notice = deadline(&h, &chair, "reg23_notify_absent_suspect").await.unwrap();
    assert!(matches!(notice.state, DeadlineState::Overdue { .. }), "{:?}", notice.state);
    assert!(notice.unconfirmed && !notice.is_breach() && !notice.is_overdue() && notice.is_past_due());
    let (from, to) = ("2026-01-01T00:00:00Z".parse().unwrap(), "2027-01-01T00:00:00Z".parse().unwrap());
    let report = h.store.timeliness(&Caller::local(&t.chair), from, to).await.unwrap();
    assert!(report.breaches.iter().all(|b| b.deadline.rule_id != "reg23_notify_absent_suspect"));
    assert_eq!(report.unconfirmed.len(), 1);
    assert_eq!(report.unconfirmed[0].deadline.rule_id, "reg23_notify_absent_suspect");
    assert!(report.rules.iter().find(|r| r.rule_id == "reg23_notify_absent_suspect").unwrap().unconfirmed);
    h.store.escalate_deadlines().await.unwrap();
    assert!(!notified_rules(&h, &t.chair).await.contains(&"reg23_notify_absent_suspect".to_owned()));
    assert!(!notified_rules(&h, &t.social_worker).await.contains(&"reg23_notify_absent_suspect".to_owned()));

    // Only the chair turns the setting on; a group member is not told the settings exist.
    let on = ClockSettings { escalate_unconfirmed: true, ..ClockSettings::default() };
    assert!(matches!(h.store.set_clock_settings(&Caller::local(&t.police), on).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.clock_settings(&t.police).await, Err(StoreError::NotFound)));
    let bad = ClockSettings { monitoring_check_months: 12, ..on };
    assert!(matches!(h.store.set_clock_settings(&Caller::local(&t.chair), bad).await, Err(StoreError::Invalid(_))));
    h.store.set_clock_settings(&Caller::new(&t.chair, Some(ADDRESS.into())), on).await.unwrap();
    assert_eq!(h.store.clock_settings(&t.chair).await.unwrap(), on);
    let audited = scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'tenant_clock_setting'").await;
    assert_eq!(audited, 1);

    let notice = deadline(&h, &chair, "reg23_notify_absent_suspect").await.unwrap();
    assert!(!notice.unconfirmed && notice.is_breach() && notice.is_overdue());
    let report = h.store.timeliness(&Caller::local(&t.chair), from, to).await.unwrap();
    assert!(report.breaches.iter().any(|b| b.deadline.rule_id == "reg23_notify_absent_suspect"));
    assert!(report.unconfirmed.is_empty());
    h.store.escalate_deadlines().await.unwrap();
    // Now escalated, to the chair and to the group whose step it is; not to the initiator or an outsider.
    for who in [&t.chair, &t.social_worker, &t.police] {
        assert!(notified_rules(&h, who).await.contains(&"reg23_notify_absent_suspect".to_owned()), "{}", who.login);
    }
    assert!(!notified_rules(&h, &t.initiator).await.contains(&"reg23_notify_absent_suspect".to_owned()));
    assert!(notified_rules(&h, &t.outsider).await.is_empty());
}

#[tokio::test]
async fn a_police_order_lapses_after_14_days_and_is_nobodys_breach() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let today = local(&h, 0)[..10].to_owned();
    let order = record(
        RecordKind::ProtectiveMeasure,
        &[("measure.kind", "police_leave_home_order"), ("measure.issued_on", &today)],
    );
    h.store.add_record(&chair, &order).await.unwrap();
    // A court's measure keeps no 14-day clock.
    let court = record(RecordKind::ProtectiveMeasure, &[("measure.kind", "court_bans"), ("measure.issued_on", &today)]);
    h.store.add_record(&chair, &court).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let lapses: Vec<_> = view.deadlines.iter().filter(|d| d.rule_id == "police_order_expiry").collect();
    assert_eq!(lapses.len(), 1, "one clock, for the police order only");
    assert!(matches!(lapses[0].state, DeadlineState::Pending { days_left: 14, .. }), "{:?}", lapses[0].state);
    h.advance(SignedDuration::from_hours(24 * 13));
    let soon = deadline(&h, &chair, "police_order_expiry").await.unwrap();
    assert!(matches!(soon.state, DeadlineState::DueSoon { .. }), "{:?}", soon.state);
    h.advance(SignedDuration::from_hours(24 * 3));
    let lapsed = deadline(&h, &chair, "police_order_expiry").await.unwrap();
    assert!(matches!(lapsed.state, DeadlineState::MetOnTime { .. }), "{:?}", lapsed.state);
    assert!(!lapsed.is_breach());
}

#[tokio::test]
async fn the_court_is_told_of_a_childs_placement_within_24_hours_or_it_is_a_breach_told_to_the_group() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let group = h.store.case_access(&Caller::local(&t.social_worker), chair.procedure_id).await.unwrap();
    let placed_at = local(&h, -2);
    let fields = |notified: Option<String>| -> domain::forms::ValidatedAnswers {
        let mut f: Vec<(&str, String)> = vec![
            ("placement.placed_at", placed_at.clone()),
            ("placement.placed_with", "foster_family".into()),
            ("placement.place", "Rodzina zastępcza w Jaśle".into()),
            ("placement.placed_by", "pracownik socjalny z funkcjonariuszem Policji i ratownikiem medycznym".into()),
            ("placement.child_sex", "girl".into()),
        ];
        if let Some(n) = notified {
            f.push(("placement.court_notified_at", n));
        }
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        record(RecordKind::ChildPlacement, &f)
    };
    let id = h.store.add_record(&group, &fields(None)).await.unwrap();
    let clock = deadline(&h, &group, "act_court_notice_after_child_placement").await.unwrap();
    assert!(matches!(clock.state, DeadlineState::DueSoon { .. }), "{:?}", clock.state);
    // The notice can be neither in the future nor before the placement, and is refused beside its field.
    let future = local(&h, 3);
    match h.store.update_record(&group, id, &fields(Some(future)), 1).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.for_field("placement.court_notified_at"), Some("err-date-in-future"))
        }
        other => panic!("{other:?}"),
    }
    let before = local(&h, -5);
    match h.store.update_record(&group, id, &fields(Some(before)), 1).await {
        Err(StoreError::Invalid(e)) => {
            assert_eq!(e.for_field("placement.court_notified_at"), Some("err-clock-done-before-start"))
        }
        other => panic!("{other:?}"),
    }
    let now = local(&h, 0);
    h.store.update_record(&group, id, &fields(Some(now)), 1).await.unwrap();
    let clock = deadline(&h, &group, "act_court_notice_after_child_placement").await.unwrap();
    assert!(matches!(clock.state, DeadlineState::MetOnTime { .. }), "{:?}", clock.state);

    // A second placement, never notified: a breach after 24 hours, escalated to the group and the chair only.
    h.store.add_record(&group, &fields(None)).await.unwrap();
    h.advance(SignedDuration::from_hours(30));
    let clocks: Vec<_> = h
        .store
        .procedure_view(&group)
        .await
        .unwrap()
        .deadlines
        .into_iter()
        .filter(|d| d.rule_id == "act_court_notice_after_child_placement")
        .collect();
    assert_eq!(clocks.len(), 2);
    assert_eq!(clocks.iter().filter(|d| d.is_breach()).count(), 1, "{clocks:?}");
    h.store.escalate_deadlines().await.unwrap();
    let rule = "act_court_notice_after_child_placement".to_owned();
    for who in [&t.chair, &t.social_worker, &t.police] {
        assert!(notified_rules(&h, who).await.contains(&rule), "{}", who.login);
    }
    assert!(!notified_rules(&h, &t.initiator).await.contains(&rule));
    assert!(notified_rules(&h, &t.outsider).await.is_empty());
    // The escort for belongings keeps its own 48-hour clock.
    let escort = record(RecordKind::EscortRequest, &[("escort.requested_at", &local(&h, -1))]);
    h.store.add_record(&group, &escort).await.unwrap();
    let clock = deadline(&h, &group, "act_belongings_escort").await.unwrap();
    assert!(matches!(clock.state, DeadlineState::Pending { .. } | DeadlineState::DueSoon { .. }), "{:?}", clock.state);
}

#[tokio::test]
async fn a_firearm_declared_on_a_further_form_a_starts_the_notification() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (id, chair) = case_with_group(&h, &t).await;
    assert!(deadline(&h, &chair, "act_firearm_notification").await.is_none(), "the opening form said no firearm");
    h.advance(SignedDuration::from_hours(24));
    let mut answers = form_a(&pesel("8503120840"), &pesel("8301050571")).to_answers();
    answers.insert("header.filled_at", local(&h, -1));
    answers.insert("firearm.has_firearm", "yes");
    answers.insert("firearm.details", "Strzelba myśliwska.");
    let further = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    h.store.attach_form_a(&Caller::local(&t.chair), id, &further).await.unwrap();
    let clock = deadline(&h, &chair, "act_firearm_notification").await.unwrap();
    assert!(matches!(clock.state, DeadlineState::DueSoon { .. }), "{:?}", clock.state);
    assert_eq!(clock.responsible, "police", "the Police opened this procedure, so they notify their own unit");
    // A second further form A with a firearm starts nothing new: one clock per procedure.
    h.advance(SignedDuration::from_hours(1));
    answers.insert("header.filled_at", local(&h, -1));
    let again = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap();
    let version = h.store.procedure_version(&chair).await.unwrap();
    h.store.add_form(&chair, &again, version).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    assert_eq!(view.deadlines.iter().filter(|d| d.rule_id == "act_firearm_notification").count(), 1);
}

#[tokio::test]
async fn a_monitored_case_reminds_its_group_to_check_at_the_teams_interval() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    crate::support::close_case(&h.store, &chair, ClosingReason::NoGrounds, 3).await.unwrap();
    let checks = |who: &store::identity::Principal| {
        let (store, who) = (h.store.clone(), who.clone());
        async move {
            store
                .notifications(&who, 200)
                .await
                .unwrap()
                .into_iter()
                .filter(|n| n.kind == NotificationKind::MonitoringCheckDue)
                .count()
        }
    };
    h.advance(SignedDuration::from_hours(24 * 60));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(checks(&t.social_worker).await, 0, "the first mark is three months after closing");
    h.advance(SignedDuration::from_hours(24 * 35));
    h.store.escalate_deadlines().await.unwrap();
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(checks(&t.social_worker).await, 1, "once, however often the job runs");
    assert_eq!(checks(&t.police).await, 1);
    assert_eq!(checks(&t.outsider).await, 0);
    assert_eq!(checks(&t.initiator).await, 0);
    // A check made; the team then asks for monthly checks: the next month's mark reminds again.
    let check = record(
        RecordKind::MonitoringCheck,
        &[
            ("check.on", &local(&h, 0)[..10]),
            ("check.how", "phone"),
            ("check.violence_recurred", "no"),
            ("check.findings", "Sytuacja stabilna."),
        ],
    );
    h.store.add_record(&chair, &check).await.unwrap();
    let monthly = ClockSettings { monitoring_check_months: 1, ..ClockSettings::default() };
    h.store.set_clock_settings(&Caller::local(&t.chair), monthly).await.unwrap();
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(checks(&t.social_worker).await, 1, "checked since the last mark");
    h.advance(SignedDuration::from_hours(24 * 31));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(checks(&t.social_worker).await, 1, "the check covers the month it fell in");
    h.advance(SignedDuration::from_hours(24 * 30));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(checks(&t.social_worker).await, 2);
}

#[tokio::test]
async fn a_plan_items_due_day_is_a_clock_that_reminds_the_group_and_stops_when_done() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let day = |hours: i64| local(&h, hours)[..10].to_owned();
    let (today, due) = (day(0), day(24 * 7));
    let item = |status: &str| plan_item("institution:health_care", &today, &due, status);
    let id = h.store.add_record(&chair, &item("planned")).await.unwrap();
    // An item without a due day keeps no clock.
    let undated = record(
        RecordKind::PlanItem,
        &[
            ("item.action", "Grupa wsparcia"),
            ("item.responsible", "institution:crisis_intervention_centre"),
            ("item.agreed_on", today.as_str()),
            ("item.status", "planned"),
        ],
    );
    h.store.add_record(&chair, &undated).await.unwrap();
    let view = h.store.procedure_view(&chair).await.unwrap();
    let clocks: Vec<_> = view.deadlines.iter().filter(|d| d.rule_id == "plan_item_due").collect();
    assert_eq!(clocks.len(), 1);
    assert!(matches!(clocks[0].state, DeadlineState::Pending { .. }), "{:?}", clocks[0].state);
    h.advance(SignedDuration::from_hours(24 * 7));
    let soon = deadline(&h, &chair, "plan_item_due").await.unwrap();
    assert!(matches!(soon.state, DeadlineState::DueSoon { days_left: 0, .. }), "{:?}", soon.state);
    h.store.escalate_deadlines().await.unwrap();
    let rule = "plan_item_due".to_owned();
    for who in [&t.chair, &t.social_worker, &t.police] {
        assert!(notified_rules(&h, who).await.contains(&rule), "{}", who.login);
    }
    assert!(!notified_rules(&h, &t.initiator).await.contains(&rule));
    // Done two days late: met late, and later reviews keep the moment it was first marked done.
    h.advance(SignedDuration::from_hours(24 * 2));
    h.store.update_record(&chair, id, &item("done"), 1).await.unwrap();
    let done = deadline(&h, &chair, "plan_item_due").await.unwrap();
    assert!(matches!(done.state, DeadlineState::MetLate { by_days: 2, .. }), "{:?}", done.state);
    h.advance(SignedDuration::from_hours(24 * 5));
    h.store.update_record(&chair, id, &item("done"), 2).await.unwrap();
    let still = deadline(&h, &chair, "plan_item_due").await.unwrap();
    assert!(matches!(still.state, DeadlineState::MetLate { by_days: 2, .. }), "{:?}", still.state);
}

/// The home page keeps the municipality's running cases between looks (`Store::running_cases`): a record's clock
/// added, then marked done, shows on the very next look, exactly as on the case's page.
#[tokio::test]
async fn the_home_pages_kept_cases_follow_a_records_clock_at_once() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let home = |h: &Harness, t: &Team| {
        let (store, who) = (h.store.clone(), t.social_worker.clone());
        async move {
            let cases = store.running_cases(&who).await.unwrap();
            assert_eq!(cases.len(), 1);
            cases[0].deadlines.iter().filter(|d| d.rule_id == "plan_item_due").map(|d| d.state).collect::<Vec<_>>()
        }
    };
    assert!(home(&h, &t).await.is_empty(), "no plan yet");
    let day = |hours: i64| local(&h, hours)[..10].to_owned();
    let (today, due) = (day(0), day(24 * 7));
    let item = |status: &str| plan_item("institution:health_care", &today, &due, status);
    let id = h.store.add_record(&chair, &item("planned")).await.unwrap();
    let added = home(&h, &t).await;
    assert_eq!(added, vec![deadline(&h, &chair, "plan_item_due").await.unwrap().state]);
    assert!(matches!(added[0], DeadlineState::Pending { .. }), "{added:?}");
    h.store.update_record(&chair, id, &item("done"), 1).await.unwrap();
    let done = home(&h, &t).await;
    assert!(matches!(done[..], [DeadlineState::MetOnTime { .. }]), "{done:?}");
    // The municipality counting unconfirmed readings as binding changes the home page at once too: the notice to
    // the absent suspected person is a [U] reading.
    h.store.apply_procedure_command(&chair, &Command::RecordGroupMeeting, 2).await.unwrap();
    let notice = |cases: Vec<store::procedure::DashboardCase>| {
        cases[0].deadlines.iter().find(|d| d.rule_id == "reg23_notify_absent_suspect").map(|d| d.unconfirmed)
    };
    assert_eq!(notice(h.store.running_cases(&t.chair).await.unwrap()), Some(true));
    let on = ClockSettings { escalate_unconfirmed: true, ..ClockSettings::default() };
    h.store.set_clock_settings(&Caller::local(&t.chair), on).await.unwrap();
    assert_eq!(notice(h.store.running_cases(&t.chair).await.unwrap()), Some(false));
}

/// A plan item owned by `owner` (`member:<uuid>`, `institution:<code>` or text), due on `due`.
fn owned_item(owner: &str, today: &str, due: &str) -> domain::forms::ValidatedAnswers {
    plan_item(owner, today, due, "planned")
}

/// A plan item owned by `owner`, agreed `today`, due on `due`, in `status`.
fn plan_item(owner: &str, today: &str, due: &str, status: &str) -> domain::forms::ValidatedAnswers {
    record(
        RecordKind::PlanItem,
        &[
            ("item.action", "Konsultacja psychologiczna"),
            ("item.responsible", owner),
            ("item.agreed_on", today),
            ("item.due_on", due),
            ("item.status", status),
        ],
    )
}

/// The owner columns of a record, as kept in clear.
async fn owner_columns(h: &Harness, id: Uuid) -> (Option<String>, Option<Uuid>, Option<String>) {
    let sql = "SELECT owner_kind, owner_account_id, owner_institution FROM case_record WHERE id = $1";
    match h.store.db() {
        store::Db::Sqlite(p, _) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
        store::Db::Postgres(p) => sqlx::query_as(sql).bind(id).fetch_one(p).await.unwrap(),
    }
}

#[tokio::test]
async fn a_plan_items_owner_is_a_current_member_or_an_institution_kept_in_clear() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let day = |hours: i64| local(&h, hours)[..10].to_owned();
    let (today, due) = (day(0), day(24 * 7));
    let member = format!("member:{}", t.police.account_id);
    let by_member = h.store.add_record(&chair, &owned_item(&member, &today, &due)).await.unwrap();
    assert_eq!(owner_columns(&h, by_member).await, (Some("member".into()), Some(t.police.account_id), None));
    let by_police = h.store.add_record(&chair, &owned_item("institution:police", &today, &due)).await.unwrap();
    assert_eq!(owner_columns(&h, by_police).await, (Some("institution".into()), None, Some("police".into())));
    // Someone outside the case's group, and free text that says nobody in particular, are refused beside the field.
    let outsider = format!("member:{}", t.outsider.account_id);
    let refused = h.store.add_record(&chair, &owned_item(&outsider, &today, &due)).await;
    assert_eq!(field_error(refused, "item.responsible"), "err-owner-not-member");
    let typed = h.store.add_record(&chair, &owned_item("Poradnia rodzinna", &today, &due)).await;
    assert_eq!(field_error(typed, "item.responsible"), "err-owner-choose");
    // A review may hand the item to an institution; the columns follow.
    h.store.update_record(&chair, by_member, &owned_item("institution:education", &today, &due), 1).await.unwrap();
    assert_eq!(owner_columns(&h, by_member).await, (Some("institution".into()), None, Some("education".into())));
    // A member who left is no longer a possible owner.
    let version = h.store.procedure_version(&chair).await.unwrap();
    h.store.replace_group_member(&chair, t.police.account_id, t.outsider.account_id, None, version).await.unwrap();
    let left = h.store.add_record(&chair, &owned_item(&member, &today, &due)).await;
    assert_eq!(field_error(left, "item.responsible"), "err-owner-not-member");
    h.store.add_record(&chair, &owned_item(&outsider, &today, &due)).await.unwrap();
}

#[tokio::test]
async fn a_plan_items_due_day_reminds_its_owner_and_not_an_unrelated_member() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (_, chair) = case_with_group(&h, &t).await;
    let day = |hours: i64| local(&h, hours)[..10].to_owned();
    let today = day(0);
    let rule = "plan_item_due".to_owned();
    // Day 7: the police officer's own item. Day 14: an item of social welfare, whose member in the group is the
    // social worker (by capacity: the register names no institution here). Day 21: the police officer's, who leaves
    // the group before it.
    let police = format!("member:{}", t.police.account_id);
    h.store.add_record(&chair, &owned_item(&police, &today, &day(24 * 7))).await.unwrap();
    h.store.add_record(&chair, &owned_item("institution:social_welfare", &today, &day(24 * 14))).await.unwrap();
    h.store.add_record(&chair, &owned_item(&police, &today, &day(24 * 21))).await.unwrap();
    // The reminders before the day (an item once overdue is told again, to the same people).
    let count = |v: Vec<store::notify::NotificationView>| {
        v.iter()
            .filter(|n| n.kind == NotificationKind::DeadlineDueSoon && n.rule_id.as_deref() == Some("plan_item_due"))
            .count()
    };

    h.advance(SignedDuration::from_hours(24 * 7));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(count(h.store.notifications(&t.police, 200).await.unwrap()), 1, "the owner is reminded");
    assert_eq!(count(h.store.notifications(&t.chair, 200).await.unwrap()), 1, "the chair as always");
    assert_eq!(
        count(h.store.notifications(&t.social_worker, 200).await.unwrap()),
        0,
        "not a member who does not own it"
    );

    h.advance(SignedDuration::from_hours(24 * 7));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(
        count(h.store.notifications(&t.social_worker, 200).await.unwrap()),
        1,
        "the member from the owning institution"
    );
    assert_eq!(
        count(h.store.notifications(&t.police, 200).await.unwrap()),
        1,
        "not the police for social welfare's item"
    );

    // The police officer leaves; their item's reminder goes to the group as it is now, never to them.
    let version = h.store.procedure_version(&chair).await.unwrap();
    h.store.replace_group_member(&chair, t.police.account_id, t.outsider.account_id, None, version).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 7));
    h.store.escalate_deadlines().await.unwrap();
    assert_eq!(
        count(h.store.notifications(&t.police, 200).await.unwrap()),
        1,
        "a member who left is reminded of nothing more"
    );
    assert!(count(h.store.notifications(&t.outsider, 200).await.unwrap()) >= 1, "the group now hears of the item");
    assert!(!notified_rules(&h, &t.initiator).await.contains(&rule));
}
