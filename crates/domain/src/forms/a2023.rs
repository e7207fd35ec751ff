//! "Niebieska Karta – A", 2023 version: REG23 (Dz.U. 2023 poz. 1870) annex no. 1.
//!
//! The annex could not be read (procedure.md §0.2, §2.6). What a secondary source quotes is \[S\]: sections IV (forms
//! of domestic violence, including economic violence and violence by electronic communication), V (injuries), VIII
//! (firearm), IX (sense of safety), X (witnesses), XIII (additional information) and XIV (who filled the form, the
//! nine categories of art. 9a ust. 11–11d). Sections I–III, VI–VII and XI–XII are not known: they follow the 2011
//! form A in the 2023 terms and are \[U\], their numbers included, and so are the fields inside the \[S\] sections
//! unless the source names them.
//!
//! One form A lists all persons experiencing and all persons using violence (REG23 §2 ust. 4) \[P\]. Filling it opens
//! the procedure; nobody's consent is needed (REG23 §2; art. 9d of the act) \[P\].

use super::definition::Confidence::{Secondary as S, Unconfirmed as U};
use super::definition::{Condition, FormDefinition, FormKind, FormVersion, Opt, Section, equals, is_true};
use super::options::{
    ADDRESS_MAX, DESCRIPTION_MAX, ECONOMIC_VIOLENCE_HINT, FORMS_OF_VIOLENCE_2023, INITIATORS_2023, KINSHIP_2023,
    LINE_MAX, NAME_MAX, NOTE_MAX, SEX, YES_NO_UNKNOWN,
};
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 6 września 2023 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2023 poz. 1870), załącznik nr 1";

const REPORTED_BY: &[Opt] = &[
    Opt::new("affected_person", "osoba doznająca przemocy domowej"),
    Opt::new("witness", "świadek przemocy domowej"),
    Opt::new("other_person", "inna osoba"),
    Opt::new("own_findings", "ustalenia własne osoby wypełniającej formularz"),
];

const REPORTER_GIVEN: Condition =
    Condition::AnyOf(&[equals("report", "reported_by", "witness"), equals("report", "reported_by", "other_person")]);

const SENSE_OF_SAFETY: &[Opt] = &[
    Opt::new("safe", "czuje się bezpiecznie"),
    Opt::new("unsafe", "nie czuje się bezpiecznie"),
    Opt::new("fears_for_life_or_health", "obawia się o swoje życie lub zdrowie"),
    Opt::new("not_established", "nie ustalono"),
];

const EARLIER_MEASURES: &[Opt] = &[
    Opt::new("police_interventions", "wcześniejsze interwencje Policji"),
    Opt::new("earlier_procedure", "wcześniej prowadzona procedura „Niebieskie Karty”"),
    Opt::new("prosecutor_notified", "zawiadomienie prokuratury"),
    Opt::new("detention", "zatrzymanie"),
    Opt::new(
        "leave_home_order",
        "nakaz opuszczenia wspólnie zajmowanego mieszkania i zakaz zbliżania się do niego (Policja, Żandarmeria \
        Wojskowa)",
    ),
    Opt::new("bans", "zakaz zbliżania się, zakaz kontaktowania się lub zakaz wstępu (Policja, Żandarmeria Wojskowa)"),
    Opt::new("court_measures", "obowiązek opuszczenia mieszkania lub zakazy orzeczone przez sąd"),
    Opt::new("court_proceedings", "postępowanie karne lub inne postępowanie sądowe"),
    Opt::new("family_court", "postępowanie przed sądem rodzinnym"),
    Opt::new("addiction_treatment_obligation", "zobowiązanie do poddania się leczeniu odwykowemu"),
    Opt::new("programme", "udział w programie korekcyjno-edukacyjnym lub psychologiczno-terapeutycznym"),
    Opt::new("medical_help", "pomoc medyczna"),
    Opt::new("other", "inne"),
];

