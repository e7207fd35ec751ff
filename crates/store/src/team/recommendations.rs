//! The team's conclusions and recommendations to the mayor (art. 9b ust. 2; seed 000): each with its addressee,
//! justification and status, the mayor's response, and its follow-up the next year. They make a section of the
//! annual report and a letter of their own. The texts may name people, so they are one encrypted JSON document per
//! row; every read that decrypts them is audited, every change is audited in its transaction.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::programme::ReportRecommendation;
use domain::team::{RecommendationStatus, parse_optional_date, parse_optional_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{RECOMMENDATION, date_text, opt_text_date, scope};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// The earliest year a recommendation may belong to (the act's team registers start in 2005).
const FIRST_YEAR: i16 = 2005;

/// What is encrypted about a recommendation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecommendationBody {
    /// To whom it is addressed (the mayor, or an office or institution through the mayor).
    pub addressee: String,
    pub recommendation: String,
    pub justification: String,
    /// The mayor's response.
    pub response: String,
    /// What became of it the next year.
    pub follow_up: String,
}

/// A recommendation as typed (form or JSON), before validation. The addressee and the recommendation are required;
/// the days are not in the future.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RecommendationDraft {
    /// The year whose annual report carries it, as text ("2026"); required, not after the current year.
    pub year: String,
    pub addressee: String,
    pub recommendation: String,
    pub justification: String,
    /// draft, submitted, accepted, partly_accepted, rejected or implemented.
    pub status: String,
    /// The day it was presented to the mayor (YYYY-MM-DD); required past the draft, empty while a draft.
    pub submitted_on: String,
    pub response: String,
    /// The day the mayor answered (YYYY-MM-DD); not before `submitted_on`.
    pub responded_on: String,
    pub follow_up: String,
}

/// A validated recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationInput {
    pub year: i16,
    pub status: RecommendationStatus,
    pub submitted_on: Option<Date>,
    pub responded_on: Option<Date>,
    pub body: RecommendationBody,
}

fn parse_year(raw: &str, today: Date) -> Result<i16, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("err-required");
    }
    match s.parse::<i16>() {
        Ok(y) if (FIRST_YEAR..=today.year()).contains(&y) => Ok(y),
        Ok(_) => Err("err-recommendation-year-range"),
        Err(_) => Err("err-year-format"),
    }
}

fn required_text(raw: &str, max: usize) -> Result<String, &'static str> {
    parse_optional_text(raw, max)?.ok_or("err-required")
}

fn optional_text(raw: &str, max: usize) -> Result<String, &'static str> {
    parse_optional_text(raw, max).map(Option::unwrap_or_default)
}

impl RecommendationDraft {
    /// Checks every field, with the message beside the field: the addressee and the recommendation are required;
    /// the days are not in the future; the answer does not come before the recommendation was presented, and a
    /// recommendation past its draft says when it was presented.
    pub fn validate(&self, today: Date) -> Result<RecommendationInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let year = e.check("year", parse_year(&self.year, today));
        let addressee = e.check("addressee", required_text(&self.addressee, 300));
        let recommendation = e.check("recommendation", required_text(&self.recommendation, 20_000));
        let justification = e.check("justification", optional_text(&self.justification, 50_000));
        let status = e.check("status", RecommendationStatus::parse(&self.status));
        let submitted_on = e.check("submitted_on", parse_optional_date(&self.submitted_on));
        let response = e.check("response", optional_text(&self.response, 50_000));
        let responded_on = e.check("responded_on", parse_optional_date(&self.responded_on));
        let follow_up = e.check("follow_up", optional_text(&self.follow_up, 50_000));
        for (field, day) in [("submitted_on", submitted_on), ("responded_on", responded_on)] {
            if day.flatten().is_some_and(|d| d > today) {
                e.add(field, "err-date-in-future");
            }
        }
        match (submitted_on, responded_on) {
            (Some(Some(submitted)), Some(Some(responded))) if responded < submitted => {
                e.add("responded_on", "err-recommendation-response-before-submission");
            }
            (Some(None), Some(Some(_))) => e.add("submitted_on", "err-recommendation-submitted-required"),
            _ => {}
        }
        if status.is_some_and(|s| s != RecommendationStatus::Draft) && submitted_on == Some(None) {
            e.add("submitted_on", "err-recommendation-submitted-required");
        }
        if !e.is_empty() {
            return Err(e);
        }
        let (
            Some(year),
            Some(addressee),
            Some(recommendation),
            Some(justification),
            Some(status),
            Some(submitted_on),
            Some(response),
            Some(responded_on),
            Some(follow_up),
        ) = (year, addressee, recommendation, justification, status, submitted_on, response, responded_on, follow_up)
        else {
            return Err(e);
        };
        Ok(RecommendationInput {
            year,
            status,
            submitted_on,
            responded_on,
            body: RecommendationBody { addressee, recommendation, justification, response, follow_up },
        })
    }
}

