//! The matching and merge rule of [`super`]: examples, and a property test that the order of rows changes nothing.

use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn uuid(n: u8) -> Uuid {
    Uuid::from_bytes([n; 16])
}

fn at(day: i8) -> Timestamp {
    date(2025, 3, day).to_zoned(jiff::tz::TimeZone::UTC).unwrap().timestamp()
}

fn sighting(procedure: u8, form: u8, day: i8, name: &str) -> Sighting {
    Sighting {
        role: CountedRole::Affected,
        procedure: uuid(procedure),
        form: uuid(form),
        filled_at: at(day),
        form_date: date(2025, 3, day),
        pesel_key: None,
        name_key: name.to_owned(),
        birth_date: None,
        sex: None,
        marked_minor: false,
        marked_elderly: false,
        disability: false,
        violence: BTreeSet::new(),
    }
}

#[test]
fn a_woman_without_pesel_or_birth_date_on_two_forms_a_of_one_procedure_counts_once() {
    let first = Sighting { sex: Some(Sex::Female), ..sighting(1, 1, 1, "anna|nowak") };
    let later = Sighting { disability: true, ..sighting(1, 2, 20, "anna|nowak") };
    let persons = merge(&[later, first]);
    assert_eq!(persons.len(), 1);
    assert!(persons[0].disability, "a disability noted only on the later form is kept");
    assert_eq!(persons[0].sex, Some(Sex::Female));
    let f = figures(&persons);
    assert_eq!((f.affected, f.women, f.women_with_disability), (1, 1, 1));
}

#[test]
fn the_same_name_without_birth_date_in_two_procedures_is_two_persons() {
    let persons = merge(&[sighting(1, 1, 1, "anna|nowak"), sighting(2, 2, 2, "anna|nowak")]);
    assert_eq!(persons.len(), 2);
}

#[test]
fn pesel_joins_across_procedures_and_name_with_birth_date_joins_a_form_without_pesel() {
    let born = date(1980, 5, 1);
    let a =
        Sighting { pesel_key: Some("80050112345".into()), birth_date: Some(born), ..sighting(1, 1, 1, "jan|kowalski") };
    let b = Sighting { pesel_key: Some("80050112345".into()), ..sighting(2, 2, 2, "jan|kowalski") };
    let c = Sighting { birth_date: Some(born), ..sighting(3, 3, 3, "jan|kowalski") };
    assert_eq!(merge(&[a, b, c]).len(), 1);
}

#[test]
fn a_name_only_sighting_joins_the_one_known_person_of_that_name_in_its_procedure() {
    let known = Sighting { birth_date: Some(date(1990, 1, 1)), sex: Some(Sex::Female), ..sighting(1, 1, 1, "ewa|lis") };
    let bare = sighting(1, 2, 5, "ewa|lis");
    assert_eq!(merge(&[bare.clone(), known.clone()]).len(), 1);
    // Two different persons of that name in the procedure: the name-only sighting cannot be told apart.
    let other = Sighting { birth_date: Some(date(2010, 1, 1)), ..sighting(1, 3, 1, "ewa|lis") };
    assert_eq!(merge(&[known, bare, other]).len(), 3);
}

#[test]
fn sex_comes_from_the_latest_form_that_states_it() {
    let a = Sighting { sex: Some(Sex::Male), ..sighting(1, 1, 1, "alex|nowak") };
    let b = Sighting { sex: Some(Sex::Female), ..sighting(1, 2, 10, "alex|nowak") };
    let c = sighting(1, 3, 20, "alex|nowak");
    assert_eq!(merge(&[c, b, a])[0].sex, Some(Sex::Female));
}

#[test]
fn a_child_is_under_18_on_the_day_they_entered_the_procedure() {
    let first = Sighting { birth_date: Some(date(2007, 3, 10)), ..sighting(1, 1, 1, "ola|lis") };
    let later = Sighting { birth_date: Some(date(2007, 3, 10)), ..sighting(1, 2, 20, "ola|lis") };
    let p = &merge(&[later, first])[0];
    assert!(p.child, "17 on 1 March 2025, 18 by the later form");
    let f = figures(std::slice::from_ref(p));
    assert_eq!((f.children, f.women), (1, 0));
}

