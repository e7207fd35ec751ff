use std::collections::BTreeSet;

use proptest::prelude::*;

use super::validate::FORM_PATH;
use super::*;
use crate::person::{PersonField, PersonRole};

// ---------------------------------------------------------------------------------------------------------------
// Checks over every definition
// ---------------------------------------------------------------------------------------------------------------

fn is_snake_case_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !s.starts_with('_')
        && !s.ends_with('_')
}

fn every_field() -> impl Iterator<Item = (&'static FormDefinition, &'static Section, &'static Field)> {
    all_definitions().iter().flat_map(|d| d.sections.iter().flat_map(move |s| s.fields.iter().map(move |f| (*d, s, f))))
}

#[test]
fn there_is_one_definition_per_form_and_version_and_each_is_found() {
    assert_eq!(all_definitions().len(), 8);
    for kind in FormKind::ALL {
        for version in FormVersion::ALL {
            let def = definition(kind, version).unwrap();
            assert_eq!((def.kind, def.version), (kind, version));
            assert_eq!(all_definitions().iter().filter(|d| d.kind == kind && d.version == version).count(), 1);
        }
    }
    assert_eq!(FormVersion::CURRENT, FormVersion::V2023);
}

#[test]
fn section_ids_are_unique_in_a_definition_and_field_ids_unique_in_their_section() {
    for def in all_definitions() {
        let mut sections = BTreeSet::new();
        for section in def.sections {
            assert!(sections.insert(section.id), "{:?} {:?}: section {} twice", def.kind, def.version, section.id);
            let mut fields = BTreeSet::new();
            for field in section.fields {
                assert!(fields.insert(field.id), "{:?} {:?}: {}.{} twice", def.kind, def.version, section.id, field.id);
            }
        }
    }
}

#[test]
fn ids_and_option_values_are_stable_snake_case_and_options_are_unique() {
    for def in all_definitions() {
        for section in def.sections {
            assert!(is_snake_case_id(section.id), "section id {}", section.id);
            assert!(!section.title_pl.is_empty());
        }
    }
    for (def, section, field) in every_field() {
        let at = format!("{:?} {:?} {}.{}", def.kind, def.version, section.id, field.id);
        assert!(is_snake_case_id(field.id), "{at}");
        assert!(!field.label_pl.is_empty(), "{at}");
        let options = field.field_type.options();
        if matches!(field.field_type, FieldType::Choice(_) | FieldType::MultiChoice(_)) {
            assert!(!options.is_empty(), "{at}: a choice without options");
        }
        let values: BTreeSet<&str> = options.iter().map(|o| o.value).collect();
        assert_eq!(values.len(), options.len(), "{at}: an option value twice");
        for option in options {
            assert!(is_snake_case_id(option.value), "{at}: option {}", option.value);
            assert!(!option.label_pl.is_empty(), "{at}: option {}", option.value);
        }
    }
}

fn is_clean_text(s: &str) -> bool {
    !s.is_empty() && s.trim() == s && !s.contains("  ") && !s.contains('\n')
}

#[test]
fn every_text_shown_to_a_user_is_clean() {
    for def in all_definitions() {
        let texts = [def.title_pl, def.legal_basis].into_iter().chain(def.sections.iter().flat_map(|s| {
            std::iter::once(s.title_pl).chain(s.text_pl.iter().copied()).chain(s.fields.iter().flat_map(|f| {
                [f.label_pl].into_iter().chain(f.hint_pl).chain(f.field_type.options().iter().map(|o| o.label_pl))
            }))
        }));
        for text in texts {
            assert!(is_clean_text(text), "{:?} {:?}: {text:?}", def.kind, def.version);
        }
    }
}

#[test]
fn limits_are_positive_and_ranges_not_empty() {
    for (def, section, field) in every_field() {
        let at = format!("{:?} {:?} {}.{}", def.kind, def.version, section.id, field.id);
        match field.field_type {
            FieldType::Text { max } | FieldType::LongText { max } => assert!(max > 0, "{at}"),
            FieldType::Number { min, max } => assert!(min <= max, "{at}"),
            _ => {}
        }
    }
    for def in all_definitions() {
        for section in def.sections {
            if let Repeat::Many { max } = section.repeat {
                assert!(max > 0, "{}", section.id);
            }
        }
    }
}

