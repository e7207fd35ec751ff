//! Programme referrals: the steps through the procedure's command path, who may record which, the clocks among the
//! procedure's deadlines, need-to-know and the version check.

use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use domain::procedure::referral::{ProgrammeKind, ReferralStep, StepKind, SuspectedPersonRef};
use jiff::SignedDuration;
use jiff::civil::Date;
use store::Caller;
use store::StoreError;
use store::procedure::CaseHandle;
use uuid::Uuid;

use crate::procedure::{Team, open, team};
use crate::support::*;

/// A case whose group has met (so a referral can be requested), with the chair's and the social worker's handles.
async fn running_case(h: &Harness, t: &Team) -> (CaseHandle, CaseHandle) {
    let id = open(h, t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    (chair, group)
}

async fn version(h: &Harness, handle: &CaseHandle) -> i64 {
    h.store.procedure_version(handle).await.unwrap()
}

async fn step(h: &Harness, handle: &CaseHandle, referral: Uuid, step: ReferralStep) -> Result<(), StoreError> {
    let v = version(h, handle).await;
    h.store.referral_step(handle, referral, &step, v).await.map(|_| ())
}

fn today(h: &Harness) -> Date {
    domain::calendar::warsaw_date(h.now()).unwrap()
}

async fn request(h: &Harness, group: &CaseHandle) -> Uuid {
    let view = h.store.referrals_view(group).await.unwrap();
    assert!(view.can_request);
    let person = view.suspected_persons[0].person;
    let id = Uuid::now_v7();
    step(h, group, id, ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person })
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn the_group_asks_the_team_refers_and_the_certificate_meets_the_registration_clock() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, group) = running_case(&h, &t).await;
    let view = h.store.referrals_view(&group).await.unwrap();
    assert_eq!(view.suspected_persons.len(), 1);
    assert_eq!(view.suspected_persons[0].name, "Jan Kowalski");
    let id = request(&h, &group).await;

    let provider = ReferralStep::Refer { provider: "Powiatowe Centrum Pomocy Rodzinie".into() };
    let refused = step(&h, &group, id, provider.clone()).await;
    assert_eq!(field_error(refused, "step"), "err-referral-team-only", "the group asks, the team refers");
    step(&h, &chair, id, provider).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 3));
    let delivered = today(&h).checked_sub(jiff::Span::new().days(1)).unwrap();
    step(&h, &group, id, ReferralStep::Deliver { on: delivered }).await.unwrap();
    h.advance(SignedDuration::from_hours(24 * 10));
    step(&h, &group, id, ReferralStep::RegistrationCertificate { on: today(&h) }).await.unwrap();

    let view = h.store.referrals_view(&group).await.unwrap();
    let referral = &view.referrals[0];
    assert_eq!(referral.referral.delivered_on(), Some(delivered));
    assert!(referral.referral.has_started());
    let registration = referral.deadlines.iter().find(|d| d.rule_id == "act_programme_registration").unwrap();
    assert!(matches!(registration.state, DeadlineState::MetOnTime { .. }), "{registration:?}");
    assert_eq!(registration.legal_basis, "art. 9b ust. 11 pkt 3 ustawy o przeciwdziałaniu przemocy domowej");
    // The group records the programme's end; the team's own steps are not offered to it.
    assert!(referral.possible.iter().all(|s| !s.team_only()), "{:?}", referral.possible);

    // The clocks are among the procedure's deadlines too, and the steps are in the timeline.
    let page = h.store.procedure_view(&chair).await.unwrap();
    assert!(page.deadlines.iter().any(|d| d.rule_id == "act_registration_certificate_missing"), "{:?}", page.deadlines);
    let kinds: Vec<&str> = page.timeline.iter().map(|e| e.kind.as_str()).collect();
    assert!(kinds.contains(&"referral_requested") && kinds.contains(&"referral_step_recorded"), "{kinds:?}");
    let updates = audit_entries(&h.store, "update").await;
    // A step dated before its entry says so in the audit trail ("referral; occurred at ...").
    assert!(updates.iter().filter(|e| e.detail.starts_with("referral")).count() >= 4);
}

