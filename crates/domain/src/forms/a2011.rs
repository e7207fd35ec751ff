//! "Niebieska Karta – A", 2011 version: REG11 (Dz.U. 2011 nr 209 poz. 1245) annex no. 1. \[P\] throughout.
//!
//! Filled by a representative of one of the five institutions of the old art. 9d ust. 2 (social welfare, GKRPA,
//! Police, education, health care) in the presence of the person suspected to be affected (REG11 §2). Parts I–XV,
//! XVII and XIX–XXI are filled by everyone; part XVI also by the Police; part XVIII also by health care (footnote
//! to the annex). On paper nothing is marked as required; here only what identifies the case is, so that old paper
//! forms can be entered as they are.

use super::definition::Confidence::Primary as P;
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section, equals};
use super::options::{DESCRIPTION_MAX, LINE_MAX, NAME_MAX, NOTE_MAX, YES_NO, YES_NO_UNKNOWN};
use crate::forms::definition::Field;
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 13 września 2011 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2011 nr 209 poz. 1245), załącznik nr 1";

/// Towards whom a behaviour was used (the two column groups of parts IV of form A and II of form D).
pub const TOWARDS: &[Opt] = &[Opt::new("adults", "wobec dorosłych"), Opt::new("children", "wobec dzieci")];

/// Whose behaviour or treatment is meant (parts VI and XVI).
pub const TWO_PERSONS: &[Opt] = &[
    Opt::new("affected_person", "osoba, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie"),
    Opt::new("suspected_person", "osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie"),
];

const TOWARDS_WHOM_HINT: &str = "Na przykład: żony, męża, partnera, partnerki, matki, ojca, córki, syna.";

