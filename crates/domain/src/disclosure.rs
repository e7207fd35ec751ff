//! Statistical disclosure control for figures shown outside their municipality: a count of persons between 1 and 4
//! is suppressed (shown "<5"), and further cells are suppressed (secondary suppression, shown "×") until no suppressed
//! cell can be recomputed from what is shown: the totals, the "of which" lines and the other cells.
//!
//! The table is a list of cells and a list of additive relations (`total = part + part + …`): the sums over
//! municipalities and the template's partitions (women + men + sex not stated = the persons). A reader knows every
//! shown cell exactly and that a "<5" cell lies between 1 and 4. A suppressed cell is safe when
//!
//! 1. no combination of the relations gives it alone (linear algebra over the rationals: the cell's unit vector is
//!    not in the row space of the relations restricted to the suppressed cells), and
//! 2. no single relation pins it through the bounds (two "<5" cells under a shown total of 8 are both 4).
//!
//! [`protect`] adds the smallest cell of an exposed relation until both hold. Multi-relation bound reasoning (an
//! integer programme over the whole table) is not attempted; docs/legal-assumptions.md states the rule and its limit.

use serde::Serialize;

/// The smallest count shown as it is (smaller positive counts of persons are shown "<5").
pub const THRESHOLD: i64 = 5;

/// `total = Σ parts`, as cell indexes into the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// How one cell is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// The figure itself.
    Value(i64),
    /// A count of persons between 1 and 4: "<5".
    Small,
    /// Hidden so that a "<5" cell cannot be recomputed: "×".
    Hidden,
}

impl Shown {
    pub fn is_suppressed(self) -> bool {
        !matches!(self, Shown::Value(_))
    }
}

/// How each cell of `values` may be shown. `about_persons[i]` says whether cell i counts persons (only those are
/// suppressed when small; counts of meetings or trainings are not). `relations` are the sums a reader can use.
pub fn protect(values: &[i64], about_persons: &[bool], relations: &[Relation]) -> Vec<Shown> {
    let mut shown: Vec<Shown> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if about_persons.get(i).copied().unwrap_or(false) && (1..THRESHOLD).contains(&v) {
                Shown::Small
            } else {
                Shown::Value(v)
            }
        })
        .collect();
    // Each round suppresses one more cell; the table has finitely many, so this ends.
    for _ in 0..=values.len() {
        let Some(relation) = exposed_relation(&shown, relations) else {
            return shown;
        };
        match cheapest_cell(values, &shown, relation) {
            Some(cell) => {
                if let Some(s) = shown.get_mut(cell) {
                    *s = Shown::Hidden;
                }
            }
            None => break,
        }
    }
    // A relation whose every cell is suppressed and still exposes one: nothing is left to hide in it, so hide the
    // whole table rather than show a recomputable cell (cannot happen with the template's relations; kept safe).
    if exposed_relation(&shown, relations).is_some() {
        for (s, v) in shown.iter_mut().zip(values) {
            if !s.is_suppressed() && *v != 0 {
                *s = Shown::Hidden;
            }
        }
    }
    shown
}

/// A relation through which some suppressed cell can be recomputed, if any.
fn exposed_relation<'r>(shown: &[Shown], relations: &'r [Relation]) -> Option<&'r Relation> {
    // Cheap first: a relation with exactly one suppressed cell gives it at once (most rounds end here, before the
    // elimination below, which large tables make costly).
    let is_suppressed = |c: usize| shown.get(c).is_some_and(|s| s.is_suppressed());
    if let Some(r) = relations
        .iter()
        .find(|r| std::iter::once(r.total).chain(r.parts.iter().copied()).filter(|&c| is_suppressed(c)).count() == 1)
    {
        return Some(r);
    }
    let suppressed: Vec<usize> =
        (0..shown.len()).filter(|&i| shown.get(i).is_some_and(|s| s.is_suppressed())).collect();
    if suppressed.is_empty() {
        return None;
    }
    // Bounds: one relation alone pins a cell.
    for r in relations {
        if pinned_by_bounds(shown, r) {
            return Some(r);
        }
    }
    // Linear algebra: the relations restricted to the suppressed cells.
    let column_of = |cell: usize| suppressed.iter().position(|&s| s == cell);
    let rows: Vec<(usize, Vec<Fraction>)> = relations
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            let mut row = vec![Fraction::ZERO; suppressed.len()];
            let mut any = false;
            for (cell, sign) in std::iter::once((r.total, 1)).chain(r.parts.iter().map(|&p| (p, -1))) {
                if let Some(col) = column_of(cell)
                    && let Some(entry) = row.get_mut(col)
                {
                    *entry = entry.add(Fraction::int(sign))?;
                    any = true;
                }
            }
            any.then_some((index, row))
        })
        .collect();
    let determined = determined_columns(rows.iter().map(|(_, r)| r.clone()).collect(), suppressed.len());
    let exposed_cell = determined.iter().find_map(|&col| suppressed.get(col).copied())?;
    // The relation to widen: one that holds the exposed cell and still shows a cell to hide.
    let holds = |r: &&Relation| r.total == exposed_cell || r.parts.contains(&exposed_cell);
    let shows_some = |r: &&Relation| {
        std::iter::once(r.total)
            .chain(r.parts.iter().copied())
            .any(|c| shown.get(c).is_some_and(|s| !s.is_suppressed()))
    };
    relations.iter().filter(holds).find(shows_some).or_else(|| relations.iter().find(holds))
}

