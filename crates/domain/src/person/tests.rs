//! Tests of [`Person::parse`]: the rules of the submodules working together on one form's person.

use super::pesel::tests::pesel_for;
use super::*;
use jiff::civil::date;
use proptest::prelude::*;

const FORM_DATE: Date = date(2026, 3, 10);

fn input(first: &str, last: &str) -> PersonInput {
    PersonInput { first_name: first.into(), last_name: last.into(), ..PersonInput::default() }
}

fn with_pesel(pesel: &str) -> PersonInput {
    PersonInput { pesel: pesel.into(), ..input("Jan", "Kowalski") }
}

fn with_birth(birth: &str) -> PersonInput {
    PersonInput { birth_date: birth.into(), ..input("Anna", "Nowak") }
}

fn errors_of(result: Result<Person, FieldErrors>) -> Vec<(&'static str, &'static str)> {
    result.unwrap_err().iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn an_affected_person_takes_birth_date_and_sex_from_the_pesel() {
    let p = Person::parse(&with_pesel("44051401359"), PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert_eq!(p.role(), PersonRole::AffectedPerson);
    assert_eq!(p.full_name(), "Jan Kowalski");
    assert_eq!(p.pesel().map(Pesel::as_str), Some("44051401359"));
    assert_eq!(p.birth_date(), Some(date(1944, 5, 14)));
    assert_eq!(p.sex(), Some(Sex::Male));
    assert!(!p.is_minor());
    assert!(p.is_elderly());
}

#[test]
fn names_with_apostrophes_hyphens_and_other_scripts_are_kept_as_typed() {
    for (first, last) in [("Seán", "O'Brien"), ("Zofia", "Żółkiewska-Nowak"), ("Ірина", "Шевченко")] {
        let p = Person::parse(&input(first, last), PersonRole::Witness, FORM_DATE).unwrap();
        assert_eq!(p.full_name(), format!("{first} {last}"));
    }
}

#[test]
fn first_names_and_surname_are_required() {
    assert_eq!(
        errors_of(Person::parse(&input(" ", "Kowalski1"), PersonRole::Witness, FORM_DATE)),
        [("first_name", "err-required"), ("last_name", "err-name-chars")]
    );
}

#[test]
fn a_birth_date_typed_in_either_notation_must_agree_with_the_pesel() {
    for typed in ["1944-05-14", "14.05.1944"] {
        let agreeing = PersonInput { birth_date: typed.into(), ..with_pesel("44051401359") };
        assert!(Person::parse(&agreeing, PersonRole::SuspectedPerson, FORM_DATE).is_ok());
    }
    let disagreeing = PersonInput { birth_date: "15.05.1944".into(), ..with_pesel("44051401359") };
    assert_eq!(
        errors_of(Person::parse(&disagreeing, PersonRole::SuspectedPerson, FORM_DATE)),
        [("birth_date", "err-pesel-birth-date-mismatch")]
    );
}

#[test]
fn a_chosen_sex_must_agree_with_the_pesel() {
    let agreeing = PersonInput { sex: "male".into(), ..with_pesel("44051401359") };
    assert!(Person::parse(&agreeing, PersonRole::AffectedPerson, FORM_DATE).is_ok());
    let disagreeing = PersonInput { sex: "female".into(), ..with_pesel("44051401359") };
    assert_eq!(
        errors_of(Person::parse(&disagreeing, PersonRole::AffectedPerson, FORM_DATE)),
        [("sex", "err-pesel-sex-mismatch")]
    );
    let without_pesel = PersonInput { sex: "female".into(), ..with_birth("1990-01-01") };
    assert_eq!(Person::parse(&without_pesel, PersonRole::AffectedPerson, FORM_DATE).unwrap().sex(), Some(Sex::Female));
}

#[test]
fn pesel_errors_are_reported_under_the_pesel_field() {
    assert_eq!(
        errors_of(Person::parse(&with_pesel("44051401358"), PersonRole::AffectedPerson, FORM_DATE)),
        [("pesel", "err-pesel-checksum")]
    );
    assert_eq!(
        errors_of(Person::parse(&with_pesel("123"), PersonRole::HouseholdMember, FORM_DATE)),
        [("pesel", "err-pesel-format")]
    );
}

#[test]
fn witnesses_and_reporters_may_not_have_a_pesel_even_a_malformed_one() {
    for role in [PersonRole::Witness, PersonRole::Reporter] {
        for pesel in ["44051401359", "123"] {
            assert_eq!(
                errors_of(Person::parse(&with_pesel(pesel), role, FORM_DATE)),
                [("pesel", "err-field-not-allowed-for-role")],
                "{role} {pesel}"
            );
        }
    }
}

#[test]
fn an_adult_witness_may_have_name_address_of_residence_and_contact_only() {
    let contact = PersonInput {
        residence_address: "ul. Długa 5/3, 97-200 Tomaszów Mazowiecki".into(),
        phone: "+48 600 100 200".into(),
        email: "jan@example.pl".into(),
        ..input("Jan", "Kowalski")
    };
    let p = Person::parse(&contact, PersonRole::Witness, FORM_DATE).unwrap();
    assert_eq!(p.phone(), Some("+48 600 100 200"));
    assert!(p.pesel().is_none() && p.birth_date().is_none());

    let too_much = PersonInput {
        birth_date: "1980-01-01".into(),
        sex: "male".into(),
        stay_address: "schronisko".into(),
        has_disability: true,
        is_elderly: true,
        ..contact
    };
    assert_eq!(
        errors_of(Person::parse(&too_much, PersonRole::Witness, FORM_DATE)),
        [
            ("birth_date", "err-field-not-allowed-for-role"),
            ("sex", "err-field-not-allowed-for-role"),
            ("stay_address", "err-field-not-allowed-for-role"),
            ("is_elderly", "err-field-not-allowed-for-role"),
            ("has_disability", "err-field-not-allowed-for-role"),
        ]
    );
}

#[test]
fn household_members_get_no_address_contact_or_health_data() {
    let input = PersonInput {
        residence_address: "ul. Długa 5".into(),
        phone: "600100200".into(),
        has_disability: true,
        is_unable_to_cope: true,
        ..with_pesel(&pesel_for(date(2015, 9, 1), 1, 2))
    };
    assert_eq!(
        errors_of(Person::parse(&input, PersonRole::HouseholdMember, FORM_DATE)),
        [
            ("residence_address", "err-field-not-allowed-for-role"),
            ("phone", "err-field-not-allowed-for-role"),
            ("has_disability", "err-field-not-allowed-for-role"),
            ("is_unable_to_cope", "err-field-not-allowed-for-role"),
        ]
    );
}

#[test]
fn a_child_witness_becomes_an_affected_person_by_birth_date_pesel_or_the_child_box() {
    let by_birth = with_birth("2015-06-01");
    let by_pesel = with_pesel(&pesel_for(date(2015, 6, 1), 77, 4));
    let by_box = PersonInput { is_minor: true, ..input("Ola", "Nowak") };
    for child in [by_birth, by_pesel, by_box] {
        let p = Person::parse(&child, PersonRole::Witness, FORM_DATE).unwrap();
        assert_eq!(p.role(), PersonRole::AffectedPerson);
        assert!(p.is_child_witness() && p.is_minor());
        assert_eq!(p.required_presence(), Some(RequiredPresence::ParentOrGuardian));
    }
}

#[test]
fn a_witness_who_turns_18_on_the_form_date_stays_a_witness() {
    let p = Person::parse(&input("Jan", "Kowalski"), PersonRole::Witness, FORM_DATE).unwrap();
    assert!(!p.is_child_witness());
    // An adult witness's birth date may not be recorded at all.
    assert_eq!(
        errors_of(Person::parse(&with_birth("2008-03-10"), PersonRole::Witness, FORM_DATE)),
        [("birth_date", "err-field-not-allowed-for-role")]
    );
    let child = Person::parse(&with_birth("2008-03-11"), PersonRole::Witness, FORM_DATE).unwrap();
    assert!(child.is_child_witness());
}

#[test]
fn a_minor_reporter_stays_a_reporter_without_age_data() {
    let child = PersonInput { is_minor: true, ..input("Ola", "Nowak") };
    assert_eq!(
        errors_of(Person::parse(&child, PersonRole::Reporter, FORM_DATE)),
        [("is_minor", "err-field-not-allowed-for-role")]
    );
}

#[test]
fn a_suspected_person_must_be_an_adult_on_the_date_of_form_a() {
    let pesel = pesel_for(date(2008, 3, 11), 5, 1);
    assert_eq!(
        errors_of(Person::parse(&with_pesel(&pesel), PersonRole::SuspectedPerson, FORM_DATE)),
        [("pesel", "err-suspected-minor")]
    );
    assert_eq!(
        errors_of(Person::parse(&with_birth("11.03.2008"), PersonRole::SuspectedPerson, FORM_DATE)),
        [("birth_date", "err-suspected-minor")]
    );
    let by_box = PersonInput { is_minor: true, ..input("Jan", "Kowalski") };
    assert_eq!(
        errors_of(Person::parse(&by_box, PersonRole::SuspectedPerson, FORM_DATE)),
        [("is_minor", "err-suspected-minor")]
    );
    // The 18th birthday is the form date: an adult.
    let adult = Person::parse(&with_birth("10.03.2008"), PersonRole::SuspectedPerson, FORM_DATE).unwrap();
    assert!(!adult.is_minor());
    // Age unknown: accepted (the person filling the form judges).
    assert!(Person::parse(&input("Jan", "Kowalski"), PersonRole::SuspectedPerson, FORM_DATE).is_ok());
}

#[test]
fn a_child_box_contradicting_an_adult_birth_date_is_refused() {
    let input = PersonInput { is_minor: true, ..with_birth("1990-01-01") };
    assert_eq!(
        errors_of(Person::parse(&input, PersonRole::AffectedPerson, FORM_DATE)),
        [("is_minor", "err-minor-birth-date-mismatch")]
    );
}

#[test]
fn a_birth_after_the_form_date_or_implausibly_long_ago_is_refused() {
    let unborn = pesel_for(date(2026, 3, 11), 0, 0);
    assert_eq!(
        errors_of(Person::parse(&with_pesel(&unborn), PersonRole::HouseholdMember, FORM_DATE)),
        [("pesel", "err-birth-in-future")]
    );
    assert_eq!(
        errors_of(Person::parse(&with_birth("2026-03-11"), PersonRole::AffectedPerson, FORM_DATE)),
        [("birth_date", "err-birth-in-future")]
    );
    let newborn = Person::parse(&with_birth("2026-03-10"), PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert!(newborn.is_minor());
    assert_eq!(
        errors_of(Person::parse(&with_birth("1894-05-01"), PersonRole::AffectedPerson, FORM_DATE)),
        [("birth_date", "err-birth-date-implausible")]
    );
    assert_eq!(
        errors_of(Person::parse(&with_birth("31.02.1990"), PersonRole::AffectedPerson, FORM_DATE)),
        [("birth_date", "err-date-not-exist")]
    );
}

#[test]
fn the_elderly_mark_comes_from_the_birth_date_or_the_box() {
    let elderly =
        |input: &PersonInput| Person::parse(input, PersonRole::AffectedPerson, FORM_DATE).unwrap().is_elderly();
    assert!(elderly(&with_birth("1961-03-10")));
    assert!(!elderly(&with_birth("1961-03-11")));
    // A tick is kept even below the [U] threshold, and without a birth date.
    assert!(elderly(&PersonInput { is_elderly: true, ..with_birth("1963-01-01") }));
    assert!(elderly(&PersonInput { is_elderly: true, ..input("Anna", "Nowak") }));
    assert!(!elderly(&input("Anna", "Nowak")));
}

#[test]
fn disability_and_inability_to_cope_are_recorded_for_affected_persons() {
    let input = PersonInput { has_disability: true, is_unable_to_cope: true, ..with_birth("1950-01-01") };
    let p = Person::parse(&input, PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert!(p.has_disability() && p.is_unable_to_cope());
    assert_eq!(p.required_presence(), Some(RequiredPresence::GuardianOrChosenAdult));
    let suspected = PersonInput { has_disability: true, ..with_birth("1950-01-01") };
    let p = Person::parse(&suspected, PersonRole::SuspectedPerson, FORM_DATE).unwrap();
    assert_eq!(p.required_presence(), None);
    assert_eq!(
        errors_of(Person::parse(&input, PersonRole::SuspectedPerson, FORM_DATE)),
        [("is_unable_to_cope", "err-field-not-allowed-for-role")]
    );
}

#[test]
fn contact_details_are_checked_and_trimmed() {
    let bad = PersonInput {
        phone: "600-100-200 wew. 5".into(),
        email: "jan@localhost".into(),
        residence_address: "ul. Długa 5\n97-200".into(),
        stay_address: "x".repeat(MAX_ADDRESS_CHARS + 1),
        ..input("Jan", "Kowalski")
    };
    assert_eq!(
        errors_of(Person::parse(&bad, PersonRole::AffectedPerson, FORM_DATE)),
        [
            ("residence_address", "err-control-chars"),
            ("stay_address", "err-too-long"),
            ("phone", "err-phone-format"),
            ("email", "err-email-format"),
        ]
    );
    let good = PersonInput {
        phone: " (42) 600 100 200 ".into(),
        email: " jan@example.pl ".into(),
        residence_address: "  ul. Długa   5 ".into(),
        ..input("Jan", "Kowalski")
    };
    let p = Person::parse(&good, PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert_eq!(
        (p.phone(), p.email(), p.residence_address()),
        (Some("(42) 600 100 200"), Some("jan@example.pl"), Some("ul. Długa 5"))
    );
}

#[test]
fn all_errors_of_one_person_are_reported_at_once() {
    let input = PersonInput {
        first_name: "".into(),
        last_name: "Nowak".into(),
        pesel: "44051401358".into(),
        birth_date: "jutro".into(),
        sex: "x".into(),
        email: "nie".into(),
        ..PersonInput::default()
    };
    assert_eq!(
        errors_of(Person::parse(&input, PersonRole::AffectedPerson, FORM_DATE)),
        [
            ("first_name", "err-required"),
            ("pesel", "err-pesel-checksum"),
            ("birth_date", "err-birth-date-format"),
            ("sex", "err-sex-value"),
            ("email", "err-email-format"),
        ]
    );
}

#[test]
fn debug_output_shows_no_personal_data() {
    let input = with_pesel("44051401359");
    assert_eq!(format!("{input:?}"), "PersonInput([REDACTED])");
    let p = Person::parse(&input, PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert_eq!(format!("{p:?}"), "Person { role: AffectedPerson, .. }");
}

fn any_date() -> impl Strategy<Value = Date> {
    (1900i16..=2099, 1i8..=12, 1i8..=31).prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
}

proptest! {
    #[test]
    fn a_witness_is_recorded_as_affected_exactly_when_a_minor(birth in any_date(), form_date in any_date()) {
        prop_assume!(birth <= form_date && age_on(birth, form_date).is_some_and(|a| a <= MAX_PLAUSIBLE_AGE));
        let input = with_pesel(&pesel_for(birth, 123, 5));
        let result = Person::parse(&input, PersonRole::Witness, form_date);
        if is_adult(birth, form_date) {
            prop_assert_eq!(errors_of(result), [("pesel", "err-field-not-allowed-for-role")]);
        } else {
            let p = result.unwrap();
            prop_assert_eq!(p.role(), PersonRole::AffectedPerson);
            prop_assert!(p.is_child_witness());
            prop_assert_eq!(p.birth_date(), Some(birth));
        }
    }

    #[test]
    fn a_valid_person_always_has_its_birth_date_no_later_than_the_form(birth in any_date(), form_date in any_date()) {
        let input = with_birth(&birth.to_string());
        match Person::parse(&input, PersonRole::AffectedPerson, form_date) {
            Ok(p) => prop_assert!(p.birth_date().is_some_and(|b| b <= form_date)),
            Err(errors) => prop_assert!(birth > form_date || errors.for_field("birth_date") == Some("err-birth-date-implausible")),
        }
    }
}

#[test]
fn a_minor_on_the_form_date_is_an_adult_from_the_eighteenth_birthday_and_a_ticked_child_stays_one() {
    // Seventeen on FORM_DATE (10 March 2026), eighteen on 11 March.
    let teen = Person::parse(&with_birth("11.03.2008"), PersonRole::AffectedPerson, FORM_DATE).unwrap();
    assert!(teen.is_minor());
    assert!(teen.is_minor_on(date(2026, 3, 10)));
    assert!(!teen.is_minor_on(date(2026, 3, 11)));
    let ticked =
        Person::parse(&PersonInput { is_minor: true, ..input("Ola", "Nowak") }, PersonRole::AffectedPerson, FORM_DATE)
            .unwrap();
    assert!(ticked.is_minor_on(date(2030, 1, 1)), "without a birth date, the form's mark holds");
}
