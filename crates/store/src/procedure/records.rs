//! The support group's records of a case: meetings (planned, then held with their minutes, or cancelled), support-plan
//! items with their reviews, home visits, letters, protective measures, the hand-over of form B, monitoring checks
//! and the reasons for missed deadlines.
//!
//! Guarantees:
//! - Reached only through a [`CaseHandle`] of the team or the case's group; an initiator gets `NotFound`.
//! - The content is one encrypted document per record; in clear beside it only the kind, the date, the status,
//!   one categorical tag and a plan item's owner (a member's account or an institution's code, never a name), so
//!   lists, reminders and statistics never decrypt.
//! - A plan item's owner is a current member of the case's group or an institution, checked when it is saved.
//! - Every change is audited in its transaction; a meeting recorded as held also applies the procedure's
//!   `RecordGroupMeetingHeld` step in the same transaction, so the first-meeting clock and the minutes never disagree.
//! - Edits carry the record's version; a stale one is a conflict, never a silent overwrite. A plan item's earlier
//!   reviews stay in its history.

use domain::audit::AuditAction;
use domain::forms::records::{RecordKind, record_definition};
use domain::forms::{Answers, FormKind, PlanOwner, ValidatedAnswers, Value, validate};
use domain::procedure::lifecycle::{Command, Phase, ProcedureState};
use domain::procedure::records::{
    AffectedPresence, MeetingSlot, MeetingWith, end_refusal, presence_refusal, separation_refusal,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{CaseHandle, load_state};
use crate::db::{Batch, Slot, on_tx};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// A meeting's state, kept in clear.
pub const PLANNED: &str = "planned";
pub const HELD: &str = "held";
pub const CANCELLED: &str = "cancelled";
/// Every other record.
pub const RECORDED: &str = "recorded";

/// What is encrypted: the answers, a meeting's minutes once held, and a plan item's earlier versions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Body {
    answers: Answers,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minutes: Option<Answers>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    history: Vec<Revision>,
}

/// An earlier version of an edited record, kept when it is reviewed or rescheduled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revision {
    pub answers: Answers,
    pub replaced_at: Timestamp,
}

/// One record as its case page shows it (decrypted).
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub id: Uuid,
    pub kind: RecordKind,
    pub occurs_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub status: String,
    pub tag: Option<String>,
    pub version: i64,
    pub answers: Answers,
    pub minutes: Option<Answers>,
    pub history: Vec<Revision>,
}

impl CaseRecord {
    /// Whether the record may still be changed: a plan item (reviewed at each meeting) or a planned meeting
    /// (rescheduled). Anything else is kept as written; a correction is a new record.
    pub fn is_editable(&self) -> bool {
        editable(self.kind, &self.status)
    }
}

fn editable(kind: RecordKind, status: &str) -> bool {
    // A record with a clock gets the act that stops it (the court told, the officer designated) later.
    kind == RecordKind::PlanItem
        || (kind == RecordKind::Meeting && status == PLANNED)
        || kind.clock_done_field().is_some()
}

/// When the record's own clock was stopped (see [`RecordKind::clock_done_field`]): never in the future, never before
/// the event that started it.
fn clock_done_of(
    kind: RecordKind,
    answers: &ValidatedAnswers,
    occurs_at: Timestamp,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let Some((section, field)) = kind.clock_done_field() else { return Ok(None) };
    if answers.get(section, field).is_none() {
        return Ok(None);
    }
    let path: &'static str = match kind {
        RecordKind::ChildPlacement => "placement.court_notified_at",
        _ => "escort.officer_designated_at",
    };
    let done = instant_of(answers, section, field, path)?;
    if done > now {
        return Err(StoreError::invalid(path, "err-date-in-future"));
    }
    if done < occurs_at {
        return Err(StoreError::invalid(path, "err-clock-done-before-start"));
    }
    Ok(Some(done))
}

/// One record's clear columns: what rules and lists need without decrypting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordMeta {
    pub id: Uuid,
    pub kind: String,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    pub occurs_at: Timestamp,
    pub ends_at: Option<jiff_sqlx::Timestamp>,
    pub status: String,
    pub tag: Option<String>,
}