/// Whether, in `r` alone, some suppressed cell has only one possible value given the shown cells and the bounds
/// ("<5": 1–4; "×": 0 or more).
fn pinned_by_bounds(shown: &[Shown], r: &Relation) -> bool {
    // total − Σ parts = 0, so Σ over suppressed cells of sign·x = −Σ over shown cells of sign·value.
    let mut constant: i64 = 0;
    let mut unknowns: Vec<(i64, i64, Option<i64>)> = Vec::new();
    for (cell, sign) in std::iter::once((r.total, 1i64)).chain(r.parts.iter().map(|&p| (p, -1i64))) {
        match shown.get(cell) {
            Some(Shown::Value(v)) => constant = constant.saturating_sub(sign.saturating_mul(*v)),
            Some(Shown::Small) => unknowns.push((sign, 1, Some(THRESHOLD - 1))),
            Some(Shown::Hidden) => unknowns.push((sign, 0, None)),
            None => {}
        }
    }
    if unknowns.is_empty() {
        return false;
    }
    // For each unknown j: sign_j·x_j = constant − Σ_{k≠j} sign_k·x_k; its range from the others' ranges.
    for (j, &(sign_j, lo_j, hi_j)) in unknowns.iter().enumerate() {
        let (mut low, mut high): (Option<i64>, Option<i64>) = (Some(constant), Some(constant));
        for (k, &(sign_k, lo_k, hi_k)) in unknowns.iter().enumerate() {
            if k == j {
                continue;
            }
            // subtract sign_k·x_k, x_k ∈ [lo_k, hi_k]
            let (min_term, max_term) = if sign_k > 0 { (Some(lo_k), hi_k) } else { (hi_k.map(|h| -h), Some(-lo_k)) };
            low = match (low, max_term) {
                (Some(l), Some(m)) => Some(l - m),
                _ => None,
            };
            high = match (high, min_term) {
                (Some(h), Some(m)) => Some(h - m),
                _ => None,
            };
        }
        // sign_j·x_j ∈ [low, high] → x_j's range
        let (x_low, x_high) = if sign_j > 0 { (low, high) } else { (high.map(|h| -h), low.map(|l| -l)) };
        let lo = x_low.map_or(lo_j, |l| l.max(lo_j));
        let hi = match (x_high, hi_j) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if hi == Some(lo) {
            return true;
        }
    }
    false
}

/// The cell of `r` to hide next: a shown part or total with the smallest value (a zero hides least information but
/// a reader knows a hidden zero cannot be "<5", so positive cells come first).
fn cheapest_cell(values: &[i64], shown: &[Shown], r: &Relation) -> Option<usize> {
    let candidates = r.parts.iter().copied().chain(std::iter::once(r.total));
    candidates.filter(|&c| shown.get(c).is_some_and(|s| !s.is_suppressed())).min_by_key(|&c| {
        let v = values.get(c).copied().unwrap_or(0);
        (v == 0, v, usize::from(c == r.total))
    })
}

/// The columns whose unit vector lies in the row space of `rows` (over the rationals): the cells the relations give
/// alone. An arithmetic overflow counts every column as determined, so the caller hides more, never less.
fn determined_columns(mut rows: Vec<Vec<Fraction>>, columns: usize) -> Vec<usize> {
    let mut pivots: Vec<(usize, usize)> = Vec::new(); // (row, column)
    let mut next_row = 0;
    for col in 0..columns {
        let Some(found) =
            (next_row..rows.len()).find(|&r| rows.get(r).and_then(|row| row.get(col)).is_some_and(|f| !f.is_zero()))
        else {
            continue;
        };
        rows.swap(next_row, found);
        let Some(pivot_row) = rows.get(next_row).cloned() else { break };
        let Some(pivot) = pivot_row.get(col).copied() else { break };
        let Some(normalised) = pivot_row.iter().map(|f| f.div(pivot)).collect::<Option<Vec<_>>>() else {
            return (0..columns).collect();
        };
        for (r, row) in rows.iter_mut().enumerate() {
            if r == next_row {
                continue;
            }
            let factor = row.get(col).copied().unwrap_or(Fraction::ZERO);
            if factor.is_zero() {
                continue;
            }
            for (entry, p) in row.iter_mut().zip(&normalised) {
                match p.mul(factor).and_then(|m| entry.sub(m)) {
                    Some(v) => *entry = v,
                    None => return (0..columns).collect(),
                }
            }
        }
        if let Some(row) = rows.get_mut(next_row) {
            *row = normalised;
        }
        pivots.push((next_row, col));
        next_row += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, col)| rows.get(r).is_some_and(|row| row.iter().enumerate().all(|(c, f)| c == col || f.is_zero())))
        .map(|(_, col)| col)
        .collect()
}

