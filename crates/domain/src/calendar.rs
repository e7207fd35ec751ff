//! The Polish legal calendar: public holidays, working days, and how terms are counted.
//!
//! The holidays are data ([`FIXED_HOLIDAYS`], [`MOVABLE_HOLIDAYS`]), each with the years it applies in, so a change in
//! the law is a new row or a closed year range, not new code. Source: ustawa z dnia 18 stycznia 1951 r. o dniach
//! wolnych od pracy, art. 1 pkt 1, with the amendment of 6 December 2024 that added 24 December from 2025.
//!
//! Term arithmetic follows the civil code (Kodeks cywilny, k.c.), which applies whenever the act setting a term does
//! not say otherwise (art. 110 k.c.):
//! - a term in days ends when its last day ends (art. 111 §1), and the day of the starting event is not counted
//!   (art. 111 §2);
//! - a term in months ends on the day with the same number in the last month, or on its last day when it has no
//!   such day (art. 112);
//! - when the end of a term *for doing something* falls on a day free from work or a Saturday, it moves to the next
//!   day that is neither (art. 115). Whether a given deadline is such a term is a legal reading, so it is a flag on
//!   the deadline rule (`procedure::deadlines`), applied with [`roll_forward_to_working_day`].
//!
//! "Working day" (dzień roboczy) is not defined by the act on domestic violence nor by the regulations. We take it to
//! be Monday to Friday except public holidays (procedure.md §2.2, an assumption marked \[U\]; see
//! `docs/legal-assumptions.md`).
//!
//! Dates are civil dates in Poland. Which day an instant falls on is decided in the `Europe/Warsaw` time zone
//! ([`warsaw_date`]), never in UTC.
//!
//! The table describes the law from 1990 on, when 3 May returned and 22 July ceased to be a holiday. Ostoja's oldest
//! cases date from 2011 (the 2011 regulation), so earlier years are out of scope.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};

/// The time zone in which Polish days begin and end.
pub const POLAND_TIME_ZONE: &str = "Europe/Warsaw";

/// Why a calendar computation has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The result would fall outside the dates the calendar library can represent (years -9999 to 9999).
    #[error("the date falls outside the range the calendar can represent")]
    OutOfRange,
    /// The bundled time-zone database has no `Europe/Warsaw`; it is compiled in, so this means a broken build.
    #[error("the Europe/Warsaw time zone is missing from the bundled time-zone database")]
    TimeZoneMissing,
}

impl From<jiff::Error> for CalendarError {
    fn from(_: jiff::Error) -> Self {
        CalendarError::OutOfRange
    }
}

/// A public holiday that falls on the same date every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHoliday {
    pub month: i8,
    pub day: i8,
    /// The name used in the act.
    pub name_pl: &'static str,
    /// First year in which the day is a holiday.
    pub since: i16,
    /// Last year in which it is a holiday, if it was ever abolished.
    pub until: Option<i16>,
}

/// A public holiday that moves with Easter Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovableHoliday {
    /// Days after Easter Sunday (0 for Easter Sunday itself).
    pub days_after_easter: i32,
    /// The name used in the act.
    pub name_pl: &'static str,
    pub since: i16,
    pub until: Option<i16>,
}

/// Earliest year the holiday table is meant for (see the module documentation).
const TABLE_FROM: i16 = 1990;

