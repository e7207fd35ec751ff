//! The forms of a case: storing one sealed and indexed for search, adding form C, D or a further form A to a running
//! case with the step it stands for, reading a stored form back, and the dates a form carries.

use domain::audit::AuditAction;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::procedure::intake::{persons_of_form_a, recognition_keys};
use domain::procedure::lifecycle::{Command, PhaseKind, ProcedureState};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseHandle, MATCH_PURPOSE, search};
use crate::db::on_tx;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

fn form_definition(kind: &str, version: &str) -> Option<&'static domain::forms::FormDefinition> {
    let kind = [FormKind::A, FormKind::B, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == kind)?;
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == version)?;
    definition(kind, version)
}

/// The field that holds a form's date: `header.filled_at` on the 2023 form A, `header.date` on the others.
pub(super) fn date_field(answers: &ValidatedAnswers) -> &'static str {
    if answers.definition().field("header", "filled_at").is_some() { "header.filled_at" } else { "header.date" }
}

/// Whether a form A says the person using violence holds a firearm (part on firearms: "yes").
pub(super) fn declares_firearm(answers: &ValidatedAnswers) -> bool {
    matches!(answers.get("firearm", "has_firearm"), Some(domain::forms::Value::Choice("yes")))
}

/// When a form's step happened in the procedure: a form A's date and time; a form C or D carries a day only, so the
/// step is at that day's end (or now, if that is today): it follows the meeting of the same day at which it was
/// filled. The form itself keeps its date as written.
fn step_instant(answers: &ValidatedAnswers, filled_at: Timestamp, now: Timestamp) -> Timestamp {
    if matches!(answers.get("header", "filled_at"), Some(domain::forms::Value::DateTime(_))) {
        return filled_at;
    }
    let zone = domain::calendar::poland_zone();
    let day_end = filled_at
        .to_zoned(zone.clone())
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.to_zoned(zone).ok())
        .map_or(filled_at, |z| z.timestamp() - jiff::SignedDuration::from_micros(1));
    day_end.min(now)
}

pub(super) fn filled_at(answers: &ValidatedAnswers) -> Result<Timestamp, StoreError> {
    match answers.get("header", "filled_at") {
        Some(domain::forms::Value::DateTime(dt)) => dt
            .to_zoned(domain::calendar::poland_zone())
            .map(|z| z.timestamp())
            .map_err(|_| StoreError::invalid("header.filled_at", "err-datetime-format")),
        // Forms C and D carry a date only: the start of that day in Poland.
        _ => match answers.get("header", "date") {
            Some(domain::forms::Value::Date(d)) => d
                .to_zoned(domain::calendar::poland_zone())
                .map(|z| z.timestamp())
                .map_err(|_| StoreError::invalid("header.date", "err-date-format")),
            _ => Err(StoreError::invalid("header.filled_at", "err-required")),
        },
    }
}

/// Reads a stored form back into validated answers (the definition it was filled in).
pub(crate) fn read_form(kind: &str, version: &str, json: &[u8]) -> Result<ValidatedAnswers, StoreError> {
    let def =
        form_definition(kind, version).ok_or_else(|| StoreError::Corrupt(format!("unknown form {kind} {version}")))?;
    let answers: Answers =
        serde_json::from_slice(json).map_err(|e| StoreError::corrupt_json("stored form answers", &e))?;
    validate(def, &answers).map_err(|_| StoreError::Corrupt("a stored form no longer validates".into()))
}

