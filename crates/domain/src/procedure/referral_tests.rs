use super::*;
use crate::procedure::deadlines::{DEFAULT_DUE_SOON_WORKING_DAYS, DeadlineState, evaluate};
use std::collections::HashSet;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

const ID: Uuid = Uuid::from_u128(7);

fn person() -> SuspectedPersonRef {
    SuspectedPersonRef { form_id: Uuid::from_u128(1), index: 0 }
}

fn request() -> ReferralStep {
    ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person: person() }
}

/// The team's referral is made an hour after the group's request of 2 March 2026.
const REFERRED_AT: &str = "2026-03-02T10:00:00Z";

/// Applies steps that must all be accepted to a referral requested on 2 March 2026; the referral at
/// [`REFERRED_AT`], each later step at `at`.
fn run(steps: &[ReferralStep], at: &str) -> Referral {
    let mut r = apply_step(&[], ID, &request(), t("2026-03-02T09:00:00Z"), true).unwrap();
    for step in steps {
        let at = if matches!(step, ReferralStep::Refer { .. }) { REFERRED_AT } else { at };
        r = apply_step(std::slice::from_ref(&r), ID, step, t(at), true).unwrap();
    }
    r
}

fn refused(r: &Referral, step: ReferralStep, at: &str) -> &'static str {
    apply_step(std::slice::from_ref(r), ID, &step, t(at), true).unwrap_err().code()
}

fn refer() -> ReferralStep {
    ReferralStep::Refer { provider: "Powiatowe Centrum Pomocy Rodzinie w Lublińcu".into() }
}

fn delivered() -> Referral {
    run(&[refer(), ReferralStep::Deliver { on: d("2026-03-05") }], "2026-03-10T10:00:00Z")
}

#[test]
fn a_referral_walks_from_the_request_to_the_completion_certificate() {
    let r = run(
        &[
            refer(),
            ReferralStep::Deliver { on: d("2026-03-05") },
            ReferralStep::RegistrationCertificate { on: d("2026-03-20") },
            ReferralStep::ProgrammeEnded { on: d("2026-06-30") },
            ReferralStep::CompletionCertificate { on: d("2026-07-03") },
        ],
        "2026-07-10T10:00:00Z",
    );
    assert!(r.is_referred() && r.has_started() && r.has_completed() && !r.has_evaded());
    assert_eq!(r.referred().unwrap().provider, "Powiatowe Centrum Pomocy Rodzinie w Lublińcu");
    assert!(r.possible_steps().is_empty());
}

#[test]
fn delivery_may_be_earlier_than_its_recording_but_not_before_the_referral_nor_in_the_future() {
    let r = run(&[refer()], "2026-03-10T10:00:00Z");
    assert_eq!(
        refused(&r, ReferralStep::Deliver { on: d("2026-03-01") }, "2026-03-10T10:00:00Z"),
        "err-referral-date-before-previous-step"
    );
    assert_eq!(r.preceding(StepKind::Deliver), Some((StepKind::Refer, d("2026-03-02"))));
    assert_eq!(
        refused(&r, ReferralStep::Deliver { on: d("2026-03-11") }, "2026-03-10T10:00:00Z"),
        "err-referral-date-in-future"
    );
    // 10 March, 23:30 in Warsaw is still 10 March there, though it is the 10th in UTC too; 11 March 00:30 Warsaw is
    // the 10th in UTC and the 11th is then today.
    assert!(
        apply_step(
            std::slice::from_ref(&r),
            ID,
            &ReferralStep::Deliver { on: d("2026-03-11") },
            t("2026-03-10T23:30:00Z"),
            true
        )
        .is_ok()
    );
    assert_eq!(delivered().delivered_on(), Some(d("2026-03-05")));
}

#[test]
fn steps_out_of_order_are_refused_each_with_its_id() {
    let requested = run(&[], "2026-03-10T10:00:00Z");
    let later = "2026-09-10T10:00:00Z";
    let on = d("2026-09-01");
    assert_eq!(refused(&requested, ReferralStep::Deliver { on }, later), "err-referral-delivery-before-referral");
    assert_eq!(
        refused(&requested, ReferralStep::RegistrationCertificate { on }, later),
        "err-referral-certificate-before-delivery"
    );
    assert_eq!(refused(&requested, ReferralStep::ProgrammeEnded { on }, later), "err-referral-end-before-registration");
    let r = delivered();
    assert_eq!(refused(&r, ReferralStep::CompletionCertificate { on }, later), "err-referral-completion-before-end");
    assert_eq!(refused(&r, ReferralStep::FileOffenceNotification { on }, later), "err-referral-filing-without-request");
    assert_eq!(refused(&r, ReferralStep::AskStarosta { on }, later), "err-referral-starosta-before-request");
    assert_eq!(refused(&r, ReferralStep::InformCommander { on }, later), "err-referral-commander-before-filing");
    assert_eq!(
        refused(&r, ReferralStep::Penalty { penalty: Penalty::Fine, on }, later),
        "err-referral-penalty-before-filing"
    );
    assert_eq!(refused(&r, refer(), later), "err-referral-already-referred");
    assert_eq!(refused(&r, ReferralStep::Deliver { on }, later), "err-referral-already-delivered");
    assert_eq!(
        refused(&r, ReferralStep::RegistrationCertificate { on: d("2026-03-04") }, later),
        "err-referral-date-before-previous-step"
    );
}

