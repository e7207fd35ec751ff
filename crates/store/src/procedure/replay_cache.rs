//! The states of cases replayed from their command logs, kept between requests (issue 16, speed).
//!
//! The home page needs the deadlines of every running case an account may see, and a case's deadlines start from its
//! state, which only a replay of its whole command log gives. At 10,000 procedures that replay (reading every
//! command's JSON, parsing it, running the state machine) was most of the page's time, on every load, for logs that
//! rarely change. A state is kept here under the case's `procedure.version`, which every change of the log moves (a
//! step appended, a step withdrawn: `UPDATE procedure SET … version = version + 1` in the same transaction), so a
//! kept state is used only for the exact log it was replayed from; any other version is a miss and is replayed
//! again. The version is read from the database on every use, so a change made by another process (a second server
//! on the same PostgreSQL, the command line) is seen too.
//!
//! What is kept is the state machine's output only: no personal data (the command log holds none), nothing about
//! who may see the case (need-to-know is decided by the query that lists the cases, on every request), and none of
//! the facts read beside the log (the procedure row's columns, the records' clocks), which are read fresh each time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use domain::procedure::lifecycle::ProcedureState;
use uuid::Uuid;

/// At most this many cases are kept (a few hundred bytes each); past it the cache starts empty again. A simple bound
/// rather than a least-recently-used order: one municipality's running cases fit many times over, and a regional
/// instance's home pages each touch only their own municipality's.
const CAPACITY: usize = 100_000;

#[derive(Default)]
pub(crate) struct ReplayCache {
    states: Mutex<HashMap<Uuid, (i64, Arc<ProcedureState>)>>,
}

impl std::fmt::Debug for ReplayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplayCache").field("cases", &self.lock().len()).finish()
    }
}

impl ReplayCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uuid, (i64, Arc<ProcedureState>)>> {
        // The map holds plain values, each inserted whole: a panic elsewhere cannot leave one half-written.
        self.states.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The kept states of the cases asked for, each only if it was replayed from exactly that version of its log.
    pub(crate) fn get_many(&self, wanted: impl Iterator<Item = (Uuid, i64)>) -> HashMap<Uuid, Arc<ProcedureState>> {
        let states = self.lock();
        wanted
            .filter_map(|(id, version)| match states.get(&id) {
                Some((kept, state)) if *kept == version => Some((id, Arc::clone(state))),
                _ => None,
            })
            .collect()
    }

    /// Keeps states just replayed, each under the version of the log it was replayed from.
    pub(crate) fn put_many(&self, fresh: Vec<(Uuid, i64, Arc<ProcedureState>)>) {
        let mut states = self.lock();
        if states.len().saturating_add(fresh.len()) > CAPACITY {
            states.clear();
        }
        for (id, version, state) in fresh {
            // Two requests may replay the same case around a change: the newer log wins whatever the order.
            if states.get(&id).is_some_and(|(kept, _)| *kept > version) {
                continue;
            }
            states.insert(id, (version, state));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(at: &str) -> Arc<ProcedureState> {
        Arc::new(ProcedureState::open(at.parse().unwrap()).0)
    }

    #[test]
    fn a_kept_state_is_given_only_for_the_version_it_was_replayed_from() {
        let cache = ReplayCache::default();
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        cache.put_many(vec![(a, 3, state("2026-01-05T10:00:00Z"))]);
        assert_eq!(cache.get_many([(a, 3)].into_iter()).len(), 1);
        assert!(cache.get_many([(a, 4)].into_iter()).is_empty(), "a newer log is a miss");
        assert!(cache.get_many([(a, 2)].into_iter()).is_empty());
        assert!(cache.get_many([(b, 3)].into_iter()).is_empty(), "another case is a miss");
    }

    #[test]
    fn an_older_replay_never_replaces_a_newer_one() {
        let cache = ReplayCache::default();
        let id = Uuid::now_v7();
        let newer = state("2026-02-01T10:00:00Z");
        cache.put_many(vec![(id, 5, Arc::clone(&newer))]);
        cache.put_many(vec![(id, 4, state("2026-01-01T10:00:00Z"))]);
        assert!(cache.get_many([(id, 4)].into_iter()).is_empty());
        assert_eq!(cache.get_many([(id, 5)].into_iter()).get(&id), Some(&newer));
    }

    #[test]
    fn past_its_capacity_the_cache_starts_empty_again() {
        let cache = ReplayCache::default();
        let first = Uuid::now_v7();
        cache.put_many(vec![(first, 1, state("2026-01-05T10:00:00Z"))]);
        let many: Vec<_> = (0..CAPACITY).map(|_| (Uuid::now_v7(), 1, state("2026-01-05T10:00:00Z"))).collect();
        cache.put_many(many);
        assert!(cache.get_many([(first, 1)].into_iter()).is_empty());
        assert_eq!(cache.lock().len(), CAPACITY);
    }
}
