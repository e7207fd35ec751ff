//! The generic form renderer: it walks a [`FormDefinition`] (parts, fields, options) and lays out each field by its
//! type, so a new form version is new data in `domain::forms`, not new layout code here. The same walk prints a
//! filled form (values, ticked boxes) and a blank one (ruled lines, empty boxes) for filling in by hand.

use std::collections::BTreeSet;

use domain::forms::seal::SEALED_TEXT_PL;
use domain::forms::{
    FieldType, FormDefinition, FormKind, PlanOwner, Record, Section, SectionValues, ValidatedAnswers, Value,
};
use domain::procedure::release::REDACTED_TEXT_PL;

use crate::Error;
use crate::layout::{Layout, Meta};

/// The language of a printed document. Forms A, C and D exist in Polish only; form B also in Ukrainian and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Pl,
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Pl, Lang::Uk, Lang::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The footer's "page n of total" words.
    pub(crate) fn page_words(self) -> (&'static str, &'static str) {
        match self {
            Lang::Pl => ("Strona", "z"),
            Lang::Uk => ("Сторінка", "з"),
            Lang::En => ("Page", "of"),
        }
    }
}

/// What every rendering needs besides its data.
#[derive(Debug, Clone)]
pub struct RenderContext {
    /// The issuing institution (the tenant's team), the PDF's author.
    pub institution: String,
    /// When the rendering ran, in the tenant's time zone.
    pub created_at: jiff::Zoned,
    /// `Some("Wydrukował(a): login, 2026-12-02 10:15")` on documents with personal data.
    pub watermark: Option<String>,
}

impl RenderContext {
    /// The metadata of a document titled `title` in `lang`: the watermark, if any, as a small footer line.
    pub fn meta(&self, title: &str, lang: Lang) -> Meta {
        Meta {
            title: title.to_owned(),
            author: self.institution.clone(),
            language: lang.as_str(),
            created_at: self.created_at.clone(),
            watermark: self.watermark.clone(),
            diagonal: false,
            page_words: lang.page_words(),
        }
    }

    /// [`RenderContext::meta`] for a copy or a draft: the watermark also drawn large across every page.
    pub fn copy_meta(&self, title: &str, lang: Lang) -> Meta {
        Meta { diagonal: true, ..self.meta(title, lang) }
    }
}

/// A blank form `definition` in Polish, to fill in by hand (form B: with an empty directory of help).
pub fn blank_form(definition: &'static FormDefinition, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    if definition.is_leaflet() {
        return crate::form_b::form_b(definition, Lang::Pl, &[], ctx);
    }
    let mut layout = Layout::new();
    write_form(&mut layout, definition, None, &BTreeSet::new());
    layout.finish(&ctx.meta(definition.title_pl, Lang::Pl))
}

/// A form as filled: values printed, boxes ticked as answered; fields not given are left blank.
pub fn filled_form(answers: &ValidatedAnswers, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    filled_form_sealed(answers, &BTreeSet::new(), ctx)
}

/// [`filled_form`] with the values sealed from the one printing (`withheld` answer paths, issue 20) printed as
/// „zastrzeżone” in their place.
pub fn filled_form_sealed(
    answers: &ValidatedAnswers,
    withheld: &BTreeSet<String>,
    ctx: &RenderContext,
) -> Result<Vec<u8>, Error> {
    let definition = answers.definition();
    let mut layout = Layout::new();
    write_form(&mut layout, definition, Some(answers), withheld);
    layout.finish(&ctx.meta(definition.title_pl, Lang::Pl))
}

/// Lays out the form on `layout` (also used inside a whole case file).
pub fn write_form(
    layout: &mut Layout,
    definition: &'static FormDefinition,
    answers: Option<&ValidatedAnswers>,
    withheld: &BTreeSet<String>,
) {
    layout.heading(definition.title_pl, 14.0);
    layout.small(definition.legal_basis);
    layout.space(6.0);
    write_form_body(layout, definition, answers, withheld);
    layout.signatures(signature_captions(definition.kind));
}

/// The form's parts and fields, without its heading and signature lines; the `withheld` paths print „zastrzeżone”.
pub fn write_form_body(
    layout: &mut Layout,
    definition: &'static FormDefinition,
    answers: Option<&ValidatedAnswers>,
    withheld: &BTreeSet<String>,
) {
    write_form_body_with(layout, definition, answers, withheld, None);
}

/// [`write_form_body`], with a plan item's owner printed by the name given (a member is stored by account id).
pub fn write_form_body_with(
    layout: &mut Layout,
    definition: &'static FormDefinition,
    answers: Option<&ValidatedAnswers>,
    withheld: &BTreeSet<String>,
    owner: Option<&str>,
) {
    write_form_body_redacted(layout, definition, answers, withheld, &BTreeSet::new(), owner);
}

/// [`write_form_body_with`] for a released copy (issue 20): the `redacted` paths (third parties' data) print
/// [`REDACTED_TEXT_PL`] whatever the answers hold, so a redacted value never reaches the page.
pub fn write_form_body_redacted(
    layout: &mut Layout,
    definition: &'static FormDefinition,
    answers: Option<&ValidatedAnswers>,
    withheld: &BTreeSet<String>,
    redacted: &BTreeSet<String>,
    owner: Option<&str>,
) {
    let mut previous = "";
    for section in definition.sections {
        // A part of the form split into several sections here (part VI: the household, its children, its other
        // members) carries its number once, as on the form; the rest are its sub-parts.
        let continued = !section.number.is_empty() && section.number == previous;
        previous = section.number;
        write_section(layout, section, continued, answers, withheld, redacted, owner);
    }
}

