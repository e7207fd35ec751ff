//! Referrals of a person using violence to a programme for such persons (art. 9b ust. 3, 11–13 of the act), as a
//! small state machine inside one procedure.
//!
//! # The steps
//!
//! 1. The support group asks the team to refer the person ([`ReferralStep::Request`], art. 9b ust. 8 pkt 5); the
//!    request binds the team (ust. 4).
//! 2. The team refers them, naming the provider ([`ReferralStep::Refer`], ust. 11).
//! 3. The referral is delivered to the person on a date the user gives ([`ReferralStep::Deliver`]); from that date the
//!    person has 30 days to register (ust. 11 pkt 3).
//! 4. The registration certificate arrives ([`ReferralStep::RegistrationCertificate`]). After the 30 days, until it
//!    does, the group calls the person twice, at most 30 days apart ([`ReferralStep::CertificateCall`], ust. 12).
//! 5. The programme ends on a date ([`ReferralStep::ProgrammeEnded`]), then the completion certificate arrives
//!    ([`ReferralStep::CompletionCertificate`]).
//! 6. Without a registration certificate 90 days after delivery, or without a completion certificate 30 days after
//!    the programme ended, the group at once asks the team to notify the art. 66c k.w. offence
//!    ([`ReferralStep::RequestOffenceNotification`], ust. 13). The team may first ask the starosta whether the person
//!    met the obligations ([`ReferralStep::AskStarosta`], ust. 3), files the notification
//!    ([`ReferralStep::FileOffenceNotification`]) and, for a police officer or a Military Police soldier, informs
//!    their commander ([`ReferralStep::InformCommander`], ust. 5–6). The court's penalty is recorded for the reports
//!    ([`ReferralStep::Penalty`]).
//!
//! # What a referral holds, and what it does not
//!
//! No personal data: the command log that carries these steps is stored in clear. The person is named by a
//! [`SuspectedPersonRef`] (the form A and the position in its `suspected_persons` section), whose answers are
//! encrypted elsewhere; the provider is an institution. Request and referral are dated by the instant they are
//! made (a moment: the group's meeting, the team's decision; default now); every later step by the date the user
//! gives (a paper certificate is entered later). Neither is ever in the future nor before the step it follows
//! ([`Referral::preceding`] names it). In the procedure's command log a step stands at its real moment
//! ([`step_instant`]), so the clocks, the timeline ("wpisano później") and the statutory lines read the event's time.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::deadlines::{DeadlineKind, Due, Regime, due, rule_for};
use crate::calendar;

/// The longest provider name kept: an institution's name and address fit comfortably.
pub const PROVIDER_MAX: usize = 200;

/// The two kinds of programme for persons using violence (art. 4 ust. 3–5 of the act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// Program korekcyjno-edukacyjny (RPPPD indicator 3.3.6).
    CorrectionalEducational,
    /// Program psychologiczno-terapeutyczny (RPPPD indicator 3.4.4).
    PsychologicalTherapeutic,
}

impl ProgrammeKind {
    pub const ALL: [ProgrammeKind; 2] =
        [ProgrammeKind::CorrectionalEducational, ProgrammeKind::PsychologicalTherapeutic];

    /// The stable name used in the database, the API and the forms.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeKind::CorrectionalEducational => "correctional_educational",
            ProgrammeKind::PsychologicalTherapeutic => "psychological_therapeutic",
        }
    }

    pub fn parse(s: &str) -> Result<ProgrammeKind, &'static str> {
        ProgrammeKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or("err-referral-programme-unknown")
    }
}

/// The penalty for the art. 66c k.w. offence: restriction of liberty or a fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Penalty {
    Fine,
    RestrictionOfLiberty,
}

impl Penalty {
    pub const ALL: [Penalty; 2] = [Penalty::Fine, Penalty::RestrictionOfLiberty];

    pub fn as_str(self) -> &'static str {
        match self {
            Penalty::Fine => "fine",
            Penalty::RestrictionOfLiberty => "restriction_of_liberty",
        }
    }

    pub fn parse(s: &str) -> Result<Penalty, &'static str> {
        Penalty::ALL.into_iter().find(|p| p.as_str() == s.trim()).ok_or("err-referral-penalty-unknown")
    }
}

