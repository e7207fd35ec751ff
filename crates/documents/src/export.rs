//! Tabular exports: one [`Table`] (a header row and rows of text) written as CSV or XLSX.
//!
//! CSV is UTF-8 with a byte-order mark (so Excel reads the Polish letters), quoted as RFC 4180 says; the separator is
//! a comma, or a semicolon for Polish Excel, whose list separator is the semicolon because the comma is the decimal
//! mark. A cell that starts with `=`, `+`, `-` or `@` is prefixed with an apostrophe, so a spreadsheet never runs
//! a value typed into a case as a formula (CSV injection).

use rust_xlsxwriter::{Format, Workbook};

use crate::Error;

/// A sheet of text: what the case-list page shows, as it shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name in XLSX (at most 31 characters).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    /// For Polish Excel.
    Semicolon,
}

impl Delimiter {
    fn char(self) -> char {
        match self {
            Delimiter::Comma => ',',
            Delimiter::Semicolon => ';',
        }
    }
}

/// Neutralises a cell a spreadsheet would read as a formula.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

/// The table as CSV bytes: BOM, header row, rows, CRLF line ends.
pub fn to_csv(table: &Table, delimiter: Delimiter) -> Vec<u8> {
    let sep = delimiter.char();
    let mut out = String::from("\u{feff}");
    for row in std::iter::once(&table.headers).chain(&table.rows) {
        let cells: Vec<String> = row
            .iter()
            .map(|cell| {
                let cell = defuse(cell);
                if cell.contains([sep, '"', '\n', '\r']) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.into_owned()
                }
            })
            .collect();
        out.push_str(&cells.join(&sep.to_string()));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The table as an XLSX workbook of one sheet: bold, frozen header row, columns sized to their content.
pub fn to_xlsx(table: &Table) -> Result<Vec<u8>, Error> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Xlsx(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let name: String = table.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if !name.is_empty() {
        sheet.set_name(&name).map_err(xlsx)?;
    }
    let bold = Format::new().set_bold();
    for (col, header) in table.headers.iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| Error::Xlsx("too many columns".to_owned()))?;
        sheet.write_string_with_format(0, col, header, &bold).map_err(xlsx)?;
    }
    for (row, cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(row + 1).map_err(|_| Error::Xlsx("too many rows".to_owned()))?;
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| Error::Xlsx("too many columns".to_owned()))?;
            sheet.write_string(row, col, cell).map_err(xlsx)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx)?;
    sheet.autofit();
    workbook.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Sprawy".to_owned(),
            headers: vec!["Numer".to_owned(), "Uwagi".to_owned()],
            rows: vec![
                vec!["NK/1/2026".to_owned(), "Zażółć; \"gęślą\"\njaźń".to_owned()],
                vec!["=HYPERLINK(1)".to_owned(), String::new()],
            ],
        }
    }

    #[test]
    fn csv_has_a_bom_quotes_what_needs_it_and_defuses_formulas() {
        let csv = String::from_utf8(to_csv(&table(), Delimiter::Semicolon)).unwrap();
        assert_eq!(csv, "\u{feff}Numer;Uwagi\r\nNK/1/2026;\"Zażółć; \"\"gęślą\"\"\njaźń\"\r\n'=HYPERLINK(1);\r\n");
        let csv = String::from_utf8(to_csv(&table(), Delimiter::Comma)).unwrap();
        assert!(csv.contains("NK/1/2026,\"Zażółć; \"\"gęślą\"\"\njaźń\""));
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&table()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