/// Every condition must name a field that exists, in a section that is not repeated or in the same repeated
/// section (the same item); an equality must name one of the choice's options and "is true" a yes/no field.
fn check_condition(def: &FormDefinition, owner: Option<&Section>, condition: &Condition, at: &str) {
    match condition {
        Condition::AnyOf(conditions) => {
            assert!(!conditions.is_empty(), "{at}: empty AnyOf");
            for c in *conditions {
                check_condition(def, owner, c, at);
            }
        }
        Condition::FieldEquals { field, value } => {
            let target = resolve(def, owner, field, at);
            let options = target.field_type.options();
            assert!(options.iter().any(|o| o.value == *value), "{at}: {value} is no option of {}", target.id);
        }
        Condition::FieldIsTrue { field } => {
            let target = resolve(def, owner, field, at);
            assert_eq!(target.field_type, FieldType::Bool, "{at}: {} is not yes/no", target.id);
        }
    }
}

fn resolve(def: &FormDefinition, owner: Option<&Section>, reference: &FieldRef, at: &str) -> &'static Field {
    let section = def.section(reference.section).unwrap_or_else(|| panic!("{at}: no section {}", reference.section));
    let field = section.field(reference.field).unwrap_or_else(|| panic!("{at}: no field {reference:?}"));
    let same_item = owner.is_some_and(|o| o.id == section.id);
    assert!(!section.is_repeated() || same_item, "{at}: {reference:?} is in another repeated section");
    field
}

#[test]
fn every_required_when_condition_refers_to_a_field_that_exists() {
    let mut conditions = 0;
    for def in all_definitions() {
        for section in def.sections {
            if let Requirement::When(condition) = &section.required {
                conditions += 1;
                check_condition(
                    def,
                    None,
                    condition,
                    &format!("{:?} {:?} section {}", def.kind, def.version, section.id),
                );
            }
            for field in section.fields {
                if let Requirement::When(condition) = &field.required {
                    conditions += 1;
                    let at = format!("{:?} {:?} {}.{}", def.kind, def.version, section.id, field.id);
                    check_condition(def, Some(section), condition, &at);
                    assert!(condition.fields().iter().all(|r| r.field != field.id || r.section != section.id), "{at}");
                }
            }
        }
    }
    assert!(conditions >= 10, "the definitions should use conditions: {conditions}");
}

#[test]
fn no_definition_allows_a_pesel_for_a_witness_or_a_reporter() {
    let mut pesel_fields = 0;
    for (def, section, field) in every_field() {
        let at = format!("{:?} {:?} {}.{}", def.kind, def.version, section.id, field.id);
        let is_pesel = field.field_type == FieldType::Pesel || field.person_field == Some(PersonField::Pesel);
        if is_pesel {
            pesel_fields += 1;
            assert_eq!(field.field_type, FieldType::Pesel, "{at}");
            assert_eq!(field.person_field, Some(PersonField::Pesel), "{at}");
            assert!(!field.is_allowed_for(PersonRole::Witness) && !field.is_allowed_for(PersonRole::Reporter), "{at}");
            let role = section.person_role.unwrap_or_else(|| panic!("{at}: a PESEL outside a person's section"));
            assert!(!matches!(role, PersonRole::Witness | PersonRole::Reporter), "{at}");
        }
    }
    assert!(pesel_fields >= 5, "the 2023 forms carry PESEL fields: {pesel_fields}");
}

#[test]
fn every_field_of_a_persons_section_is_allowed_for_that_role_by_art_9c() {
    for (def, section, field) in every_field() {
        let Some(role) = section.person_role else { continue };
        let at = format!("{:?} {:?} {}.{} ({role})", def.kind, def.version, section.id, field.id);
        assert!(field.is_allowed_for(role), "{at}");
        assert!(field.allowed_for().contains(&role), "{at}");
        if field.personal_data {
            assert!(field.person_field.is_some(), "{at}: personal data must name its art. 9c item");
        }
    }
}

