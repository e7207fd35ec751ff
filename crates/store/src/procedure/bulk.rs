//! Synthetic cases written in bulk, for benchmarks and large demos: the same rows the normal path writes (a numbered
//! procedure, its form A encrypted with the municipality's data key, real blind indexes, the command log, the group),
//! in multi-row INSERTs inside one transaction per call. Only demo municipalities take them.
//!
//! What differs from the normal path, on purpose:
//! - One summary audit entry per call ("procedure_batch", naming how many cases and their numbers) instead of one
//!   per form and per command: the trail stays honest about what happened (a bulk load), without a million entries
//!   that record nobody's work.
//! - No recognition of the same people across cases: synthetic families are not matched against each other.
//! - The command log is checked by replaying it through the state machine before anything is written, so every
//!   stored log is one that the normal read path accepts; the stored phase is the replayed one.

use domain::audit::AuditAction;
use domain::forms::ValidatedAnswers;
use domain::procedure::intake::{persons_of_form_a, recognition_keys};
use domain::procedure::lifecycle::{Command, GroupMemberKind, replay};
use jiff::Timestamp;
use uuid::Uuid;

use super::{MATCH_PURPOSE, filled_at, search};
use crate::db::{SqlTimestamp, on_tx};
use crate::{Actor, AuditRecord, Store, StoreError, ts};
use domain::person::search::SEARCH_INDEX_VERSION;

/// One synthetic case: its form A (the opening instant is the form's) and its command log with each step's instant.
#[derive(Debug, Clone)]
pub struct SyntheticCase {
    pub form_a: ValidatedAnswers,
    pub commands: Vec<(Command, Timestamp)>,
    /// The group's accounts, when the log appoints a group.
    pub group: Vec<(Uuid, GroupMemberKind)>,
}

/// Who acts in a municipality's synthetic cases.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticActors {
    /// Filed the forms A.
    pub initiator: Uuid,
    /// Appointed the groups (the team).
    pub team: Uuid,
}

/// Rows per INSERT statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const CHUNK: usize = 500;

struct Row {
    id: Uuid,
    number: String,
    opened_at: SqlTimestamp,
    updated_at: SqlTimestamp,
    phase: &'static str,
    version: i64,
    form_id: Uuid,
    sealed: Vec<u8>,
}

