//! Handing a case to another municipality's team when the person experiencing violence moves (art. 9e ust. 3, art.
//! 9c ust. 5a): the old team exports the case's documentation as a package; the new team's Ostoja imports it as a
//! case of its own that keeps the original opening date and form A, with the old documentation shown beside it.
//!
//! Guarantees:
//! - Only the team (chair, deputy, secretary) exports or imports; an export is a read of personal data and is audited,
//!   and so is an import.
//! - The package never leaves in clear: it is sealed with XChaCha20-Poly1305 under a key derived (Argon2id) from a
//!   one-time passphrase of 120 random bits, shown once to the exporting user and passed to the other team apart from
//!   the file (by phone). The passphrase is not stored anywhere.
//! - A package is imported once per municipality: importing it again names the case it made.
//! - The received documentation is kept encrypted under the receiving tenant's key and shown read-only; only the
//!   forms A become forms of the new case (its recognition keys and its opening), so the receiving team's figures
//!   count the case as continued there, not the old team's meetings and visits.

use crate::Caller;
use domain::audit::AuditAction;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers};
use domain::procedure::lifecycle::{Command, ProcedureState};
use jiff::Timestamp;
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::records::Revision;
use super::view::replayed;
use super::{CaseAccess, CaseHandle, MATCH_PURPOSE, all_suspects_present, read_form, recognition_keys};
use crate::crypto::{ScopeKeys, SecretKey};
use crate::db::{Batch, Slot, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

const FORMAT: &str = "ostoja-transfer/1";
/// Unambiguous letters and digits (no 0/O, 1/I): 32 symbols, 5 bits each.
const PASSPHRASE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const PASSPHRASE_SYMBOLS: usize = 24;
/// The key derivation's salt in a package's envelope.
const SALT_BYTES: usize = 16;

/// One form A of a package with its answers validated under its own definition.
pub type PackageFormA<'a> = (&'a PackageForm, ValidatedAnswers);

/// The documentation of a case as the old team hands it over.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransferPackage {
    pub format: String,
    pub package_id: Uuid,
    pub from_teryt: String,
    pub from_name: String,
    pub number: String,
    pub form_version: String,
    pub opened_at: Timestamp,
    pub initiator_category: Option<String>,
    pub phase: String,
    pub exported_at: Timestamp,
    /// The old case's timeline: (when, event kind).
    pub timeline: Vec<(Timestamp, String)>,
    pub forms: Vec<PackageForm>,
    pub records: Vec<PackageRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackageForm {
    pub kind: String,
    pub version: String,
    pub filled_at: Timestamp,
    pub answers: Answers,
    /// The paths of the sealed values left out of `answers` (issue 20): the chair did not include them.
    #[serde(default)]
    pub withheld: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackageRecord {
    pub kind: String,
    pub occurs_at: Timestamp,
    pub status: String,
    pub answers: Answers,
    #[serde(default)]
    pub minutes: Option<Answers>,
    #[serde(default)]
    pub history: Vec<Revision>,
}

impl TransferPackage {
    /// The package as decrypted from its envelope: JSON of this format, or `err-transfer-unreadable`.
    pub fn from_plain(plain: &[u8]) -> Result<TransferPackage, StoreError> {
        let package: TransferPackage = serde_json::from_slice(plain).map_err(|_| unreadable())?;
        if package.format != FORMAT {
            return Err(unreadable());
        }
        Ok(package)
    }

    /// What an import takes from the package: its form version and its forms A, each valid under its own
    /// definition. A version or a form A this Ostoja cannot read is `err-transfer-unreadable`. The list may be empty.
    pub fn forms_a(&self) -> Result<(FormVersion, Vec<PackageFormA<'_>>), StoreError> {
        let version = FormVersion::ALL.into_iter().find(|v| v.as_str() == self.form_version).ok_or_else(unreadable)?;
        let forms_a = self
            .forms
            .iter()
            .filter(|f| f.kind == FormKind::A.as_str())
            .map(|f| {
                let json = serde_json::to_vec(&f.answers).map_err(|e| StoreError::Internal(e.to_string()))?;
                Ok((f, read_form(&f.kind, &f.version, &json)?))
            })
            .collect::<Result<_, StoreError>>()
            .map_err(|_| unreadable())?;
        Ok((version, forms_a))
    }
}

fn unreadable() -> StoreError {
    StoreError::invalid("package", "err-transfer-unreadable")
}

/// A package file's envelope read without its passphrase: the key derivation's salt and the sealed bytes. A file
/// of another format or a damaged one is `err-transfer-unreadable`.
pub fn package_envelope(file: &[u8]) -> Result<(Vec<u8>, Vec<u8>), StoreError> {
    let envelope: Envelope = serde_json::from_slice(file).map_err(|_| unreadable())?;
    if envelope.format != FORMAT || envelope.kdf != "argon2id" {
        return Err(unreadable());
    }
    let salt = hex::decode(&envelope.salt).map_err(|_| unreadable())?;
    // Every export draws 16 bytes; another length is a damaged file (and one under 8 bytes Argon2 would refuse).
    if salt.len() != SALT_BYTES {
        return Err(unreadable());
    }
    let sealed = hex::decode(&envelope.ciphertext).map_err(|_| unreadable())?;
    Ok((salt, sealed))
}

/// The sealed file.
#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    kdf: String,
    salt: String,
    ciphertext: String,
}