#[test]
fn free_text_and_identifiers_are_personal_data() {
    for (def, section, field) in every_field() {
        let at = format!("{:?} {:?} {}.{}", def.kind, def.version, section.id, field.id);
        if matches!(
            field.field_type,
            FieldType::LongText { .. } | FieldType::Pesel | FieldType::Phone | FieldType::Email
        ) {
            assert!(field.personal_data, "{at}");
        }
        if matches!(field.person_field, Some(PersonField::FirstName | PersonField::LastName | PersonField::Pesel)) {
            assert!(field.personal_data, "{at}");
        }
    }
}

#[test]
fn the_2011_forms_are_read_from_the_regulation_and_no_2023_item_claims_more_than_a_secondary_source() {
    for def in all_definitions() {
        for section in def.sections {
            let marks = std::iter::once(section.confidence).chain(section.fields.iter().map(|f| f.confidence));
            for mark in marks {
                match def.version {
                    FormVersion::V2011 => assert_eq!(mark, Confidence::Primary, "{:?} {}", def.kind, section.id),
                    FormVersion::V2023 => assert_ne!(mark, Confidence::Primary, "{:?} {}", def.kind, section.id),
                }
            }
        }
    }
    assert_eq!(Confidence::Unconfirmed.mark(), "[U]");
}

#[test]
fn form_b_is_a_leaflet_of_text_and_the_other_forms_take_answers() {
    for def in all_definitions() {
        if def.kind == FormKind::B {
            assert!(def.is_leaflet());
            assert!(def.sections.iter().all(|s| !s.text_pl.is_empty()));
        } else {
            assert!(def.field_count() > 20, "{:?} {:?}: {}", def.kind, def.version, def.field_count());
        }
    }
}

#[test]
fn plan_institutions_are_the_tenants_institution_kinds() {
    for option in options::PLAN_INSTITUTIONS {
        assert!(crate::tenant::InstitutionKind::parse(option.value).is_ok(), "{}", option.value);
    }
    for option in options::SEX {
        assert!(crate::person::Sex::parse(option.value).is_ok(), "{}", option.value);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

/// A valid PESEL from its first ten digits.
pub(crate) fn pesel(first_ten: &str) -> String {
    crate::person::pesel::complete(first_ten).unwrap()
}

fn a2023() -> &'static FormDefinition {
    definition(FormKind::A, FormVersion::V2023).unwrap()
}

fn a2011() -> &'static FormDefinition {
    definition(FormKind::A, FormVersion::V2011).unwrap()
}

