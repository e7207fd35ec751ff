//! PESEL, the national identification number, and the sex it encodes.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Sex as encoded in the PESEL (the only two values the registry knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::Female, Sex::Male];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }

    /// Parses a form value (`female`, `male`).
    pub fn parse(raw: &str) -> Result<Sex, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("err-required");
        }
        Sex::ALL.into_iter().find(|sex| sex.as_str() == s).ok_or("err-sex-value")
    }
}

/// The weights of the first ten digits in the PESEL check digit.
const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];

/// A PESEL number: 11 digits `YYMMDDZZZXQ`.
///
/// - `YYMMDD` is the birth date; the century is encoded in the month: +80 for 1800–1899, +0 for 1900–1999,
///   +20 for 2000–2099, +40 for 2100–2199, +60 for 2200–2299.
/// - `ZZZX` is a serial number; `X`, the 10th digit, is even for women and odd for men.
/// - `Q` is the check digit: `(10 − Σ wᵢ·dᵢ mod 10) mod 10` with the weights 1, 3, 7, 9, 1, 3, 7, 9, 1, 3.
///
/// Legal basis: art. 15 ust. 2 of the act of 24 September 2010 on population records (ustawa o ewidencji ludności).
/// Art. 9c ust. 1 of the act on counteracting domestic violence allows the PESEL of persons experiencing and using
/// violence and of household members, never of witnesses or reporters (see [`super::allowed_fields`]).
///
/// The check digit catches every single-digit typo (all weights are prime to 10), not every swap of two digits.
/// A valid PESEL proves only that the number is well-formed, not that it was issued or belongs to this person.
///
/// `Debug` prints no digits, so a PESEL never reaches a log line by accident; `Display` and serialization print it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pesel {
    digits: String,
    birth_date: Date,
    sex: Sex,
}

/// The check digit of a PESEL's first ten digits (weights 1-3-7-9, ustawa o ewidencji ludności, art. 15), or `None`
/// when `first_ten` is not ten ASCII digits. Also how synthetic data and tests make valid numbers.
pub fn check_digit(first_ten: &str) -> Option<u32> {
    if first_ten.len() != 10 || !first_ten.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let weighted: u32 = first_ten.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some((10 - weighted % 10) % 10)
}

/// A PESEL completed with its check digit, from its first ten digits (`None` when they are not ten digits).
pub fn complete(first_ten: &str) -> Option<String> {
    check_digit(first_ten).map(|c| format!("{first_ten}{c}"))
}

#[cfg(test)]
mod check_digit_tests {
    use super::*;

    #[test]
    fn the_check_digit_of_real_numbers_and_of_malformed_input() {
        assert_eq!(check_digit("4405140135"), Some(9));
        assert_eq!(complete("0207080362"), Some("02070803628".into()));
        assert_eq!(check_digit("440514013"), None);
        assert_eq!(check_digit("44051401x5"), None);
    }
}

impl Pesel {
    /// Parses a PESEL; white space anywhere is ignored (`440514 01359` is read as `44051401359`).
    ///
    /// The check digit is verified before the date, so a typo is reported as a typo (`err-pesel-checksum`) and
    /// `err-pesel-date` means a well-formed number whose date does not exist (31 February, month 13…).
    /// Whether the birth date lies after a given day is a separate check ([`super::check_birth_not_in_future`]).
    pub fn parse(raw: &str) -> Result<Pesel, &'static str> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.is_empty() {
            return Err("err-required");
        }
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("err-pesel-format");
        }
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if digits.get(..10).and_then(check_digit).as_ref() != d.get(10) {
            return Err("err-pesel-checksum");
        }
        let pair = |i: usize| -> Option<u32> { Some(d.get(i)? * 10 + d.get(i + 1)?) };
        let (yy, mm, dd) = (pair(0), pair(2), pair(4));
        let (Some(yy), Some(mm), Some(dd)) = (yy, mm, dd) else {
            return Err("err-pesel-format");
        };
        let (century, month) = match mm {
            81..=92 => (1800, mm - 80),
            1..=12 => (1900, mm),
            21..=32 => (2000, mm - 20),
            41..=52 => (2100, mm - 40),
            61..=72 => (2200, mm - 60),
            _ => return Err("err-pesel-date"),
        };
        let year = i16::try_from(century + yy).map_err(|_| "err-pesel-date")?;
        let month = i8::try_from(month).map_err(|_| "err-pesel-date")?;
        let day = i8::try_from(dd).map_err(|_| "err-pesel-date")?;
        let birth_date = Date::new(year, month, day).map_err(|_| "err-pesel-date")?;
        let sex = if d.get(9).is_some_and(|x| x % 2 == 0) { Sex::Female } else { Sex::Male };
        Ok(Pesel { digits, birth_date, sex })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The birth date encoded in the first six digits.
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }

    /// The sex encoded in the 10th digit.
    pub fn sex(&self) -> Sex {
        self.sex
    }
}

