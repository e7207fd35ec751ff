//! The statutory set in its template's shape (annex 2 to the Government Programme 2024–2030): every line of
//! [`domain::programme::statutory::template`] computed from the case and team data or entered by the institution that
//! knows it; the completeness check (the data-quality view); the chair's approval that freezes a year as a version,
//! and the corrections a later entry makes to a frozen figure.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::procedure::referral::{Penalty, ProgrammeKind, ReferralStep};
use domain::programme::persons::{self, Sighting};
use domain::programme::statutory::{self, GapKind, LineSource, TemplateLine};
use domain::programme::{ComputedKey, needs_confirmation, parse_entered_value};
use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use super::indicators::{
    APPOINT, CLOSE, END_MONITORING, REFERRAL, REOPEN, TRANSFER, YearBounds, bounds, run_aggregates,
};
use super::kept_persons::{self, FormPersons, FormRef};
use super::year_figures_cache::{Fingerprint, YearFigures};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// One line of the set as a report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetLine {
    pub id: &'static str,
    pub reference: &'static str,
    pub name_pl: &'static str,
    pub name_en: &'static str,
    pub level: u8,
    pub source: LineSource,
    /// The value the report shows: the approved version's when the year is approved, else the live one.
    pub value: i64,
}

/// A frozen figure that the data now gives differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: &'static str,
    pub name_pl: &'static str,
    pub approved: i64,
    pub now: i64,
}

/// Which version a report shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Approval {
    pub version: i32,
    pub approved_at: Timestamp,
    pub approved_by: Option<String>,
    pub reason: Option<String>,
}

/// The statutory set of one municipality for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatutorySet {
    pub teryt: String,
    pub tenant_name: String,
    pub year: i16,
    /// ISO date by which the set goes upward (10 February of the next year).
    pub deadline: String,
    /// The approved version shown, or none: the live, not yet approved figures.
    pub approval: Option<Approval>,
    pub lines: Vec<SetLine>,
    /// Frozen figures the data now gives differently (only when approved).
    pub corrections: Vec<Correction>,
}

impl StatutorySet {
    /// The line `id`'s value (0 when the template has no such line).
    pub fn value(&self, id: &str) -> i64 {
        self.lines.iter().find(|l| l.id == id).map_or(0, |l| l.value)
    }

    /// Semicolon-separated, as Polish spreadsheets expect, with the template's words and the version shown.
    pub fn to_csv(&self) -> String {
        let esc = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let version = match &self.approval {
            Some(a) => format!("zatwierdzona wersja {}", a.version),
            None => "dane bieżące, niezatwierdzone".to_owned(),
        };
        let mut out = String::from("teryt;rok;wersja;lp;wskaznik;id;wartosc\n");
        for l in &self.lines {
            out.push_str(&format!(
                "{};{};{};{};{};{};{}\n",
                self.teryt,
                self.year,
                esc(&version),
                esc(l.reference),
                esc(&domain::programme::statutory::shown_name(l.name_pl, l.level, "w tym")),
                l.id,
                l.value
            ));
        }
        out
    }
}

/// A gap the completeness check lists, with the case it is in and the institution that opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub kind: GapKind,
    pub procedure_id: Uuid,
    pub procedure_number: String,
    /// The initiating account's institution, or none.
    pub institution: Option<String>,
}

/// The outcome of entering a statutory line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnterOutcome {
    Saved,
    /// Far off last year's value: shown back to be confirmed first.
    NeedsConfirmation {
        last_year: i64,
    },
}

const CORE: [GroupMemberKind; 4] = [
    GroupMemberKind::SocialWorker,
    GroupMemberKind::PoliceOfficer,
    GroupMemberKind::ProbationOfficer,
    GroupMemberKind::MilitaryPolice,
];

/// What one procedure was in a year, as the statutory set reads it.
struct ProcedureInYear {
    id: Uuid,
    /// Opened in the year, or continued from an earlier one (not closed nor handed over before it began).
    run: bool,
    /// Closed before the year's end, its monitoring neither ended nor the case reopened before the year began.
    monitored: bool,
    /// Opened before the year and run in it.
    continued: bool,
    /// Its group appointed before the year's end.
    appointed: bool,
    /// A member of its group sits beyond the statutory core (art. 9a ust. 11–12), as the members stand today.
    extended: bool,
}

