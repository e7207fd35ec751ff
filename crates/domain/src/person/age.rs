//! Birth dates and the age rules of the act: adults, children, child witnesses, elderly persons.

use jiff::ToSpan;
use jiff::civil::Date;

use super::PersonRole;

/// Age of majority: pełnoletni jest, kto ukończył lat osiemnaście (art. 10 § 1 of the Civil Code). \[P\]
///
/// Not modelled: a minor who marries becomes an adult (art. 10 § 2 of the Civil Code). Such a case is rare and
/// would be refused as a suspected minor; it needs a decision before it can be supported.
pub const ADULT_AGE: i16 = 18;

/// The age from which a person counts as elderly (osoba starsza) in the indicators' breakdown.
///
/// **\[U\] assumption:** the Government Programme's annex 2 counts "w tym starsze" without defining the age we could
/// read (procedure.md §2.4 mentions 60+ or 65+). 65 follows common statistical use; change it here, or pass another
/// threshold to [`is_elderly_on`], once the definition is confirmed.
pub const ELDERLY_MIN_AGE: i16 = 65;

/// A birth date that makes a person older than this on the form date is taken as a typo (e.g. 1894 for 1984).
pub const MAX_PLAUSIBLE_AGE: i16 = 130;

/// Parses a birth date typed as `YYYY-MM-DD` (ISO, what `<input type=date>` sends) or `DD.MM.YYYY` (the Polish way;
/// the day and month may have one digit, `5.3.1990`). A date that does not exist, such as 31.02.1990, is refused.
pub fn parse_birth_date(raw: &str) -> Result<Date, &'static str> {
    crate::parse::date(raw).map_err(|code| match code {
        crate::parse::REQUIRED | crate::parse::NO_SUCH_DAY => code,
        _ => "err-birth-date-format",
    })
}

/// Completed years of age on the day `on`, or `None` before the birth.
///
/// A person completes a year at the start of the birthday, and someone born on 29 February completes it on
/// 28 February in a common year: art. 112 of the Civil Code (the term counted in years ends on the day that
/// corresponds to the start, or on the last day of the month when there is no such day; for a person's age, at the
/// start of that day).
pub fn age_on(birth_date: Date, on: Date) -> Option<i16> {
    if on < birth_date {
        return None;
    }
    let years = on.year() - birth_date.year();
    // jiff clamps 29 February to 28 February in a common year, which is exactly art. 112.
    let anniversary = birth_date.checked_add(years.years()).ok()?;
    Some(if anniversary > on { years - 1 } else { years })
}

/// Whether a person born on `birth_date` is an adult on the day `on`: from the start of the 18th birthday
/// (art. 10 § 1 and art. 112 of the Civil Code).
pub fn is_adult(birth_date: Date, on: Date) -> bool {
    age_on(birth_date, on).is_some_and(|age| age >= ADULT_AGE)
}

/// Whether a person born on `birth_date` is elderly on the day `on` for a threshold of `min_age` years
/// (normally [`ELDERLY_MIN_AGE`], an unconfirmed (\[U\]) assumption).
pub fn is_elderly_on(birth_date: Date, on: Date, min_age: i16) -> bool {
    age_on(birth_date, on).is_some_and(|age| age >= min_age)
}

/// Refuses a birth date after the reference day (the form's date): `err-birth-in-future`. Being born on the
/// reference day itself is allowed.
pub fn check_birth_not_in_future(birth_date: Date, on: Date) -> Result<(), &'static str> {
    if birth_date > on { Err("err-birth-in-future") } else { Ok(()) }
}

/// Refuses a birth date that makes the person older than [`MAX_PLAUSIBLE_AGE`] on the reference day.
pub fn check_birth_plausible(birth_date: Date, on: Date) -> Result<(), &'static str> {
    match age_on(birth_date, on) {
        Some(age) if age > MAX_PLAUSIBLE_AGE => Err("err-birth-date-implausible"),
        _ => Ok(()),
    }
}

/// The person using violence is by definition an adult (art. 2 ust. 1 pkt 3 of the act), on the date of form A.
/// For a minor who behaves violently no procedure is opened: the Police inform the family court instead
/// (procedure.md §1.2).
pub fn check_suspected_adult(birth_date: Date, form_date: Date) -> Result<(), &'static str> {
    if is_adult(birth_date, form_date) { Ok(()) } else { Err("err-suspected-minor") }
}

/// The role a person is recorded in after the age rules, with the mark that explains a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResolvedRole {
    pub role: PersonRole,
    /// The person was reported as a witness but is a minor, so the act treats them as a person experiencing
    /// violence (art. 2 ust. 2).
    pub is_child_witness: bool,
}

