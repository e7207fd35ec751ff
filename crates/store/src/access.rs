//! Need-to-know, written once. Every query that decides whether an account may see a case, or lists the cases it may
//! see, or the accounts that may see a case, takes its condition from the SQL fragments here (macros producing string
//! literals, so every query stays a compile-time literal), and nowhere else.
//!
//! The rule: access to a case comes from a *current* role in it, never from something done in the past.
//! - The team's staff (chair, deputy chair, secretary) see every case of their municipality.
//! - A member of the case's support group sees it while the procedure runs and during its monitoring, not after the
//!   monitoring has ended, and not after being replaced in the group.
//! - Whoever filled a form A of the case sees their own forms A and the case's status, nothing more (the forms C and
//!   D they may have typed as a group member are not "their own" once the monitoring has ended).
//! - An account linked to a record of the team's register (`team_member.account_id`) keeps any of this only while
//!   one of its records is current: not left (`left_on` unset or after today) and within its term (`term_ends_on`
//!   unset or today or later). An account with a staff role that is not linked to any record is staff on the
//!   administrator's word (the role is granted by the administrator; a municipality may run before its register is
//!   typed in); once linked, the register rules.
//! - Art. 9c ust. 3: staff and group access need a signed confidentiality declaration. For a current member of the
//!   team it is the one recorded on the member's record (`team_member.confidentiality_signed_on`); for anyone else
//!   (a group member from outside the team, a staff account not in the register) the one recorded for the account
//!   (`account_confidentiality`, a declaration or an authorisation). An initiator reading back their own form A needs
//!   none: it is what they wrote (docs/legal-assumptions.md).
//! - A current grant (`case_grant`, issue 20) lets an account holding the group-member role read a case it has no
//!   other way into, as a group member would see it but acting on nothing: a break-glass opening (a member of the
//!   team who is not in the case's group, in an emergency, with a written reason, for hours) or access the chair
//!   gave (an expert, a new member), with or without a last day. A grant counts from `granted_at` up to, not
//!   including, `ends_at`, and not at all once `ended_at` is set (ended early): from its end instant it gives
//!   nothing, in the case, in every list, in "who can see it". Standing and the declaration apply to it as to a group
//!   member.
//! - Who may break glass: an account holding the group-member role with a *current record in the team's register*
//!   and a signed declaration: a police officer, teacher or therapist who sits on the team but not in this case's
//!   group. The staff never need to (they see every case); an initiator, the administrator, the data protection
//!   officer, a reporter or a viewer never may, nor a group member from outside the team (not in the register).
//!   (docs/legal-assumptions.md.)
//!
//! The fragments refer to the case as `p` (a row of `procedure`) and take the account, the role flags, today's date
//! (ISO text, Polish calendar) and, for grants, the instant now (a bound timestamp) as SQL text: a placeholder such as
//! `"$2"` or a column such as `"a.id"`.

/// True when the account at `$account` has a current record in the team's register on `$today`.
macro_rules! membership_current_sql {
    ($account:literal, $today:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM team_member tmc WHERE tmc.account_id = ",
            $account,
            " AND (tmc.left_on IS NULL OR tmc.left_on > ",
            $today,
            ") AND (tmc.term_ends_on IS NULL OR tmc.term_ends_on >= ",
            $today,
            "))"
        )
    };
}
pub(crate) use membership_current_sql;