/// Which suspected person a referral is for, without personal data: a form A of the case and the position (from 0)
/// of the person in that form's `suspected_persons` section. Forms are never edited, so the position is stable. The
/// store checks that the form belongs to the case and has a person there; reports read the person's sex from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SuspectedPersonRef {
    pub form_id: Uuid,
    pub index: u32,
}

/// One step of a referral. `on` is the date the user gives for a fact outside the system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ReferralStep {
    /// The group asks the team to refer the person (art. 9b ust. 8 pkt 5).
    Request { programme: ProgrammeKind, person: SuspectedPersonRef },
    /// The team refers the person to this provider (art. 9b ust. 11).
    Refer { provider: String },
    /// The referral was delivered to the person; the 30-day registration term starts (art. 9b ust. 11 pkt 3).
    Deliver { on: Date },
    /// The person delivered the certificate of registration (art. 4 ust. 6 pkt 2).
    RegistrationCertificate { on: Date },
    /// The group called the person to show the registration certificate (art. 9b ust. 12); the first or the second.
    CertificateCall { on: Date },
    /// The programme ended, within the provider's dates (art. 4 ust. 6 pkt 3).
    ProgrammeEnded { on: Date },
    /// The person delivered the certificate of completion (art. 4 ust. 6 pkt 4).
    CompletionCertificate { on: Date },
    /// The group asks the team to notify the art. 66c k.w. offence (art. 9b ust. 13).
    RequestOffenceNotification { on: Date },
    /// The team asked the starosta whether the person met the obligations (art. 9b ust. 3).
    AskStarosta { on: Date },
    /// The team filed the offence notification (art. 9b ust. 3).
    FileOffenceNotification { on: Date },
    /// The team informed the commander of a police officer or a Military Police soldier (art. 9b ust. 5–6).
    InformCommander { on: Date },
    /// The court's penalty for the offence, for the reports (RPPPD indicators 3.3.6, 3.4.4).
    Penalty { penalty: Penalty, on: Date },
}

/// The kinds of step, for offering them on a page and naming them in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Request,
    Refer,
    Deliver,
    RegistrationCertificate,
    CertificateCall,
    ProgrammeEnded,
    CompletionCertificate,
    RequestOffenceNotification,
    AskStarosta,
    FileOffenceNotification,
    InformCommander,
    Penalty,
}

impl StepKind {
    pub const ALL: [StepKind; 12] = [
        StepKind::Request,
        StepKind::Refer,
        StepKind::Deliver,
        StepKind::RegistrationCertificate,
        StepKind::CertificateCall,
        StepKind::ProgrammeEnded,
        StepKind::CompletionCertificate,
        StepKind::RequestOffenceNotification,
        StepKind::AskStarosta,
        StepKind::FileOffenceNotification,
        StepKind::InformCommander,
        StepKind::Penalty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Request => "request",
            StepKind::Refer => "refer",
            StepKind::Deliver => "deliver",
            StepKind::RegistrationCertificate => "registration_certificate",
            StepKind::CertificateCall => "certificate_call",
            StepKind::ProgrammeEnded => "programme_ended",
            StepKind::CompletionCertificate => "completion_certificate",
            StepKind::RequestOffenceNotification => "request_offence_notification",
            StepKind::AskStarosta => "ask_starosta",
            StepKind::FileOffenceNotification => "file_offence_notification",
            StepKind::InformCommander => "inform_commander",
            StepKind::Penalty => "penalty",
        }
    }

    pub fn parse(s: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Steps for the team alone: the referral and what it files or sends out (art. 9b ust. 3, 5–6, 11). The group
    /// asks; both record the facts that arrive.
    pub fn team_only(self) -> bool {
        matches!(
            self,
            StepKind::Refer | StepKind::AskStarosta | StepKind::FileOffenceNotification | StepKind::InformCommander
        )
    }
}