/// An exact rational in lowest terms (denominator positive); every operation checks for overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fraction {
    num: i128,
    den: i128,
}

impl Fraction {
    const ZERO: Fraction = Fraction { num: 0, den: 1 };

    fn int(n: i128) -> Fraction {
        Fraction { num: n, den: 1 }
    }

    fn is_zero(self) -> bool {
        self.num == 0
    }

    fn new(num: i128, den: i128) -> Option<Fraction> {
        if den == 0 {
            return None;
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs()).max(1);
        let g = i128::try_from(g).ok()?;
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Fraction { num, den })
    }

    fn add(self, o: Fraction) -> Option<Fraction> {
        Fraction::new(
            self.num.checked_mul(o.den)?.checked_add(o.num.checked_mul(self.den)?)?,
            self.den.checked_mul(o.den)?,
        )
    }

    fn sub(self, o: Fraction) -> Option<Fraction> {
        self.add(Fraction { num: o.num.checked_neg()?, den: o.den })
    }

    fn mul(self, o: Fraction) -> Option<Fraction> {
        Fraction::new(self.num.checked_mul(o.num)?, self.den.checked_mul(o.den)?)
    }

    fn div(self, o: Fraction) -> Option<Fraction> {
        Fraction::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A two-way table with its margins as cells and relations: `rows × columns` inner cells (row-major), then each row's
/// total, then each column's total, then the grand total. The shape of a county's figures per municipality × line.
pub fn table_with_margins(rows: usize, columns: usize) -> (usize, Vec<Relation>) {
    let inner = |r: usize, c: usize| r * columns + c;
    let row_total = |r: usize| rows * columns + r;
    let column_total = |c: usize| rows * columns + rows + c;
    let grand = rows * columns + rows + columns;
    let mut relations = Vec::new();
    for r in 0..rows {
        relations.push(Relation { total: row_total(r), parts: (0..columns).map(|c| inner(r, c)).collect() });
    }
    for c in 0..columns {
        relations.push(Relation { total: column_total(c), parts: (0..rows).map(|r| inner(r, c)).collect() });
    }
    relations.push(Relation { total: grand, parts: (0..rows).map(row_total).collect() });
    relations.push(Relation { total: grand, parts: (0..columns).map(column_total).collect() });
    (grand + 1, relations)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The values of a two-way table with its margins, in [`table_with_margins`]' order.
    fn with_margins(inner: &[Vec<i64>]) -> Vec<i64> {
        let rows = inner.len();
        let columns = inner[0].len();
        let mut v: Vec<i64> = inner.iter().flatten().copied().collect();
        v.extend(inner.iter().map(|r| r.iter().sum::<i64>()));
        v.extend((0..columns).map(|c| inner.iter().map(|r| r[c]).sum::<i64>()));
        v.push(inner.iter().flatten().sum());
        assert_eq!(v.len(), rows * columns + rows + columns + 1);
        v
    }

    /// An independent check for two-way tables: put the margins into an (r+1)×(c+1) array (row and column nodes of
    /// a bipartite graph, each suppressed cell an edge). A suppressed cell is recomputable from the margins exactly
    /// when its edge is a bridge of the suppressed cells' graph (no cycle of suppressed cells runs through it).
    fn recomputable_cells(rows: usize, columns: usize, shown: &[Shown]) -> Vec<usize> {
        let node_of = |cell: usize| -> (usize, usize) {
            // (row node, column node); row `rows` and column `columns` are the margins.
            if cell < rows * columns {
                (cell / columns, cell % columns)
            } else if cell < rows * columns + rows {
                (cell - rows * columns, columns)
            } else if cell < rows * columns + rows + columns {
                (rows, cell - rows * columns - rows)
            } else {
                (rows, columns)
            }
        };
        let edges: Vec<(usize, usize, usize)> = (0..shown.len())
            .filter(|&i| shown[i].is_suppressed())
            .map(|i| {
                let (r, c) = node_of(i);
                (i, r, rows + 1 + c)
            })
            .collect();
        let nodes = rows + columns + 2;
        edges
            .iter()
            .filter(|&&(cell, a, b)| {
                // Is b reachable from a without this edge?
                let mut seen = vec![false; nodes];
                let mut stack = vec![a];
                seen[a] = true;
                while let Some(n) = stack.pop() {
                    for &(other, x, y) in &edges {
                        if other == cell {
                            continue;
                        }
                        let next = if x == n {
                            y
                        } else if y == n {
                            x
                        } else {
                            continue;
                        };
                        if !seen[next] {
                            seen[next] = true;
                            stack.push(next);
                        }
                    }
                }
                !seen[b]
            })
            .map(|&(cell, _, _)| cell)
            .collect()
    }

    #[test]
    fn a_small_count_is_shown_as_less_than_five_and_a_lone_one_gets_a_partner() {
        // Two municipalities, one line: 3 and 10, total 13. The 3 alone would be 13 − 10.
        let relations = vec![Relation { total: 2, parts: vec![0, 1] }];
        let shown = protect(&[3, 10, 13], &[true; 3], &relations);
        assert_eq!(shown, vec![Shown::Small, Shown::Hidden, Shown::Value(13)]);
        // Counts that are not about persons are shown as they are.
        assert_eq!(
            protect(&[3, 10, 13], &[false; 3], &relations),
            vec![Shown::Value(3), Shown::Value(10), Shown::Value(13)]
        );
        // Zero is no disclosure and 5 is shown.
        assert_eq!(
            protect(&[0, 5, 5], &[true; 3], &relations),
            vec![Shown::Value(0), Shown::Value(5), Shown::Value(5)]
        );
    }

    #[test]
    fn bounds_that_pin_two_small_cells_hide_more() {
        // 4 + 4 = 8: two "<5" under a shown 8 are both 4.
        let relations = vec![Relation { total: 3, parts: vec![0, 1, 2] }];
        let shown = protect(&[4, 4, 20, 28], &[true; 4], &relations);
        assert_eq!(&shown[..2], &[Shown::Small, Shown::Small]);
        assert!(shown[2].is_suppressed() || shown[3].is_suppressed(), "{shown:?}");
        // 1 + 1 = 2 is itself small: the total is "<5" too, and then nothing is pinned.
        let shown = protect(&[1, 1, 2], &[true; 3], &[Relation { total: 2, parts: vec![0, 1] }]);
        assert!(shown.iter().all(|s| s.is_suppressed()), "{shown:?}");
    }

    #[test]
    fn the_bridge_check_sees_a_cell_given_by_its_margins() {
        // One inner cell hidden in a 2×2 table: its row total gives it.
        let mut shown: Vec<Shown> = with_margins(&[vec![3, 7], vec![8, 9]]).into_iter().map(Shown::Value).collect();
        shown[0] = Shown::Small;
        assert_eq!(recomputable_cells(2, 2, &shown), vec![0]);
        // A rectangle of four hidden cells is safe.
        for i in [0, 1, 2, 3] {
            shown[i] = Shown::Hidden;
        }
        assert!(recomputable_cells(2, 2, &shown).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// For random tables with row, column and grand totals: every count of 1–4 is suppressed, and no suppressed
        /// cell can be recomputed from the shown cells and the totals (checked by an independent graph criterion),
        /// nor pinned by one relation's bounds.
        #[test]
        fn no_suppressed_cell_is_recomputable_from_the_totals(
            inner in (2usize..=5, 2usize..=5).prop_flat_map(|(r, c)| {
                proptest::collection::vec(proptest::collection::vec(prop_oneof![Just(0i64), 1i64..=4, 5i64..=40], c), r)
            })
        ) {
            let rows = inner.len();
            let columns = inner[0].len();
            let values = with_margins(&inner);
            let (cells, relations) = table_with_margins(rows, columns);
            prop_assert_eq!(cells, values.len());
            let shown = protect(&values, &vec![true; cells], &relations);
            for (i, v) in values.iter().enumerate() {
                if (1..5).contains(v) {
                    prop_assert_eq!(shown[i], Shown::Small, "cell {} = {}", i, v);
                }
                if let Shown::Value(x) = shown[i] {
                    prop_assert_eq!(x, *v);
                }
            }
            prop_assert!(recomputable_cells(rows, columns, &shown).is_empty(), "{:?} → {:?}", values, shown);
            for r in &relations {
                prop_assert!(!pinned_by_bounds(&shown, r), "{:?} pinned in {:?}", shown, r);
            }
        }
    }
}
