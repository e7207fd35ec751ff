//! What a procedure offers to whoever is looking at it: the steps, forms and records that the state machine would
//! accept now, for the capacity in which the person reaches the case.
//!
//! The pages and the API ask this one function, so a change of the lifecycle ([`super::lifecycle`]) changes what is
//! offered in the same commit; nothing outside the domain decides from phase names or deadline-rule ids. The store
//! still checks every step when it is taken: an offer is a promise the state machine keeps, not a permission.

use jiff::Timestamp;
use serde::Serialize;

use super::deadlines::{DeadlineKind, Regime, rule_for};
use super::lifecycle::{Phase, ProcedureState};
use crate::forms::FormKind;
use crate::forms::records::RecordKind;

/// The capacity in which someone reaches a case (need-to-know decides which one, elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRole {
    /// The team's staff: chair, deputy, secretary.
    Team,
    /// A member of the case's support group.
    Group,
    /// The person who filled the opening form A: sees their own form and the clocks, acts on nothing.
    Initiator,
}

/// A step without a form of its own, taken with one button and the moment it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    RecordGroupMeeting,
    RecordFirearm,
    RecordFirearmNotified,
    RecordSuspectNotified,
    Close,
    EndMonitoring,
}

impl Step {
    /// The command name the page and the API post (as in [`super::lifecycle::Command::as_str`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Step::RecordGroupMeeting => "record_group_meeting",
            Step::RecordFirearm => "record_firearm",
            Step::RecordFirearmNotified => "record_firearm_notified",
            Step::RecordSuspectNotified => "record_suspect_notified",
            Step::Close => "close",
            Step::EndMonitoring => "end_monitoring",
        }
    }
}

/// Facts about the case that are not in its state because they come from its form A.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpeningFacts {
    /// Form A said every suspected person was present at the opening: nobody needs the notice of art. 9b ust. 8
    /// pkt 3.
    pub suspects_present: bool,
}

/// Everything the case offers now to one role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Offers {
    /// The team may appoint the support group.
    pub appoint_group: bool,
    pub steps: Vec<Step>,
    /// Forms that may be filled now: A (a further incident), C and D (the group's meetings with the persons).
    pub forms: Vec<FormKind>,
    /// Records that may be added now.
    pub records: Vec<RecordKind>,
    /// The team may hand the case to another municipality (art. 9e).
    pub hand_over: bool,
    /// The team may extend the group, replace a member or name its coordinator (art. 9a ust. 12b–12c).
    pub change_group: bool,
}

impl Offers {
    pub fn offers_step(&self, step: Step) -> bool {
        self.steps.contains(&step)
    }
}

