//! Server-side validation of a form's answers against its definition.
//!
//! Answers arrive as a flat map from field paths to raw strings, as an HTML form posts them and as the JSON API
//! takes them: `header.filled_at`, `affected_persons[0].last_name`, `violence.forms` (a multi-choice: values joined
//! by commas). [`validate`] reads each value by its field's type, applies the required-when rules and the art. 9c
//! whitelist of the section's person role, and refuses every key the definition does not know: nothing is dropped
//! silently.
//!
//! An empty or blank value means "not given", as an empty input posts it. A repeated section's items keep the index
//! of their paths in error messages and are numbered from 0 without gaps in [`ValidatedAnswers`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use jiff::civil::{Date, DateTime};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::all_definitions;
use super::definition::{Condition, Field, FieldRef, FieldType, FormDefinition, Repeat, Requirement, Section};
use super::owner::PlanOwner;
use crate::FieldErrors;
use crate::person::{PersonField, Pesel, is_allowed};

/// Where an error is reported that belongs to no section of the form (a key naming an unknown section).
pub const FORM_PATH: &str = "form";

/// The raw answers of one form: field path → raw string.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the raw value of `path`, replacing any earlier one.
    pub fn insert(&mut self, path: impl Into<String>, raw: impl Into<String>) {
        self.0.insert(path.into(), raw.into());
    }

    /// Adds a value to `path`, joined to an earlier one by a comma: what a group of check boxes of one name posts
    /// for a multi-choice.
    pub fn append(&mut self, path: impl Into<String>, raw: &str) {
        self.0
            .entry(path.into())
            .and_modify(|v| {
                v.push(',');
                v.push_str(raw);
            })
            .or_insert_with(|| raw.to_owned());
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(String::as_str)
    }

    /// Whether any answer's path starts with `prefix` (e.g. `"affected_persons[3]."`), without scanning them all.
    pub fn has_under(&self, prefix: &str) -> bool {
        use std::ops::Bound;
        self.0
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .next()
            .is_some_and(|(path, _)| path.starts_with(prefix))
    }

    pub fn remove(&mut self, path: &str) -> Option<String> {
        self.0.remove(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Answers {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Answers(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// Prints the paths only: the values are personal data.
impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// One answer, read by its field's type.
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Date(Date),
    DateTime(DateTime),
    Bool(bool),
    Number(i64),
    /// The chosen option's value.
    Choice(&'static str),
    /// The chosen options' values, in the order of the definition, each once.
    MultiChoice(Vec<&'static str>),
    Pesel(Pesel),
    Phone(String),
    Email(String),
    /// A support-plan action's owner (a member, an institution, or earlier free text).
    Owner(PlanOwner),
}

impl Value {
    /// The canonical raw string: [`validate`] reads it back to the same value.
    pub fn to_raw(&self) -> String {
        match self {
            Value::Text(s) | Value::Phone(s) | Value::Email(s) => s.clone(),
            Value::Date(d) => d.to_string(),
            Value::DateTime(dt) => dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Choice(v) => (*v).to_owned(),
            Value::MultiChoice(vs) => vs.join(","),
            Value::Pesel(p) => p.as_str().to_owned(),
            Value::Owner(o) => o.to_raw(),
        }
    }
}

/// Prints choices, yes/no answers and numbers; text, dates and PESEL are `[REDACTED]`.
impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Choice(v) => write!(f, "Choice({v})"),
            Value::MultiChoice(vs) => write!(f, "MultiChoice({vs:?})"),
            Value::Number(_) => f.write_str("Number([REDACTED])"),
            Value::Text(_) => f.write_str("Text([REDACTED])"),
            Value::Date(_) => f.write_str("Date([REDACTED])"),
            Value::DateTime(_) => f.write_str("DateTime([REDACTED])"),
            Value::Pesel(_) => f.write_str("Pesel([REDACTED])"),
            Value::Phone(_) => f.write_str("Phone([REDACTED])"),
            Value::Email(_) => f.write_str("Email([REDACTED])"),
            Value::Owner(PlanOwner::AsRecorded(_)) => f.write_str("Owner([REDACTED])"),
            Value::Owner(o) => write!(f, "Owner({})", o.to_raw()),
        }
    }
}

/// The answers of one section item: field id → value; fields not given are absent.
pub type Record = BTreeMap<&'static str, Value>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionValues {
    Once(Record),
    Many(Vec<Record>),
}

/// Answers that passed [`validate`]. Sections left empty (and not required) are absent.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidatedAnswers {
    definition: &'static FormDefinition,
    sections: BTreeMap<&'static str, SectionValues>,
}

