//! Releases of copies of the case documentation (issue 20, item 2): the chair's answer to an access request
//! (art. 9c ust. 4–5) with a redacted, watermarked copy.
//!
//! Guarantees:
//! - Only the chair or deputy chair, on a case they reach as the team's staff; anyone else gets `NotFound` here (the
//!   web refuses them earlier, by permission).
//! - The case read for a copy withholds every sealed value, unless the chair included them explicitly with a reason
//!   (`domain::procedure::release::check_request` refuses that for the person suspected of using violence).
//! - Each release is a row of `case_release`: what (the ids of the forms and records, the answer paths revealed), to
//!   whom, when, on what basis, by whom. The recipient, purpose, other basis and reason are encrypted; the audit
//!   detail, stored in clear, names only codes, counts and ids.

use domain::audit::AuditAction;
use domain::procedure::release::{ReleaseBasis, ReleaseRequest, Requester};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::seal::Audience;
use super::{CaseAccess, CaseHandle, ProcedureView};
use crate::db::on_tx;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// What a copy holds: no value, only ids and answer paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseContents {
    /// The forms released, by id.
    pub forms: Vec<Uuid>,
    /// The group's records released, by id.
    pub records: Vec<Uuid>,
    /// The third parties' values the chair revealed one by one: `<form id>:<answer path>`.
    pub revealed: Vec<String>,
    /// How many values were printed as redacted (third parties' data, sealed values not counted).
    pub redacted: usize,
    /// SHA-256 of the PDF handed over, hex.
    #[serde(skip)]
    pub digest: String,
}

/// A release as the chair's page and the data protection officer's register list it.
#[derive(Clone, PartialEq, Eq)]
pub struct ReleaseView {
    pub id: Uuid,
    pub released_at: Timestamp,
    pub released_by: Option<String>,
    pub requested_on: Date,
    pub requester: Requester,
    pub basis: ReleaseBasis,
    pub basis_other: Option<String>,
    pub recipient: String,
    pub purpose: String,
    pub contents: ReleaseContents,
    /// The chair's reason for including the sealed values; `None`: they were withheld.
    pub sealed_reason: Option<String>,
    pub digest: String,
}

impl std::fmt::Debug for ReleaseView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReleaseView({}, {}, [REDACTED])", self.id, self.basis.as_str())
    }
}

type ReleaseRow = (
    Uuid,
    jiff_sqlx::Timestamp,
    Option<String>,
    String,
    String,
    String,
    Vec<u8>,
    Vec<u8>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    String,
    String,
);

