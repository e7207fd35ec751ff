//! Rotation of a municipality's data key (issue 20, item 6): a new key for the scope, every field sealed under the
//! old one re-encrypted in batches of one short transaction each, progress kept in `data_key_rotation` so an
//! interrupted rotation resumes where it stopped, and the old key forgotten only once no field under it remains.
//!
//! Why nothing is lost or left behind while the server keeps working:
//! - Reads: every transaction reads the key versions afresh (`Keyring::scope_keys`); while a rotation
//!   runs both keys open fields (a ciphertext names the version that sealed it).
//! - Writes: from the start of a rotation every transaction seals under the new key. The start takes the write lock
//!   on SQLite (`BEGIN IMMEDIATE`, as every writer) and an exclusive lock on `data_key` on PostgreSQL, so no writer
//!   that loaded the old keys before the start is still running after it.
//! - A batch re-encrypts rows by primary key order from the persisted cursor, locking them on PostgreSQL; a row
//!   already under the new key is left as it is.
//! - Before the swap a check looks for any field not under the new key in every covered column (and re-encrypts it):
//!   the old key goes only when that finds none, in the same transaction as the swap.
//!
//! [`ENCRYPTED`] lists every column holding ciphertext under a municipality's key; the conformance test
//! `rotation::every_encrypted_column_in_the_schema_is_rotated` fails when a column is added to the schema and not
//! here. Table and column names come only from that list, never from input, so the queries built from it are safe.

use domain::audit::AuditAction;
use sqlx::Row;
use uuid::Uuid;

use crate::crypto::{ScopeKeys, key_version_of, key_version_prefix};
use crate::db::on_tx;
use crate::{Actor, AuditRecord, Store, StoreError, Tx};

/// A table with fields sealed under its municipality's data key: its primary key and, per column, the name the
/// ciphertext is bound to (its additional data).
#[derive(Debug, Clone, Copy)]
pub struct EncryptedTable {
    pub table: &'static str,
    pub id: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
}

/// Every table with ciphertext under a municipality's data key, in the order a rotation walks them. Each has a
/// `tenant_id` column naming the scope (an account without one is the installation's).
pub const ENCRYPTED: &[EncryptedTable] = &[
    EncryptedTable {
        table: "account",
        id: "id",
        columns: &[
            ("totp_secret_enc", "account.totp_secret"),
            ("full_name_enc", "account.full_name"),
            ("email_enc", "account.email"),
            ("phone_enc", "account.phone"),
            ("position_enc", "account.position"),
        ],
    },
    EncryptedTable {
        table: "case_grant",
        id: "id",
        columns: &[("reason_enc", "case_grant.reason"), ("review_comment_enc", "case_grant.review_comment")],
    },
    EncryptedTable { table: "case_record", id: "id", columns: &[("body_enc", "case_record.body")] },
    EncryptedTable {
        table: "case_release",
        id: "id",
        columns: &[
            ("recipient_enc", "case_release.recipient"),
            ("purpose_enc", "case_release.purpose"),
            ("basis_other_enc", "case_release.basis_other"),
            ("sealed_reason_enc", "case_release.sealed_reason"),
        ],
    },
    EncryptedTable { table: "erasure", id: "id", columns: &[("comment_enc", "erasure.comment")] },
    EncryptedTable {
        table: "field_seal",
        id: "id",
        columns: &[
            ("person_name_enc", "field_seal.person_name"),
            ("reason_enc", "field_seal.reason"),
            ("unseal_reason_enc", "field_seal.unseal_reason"),
        ],
    },
    EncryptedTable { table: "form_a_intake", id: "id", columns: &[("answers_enc", "form_a_intake.answers")] },
    EncryptedTable { table: "form_draft", id: "id", columns: &[("body_enc", "form_draft.body")] },
    EncryptedTable {
        table: "procedure_closing",
        id: "id",
        columns: &[
            ("justification_enc", "procedure_closing.justification"),
            ("undo_reason_enc", "procedure_closing.undo_reason"),
        ],
    },
    EncryptedTable { table: "procedure_form", id: "id", columns: &[("answers_enc", "procedure_form.answers")] },
    EncryptedTable { table: "procedure_transfer", id: "id", columns: &[("package_enc", "procedure_transfer.package")] },
    // The regional platform (issue 17 item 7), on the voivodeship's tenant: its group's members and its meetings' texts.
    EncryptedTable {
        table: "region_group_member",
        id: "id",
        columns: &[("details_enc", "region_group_member.details")],
    },
    EncryptedTable { table: "region_meeting", id: "id", columns: &[("body_enc", "region_meeting.body")] },
    EncryptedTable {
        table: "statutory_form_persons",
        id: "form_id",
        columns: &[("persons_enc", "statutory_form_persons.persons")],
    },
    EncryptedTable {
        table: "statutory_submission",
        id: "id",
        columns: &[("return_comment_enc", "statutory_submission.return_comment")],
    },
    // One row per municipality: its row id is the municipality itself.
    EncryptedTable {
        table: "statutory_signing_key",
        id: "tenant_id",
        columns: &[("private_key_enc", "statutory_signing_key.private_key")],
    },
    EncryptedTable { table: "team_meeting", id: "id", columns: &[("body_enc", "team_meeting.body")] },
    EncryptedTable { table: "team_member", id: "id", columns: &[("details_enc", "team_member.details")] },
    EncryptedTable { table: "team_recommendation", id: "id", columns: &[("body_enc", "team_recommendation.body")] },
    EncryptedTable {
        table: "team_member_training",
        id: "id",
        columns: &[("certificate_enc", "team_member_training.certificate")],
    },
    EncryptedTable { table: "working_group_meeting", id: "id", columns: &[("body_enc", "working_group_meeting.body")] },
];

