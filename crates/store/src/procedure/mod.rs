//! The Blue Card procedure in storage: opening by form A, recognising the same people, need-to-know access to each
//! case, the command log from which the domain rebuilds the state, the timeline and the deadlines.
//!
//! Guarantees:
//! - A case is reached only through a [`CaseHandle`], which [`Store::case_access`](crate::Store::case_access) hands
//!   out to those with a need to know, by the rule written once in `crate::access`: the team's chair, deputy and
//!   secretary; the members of the case's support group until its monitoring has ended; and whoever filed one of its
//!   forms A (their own forms A and the status) — each only while in good standing in the team's register and, for
//!   staff and group, with a signed confidentiality declaration. Anyone else gets `NotFound`, exactly as for a case
//!   that does not exist.
//! - Form answers are personal data throughout: stored as one encrypted document per form, read only through a
//!   handle, and every read is in the audit trail.
//! - People are recognised across forms A by blind indexes of their PESEL or name with birth date; nothing in the
//!   index can be read back.
//! - The state is never stored as truth: it is rebuilt from the accepted commands by `domain::procedure::lifecycle`,
//!   and deadlines are computed from it on the Polish calendar.
//!
//! Where things are: `access` (the handle and who gets one), `opening` (form A opens a case, recognition, attaching a
//! further form A; `intake` keeps what the staff must decide), `forms` (storing, adding and reading forms), `commands`
//! (the command log: a step at its real date, the log read back), `appointment` (the support group's appointment),
//! `escalation` and `meeting_notice` (what a case tells its people, written through `crate::notify`, which in turn
//! knows nothing of cases);
//! the other submodules are named after their register or page.

mod access;
mod appointment;
mod bulk;
pub mod closing;
mod commands;
mod day;
pub(crate) mod day_cache;
mod documents;
mod escalation;
mod forms;
pub mod grants;
mod group;
mod intake;
mod meeting_notice;
mod opening;
pub mod records;
mod referral;
mod release;
pub(crate) mod replay_cache;
mod seal;
pub mod search;
mod timeliness;
pub mod transfer;
mod view;

pub use access::{CaseAccess, CaseHandle};
pub use appointment::AppointmentBasis;
pub use bulk::{SyntheticActors, SyntheticCase};
pub use closing::{ClosingContext, ClosingRecord};
pub use commands::needs_document;
pub(crate) use commands::polish_datetime;
use commands::{load_log, load_state};
pub use documents::HelpLine;
pub use escalation::EscalationReport;
pub(crate) use forms::read_form;
use forms::{date_field, declares_firearm, filled_at};
pub use grants::{CaseRef, GrantBanner, GrantKind, GrantStatus, GrantView};
pub use group::{GroupCandidate, GroupMemberView};
pub use intake::{IntakeResolution, PendingIntake};
pub use opening::{FormAIntake, MatchedProcedure};
use opening::{MATCH_PURPOSE, all_suspects_present, matching_procedures};
pub use records::{CaseRecord, validate_record};
pub(crate) use referral::referral_of;
pub use referral::{ReferralView, ReferralsView, SuspectedPerson};
pub(crate) use release::releases_of;
pub use release::{ReleaseContents, ReleaseView};
pub use seal::{Audience, CaseSeals, MAX_SEAL_REASON_CHARS, NewSeal, SealCandidate, SealView};
pub use search::{SEARCH_MAX_CASES, SearchHit, SearchResult};
pub use timeliness::{Breach, RuleTally, TimelinessReport, UpcomingMeeting};
pub use view::{
    CaseListFilter, DashboardCase, DeadlineView, FormView, PHASE_NAMES, ProcedurePage, ProcedureSummary, ProcedureView,
    TimelineEntry, phase_name,
};
pub(crate) use view::{deadlines as case_deadlines, replayed_many};

// Reached by the submodules through `super::` (transfer.rs reads the recognition keys from here).
use domain::procedure::intake::recognition_keys;