#[test]
fn persons_using_and_experiencing_violence_are_counted_apart() {
    let a = Sighting { sex: Some(Sex::Male), ..sighting(1, 1, 1, "jan|lis") };
    let u = Sighting { role: CountedRole::Using, sex: Some(Sex::Male), ..sighting(1, 1, 1, "jan|lis") };
    let f = figures(&merge(&[a, u]));
    assert_eq!((f.affected, f.men, f.using, f.using_men), (1, 1, 1, 1));
}

fn arb_sighting() -> impl Strategy<Value = Sighting> {
    (
        0u8..3,
        0u8..6,
        1i8..4,
        prop::sample::select(vec!["anna|nowak", "jan|lis", "ewa|lis"]),
        prop::option::of(prop::sample::select(vec!["p1", "p2", "p3"])),
        prop::option::of(prop::sample::select(vec![date(1950, 1, 1), date(1990, 6, 1), date(2012, 2, 2)])),
        prop::option::of(prop::sample::select(vec![Sex::Female, Sex::Male])),
        any::<(bool, bool, bool, bool)>(),
        prop::sample::subsequence(ViolenceForm::ALL.to_vec(), 0..=5),
    )
        .prop_map(
            |(procedure, form, day, name, pesel, birth, sex, (using, minor, elderly, disability), violence)| Sighting {
                role: if using { CountedRole::Using } else { CountedRole::Affected },
                pesel_key: pesel.map(str::to_owned),
                birth_date: birth,
                sex,
                marked_minor: minor,
                marked_elderly: elderly,
                disability,
                violence: violence.into_iter().collect(),
                ..sighting(procedure, form, day, name)
            },
        )
}

proptest! {
    #[test]
    fn the_order_of_rows_changes_neither_the_persons_nor_the_figures(
        (rows, shuffled) in prop::collection::vec(arb_sighting(), 0..24)
            .prop_flat_map(|rows| (Just(rows.clone()), Just(rows).prop_shuffle()))
    ) {
        prop_assert_eq!(merge(&rows), merge(&shuffled));
        prop_assert_eq!(figures(&merge(&rows)), figures(&merge(&shuffled)));
    }

    #[test]
    fn merging_never_counts_more_persons_than_rows_nor_loses_a_disability(
        rows in prop::collection::vec(arb_sighting(), 0..24)
    ) {
        let persons = merge(&rows);
        prop_assert!(persons.len() <= rows.len());
        prop_assert_eq!(persons.iter().map(|p| p.sightings).sum::<usize>(), rows.len());
        let disabled_rows = rows.iter().any(|s| s.disability);
        prop_assert_eq!(persons.iter().any(|p| p.disability), disabled_rows);
    }
}

/// A running case from paper on the 2011 form A: its persons are read (by name, within the procedure) and its
/// behaviour matrix gives the forms of violence; a 2023 form A in the same case naming her joins her.
#[test]
fn the_2011_form_a_is_read_not_skipped_and_joins_the_same_woman_on_a_2023_form() {
    use crate::forms::{FormKind, FormVersion, definition, validate};
    let answers: crate::forms::Answers = [
        ("header.place", "Krosno"),
        ("header.date", "2019-11-02"),
        ("header.institution", "Miejski Ośrodek Pomocy Społecznej w Krośnie"),
        ("affected_person.first_name", "Barbara"),
        ("affected_person.last_name", "Zając"),
        ("suspected_person.first_name", "Adam"),
        ("suspected_person.last_name", "Zając"),
        ("behaviour.physical_pushing", "adults"),
        ("behaviour.psychological_threats", "adults,children"),
        ("weapon.has_weapon", "not_established"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let valid = validate(definition(FormKind::A, FormVersion::V2011).unwrap(), &answers).unwrap();
    let old = sightings_of_form_a(&valid, uuid(1), uuid(1), at(1));
    assert_eq!(old.len(), 2);
    assert_eq!(old[0].form_date, date(2019, 11, 2));
    assert_eq!(old[0].violence, [ViolenceForm::Physical, ViolenceForm::Psychological].into_iter().collect());
    let later = Sighting {
        sex: Some(Sex::Female),
        birth_date: Some(date(1970, 1, 1)),
        disability: true,
        ..sighting(1, 9, 20, &old[0].name_key)
    };
    let mut rows = old.clone();
    rows.push(later);
    let f = figures(&merge(&rows));
    assert_eq!((f.affected, f.women, f.women_with_disability, f.using, f.using_sex_unknown), (1, 1, 1, 1, 1));
}
