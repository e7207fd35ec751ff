//! What the team learns from its own work (issue 18): the local diagnosis (procedures, persons, recurrence, time to
//! close, areas of the municipality) and the outcomes of support (what the closed procedures' plans achieved), as
//! plain tables that the pages, the PDF and the ODT draft render alike. Pure: the store counts, this module states the
//! rules (quartiles, age groups, the locality of an address, the small-cell rule for what is shared beyond the team).

use std::borrow::Cow;

use jiff::civil::Date;
use serde::Serialize;

use crate::forms::{SectionValues, ValidatedAnswers, Value};
use crate::person::{ADULT_AGE, ELDERLY_MIN_AGE, age_on};

/// Cells below this (but above 0) are shown as "<5" in the version shared beyond the team: a count of 1–4 in a small
/// municipality can point at a family.
pub const SMALL_CELL: i64 = 5;

/// How a row's values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A count.
    Count,
    /// A share in tenths of a percent (571 = 57,1%).
    Permille,
    /// Whole days.
    Days,
}

/// One cell as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "cell", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Value(i64),
    /// 1–4 cases behind it, in the version shared beyond the team.
    FewerThanFive,
    /// Nothing to compute from (a median of no closings).
    Missing,
}

impl Cell {
    /// The cell in Polish form: "1 234", "57,1%", "<5", "—" (the English pages use the same digits, a point for the
    /// decimal).
    pub fn shown(self, kind: RowKind, english: bool) -> String {
        let v = match self {
            Cell::Value(v) => v,
            Cell::FewerThanFive => return "<5".to_owned(),
            Cell::Missing => return "—".to_owned(),
        };
        match kind {
            RowKind::Count | RowKind::Days => grouped(v, if english { ',' } else { '\u{a0}' }),
            RowKind::Permille => format!("{}{}{}%", v / 10, if english { '.' } else { ',' }, v % 10),
        }
    }
}

/// Thousands grouped: 12345 → "12 345" (a no-break space in Polish, so a figure never wraps).
fn grouped(v: i64, separator: char) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// One row of a table: its label in both languages, its cells with how each reads, and the count each cell stands on
/// (the rule for sharing hides a cell whose base is 1–4; for a count the base is the count itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub label_pl: Cow<'static, str>,
    pub label_en: Cow<'static, str>,
    pub cells: Vec<Cell>,
    pub kinds: Vec<RowKind>,
    #[serde(skip)]
    pub bases: Vec<i64>,
    /// The figure whose cases the team may open, per year column (the outcomes); none for the diagnosis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<&'static str>,
}

impl Row {
    fn new(
        label_pl: Cow<'static, str>,
        label_en: Cow<'static, str>,
        kind: RowKind,
        cells: Vec<Cell>,
        bases: Vec<i64>,
    ) -> Row {
        Row { label_pl, label_en, kinds: vec![kind; cells.len()], cells, bases, figure: None }
    }

    pub fn counts(label_pl: impl Into<Cow<'static, str>>, label_en: impl Into<Cow<'static, str>>, n: &[i64]) -> Row {
        Row::new(
            label_pl.into(),
            label_en.into(),
            RowKind::Count,
            n.iter().map(|&v| Cell::Value(v)).collect(),
            n.to_vec(),
        )
    }

    /// Shares `part / whole` per column, in tenths of a percent; a column without a whole is missing.
    pub fn shares(
        label_pl: impl Into<Cow<'static, str>>,
        label_en: impl Into<Cow<'static, str>>,
        part: &[i64],
        whole: &[i64],
    ) -> Row {
        let cells = part.iter().zip(whole).map(|(&p, &w)| permille(p, w).map_or(Cell::Missing, Cell::Value)).collect();
        Row::new(label_pl.into(), label_en.into(), RowKind::Permille, cells, whole.to_vec())
    }