fn write_section(
    layout: &mut Layout,
    section: &Section,
    continued: bool,
    answers: Option<&ValidatedAnswers>,
    withheld: &BTreeSet<String>,
    redacted: &BTreeSet<String>,
    owner: Option<&str>,
) {
    if continued {
        layout.heading(section.title_pl, 10.0);
    } else if section.number.is_empty() {
        layout.heading(section.title_pl, 11.0);
    } else {
        layout.heading(&format!("{}. {}", section.number, section.title_pl), 11.0);
    }
    for text in section.text_pl {
        layout.paragraph(text);
    }
    if section.fields.is_empty() {
        return;
    }
    let items: Vec<Option<&Record>> = match answers.and_then(|a| a.section(section.id)) {
        Some(SectionValues::Once(record)) => vec![Some(record)],
        Some(SectionValues::Many(items)) if !items.is_empty() => items.iter().map(Some).collect(),
        // A blank form leaves room for several persons, as the form does; an unanswered part of a filled one, for one.
        _ if answers.is_none() && section.is_repeated() && section.person_role.is_some() => vec![None; 2],
        _ => vec![None],
    };
    let repeated = section.is_repeated();
    for (i, record) in items.iter().enumerate() {
        if repeated {
            layout.bold(&format!("{}.", i + 1));
        }
        for field in section.fields {
            let path = || {
                if repeated {
                    format!("{}[{i}].{}", section.id, field.id)
                } else {
                    format!("{}.{}", section.id, field.id)
                }
            };
            // Checked before the value is read: a redacted value is never printed, whatever the answers hold.
            if !redacted.is_empty() && redacted.contains(&path()) {
                layout.labelled(field.label_pl, None, Some(REDACTED_TEXT_PL), 1);
                continue;
            }
            let value = record.and_then(|r| r.get(field.id));
            if value.is_none() && !withheld.is_empty() && withheld.contains(&path()) {
                layout.labelled(field.label_pl, None, Some(SEALED_TEXT_PL), 1);
                continue;
            }
            write_field(layout, field, value, owner);
        }
    }
}

/// One field as the form prints it. The on-screen hints (`hint_pl`) are help for filling in on a page, not part of
/// the form or of the minutes and plans, so they are not printed.
fn write_field(layout: &mut Layout, field: &domain::forms::Field, value: Option<&Value>, owner: Option<&str>) {
    match field.field_type {
        FieldType::Owner => {
            let name = value.map(|v| owner.map_or_else(|| display(v), str::to_owned));
            layout.labelled(field.label_pl, None, name.as_deref(), 1);
        }
        // One box, ticked for "yes": the form's way of asking a yes-or-no question.
        FieldType::Bool => layout.tick(field.label_pl, matches!(value, Some(Value::Bool(true)))),
        FieldType::Pesel => {
            let digits = match value {
                Some(Value::Pesel(p)) => Some(p.as_str()),
                _ => None,
            };
            layout.digit_boxes(field.label_pl, digits, 11);
        }
        FieldType::Choice(options) | FieldType::MultiChoice(options) => {
            let chosen: Vec<&str> = match value {
                Some(Value::Choice(v)) => vec![*v],
                Some(Value::MultiChoice(vs)) => vs.clone(),
                _ => Vec::new(),
            };
            let boxes: Vec<(&str, bool)> = options.iter().map(|o| (o.label_pl, chosen.contains(&o.value))).collect();
            layout.checkboxes(field.label_pl, None, &boxes);
        }
        FieldType::LongText { .. } => {
            layout.labelled(field.label_pl, None, value.map(display).as_deref(), 4);
        }
        _ => layout.labelled(field.label_pl, None, value.map(display).as_deref(), 1),
    }
}

/// A value as printed: dates the Polish way, everything else as entered.
pub fn display(value: &Value) -> String {
    match value {
        Value::Text(s) | Value::Phone(s) | Value::Email(s) => s.clone(),
        Value::Date(d) => d.strftime("%d.%m.%Y").to_string(),
        Value::DateTime(dt) => dt.strftime("%d.%m.%Y %H:%M").to_string(),
        Value::Bool(true) => "tak".to_owned(),
        Value::Bool(false) => "nie".to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Choice(v) => (*v).to_owned(),
        Value::MultiChoice(vs) => vs.join(", "),
        Value::Pesel(p) => p.as_str().to_owned(),
        Value::Owner(PlanOwner::Institution(kind)) => kind.label_pl().to_owned(),
        Value::Owner(PlanOwner::AsRecorded(text)) => format!("{text} (wpisano tekstem)"),
        // Never the account id: the caller gives the member's name (`write_form_body_with`).
        Value::Owner(PlanOwner::Member(_)) => "członek grupy diagnostyczno-pomocowej".to_owned(),
    }
}

/// The signature lines under each form \[U\]: the 2011 templates end with the signatures of who filled the form in
/// (A), of the members of the team or group and the person concerned (C, D); the 2023 annexes are assumed to keep
/// them (docs/legal-assumptions.md).
fn signature_captions(kind: FormKind) -> &'static [&'static str] {
    match kind {
        FormKind::A => &["miejscowość i data", "podpis osoby wypełniającej formularz"],
        FormKind::C => &["podpis osoby doznającej przemocy domowej", "podpisy członków grupy diagnostyczno-pomocowej"],
        FormKind::D => &["podpis osoby stosującej przemoc domową", "podpisy członków grupy diagnostyczno-pomocowej"],
        _ => &[],
    }
}
