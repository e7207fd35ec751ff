//! Drafts of forms being filled: form A, and forms C and D of a case. The pages save them as the user types (and
//! with a "save draft" button without JavaScript), so a half-filled form survives a closed tab, a lost connection or
//! an expired session.
//!
//! Guarantees:
//! - A draft belongs to the account that typed it: every function here takes the principal and touches only its own
//!   drafts; another account's draft id is `NotFound`.
//! - The answers are encrypted as one document; the list of drafts reads only clear columns (form, case, time).
//! - Opening a draft is a read of personal data and is audited; saving is not audited per keystroke (the author is
//!   writing their own text), but creating and discarding are.
//! - Housekeeping deletes drafts untouched for their municipality's retention period (`store::retention`; 30 days
//!   by default).

use crate::Caller;
use domain::audit::AuditAction;
use domain::forms::{Answers, FormKind};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

/// Which form a draft is of: form A (a new case, or a further incident) or a form of an open case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftOf {
    pub form: FormKind,
    pub procedure_id: Option<Uuid>,
}

/// A draft as the list shows it, without decrypting.
#[derive(Debug, Clone)]
pub struct DraftSummary {
    pub id: Uuid,
    pub form: String,
    pub procedure_id: Option<Uuid>,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: Uuid,
    form: String,
    procedure_id: Option<Uuid>,
    updated_at: jiff_sqlx::Timestamp,
}

fn tenant_of(principal: &Principal) -> Result<Uuid, StoreError> {
    principal.tenant_id.ok_or(StoreError::NotFound)
}

impl Store {
    /// Saves the answers typed so far: creates a draft when `id` is `None` (returns its id), else replaces the
    /// author's draft `id`. Nothing is validated: a draft may be anything the user has typed.
    pub async fn save_draft(
        &self,
        caller: &Caller<'_>,
        id: Option<Uuid>,
        of: DraftOf,
        answers: &Answers,
    ) -> Result<Uuid, StoreError> {
        let tenant_id = tenant_of(caller.principal)?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, now).await?;
        let json = serde_json::to_vec(answers).map_err(|e| StoreError::Internal(e.to_string()))?;
        let draft_id = id.unwrap_or_else(Uuid::now_v7);
        let sealed = keys.encrypt_bytes("form_draft.body", draft_id, &json)?;
        if let Some(id) = id {
            let updated = on_tx!(&mut tx, c => sqlx::query(
                "UPDATE form_draft SET body_enc = $1, updated_at = $2 WHERE id = $3 AND account_id = $4 AND form = $5")
                .bind(&sealed).bind(ts(now)).bind(id).bind(caller.principal.account_id).bind(of.form.as_str())
                .execute(c).await.map(|r| r.rows_affected()))?;
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
        } else {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO form_draft (id, tenant_id, account_id, form, procedure_id, body_enc, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                .bind(draft_id).bind(tenant_id).bind(caller.principal.account_id).bind(of.form.as_str())
                .bind(of.procedure_id).bind(&sealed).bind(ts(now))
                .execute(c).await.map(|r| r.rows_affected()))?;
            self.audit(
                &mut tx,
                &caller.actor(),
                &AuditRecord::new(AuditAction::Create, "form_draft", draft_id)
                    .in_tenant(Some(tenant_id))
                    .detail(format!("form {}", of.form.as_str())),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(draft_id)
    }

    /// The author's draft, decrypted, with what it is a draft of. The read is audited.
    pub async fn draft(&self, caller: &Caller<'_>, id: Uuid) -> Result<(DraftOf, Answers), StoreError> {
        let tenant_id = tenant_of(caller.principal)?;
        let mut tx = self.db.begin().await?;
        let row: Option<(String, Option<Uuid>, Vec<u8>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT form, procedure_id, body_enc FROM form_draft WHERE id = $1 AND account_id = $2")
            .bind(id).bind(caller.principal.account_id).fetch_optional(c).await)?;
        let (form, procedure_id, body) = row.ok_or(StoreError::NotFound)?;
        let form = FormKind::ALL
            .into_iter()
            .find(|k| k.as_str() == form)
            .ok_or_else(|| StoreError::Corrupt(format!("draft {id}: form {form}")))?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let json = keys.decrypt_bytes("form_draft.body", id, &body)?;
        let answers: Answers =
            serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json(format!("draft {id}"), &e))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "form_draft", id).in_tenant(Some(tenant_id)),
        )
        .await?;
        tx.commit().await?;
        Ok((DraftOf { form, procedure_id }, answers))
    }

    /// The author's drafts, newest first, optionally only those of one form (and case).
    pub async fn drafts(&self, principal: &Principal, of: Option<DraftOf>) -> Result<Vec<DraftSummary>, StoreError> {
        let (form, case) = match of {
            Some(of) => (Some(of.form.as_str()), of.procedure_id),
            None => (None, None),
        };
        let rows: Vec<DraftRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, form, procedure_id, updated_at FROM form_draft \
             WHERE account_id = $1 AND ($2 IS NULL OR form = $2) AND ($3 IS NULL OR procedure_id = $3) \
             ORDER BY updated_at DESC, id DESC")
            .bind(principal.account_id).bind(form).bind(case).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| DraftSummary {
                id: r.id,
                form: r.form,
                procedure_id: r.procedure_id,
                updated_at: r.updated_at.to_jiff(),
            })
            .collect())
    }

    /// Deletes the author's draft: discarded by the user, or submitted as a form. Deleting a draft that is already
    /// gone (a double submit) is not an error.
    pub async fn discard_draft(&self, caller: &Caller<'_>, id: Uuid) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let deleted = on_tx!(&mut tx, c => sqlx::query("DELETE FROM form_draft WHERE id = $1 AND account_id = $2")
            .bind(id).bind(caller.principal.account_id).execute(c).await.map(|r| r.rows_affected()))?;
        if deleted > 0 {
            self.audit(
                &mut tx,
                &caller.actor(),
                &AuditRecord::new(AuditAction::Delete, "form_draft", id).in_tenant(caller.principal.tenant_id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