    pub fn days(
        label_pl: impl Into<Cow<'static, str>>,
        label_en: impl Into<Cow<'static, str>>,
        values: &[Option<i64>],
        bases: &[i64],
    ) -> Row {
        let cells = values.iter().map(|v| v.map_or(Cell::Missing, Cell::Value)).collect();
        Row::new(label_pl.into(), label_en.into(), RowKind::Days, cells, bases.to_vec())
    }

    /// This row with `other`'s cells after its own (a count and its share side by side).
    pub fn then(mut self, other: Row) -> Row {
        self.cells.extend(other.cells);
        self.kinds.extend(other.kinds);
        self.bases.extend(other.bases);
        self
    }

    pub fn with_figure(mut self, figure: &'static str) -> Row {
        self.figure = Some(figure);
        self
    }

    /// The row's value in column `i` (for tests and charts); none when not shown as a number.
    pub fn value(&self, i: usize) -> Option<i64> {
        match self.cells.get(i)? {
            Cell::Value(v) => Some(*v),
            _ => None,
        }
    }

    /// Cell `i` as shown.
    pub fn shown(&self, i: usize, english: bool) -> String {
        match (self.cells.get(i), self.kinds.get(i)) {
            (Some(c), Some(k)) => c.shown(*k, english),
            _ => "—".to_owned(),
        }
    }

    pub fn label(&self, english: bool) -> &str {
        if english { &self.label_en } else { &self.label_pl }
    }
}

/// What a table's chart shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartOf {
    /// Row `n` across the year columns (the total column left out): a trend.
    RowByYear(usize),
    /// The last column of each row from row `n` on: a breakdown.
    LastColumnByRow(usize),
}

/// A table with a chart beside it on the page and in the PDF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable, for anchors and tests ("opened").
    pub id: &'static str,
    pub title_pl: &'static str,
    pub title_en: &'static str,
    /// How it was counted.
    pub rule_pl: &'static str,
    pub rule_en: &'static str,
    /// Column headings (years, then "razem"; or the breakdown's headings).
    pub columns: Vec<Cow<'static, str>>,
    pub rows: Vec<Row>,
    pub chart: ChartOf,
}

/// The heading of the total column.
pub const TOTAL: &str = "razem";

impl Table {
    /// The row labelled `label_pl` (tests).
    pub fn row(&self, label_pl: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label_pl == label_pl)
    }

    pub fn title(&self, english: bool) -> &'static str {
        if english { self.title_en } else { self.title_pl }
    }

    pub fn rule(&self, english: bool) -> &'static str {
        if english { self.rule_en } else { self.rule_pl }
    }

    /// A column's heading ("razem" is "total" in English).
    pub fn column(&self, i: usize, english: bool) -> &str {
        match self.columns.get(i).map(|c| c.as_ref()) {
            Some(TOTAL) if english => "total",
            Some(c) => c,
            None => "",
        }
    }

    /// The chart's bars: label, the cell and how it reads. Cells not shown as numbers have no bar.
    pub fn chart_bars(&self, english: bool) -> Vec<(String, Cell, RowKind)> {
        match self.chart {
            ChartOf::RowByYear(n) => {
                let Some(row) = self.rows.get(n) else { return Vec::new() };
                self.columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.as_ref() != TOTAL)
                    .filter_map(|(i, c)| Some((c.to_string(), *row.cells.get(i)?, *row.kinds.get(i)?)))
                    .collect()
            }
            ChartOf::LastColumnByRow(n) => self
                .rows
                .iter()
                .skip(n)
                .filter_map(|r| Some((r.label(english).to_owned(), *r.cells.last()?, *r.kinds.last()?)))
                .collect(),
        }
    }

    /// What the chart shows, in words (its accessible name).
    pub fn chart_caption(&self, english: bool) -> String {
        match self.chart {
            ChartOf::RowByYear(n) => self.rows.get(n).map(|r| r.label(english).to_owned()).unwrap_or_default(),
            ChartOf::LastColumnByRow(_) => self.title(english).to_owned(),
        }
    }

    /// Whether every count in it is zero: nothing to see.
    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.kinds.iter().zip(&r.bases).all(|(k, &b)| *k != RowKind::Count || b == 0))
    }

    /// The version shared beyond the team: every cell standing on 1–4 cases becomes "<5".
    pub fn for_sharing(mut self) -> Table {
        for row in &mut self.rows {
            for (cell, &base) in row.cells.iter_mut().zip(&row.bases) {
                if (1..SMALL_CELL).contains(&base) {
                    *cell = Cell::FewerThanFive;
                }
            }
            row.figure = None;
        }
        self
    }
}