/// What each procedure was in the year, as SQL columns over `procedure p` ($1 the year's start, $2 its end): run,
/// monitored, appointed, extended, opened before the year. The command log is read through its (procedure, kind)
/// index.
fn in_year_columns() -> String {
    let core = CORE.map(|k| format!("'{}'", k.as_str())).join(", ");
    format!(
        "(p.opened_at >= $1 OR NOT EXISTS ( \
           SELECT 1 FROM procedure_command c WHERE c.procedure_id = p.id AND c.kind IN ('{CLOSE}', '{TRANSFER}') AND c.at < $1 \
             AND NOT EXISTS (SELECT 1 FROM procedure_command r WHERE r.procedure_id = p.id AND r.kind = '{REOPEN}' \
                             AND (r.at > c.at OR (r.at = c.at AND r.seq > c.seq)) AND r.at < $1))), \
         EXISTS ( \
           SELECT 1 FROM procedure_command c WHERE c.procedure_id = p.id AND c.kind = '{CLOSE}' AND c.at < $2 \
             AND NOT EXISTS (SELECT 1 FROM procedure_command e WHERE e.procedure_id = p.id \
                             AND e.kind IN ('{END_MONITORING}', '{REOPEN}') \
                             AND (e.at > c.at OR (e.at = c.at AND e.seq > c.seq)) AND e.at < $1)), \
         EXISTS (SELECT 1 FROM procedure_command a WHERE a.procedure_id = p.id AND a.kind = '{APPOINT}' AND a.at < $2), \
         EXISTS (SELECT 1 FROM group_member m WHERE m.procedure_id = p.id AND m.kind NOT IN ({core})), \
         p.opened_at < $1"
    )
}

type InYearRow = (Uuid, bool, bool, bool, bool, bool);

fn in_year_of((id, run, monitored, appointed, extended, earlier): InYearRow) -> ProcedureInYear {
    ProcedureInYear { id, run, monitored, continued: run && earlier, appointed, extended }
}

/// Every procedure of `tenant` opened before the year's end with what it was in the year, in one query (one pass
/// over the municipality's procedures).
async fn procedures_in_year(tx: &mut Tx, tenant: Uuid, b: &YearBounds) -> Result<Vec<ProcedureInYear>, StoreError> {
    let sql =
        format!("SELECT p.id, {} FROM procedure p WHERE p.tenant_id = $3 AND p.opened_at < $2", in_year_columns());
    let rows: Vec<InYearRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
    Ok(rows.into_iter().map(in_year_of).collect())
}

/// A form A filled before the year's end: its kept persons, or (not kept yet) the sealed form to read them from.
struct FormA {
    id: Uuid,
    procedure: Uuid,
    version: String,
    filled_at: Timestamp,
    kept: Option<Vec<u8>>,
    sealed: Option<Vec<u8>>,
}

type FormARow = (Uuid, Uuid, String, jiff_sqlx::Timestamp, Option<Vec<u8>>, Option<Vec<u8>>);

/// The forms A of `tenant` filled before the year's end, with their kept persons. Apart from
/// [`procedures_in_year`]: joined to it per form, SQLite read each form's row (its sealed answers) instead of the
/// covering index on (tenant, kind, filled_at) and took longer than both reads (measured, docs/benchmarks.md).
async fn forms_a(tx: &mut Tx, tenant: Uuid, b: &YearBounds) -> Result<Vec<FormA>, StoreError> {
    let rows: Vec<FormARow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT f.id, f.procedure_id, f.version, f.filled_at, s.persons_enc, \
                CASE WHEN s.form_id IS NULL THEN f.answers_enc END \
         FROM procedure_form f LEFT JOIN statutory_form_persons s ON s.form_id = f.id \
         WHERE f.tenant_id = $1 AND f.kind = 'A' AND f.filled_at < $2")
        .bind(tenant).bind(ts(b.end)).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, procedure, version, filled_at, kept, sealed)| FormA {
            id,
            procedure,
            version,
            filled_at: filled_at.to_jiff(),
            kept,
            sealed,
        })
        .collect())
}

fn may_view(principal: &Principal) -> Result<Uuid, StoreError> {
    let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
    if principal.roles.permits(Permission::ManageProgramme) || principal.roles.permits(Permission::ViewAggregates) {
        Ok(tenant)
    } else {
        Err(StoreError::NotFound)
    }
}

/// The persons' pass of the statutory set: the merged persons' figures, the persons in post-closing monitoring, the
/// sex of persons referred to programmes and the persons lacking sex or birth date (with a procedure they are in).
struct Pass {
    forms: usize,
    figures: persons::PersonFigures,
    monitoring_persons: i64,
    suspect_sex: HashMap<(Uuid, u32), Option<domain::person::Sex>>,
    incomplete: Vec<Uuid>,
}

pub(crate) const FORM_PERSONS: &str = "statutory_form_persons.persons";
/// Rows per INSERT of kept persons: three parameters each, well under both engines' bound-parameter limits.
const KEEP_CHUNK: usize = 500;

pub(crate) fn form_persons(
    answers: &domain::forms::ValidatedAnswers,
    procedure: Uuid,
    form: Uuid,
    at: Timestamp,
) -> FormPersons {
    let suspects = match domain::procedure::intake::persons_of_form_a(answers) {
        Ok(named) => named
            .iter()
            .filter(|p| p.section == "suspected_persons")
            .map(|p| (u32::try_from(p.index).unwrap_or(u32::MAX), p.person.sex()))
            .collect(),
        Err(_) => Vec::new(),
    };
    FormPersons {
        sightings: persons::sightings_of_form_a(answers, procedure, form, at),
        suspects,
        // Kept for the local diagnosis's areas (issue 18), read here so the form is opened once for both.
        area: domain::programme::diagnosis::area_of_form_a(answers),
        area_read: true,
    }
}

