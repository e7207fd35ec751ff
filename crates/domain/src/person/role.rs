//! The roles a person has in a procedure and the personal data each role allows (art. 9c ust. 1 of the act).

use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// The role of a person in a Blue Card procedure (art. 2 ust. 1 and art. 9c ust. 1 of the act on counteracting
/// domestic violence). One procedure may list several persons in each role (REG23 §2 ust. 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// Osoba doznająca przemocy domowej (art. 2 ust. 1 pkt 2); a minor witness is one too (art. 2 ust. 2).
    AffectedPerson,
    /// Osoba stosująca przemoc domową, or suspected of it (art. 2 ust. 1 pkt 3); always an adult.
    SuspectedPerson,
    /// Another person living, or living and keeping house, with the suspected person (art. 9c ust. 1 pkt 2).
    HouseholdMember,
    /// Świadek przemocy domowej: knows about or saw domestic violence (art. 2 ust. 1 pkt 4).
    Witness,
    /// Osoba zgłaszająca: reported the violence (art. 9c ust. 1 pkt 4).
    Reporter,
}

impl PersonRole {
    pub const ALL: [PersonRole; 5] = [
        PersonRole::AffectedPerson,
        PersonRole::SuspectedPerson,
        PersonRole::HouseholdMember,
        PersonRole::Witness,
        PersonRole::Reporter,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PersonRole::AffectedPerson => "affected_person",
            PersonRole::SuspectedPerson => "suspected_person",
            PersonRole::HouseholdMember => "household_member",
            PersonRole::Witness => "witness",
            PersonRole::Reporter => "reporter",
        }
    }

    pub fn parse(raw: &str) -> Result<PersonRole, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("err-required");
        }
        PersonRole::ALL.into_iter().find(|r| r.as_str() == s).ok_or("err-person-role")
    }
}

impl std::fmt::Display for PersonRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An item of personal data a form may record about a person. [`PersonField::as_str`] is the form field's name and
/// the `field` of a [`crate::FieldError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonField {
    /// Imię (first names), part of "imię i nazwisko".
    FirstName,
    /// Nazwisko, part of "imię i nazwisko".
    LastName,
    /// Imiona rodziców.
    ParentsFirstNames,
    /// Numer PESEL.
    Pesel,
    /// Wiek, recorded as the birth date. For the roles that may have a PESEL this reveals nothing the PESEL does
    /// not; for the others it is refused like any age data.
    BirthDate,
    /// Not named in art. 9c ust. 1, but encoded in the PESEL, so it is allowed exactly where the PESEL is; the
    /// indicators break persons down by women and men (RPPPD annex 2).
    Sex,
    /// The mark "child" when the birth date is not known: age data (wiek), allowed wherever the birth date is.
    Minor,
    /// The mark "elderly" (osoba starsza) for the indicators: age data (wiek), allowed wherever the birth date is.
    Elderly,
    /// Adres miejsca zamieszkania.
    ResidenceAddress,
    /// Adres miejsca pobytu (where the person stays now, e.g. a shelter).
    StayAddress,
    /// Numer telefonu.
    Phone,
    /// Adres poczty elektronicznej.
    Email,
    /// Inny sposób kontaktu.
    OtherContact,
    /// Obywatelstwo. Not in art. 9c ust. 1 for any role.
    Citizenship,
    /// The language the person speaks (e.g. to arrange an interpreter). Not in art. 9c ust. 1 for any role.
    Language,
    /// Informacje o stanie zdrowia: special-category data (GDPR art. 9).
    Health,
    /// Disability, for the indicators' breakdown: health data (GDPR art. 9).
    Disability,
    /// An adult who cannot cope because of age or mental or physical state (osoba nieporadna): health data.
    UnableToCope,
    /// Informacje o nałogach: health data (GDPR art. 9).
    Addictions,
    /// Skazania, orzeczenia o ukaraniu, inne orzeczenia sądowe lub administracyjne: GDPR art. 10 data.
    Convictions,
    /// Informacje o sytuacji rodzinnej.
    FamilySituation,
    /// Stan cywilny.
    MaritalStatus,
    /// Stosunek pokrewieństwa: of the suspected person to the affected person, or of a household member to the
    /// suspected person.
    Kinship,
    /// Informacje o sytuacji zawodowej i źródłach utrzymania.
    Occupation,
    /// Informacje o sytuacji mieszkaniowej.
    HousingSituation,
    /// Dane szkoły i klasy, for children in the household.
    SchoolAndClass,
}

