//! Recognition without an oracle. Submitting a form A looks its people up in every case of the municipality; the
//! look-up is audited (who, which kinds of key, which cases matched: never a PESEL or a name) and its result is the
//! team staff's to see. A form A from anyone else about people already in a case is kept here as a pending intake,
//! for the staff to attach to the matched case as a further form A or to open a new procedure with; the filer is
//! answered as if nothing had matched.

use crate::Caller;
use domain::audit::AuditAction;
use domain::forms::{FormKind, ValidatedAnswers};
use domain::procedure::intake::{persons_of_form_a, recognition_keys};
use domain::procedure::lifecycle::{Command, PhaseKind};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle, MATCH_PURPOSE, MatchedProcedure, matching_procedures, read_form};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// A form A waiting for the team's staff, with the running cases its people were found in (no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingIntake {
    pub id: Uuid,
    /// The login of the account that submitted it.
    pub filed_by: String,
    pub filled_at: Timestamp,
    pub received_at: Timestamp,
    /// The matched cases as they stand now (a case closed since is still listed, with its phase).
    pub matched: Vec<MatchedProcedure>,
}

/// What the staff do with a pending intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeResolution {
    /// Attach the form to this matched case as a further form A (a case in monitoring is reopened).
    Attach(Uuid),
    /// Open a new procedure with it.
    OpenNew,
}

type IntakeRow = (Uuid, String, String, Vec<u8>, jiff_sqlx::Timestamp);

