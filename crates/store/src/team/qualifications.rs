//! Members' qualifications (issue 18 item 6): each member's training history (the mandatory training under the act,
//! further trainings, the "Studium" of the first and second degree, specialisations) instead of one date, and the
//! coordinators per area of the team's work (seed 002).
//!
//! Guarantees:
//! - The 12-month mandatory-training clock and the statutory set's "members trained" read this history, never the old
//!   single column (migration 0045 carried every recorded date over as one mandatory entry).
//! - Only the team's staff (`ManageTeam`) record or remove an entry; `ViewTeam` reads it. The certificate's number is
//!   sealed under the municipality's data key; a read that opens it is audited, every change is audited in its
//!   transaction.
//! - An entry's dates are real dates typed by the user: not in the future, the end not before the start.

use crate::Caller;
use std::collections::HashMap;

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{
    CoordinationArea, TrainingKind, mandatory_training_completed, parse_date, parse_hours, parse_optional_date,
    parse_optional_text,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{date_text, opt_text_date, scope, text_date};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// The sealed field's name, which binds the ciphertext to this column (rotation.rs re-encrypts it by this name).
const SEALED_CERTIFICATE: &str = "team_member_training.certificate";

/// A training as typed (form or JSON), before validation: dates YYYY-MM-DD (not in the future), hours a whole number
/// or empty.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TrainingDraft {
    /// mandatory, further, studium_first_degree, studium_second_degree or specialisation.
    pub kind: String,
    pub title: String,
    /// Empty when not known.
    pub organiser: String,
    /// YYYY-MM-DD; empty for a one-day training.
    pub starts_on: String,
    /// YYYY-MM-DD: the day it was completed (the certificate's date), not before `starts_on`.
    pub completed_on: String,
    /// Whole hours as text ("16"); empty when not known.
    pub hours: String,
    /// Empty when not known.
    pub certificate_number: String,
}

/// A validated training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingInput {
    pub kind: TrainingKind,
    pub title: String,
    pub organiser: Option<String>,
    pub starts_on: Option<Date>,
    pub completed_on: Date,
    pub hours: Option<i32>,
    pub certificate_number: Option<String>,
}

impl TrainingDraft {
    /// Checks every field, with the message beside the field: both days are past or today, the end is not before
    /// the start.
    pub fn validate(&self, today: Date) -> Result<TrainingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = e.check("kind", TrainingKind::parse(&self.kind));
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let organiser = e.check("organiser", parse_optional_text(&self.organiser, 300));
        let starts_on = e.check("starts_on", parse_optional_date(&self.starts_on));
        let completed_on = e.check("completed_on", parse_date(&self.completed_on));
        let hours = e.check("hours", parse_hours(&self.hours));
        let certificate_number = e.check("certificate_number", parse_optional_text(&self.certificate_number, 100));
        if starts_on.flatten().is_some_and(|d| d > today) {
            e.add("starts_on", "err-date-in-future");
        }
        if completed_on.is_some_and(|d| d > today) {
            e.add("completed_on", "err-date-in-future");
        } else if let (Some(Some(start)), Some(end)) = (starts_on, completed_on)
            && end < start
        {
            e.add("completed_on", "err-training-ends-before-start");
        }
        let (Some(kind), Some(title), Some(organiser), Some(starts_on), Some(completed_on), Some(hours), Some(cert)) =
            (kind, title, organiser, starts_on, completed_on, hours, certificate_number)
        else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(TrainingInput { kind, title, organiser, starts_on, completed_on, hours, certificate_number: cert })
    }
}

/// One entry of a member's training history (the certificate's number decrypted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingEntry {
    pub id: Uuid,
    pub member_id: Uuid,
    pub kind: TrainingKind,
    /// `None` only for an entry carried over from the former single date (migration 0045).
    pub title: Option<String>,
    pub organiser: Option<String>,
    pub starts_on: Option<Date>,
    pub completed_on: Date,
    pub hours: Option<i32>,
    pub certificate_number: Option<String>,
}

type TrainingRow =
    (Uuid, Uuid, String, Option<String>, Option<String>, Option<String>, String, Option<i32>, Option<Vec<u8>>);

/// The coordinators of one area: the members' ids, the current ones in the team's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaCoordinators {
    pub area: CoordinationArea,
    pub member_ids: Vec<Uuid>,
}