impl std::fmt::Debug for Pesel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pesel([REDACTED])")
    }
}

impl std::fmt::Display for Pesel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.digits)
    }
}

impl TryFrom<String> for Pesel {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Pesel, &'static str> {
        Pesel::parse(&raw)
    }
}

impl From<Pesel> for String {
    fn from(pesel: Pesel) -> String {
        pesel.digits
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    /// Builds a valid PESEL for a birth date, a 3-digit serial and the 10th (sex) digit: the test-side generator.
    pub(crate) fn pesel_for(birth: Date, serial: u16, sex_digit: u8) -> String {
        let month_offset = match birth.year() {
            1800..=1899 => 80,
            1900..=1999 => 0,
            2000..=2099 => 20,
            2100..=2199 => 40,
            2200..=2299 => 60,
            other => panic!("PESEL cannot encode the year {other}"),
        };
        let body = format!(
            "{:02}{:02}{:02}{:03}{}",
            birth.year() % 100,
            i32::from(birth.month()) + month_offset,
            birth.day(),
            serial,
            sex_digit
        );
        complete(&body).unwrap()
    }

    #[test]
    fn real_pesels_are_accepted_with_their_date_and_sex() {
        // 4·1 + 4·3 + 0·7 + 5·9 + 1·1 + 4·3 + 0·7 + 1·9 + 3·1 + 5·3 = 101, so the check digit is 9.
        let man = Pesel::parse("44051401359").unwrap();
        assert_eq!(man.birth_date(), date(1944, 5, 14));
        assert_eq!(man.sex(), Sex::Male);
        // 0 + 6 + 0 + 63 + 0 + 24 + 0 + 27 + 6 + 6 = 132, so the check digit is 8.
        let woman = Pesel::parse("02070803628").unwrap();
        assert_eq!(woman.birth_date(), date(1902, 7, 8));
        assert_eq!(woman.sex(), Sex::Female);
    }

    #[test]
    fn pesels_of_children_born_after_2000_carry_the_month_plus_20() {
        let pesel = pesel_for(date(2012, 3, 9), 123, 4);
        assert!(pesel.starts_with("122309"), "{pesel}");
        let parsed = Pesel::parse(&pesel).unwrap();
        assert_eq!(parsed.birth_date(), date(2012, 3, 9));
        assert_eq!(parsed.sex(), Sex::Female);
        assert_eq!(Pesel::parse(&pesel_for(date(2000, 1, 1), 0, 1)).unwrap().birth_date(), date(2000, 1, 1));
        assert_eq!(Pesel::parse(&pesel_for(date(2024, 2, 29), 999, 9)).unwrap().birth_date(), date(2024, 2, 29));
    }

    #[test]
    fn every_century_offset_is_decoded() {
        for (birth, month_digits) in [
            (date(1899, 12, 31), "92"),
            (date(1900, 1, 1), "01"),
            (date(2099, 12, 31), "32"),
            (date(2100, 6, 15), "46"),
            (date(2299, 12, 31), "72"),
        ] {
            let pesel = pesel_for(birth, 42, 7);
            assert_eq!(pesel.get(2..4), Some(month_digits));
            assert_eq!(Pesel::parse(&pesel).unwrap().birth_date(), birth, "{pesel}");
        }
    }

    #[test]
    fn white_space_around_and_inside_is_ignored() {
        assert_eq!(Pesel::parse(" 440514 01359\t").unwrap().as_str(), "44051401359");
    }

    #[test]
    fn malformed_pesels_are_refused_with_a_reason() {
        assert_eq!(Pesel::parse("  "), Err("err-required"));
        assert_eq!(Pesel::parse("4405140135"), Err("err-pesel-format"));
        assert_eq!(Pesel::parse("440514013590"), Err("err-pesel-format"));
        assert_eq!(Pesel::parse("4405140135x"), Err("err-pesel-format"));
        assert_eq!(Pesel::parse("4405-140135"), Err("err-pesel-format"));
        // Arabic-Indic digits are digits to Unicode, not to the registry.
        assert_eq!(Pesel::parse("٤٤٠٥١٤٠١٣٥٩"), Err("err-pesel-format"));
        assert_eq!(Pesel::parse("44051401358"), Err("err-pesel-checksum"));
    }

    #[test]
    fn a_well_formed_pesel_with_an_impossible_date_is_refused() {
        // Check digits computed for each body, so only the date is wrong.
        let with_check = |body: &str| complete(body).unwrap();
        for body in ["9902310123", "9922310123", "0113010123", "0133010123", "0173010123", "0100010123", "0101000123"] {
            assert_eq!(Pesel::parse(&with_check(body)), Err("err-pesel-date"), "{body}");
        }
        // 29 February exists only in leap years: 2024 yes, 2100 no.
        assert!(Pesel::parse(&with_check("2422290123")).is_ok());
        assert_eq!(Pesel::parse(&with_check("0042290123")), Err("err-pesel-date"));
    }

    #[test]
    fn debug_output_hides_the_number_and_conversions_go_through_validation() {
        let pesel = Pesel::parse("44051401359").unwrap();
        assert_eq!(format!("{pesel:?}"), "Pesel([REDACTED])");
        assert_eq!(pesel.to_string(), "44051401359");
        assert_eq!(String::from(pesel.clone()), "44051401359");
        assert_eq!(Pesel::try_from("44051401359".to_owned()), Ok(pesel));
        assert_eq!(Pesel::try_from("44051401358".to_owned()), Err("err-pesel-checksum"));
    }

    #[test]
    fn sex_form_values_are_parsed() {
        assert_eq!(Sex::parse(" female "), Ok(Sex::Female));
        assert_eq!(Sex::parse("male"), Ok(Sex::Male));
        assert_eq!(Sex::parse(""), Err("err-required"));
        assert_eq!(Sex::parse("k"), Err("err-sex-value"));
    }

    fn any_pesel_date() -> impl Strategy<Value = Date> {
        (1800i16..=2299, 1i8..=12, 1i8..=31).prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
    }

    proptest! {
        #[test]
        fn any_generated_pesel_round_trips_its_date_and_sex(
            birth in any_pesel_date(), serial in 0u16..=999, sex_digit in 0u8..=9
        ) {
            let pesel = Pesel::parse(&pesel_for(birth, serial, sex_digit)).unwrap();
            prop_assert_eq!(pesel.birth_date(), birth);
            prop_assert_eq!(pesel.sex(), if sex_digit % 2 == 0 { Sex::Female } else { Sex::Male });
        }

        #[test]
        fn changing_any_one_digit_breaks_the_check(
            birth in any_pesel_date(), serial in 0u16..=999, sex_digit in 0u8..=9,
            position in 0usize..11, delta in 1u8..=9
        ) {
            let mut digits = pesel_for(birth, serial, sex_digit).into_bytes();
            digits[position] = b'0' + (digits[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(digits).unwrap();
            prop_assert_eq!(Pesel::parse(&changed), Err("err-pesel-checksum"));
        }
    }
}
