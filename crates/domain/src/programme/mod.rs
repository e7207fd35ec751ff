//! The municipal programme (art. 6 ust. 2 pkt 1 of the act): its structure (one strategic goal, specific goals,
//! tasks, responsible institutions, time frames, indicators with yearly targets), the indicators Ostoja computes from
//! the case data and the team's registers, the rules for values the institutions enter, and the annual report as a
//! plain data structure that the pages and the document exports render.
//!
//! The programme is kept in versions: the council amends it in mid-year by resolution, and each version applies from
//! a date. A year's report uses the version in force at the end of that year and names it.

pub mod area;
pub mod diagnosis;
pub mod indicators;
pub mod package;
pub mod persons;
pub mod report;
pub mod statutory;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use indicators::{Breakdown, COMPUTED, ComputedKey, IndicatorDefinition, IndicatorSource, definition};
pub use report::{
    AnnualReport, ReportGoal, ReportIndicator, ReportProject, ReportRecommendation, ReportTask, YearValue,
};

/// The content of one version of a programme: everything the council adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProgrammeContent {
    /// Cel strategiczny.
    pub strategic_goal: String,
    /// Cele szczegółowe, in order.
    pub goals: Vec<Goal>,
}

/// A specific goal (cel szczegółowy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// Stable within the programme across versions ("g1"), so narratives and entered values follow an amendment.
    pub id: String,
    pub title: String,
    pub tasks: Vec<Task>,
}

/// A task (zadanie) of a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub title: String,
    /// The responsible institutions (realizatorzy), from the municipality's institution table.
    pub institutions: Vec<Uuid>,
    /// The time frame: the first and last year of the task (a single year, or the whole period).
    pub from_year: i16,
    pub to_year: i16,
    pub indicators: Vec<ProgrammeIndicator>,
}

/// An indicator of a task: computed by Ostoja, or entered by the institutions named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeIndicator {
    /// Stable within the programme ("g1t2i1"); entered values are kept under it.
    pub id: String,
    /// The name as the programme words it.
    pub name: String,
    pub source: ProgrammeIndicatorSource,
    /// Yearly targets, by year.
    #[serde(default)]
    pub targets: BTreeMap<i16, i64>,
}

/// Where a programme indicator's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProgrammeIndicatorSource {
    /// One of [`COMPUTED`], by its key.
    Computed { key: ComputedKey },
    /// Entered each year by these institutions (their programme reporters); the value is the sum of their entries.
    Entered { institutions: Vec<Uuid> },
}

/// What is wrong with a programme's content, as (path, message id).
pub fn check_content(content: &ProgrammeContent, from_year: i16, to_year: i16) -> Vec<(String, &'static str)> {
    let mut problems = Vec::new();
    if content.strategic_goal.trim().is_empty() {
        problems.push(("strategic_goal".to_owned(), "err-required"));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (g, goal) in content.goals.iter().enumerate() {
        if goal.title.trim().is_empty() {
            problems.push((format!("goals[{g}].title"), "err-required"));
        }
        if !ids.insert(goal.id.clone()) || goal.id.trim().is_empty() {
            problems.push((format!("goals[{g}].id"), "err-programme-id-duplicate"));
        }
        for (t, task) in goal.tasks.iter().enumerate() {
            let path = format!("goals[{g}].tasks[{t}]");
            if task.title.trim().is_empty() {
                problems.push((format!("{path}.title"), "err-required"));
            }
            if !ids.insert(task.id.clone()) || task.id.trim().is_empty() {
                problems.push((format!("{path}.id"), "err-programme-id-duplicate"));
            }
            if task.from_year > task.to_year || task.from_year < from_year || task.to_year > to_year {
                problems.push((format!("{path}.from_year"), "err-programme-time-frame"));
            }
            for (i, indicator) in task.indicators.iter().enumerate() {
                let path = format!("{path}.indicators[{i}]");
                if indicator.name.trim().is_empty() {
                    problems.push((format!("{path}.name"), "err-required"));
                }
                if !ids.insert(indicator.id.clone()) || indicator.id.trim().is_empty() {
                    problems.push((format!("{path}.id"), "err-programme-id-duplicate"));
                }
                if let ProgrammeIndicatorSource::Entered { institutions } = &indicator.source
                    && institutions.is_empty()
                {
                    problems.push((format!("{path}.source"), "err-programme-no-institution"));
                }
                if indicator.targets.iter().any(|(y, v)| *v < 0 || *y < from_year || *y > to_year) {
                    problems.push((format!("{path}.targets"), "err-programme-target"));
                }
            }
        }
    }
    problems
}

impl ProgrammeContent {
    /// Every indicator with the goal and task it belongs to.
    pub fn indicators(&self) -> impl Iterator<Item = (&Goal, &Task, &ProgrammeIndicator)> {
        self.goals.iter().flat_map(|g| g.tasks.iter().flat_map(move |t| t.indicators.iter().map(move |i| (g, t, i))))
    }
}

/// Why a typed indicator value is refused: not a whole number, or negative (message ids).
pub fn parse_entered_value(raw: &str) -> Result<i64, &'static str> {
    let cleaned: String = raw.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if cleaned.is_empty() {
        return Err("err-required");
    }
    if cleaned.starts_with('-') && cleaned.len() > 1 && cleaned[1..].chars().all(|c| c.is_ascii_digit()) {
        return Err("err-indicator-negative");
    }
    cleaned.parse::<i64>().map_err(|_| "err-indicator-not-a-number")
}

