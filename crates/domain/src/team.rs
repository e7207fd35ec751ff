//! The team's own work (art. 9a–9c of the act, procedure.md §1.5): its members and their functions, its meetings
//! and their rules, the directory of help and the register of prevention and training activities.
//!
//! Everything here is pure: the store keeps the rows, these functions say what the rules make of them. Each rule
//! names its basis; the ones read into the act rather than stated by it are marked \[S\] or \[U\] in
//! docs/legal-assumptions.md.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::calendar;
use crate::procedure::deadlines::{self, DeadlineKind};

macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key used in the database, the API and the message ids.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(s: &str) -> Result<$name, &'static str> {
                let s = s.trim();
                if s.is_empty() {
                    return Err("err-required");
                }
                $name::ALL.iter().copied().find(|k| k.as_str() == s).ok_or("err-choice-unknown")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyed_enum! {
    /// A member's function in the team (art. 9a ust. 6, 6a; the secretary is local practice \[U\]).
    MemberFunction {
        Chair => "chair",
        DeputyChair => "deputy_chair",
        Secretary => "secretary",
        Member => "member",
    }
}

keyed_enum! {
    /// A team meeting held in one room or by electronic means of communication (art. 9a ust. 7c).
    MeetingMode {
        InPerson => "in_person",
        Remote => "remote",
    }
}

keyed_enum! {
    /// A team meeting's state.
    MeetingStatus {
        Planned => "planned",
        Held => "held",
        Cancelled => "cancelled",
    }
}

keyed_enum! {
    /// A member's attendance at a held meeting (art. 9a ust. 7d–7g).
    Attendance {
        Present => "present",
        /// Absent, and the chair was told in time (2 working days ahead) or the late notice was excused.
        Excused => "excused",
        Unexcused => "unexcused",
    }
}

keyed_enum! {
    /// The kinds of help the directory lists (art. 9b ust. 2 pkt 5: spreading information about local help).
    HelpKind {
        Psychological => "psychological",
        Legal => "legal",
        Social => "social",
        Medical => "medical",
        Shelter => "shelter",
        CrisisIntervention => "crisis_intervention",
        Helpline => "helpline",
        ProgrammeForPersonsUsingViolence => "programme_for_persons_using_violence",
        Addiction => "addiction",
        Family => "family",
        Police => "police",
        Other => "other",
    }
}

keyed_enum! {
    /// The kinds of prevention and training activity the register keeps (art. 9b ust. 2 pkt 2; the reference report's
    /// tasks: campaigns, workshops in schools, trainings, conferences, supervisions, training-needs diagnoses).
    ActivityKind {
        Campaign => "campaign",
        Workshop => "workshop",
        Training => "training",
        Conference => "conference",
        Supervision => "supervision",
        TrainingNeedsDiagnosis => "training_needs_diagnosis",
        Other => "other",
    }
}

keyed_enum! {
    /// Where a conclusion or recommendation to the mayor stands (art. 9b ust. 2; seed 000: the team presents
    /// conclusions, opinions and recommendations). A draft is the team's own; the rest follow the mayor's answer.
    RecommendationStatus {
        Draft => "draft",
        Submitted => "submitted",
        Accepted => "accepted",
        PartlyAccepted => "partly_accepted",
        Rejected => "rejected",
        Implemented => "implemented",
    }
}

keyed_enum! {
    /// Who co-finances a project or programme the team runs (seed 002: projects co-financed by the ministry).
    Funder {
        Ministry => "ministry",
        Voivodeship => "voivodeship",
        County => "county",
        Municipality => "municipality",
        Eu => "eu",
        Other => "other",
    }
}

keyed_enum! {
    /// What a training in a member's history was (issue 18 item 6; seed 002: coordinators who completed the
    /// "Studium Przeciwdziałania Przemocy w Rodzinie I stopnia"). Only `Mandatory` (the training under art. 9a ust.
    /// 5a) stops the 12-month clock; every kind counts towards the statutory set's "members trained".
    TrainingKind {
        Mandatory => "mandatory",
        Further => "further",
        StudiumFirstDegree => "studium_first_degree",
        StudiumSecondDegree => "studium_second_degree",
        Specialisation => "specialisation",
    }
}

