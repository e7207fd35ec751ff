//! A support-plan item's owner on pages, documents and the API: chosen from the case's current group members and the
//! institution kinds, and always shown by name (the member's login and capacity, as the group section shows them, or
//! the institution's name), never by account id or code. Free text typed before owners were chosen is shown as typed,
//! marked as such.

use std::collections::HashMap;

use domain::forms::PlanOwner;
use domain::forms::options::LINE_MAX;
use domain::tenant::InstitutionKind;
use store::StoreError;
use store::procedure::{CaseAccess, CaseHandle, GroupMemberView};
use uuid::Uuid;

use crate::i18n::Tr;
use crate::state::AppState;

/// The names of the case's group members, present and past, by account: what an owner's id is shown as.
#[derive(Debug, Clone, Default)]
pub struct OwnerNames {
    names: HashMap<Uuid, String>,
    /// The members in the group now, in the group's order: the owners a user may choose.
    current: Vec<Uuid>,
}

impl OwnerNames {
    pub fn of(t: &Tr, members: &[GroupMemberView]) -> OwnerNames {
        let mut names = HashMap::new();
        let mut current = Vec::new();
        for m in members {
            let capacity = t.get(&format!("member-kind-{}", m.kind));
            let name = match m.left_at {
                None => t.arg2("owner-member", "login", &m.login, "kind", &capacity),
                Some(_) => t.arg2("owner-member-left", "login", &m.login, "kind", &capacity),
            };
            names.insert(m.account_id, name);
            if m.left_at.is_none() {
                current.push(m.account_id);
            }
        }
        OwnerNames { names, current }
    }

    /// The names for a case the user works on; none for an initiator (who sees no records).
    pub async fn load(state: &AppState, t: &Tr, handle: &CaseHandle) -> Result<OwnerNames, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Ok(OwnerNames::default());
        }
        Ok(OwnerNames::of(t, &state.store.group_members(handle).await?))
    }

    /// An owner as a reader sees it.
    pub fn shown(&self, t: &Tr, owner: &PlanOwner) -> String {
        match owner {
            PlanOwner::Member(id) => self.names.get(id).cloned().unwrap_or_else(|| t.get("owner-member-unknown")),
            PlanOwner::Institution(kind) => t.get(&format!("kind-{}", kind.as_str())),
            PlanOwner::AsRecorded(text) => t.arg("owner-as-recorded", "text", text),
        }
    }

    /// A raw stored answer as a reader sees it.
    pub fn shown_raw(&self, t: &Tr, raw: &str) -> String {
        match PlanOwner::parse(raw, LINE_MAX) {
            Ok(owner) => self.shown(t, &owner),
            Err(_) => t.arg("owner-as-recorded", "text", raw),
        }
    }

    /// The member's name, for a document (the PDF prints what the page shows).
    pub fn member_names(&self) -> &HashMap<Uuid, String> {
        &self.names
    }

    /// The choices of the owner's select, (raw value, label): the current members, then the institution kinds. A
    /// `typed` value that is none of them (an old item's free text, a member who left) is offered too, so the reader
    /// sees what the item says; saving it again is refused beside the field unless it is unchanged free text.
    pub fn choices(&self, t: &Tr, typed: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .current
            .iter()
            .map(|id| {
                let owner = PlanOwner::Member(*id);
                (owner.to_raw(), self.shown(t, &owner))
            })
            .collect();
        out.extend(InstitutionKind::ALL.into_iter().map(|kind| {
            let owner = PlanOwner::Institution(kind);
            (owner.to_raw(), t.arg("owner-institution", "name", &self.shown(t, &owner)))
        }));
        let typed = typed.trim();
        if !typed.is_empty() && !out.iter().any(|(raw, _)| raw == typed) {
            out.insert(0, (typed.to_owned(), self.shown_raw(t, typed)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(n: u128, login: &str, left: bool) -> GroupMemberView {
        GroupMemberView {
            account_id: Uuid::from_u128(n),
            login: login.to_owned(),
            kind: "social_worker".to_owned(),
            joined_at: None,
            left_at: left.then_some(jiff::Timestamp::UNIX_EPOCH),
            by_extension: false,
            coordinator: false,
        }
    }

    #[test]
    fn only_current_members_are_offered_and_an_older_items_text_is_shown_as_typed() {
        let t = Tr::default();
        let names = OwnerNames::of(&t, &[member(1, "anna.nowak", false), member(2, "jan.stary", true)]);
        let choices = names.choices(&t, "OIK Jasło");
        assert_eq!(choices[0], ("OIK Jasło".to_owned(), "OIK Jasło (wpisano tekstem)".to_owned()));
        let current = PlanOwner::Member(Uuid::from_u128(1)).to_raw();
        assert!(choices.contains(&(current, "anna.nowak: pracownik socjalny".to_owned())));
        assert!(!choices.iter().any(|(raw, _)| raw.contains(&Uuid::from_u128(2).to_string())), "a member who left");
        assert_eq!(choices.len(), 2 + InstitutionKind::ALL.len());
        let left = PlanOwner::Member(Uuid::from_u128(2));
        assert_eq!(names.shown(&t, &left), "jan.stary: pracownik socjalny (już poza grupą)");
        assert_eq!(names.shown_raw(&t, "institution:police"), "Policja");
    }
}
