//! First names and surnames of persons in a procedure.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// The most characters a first-names or surname field may hold.
pub const MAX_NAME_CHARS: usize = 100;

/// A first name (or several) or a surname, as the person writes it: any script's letters, apostrophes, hyphens and
/// spaces (`O'Brien`, `Żółkiewska-Nowak`, `Ірина`, `Nguyễn Thị`).
///
/// Stored in Unicode NFC, trimmed, with runs of white space collapsed to one space; letter case and diacritics are
/// kept as typed. Digits, other punctuation and control characters are refused. `Debug` prints no name.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<PersonName, &'static str> {
        if raw.chars().any(char::is_control) {
            return Err("err-control-chars");
        }
        let nfc: String = raw.nfc().collect();
        let s = nfc.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err("err-required");
        }
        if s.chars().count() > MAX_NAME_CHARS {
            return Err("err-too-long");
        }
        if !s.chars().all(|c| c.is_alphabetic() || is_combining_mark(c) || is_apostrophe(c) || is_hyphen(c) || c == ' ')
            || !s.chars().any(char::is_alphabetic)
        {
            return Err("err-name-chars");
        }
        Ok(PersonName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonName([REDACTED])")
    }
}

impl std::fmt::Display for PersonName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Combining diacritical marks that NFC could not fold into the letter before them (e.g. `n̈`).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// The apostrophe and the characters keyboards and word processors put in its place.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}')
}

/// The hyphen-minus and the Unicode hyphens and dashes typed in double-barrelled surnames.
pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_with_apostrophes_and_hyphens_are_accepted() {
        for name in ["O'Brien", "Żółkiewska-Nowak", "Ірина", "Nguyễn Thị Minh", "D’Artagnan", "Jean-Luc", "Łukasz"]
        {
            assert_eq!(PersonName::parse(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn names_are_trimmed_collapsed_and_stored_in_nfc() {
        assert_eq!(PersonName::parse("  Anna   Maria\u{00A0}").unwrap().as_str(), "Anna Maria");
        // "Zo" + combining acute (NFD) becomes the one character "ó".
        let decomposed = "Zo\u{0301}fia";
        assert_eq!(PersonName::parse(decomposed).unwrap().as_str(), "Zófia");
        assert_eq!(PersonName::parse(decomposed).unwrap().as_str().chars().count(), 5);
    }

    #[test]
    fn bad_names_are_refused_with_a_reason() {
        assert_eq!(PersonName::parse("   "), Err("err-required"));
        assert_eq!(PersonName::parse("Jan\nKowalski"), Err("err-control-chars"));
        assert_eq!(PersonName::parse("Jan\u{0}"), Err("err-control-chars"));
        assert_eq!(PersonName::parse("Jan2"), Err("err-name-chars"));
        assert_eq!(PersonName::parse("Kowalski; DROP"), Err("err-name-chars"));
        assert_eq!(PersonName::parse("<b>Jan</b>"), Err("err-name-chars"));
        assert_eq!(PersonName::parse("-'-"), Err("err-name-chars"));
        assert_eq!(PersonName::parse(&"a".repeat(MAX_NAME_CHARS + 1)), Err("err-too-long"));
        assert!(PersonName::parse(&"a".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn debug_output_hides_the_name() {
        assert_eq!(format!("{:?}", PersonName::parse("Anna").unwrap()), "PersonName([REDACTED])");
    }
}
