//! Rules that span several of a case's records (the records themselves are defined in [`crate::forms::records`]).
//!
//! The persons experiencing and using violence are never invited to the same place at the same time (REG11 §17
//! ust. 2 \[P\]; for REG23 the press and the aid sites say the meetings are separate \[S\]). Ostoja refuses to plan a
//! meeting with one of them that overlaps, or comes within [`SEPARATION`] of, a planned meeting with the other in the
//! same case, wherever either is held: a corridor or a car park is enough for an encounter.

use jiff::{SignedDuration, Timestamp};

/// With whom a meeting of the support group is (the `meeting.with_whom` choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingWith {
    GroupOnly,
    AffectedPerson,
    SuspectedPerson,
}

impl MeetingWith {
    pub fn parse(s: &str) -> Option<MeetingWith> {
        match s {
            "group_only" => Some(MeetingWith::GroupOnly),
            "affected_person" => Some(MeetingWith::AffectedPerson),
            "suspected_person" => Some(MeetingWith::SuspectedPerson),
            _ => None,
        }
    }

    /// Whether meetings with `self` and with `other` must be kept apart.
    fn must_avoid(self, other: MeetingWith) -> bool {
        matches!(
            (self, other),
            (MeetingWith::AffectedPerson, MeetingWith::SuspectedPerson)
                | (MeetingWith::SuspectedPerson, MeetingWith::AffectedPerson)
        )
    }
}

/// The least time between a meeting with one of the two persons and a meeting with the other (our reading, \[U\];
/// listed in docs/legal-assumptions.md).
pub const SEPARATION: SignedDuration = SignedDuration::from_mins(30);

/// How long a meeting is taken to last when its end is not given.
pub const DEFAULT_LENGTH: SignedDuration = SignedDuration::from_hours(1);

/// One planned meeting, as far as the separation rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingSlot {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub with_whom: MeetingWith,
}

impl MeetingSlot {
    /// A slot from its start and optional end; an end before the start is taken as the default length.
    pub fn new(starts_at: Timestamp, ends_at: Option<Timestamp>, with_whom: MeetingWith) -> MeetingSlot {
        let default_end = starts_at.checked_add(DEFAULT_LENGTH).unwrap_or(starts_at);
        let ends_at = ends_at.filter(|e| *e > starts_at).unwrap_or(default_end);
        MeetingSlot { starts_at, ends_at, with_whom }
    }

    fn padded(&self) -> (Timestamp, Timestamp) {
        (
            self.starts_at.checked_sub(SEPARATION).unwrap_or(self.starts_at),
            self.ends_at.checked_add(SEPARATION).unwrap_or(self.ends_at),
        )
    }
}

/// The message id when `new` would bring the two persons together with one of `planned`, or `None` when it may be
/// planned.
pub fn separation_refusal(new: &MeetingSlot, planned: &[MeetingSlot]) -> Option<&'static str> {
    let (from, to) = new.padded();
    planned
        .iter()
        .any(|other| new.with_whom.must_avoid(other.with_whom) && other.starts_at < to && from < other.ends_at)
        .then_some("err-meeting-both-persons-same-time")
}

/// The message id when a meeting's end is not after its start.
pub fn end_refusal(starts_at: Timestamp, ends_at: Option<Timestamp>) -> Option<&'static str> {
    ends_at.filter(|e| *e <= starts_at).map(|_| "err-meeting-ends-before-start")
}

/// What the presence rules of procedure.md §2.4 need to know of a case's persons experiencing violence: whether they
/// are all children, or all adults who cannot cope alone because of age, mental or physical state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AffectedPresence {
    pub all_minors: bool,
    pub all_unable_to_cope: bool,
}

impl AffectedPresence {
    /// From the persons of the case's forms A (each person's role and flags), for a meeting on `day`: age counts on
    /// the meeting's day, not the form's.
    pub fn on<'a>(
        persons: impl IntoIterator<Item = &'a crate::person::Person>,
        day: jiff::civil::Date,
    ) -> AffectedPresence {
        let affected: Vec<&crate::person::Person> =
            persons.into_iter().filter(|p| p.role() == crate::person::PersonRole::AffectedPerson).collect();
        if affected.is_empty() {
            return AffectedPresence::default();
        }
        AffectedPresence {
            all_minors: affected.iter().all(|p| p.is_minor_on(day)),
            all_unable_to_cope: affected.iter().all(|p| !p.is_minor_on(day) && p.is_unable_to_cope()),
        }
    }
}

