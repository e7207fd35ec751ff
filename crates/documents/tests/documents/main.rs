//! Golden tests of the documents: each is rendered from fixed data, then read back with poppler's `pdftotext` and
//! `pdfinfo` (poppler-utils; scripts/test and .ci/run install it), so what is checked is what a reader gets.

use std::path::Path;
use std::process::Command;

use documents::form_b::HelpEntry;
use documents::{Delimiter, Lang, RenderContext, Table, blank_form, filled_form, form_b};
use domain::forms::{
    Answers, FieldType, FormDefinition, FormKind, FormVersion, ValidatedAnswers, all_definitions, definition, validate,
};

mod annual_report;
mod case_file;
mod diagnosis;
mod recommendations;
mod team_minutes;

pub fn ctx(watermark: Option<&str>) -> RenderContext {
    RenderContext {
        institution: "Zespół Interdyscyplinarny w Jaśle".to_owned(),
        created_at: jiff::civil::date(2026, 12, 2).at(10, 15, 0, 0).to_zoned(domain::calendar::poland_zone()).unwrap(),
        watermark: watermark.map(str::to_owned),
    }
}

/// The text of a PDF as `pdftotext` extracts it, and its page count as `pdfinfo` reports it.
pub fn read_back(pdf: &[u8]) -> (String, usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    (pdftotext(&path), pages(&path))
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-nodiag"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn pages(path: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils) is installed");
    assert!(out.status.success(), "pdfinfo failed: {}", String::from_utf8_lossy(&out.stderr));
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints the page count")
}

