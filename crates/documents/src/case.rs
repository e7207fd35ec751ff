//! The documents of one case: a group meeting's minutes with attendance, the support plan, and the whole case file
//! (timeline, forms, plan, minutes and the other records) for a court or prosecutor's request. The records are
//! definitions like the forms (`domain::forms::records`), so they go through the same generic renderer.

use std::collections::BTreeSet;

use domain::forms::ValidatedAnswers;

use crate::Error;
use crate::form::{Lang, RenderContext, write_form_body, write_form_body_redacted, write_form_body_with};
use crate::layout::Layout;
use domain::procedure::release::REDACTED_TEXT_PL;

/// A form or a record of the case, with the line that places it ("filled 14.03.2025 21:40", "held …, minutes").
#[derive(Debug, Clone)]
pub struct CaseDocument {
    pub caption: String,
    pub answers: ValidatedAnswers,
    /// A held meeting's minutes (attendance, course, decisions), printed under the meeting.
    pub minutes: Option<ValidatedAnswers>,
    /// The answer paths sealed from this document (issue 20), printed as „zastrzeżone”.
    pub withheld: BTreeSet<String>,
    /// A plan item's owner by name, as the case page shows it: the answers hold a member's account id, which a
    /// document never prints.
    pub owner: Option<String>,
}

/// Everything the case file prints.
#[derive(Debug, Clone, Default)]
pub struct CaseFile {
    /// The case number (`NK/12/2026`).
    pub number: String,
    pub phase: String,
    pub opened: String,
    /// (when, what) in time order.
    pub timeline: Vec<(String, String)>,
    /// Forms A–D in the order they were filled.
    pub forms: Vec<CaseDocument>,
    /// The group's records (meetings with minutes, plan items, visits, letters…) in date order.
    pub records: Vec<CaseDocument>,
}

fn case_heading(layout: &mut Layout, title: &str, number: &str) {
    layout.heading(title, 15.0);
    layout.bold(&format!("Sprawa {number}"));
    layout.space(6.0);
}

fn write_document(layout: &mut Layout, doc: &CaseDocument) {
    let def = doc.answers.definition();
    layout.heading(def.title_pl, 13.0);
    layout.small(&doc.caption);
    write_form_body_with(layout, def, Some(&doc.answers), &doc.withheld, doc.owner.as_deref());
    if let Some(minutes) = &doc.minutes {
        layout.heading(minutes.definition().title_pl, 12.0);
        write_form_body(layout, minutes.definition(), Some(minutes), &BTreeSet::new());
    }
}

/// The minutes of one group meeting: the meeting as planned, then its minutes with attendance, and signature lines
/// for who took part.
pub fn minutes_pdf(number: &str, meeting: &CaseDocument, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = "Protokół spotkania grupy diagnostyczno-pomocowej";
    case_heading(&mut layout, title, number);
    write_document(&mut layout, meeting);
    layout.signatures(&["protokołował(a)", "podpisy obecnych członków grupy"]);
    layout.finish(&ctx.meta(&format!("{title}, sprawa {number}"), Lang::Pl))
}

/// The individual support plan: its items as currently agreed, each with its actions, dates and who is
/// responsible.
pub fn support_plan_pdf(number: &str, items: &[CaseDocument], ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = "Indywidualny plan pomocy";
    case_heading(&mut layout, title, number);
    if items.is_empty() {
        layout.paragraph("Plan pomocy nie zawiera jeszcze żadnych działań.");
    }
    for (i, item) in items.iter().enumerate() {
        layout.heading(&format!("Działanie {}", i + 1), 12.0);
        layout.small(&item.caption);
        let (withheld, owner) = (&item.withheld, item.owner.as_deref());
        write_form_body_with(&mut layout, item.answers.definition(), Some(&item.answers), withheld, owner);
    }
    layout.signatures(&["podpis osoby doznającej przemocy domowej", "podpisy członków grupy diagnostyczno-pomocowej"]);
    layout.finish(&ctx.meta(&format!("{title}, sprawa {number}"), Lang::Pl))
}

