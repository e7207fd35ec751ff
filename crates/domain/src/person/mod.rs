//! Persons in a Blue Card procedure: their roles, the personal data each role allows, PESEL, the age rules and the
//! keys that recognise the same person on a later form A.
//!
//! - [`PersonRole`] and [`allowed_fields`]: the whitelist of art. 9c ust. 1 of the act, as data.
//! - [`Pesel`]: the national identification number with its check digit, birth date and sex.
//! - [`is_adult`], [`resolve_role`]: the person using violence is an adult; a minor witness is a person experiencing
//!   violence (art. 2 of the act).
//! - [`Person::parse`]: one person as typed into a form, validated against all of the above.
//! - [`match_keys`]: the strings the store blind-indexes to find the same person again.
//!
//! Personal values never appear in `Debug` output ([`Pesel`], [`PersonName`], [`Person`], [`PersonInput`],
//! [`MatchKey`] print `[REDACTED]` or only the role), so they cannot reach a log line by accident.

mod age;
mod match_key;
mod name;
pub mod pesel;
mod role;
pub mod search;

pub use age::{
    ADULT_AGE, ELDERLY_MIN_AGE, MAX_PLAUSIBLE_AGE, ResolvedRole, age_on, check_birth_not_in_future,
    check_birth_plausible, check_suspected_adult, is_adult, is_elderly_on, parse_birth_date, resolve_role,
};
pub use match_key::{MatchKey, match_keys, normalise_name};
pub use name::{MAX_NAME_CHARS, PersonName};
pub use pesel::{Pesel, Sex};
pub use role::{PersonField, PersonRole, allowed_fields, check_whitelist, is_allowed};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::FieldErrors;

/// The most characters an address may hold.
pub const MAX_ADDRESS_CHARS: usize = 300;

/// One person as typed into a form: raw strings and check boxes, nothing validated yet. Empty means "not given".
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub first_name: String,
    pub last_name: String,
    pub pesel: String,
    /// `YYYY-MM-DD` or `DD.MM.YYYY`.
    pub birth_date: String,
    /// `female`, `male` or empty.
    pub sex: String,
    pub residence_address: String,
    pub stay_address: String,
    pub phone: String,
    pub email: String,
    /// "A child" ticked when the birth date is not known.
    pub is_minor: bool,
    /// "An elderly person" ticked by the person filling the form.
    pub is_elderly: bool,
    pub has_disability: bool,
    /// "An adult who cannot cope because of age or mental or physical state" (osoba nieporadna).
    pub is_unable_to_cope: bool,
}

impl PersonInput {
    /// The fields this input provides (non-blank text, ticked boxes), for the art. 9c whitelist.
    pub fn provided_fields(&self) -> Vec<PersonField> {
        let texts = [
            (PersonField::FirstName, &self.first_name),
            (PersonField::LastName, &self.last_name),
            (PersonField::Pesel, &self.pesel),
            (PersonField::BirthDate, &self.birth_date),
            (PersonField::Sex, &self.sex),
            (PersonField::ResidenceAddress, &self.residence_address),
            (PersonField::StayAddress, &self.stay_address),
            (PersonField::Phone, &self.phone),
            (PersonField::Email, &self.email),
        ];
        let flags = [
            (PersonField::Minor, self.is_minor),
            (PersonField::Elderly, self.is_elderly),
            (PersonField::Disability, self.has_disability),
            (PersonField::UnableToCope, self.is_unable_to_cope),
        ];
        texts
            .into_iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(field, _)| field)
            .chain(flags.into_iter().filter(|(_, ticked)| *ticked).map(|(field, _)| field))
            .collect()
    }
}

impl std::fmt::Debug for PersonInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonInput([REDACTED])")
    }
}

/// Who must be present when the team or group acts with an affected person (procedure.md §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredPresence {
    /// A child: a parent, legal guardian or actual guardian (opiekun faktyczny); when they are the suspected persons,
    /// an adult close person (osoba najbliższa, art. 115 § 11 of the Criminal Code). [S: GCPR on REG23; P: REG11 §5]
    ParentOrGuardian,
    /// An adult who cannot cope because of age or mental or physical state: a legal or actual guardian, or an adult
    /// the person names. [S: GCPR; the REG23 paragraph is U]
    GuardianOrChosenAdult,
}

/// A validated person in one role of a procedure. Built only by [`Person::parse`].
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    role: PersonRole,
    is_child_witness: bool,
    first_name: PersonName,
    last_name: PersonName,
    pesel: Option<Pesel>,
    birth_date: Option<Date>,
    sex: Option<Sex>,
    residence_address: Option<String>,
    stay_address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    is_minor: bool,
    is_elderly: bool,
    has_disability: bool,
    is_unable_to_cope: bool,
}

