//! Statistical disclosure control for figures shown outside their municipality: a count of persons between 1 and 4
//! is suppressed (shown "<5"), and further cells are suppressed (secondary suppression, shown "×") until no suppressed
//! cell can be recomputed from what is shown: the totals, the "of which" lines and the other cells.
//!
//! The table is a list of cells and a list of additive relations (`total = part + part + …`): the sums over
//! municipalities and the template's partitions (women + men + sex not stated = the persons). A reader knows every
//! shown cell exactly and that a "<5" cell lies between 1 and 4. A suppressed cell is safe when
//!
//! 1. no combination of the relations gives it alone (linear algebra: the cell's unit vector is not in the row space
//!    of the relations restricted to the suppressed cells; see `determined_cells` for the arithmetic), and
//! 2. no single relation pins it through the bounds (two "<5" cells under a shown total of 8 are both 4).
//!
//! [`protect`] hides the smallest shown cell of each exposed relation, all of a round's at once, until both hold.
//! A relation with nothing left to hide and still pinned (four "<5" parts under a "<5" total: all are 1 and the
//! total 4) has a "<5" widened to "×" (0 or more), which no bound pins. Multi-relation bound reasoning (an
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
    let holding = relations_holding(values.len(), relations);
    // Every change hides a shown cell or widens a "<5" to "×", so a cell changes at most twice: this ends.
    for _ in 0..=2 * values.len() {
        match exposed(values, &shown, about_persons, relations, &holding) {
            Exposure::None => return shown,
            Exposure::Widen(widen) => {
                let mut changed = false;
                for r in widen {
                    if let Some(relation) = relations.get(r) {
                        changed |= widen_relation(values, &mut shown, relation);
                    }
                }
                if !changed {
                    break;
                }
            }
        }
    }
    // Nothing left to hide and still a cell is exposed: hide the whole table rather than show a recomputable cell
    // (not seen with the template's relations; kept safe).
    if !matches!(exposed(values, &shown, about_persons, relations, &holding), Exposure::None) {
        for (s, v) in shown.iter_mut().zip(values) {
            if !s.is_suppressed() && *v != 0 {
                *s = Shown::Hidden;
            }
        }
    }
    shown
}

/// For each cell, the relations it is in.
fn relations_holding(cells: usize, relations: &[Relation]) -> Vec<Vec<usize>> {
    let mut holding = vec![Vec::new(); cells];
    for (index, r) in relations.iter().enumerate() {
        for c in cells_of(r) {
            if let Some(h) = holding.get_mut(c)
                && h.last() != Some(&index)
            {
                h.push(index);
            }
        }
    }
    holding
}

fn cells_of(r: &Relation) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(r.total).chain(r.parts.iter().copied())
}

enum Exposure {
    None,
    /// The relations to widen (each by one more hidden cell) before looking again.
    Widen(Vec<usize>),
}

/// The relations through which a suppressed cell can be recomputed or pinned, cheapest test first: a relation with
/// one suppressed cell gives it at once; then the bounds of one relation; then a combination of relations (linear
/// algebra). The first test that finds something answers, so the costly ones run only on a table the cheap
/// ones pass.
fn exposed(
    values: &[i64],
    shown: &[Shown],
    about_persons: &[bool],
    relations: &[Relation],
    holding: &[Vec<usize>],
) -> Exposure {
    let is_suppressed = |c: usize| shown.get(c).is_some_and(|s| s.is_suppressed());
    let alone: Vec<usize> = relations
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let mut suppressed = cells_of(r).filter(|&c| is_suppressed(c));
            matches!((suppressed.next(), suppressed.next()), (Some(_), None))
        })
        .map(|(i, _)| i)
        .collect();
    if !alone.is_empty() {
        return Exposure::Widen(alone);
    }
    let pinned: Vec<usize> = relations
        .iter()
        .enumerate()
        .filter(|(_, r)| pinned_by_bounds(shown, about_persons, r))
        .map(|(i, _)| i)
        .collect();
    if !pinned.is_empty() {
        return Exposure::Widen(pinned);
    }
    let determined = determined_cells(shown, relations);
    let mut widen: Vec<usize> = Vec::new();
    // All at once: one elimination per round, not per cell.
    for cell in (0..shown.len()).filter(|&c| determined.get(c).copied().unwrap_or(false)) {
        let around = holding.get(cell).map(Vec::as_slice).unwrap_or_default();
        // A relation next to this cell is widened already in this round: that may free it; look again first.
        if around.iter().any(|r| widen.contains(r)) {
            continue;
        }
        if let Some(r) = relation_to_widen(values, shown, relations, holding, cell) {
            widen.push(r);
        }
    }
    if widen.is_empty() && determined.contains(&true) {
        // Exposed, and no relation near it shows a cell to hide: the caller hides the whole table.
        return Exposure::Widen(Vec::new());
    }
    if widen.is_empty() { Exposure::None } else { Exposure::Widen(widen) }
}

