//! The lifecycle of one Blue Card procedure: its states, the commands that move it, and the timeline events each
//! accepted command leaves behind.
//!
//! A pure state machine. [`apply`] takes a state, a command and the instant the command took effect, and returns
//! either the next state with its events or a [`TransitionError`] that names a message id for the user. It reads no
//! clock and touches no storage: the caller passes the time in, and the store writes the new state, the events and
//! the audit entry in one transaction.
//!
//! # States, in words
//!
//! - [`ProcedureState::open`] starts a procedure in **Opened**: form A was filled, the statutory clocks start
//!   (art. 9d ust. 4 of the act).
//! - **Opened** → *AppointGroup* (with a social worker and a police officer, art. 9a ust. 11) → **GroupAppointed**.
//! - **GroupAppointed** → *RecordGroupMeeting* (the first one) → **InProgress**.
//! - **InProgress** → *Close { reason }* (art. 9h ust. 1; the support group closes, art. 9b ust. 8 pkt 8) →
//!   **Closed**, which is also the 9-month monitoring (art. 9h ust. 2–3; see [`Phase::Closed`] for why this is one
//!   state and not two).
//! - **Closed** → *EndMonitoring* (on or after the monitoring-until date) → **MonitoringEnded**, which is terminal:
//!   a later incident opens a new procedure.
//! - **Closed** → *ReopenFromMonitoring* (a new form A on or before the monitoring-until date) → **InProgress**.
//! - **Opened**, **GroupAppointed** or **InProgress** → *TransferOut* (the person experiencing violence moved to
//!   another municipality, art. 9e ust. 1 and 3) → **TransferredOut**, which is terminal for this team.
//! - Without a change of state: *AttachFurtherIncident* and *RecordFirearm* while the procedure runs (Opened,
//!   GroupAppointed, InProgress); *RecordFormC* and *RecordFormD* once the group has met (InProgress); further
//!   *RecordGroupMeeting*s in InProgress and during monitoring (the group monitors, art. 9b ust. 8 pkt 7).
//! - *Referral* steps (programmes for the person using violence, [`super::referral`]): a new request once the group
//!   has met (InProgress); the later steps of an existing referral also during monitoring, since its terms run on
//!   after closing.
//!
//! Every other pair of state and command is refused with its own message id (see [`TransitionError`]).
//!
//! # Rules that hold for every transition
//!
//! - An accepted command yields at least one [`Event`], each stamped with the command's instant.
//! - A refused command changes nothing: [`apply`] borrows the state and hands back a new one only on success.
//! - A command dated before the procedure's last event is refused, so the timeline never runs backwards and facts
//!   derived from it (the first meeting, the closing date, the monitoring-until date) stay in order.
//! - In **MonitoringEnded** and **TransferredOut** every command is refused with that state's one message id.
//!
//! # Assumptions the act does not settle (marked \[U\] in procedure.md)
//!
//! - Forms C and D, and closing, wait for the first group meeting: the group fills the forms and decides the closing
//!   as a body, at its meetings. Nothing requires forms C or D before closing (procedure.md §2.4: the person using
//!   violence may never appear).
//! - A new form A during monitoring reopens the same procedure rather than opening a new one; after the 9 months it
//!   opens a new procedure.
//! - A closed procedure is not transferred: art. 9e ust. 3 speaks of a procedure being run; the hand-over of the
//!   group's documents at the new team's request (art. 9c ust. 5a) is a records matter, not a change of state.
//! - The firearm flag is kept per procedure, not per person using violence.

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::referral::{Referral, ReferralError, ReferralStep, apply_step};

/// How long the support group monitors the persons after closing: 9 months (art. 9h ust. 2 of the act).
pub const MONITORING_MONTHS: i32 = 9;

/// The time zone in which a closing date is a civil date: the procedure is run by a Polish municipality.
const WARSAW: &str = "Europe/Warsaw";

/// The last civil day (in Europe/Warsaw) of the monitoring that follows a procedure closed at `closed_at`: the
/// closing date plus [`MONITORING_MONTHS`] months, clamped to the end of a shorter month (31 May → 28 or 29 February),
/// as art. 112 of the Civil Code counts a period in months.
///
/// Art. 9h ust. 2–3 of the act. This is the one place the rule is computed; it can later delegate to the calendar
/// module without its callers noticing.
pub fn monitoring_until(closed_at: Timestamp) -> Date {
    add_months_clamped(warsaw_date(closed_at), MONITORING_MONTHS)
}

/// The civil date of an instant in Europe/Warsaw.
fn warsaw_date(at: Timestamp) -> Date {
    // The time zone database is bundled into the binary (jiff's `tzdb-bundle-always`), so the look-up does not fail;
    // the fixed winter offset is only a guard that keeps this function total.
    let zone = TimeZone::get(WARSAW).unwrap_or_else(|_| TimeZone::fixed(tz::offset(1)));
    at.to_zoned(zone).date()
}

/// Adds whole months to a civil date, clamping the day to the last day of the resulting month. Saturates at the end
/// of the supported calendar (year 9999) instead of failing.
fn add_months_clamped(date: Date, months: i32) -> Date {
    // jiff's date arithmetic with a span of months is the simple month addition with end-of-month clamping.
    date.checked_add(months.months()).unwrap_or(Date::MAX)
}

/// Why a procedure is closed: exactly two reasons (art. 9h ust. 1 of the act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosingReason {
    /// The violence stopped and there is a justified presumption that it will not continue (art. 9h ust. 1 pkt 1).
    ViolenceStopped,
    /// A decision that there are no grounds to act (art. 9h ust. 1 pkt 2).
    NoGrounds,
}

impl ClosingReason {
    pub const ALL: [ClosingReason; 2] = [ClosingReason::ViolenceStopped, ClosingReason::NoGrounds];

    /// The stable name used in the database, the API and the reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ClosingReason::ViolenceStopped => "violence_stopped",
            ClosingReason::NoGrounds => "no_grounds",
        }
    }

    pub fn parse(s: &str) -> Result<ClosingReason, &'static str> {
        ClosingReason::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or("err-closing-reason-unknown")
    }
}

/// Whom a support group (grupa diagnostyczno-pomocowa) includes, by the capacity they sit in (art. 9a ust. 11–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupMemberKind {
    /// A social worker of a social welfare unit: always required (art. 9a ust. 11); prepares the support plan
    /// (art. 9b ust. 9).
    SocialWorker,
    /// A police officer: always required (art. 9a ust. 11); works with the person using violence (art. 9b ust. 10).
    PoliceOfficer,
    /// A probation officer: required when the person using violence is under a probation officer's supervision
    /// (art. 9a ust. 12).
    ProbationOfficer,
    /// A soldier of the Military Police: required when the person using violence is a soldier in active service
    /// (art. 9a ust. 11a–11b).
    MilitaryPolice,
    /// A teacher who knows the minor's home situation (art. 9a ust. 11c pkt 3).
    Teacher,
    /// A doctor, nurse, midwife or paramedic (art. 9a ust. 11c pkt 4).
    HealthWorker,
    /// A representative of the municipal alcohol commission, GKRPA (art. 9a ust. 11c pkt 5).
    AlcoholCommission,
    /// An educator, psychologist or therapist representing a team member institution (art. 9a ust. 11d).
    Psychologist,
    /// Anyone else the team adds (art. 9a ust. 12b–12c).
    Other,
}

impl GroupMemberKind {
    pub const ALL: [GroupMemberKind; 9] = [
        GroupMemberKind::SocialWorker,
        GroupMemberKind::PoliceOfficer,
        GroupMemberKind::ProbationOfficer,
        GroupMemberKind::MilitaryPolice,
        GroupMemberKind::Teacher,
        GroupMemberKind::HealthWorker,
        GroupMemberKind::AlcoholCommission,
        GroupMemberKind::Psychologist,
        GroupMemberKind::Other,
    ];

    /// The stable name used in the database, the API and the forms.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupMemberKind::SocialWorker => "social_worker",
            GroupMemberKind::PoliceOfficer => "police_officer",
            GroupMemberKind::ProbationOfficer => "probation_officer",
            GroupMemberKind::MilitaryPolice => "military_police",
            GroupMemberKind::Teacher => "teacher",
            GroupMemberKind::HealthWorker => "health_worker",
            GroupMemberKind::AlcoholCommission => "alcohol_commission",
            GroupMemberKind::Psychologist => "psychologist",
            GroupMemberKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<GroupMemberKind, &'static str> {
        GroupMemberKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or("err-group-member-kind-unknown")
    }
}

/// The support group appointed for the procedure. It exists only with its statutory core: a social worker and a
/// police officer (art. 9a ust. 11 of the act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportGroup {
    appointed_at: Timestamp,
    members: Vec<GroupMemberKind>,
}

impl SupportGroup {
    /// Checks the statutory core of the group: a social worker, then a police officer (art. 9a ust. 11).
    fn appoint(members: &[GroupMemberKind], at: Timestamp) -> Result<SupportGroup, TransitionError> {
        if !members.contains(&GroupMemberKind::SocialWorker) {
            return Err(TransitionError::GroupNeedsSocialWorker);
        }
        if !members.contains(&GroupMemberKind::PoliceOfficer) {
            return Err(TransitionError::GroupNeedsPoliceOfficer);
        }
        Ok(SupportGroup { appointed_at: at, members: members.to_vec() })
    }

    /// When the team appointed the group; the 3-day deadline of art. 9a ust. 10a is measured to this instant.
    pub fn appointed_at(&self) -> Timestamp {
        self.appointed_at
    }

