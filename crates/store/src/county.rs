//! The county's own figures (issue 17, item 4): the programmes for persons using violence a county runs
//! (correctional-educational and psychological-therapeutic, art. 6 ust. 3 pkt 2 of the act), each edition with its
//! period, registrations and completions, and the certificates the county sends back to the municipalities' teams.
//!
//! # The link to a municipality's referral without the case
//!
//! On one installation a certificate reaches the referral it answers through an opaque reference
//! ([`Store::issue_county_reference`]): the municipality's team makes one for a referral of its case and passes it to
//! its county with the referral; the county types it beside the certificate ([`Store::record_county_certificate`]).
//! The reference is random (no number, name or date in it) and matches only for the county it was made for, so the
//! county learns nothing but "a referral of municipality M"; every query on the county's side reads the reference
//! table's own columns and never joins the procedure. The municipality's team sees what arrived on the referral page
//! ([`Store::county_references`], under the case's need-to-know rule) and records the step itself: the county never
//! writes into a case. docs/legal-assumptions.md §19.
//!
//! Counts only, in clear: the persons' files stay with the programme's provider, outside Ostoja.

use crate::Caller;
use domain::audit::AuditAction;
use domain::disclosure::{Relation, Shown, protect};
use domain::identity::{FEED_REFUSAL_WINDOW, LockoutPolicy, Permission};
use domain::procedure::referral::ProgrammeKind;
use domain::territory::TerritorialLevel;
use domain::validation::FieldErrors;
use jiff::civil::Date;
use rand::Rng;
use serde::Serialize;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::procedure::{CaseAccess, CaseHandle};
use crate::team::{COUNTY_EDITION, date_text, text_date};
use crate::{AuditRecord, Store, StoreError, ts};

/// The most persons one edition's figure may hold: a typo guard far above any county's programme.
const COUNT_MAX: i32 = 10_000;

/// The reference's letters: no 0/O, 1/I/L, so it survives being read aloud or copied from paper.
const REFERENCE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
/// 12 letters of 31: about 59 bits, so guessing another county's or another case's reference is hopeless.
const REFERENCE_LEN: usize = 12;

/// Which certificate the county sent back (art. 4 ust. 6 pkt 2 and 4 of the act).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    Registration,
    Completion,
}

impl CertificateKind {
    pub const ALL: [CertificateKind; 2] = [CertificateKind::Registration, CertificateKind::Completion];

    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Registration => "registration",
            CertificateKind::Completion => "completion",
        }
    }

    pub fn parse(s: &str) -> Result<CertificateKind, &'static str> {
        CertificateKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or("err-county-certificate-kind")
    }
}

/// An edition as typed on the county's page.
#[derive(Debug, Clone, Default)]
pub struct EditionInput {
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub registrations: String,
    pub completions: String,
}

/// One edition of a county's programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    pub id: Uuid,
    pub kind: ProgrammeKind,
    pub starts_on: Date,
    pub ends_on: Date,
    pub registrations: i32,
    pub completions: i32,
    pub version: i64,
}

/// A certificate as typed on the county's page.
#[derive(Debug, Clone, Default)]
pub struct CertificateInput {
    pub kind: String,
    pub issued_on: String,
    /// An edition's id, or empty.
    pub edition: String,
    /// A referral's reference from a municipality on this installation, or empty (sent on paper elsewhere).
    pub reference: String,
}

/// A certificate the county recorded, as its page lists it: the reference and the municipality it was made by, never
/// anything of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub id: Uuid,
    pub kind: CertificateKind,
    pub issued_on: Date,
    pub edition_id: Option<Uuid>,
    pub reference: Option<String>,
    pub municipality: Option<String>,
}

/// The figures of one kind of programme in one county and year: editions started, persons registered in them,
/// persons who completed one that ended in the year, certificates sent of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ProgrammeCounts {
    pub editions: i64,
    pub registrations: i64,
    pub completions: i64,
    pub registration_certificates: i64,
    pub completion_certificates: i64,
}

impl ProgrammeCounts {
    /// The measures in a fixed order, and whether each counts persons (an edition does not).
    const MEASURES: [bool; 5] = [false, true, true, true, true];

    fn values(&self) -> [i64; 5] {
        [
            self.editions,
            self.registrations,
            self.completions,
            self.registration_certificates,
            self.completion_certificates,
        ]
    }
}