impl ReferralStep {
    pub fn kind(&self) -> StepKind {
        match self {
            ReferralStep::Request { .. } => StepKind::Request,
            ReferralStep::Refer { .. } => StepKind::Refer,
            ReferralStep::Deliver { .. } => StepKind::Deliver,
            ReferralStep::RegistrationCertificate { .. } => StepKind::RegistrationCertificate,
            ReferralStep::CertificateCall { .. } => StepKind::CertificateCall,
            ReferralStep::ProgrammeEnded { .. } => StepKind::ProgrammeEnded,
            ReferralStep::CompletionCertificate { .. } => StepKind::CompletionCertificate,
            ReferralStep::RequestOffenceNotification { .. } => StepKind::RequestOffenceNotification,
            ReferralStep::AskStarosta { .. } => StepKind::AskStarosta,
            ReferralStep::FileOffenceNotification { .. } => StepKind::FileOffenceNotification,
            ReferralStep::InformCommander { .. } => StepKind::InformCommander,
            ReferralStep::Penalty { .. } => StepKind::Penalty,
        }
    }

    /// The date the user gave, for the steps that carry one.
    pub fn date(&self) -> Option<Date> {
        match self {
            ReferralStep::Request { .. } | ReferralStep::Refer { .. } => None,
            ReferralStep::Deliver { on }
            | ReferralStep::RegistrationCertificate { on }
            | ReferralStep::CertificateCall { on }
            | ReferralStep::ProgrammeEnded { on }
            | ReferralStep::CompletionCertificate { on }
            | ReferralStep::RequestOffenceNotification { on }
            | ReferralStep::AskStarosta { on }
            | ReferralStep::FileOffenceNotification { on }
            | ReferralStep::InformCommander { on }
            | ReferralStep::Penalty { on, .. } => Some(*on),
        }
    }
}

/// Parses a step's date as typed ([`crate::parse::date`]).
pub fn parse_date(raw: &str) -> Result<Date, &'static str> {
    crate::parse::date(raw)
}

/// The team's referral: when it was made and to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referred {
    pub at: Timestamp,
    pub provider: String,
}

/// One referral as its steps left it. Built only by [`apply_step`], so a later fact never exists without the one it
/// follows, and the dates run in the order of the steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    id: Uuid,
    programme: ProgrammeKind,
    person: SuspectedPersonRef,
    requested_at: Timestamp,
    referred: Option<Referred>,
    delivered_on: Option<Date>,
    registration_certificate_on: Option<Date>,
    calls: Vec<Date>,
    programme_ended_on: Option<Date>,
    completion_certificate_on: Option<Date>,
    notification_requested_on: Option<Date>,
    starosta_asked_on: Option<Date>,
    notification_filed_on: Option<Date>,
    commander_informed_on: Option<Date>,
    penalty: Option<(Penalty, Date)>,
}

/// Why a referral step was refused. Each has a message id in the translation catalogs ([`ReferralError::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralError {
    /// A new request waits for the group's first meeting and stops at closing: the group asks as a body, while it
    /// runs the procedure.
    RequestNotInProgress,
    AlreadyExists,
    Unknown,
    AlreadyReferred,
    ProviderRequired,
    ProviderTooLong,
    DeliveryBeforeReferral,
    AlreadyDelivered,
    CertificateBeforeDelivery,
    AlreadyRegistered,
    CallAfterCertificate,
    /// The calls start after the 30-day registration term (art. 9b ust. 12).
    CallBeforeRegistrationTerm,
    /// Art. 9b ust. 12 provides two calls.
    ThirdCall,
    EndBeforeRegistration,
    AlreadyEnded,
    CompletionBeforeEnd,
    AlreadyCompleted,
    /// Art. 9b ust. 13: only 90 days after delivery without a registration certificate, or 30 days after the end
    /// without a completion certificate.
    NotificationNotDue,
    NotificationAlreadyRequested,
    StarostaBeforeRequest,
    StarostaAfterFiling,
    StarostaAlreadyAsked,
    FilingWithoutRequest,
    AlreadyFiled,
    CommanderBeforeFiling,
    CommanderAlreadyInformed,
    PenaltyBeforeFiling,
    PenaltyAlreadyRecorded,
    DateInFuture,
    DateBeforePreviousStep,
    DateOutOfRange,
}

