//! Form A as it opens a procedure: the persons it names, checked against the person rules, and the keys by which a
//! later form A about the same people is recognised.

use jiff::civil::Date;

use crate::FieldErrors;
use crate::forms::{Record, ValidatedAnswers, Value};
use crate::person::{Person, PersonInput, PersonRole, match_keys};

/// The person sections of the 2023 form A and the role each declares.
pub const PERSON_SECTIONS: &[(&str, PersonRole)] = &[
    ("affected_persons", PersonRole::AffectedPerson),
    ("suspected_persons", PersonRole::SuspectedPerson),
    ("children", PersonRole::HouseholdMember),
    ("household_members", PersonRole::HouseholdMember),
    ("witnesses", PersonRole::Witness),
];

/// The person sections of the 2011 form A (typed in from paper for a case still running on it): one person
/// experiencing and one using violence, and the witnesses. Its household part gives ages, not birth dates, and is
/// left out of recognition.
pub const PERSON_SECTIONS_2011: &[(&str, PersonRole)] = &[
    ("affected_person", PersonRole::AffectedPerson),
    ("suspected_person", PersonRole::SuspectedPerson),
    ("witnesses", PersonRole::Witness),
];

/// The person sections of a form A of either version.
fn person_sections(answers: &ValidatedAnswers) -> &'static [(&'static str, PersonRole)] {
    match answers.definition().version {
        crate::forms::FormVersion::V2011 => PERSON_SECTIONS_2011,
        _ => PERSON_SECTIONS,
    }
}

/// The records of a section, whether it is filled once (2011: one person per part) or repeated.
fn records<'a>(answers: &'a ValidatedAnswers, section: &str) -> &'a [Record] {
    match answers.section(section) {
        Some(crate::forms::SectionValues::Once(record)) => std::slice::from_ref(record),
        Some(crate::forms::SectionValues::Many(items)) => items,
        None => &[],
    }
}

/// The days on which a 2011 form could have been filled: from REG11's entry into force (18.10.2011) to the day before
/// REG23's (28.09.2023, procedure.md §1 and §3 \[S\]). A running paper case is brought in on the form it was opened
/// on, never on a 2011 form dated after the 2023 forms replaced it.
pub const FORMS_2011_FROM: Date = jiff::civil::date(2011, 10, 18);
pub const FORMS_2011_UNTIL: Date = jiff::civil::date(2023, 9, 27);

/// Checks that a form A of `version` could have been filled on `on`: `None` when it could, else the message id.
pub fn form_a_date_fits_version(version: crate::forms::FormVersion, on: Date) -> Option<&'static str> {
    match version {
        crate::forms::FormVersion::V2011 if !(FORMS_2011_FROM..=FORMS_2011_UNTIL).contains(&on) => {
            Some("err-form-2011-date-out-of-range")
        }
        _ => None,
    }
}

/// One person named by a form A, with where the form names them.
#[derive(Debug, Clone)]
pub struct NamedPerson {
    pub section: &'static str,
    pub index: usize,
    pub person: Person,
}

fn text(record: &Record, field: &str) -> String {
    match record.get(field) {
        Some(Value::Pesel(p)) => p.as_str().to_owned(),
        Some(Value::Date(d)) => d.to_string(),
        Some(Value::Choice(c)) => (*c).to_owned(),
        Some(other) => other.to_raw(),
        None => String::new(),
    }
}

fn flag(record: &Record, field: &str) -> bool {
    matches!(record.get(field), Some(Value::Bool(true)))
}

fn input_of(record: &Record) -> PersonInput {
    PersonInput {
        first_name: text(record, "first_name"),
        last_name: text(record, "last_name"),
        pesel: text(record, "pesel"),
        birth_date: text(record, "birth_date"),
        sex: text(record, "sex"),
        residence_address: text(record, "residence_address"),
        stay_address: text(record, "stay_address"),
        phone: text(record, "phone"),
        email: text(record, "email"),
        is_minor: flag(record, "is_minor"),
        is_elderly: flag(record, "is_elderly"),
        has_disability: flag(record, "has_disability"),
        is_unable_to_cope: flag(record, "is_unable_to_cope"),
    }
}

/// The day the form was filled (its header), in Warsaw: the date the age rules are applied on.
pub fn form_date(answers: &ValidatedAnswers) -> Option<Date> {
    match answers.get("header", "filled_at") {
        Some(Value::DateTime(dt)) => Some(dt.date()),
        Some(Value::Date(d)) => Some(*d),
        // The 2011 form carries a date only.
        _ => match answers.get("header", "date") {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        },
    }
}

