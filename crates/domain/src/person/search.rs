//! Search by person (issue 16): the strings the store blind-indexes for every person of every form, and the reading
//! of what a user types into the search box.
//!
//! The strings are personal data: the store keeps only keyed hashes of them (blind indexes), never the strings.
//!
//! Normalisation **folds** diacritics, unlike recognition ([`super::normalise_name`]): "Wojcik" finds "Wójcik",
//! "Lukasz" finds "Łukasz". The two serve different ends. Recognition joins a new form A to a case, so a false match
//! would show one family's case to the team of another; a search answers only within cases the user already may see
//! (need-to-know is applied in the same query), so a looser match reveals nothing new, while a strict one fails the
//! daily case of a name typed on a keyboard without Polish letters, or written so by the police. Apostrophes are
//! dropped ("OBrien", "O'Brien", "O’Brien" are one key), hyphens and dashes are one `-`, letter case and white space
//! do not count, and each part of a double-barrelled surname is a surname of its own ("Nowak" finds
//! "Nowak-Kowalska").

use unicode_normalization::UnicodeNormalization;

use super::name::{is_apostrophe, is_hyphen};
use super::{PersonName, PersonRole, Pesel};
use crate::forms::{SectionValues, ValidatedAnswers, Value};

/// The fewest letters a name search takes: one letter would list half the town.
pub const MIN_SEARCH_LETTERS: usize = 2;

/// The version of the keys below; a change of normalisation raises it and the store indexes every form again.
pub const SEARCH_INDEX_VERSION: i32 = 1;

/// A name folded for search: NFC, lower case, Polish (and other Latin) diacritics removed, apostrophes removed,
/// every hyphen or dash `-` without spaces around it, white space collapsed.
pub fn fold_name(raw: &str) -> String {
    let lower: String = raw.nfc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.nfd() {
        match c {
            c if is_combining(c) || is_apostrophe(c) => {}
            c if is_hyphen(c) => out.push('-'),
            // Letters NFD does not decompose.
            'ł' => out.push('l'),
            'ø' => out.push('o'),
            'đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" -", "-").replace("- ", "-")
}

fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

fn surname_key(surname: &str) -> String {
    format!("surname:{surname}")
}

fn name_key(first: &str, last: &str) -> String {
    format!("name:{first}|{last}")
}

fn pesel_key(pesel: &Pesel) -> String {
    format!("pesel:{pesel}")
}

/// The role a person is found in, as search results name it. Not personal data: it says which part of a form
/// matched, of a case the reader already may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchRole {
    AffectedPerson,
    SuspectedPerson,
    /// A child in the household (form A 2023, part VI).
    Child,
    HouseholdMember,
    Witness,
    Reporter,
}

impl SearchRole {
    pub const ALL: [SearchRole; 6] = [
        SearchRole::AffectedPerson,
        SearchRole::SuspectedPerson,
        SearchRole::Child,
        SearchRole::HouseholdMember,
        SearchRole::Witness,
        SearchRole::Reporter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchRole::AffectedPerson => "affected_person",
            SearchRole::SuspectedPerson => "suspected_person",
            SearchRole::Child => "child",
            SearchRole::HouseholdMember => "household_member",
            SearchRole::Witness => "witness",
            SearchRole::Reporter => "reporter",
        }
    }

    pub fn parse(s: &str) -> Option<SearchRole> {
        SearchRole::ALL.into_iter().find(|r| r.as_str() == s)
    }

    fn of(section_id: &str, role: PersonRole) -> SearchRole {
        match role {
            PersonRole::AffectedPerson => SearchRole::AffectedPerson,
            PersonRole::SuspectedPerson => SearchRole::SuspectedPerson,
            PersonRole::HouseholdMember if section_id == "children" => SearchRole::Child,
            PersonRole::HouseholdMember => SearchRole::HouseholdMember,
            PersonRole::Witness => SearchRole::Witness,
            PersonRole::Reporter => SearchRole::Reporter,
        }
    }
}

/// One string to blind-index for a person of a form, with the role the person has there.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexEntry {
    pub role: SearchRole,
    pub key: String,
}

impl std::fmt::Debug for IndexEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexEntry({}, [REDACTED])", self.role.as_str())
    }
}