impl Person {
    /// Validates a person typed into a form filled on `form_date`, declared in `role`.
    ///
    /// In order:
    /// 1. The age is taken from the PESEL, else the typed birth date, else the "child" box, as of `form_date`.
    /// 2. A minor declared as a witness becomes an affected person marked as a child witness (art. 2 ust. 2).
    /// 3. Every field the (resulting) role may not hold is refused with `err-field-not-allowed-for-role`
    ///    (art. 9c ust. 1), and only the allowed fields are validated further: a PESEL typed for an adult witness
    ///    is reported as not allowed, not as malformed.
    /// 4. First names and surname are required. PESEL and birth date, when both given, must agree
    ///    (`err-pesel-birth-date-mismatch`), and so must PESEL and sex (`err-pesel-sex-mismatch`); the birth date
    ///    may not lie after `form_date` (`err-birth-in-future`) nor more than [`MAX_PLAUSIBLE_AGE`] years before it.
    /// 5. A suspected person must be an adult on `form_date` (`err-suspected-minor`, art. 2 ust. 1 pkt 3); a "child"
    ///    box ticked for someone whose birth date says adult is refused (`err-minor-birth-date-mismatch`).
    ///
    /// The elderly mark is set when ticked or when the birth date gives [`ELDERLY_MIN_AGE`] or more on `form_date`; a
    /// tick below the threshold is kept, because the threshold itself is an unconfirmed (\[U\]) assumption.
    pub fn parse(input: &PersonInput, role: PersonRole, form_date: Date) -> Result<Person, FieldErrors> {
        let mut errors = FieldErrors::new();
        let given = |s: &str| !s.trim().is_empty();
        let pesel = given(&input.pesel).then(|| Pesel::parse(&input.pesel));
        let typed_birth = given(&input.birth_date).then(|| parse_birth_date(&input.birth_date));

        // The age decides the role (art. 2 ust. 2), so it is read before the whitelist, from whatever is valid.
        let age_birth = match (&pesel, &typed_birth) {
            (Some(Ok(p)), _) => Some(p.birth_date()),
            (_, Some(Ok(d))) => Some(*d),
            _ => None,
        };
        let is_minor = age_birth.map_or(input.is_minor, |birth| !is_adult(birth, form_date));
        let resolved = resolve_role(role, is_minor);
        let role = resolved.role;
        if let Err(refused) = check_whitelist(role, input.provided_fields()) {
            for e in refused.iter() {
                errors.add(e.field, e.code);
            }
        }
        let allowed = |field: PersonField| is_allowed(role, field);

        let first_name = errors.check("first_name", PersonName::parse(&input.first_name));
        let last_name = errors.check("last_name", PersonName::parse(&input.last_name));

        let pesel = match pesel {
            Some(parsed) if allowed(PersonField::Pesel) => errors.check("pesel", parsed),
            _ => None,
        };
        let typed_birth = match typed_birth {
            Some(parsed) if allowed(PersonField::BirthDate) => errors.check("birth_date", parsed),
            _ => None,
        };
        if let (Some(p), Some(d)) = (&pesel, typed_birth)
            && p.birth_date() != d
        {
            errors.add("birth_date", "err-pesel-birth-date-mismatch");
        }
        let birth_date = pesel.as_ref().map(Pesel::birth_date).or(typed_birth);
        if let Some(birth) = birth_date {
            let field = if pesel.is_some() { "pesel" } else { "birth_date" };
            if let Err(code) = check_birth_not_in_future(birth, form_date).and(check_birth_plausible(birth, form_date))
            {
                errors.add(field, code);
            } else if role == PersonRole::SuspectedPerson && check_suspected_adult(birth, form_date).is_err() {
                errors.add(field, "err-suspected-minor");
            }
            if input.is_minor && is_adult(birth, form_date) && allowed(PersonField::Minor) {
                errors.add("is_minor", "err-minor-birth-date-mismatch");
            }
        } else if role == PersonRole::SuspectedPerson && input.is_minor {
            errors.add("is_minor", "err-suspected-minor");
        }

        let typed_sex = if given(&input.sex) && allowed(PersonField::Sex) {
            errors.check("sex", Sex::parse(&input.sex))
        } else {
            None
        };
        if let (Some(p), Some(s)) = (&pesel, typed_sex)
            && p.sex() != s
        {
            errors.add("sex", "err-pesel-sex-mismatch");
        }
        let sex = pesel.as_ref().map(Pesel::sex).or(typed_sex);

        let mut text = |field: PersonField, raw: &str, parse: fn(&str) -> Result<String, &'static str>| {
            if given(raw) && allowed(field) { errors.check(field.as_str(), parse(raw)) } else { None }
        };
        let residence_address = text(PersonField::ResidenceAddress, &input.residence_address, parse_address);
        let stay_address = text(PersonField::StayAddress, &input.stay_address, parse_address);
        let phone = text(PersonField::Phone, &input.phone, parse_phone);
        let email = text(PersonField::Email, &input.email, parse_email);

