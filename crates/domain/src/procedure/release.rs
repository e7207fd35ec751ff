//! Redacted copies of the case documentation (issue 20, item 2): what an access request (art. 9c ust. 4–5) must
//! state, and which values of a form are third parties' data, redacted by default.
//!
//! The chair chooses what to release; this module says what a request is valid with and what is redacted unless the
//! chair reveals it one by one. Sealed values are the store's (`store::procedure::seal`): they stay withheld unless
//! the chair includes them explicitly with a reason, and never for the person suspected of using violence.

use jiff::civil::Date;

use crate::forms::validate::{SectionValues, ValidatedAnswers};
use crate::person::{PersonField, PersonRole};

/// What is printed in place of a redacted value.
pub const REDACTED_TEXT_PL: &str = "[utajniono]";
/// The longest recipient (a name and an address, or an authority and its case number).
pub const RECIPIENT_MAX_CHARS: usize = 200;
/// The longest purpose and "other basis" text.
pub const TEXT_MAX_CHARS: usize = 500;

/// Who asks for the copy, as far as the redaction cares: whose data are third parties' data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requester {
    /// The person suspected of using violence, or their lawyer.
    SuspectedPerson,
    /// A person experiencing violence, or their representative.
    AffectedPerson,
    /// A court, prosecutor or other authority entitled by law: third parties' data are not redacted by default (the
    /// chair still chooses what to release), sealed values are.
    Authority,
    /// Anyone else: every person's identifying and contact data is redacted by default.
    Other,
}

impl Requester {
    pub const ALL: [Requester; 4] =
        [Requester::SuspectedPerson, Requester::AffectedPerson, Requester::Authority, Requester::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Requester::SuspectedPerson => "suspected_person",
            Requester::AffectedPerson => "affected_person",
            Requester::Authority => "authority",
            Requester::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Requester, &'static str> {
        Requester::ALL.into_iter().find(|r| r.as_str() == raw.trim()).ok_or("err-release-requester-required")
    }

    /// Whether the data of a person recorded in `role` are a third party's data for this requester. A section about
    /// no role (the filler, the case) holds no third party's identifying data by this rule.
    pub fn redacts(self, role: PersonRole) -> bool {
        match self {
            Requester::SuspectedPerson => role != PersonRole::SuspectedPerson,
            Requester::AffectedPerson => role != PersonRole::AffectedPerson,
            Requester::Authority => false,
            Requester::Other => true,
        }
    }
}

/// The legal basis the chair names for the release. \[U\]: docs/legal-assumptions.md §15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseBasis {
    /// Art. 9c ust. 4: the persons experiencing violence have access to the documentation.
    ActAffectedPerson,
    /// Art. 9c ust. 4–5: the person using violence, without the documents ust. 5 excludes.
    ActSuspectedPerson,
    /// A court's or prosecutor's request in proceedings.
    CourtOrProsecutor,
    /// The Police's request in proceedings.
    Police,
    /// Art. 15 GDPR: the data subject's right of access.
    GdprAccess,
    /// Anything else, named in words.
    Other,
}

impl ReleaseBasis {
    pub const ALL: [ReleaseBasis; 6] = [
        ReleaseBasis::ActAffectedPerson,
        ReleaseBasis::ActSuspectedPerson,
        ReleaseBasis::CourtOrProsecutor,
        ReleaseBasis::Police,
        ReleaseBasis::GdprAccess,
        ReleaseBasis::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseBasis::ActAffectedPerson => "act_9c_4_affected",
            ReleaseBasis::ActSuspectedPerson => "act_9c_5_suspected",
            ReleaseBasis::CourtOrProsecutor => "court_or_prosecutor",
            ReleaseBasis::Police => "police",
            ReleaseBasis::GdprAccess => "gdpr_15",
            ReleaseBasis::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<ReleaseBasis, &'static str> {
        ReleaseBasis::ALL.into_iter().find(|b| b.as_str() == raw.trim()).ok_or("err-release-basis-required")
    }

