//! The annual report of the programme: PDF text and page count read back with poppler, the XLSX's structure.

use std::io::Read;

use documents::{annual_report_pdf, annual_report_xlsx};
use domain::programme::{AnnualReport, ComputedKey, ReportGoal, ReportIndicator, ReportTask, YearValue};

use crate::{ctx, read_back};

fn values(pairs: &[(i16, Option<i64>)], target: Option<i64>) -> Vec<YearValue> {
    pairs.iter().map(|(year, value)| YearValue { year: *year, value: *value, target }).collect()
}

pub fn report() -> AnnualReport {
    let years = vec![2024, 2025, 2026];
    AnnualReport {
        tenant_name: "Gmina Miasto Jasło".to_owned(),
        teryt: "1805011".to_owned(),
        programme_title: "Gminny Program Przeciwdziałania Przemocy Domowej na lata 2024–2030".to_owned(),
        period_from: 2024,
        period_to: 2030,
        year: 2026,
        version_number: 2,
        version_applies_from: "2026-03-01".to_owned(),
        version_resolution: "Uchwała nr XII/85/2026".to_owned(),
        strategic_goal: "Ograniczenie zjawiska przemocy domowej w gminie".to_owned(),
        years: years.clone(),
        goals: vec![
            ReportGoal {
                id: "g1".to_owned(),
                numeral: "I".to_owned(),
                title: "Skuteczna interwencja wobec przemocy domowej".to_owned(),
                narrative: "Zespół prowadził procedury sprawnie i terminowo.".to_owned(),
                tasks: vec![ReportTask {
                    id: "g1t1".to_owned(),
                    number: 1,
                    title: "Prowadzenie procedury Niebieskie Karty".to_owned(),
                    institutions: vec!["Ośrodek Pomocy Społecznej".to_owned(), "Komenda Policji".to_owned()],
                    time_frame: "2024–2030".to_owned(),
                    narrative: "Wszczęto więcej procedur niż rok wcześniej.".to_owned(),
                    indicators: vec![
                        ReportIndicator {
                            id: "g1t1i1".to_owned(),
                            name: "Liczba wszczętych procedur".to_owned(),
                            computed: Some(ComputedKey::ProceduresOpened),
                            values: values(&[(2024, Some(71)), (2025, Some(64)), (2026, Some(83))], None),
                            breakdown: vec![("police".to_owned(), 61)],
                            target: Some(80),
                            notes: vec![],
                            missing_from: vec![],
                        },
                        ReportIndicator {
                            id: "g1t1i2".to_owned(),
                            name: "Liczba szkoleń dla członków grup diagnostyczno-pomocowych".to_owned(),
                            computed: None,
                            values: values(&[(2024, None), (2025, Some(2)), (2026, None)], None),
                            breakdown: vec![],
                            target: None,
                            notes: vec!["Szkolenie przełożono na styczeń".to_owned()],
                            missing_from: vec!["Komenda Policji".to_owned()],
                        },
                    ],
                }],
            },
            ReportGoal {
                id: "g2".to_owned(),
                numeral: "II".to_owned(),
                title: "Profilaktyka i edukacja".to_owned(),
                narrative: String::new(),
                tasks: vec![],
            },
        ],
        recommendations: vec![],
        follow_ups: vec![],
        projects: vec![],
    }
}

#[test]
fn annual_report_pdf_reads_back_with_goals_values_and_year() {
    let started = std::time::Instant::now();
    let pdf = annual_report_pdf(&report(), &ctx(None)).unwrap();
    assert!(started.elapsed().as_secs_f32() < 1.0, "the report renders in under a second");
    let (text, pages) = read_back(&pdf);
    // The title page, then one page per goal.
    assert_eq!(pages, 3, "{text}");
    for needle in [
        "Gmina Miasto Jasło",
        "Sprawozdanie z realizacji programu za 2026 rok",
        "Wersja programu obowiązująca 31 grudnia 2026: nr 2",
        "Cel I. Skuteczna interwencja wobec przemocy domowej",
        "Cel II. Profilaktyka i edukacja",
        "Zadanie 1. Prowadzenie procedury Niebieskie Karty",
        "Ośrodek Pomocy Społecznej, Komenda Policji",
        "Liczba wszczętych procedur",
        "83",
        "2026 r.",
        "Cel na rok",
        "Wszczęto więcej procedur",
        "brak danych za 2026 r. od: Komenda Policji",
        "Podsumowanie celu I",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // No personal data, so no watermark.
    assert!(!text.contains("Wydrukował"));
    let info = String::from_utf8_lossy(&pdf);
    assert!(info.contains("Zespół Interdyscyplinarny w Jaśle") || pdf.windows(4).any(|w| w == b"pdfa"));
}

#[test]
fn annual_report_xlsx_has_a_row_per_indicator_and_a_frozen_bold_header() {
    let bytes = annual_report_xlsx(&report()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(sheet.contains("<pane ySplit=\"1\""), "frozen header: {sheet}");
    assert!(sheet.contains("<v>83</v>") && sheet.contains("<v>80</v>"), "{sheet}");
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    assert!(strings.contains("Liczba wszczętych procedur") && strings.contains("I. Skuteczna interwencja"));
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml").unwrap().read_to_string(&mut workbook).unwrap();
    assert!(workbook.contains("Wskaźniki 2026"));
}

#[test]
fn annual_report_odt_is_a_well_formed_opendocument_text() {
    let bytes = documents::annual_report_odt(&report(), "Zespół Interdyscyplinarny w Jaśle").unwrap();
    // The mimetype is the first entry, stored uncompressed, so its name and content sit at fixed offsets.
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..77], b"application/vnd.oasis.opendocument.text");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    {
        let first = zip.by_index(0).unwrap();
        assert_eq!(first.name(), "mimetype");
        assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    }
    for name in ["META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"] {
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        if name == "content.xml" {
            let text = |tag: &str| -> Vec<String> {
                doc.descendants()
                    .filter(|n| n.tag_name().name() == tag)
                    .map(|n| n.descendants().filter(|d| d.is_text()).filter_map(|d| d.text()).collect::<String>())
                    .collect()
            };
            let headings = text("h");
            assert!(headings.contains(&"Sprawozdanie z realizacji programu za 2026 rok".to_owned()), "{headings:?}");
            assert!(headings.contains(&"Cel I. Skuteczna interwencja wobec przemocy domowej".to_owned()));
            assert!(headings.contains(&"Cel II. Profilaktyka i edukacja".to_owned()));
            assert_eq!(doc.descendants().filter(|n| n.tag_name().name() == "table").count(), 1);
            let cells = text("table-cell");
            assert!(cells.contains(&"Liczba wszczętych procedur".to_owned()) && cells.contains(&"83".to_owned()));
            assert!(text("p").iter().any(|p| p.contains("Wszczęto więcej procedur")));
        }
    }
}