impl ReferralError {
    pub const ALL: [ReferralError; 31] = [
        ReferralError::RequestNotInProgress,
        ReferralError::AlreadyExists,
        ReferralError::Unknown,
        ReferralError::AlreadyReferred,
        ReferralError::ProviderRequired,
        ReferralError::ProviderTooLong,
        ReferralError::DeliveryBeforeReferral,
        ReferralError::AlreadyDelivered,
        ReferralError::CertificateBeforeDelivery,
        ReferralError::AlreadyRegistered,
        ReferralError::CallAfterCertificate,
        ReferralError::CallBeforeRegistrationTerm,
        ReferralError::ThirdCall,
        ReferralError::EndBeforeRegistration,
        ReferralError::AlreadyEnded,
        ReferralError::CompletionBeforeEnd,
        ReferralError::AlreadyCompleted,
        ReferralError::NotificationNotDue,
        ReferralError::NotificationAlreadyRequested,
        ReferralError::StarostaBeforeRequest,
        ReferralError::StarostaAfterFiling,
        ReferralError::StarostaAlreadyAsked,
        ReferralError::FilingWithoutRequest,
        ReferralError::AlreadyFiled,
        ReferralError::CommanderBeforeFiling,
        ReferralError::CommanderAlreadyInformed,
        ReferralError::PenaltyBeforeFiling,
        ReferralError::PenaltyAlreadyRecorded,
        ReferralError::DateInFuture,
        ReferralError::DateBeforePreviousStep,
        ReferralError::DateOutOfRange,
    ];

    /// The message id in the translation catalogs (`crates/web/i18n/*/main.ftl`).
    pub fn code(self) -> &'static str {
        use ReferralError as E;
        match self {
            E::RequestNotInProgress => "err-referral-request-not-in-progress",
            E::AlreadyExists => "err-referral-already-exists",
            E::Unknown => "err-referral-unknown",
            E::AlreadyReferred => "err-referral-already-referred",
            E::ProviderRequired => "err-referral-provider-required",
            E::ProviderTooLong => "err-referral-provider-too-long",
            E::DeliveryBeforeReferral => "err-referral-delivery-before-referral",
            E::AlreadyDelivered => "err-referral-already-delivered",
            E::CertificateBeforeDelivery => "err-referral-certificate-before-delivery",
            E::AlreadyRegistered => "err-referral-already-registered",
            E::CallAfterCertificate => "err-referral-call-after-certificate",
            E::CallBeforeRegistrationTerm => "err-referral-call-before-registration-term",
            E::ThirdCall => "err-referral-third-call",
            E::EndBeforeRegistration => "err-referral-end-before-registration",
            E::AlreadyEnded => "err-referral-already-ended",
            E::CompletionBeforeEnd => "err-referral-completion-before-end",
            E::AlreadyCompleted => "err-referral-already-completed",
            E::NotificationNotDue => "err-referral-notification-not-due",
            E::NotificationAlreadyRequested => "err-referral-notification-already-requested",
            E::StarostaBeforeRequest => "err-referral-starosta-before-request",
            E::StarostaAfterFiling => "err-referral-starosta-after-filing",
            E::StarostaAlreadyAsked => "err-referral-starosta-already-asked",
            E::FilingWithoutRequest => "err-referral-filing-without-request",
            E::AlreadyFiled => "err-referral-already-filed",
            E::CommanderBeforeFiling => "err-referral-commander-before-filing",
            E::CommanderAlreadyInformed => "err-referral-commander-already-informed",
            E::PenaltyBeforeFiling => "err-referral-penalty-before-filing",
            E::PenaltyAlreadyRecorded => "err-referral-penalty-already-recorded",
            E::DateInFuture => "err-referral-date-in-future",
            E::DateBeforePreviousStep => "err-referral-date-before-previous-step",
            E::DateOutOfRange => "err-referral-date-out-of-range",
        }
    }
}

impl ReferralError {
    /// The input a refusal concerns, so a page can show it beside that field: the step's date (`on`), the provider,
    /// the person, or the step as a whole.
    pub fn field(self) -> &'static str {
        use ReferralError as E;
        match self {
            E::DateInFuture
            | E::DateBeforePreviousStep
            | E::DateOutOfRange
            | E::CallBeforeRegistrationTerm
            | E::NotificationNotDue => "on",
            E::ProviderRequired | E::ProviderTooLong => "provider",
            _ => "step",
        }
    }

    /// The refusal with this message id.
    pub fn by_code(code: &str) -> Option<ReferralError> {
        ReferralError::ALL.into_iter().find(|e| e.code() == code)
    }
}

