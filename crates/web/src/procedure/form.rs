//! Renders a form definition as HTML fields: one definition drives the page, the validation and the API.

use std::collections::BTreeSet;

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
    // A form in steps: the step shown, the step asked for, the steps already left (their errors are shown).
    "step",
    "goto",
    "steps_left",
    // The slots of repeated sections shown, typed in or not ("affected_persons:2"), so an added person left empty
    // is still there after another step.
    "slots",
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
    pub hint: Option<String>,
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
    item_count_with(def, section, answers, extra, 0)
}

/// [`item_count`], and at least the `shown` slots the page had before (empty ones included).
fn item_count_with(def: &FormDefinition, section: &str, answers: &Answers, extra: Option<&str>, shown: usize) -> usize {
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
    (typed.max(shown).max(1) + usize::from(extra == Some(section))).min(max)
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
    sections_in_slots(def, answers, errors, t, add, owners, &Slots::new())
}

/// The slots shown per repeated section, as a page posts them back.
type Slots = std::collections::BTreeMap<String, usize>;

fn sections_in_slots(
    def: &FormDefinition,
    answers: &Answers,
    errors: &FieldErrors,
    t: &Tr,
    add: Option<&str>,
    owners: &OwnerNames,
    slots: &Slots,
) -> Vec<SectionVm> {
    def.sections
        .iter()
        .map(|s| {
            let (count, repeated, max) = match s.repeat {
                Repeat::Once => (1, false, 1),
                Repeat::Many { max } => {
                    let shown = slots.get(s.id).copied().unwrap_or(0);
                    (item_count_with(def, s.id, answers, add, shown), true, usize::from(max))
                }
            };
            let items = (0..count)
                .map(|i| {
                    let prefix = if repeated { format!("{}[{i}]", s.id) } else { s.id.to_owned() };
                    ItemVm {
                        heading: if repeated { t.arg("form-item", "n", &(i + 1).to_string()) } else { String::new() },
                        fields: s
                            .fields
                            .iter()
                            .map(|f| field_vm(def, s.id, &prefix, f, answers, errors, t, owners))
                            .collect(),
                    }
                })
                .collect();
            SectionVm {
                id: s.id,
                number: s.number,
                title: t.section_title(def, s),
                text: t.section_text(def, s),
                items,
                can_add: repeated && count < max,
            }
        })
        .collect()
}

