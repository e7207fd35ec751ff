//! The team's rules and agreements (issue 18 item 5): its rules (regulamin, art. 9a ust. 6b) and its standards and
//! procedures for institutions (seed 000) as documents amended by resolution, each version kept (nothing is
//! overwritten) with the institutions that acknowledged it; and the agreements between the mayor and the member
//! institutions (porozumienia, art. 9a ust. 8) with the reminder before one lapses (reminders.rs).
//!
//! None of this describes a person: the documents are the team's public texts and the agreements name institutions,
//! so the rows are in clear and reads are not audited; every change is audited in its transaction.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{parse_date, parse_optional_date, parse_optional_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Versioned, date_text, opt_text_date, scope, text_date};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

pub(crate) const DOCUMENT: Versioned =
    Versioned { table: "team_document", conflict: "document changed since it was read" };
pub(crate) const AGREEMENT: Versioned =
    Versioned { table: "team_agreement", conflict: "agreement changed since it was read" };

/// How many days before an agreement lapses the chair is reminded, unless the agreement says otherwise.
pub const DEFAULT_REMIND_DAYS: i64 = 30;
/// The longest reminder lead accepted (a year).
const MAX_REMIND_DAYS: i64 = 366;

/// What a team document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The team's rules (regulamin): one per municipality.
    Rules,
    /// A standard or procedure for the institutions, which they acknowledge.
    Standard,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::Standard => "standard",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim() {
            "rules" => Ok(Self::Rules),
            "standard" => Ok(Self::Standard),
            _ => Err("err-choice-unknown"),
        }
    }
}

/// A version of a document as typed (form or JSON), before validation. The text and the resolution's number are
/// required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DocumentVersionDraft {
    /// The full text of this version.
    pub body: String,
    /// The number of the team's resolution that adopted it (e.g. "3/2026").
    pub resolution_number: String,
    /// The day of that resolution (YYYY-MM-DD), not in the future.
    pub resolution_on: String,
    /// The day this version is in force from (YYYY-MM-DD): not before the resolution, after the previous version's
    /// day; it may be ahead.
    pub in_force_from: String,
}

/// A validated version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentVersionInput {
    pub body: String,
    pub resolution_number: String,
    pub resolution_on: Date,
    pub in_force_from: Date,
}

fn required(raw: &str, max: usize) -> Result<String, &'static str> {
    parse_optional_text(raw, max)?.ok_or("err-required")
}

impl DocumentVersionDraft {
    /// The text and the resolution's number are required; the resolution is not in the future; the version is not
    /// in force before the resolution adopted it. (That it follows the previous version is the store's check.)
    pub fn validate(&self, today: Date) -> Result<DocumentVersionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let body = e.check("body", required(&self.body, 200_000));
        let resolution_number = e.check("resolution_number", required(&self.resolution_number, 100));
        let resolution_on = e.check("resolution_on", parse_date(&self.resolution_on));
        let in_force_from = e.check("in_force_from", parse_date(&self.in_force_from));
        if resolution_on.is_some_and(|d| d > today) {
            e.add("resolution_on", "err-date-in-future");
        }
        if let (Some(adopted), Some(from)) = (resolution_on, in_force_from)
            && from < adopted
        {
            e.add("in_force_from", "err-document-in-force-before-resolution");
        }
        match (body, resolution_number, resolution_on, in_force_from) {
            (Some(body), Some(resolution_number), Some(resolution_on), Some(in_force_from)) if e.is_empty() => {
                Ok(DocumentVersionInput { body, resolution_number, resolution_on, in_force_from })
            }
            _ => Err(e),
        }
    }
}

/// A title of a standard as typed.
pub fn parse_document_title(raw: &str) -> Result<String, &'static str> {
    required(raw, 300)
}

/// An institution's acknowledgement of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledgement {
    pub institution_id: Uuid,
    pub institution_name: String,
    pub acknowledged_on: Date,
}