/// One recommendation of the register, decrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub id: Uuid,
    pub year: i16,
    pub status: RecommendationStatus,
    pub submitted_on: Option<Date>,
    pub responded_on: Option<Date>,
    pub body: RecommendationBody,
    pub version: i64,
}

impl Recommendation {
    pub fn to_draft(&self) -> RecommendationDraft {
        let day = |d: Option<Date>| d.map(date_text).unwrap_or_default();
        RecommendationDraft {
            year: self.year.to_string(),
            addressee: self.body.addressee.clone(),
            recommendation: self.body.recommendation.clone(),
            justification: self.body.justification.clone(),
            status: self.status.as_str().to_owned(),
            submitted_on: day(self.submitted_on),
            response: self.body.response.clone(),
            responded_on: day(self.responded_on),
            follow_up: self.body.follow_up.clone(),
        }
    }

    /// As the annual report and the letter print it.
    pub fn to_report(&self) -> ReportRecommendation {
        ReportRecommendation {
            year: self.year,
            addressee: self.body.addressee.clone(),
            recommendation: self.body.recommendation.clone(),
            justification: self.body.justification.clone(),
            status: self.status,
            submitted_on: self.submitted_on.map(date_text),
            response: self.body.response.clone(),
            responded_on: self.responded_on.map(date_text),
            follow_up: self.body.follow_up.clone(),
        }
    }
}

type RecommendationRow = (Uuid, i32, String, Option<String>, Option<String>, Vec<u8>, i64);

const RECOMMENDATION_COLUMNS: &str = "id, year, status, submitted_on, responded_on, body_enc, version";

/// The sealed field's name, which binds the ciphertext to this column (rotation.rs re-encrypts it by this name).
const SEALED: &str = "team_recommendation.body";

impl Store {
    pub async fn create_recommendation(
        &self,
        caller: &Caller<'_>,
        input: &RecommendationInput,
    ) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let sealed = self.seal_recommendation(&mut tx, tenant, id, &input.body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_recommendation (id, tenant_id, year, status, submitted_on, responded_on, body_enc, \
               created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
            .bind(id).bind(tenant).bind(i32::from(input.year)).bind(input.status.as_str())
            .bind(input.submitted_on.map(date_text)).bind(input.responded_on.map(date_text)).bind(sealed)
            .bind(caller.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_recommendation", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    pub async fn update_recommendation(
        &self,
        caller: &Caller<'_>,
        recommendation_id: Uuid,
        input: &RecommendationInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        RECOMMENDATION.check_version(&mut tx, recommendation_id, tenant, expected_version).await?;
        let sealed = self.seal_recommendation(&mut tx, tenant, recommendation_id, &input.body).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_recommendation SET year = $3, status = $4, submitted_on = $5, responded_on = $6, body_enc = $7, \
               updated_at = $8, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $9")
            .bind(recommendation_id).bind(tenant).bind(i32::from(input.year)).bind(input.status.as_str())
            .bind(input.submitted_on.map(date_text)).bind(input.responded_on.map(date_text)).bind(sealed)
            .bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        RECOMMENDATION.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_recommendation", recommendation_id)
                .in_tenant(Some(tenant))
                .detail(input.status.as_str()),
        )
        .await?;
        Ok(())
    }

    /// The recommendations of `year`, decrypted, oldest first; the read is audited.
    pub async fn recommendations(&self, caller: &Caller<'_>, year: i16) -> Result<Vec<Recommendation>, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let list = self.recommendations_in(&mut tx, tenant, year).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_recommendation", format!("year {year}"))
                .in_tenant(Some(tenant)),
        )
        .await?;
        Ok(list)
    }

