//! The annual report as an editable OpenDocument text (ODT) for the team to finish in LibreOffice or Word: headings,
//! paragraphs and the indicator tables. Written by hand as the minimal package (mimetype stored first, manifest,
//! content, styles) inside a zip with deflate.

use std::io::Write;

use domain::programme::AnnualReport;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::Error;
use crate::report::{annual_report_title, table_headers, table_row};

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub(crate) struct Body(pub(crate) String);

impl Body {
    pub(crate) fn heading(&mut self, level: u8, text: &str) {
        self.0.push_str(&format!(
            "<text:h text:style-name=\"Heading_20_{level}\" text:outline-level=\"{level}\">{}</text:h>",
            escape(text)
        ));
    }

    pub(crate) fn paragraph(&mut self, text: &str) {
        for line in text.lines() {
            self.0.push_str(&format!("<text:p text:style-name=\"Standard\">{}</text:p>", escape(line)));
        }
    }

    pub(crate) fn labelled(&mut self, label: &str, value: &str) {
        self.0.push_str(&format!(
            "<text:p text:style-name=\"Standard\"><text:span text:style-name=\"Bold\">{}: </text:span>{}</text:p>",
            escape(label),
            escape(value)
        ));
    }

    pub(crate) fn table(&mut self, name: &str, headers: &[String], rows: &[Vec<String>]) {
        self.0.push_str(&format!("<table:table table:name=\"{}\">", escape(name)));
        self.0.push_str(&format!("<table:table-column table:number-columns-repeated=\"{}\"/>", headers.len()));
        let row = |out: &mut String, cells: &[String], bold: bool| {
            out.push_str("<table:table-row>");
            for cell in cells {
                out.push_str("<table:table-cell office:value-type=\"string\">");
                if bold {
                    out.push_str(&format!(
                        "<text:p><text:span text:style-name=\"Bold\">{}</text:span></text:p>",
                        escape(cell)
                    ));
                } else {
                    out.push_str(&format!("<text:p>{}</text:p>", escape(cell)));
                }
                out.push_str("</table:table-cell>");
            }
            out.push_str("</table:table-row>");
        };
        self.0.push_str("<table:table-header-rows>");
        row(&mut self.0, headers, true);
        self.0.push_str("</table:table-header-rows>");
        for cells in rows {
            row(&mut self.0, cells, false);
        }
        self.0.push_str("</table:table>");
    }
}

const NS: &str = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"";

/// The annual report as ODT: the same structure as the PDF, without the charts, to edit before it goes to the
/// council.
pub fn annual_report_odt(report: &AnnualReport, institution: &str) -> Result<Vec<u8>, Error> {
    let title = annual_report_title(report);
    let mut body = Body(String::new());
    body.heading(1, &title);
    body.paragraph(&report.tenant_name);
    body.paragraph(&report.programme_title);
    body.labelled("Okres realizacji programu", &format!("{}–{}", report.period_from, report.period_to));
    body.labelled(
        &format!("Wersja programu obowiązująca 31 grudnia {}", report.year),
        &format!(
            "nr {}, obowiązuje od {} ({})",
            report.version_number, report.version_applies_from, report.version_resolution
        ),
    );
    body.labelled("Sporządził", institution);
    if !report.strategic_goal.trim().is_empty() {
        body.labelled("Cel strategiczny", &report.strategic_goal);
    }
    let headers = table_headers(report);
    let mut table_number = 0;
    for goal in &report.goals {
        body.heading(2, &format!("Cel {}. {}", goal.numeral, goal.title));
        for task in &goal.tasks {
            body.heading(3, &format!("Zadanie {}. {}", task.number, task.title));
            let institutions =
                if task.institutions.is_empty() { "—".to_owned() } else { task.institutions.join(", ") };
            body.labelled("Realizatorzy", &institutions);
            body.labelled("Termin realizacji", &task.time_frame);
            if !task.indicators.is_empty() {
                table_number += 1;
                let rows: Vec<Vec<String>> = task.indicators.iter().map(|i| table_row(report, i)).collect();
                body.table(&format!("Tabela{table_number}"), &headers, &rows);
            }
            if !task.narrative.trim().is_empty() {
                body.labelled("Opis realizacji", "");
                body.paragraph(&task.narrative);
            }
        }
        if !goal.narrative.trim().is_empty() {
            body.heading(3, &format!("Podsumowanie celu {}", goal.numeral));
            body.paragraph(&goal.narrative);
        }
    }
    crate::recommendations::report_sections_odt(&mut body, report, &mut table_number);
    package(&title, institution, &body)
}

/// The ODT package of `body`: content, styles, metadata (title, author) and manifest, zipped with the mimetype first.
pub(crate) fn package(title: &str, institution: &str, body: &Body) -> Result<Vec<u8>, Error> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {NS} office:version=\"1.3\">\
<office:automatic-styles/><office:body><office:text>{}</office:text></office:body></office:document-content>",
        body.0
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {NS} office:version=\"1.3\"><office:styles>\
<style:style style:name=\"Standard\" style:family=\"paragraph\"><style:text-properties style:font-name=\"DejaVu Sans\" fo:font-size=\"10pt\"/></style:style>\
<style:style style:name=\"Heading_20_1\" style:display-name=\"Heading 1\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:default-outline-level=\"1\"><style:text-properties fo:font-size=\"16pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Heading_20_2\" style:display-name=\"Heading 2\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:default-outline-level=\"2\"><style:text-properties fo:font-size=\"13pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Heading_20_3\" style:display-name=\"Heading 3\" style:family=\"paragraph\" style:parent-style-name=\"Standard\" style:default-outline-level=\"3\"><style:text-properties fo:font-size=\"11pt\" fo:font-weight=\"bold\"/></style:style>\
<style:style style:name=\"Bold\" style:family=\"text\"><style:text-properties fo:font-weight=\"bold\"/></style:style>\
</office:styles></office:document-styles>"
    );
    let meta = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {NS} office:version=\"1.3\"><office:meta>\
<dc:title>{}</dc:title><meta:initial-creator>{}</meta:initial-creator><meta:generator>Ostoja</meta:generator>\
<dc:language>pl</dc:language></office:meta></office:document-meta>",
        escape(title),
        escape(institution)
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest \
xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>\
<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    let zip_error = |e: zip::result::ZipError| Error::Odt(e.to_string());
    let io_error = |e: std::io::Error| Error::Odt(e.to_string());
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The mimetype comes first and uncompressed, so a reader can tell the type from the file's first bytes.
    zip.start_file("mimetype", SimpleFileOptions::default().compression_method(CompressionMethod::Stored))
        .map_err(zip_error)?;
    zip.write_all(b"application/vnd.oasis.opendocument.text").map_err(io_error)?;
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in
        [("META-INF/manifest.xml", manifest), ("content.xml", &content), ("styles.xml", &styles), ("meta.xml", &meta)]
    {
        zip.start_file(name, deflated).map_err(zip_error)?;
        zip.write_all(text.as_bytes()).map_err(io_error)?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}