impl std::fmt::Display for ReferralError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for ReferralError {}

/// One clock of a referral: the deadline kind, when it started, and when it was met (if it was). The store evaluates
/// it with [`super::deadlines::evaluate`] against the rule of that kind.
pub type Clock = (DeadlineKind, Timestamp, Option<Timestamp>);

/// The first instant of a Polish civil day: how a date the user gave becomes a clock's instant (its day in Warsaw
/// is the same date).
fn day_start(date: Date) -> Result<Timestamp, ReferralError> {
    date.to_zoned(calendar::poland_zone()).map(|z| z.timestamp()).map_err(|_| ReferralError::DateOutOfRange)
}

/// The last day of the rule of `kind` for an event on `start` (the programme rules are the act's, in every regime).
fn last_day(kind: DeadlineKind, start: Date) -> Result<Date, ReferralError> {
    let rule = rule_for(kind, Regime::Reg2023).ok_or(ReferralError::DateOutOfRange)?;
    match due(rule, day_start(start)?).map_err(|_| ReferralError::DateOutOfRange)? {
        Due::EndOfDay(day) => Ok(day),
        Due::At(at) => calendar::warsaw_date(at).map_err(|_| ReferralError::DateOutOfRange),
    }
}

impl Referral {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn programme(&self) -> ProgrammeKind {
        self.programme
    }

    pub fn person(&self) -> SuspectedPersonRef {
        self.person
    }

    pub fn requested_at(&self) -> Timestamp {
        self.requested_at
    }

    pub fn referred(&self) -> Option<&Referred> {
        self.referred.as_ref()
    }

    pub fn delivered_on(&self) -> Option<Date> {
        self.delivered_on
    }

    pub fn registration_certificate_on(&self) -> Option<Date> {
        self.registration_certificate_on
    }

    /// The calls for the registration certificate, in order (at most two).
    pub fn calls(&self) -> &[Date] {
        &self.calls
    }

    pub fn programme_ended_on(&self) -> Option<Date> {
        self.programme_ended_on
    }

    pub fn completion_certificate_on(&self) -> Option<Date> {
        self.completion_certificate_on
    }

    pub fn notification_requested_on(&self) -> Option<Date> {
        self.notification_requested_on
    }

    pub fn starosta_asked_on(&self) -> Option<Date> {
        self.starosta_asked_on
    }

    pub fn notification_filed_on(&self) -> Option<Date> {
        self.notification_filed_on
    }

    pub fn commander_informed_on(&self) -> Option<Date> {
        self.commander_informed_on
    }

    pub fn penalty(&self) -> Option<(Penalty, Date)> {
        self.penalty
    }

    /// Report facts (RPPPD 3.3.6 / 3.4.4): the person was referred by the team.
    pub fn is_referred(&self) -> bool {
        self.referred.is_some()
    }

    /// Started the programme: the registration certificate arrived.
    pub fn has_started(&self) -> bool {
        self.registration_certificate_on.is_some()
    }

    /// Completed the programme: the completion certificate arrived.
    pub fn has_completed(&self) -> bool {
        self.completion_certificate_on.is_some()
    }

    /// Persistently evaded: the group found a statutory term missed and asked for the offence notification.
    pub fn has_evaded(&self) -> bool {
        self.notification_requested_on.is_some()
    }

    /// The last day of the 30-day registration term, once the referral is delivered.
    pub fn registration_term_ends(&self) -> Option<Date> {
        self.delivered_on.and_then(|d| last_day(DeadlineKind::ProgrammeRegistration, d).ok())
    }

    /// Whether on `on` the group must ask for the offence notification (art. 9b ust. 13): the 90 days from delivery
    /// passed without a registration certificate, or the 30 days after the end without a completion certificate.
    pub fn notification_due_on(&self, on: Date) -> Result<bool, ReferralError> {
        let Some(delivered) = self.delivered_on else { return Ok(false) };
        if self.registration_certificate_on.is_none() {
            return Ok(on > last_day(DeadlineKind::RegistrationCertificateMissing, delivered)?);
        }
        match (self.programme_ended_on, self.completion_certificate_on) {
            (Some(ended), None) => Ok(on > last_day(DeadlineKind::CompletionCertificateMissing, ended)?),
            _ => Ok(false),
        }
    }

