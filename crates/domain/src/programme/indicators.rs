//! The indicators Ostoja computes, as data: each with its Polish and English name, the rule by which it is counted
//! (shown beside every figure as "how was this counted"), its unit, its breakdowns and its source. The store turns a
//! key into SQL aggregates over clear columns; the definitions here are what the pages, the API and the report say
//! about the figure. The statutory set of the Government Programme 2024–2030 (annex 2, procedure.md §4.2) is
//! [`crate::programme::statutory`], in its template's rows.

use serde::{Deserialize, Serialize};

/// A breakdown an indicator is reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    /// By the category of the service that filled form A (art. 9a ust. 11–11d).
    InitiatorCategory,
    /// Women / men / children, of which with disability and elderly (annex 2, 2.3.1).
    SexAndAge,
    /// Women / men (annex 2, 3.2.1).
    Sex,
    /// By a letter's addressee.
    Addressee,
    /// By the closing reason (art. 9h ust. 1).
    ClosingReason,
    /// By the referral step (request, referral, start, completion, evasion, penalty).
    ReferralStep,
}

/// Where an indicator's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndicatorSource {
    /// Counted from these tables, over clear columns.
    Computed { from: &'static str },
    /// Counted by decrypting these documents in one pass (the breakdown needs the persons' data).
    Decrypted { from: &'static str },
}

/// One computed indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndicatorDefinition {
    pub key: ComputedKey,
    pub name_pl: &'static str,
    pub name_en: &'static str,
    /// How it is counted, in Polish, for "how was this counted".
    pub rule_pl: &'static str,
    pub rule_en: &'static str,
    pub unit: &'static str,
    pub breakdowns: &'static [Breakdown],
    pub source: IndicatorSource,
    /// Whether an authorised user may open the list of underlying records (case numbers and record ids).
    pub lists_records: bool,
}

/// The computed indicators' keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComputedKey {
    ProceduresOpened,
    ProceduresContinued,
    ProceduresTotal,
    FurtherIncidents,
    FormsC,
    FormsD,
    PersonsAffected,
    PersonsSuspected,
    GroupMeetingsHeld,
    GroupsCreated,
    HomeVisits,
    Letters,
    Closures,
    PostClosingMonitoring,
    ReferralSteps,
    TeamMeetingsHeld,
    Trainings,
    PersonsTrained,
    TrainingNeedsDiagnoses,
    ConferenceParticipants,
    Supervisions,
    Workshops,
    MaterialsHandedOut,
    Helplines,
    ProgrammesForPersonsUsingViolence,
    DirectoryReviewed,
}

impl ComputedKey {
    pub fn as_str(self) -> &'static str {
        definition(self).key_str()
    }

    pub fn parse(s: &str) -> Option<ComputedKey> {
        COMPUTED.iter().map(|d| d.key).find(|k| k.as_str() == s)
    }
}

impl IndicatorDefinition {
    fn key_str(&self) -> &'static str {
        KEY_NAMES.iter().find(|(k, _)| *k == self.key).map_or("", |(_, s)| s)
    }
}

const KEY_NAMES: &[(ComputedKey, &str)] = &[
    (ComputedKey::ProceduresOpened, "procedures_opened"),
    (ComputedKey::ProceduresContinued, "procedures_continued"),
    (ComputedKey::ProceduresTotal, "procedures_total"),
    (ComputedKey::FurtherIncidents, "further_incidents"),
    (ComputedKey::FormsC, "forms_c"),
    (ComputedKey::FormsD, "forms_d"),
    (ComputedKey::PersonsAffected, "persons_affected"),
    (ComputedKey::PersonsSuspected, "persons_suspected"),
    (ComputedKey::GroupMeetingsHeld, "group_meetings_held"),
    (ComputedKey::GroupsCreated, "groups_created"),
    (ComputedKey::HomeVisits, "home_visits"),
    (ComputedKey::Letters, "letters"),
    (ComputedKey::Closures, "closures"),
    (ComputedKey::PostClosingMonitoring, "post_closing_monitoring"),
    (ComputedKey::ReferralSteps, "referral_steps"),
    (ComputedKey::TeamMeetingsHeld, "team_meetings_held"),
    (ComputedKey::Trainings, "trainings"),
    (ComputedKey::PersonsTrained, "persons_trained"),
    (ComputedKey::TrainingNeedsDiagnoses, "training_needs_diagnoses"),
    (ComputedKey::ConferenceParticipants, "conference_participants"),
    (ComputedKey::Supervisions, "supervisions"),
    (ComputedKey::Workshops, "workshops"),
    (ComputedKey::MaterialsHandedOut, "materials_handed_out"),
    (ComputedKey::Helplines, "helplines"),
    (ComputedKey::ProgrammesForPersonsUsingViolence, "programmes_for_persons_using_violence"),
    (ComputedKey::DirectoryReviewed, "directory_reviewed"),
];