pub(crate) type FormRow = (Uuid, Uuid, String, String, jiff_sqlx::Timestamp, Option<Vec<u8>>, Option<Vec<u8>>);

/// The persons' pass over `forms` (the cached persons when the form was counted before; the whole form, to read once
/// and cache, otherwise).
async fn persons_pass(
    store: &Store,
    tx: &mut Tx,
    tenant: Uuid,
    in_year: &[ProcedureInYear],
    forms_a: Vec<FormA>,
    referred_forms: &HashSet<Uuid>,
    with_gaps: bool,
) -> Result<Pass, StoreError> {
    let keys = store.keys.scope_keys(tx, tenant, store.now()).await?;
    let (mut in_run, mut in_monitoring) = (Vec::<Sighting>::new(), Vec::<Sighting>::new());
    let flags: HashMap<Uuid, (bool, bool)> = in_year.iter().map(|p| (p.id, (p.run, p.monitored))).collect();
    let mut suspect_sex = HashMap::new();
    let mut forms = 0;
    // What is read for the first time is kept in multi-row INSERTs after the loop, not one round trip per form.
    let mut kept: Vec<(Uuid, Vec<u8>)> = Vec::new();
    for FormA { id: form_id, procedure: procedure_id, version, filled_at, kept: cached, sealed } in forms_a {
        let (is_run, is_monitored) = flags.get(&procedure_id).copied().unwrap_or_default();
        if !is_run && !is_monitored && !referred_forms.contains(&form_id) {
            continue;
        }
        forms += 1;
        let read = match (cached, sealed) {
            (Some(cached), _) => {
                let bytes = keys.decrypt_bytes(FORM_PERSONS, form_id, &cached)?;
                kept_persons::decode(&bytes, FormRef { procedure: procedure_id, form: form_id, filled_at })?
            }
            (None, Some(sealed)) => {
                let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
                let answers = crate::procedure::read_form("A", &version, &json)?;
                let read = form_persons(&answers, procedure_id, form_id, filled_at);
                let bytes = kept_persons::encode(&read)?;
                kept.push((form_id, keys.encrypt_bytes(FORM_PERSONS, form_id, &bytes)?));
                read
            }
            (None, None) => continue,
        };
        if referred_forms.contains(&form_id) {
            for (index, sex) in read.suspects {
                suspect_sex.insert((form_id, index), sex);
            }
        }
        if is_monitored {
            in_monitoring.extend(read.sightings.iter().cloned());
        }
        if is_run {
            in_run.extend(read.sightings);
        }
    }
    for part in kept.chunks(KEEP_CHUNK) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO statutory_form_persons (form_id, tenant_id, persons_enc) ");
            q.push_values(part, |mut row, (form_id, enc)| {
                row.push_bind(*form_id).push_bind(tenant).push_bind(enc.clone());
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    // The procedures naming a person that lacks sex or birth date on every form there (for the gaps only).
    let mut per: BTreeMap<Uuid, Vec<Sighting>> = BTreeMap::new();
    for s in in_run.iter().filter(|_| with_gaps) {
        per.entry(s.procedure).or_default().push(s.clone());
    }
    let incomplete = per
        .into_iter()
        .filter(|_| with_gaps)
        .filter(|(_, ss)| persons::merge(ss).iter().any(|p| p.sex.is_none() || p.birth_date.is_none()))
        .map(|(id, _)| id)
        .collect();
    let monitored_persons = persons::merge(&in_monitoring);
    Ok(Pass {
        forms,
        figures: persons::figures(&persons::merge(&in_run)),
        monitoring_persons: monitored_persons.len() as i64,
        suspect_sex,
        incomplete,
    })
}

/// Persons per programme and step, from the referral commands: each person (a form A's suspected person) once per
/// line; a step counts in the year it happened (its instant in the log: a dated step on its own day).
#[derive(Default)]
struct Referrals {
    /// (programme prefix, step) → persons (form, index).
    steps: BTreeMap<(&'static str, &'static str), HashSet<(Uuid, u32)>>,
    forms: HashSet<Uuid>,
}

async fn referrals(tx: &mut Tx, tenant: Uuid, b: &YearBounds) -> Result<Referrals, StoreError> {
    let rows: Vec<(String, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.command, c.at FROM procedure_command c JOIN procedure p ON p.id = c.procedure_id \
         WHERE p.tenant_id = $1 AND c.kind = $2 AND c.at < $3 ORDER BY c.at, c.seq")
        .bind(tenant).bind(REFERRAL).bind(ts(b.end)).fetch_all(c).await)?;
    let mut of: HashMap<Uuid, (&'static str, (Uuid, u32))> = HashMap::new();
    let mut out = Referrals::default();
    for (command, at) in rows {
        let Ok(Command::Referral { referral, step }) = serde_json::from_str::<Command>(&command) else { continue };
        if let ReferralStep::Request { programme, person } = &step {
            let prefix = match programme {
                ProgrammeKind::CorrectionalEducational => "ce",
                ProgrammeKind::PsychologicalTherapeutic => "pt",
            };
            of.insert(referral, (prefix, (person.form_id, person.index)));
        }
        let Some(&(prefix, person)) = of.get(&referral) else { continue };
        let at = at.to_jiff();
        if at < b.start {
            continue;
        }
        let line = match step {
            ReferralStep::Request { .. } => "asked",
            ReferralStep::Refer { .. } => "referred",
            ReferralStep::RegistrationCertificate { .. } => "started",
            ReferralStep::CompletionCertificate { .. } => "completed",
            ReferralStep::FileOffenceNotification { .. } => "evaded",
            ReferralStep::Penalty { penalty: Penalty::Fine, .. } => "fined",
            ReferralStep::Penalty { penalty: Penalty::RestrictionOfLiberty, .. } => "restricted",
            _ => continue,
        };
        out.steps.entry((prefix, line)).or_default().insert(person);
        out.forms.insert(person.0);
    }
    Ok(out)
}

/// The groups appointed in the year and its closings by reason: the "commands" aggregate of
/// [`run_aggregates`] without the referral steps.
async fn closings_and_groups(
    tx: &mut Tx,
    tenant: Uuid,
    b: &YearBounds,
) -> Result<(i64, HashMap<ClosingReason, i64>), StoreError> {
    let rows: Vec<(String, i64)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT CASE WHEN c.kind = '{APPOINT}' THEN '{APPOINT}' ELSE c.command END AS cmd, COUNT(*) \
         FROM procedure_command c JOIN procedure p ON p.id = c.procedure_id \
         WHERE c.at >= $1 AND c.at < $2 AND p.tenant_id = $3 AND (c.kind = '{CLOSE}' OR c.kind = '{APPOINT}') \
         GROUP BY cmd")))
        .bind(ts(b.start)).bind(ts(b.end)).bind(tenant).fetch_all(c).await)?;
    let (mut groups, mut closings) = (0, HashMap::new());
    for (command, n) in rows {
        if command == APPOINT {
            groups += n;
        } else if let Ok(Command::Close { reason }) = serde_json::from_str::<Command>(&command) {
            *closings.entry(reason).or_default() += n;
        }
    }
    Ok((groups, closings))
}

/// The municipality's procedures as the kept figures know them (see `year_figures_cache`).
async fn fingerprint(tx: &mut Tx, tenant: Uuid) -> Result<Fingerprint, StoreError> {
    let (procedures, versions, newest): (i64, i64, Option<jiff_sqlx::Timestamp>) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(version), 0) AS BIGINT), MAX(created_at) FROM procedure WHERE tenant_id = $1")
        .bind(tenant).fetch_one(c).await)?;
    Ok(Fingerprint { procedures, versions, newest: newest.map(|t| t.to_jiff()) })
}