/// One county's row of the programmes' figures, as shown to its reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountyProgrammeRow {
    pub code: String,
    pub name: String,
    /// Per kind of programme ([`ProgrammeKind::ALL`]' order), the five measures of [`ProgrammeCounts`] as shown.
    pub by_kind: Vec<[Shown; 5]>,
}

/// The county programmes' figures of a year for a county (its own row, exact) or a region (each county's row and
/// the region's sum, small counts of persons shown "<5" with secondary suppression).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountyProgrammeFigures {
    pub year: i16,
    pub counties: Vec<CountyProgrammeRow>,
    /// The sum over the counties (a region); for a county, its own row again.
    pub total: Vec<[Shown; 5]>,
}

/// A referral's reference for its county, as the municipality's team sees it on the referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralReference {
    pub referral_id: Uuid,
    /// Shown grouped by four ("ABCD-EFGH-JKMN").
    pub reference: String,
    pub county_code: String,
    /// The certificates the county sent back against it: kind and the date it was issued.
    pub certificates: Vec<(CertificateKind, Date)>,
}

/// A reference as shown and printed: groups of four letters.
pub fn display_reference(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A reference as typed: spaces and dashes dropped, upper case; anything else than the alphabet's letters, or a wrong
/// length, is no reference.
fn normalise_reference(raw: &str) -> Option<String> {
    let cleaned: String =
        raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let valid = cleaned.len() == REFERENCE_LEN && cleaned.bytes().all(|b| REFERENCE_ALPHABET.contains(&b));
    valid.then_some(cleaned)
}

fn new_reference() -> String {
    let mut rng = rand::rng();
    (0..REFERENCE_LEN)
        .map(|_| {
            let i = rng.random_range(0..REFERENCE_ALPHABET.len());
            REFERENCE_ALPHABET.get(i).copied().map_or('A', char::from)
        })
        .collect()
}

fn parse_count(raw: &str) -> Result<i32, &'static str> {
    let n: i64 = raw.trim().parse().map_err(|_| "err-count-format")?;
    if n < 0 {
        return Err("err-count-range");
    }
    i32::try_from(n).ok().filter(|n| *n <= COUNT_MAX).ok_or("err-county-count-too-large")
}

/// The county of a principal who keeps the county's programmes: its tenant, when it is a county's.
fn county_scope(principal: &Principal) -> Result<(Uuid, String), StoreError> {
    let tenant = principal.tenant_id.ok_or(StoreError::NotFound)?;
    let code = principal.tenant_teryt.clone().ok_or(StoreError::NotFound)?;
    if TerritorialLevel::of_code(&code) != TerritorialLevel::County
        || !principal.roles.permits(Permission::ManageCountyProgrammes)
    {
        return Err(StoreError::NotFound);
    }
    Ok((tenant, code))
}

/// The throttle's key for one account's wrong references.
fn guesses_key(principal: &Principal) -> String {
    format!("county-reference:{}", principal.account_id)
}

/// The refusal of a reference while the account is paused: beside the field, with the time (Polish clock) it may
/// try again.
fn paused(until: jiff::Timestamp) -> StoreError {
    let time = until.to_zoned(domain::calendar::poland_zone()).strftime("%H:%M").to_string();
    let mut errors = FieldErrors::new();
    errors.add_with("reference", "err-county-reference-paused", vec![("time", time)]);
    StoreError::Invalid(errors)
}

/// An edition's fields checked against each other and today: the period in order and begun, completions within the
/// registrations and only once the edition has ended.
fn check_edition(input: &EditionInput, today: Date) -> Result<(ProgrammeKind, Date, Date, i32, i32), FieldErrors> {
    let mut e = FieldErrors::new();
    let kind = e.check("kind", ProgrammeKind::parse(&input.kind));
    let starts_on = e.check("starts_on", domain::parse::date(&input.starts_on));
    let ends_on = e.check("ends_on", domain::parse::date(&input.ends_on));
    let registrations = e.check("registrations", parse_count(&input.registrations));
    let completions = e.check("completions", parse_count(&input.completions));
    if starts_on.is_some_and(|s| s > today) {
        e.add("starts_on", "err-county-edition-start-future");
    }
    if let (Some(s), Some(end)) = (starts_on, ends_on)
        && end < s
    {
        e.add("ends_on", "err-county-edition-end-before-start");
    }
    if let (Some(r), Some(c)) = (registrations, completions)
        && c > r
    {
        e.add("completions", "err-county-completions-over");
    }
    if let (Some(end), Some(c)) = (ends_on, completions)
        && c > 0
        && end > today
    {
        e.add("completions", "err-county-completions-before-end");
    }
    match (kind, starts_on, ends_on, registrations, completions) {
        (Some(k), Some(s), Some(end), Some(r), Some(c)) if e.is_empty() => Ok((k, s, end, r, c)),
        _ => Err(e),
    }
}