/// A report made of tables for a span of years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LearningReport {
    pub tenant_name: String,
    pub from: i16,
    pub to: i16,
    /// Shared beyond the team: small cells hidden, no links to cases.
    pub for_sharing: bool,
    /// No procedure in the span: the pages show an empty state instead of zeros that look like facts.
    pub empty: bool,
    pub tables: Vec<Table>,
}

impl LearningReport {
    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    pub fn for_sharing(mut self) -> LearningReport {
        self.for_sharing = true;
        self.tables = self.tables.into_iter().map(Table::for_sharing).collect();
        self
    }

    pub fn years(&self) -> impl Iterator<Item = i16> {
        self.from..=self.to
    }
}

/// The longest span one diagnosis covers: a programme runs up to about seven years; ten leaves room.
pub const MAX_SPAN_YEARS: i16 = 10;

/// Checks a span of years as typed: both whole years 2000–2100, `from` not after `to`, not longer than
/// [`MAX_SPAN_YEARS`], not starting after `this_year`. The error is a message id for the field named.
pub fn check_span(from: &str, to: &str, this_year: i16) -> Result<(i16, i16), (&'static str, &'static str)> {
    let year = |raw: &str, field: &'static str| {
        raw.trim().parse::<i16>().ok().filter(|y| (2000..=2100).contains(y)).ok_or((field, "err-year-format"))
    };
    let (from, to) = (year(from, "from")?, year(to, "to")?);
    if from > this_year {
        return Err(("from", "err-span-in-future"));
    }
    if to < from {
        return Err(("to", "err-span-before-start"));
    }
    if to - from >= MAX_SPAN_YEARS {
        return Err(("to", "err-span-too-long"));
    }
    Ok((from, to.min(this_year)))
}

/// `part / whole` in tenths of a percent, rounded half up; none without a whole.
pub fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 2000 + whole) / (2 * whole))
}

/// The first quartile, median and third quartile of `values`, rounded to whole units, by linear interpolation
/// between order statistics (as spreadsheets' QUARTILE.INC, so a member can check it by hand); none for no values.
pub fn quartiles(values: &mut [i64]) -> Option<[i64; 3]> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let at = |p: f64| {
        let h = (values.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        let (low, high) = (values.get(lo).copied().unwrap_or(0), values.get(hi).copied().unwrap_or(0));
        let v = low as f64 + (h - lo as f64) * (high - low) as f64;
        v.round() as i64
    };
    Some([at(0.25), at(0.5), at(0.75)])
}

/// The age groups of the diagnosis: children (the act's minors), young adults, adults, older adults and the elderly
/// as the statutory set counts them ([`ELDERLY_MIN_AGE`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum AgeGroup {
    Child,
    From18To29,
    From30To44,
    From45To64,
    Elderly,
    Unknown,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 6] = [
        AgeGroup::Child,
        AgeGroup::From18To29,
        AgeGroup::From30To44,
        AgeGroup::From45To64,
        AgeGroup::Elderly,
        AgeGroup::Unknown,
    ];

    /// The group of a person born on `birth` on `on`; without a birth date, a child when marked as a minor.
    pub fn of(birth: Option<Date>, on: Date, marked_child: bool) -> AgeGroup {
        match birth.and_then(|b| age_on(b, on)) {
            Some(a) if a < ADULT_AGE => AgeGroup::Child,
            Some(a) if a < 30 => AgeGroup::From18To29,
            Some(a) if a < 45 => AgeGroup::From30To44,
            Some(a) if a < ELDERLY_MIN_AGE => AgeGroup::From45To64,
            Some(_) => AgeGroup::Elderly,
            None if marked_child => AgeGroup::Child,
            None => AgeGroup::Unknown,
        }
    }

    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            AgeGroup::Child => ("dzieci (poniżej 18 lat)", "children (under 18)"),
            AgeGroup::From18To29 => ("18–29 lat", "18–29"),
            AgeGroup::From30To44 => ("30–44 lata", "30–44"),
            AgeGroup::From45To64 => ("45–64 lata", "45–64"),
            AgeGroup::Elderly => ("65 lat i więcej", "65 and over"),
            AgeGroup::Unknown => ("wiek nieznany", "age unknown"),
        }
    }
}

