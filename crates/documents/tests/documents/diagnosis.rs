//! The local diagnosis as PDF, read back with pdftotext: the title, every table's words and figures in Polish form,
//! the "<5" of the version for sharing, and the empty state of a span without data.

use documents::{LearningKind, learning_pdf};
use domain::programme::diagnosis::{ChartOf, LearningReport, Row, Table};

use crate::{assert_words_in_order, body, ctx, fold, read_back};

fn diagnosis(empty: bool) -> LearningReport {
    LearningReport {
        tenant_name: "Gmina Jasło".into(),
        from: 2026,
        to: 2027,
        for_sharing: false,
        empty,
        tables: vec![
            Table {
                id: "opened",
                title_pl: "Procedury wszczęte w latach i według wszczynających",
                title_en: "Procedures opened",
                rule_pl: "Procedury, których pierwszy formularz wypełniono w danym roku.",
                rule_en: "",
                columns: vec!["2026".into(), "2027".into(), "razem".into()],
                rows: vec![
                    Row::counts("wszczęte procedury", "", &[1204, 3, 1207]),
                    Row::counts("w tym: funkcjonariusz Policji", "", &[1000, 2, 1002]),
                ],
                chart: ChartOf::RowByYear(0),
            },
            Table {
                id: "closings",
                title_pl: "Zakończone procedury i przyczyny zakończenia",
                title_en: "",
                rule_pl: "Ostatnie zakończenie procedury w okresie.",
                rule_en: "",
                columns: vec!["2026".into(), "2027".into(), "razem".into()],
                rows: vec![
                    Row::counts("zakończone procedury", "", &[7, 0, 7]),
                    Row::shares("odsetek zakończonych z powodu ustania przemocy", "", &[4, 0, 4], &[7, 0, 7]),
                ],
                chart: ChartOf::RowByYear(1),
            },
        ],
    }
}

#[test]
fn the_diagnosis_prints_every_table_with_its_figures_in_polish_form() {
    let (text, pages) = read_back(&learning_pdf(&diagnosis(false), LearningKind::Diagnosis, &ctx(None)).unwrap());
    assert_eq!(pages, 1);
    let text = body(&text);
    for expected in [
        "Diagnoza lokalna problemu przemocy domowej – Gmina Jasło, 2026–2027",
        "Sporządził: Zespół Interdyscyplinarny w Jaśle",
        "Procedury wszczęte w latach i według wszczynających",
        "Zakończone procedury i przyczyny zakończenia",
    ] {
        assert!(fold(&text).contains(expected), "{expected:?} missing in:\n{text}");
    }
    assert_words_in_order(&text, "2026 2027 razem wszczęte procedury 1 204 3 1 207", "opened");
    assert_words_in_order(&text, "odsetek zakończonych z powodu ustania przemocy 57,1% — 57,1%", "share");
    for absent in ["null", "None", "<5", "Wersja do udostępnienia", "1204"] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}

#[test]
fn the_version_for_sharing_hides_small_cells_and_says_so() {
    let shared = diagnosis(false).for_sharing();
    let (text, _) = read_back(&learning_pdf(&shared, LearningKind::Diagnosis, &ctx(None)).unwrap());
    let text = body(&text);
    assert!(fold(&text).contains("Wersja do udostępnienia poza zespołem"), "{text}");
    assert_words_in_order(&text, "wszczęte procedury 1 204 <5 1 207", "small cell hidden");
    assert_words_in_order(&text, "zakończone procedury 7 0 7", "zero and seven shown");
}

#[test]
fn a_span_without_data_prints_the_empty_state_not_zeros() {
    let (text, _) = read_back(&learning_pdf(&diagnosis(true), LearningKind::Diagnosis, &ctx(None)).unwrap());
    let text = body(&text);
    assert!(fold(&text).contains("W wybranym okresie nie ma danych"), "{text}");
    assert!(!text.contains("wszczęte procedury"), "{text}");
}
