//! County and region (issue 17): the municipalities' approved statutory sets submitted upward, the county's and the
//! region's view of who has submitted, who is late and who sent corrections, a submission returned with a comment, the
//! summed figures with disclosure control, and the region's approved report.
//!
//! Figures only: nothing here reads a case, a person or a case's free text. What a county or region sees comes from
//! `statutory_approval.figures` (the frozen JSON of a municipality's lines) of its latest submitted version. The area
//! of a principal is its tenant's TERYT code: a county (4 digits) or a voivodeship (2 digits) holds the
//! municipalities whose codes start with it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use domain::audit::AuditAction;
use domain::disclosure::{Shown, protect};
use domain::identity::Permission;
use domain::programme::area::protect_area;
use domain::programme::statutory::{self, about_persons};
use domain::territory::{self, TerritorialLevel, Unit};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::area_cache::Counted;
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// How a submission reached the county and region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionVia {
    /// Approved on this installation (one installation for the region).
    Installation,
    /// A signed package from a municipality's own installation.
    Package,
}

impl SubmissionVia {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionVia::Installation => "installation",
            SubmissionVia::Package => "package",
        }
    }

    fn parse(s: &str) -> SubmissionVia {
        if s == "package" { SubmissionVia::Package } else { SubmissionVia::Installation }
    }
}

/// One submission of a year, as the area's pages read it (its figures are read only when the area's lines are not
/// kept).
#[derive(Debug, Clone)]
struct Submission {
    tenant_id: Uuid,
    version: i32,
    submitted_at: Timestamp,
    via: SubmissionVia,
    returned: bool,
    returned_at: Option<Timestamp>,
}

/// Where one municipality's year stands, as its county and region see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MunicipalityStatus {
    pub tenant_id: Uuid,
    pub teryt: String,
    pub name: String,
    /// The latest version submitted, when, how; none: nothing submitted yet.
    pub version: Option<i32>,
    pub submitted_at: Option<Timestamp>,
    pub via: Option<SubmissionVia>,
    /// Nothing submitted by the deadline (10 February), or the first submission came after it.
    pub late: bool,
    /// Versions submitted after the first one (corrections).
    pub corrections: i32,
    /// The latest version was returned (with a comment the municipality's chair reads): when.
    pub returned_at: Option<Timestamp>,
}

/// One line of the area's summed figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaLine {
    pub id: &'static str,
    pub reference: &'static str,
    pub name_pl: &'static str,
    pub name_en: &'static str,
    pub level: u8,
    pub total: Shown,
    /// How many municipalities' submitted figures the total adds up.
    pub municipalities: usize,
    /// Each counted municipality's figure, as shown outside it (in [`AreaFigures::counted`]' order).
    pub by_municipality: Vec<Shown>,
    /// The same line's sum over every municipality on the installation (the national view), primary suppression
    /// only (no other figure of another region is shown).
    pub country: Shown,
}

/// The region's approved report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionalApproval {
    pub version: i32,
    pub approved_at: Timestamp,
    pub municipalities: i32,
}

/// A county's or region's year: its municipalities' submissions and the summed figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaFigures {
    pub code: String,
    pub level: TerritorialLevel,
    /// The unit's name from the register ("powiat krakowski", "województwo małopolskie").
    pub name: String,
    pub year: i16,
    /// 10 February of the next year: the municipalities' deadline.
    pub deadline: Date,
    /// 30 March of the next year: the region's deadline.
    pub report_deadline: Date,
    pub statuses: Vec<MunicipalityStatus>,
    /// The municipalities whose latest submission counts (not returned), as (teryt, name).
    pub counted: Vec<(String, String)>,
    pub lines: Vec<AreaLine>,
    /// The region's approved report of the year, if any (a region only).
    pub approval: Option<RegionalApproval>,
}

impl AreaFigures {
    pub fn line(&self, id: &str) -> Option<&AreaLine> {
        self.lines.iter().find(|l| l.id == id)
    }