/// An export: the file to hand over and the passphrase to pass apart from it.
#[derive(Debug)]
pub struct ExportedCase {
    /// The export's record on the case, for downloading the file again.
    pub transfer_id: Uuid,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub passphrase: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferIntake {
    Imported {
        id: Uuid,
        number: String,
    },
    /// This package was imported before, as this case.
    AlreadyImported {
        id: Uuid,
    },
}

fn file_name(number: &str) -> String {
    format!("{}.ostoja", number.replace('/', "-"))
}

fn new_passphrase() -> String {
    let mut rng = rand::rng();
    let symbols: Vec<char> = (0..PASSPHRASE_SYMBOLS)
        .filter_map(|_| PASSPHRASE_ALPHABET.get(rng.random_range(0..PASSPHRASE_ALPHABET.len())))
        .map(|b| char::from(*b))
        .collect();
    symbols.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The passphrase as typed: case, spaces and dashes do not matter.
fn normalised(passphrase: &str) -> String {
    passphrase.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

async fn derive_key(passphrase: &str, salt: Vec<u8>) -> Result<SecretKey, StoreError> {
    let secret = normalised(passphrase);
    tokio::task::spawn_blocking(move || {
        let mut out = [0u8; 32];
        argon2::Argon2::default()
            .hash_password_into(secret.as_bytes(), &salt, &mut out)
            .map_err(|e| StoreError::Key(format!("key derivation failed: {e}")))?;
        Ok(SecretKey::from_bytes(out))
    })
    .await
    .map_err(|e| StoreError::Key(format!("key derivation task failed: {e}")))?
}

fn require_team(principal: &Principal) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(t) if principal.roles.permits(domain::identity::Permission::ManageProcedures) => Ok(t),
        _ => Err(StoreError::NotFound),
    }
}

/// What an export chooses beyond its recipient.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportChoice {
    /// `Some(version)`: the case also leaves this team (the `TransferOut` step); `None`: the documentation is only
    /// copied.
    pub hand_over: Option<i64>,
    /// When the case was handed over; default now.
    pub occurred_at: Option<Timestamp>,
    /// The chair's explicit choice to send the sealed values too.
    pub include_sealed: bool,
}

impl Store {
    /// Exports a case's documentation for the team of the municipality the person moved to (`to`, as the user names
    /// it). Only the team may; the export is audited and recorded on the case.
    ///
    /// With `hand_over: Some(version)` the case also leaves this team in the same transaction (the `TransferOut`
    /// step: its clocks stop here); with `None` the documentation is only copied (a request for a closed case's
    /// file, say).
    ///
    /// Sealed values are left out (issue 20); see [`Store::export_case_with`] for the chair's explicit choice and the
    /// hand-over's own moment.
    pub async fn export_case(
        &self,
        handle: &CaseHandle,
        to: &str,
        hand_over: Option<i64>,
    ) -> Result<ExportedCase, StoreError> {
        self.export_case_with(handle, to, &ExportChoice { hand_over, ..ExportChoice::default() }).await
    }