/// Every string to index for the persons of one filled form (any kind, any version): for each person of a section
/// about a person, the surname (whole and each part), each given name with the surname (and the given names
/// together), and the PESEL. Sorted, each once.
pub fn index_entries(answers: &ValidatedAnswers) -> Vec<IndexEntry> {
    let mut out = Vec::new();
    for section in answers.definition().sections {
        let Some(person_role) = section.person_role else { continue };
        let role = SearchRole::of(section.id, person_role);
        let records: Vec<&crate::forms::Record> = match answers.section(section.id) {
            Some(SectionValues::Once(record)) => vec![record],
            Some(SectionValues::Many(items)) => items.iter().collect(),
            None => Vec::new(),
        };
        for record in records {
            let text = |id: &str| match record.get(id) {
                Some(Value::Text(s)) => Some(fold_name(s)).filter(|s| !s.is_empty()),
                _ => None,
            };
            if let Some(last) = text("last_name") {
                let mut surnames = vec![last.clone()];
                surnames.extend(last.split('-').filter(|p| !p.is_empty() && *p != last).map(str::to_owned));
                for surname in &surnames {
                    out.push(IndexEntry { role, key: surname_key(surname) });
                }
                if let Some(first) = text("first_name") {
                    let mut firsts = vec![first.clone()];
                    firsts.extend(first.split(' ').filter(|p| *p != first).map(str::to_owned));
                    for f in &firsts {
                        for s in &surnames {
                            out.push(IndexEntry { role, key: name_key(f, s) });
                        }
                    }
                }
            }
            if let Some(Value::Pesel(pesel)) = record.get("pesel") {
                out.push(IndexEntry { role, key: pesel_key(pesel) });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What a search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Surname,
    FullName,
    Pesel,
    CaseNumber,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Surname => "surname",
            SearchKind::FullName => "full_name",
            SearchKind::Pesel => "pesel",
            SearchKind::CaseNumber => "case_number",
        }
    }
}

/// A search as typed, read: its kind and the strings to look up (hashed by the store), or the case number.
#[derive(Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub kind: SearchKind,
    /// Index strings (any one matching is a match); empty for a case number.
    pub keys: Vec<String>,
    /// The case number, canonical (`NK/2026/0007`), for [`SearchKind::CaseNumber`].
    pub number: Option<String>,
}

impl std::fmt::Debug for SearchQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchQuery({}, [REDACTED])", self.kind.as_str())
    }
}

/// The most characters a search takes (a surname and given names fit easily).
pub const MAX_SEARCH_CHARS: usize = 120;

impl SearchQuery {
    /// Reads what was typed: a case number (`NK/2026/7`, any case, spaces allowed), a PESEL (digits only, which must
    /// be a valid PESEL), or a name: one word is a surname, several are a first name and a surname in either order
    /// (or a surname of several words). Errors are message ids for the field.
    pub fn parse(raw: &str) -> Result<SearchQuery, &'static str> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("err-search-required");
        }
        if trimmed.chars().count() > MAX_SEARCH_CHARS {
            return Err("err-too-long");
        }
        if let Some(number) = case_number(trimmed) {
            return Ok(SearchQuery { kind: SearchKind::CaseNumber, keys: Vec::new(), number: Some(number) });
        }
        let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.chars().any(|c| c.is_ascii_digit()) {
            // Digits mean a PESEL (or a malformed number): say what is wrong with it rather than "no match".
            if compact.chars().all(|c| c.is_ascii_digit()) {
                let pesel = Pesel::parse(&compact)?;
                return Ok(SearchQuery { kind: SearchKind::Pesel, keys: vec![pesel_key(&pesel)], number: None });
            }
            return Err("err-search-chars");
        }
        let name = PersonName::parse(trimmed).map_err(|_| "err-search-chars")?;
        let folded = fold_name(name.as_str());
        if folded.chars().filter(|c| c.is_alphabetic()).count() < MIN_SEARCH_LETTERS {
            return Err("err-search-too-short");
        }
        let words: Vec<&str> = folded.split(' ').collect();
        if words.len() == 1 {
            return Ok(SearchQuery { kind: SearchKind::Surname, keys: vec![surname_key(&folded)], number: None });
        }
        // Several words: a first name and a surname either way round, at every split; or a surname of several words.
        let mut keys = vec![surname_key(&folded)];
        for split in 1..words.len() {
            let (head, tail) = words.split_at(split);
            let (a, b) = (head.join(" "), tail.join(" "));
            keys.push(name_key(&a, &b));
            keys.push(name_key(&b, &a));
        }
        keys.sort();
        keys.dedup();
        Ok(SearchQuery { kind: SearchKind::FullName, keys, number: None })
    }
}