impl Store {
    /// Whether this account is told which cases a form A's people are in (the team's staff today: role, standing in
    /// the register, declaration). Anyone else must be answered the same whether the form opened a case or went to
    /// the staff as a pending intake.
    pub async fn sees_recognition(&self, principal: &Principal) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let staff = crate::access::is_current_staff(&mut tx, self, principal).await?;
        tx.commit().await?;
        Ok(staff)
    }

    /// The audit entry of one recognition look-up: the kinds of the keys looked up (`pesel`, `name-dob`) and the ids
    /// of the matched cases.
    pub(super) async fn audit_recognition(
        &self,
        tx: &mut Tx,
        caller: &Caller<'_>,
        tenant_id: Uuid,
        raw_keys: &[String],
        known: &[MatchedProcedure],
    ) -> Result<(), StoreError> {
        let mut kinds: Vec<&str> = raw_keys.iter().filter_map(|k| k.split(':').next()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let matched: Vec<String> = known.iter().map(|p| p.id.to_string()).collect();
        let detail = format!(
            "recognition look-up; keys: {}; matched: {}",
            if kinds.is_empty() { "none".to_owned() } else { kinds.join(",") },
            if matched.is_empty() { "none".to_owned() } else { matched.join(",") }
        );
        self.audit(
            tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "person_match", Uuid::now_v7())
                .in_tenant(Some(tenant_id))
                .detail(detail),
        )
        .await?;
        Ok(())
    }

    /// Keeps a form A for the staff, with the cases it matched; audited as created.
    pub(super) async fn store_intake(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant_id: Uuid,
        answers: &ValidatedAnswers,
        filled_at: Timestamp,
        known: &[MatchedProcedure],
    ) -> Result<Uuid, StoreError> {
        let id = Uuid::now_v7();
        let keys = self.keys.scope_keys(tx, tenant_id, self.now()).await?;
        let json = serde_json::to_vec(&answers.to_answers()).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = keys.encrypt_bytes("form_a_intake.answers", id, &json)?;
        let matched: Vec<String> = known.iter().map(|p| p.id.to_string()).collect();
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO form_a_intake (id, tenant_id, filed_by, version, answers_enc, filled_at, matched, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(tenant_id).bind(principal.account_id).bind(answers.definition().version.as_str())
            .bind(sealed).bind(ts(filled_at)).bind(matched.join(" ")).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            tx,
            &principal.actor(None),
            &AuditRecord::new(AuditAction::Create, "form_a_intake", id)
                .in_tenant(Some(tenant_id))
                .detail(format!("matched: {}", matched.join(","))),
        )
        .await?;
        // The staff hear of it in the same transaction: a form A's clocks run from its filling.
        let staff: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active AND r.role IN ('chair', 'deputy_chair', 'secretary') ORDER BY a.id")
            .bind(tenant_id).fetch_all(c).await)?;
        let staff: Vec<Uuid> = staff.into_iter().map(|(a,)| a).collect();
        let note = crate::notify::NewNotification {
            tenant_id,
            kind: crate::notify::NotificationKind::IntakePending,
            procedure_id: None,
            rule_id: None,
            once_key: None,
        };
        crate::notify::notify_in(self, tx, &staff, &note).await?;
        Ok(id)
    }

    /// The pending intakes of the municipality, oldest first. The team's staff only (role, standing, declaration);
    /// anyone else gets `NotFound`. No personal data is read.
    pub async fn pending_intakes(&self, principal: &Principal) -> Result<Vec<PendingIntake>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin_read().await?;
        if !crate::access::is_current_staff(&mut tx, self, principal).await? {
            return Err(StoreError::NotFound);
        }
        let rows: Vec<(Uuid, Option<String>, jiff_sqlx::Timestamp, jiff_sqlx::Timestamp, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT i.id, a.login, i.filled_at, i.created_at, i.matched FROM form_a_intake i \
                 LEFT JOIN account a ON a.id = i.filed_by \
                 WHERE i.tenant_id = $1 AND i.resolution IS NULL ORDER BY i.created_at, i.id")
                .bind(tenant_id).fetch_all(c).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, login, filled_at, created_at, matched) in rows {
            let mut cases = Vec::new();
            for raw in matched.split_whitespace() {
                let Ok(case_id) = raw.parse::<Uuid>() else { continue };
                let row: Option<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT number, phase FROM procedure WHERE id = $1 AND tenant_id = $2")
                    .bind(case_id).bind(tenant_id).fetch_optional(c).await)?;
                if let Some((number, phase)) = row {
                    cases.push(MatchedProcedure { id: case_id, number, phase });
                }
            }
            out.push(PendingIntake {
                id,
                filed_by: login.unwrap_or_default(),
                filled_at: filled_at.to_jiff(),
                received_at: created_at.to_jiff(),
                matched: cases,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The answers of a pending intake's form A, for the staff to compare with the matched case before they decide.
    /// The team's staff only; anyone else, or an intake already dealt with, gets `NotFound`. The read is audited.
    pub async fn pending_intake_form(
        &self,
        caller: &Caller<'_>,
        intake_id: Uuid,
    ) -> Result<ValidatedAnswers, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin().await?;
        if !crate::access::is_current_staff(&mut tx, self, caller.principal).await? {
            return Err(StoreError::NotFound);
        }
        let row: Option<(String, Vec<u8>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT version, answers_enc FROM form_a_intake WHERE id = $1 AND tenant_id = $2 AND resolution IS NULL")
            .bind(intake_id).bind(tenant_id).fetch_optional(c).await)?;
        let Some((version, sealed)) = row else { return Err(StoreError::NotFound) };
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let json = keys.decrypt_bytes("form_a_intake.answers", intake_id, &sealed)?;
        let answers = read_form("A", &version, &json)?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "form_a_intake", intake_id).in_tenant(Some(tenant_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(answers)
    }

    /// Resolves a pending intake: attaches its form to one of its matched cases (still running or monitored) as a
    /// further form A, or opens a new procedure with it. Either way the form is entered as the filer's (they read it
    /// back as their own form A). The team's staff only; anyone else, an intake already resolved or another
    /// municipality's, gets `NotFound`. Returns the case the form went to.
    pub async fn resolve_intake(
        &self,
        caller: &Caller<'_>,
        intake_id: Uuid,
        resolution: IntakeResolution,
    ) -> Result<Uuid, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin().await?;
        if !crate::access::is_current_staff(&mut tx, self, caller.principal).await? {
            return Err(StoreError::NotFound);
        }
        let row: Option<IntakeRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT filed_by, version, matched, answers_enc, filled_at FROM form_a_intake \
             WHERE id = $1 AND tenant_id = $2 AND resolution IS NULL")
            .bind(intake_id).bind(tenant_id).fetch_optional(c).await)?;
        let Some((filer, version, matched, sealed, filled_at)) = row else {
            return Err(StoreError::NotFound);
        };
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let json = keys.decrypt_bytes("form_a_intake.answers", intake_id, &sealed)?;
        let answers = read_form("A", &version, &json)?;
        if answers.definition().kind != FormKind::A {
            return Err(StoreError::Corrupt("a pending intake that is not a form A".into()));
        }
        let persons = persons_of_form_a(&answers).map_err(StoreError::Invalid)?;
        let raw_keys = recognition_keys(&persons);
        let hashes: Vec<Vec<u8>> = raw_keys.iter().map(|k| keys.blind_index(MATCH_PURPOSE, k)).collect();
        let filled_at = filled_at.to_jiff();
        let (procedure_id, outcome) = match resolution {
            IntakeResolution::OpenNew => {
                let (id, _) = self.open_in(&mut tx, caller, filer, &answers, filled_at, false, &hashes).await?;
                (id, "opened")
            }
            IntakeResolution::Attach(case_id) => {
                if !matched.split_whitespace().any(|m| m == case_id.to_string()) {
                    return Err(StoreError::NotFound);
                }
                // Still running or monitored, as recognition sees it now.
                let live = matching_procedures(&mut tx, tenant_id, &hashes).await?;
                self.audit_recognition(&mut tx, caller, tenant_id, &raw_keys, &live).await?;
                let Some(case) = live.into_iter().find(|p| p.id == case_id) else {
                    return Err(StoreError::invalid("procedure", "err-intake-case-not-running"));
                };
                let command = if PhaseKind::parse(&case.phase) == Some(PhaseKind::Closed) {
                    Command::ReopenFromMonitoring
                } else {
                    Command::AttachFurtherIncident
                };
                let (version,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as("SELECT version FROM procedure WHERE id = $1")
                    .bind(case_id).fetch_one(c).await)?;
                let handle = CaseHandle {
                    procedure_id: case_id,
                    tenant_id,
                    access: CaseAccess::Team,
                    principal: caller.principal.clone(),
                    address: caller.address.clone(),
                };
                let state =
                    self.apply_at(&mut tx, &handle, &command, Some(filled_at), "header.filled_at", version).await?;
                let actor = caller.actor();
                self.insert_form(&mut tx, &actor, Some(filer), tenant_id, case_id, &answers, filled_at, false).await?;
                self.firearm_of_further_form(&mut tx, &handle, &answers, state, filled_at).await?;
                for hash in &hashes {
                    on_tx!(&mut tx, c => sqlx::query(
                        "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(tenant_id).bind(hash).bind(case_id).execute(c).await.map(|r| r.rows_affected()))?;
                }
                (case_id, "attached")
            }
        };
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE form_a_intake SET resolution = $2, procedure_id = $3, resolved_by = $4, resolved_at = $5 WHERE id = $1")
            .bind(intake_id).bind(outcome).bind(procedure_id).bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "form_a_intake", intake_id)
                .in_tenant(Some(tenant_id))
                .detail(format!("{outcome}: procedure {procedure_id}")),
        )
        .await?;
        tx.commit().await?;
        Ok(procedure_id)
    }
}