    /// [`Store::export_case`] with everything the page and the API may choose ([`ExportChoice`]): the moment the case
    /// was handed over (never in the future, never before the events it follows; a refusal on `occurred_at` names
    /// the event), and the sealed values included (only the chair or deputy chair may, and the choice is in the audit
    /// trail; without it every sealed value is left out and listed in [`PackageForm::withheld`]).
    pub async fn export_case_with(
        &self,
        handle: &CaseHandle,
        to: &str,
        choice: &ExportChoice,
    ) -> Result<ExportedCase, StoreError> {
        let ExportChoice { hand_over, occurred_at, include_sealed } = *choice;
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        if include_sealed && !crate::access::holds_chair_role(handle.principal()) {
            return Err(StoreError::invalid("include_sealed", "err-seal-include-chair-only"));
        }
        let to = to.trim();
        if to.is_empty() {
            return Err(StoreError::invalid("to", "err-required"));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        if let Some(version) = hand_over {
            let command = Command::TransferOut;
            self.apply_at(&mut tx, handle, &command, occurred_at, "occurred_at", version).await?;
        }
        let (number, form_version, opened_at, initiator_category, phase): (
            String,
            String,
            jiff_sqlx::Timestamp,
            Option<String>,
            String,
        ) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT number, form_version, opened_at, initiator_category, phase FROM procedure WHERE id = $1")
            .bind(handle.procedure_id).fetch_one(c).await)?;
        let timeline = replayed(&mut tx, handle.procedure_id, false).await?.timeline;
        let rows: Vec<(Uuid, String, String, Vec<u8>, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, kind, version, answers_enc, filled_at FROM procedure_form WHERE procedure_id = $1 ORDER BY filled_at, id")
            .bind(handle.procedure_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, now).await?;
        // The chair's explicit choice includes everything; otherwise the package goes out as to anyone outside.
        let seals = if include_sealed { Default::default() } else { super::seal::seal_filter(&mut tx, handle).await? };
        let mut forms = Vec::with_capacity(rows.len());
        for (form_id, kind, version, sealed, filled_at) in rows {
            let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
            let applied = seals.apply(&keys, &read_form(&kind, &version, &json)?, super::seal::Audience::Outside);
            forms.push(PackageForm {
                kind,
                version,
                filled_at: filled_at.to_jiff(),
                answers: applied.answers,
                withheld: applied.withheld.into_iter().collect(),
            });
        }
        let records = self
            .records_in(&mut tx, handle, None)
            .await?
            .into_iter()
            .map(|r| PackageRecord {
                kind: r.kind.as_str().to_owned(),
                occurs_at: r.occurs_at,
                status: r.status,
                answers: r.answers,
                minutes: r.minutes,
                history: r.history,
            })
            .collect();
        let principal = handle.principal();
        let package = TransferPackage {
            format: FORMAT.to_owned(),
            package_id: Uuid::now_v7(),
            from_teryt: principal.tenant_teryt.clone().unwrap_or_default(),
            from_name: principal.tenant_name.clone().unwrap_or_default(),
            number: number.clone(),
            form_version,
            opened_at: opened_at.to_jiff(),
            initiator_category,
            phase,
            exported_at: now,
            timeline: timeline.iter().map(|e| (e.at, e.kind.as_str().to_owned())).collect(),
            forms,
            records,
        };
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!(
                    "transfer package {} for {to}{}",
                    package.package_id,
                    if include_sealed { "; sealed fields included by the chair" } else { "" }
                )),
        )
        .await?;
        let passphrase = new_passphrase();
        let mut salt = vec![0u8; SALT_BYTES];
        rand::rng().fill_bytes(&mut salt);
        let key = derive_key(&passphrase, salt.clone()).await?;
        let plain = serde_json::to_vec(&package).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = crate::crypto::seal(&key, FORMAT.as_bytes(), &plain)?;
        let envelope = Envelope {
            format: FORMAT.to_owned(),
            kdf: "argon2id".to_owned(),
            salt: hex::encode(salt),
            ciphertext: hex::encode(sealed),
        };
        let bytes = serde_json::to_vec_pretty(&envelope).map_err(|e| StoreError::Internal(e.to_string()))?;
        // The sealed file is kept (under this tenant's key too) so it can be downloaded again; the passphrase is not.
        let transfer_id = Uuid::now_v7();
        let kept = keys.encrypt_bytes("procedure_transfer.package", transfer_id, &bytes)?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO procedure_transfer (id, tenant_id, procedure_id, direction, counterpart, source_number, package_id, package_enc, created_by, created_at) \
             VALUES ($1, $2, $3, 'out', $4, $5, $6, $7, $8, $9)")
            .bind(transfer_id).bind(handle.tenant_id).bind(handle.procedure_id).bind(to).bind(&number)
            .bind(package.package_id).bind(kept).bind(principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(ExportedCase { transfer_id, file_name: file_name(&number), bytes, passphrase })
    }

