//! Who owns an action of the support plan: a member of the case's support group or an institution, chosen from a list
//! the case supplies when the form is shown ([`super::FieldType::Owner`]).
//!
//! The raw answer is `member:<account uuid>` or `institution:<code>` (an [`InstitutionKind`] value). Neither is
//! personal data: the store keeps them in clear so reminders reach the owner and figures can count by institution,
//! and pages render the member's name from the account when they are read. Plan items recorded before the owner was
//! chosen from a list hold free text; it is read back as [`PlanOwner::AsRecorded`] and shown as typed, never
//! accepted for a new or changed owner (the store refuses it).

use uuid::Uuid;

use crate::procedure::lifecycle::GroupMemberKind;
use crate::tenant::InstitutionKind;

/// The path of a support-plan item's owner (`forms::records::PLAN_ITEM`), where its errors are reported.
pub const PLAN_OWNER_PATH: &str = "item.responsible";

/// The prefix of a member owner's raw answer.
const MEMBER: &str = "member:";
/// The prefix of an institution owner's raw answer.
const INSTITUTION: &str = "institution:";

/// The owner of a support-plan action.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PlanOwner {
    /// A member of the case's support group, by account.
    Member(Uuid),
    /// An institution, by kind.
    Institution(InstitutionKind),
    /// Free text typed before owners were chosen from a list: shown as recorded.
    AsRecorded(String),
}

impl PlanOwner {
    /// Reads a raw answer: a chosen member or institution, or earlier free text. A value that looks chosen but names
    /// no account or no institution kind is refused (`err-owner-unknown`); text is at most `max` characters of one
    /// line.
    pub fn parse(raw: &str, max: u16) -> Result<PlanOwner, &'static str> {
        let raw = raw.trim();
        if let Some(id) = raw.strip_prefix(MEMBER) {
            return Uuid::parse_str(id.trim()).map(PlanOwner::Member).map_err(|_| "err-owner-unknown");
        }
        if let Some(code) = raw.strip_prefix(INSTITUTION) {
            return InstitutionKind::parse(code).map(PlanOwner::Institution).map_err(|_| "err-owner-unknown");
        }
        if raw.chars().any(char::is_control) {
            return Err("err-control-chars");
        }
        if raw.chars().count() > usize::from(max) {
            return Err("err-too-long");
        }
        Ok(PlanOwner::AsRecorded(raw.to_owned()))
    }

    /// The canonical raw answer: [`PlanOwner::parse`] reads it back to the same owner.
    pub fn to_raw(&self) -> String {
        match self {
            PlanOwner::Member(id) => format!("{MEMBER}{id}"),
            PlanOwner::Institution(kind) => format!("{INSTITUTION}{}", kind.as_str()),
            PlanOwner::AsRecorded(text) => text.clone(),
        }
    }

    /// What is kept in clear to count and to remind: the kind (`member`, `institution`), the account and the
    /// institution code. Nothing for free text.
    pub fn columns(&self) -> Option<(&'static str, Option<Uuid>, Option<&'static str>)> {
        match self {
            PlanOwner::Member(id) => Some(("member", Some(*id), None)),
            PlanOwner::Institution(kind) => Some(("institution", None, Some(kind.as_str()))),
            PlanOwner::AsRecorded(_) => None,
        }
    }
}

impl GroupMemberKind {
    /// The institution a member in this capacity usually comes from, when the team's register does not say: the
    /// reminder of an action owned by an institution goes to the group's members from it.
    pub fn usual_institution(self) -> Option<InstitutionKind> {
        match self {
            GroupMemberKind::SocialWorker => Some(InstitutionKind::SocialWelfare),
            GroupMemberKind::PoliceOfficer => Some(InstitutionKind::Police),
            GroupMemberKind::ProbationOfficer => Some(InstitutionKind::ProbationOfficer),
            GroupMemberKind::Teacher => Some(InstitutionKind::Education),
            GroupMemberKind::HealthWorker => Some(InstitutionKind::HealthCare),
            GroupMemberKind::AlcoholCommission => Some(InstitutionKind::AlcoholCommission),
            // The Military Police is no institution of the team; a psychologist or anyone else may come from any.
            GroupMemberKind::MilitaryPolice | GroupMemberKind::Psychologist | GroupMemberKind::Other => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_owner_reads_back_to_itself() {
        let id = Uuid::from_u128(7);
        for owner in [PlanOwner::Member(id), PlanOwner::Institution(InstitutionKind::Police)] {
            assert_eq!(PlanOwner::parse(&owner.to_raw(), 300), Ok(owner));
        }
        assert_eq!(
            PlanOwner::parse("institution:police", 300).unwrap().columns(),
            Some(("institution", None, Some("police")))
        );
    }

    #[test]
    fn a_malformed_choice_is_refused_and_earlier_text_is_kept_as_recorded() {
        assert_eq!(PlanOwner::parse("member:not-a-uuid", 300), Err("err-owner-unknown"));
        assert_eq!(PlanOwner::parse("institution:circus", 300), Err("err-owner-unknown"));
        assert_eq!(PlanOwner::parse("MOPS, p. Nowak", 300), Ok(PlanOwner::AsRecorded("MOPS, p. Nowak".into())));
        assert_eq!(PlanOwner::parse("MOPS, p. Nowak", 3), Err("err-too-long"));
        assert_eq!(PlanOwner::parse("MOPS, p. Nowak", 300).unwrap().columns(), None);
    }
}