/// One input of `section` of `def`, its label, hint and options in the page's language (the values stay the
/// options' ids).
#[allow(clippy::too_many_arguments)]
fn field_vm(
    def: &FormDefinition,
    section: &str,
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
        opts.iter()
            .map(|o| (o.value.to_owned(), t.option_label(def, section, f, o).to_owned(), chosen(o.value)))
            .collect()
    };
    let (kind, inputmode, options) = match &f.field_type {
        FieldType::Text { .. } => ("text", "", vec![]),
        FieldType::LongText { .. } => ("textarea", "", vec![]),
        FieldType::Date => ("text", "", vec![]),
        FieldType::DateTime => ("datetime-local", "", vec![]),
        // A required yes/no question is a choice: an unticked box would say nothing, and "no" could not be given.
        FieldType::Bool if matches!(f.required, Requirement::Always) => {
            let yes = value == "true" || value == "on";
            ("select", "", vec![("true".into(), t.get("yes"), yes), ("false".into(), t.get("no"), value == "false")])
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
    let hint = match t.field_hint(def, section, f) {
        Some(hint) => Some(hint.to_owned()),
        None if matches!(f.field_type, FieldType::Date) => Some(t.get("form-date-hint")),
        None => None,
    };
    FieldVm {
        html_id: path.replace(['[', '.'], "-").replace(']', ""),
        error: errors.iter().find(|e| e.field == path).map(|e| t.field_error(e)),
        path,
        label: t.field_label(def, section, f),
        hint,
        kind,
        required: matches!(f.required, Requirement::Always),
        value,
        options,
        inputmode,
    }
}

/// Which step of a form a page shows, and which steps the user has already left: only their errors are shown, so a
/// step not yet reached is not painted red for what nobody could have typed yet.
#[derive(Debug, Clone, Default)]
pub struct StepAt {
    pub step: usize,
    pub left: BTreeSet<usize>,
    /// The slots each repeated section showed (`slots`), so one added and left empty survives a change of step.
    pub slots: Slots,
}

impl StepAt {
    /// The step and the steps left as a form page posted them (`step`, `steps_left`); a malformed value is ignored
    /// (the page never renders one, and nothing but what is shown depends on it).
    pub fn posted(posted: &PostedForm<'_>) -> StepAt {
        let step = posted.control("step").and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        let left = posted
            .control("steps_left")
            .unwrap_or("")
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .filter(|s: &usize| *s < 1000)
            .collect();
        let slots = posted
            .control("slots")
            .unwrap_or("")
            .split(',')
            .filter_map(|pair| {
                let (id, n) = pair.trim().split_once(':')?;
                if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                    return None;
                }
                // The section's own maximum caps it again when the page is drawn.
                Some((id.to_owned(), n.trim().parse::<usize>().ok()?.min(100)))
            })
            .collect();
        StepAt { step, left, slots }
    }

    /// "Next", "back" or a step chosen in the list (`goto`): the step being left is marked as left.
    pub fn going(mut self, posted: &PostedForm<'_>) -> Option<StepAt> {
        let to = posted.control("goto")?.trim().parse().ok()?;
        self.left.insert(self.step);
        self.step = to;
        Some(self)
    }

    /// After a refused submit: every step counts as left, and the page opens on the first step with an error.
    pub fn refused(def: &'static FormDefinition, errors: &FieldErrors, from: &StepAt) -> StepAt {
        let step = errors.iter().find_map(|e| def.step_of(e.field)).unwrap_or(from.step);
        StepAt { step, left: (0..def.steps().len()).collect(), slots: from.slots.clone() }
    }

    /// A draft resumed: the steps with anything typed count as left.
    pub fn resumed(def: &'static FormDefinition, answers: &Answers) -> StepAt {
        StepAt {
            step: 0,
            left: answers.iter().filter_map(|(path, _)| def.step_of(path)).collect(),
            slots: Slots::new(),
        }
    }
}

/// The part of a form page that depends on the step: its sections, the answers of the other steps carried as
/// hidden inputs, the list of steps, and the error summary.
#[derive(Debug, Clone, Default)]
pub struct FormBody {
    pub sections: Vec<SectionVm>,
    /// The answers of the other steps, posted back unchanged (path, raw value).
    pub carried: Vec<(String, String)>,
    /// The slots every repeated section shows, posted back (`affected_persons:2,children:1`).
    pub slots: String,
    /// `None` for a form of one step.
    pub steps: Option<StepsVm>,
    /// The error summary at the top: every error shown, each a link to its field.
    pub summary: Vec<SummaryItem>,
    /// Errors to list that belong to no field (a conflict, an unknown key).
    pub general: Vec<String>,
    /// The check-your-answers step, when it is the one shown: every part's answers, each part with a way back.
    pub review: Option<Vec<ReviewPart>>,
}

/// One part of the form on the check-your-answers step: its answers in the form's order and the step to change them.
#[derive(Debug, Clone)]
pub struct ReviewPart {
    /// The step the part's "Zmień" goes back to.
    pub step: usize,
    /// "II. Dane osób stosujących przemoc domową".
    pub label: String,
    /// (question, answer as a person reads it), only what was given.
    pub rows: Vec<(String, String)>,
    /// How many errors the part has: the check step lists them, and "Zmień" goes where they are.
    pub errors: usize,
}

impl FormBody {
    /// Whether the page shows the first step (or the form has one step): the place of choices about the whole form.
    pub fn on_first_step(&self) -> bool {
        self.steps.as_ref().is_none_or(|st| st.current == 0)
    }

