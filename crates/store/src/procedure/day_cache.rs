//! Each municipality's running cases kept between two home pages (issue 16 item 1, speed).
//!
//! The home page counts the open deadlines of every running case an account may see: at 10,000 procedures that is
//! over 4,000 cases, and reading their rows and their records' clocks on every load was most of the page's time
//! (docs/benchmarks.md). Those inputs change only when a case, a clock-keeping record or a support group does, so
//! the whole municipality's list (every running case, whoever may see it) is kept here under a fingerprint read
//! from the database on every look:
//! - `tenant_case_change.counter`, which the database itself moves on every insert, update and delete of a
//!   municipality's `procedure`, `case_record`, `group_member` and `procedure_form` rows (triggers, migration 0049),
//!   whatever code
//!   made the write, in the writing transaction;
//! - the municipality's choice to treat unconfirmed readings as binding.
//!
//! Beside the cases, their deadlines as computed at some moment are kept with the instant until which time alone
//! cannot change them (`domain::procedure::deadlines::unchanged_until`: the next midnight in Poland, or an hour-based
//! clock's instant, whichever comes first); a look at or after that instant computes them again. So the page shows
//! exactly what computing afresh would, at every instant.
//!
//! For an account outside the staff, the cases it reaches through its support groups and its forms A are kept too,
//! per account and day, under the same fingerprint (every write of `group_member` and `procedure_form` moves it): a
//! member in thousands of groups
//! is spared listing them on every look. The rest of the rule is asked afresh (`Store::visible_running_cases`).
//!
//! What is kept holds no personal data (case numbers, phases, the state machine's output, the records' clock
//! instants, deadlines) and nothing about who may see a case: need-to-know is asked of the database on every request
//! (`Store::running_cases`).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use domain::procedure::deadlines::unchanged_until;
use domain::procedure::lifecycle::ProcedureState;
use jiff::Timestamp;
use uuid::Uuid;

use super::view::{CaseFacts, DeadlineView, ProcedureSummary};

/// At most this many municipalities are kept; past it the cache starts empty again (a regional installation's home
/// pages each touch only their own municipality, and one municipality's list is a few hundred kilobytes at most).
const CAPACITY: usize = 512;
/// At most this many accounts' reached cases are kept (a few kilobytes each at most).
const REACHED_CAPACITY: usize = 4_096;

/// What identifies the state of a municipality's running cases and their clocks (see the module's comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DayFingerprint {
    pub(crate) changes: i64,
    pub(crate) escalate_unconfirmed: bool,
}

/// One running case as the home page needs it, whoever may see it.
#[derive(Debug)]
pub(crate) struct KeptCase {
    pub(crate) summary: ProcedureSummary,
    pub(crate) state: Arc<ProcedureState>,
    pub(crate) facts: CaseFacts,
}

/// A municipality's running cases, newest first, with their deadlines as last computed.
#[derive(Debug)]
pub(crate) struct TenantDay {
    pub(crate) cases: Vec<KeptCase>,
    computed: Mutex<Option<Computed>>,
}

/// The deadlines of every kept case (in the cases' order), computed at `from`, unchanged by time alone until
/// `until` (exclusive; `None` when every deadline is met).
#[derive(Debug)]
struct Computed {
    from: Timestamp,
    until: Option<Timestamp>,
    deadlines: Arc<Vec<Vec<DeadlineView>>>,
}

impl TenantDay {
    pub(crate) fn new(cases: Vec<KeptCase>) -> TenantDay {
        TenantDay { cases, computed: Mutex::new(None) }
    }

    /// The deadlines of every case at `now` (in the cases' order): those computed before when time alone cannot have
    /// changed them since, else computed afresh with `compute` and kept.
    pub(crate) fn deadlines_at(
        &self,
        now: Timestamp,
        compute: impl Fn(&KeptCase) -> Vec<DeadlineView>,
    ) -> Arc<Vec<Vec<DeadlineView>>> {
        let mut computed = self.computed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = computed.as_ref()
            && kept.from <= now
            && kept.until.is_none_or(|until| now < until)
        {
            return Arc::clone(&kept.deadlines);
        }
        let deadlines: Vec<Vec<DeadlineView>> = self.cases.iter().map(compute).collect();
        let mut until: Option<Timestamp> = None;
        for view in deadlines.iter().flatten() {
            // A calendar that cannot answer keeps nothing: the next look computes again.
            let changes = unchanged_until(&view.state, now).unwrap_or(Some(now));
            until = match (until, changes) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        let deadlines = Arc::new(deadlines);
        *computed = Some(Computed { from: now, until, deadlines: Arc::clone(&deadlines) });
        deadlines
    }
}

pub(crate) type KeptDay = Arc<TenantDay>;

/// Whose reached cases are kept: the municipality, the account, today, and what the rule asks of the account itself
/// (asked afresh on every look, so a change of role, standing or declaration is a different key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReachKey {
    pub(crate) tenant_id: Uuid,
    pub(crate) account_id: Uuid,
    pub(crate) today: String,
    pub(crate) member: bool,
    pub(crate) standing: bool,
    pub(crate) declared: bool,
}

