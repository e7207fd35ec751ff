//! "Niebieska Karta – C", 2023 version: REG23 (Dz.U. 2023 poz. 1870) annex no. 3 [S: TECZKA].
//!
//! Filled by the diagnostic-support group with one person experiencing violence (one form C per person,
//! procedure.md §7). Known \[S\]: the section "Historia przemocy domowej" with its four points (first, repeated, most
//! dangerous and last act) and that the form holds the individual support plan. Everything else, the section
//! numbers included, follows the 2011 form C in the 2023 terms and is \[U\]. The support plan is a list of actions
//! (institution, action, person responsible, due date, status, review) as procedure.md §7 suggests; its layout on
//! the form is \[U\].

use super::definition::Confidence::{Secondary as S, Unconfirmed as U};
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section, equals};
use super::options::{
    ADDRESS_MAX, DESCRIPTION_MAX, FREQUENCY, KINSHIP_2023, LINE_MAX, NAME_MAX, NOTE_MAX, PLAN_INSTITUTIONS, YES_NO,
};
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 6 września 2023 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2023 poz. 1870), załącznik nr 3";

const PLAN_STATUS: &[Opt] = &[
    Opt::new("planned", "zaplanowane"),
    Opt::new("in_progress", "w realizacji"),
    Opt::new("done", "zrealizowane"),
    Opt::new("not_done", "niezrealizowane"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::C,
    version: FormVersion::V2023,
    title_pl: "Niebieska Karta – C",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::once(
            "header",
            "",
            "Nagłówek",
            U,
            fields![U.text("place", "Miejscowość", LINE_MAX).not_personal(), U.date("date", "Data").required(),],
        )
        .required(),
        Section::once(
            "data_unchanged",
            "I",
            "Dane bez zmian",
            U,
            fields![
                U.boolean("affected_person", "Dane osoby doznającej przemocy domowej bez zmian"),
                U.boolean("suspected_person", "Dane osoby stosującej przemoc domową bez zmian"),
            ],
        ),
        Section::once(
            "affected_person",
            "II",
            "Dane osoby doznającej przemocy domowej",
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.text("parents_first_names", "Imiona rodziców", LINE_MAX).person(PF::ParentsFirstNames),
                U.date("birth_date", "Data urodzenia").person(PF::BirthDate),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.text("stay_address", "Adres pobytu", ADDRESS_MAX).person(PF::StayAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
            ],
        )
        .about(PersonRole::AffectedPerson),
        Section::once(
            "suspected_person",
            "III",
            "Dane osoby stosującej przemoc domową",
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.text("stay_address", "Adres pobytu", ADDRESS_MAX).person(PF::StayAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.choice("kinship", "Relacja wobec osoby doznającej przemocy domowej", KINSHIP_2023)
                    .person_category(PF::Kinship),
                U.text("kinship_other", "Relacja: inna (jaka)", LINE_MAX).person(PF::Kinship).required_when(equals(
                    "suspected_person",
                    "kinship",
                    "other"
                )),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "violence_history",
            "IV",
            "Historia przemocy domowej",
            S,
            fields![
                S.long_text("first_act", "Pierwszy akt przemocy domowej", DESCRIPTION_MAX),
                S.long_text("repeated_acts", "Powtarzające się akty przemocy domowej", DESCRIPTION_MAX),
                S.long_text("most_dangerous_act", "Najbardziej niebezpieczny akt przemocy domowej", DESCRIPTION_MAX),
                S.long_text("last_act", "Ostatni akt przemocy domowej", DESCRIPTION_MAX),
            ],
        ),
        Section::once(
            "diagnosis",
            "V",
            "Diagnoza sytuacji osoby doznającej przemocy domowej",
            U,
            fields![
                U.long_text("family_situation", "Sytuacja rodzinna", DESCRIPTION_MAX).person(PF::FamilySituation),
                U.long_text("occupation", "Sytuacja zawodowa i źródła utrzymania", DESCRIPTION_MAX)
                    .person(PF::Occupation),
                U.long_text("housing_situation", "Sytuacja mieszkaniowa", DESCRIPTION_MAX).person(PF::HousingSituation),
                U.long_text("health", "Sytuacja zdrowotna", DESCRIPTION_MAX).person(PF::Health),
                U.long_text("addictions", "Nałogi", NOTE_MAX).person(PF::Addictions),
                U.long_text(
                    "children_situation",
                    "Sytuacja dzieci (rodzinna, edukacyjna, wychowawcza, zdrowotna)",
                    DESCRIPTION_MAX,
                )
                .person(PF::FamilySituation),
            ],
        )
        .about(PersonRole::AffectedPerson),
        Section::many(
            "support_plan",
            "VI",
            "Indywidualny plan pomocy",
            50,
            S,
            fields![
                U.choice("institution", "Podmiot realizujący", PLAN_INSTITUTIONS).required(),
                U.long_text("action", "Działanie", NOTE_MAX).required(),
                U.text("responsible", "Osoba odpowiedzialna", LINE_MAX),
                U.date("due_date", "Termin"),
                U.choice("status", "Stan realizacji", PLAN_STATUS),
                U.long_text("review", "Ocena realizacji", NOTE_MAX),
            ],
        )
        .text(&["Działania podmiotów i osoby doznającej przemocy domowej, które mają poprawić jej sytuację i \
            sytuację jej rodziny. Plan może się zmieniać, zwłaszcza po kolejnym zdarzeniu."]),
        Section::once(
            "commitments",
            "VII",
            "Zobowiązania, jakie podjęła osoba doznająca przemocy domowej",
            U,
            fields![U.long_text("commitments", "Zobowiązania", NOTE_MAX),],
        ),
        Section::once(
            "periodic_assessment",
            "VIII",
            "Okresowa ocena sytuacji rodziny oraz osoby doznającej przemocy domowej",
            U,
            fields![
                U.choice("frequency", "Częstotliwość oceny", FREQUENCY),
                U.text("frequency_other", "W innych terminach (jakich)", LINE_MAX)
                    .not_personal()
                    .required_when(equals("periodic_assessment", "frequency", "other")),
            ],
        ),
        Section::once(
            "prosecution_informed",
            "IX",
            "Przekazanie informacji organom ścigania",
            U,
            fields![
                U.choice(
                    "informed",
                    "Czy w przypadku podejrzenia popełnienia przestępstwa przekazano informacje Policji lub \
                    prokuraturze",
                    YES_NO,
                )
                .hint("Art. 12 ustawy."),
            ],
        ),
        Section::once(
            "new_incident",
            "X",
            "Opis kolejnego zdarzenia przemocy domowej w trakcie trwania procedury",
            U,
            fields![U.long_text("description", "Opis zdarzenia", DESCRIPTION_MAX),],
        ),
    ],
};
