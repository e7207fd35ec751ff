//! The register of projects and co-financed programmes the team runs (seed 002: projects co-financed by the ministry):
//! title, period, funder, the amounts granted and spent, partners, target group, planned and achieved results, and
//! the programme's tasks and indicators it serves. It describes institutions, money and results, never persons, so
//! it is kept in clear (like the activities); the annual report lists the projects running in its year.

use crate::Caller;
use std::collections::HashSet;

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::programme::{ProgrammeContent, ReportProject};
use domain::team::{Funder, parse_amount, parse_date, parse_optional_date, parse_optional_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PROJECT, date_text, opt_text_date, scope, text_date};
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

/// A project as typed (form or JSON), before validation. Amounts in złoty as typed ("12 500,00").
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProjectDraft {
    pub title: String,
    /// ministry, voivodeship, county, municipality, eu or other.
    pub funder: String,
    /// The funder by name ("Ministerstwo Rodziny, Pracy i Polityki Społecznej", the EU programme…).
    pub funder_name: String,
    /// YYYY-MM-DD
    pub starts_on: String,
    /// YYYY-MM-DD, not before `starts_on`; empty for none yet.
    pub ends_on: String,
    /// In złoty as typed ("12 500,00").
    pub amount_granted: String,
    /// In złoty as typed; spending above the grant is accepted and flagged.
    pub amount_spent: String,
    pub partners: String,
    pub target_group: String,
    pub planned_results: String,
    pub achieved_results: String,
    /// The ids of the tasks and indicators it serves, of the programme in force in the project's first year.
    pub programme_nodes: Vec<String>,
}

/// A validated project (the programme's node ids are checked against the programme when it is saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInput {
    pub title: String,
    pub funder: Funder,
    pub funder_name: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// In grosze.
    pub amount_granted: i64,
    pub amount_spent: i64,
    pub partners: Option<String>,
    pub target_group: Option<String>,
    pub planned_results: Option<String>,
    pub achieved_results: Option<String>,
    pub programme_nodes: Vec<String>,
}

impl ProjectDraft {
    /// Checks every field, with the message beside the field: the end is not before the start. Spending above the
    /// grant is accepted ([`Project::overspent`] makes the pages and the report say so).
    pub fn validate(&self) -> Result<ProjectInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let funder = e.check("funder", Funder::parse(&self.funder));
        let funder_name = e.check("funder_name", parse_optional_text(&self.funder_name, 300));
        let starts_on = e.check("starts_on", parse_date(&self.starts_on));
        let ends_on = e.check("ends_on", parse_optional_date(&self.ends_on));
        let amount_granted = e.check("amount_granted", parse_amount(&self.amount_granted));
        let amount_spent = e.check("amount_spent", parse_amount(&self.amount_spent));
        let partners = e.check("partners", parse_optional_text(&self.partners, 2000));
        let target_group = e.check("target_group", parse_optional_text(&self.target_group, 2000));
        let planned_results = e.check("planned_results", parse_optional_text(&self.planned_results, 10_000));
        let achieved_results = e.check("achieved_results", parse_optional_text(&self.achieved_results, 10_000));
        if let (Some(start), Some(Some(end))) = (starts_on, ends_on)
            && end < start
        {
            e.add("ends_on", "err-period-end-before-start");
        }
        let mut programme_nodes: Vec<String> = Vec::new();
        for node in &self.programme_nodes {
            let node = node.trim();
            if node.is_empty() || programme_nodes.iter().any(|n| n == node) {
                continue;
            }
            if node.len() > 40 || !node.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                e.add("programme_nodes", "err-choice-unknown");
                break;
            }
            programme_nodes.push(node.to_owned());
        }
        if !e.is_empty() {
            return Err(e);
        }
        let (
            Some(title),
            Some(funder),
            Some(funder_name),
            Some(starts_on),
            Some(ends_on),
            Some(amount_granted),
            Some(amount_spent),
            Some(partners),
            Some(target_group),
            Some(planned_results),
            Some(achieved_results),
        ) = (
            title,
            funder,
            funder_name,
            starts_on,
            ends_on,
            amount_granted,
            amount_spent,
            partners,
            target_group,
            planned_results,
            achieved_results,
        )
        else {
            return Err(e);
        };
        Ok(ProjectInput {
            title,
            funder,
            funder_name,
            starts_on,
            ends_on,
            amount_granted,
            amount_spent,
            partners,
            target_group,
            planned_results,
            achieved_results,
            programme_nodes,
        })
    }
}

