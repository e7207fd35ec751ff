//! "Niebieska Karta – C", 2011 version: REG11 (Dz.U. 2011 nr 209 poz. 1245) annex no. 3. \[P\] throughout.
//!
//! Filled by the interdisciplinary team or the working group, at a meeting, with the person suspected to be affected
//! (REG11 §8 ust. 2); also to record a further incident during the procedure (§9 ust. 2).

use super::definition::Confidence::Primary as P;
use super::definition::{FormDefinition, FormKind, FormVersion, Opt, Section};
use super::options::{DESCRIPTION_MAX, FREQUENCY, LINE_MAX, NAME_MAX, NOTE_MAX, YES_NO};
use crate::person::{PersonField as PF, PersonRole};

pub const LEGAL_BASIS: &str = "Rozporządzenie Rady Ministrów z dnia 13 września 2011 r. w sprawie procedury \
    „Niebieskie Karty” oraz wzorów formularzy „Niebieska Karta” (Dz.U. 2011 nr 209 poz. 1245), załącznik nr 3";

const SOCIAL_WELFARE: &[Opt] = &[
    Opt::new("social_work", "praca socjalna, w tym cykliczne wizyty w środowisku"),
    Opt::new(
        "benefits_information",
        "poinformowanie o warunkach korzystania ze świadczeń pieniężnych z pomocy społecznej",
    ),
    Opt::new(
        "counselling",
        "wskazanie na możliwość skorzystania z pomocy psychologicznej, prawnej oraz w formie poradnictwa — \
            medycznego, \
         zawodowego i rodzinnego",
    ),
    Opt::new(
        "victim_facility",
        "skierowanie do placówki dla ofiar przemocy w rodzinie, w szczególności do specjalistycznego ośrodka \
            wsparcia \
         dla ofiar przemocy w rodzinie",
    ),
    Opt::new(
        "day_support",
        "skierowanie dzieci do placówki opiekuńczo-wychowawczej wsparcia dziennego (np. świetlicy, klubu, ogniska \
         wychowawczego)",
    ),
    Opt::new("family_court", "powiadomienie sądu rodzinnego i opiekuńczego o sytuacji dzieci"),
    Opt::new("other", "inne"),
];

const ALCOHOL_COMMISSION: &[Opt] = &[
    Opt::new("co_dependency_groups", "skierowanie do udziału w grupach wsparcia dla osób współuzależnionych"),
    Opt::new(
        "compulsory_treatment_information",
        "poinformowanie o możliwościach prawnych dotyczących zobowiązania osoby, wobec której istnieje \
            podejrzenie, że \
         stosuje przemoc w rodzinie, do poddania się leczeniu odwykowemu",
    ),
    Opt::new("therapy_group", "skierowanie do udziału w grupie terapeutycznej"),
    Opt::new("self_help_group", "skierowanie do udziału w grupie samopomocowej"),
    Opt::new("other", "inne"),
];

const POLICE: &[Opt] = &[
    Opt::new(
        "safety_visits",
        "systematyczne wizyty sprawdzające stan bezpieczeństwa osoby, co do której istnieje podejrzenie, że jest \
         dotknięta przemocą w rodzinie",
    ),
    Opt::new(
        "crime_information",
        "poinformowanie, że znęcanie się fizyczne i psychiczne jest przestępstwem, i przedstawienie aspektów \
         odpowiedzialności karnej",
    ),
    Opt::new("examination_information", "poinformowanie o możliwości przeprowadzenia badania lekarskiego"),
    Opt::new("pretrial_proceedings", "wszczęcie postępowania przygotowawczego"),
    Opt::new(
        "preventive_measures",
        "wystąpienie do prokuratora z wnioskiem o zastosowanie właściwych środków zapobiegawczych",
    ),
    Opt::new("other", "inne"),
];

