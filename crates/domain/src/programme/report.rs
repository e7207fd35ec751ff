//! The annual report on the programme (sprawozdanie z realizacji programu) as plain data, in the reference report's
//! structure: strategic goal → specific goal → task → responsible institutions → time frame → indicators with their
//! values, the team's narrative, earlier years and the targets. The browser preview and the document exports (PDF,
//! DOCX/ODT, XLSX) render this one structure; it holds figures and names of institutions, never persons. The one
//! exception is the team's recommendations to the mayor, free text that the store fills in only for the team's
//! staff (the read audited); everyone else gets the section empty.

use serde::Serialize;

use super::ComputedKey;

/// The report of one programme for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    pub tenant_name: String,
    pub teryt: String,
    pub programme_title: String,
    pub period_from: i16,
    pub period_to: i16,
    pub year: i16,
    /// The version of the programme the report follows: the one in force on 31 December of the year.
    pub version_number: i64,
    /// The day that version applies from (ISO date).
    pub version_applies_from: String,
    pub version_resolution: String,
    pub strategic_goal: String,
    /// The years shown for comparison (earlier years of the period, and the report's year last).
    pub years: Vec<i16>,
    pub goals: Vec<ReportGoal>,
    /// The team's conclusions and recommendations to the mayor of the report's year (a section of the report).
    pub recommendations: Vec<ReportRecommendation>,
    /// The recommendations of the year before with what became of them (their follow-up in the report's year).
    pub follow_ups: Vec<ReportRecommendation>,
    /// The projects and co-financed programmes running in the report's year.
    pub projects: Vec<ReportProject>,
}

/// One recommendation to the mayor as the report and the letter print it. Dates are ISO (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecommendation {
    pub year: i16,
    pub addressee: String,
    pub recommendation: String,
    pub justification: String,
    pub status: crate::team::RecommendationStatus,
    pub submitted_on: Option<String>,
    pub response: String,
    pub responded_on: Option<String>,
    pub follow_up: String,
}

/// One project or co-financed programme as the report prints it. Amounts in grosze; dates ISO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportProject {
    pub title: String,
    pub funder: crate::team::Funder,
    pub funder_name: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub amount_granted: i64,
    pub amount_spent: i64,
    pub partners: String,
    pub target_group: String,
    pub planned_results: String,
    pub achieved_results: String,
    /// The programme's tasks and indicators it serves, by title.
    pub serves: Vec<String>,
}

impl ReportProject {
    /// Spending above the grant: accepted, and every rendering says so.
    pub fn overspent(&self) -> bool {
        self.amount_spent > self.amount_granted
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportGoal {
    pub id: String,
    /// "I", "II"… as the reference report numbers its goals.
    pub numeral: String,
    pub title: String,
    pub narrative: String,
    pub tasks: Vec<ReportTask>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTask {
    pub id: String,
    /// "1", "2"… within the goal.
    pub number: usize,
    pub title: String,
    pub institutions: Vec<String>,
    /// "2024 r." or "2024–2030".
    pub time_frame: String,
    pub narrative: String,
    pub indicators: Vec<ReportIndicator>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportIndicator {
    pub id: String,
    pub name: String,
    /// The computed key, when Ostoja counts it.
    pub computed: Option<ComputedKey>,
    /// The value for each of [`AnnualReport::years`], in the same order; `None` where nothing was computed or entered.
    pub values: Vec<YearValue>,
    /// The report year's breakdown ("police" → 61…), for computed indicators that have one.
    pub breakdown: Vec<(String, i64)>,
    /// The report year's target, if the programme sets one.
    pub target: Option<i64>,
    /// Notes entered with the values, by institution.
    pub notes: Vec<String>,
    /// For entered indicators: the institutions that have not entered the report year's value.
    pub missing_from: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct YearValue {
    pub year: i16,
    pub value: Option<i64>,
    pub target: Option<i64>,
}

impl ReportIndicator {
    /// The report year's value (the last of the years).
    pub fn value(&self) -> Option<i64> {
        self.values.last().and_then(|v| v.value)
    }

    /// Whether the report year's target is met (at least the target); `None` without a target or a value.
    pub fn target_met(&self) -> Option<bool> {
        Some(self.value()? >= self.target?)
    }
}

/// The Roman numeral of a goal's position (1-based), as the reference report writes "Cel I".
pub fn numeral(n: usize) -> String {
    const N: [&str; 12] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
    N.get(n.wrapping_sub(1)).map_or_else(|| n.to_string(), |s| (*s).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_are_numbered_like_the_reference_report_and_targets_compare_with_the_last_year() {
        assert_eq!(numeral(1), "I");
        assert_eq!(numeral(4), "IV");
        assert_eq!(numeral(13), "13");
        let mut i = ReportIndicator {
            id: "x".into(),
            name: "x".into(),
            computed: None,
            values: vec![
                YearValue { year: 2024, value: Some(5), target: None },
                YearValue { year: 2025, value: Some(6), target: Some(6) },
            ],
            breakdown: vec![],
            target: Some(6),
            notes: vec![],
            missing_from: vec![],
        };
        assert_eq!(i.target_met(), Some(true));
        i.target = Some(7);
        assert_eq!(i.target_met(), Some(false));
    }
}
