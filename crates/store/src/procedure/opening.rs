//! Opening a procedure by form A: recognising the people already in a running case (the pending intakes that
//! follow from it are in `intake`), numbering the case, and attaching a further form A to a matched case.

use crate::Caller;
use domain::audit::AuditAction;
use domain::forms::{FormKind, FormVersion, ValidatedAnswers};
use domain::procedure::intake::{persons_of_form_a, recognition_keys};
use domain::procedure::lifecycle::{Command, PhaseKind, ProcedureState};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle, date_field, declares_firearm, filled_at};
use crate::db::on_tx;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// An open procedure that the people of a new form A already appear in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedProcedure {
    pub id: Uuid,
    pub number: String,
    pub phase: String,
}

/// What submitting a form A did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAIntake {
    /// A new procedure was opened.
    Opened { id: Uuid, number: String },
    /// Nothing was stored: the people are already in these procedures. Attach the form to one of them as a further
    /// incident, or submit again asking for a new procedure. Only the team's staff are told this.
    AlreadyKnown { procedures: Vec<MatchedProcedure> },
    /// The people are already in a case and the filer is not the team's staff: the form is kept as a pending intake
    /// for the staff, who attach it or open a new procedure. The filer must be answered exactly as for `Opened`,
    /// without the case's number: whether anything matched is not theirs to learn.
    Forwarded { intake_id: Uuid },
}

pub(super) const MATCH_PURPOSE: &str = "person-match";

/// Whether form A says every suspected person was present at its filling: `Some(true)` only when each answered
/// "yes"; `Some(false)` when someone was absent; `None` when not known for everyone (the notice clock then runs).
pub(super) fn all_suspects_present(answers: &ValidatedAnswers) -> Option<bool> {
    let answers: Vec<Option<String>> = answers
        .items("suspected_persons")
        .iter()
        .map(|p| p.get("present_at_opening").map(domain::forms::Value::to_raw))
        .collect();
    if answers.iter().any(|a| a.as_deref() == Some("no")) {
        Some(false)
    } else if !answers.is_empty() && answers.iter().all(|a| a.as_deref() == Some("yes")) {
        Some(true)
    } else {
        None
    }
}

pub(super) async fn matching_procedures(
    tx: &mut Tx,
    tenant_id: Uuid,
    hashes: &[Vec<u8>],
) -> Result<Vec<MatchedProcedure>, StoreError> {
    let mut found: Vec<MatchedProcedure> = Vec::new();
    for hash in hashes {
        let rows: Vec<(Uuid, String, String)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT p.id, p.number, p.phase FROM person_match m JOIN procedure p ON p.id = m.procedure_id \
             WHERE m.tenant_id = $1 AND m.key_hash = $2")
            .bind(tenant_id).bind(hash).fetch_all(c).await)?;
        for (id, number, phase) in rows {
            if PhaseKind::parse(&phase).is_some_and(PhaseKind::is_live) && !found.iter().any(|f| f.id == id) {
                found.push(MatchedProcedure { id, number, phase });
            }
        }
    }
    found.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(found)
}

