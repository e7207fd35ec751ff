//! Search by person (issue 16): find a case by surname, first name and surname, PESEL or case number.
//!
//! Guarantees:
//! - The index (`person_search`) holds keyed hashes only (HMAC under the municipality's blind-index key, purpose
//!   `SEARCH_PURPOSE`, apart from recognition's), of the strings `domain::person::search::index_entries` makes
//!   from every person of every form. Every form is indexed in the transaction that stores it
//!   (`index_form`, called by `insert_form` and the bulk path); forms stored before the index existed are indexed
//!   by [`Store::index_pending_forms`], which `ostoja serve` runs at start.
//! - A search answers only within need-to-know, in the same query (`crate::access::search_visible_sql`): a match in a
//!   case the reader may not see is not returned, so the answer is exactly the answer to no match. An initiator
//!   finds a case only by the persons of the forms A they filed themselves, the part of the case they may read.
//! - Every search is in the audit trail: its kind, a keyed hash of what was looked up (never the text), and the
//!   cases found.

use crate::Caller;
use std::collections::BTreeMap;

use domain::audit::AuditAction;
use domain::forms::ValidatedAnswers;
use domain::person::search::{SEARCH_INDEX_VERSION, SearchQuery, SearchRole, index_entries};
use jiff::Timestamp;
use uuid::Uuid;

use crate::crypto::ScopeKeys;
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// The blind-index purpose of the search keys: a search hash never equals a recognition or seal hash.
pub(crate) const SEARCH_PURPOSE: &str = "person-search";
/// The purpose of the hash an audit entry keeps of what was searched: not the index's, so the trail cannot be joined
/// to the index rows by someone who reads both tables.
const AUDIT_PURPOSE: &str = "person-search-audit";
/// The most cases one search lists; more asks the reader to narrow it (a first name with the surname).
pub const SEARCH_MAX_CASES: usize = 100;
/// Forms indexed per transaction by the pass over older forms.
const INDEX_BATCH: i64 = 500;

/// A case found by a search: what the list shows, and in which roles the searched person appears (none for a case
/// number). No other person's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub id: Uuid,
    pub number: String,
    pub phase: String,
    pub opened_at: Timestamp,
    pub roles: Vec<SearchRole>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResult {
    pub hits: Vec<SearchHit>,
    /// More cases matched than [`SEARCH_MAX_CASES`].
    pub truncated: bool,
}

#[derive(sqlx::FromRow)]
struct HitRow {
    id: Uuid,
    number: String,
    phase: String,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    opened_at: Timestamp,
    role: Option<String>,
}