    /// The members by capacity, as appointed (a capacity may appear more than once).
    pub fn members(&self) -> &[GroupMemberKind] {
        &self.members
    }

    pub fn includes(&self, kind: GroupMemberKind) -> bool {
        self.members.contains(&kind)
    }
}

/// How a procedure was closed, and until when it is monitored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Closing {
    reason: ClosingReason,
    at: Timestamp,
    monitoring_until: Date,
}

impl Closing {
    pub fn reason(&self) -> ClosingReason {
        self.reason
    }

    pub fn at(&self) -> Timestamp {
        self.at
    }

    /// The last civil day of the monitoring (see [`monitoring_until`]).
    pub fn monitoring_until(&self) -> Date {
        self.monitoring_until
    }
}

/// Where the procedure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum Phase {
    /// Form A was filled; the procedure is open and its clocks run (art. 9d ust. 4).
    Opened,
    /// The team appointed a support group with its statutory core (art. 9a ust. 10a–11).
    GroupAppointed,
    /// The support group has met at least once.
    InProgress,
    /// Closed (art. 9h ust. 1), and therefore under monitoring until [`Closing::monitoring_until`].
    ///
    /// Closed and Monitoring are one state, not two. Art. 9h ust. 2 makes the 9-month monitoring the mandatory
    /// consequence of closing, so there is no moment at which a procedure is closed but not monitored: a separate
    /// Closed state would either be left at once by the same command, or wait for a "start monitoring" step that
    /// someone could forget. Both would carry the same facts (reason, closing instant, monitoring-until date). What
    /// does vary with time, whether the 9 months are over, is answered by comparing a date with
    /// `monitoring_until`; the timeline still shows both facts, because closing emits `procedure_closed` and
    /// `monitoring_started`.
    Closed(Closing),
    /// The monitoring was recorded as ended. Terminal: a later incident opens a new procedure.
    MonitoringEnded(Closing),
    /// The person experiencing violence moved and the procedure was handed to the team of their new municipality
    /// (art. 9e ust. 1 and 3). Terminal for this team.
    TransferredOut { at: Timestamp },
}

impl Phase {
    /// The stable name used in the database, the API and the reports.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The phase without its facts: what lists, filters and stored rows carry.
    pub fn kind(&self) -> PhaseKind {
        match self {
            Phase::Opened => PhaseKind::Opened,
            Phase::GroupAppointed => PhaseKind::GroupAppointed,
            Phase::InProgress => PhaseKind::InProgress,
            Phase::Closed(_) => PhaseKind::Closed,
            Phase::MonitoringEnded(_) => PhaseKind::MonitoringEnded,
            Phase::TransferredOut { .. } => PhaseKind::TransferredOut,
        }
    }
}

/// A [`Phase`] by name only, as the `procedure.phase` column stores it. Code that has a stored phase and must decide
/// something from it matches on this enum, never on the string, so a new phase is a compile error there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    Opened,
    GroupAppointed,
    InProgress,
    Closed,
    MonitoringEnded,
    TransferredOut,
}

impl PhaseKind {
    pub const ALL: [PhaseKind; 6] = [
        PhaseKind::Opened,
        PhaseKind::GroupAppointed,
        PhaseKind::InProgress,
        PhaseKind::Closed,
        PhaseKind::MonitoringEnded,
        PhaseKind::TransferredOut,
    ];

    /// The stable name used in the database, the API and the reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            PhaseKind::Opened => "opened",
            PhaseKind::GroupAppointed => "group_appointed",
            PhaseKind::InProgress => "in_progress",
            PhaseKind::Closed => "closed",
            PhaseKind::MonitoringEnded => "monitoring_ended",
            PhaseKind::TransferredOut => "transferred_out",
        }
    }

    pub fn parse(s: &str) -> Option<PhaseKind> {
        PhaseKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The procedure runs here: before closing, not handed to another municipality.
    pub fn is_running(self) -> bool {
        matches!(self, PhaseKind::Opened | PhaseKind::GroupAppointed | PhaseKind::InProgress)
    }

    /// Running or monitored: a new form A about its people belongs to this case (a further incident, or a
    /// reopening during monitoring).
    pub fn is_live(self) -> bool {
        self.is_running() || self == PhaseKind::Closed
    }
}

/// The facts about one procedure that its rules need.
///
/// Built only by [`ProcedureState::open`] and [`apply`], so its invariants hold by construction: a support group
/// always has its statutory core; forms C and D are only ever counted before closing; the last event's instant never
/// decreases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureState {
    phase: Phase,
    opened_at: Timestamp,
    group: Option<SupportGroup>,
    first_meeting_at: Option<Timestamp>,
    group_meetings: u32,
    forms_a: u32,
    forms_c: u32,
    forms_d: u32,
    firearm_recorded_at: Option<Timestamp>,
    firearm_notified_at: Option<Timestamp>,
    suspect_notified_at: Option<Timestamp>,
    reopenings: u32,
    referrals: Vec<Referral>,
    last_event_at: Timestamp,
}

impl ProcedureState {
    /// Opens a procedure: filling form A does it, with no one's consent (art. 9d ust. 1 and 4).
    pub fn open(at: Timestamp) -> (ProcedureState, Vec<Event>) {
        let state = ProcedureState {
            phase: Phase::Opened,
            opened_at: at,
            group: None,
            first_meeting_at: None,
            group_meetings: 0,
            forms_a: 1,
            forms_c: 0,
            forms_d: 0,
            firearm_recorded_at: None,
            firearm_notified_at: None,
            suspect_notified_at: None,
            reopenings: 0,
            referrals: Vec::new(),
            last_event_at: at,
        };
        (state, vec![Event { kind: EventKind::ProcedureOpened, at }])
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// When the first form A was filled; it stays the opening date through reopenings and a transfer.
    pub fn opened_at(&self) -> Timestamp {
        self.opened_at
    }

    pub fn group(&self) -> Option<&SupportGroup> {
        self.group.as_ref()
    }

    /// When the support group first met (REG23 §8: within 5 working days of receiving form A).
    pub fn first_meeting_at(&self) -> Option<Timestamp> {
        self.first_meeting_at
    }

    /// Group meetings held, including those during monitoring.
    pub fn group_meetings(&self) -> u32 {
        self.group_meetings
    }

    /// Forms A in the procedure: the opening one, one per further incident, one per reopening.
    pub fn forms_a(&self) -> u32 {
        self.forms_a
    }

    pub fn forms_c(&self) -> u32 {
        self.forms_c
    }

    pub fn forms_d(&self) -> u32 {
        self.forms_d
    }

    /// When a firearm held by the person using violence was recorded; the licensing unit is told at once (art. 9f).
    pub fn firearm_recorded_at(&self) -> Option<Timestamp> {
        self.firearm_recorded_at
    }

    /// When the firearms licensing unit was notified (art. 9f).
    pub fn firearm_notified_at(&self) -> Option<Timestamp> {
        self.firearm_notified_at
    }

    /// When the group recorded the notice of the opening to the absent person using violence (art. 9b ust. 8 pkt 3).
    pub fn suspect_notified_at(&self) -> Option<Timestamp> {
        self.suspect_notified_at
    }

    /// How many times a new form A reopened the procedure during monitoring.
    pub fn reopenings(&self) -> u32 {
        self.reopenings
    }

    /// The referrals to programmes for persons using violence, in the order they were requested.
    pub fn referrals(&self) -> &[Referral] {
        &self.referrals
    }

    /// The instant of the latest event; a command dated earlier is refused.
    pub fn last_event_at(&self) -> Timestamp {
        self.last_event_at
    }

    /// The current closing, while the procedure is closed (monitored or not).
    pub fn closing(&self) -> Option<&Closing> {
        match &self.phase {
            Phase::Closed(closing) | Phase::MonitoringEnded(closing) => Some(closing),
            _ => None,
        }
    }

    /// Whether the procedure is closed, whether or not its monitoring has ended.
    pub fn is_closed(&self) -> bool {
        self.closing().is_some()
    }

    /// Whether the support group is still to monitor the persons (art. 9h ust. 2): closed, monitoring not ended.
    pub fn is_monitoring(&self) -> bool {
        matches!(self.phase, Phase::Closed(_))
    }
}

/// Something a user asks the procedure to do. The instant it took effect is passed to [`apply`] beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// The team appoints the support group (art. 9a ust. 10a–11).
    AppointGroup { members: Vec<GroupMemberKind> },
    /// The support group met (now).
    RecordGroupMeeting,
    /// The support group met at `held_at`, recorded afterwards (the minutes are written after the meeting). It
    /// cannot be in the future, nor before the group was appointed (and so before form A).
    RecordGroupMeetingHeld { held_at: Timestamp },
    /// The group notified the person using violence, absent when the procedure was opened, that it was opened
    /// (art. 9b ust. 8 pkt 3 of the act), or found that they were present and need no notice.
    RecordSuspectNotified,
    /// The police firearms licensing unit was told that the procedure was opened (art. 9f ust. 1–2 of the act): by
    /// the Police when they opened it, otherwise by the team's chair.
    RecordFirearmNotified,
    /// The support group filled form C with a person experiencing violence.
    RecordFormC,
    /// The support group filled form D with a person using violence.
    RecordFormD,
    /// A new form A documents a further incident while the procedure runs (procedure.md §2.2 step 16).
    AttachFurtherIncident,
    /// The support group closes the procedure (art. 9h ust. 1, art. 9b ust. 8 pkt 8).
    Close { reason: ClosingReason },
    /// The 9 months of monitoring are over and the support group records its end (art. 9h ust. 2).
    EndMonitoring,
    /// A new form A during monitoring reopens the procedure.
    ReopenFromMonitoring,
    /// The person experiencing violence moved; the procedure goes to the new municipality's team (art. 9e ust. 3).
    TransferOut,
    /// The person using violence holds a firearm (art. 9f).
    RecordFirearm,
    /// A step of the referral `referral` to a programme for persons using violence (art. 9b ust. 11–13).
    Referral { referral: Uuid, step: ReferralStep },
    /// The team changes the appointed group: extends it, replaces a member who left, names its coordinator
    /// (art. 9a ust. 12b–12c). Which accounts are in `group_member`; the state keeps the capacities.
    ChangeGroup { change: GroupChange },
}

