//! The statutory set in the shape and words of its template (annex 2 to the Government Programme 2024–2030, M.P. 2023
//! poz. 1232; procedure.md §4.2): every line with the template's Polish name, its reference, its place under a heading
//! ("w tym") and where its value comes from. Pages, CSV, JSON and XLSX print [`template()`] in this order, so a user
//! never sees a code. Which exact spreadsheet the gmina sends upward is \[U\]; the names are the annex's.

use serde::Serialize;

use crate::forms::options::INITIATORS_2023;

/// Where a line's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSource {
    /// Computed from the case and team data.
    Computed,
    /// Entered by the institution that knows it (a non-negative whole number; far off last year's: confirmed).
    Entered,
}

/// One line of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TemplateLine {
    /// Stable id in the CSV, the JSON and the frozen versions.
    pub id: &'static str,
    /// The annex's reference ("2.3.1").
    pub reference: &'static str,
    pub name_pl: &'static str,
    pub name_en: &'static str,
    /// 0: a line of its own; 1: "w tym" under the line above; 2: "w tym" under that.
    pub level: u8,
    pub source: LineSource,
}

/// A line's name as printed: a "w tym" line (level 1 or 2) reads "w tym: kobiety", unless its template words begin
/// with "w tym" already ("w tym niepełnosprawne"). `of_which` is "w tym" in Polish, "of which" in English.
pub fn shown_name(name: &str, level: u8, of_which: &str) -> String {
    if level == 0 || name.starts_with(of_which) { name.to_owned() } else { format!("{of_which}: {name}") }
}

const fn line(
    id: &'static str,
    reference: &'static str,
    level: u8,
    name_pl: &'static str,
    name_en: &'static str,
) -> TemplateLine {
    TemplateLine { id, reference, name_pl, name_en, level, source: LineSource::Computed }
}

const fn entered(
    id: &'static str,
    reference: &'static str,
    level: u8,
    name_pl: &'static str,
    name_en: &'static str,
) -> TemplateLine {
    TemplateLine { id, reference, name_pl, name_en, level, source: LineSource::Entered }
}

/// The lines of one programme for persons using violence (3.3.6 correctional-educational, 3.4.4
/// psychological-therapeutic): persons the group asked about, referred, started, completed (each with women and men),
/// persistently evaded, fined, given restriction of liberty.
macro_rules! programme_lines {
    ($p:literal, $r:literal, $pl:literal, $en:literal) => {
        [
            line(concat!($p, "_asked"), $r, 0, concat!("liczba osób stosujących przemoc domową, wobec których grupa diagnostyczno-pomocowa wystąpiła do zespołu interdyscyplinarnego o skierowanie do udziału w ", $pl), concat!("persons using violence the support group asked the team to refer to a ", $en)),
            line(concat!($p, "_asked_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_asked_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_referred"), $r, 0, concat!("liczba osób skierowanych przez zespół interdyscyplinarny do udziału w ", $pl), concat!("persons the team referred to a ", $en)),
            line(concat!($p, "_referred_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_referred_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_started"), $r, 0, concat!("liczba osób, które rozpoczęły udział w ", $pl), concat!("persons who started a ", $en)),
            line(concat!($p, "_started_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_started_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_completed"), $r, 0, concat!("liczba osób, które ukończyły udział w ", $pl), concat!("persons who completed a ", $en)),
            line(concat!($p, "_completed_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_completed_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_evaded"), $r, 0, concat!("liczba osób uporczywie uchylających się od udziału w ", $pl), concat!("persons persistently evading a ", $en)),
            line(concat!($p, "_evaded_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_evaded_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_fined"), $r, 0, "liczba osób ukaranych karą grzywny", "persons fined"),
            line(concat!($p, "_fined_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_fined_men"), $r, 1, "mężczyźni", "men"),
            line(concat!($p, "_restricted"), $r, 0, "liczba osób ukaranych karą ograniczenia wolności", "persons given restriction of liberty"),
            line(concat!($p, "_restricted_women"), $r, 1, "kobiety", "women"),
            line(concat!($p, "_restricted_men"), $r, 1, "mężczyźni", "men"),
        ]
    };
}

const CE: [TemplateLine; 21] = programme_lines!(
    "ce",
    "3.3.6",
    "programie oddziaływań korekcyjno-edukacyjnych",
    "correctional-educational programme"
);
const PT: [TemplateLine; 21] =
    programme_lines!("pt", "3.4.4", "programie psychologiczno-terapeutycznym", "psychological-therapeutic programme");

