//! Access to a case beyond the standing roles (issue 20): break-glass in an emergency, and time-boxed access the
//! chair gives to an account outside the group. The rules of what may be recorded live here; who may see what is the
//! store's need-to-know (`store::access`).

use jiff::civil::Date;

/// How long a break-glass opening lasts unless a shorter time is asked for (issue 20: "default 24 hours").
pub const BREAK_GLASS_DEFAULT_HOURS: i64 = 24;
/// The longest break-glass opening: an emergency, not a standing access (beyond it, the chair grants access).
pub const BREAK_GLASS_MAX_HOURS: i64 = 72;
/// A reason shorter than this says nothing a data protection officer could review ("pilne", "test").
pub const REASON_MIN_CHARS: usize = 20;
/// Long enough for a paragraph, short enough to stay a reason.
pub const REASON_MAX_CHARS: usize = 2000;
/// A review comment's longest length.
pub const COMMENT_MAX_CHARS: usize = 2000;

/// A break-glass reason as written, trimmed: refused when empty, too short to be reviewed, or too long.
pub fn break_glass_reason(raw: &str) -> Result<String, &'static str> {
    let reason = raw.trim();
    let chars = reason.chars().count();
    if chars == 0 {
        Err("err-break-glass-reason-required")
    } else if chars < REASON_MIN_CHARS {
        Err("err-break-glass-reason-short")
    } else if chars > REASON_MAX_CHARS {
        Err("err-too-long")
    } else {
        Ok(reason.to_owned())
    }
}

/// The hours a break-glass opening lasts: 1 to [`BREAK_GLASS_MAX_HOURS`].
pub fn break_glass_hours(hours: i64) -> Result<i64, &'static str> {
    if (1..=BREAK_GLASS_MAX_HOURS).contains(&hours) { Ok(hours) } else { Err("err-break-glass-hours") }
}

/// The last day of a granted access, when it has one: today or later (a grant ending in the past would give nothing
/// and read as if it had been given).
pub fn grant_last_day(last_day: Option<Date>, today: Date) -> Result<Option<Date>, &'static str> {
    match last_day {
        Some(day) if day < today => Err("err-grant-end-past"),
        other => Ok(other),
    }
}

/// A data protection officer's review comment: required (the review says what was found), trimmed.
pub fn review_comment(raw: &str) -> Result<String, &'static str> {
    let comment = raw.trim();
    if comment.is_empty() {
        Err("err-required")
    } else if comment.chars().count() > COMMENT_MAX_CHARS {
        Err("err-too-long")
    } else {
        Ok(comment.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_break_glass_reason_must_say_something_reviewable() {
        assert_eq!(break_glass_reason("   "), Err("err-break-glass-reason-required"));
        assert_eq!(break_glass_reason("pilne"), Err("err-break-glass-reason-short"));
        assert_eq!(break_glass_reason(&"x".repeat(2001)), Err("err-too-long"));
        assert_eq!(
            break_glass_reason("  Policja prosi o kontakt do osoby w nocy  ").as_deref(),
            Ok("Policja prosi o kontakt do osoby w nocy")
        );
    }

    #[test]
    fn break_glass_lasts_between_one_hour_and_three_days() {
        assert_eq!(break_glass_hours(0), Err("err-break-glass-hours"));
        assert_eq!(break_glass_hours(73), Err("err-break-glass-hours"));
        assert_eq!(break_glass_hours(BREAK_GLASS_DEFAULT_HOURS), Ok(24));
    }

    #[test]
    fn a_grant_cannot_end_before_today() {
        let today = date(2026, 3, 10);
        assert_eq!(grant_last_day(Some(date(2026, 3, 9)), today), Err("err-grant-end-past"));
        assert_eq!(grant_last_day(Some(today), today), Ok(Some(today)));
        assert_eq!(grant_last_day(None, today), Ok(None));
    }
}
