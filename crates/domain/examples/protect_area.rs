//! How long the disclosure control of a region's table takes: N municipalities' made-up statutory sets (consistent:
//! every partition adds up), summed and protected as the region's dashboard does on a cache miss.
//!
//!   cargo run --release -p domain --example protect_area -- [MUNICIPALITIES] [RUNS]
//!
//! Prints the time of each run and how many cells were shown "<5" and hidden. docs/benchmarks.md has the figures.

use std::collections::BTreeMap;
use std::time::Instant;

use domain::disclosure::Shown;
use domain::programme::area::protect_area;
use domain::programme::statutory::{partitions, template};

/// xorshift64*: made-up figures need no cryptographic randomness, and the same seed gives the same region.
struct Made(u64);

impl Made {
    fn below(&mut self, bound: i64) -> i64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bound = u64::try_from(bound.max(0)).unwrap_or(0) + 1;
        i64::try_from(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound).unwrap_or(0)
    }

    /// One municipality's set: each line below `size` (an "of which" below its line), then each partition's total
    /// made the sum of its parts, the deepest first.
    fn set(&mut self, size: i64) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        let mut above = [size; 3];
        for line in template() {
            let level = usize::from(line.level.min(2));
            let bound = if level == 0 { size } else { above[level - 1] };
            let value = self.below(bound);
            above[level] = value;
            out.insert(line.id.to_owned(), value);
        }
        for (total, parts) in partitions().iter().rev() {
            let sum = parts.iter().map(|p| out.get(*p).copied().unwrap_or(0)).sum();
            out.insert((*total).to_owned(), sum);
        }
        out
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let municipalities: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(187);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let sets: Vec<BTreeMap<String, i64>> = (0..municipalities)
        .map(|k| {
            let mut made = Made((k as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let size = 5 + made.below(120);
            made.set(size)
        })
        .collect();
    let counted: Vec<&BTreeMap<String, i64>> = sets.iter().collect();
    println!("{municipalities} municipalities × {} lines", template().len());
    for run in 1..=runs {
        let started = Instant::now();
        let protected = protect_area(&counted);
        let took = started.elapsed();
        let cells = protected.by_municipality.iter().flatten().chain(&protected.totals);
        let (small, hidden) = cells.fold((0, 0), |(s, h), c| match c {
            Shown::Small => (s + 1, h),
            Shown::Hidden => (s, h + 1),
            Shown::Value(_) => (s, h),
        });
        println!("run {run}: {:.1} ms, {small} cells \"<5\", {hidden} hidden", took.as_secs_f64() * 1000.0);
    }
}