const HEAD: &[TemplateLine] = &[
    line(
        "programmes_in_force",
        "1.5.1",
        0,
        "liczba realizowanych gminnych programów przeciwdziałania przemocy domowej oraz ochrony osób doznających przemocy domowej",
        "municipal programmes carried out",
    ),
    line("teams", "2.1.1", 0, "liczba zespołów interdyscyplinarnych", "interdisciplinary teams"),
    line("team_meetings", "2.1.1", 0, "liczba spotkań zespołu interdyscyplinarnego", "team meetings"),
    line(
        "groups_created",
        "2.1.2",
        0,
        "liczba utworzonych w danym roku grup diagnostyczno-pomocowych",
        "support groups created in the year",
    ),
    line(
        "groups_functioning",
        "2.1.2",
        0,
        "liczba funkcjonujących w danym roku grup diagnostyczno-pomocowych",
        "support groups functioning in the year",
    ),
    line(
        "groups_extended",
        "2.1.2",
        0,
        "liczba funkcjonujących grup diagnostyczno-pomocowych w rozszerzonym składzie",
        "support groups functioning in extended composition",
    ),
    line(
        "procedures_opened",
        "2.3.1",
        0,
        "liczba wszczętych w danym roku procedur „Niebieskie Karty”, tj. liczba sporządzonych formularzy „Niebieska Karta – A” przez przedstawicieli poszczególnych podmiotów wszczynających procedurę",
        "procedures opened in the year (forms A by initiating institution)",
    ),
];

const MIDDLE: &[TemplateLine] = &[
    line("opened_other", "2.3.1", 1, "inny podmiot lub nie wskazano", "another or unstated initiator"),
    line(
        "procedures_continued",
        "2.3.1",
        0,
        "liczba kontynuowanych w danym roku procedur wszczętych w latach poprzedzających rok sprawozdawczy",
        "procedures continued from earlier years",
    ),
    line(
        "further_incidents",
        "2.3.1",
        0,
        "liczba wypełnionych formularzy „Niebieska Karta – A” dokumentujących kolejne zdarzenia stosowania przemocy domowej w sprawach toczących się procedur",
        "further forms A in running procedures",
    ),
    line(
        "persons_affected",
        "2.3.1",
        0,
        "liczba osób doznających przemocy domowej objętych w danym roku działaniami w ramach procedury",
        "persons experiencing violence in the year's procedures",
    ),
    line("affected_physical", "2.3.1", 1, "przemoc fizyczna", "physical violence"),
    line("affected_psychological", "2.3.1", 1, "przemoc psychiczna", "psychological violence"),
    line("affected_economic", "2.3.1", 1, "przemoc ekonomiczna", "economic violence"),
    line("affected_sexual", "2.3.1", 1, "przemoc seksualna", "sexual violence"),
    line("affected_cyber", "2.3.1", 1, "cyberprzemoc", "cyber-violence"),
    line("affected_women", "2.3.1", 1, "kobiety", "women"),
    line("affected_women_disability", "2.3.1", 2, "w tym niepełnosprawne", "of which with disability"),
    line("affected_women_elderly", "2.3.1", 2, "w tym starsze", "of which elderly"),
    line("affected_men", "2.3.1", 1, "mężczyźni", "men"),
    line("affected_men_disability", "2.3.1", 2, "w tym niepełnosprawni", "of which with disability"),
    line("affected_men_elderly", "2.3.1", 2, "w tym starsi", "of which elderly"),
    line("affected_children", "2.3.1", 1, "dzieci", "children"),
    line("affected_girls", "2.3.1", 2, "w tym dziewczynki", "of which girls"),
    line("affected_boys", "2.3.1", 2, "w tym chłopcy", "of which boys"),
    line("affected_children_disability", "2.3.1", 2, "w tym niepełnosprawne", "of which with disability"),
    line(
        "affected_sex_unknown",
        "2.3.1",
        1,
        "dorośli bez wskazanej płci (do uzupełnienia)",
        "adults whose sex no form states (to complete)",
    ),
    line("forms_c", "2.3.1", 0, "liczba wypełnionych formularzy „Niebieska Karta – C”", "forms C filled"),
    // Counted from the records of a child's placement (the team's cases) plus what the social welfare centre enters
    // for placements outside them: see [`children_secured`] and docs/legal-assumptions.md.
    line(
        "children_secured",
        "2.3.10",
        0,
        "liczba dzieci zabezpieczonych w trybie art. 12a ustawy",
        "children secured under art. 12a",
    ),
    line(
        "children_secured_in_cases",
        "2.3.10",
        1,
        "w sprawach prowadzonych w procedurze „Niebieskie Karty” (z zapisów o odebraniu dziecka)",
        "in Blue Card cases (from the records of the placement)",
    ),
    entered(
        "children_secured_elsewhere",
        "2.3.10",
        1,
        "poza sprawami zespołu (wprowadza ośrodek pomocy społecznej)",
        "outside the team's cases (entered by the social welfare centre)",
    ),
    line(
        "closed_violence_stopped",
        "2.4.1",
        0,
        "liczba zakończonych procedur ze względu na ustanie przemocy domowej",
        "procedures closed: violence stopped",
    ),
    line(
        "closed_no_grounds",
        "2.4.1",
        0,
        "liczba zakończonych procedur ze względu na brak zasadności podejmowania działań",
        "procedures closed: no grounds",
    ),
    line(
        "monitoring_persons",
        "2.4.1",
        0,
        "liczba osób, wobec których podjęto działania monitorujące po zakończeniu procedury",
        "persons in post-closing monitoring",
    ),
    line(
        "persons_using",
        "3.2.1",
        0,
        "liczba osób stosujących przemoc domową objętych procedurą",
        "persons using violence in procedures",
    ),
    line("using_women", "3.2.1", 1, "kobiety", "women"),
    line("using_men", "3.2.1", 1, "mężczyźni", "men"),
    line("using_sex_unknown", "3.2.1", 1, "bez wskazanej płci (do uzupełnienia)", "sex not stated (to complete)"),
    line("forms_d", "3.2.1", 0, "liczba wypełnionych formularzy „Niebieska Karta – D”", "forms D filled"),
];

