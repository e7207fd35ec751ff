//! The one reading of dates and times as people type them, for every form, record, step and filter.
//!
//! Accepted: `YYYY-MM-DD` (what `<input type=date>` sends) and `DD.MM.YYYY` (day and month may have one digit, as
//! Polish users often type them); a time after `T` or a space as `HH:MM` or `HH:MM:SS`. A value of the right shape
//! that names no day, such as 31.02.2026, gets its own message, so the user is not told to fix a format that was
//! right.

use jiff::civil::{Date, DateTime, Time};

/// The message ids of these parsers (translated in `crates/web/i18n/*/main.ftl`).
pub const REQUIRED: &str = "err-required";
pub const DATE_FORMAT: &str = "err-date-format";
pub const DATETIME_FORMAT: &str = "err-datetime-format";
/// The shape was right but no such day exists (31 February, 30.02, month 13).
pub const NO_SUCH_DAY: &str = "err-date-not-exist";

/// A calendar date as typed. Empty: [`REQUIRED`]; the wrong shape: [`DATE_FORMAT`]; a day that does not exist:
/// [`NO_SUCH_DAY`].
pub fn date(raw: &str) -> Result<Date, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(REQUIRED);
    }
    let (year, month, day) = date_parts(s).ok_or(DATE_FORMAT)?;
    let month = i8::try_from(month).map_err(|_| NO_SUCH_DAY)?;
    let day = i8::try_from(day).map_err(|_| NO_SUCH_DAY)?;
    Date::new(year, month, day).map_err(|_| NO_SUCH_DAY)
}

/// An optional date: empty is `None`, anything else as [`date`] reads it.
pub fn optional_date(raw: &str) -> Result<Option<Date>, &'static str> {
    if raw.trim().is_empty() { Ok(None) } else { date(raw).map(Some) }
}

/// A civil date and time as typed: a date as [`date`] reads it, then `T` or a space, then the time. Empty:
/// [`REQUIRED`]; the wrong shape: [`DATETIME_FORMAT`]; a day or time that does not exist: [`NO_SUCH_DAY`].
pub fn date_time(raw: &str) -> Result<DateTime, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(REQUIRED);
    }
    let (day, time) = s.split_once(['T', ' ']).ok_or(DATETIME_FORMAT)?;
    let (hour, minute, second) = time_parts(time.trim()).ok_or(DATETIME_FORMAT)?;
    let date = date(day).map_err(|code| if code == NO_SUCH_DAY { NO_SUCH_DAY } else { DATETIME_FORMAT })?;
    let time = Time::new(hour, minute, second, 0).map_err(|_| NO_SUCH_DAY)?;
    Ok(DateTime::from_parts(date, time))
}

/// A date and time as typed ([`date_time`]), read as the civil time in Poland: the instant something happened.
/// A time the spring clock change skips (02:30 on the last Sunday of March) is read as the instant after the gap.
pub fn instant_in_poland(raw: &str) -> Result<jiff::Timestamp, &'static str> {
    let civil = date_time(raw)?;
    civil.to_zoned(crate::calendar::poland_zone()).map(|z| z.timestamp()).map_err(|_| DATETIME_FORMAT)
}

/// Year, month and day of a value of either accepted shape, or `None` when the shape is wrong.
fn date_parts(s: &str) -> Option<(i16, i16, i16)> {
    let number = |part: &str, min_len: usize, max_len: usize| -> Option<i16> {
        let ok = (min_len..=max_len).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        if ok { part.parse().ok() } else { None }
    };
    let dashes: Vec<&str> = s.split('-').collect();
    let dots: Vec<&str> = s.split('.').collect();
    match (dashes.as_slice(), dots.as_slice()) {
        ([y, m, d], [_]) => Some((number(y, 4, 4)?, number(m, 2, 2)?, number(d, 2, 2)?)),
        ([_], [d, m, y]) => Some((number(y, 4, 4)?, number(m, 1, 2)?, number(d, 1, 2)?)),
        _ => None,
    }
}