const COUNT: &str = "count";
const PERSONS: &str = "persons";

use Breakdown as B;
use ComputedKey as K;

#[allow(clippy::too_many_arguments)]
const fn computed(
    key: ComputedKey,
    name_pl: &'static str,
    name_en: &'static str,
    rule_pl: &'static str,
    rule_en: &'static str,
    unit: &'static str,
    breakdowns: &'static [Breakdown],
    from: &'static str,
    lists_records: bool,
) -> IndicatorDefinition {
    IndicatorDefinition {
        key,
        name_pl,
        name_en,
        rule_pl,
        rule_en,
        unit,
        breakdowns,
        source: IndicatorSource::Computed { from },
        lists_records,
    }
}

/// Every computed indicator, in the order the indicator page lists them.
pub static COMPUTED: &[IndicatorDefinition] = &[
    computed(
        K::ProceduresOpened,
        "liczba wszczętych w danym roku procedur „Niebieskie Karty” (formularze NK-A)",
        "Blue Card procedures opened in the year (forms A)",
        "Procedury, których formularz „Niebieska Karta – A” otwierający procedurę wypełniono od 1 stycznia do 31 \
         grudnia roku (czas polski), według kategorii podmiotu, który go wypełnił.",
        "Procedures whose opening form A was filled from 1 January to 31 December (Polish time), by the category of \
         the service that filled it.",
        COUNT,
        &[B::InitiatorCategory],
        "procedure.opened_at, procedure.initiator_category",
        true,
    ),
    computed(
        K::ProceduresContinued,
        "liczba kontynuowanych w danym roku procedur wszczętych w latach poprzedzających rok sprawozdawczy",
        "procedures continued in the year, opened in earlier years",
        "Procedury wszczęte przed 1 stycznia roku, które 1 stycznia nie były zakończone ani przekazane (nie ma \
         zamknięcia ani przekazania przed tym dniem).",
        "Procedures opened before 1 January that were neither closed nor handed over before that day.",
        COUNT,
        &[],
        "procedure.opened_at, procedure_command (close, transfer_out)",
        true,
    ),
    computed(
        K::ProceduresTotal,
        "procedury prowadzone w roku razem (wszczęte + kontynuowane)",
        "procedures run in the year, total (opened + continued)",
        "Suma dwóch poprzednich wskaźników.",
        "The sum of the two above.",
        COUNT,
        &[],
        "procedure",
        true,
    ),
    computed(
        K::FurtherIncidents,
        "liczba wypełnionych formularzy NK-A dokumentujących kolejne zdarzenia w toczących się procedurach",
        "forms A documenting further incidents in running procedures",
        "Formularze A wypełnione w roku, które nie otwierały procedury (dołączone do toczącej się sprawy jako \
         kolejne zdarzenie).",
        "Forms A filled in the year that did not open their procedure (attached to a running case as a further \
         incident).",
        COUNT,
        &[],
        "procedure_form (kind A), procedure.opened_at",
        true,
    ),
    computed(
        K::FormsC,
        "liczba wypełnionych formularzy „Niebieska Karta – C”",
        "forms C filled in",
        "Formularze C z datą wypełnienia w roku.",
        "Forms C dated in the year.",
        COUNT,
        &[],
        "procedure_form (kind C).filled_at",
        true,
    ),
    computed(
        K::FormsD,
        "liczba wypełnionych formularzy „Niebieska Karta – D”",
        "forms D filled in",
        "Formularze D z datą wypełnienia w roku.",
        "Forms D dated in the year.",
        COUNT,
        &[],
        "procedure_form (kind D).filled_at",
        true,
    ),
    IndicatorDefinition {
        key: K::PersonsAffected,
        name_pl: "liczba osób doznających przemocy domowej objętych w danym roku działaniami w ramach procedury",
        name_en: "persons experiencing violence in procedures in the year",
        rule_pl: "Osoby doznające przemocy (w tym dzieci – świadkowie) z formularzy A procedur prowadzonych w roku \
                  (wszczętych lub kontynuowanych), każda liczona raz według numeru PESEL albo imienia, nazwiska i daty \
                  urodzenia. Podział: kobiety, mężczyźni, dzieci (poniżej 18 lat w dniu formularza), w tym osoby z \
                  niepełnosprawnością i starsze – jak zaznaczono w formularzu. Dane osób są zaszyfrowane: liczymy je \
                  jednym przejściem po formularzach A, bez zapisywania ich w postaci jawnej.",
        rule_en: "Persons experiencing violence (including child witnesses) named in the forms A of procedures run in \
                  the year, each counted once by PESEL or name and birth date; women, men, children (under 18 on the \
                  form's date), of which with a disability and elderly as marked on the form. The persons' data are \
                  encrypted: counted in one decrypting pass over the forms A, nothing stored in clear.",
        unit: PERSONS,
        breakdowns: &[B::SexAndAge],
        source: IndicatorSource::Decrypted { from: "procedure_form (kind A).answers_enc" },
        lists_records: true,
    },
    IndicatorDefinition {
        key: K::PersonsSuspected,
        name_pl: "liczba osób stosujących przemoc domową objętych procedurą",
        name_en: "persons using violence in procedures in the year",
        rule_pl: "Osoby, co do których istnieje podejrzenie, że stosują przemoc, z formularzy A procedur prowadzonych \
                  w roku, każda liczona raz; podział: kobiety, mężczyźni. Liczone jednym przejściem po \
                  zaszyfrowanych formularzach A.",
        rule_en: "Persons suspected of using violence named in the forms A of procedures run in the year, each counted \
                  once; women, men. Counted in one decrypting pass over the forms A.",
        unit: PERSONS,
        breakdowns: &[B::Sex],
        source: IndicatorSource::Decrypted { from: "procedure_form (kind A).answers_enc" },
        lists_records: true,
    },
    computed(
        K::GroupMeetingsHeld,
        "liczba posiedzeń grup diagnostyczno-pomocowych",
        "support-group meetings held",
        "Spotkania grup diagnostyczno-pomocowych ze statusem „odbyło się” (z protokołem), które odbyły się w roku.",
        "Support-group meetings recorded as held (with minutes), held in the year.",
        COUNT,
        &[],
        "case_record (kind meeting, status held).occurs_at",
        true,
    ),
    computed(
        K::GroupsCreated,
        "liczba utworzonych w danym roku grup diagnostyczno-pomocowych",
        "support groups created in the year",
        "Powołania grupy diagnostyczno-pomocowej zapisane w roku (krok „powołanie grupy” w procedurze).",
        "Appointments of a support group recorded in the year (the procedure's appoint-group step).",
        COUNT,
        &[],
        "procedure_command (appoint_group).at",
        true,
    ),
    computed(
        K::HomeVisits,
        "liczba wizyt w środowisku w związku z procedurą „Niebieskie Karty”",
        "home visits in connection with the procedure",
        "Wizyty w miejscu zamieszkania zapisane w sprawach, z datą wizyty w roku.",
        "Home visits recorded in the cases, dated in the year.",
        COUNT,
        &[],
        "case_record (kind home_visit).occurs_at",
        true,
    ),
    computed(
        K::Letters,
        "liczba pism i wniosków do sądu, prokuratury, Policji i gminnej komisji rozwiązywania problemów alkoholowych",
        "letters and applications to the court, prosecutor, Police and alcohol commission",
        "Pisma zapisane w sprawach, z datą pisma w roku, według adresata (sąd rodzinny, sąd karny, prokuratura, \
         Policja, GKRPA, kurator, inny).",
        "Letters recorded in the cases, dated in the year, by addressee.",
        COUNT,
        &[B::Addressee],
        "case_record (kind letter).occurs_at, tag",
        true,
    ),
    computed(
        K::Closures,
        "liczba zakończonych procedur (ze względu na ustanie przemocy; ze względu na brak zasadności działań)",
        "procedures closed (violence stopped; no grounds for action)",
        "Zamknięcia procedur zapisane w roku, według przyczyny (art. 9h ust. 1 pkt 1 i 2 ustawy).",
        "Closings recorded in the year, by reason (art. 9h ust. 1 pkt 1 and 2).",
        COUNT,
        &[B::ClosingReason],
        "procedure_command (close).at",
        true,
    ),
    computed(
        K::PostClosingMonitoring,
        "liczba spraw, w których po zakończeniu procedury prowadzono monitorowanie",
        "cases monitored after closing",
        "Procedury zamknięte przed końcem roku, których monitorowanie (9 miesięcy, art. 9h ust. 2) nie zakończyło \
         się przed 1 stycznia roku. Liczymy sprawy, nie osoby: osoby w sprawie wymagałyby odszyfrowania.",
        "Procedures closed before the year's end whose monitoring had not ended before 1 January. Cases, not persons.",
        COUNT,
        &[],
        "procedure_command (close, end_monitoring).at",
        true,
    ),
    computed(
        K::ReferralSteps,
        "skierowania do programów dla osób stosujących przemoc i ich wyniki",
        "referrals to programmes for persons using violence and their outcomes",
        "Kroki skierowań zapisane w roku: wnioski grupy, skierowania zespołu, zaświadczenia o rozpoczęciu i \
         ukończeniu, zawiadomienia o uchylaniu się, kary (art. 9b ust. 11–13).",
        "Referral steps recorded in the year: the group's requests, the team's referrals, start and completion \
         certificates, notifications of evasion, penalties.",
        COUNT,
        &[B::ReferralStep],
        "procedure_command (referral).at",
        true,
    ),
    computed(
        K::TeamMeetingsHeld,
        "liczba posiedzeń zespołu interdyscyplinarnego",
        "team meetings held",
        "Posiedzenia zespołu ze statusem „odbyło się”, które odbyły się w roku.",
        "Team meetings recorded as held, held in the year.",
        COUNT,
        &[],
        "team_meeting (status held).held_at",
        false,
    ),
    computed(
        K::Trainings,
        "liczba szkoleń",
        "trainings",
        "Szkolenia w rejestrze działań, z datą w roku.",
        "Trainings in the activity register, dated in the year.",
        COUNT,
        &[],
        "activity (kind training).held_on",
        false,
    ),
    computed(
        K::PersonsTrained,
        "liczba osób przeszkolonych",
        "persons trained",
        "Suma uczestników szkoleń z rejestru działań w roku (osoba na dwóch szkoleniach liczy się dwa razy).",
        "The sum of participants of the year's trainings in the activity register (a person at two trainings counts \
         twice).",
        PERSONS,
        &[],
        "activity (kind training).participants",
        false,
    ),
    computed(
        K::TrainingNeedsDiagnoses,
        "liczba diagnoz potrzeb szkoleniowych",
        "training-needs diagnoses",
        "Diagnozy potrzeb szkoleniowych w rejestrze działań, z datą w roku.",
        "Training-needs diagnoses in the activity register, dated in the year.",
        COUNT,
        &[],
        "activity (kind training_needs_diagnosis).held_on",
        false,
    ),
    computed(
        K::ConferenceParticipants,
        "liczba pracowników uczestniczących w konferencjach",
        "staff who attended conferences",
        "Suma uczestników konferencji z rejestru działań w roku.",
        "The sum of participants of the year's conferences in the activity register.",
        PERSONS,
        &[],
        "activity (kind conference).participants",
        false,
    ),
    computed(
        K::Supervisions,
        "liczba superwizji, coachingów",
        "supervisions and coaching sessions",
        "Superwizje w rejestrze działań, z datą w roku.",
        "Supervisions in the activity register, dated in the year.",
        COUNT,
        &[],
        "activity (kind supervision).held_on",
        false,
    ),
    computed(
        K::Workshops,
        "liczba przeprowadzonych warsztatów i pogadanek",
        "workshops and talks held",
        "Warsztaty w rejestrze działań, z datą w roku.",
        "Workshops in the activity register, dated in the year.",
        COUNT,
        &[],
        "activity (kind workshop).held_on",
        false,
    ),
    computed(
        K::MaterialsHandedOut,
        "ilość rozdysponowanych materiałów informacyjno-edukacyjnych",
        "information materials handed out",
        "Suma materiałów rozdanych przy działaniach z rejestru w roku.",
        "The sum of materials handed out at the year's activities in the register.",
        "items",
        &[],
        "activity.materials_handed_out",
        false,
    ),
    computed(
        K::Helplines,
        "liczba lokalnych telefonów informacyjnych i interwencyjnych",
        "local helplines",
        "Wpisy bazy instytucji i form wsparcia z rodzajem pomocy „telefon”, niezarchiwizowane (stan bieżący).",
        "Entries of the directory of help offering a helpline, not archived (current state).",
        COUNT,
        &[],
        "help_directory_entry (help_kinds helpline, archived_at null)",
        false,
    ),
    computed(
        K::ProgrammesForPersonsUsingViolence,
        "liczba instytucji pracujących z osobami stosującymi przemoc domową",
        "institutions working with persons using violence",
        "Wpisy bazy instytucji i form wsparcia z rodzajem pomocy „program dla osób stosujących przemoc”, \
         niezarchiwizowane (stan bieżący).",
        "Entries of the directory of help offering a programme for persons using violence, not archived.",
        COUNT,
        &[],
        "help_directory_entry (help_kinds programme_for_persons_using_violence, archived_at null)",
        false,
    ),
    computed(
        K::DirectoryReviewed,
        "aktualizacja bazy instytucji (wpisy sprawdzone w roku; data ostatniego przeglądu)",
        "directory of help reviewed (entries checked in the year; date of the last review)",
        "Niezarchiwizowane wpisy bazy, których datę sprawdzenia ustawiono w roku; obok data najnowszego \
         sprawdzenia.",
        "Entries not archived whose last check falls in the year; beside it the latest check's date.",
        COUNT,
        &[],
        "help_directory_entry.last_checked_on",
        false,
    ),
];

