//! The municipal programme in storage: the programme and its versions (amendments apply from a date, the history is
//! kept), the values the responsible institutions enter, what is still missing and the reminders, the team's
//! narrative, the annual report and the statutory set.
//!
//! Guarantees:
//! - Only the team (Permission::ManageProgramme) adopts or amends a programme, writes the narrative, reminds
//!   institutions and opens the records behind a figure; a change made against an older version is a conflict.
//! - A programme reporter (Permission::EnterIndicators) sees and enters only the indicators assigned to the
//!   institution their account belongs to; a value that is not a whole number or is negative is refused, one far off
//!   last year's asks to be confirmed.
//! - Aggregate viewers see figures, the report and the statutory set: never persons, never case numbers.

pub mod indicators;
mod kept_persons;
mod learning;
pub mod package;
mod report;
pub mod statutory;
pub(crate) mod year_figures_cache;

pub use indicators::{ComputedValue, UnderlyingRecord};

use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::programme::{
    ProgrammeContent, ProgrammeIndicatorSource, check_content, needs_confirmation, parse_entered_value,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// A programme and its versions, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub title: String,
    pub period_from: i16,
    pub period_to: i16,
    pub versions: Vec<ProgrammeVersion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeVersion {
    pub number: i64,
    /// ISO date from which it applies.
    pub applies_from: String,
    pub resolution: String,
    pub content: ProgrammeContent,
    pub created_at: Timestamp,
}

impl ProgrammeView {
    /// The version in force on 31 December of `year` (the first version for a year before any applies).
    pub fn version_for_year(&self, year: i16) -> Option<&ProgrammeVersion> {
        let end = format!("{year:04}-12-31");
        self.versions.iter().rev().find(|v| v.applies_from <= end).or_else(|| self.versions.first())
    }

    pub fn latest(&self) -> Option<&ProgrammeVersion> {
        self.versions.last()
    }
}

/// One indicator a reporter enters for their institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReporterIndicator {
    pub indicator_id: String,
    pub goal_title: String,
    pub task_title: String,
    pub name: String,
    pub value: Option<i64>,
    pub note: Option<String>,
    /// The entry's version (0 before the first entry), for the conflict check.
    pub version: i64,
    pub last_year: Option<i64>,
    pub target: Option<i64>,
}

/// What entering a value did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EntryOutcome {
    Saved {
        version: i64,
    },
    /// Nothing stored: the value is far off last year's; submit again confirming it.
    NeedsConfirmation {
        last_year: i64,
    },
}

/// An institution that has not entered an indicator for the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingEntry {
    pub institution_id: Uuid,
    pub institution_name: String,
    pub indicator_id: String,
    pub indicator_name: String,
}

/// A programme's summary, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ProgrammeSummary {
    pub id: Uuid,
    pub title: String,
    pub period_from: i32,
    pub period_to: i32,
}

fn tenant_of(principal: &Principal, permission: Permission) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(t) if principal.roles.permits(permission) => Ok(t),
        _ => Err(StoreError::NotFound),
    }
}

fn may_read(principal: &Principal) -> Result<Uuid, StoreError> {
    let Some(t) = principal.tenant_id else { return Err(StoreError::NotFound) };
    let r = &principal.roles;
    if r.permits(Permission::ManageProgramme)
        || r.permits(Permission::ViewAggregates)
        || r.permits(Permission::EnterIndicators)
    {
        Ok(t)
    } else {
        Err(StoreError::NotFound)
    }
}

fn parse_date(s: &str) -> Result<Date, StoreError> {
    domain::parse::date(s).map_err(|code| StoreError::invalid("applies_from", code))
}

