//! Retention periods as data (issue 20, item 5): how long each kind of record is kept after the event that starts
//! its period, the default, and the bounds within which the municipality's data protection officer may set it.
//!
//! The act sets no period for the procedure's documentation (procedure.md §1.9, \[P\] absence); the defaults and bounds
//! here are our reading and are listed, each with its basis or an \[U\] mark, in docs/legal-assumptions.md §14. A
//! correction is a change to one of the rules below ([`PROCEDURE`], [`FORM_DRAFT`], [`AUDIT_ENTRY`],
//! [`DEPARTED_ACCOUNT`]).

use jiff::civil::Date;

use crate::calendar;

/// The kinds of record that have a retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// A procedure's whole documentation (forms, records, persons, documents), counted from its end: the end of
    /// monitoring, or its closing or transfer when no monitoring followed.
    Procedure,
    /// A form's half-typed draft, counted from its last change.
    FormDraft,
    /// An entry of the audit trail, counted from its moment.
    AuditEntry,
    /// The account of someone who left the team, counted from its deactivation.
    DepartedAccount,
}

/// The unit a period is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodUnit {
    Days,
    Years,
}

/// One kind's rule: its default and bounds (inclusive), in its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRule {
    pub kind: RecordKind,
    pub unit: PeriodUnit,
    pub default: u32,
    pub min: u32,
    pub max: u32,
}

// The rules, one per kind. See docs/legal-assumptions.md §7 for the basis of each.

/// \[U\] no source for a period: the controller's file classification list decides; 10 years is a placeholder. Not
/// under 5 years, so a mistyped value cannot wipe recent cases.
pub const PROCEDURE: RetentionRule =
    RetentionRule { kind: RecordKind::Procedure, unit: PeriodUnit::Years, default: 10, min: 5, max: 50 };
/// The software's convention: a draft is a working copy, kept no longer than it is useful (art. 5 ust. 1 lit. e
/// GDPR, storage limitation).
pub const FORM_DRAFT: RetentionRule =
    RetentionRule { kind: RecordKind::FormDraft, unit: PeriodUnit::Days, default: 30, min: 1, max: 90 };
/// \[U\] the trail proves who read what (art. 5 ust. 2 GDPR): it must outlive the documentation it is about.
pub const AUDIT_ENTRY: RetentionRule =
    RetentionRule { kind: RecordKind::AuditEntry, unit: PeriodUnit::Years, default: 10, min: 5, max: 50 };
/// \[U\] the account's name is what the documentation and the trail point to; kept while a question about who did
/// something can still be asked.
pub const DEPARTED_ACCOUNT: RetentionRule =
    RetentionRule { kind: RecordKind::DepartedAccount, unit: PeriodUnit::Years, default: 5, min: 1, max: 50 };

impl RecordKind {
    pub const ALL: [RecordKind; 4] =
        [RecordKind::Procedure, RecordKind::FormDraft, RecordKind::AuditEntry, RecordKind::DepartedAccount];

    /// The stable name used in the database, the audit trail and the form fields.
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Procedure => "procedure",
            RecordKind::FormDraft => "form_draft",
            RecordKind::AuditEntry => "audit_entry",
            RecordKind::DepartedAccount => "departed_account",
        }
    }

    pub fn parse(s: &str) -> Result<RecordKind, &'static str> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or("err-retention-kind")
    }

    pub fn rule(self) -> RetentionRule {
        match self {
            RecordKind::Procedure => PROCEDURE,
            RecordKind::FormDraft => FORM_DRAFT,
            RecordKind::AuditEntry => AUDIT_ENTRY,
            RecordKind::DepartedAccount => DEPARTED_ACCOUNT,
        }
    }
}

impl RetentionRule {
    /// Checks a period typed by the officer: a whole number within the bounds, else the message id for the field.
    pub fn parse_period(&self, typed: &str) -> Result<u32, &'static str> {
        let n: u32 = typed.trim().parse().map_err(|_| "err-retention-number")?;
        if n < self.min || n > self.max { Err("err-retention-bounds") } else { Ok(n) }
    }

    /// The last day of the period of `amount` units that starts on `start` (a day in Poland): the record may be
    /// erased from the day after.
    pub fn last_day(&self, start: Date, amount: u32) -> Result<Date, calendar::CalendarError> {
        match self.unit {
            PeriodUnit::Days => calendar::add_days(start, amount),
            PeriodUnit::Years => calendar::add_months(start, amount.saturating_mul(12)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn every_kind_has_its_own_rule_with_the_default_inside_the_bounds() {
        for kind in RecordKind::ALL {
            let rule = kind.rule();
            assert_eq!(rule.kind, kind);
            assert!(rule.min <= rule.default && rule.default <= rule.max, "{kind:?}");
            assert_eq!(RecordKind::parse(kind.as_str()), Ok(kind));
        }
    }

    #[test]
    fn a_period_outside_the_bounds_or_not_a_number_is_refused_with_its_own_message() {
        let rule = RecordKind::Procedure.rule();
        assert_eq!(rule.parse_period(" 12 "), Ok(12));
        assert_eq!(rule.parse_period("4"), Err("err-retention-bounds"));
        assert_eq!(rule.parse_period("51"), Err("err-retention-bounds"));
        assert_eq!(rule.parse_period("dziesięć"), Err("err-retention-number"));
        assert_eq!(rule.parse_period("-3"), Err("err-retention-number"));
    }

    #[test]
    fn a_period_in_years_ends_on_the_same_day_number_and_one_in_days_counts_from_the_next_day() {
        let years = RecordKind::Procedure.rule();
        assert_eq!(years.last_day(date(2016, 2, 29), 10).ok(), Some(date(2026, 2, 28)));
        let days = RecordKind::FormDraft.rule();
        assert_eq!(days.last_day(date(2026, 1, 31), 30).ok(), Some(date(2026, 3, 2)));
    }
}