impl Store {
    /// Adds an entry to a member's training history.
    pub async fn add_member_training(
        &self,
        caller: &Caller<'_>,
        member_id: Uuid,
        input: &TrainingInput,
    ) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        member_of(&mut tx, tenant, member_id).await?;
        let certificate = match &input.certificate_number {
            Some(number) => {
                let keys = self.keys.scope_keys(&mut tx, tenant, self.now()).await?;
                Some(keys.encrypt_bytes(SEALED_CERTIFICATE, id, number.as_bytes())?)
            }
            None => None,
        };
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_member_training (id, tenant_id, member_id, kind, title, organiser, starts_on, completed_on, \
               hours, certificate_enc, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(id).bind(tenant).bind(member_id).bind(input.kind.as_str()).bind(&input.title)
            .bind(input.organiser.as_deref()).bind(input.starts_on.map(date_text)).bind(date_text(input.completed_on))
            .bind(input.hours).bind(certificate).bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_member_training", id)
                .in_tenant(Some(tenant))
                .detail(input.kind.as_str()),
        )
        .await?;
        Ok(id)
    }

    /// Removes an entry recorded by mistake (a correction is a removal and a new entry).
    pub async fn remove_member_training(
        &self,
        caller: &Caller<'_>,
        member_id: Uuid,
        training_id: Uuid,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "DELETE FROM team_member_training WHERE id = $1 AND member_id = $2 AND tenant_id = $3")
            .bind(training_id).bind(member_id).bind(tenant)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n != 1 {
            return Err(StoreError::NotFound);
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Delete, "team_member_training", training_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// A member's training history, newest first, the certificates' numbers decrypted; the read is audited.
    pub async fn member_trainings(
        &self,
        caller: &Caller<'_>,
        member_id: Uuid,
    ) -> Result<Vec<TrainingEntry>, StoreError> {
        let tenant = scope(caller.principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin().await?;
        member_of(&mut tx, tenant, member_id).await?;
        let rows: Vec<TrainingRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, member_id, kind, title, organiser, starts_on, completed_on, hours, certificate_enc \
             FROM team_member_training WHERE tenant_id = $1 AND member_id = $2 ORDER BY completed_on DESC, id DESC")
            .bind(tenant).bind(member_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(&mut tx, tenant, self.now()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let certificate_number = match &r.8 {
                Some(sealed) => {
                    let bytes = keys.decrypt_bytes(SEALED_CERTIFICATE, r.0, sealed)?;
                    Some(String::from_utf8(bytes).map_err(|_| StoreError::Corrupt("certificate number".into()))?)
                }
                None => None,
            };
            out.push(TrainingEntry {
                id: r.0,
                member_id: r.1,
                kind: TrainingKind::parse(&r.2).map_err(|_| StoreError::Corrupt(format!("training kind {}", r.2)))?,
                title: r.3,
                organiser: r.4,
                starts_on: opt_text_date(r.5)?,
                completed_on: text_date(&r.6)?,
                hours: r.7,
                certificate_number,
            });
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_member_training", member_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(out)
    }

    /// The coordinators of every area of work (areas without one included, in the list's order), current members
    /// only. Ids, no personal data: the page names them from the members' list it has read (and audited).
    pub async fn team_coordinators(&self, principal: &Principal) -> Result<Vec<AreaCoordinators>, StoreError> {
        let tenant = scope(principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, Uuid)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT c.area, c.member_id FROM team_coordinator c JOIN team_member m ON m.id = c.member_id \
             WHERE c.tenant_id = $1 AND m.left_on IS NULL ORDER BY m.appointed_on, m.id")
            .bind(tenant).fetch_all(c).await)?;
        tx.commit().await?;
        let mut out: Vec<AreaCoordinators> =
            CoordinationArea::ALL.iter().map(|&area| AreaCoordinators { area, member_ids: Vec::new() }).collect();
        for (area, member) in rows {
            let area = CoordinationArea::parse(&area).map_err(|_| StoreError::Corrupt(format!("area {area}")))?;
            if let Some(slot) = out.iter_mut().find(|a| a.area == area) {
                slot.member_ids.push(member);
            }
        }
        Ok(out)
    }
}

/// Refuses unless the member is the municipality's (`NotFound` otherwise, as for one that does not exist).
async fn member_of(tx: &mut Tx, tenant: Uuid, member_id: Uuid) -> Result<(), StoreError> {
    let found: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id FROM team_member WHERE id = $1 AND tenant_id = $2")
        .bind(member_id).bind(tenant).fetch_optional(c).await)?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

/// The day each member of `tenant` completed the mandatory training, read from the training history by
/// [`mandatory_training_completed`]; members without one are absent.
pub(crate) async fn mandatory_completions(tx: &mut Tx, tenant: Uuid) -> Result<HashMap<Uuid, Date>, StoreError> {
    let rows: Vec<(Uuid, String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT member_id, kind, completed_on FROM team_member_training WHERE tenant_id = $1")
        .bind(tenant).fetch_all(c).await)?;
    let mut history: HashMap<Uuid, Vec<(TrainingKind, Date)>> = HashMap::new();
    for (member, kind, on) in rows {
        let kind = TrainingKind::parse(&kind).map_err(|_| StoreError::Corrupt(format!("training kind {kind}")))?;
        history.entry(member).or_default().push((kind, text_date(&on)?));
    }
    Ok(history.into_iter().filter_map(|(m, h)| mandatory_training_completed(h).map(|d| (m, d))).collect())
}

/// The areas a member coordinates, written in the member's own transaction (the caller audits the member's change).
pub(crate) async fn set_coordination(
    tx: &mut Tx,
    tenant: Uuid,
    member_id: Uuid,
    areas: &[CoordinationArea],
) -> Result<(), StoreError> {
    on_tx!(tx, c => sqlx::query("DELETE FROM team_coordinator WHERE tenant_id = $1 AND member_id = $2")
        .bind(tenant).bind(member_id).execute(c).await.map(|r| r.rows_affected()))?;
    for area in areas {
        on_tx!(tx, c => sqlx::query("INSERT INTO team_coordinator (tenant_id, area, member_id) VALUES ($1, $2, $3)")
            .bind(tenant).bind(area.as_str()).bind(member_id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The areas each member of `tenant` coordinates.
pub(crate) async fn coordination_of(
    tx: &mut Tx,
    tenant: Uuid,
) -> Result<HashMap<Uuid, Vec<CoordinationArea>>, StoreError> {
    let rows: Vec<(Uuid, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT member_id, area FROM team_coordinator WHERE tenant_id = $1")
        .bind(tenant).fetch_all(c).await)?;
    let mut out: HashMap<Uuid, Vec<CoordinationArea>> = HashMap::new();
    for (member, area) in rows {
        let area = CoordinationArea::parse(&area).map_err(|_| StoreError::Corrupt(format!("area {area}")))?;
        out.entry(member).or_default().push(area);
    }
    for areas in out.values_mut() {
        areas.sort_by_key(|a| CoordinationArea::ALL.iter().position(|x| x == a));
    }
    Ok(out)
}
