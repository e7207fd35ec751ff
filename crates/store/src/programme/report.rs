//! The annual report, assembled from the programme, the computed indicators and the entries (the statutory set is
//! `super::statutory`).

use std::collections::HashMap;

use domain::identity::Permission;
use domain::programme::report::numeral;
use domain::programme::{
    AnnualReport, ComputedKey, ProgrammeIndicatorSource, ReportGoal, ReportIndicator, ReportTask, YearValue,
};
use uuid::Uuid;

use super::indicators::ComputedValue;
use crate::db::on_pool;
use crate::identity::Principal;
use crate::{Store, StoreError};

fn years_in(period_from: i16, year: i16) -> Vec<i16> {
    (period_from.min(year)..=year).collect()
}

impl Store {
    /// The annual report of `programme` for `year`, in the programme's structure, with earlier years of the period
    /// and the targets. Figures and institutions only, but for the recommendations to the mayor, which only the team's
    /// staff get (audited). The team and the aggregate viewers.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "annual_report", programme = %programme, year = year))]
    pub async fn annual_report(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
    ) -> Result<AnnualReport, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ManageProgramme) && !principal.roles.permits(Permission::ViewAggregates)
        {
            return Err(StoreError::NotFound);
        }
        let view = self.load_programme(tenant, programme).await?;
        if year < view.period_from || year > view.period_to {
            return Err(StoreError::invalid("year", "err-year-out-of-range"));
        }
        let version = view.version_for_year(year).ok_or(StoreError::NotFound)?.clone();
        let content = &version.content;
        let years = years_in(view.period_from, year);
        let uses_persons = content.indicators().any(|(_, _, i)| {
            matches!(
                i.source,
                ProgrammeIndicatorSource::Computed {
                    key: ComputedKey::PersonsAffected | ComputedKey::PersonsSuspected
                }
            )
        });
        let mut computed: HashMap<i16, Vec<ComputedValue>> = HashMap::new();
        for y in &years {
            let with_persons = uses_persons && *y == year;
            computed.insert(*y, self.tenant_indicators(principal, tenant, *y, with_persons).await?);
        }
        let entries: Vec<(String, i32, Uuid, i64, Option<String>)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT indicator_id, year, institution_id, value, note FROM indicator_entry WHERE programme_id = $1 AND year <= $2")
            .bind(programme).bind(i32::from(year)).fetch_all(p).await)?;
        let narratives: Vec<(String, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT node_id, body FROM report_narrative WHERE programme_id = $1 AND year = $2")
            .bind(programme).bind(i32::from(year)).fetch_all(p).await)?;
        let narrative = |id: &str| narratives.iter().find(|(n, _)| n == id).map(|(_, b)| b.clone()).unwrap_or_default();
        let institutions = self.list_institutions(tenant).await?;
        let name_of = |id: &Uuid| institutions.iter().find(|i| i.id == *id).map(|i| i.name.clone()).unwrap_or_default();
        let mut goals = Vec::new();
        for (g, goal) in content.goals.iter().enumerate() {
            let mut tasks = Vec::new();
            for (t, task) in goal.tasks.iter().enumerate() {
                let mut indicators = Vec::new();
                for indicator in &task.indicators {
                    let mut values = Vec::new();
                    let mut breakdown = Vec::new();
                    let mut notes = Vec::new();
                    let mut missing_from = Vec::new();
                    let computed_key = match &indicator.source {
                        ProgrammeIndicatorSource::Computed { key } => Some(*key),
                        ProgrammeIndicatorSource::Entered { .. } => None,
                    };
                    for y in &years {
                        let value = match &indicator.source {
                            ProgrammeIndicatorSource::Computed { key } => {
                                let v = computed.get(y).and_then(|vs| vs.iter().find(|v| v.key == *key));
                                if *y == year
                                    && let Some(v) = v
                                {
                                    breakdown.clone_from(&v.breakdown);
                                    if let Some(n) = &v.note {
                                        notes.push(n.clone());
                                    }
                                }
                                v.map(|v| v.total)
                            }
                            ProgrammeIndicatorSource::Entered { institutions: assigned } => {
                                let rows: Vec<_> =
                                    entries.iter().filter(|e| e.0 == indicator.id && e.1 == i32::from(*y)).collect();
                                if *y == year {
                                    for inst in assigned {
                                        match rows.iter().find(|e| e.2 == *inst) {
                                            Some(e) => {
                                                if let Some(n) = &e.4 {
                                                    notes.push(format!("{}: {n}", name_of(inst)));
                                                }
                                            }
                                            None => missing_from.push(name_of(inst)),
                                        }
                                    }
                                }
                                (!rows.is_empty()).then(|| rows.iter().map(|e| e.3).sum())
                            }
                        };
                        values.push(YearValue { year: *y, value, target: indicator.targets.get(y).copied() });
                    }
                    indicators.push(ReportIndicator {
                        id: indicator.id.clone(),
                        name: indicator.name.clone(),
                        computed: computed_key,
                        values,
                        breakdown,
                        target: indicator.targets.get(&year).copied(),
                        notes,
                        missing_from,
                    });
                }
                let time_frame = if task.from_year == task.to_year {
                    format!("{} r.", task.from_year)
                } else {
                    format!("{}–{}", task.from_year, task.to_year)
                };
                tasks.push(ReportTask {
                    id: task.id.clone(),
                    number: t + 1,
                    title: task.title.clone(),
                    institutions: task.institutions.iter().map(name_of).collect(),
                    time_frame,
                    narrative: narrative(&task.id),
                    indicators,
                });
            }
            goals.push(ReportGoal {
                id: goal.id.clone(),
                numeral: numeral(g + 1),
                title: goal.title.clone(),
                narrative: narrative(&goal.id),
                tasks,
            });
        }
        let (recommendations, follow_ups) = self.report_recommendations(principal, year).await?;
        let projects = self.report_projects(tenant, year, content).await?;
        Ok(AnnualReport {
            tenant_name: principal.tenant_name.clone().unwrap_or_default(),
            teryt: principal.tenant_teryt.clone().unwrap_or_default(),
            programme_title: view.title.clone(),
            period_from: view.period_from,
            period_to: view.period_to,
            year,
            version_number: version.number,
            version_applies_from: version.applies_from.clone(),
            version_resolution: version.resolution.clone(),
            strategic_goal: content.strategic_goal.clone(),
            years,
            goals,
            recommendations,
            follow_ups,
            projects,
        })
    }
}

impl Store {
    /// Records that the annual report of `programme` for `year` was generated as `format` (`pdf`, `xlsx`, `odt`) for
    /// `actor` (an account on the web, the operator at the command line): figures only, no personal data, but every
    /// generated document is in the audit trail.
    pub async fn record_report_document(
        &self,
        actor: &crate::Actor,
        programme: Uuid,
        year: i16,
        format: &str,
    ) -> Result<(), StoreError> {
        let record =
            crate::AuditRecord::new(domain::audit::AuditAction::Create, "programme_report_document", programme)
                .in_tenant(actor.tenant_id)
                .detail(format!("{format} {year}"));
        self.record_event(actor, record).await
    }
}
