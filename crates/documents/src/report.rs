//! The annual report of the municipal programme (sprawozdanie z realizacji gminnego programu) as PDF and its
//! indicator tables as XLSX, in the structure of the reference report: a title page, then per goal its tasks with
//! the responsible institutions, the time frame, the indicator table (this year, earlier years, target) and the
//! team's narrative, with bar charts of the computed indicators; then the team's recommendations to the mayor and
//! the projects (recommendations.rs). It holds figures and the team's own texts, never case data, so it carries no
//! watermark.

use domain::programme::{AnnualReport, ReportIndicator};
use rust_xlsxwriter::{Format, Workbook};

use crate::Error;
use crate::form::{Lang, RenderContext};
use crate::layout::Layout;

/// The report's title, also the PDF's metadata title.
pub fn annual_report_title(report: &AnnualReport) -> String {
    format!("Sprawozdanie z realizacji programu za {} rok", report.year)
}

fn number(v: Option<i64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

/// The header of an indicator table: the indicator, the report year, the earlier years, the target.
pub(crate) fn table_headers(report: &AnnualReport) -> Vec<String> {
    let mut headers = vec!["Wskaźnik".to_owned(), format!("{} r.", report.year)];
    for year in report.years.iter().filter(|y| **y != report.year) {
        headers.push(format!("{year} r."));
    }
    headers.push("Cel na rok".to_owned());
    headers
}

pub(crate) fn table_row(report: &AnnualReport, indicator: &ReportIndicator) -> Vec<String> {
    let mut row = vec![indicator.name.clone(), number(indicator.value())];
    for year in report.years.iter().filter(|y| **y != report.year) {
        row.push(number(indicator.values.iter().find(|v| v.year == *year).and_then(|v| v.value)));
    }
    row.push(number(indicator.target));
    row
}

/// The annual report as PDF (PDF/A-2b): the title page, then every goal with its tasks.
pub fn annual_report_pdf(report: &AnnualReport, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let title = annual_report_title(report);
    let mut layout = Layout::new();
    // Title page.
    layout.space(120.0);
    layout.heading(&report.tenant_name, 16.0);
    layout.heading(&title, 15.0);
    layout.paragraph(&report.programme_title);
    layout.paragraph(&format!("Okres realizacji programu: {}–{}", report.period_from, report.period_to));
    layout.paragraph(&format!(
        "Wersja programu obowiązująca 31 grudnia {}: nr {}, obowiązuje od {} ({})",
        report.year, report.version_number, report.version_applies_from, report.version_resolution
    ));
    layout.paragraph(&format!("Sporządził: {}", ctx.institution));
    if !report.strategic_goal.trim().is_empty() {
        layout.labelled("Cel strategiczny", None, Some(&report.strategic_goal), 1);
    }
    let headers = table_headers(report);
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let others = headers.len().saturating_sub(2) as f32;
    let mut widths = vec![0.44_f32];
    widths.extend(std::iter::repeat_n(0.56 / (others + 1.0), headers.len() - 1));
    for goal in &report.goals {
        layout.new_page();
        layout.heading(&format!("Cel {}. {}", goal.numeral, goal.title), 13.0);
        for task in &goal.tasks {
            layout.heading(&format!("Zadanie {}. {}", task.number, task.title), 11.0);
            let institutions =
                if task.institutions.is_empty() { "—".to_owned() } else { task.institutions.join(", ") };
            layout.labelled("Realizatorzy", None, Some(&institutions), 1);
            layout.labelled("Termin realizacji", None, Some(&task.time_frame), 1);
            if !task.indicators.is_empty() {
                let rows: Vec<Vec<String>> = task.indicators.iter().map(|i| table_row(report, i)).collect();
                layout.table(&header_refs, &widths, &rows);
                for indicator in &task.indicators {
                    for note in &indicator.notes {
                        layout.small(&format!("{}: {note}", indicator.name));
                    }
                    if !indicator.missing_from.is_empty() {
                        layout.small(&format!(
                            "{}: brak danych za {} r. od: {}",
                            indicator.name,
                            report.year,
                            indicator.missing_from.join(", ")
                        ));
                    }
                }
                for indicator in task.indicators.iter().filter(|i| i.computed.is_some()) {
                    let bars: Vec<(String, i64)> =
                        indicator.values.iter().filter_map(|v| Some((v.year.to_string(), v.value?))).collect();
                    if bars.len() > 1 {
                        layout.bar_chart(&indicator.name, &bars);
                    }
                }
            }
            if !task.narrative.trim().is_empty() {
                layout.labelled("Opis realizacji", None, Some(&task.narrative), 1);
            }
        }
        if !goal.narrative.trim().is_empty() {
            layout.heading(&format!("Podsumowanie celu {}", goal.numeral), 11.0);
            layout.paragraph(&goal.narrative);
        }
    }
    crate::recommendations::report_sections_pdf(&mut layout, report);
    let mut meta = ctx.meta(&title, Lang::Pl);
    meta.watermark = None;
    layout.finish(&meta)
}

/// The indicator tables as XLSX: one sheet, a row per indicator with its goal and task, a bold frozen header row.
pub fn annual_report_xlsx(report: &AnnualReport) -> Result<Vec<u8>, Error> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Xlsx(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(format!("Wskaźniki {}", report.year)).map_err(xlsx)?;
    let bold = Format::new().set_bold();
    let mut headers = vec!["Cel".to_owned(), "Zadanie".to_owned()];
    headers.extend(table_headers(report));
    for (col, header) in headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| Error::Xlsx("too many columns".to_owned()))?;
        sheet.write_string_with_format(0, col, header, &bold).map_err(xlsx)?;
    }
    let mut row: u32 = 1;
    for goal in &report.goals {
        for task in &goal.tasks {
            for indicator in &task.indicators {
                sheet.write_string(row, 0, format!("{}. {}", goal.numeral, goal.title)).map_err(xlsx)?;
                sheet.write_string(row, 1, format!("{}. {}", task.number, task.title)).map_err(xlsx)?;
                sheet.write_string(row, 2, &indicator.name).map_err(xlsx)?;
                let mut values = vec![indicator.value()];
                for year in report.years.iter().filter(|y| **y != report.year) {
                    values.push(indicator.values.iter().find(|v| v.year == *year).and_then(|v| v.value));
                }
                values.push(indicator.target);
                for (i, value) in values.into_iter().enumerate() {
                    let col = u16::try_from(i + 3).map_err(|_| Error::Xlsx("too many columns".to_owned()))?;
                    if let Some(value) = value {
                        sheet.write_number(row, col, value as f64).map_err(xlsx)?;
                    }
                }
                row += 1;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    sheet.autofit();
    workbook.save_to_buffer().map_err(xlsx)
}
