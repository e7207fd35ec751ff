//! Persons counted once in the statutory figures (RPPPD annex 2, 2.3.1 and 3.2.1): the persons named on the forms A
//! of a year's procedures, each sighting on a form joined to the others of the same person, and their attributes
//! merged by one stated rule. Pure: the store decrypts the forms and hands the sightings in.
//!
//! Matching (strongest first):
//! 1. the same PESEL (the store compares its blind index; here the key string);
//! 2. the same normalised first names and surname with the same birth date ([`normalise_name`]);
//! 3. for a sighting with neither PESEL nor birth date: the same normalised name **within one procedure**. It joins
//!    the one person of that name there who has a PESEL or birth date; when there are several such persons it cannot
//!    be told which, and the name-only sightings count as one person of their own.
//!
//! Merging: disability when any sighting says so; the birth date and the sex from the latest form that states them
//! (by the form's time, then its id); child or elderly from the birth date on the day the person entered the
//! procedure (their earliest form), or, without a birth date, from the marks on that earliest form (elderly also
//! when any form marks it); the forms of violence are the union over the person's forms. Persons experiencing and
//! persons using violence are counted apart. The result does not depend on the order the sightings come in.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::forms::{FormVersion, ValidatedAnswers, Value};
use crate::person::{ADULT_AGE, ELDERLY_MIN_AGE, PersonRole, Sex, age_on, match_keys, normalise_name};
use crate::procedure::intake::persons_of_form_a;

/// The two kinds of person the statutory set counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountedRole {
    Affected,
    Using,
}

/// The forms of violence of the annex's breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolenceForm {
    Physical,
    Psychological,
    Economic,
    Sexual,
    Cyber,
}

impl ViolenceForm {
    pub const ALL: [ViolenceForm; 5] = [
        ViolenceForm::Physical,
        ViolenceForm::Psychological,
        ViolenceForm::Economic,
        ViolenceForm::Sexual,
        ViolenceForm::Cyber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ViolenceForm::Physical => "physical",
            ViolenceForm::Psychological => "psychological",
            ViolenceForm::Economic => "economic",
            ViolenceForm::Sexual => "sexual",
            ViolenceForm::Cyber => "cyber",
        }
    }
}

/// One person as one form A names them. The key strings are personal data: kept in memory, or encrypted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sighting {
    pub role: CountedRole,
    pub procedure: Uuid,
    pub form: Uuid,
    /// When the form was filled: "latest form" in the merge rule.
    pub filled_at: Timestamp,
    /// The form's own date: the day the age rules apply on.
    pub form_date: Date,
    pub pesel_key: Option<String>,
    /// Normalised "first names|surname".
    pub name_key: String,
    pub birth_date: Option<Date>,
    pub sex: Option<Sex>,
    pub marked_minor: bool,
    pub marked_elderly: bool,
    pub disability: bool,
    pub violence: BTreeSet<ViolenceForm>,
}

impl std::fmt::Debug for Sighting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sighting").field("role", &self.role).field("form", &self.form).finish_non_exhaustive()
    }
}

/// One person after merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedPerson {
    pub role: CountedRole,
    pub sex: Option<Sex>,
    pub birth_date: Option<Date>,
    pub child: bool,
    pub elderly: bool,
    pub disability: bool,
    pub violence: BTreeSet<ViolenceForm>,
    /// How many sightings were joined into this person.
    pub sightings: usize,
    /// The date of the person's earliest form: the day their age is taken on.
    pub entered_on: Date,
}

/// The persons' lines of the statutory set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PersonFigures {
    pub affected: i64,
    pub affected_by_form: BTreeMap<&'static str, i64>,
    pub women: i64,
    pub women_with_disability: i64,
    pub women_elderly: i64,
    pub men: i64,
    pub men_with_disability: i64,
    pub men_elderly: i64,
    /// Adults whose sex no form states: in the total, in neither "women" nor "men" (a gap the data-quality view lists).
    pub adults_sex_unknown: i64,
    pub children: i64,
    pub girls: i64,
    pub boys: i64,
    pub children_with_disability: i64,
    pub using: i64,
    pub using_women: i64,
    pub using_men: i64,
    pub using_sex_unknown: i64,
}

