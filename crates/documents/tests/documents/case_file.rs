//! The case documents: minutes with attendance, the support plan, and the whole file of a two-year case.

use documents::{CaseDocument, CaseFile, case_file_pdf, minutes_pdf, support_plan_pdf};
use domain::forms::records::RecordKind;
use domain::forms::{Answers, ValidatedAnswers, record_definition, validate};

use super::{assert_clean, assert_contains, ctx, form_a_2023, read_back};

fn record(kind: RecordKind, answers: &[(&str, &str)]) -> ValidatedAnswers {
    let answers: Answers = answers.iter().map(|(k, v)| (*k, *v)).collect();
    validate(record_definition(kind), &answers).unwrap_or_else(|e| panic!("{kind:?} fixture: {e:?}"))
}

fn meeting(day: &str) -> CaseDocument {
    CaseDocument {
        caption: format!("posiedzenie {day}, odbyte"),
        answers: record(
            RecordKind::Meeting,
            &[
                ("meeting.starts_at", &format!("{day}T10:00")),
                ("meeting.with_whom", "affected_person"),
                ("meeting.mode", "in_person"),
                ("meeting.place", "MOPS w Jaśle, pokój 12"),
            ],
        ),
        minutes: Some(record(
            RecordKind::MeetingMinutes,
            &[
                ("minutes.held_at", &format!("{day}T10:05")),
                ("minutes.members_present", "Anna Nowak (MOPS), st. asp. Piotr Wiśniewski (Policja)"),
                ("minutes.affected_attended", "yes"),
                ("minutes.suspected_attended", "not_invited"),
                ("minutes.course", "Omówiono sytuację rodziny i potrzeby osoby doznającej przemocy."),
                ("minutes.plan_reviewed", "true"),
            ],
        )),
        withheld: Default::default(),
        owner: None,
    }
}

/// A plan item owned, by turns, by a group member (named by the caller, as the page names them), an institution, and
/// free text typed before owners were chosen from a list.
fn plan_item(n: usize) -> CaseDocument {
    let member = "member:0193a2f0-0000-7000-8000-000000000001";
    let (owner, name) = match n % 3 {
        1 => (member, Some("anna.nowak: pracownik socjalny")),
        2 => ("institution:crisis_intervention_centre", Some("Ośrodek interwencji kryzysowej")),
        _ => ("Punkt Interwencji Kryzysowej", None),
    };
    CaseDocument {
        caption: format!("działanie {n}"),
        answers: record(
            RecordKind::PlanItem,
            &[
                ("item.action", &format!("Konsultacje psychologiczne, etap {n}")),
                ("item.responsible", owner),
                ("item.agreed_on", "2025-04-01"),
                ("item.status", "in_progress"),
            ],
        ),
        minutes: None,
        withheld: Default::default(),
        owner: name.map(str::to_owned),
    }
}

/// A case that ran two years: form A, a meeting a month with minutes, a plan of six actions.
pub fn two_year_case() -> CaseFile {
    let mut records = Vec::new();
    let mut timeline = vec![("14.03.2025 21:40".to_owned(), "Wszczęcie procedury (formularz A)".to_owned())];
    for month in 0..24 {
        let (year, m) = (2025 + (month + 3) / 12, (month + 3) % 12 + 1);
        let day = format!("{year}-{m:02}-10");
        timeline.push((format!("10.{m:02}.{year} 10:00"), "Posiedzenie grupy (odbyte)".to_owned()));
        records.push(meeting(&day));
    }
    records.extend((1..=6).map(plan_item));
    CaseFile {
        number: "NK/12/2025".to_owned(),
        phase: "zakończona".to_owned(),
        opened: "14.03.2025 21:40".to_owned(),
        timeline,
        forms: vec![CaseDocument {
            caption: "wypełniony 14.03.2025 21:40".to_owned(),
            answers: form_a_2023("Awantura po powrocie męża do domu."),
            minutes: None,
            withheld: Default::default(),
            owner: None,
        }],
        records,
    }
}