/// One version of a document, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentVersion {
    pub id: Uuid,
    /// 1 for the first version, counting up.
    pub number: i64,
    pub body: String,
    pub resolution_number: String,
    pub resolution_on: Date,
    pub in_force_from: Date,
    pub acknowledgements: Vec<Acknowledgement>,
}

/// A document with its whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamDocument {
    pub id: Uuid,
    pub kind: DocumentKind,
    pub title: String,
    /// Newest first.
    pub versions: Vec<DocumentVersion>,
    /// The row's version, which adding a version must present.
    pub version: i64,
}

impl TeamDocument {
    /// The version in force on `today`: the latest whose day has come. `None` while the first is still ahead.
    pub fn in_force(&self, today: Date) -> Option<&DocumentVersion> {
        self.versions.iter().filter(|v| v.in_force_from <= today).max_by_key(|v| (v.in_force_from, v.number))
    }

    /// The newest version, whether in force yet or not.
    pub fn latest(&self) -> Option<&DocumentVersion> {
        self.versions.first()
    }
}

/// An agreement as typed (form or JSON), before validation. Dates as YYYY-MM-DD; the institution and the subject
/// are required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AgreementDraft {
    /// The member institution (its id).
    pub institution_id: String,
    pub subject: String,
    /// YYYY-MM-DD, not in the future.
    pub signed_on: String,
    /// YYYY-MM-DD, not before `signed_on`.
    pub in_force_from: String,
    /// Its last day (YYYY-MM-DD), after `in_force_from`; empty for an agreement without an end.
    pub in_force_to: String,
    /// Days before the lapse the chair is reminded, 0 to 366, as text ("30"); empty for the default (30).
    pub remind_days: String,
}

/// A validated agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementInput {
    pub institution_id: Uuid,
    pub subject: String,
    pub signed_on: Date,
    pub in_force_from: Date,
    pub in_force_to: Option<Date>,
    pub remind_days: i64,
}

fn parse_institution(raw: &str) -> Result<Uuid, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("err-required");
    }
    s.parse().map_err(|_| "err-choice-unknown")
}

fn parse_remind_days(raw: &str) -> Result<i64, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(DEFAULT_REMIND_DAYS);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=MAX_REMIND_DAYS).contains(&n) => Ok(n),
        Ok(_) => Err("err-agreement-remind-range"),
        Err(_) => Err("err-count-format"),
    }
}

impl AgreementDraft {
    /// The institution and the subject are required; the signing is not in the future; the agreement is not in
    /// force before it was signed; it ends after it starts.
    pub fn validate(&self, today: Date) -> Result<AgreementInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let institution_id = e.check("institution_id", parse_institution(&self.institution_id));
        let subject = e.check("subject", required(&self.subject, 5_000));
        let signed_on = e.check("signed_on", parse_date(&self.signed_on));
        let in_force_from = e.check("in_force_from", parse_date(&self.in_force_from));
        let in_force_to = e.check("in_force_to", parse_optional_date(&self.in_force_to));
        let remind_days = e.check("remind_days", parse_remind_days(&self.remind_days));
        if signed_on.is_some_and(|d| d > today) {
            e.add("signed_on", "err-date-in-future");
        }
        if let (Some(signed), Some(from)) = (signed_on, in_force_from)
            && from < signed
        {
            e.add("in_force_from", "err-agreement-in-force-before-signing");
        }
        if let (Some(from), Some(Some(to))) = (in_force_from, in_force_to)
            && to <= from
        {
            e.add("in_force_to", "err-agreement-end-not-after-start");
        }
        match (institution_id, subject, signed_on, in_force_from, in_force_to, remind_days) {
            (Some(institution_id), Some(subject), Some(signed_on), Some(in_force_from), Some(in_force_to), Some(r))
                if e.is_empty() =>
            {
                Ok(AgreementInput { institution_id, subject, signed_on, in_force_from, in_force_to, remind_days: r })
            }
            _ => Err(e),
        }
    }
}