    /// The basis as the copy prints it.
    pub fn label_pl(self) -> &'static str {
        match self {
            ReleaseBasis::ActAffectedPerson => {
                "art. 9c ust. 4 ustawy o przeciwdziałaniu przemocy domowej (osoba doznająca przemocy domowej)"
            }
            ReleaseBasis::ActSuspectedPerson => {
                "art. 9c ust. 4–5 ustawy o przeciwdziałaniu przemocy domowej (osoba stosująca przemoc domową)"
            }
            ReleaseBasis::CourtOrProsecutor => "żądanie sądu lub prokuratury w toczącym się postępowaniu",
            ReleaseBasis::Police => "żądanie Policji w toczącym się postępowaniu",
            ReleaseBasis::GdprAccess => "art. 15 RODO (prawo dostępu osoby, której dane dotyczą)",
            ReleaseBasis::Other => "inna podstawa",
        }
    }
}

/// An access request as the chair typed it.
#[derive(Debug, Clone, Default)]
pub struct RawRelease {
    pub recipient: String,
    pub purpose: String,
    pub basis: String,
    pub basis_other: String,
    pub requester: String,
    pub requested_on: String,
    pub include_sealed: bool,
    pub sealed_reason: String,
}

/// An access request checked.
#[derive(Clone, PartialEq, Eq)]
pub struct ReleaseRequest {
    pub recipient: String,
    pub purpose: String,
    pub basis: ReleaseBasis,
    /// The basis in words when it is [`ReleaseBasis::Other`].
    pub basis_other: Option<String>,
    pub requester: Requester,
    pub requested_on: Date,
    /// The chair's reason for including the sealed values; `None`: they stay withheld.
    pub sealed_reason: Option<String>,
}

impl std::fmt::Debug for ReleaseRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The recipient, purpose and reasons may name people: never in a log line.
        write!(f, "ReleaseRequest({}, {}, {})", self.basis.as_str(), self.requester.as_str(), self.requested_on)
    }
}

impl ReleaseRequest {
    /// The basis as printed: its label, or the words typed for "other".
    pub fn basis_pl(&self) -> String {
        match &self.basis_other {
            Some(text) => format!("{}: {text}", self.basis.label_pl()),
            None => self.basis.label_pl().to_owned(),
        }
    }
}

fn text(raw: &str, max: usize, field: &'static str, errors: &mut Vec<(&'static str, &'static str)>) -> String {
    let value = raw.trim().to_owned();
    if value.chars().count() > max {
        errors.push((field, "err-too-long"));
    }
    value
}

