//! Sealed fields (issue 20): the new address, safe contact, school or workplace and shelter of a person who fled,
//! seen only by the members a seal names.
//!
//! Guarantees:
//! - Which values a seal covers is the domain's (`domain::forms::seal`); who sees them is one SQL rule
//!   (`crate::access::seal_visible_sql`): the members the seal names, by default the group's current coordinator and
//!   social workers. Everyone else gets the value withheld *here*, before any page, API answer, document or transfer
//!   package is made: [`FormView::withheld`](super::FormView::withheld) lists the paths, the answers lack them.
//! - A document going outside the group (the case file for a court, a transfer package without the chair's explicit
//!   choice) withholds every sealed value, whoever makes it.
//! - Sealing and unsealing need a reason and are in the audit trail (object `field_seal`, actions `create` and
//!   `delete`). The reason is kept encrypted with the seal, never in the audit detail, which is not encrypted and may
//!   name what the person told the team; a named member's read of a sealed value is recorded as such
//!   (`read_personal_data` on the seal).
//! - A seal covers the person's field on every form of the case, including forms filled after it: persons are
//!   recognised by a keyed hash of their normalised name (a blind index), so nothing about them is readable here.

use std::collections::BTreeSet;

use domain::audit::AuditAction;
use domain::forms::seal::{SealKind, sealable_persons, sealable_values};
use domain::forms::{Answers, ValidatedAnswers};
use jiff::Timestamp;
use uuid::Uuid;

use super::{CaseAccess, CaseHandle, read_form};
use crate::crypto::ScopeKeys;
use crate::db::{Batch, Rows, Slot, on_tx};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

const PERSON_PURPOSE: &str = "seal-person";
/// The most characters a reason for sealing or unsealing may hold.
pub const MAX_SEAL_REASON_CHARS: usize = 1000;

/// A seal of a case as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealView {
    pub id: Uuid,
    /// The person's name as typed on the form (personal data, shown on the case page to those who reach the case).
    pub person_name: String,
    pub kind: SealKind,
    pub sealed_at: Timestamp,
    pub sealed_by: Option<String>,
    /// The logins the seal names; empty when it names the defaults (the group's coordinator and social workers).
    pub named: Vec<String>,
    /// Whether the reader sees the sealed values.
    pub visible_to_reader: bool,
}

/// A person of the case whose fields may be sealed, as the sealing form offers them.
#[derive(Clone, PartialEq, Eq)]
pub struct SealCandidate {
    /// An opaque token naming the person (the hex of the blind index), what the form posts back.
    pub token: String,
    pub name: String,
}

impl std::fmt::Debug for SealCandidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealCandidate([REDACTED])")
    }
}

/// Which fields of a case are sealed, and what the reader may do about them: the answer the case page, the redacted
/// copies and the data protection officer's register build on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSeals {
    /// The seals in force.
    pub seals: Vec<SealView>,
    /// The persons who may be sealed (persons experiencing violence and children named on the case's forms).
    pub persons: Vec<SealCandidate>,
    /// The reader may seal and unseal (chair, deputy chair, the group's coordinator).
    pub may_seal: bool,
    /// The reader may name who sees a seal (chair, deputy chair); others seal with the defaults.
    pub may_name_viewers: bool,
}

/// A seal to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSeal {
    /// [`SealCandidate::token`].
    pub person: String,
    pub kind: SealKind,
    pub reason: String,
    /// The accounts that see the values; empty for the defaults. Only the chair or deputy chair may name them.
    pub viewers: Vec<Uuid>,
}

/// For whom a case is read: its reader (a page, the API, a form printed by them) or someone outside the group (the
/// case file for a court, a transfer package): outside, every sealed value is withheld, whoever prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Reader,
    Outside,
    /// Outside, with the sealed values the chair included explicitly with a reason (a release of a copy).
    OutsideWithSealed,
}

/// The seals in force on a case, each with whether the reader sees its values.
#[derive(Debug, Clone, Default)]
pub(crate) struct SealFilter {
    seals: Vec<(Uuid, Vec<u8>, SealKind, bool)>,
}