/// The instant a record's date field stands for: a date is its start in Poland, a date and time is read in Poland.
fn instant_of(
    answers: &ValidatedAnswers,
    section: &str,
    field: &str,
    path: &'static str,
) -> Result<Timestamp, StoreError> {
    let zone = domain::calendar::poland_zone();
    match answers.get(section, field) {
        Some(Value::DateTime(dt)) => {
            dt.to_zoned(zone).map(|z| z.timestamp()).map_err(|_| StoreError::invalid(path, "err-datetime-format"))
        }
        Some(Value::Date(d)) => {
            d.to_zoned(zone).map(|z| z.timestamp()).map_err(|_| StoreError::invalid(path, "err-date-format"))
        }
        _ => Err(StoreError::invalid(path, "err-required")),
    }
}

fn kind_of(answers: &ValidatedAnswers) -> Result<RecordKind, StoreError> {
    match answers.definition().kind {
        FormKind::Record(kind) => Ok(kind),
        _ => Err(StoreError::invalid("form", "err-unknown-field")),
    }
}

fn tag_of(kind: RecordKind, answers: &ValidatedAnswers) -> Option<String> {
    let (section, field) = kind.tag_field()?;
    answers.get(section, field).map(Value::to_raw)
}

/// A meeting's planned end, if given.
fn meeting_end(answers: &ValidatedAnswers) -> Result<Option<Timestamp>, StoreError> {
    match answers.get("meeting", "ends_at") {
        None => Ok(None),
        Some(_) => instant_of(answers, "meeting", "ends_at", "meeting.ends_at").map(Some),
    }
}

/// The checks every new or changed record passes against the case as it stands now.
fn check_against_case(
    kind: RecordKind,
    state: &ProcedureState,
    occurs_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    let path = kind.date_path();
    match state.phase() {
        Phase::MonitoringEnded(_) => return Err(StoreError::invalid("form", "err-transition-monitoring-ended")),
        Phase::TransferredOut { .. } => return Err(StoreError::invalid("form", "err-transition-transferred-out")),
        _ => {}
    }
    if kind == RecordKind::MonitoringCheck && !state.is_monitoring() {
        return Err(StoreError::invalid(path, "err-record-monitoring-only"));
    }
    if kind == RecordKind::Meeting && state.group().is_none() {
        return Err(StoreError::invalid(path, "err-transition-meeting-without-group"));
    }
    if kind.is_past_fact() && occurs_at > now {
        return Err(StoreError::invalid(path, "err-date-in-future"));
    }
    // A record dated by a day counts from that day's start, so compare days: a visit on the day form A was filled is
    // fine, one the day before is not.
    let zone = domain::calendar::poland_zone();
    if occurs_at.to_zoned(zone.clone()).date() < state.opened_at().to_zoned(zone).date() {
        return Err(StoreError::invalid(path, "err-record-before-opening"));
    }
    Ok(())
}

/// A support-plan item's due day as a clock, stopped when the item is first marked done or not done; nothing for
/// other records. `previous_done` keeps that first moment across later reviews.
#[derive(Debug, Default)]
struct PlanClock {
    due_at: Option<Timestamp>,
    done_at: Option<Timestamp>,
}

fn plan_clock(
    kind: RecordKind,
    answers: &ValidatedAnswers,
    now: Timestamp,
    previous_done: Option<Timestamp>,
) -> Result<PlanClock, StoreError> {
    if kind != RecordKind::PlanItem {
        return Ok(PlanClock::default());
    }
    let due_at = match answers.get("item", "due_on") {
        None => None,
        Some(_) => Some(instant_of(answers, "item", "due_on", "item.due_on")?),
    };
    let finished = matches!(tag_of(kind, answers).as_deref(), Some("done" | "not_done"));
    Ok(PlanClock { due_at, done_at: finished.then(|| previous_done.unwrap_or(now)) })
}

/// A plan item's owner in clear: kind, member account, institution code. `None` for other records and for free text
/// kept from before owners were chosen.
type OwnerColumns = Option<(&'static str, Option<Uuid>, Option<&'static str>)>;

use domain::forms::owner::PLAN_OWNER_PATH as OWNER_PATH;