const EDUCATION: &[Opt] = &[
    Opt::new("therapeutic_class", "pomoc psychologiczno-pedagogiczna dla dziecka: klasa terapeutyczna"),
    Opt::new("talent_classes", "pomoc psychologiczno-pedagogiczna dla dziecka: zajęcia rozwijające uzdolnienia"),
    Opt::new("remedial_classes", "pomoc psychologiczno-pedagogiczna dla dziecka: zajęcia dydaktyczno-wyrównawcze"),
    Opt::new(
        "specialist_classes",
        "pomoc psychologiczno-pedagogiczna dla dziecka: zajęcia specjalistyczne (korekcyjno-kompensacyjne, \
         logopedyczne, socjoterapeutyczne oraz inne zajęcia o charakterze terapeutycznym)",
    ),
    Opt::new(
        "career_classes",
        "pomoc psychologiczno-pedagogiczna dla dziecka: zajęcia związane z wyborem kierunku kształcenia i zawodu",
    ),
    Opt::new("advice", "pomoc psychologiczno-pedagogiczna dla dziecka: porady i konsultacje"),
    Opt::new(
        "parents_help",
        "objęcie rodziców/opiekunów pomocą psychologiczno-pedagogiczną w formie porad, konsultacji, warsztatów lub \
         szkoleń",
    ),
    Opt::new("material_help", "pomoc materialna"),
    Opt::new(
        "counselling_centre",
        "konsultacja w poradni psychologiczno-pedagogicznej, w tym poradni specjalistycznej, skierowanie do pomocy \
         terapeutycznej",
    ),
    Opt::new("family_court", "powiadomienie sądu rodzinnego i opiekuńczego o sytuacji dziecka"),
    Opt::new(
        "day_support_information",
        "poinformowanie rodzica/opiekuna o możliwości uzyskania pomocy oferowanej przez placówki \
         opiekuńczo-wychowawcze wsparcia dziennego",
    ),
    Opt::new("other", "inne"),
];

const MATERIAL_HELP: &[Opt] = &[
    Opt::new("holidays", "wypoczynek wakacyjny"),
    Opt::new("meals", "dożywianie"),
    Opt::new("scholarship", "stypendium szkolne"),
    Opt::new("school_allowance", "zasiłek szkolny"),
];

const HEALTH_CARE: &[Opt] = &[
    Opt::new(
        "gp_referral",
        "skierowanie do lekarza podstawowej opieki zdrowotnej ze wskazaniem co do dalszych ewentualnych konsultacji \
         medycznych",
    ),
    Opt::new("psychiatric_consultation", "skierowanie na konsultacje psychiatryczne"),
    Opt::new(
        "certificate_referral",
        "skierowanie do lekarza w celu uzyskania zaświadczenia lekarskiego o ustaleniu przyczyn i rodzaju uszkodzeń \
         ciała związanych z użyciem przemocy w rodzinie",
    ),
    Opt::new("other", "inne"),
];

