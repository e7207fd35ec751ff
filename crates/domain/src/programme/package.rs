//! The signed statutory package (issue 17, item 5): a municipality's approved statutory set as it travels upward to
//! the county and the region, in a small versioned JSON envelope (docs/statutory-package.md). This module holds what
//! needs no key and no I/O: the envelope's shape, the bytes its signature covers, and the checks a receiving
//! installation makes of its figures. Signing and verifying (Ed25519) live in the store, beside the keys.
//!
//! A package holds figures only: the statutory lines' ids and whole numbers, the municipality's TERYT code and name,
//! the year, the version and when it was approved. Never a person, a case number or a free text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::statutory::template;
use crate::validation::FieldError;

/// The envelope's format and version. A receiver refuses any other.
pub const FORMAT: &str = "ostoja-statutory-package/1";

/// The largest package a receiver reads (a real one is a few kilobytes).
pub const MAX_BYTES: usize = 256 * 1024;

/// The package as it is written to a file or pushed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub format: String,
    /// The municipality's 7-digit TERYT code.
    pub teryt: String,
    /// The municipality's name, so that a receiver that does not know it yet can name it.
    pub name: String,
    pub year: i16,
    /// The sender's approval version (1, 2, …): a later one is a correction.
    pub version: i32,
    /// When the sender's chair approved this version (RFC 3339, UTC).
    pub approved_at: String,
    /// Every line of the set by its id in the template: a whole number.
    pub figures: BTreeMap<String, i64>,
    /// SHA-256 of the signing public key, 64 lowercase hexadecimal digits.
    pub key_fingerprint: String,
    /// Ed25519 signature of [`Package::signed_bytes`], 128 lowercase hexadecimal digits.
    pub signature: String,
}

/// The signed fields in their fixed order; serialised compactly, these are the bytes the signature covers.
#[derive(Serialize)]
struct Signed<'a> {
    format: &'a str,
    teryt: &'a str,
    name: &'a str,
    year: i16,
    version: i32,
    approved_at: &'a str,
    figures: &'a BTreeMap<String, i64>,
    key_fingerprint: &'a str,
}

impl Package {
    /// The canonical bytes the signature covers: every field but the signature, in the order above, as compact JSON
    /// (no spaces, figures sorted by id, strings escaped as serde_json escapes them). A receiver rebuilds them from
    /// the fields it read, so whitespace or field order in the file does not matter.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let signed = Signed {
            format: &self.format,
            teryt: &self.teryt,
            name: &self.name,
            year: self.year,
            version: self.version,
            approved_at: &self.approved_at,
            figures: &self.figures,
            key_fingerprint: &self.key_fingerprint,
        };
        // A struct of strings, integers and a string-keyed map always serialises.
        serde_json::to_vec(&signed).unwrap_or_default()
    }
}

/// A year's figures go upward only once the year has ended (`today_year` is the current year in Poland).
pub fn year_ended(year: i16, today_year: i16) -> bool {
    year < today_year
}

/// The checks a receiver makes of the figures (and a sender before it signs): every line known to the template, no
/// figure negative, no "of which" line larger than the line it belongs to. The first failure names its line (the
/// `line` argument holds the line's id, which the pages put in the template's words).
pub fn check_figures(figures: &BTreeMap<String, i64>) -> Result<(), FieldError> {
    let line_error =
        |code: &'static str, line: &str| FieldError { field: "package", code, args: vec![("line", line.to_owned())] };
    for (id, value) in figures {
        if template().iter().all(|l| l.id != id) {
            return Err(line_error("err-package-unknown-line", id));
        }
        if *value < 0 {
            return Err(line_error("err-package-negative", id));
        }
    }
    // The line each "of which" line belongs to: the nearest line above it one level up.
    let mut above: [Option<&str>; 3] = [None; 3];
    for line in template() {
        let level = usize::from(line.level.min(2));
        if let Some(parent) = level.checked_sub(1).and_then(|l| above.get(l).copied().flatten()) {
            let value = figures.get(line.id).copied().unwrap_or(0);
            let total = figures.get(parent).copied().unwrap_or(0);
            if value > total {
                return Err(FieldError {
                    field: "package",
                    code: "err-package-of-which",
                    args: vec![("line", line.id.to_owned()), ("total", parent.to_owned())],
                });
            }
        }
        if let Some(slot) = above.get_mut(level) {
            *slot = Some(line.id);
        }
        for deeper in above.iter_mut().skip(level + 1) {
            *deeper = None;
        }
    }
    Ok(())
}