/// One project of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Project {
    pub id: Uuid,
    pub title: String,
    pub funder: Funder,
    pub funder_name: Option<String>,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    /// In grosze.
    pub amount_granted: i64,
    pub amount_spent: i64,
    pub partners: Option<String>,
    pub target_group: Option<String>,
    pub planned_results: Option<String>,
    pub achieved_results: Option<String>,
    pub programme_id: Option<Uuid>,
    pub programme_nodes: Vec<String>,
    pub version: i64,
}

impl Project {
    /// Spending above the grant: accepted, shown with a warning.
    pub fn overspent(&self) -> bool {
        self.amount_spent > self.amount_granted
    }

    /// Whether the project runs at some time in `year`.
    pub fn runs_in(&self, year: i16) -> bool {
        self.starts_on.year() <= year && self.ends_on.is_none_or(|end| end.year() >= year)
    }

    pub fn to_draft(&self) -> ProjectDraft {
        let amount = |grosze: i64| format!("{},{:02}", grosze / 100, grosze % 100);
        ProjectDraft {
            title: self.title.clone(),
            funder: self.funder.as_str().to_owned(),
            funder_name: self.funder_name.clone().unwrap_or_default(),
            starts_on: date_text(self.starts_on),
            ends_on: self.ends_on.map(date_text).unwrap_or_default(),
            amount_granted: amount(self.amount_granted),
            amount_spent: amount(self.amount_spent),
            partners: self.partners.clone().unwrap_or_default(),
            target_group: self.target_group.clone().unwrap_or_default(),
            planned_results: self.planned_results.clone().unwrap_or_default(),
            achieved_results: self.achieved_results.clone().unwrap_or_default(),
            programme_nodes: self.programme_nodes.clone(),
        }
    }

    /// As the annual report prints it; `content` names the tasks and indicators it serves.
    pub fn to_report(&self, content: Option<&ProgrammeContent>) -> ReportProject {
        let serves = self
            .programme_nodes
            .iter()
            .map(|node| content.and_then(|c| node_title(c, node)).unwrap_or_else(|| node.clone()))
            .collect();
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ReportProject {
            title: self.title.clone(),
            funder: self.funder,
            funder_name: text(&self.funder_name),
            starts_on: date_text(self.starts_on),
            ends_on: self.ends_on.map(date_text),
            amount_granted: self.amount_granted,
            amount_spent: self.amount_spent,
            partners: text(&self.partners),
            target_group: text(&self.target_group),
            planned_results: text(&self.planned_results),
            achieved_results: text(&self.achieved_results),
            serves,
        }
    }
}

/// A task or indicator of the programme by its id, in words ("Zadanie 2. …", "Wskaźnik: …").
pub fn node_title(content: &ProgrammeContent, node: &str) -> Option<String> {
    for goal in &content.goals {
        for (n, task) in goal.tasks.iter().enumerate() {
            if task.id == node {
                return Some(format!("{}.{} {}", goal_number(content, &goal.id), n + 1, task.title));
            }
            if let Some(i) = task.indicators.iter().find(|i| i.id == node) {
                return Some(format!("{}.{} {} – {}", goal_number(content, &goal.id), n + 1, task.title, i.name));
            }
        }
    }
    None
}

fn goal_number(content: &ProgrammeContent, goal: &str) -> String {
    let position = content.goals.iter().position(|g| g.id == goal).unwrap_or(0);
    domain::programme::report::numeral(position + 1)
}

/// Every task and indicator id of the programme.
fn node_ids(content: &ProgrammeContent) -> HashSet<&str> {
    let mut ids = HashSet::new();
    for task in content.goals.iter().flat_map(|g| &g.tasks) {
        ids.insert(task.id.as_str());
        ids.extend(task.indicators.iter().map(|i| i.id.as_str()));
    }
    ids
}

type ProjectRow = (
    Uuid,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    i64,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Uuid>,
    String,
    i64,
);

fn project_from(r: ProjectRow) -> Result<Project, StoreError> {
    Ok(Project {
        id: r.0,
        title: r.1,
        funder: Funder::parse(&r.2).map_err(|_| StoreError::Corrupt(format!("project funder {}", r.2)))?,
        funder_name: r.3,
        starts_on: text_date(&r.4)?,
        ends_on: opt_text_date(r.5)?,
        amount_granted: r.6,
        amount_spent: r.7,
        partners: r.8,
        target_group: r.9,
        planned_results: r.10,
        achieved_results: r.11,
        programme_id: r.12,
        programme_nodes: r.13.split_whitespace().map(str::to_owned).collect(),
        version: r.14,
    })
}

const PROJECT_COLUMNS: &str = "id, title, funder, funder_name, starts_on, ends_on, amount_granted, amount_spent, \
     partners, target_group, planned_results, achieved_results, programme_id, programme_nodes, version";