    /// The step a new step of `kind` follows, with the day it happened: the new step may not be dated before it, and
    /// a refusal names it. `None` for a request, or when the step it follows is not recorded yet.
    pub fn preceding(&self, kind: StepKind) -> Option<(StepKind, Date)> {
        use StepKind as S;
        let day = |at: Timestamp| calendar::warsaw_date(at).ok();
        let delivered = self.delivered_on.map(|d| (S::Deliver, d));
        match kind {
            S::Request => None,
            S::Refer => day(self.requested_at).map(|d| (S::Request, d)),
            S::Deliver => self.referred.as_ref().and_then(|r| day(r.at)).map(|d| (S::Refer, d)),
            S::RegistrationCertificate => delivered,
            S::CertificateCall => self.calls.last().map(|c| (S::CertificateCall, *c)).or(delivered),
            S::ProgrammeEnded => self.registration_certificate_on.map(|d| (S::RegistrationCertificate, d)),
            S::CompletionCertificate => self.programme_ended_on.map(|d| (S::ProgrammeEnded, d)),
            S::RequestOffenceNotification => self.programme_ended_on.map(|d| (S::ProgrammeEnded, d)).or(delivered),
            S::AskStarosta => self.notification_requested_on.map(|d| (S::RequestOffenceNotification, d)),
            S::FileOffenceNotification => {
                let requested = self.notification_requested_on.map(|d| (S::RequestOffenceNotification, d));
                match (requested, self.starosta_asked_on) {
                    (Some((_, q)), Some(s)) if s > q => Some((S::AskStarosta, s)),
                    _ => requested,
                }
            }
            S::InformCommander | S::Penalty => self.notification_filed_on.map(|d| (S::FileOffenceNotification, d)),
        }
    }

    /// The steps whose preconditions hold now (their dates are checked when they are recorded).
    pub fn possible_steps(&self) -> Vec<StepKind> {
        use StepKind as S;
        let mut out = Vec::new();
        let filed = self.notification_filed_on.is_some();
        if self.referred.is_none() {
            out.push(S::Refer);
        } else if self.delivered_on.is_none() {
            out.push(S::Deliver);
        }
        if self.delivered_on.is_some() {
            if self.registration_certificate_on.is_none() {
                out.push(S::RegistrationCertificate);
                if self.calls.len() < 2 {
                    out.push(S::CertificateCall);
                }
            } else if self.programme_ended_on.is_none() {
                out.push(S::ProgrammeEnded);
            } else if self.completion_certificate_on.is_none() {
                out.push(S::CompletionCertificate);
            }
            if self.notification_requested_on.is_none() && self.completion_certificate_on.is_none() {
                out.push(S::RequestOffenceNotification);
            }
        }
        if self.notification_requested_on.is_some() && !filed {
            if self.starosta_asked_on.is_none() {
                out.push(S::AskStarosta);
            }
            out.push(S::FileOffenceNotification);
        }
        if filed {
            if self.commander_informed_on.is_none() {
                out.push(S::InformCommander);
            }
            if self.penalty.is_none() {
                out.push(S::Penalty);
            }
        }
        out
    }