/// Holidays on fixed dates (ustawa o dniach wolnych od pracy, art. 1 pkt 1).
pub static FIXED_HOLIDAYS: &[FixedHoliday] = &[
    FixedHoliday { month: 1, day: 1, name_pl: "Nowy Rok", since: TABLE_FROM, until: None },
    // Restored by the act of 24 September 2010, from 2011.
    FixedHoliday { month: 1, day: 6, name_pl: "Święto Trzech Króli", since: 2011, until: None },
    FixedHoliday { month: 5, day: 1, name_pl: "Święto Państwowe", since: TABLE_FROM, until: None },
    FixedHoliday { month: 5, day: 3, name_pl: "Święto Narodowe Trzeciego Maja", since: TABLE_FROM, until: None },
    FixedHoliday {
        month: 8,
        day: 15,
        name_pl: "Wniebowzięcie Najświętszej Maryi Panny",
        since: TABLE_FROM,
        until: None,
    },
    FixedHoliday { month: 11, day: 1, name_pl: "Wszystkich Świętych", since: TABLE_FROM, until: None },
    FixedHoliday { month: 11, day: 11, name_pl: "Narodowe Święto Niepodległości", since: TABLE_FROM, until: None },
    // Added by the act of 6 December 2024 (in force 1 February 2025); 24 December 2024 was a working day.
    FixedHoliday { month: 12, day: 24, name_pl: "Wigilia Bożego Narodzenia", since: 2025, until: None },
    FixedHoliday { month: 12, day: 25, name_pl: "pierwszy dzień Bożego Narodzenia", since: TABLE_FROM, until: None },
    FixedHoliday { month: 12, day: 26, name_pl: "drugi dzień Bożego Narodzenia", since: TABLE_FROM, until: None },
];

/// Holidays that move with Easter (ustawa o dniach wolnych od pracy, art. 1 pkt 1). Easter Sunday and Pentecost are
/// Sundays anyway; they are listed so the calendar can name them.
pub static MOVABLE_HOLIDAYS: &[MovableHoliday] = &[
    MovableHoliday { days_after_easter: 0, name_pl: "pierwszy dzień Wielkiej Nocy", since: TABLE_FROM, until: None },
    MovableHoliday { days_after_easter: 1, name_pl: "drugi dzień Wielkiej Nocy", since: TABLE_FROM, until: None },
    MovableHoliday {
        days_after_easter: 49,
        name_pl: "pierwszy dzień Zielonych Świątek",
        since: TABLE_FROM,
        until: None,
    },
    MovableHoliday { days_after_easter: 60, name_pl: "dzień Bożego Ciała", since: TABLE_FROM, until: None },
];

fn in_force(year: i16, since: i16, until: Option<i16>) -> bool {
    year >= since && until.is_none_or(|last| year <= last)
}

/// Easter Sunday of a Gregorian year, by the anonymous algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i16) -> Result<Date, CalendarError> {
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    let month = i8::try_from(month).map_err(|_| CalendarError::OutOfRange)?;
    let day = i8::try_from(day).map_err(|_| CalendarError::OutOfRange)?;
    Ok(Date::new(year, month, day)?)
}

/// The Polish name of the public holiday on `date`, or `None` when it is not one. Ordinary Sundays are days free
/// from work but not holidays, so they give `None`.
pub fn is_public_holiday(date: Date) -> Option<&'static str> {
    let year = date.year();
    let fixed = FIXED_HOLIDAYS
        .iter()
        .find(|h| h.month == date.month() && h.day == date.day() && in_force(year, h.since, h.until));
    if let Some(h) = fixed {
        return Some(h.name_pl);
    }
    let easter = easter_sunday(year).ok()?;
    MOVABLE_HOLIDAYS
        .iter()
        .filter(|h| in_force(year, h.since, h.until))
        .find(|h| add_signed_days(easter, h.days_after_easter) == Some(date))
        .map(|h| h.name_pl)
}

fn add_signed_days(date: Date, days: i32) -> Option<Date> {
    Span::new().try_days(days).ok().and_then(|span| date.checked_add(span).ok())
}

/// Every public holiday of `year`, in date order.
pub fn public_holidays(year: i16) -> Result<Vec<(Date, &'static str)>, CalendarError> {
    let mut days = Vec::new();
    for h in FIXED_HOLIDAYS.iter().filter(|h| in_force(year, h.since, h.until)) {
        days.push((Date::new(year, h.month, h.day)?, h.name_pl));
    }
    let easter = easter_sunday(year)?;
    for h in MOVABLE_HOLIDAYS.iter().filter(|h| in_force(year, h.since, h.until)) {
        days.push((add_signed_days(easter, h.days_after_easter).ok_or(CalendarError::OutOfRange)?, h.name_pl));
    }
    days.sort_unstable_by_key(|(d, _)| *d);
    Ok(days)
}

