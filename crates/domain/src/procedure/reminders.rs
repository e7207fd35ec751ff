//! Whose turn it is, and the reminders that follow from it: the team's settings for the clocks (whether unconfirmed
//! readings of the law are escalated, how often a monitored case is checked) and the monitoring-check marks.
//!
//! The act asks for monitoring during the 9 months after closing (art. 9h ust. 2 \[P\]) but sets no rhythm for it; the
//! team chooses one, 3 months unless it says otherwise (our default, \[U\], listed in docs/legal-assumptions.md).

use jiff::civil::Date;

use crate::calendar;

/// The usual interval between two checks of a monitored case, in months \[U\].
pub const DEFAULT_MONITORING_CHECK_MONTHS: u32 = 3;

/// The intervals a team may choose: at least monthly, at most once in the 9 months.
pub const MONITORING_CHECK_MONTHS: std::ops::RangeInclusive<u32> = 1..=9;

/// The length of the post-closing monitoring (art. 9h ust. 2).
const MONITORING_MONTHS: u32 = 9;

/// The team's settings for the case clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockSettings {
    /// Whether a deadline resting on an unconfirmed reading (\[U\]) counts as a breach, is painted overdue and is
    /// escalated. Off unless the team turns it on.
    pub escalate_unconfirmed: bool,
    /// Months between two monitoring checks.
    pub monitoring_check_months: u32,
}

impl Default for ClockSettings {
    fn default() -> ClockSettings {
        ClockSettings { escalate_unconfirmed: false, monitoring_check_months: DEFAULT_MONITORING_CHECK_MONTHS }
    }
}

/// The interval typed on the settings page: a whole number of months from 1 to 9.
pub fn parse_monitoring_check_months(raw: &str) -> Result<u32, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("err-required");
    }
    let months: u32 = raw.parse().map_err(|_| "err-clock-interval-number")?;
    if MONITORING_CHECK_MONTHS.contains(&months) { Ok(months) } else { Err("err-clock-interval-range") }
}

/// Which monitoring check the group should be reminded of on `today`: the last mark `closed_on + k × interval` reached
/// by `today` within the 9 months, when no check was recorded after the mark before it. `None` when nothing is due (a
/// check was made, no mark reached yet, or the monitoring is over). The mark's day names the reminder, so a change of
/// the interval never repeats one.
pub fn monitoring_check_due(closed_on: Date, interval_months: u32, checks: &[Date], today: Date) -> Option<Date> {
    let interval = interval_months.clamp(*MONITORING_CHECK_MONTHS.start(), *MONITORING_CHECK_MONTHS.end());
    let end = calendar::add_months(closed_on, MONITORING_MONTHS).ok()?;
    if today > end {
        return None;
    }
    let mut previous = closed_on;
    let mut due = None;
    for k in 1..=MONITORING_MONTHS / interval {
        let mark = calendar::add_months(closed_on, k * interval).ok()?;
        if mark > today || mark > end {
            break;
        }
        let checked = checks.iter().any(|c| *c > previous && *c <= today);
        due = (!checked).then_some(mark);
        previous = mark;
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_interval_is_a_whole_number_of_months_from_one_to_nine() {
        assert_eq!(parse_monitoring_check_months(" 3 "), Ok(3));
        assert_eq!(parse_monitoring_check_months("9"), Ok(9));
        assert_eq!(parse_monitoring_check_months(""), Err("err-required"));
        assert_eq!(parse_monitoring_check_months("trzy"), Err("err-clock-interval-number"));
        assert_eq!(parse_monitoring_check_months("-1"), Err("err-clock-interval-number"));
        assert_eq!(parse_monitoring_check_months("0"), Err("err-clock-interval-range"));
        assert_eq!(parse_monitoring_check_months("10"), Err("err-clock-interval-range"));
    }

    #[test]
    fn a_monitored_case_is_due_a_check_at_each_mark_without_one() {
        let closed = date(2026, 1, 15);
        assert_eq!(monitoring_check_due(closed, 3, &[], date(2026, 4, 14)), None, "no mark reached yet");
        assert_eq!(monitoring_check_due(closed, 3, &[], date(2026, 4, 15)), Some(date(2026, 4, 15)));
        assert_eq!(monitoring_check_due(closed, 3, &[date(2026, 3, 1)], date(2026, 4, 15)), None);
        // A check in the first interval does not cover the second.
        assert_eq!(monitoring_check_due(closed, 3, &[date(2026, 3, 1)], date(2026, 7, 20)), Some(date(2026, 7, 15)));
        assert_eq!(monitoring_check_due(closed, 3, &[date(2026, 3, 1), date(2026, 7, 1)], date(2026, 7, 20)), None);
        // The third mark is the monitoring's end; after it nothing is due.
        assert_eq!(monitoring_check_due(closed, 3, &[], date(2026, 10, 15)), Some(date(2026, 10, 15)));
        assert_eq!(monitoring_check_due(closed, 3, &[], date(2026, 10, 16)), None);
        // A team checking monthly is reminded from the first month.
        assert_eq!(monitoring_check_due(closed, 1, &[], date(2026, 2, 16)), Some(date(2026, 2, 15)));
    }
}