/// The locality ("miejscowość") of the first person experiencing violence on a form A, where the address allows it:
/// the 2011 form's own town field; on the 2023 form the one-line address, read by [`locality_of_address`]. Personal
/// data: the store keeps it sealed and counts it in the municipality's own pass.
pub fn area_of_form_a(answers: &ValidatedAnswers) -> Option<String> {
    if let Some(Value::Text(town)) = answers.get("affected_person", "residence_town") {
        return tidy(town);
    }
    let Some(SectionValues::Many(persons)) = answers.section("affected_persons") else { return None };
    persons.iter().find_map(|p| match p.get("residence_address") {
        Some(Value::Text(address)) => locality_of_address(address),
        _ => None,
    })
}

/// The locality of a one-line Polish address: the words after a postcode ("ul. Długa 5, 38-200 Jasło" → "Jasło"),
/// else the last part after a comma that holds no digit ("Długa 5, Jasło"). None when neither reads: a street alone
/// says nothing of the area, and a guess would count a family in the wrong place.
pub fn locality_of_address(address: &str) -> Option<String> {
    let chars: Vec<char> = address.chars().collect();
    for i in 0..chars.len().saturating_sub(5) {
        let is_postcode = chars.get(i..i + 6).is_some_and(|code| {
            code.iter().enumerate().all(|(k, c)| if k == 2 { *c == '-' } else { c.is_ascii_digit() })
        }) && (i == 0 || chars.get(i - 1).is_none_or(|c| !c.is_ascii_digit()))
            && chars.get(i + 6).is_none_or(|c| !c.is_ascii_digit());
        if is_postcode {
            let rest: String = chars.get(i + 6..).unwrap_or_default().iter().collect();
            let town = rest.split(',').next().unwrap_or("");
            if let Some(t) = tidy(town) {
                return Some(t);
            }
        }
    }
    let last = address.rsplit(',').next()?;
    if address.contains(',') && !last.chars().any(|c| c.is_ascii_digit()) { tidy(last) } else { None }
}