/// Checks a plan item's owner against the case as it is now and returns what is kept in clear. A member must be in
/// the group now (not one who left); free text is refused unless it is the item's earlier text left unchanged, so an
/// old item can be reviewed without inventing an owner for it.
async fn plan_owner(
    tx: &mut Tx,
    handle: &CaseHandle,
    kind: RecordKind,
    answers: &ValidatedAnswers,
    earlier: Option<&Answers>,
) -> Result<OwnerColumns, StoreError> {
    if kind != RecordKind::PlanItem {
        return Ok(None);
    }
    let Some(Value::Owner(owner)) = answers.get("item", "responsible") else {
        return Err(StoreError::invalid(OWNER_PATH, "err-required"));
    };
    match owner {
        PlanOwner::Member(account) => {
            let current: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT account_id FROM group_member WHERE procedure_id = $1 AND account_id = $2 AND left_at IS NULL")
                .bind(handle.procedure_id).bind(*account).fetch_optional(c).await)?;
            if current.is_none() {
                return Err(StoreError::invalid(OWNER_PATH, "err-owner-not-member"));
            }
        }
        PlanOwner::Institution(_) => {}
        PlanOwner::AsRecorded(text) => {
            let unchanged = earlier.and_then(|a| a.get(OWNER_PATH)).is_some_and(|t| t.trim() == text);
            if !unchanged {
                return Err(StoreError::invalid(OWNER_PATH, "err-owner-choose"));
            }
        }
    }
    Ok(owner.columns())
}

