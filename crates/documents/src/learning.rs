//! What the team learns from its work (issue 18): the local diagnosis and the outcomes of support as PDF (each table
//! with its rule and a bar chart), and the editable draft of the diagnosis document (ODT) that the team completes:
//! the figures in place, the chapters a local diagnosis holds, and a marked gap where the team's own words go.
//! Figures only, never personal data: no watermark, but every generation is audited by the caller.

use domain::programme::diagnosis::{Cell, LearningReport, Table};

use crate::Error;
use crate::form::{Lang, RenderContext};
use crate::layout::Layout;
use crate::odt::{Body, package};

/// Which report: the title names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearningKind {
    Diagnosis,
    Outcomes,
}

/// The document's title: "Diagnoza lokalna problemu przemocy domowej – Gmina Rawa, 2026–2027".
pub fn learning_title(report: &LearningReport, kind: LearningKind) -> String {
    let what = match kind {
        LearningKind::Diagnosis => "Diagnoza lokalna problemu przemocy domowej",
        LearningKind::Outcomes => "Efekty wsparcia w zakończonych procedurach „Niebieskie Karty”",
    };
    format!("{what} – {}, {}", report.tenant_name, span(report))
}

fn span(report: &LearningReport) -> String {
    if report.from == report.to { format!("{} r.", report.from) } else { format!("{}–{}", report.from, report.to) }
}

const SHARING_NOTE: &str = "Wersja do udostępnienia poza zespołem: liczby od 1 do 4 zastąpiono oznaczeniem „<5”, \
    aby nie wskazywały konkretnych rodzin.";
const EMPTY_NOTE: &str = "W wybranym okresie nie ma danych: żadna procedura nie została wszczęta ani zakończona. \
    Zestawienia nie są pokazywane, żeby zera nie wyglądały na fakty.";

fn rows_of(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![r.label_pl.to_string()];
            cells.extend((0..r.cells.len()).map(|i| r.shown(i, false)));
            cells
        })
        .collect()
}

fn headers_of(table: &Table) -> Vec<String> {
    let mut h = vec![String::new()];
    h.extend((0..table.columns.len()).map(|i| table.column(i, false).to_owned()));
    h
}

/// The report as PDF (PDF/A-2b): a title block, then each table with its rule and chart.
pub fn learning_pdf(report: &LearningReport, kind: LearningKind, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let title = learning_title(report, kind);
    let mut layout = Layout::new();
    layout.heading(&title, 15.0);
    layout.paragraph(&format!("Sporządził: {}", ctx.institution));
    if report.for_sharing {
        layout.paragraph(SHARING_NOTE);
    }
    if report.empty {
        layout.paragraph(EMPTY_NOTE);
    } else {
        for table in &report.tables {
            table_pdf(&mut layout, table);
        }
    }
    let mut meta = ctx.meta(&title, Lang::Pl);
    meta.watermark = None;
    layout.finish(&meta)
}

fn table_pdf(layout: &mut Layout, table: &Table) {
    layout.heading(table.title_pl, 12.0);
    layout.small(table.rule_pl);
    let headers = headers_of(table);
    let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let others = (headers.len() - 1) as f32;
    let first = if others > 3.0 { 0.4 } else { 0.55 };
    let mut widths = vec![first];
    widths.extend(std::iter::repeat_n((1.0 - first) / others, headers.len() - 1));
    layout.table(&refs, &widths, &rows_of(table));
    let bars: Vec<(String, i64, String)> = table
        .chart_bars(false)
        .into_iter()
        .filter_map(|(label, cell, kind)| match cell {
            Cell::Value(v) => Some((label, v, cell.shown(kind, false))),
            _ => None,
        })
        .collect();
    if bars.len() > 1 {
        layout.bar_chart_shown(&table.chart_caption(false), &bars);
    }
}

/// The chapters of a local diagnosis the team writes around the figures, each with what it should say.
const CHAPTERS: [(&str, &str); 4] = [
    (
        "Wprowadzenie",
        "Cel diagnozy, podstawa prawna (art. 6 ust. 2 i art. 9b ustawy o przeciwdziałaniu przemocy \
      domowej), okres i źródła danych.",
    ),
    ("Zasoby gminy", "Instytucje, formy pomocy i programy dostępne w gminie; czego brakuje."),
    ("Wnioski", "Co pokazują zestawienia: gdzie i kogo przemoc dotyka najczęściej, jak skuteczne są działania."),
    ("Rekomendacje", "Propozycje działań na kolejne lata programu, z instytucjami odpowiedzialnymi."),
];

/// The editable draft of the diagnosis document (ODT): the title, the chapters with a marked gap for the team's
/// words, and the figures as tables under "Skala i charakter zjawiska".
pub fn diagnosis_draft_odt(report: &LearningReport, institution: &str) -> Result<Vec<u8>, Error> {
    let title = learning_title(report, LearningKind::Diagnosis);
    let mut body = Body(String::new());
    body.heading(1, &title);
    body.labelled("Sporządził", institution);
    body.labelled("Stan", "projekt do uzupełnienia przez zespół");
    if report.for_sharing {
        body.paragraph(SHARING_NOTE);
    }
    let gap = |body: &mut Body, what: &str| body.paragraph(&format!("[Do uzupełnienia przez zespół: {what}]"));
    let (first, rest) = CHAPTERS.split_at(2);
    for (heading, what) in first {
        body.heading(2, heading);
        gap(&mut body, what);
    }
    body.heading(2, "Skala i charakter zjawiska");
    if report.empty {
        body.paragraph(EMPTY_NOTE);
    }
    for (n, table) in report.tables.iter().enumerate().filter(|_| !report.empty) {
        body.heading(3, table.title_pl);
        body.paragraph(table.rule_pl);
        body.table(&format!("Tabela{}", n + 1), &headers_of(table), &rows_of(table));
        gap(&mut body, "komentarz do tabeli");
    }
    for (heading, what) in rest {
        body.heading(2, heading);
        gap(&mut body, what);
    }
    package(&title, institution, &body)
}

#[cfg(test)]
mod tests {
    use domain::programme::diagnosis::{ChartOf, Row};

    use super::*;

    fn report(empty: bool) -> LearningReport {
        LearningReport {
            tenant_name: "Gmina Rawa".into(),
            from: 2026,
            to: 2027,
            for_sharing: false,
            empty,
            tables: vec![Table {
                id: "opened",
                title_pl: "Procedury wszczęte",
                title_en: "Procedures opened",
                rule_pl: "Reguła.",
                rule_en: "Rule.",
                columns: vec!["2026".into(), "2027".into(), "razem".into()],
                rows: vec![Row::counts("wszczęte <procedury>", "opened", &[2, 1, 3])],
                chart: ChartOf::RowByYear(0),
            }],
        }
    }

    fn content_of(odt: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(odt)).unwrap();
        let mut content = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("content.xml").unwrap(), &mut content).unwrap();
        content
    }

    #[test]
    fn the_draft_holds_the_figures_escaped_and_the_gaps_for_the_team() {
        let content = content_of(&diagnosis_draft_odt(&report(false), "Zespół").unwrap());
        assert!(content.contains("wszczęte &lt;procedury&gt;"), "{content}");
        assert!(content.contains("[Do uzupełnienia przez zespół: komentarz do tabeli]"));
        assert!(content.contains("Rekomendacje") && content.contains("Tabela1"));
        roxmltree::Document::parse(&content).unwrap();
        let empty = content_of(&diagnosis_draft_odt(&report(true), "Zespół").unwrap());
        assert!(empty.contains("nie ma danych") && !empty.contains("Tabela1"));
    }
}
