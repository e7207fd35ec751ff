//! Closing a procedure as the act requires (art. 9h ust. 1, art. 9b ust. 8 pkt 8 and ust. 15): one of the two
//! statutory reasons, its justification in writing (required for "no grounds"), the date, the meeting at which the
//! group decided, and the warnings the group confirms first. Pure: the store brings the facts.

use jiff::Timestamp;
use uuid::Uuid;

use super::lifecycle::ClosingReason;
use super::timing::parse_occurred_at;
use crate::validation::FieldErrors;

/// The longest justification kept (a page of text).
pub const JUSTIFICATION_MAX: usize = 4000;

/// What the group decided, as typed on the closing page or sent to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingDecision {
    pub reason: ClosingReason,
    /// The written justification; required for [`ClosingReason::NoGrounds`] (art. 9b ust. 15).
    pub justification: Option<String>,
    /// When the group decided; `None` is now.
    pub occurred_at: Option<Timestamp>,
    /// The held meeting (a case record) at which the group decided.
    pub meeting: Option<Uuid>,
}

/// Reads the closing's fields: each error beside its own field (`reason`, `justification`, `occurred_at`, `meeting`).
pub fn parse_closing(
    reason: &str,
    justification: &str,
    occurred_at: &str,
    meeting: &str,
) -> Result<ClosingDecision, FieldErrors> {
    let mut errors = FieldErrors::new();
    let reason = if reason.trim().is_empty() {
        errors.add("reason", "err-closing-reason-required");
        None
    } else {
        errors.check("reason", ClosingReason::parse(reason))
    };
    let justification = errors.check("justification", parse_justification(justification));
    if reason == Some(ClosingReason::NoGrounds) && justification == Some(None) {
        errors.add("justification", "err-closing-justification-required");
    }
    let occurred_at = errors.check("occurred_at", parse_occurred_at(occurred_at));
    let meeting = if meeting.trim().is_empty() {
        Some(None)
    } else {
        errors.check("meeting", Uuid::parse_str(meeting.trim()).map(Some).map_err(|_| "err-closing-meeting-unknown"))
    };
    match (reason, justification, occurred_at, meeting) {
        (Some(reason), Some(justification), Some(occurred_at), Some(meeting)) if errors.is_empty() => {
            Ok(ClosingDecision { reason, justification, occurred_at, meeting })
        }
        _ => Err(errors),
    }
}

/// Free text of a justification or an undo's reason: trimmed, empty is none, no control characters but line breaks.
pub fn parse_justification(raw: &str) -> Result<Option<String>, &'static str> {
    let text = raw.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t')) {
        return Err("err-control-chars");
    }
    if text.chars().count() > JUSTIFICATION_MAX {
        return Err("err-too-long");
    }
    Ok(Some(text.to_owned()))
}

/// What the group is told before it closes, and confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClosingWarning {
    /// Actions of the support plan are still planned or under way.
    OpenPlanItems,
    /// The person using violence came to a meeting, and no form D was filled with them.
    NoFormDThoughSuspectCame,
    /// Nothing is planned for the 9 months of monitoring (art. 9h ust. 2): no check, no meeting ahead.
    NoMonitoringPlanned,
}

impl ClosingWarning {
    /// The stable name kept with the closing record and sent by the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ClosingWarning::OpenPlanItems => "open_plan_items",
            ClosingWarning::NoFormDThoughSuspectCame => "no_form_d_though_suspect_came",
            ClosingWarning::NoMonitoringPlanned => "no_monitoring_planned",
        }
    }
}

/// The facts of a case the warnings look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClosingFacts {
    /// Plan items whose status is planned or in progress.
    pub open_plan_items: usize,
    /// The minutes of some meeting say the person using violence came.
    pub suspect_came: bool,
    pub forms_d: u32,
    /// A monitoring check recorded, or a meeting planned, after the closing's date.
    pub monitoring_planned: bool,
}

/// The warnings, in the order the page shows them.
pub fn closing_warnings(facts: &ClosingFacts) -> Vec<ClosingWarning> {
    let mut out = Vec::new();
    if facts.open_plan_items > 0 {
        out.push(ClosingWarning::OpenPlanItems);
    }
    if facts.suspect_came && facts.forms_d == 0 {
        out.push(ClosingWarning::NoFormDThoughSuspectCame);
    }
    if !facts.monitoring_planned {
        out.push(ClosingWarning::NoMonitoringPlanned);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_grounds_needs_a_written_justification() {
        let errors = parse_closing("no_grounds", "  ", "", "").unwrap_err();
        assert_eq!(errors.for_field("justification"), Some("err-closing-justification-required"));
        let ok = parse_closing("no_grounds", "Brak przesłanek: ...", "", "").unwrap();
        assert_eq!(ok.justification.as_deref(), Some("Brak przesłanek: ..."));
        assert_eq!(parse_closing("violence_stopped", "", "", "").unwrap().justification, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let errors = parse_closing("", "x", "2026-02-31T10:00", "not-an-id").unwrap_err();
        assert_eq!(errors.for_field("reason"), Some("err-closing-reason-required"));
        assert_eq!(errors.for_field("occurred_at"), Some("err-date-not-exist"));
        assert_eq!(errors.for_field("meeting"), Some("err-closing-meeting-unknown"));
        let errors = parse_closing("because", "", "", "").unwrap_err();
        assert_eq!(errors.for_field("reason"), Some("err-closing-reason-unknown"));
    }

    #[test]
    fn warnings_come_from_the_facts() {
        let quiet = ClosingFacts { open_plan_items: 0, suspect_came: true, forms_d: 1, monitoring_planned: true };
        assert!(closing_warnings(&quiet).is_empty());
        let all = ClosingFacts { open_plan_items: 2, suspect_came: true, forms_d: 0, monitoring_planned: false };
        assert_eq!(
            closing_warnings(&all),
            vec![
                ClosingWarning::OpenPlanItems,
                ClosingWarning::NoFormDThoughSuspectCame,
                ClosingWarning::NoMonitoringPlanned
            ]
        );
        let absent = ClosingFacts { suspect_came: false, monitoring_planned: true, ..ClosingFacts::default() };
        assert!(closing_warnings(&absent).is_empty());
    }
}
