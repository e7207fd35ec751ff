//! Closing a procedure with its record (art. 9h ust. 1, art. 9b ust. 15): the reason, the written justification
//! (encrypted: free text about the family), the date, the held meeting at which the group decided, the warnings the
//! group confirmed; and the chair's undo within one working day of the entry.
//!
//! An undone closing keeps its record here (with who undid it, when and why, the reason encrypted) and its command
//! leaves the command log, so the state, the deadlines and every figure no longer see it; the audit trail and the
//! timeline keep both steps.

use domain::audit::AuditAction;
use domain::forms::records::RecordKind;
use domain::identity::Permission;
use domain::procedure::closing::{
    ClosingDecision, ClosingFacts, ClosingWarning, closing_warnings, parse_justification,
};
use domain::procedure::lifecycle::{ClosingReason, Command, ProcedureState};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle, load_state, polish_datetime};
use crate::crypto::ScopeKeys;
use crate::db::{Batch, Slot, on_tx};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// What the closing page shows before the group closes.
#[derive(Debug, Clone)]
pub struct ClosingContext {
    pub number: String,
    pub version: i64,
    pub phase: String,
    pub warnings: Vec<ClosingWarning>,
    /// The case's held meetings (record id, when held), latest first: the group decides at one of them.
    pub meetings: Vec<(Uuid, Timestamp)>,
}

/// A closing as recorded, for the case page and the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosingRecord {
    pub id: Uuid,
    pub reason: ClosingReason,
    pub justification: Option<String>,
    /// When the group decided it (the closing's instant in the procedure).
    pub decided_at: Timestamp,
    pub meeting_id: Option<Uuid>,
    pub meeting_at: Option<Timestamp>,
    /// The warnings shown and confirmed (`ClosingWarning::as_str`).
    pub warnings: Vec<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Timestamp,
    pub undone_at: Option<Timestamp>,
    pub undone_by: Option<String>,
    pub undo_reason: Option<String>,
    /// The chair may still undo it (now, by the clock of the read).
    pub undoable: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClosingRow {
    id: Uuid,
    reason: String,
    justification_enc: Option<Vec<u8>>,
    decided_at: jiff_sqlx::Timestamp,
    meeting_id: Option<Uuid>,
    warnings: String,
    recorded_by: Option<String>,
    recorded_at: jiff_sqlx::Timestamp,
    undone_at: Option<jiff_sqlx::Timestamp>,
    undone_by: Option<String>,
    undo_reason_enc: Option<Vec<u8>>,
}