/// Why a meeting "with the person experiencing violence" cannot be planned as typed, as (field path, message id):
/// - a child is not invited to the group's meetings (REG11 §8 ust. 4 \[P\]; kept in REG23 \[U\]): when every such
///   person of the case is a minor, the meeting names who comes for the child (a parent, a legal or actual guardian,
///   or, when the parents are the suspected persons, an adult close person);
/// - an adult who cannot cope alone takes part with a legal or actual guardian or an adult they name \[S\]: the
///   meeting names that person.
///
/// When only some of the persons are children, the meeting is with an adult one and nothing is asked.
pub fn presence_refusal(
    with: MeetingWith,
    who: AffectedPresence,
    child_represented_by: Option<&str>,
    companion: Option<&str>,
) -> Option<(&'static str, &'static str)> {
    if with != MeetingWith::AffectedPerson {
        return None;
    }
    let blank = |v: Option<&str>| v.is_none_or(|v| v.trim().is_empty());
    if who.all_minors && blank(child_represented_by) {
        return Some(("meeting.child_represented_by", "err-meeting-child-not-invited"));
    }
    if who.all_unable_to_cope && blank(companion) {
        return Some(("meeting.companion", "err-meeting-companion-required"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn slot(start: &str, end: &str, with: MeetingWith) -> MeetingSlot {
        MeetingSlot::new(t(start), Some(t(end)), with)
    }

    #[test]
    fn the_two_persons_are_never_invited_to_overlapping_meetings() {
        let affected = slot("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", MeetingWith::AffectedPerson);
        let suspect = slot("2026-03-10T09:30:00Z", "2026-03-10T10:30:00Z", MeetingWith::SuspectedPerson);
        assert_eq!(separation_refusal(&suspect, &[affected]), Some("err-meeting-both-persons-same-time"));
    }

    #[test]
    fn meetings_with_the_two_persons_keep_half_an_hour_apart() {
        let affected = slot("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", MeetingWith::AffectedPerson);
        let too_soon = slot("2026-03-10T10:20:00Z", "2026-03-10T11:00:00Z", MeetingWith::SuspectedPerson);
        assert!(separation_refusal(&too_soon, &[affected]).is_some());
        let apart = slot("2026-03-10T10:30:00Z", "2026-03-10T11:00:00Z", MeetingWith::SuspectedPerson);
        assert_eq!(separation_refusal(&apart, &[affected]), None);
    }

    #[test]
    fn meetings_of_the_group_alone_or_with_the_same_person_may_overlap() {
        let affected = slot("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", MeetingWith::AffectedPerson);
        let group = slot("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z", MeetingWith::GroupOnly);
        let again = slot("2026-03-10T09:15:00Z", "2026-03-10T10:00:00Z", MeetingWith::AffectedPerson);
        assert_eq!(separation_refusal(&group, &[affected]), None);
        assert_eq!(separation_refusal(&again, &[affected]), None);
    }

    #[test]
    fn a_meeting_without_an_end_lasts_an_hour_and_an_end_before_the_start_is_refused() {
        let s = MeetingSlot::new(t("2026-03-10T09:00:00Z"), None, MeetingWith::GroupOnly);
        assert_eq!(s.ends_at, t("2026-03-10T10:00:00Z"));
        assert_eq!(
            end_refusal(t("2026-03-10T09:00:00Z"), Some(t("2026-03-10T08:00:00Z"))),
            Some("err-meeting-ends-before-start")
        );
        assert_eq!(end_refusal(t("2026-03-10T09:00:00Z"), None), None);
    }

    proptest! {
        #[test]
        fn refusal_is_symmetric_and_matches_the_padded_overlap(
            a in 0i64..10_000, la in 1i64..300, b in 0i64..10_000, lb in 1i64..300,
        ) {
            let base = t("2026-03-10T00:00:00Z");
            let at = |m: i64| base.checked_add(SignedDuration::from_mins(m)).unwrap();
            let x = MeetingSlot::new(at(a), Some(at(a + la)), MeetingWith::AffectedPerson);
            let y = MeetingSlot::new(at(b), Some(at(b + lb)), MeetingWith::SuspectedPerson);
            let clash = separation_refusal(&x, &[y]).is_some();
            prop_assert_eq!(clash, separation_refusal(&y, &[x]).is_some());
            let apart = b >= a + la + 30 || a >= b + lb + 30;
            prop_assert_eq!(clash, !apart);
        }
    }
}