impl Store {
    /// Writes `cases` into the demo municipality `tenant_id` in one transaction; returns how many. Refused for a
    /// municipality that is not marked as a demo.
    pub async fn insert_synthetic_cases(
        &self,
        actor: &Actor,
        tenant_id: Uuid,
        who: SyntheticActors,
        cases: &[SyntheticCase],
    ) -> Result<usize, StoreError> {
        if cases.is_empty() {
            return Ok(0);
        }
        let now = self.now();
        // Check and prepare everything before the transaction: replay, persons, opening instants.
        let mut prepared = Vec::with_capacity(cases.len());
        for case in cases {
            let opened_at = filled_at(&case.form_a)?;
            let state = replay(opened_at, &case.commands)
                .map_err(|e| StoreError::Internal(format!("synthetic command log: {}", e.code())))?;
            let persons = persons_of_form_a(&case.form_a).map_err(StoreError::Invalid)?;
            let json =
                serde_json::to_vec(&case.form_a.to_answers()).map_err(|e| StoreError::Internal(e.to_string()))?;
            prepared.push((case, opened_at, state.phase().as_str(), recognition_keys(&persons), json));
        }
        prepared.sort_by_key(|p| p.1);

        let mut tx = self.db.begin().await?;
        let demo: Option<(bool,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT is_demo FROM tenant WHERE id = $1")
            .bind(tenant_id).fetch_optional(c).await)?;
        if demo != Some((true,)) {
            return Err(StoreError::invalid("tenant", "err-synthetic-not-demo"));
        }
        let keys = self.keys.scope_keys(&mut tx, tenant_id, now).await?;
        // Numbers: reserve a block per year, in opening order.
        let mut rows = Vec::with_capacity(prepared.len());
        let year_of = |at: Timestamp| at.to_zoned(domain::calendar::poland_zone()).year();
        for same_year in prepared.chunk_by(|a, b| year_of(a.1) == year_of(b.1)) {
            let Some(year) = same_year.first().map(|p| year_of(p.1)) else { continue };
            let n = i64::try_from(same_year.len()).map_err(|e| StoreError::Internal(e.to_string()))?;
            let (last,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
                "INSERT INTO procedure_number (tenant_id, year, last) VALUES ($1, $2, $3) \
                 ON CONFLICT (tenant_id, year) DO UPDATE SET last = procedure_number.last + $3 RETURNING last")
                .bind(tenant_id).bind(i32::from(year)).bind(n).fetch_one(c).await)?;
            for (seq, (case, opened_at, phase, _, json)) in (last - n + 1..).zip(same_year) {
                let form_id = Uuid::now_v7();
                let version =
                    1 + i64::try_from(case.commands.len()).map_err(|e| StoreError::Internal(e.to_string()))?;
                let updated = case.commands.last().map_or(*opened_at, |(_, at)| *at);
                rows.push(Row {
                    id: Uuid::now_v7(),
                    number: format!("NK/{year}/{seq:04}"),
                    opened_at: ts(*opened_at),
                    updated_at: ts(updated),
                    phase,
                    version,
                    form_id,
                    sealed: keys.encrypt_bytes("procedure_form.answers", form_id, json)?,
                });
            }
        }
        let created = ts(now);
        for (chunk, cases) in rows.chunks(CHUNK).zip(prepared.chunks(CHUNK)) {
            on_tx!(&mut tx, c => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO procedure (id, tenant_id, number, form_version, opened_at, initiator_id, phase, created_at, updated_at, version) ");
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.id).push_bind(tenant_id).push_bind(r.number.clone()).push_bind("2023")
                        .push_bind(r.opened_at).push_bind(who.initiator).push_bind(r.phase).push_bind(created)
                        .push_bind(r.updated_at).push_bind(r.version);
                });
                q.build().execute(&mut *c).await?;
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO procedure_form (id, procedure_id, tenant_id, kind, version, answers_enc, filled_at, entered_by, created_at, search_indexed) ");
                q.push_values(chunk, |mut b, r| {
                    b.push_bind(r.form_id).push_bind(r.id).push_bind(tenant_id).push_bind("A").push_bind("2023")
                        .push_bind(r.sealed.clone()).push_bind(r.opened_at).push_bind(who.initiator).push_bind(created)
                        .push_bind(SEARCH_INDEX_VERSION);
                });
                q.build().execute(&mut *c).await?;
                // Found by search like every form the normal path stores.
                let searchable: Vec<(Uuid, Uuid, Vec<u8>, &'static str)> = chunk.iter().zip(cases).flat_map(|(r, p)| {
                    search::index_rows(&keys, &p.0.form_a).into_iter().map(|(hash, role)| (r.id, r.form_id, hash, role))
                        .collect::<Vec<_>>()
                }).collect();
                for part in searchable.chunks(CHUNK) {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO person_search (tenant_id, key_hash, procedure_id, form_id, role) ");
                    q.push_values(part, |mut b, (id, form_id, hash, role)| {
                        b.push_bind(tenant_id).push_bind(hash.clone()).push_bind(*id).push_bind(*form_id)
                            .push_bind(*role);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *c).await?;
                }
                let matches: Vec<(Uuid, Vec<u8>)> = chunk.iter().zip(cases).flat_map(|(r, p)| {
                    p.3.iter().map(|k| (r.id, keys.blind_index(MATCH_PURPOSE, k))).collect::<Vec<_>>()
                }).collect();
                if !matches.is_empty() {
                    let mut q = sqlx::QueryBuilder::new("INSERT INTO person_match (tenant_id, key_hash, procedure_id) ");
                    q.push_values(&matches, |mut b, (id, hash)| {
                        b.push_bind(tenant_id).push_bind(hash.clone()).push_bind(*id);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *c).await?;
                }
                let mut commands = Vec::new();
                for (r, p) in chunk.iter().zip(cases) {
                    let member = p.0.group.first().map_or(who.initiator, |(a, _)| *a);
                    for (seq, (command, at)) in p.0.commands.iter().enumerate() {
                        let actor = if matches!(command, Command::AppointGroup { .. }) { who.team } else { member };
                        let json = serde_json::to_string(command).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
                        commands.push((r.id, i64::try_from(seq).unwrap_or(i64::MAX) + 1, json, command.as_str(), ts(*at), actor));
                    }
                }
                // Entered now, like every step the normal path records (`recorded_at`), whatever its event time.
                for part in commands.chunks(CHUNK) {
                    let mut q = sqlx::QueryBuilder::new(
                        "INSERT INTO procedure_command (procedure_id, seq, command, kind, at, actor_id, recorded_at) ");
                    q.push_values(part, |mut b, (id, seq, json, kind, at, actor)| {
                        b.push_bind(*id).push_bind(*seq).push_bind(json.clone()).push_bind(*kind).push_bind(*at)
                            .push_bind(*actor).push_bind(created);
                    });
                    q.build().execute(&mut *c).await?;
                }
                let members: Vec<(Uuid, Uuid, &'static str)> = chunk.iter().zip(cases)
                    .flat_map(|(r, p)| p.0.group.iter().map(|(a, k)| (r.id, *a, k.as_str())).collect::<Vec<_>>())
                    .collect();
                if !members.is_empty() {
                    let mut q = sqlx::QueryBuilder::new("INSERT INTO group_member (procedure_id, account_id, kind) ");
                    q.push_values(&members, |mut b, (id, account, kind)| {
                        b.push_bind(*id).push_bind(*account).push_bind(*kind);
                    });
                    q.build().execute(&mut *c).await?;
                }
                Ok::<(), sqlx::Error>(())
            })?;
        }
        let (first, last) = (rows.first().map(|r| r.number.clone()), rows.last().map(|r| r.number.clone()));
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "procedure_batch", tenant_id).in_tenant(Some(tenant_id)).detail(
                format!(
                    "synthetic demo data: {} procedures with form A, {}..{}",
                    rows.len(),
                    first.unwrap_or_default(),
                    last.unwrap_or_default()
                ),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(rows.len())
    }
}
