//! The register of prevention and training activities: campaigns, school workshops, trainings, conferences,
//! supervisions and training-needs diagnoses, with their participants and the materials handed out. No personal data
//! (counts and descriptions of events), so it is kept in clear; the programme's indicators count it.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{ActivityKind, parse_count, parse_date, parse_optional_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ACTIVITY;
use super::{date_text, scope, text_date};
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

/// An activity as typed, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityDraft {
    /// campaign, workshop, training, conference, supervision, training_needs_diagnosis or other.
    pub kind: String,
    /// YYYY-MM-DD
    pub held_on: String,
    pub title: String,
    pub organiser: String,
    pub audience: String,
    pub participants: String,
    pub materials_handed_out: String,
    pub notes: String,
    /// Of the participants, how many were team members and support-group members (RPPPD 4.3.2).
    pub team_members_trained: String,
    pub group_members_trained: String,
}

/// A validated activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub held_on: Date,
    pub title: String,
    pub organiser: Option<String>,
    pub audience: Option<String>,
    pub participants: i64,
    pub materials_handed_out: i64,
    pub notes: Option<String>,
    pub team_members_trained: i64,
    pub group_members_trained: i64,
}

impl ActivityDraft {
    pub fn validate(&self) -> Result<ActivityInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", ActivityKind::parse(&self.kind));
        let held_on = e.check("held_on", parse_date(&self.held_on));
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let organiser = e.check("organiser", parse_optional_text(&self.organiser, 300));
        let audience = e.check("audience", parse_optional_text(&self.audience, 300));
        let participants = e.check("participants", parse_count(&self.participants));
        let materials = e.check("materials_handed_out", parse_count(&self.materials_handed_out));
        let notes = e.check("notes", parse_optional_text(&self.notes, 2000));
        // Of the participants: never more than came.
        let of_participants = |raw: &str| {
            parse_count(raw).and_then(|n| {
                if participants.is_some_and(|p| n > p) {
                    Err("err-activity-trained-exceeds-participants")
                } else {
                    Ok(n)
                }
            })
        };
        let team_members_trained = e.check("team_members_trained", of_participants(&self.team_members_trained));
        let group_members_trained = e.check("group_members_trained", of_participants(&self.group_members_trained));
        let (Some(team_members_trained), Some(group_members_trained)) = (team_members_trained, group_members_trained)
        else {
            return Err(e);
        };
        match (kind, held_on, title, organiser, audience, participants, materials, notes) {
            (
                Some(kind),
                Some(held_on),
                Some(title),
                Some(organiser),
                Some(audience),
                Some(participants),
                Some(materials_handed_out),
                Some(notes),
            ) => Ok(ActivityInput {
                kind,
                held_on,
                title,
                organiser,
                audience,
                participants,
                materials_handed_out,
                notes,
                team_members_trained,
                group_members_trained,
            }),
            _ => Err(e),
        }
    }
}

/// One activity of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: Uuid,
    pub kind: ActivityKind,
    pub held_on: Date,
    pub title: String,
    pub organiser: Option<String>,
    pub audience: Option<String>,
    pub participants: i64,
    pub materials_handed_out: i64,
    pub notes: Option<String>,
    pub version: i64,
    pub team_members_trained: i64,
    pub group_members_trained: i64,
}

impl Activity {
    pub fn to_draft(&self) -> ActivityDraft {
        ActivityDraft {
            kind: self.kind.as_str().to_owned(),
            held_on: self.held_on.to_string(),
            title: self.title.clone(),
            organiser: self.organiser.clone().unwrap_or_default(),
            audience: self.audience.clone().unwrap_or_default(),
            participants: self.participants.to_string(),
            materials_handed_out: self.materials_handed_out.to_string(),
            notes: self.notes.clone().unwrap_or_default(),
            team_members_trained: self.team_members_trained.to_string(),
            group_members_trained: self.group_members_trained.to_string(),
        }
    }
}

type ActivityRow =
    (Uuid, String, String, String, Option<String>, Option<String>, i64, i64, Option<String>, i64, i64, i64);