/// Where an agreement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementState {
    /// Signed, in force from a day still ahead.
    Ahead,
    InForce,
    /// In force, and its last day is within the reminder's lead.
    Lapsing {
        last_day: Date,
    },
    Lapsed,
}

impl AgreementState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ahead => "ahead",
            Self::InForce => "in_force",
            Self::Lapsing { .. } => "lapsing",
            Self::Lapsed => "lapsed",
        }
    }
}

/// An agreement with a member institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agreement {
    pub id: Uuid,
    pub institution_id: Uuid,
    pub institution_name: String,
    pub subject: String,
    pub signed_on: Date,
    pub in_force_from: Date,
    pub in_force_to: Option<Date>,
    pub remind_days: i64,
    pub version: i64,
}

/// The agreement's state on `today`: `in_force_to` is its last day; the reminder starts `remind_days` before it.
pub fn agreement_state(
    in_force_from: Date,
    in_force_to: Option<Date>,
    remind_days: i64,
    today: Date,
) -> AgreementState {
    if today < in_force_from {
        return AgreementState::Ahead;
    }
    let Some(last_day) = in_force_to else { return AgreementState::InForce };
    if today > last_day {
        return AgreementState::Lapsed;
    }
    let remind_from = last_day.checked_sub(jiff::Span::new().days(remind_days)).unwrap_or(in_force_from);
    if today >= remind_from { AgreementState::Lapsing { last_day } } else { AgreementState::InForce }
}

impl Agreement {
    pub fn state(&self, today: Date) -> AgreementState {
        agreement_state(self.in_force_from, self.in_force_to, self.remind_days, today)
    }

    pub fn to_draft(&self) -> AgreementDraft {
        AgreementDraft {
            institution_id: self.institution_id.to_string(),
            subject: self.subject.clone(),
            signed_on: date_text(self.signed_on),
            in_force_from: date_text(self.in_force_from),
            in_force_to: self.in_force_to.map(date_text).unwrap_or_default(),
            remind_days: self.remind_days.to_string(),
        }
    }
}

/// The agreements that need the chair on `today`, by the same lead as the reminders (each agreement's
/// `remind_days`): those lapsing, and those lapsed whose institution has no other agreement in force, lapsing or
/// ahead (a lapsed agreement already renewed is history, not a loose end).
pub fn agreements_needing_attention(list: &[Agreement], today: Date) -> (Vec<&Agreement>, Vec<&Agreement>) {
    let current = |institution: Uuid| {
        list.iter().any(|a| a.institution_id == institution && a.state(today) != AgreementState::Lapsed)
    };
    let lapsing = list.iter().filter(|a| matches!(a.state(today), AgreementState::Lapsing { .. })).collect();
    let lapsed =
        list.iter().filter(|a| a.state(today) == AgreementState::Lapsed && !current(a.institution_id)).collect();
    (lapsing, lapsed)
}

type AgreementRow = (Uuid, Uuid, String, String, String, String, Option<String>, i64, i64);

const AGREEMENT_COLUMNS: &str = "a.id, a.institution_id, i.name, a.subject, a.signed_on, a.in_force_from, \
     a.in_force_to, CAST(a.remind_days AS BIGINT), a.version";

fn agreement_from(r: AgreementRow) -> Result<Agreement, StoreError> {
    Ok(Agreement {
        id: r.0,
        institution_id: r.1,
        institution_name: r.2,
        subject: r.3,
        signed_on: text_date(&r.4)?,
        in_force_from: text_date(&r.5)?,
        in_force_to: opt_text_date(r.6)?,
        remind_days: r.7,
        version: r.8,
    })
}

/// A version row: id, document, number, body, resolution number and day, in force from.
type VersionRow = (Uuid, Uuid, i64, String, String, String, String);
/// An acknowledgement row: version, institution, its name, day.
type AcknowledgementRow = (Uuid, Uuid, String, String);