/// `NK/2026/7`, `nk / 2026 / 0007` → `NK/2026/0007`.
fn case_number(s: &str) -> Option<String> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let rest = compact.strip_prefix("NK/")?;
    let (year, seq) = rest.split_once('/')?;
    let valid = |p: &str, max: usize| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !valid(year, 4) || !valid(seq, 9) {
        return None;
    }
    let seq: u64 = seq.parse().ok()?;
    Some(format!("NK/{year}/{seq:04}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_diacritics_apostrophes_and_case() {
        assert_eq!(fold_name("  Żółkiewska-Łęcka "), "zolkiewska-lecka");
        assert_eq!(fold_name("O’Brien"), "obrien");
        assert_eq!(fold_name("O'Brien"), fold_name("OBrien"));
        assert_eq!(fold_name("Nowak – Kowalska"), "nowak-kowalska");
        assert_eq!(fold_name("Wójcik"), fold_name("WOJCIK"));
        assert_eq!(fold_name("Zo\u{0301}fia"), "zofia");
    }

    #[test]
    fn a_surname_a_full_name_a_pesel_and_a_number_are_told_apart() {
        let q = SearchQuery::parse(" Nowak ").unwrap();
        assert_eq!((q.kind, q.keys), (SearchKind::Surname, vec!["surname:nowak".to_owned()]));
        let q = SearchQuery::parse("Jan Nowak").unwrap();
        assert_eq!(q.kind, SearchKind::FullName);
        assert!(q.keys.contains(&"name:jan|nowak".to_owned()) && q.keys.contains(&"name:nowak|jan".to_owned()));
        let q = SearchQuery::parse("440514 01359").unwrap();
        assert_eq!((q.kind, q.keys), (SearchKind::Pesel, vec!["pesel:44051401359".to_owned()]));
        let q = SearchQuery::parse("nk / 2026 / 7").unwrap();
        assert_eq!((q.kind, q.number.as_deref()), (SearchKind::CaseNumber, Some("NK/2026/0007")));
    }

    #[test]
    fn bad_searches_say_why() {
        assert_eq!(SearchQuery::parse("   "), Err("err-search-required"));
        assert_eq!(SearchQuery::parse("N"), Err("err-search-too-short"));
        assert_eq!(SearchQuery::parse("44051401358"), Err("err-pesel-checksum"));
        assert_eq!(SearchQuery::parse("4405140135"), Err("err-pesel-format"));
        assert_eq!(SearchQuery::parse("Nowak1"), Err("err-search-chars"));
        assert_eq!(SearchQuery::parse("Nowak%"), Err("err-search-chars"));
        assert_eq!(SearchQuery::parse(&"a".repeat(MAX_SEARCH_CHARS + 1)), Err("err-too-long"));
    }

    #[test]
    fn a_query_typed_without_diacritics_meets_the_indexed_name() {
        let typed = SearchQuery::parse("Lukasz Zolkiewski").unwrap();
        let indexed = name_key(&fold_name("Łukasz"), &fold_name("Żółkiewski"));
        assert!(typed.keys.contains(&indexed));
        let typed = SearchQuery::parse("D'Artagnan").unwrap();
        assert_eq!(typed.keys, vec![surname_key(&fold_name("D’Artagnan"))]);
    }

    #[test]
    fn every_person_of_a_form_is_indexed_with_its_role() {
        use crate::forms::{Answers, FormKind, FormVersion, definition, validate};
        let pairs = [
            ("header.date", "2026-03-10"),
            ("affected_person.first_name", "Anna Maria"),
            ("affected_person.last_name", "Nowak-Kowalska"),
            ("affected_person.pesel", "44051401359"),
            ("suspected_person.first_name", "Jan"),
            ("suspected_person.last_name", "Wójcik"),
        ];
        let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let c = validate(definition(FormKind::C, FormVersion::V2023).unwrap(), &answers).unwrap();
        let entries = index_entries(&c);
        let has = |role, key: &str| entries.contains(&IndexEntry { role, key: key.to_owned() });
        for key in
            ["surname:nowak-kowalska", "surname:nowak", "surname:kowalska", "name:anna|nowak", "name:maria|kowalska"]
        {
            assert!(has(SearchRole::AffectedPerson, key), "{key}");
        }
        assert!(has(SearchRole::AffectedPerson, "name:anna maria|nowak-kowalska"));
        assert!(has(SearchRole::AffectedPerson, "pesel:44051401359"));
        assert!(has(SearchRole::SuspectedPerson, "surname:wojcik"));
        assert!(has(SearchRole::SuspectedPerson, "name:jan|wojcik"));
        assert!(!entries.iter().any(|e| e.key.contains("2026")), "no other field is indexed");
    }

    #[test]
    fn debug_hides_the_strings() {
        let q = SearchQuery::parse("Nowak").unwrap();
        assert!(!format!("{q:?}").contains("nowak"));
        let e = IndexEntry { role: SearchRole::Witness, key: "surname:nowak".into() };
        assert!(!format!("{e:?}").contains("nowak"));
    }
}