impl PersonField {
    pub const ALL: [PersonField; 26] = [
        PersonField::FirstName,
        PersonField::LastName,
        PersonField::ParentsFirstNames,
        PersonField::Pesel,
        PersonField::BirthDate,
        PersonField::Sex,
        PersonField::Minor,
        PersonField::Elderly,
        PersonField::ResidenceAddress,
        PersonField::StayAddress,
        PersonField::Phone,
        PersonField::Email,
        PersonField::OtherContact,
        PersonField::Citizenship,
        PersonField::Language,
        PersonField::Health,
        PersonField::Disability,
        PersonField::UnableToCope,
        PersonField::Addictions,
        PersonField::Convictions,
        PersonField::FamilySituation,
        PersonField::MaritalStatus,
        PersonField::Kinship,
        PersonField::Occupation,
        PersonField::HousingSituation,
        PersonField::SchoolAndClass,
    ];

    /// The form field's name.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonField::FirstName => "first_name",
            PersonField::LastName => "last_name",
            PersonField::ParentsFirstNames => "parents_first_names",
            PersonField::Pesel => "pesel",
            PersonField::BirthDate => "birth_date",
            PersonField::Sex => "sex",
            PersonField::Minor => "is_minor",
            PersonField::Elderly => "is_elderly",
            PersonField::ResidenceAddress => "residence_address",
            PersonField::StayAddress => "stay_address",
            PersonField::Phone => "phone",
            PersonField::Email => "email",
            PersonField::OtherContact => "other_contact",
            PersonField::Citizenship => "citizenship",
            PersonField::Language => "language",
            PersonField::Health => "health",
            PersonField::Disability => "has_disability",
            PersonField::UnableToCope => "is_unable_to_cope",
            PersonField::Addictions => "addictions",
            PersonField::Convictions => "convictions",
            PersonField::FamilySituation => "family_situation",
            PersonField::MaritalStatus => "marital_status",
            PersonField::Kinship => "kinship",
            PersonField::Occupation => "occupation",
            PersonField::HousingSituation => "housing_situation",
            PersonField::SchoolAndClass => "school_and_class",
        }
    }

    /// Special-category (GDPR art. 9) or criminal (GDPR art. 10) data: allowed by the act, protected most strictly.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            PersonField::Health
                | PersonField::Disability
                | PersonField::UnableToCope
                | PersonField::Addictions
                | PersonField::Convictions
        )
    }
}

/// Art. 9c ust. 1 pkt 1: persons experiencing violence.
const AFFECTED_PERSON: &[PersonField] = &[
    PersonField::FirstName,
    PersonField::LastName,
    PersonField::Pesel,
    PersonField::ParentsFirstNames,
    PersonField::BirthDate,
    PersonField::Sex,
    PersonField::Minor,
    PersonField::Elderly,
    PersonField::ResidenceAddress,
    PersonField::StayAddress,
    PersonField::Phone,
    PersonField::Email,
    PersonField::OtherContact,
    PersonField::Health,
    PersonField::Disability,
    PersonField::UnableToCope,
    PersonField::Addictions,
    PersonField::Convictions,
    PersonField::FamilySituation,
    PersonField::Occupation,
    PersonField::HousingSituation,
];

