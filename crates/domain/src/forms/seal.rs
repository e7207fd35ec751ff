//! Sealed fields (issue 20): the data a person who fled gives the team (a new address, a safe contact, the school the
//! children moved to, the shelter) can be sealed, so that only the members the group names see it.
//!
//! This module says *which* values a seal covers, as data over the form definitions:
//! - a field is sealable when the art. 9c item it records has a [`SealKind`] ([`SealKind::of`]);
//! - a seal belongs to a person of the case: a person experiencing violence or a child in the household (the
//!   sections [`holds_sealable_persons`]), recognised on every form by their normalised first and last name, so one
//!   seal covers the field on every form of the case, including forms filled after it;
//! - [`sealable_values`] lists, for one filled form, every sealable value with its path, kind and person.
//!
//! Who may see a sealed value is the store's to decide (one rule, `store::access`); the value is withheld there, and
//! everything shown in its place reads [`SEALED_TEXT_PL`].

use serde::{Deserialize, Serialize};

use super::definition::Section;
use super::validate::{SectionValues, ValidatedAnswers, Value};
use crate::person::{PersonField, PersonRole, normalise_name};

/// What is printed and shown in place of a sealed value.
pub const SEALED_TEXT_PL: &str = "zastrzeżone";

/// The kinds of data a seal covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SealKind {
    /// The address of residence (the new address after a move).
    Address,
    /// Phone, e-mail and any other way of contact.
    Contact,
    /// The school (and class) of a child, the workplace or occupation of an adult.
    SchoolOrWork,
    /// Where the person stays now: a shelter, a specialist support centre, relatives.
    Shelter,
}

impl SealKind {
    pub const ALL: [SealKind; 4] = [SealKind::Address, SealKind::Contact, SealKind::SchoolOrWork, SealKind::Shelter];

    pub fn as_str(self) -> &'static str {
        match self {
            SealKind::Address => "address",
            SealKind::Contact => "contact",
            SealKind::SchoolOrWork => "school_or_work",
            SealKind::Shelter => "shelter",
        }
    }

    pub fn parse(raw: &str) -> Result<SealKind, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("err-seal-kind-required");
        }
        SealKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or("err-seal-kind-required")
    }

    /// The kind of seal that covers the art. 9c item `field`, if any.
    pub fn of(field: PersonField) -> Option<SealKind> {
        match field {
            PersonField::ResidenceAddress => Some(SealKind::Address),
            PersonField::Phone | PersonField::Email | PersonField::OtherContact => Some(SealKind::Contact),
            // Occupation is free text that may name the workplace; a child's school is the other half.
            PersonField::SchoolAndClass | PersonField::Occupation => Some(SealKind::SchoolOrWork),
            PersonField::StayAddress => Some(SealKind::Shelter),
            _ => None,
        }
    }
}

/// Whether the persons a section records may have their fields sealed: the persons experiencing violence (a minor
/// witness is one, art. 2 ust. 2) and the children of the household (form A 2023, part VI).
pub fn holds_sealable_persons(section: &Section) -> bool {
    section.person_role == Some(PersonRole::AffectedPerson) || section.id == "children"
}

/// A person of a form whose fields may be sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct SealablePerson {
    /// First and last name as typed, for the page that chooses whom to seal.
    pub name: String,
    /// The normalised name ([`normalise_name`]) that recognises the person on every form of the case.
    pub key: String,
}

impl std::fmt::Debug for SealablePerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealablePerson([REDACTED])")
    }
}

/// One sealable value present in a filled form.
#[derive(Clone, PartialEq, Eq)]
pub struct SealableValue {
    /// The answer's path (`affected_persons[0].residence_address`), as in [`super::Answers`].
    pub path: String,
    pub kind: SealKind,
    /// The person's key ([`SealablePerson::key`]).
    pub person: String,
}

impl std::fmt::Debug for SealableValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealableValue({}, {})", self.path, self.kind.as_str())
    }
}

fn named(record: &super::Record) -> Option<SealablePerson> {
    let text = |id: &str| match record.get(id) {
        Some(Value::Text(s)) => Some(s.trim().to_owned()),
        _ => None,
    };
    let (first, last) = (text("first_name")?, text("last_name")?);
    let name = format!("{first} {last}");
    Some(SealablePerson { key: normalise_name(&name), name })
}