    /// The referral's statutory clocks, in the order of the steps: registration (art. 9b ust. 11 pkt 3), the two
    /// calls (ust. 12), and the two certificate terms after which the offence notification is asked for (ust. 13).
    ///
    /// A clock is listed once its start is known. The calls are listed only while they are needed: a registration
    /// certificate that arrived within the 30 days leaves none to make, one dated on or before the first call leaves
    /// no second; one that arrives later ends them. A
    /// certificate term is met by its certificate, or by the group's request for the notification, which draws the
    /// consequence the act attaches to the missed term (docs/legal-assumptions.md, `referral_clock_closed_by_request`).
    pub fn clocks(&self) -> Result<Vec<Clock>, ReferralError> {
        let mut out = Vec::new();
        let Some(delivered) = self.delivered_on else { return Ok(out) };
        let at = |d: Option<Date>| d.map(day_start).transpose();
        let certificate = at(self.registration_certificate_on)?;
        let requested = at(self.notification_requested_on)?;
        out.push((DeadlineKind::ProgrammeRegistration, day_start(delivered)?, certificate));
        let term_end = last_day(DeadlineKind::ProgrammeRegistration, delivered)?;
        let calls_needed = self.registration_certificate_on.is_none_or(|c| c > term_end);
        if calls_needed {
            let first = at(self.calls.first().copied())?;
            out.push((DeadlineKind::CertificateFirstCall, day_start(term_end)?, first.or(certificate)));
            // A certificate dated on or before the first call (entered late) left no second call to make.
            let first_day = self.calls.first().copied();
            let second_needed = first_day.is_some_and(|f| self.registration_certificate_on.is_none_or(|c| c > f));
            if let (Some(first), true) = (first, second_needed) {
                let second = at(self.calls.get(1).copied())?;
                out.push((DeadlineKind::CertificateSecondCall, first, second.or(certificate)));
            }
        }
        let registration_requested = requested.filter(|_| self.programme_ended_on.is_none());
        out.push((
            DeadlineKind::RegistrationCertificateMissing,
            day_start(delivered)?,
            certificate.or(registration_requested),
        ));
        if let Some(ended) = self.programme_ended_on {
            let completion = at(self.completion_certificate_on)?;
            // Only a request made after the end answers this term (an earlier one was about the registration).
            let ended_at = day_start(ended)?;
            let completion_requested = requested.filter(|r| *r >= ended_at);
            out.push((DeadlineKind::CompletionCertificateMissing, ended_at, completion.or(completion_requested)));
        }
        Ok(out)
    }
}

/// The moment a step happened, where the procedure's command log places it. A request or a referral is a moment
/// the user gives (`occurred_at`, default `now`). A dated step happened on its day: it stands at that day's last
/// instant in Poland (so it follows whatever else happened that day), or at `now` when that day is today; a day in
/// the future stands at `now` and is refused by [`apply_step`]. `not_before` is the referral's latest step in the
/// log: a step never stands before it (steps recorded before dates were kept stand at their moment of entry).
pub fn step_instant(
    step: &ReferralStep,
    occurred_at: Option<Timestamp>,
    not_before: Option<Timestamp>,
    now: Timestamp,
) -> Timestamp {
    let Some(on) = step.date() else { return occurred_at.unwrap_or(now) };
    let zone = calendar::poland_zone();
    let day_end = on
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(zone).ok())
        .map_or(now, |z| z.timestamp() - jiff::SignedDuration::from_micros(1));
    day_end.max(not_before.unwrap_or(day_end)).min(now)
}