keyed_enum! {
    /// The areas of the team's work a member may coordinate (seed 002: coordinators of the working groups; the
    /// team's own division of work: children, the elderly, the programmes). A list as data: a new area is a line
    /// here and its words in the ftl files (`coordination-area-*`).
    CoordinationArea {
        Children => "children",
        Elderly => "elderly",
        PersonsWithDisabilities => "persons_with_disabilities",
        Programmes => "programmes",
        SupportGroups => "support_groups",
        Trainings => "trainings",
        Campaigns => "campaigns",
    }
}

keyed_enum! {
    /// Where a working group's task stands.
    WorkingTaskStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Dropped => "dropped",
    }
}

/// The day a member's mandatory training (art. 9a ust. 5a) was completed, read from their training history: the
/// earliest completed entry of kind [`TrainingKind::Mandatory`]; `None` while there is none.
pub fn mandatory_training_completed(history: impl IntoIterator<Item = (TrainingKind, Date)>) -> Option<Date> {
    history.into_iter().filter(|(kind, _)| *kind == TrainingKind::Mandatory).map(|(_, on)| on).min()
}

/// A number of training hours as typed: blank is none; a whole number from 1 to 2000 (two years of studies).
pub fn parse_hours(raw: &str) -> Result<Option<i32>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i32>() {
        Ok(n) if (1..=2000).contains(&n) => Ok(Some(n)),
        Ok(_) => Err("err-training-hours-range"),
        Err(_) => Err("err-count-format"),
    }
}

/// Art. 9a ust. 7: the team meets at least once every two months.
pub const MEETING_INTERVAL_MONTHS: u32 = 2;
/// Art. 9a ust. 7b: members are informed of the date 7 days before.
pub const NOTICE_DAYS: u32 = 7;
/// Art. 9a ust. 7e: an absence is notified at least 2 working days before.
pub const ABSENCE_NOTICE_WORKING_DAYS: u32 = 2;
/// Art. 9a ust. 7g: after 3 unexcused absences the chair informs the member's institution.
pub const UNEXCUSED_ABSENCE_LIMIT: usize = 3;
/// Art. 9a ust. 5a: the mandatory training within 12 months of appointment.
pub const TRAINING_MONTHS: u32 = 12;
/// The directory's entries are checked once a year \[S\].
pub const DIRECTORY_REVIEW_MONTHS: u32 = 12;
/// How long before a rule is missed the chair is warned \[S\].
pub const WARN_DAYS_AHEAD: u32 = 14;

/// The last day the next meeting may be held on, given the last one held: the row `act_team_meeting_interval` of the
/// deadline rules, through the same computation as the case clocks (31 December + 2 months = 28 February by art. 112
/// k.c., moved off a day off as the row declares). `None` when the date is out of the calendar's range.
pub fn next_meeting_due(last_held: Date) -> Option<Date> {
    team_rule_due(DeadlineKind::TeamMeetingInterval, last_held)
}

/// A team clock's last day from its row in [`crate::procedure::deadlines::RULES`].
fn team_rule_due(kind: DeadlineKind, from: Date) -> Option<Date> {
    deadlines::due_on_day(deadlines::act_rule(kind)?, from).ok()
}

/// Where the two-months rule stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum MeetingRule {
    /// A meeting is held or planned in time, or the deadline is more than [`WARN_DAYS_AHEAD`] away.
    Kept { due: Option<Date> },
    /// The deadline is near and no meeting is planned on or before it.
    DueSoon { due: Date },
    /// The deadline passed without a meeting.
    Missed { due: Date },
}

/// The two-months rule on `today`: `last_held` is the last meeting held, `planned` the planned ones. With no meeting
/// held yet, the first one is due two months after the team was appointed (`appointed_on`) \[S\].
pub fn meeting_rule(last_held: Option<Date>, appointed_on: Option<Date>, planned: &[Date], today: Date) -> MeetingRule {
    let Some(base) = last_held.or(appointed_on) else { return MeetingRule::Kept { due: None } };
    let Some(due) = next_meeting_due(base) else { return MeetingRule::Kept { due: None } };
    if today > due {
        return MeetingRule::Missed { due };
    }
    let planned_in_time = planned.iter().any(|d| *d >= today && *d <= due);
    let warn_from = calendar::sub_days(due, WARN_DAYS_AHEAD).unwrap_or(due);
    if !planned_in_time && today >= warn_from {
        return MeetingRule::DueSoon { due };
    }
    MeetingRule::Kept { due: Some(due) }
}