/// Checks a request against today and the day the case was opened (a request cannot come before there was a case,
/// nor after today). Every error at once, each with its field.
pub fn check_request(
    raw: &RawRelease,
    today: Date,
    opened_on: Date,
) -> Result<ReleaseRequest, Vec<(&'static str, &'static str)>> {
    let mut errors = Vec::new();
    let recipient = text(&raw.recipient, RECIPIENT_MAX_CHARS, "recipient", &mut errors);
    if recipient.is_empty() {
        errors.push(("recipient", "err-release-recipient-required"));
    }
    let purpose = text(&raw.purpose, TEXT_MAX_CHARS, "purpose", &mut errors);
    if purpose.is_empty() {
        errors.push(("purpose", "err-release-purpose-required"));
    }
    let basis = ReleaseBasis::parse(&raw.basis).map_err(|code| errors.push(("basis", code))).ok();
    let other = text(&raw.basis_other, TEXT_MAX_CHARS, "basis_other", &mut errors);
    if basis == Some(ReleaseBasis::Other) && other.is_empty() {
        errors.push(("basis_other", "err-release-basis-other-required"));
    }
    let requester = Requester::parse(&raw.requester).map_err(|code| errors.push(("requester", code))).ok();
    let requested_on = match raw.requested_on.trim() {
        "" => {
            errors.push(("requested_on", "err-release-requested-on-required"));
            None
        }
        s => match s.parse::<Date>() {
            Err(_) => {
                errors.push(("requested_on", "err-date-format"));
                None
            }
            Ok(day) if day > today => {
                errors.push(("requested_on", "err-release-requested-on-future"));
                None
            }
            Ok(day) if day < opened_on => {
                errors.push(("requested_on", "err-release-requested-on-before-case"));
                None
            }
            Ok(day) => Some(day),
        },
    };
    let reason = text(&raw.sealed_reason, TEXT_MAX_CHARS, "sealed_reason", &mut errors);
    let sealed_reason = if raw.include_sealed {
        if requester == Some(Requester::SuspectedPerson) {
            // Art. 9c ust. 5: nothing that could endanger the persons experiencing violence goes to them.
            errors.push(("include_sealed", "err-release-sealed-to-suspect"));
        }
        if reason.is_empty() {
            errors.push(("sealed_reason", "err-release-sealed-reason-required"));
        }
        Some(reason)
    } else {
        None
    };
    match (basis, requester, requested_on) {
        (Some(basis), Some(requester), Some(requested_on)) if errors.is_empty() => Ok(ReleaseRequest {
            recipient,
            purpose,
            basis,
            basis_other: (basis == ReleaseBasis::Other).then_some(other),
            requester,
            requested_on,
            sealed_reason,
        }),
        _ => Err(errors),
    }
}

/// The kinds of a person's data redacted as a third party's: what identifies, locates or reaches them, and what
/// the act counts as most sensitive. Names stay (the requester usually knows who is in the case; the chair chooses
/// which documents go at all).
pub fn is_redactable(field: PersonField) -> bool {
    matches!(
        field,
        PersonField::Pesel
            | PersonField::BirthDate
            | PersonField::ResidenceAddress
            | PersonField::StayAddress
            | PersonField::Phone
            | PersonField::Email
            | PersonField::OtherContact
            | PersonField::SchoolAndClass
            | PersonField::Occupation
            | PersonField::Health
            | PersonField::Disability
            | PersonField::Addictions
            | PersonField::Convictions
    )
}

/// One value of a filled form that is a third party's data for the requester.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedactableValue {
    /// The answer's path (`affected_persons[0].pesel`).
    pub path: String,
    /// Where it is, in words: the section's title (with the person's number) and the field's label.
    pub label_pl: String,
}