/// The behaviour matrix: part IV of form A and part II of form D. Each behaviour is ticked towards adults, towards
/// children, both or neither; each group of behaviours says towards whom.
pub const BEHAVIOUR_MATRIX: &[Field] = fields![
    P.multi_choice("physical_pushing", "Przemoc fizyczna: popychanie", TOWARDS),
    P.multi_choice("physical_hitting", "Przemoc fizyczna: uderzanie", TOWARDS),
    P.multi_choice("physical_arm_twisting", "Przemoc fizyczna: wykręcanie rąk", TOWARDS),
    P.multi_choice("physical_choking", "Przemoc fizyczna: duszenie", TOWARDS),
    P.multi_choice("physical_kicking", "Przemoc fizyczna: kopanie", TOWARDS),
    P.multi_choice("physical_slapping", "Przemoc fizyczna: spoliczkowanie", TOWARDS),
    P.multi_choice("physical_other", "Przemoc fizyczna: inne", TOWARDS),
    P.text("physical_other_what", "Przemoc fizyczna: inne (podać jakie)", LINE_MAX),
    P.text("physical_towards_whom_adults", "Przemoc fizyczna wobec dorosłych: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.text("physical_towards_whom_children", "Przemoc fizyczna wobec dzieci: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.multi_choice("injuries_bruises", "Uszkodzenia ciała: zasinienia", TOWARDS),
    P.multi_choice("injuries_scratches", "Uszkodzenia ciała: zadrapania", TOWARDS),
    P.multi_choice("injuries_bleeding", "Uszkodzenia ciała: krwawienia", TOWARDS),
    P.multi_choice("injuries_burns", "Uszkodzenia ciała: oparzenia", TOWARDS),
    P.multi_choice("injuries_other", "Uszkodzenia ciała: inne", TOWARDS),
    P.text("injuries_other_what", "Uszkodzenia ciała: inne (podać jakie)", LINE_MAX),
    P.text("injuries_towards_whom_adults", "Uszkodzenia ciała u dorosłych: u kogo", LINE_MAX).hint(TOWARDS_WHOM_HINT),
    P.text("injuries_towards_whom_children", "Uszkodzenia ciała u dzieci: u kogo", LINE_MAX).hint(TOWARDS_WHOM_HINT),
    P.multi_choice("psychological_isolation", "Przemoc psychiczna: izolacja", TOWARDS),
    P.multi_choice("psychological_name_calling", "Przemoc psychiczna: wyzwiska", TOWARDS),
    P.multi_choice("psychological_ridicule", "Przemoc psychiczna: ośmieszanie", TOWARDS),
    P.multi_choice("psychological_threats", "Przemoc psychiczna: groźby", TOWARDS),
    P.multi_choice("psychological_controlling", "Przemoc psychiczna: kontrolowanie", TOWARDS),
    P.multi_choice("psychological_limiting_contacts", "Przemoc psychiczna: ograniczanie kontaktów", TOWARDS),
    P.multi_choice("psychological_criticising", "Przemoc psychiczna: krytykowanie", TOWARDS),
    P.multi_choice("psychological_humiliating", "Przemoc psychiczna: poniżanie", TOWARDS),
    P.multi_choice("psychological_demoralisation", "Przemoc psychiczna: demoralizacja", TOWARDS),
    P.multi_choice("psychological_constant_harassment", "Przemoc psychiczna: ciągłe niepokojenie", TOWARDS),
    P.multi_choice("psychological_other", "Przemoc psychiczna: inne", TOWARDS),
    P.text("psychological_other_what", "Przemoc psychiczna: inne (podać jakie)", LINE_MAX),
    P.text("psychological_towards_whom_adults", "Przemoc psychiczna wobec dorosłych: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.text("psychological_towards_whom_children", "Przemoc psychiczna wobec dzieci: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.multi_choice(
        "sexual_forced_acts",
        "Przemoc seksualna: zmuszanie do obcowania płciowego i innych czynności seksualnych",
        TOWARDS,
    ),
    P.text("sexual_towards_whom_adults", "Przemoc seksualna wobec dorosłych: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.text("sexual_towards_whom_children", "Przemoc seksualna wobec dzieci: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.multi_choice("other_property_damage", "Inny rodzaj zachowań: niszczenie/uszkodzenie mienia", TOWARDS),
    P.multi_choice("other_property_taking", "Inny rodzaj zachowań: zabór/przywłaszczenie mienia", TOWARDS),
    P.multi_choice("other_criminal_threat", "Inny rodzaj zachowań: groźba karalna/znieważenie", TOWARDS),
    P.multi_choice("other_forced_drinking", "Inny rodzaj zachowań: zmuszanie do picia alkoholu", TOWARDS),
    P.multi_choice(
        "other_forced_drugs",
        "Inny rodzaj zachowań: zmuszanie do zażywania środków odurzających lub substancji psychotropowych oraz \
         niezleconych przez lekarza leków",
        TOWARDS,
    ),
    P.multi_choice("other_harmful", "Inny rodzaj zachowań: inne działające na szkodę najbliższych", TOWARDS),
    P.text("other_harmful_what", "Inne działające na szkodę najbliższych (podać jakie)", LINE_MAX),
    P.text("other_towards_whom_adults", "Inny rodzaj zachowań wobec dorosłych: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
    P.text("other_towards_whom_children", "Inny rodzaj zachowań wobec dzieci: wobec kogo", LINE_MAX)
        .hint(TOWARDS_WHOM_HINT),
];

const REPORTED_BY: &[Opt] = &[
    Opt::new("affected_person", "osoba, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie"),
    Opt::new("other_person", "inna osoba (np. rodzic, opiekun prawny, opiekun faktyczny, osoba najbliższa, świadek)"),
];

const EARLIER_ACTIONS: &[Opt] = &[
    Opt::new("police_interventions", "powiadamianie i interwencje Policji"),
    Opt::new("prosecutor_notified", "powiadomienie prokuratury"),
    Opt::new("detention", "zatrzymanie"),
    Opt::new("police_supervision", "dozór Policji"),
    Opt::new("contact_ban", "wydanie zakazu kontaktowania się z określonymi osobami"),
    Opt::new("approach_ban", "wydanie zakazu zbliżania się do określonych osób"),
    Opt::new(
        "leave_premises_order",
        "wydanie postanowienia o obowiązku opuszczenia lokalu zajmowanego wspólnie z pokrzywdzonym",
    ),
    Opt::new("pretrial_detention", "tymczasowe aresztowanie"),
    Opt::new("court_proceedings", "wszczęcie postępowania karnego lub innego postępowania sądowego"),
    Opt::new(
        "parental_authority_supervision",
        "poddanie wykonywania władzy rodzicielskiej stałemu nadzorowi kuratora sądowego",
    ),
    Opt::new(
        "child_removal",
        "odebranie dziecka w razie bezpośredniego zagrożenia życia lub zdrowia w związku z przemocą w rodzinie",
    ),
    Opt::new("addiction_treatment_obligation", "zobowiązanie do poddania się leczeniu odwykowemu"),
    Opt::new("other_addiction_treatment", "leczenie innych uzależnień"),
    Opt::new("programme_obligation", "zobowiązanie do uczestnictwa w programach oddziaływań korekcyjno-edukacyjnych"),
    Opt::new("medical_help", "udzielono pomocy medycznej"),
    Opt::new("other", "inne działania"),
];

const MENTAL_STATE: &[Opt] = &[
    Opt::new("agitated", "pobudzony/-na"),
    Opt::new("lethargic", "ospały/-ła/apatyczny/-na"),
    Opt::new("tearful", "płaczliwy/-wa"),
    Opt::new("aggressive", "agresywny/-na"),
    Opt::new("fearful", "lękliwy/-wa"),
    Opt::new("other", "inny/-na"),
];

const COMMUNICATION: &[Opt] = &[
    Opt::new("willing", "chętnie nawiązuje kontakt"),
    Opt::new("hard_to_contact", "trudno nawiązuje kontakt"),
    Opt::new("taciturn", "małomówny/-na"),
    Opt::new("stutters", "jąka się"),
    Opt::new("shouts", "krzyczy"),
    Opt::new("illogical", "wypowiada się nielogicznie"),
    Opt::new("refuses_to_answer", "odmawia odpowiedzi na zadawane pytania"),
    Opt::new("non_verbal", "porozumiewa się niewerbalnie (np. językiem migowym, gestami, piktogramami itp.)"),
];

const INJURIES: &[Opt] = &[
    Opt::new("cuts", "skaleczenia"),
    Opt::new("puncture_marks", "ślady nakłucia"),
    Opt::new("bite_marks", "ślady ugryzienia"),
    Opt::new("abrasions", "otarcia naskórka"),
    Opt::new("bruises", "siniaki"),
    Opt::new("bleeding", "krwawienia"),
    Opt::new("burns", "ślady oparzenia"),
    Opt::new("dislocations", "zwichnięcia"),
    Opt::new("fractures", "złamania kości"),
];

const SKIN: &[Opt] = &[
    Opt::new("clean", "czysta"),
    Opt::new("dirty", "brudna"),
    Opt::new("dry", "wysuszona"),
    Opt::new("frostbitten", "odmrożona"),
    Opt::new("chafed", "odparzona"),
    Opt::new("bedsores", "odleżyny"),
    Opt::new("nappy_rash", "pieluszkowe zapalenie skóry"),
];

const HAIR: &[Opt] = &[
    Opt::new("clean", "czyste"),
    Opt::new("dirty", "brudne"),
    Opt::new("lice", "wszawica"),
    Opt::new("hair_loss", "łysienie/włosy powyrywane"),
    Opt::new("cradle_cap", "ciemieniucha"),
];

const OTHER_SIGNS: &[Opt] = &[
    Opt::new("inadequate_clothing", "strój brudny/nieadekwatny do pory roku"),
    Opt::new("weight_height", "waga/wzrost nieadekwatne do wieku"),
    Opt::new("development", "rozwój nieadekwatny do wieku"),
    Opt::new("emaciation", "wyniszczenie organizmu"),
    Opt::new("dehydration", "odwodnienie"),
    Opt::new("repeated_visits", "ponawianie zgłoszeń do lekarza"),
    Opt::new("no_doctor_despite_illness", "niekorzystanie z pomocy lekarza mimo przewlekłej choroby"),
    Opt::new("advice_not_followed", "niestosowanie się do wcześniejszych zaleceń lekarskich"),
];

const TREATMENT: &[Opt] = &[
    Opt::new("admitted_to_ward", "przyjęto na oddział szpitalny"),
    Opt::new("referred_to_hospital", "skierowano do szpitala"),
    Opt::new("outpatient", "udzielono pomocy ambulatoryjnej"),
    Opt::new("sent_home", "odesłano do domu"),
    Opt::new("other", "inne"),
];

const SAFETY_ACTIONS: &[Opt] = &[
    Opt::new("police_notified", "powiadomienie Policji"),
    Opt::new("social_help", "udzielenie pomocy socjalnej"),
    Opt::new("medical_help", "udzielenie pomocy medycznej"),
    Opt::new("other", "inne"),
];

const FACILITIES: &[Opt] = &[
    Opt::new("sow", "specjalistyczny ośrodek wsparcia dla ofiar przemocy w rodzinie"),
    Opt::new("support_centre", "ośrodek wsparcia"),
    Opt::new("crisis_intervention_centre", "ośrodek interwencji kryzysowej"),
    Opt::new("home_for_mothers", "dom dla matek z małoletnimi dziećmi i kobiet w ciąży"),
    Opt::new("hospital", "szpital"),
    Opt::new("other", "inna placówka"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::A,
    version: FormVersion::V2011,
    title_pl: "Niebieska Karta – A",
    legal_basis: LEGAL_BASIS,
    sections: &[
        Section::once(
            "header",
            "",
            "Nagłówek",
            P,
            fields![
                P.text("place", "Miejscowość", LINE_MAX).not_personal(),
                P.date("date", "Data").required(),
                P.text("institution", "Pieczęć podmiotu wypełniającego formularz (nazwa)", LINE_MAX)
                    .not_personal()
                    .required()
                    .hint(
                        "Podmiot, o którym mowa w art. 9d ust. 2 ustawy z dnia 29 lipca 2005 r. o \
                        przeciwdziałaniu przemocy w rodzinie."
                    ),
            ],
        )
        .required(),
        Section::once(
            "affected_person",
            "I",
            "Dane osoby, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                P.text("parents_first_names", "Imiona rodziców", LINE_MAX).person(PF::ParentsFirstNames),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
                address_2011(P, "stay", "Aktualny adres pobytu", PF::StayAddress),
            ],
        )
        .about(PersonRole::AffectedPerson)
        .required(),
        Section::once(
            "report",
            "II",
            "Informacja dotycząca zgłoszenia podejrzenia stosowania przemocy w rodzinie",
            P,
            fields![
                P.choice("reported_by", "Zgłaszający", REPORTED_BY),
                P.long_text(
                    "affected_person_account",
                    "Zgłaszający: osoba, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie",
                    NOTE_MAX,
                ),
                P.long_text(
                    "other_person_account",
                    "Zgłaszający: inna osoba (np. rodzic, opiekun prawny, opiekun faktyczny, osoba najbliższa, \
                    świadek)",
                    NOTE_MAX,
                ),
            ],
        ),
        Section::once(
            "reporter",
            "II",
            "Zgłaszający – inna osoba",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
            ],
        )
        .about(PersonRole::Reporter)
        .required_when(equals("report", "reported_by", "other_person")),
        Section::once(
            "suspected_person",
            "III",
            "Dane osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
                P.text(
                    "kinship",
                    "Stosunek pokrewieństwa z osobą, co do której istnieje podejrzenie, że jest dotknięta \
                    przemocą w rodzinie",
                    LINE_MAX,
                )
                .person(PF::Kinship),
            ],
        )
        .about(PersonRole::SuspectedPerson)
        .required(),
        Section::once(
            "behaviour",
            "IV",
            "Czy osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie, zachowywała się w \
            następujący sposób",
            P,
            BEHAVIOUR_MATRIX,
        )
        .text(&["Przy każdym zachowaniu zaznacz, czy wystąpiło wobec dorosłych i czy wobec dzieci. Brak \
            zaznaczenia oznacza „nie”."]),
        Section::once(
            "duration",
            "V",
            "Od jak dawna te zachowania mają miejsce",
            P,
            fields![P.long_text("how_long", "Od jak dawna te zachowania mają miejsce", NOTE_MAX),],
        ),
        Section::once(
            "conduct",
            "VI",
            "Zachowanie",
            P,
            fields![
                P.multi_choice("hard_to_contact", "Trudność nawiązania kontaktu", TWO_PERSONS),
                P.multi_choice("calm", "Spokojny/-na", TWO_PERSONS),
                P.multi_choice("tearful", "Płaczliwy/-wa", TWO_PERSONS),
                P.multi_choice("intimidated", "Zastraszony/-na", TWO_PERSONS),
                P.multi_choice("avoids_talking", "Unika rozmów", TWO_PERSONS),
                P.multi_choice("aggressive", "Agresywny/-na", TWO_PERSONS),
                P.multi_choice("resists_police", "Stawia opór Policji", TWO_PERSONS),
            ],
        )
        .text(&["Przy każdym zachowaniu zaznacz osobę, u której je zaobserwowano. Brak zaznaczenia oznacza „nie”."]),
        Section::once(
            "scene",
            "VII",
            "Opis miejsca zdarzenia",
            P,
            fields![P.long_text("description", "Opis miejsca zdarzenia", NOTE_MAX).hint(
                "Np. szkody, zniszczone sprzęty, nieporządek, rozbite szkło, uszkodzone drzwi, brud, ślady \
                    krwi, ślady spożywania alkoholu, wyczuwalna woń alkoholu, inne."
            ),],
        ),
        Section::many(
            "witnesses",
            "VIII",
            "Świadkowie stosowania przemocy w rodzinie",
            3,
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
            ],
        )
        .about(PersonRole::Witness),
        Section::once(
            "suspect_background",
            "IX–XIII",
            "Osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.choice(
                    "previously_convicted",
                    "Czy była już kiedykolwiek karana za przestępstwo z użyciem przemocy lub groźby jej użycia",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Convictions),
                P.choice(
                    "probation_supervision",
                    "Czy sąd zastosował wobec niej dozór kuratora sądowego",
                    YES_NO_UNKNOWN
                )
                .person_category(PF::Convictions),
                P.choice("alcohol_misuse", "Czy nadużywa alkoholu", YES_NO_UNKNOWN).person_category(PF::Addictions),
                P.choice(
                    "drug_misuse",
                    "Czy nadużywa środków odurzających, substancji psychotropowych lub leków",
                    YES_NO_UNKNOWN,
                )
                .person_category(PF::Addictions),
                P.choice("psychiatric_treatment", "Czy była leczona psychiatrycznie", YES_NO_UNKNOWN)
                    .person_category(PF::Health),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "weapon",
            "XIV",
            "Czy osoba, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie, posiada broń",
            P,
            fields![P.choice("has_weapon", "Czy posiada broń", YES_NO_UNKNOWN).hint(
                "Gdy posiada broń palną, przewodniczący zespołu niezwłocznie informuje Policję (art. 9f ustawy)."
            ),],
        ),
        Section::once(
            "earlier_actions",
            "XV",
            "Czy w związku ze stosowaniem przemocy w rodzinie były podejmowane następujące działania",
            P,
            fields![
                P.multi_choice("actions", "Podjęte działania", EARLIER_ACTIONS),
                P.text("court_proceedings_kind", "Jakie postępowanie sądowe (np. rozwodowe, rodzinne)", LINE_MAX,),
                P.text(
                    "addiction_treatment_for_whom",
                    "Zobowiązanie do leczenia odwykowego: w stosunku do kogo",
                    LINE_MAX
                ),
                P.text(
                    "other_addiction_treatment_what",
                    "Leczenie innych uzależnień: jakich, w stosunku do kogo",
                    LINE_MAX
                ),
                P.text(
                    "programme_imposed_by",
                    "Zobowiązanie do uczestnictwa w programach: nałożone przez kogo",
                    LINE_MAX
                ),
                P.long_text("other_actions_what", "Inne działania (jakie)", NOTE_MAX),
            ],
        ),
        Section::once(
            "police_actions",
            "XVI",
            "Działania podjęte przez Policję",
            P,
            fields![
                P.multi_choice("instruction", "Pouczenie", TWO_PERSONS),
                P.multi_choice("direct_coercion", "Środki przymusu bezpośredniego", TWO_PERSONS),
                P.text("direct_coercion_kind", "Środki przymusu bezpośredniego: jakie", LINE_MAX),
                P.multi_choice("breath_test", "Badanie na zawartość alkoholu w organizmie", TWO_PERSONS),
                P.text("breath_test_result_affected", "Wynik badania: osoba dotknięta przemocą", 50),
                P.text("breath_test_result_suspected", "Wynik badania: osoba podejrzewana o stosowanie przemocy", 50),
                P.multi_choice("sobering_up_station", "Izba wytrzeźwień", TWO_PERSONS),
                P.multi_choice(
                    "police_rooms_detained_or_sobering",
                    "Policyjne pomieszczenia dla osób zatrzymanych/do wytrzeźwienia",
                    TWO_PERSONS,
                ),
                P.multi_choice("police_rooms_detained", "Policyjne pomieszczenia dla osób zatrzymanych", TWO_PERSONS),
                P.multi_choice("police_children_room", "Policyjna izba dziecka", TWO_PERSONS),
            ],
        )
        .text(&["Część XVI dodatkowo wypełnia przedstawiciel Policji."]),
        Section::many(
            "household_members",
            "XVII",
            "Dane dotyczące rodziny: inne osoby pozostające we wspólnym gospodarstwie z osobą, wobec której \
            istnieje podejrzenie, że stosuje przemoc w rodzinie",
            20,
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                P.text("kinship", "Stosunek pokrewieństwa", LINE_MAX).person(PF::Kinship).hint(TOWARDS_WHOM_HINT),
                P.number("age", "Wiek", 0, 130).person(PF::BirthDate),
                P.text("occupation", "Czym się zajmuje", LINE_MAX)
                    .person(PF::Occupation)
                    .hint("Zawód, miejsce pracy, w przypadku dzieci — szkoła/klasa."),
            ],
        )
        .about(PersonRole::HouseholdMember),
        Section::once(
            "health",
            "XVIII",
            "Informacje dotyczące stanu zdrowia osoby, co do której istnieje podejrzenie, że jest dotknięta \
            przemocą w rodzinie",
            P,
            fields![
                P.multi_choice("mental_state", "Stan psychiczny", MENTAL_STATE).person_category(PF::Health),
                P.text("mental_state_other", "Stan psychiczny: inny (jaki)", LINE_MAX).person(PF::Health),
                P.multi_choice("communication", "Porozumiewanie się", COMMUNICATION).person_category(PF::Health),
                P.long_text("communication_notes", "Porozumiewanie się: uwagi", NOTE_MAX).person(PF::Health),
                P.long_text("reaction_to_companion", "Reakcja na osobę towarzyszącą", NOTE_MAX)
                    .person(PF::Health)
                    .hint("Szczególnie ważne w przypadku dzieci."),
                P.multi_choice("injuries", "Rodzaje uszkodzeń", INJURIES).person_category(PF::Health),
                P.multi_choice("skin", "Stan higieny: skóra", SKIN).person_category(PF::Health),
                P.multi_choice("hair", "Stan higieny: włosy", HAIR).person_category(PF::Health),
                P.multi_choice(
                    "other_signs",
                    "Inne objawy podejrzenia stosowania przemocy w rodzinie/zaniedbania",
                    OTHER_SIGNS,
                )
                .person_category(PF::Health),
                P.choice(
                    "consistent_with_account",
                    "Obrażenia i objawy spójne z wersją przedstawioną przez osobę, co do której istnieje \
                    podejrzenie, że jest dotknięta przemocą w rodzinie",
                    YES_NO,
                )
                .person_category(PF::Health),
                P.choice(
                    "consistent_with_parent_account",
                    "W przypadku dziecka obrażenia i objawy spójne również z wersją przedstawioną przez rodzica \
                    lub opiekuna prawnego lub opiekuna faktycznego",
                    YES_NO,
                )
                .person_category(PF::Health),
                P.choice("specialist_consultation", "Konieczność przeprowadzenia konsultacji specjalistycznej", YES_NO)
                    .person_category(PF::Health),
                P.multi_choice("treatment", "Podjęte leczenie", TREATMENT).person_category(PF::Health),
                P.text("treatment_ward", "Przyjęto na oddział szpitalny (jaki)", LINE_MAX).person(PF::Health),
                P.text("treatment_hospital", "Skierowano do szpitala (jakiego)", LINE_MAX).person(PF::Health),
                P.text("treatment_other", "Podjęte leczenie: inne (jakie)", LINE_MAX).person(PF::Health),
                P.choice(
                    "informed_about_certificate",
                    "Poinformowano o możliwości otrzymania zaświadczenia lekarskiego o przyczynach i rodzaju \
                    uszkodzeń ciała związanych z przemocą w rodzinie",
                    YES_NO,
                )
                .person_category(PF::Health),
                P.choice("certificate_issued", "Wydano zaświadczenie lekarskie", YES_NO).person_category(PF::Health),
                P.choice("examination_referral", "Wydano skierowanie na badanie lekarskie", YES_NO)
                    .person_category(PF::Health),
                P.choice("sick_leave", "Wydano zwolnienie lekarskie od pracy", YES_NO).person_category(PF::Health),
            ],
        )
        .about(PersonRole::AffectedPerson)
        .text(&["Część XVIII dodatkowo wypełnia przedstawiciel ochrony zdrowia."]),
        Section::once(
            "interventions",
            "XIX",
            "Podjęte działania interwencyjne",
            P,
            fields![
                P.multi_choice(
                    "safety",
                    "Działania zmierzające do zapewnienia bezpieczeństwa osobie, co do której istnieje \
                    podejrzenie, że jest dotknięta przemocą w rodzinie",
                    SAFETY_ACTIONS,
                )
                .hint(
                    "W przypadku przemocy seksualnej należy działać zgodnie z procedurą postępowania Policji \
                    i placówki medycznej."
                ),
                P.text("safety_other", "Działania zapewniające bezpieczeństwo: inne (jakie)", LINE_MAX),
                P.multi_choice("facility", "Zapewnienie miejsca w placówce całodobowej", FACILITIES,),
                P.text("facility_other", "Placówka całodobowa: inna (jaka)", LINE_MAX),
                P.long_text("children_help", "Działania zmierzające do udzielenia pomocy dzieciom", NOTE_MAX),
                P.long_text(
                    "prosecution_information",
                    "Przekazanie informacji organom właściwym do prowadzenia postępowania przygotowawczego",
                    NOTE_MAX,
                ),
                P.long_text("other", "Inne (jakie)", NOTE_MAX),
            ],
        ),
        Section::once(
            "conclusions",
            "XX",
            "Wnioski przedstawiciela podmiotu wypełniającego formularz",
            P,
            fields![P.long_text("conclusions", "Wnioski", DESCRIPTION_MAX),],
        ),
        Section::once(
            "additional_information",
            "XXI",
            "Dodatkowe informacje",
            P,
            fields![P.long_text("additional_information", "Dodatkowe informacje", DESCRIPTION_MAX),],
        ),
        Section::once(
            "receipt",
            "",
            "Wpływ do przewodniczącego zespołu interdyscyplinarnego",
            P,
            fields![
                P.date(
                    "received_on",
                    "Data wpływu formularza „Niebieska Karta – A” do przewodniczącego zespołu interdyscyplinarnego",
                )
                .hint(
                    "Przekazanie następuje niezwłocznie, nie później niż w terminie 7 dni od dnia wszczęcia \
                    procedury (§ 7 ust. 1 rozporządzenia z 2011 r.)."
                ),
            ],
        ),
    ],
};
