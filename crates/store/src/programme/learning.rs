//! What the team learns from its work (issue 18 items 1–2): the local diagnosis for a span of years and the outcomes
//! of support of the procedures closed in it, as [`LearningReport`] tables.
//!
//! Counted from clear columns (procedures' openings and initiating categories, the command log's closings, reopenings
//! and referral steps, plan items' status and owner, monitoring checks' "violence recurred") and, for persons and
//! areas, from the forms A in the municipality's own decrypting pass over the kept persons of the statutory count
//! (`kept_persons`: read once per form, then a few sealed bytes), audited as a read. Nothing personal leaves this
//! module but counts; the cases behind an outcome go only to the team, each list audited.
//!
//! Rules, each stated once here and in the table's "how was this counted":
//! - a closing is the procedure's last `close` step in the span (a closing undone leaves the log);
//! - a closing is followed by a new form A when a person of that procedure (matched as the statutory set matches
//!   persons, in any procedure) is named on a form A filled within 12 months after it;
//! - violence recurred during monitoring when a monitoring check after the closing, before the monitoring ended or
//!   the case was reopened, says so; "within 9 months" counts checks dated up to 9 months after the closing;
//! - the days from opening to closing are calendar days in Poland between the two dates.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::procedure::lifecycle::{ClosingReason, Command};
use domain::procedure::referral::ReferralStep;
use domain::programme::diagnosis::{AgeGroup, ChartOf, LearningReport, Row, TOTAL, Table, quartiles};
use domain::programme::persons::{self, CountedRole, Sighting, ViolenceForm};
use domain::tenant::InstitutionKind;
use jiff::{Timestamp, ToSpan};
use uuid::Uuid;

use super::indicators::{CLOSE, END_MONITORING, REFERRAL, REOPEN, bounds};
use super::kept_persons::{self, FormRef};
use super::statutory::{FORM_PERSONS, FormRow, form_persons};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// A kept persons' record to write: the form's id and its sealed bytes.
type SealedRecord = (Uuid, Vec<u8>);
/// A plan item's procedure, tag, named institution and its owner member's institution kind.
type PlanItemRow = (Uuid, Option<String>, Option<String>, Option<String>);

/// Rows per multi-row INSERT of newly kept persons (three parameters each).
const KEEP_CHUNK: usize = 500;

fn zone() -> jiff::tz::TimeZone {
    domain::calendar::poland_zone()
}

fn year_of(at: Timestamp) -> i16 {
    at.to_zoned(zone()).year()
}

/// Who sees what: the team everything (and the cases behind an outcome); the aggregate viewers and the programme
/// reporters only the version for sharing.
fn audience(principal: &Principal) -> Result<(Uuid, bool), StoreError> {
    let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
    let r = &principal.roles;
    if r.permits(Permission::ManageProgramme) {
        Ok((tenant, false))
    } else if r.permits(Permission::ViewAggregates) || r.permits(Permission::EnterIndicators) {
        Ok((tenant, true))
    } else {
        Err(StoreError::NotFound)
    }
}

struct Procedure {
    number: String,
    opened_at: Timestamp,
    category: Option<String>,
}

/// A procedure's last closing in the span, with what followed it.
struct Closing {
    procedure: Uuid,
    at: Timestamp,
    reason: Option<ClosingReason>,
    /// When its monitoring stopped: ended, or the case reopened (none while it runs).
    monitoring_until: Option<Timestamp>,
    /// Whether what stopped it was a reopening.
    reopened: bool,
}