const ACTIONS_TAKEN: &[Opt] = &[
    Opt::new("police_notified", "powiadomienie Policji"),
    Opt::new("medical_help", "udzielenie pomocy medycznej"),
    Opt::new("social_help", "udzielenie pomocy socjalnej"),
    Opt::new("shelter", "zapewnienie schronienia w placówce całodobowej (np. specjalistycznym ośrodku wsparcia)"),
    Opt::new("child_protection", "działania na rzecz dzieci, w tym zabezpieczenie dziecka (art. 12a ustawy)"),
    Opt::new("crime_notified", "zawiadomienie Policji lub prokuratury o podejrzeniu przestępstwa (art. 12 ustawy)"),
    Opt::new("police_order", "nakaz opuszczenia mieszkania lub zakazy wydane przez Policję"),
    Opt::new("form_b_handed", "przekazanie formularza „Niebieska Karta – B” osobie doznającej przemocy domowej"),
    Opt::new("other", "inne"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::A,
    version: FormVersion::V2023,
    title_pl: "Niebieska Karta – A",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::once(
            "header",
            "",
            "Nagłówek",
            U,
            fields![
                U.text("place", "Miejscowość", LINE_MAX).not_personal(),
                U.date_time("filled_at", "Data i godzina wypełnienia formularza")
                    .required()
                    .hint("Wypełnienie formularza wszczyna procedurę „Niebieskie Karty”."),
            ],
        )
        .required(),
        Section::many(
            "affected_persons",
            "I",
            "Dane osób doznających przemocy domowej",
            10,
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.text("parents_first_names", "Imiona rodziców", LINE_MAX).person(PF::ParentsFirstNames),
                U.date("birth_date", "Data urodzenia").person(PF::BirthDate),
                U.choice("sex", "Płeć", SEX).person_category(PF::Sex),
                U.boolean("is_minor", "Osoba małoletnia").person_category(PF::Minor).hint(
                    "Zaznacz, gdy data \
                urodzenia nie jest znana."
                ),
                U.boolean("is_elderly", "Osoba starsza").person_category(PF::Elderly),
                U.boolean("has_disability", "Osoba z niepełnosprawnością").person_category(PF::Disability),
                U.boolean("is_unable_to_cope", "Osoba nieporadna ze względu na wiek, stan psychiczny lub fizyczny")
                    .person_category(PF::UnableToCope),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.text("stay_address", "Adres pobytu", ADDRESS_MAX)
                    .person(PF::StayAddress)
                    .hint("Gdy inny niż adres zamieszkania, np. ośrodek wsparcia."),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
                U.multi_choice(
                    "forms_experienced",
                    "Formy przemocy domowej, których doznaje ta osoba",
                    FORMS_OF_VIOLENCE_2023
                )
                .hint(
                    "Do sprawozdawczości: osoby doznające przemocy według form przemocy (Rządowy Program, \
                    załącznik nr 2)."
                ),
            ],
        )
        .about(PersonRole::AffectedPerson)
        .required()
        .text(&["Małoletni świadek przemocy domowej jest osobą jej doznającą (art. 2 ust. 2 ustawy) i wpisuje \
            się go w tej części."]),
        Section::many(
            "suspected_persons",
            "II",
            "Dane osób stosujących przemoc domową",
            10,
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.date("birth_date", "Data urodzenia")
                    .person(PF::BirthDate)
                    .hint("Osoba stosująca przemoc domową jest pełnoletnia (art. 2 ust. 1 pkt 3 ustawy)."),
                U.choice("sex", "Płeć", SEX).person_category(PF::Sex),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.text("stay_address", "Adres pobytu", ADDRESS_MAX).person(PF::StayAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
                U.choice("kinship", "Relacja wobec osoby doznającej przemocy domowej", KINSHIP_2023)
                    .person_category(PF::Kinship),
                U.text("kinship_other", "Relacja: inna (jaka)", LINE_MAX).person(PF::Kinship).required_when(equals(
                    "suspected_persons",
                    "kinship",
                    "other"
                )),
                U.text("occupation", "Zawód, miejsce pracy lub źródło utrzymania", LINE_MAX).person(PF::Occupation),
                U.boolean("is_soldier", "Żołnierz w czynnej służbie wojskowej").person_category(PF::Occupation).hint(
                    "W sprawach żołnierzy w czynnej służbie wojskowej działa Żandarmeria Wojskowa (art. 9a \
                    ust. 11a ustawy)."
                ),
                U.choice(
                    "present_at_opening",
                    "Czy osoba była obecna przy wypełnianiu formularza",
                    YES_NO_UNKNOWN
                )
                .not_personal()
                .hint(
                    "Osobę nieobecną przy wszczęciu procedury grupa zawiadamia o jej wszczęciu (art. 9b ust. 8 pkt 3 \
                    ustawy)."
                ),
            ],
        )
        .about(PersonRole::SuspectedPerson)
        .required(),
        Section::once(
            "report",
            "III",
            "Informacja o zgłoszeniu",
            U,
            fields![U.choice("reported_by", "Kto zgłosił podejrzenie stosowania przemocy domowej", REPORTED_BY),],
        ),
        Section::once(
            "reporter",
            "III",
            "Osoba zgłaszająca",
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
            ],
        )
        .about(PersonRole::Reporter)
        .required_when(REPORTER_GIVEN)
        .text(&["Osobie zgłaszającej nie przypisuje się numeru PESEL (art. 9c ust. 1 pkt 4 ustawy)."]),
        Section::once(
            "violence",
            "IV",
            "Formy przemocy domowej",
            S,
            fields![
                S.multi_choice("forms", "Formy przemocy domowej", FORMS_OF_VIOLENCE_2023)
                    .required()
                    .hint(ECONOMIC_VIOLENCE_HINT),
                U.text("other_what", "Inne formy (jakie)", LINE_MAX)
                    .required_when(equals("violence", "forms", "other")),
                U.date_time("incident_at", "Data i godzina zdarzenia"),
                U.long_text("description", "Opis zdarzenia", DESCRIPTION_MAX),
            ],
        )
        .required(),
        Section::once(
            "injuries",
            "V",
            "Obrażenia",
            S,
            fields![
                U.choice("injuries", "Czy stwierdzono obrażenia", YES_NO_UNKNOWN),
                U.long_text("description", "Opis obrażeń", NOTE_MAX)
                    .required_when(equals("injuries", "injuries", "yes")),
            ],
        ),
        Section::once(
            "household",
            "VI",
            "Dzieci i inne osoby we wspólnym gospodarstwie domowym",
            U,
            fields![
                U.boolean(
                    "children_present",
                    "Czy w gospodarstwie domowym osoby stosującej przemoc przebywają \
                    dzieci"
                )
                .required(),
                U.boolean("other_members_present", "Czy w gospodarstwie domowym przebywają inne osoby"),
            ],
        )
        .required(),
        Section::many(
            "children",
            "VI",
            "Dzieci we wspólnym gospodarstwie domowym",
            15,
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.date("birth_date", "Data urodzenia").person(PF::BirthDate),
                U.choice("sex", "Płeć", SEX).person_category(PF::Sex),
                U.text("kinship", "Stosunek pokrewieństwa z osobą stosującą przemoc domową", LINE_MAX)
                    .person(PF::Kinship),
                U.text("school_and_class", "Szkoła i klasa", LINE_MAX).person(PF::SchoolAndClass),
            ],
        )
        .about(PersonRole::HouseholdMember)
        .required_when(is_true("household", "children_present"))
        .text(&["Dziecko, które jest świadkiem przemocy domowej, jest osobą jej doznającą (art. 2 ust. 2 \
            ustawy): wpisz je także w części I."]),
        Section::many(
            "household_members",
            "VI",
            "Inne osoby we wspólnym gospodarstwie domowym",
            15,
            U,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.pesel("pesel", "Numer PESEL"),
                U.date("birth_date", "Data urodzenia").person(PF::BirthDate),
                U.choice("sex", "Płeć", SEX).person_category(PF::Sex),
                U.text("kinship", "Stosunek pokrewieństwa z osobą stosującą przemoc domową", LINE_MAX)
                    .person(PF::Kinship),
                U.text("occupation", "Zawód, miejsce pracy lub źródło utrzymania", LINE_MAX).person(PF::Occupation),
            ],
        )
        .about(PersonRole::HouseholdMember)
        .required_when(is_true("household", "other_members_present")),
        Section::once(
            "substances",
            "VII",
            "Alkohol i inne substancje",
            U,
            fields![
                U.choice("alcohol", "Czy osoba stosująca przemoc domową nadużywa alkoholu", YES_NO_UNKNOWN)
                    .person_category(PF::Addictions),
                U.choice(
                    "drugs",
                    "Czy osoba stosująca przemoc domową nadużywa środków odurzających, substancji \
                    psychotropowych lub leków",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Addictions),
                U.choice(
                    "under_influence",
                    "Czy w czasie zdarzenia osoba stosująca przemoc domową była pod wpływem alkoholu lub innych \
                    substancji",
                    YES_NO_UNKNOWN,
                ),
                U.long_text(
                    "notes",
                    "Uwagi (gdy osób stosujących przemoc jest kilka, kogo dotyczą odpowiedzi)",
                    NOTE_MAX
                ),
            ],
        ),
        Section::once(
            "firearm",
            "VIII",
            "Broń palna",
            S,
            fields![
                S.choice("has_firearm", "Czy osoba stosująca przemoc domową posiada broń palną", YES_NO_UNKNOWN)
                    .required()
                    .hint(
                        "Posiadanie broni palnej przez osobę stosującą przemoc domową wymaga niezwłocznego \
                        powiadomienia Policji (art. 9f ustawy)."
                    ),
                U.long_text("details", "Jaka broń, kto ją posiada i gdzie się znajduje", NOTE_MAX)
                    .required_when(equals("firearm", "has_firearm", "yes")),
            ],
        )
        .required(),
        Section::once(
            "safety",
            "IX",
            "Poczucie bezpieczeństwa osoby doznającej przemocy domowej",
            S,
            fields![
                U.choice("sense_of_safety", "Poczucie bezpieczeństwa", SENSE_OF_SAFETY),
                U.long_text("notes", "Uwagi", NOTE_MAX),
            ],
        ),
        Section::many(
            "witnesses",
            "X",
            "Świadkowie przemocy domowej",
            10,
            S,
            fields![
                U.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                U.text("residence_address", "Adres zamieszkania", ADDRESS_MAX).person(PF::ResidenceAddress),
                U.phone("phone", "Numer telefonu").person(PF::Phone),
                U.email("email", "Adres poczty elektronicznej").person(PF::Email),
            ],
        )
        .about(PersonRole::Witness)
        .text(&[
            "O świadku zbiera się tylko imię i nazwisko, adres zamieszkania i dane kontaktowe, bez numeru PESEL \
            (art. 9c ust. 1 pkt 4 ustawy).",
            "Małoletni świadek przemocy domowej jest osobą jej doznającą (art. 2 ust. 2 ustawy): wpisz go w \
                części I.",
        ]),
        Section::once(
            "earlier_measures",
            "XI",
            "Wcześniejsze interwencje i zastosowane środki",
            U,
            fields![
                U.multi_choice("measures", "Wcześniejsze interwencje i środki", EARLIER_MEASURES),
                U.text("court_proceedings_kind", "Jakie postępowanie sądowe", LINE_MAX),
                U.text("other_what", "Inne (jakie)", LINE_MAX).required_when(equals(
                    "earlier_measures",
                    "measures",
                    "other"
                )),
            ],
        ),
        Section::once(
            "actions_taken",
            "XII",
            "Podjęte działania",
            U,
            fields![
                U.multi_choice("actions", "Podjęte działania", ACTIONS_TAKEN),
                U.text("other_what", "Inne działania (jakie)", LINE_MAX).required_when(equals(
                    "actions_taken",
                    "actions",
                    "other"
                )),
                U.long_text("details", "Opis podjętych działań", NOTE_MAX),
            ],
        ),
        Section::once(
            "additional_information",
            "XIII",
            "Dodatkowe informacje",
            S,
            fields![S.long_text("additional_information", "Dodatkowe informacje", DESCRIPTION_MAX),],
        ),
        Section::once(
            "filled_by",
            "XIV",
            "Osoba wypełniająca formularz",
            S,
            fields![
                S.choice("category", "Osoba wypełniająca formularz", INITIATORS_2023)
                    .required()
                    .hint("Art. 9a ust. 11–11d ustawy."),
                U.text("first_name", "Imię", NAME_MAX).required(),
                U.text("last_name", "Nazwisko", NAME_MAX).required(),
                U.text("position", "Stanowisko lub funkcja", LINE_MAX).not_personal(),
                U.text("institution", "Nazwa i adres podmiotu", LINE_MAX).not_personal().required(),
            ],
        )
        .required(),
        Section::once(
            "receipt",
            "",
            "Wpływ do przewodniczącego zespołu interdyscyplinarnego",
            U,
            fields![U.date("received_on", "Data wpływu formularza do przewodniczącego zespołu interdyscyplinarnego"),],
        ),
    ],
};