/// How far off last year's value a new one may be before its reporter is asked to confirm it: more than
/// [`PLAUSIBILITY_FACTOR`] times, or less than one [`PLAUSIBILITY_FACTOR`]th. Our rule of thumb \[U\]: a typo (an
/// extra zero) or a value entered in the wrong unit, not a legal rule; it asks, never refuses.
pub const PLAUSIBILITY_FACTOR: i64 = 3;

/// Whether `value` is so far off `last_year` that the reporter should confirm it. Nothing to compare with (no value
/// last year, or zero both years) asks nothing; zero after a non-zero year, or a non-zero value after a zero year
/// above the factor, asks.
pub fn needs_confirmation(value: i64, last_year: Option<i64>) -> bool {
    let Some(last) = last_year else { return false };
    if last == 0 {
        return value > PLAUSIBILITY_FACTOR;
    }
    value > last.saturating_mul(PLAUSIBILITY_FACTOR) || value.saturating_mul(PLAUSIBILITY_FACTOR) < last
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_must_be_a_whole_number_not_below_zero() {
        assert_eq!(parse_entered_value(" 415 "), Ok(415));
        assert_eq!(parse_entered_value("1 477"), Ok(1477));
        assert_eq!(parse_entered_value("0"), Ok(0));
        assert_eq!(parse_entered_value("-3"), Err("err-indicator-negative"));
        assert_eq!(parse_entered_value("dużo"), Err("err-indicator-not-a-number"));
        assert_eq!(parse_entered_value("1,5"), Err("err-indicator-not-a-number"));
        assert_eq!(parse_entered_value(""), Err("err-required"));
    }

    #[test]
    fn a_value_three_times_off_last_year_asks_to_confirm() {
        assert!(!needs_confirmation(100, None));
        assert!(!needs_confirmation(300, Some(100)));
        assert!(needs_confirmation(301, Some(100)));
        assert!(!needs_confirmation(34, Some(100)));
        assert!(needs_confirmation(33, Some(100)));
        assert!(needs_confirmation(0, Some(10)));
        assert!(!needs_confirmation(0, Some(0)));
        assert!(!needs_confirmation(3, Some(0)));
        assert!(needs_confirmation(4, Some(0)));
    }

    #[test]
    fn content_checks_name_the_field_at_fault() {
        let content = ProgrammeContent {
            strategic_goal: "Cel".into(),
            goals: vec![Goal {
                id: "g1".into(),
                title: "Cel I".into(),
                tasks: vec![Task {
                    id: "g1".into(),
                    title: "".into(),
                    institutions: vec![],
                    from_year: 2023,
                    to_year: 2030,
                    indicators: vec![ProgrammeIndicator {
                        id: "i1".into(),
                        name: "liczba".into(),
                        source: ProgrammeIndicatorSource::Entered { institutions: vec![] },
                        targets: [(2024, -1)].into_iter().collect(),
                    }],
                }],
            }],
        };
        let problems = check_content(&content, 2024, 2030);
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "goals[0].tasks[0].title",
                "goals[0].tasks[0].id",
                "goals[0].tasks[0].from_year",
                "goals[0].tasks[0].indicators[0].source",
                "goals[0].tasks[0].indicators[0].targets"
            ]
        );
    }
}
