//! The command log from which the domain rebuilds a case's state: applying a step at its real date, in its place
//! among the recorded ones, under the version read; reading the log back.

use domain::audit::AuditAction;
use domain::procedure::lifecycle::{Command, ProcedureState, replay};
use jiff::Timestamp;
use uuid::Uuid;

use super::CaseHandle;
use crate::db::on_tx;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// The message naming the route that takes `command` with its document (form C, D or A, or the transfer package),
/// or `None` for a step that needs no document.
pub fn needs_document(command: &Command) -> Option<&'static str> {
    match command {
        Command::RecordFormC => Some("err-command-needs-form-c"),
        Command::RecordFormD => Some("err-command-needs-form-d"),
        Command::AttachFurtherIncident | Command::ReopenFromMonitoring => Some("err-command-needs-form-a"),
        Command::TransferOut => Some("err-command-needs-package"),
        _ => None,
    }
}

/// A step refused for its date, as a field error naming the event in its way (the web layer words the event).
pub(crate) fn misplaced_error(field: &'static str, m: domain::procedure::timing::Misplaced) -> StoreError {
    use domain::procedure::timing::Misplaced;
    let mut errors = domain::validation::FieldErrors::new();
    match m {
        Misplaced::BeforeEvent { event, at } | Misplaced::ConflictsWithLater { event, at } => {
            errors.add_with(field, m.code(), vec![("event", event.as_str().to_owned()), ("date", polish_datetime(at))]);
        }
        Misplaced::InFuture => errors.add(field, m.code()),
        // Refused whatever the date: the step itself is the problem, not its date.
        Misplaced::Refused(_) => errors.add("command", m.code()),
    }
    StoreError::Invalid(errors)
}

/// "3.03.2026 10:00" in Polish time, as the messages name a date.
pub(crate) fn polish_datetime(at: Timestamp) -> String {
    at.to_zoned(domain::calendar::poland_zone()).strftime("%-d.%m.%Y %H:%M").to_string()
}

/// The state rebuilt from the command log in event order, the row's version, and the last command's sequence number.
pub(super) async fn load_state(tx: &mut Tx, procedure_id: Uuid) -> Result<(ProcedureState, i64, i64), StoreError> {
    let (opened_at, commands, version, seq) = load_log(tx, procedure_id).await?;
    let state = replay(opened_at, &domain::procedure::timing::in_event_order(&commands))
        .map_err(|e| StoreError::Corrupt(format!("command log replay: {}", e.code())))?;
    Ok((state, version, seq))
}

