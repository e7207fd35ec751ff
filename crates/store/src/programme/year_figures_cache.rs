//! The statutory set's heavy figures kept between two looks at the same municipality-year (issue 15, speed).
//!
//! The set's persons' pass (every form A of the year decrypted, its persons merged across forms) and the per-procedure
//! reading of the year (which procedures ran, were monitored, had a group) were about 70 % of the set's time at
//! 10,000 procedures (docs/benchmarks.md), yet they change only when a procedure does. They are kept here under a
//! fingerprint of the municipality's procedures, read from the database on every look:
//! - every change of a procedure's log (a step appended or withdrawn, a form C or D, a further form A, a referral
//!   step, a group's extension) moves its `procedure.version` in the same transaction, so the sum of the versions
//!   grows;
//! - a new procedure (a form A, a paper case typed in, a received transfer) adds one to the count and is the newest
//!   `created_at`;
//! - an erased procedure (retention) takes one from the count; the sum and the count could only come back to the
//!   same pair if a new procedure were opened meanwhile, and that one moves the newest `created_at`.
//!
//! The forms A themselves never change once stored, and the persons' records kept in `statutory_form_persons` are
//! derived from them. Anything else the set reads (entered lines, activities, measures, team meetings, closings by
//! reason, erased procedures' trace) is read fresh on every look.
//!
//! Only figures are kept (counts by line), never a person, a form or a procedure: the memory holds nothing that is
//! personal data. The approval and the completeness check never use what is kept: they compute the set afresh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use uuid::Uuid;

/// At most this many municipality-years are kept (a few hundred numbers each); past it the cache starts empty again.
const CAPACITY: usize = 1_024;

/// What identifies the state of a municipality's procedures (see the module's comment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub(crate) procedures: i64,
    pub(crate) versions: i64,
    pub(crate) newest: Option<jiff::Timestamp>,
}

/// The kept figures of one municipality-year: the statutory lines they give, and how many forms A were counted (for
/// the audit entry's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YearFigures {
    pub(crate) lines: Vec<(&'static str, i64)>,
    pub(crate) forms: usize,
}

type Kept = HashMap<(Uuid, i16), (Fingerprint, Arc<YearFigures>)>;

#[derive(Default)]
pub(crate) struct YearFiguresCache {
    kept: Mutex<Kept>,
}

impl std::fmt::Debug for YearFiguresCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YearFiguresCache").field("years", &self.lock().len()).finish()
    }
}

impl YearFiguresCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // The map holds plain values, each inserted whole: a panic elsewhere cannot leave one half-written.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The figures kept for `tenant`'s `year` when its procedures are exactly as `now` says.
    pub(crate) fn get(&self, tenant: Uuid, year: i16, now: &Fingerprint) -> Option<Arc<YearFigures>> {
        self.lock().get(&(tenant, year)).filter(|(kept, _)| kept == now).map(|(_, figures)| Arc::clone(figures))
    }

    pub(crate) fn keep(&self, tenant: Uuid, year: i16, at: Fingerprint, figures: Arc<YearFigures>) {
        let mut kept = self.lock();
        if kept.len() >= CAPACITY && !kept.contains_key(&(tenant, year)) {
            kept.clear();
        }
        kept.insert((tenant, year), (at, figures));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(procedures: i64, versions: i64) -> Fingerprint {
        Fingerprint { procedures, versions, newest: None }
    }

    fn figures(n: i64) -> Arc<YearFigures> {
        Arc::new(YearFigures { lines: vec![("persons_affected", n)], forms: 1 })
    }

    #[test]
    fn kept_figures_are_given_only_for_the_exact_fingerprint_they_were_counted_at() {
        let cache = YearFiguresCache::default();
        let tenant = Uuid::nil();
        cache.keep(tenant, 2025, print(10, 30), figures(7));
        assert_eq!(
            cache.get(tenant, 2025, &print(10, 30)).map(|f| f.lines.clone()),
            Some(vec![("persons_affected", 7)])
        );
        assert!(cache.get(tenant, 2025, &print(10, 31)).is_none(), "a step appended");
        assert!(cache.get(tenant, 2025, &print(11, 31)).is_none(), "a procedure opened");
        assert!(cache.get(tenant, 2024, &print(10, 30)).is_none(), "another year");
        assert!(cache.get(Uuid::max(), 2025, &print(10, 30)).is_none(), "another municipality");
        let moved = Fingerprint { newest: Some(jiff::Timestamp::UNIX_EPOCH), ..print(10, 30) };
        assert!(cache.get(tenant, 2025, &moved).is_none(), "an erasure and a new procedure");
    }

    #[test]
    fn the_cache_starts_empty_again_past_its_bound() {
        let cache = YearFiguresCache::default();
        for year in 0..CAPACITY {
            cache.keep(Uuid::nil(), i16::try_from(year).unwrap_or(i16::MAX), print(1, 1), figures(1));
        }
        assert_eq!(cache.lock().len(), CAPACITY);
        cache.keep(Uuid::max(), 2025, print(1, 1), figures(2));
        assert_eq!(cache.lock().len(), 1);
    }
}
