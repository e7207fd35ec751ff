//! English words for the form definitions, for the English interface only: the official forms are Polish (the
//! regulation's annexes), so the definitions, the validation, the stored answers and every PDF stay Polish. A
//! person working in English reads the parts and questions in English; the options and hints are still Polish.
//!
//! Kept beside the definitions and keyed by their stable ids, not by the Polish words, so a change of a Polish label
//! does not lose its English one; form A (2023) is covered in full (the test below fails on a part or field without
//! English). Other forms fall back to Polish.

use super::{FormKind, FormVersion};

/// Fields whose English is the same in every section of form A (the person's particulars).
const FORM_A_COMMON: &[(&str, &str)] = &[
    ("first_name", "First name"),
    ("last_name", "Surname"),
    ("pesel", "PESEL number"),
    ("parents_first_names", "Parents' first names"),
    ("birth_date", "Date of birth"),
    ("sex", "Sex"),
    ("residence_address", "Address of residence"),
    ("stay_address", "Address where the person stays"),
    ("phone", "Telephone number"),
    ("email", "E-mail address"),
    ("occupation", "Occupation, workplace or source of income"),
];

/// Form A (2023): each part's title by its section id.
const FORM_A_SECTIONS: &[(&str, &str)] = &[
    ("header", "Heading"),
    ("affected_persons", "Persons experiencing domestic violence"),
    ("suspected_persons", "Persons using domestic violence"),
    ("report", "About the report"),
    ("reporter", "Person who reported"),
    ("violence", "Forms of domestic violence"),
    ("injuries", "Injuries"),
    ("household", "Children and other persons in the shared household"),
    ("children", "Children in the shared household"),
    ("household_members", "Other persons in the shared household"),
    ("substances", "Alcohol and other substances"),
    ("firearm", "Firearm"),
    ("safety", "Sense of safety of the person experiencing domestic violence"),
    ("witnesses", "Witnesses of domestic violence"),
    ("earlier_measures", "Earlier interventions and measures applied"),
    ("actions_taken", "Actions taken"),
    ("additional_information", "Additional information"),
    ("filled_by", "Person filling in the form"),
    ("receipt", "Received by the chair of the interdisciplinary team"),
];

/// Form A (2023): the fields that are not the person's particulars, by `section.field`.
const FORM_A_FIELDS: &[(&str, &str)] = &[
    ("header.place", "Place"),
    ("header.filled_at", "Date and time the form was filled in"),
    ("affected_persons.is_minor", "Minor"),
    ("affected_persons.is_elderly", "Older person"),
    ("affected_persons.has_disability", "Person with a disability"),
    ("affected_persons.is_unable_to_cope", "Person unable to cope because of age or mental or physical condition"),
    ("affected_persons.forms_experienced", "Forms of domestic violence this person experiences"),
    ("suspected_persons.is_soldier", "Soldier in active military service"),
    ("suspected_persons.kinship", "Relation to the person experiencing domestic violence"),
    ("suspected_persons.kinship_other", "Relation: other (which)"),
    ("suspected_persons.present_at_opening", "Was the person present when the form was filled in"),
    ("report.reported_by", "Who reported the suspicion of domestic violence"),
    ("violence.incident_at", "Date and time of the incident"),
    ("violence.forms", "Forms of domestic violence"),
    ("violence.other_what", "Other forms (which)"),
    ("violence.description", "Description of the incident"),
    ("injuries.injuries", "Were injuries found"),
    ("injuries.description", "Description of the injuries"),
    ("household.children_present", "Do children live in the household of the person using violence"),
    ("household.other_members_present", "Do other persons live in the household"),
    ("children.kinship", "Kinship with the person using domestic violence"),
    ("children.school_and_class", "School and class"),
    ("household_members.kinship", "Kinship with the person using domestic violence"),
    ("substances.alcohol", "Does the person using domestic violence abuse alcohol"),
    (
        "substances.drugs",
        "Does the person using domestic violence abuse narcotics, psychotropic substances or medicines",
    ),
    (
        "substances.under_influence",
        "Was the person using domestic violence under the influence of alcohol or other substances at the time",
    ),
    ("substances.notes", "Notes (when there are several persons using violence, whom the answers concern)"),
    ("firearm.has_firearm", "Does the person using domestic violence hold a firearm"),
    ("firearm.details", "What weapon, who holds it and where it is"),
    ("safety.sense_of_safety", "Sense of safety"),
    ("safety.notes", "Notes"),
    ("earlier_measures.measures", "Earlier interventions and measures"),
    ("earlier_measures.court_proceedings_kind", "What court proceedings"),
    ("earlier_measures.other_what", "Other (which)"),
    ("actions_taken.actions", "Actions taken"),
    ("actions_taken.other_what", "Other actions (which)"),
    ("actions_taken.details", "Description of the actions taken"),
    ("additional_information.additional_information", "Additional information"),
    ("filled_by.category", "Person filling in the form"),
    ("filled_by.position", "Position or function"),
    ("filled_by.institution", "Name and address of the body"),
    ("receipt.received_on", "Date the form reached the chair of the interdisciplinary team"),
];

fn is_form_a_2023(kind: FormKind, version: FormVersion) -> bool {
    kind == FormKind::A && version == FormVersion::V2023
}

fn find(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == key).map(|(_, en)| *en)
}

/// The English title of a part (section) of a form, where the form has English words.
pub fn section_title_en(kind: FormKind, version: FormVersion, section: &str) -> Option<&'static str> {
    if !is_form_a_2023(kind, version) {
        return None;
    }
    find(FORM_A_SECTIONS, section)
}

/// The English label of a field of a form, where the form has English words.
pub fn field_label_en(kind: FormKind, version: FormVersion, section: &str, field: &str) -> Option<&'static str> {
    if !is_form_a_2023(kind, version) {
        return None;
    }
    find(FORM_A_FIELDS, &format!("{section}.{field}")).or_else(|| find(FORM_A_COMMON, field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::definition;

    #[test]
    fn every_part_and_field_of_form_a_2023_has_english_words() {
        let def = definition(FormKind::A, FormVersion::V2023).unwrap();
        let mut missing = Vec::new();
        for section in def.sections {
            if section_title_en(def.kind, def.version, section.id).is_none() {
                missing.push(section.id.to_owned());
            }
            for field in section.fields {
                if field_label_en(def.kind, def.version, section.id, field.id).is_none() {
                    missing.push(format!("{}.{}", section.id, field.id));
                }
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:?}");
    }

    #[test]
    fn every_english_entry_names_a_part_or_field_that_exists() {
        let def = definition(FormKind::A, FormVersion::V2023).unwrap();
        for (path, _) in FORM_A_FIELDS {
            let (section, field) = path.split_once('.').unwrap();
            assert!(def.section(section).and_then(|s| s.field(field)).is_some(), "{path} is no field of form A");
        }
        for (section, _) in FORM_A_SECTIONS {
            assert!(def.section(section).is_some(), "{section} is no part of form A");
        }
    }

    #[test]
    fn other_forms_keep_their_polish_words() {
        assert_eq!(section_title_en(FormKind::A, FormVersion::V2011, "header"), None);
        assert_eq!(field_label_en(FormKind::C, FormVersion::V2023, "header", "date"), None);
    }
}