#[tokio::test]
async fn refused_steps_name_their_field_and_change_nothing() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, group) = running_case(&h, &t).await;
    let id = request(&h, &group).await;
    step(&h, &chair, id, ReferralStep::Refer { provider: "PCPR".into() }).await.unwrap();
    let before = version(&h, &group).await;

    let tomorrow = today(&h).checked_add(jiff::Span::new().days(1)).unwrap();
    assert_eq!(
        field_error(step(&h, &group, id, ReferralStep::Deliver { on: tomorrow }).await, "on"),
        "err-referral-date-in-future"
    );
    let unknown_referral = step(&h, &chair, Uuid::now_v7(), ReferralStep::Refer { provider: " ".into() }).await;
    assert_eq!(field_error(unknown_referral, "step"), "err-referral-unknown");
    assert_eq!(
        field_error(step(&h, &group, id, ReferralStep::ProgrammeEnded { on: today(&h) }).await, "step"),
        "err-referral-end-before-registration"
    );
    let stranger = SuspectedPersonRef { form_id: Uuid::now_v7(), index: 0 };
    let unknown = step(
        &h,
        &group,
        Uuid::now_v7(),
        ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person: stranger },
    )
    .await;
    assert_eq!(field_error(unknown, "person"), "err-referral-person-unknown");
    assert_eq!(version(&h, &group).await, before, "a refused step changes nothing");
}

#[tokio::test]
async fn an_initiator_or_a_stranger_reaches_no_referral_and_a_stale_version_is_a_conflict() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, group) = running_case(&h, &t).await;
    let id = request(&h, &group).await;
    let initiator = h.store.case_access(&Caller::local(&t.initiator), chair.procedure_id).await.unwrap();
    assert!(matches!(h.store.referrals_view(&initiator).await, Err(StoreError::NotFound)));
    let refer = ReferralStep::Refer { provider: "PCPR".into() };
    assert!(matches!(step(&h, &initiator, id, refer.clone()).await, Err(StoreError::NotFound)));
    assert!(matches!(
        h.store.case_access(&Caller::local(&t.outsider), chair.procedure_id).await,
        Err(StoreError::NotFound)
    ));

    let stale = version(&h, &chair).await - 1;
    let result = h.store.referral_step(&chair, id, &refer, stale).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
}