/// Art. 9c ust. 1 pkt 3: persons using violence.
const SUSPECTED_PERSON: &[PersonField] = &[
    PersonField::FirstName,
    PersonField::LastName,
    PersonField::Pesel,
    PersonField::BirthDate,
    PersonField::Sex,
    PersonField::Minor,
    PersonField::Elderly,
    PersonField::MaritalStatus,
    PersonField::ResidenceAddress,
    PersonField::StayAddress,
    PersonField::Phone,
    PersonField::Email,
    PersonField::OtherContact,
    PersonField::Kinship,
    PersonField::Health,
    PersonField::Disability,
    PersonField::Addictions,
    PersonField::Convictions,
    PersonField::Occupation,
];

/// Art. 9c ust. 1 pkt 2: other persons living with the person using violence. No address, contact or health data.
const HOUSEHOLD_MEMBER: &[PersonField] = &[
    PersonField::FirstName,
    PersonField::LastName,
    PersonField::Pesel,
    PersonField::Kinship,
    PersonField::BirthDate,
    PersonField::Sex,
    PersonField::Minor,
    PersonField::Elderly,
    PersonField::Occupation,
    PersonField::SchoolAndClass,
];

/// Art. 9c ust. 1 pkt 4: reporters and witnesses. Name, address of residence and contact only: no PESEL, no age.
const WITNESS_OR_REPORTER: &[PersonField] = &[
    PersonField::FirstName,
    PersonField::LastName,
    PersonField::ResidenceAddress,
    PersonField::Phone,
    PersonField::Email,
    PersonField::OtherContact,
];

/// The personal data that may be recorded about a person in `role` (art. 9c ust. 1 of the act), as data.
///
/// The list is closed: what is not here may not be recorded for that role. Citizenship and language are on no list,
/// because art. 9c ust. 1 names them for nobody; adding them is a one-line change here once the controller's data
/// protection officer confirms a legal basis.
pub fn allowed_fields(role: PersonRole) -> &'static [PersonField] {
    match role {
        PersonRole::AffectedPerson => AFFECTED_PERSON,
        PersonRole::SuspectedPerson => SUSPECTED_PERSON,
        PersonRole::HouseholdMember => HOUSEHOLD_MEMBER,
        PersonRole::Witness | PersonRole::Reporter => WITNESS_OR_REPORTER,
    }
}

/// Whether `field` may be recorded for a person in `role` (art. 9c ust. 1).
pub fn is_allowed(role: PersonRole, field: PersonField) -> bool {
    allowed_fields(role).contains(&field)
}

