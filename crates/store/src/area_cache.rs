//! The protected figures of a county's or region's year kept between two looks (issue 17, speed: a region's
//! dashboard and its trend of five years at 180 municipalities).
//!
//! The figures of an area depend only on which version of each municipality's approved set counts (its latest
//! submission, when not returned), in the area and on the whole installation (the national sum beside them): an
//! approved version's figures are frozen (`statutory_approval` rows are never updated). So they are kept under the
//! exact list of counted `(municipality, version)` pairs, read from the database on every look; any new submission,
//! correction or return changes that list.
//!
//! Only summed and protected figures are kept, as every coordinator of the area sees them: nothing personal.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use uuid::Uuid;

use crate::area::AreaLine;

/// At most this many area-years are kept (a few kilobytes each); past it the cache starts empty again.
const CAPACITY: usize = 512;

/// Which versions count, in the area and on the whole installation, in the order the figures are summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counted {
    pub(crate) area: Vec<(Uuid, i32)>,
    pub(crate) everywhere: Vec<(Uuid, i32)>,
}

type Kept = HashMap<(String, i16), (Counted, Arc<Vec<AreaLine>>)>;

#[derive(Default)]
pub(crate) struct AreaLinesCache {
    kept: Mutex<Kept>,
}

impl std::fmt::Debug for AreaLinesCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AreaLinesCache").field("area_years", &self.lock().len()).finish()
    }
}

impl AreaLinesCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // The map holds plain values, each inserted whole: a panic elsewhere cannot leave one half-written.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The lines kept for area `code`'s `year` when exactly `counted` counts.
    pub(crate) fn get(&self, code: &str, year: i16, counted: &Counted) -> Option<Arc<Vec<AreaLine>>> {
        self.lock()
            .get(&(code.to_owned(), year))
            .filter(|(kept, _)| kept == counted)
            .map(|(_, lines)| Arc::clone(lines))
    }

    pub(crate) fn keep(&self, code: &str, year: i16, counted: Counted, lines: Arc<Vec<AreaLine>>) {
        let mut kept = self.lock();
        let key = (code.to_owned(), year);
        if kept.len() >= CAPACITY && !kept.contains_key(&key) {
            kept.clear();
        }
        kept.insert(key, (counted, lines));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(version: i32) -> Counted {
        let id = Uuid::from_u128(7);
        Counted { area: vec![(id, version)], everywhere: vec![(id, version), (Uuid::from_u128(8), 1)] }
    }

    #[test]
    fn kept_lines_answer_only_for_the_same_counted_versions_and_area_year() {
        let cache = AreaLinesCache::default();
        cache.keep("12", 2025, counted(1), Arc::new(Vec::new()));
        assert!(cache.get("12", 2025, &counted(1)).is_some());
        // A correction (a new version) or another area or year: not kept.
        assert!(cache.get("12", 2025, &counted(2)).is_none());
        assert!(cache.get("1201", 2025, &counted(1)).is_none());
        assert!(cache.get("12", 2024, &counted(1)).is_none());
        // A return takes the municipality out of the counted list: not kept either.
        let returned = Counted { area: Vec::new(), everywhere: vec![(Uuid::from_u128(8), 1)] };
        assert!(cache.get("12", 2025, &returned).is_none());
    }
}
