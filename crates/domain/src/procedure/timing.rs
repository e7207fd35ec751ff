//! When a step of the procedure really happened, as opposed to when it was typed in.
//!
//! Every step carries the instant it happened (default: now). A step typed in late may belong before steps already
//! recorded (a notice given on 5 March typed after a meeting of 10 March), so the state is rebuilt from the command
//! log in event order (instant, then the order of entry) with the new step in its place; the step is refused only
//! when that replay refuses, and the refusal names the event that stands in its way, with its date.
//!
//! Pure: the caller passes every instant in, including "now".

use jiff::Timestamp;
use jiff::civil::Date;

use super::lifecycle::{Command, EventKind, GroupChange, ProcedureState, TransitionError, apply};
use super::referral::ReferralStep;
use crate::calendar;

/// When a step happened, as typed: empty means now (`None`); otherwise a local Polish date and time as forms take
/// it (`2026-03-05T10:30`, `5.03.2026 10:30`) or an instant with its offset (`2026-03-05T09:30:00Z`, for the API). A
/// date that does not exist (31 February) or a time missing is refused.
pub fn parse_occurred_at(raw: &str) -> Result<Option<Timestamp>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = raw.parse::<Timestamp>() {
        return Ok(Some(at));
    }
    crate::parse::instant_in_poland(raw).map(Some)
}

/// The event a command leaves first on the timeline: what a refusal names when that command stands in the way.
pub fn command_event(command: &Command) -> EventKind {
    use Command as C;
    use EventKind as K;
    match command {
        C::AppointGroup { .. } => K::GroupAppointed,
        C::RecordGroupMeeting | C::RecordGroupMeetingHeld { .. } => K::GroupMeetingHeld,
        C::RecordSuspectNotified => K::SuspectNotified,
        C::RecordFirearmNotified => K::FirearmNotified,
        C::RecordFormC => K::FormCRecorded,
        C::RecordFormD => K::FormDRecorded,
        C::AttachFurtherIncident => K::FurtherIncidentAttached,
        C::Close { .. } => K::ProcedureClosed,
        C::EndMonitoring => K::MonitoringEnded,
        C::ReopenFromMonitoring => K::ProcedureReopened,
        C::TransferOut => K::TransferredOut,
        C::RecordFirearm => K::FirearmRecorded,
        C::Referral { step: ReferralStep::Request { .. }, .. } => K::ReferralRequested,
        C::Referral { .. } => K::ReferralStepRecorded,
        C::ChangeGroup { change: GroupChange::Extend { .. } } => K::GroupExtended,
        C::ChangeGroup { change: GroupChange::Replace { .. } } => K::GroupMemberReplaced,
        C::ChangeGroup { change: GroupChange::NameCoordinator } => K::GroupCoordinatorNamed,
    }
}

/// Why a step dated `at` cannot take its place among the recorded ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misplaced {
    /// The step is dated in the future.
    InFuture,
    /// The step is dated before an event it must follow (the opening, the group's appointment, the first meeting…):
    /// that event and its instant.
    BeforeEvent { event: EventKind, at: Timestamp },
    /// In its place the step contradicts a step recorded later in time (a closing dated before a form C): that step.
    ConflictsWithLater { event: EventKind, at: Timestamp },
    /// The procedure refuses the step whatever its date.
    Refused(TransitionError),
}

impl Misplaced {
    /// The message id in the translation catalogs.
    pub fn code(self) -> &'static str {
        match self {
            Misplaced::InFuture => "err-date-in-future",
            Misplaced::BeforeEvent { .. } => "err-occurred-before-event",
            Misplaced::ConflictsWithLater { .. } => "err-occurred-conflicts-later",
            Misplaced::Refused(e) => e.code(),
        }
    }
}

/// Replays `log` (in the order of entry) in event order with `new` dated `at` in its place: the state after all of
/// them, or why `new` cannot be there. Commands with the same instant keep their order of entry, and `new` comes after
/// those already recorded at its instant.
pub fn place(
    opened_at: Timestamp,
    log: &[(Command, Timestamp)],
    new: &Command,
    at: Timestamp,
    now: Timestamp,
) -> Result<ProcedureState, Misplaced> {
    if at > now {
        return Err(Misplaced::InFuture);
    }
    if at < opened_at {
        return Err(Misplaced::BeforeEvent { event: EventKind::ProcedureOpened, at: opened_at });
    }
    let ordered = in_event_order(log);
    let position = ordered.iter().take_while(|(_, t)| *t <= at).count();
    // `position` never exceeds the length: the split cannot fail.
    let (earlier, later) = ordered.split_at_checked(position).unwrap_or((&ordered, &[]));
    let (mut state, _) = ProcedureState::open(opened_at);
    for (command, t) in earlier {
        state = apply(&state, command, *t).map_err(|_| Misplaced::Refused(TransitionError::TimeBeforeLastEvent))?.0;
    }
    state = match apply(&state, new, at) {
        Ok((next, _)) => next,
        Err(error) => return Err(blocking_event(&state, later, new, error)),
    };
    for (command, t) in later {
        state = apply(&state, command, *t)
            .map_err(|_| Misplaced::ConflictsWithLater { event: command_event(command), at: *t })?
            .0;
    }
    Ok(state)
}