/// Whether `date` is a working day: Monday to Friday and not a public holiday.
///
/// Assumption \[U\] (procedure.md §2.2): the act and the regulations count "dni robocze" without defining them; we
/// exclude Saturdays, Sundays and the holidays of the ustawa o dniach wolnych od pracy. This also matches the days
/// art. 115 k.c. moves a term off (days free from work, which include Sundays, and Saturdays).
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && is_public_holiday(date).is_none()
}

/// The `n`-th working day after `start` (art. 111 §2 k.c. by analogy: the day of the event is not counted, so a form
/// filled on Wednesday with 1 working day is due on Thursday). With `n == 0` the answer is `start` itself.
pub fn add_working_days(start: Date, n: u32) -> Result<Date, CalendarError> {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        date = date.tomorrow()?;
        if is_working_day(date) {
            left -= 1;
        }
    }
    Ok(date)
}

/// The `n`-th working day before `start`, for terms counted backwards ("at least 2 working days before the
/// meeting"). The day of the event is not counted. With `n == 0` the answer is `start` itself.
pub fn sub_working_days(start: Date, n: u32) -> Result<Date, CalendarError> {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        date = date.yesterday()?;
        if is_working_day(date) {
            left -= 1;
        }
    }
    Ok(date)
}

/// The last day of a term of `n` calendar days starting with an event on `start` (art. 111 k.c.: the event's day is
/// not counted, the term ends with its last day). No art. 115 shift here: see [`roll_forward_to_working_day`].
pub fn add_days(start: Date, n: u32) -> Result<Date, CalendarError> {
    Ok(start.checked_add(Span::new().try_days(i64::from(n))?)?)
}

/// The date `n` calendar days before `start` ("members are told 7 days before the meeting").
pub fn sub_days(start: Date, n: u32) -> Result<Date, CalendarError> {
    Ok(start.checked_sub(Span::new().try_days(i64::from(n))?)?)
}

/// The last day of a term of `n` months from `start`: the same day number in the target month, or that month's last
/// day when it has no such day (art. 112 k.c.). So 31 January plus 1 month is 28 (or 29) February.
pub fn add_months(start: Date, n: u32) -> Result<Date, CalendarError> {
    let months_since_year_zero = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + i64::from(n);
    let year = i16::try_from(months_since_year_zero.div_euclid(12)).map_err(|_| CalendarError::OutOfRange)?;
    let month = i8::try_from(months_since_year_zero.rem_euclid(12) + 1).map_err(|_| CalendarError::OutOfRange)?;
    let last_day = Date::new(year, month, 1)?.days_in_month();
    Ok(Date::new(year, month, start.day().min(last_day))?)
}

/// Art. 115 k.c.: when the end of a term for doing something falls on a day free from work or a Saturday, the term
/// ends on the next day that is neither. Returns `date` itself when it is already a working day.
pub fn roll_forward_to_working_day(date: Date) -> Result<Date, CalendarError> {
    let mut day = date;
    while !is_working_day(day) {
        day = day.tomorrow()?;
    }
    Ok(day)
}

/// The instant `n` hours after `start`, for clocks set in hours (e.g. 24 hours to tell the court of a child's
/// placement, art. 12a ust. 5 of the act). Hours are elapsed hours, so a change to or from summer time does not
/// lengthen or shorten the term.
pub fn add_hours(start: Timestamp, n: u32) -> Result<Timestamp, CalendarError> {
    Ok(start.checked_add(SignedDuration::from_hours(i64::from(n)))?)
}

/// The `Europe/Warsaw` time zone, from the bundled database.
pub fn poland() -> Result<TimeZone, CalendarError> {
    TimeZone::get(POLAND_TIME_ZONE).map_err(|_| CalendarError::TimeZoneMissing)
}

/// Poland's time zone for display and day boundaries. The zone database is compiled into the binary
/// (`tzdb-bundle-always`), so the lookup cannot fail in practice; UTC is the last resort rather than a panic.
pub fn poland_zone() -> TimeZone {
    poland().unwrap_or(TimeZone::UTC)
}