    /// One recommendation (for its edit page); the read is audited.
    pub async fn recommendation(
        &self,
        caller: &Caller<'_>,
        recommendation_id: Uuid,
    ) -> Result<Recommendation, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let row: Option<RecommendationRow> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {RECOMMENDATION_COLUMNS} FROM team_recommendation WHERE id = $1 AND tenant_id = $2")))
            .bind(recommendation_id).bind(tenant).fetch_optional(c).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let found = self.open_recommendation(&mut tx, tenant, row).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_recommendation", recommendation_id)
                .in_tenant(Some(tenant)),
        )
        .await?;
        Ok(found)
    }

    /// The annual report's two sections: the recommendations of `year` and those of the year before (for their
    /// follow-up). Only for the team's staff, read audited; anyone else reading the report gets both empty.
    pub(crate) async fn report_recommendations(
        &self,
        principal: &Principal,
        year: i16,
    ) -> Result<(Vec<ReportRecommendation>, Vec<ReportRecommendation>), StoreError> {
        let Ok(tenant) = scope(principal, Permission::ManageTeam) else { return Ok((Vec::new(), Vec::new())) };
        let mut tx = self.db.begin().await?;
        let this_year = self.recommendations_in(&mut tx, tenant, year).await?;
        let year_before = self.recommendations_in(&mut tx, tenant, year.saturating_sub(1)).await?;
        if !this_year.is_empty() || !year_before.is_empty() {
            self.audit(
                &mut tx,
                &principal.actor(None),
                &AuditRecord::new(AuditAction::ReadPersonalData, "team_recommendation", format!("report {year}"))
                    .in_tenant(Some(tenant)),
            )
            .await?;
        }
        tx.commit().await?;
        // A draft is the team's own: it goes to neither the report nor the letter.
        let shown = |list: Vec<Recommendation>| {
            list.iter().filter(|r| r.status != RecommendationStatus::Draft).map(Recommendation::to_report).collect()
        };
        Ok((shown(this_year), shown(year_before)))
    }

    async fn recommendations_in(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        year: i16,
    ) -> Result<Vec<Recommendation>, StoreError> {
        let rows: Vec<RecommendationRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {RECOMMENDATION_COLUMNS} FROM team_recommendation WHERE tenant_id = $1 AND year = $2 ORDER BY id")))
            .bind(tenant).bind(i32::from(year)).fetch_all(c).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(self.open_recommendation(tx, tenant, row).await?);
        }
        Ok(out)
    }

    async fn open_recommendation(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        row: RecommendationRow,
    ) -> Result<Recommendation, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = keys.decrypt_bytes(SEALED, row.0, &row.5)?;
        let body: RecommendationBody =
            serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("recommendation", &e))?;
        Ok(Recommendation {
            id: row.0,
            year: i16::try_from(row.1).map_err(|_| StoreError::Corrupt(format!("recommendation year {}", row.1)))?,
            status: RecommendationStatus::parse(&row.2)
                .map_err(|_| StoreError::Corrupt(format!("recommendation status {}", row.2)))?,
            submitted_on: opt_text_date(row.3)?,
            responded_on: opt_text_date(row.4)?,
            body,
            version: row.6,
        })
    }

    async fn seal_recommendation(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        id: Uuid,
        body: &RecommendationBody,
    ) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = serde_json::to_vec(body).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes(SEALED, id, &json)
    }
}