/// What the case in `state` offers to `role` at `now`.
pub fn offers(state: &ProcedureState, facts: OpeningFacts, role: CaseRole, now: Timestamp) -> Offers {
    let works_on_case = matches!(role, CaseRole::Team | CaseRole::Group);
    if !works_on_case {
        return Offers::default();
    }
    let phase = state.phase();
    let running = matches!(phase, Phase::Opened | Phase::GroupAppointed | Phase::InProgress);
    let monitoring = matches!(phase, Phase::Closed(_));
    let has_group = state.group().is_some();
    let regime = Regime::for_opening_at(state.opened_at()).unwrap_or(Regime::Reg2023);

    let mut steps = Vec::new();
    if has_group && (running || monitoring) {
        steps.push(Step::RecordGroupMeeting);
    }
    if running && state.firearm_recorded_at().is_none() {
        steps.push(Step::RecordFirearm);
    }
    if (running || monitoring) && state.firearm_recorded_at().is_some() && state.firearm_notified_at().is_none() {
        steps.push(Step::RecordFirearmNotified);
    }
    // The notice to a suspected person absent at the opening: owed from the group's first meeting (art. 9b ust. 8
    // pkt 3), under the rules that have that duty, unless form A says everyone was present.
    let notice_owed = rule_for(DeadlineKind::NotifyAbsentSuspect, regime).is_some()
        && !facts.suspects_present
        && state.first_meeting_at().is_some()
        && state.suspect_notified_at().is_none();
    if running && notice_owed {
        steps.push(Step::RecordSuspectNotified);
    }
    if matches!(phase, Phase::InProgress) {
        steps.push(Step::Close);
    }
    if let Phase::Closed(closing) = phase {
        // Offered once the 9 months are over; the state machine refuses it before (art. 9h ust. 2).
        let today = now.to_zoned(crate::calendar::poland_zone()).date();
        if today >= closing.monitoring_until() {
            steps.push(Step::EndMonitoring);
        }
    }

    let forms = match phase {
        Phase::InProgress => vec![FormKind::C, FormKind::D, FormKind::A],
        Phase::Opened | Phase::GroupAppointed => vec![FormKind::A],
        // During monitoring a further form A reopens the case.
        Phase::Closed(_) => vec![FormKind::A],
        _ => vec![],
    };
    let records = RecordKind::ALL
        .into_iter()
        .filter(|kind| match kind {
            // Minutes belong to a planned meeting; a breach's reason to its deadline.
            RecordKind::MeetingMinutes => false,
            RecordKind::Meeting => has_group && (running || monitoring),
            RecordKind::MonitoringCheck => monitoring,
            _ => running || monitoring,
        })
        .collect();
    Offers {
        appoint_group: role == CaseRole::Team && matches!(phase, Phase::Opened),
        steps,
        forms,
        records,
        hand_over: role == CaseRole::Team && running,
        change_group: role == CaseRole::Team && has_group && (running || monitoring),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind, apply};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn run(commands: &[(Command, &str)]) -> ProcedureState {
        let (mut state, _) = ProcedureState::open(t("2026-03-02T09:00:00Z"));
        for (command, at) in commands {
            state = apply(&state, command, t(at)).unwrap().0;
        }
        state
    }

    fn group() -> (Command, &'static str) {
        (
            Command::AppointGroup { members: vec![GroupMemberKind::SocialWorker, GroupMemberKind::PoliceOfficer] },
            "2026-03-03T09:00:00Z",
        )
    }

    const NOW: &str = "2026-06-01T10:00:00Z";

    #[test]
    fn every_offered_step_is_accepted_by_the_state_machine() {
        // The promise this module makes: whatever it offers, `apply` takes (for every phase a case passes through).
        let meeting = (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z");
        let close = (Command::Close { reason: ClosingReason::ViolenceStopped }, "2026-04-15T10:00:00Z");
        let cases = [
            run(&[]),
            run(&[group()]),
            run(&[group(), meeting.clone()]),
            run(&[group(), meeting.clone(), (Command::RecordFirearm, "2026-03-07T09:00:00Z")]),
            run(&[group(), meeting.clone(), close.clone()]),
        ];
        for state in &cases {
            for role in [CaseRole::Team, CaseRole::Group] {
                let now = t("2027-02-01T10:00:00Z");
                for step in offers(state, OpeningFacts::default(), role, now).steps {
                    let command = match step {
                        Step::RecordGroupMeeting => Command::RecordGroupMeeting,
                        Step::RecordFirearm => Command::RecordFirearm,
                        Step::RecordFirearmNotified => Command::RecordFirearmNotified,
                        Step::RecordSuspectNotified => Command::RecordSuspectNotified,
                        Step::Close => Command::Close { reason: ClosingReason::NoGrounds },
                        Step::EndMonitoring => Command::EndMonitoring,
                    };
                    assert!(apply(state, &command, now).is_ok(), "{step:?} offered in {:?} but refused", state.phase());
                }
            }
        }
    }

    #[test]
    fn an_initiator_is_offered_nothing_and_only_the_team_appoints_or_hands_over() {
        let opened = run(&[]);
        assert_eq!(offers(&opened, OpeningFacts::default(), CaseRole::Initiator, t(NOW)), Offers::default());
        assert!(offers(&opened, OpeningFacts::default(), CaseRole::Team, t(NOW)).appoint_group);
        assert!(!offers(&opened, OpeningFacts::default(), CaseRole::Group, t(NOW)).appoint_group);
        assert!(offers(&opened, OpeningFacts::default(), CaseRole::Team, t(NOW)).hand_over);
        assert!(!offers(&opened, OpeningFacts::default(), CaseRole::Group, t(NOW)).hand_over);
    }

    #[test]
    fn the_notice_to_an_absent_suspect_is_offered_after_the_first_meeting_unless_everyone_was_present() {
        let met = run(&[group(), (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z")]);
        let absent = offers(&met, OpeningFacts { suspects_present: false }, CaseRole::Group, t(NOW));
        assert!(absent.offers_step(Step::RecordSuspectNotified));
        let present = offers(&met, OpeningFacts { suspects_present: true }, CaseRole::Group, t(NOW));
        assert!(!present.offers_step(Step::RecordSuspectNotified));
        let before_meeting = offers(&run(&[group()]), OpeningFacts::default(), CaseRole::Group, t(NOW));
        assert!(!before_meeting.offers_step(Step::RecordSuspectNotified));
    }

    #[test]
    fn forms_c_and_d_wait_for_the_first_meeting_and_a_firearm_once_recorded_asks_for_its_notification() {
        let appointed = offers(&run(&[group()]), OpeningFacts::default(), CaseRole::Group, t(NOW));
        assert_eq!(appointed.forms, vec![FormKind::A]);
        let met = run(&[group(), (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z")]);
        assert_eq!(
            offers(&met, OpeningFacts::default(), CaseRole::Group, t(NOW)).forms,
            vec![FormKind::C, FormKind::D, FormKind::A]
        );
        let armed = run(&[group(), (Command::RecordFirearm, "2026-03-04T09:00:00Z")]);
        let o = offers(&armed, OpeningFacts::default(), CaseRole::Group, t(NOW));
        assert!(o.offers_step(Step::RecordFirearmNotified) && !o.offers_step(Step::RecordFirearm));
    }

    #[test]
    fn monitoring_offers_checks_and_its_end_only_after_the_nine_months() {
        let closed = run(&[
            group(),
            (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z"),
            (Command::Close { reason: ClosingReason::ViolenceStopped }, "2026-04-15T10:00:00Z"),
        ]);
        let during = offers(&closed, OpeningFacts::default(), CaseRole::Group, t(NOW));
        assert!(during.records.contains(&RecordKind::MonitoringCheck));
        assert!(!during.offers_step(Step::EndMonitoring) && !during.offers_step(Step::Close));
        assert_eq!(during.forms, vec![FormKind::A], "a further form A reopens the case");
        let after = offers(&closed, OpeningFacts::default(), CaseRole::Group, t("2027-01-15T08:00:00Z"));
        assert!(after.offers_step(Step::EndMonitoring));
        let running = offers(&run(&[group()]), OpeningFacts::default(), CaseRole::Group, t(NOW));
        assert!(!running.records.contains(&RecordKind::MonitoringCheck));
        assert!(!running.records.contains(&RecordKind::MeetingMinutes));
    }
}