/// The persons of a form whose fields may be sealed, each once, in the form's order.
pub fn sealable_persons(answers: &ValidatedAnswers) -> Vec<SealablePerson> {
    let mut out: Vec<SealablePerson> = Vec::new();
    for section in answers.definition().sections.iter().filter(|s| holds_sealable_persons(s)) {
        let records: Vec<&super::Record> = match answers.section(section.id) {
            Some(SectionValues::Once(record)) => vec![record],
            Some(SectionValues::Many(items)) => items.iter().collect(),
            None => Vec::new(),
        };
        for person in records.into_iter().filter_map(named) {
            if !out.iter().any(|p| p.key == person.key) {
                out.push(person);
            }
        }
    }
    out
}

/// Every sealable value of a filled form. A section about the person experiencing violence without names of its own
/// (form C's diagnosis) belongs to the form's one named person experiencing violence; when the form names several
/// or none, such values belong to each of them, so a seal on any covers them (sealing too much is the safe side).
pub fn sealable_values(answers: &ValidatedAnswers) -> Vec<SealableValue> {
    let definition = answers.definition();
    let affected: Vec<String> = definition
        .sections
        .iter()
        .filter(|s| s.person_role == Some(PersonRole::AffectedPerson))
        .flat_map(|s| match answers.section(s.id) {
            Some(SectionValues::Once(record)) => named(record).into_iter().collect::<Vec<_>>(),
            Some(SectionValues::Many(items)) => items.iter().filter_map(named).collect(),
            None => Vec::new(),
        })
        .map(|p| p.key)
        .collect();
    let mut out = Vec::new();
    for section in definition.sections.iter().filter(|s| holds_sealable_persons(s)) {
        let records: Vec<(String, &super::Record)> = match answers.section(section.id) {
            Some(SectionValues::Once(record)) => vec![(section.id.to_owned(), record)],
            Some(SectionValues::Many(items)) => {
                items.iter().enumerate().map(|(i, r)| (format!("{}[{i}]", section.id), r)).collect()
            }
            None => Vec::new(),
        };
        for (prefix, record) in records {
            let persons = match named(record) {
                Some(person) => vec![person.key],
                None => affected.clone(),
            };
            for field in section.fields {
                let Some(kind) = field.person_field.and_then(SealKind::of) else { continue };
                if !record.contains_key(field.id) {
                    continue;
                }
                for person in &persons {
                    out.push(SealableValue { path: format!("{prefix}.{}", field.id), kind, person: person.clone() });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Answers, FormKind, FormVersion, definition, validate};

    fn form(kind: FormKind, pairs: &[(&str, &str)]) -> ValidatedAnswers {
        let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        validate(definition(kind, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn every_kind_round_trips_and_a_blank_kind_is_refused() {
        for kind in SealKind::ALL {
            assert_eq!(SealKind::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(SealKind::parse(" "), Err("err-seal-kind-required"));
        assert_eq!(SealKind::parse("pesel"), Err("err-seal-kind-required"));
    }

    #[test]
    fn the_address_contact_and_shelter_of_a_person_experiencing_violence_are_sealable_not_the_suspects() {
        let c = form(
            FormKind::C,
            &[
                ("header.date", "2026-03-10"),
                ("affected_person.first_name", "Anna"),
                ("affected_person.last_name", "Kowalska"),
                ("affected_person.residence_address", "ul. Ukryta 5, Kraków"),
                ("affected_person.stay_address", "Ośrodek Wsparcia"),
                ("affected_person.phone", "600100200"),
                ("suspected_person.first_name", "Jan"),
                ("suspected_person.last_name", "Kowalski"),
                ("suspected_person.residence_address", "ul. Stara 1"),
            ],
        );
        let values = sealable_values(&c);
        let of = |path: &str| values.iter().find(|v| v.path == path).map(|v| (v.kind, v.person.clone()));
        assert_eq!(of("affected_person.residence_address"), Some((SealKind::Address, "anna kowalska".to_owned())));
        assert_eq!(of("affected_person.stay_address").map(|v| v.0), Some(SealKind::Shelter));
        assert_eq!(of("affected_person.phone").map(|v| v.0), Some(SealKind::Contact));
        assert_eq!(of("suspected_person.residence_address"), None, "the suspect's data is not sealable");
        let persons = sealable_persons(&c);
        assert_eq!(persons.len(), 1);
        assert_eq!(persons[0].name, "Anna Kowalska");
    }
}