/// A change of an appointed support group (art. 9a ust. 12b–12c).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum GroupChange {
    /// The team adds members of these capacities (at the request of the social worker or the police officer, e.g.
    /// an institution's representative, a probation officer).
    Extend { members: Vec<GroupMemberKind> },
    /// A member in capacity `left` left the group and a member in capacity `joined` took their place.
    Replace { left: GroupMemberKind, joined: GroupMemberKind },
    /// The team named (or changed) the group's coordinator.
    NameCoordinator,
}

impl Command {
    /// The stable name used in logs and the audit trail.
    pub fn as_str(&self) -> &'static str {
        match self {
            Command::AppointGroup { .. } => "appoint_group",
            Command::RecordGroupMeeting => "record_group_meeting",
            Command::RecordGroupMeetingHeld { .. } => "record_group_meeting_held",
            Command::RecordSuspectNotified => "record_suspect_notified",
            Command::RecordFirearmNotified => "record_firearm_notified",
            Command::RecordFormC => "record_form_c",
            Command::RecordFormD => "record_form_d",
            Command::AttachFurtherIncident => "attach_further_incident",
            Command::Close { .. } => "close",
            Command::EndMonitoring => "end_monitoring",
            Command::ReopenFromMonitoring => "reopen_from_monitoring",
            Command::TransferOut => "transfer_out",
            Command::RecordFirearm => "record_firearm",
            Command::Referral { .. } => "referral",
            Command::ChangeGroup { change: GroupChange::Extend { .. } } => "extend_group",
            Command::ChangeGroup { change: GroupChange::Replace { .. } } => "replace_group_member",
            Command::ChangeGroup { change: GroupChange::NameCoordinator } => "name_group_coordinator",
        }
    }
}

/// What happened, for the procedure's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    ProcedureOpened,
    GroupAppointed,
    GroupMeetingHeld,
    FormCRecorded,
    FormDRecorded,
    /// A form A after the first: during the procedure, or the one that reopens it. Reports count forms A documenting
    /// further incidents (RPPPD indicator 2.3.1) from these.
    FurtherIncidentAttached,
    /// Starts the immediate notification of the police firearms licensing unit (art. 9f).
    FirearmRecorded,
    ProcedureClosed,
    MonitoringStarted,
    MonitoringEnded,
    ProcedureReopened,
    TransferredOut,
    /// The absent person using violence was notified of the opening (art. 9b ust. 8 pkt 3).
    SuspectNotified,
    /// The firearms licensing unit was notified (art. 9f).
    FirearmNotified,
    /// The group asked the team to refer a person using violence to a programme (art. 9b ust. 8 pkt 5).
    ReferralRequested,
    /// A later step of a referral (the referral itself, a delivery, a certificate, a call, a notification...).
    ReferralStepRecorded,
    /// The team extended the group (art. 9a ust. 12b–12c).
    GroupExtended,
    /// A member who left the group was replaced.
    GroupMemberReplaced,
    /// The team named the group's coordinator.
    GroupCoordinatorNamed,
}

impl EventKind {
    pub const ALL: [EventKind; 19] = [
        EventKind::ProcedureOpened,
        EventKind::GroupAppointed,
        EventKind::GroupMeetingHeld,
        EventKind::FormCRecorded,
        EventKind::FormDRecorded,
        EventKind::FurtherIncidentAttached,
        EventKind::FirearmRecorded,
        EventKind::ProcedureClosed,
        EventKind::MonitoringStarted,
        EventKind::MonitoringEnded,
        EventKind::ProcedureReopened,
        EventKind::TransferredOut,
        EventKind::SuspectNotified,
        EventKind::FirearmNotified,
        EventKind::ReferralRequested,
        EventKind::ReferralStepRecorded,
        EventKind::GroupExtended,
        EventKind::GroupMemberReplaced,
        EventKind::GroupCoordinatorNamed,
    ];

    /// The stable name used in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::ProcedureOpened => "procedure_opened",
            EventKind::GroupAppointed => "group_appointed",
            EventKind::GroupMeetingHeld => "group_meeting_held",
            EventKind::FormCRecorded => "form_c_recorded",
            EventKind::FormDRecorded => "form_d_recorded",
            EventKind::FurtherIncidentAttached => "further_incident_attached",
            EventKind::FirearmRecorded => "firearm_recorded",
            EventKind::ProcedureClosed => "procedure_closed",
            EventKind::MonitoringStarted => "monitoring_started",
            EventKind::MonitoringEnded => "monitoring_ended",
            EventKind::ProcedureReopened => "procedure_reopened",
            EventKind::TransferredOut => "transferred_out",
            EventKind::SuspectNotified => "suspect_notified",
            EventKind::FirearmNotified => "firearm_notified",
            EventKind::ReferralRequested => "referral_requested",
            EventKind::ReferralStepRecorded => "referral_step_recorded",
            EventKind::GroupExtended => "group_extended",
            EventKind::GroupMemberReplaced => "group_member_replaced",
            EventKind::GroupCoordinatorNamed => "group_coordinator_named",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the procedure's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub at: Timestamp,
}

/// Why a command was refused. Each variant has a message id in the translation catalogs ([`TransitionError::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransitionError {
    /// A support group always includes a social worker (art. 9a ust. 11).
    GroupNeedsSocialWorker,
    /// A support group always includes a police officer (art. 9a ust. 11).
    GroupNeedsPoliceOfficer,
    /// The procedure has its support group already.
    GroupAlreadyAppointed,
    /// A group meeting cannot be held before the group exists.
    MeetingWithoutGroup,
    /// The support group fills form C at its meetings; none was held yet.
    FormCBeforeFirstMeeting,
    /// The support group fills form D at its meetings; none was held yet.
    FormDBeforeFirstMeeting,
    /// A closed procedure takes no form C.
    ClosedNoFormC,
    /// A closed procedure takes no form D.
    ClosedNoFormD,
    /// During monitoring a new form A reopens the procedure ([`Command::ReopenFromMonitoring`]).
    FurtherIncidentWhileClosed,
    /// A firearm is notified when a procedure is opened (art. 9f); a closed one is reopened first.
    FirearmWhileClosed,
    /// The firearm was recorded already, and the notification it starts is under way.
    FirearmAlreadyRecorded,
    /// The support group closes the procedure (art. 9b ust. 8 pkt 8), as a body that has met.
    CloseBeforeFirstMeeting,
    /// The procedure is closed already.
    AlreadyClosed,
    /// Ending the monitoring, or reopening, needs a closed procedure.
    NotClosed,
    /// Monitoring lasts 9 months after closing (art. 9h ust. 2).
    MonitoringNotOver,
    /// More than 9 months after closing a new form A opens a new procedure.
    ReopenAfterMonitoring,
    /// A closed procedure is not transferred.
    TransferWhileClosed,
    /// Monitoring ended: the procedure takes no more commands.
    MonitoringEnded,
    /// The procedure went to another municipality's team: it takes no more commands here.
    TransferredOut,
    /// The command is dated before the procedure's last event.
    TimeBeforeLastEvent,
    /// A meeting recorded as held later than now.
    MeetingInFuture,
    /// A meeting recorded as held before the group was appointed (and so, possibly, before form A).
    MeetingBeforeGroup,
    /// The group notifies the absent person using violence; there is no group yet.
    NoticeWithoutGroup,
    /// The notice of the opening was recorded already.
    SuspectAlreadyNotified,
    /// No firearm was recorded, so there is nobody to notify of one.
    FirearmNotRecorded,
    /// The firearms unit was notified already.
    FirearmAlreadyNotified,
    /// A referral step was refused; its own message id is in [`ReferralError::ALL`].
    Referral(ReferralError),
    /// A group is changed only once it has been appointed.
    GroupChangeWithoutGroup,
    /// An extension names nobody.
    GroupExtensionEmpty,
    /// The member to replace is not in the group in that capacity.
    GroupMemberNotInGroup,
}

impl TransitionError {
    /// The refusals of the procedure itself; those of a referral step are [`ReferralError::ALL`].
    pub const ALL: [TransitionError; 29] = [
        TransitionError::GroupNeedsSocialWorker,
        TransitionError::GroupNeedsPoliceOfficer,
        TransitionError::GroupAlreadyAppointed,
        TransitionError::MeetingWithoutGroup,
        TransitionError::FormCBeforeFirstMeeting,
        TransitionError::FormDBeforeFirstMeeting,
        TransitionError::ClosedNoFormC,
        TransitionError::ClosedNoFormD,
        TransitionError::FurtherIncidentWhileClosed,
        TransitionError::FirearmWhileClosed,
        TransitionError::FirearmAlreadyRecorded,
        TransitionError::CloseBeforeFirstMeeting,
        TransitionError::AlreadyClosed,
        TransitionError::NotClosed,
        TransitionError::MonitoringNotOver,
        TransitionError::ReopenAfterMonitoring,
        TransitionError::TransferWhileClosed,
        TransitionError::MonitoringEnded,
        TransitionError::TransferredOut,
        TransitionError::TimeBeforeLastEvent,
        TransitionError::MeetingInFuture,
        TransitionError::MeetingBeforeGroup,
        TransitionError::NoticeWithoutGroup,
        TransitionError::SuspectAlreadyNotified,
        TransitionError::FirearmNotRecorded,
        TransitionError::FirearmAlreadyNotified,
        TransitionError::GroupChangeWithoutGroup,
        TransitionError::GroupExtensionEmpty,
        TransitionError::GroupMemberNotInGroup,
    ];