fn chair(handle: &CaseHandle) -> Result<(), StoreError> {
    if handle.access == CaseAccess::Team && crate::access::holds_chair_role(handle.principal()) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

impl Store {
    /// The case as a copy for outside prints it: every sealed value withheld, or all of them included when the
    /// chair chose so with a reason (recorded with the release). The read is audited as every case read is.
    pub async fn release_view(&self, handle: &CaseHandle, include_sealed: bool) -> Result<ProcedureView, StoreError> {
        chair(handle)?;
        let audience = if include_sealed { Audience::OutsideWithSealed } else { Audience::Outside };
        self.procedure_view_as(handle, audience).await
    }

    /// Records a release the chair made; audited without any personal content.
    pub async fn record_release(
        &self,
        handle: &CaseHandle,
        request: &ReleaseRequest,
        contents: &ReleaseContents,
    ) -> Result<Uuid, StoreError> {
        chair(handle)?;
        if request.requested_on > self.now().to_zoned(domain::calendar::poland_zone()).date() {
            return Err(StoreError::invalid("requested_on", "err-release-requested-on-future"));
        }
        if contents.forms.is_empty() && contents.records.is_empty() {
            return Err(StoreError::invalid("documents", "err-release-documents-required"));
        }
        let mut tx = self.db.begin().await?;
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        let id = Uuid::now_v7();
        let recipient = keys.encrypt("case_release.recipient", id, &request.recipient)?;
        let purpose = keys.encrypt("case_release.purpose", id, &request.purpose)?;
        let other =
            request.basis_other.as_ref().map(|t| keys.encrypt("case_release.basis_other", id, t)).transpose()?;
        let reason =
            request.sealed_reason.as_ref().map(|t| keys.encrypt("case_release.sealed_reason", id, t)).transpose()?;
        let json = serde_json::to_string(contents).map_err(|e| StoreError::Internal(e.to_string()))?;
        let redacted = i64::try_from(contents.redacted).unwrap_or(i64::MAX);
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO case_release (id, tenant_id, procedure_id, released_by, released_at, requested_on, requester, \
             basis, recipient_enc, purpose_enc, basis_other_enc, sealed_reason_enc, contents, redacted_count, digest) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
            .bind(id).bind(handle.tenant_id).bind(handle.procedure_id).bind(handle.principal().account_id)
            .bind(ts(self.now())).bind(request.requested_on.to_string()).bind(request.requester.as_str())
            .bind(request.basis.as_str()).bind(&recipient).bind(&purpose).bind(&other).bind(&reason)
            .bind(&json).bind(redacted).bind(&contents.digest)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Create, "case_release", id).in_tenant(Some(handle.tenant_id)).detail(
                format!(
                    "released a copy of case {}: forms {}; records {}; basis {}; requester {}; {} values redacted, \
                     {} revealed; sealed values {}; pdf sha256 {}; the recipient and purpose are kept encrypted",
                    handle.procedure_id,
                    contents.forms.len(),
                    contents.records.len(),
                    request.basis.as_str(),
                    request.requester.as_str(),
                    contents.redacted,
                    contents.revealed.len(),
                    if request.sealed_reason.is_some() { "included by the chair" } else { "withheld" },
                    contents.digest,
                ),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The releases of this case, newest first, for its chair; the read of the recipients is audited.
    pub async fn case_releases(&self, handle: &CaseHandle) -> Result<Vec<ReleaseView>, StoreError> {
        chair(handle)?;
        let mut tx = self.db.begin().await?;
        let out = releases_of(self, &mut tx, handle.tenant_id, handle.procedure_id).await?;
        if !out.is_empty() {
            self.audit(
                &mut tx,
                &handle.actor(),
                &AuditRecord::new(AuditAction::ReadPersonalData, "case_releases", handle.procedure_id)
                    .in_tenant(Some(handle.tenant_id))
                    .detail(format!("the case's releases listed: {}", out.len())),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// The releases of a case, decrypted, newest first (the register and the chair's page).
pub(crate) async fn releases_of(
    store: &Store,
    tx: &mut Tx,
    tenant_id: Uuid,
    procedure_id: Uuid,
) -> Result<Vec<ReleaseView>, StoreError> {
    let rows: Vec<ReleaseRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT r.id, r.released_at, a.login, r.requested_on, r.requester, r.basis, r.recipient_enc, r.purpose_enc, \
         r.basis_other_enc, r.sealed_reason_enc, r.contents, r.digest \
         FROM case_release r LEFT JOIN account a ON a.id = r.released_by \
         WHERE r.procedure_id = $1 AND r.tenant_id = $2 ORDER BY r.released_at DESC, r.id DESC")
        .bind(procedure_id).bind(tenant_id).fetch_all(c).await)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let keys = store.keys.scope_keys(tx, tenant_id, store.now()).await?;
    let bad = |id: Uuid, what: &str| StoreError::Corrupt(format!("case_release {id}: {what}"));
    let mut out = Vec::with_capacity(rows.len());
    for (id, at, by, requested_on, requester, basis, recipient, purpose, other, reason, contents, digest) in rows {
        let mut contents: ReleaseContents = serde_json::from_str(&contents).map_err(|_| bad(id, "contents"))?;
        contents.digest = digest.clone();
        out.push(ReleaseView {
            id,
            released_at: at.to_jiff(),
            released_by: by,
            requested_on: crate::team::text_date(&requested_on)?,
            requester: Requester::parse(&requester).map_err(|_| bad(id, "requester"))?,
            basis: ReleaseBasis::parse(&basis).map_err(|_| bad(id, "basis"))?,
            basis_other: other.map(|b| keys.decrypt("case_release.basis_other", id, &b)).transpose()?,
            recipient: keys.decrypt("case_release.recipient", id, &recipient)?,
            purpose: keys.decrypt("case_release.purpose", id, &purpose)?,
            contents,
            sealed_reason: reason.map(|b| keys.decrypt("case_release.sealed_reason", id, &b)).transpose()?,
            digest,
        });
    }
    Ok(out)
}