fn activity_from(r: ActivityRow) -> Result<Activity, StoreError> {
    Ok(Activity {
        id: r.0,
        kind: ActivityKind::parse(&r.1).map_err(|_| StoreError::Corrupt(format!("activity kind {}", r.1)))?,
        held_on: text_date(&r.2)?,
        title: r.3,
        organiser: r.4,
        audience: r.5,
        participants: r.6,
        materials_handed_out: r.7,
        notes: r.8,
        version: r.9,
        team_members_trained: r.10,
        group_members_trained: r.11,
    })
}

const ACTIVITY_COLUMNS: &str = "id, kind, held_on, title, organiser, audience, participants, materials_handed_out, notes, version, \
     CAST(team_members_trained AS BIGINT), CAST(group_members_trained AS BIGINT)";

impl Store {
    pub async fn create_activity(&self, caller: &Caller<'_>, input: &ActivityInput) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageActivities)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO activity (id, tenant_id, kind, held_on, title, organiser, audience, participants, \
               materials_handed_out, notes, created_by, created_at, updated_at, team_members_trained, group_members_trained) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)")
            .bind(id).bind(tenant).bind(input.kind.as_str()).bind(date_text(input.held_on)).bind(&input.title)
            .bind(&input.organiser).bind(&input.audience).bind(input.participants).bind(input.materials_handed_out)
            .bind(&input.notes).bind(caller.principal.account_id).bind(ts(now))
            .bind(i32::try_from(input.team_members_trained).unwrap_or(i32::MAX))
            .bind(i32::try_from(input.group_members_trained).unwrap_or(i32::MAX))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "activity", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_activity", activity = %activity_id))]
    pub async fn update_activity(
        &self,
        caller: &Caller<'_>,
        activity_id: Uuid,
        input: &ActivityInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageActivities)?;
        let mut tx = self.db.begin().await?;
        ACTIVITY.check_version(&mut tx, activity_id, tenant, expected_version).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE activity SET kind = $3, held_on = $4, title = $5, organiser = $6, audience = $7, participants = $8, \
               materials_handed_out = $9, notes = $10, updated_at = $11, version = version + 1, \
               team_members_trained = $13, group_members_trained = $14 \
             WHERE id = $1 AND tenant_id = $2 AND version = $12")
            .bind(activity_id).bind(tenant).bind(input.kind.as_str()).bind(date_text(input.held_on)).bind(&input.title)
            .bind(&input.organiser).bind(&input.audience).bind(input.participants).bind(input.materials_handed_out)
            .bind(&input.notes).bind(ts(self.now())).bind(expected_version)
            .bind(i32::try_from(input.team_members_trained).unwrap_or(i32::MAX))
            .bind(i32::try_from(input.group_members_trained).unwrap_or(i32::MAX))
            .execute(c).await.map(|r| r.rows_affected()))?;
        ACTIVITY.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "activity", activity_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// Removes an activity entered by mistake (audited; the register holds no personal data).
    pub async fn delete_activity(
        &self,
        caller: &Caller<'_>,
        activity_id: Uuid,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageActivities)?;
        let mut tx = self.db.begin().await?;
        ACTIVITY.check_version(&mut tx, activity_id, tenant, expected_version).await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM activity WHERE id = $1").bind(activity_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Delete, "activity", activity_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// The activities held in `year`, in date order.
    pub async fn activities(&self, principal: &Principal, year: i16) -> Result<Vec<Activity>, StoreError> {
        let tenant = scope(principal, Permission::ManageActivities)?;
        let (from, to) = (format!("{year:04}-01-01"), format!("{:04}-01-01", year.saturating_add(1)));
        let sql = format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activity WHERE tenant_id = $1 AND held_on >= $2 AND held_on < $3 \
             ORDER BY held_on, id"
        );
        let rows: Vec<ActivityRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(tenant).bind(&from).bind(&to).fetch_all(p).await)?;
        rows.into_iter().map(activity_from).collect()
    }

    /// One activity (for its edit page).
    pub async fn activity(&self, principal: &Principal, activity_id: Uuid) -> Result<Activity, StoreError> {
        let tenant = scope(principal, Permission::ManageActivities)?;
        let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM activity WHERE id = $1 AND tenant_id = $2");
        let row: Option<ActivityRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(activity_id).bind(tenant).fetch_optional(p).await)?;
        activity_from(row.ok_or(StoreError::NotFound)?)
    }
}