async fn check_institution(tx: &mut Tx, tenant: Uuid, institution: Uuid) -> Result<(), StoreError> {
    let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM institution WHERE id = $1 AND tenant_id = $2")
        .bind(institution).bind(tenant).fetch_optional(c).await)?;
    if ok.is_none() { Err(StoreError::invalid("institution_id", "err-choice-unknown")) } else { Ok(()) }
}

impl Store {
    /// Creates a document with its first version. The rules are one per municipality: a second is a conflict (the
    /// page adds a version instead).
    pub async fn create_team_document(
        &self,
        caller: &Caller<'_>,
        kind: DocumentKind,
        title: &str,
        input: &DocumentVersionInput,
    ) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let title = parse_document_title(title).map_err(|code| StoreError::invalid("title", code))?;
        let id = Uuid::now_v7();
        let now = ts(self.now());
        let mut tx = self.db.begin().await?;
        if kind == DocumentKind::Rules {
            let existing: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id FROM team_document WHERE tenant_id = $1 AND kind = 'rules'")
                .bind(tenant).fetch_optional(c).await)?;
            if existing.is_some() {
                return Err(StoreError::Conflict(DOCUMENT.conflict));
            }
        }
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_document (id, tenant_id, kind, title, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id).bind(tenant).bind(kind.as_str()).bind(&title).bind(caller.principal.account_id).bind(now)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.insert_document_version(&mut tx, tenant, id, 1, input, caller.principal.account_id).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_document", id).in_tenant(Some(tenant)).detail(kind.as_str()),
        )
        .await?;
        Ok(id)
    }

    /// Adds a version to a document read at `expected_version`. The new version is in force after the latest one
    /// already written (an amendment follows what it amends); nothing earlier changes.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "add_team_document_version", document = %document_id))]
    pub async fn add_team_document_version(
        &self,
        caller: &Caller<'_>,
        document_id: Uuid,
        input: &DocumentVersionInput,
        expected_version: i64,
    ) -> Result<i64, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        DOCUMENT.check_version(&mut tx, document_id, tenant, expected_version).await?;
        let last: Option<(i64, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT CAST(number AS BIGINT), in_force_from FROM team_document_version WHERE document_id = $1 \
             ORDER BY number DESC LIMIT 1")
            .bind(document_id).fetch_optional(c).await)?;
        let (last_number, last_from) = match last {
            Some((n, from)) => (n, Some(text_date(&from)?)),
            None => (0, None),
        };
        if last_from.is_some_and(|from| input.in_force_from <= from) {
            return Err(StoreError::invalid("in_force_from", "err-document-in-force-before-previous"));
        }
        let number = last_number + 1;
        self.insert_document_version(&mut tx, tenant, document_id, number, input, caller.principal.account_id).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_document SET updated_at = $3, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $4")
            .bind(document_id).bind(tenant).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        DOCUMENT.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_document", document_id)
                .in_tenant(Some(tenant))
                .detail(format!("version {number}")),
        )
        .await?;
        Ok(number)
    }

    async fn insert_document_version(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        document_id: Uuid,
        number: i64,
        input: &DocumentVersionInput,
        author: Uuid,
    ) -> Result<(), StoreError> {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO team_document_version (id, tenant_id, document_id, number, body, resolution_number, \
               resolution_on, in_force_from, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(Uuid::now_v7()).bind(tenant).bind(document_id).bind(i32::try_from(number).unwrap_or(i32::MAX))
            .bind(&input.body).bind(&input.resolution_number).bind(date_text(input.resolution_on))
            .bind(date_text(input.in_force_from)).bind(author).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records that an institution acknowledged a version of a standard on a day: not in the future, not before the
    /// resolution that adopted the version; once per institution and version.
    pub async fn acknowledge_team_document(
        &self,
        caller: &Caller<'_>,
        document_id: Uuid,
        version_id: Uuid,
        institution_id: Uuid,
        acknowledged_on: &str,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let day = parse_date(acknowledged_on).map_err(|code| StoreError::invalid("acknowledged_on", code))?;
        if day > self.today() {
            return Err(StoreError::invalid("acknowledged_on", "err-date-in-future"));
        }
        let mut tx = self.db.begin().await?;
        let version: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT v.resolution_on FROM team_document_version v JOIN team_document d ON d.id = v.document_id \
             WHERE v.id = $1 AND v.document_id = $2 AND d.tenant_id = $3 AND d.kind = 'standard'")
            .bind(version_id).bind(document_id).bind(tenant).fetch_optional(c).await)?;
        let Some((adopted,)) = version else { return Err(StoreError::invalid("version_id", "err-choice-unknown")) };
        if day < text_date(&adopted)? {
            return Err(StoreError::invalid("acknowledged_on", "err-acknowledgement-before-resolution"));
        }
        check_institution(&mut tx, tenant, institution_id).await?;
        let already: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id FROM team_document_acknowledgement WHERE version_id = $1 AND institution_id = $2")
            .bind(version_id).bind(institution_id).fetch_optional(c).await)?;
        if already.is_some() {
            return Err(StoreError::invalid("institution_id", "err-acknowledgement-exists"));
        }
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_document_acknowledgement (id, tenant_id, version_id, institution_id, acknowledged_on, \
               created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(Uuid::now_v7()).bind(tenant).bind(version_id).bind(institution_id).bind(date_text(day))
            .bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_document", document_id)
                .in_tenant(Some(tenant))
                .detail(format!("acknowledged by {institution_id}")),
        )
        .await?;
        Ok(())
    }

    /// The team's rules with every version, or `None` before the first is recorded.
    pub async fn team_rules(&self, principal: &Principal) -> Result<Option<TeamDocument>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        Ok(self.documents_of(tenant, DocumentKind::Rules, None).await?.pop())
    }

    /// The team's standards and procedures for institutions, each with every version, by title.
    pub async fn team_standards(&self, principal: &Principal) -> Result<Vec<TeamDocument>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        self.documents_of(tenant, DocumentKind::Standard, None).await
    }

    /// One document with every version and acknowledgement.
    pub async fn team_document(&self, principal: &Principal, document_id: Uuid) -> Result<TeamDocument, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        for kind in [DocumentKind::Rules, DocumentKind::Standard] {
            if let Some(d) = self.documents_of(tenant, kind, Some(document_id)).await?.pop() {
                return Ok(d);
            }
        }
        Err(StoreError::NotFound)
    }

    async fn documents_of(
        &self,
        tenant: Uuid,
        kind: DocumentKind,
        only: Option<Uuid>,
    ) -> Result<Vec<TeamDocument>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let docs: Vec<(Uuid, String, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, title, version FROM team_document WHERE tenant_id = $1 AND kind = $2 AND ($3 IS NULL OR id = $3) \
             ORDER BY title, id")
            .bind(tenant).bind(kind.as_str()).bind(only).fetch_all(c).await)?;
        let versions: Vec<VersionRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT v.id, v.document_id, CAST(v.number AS BIGINT), v.body, v.resolution_number, v.resolution_on, \
               v.in_force_from FROM team_document_version v JOIN team_document d ON d.id = v.document_id \
             WHERE d.tenant_id = $1 AND d.kind = $2 AND ($3 IS NULL OR d.id = $3) ORDER BY v.number DESC")
            .bind(tenant).bind(kind.as_str()).bind(only).fetch_all(c).await)?;
        let acks: Vec<AcknowledgementRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.version_id, a.institution_id, i.name, a.acknowledged_on FROM team_document_acknowledgement a \
             JOIN institution i ON i.id = a.institution_id JOIN team_document_version v ON v.id = a.version_id \
             JOIN team_document d ON d.id = v.document_id \
             WHERE d.tenant_id = $1 AND d.kind = $2 AND ($3 IS NULL OR d.id = $3) ORDER BY a.acknowledged_on, i.name")
            .bind(tenant).bind(kind.as_str()).bind(only).fetch_all(c).await)?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(docs.len());
        for (id, title, version) in docs {
            let mut list = Vec::new();
            for v in versions.iter().filter(|v| v.1 == id) {
                let mut acknowledgements = Vec::new();
                for a in acks.iter().filter(|a| a.0 == v.0) {
                    acknowledgements.push(Acknowledgement {
                        institution_id: a.1,
                        institution_name: a.2.clone(),
                        acknowledged_on: text_date(&a.3)?,
                    });
                }
                list.push(DocumentVersion {
                    id: v.0,
                    number: v.2,
                    body: v.3.clone(),
                    resolution_number: v.4.clone(),
                    resolution_on: text_date(&v.5)?,
                    in_force_from: text_date(&v.6)?,
                    acknowledgements,
                });
            }
            out.push(TeamDocument { id, kind, title, versions: list, version });
        }
        Ok(out)
    }

    pub async fn create_agreement(&self, caller: &Caller<'_>, input: &AgreementInput) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let id = Uuid::now_v7();
        let now = ts(self.now());
        let mut tx = self.db.begin().await?;
        check_institution(&mut tx, tenant, input.institution_id).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_agreement (id, tenant_id, institution_id, subject, signed_on, in_force_from, in_force_to, \
               remind_days, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)")
            .bind(id).bind(tenant).bind(input.institution_id).bind(&input.subject).bind(date_text(input.signed_on))
            .bind(date_text(input.in_force_from)).bind(input.in_force_to.map(date_text))
            .bind(i32::try_from(input.remind_days).unwrap_or(i32::MAX)).bind(caller.principal.account_id).bind(now)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_agreement", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes an agreement read at `expected_version` (an extension, a termination, a correction).
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_agreement", agreement = %agreement_id))]
    pub async fn update_agreement(
        &self,
        caller: &Caller<'_>,
        agreement_id: Uuid,
        input: &AgreementInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        AGREEMENT.check_version(&mut tx, agreement_id, tenant, expected_version).await?;
        check_institution(&mut tx, tenant, input.institution_id).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_agreement SET institution_id = $3, subject = $4, signed_on = $5, in_force_from = $6, \
               in_force_to = $7, remind_days = $8, updated_at = $9, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $10")
            .bind(agreement_id).bind(tenant).bind(input.institution_id).bind(&input.subject)
            .bind(date_text(input.signed_on)).bind(date_text(input.in_force_from)).bind(input.in_force_to.map(date_text))
            .bind(i32::try_from(input.remind_days).unwrap_or(i32::MAX)).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        AGREEMENT.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_agreement", agreement_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// The municipality's agreements: those without an end or ending last first, by institution.
    pub async fn agreements(&self, principal: &Principal) -> Result<Vec<Agreement>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        self.agreements_of(tenant, None).await
    }

    pub async fn agreement(&self, principal: &Principal, agreement_id: Uuid) -> Result<Agreement, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        self.agreements_of(tenant, Some(agreement_id)).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn agreements_of(&self, tenant: Uuid, only: Option<Uuid>) -> Result<Vec<Agreement>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<AgreementRow> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {AGREEMENT_COLUMNS} FROM team_agreement a JOIN institution i ON i.id = a.institution_id \
             WHERE a.tenant_id = $1 AND ($2 IS NULL OR a.id = $2) \
             ORDER BY a.in_force_to IS NULL DESC, a.in_force_to DESC, i.name, a.id")))
            .bind(tenant).bind(only).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter().map(agreement_from).collect()
    }
}

