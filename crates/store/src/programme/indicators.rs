//! The computed indicators: SQL aggregates over clear columns (kinds, dates, statuses, categorical tags, the
//! command log's command names), for one municipality or for all of them at once (the national dataset's benchmark
//! and the region). The two breakdowns that need the persons' data (persons experiencing and using violence by sex
//! and age) are counted in one decrypting pass over the forms A of the year's procedures, audited, and only for one
//! municipality.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::audit::AuditAction;
use domain::forms::FormKind;
use domain::identity::Permission;
use domain::procedure::lifecycle::{ClosingReason, Command};
use domain::programme::ComputedKey;
use domain::programme::persons::{self, PersonFigures};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// One computed indicator's value for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComputedValue {
    pub key: ComputedKey,
    pub total: i64,
    /// The breakdown, in a stable order ("police" → 61); empty when the indicator has none.
    pub breakdown: Vec<(String, i64)>,
    /// A date or remark beside the figure (the directory's last review).
    pub note: Option<String>,
}

/// The year's bounds: instants for timestamp columns, ISO dates for calendar-date columns.
pub(crate) struct YearBounds {
    pub start: Timestamp,
    pub end: Timestamp,
    pub start_date: String,
    pub end_date: String,
}

pub(crate) fn bounds(year: i16) -> Result<YearBounds, StoreError> {
    let zone = domain::calendar::poland_zone();
    let at = |y: i16| -> Result<Timestamp, StoreError> {
        jiff::civil::date(y, 1, 1)
            .to_zoned(zone.clone())
            .map(|z| z.timestamp())
            .map_err(|_| StoreError::invalid("year", "err-year-out-of-range"))
    };
    if !(2000..=2100).contains(&year) {
        return Err(StoreError::invalid("year", "err-year-out-of-range"));
    }
    Ok(YearBounds {
        start: at(year)?,
        end: at(year + 1)?,
        start_date: format!("{year:04}-01-01"),
        end_date: format!("{:04}-01-01", year + 1),
    })
}

/// Tallies per tenant while the queries run.
#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) counts: HashMap<ComputedKey, i64>,
    pub(crate) breakdowns: HashMap<ComputedKey, BTreeMap<String, i64>>,
    notes: HashMap<ComputedKey, String>,
}

impl Tally {
    fn add(&mut self, key: ComputedKey, n: i64) {
        *self.counts.entry(key).or_default() += n;
    }

    fn add_to(&mut self, key: ComputedKey, part: &str, n: i64) {
        self.add(key, n);
        *self.breakdowns.entry(key).or_default().entry(part.to_owned()).or_default() += n;
    }

    fn into_values(mut self, with_persons: bool) -> Vec<ComputedValue> {
        domain::programme::COMPUTED
            .iter()
            .filter(|d| with_persons || !matches!(d.key, ComputedKey::PersonsAffected | ComputedKey::PersonsSuspected))
            .map(|d| ComputedValue {
                key: d.key,
                total: self.counts.get(&d.key).copied().unwrap_or(0),
                breakdown: self.breakdowns.remove(&d.key).map(|b| b.into_iter().collect()).unwrap_or_default(),
                note: self.notes.remove(&d.key),
            })
            .collect()
    }
}

// The steps the figures read, by `procedure_command.kind` (the command's stable name, indexed with the procedure).
pub(crate) const CLOSE: &str = "close";
pub(crate) const TRANSFER: &str = "transfer_out";
pub(crate) const REOPEN: &str = "reopen_from_monitoring";
pub(crate) const END_MONITORING: &str = "end_monitoring";
pub(crate) const APPOINT: &str = "appoint_group";
pub(crate) const REFERRAL: &str = "referral";

