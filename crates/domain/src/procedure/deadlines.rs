//! The statutory deadlines of the procedure and of the team, held as data.
//!
//! Several of these deadlines come only from press reports of the 2023 regulation, whose full text we could not read
//! (procedure.md §0.2). So every deadline is a row of [`RULES`] carrying its legal basis and a confidence mark, and
//! the due date is always *computed* from a rule and the date of its starting event, never stored as truth: when a
//! rule is corrected, every open case follows. Each row marked \[S\] or \[U\], and each reading of the law a row relies
//! on, is listed by its id in `docs/legal-assumptions.md`; a test keeps that list complete.
//!
//! Which rule applies to a case step depends on the regulation in force when the procedure was opened: the 2011
//! regulation for cases opened before 28 September 2023, the 2023 regulation after ([`Regime::for_opening`]). Rules
//! from the act itself apply to both.
//!
//! Dates are Polish civil dates: the day of an instant is its day in `Europe/Warsaw`, and a date-based deadline is met
//! by anything done before that day ends there (art. 111 §1 k.c.). Term arithmetic is in [`crate::calendar`].

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::calendar::{self, CalendarError};

/// How well a rule is sourced (procedure.md §0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// \[P\]: read in the primary legal text.
    Primary,
    /// \[S\]: read only in a secondary source (press, commentary, a municipal page).
    Secondary,
    /// \[U\]: not found in any source; our best understanding.
    Unconfirmed,
}

impl Confidence {
    /// The mark used in the specification and the documentation.
    pub fn mark(self) -> &'static str {
        match self {
            Confidence::Primary => "[P]",
            Confidence::Secondary => "[S]",
            Confidence::Unconfirmed => "[U]",
        }
    }
}

/// The regulation that governs a procedure's steps, chosen by the date the procedure was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    /// Rozporządzenie RM z 13.09.2011 (Dz.U. 2011 nr 209 poz. 1245), forms A–D and working groups.
    Reg2011,
    /// Rozporządzenie RM z 6.09.2023 (Dz.U. 2023 poz. 1870), with diagnostic-support groups.
    Reg2023,
}

impl Regime {
    /// The day the 2023 regulation came into force and the 2011 one lost force: 28 September 2023 (procedure.md §1.1,
    /// \[S\]: MOPSB, GP-LIST, TECZKA; one municipal page says 27 September).
    pub const REG2023_IN_FORCE: Date = jiff::civil::date(2023, 9, 28);

    /// The regime of a procedure opened (form A filled) on `opened_on`.
    pub fn for_opening(opened_on: Date) -> Regime {
        if opened_on < Self::REG2023_IN_FORCE { Regime::Reg2011 } else { Regime::Reg2023 }
    }

    /// The regime of a procedure opened at `opened_at`, taking the opening day in Warsaw.
    pub fn for_opening_at(opened_at: Timestamp) -> Result<Regime, CalendarError> {
        Ok(Self::for_opening(calendar::warsaw_date(opened_at)?))
    }
}

/// Which procedures a rule governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// A rule of the act (or of another statute), whatever the regulation in force when the case was opened.
    Always,
    /// A step rule of one regulation only.
    Only(Regime),
}

/// What a deadline is for. A kind may have one rule per regime (form A to the chair: 7 days in 2011, 5 working days
/// in 2023) or none in a regime that set no deadline for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    FormAToChair,
    GroupAppointed,
    FormAToGroup,
    FirstGroupMeeting,
    NotifyAbsentSuspect,
    ProgrammeRegistration,
    CertificateFirstCall,
    CertificateSecondCall,
    RegistrationCertificateMissing,
    CompletionCertificateMissing,
    PostClosingMonitoring,
    TeamMeetingInterval,
    TeamMeetingNotice,
    AbsenceNotice,
    MemberTraining,
    CourtNoticeAfterChildPlacement,
    PoliceOrderExpiry,
    BelongingsEscort,
    FirearmNotification,
    /// An action of the individual support plan by the day the plan set for it.
    PlanItemDue,
}

/// The event that starts a deadline's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    /// Form A filled: the procedure opens (REG23 §2 ust. 1).
    FormAFilled,
    /// The team (ZI) receives the report that opens the procedure.
    ReportReceivedByTeam,
    FormAReceivedByChair,
    FormAReceivedByGroup,
    FirstGroupMeeting,
    Closing,
    /// The referral to a programme for persons using violence is delivered to that person.
    ReferralDelivered,
    /// The 30-day registration term after the referral ended (the due date of `act_programme_registration`).
    RegistrationTermEnded,
    FirstCertificateCall,
    ProgrammeEnded,
    /// A team meeting: the previous one for the interval rule, the planned one for the notice rules.
    TeamMeeting,
    MemberAppointed,
    /// A social worker took a child away from the family (art. 12a of the act).
    ChildPlaced,
    PoliceOrderIssued,
    /// A written request for an escort to collect personal belongings.
    EscortRequested,
    /// A firearm held by the person using violence was recorded in the procedure.
    FirearmRecorded,
    /// The day the support plan set for one of its actions (the clock ends that day).
    PlanItemDueDay,
}

/// How a rule's length is counted (see [`crate::calendar`] for each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Days,
    WorkingDays,
    Months,
    /// Elapsed hours from the event's instant.
    Hours,
    /// The last day to act is `length` days before the event.
    DaysBefore,
    /// The last day to act is `length` working days before the event.
    WorkingDaysBefore,
}

/// Who must act by the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibleRole {
    /// The person who filled form A.
    Initiator,
    /// The interdisciplinary team (zespół interdyscyplinarny) as a body.
    Team,
    /// The team's chair (przewodniczący).
    Chair,
    /// The diagnostic-support group (grupa diagnostyczno-pomocowa), or under the 2011 rules the working group.
    Group,
    /// The person using violence (osoba stosująca przemoc domową).
    PersonUsingViolence,
    /// Each member of the team.
    Member,
    SocialWorker,
    /// The Police or the Military Police (Żandarmeria Wojskowa).
    PoliceOrMilitaryPolice,
    /// Nobody: the date is when a measure lapses.
    NoOne,
}