impl ValidatedAnswers {
    pub fn definition(&self) -> &'static FormDefinition {
        self.definition
    }

    pub fn section(&self, id: &str) -> Option<&SectionValues> {
        self.sections.get(id)
    }

    /// The value of `field` in the section `section` that is not repeated.
    pub fn get(&self, section: &str, field: &str) -> Option<&Value> {
        match self.sections.get(section)? {
            SectionValues::Once(record) => record.get(field),
            SectionValues::Many(_) => None,
        }
    }

    /// The items of the repeated section `section`; none when it was left empty.
    pub fn items(&self, section: &str) -> &[Record] {
        match self.sections.get(section) {
            Some(SectionValues::Many(items)) => items,
            _ => &[],
        }
    }

    /// The canonical raw answers, for storage: [`validate`] reads them back to equal answers.
    pub fn to_answers(&self) -> Answers {
        let mut answers = Answers::new();
        for (section, values) in &self.sections {
            match values {
                SectionValues::Once(record) => {
                    for (field, value) in record {
                        answers.insert(format!("{section}.{field}"), value.to_raw());
                    }
                }
                SectionValues::Many(items) => {
                    for (i, record) in items.iter().enumerate() {
                        for (field, value) in record {
                            answers.insert(format!("{section}[{i}].{field}"), value.to_raw());
                        }
                    }
                }
            }
        }
        answers
    }
}