    /// The lines as JSON for the export: every figure as shown (suppressed cells as "<5" or "x").
    pub fn to_json(&self) -> serde_json::Value {
        let shown = |s: &Shown| match s {
            Shown::Value(v) => serde_json::json!(v),
            Shown::Small => serde_json::json!("<5"),
            Shown::Hidden => serde_json::json!("x"),
        };
        serde_json::json!({
            "teryt": self.code,
            "name": self.name,
            "year": self.year,
            "approved_version": self.approval.as_ref().map(|a| a.version),
            "municipalities_counted": self.counted.len(),
            "lines": self.lines.iter().map(|l| serde_json::json!({
                "id": l.id,
                "reference": l.reference,
                "name": l.name_pl,
                "level": l.level,
                "value": shown(&l.total),
                "municipalities": l.municipalities,
            })).collect::<Vec<_>>(),
        })
    }
}

/// The deadline of a region's report: 30 March of the next year (procedure.md §4.1).
pub fn report_deadline(year: i16) -> Option<Date> {
    Date::new(year.checked_add(1)?, 3, 30).ok()
}

impl Store {
    /// Records that `tenant`'s approved statutory set of `year`, version `version`, was submitted to its county and
    /// region: the one entry point for both ways (approved here, or a signed package received). A version not newer
    /// than one already submitted is refused (`err-submission-stale`): a correction is a new version, never an
    /// overwrite. Returns the submission's id.
    pub async fn record_submission(
        &self,
        tenant: Uuid,
        year: i16,
        version: i32,
        via: SubmissionVia,
    ) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let id = self.record_submission_in(&mut tx, tenant, year, version, via).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn record_submission_in(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        year: i16,
        version: i32,
        via: SubmissionVia,
    ) -> Result<Uuid, StoreError> {
        let teryt: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT teryt FROM tenant WHERE id = $1")
            .bind(tenant).fetch_optional(c).await)?;
        let Some((teryt,)) = teryt else { return Err(StoreError::NotFound) };
        if TerritorialLevel::of_code(&teryt) != TerritorialLevel::Municipality {
            return Err(StoreError::invalid("tenant", "err-submission-not-municipality"));
        }
        let approval: Option<(Option<Uuid>,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT approved_by FROM statutory_approval WHERE tenant_id = $1 AND year = $2 AND version = $3")
            .bind(tenant).bind(i32::from(year)).bind(version).fetch_optional(c).await)?;
        let Some((approved_by,)) = approval else {
            return Err(StoreError::invalid("version", "err-submission-no-approval"));
        };
        let (latest,): (Option<i32>,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT MAX(version) FROM statutory_submission WHERE tenant_id = $1 AND year = $2")
            .bind(tenant).bind(i32::from(year)).fetch_one(c).await)?;
        if latest.is_some_and(|l| version <= l) {
            return Err(StoreError::invalid("version", "err-submission-stale"));
        }
        let id = Uuid::now_v7();
        let submitted_by = (via == SubmissionVia::Installation).then_some(approved_by).flatten();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO statutory_submission (id, tenant_id, year, version, via, submitted_at, submitted_by, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted')")
            .bind(id).bind(tenant).bind(i32::from(year)).bind(version).bind(via.as_str()).bind(ts(self.now()))
            .bind(submitted_by).execute(c).await.map(|r| r.rows_affected()))?;
        let actor = Actor {
            account_id: submitted_by,
            login: format!("submission ({})", via.as_str()),
            tenant_id: Some(tenant),
            address: None,
        };
        self.audit(
            tx,
            &actor,
            &AuditRecord::new(AuditAction::Create, "statutory_submission", id)
                .in_tenant(Some(tenant))
                .detail(format!("submitted the statutory figures of {year}, version {version}, via {}", via.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// A county's or region's coordinator returns a municipality's latest submission with a comment (at least 10
    /// characters; encrypted under the municipality's key; its chair sees it on the statutory page).
    pub async fn return_submission(
        &self,
        principal: &Principal,
        municipality: Uuid,
        year: i16,
        comment: &str,
    ) -> Result<(), StoreError> {
        let area = area_of(principal)?;
        if !principal.roles.permits(Permission::ReturnSubmissions) {
            return Err(StoreError::NotFound);
        }
        let comment = comment.trim();
        if comment.chars().count() < 10 {
            return Err(StoreError::invalid("comment", "err-submission-comment-required"));
        }
        if comment.chars().count() > 2000 || comment.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
            return Err(StoreError::invalid("comment", "err-submission-comment-too-long"));
        }
        let mut tx = self.db.begin().await?;
        let row: Option<(Uuid, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT s.id, t.teryt, s.status FROM statutory_submission s JOIN tenant t ON t.id = s.tenant_id \
             WHERE s.tenant_id = $1 AND s.year = $2 ORDER BY s.version DESC LIMIT 1")
            .bind(municipality).bind(i32::from(year)).fetch_optional(&mut *c).await)?;
        // Outside the coordinator's area it does not exist, exactly as a submission that does not.
        let Some((id, teryt, status)) = row.filter(|(_, t, _)| t.starts_with(&area.0)) else {
            return Err(StoreError::NotFound);
        };
        if status == "returned" {
            return Err(StoreError::invalid("comment", "err-submission-already-returned"));
        }
        let keys = self.keys.scope_keys(&mut tx, municipality, self.now()).await?;
        let sealed = keys.encrypt("statutory_submission.return_comment", id, comment)?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE statutory_submission SET status = 'returned', return_comment_enc = $2, returned_at = $3, returned_by = $4 \
             WHERE id = $1")
            .bind(id).bind(sealed).bind(ts(self.now())).bind(principal.account_id).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Update, "statutory_submission", id)
                .in_tenant(Some(municipality))
                .detail(format!("returned the statutory figures of {year} of {teryt}")),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest return of the principal's municipality's submission of `year`, for its team: when, by which
    /// county or region, and the comment. None when the latest submission stands.
    pub async fn submission_return(
        &self,
        principal: &Principal,
        year: i16,
    ) -> Result<Option<(Timestamp, String, String)>, StoreError> {
        let Some(tenant) = principal.tenant_id else { return Ok(None) };
        if !principal.roles.permits(Permission::ManageProgramme) && !principal.roles.permits(Permission::ViewAggregates)
        {
            return Ok(None);
        }
        let mut tx = self.db.begin().await?;
        type Row = (Uuid, String, Option<Vec<u8>>, Option<jiff_sqlx::Timestamp>, Option<String>);
        let row: Option<Row> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT s.id, s.status, s.return_comment_enc, s.returned_at, t.name FROM statutory_submission s \
             LEFT JOIN account a ON a.id = s.returned_by LEFT JOIN tenant t ON t.id = a.tenant_id \
             WHERE s.tenant_id = $1 AND s.year = $2 ORDER BY s.version DESC LIMIT 1")
            .bind(tenant).bind(i32::from(year)).fetch_optional(c).await)?;
        let Some((id, status, Some(sealed), Some(at), by)) = row else { return Ok(None) };
        if status != "returned" {
            return Ok(None);
        }
        let keys = self.keys.scope_keys(&mut tx, tenant, self.now()).await?;
        let comment = keys.decrypt("statutory_submission.return_comment", id, &sealed)?;
        tx.commit().await?;
        Ok(Some((at.to_jiff(), by.unwrap_or_default(), comment)))
    }

    /// The principal's county or region for `year`: its municipalities' submissions and the summed figures, each
    /// figure about persons shown outside its municipality only from 5 up, with secondary suppression. Figures
    /// only; the read is not of personal data, so it is not audited.
    pub async fn area_figures(&self, principal: &Principal, year: i16) -> Result<AreaFigures, StoreError> {
        let (code, level) = area_of(principal)?;
        let deadline = domain::programme::indicators::statutory_deadline(year).ok_or(StoreError::NotFound)?;
        let report_deadline = report_deadline(year).ok_or(StoreError::NotFound)?;
        let units = self.territorial_units().await?;
        // The register's name; a unit the register lacks (a demo's) goes by its tenant's name.
        let name = territory::find(&units, &code)
            .map(Unit::display_name)
            .or_else(|| principal.tenant_name.clone())
            .unwrap_or_else(|| code.clone());
        let municipalities = self.area_municipalities().await?;
        let submissions = self.year_submissions(year).await?;
        let deadline_end = deadline
            .checked_add(jiff::Span::new().days(1))
            .ok()
            .and_then(|d| d.to_zoned(domain::calendar::poland_zone()).ok())
            .map(|z| z.timestamp())
            .ok_or(StoreError::NotFound)?;
        let now = self.now();
        let mut statuses = Vec::new();
        for (id, teryt, mname) in municipalities.iter().filter(|(_, teryt, _)| teryt.starts_with(&code)) {
            let own: Vec<&Submission> = submissions.iter().filter(|s| s.tenant_id == *id).collect();
            let latest = own.last();
            let first_at = own.first().map(|s| s.submitted_at);
            statuses.push(MunicipalityStatus {
                tenant_id: *id,
                teryt: teryt.clone(),
                name: mname.clone(),
                version: latest.map(|s| s.version),
                submitted_at: latest.map(|s| s.submitted_at),
                via: latest.map(|s| s.via),
                late: match first_at {
                    Some(at) => at >= deadline_end,
                    None => now >= deadline_end,
                },
                corrections: i32::try_from(own.len().saturating_sub(1)).unwrap_or(i32::MAX),
                returned_at: latest.and_then(|s| s.returned_at),
            });
        }
        let (counted, lines) = self.area_lines(&code, year, &municipalities, &submissions).await?;
        let approval = if level == TerritorialLevel::Region {
            latest_regional(&self.db, principal.tenant_id, year).await?
        } else {
            None
        };
        Ok(AreaFigures {
            code,
            level,
            name,
            year,
            deadline,
            report_deadline,
            statuses,
            counted,
            lines: lines.as_ref().clone(),
            approval,
        })
    }

    /// The area's total of line `id` over `years`, as each year's page shows it (the same suppression).
    pub async fn area_trend(
        &self,
        principal: &Principal,
        years: std::ops::RangeInclusive<i16>,
        id: &str,
    ) -> Result<Vec<(i16, Shown, usize)>, StoreError> {
        let (code, _) = area_of(principal)?;
        let municipalities = self.area_municipalities().await?;
        let mut out = Vec::new();
        for year in years {
            let submissions = self.year_submissions(year).await?;
            let (_, lines) = self.area_lines(&code, year, &municipalities, &submissions).await?;
            if let Some(l) = lines.iter().find(|l| l.id == id) {
                out.push((year, l.total, l.municipalities));
            }
        }
        Ok(out)
    }

    /// Every municipality on the installation as (id, TERYT, name), by TERYT.
    async fn area_municipalities(&self) -> Result<Vec<(Uuid, String, String)>, StoreError> {
        Ok(on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, teryt, name FROM tenant WHERE LENGTH(teryt) = 7 ORDER BY teryt")
            .fetch_all(p).await)?)
    }