/// Rows re-encrypted per transaction by default: small enough that a page waiting for the write lock behind a batch
/// waits a few milliseconds (docs/benchmarks.md, issue 20 item 6).
pub const DEFAULT_BATCH: usize = 200;

/// The pause between batches on SQLite, bounded (see [`Store::rotate_data_key`]).
const PAUSE_MIN: std::time::Duration = std::time::Duration::from_millis(20);
const PAUSE_MAX: std::time::Duration = std::time::Duration::from_millis(150);

/// Where a rotation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationProgress {
    pub tenant_id: Uuid,
    pub from_version: i32,
    pub to_version: i32,
    /// Rows re-encrypted so far (over every run of an interrupted rotation).
    pub rows_done: i64,
    /// The table being worked on; `None` once every table has been passed.
    pub table: Option<String>,
    pub finished: bool,
}

type RotationRow = (i32, i32, Option<String>, Option<Uuid>, i64);

/// One row's fields as read: its id and each covered column's ciphertext.
type Fields = (Uuid, Vec<Option<Vec<u8>>>);

impl Store {
    /// Starts a rotation of `tenant_id`'s data key, or returns the one in progress (to be resumed). Audited.
    pub async fn start_data_key_rotation(
        &self,
        actor: &Actor,
        tenant_id: Uuid,
    ) -> Result<RotationProgress, StoreError> {
        let mut tx = self.db.begin().await?;
        // PostgreSQL: wait for every transaction that read the keys before, and hold back new ones until the next key
        // is committed, so no writer seals under the old key once the rotation has started.
        if let Tx::Postgres(t) = &mut tx {
            sqlx::query("LOCK TABLE data_key IN ACCESS EXCLUSIVE MODE").execute(&mut **t).await?;
        }
        let exists: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM tenant WHERE id = $1")
            .bind(tenant_id).fetch_optional(c).await)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        if let Some(progress) = read_progress(&mut tx, tenant_id, false).await? {
            tx.commit().await?;
            return Ok(progress);
        }
        let first = ENCRYPTED.first().map(|t| t.table).unwrap_or_default();
        let (from, to) = self.keys.begin_rotation(&mut tx, tenant_id, first, self.now()).await?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::KeyRotated, "data_key", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(format!("started: version {from} to {to}")),
        )
        .await?;
        tx.commit().await?;
        Ok(RotationProgress {
            tenant_id,
            from_version: from,
            to_version: to,
            rows_done: 0,
            table: Some(first.to_owned()),
            finished: false,
        })
    }

    /// Does one step of `tenant_id`'s rotation in one short transaction: the next `batch` rows of the current table,
    /// or, once every table is passed, the final check and (when it finds nothing left) the swap of the keys, audited.
    /// Several processes may step the same rotation: each step reads and moves the persisted cursor under a lock.
    pub async fn data_key_rotation_step(
        &self,
        actor: &Actor,
        tenant_id: Uuid,
        batch: usize,
    ) -> Result<RotationProgress, StoreError> {
        let batch = batch.max(1);
        let mut tx = self.db.begin().await?;
        let Some(mut progress) = read_progress(&mut tx, tenant_id, true).await? else {
            // Finished meanwhile (by another process), or never started.
            let (version,): (i32,) =
                on_tx!(&mut tx, c => sqlx::query_as("SELECT version FROM data_key WHERE scope_id = $1")
                .bind(tenant_id).fetch_optional(c).await)?
                .ok_or(StoreError::NotFound)?;
            tx.commit().await?;
            return Ok(RotationProgress {
                tenant_id,
                from_version: version - 1,
                to_version: version,
                rows_done: 0,
                table: None,
                finished: true,
            });
        };
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let after: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_as::<_, (Option<Uuid>,)>(
            "SELECT after_id FROM data_key_rotation WHERE scope_id = $1").bind(tenant_id).fetch_one(c).await)?
        .0;
        match progress.table.clone() {
            Some(name) => {
                let position = ENCRYPTED.iter().position(|t| t.table == name);
                let (done, last, full) = match position.and_then(|i| ENCRYPTED.get(i)) {
                    Some(table) => {
                        let rows = batch_after(&mut tx, table, tenant_id, after.unwrap_or(Uuid::nil()), batch).await?;
                        let full = rows.len() >= batch;
                        let last = rows.last().map(|(id, _)| *id);
                        (reseal(&mut tx, table, &keys, rows).await?, last, full)
                    }
                    // A table a later release dropped: nothing left to do in it.
                    None => (0, None, false),
                };
                let (next_table, next_after) = if full {
                    (Some(name.as_str()), last)
                } else {
                    (position.and_then(|i| ENCRYPTED.get(i + 1)).map(|t| t.table), None)
                };
                on_tx!(&mut tx, c => sqlx::query(
                    "UPDATE data_key_rotation SET table_name = $1, after_id = $2, rows_done = rows_done + $3 \
                     WHERE scope_id = $4")
                    .bind(next_table).bind(next_after).bind(done).bind(tenant_id).execute(c).await.map(|r| r.rows_affected()))?;
                progress.rows_done += done;
                progress.table = next_table.map(str::to_owned);
            }
            None => {
                let prefix = key_version_prefix(keys.write_version());
                let mut done = 0;
                for table in ENCRYPTED {
                    let rows = stragglers(&mut tx, table, tenant_id, &prefix, batch).await?;
                    done += reseal(&mut tx, table, &keys, rows).await?;
                }
                if done > 0 {
                    // Fields the passes missed (none expected): re-encrypted; the check runs again next step.
                    on_tx!(&mut tx, c => sqlx::query(
                        "UPDATE data_key_rotation SET rows_done = rows_done + $1 WHERE scope_id = $2")
                        .bind(done).bind(tenant_id).execute(c).await.map(|r| r.rows_affected()))?;
                    progress.rows_done += done;
                } else {
                    self.keys.end_rotation(&mut tx, tenant_id).await?;
                    self.audit(
                        &mut tx,
                        actor,
                        &AuditRecord::new(AuditAction::KeyRotated, "data_key", tenant_id)
                            .in_tenant(Some(tenant_id))
                            .detail(format!(
                                "finished: version {} retired, {} rows re-encrypted",
                                progress.from_version, progress.rows_done
                            )),
                    )
                    .await?;
                    progress.finished = true;
                }
            }
        }
        tx.commit().await?;
        Ok(progress)
    }

    /// Starts (or resumes) `tenant_id`'s rotation and steps it to the end, calling `on_step` after each step.
    pub async fn rotate_data_key(
        &self,
        actor: &Actor,
        tenant_id: Uuid,
        batch: usize,
        mut on_step: impl FnMut(&RotationProgress),
    ) -> Result<RotationProgress, StoreError> {
        let mut progress = self.start_data_key_rotation(actor, tenant_id).await?;
        let sqlite = matches!(self.db, crate::Db::Sqlite(..));
        while !progress.finished {
            let began = std::time::Instant::now();
            progress = self.data_key_rotation_step(actor, tenant_id, batch).await?;
            on_step(&progress);
            // SQLite has one writer and no fair queue between processes: a server's writer waiting in SQLite's busy
            // handler wakes at growing intervals (up to 100 ms) and, with batches back to back, kept missing the lock
            // until its 5 s timeout (measured: pages failed during a rotation from the command line). Leaving the
            // lock free as long as the batch held it, at least 20 ms and at most 150 ms, lets every waiter in.
            if sqlite && !progress.finished {
                let held = began.elapsed();
                tokio::time::sleep(held.clamp(PAUSE_MIN, PAUSE_MAX)).await;
            }
        }
        Ok(progress)
    }

    /// The municipalities whose data-key rotation was started and has not finished.
    pub async fn data_key_rotations_in_progress(&self) -> Result<Vec<Uuid>, StoreError> {
        let rows: Vec<(Uuid,)> = crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT scope_id FROM data_key_rotation ORDER BY started_at").fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Finishes every interrupted rotation (at the server's start, in the background).
    pub async fn resume_data_key_rotations(&self, batch: usize) -> Result<Vec<RotationProgress>, StoreError> {
        let mut finished = Vec::new();
        for tenant_id in self.data_key_rotations_in_progress().await? {
            finished.push(self.rotate_data_key(&Actor::operator(), tenant_id, batch, |_| {}).await?);
        }
        Ok(finished)
    }

    /// For tests and checks: how many fields of `tenant_id` are sealed under each data key version, over every
    /// covered column.
    pub async fn sealed_field_versions(&self, tenant_id: Uuid) -> Result<Vec<(u32, usize)>, StoreError> {
        let mut counts = std::collections::BTreeMap::new();
        let mut tx = self.db.begin_read().await?;
        for table in ENCRYPTED {
            for (_, fields) in all_rows(&mut tx, table, tenant_id).await? {
                for blob in fields.into_iter().flatten() {
                    *counts.entry(key_version_of(&blob)?).or_insert(0) += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(counts.into_iter().collect())
    }

    /// For tests: every covered field of `tenant_id` decrypted, keyed by table, column and row. Not audited: it
    /// exists to prove a rotation loses nothing and is reachable from no page.
    #[cfg(feature = "testing")]
    pub async fn decrypted_fields(
        &self,
        tenant_id: Uuid,
    ) -> Result<std::collections::BTreeMap<(String, String, Uuid), Vec<u8>>, StoreError> {
        let mut out = std::collections::BTreeMap::new();
        let mut tx = self.db.begin_read().await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        for table in ENCRYPTED {
            for (id, fields) in all_rows(&mut tx, table, tenant_id).await? {
                for ((column, label), blob) in table.columns.iter().zip(fields) {
                    if let Some(blob) = blob {
                        out.insert(
                            (table.table.to_owned(), (*column).to_owned(), id),
                            keys.decrypt_bytes(label, id, &blob)?,
                        );
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(out)
    }
}

/// The rotation row of `tenant_id`, locked for this transaction on PostgreSQL when `lock`.
async fn read_progress(tx: &mut Tx, tenant_id: Uuid, lock: bool) -> Result<Option<RotationProgress>, StoreError> {
    const SQL: &str =
        "SELECT from_version, to_version, table_name, after_id, rows_done FROM data_key_rotation WHERE scope_id = $1";
    let row: Option<RotationRow> = match tx {
        Tx::Postgres(t) if lock => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{SQL} FOR UPDATE")))
                .bind(tenant_id)
                .fetch_optional(&mut **t)
                .await?
        }
        _ => on_tx!(tx, c => sqlx::query_as(SQL).bind(tenant_id).fetch_optional(c).await)?,
    };
    Ok(row.map(|(from_version, to_version, table, _, rows_done)| RotationProgress {
        tenant_id,
        from_version,
        to_version,
        rows_done,
        table,
        finished: false,
    }))
}

fn column_list(table: &EncryptedTable) -> String {
    table.columns.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// Reads rows as (id, fields) from a query over `table`'s covered columns.
macro_rules! fetch_fields {
    ($tx:expr, $sql:expr, $table:expr, |$q:ident| $binds:expr) => {{
        let sql = $sql;
        let width = $table.columns.len();
        on_tx!($tx, c => {
            let $q = sqlx::query(sqlx::AssertSqlSafe(sql));
            let rows = $binds.fetch_all(c).await?;
            rows.iter()
                .map(|row| {
                    let id: Uuid = row.try_get(0)?;
                    let fields = (1..=width)
                        .map(|i| row.try_get::<Option<Vec<u8>>, _>(i))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok::<Fields, sqlx::Error>((id, fields))
                })
                .collect::<Result<Vec<Fields>, sqlx::Error>>()?
        })
    }};
}

/// The next `batch` rows of `table` in `tenant_id` after `after`, by primary key; locked on PostgreSQL.
async fn batch_after(
    tx: &mut Tx,
    table: &EncryptedTable,
    tenant_id: Uuid,
    after: Uuid,
    batch: usize,
) -> Result<Vec<Fields>, StoreError> {
    // SQLite without statistics walks a `tenant_id` index and sorts the tenant's every row, blobs included, for each
    // batch; `+tenant_id` (SQLite's way to rule that index out) makes it walk the primary key from the cursor.
    let (tenant, lock) = if matches!(tx, Tx::Postgres(_)) { ("tenant_id", " FOR UPDATE") } else { ("+tenant_id", "") };
    let sql = format!(
        "SELECT {id}, {columns} FROM {name} WHERE {tenant} = $1 AND {id} > $2 ORDER BY {id} LIMIT {batch}{lock}",
        id = table.id,
        columns = column_list(table),
        name = table.table,
    );
    Ok(fetch_fields!(tx, sql, table, |q| q.bind(tenant_id).bind(after)))
}

/// Up to `batch` rows of `table` in `tenant_id` with a field not sealed under the key whose ciphertexts start with
/// `prefix` (`substr` on bytes reads the same on both engines).
async fn stragglers(
    tx: &mut Tx,
    table: &EncryptedTable,
    tenant_id: Uuid,
    prefix: &[u8],
    batch: usize,
) -> Result<Vec<Fields>, StoreError> {
    let lock = if matches!(tx, Tx::Postgres(_)) { " FOR UPDATE" } else { "" };
    let stale = table
        .columns
        .iter()
        .map(|(c, _)| format!("({c} IS NOT NULL AND substr({c}, 1, {}) <> $2)", prefix.len()))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT {id}, {columns} FROM {name} WHERE tenant_id = $1 AND ({stale}) ORDER BY {id} LIMIT {batch}{lock}",
        id = table.id,
        columns = column_list(table),
        name = table.table,
    );
    Ok(fetch_fields!(tx, sql, table, |q| q.bind(tenant_id).bind(prefix.to_vec())))
}

async fn all_rows(tx: &mut Tx, table: &EncryptedTable, tenant_id: Uuid) -> Result<Vec<Fields>, StoreError> {
    let sql = format!(
        "SELECT {id}, {columns} FROM {name} WHERE tenant_id = $1 ORDER BY {id}",
        id = table.id,
        columns = column_list(table),
        name = table.table,
    );
    Ok(fetch_fields!(tx, sql, table, |q| q.bind(tenant_id)))
}

/// Re-encrypts under the write key every field of `rows` sealed under another; returns how many rows changed.
async fn reseal(tx: &mut Tx, table: &EncryptedTable, keys: &ScopeKeys, rows: Vec<Fields>) -> Result<i64, StoreError> {
    let target = keys.write_version();
    let sets = table.columns.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect::<Vec<_>>();
    let sql = format!(
        "UPDATE {name} SET {sets} WHERE {id} = ${n}",
        name = table.table,
        sets = sets.join(", "),
        id = table.id,
        n = table.columns.len() + 1
    );
    let mut changed = 0;
    for (id, fields) in rows {
        let mut any = false;
        let mut sealed = Vec::with_capacity(fields.len());
        for ((_, label), blob) in table.columns.iter().zip(fields) {
            sealed.push(match blob {
                Some(blob) if key_version_of(&blob)? != target => {
                    any = true;
                    let plain = keys.decrypt_bytes(label, id, &blob).map_err(|e| {
                        StoreError::Key(format!("{}.{label} of row {id} does not open: {e}", table.table))
                    })?;
                    Some(keys.encrypt_bytes(label, id, &plain)?)
                }
                other => other,
            });
        }
        if !any {
            continue;
        }
        let sql = sql.clone();
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for value in sealed {
                q = q.bind(value);
            }
            q.bind(id).execute(c).await.map(|r| r.rows_affected())
        })?;
        changed += 1;
    }
    Ok(changed)
}