/// What applying the seals to one form left: the answers without the withheld values, their paths, and the seals
/// whose values the reader saw.
pub(crate) struct Applied {
    pub answers: Answers,
    pub withheld: BTreeSet<String>,
    pub shown: BTreeSet<Uuid>,
}

impl SealFilter {
    /// Withholds from `form` every value a seal covers that `audience` may not see.
    pub(crate) fn apply(&self, keys: &ScopeKeys, form: &ValidatedAnswers, audience: Audience) -> Applied {
        let mut answers = form.to_answers();
        let mut withheld = BTreeSet::new();
        let mut shown = BTreeSet::new();
        if self.seals.is_empty() {
            return Applied { answers, withheld, shown };
        }
        for value in sealable_values(form) {
            let key = keys.blind_index(PERSON_PURPOSE, &value.person);
            for (id, _, _, visible) in self.seals.iter().filter(|(_, k, kind, _)| *k == key && *kind == value.kind) {
                if *visible && audience == Audience::Reader {
                    shown.insert(*id);
                } else {
                    answers.remove(&value.path);
                    withheld.insert(value.path.clone());
                }
            }
        }
        // A path shown by one seal and withheld by another stays withheld.
        Applied { answers, withheld, shown }
    }
}

/// The seals in force on the case, with whether the handle's account sees each.
pub(crate) async fn seal_filter(tx: &mut Tx, handle: &CaseHandle) -> Result<SealFilter, StoreError> {
    let mut batch = Batch::new(tx);
    let slot = queue_seal_filter(&mut batch, handle);
    seal_filter_from(batch.run(tx).await?.take(slot)?)
}

/// A seal in force as [`seal_filter`] reads it: id, blind key of the person, kind, seen by the reader.
pub(crate) type SealFilterRow = (Uuid, Vec<u8>, String, bool);

/// Queues the read of [`seal_filter`].
pub(crate) fn queue_seal_filter(batch: &mut Batch, handle: &CaseHandle) -> Slot<SealFilterRow> {
    batch
        .push(concat!(
            "SELECT s.id, s.person_key, s.kind, ",
            crate::access::seal_visible_sql!("$2"),
            " FROM field_seal s WHERE s.procedure_id = $1 AND s.unsealed_at IS NULL"
        ))
        .bind(handle.procedure_id)
        .bind(handle.principal().account_id)
        .slot()
}

pub(crate) fn seal_filter_from(rows: Vec<SealFilterRow>) -> Result<SealFilter, StoreError> {
    let mut seals = Vec::with_capacity(rows.len());
    for (id, key, kind, visible) in rows {
        seals.push((id, key, parse_kind(id, &kind)?, visible));
    }
    Ok(SealFilter { seals })
}

fn parse_kind(id: Uuid, kind: &str) -> Result<SealKind, StoreError> {
    SealKind::parse(kind).map_err(|_| StoreError::Corrupt(format!("field_seal {id}: kind {kind}")))
}

/// A seal with its blind index and what the page lists of it.
pub(crate) type PageSealRow = (Uuid, Vec<u8>, Vec<u8>, String, jiff_sqlx::Timestamp, Option<String>, bool);

/// The reads of the seals' section, queued in the caller's batch: the seals in force (for the filter and the list
/// at once), whether the reader may seal, and who is named for each seal.
pub(crate) struct SealReads {
    seals: Slot<PageSealRow>,
    may_seal: Slot<(bool,)>,
    viewers: Slot<(Uuid, String)>,
}

/// What [`SealReads`] read beside the filter, for [`seals_view`].
pub(crate) struct SealList {
    listed: Vec<SealRow>,
    may_seal: bool,
    viewers: Vec<(Uuid, String)>,
}