/// One statutory deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DeadlineRule {
    /// Stable identifier, referenced by `docs/legal-assumptions.md` and by recorded reasons for missed deadlines.
    pub id: &'static str,
    pub kind: DeadlineKind,
    pub applies: Applies,
    pub name_pl: &'static str,
    /// The rule's name on English pages (the legal basis stays a Polish citation).
    pub name_en: &'static str,
    pub start: StartEvent,
    pub length: u32,
    pub unit: Unit,
    pub responsible: ResponsibleRole,
    pub legal_basis: &'static str,
    /// The weakest mark among the rule's parts (its length, its start event).
    pub confidence: Confidence,
    /// Whether a last day that is not a working day moves to the next working day (art. 115 k.c.). Only meaningful
    /// for `Days` and `Months`; a legal reading \[S\], listed in `docs/legal-assumptions.md`.
    pub shift_off_non_working: bool,
}

/// Every deadline the system tracks for a case or for the team: procedure.md §2.3, without the rows that bind the
/// wojewoda or the government and the annual reports (fixed calendar dates, not terms). The firearm notification is
/// "immediate" in the act; the row gives it 24 hours so that it has a clock and an escalation (a reading, \[U\]).
pub static RULES: &[DeadlineRule] = &[
    DeadlineRule {
        id: "reg23_form_a_to_chair",
        kind: DeadlineKind::FormAToChair,
        applies: Applies::Only(Regime::Reg2023),
        name_pl: "Przekazanie formularza „Niebieska Karta – A” przewodniczącemu zespołu interdyscyplinarnego",
        name_en: "Form A passed to the chair of the interdisciplinary team",
        start: StartEvent::FormAFilled,
        length: 5,
        unit: Unit::WorkingDays,
        responsible: ResponsibleRole::Initiator,
        legal_basis: "§ 7 rozporządzenia RM z 6.09.2023 (Dz.U. 2023 poz. 1870), wg GP-DL i TECZKA",
        confidence: Confidence::Secondary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "reg11_form_a_to_chair",
        kind: DeadlineKind::FormAToChair,
        applies: Applies::Only(Regime::Reg2011),
        name_pl: "Przekazanie formularza „Niebieska Karta – A” przewodniczącemu zespołu interdyscyplinarnego (2011)",
        name_en: "Form A passed to the chair of the interdisciplinary team (2011)",
        start: StartEvent::FormAFilled,
        length: 7,
        unit: Unit::Days,
        responsible: ResponsibleRole::Initiator,
        legal_basis: "§ 7 rozporządzenia RM z 13.09.2011 (Dz.U. 2011 nr 209 poz. 1245)",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_group_appointed",
        kind: DeadlineKind::GroupAppointed,
        applies: Applies::Only(Regime::Reg2023),
        name_pl: "Powołanie grupy diagnostyczno-pomocowej",
        name_en: "Support group appointed",
        start: StartEvent::ReportReceivedByTeam,
        length: 3,
        unit: Unit::Days,
        responsible: ResponsibleRole::Team,
        legal_basis: "art. 9a ust. 10a ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "reg23_form_a_to_group",
        kind: DeadlineKind::FormAToGroup,
        applies: Applies::Only(Regime::Reg2023),
        name_pl: "Przekazanie formularza „Niebieska Karta – A” członkom grupy diagnostyczno-pomocowej",
        name_en: "Form A passed to the members of the support group",
        start: StartEvent::FormAReceivedByChair,
        length: 3,
        unit: Unit::WorkingDays,
        responsible: ResponsibleRole::Chair,
        legal_basis: "§ 8 rozporządzenia RM z 6.09.2023 (Dz.U. 2023 poz. 1870), wg GP-DL i TECZKA",
        confidence: Confidence::Secondary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "reg11_form_a_to_group",
        kind: DeadlineKind::FormAToGroup,
        applies: Applies::Only(Regime::Reg2011),
        name_pl: "Przekazanie formularza „Niebieska Karta – A” członkom grupy roboczej (2011)",
        name_en: "Form A passed to the members of the working group (2011)",
        start: StartEvent::FormAReceivedByChair,
        length: 3,
        unit: Unit::Days,
        responsible: ResponsibleRole::Chair,
        legal_basis: "§ 8 rozporządzenia RM z 13.09.2011 (Dz.U. 2011 nr 209 poz. 1245)",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "reg23_first_group_meeting",
        kind: DeadlineKind::FirstGroupMeeting,
        applies: Applies::Only(Regime::Reg2023),
        name_pl: "Pierwsze posiedzenie grupy diagnostyczno-pomocowej",
        name_en: "First meeting of the support group",
        start: StartEvent::FormAReceivedByGroup,
        length: 5,
        unit: Unit::WorkingDays,
        responsible: ResponsibleRole::Group,
        legal_basis: "§ 8 rozporządzenia RM z 6.09.2023 (Dz.U. 2023 poz. 1870), wg GP-DL i TECZKA",
        confidence: Confidence::Secondary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "reg23_notify_absent_suspect",
        kind: DeadlineKind::NotifyAbsentSuspect,
        applies: Applies::Only(Regime::Reg2023),
        name_pl: "Zawiadomienie osoby stosującej przemoc, nieobecnej przy wszczęciu, o wszczęciu procedury",
        name_en: "Notice of the procedure to the person using violence who was absent when it was opened",
        // The press gives the length but not the start; the first meeting is our reading (see legal-assumptions).
        start: StartEvent::FirstGroupMeeting,
        length: 3,
        unit: Unit::WorkingDays,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 8 pkt 3 ustawy o przeciwdziałaniu przemocy domowej; termin wg GP-DL",
        confidence: Confidence::Unconfirmed,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "act_programme_registration",
        kind: DeadlineKind::ProgrammeRegistration,
        applies: Applies::Always,
        name_pl: "Zgłoszenie się do udziału w programie korekcyjno-edukacyjnym lub psychologiczno-terapeutycznym",
        name_en: "Reporting for a correctional-educational or psychological-therapeutic programme",
        start: StartEvent::ReferralDelivered,
        length: 30,
        unit: Unit::Days,
        responsible: ResponsibleRole::PersonUsingViolence,
        legal_basis: "art. 9b ust. 11 pkt 3 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_certificate_first_call",
        kind: DeadlineKind::CertificateFirstCall,
        applies: Applies::Always,
        name_pl: "Pierwsze wezwanie do przedstawienia zaświadczenia o zgłoszeniu się do programu",
        name_en: "First request for the certificate of reporting for the programme",
        start: StartEvent::RegistrationTermEnded,
        length: 30,
        unit: Unit::Days,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 12 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Unconfirmed,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_certificate_second_call",
        kind: DeadlineKind::CertificateSecondCall,
        applies: Applies::Always,
        name_pl: "Drugie wezwanie do przedstawienia zaświadczenia o zgłoszeniu się do programu",
        name_en: "Second request for the certificate of reporting for the programme",
        start: StartEvent::FirstCertificateCall,
        length: 30,
        unit: Unit::Days,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 12 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        // The clock is the person's certificate; when it runs out, the group must at once ask the team to file the
        // art. 66c k.w. notification. "Done" means the certificate arrived.
        id: "act_registration_certificate_missing",
        kind: DeadlineKind::RegistrationCertificateMissing,
        applies: Applies::Always,
        name_pl: "Zaświadczenie o zgłoszeniu się do programu (po terminie: wniosek o zawiadomienie z art. 66c k.w.)",
        name_en: "Certificate of reporting for the programme (when late: a request under art. 66c of the Code of Petty Offences)",
        start: StartEvent::ReferralDelivered,
        length: 90,
        unit: Unit::Days,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 13 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_completion_certificate_missing",
        kind: DeadlineKind::CompletionCertificateMissing,
        applies: Applies::Always,
        name_pl: "Zaświadczenie o ukończeniu programu (po terminie: wniosek o zawiadomienie z art. 66c k.w.)",
        name_en: "Certificate of completing the programme (when late: a request under art. 66c of the Code of Petty Offences)",
        start: StartEvent::ProgrammeEnded,
        length: 30,
        unit: Unit::Days,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 13 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_post_closing_monitoring",
        kind: DeadlineKind::PostClosingMonitoring,
        applies: Applies::Always,
        name_pl: "Monitorowanie sytuacji po zakończeniu procedury",
        name_en: "Monitoring the situation after the procedure is closed",
        start: StartEvent::Closing,
        length: 9,
        unit: Unit::Months,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9h ust. 2 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        // The end of a period of monitoring, not a term for doing something.
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "act_team_meeting_interval",
        kind: DeadlineKind::TeamMeetingInterval,
        applies: Applies::Always,
        name_pl: "Posiedzenie zespołu interdyscyplinarnego (nie rzadziej niż raz na dwa miesiące)",
        name_en: "Meeting of the interdisciplinary team (at least once every two months)",
        start: StartEvent::TeamMeeting,
        length: 2,
        unit: Unit::Months,
        responsible: ResponsibleRole::Chair,
        legal_basis: "art. 9a ust. 7 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_team_meeting_notice",
        kind: DeadlineKind::TeamMeetingNotice,
        applies: Applies::Always,
        name_pl: "Poinformowanie członków o terminie posiedzenia zespołu",
        name_en: "Members told of the date of the team's meeting",
        start: StartEvent::TeamMeeting,
        length: 7,
        unit: Unit::DaysBefore,
        responsible: ResponsibleRole::Chair,
        legal_basis: "art. 9a ust. 7b ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "act_absence_notice",
        kind: DeadlineKind::AbsenceNotice,
        applies: Applies::Always,
        name_pl: "Powiadomienie przewodniczącego o przyczynie nieobecności na posiedzeniu",
        name_en: "Chair told of the reason for an absence from a meeting",
        start: StartEvent::TeamMeeting,
        length: 2,
        unit: Unit::WorkingDaysBefore,
        responsible: ResponsibleRole::Member,
        legal_basis: "art. 9a ust. 7e ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "act_member_training",
        kind: DeadlineKind::MemberTraining,
        applies: Applies::Always,
        name_pl: "Ukończenie obowiązkowego szkolenia przez członka zespołu",
        name_en: "Mandatory training completed by a team member",
        start: StartEvent::MemberAppointed,
        length: 12,
        unit: Unit::Months,
        responsible: ResponsibleRole::Member,
        legal_basis: "art. 9a ust. 5a ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: true,
    },
    DeadlineRule {
        id: "act_court_notice_after_child_placement",
        kind: DeadlineKind::CourtNoticeAfterChildPlacement,
        applies: Applies::Always,
        name_pl: "Zawiadomienie sądu opiekuńczego o odebraniu dziecka",
        name_en: "Family court notified of a child taken into care",
        start: StartEvent::ChildPlaced,
        length: 24,
        unit: Unit::Hours,
        responsible: ResponsibleRole::SocialWorker,
        legal_basis: "art. 12a ust. 5 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "police_order_expiry",
        kind: DeadlineKind::PoliceOrderExpiry,
        applies: Applies::Always,
        name_pl: "Wygaśnięcie policyjnego nakazu lub zakazu",
        name_en: "Police order or ban lapses",
        start: StartEvent::PoliceOrderIssued,
        length: 14,
        unit: Unit::Days,
        responsible: ResponsibleRole::NoOne,
        legal_basis: "art. 15ak ustawy z dnia 6 kwietnia 1990 r. o Policji",
        confidence: Confidence::Secondary,
        // The lapse of a measure, not a term for doing something.
        shift_off_non_working: false,
    },
    DeadlineRule {
        // The act says "immediately" (niezwłocznie); 24 hours is our reading, so that the task has a clock.
        id: "act_firearm_notification",
        kind: DeadlineKind::FirearmNotification,
        applies: Applies::Always,
        name_pl: "Powiadomienie komórki Policji właściwej do spraw pozwoleń na broń o wszczęciu procedury (broń palna)",
        name_en: "Police firearms licensing unit notified of the procedure (firearm)",
        start: StartEvent::FirearmRecorded,
        length: 24,
        unit: Unit::Hours,
        responsible: ResponsibleRole::Chair,
        legal_basis: "art. 9f ust. 1–2 ustawy o przeciwdziałaniu przemocy domowej („niezwłocznie”; przyjęto 24 godziny)",
        confidence: Confidence::Unconfirmed,
        shift_off_non_working: false,
    },
    DeadlineRule {
        // Not a term of the law: the day the group and the person agreed in the plan (art. 9b ust. 9), kept as a clock
        // so that its owner is reminded and a missed day shows.
        id: "plan_item_due",
        kind: DeadlineKind::PlanItemDue,
        applies: Applies::Always,
        name_pl: "Realizacja działania z indywidualnego planu pomocy",
        name_en: "Action of the individual support plan carried out",
        start: StartEvent::PlanItemDueDay,
        length: 0,
        unit: Unit::Days,
        responsible: ResponsibleRole::Group,
        legal_basis: "art. 9b ust. 9 ustawy o przeciwdziałaniu przemocy domowej (termin ustalony w planie)",
        confidence: Confidence::Primary,
        shift_off_non_working: false,
    },
    DeadlineRule {
        id: "act_belongings_escort",
        kind: DeadlineKind::BelongingsEscort,
        applies: Applies::Always,
        name_pl: "Asysta przy zabraniu rzeczy osobistych",
        name_en: "Escort while personal belongings are collected",
        start: StartEvent::EscortRequested,
        length: 48,
        unit: Unit::Hours,
        responsible: ResponsibleRole::PoliceOrMilitaryPolice,
        legal_basis: "art. 11a ust. 7 ustawy o przeciwdziałaniu przemocy domowej",
        confidence: Confidence::Primary,
        shift_off_non_working: false,
    },
];