impl Store {
    /// The warnings and the held meetings for the closing page. Reads the minutes (whether the person using violence
    /// came), so the read is audited.
    pub async fn closing_context(&self, handle: &CaseHandle) -> Result<ClosingContext, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (number, version, phase): (String, i64, String) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT number, version, phase FROM procedure WHERE id = $1").bind(handle.procedure_id).fetch_one(c).await)?;
        let (facts, meetings) = self.closing_facts(&mut tx, handle, self.now()).await?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail("closing warnings: meeting minutes"),
        )
        .await?;
        tx.commit().await?;
        Ok(ClosingContext { number, version, phase, warnings: closing_warnings(&facts), meetings })
    }

    /// Closes the procedure with its record. The group or the team may; the warnings of the moment must have been
    /// confirmed (`warnings_confirmed`) when there are any. Field errors: `reason`, `justification`, `occurred_at`
    /// (future, before the meeting or an event the closing follows), `meeting` (not a held meeting of the case, or
    /// none chosen while the case has held meetings), `confirm`.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "close_procedure", procedure = %handle.procedure_id))]
    pub async fn close_procedure(
        &self,
        handle: &CaseHandle,
        decision: &ClosingDecision,
        warnings_confirmed: bool,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        if decision.reason == ClosingReason::NoGrounds && decision.justification.is_none() {
            return Err(StoreError::invalid("justification", "err-closing-justification-required"));
        }
        let now = self.now();
        let at = decision.occurred_at.unwrap_or(now);
        let mut tx = self.db.begin().await?;
        let (facts, meetings) = self.closing_facts(&mut tx, handle, at).await?;
        let meeting_at = match decision.meeting {
            Some(id) => Some(
                meetings
                    .iter()
                    .find(|(m, _)| *m == id)
                    .map(|(_, held)| *held)
                    .ok_or_else(|| StoreError::invalid("meeting", "err-closing-meeting-unknown"))?,
            ),
            None if !meetings.is_empty() => {
                return Err(StoreError::invalid("meeting", "err-closing-meeting-required"));
            }
            None => None,
        };
        if let Some(held) = meeting_at
            && at < held
        {
            let mut errors = domain::validation::FieldErrors::new();
            errors.add_with(
                "occurred_at",
                "err-occurred-before-event",
                vec![("event", "group_meeting_held".to_owned()), ("date", polish_datetime(held))],
            );
            return Err(StoreError::Invalid(errors));
        }
        let warnings = closing_warnings(&facts);
        if !warnings.is_empty() && !warnings_confirmed {
            return Err(StoreError::invalid("confirm", "err-closing-warnings-unconfirmed"));
        }
        let command = Command::Close { reason: decision.reason };
        let state =
            self.apply_at(&mut tx, handle, &command, decision.occurred_at, "occurred_at", expected_version).await?;
        let (seq,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT MAX(seq) FROM procedure_command WHERE procedure_id = $1").bind(handle.procedure_id).fetch_one(c).await)?;
        let id = Uuid::now_v7();
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, now).await?;
        let sealed = match &decision.justification {
            Some(text) => Some(keys.encrypt("procedure_closing.justification", id, text)?),
            None => None,
        };
        let warning_names: Vec<&str> = warnings.iter().map(|w| w.as_str()).collect();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO procedure_closing (id, procedure_id, tenant_id, reason, justification_enc, decided_at, meeting_id, \
             command_seq, warnings, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(id).bind(handle.procedure_id).bind(handle.tenant_id).bind(decision.reason.as_str()).bind(sealed)
            .bind(ts(at)).bind(decision.meeting).bind(seq).bind(warning_names.join(" "))
            .bind(handle.principal().account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Create, "procedure_closing", id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}, reason {}", handle.procedure_id, decision.reason.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The chair undoes the latest closing within one working day of its entry, with a reason: the closing's command
    /// leaves the log (the record stays, marked undone), the case runs again. Anyone else, or later, is refused.
    pub async fn undo_closing(
        &self,
        handle: &CaseHandle,
        reason: &str,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        if handle.access != CaseAccess::Team || !handle.principal().roles.permits(Permission::ChairDecisions) {
            return Err(StoreError::invalid("undo_reason", "err-closing-undo-chair-only"));
        }
        let reason = parse_justification(reason)
            .map_err(|code| StoreError::invalid("undo_reason", code))?
            .ok_or_else(|| StoreError::invalid("undo_reason", "err-closing-undo-reason-required"))?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (version, phase): (i64, String) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT version, phase FROM procedure WHERE id = $1").bind(handle.procedure_id).fetch_one(c).await)?;
        if version != expected_version {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let latest: Option<(Uuid, i64, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, command_seq, recorded_at FROM procedure_closing \
             WHERE procedure_id = $1 AND undone_at IS NULL ORDER BY recorded_at DESC LIMIT 1")
            .bind(handle.procedure_id).fetch_optional(c).await)?;
        let Some((closing_id, seq, recorded_at)) = latest.filter(|_| phase == "closed") else {
            return Err(StoreError::invalid("undo_reason", "err-closing-undo-nothing"));
        };
        if !domain::procedure::timing::closing_undoable(recorded_at.to_jiff(), now) {
            return Err(StoreError::invalid("undo_reason", "err-closing-undo-too-late"));
        }
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM procedure_command WHERE procedure_id = $1 AND seq = $2")
            .bind(handle.procedure_id).bind(seq).execute(c).await.map(|r| r.rows_affected()))?;
        // The steps recorded since must still stand without the closing (a monitoring check is not a step).
        let (state, _, _) = load_state(&mut tx, handle.procedure_id)
            .await
            .map_err(|_| StoreError::invalid("undo_reason", "err-closing-undo-later-steps"))?;
        let updated = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE procedure SET phase = $2, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $4")
            .bind(handle.procedure_id).bind(state.phase().as_str()).bind(ts(now)).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if updated != 1 {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, now).await?;
        let sealed = keys.encrypt("procedure_closing.undo_reason", closing_id, &reason)?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE procedure_closing SET undone_at = $2, undone_by = $3, undo_reason_enc = $4 WHERE id = $1")
            .bind(closing_id).bind(ts(now)).bind(handle.principal().account_id).bind(sealed)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "procedure_closing", closing_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}: closing undone", handle.procedure_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The case's closings with their records, oldest first (an undone one too). The justifications are decrypted,
    /// so the read is audited.
    pub async fn closing_records(&self, handle: &CaseHandle) -> Result<Vec<ClosingRecord>, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let rows = closing_rows(&mut tx, handle.procedure_id).await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        let meetings: Vec<(Uuid, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, occurs_at FROM case_record WHERE procedure_id = $1 AND kind = 'meeting'")
            .bind(handle.procedure_id).fetch_all(c).await)?;
        let meetings: Vec<(Uuid, Timestamp)> = meetings.into_iter().map(|(id, at)| (id, at.to_jiff())).collect();
        let (phase,): (String,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT phase FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(c).await)?;
        let out = closing_records_of(rows, &keys, &meetings, phase == "closed", self.now())?;
        audit_closing_read(self, &mut tx, handle).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// The facts the warnings need, as of a closing at `at`, and the case's held meetings, latest first.
    async fn closing_facts(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        at: Timestamp,
    ) -> Result<(ClosingFacts, Vec<(Uuid, Timestamp)>), StoreError> {
        let records = self.records_in(tx, handle, None).await?;
        let (forms_d,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM procedure_form WHERE procedure_id = $1 AND kind = 'D'")
            .bind(handle.procedure_id).fetch_one(c).await)?;
        let mut facts = ClosingFacts { forms_d: u32::try_from(forms_d).unwrap_or(u32::MAX), ..ClosingFacts::default() };
        let mut meetings = Vec::new();
        for r in &records {
            match r.kind {
                RecordKind::PlanItem if matches!(r.tag.as_deref(), Some("planned" | "in_progress")) => {
                    facts.open_plan_items += 1;
                }
                RecordKind::Meeting if r.status == "held" => {
                    meetings.push((r.id, r.occurs_at));
                    if r.minutes.as_ref().and_then(|m| m.get("minutes.suspected_attended")) == Some("yes") {
                        facts.suspect_came = true;
                    }
                }
                RecordKind::Meeting if r.status == "planned" && r.occurs_at > at => facts.monitoring_planned = true,
                RecordKind::MonitoringCheck if r.occurs_at >= at => facts.monitoring_planned = true,
                _ => {}
            }
        }
        meetings.sort_by_key(|m| std::cmp::Reverse(m.1));
        Ok((facts, meetings))
    }
}

/// The case's closings as [`Store::closing_records`] gives them, for the procedure page: from the rows it read in
/// its batch ([`queue_closing_rows`]), the meetings and the phase taken from what it read already; audited like
/// [`Store::closing_records`], and only when there are closings.
pub(crate) async fn closings_in(
    store: &Store,
    tx: &mut Tx,
    keys: &ScopeKeys,
    handle: &CaseHandle,
    rows: Vec<ClosingRow>,
    meetings: &[(Uuid, Timestamp)],
    closed: bool,
) -> Result<Vec<ClosingRecord>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let out = closing_records_of(rows, keys, meetings, closed, store.now())?;
    audit_closing_read(store, tx, handle).await?;
    Ok(out)
}