const TAIL: &[TemplateLine] = &[
    line(
        "training_needs_diagnoses",
        "4.3.1",
        0,
        "liczba przeprowadzonych diagnoz potrzeb szkoleniowych",
        "training-needs diagnoses",
    ),
    line("trainings", "4.3.2", 0, "liczba szkoleń", "trainings"),
    line("training_participants", "4.3.2", 0, "liczba uczestników szkoleń", "training participants"),
    line("trained_team_members", "4.3.2", 1, "w tym członkowie zespołów interdyscyplinarnych", "of which team members"),
    line(
        "trained_group_members",
        "4.3.2",
        1,
        "w tym członkowie grup diagnostyczno-pomocowych",
        "of which support group members",
    ),
    line(
        "protective_measures",
        "—",
        0,
        "środki ochrony osób doznających przemocy domowej odnotowane w procedurach",
        "protective measures recorded in procedures",
    ),
];

/// The line "liczba dzieci zabezpieczonych w trybie art. 12a ustawy" (2.3.10): the children secured in the team's
/// cases plus those the social welfare centre enters for placements outside them.
///
/// - **In the team's cases** (`children_secured_in_cases`): one per record of a child's placement (`child_placement`)
///   whose placement date falls in the year. A record holds one child (its sex, where, by whom) and names none, so
///   each placement record counts as one child. The template counts children, and the same child placed twice in one
///   year cannot be told apart without naming it; each placement is a separate art. 12a decision with its own 24-hour
///   notice to the court, so counting placements is the reading taken \[U\].
/// - **Outside them** (`children_secured_elsewhere`, entered): the social worker decides a placement under art. 12a
///   whether or not a Blue Card procedure runs (art. 12a ust. 1), and the team records only those in its cases. The
///   centre enters the others; it must not enter the ones already recorded in the team's cases.
pub fn children_secured(in_cases: i64, elsewhere: i64) -> i64 {
    in_cases + elsewhere
}

/// The opened-by-institution lines' ids: `opened_` and the form A's initiator category.
pub fn opened_line_id(category: &str) -> String {
    format!("opened_{category}")
}

/// The protective-measure lines' ids: `measure_` and the measure's kind.
pub fn measure_line_id(kind: &str) -> String {
    format!("measure_{kind}")
}