#[test]
fn the_minutes_print_the_meeting_its_attendance_and_signature_lines() {
    let (text, pages) = read_back(
        &minutes_pdf("NK/12/2025", &meeting("2025-04-10"), &ctx(Some("Wydrukował(a) anna dnia 02.12.2026, 10:15")))
            .unwrap(),
    );
    assert!(pages <= 2, "{pages} pages");
    for s in [
        "Protokół spotkania grupy diagnostyczno-pomocowej",
        "Sprawa NK/12/2025",
        "10.04.2025 10:05",
        "Anna Nowak (MOPS)",
        "Osoba doznająca przemocy domowej ☒ stawiła się",
        "☒ nie była zaproszona",
        "podpisy obecnych członków grupy",
    ] {
        assert_contains(&text, s, "minutes");
    }
    assert_clean(&text);
}

#[test]
fn the_support_plan_lists_its_actions_and_an_empty_plan_says_so() {
    let items: Vec<CaseDocument> = (1..=3).map(plan_item).collect();
    let (text, _) = read_back(&support_plan_pdf("NK/12/2025", &items, &ctx(None)).unwrap());
    for s in [
        "Indywidualny plan pomocy",
        "Działanie 3",
        "Konsultacje psychologiczne, etap 2",
        "☒ w realizacji",
        // Each owner by name: a member, an institution, free text as it was typed.
        "anna.nowak: pracownik socjalny",
        "Ośrodek interwencji kryzysowej",
        "Punkt Interwencji Kryzysowej (wpisano tekstem)",
    ] {
        assert_contains(&text, s, "plan");
    }
    assert!(!text.contains("member:") && !text.contains("0193a2f0"), "never the stored value or an account id");
    let (text, pages) = read_back(&support_plan_pdf("NK/12/2025", &[], &ctx(None)).unwrap());
    assert_eq!(pages, 1);
    assert_contains(&text, "Plan pomocy nie zawiera jeszcze żadnych działań.", "empty plan");
    assert_clean(&text);
}

#[test]
fn the_case_file_holds_the_timeline_every_form_and_every_record_watermarked_on_every_page() {
    let file = two_year_case();
    let mark = "Wydrukował(a) sekretarz.zi dnia 02.12.2026, 10:15";
    let (text, pages) = read_back(&case_file_pdf(&file, &ctx(Some(mark))).unwrap());
    // The cover and the timeline, then one page at least per form and record.
    assert!(pages > 1 + file.forms.len() + file.records.len(), "{pages} pages");
    assert_eq!(text.matches(mark).count(), pages, "the watermark line is on every page");
    for s in [
        "Akta sprawy",
        "Przebieg sprawy",
        "Niebieska Karta – A",
        "Ґанна",
        "Protokół z posiedzenia grupy diagnostyczno-pomocowej",
        "Konsultacje psychologiczne, etap 6",
        "anna.nowak: pracownik socjalny",
        "10.03.2027 10:05",
    ] {
        assert_contains(&text, s, "case file");
    }
    assert_clean(&text);
}

/// `cargo nextest run -p documents --release --run-ignored only -E 'test(bench)' --no-capture`: the figures in
/// docs/benchmarks.md.
#[test]
#[ignore = "a benchmark: run with --release"]
fn bench_form_a_and_the_two_year_case_file() {
    let form = form_a_2023("Awantura po powrocie męża do domu.");
    let file = two_year_case();
    let ctx = ctx(Some("Wydrukował(a) sekretarz.zi dnia 02.12.2026, 10:15"));
    let _ = documents::filled_form(&form, &ctx).unwrap(); // warm up: fonts parsed once per process
    let time = |name: &str, runs: u32, f: &dyn Fn() -> usize| {
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for _ in 0..runs {
            bytes = f();
        }
        let each = start.elapsed() / runs;
        println!("{name}: {each:?} per rendering ({bytes} bytes, {runs} runs)");
    };
    time("form A 2023, filled", 20, &|| documents::filled_form(&form, &ctx).unwrap().len());
    time("case file, 2 years (form A, 24 meetings with minutes, 6 plan items)", 5, &|| {
        case_file_pdf(&file, &ctx).unwrap().len()
    });
}
