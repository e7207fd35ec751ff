//! "Niebieska Karta – D", 2023 version: REG23 (Dz.U. 2023 poz. 1870) annex no. 4 [S/U].
//!
//! Filled by the diagnostic-support group with one person using violence. No detail of the 2023 layout was found
//! (procedure.md §2.6): every section and field is \[U\]. The structure follows the 2011 form D in the 2023 terms;
//! part XIII follows the act's programme referrals (art. 9b ust. 8 pkt 5, art. 4 ust. 6) and the firearm question
//! follows art. 9f.

use super::definition::Confidence::Unconfirmed as U;
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section, equals};
use super::options::{
    ADDRESS_MAX, ECONOMIC_VIOLENCE_HINT, FORMS_OF_VIOLENCE_2023, FREQUENCY, KINSHIP_2023, LINE_MAX, MARITAL_STATUS,
    NAME_MAX, NOTE_MAX, SEX, YES_NO_UNKNOWN,
};
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 6 września 2023 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2023 poz. 1870), załącznik nr 4";

const PAST_EVENTS: &[Opt] = &[
    Opt::new("police_interventions", "interwencje Policji"),
    Opt::new("prosecutor_notified", "zawiadomienie prokuratury"),
    Opt::new(
        "police_measures",
        "nakaz opuszczenia mieszkania lub zakazy wydane przez Policję lub Żandarmerię Wojskową",
    ),
    Opt::new("court_proceedings", "postępowanie karne lub inne postępowanie sądowe"),
    Opt::new("family_court", "nadzór kuratora nad wykonywaniem władzy rodzicielskiej"),
    Opt::new("addiction_treatment_obligation", "zobowiązanie do leczenia odwykowego"),
    Opt::new("programme", "udział w programie korekcyjno-edukacyjnym lub psychologiczno-terapeutycznym"),
    Opt::new("other_institution", "interwencja i pomoc innej instytucji"),
    Opt::new("other", "inne"),
];

const OTHER_PROBLEMS: &[Opt] = &[
    Opt::new("conflicts_with_law", "konflikty z prawem"),
    Opt::new("traffic_offences", "wykroczenia w ruchu drogowym"),
    Opt::new("work_problems", "kłopoty w pracy"),
    Opt::new("sobering_up_station", "pobyty w izbie wytrzeźwień"),
    Opt::new("other", "inne"),
];