/// The agreements of `tenant` lapsing on `today` (id and last day), for the reminders.
pub(crate) async fn agreements_lapsing(
    tx: &mut Tx,
    tenant: Uuid,
    today: Date,
) -> Result<Vec<(Uuid, Date)>, StoreError> {
    let rows: Vec<(Uuid, String, String, i64)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, in_force_from, in_force_to, CAST(remind_days AS BIGINT) FROM team_agreement \
         WHERE tenant_id = $1 AND in_force_to IS NOT NULL AND in_force_to >= $2")
        .bind(tenant).bind(date_text(today)).fetch_all(c).await)?;
    let mut out = Vec::new();
    for (id, from, to, remind_days) in rows {
        if let AgreementState::Lapsing { last_day } =
            agreement_state(text_date(&from)?, Some(text_date(&to)?), remind_days, today)
        {
            out.push((id, last_day));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn an_agreement_is_lapsing_within_its_lead_and_lapsed_after_its_last_day() {
        let (from, to) = (d("2025-01-01"), Some(d("2026-12-31")));
        assert_eq!(agreement_state(from, to, 30, d("2024-12-31")), AgreementState::Ahead);
        assert_eq!(agreement_state(from, to, 30, d("2026-11-30")), AgreementState::InForce);
        assert_eq!(
            agreement_state(from, to, 30, d("2026-12-01")),
            AgreementState::Lapsing { last_day: d("2026-12-31") }
        );
        assert_eq!(
            agreement_state(from, to, 30, d("2026-12-31")),
            AgreementState::Lapsing { last_day: d("2026-12-31") }
        );
        assert_eq!(agreement_state(from, to, 30, d("2027-01-01")), AgreementState::Lapsed);
        assert_eq!(agreement_state(from, None, 30, d("2030-01-01")), AgreementState::InForce);
    }

    #[test]
    fn a_lapsed_agreement_needs_the_chair_only_while_its_institution_has_no_other() {
        let today = d("2026-11-23");
        let (police, school) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let agreement = |institution, from: &str, to: Option<&str>| Agreement {
            id: Uuid::now_v7(),
            institution_id: institution,
            institution_name: String::new(),
            subject: String::new(),
            signed_on: d(from),
            in_force_from: d(from),
            in_force_to: to.map(d),
            remind_days: DEFAULT_REMIND_DAYS,
            version: 1,
        };
        let list = vec![
            agreement(police, "2024-01-01", Some("2025-12-31")),
            agreement(police, "2026-01-01", Some("2026-12-10")),
            agreement(school, "2023-01-01", Some("2026-06-30")),
        ];
        let (lapsing, lapsed) = agreements_needing_attention(&list, today);
        assert_eq!(lapsing.iter().map(|a| a.id).collect::<Vec<_>>(), vec![list[1].id]);
        assert_eq!(
            lapsed.iter().map(|a| a.id).collect::<Vec<_>>(),
            vec![list[2].id],
            "the police's old one was renewed"
        );
    }

    #[test]
    fn an_agreement_ends_after_it_starts_and_is_not_signed_in_the_future() {
        let today = d("2026-06-01");
        let draft = AgreementDraft {
            institution_id: Uuid::nil().to_string(),
            subject: "Wymiana informacji".into(),
            signed_on: "2026-06-02".into(),
            in_force_from: "2026-06-01".into(),
            in_force_to: "2026-06-01".into(),
            remind_days: String::new(),
        };
        let e = draft.validate(today).unwrap_err();
        assert_eq!(e.for_field("signed_on"), Some("err-date-in-future"));
        assert_eq!(e.for_field("in_force_to"), Some("err-agreement-end-not-after-start"));
        assert_eq!(e.for_field("in_force_from"), Some("err-agreement-in-force-before-signing"));
        let ok = AgreementDraft { signed_on: "2026-05-01".into(), in_force_to: "2027-05-31".into(), ..draft };
        assert_eq!(ok.validate(today).unwrap().remind_days, DEFAULT_REMIND_DAYS);
    }

    #[test]
    fn a_version_is_not_in_force_before_its_resolution() {
        let draft = DocumentVersionDraft {
            body: "§ 1.".into(),
            resolution_number: "1/2026".into(),
            resolution_on: "2026-03-10".into(),
            in_force_from: "2026-03-09".into(),
        };
        let e = draft.validate(d("2026-06-01")).unwrap_err();
        assert_eq!(e.for_field("in_force_from"), Some("err-document-in-force-before-resolution"));
        assert!(DocumentVersionDraft { in_force_from: "2026-04-01".into(), ..draft }.validate(d("2026-06-01")).is_ok());
    }
}