/// Refuses every provided field that art. 9c ust. 1 does not allow for `role`, each under its own field name with
/// `err-field-not-allowed-for-role`. A field named twice is reported once.
pub fn check_whitelist(role: PersonRole, provided: impl IntoIterator<Item = PersonField>) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for field in provided {
        if !is_allowed(role, field) && errors.for_field(field.as_str()).is_none() {
            errors.add(field.as_str(), "err-field-not-allowed-for-role");
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pesel_is_allowed_for_affected_suspected_and_household_members_only() {
        assert!(is_allowed(PersonRole::AffectedPerson, PersonField::Pesel));
        assert!(is_allowed(PersonRole::SuspectedPerson, PersonField::Pesel));
        assert!(is_allowed(PersonRole::HouseholdMember, PersonField::Pesel));
        assert!(!is_allowed(PersonRole::Witness, PersonField::Pesel));
        assert!(!is_allowed(PersonRole::Reporter, PersonField::Pesel));
    }

    #[test]
    fn witnesses_and_reporters_get_name_address_of_residence_and_contact_only() {
        for role in [PersonRole::Witness, PersonRole::Reporter] {
            let allowed: Vec<_> = PersonField::ALL.into_iter().filter(|f| is_allowed(role, *f)).collect();
            assert_eq!(
                allowed,
                [
                    PersonField::FirstName,
                    PersonField::LastName,
                    PersonField::ResidenceAddress,
                    PersonField::Phone,
                    PersonField::Email,
                    PersonField::OtherContact
                ]
            );
        }
    }

    #[test]
    fn age_data_follows_the_pesel() {
        for role in PersonRole::ALL {
            let pesel = is_allowed(role, PersonField::Pesel);
            assert_eq!(is_allowed(role, PersonField::BirthDate), pesel, "{role}");
            assert_eq!(is_allowed(role, PersonField::Sex), pesel, "{role}");
            assert_eq!(is_allowed(role, PersonField::Minor), pesel, "{role}");
            assert_eq!(is_allowed(role, PersonField::Elderly), pesel, "{role}");
        }
    }

    #[test]
    fn sensitive_data_is_allowed_only_for_affected_and_suspected_persons() {
        for role in PersonRole::ALL {
            let expected = matches!(role, PersonRole::AffectedPerson | PersonRole::SuspectedPerson);
            assert_eq!(is_allowed(role, PersonField::Health), expected, "{role}");
            assert_eq!(is_allowed(role, PersonField::Addictions), expected, "{role}");
            assert_eq!(is_allowed(role, PersonField::Convictions), expected, "{role}");
        }
    }

    #[test]
    fn role_specific_items_of_the_act_sit_with_their_role() {
        assert!(is_allowed(PersonRole::AffectedPerson, PersonField::ParentsFirstNames));
        assert!(!is_allowed(PersonRole::SuspectedPerson, PersonField::ParentsFirstNames));
        assert!(is_allowed(PersonRole::SuspectedPerson, PersonField::MaritalStatus));
        assert!(!is_allowed(PersonRole::AffectedPerson, PersonField::MaritalStatus));
        assert!(is_allowed(PersonRole::HouseholdMember, PersonField::SchoolAndClass));
        assert!(!is_allowed(PersonRole::HouseholdMember, PersonField::ResidenceAddress));
        assert!(!is_allowed(PersonRole::HouseholdMember, PersonField::Phone));
        assert!(!is_allowed(PersonRole::Witness, PersonField::StayAddress));
    }

    #[test]
    fn citizenship_and_language_are_allowed_for_no_role() {
        for role in PersonRole::ALL {
            assert!(!is_allowed(role, PersonField::Citizenship), "{role}");
            assert!(!is_allowed(role, PersonField::Language), "{role}");
        }
    }

    #[test]
    fn every_whitelist_names_each_field_once_and_always_allows_the_name() {
        for role in PersonRole::ALL {
            let fields = allowed_fields(role);
            for (i, field) in fields.iter().enumerate() {
                assert!(!fields[..i].contains(field), "{role}: {field:?} twice");
            }
            assert!(fields.contains(&PersonField::FirstName) && fields.contains(&PersonField::LastName));
        }
    }

    #[test]
    fn the_whitelist_check_names_each_disallowed_field() {
        assert_eq!(check_whitelist(PersonRole::AffectedPerson, PersonField::ALL.into_iter().take(13)), Ok(()));
        let errors = check_whitelist(
            PersonRole::Witness,
            [PersonField::FirstName, PersonField::Pesel, PersonField::Health, PersonField::Pesel, PersonField::Phone],
        )
        .unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(named, [("pesel", "err-field-not-allowed-for-role"), ("health", "err-field-not-allowed-for-role")]);
    }

    #[test]
    fn roles_and_fields_round_trip_their_names() {
        for role in PersonRole::ALL {
            assert_eq!(PersonRole::parse(role.as_str()), Ok(role));
        }
        assert_eq!(PersonRole::parse("perpetrator"), Err("err-person-role"));
        assert_eq!(PersonRole::parse(" "), Err("err-required"));
        let mut names: Vec<_> = PersonField::ALL.iter().map(|f| f.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PersonField::ALL.len());
    }
}