/// The SQL of every clear-column aggregate, with `{scope}` replaced by a tenant filter (or nothing for all tenants).
/// Kept in one place so the benchmark can time the bare queries against the whole computation.
pub(crate) fn aggregate_queries(scoped: bool) -> Vec<(&'static str, String)> {
    let f = |alias: &str| if scoped { format!(" AND {alias}tenant_id = $3") } else { String::new() };
    vec![
        (
            "opened",
            format!(
                "SELECT tenant_id, COALESCE(initiator_category, 'unknown'), COUNT(*) FROM procedure \
             WHERE opened_at >= $1 AND opened_at < $2{} GROUP BY tenant_id, initiator_category",
                f("")
            ),
        ),
        // Opened before the year and neither closed nor handed over (without a later reopening) before it began.
        (
            "continued",
            format!(
                "SELECT p.tenant_id, COUNT(*) FROM procedure p WHERE p.opened_at < $1 AND $2 = $2{} AND NOT EXISTS ( \
               SELECT 1 FROM procedure_command c WHERE c.procedure_id = p.id AND c.at < $1 \
                 AND (c.kind = '{CLOSE}' OR c.kind = '{TRANSFER}') \
                 AND NOT EXISTS (SELECT 1 FROM procedure_command r WHERE r.procedure_id = p.id AND (r.at > c.at OR (r.at = c.at AND r.seq > c.seq)) \
                                 AND r.at < $1 AND r.kind = '{REOPEN}')) \
             GROUP BY p.tenant_id",
                f("p.")
            ),
        ),
        (
            "forms",
            format!(
                "SELECT f.tenant_id, f.kind, CAST(SUM(CASE WHEN f.kind = 'A' AND f.filled_at = p.opened_at THEN 0 ELSE 1 END) AS BIGINT) \
             FROM procedure_form f JOIN procedure p ON p.id = f.procedure_id \
             WHERE f.filled_at >= $1 AND f.filled_at < $2 AND f.kind IN ('A', 'C', 'D'){} GROUP BY f.tenant_id, f.kind",
                f("f.")
            ),
        ),
        (
            "records",
            format!(
                "SELECT tenant_id, kind, status, COALESCE(tag, ''), COUNT(*) FROM case_record \
             WHERE occurs_at >= $1 AND occurs_at < $2 AND kind IN ('meeting', 'home_visit', 'letter'){} \
             GROUP BY tenant_id, kind, status, tag",
                f("")
            ),
        ),
        (
            "commands",
            format!(
                "SELECT p.tenant_id, CASE WHEN c.kind = '{APPOINT}' THEN 'appoint_group' ELSE c.command END AS cmd, COUNT(*) \
             FROM procedure_command c JOIN procedure p ON p.id = c.procedure_id \
             WHERE c.at >= $1 AND c.at < $2{} AND (c.kind = '{CLOSE}' OR c.kind = '{APPOINT}' OR c.kind = '{REFERRAL}') \
             GROUP BY p.tenant_id, cmd",
                f("p.")
            ),
        ),
        // Closed before the year's end, and the monitoring not ended (nor the case reopened) before it began.
        (
            "monitoring",
            format!(
                "SELECT p.tenant_id, COUNT(DISTINCT p.id) FROM procedure p JOIN procedure_command c ON c.procedure_id = p.id \
             WHERE c.kind = '{CLOSE}' AND c.at < $2{} AND NOT EXISTS ( \
               SELECT 1 FROM procedure_command e WHERE e.procedure_id = p.id AND (e.at > c.at OR (e.at = c.at AND e.seq > c.seq)) AND e.at < $1 \
                 AND (e.kind = '{END_MONITORING}' OR e.kind = '{REOPEN}')) \
             GROUP BY p.tenant_id",
                f("p.")
            ),
        ),
        (
            "team_meetings",
            format!(
                "SELECT tenant_id, COUNT(*) FROM team_meeting WHERE status = 'held' AND held_at >= $1 AND held_at < $2{} \
             GROUP BY tenant_id",
                f("")
            ),
        ),
    ]
}

/// The aggregates over calendar-date columns (bound as ISO text).
pub(crate) fn date_queries(scoped: bool) -> Vec<(&'static str, String)> {
    let f = if scoped { " AND tenant_id = $3" } else { "" };
    vec![
        (
            "activities",
            format!(
                "SELECT tenant_id, kind, COUNT(*), CAST(COALESCE(SUM(participants), 0) AS BIGINT), CAST(COALESCE(SUM(materials_handed_out), 0) AS BIGINT) \
             FROM activity WHERE held_on >= $1 AND held_on < $2{f} GROUP BY tenant_id, kind"
            ),
        ),
        (
            "directory",
            format!(
                // The national helplines every directory shows (`national_key`) are not the municipality's own
                // help: its indicators count only the entries its team added.
                "SELECT tenant_id, help_kinds, last_checked_on FROM help_directory_entry \
             WHERE archived_at IS NULL AND national_key IS NULL AND $1 = $1 AND $2 = $2{f}"
            ),
        ),
    ]
}

