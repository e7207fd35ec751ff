//! The statutory set (annex 2 to the Government Programme 2024–2030) as XLSX in the template's layout: a heading with
//! the municipality, the year and the version shown, then one row per line (reference, the template's Polish words
//! indented under their heading, value). Figures only, never personal data.

use rust_xlsxwriter::{Format, Workbook};

use crate::Error;

/// One row as the template prints it.
pub struct StatutoryRow<'a> {
    pub reference: &'a str,
    pub name_pl: &'a str,
    /// 0: a line of its own; 1 and 2: "w tym" under the line above.
    pub level: u8,
    pub value: i64,
    /// Shown instead of the value: a suppressed figure of a county's or region's sums ("<5", "x").
    pub text: Option<&'a str>,
    /// A county's or region's sums: how many municipalities each figure adds up (a fourth column).
    pub municipalities: Option<usize>,
}

/// The workbook: `heading` ("Gmina X (1016011), rok 2027") and `version` ("zatwierdzona wersja 2" or "dane bieżące,
/// niezatwierdzone") above the table.
pub fn statutory_xlsx(heading: &str, version: &str, rows: &[StatutoryRow<'_>]) -> Result<Vec<u8>, Error> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| Error::Xlsx(e.to_string());
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Załącznik 2").map_err(xlsx)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(
            0,
            0,
            "Sprawozdanie z realizacji Rządowego Programu Przeciwdziałania Przemocy Domowej na lata 2024–2030",
            &bold,
        )
        .map_err(xlsx)?;
    sheet.write_string(1, 0, heading).map_err(xlsx)?;
    sheet.write_string(2, 0, version).map_err(xlsx)?;
    let sums = rows.iter().any(|r| r.municipalities.is_some());
    let headings: &[&str] = if sums {
        &["Nr wskaźnika", "Wskaźnik", "Wartość", "Liczba gmin"]
    } else {
        &["Nr wskaźnika", "Wskaźnik", "Wartość"]
    };
    for (col, h) in headings.iter().enumerate() {
        sheet.write_string_with_format(4, col as u16, *h, &bold).map_err(xlsx)?;
    }
    let indents = [Format::new(), Format::new().set_indent(1), Format::new().set_indent(2)];
    for (row, r) in (5_u32..).zip(rows) {
        sheet.write_string(row, 0, r.reference).map_err(xlsx)?;
        let name = domain::programme::statutory::shown_name(r.name_pl, r.level, "w tym");
        sheet.write_string_with_format(row, 1, &name, &indents[usize::from(r.level.min(2))]).map_err(xlsx)?;
        match r.text {
            Some(text) => sheet.write_string(row, 2, text).map(|_| ()).map_err(xlsx)?,
            None => sheet.write_number(row, 2, r.value as f64).map(|_| ()).map_err(xlsx)?,
        }
        if let Some(n) = r.municipalities {
            sheet.write_number(row, 3, n as f64).map_err(xlsx)?;
        }
    }
    sheet.set_column_width(1, 90).map_err(xlsx)?;
    sheet.set_freeze_panes(5, 0).map_err(xlsx)?;
    workbook.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workbook_is_a_zip_with_the_template_words() {
        let rows = [
            StatutoryRow {
                reference: "2.3.1",
                name_pl: "liczba wypełnionych formularzy „Niebieska Karta – C”",
                level: 0,
                value: 3,
                text: None,
                municipalities: None,
            },
            StatutoryRow {
                reference: "2.3.1",
                name_pl: "kobiety",
                level: 1,
                value: 0,
                text: Some("<5"),
                municipalities: Some(4),
            },
        ];
        let bytes = statutory_xlsx("Gmina Rawa, rok 2027", "zatwierdzona wersja 1", &rows).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