/// The field error's message id and arguments.
fn refusal<T: std::fmt::Debug>(
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

async fn step_at(
    h: &Harness,
    handle: &CaseHandle,
    referral: Uuid,
    step: ReferralStep,
    at: Option<jiff::Timestamp>,
) -> Result<(), StoreError> {
    let v = version(h, handle).await;
    h.store.referral_step_at(handle, referral, &step, at, v).await.map(|_| ())
}

fn days(date: Date, n: i64) -> Date {
    date.checked_add(jiff::Span::new().days(n)).unwrap()
}

#[tokio::test]
async fn a_referral_typed_in_weeks_later_takes_its_real_dates_and_its_clocks_and_timeline_follow_them() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, group) = running_case(&h, &t).await;
    let id = request(&h, &group).await;
    let requested_at = h.now();
    let requested_on = today(&h);
    h.advance(SignedDuration::from_hours(24 * 20));

    // The team referred two hours after the request; the referral reached the person the next day.
    let referred_at = requested_at + SignedDuration::from_hours(2);
    let refer = ReferralStep::Refer { provider: "PCPR".into() };
    step_at(&h, &chair, id, refer, Some(referred_at)).await.unwrap();
    let delivered = days(requested_on, 1);
    step_at(&h, &group, id, ReferralStep::Deliver { on: delivered }, None).await.unwrap();

    let view = h.store.referrals_view(&group).await.unwrap();
    let r = &view.referrals[0];
    assert_eq!(r.referral.referred().unwrap().at, referred_at, "the referral keeps its real moment");
    assert_eq!(r.referral.delivered_on(), Some(delivered));
    // The 30-day registration term runs from the delivery, not from its typing: 19 days of it are gone.
    let registration = r.deadlines.iter().find(|d| d.rule_id == "act_programme_registration").unwrap();
    let ends = r.referral.registration_term_ends().unwrap();
    assert!(ends < days(today(&h), 12), "{ends} from {delivered}");
    match registration.state {
        DeadlineState::Pending { due, .. } | DeadlineState::DueSoon { due, .. } => {
            assert_eq!(due, domain::procedure::deadlines::Due::EndOfDay(ends));
        }
        other => panic!("the term still runs: {other:?}"),
    }
    // On the timeline at their own moments, marked as entered later.
    let page = h.store.procedure_view(&chair).await.unwrap();
    let steps: Vec<_> = page.timeline.iter().filter(|e| e.kind.as_str() == "referral_step_recorded").collect();
    assert_eq!(steps.len(), 2, "{:?}", page.timeline);
    assert_eq!(steps[0].at, referred_at);
    assert_eq!(domain::calendar::warsaw_date(steps[1].at).unwrap(), delivered);
    assert!(steps.iter().all(|e| e.entered_late), "{steps:?}");
    // The referrals page marks the same steps; the request, typed in at once, is not.
    let view = h.store.referrals_view(&group).await.unwrap();
    let late: Vec<StepKind> = view.referrals[0].entered_late.iter().map(|(k, _)| *k).collect();
    assert_eq!(late, vec![StepKind::Refer, StepKind::Deliver]);
    assert!(view.referrals[0].entered_late.iter().all(|(_, typed)| *typed == h.now()));
}

#[tokio::test]
async fn a_referral_step_in_the_future_or_before_the_step_it_follows_is_refused_naming_that_step() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, group) = running_case(&h, &t).await;
    let id = request(&h, &group).await;
    let requested_at = h.now();
    h.advance(SignedDuration::from_hours(24 * 3));
    let before = version(&h, &group).await;

    let refer = || ReferralStep::Refer { provider: "PCPR".into() };
    let future = step_at(&h, &chair, id, refer(), Some(h.now() + SignedDuration::from_mins(5))).await;
    assert_eq!(refusal(future, "occurred_at").0, "err-date-in-future");
    let early = step_at(&h, &chair, id, refer(), Some(requested_at - SignedDuration::from_mins(30))).await;
    let (code, args) = refusal(early, "occurred_at");
    assert_eq!(code, "err-occurred-before-event");
    assert_eq!(args[0], ("event", "referral_requested".to_owned()), "the request is named");
    assert_eq!(version(&h, &group).await, before, "a refused step changes nothing");

    let referred_at = requested_at + SignedDuration::from_hours(24);
    step_at(&h, &chair, id, refer(), Some(referred_at)).await.unwrap();
    let referred_on = domain::calendar::warsaw_date(referred_at).unwrap();
    let (code, args) = refusal(step(&h, &group, id, ReferralStep::Deliver { on: days(referred_on, -1) }).await, "on");
    assert_eq!(code, "err-referral-date-before-step");
    assert_eq!(
        args,
        vec![("referral_step", "refer".to_owned()), ("date", referred_on.strftime("%-d.%m.%Y").to_string())]
    );
    let tomorrow = days(today(&h), 1);
    assert_eq!(
        refusal(step(&h, &group, id, ReferralStep::Deliver { on: tomorrow }).await, "on").0,
        "err-referral-date-in-future"
    );
    step(&h, &group, id, ReferralStep::Deliver { on: referred_on }).await.unwrap();
    let (code, args) =
        refusal(step(&h, &group, id, ReferralStep::RegistrationCertificate { on: days(referred_on, -1) }).await, "on");
    assert_eq!((code, args[0].1.as_str()), ("err-referral-date-before-step", "deliver"));
}