type EditionRow = (Uuid, String, String, String, i32, i32, i64);

fn edition_from(row: EditionRow) -> Result<Edition, StoreError> {
    let (id, kind, starts_on, ends_on, registrations, completions, version) = row;
    Ok(Edition {
        id,
        kind: ProgrammeKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("edition kind {kind:?}")))?,
        starts_on: text_date(&starts_on)?,
        ends_on: text_date(&ends_on)?,
        registrations,
        completions,
        version,
    })
}

impl Store {
    /// The county's coordinator records an edition of one of its programmes; audited. Refusals beside their fields.
    pub async fn create_county_edition(&self, caller: &Caller<'_>, input: &EditionInput) -> Result<Uuid, StoreError> {
        let (tenant, _) = county_scope(caller.principal)?;
        let (kind, starts_on, ends_on, registrations, completions) =
            check_edition(input, self.today()).map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO county_programme_edition (id, tenant_id, kind, starts_on, ends_on, registrations, completions, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(id).bind(tenant).bind(kind.as_str()).bind(date_text(starts_on)).bind(date_text(ends_on))
            .bind(registrations).bind(completions).bind(caller.principal.account_id).bind(ts(now)).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "county_programme_edition", id).in_tenant(Some(tenant)).detail(
                format!("{} {starts_on}–{ends_on}: {registrations} registered, {completions} completed", kind.as_str()),
            ),
        )
        .await?;
        Ok(id)
    }

    /// Changes an edition at the version it was read at (registrations and completions come in as it runs); a stale
    /// version is a conflict, another county's edition does not exist. Audited.
    pub async fn update_county_edition(
        &self,
        caller: &Caller<'_>,
        id: Uuid,
        expected_version: i64,
        input: &EditionInput,
    ) -> Result<(), StoreError> {
        let (tenant, _) = county_scope(caller.principal)?;
        let (kind, starts_on, ends_on, registrations, completions) =
            check_edition(input, self.today()).map_err(StoreError::Invalid)?;
        let mut tx = self.db.begin().await?;
        COUNTY_EDITION.check_version(&mut tx, id, tenant, expected_version).await?;
        let rows = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE county_programme_edition SET kind = $3, starts_on = $4, ends_on = $5, registrations = $6, \
             completions = $7, updated_at = $8, version = version + 1 WHERE id = $1 AND tenant_id = $2 AND version = $9")
            .bind(id).bind(tenant).bind(kind.as_str()).bind(date_text(starts_on)).bind(date_text(ends_on))
            .bind(registrations).bind(completions).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        COUNTY_EDITION.changed(rows)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "county_programme_edition", id).in_tenant(Some(tenant)).detail(
                format!("{} {starts_on}–{ends_on}: {registrations} registered, {completions} completed", kind.as_str()),
            ),
        )
        .await
    }

    /// The county's editions, newest first.
    pub async fn county_editions(&self, principal: &Principal) -> Result<Vec<Edition>, StoreError> {
        let (tenant, _) = county_scope(principal)?;
        let rows: Vec<EditionRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, kind, starts_on, ends_on, registrations, completions, version FROM county_programme_edition \
             WHERE tenant_id = $1 ORDER BY starts_on DESC, id DESC")
            .bind(tenant).fetch_all(p).await)?;
        rows.into_iter().map(edition_from).collect()
    }

    /// The county records a certificate it sent back, dated as issued (not in the future, a completion not before
    /// its edition began nor before the same referral's registration), against a reference of a municipality of
    /// this county (matched only here, so another county's reference is unknown, as one that does not exist) or
    /// none. One of each kind per reference. Audited.
    pub async fn record_county_certificate(
        &self,
        caller: &Caller<'_>,
        input: &CertificateInput,
    ) -> Result<Uuid, StoreError> {
        let (tenant, county_code) = county_scope(caller.principal)?;
        // An account that typed too many wrong references waits before any reference is looked up again.
        let throttle = guesses_key(caller.principal);
        if !input.reference.trim().is_empty()
            && let Some(until) = self.throttle_locked_until(&throttle).await?
        {
            return Err(paused(until));
        }
        let mut e = FieldErrors::new();
        let kind = e.check("kind", CertificateKind::parse(&input.kind));
        let issued_on = e.check("issued_on", domain::parse::date(&input.issued_on));
        if issued_on.is_some_and(|d| d > self.today()) {
            e.add("issued_on", "err-date-in-future");
        }
        let edition = match input.edition.trim() {
            "" => None,
            raw => e.check("edition", Uuid::parse_str(raw).map_err(|_| "err-county-edition-unknown")),
        };
        let reference = match input.reference.trim() {
            "" => None,
            raw => e.check("reference", normalise_reference(raw).ok_or("err-county-reference-unknown")),
        };
        if e.for_field("reference").is_some() {
            return Err(self.reference_refused(caller, &throttle, e).await?);
        }
        let (Some(kind), Some(issued_on)) = (kind, issued_on) else { return Err(StoreError::Invalid(e)) };
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        if let Some(edition) = edition {
            let starts: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT starts_on FROM county_programme_edition WHERE id = $1 AND tenant_id = $2")
                .bind(edition).bind(tenant).fetch_optional(c).await)?;
            match starts {
                None => e.add("edition", "err-county-edition-unknown"),
                Some((s,)) => {
                    if kind == CertificateKind::Completion && issued_on < text_date(&s)? {
                        e.add("issued_on", "err-county-certificate-before-edition");
                    }
                }
            }
        }
        let mut reference_id = None;
        if let Some(reference) = &reference {
            // The county's side reads the reference's own columns only: never the procedure it points at.
            let found: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id FROM county_referral_reference WHERE reference = $1 AND county_code = $2")
                .bind(reference).bind(&county_code).fetch_optional(c).await)?;
            match found {
                None => {
                    drop(tx);
                    e.add("reference", "err-county-reference-unknown");
                    return Err(self.reference_refused(caller, &throttle, e).await?);
                }
                Some((rid,)) => {
                    let sent: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                        "SELECT kind, issued_on FROM county_certificate WHERE reference_id = $1")
                        .bind(rid).fetch_all(c).await)?;
                    if sent.iter().any(|(k, _)| k == kind.as_str()) {
                        e.add("reference", "err-county-certificate-duplicate");
                    }
                    let registered = sent.iter().find(|(k, _)| k == CertificateKind::Registration.as_str());
                    if kind == CertificateKind::Completion
                        && let Some((_, on)) = registered
                        && issued_on < text_date(on)?
                    {
                        e.add("issued_on", "err-county-certificate-before-registration");
                    }
                    reference_id = Some(rid);
                }
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let id = Uuid::now_v7();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO county_certificate (id, tenant_id, kind, issued_on, edition_id, reference_id, recorded_by, \
             recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(tenant).bind(kind.as_str()).bind(date_text(issued_on)).bind(edition).bind(reference_id)
            .bind(caller.principal.account_id).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        let against = reference.as_deref().map_or_else(|| "no reference".to_owned(), display_reference);
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "county_certificate", id)
                .in_tenant(Some(tenant))
                .detail(format!("{} certificate of {issued_on}, {against}", kind.as_str())),
        )
        .await?;
        Ok(id)
    }

    /// A reference refused as naming no referral of this county: counted against the account (the log-in
    /// throttle's table, [`LockoutPolicy::per_reference_guesses`] within [`FEED_REFUSAL_WINDOW`]) and audited, each
    /// one, without the typed text (it may be a real reference of another county or case). Answers the refusal to
    /// give: the field errors as they are, or the pause once the free tries are used.
    async fn reference_refused(
        &self,
        caller: &Caller<'_>,
        throttle: &str,
        errors: FieldErrors,
    ) -> Result<StoreError, StoreError> {
        let policy = LockoutPolicy::per_reference_guesses();
        let counted = self.count_refusal(throttle, &policy, FEED_REFUSAL_WINDOW).await?;
        let detail = match counted {
            Ok(count) if count >= policy.free_attempts => {
                format!("referral reference refused ({count} within the hour): this account is paused")
            }
            Ok(count) => format!("referral reference refused ({count} within the hour)"),
            Err(_) => "referral reference refused while paused".to_owned(),
        };
        self.record_event(
            &caller.actor(),
            AuditRecord::new(AuditAction::ReferenceRefused, "county_referral_reference", "unknown")
                .in_tenant(caller.principal.tenant_id)
                .detail(detail),
        )
        .await?;
        let locked = match counted {
            Err(until) => Some(until),
            Ok(_) => self.throttle_locked_until(throttle).await?,
        };
        Ok(locked.map_or(StoreError::Invalid(errors), paused))
    }

    /// The county's certificates, newest first, with the reference and the municipality that made it.
    pub async fn county_certificates(&self, principal: &Principal) -> Result<Vec<Certificate>, StoreError> {
        let (tenant, _) = county_scope(principal)?;
        type Row = (Uuid, String, String, Option<Uuid>, Option<String>, Option<String>);
        let rows: Vec<Row> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT c.id, c.kind, c.issued_on, c.edition_id, r.reference, t.name FROM county_certificate c \
             LEFT JOIN county_referral_reference r ON r.id = c.reference_id LEFT JOIN tenant t ON t.id = r.tenant_id \
             WHERE c.tenant_id = $1 ORDER BY c.issued_on DESC, c.id DESC")
            .bind(tenant).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(id, kind, issued_on, edition_id, reference, municipality)| {
                Ok(Certificate {
                    id,
                    kind: CertificateKind::parse(&kind)
                        .map_err(|_| StoreError::Corrupt(format!("certificate kind {kind:?}")))?,
                    issued_on: text_date(&issued_on)?,
                    edition_id,
                    reference: reference.as_deref().map(display_reference),
                    municipality,
                })
            })
            .collect()
    }

    /// The municipality's team makes (or finds) the reference of one referral of its case for its county; audited
    /// when made. The team or the case's group only; the referral must be the case's.
    pub async fn issue_county_reference(&self, handle: &CaseHandle, referral_id: Uuid) -> Result<String, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        // The referral as the case's log folds it: the case's own, and the team has referred the person already
        // (a reference for a request not yet referred would send the county a referral that does not exist).
        let referral = crate::procedure::referral_of(&mut tx, handle.procedure_id, referral_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if referral.referred().is_none() {
            return Err(StoreError::invalid("referral", "err-county-reference-not-referred"));
        }
        let existing: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT reference FROM county_referral_reference WHERE procedure_id = $1 AND referral_id = $2")
            .bind(handle.procedure_id).bind(referral_id).fetch_optional(c).await)?;
        if let Some((reference,)) = existing {
            return Ok(display_reference(&reference));
        }
        let (teryt,): (String,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT teryt FROM tenant WHERE id = $1")
            .bind(handle.tenant_id).fetch_one(c).await)?;
        let county_code: String = teryt.chars().take(4).collect();
        let id = Uuid::now_v7();
        let reference = new_reference();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO county_referral_reference (id, reference, tenant_id, procedure_id, referral_id, county_code, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(&reference).bind(handle.tenant_id).bind(handle.procedure_id).bind(referral_id)
            .bind(&county_code).bind(handle.principal().account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &handle.actor(),
            AuditRecord::new(AuditAction::Create, "county_referral_reference", id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!(
                    "for county {county_code}, referral {referral_id} of procedure {}",
                    handle.procedure_id
                )),
        )
        .await?;
        Ok(display_reference(&reference))
    }

    /// The case's references for the county and the certificates that arrived against them, for the referral page.
    /// Whoever reads the referrals may (no personal data in them).
    pub async fn county_references(&self, handle: &CaseHandle) -> Result<Vec<ReferralReference>, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Err(StoreError::NotFound);
        }
        type Row = (Option<Uuid>, String, String, Option<String>, Option<String>);
        let rows: Vec<Row> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT r.referral_id, r.reference, r.county_code, c.kind, c.issued_on FROM county_referral_reference r \
             LEFT JOIN county_certificate c ON c.reference_id = r.id \
             WHERE r.procedure_id = $1 AND r.tenant_id = $2 ORDER BY r.created_at, c.issued_on")
            .bind(handle.procedure_id).bind(handle.tenant_id).fetch_all(p).await)?;
        let mut out: Vec<ReferralReference> = Vec::new();
        for (referral_id, reference, county_code, kind, issued_on) in rows {
            let Some(referral_id) = referral_id else { continue };
            let certificate = match (kind, issued_on) {
                (Some(k), Some(on)) => Some((
                    CertificateKind::parse(&k).map_err(|_| StoreError::Corrupt(format!("certificate kind {k:?}")))?,
                    text_date(&on)?,
                )),
                _ => None,
            };
            match out.iter_mut().find(|r| r.referral_id == referral_id) {
                Some(r) => r.certificates.extend(certificate),
                None => out.push(ReferralReference {
                    referral_id,
                    reference: display_reference(&reference),
                    county_code,
                    certificates: certificate.into_iter().collect(),
                }),
            }
        }
        Ok(out)
    }

    /// The county programmes' figures of `year` for the principal's county (its own, exact) or region (per county
    /// and summed, persons' counts of 1–4 shown "<5" with secondary suppression). An edition counts in the year it
    /// began with its registrations, its completions in the year it ended; a certificate in the year it was issued.
    /// Figures only; not audited (no personal data).
    pub async fn county_programme_figures(
        &self,
        principal: &Principal,
        year: i16,
    ) -> Result<CountyProgrammeFigures, StoreError> {
        let code = principal.tenant_teryt.clone().ok_or(StoreError::NotFound)?;
        let level = TerritorialLevel::of_code(&code);
        if level == TerritorialLevel::Municipality || !principal.roles.permits(Permission::ViewAreaFigures) {
            return Err(StoreError::NotFound);
        }
        let counties: Vec<(Uuid, String, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, teryt, name FROM tenant WHERE LENGTH(teryt) = 4 ORDER BY teryt")
            .fetch_all(p).await)?;
        let counties: Vec<(Uuid, String, String)> =
            counties.into_iter().filter(|(_, t, _)| t.starts_with(&code)).collect();
        let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        let editions: Vec<(Uuid, String, String, String, i32, i32)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT tenant_id, kind, starts_on, ends_on, registrations, completions FROM county_programme_edition \
             WHERE (starts_on >= $1 AND starts_on <= $2) OR (ends_on >= $1 AND ends_on <= $2)")
            .bind(&from).bind(&to).fetch_all(p).await)?;
        let certificates: Vec<(Uuid, String, Option<String>, i64)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT c.tenant_id, c.kind, e.kind, COUNT(*) FROM county_certificate c \
             LEFT JOIN county_programme_edition e ON e.id = c.edition_id \
             WHERE c.issued_on >= $1 AND c.issued_on <= $2 GROUP BY c.tenant_id, c.kind, e.kind")
            .bind(&from).bind(&to).fetch_all(p).await)?;
        let in_year = |d: &str| d >= from.as_str() && d <= to.as_str();
        // counts[county][kind]
        let mut counts = vec![[ProgrammeCounts::default(); 2]; counties.len()];
        for (ci, (id, _, _)) in counties.iter().enumerate() {
            let Some(row) = counts.get_mut(ci) else { continue };
            for (tenant, kind, starts_on, ends_on, registrations, completions) in editions.iter() {
                let Some(k) = ProgrammeKind::ALL.iter().position(|k| k.as_str() == kind) else { continue };
                let Some(c) = row.get_mut(k).filter(|_| tenant == id) else { continue };
                if in_year(starts_on) {
                    c.editions += 1;
                    c.registrations += i64::from(*registrations);
                }
                if in_year(ends_on) {
                    c.completions += i64::from(*completions);
                }
            }
            for (_, kind, edition_kind, n) in certificates.iter().filter(|c| c.0 == *id) {
                // A certificate outside any edition counts with the correctional-educational programme, the one a
                // referral of the act names first (art. 9b ust. 11); the page says so.
                let k = edition_kind
                    .as_deref()
                    .and_then(|e| ProgrammeKind::ALL.iter().position(|k| k.as_str() == e))
                    .unwrap_or(0);
                let Some(c) = row.get_mut(k) else { continue };
                if kind == CertificateKind::Registration.as_str() {
                    c.registration_certificates += n;
                } else {
                    c.completion_certificates += n;
                }
            }
        }
        let kinds = ProgrammeKind::ALL.len();
        let measures = ProgrammeCounts::MEASURES.len();
        let rows = counties.len();
        // Cells: row r (0..rows) of county r, row `rows` the sum; cell = (row * kinds + kind) * measures + measure.
        let cell = |row: usize, kind: usize, m: usize| (row * kinds + kind) * measures + m;
        let mut values = vec![0i64; (rows + 1) * kinds * measures];
        for (r, row) in counts.iter().enumerate() {
            for (k, c) in row.iter().enumerate() {
                for (m, v) in c.values().into_iter().enumerate() {
                    if let Some(x) = values.get_mut(cell(r, k, m)) {
                        *x = v;
                    }
                    if let Some(x) = values.get_mut(cell(rows, k, m)) {
                        *x += v;
                    }
                }
            }
        }
        let shown: Vec<Shown> = if level == TerritorialLevel::County {
            // The county reads its own registers: exact, as a municipality reads its own figures.
            values.iter().map(|v| Shown::Value(*v)).collect()
        } else {
            let persons: Vec<bool> =
                (0..(rows + 1) * kinds).flat_map(|_| ProgrammeCounts::MEASURES.into_iter()).collect();
            let mut relations = Vec::new();
            for k in 0..kinds {
                for m in 0..measures {
                    relations
                        .push(Relation { total: cell(rows, k, m), parts: (0..rows).map(|r| cell(r, k, m)).collect() });
                }
            }
            protect(&values, &persons, &relations)
        };
        let row_of = |r: usize| -> Vec<[Shown; 5]> {
            (0..kinds)
                .map(|k| std::array::from_fn(|m| shown.get(cell(r, k, m)).copied().unwrap_or(Shown::Hidden)))
                .collect()
        };
        Ok(CountyProgrammeFigures {
            year,
            counties: counties
                .iter()
                .enumerate()
                .map(|(r, (_, code, name))| CountyProgrammeRow {
                    code: code.clone(),
                    name: name.clone(),
                    by_kind: row_of(r),
                })
                .collect(),
            total: row_of(rows),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_back_however_it_is_typed_and_nothing_else_is_one() {
        let r = new_reference();
        assert_eq!(r.len(), REFERENCE_LEN);
        let shown = display_reference(&r);
        assert_eq!(shown.len(), REFERENCE_LEN + 2, "{shown}");
        assert_eq!(normalise_reference(&shown).as_deref(), Some(r.as_str()));
        assert_eq!(normalise_reference(&format!(" {} ", shown.to_lowercase())).as_deref(), Some(r.as_str()));
        assert_eq!(normalise_reference("ABCD-EFGH-JKM"), None, "too short");
        assert_eq!(normalise_reference("ABCD-EFGH-JKM0"), None, "0 is not in the alphabet");
        assert_ne!(new_reference(), new_reference());
    }

    #[test]
    fn an_edition_is_refused_beside_the_field_that_is_wrong() {
        let today = Date::constant(2026, 6, 1);
        let input = |s: &str, e: &str, r: &str, c: &str| EditionInput {
            kind: "correctional_educational".into(),
            starts_on: s.into(),
            ends_on: e.into(),
            registrations: r.into(),
            completions: c.into(),
        };
        assert!(check_edition(&input("2026-01-10", "2026-04-30", "12", "9"), today).is_ok());
        let refused = |i: EditionInput| {
            check_edition(&i, today).err().map(|e| e.iter().map(|f| (f.field, f.code)).collect::<Vec<_>>())
        };
        assert_eq!(
            refused(input("2026-07-01", "2026-09-01", "3", "0")),
            Some(vec![("starts_on", "err-county-edition-start-future")])
        );
        assert_eq!(
            refused(input("2026-03-01", "2026-02-01", "3", "0")),
            Some(vec![("ends_on", "err-county-edition-end-before-start")])
        );
        assert_eq!(
            refused(input("2026-01-01", "2026-02-01", "3", "4")),
            Some(vec![("completions", "err-county-completions-over")])
        );
        assert_eq!(
            refused(input("2026-05-01", "2026-09-01", "3", "1")),
            Some(vec![("completions", "err-county-completions-before-end")])
        );
        assert_eq!(
            refused(input("2026-01-01", "2026-02-01", "-1", "0")),
            Some(vec![("registrations", "err-count-range")])
        );
        assert_eq!(
            refused(input("2026-01-01", "2026-02-01", "dużo", "0")),
            Some(vec![("registrations", "err-count-format")])
        );
    }
}