impl Store {
    /// Adds a record to a case (a meeting is added as planned). The team and the group may.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "add_record", procedure = %handle.procedure_id))]
    pub async fn add_record(&self, handle: &CaseHandle, answers: &ValidatedAnswers) -> Result<Uuid, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let kind = kind_of(answers)?;
        if kind == RecordKind::MeetingMinutes {
            // Minutes belong to a planned meeting: see `hold_meeting`.
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        let (section, field) = kind.date_field();
        let occurs_at = instant_of(answers, section, field, kind.date_path())?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (state, _, _) = load_state(&mut tx, handle.procedure_id).await?;
        check_against_case(kind, &state, occurs_at, now)?;
        let ends_at = if kind == RecordKind::Meeting {
            let ends_at = meeting_end(answers)?;
            check_meeting_slot(&mut tx, handle.procedure_id, None, answers, occurs_at, ends_at).await?;
            self.check_presence(&mut tx, handle, answers, occurs_at).await?;
            ends_at
        } else {
            None
        };
        let plan = plan_clock(kind, answers, now, None)?;
        let owner = plan_owner(&mut tx, handle, kind, answers, None).await?;
        let clock_done_at = clock_done_of(kind, answers, occurs_at, now)?.or(plan.done_at);
        let status = if kind == RecordKind::Meeting { PLANNED } else { RECORDED };
        let id = Uuid::now_v7();
        let body = Body { answers: answers.to_answers(), ..Body::default() };
        let sealed = self.seal(&mut tx, handle.tenant_id, id, &body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO case_record (id, procedure_id, tenant_id, kind, occurs_at, ends_at, status, tag, body_enc, created_by, created_at, updated_at, clock_done_at, due_at, \
             owner_kind, owner_account_id, owner_institution) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16)")
            .bind(id).bind(handle.procedure_id).bind(handle.tenant_id).bind(kind.as_str()).bind(ts(occurs_at))
            .bind(ends_at.map(ts)).bind(status).bind(tag_of(kind, answers)).bind(sealed)
            .bind(handle.principal().account_id).bind(ts(now)).bind(clock_done_at.map(ts))
            .bind(plan.due_at.map(ts)).bind(owner.map(|o| o.0)).bind(owner.and_then(|o| o.1))
            .bind(owner.and_then(|o| o.2))
            .execute(c).await.map(|r| r.rows_affected()))?;
        if kind == RecordKind::Meeting {
            self.invite_group(
                &mut tx,
                handle,
                id,
                0,
                MeetingSlot::new(occurs_at, ends_at, MeetingWith::GroupOnly),
                false,
            )
            .await?;
        }
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Create, "case_record", id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}, {}", handle.procedure_id, kind.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a plan item (its review at a meeting) or reschedules a planned meeting; the earlier version stays in
    /// the record's history. Other records are kept as written: a correction is a new record.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_record", procedure = %handle.procedure_id, record = %record_id))]
    pub async fn update_record(
        &self,
        handle: &CaseHandle,
        record_id: Uuid,
        answers: &ValidatedAnswers,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let kind = kind_of(answers)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let (meta, version, mut body) = self.open_record(&mut tx, handle, record_id).await?;
        if meta.kind != kind.as_str() {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        if !editable(kind, &meta.status) {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        if version != expected_version {
            return Err(StoreError::Conflict("record changed since it was read"));
        }
        let (section, field) = kind.date_field();
        let occurs_at = instant_of(answers, section, field, kind.date_path())?;
        let (state, _, _) = load_state(&mut tx, handle.procedure_id).await?;
        check_against_case(kind, &state, occurs_at, now)?;
        let ends_at = if kind == RecordKind::Meeting {
            let ends_at = meeting_end(answers)?;
            check_meeting_slot(&mut tx, handle.procedure_id, Some(record_id), answers, occurs_at, ends_at).await?;
            self.check_presence(&mut tx, handle, answers, occurs_at).await?;
            ends_at
        } else {
            None
        };
        let previous_done: Option<(Option<jiff_sqlx::Timestamp>,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT clock_done_at FROM case_record WHERE id = $1").bind(record_id).fetch_optional(c).await)?;
        let previous_done = previous_done.and_then(|(t,)| t).map(|t| t.to_jiff());
        let plan = plan_clock(kind, answers, now, previous_done)?;
        let owner = plan_owner(&mut tx, handle, kind, answers, Some(&body.answers)).await?;
        let clock_done_at = clock_done_of(kind, answers, occurs_at, now)?.or(plan.done_at);
        body.history.push(Revision { answers: std::mem::take(&mut body.answers), replaced_at: now });
        body.answers = answers.to_answers();
        let sealed = self.seal(&mut tx, handle.tenant_id, record_id, &body).await?;
        let updated = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE case_record SET occurs_at = $2, ends_at = $3, tag = $4, body_enc = $5, updated_at = $6, version = version + 1, clock_done_at = $8, \
             due_at = $9, owner_kind = $10, owner_account_id = $11, owner_institution = $12 WHERE id = $1 AND version = $7")
            .bind(record_id).bind(ts(occurs_at)).bind(ends_at.map(ts)).bind(tag_of(kind, answers)).bind(sealed)
            .bind(ts(now)).bind(expected_version).bind(clock_done_at.map(ts))
            .bind(plan.due_at.map(ts)).bind(owner.map(|o| o.0)).bind(owner.and_then(|o| o.1))
            .bind(owner.and_then(|o| o.2))
            .execute(c).await.map(|r| r.rows_affected()))?;
        if updated != 1 {
            return Err(StoreError::Conflict("record changed since it was read"));
        }
        if kind == RecordKind::Meeting {
            // The same calendar entry, one version on: the members' calendars move it.
            let sequence = u32::try_from(expected_version).unwrap_or(u32::MAX);
            let slot = MeetingSlot::new(occurs_at, ends_at, MeetingWith::GroupOnly);
            self.invite_group(&mut tx, handle, record_id, sequence, slot, false).await?;
        }
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "case_record", record_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}, {}", handle.procedure_id, kind.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a planned meeting as held, with its minutes, and applies the procedure's meeting step at the time it
    /// was held: both or neither. `procedure_version` is the case's version the page was read at.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "hold_meeting", procedure = %handle.procedure_id, record = %record_id))]
    pub async fn hold_meeting(
        &self,
        handle: &CaseHandle,
        record_id: Uuid,
        minutes: &ValidatedAnswers,
        record_version: i64,
        procedure_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        if kind_of(minutes)? != RecordKind::MeetingMinutes {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        let held_at = instant_of(minutes, "minutes", "held_at", "minutes.held_at")?;
        if held_at > self.now() {
            return Err(StoreError::invalid("minutes.held_at", "err-date-in-future"));
        }
        let mut tx = self.db.begin().await?;
        let (meta, version, mut body) = self.open_record(&mut tx, handle, record_id).await?;
        if meta.kind != RecordKind::Meeting.as_str() || meta.status != PLANNED {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        if version != record_version {
            return Err(StoreError::Conflict("record changed since it was read"));
        }
        // The meeting is a step of the procedure at the time it was held, not when its minutes were typed in.
        let command = Command::RecordGroupMeetingHeld { held_at };
        let state = self
            .apply_at(&mut tx, handle, &command, Some(held_at), "minutes.held_at", procedure_version)
            .await
            .map_err(|e| match e {
                // The state machine's refusal concerns the time the meeting was held.
                StoreError::Invalid(errors) => {
                    let mut moved = domain::validation::FieldErrors::new();
                    for e in errors.iter() {
                        moved.add_with("minutes.held_at", e.code, e.args.clone());
                    }
                    StoreError::Invalid(moved)
                }
                other => other,
            })?;
        body.minutes = Some(minutes.to_answers());
        let sealed = self.seal(&mut tx, handle.tenant_id, record_id, &body).await?;
        let now = self.now();
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE case_record SET status = $2, occurs_at = $3, body_enc = $4, updated_at = $5, version = version + 1 WHERE id = $1")
            .bind(record_id).bind(HELD).bind(ts(held_at)).bind(sealed).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "case_record", record_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}, meeting held", handle.procedure_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Cancels a planned meeting (it then no longer blocks the other person's meeting at that time).
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "cancel_meeting", procedure = %handle.procedure_id, record = %record_id))]
    pub async fn cancel_meeting(
        &self,
        handle: &CaseHandle,
        record_id: Uuid,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (meta, version, _) = self.open_record(&mut tx, handle, record_id).await?;
        if meta.kind != RecordKind::Meeting.as_str() || meta.status != PLANNED {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        if version != expected_version {
            return Err(StoreError::Conflict("record changed since it was read"));
        }
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE case_record SET status = $2, updated_at = $3, version = version + 1 WHERE id = $1")
            .bind(record_id).bind(CANCELLED).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        let sequence = u32::try_from(expected_version).unwrap_or(u32::MAX);
        let slot = MeetingSlot::new(meta.occurs_at, meta.ends_at.map(|t| t.to_jiff()), MeetingWith::GroupOnly);
        self.invite_group(&mut tx, handle, record_id, sequence, slot, true).await?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "case_record", record_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("procedure {}, meeting cancelled", handle.procedure_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One record, decrypted, for its edit page. The read is audited.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "case_record", procedure = %handle.procedure_id, record = %record_id))]
    pub async fn case_record(&self, handle: &CaseHandle, record_id: Uuid) -> Result<CaseRecord, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (meta, version, body) = self.open_record(&mut tx, handle, record_id).await?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "case_record", record_id)
                .in_tenant(Some(handle.tenant_id)),
        )
        .await?;
        tx.commit().await?;
        record_from(meta, version, body)
    }

    /// The case's records, decrypted, in date order. The caller audits the read (the procedure page does, with its
    /// forms).
    pub(crate) async fn records_in(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        only: Option<RecordKind>,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        let keys = self.keys.scope_keys(tx, handle.tenant_id, self.now()).await?;
        records_with(tx, &keys, handle, only).await
    }

    /// Tells the case's group members (but the one acting) of a planned, moved or cancelled meeting, in the app
    /// and by e-mail with a calendar invitation whose UID is the record's id.
    async fn invite_group(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        record_id: Uuid,
        sequence: u32,
        slot: MeetingSlot,
        cancelled: bool,
    ) -> Result<(), StoreError> {
        let members: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT account_id FROM group_member WHERE procedure_id = $1 AND account_id <> $2 AND left_at IS NULL \
             ORDER BY account_id")
            .bind(handle.procedure_id).bind(handle.principal().account_id).fetch_all(c).await)?;
        let recipients: Vec<Uuid> = members.into_iter().map(|(id,)| id).collect();
        if recipients.is_empty() {
            return Ok(());
        }
        let meeting =
            crate::notify::Meeting { uid: record_id, sequence, start: slot.starts_at, end: slot.ends_at, cancelled };
        self.notify_meeting_in(tx, handle, &recipients, &meeting).await
    }

    /// The presence rules for a meeting with the person experiencing violence (a child is not invited; a person who
    /// cannot cope comes with a companion): read from the persons of the case's forms A, decrypted here for the rule
    /// only (the user planning the meeting already sees the case).
    async fn check_presence(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        answers: &ValidatedAnswers,
        starts_at: Timestamp,
    ) -> Result<(), StoreError> {
        let with = answers.get("meeting", "with_whom").map(Value::to_raw).and_then(|w| MeetingWith::parse(&w));
        if with != Some(MeetingWith::AffectedPerson) {
            return Ok(());
        }
        let forms: Vec<(Uuid, String, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, version, answers_enc FROM procedure_form WHERE procedure_id = $1 AND kind = 'A'")
            .bind(handle.procedure_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, handle.tenant_id, self.now()).await?;
        let mut persons = Vec::new();
        for (form_id, version, sealed) in forms {
            let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
            let form = super::read_form("A", &version, &json)?;
            // A stored form A passed these rules when it was filed; one that no longer parses adds nobody.
            if let Ok(named) = domain::procedure::intake::persons_of_form_a(&form) {
                persons.extend(named.into_iter().map(|n| n.person));
            }
        }
        let text = |field: &str| answers.get("meeting", field).map(Value::to_raw);
        let refusal = presence_refusal(
            MeetingWith::AffectedPerson,
            AffectedPresence::on(&persons, starts_at.to_zoned(domain::calendar::poland_zone()).date()),
            text("child_represented_by").as_deref(),
            text("companion").as_deref(),
        );
        match refusal {
            Some((path, code)) => Err(StoreError::invalid(path, code)),
            None => Ok(()),
        }
    }

    async fn seal(&self, tx: &mut Tx, tenant_id: Uuid, id: Uuid, body: &Body) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant_id, self.now()).await?;
        let json = serde_json::to_vec(body).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes("case_record.body", id, &json)
    }

    /// A record of this case with its version and decrypted body; `NotFound` when it belongs to another case.
    async fn open_record(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        record_id: Uuid,
    ) -> Result<(RecordMeta, i64, Body), StoreError> {
        let row: Option<StoredRecord> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, kind, occurs_at, ends_at, status, tag, version, body_enc, clock_done_at, due_at FROM case_record \
             WHERE id = $1 AND procedure_id = $2")
            .bind(record_id).bind(handle.procedure_id).fetch_optional(c).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let keys = self.keys.scope_keys(tx, handle.tenant_id, self.now()).await?;
        row.open(&keys)
    }
}