impl Store {
    /// Adopts a programme for `period_from..=period_to` with its first version. The team only.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_programme(
        &self,
        principal: &Principal,
        title: &str,
        period_from: i16,
        period_to: i16,
        applies_from: &str,
        resolution: &str,
        content: &ProgrammeContent,
    ) -> Result<Uuid, StoreError> {
        let tenant = tenant_of(principal, Permission::ManageProgramme)?;
        if title.trim().is_empty() {
            return Err(StoreError::invalid("title", "err-required"));
        }
        if period_from > period_to || period_from < 2000 || period_to > 2100 {
            return Err(StoreError::invalid("period_from", "err-programme-time-frame"));
        }
        let applies_from = parse_date(applies_from)?;
        self.check(content, period_from, period_to, resolution)?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO programme (id, tenant_id, title, period_from, period_to, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(tenant).bind(title.trim()).bind(i32::from(period_from)).bind(i32::from(period_to)).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))
            .map_err(|e| crate::error::unique_as_field(e, "period_from", "err-programme-exists"))?;
        self.insert_version(&mut tx, principal, tenant, id, 1, applies_from, resolution, content).await?;
        tx.commit().await?;
        Ok(id)
    }

    fn check(&self, content: &ProgrammeContent, from: i16, to: i16, resolution: &str) -> Result<(), StoreError> {
        if resolution.trim().is_empty() {
            return Err(StoreError::invalid("resolution", "err-required"));
        }
        match check_content(content, from, to).first() {
            Some((_, code)) => Err(StoreError::invalid("content", code)),
            None => Ok(()),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_version(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant: Uuid,
        programme: Uuid,
        number: i64,
        applies_from: Date,
        resolution: &str,
        content: &ProgrammeContent,
    ) -> Result<(), StoreError> {
        // The institutions named must be the municipality's own.
        for task in content.goals.iter().flat_map(|g| &g.tasks) {
            let named = task.institutions.iter().chain(task.indicators.iter().flat_map(|i| match &i.source {
                ProgrammeIndicatorSource::Entered { institutions } => institutions.as_slice(),
                ProgrammeIndicatorSource::Computed { .. } => &[],
            }));
            for institution in named {
                let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
                    "SELECT id FROM institution WHERE id = $1 AND tenant_id = $2").bind(*institution).bind(tenant).fetch_optional(c).await)?;
                if ok.is_none() {
                    return Err(StoreError::invalid("content", "err-programme-institution-unknown"));
                }
            }
        }
        let json = serde_json::to_string(content).map_err(|e| StoreError::Internal(e.to_string()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO programme_version (id, programme_id, number, applies_from, resolution, content, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(Uuid::now_v7()).bind(programme).bind(number).bind(applies_from.to_string()).bind(resolution.trim())
            .bind(json).bind(principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))
            .map_err(|e| match e {
                sqlx::Error::Database(d) if d.is_unique_violation() => {
                    StoreError::Conflict("programme amended since it was read")
                }
                other => StoreError::Database(other),
            })?;
        let action = if number == 1 { AuditAction::Create } else { AuditAction::Update };
        self.audit(
            tx,
            &principal.actor(None),
            &AuditRecord::new(action, "programme", programme)
                .in_tenant(Some(tenant))
                .detail(format!("version {number} from {applies_from}")),
        )
        .await?;
        Ok(())
    }

    /// Amends the programme: a new version applying from `applies_from` (not before the latest version's date).
    /// `expected_number` is the latest version the page showed; another amendment since is a conflict.
    pub async fn amend_programme(
        &self,
        principal: &Principal,
        programme: Uuid,
        applies_from: &str,
        resolution: &str,
        content: &ProgrammeContent,
        expected_number: i64,
    ) -> Result<i64, StoreError> {
        let tenant = tenant_of(principal, Permission::ManageProgramme)?;
        let view = self.load_programme(tenant, programme).await?;
        let latest = view.latest().ok_or(StoreError::NotFound)?;
        if latest.number != expected_number {
            return Err(StoreError::Conflict("programme amended since it was read"));
        }
        let applies_from = parse_date(applies_from)?;
        if applies_from.to_string() < latest.applies_from {
            return Err(StoreError::invalid("applies_from", "err-programme-amendment-before-last"));
        }
        self.check(content, view.period_from, view.period_to, resolution)?;
        let mut tx = self.db.begin().await?;
        self.insert_version(
            &mut tx,
            principal,
            tenant,
            programme,
            expected_number + 1,
            applies_from,
            resolution,
            content,
        )
        .await?;
        tx.commit().await?;
        Ok(expected_number + 1)
    }

    /// The municipality's programmes.
    pub async fn programmes(&self, principal: &Principal) -> Result<Vec<ProgrammeSummary>, StoreError> {
        let tenant = may_read(principal)?;
        Ok(on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, title, period_from, period_to FROM programme WHERE tenant_id = $1 ORDER BY period_from DESC")
            .bind(tenant).fetch_all(p).await)?)
    }

    /// A programme with its versions.
    pub async fn programme(&self, principal: &Principal, programme: Uuid) -> Result<ProgrammeView, StoreError> {
        let tenant = may_read(principal)?;
        self.load_programme(tenant, programme).await
    }

    /// The programme in force for `year` in the principal's municipality (the one whose period holds the year).
    pub async fn programme_for_year(&self, principal: &Principal, year: i16) -> Result<ProgrammeView, StoreError> {
        let tenant = may_read(principal)?;
        let row: Option<(Uuid,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id FROM programme WHERE tenant_id = $1 AND period_from <= $2 AND period_to >= $2 ORDER BY period_from DESC LIMIT 1")
            .bind(tenant).bind(i32::from(year)).fetch_optional(p).await)?;
        let (id,) = row.ok_or(StoreError::NotFound)?;
        self.load_programme(tenant, id).await
    }

    pub(crate) async fn load_programme(&self, tenant: Uuid, programme: Uuid) -> Result<ProgrammeView, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let row: Option<(String, i32, i32)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT title, period_from, period_to FROM programme WHERE id = $1 AND tenant_id = $2")
            .bind(programme).bind(tenant).fetch_optional(c).await)?;
        let (title, from, to) = row.ok_or(StoreError::NotFound)?;
        let rows: Vec<(i64, String, String, String, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT number, applies_from, resolution, content, created_at FROM programme_version WHERE programme_id = $1 ORDER BY number")
            .bind(programme).fetch_all(c).await)?;
        tx.commit().await?;
        let mut versions = Vec::with_capacity(rows.len());
        for (number, applies_from, resolution, content, created_at) in rows {
            let content = serde_json::from_str(&content).map_err(|e| StoreError::corrupt_json("programme", &e))?;
            versions.push(ProgrammeVersion {
                number,
                applies_from,
                resolution,
                content,
                created_at: created_at.to_jiff(),
            });
        }
        Ok(ProgrammeView {
            id: programme,
            tenant_id: tenant,
            title,
            period_from: i16::try_from(from).unwrap_or(0),
            period_to: i16::try_from(to).unwrap_or(0),
            versions,
        })
    }

    async fn institution_of(&self, principal: &Principal) -> Result<Uuid, StoreError> {
        let row: Option<(Option<Uuid>,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT institution_id FROM account WHERE id = $1").bind(principal.account_id).fetch_optional(p).await)?;
        row.and_then(|(i,)| i).ok_or(StoreError::NotFound)
    }

    /// The indicators assigned to the reporter's institution in the version in force for `year`, with what was
    /// entered for it this year and last year.
    pub async fn reporter_indicators(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
    ) -> Result<Vec<ReporterIndicator>, StoreError> {
        let tenant = tenant_of(principal, Permission::EnterIndicators)?;
        let institution = self.institution_of(principal).await?;
        let view = self.load_programme(tenant, programme).await?;
        let version = view.version_for_year(year).ok_or(StoreError::NotFound)?;
        let rows: Vec<(String, i32, i64, Option<String>, i64)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT indicator_id, year, value, note, version FROM indicator_entry \
             WHERE programme_id = $1 AND institution_id = $2 AND year IN ($3, $4)")
            .bind(programme).bind(institution).bind(i32::from(year)).bind(i32::from(year) - 1).fetch_all(p).await)?;
        let mut out = Vec::new();
        for (goal, task, indicator) in version.content.indicators() {
            let ProgrammeIndicatorSource::Entered { institutions } = &indicator.source else { continue };
            if !institutions.contains(&institution) {
                continue;
            }
            let this = rows.iter().find(|r| r.0 == indicator.id && r.1 == i32::from(year));
            let last = rows.iter().find(|r| r.0 == indicator.id && r.1 == i32::from(year) - 1);
            out.push(ReporterIndicator {
                indicator_id: indicator.id.clone(),
                goal_title: goal.title.clone(),
                task_title: task.title.clone(),
                name: indicator.name.clone(),
                value: this.map(|r| r.2),
                note: this.and_then(|r| r.3.clone()),
                version: this.map_or(0, |r| r.4),
                last_year: last.map(|r| r.2),
                target: indicator.targets.get(&year).copied(),
            });
        }
        Ok(out)
    }

    /// Enters (or corrects) the reporter's institution's value of one indicator for `year`. `raw` is the value as
    /// typed; `confirmed` answers the plausibility question; `expected_version` is the entry's version the page
    /// showed (0 for none yet).
    #[allow(clippy::too_many_arguments)]
    pub async fn enter_indicator_value(
        &self,
        principal: &Principal,
        programme: Uuid,
        indicator_id: &str,
        year: i16,
        raw: &str,
        note: &str,
        confirmed: bool,
        expected_version: i64,
    ) -> Result<EntryOutcome, StoreError> {
        let tenant = tenant_of(principal, Permission::EnterIndicators)?;
        let institution = self.institution_of(principal).await?;
        let assigned = self.reporter_indicators(principal, programme, year).await?;
        let Some(indicator) = assigned.into_iter().find(|i| i.indicator_id == indicator_id) else {
            return Err(StoreError::NotFound);
        };
        let value = parse_entered_value(raw).map_err(|code| StoreError::invalid("value", code))?;
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(StoreError::invalid("note", "err-too-long"));
        }
        if indicator.version != expected_version {
            return Err(StoreError::Conflict("value changed since it was read"));
        }
        if !confirmed && needs_confirmation(value, indicator.last_year) {
            return Ok(EntryOutcome::NeedsConfirmation { last_year: indicator.last_year.unwrap_or(0) });
        }
        let note = (!note.is_empty()).then_some(note);
        let now = ts(self.now());
        let mut tx = self.db.begin().await?;
        let changed = if expected_version == 0 {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO indicator_entry (programme_id, indicator_id, year, institution_id, value, note, entered_by, entered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING")
                .bind(programme).bind(indicator_id).bind(i32::from(year)).bind(institution).bind(value).bind(note)
                .bind(principal.account_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?
        } else {
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE indicator_entry SET value = $5, note = $6, entered_by = $7, entered_at = $8, version = version + 1 \
                 WHERE programme_id = $1 AND indicator_id = $2 AND year = $3 AND institution_id = $4 AND version = $9")
                .bind(programme).bind(indicator_id).bind(i32::from(year)).bind(institution).bind(value).bind(note)
                .bind(principal.account_id).bind(now).bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?
        };
        if changed != 1 {
            return Err(StoreError::Conflict("value changed since it was read"));
        }
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Update, "indicator_entry", format!("{programme}/{indicator_id}/{year}"))
                .in_tenant(Some(tenant))
                .detail(format!("institution {institution}: {value}")),
        )
        .await?;
        tx.commit().await?;
        Ok(EntryOutcome::Saved { version: expected_version + 1 })
    }

    /// Which institution has not entered which indicator for `year`. The team and the aggregate viewers.
    pub async fn missing_entries(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
    ) -> Result<Vec<MissingEntry>, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ManageProgramme) && !principal.roles.permits(Permission::ViewAggregates)
        {
            return Err(StoreError::NotFound);
        }
        self.missing_in(tenant, programme, year).await
    }

    async fn missing_in(&self, tenant: Uuid, programme: Uuid, year: i16) -> Result<Vec<MissingEntry>, StoreError> {
        let view = self.load_programme(tenant, programme).await?;
        let version = view.version_for_year(year).ok_or(StoreError::NotFound)?;
        let entered: Vec<(String, Uuid)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT indicator_id, institution_id FROM indicator_entry WHERE programme_id = $1 AND year = $2")
            .bind(programme).bind(i32::from(year)).fetch_all(p).await)?;
        let institutions = self.list_institutions(tenant).await?;
        let mut missing = Vec::new();
        for (_, task, indicator) in version.content.indicators() {
            if task.from_year > year || task.to_year < year {
                continue;
            }
            let ProgrammeIndicatorSource::Entered { institutions: assigned } = &indicator.source else { continue };
            for institution in assigned {
                if entered.iter().any(|(i, inst)| *i == indicator.id && inst == institution) {
                    continue;
                }
                let name =
                    institutions.iter().find(|i| i.id == *institution).map(|i| i.name.clone()).unwrap_or_default();
                missing.push(MissingEntry {
                    institution_id: *institution,
                    institution_name: name,
                    indicator_id: indicator.id.clone(),
                    indicator_name: indicator.name.clone(),
                });
            }
        }
        missing.sort_by(|a, b| a.institution_name.cmp(&b.institution_name).then(a.indicator_id.cmp(&b.indicator_id)));
        Ok(missing)
    }

    /// Reminds the programme reporters of every institution with missing values for `year` (one notification per
    /// reporter and day). Returns how many accounts were notified. The team only.
    pub async fn remind_missing_entries(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
    ) -> Result<usize, StoreError> {
        let tenant = tenant_of(principal, Permission::ManageProgramme)?;
        let missing = self.missing_in(tenant, programme, year).await?;
        let mut institutions: Vec<Uuid> = missing.iter().map(|m| m.institution_id).collect();
        institutions.sort();
        institutions.dedup();
        let today = self.now().to_zoned(domain::calendar::poland_zone()).date();
        let mut tx = self.db.begin().await?;
        let mut notified = 0;
        for institution in institutions {
            let accounts: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.tenant_id = $1 AND a.institution_id = $2 AND a.active AND r.role = 'programme_reporter'")
                .bind(tenant).bind(institution).fetch_all(c).await)?;
            let accounts: Vec<Uuid> = accounts.into_iter().map(|(a,)| a).collect();
            let note = crate::notify::NewNotification {
                tenant_id: tenant,
                kind: crate::notify::NotificationKind::IndicatorsMissing,
                procedure_id: None,
                rule_id: None,
                once_key: Some(format!("indicators:{programme}:{year}:{today}")),
            };
            notified += crate::notify::notify_in(self, &mut tx, &accounts, &note).await?.len();
        }
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Update, "programme", programme)
                .in_tenant(Some(tenant))
                .detail(format!("reminded {notified} reporters of missing values for {year}")),
        )
        .await?;
        tx.commit().await?;
        Ok(notified)
    }

    /// Writes the team's narrative for a goal or task (`node_id`) in `year`'s report. `expected_version` is the
    /// version the page showed (0 for none yet).
    pub async fn set_report_narrative(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
        node_id: &str,
        body: &str,
        expected_version: i64,
    ) -> Result<i64, StoreError> {
        let tenant = tenant_of(principal, Permission::ManageProgramme)?;
        let view = self.load_programme(tenant, programme).await?;
        let known = view
            .versions
            .iter()
            .any(|v| v.content.goals.iter().any(|g| g.id == node_id || g.tasks.iter().any(|t| t.id == node_id)));
        if !known && node_id != "strategic" {
            return Err(StoreError::NotFound);
        }
        if body.chars().count() > 20_000 {
            return Err(StoreError::invalid("body", "err-too-long"));
        }
        let now = ts(self.now());
        let mut tx = self.db.begin().await?;
        let changed = if expected_version == 0 {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO report_narrative (programme_id, year, node_id, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT DO NOTHING")
                .bind(programme).bind(i32::from(year)).bind(node_id).bind(body.trim()).bind(principal.account_id).bind(now)
                .execute(c).await.map(|r| r.rows_affected()))?
        } else {
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE report_narrative SET body = $4, updated_by = $5, updated_at = $6, version = version + 1 \
                 WHERE programme_id = $1 AND year = $2 AND node_id = $3 AND version = $7")
                .bind(programme).bind(i32::from(year)).bind(node_id).bind(body.trim()).bind(principal.account_id).bind(now)
                .bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?
        };
        if changed != 1 {
            return Err(StoreError::Conflict("narrative changed since it was read"));
        }
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Update, "report_narrative", format!("{programme}/{year}/{node_id}"))
                .in_tenant(Some(tenant)),
        )
        .await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    /// The narratives of a year's report with their versions, by node id.
    pub async fn report_narratives(
        &self,
        principal: &Principal,
        programme: Uuid,
        year: i16,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        let tenant = may_read(principal)?;
        self.load_programme(tenant, programme).await?;
        Ok(on_pool!(&self.db, p => sqlx::query_as(
            "SELECT node_id, body, version FROM report_narrative WHERE programme_id = $1 AND year = $2")
            .bind(programme).bind(i32::from(year)).fetch_all(p).await)?)
    }
}