    /// The message id in the translation catalogs (`crates/web/i18n/*/main.ftl`).
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::GroupNeedsSocialWorker => "err-group-needs-social-worker",
            TransitionError::GroupNeedsPoliceOfficer => "err-group-needs-police-officer",
            TransitionError::GroupAlreadyAppointed => "err-transition-group-already-appointed",
            TransitionError::MeetingWithoutGroup => "err-transition-meeting-without-group",
            TransitionError::FormCBeforeFirstMeeting => "err-transition-form-c-before-first-meeting",
            TransitionError::FormDBeforeFirstMeeting => "err-transition-form-d-before-first-meeting",
            TransitionError::ClosedNoFormC => "err-transition-closed-no-form-c",
            TransitionError::ClosedNoFormD => "err-transition-closed-no-form-d",
            TransitionError::FurtherIncidentWhileClosed => "err-transition-closed-further-incident-reopens",
            TransitionError::FirearmWhileClosed => "err-transition-closed-no-firearm",
            TransitionError::FirearmAlreadyRecorded => "err-transition-firearm-already-recorded",
            TransitionError::CloseBeforeFirstMeeting => "err-transition-close-before-first-meeting",
            TransitionError::AlreadyClosed => "err-transition-already-closed",
            TransitionError::NotClosed => "err-transition-not-closed",
            TransitionError::MonitoringNotOver => "err-transition-monitoring-not-over",
            TransitionError::ReopenAfterMonitoring => "err-transition-reopen-after-monitoring",
            TransitionError::TransferWhileClosed => "err-transition-closed-no-transfer",
            TransitionError::MonitoringEnded => "err-transition-monitoring-ended",
            TransitionError::TransferredOut => "err-transition-transferred-out",
            TransitionError::TimeBeforeLastEvent => "err-transition-time-before-last-event",
            TransitionError::MeetingInFuture => "err-transition-meeting-in-future",
            TransitionError::MeetingBeforeGroup => "err-transition-meeting-before-group",
            TransitionError::NoticeWithoutGroup => "err-transition-notice-without-group",
            TransitionError::SuspectAlreadyNotified => "err-transition-suspect-already-notified",
            TransitionError::FirearmNotRecorded => "err-transition-firearm-not-recorded",
            TransitionError::FirearmAlreadyNotified => "err-transition-firearm-already-notified",
            TransitionError::Referral(e) => e.code(),
            TransitionError::GroupChangeWithoutGroup => "err-transition-group-change-without-group",
            TransitionError::GroupExtensionEmpty => "err-group-extension-empty",
            TransitionError::GroupMemberNotInGroup => "err-group-member-not-in-group",
        }
    }
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for TransitionError {}

/// Applies one command, dated `at`, to a procedure: the next state and the events for its timeline, or the reason
/// for refusing. Every accepted command yields at least one event, each dated `at`.
///
/// The match below is the transition table: the terminal states and the time check come first, then one arm per
/// (state, command) pair that is accepted or refused for its own reason.
pub fn apply(
    state: &ProcedureState,
    command: &Command,
    at: Timestamp,
) -> Result<(ProcedureState, Vec<Event>), TransitionError> {
    use Command as C;
    use EventKind as K;
    use Phase as P;
    use TransitionError as E;

    let mut next = state.clone();
    let kinds: Vec<EventKind> = match (&state.phase, command) {
        (P::TransferredOut { .. }, _) => return Err(E::TransferredOut),
        (P::MonitoringEnded(_), _) => return Err(E::MonitoringEnded),
        _ if at < state.last_event_at => return Err(E::TimeBeforeLastEvent),

        (P::Opened, C::AppointGroup { members }) => {
            next.group = Some(SupportGroup::appoint(members, at)?);
            next.phase = P::GroupAppointed;
            vec![K::GroupAppointed]
        }
        (P::GroupAppointed | P::InProgress | P::Closed(_), C::AppointGroup { .. }) => {
            return Err(E::GroupAlreadyAppointed);
        }

        (P::Opened, C::RecordGroupMeeting | C::RecordGroupMeetingHeld { .. }) => return Err(E::MeetingWithoutGroup),
        // During monitoring the group goes on meeting to assess the persons' situation (art. 9b ust. 8 pkt 7).
        (
            P::GroupAppointed | P::InProgress | P::Closed(_),
            C::RecordGroupMeeting | C::RecordGroupMeetingHeld { .. },
        ) => {
            let held_at = match command {
                C::RecordGroupMeetingHeld { held_at } => *held_at,
                _ => at,
            };
            if held_at > at {
                return Err(E::MeetingInFuture);
            }
            if state.group.as_ref().is_some_and(|g| held_at < g.appointed_at) {
                return Err(E::MeetingBeforeGroup);
            }
            // A meeting written up late may predate the first one recorded: the first meeting is the earliest.
            next.first_meeting_at = Some(state.first_meeting_at.map_or(held_at, |first| first.min(held_at)));
            next.group_meetings = next.group_meetings.saturating_add(1);
            if matches!(state.phase, P::GroupAppointed) {
                next.phase = P::InProgress;
            }
            vec![K::GroupMeetingHeld]
        }

        (P::Opened, C::RecordSuspectNotified) => return Err(E::NoticeWithoutGroup),
        (P::GroupAppointed | P::InProgress | P::Closed(_), C::RecordSuspectNotified) => {
            if state.suspect_notified_at.is_some() {
                return Err(E::SuspectAlreadyNotified);
            }
            next.suspect_notified_at = Some(at);
            vec![K::SuspectNotified]
        }

        (P::Opened | P::GroupAppointed | P::InProgress | P::Closed(_), C::RecordFirearmNotified) => {
            if state.firearm_recorded_at.is_none() {
                return Err(E::FirearmNotRecorded);
            }
            if state.firearm_notified_at.is_some() {
                return Err(E::FirearmAlreadyNotified);
            }
            next.firearm_notified_at = Some(at);
            vec![K::FirearmNotified]
        }

        (P::Opened | P::GroupAppointed, C::RecordFormC) => return Err(E::FormCBeforeFirstMeeting),
        (P::InProgress, C::RecordFormC) => {
            next.forms_c = next.forms_c.saturating_add(1);
            vec![K::FormCRecorded]
        }
        (P::Closed(_), C::RecordFormC) => return Err(E::ClosedNoFormC),

        (P::Opened | P::GroupAppointed, C::RecordFormD) => return Err(E::FormDBeforeFirstMeeting),
        (P::InProgress, C::RecordFormD) => {
            next.forms_d = next.forms_d.saturating_add(1);
            vec![K::FormDRecorded]
        }
        (P::Closed(_), C::RecordFormD) => return Err(E::ClosedNoFormD),

        (P::Opened | P::GroupAppointed | P::InProgress, C::AttachFurtherIncident) => {
            next.forms_a = next.forms_a.saturating_add(1);
            vec![K::FurtherIncidentAttached]
        }
        (P::Closed(_), C::AttachFurtherIncident) => return Err(E::FurtherIncidentWhileClosed),

        (P::Opened | P::GroupAppointed | P::InProgress, C::RecordFirearm) => {
            if state.firearm_recorded_at.is_some() {
                return Err(E::FirearmAlreadyRecorded);
            }
            next.firearm_recorded_at = Some(at);
            vec![K::FirearmRecorded]
        }
        (P::Closed(_), C::RecordFirearm) => return Err(E::FirearmWhileClosed),

        (P::Opened | P::GroupAppointed, C::Close { .. }) => return Err(E::CloseBeforeFirstMeeting),
        (P::InProgress, C::Close { reason }) => {
            next.phase = P::Closed(Closing { reason: *reason, at, monitoring_until: monitoring_until(at) });
            vec![K::ProcedureClosed, K::MonitoringStarted]
        }
        (P::Closed(_), C::Close { .. }) => return Err(E::AlreadyClosed),

        (P::Opened | P::GroupAppointed | P::InProgress, C::EndMonitoring | C::ReopenFromMonitoring) => {
            return Err(E::NotClosed);
        }
        (P::Closed(closing), C::EndMonitoring) => {
            if warsaw_date(at) < closing.monitoring_until {
                return Err(E::MonitoringNotOver);
            }
            next.phase = P::MonitoringEnded(*closing);
            vec![K::MonitoringEnded]
        }
        (P::Closed(closing), C::ReopenFromMonitoring) => {
            if warsaw_date(at) > closing.monitoring_until {
                return Err(E::ReopenAfterMonitoring);
            }
            // Closing needs the first meeting, so the group has met: the procedure resumes where it was.
            next.phase = P::InProgress;
            next.forms_a = next.forms_a.saturating_add(1);
            next.reopenings = next.reopenings.saturating_add(1);
            vec![K::FurtherIncidentAttached, K::ProcedureReopened]
        }

        (P::Opened | P::GroupAppointed | P::InProgress, C::TransferOut) => {
            next.phase = P::TransferredOut { at };
            vec![K::TransferredOut]
        }
        (P::Closed(_), C::TransferOut) => return Err(E::TransferWhileClosed),

        (P::Opened | P::GroupAppointed | P::InProgress | P::Closed(_), C::Referral { referral, step }) => {
            let accepts_request = matches!(state.phase, P::InProgress);
            let updated = apply_step(&state.referrals, *referral, step, at, accepts_request).map_err(E::Referral)?;
            match next.referrals.iter_mut().find(|r| r.id() == *referral) {
                Some(slot) => *slot = updated,
                None => next.referrals.push(updated),
            }
            vec![if matches!(step, ReferralStep::Request { .. }) {
                K::ReferralRequested
            } else {
                K::ReferralStepRecorded
            }]
        }

        (P::Opened, C::ChangeGroup { .. }) => return Err(E::GroupChangeWithoutGroup),
        // During monitoring too: the group goes on working until the monitoring ends (art. 9b ust. 8 pkt 7).
        (P::GroupAppointed | P::InProgress | P::Closed(_), C::ChangeGroup { change }) => {
            let group = next.group.as_mut().ok_or(E::GroupChangeWithoutGroup)?;
            match change {
                GroupChange::Extend { members } => {
                    if members.is_empty() {
                        return Err(E::GroupExtensionEmpty);
                    }
                    group.members.extend(members.iter().copied());
                    vec![K::GroupExtended]
                }
                GroupChange::Replace { left, joined } => {
                    let slot = group.members.iter_mut().find(|k| *k == left).ok_or(E::GroupMemberNotInGroup)?;
                    *slot = *joined;
                    // The statutory core stays whoever leaves (art. 9a ust. 11).
                    SupportGroup::appoint(&group.members, group.appointed_at)?;
                    vec![K::GroupMemberReplaced]
                }
                GroupChange::NameCoordinator => vec![K::GroupCoordinatorNamed],
            }
        }
    };
    next.last_event_at = at;
    let events = kinds.into_iter().map(|kind| Event { kind, at }).collect();
    Ok((next, events))
}