/// The values of `answers` redacted by default for `requester`: present answers only, in the form's order. The
/// children of the household are nobody's own data here but a person experiencing violence's.
pub fn redactable_values(answers: &ValidatedAnswers, requester: Requester) -> Vec<RedactableValue> {
    let mut out = Vec::new();
    for section in answers.definition().sections {
        let role = match section.person_role {
            Some(role) => role,
            None if section.id == "children" => PersonRole::HouseholdMember,
            None => continue,
        };
        let children_of_affected = section.id == "children" && requester == Requester::AffectedPerson;
        if !requester.redacts(role) || children_of_affected {
            continue;
        }
        let records: Vec<(String, String, &crate::forms::Record)> = match answers.section(section.id) {
            Some(SectionValues::Once(r)) => vec![(section.id.to_owned(), section.title_pl.to_owned(), r)],
            Some(SectionValues::Many(items)) => items
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("{}[{i}]", section.id), format!("{} {}", section.title_pl, i + 1), r))
                .collect(),
            None => Vec::new(),
        };
        for (prefix, title, record) in records {
            for field in section.fields {
                if field.person_field.is_some_and(is_redactable) && record.contains_key(field.id) {
                    out.push(RedactableValue {
                        path: format!("{prefix}.{}", field.id),
                        label_pl: format!("{title}: {}", field.label_pl),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Answers, FormKind, FormVersion, definition, validate};

    fn raw() -> RawRelease {
        RawRelease {
            recipient: "Jan Kowalski, ul. Stara 1".into(),
            purpose: "postępowanie rozwodowe".into(),
            basis: "act_9c_5_suspected".into(),
            requester: "suspected_person".into(),
            requested_on: "2026-11-20".into(),
            ..Default::default()
        }
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_request_without_a_recipient_is_refused_beside_it_and_every_other_error_comes_with_it() {
        let ok = check_request(&raw(), day("2026-11-25"), day("2026-11-01")).unwrap();
        assert_eq!(ok.requester, Requester::SuspectedPerson);
        let blank = RawRelease { recipient: "  ".into(), requested_on: "2026-12-01".into(), ..raw() };
        let errors = check_request(&blank, day("2026-11-25"), day("2026-11-01")).unwrap_err();
        assert!(errors.contains(&("recipient", "err-release-recipient-required")), "{errors:?}");
        assert!(errors.contains(&("requested_on", "err-release-requested-on-future")), "{errors:?}");
        let early = RawRelease { requested_on: "2026-10-31".into(), ..raw() };
        let errors = check_request(&early, day("2026-11-25"), day("2026-11-01")).unwrap_err();
        assert_eq!(errors, vec![("requested_on", "err-release-requested-on-before-case")]);
    }

    #[test]
    fn sealed_values_never_go_to_the_suspected_person_and_need_a_reason_for_anyone_else() {
        let to_suspect = RawRelease { include_sealed: true, sealed_reason: "sąd".into(), ..raw() };
        let errors = check_request(&to_suspect, day("2026-11-25"), day("2026-11-01")).unwrap_err();
        assert_eq!(errors, vec![("include_sealed", "err-release-sealed-to-suspect")]);
        let court = RawRelease {
            requester: "authority".into(),
            basis: "court_or_prosecutor".into(),
            include_sealed: true,
            ..raw()
        };
        let errors = check_request(&court, day("2026-11-25"), day("2026-11-01")).unwrap_err();
        assert_eq!(errors, vec![("sealed_reason", "err-release-sealed-reason-required")]);
        let other = RawRelease { basis: "other".into(), ..raw() };
        let errors = check_request(&other, day("2026-11-25"), day("2026-11-01")).unwrap_err();
        assert_eq!(errors, vec![("basis_other", "err-release-basis-other-required")]);
    }

    #[test]
    fn the_suspected_persons_copy_redacts_the_victims_pesel_not_their_own() {
        let pairs = [
            ("header.filled_at", "2026-11-23T08:30"),
            ("affected_persons[0].first_name", "Anna"),
            ("affected_persons[0].last_name", "Kowalska"),
            ("affected_persons[0].pesel", "85031208407"),
            ("affected_persons[0].residence_address", "ul. Ukryta 7"),
            ("suspected_persons[0].first_name", "Jan"),
            ("suspected_persons[0].last_name", "Kowalski"),
            ("suspected_persons[0].pesel", "83010505714"),
            ("violence.forms", "physical"),
            ("household.children_present", "false"),
            ("firearm.has_firearm", "no"),
            ("filled_by.category", "police"),
            ("filled_by.first_name", "Piotr"),
            ("filled_by.last_name", "Wiśniewski"),
            ("filled_by.institution", "KPP"),
        ];
        let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let a = validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let paths = |r| redactable_values(&a, r).into_iter().map(|v| v.path).collect::<Vec<_>>();
        let for_suspect = paths(Requester::SuspectedPerson);
        assert!(for_suspect.contains(&"affected_persons[0].pesel".to_owned()), "{for_suspect:?}");
        assert!(for_suspect.contains(&"affected_persons[0].residence_address".to_owned()));
        assert!(!for_suspect.iter().any(|p| p.starts_with("suspected_persons")), "{for_suspect:?}");
        let for_victim = paths(Requester::AffectedPerson);
        assert_eq!(for_victim, vec!["suspected_persons[0].pesel".to_owned()]);
        assert!(paths(Requester::Authority).is_empty());
    }
}