/// Indexes the persons of one stored form, replacing what an earlier version indexed, inside the transaction that
/// stores it.
pub(crate) async fn index_form(
    tx: &mut Tx,
    keys: &ScopeKeys,
    tenant_id: Uuid,
    procedure_id: Uuid,
    form_id: Uuid,
    answers: &ValidatedAnswers,
) -> Result<(), StoreError> {
    on_tx!(tx, c => sqlx::query("DELETE FROM person_search WHERE form_id = $1")
        .bind(form_id).execute(c).await.map(|r| r.rows_affected()))?;
    for entry in index_entries(answers) {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO person_search (tenant_id, key_hash, procedure_id, form_id, role) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING")
            .bind(tenant_id).bind(keys.blind_index(SEARCH_PURPOSE, &entry.key)).bind(procedure_id).bind(form_id)
            .bind(entry.role.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, c => sqlx::query("UPDATE procedure_form SET search_indexed = $2 WHERE id = $1")
        .bind(form_id).bind(SEARCH_INDEX_VERSION).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The rows [`index_form`] would write for a form, for the bulk path: (key hash, role).
pub(crate) fn index_rows(keys: &ScopeKeys, answers: &ValidatedAnswers) -> Vec<(Vec<u8>, &'static str)> {
    index_entries(answers).into_iter().map(|e| (keys.blind_index(SEARCH_PURPOSE, &e.key), e.role.as_str())).collect()
}

impl Store {
    /// Looks the cases up that the principal may see and that `query` matches, newest first, and records the search
    /// in the audit trail. A case the principal may not see is never among them: the answer is then the same as for
    /// no match.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "search_procedures", account = %caller.principal.account_id))]
    pub async fn search_procedures(
        &self,
        caller: &Caller<'_>,
        query: &SearchQuery,
    ) -> Result<SearchResult, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else {
            return Ok(SearchResult { hits: Vec::new(), truncated: false });
        };
        let mut tx = self.db.begin().await?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id, self.now()).await?;
        let staff = crate::access::holds_staff_role(caller.principal);
        let member = crate::access::holds_member_role(caller.principal);
        let (today, now) = (self.today_text(), ts(self.now()));
        let rows: Vec<HitRow> = if let Some(number) = &query.number {
            on_tx!(&mut tx, c => sqlx::query_as(concat!(
                "SELECT p.id, p.number, p.phase, p.opened_at, NULL AS role FROM procedure p \
                 WHERE p.tenant_id = $1 AND p.number = $7 AND ",
                crate::access::case_visible_sql!("$4", "$2", "$3", "$5", "$6")))
                .bind(tenant_id).bind(staff).bind(member).bind(caller.principal.account_id).bind(&today).bind(now)
                .bind(number).fetch_all(c).await)?
        } else {
            let hashes: Vec<Vec<u8>> = query.keys.iter().map(|k| keys.blind_index(SEARCH_PURPOSE, k)).collect();
            let placeholders: Vec<String> = (0..hashes.len()).map(|i| format!("${}", i + 7)).collect();
            let sql = format!(
                "{} AND s.key_hash IN ({}) ORDER BY p.opened_at DESC, p.id DESC LIMIT {}",
                concat!(
                    "SELECT DISTINCT p.id, p.number, p.phase, p.opened_at, s.role FROM person_search s \
                     JOIN procedure p ON p.id = s.procedure_id WHERE s.tenant_id = $1 AND p.tenant_id = $1 AND ",
                    crate::access::search_visible_sql!("$4", "$2", "$3", "$5", "$6")
                ),
                placeholders.join(", "),
                // Several roles of one case are several rows; this bounds the rows, not the cases.
                SEARCH_MAX_CASES * SearchRole::ALL.len() + 1
            );
            on_tx!(&mut tx, c => {
                // Safe: `sql` is assembled from literals and numbered placeholders only; every value is bound.
                let mut q = sqlx::query_as::<_, HitRow>(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(tenant_id).bind(staff).bind(member).bind(caller.principal.account_id).bind(&today).bind(now);
                for hash in &hashes {
                    q = q.bind(hash.clone());
                }
                q.fetch_all(c).await
            })?
        };
        let mut order: Vec<Uuid> = Vec::new();
        let mut hits: BTreeMap<Uuid, SearchHit> = BTreeMap::new();
        for row in rows {
            let hit = hits.entry(row.id).or_insert_with(|| {
                order.push(row.id);
                SearchHit { id: row.id, number: row.number, phase: row.phase, opened_at: row.opened_at, roles: vec![] }
            });
            if let Some(role) = row.role.as_deref().and_then(SearchRole::parse)
                && !hit.roles.contains(&role)
            {
                hit.roles.push(role);
            }
        }
        let truncated = order.len() > SEARCH_MAX_CASES;
        let hits: Vec<SearchHit> = order
            .into_iter()
            .take(SEARCH_MAX_CASES)
            .filter_map(|id| hits.remove(&id))
            .map(|mut h| {
                h.roles.sort();
                h
            })
            .collect();
        let looked_up = query.keys.join("\n") + query.number.as_deref().unwrap_or("");
        let detail = format!(
            "person search; kind: {}; keyed hash: {}; found: {}{}",
            query.kind.as_str(),
            hex::encode(keys.blind_index(AUDIT_PURPOSE, &looked_up).get(..16).unwrap_or_default()),
            if hits.is_empty() {
                "none".to_owned()
            } else {
                hits.iter().map(|h| h.id.to_string()).collect::<Vec<_>>().join(",")
            },
            if truncated { " and more" } else { "" }
        );
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "case_list", "search")
                .in_tenant(Some(tenant_id))
                .detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(SearchResult { hits, truncated })
    }

    /// Indexes for search the forms stored before the index existed (or under an older version of its keys), a batch
    /// per transaction, until none is left; returns how many. Safe to run beside the server: every form written
    /// meanwhile is indexed by its own transaction, and a form indexed twice gets the same rows.
    pub async fn index_pending_forms(&self) -> Result<usize, StoreError> {
        let mut total = 0;
        loop {
            let done = self.index_pending_batch(INDEX_BATCH).await?;
            total += done;
            if done == 0 {
                return Ok(total);
            }
        }
    }

    async fn index_pending_batch(&self, limit: i64) -> Result<usize, StoreError> {
        let mut tx = self.db.begin().await?;
        let rows: Vec<(Uuid, Uuid, Uuid, String, String, Vec<u8>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, tenant_id, procedure_id, kind, version, answers_enc FROM procedure_form \
             WHERE search_indexed < $1 ORDER BY tenant_id, id LIMIT $2")
            .bind(SEARCH_INDEX_VERSION).bind(limit).fetch_all(c).await)?;
        let mut keys: Option<ScopeKeys> = None;
        let mut key_tenant = None;
        let mut per_tenant: BTreeMap<Uuid, usize> = BTreeMap::new();
        for (form_id, tenant_id, procedure_id, kind, version, sealed) in &rows {
            if key_tenant != Some(*tenant_id) {
                keys = Some(self.keys.scope_keys(&mut tx, *tenant_id, self.now()).await?);
                key_tenant = Some(*tenant_id);
            }
            let Some(keys) = keys.as_ref() else { continue };
            let json = keys.decrypt_bytes("procedure_form.answers", *form_id, sealed)?;
            match super::read_form(kind, version, &json) {
                Ok(answers) => index_form(&mut tx, keys, *tenant_id, *procedure_id, *form_id, &answers).await?,
                Err(_) => {
                    // A stored form that no longer validates cannot be read for its persons; it is marked so the
                    // pass ends, and said (by id only) so that it can be looked at.
                    tracing::warn!(form = %form_id, "a stored form does not validate; not indexed for search");
                    on_tx!(&mut tx, c => sqlx::query("UPDATE procedure_form SET search_indexed = $2 WHERE id = $1")
                        .bind(*form_id).bind(SEARCH_INDEX_VERSION).execute(c).await.map(|r| r.rows_affected()))?;
                }
            }
            *per_tenant.entry(*tenant_id).or_default() += 1;
        }
        // The pass decrypts forms: one entry per municipality and batch says so.
        let actor = Actor { account_id: None, login: "system (search index)".into(), tenant_id: None, address: None };
        for (tenant_id, n) in per_tenant {
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::Update, "procedure_batch", tenant_id)
                    .in_tenant(Some(tenant_id))
                    .detail(format!("search index built for {n} stored forms")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// How many forms of the principal's municipality still wait for the search index (the pass at start has not
    /// reached them yet), so that a page can say its answer may be incomplete.
    pub async fn forms_pending_search_index(&self, principal: &Principal) -> Result<i64, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(0) };
        let (n,): (i64,) = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT COUNT(*) FROM procedure_form WHERE tenant_id = $1 AND search_indexed < $2")
            .bind(tenant_id).bind(SEARCH_INDEX_VERSION).fetch_one(p).await)?;
        Ok(n)
    }
}