/// A police officer's form A after an evening intervention: a wife and a daughter who witnessed it, the husband,
/// a neighbour who called the police.
pub(crate) fn filled_2023_form_a() -> Answers {
    [
        ("header.place", "Jasło"),
        ("header.filled_at", "2025-03-14T21:40"),
        ("affected_persons[0].first_name", "Anna"),
        ("affected_persons[0].last_name", "Kowalska"),
        ("affected_persons[0].pesel", &pesel("8503120840")),
        ("affected_persons[0].birth_date", "1985-03-12"),
        ("affected_persons[0].sex", "female"),
        ("affected_persons[0].residence_address", "ul. Kościuszki 5/3, 38-200 Jasło"),
        ("affected_persons[0].phone", "+48 600 100 200"),
        ("affected_persons[0].forms_experienced", "physical,economic,psychological"),
        ("affected_persons[1].first_name", "Zofia"),
        ("affected_persons[1].last_name", "Kowalska"),
        ("affected_persons[1].birth_date", "01.06.2015"),
        ("affected_persons[1].is_minor", "on"),
        ("affected_persons[1].forms_experienced", "psychological"),
        ("suspected_persons[0].first_name", "Jan"),
        ("suspected_persons[0].last_name", "Kowalski"),
        ("suspected_persons[0].pesel", &pesel("8301050571")),
        ("suspected_persons[0].sex", "male"),
        ("suspected_persons[0].kinship", "spouse"),
        ("suspected_persons[0].occupation", "kierowca"),
        ("report.reported_by", "witness"),
        ("reporter.first_name", "Maria"),
        ("reporter.last_name", "Nowak"),
        ("reporter.residence_address", "ul. Kościuszki 5/4, 38-200 Jasło"),
        ("reporter.phone", "600 300 400"),
        ("violence.forms", "physical,psychological,economic"),
        ("violence.incident_at", "14.03.2025 20:15"),
        ("violence.description", "Awantura po powrocie męża do domu.\nUderzył żonę, zabrał jej kartę płatniczą."),
        ("injuries.injuries", "yes"),
        ("injuries.description", "Zasinienie lewego przedramienia."),
        ("household.children_present", "true"),
        ("household.other_members_present", "false"),
        ("children[0].first_name", "Zofia"),
        ("children[0].last_name", "Kowalska"),
        ("children[0].birth_date", "2015-06-01"),
        ("children[0].school_and_class", "Szkoła Podstawowa nr 3 w Jaśle, klasa 4b"),
        ("substances.alcohol", "yes"),
        ("substances.drugs", "not_established"),
        ("firearm.has_firearm", "no"),
        ("safety.sense_of_safety", "unsafe"),
        ("witnesses[0].first_name", "Maria"),
        ("witnesses[0].last_name", "Nowak"),
        ("witnesses[0].residence_address", "ul. Kościuszki 5/4, 38-200 Jasło"),
        ("actions_taken.actions", "police_notified,form_b_handed"),
        ("filled_by.category", "police"),
        ("filled_by.first_name", "Piotr"),
        ("filled_by.last_name", "Wiśniewski"),
        ("filled_by.position", "dzielnicowy"),
        ("filled_by.institution", "Komenda Powiatowa Policji w Jaśle"),
    ]
    .into_iter()
    .collect()
}

fn errors_of(def: &'static FormDefinition, answers: &Answers) -> crate::FieldErrors {
    validate(def, answers).expect_err("the answers should be refused")
}

#[test]
fn a_realistic_2023_form_a_validates_into_typed_answers() {
    let valid = validate(a2023(), &filled_2023_form_a()).unwrap();
    assert_eq!(valid.definition().kind, FormKind::A);
    assert_eq!(valid.items("affected_persons").len(), 2);
    assert_eq!(valid.items("suspected_persons").len(), 1);
    assert_eq!(valid.items("children").len(), 1);
    assert!(valid.items("household_members").is_empty());
    assert_eq!(valid.get("firearm", "has_firearm"), Some(&Value::Choice("no")));
    assert_eq!(valid.get("household", "children_present"), Some(&Value::Bool(true)));
    let forms = valid.items("affected_persons").first().and_then(|p| p.get("forms_experienced"));
    assert_eq!(forms, Some(&Value::MultiChoice(vec!["physical", "psychological", "economic"])), "in option order");
    let minor = valid.items("affected_persons").get(1).unwrap();
    assert_eq!(minor.get("birth_date"), Some(&Value::Date(jiff::civil::date(2015, 6, 1))));
    assert_eq!(minor.get("is_minor"), Some(&Value::Bool(true)));
    assert_eq!(
        valid.get("violence", "incident_at"),
        Some(&Value::DateTime(jiff::civil::date(2025, 3, 14).at(20, 15, 0, 0)))
    );
    assert!(matches!(valid.items("suspected_persons").first().and_then(|p| p.get("pesel")), Some(Value::Pesel(_))));
    assert!(valid.section("earlier_measures").is_none(), "an empty optional section is absent");
}

#[test]
fn a_missing_required_field_is_reported_under_its_path() {
    let mut answers = filled_2023_form_a();
    answers.remove("affected_persons[0].last_name");
    answers.remove("filled_by.category");
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("affected_persons[0].last_name"), Some("err-required"));
    assert_eq!(errors.for_field("filled_by.category"), Some("err-required"));
    assert_eq!(errors.iter().count(), 2);
}