/// Prints the form and the section ids only.
impl std::fmt::Debug for ValidatedAnswers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidatedAnswers")
            .field("kind", &self.definition.kind)
            .field("version", &self.definition.version)
            .field("sections", &self.sections.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Checks `answers` against `definition` and returns the typed answers, or every error at once.
///
/// Each error names the path of its input (`affected_persons[0].pesel`), or the section for a missing or excess
/// repeated section (`children`), or the nearest known container for an unknown key (`witnesses[1]`, `header`,
/// [`FORM_PATH`]). Message ids:
/// - `err-required`: a required field is empty, or a required repeated section has no item;
/// - `err-unknown-field`: the key names no field of the form;
/// - `err-field-not-allowed-for-role`: the key names an item of personal data that art. 9c ust. 1 of the act does
///   not allow for the section's person role (a PESEL for a witness or a reporter);
/// - `err-too-many-items`: an index at or past the section's maximum;
/// - `err-too-long`, `err-control-chars`: text;
/// - `err-date-format`, `err-datetime-format`, `err-bool-format`, `err-number-format`, `err-number-range`,
///   `err-choice-unknown`, `err-phone-format`, `err-email-format`;
/// - `err-owner-unknown`: an owner's value that names no account or no institution kind;
/// - `err-pesel-format`, `err-pesel-checksum`, `err-pesel-date`: from [`Pesel::parse`].
pub fn validate(definition: &'static FormDefinition, answers: &Answers) -> Result<ValidatedAnswers, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut raw: Vec<RawSection<'_>> = definition
        .sections
        .iter()
        .map(|s| if s.is_repeated() { RawSection::Many(BTreeMap::new()) } else { RawSection::Once(BTreeMap::new()) })
        .collect();

    for (key, value) in answers.iter() {
        match locate(definition, key) {
            Located::Field { position, index, field } => {
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                match (raw.get_mut(position), index) {
                    (Some(RawSection::Once(item)), None) => {
                        item.insert(field.id, value);
                    }
                    (Some(RawSection::Many(items)), Some(i)) => {
                        items.entry(i).or_default().insert(field.id, value);
                    }
                    _ => errors.add(FORM_PATH, "err-unknown-field"),
                }
            }
            Located::Refused { path, code } => errors.add(path, code),
        }
    }

    let mut sections = BTreeMap::new();
    for (section, raw_section) in definition.sections.iter().zip(&raw) {
        let context = Context { definition, raw: &raw, item: None };
        let required = context.requires(&section.required);
        match raw_section {
            RawSection::Once(item) => {
                if item.is_empty() && !required {
                    continue;
                }
                let record = check_item(definition, &raw, section, None, item, &mut errors);
                sections.insert(section.id, SectionValues::Once(record));
            }
            RawSection::Many(items) => {
                if items.is_empty() {
                    if required {
                        errors.add(section.id, "err-required");
                    }
                    continue;
                }
                let records = items
                    .iter()
                    .map(|(i, item)| check_item(definition, &raw, section, Some(*i), item, &mut errors))
                    .collect();
                sections.insert(section.id, SectionValues::Many(records));
            }
        }
    }

    if errors.is_empty() { Ok(ValidatedAnswers { definition, sections }) } else { Err(errors) }
}

/// The non-blank raw values of one section item, by field id.
type RawItem<'a> = BTreeMap<&'static str, &'a str>;

enum RawSection<'a> {
    Once(RawItem<'a>),
    Many(BTreeMap<usize, RawItem<'a>>),
}

enum Located {
    Field { position: usize, index: Option<usize>, field: &'static Field },
    Refused { path: &'static str, code: &'static str },
}

/// Finds the field a key names, or the reason it is refused.
fn locate(definition: &FormDefinition, key: &str) -> Located {
    let unknown = |path| Located::Refused { path, code: "err-unknown-field" };
    let (container, field_id) = key.split_once('.').unwrap_or((key, ""));
    let (section_id, index) = match container.split_once('[') {
        Some((section_id, rest)) => (section_id, Some(rest)),
        None => (container, None),
    };
    let Some((position, section)) = definition.sections.iter().enumerate().find(|(_, s)| s.id == section_id) else {
        return unknown(FORM_PATH);
    };
    let index = match (section.repeat, index) {
        (Repeat::Once, None) => None,
        (Repeat::Many { max }, Some(rest)) => match parse_index(rest) {
            Some(i) if i < usize::from(max) => Some(i),
            Some(_) => return Located::Refused { path: section.id, code: "err-too-many-items" },
            None => return unknown(section.id),
        },
        _ => return unknown(section.id),
    };
    if let Some(field) = section.field(field_id) {
        if let Some(role) = section.person_role
            && !field.is_allowed_for(role)
        {
            return Located::Refused {
                path: path(section.id, index, Some(field.id)),
                code: "err-field-not-allowed-for-role",
            };
        }
        return Located::Field { position, index, field };
    }
    if let Some(role) = section.person_role
        && let Some((id, pf)) = person_field_named(field_id)
        && !is_allowed(role, pf)
    {
        return Located::Refused { path: path(section.id, index, Some(id)), code: "err-field-not-allowed-for-role" };
    }
    unknown(path(section.id, index, None))
}

/// `3]` → 3; no sign, no leading zero, at most three digits.
fn parse_index(rest: &str) -> Option<usize> {
    let digits = rest.strip_suffix(']')?;
    let canonical = !digits.is_empty()
        && digits.len() <= 3
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if canonical { digits.parse().ok() } else { None }
}

/// The art. 9c item a field id stands for, in any role's section of any definition, with the id as a static string.
fn person_field_named(id: &str) -> Option<(&'static str, PersonField)> {
    if let Some(pf) = PersonField::ALL.into_iter().find(|pf| pf.as_str() == id) {
        return Some((pf.as_str(), pf));
    }
    all_definitions()
        .iter()
        .flat_map(|d| d.sections.iter())
        .flat_map(|s| s.fields.iter())
        .find_map(|f| if f.id == id { f.person_field.map(|pf| (f.id, pf)) } else { None })
}

/// Reads one item's raw values and checks the required ones.
fn check_item(
    definition: &FormDefinition,
    raw: &[RawSection<'_>],
    section: &'static Section,
    index: Option<usize>,
    item: &RawItem<'_>,
    errors: &mut FieldErrors,
) -> Record {
    let context = Context { definition, raw, item: Some((section.id, item)) };
    let mut record = Record::new();
    for field in section.fields {
        match item.get(field.id) {
            Some(value) => match parse_value(&field.field_type, value) {
                Ok(value) => {
                    record.insert(field.id, value);
                }
                Err(code) => errors.add(path(section.id, index, Some(field.id)), code),
            },
            None => {
                if context.requires(&field.required) {
                    errors.add(path(section.id, index, Some(field.id)), "err-required");
                }
            }
        }
    }
    record
}

/// What a condition can see: the sections that are not repeated, and the item being checked.
struct Context<'c, 'a> {
    definition: &'c FormDefinition,
    raw: &'c [RawSection<'a>],
    item: Option<(&'static str, &'c RawItem<'a>)>,
}

impl Context<'_, '_> {
    fn requires(&self, requirement: &Requirement) -> bool {
        match requirement {
            Requirement::Always => true,
            Requirement::Never => false,
            Requirement::When(condition) => self.holds(condition),
        }
    }

    fn holds(&self, condition: &Condition) -> bool {
        match condition {
            Condition::FieldIsTrue { field } => self.value(field).is_some_and(|(_, raw)| parse_bool(raw) == Ok(true)),
            Condition::FieldEquals { field, value } => self.value(field).is_some_and(|(f, raw)| match f.field_type {
                FieldType::MultiChoice(_) => raw.split(',').any(|v| v.trim() == *value),
                _ => raw == *value,
            }),
            Condition::AnyOf(conditions) => conditions.iter().any(|c| self.holds(c)),
        }
    }

    fn value(&self, reference: &FieldRef) -> Option<(&'static Field, &str)> {
        let field = self.definition.field(reference.section, reference.field)?;
        if let Some((section, item)) = self.item
            && section == reference.section
        {
            return item.get(reference.field).map(|raw| (field, *raw));
        }
        let position = self.definition.sections.iter().position(|s| s.id == reference.section)?;
        match self.raw.get(position)? {
            RawSection::Once(item) => item.get(reference.field).map(|raw| (field, *raw)),
            RawSection::Many(_) => None,
        }
    }
}

/// Reads a non-blank, trimmed raw value by its field's type.
fn parse_value(field_type: &FieldType, raw: &str) -> Result<Value, &'static str> {
    match field_type {
        FieldType::Text { max } => parse_text(raw, *max, false).map(Value::Text),
        FieldType::LongText { max } => parse_text(raw, *max, true).map(Value::Text),
        FieldType::Date => crate::parse::date(raw).map(Value::Date),
        FieldType::DateTime => crate::parse::date_time(raw).map(Value::DateTime),
        FieldType::Bool => parse_bool(raw).map(Value::Bool),
        FieldType::Number { min, max } => {
            let n: i64 = raw.parse().map_err(|_| "err-number-format")?;
            if (*min..=*max).contains(&n) { Ok(Value::Number(n)) } else { Err("err-number-range") }
        }
        FieldType::Choice(options) => {
            options.iter().find(|o| o.value == raw).map(|o| Value::Choice(o.value)).ok_or("err-choice-unknown")
        }
        FieldType::MultiChoice(options) => {
            let given: BTreeSet<&str> = raw.split(',').map(str::trim).filter(|v| !v.is_empty()).collect();
            if given.is_empty() || given.iter().any(|v| !options.iter().any(|o| o.value == *v)) {
                return Err("err-choice-unknown");
            }
            Ok(Value::MultiChoice(options.iter().filter(|o| given.contains(o.value)).map(|o| o.value).collect()))
        }
        FieldType::Pesel => Pesel::parse(raw).map(Value::Pesel),
        FieldType::Phone => parse_phone(raw).map(Value::Phone),
        FieldType::Email => parse_email(raw).map(Value::Email),
        FieldType::Owner => PlanOwner::parse(raw, super::options::LINE_MAX).map(Value::Owner),
    }
}

/// Text in Unicode NFC; one line unless `multiline`; at most `max` characters.
fn parse_text(raw: &str, max: u16, multiline: bool) -> Result<String, &'static str> {
    let mut s: String = raw.nfc().collect();
    if multiline {
        s = s.replace("\r\n", "\n");
    }
    if s.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\t'))) {
        return Err("err-control-chars");
    }
    if s.chars().count() > usize::from(max) {
        return Err("err-too-long");
    }
    Ok(s)
}

fn parse_bool(raw: &str) -> Result<bool, &'static str> {
    match raw.to_lowercase().as_str() {
        "true" | "on" | "yes" | "tak" | "1" => Ok(true),
        "false" | "off" | "no" | "nie" | "0" => Ok(false),
        _ => Err("err-bool-format"),
    }
}