impl DeadlineRule {
    /// The rule with this id.
    pub fn by_id(id: &str) -> Option<&'static DeadlineRule> {
        RULES.iter().find(|r| r.id == id)
    }

    /// Whether the rule is only our reading (\[U\]): shown as an unconfirmed reading, never as a breach, unless the
    /// municipality chose to treat such readings as binding. Not the firearm notification: the act requires it
    /// "immediately" \[P\], and our 24 hours only make that measurable, never stricter than the law, so passing
    /// them is a breach whatever the reading.
    pub fn is_unconfirmed(&self) -> bool {
        self.confidence == Confidence::Unconfirmed && self.kind != DeadlineKind::FirearmNotification
    }

    /// Whether the rule marks the lapse of a measure rather than a duty: passing its date is nobody's breach.
    pub fn is_lapse(&self) -> bool {
        self.responsible == ResponsibleRole::NoOne
    }

    /// Whether this rule governs procedures of `regime`.
    pub fn applies_to(&self, regime: Regime) -> bool {
        match self.applies {
            Applies::Always => true,
            Applies::Only(r) => r == regime,
        }
    }
}

/// The rule for `kind` in a procedure of `regime`, or `None` when that regime set no such deadline (e.g. the 2011
/// regulation had no deadline for the first group meeting).
pub fn rule_for(kind: DeadlineKind, regime: Regime) -> Option<&'static DeadlineRule> {
    RULES.iter().find(|r| r.kind == kind && r.applies_to(regime))
}

