//! Form validation for every form definition (forms A–D of 2011 and 2023, and the case records): answers built
//! from the definition's own field paths (so the fuzzer reaches every field type and condition) mixed with raw keys.
//! Never a panic; accepted answers are written back canonically (`to_answers`) and validate again to the same.
#![no_main]

use arbitrary::Arbitrary;
use domain::forms::{Answers, FormDefinition, Repeat, all_definitions, records::all_record_definitions, validate};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    definition: u8,
    answers: Vec<Answer>,
}

#[derive(Debug, Arbitrary)]
enum Answer {
    /// A field of the definition (section and field picked by index), in item `item` of a repeated section.
    Field { section: u8, field: u8, item: u8, value: RawValue },
    /// Any key at all.
    Raw { key: String, value: String },
}

#[derive(Debug, Arbitrary)]
enum RawValue {
    /// One of the field's own options (or, for a field without options, index as a number).
    Option(u8),
    /// Several of them, comma-joined, as a multi-choice posts them.
    Options(Vec<u8>),
    Text(String),
}

fn definitions() -> Vec<&'static FormDefinition> {
    all_definitions().iter().chain(all_record_definitions()).copied().collect()
}

fn build(definition: &'static FormDefinition, input: &[Answer]) -> Answers {
    let mut answers = Answers::new();
    for answer in input {
        match answer {
            Answer::Raw { key, value } => answers.insert(key.clone(), value.clone()),
            Answer::Field { section, field, item, value } => {
                let Some(section) = definition.sections.get(usize::from(*section) % definition.sections.len().max(1))
                else {
                    continue;
                };
                let Some(field) = section.fields.get(usize::from(*field) % section.fields.len().max(1)) else {
                    continue;
                };
                let path = match section.repeat {
                    Repeat::Once => format!("{}.{}", section.id, field.id),
                    Repeat::Many { max } => format!("{}[{}].{}", section.id, item % max.saturating_add(1), field.id),
                };
                let options = field.field_type.options();
                let pick = |i: &u8| options.get(usize::from(*i) % options.len().max(1)).map(|o| o.value.to_owned());
                let raw = match value {
                    RawValue::Option(i) => pick(i).unwrap_or_else(|| i.to_string()),
                    RawValue::Options(is) => is.iter().filter_map(pick).collect::<Vec<_>>().join(","),
                    RawValue::Text(s) => s.clone(),
                };
                answers.insert(path, raw);
            }
        }
    }
    answers
}

fuzz_target!(|input: Input| {
    let all = definitions();
    let definition = all[usize::from(input.definition) % all.len()];
    let answers = build(definition, &input.answers);
    let Ok(valid) = validate(definition, &answers) else { return };
    let canonical = valid.to_answers();
    let again = validate(definition, &canonical)
        .unwrap_or_else(|e| panic!("{:?} {:?}: canonical answers refused: {e:?}", definition.kind, definition.version));
    assert!(
        again.to_answers() == canonical,
        "{:?} {:?}: canonical answers changed",
        definition.kind,
        definition.version
    );
});