/// Hour, minute and second of `HH:MM` or `HH:MM:SS` (the hour may have one digit), or `None` for another shape.
fn time_parts(s: &str) -> Option<(i8, i8, i8)> {
    let number = |part: &str, min_len: usize| -> Option<i8> {
        let ok = (min_len..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        if ok { part.parse().ok() } else { None }
    };
    match s.split(':').collect::<Vec<_>>().as_slice() {
        [h, m] => Some((number(h, 1)?, number(m, 2)?, 0)),
        [h, m, sec] => Some((number(h, 1)?, number(m, 2)?, number(sec, 2)?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i16, m: i8, day: i8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn both_shapes_read_the_same_day() {
        assert_eq!(date("2025-03-14"), Ok(d(2025, 3, 14)));
        assert_eq!(date("14.03.2025"), Ok(d(2025, 3, 14)));
        assert_eq!(date(" 5.3.2025 "), Ok(d(2025, 3, 5)));
        assert_eq!(date("2024-02-29"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn a_day_that_does_not_exist_is_named_as_such_not_as_a_format_error() {
        for raw in ["31.02.1985", "1985-02-31", "2025-02-29", "30.02.2024", "2025-13-01", "00.01.2025", "2025-04-31"] {
            assert_eq!(date(raw), Err(NO_SUCH_DAY), "{raw}");
        }
    }

    #[test]
    fn a_wrong_shape_is_a_format_error_and_empty_is_required() {
        for raw in
            ["14/03/2025", "2025-3-14", "25-03-14", "14.03.25", "jutro", "2025-03-14-01", "1.2.3.4", "２０２５-03-14"]
        {
            assert_eq!(date(raw), Err(DATE_FORMAT), "{raw}");
        }
        assert_eq!(date("  "), Err(REQUIRED));
        assert_eq!(optional_date(""), Ok(None));
        assert_eq!(optional_date("1.1.2020"), Ok(Some(d(2020, 1, 1))));
    }

    #[test]
    fn date_and_time_in_every_accepted_shape() {
        let at = d(2025, 3, 14).at(9, 5, 0, 0);
        assert_eq!(date_time("2025-03-14T09:05"), Ok(at));
        assert_eq!(date_time("2025-03-14 9:05"), Ok(at));
        assert_eq!(date_time("14.03.2025 09:05:00"), Ok(at));
        assert_eq!(date_time("2025-03-14"), Err(DATETIME_FORMAT));
        assert_eq!(date_time("2025-03-14T9"), Err(DATETIME_FORMAT));
        assert_eq!(date_time("31.02.2025 10:00"), Err(NO_SUCH_DAY));
        assert_eq!(date_time("2025-03-14 24:00"), Err(NO_SUCH_DAY));
        assert_eq!(date_time("2025-03-14 10:60"), Err(NO_SUCH_DAY));
        assert_eq!(date_time(""), Err(REQUIRED));
    }

    #[test]
    fn an_instant_is_read_in_polish_time_summer_and_winter() {
        assert_eq!(instant_in_poland("2026-01-15 10:00"), Ok("2026-01-15T09:00:00Z".parse().unwrap()));
        assert_eq!(instant_in_poland("15.07.2026 10:00"), Ok("2026-07-15T08:00:00Z".parse().unwrap()));
        assert_eq!(instant_in_poland("2026-02-30 10:00"), Err(NO_SUCH_DAY));
    }

    proptest! {
        /// Whatever is typed, the parser answers with a day or one of its message ids, never a panic; and every
        /// real day round-trips through both shapes.
        #[test]
        fn never_panics_and_real_days_round_trip(raw in "\\PC{0,24}", days in 0i32..80_000) {
            let _ = date(&raw);
            let _ = date_time(&raw);
            let day = d(1900, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            prop_assert_eq!(date(&day.to_string()), Ok(day));
            prop_assert_eq!(date(&day.strftime("%d.%m.%Y").to_string()), Ok(day));
        }
    }
}