#[test]
fn a_date_that_does_not_exist_is_refused() {
    let mut answers = filled_2023_form_a();
    answers.insert("children[0].birth_date", "31.02.2025");
    answers.insert("affected_persons[0].birth_date", "2025-02-31");
    answers.insert("header.filled_at", "2025-03-14T25:00");
    let errors = errors_of(a2023(), &answers);
    // The shape was right, so the message names the missing day rather than the format (ux.md).
    assert_eq!(errors.for_field("children[0].birth_date"), Some("err-date-not-exist"));
    assert_eq!(errors.for_field("affected_persons[0].birth_date"), Some("err-date-not-exist"));
    assert_eq!(errors.for_field("header.filled_at"), Some("err-date-not-exist"));
}

#[test]
fn a_value_outside_the_options_is_refused() {
    let mut answers = filled_2023_form_a();
    answers.insert("firearm.has_firearm", "maybe");
    answers.insert("violence.forms", "physical,telepathic");
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("firearm.has_firearm"), Some("err-choice-unknown"));
    assert_eq!(errors.for_field("violence.forms"), Some("err-choice-unknown"));
}

#[test]
fn a_pesel_for_a_witness_or_a_reporter_is_refused_as_not_allowed_for_the_role() {
    let mut answers = filled_2023_form_a();
    answers.insert("witnesses[0].pesel", pesel("7001010010"));
    answers.insert("reporter.pesel", pesel("7001010010"));
    answers.insert("witnesses[0].health", "zdrowa");
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("witnesses[0].pesel"), Some("err-field-not-allowed-for-role"));
    assert_eq!(errors.for_field("reporter.pesel"), Some("err-field-not-allowed-for-role"));
    assert_eq!(errors.for_field("witnesses[0].health"), Some("err-field-not-allowed-for-role"));

    let mut old = filled_2011_form_a();
    old.insert("witnesses[0].first_name", "Maria");
    old.insert("witnesses[0].last_name", "Nowak");
    old.insert("witnesses[0].stay_town", "Krosno");
    assert_eq!(errors_of(a2011(), &old).for_field("witnesses[0].stay_town"), Some("err-field-not-allowed-for-role"));
}

#[test]
fn an_unknown_field_is_refused_never_dropped() {
    let cases = [
        ("header.favourite_colour", "header"),
        ("affected_persons[0].shoe_size", "affected_persons[0]"),
        ("affected_persons.last_name", "affected_persons"),
        ("affected_persons[01].last_name", "affected_persons"),
        ("header[0].place", "header"),
        ("spaceship.engine", FORM_PATH),
        ("no_dot_at_all", FORM_PATH),
        ("", FORM_PATH),
    ];
    for (key, reported_under) in cases {
        let mut answers = filled_2023_form_a();
        answers.insert(key, "x");
        let errors = errors_of(a2023(), &answers);
        assert_eq!(errors.for_field(reported_under), Some("err-unknown-field"), "{key}");
        assert_eq!(errors.iter().count(), 1, "{key}");
    }
    let mut answers = filled_2023_form_a();
    answers.insert("header.favourite_colour", "");
    assert_eq!(errors_of(a2023(), &answers).for_field("header"), Some("err-unknown-field"), "even when blank");
}

#[test]
fn an_index_past_the_sections_maximum_is_refused() {
    let mut answers = filled_2023_form_a();
    answers.insert("witnesses[10].last_name", "Nowak");
    assert_eq!(errors_of(a2023(), &answers).for_field("witnesses"), Some("err-too-many-items"));
    answers.remove("witnesses[10].last_name");
    answers.insert("witnesses[9].first_name", "Ewa");
    answers.insert("witnesses[9].last_name", "Lis");
    let valid = validate(a2023(), &answers).unwrap();
    assert_eq!(valid.items("witnesses").len(), 2, "items are numbered without gaps");
}

#[test]
fn children_present_makes_the_children_section_required_and_only_then() {
    let mut answers = filled_2023_form_a();
    for key in
        ["children[0].first_name", "children[0].last_name", "children[0].birth_date", "children[0].school_and_class"]
    {
        answers.remove(key);
    }
    assert_eq!(errors_of(a2023(), &answers).for_field("children"), Some("err-required"));

    answers.insert("household.children_present", "false");
    assert!(validate(a2023(), &answers).is_ok());

    answers.insert("children[0].first_name", "Zofia");
    answers.insert("children[0].last_name", "Kowalska");
    assert!(validate(a2023(), &answers).is_ok(), "listing children is not refused when the box says none");
}