/// Every person the form names, each checked by [`Person::parse`] on the form's date: a suspected person must be an
/// adult (art. 2 ust. 1 pkt 3), a child witness becomes a person experiencing violence (art. 2 ust. 2), the art. 9c
/// whitelist holds. Errors carry the form path of the field at fault (`suspected_persons[0].birth_date`).
pub fn persons_of_form_a(answers: &ValidatedAnswers) -> Result<Vec<NamedPerson>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let Some(on) = form_date(answers) else {
        errors.add("header.filled_at", "err-required");
        return Err(errors);
    };
    let mut persons = Vec::new();
    for &(section, role) in person_sections(answers) {
        let many = matches!(answers.section(section), Some(crate::forms::SectionValues::Many(_)));
        for (index, record) in records(answers, section).iter().enumerate() {
            match Person::parse(&input_of(record), role, on) {
                Ok(person) => persons.push(NamedPerson { section, index, person }),
                Err(person_errors) => {
                    for e in person_errors.iter() {
                        let field = answers.definition().field(section, e.field).map(|f| f.id);
                        errors.add(crate::forms::validate::path(section, many.then_some(index), field), e.code);
                    }
                }
            }
        }
    }
    if persons.iter().all(|p| p.person.role() != PersonRole::AffectedPerson) {
        let section = person_sections(answers).first().map_or("affected_persons", |(s, _)| *s);
        errors.add(section, "err-affected-person-required");
    }
    if errors.is_empty() { Ok(persons) } else { Err(errors) }
}

/// The strings to blind-index for recognising the same people later: only the persons experiencing and using
/// violence (a witness in two cases does not make them one family).
pub fn recognition_keys(persons: &[NamedPerson]) -> Vec<String> {
    let mut keys: Vec<String> = persons
        .iter()
        .filter(|p| matches!(p.person.role(), PersonRole::AffectedPerson | PersonRole::SuspectedPerson))
        .flat_map(|p| match_keys(&p.person))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::tests::{filled_2023_form_a, pesel};
    use crate::forms::{FormKind, FormVersion, definition, validate};

    fn validated(answers: &crate::forms::Answers) -> ValidatedAnswers {
        validate(definition(FormKind::A, FormVersion::V2023).unwrap(), answers).unwrap()
    }

    #[test]
    fn a_police_form_a_names_the_wife_the_child_witness_the_husband_and_the_neighbour() {
        let persons = persons_of_form_a(&validated(&filled_2023_form_a())).unwrap();
        let roles: Vec<_> = persons.iter().map(|p| (p.section, p.person.role())).collect();
        assert!(roles.contains(&("affected_persons", PersonRole::AffectedPerson)));
        assert!(roles.contains(&("suspected_persons", PersonRole::SuspectedPerson)));
        assert!(roles.contains(&("witnesses", PersonRole::Witness)));
        // The daughter under "children" is a household member in the form; as a minor witness she is a person
        // experiencing violence in her own record under "affected_persons".
        assert_eq!(persons.iter().filter(|p| p.person.role() == PersonRole::AffectedPerson).count(), 2);
    }

    #[test]
    fn recognition_keys_cover_the_affected_and_suspected_persons_only() {
        let persons = persons_of_form_a(&validated(&filled_2023_form_a())).unwrap();
        let keys = recognition_keys(&persons);
        assert!(keys.iter().any(|k| k == &format!("pesel:{}", pesel("8301050571"))));
        assert!(keys.iter().any(|k| k.starts_with("name-dob:zofia|kowalska|2015-06-01")));
        assert!(!keys.iter().any(|k| k.contains("nowak")), "the neighbour who witnessed is not a recognition key");
    }

    #[test]
    fn a_minor_entered_as_the_suspected_person_is_refused_at_the_field() {
        let mut answers = filled_2023_form_a();
        answers.remove("suspected_persons[0].pesel");
        answers.insert("suspected_persons[0].birth_date", "2012-01-01");
        let errors = persons_of_form_a(&validated(&answers)).unwrap_err();
        assert!(errors.iter().any(|e| e.code == "err-suspected-minor"), "{errors:?}");
        assert!(errors.iter().all(|e| e.field.starts_with("suspected_persons[0]")), "{errors:?}");
    }
}