/// Queues the seals' section's reads (the team and the group).
pub(crate) fn queue_seal_reads(batch: &mut Batch, handle: &CaseHandle) -> SealReads {
    let principal = handle.principal();
    let seals = batch
        .push(concat!(
            "SELECT s.id, s.person_key, s.person_name_enc, s.kind, s.sealed_at, a.login, ",
            crate::access::seal_visible_sql!("$2"),
            " FROM field_seal s LEFT JOIN account a ON a.id = s.sealed_by \
             WHERE s.procedure_id = $1 AND s.unsealed_at IS NULL ORDER BY s.sealed_at, s.id"
        ))
        .bind(handle.procedure_id)
        .bind(principal.account_id)
        .slot();
    let may_seal = batch
        .push(concat!("SELECT ", crate::access::may_seal_sql!("$1", "$2", "$3")))
        .bind(principal.account_id)
        .bind(may_name_viewers(handle))
        .bind(handle.procedure_id)
        .slot();
    // Every seal's named viewers in one statement, not one per seal.
    let viewers = batch
        .push(
            "SELECT v.seal_id, a.login FROM field_seal_viewer v JOIN field_seal s ON s.id = v.seal_id \
             JOIN account a ON a.id = v.account_id \
             WHERE s.procedure_id = $1 AND s.unsealed_at IS NULL ORDER BY v.seal_id, a.login",
        )
        .bind(handle.procedure_id)
        .slot();
    SealReads { seals, may_seal, viewers }
}

impl SealReads {
    /// The filter for the forms, and the list for [`seals_view`].
    pub(crate) fn take(self, rows: &mut Rows) -> Result<(SealFilter, SealList), StoreError> {
        let mut filter = Vec::new();
        let mut listed = Vec::new();
        for (id, key, name_enc, kind_text, sealed_at, sealed_by, visible) in rows.take(self.seals)? {
            filter.push((id, key, parse_kind(id, &kind_text)?, visible));
            listed.push((id, name_enc, kind_text, sealed_at, sealed_by, visible));
        }
        let (may_seal,) = rows.take_one(self.may_seal)?;
        Ok((SealFilter { seals: filter }, SealList { listed, may_seal, viewers: rows.take(self.viewers)? }))
    }
}

/// The chair and deputy chair (as the team) name who sees a seal; the coordinator seals with the defaults.
fn may_name_viewers(handle: &CaseHandle) -> bool {
    handle.access == CaseAccess::Team && crate::access::holds_chair_role(handle.principal())
}

/// Records that the reader saw the values of these seals (a named member's read of sealed data).
pub(crate) async fn audit_shown(
    store: &Store,
    tx: &mut Tx,
    handle: &CaseHandle,
    shown: &BTreeSet<Uuid>,
    what: &str,
) -> Result<(), StoreError> {
    for seal in shown {
        store
            .audit(
                tx,
                &handle.actor(),
                &AuditRecord::new(AuditAction::ReadPersonalData, "field_seal", seal)
                    .in_tenant(Some(handle.tenant_id))
                    .detail(format!("sealed values shown to a named member: case {}; {what}", handle.procedure_id)),
            )
            .await?;
    }
    Ok(())
}

fn check_reason(reason: &str) -> Result<String, StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid("reason", "err-seal-reason-required"));
    }
    if reason.chars().count() > MAX_SEAL_REASON_CHARS {
        return Err(StoreError::invalid("reason", "err-too-long"));
    }
    Ok(reason.to_owned())
}

pub(crate) type SealRow = (Uuid, Vec<u8>, String, jiff_sqlx::Timestamp, Option<String>, bool);