/// The day in Poland on which `instant` falls: a form filled at 00:30 Warsaw time belongs to that day, even though it
/// is still the previous day in UTC.
pub fn warsaw_date(instant: Timestamp) -> Result<Date, CalendarError> {
    Ok(instant.to_zoned(poland()?).date())
}

/// How many working days lie after `from` up to and including `to` (0 when `to` is not after `from`).
pub fn working_days_between(from: Date, to: Date) -> Result<u32, CalendarError> {
    let mut count = 0u32;
    let mut day = from;
    while day < to {
        day = day.tomorrow()?;
        if is_working_day(day) {
            count = count.saturating_add(1);
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn easter_sunday_matches_the_church_calendar() {
        let cases = [
            (2011, date(2011, 4, 24)),
            (2019, date(2019, 4, 21)),
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2038, date(2038, 4, 25)),
        ];
        for (year, expected) in cases {
            assert_eq!(easter_sunday(year).unwrap(), expected, "{year}");
        }
    }

    #[test]
    fn movable_feasts_follow_easter() {
        let cases = [
            (date(2025, 4, 21), "drugi dzień Wielkiej Nocy"),
            (date(2026, 4, 6), "drugi dzień Wielkiej Nocy"),
            (date(2026, 5, 24), "pierwszy dzień Zielonych Świątek"),
            (date(2025, 6, 19), "dzień Bożego Ciała"),
            (date(2026, 6, 4), "dzień Bożego Ciała"),
            (date(2024, 3, 31), "pierwszy dzień Wielkiej Nocy"),
        ];
        for (day, name) in cases {
            assert_eq!(is_public_holiday(day), Some(name), "{day}");
            assert!(!is_working_day(day), "{day}");
        }
        // Good Friday is not a public holiday in Poland.
        assert_eq!(is_public_holiday(date(2026, 4, 3)), None);
        assert!(is_working_day(date(2026, 4, 3)));
    }

    #[test]
    fn christmas_eve_is_a_holiday_from_2025_only() {
        assert_eq!(is_public_holiday(date(2025, 12, 24)), Some("Wigilia Bożego Narodzenia"));
        assert!(!is_working_day(date(2025, 12, 24)), "Wednesday 24 Dec 2025");
        assert_eq!(is_public_holiday(date(2024, 12, 24)), None);
        assert!(is_working_day(date(2024, 12, 24)), "Tuesday 24 Dec 2024");
    }

    #[test]
    fn epiphany_is_a_holiday_from_2011_only() {
        assert_eq!(is_public_holiday(date(2010, 1, 6)), None);
        assert_eq!(is_public_holiday(date(2011, 1, 6)), Some("Święto Trzech Króli"));
    }

    #[test]
    fn a_year_has_fourteen_holidays_from_2025_and_thirteen_before() {
        assert_eq!(public_holidays(2024).unwrap().len(), 13);
        let y2026 = public_holidays(2026).unwrap();
        assert_eq!(y2026.len(), 14);
        assert_eq!(y2026.first(), Some(&(date(2026, 1, 1), "Nowy Rok")));
        assert!(y2026.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert!(y2026.iter().all(|(d, name)| is_public_holiday(*d) == Some(*name)));
    }

    #[test]
    fn weekends_are_not_working_days_and_ordinary_weekdays_are() {
        assert!(!is_working_day(date(2026, 11, 21)), "Saturday");
        assert!(!is_working_day(date(2026, 11, 22)), "Sunday");
        assert_eq!(is_public_holiday(date(2026, 11, 22)), None, "a Sunday is not a holiday by itself");
        assert!(is_working_day(date(2026, 11, 23)), "Monday");
    }

    #[test]
    fn working_days_are_counted_from_the_day_after_the_event() {
        // (start, n, expected): each checked by hand against a wall calendar.
        let cases = [
            // Long May weekend: Wed 29 Apr 2026; Thu 30 Apr = 1, Fri 1 May holiday, Sun 3 May holiday,
            // Mon 4 May = 2 ... Thu 7 May = 5.
            (date(2026, 4, 29), 5, date(2026, 5, 7)),
            // Friday 20 Nov 2026: Mon 23 = 1 ... Fri 27 = 5; 11 Nov is already past.
            (date(2026, 11, 20), 5, date(2026, 11, 27)),
            // Easter 2026: Thu 2 Apr; Fri 3 Apr = 1, Easter Monday 6 Apr off, Tue 7 = 2 ... Fri 10 = 5.
            (date(2026, 4, 2), 5, date(2026, 4, 10)),
            // Christmas 2025: Tue 23 Dec; 24, 25, 26 Dec off, Mon 29 = 1, 30 = 2, 31 = 3, 1 Jan off, Fri 2 Jan = 4,
            // Mon 5 Jan = 5.
            (date(2025, 12, 23), 5, date(2026, 1, 5)),
            // Christmas 2024: Mon 23 Dec; Tue 24 Dec was still a working day = 1, Fri 27 = 2, Mon 30 = 3,
            // Tue 31 = 4, Thu 2 Jan = 5.
            (date(2024, 12, 23), 5, date(2025, 1, 2)),
            // New Year and Epiphany: Thu 31 Dec 2026; Fri 1 Jan off, Mon 4 = 1, Tue 5 = 2, Wed 6 off, Thu 7 = 3.
            (date(2026, 12, 31), 3, date(2027, 1, 7)),
            // Starting on a Saturday: Mon 23 Nov 2026 is the first working day.
            (date(2026, 11, 21), 1, date(2026, 11, 23)),
            (date(2026, 11, 20), 0, date(2026, 11, 20)),
        ];
        for (start, n, expected) in cases {
            assert_eq!(add_working_days(start, n).unwrap(), expected, "{start} + {n} working days");
        }
    }

    #[test]
    fn working_days_before_skip_weekends_and_holidays() {
        // A meeting on Thursday 7 May 2026: 2 working days before is Tuesday 5 May.
        assert_eq!(sub_working_days(date(2026, 5, 7), 2).unwrap(), date(2026, 5, 5));
        // A meeting on Tuesday 5 May 2026: Mon 4 May = 1, then 3 May (Sun), 2 May (Sat), 1 May (holiday), Thu 30 Apr = 2.
        assert_eq!(sub_working_days(date(2026, 5, 5), 2).unwrap(), date(2026, 4, 30));
    }

    #[test]
    fn calendar_days_count_from_the_day_after_the_event() {
        assert_eq!(add_days(date(2026, 4, 29), 3).unwrap(), date(2026, 5, 2));
        assert_eq!(add_days(date(2026, 12, 30), 30).unwrap(), date(2027, 1, 29));
        assert_eq!(sub_days(date(2026, 5, 15), 7).unwrap(), date(2026, 5, 8));
    }

    #[test]
    fn a_term_ending_on_a_day_off_rolls_to_the_next_working_day() {
        // Sat 2 May 2026 -> Sun 3 May (holiday) -> Mon 4 May.
        assert_eq!(roll_forward_to_working_day(date(2026, 5, 2)).unwrap(), date(2026, 5, 4));
        // Sun 5 Apr 2026 is Easter, Mon 6 Apr Easter Monday -> Tue 7 Apr.
        assert_eq!(roll_forward_to_working_day(date(2026, 4, 5)).unwrap(), date(2026, 4, 7));
        // Wed 24 Dec 2025 -> Mon 29 Dec.
        assert_eq!(roll_forward_to_working_day(date(2025, 12, 24)).unwrap(), date(2025, 12, 29));
        // A working day stays.
        assert_eq!(roll_forward_to_working_day(date(2026, 5, 4)).unwrap(), date(2026, 5, 4));
    }

    #[test]
    fn months_end_on_the_same_day_number_or_the_last_day_of_a_shorter_month() {
        let cases = [
            (date(2026, 1, 31), 1, date(2026, 2, 28)),
            (date(2028, 1, 31), 1, date(2028, 2, 29)),
            (date(2026, 5, 31), 9, date(2027, 2, 28)),
            (date(2026, 3, 15), 12, date(2027, 3, 15)),
            (date(2026, 12, 31), 2, date(2027, 2, 28)),
            (date(2026, 8, 30), 1, date(2026, 9, 30)),
            (date(2026, 6, 10), 0, date(2026, 6, 10)),
        ];
        for (start, n, expected) in cases {
            assert_eq!(add_months(start, n).unwrap(), expected, "{start} + {n} months");
        }
    }

    #[test]
    fn hours_are_elapsed_hours_across_the_change_to_summer_time() {
        // Summer time begins on Sunday 29 March 2026 at 02:00 in Warsaw: 24 elapsed hours from Saturday noon is
        // Sunday 13:00 on the wall clock.
        let start: Timestamp = "2026-03-28T12:00:00+01:00[Europe/Warsaw]".parse::<jiff::Zoned>().unwrap().timestamp();
        let end = add_hours(start, 24).unwrap();
        assert_eq!(end.to_zoned(poland().unwrap()).datetime(), jiff::civil::datetime(2026, 3, 29, 13, 0, 0, 0));
    }

    #[test]
    fn the_day_of_an_instant_is_the_day_in_warsaw_not_in_utc() {
        let late_thursday_utc: Timestamp = "2026-11-19T23:30:00Z".parse().unwrap();
        assert_eq!(warsaw_date(late_thursday_utc).unwrap(), date(2026, 11, 20));
        let summer: Timestamp = "2026-07-09T22:30:00Z".parse().unwrap();
        assert_eq!(warsaw_date(summer).unwrap(), date(2026, 7, 10));
    }

    #[test]
    fn working_days_between_counts_the_days_after_the_first_date() {
        assert_eq!(working_days_between(date(2026, 11, 20), date(2026, 11, 23)).unwrap(), 1);
        assert_eq!(working_days_between(date(2026, 11, 23), date(2026, 11, 23)).unwrap(), 0);
        assert_eq!(working_days_between(date(2026, 11, 24), date(2026, 11, 23)).unwrap(), 0);
        assert_eq!(working_days_between(date(2026, 4, 29), date(2026, 5, 7)).unwrap(), 5);
    }

    #[test]
    fn arithmetic_at_the_end_of_the_representable_range_is_an_error_not_a_panic() {
        assert_eq!(add_working_days(date(9999, 12, 30), 5), Err(CalendarError::OutOfRange));
        assert_eq!(add_days(date(9999, 12, 30), 5), Err(CalendarError::OutOfRange));
        assert_eq!(add_months(date(9999, 12, 30), 1), Err(CalendarError::OutOfRange));
        assert_eq!(sub_working_days(date(-9999, 1, 2), 5), Err(CalendarError::OutOfRange));
        assert_eq!(add_hours(Timestamp::MAX, 1), Err(CalendarError::OutOfRange));
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..36_600).prop_map(|offset| add_signed_days(date(2000, 1, 1), offset).unwrap())
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_later_working_day_and_grows_with_n(d in any_date(), n in 1u32..300) {
            let due = add_working_days(d, n).unwrap();
            prop_assert!(is_working_day(due));
            prop_assert!(due > d);
            prop_assert!(add_working_days(d, n + 1).unwrap() > due);
            prop_assert_eq!(working_days_between(d, due).unwrap(), n);
        }

        #[test]
        fn subtracting_working_days_undoes_adding_them_from_a_working_day(d in any_date(), n in 1u32..300) {
            let start = roll_forward_to_working_day(d).unwrap();
            prop_assert_eq!(sub_working_days(add_working_days(start, n).unwrap(), n).unwrap(), start);
        }

        #[test]
        fn easter_is_a_sunday_between_22_march_and_25_april(year in 1583i16..4000) {
            let easter = easter_sunday(year).unwrap();
            prop_assert_eq!(easter.weekday(), Weekday::Sunday);
            prop_assert!(easter >= date(year, 3, 22) && easter <= date(year, 4, 25));
        }

        #[test]
        fn rolling_forward_gives_the_first_working_day_on_or_after_the_date(d in any_date()) {
            let rolled = roll_forward_to_working_day(d).unwrap();
            prop_assert!(is_working_day(rolled) && rolled >= d);
            prop_assert_eq!(working_days_between(d, rolled).unwrap(), u32::from(rolled != d));
        }
    }
}