/// The clear facts of one municipality, read in a handful of queries.
struct Facts {
    procedures: HashMap<Uuid, Procedure>,
    closings: Vec<Closing>,
    /// Reopenings from monitoring, by instant.
    reopenings: Vec<(Uuid, Timestamp)>,
    /// Monitoring checks: procedure, instant, violence recurred.
    checks: Vec<(Uuid, Timestamp, bool)>,
    /// Referral steps by procedure: (referral, step name).
    referrals: HashMap<Uuid, Vec<(Uuid, &'static str)>>,
}

async fn facts(tx: &mut Tx, tenant: Uuid, start: Timestamp, end: Timestamp) -> Result<Facts, StoreError> {
    let rows: Vec<(Uuid, String, jiff_sqlx::Timestamp, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, number, opened_at, initiator_category FROM procedure WHERE tenant_id = $1 AND opened_at < $2")
        .bind(tenant).bind(ts(end)).fetch_all(c).await)?;
    let procedures: HashMap<Uuid, Procedure> = rows
        .into_iter()
        .map(|(id, number, opened_at, category)| (id, Procedure { number, opened_at: opened_at.to_jiff(), category }))
        .collect();
    // The whole log after the span's start: what followed a closing may come after the span's end.
    let log: Vec<(Uuid, String, String, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT c.procedure_id, c.kind, c.command, c.at FROM procedure_command c JOIN procedure p ON p.id = c.procedure_id \
         WHERE p.tenant_id = $1 AND c.kind IN ($2, $3, $4, $5) ORDER BY c.at, c.seq")
        .bind(tenant).bind(CLOSE).bind(REOPEN).bind(END_MONITORING).bind(REFERRAL).fetch_all(c).await)?;
    let mut last_closing: BTreeMap<Uuid, usize> = BTreeMap::new();
    let mut closings: Vec<Closing> = Vec::new();
    let mut reopenings = Vec::new();
    let mut referrals: HashMap<Uuid, Vec<(Uuid, &'static str)>> = HashMap::new();
    for (procedure, kind, command, at) in log {
        let at = at.to_jiff();
        match kind.as_str() {
            CLOSE if at >= start && at < end => {
                let reason = match serde_json::from_str::<Command>(&command) {
                    Ok(Command::Close { reason }) => Some(reason),
                    _ => None,
                };
                let closing = Closing { procedure, at, reason, monitoring_until: None, reopened: false };
                match last_closing.get(&procedure) {
                    Some(&i) => {
                        if let Some(slot) = closings.get_mut(i) {
                            *slot = closing;
                        }
                    }
                    None => {
                        last_closing.insert(procedure, closings.len());
                        closings.push(closing);
                    }
                }
            }
            REOPEN | END_MONITORING => {
                if kind == REOPEN && at >= start && at < end {
                    reopenings.push((procedure, at));
                }
                if let Some(c) = last_closing.get(&procedure).and_then(|&i| closings.get_mut(i))
                    && c.at <= at
                    && c.monitoring_until.is_none()
                {
                    c.monitoring_until = Some(at);
                    c.reopened = kind == REOPEN;
                }
            }
            REFERRAL => {
                if let Ok(Command::Referral { referral, step }) = serde_json::from_str::<Command>(&command) {
                    referrals.entry(procedure).or_default().push((referral, step_name(&step)));
                }
            }
            _ => {}
        }
    }
    let checks: Vec<(Uuid, jiff_sqlx::Timestamp, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT procedure_id, occurs_at, tag FROM case_record WHERE tenant_id = $1 AND kind = 'monitoring_check'")
        .bind(tenant).fetch_all(c).await)?;
    let checks = checks.into_iter().map(|(p, at, tag)| (p, at.to_jiff(), tag.as_deref() == Some("yes"))).collect();
    Ok(Facts { procedures, closings, reopenings, checks, referrals })
}

fn step_name(step: &ReferralStep) -> &'static str {
    match step {
        ReferralStep::Request { .. } => "asked",
        ReferralStep::CompletionCertificate { .. } => "completed",
        ReferralStep::FileOffenceNotification { .. } => "evaded",
        _ => "other",
    }
}

impl Facts {
    /// Whether a check after `c` (until its monitoring stopped, and no later than `limit`) says violence recurred.
    fn recurred(&self, c: &Closing, limit: Option<Timestamp>) -> bool {
        self.checks.iter().any(|(p, at, yes)| {
            *yes && *p == c.procedure
                && *at >= c.at
                && c.monitoring_until.is_none_or(|u| *at < u)
                && limit.is_none_or(|l| *at <= l)
        })
    }
}

/// What the pass over the forms A gives: the persons' tables' inputs and, per closing, whether a person of its
/// procedure was named on a form A within 12 months after it.
struct PersonsPass {
    forms: usize,
    in_span: Vec<Sighting>,
    /// The area of each procedure's opening form A.
    area_of: HashMap<Uuid, Option<String>>,
    /// Per person: their procedures and the instants of their forms, sorted.
    people: Vec<(HashSet<Uuid>, Vec<Timestamp>)>,
}

async fn persons_pass(
    store: &Store,
    tx: &mut Tx,
    tenant: Uuid,
    start: Timestamp,
    end: Timestamp,
) -> Result<PersonsPass, StoreError> {
    // Every form A of the municipality: a family's earlier forms tell who they are, later ones whether they came back.
    let rows: Vec<FormRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT f.id, f.procedure_id, f.kind, f.version, f.filled_at, s.persons_enc, \
                CASE WHEN s.form_id IS NULL OR s.persons_enc IS NULL THEN f.answers_enc END \
         FROM procedure_form f LEFT JOIN statutory_form_persons s ON s.form_id = f.id \
         WHERE f.tenant_id = $1 AND f.kind = 'A'")
        .bind(tenant).fetch_all(c).await)?;
    let keys = store.keys.scope_keys(tx, tenant, store.now()).await?;
    let mut all = Vec::new();
    let mut in_span = Vec::new();
    let mut opening: HashMap<Uuid, (Timestamp, Option<String>)> = HashMap::new();
    let (mut inserted, mut updated): (Vec<SealedRecord>, Vec<SealedRecord>) = (Vec::new(), Vec::new());
    let mut forms = 0;
    for (form_id, procedure, kind, version, filled_at, cached, sealed) in rows {
        let filled_at = filled_at.to_jiff();
        let at = FormRef { procedure, form: form_id, filled_at };
        let mut read = match &cached {
            Some(cached) => kept_persons::decode(&keys.decrypt_bytes(FORM_PERSONS, form_id, cached)?, at)?,
            None => {
                kept_persons::FormPersons { sightings: Vec::new(), suspects: Vec::new(), area: None, area_read: false }
            }
        };
        if !read.area_read {
            // Kept before the area was (or never kept): the form is read once more and kept in the new format.
            let sealed = match sealed {
                Some(s) => s,
                None => {
                    let row: (Vec<u8>,) = on_tx!(tx, c => sqlx::query_as(
                        "SELECT answers_enc FROM procedure_form WHERE id = $1").bind(form_id).fetch_one(c).await)?;
                    row.0
                }
            };
            let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
            let answers = crate::procedure::read_form(&kind, &version, &json)?;
            read = form_persons(&answers, procedure, form_id, filled_at);
            let enc = keys.encrypt_bytes(FORM_PERSONS, form_id, &kept_persons::encode(&read)?)?;
            if cached.is_some() {
                updated.push((form_id, enc))
            } else {
                inserted.push((form_id, enc))
            };
        }
        forms += 1;
        let first = opening.entry(procedure).or_insert((filled_at, read.area.clone()));
        if filled_at < first.0 {
            *first = (filled_at, read.area.clone());
        }
        if filled_at >= start && filled_at < end {
            in_span.extend(read.sightings.iter().cloned());
        }
        all.extend(read.sightings);
    }
    for part in inserted.chunks(KEEP_CHUNK) {
        on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO statutory_form_persons (form_id, tenant_id, persons_enc) ");
            q.push_values(part, |mut row, (form_id, enc)| {
                row.push_bind(*form_id).push_bind(tenant).push_bind(enc.clone());
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    for (form_id, enc) in &updated {
        on_tx!(tx, c => sqlx::query("UPDATE statutory_form_persons SET persons_enc = $2 WHERE form_id = $1")
            .bind(*form_id).bind(enc.clone()).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let people = persons::merge_with_sightings(&all)
        .into_iter()
        .map(|(_, group)| {
            let procedures = group.iter().filter_map(|&i| all.get(i)).map(|s| s.procedure).collect();
            let mut times: Vec<Timestamp> = group.iter().filter_map(|&i| all.get(i)).map(|s| s.filled_at).collect();
            times.sort_unstable();
            (procedures, times)
        })
        .collect();
    Ok(PersonsPass { forms, in_span, area_of: opening.into_iter().map(|(p, (_, area))| (p, area)).collect(), people })
}

impl PersonsPass {
    /// The procedures of the closings followed, within 12 months, by a form A naming one of their persons.
    fn followed_by_form_a(&self, closings: &[Closing]) -> HashSet<Uuid> {
        let mut of_procedure: HashMap<Uuid, Vec<usize>> = HashMap::new();
        for (i, (procedures, _)) in self.people.iter().enumerate() {
            for p in procedures {
                of_procedure.entry(*p).or_default().push(i);
            }
        }
        closings
            .iter()
            .filter(|c| {
                let Ok(until) = c.at.to_zoned(zone()).checked_add(12.months()).map(|z| z.timestamp()) else {
                    return false;
                };
                of_procedure.get(&c.procedure).into_iter().flatten().filter_map(|&i| self.people.get(i)).any(|person| {
                    let times = &person.1;
                    let after = times.partition_point(|t| *t <= c.at);
                    times.get(after).is_some_and(|t| *t <= until)
                })
            })
            .map(|c| c.procedure)
            .collect()
    }
}

/// Column headings: the years, then the total.
fn year_columns(from: i16, to: i16, total: bool) -> Vec<std::borrow::Cow<'static, str>> {
    let mut c: Vec<std::borrow::Cow<'static, str>> = (from..=to).map(|y| y.to_string().into()).collect();
    if total {
        c.push(TOTAL.into());
    }
    c
}

/// Per-year counts with the span's total appended.
fn per_year(from: i16, to: i16, years: impl Iterator<Item = i16>) -> Vec<i64> {
    let mut v = vec![0i64; usize::try_from(to - from + 1).unwrap_or(0) + 1];
    for y in years {
        if (from..=to).contains(&y) {
            if let Some(slot) = v.get_mut(usize::try_from(y - from).unwrap_or(0)) {
                *slot += 1;
            }
            *v.last_mut().unwrap_or(&mut 0) += 1;
        }
    }
    v
}

fn initiator_label(code: Option<&str>) -> (String, String) {
    let Some(code) = code else { return ("nie podano".into(), "not stated".into()) };
    let pl = domain::forms::options::INITIATORS_2023
        .iter()
        .find(|o| o.value == code)
        .map_or_else(|| code.to_owned(), |o| o.label_pl.to_owned());
    let en = match code {
        "social_worker" => "social worker",
        "police" => "police officer",
        "military_police" => "military police",
        "sow_social_worker" => "social worker of a specialist support centre",
        "family_assistant" => "family assistant",
        "teacher" => "teacher",
        "medical" => "medical professional",
        "gkrpa" => "alcohol commission",
        "pedagogue_psychologist_therapist" => "pedagogue, psychologist or therapist",
        other => other,
    };
    (pl, en.to_owned())
}

fn violence_labels(v: ViolenceForm) -> (&'static str, &'static str) {
    match v {
        ViolenceForm::Physical => ("przemoc fizyczna", "physical"),
        ViolenceForm::Psychological => ("przemoc psychiczna", "psychological"),
        ViolenceForm::Economic => ("przemoc ekonomiczna", "economic"),
        ViolenceForm::Sexual => ("przemoc seksualna", "sexual"),
        ViolenceForm::Cyber => ("przemoc za pomocą środków komunikacji elektronicznej", "cyber"),
    }
}

fn sex_age_table(id: &'static str, title: (&'static str, &'static str), people: &[persons::CountedPerson]) -> Table {
    let mut rows = Vec::new();
    for g in AgeGroup::ALL {
        let of = |sex: Option<domain::person::Sex>| {
            people.iter().filter(|p| p.sex == sex && AgeGroup::of(p.birth_date, p.entered_on, p.child) == g).count()
                as i64
        };
        let (f, m, u) = (of(Some(domain::person::Sex::Female)), of(Some(domain::person::Sex::Male)), of(None));
        let (pl, en) = g.labels();
        rows.push(Row::counts(pl, en, &[f, m, u, f + m + u]));
    }
    Table {
        id,
        chart: ChartOf::LastColumnByRow(0),
        title_pl: title.0,
        title_en: title.1,
        rule_pl: "Osoby z formularzy „Niebieska Karta – A” wypełnionych w okresie, każda raz (jak w sprawozdaniu \
                  rządowym); wiek w dniu pierwszego formularza.",
        rule_en: "Persons on the forms A filled in the span, each once (as in the statutory set); age on the day of \
                  their first form.",
        columns: vec!["kobiety".into(), "mężczyźni".into(), "płeć nieznana".into(), "razem".into()],
        rows,
    }
}

impl Store {
    /// The local diagnosis of the principal's municipality for `from..=to`: the team's full figures, or (for the
    /// aggregate viewers and programme reporters, or when `for_sharing`) the version shared beyond the team. One
    /// decrypting pass over the forms A, audited.
    pub async fn local_diagnosis(
        &self,
        principal: &Principal,
        from: i16,
        to: i16,
        for_sharing: bool,
    ) -> Result<LearningReport, StoreError> {
        let (tenant, forced) = audience(principal)?;
        let (start, end) = (bounds(from)?.start, bounds(to)?.end);
        if to < from {
            return Err(StoreError::invalid("to", "err-span-before-start"));
        }
        let mut tx = self.db.begin().await?;
        let f = facts(&mut tx, tenant, start, end).await?;
        let pass = persons_pass(self, &mut tx, tenant, start, end).await?;
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::ReadPersonalData, "local_diagnosis", format!("{from}-{to}"))
                .in_tenant(Some(tenant))
                .detail(format!(
                    "counted persons and areas in {} forms A for the local diagnosis {from}–{to} (figures only)",
                    pass.forms
                )),
        )
        .await?;
        tx.commit().await?;

        let mut tables = Vec::new();
        let opened: Vec<(&Uuid, &Procedure)> =
            f.procedures.iter().filter(|(_, p)| p.opened_at >= start && p.opened_at < end).collect();
        // 1. Procedures opened per year and by the initiating institution.
        let mut by_category: BTreeMap<Option<&str>, Vec<i16>> = BTreeMap::new();
        for (_, p) in &opened {
            by_category.entry(p.category.as_deref()).or_default().push(year_of(p.opened_at));
        }
        let mut rows = vec![Row::counts(
            "wszczęte procedury",
            "procedures opened",
            &per_year(from, to, opened.iter().map(|(_, p)| year_of(p.opened_at))),
        )];
        for (category, years) in &by_category {
            let (pl, en) = initiator_label(*category);
            rows.push(Row::counts(
                format!("w tym: {pl}"),
                format!("of which: {en}"),
                &per_year(from, to, years.iter().copied()),
            ));
        }
        tables.push(Table {
            id: "opened",
            chart: ChartOf::RowByYear(0),
            title_pl: "Procedury wszczęte w latach i według wszczynających",
            title_en: "Procedures opened per year and by who opened them",
            rule_pl: "Procedury, których pierwszy formularz „Niebieska Karta – A” wypełniono w danym roku, według \
                      kategorii osoby wypełniającej (część XIV formularza).",
            rule_en: "Procedures whose first form A was filled in the year, by the filler's category (part XIV).",
            columns: year_columns(from, to, true),
            rows,
        });

        // 2–4. Persons, each once.
        let people = persons::merge(&pass.in_span);
        let affected: Vec<_> = people.iter().filter(|p| p.role == CountedRole::Affected).cloned().collect();
        let using: Vec<_> = people.iter().filter(|p| p.role == CountedRole::Using).cloned().collect();
        let mut rows = vec![Row::counts(
            "osoby doznające przemocy domowej",
            "persons experiencing violence",
            &[affected.len() as i64],
        )];
        for v in ViolenceForm::ALL {
            let (pl, en) = violence_labels(v);
            let n = affected.iter().filter(|p| p.violence.contains(&v)).count() as i64;
            rows.push(Row::counts(format!("w tym: {pl}"), format!("of which: {en}"), &[n]));
        }
        tables.push(Table {
            id: "violence",
            chart: ChartOf::LastColumnByRow(1),
            title_pl: "Osoby doznające przemocy według form przemocy",
            title_en: "Persons experiencing violence by form of violence",
            rule_pl: "Każda osoba raz; formy przemocy ze wszystkich jej formularzy „A” z okresu (osoba może doznawać \
                      kilku form, więc wiersze nie sumują się do ogółu).",
            rule_en: "Each person once; the forms of violence of all their forms A in the span (a person may \
                      experience several, so the rows do not add up to the total).",
            columns: vec!["osoby".into()],
            rows,
        });
        tables.push(sex_age_table(
            "affected_sex_age",
            ("Osoby doznające przemocy według płci i wieku", "Persons experiencing violence by sex and age"),
            &affected,
        ));
        tables.push(sex_age_table(
            "using_sex_age",
            ("Osoby stosujące przemoc według płci i wieku", "Persons using violence by sex and age"),
            &using,
        ));

        // 5. Closings and their reasons; 6. time from opening to closing.
        let closed_years = |pred: &dyn Fn(&Closing) -> bool| {
            per_year(from, to, f.closings.iter().filter(|c| pred(c)).map(|c| year_of(c.at)))
        };
        let all_closed = closed_years(&|_| true);
        let stopped = closed_years(&|c| c.reason == Some(ClosingReason::ViolenceStopped));
        let no_grounds = closed_years(&|c| c.reason == Some(ClosingReason::NoGrounds));
        tables.push(Table {
            id: "closings",
            chart: ChartOf::RowByYear(3),
            title_pl: "Zakończone procedury i przyczyny zakończenia",
            title_en: "Closed procedures and the reasons for closing",
            rule_pl: "Ostatnie zakończenie procedury w okresie (zakończenie cofnięte nie liczy się).",
            rule_en: "Each procedure's last closing in the span (an undone closing does not count).",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("zakończone procedury", "procedures closed", &all_closed),
                Row::counts(
                    "w tym: ustanie przemocy i realizacja planu",
                    "of which: violence stopped, plan carried out",
                    &stopped,
                ),
                Row::counts("w tym: brak zasadności podejmowania działań", "of which: no grounds", &no_grounds),
                Row::shares(
                    "odsetek zakończonych z powodu ustania przemocy",
                    "share closed because violence stopped",
                    &stopped,
                    &all_closed,
                ),
            ],
        });
        let mut days: Vec<Vec<i64>> = vec![Vec::new(); all_closed.len()];
        for c in &f.closings {
            let Some(p) = f.procedures.get(&c.procedure) else { continue };
            let (a, b) = (p.opened_at.to_zoned(zone()).date(), c.at.to_zoned(zone()).date());
            let Ok(span) = a.until(b) else { continue };
            let d = i64::from(span.get_days());
            let y = year_of(c.at);
            if (from..=to).contains(&y) {
                if let Some(slot) = days.get_mut(usize::try_from(y - from).unwrap_or(0)) {
                    slot.push(d);
                }
                if let Some(total) = days.last_mut() {
                    total.push(d);
                }
            }
        }
        let q: Vec<Option<[i64; 3]>> = days.iter_mut().map(|d| quartiles(d)).collect();
        let pick = |i: usize| q.iter().map(|v| v.and_then(|v| v.get(i).copied())).collect::<Vec<_>>();
        tables.push(Table {
            id: "duration",
            chart: ChartOf::RowByYear(2),
            title_pl: "Czas od wszczęcia do zakończenia procedury (dni)",
            title_en: "Days from opening to closing",
            rule_pl: "Dni kalendarzowe od wszczęcia do zakończenia, dla procedur zakończonych w danym roku; kwartyle \
                      jak funkcja KWARTYL.PRZEDZ.ZAMK arkusza.",
            rule_en: "Calendar days from opening to closing of the procedures closed in the year; quartiles as a \
                      spreadsheet's QUARTILE.INC.",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("zakończone procedury", "procedures closed", &all_closed),
                Row::days("pierwszy kwartyl", "first quartile", &pick(0), &all_closed),
                Row::days("mediana", "median", &pick(1), &all_closed),
                Row::days("trzeci kwartyl", "third quartile", &pick(2), &all_closed),
            ],
        });

        // 7. Recurrence and returns.
        let followed = pass.followed_by_form_a(&f.closings);
        let new_form_a = closed_years(&|c| followed.contains(&c.procedure));
        let checked: HashSet<Uuid> = f
            .checks
            .iter()
            .filter(|(p, at, _)| f.closings.iter().any(|c| c.procedure == *p && *at >= c.at))
            .map(|(p, _, _)| *p)
            .collect();
        let monitored_checked = closed_years(&|c| checked.contains(&c.procedure));
        let recurred = closed_years(&|c| f.recurred(c, None));
        let returns = per_year(from, to, f.reopenings.iter().map(|(_, at)| year_of(*at)));
        tables.push(Table {
            id: "recurrence",
            chart: ChartOf::RowByYear(2),
            title_pl: "Nawroty przemocy i powroty do procedury",
            title_en: "Recurrence and returns",
            rule_pl: "Według roku zakończenia: nowy formularz „A” z osobą tej rodziny w ciągu 12 miesięcy od \
                      zakończenia; monitorowanie, w którym sprawdzenie wykazało ponowną przemoc. Powroty: wznowienia \
                      procedury w trakcie monitorowania, według roku wznowienia.",
            rule_en: "By year of closing: a new form A naming a person of the family within 12 months of the closing; \
                      monitoring in which a check found violence again. Returns: procedures reopened during monitoring, \
                      by year of reopening.",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("zakończone procedury", "procedures closed", &all_closed),
                Row::counts(
                    "nowy formularz „A” w ciągu 12 miesięcy od zakończenia",
                    "a new form A within 12 months of the closing",
                    &new_form_a,
                ),
                Row::shares("odsetek nawrotów (nowy formularz „A”)", "share recurring (new form A)", &new_form_a, &all_closed),
                Row::counts("monitorowanie ze sprawdzeniem sytuacji", "monitoring with a check", &monitored_checked),
                Row::counts(
                    "przemoc wystąpiła ponownie w trakcie monitorowania",
                    "violence recurred during monitoring",
                    &recurred,
                ),
                Row::counts("powroty w trakcie monitorowania (wznowienia)", "returns during monitoring (reopened)", &returns),
            ],
        });