/// The justifications are personal data: their read is in the audit trail.
async fn audit_closing_read(store: &Store, tx: &mut Tx, handle: &CaseHandle) -> Result<(), StoreError> {
    store
        .audit(
            tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure_closing", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail("closing records"),
        )
        .await
        .map(|_| ())
}

/// The closings decrypted, with their meeting's time and whether the latest may still be undone (`closed`: the
/// procedure is closed now).
fn closing_records_of(
    rows: Vec<ClosingRow>,
    keys: &ScopeKeys,
    meetings: &[(Uuid, Timestamp)],
    closed: bool,
    now: Timestamp,
) -> Result<Vec<ClosingRecord>, StoreError> {
    let latest_open = rows.iter().rposition(|r| r.undone_at.is_none());
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.into_iter().enumerate() {
        let justification = match &r.justification_enc {
            Some(blob) => Some(keys.decrypt("procedure_closing.justification", r.id, blob)?),
            None => None,
        };
        let undo_reason = match &r.undo_reason_enc {
            Some(blob) => Some(keys.decrypt("procedure_closing.undo_reason", r.id, blob)?),
            None => None,
        };
        let reason = ClosingReason::parse(&r.reason).map_err(|_| StoreError::Corrupt(format!("closing {}", r.id)))?;
        let recorded_at = r.recorded_at.to_jiff();
        out.push(ClosingRecord {
            id: r.id,
            reason,
            justification,
            decided_at: r.decided_at.to_jiff(),
            meeting_id: r.meeting_id,
            meeting_at: r.meeting_id.and_then(|m| meetings.iter().find(|(id, _)| *id == m).map(|(_, at)| *at)),
            warnings: r.warnings.split_whitespace().map(str::to_owned).collect(),
            recorded_by: r.recorded_by,
            recorded_at,
            undone_at: r.undone_at.map(|t| t.to_jiff()),
            undone_by: r.undone_by,
            undo_reason,
            undoable: latest_open == Some(i) && closed && domain::procedure::timing::closing_undoable(recorded_at, now),
        });
    }
    Ok(out)
}

async fn closing_rows(tx: &mut Tx, procedure_id: Uuid) -> Result<Vec<ClosingRow>, StoreError> {
    Batch::fetch_all(tx, |batch| queue_closing_rows(batch, procedure_id)).await
}

/// Queues the read of the case's closings, oldest first.
pub(crate) fn queue_closing_rows(batch: &mut Batch, procedure_id: Uuid) -> Slot<ClosingRow> {
    batch
        .push(
            "SELECT k.id, k.reason, k.justification_enc, k.decided_at, k.meeting_id, k.warnings, a.login AS recorded_by, \
             k.recorded_at, k.undone_at, u.login AS undone_by, k.undo_reason_enc \
             FROM procedure_closing k LEFT JOIN account a ON a.id = k.recorded_by LEFT JOIN account u ON u.id = k.undone_by \
             WHERE k.procedure_id = $1 ORDER BY k.recorded_at, k.id",
        )
        .bind(procedure_id)
        .slot()
}
