//! The vocabulary of form definitions: kinds, versions, sections, fields, types, options and when a field is
//! required. Everything here is `Copy` static data, so a definition is a `static` built at compile time and nothing
//! is parsed at run time.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

pub use super::records::RecordKind;
use crate::person::{PersonField, PersonRole, is_allowed};

/// The four "Niebieska Karta" forms (REG23 §2 and annexes 1–4; REG11 annexes 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FormKind {
    /// Opens the procedure; filled by the initiating person.
    A,
    /// Information for the person experiencing violence: a leaflet, not an input form.
    B,
    /// Filled by the diagnostic-support group (2011: the working group) with the person experiencing violence.
    C,
    /// Filled by the diagnostic-support group (2011: the working group) with the person using violence.
    D,
    /// One of the support group's own records of the case (a meeting, a support-plan item, a home visit…): not a
    /// statutory form, but defined, validated and rendered by the same machinery (see [`super::records`]).
    Record(RecordKind),
}

impl FormKind {
    pub const ALL: [FormKind; 4] = [FormKind::A, FormKind::B, FormKind::C, FormKind::D];

    pub fn as_str(self) -> &'static str {
        match self {
            FormKind::A => "A",
            FormKind::B => "B",
            FormKind::C => "C",
            FormKind::D => "D",
            FormKind::Record(kind) => kind.as_str(),
        }
    }
}

/// The legal version of a form. A stored form keeps the version it was filled in: cases opened before 28.09.2023
/// continue on the 2011 forms under the new bodies (procedure.md §3.1, migration note).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FormVersion {
    /// Regulation of the Council of Ministers of 13 September 2011 (Dz.U. 2011 nr 209 poz. 1245), repealed.
    #[serde(rename = "2011")]
    V2011,
    /// Regulation of the Council of Ministers of 6 September 2023 (Dz.U. 2023 poz. 1870), in force since
    /// 28.09.2023.
    #[serde(rename = "2023")]
    V2023,
}

impl FormVersion {
    pub const ALL: [FormVersion; 2] = [FormVersion::V2011, FormVersion::V2023];
    /// The version new forms are filled in.
    pub const CURRENT: FormVersion = FormVersion::V2023;

    pub fn as_str(self) -> &'static str {
        match self {
            FormVersion::V2011 => "2011",
            FormVersion::V2023 => "2023",
        }
    }
}

/// How sure we are that an item matches the binding text of the regulation (procedure.md §0.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// \[P\] Read in the primary legal text.
    #[serde(rename = "P")]
    Primary,
    /// \[S\] Read only in a secondary source.
    #[serde(rename = "S")]
    Secondary,
    /// \[U\] Not found in any source: our best reconstruction, to be checked against the regulation's PDF.
    #[serde(rename = "U")]
    Unconfirmed,
}

impl Confidence {
    pub fn mark(self) -> &'static str {
        match self {
            Confidence::Primary => "[P]",
            Confidence::Secondary => "[S]",
            Confidence::Unconfirmed => "[U]",
        }
    }
}

/// One form of one version: the single source for the HTML form, server-side validation, the PDF, the API schema and
/// statistics over answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormDefinition {
    pub kind: FormKind,
    pub version: FormVersion,
    /// The form's heading, e.g. "Niebieska Karta – A".
    pub title_pl: &'static str,
    /// The regulation and annex that set the template.
    pub legal_basis: &'static str,
    pub sections: &'static [Section],
}

impl FormDefinition {
    pub fn section(&self, id: &str) -> Option<&'static Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The field `field` of section `section`.
    pub fn field(&self, section: &str, field: &str) -> Option<&'static Field> {
        self.section(section)?.field(field)
    }

    /// How many input fields the definition has (a leaflet has none).
    pub fn field_count(&self) -> usize {
        self.sections.iter().map(|s| s.fields.len()).sum()
    }

    /// Whether the form only informs (form B) and takes no answers.
    pub fn is_leaflet(&self) -> bool {
        self.field_count() == 0
    }
}

