#![doc = include_str!("../README.md")]

pub mod case;
pub mod export;
pub mod fonts;
pub mod form;
pub mod form_b;
pub mod layout;
pub mod learning;
pub mod odt;
pub mod recommendations;
pub mod report;
pub mod statutory;
pub mod team;

pub use case::{CaseDocument, CaseFile, ReleaseFile, case_file_pdf, minutes_pdf, release_pdf, support_plan_pdf};
pub use export::{Delimiter, Table, to_csv, to_xlsx};
pub use form::{Lang, RenderContext, blank_form, filled_form, filled_form_sealed};
pub use form_b::{HelpEntry, form_b};
pub use layout::{Layout, Meta};
pub use learning::{LearningKind, diagnosis_draft_odt, learning_pdf, learning_title};
pub use odt::annual_report_odt;
pub use recommendations::{RecommendationsLetter, recommendations_letter_odt, recommendations_letter_pdf};
pub use report::{annual_report_pdf, annual_report_title, annual_report_xlsx};
pub use team::{TeamMinutes, team_minutes_pdf};

/// Why a document could not be produced. Nothing is written when rendering fails: every renderer returns the whole
/// file's bytes or an error.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
    #[error("the spreadsheet could not be written: {0}")]
    Xlsx(String),
    #[error("the OpenDocument text could not be written: {0}")]
    Odt(String),
    #[error("form {kind} has no {lang} translation in version {version}")]
    NoTranslation { kind: &'static str, version: &'static str, lang: &'static str },
}