/// The opening instant, the command log in the order of entry, the row's version and the last sequence number.
#[allow(clippy::type_complexity)] // the four facts a step is placed with
pub(super) async fn load_log(
    tx: &mut Tx,
    procedure_id: Uuid,
) -> Result<(Timestamp, Vec<(Command, Timestamp)>, i64, i64), StoreError> {
    let (opened_at, version): (jiff_sqlx::Timestamp, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT opened_at, version FROM procedure WHERE id = $1").bind(procedure_id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)?;
    let rows: Vec<(i64, String, jiff_sqlx::Timestamp)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT seq, command, at FROM procedure_command WHERE procedure_id = $1 ORDER BY seq").bind(procedure_id).fetch_all(c).await)?;
    let mut commands = Vec::with_capacity(rows.len());
    for (_, json, at) in &rows {
        let command: Command = serde_json::from_str(json).map_err(|e| StoreError::corrupt_json("command log", &e))?;
        commands.push((command, at.to_jiff()));
    }
    // An undone closing left the log but keeps its sequence number in its record: never reused.
    let (undone,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COALESCE(MAX(command_seq), 0) FROM procedure_closing WHERE procedure_id = $1")
        .bind(procedure_id).fetch_one(c).await)?;
    let last = rows.last().map_or(0, |(s, _, _)| *s).max(undone);
    Ok((opened_at.to_jiff(), commands, version, last))
}

impl Store {
    /// Applies a command of the support group (meetings, forms C and D recorded, closing, monitoring). The team and
    /// the group may; an initiator may not. The group's appointment and referral steps have their own methods, which
    /// check who may take them ([`Store::appoint_group`], [`Store::referral_step`]).
    pub async fn apply_procedure_command(
        &self,
        handle: &CaseHandle,
        command: &Command,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        self.apply_procedure_command_at(handle, command, None, expected_version).await
    }

    /// [`Store::apply_procedure_command`] for a step that happened at `occurred_at` (default now): never in the
    /// future, never before the events it follows; a refusal for the date is a field error on `occurred_at`. Closing
    /// goes through [`Store::close_procedure`], which keeps its record.
    pub async fn apply_procedure_command_at(
        &self,
        handle: &CaseHandle,
        command: &Command,
        occurred_at: Option<Timestamp>,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() || matches!(command, Command::AppointGroup { .. } | Command::Referral { .. })
        {
            return Err(StoreError::NotFound);
        }
        // Steps that stand for a document are taken only with the document: a bare step would show a form on the
        // timeline that is stored nowhere and counted by no figure.
        if let Some(code) = needs_document(command) {
            return Err(StoreError::invalid("command", code));
        }
        // A closing is never one click: it goes with its record, through its confirmation (`close_procedure`).
        if matches!(command, Command::Close { .. }) {
            return Err(StoreError::invalid("command", "err-close-needs-record"));
        }
        let mut tx = self.db.begin().await?;
        let state = self.apply_at(&mut tx, handle, command, occurred_at, "occurred_at", expected_version).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// Applies `command` as happening now (see [`Store::apply_at`]).
    pub(super) async fn apply_in(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        command: &Command,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        self.apply_at(tx, handle, command, None, "occurred_at", expected_version).await
    }

    /// Applies `command` as having happened at `occurred_at` (default: now), records it with the moment of entry,
    /// bumps the version. The step takes its place among the recorded ones in event order
    /// (`domain::procedure::timing::place`); a date in the future, before an event it must follow, or contradicting a
    /// later recorded step is refused under `field`, naming that event and its date.
    #[allow(clippy::too_many_arguments)] // one step: on what, which, when, where its date was typed, the version read
    pub(crate) async fn apply_at(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        command: &Command,
        occurred_at: Option<Timestamp>,
        field: &'static str,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        let (opened_at, log, version, seq) = load_log(tx, handle.procedure_id).await?;
        if version != expected_version {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let now = self.now();
        let at = occurred_at.unwrap_or(now);
        let next = domain::procedure::timing::place(opened_at, &log, command, at, now)
            .map_err(|m| misplaced_error(field, m))?;
        let json = serde_json::to_string(command).map_err(|e| StoreError::Internal(e.to_string()))?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure_command (procedure_id, seq, command, kind, at, actor_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(handle.procedure_id).bind(seq + 1).bind(json).bind(command.as_str()).bind(ts(at))
            .bind(handle.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        let updated = on_tx!(tx, c => sqlx::query(
            "UPDATE procedure SET phase = $2, version = version + 1, updated_at = $3 WHERE id = $1 AND version = $4")
            .bind(handle.procedure_id).bind(next.phase().as_str()).bind(ts(now)).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if updated != 1 {
            return Err(StoreError::Conflict("procedure changed since it was read"));
        }
        let detail =
            if at == now { command.as_str().to_owned() } else { format!("{}; occurred at {at}", command.as_str()) };
        self.audit(
            tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Update, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(detail),
        )
        .await?;
        Ok(next)
    }
}

impl Store {
    /// The case's current version, for a page that will post a change.
    pub async fn procedure_version(&self, handle: &CaseHandle) -> Result<i64, StoreError> {
        let row: (i64,) = crate::db::on_pool!(&self.db, p => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(p).await)?;
        Ok(row.0)
    }
}