/// One spelling per locality: trimmed, inner spaces single, each word capitalised as Polish town names are.
fn tidy(raw: &str) -> Option<String> {
    let words: Vec<String> = raw
        .split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut c = lower.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        })
        .collect();
    let out = words.join(" ");
    (!out.is_empty() && out.chars().count() <= 80).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_like_a_spreadsheet() {
        assert_eq!(quartiles(&mut []), None);
        assert_eq!(quartiles(&mut [40]), Some([40, 40, 40]));
        // QUARTILE.INC({10,20,30,40}) = 17.5, 25, 32.5 → rounded half away from zero.
        assert_eq!(quartiles(&mut [40, 10, 30, 20]), Some([18, 25, 33]));
        assert_eq!(quartiles(&mut [1, 2, 3, 4, 5, 6, 7, 8, 9]), Some([3, 5, 7]));
    }

    #[test]
    fn shares_round_half_up_in_tenths_of_a_percent() {
        assert_eq!(permille(4, 7), Some(571));
        assert_eq!(permille(1, 8), Some(125));
        assert_eq!(permille(0, 0), None);
        assert_eq!(permille(3, 3), Some(1000));
    }

    #[test]
    fn cells_read_in_polish_form() {
        assert_eq!(Cell::Value(12345).shown(RowKind::Count, false), "12\u{a0}345");
        assert_eq!(Cell::Value(12345).shown(RowKind::Count, true), "12,345");
        assert_eq!(Cell::Value(571).shown(RowKind::Permille, false), "57,1%");
        assert_eq!(Cell::Value(1000).shown(RowKind::Permille, true), "100.0%");
        assert_eq!(Cell::FewerThanFive.shown(RowKind::Count, false), "<5");
        assert_eq!(Cell::Missing.shown(RowKind::Days, false), "—");
        assert_eq!(Cell::Value(0).shown(RowKind::Days, false), "0");
    }

    #[test]
    fn sharing_hides_cells_of_one_to_four_but_not_zero_or_five() {
        let t = Table {
            id: "t",
            title_pl: "",
            title_en: "",
            rule_pl: "",
            rule_en: "",
            columns: vec!["2025".into(), "2026".into(), "2027".into(), "2028".into()],
            chart: ChartOf::RowByYear(0),
            rows: vec![
                Row::counts("a", "a", &[0, 1, 4, 5]),
                Row::shares("b", "b", &[0, 1, 2, 3], &[0, 3, 4, 6]).with_figure("x"),
            ],
        }
        .for_sharing();
        assert_eq!(t.rows[0].cells, [Cell::Value(0), Cell::FewerThanFive, Cell::FewerThanFive, Cell::Value(5)]);
        assert_eq!(t.rows[1].cells, [Cell::Missing, Cell::FewerThanFive, Cell::FewerThanFive, Cell::Value(500)]);
        assert_eq!(t.rows[1].figure, None, "no links to cases beyond the team");
    }

    #[test]
    fn a_span_is_checked_beside_its_field() {
        assert_eq!(check_span("2024", "2026", 2026), Ok((2024, 2026)));
        assert_eq!(check_span("2024", "2030", 2026), Ok((2024, 2026)), "the future is cut off, not counted");
        assert_eq!(check_span("20x4", "2026", 2026), Err(("from", "err-year-format")));
        assert_eq!(check_span("2027", "2028", 2026), Err(("from", "err-span-in-future")));
        assert_eq!(check_span("2026", "2024", 2026), Err(("to", "err-span-before-start")));
        assert_eq!(check_span("2010", "2026", 2026), Err(("to", "err-span-too-long")));
    }

    #[test]
    fn age_groups_follow_the_birth_date_on_the_day_of_entry() {
        let on = jiff::civil::date(2026, 5, 1);
        let born = |y, m, d| Some(jiff::civil::date(y, m, d));
        assert_eq!(AgeGroup::of(born(2008, 5, 2), on, false), AgeGroup::Child);
        assert_eq!(AgeGroup::of(born(2008, 5, 1), on, false), AgeGroup::From18To29);
        assert_eq!(AgeGroup::of(born(1961, 5, 1), on, false), AgeGroup::Elderly);
        assert_eq!(AgeGroup::of(born(1961, 5, 2), on, false), AgeGroup::From45To64);
        assert_eq!(AgeGroup::of(None, on, true), AgeGroup::Child);
        assert_eq!(AgeGroup::of(None, on, false), AgeGroup::Unknown);
    }

    #[test]
    fn the_locality_is_read_where_the_address_allows_it() {
        assert_eq!(locality_of_address("ul. Długa 5, 38-200 Jasło").as_deref(), Some("Jasło"));
        assert_eq!(locality_of_address("38-200 jasło, ul. Długa 5").as_deref(), Some("Jasło"));
        assert_eq!(locality_of_address("Długa 5/3, Nowa  Wieś").as_deref(), Some("Nowa Wieś"));
        assert_eq!(locality_of_address("Kwiatowa 12 m. 4"), None);
        assert_eq!(locality_of_address("Długa 5, 12"), None);
        assert_eq!(locality_of_address(""), None);
        // A phone number is not a postcode.
        assert_eq!(locality_of_address("tel. 600-123456"), None);
    }
}
