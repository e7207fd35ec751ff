//! Field-level validation errors.
//!
//! A validation error names the field it concerns and carries a message id from the translation catalogs
//! (`crates/web/i18n/*/main.ftl`), so the web layer can show a Polish (or English) message beside that field.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The form field's name, as in the HTML form and the JSON body.
    pub field: &'static str,
    /// A message id in the translation catalogs, e.g. `err-teryt-format`.
    pub code: &'static str,
    /// The message's arguments, when it names something (the event a date must follow, and that event's date). An
    /// argument named `event` holds an event kind, which the web layer puts in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(&'static str, String)>,
}

/// All the field errors of one submission; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code, args: Vec::new() });
    }

    /// A field error whose message takes arguments.
    pub fn add_with(&mut self, field: &'static str, code: &'static str, args: Vec<(&'static str, String)>) {
        self.0.push(FieldError { field, code, args });
    }

    /// Runs a parser and records its error under `field`, returning the parsed value when valid.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, &'static str>) -> Option<T> {
        match parsed {
            Ok(v) => Some(v),
            Err(code) => {
                self.add(field, code);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error's message id for a field, if any.
    pub fn for_field(&self, field: &str) -> Option<&'static str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.code)
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}