/// A record row as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredRecord {
    id: Uuid,
    kind: String,
    occurs_at: jiff_sqlx::Timestamp,
    ends_at: Option<jiff_sqlx::Timestamp>,
    status: String,
    tag: Option<String>,
    version: i64,
    body_enc: Vec<u8>,
    /// The record's clock (`super::view::clock_of`): when it was stopped, and a plan item's due day.
    clock_done_at: Option<jiff_sqlx::Timestamp>,
    due_at: Option<jiff_sqlx::Timestamp>,
}

impl StoredRecord {
    /// Decrypts the body; its clear columns become the meta.
    fn open(self, keys: &crate::crypto::ScopeKeys) -> Result<(RecordMeta, i64, Body), StoreError> {
        let json = keys.decrypt_bytes("case_record.body", self.id, &self.body_enc)?;
        let body: Body = serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("case record", &e))?;
        let meta = RecordMeta {
            id: self.id,
            kind: self.kind,
            occurs_at: self.occurs_at.to_jiff(),
            ends_at: self.ends_at,
            status: self.status,
            tag: self.tag,
        };
        Ok((meta, self.version, body))
    }
}

fn record_from(meta: RecordMeta, version: i64, body: Body) -> Result<CaseRecord, StoreError> {
    let kind =
        RecordKind::parse(&meta.kind).ok_or_else(|| StoreError::Corrupt(format!("unknown record {}", meta.kind)))?;
    Ok(CaseRecord {
        id: meta.id,
        kind,
        occurs_at: meta.occurs_at,
        ends_at: meta.ends_at.map(|t| t.to_jiff()),
        status: meta.status,
        tag: meta.tag,
        version,
        answers: body.answers,
        minutes: body.minutes,
        history: body.history,
    })
}