pub static FORM: FormDefinition = FormDefinition {
    kind: FormKind::C,
    version: FormVersion::V2011,
    title_pl: "Niebieska Karta – C",
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
            "data_unchanged",
            "I",
            "Dane bez zmian",
            P,
            fields![
                P.boolean(
                    "affected_person",
                    "Dane osoby, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie, bez zmian",
                ),
                P.boolean(
                    "suspected_person",
                    "Dane osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie, bez zmian",
                ),
            ],
        ),
        Section::once(
            "affected_person",
            "II",
            "Weryfikacja danych osoby, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                P.text("parents_first_names", "Imiona rodziców", LINE_MAX).person(PF::ParentsFirstNames),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
                address_2011(P, "stay", "Aktualny adres pobytu", PF::StayAddress),
            ],
        )
        .about(PersonRole::AffectedPerson),
        Section::once(
            "suspected_person",
            "III",
            "Weryfikacja danych osoby, wobec której istnieje podejrzenie, że stosuje przemoc w rodzinie",
            P,
            fields![
                P.text("first_name", "Imię", NAME_MAX).person(PF::FirstName).required(),
                P.text("last_name", "Nazwisko", NAME_MAX).person(PF::LastName).required(),
                address_2011(P, "residence", "Miejsce zamieszkania", PF::ResidenceAddress),
                P.text("kinship", "Stopień pokrewieństwa ze zgłaszającą/-cym", LINE_MAX).person(PF::Kinship),
            ],
        )
        .about(PersonRole::SuspectedPerson),
        Section::once(
            "diagnosis",
            "IV",
            "Diagnoza sytuacji osoby, co do której istnieje podejrzenie, że jest dotknięta przemocą w rodzinie",
            P,
            fields![
                P.long_text("family_situation", "Sytuacja rodzinna", DESCRIPTION_MAX).person(PF::FamilySituation),
                P.long_text("job_situation", "Sytuacja zawodowa", DESCRIPTION_MAX).person(PF::Occupation),
                P.long_text("economic_situation", "Sytuacja ekonomiczna", DESCRIPTION_MAX).person(PF::Occupation),
                P.long_text("housing_situation", "Sytuacja mieszkaniowa", DESCRIPTION_MAX).person(PF::HousingSituation),
                P.long_text("health_situation", "Sytuacja zdrowotna", DESCRIPTION_MAX).person(PF::Health),
                P.long_text(
                    "children_situation",
                    "Sytuacja dzieci (rodzinna, edukacyjna, wychowawcza, zdrowotna itp.)",
                    DESCRIPTION_MAX,
                )
                .person(PF::FamilySituation),
            ],
        )
        .about(PersonRole::AffectedPerson),
        Section::once(
            "support_plan",
            "V",
            "Indywidualny plan pomocy dla osoby, co do której istnieje podejrzenie, że jest dotknięta przemocą w \
             rodzinie, w zakresie działań przedstawicieli",
            P,
            fields![
                P.multi_choice("social_welfare", "Jednostki organizacyjnej pomocy społecznej", SOCIAL_WELFARE),
                P.text("social_welfare_other", "Pomoc społeczna: inne (jakie)", LINE_MAX),
                P.multi_choice(
                    "alcohol_commission",
                    "Gminnej komisji rozwiązywania problemów alkoholowych",
                    ALCOHOL_COMMISSION
                ),
                P.text("alcohol_commission_other", "Gminna komisja: inne (jakie)", LINE_MAX),
                P.multi_choice("police", "Policji", POLICE),
                P.text(
                    "police_visit_frequency",
                    "Częstotliwość wizyt uzgodniona przez zespół lub grupę roboczą",
                    LINE_MAX
                )
                .not_personal(),
                P.text("police_other", "Policja: inne (jakie)", LINE_MAX),
                P.multi_choice("education", "Oświaty", EDUCATION),
                P.multi_choice("education_material_help", "Oświata: rodzaj pomocy materialnej", MATERIAL_HELP),
                P.text("education_other", "Oświata: inne (jakie)", LINE_MAX),
                P.multi_choice("health_care", "Ochrony zdrowia", HEALTH_CARE),
                P.text("health_care_other", "Ochrona zdrowia: inne (jakie)", LINE_MAX),
                P.long_text(
                    "other_members",
                    "Pozostałych członków zespołu interdyscyplinarnego lub grupy roboczej",
                    NOTE_MAX
                ),
            ],
        ),
        Section::once(
            "commitments",
            "VI",
            "Zobowiązania, jakie podjęła osoba, co do której istnieje podejrzenie, że jest dotknięta przemocą w \
            rodzinie",
            P,
            fields![P.long_text("commitments", "Zobowiązania", NOTE_MAX),],
        ),
        Section::once(
            "periodic_assessment",
            "VII",
            "Okresowa ocena sytuacji rodziny oraz osoby, co do której istnieje podejrzenie, że jest dotknięta \
            przemocą w \
             rodzinie",
            P,
            fields![
                P.choice("frequency", "Częstotliwość oceny", FREQUENCY),
                P.text("frequency_other", "W innych terminach (jakich)", LINE_MAX).not_personal(),
            ],
        ),
        Section::once(
            "plan_review",
            "VIII",
            "Weryfikacja indywidualnego planu pomocy, w zakresie działań przedstawicieli",
            P,
            fields![
                P.long_text("social_welfare", "Jednostki organizacyjnej pomocy społecznej", NOTE_MAX),
                P.long_text("alcohol_commission", "Gminnej komisji rozwiązywania problemów alkoholowych", NOTE_MAX),
                P.long_text("police", "Policji", NOTE_MAX),
                P.long_text("education", "Oświaty", NOTE_MAX),
                P.long_text("health_care", "Ochrony zdrowia", NOTE_MAX),
                P.long_text(
                    "other_members",
                    "Pozostałych członków zespołu interdyscyplinarnego lub grupy roboczej",
                    NOTE_MAX
                ),
            ],
        ),
        Section::once(
            "prosecution_informed",
            "IX",
            "Czy w przypadku podejrzenia popełnienia przestępstwa zostały przekazane informacje właściwym organom \
             prowadzącym postępowanie przygotowawcze",
            P,
            fields![P.choice("informed", "Przekazano informacje", YES_NO),],
        ),
        Section::once(
            "new_incident",
            "X",
            "Opis kolejnego zdarzenia przemocy w rodzinie w trakcie trwania procedury",
            P,
            fields![P.long_text("description", "Opis zdarzenia", DESCRIPTION_MAX),],
        ),
    ],
};