const ACTIONS: &[Opt] = &[
    Opt::new(
        "correctional_programme",
        "wniosek do zespołu interdyscyplinarnego o skierowanie do programu korekcyjno-edukacyjnego",
    ),
    Opt::new(
        "psychological_programme",
        "wniosek do zespołu interdyscyplinarnego o skierowanie do programu psychologiczno-terapeutycznego",
    ),
    Opt::new("voluntary_treatment", "dobrowolne podjęcie leczenia odwykowego"),
    Opt::new("alcohol_commission", "skierowanie do gminnej komisji rozwiązywania problemów alkoholowych"),
    Opt::new(
        "reporting_obligation",
        "zobowiązanie do informowania grupy diagnostyczno-pomocowej o działaniach podjętych w celu zaprzestania \
         stosowania przemocy domowej",
    ),
    Opt::new("probation_officer_application", "złożenie przez kuratora sądowego wniosku do sądu"),
    Opt::new("other", "inne działania"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::D,
    version: FormVersion::V2023,
    title_pl: "Niebieska Karta – D",
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
            "suspected_person",
            "I",
            "Dane osoby stosującej przemoc domową",
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.date("birth_date", "Data urodzenia")
                    .person(PF::BirthDate)
                    .hint("Osoba stosująca przemoc domową jest pełnoletnia (art. 2 ust. 1 pkt 3 ustawy)."),
                U.choice("sex", "Płeć", SEX).person_category(PF::Sex),
                U.choice("marital_status", "Stan cywilny", MARITAL_STATUS).person_category(PF::MaritalStatus),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.text("stay_address", "Adres pobytu", ADDRESS_MAX).person(PF::StayAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
                U.text("occupation", "Miejsce pracy lub źródło utrzymania", LINE_MAX).person(PF::Occupation),
                U.choice("kinship", "Relacja wobec osoby doznającej przemocy domowej", KINSHIP_2023)
                    .person_category(PF::Kinship),
                U.text("kinship_other", "Relacja: inna (jaka)", LINE_MAX).person(PF::Kinship).required_when(equals(
                    "suspected_person",
                    "kinship",
                    "other"
                )),
            ],
        )
        .about(PersonRole::SuspectedPerson)
        .required(),
        Section::once(
            "violence",
            "II",
            "Formy przemocy domowej",
            U,
            fields![
                U.multi_choice("forms", "Formy przemocy domowej", FORMS_OF_VIOLENCE_2023).hint(ECONOMIC_VIOLENCE_HINT),
                U.text("other_what", "Inne formy (jakie)", LINE_MAX)
                    .required_when(equals("violence", "forms", "other")),
                U.text("towards_whom", "Wobec kogo", LINE_MAX),
            ],
        ),
        Section::once(
            "duration",
            "III",
            "Od jak dawna te zachowania mają miejsce",
            U,
            fields![U.long_text("how_long", "Od jak dawna te zachowania mają miejsce", NOTE_MAX),],
        ),
        Section::once(
            "witnesses",
            "IV",
            "Czy są świadkowie stosowania przemocy domowej",
            U,
            fields![U.choice("witnesses_present", "Czy są świadkowie", YES_NO_UNKNOWN),],
        ),
        Section::once(
            "convictions",
            "V–VI",
            "Karalność i dozór kuratora",
            U,
            fields![
                U.choice(
                    "previously_convicted",
                    "Czy była już karana za przestępstwo z użyciem przemocy lub groźby jej użycia",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Convictions),
                U.choice(
                    "probation_supervision",
                    "Czy sąd zastosował wobec niej dozór kuratora sądowego",
                    YES_NO_UNKNOWN
                )
                .person_category(PF::Convictions),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "substances",
            "VII–IX",
            "Alkohol, środki odurzające, substancje psychotropowe, leki",
            U,
            fields![
                U.choice("alcohol_misuse", "Czy nadużywa alkoholu", YES_NO_UNKNOWN).person_category(PF::Addictions),
                U.text("alcohol_details", "Alkohol: od jak dawna, jak często, kiedy ostatnio", LINE_MAX)
                    .person(PF::Addictions),
                U.choice(
                    "drug_misuse",
                    "Czy nadużywa środków odurzających, substancji psychotropowych lub leków",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Addictions),
                U.text("drug_details", "Środki odurzające: od jak dawna, jak często, kiedy ostatnio", LINE_MAX)
                    .person(PF::Addictions),
                U.long_text(
                    "addiction_treatment",
                    "Leczenie odwykowe: kiedy ostatnio i jakiego uzależnienia \
                    dotyczyło",
                    NOTE_MAX
                )
                .person(PF::Addictions),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "firearm",
            "",
            "Broń palna",
            U,
            fields![U.choice("has_firearm", "Czy posiada broń palną", YES_NO_UNKNOWN).hint(
                "Posiadanie broni palnej przez osobę stosującą przemoc domową wymaga niezwłocznego \
                    powiadomienia Policji (art. 9f ustawy)."
            ),],
        ),
        Section::once(
            "past_events",
            "X",
            "Czy w związku z tymi zachowaniami miały miejsce",
            U,
            fields![
                U.multi_choice("events", "Zdarzenia", PAST_EVENTS),
                U.text("court_proceedings_kind", "Jakie postępowanie sądowe", LINE_MAX),
                U.text("other_institution", "Interwencja i pomoc innej instytucji (jakiej)", LINE_MAX).not_personal(),
                U.text("other_what", "Inne (jakie)", LINE_MAX).required_when(equals("past_events", "events", "other")),
            ],
        ),
        Section::once(
            "other_problems",
            "XI",
            "Inne problemy w związku z nadużywaniem alkoholu, środków odurzających, substancji psychotropowych \
            lub leków",
            U,
            fields![
                U.multi_choice("problems", "Problemy", OTHER_PROBLEMS).person_category(PF::Addictions),
                U.text("other_what", "Inne (jakie)", LINE_MAX).person(PF::Addictions),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "self_assessment",
            "XII",
            "Jak osoba ocenia swoją sytuację",
            U,
            fields![U.long_text("self_assessment", "Ocena własnej sytuacji", NOTE_MAX),],
        ),
        Section::once(
            "actions",
            "XIII",
            "Działania wobec osoby stosującej przemoc domową",
            U,
            fields![
                U.multi_choice("actions", "Działania", ACTIONS),
                U.choice("reporting_frequency", "Częstotliwość informowania grupy diagnostyczno-pomocowej", FREQUENCY)
                    .required_when(equals("actions", "actions", "reporting_obligation")),
                U.text("reporting_frequency_other", "Informowanie: w innych terminach (jakich)", LINE_MAX)
                    .not_personal()
                    .required_when(equals("actions", "reporting_frequency", "other")),
                U.text("other_what", "Inne działania (jakie)", LINE_MAX)
                    .required_when(equals("actions", "actions", "other")),
            ],
        ),
        Section::once(
            "commitments",
            "XIV",
            "Zobowiązania, jakie podjęła osoba stosująca przemoc domową",
            U,
            fields![U.long_text("commitments", "Zobowiązania", NOTE_MAX),],
        ),
        Section::once(
            "periodic_assessment",
            "XV",
            "Okresowa ocena sytuacji osoby stosującej przemoc domową",
            U,
            fields![
                U.choice("frequency", "Częstotliwość oceny", FREQUENCY),
                U.text("frequency_other", "W innych terminach (jakich)", LINE_MAX)
                    .not_personal()
                    .required_when(equals("periodic_assessment", "frequency", "other")),
            ],
        ),
    ],
};