/// Refuses a meeting that would bring the two persons together, or that ends before it starts.
async fn check_meeting_slot(
    tx: &mut Tx,
    procedure_id: Uuid,
    except: Option<Uuid>,
    answers: &ValidatedAnswers,
    starts_at: Timestamp,
    ends_at: Option<Timestamp>,
) -> Result<(), StoreError> {
    if let Some(code) = end_refusal(starts_at, ends_at) {
        return Err(StoreError::invalid("meeting.ends_at", code));
    }
    let with_whom = tag_of(RecordKind::Meeting, answers).as_deref().and_then(MeetingWith::parse);
    let Some(with_whom) = with_whom else { return Err(StoreError::invalid("meeting.with_whom", "err-required")) };
    let rows: Vec<RecordMeta> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, kind, occurs_at, ends_at, status, tag FROM case_record \
         WHERE procedure_id = $1 AND kind = 'meeting' AND status = 'planned'")
        .bind(procedure_id).fetch_all(c).await)?;
    let planned: Vec<MeetingSlot> = rows
        .into_iter()
        .filter(|r| Some(r.id) != except)
        .filter_map(|r| {
            let with = r.tag.as_deref().and_then(MeetingWith::parse)?;
            Some(MeetingSlot::new(r.occurs_at, r.ends_at.map(|t| t.to_jiff()), with))
        })
        .collect();
    let slot = MeetingSlot::new(starts_at, ends_at, with_whom);
    match separation_refusal(&slot, &planned) {
        Some(code) => Err(StoreError::invalid("meeting.starts_at", code)),
        None => Ok(()),
    }
}