/// A fingerprint as people read it aloud to compare: 16 groups of 4 upper-case hexadecimal digits.
pub fn fingerprint_for_people(hex: &str) -> String {
    let upper = hex.to_ascii_uppercase();
    upper.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// A fingerprint as typed by a person (any case, spaces or colons between groups) in its stored form.
pub fn normalise_fingerprint(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_hexdigit).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn figures_that_add_up_pass() {
        let f = figures(&[("persons_affected", 10), ("affected_women", 6), ("affected_women_elderly", 2)]);
        assert_eq!(check_figures(&f), Ok(()));
    }

    #[test]
    fn a_negative_figure_is_refused_naming_its_line() {
        let e = check_figures(&figures(&[("forms_c", -1)])).unwrap_err();
        assert_eq!((e.code, e.args), ("err-package-negative", vec![("line", "forms_c".to_owned())]));
    }

    #[test]
    fn an_of_which_larger_than_its_total_is_refused_naming_both_lines() {
        let e = check_figures(&figures(&[("persons_affected", 3), ("affected_women", 4)])).unwrap_err();
        assert_eq!(e.code, "err-package-of-which");
        assert_eq!(e.args, vec![("line", "affected_women".to_owned()), ("total", "persons_affected".to_owned())]);
        // Level 2 belongs to the level-1 line above it, not to the level-0 one.
        let f = figures(&[("persons_affected", 10), ("affected_women", 2), ("affected_women_elderly", 3)]);
        assert_eq!(check_figures(&f).unwrap_err().args[1], ("total", "affected_women".to_owned()));
    }

    #[test]
    fn a_line_the_template_does_not_know_is_refused() {
        let e = check_figures(&figures(&[("pesel", 1)])).unwrap_err();
        assert_eq!(e.code, "err-package-unknown-line");
    }

    #[test]
    fn the_signed_bytes_ignore_the_signature_and_keep_a_fixed_order() {
        let mut p = Package {
            format: FORMAT.into(),
            teryt: "1016011".into(),
            name: "Łódź \"Bałuty\"".into(),
            year: 2025,
            version: 1,
            approved_at: "2026-01-20T10:00:00Z".into(),
            figures: figures(&[("teams", 1), ("forms_c", 4)]),
            key_fingerprint: "ab".repeat(32),
            signature: String::new(),
        };
        let before = p.signed_bytes();
        p.signature = "00".repeat(64);
        assert_eq!(p.signed_bytes(), before);
        let text = String::from_utf8(before).unwrap();
        assert!(
            text.starts_with(r#"{"format":"ostoja-statutory-package/1","teryt":"1016011","name":"Łódź \"Bałuty\"""#)
        );
        assert!(text.contains(r#""figures":{"forms_c":4,"teams":1}"#), "{text}");
    }

    #[test]
    fn a_year_goes_upward_only_once_it_has_ended() {
        assert!(year_ended(2025, 2026));
        assert!(!year_ended(2026, 2026));
        assert!(!year_ended(2027, 2026));
    }

    #[test]
    fn fingerprints_read_in_groups_and_parse_back() {
        let hex = "0123456789abcdef".repeat(4);
        let shown = fingerprint_for_people(&hex);
        assert_eq!(&shown[..19], "0123 4567 89AB CDEF");
        assert_eq!(normalise_fingerprint(&shown), hex);
    }
}