/// Every rule that governs procedures of `regime`.
pub fn rules_for(regime: Regime) -> impl Iterator<Item = &'static DeadlineRule> {
    RULES.iter().filter(move |r| r.applies_to(regime))
}

/// When a deadline falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// By the end of this day in Poland (art. 111 §1 k.c.).
    EndOfDay(Date),
    /// By this instant (hour-based clocks).
    At(Timestamp),
}

impl Due {
    /// The Polish day on which the deadline falls.
    pub fn day(self) -> Result<Date, CalendarError> {
        match self {
            Due::EndOfDay(d) => Ok(d),
            Due::At(t) => calendar::warsaw_date(t),
        }
    }
}

/// When `rule` falls due for a starting event at `event_at`. For day-based units the event's day in Warsaw counts,
/// not its UTC day; for hour-based units the instant itself.
pub fn due(rule: &DeadlineRule, event_at: Timestamp) -> Result<Due, CalendarError> {
    if rule.unit == Unit::Hours {
        return Ok(Due::At(calendar::add_hours(event_at, rule.length)?));
    }
    Ok(Due::EndOfDay(due_on_day(rule, calendar::warsaw_date(event_at)?)?))
}

/// The last day of a day-based `rule` whose starting event fell on `event_day`, with the rule's own shift off days
/// off (art. 115 k.c.). The team's clocks, which know only days, use this so that they and the case clocks can never
/// disagree about the same row. An hour-based rule counts from the day's start.
pub fn due_on_day(rule: &DeadlineRule, event_day: Date) -> Result<Date, CalendarError> {
    let last_day = match rule.unit {
        Unit::WorkingDays => calendar::add_working_days(event_day, rule.length)?,
        Unit::Days => calendar::add_days(event_day, rule.length)?,
        Unit::Months => calendar::add_months(event_day, rule.length)?,
        Unit::DaysBefore => calendar::sub_days(event_day, rule.length)?,
        Unit::WorkingDaysBefore => calendar::sub_working_days(event_day, rule.length)?,
        Unit::Hours => calendar::add_days(event_day, rule.length.div_ceil(24))?,
    };
    let shifts = rule.shift_off_non_working && matches!(rule.unit, Unit::Days | Unit::Months);
    if shifts { calendar::roll_forward_to_working_day(last_day) } else { Ok(last_day) }
}