/// The running cases one account reaches through its groups and forms A.
pub(crate) type Reached = Arc<HashSet<Uuid>>;

#[derive(Default)]
pub(crate) struct DayCache {
    kept: Mutex<HashMap<Uuid, (DayFingerprint, KeptDay)>>,
    /// The running cases an account reaches through its support groups and its forms A, under the municipality's
    /// fingerprint (see `Store::visible_running_cases`).
    reached: Mutex<HashMap<ReachKey, (DayFingerprint, Reached)>>,
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

    /// The reached cases kept for `key` when the municipality's cases are exactly as `now` says.
    pub(crate) fn reached(&self, key: &ReachKey, now: &DayFingerprint) -> Option<Reached> {
        let reached = self.reached.lock().unwrap_or_else(PoisonError::into_inner);
        reached.get(key).filter(|(kept, _)| kept == now).map(|(_, ids)| Arc::clone(ids))
    }

    pub(crate) fn keep_reached(&self, key: ReachKey, at: DayFingerprint, ids: Reached) {
        let mut reached = self.reached.lock().unwrap_or_else(PoisonError::into_inner);
        if reached.len() >= REACHED_CAPACITY && !reached.contains_key(&key) {
            reached.clear();
        }
        reached.insert(key, (at, ids));
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

    fn print(changes: i64) -> DayFingerprint {
        DayFingerprint { changes, escalate_unconfirmed: false }
    }

    fn day(n: usize) -> KeptDay {
        let at: Timestamp = "2026-01-05T10:00:00Z".parse().unwrap();
        Arc::new(TenantDay::new(
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
        ))
    }

    #[test]
    fn a_kept_list_is_given_only_for_the_exact_fingerprint_it_was_read_at() {
        let cache = DayCache::default();
        let tenant = Uuid::nil();
        cache.keep(tenant, print(30), day(2));
        assert_eq!(cache.get(tenant, &print(30)).map(|d| d.cases.len()), Some(2));
        assert!(cache.get(tenant, &print(31)).is_none(), "a case, record or group changed");
        let escalated = DayFingerprint { escalate_unconfirmed: true, ..print(30) };
        assert!(cache.get(tenant, &escalated).is_none(), "the municipality's setting changed");
        assert!(cache.get(Uuid::max(), &print(30)).is_none(), "another municipality");
    }

    #[test]
    fn kept_deadlines_are_computed_again_exactly_when_time_alone_may_change_them() {
        use domain::procedure::deadlines::{DeadlineRule, DeadlineState, Due};
        let t0: Timestamp = "2026-01-05T10:00:00Z".parse().unwrap();
        let hours = |h: i64| t0.checked_add(jiff::SignedDuration::from_hours(h)).unwrap();
        let day = day(1);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let rule = DeadlineRule::by_id("act_court_notice_after_child_placement").unwrap();
        // An hour-based clock due five hours from t0, well before midnight in Poland.
        let compute = |_: &KeptCase| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            vec![DeadlineView::of(rule, DeadlineState::Pending { due: Due::At(hours(5)), days_left: 0 }, false)]
        };
        let count = || calls.load(std::sync::atomic::Ordering::SeqCst);
        day.deadlines_at(t0, compute);
        assert_eq!(count(), 1);
        day.deadlines_at(hours(1), compute);
        day.deadlines_at(hours(5) - jiff::SignedDuration::from_nanos(1), compute);
        assert_eq!(count(), 1, "kept until the clock's instant");
        day.deadlines_at(hours(5), compute);
        assert_eq!(count(), 2, "computed again at it");
        day.deadlines_at(hours(4), compute);
        assert_eq!(count(), 3, "a clock set back is never answered from the future");
    }

    #[test]
    fn the_cache_starts_empty_again_past_its_bound() {
        let cache = DayCache::default();
        for _ in 0..CAPACITY {
            cache.keep(Uuid::now_v7(), print(1), day(0));
        }
        assert_eq!(cache.lock().len(), CAPACITY);
        cache.keep(Uuid::max(), print(1), day(1));
        assert_eq!(cache.lock().len(), 1);
    }
}
