//! "Niebieska Karta – D", 2011 version: REG11 (Dz.U. 2011 nr 209 poz. 1245) annex no. 4. \[P\] throughout.
//!
//! Filled by the interdisciplinary team or the working group with the person suspected of using violence
//! (REG11 §8 ust. 6); signed by the team's chair.
//!
//! One departure from the paper: part I asks for the date **and place** of birth. The place of birth is left out,
//! because the cases continue under the act as amended, whose art. 9c ust. 1 pkt 3 allows for the person using
//! violence only name, PESEL, age, marital status, address, contact, kinship, health, addictions, convictions and
//! occupation. If the controller's data protection officer decides otherwise, adding it back is one line here and
//! one in [`crate::person::allowed_fields`].

use super::a2011::BEHAVIOUR_MATRIX;
use super::definition::Confidence::Primary as P;
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section};
use super::options::{FREQUENCY, LINE_MAX, NAME_MAX, NOTE_MAX, YES_NO_UNKNOWN};
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 13 września 2011 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2011 nr 209 poz. 1245), załącznik nr 4";

const PAST_EVENTS: &[Opt] = &[
    Opt::new("police_interventions", "powiadamianie i interwencje Policji"),
    Opt::new("prosecutor_notified", "powiadomienie prokuratury"),
    Opt::new("court_proceedings", "wszczęcie postępowania karnego lub innego postępowania sądowego"),
    Opt::new(
        "parental_authority_supervision",
        "poddanie wykonywania władzy rodzicielskiej stałemu nadzorowi kuratora sądowego",
    ),
    Opt::new("addiction_treatment_obligation", "zobowiązanie do leczenia odwykowego"),
    Opt::new("programme_obligation", "zobowiązanie do uczestnictwa w oddziaływaniach korekcyjno-edukacyjnych"),
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
        "udział w oddziaływaniach korekcyjno-edukacyjnych dla osób stosujących przemoc w rodzinie",
    ),
    Opt::new("voluntary_treatment", "dobrowolne poddanie się leczeniu odwykowemu i opracowanie planu leczenia"),
    Opt::new(
        "treatment_court_application",
        "złożenie wniosku do sądu w celu uruchomienia procedury zobowiązania do leczenia odwykowego",
    ),
    Opt::new(
        "reporting_obligation",
        "zobowiązanie do informowania członków zespołu interdyscyplinarnego/grupy roboczej o podejmowanych \
            działaniach \
         mających na celu zaprzestanie przemocy w rodzinie",
    ),
    Opt::new("probation_officer_application", "złożenie przez kuratora sądowego stosownego wniosku do sądu"),
    Opt::new("other", "inne działania"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::D,
    version: FormVersion::V2011,
    title_pl: "Niebieska Karta – D",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::once(
            "header",
            "",
            "Nagłówek",
            P,
            fields![P.text("place", "Miejscowość", LINE_MAX).not_personal(), P.date("date", "Data").required(),],
        )
        .required(),
        Section::once(
            "suspected_person",
            "I",
            "Dane osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                P.date("birth_date", "Data urodzenia").person(PF::BirthDate),
                P.text("marital_status", "Stan cywilny", NAME_MAX).person(PF::MaritalStatus),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
                address_2011(P, "stay", "Aktualny adres pobytu", PF::StayAddress),
                P.text("occupation", "Miejsce pracy/źródło utrzymania", LINE_MAX).person(PF::Occupation),
            ],
        )
        .about(PersonRole::SuspectedPerson)
        .required(),
        Section::once(
            "behaviour",
            "II",
            "Czy zdarza się, że osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie, \
            zachowuje się w \
             następujący sposób",
            P,
            BEHAVIOUR_MATRIX,
        )
        .text(&["Przy każdym zachowaniu zaznacz, czy wystąpiło wobec dorosłych i czy wobec dzieci. Brak \
            zaznaczenia oznacza „nie”."]),
        Section::once(
            "duration",
            "III",
            "Od jak dawna te zachowania mają miejsce",
            P,
            fields![P.long_text("how_long", "Od jak dawna te zachowania mają miejsce", NOTE_MAX),],
        ),
        Section::once(
            "witnesses",
            "IV",
            "Czy są świadkowie stosowania przemocy w rodzinie",
            P,
            fields![P.choice("witnesses_present", "Czy są świadkowie", YES_NO_UNKNOWN),],
        ),
        Section::once(
            "convictions",
            "V–VI",
            "Karalność i dozór kuratora",
            P,
            fields![
                P.choice(
                    "previously_convicted",
                    "Czy był/była Pan/Pani już kiedykolwiek karany/karana za przestępstwo z użyciem przemocy \
                    lub groźby jej użycia",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Convictions),
                P.choice(
                    "probation_supervision",
                    "Czy wobec Pana/Pani sąd zastosował dozór kuratora sądowego",
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
            P,
            fields![
                P.choice("alcohol_misuse", "Czy nadużywa Pan/Pani alkoholu", YES_NO_UNKNOWN)
                    .person_category(PF::Addictions),
                P.text("alcohol_since_how_often", "Alkohol: od jak dawna i jak często", LINE_MAX)
                    .person(PF::Addictions),
                P.text("alcohol_last_time", "Alkohol: kiedy ostatnio", LINE_MAX).person(PF::Addictions),
                P.choice(
                    "drug_misuse",
                    "Czy nadużywa Pan/Pani środków odurzających, substancji psychotropowych lub leków",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Addictions),
                P.text("drug_since_how_often", "Środki odurzające: od jak dawna i jak często", LINE_MAX)
                    .person(PF::Addictions),
                P.text("drug_last_time", "Środki odurzające: kiedy ostatnio", LINE_MAX).person(PF::Addictions),
                P.long_text(
                    "addiction_treatment",
                    "Czy kiedykolwiek był/była Pan/Pani poddany/poddana leczeniu odwykowemu? Kiedy ostatnio i \
                        jakiego \
                     uzależnienia dotyczyło leczenie (od alkoholu, środków odurzających, substancji \
                     psychotropowych lub leków)",
                    NOTE_MAX,
                )
                .person(PF::Addictions),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "past_events",
            "X",
            "Czy w związku z tymi zachowaniami miały miejsce",
            P,
            fields![
                P.multi_choice("events", "Zdarzenia", PAST_EVENTS),
                P.text("court_proceedings_kind", "Jakie postępowanie sądowe (np. rozwodowe, rodzinne)", LINE_MAX),
                P.text("other_institution", "Interwencja i pomoc innej instytucji (jakiej)", LINE_MAX).not_personal(),
                P.text("other_what", "Inne (jakie)", LINE_MAX),
            ],
        ),
        Section::once(
            "other_problems",
            "XI",
            "Czy miał/miała Pan/Pani inne problemy w związku z nadużywaniem alkoholu, środków odurzających, \
                substancji \
             psychotropowych lub leków",
            P,
            fields![
                P.multi_choice("problems", "Problemy", OTHER_PROBLEMS).person_category(PF::Addictions),
                P.text("other_what", "Inne (jakie)", LINE_MAX).person(PF::Addictions),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "self_assessment",
            "XII",
            "Jak Pan/Pani ocenia swoją sytuację? Czy widzi Pan/Pani coś niepokojącego",
            P,
            fields![P.long_text("self_assessment", "Ocena własnej sytuacji", NOTE_MAX),],
        ),
        Section::once(
            "actions",
            "XIII",
            "Działania w stosunku do osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.multi_choice("actions", "Działania", ACTIONS),
                P.choice("reporting_frequency", "Częstotliwość informowania zespołu lub grupy roboczej", FREQUENCY),
                P.text("reporting_frequency_other", "Informowanie: w innych terminach (jakich)", LINE_MAX)
                    .not_personal(),
                P.text("other_what", "Inne działania (jakie)", LINE_MAX),
            ],
        ),
        Section::once(
            "commitments",
            "XIV",
            "Zobowiązania, jakie podjęła osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![P.long_text("commitments", "Zobowiązania", NOTE_MAX),],
        ),
        Section::once(
            "periodic_assessment",
            "XV",
            "Okresowa ocena sytuacji osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.choice("frequency", "Częstotliwość oceny", FREQUENCY),
                P.text("frequency_other", "W innych terminach (jakich)", LINE_MAX).not_personal(),
            ],
        ),
    ],
};