/// The rule for a team clock or any other kind that is the same in both regimes (an act rule).
pub fn act_rule(kind: DeadlineKind) -> Option<&'static DeadlineRule> {
    RULES.iter().find(|r| r.kind == kind && r.applies == Applies::Always)
}

/// The usual warning threshold: a deadline is "due soon" with one working day or less left.
pub const DEFAULT_DUE_SOON_WORKING_DAYS: u32 = 1;

/// Where a deadline stands. Day counts are calendar days between Polish dates; for hour-based deadlines, lateness
/// counts each started 24 hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum DeadlineState {
    /// Not done, and more working days left than the warning threshold.
    Pending {
        due: Due,
        days_left: i64,
    },
    /// Not done, with the threshold's number of working days or fewer left (0 on the last day itself).
    DueSoon {
        due: Due,
        days_left: i64,
    },
    /// Not done, and the deadline has passed.
    Overdue {
        due: Due,
        by_days: i64,
    },
    MetOnTime {
        due: Due,
    },
    MetLate {
        due: Due,
        by_days: i64,
    },
}

/// Where `rule` stands for an event at `started_at`, done at `completed_at` (if it was), seen at `now`.
/// `due_soon_within_working_days` is the warning threshold; see [`DEFAULT_DUE_SOON_WORKING_DAYS`].
pub fn evaluate(
    rule: &DeadlineRule,
    started_at: Timestamp,
    completed_at: Option<Timestamp>,
    now: Timestamp,
    due_soon_within_working_days: u32,
) -> Result<DeadlineState, CalendarError> {
    let due = due(rule, started_at)?;
    if let Some(done) = completed_at {
        let late_by = lateness(due, done)?;
        return Ok(if late_by > 0 {
            DeadlineState::MetLate { due, by_days: late_by }
        } else {
            DeadlineState::MetOnTime { due }
        });
    }
    let overdue_by = lateness(due, now)?;
    if overdue_by > 0 {
        return Ok(DeadlineState::Overdue { due, by_days: overdue_by });
    }
    let today = calendar::warsaw_date(now)?;
    let due_day = due.day()?;
    let days_left = days_from(today, due_day)?;
    let working_days_left = calendar::working_days_between(today, due_day)?;
    Ok(if working_days_left <= due_soon_within_working_days {
        DeadlineState::DueSoon { due, days_left }
    } else {
        DeadlineState::Pending { due, days_left }
    })
}

/// Until when (exclusive) [`evaluate`] keeps answering `state` for the same inputs as time passes, seen at `now`:
/// `None` for a deadline met (its state no longer depends on the time). Every other state may change at the next
/// midnight in Poland (days left, working days, days late), and an hour-based one also at its instant (it becomes
/// overdue) and every full day after it (one more day late). Lets a caller keep computed deadlines and know exactly
/// when to compute them again.
pub fn unchanged_until(state: &DeadlineState, now: Timestamp) -> Result<Option<Timestamp>, CalendarError> {
    let due = match *state {
        DeadlineState::MetOnTime { .. } | DeadlineState::MetLate { .. } => return Ok(None),
        DeadlineState::Pending { due, .. }
        | DeadlineState::DueSoon { due, .. }
        | DeadlineState::Overdue { due, .. } => due,
    };
    let zone = calendar::poland()?;
    let midnight = calendar::warsaw_date(now)?.tomorrow()?.to_zoned(zone)?.timestamp();
    let instant = match (*state, due) {
        (DeadlineState::Overdue { by_days, .. }, Due::At(deadline)) => {
            // Late by `by_days` up to and including this instant, by one more day after it (see `lateness`).
            let days = SignedDuration::from_hours(by_days.clamp(0, 1_000_000) * 24);
            deadline.checked_add(days).ok()
        }
        (_, Due::At(deadline)) => Some(deadline),
        (_, Due::EndOfDay(_)) => None,
    };
    Ok(Some(instant.filter(|i| *i < midnight).unwrap_or(midnight)))
}