impl Store {
    #[allow(clippy::too_many_arguments)] // one form row: where it goes, what it says, when and how it was filled
    pub(crate) async fn insert_form(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        entered_by: Option<Uuid>,
        tenant_id: Uuid,
        procedure_id: Uuid,
        answers: &ValidatedAnswers,
        filled_at: Timestamp,
        from_paper: bool,
    ) -> Result<Uuid, StoreError> {
        let form_id = Uuid::now_v7();
        let keys = self.keys.scope_keys(tx, tenant_id, self.now()).await?;
        let json = serde_json::to_vec(&answers.to_answers()).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = keys.encrypt_bytes("procedure_form.answers", form_id, &json)?;
        let def = answers.definition();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure_form (id, procedure_id, tenant_id, kind, version, answers_enc, filled_at, entered_by, created_at, entered_from_paper) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(form_id).bind(procedure_id).bind(tenant_id).bind(def.kind.as_str()).bind(def.version.as_str())
            .bind(sealed).bind(ts(filled_at)).bind(entered_by).bind(ts(self.now())).bind(from_paper)
            .execute(c).await.map(|r| r.rows_affected()))?;
        // The persons of every form are found by search from the moment it is stored.
        search::index_form(tx, &keys, tenant_id, procedure_id, form_id, answers).await?;
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "procedure_form", form_id).in_tenant(Some(tenant_id)).detail(
                format!(
                    "procedure {procedure_id}, form {}{}",
                    def.kind.as_str(),
                    if from_paper { ", entered from paper" } else { "" }
                ),
            ),
        )
        .await?;
        Ok(form_id)
    }

    /// Adds a filled form to a running case, with the step it stands for: form C or D (the group's meetings with the
    /// persons), or a further form A (a new incident; its people join the case's recognition keys). The team and the
    /// group may; the form must pass the person rules and the state machine must accept the step.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "add_form", procedure = %handle.procedure_id))]
    pub async fn add_form(
        &self,
        handle: &CaseHandle,
        answers: &ValidatedAnswers,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        let command = match answers.definition().kind {
            FormKind::A => Command::AttachFurtherIncident,
            FormKind::C => Command::RecordFormC,
            FormKind::D => Command::RecordFormD,
            FormKind::B | FormKind::Record(_) => return Err(StoreError::invalid("form", "err-unknown-field")),
        };
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid(date_field(answers), "err-date-in-future"));
        }
        let hashes = if command == Command::AttachFurtherIncident {
            let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
            recognition_keys(&persons)
        } else {
            Vec::new()
        };
        let mut tx = self.db.begin().await?;
        // A case keeps the forms it was opened on: a 2011 case gets 2011 forms C and D, a 2023 case 2023 ones.
        let (case_forms, phase): (String, String) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT form_version, phase FROM procedure WHERE id = $1").bind(handle.procedure_id).fetch_one(c).await)?;
        if case_forms != answers.definition().version.as_str() {
            return Err(StoreError::invalid("form", "err-form-version-mismatch"));
        }
        // A further form A during monitoring reopens the case (procedure.md §2.2 step 16).
        let command =
            if command == Command::AttachFurtherIncident && PhaseKind::parse(&phase) == Some(PhaseKind::Closed) {
                Command::ReopenFromMonitoring
            } else {
                command
            };
        let step_at = step_instant(answers, filled_at, self.now());
        let state =
            self.apply_at(&mut tx, handle, &command, Some(step_at), date_field(answers), expected_version).await?;
        let actor = handle.actor();
        self.insert_form(
            &mut tx,
            &actor,
            actor.account_id,
            handle.tenant_id,
            handle.procedure_id,
            answers,
            filled_at,
            false,
        )
        .await?;
        let state = self.firearm_of_further_form(&mut tx, handle, answers, state, step_at).await?;
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        for key in &hashes {
            let hash = keys.blind_index(MATCH_PURPOSE, key);
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(handle.tenant_id).bind(hash).bind(handle.procedure_id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(state)
    }

    /// A further form A (attached, or a pending intake resolved into the case) that declares a firearm starts the art.
    /// 9f notification exactly as the opening form does, unless a firearm is already recorded in the case (its
    /// notification runs or was made). Returns the state after it.
    pub(crate) async fn firearm_of_further_form(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        answers: &ValidatedAnswers,
        state: ProcedureState,
        at: Timestamp,
    ) -> Result<ProcedureState, StoreError> {
        if answers.definition().kind != FormKind::A
            || !declares_firearm(answers)
            || state.firearm_recorded_at().is_some()
        {
            return Ok(state);
        }
        let (version,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(c).await)?;
        // The firearm was declared when the form was filled: its notification clock runs from then.
        self.apply_at(tx, handle, &Command::RecordFirearm, Some(at), "header.filled_at", version).await
    }

    /// The case's version and the legal version of its forms: a case opened on the 2011 forms keeps them
    /// (procedure.md §3.1, migration note), so its forms C and D are the 2011 ones.
    pub async fn procedure_form_version(&self, handle: &CaseHandle) -> Result<(i64, FormVersion), StoreError> {
        let (version, forms): (i64, String) = crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT version, form_version FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(p).await)?;
        let forms = FormVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == forms)
            .ok_or_else(|| StoreError::Corrupt(format!("procedure {}: form version {forms}", handle.procedure_id)))?;
        Ok((version, forms))
    }
}