/// Rebuilds a procedure from its opening instant and its accepted commands, in order: how the store can restore a
/// state from a command log. Stops at the first command that is refused.
pub fn replay<'a>(
    opened_at: Timestamp,
    commands: impl IntoIterator<Item = &'a (Command, Timestamp)>,
) -> Result<ProcedureState, TransitionError> {
    let (mut state, _) = ProcedureState::open(opened_at);
    for (command, at) in commands {
        state = apply(&state, command, *at)?.0;
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn core_group() -> Command {
        Command::AppointGroup { members: vec![GroupMemberKind::SocialWorker, GroupMemberKind::PoliceOfficer] }
    }

    /// Applies commands that must all be accepted, starting from a procedure opened on 2 March 2026.
    fn run(commands: &[(Command, &str)]) -> ProcedureState {
        let (mut state, _) = ProcedureState::open(t("2026-03-02T09:00:00Z"));
        for (command, at) in commands {
            state = apply(&state, command, t(at)).unwrap().0;
        }
        state
    }

    fn opened() -> ProcedureState {
        run(&[])
    }

    fn group_appointed() -> ProcedureState {
        run(&[(core_group(), "2026-03-03T09:00:00Z")])
    }

    fn in_progress() -> ProcedureState {
        run(&[(core_group(), "2026-03-03T09:00:00Z"), (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z")])
    }

    /// Closed on 15 April 2026 (Warsaw), so monitored until 15 January 2027.
    fn closed() -> ProcedureState {
        run(&[
            (core_group(), "2026-03-03T09:00:00Z"),
            (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z"),
            (Command::Close { reason: ClosingReason::ViolenceStopped }, "2026-04-15T10:00:00Z"),
        ])
    }

    fn monitoring_ended() -> ProcedureState {
        let state = closed();
        apply(&state, &Command::EndMonitoring, t("2027-01-15T10:00:00Z")).unwrap().0
    }

    fn transferred_out() -> ProcedureState {
        let state = in_progress();
        apply(&state, &Command::TransferOut, t("2026-03-10T10:00:00Z")).unwrap().0
    }

    fn refused(state: &ProcedureState, command: Command, at: &str) -> &'static str {
        apply(state, &command, t(at)).unwrap_err().code()
    }

    const LATER: &str = "2026-05-01T10:00:00Z";

    // --- the happy path -------------------------------------------------------------------------------------------

    #[test]
    fn opening_yields_one_event_and_counts_the_first_form_a() {
        let (state, events) = ProcedureState::open(t("2026-03-02T09:00:00Z"));
        assert_eq!(state.phase(), &Phase::Opened);
        assert_eq!(state.forms_a(), 1);
        assert_eq!(events, vec![Event { kind: EventKind::ProcedureOpened, at: t("2026-03-02T09:00:00Z") }]);
    }

    #[test]
    fn a_procedure_walks_from_opening_through_monitoring_to_its_end() {
        let state = closed();
        let closing = state.closing().copied().unwrap();
        assert_eq!(closing.reason(), ClosingReason::ViolenceStopped);
        assert_eq!(closing.monitoring_until(), d("2027-01-15"));
        assert!(state.is_monitoring());
        assert_eq!(state.first_meeting_at(), Some(t("2026-03-06T09:00:00Z")));
        assert_eq!(state.group().unwrap().appointed_at(), t("2026-03-03T09:00:00Z"));

        let (ended, events) = apply(&state, &Command::EndMonitoring, t("2027-01-15T10:00:00Z")).unwrap();

        assert_eq!(ended.phase(), &Phase::MonitoringEnded(closing));
        assert!(ended.is_closed());
        assert!(!ended.is_monitoring());
        assert_eq!(events, vec![Event { kind: EventKind::MonitoringEnded, at: t("2027-01-15T10:00:00Z") }]);
    }

    #[test]
    fn closing_records_both_the_closing_and_the_start_of_monitoring() {
        let state = in_progress();
        let (next, events) =
            apply(&state, &Command::Close { reason: ClosingReason::NoGrounds }, t("2026-04-01T08:00:00Z")).unwrap();
        let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![EventKind::ProcedureClosed, EventKind::MonitoringStarted]);
        assert_eq!(next.closing().unwrap().reason(), ClosingReason::NoGrounds);
    }

    #[test]
    fn the_group_keeps_meeting_during_monitoring() {
        let state = closed();
        let (next, events) = apply(&state, &Command::RecordGroupMeeting, t("2026-06-01T10:00:00Z")).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(next.group_meetings(), 2);
        assert!(next.is_monitoring());
    }

    #[test]
    fn a_new_form_a_during_monitoring_reopens_the_procedure() {
        let state = closed();
        let (next, events) = apply(&state, &Command::ReopenFromMonitoring, t("2026-09-01T10:00:00Z")).unwrap();
        assert_eq!(next.phase(), &Phase::InProgress);
        assert_eq!(next.forms_a(), 2);
        assert_eq!(next.reopenings(), 1);
        assert_eq!(next.opened_at(), state.opened_at());
        let kinds: Vec<_> = events.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, vec![EventKind::FurtherIncidentAttached, EventKind::ProcedureReopened]);
    }

    #[test]
    fn a_new_form_a_on_the_last_day_of_monitoring_still_reopens() {
        // 15 January 2027, 23:30 in Warsaw.
        let state = closed();
        assert!(apply(&state, &Command::ReopenFromMonitoring, t("2027-01-15T22:30:00Z")).is_ok());
    }

    #[test]
    fn forms_c_and_d_and_further_incidents_are_counted_while_the_procedure_runs() {
        let state = run(&[
            (Command::AttachFurtherIncident, "2026-03-02T12:00:00Z"),
            (core_group(), "2026-03-03T09:00:00Z"),
            (Command::RecordGroupMeeting, "2026-03-06T09:00:00Z"),
            (Command::RecordFormC, "2026-03-06T10:00:00Z"),
            (Command::RecordFormC, "2026-03-06T10:00:00Z"),
            (Command::RecordFormD, "2026-03-09T10:00:00Z"),
        ]);
        assert_eq!((state.forms_a(), state.forms_c(), state.forms_d()), (2, 2, 1));
    }

    #[test]
    fn a_firearm_is_recorded_once_with_its_instant() {
        let state = opened();
        let (next, events) = apply(&state, &Command::RecordFirearm, t("2026-03-02T10:00:00Z")).unwrap();
        assert_eq!(next.firearm_recorded_at(), Some(t("2026-03-02T10:00:00Z")));
        assert_eq!(events.first().map(|e| e.kind), Some(EventKind::FirearmRecorded));
    }

    #[test]
    fn a_procedure_can_be_transferred_before_its_group_is_appointed() {
        let state = opened();
        let (next, _) = apply(&state, &Command::TransferOut, t("2026-03-02T10:00:00Z")).unwrap();
        assert_eq!(next.phase(), &Phase::TransferredOut { at: t("2026-03-02T10:00:00Z") });
        assert_eq!(next.opened_at(), t("2026-03-02T09:00:00Z"));
    }

    #[test]
    fn the_group_keeps_every_member_as_appointed() {
        let members = vec![
            GroupMemberKind::Teacher,
            GroupMemberKind::PoliceOfficer,
            GroupMemberKind::SocialWorker,
            GroupMemberKind::Teacher,
        ];
        let state = run(&[(Command::AppointGroup { members: members.clone() }, "2026-03-03T09:00:00Z")]);
        let group = state.group().unwrap();
        assert_eq!(group.members(), members.as_slice());
        assert!(group.includes(GroupMemberKind::Teacher));
        assert!(!group.includes(GroupMemberKind::ProbationOfficer));
    }

    #[test]
    fn replaying_a_command_log_rebuilds_the_state() {
        let log = vec![
            (core_group(), t("2026-03-03T09:00:00Z")),
            (Command::RecordGroupMeeting, t("2026-03-06T09:00:00Z")),
            (Command::Close { reason: ClosingReason::ViolenceStopped }, t("2026-04-15T10:00:00Z")),
        ];
        assert_eq!(replay(t("2026-03-02T09:00:00Z"), &log), Ok(closed()));
        assert_eq!(
            replay(t("2026-03-02T09:00:00Z"), &[(Command::RecordFormC, t("2026-03-03T09:00:00Z"))]),
            Err(TransitionError::FormCBeforeFirstMeeting)
        );
    }

    // --- each refusal with its message id -------------------------------------------------------------------------

    #[test]
    fn a_group_without_a_social_worker_is_refused() {
        let members = vec![GroupMemberKind::PoliceOfficer, GroupMemberKind::Teacher];
        assert_eq!(refused(&opened(), Command::AppointGroup { members }, LATER), "err-group-needs-social-worker");
    }

    #[test]
    fn a_group_without_a_police_officer_is_refused() {
        let members = vec![GroupMemberKind::SocialWorker, GroupMemberKind::MilitaryPolice];
        assert_eq!(refused(&opened(), Command::AppointGroup { members }, LATER), "err-group-needs-police-officer");
    }

    #[test]
    fn an_empty_group_is_refused_for_its_missing_social_worker_first() {
        let members = vec![];
        assert_eq!(refused(&opened(), Command::AppointGroup { members }, LATER), "err-group-needs-social-worker");
    }

    #[test]
    fn a_second_group_is_refused_in_every_state_that_has_one() {
        for state in [group_appointed(), in_progress(), closed()] {
            assert_eq!(refused(&state, core_group(), LATER), "err-transition-group-already-appointed");
        }
    }

    #[test]
    fn a_meeting_before_a_group_exists_is_refused() {
        assert_eq!(refused(&opened(), Command::RecordGroupMeeting, LATER), "err-transition-meeting-without-group");
    }

    #[test]
    fn forms_c_and_d_before_the_first_group_meeting_are_refused() {
        for state in [opened(), group_appointed()] {
            assert_eq!(refused(&state, Command::RecordFormC, LATER), "err-transition-form-c-before-first-meeting");
            assert_eq!(refused(&state, Command::RecordFormD, LATER), "err-transition-form-d-before-first-meeting");
        }
    }

    #[test]
    fn a_closed_procedure_accepts_no_form_c() {
        assert_eq!(refused(&closed(), Command::RecordFormC, LATER), "err-transition-closed-no-form-c");
    }

    #[test]
    fn a_closed_procedure_accepts_no_form_d() {
        assert_eq!(refused(&closed(), Command::RecordFormD, LATER), "err-transition-closed-no-form-d");
    }

    #[test]
    fn a_further_incident_during_monitoring_must_reopen_the_procedure() {
        assert_eq!(
            refused(&closed(), Command::AttachFurtherIncident, LATER),
            "err-transition-closed-further-incident-reopens"
        );
    }

    #[test]
    fn a_firearm_in_a_closed_procedure_is_refused() {
        assert_eq!(refused(&closed(), Command::RecordFirearm, LATER), "err-transition-closed-no-firearm");
    }

    #[test]
    fn a_firearm_recorded_twice_is_refused() {
        let state = apply(&opened(), &Command::RecordFirearm, t("2026-03-02T10:00:00Z")).unwrap().0;
        assert_eq!(refused(&state, Command::RecordFirearm, LATER), "err-transition-firearm-already-recorded");
    }

    #[test]
    fn closing_before_the_first_group_meeting_is_refused() {
        for state in [opened(), group_appointed()] {
            let close = Command::Close { reason: ClosingReason::NoGrounds };
            assert_eq!(refused(&state, close, LATER), "err-transition-close-before-first-meeting");
        }
    }

    #[test]
    fn closing_twice_is_refused() {
        let close = Command::Close { reason: ClosingReason::NoGrounds };
        assert_eq!(refused(&closed(), close, LATER), "err-transition-already-closed");
    }

    #[test]
    fn ending_monitoring_or_reopening_a_running_procedure_is_refused() {
        for state in [opened(), group_appointed(), in_progress()] {
            assert_eq!(refused(&state, Command::EndMonitoring, LATER), "err-transition-not-closed");
            assert_eq!(refused(&state, Command::ReopenFromMonitoring, LATER), "err-transition-not-closed");
        }
    }

    #[test]
    fn ending_monitoring_before_nine_months_is_refused() {
        // 14 January 2027, 23:30 in Warsaw: the day before the monitoring-until date.
        assert_eq!(
            refused(&closed(), Command::EndMonitoring, "2027-01-14T22:30:00Z"),
            "err-transition-monitoring-not-over"
        );
    }

    #[test]
    fn reopening_after_nine_months_is_refused() {
        // 16 January 2027, 00:30 in Warsaw: the day after the monitoring-until date.
        assert_eq!(
            refused(&closed(), Command::ReopenFromMonitoring, "2027-01-15T23:30:00Z"),
            "err-transition-reopen-after-monitoring"
        );
    }

    #[test]
    fn transferring_a_closed_procedure_is_refused() {
        assert_eq!(refused(&closed(), Command::TransferOut, LATER), "err-transition-closed-no-transfer");
    }

    #[test]
    fn every_command_after_the_monitoring_ended_is_refused() {
        let state = monitoring_ended();
        for command in every_command() {
            assert_eq!(refused(&state, command, "2027-06-01T10:00:00Z"), "err-transition-monitoring-ended");
        }
    }

    #[test]
    fn every_command_after_a_transfer_is_refused() {
        let state = transferred_out();
        for command in every_command() {
            assert_eq!(refused(&state, command, LATER), "err-transition-transferred-out");
        }
    }

    #[test]
    fn a_command_dated_before_the_last_event_is_refused() {
        let state = in_progress();
        assert_eq!(
            refused(&state, Command::RecordFormC, "2026-03-06T08:59:59Z"),
            "err-transition-time-before-last-event"
        );
        assert!(apply(&state, &Command::RecordFormC, t("2026-03-06T09:00:00Z")).is_ok());
    }

    #[test]
    fn unknown_member_kinds_and_closing_reasons_are_refused_with_their_ids() {
        assert_eq!(GroupMemberKind::parse("priest"), Err("err-group-member-kind-unknown"));
        assert_eq!(ClosingReason::parse("tired"), Err("err-closing-reason-unknown"));
    }

    #[test]
    fn a_meeting_written_up_later_counts_from_when_it_was_held() {
        let (state, events) = apply(
            &group_appointed(),
            &Command::RecordGroupMeetingHeld { held_at: t("2026-03-04T09:00:00Z") },
            t(LATER),
        )
        .unwrap();
        assert_eq!(state.phase().as_str(), "in_progress");
        assert_eq!(state.first_meeting_at(), Some(t("2026-03-04T09:00:00Z")));
        assert_eq!(events, vec![Event { kind: EventKind::GroupMeetingHeld, at: t(LATER) }]);
    }

    #[test]
    fn an_earlier_meeting_written_up_after_a_later_one_becomes_the_first() {
        let state = in_progress();
        let first = state.first_meeting_at().unwrap();
        let earlier = first.checked_sub(SignedDuration::from_hours(20)).unwrap();
        let (next, _) = apply(&state, &Command::RecordGroupMeetingHeld { held_at: earlier }, t(LATER)).unwrap();
        assert_eq!(next.first_meeting_at(), Some(earlier));
        assert_eq!(next.group_meetings(), state.group_meetings() + 1);
    }

    #[test]
    fn a_meeting_held_in_the_future_or_before_the_group_is_refused() {
        let future = Command::RecordGroupMeetingHeld { held_at: t("2026-12-01T10:00:00Z") };
        assert_eq!(refused(&group_appointed(), future, LATER), "err-transition-meeting-in-future");
        let before = Command::RecordGroupMeetingHeld { held_at: t("2026-03-02T09:00:00Z") };
        assert_eq!(refused(&group_appointed(), before, LATER), "err-transition-meeting-before-group");
    }

    #[test]
    fn the_absent_suspect_is_notified_once_and_only_once_a_group_exists() {
        assert_eq!(refused(&opened(), Command::RecordSuspectNotified, LATER), "err-transition-notice-without-group");
        let (state, events) = apply(&group_appointed(), &Command::RecordSuspectNotified, t(LATER)).unwrap();
        assert_eq!(state.suspect_notified_at(), Some(t(LATER)));
        assert_eq!(events[0].kind, EventKind::SuspectNotified);
        assert_eq!(refused(&state, Command::RecordSuspectNotified, LATER), "err-transition-suspect-already-notified");
    }

    #[test]
    fn a_firearm_is_notified_only_once_it_was_recorded() {
        assert_eq!(refused(&opened(), Command::RecordFirearmNotified, LATER), "err-transition-firearm-not-recorded");
        let state = apply(&opened(), &Command::RecordFirearm, t("2026-03-02T10:00:00Z")).unwrap().0;
        let (state, events) = apply(&state, &Command::RecordFirearmNotified, t(LATER)).unwrap();
        assert_eq!(events[0].kind, EventKind::FirearmNotified);
        assert_eq!(state.firearm_notified_at(), Some(t(LATER)));
        assert_eq!(refused(&state, Command::RecordFirearmNotified, LATER), "err-transition-firearm-already-notified");
    }

    // --- names and ids --------------------------------------------------------------------------------------------

    #[test]
    fn every_enum_name_parses_back_to_the_same_value() {
        for kind in GroupMemberKind::ALL {
            assert_eq!(GroupMemberKind::parse(kind.as_str()), Ok(kind));
        }
        for reason in ClosingReason::ALL {
            assert_eq!(ClosingReason::parse(reason.as_str()), Ok(reason));
        }
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("exploded"), None);
    }

    #[test]
    fn every_refusal_has_its_own_message_id() {
        let codes: HashSet<_> = TransitionError::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), TransitionError::ALL.len());
        assert!(codes.iter().all(|c| c.starts_with("err-")));
        assert_eq!(TransitionError::ClosedNoFormC.to_string(), "err-transition-closed-no-form-c");
    }

    // --- the monitoring-until date ---------------------------------------------------------------------------------

    #[test]
    fn monitoring_lasts_until_the_same_day_nine_months_later() {
        assert_eq!(monitoring_until(t("2026-04-15T10:00:00Z")), d("2027-01-15"));
    }

    #[test]
    fn monitoring_until_clamps_to_the_end_of_a_shorter_month() {
        assert_eq!(monitoring_until(t("2026-05-31T10:00:00Z")), d("2027-02-28"));
        assert_eq!(monitoring_until(t("2027-05-31T10:00:00Z")), d("2028-02-29"));
        assert_eq!(monitoring_until(t("2026-03-31T10:00:00Z")), d("2026-12-31"));
        assert_eq!(monitoring_until(t("2026-01-31T10:00:00Z")), d("2026-10-31"));
        assert_eq!(monitoring_until(t("2025-12-31T10:00:00Z")), d("2026-09-30"));
    }

    #[test]
    fn monitoring_until_counts_from_the_closing_date_in_warsaw_not_in_utc() {
        // 30 June 2026, 22:30 UTC is 1 July, 00:30 in Warsaw (summer time, UTC+2).
        assert_eq!(monitoring_until(t("2026-06-30T22:30:00Z")), d("2027-04-01"));
        // 31 December 2026, 23:30 UTC is 1 January 2027, 00:30 in Warsaw (winter time, UTC+1).
        assert_eq!(monitoring_until(t("2026-12-31T23:30:00Z")), d("2027-10-01"));
        // 31 December 2026, 22:59 UTC is still 31 December in Warsaw.
        assert_eq!(monitoring_until(t("2026-12-31T22:59:00Z")), d("2027-09-30"));
    }

    #[test]
    fn monitoring_until_saturates_at_the_end_of_the_calendar() {
        assert_eq!(monitoring_until(t("9999-06-01T00:00:00Z")), Date::MAX);
    }

    // --- properties -----------------------------------------------------------------------------------------------

    fn every_command() -> Vec<Command> {
        vec![
            core_group(),
            Command::RecordGroupMeeting,
            Command::RecordFormC,
            Command::RecordFormD,
            Command::AttachFurtherIncident,
            Command::Close { reason: ClosingReason::ViolenceStopped },
            Command::Close { reason: ClosingReason::NoGrounds },
            Command::EndMonitoring,
            Command::ReopenFromMonitoring,
            Command::TransferOut,
            Command::RecordFirearm,
            Command::RecordGroupMeetingHeld { held_at: t("2026-03-04T09:00:00Z") },
            Command::RecordSuspectNotified,
            Command::RecordFirearmNotified,
            Command::Referral { referral: Uuid::from_u128(1), step: referral_request() },
            Command::Referral { referral: Uuid::from_u128(1), step: ReferralStep::Deliver { on: d("2026-03-02") } },
        ]
    }

    fn referral_request() -> ReferralStep {
        use super::super::referral::{ProgrammeKind, SuspectedPersonRef};
        ReferralStep::Request {
            programme: ProgrammeKind::PsychologicalTherapeutic,
            person: SuspectedPersonRef { form_id: Uuid::from_u128(9), index: 0 },
        }
    }

    /// Dates in referral steps are drawn as "so many days before the command": the strategy writes the count as a
    /// day of the year 2000 and [`history`] turns it into a real date once the command's instant is known.
    const DAYS_BACK_BASE: Date = jiff::civil::date(2000, 1, 1);

    fn referral_step() -> impl Strategy<Value = ReferralStep> {
        use super::super::referral::Penalty;
        let on = prop_oneof![4 => 0i64..3, 1 => 0i64..45]
            .prop_map(|back| DAYS_BACK_BASE.checked_add(jiff::Span::new().days(back)).unwrap());
        prop_oneof![
            4 => Just(referral_request()),
            3 => Just(ReferralStep::Refer { provider: "Powiatowe Centrum Pomocy Rodzinie".into() }),
            3 => on.clone().prop_map(|on| ReferralStep::Deliver { on }),
            3 => on.clone().prop_map(|on| ReferralStep::RegistrationCertificate { on }),
            3 => on.clone().prop_map(|on| ReferralStep::CertificateCall { on }),
            2 => on.clone().prop_map(|on| ReferralStep::ProgrammeEnded { on }),
            2 => on.clone().prop_map(|on| ReferralStep::CompletionCertificate { on }),
            3 => on.clone().prop_map(|on| ReferralStep::RequestOffenceNotification { on }),
            1 => on.clone().prop_map(|on| ReferralStep::AskStarosta { on }),
            2 => on.clone().prop_map(|on| ReferralStep::FileOffenceNotification { on }),
            1 => on.clone().prop_map(|on| ReferralStep::InformCommander { on }),
            1 => (on, prop::sample::select(Penalty::ALL.to_vec())).prop_map(|(on, penalty)| ReferralStep::Penalty { penalty, on }),
        ]
    }

    /// The step with its drawn "days back" turned into the date that many days before `at` in Warsaw.
    fn dated(step: ReferralStep, at: Timestamp) -> ReferralStep {
        let Some(drawn) = step.date() else { return step };
        let back = drawn.since(DAYS_BACK_BASE).unwrap().get_days();
        let on = warsaw_date(at).checked_sub(jiff::Span::new().days(back)).unwrap();
        use ReferralStep as S;
        match step {
            S::Request { .. } | S::Refer { .. } => step,
            S::Deliver { .. } => S::Deliver { on },
            S::RegistrationCertificate { .. } => S::RegistrationCertificate { on },
            S::CertificateCall { .. } => S::CertificateCall { on },
            S::ProgrammeEnded { .. } => S::ProgrammeEnded { on },
            S::CompletionCertificate { .. } => S::CompletionCertificate { on },
            S::RequestOffenceNotification { .. } => S::RequestOffenceNotification { on },
            S::AskStarosta { .. } => S::AskStarosta { on },
            S::FileOffenceNotification { .. } => S::FileOffenceNotification { on },
            S::InformCommander { .. } => S::InformCommander { on },
            S::Penalty { penalty, .. } => S::Penalty { penalty, on },
        }
    }

    fn dated_command(command: Command, at: Timestamp) -> Command {
        match command {
            Command::Referral { referral, step } => Command::Referral { referral, step: dated(step, at) },
            other => other,
        }
    }

    /// What must hold of every referral, whatever was accepted before.
    fn check_referral(r: &Referral, last_event_at: Timestamp) -> Result<(), TestCaseError> {
        let today = warsaw_date(last_event_at);
        let requested = warsaw_date(r.requested_at());
        let dates = [
            r.delivered_on(),
            r.registration_certificate_on(),
            r.programme_ended_on(),
            r.completion_certificate_on(),
            r.notification_requested_on(),
            r.starosta_asked_on(),
            r.notification_filed_on(),
            r.commander_informed_on(),
            r.penalty().map(|p| p.1),
        ];
        prop_assert!(dates.iter().flatten().chain(r.calls()).all(|d| *d <= today), "a date in the future: {:?}", r);
        if let Some(delivered) = r.delivered_on() {
            prop_assert!(r.is_referred() && delivered >= requested);
        }
        if let Some(registered) = r.registration_certificate_on() {
            prop_assert!(r.delivered_on().is_some_and(|d| d <= registered));
        }
        prop_assert!(r.calls().len() <= 2 && r.calls().windows(2).all(|w| w[0] <= w[1]));
        if let (Some(first), Some(term)) = (r.calls().first(), r.registration_term_ends()) {
            prop_assert!(*first > term, "a call within the registration term");
        }
        if let Some(ended) = r.programme_ended_on() {
            prop_assert!(r.registration_certificate_on().is_some_and(|c| c <= ended));
        }
        if let Some(completed) = r.completion_certificate_on() {
            prop_assert!(r.programme_ended_on().is_some_and(|e| e <= completed), "completion without end: {:?}", r);
        }
        for later in [r.starosta_asked_on(), r.notification_filed_on()].into_iter().flatten() {
            prop_assert!(r.notification_requested_on().is_some_and(|q| q <= later));
        }
        for later in [r.commander_informed_on(), r.penalty().map(|p| p.1)].into_iter().flatten() {
            prop_assert!(r.notification_filed_on().is_some_and(|f| f <= later));
        }
        prop_assert!(r.clocks().is_ok());
        Ok(())
    }

    fn member_kind() -> impl Strategy<Value = GroupMemberKind> {
        prop::sample::select(GroupMemberKind::ALL.to_vec())
    }

    fn members() -> impl Strategy<Value = Vec<GroupMemberKind>> {
        prop_oneof![
            // Any mix, often without the statutory core.
            prop::collection::vec(member_kind(), 0..5),
            // The core plus extras, shuffled.
            prop::collection::vec(member_kind(), 0..4).prop_flat_map(|mut extra| {
                extra.push(GroupMemberKind::SocialWorker);
                extra.push(GroupMemberKind::PoliceOfficer);
                Just(extra).prop_shuffle()
            }),
        ]
    }

    /// Weighted so that most histories get past closing: a transfer ends a history, so it is rare.
    fn command() -> impl Strategy<Value = Command> {
        prop_oneof![
            16 => members().prop_map(|members| Command::AppointGroup { members }),
            20 => Just(Command::RecordGroupMeeting),
            12 => Just(Command::RecordFormC),
            12 => Just(Command::RecordFormD),
            6 => Just(Command::AttachFurtherIncident),
            16 => prop::sample::select(ClosingReason::ALL.to_vec()).prop_map(|reason| Command::Close { reason }),
            14 => Just(Command::EndMonitoring),
            14 => Just(Command::ReopenFromMonitoring),
            1 => Just(Command::TransferOut),
            6 => Just(Command::RecordFirearm),
            6 => (1_672_531_200i64..1_924_992_000i64)
                .prop_map(|s| Command::RecordGroupMeetingHeld { held_at: Timestamp::from_second(s).unwrap() }),
            4 => Just(Command::RecordSuspectNotified),
            4 => Just(Command::RecordFirearmNotified),
            30 => (prop_oneof![3 => Just(1u128), 1 => 2u128..4], referral_step()).prop_map(|(id, step)| Command::Referral { referral: Uuid::from_u128(id), step }),
        ]
    }

    const DAY: i64 = 86_400;

    /// A step forward in time: minutes, weeks, or most of a year (to reach the end of monitoring).
    fn gap() -> impl Strategy<Value = SignedDuration> {
        prop_oneof![4 => 0..3_600i64, 4 => 0..40 * DAY, 1 => 200 * DAY..320 * DAY].prop_map(SignedDuration::from_secs)
    }

    /// An opening instant between 2023 and 2031, and commands with non-decreasing instants after it.
    fn history() -> impl Strategy<Value = (Timestamp, Vec<(Command, Timestamp)>)> {
        let start = (1_672_531_200i64..1_924_992_000i64).prop_map(|s| Timestamp::from_second(s).unwrap());
        (start, prop::collection::vec((command(), gap()), 0..60)).prop_map(|(start, steps)| {
            let mut at = start;
            let commands = steps
                .into_iter()
                .map(|(command, gap)| {
                    at = at.checked_add(gap).unwrap();
                    (dated_command(command, at), at)
                })
                .collect();
            (start, commands)
        })
    }

    /// An opening instant and commands at arbitrary instants within a year of it, in no order.
    fn shuffled_history() -> impl Strategy<Value = (Timestamp, Vec<(Command, Timestamp)>)> {
        let start = Timestamp::from_second(1_767_225_600).unwrap();
        prop::collection::vec((command(), -30 * DAY..400 * DAY), 0..60).prop_map(move |steps| {
            let commands = steps
                .into_iter()
                .map(|(c, s)| {
                    let at = start.checked_add(SignedDuration::from_secs(s)).unwrap();
                    (dated_command(c, at), at)
                })
                .collect();
            (start, commands)
        })
    }

    proptest! {
        #[test]
        fn referral_requests_only_while_in_progress_and_later_steps_also_in_monitoring((start, commands) in history()) {
            let (mut state, _) = ProcedureState::open(start);
            for (command, at) in &commands {
                let before = state.phase().as_str();
                if let Ok((next, _)) = apply(&state, command, *at) {
                    if let Command::Referral { step, .. } = command {
                        if matches!(step, ReferralStep::Request { .. }) {
                            prop_assert_eq!(before, "in_progress");
                        } else {
                            prop_assert!(before == "in_progress" || before == "closed", "{} in {}", step.kind().as_str(), before);
                        }
                    }
                    state = next;
                }
            }
        }
    }

    fn is_closed_phase(phase: &Phase) -> bool {
        matches!(phase, Phase::Closed(_) | Phase::MonitoringEnded(_))
    }

    proptest! {
        #[test]
        fn no_sequence_of_commands_breaks_the_invariants((start, commands) in history()) {
            let (mut state, _) = ProcedureState::open(start);
            for (command, at) in &commands {
                if let Ok((next, _)) = apply(&state, command, *at) {
                    if is_closed_phase(state.phase()) {
                        prop_assert_eq!(next.forms_c(), state.forms_c(), "form C gained after closing: {:?}", command);
                        prop_assert_eq!(next.forms_d(), state.forms_d(), "form D gained after closing: {:?}", command);
                    }
                    state = next;
                }
                match state.group() {
                    Some(group) => {
                        prop_assert!(group.includes(GroupMemberKind::SocialWorker));
                        prop_assert!(group.includes(GroupMemberKind::PoliceOfficer));
                    }
                    None => prop_assert!(
                        matches!(state.phase(), Phase::Opened | Phase::TransferredOut { .. }),
                        "no group in {}",
                        state.phase().as_str()
                    ),
                }
                if let Some(closing) = state.closing() {
                    prop_assert!(state.first_meeting_at().is_some());
                    prop_assert!(closing.monitoring_until() > warsaw_date(closing.at()));
                }
                if matches!(state.phase(), Phase::InProgress) {
                    prop_assert!(state.first_meeting_at().is_some());
                }
                if let (Some(first), Some(group)) = (state.first_meeting_at(), state.group()) {
                    prop_assert!(first >= group.appointed_at(), "a meeting before the group was appointed");
                    prop_assert!(first <= state.last_event_at(), "a meeting held in the future");
                }
                if state.firearm_notified_at().is_some() {
                    prop_assert!(state.firearm_recorded_at().is_some(), "a firearm notified that was never recorded");
                }
                prop_assert!(state.forms_a() > state.reopenings(), "the opening form A plus one per reopening");
                let ids: HashSet<_> = state.referrals().iter().map(|r| r.id()).collect();
                prop_assert_eq!(ids.len(), state.referrals().len(), "a referral id twice");
                for referral in state.referrals() {
                    prop_assert!(state.first_meeting_at().is_some_and(|m| m <= referral.requested_at()));
                    check_referral(referral, state.last_event_at())?;
                }
            }
        }

        #[test]
        fn accepted_commands_yield_events_and_refused_ones_change_nothing((start, commands) in history()) {
            let (mut state, _) = ProcedureState::open(start);
            let mut accepted = Vec::new();
            for (command, at) in &commands {
                let before = state.clone();
                match apply(&state, command, *at) {
                    Ok((next, events)) => {
                        prop_assert!(!events.is_empty(), "no event for {:?}", command);
                        prop_assert!(events.iter().all(|e| e.at == *at));
                        prop_assert_eq!(next.last_event_at(), *at);
                        accepted.push((command.clone(), *at));
                        state = next;
                    }
                    Err(_) => prop_assert_eq!(&state, &before),
                }
            }
            // The refused commands left no trace: the accepted ones alone rebuild the same state.
            prop_assert_eq!(replay(start, &accepted), Ok(state));
        }

        #[test]
        fn event_instants_never_decrease_when_the_inputs_do_not((start, commands) in history()) {
            let (mut state, mut timeline) = ProcedureState::open(start);
            for (command, at) in &commands {
                if let Ok((next, events)) = apply(&state, command, *at) {
                    timeline.extend(events);
                    state = next;
                }
            }
            prop_assert!(timeline.windows(2).all(|w| w[0].at <= w[1].at));
        }

        #[test]
        fn event_instants_never_decrease_even_when_the_inputs_do((start, commands) in shuffled_history()) {
            let (mut state, mut timeline) = ProcedureState::open(start);
            for (command, at) in &commands {
                if let Ok((next, events)) = apply(&state, command, *at) {
                    timeline.extend(events);
                    state = next;
                }
            }
            prop_assert!(timeline.windows(2).all(|w| w[0].at <= w[1].at));
        }

        #[test]
        fn monitoring_ended_and_transferred_out_accept_no_further_command((start, commands) in history()) {
            let (mut state, _) = ProcedureState::open(start);
            for (command, at) in &commands {
                let terminal = matches!(state.phase(), Phase::MonitoringEnded(_) | Phase::TransferredOut { .. });
                match apply(&state, command, *at) {
                    Ok((next, _)) => {
                        prop_assert!(!terminal, "{:?} accepted in {}", command, state.phase().as_str());
                        state = next;
                    }
                    Err(e) => if terminal {
                        prop_assert!(matches!(e, TransitionError::MonitoringEnded | TransitionError::TransferredOut));
                    }
                }
            }
        }

        #[test]
        fn monitoring_until_is_nine_months_on_with_the_day_kept_or_clamped(secs in -2_000_000_000i64..4_000_000_000i64) {
            let closed_at = Timestamp::from_second(secs).unwrap();
            let from = warsaw_date(closed_at);
            let until = monitoring_until(closed_at);
            let months = (i32::from(until.year()) - i32::from(from.year())) * 12
                + i32::from(until.month()) - i32::from(from.month());
            prop_assert_eq!(months, MONITORING_MONTHS);
            prop_assert!(until.day() == from.day() || (until.day() < from.day() && until.day() == until.days_in_month()));
        }
    }
}