/// Whether a section holds one set of answers or a list of them (e.g. several persons experiencing violence,
/// REG23 §2 ust. 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Repeat {
    Once,
    /// At most `max` items, numbered from 0 in field paths: `witnesses[0].last_name`.
    Many {
        max: u8,
    },
}

/// A part of a form, numbered as on the paper form (`IV`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Stable snake_case English id: the first part of a field path.
    pub id: &'static str,
    /// The part's number on the paper form (`I`, `IX–XIV`), empty for the header and footer.
    pub number: &'static str,
    pub title_pl: &'static str,
    pub repeat: Repeat,
    /// Whose personal data the section records. Every field of such a section must be one that art. 9c ust. 1 of the
    /// act allows for that role ([`crate::person::allowed_fields`]); a field the role may not carry is refused with
    /// `err-field-not-allowed-for-role`. `None` for sections about the case rather than one person.
    pub person_role: Option<PersonRole>,
    /// When the section must be filled: a repeated section then needs at least one item. A section that is not
    /// required and left empty is skipped with all its fields; once anything in it is filled, its fields'
    /// requirements apply.
    pub required: Requirement,
    /// Explanatory text shown above the fields; the whole content of a leaflet section (form B).
    pub text_pl: &'static [&'static str],
    pub fields: &'static [Field],
    pub confidence: Confidence,
}

impl Section {
    pub fn field(&self, id: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn is_repeated(&self) -> bool {
        matches!(self.repeat, Repeat::Many { .. })
    }

    pub(crate) const fn once(
        id: &'static str,
        number: &'static str,
        title_pl: &'static str,
        confidence: Confidence,
        fields: &'static [Field],
    ) -> Section {
        Section {
            id,
            number,
            title_pl,
            repeat: Repeat::Once,
            person_role: None,
            required: Requirement::Never,
            text_pl: &[],
            fields,
            confidence,
        }
    }

    pub(crate) const fn many(
        id: &'static str,
        number: &'static str,
        title_pl: &'static str,
        max: u8,
        confidence: Confidence,
        fields: &'static [Field],
    ) -> Section {
        Section { repeat: Repeat::Many { max }, ..Section::once(id, number, title_pl, confidence, fields) }
    }

    /// A leaflet section: text only.
    pub(crate) const fn leaflet(
        id: &'static str,
        title_pl: &'static str,
        confidence: Confidence,
        text_pl: &'static [&'static str],
    ) -> Section {
        Section { text_pl, ..Section::once(id, "", title_pl, confidence, &[]) }
    }

    pub(crate) const fn about(self, role: PersonRole) -> Section {
        Section { person_role: Some(role), ..self }
    }

    pub(crate) const fn required(self) -> Section {
        Section { required: Requirement::Always, ..self }
    }

    pub(crate) const fn required_when(self, condition: Condition) -> Section {
        Section { required: Requirement::When(condition), ..self }
    }

    pub(crate) const fn text(self, text_pl: &'static [&'static str]) -> Section {
        Section { text_pl, ..self }
    }
}

/// One input of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Stable snake_case English id, unique within its section: the last part of a field path and the key of
    /// statistics over answers. Where the field records an art. 9c item one-to-one, the id is that item's
    /// [`PersonField::as_str`] (`pesel`, `birth_date`, `kinship`…).
    pub id: &'static str,
    pub label_pl: &'static str,
    /// Help shown under the input (examples, the legal basis of a question).
    pub hint_pl: Option<&'static str>,
    pub field_type: FieldType,
    pub required: Requirement,
    /// Identifies a person or is free text (which may name anyone): stored encrypted and never shown to the person
    /// using violence unredacted (architecture.md, "Protecting the data"). Categorical answers (choices, yes/no)
    /// are not flagged, so statistics can count them.
    pub personal_data: bool,
    /// The art. 9c ust. 1 item this field records, if any. It decides which person roles may carry the field
    /// ([`Field::allowed_for`]), from the one whitelist in [`crate::person::allowed_fields`].
    pub person_field: Option<PersonField>,
    pub confidence: Confidence,
}