#[test]
fn a_reporter_is_required_when_a_witness_or_another_person_reported() {
    let mut answers = filled_2023_form_a();
    for key in ["reporter.first_name", "reporter.last_name", "reporter.residence_address", "reporter.phone"] {
        answers.remove(key);
    }
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("reporter.first_name"), Some("err-required"));
    assert_eq!(errors.for_field("reporter.last_name"), Some("err-required"));
    answers.insert("report.reported_by", "affected_person");
    assert!(validate(a2023(), &answers).is_ok());
}

#[test]
fn a_condition_inside_a_repeated_section_reads_the_same_item() {
    let mut answers = filled_2023_form_a();
    answers.insert("suspected_persons[0].kinship", "other");
    answers.insert("suspected_persons[1].first_name", "Tomasz");
    answers.insert("suspected_persons[1].last_name", "Kowalski");
    answers.insert("suspected_persons[1].kinship", "sibling");
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("suspected_persons[0].kinship_other"), Some("err-required"));
    assert_eq!(errors.for_field("suspected_persons[1].kinship_other"), None);
    answers.insert("suspected_persons[0].kinship_other", "szwagier");
    assert!(validate(a2023(), &answers).is_ok());
}

#[test]
fn a_condition_on_a_multi_choice_asks_whether_the_option_was_chosen() {
    let mut answers = filled_2023_form_a();
    answers.insert("violence.forms", "sexual,other");
    assert_eq!(errors_of(a2023(), &answers).for_field("violence.other_what"), Some("err-required"));
    answers.insert("violence.other_what", "zamykanie w piwnicy");
    assert!(validate(a2023(), &answers).is_ok());
}

#[test]
fn text_is_bounded_and_a_single_line_unless_long_text() {
    let mut answers = filled_2023_form_a();
    answers.insert("affected_persons[0].first_name", "A".repeat(101));
    answers.insert("filled_by.institution", "Komenda\nPowiatowa");
    answers.insert("violence.description", "Pierwsza linia.\r\nDruga linia.\tTabulator.");
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("affected_persons[0].first_name"), Some("err-too-long"));
    assert_eq!(errors.for_field("filled_by.institution"), Some("err-control-chars"));
    assert_eq!(errors.for_field("violence.description"), None);
}

#[test]
fn numbers_yes_no_answers_phones_e_mails_and_pesel_are_read_strictly() {
    let mut answers = filled_2011_form_a();
    answers.insert("household_members[0].first_name", "Stefan");
    answers.insert("household_members[0].last_name", "Kowalski");
    answers.insert("household_members[0].age", "dużo");
    answers.insert("household_members[1].first_name", "Irena");
    answers.insert("household_members[1].last_name", "Kowalska");
    answers.insert("household_members[1].age", "131");
    let errors = errors_of(a2011(), &answers);
    assert_eq!(errors.for_field("household_members[0].age"), Some("err-number-format"));
    assert_eq!(errors.for_field("household_members[1].age"), Some("err-number-range"));

    let mut answers = filled_2023_form_a();
    answers.insert("household.children_present", "maybe");
    answers.insert("affected_persons[0].phone", "zadzwoń wieczorem");
    answers.insert("affected_persons[0].email", "anna@");
    let mut bad_check_digit = pesel("8503120840");
    bad_check_digit.pop();
    bad_check_digit.push(if pesel("8503120840").ends_with('0') { '1' } else { '0' });
    answers.insert("suspected_persons[0].pesel", bad_check_digit);
    let errors = errors_of(a2023(), &answers);
    assert_eq!(errors.for_field("household.children_present"), Some("err-bool-format"));
    assert_eq!(errors.for_field("affected_persons[0].phone"), Some("err-phone-format"));
    assert_eq!(errors.for_field("affected_persons[0].email"), Some("err-email-format"));
    assert_eq!(errors.for_field("suspected_persons[0].pesel"), Some("err-pesel-checksum"));
}