/// Joins the sightings into persons by the module's matching rule and merges each person's attributes.
pub fn merge(sightings: &[Sighting]) -> Vec<CountedPerson> {
    let mut out: Vec<CountedPerson> = clusters(sightings)
        .into_iter()
        .filter_map(|group| merge_one(&group.iter().filter_map(|&i| sightings.get(i)).collect::<Vec<_>>()))
        .collect();
    // A stable order whatever order the rows came in.
    out.sort_by_key(|p| {
        (
            p.role,
            p.sex.map(Sex::as_str),
            p.birth_date,
            p.child,
            p.elderly,
            p.disability,
            p.violence.clone(),
            p.sightings,
            p.entered_on,
        )
    });
    out
}

/// Each person merged by [`merge`]'s rule with the positions of their sightings (the local diagnosis follows a
/// person across procedures: a new form A after a closing), in no particular order.
pub fn merge_with_sightings(sightings: &[Sighting]) -> Vec<(CountedPerson, Vec<usize>)> {
    clusters(sightings)
        .into_iter()
        .filter_map(|group| {
            let person = merge_one(&group.iter().filter_map(|&i| sightings.get(i)).collect::<Vec<_>>())?;
            Some((person, group))
        })
        .collect()
}

/// The sightings' positions grouped by person.
fn clusters(sightings: &[Sighting]) -> Vec<Vec<usize>> {
    let n = sightings.len();
    let mut uf = UnionFind::new(n);
    // Stage 1: the strong keys.
    let mut by_key: std::collections::HashMap<StrongKey<'_>, usize> = std::collections::HashMap::with_capacity(2 * n);
    for (i, s) in sightings.iter().enumerate() {
        let pesel = s.pesel_key.as_deref().map(|p| StrongKey::Pesel(s.role, p));
        let name_dob = s.birth_date.map(|b| StrongKey::NameAndBirthDate(s.role, s.name_key.as_str(), b));
        for key in [pesel, name_dob].into_iter().flatten() {
            match by_key.get(&key) {
                Some(&j) => uf.union(i, j),
                None => {
                    by_key.insert(key, i);
                }
            }
        }
    }
    // Stage 2: name-only sightings, by name within one procedure.
    let mut groups: BTreeMap<NameInProcedure<'_>, (BTreeSet<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, s) in sightings.iter().enumerate() {
        let g = groups.entry((s.role, s.procedure, s.name_key.as_str())).or_default();
        if is_weak(s) {
            g.1.push(i);
        } else {
            g.0.insert(uf.find(i));
        }
    }
    for (strong, weak) in groups.into_values() {
        let mut weak = weak.into_iter();
        let Some(first) = weak.next() else { continue };
        for w in weak {
            uf.union(first, w);
        }
        if let (1, Some(&known)) = (strong.len(), strong.iter().next()) {
            uf.union(first, known);
        }
    }
    let mut persons: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..n {
        persons.entry(uf.find(i)).or_default().push(i);
    }
    persons.into_values().collect()
}

/// A name within one procedure, for one kind of person.
type NameInProcedure<'a> = (CountedRole, Uuid, &'a str);

fn is_weak(s: &Sighting) -> bool {
    s.pesel_key.is_none() && s.birth_date.is_none()
}