impl Store {
    /// Which fields of this case are sealed, for whom, and whether the reader may seal: the team and the group (an
    /// initiator, who reads back only their own form A, gets `NotFound`).
    pub async fn case_seals(&self, handle: &CaseHandle) -> Result<CaseSeals, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin_read().await?;
        let mut batch = Batch::new(&tx);
        let stored_keys = crate::keys::queue_scope_keys(&mut batch, handle.tenant_id);
        let forms = queue_case_forms(&mut batch, handle.procedure_id);
        let reads = queue_seal_reads(&mut batch, handle);
        let mut rows = batch.run(&mut tx).await?;
        let keys =
            self.keys.scope_keys_from(&mut tx, handle.tenant_id, self.now(), rows.take_optional(stored_keys)?).await?;
        let persons = case_persons_from(&keys, rows.take(forms)?)?;
        let (_, list) = reads.take(&mut rows)?;
        let seals = seals_view(&keys, handle, persons, list)?;
        tx.commit().await?;
        Ok(seals)
    }

    /// Seals a kind of data of a person of the case, with a reason; the chair or deputy chair may name who sees it
    /// (members of the group and the team's staff), the coordinator seals with the defaults. Audited with the reason.
    pub async fn seal_field(&self, handle: &CaseHandle, seal: &NewSeal) -> Result<Uuid, StoreError> {
        let principal = handle.principal();
        let chair = handle.access == CaseAccess::Team && crate::access::holds_chair_role(principal);
        let mut tx = self.db.begin().await?;
        let (may_seal,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT ", crate::access::may_seal_sql!("$1", "$2", "$3")))
            .bind(principal.account_id).bind(chair).bind(handle.procedure_id).fetch_one(c).await)?;
        if handle.access == CaseAccess::Initiator || !may_seal {
            return Err(StoreError::NotFound);
        }
        let reason = check_reason(&seal.reason);
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        let persons = case_persons(&mut tx, &keys, handle.procedure_id).await?;
        let person = hex::decode(seal.person.trim()).ok().and_then(|key| persons.into_iter().find(|(k, _)| *k == key));
        let Some((person_key, person_name)) = person else {
            return Err(StoreError::invalid("person", "err-seal-person-required"));
        };
        let reason = reason?;
        if !seal.viewers.is_empty() && !chair {
            return Err(StoreError::invalid("viewers", "err-seal-viewers-chair-only"));
        }
        for viewer in &seal.viewers {
            // Among the group (current members) and the team's staff of the municipality, nobody else.
            let (allowed,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT EXISTS (SELECT 1 FROM account a WHERE a.id = $1 AND a.tenant_id = $2 AND a.active AND (\
                 EXISTS (SELECT 1 FROM group_member g WHERE g.procedure_id = $3 AND g.account_id = a.id AND g.left_at IS NULL) \
                 OR EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = a.id \
                 AND r.role IN ('chair', 'deputy_chair', 'secretary'))))")
                .bind(viewer).bind(handle.tenant_id).bind(handle.procedure_id).fetch_one(c).await)?;
            if !allowed {
                return Err(StoreError::invalid("viewers", "err-seal-viewer-not-allowed"));
            }
        }
        let (in_force,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM field_seal WHERE procedure_id = $1 AND person_key = $2 AND kind = $3 \
             AND unsealed_at IS NULL)")
            .bind(handle.procedure_id).bind(&person_key).bind(seal.kind.as_str()).fetch_one(c).await)?;
        if in_force {
            return Err(StoreError::invalid("kind", "err-seal-already-in-force"));
        }
        let id = Uuid::now_v7();
        let now = self.now();
        let name_enc = keys.encrypt("field_seal.person_name", id, &person_name)?;
        let reason_enc = keys.encrypt("field_seal.reason", id, &reason)?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO field_seal (id, tenant_id, procedure_id, person_key, person_name_enc, kind, reason_enc, \
             sealed_at, sealed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(handle.tenant_id).bind(handle.procedure_id).bind(&person_key).bind(&name_enc)
            .bind(seal.kind.as_str()).bind(&reason_enc).bind(ts(now)).bind(principal.account_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        let mut viewers: Vec<Uuid> = seal.viewers.clone();
        viewers.sort();
        viewers.dedup();
        for viewer in &viewers {
            on_tx!(&mut tx, c => sqlx::query("INSERT INTO field_seal_viewer (seal_id, account_id) VALUES ($1, $2)")
                .bind(id).bind(viewer).execute(c).await.map(|r| r.rows_affected()))?;
        }
        let named = if viewers.is_empty() {
            "the defaults (the group's coordinator and social workers)".to_owned()
        } else {
            viewers.iter().map(Uuid::to_string).collect::<Vec<_>>().join(",")
        };
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Create, "field_seal", id).in_tenant(Some(handle.tenant_id)).detail(format!(
                "sealed {} of a person of case {}; seen by {named}; the reason is kept encrypted with the seal",
                seal.kind.as_str(),
                handle.procedure_id
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Lifts a seal, with a reason (audited); its row stays for the register.
    pub async fn unseal_field(&self, handle: &CaseHandle, seal_id: Uuid, reason: &str) -> Result<(), StoreError> {
        let principal = handle.principal();
        let chair = handle.access == CaseAccess::Team && crate::access::holds_chair_role(principal);
        let mut tx = self.db.begin().await?;
        let (may_seal,): (bool,) = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT ", crate::access::may_seal_sql!("$1", "$2", "$3")))
            .bind(principal.account_id).bind(chair).bind(handle.procedure_id).fetch_one(c).await)?;
        if handle.access == CaseAccess::Initiator || !may_seal {
            return Err(StoreError::NotFound);
        }
        let kind: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT kind FROM field_seal WHERE id = $1 AND procedure_id = $2 AND unsealed_at IS NULL")
            .bind(seal_id).bind(handle.procedure_id).fetch_optional(c).await)?;
        let Some((kind,)) = kind else { return Err(StoreError::NotFound) };
        let reason = check_reason(reason)?;
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        let reason_enc = keys.encrypt("field_seal.unseal_reason", seal_id, &reason)?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE field_seal SET unsealed_at = $2, unsealed_by = $3, unseal_reason_enc = $4 WHERE id = $1")
            .bind(seal_id).bind(ts(self.now())).bind(principal.account_id).bind(&reason_enc)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::Delete, "field_seal", seal_id).in_tenant(Some(handle.tenant_id)).detail(
                format!(
                    "unsealed {kind} of a person of case {}; the reason is kept encrypted with the seal",
                    handle.procedure_id
                ),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The case's seals as [`Store::case_seals`] lists them, from what [`SealReads`] read; `persons` are the case's
/// sealable persons (see [`add_sealable_persons`]).
pub(crate) fn seals_view(
    keys: &ScopeKeys,
    handle: &CaseHandle,
    persons: Vec<(Vec<u8>, String)>,
    list: SealList,
) -> Result<CaseSeals, StoreError> {
    let SealList { listed, may_seal, viewers } = list;
    let mut seals = Vec::with_capacity(listed.len());
    for (id, name_enc, kind, sealed_at, sealed_by, visible_to_reader) in listed {
        seals.push(SealView {
            id,
            person_name: keys.decrypt("field_seal.person_name", id, &name_enc)?,
            kind: parse_kind(id, &kind)?,
            sealed_at: sealed_at.to_jiff(),
            sealed_by,
            named: viewers.iter().filter(|(seal, _)| *seal == id).map(|(_, login)| login.clone()).collect(),
            visible_to_reader,
        });
    }
    let persons = persons.into_iter().map(|(key, name)| SealCandidate { token: hex::encode(key), name }).collect();
    Ok(CaseSeals { seals, persons, may_seal, may_name_viewers: may_name_viewers(handle) })
}

/// Adds the sealable persons of one form to `out` (each person once, by blind index, in the order first named).
pub(crate) fn add_sealable_persons(keys: &ScopeKeys, answers: &ValidatedAnswers, out: &mut Vec<(Vec<u8>, String)>) {
    for person in sealable_persons(answers) {
        let key = keys.blind_index(PERSON_PURPOSE, &person.key);
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, person.name));
        }
    }
}