/// The relation to widen for a cell that a combination of relations gives: the nearest relation (through
/// suppressed cells) that still shows a cell, preferring one that holds the cell itself.
fn relation_to_widen(
    values: &[i64],
    shown: &[Shown],
    relations: &[Relation],
    holding: &[Vec<usize>],
    cell: usize,
) -> Option<usize> {
    let shows_some = |r: usize| {
        relations.get(r).is_some_and(|r| cells_of(r).any(|c| shown.get(c).is_some_and(|s| !s.is_suppressed())))
    };
    let mut seen_cells = vec![false; shown.len()];
    let mut seen_relations = vec![false; relations.len()];
    let mut frontier = vec![cell];
    if let Some(s) = seen_cells.get_mut(cell) {
        *s = true;
    }
    while !frontier.is_empty() {
        let mut next = Vec::new();
        // The cheapest of this ring's relations that shows a cell.
        let mut best: Option<(usize, (bool, i64))> = None;
        for &c in &frontier {
            for &r in holding.get(c).map(Vec::as_slice).unwrap_or_default() {
                if std::mem::replace(seen_relations.get_mut(r)?, true) {
                    continue;
                }
                if shows_some(r) {
                    let cost = relations.get(r).and_then(|rel| cheapest_cell(values, shown, rel)).map(|c| {
                        let v = values.get(c).copied().unwrap_or(0);
                        (v == 0, v)
                    });
                    if let Some(cost) = cost
                        && best.is_none_or(|(_, b)| cost < b)
                    {
                        best = Some((r, cost));
                    }
                }
                for other in relations.get(r).map(cells_of).into_iter().flatten() {
                    if shown.get(other).is_some_and(|s| s.is_suppressed())
                        && !std::mem::replace(seen_cells.get_mut(other)?, true)
                    {
                        next.push(other);
                    }
                }
            }
        }
        if let Some((r, _)) = best {
            return Some(r);
        }
        frontier = next;
    }
    None
}

/// Hides one more cell of `r`: its cheapest shown cell, or, when every cell is suppressed already, widens a "<5" to
/// "×" (the total first) so that its bounds (1–4) no longer pin the others. Whether anything changed.
fn widen_relation(values: &[i64], shown: &mut [Shown], r: &Relation) -> bool {
    if let Some(cell) = cheapest_cell(values, shown, r)
        && let Some(s) = shown.get_mut(cell)
    {
        *s = Shown::Hidden;
        return true;
    }
    let small = cells_of(r).filter(|&c| shown.get(c) == Some(&Shown::Small));
    let chosen = if shown.get(r.total) == Some(&Shown::Small) {
        Some(r.total)
    } else {
        small.min_by_key(|&c| values.get(c).copied().unwrap_or(0))
    };
    match chosen.and_then(|c| shown.get_mut(c)) {
        Some(s) => {
            *s = Shown::Hidden;
            true
        }
        None => false,
    }
}