/// True when the account at `$account` is in good standing on `$today`: not linked to the team's register, or linked
/// with a current record. An account whose membership ended (left, or term over) is not, from that day.
macro_rules! standing_sql {
    ($account:literal, $today:literal) => {
        concat!(
            "(NOT EXISTS (SELECT 1 FROM team_member tml WHERE tml.account_id = ",
            $account,
            ") OR ",
            crate::access::membership_current_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use standing_sql;

/// True when the account at `$account` has signed the confidentiality declaration (art. 9c ust. 3): on its record
/// in the team's register current on `$today` if it has one, else recorded for the account itself. (The date signed is
/// not compared with today: a date in the future is refused when it is recorded.)
macro_rules! declaration_signed_sql {
    ($account:literal, $today:literal) => {
        concat!(
            "(EXISTS (SELECT 1 FROM team_member tds WHERE tds.account_id = ",
            $account,
            " AND (tds.left_on IS NULL OR tds.left_on > ",
            $today,
            ") AND (tds.term_ends_on IS NULL OR tds.term_ends_on >= ",
            $today,
            ") AND tds.confidentiality_signed_on IS NOT NULL) OR (NOT ",
            crate::access::membership_current_sql!($account, $today),
            " AND EXISTS (SELECT 1 FROM account_confidentiality acs WHERE acs.account_id = ",
            $account,
            ")))"
        )
    };
}
pub(crate) use declaration_signed_sql;

/// Staff access to case `p`: `$staff` is the SQL truth of "holds a staff role" (a bound flag from the principal's
/// roles, or an `EXISTS` on `account_role`).
macro_rules! staff_access_sql {
    ($account:literal, $staff:literal, $today:literal) => {
        concat!(
            "(",
            $staff,
            " AND ",
            crate::access::standing_sql!($account, $today),
            " AND ",
            crate::access::declaration_signed_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use staff_access_sql;

/// Support-group access to case `p`: a current member of its group (not replaced: `left_at` unset) holding the
/// group-member role (`$member`), until the monitoring has ended.
macro_rules! group_access_sql {
    ($account:literal, $member:literal, $today:literal) => {
        concat!(
            "(",
            $member,
            " AND p.phase <> 'monitoring_ended' AND EXISTS (SELECT 1 FROM group_member gma WHERE gma.procedure_id = p.id \
             AND gma.left_at IS NULL AND gma.account_id = ",
            $account,
            ") AND ",
            crate::access::standing_sql!($account, $today),
            " AND ",
            crate::access::declaration_signed_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use group_access_sql;

/// Initiator access to case `p`: the account filled one of its forms A (and sees those forms and the status only).
macro_rules! initiator_access_sql {
    ($account:literal, $today:literal) => {
        concat!(
            "(EXISTS (SELECT 1 FROM procedure_form fia WHERE fia.procedure_id = p.id AND fia.kind = 'A' \
             AND fia.entered_by = ",
            $account,
            ") AND ",
            crate::access::standing_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use initiator_access_sql;

/// The conditions on a row `$g` of `case_grant` that make it a grant of case `p` to `$account` current at `$now`:
/// begun, not past its end, not ended early.
macro_rules! grant_current_sql {
    ($g:literal, $account:literal, $now:literal) => {
        concat!(
            $g,
            ".procedure_id = p.id AND ",
            $g,
            ".account_id = ",
            $account,
            " AND ",
            $g,
            ".granted_at <= ",
            $now,
            " AND (",
            $g,
            ".ends_at IS NULL OR ",
            $g,
            ".ends_at > ",
            $now,
            ") AND ",
            $g,
            ".ended_at IS NULL"
        )
    };
}
pub(crate) use grant_current_sql;

/// Grant access to case `p`: a current grant (break-glass or given by the chair) to an account holding the
/// group-member role (`$member`), in good standing and with a signed declaration.
macro_rules! grant_access_sql {
    ($account:literal, $member:literal, $today:literal, $now:literal) => {
        concat!(
            "(",
            $member,
            " AND EXISTS (SELECT 1 FROM case_grant cga WHERE ",
            crate::access::grant_current_sql!("cga", $account, $now),
            ") AND ",
            crate::access::standing_sql!($account, $today),
            " AND ",
            crate::access::declaration_signed_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use grant_access_sql;

/// Who may break glass on case `p`: the group-member role (`$member`), a current record in the team's register and a
/// signed declaration. (Whether the account already sees the case is the caller's question.)
macro_rules! break_glass_eligible_sql {
    ($account:literal, $member:literal, $today:literal) => {
        concat!(
            "(",
            $member,
            " AND ",
            crate::access::membership_current_sql!($account, $today),
            " AND ",
            crate::access::declaration_signed_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use break_glass_eligible_sql;

/// The whole rule: true when the account may see case `p` at all (any of the four ways). The caller still limits
/// `p.tenant_id` to the account's municipality.
macro_rules! case_visible_sql {
    ($account:literal, $staff:literal, $member:literal, $today:literal, $now:literal) => {
        concat!(
            "(",
            crate::access::staff_access_sql!($account, $staff, $today),
            " OR ",
            crate::access::group_access_sql!($account, $member, $today),
            " OR ",
            crate::access::grant_access_sql!($account, $member, $today, $now),
            " OR ",
            crate::access::initiator_access_sql!($account, $today),
            ")"
        )
    };
}
pub(crate) use case_visible_sql;

/// Whether a search may answer with case `p` for the row `s` of `person_search` that matched: the team, the group
/// and a grant see the whole case, so any person of it; an initiator sees only the forms A they filed, so only a
/// person of such a form (`s.form_id`) finds the case for them. Otherwise as [`case_visible_sql`].
macro_rules! search_visible_sql {
    ($account:literal, $staff:literal, $member:literal, $today:literal, $now:literal) => {
        concat!(
            "(",
            crate::access::staff_access_sql!($account, $staff, $today),
            " OR ",
            crate::access::group_access_sql!($account, $member, $today),
            " OR ",
            crate::access::grant_access_sql!($account, $member, $today, $now),
            " OR (EXISTS (SELECT 1 FROM procedure_form fsv WHERE fsv.id = s.form_id AND fsv.procedure_id = p.id \
             AND fsv.kind = 'A' AND fsv.entered_by = ",
            $account,
            ") AND ",
            crate::access::standing_sql!($account, $today),
            "))"
        )
    };
}
pub(crate) use search_visible_sql;

/// Whether the account at `$account` sees the values sealed by seal `s` (a row of `field_seal`): the seal names it,
/// or the seal names nobody and the account is a current member of the case's group as its coordinator or as a
/// social worker (the default, issue 20). Whether the account reaches the case at all is decided before (a
/// `CaseHandle`); this narrows it, never widens it.
macro_rules! seal_visible_sql {
    ($account:literal) => {
        concat!(
            "(EXISTS (SELECT 1 FROM field_seal_viewer sv WHERE sv.seal_id = s.id AND sv.account_id = ",
            $account,
            ") OR (NOT EXISTS (SELECT 1 FROM field_seal_viewer sv2 WHERE sv2.seal_id = s.id) AND EXISTS (SELECT 1 \
             FROM group_member gsv WHERE gsv.procedure_id = s.procedure_id AND gsv.left_at IS NULL AND gsv.account_id = ",
            $account,
            " AND (gsv.coordinator OR gsv.kind = 'social_worker'))))"
        )
    };
}
pub(crate) use seal_visible_sql;

/// Whether the account at `$account` may seal and unseal fields of case `$case`: the chair or deputy chair (`$chair`,
/// a bound flag from the principal's roles, the team access decided before), or the group's current coordinator.
macro_rules! may_seal_sql {
    ($account:literal, $chair:literal, $case:literal) => {
        concat!(
            "(",
            $chair,
            " OR EXISTS (SELECT 1 FROM group_member gsc WHERE gsc.procedure_id = ",
            $case,
            " AND gsc.left_at IS NULL AND gsc.coordinator AND gsc.account_id = ",
            $account,
            "))"
        )
    };
}
pub(crate) use may_seal_sql;

use domain::identity::Role;
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::{Store, StoreError, Tx};

/// The staff roles: the team's chair, deputy chair and secretary.
pub(crate) const STAFF_ROLES: [Role; 3] = [Role::Chair, Role::DeputyChair, Role::Secretary];

/// Whether the principal holds a staff role (the roles of its session or token; the register is checked in SQL).
pub(crate) fn holds_staff_role(principal: &Principal) -> bool {
    STAFF_ROLES.iter().any(|r| principal.roles.contains(*r))
}

/// Whether the principal chairs the team (chair or deputy chair): who seals fields and chooses who sees them.
pub(crate) fn holds_chair_role(principal: &Principal) -> bool {
    principal.roles.contains(Role::Chair) || principal.roles.contains(Role::DeputyChair)
}

/// Whether the principal holds the group-member role.
pub(crate) fn holds_member_role(principal: &Principal) -> bool {
    principal.roles.contains(Role::GroupMember)
}

impl Store {
    /// Today on the Polish calendar, as the ISO text the access fragments compare with.
    pub(crate) fn today_text(&self) -> String {
        self.now().to_zoned(domain::calendar::poland_zone()).date().to_string()
    }
}

/// Whether the principal is the team's staff today with everything that takes: a staff role, good standing in the
/// register and a signed declaration. Pages over the whole municipality's cases (timeliness) ask this.
pub(crate) async fn is_current_staff(tx: &mut Tx, store: &Store, principal: &Principal) -> Result<bool, StoreError> {
    if !holds_staff_role(principal) || principal.tenant_id.is_none() {
        return Ok(false);
    }
    let (staff,): (bool,) = on_tx!(tx, c => sqlx::query_as(concat!(
        "SELECT ", staff_access_sql!("$1", "$2", "$3")))
        .bind(principal.account_id).bind(true).bind(store.today_text()).fetch_one(c).await)?;
    Ok(staff)
}

/// Whether the account is held back from case data as a team member or group member for want of a signed
/// declaration (art. 9c ust. 3), today.
pub(crate) async fn declaration_missing(tx: &mut Tx, store: &Store, account_id: Uuid) -> Result<bool, StoreError> {
    let (signed,): (bool,) = on_tx!(tx, c => sqlx::query_as(concat!(
        "SELECT ", declaration_signed_sql!("$1", "$2")))
        .bind(account_id).bind(store.today_text()).fetch_one(c).await)?;
    Ok(!signed)
}