/// Applies one step, dated `at` (the instant it happened, [`step_instant`]), to the referral `id` among `referrals`. A new request
/// is accepted only when `accepts_request` (the procedure's phase decides). Returns the referral as it now stands.
pub fn apply_step(
    referrals: &[Referral],
    id: Uuid,
    step: &ReferralStep,
    at: Timestamp,
    accepts_request: bool,
) -> Result<Referral, ReferralError> {
    use ReferralError as E;
    let existing = referrals.iter().find(|r| r.id == id);
    if let ReferralStep::Request { programme, person } = step {
        if existing.is_some() {
            return Err(E::AlreadyExists);
        }
        if !accepts_request {
            return Err(E::RequestNotInProgress);
        }
        return Ok(Referral {
            id,
            programme: *programme,
            person: *person,
            requested_at: at,
            referred: None,
            delivered_on: None,
            registration_certificate_on: None,
            calls: Vec::new(),
            programme_ended_on: None,
            completion_certificate_on: None,
            notification_requested_on: None,
            starosta_asked_on: None,
            notification_filed_on: None,
            commander_informed_on: None,
            penalty: None,
        });
    }
    let mut r = existing.ok_or(E::Unknown)?.clone();
    let today = calendar::warsaw_date(at).map_err(|_| E::DateOutOfRange)?;
    if let Some(on) = step.date()
        && on > today
    {
        return Err(E::DateInFuture);
    }
    // A date may not precede the step it follows (known before this step changes the referral).
    let preceding = r.preceding(step.kind());
    let not_before = |on: Date| match preceding {
        Some((_, previous)) if on < previous => Err(E::DateBeforePreviousStep),
        _ => Ok(on),
    };
    match step {
        // Answered above, before the referral was looked up.
        ReferralStep::Request { .. } => return Err(E::AlreadyExists),
        ReferralStep::Refer { provider } => {
            if r.referred.is_some() {
                return Err(E::AlreadyReferred);
            }
            let provider = provider.trim();
            if provider.is_empty() {
                return Err(E::ProviderRequired);
            }
            if provider.chars().count() > PROVIDER_MAX {
                return Err(E::ProviderTooLong);
            }
            if at < r.requested_at {
                return Err(E::DateBeforePreviousStep);
            }
            r.referred = Some(Referred { at, provider: provider.to_owned() });
        }
        ReferralStep::Deliver { on } => {
            if r.referred.is_none() {
                return Err(E::DeliveryBeforeReferral);
            }
            if r.delivered_on.is_some() {
                return Err(E::AlreadyDelivered);
            }
            r.delivered_on = Some(not_before(*on)?);
        }
        ReferralStep::RegistrationCertificate { on } => {
            r.delivered_on.ok_or(E::CertificateBeforeDelivery)?;
            if r.registration_certificate_on.is_some() {
                return Err(E::AlreadyRegistered);
            }
            r.registration_certificate_on = Some(not_before(*on)?);
        }
        ReferralStep::CertificateCall { on } => {
            let delivered = r.delivered_on.ok_or(E::CertificateBeforeDelivery)?;
            if r.registration_certificate_on.is_some() {
                return Err(E::CallAfterCertificate);
            }
            if r.calls.len() >= 2 {
                return Err(E::ThirdCall);
            }
            if *on <= last_day(DeadlineKind::ProgrammeRegistration, delivered)? {
                return Err(E::CallBeforeRegistrationTerm);
            }
            r.calls.push(not_before(*on)?);
        }
        ReferralStep::ProgrammeEnded { on } => {
            r.registration_certificate_on.ok_or(E::EndBeforeRegistration)?;
            if r.programme_ended_on.is_some() {
                return Err(E::AlreadyEnded);
            }
            r.programme_ended_on = Some(not_before(*on)?);
        }
        ReferralStep::CompletionCertificate { on } => {
            r.programme_ended_on.ok_or(E::CompletionBeforeEnd)?;
            if r.completion_certificate_on.is_some() {
                return Err(E::AlreadyCompleted);
            }
            r.completion_certificate_on = Some(not_before(*on)?);
        }
        ReferralStep::RequestOffenceNotification { on } => {
            if r.notification_requested_on.is_some() {
                return Err(E::NotificationAlreadyRequested);
            }
            if !r.notification_due_on(*on)? {
                return Err(E::NotificationNotDue);
            }
            r.notification_requested_on = Some(not_before(*on)?);
        }
        ReferralStep::AskStarosta { on } => {
            r.notification_requested_on.ok_or(E::StarostaBeforeRequest)?;
            if r.notification_filed_on.is_some() {
                return Err(E::StarostaAfterFiling);
            }
            if r.starosta_asked_on.is_some() {
                return Err(E::StarostaAlreadyAsked);
            }
            r.starosta_asked_on = Some(not_before(*on)?);
        }
        ReferralStep::FileOffenceNotification { on } => {
            r.notification_requested_on.ok_or(E::FilingWithoutRequest)?;
            if r.notification_filed_on.is_some() {
                return Err(E::AlreadyFiled);
            }
            r.notification_filed_on = Some(not_before(*on)?);
        }
        ReferralStep::InformCommander { on } => {
            r.notification_filed_on.ok_or(E::CommanderBeforeFiling)?;
            if r.commander_informed_on.is_some() {
                return Err(E::CommanderAlreadyInformed);
            }
            r.commander_informed_on = Some(not_before(*on)?);
        }
        ReferralStep::Penalty { penalty, on } => {
            r.notification_filed_on.ok_or(E::PenaltyBeforeFiling)?;
            if r.penalty.is_some() {
                return Err(E::PenaltyAlreadyRecorded);
            }
            r.penalty = Some((*penalty, not_before(*on)?));
        }
    }
    Ok(r)
}

#[cfg(test)]
#[path = "referral_tests.rs"]
mod tests;