    /// The sealed file of an earlier export of this case, to download again. Only the team may.
    pub async fn exported_file(&self, handle: &CaseHandle, transfer_id: Uuid) -> Result<(String, Vec<u8>), StoreError> {
        if handle.access != CaseAccess::Team {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let row: Option<(String, Option<Vec<u8>>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT source_number, package_enc FROM procedure_transfer WHERE id = $1 AND procedure_id = $2 AND direction = 'out'")
            .bind(transfer_id).bind(handle.procedure_id).fetch_optional(c).await)?;
        let Some((number, Some(sealed))) = row else { return Err(StoreError::NotFound) };
        let keys = self.keys.scope_keys(&mut tx, handle.tenant_id, self.now()).await?;
        let bytes = keys.decrypt_bytes("procedure_transfer.package", transfer_id, &sealed)?;
        // The package holds the whole case (sealed with a passphrase, but the passphrase may travel with it): each
        // download is a read of the case's personal data, like the export that made it.
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("transfer package {transfer_id} downloaded")),
        )
        .await?;
        tx.commit().await?;
        Ok((file_name(&number), bytes))
    }

    /// Opens a package with its passphrase. A wrong passphrase or a damaged file is `err-transfer-unreadable`.
    pub async fn read_transfer_package(&self, file: &[u8], passphrase: &str) -> Result<TransferPackage, StoreError> {
        let (salt, sealed) = package_envelope(file)?;
        if normalised(passphrase).len() != PASSPHRASE_SYMBOLS {
            return Err(StoreError::invalid("passphrase", "err-transfer-passphrase"));
        }
        let key = derive_key(passphrase, salt).await?;
        let plain = crate::crypto::open(&key, FORMAT.as_bytes(), &sealed)
            .map_err(|_| StoreError::invalid("passphrase", "err-transfer-passphrase"))?;
        TransferPackage::from_plain(&plain)
    }

    /// Imports a package as a case of this municipality: the original opening date, form version and forms A, a new
    /// number here, the old documentation kept beside it. The team's clocks start from now (the team received the
    /// case now). Only the team may.
    pub async fn import_case(
        &self,
        caller: &Caller<'_>,
        package: &TransferPackage,
    ) -> Result<TransferIntake, StoreError> {
        let tenant_id = require_team(caller.principal)?;
        // A team's own export brought back would open a second case for the same family here.
        if caller.principal.tenant_teryt.as_deref() == Some(package.from_teryt.as_str()) {
            return Err(StoreError::invalid("package", "err-transfer-own-municipality"));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let before: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT procedure_id FROM procedure_transfer WHERE tenant_id = $1 AND package_id = $2 AND direction = 'in'")
            .bind(tenant_id).bind(package.package_id).fetch_optional(c).await)?;
        if let Some((id,)) = before {
            return Ok(TransferIntake::AlreadyImported { id });
        }
        let (version, forms_a) = package.forms_a()?;
        let Some((_, first_a)) = forms_a.first() else {
            return Err(StoreError::invalid("package", "err-transfer-unreadable"));
        };
        let id = Uuid::now_v7();
        let year = now.to_zoned(domain::calendar::poland_zone()).year();
        let (seq,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
            "INSERT INTO procedure_number (tenant_id, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (tenant_id, year) DO UPDATE SET last = procedure_number.last + 1 RETURNING last")
            .bind(tenant_id).bind(i32::from(year)).fetch_one(c).await)?;
        let number = format!("NK/{year}/{seq:04}");
        let (state, _) = ProcedureState::open(package.opened_at);
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO procedure (id, tenant_id, number, form_version, opened_at, initiator_id, phase, created_at, updated_at, initiator_category, suspects_present) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10)")
            .bind(id).bind(tenant_id).bind(&number).bind(version.as_str()).bind(ts(package.opened_at))
            .bind(caller.principal.account_id).bind(state.phase().as_str()).bind(ts(now))
            .bind(&package.initiator_category).bind(all_suspects_present(first_a))
            .execute(c).await.map(|r| r.rows_affected()))?;
        let actor = caller.actor();
        let keys = self.keys.scope_keys(&mut tx, tenant_id, now).await?;
        for (form, answers) in &forms_a {
            self.insert_form(&mut tx, &actor, actor.account_id, tenant_id, id, answers, form.filled_at, false).await?;
            if let Ok(persons) = domain::procedure::intake::persons_of_form_a(answers) {
                for key in recognition_keys(&persons) {
                    let hash = keys.blind_index(MATCH_PURPOSE, &key);
                    on_tx!(&mut tx, c => sqlx::query(
                        "INSERT INTO person_match (tenant_id, key_hash, procedure_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(tenant_id).bind(hash).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
                }
            }
        }
        let transfer_id = Uuid::now_v7();
        let plain = serde_json::to_vec(package).map_err(|e| StoreError::Internal(e.to_string()))?;
        let sealed = keys.encrypt_bytes("procedure_transfer.package", transfer_id, &plain)?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO procedure_transfer (id, tenant_id, procedure_id, direction, counterpart, source_number, package_id, package_enc, created_by, created_at) \
             VALUES ($1, $2, $3, 'in', $4, $5, $6, $7, $8, $9)")
            .bind(transfer_id).bind(tenant_id).bind(id)
            .bind(format!("{} ({})", package.from_name, package.from_teryt)).bind(&package.number)
            .bind(package.package_id).bind(sealed).bind(caller.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &actor,
            &AuditRecord::new(AuditAction::Create, "procedure", id).in_tenant(Some(tenant_id)).detail(format!(
                "{number}, received from {} ({}) as {}",
                package.from_name, package.from_teryt, package.number
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(TransferIntake::Imported { id, number })
    }

    /// The documentation a case was received with, decrypted (the read is audited), or `None` for a case opened
    /// here. The team and the group may see it; an initiator may not.
    pub async fn received_documentation(&self, handle: &CaseHandle) -> Result<Option<TransferPackage>, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Ok(None);
        }
        // A write only for its audit entry: users' writes on SQLite go ahead of it.
        let mut tx = self.db.begin_audited_read().await?;
        // The documentation and the municipality's keys in one round trip, as the procedure page reads them.
        let mut batch = Batch::new(&tx);
        let received = queue_received(&mut batch, handle.procedure_id);
        let stored_keys = crate::keys::queue_scope_keys(&mut batch, handle.tenant_id);
        let mut rows = batch.run(&mut tx).await?;
        let row = rows.take_optional(received)?;
        let keys =
            self.keys.scope_keys_from(&mut tx, handle.tenant_id, self.now(), rows.take_optional(stored_keys)?).await?;
        let Some((transfer_id, package)) = received_from(row, &keys)? else { return Ok(None) };
        self.audit(
            &mut tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure_transfer", transfer_id)
                .in_tenant(Some(handle.tenant_id)),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(package))
    }
}

/// The row of the documentation received with a case (a transfer in), if any, for [`received_from`].
pub(crate) fn queue_received(batch: &mut Batch, procedure_id: Uuid) -> Slot<(Uuid, Option<Vec<u8>>)> {
    batch
        .push("SELECT id, package_enc FROM procedure_transfer WHERE procedure_id = $1 AND direction = 'in'")
        .bind(procedure_id)
        .slot()
}

/// The documentation received with the case, decrypted with its municipality's `keys`; the caller audits the read.
pub(crate) fn received_from(
    row: Option<(Uuid, Option<Vec<u8>>)>,
    keys: &ScopeKeys,
) -> Result<Option<(Uuid, TransferPackage)>, StoreError> {
    let Some((transfer_id, Some(sealed))) = row else { return Ok(None) };
    let plain = keys.decrypt_bytes("procedure_transfer.package", transfer_id, &sealed)?;
    let package: TransferPackage =
        serde_json::from_slice(&plain).map_err(|e| StoreError::corrupt_json(format!("transfer {transfer_id}"), &e))?;
    Ok(Some((transfer_id, package)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passphrase_has_120_random_bits_in_groups_and_reads_back_however_it_is_typed() {
        let p = new_passphrase();
        assert_eq!(p.len(), PASSPHRASE_SYMBOLS + PASSPHRASE_SYMBOLS / 4 - 1, "{p}");
        assert_eq!(normalised(&p).len(), PASSPHRASE_SYMBOLS);
        assert_eq!(normalised(&p.to_lowercase().replace('-', " ")), normalised(&p));
        assert_ne!(new_passphrase(), p);
    }
}
