//! The "Niebieska Karta" forms A–D, 2011 and 2023 versions, as declarative data, and the validation of answers.
//!
//! One [`FormDefinition`] drives the HTML form, server-side validation ([`validate()`]), the PDF, the API schema (the
//! definitions serialize to JSON) and statistics over answers (stable section, field and option ids). A new legal
//! version of a form is a new definition, not new code, and a stored form keeps the version it was filled in.
//!
//! Sources and confidence (procedure.md §0.1):
//! - The 2011 forms (REG11, Dz.U. 2011 nr 209 poz. 1245, annexes 1–4) were read in full: \[P\]. The only departures
//!   from the paper are that "imię i nazwisko" is split into first and last name, and that the place of birth on
//!   form D is left out because art. 9c ust. 1 of the act does not allow it (see [`d2011`]).
//! - The annexes of the 2023 regulation (REG23, Dz.U. 2023 poz. 1870) could not be read. What a secondary source
//!   quotes is \[S\]; everything else follows the 2011 structure in the 2023 terms (person experiencing violence,
//!   person using violence, diagnostic-support group) and is \[U\]. Check every \[U\] item against
//!   <https://isap.sejm.gov.pl/isap.nsf/download.xsp/WDU20230001870/O/D20231870.pdf>; a correction is a change
//!   of data in `a2023.rs` … `d2023.rs`.
//! - Which personal data a person in a role may carry is decided in one place, [`crate::person::allowed_fields`]
//!   (art. 9c ust. 1); a field names the art. 9c item it records ([`Field::person_field`]).

/// Builds a `&'static [Field]` from field expressions, each followed by a comma, and from `address_2011(…)` blocks:
/// the seven address lines of the 2011 forms (postcode, town, voivodeship, street, house, flat, phone).
macro_rules! fields {
    (@acc [$($done:expr,)*]) => { &[$($done,)*] };
    (@acc [$($done:expr,)*] address_2011($c:expr, $prefix:literal, $label:literal, $pf:expr), $($rest:tt)*) => {
        fields!(@acc [$($done,)*
            $c.text(concat!($prefix, "_postcode"), concat!($label, ": kod pocztowy"), 10).person($pf),
            $c.text(concat!($prefix, "_town"), concat!($label, ": miejscowość"), $crate::forms::options::LINE_MAX)
                .person($pf),
            $c.choice(concat!($prefix, "_voivodeship"), concat!($label, ": województwo"),
                $crate::forms::options::VOIVODESHIPS).person($pf),
            $c.text(concat!($prefix, "_street"), concat!($label, ": ulica"), $crate::forms::options::LINE_MAX)
                .person($pf),
            $c.text(concat!($prefix, "_house_no"), concat!($label, ": numer domu"), 20).person($pf),
            $c.text(concat!($prefix, "_flat_no"), concat!($label, ": numer mieszkania"), 20).person($pf),
            $c.phone(concat!($prefix, "_phone"), concat!($label, ": numer telefonu"))
                .person($crate::person::PersonField::Phone),
        ] $($rest)*)
    };
    (@acc [$($done:expr,)*] $field:expr, $($rest:tt)*) => { fields!(@acc [$($done,)* $field,] $($rest)*) };
    ($($tokens:tt)*) => { fields!(@acc [] $($tokens)*) };
}

pub mod a2011;
pub mod a2023;
pub mod b2011;
pub mod b2023;
pub mod c2011;
pub mod c2023;
pub mod d2011;
pub mod d2023;
pub mod definition;
pub mod english;
pub mod options;
pub mod owner;
pub mod records;
pub mod seal;
pub mod steps;
pub mod validate;

pub use definition::{
    Condition, Confidence, Field, FieldRef, FieldType, FormDefinition, FormKind, FormVersion, Opt, Repeat, Requirement,
    Section,
};
pub use owner::PlanOwner;
pub use records::record_definition;
pub use steps::Step;
pub use validate::{Answers, Record, SectionValues, ValidatedAnswers, Value, validate};

static ALL: [&FormDefinition; 8] =
    [&a2011::FORM, &b2011::FORM, &c2011::FORM, &d2011::FORM, &a2023::FORM, &b2023::FORM, &c2023::FORM, &d2023::FORM];

/// Every definition, 2011 then 2023, A to D.
pub fn all_definitions() -> &'static [&'static FormDefinition] {
    &ALL
}

/// The definition of form `kind` in `version`.
pub fn definition(kind: FormKind, version: FormVersion) -> Option<&'static FormDefinition> {
    ALL.iter().copied().find(|d| d.kind == kind && d.version == version)
}

#[cfg(test)]
pub(crate) mod tests;