impl Field {
    /// Whether a person in `role` may carry this field (art. 9c ust. 1). A field that records no art. 9c item is
    /// about the case, not a person, and may sit anywhere.
    pub fn is_allowed_for(&self, role: PersonRole) -> bool {
        self.person_field.is_none_or(|pf| is_allowed(role, pf))
    }

    /// The person roles that may carry this field (art. 9c ust. 1); all of them for a field about the case.
    pub fn allowed_for(&self) -> Vec<PersonRole> {
        PersonRole::ALL.into_iter().filter(|r| self.is_allowed_for(*r)).collect()
    }

    pub(crate) const fn new(
        confidence: Confidence,
        id: &'static str,
        label_pl: &'static str,
        field_type: FieldType,
    ) -> Field {
        let personal_data = matches!(
            field_type,
            FieldType::Text { .. }
                | FieldType::LongText { .. }
                | FieldType::Pesel
                | FieldType::Phone
                | FieldType::Email
        );
        Field {
            id,
            label_pl,
            hint_pl: None,
            field_type,
            required: Requirement::Never,
            personal_data,
            person_field: None,
            confidence,
        }
    }

    pub(crate) const fn required(self) -> Field {
        Field { required: Requirement::Always, ..self }
    }

    pub(crate) const fn required_when(self, condition: Condition) -> Field {
        Field { required: Requirement::When(condition), ..self }
    }

    /// Records the art. 9c item `pf`; personal data.
    pub(crate) const fn person(self, pf: PersonField) -> Field {
        Field { person_field: Some(pf), personal_data: true, ..self }
    }

    /// Records an art. 9c item that is categorical (a choice, a box), so it stays countable for statistics.
    pub(crate) const fn person_category(self, pf: PersonField) -> Field {
        Field { person_field: Some(pf), ..self }
    }

    /// Text that names no person (the place where the form was filled, an institution).
    pub(crate) const fn not_personal(self) -> Field {
        Field { personal_data: false, ..self }
    }

    pub(crate) const fn hint(self, hint_pl: &'static str) -> Field {
        Field { hint_pl: Some(hint_pl), ..self }
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Field", 9)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("label_pl", self.label_pl)?;
        s.serialize_field("hint_pl", &self.hint_pl)?;
        s.serialize_field("field_type", &self.field_type)?;
        s.serialize_field("required", &self.required)?;
        s.serialize_field("personal_data", &self.personal_data)?;
        s.serialize_field("person_field", &self.person_field)?;
        s.serialize_field("allowed_for", &self.allowed_for())?;
        s.serialize_field("confidence", &self.confidence)?;
        s.end()
    }
}

/// The shorthand the definitions use: every field starts with its confidence mark, `P.text(…)`, `U.choice(…)`.
impl Confidence {
    pub(crate) const fn text(self, id: &'static str, label_pl: &'static str, max: u16) -> Field {
        Field::new(self, id, label_pl, FieldType::Text { max })
    }

    pub(crate) const fn long_text(self, id: &'static str, label_pl: &'static str, max: u16) -> Field {
        Field::new(self, id, label_pl, FieldType::LongText { max })
    }

    pub(crate) const fn date(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Date)
    }

    pub(crate) const fn date_time(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::DateTime)
    }

    pub(crate) const fn boolean(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Bool)
    }

    pub(crate) const fn number(self, id: &'static str, label_pl: &'static str, min: i64, max: i64) -> Field {
        Field::new(self, id, label_pl, FieldType::Number { min, max })
    }

    pub(crate) const fn choice(self, id: &'static str, label_pl: &'static str, options: &'static [Opt]) -> Field {
        Field::new(self, id, label_pl, FieldType::Choice(options))
    }

    pub(crate) const fn multi_choice(self, id: &'static str, label_pl: &'static str, options: &'static [Opt]) -> Field {
        Field::new(self, id, label_pl, FieldType::MultiChoice(options))
    }

    pub(crate) const fn pesel(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Pesel).person(PersonField::Pesel)
    }

    pub(crate) const fn phone(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Phone)
    }

    pub(crate) const fn email(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Email)
    }

    pub(crate) const fn owner(self, id: &'static str, label_pl: &'static str) -> Field {
        Field::new(self, id, label_pl, FieldType::Owner)
    }
}