/// The last day members may be told of a meeting on `meeting_day` (7 days before, art. 9a ust. 7b).
pub fn notice_deadline(meeting_day: Date) -> Option<Date> {
    calendar::sub_days(meeting_day, NOTICE_DAYS).ok()
}

/// Whether a planned meeting needs a warning: its notice has not been sent and it is less than 7 days away (or
/// the notice can still be sent in time only today).
pub fn notice_late(meeting_day: Date, notice_sent_on: Option<Date>, today: Date) -> bool {
    if notice_sent_on.is_some() || meeting_day < today {
        return false;
    }
    notice_deadline(meeting_day).is_none_or(|last| today >= last)
}

/// Whether a notice sent on `sent_on` kept the 7-day rule for a meeting on `meeting_day`.
pub fn notice_in_time(meeting_day: Date, sent_on: Date) -> bool {
    notice_deadline(meeting_day).is_some_and(|last| sent_on <= last)
}

/// The last day an absence may be notified for a meeting on `meeting_day`: 2 working days before it, the meeting's
/// day not counted (art. 9a ust. 7e; Saturdays, Sundays and public holidays are not working days) \[S\].
pub fn absence_notice_deadline(meeting_day: Date) -> Option<Date> {
    calendar::sub_working_days(meeting_day, ABSENCE_NOTICE_WORKING_DAYS).ok()
}

/// An absence's status: excused when it was notified by [`absence_notice_deadline`], or later for special
/// circumstances the chair accepted (serious illness, a random event, art. 9a ust. 7f); unexcused otherwise.
pub fn absence_status(meeting_day: Date, notified_on: Option<Date>, special_circumstances: bool) -> Attendance {
    if special_circumstances {
        return Attendance::Excused;
    }
    match (notified_on, absence_notice_deadline(meeting_day)) {
        (Some(notified), Some(last)) if notified <= last => Attendance::Excused,
        _ => Attendance::Unexcused,
    }
}

/// Whether a member's unexcused absences call for the letter to their institution (art. 9a ust. 7g: "3 or more").
pub fn absence_letter_due(unexcused: usize) -> bool {
    unexcused >= UNEXCUSED_ABSENCE_LIMIT
}

/// Where a member's mandatory training stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum TrainingState {
    Completed { on: Date },
    Due { by: Date },
    DueSoon { by: Date },
    Overdue { by: Date },
}

/// The day the mandatory training must be done by: 12 months after appointment (art. 9a ust. 5a).
pub fn training_due_by(appointed_on: Date) -> Option<Date> {
    team_rule_due(DeadlineKind::MemberTraining, appointed_on)
}

/// The training's state on `today`; due soon within 60 days of its deadline \[S\].
pub fn training_state(appointed_on: Date, completed_on: Option<Date>, today: Date) -> TrainingState {
    if let Some(on) = completed_on {
        return TrainingState::Completed { on };
    }
    let Some(by) = training_due_by(appointed_on) else { return TrainingState::Due { by: appointed_on } };
    if today > by {
        TrainingState::Overdue { by }
    } else if calendar::sub_days(by, 60).is_ok_and(|soon| today >= soon) {
        TrainingState::DueSoon { by }
    } else {
        TrainingState::Due { by }
    }
}

/// The day a directory entry checked on `last_checked_on` is due for its yearly review \[S\].
pub fn directory_review_due(last_checked_on: Date) -> Option<Date> {
    calendar::add_months(last_checked_on, DIRECTORY_REVIEW_MONTHS).ok()
}

/// Whether the entry's review is due on `today`.
pub fn directory_review_overdue(last_checked_on: Date, today: Date) -> bool {
    directory_review_due(last_checked_on).is_none_or(|due| today >= due)
}

/// A list of help kinds from keys separated by spaces or commas; at least one, each known, no duplicates.
pub fn parse_help_kinds<'a>(keys: impl IntoIterator<Item = &'a str>) -> Result<Vec<HelpKind>, &'static str> {
    let mut out = Vec::new();
    for key in keys.into_iter().flat_map(|k| k.split([' ', ','])).filter(|k| !k.trim().is_empty()) {
        let kind = HelpKind::parse(key)?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    if out.is_empty() { Err("err-required") } else { Ok(out) }
}