/// The whole template, in order. Built once: the initiator and measure lines come from the forms' option lists.
pub fn template() -> &'static [TemplateLine] {
    static T: std::sync::OnceLock<Vec<TemplateLine>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let mut t: Vec<TemplateLine> = HEAD.to_vec();
        for o in INITIATORS_2023 {
            t.push(line(leak(opened_line_id(o.value)), "2.3.1", 1, o.label_pl, o.label_pl));
        }
        t.extend_from_slice(MIDDLE);
        t.extend_from_slice(&CE);
        t.extend_from_slice(&PT);
        t.extend_from_slice(TAIL);
        for o in crate::forms::records::MEASURE_KINDS {
            t.push(line(leak(measure_line_id(o.value)), "—", 1, o.label_pl, o.label_pl));
        }
        t
    })
}

/// The line `id`, if the template has it.
pub fn template_line(id: &str) -> Option<&'static TemplateLine> {
    template().iter().find(|l| l.id == id)
}

/// Whether line `id` counts persons or their cases (shown outside the municipality only from 5 up, see
/// [`crate::disclosure`]). The counts of programmes, teams, meetings and trainings are not about persons.
pub fn about_persons(id: &str) -> bool {
    !matches!(
        id,
        "programmes_in_force"
            | "teams"
            | "team_meetings"
            | "training_needs_diagnoses"
            | "trainings"
            | "training_participants"
            | "trained_team_members"
            | "trained_group_members"
    )
}

/// The "of which" lines that add up to their line, as a reader of the published figures may use them: the persons
/// by sex and age group, the children by sex, the procedures by who opened them, the programmes' counts by sex, the
/// children secured by where, the measures. Listing a sum that does not strictly hold only makes the disclosure
/// control hide more, never less; the overlapping splits (forms of violence, "w tym niepełnosprawne") are not sums.
pub fn partitions() -> &'static [(&'static str, Vec<&'static str>)] {
    static P: std::sync::OnceLock<Vec<(&'static str, Vec<&'static str>)>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        let ids = |prefix: &str| -> Vec<&'static str> {
            template().iter().filter(|l| l.id.starts_with(prefix)).map(|l| l.id).collect()
        };
        let mut p = vec![
            ("persons_affected", vec!["affected_women", "affected_men", "affected_children", "affected_sex_unknown"]),
            ("affected_children", vec!["affected_girls", "affected_boys"]),
            ("persons_using", vec!["using_women", "using_men", "using_sex_unknown"]),
            ("children_secured", vec!["children_secured_in_cases", "children_secured_elsewhere"]),
            ("procedures_opened", ids("opened_")),
            ("protective_measures", ids("measure_")),
        ];
        for l in template().iter().filter(|l| (l.id.starts_with("ce_") || l.id.starts_with("pt_")) && l.level == 0) {
            let split = |sex: &str| template().iter().find(|x| x.id == format!("{}_{sex}", l.id)).map(|x| x.id);
            if let (Some(w), Some(m)) = (split("women"), split("men")) {
                p.push((l.id, vec![w, m]));
            }
        }
        p
    })
}

/// The gaps the completeness check lists before a year is approved (the data-quality view).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// A person experiencing or using violence without sex, or without a birth date (so neither child nor adult is
    /// certain).
    PersonWithoutSexOrBirthDate,
    /// A procedure whose group met the persons but has no form C, or no form D although the person using violence
    /// is named.
    ProcedureWithoutFormC,
    ProcedureWithoutFormD,
    /// A plan item past its due date and not done.
    OverduePlanItem,
    /// A closed procedure in monitoring without any monitoring check.
    MonitoringWithoutCheck,
}

impl GapKind {
    pub const ALL: [GapKind; 5] = [
        GapKind::PersonWithoutSexOrBirthDate,
        GapKind::ProcedureWithoutFormC,
        GapKind::ProcedureWithoutFormD,
        GapKind::OverduePlanItem,
        GapKind::MonitoringWithoutCheck,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GapKind::PersonWithoutSexOrBirthDate => "person_without_sex_or_birth_date",
            GapKind::ProcedureWithoutFormC => "procedure_without_form_c",
            GapKind::ProcedureWithoutFormD => "procedure_without_form_d",
            GapKind::OverduePlanItem => "overdue_plan_item",
            GapKind::MonitoringWithoutCheck => "monitoring_without_check",
        }
    }

    /// The Fluent message naming the gap.
    pub fn message(self) -> &'static str {
        match self {
            GapKind::PersonWithoutSexOrBirthDate => "statutory-gap-person",
            GapKind::ProcedureWithoutFormC => "statutory-gap-form-c",
            GapKind::ProcedureWithoutFormD => "statutory-gap-form-d",
            GapKind::OverduePlanItem => "statutory-gap-plan-item",
            GapKind::MonitoringWithoutCheck => "statutory-gap-monitoring",
        }
    }
}

