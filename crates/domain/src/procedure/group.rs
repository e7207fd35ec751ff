//! Who a support group must include beyond its statutory core, from what the case's forms say about the person
//! using violence (art. 9a ust. 11a–12 of the act, procedure.md §1.6):
//! - a soldier in active service: a soldier of the Military Police (Żandarmeria Wojskowa), ust. 11a–11b;
//! - under a probation officer's supervision: a probation officer (kurator sądowy), ust. 12.
//!
//! The facts come from the forms: `suspected_persons[].is_soldier` on the 2023 form A, "dozór kuratora" on the 2011
//! form A (`suspect_background.probation_supervision`) and on forms D of both versions
//! (`convictions.probation_supervision`). An answer of "no" or "not established" requires nothing.

use crate::forms::{FormKind, ValidatedAnswers, Value};
use crate::procedure::lifecycle::GroupMemberKind;

/// What the case's forms say about the persons using violence, as far as the group's composition depends on it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupFacts {
    pub suspect_is_soldier: bool,
    pub suspect_under_probation: bool,
}

fn says_yes(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Choice("yes")) | Some(Value::Bool(true)))
}

impl GroupFacts {
    /// The facts of every form A and D of a case (any one saying so is enough).
    pub fn of_forms<'a>(forms: impl IntoIterator<Item = &'a ValidatedAnswers>) -> GroupFacts {
        let mut facts = GroupFacts::default();
        for form in forms {
            match form.definition().kind {
                FormKind::A => {
                    let soldier = form.items("suspected_persons").iter().any(|p| says_yes(p.get("is_soldier")));
                    facts.suspect_is_soldier |= soldier;
                    facts.suspect_under_probation |= says_yes(form.get("suspect_background", "probation_supervision"));
                }
                FormKind::D => {
                    facts.suspect_under_probation |= says_yes(form.get("convictions", "probation_supervision"));
                }
                _ => {}
            }
        }
        facts
    }

    /// The capacities these facts make mandatory, each with the message given when the group lacks it.
    pub fn required(self) -> Vec<(GroupMemberKind, &'static str)> {
        let mut required = Vec::new();
        if self.suspect_under_probation {
            required.push((GroupMemberKind::ProbationOfficer, "err-group-needs-probation-officer"));
        }
        if self.suspect_is_soldier {
            required.push((GroupMemberKind::MilitaryPolice, "err-group-needs-military-police"));
        }
        required
    }
}

/// Checks a group's capacities against the facts: the first conditional member missing, as its message id.
pub fn check_conditional_members(members: &[GroupMemberKind], facts: GroupFacts) -> Result<(), &'static str> {
    match facts.required().into_iter().find(|(kind, _)| !members.contains(kind)) {
        Some((_, code)) => Err(code),
        None => Ok(()),
    }
}

/// Checks a change from `before` to `after`: refused when it takes away a conditional member the group had (a
/// replacement must keep the capacity). A group that lacked one before (the fact came to light on a later form D)
/// may still be changed: extending it is how the team puts it right.
pub fn check_change_keeps_members(
    before: &[GroupMemberKind],
    after: &[GroupMemberKind],
    facts: GroupFacts,
) -> Result<(), &'static str> {
    match facts.required().into_iter().find(|(kind, _)| before.contains(kind) && !after.contains(kind)) {
        Some((_, code)) => Err(code),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Answers, FormVersion, definition, validate};
    use GroupMemberKind as K;

    fn form(kind: FormKind, version: FormVersion, pairs: &[(&str, &str)]) -> ValidatedAnswers {
        let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        validate(definition(kind, version).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn a_soldier_on_form_a_needs_the_military_police_and_supervision_on_form_d_a_probation_officer() {
        let a = form(
            FormKind::A,
            FormVersion::V2023,
            &[
                ("header.filled_at", "2026-03-02T08:30"),
                ("affected_persons[0].first_name", "Anna"),
                ("affected_persons[0].last_name", "Kowalska"),
                ("suspected_persons[0].first_name", "Jan"),
                ("suspected_persons[0].last_name", "Kowalski"),
                ("suspected_persons[0].is_soldier", "true"),
                ("violence.forms", "physical"),
                ("household.children_present", "false"),
                ("firearm.has_firearm", "no"),
                ("filled_by.category", "police"),
                ("filled_by.first_name", "Piotr"),
                ("filled_by.last_name", "Wiśniewski"),
                ("filled_by.institution", "Komenda Powiatowa Policji"),
            ],
        );
        let facts = GroupFacts::of_forms([&a]);
        assert_eq!(facts, GroupFacts { suspect_is_soldier: true, suspect_under_probation: false });
        let core = [K::SocialWorker, K::PoliceOfficer];
        assert_eq!(check_conditional_members(&core, facts), Err("err-group-needs-military-police"));
        assert_eq!(check_conditional_members(&[K::SocialWorker, K::PoliceOfficer, K::MilitaryPolice], facts), Ok(()));

        let d = form(
            FormKind::D,
            FormVersion::V2023,
            &[
                ("header.date", "2026-03-04"),
                ("suspected_person.first_name", "Jan"),
                ("suspected_person.last_name", "Kowalski"),
                ("convictions.probation_supervision", "yes"),
            ],
        );
        let facts = GroupFacts::of_forms([&a, &d]);
        assert!(facts.suspect_under_probation);
        assert_eq!(
            check_conditional_members(&[K::SocialWorker, K::PoliceOfficer, K::MilitaryPolice], facts),
            Err("err-group-needs-probation-officer")
        );
        let unknown = form(
            FormKind::D,
            FormVersion::V2023,
            &[
                ("header.date", "2026-03-04"),
                ("suspected_person.first_name", "Jan"),
                ("suspected_person.last_name", "Kowalski"),
                ("convictions.probation_supervision", "not_established"),
            ],
        );
        assert_eq!(GroupFacts::of_forms([&unknown]), GroupFacts::default());
    }

    #[test]
    fn a_replacement_keeps_a_conditional_member_but_a_group_missing_one_can_still_be_extended() {
        let facts = GroupFacts { suspect_is_soldier: false, suspect_under_probation: true };
        let before = [K::SocialWorker, K::PoliceOfficer, K::ProbationOfficer];
        let after = [K::SocialWorker, K::PoliceOfficer, K::Teacher];
        assert_eq!(check_change_keeps_members(&before, &after, facts), Err("err-group-needs-probation-officer"));
        let core = [K::SocialWorker, K::PoliceOfficer];
        let extended = [K::SocialWorker, K::PoliceOfficer, K::Teacher];
        assert_eq!(check_change_keeps_members(&core, &extended, facts), Ok(()));
    }
}
