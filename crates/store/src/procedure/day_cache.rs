//! Each municipality's running cases kept between two home pages (issue 16 item 1, speed).
//!
//! The home page counts the open deadlines of every running case an account may see: at 10,000 procedures that is
//! over 4,000 cases, and reading their rows and their records' clocks on every load was most of the page's time
//! (docs/benchmarks.md). Those inputs change only when a case or a clock-keeping record does, so the whole
//! municipality's list (every running case, whoever may see it) is kept here under a fingerprint read from the
//! database on every look:
//! - every change of a case's log moves its `procedure.version` in the same transaction, and so does every change of
//!   its phase (the only writes of `phase`), so the sum of the versions grows; a new case adds one to the count and
//!   is the newest `created_at`; an erased one takes one from the count (as in `programme::year_figures_cache`);
//! - every change of a record moves its `case_record.version` and its `updated_at`; a new record adds one to the
//!   count; an erased record takes one away;
//! - the municipality's choice to treat unconfirmed readings as binding is part of it.
//!
//! What is kept holds no personal data (case numbers, phases, the state machine's output, the records' clock
//! instants) and nothing about who may see a case: need-to-know is asked of the database on every request
//! (`Store::running_cases`). The deadlines themselves are computed for the moment of the request every time, so time
//! alone moves them as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::procedure::lifecycle::ProcedureState;
use uuid::Uuid;

use super::view::{CaseFacts, ProcedureSummary};

/// At most this many municipalities are kept; past it the cache starts empty again (a regional installation's home
/// pages each touch only their own municipality, and one municipality's list is a few hundred kilobytes at most).
const CAPACITY: usize = 512;

/// What identifies the state of a municipality's running cases and their clocks (see the module's comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DayFingerprint {
    pub(crate) procedures: i64,
    pub(crate) versions: i64,
    pub(crate) newest: Option<jiff::Timestamp>,
    pub(crate) records: i64,
    pub(crate) record_versions: i64,
    pub(crate) record_newest: Option<jiff::Timestamp>,
    pub(crate) escalate_unconfirmed: bool,
}

/// One running case as the home page needs it, whoever may see it.
#[derive(Debug)]
pub(crate) struct KeptCase {
    pub(crate) summary: ProcedureSummary,
    pub(crate) state: Arc<ProcedureState>,
    pub(crate) facts: CaseFacts,
}

/// A municipality's running cases, newest first.
pub(crate) type KeptDay = Arc<Vec<KeptCase>>;

#[derive(Default)]
pub(crate) struct DayCache {
    kept: Mutex<HashMap<Uuid, (DayFingerprint, KeptDay)>>,
}

impl std::fmt::Debug for DayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DayCache").field("municipalities", &self.lock().len()).finish()
    }
}

impl DayCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (DayFingerprint, KeptDay)>> {
        // The map holds plain values, each inserted whole: a panic elsewhere cannot leave one half-written.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The list kept for `tenant` when its cases are exactly as `now` says.
    pub(crate) fn get(&self, tenant: Uuid, now: &DayFingerprint) -> Option<KeptDay> {
        self.lock().get(&tenant).filter(|(kept, _)| kept == now).map(|(_, day)| Arc::clone(day))
    }

    /// Keeps the list read at fingerprint `at`. The list may be newer than `at` (a step recorded between the two
    /// reads): the next look then reads another fingerprint and reads the list again, never an older one.
    pub(crate) fn keep(&self, tenant: Uuid, at: DayFingerprint, day: KeptDay) {
        let mut kept = self.lock();
        if kept.len() >= CAPACITY && !kept.contains_key(&tenant) {
            kept.clear();
        }
        kept.insert(tenant, (at, day));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(versions: i64, record_versions: i64) -> DayFingerprint {
        DayFingerprint {
            procedures: 10,
            versions,
            newest: None,
            records: 3,
            record_versions,
            record_newest: None,
            escalate_unconfirmed: false,
        }
    }

    fn day(n: usize) -> KeptDay {
        let at: jiff::Timestamp = "2026-01-05T10:00:00Z".parse().unwrap();
        Arc::new(
            (0..n)
                .map(|i| KeptCase {
                    summary: ProcedureSummary {
                        id: Uuid::now_v7(),
                        number: format!("NK/2026/{i:05}"),
                        phase: "opened".into(),
                        opened_at: at,
                    },
                    state: Arc::new(ProcedureState::open(at).0),
                    facts: CaseFacts::default(),
                })
                .collect(),
        )
    }

    #[test]
    fn a_kept_list_is_given_only_for_the_exact_fingerprint_it_was_read_at() {
        let cache = DayCache::default();
        let tenant = Uuid::nil();
        cache.keep(tenant, print(30, 7), day(2));
        assert_eq!(cache.get(tenant, &print(30, 7)).map(|d| d.len()), Some(2));
        assert!(cache.get(tenant, &print(31, 7)).is_none(), "a step appended");
        assert!(cache.get(tenant, &print(30, 8)).is_none(), "a record changed");
        let escalated = DayFingerprint { escalate_unconfirmed: true, ..print(30, 7) };
        assert!(cache.get(tenant, &escalated).is_none(), "the municipality's setting changed");
        let record_added = DayFingerprint { records: 4, ..print(30, 7) };
        assert!(cache.get(tenant, &record_added).is_none(), "a record added");
        assert!(cache.get(Uuid::max(), &print(30, 7)).is_none(), "another municipality");
    }

    #[test]
    fn the_cache_starts_empty_again_past_its_bound() {
        let cache = DayCache::default();
        for _ in 0..CAPACITY {
            cache.keep(Uuid::now_v7(), print(1, 1), day(0));
        }
        assert_eq!(cache.lock().len(), CAPACITY);
        cache.keep(Uuid::max(), print(1, 1), day(1));
        assert_eq!(cache.lock().len(), 1);
    }
}