#[test]
fn the_provider_is_required_and_bounded() {
    let r = run(&[], "2026-03-10T10:00:00Z");
    let at = "2026-03-10T10:00:00Z";
    assert_eq!(refused(&r, ReferralStep::Refer { provider: "  ".into() }, at), "err-referral-provider-required");
    let long = "x".repeat(PROVIDER_MAX + 1);
    assert_eq!(refused(&r, ReferralStep::Refer { provider: long }, at), "err-referral-provider-too-long");
}

#[test]
fn a_request_needs_a_new_id_and_a_running_procedure() {
    let r = run(&[], "2026-03-10T10:00:00Z");
    assert_eq!(refused(&r, request(), "2026-03-10T10:00:00Z"), "err-referral-already-exists");
    let err = apply_step(&[], ID, &request(), t("2026-03-10T10:00:00Z"), false).unwrap_err();
    assert_eq!(err.code(), "err-referral-request-not-in-progress");
    let err = apply_step(&[], ID, &refer(), t("2026-03-10T10:00:00Z"), true).unwrap_err();
    assert_eq!(err.code(), "err-referral-unknown");
}

#[test]
fn the_calls_come_after_the_thirty_days_and_there_are_two() {
    let r = delivered();
    // Delivered 5 March: the 30 days end on 4 April 2026, a Saturday, so the term runs to Tuesday 7 April (6 April is
    // Easter Monday).
    assert_eq!(r.registration_term_ends(), Some(d("2026-04-07")));
    let at = "2026-06-10T10:00:00Z";
    assert_eq!(
        refused(&r, ReferralStep::CertificateCall { on: d("2026-04-07") }, at),
        "err-referral-call-before-registration-term"
    );
    let r = apply_step(&[r], ID, &ReferralStep::CertificateCall { on: d("2026-04-08") }, t(at), true).unwrap();
    let r = apply_step(&[r], ID, &ReferralStep::CertificateCall { on: d("2026-05-05") }, t(at), true).unwrap();
    assert_eq!(r.calls(), &[d("2026-04-08"), d("2026-05-05")]);
    assert_eq!(refused(&r, ReferralStep::CertificateCall { on: d("2026-05-06") }, at), "err-referral-third-call");
    let registered =
        apply_step(&[r], ID, &ReferralStep::RegistrationCertificate { on: d("2026-05-07") }, t(at), true).unwrap();
    assert_eq!(
        refused(&registered, ReferralStep::CertificateCall { on: d("2026-05-08") }, at),
        "err-referral-call-after-certificate"
    );
}

#[test]
fn the_offence_notification_is_asked_for_only_after_a_missed_term() {
    let r = delivered();
    // 90 days from 5 March 2026 is 3 June 2026, a Wednesday.
    let at = "2026-07-01T10:00:00Z";
    assert_eq!(
        refused(&r, ReferralStep::RequestOffenceNotification { on: d("2026-06-03") }, at),
        "err-referral-notification-not-due"
    );
    let r =
        apply_step(&[r], ID, &ReferralStep::RequestOffenceNotification { on: d("2026-06-04") }, t(at), true).unwrap();
    assert!(r.has_evaded());
    assert_eq!(
        refused(&r, ReferralStep::RequestOffenceNotification { on: d("2026-06-05") }, at),
        "err-referral-notification-already-requested"
    );
    let steps = [
        ReferralStep::AskStarosta { on: d("2026-06-05") },
        ReferralStep::FileOffenceNotification { on: d("2026-06-10") },
        ReferralStep::InformCommander { on: d("2026-06-11") },
        ReferralStep::Penalty { penalty: Penalty::RestrictionOfLiberty, on: d("2026-06-30") },
    ];
    let mut r = r;
    for step in &steps {
        r = apply_step(&[r], ID, step, t(at), true).unwrap();
    }
    assert_eq!(r.penalty(), Some((Penalty::RestrictionOfLiberty, d("2026-06-30"))));
    assert_eq!(
        refused(&r, ReferralStep::AskStarosta { on: d("2026-06-30") }, at),
        "err-referral-starosta-after-filing"
    );
    assert_eq!(
        refused(&r, ReferralStep::Penalty { penalty: Penalty::Fine, on: d("2026-06-30") }, at),
        "err-referral-penalty-already-recorded"
    );
}