/// The help kinds as stored: keys in the fixed list's order, separated by one space.
pub fn help_kinds_key(kinds: &[HelpKind]) -> String {
    HelpKind::ALL.iter().filter(|k| kinds.contains(k)).map(|k| k.as_str()).collect::<Vec<_>>().join(" ")
}

/// Language codes (ISO 639-1, two lowercase letters) separated by spaces or commas.
pub fn parse_languages(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::new();
    for code in raw.split([' ', ',']).map(str::trim).filter(|c| !c.is_empty()) {
        let code = code.to_ascii_lowercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err("err-language-code");
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// An optional one-line text of at most `max` characters, trimmed; `None` when blank.
pub fn parse_optional_text(raw: &str, max: usize) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max {
        return Err("err-too-long");
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err("err-control-chars");
    }
    Ok(Some(s.to_owned()))
}

/// A calendar date as typed ([`crate::parse::date`]).
pub fn parse_date(raw: &str) -> Result<Date, &'static str> {
    crate::parse::date(raw)
}

/// An optional date: blank is `None`.
pub fn parse_optional_date(raw: &str) -> Result<Option<Date>, &'static str> {
    if raw.trim().is_empty() { Ok(None) } else { parse_date(raw).map(Some) }
}

/// A web address: http or https only (the public page links to it).
pub fn parse_website(raw: &str) -> Result<Option<String>, &'static str> {
    let Some(s) = parse_optional_text(raw, 300)? else { return Ok(None) };
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) || s.contains(char::is_whitespace) {
        return Err("err-website-format");
    }
    Ok(Some(s))
}

/// An e-mail address, loosely: one `@` with text on both sides and a dot in the domain.
pub fn parse_email(raw: &str) -> Result<Option<String>, &'static str> {
    let Some(s) = parse_optional_text(raw, 200)? else { return Ok(None) };
    let ok = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.contains('@') && !s.contains(char::is_whitespace)
        }
        None => false,
    };
    if ok { Ok(Some(s)) } else { Err("err-email-format") }
}

/// A count that cannot be negative (participants, materials handed out).
pub fn parse_count(raw: &str) -> Result<i64, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=10_000_000).contains(&n) => Ok(n),
        Ok(_) => Err("err-count-range"),
        Err(_) => Err("err-count-format"),
    }
}

/// An amount of money in złoty as people type it ("12 500", "12 500,50", "12500.5"), in grosze. Blank is 0; a
/// negative amount or more than a billion złoty is refused.
pub fn parse_amount(raw: &str) -> Result<i64, &'static str> {
    let s: String =
        raw.trim().trim_end_matches("zł").chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if s.is_empty() {
        return Ok(0);
    }
    let s = s.replace(',', ".");
    let (whole, fraction) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return Err("err-amount-format");
    }
    let whole: i64 = whole.parse().map_err(|_| "err-amount-range")?;
    let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().unwrap_or(0) };
    if whole > 1_000_000_000 {
        return Err("err-amount-range");
    }
    Ok(whole * 100 + fraction)
}