/// The persons of the case who may be sealed, across its forms: (blind key, name as first typed).
async fn case_persons(tx: &mut Tx, keys: &ScopeKeys, procedure_id: Uuid) -> Result<Vec<(Vec<u8>, String)>, StoreError> {
    let rows = Batch::fetch_all(tx, |batch| queue_case_forms(batch, procedure_id)).await?;
    case_persons_from(keys, rows)
}

/// Queues the read of the case's forms for [`case_persons_from`].
fn queue_case_forms(batch: &mut Batch, procedure_id: Uuid) -> Slot<(Uuid, String, String, Vec<u8>)> {
    batch
        .push(
            "SELECT id, kind, version, answers_enc FROM procedure_form WHERE procedure_id = $1 ORDER BY filled_at, id",
        )
        .bind(procedure_id)
        .slot()
}

fn case_persons_from(
    keys: &ScopeKeys,
    rows: Vec<(Uuid, String, String, Vec<u8>)>,
) -> Result<Vec<(Vec<u8>, String)>, StoreError> {
    let mut out: Vec<(Vec<u8>, String)> = Vec::new();
    for (form_id, kind, version, sealed) in rows {
        let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
        add_sealable_persons(keys, &read_form(&kind, &version, &json)?, &mut out);
    }
    Ok(out)
}