/// Digits, spaces, plus, hyphens and brackets, at least one digit, at most 32 characters (as for accounts).
fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if raw.len() > 32 || !allowed || !raw.chars().any(|c| c.is_ascii_digit()) {
        return Err("err-phone-format");
    }
    Ok(raw.to_owned())
}

/// The plausible form `local@domain.tld`, at most 254 characters (as for accounts).
fn parse_email(raw: &str) -> Result<String, &'static str> {
    let plausible = match raw.split('@').collect::<Vec<_>>().as_slice() {
        [local, domain] => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        }
        _ => false,
    };
    if raw.len() > 254 || !plausible || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("err-email-format");
    }
    Ok(raw.to_owned())
}

/// The path of a field (`section.field`, `section[2].field`) or of an item (`section[2]`), as the `&'static str` a
/// [`crate::FieldError`] holds.
///
/// Paths are built only from a definition's static ids and an index below the section's maximum (at most 255), so
/// the set of distinct paths is finite and small (a few thousand over all definitions); each is allocated once and
/// kept for the life of the process. A key typed by a client is never interned: an unknown key is reported under its
/// known container.
pub(crate) fn path(section: &'static str, index: Option<usize>, field: Option<&'static str>) -> &'static str {
    match (index, field) {
        (None, None) => section,
        (None, Some(field)) => intern(format!("{section}.{field}")),
        (Some(i), None) => intern(format!("{section}[{i}]")),
        (Some(i), Some(field)) => intern(format!("{section}[{i}].{field}")),
    }
}