/// An amount in grosze as pages and documents show it: "12 500,50 zł".
pub fn format_amount(grosze: i64) -> String {
    let whole = (grosze / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}\u{a0}zł", grosze % 100)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn amounts_are_read_as_typed_in_poland_and_shown_with_groups() {
        assert_eq!(parse_amount("12 500"), Ok(1_250_000));
        assert_eq!(parse_amount("12 500,5"), Ok(1_250_050));
        assert_eq!(parse_amount("12500.05 zł"), Ok(1_250_005));
        assert_eq!(parse_amount(""), Ok(0));
        assert_eq!(parse_amount("-5"), Err("err-amount-format"));
        assert_eq!(parse_amount("1,234"), Err("err-amount-format"));
        assert_eq!(parse_amount("dużo"), Err("err-amount-format"));
        assert_eq!(parse_amount("2000000000"), Err("err-amount-range"));
        assert_eq!(format_amount(1_250_050), "12\u{a0}500,50\u{a0}zł");
        assert_eq!(format_amount(5), "0,05\u{a0}zł");
    }

    #[test]
    fn every_key_parses_back() {
        for k in HelpKind::ALL {
            assert_eq!(HelpKind::parse(k.as_str()), Ok(*k));
        }
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Ok(*k));
        }
        for k in RecommendationStatus::ALL {
            assert_eq!(RecommendationStatus::parse(k.as_str()), Ok(*k));
        }
        for k in Funder::ALL {
            assert_eq!(Funder::parse(k.as_str()), Ok(*k));
        }
        for k in MemberFunction::ALL {
            assert_eq!(MemberFunction::parse(k.as_str()), Ok(*k));
        }
        assert_eq!(HelpKind::parse("astrology"), Err("err-choice-unknown"));
        assert_eq!(MeetingMode::parse(""), Err("err-required"));
    }

    #[test]
    fn the_next_meeting_is_due_two_months_after_the_last_one_held() {
        assert_eq!(next_meeting_due(date(2026, 1, 16)), Some(date(2026, 3, 16)));
        // Art. 112 k.c.: no 31 February, so Saturday 28 February, which the rule's row moves to Monday 2 March,
        // exactly as the case clocks' computation does.
        assert_eq!(next_meeting_due(date(2025, 12, 31)), Some(date(2026, 3, 2)));
        assert_eq!(training_due_by(date(2025, 2, 28)), Some(date(2026, 3, 2)));
    }

    #[test]
    fn the_chair_is_warned_two_weeks_before_the_two_months_run_out_unless_a_meeting_is_planned() {
        // Friday 16 January: two months on is Monday 16 March.
        let last = Some(date(2026, 1, 16));
        assert_eq!(
            meeting_rule(last, None, &[], date(2026, 2, 20)),
            MeetingRule::Kept { due: Some(date(2026, 3, 16)) }
        );
        assert_eq!(meeting_rule(last, None, &[], date(2026, 3, 3)), MeetingRule::DueSoon { due: date(2026, 3, 16) });
        assert_eq!(
            meeting_rule(last, None, &[date(2026, 3, 10)], date(2026, 3, 3)),
            MeetingRule::Kept { due: Some(date(2026, 3, 16)) }
        );
        // A meeting planned after the deadline does not keep the rule.
        assert_eq!(
            meeting_rule(last, None, &[date(2026, 3, 20)], date(2026, 3, 3)),
            MeetingRule::DueSoon { due: date(2026, 3, 16) }
        );
        assert_eq!(meeting_rule(last, None, &[], date(2026, 3, 17)), MeetingRule::Missed { due: date(2026, 3, 16) });
        // A new team counts from its appointment (1 March 2026 is a Sunday, so Monday 2 March).
        assert_eq!(
            meeting_rule(None, Some(date(2026, 1, 1)), &[], date(2026, 3, 3)),
            MeetingRule::Missed { due: date(2026, 3, 2) }
        );
        assert_eq!(meeting_rule(None, None, &[], date(2026, 3, 2)), MeetingRule::Kept { due: None });
    }

    #[test]
    fn members_are_told_seven_days_ahead_and_a_missing_notice_is_flagged_from_the_last_day() {
        let meeting = date(2026, 3, 20);
        assert_eq!(notice_deadline(meeting), Some(date(2026, 3, 13)));
        assert!(!notice_late(meeting, None, date(2026, 3, 12)));
        assert!(notice_late(meeting, None, date(2026, 3, 13)));
        assert!(notice_late(meeting, None, date(2026, 3, 19)));
        assert!(!notice_late(meeting, Some(date(2026, 3, 14)), date(2026, 3, 19)));
        assert!(!notice_late(meeting, None, date(2026, 3, 21)), "a past meeting needs no notice");
        assert!(notice_in_time(meeting, date(2026, 3, 13)));
        assert!(!notice_in_time(meeting, date(2026, 3, 14)));
    }

    #[test]
    fn an_absence_notified_two_working_days_ahead_is_excused() {
        // Wednesday 18 March 2026: two working days before is Monday 16 March.
        let wednesday = date(2026, 3, 18);
        assert_eq!(absence_notice_deadline(wednesday), Some(date(2026, 3, 16)));
        assert_eq!(absence_status(wednesday, Some(date(2026, 3, 16)), false), Attendance::Excused);
        assert_eq!(absence_status(wednesday, Some(date(2026, 3, 17)), false), Attendance::Unexcused);
        assert_eq!(absence_status(wednesday, None, false), Attendance::Unexcused);
        // Art. 9a ust. 7f: special circumstances excuse a late notice.
        assert_eq!(absence_status(wednesday, Some(date(2026, 3, 18)), true), Attendance::Excused);
        // Monday 9 March: the weekend does not count, so the notice is due on Thursday 5 March.
        assert_eq!(absence_notice_deadline(date(2026, 3, 9)), Some(date(2026, 3, 5)));
        // Tuesday 7 April 2026, after Easter Monday (6 April): due Thursday 2 April.
        assert_eq!(absence_notice_deadline(date(2026, 4, 7)), Some(date(2026, 4, 2)));
    }

    #[test]
    fn the_letter_is_drafted_from_the_third_unexcused_absence() {
        assert!(!absence_letter_due(2));
        assert!(absence_letter_due(3));
        assert!(absence_letter_due(4));
    }

    #[test]
    fn only_the_earliest_mandatory_entry_stops_the_training_clock() {
        let history = [
            (TrainingKind::StudiumFirstDegree, date(2024, 3, 1)),
            (TrainingKind::Mandatory, date(2025, 6, 2)),
            (TrainingKind::Mandatory, date(2025, 5, 20)),
        ];
        assert_eq!(mandatory_training_completed(history), Some(date(2025, 5, 20)));
        assert_eq!(mandatory_training_completed([(TrainingKind::Further, date(2025, 1, 1))]), None);
        assert_eq!(parse_hours(" 16 "), Ok(Some(16)));
        assert_eq!(parse_hours(""), Ok(None));
        assert_eq!(parse_hours("0"), Err("err-training-hours-range"));
        assert_eq!(parse_hours("2,5"), Err("err-count-format"));
    }

    #[test]
    fn the_training_is_due_within_twelve_months_of_appointment() {
        let appointed = date(2025, 4, 1);
        assert_eq!(training_due_by(appointed), Some(date(2026, 4, 1)));
        assert_eq!(training_state(appointed, None, date(2025, 12, 1)), TrainingState::Due { by: date(2026, 4, 1) });
        assert_eq!(training_state(appointed, None, date(2026, 2, 1)), TrainingState::DueSoon { by: date(2026, 4, 1) });
        assert_eq!(training_state(appointed, None, date(2026, 4, 2)), TrainingState::Overdue { by: date(2026, 4, 1) });
        assert_eq!(
            training_state(appointed, Some(date(2025, 9, 1)), date(2026, 4, 2)),
            TrainingState::Completed { on: date(2025, 9, 1) }
        );
    }

    #[test]
    fn a_directory_entry_is_reviewed_yearly() {
        assert!(!directory_review_overdue(date(2025, 3, 2), date(2026, 3, 1)));
        assert!(directory_review_overdue(date(2025, 3, 2), date(2026, 3, 2)));
    }

    #[test]
    fn help_kinds_and_languages_parse_strictly() {
        assert_eq!(parse_help_kinds(["helpline legal", "legal"]), Ok(vec![HelpKind::Helpline, HelpKind::Legal]));
        assert_eq!(help_kinds_key(&[HelpKind::Helpline, HelpKind::Legal]), "legal helpline");
        assert_eq!(parse_help_kinds([""]), Err("err-required"));
        assert_eq!(parse_help_kinds(["magic"]), Err("err-choice-unknown"));
        assert_eq!(parse_languages("pl, EN uk"), Ok(vec!["pl".into(), "en".into(), "uk".into()]));
        assert_eq!(parse_languages("polski"), Err("err-language-code"));
        assert_eq!(parse_website("javascript:alert(1)"), Err("err-website-format"));
        assert_eq!(parse_website("https://example.org"), Ok(Some("https://example.org".into())));
        assert_eq!(parse_email("a@b"), Err("err-email-format"));
        assert_eq!(parse_count("-1"), Err("err-count-range"));
        assert_eq!(parse_count("x"), Err("err-count-format"));
        assert_eq!(parse_count(""), Ok(0));
    }
}