#[test]
fn blank_values_count_as_not_given() {
    let mut answers = filled_2023_form_a();
    answers.insert("affected_persons[0].pesel", "   ");
    answers.insert("safety.notes", "");
    answers.insert("household_members[0].first_name", " ");
    let valid = validate(a2023(), &answers).unwrap();
    assert!(valid.items("affected_persons").first().unwrap().get("pesel").is_none());
    assert!(valid.items("household_members").is_empty(), "a blank row is no item");
    answers.insert("affected_persons[0].last_name", "  ");
    assert_eq!(errors_of(a2023(), &answers).for_field("affected_persons[0].last_name"), Some("err-required"));
}

#[test]
fn check_boxes_of_one_name_are_joined_into_a_multi_choice() {
    let mut answers = filled_2023_form_a();
    answers.remove("violence.forms");
    answers.append("violence.forms", "electronic");
    answers.append("violence.forms", "physical");
    answers.append("violence.forms", "physical");
    let valid = validate(a2023(), &answers).unwrap();
    assert_eq!(valid.get("violence", "forms"), Some(&Value::MultiChoice(vec!["physical", "electronic"])));
}

#[test]
fn the_canonical_answers_read_back_to_the_same_values() {
    let valid = validate(a2023(), &filled_2023_form_a()).unwrap();
    let canonical = valid.to_answers();
    assert_eq!(canonical.get("affected_persons[1].birth_date"), Some("2015-06-01"));
    assert_eq!(canonical.get("affected_persons[1].is_minor"), Some("true"));
    assert_eq!(canonical.get("violence.incident_at"), Some("2025-03-14T20:15:00"));
    assert_eq!(validate(a2023(), &canonical).unwrap(), valid);
}

/// The first page of an old paper form A, as a clerk types it in.
fn filled_2011_form_a() -> Answers {
    [
        ("header.place", "Krosno"),
        ("header.date", "2019-11-02"),
        ("header.institution", "Miejski Ośrodek Pomocy Społecznej w Krośnie"),
        ("affected_person.first_name", "Barbara"),
        ("affected_person.last_name", "Zając"),
        ("affected_person.residence_postcode", "38-400"),
        ("affected_person.residence_town", "Krosno"),
        ("affected_person.residence_voivodeship", "18"),
        ("report.reported_by", "affected_person"),
        ("suspected_person.first_name", "Adam"),
        ("suspected_person.last_name", "Zając"),
        ("suspected_person.kinship", "mąż"),
        ("behaviour.physical_pushing", "adults"),
        ("behaviour.psychological_threats", "adults,children"),
        ("suspect_background.alcohol_misuse", "yes"),
        ("weapon.has_weapon", "not_established"),
        ("conduct.tearful", "affected_person"),
    ]
    .into_iter()
    .collect()
}

#[test]
fn an_old_paper_form_a_of_2011_validates() {
    let valid = validate(a2011(), &filled_2011_form_a()).unwrap();
    assert_eq!(valid.get("behaviour", "psychological_threats"), Some(&Value::MultiChoice(vec!["adults", "children"])));
    assert_eq!(valid.get("affected_person", "residence_voivodeship"), Some(&Value::Choice("18")));

    let mut answers = filled_2011_form_a();
    answers.insert("report.reported_by", "other_person");
    assert_eq!(errors_of(a2011(), &answers).for_field("reporter.first_name"), Some("err-required"));
}