/// Whether, in `r` alone, some suppressed cell has only one possible value given the shown cells and the bounds
/// ("<5": 1–4; "×": 0 or more, and for a count of persons not 1–4).
fn pinned_by_bounds(shown: &[Shown], about_persons: &[bool], r: &Relation) -> bool {
    // total − Σ parts = 0, so Σ over suppressed cells of sign·x = constant = −Σ over shown cells of sign·value.
    let mut constant: i64 = 0;
    // (cell, sign, low, high): x ∈ [low, high], high None: unbounded.
    let mut unknowns: Vec<(usize, i64, i64, Option<i64>)> = Vec::new();
    for (cell, sign) in std::iter::once((r.total, 1i64)).chain(r.parts.iter().map(|&p| (p, -1i64))) {
        match shown.get(cell) {
            Some(Shown::Value(v)) => constant = constant.saturating_sub(sign.saturating_mul(*v)),
            Some(Shown::Small) => unknowns.push((cell, sign, 1, Some(THRESHOLD - 1))),
            Some(Shown::Hidden) => unknowns.push((cell, sign, 0, None)),
            None => {}
        }
    }
    if unknowns.is_empty() {
        return false;
    }
    // Each term sign·x lies in [min, max] (None: infinite). Sum them all once; each unknown's range is then the
    // constant less the others' sum, which is the whole sum less its own term: linear in the relation's size.
    let term = |&(_, sign, low, high): &(usize, i64, i64, Option<i64>)| -> (Option<i64>, Option<i64>) {
        if sign > 0 { (Some(low), high) } else { (high.map(|h| -h), Some(-low)) }
    };
    let (mut min_sum, mut min_infinite, mut max_sum, mut max_infinite) = (0i64, 0usize, 0i64, 0usize);
    for u in &unknowns {
        let (min, max) = term(u);
        match min {
            Some(m) => min_sum = min_sum.saturating_add(m),
            None => min_infinite += 1,
        }
        match max {
            Some(m) => max_sum = max_sum.saturating_add(m),
            None => max_infinite += 1,
        }
    }
    for u in &unknowns {
        let (own_min, own_max) = term(u);
        // The others' sum: [others_min, others_max].
        let others_min = match own_min {
            Some(m) if min_infinite == 0 => Some(min_sum.saturating_sub(m)),
            None if min_infinite == 1 => Some(min_sum),
            _ => None,
        };
        let others_max = match own_max {
            Some(m) if max_infinite == 0 => Some(max_sum.saturating_sub(m)),
            None if max_infinite == 1 => Some(max_sum),
            _ => None,
        };
        // sign·x = constant − others: [constant − others_max, constant − others_min].
        let (low, high) =
            (others_max.map(|m| constant.saturating_sub(m)), others_min.map(|m| constant.saturating_sub(m)));
        let (_, sign, own_low, own_high) = *u;
        let (x_low, x_high) = if sign > 0 { (low, high) } else { (high.map(|h| -h), low.map(|l| -l)) };
        let lo = x_low.map_or(own_low, |l| l.max(own_low));
        let hi = match (x_high, own_high) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        // A reader who knows the rule knows that a "×" counting persons is, as a rule, not 1–4 (those are "<5"):
        // within [lo, hi] only 0 and 5 upward remain.
        let not_small = shown.get(u.0) == Some(&Shown::Hidden) && about_persons.get(u.0).copied().unwrap_or(false);
        let possible = match hi {
            None => None,
            Some(hi) if not_small => {
                let zero = i64::from(lo <= 0 && 0 <= hi);
                Some(zero + (hi - lo.max(THRESHOLD) + 1).max(0))
            }
            Some(hi) => Some((hi - lo + 1).max(0)),
        };
        if possible == Some(1) {
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

/// Which suppressed cells some combination of the relations gives exactly (indexed by cell).
///
/// A suppressed cell is given exactly when its unit vector lies in the row space of the relations restricted to the
/// suppressed cells, that is when every vector of the restriction's null space is zero there. The arithmetic is
/// modulo the prime 2⁶¹ − 1 (no overflow, no fractions): the echelon form of the restriction, then one null-space
/// vector with random free values. A cell where it is not zero is certainly free. A cell where it is zero is
/// counted as given; a free cell is zero there only with probability 2⁻⁶¹, and then it is hidden more, never less.
/// Working modulo a prime could only miss a cell the rationals give if the prime divided a minor of the relations'
/// 0/±1 matrix, which in these tables are small numbers.
fn determined_cells(shown: &[Shown], relations: &[Relation]) -> Vec<bool> {
    let suppressed: Vec<usize> =
        (0..shown.len()).filter(|&c| shown.get(c).is_some_and(|s| s.is_suppressed())).collect();
    let mut column_of = vec![usize::MAX; shown.len()];
    for (col, &cell) in suppressed.iter().enumerate() {
        if let Some(c) = column_of.get_mut(cell) {
            *c = col;
        }
    }
    let columns = suppressed.len();
    // The echelon form: pivot_row[col] is the row whose first entry is at col.
    let mut rows: Vec<Vec<(usize, u64)>> = Vec::new();
    let mut pivot_row = vec![usize::MAX; columns];
    let mut work: std::collections::BTreeMap<usize, u64> = std::collections::BTreeMap::new();
    for r in relations {
        work.clear();
        for (cell, sign) in std::iter::once((r.total, 1u64)).chain(r.parts.iter().map(|&p| (p, PRIME - 1))) {
            if let Some(&col) = column_of.get(cell)
                && col != usize::MAX
            {
                let entry = work.entry(col).or_insert(0);
                *entry = add_mod(*entry, sign);
            }
        }
        work.retain(|_, v| *v != 0);
        while let Some((&lead, &value)) = work.first_key_value() {
            let Some(&p) = pivot_row.get(lead) else { break };
            if p == usize::MAX {
                // A new pivot: stored scaled so that its first entry is 1.
                let scale = inverse_mod(value);
                rows.push(work.iter().map(|(&c, &v)| (c, mul_mod(v, scale))).collect());
                if let Some(slot) = pivot_row.get_mut(lead) {
                    *slot = rows.len() - 1;
                }
                break;
            }
            // Subtract value × the pivot row (whose first entry is 1): the lead entry goes.
            for &(c, v) in rows.get(p).map(Vec::as_slice).unwrap_or_default() {
                let entry = work.entry(c).or_insert(0);
                *entry = sub_mod(*entry, mul_mod(value, v));
                if *entry == 0 {
                    work.remove(&c);
                }
            }
        }
    }
    // One null-space vector: free columns random, each pivot column from its row, the last pivot first.
    let mut random = 0x9E37_79B9_7F4A_7C15u64;
    let mut vector = vec![0u64; columns];
    for (col, v) in vector.iter_mut().enumerate() {
        if pivot_row.get(col) == Some(&usize::MAX) {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            *v = 1 + random % (PRIME - 1);
        }
    }
    for col in (0..columns).rev() {
        let Some(row) = pivot_row.get(col).and_then(|&p| rows.get(p)) else { continue };
        // row: x_col + Σ a_j x_j = 0.
        let rest =
            row.iter().skip(1).fold(0u64, |acc, &(c, a)| add_mod(acc, mul_mod(a, vector.get(c).copied().unwrap_or(0))));
        if let Some(v) = vector.get_mut(col) {
            *v = sub_mod(0, rest);
        }
    }
    let mut determined = vec![false; shown.len()];
    for (col, &cell) in suppressed.iter().enumerate() {
        if vector.get(col) == Some(&0)
            && let Some(d) = determined.get_mut(cell)
        {
            *d = true;
        }
    }
    determined
}

/// The Mersenne prime 2⁶¹ − 1.
const PRIME: u64 = (1 << 61) - 1;

fn add_mod(a: u64, b: u64) -> u64 {
    (a + b) % PRIME
}

fn sub_mod(a: u64, b: u64) -> u64 {
    (a + PRIME - b) % PRIME
}

fn mul_mod(a: u64, b: u64) -> u64 {
    u64::try_from((u128::from(a) * u128::from(b)) % u128::from(PRIME)).unwrap_or(0)
}

/// a^(p−2): the inverse of a non-zero a (Fermat).
fn inverse_mod(a: u64) -> u64 {
    let (mut base, mut exponent, mut result) = (a, PRIME - 2, 1u64);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = mul_mod(result, base);
        }
        base = mul_mod(base, base);
        exponent >>= 1;
    }
    result
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
    fn a_hidden_count_of_persons_is_known_not_to_be_small_and_that_can_pin_it() {
        // 6 = "<5" + "×": the "×" is 2–5 by the sums, and not 1–4 by the rule, so it is 5 and the "<5" is 1. A third
        // cell is hidden.
        let relations = vec![Relation { total: 0, parts: vec![1, 2, 3] }];
        let shown = vec![Shown::Value(6), Shown::Small, Shown::Hidden, Shown::Value(0)];
        assert!(pinned_by_bounds(&shown, &[true; 4], &relations[0]));
        // Counts that are not about persons may be 1–4 when hidden: nothing is pinned.
        assert!(!pinned_by_bounds(&shown, &[true, true, false, true], &relations[0]));
        let protected = protect(&[6, 1, 5, 0], &[true; 4], &relations);
        assert!(!pinned_by_bounds(&protected, &[true; 4], &relations[0]), "{protected:?}");
        assert_eq!(protected[1], Shown::Small);
    }

    #[test]
    fn a_relation_with_nothing_left_to_hide_widens_a_small_count_instead_of_hiding_the_table() {
        // Four "<5" parts under a "<5" total: each part is 1 and the total 4. Hiding a shown cell cannot help (there
        // is none in that relation); the total becomes "×" (0 or more). The other relation is protected as usual and
        // the table is not hidden wholesale (the first version hid every non-zero cell here).
        let relations = vec![Relation { total: 0, parts: vec![1, 2, 3, 4] }, Relation { total: 5, parts: vec![6, 7] }];
        let shown = protect(&[4, 1, 1, 1, 1, 10, 6, 4], &[true; 8], &relations);
        assert_eq!(
            shown,
            vec![
                Shown::Hidden,
                Shown::Small,
                Shown::Small,
                Shown::Small,
                Shown::Small,
                Shown::Value(10),
                Shown::Hidden,
                Shown::Small
            ]
        );
        assert!(!pinned_by_bounds(&shown, &[true; 8], &relations[0]));
    }

    #[test]
    fn a_cell_given_only_by_a_combination_of_relations_is_found_and_protected() {
        // a + b = 12 (shown), b + c = 9 (shown), a + c = 7 (shown): each pair has two hidden cells, but the three
        // sums give a = 5, b = 7, c = 2 exactly. Cell d keeps a shown cell beside c so that there is one to hide.
        let relations = vec![
            Relation { total: 3, parts: vec![0, 1] },
            Relation { total: 4, parts: vec![1, 2] },
            Relation { total: 5, parts: vec![0, 2] },
        ];
        let values = [5, 7, 2, 12, 9, 7];
        let mut shown =
            vec![Shown::Hidden, Shown::Hidden, Shown::Small, Shown::Value(12), Shown::Value(9), Shown::Value(7)];
        let determined = determined_cells(&shown, &relations);
        assert_eq!(&determined[..3], &[true, true, true]);
        // Hiding one sum frees them all.
        shown[3] = Shown::Hidden;
        assert_eq!(&determined_cells(&shown, &relations)[..3], &[false, false, false]);
        // protect finds the same on its own.
        let protected = protect(&values, &[true; 6], &relations);
        assert!(protected.iter().filter(|s| s.is_suppressed()).count() >= 4, "{protected:?}");
        let determined = determined_cells(&protected, &relations);
        assert!((0..6).all(|c| !protected[c].is_suppressed() || !determined[c]), "{protected:?} {determined:?}");
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

        /// For random tables with row, column and grand totals: every count of 1–4 is suppressed ("<5", or "×" where
        /// its bounds had to be widened), and no suppressed
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
                    prop_assert!(shown[i].is_suppressed(), "cell {} = {}", i, v);
                }
                if let Shown::Value(x) = shown[i] {
                    prop_assert_eq!(x, *v);
                }
            }
            prop_assert!(recomputable_cells(rows, columns, &shown).is_empty(), "{:?} → {:?}", values, shown);
            for r in &relations {
                prop_assert!(!pinned_by_bounds(&shown, &vec![true; cells], r), "{:?} pinned in {:?}", shown, r);
            }
        }
    }
}