impl Store {
    /// Opens a procedure with a validated form A. Unless `new_despite_match`, a form A about people already in a
    /// running or monitored procedure of the same municipality opens nothing and names those procedures instead.
    /// `filled_at` is the moment written on the form (a paper form entered later keeps its own time).
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "open_procedure", account = %caller.principal.account_id))]
    pub async fn open_procedure(
        &self,
        caller: &Caller<'_>,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
    ) -> Result<FormAIntake, StoreError> {
        self.open_with(caller, answers, new_despite_match, false).await
    }

    /// Opens a procedure with a form A that was filled on paper and is typed in by the team's staff (chair, deputy,
    /// secretary): the form keeps the date and time written on it, the initiator is the person named in its part
    /// XIV, and the form is marked as entered from paper by this account. Anyone else gets `NotFound`.
    pub async fn open_procedure_from_paper(
        &self,
        caller: &Caller<'_>,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
    ) -> Result<FormAIntake, StoreError> {
        if !caller.principal.roles.permits(domain::identity::Permission::ManageProcedures) {
            return Err(StoreError::NotFound);
        }
        self.open_with(caller, answers, new_despite_match, true).await
    }

    async fn open_with(
        &self,
        caller: &Caller<'_>,
        answers: &ValidatedAnswers,
        new_despite_match: bool,
        from_paper: bool,
    ) -> Result<FormAIntake, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let def = answers.definition();
        if def.kind != FormKind::A {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        // A case is opened on the 2011 form only when it is typed in from paper: it runs on since before 2023.
        if def.version == FormVersion::V2011 && !from_paper {
            return Err(StoreError::invalid("form", "err-form-2011-paper-only"));
        }
        let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid(date_field(answers), "err-date-in-future"));
        }
        let day = filled_at.to_zoned(domain::calendar::poland_zone()).date();
        if let Some(code) = domain::procedure::intake::form_a_date_fits_version(def.version, day) {
            return Err(StoreError::invalid(date_field(answers), code));
        }
        let mut tx = self.db.begin().await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let raw_keys = recognition_keys(&persons);
        let hashes: Vec<Vec<u8>> = raw_keys.iter().map(|k| keys.blind_index(MATCH_PURPOSE, k)).collect();
        // Recognition is a look-up in the people of every case: always made, always audited, and its result is shown
        // only to the team's staff. Anyone else's form about people already in a case goes to the staff as a
        // pending intake, and the filer is answered as if nothing matched (no recognition oracle).
        let known = matching_procedures(&mut tx, tenant_id, &hashes).await?;
        let staff = crate::access::is_current_staff(&mut tx, self, caller.principal).await?;
        self.audit_recognition(&mut tx, caller, tenant_id, &raw_keys, &known).await?;
        if !known.is_empty() && !staff {
            let intake_id = self.store_intake(&mut tx, caller.principal, tenant_id, answers, filled_at, &known).await?;
            tx.commit().await?;
            return Ok(FormAIntake::Forwarded { intake_id });
        }
        if !known.is_empty() && !new_despite_match {
            tx.commit().await?;
            return Ok(FormAIntake::AlreadyKnown { procedures: known });
        }
        let (id, number) =
            self.open_in(&mut tx, caller, caller.principal.account_id, answers, filled_at, from_paper, &hashes).await?;
        tx.commit().await?;
        Ok(FormAIntake::Opened { id, number })
    }

    /// Opens the procedure of a checked form A inside `tx`: its number, its row, the form (entered by `filer`, the
    /// initiator), the firearm step, the recognition keys, the audit entry.
    #[allow(clippy::too_many_arguments)] // one opening: who, what, when, how, the keys it brings
    pub(crate) async fn open_in(
        &self,
        tx: &mut Tx,
        caller: &Caller<'_>,
        filer: Uuid,
        answers: &ValidatedAnswers,
        filled_at: Timestamp,
        from_paper: bool,
        hashes: &[Vec<u8>],
    ) -> Result<(Uuid, String), StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let def = answers.definition();
        let now = self.now();
        let id = Uuid::now_v7();
        let year = filled_at.to_zoned(domain::calendar::poland_zone()).year();
        let (seq,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "INSERT INTO procedure_number (tenant_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (tenant_id, year) DO UPDATE SET last = procedure_number.last + 1 RETURNING last")
            .bind(tenant_id).bind(i32::from(year)).fetch_one(c).await)?;
        let number = format!("NK/{year}/{seq:04}");
        let (state, _) = ProcedureState::open(filled_at);
        // Not personal data: the category of service that opened the case (who notifies the firearms unit, art. 9f).
        let initiator_category = answers.get("filled_by", "category").map(domain::forms::Value::to_raw);
        let suspects_present = all_suspects_present(answers);
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO procedure (id, tenant_id, number, form_version, opened_at, initiator_id, phase, created_at, updated_at, initiator_category, suspects_present) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)")
            .bind(id).bind(tenant_id).bind(&number).bind(def.version.as_str()).bind(ts(filled_at))
            .bind(filer).bind(state.phase().as_str()).bind(ts(now)).bind(initiator_category)
            .bind(suspects_present)
            .execute(c).await.map(|r| r.rows_affected()))?;
        let actor = caller.actor();
        self.insert_form(tx, &actor, Some(filer), tenant_id, id, answers, filled_at, from_paper).await?;
        // A firearm held by the person using violence starts the immediate notification at once (art. 9f).
        if declares_firearm(answers) {
            let handle = CaseHandle {
                procedure_id: id,
                tenant_id,
                access: CaseAccess::Team,
                principal: caller.principal.clone(),
                address: caller.address.clone(),
            };
            // On the form's own date: a firearm declared on a paper form typed in later started its clock then.
            self.apply_at(tx, &handle, &Command::RecordFirearm, Some(filled_at), "header.filled_at", 1).await?;
        }
        for hash in hashes {
            on_tx!(tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(tenant_id).bind(hash).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        self.audit(
            tx,
            &actor,
            &AuditRecord::new(AuditAction::Create, "procedure", id).in_tenant(Some(tenant_id)).detail(&number),
        )
        .await?;
        Ok((id, number))
    }

    /// Attaches a form A about people already in a running or monitored case to that case as a further incident
    /// (procedure.md §2.2 step 16). The team's staff only (a form from anyone else reaches the case through a pending
    /// intake, [`Store::resolve_intake`]). Allowed only when the form's people match the case by their
    /// recognition keys: a form cannot be attached to an unrelated case. A case in monitoring is reopened.
    pub async fn attach_form_a(
        &self,
        caller: &Caller<'_>,
        procedure_id: Uuid,
        answers: &ValidatedAnswers,
    ) -> Result<ProcedureState, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        if answers.definition().kind != FormKind::A {
            return Err(StoreError::invalid("form", "err-unknown-field"));
        }
        let persons = persons_of_form_a(answers).map_err(StoreError::Invalid)?;
        let filled_at = filled_at(answers)?;
        if filled_at > self.now() {
            return Err(StoreError::invalid("header.filled_at", "err-date-in-future"));
        }
        let mut tx = self.db.begin().await?;
        // Only the staff learn which cases a form's people are in, so only they attach to one (anyone else's form
        // goes to them as a pending intake: `open_procedure`).
        if !crate::access::is_current_staff(&mut tx, self, caller.principal).await? {
            return Err(StoreError::NotFound);
        }
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let raw_keys = recognition_keys(&persons);
        let hashes: Vec<Vec<u8>> = raw_keys.iter().map(|k| keys.blind_index(MATCH_PURPOSE, k)).collect();
        let known = matching_procedures(&mut tx, tenant_id, &hashes).await?;
        self.audit_recognition(&mut tx, caller, tenant_id, &raw_keys, &known).await?;
        let Some(case) = known.into_iter().find(|p| p.id == procedure_id) else { return Err(StoreError::NotFound) };
        let command = if PhaseKind::parse(&case.phase) == Some(PhaseKind::Closed) {
            Command::ReopenFromMonitoring
        } else {
            Command::AttachFurtherIncident
        };
        let version: (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
            .bind(procedure_id).fetch_one(c).await)?;
        let handle = CaseHandle {
            procedure_id,
            tenant_id,
            access: CaseAccess::Initiator,
            principal: caller.principal.clone(),
            address: caller.address.clone(),
        };
        let state = self.apply_at(&mut tx, &handle, &command, Some(filled_at), "header.filled_at", version.0).await?;
        let actor = caller.actor();
        self.insert_form(&mut tx, &actor, actor.account_id, tenant_id, procedure_id, answers, filled_at, false).await?;
        let state = self.firearm_of_further_form(&mut tx, &handle, answers, state, filled_at).await?;
        for hash in &hashes {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(tenant_id).bind(hash).bind(procedure_id).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(state)
    }
}