    /// Every submission of `year` on the installation, by municipality and version (without the figures).
    async fn year_submissions(&self, year: i16) -> Result<Vec<Submission>, StoreError> {
        type Row = (Uuid, i32, jiff_sqlx::Timestamp, String, String, Option<jiff_sqlx::Timestamp>);
        let rows: Vec<Row> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT tenant_id, version, submitted_at, via, status, returned_at FROM statutory_submission \
             WHERE year = $1 ORDER BY tenant_id, version")
            .bind(i32::from(year)).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(tenant_id, version, at, via, status, returned_at)| Submission {
                tenant_id,
                version,
                submitted_at: at.to_jiff(),
                via: SubmissionVia::parse(&via),
                returned: status == "returned",
                returned_at: returned_at.filter(|_| status == "returned").map(|t| t.to_jiff()),
            })
            .collect())
    }

    /// The area's protected lines of `year` and the municipalities they count, as (TERYT, name): kept in
    /// `area_cache` while the same versions count, else summed and protected afresh from the frozen approvals.
    async fn area_lines(
        &self,
        code: &str,
        year: i16,
        municipalities: &[(Uuid, String, String)],
        submissions: &[Submission],
    ) -> Result<(Vec<(String, String)>, Arc<Vec<AreaLine>>), StoreError> {
        // A municipality counts with its latest submission, unless that one was returned.
        let mut counted = Counted { area: Vec::new(), everywhere: Vec::new() };
        let mut counted_names = Vec::new();
        for (id, teryt, name) in municipalities {
            let Some(latest) = submissions.iter().rfind(|s| s.tenant_id == *id) else { continue };
            if latest.returned {
                continue;
            }
            if teryt.starts_with(code) {
                counted.area.push((*id, latest.version));
                counted_names.push((teryt.clone(), name.clone()));
            }
            counted.everywhere.push((*id, latest.version));
        }
        if let Some(lines) = self.area_lines.get(code, year, &counted) {
            return Ok((counted_names, lines));
        }
        let approvals: Vec<(Uuid, i32, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT tenant_id, version, figures FROM statutory_approval WHERE year = $1")
            .bind(i32::from(year)).fetch_all(p).await)?;
        let figures: HashMap<(Uuid, i32), BTreeMap<String, i64>> = approvals
            .into_iter()
            .map(|(tenant, version, json)| ((tenant, version), serde_json::from_str(&json).unwrap_or_default()))
            .collect();
        let sets = |pairs: &[(Uuid, i32)]| -> Vec<BTreeMap<String, i64>> {
            pairs.iter().map(|pair| figures.get(pair).cloned().unwrap_or_default()).collect()
        };
        let lines = Arc::new(protected_lines(&sets(&counted.area), &sets(&counted.everywhere)));
        self.area_lines.keep(code, year, counted, Arc::clone(&lines));
        Ok((counted_names, lines))
    }

    /// The regional coordinator approves the region's report of `year` from the municipalities' latest submissions
    /// (as shown: with the suppression), frozen as a new version; audited. Returns the version.
    pub async fn approve_regional_report(&self, principal: &Principal, year: i16) -> Result<i32, StoreError> {
        let (_, level) = area_of(principal)?;
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if level != TerritorialLevel::Region || !principal.roles.permits(Permission::ApproveRegionalReport) {
            return Err(StoreError::NotFound);
        }
        // A year is reported once it has ended.
        let this_year = self.now().to_zoned(domain::calendar::poland_zone()).year();
        if year >= this_year {
            return Err(StoreError::invalid("year", "err-regional-report-year"));
        }
        let figures = self.area_figures(principal, year).await?;
        if figures.counted.is_empty() {
            return Err(StoreError::invalid("year", "err-regional-report-empty"));
        }
        let json = serde_json::to_string(&figures.to_json()).map_err(|e| StoreError::Internal(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        let (latest,): (Option<i32>,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT MAX(version) FROM regional_report WHERE tenant_id = $1 AND year = $2")
            .bind(tenant).bind(i32::from(year)).fetch_one(c).await)?;
        let version = latest.unwrap_or(0) + 1;
        let counted = i32::try_from(figures.counted.len()).unwrap_or(i32::MAX);
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO regional_report (tenant_id, year, version, figures, municipalities, approved_by, approved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(tenant).bind(i32::from(year)).bind(version).bind(&json).bind(counted).bind(principal.account_id)
            .bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Create, "regional_report", format!("{year}-v{version}"))
                .in_tenant(Some(tenant))
                .detail(format!(
                    "approved the region's report of {year} as version {version} from {counted} municipalities"
                )),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The counties and voivodeships: the register loaded with `ostoja teryt load`, else the one compiled in.
    pub async fn territorial_units(&self) -> Result<Vec<Unit>, StoreError> {
        let rows: Vec<(String, String, String, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT code, name, kind, as_of FROM territorial_unit ORDER BY code").fetch_all(p).await)?;
        if rows.is_empty() {
            return Ok(territory::register().to_vec());
        }
        Ok(rows.into_iter().map(|(code, name, kind, as_of)| Unit { code, name, kind, as_of }).collect())
    }

    /// Replaces the loaded register with `units` (a newer TERC file read by `domain::territory::parse_terc`);
    /// audited. Returns how many units were loaded.
    pub async fn load_territorial_units(&self, actor: &Actor, units: &[Unit]) -> Result<usize, StoreError> {
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM territorial_unit").execute(c).await.map(|r| r.rows_affected()))?;
        for u in units {
            on_tx!(&mut tx, c => sqlx::query("INSERT INTO territorial_unit (code, name, kind, as_of) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, as_of = excluded.as_of")
                .bind(&u.code).bind(&u.name).bind(&u.kind).bind(&u.as_of).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let as_of = units.first().map(|u| u.as_of.clone()).unwrap_or_default();
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Update, "territorial_unit", "register")
                .detail(format!("loaded {} counties and voivodeships of the TERC register as of {as_of}", units.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(units.len())
    }
}

/// The principal's area: its tenant's code when it is a county or voivodeship and the principal may see area figures.
fn area_of(principal: &Principal) -> Result<(String, TerritorialLevel), StoreError> {
    let code = principal.tenant_teryt.clone().ok_or(StoreError::NotFound)?;
    let level = TerritorialLevel::of_code(&code);
    if level == TerritorialLevel::Municipality || !principal.roles.permits(Permission::ViewAreaFigures) {
        return Err(StoreError::NotFound);
    }
    Ok((code, level))
}

async fn latest_regional(
    db: &crate::Db,
    tenant: Option<Uuid>,
    year: i16,
) -> Result<Option<RegionalApproval>, StoreError> {
    let row: Option<(i32, jiff_sqlx::Timestamp, i32)> = on_pool!(db, p => sqlx::query_as(
        "SELECT version, approved_at, municipalities FROM regional_report WHERE tenant_id = $1 AND year = $2 \
         ORDER BY version DESC LIMIT 1")
        .bind(tenant).bind(i32::from(year)).fetch_optional(p).await)?;
    Ok(row.map(|(version, at, municipalities)| RegionalApproval { version, approved_at: at.to_jiff(), municipalities }))
}

/// The template's lines summed over `counted` (each municipality's figures), protected together
/// ([`domain::programme::area::protect_area`]), with the national sum of each line beside them.
fn protected_lines(counted: &[BTreeMap<String, i64>], everywhere: &[BTreeMap<String, i64>]) -> Vec<AreaLine> {
    let sets: Vec<&BTreeMap<String, i64>> = counted.iter().collect();
    let protected = protect_area(&sets);
    statutory::template()
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let country: i64 = everywhere.iter().filter_map(|f| f.get(l.id)).sum();
            let country = protect(&[country], &[about_persons(l.id)], &[]).first().copied().unwrap_or(Shown::Hidden);
            AreaLine {
                id: l.id,
                reference: l.reference,
                name_pl: l.name_pl,
                name_en: l.name_en,
                level: l.level,
                total: protected.totals.get(li).copied().unwrap_or(Shown::Hidden),
                municipalities: protected.behind.get(li).copied().unwrap_or(0),
                by_municipality: protected.by_municipality.get(li).cloned().unwrap_or_default(),
                country,
            }
        })
        .collect()
}