/// The whole case file, for a court or the prosecutor: a cover with the case's state, the timeline, every form and
/// every record, each from a new page.
pub fn case_file_pdf(file: &CaseFile, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = "Akta sprawy prowadzonej w procedurze „Niebieskie Karty”";
    case_heading(&mut layout, title, &file.number);
    layout.labelled("Zespół interdyscyplinarny", None, Some(&ctx.institution), 1);
    layout.labelled("Etap procedury", None, Some(&file.phase), 1);
    layout.labelled("Wszczęcie procedury", None, Some(&file.opened), 1);
    layout.labelled(
        "Zawartość",
        None,
        Some(&format!("przebieg sprawy; formularze: {}; wpisy grupy: {}", file.forms.len(), file.records.len())),
        1,
    );
    layout.small(
        "Dokument zawiera dane osobowe i dane szczególnie chronione (art. 9c ustawy o przeciwdziałaniu przemocy \
         domowej). Udostępniany wyłącznie uprawnionemu organowi na jego żądanie.",
    );
    layout.heading("Przebieg sprawy", 12.0);
    let rows: Vec<Vec<String>> = file.timeline.iter().map(|(when, what)| vec![when.clone(), what.clone()]).collect();
    layout.table(&["Data", "Zdarzenie"], &[0.25, 0.75], &rows);
    for doc in file.forms.iter().chain(&file.records) {
        layout.new_page();
        write_document(&mut layout, doc);
    }
    layout.finish(&ctx.copy_meta(&format!("Akta sprawy {}", file.number), Lang::Pl))
}

/// A copy of the case documentation released on an access request (issue 20): who it is for, why, on what basis,
/// and the documents the chair chose, each with the values redacted for this recipient.
#[derive(Debug, Clone, Default)]
pub struct ReleaseFile {
    pub number: String,
    pub recipient: String,
    pub purpose: String,
    pub basis: String,
    /// The day the request came, as printed.
    pub requested_on: String,
    /// The day of the release, as printed.
    pub released_on: String,
    /// Each document with the answer paths redacted from it.
    pub documents: Vec<(CaseDocument, BTreeSet<String>)>,
}

/// The released copy: a cover naming the recipient, purpose, basis and dates, then each chosen document from a new
/// page. The watermark (recipient, purpose, date) is the caller's, in `ctx`, printed on every page.
pub fn release_pdf(file: &ReleaseFile, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = "Kopia dokumentacji sprawy prowadzonej w procedurze „Niebieskie Karty”";
    case_heading(&mut layout, title, &file.number);
    layout.labelled("Zespół interdyscyplinarny", None, Some(&ctx.institution), 1);
    layout.labelled("Odbiorca", None, Some(&file.recipient), 1);
    layout.labelled("Cel udostępnienia", None, Some(&file.purpose), 1);
    layout.labelled("Podstawa prawna", None, Some(&file.basis), 1);
    layout.labelled("Data wpływu wniosku", None, Some(&file.requested_on), 1);
    layout.labelled("Data udostępnienia", None, Some(&file.released_on), 1);
    layout.labelled("Zawartość", None, Some(&format!("dokumenty: {}", file.documents.len())), 1);
    layout.small(&format!(
        "W miejscu danych osób trzecich wpisano „{REDACTED_TEXT_PL}”, w miejscu danych zastrzeżonych „{}”. Kopia \
         przeznaczona wyłącznie dla wskazanego odbiorcy i do wskazanego celu; dalsze udostępnianie zabronione.",
        domain::forms::seal::SEALED_TEXT_PL
    ));
    for (doc, redacted) in &file.documents {
        layout.new_page();
        let def = doc.answers.definition();
        layout.heading(def.title_pl, 13.0);
        layout.small(&doc.caption);
        let owner = doc.owner.as_deref();
        write_form_body_redacted(&mut layout, def, Some(&doc.answers), &doc.withheld, redacted, owner);
        if let Some(minutes) = &doc.minutes {
            layout.heading(minutes.definition().title_pl, 12.0);
            write_form_body_redacted(
                &mut layout,
                minutes.definition(),
                Some(minutes),
                &BTreeSet::new(),
                redacted,
                None,
            );
        }
    }
    layout.finish(&ctx.copy_meta(&format!("Kopia dokumentacji sprawy {}", file.number), Lang::Pl))
}
