//! Renders a form definition as HTML fields: one definition drives the page, the validation and the API.

use domain::FieldErrors;
use domain::forms::{Answers, FieldType, FormDefinition, Repeat, Requirement};

use super::owner::OwnerNames;
use crate::i18n::Tr;

/// The controls of a form page that are not answers.
const CONTROLS: &[&str] = &[
    "csrf",
    "add",
    "version",
    "new_despite_match",
    "attach_to",
    "record_version",
    "kind",
    "draft",
    "save_draft",
    "autosave",
    "from_paper",
    // The hidden default button that Enter in a field presses on a form without a draft (a plain submit).
    "enter_key",
];

/// A posted form page split into its answers and its controls (CSRF token, "add another", version, choices).
/// Blank answers are dropped ("not given"); repeated keys (checkbox groups) are joined.
pub struct PostedForm<'a> {
    pub answers: Answers,
    body: &'a [(String, String)],
}

impl<'a> PostedForm<'a> {
    pub fn read(body: &'a [(String, String)]) -> PostedForm<'a> {
        let mut answers = Answers::new();
        for (key, value) in body {
            if !CONTROLS.contains(&key.as_str()) && !value.trim().is_empty() {
                answers.append(key.clone(), value);
            }
        }
        PostedForm { answers, body }
    }

    /// A control's value, if posted.
    pub fn control(&self, name: &str) -> Option<&'a str> {
        self.body.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// One input, ready for the template.
#[derive(Debug, Clone)]
pub struct FieldVm {
    pub path: String,
    /// An id safe for HTML (`affected_persons-0-last_name`).
    pub html_id: String,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// text, textarea, date, datetime-local, checkbox, select, checkboxes, number, tel, email
    pub kind: &'static str,
    pub required: bool,
    pub value: String,
    pub error: Option<String>,
    /// (value, label, selected) for select and checkboxes.
    pub options: Vec<(String, String, bool)>,
    pub inputmode: &'static str,
}

#[derive(Debug, Clone)]
pub struct ItemVm {
    /// "Osoba 2" for repeated sections; empty otherwise.
    pub heading: String,
    pub fields: Vec<FieldVm>,
}

#[derive(Debug, Clone)]
pub struct SectionVm {
    pub id: &'static str,
    pub number: &'static str,
    pub title: &'static str,
    pub text: &'static [&'static str],
    pub items: Vec<ItemVm>,
    /// Whether another item can be added (a repeated section below its maximum).
    pub can_add: bool,
}

/// How many items a repeated section shows: what was typed (or asked for with "add"), at least one.
pub fn item_count(def: &FormDefinition, section: &str, answers: &Answers, extra: Option<&str>) -> usize {
    let typed = answers
        .iter()
        .filter_map(|(path, _)| path.strip_prefix(section)?.strip_prefix('[')?.split(']').next()?.parse::<usize>().ok())
        .map(|i| i + 1)
        .max()
        .unwrap_or(0);
    let max = def.section(section).map_or(1, |s| match s.repeat {
        Repeat::Once => 1,
        Repeat::Many { max } => usize::from(max),
    });
    (typed.max(1) + usize::from(extra == Some(section))).min(max)
}

/// The view of every section of `def`, with the typed `answers` and the `errors` beside their fields.
pub fn sections(
    def: &FormDefinition,
    answers: &Answers,
    errors: &FieldErrors,
    t: &Tr,
    add: Option<&str>,
) -> Vec<SectionVm> {
    sections_with(def, answers, errors, t, add, &OwnerNames::default())
}

/// [`sections`], with the choices of an owner field ([`FieldType::Owner`]) supplied by the case: its current group
/// members and the institution kinds.
pub fn sections_with(
    def: &FormDefinition,
    answers: &Answers,
    errors: &FieldErrors,
    t: &Tr,
    add: Option<&str>,
    owners: &OwnerNames,
) -> Vec<SectionVm> {
    def.sections
        .iter()
        .map(|s| {
            let (count, repeated, max) = match s.repeat {
                Repeat::Once => (1, false, 1),
                Repeat::Many { max } => (item_count(def, s.id, answers, add), true, usize::from(max)),
            };
            let items = (0..count)
                .map(|i| {
                    let prefix = if repeated { format!("{}[{i}]", s.id) } else { s.id.to_owned() };
                    ItemVm {
                        heading: if repeated { t.arg("form-item", "n", &(i + 1).to_string()) } else { String::new() },
                        fields: s.fields.iter().map(|f| field_vm(&prefix, f, answers, errors, t, owners)).collect(),
                    }
                })
                .collect();
            SectionVm {
                id: s.id,
                number: s.number,
                title: s.title_pl,
                text: s.text_pl,
                items,
                can_add: repeated && count < max,
            }
        })
        .collect()
}

fn field_vm(
    prefix: &str,
    f: &domain::forms::Field,
    answers: &Answers,
    errors: &FieldErrors,
    t: &Tr,
    owners: &OwnerNames,
) -> FieldVm {
    let path = format!("{prefix}.{}", f.id);
    let value = answers.get(&path).unwrap_or("").to_owned();
    let selected: Vec<&str> = value.split(',').map(str::trim).collect();
    let own = |opts: &[domain::forms::Opt], chosen: &dyn Fn(&str) -> bool| -> Vec<(String, String, bool)> {
        opts.iter().map(|o| (o.value.to_owned(), o.label_pl.to_owned(), chosen(o.value))).collect()
    };
    let (kind, inputmode, options) = match &f.field_type {
        FieldType::Text { .. } => ("text", "", vec![]),
        FieldType::LongText { .. } => ("textarea", "", vec![]),
        FieldType::Date => ("text", "", vec![]),
        FieldType::DateTime => ("datetime-local", "", vec![]),
        // A required yes/no question is a choice: an unticked box would say nothing, and "no" could not be given.
        FieldType::Bool if matches!(f.required, Requirement::Always) => {
            let yes = value == "true" || value == "on";
            ("select", "", vec![("true".into(), "tak".into(), yes), ("false".into(), "nie".into(), value == "false")])
        }
        FieldType::Bool => ("checkbox", "", vec![]),
        FieldType::Number { .. } => ("number", "numeric", vec![]),
        FieldType::Choice(opts) => ("select", "", own(opts, &|v| value == v)),
        FieldType::MultiChoice(opts) => ("checkboxes", "", own(opts, &|v| selected.contains(&v))),
        FieldType::Owner => {
            let choices = owners.choices(t, &value);
            ("select", "", choices.into_iter().map(|(raw, label)| (raw.clone(), label, raw == value.trim())).collect())
        }
        FieldType::Pesel => ("text", "numeric", vec![]),
        FieldType::Phone => ("tel", "tel", vec![]),
        FieldType::Email => ("email", "email", vec![]),
    };
    let hint = f.hint_pl.or(match f.field_type {
        FieldType::Date => Some("RRRR-MM-DD lub DD.MM.RRRR"),
        _ => None,
    });
    FieldVm {
        html_id: path.replace(['[', '.'], "-").replace(']', ""),
        error: errors.iter().find(|e| e.field == path).map(|e| t.get(e.code)),
        path,
        label: f.label_pl,
        hint,
        kind,
        required: matches!(f.required, Requirement::Always),
        value,
        options,
        inputmode,
    }
}

/// Errors that name no field shown on the page (a whole section, e.g. "at least one person"), for the summary.
pub fn unplaced_errors(sections: &[SectionVm], errors: &FieldErrors, t: &Tr) -> Vec<String> {
    errors
        .iter()
        .filter(|e| !sections.iter().any(|s| s.items.iter().any(|i| i.fields.iter().any(|f| f.path == e.field))))
        .map(|e| t.get(e.code))
        .collect()
}