fn intern(path: String) -> &'static str {
    static PATHS: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut paths = PATHS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = paths.get(path.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(path.into_boxed_str());
    paths.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn form_dates_use_the_one_parser_and_name_a_day_that_does_not_exist() {
        assert_eq!(parse_value(&FieldType::Date, "14.03.2025"), Ok(Value::Date(date(2025, 3, 14))));
        assert_eq!(parse_value(&FieldType::Date, "31.02.1985"), Err("err-date-not-exist"));
        assert_eq!(parse_value(&FieldType::Date, "14/03/2025"), Err("err-date-format"));
        let at = date(2025, 3, 14).at(21, 40, 0, 0);
        assert_eq!(parse_value(&FieldType::DateTime, "14.03.2025 21:40"), Ok(Value::DateTime(at)));
        assert_eq!(parse_value(&FieldType::DateTime, "2025-02-30T10:00"), Err("err-date-not-exist"));
        assert_eq!(parse_value(&FieldType::DateTime, "2025-03-14"), Err("err-datetime-format"));
    }

    #[test]
    fn an_index_is_a_plain_decimal() {
        assert_eq!(parse_index("0]"), Some(0));
        assert_eq!(parse_index("12]"), Some(12));
        for bad in ["]", "01]", "-1]", "+1]", "1", "1]]", "1000]", " 1]"] {
            assert_eq!(parse_index(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_path_is_allocated_once() {
        let first = path("witnesses", Some(3), Some("last_name"));
        let second = path("witnesses", Some(3), Some("last_name"));
        assert_eq!(first, "witnesses[3].last_name");
        assert!(std::ptr::eq(first, second));
        assert_eq!(path("header", None, None), "header");
        assert_eq!(path("witnesses", Some(3), None), "witnesses[3]");
    }
}
