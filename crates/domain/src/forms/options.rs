//! Option lists and limits shared by several definitions. An option's value is what is stored and counted, so it
//! never changes once forms are filled with it; its label may.

use super::definition::Opt;

/// A first name or a last name.
pub const NAME_MAX: u16 = 100;
/// A short line: a town, an institution, "other (what?)".
pub const LINE_MAX: u16 = 300;
/// A note of a few sentences.
pub const NOTE_MAX: u16 = 2_000;
/// A description (of an incident, a situation, conclusions).
pub const DESCRIPTION_MAX: u16 = 10_000;
/// An address typed on one line, as the person module reads it ([`crate::person::MAX_ADDRESS_CHARS`]).
pub const ADDRESS_MAX: u16 = crate::person::MAX_ADDRESS_CHARS as u16;
const _: () = assert!(crate::person::MAX_ADDRESS_CHARS <= u16::MAX as usize);

/// TAK / NIE.
pub const YES_NO: &[Opt] = &[Opt::new("yes", "tak"), Opt::new("no", "nie")];

/// TAK / NIE / NIE USTALONO.
pub const YES_NO_UNKNOWN: &[Opt] =
    &[Opt::new("yes", "tak"), Opt::new("no", "nie"), Opt::new("not_established", "nie ustalono")];

/// The voivodeships, by their TERYT code (the first two digits of a [`crate::tenant::Teryt`]).
pub const VOIVODESHIPS: &[Opt] = &[
    Opt::new("02", "dolnośląskie"),
    Opt::new("04", "kujawsko-pomorskie"),
    Opt::new("06", "lubelskie"),
    Opt::new("08", "lubuskie"),
    Opt::new("10", "łódzkie"),
    Opt::new("12", "małopolskie"),
    Opt::new("14", "mazowieckie"),
    Opt::new("16", "opolskie"),
    Opt::new("18", "podkarpackie"),
    Opt::new("20", "podlaskie"),
    Opt::new("22", "pomorskie"),
    Opt::new("24", "śląskie"),
    Opt::new("26", "świętokrzyskie"),
    Opt::new("28", "warmińsko-mazurskie"),
    Opt::new("30", "wielkopolskie"),
    Opt::new("32", "zachodniopomorskie"),
];

/// How often the situation is assessed, or progress reported (REG11 annexes 3 and 4).
pub const FREQUENCY: &[Opt] = &[
    Opt::new("weekly", "raz w tygodniu"),
    Opt::new("monthly", "raz w miesiącu"),
    Opt::new("quarterly", "raz na trzy miesiące"),
    Opt::new("other", "w innych terminach"),
];

/// Sex as the PESEL encodes it; the values are [`crate::person::Sex::as_str`].
pub const SEX: &[Opt] = &[Opt::new("female", "kobieta"), Opt::new("male", "mężczyzna")];

/// The forms of domestic violence named by the act (art. 2 ust. 1 pkt 1 \[P\]) and on the 2023 form A, section IV
/// [S: TECZKA].
pub const FORMS_OF_VIOLENCE_2023: &[Opt] = &[
    Opt::new("physical", "przemoc fizyczna"),
    Opt::new("psychological", "przemoc psychiczna"),
    Opt::new("sexual", "przemoc seksualna"),
    Opt::new("economic", "przemoc ekonomiczna"),
    Opt::new("electronic", "przemoc za pomocą środków komunikacji elektronicznej"),
    Opt::new("other", "inne"),
];

/// The examples the 2023 form A gives for economic violence [S: TECZKA].
pub const ECONOMIC_VIOLENCE_HINT: &str = "Przemoc ekonomiczna to np. niełożenie na utrzymanie, niezaspokajanie \
    potrzeb materialnych, niszczenie rzeczy osobistych, demolowanie mieszkania, wynoszenie z domu sprzętów \
    domowych i \
    ich sprzedawanie.";

/// The relationship of the person using violence to the person experiencing it: the circle of persons of art. 2
/// ust. 1 pkt 2 of the act \[P\]. The list on the 2023 forms is not known \[U\].
pub const KINSHIP_2023: &[Opt] = &[
    Opt::new("spouse", "małżonek / małżonka"),
    Opt::new("former_spouse", "były małżonek / była małżonka"),
    Opt::new("cohabitant", "osoba pozostająca we wspólnym pożyciu"),
    Opt::new("former_cohabitant", "osoba, która pozostawała we wspólnym pożyciu"),
    Opt::new(
        "relationship",
        "osoba pozostająca obecnie lub w przeszłości w trwałej relacji (bez wspólnego zamieszkiwania)",
    ),
    Opt::new("parent", "rodzic"),
    Opt::new("child", "dziecko"),
    Opt::new("sibling", "rodzeństwo"),
    Opt::new("grandparent", "dziadek / babcia"),
    Opt::new("grandchild", "wnuk / wnuczka"),
    Opt::new("other_relative", "inny krewny lub powinowaty"),
    Opt::new("household", "osoba wspólnie zamieszkująca i gospodarująca"),
    Opt::new("other", "inna relacja"),
];

/// Marital status (stan cywilny, art. 9c ust. 1 pkt 3). The list on the 2023 form D is not known \[U\].
pub const MARITAL_STATUS: &[Opt] = &[
    Opt::new("single", "kawaler / panna"),
    Opt::new("married", "żonaty / zamężna"),
    Opt::new("separated", "w separacji"),
    Opt::new("divorced", "rozwiedziony / rozwiedziona"),
    Opt::new("widowed", "wdowiec / wdowa"),
];

/// Who filled form A: the persons of art. 9a ust. 11–11d of the act (procedure.md §1.7) [P: the act; S: that
/// section XIV of the 2023 form A lists them].
pub const INITIATORS_2023: &[Opt] = &[
    Opt::new("social_worker", "pracownik socjalny jednostki organizacyjnej pomocy społecznej"),
    Opt::new("police", "funkcjonariusz Policji"),
    Opt::new("military_police", "żołnierz Żandarmerii Wojskowej"),
    Opt::new(
        "sow_social_worker",
        "pracownik socjalny specjalistycznego ośrodka wsparcia dla osób doznających przemocy domowej",
    ),
    Opt::new("family_assistant", "asystent rodziny"),
    Opt::new("teacher", "nauczyciel wychowawca klasy lub nauczyciel znający sytuację domową małoletniego"),
    Opt::new("medical", "osoba wykonująca zawód medyczny (lekarz, pielęgniarka, położna, ratownik medyczny)"),
    Opt::new("gkrpa", "przedstawiciel gminnej komisji rozwiązywania problemów alkoholowych"),
    Opt::new("pedagogue_psychologist_therapist", "pedagog, psycholog lub terapeuta"),
];

/// The institutions that carry out an action of the individual support plan. The values are
/// [`crate::tenant::InstitutionKind::as_str`] [U: the plan's layout on the 2023 form C].
pub const PLAN_INSTITUTIONS: &[Opt] = &[
    Opt::new("social_welfare", "jednostka organizacyjna pomocy społecznej"),
    Opt::new("police", "Policja"),
    Opt::new("education", "oświata"),
    Opt::new("health_care", "ochrona zdrowia"),
    Opt::new("alcohol_commission", "gminna komisja rozwiązywania problemów alkoholowych"),
    Opt::new("probation_officer", "kurator sądowy"),
    Opt::new("county_family_centre", "powiatowe centrum pomocy rodzinie"),
    Opt::new("crisis_intervention_centre", "ośrodek interwencji kryzysowej"),
    Opt::new("ngo", "organizacja pozarządowa"),
    Opt::new("other", "inny podmiot"),
];