/// Applies art. 2 ust. 2 of the act: a minor who witnesses domestic violence is a person experiencing it. A minor
/// witness becomes an [`PersonRole::AffectedPerson`] marked `is_child_witness`; every other role stays as declared.
///
/// A minor *reporter* stays a reporter: the person filling the form records the child also as a witness when the
/// child witnessed the violence.
pub fn resolve_role(declared: PersonRole, is_minor: bool) -> ResolvedRole {
    match declared {
        PersonRole::Witness if is_minor => ResolvedRole { role: PersonRole::AffectedPerson, is_child_witness: true },
        role => ResolvedRole { role, is_child_witness: false },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn birth_dates_are_read_in_iso_and_polish_notation() {
        assert_eq!(parse_birth_date("1990-03-05"), Ok(date(1990, 3, 5)));
        assert_eq!(parse_birth_date(" 05.03.1990 "), Ok(date(1990, 3, 5)));
        assert_eq!(parse_birth_date("5.3.1990"), Ok(date(1990, 3, 5)));
        assert_eq!(parse_birth_date("29.02.2024"), Ok(date(2024, 2, 29)));
    }

    #[test]
    fn malformed_or_impossible_birth_dates_are_refused() {
        assert_eq!(parse_birth_date(""), Err("err-required"));
        for raw in ["31.02.1990", "29.02.2023", "00.01.1990", "32.01.1990", "01.13.1990"] {
            assert_eq!(parse_birth_date(raw), Err("err-date-not-exist"), "{raw}");
        }
        for raw in [
            "1990-3-5",
            "90-03-05",
            "05.03.90",
            "05/03/1990",
            "1990.03.05",
            "05-03-1990",
            "1990-03-05T00:00",
            "jutro",
            "+1990-03-05",
        ] {
            assert_eq!(parse_birth_date(raw), Err("err-birth-date-format"), "{raw}");
        }
    }

    #[test]
    fn the_18th_birthday_makes_an_adult_from_that_day() {
        let birth = date(2008, 6, 15);
        assert!(!is_adult(birth, date(2026, 6, 14)));
        assert!(is_adult(birth, date(2026, 6, 15)));
        assert_eq!(age_on(birth, date(2026, 6, 14)), Some(17));
        assert_eq!(age_on(birth, date(2026, 6, 15)), Some(18));
    }

    #[test]
    fn someone_born_on_29_february_comes_of_age_on_28_february_of_a_common_year() {
        let birth = date(2008, 2, 29);
        assert!(!is_adult(birth, date(2026, 2, 27)));
        assert!(is_adult(birth, date(2026, 2, 28)));
        // In a leap year the birthday itself exists.
        assert_eq!(age_on(date(2004, 2, 29), date(2024, 2, 28)), Some(19));
        assert_eq!(age_on(date(2004, 2, 29), date(2024, 2, 29)), Some(20));
    }

    #[test]
    fn age_is_unknown_before_birth_and_zero_on_the_birthday() {
        assert_eq!(age_on(date(2026, 1, 2), date(2026, 1, 1)), None);
        assert_eq!(age_on(date(2026, 1, 1), date(2026, 1, 1)), Some(0));
        assert!(!is_adult(date(2026, 1, 2), date(2026, 1, 1)));
    }

    #[test]
    fn the_elderly_threshold_is_a_parameter_defaulting_to_65() {
        let birth = date(1961, 5, 1);
        assert!(!is_elderly_on(birth, date(2026, 4, 30), ELDERLY_MIN_AGE));
        assert!(is_elderly_on(birth, date(2026, 5, 1), ELDERLY_MIN_AGE));
        assert!(is_elderly_on(birth, date(2022, 5, 1), 60));
    }

    #[test]
    fn a_birth_after_the_form_date_is_refused_but_the_same_day_is_not() {
        let form = date(2026, 3, 10);
        assert_eq!(check_birth_not_in_future(date(2026, 3, 11), form), Err("err-birth-in-future"));
        assert_eq!(check_birth_not_in_future(date(2026, 3, 10), form), Ok(()));
        assert_eq!(check_birth_plausible(date(1895, 3, 10), form), Err("err-birth-date-implausible"));
        assert_eq!(check_birth_plausible(date(1896, 3, 10), form), Ok(()));
    }

    #[test]
    fn a_suspected_person_must_be_an_adult_on_the_date_of_form_a() {
        assert_eq!(check_suspected_adult(date(2008, 6, 15), date(2026, 6, 14)), Err("err-suspected-minor"));
        assert_eq!(check_suspected_adult(date(2008, 6, 15), date(2026, 6, 15)), Ok(()));
    }

    #[test]
    fn a_child_witness_is_an_affected_person() {
        assert_eq!(
            resolve_role(PersonRole::Witness, true),
            ResolvedRole { role: PersonRole::AffectedPerson, is_child_witness: true }
        );
        assert_eq!(
            resolve_role(PersonRole::Witness, false),
            ResolvedRole { role: PersonRole::Witness, is_child_witness: false }
        );
        for role in
            [PersonRole::AffectedPerson, PersonRole::SuspectedPerson, PersonRole::HouseholdMember, PersonRole::Reporter]
        {
            assert_eq!(resolve_role(role, true), ResolvedRole { role, is_child_witness: false });
        }
    }
}