#[test]
fn a_missing_completion_certificate_is_due_thirty_days_after_the_end() {
    let r = run(
        &[
            refer(),
            ReferralStep::Deliver { on: d("2026-03-05") },
            ReferralStep::RegistrationCertificate { on: d("2026-03-20") },
            ReferralStep::ProgrammeEnded { on: d("2026-06-30") },
        ],
        "2026-09-01T10:00:00Z",
    );
    assert_eq!(r.notification_due_on(d("2026-07-30")), Ok(false));
    assert_eq!(r.notification_due_on(d("2026-07-31")), Ok(true));
}

fn state_of(clocks: &[Clock], kind: DeadlineKind, now: &str) -> DeadlineState {
    let (_, start, done) = clocks.iter().find(|c| c.0 == kind).unwrap();
    let rule = rule_for(kind, Regime::Reg2023).unwrap();
    evaluate(rule, *start, *done, t(now), DEFAULT_DUE_SOON_WORKING_DAYS).unwrap()
}

#[test]
fn the_clocks_start_at_delivery_and_the_calls_at_the_end_of_the_registration_term() {
    assert!(run(&[refer()], "2026-03-10T10:00:00Z").clocks().unwrap().is_empty());
    let clocks = delivered().clocks().unwrap();
    let kinds: Vec<_> = clocks.iter().map(|c| c.0).collect();
    assert_eq!(
        kinds,
        [
            DeadlineKind::ProgrammeRegistration,
            DeadlineKind::CertificateFirstCall,
            DeadlineKind::RegistrationCertificateMissing
        ]
    );
    let now = "2026-04-20T10:00:00Z";
    assert!(matches!(state_of(&clocks, DeadlineKind::ProgrammeRegistration, now), DeadlineState::Overdue { .. }));
    // The first call is due 30 days after 7 April: 7 May 2026.
    match state_of(&clocks, DeadlineKind::CertificateFirstCall, now) {
        DeadlineState::Pending { due, .. } => assert_eq!(due, Due::EndOfDay(d("2026-05-07"))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_certificate_within_the_thirty_days_leaves_no_call_to_make() {
    let r = run(
        &[
            refer(),
            ReferralStep::Deliver { on: d("2026-03-05") },
            ReferralStep::RegistrationCertificate { on: d("2026-03-20") },
        ],
        "2026-03-25T10:00:00Z",
    );
    let clocks = r.clocks().unwrap();
    assert!(clocks.iter().all(|c| c.2.is_some()), "every clock met: {clocks:?}");
    assert!(!clocks.iter().any(|c| c.0 == DeadlineKind::CertificateFirstCall));
}

#[test]
fn the_request_for_the_notification_closes_the_missed_certificate_clock() {
    let r = apply_step(
        &[delivered()],
        ID,
        &ReferralStep::RequestOffenceNotification { on: d("2026-06-04") },
        t("2026-07-01T10:00:00Z"),
        true,
    )
    .unwrap();
    let clocks = r.clocks().unwrap();
    assert!(matches!(
        state_of(&clocks, DeadlineKind::RegistrationCertificateMissing, "2026-07-01T10:00:00Z"),
        DeadlineState::MetLate { by_days: 1, .. }
    ));
}

#[test]
fn a_late_certificate_entered_after_a_call_it_predates_leaves_no_second_call_and_no_clock_runs_backwards() {
    let at = "2026-07-20T10:00:00Z";
    let mut r = delivered();
    for step in [
        ReferralStep::CertificateCall { on: d("2026-06-08") },
        ReferralStep::RegistrationCertificate { on: d("2026-06-07") },
        ReferralStep::ProgrammeEnded { on: d("2026-07-12") },
    ] {
        r = apply_step(&[r], ID, &step, t(at), true).unwrap();
    }
    let clocks = r.clocks().unwrap();
    assert!(!clocks.iter().any(|c| c.0 == DeadlineKind::CertificateSecondCall), "{clocks:?}");
    assert!(clocks.iter().all(|(_, start, done)| done.is_none_or(|d| d >= *start)), "{clocks:?}");
}

#[test]
fn a_request_about_the_registration_does_not_meet_the_completion_clock() {
    let at = "2026-08-20T10:00:00Z";
    let mut r = delivered();
    for step in [
        ReferralStep::RequestOffenceNotification { on: d("2026-06-11") },
        ReferralStep::RegistrationCertificate { on: d("2026-06-12") },
        ReferralStep::ProgrammeEnded { on: d("2026-07-12") },
    ] {
        r = apply_step(&[r], ID, &step, t(at), true).unwrap();
    }
    let clocks = r.clocks().unwrap();
    let completion = clocks.iter().find(|c| c.0 == DeadlineKind::CompletionCertificateMissing).unwrap();
    assert_eq!(completion.2, None, "the earlier request was about the registration");
}

#[test]
fn every_refusal_has_its_own_message_id_and_every_name_parses_back() {
    let codes: HashSet<_> = ReferralError::ALL.iter().map(|e| e.code()).collect();
    assert_eq!(codes.len(), ReferralError::ALL.len());
    assert!(codes.iter().all(|c| c.strip_prefix("err-").is_some_and(|rest| rest.starts_with("referral-"))));
    for kind in ProgrammeKind::ALL {
        assert_eq!(ProgrammeKind::parse(kind.as_str()), Ok(kind));
    }
    for penalty in Penalty::ALL {
        assert_eq!(Penalty::parse(penalty.as_str()), Ok(penalty));
    }
    for kind in StepKind::ALL {
        assert_eq!(StepKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(ProgrammeKind::parse("yoga"), Err("err-referral-programme-unknown"));
    assert_eq!(Penalty::parse("exile"), Err("err-referral-penalty-unknown"));
}

#[test]
fn a_step_survives_the_command_log_as_json() {
    let step = ReferralStep::Penalty { penalty: Penalty::Fine, on: d("2026-06-30") };
    let json = serde_json::to_string(&step).unwrap();
    assert_eq!(json, r#"{"step":"penalty","penalty":"fine","on":"2026-06-30"}"#);
    assert_eq!(serde_json::from_str::<ReferralStep>(&json).unwrap(), step);
}

#[test]
fn a_date_is_read_in_either_form_and_an_impossible_one_is_refused() {
    assert_eq!(parse_date("2026-03-05"), Ok(d("2026-03-05")));
    assert_eq!(parse_date("5.3.2026"), Ok(d("2026-03-05")));
    assert_eq!(parse_date("31.02.2026"), Err("err-date-not-exist"));
    assert_eq!(parse_date("2026/03/05"), Err("err-date-format"));
    assert_eq!(parse_date(" "), Err("err-required"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A step kind (not a request), how many days after the previous one it is recorded, how many days before its
    /// recording it happened, and a penalty for the penalty step.
    fn steps() -> impl Strategy<Value = Vec<(StepKind, i64, i64, Penalty)>> {
        let kind = prop::sample::select(StepKind::ALL[1..].to_vec());
        let gap = prop_oneof![3 => 0i64..5, 3 => 20i64..40, 1 => 60i64..100];
        let back = prop_oneof![4 => 0i64..2, 1 => 0i64..40];
        let penalty = prop::sample::select(Penalty::ALL.to_vec());
        prop::collection::vec((kind, gap, back, penalty), 0..40)
    }

    fn step_of(kind: StepKind, on: Date, penalty: Penalty) -> ReferralStep {
        match kind {
            StepKind::Request => request(),
            StepKind::Refer => refer(),
            StepKind::Deliver => ReferralStep::Deliver { on },
            StepKind::RegistrationCertificate => ReferralStep::RegistrationCertificate { on },
            StepKind::CertificateCall => ReferralStep::CertificateCall { on },
            StepKind::ProgrammeEnded => ReferralStep::ProgrammeEnded { on },
            StepKind::CompletionCertificate => ReferralStep::CompletionCertificate { on },
            StepKind::RequestOffenceNotification => ReferralStep::RequestOffenceNotification { on },
            StepKind::AskStarosta => ReferralStep::AskStarosta { on },
            StepKind::FileOffenceNotification => ReferralStep::FileOffenceNotification { on },
            StepKind::InformCommander => ReferralStep::InformCommander { on },
            StepKind::Penalty => ReferralStep::Penalty { penalty, on },
        }
    }

    fn facts(r: &Referral) -> [bool; 6] {
        [
            r.is_referred(),
            r.delivered_on().is_some(),
            r.has_started(),
            r.has_completed(),
            r.has_evaded(),
            r.penalty().is_some(),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_of_steps_breaks_the_order_of_a_referral(steps in steps()) {
            let start = t("2026-03-02T09:00:00Z");
            let mut r = apply_step(&[], ID, &request(), start, true).unwrap();
            let mut at = start;
            for (kind, gap, back, penalty) in steps {
                at = at.checked_add(jiff::SignedDuration::from_hours(24 * gap)).unwrap();
                let on = calendar::warsaw_date(at).unwrap().checked_sub(jiff::Span::new().days(back)).unwrap();
                let before = facts(&r);
                match apply_step(std::slice::from_ref(&r), ID, &step_of(kind, on, penalty), at, true) {
                    Ok(next) => {
                        prop_assert!(step_of(kind, on, penalty).date().is_none_or(|d| d <= calendar::warsaw_date(at).unwrap()));
                        r = next;
                    }
                    Err(e) => prop_assert!(e.code().starts_with("err-")),
                }
                let after = facts(&r);
                prop_assert!(before.iter().zip(after).all(|(b, a)| !b || a), "a fact was lost: {:?}", r);
                if let Some(registered) = r.registration_certificate_on() {
                    prop_assert!(r.delivered_on().is_some_and(|d| d <= registered));
                }
                if let Some(delivered) = r.delivered_on() {
                    prop_assert!(r.is_referred() && delivered >= calendar::warsaw_date(r.requested_at()).unwrap());
                }
                prop_assert!(r.calls().len() <= 2 && r.calls().windows(2).all(|w| w[0] <= w[1]));
                if let (Some(first), Some(term)) = (r.calls().first(), r.registration_term_ends()) {
                    prop_assert!(*first > term);
                }
                if let Some(ended) = r.programme_ended_on() {
                    prop_assert!(r.registration_certificate_on().is_some_and(|c| c <= ended));
                }
                if let Some(done) = r.completion_certificate_on() {
                    prop_assert!(r.programme_ended_on().is_some_and(|e| e <= done));
                }
                if let Some(requested) = r.notification_requested_on() {
                    prop_assert!(r.delivered_on().is_some());
                    for later in [r.starosta_asked_on(), r.notification_filed_on()].into_iter().flatten() {
                        prop_assert!(requested <= later);
                    }
                }
                for later in [r.commander_informed_on(), r.penalty().map(|p| p.1)].into_iter().flatten() {
                    prop_assert!(r.notification_filed_on().is_some_and(|f| f <= later));
                }
                let clocks = r.clocks().unwrap();
                prop_assert!(clocks.iter().all(|(_, start, done)| done.is_none_or(|d| d >= *start)), "{:?}", clocks);
            }
        }
    }
}

#[test]
fn a_referral_is_not_made_before_the_request_and_each_step_names_the_one_it_follows() {
    let r = run(&[], "2026-03-10T10:00:00Z");
    assert_eq!(refused(&r, refer(), "2026-03-02T08:59:00Z"), "err-referral-date-before-previous-step");
    assert_eq!(r.preceding(StepKind::Refer), Some((StepKind::Request, d("2026-03-02"))));
    let r = delivered();
    assert_eq!(r.preceding(StepKind::RegistrationCertificate), Some((StepKind::Deliver, d("2026-03-05"))));
    assert_eq!(r.preceding(StepKind::CertificateCall), Some((StepKind::Deliver, d("2026-03-05"))));
    assert_eq!(r.preceding(StepKind::AskStarosta), None);
}

#[test]
fn a_dated_step_stands_at_the_end_of_its_day_or_now() {
    let now = t("2026-03-10T10:00:00Z");
    let deliver = |on: &str| ReferralStep::Deliver { on: d(on) };
    // 5 March ends at 23:59:59.999999 in Warsaw (UTC+1).
    assert_eq!(step_instant(&deliver("2026-03-05"), None, None, now), t("2026-03-05T22:59:59.999999Z"));
    assert_eq!(step_instant(&deliver("2026-03-10"), None, None, now), now, "today: now");
    assert_eq!(step_instant(&deliver("2026-03-12"), None, None, now), now, "the future: now, refused by the step");
    // Never before the referral's latest step in the log.
    let last = t("2026-03-08T09:00:00Z");
    assert_eq!(step_instant(&deliver("2026-03-05"), None, Some(last), now), last);
    // A referral is a moment: the one given, or now.
    let at = t("2026-03-03T11:00:00Z");
    assert_eq!(step_instant(&refer(), Some(at), None, now), at);
    assert_eq!(step_instant(&refer(), None, None, now), now);
}