/// The new step was refused in its place: if it would be accepted after some later recorded step, it is dated before
/// that step (the nearest one that lets it in); otherwise the procedure refuses it whatever its date.
fn blocking_event(
    before: &ProcedureState,
    later: &[(Command, Timestamp)],
    new: &Command,
    error: TransitionError,
) -> Misplaced {
    let mut state = before.clone();
    for (command, t) in later {
        let Ok((next, _)) = apply(&state, command, *t) else { break };
        state = next;
        if apply(&state, new, *t).is_ok() {
            return Misplaced::BeforeEvent { event: command_event(command), at: *t };
        }
    }
    Misplaced::Refused(error)
}

/// The log sorted by instant, keeping the order of entry among equal instants.
pub fn in_event_order(log: &[(Command, Timestamp)]) -> Vec<(Command, Timestamp)> {
    let mut ordered = log.to_vec();
    ordered.sort_by_key(|(_, t)| *t);
    ordered
}

/// The last day on which something that happened on `occurred` can still be typed in without being marked as entered
/// later: the next working day (the day itself does not count).
fn last_timely_entry_day(occurred: Timestamp) -> Option<Date> {
    let day = calendar::warsaw_date(occurred).ok()?;
    calendar::add_working_days(day, 1).ok()
}

/// Whether a step that happened at `occurred` and was typed in at `recorded` was entered more than one working day
/// after it ("wpisano później" on the timeline).
pub fn entered_late(occurred: Timestamp, recorded: Timestamp) -> bool {
    match (last_timely_entry_day(occurred), calendar::warsaw_date(recorded)) {
        (Some(last), Ok(entered)) => entered > last,
        _ => false,
    }
}