/// The text of the pages without their running header (each page's first line) and footer (page number and
/// watermark), so a paragraph broken by a page break reads on.
pub fn body(text: &str) -> String {
    let is_footer = |l: &str| {
        let words: Vec<&str> = l.split_whitespace().collect();
        matches!(words.as_slice(), [_, n, _, m] if n.parse::<u32>().is_ok() && m.parse::<u32>().is_ok())
            || l.starts_with("Wydrukował")
    };
    text.split('\u{c}')
        .map(|page| {
            let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
            lines.iter().skip(1).filter(|l| !is_footer(l)).copied().collect::<Vec<_>>().join("\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every word of `needle` appears in `text` in the same order (others may come between): how the cells of a table
/// read back, as pdftotext reads a row's wrapped cells one after another.
pub fn assert_words_in_order(text: &str, needle: &str, what: &str) {
    let mut words = text.split_whitespace();
    for wanted in needle.split_whitespace() {
        assert!(words.any(|w| w == wanted), "{what}: {wanted:?} of {needle:?} is not in the PDF's text in order");
    }
}

/// Whitespace folded to single spaces, so text wrapped across lines still matches.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn assert_contains(text: &str, needle: &str, what: &str) {
    if !fold(&body(text)).contains(&fold(needle)) {
        let dump = std::env::temp_dir().join("documents-test-failure.txt");
        std::fs::write(&dump, text).unwrap();
        let short: String = needle.chars().take(120).collect();
        panic!("{what}: {short:?} is not in the PDF's text (written to {})", dump.display());
    }
}

pub fn assert_clean(text: &str) {
    for word in ["null", "None", "undefined", "NaN", "Some("] {
        assert!(!text.contains(word), "the PDF's text contains {word:?}");
    }
}

fn pesel(first_ten: &str) -> String {
    domain::person::pesel::complete(first_ten).unwrap()
}

/// A police officer's 2023 form A after an evening intervention (as in the domain's tests).
pub fn form_a_2023(description: &str) -> ValidatedAnswers {
    let answers: Answers = [
        ("header.place", "Jasło".to_owned()),
        ("header.filled_at", "2025-03-14T21:40".to_owned()),
        ("affected_persons[0].first_name", "Ґанна".to_owned()),
        ("affected_persons[0].last_name", "Їжак".to_owned()),
        ("affected_persons[0].pesel", pesel("8503120840")),
        ("affected_persons[0].sex", "female".to_owned()),
        ("affected_persons[0].residence_address", "ul. Kościuszki 5/3, 38-200 Jasło".to_owned()),
        ("affected_persons[0].forms_experienced", "physical,economic".to_owned()),
        ("suspected_persons[0].first_name", "Seán".to_owned()),
        ("suspected_persons[0].last_name", "O'Brien".to_owned()),
        ("suspected_persons[0].sex", "male".to_owned()),
        ("suspected_persons[0].kinship", "spouse".to_owned()),
        ("report.reported_by", "witness".to_owned()),
        ("reporter.first_name", "Maria".to_owned()),
        ("reporter.last_name", "Nowak".to_owned()),
        ("violence.forms", "physical,economic".to_owned()),
        ("violence.incident_at", "14.03.2025 20:15".to_owned()),
        ("violence.description", description.to_owned()),
        ("household.children_present", "false".to_owned()),
        ("household.other_members_present", "false".to_owned()),
        ("substances.alcohol", "yes".to_owned()),
        ("firearm.has_firearm", "no".to_owned()),
        ("filled_by.category", "police".to_owned()),
        ("filled_by.first_name", "Piotr".to_owned()),
        ("filled_by.last_name", "Wiśniewski".to_owned()),
        ("filled_by.institution", "Komenda Powiatowa Policji w Jaśle".to_owned()),
    ]
    .into_iter()
    .collect();
    let def = definition(FormKind::A, FormVersion::V2023).unwrap();
    validate(def, &answers).unwrap_or_else(|e| panic!("the fixture validates: {e:?}"))
}

#[test]
fn every_part_field_and_option_of_every_form_definition_appears_in_its_blank_pdf() {
    for def in all_definitions() {
        let (text, page_count) = read_back(&blank_form(def, &ctx(None)).unwrap());
        let what = format!("{} {}", def.kind.as_str(), def.version.as_str());
        assert!(page_count >= 1);
        assert_contains(&text, def.title_pl, &what);
        let mut previous = "";
        for section in def.sections {
            assert_contains(&text, section.title_pl, &what);
            // A part's number is printed once, on its first section, as on the form.
            if !section.number.is_empty() && section.number != previous {
                assert_contains(&text, &format!("{}. {}", section.number, section.title_pl), &what);
                let headings = text.lines().filter(|l| l.starts_with(&format!("{}. ", section.number))).count();
                assert_eq!(headings, 1, "{what}: part {} is numbered {headings} times", section.number);
            }
            previous = section.number;
            for paragraph in section.text_pl {
                assert_contains(&text, paragraph, &what);
            }
            for field in section.fields {
                assert_contains(&text, field.label_pl, &format!("{what} {}.{}", section.id, field.id));
                for option in field.field_type.options() {
                    assert_contains(&text, &format!("☐ {}", option.label_pl), &what);
                }
                // A yes-or-no question is one box, not two.
                if field.field_type == FieldType::Bool {
                    assert_contains(&text, &format!("☐ {}", field.label_pl), &what);
                    assert!(!fold(&text).contains(&format!("{} ☐ tak ☐ nie", field.label_pl)), "{what}");
                }
                // The page's hints are not printed into the form.
                if let Some(hint) = field.hint_pl {
                    assert!(!fold(&body(&text)).contains(&fold(hint)), "{what}: the hint {hint:?} is printed");
                }
            }
        }
        assert!(!text.contains('☒'), "{what}: a blank form has no ticked box");
        assert_clean(&text);
    }
}

#[test]
fn a_filled_form_a_prints_its_values_and_ticks_the_answers() {
    let answers = form_a_2023("Awantura po powrocie męża do domu.");
    let (text, pages) =
        read_back(&filled_form(&answers, &ctx(Some("Wydrukował(a) anna.nowak dnia 02.12.2026, 10:15"))).unwrap());
    for value in ["Ґанна", "Їжак", "O'Brien", "Seán", "14.03.2025 20:15", "Komenda Powiatowa Policji w Jaśle"]
    {
        assert_contains(&text, value, "form A");
    }
    assert_contains(&text, "☒ przemoc fizyczna", "form A");
    assert_contains(&text, "Awantura po powrocie męża do domu.", "form A");
    // The watermark is on every page.
    assert_eq!(text.matches("Wydrukował(a) anna.nowak dnia 02.12.2026, 10:15").count(), pages);
    assert_eq!(text.matches("Strona 1 z").count(), 1);
    assert_clean(&text);
}

#[test]
fn a_filled_form_a_has_the_pesel_in_eleven_boxes_room_for_several_persons_and_a_footer_instead_of_a_diagonal() {
    let answers = form_a_2023("Krótko.");
    let mark = "Wydrukował(a) anna.nowak dnia 02.12.2026, 10:15";
    let pdf = filled_form(&answers, &ctx(Some(mark))).unwrap();
    let (text, pages) = read_back(&pdf);
    // Each digit in its own box: the digits read back one by one, in order.
    let digits: Vec<String> = pesel("8503120840").chars().map(String::from).collect();
    assert_contains(&text, &digits.join(" "), "the PESEL in boxes");
    // The printing account in the footer of every page, and nowhere else (no diagonal copy of it).
    assert_eq!(text.matches(mark).count(), pages);
    assert_eq!(fold(&text).matches("Wydrukował").count(), pages, "no diagonal watermark on a filled form");
    // A blank form A leaves room for two persons experiencing and two using violence.
    let def = definition(FormKind::A, FormVersion::V2023).unwrap();
    let (blank, _) = read_back(&blank_form(def, &ctx(None)).unwrap());
    assert_eq!(blank.matches("Numer PESEL").count(), 2 + 2 + 2 + 2, "persons I, II, children and other members");
}

/// All the text of a PDF, the diagonal too (`read_back` leaves it out with `-nodiag`).
fn all_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_copy_keeps_the_diagonal_watermark_and_a_filled_form_has_the_footer_only() {
    let mark = "Wydrukował(a) anna.nowak dnia 02.12.2026, 10:15";
    let page = |copy: bool| {
        let mut layout = documents::Layout::new();
        layout.paragraph("Treść.");
        let ctx = ctx(Some(mark));
        let meta = if copy { ctx.copy_meta("Akta", Lang::Pl) } else { ctx.meta("Akta", Lang::Pl) };
        all_text(&layout.finish(&meta).unwrap())
    };
    // The diagonal reads back in pieces: compare without the whitespace between them.
    let squeezed = |t: &str| t.split_whitespace().collect::<String>();
    let needle = squeezed(mark);
    assert_eq!(squeezed(&page(false)).matches(&needle).count(), 1, "a filled form: the footer only");
    assert_eq!(squeezed(&page(true)).matches(&needle).count(), 2, "a copy: the footer and the diagonal");
}

#[test]
fn very_long_free_text_flows_onto_further_pages_and_comes_back_whole() {
    let sentence = "Zażółć gęślą jaźń, Ґанна Їжак i O'Brien. ";
    let long = sentence.repeat(150);
    let short = form_a_2023("Krótko.");
    let (_, short_pages) = read_back(&filled_form(&short, &ctx(None)).unwrap());
    let (text, pages) = read_back(&filled_form(&form_a_2023(long.trim()), &ctx(None)).unwrap());
    assert!(pages > short_pages, "{pages} pages for a long description, {short_pages} for a short one");
    assert_contains(&text, long.trim(), "the long description");
    assert!(text.contains(&format!("Strona {pages} z {pages}")), "the footer numbers the last page");
}

#[test]
fn a_word_longer_than_the_line_is_broken_not_lost() {
    let word = "Zażółćgęśląjaźń".repeat(20);
    let (text, _) = read_back(&filled_form(&form_a_2023(&word), &ctx(None)).unwrap());
    let letters: String = fold(&text).split(' ').collect();
    assert!(letters.contains(&word));
}

#[test]
fn polish_ukrainian_and_irish_names_come_back_exactly_as_they_went_in() {
    for name in ["Zażółć gęślą jaźń", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ", "Ґанна Їжак", "O'Brien", "Єва Щербак-Ющенко"]
    {
        assert!(documents::fonts::covers(name), "{name}");
        let mut layout = documents::Layout::new();
        layout.paragraph(name);
        let (text, pages) = read_back(&layout.finish(&ctx(None).meta(name, Lang::Pl)).unwrap());
        assert_eq!(pages, 1);
        assert!(text.lines().any(|l| l.trim() == name), "{name:?} came back as {text:?}");
    }
}

fn directory() -> Vec<HelpEntry> {
    vec![
        HelpEntry {
            name: "Ośrodek Pomocy Społecznej w Jaśle".to_owned(),
            address: Some("ul. Kołłątaja 3, 38-200 Jasło".to_owned()),
            phone: Some("13 446 27 16".to_owned()),
            opening_hours: Some("pon.–pt. 7:30–15:30".to_owned()),
            email: None,
        },
        HelpEntry {
            name: "Ogólnopolski telefon dla osób doznających przemocy".to_owned(),
            phone: Some("800 120 002".to_owned()),
            ..HelpEntry::default()
        },
    ]
}

#[test]
fn form_b_prints_the_directory_of_help_in_polish_ukrainian_and_english() {
    let def = definition(FormKind::B, FormVersion::V2023).unwrap();
    for (lang, title, heading) in [
        (Lang::Pl, def.title_pl, "Godziny przyjęć"),
        (Lang::Uk, "Блакитна картка – B", "Години прийому"),
        (Lang::En, "Blue Card – B", "Opening hours"),
    ] {
        let (text, pages) = read_back(&form_b(def, lang, &directory(), &ctx(None)).unwrap());
        assert!(pages >= 1);
        assert_contains(&text, title, lang.as_str());
        assert_contains(&text, heading, lang.as_str());
        for value in [
            "Ośrodek Pomocy Społecznej w Jaśle",
            "ul. Kołłątaja 3, 38-200 Jasło",
            "13 446 27 16",
            "pon.–pt. 7:30–15:30",
            "Ogólnopolski telefon dla osób doznających przemocy",
            "800 120 002",
            "112.",
        ] {
            assert_words_in_order(&text, value, lang.as_str());
        }
        assert_clean(&text);
    }
}

#[test]
fn form_b_2011_is_polish_only_and_says_so() {
    let def = definition(FormKind::B, FormVersion::V2011).unwrap();
    assert!(form_b(def, Lang::Pl, &directory(), &ctx(None)).is_ok());
    let err = form_b(def, Lang::Uk, &directory(), &ctx(None)).unwrap_err();
    assert!(matches!(err, documents::Error::NoTranslation { .. }));
}

#[test]
fn empty_optional_fields_of_every_form_render_cleanly() {
    // The smallest valid answers of each form: only what is required, everything optional left out.
    for def in all_definitions().iter().filter(|d| !d.is_leaflet()) {
        let (text, _) = read_back(&blank_form(def, &ctx(Some("x"))).unwrap());
        assert_clean(&text);
    }
    let answers = form_a_2023("Opis.");
    let (text, _) = read_back(&filled_form(&answers, &ctx(None)).unwrap());
    assert_clean(&text);
}

#[test]
fn the_pdf_is_pdf_a_2b_with_title_and_author() {
    let def: &FormDefinition = definition(FormKind::A, FormVersion::V2023).unwrap();
    let pdf = blank_form(def, &ctx(None)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let info = String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
    assert!(info.contains("Niebieska Karta – A"), "{info}");
    assert!(info.contains("Zespół Interdyscyplinarny w Jaśle"), "{info}");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(raw.contains("pdfaid:part>2<") || raw.contains("pdfaid:part=\"2\""), "PDF/A-2 identification");
}

#[test]
fn the_case_list_exports_as_csv_and_xlsx() {
    let table = Table {
        name: "Sprawy".to_owned(),
        headers: vec!["Numer".to_owned(), "Osoba".to_owned()],
        rows: vec![vec!["NK/1/2026".to_owned(), "Ґанна Їжак".to_owned()]],
    };
    let csv = documents::to_csv(&table, Delimiter::Semicolon);
    assert!(csv.starts_with("\u{feff}".as_bytes()));
    assert!(String::from_utf8(csv).unwrap().contains("NK/1/2026;Ґанна Їжак\r\n"));
    assert!(documents::to_xlsx(&table).unwrap().starts_with(b"PK"));
}
