//! Keys for recognising the same person across forms A (procedure.md §7; architecture: blind indexes).
//!
//! A new form A should find the procedure already open for the same family. The store keeps, beside each
//! encrypted person, keyed hashes (blind indexes) of the strings [`match_keys`] returns, and looks a new person up by
//! the same strings. The strings themselves are personal data: they are hashed, never stored or logged.

use jiff::civil::Date;
use unicode_normalization::UnicodeNormalization;

use super::Person;
use super::name::{is_apostrophe, is_hyphen};
use super::pesel::Pesel;

/// One way of recognising a person.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum MatchKey {
    /// The PESEL: the same number is the same person.
    Pesel(Pesel),
    /// The normalised first names and surname (see [`normalise_name`]) with the birth date.
    NameAndBirthDate { first_name: String, last_name: String, birth_date: Date },
}

impl MatchKey {
    /// Every key a person can be found by: the PESEL when known, and the name with the birth date when the birth
    /// date is known (from the PESEL or typed). A later form A that lacks the PESEL still finds the person by name
    /// and birth date.
    pub fn all_for(person: &Person) -> Vec<MatchKey> {
        let mut keys = Vec::with_capacity(2);
        if let Some(pesel) = person.pesel() {
            keys.push(MatchKey::Pesel(pesel.clone()));
        }
        if let Some(birth_date) = person.birth_date() {
            keys.push(MatchKey::NameAndBirthDate {
                first_name: normalise_name(person.first_name().as_str()),
                last_name: normalise_name(person.last_name().as_str()),
                birth_date,
            });
        }
        keys
    }

    /// The string the store blind-indexes: `pesel:44051401359` or `name-dob:jan|kowalski|1944-05-14`. The prefix
    /// keeps the two kinds apart; `|` cannot occur in a name.
    pub fn index_string(&self) -> String {
        match self {
            MatchKey::Pesel(pesel) => format!("pesel:{pesel}"),
            MatchKey::NameAndBirthDate { first_name, last_name, birth_date } => {
                format!("name-dob:{first_name}|{last_name}|{birth_date}")
            }
        }
    }
}

impl std::fmt::Debug for MatchKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MatchKey::Pesel(_) => f.write_str("MatchKey::Pesel([REDACTED])"),
            MatchKey::NameAndBirthDate { .. } => f.write_str("MatchKey::NameAndBirthDate([REDACTED])"),
        }
    }
}

/// The strings to blind-index for `person`: see [`MatchKey::all_for`] and [`MatchKey::index_string`].
pub fn match_keys(person: &Person) -> Vec<String> {
    MatchKey::all_for(person).iter().map(MatchKey::index_string).collect()
}

/// Normalises a name for matching: Unicode NFC, lower case, white space collapsed to one space, no space around a
/// hyphen, every apostrophe-like character as `'` and every hyphen or dash as `-`.
///
/// Diacritics are **kept**: "Łukasz" and "Lukasz" are different keys. This is a policy choice. Stripping them would
/// join distinct people ("Żak" and "Zak", "Łęcki" and "Lecki") and a false match shows one family's procedure to
/// the team working on another, a disclosure of sensitive data; a missed match only leaves a duplicate record that
/// the team can join after checking. A name typed once with and once without Polish letters is therefore found by
/// its PESEL or not at all. Likewise a second given name typed on one form and not on the other gives another key.
pub fn normalise_name(raw: &str) -> String {
    let lower: String = raw.nfc().collect::<String>().to_lowercase().nfc().collect();
    let unified: String = lower.chars().map(unify_punctuation).collect();
    let collapsed = unified.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" -", "-").replace("- ", "-")
}

/// Every apostrophe-like character as `'`, every hyphen or dash as `-`.
fn unify_punctuation(c: char) -> char {
    match c {
        c if is_apostrophe(c) => '\'',
        c if is_hyphen(c) => '-',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{Person, PersonInput, PersonRole};
    use jiff::civil::date;

    fn person(first: &str, last: &str, pesel: &str, birth: &str) -> Person {
        let input = PersonInput {
            first_name: first.into(),
            last_name: last.into(),
            pesel: pesel.into(),
            birth_date: birth.into(),
            ..PersonInput::default()
        };
        Person::parse(&input, PersonRole::AffectedPerson, date(2026, 3, 10)).unwrap()
    }

    #[test]
    fn names_are_normalised_for_matching() {
        assert_eq!(normalise_name("  JAN   Kowalski "), "jan kowalski");
        assert_eq!(normalise_name("Żółkiewska - Nowak"), "żółkiewska-nowak");
        assert_eq!(normalise_name("Żółkiewska\u{2013}Nowak"), "żółkiewska-nowak");
        assert_eq!(normalise_name("O\u{2019}Brien"), "o'brien");
        assert_eq!(normalise_name("ІРИНА"), "ірина");
        // NFD input (o + combining acute) matches NFC input.
        assert_eq!(normalise_name("Zo\u{0301}fia"), normalise_name("Zófia"));
    }

    #[test]
    fn diacritics_are_kept_so_lukasz_and_łukasz_differ() {
        assert_ne!(normalise_name("Łukasz"), normalise_name("Lukasz"));
        assert_eq!(normalise_name("ŁUKASZ"), normalise_name("łukasz"));
    }

    #[test]
    fn a_person_with_a_pesel_gets_both_keys() {
        let p = person("Jan", "Kowalski", "44051401359", "");
        assert_eq!(match_keys(&p), ["pesel:44051401359", "name-dob:jan|kowalski|1944-05-14"]);
    }

    #[test]
    fn a_person_without_a_pesel_is_keyed_by_name_and_birth_date() {
        let p = person("Anna  Maria", "Żółkiewska - Nowak", "", "05.03.1990");
        assert_eq!(match_keys(&p), ["name-dob:anna maria|żółkiewska-nowak|1990-03-05"]);
    }

    #[test]
    fn a_person_without_a_birth_date_has_no_key() {
        assert!(match_keys(&person("Jan", "Kowalski", "", "")).is_empty());
    }

    #[test]
    fn the_same_person_typed_differently_gets_the_same_keys() {
        let a = person("JAN", "O'Brien-Kowalski", "", "1944-05-14");
        let b = person(" jan ", "O’Brien – Kowalski", "44051401359", "");
        assert_eq!(match_keys(&a).first(), match_keys(&b).get(1));
    }

    #[test]
    fn first_names_and_surname_cannot_be_shifted_into_each_other() {
        let a = person("Anna Maria", "Nowak", "", "1990-03-05");
        let b = person("Anna", "Maria Nowak", "", "1990-03-05");
        assert_ne!(match_keys(&a), match_keys(&b));
    }

    #[test]
    fn debug_output_hides_the_key() {
        let p = person("Jan", "Kowalski", "44051401359", "");
        assert_eq!(
            format!("{:?}", MatchKey::all_for(&p)),
            "[MatchKey::Pesel([REDACTED]), MatchKey::NameAndBirthDate([REDACTED])]"
        );
    }
}