        // 8. Areas of the municipality.
        let mut areas: BTreeMap<String, i64> = BTreeMap::new();
        let mut unknown = 0;
        for (id, _) in &opened {
            match pass.area_of.get(id).cloned().flatten() {
                Some(a) => *areas.entry(a).or_default() += 1,
                None => unknown += 1,
            }
        }
        let mut areas: Vec<(String, i64)> = areas.into_iter().collect();
        areas.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut rows: Vec<Row> = areas.into_iter().map(|(a, n)| Row::counts(a.clone(), a, &[n])).collect();
        rows.push(Row::counts(
            "adres nie pozwala ustalić miejscowości",
            "locality not given by the address",
            &[unknown],
        ));
        tables.push(Table {
            id: "areas",
            chart: ChartOf::LastColumnByRow(0),
            title_pl: "Procedury według miejscowości",
            title_en: "Procedures by locality",
            rule_pl: "Procedury wszczęte w okresie według miejscowości zamieszkania pierwszej osoby doznającej przemocy \
                      z pierwszego formularza „A” (kod pocztowy i miejscowość albo ostatnia część adresu); \
                      ustalane przy każdym liczeniu, adres nie jest zapisywany jawnie.",
            rule_en: "Procedures opened in the span by the locality of the first person experiencing violence on the \
                      first form A (postcode and town, or the address's last part); read at each count, no address is \
                      stored in clear.",
            columns: vec!["procedury".into()],
            rows,
        });