/// Whether a closing typed in at `recorded` may still be undone at `now`: until the end of the next working day.
pub fn closing_undoable(recorded: Timestamp, now: Timestamp) -> bool {
    match (last_timely_entry_day(recorded), calendar::warsaw_date(now)) {
        (Some(last), Ok(today)) => today <= last && now >= recorded,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::lifecycle::{ClosingReason, GroupMemberKind, Phase};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn group() -> Command {
        Command::AppointGroup { members: vec![GroupMemberKind::SocialWorker, GroupMemberKind::PoliceOfficer] }
    }

    const OPENED: &str = "2026-03-02T09:00:00Z";
    const NOW: &str = "2026-05-04T12:00:00Z";

    fn log() -> Vec<(Command, Timestamp)> {
        vec![(group(), t("2026-03-03T09:00:00Z")), (Command::RecordGroupMeeting, t("2026-03-10T09:00:00Z"))]
    }

    #[test]
    fn a_notice_typed_after_a_later_meeting_takes_its_own_place() {
        let state =
            place(t(OPENED), &log(), &Command::RecordSuspectNotified, t("2026-03-05T10:00:00Z"), t(NOW)).unwrap();
        assert_eq!(state.suspect_notified_at(), Some(t("2026-03-05T10:00:00Z")));
        assert_eq!(state.first_meeting_at(), Some(t("2026-03-10T09:00:00Z")));
        assert_eq!(state.last_event_at(), t("2026-03-10T09:00:00Z"));
    }

    #[test]
    fn a_step_in_the_future_is_refused() {
        let refused = place(t(OPENED), &log(), &Command::RecordSuspectNotified, t("2026-05-04T12:00:01Z"), t(NOW));
        assert_eq!(refused, Err(Misplaced::InFuture));
        assert_eq!(Misplaced::InFuture.code(), "err-date-in-future");
    }

    #[test]
    fn a_step_before_the_opening_names_the_opening() {
        let refused = place(t(OPENED), &log(), &Command::RecordFirearm, t("2026-03-01T09:00:00Z"), t(NOW));
        assert_eq!(refused, Err(Misplaced::BeforeEvent { event: EventKind::ProcedureOpened, at: t(OPENED) }));
    }

    #[test]
    fn a_notice_before_the_group_names_the_appointment() {
        let refused = place(t(OPENED), &log(), &Command::RecordSuspectNotified, t("2026-03-02T12:00:00Z"), t(NOW));
        assert_eq!(
            refused,
            Err(Misplaced::BeforeEvent { event: EventKind::GroupAppointed, at: t("2026-03-03T09:00:00Z") })
        );
    }

    #[test]
    fn a_closing_before_the_first_meeting_names_the_meeting() {
        let close = Command::Close { reason: ClosingReason::ViolenceStopped };
        let refused = place(t(OPENED), &log(), &close, t("2026-03-04T09:00:00Z"), t(NOW));
        assert_eq!(
            refused,
            Err(Misplaced::BeforeEvent { event: EventKind::GroupMeetingHeld, at: t("2026-03-10T09:00:00Z") })
        );
    }

    #[test]
    fn a_closing_dated_before_a_recorded_form_c_names_the_form() {
        let mut log = log();
        log.push((Command::RecordFormC, t("2026-03-20T09:00:00Z")));
        let close = Command::Close { reason: ClosingReason::NoGrounds };
        let refused = place(t(OPENED), &log, &close, t("2026-03-15T09:00:00Z"), t(NOW));
        assert_eq!(
            refused,
            Err(Misplaced::ConflictsWithLater { event: EventKind::FormCRecorded, at: t("2026-03-20T09:00:00Z") })
        );
    }

    #[test]
    fn a_step_refused_whatever_its_date_keeps_its_own_reason() {
        let refused = place(t(OPENED), &log(), &group(), t("2026-03-12T09:00:00Z"), t(NOW));
        assert_eq!(refused, Err(Misplaced::Refused(TransitionError::GroupAlreadyAppointed)));
    }

    #[test]
    fn a_closing_in_the_previous_year_is_monitored_into_this_one() {
        let opened = t("2025-10-01T08:00:00Z");
        let log = vec![(group(), t("2025-10-02T08:00:00Z")), (Command::RecordGroupMeeting, t("2025-10-08T08:00:00Z"))];
        let close = Command::Close { reason: ClosingReason::ViolenceStopped };
        let state = place(opened, &log, &close, t("2025-12-15T10:00:00Z"), t("2026-02-10T10:00:00Z")).unwrap();
        let Phase::Closed(closing) = state.phase() else { panic!("closed: {:?}", state.phase()) };
        assert_eq!(closing.monitoring_until().to_string(), "2026-09-15");
    }

    #[test]
    fn same_instant_steps_keep_their_order_of_entry() {
        let at = t("2026-03-03T09:00:00Z");
        let log = vec![(group(), at), (Command::RecordGroupMeeting, at)];
        assert_eq!(in_event_order(&log), log);
    }

    #[test]
    fn occurred_at_is_read_as_polish_time_or_an_instant() {
        assert_eq!(parse_occurred_at("  "), Ok(None));
        assert_eq!(parse_occurred_at("2026-03-05T10:30"), Ok(Some(t("2026-03-05T09:30:00Z"))));
        assert_eq!(parse_occurred_at("5.03.2026 10:30"), Ok(Some(t("2026-03-05T09:30:00Z"))));
        assert_eq!(parse_occurred_at("2026-07-05T10:30"), Ok(Some(t("2026-07-05T08:30:00Z"))));
        assert_eq!(parse_occurred_at("2026-03-05T09:30:00Z"), Ok(Some(t("2026-03-05T09:30:00Z"))));
        assert_eq!(parse_occurred_at("2026-02-31T10:00"), Err("err-date-not-exist"));
        assert_eq!(parse_occurred_at("2026-03-05"), Err("err-datetime-format"));
        assert_eq!(parse_occurred_at("wczoraj"), Err("err-datetime-format"));
    }

    #[test]
    fn entry_after_the_next_working_day_is_late() {
        // Friday 6 March 2026 at 23:59 Warsaw: Monday is the next working day, Tuesday is late.
        let friday = t("2026-03-06T22:59:00Z");
        assert!(!entered_late(friday, t("2026-03-09T16:00:00Z")));
        assert!(entered_late(friday, t("2026-03-10T07:00:00Z")));
        // Before Easter Monday 2026 (6 April): Thursday 2 April → Friday 3 April ok, Tuesday 7 April late.
        let thursday = t("2026-04-02T10:00:00Z");
        assert!(!entered_late(thursday, t("2026-04-03T15:00:00Z")));
        assert!(entered_late(thursday, t("2026-04-07T08:00:00Z")));
    }

    #[test]
    fn a_closing_can_be_undone_until_the_end_of_the_next_working_day() {
        let recorded = t("2026-03-06T10:00:00Z"); // Friday
        assert!(closing_undoable(recorded, t("2026-03-09T22:00:00Z"))); // Monday 23:00 Warsaw
        assert!(!closing_undoable(recorded, t("2026-03-09T23:30:00Z"))); // Tuesday 00:30 Warsaw
        assert!(!closing_undoable(recorded, t("2026-03-06T09:00:00Z")));
    }
}