#[test]
fn every_form_validates_its_minimal_answers_and_refuses_empty_ones() {
    type Minimal = (FormKind, FormVersion, &'static [(&'static str, &'static str)]);
    let minimal: [Minimal; 6] = [
        (FormKind::C, FormVersion::V2011, &[("header.date", "2019-11-20")]),
        (
            FormKind::D,
            FormVersion::V2011,
            &[
                ("header.date", "2019-11-27"),
                ("suspected_person.first_name", "Adam"),
                ("suspected_person.last_name", "Zając"),
            ],
        ),
        (FormKind::C, FormVersion::V2023, &[("header.date", "2025-03-20")]),
        (
            FormKind::D,
            FormVersion::V2023,
            &[
                ("header.date", "2025-03-27"),
                ("suspected_person.first_name", "Jan"),
                ("suspected_person.last_name", "Kowalski"),
            ],
        ),
        (FormKind::B, FormVersion::V2011, &[]),
        (FormKind::B, FormVersion::V2023, &[]),
    ];
    for (kind, version, answers) in minimal {
        let def = definition(kind, version).unwrap();
        let answers: Answers = answers.iter().copied().collect();
        assert!(validate(def, &answers).is_ok(), "{kind:?} {version:?}");
        if !def.is_leaflet() {
            assert_eq!(errors_of(def, &Answers::new()).for_field("header.date"), Some("err-required"));
        }
    }
}

#[test]
fn a_support_plan_is_a_list_of_actions() {
    let c = definition(FormKind::C, FormVersion::V2023).unwrap();
    let answers: Answers = [
        ("header.date", "2025-03-20"),
        ("support_plan[0].institution", "social_welfare"),
        ("support_plan[0].action", "Praca socjalna, wizyty w środowisku co dwa tygodnie."),
        ("support_plan[0].due_date", "2025-06-30"),
        ("support_plan[1].institution", "police"),
        ("support_plan[1].action", "Wizyty sprawdzające dzielnicowego raz w tygodniu."),
        ("support_plan[1].status", "in_progress"),
        ("support_plan[2].due_date", "2025-06-30"),
    ]
    .into_iter()
    .collect();
    let errors = errors_of(c, &answers);
    assert_eq!(errors.for_field("support_plan[2].institution"), Some("err-required"));
    assert_eq!(errors.for_field("support_plan[2].action"), Some("err-required"));
    assert_eq!(errors.iter().count(), 2);
}

#[test]
fn a_leaflet_takes_no_answers() {
    let b = definition(FormKind::B, FormVersion::V2023).unwrap();
    let answers: Answers = [("your_rights.read", "true")].into_iter().collect();
    assert_eq!(errors_of(b, &answers).for_field("your_rights"), Some("err-unknown-field"));
}

#[test]
fn debug_output_shows_no_personal_values() {
    let answers = filled_2023_form_a();
    let valid = validate(a2023(), &answers).unwrap();
    let printed = format!("{answers:?} {valid:?} {:?}", valid.items("affected_persons"));
    for secret in ["Kowalska", "Kościuszki", "600 100 200", &pesel("8503120840"), "1985"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    assert!(printed.contains("affected_persons[0].last_name"), "paths are printed");
}

proptest! {
    /// Whatever a client sends, validation answers without panicking, and every error names a path the server
    /// built, never the client's text.
    #[test]
    fn validation_never_panics_and_reports_only_known_paths(
        keys in proptest::collection::vec("[a-z_]{0,12}(\\[[0-9]{1,4}\\])?(\\.[a-z_]{0,14})?", 0..12),
        values in proptest::collection::vec(".{0,40}", 12),
    ) {
        let mut answers = filled_2023_form_a();
        for (key, value) in keys.iter().zip(&values) {
            answers.insert(key.clone(), value.clone());
        }
        let def = a2023();
        if let Err(errors) = validate(def, &answers) {
            for error in errors.iter() {
                let section = error.field.split(['[', '.']).next().unwrap_or_default();
                prop_assert!(error.field == FORM_PATH || def.section(section).is_some(), "{}", error.field);
            }
        }
    }
}

#[test]
fn an_item_of_a_repeatable_section_is_found_by_its_prefix_only_when_it_has_an_answer() {
    let answers: Answers =
        [("affected_persons[0].first_name", "Anna"), ("affected_persons[10].last_name", "Nowak"), ("header.x", "1")]
            .into_iter()
            .collect();
    assert!(answers.has_under("affected_persons[0]."));
    assert!(answers.has_under("affected_persons[10]."));
    // "[1]." is not a prefix of "[10].": the dot keeps an item from matching its longer neighbours.
    assert!(!answers.has_under("affected_persons[1]."));
    assert!(!answers.has_under("suspected_persons[0]."));
    assert!(answers.has_under("header."));
    assert!(!Answers::new().has_under(""));
}