        let report = LearningReport {
            tenant_name: principal.tenant_name.clone().unwrap_or_default(),
            from,
            to,
            for_sharing: false,
            empty: opened.is_empty() && f.closings.is_empty() && pass.in_span.is_empty(),
            tables,
        };
        Ok(if forced || for_sharing { report.for_sharing() } else { report })
    }

    /// The outcomes of support of the procedures closed in `from..=to`, per year of closing. The team sees every
    /// figure with its cases one click away; the aggregate viewers the version for sharing.
    pub async fn support_outcomes(
        &self,
        principal: &Principal,
        from: i16,
        to: i16,
        for_sharing: bool,
    ) -> Result<LearningReport, StoreError> {
        let (tenant, forced) = audience(principal)?;
        if to < from {
            return Err(StoreError::invalid("to", "err-span-before-start"));
        }
        let mut tx = self.db.begin_read().await?;
        let closed = self.closed_outcomes(&mut tx, tenant, from, to).await?;
        tx.commit().await?;
        let years = |pred: &dyn Fn(&ClosedOutcome) -> bool| {
            per_year(from, to, closed.iter().filter(|c| pred(c)).map(|c| c.year))
        };
        let items = |pred: &dyn Fn(&str) -> bool| {
            let mut v = per_year(from, to, std::iter::empty());
            for c in &closed {
                let n = c.items.iter().filter(|(s, _)| pred(s)).count() as i64;
                if let Some(slot) = v.get_mut(usize::try_from(c.year - from).unwrap_or(0)) {
                    *slot += n;
                }
                *v.last_mut().unwrap_or(&mut 0) += n;
            }
            v
        };
        let all = years(&|_| true);
        let all_items = items(&|_| true);
        let done = items(&|s| s == "done");
        let not_done = items(&|s| s == "not_done");
        let open = items(&|s| s != "done" && s != "not_done");
        let mut tables = vec![Table {
            id: "plans",
            chart: ChartOf::RowByYear(5),
            title_pl: "Realizacja indywidualnych planów pomocy",
            title_en: "Support plans carried out",
            rule_pl: "Działania planów pomocy procedur zakończonych w danym roku, według ich stanu realizacji.",
            rule_en: "The support-plan actions of the procedures closed in the year, by where they stand.",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("zakończone procedury", "procedures closed", &all).with_figure("closed"),
                Row::counts("działania planów", "plan actions", &all_items).with_figure("with_plan"),
                Row::counts("zrealizowane", "carried out", &done).with_figure("done"),
                Row::counts("niezrealizowane", "not carried out", &not_done).with_figure("not_done"),
                Row::counts("pozostawione w toku", "left open", &open).with_figure("left_open"),
                Row::shares("odsetek zrealizowanych działań", "share carried out", &done, &all_items),
            ],
        }];
        // By the responsible institution: the span's total.
        // Keyed by the kind's place in the list, so the rows come in its order, "none" first.
        let mut by: BTreeMap<Option<usize>, (i64, i64, i64)> = BTreeMap::new();
        for (status, institution) in closed.iter().flat_map(|c| &c.items) {
            let place = institution.and_then(|k| InstitutionKind::ALL.iter().position(|x| *x == k));
            let e = by.entry(place).or_default();
            e.0 += 1;
            e.1 += i64::from(status == "done");
            e.2 += i64::from(status == "not_done");
        }
        let mut rows = Vec::new();
        for (institution, (n, d, nd)) in by {
            let (pl, en) = match institution.and_then(|i| InstitutionKind::ALL.get(i)) {
                Some(k) => (k.label_pl().to_owned(), k.as_str().replace('_', " ")),
                None => ("nie wskazano instytucji".to_owned(), "no institution given".to_owned()),
            };
            rows.push(Row::counts(pl, en, &[n, d, nd]).then(Row::shares("", "", &[d], &[n])));
        }
        tables.push(Table {
            id: "plans_by_institution",
            chart: ChartOf::LastColumnByRow(0),
            title_pl: "Działania planów według instytucji odpowiedzialnej",
            title_en: "Plan actions by responsible institution",
            rule_pl: "Instytucja wskazana jako odpowiedzialna za działanie albo instytucja członka grupy, któremu je \
                      powierzono; procedury zakończone w całym okresie.",
            rule_en: "The institution named responsible for the action, or the institution of the group member it was \
                      given to; procedures closed in the whole span.",
            columns: vec![
                "działania".into(),
                "zrealizowane".into(),
                "niezrealizowane".into(),
                "odsetek zrealizowanych".into(),
            ],
            rows,
        });
        let recurred = years(&|c| c.recurred_9_months);
        tables.push(Table {
            id: "recurrence_9_months",
            chart: ChartOf::RowByYear(2),
            title_pl: "Ponowna przemoc w ciągu 9 miesięcy monitorowania",
            title_en: "Violence recurring within the 9 months of monitoring",
            rule_pl: "Procedury zakończone w danym roku, w których sprawdzenie sytuacji w ciągu 9 miesięcy od \
                      zakończenia wykazało ponowną przemoc albo które wznowiono w tym czasie.",
            rule_en: "Procedures closed in the year where a check within 9 months of the closing found violence \
                      again, or which were reopened in that time.",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("zakończone procedury", "procedures closed", &all).with_figure("closed"),
                Row::counts("przemoc wystąpiła ponownie", "violence recurred", &recurred).with_figure("recurred"),
                Row::shares("odsetek z ponowną przemocą", "share with violence recurring", &recurred, &all),
            ],
        });
        let asked = {
            let mut v = per_year(from, to, std::iter::empty());
            for c in &closed {
                if let Some(slot) = v.get_mut(usize::try_from(c.year - from).unwrap_or(0)) {
                    *slot += c.referrals;
                }
                *v.last_mut().unwrap_or(&mut 0) += c.referrals;
            }
            v
        };
        let sum = |f: &dyn Fn(&ClosedOutcome) -> i64| {
            let mut v = per_year(from, to, std::iter::empty());
            for c in &closed {
                if let Some(slot) = v.get_mut(usize::try_from(c.year - from).unwrap_or(0)) {
                    *slot += f(c);
                }
                *v.last_mut().unwrap_or(&mut 0) += f(c);
            }
            v
        };
        let completed = sum(&|c| c.completed);
        let evaded = sum(&|c| c.evaded);
        tables.push(Table {
            id: "referrals",
            chart: ChartOf::RowByYear(0),
            title_pl: "Skierowania do programów dla osób stosujących przemoc",
            title_en: "Referrals to programmes for persons using violence",
            rule_pl: "Wnioski grupy o skierowanie w procedurach zakończonych w danym roku; ukończone (zaświadczenie o \
                      ukończeniu) i uchylanie się (zawiadomienie o wykroczeniu).",
            rule_en: "The group's requests for referral in the procedures closed in the year; completed (completion \
                      certificate) and evaded (offence notification).",
            columns: year_columns(from, to, true),
            rows: vec![
                Row::counts("skierowania", "referrals", &asked).with_figure("referred"),
                Row::counts("program ukończony", "programme completed", &completed).with_figure("completed"),
                Row::counts("uchylanie się od udziału", "evaded", &evaded).with_figure("evaded"),
                Row::shares("odsetek ukończonych", "share completed", &completed, &asked),
            ],
        });
        let report = LearningReport {
            tenant_name: principal.tenant_name.clone().unwrap_or_default(),
            from,
            to,
            for_sharing: false,
            empty: closed.is_empty(),
            tables,
        };
        Ok(if forced || for_sharing { report.for_sharing() } else { report })
    }

    /// The cases behind one figure of the outcomes (`figure` as the table's rows name it) for the procedures closed
    /// in `year`: case numbers only, and only the cases the principal may open. The team; every list is audited.
    pub async fn outcome_cases(
        &self,
        principal: &Principal,
        figure: &str,
        year: i16,
    ) -> Result<Vec<super::UnderlyingRecord>, StoreError> {
        let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
        if !principal.roles.permits(Permission::ManageProgramme) {
            return Err(StoreError::NotFound);
        }
        let keep: fn(&ClosedOutcome) -> bool = match figure {
            "closed" => |_| true,
            "with_plan" => |c| !c.items.is_empty(),
            "done" => |c| c.items.iter().any(|(s, _)| s == "done"),
            "not_done" => |c| c.items.iter().any(|(s, _)| s == "not_done"),
            "left_open" => |c| c.items.iter().any(|(s, _)| s != "done" && s != "not_done"),
            "recurred" => |c| c.recurred_9_months,
            "referred" => |c| c.referrals > 0,
            "completed" => |c| c.completed > 0,
            "evaded" => |c| c.evaded > 0,
            _ => return Err(StoreError::NotFound),
        };
        bounds(year)?;
        let mut tx = self.db.begin().await?;
        let closed = self.closed_outcomes(&mut tx, tenant, year, year).await?;
        // Need-to-know: the same rule as the case list, so a figure never lists a case its reader may not open.
        let visible: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(concat!(
            "SELECT p.id FROM procedure p WHERE p.tenant_id = $1 AND ",
            crate::access::case_visible_sql!("$4", "$2", "$3", "$5", "$6"))))
            .bind(tenant)
            .bind(crate::access::holds_staff_role(principal))
            .bind(crate::access::holds_member_role(principal))
            .bind(principal.account_id)
            .bind(self.today_text())
            .bind(ts(self.now()))
            .fetch_all(c).await)?;
        let visible: HashSet<Uuid> = visible.into_iter().map(|(id,)| id).collect();
        let mut records: Vec<super::UnderlyingRecord> = closed
            .into_iter()
            .filter(|c| keep(c) && visible.contains(&c.procedure))
            .map(|c| super::UnderlyingRecord {
                procedure_id: c.procedure,
                procedure_number: c.number,
                record_id: None,
                category: None,
                at: None,
            })
            .collect();
        records.sort_by(|a, b| a.procedure_number.cmp(&b.procedure_number));
        self.audit(
            &mut tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::ReadPersonalData, "support_outcomes", format!("{figure}-{year}"))
                .in_tenant(Some(tenant))
                .detail(format!("cases behind the outcome {figure} of {year}: {} cases", records.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(records)
    }

    async fn closed_outcomes(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        from: i16,
        to: i16,
    ) -> Result<Vec<ClosedOutcome>, StoreError> {
        let (start, end) = (bounds(from)?.start, bounds(to)?.end);
        let f = facts(tx, tenant, start, end).await?;
        // Plan items with their owner's institution: named, or the member's institution's kind.
        let items: Vec<PlanItemRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT r.procedure_id, r.tag, r.owner_institution, i.kind FROM case_record r \
             LEFT JOIN account a ON a.id = r.owner_account_id LEFT JOIN institution i ON i.id = a.institution_id \
             WHERE r.tenant_id = $1 AND r.kind = 'plan_item'")
            .bind(tenant).fetch_all(c).await)?;
        let mut items_of: HashMap<Uuid, Vec<(String, Option<InstitutionKind>)>> = HashMap::new();
        for (procedure, status, named, members) in items {
            let institution = named.or(members).and_then(|k| InstitutionKind::parse(&k).ok());
            items_of.entry(procedure).or_default().push((status.unwrap_or_default(), institution));
        }
        let mut out = Vec::new();
        for c in &f.closings {
            let Some(p) = f.procedures.get(&c.procedure) else { continue };
            let Ok(limit) = c.at.to_zoned(zone()).checked_add(9.months()).map(|z| z.timestamp()) else { continue };
            let reopened = c.reopened && c.monitoring_until.is_some_and(|u| u <= limit);
            let steps = f.referrals.get(&c.procedure).map(Vec::as_slice).unwrap_or_default();
            let count = |name: &str| {
                steps.iter().filter(|(_, s)| *s == name).map(|(r, _)| *r).collect::<HashSet<_>>().len() as i64
            };
            out.push(ClosedOutcome {
                procedure: c.procedure,
                number: p.number.clone(),
                year: year_of(c.at),
                items: items_of.remove(&c.procedure).unwrap_or_default(),
                recurred_9_months: f.recurred(c, Some(limit)) || reopened,
                referrals: count("asked"),
                completed: count("completed"),
                evaded: count("evaded"),
            });
        }
        Ok(out)
    }
}

/// What one procedure closed in the span achieved.
struct ClosedOutcome {
    procedure: Uuid,
    number: String,
    year: i16,
    /// Its plan items: status, responsible institution.
    items: Vec<(String, Option<InstitutionKind>)>,
    recurred_9_months: bool,
    referrals: i64,
    completed: i64,
    evaded: i64,
}