/// Reads a posted record against its definition (for the API and the pages alike).
pub fn validate_record(kind: RecordKind, answers: &Answers) -> Result<ValidatedAnswers, domain::FieldErrors> {
    validate(record_definition(kind), answers)
}

/// [`Store::records_in`] with the scope's keys the caller has already read (the procedure page reads them once).
pub(crate) async fn records_with(
    tx: &mut Tx,
    keys: &crate::crypto::ScopeKeys,
    handle: &CaseHandle,
    only: Option<RecordKind>,
) -> Result<Vec<CaseRecord>, StoreError> {
    stored_records(tx, handle, only).await?.into_iter().map(|row| open_record_row(row, keys)).collect()
}

/// Every record of the case as [`records_with`] gives them, with the clocks they keep (as
/// `super::view::record_clocks` reads them), from the rows of [`queue_records`].
pub(crate) fn records_with_clocks(
    rows: Vec<StoredRecord>,
    keys: &crate::crypto::ScopeKeys,
) -> Result<(Vec<CaseRecord>, Vec<super::view::RecordClock>), StoreError> {
    let clocks = rows
        .iter()
        .filter_map(|r| super::view::clock_of(&r.kind, r.tag.as_deref(), r.occurs_at, r.clock_done_at, r.due_at))
        .collect();
    let records = rows.into_iter().map(|row| open_record_row(row, keys)).collect::<Result<_, _>>()?;
    Ok((records, clocks))
}

async fn stored_records(
    tx: &mut Tx,
    handle: &CaseHandle,
    only: Option<RecordKind>,
) -> Result<Vec<StoredRecord>, StoreError> {
    Batch::fetch_all(tx, |batch| queue_records(batch, handle, only)).await
}

/// Queues the read of the case's records; `only` narrows the read, and so what is decrypted, to one kind.
pub(crate) fn queue_records(batch: &mut Batch, handle: &CaseHandle, only: Option<RecordKind>) -> Slot<StoredRecord> {
    // NULL means every kind.
    batch
        .push(
            "SELECT id, kind, occurs_at, ends_at, status, tag, version, body_enc, clock_done_at, due_at FROM case_record \
             WHERE procedure_id = $1 AND ($2 IS NULL OR kind = $2) ORDER BY occurs_at, id",
        )
        .bind(handle.procedure_id)
        .bind(only.map(RecordKind::as_str))
        .slot()
}

fn open_record_row(row: StoredRecord, keys: &crate::crypto::ScopeKeys) -> Result<CaseRecord, StoreError> {
    let (meta, version, body) = row.open(keys)?;
    record_from(meta, version, body)
}