/// A strong key, borrowed from its sighting: the same PESEL, or the same name with the same birth date.
#[derive(PartialEq, Eq, Hash)]
enum StrongKey<'a> {
    Pesel(CountedRole, &'a str),
    NameAndBirthDate(CountedRole, &'a str, Date),
}

fn merge_one(group: &[&Sighting]) -> Option<CountedPerson> {
    // Ties (the same form naming the person twice) are broken by the value itself, so no row order shows through.
    let birth_date = group.iter().filter(|s| s.birth_date.is_some()).map(|s| (s.filled_at, s.form, s.birth_date)).max();
    let sex = group
        .iter()
        .filter_map(|s| Some((s.filled_at, s.form, s.sex?.as_str(), s.sex?)))
        .max_by_key(|t| (t.0, t.1, t.2));
    let (birth_date, sex) = (birth_date.and_then(|t| t.2), sex.map(|t| t.3));
    let first = group.iter().map(|s| (s.filled_at, s.form)).min()?;
    let earliest: Vec<&&Sighting> = group.iter().filter(|s| (s.filled_at, s.form) == first).collect();
    let head = earliest.first()?;
    let entered = head.form_date;
    let age = birth_date.and_then(|b| age_on(b, entered));
    let child = match age {
        Some(a) => a < ADULT_AGE,
        None => earliest.iter().any(|s| s.marked_minor),
    };
    let elderly = match age {
        Some(a) => a >= ELDERLY_MIN_AGE,
        None => group.iter().any(|s| s.marked_elderly),
    };
    Some(CountedPerson {
        role: head.role,
        sex,
        birth_date,
        child,
        elderly: elderly && !child,
        disability: group.iter().any(|s| s.disability),
        violence: group.iter().flat_map(|s| s.violence.iter().copied()).collect(),
        sightings: group.len(),
        entered_on: entered,
    })
}

/// The statutory persons' lines from the merged persons.
pub fn figures(persons: &[CountedPerson]) -> PersonFigures {
    let mut f = PersonFigures::default();
    for form in ViolenceForm::ALL {
        f.affected_by_form.insert(form.as_str(), 0);
    }
    for p in persons {
        match p.role {
            CountedRole::Using => {
                f.using += 1;
                match p.sex {
                    Some(Sex::Female) => f.using_women += 1,
                    Some(Sex::Male) => f.using_men += 1,
                    None => f.using_sex_unknown += 1,
                }
            }
            CountedRole::Affected => {
                f.affected += 1;
                for v in &p.violence {
                    *f.affected_by_form.entry(v.as_str()).or_default() += 1;
                }
                if p.child {
                    f.children += 1;
                    match p.sex {
                        Some(Sex::Female) => f.girls += 1,
                        Some(Sex::Male) => f.boys += 1,
                        None => {}
                    }
                    f.children_with_disability += i64::from(p.disability);
                    continue;
                }
                let (total, disabled, elderly) = match p.sex {
                    Some(Sex::Female) => (&mut f.women, &mut f.women_with_disability, &mut f.women_elderly),
                    Some(Sex::Male) => (&mut f.men, &mut f.men_with_disability, &mut f.men_elderly),
                    None => {
                        f.adults_sex_unknown += 1;
                        continue;
                    }
                };
                *total += 1;
                *disabled += i64::from(p.disability);
                *elderly += i64::from(p.elderly);
            }
        }
    }
    f
}

/// The sightings on one form A, of either version. The 2023 form names persons with PESEL, birth date and sex and
/// states the forms of violence once for the form; the 2011 form names one person of each kind by name only (its
/// behaviour matrix gives physical, psychological and sexual violence, and damage or taking of property as economic
/// violence, an assumption in docs/legal-assumptions.md).
pub fn sightings_of_form_a(
    answers: &ValidatedAnswers,
    procedure: Uuid,
    form: Uuid,
    filled_at: Timestamp,
) -> Vec<Sighting> {
    match answers.definition().version {
        FormVersion::V2011 => sightings_2011(answers, procedure, form, filled_at),
        _ => sightings_2023(answers, procedure, form, filled_at),
    }
}

fn sightings_2023(answers: &ValidatedAnswers, procedure: Uuid, form: Uuid, filled_at: Timestamp) -> Vec<Sighting> {
    let Ok(persons) = persons_of_form_a(answers) else { return Vec::new() };
    let Some(form_date) = crate::procedure::intake::form_date(answers) else { return Vec::new() };
    let violence: BTreeSet<ViolenceForm> = match answers.get("violence", "forms") {
        Some(Value::MultiChoice(vs)) => vs
            .iter()
            .filter_map(|v| match *v {
                "physical" => Some(ViolenceForm::Physical),
                "psychological" => Some(ViolenceForm::Psychological),
                "economic" => Some(ViolenceForm::Economic),
                "sexual" => Some(ViolenceForm::Sexual),
                "electronic" => Some(ViolenceForm::Cyber),
                _ => None,
            })
            .collect(),
        _ => BTreeSet::new(),
    };
    persons
        .into_iter()
        .filter_map(|named| {
            let p = &named.person;
            let role = if p.is_child_witness() { PersonRole::AffectedPerson } else { p.role() };
            let role = match role {
                PersonRole::AffectedPerson => CountedRole::Affected,
                PersonRole::SuspectedPerson => CountedRole::Using,
                _ => return None,
            };
            let pesel_key = match_keys(p).into_iter().find(|k| k.starts_with("pesel:"));
            Some(Sighting {
                role,
                procedure,
                form,
                filled_at,
                form_date,
                pesel_key,
                name_key: name_key(p.first_name().as_str(), p.last_name().as_str()),
                birth_date: p.birth_date(),
                sex: p.sex(),
                marked_minor: p.is_minor(),
                marked_elderly: p.is_elderly(),
                disability: p.has_disability(),
                violence: if role == CountedRole::Affected { violence.clone() } else { BTreeSet::new() },
            })
        })
        .collect()
}

fn sightings_2011(answers: &ValidatedAnswers, procedure: Uuid, form: Uuid, filled_at: Timestamp) -> Vec<Sighting> {
    let form_date = match answers.get("header", "date") {
        Some(Value::Date(d)) => *d,
        _ => filled_at.to_zoned(crate::calendar::poland_zone()).date(),
    };
    let mut violence = BTreeSet::new();
    if let Some(crate::forms::SectionValues::Once(record)) = answers.section("behaviour") {
        for (field, value) in record {
            if matches!(value, Value::MultiChoice(v) if !v.is_empty()) {
                let form = match field {
                    f if f.starts_with("physical_") => ViolenceForm::Physical,
                    f if f.starts_with("psychological_") => ViolenceForm::Psychological,
                    f if f.starts_with("sexual_") => ViolenceForm::Sexual,
                    f if f.starts_with("other_property_") => ViolenceForm::Economic,
                    _ => continue,
                };
                violence.insert(form);
            }
        }
    }
    let text = |section: &str, field: &str| match answers.get(section, field) {
        Some(Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    [("affected_person", CountedRole::Affected), ("suspected_person", CountedRole::Using)]
        .into_iter()
        .filter(|(section, _)| answers.section(section).is_some())
        .map(|(section, role)| Sighting {
            role,
            procedure,
            form,
            filled_at,
            form_date,
            pesel_key: None,
            name_key: name_key(&text(section, "first_name"), &text(section, "last_name")),
            birth_date: None,
            sex: None,
            marked_minor: false,
            marked_elderly: false,
            disability: false,
            violence: if role == CountedRole::Affected { violence.clone() } else { BTreeSet::new() },
        })
        .collect()
}

fn name_key(first: &str, last: &str) -> String {
    format!("{}|{}", normalise_name(first), normalise_name(last))
}

/// Union-find with the smaller index as the root, so the components do not depend on the order of unions.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect() }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&p) = self.parent.get(i) {
            if p == i {
                break;
            }
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grand;
            }
            i = grand;
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            if let Some(slot) = self.parent.get_mut(hi) {
                *slot = lo;
            }
        }
    }
}

#[cfg(test)]
mod tests;