        let is_elderly = allowed(PersonField::Elderly)
            && (input.is_elderly || birth_date.is_some_and(|b| is_elderly_on(b, form_date, ELDERLY_MIN_AGE)));

        match (first_name, last_name) {
            (Some(first_name), Some(last_name)) if errors.is_empty() => Ok(Person {
                role,
                is_child_witness: resolved.is_child_witness,
                first_name,
                last_name,
                pesel,
                birth_date,
                sex,
                residence_address,
                stay_address,
                phone,
                email,
                is_minor,
                is_elderly,
                has_disability: input.has_disability,
                is_unable_to_cope: input.is_unable_to_cope,
            }),
            _ => Err(errors),
        }
    }

    /// The role after the age rules: a minor declared as a witness is an [`PersonRole::AffectedPerson`].
    pub fn role(&self) -> PersonRole {
        self.role
    }

    /// Declared a witness, recorded as an affected person because a minor (art. 2 ust. 2).
    pub fn is_child_witness(&self) -> bool {
        self.is_child_witness
    }

    pub fn first_name(&self) -> &PersonName {
        &self.first_name
    }

    pub fn last_name(&self) -> &PersonName {
        &self.last_name
    }

    /// First names and surname, as shown to users.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    pub fn pesel(&self) -> Option<&Pesel> {
        self.pesel.as_ref()
    }

    /// From the PESEL when given, else as typed.
    pub fn birth_date(&self) -> Option<Date> {
        self.birth_date
    }

    /// From the PESEL when given, else as chosen.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    pub fn residence_address(&self) -> Option<&str> {
        self.residence_address.as_deref()
    }

    pub fn stay_address(&self) -> Option<&str> {
        self.stay_address.as_deref()
    }

    pub fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }

    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }

    /// Under 18 on the form date (from the birth date), or marked as a child when the birth date is not known.
    pub fn is_minor(&self) -> bool {
        self.is_minor
    }

    /// Under 18 on `day` when the birth date is known (the child of a form A can be an adult by a later meeting);
    /// otherwise as on the form.
    pub fn is_minor_on(&self, day: Date) -> bool {
        self.birth_date.map_or(self.is_minor, |birth| !is_adult(birth, day))
    }

    /// Marked elderly, or [`ELDERLY_MIN_AGE`] or older on the form date. Reports should recompute it from
    /// [`Person::birth_date`] with the configured threshold ([`is_elderly_on`]) where the birth date is known.
    pub fn is_elderly(&self) -> bool {
        self.is_elderly
    }

    pub fn has_disability(&self) -> bool {
        self.has_disability
    }

    pub fn is_unable_to_cope(&self) -> bool {
        self.is_unable_to_cope
    }

    /// Who must be present when acting with this person, if anyone (procedure.md §2.4): only affected persons.
    pub fn required_presence(&self) -> Option<RequiredPresence> {
        match self.role {
            PersonRole::AffectedPerson if self.is_minor => Some(RequiredPresence::ParentOrGuardian),
            PersonRole::AffectedPerson if self.is_unable_to_cope => Some(RequiredPresence::GuardianOrChosenAdult),
            _ => None,
        }
    }
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Person").field("role", &self.role).finish_non_exhaustive()
    }
}

/// An address of residence or stay: free text, at most [`MAX_ADDRESS_CHARS`], one line.
fn parse_address(raw: &str) -> Result<String, &'static str> {
    if raw.chars().any(char::is_control) {
        return Err("err-control-chars");
    }
    let s = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > MAX_ADDRESS_CHARS {
        return Err("err-too-long");
    }
    Ok(s)
}

/// A phone number: digits, spaces, plus, hyphens and brackets, at most 32 characters (as for accounts).
fn parse_phone(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    if s.len() > 32 || !s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')) {
        return Err("err-phone-format");
    }
    Ok(s.to_owned())
}

/// An e-mail address of the plausible form `local@domain.tld`, at most 254 characters (as for accounts).
fn parse_email(raw: &str) -> Result<String, &'static str> {
    let s = raw.trim();
    let plausible = match s.split('@').collect::<Vec<_>>().as_slice() {
        [local, domain] => {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        }
        _ => false,
    };
    if s.len() > 254 || !plausible || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("err-email-format");
    }
    Ok(s.to_owned())
}

#[cfg(test)]
mod tests;