/// Whether a year with `gaps` may be approved with `reason`: without gaps always; with gaps only with a written
/// reason (art. 9a–9b give no rule; our assumption, docs/legal-assumptions.md).
pub fn check_approval(gaps: usize, reason: &str) -> Result<(), &'static str> {
    if gaps > 0 && reason.trim().chars().count() < 10 {
        return Err("err-statutory-approval-reason-required");
    }
    if reason.chars().count() > 2000 {
        return Err("err-statutory-approval-reason-too-long");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sub_line_reads_w_tym_once() {
        let by_id = |id: &str| *template().iter().find(|l| l.id == id).unwrap();
        let women = by_id("affected_women");
        assert_eq!(shown_name(women.name_pl, women.level, "w tym"), "w tym: kobiety");
        let disabled = by_id("affected_women_disability");
        assert_eq!(shown_name(disabled.name_pl, disabled.level, "w tym"), "w tym niepełnosprawne");
        let opened = by_id("procedures_opened");
        assert!(!shown_name(opened.name_pl, opened.level, "w tym").starts_with("w tym"));
        for l in template() {
            let shown = shown_name(l.name_pl, l.level, "w tym");
            assert!(!shown.contains("w tym: w tym"), "{shown}");
            assert_eq!(
                shown_name(l.name_en, l.level, "of which").matches("of which").count(),
                usize::from(l.level > 0)
            );
        }
    }

    #[test]
    fn every_line_id_is_unique_and_every_name_is_polish_words_not_a_code() {
        let t = template();
        let mut ids: Vec<_> = t.iter().map(|l| l.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), t.len());
        for l in t {
            assert!(
                l.name_pl.contains(' ') || l.name_pl.chars().any(|c| "ąćęłńóśźż".contains(c)) || l.level > 0,
                "{}",
                l.id
            );
            assert!(!l.name_pl.contains('_'), "{}", l.id);
        }
        assert!(template_line("opened_police").is_some());
        assert!(template_line("ce_restricted_men").is_some() && template_line("pt_asked").is_some());
        assert!(template_line("measure_police_leave_home_order").is_some());
    }

    #[test]
    fn children_secured_is_the_team_s_placements_plus_the_centre_s_entered_rest() {
        let at = |id: &str| template().iter().position(|l| l.id == id).unwrap();
        let line = |id: &str| template()[at(id)];
        assert_eq!((line("children_secured").source, line("children_secured").level), (LineSource::Computed, 0));
        assert_eq!(line("children_secured_in_cases").source, LineSource::Computed);
        assert_eq!(line("children_secured_elsewhere").source, LineSource::Entered);
        assert_eq!(
            (at("children_secured_in_cases"), at("children_secured_elsewhere")),
            (at("children_secured") + 1, at("children_secured") + 2)
        );
        assert_eq!(children_secured(2, 3), 5);
    }

    #[test]
    fn every_partition_names_lines_of_the_template_under_their_line() {
        for (total, parts) in partitions() {
            let at = |id: &str| template().iter().position(|l| l.id == id).unwrap_or_else(|| panic!("{id}"));
            assert!(!parts.is_empty(), "{total}");
            for p in parts {
                assert!(at(p) > at(total), "{total} {p}");
            }
        }
        assert_eq!(partitions().iter().filter(|(t, _)| t.starts_with("ce_") || t.starts_with("pt_")).count(), 14);
        assert!(about_persons("persons_affected") && !about_persons("team_meetings"));
    }

    #[test]
    fn approval_with_gaps_needs_a_written_reason() {
        assert!(check_approval(0, "").is_ok());
        assert_eq!(check_approval(3, "  "), Err("err-statutory-approval-reason-required"));
        assert!(check_approval(3, "Brakujące formularze D uzupełni policja do 15 lutego.").is_ok());
    }
}