impl Store {
    /// The programme in force in the project's first year, when the project names tasks or indicators of it; every
    /// id must be one of its tasks or indicators.
    async fn project_programme(&self, tenant: Uuid, input: &ProjectInput) -> Result<Option<Uuid>, StoreError> {
        if input.programme_nodes.is_empty() {
            return Ok(None);
        }
        let year = input.starts_on.year();
        let row: Option<(Uuid,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id FROM programme WHERE tenant_id = $1 AND period_from <= $2 AND period_to >= $2 \
             ORDER BY period_from DESC LIMIT 1")
            .bind(tenant).bind(i32::from(year)).fetch_optional(p).await)?;
        let Some((programme,)) = row else { return Err(StoreError::invalid("programme_nodes", "err-choice-unknown")) };
        let view = self.load_programme(tenant, programme).await?;
        let version = view.version_for_year(year).ok_or(StoreError::NotFound)?;
        let known = node_ids(&version.content);
        if input.programme_nodes.iter().any(|n| !known.contains(n.as_str())) {
            return Err(StoreError::invalid("programme_nodes", "err-choice-unknown"));
        }
        Ok(Some(programme))
    }

    pub async fn create_project(&self, caller: &Caller<'_>, input: &ProjectInput) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let programme = self.project_programme(tenant, input).await?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_project (id, tenant_id, title, funder, funder_name, starts_on, ends_on, amount_granted, \
               amount_spent, partners, target_group, planned_results, achieved_results, programme_id, programme_nodes, \
               created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)")
            .bind(id).bind(tenant).bind(&input.title).bind(input.funder.as_str()).bind(&input.funder_name)
            .bind(date_text(input.starts_on)).bind(input.ends_on.map(date_text))
            .bind(input.amount_granted).bind(input.amount_spent).bind(&input.partners).bind(&input.target_group)
            .bind(&input.planned_results).bind(&input.achieved_results).bind(programme)
            .bind(input.programme_nodes.join(" ")).bind(caller.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_project", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_project(
        &self,
        caller: &Caller<'_>,
        project_id: Uuid,
        input: &ProjectInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let programme = self.project_programme(tenant, input).await?;
        let mut tx = self.db.begin().await?;
        PROJECT.check_version(&mut tx, project_id, tenant, expected_version).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_project SET title = $3, funder = $4, funder_name = $5, starts_on = $6, ends_on = $7, \
               amount_granted = $8, amount_spent = $9, partners = $10, target_group = $11, planned_results = $12, \
               achieved_results = $13, programme_id = $14, programme_nodes = $15, updated_at = $16, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $17")
            .bind(project_id).bind(tenant).bind(&input.title).bind(input.funder.as_str()).bind(&input.funder_name)
            .bind(date_text(input.starts_on)).bind(input.ends_on.map(date_text))
            .bind(input.amount_granted).bind(input.amount_spent).bind(&input.partners).bind(&input.target_group)
            .bind(&input.planned_results).bind(&input.achieved_results).bind(programme)
            .bind(input.programme_nodes.join(" ")).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        PROJECT.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_project", project_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// Every project of the municipality, the newest start first.
    pub async fn projects(&self, principal: &Principal) -> Result<Vec<Project>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        self.projects_of(tenant).await
    }

    /// One project (for its edit page).
    pub async fn project(&self, principal: &Principal, project_id: Uuid) -> Result<Project, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        let sql = format!("SELECT {PROJECT_COLUMNS} FROM team_project WHERE id = $1 AND tenant_id = $2");
        let row: Option<ProjectRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(project_id).bind(tenant).fetch_optional(p).await)?;
        project_from(row.ok_or(StoreError::NotFound)?)
    }

    /// The projects running in `year`, for the annual report (clear data: whoever may read the report).
    pub(crate) async fn report_projects(
        &self,
        tenant: Uuid,
        year: i16,
        content: &ProgrammeContent,
    ) -> Result<Vec<ReportProject>, StoreError> {
        Ok(self
            .projects_of(tenant)
            .await?
            .iter()
            .rev()
            .filter(|p| p.runs_in(year))
            .map(|p| p.to_report(Some(content)))
            .collect())
    }

    async fn projects_of(&self, tenant: Uuid) -> Result<Vec<Project>, StoreError> {
        let sql =
            format!("SELECT {PROJECT_COLUMNS} FROM team_project WHERE tenant_id = $1 ORDER BY starts_on DESC, id DESC");
        let rows: Vec<ProjectRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(tenant).fetch_all(p).await)?;
        rows.into_iter().map(project_from).collect()
    }
}