/// The lines read per procedure and per person, from the year's procedures, its referral steps and the persons' pass.
fn figures_of(in_year: &[ProcedureInYear], refs: &Referrals, pass: &Pass) -> YearFigures {
    let mut lines: Vec<(&'static str, i64)> = Vec::new();
    lines.push(("procedures_continued", in_year.iter().filter(|p| p.continued).count() as i64));
    // Groups functioning in the year: appointed before its end in a procedure that ran in it; extended when a
    // member sits beyond the statutory core (art. 9a ust. 11–12), as the members stand today.
    let functioning = in_year.iter().filter(|p| p.run && p.appointed).count();
    let extended = in_year.iter().filter(|p| p.run && p.appointed && p.extended).count();
    lines.push(("groups_functioning", functioning as i64));
    lines.push(("groups_extended", extended as i64));
    for prefix in ["ce", "pt"] {
        for line in ["asked", "referred", "started", "completed", "evaded", "fined", "restricted"] {
            let persons = refs.steps.get(&(prefix, line));
            let (mut women, mut men) = (0, 0);
            for p in persons.into_iter().flatten() {
                match pass.suspect_sex.get(p).copied().flatten() {
                    Some(domain::person::Sex::Female) => women += 1,
                    Some(domain::person::Sex::Male) => men += 1,
                    None => {}
                }
            }
            let id = |suffix: &str| statutory::template_line(&format!("{prefix}_{line}{suffix}")).map(|l| l.id);
            if let (Some(t), Some(w), Some(m)) = (id(""), id("_women"), id("_men")) {
                lines.push((t, persons.map_or(0, |p| p.len() as i64)));
                lines.push((w, women));
                lines.push((m, men));
            }
        }
    }
    let f = &pass.figures;
    for (id, n) in [
        ("persons_affected", f.affected),
        ("affected_women", f.women),
        ("affected_women_disability", f.women_with_disability),
        ("affected_women_elderly", f.women_elderly),
        ("affected_men", f.men),
        ("affected_men_disability", f.men_with_disability),
        ("affected_men_elderly", f.men_elderly),
        ("affected_children", f.children),
        ("affected_girls", f.girls),
        ("affected_boys", f.boys),
        ("affected_children_disability", f.children_with_disability),
        ("affected_sex_unknown", f.adults_sex_unknown),
        ("persons_using", f.using),
        ("using_women", f.using_women),
        ("using_men", f.using_men),
        ("using_sex_unknown", f.using_sex_unknown),
        ("monitoring_persons", pass.monitoring_persons),
    ] {
        lines.push((id, n));
    }
    for (form, n) in &f.affected_by_form {
        if let Some(l) = statutory::template_line(&format!("affected_{form}")) {
            lines.push((l.id, *n));
        }
    }
    YearFigures { lines, forms: pass.forms }
}

impl Store {
    /// The lines read per procedure and per person, with the procedures lacking a person's sex or birth date when
    /// `with_gaps`. With `keep` (and without gaps), the figures kept from the last look are used while the
    /// municipality's procedures are unchanged, and kept for the next one (`year_figures_cache`).
    async fn year_figures(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        year: i16,
        b: &YearBounds,
        with_gaps: bool,
        keep: bool,
    ) -> Result<(Arc<YearFigures>, Vec<Uuid>), StoreError> {
        let print = match keep && !with_gaps {
            true => Some(fingerprint(tx, tenant).await?),
            false => None,
        };
        if let Some(kept) = print.as_ref().and_then(|p| self.year_figures.get(tenant, year, p)) {
            return Ok((kept, Vec::new()));
        }
        // The run, monitored and appointed procedures in one query; the aggregates that would count them again
        // (continued, in monitoring) are skipped by the caller.
        let in_year = procedures_in_year(tx, tenant, b).await?;
        // Referral steps, and the persons' pass (which also gives the referred persons' sex).
        let refs = referrals(tx, tenant, b).await?;
        let forms = forms_a(tx, tenant, b).await?;
        let pass = persons_pass(self, tx, tenant, &in_year, forms, &refs.forms, with_gaps).await?;
        let figures = Arc::new(figures_of(&in_year, &refs, &pass));
        if let Some(print) = print {
            self.year_figures.keep(tenant, year, print, Arc::clone(&figures));
        }
        Ok((figures, pass.incomplete))
    }

    /// Every line of the year's statutory set computed from the data now (no approval applied), with the persons'
    /// pass (audited). `principal` must be allowed to see the figures.
    async fn live_statutory(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant: Uuid,
        year: i16,
        with_gaps: bool,
        keep: bool,
    ) -> Result<(BTreeMap<&'static str, i64>, Vec<Uuid>), StoreError> {
        let b = bounds(year)?;
        let mut v: BTreeMap<&'static str, i64> = BTreeMap::new();
        // The lines read per procedure and per person (continued, groups, referrals by person, the persons' pass).
        let (per_procedure, incomplete) = self.year_figures(tx, tenant, year, &b, with_gaps, keep).await?;
        // The commands aggregate counts every referral step apart (one row each); the set counts referrals by
        // person below, so it reads only closings and appointments (`closings_and_groups`).
        let tally = run_aggregates(tx, Some(tenant), &b, &["continued", "monitoring", "commands"])
            .await?
            .remove(&tenant)
            .unwrap_or_default();
        let count = |k: ComputedKey| tally.counts.get(&k).copied().unwrap_or(0);
        let part = |k: ComputedKey, p: &str| tally.breakdowns.get(&k).and_then(|m| m.get(p)).copied().unwrap_or(0);
        let (programmes,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM programme WHERE tenant_id = $1 AND period_from <= $2 AND period_to >= $2")
            .bind(tenant).bind(i32::from(year)).fetch_one(c).await)?;
        v.insert("programmes_in_force", programmes.min(1));
        v.insert("teams", 1);
        v.insert("team_meetings", count(ComputedKey::TeamMeetingsHeld));
        let (groups_created, closings) = closings_and_groups(tx, tenant, &b).await?;
        v.insert("groups_created", groups_created);
        v.insert("procedures_opened", count(ComputedKey::ProceduresOpened));
        let mut other = count(ComputedKey::ProceduresOpened);
        for l in statutory::template().iter().filter(|l| l.id.starts_with("opened_") && l.id != "opened_other") {
            let n = part(ComputedKey::ProceduresOpened, &l.id["opened_".len()..]);
            other -= n;
            v.insert(l.id, n);
        }
        v.insert("opened_other", other);
        v.insert("further_incidents", count(ComputedKey::FurtherIncidents));
        v.insert("forms_c", count(ComputedKey::FormsC));
        v.insert("forms_d", count(ComputedKey::FormsD));
        let closed = |reason: ClosingReason| closings.get(&reason).copied().unwrap_or(0);
        v.insert("closed_violence_stopped", closed(ClosingReason::ViolenceStopped));
        v.insert("closed_no_grounds", closed(ClosingReason::NoGrounds));
        v.insert("training_needs_diagnoses", count(ComputedKey::TrainingNeedsDiagnoses));
        v.insert("trainings", count(ComputedKey::Trainings));

        // Protective measures by kind, in the year.
        let measures: Vec<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT COALESCE(tag, ''), COUNT(*) FROM case_record WHERE tenant_id = $1 AND kind = 'protective_measure' \
             AND occurs_at >= $2 AND occurs_at < $3 GROUP BY tag")
            .bind(tenant).bind(ts(b.start)).bind(ts(b.end)).fetch_all(c).await)?;
        let mut all_measures = 0;
        for (kind, n) in measures {
            all_measures += n;
            if let Some(l) = statutory::template_line(&statutory::measure_line_id(&kind)) {
                v.insert(l.id, n);
            }
        }
        v.insert("protective_measures", all_measures);

        // Members trained in the year, read from the members' training histories (issue 18 item 6): the team members
        // who completed a training of any kind in it, each once; of them, those who sat in a support group of a case
        // in the year (through their account), as "group members". The activities register keeps the audience of the
        // team's own trainings, a different question (a member trained elsewhere is trained all the same).
        let (team, group): (i64, i64) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(DISTINCT m.id), COUNT(DISTINCT CASE WHEN EXISTS (\
                 SELECT 1 FROM group_member g WHERE g.account_id = m.account_id \
                 AND (g.joined_at IS NULL OR g.joined_at < $4) AND (g.left_at IS NULL OR g.left_at >= $5)) \
               THEN m.id END) \
             FROM team_member_training t JOIN team_member m ON m.id = t.member_id \
             WHERE t.tenant_id = $1 AND t.completed_on >= $2 AND t.completed_on < $3")
            .bind(tenant).bind(&b.start_date).bind(&b.end_date).bind(ts(b.end)).bind(ts(b.start)).fetch_one(c).await)?;
        v.insert("trained_team_members", team);
        v.insert("trained_group_members", group);
        // "Of which" may not exceed its line (domain::programme::package::check_figures): members trained elsewhere
        // than at the team's own trainings are participants all the same, so the line is at least their number.
        let participants = count(ComputedKey::PersonsTrained).max(team);
        v.insert("training_participants", participants);

        for (id, n) in &per_procedure.lines {
            v.insert(id, *n);
        }

        // Lines the institutions enter.
        let entered: Vec<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT line_id, value FROM statutory_entry WHERE tenant_id = $1 AND year = $2")
            .bind(tenant).bind(i32::from(year)).fetch_all(c).await)?;
        for (id, n) in entered {
            if let Some(l) = statutory::template_line(&id) {
                v.insert(l.id, n);
            }
        }

        // Children secured under art. 12a: the placements recorded in the team's cases, by the placement's date,
        // and the centre's entered count of the others (`statutory::children_secured`).
        let (placed,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM case_record WHERE tenant_id = $1 AND kind = 'child_placement' \
             AND occurs_at >= $2 AND occurs_at < $3")
            .bind(tenant).bind(ts(b.start)).bind(ts(b.end)).fetch_one(c).await)?;
        let elsewhere = v.get("children_secured_elsewhere").copied().unwrap_or(0);
        v.insert("children_secured_in_cases", placed);
        v.insert("children_secured", statutory::children_secured(placed, elsewhere));
        // What erased procedures counted for in this year (issue 20 item 5, `store::retention`): added back, so
        // erasure never changes a year's figures.
        let erased: Vec<(String, i64)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT line_id, value FROM statutory_erased WHERE tenant_id = $1 AND year = $2")
            .bind(tenant).bind(i32::from(year)).fetch_all(c).await)?;
        for (line, value) in erased {
            if let Some(l) = statutory::template().iter().find(|l| l.id == line) {
                *v.entry(l.id).or_insert(0) += value;
            }
        }
        self.audit(
            tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::ReadPersonalData, "statutory", format!("persons-{year}"))
                .in_tenant(Some(tenant))
                .detail(format!(
                    "counted persons in {} forms A of {year} for the statutory set (figures only)",
                    per_procedure.forms
                )),
        )
        .await?;
        Ok((v, incomplete))
    }

    /// The live figures of `tenant` for `year`, erased procedures' trace included (for `store::retention`, which
    /// computes them with and without a procedure).
    pub(crate) async fn live_statutory_figures(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant: Uuid,
        year: i16,
    ) -> Result<BTreeMap<&'static str, i64>, StoreError> {
        Ok(self.live_statutory(tx, principal, tenant, year, false, false).await?.0)
    }

    /// The statutory set of the principal's municipality for `year`: the approved version when there is one (with
    /// the corrections the data now makes to it), else the live figures. The team and the aggregate viewers.
    pub async fn statutory_set(&self, principal: &Principal, year: i16) -> Result<StatutorySet, StoreError> {
        let tenant = may_view(principal)?;
        let mut tx = self.db.begin().await?;
        // The page and its downloads may use the figures kept from the last look; approval never does.
        let (live, _) = self.live_statutory(&mut tx, principal, tenant, year, false, true).await?;
        let approved = latest_approval(&mut tx, tenant, year).await?;
        tx.commit().await?;
        let frozen: Option<BTreeMap<String, i64>> = approved
            .as_ref()
            .map(|(_, figures)| serde_json::from_str(figures).map_err(|e| StoreError::corrupt_json("frozen set", &e)))
            .transpose()?;
        let mut lines = Vec::new();
        let mut corrections = Vec::new();
        for l in statutory::template() {
            let now = live.get(l.id).copied().unwrap_or(0);
            let value = match &frozen {
                Some(f) => {
                    let was = f.get(l.id).copied().unwrap_or(0);
                    if was != now {
                        corrections.push(Correction { id: l.id, name_pl: l.name_pl, approved: was, now });
                    }
                    was
                }
                None => now,
            };
            lines.push(set_line(l, value));
        }
        Ok(StatutorySet {
            teryt: principal.tenant_teryt.clone().unwrap_or_default(),
            tenant_name: principal.tenant_name.clone().unwrap_or_default(),
            year,
            deadline: domain::programme::indicators::statutory_deadline(year)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            approval: approved.map(|(a, _)| a),
            lines,
            corrections,
        })
    }

    /// The completeness check before approval (the data-quality view): persons without sex or birth date,
    /// procedures without forms C or D, overdue plan items, monitoring without checks; each with its case and the
    /// institution that opened it. Case numbers only: for the team.
    pub async fn statutory_gaps(&self, principal: &Principal, year: i16) -> Result<Vec<Gap>, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ManageProgramme) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (gaps, _) = self.gaps_in(&mut tx, principal, tenant, year).await?;
        tx.commit().await?;
        Ok(gaps)
    }

    async fn gaps_in(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant: Uuid,
        year: i16,
    ) -> Result<(Vec<Gap>, BTreeMap<&'static str, i64>), StoreError> {
        let b = bounds(year)?;
        let (live, incomplete) = self.live_statutory(tx, principal, tenant, year, true, false).await?;
        let in_year = procedures_in_year(tx, tenant, &b).await?;
        let mut found: Vec<(GapKind, Uuid)> =
            incomplete.into_iter().map(|p| (GapKind::PersonWithoutSexOrBirthDate, p)).collect();
        // Forms C and D: a procedure whose group was appointed before the year's end and that has neither by then.
        let forms: Vec<(Uuid, String)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT DISTINCT f.procedure_id, f.kind FROM procedure_form f WHERE f.tenant_id = $1 AND f.kind IN ('C', 'D') AND f.filled_at < $2")
            .bind(tenant).bind(ts(b.end)).fetch_all(c).await)?;
        let has: HashSet<(Uuid, &str)> = forms.iter().map(|(p, k)| (*p, if k == "C" { "C" } else { "D" })).collect();
        for p in in_year.iter().filter(|p| p.run && p.appointed) {
            if !has.contains(&(p.id, "C")) {
                found.push((GapKind::ProcedureWithoutFormC, p.id));
            }
            if !has.contains(&(p.id, "D")) {
                found.push((GapKind::ProcedureWithoutFormD, p.id));
            }
        }
        // Plan items not done whose due date passed within the year (the due date is in the encrypted body).
        let items: Vec<(Uuid, Uuid, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, procedure_id, body_enc FROM case_record WHERE tenant_id = $1 AND kind = 'plan_item' \
             AND COALESCE(tag, '') IN ('planned', 'in_progress') AND occurs_at < $2")
            .bind(tenant).bind(ts(b.end)).fetch_all(c).await)?;
        if !items.is_empty() {
            let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
            let today = self.now().to_zoned(domain::calendar::poland_zone()).date().to_string();
            let year_end = format!("{year:04}-12-31");
            let limit = today.min(year_end);
            for (id, procedure, sealed) in items {
                let json = keys.decrypt_bytes("case_record.body", id, &sealed)?;
                let body: serde_json::Value = serde_json::from_slice(&json).unwrap_or_default();
                let due = body.pointer("/answers/item.due_on").and_then(|d| d.as_str()).unwrap_or("");
                if !due.is_empty() && due < limit.as_str() {
                    found.push((GapKind::OverduePlanItem, procedure));
                }
            }
        }
        // Monitoring without a single check recorded.
        let checked: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT DISTINCT procedure_id FROM case_record WHERE tenant_id = $1 AND kind = 'monitoring_check' AND occurs_at < $2")
            .bind(tenant).bind(ts(b.end)).fetch_all(c).await)?;
        let checked: HashSet<Uuid> = checked.into_iter().map(|(id,)| id).collect();
        for p in in_year.iter().filter(|p| p.monitored) {
            if !checked.contains(&p.id) {
                found.push((GapKind::MonitoringWithoutCheck, p.id));
            }
        }
        let info: Vec<(Uuid, String, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT p.id, p.number, i.name FROM procedure p LEFT JOIN account a ON a.id = p.initiator_id \
             LEFT JOIN institution i ON i.id = a.institution_id WHERE p.tenant_id = $1")
            .bind(tenant).fetch_all(c).await)?;
        let info: HashMap<Uuid, (String, Option<String>)> = info.into_iter().map(|(id, n, i)| (id, (n, i))).collect();
        let mut gaps: Vec<Gap> = found
            .into_iter()
            .filter_map(|(kind, p)| {
                let (number, institution) = info.get(&p)?.clone();
                Some(Gap { kind, procedure_id: p, procedure_number: number, institution })
            })
            .collect();
        gaps.sort_by(|a, b| {
            (&a.institution, a.kind, &a.procedure_number).cmp(&(&b.institution, b.kind, &b.procedure_number))
        });
        gaps.dedup();
        Ok((gaps, live))
    }

    /// The chair approves the year's statutory figures: with gaps only with a written reason. The figures are frozen
    /// as a new version (1, 2, …); audited. Returns the version.
    pub async fn approve_statutory(&self, principal: &Principal, year: i16, reason: &str) -> Result<i32, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ChairDecisions) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (gaps, live) = self.gaps_in(&mut tx, principal, tenant, year).await?;
        statutory::check_approval(gaps.len(), reason).map_err(|code| StoreError::invalid("reason", code))?;
        let previous = latest_approval(&mut tx, tenant, year).await?;
        let version = previous.as_ref().map_or(1, |(a, _)| a.version + 1);
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for g in &gaps {
            *counts.entry(g.kind.as_str()).or_default() += 1;
        }
        let figures = serde_json::to_string(&live).map_err(|e| StoreError::Internal(e.to_string()))?;
        let gaps_json = serde_json::to_string(&counts).map_err(|e| StoreError::Internal(e.to_string()))?;
        let reason = reason.trim();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO statutory_approval (tenant_id, year, version, figures, gaps, reason, approved_by, approved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(tenant).bind(i32::from(year)).bind(version).bind(&figures).bind(&gaps_json)
            .bind((!reason.is_empty()).then_some(reason)).bind(principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        // On one installation the approval is the submission to the county and region (issue 17).
        self.record_submission_in(&mut tx, tenant, year, version, crate::area::SubmissionVia::Installation).await?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Create, "statutory_approval", format!("{year}-v{version}"))
                .in_tenant(Some(tenant))
                .detail(format!(
                    "approved the statutory figures of {year} as version {version} with {} gaps",
                    gaps.len()
                )),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// An institution's value of a statutory line it knows (an [`LineSource::Entered`] line): a whole number, not
    /// negative; far off last year's asks to be confirmed first. The team or an institution's reporter.
    pub async fn enter_statutory_line(
        &self,
        principal: &Principal,
        year: i16,
        line_id: &str,
        raw: &str,
        confirmed: bool,
    ) -> Result<EnterOutcome, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ManageProgramme)
            && !principal.roles.permits(Permission::EnterIndicators)
        {
            return Err(StoreError::NotFound);
        }
        let line = statutory::template_line(line_id)
            .filter(|l| l.source == LineSource::Entered)
            .ok_or(StoreError::NotFound)?;
        bounds(year)?;
        let value = parse_entered_value(raw).map_err(|code| StoreError::invalid("value", code))?;
        let mut tx = self.db.begin().await?;
        let last: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT value FROM statutory_entry WHERE tenant_id = $1 AND year = $2 AND line_id = $3")
            .bind(tenant).bind(i32::from(year) - 1).bind(line.id).fetch_optional(c).await)?;
        let last = last.map(|(v,)| v);
        if !confirmed && needs_confirmation(value, last) {
            return Ok(EnterOutcome::NeedsConfirmation { last_year: last.unwrap_or(0) });
        }
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO statutory_entry (tenant_id, year, line_id, value, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (tenant_id, year, line_id) DO UPDATE SET value = excluded.value, entered_by = excluded.entered_by, \
             entered_at = excluded.entered_at")
            .bind(tenant).bind(i32::from(year)).bind(line.id).bind(value).bind(principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Update, "statutory_entry", format!("{year}-{}", line.id))
                .in_tenant(Some(tenant))
                .detail(format!("{} = {value}", line.id)),
        )
        .await?;
        tx.commit().await?;
        Ok(EnterOutcome::Saved)
    }
}

fn set_line(l: &'static TemplateLine, value: i64) -> SetLine {
    SetLine {
        id: l.id,
        reference: l.reference,
        name_pl: l.name_pl,
        name_en: l.name_en,
        level: l.level,
        source: l.source,
        value,
    }
}

async fn latest_approval(tx: &mut Tx, tenant: Uuid, year: i16) -> Result<Option<(Approval, String)>, StoreError> {
    type Row = (i32, jiff_sqlx::Timestamp, Option<String>, Option<String>, String);
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(
        "SELECT s.version, s.approved_at, a.login, s.reason, s.figures FROM statutory_approval s \
         LEFT JOIN account a ON a.id = s.approved_by WHERE s.tenant_id = $1 AND s.year = $2 ORDER BY s.version DESC LIMIT 1")
        .bind(tenant).bind(i32::from(year)).fetch_optional(c).await)?;
    Ok(row.map(|(version, at, by, reason, figures)| {
        (Approval { version, approved_at: at.to_jiff(), approved_by: by, reason }, figures)
    }))
}