/// What an input holds and how its raw string is read (see [`super::validate()`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line, at most `max` characters, no control characters.
    Text {
        max: u16,
    },
    /// Several lines, at most `max` characters.
    LongText {
        max: u16,
    },
    /// `YYYY-MM-DD` or `DD.MM.YYYY`.
    Date,
    /// `YYYY-MM-DDTHH:MM` (what `<input type=datetime-local>` sends), `YYYY-MM-DD HH:MM` or `DD.MM.YYYY HH:MM`.
    DateTime,
    /// `true`/`false` (also `on`, `tak`/`nie`, `1`/`0`).
    Bool,
    /// A whole number in `min..=max`.
    Number {
        min: i64,
        max: i64,
    },
    /// One of the options' values.
    Choice(&'static [Opt]),
    /// Any number of the options' values, separated by commas (repeated check boxes of one name are joined by
    /// [`super::Answers::append`]).
    MultiChoice(&'static [Opt]),
    /// A PESEL number, checked by [`crate::person::Pesel::parse`].
    Pesel,
    Phone,
    Email,
    /// The owner of a support-plan action: a member of the case's support group or an institution
    /// ([`super::owner::PlanOwner`]). Its options are not static: the store and the pages supply the case's current
    /// members and the institution kinds when the form is shown, and the store checks a chosen member against the
    /// group as it is when the answers are saved. Kept in clear (an account id or an institution code names nobody).
    Owner,
}

impl FieldType {
    /// The options of a choice or multi-choice, empty for other types.
    pub fn options(&self) -> &'static [Opt] {
        match self {
            FieldType::Choice(options) | FieldType::MultiChoice(options) => options,
            _ => &[],
        }
    }
}

/// An option of a choice: a stable value (what is stored and counted) and its Polish label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Opt {
    pub value: &'static str,
    pub label_pl: &'static str,
}

impl Opt {
    pub(crate) const fn new(value: &'static str, label_pl: &'static str) -> Opt {
        Opt { value, label_pl }
    }
}

/// When an input (or a section) must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Always,
    Never,
    When(Condition),
}

/// A condition over other answers, as data. A reference to a field of the same repeated section means the same item
/// (`kinship_other` is required when this person's `kinship` is `other`); other references must name a section that
/// is not repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// The field's value is `value`; for a multi-choice, `value` is among the chosen ones.
    FieldEquals {
        field: FieldRef,
        value: &'static str,
    },
    /// The yes/no field is answered yes.
    FieldIsTrue {
        field: FieldRef,
    },
    AnyOf(&'static [Condition]),
}

impl Condition {
    /// Every field the condition reads.
    pub fn fields(&self) -> Vec<FieldRef> {
        match self {
            Condition::FieldEquals { field, .. } | Condition::FieldIsTrue { field } => vec![*field],
            Condition::AnyOf(conditions) => conditions.iter().flat_map(Condition::fields).collect(),
        }
    }
}

/// A field named by its section and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldRef {
    pub section: &'static str,
    pub field: &'static str,
}

pub(crate) const fn equals(section: &'static str, field: &'static str, value: &'static str) -> Condition {
    Condition::FieldEquals { field: FieldRef { section, field }, value }
}

pub(crate) const fn is_true(section: &'static str, field: &'static str) -> Condition {
    Condition::FieldIsTrue { field: FieldRef { section, field } }
}