pub(crate) type Tallies = HashMap<Uuid, Tally>;

/// Runs the aggregates, all but those named in `skip` (a caller that has their figures from elsewhere).
pub(crate) async fn run_aggregates(
    tx: &mut Tx,
    tenant: Option<Uuid>,
    b: &YearBounds,
    skip: &[&str],
) -> Result<Tallies, StoreError> {
    let mut t: Tallies = HashMap::new();
    for (name, sql) in aggregate_queries(tenant.is_some()).into_iter().filter(|(name, _)| !skip.contains(name)) {
        match name {
            "opened" => {
                let rows: Vec<(Uuid, String, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
                for (tenant, category, n) in rows {
                    t.entry(tenant).or_default().add_to(ComputedKey::ProceduresOpened, &category, n);
                    t.entry(tenant).or_default().add(ComputedKey::ProceduresTotal, n);
                }
            }
            "records" => {
                let rows: Vec<(Uuid, String, String, String, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
                for (tenant, kind, status, tag, n) in rows {
                    let e = t.entry(tenant).or_default();
                    match kind.as_str() {
                        "meeting" if status == crate::procedure::records::HELD => {
                            e.add(ComputedKey::GroupMeetingsHeld, n)
                        }
                        "home_visit" => e.add(ComputedKey::HomeVisits, n),
                        "letter" => e.add_to(ComputedKey::Letters, &tag, n),
                        _ => {}
                    }
                }
            }
            "forms" => {
                let rows: Vec<(Uuid, String, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
                for (tenant, kind, n) in rows {
                    let key = match kind.as_str() {
                        "A" => ComputedKey::FurtherIncidents,
                        "C" => ComputedKey::FormsC,
                        _ => ComputedKey::FormsD,
                    };
                    t.entry(tenant).or_default().add(key, n);
                }
            }
            "commands" => {
                let rows: Vec<(Uuid, String, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
                for (tenant, command, n) in rows {
                    let e = t.entry(tenant).or_default();
                    if command == "appoint_group" {
                        e.add(ComputedKey::GroupsCreated, n);
                        continue;
                    }
                    // The command log is clear JSON of domain commands (no personal data).
                    match serde_json::from_str::<Command>(&command) {
                        Ok(Command::Close { reason }) => e.add_to(ComputedKey::Closures, reason.as_str(), n),
                        Ok(Command::Referral { step, .. }) => {
                            e.add_to(ComputedKey::ReferralSteps, step.kind().as_str(), n)
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                let rows: Vec<(Uuid, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
                let key = match name {
                    "continued" => ComputedKey::ProceduresContinued,
                    "monitoring" => ComputedKey::PostClosingMonitoring,
                    _ => ComputedKey::TeamMeetingsHeld,
                };
                for (tenant, n) in rows {
                    let e = t.entry(tenant).or_default();
                    e.add(key, n);
                    if key == ComputedKey::ProceduresContinued {
                        e.add(ComputedKey::ProceduresTotal, n);
                    }
                }
            }
        }
    }
    for (name, sql) in date_queries(tenant.is_some()) {
        if name == "activities" {
            let rows: Vec<(Uuid, String, i64, i64, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&b.start_date).bind(&b.end_date).bind(tenant).fetch_all(c).await)?;
            for (tenant, kind, n, participants, materials) in rows {
                let e = t.entry(tenant).or_default();
                e.add(ComputedKey::MaterialsHandedOut, materials);
                match kind.as_str() {
                    "training" => {
                        e.add(ComputedKey::Trainings, n);
                        e.add(ComputedKey::PersonsTrained, participants);
                    }
                    "training_needs_diagnosis" => e.add(ComputedKey::TrainingNeedsDiagnoses, n),
                    "conference" => e.add(ComputedKey::ConferenceParticipants, participants),
                    "supervision" => e.add(ComputedKey::Supervisions, n),
                    "workshop" => e.add(ComputedKey::Workshops, n),
                    _ => {}
                }
            }
        } else {
            let rows: Vec<(Uuid, String, String)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(&b.start_date).bind(&b.end_date).bind(tenant).fetch_all(c).await)?;
            let mut latest: HashMap<Uuid, String> = HashMap::new();
            for (tenant, kinds, checked) in rows {
                let e = t.entry(tenant).or_default();
                let kinds: HashSet<&str> = kinds.split_whitespace().collect();
                if kinds.contains("helpline") {
                    e.add(ComputedKey::Helplines, 1);
                }
                if kinds.contains("programme_for_persons_using_violence") {
                    e.add(ComputedKey::ProgrammesForPersonsUsingViolence, 1);
                }
                if checked.as_str() >= b.start_date.as_str() && checked.as_str() < b.end_date.as_str() {
                    e.add(ComputedKey::DirectoryReviewed, 1);
                }
                let l = latest.entry(tenant).or_default();
                if checked.as_str() < b.end_date.as_str() && checked > *l {
                    *l = checked;
                }
            }
            for (tenant, date) in latest {
                if !date.is_empty() {
                    t.entry(tenant).or_default().notes.insert(ComputedKey::DirectoryReviewed, date);
                }
            }
        }
    }
    Ok(t)
}

/// Persons in the year's procedures, from their forms A (2011 and 2023) in one decrypting pass: each person once, by
/// the domain's matching and merge rule ([`domain::programme::persons`]).
pub(crate) async fn persons_pass(
    store: &Store,
    tx: &mut Tx,
    tenant: Uuid,
    b: &YearBounds,
    tally: &mut Tally,
) -> Result<(usize, PersonFigures), StoreError> {
    let ids = run_procedures(tx, tenant, b).await?;
    let ids: HashSet<Uuid> = ids.into_iter().map(|(id, _)| id).collect();
    let rows: Vec<(Uuid, Uuid, String, String, Vec<u8>, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT f.id, f.procedure_id, f.kind, f.version, f.answers_enc, f.filled_at FROM procedure_form f \
         WHERE f.tenant_id = $1 AND f.kind = 'A' AND f.filled_at < $2")
        .bind(tenant).bind(ts(b.end)).fetch_all(c).await)?;
    let keys = store.keys.scope_keys(tx, tenant, store.now()).await?;
    let mut sightings = Vec::new();
    let mut forms = 0;
    for (form_id, procedure_id, kind, version, sealed, filled_at) in rows {
        if !ids.contains(&procedure_id) {
            continue;
        }
        forms += 1;
        let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
        let answers = crate::procedure::read_form(&kind, &version, &json)?;
        sightings.extend(persons::sightings_of_form_a(&answers, procedure_id, form_id, filled_at.to_jiff()));
    }
    let figures = persons::figures(&persons::merge(&sightings));
    let a = ComputedKey::PersonsAffected;
    for (part, n) in [
        ("women", figures.women),
        ("men", figures.men),
        ("sex_unknown", figures.adults_sex_unknown),
        ("children", figures.children),
    ] {
        if n > 0 {
            tally.add_to(a, part, n);
        }
    }
    for (part, n) in [
        ("women_with_disability", figures.women_with_disability),
        ("women_elderly", figures.women_elderly),
        ("men_with_disability", figures.men_with_disability),
        ("men_elderly", figures.men_elderly),
        ("children_girls", figures.girls),
        ("children_boys", figures.boys),
        ("children_with_disability", figures.children_with_disability),
    ] {
        if n > 0 {
            tally.add_to_part(a, part, n);
        }
    }
    let s = ComputedKey::PersonsSuspected;
    for (part, n) in
        [("women", figures.using_women), ("men", figures.using_men), ("sex_unknown", figures.using_sex_unknown)]
    {
        if n > 0 {
            tally.add_to(s, part, n);
        }
    }
    Ok((forms, figures))
}

impl Tally {
    /// An "of which" line: in the breakdown, not in the total.
    fn add_to_part(&mut self, key: ComputedKey, part: &str, n: i64) {
        *self.breakdowns.entry(key).or_default().entry(part.to_owned()).or_default() += n;
    }
}

/// The procedures run in the year (opened in it, or continued from earlier years), with their numbers.
pub(crate) async fn run_procedures(
    tx: &mut Tx,
    tenant: Uuid,
    b: &YearBounds,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    let sql = format!(
        "SELECT p.id, p.number FROM procedure p WHERE p.tenant_id = $3 AND p.opened_at < $2 AND (p.opened_at >= $1 OR NOT EXISTS ( \
           SELECT 1 FROM procedure_command c WHERE c.procedure_id = p.id AND c.at < $1 \
             AND (c.kind = '{CLOSE}' OR c.kind = '{TRANSFER}') \
             AND NOT EXISTS (SELECT 1 FROM procedure_command r WHERE r.procedure_id = p.id AND (r.at > c.at OR (r.at = c.at AND r.seq > c.seq)) \
                             AND r.at < $1 AND r.kind = '{REOPEN}'))) ORDER BY p.number"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?,
    )
}

/// A row behind a figure as read: the case, its number, the counted record, its category and when it happened.
type CountedRow = (Uuid, String, Uuid, Option<String>, jiff_sqlx::Timestamp);

/// A record behind a computed figure: the case's number (as the case list shows it) and the record's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnderlyingRecord {
    pub procedure_id: Uuid,
    pub procedure_number: String,
    /// The form's or record's id, when the figure counts forms or records rather than cases.
    pub record_id: Option<Uuid>,
    /// The counted category (a letter's addressee, a closing reason), when there is one.
    pub category: Option<String>,
    /// When the counted thing happened (the case opened, the form filled in, the meeting or step took place), when
    /// the figure counts such a thing; the page shows it instead of an id.
    pub at: Option<Timestamp>,
}

fn may_view(principal: &Principal) -> Result<Uuid, StoreError> {
    let Some(tenant) = principal.tenant_id else { return Err(StoreError::NotFound) };
    if principal.roles.permits(Permission::ViewAggregates) || principal.roles.permits(Permission::ManageProgramme) {
        Ok(tenant)
    } else {
        Err(StoreError::NotFound)
    }
}

impl Store {
    /// Every computed indicator of the principal's municipality for `year`, with the persons' breakdowns when
    /// `with_persons` (one decrypting pass over the year's forms A, audited). Figures only: for the team and the
    /// aggregate viewers.
    pub async fn computed_indicators(
        &self,
        principal: &Principal,
        year: i16,
        with_persons: bool,
    ) -> Result<Vec<ComputedValue>, StoreError> {
        let tenant = may_view(principal)?;
        self.tenant_indicators(principal, tenant, year, with_persons).await
    }

    pub(crate) async fn tenant_indicators(
        &self,
        principal: &Principal,
        tenant: Uuid,
        year: i16,
        with_persons: bool,
    ) -> Result<Vec<ComputedValue>, StoreError> {
        let b = bounds(year)?;
        let mut tx = if with_persons { self.db.begin().await? } else { self.db.begin_read().await? };
        let mut tallies = run_aggregates(&mut tx, Some(tenant), &b, &[]).await?;
        let mut tally = tallies.remove(&tenant).unwrap_or_default();
        if with_persons {
            let (forms, _) = persons_pass(self, &mut tx, tenant, &b, &mut tally).await?;
            self.audit(
                &mut tx,
                &principal.actor(None),
                &AuditRecord::new(AuditAction::ReadPersonalData, "indicator", format!("persons-{year}"))
                    .in_tenant(Some(tenant))
                    .detail(format!("counted persons in {forms} forms A of {year} (figures only)")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(tally.into_values(with_persons))
    }

    /// The clear-column indicators of every municipality for `year`, in one set of grouped queries (the region's and
    /// the country's view; the benchmark). Persons are not counted here: that needs each municipality's key.
    pub async fn all_tenants_indicators(&self, year: i16) -> Result<HashMap<Uuid, Vec<ComputedValue>>, StoreError> {
        let b = bounds(year)?;
        let mut tx = self.db.begin_read_bypass("aggregates across municipalities").await?;
        let tallies = run_aggregates(&mut tx, None, &b, &[]).await?;
        tx.commit().await?;
        Ok(tallies.into_iter().map(|(t, tally)| (t, tally.into_values(false))).collect())
    }

    /// The bare aggregate queries of [`Store::all_tenants_indicators`], rows fetched and dropped: the benchmark's
    /// baseline. Returns the number of rows.
    pub async fn bare_indicator_queries(&self, year: i16) -> Result<usize, StoreError> {
        let b = bounds(year)?;
        let mut tx = self.db.begin_read_bypass("aggregates across municipalities").await?;
        let mut n = 0;
        for (_, sql) in aggregate_queries(false) {
            let rows = on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(ts(b.start)).bind(ts(b.end)).bind(None::<Uuid>).fetch_all(c).await.map(|r| r.len()))?;
            n += rows;
        }
        for (_, sql) in date_queries(false) {
            let rows = on_tx!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(&b.start_date).bind(&b.end_date).bind(None::<Uuid>).fetch_all(c).await.map(|r| r.len()))?;
            n += rows;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// The records behind one computed figure: case numbers and record ids, nothing the case list does not show.
    /// Only for the team (it may open the cases anyway); every opening is in the audit trail.
    pub async fn indicator_records(
        &self,
        principal: &Principal,
        key: ComputedKey,
        year: i16,
    ) -> Result<Vec<UnderlyingRecord>, StoreError> {
        let Some(tenant) = principal.tenant_id else { return Err(StoreError::NotFound) };
        if !principal.roles.permits(Permission::ManageProgramme) || !domain::programme::definition(key).lists_records {
            return Err(StoreError::NotFound);
        }
        let b = bounds(year)?;
        let mut tx = self.db.begin().await?;
        let by_procedure = |rows: Vec<(Uuid, String)>| {
            rows.into_iter()
                .map(|(procedure_id, procedure_number)| UnderlyingRecord {
                    procedure_id,
                    procedure_number,
                    record_id: None,
                    category: None,
                    at: None,
                })
                .collect::<Vec<_>>()
        };
        let with_record = |rows: Vec<CountedRow>| {
            rows.into_iter()
                .map(|(procedure_id, procedure_number, id, category, at)| UnderlyingRecord {
                    procedure_id,
                    procedure_number,
                    record_id: Some(id),
                    category,
                    at: Some(at.to_jiff()),
                })
                .collect::<Vec<_>>()
        };
        let start = ts(b.start);
        let end = ts(b.end);
        let records = match key {
            ComputedKey::ProceduresOpened => {
                let rows: Vec<CountedRow> = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT id, number, id, initiator_category, opened_at FROM procedure WHERE tenant_id = $3 AND opened_at >= $1 AND opened_at < $2 ORDER BY number")
                    .bind(start).bind(end).bind(tenant).fetch_all(c).await)?;
                rows.into_iter()
                    .map(|(procedure_id, procedure_number, _, category, at)| UnderlyingRecord {
                        procedure_id,
                        procedure_number,
                        record_id: None,
                        category,
                        at: Some(at.to_jiff()),
                    })
                    .collect()
            }
            ComputedKey::ProceduresContinued => {
                let all = run_procedures(&mut tx, tenant, &b).await?;
                let opened: HashSet<Uuid> = {
                    let rows: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                        "SELECT id FROM procedure WHERE tenant_id = $3 AND opened_at >= $1 AND opened_at < $2")
                        .bind(start).bind(end).bind(tenant).fetch_all(c).await)?;
                    rows.into_iter().map(|(id,)| id).collect()
                };
                by_procedure(all.into_iter().filter(|(id, _)| !opened.contains(id)).collect())
            }
            ComputedKey::ProceduresTotal | ComputedKey::PersonsAffected | ComputedKey::PersonsSuspected => {
                by_procedure(run_procedures(&mut tx, tenant, &b).await?)
            }
            ComputedKey::FurtherIncidents | ComputedKey::FormsC | ComputedKey::FormsD => {
                let kind = match key {
                    ComputedKey::FormsC => FormKind::C,
                    ComputedKey::FormsD => FormKind::D,
                    _ => FormKind::A,
                };
                let rows: Vec<CountedRow> = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT p.id, p.number, f.id, NULL, f.filled_at FROM procedure_form f JOIN procedure p ON p.id = f.procedure_id \
                     WHERE f.tenant_id = $3 AND f.kind = $4 AND f.filled_at >= $1 AND f.filled_at < $2 \
                       AND (f.kind <> 'A' OR f.filled_at <> p.opened_at) ORDER BY p.number, f.filled_at")
                    .bind(start).bind(end).bind(tenant).bind(kind.as_str()).fetch_all(c).await)?;
                with_record(rows)
            }
            ComputedKey::GroupMeetingsHeld | ComputedKey::HomeVisits | ComputedKey::Letters => {
                let (kind, status) = match key {
                    ComputedKey::GroupMeetingsHeld => ("meeting", Some(crate::procedure::records::HELD)),
                    ComputedKey::HomeVisits => ("home_visit", None),
                    _ => ("letter", None),
                };
                let rows: Vec<CountedRow> = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT p.id, p.number, r.id, r.tag, r.occurs_at FROM case_record r JOIN procedure p ON p.id = r.procedure_id \
                     WHERE r.tenant_id = $3 AND r.kind = $4 AND r.occurs_at >= $1 AND r.occurs_at < $2 \
                       AND ($5 = '' OR r.status = $5) ORDER BY p.number, r.occurs_at")
                    .bind(start).bind(end).bind(tenant).bind(kind).bind(status.unwrap_or("")).fetch_all(c).await)?;
                with_record(rows)
            }
            ComputedKey::Closures | ComputedKey::GroupsCreated | ComputedKey::ReferralSteps => {
                let pattern = match key {
                    ComputedKey::Closures => CLOSE,
                    ComputedKey::GroupsCreated => APPOINT,
                    _ => REFERRAL,
                };
                let rows: Vec<(Uuid, String, String, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT p.id, p.number, c.command, c.at FROM procedure_command c JOIN procedure p ON p.id = c.procedure_id \
                     WHERE p.tenant_id = $3 AND c.at >= $1 AND c.at < $2 AND c.kind = $4 ORDER BY p.number, c.seq")
                    .bind(start).bind(end).bind(tenant).bind(pattern).fetch_all(c).await)?;
                rows.into_iter()
                    .map(|(procedure_id, procedure_number, command, at)| UnderlyingRecord {
                        procedure_id,
                        procedure_number,
                        record_id: None,
                        category: match serde_json::from_str::<Command>(&command) {
                            Ok(Command::Close { reason }) => Some(reason.as_str().to_owned()),
                            Ok(Command::Referral { step, .. }) => Some(step.kind().as_str().to_owned()),
                            _ => None,
                        },
                        at: Some(at.to_jiff()),
                    })
                    .collect()
            }
            ComputedKey::PostClosingMonitoring => {
                let sql = format!(
                    "SELECT DISTINCT p.id, p.number FROM procedure p JOIN procedure_command c ON c.procedure_id = p.id \
                     WHERE p.tenant_id = $3 AND c.kind = '{CLOSE}' AND c.at < $2 AND NOT EXISTS ( \
                       SELECT 1 FROM procedure_command e WHERE e.procedure_id = p.id AND (e.at > c.at OR (e.at = c.at AND e.seq > c.seq)) AND e.at < $1 \
                         AND (e.kind = '{END_MONITORING}' OR e.kind = '{REOPEN}')) ORDER BY p.number"
                );
                let rows: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(start).bind(end).bind(tenant).fetch_all(c).await)?;
                by_procedure(rows)
            }
            _ => return Err(StoreError::NotFound),
        };
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::ReadPersonalData, "indicator", key.as_str())
                .in_tenant(Some(tenant))
                .detail(format!("records behind {} for {year}: {} cases", key.as_str(), records.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(records)
    }
}

/// A closing reason's stable name, for the breakdown's order in the report.
pub fn closing_reasons() -> [&'static str; 2] {
    ClosingReason::ALL.map(ClosingReason::as_str)
}