/// The definition of a computed key.
pub fn definition(key: ComputedKey) -> &'static IndicatorDefinition {
    // COMPUTED holds every key once (a test checks it).
    COMPUTED.iter().find(|d| d.key == key).unwrap_or(&COMPUTED_FALLBACK)
}

static COMPUTED_FALLBACK: IndicatorDefinition = computed(K::ProceduresOpened, "", "", "", "", COUNT, &[], "", false);

/// The statutory deadline for the municipality's report: 10 February of the following year (RPPPD ch. IX \[P\]).
pub fn statutory_deadline(year: i16) -> Option<jiff::civil::Date> {
    jiff::civil::Date::new(year.checked_add(1)?, 2, 10).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_definition_and_one_name() {
        assert_eq!(COMPUTED.len(), KEY_NAMES.len());
        for (key, name) in KEY_NAMES {
            assert_eq!(COMPUTED.iter().filter(|d| d.key == *key).count(), 1, "{key:?}");
            assert_eq!(ComputedKey::parse(name), Some(*key));
            assert_eq!(key.as_str(), *name);
            let d = definition(*key);
            assert!(!d.name_pl.is_empty() && !d.name_en.is_empty() && !d.rule_pl.is_empty() && !d.rule_en.is_empty());
        }
        let json = serde_json::to_string(&ComputedKey::ProgrammesForPersonsUsingViolence).unwrap();
        assert_eq!(json, "\"programmes_for_persons_using_violence\"");
    }

    #[test]
    fn the_statutory_deadline_is_10_february() {
        assert_eq!(statutory_deadline(2024).unwrap().to_string(), "2025-02-10");
    }
}
