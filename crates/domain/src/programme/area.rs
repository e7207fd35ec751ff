//! The statutory figures of a county or region as shown outside the municipalities: every municipality's lines and
//! their sums, protected together by [`crate::disclosure`]. The table's relations are the sums over municipalities
//! (one per line) and the template's partitions in every row, the municipalities' and the area's.

use std::collections::BTreeMap;

use crate::disclosure::{Relation, Shown, protect};
use crate::programme::statutory::{about_persons, partitions, template};

/// The protected figures of an area, line by line in [`template()`]'s order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedArea {
    /// The area's total of each line.
    pub totals: Vec<Shown>,
    /// Each line's figure of each counted municipality, in the order they were given.
    pub by_municipality: Vec<Vec<Shown>>,
    /// How many municipalities' figures each line adds up (a set without the line adds nothing).
    pub behind: Vec<usize>,
}

/// Sums `counted` (each municipality's statutory figures by line id) line by line and protects every cell together.
pub fn protect_area(counted: &[&BTreeMap<String, i64>]) -> ProtectedArea {
    let template = template();
    let lines = template.len();
    let rows = counted.len();
    // Row r (0..rows) is municipality r, row `rows` the area's totals; cell = row * lines + line.
    let cell = |row: usize, line: usize| row * lines + line;
    let mut values = vec![0i64; (rows + 1) * lines];
    let mut behind = vec![0usize; lines];
    for (li, l) in template.iter().enumerate() {
        let mut sum = 0i64;
        for (r, figures) in counted.iter().enumerate() {
            if let Some(v) = figures.get(l.id) {
                sum = sum.saturating_add(*v);
                if let Some(b) = behind.get_mut(li) {
                    *b += 1;
                }
                if let Some(x) = values.get_mut(cell(r, li)) {
                    *x = *v;
                }
            }
        }
        if let Some(x) = values.get_mut(cell(rows, li)) {
            *x = sum;
        }
    }
    let index: BTreeMap<&str, usize> = template.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
    let mut relations = Vec::new();
    for li in 0..lines {
        relations.push(Relation { total: cell(rows, li), parts: (0..rows).map(|r| cell(r, li)).collect() });
    }
    for row in 0..=rows {
        for (total, parts) in partitions() {
            let (Some(&t), Some(ps)) =
                (index.get(total), parts.iter().map(|p| index.get(p).copied()).collect::<Option<Vec<_>>>())
            else {
                continue;
            };
            relations.push(Relation { total: cell(row, t), parts: ps.into_iter().map(|p| cell(row, p)).collect() });
        }
    }
    let persons: Vec<bool> = (0..=rows).flat_map(|_| template.iter().map(|l| about_persons(l.id))).collect();
    let shown = protect(&values, &persons, &relations);
    let at = |row: usize, line: usize| shown.get(cell(row, line)).copied().unwrap_or(Shown::Hidden);
    ProtectedArea {
        totals: (0..lines).map(|li| at(rows, li)).collect(),
        by_municipality: (0..lines).map(|li| (0..rows).map(|r| at(r, li)).collect()).collect(),
        behind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(lines: &[(&str, i64)]) -> BTreeMap<String, i64> {
        lines.iter().map(|(id, v)| ((*id).to_owned(), *v)).collect()
    }

    fn line(id: &str) -> usize {
        template().iter().position(|l| l.id == id).unwrap()
    }

    #[test]
    fn a_small_municipality_whose_persons_are_all_small_does_not_hide_the_areas_table() {
        // A village: 4 persons, one of each kind, so every cell of the partition is "<5" and the bounds give them
        // all (four parts of at least 1 under a total of at most 4). Two towns with large figures beside it.
        let village = set(&[
            ("persons_affected", 4),
            ("affected_women", 1),
            ("affected_men", 1),
            ("affected_children", 1),
            ("affected_sex_unknown", 1),
            ("affected_girls", 1),
            ("teams", 1),
        ]);
        let town = |n: i64| {
            set(&[
                ("persons_affected", 10 * n),
                ("affected_women", 5 * n),
                ("affected_men", 3 * n),
                ("affected_children", 2 * n),
                ("affected_sex_unknown", 0),
                ("affected_girls", n),
                ("affected_boys", n),
                ("teams", 1),
            ])
        };
        let (a, b) = (town(6), town(9));
        let protected = protect_area(&[&village, &a, &b]);
        let persons = line("persons_affected");
        // The village's figures are all suppressed; its total no longer pins its parts.
        for id in ["persons_affected", "affected_women", "affected_men", "affected_children", "affected_sex_unknown"] {
            let shown = protected.by_municipality[line(id)][0];
            assert!(shown.is_suppressed(), "{id}: {shown:?}");
        }
        assert_eq!(protected.by_municipality[persons][0], Shown::Hidden, "the village's total is widened to \"×\"");
        // The area's table stays readable: counts that are not about persons and the towns' large sex split.
        assert_eq!(protected.totals[line("teams")], Shown::Value(3));
        // The village's 1 woman: one town's figure is hidden with it in the column, the other's stays.
        assert_eq!(protected.by_municipality[line("affected_women")][2], Shown::Value(45));
        let hidden = protected.by_municipality.iter().flatten().filter(|s| **s == Shown::Hidden).count();
        assert!(hidden <= 12, "{hidden} cells hidden");
        assert_eq!(protected.behind[persons], 3);
    }
}