/// How late `at` is for `due`, in days; 0 when it is in time.
fn lateness(due: Due, at: Timestamp) -> Result<i64, CalendarError> {
    match due {
        Due::EndOfDay(last_day) => Ok(days_from(last_day, calendar::warsaw_date(at)?)?.max(0)),
        Due::At(deadline) => {
            let late = at.duration_since(deadline);
            if late.is_positive() {
                const DAY: i64 = 24 * 60 * 60;
                let secs = late.as_secs().saturating_add(i64::from(late.subsec_nanos() > 0));
                Ok(secs.saturating_add(DAY - 1) / DAY)
            } else {
                Ok(0)
            }
        }
    }
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
fn days_from(from: Date, to: Date) -> Result<i64, CalendarError> {
    Ok(i64::from(to.since(from)?.get_days()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// An instant given as a Warsaw wall-clock time, e.g. `warsaw("2026-11-20T19:30")`.
    fn warsaw(local: &str) -> Timestamp {
        local.parse::<jiff::civil::DateTime>().unwrap().to_zoned(calendar::poland().unwrap()).unwrap().timestamp()
    }

    fn rule(id: &str) -> &'static DeadlineRule {
        DeadlineRule::by_id(id).unwrap_or_else(|| panic!("no rule {id}"))
    }

    fn due_day(id: &str, event: &str) -> Date {
        match due(rule(id), warsaw(event)).unwrap() {
            Due::EndOfDay(d) => d,
            Due::At(t) => panic!("{id} is hour-based: {t}"),
        }
    }

    /// Whoever keeps computed deadlines until `unchanged_until` must see exactly what `evaluate` says at every
    /// instant before it: stepping through ten days, for a day-based and an hour-based rule, unmet and met late.
    #[test]
    fn a_deadlines_state_holds_until_the_instant_unchanged_until_names() {
        let started = warsaw("2026-03-27T16:45");
        for id in ["reg23_first_group_meeting", "act_court_notice_after_child_placement", "act_firearm_notification"] {
            for completed in [None, Some(warsaw("2026-04-20T09:00"))] {
                let mut now = started;
                let mut changes = 0;
                while now < warsaw("2026-04-06T12:00") {
                    let state = evaluate(rule(id), started, completed, now, 2).unwrap();
                    match unchanged_until(&state, now).unwrap() {
                        None => {
                            assert!(matches!(state, DeadlineState::MetOnTime { .. } | DeadlineState::MetLate { .. }))
                        }
                        Some(until) => {
                            assert!(until >= now, "{id}: {until} before {now}");
                            let last = until.checked_sub(SignedDuration::from_nanos(1)).unwrap();
                            let middle = now.checked_add(until.duration_since(now) / 2).unwrap();
                            for at in [middle, last.max(now)] {
                                assert_eq!(
                                    evaluate(rule(id), started, completed, at, 2).unwrap(),
                                    state,
                                    "{id} at {at}"
                                );
                            }
                            let after = until.checked_add(SignedDuration::from_secs(1)).unwrap();
                            if evaluate(rule(id), started, completed, after, 2).unwrap() != state {
                                changes += 1;
                            }
                        }
                    }
                    now = now.checked_add(SignedDuration::from_mins(37)).unwrap();
                }
                // The instants named are real changes, not just every tick: unmet, the state does move.
                assert!(completed.is_some() || changes > 0, "{id}: no change found");
            }
        }
    }

    #[test]
    fn rule_ids_are_unique() {
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn each_kind_has_at_most_one_rule_per_regime() {
        for regime in [Regime::Reg2011, Regime::Reg2023] {
            for r in RULES {
                let same_kind = rules_for(regime).filter(|o| o.kind == r.kind).count();
                assert!(same_kind <= 1, "{:?} has {same_kind} rules in {regime:?}", r.kind);
            }
        }
    }

    #[test]
    fn the_art_115_shift_is_set_only_where_it_can_apply() {
        for r in RULES {
            if r.shift_off_non_working {
                assert!(matches!(r.unit, Unit::Days | Unit::Months), "{} counts {:?}", r.id, r.unit);
            }
            // A plan item's clock ends on the day the plan set, so its length is 0.
            let length_ok = r.length > 0 || r.kind == DeadlineKind::PlanItemDue;
            assert!(!r.legal_basis.is_empty() && !r.name_pl.is_empty() && length_ok, "{}", r.id);
        }
    }

    #[test]
    fn the_regulation_rules_are_never_marked_as_read_in_the_primary_text() {
        for r in RULES.iter().filter(|r| r.id.starts_with("reg23_")) {
            assert_ne!(r.confidence, Confidence::Primary, "{}: REG23 beyond §2 was not read (procedure.md §0.2)", r.id);
        }
    }

    #[test]
    fn every_uncertain_rule_and_every_shifted_rule_is_listed_in_the_legal_assumptions() {
        let doc = include_str!("../../../../docs/legal-assumptions.md");
        for r in RULES.iter().filter(|r| r.confidence != Confidence::Primary || r.shift_off_non_working) {
            assert!(doc.contains(&format!("`{}`", r.id)), "{} is missing from docs/legal-assumptions.md", r.id);
        }
    }

    #[test]
    fn the_regime_is_chosen_by_the_opening_day_in_warsaw() {
        assert_eq!(Regime::for_opening(date(2023, 9, 27)), Regime::Reg2011);
        assert_eq!(Regime::for_opening(date(2023, 9, 28)), Regime::Reg2023);
        // 22:30 UTC on 27 September is 00:30 on 28 September in Warsaw (summer time).
        assert_eq!(Regime::for_opening_at("2023-09-27T22:30:00Z".parse().unwrap()).unwrap(), Regime::Reg2023);
        assert_eq!(Regime::for_opening_at("2023-09-27T21:30:00Z".parse().unwrap()).unwrap(), Regime::Reg2011);
    }

    #[test]
    fn form_a_goes_to_the_chair_in_7_days_under_2011_and_5_working_days_under_2023() {
        assert_eq!(rule_for(DeadlineKind::FormAToChair, Regime::Reg2011).map(|r| r.id), Some("reg11_form_a_to_chair"));
        assert_eq!(rule_for(DeadlineKind::FormAToChair, Regime::Reg2023).map(|r| r.id), Some("reg23_form_a_to_chair"));
        assert_eq!(rule_for(DeadlineKind::FirstGroupMeeting, Regime::Reg2011), None);
        assert_eq!(rule_for(DeadlineKind::NotifyAbsentSuspect, Regime::Reg2011), None);
        assert!(rule_for(DeadlineKind::PostClosingMonitoring, Regime::Reg2011).is_some(), "act rules apply to both");
    }

    #[test]
    fn form_a_filled_on_friday_evening_is_due_with_the_chair_the_next_friday() {
        assert_eq!(due_day("reg23_form_a_to_chair", "2026-11-20T19:30"), date(2026, 11, 27));
        // Just after midnight in Warsaw is already Saturday, though still Friday in UTC: same due day.
        assert_eq!(due_day("reg23_form_a_to_chair", "2026-11-21T00:30"), date(2026, 11, 27));
        // Just after midnight on Friday (Thursday 23:30 UTC) counts from Friday, not Thursday.
        assert_eq!(
            due(rule("reg23_form_a_to_chair"), "2026-11-19T23:30:00Z".parse().unwrap()).unwrap(),
            Due::EndOfDay(date(2026, 11, 27))
        );
    }

    #[test]
    fn form_a_deadlines_skip_easter_monday_and_the_may_holidays() {
        assert_eq!(due_day("reg23_form_a_to_chair", "2026-04-02T10:00"), date(2026, 4, 10));
        assert_eq!(due_day("reg23_form_a_to_chair", "2026-04-29T10:00"), date(2026, 5, 7));
        // 2011 rule: Monday 3 April 2023 + 7 days is Easter Monday, so the term ends on Tuesday (art. 115 k.c.).
        assert_eq!(due_day("reg11_form_a_to_chair", "2023-04-03T10:00"), date(2023, 4, 11));
        assert_eq!(due_day("reg11_form_a_to_chair", "2022-11-18T10:00"), date(2022, 11, 25));
    }

    #[test]
    fn the_group_is_appointed_within_3_calendar_days_moved_off_the_may_weekend() {
        // Wed 29 Apr 2026 + 3 days = Sat 2 May; Sun 3 May is a holiday too, so Monday 4 May.
        assert_eq!(due_day("act_group_appointed", "2026-04-29T12:00"), date(2026, 5, 4));
        assert_eq!(due_day("act_group_appointed", "2026-11-23T12:00"), date(2026, 11, 26));
    }

    #[test]
    fn the_chair_sends_form_a_to_the_group_within_3_working_days_across_christmas() {
        // Tue 23 Dec 2025: 24–26 Dec are holidays, so Mon 29, Tue 30, Wed 31 Dec.
        assert_eq!(due_day("reg23_form_a_to_group", "2025-12-23T09:00"), date(2025, 12, 31));
        // Under 2011: 3 calendar days; Tue 20 Dec 2022 + 3 = Fri 23 Dec.
        assert_eq!(due_day("reg11_form_a_to_group", "2022-12-20T09:00"), date(2022, 12, 23));
    }

    #[test]
    fn the_first_group_meeting_and_the_notice_to_an_absent_suspect_count_working_days() {
        assert_eq!(due_day("reg23_first_group_meeting", "2026-04-29T09:00"), date(2026, 5, 7));
        assert_eq!(due_day("reg23_notify_absent_suspect", "2026-11-20T09:00"), date(2026, 11, 25));
    }

    #[test]
    fn programme_terms_move_off_easter_and_corpus_christi() {
        // Referral delivered Fri 6 Mar 2026: +30 days = Easter Sunday 5 Apr, Easter Monday off, so Tue 7 Apr.
        assert_eq!(due_day("act_programme_registration", "2026-03-06T11:00"), date(2026, 4, 7));
        // +90 days = Thu 4 Jun 2026, Corpus Christi, so Fri 5 Jun.
        assert_eq!(due_day("act_registration_certificate_missing", "2026-03-06T11:00"), date(2026, 6, 5));
        assert_eq!(due_day("act_certificate_first_call", "2026-04-07T12:00"), date(2026, 5, 7));
        assert_eq!(due_day("act_certificate_second_call", "2026-05-07T12:00"), date(2026, 6, 8));
        assert_eq!(due_day("act_completion_certificate_missing", "2026-09-30T12:00"), date(2026, 10, 30));
    }

    #[test]
    fn monitoring_ends_nine_months_after_closing_even_on_a_sunday() {
        assert_eq!(due_day("act_post_closing_monitoring", "2026-05-31T14:00"), date(2027, 2, 28));
    }

    #[test]
    fn month_terms_for_the_team_end_on_the_same_day_number_then_move_off_days_off() {
        // Appointed 31 Jan 2026: 12 months = Sun 31 Jan 2027, so Mon 1 Feb 2027.
        assert_eq!(due_day("act_member_training", "2026-01-31T10:00"), date(2027, 2, 1));
        // Meeting on 31 Dec 2025: 2 months = Sat 28 Feb 2026 (no 31st), so Mon 2 Mar 2026.
        assert_eq!(due_day("act_team_meeting_interval", "2025-12-31T10:00"), date(2026, 3, 2));
    }

    #[test]
    fn notices_before_a_meeting_count_backwards_and_do_not_move() {
        // Meeting Fri 15 May 2026: members told by Fri 8 May.
        assert_eq!(due_day("act_team_meeting_notice", "2026-05-15T10:00"), date(2026, 5, 8));
        // Meeting Tue 5 May 2026: Mon 4 May = 1, then back over 3, 2, 1 May to Thu 30 Apr = 2.
        assert_eq!(due_day("act_absence_notice", "2026-05-05T10:00"), date(2026, 4, 30));
    }

    #[test]
    fn the_team_clocks_from_31_december_both_end_on_monday_2_march() {
        // 31.12.2025 + 2 months = Saturday 28.02.2026 (no 31 February), moved to Monday 2.03.2026 by the row's shift;
        // the day-based entry (team.rs) and the instant-based one (case clocks) give the same day.
        let interval = act_rule(DeadlineKind::TeamMeetingInterval).unwrap();
        assert_eq!(due_on_day(interval, date(2025, 12, 31)).unwrap(), date(2026, 3, 2));
        assert_eq!(due_day("act_team_meeting_interval", "2025-12-31T10:00"), date(2026, 3, 2));
        let training = act_rule(DeadlineKind::MemberTraining).unwrap();
        assert_eq!(due_on_day(training, date(2025, 2, 28)).unwrap(), date(2026, 3, 2));
    }

    #[test]
    fn a_plan_items_clock_ends_on_the_day_the_plan_set() {
        assert_eq!(due_day("plan_item_due", "2026-05-16T00:00"), date(2026, 5, 16), "a Saturday stays a Saturday");
    }

    #[test]
    fn unconfirmed_and_lapse_rules_are_known_by_their_marks() {
        assert!(rule("reg23_notify_absent_suspect").is_unconfirmed());
        assert!(!rule("act_group_appointed").is_unconfirmed());
        assert!(!rule("act_firearm_notification").is_unconfirmed(), "\"immediately\" is the act's own word");
        assert!(rule("police_order_expiry").is_lapse());
        assert!(!rule("act_court_notice_after_child_placement").is_lapse());
    }

    #[test]
    fn a_police_order_lapses_after_14_days_even_on_a_saturday() {
        assert_eq!(due_day("police_order_expiry", "2026-04-18T22:00"), date(2026, 5, 2));
    }

    #[test]
    fn hour_clocks_run_in_elapsed_hours() {
        let placed = warsaw("2026-03-28T12:00");
        assert_eq!(
            due(rule("act_court_notice_after_child_placement"), placed).unwrap(),
            Due::At(warsaw("2026-03-29T13:00"))
        );
        let requested = warsaw("2026-11-20T16:00");
        assert_eq!(due(rule("act_belongings_escort"), requested).unwrap(), Due::At(warsaw("2026-11-22T16:00")));
    }

    #[test]
    fn a_deadline_is_pending_then_due_soon_then_overdue_as_days_pass() {
        let r = rule("reg23_form_a_to_chair");
        let filled = warsaw("2026-11-20T19:30");
        let due = Due::EndOfDay(date(2026, 11, 27));
        let at = |now: &str| evaluate(r, filled, None, warsaw(now), DEFAULT_DUE_SOON_WORKING_DAYS).unwrap();
        assert_eq!(at("2026-11-23T09:00"), DeadlineState::Pending { due, days_left: 4 });
        assert_eq!(at("2026-11-25T09:00"), DeadlineState::Pending { due, days_left: 2 });
        assert_eq!(at("2026-11-26T09:00"), DeadlineState::DueSoon { due, days_left: 1 });
        assert_eq!(at("2026-11-27T23:59"), DeadlineState::DueSoon { due, days_left: 0 });
        assert_eq!(at("2026-11-28T00:01"), DeadlineState::Overdue { due, by_days: 1 });
        assert_eq!(at("2026-11-30T09:00"), DeadlineState::Overdue { due, by_days: 3 });
    }

    #[test]
    fn the_due_soon_threshold_is_a_parameter_counted_in_working_days() {
        let r = rule("reg23_form_a_to_chair");
        let filled = warsaw("2026-11-20T19:30");
        let wednesday = warsaw("2026-11-25T09:00");
        assert!(matches!(
            evaluate(r, filled, None, wednesday, 2).unwrap(),
            DeadlineState::DueSoon { days_left: 2, .. }
        ));
        assert!(matches!(evaluate(r, filled, None, wednesday, 1).unwrap(), DeadlineState::Pending { .. }));
        // A deadline on Monday seen on Friday is 3 calendar days but 1 working day away.
        let opened_wednesday = warsaw("2026-11-18T10:00");
        let friday = warsaw("2026-11-20T10:00");
        assert_eq!(
            evaluate(rule("reg23_form_a_to_group"), opened_wednesday, None, friday, 1).unwrap(),
            DeadlineState::DueSoon { due: Due::EndOfDay(date(2026, 11, 23)), days_left: 3 }
        );
    }

    #[test]
    fn work_done_before_midnight_in_warsaw_on_the_last_day_is_on_time() {
        let r = rule("reg23_form_a_to_chair");
        let filled = warsaw("2026-11-20T19:30");
        let due = Due::EndOfDay(date(2026, 11, 27));
        // 23:50 in Warsaw is 22:50 UTC: still the last day.
        let last_minute = warsaw("2026-11-27T23:50");
        let later = warsaw("2026-12-01T08:00");
        assert_eq!(evaluate(r, filled, Some(last_minute), later, 1).unwrap(), DeadlineState::MetOnTime { due });
        let monday = warsaw("2026-11-30T08:00");
        assert_eq!(evaluate(r, filled, Some(monday), later, 1).unwrap(), DeadlineState::MetLate { due, by_days: 3 });
    }

    #[test]
    fn lateness_on_an_hour_clock_counts_each_started_day() {
        let r = rule("act_court_notice_after_child_placement");
        let placed = warsaw("2026-11-20T16:00");
        let due = Due::At(warsaw("2026-11-21T16:00"));
        let state = |done: &str| evaluate(r, placed, Some(warsaw(done)), warsaw("2026-12-01T00:00"), 1).unwrap();
        assert_eq!(state("2026-11-21T16:00"), DeadlineState::MetOnTime { due });
        assert_eq!(state("2026-11-21T16:01"), DeadlineState::MetLate { due, by_days: 1 });
        assert_eq!(state("2026-11-22T16:01"), DeadlineState::MetLate { due, by_days: 2 });
        assert_eq!(
            evaluate(r, placed, None, warsaw("2026-11-21T10:00"), 1).unwrap(),
            DeadlineState::DueSoon { due, days_left: 0 }
        );
    }

    #[test]
    fn a_notice_before_a_future_meeting_is_pending_until_its_last_day() {
        let r = rule("act_team_meeting_notice");
        let meeting = warsaw("2026-05-15T10:00");
        let due = Due::EndOfDay(date(2026, 5, 8));
        assert_eq!(
            evaluate(r, meeting, None, warsaw("2026-04-30T09:00"), 1).unwrap(),
            DeadlineState::Pending { due, days_left: 8 }
        );
        assert_eq!(
            evaluate(r, meeting, None, warsaw("2026-05-11T09:00"), 1).unwrap(),
            DeadlineState::Overdue { due, by_days: 3 }
        );
    }

    #[test]
    fn an_event_outside_the_representable_range_is_an_error_not_a_panic() {
        let r = rule("act_post_closing_monitoring");
        assert_eq!(due(r, Timestamp::MAX), Err(CalendarError::OutOfRange));
        assert_eq!(evaluate(r, Timestamp::MAX, None, Timestamp::MAX, 1), Err(CalendarError::OutOfRange));
    }

    #[test]
    fn confidence_marks_read_as_in_the_specification() {
        assert_eq!(Confidence::Primary.mark(), "[P]");
        assert_eq!(Confidence::Secondary.mark(), "[S]");
        assert_eq!(Confidence::Unconfirmed.mark(), "[U]");
    }
}