    /// Whether a step follows the one shown.
    pub fn has_next_step(&self) -> bool {
        self.steps.as_ref().is_some_and(|st| st.next.is_some())
    }

    /// Whether the page is the check-your-answers step.
    pub fn on_review(&self) -> bool {
        self.review.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct StepsVm {
    /// The step shown, from 0.
    pub current: usize,
    pub total: usize,
    pub items: Vec<StepItem>,
    pub previous: Option<usize>,
    /// The next step and its title, for the "next" button.
    pub next: Option<(usize, String)>,
    /// The steps left, as posted back (`0,3,5`).
    pub left: String,
}

impl StepsVm {
    /// "Krok 3 z 14" numbers from 1.
    pub fn current_number(&self) -> String {
        (self.current + 1).to_string()
    }
}

#[derive(Debug, Clone)]
pub struct StepItem {
    pub index: usize,
    /// "III. Informacja o zgłoszeniu".
    pub label: String,
    pub current: bool,
    /// How many errors are shown on that step.
    pub errors: usize,
    /// The ids of the step's sections, space-separated (`data-sections`, for tests and scripts that look for a field).
    pub sections: String,
}

#[derive(Debug, Clone)]
pub struct SummaryItem {
    /// "Imię (Pozycja 1): To pole jest wymagane."
    pub text: String,
    /// The field's id on its page (`affected_persons-0-pesel`) or its part (`section-children`).
    pub target: String,
    /// The step the field is on, when it is not the step shown: the link is then a button that goes there.
    pub step: Option<usize>,
}

/// The answers given in one section, as (question, answer) a person reads: an option by its label, yes or no in
/// words, a repeated section's item named ("Imię (Pozycja 2)"). Nothing typed, nothing listed.
fn review_rows(section: &SectionVm, t: &Tr) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for item in &section.items {
        for f in &item.fields {
            let answer = match f.kind {
                "select" | "checkboxes" => f
                    .options
                    .iter()
                    .filter(|(_, _, on)| *on)
                    .map(|(_, label, _)| label.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                "checkbox" if f.value == "true" || f.value == "on" => t.get("yes"),
                "checkbox" => String::new(),
                _ => f.value.trim().to_owned(),
            };
            if answer.is_empty() {
                continue;
            }
            let question =
                if item.heading.is_empty() { f.label.to_owned() } else { format!("{} ({})", f.label, item.heading) };
            rows.push((question, answer));
        }
    }
    rows
}

/// The HTML id of the input at `path` (`affected_persons[0].last_name` → `affected_persons-0-last_name`).
pub fn html_id(path: &str) -> String {
    path.replace(['[', '.'], "-").replace(']', "")
}

/// The field's label for the error summary, with the item's number in a repeated section.
fn error_label(def: &FormDefinition, path: &str, t: &Tr) -> Option<(String, String)> {
    let (container, field) = path.split_once('.').unwrap_or((path, ""));
    let (section_id, index) = match container.split_once('[') {
        Some((id, rest)) => (id, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (container, None),
    };
    let section = def.section(section_id)?;
    let number = if section.number.is_empty() { String::new() } else { format!("{}. ", section.number) };
    if field.is_empty() {
        return Some((format!("{number}{}", t.section_title(def, section)), format!("section-{section_id}")));
    }
    let label = t.field_label(def, section_id, section.field(field)?);
    let label = match index {
        Some(i) => format!("{label} ({})", t.arg("form-item", "n", &(i + 1).to_string())),
        None => label.to_owned(),
    };
    Some((label, html_id(path)))
}

/// The page of `def` at step `at`: the step's sections with the typed `answers` and the errors of the steps left
/// beside their fields, the other answers carried, the steps listed with their errors counted, and the summary.
pub fn form_body(
    def: &'static FormDefinition,
    answers: &Answers,
    errors: &FieldErrors,
    t: &Tr,
    add: Option<&str>,
    owners: &OwnerNames,
    at: &StepAt,
) -> FormBody {
    let steps = def.steps();
    // A form in steps ends with the check-your-answers step, one past its last part (GOV.UK's "check answers").
    let review_step = (steps.len() > 1).then_some(steps.len());
    let current = at.step.min(review_step.unwrap_or(0));
    let on_review = Some(current) == review_step;
    let shown_step = |path: &str| def.step_of(path);
    let mut shown = FieldErrors::new();
    for e in errors.iter() {
        // On the check step every error is shown: it is where the whole form is looked at before it goes.
        if shown_step(e.field).is_none_or(|s| on_review || at.left.contains(&s) || steps.len() == 1) {
            shown.add_with(e.field, e.code, e.args.clone());
        }
    }
    let all = sections_in_slots(def, answers, &shown, t, add, owners, &at.slots);
    let slots = all.iter().filter(|s| s.can_add || s.items.len() > 1).map(|s| format!("{}:{}", s.id, s.items.len()));
    let slots = slots.collect::<Vec<_>>().join(",");
    let on_step = |id: &str| steps.get(current).is_some_and(|s| s.has_section(id));
    let sections: Vec<SectionVm> = all.into_iter().filter(|s| on_step(s.id)).collect();
    let carried = answers
        .iter()
        .filter(|(path, _)| shown_step(path).is_some_and(|s| on_review || s != current))
        .map(|(p, v)| (p.to_owned(), v.to_owned()))
        .collect();
    let mut summary = Vec::new();
    let mut general = Vec::new();
    for e in shown.iter() {
        let message = t.field_error(e);
        match (error_label(def, e.field, t), shown_step(e.field)) {
            (Some((label, target)), Some(step)) => summary.push(SummaryItem {
                text: format!("{label}: {message}"),
                target,
                step: (step != current).then_some(step),
            }),
            _ => general.push(message),
        }
    }
    let count = |i: usize| shown.iter().filter(|e| shown_step(e.field) == Some(i)).count();
    let label = |s: &domain::forms::Step| {
        // The step's title is its first numbered part's (as `Step::title`), in the page's language.
        let first = s.sections.iter().find(|x| !x.number.is_empty()).or(s.sections.first());
        let title = first.map_or_else(|| s.title(), |x| t.section_title(def, x));
        if s.number().is_empty() { title.to_owned() } else { format!("{}. {}", s.number(), title) }
    };
    let review = on_review.then(|| {
        let all = sections_in_slots(def, answers, &FieldErrors::new(), t, None, owners, &Slots::new());
        steps
            .iter()
            .map(|step| ReviewPart {
                step: step.index,
                label: label(step),
                rows: all.iter().filter(|s| step.has_section(s.id)).flat_map(|s| review_rows(s, t)).collect(),
                errors: count(step.index),
            })
            .collect()
    });
    let review_title = t.get("form-review-title");
    let steps_vm = review_step.map(|review_step| {
        let mut items: Vec<StepItem> = steps
            .iter()
            .map(|s| StepItem {
                index: s.index,
                label: label(s),
                current: s.index == current,
                errors: count(s.index),
                sections: s.sections.iter().map(|x| x.id).collect::<Vec<_>>().join(" "),
            })
            .collect();
        items.push(StepItem {
            index: review_step,
            label: review_title.clone(),
            current: on_review,
            errors: 0,
            sections: String::new(),
        });
        let next = match steps.get(current + 1) {
            Some(s) => Some((s.index, label(s))),
            None if !on_review => Some((review_step, review_title.clone())),
            None => None,
        };
        StepsVm {
            current,
            total: steps.len(),
            items,
            previous: current.checked_sub(1),
            next,
            left: at.left.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
        }
    });
    FormBody { sections, carried, slots, steps: steps_vm, summary, general, review }
}
