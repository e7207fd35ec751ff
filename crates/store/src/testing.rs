//! A fresh database per test, on the engine the test run asks for.
//!
//! `OSTOJA_TEST_ENGINE=sqlite` (the default) gives a SQLite file in a temporary directory; `OSTOJA_TEST_ENGINE=postgres`
//! creates a new database on the server at `OSTOJA_TEST_DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, a superuser) and drops it when the test ends. The database belongs
//! to, and the test connects as, a plain role ([`APPLICATION_ROLE`]) that PostgreSQL's row-level security holds, as in
//! production, when `OSTOJA_TEST_PLAIN_ROLE=1`. `scripts/test` runs the whole suite once per engine.

// Test support: failing loudly is the point here.
#![allow(clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use crate::StorageOptions;

pub struct TestDatabase {
    pub options: StorageOptions,
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

pub fn engine() -> String {
    std::env::var("OSTOJA_TEST_ENGINE").unwrap_or_else(|_| "sqlite".into())
}

fn admin_url() -> String {
    std::env::var("OSTOJA_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if base[..i].contains("://") && base[..i].ends_with(|c: char| c != '/') => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Replaces the user (and drops the password) in a PostgreSQL URL; the test server trusts local connections.
fn with_user(url: &str, user: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// The role the PostgreSQL tests connect as: neither a superuser nor `BYPASSRLS`, the owner of each test database, as
/// docs/operations.md tells operators to set Ostoja up. The row-level security policies hold it, so a code path that
/// forgets its tenant scope fails in the tests as it would in production. The superuser at `OSTOJA_TEST_DATABASE_URL`
/// only creates this role, and creates and drops the databases.
pub const APPLICATION_ROLE: &str = "ostoja_rls_test";

/// Whether the PostgreSQL tests connect as [`APPLICATION_ROLE`] (`OSTOJA_TEST_PLAIN_ROLE=1`) or as the superuser of
/// `OSTOJA_TEST_DATABASE_URL`, whom no policy holds (the default for now). Not the default yet: the store's
/// conformance tests call the store outside any request, so they act for no municipality and the wall hides their
/// own rows; each needs the scope its callers set (`acting_for`) before the suite can run as the plain role.
/// `conformance/row_security.rs` always runs as the plain role ([`TestDatabase::new_as_application_role`]).
fn plain_role() -> bool {
    std::env::var("OSTOJA_TEST_PLAIN_ROLE").is_ok_and(|v| v == "1")
}

impl TestDatabase {
    /// A fresh database on the engine of the run. On PostgreSQL with `OSTOJA_TEST_PLAIN_ROLE=1` it is owned by and
    /// opened as [`APPLICATION_ROLE`].
    pub async fn new() -> TestDatabase {
        Self::create(plain_role()).await
    }

    async fn create(as_application_role: bool) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let data_dir: PathBuf = dir.path().join("data");
        match engine().as_str() {
            "postgres" => {
                let admin = admin_url();
                let name = format!("ostoja_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL for tests at {admin} is not reachable: {e}"));
                let url = if as_application_role {
                    create_application_role(&mut conn).await;
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name} OWNER {APPLICATION_ROLE}")))
                        .execute(&mut conn)
                        .await
                        .expect("create test database");
                    with_user(&with_database(&admin, &name), APPLICATION_ROLE)
                } else {
                    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                        .execute(&mut conn)
                        .await
                        .expect("create test database");
                    with_database(&admin, &name)
                };
                TestDatabase {
                    options: StorageOptions { data_dir, database_url: Some(url), master_key_file: None },
                    dir,
                    postgres: Some((admin, name)),
                }
            }
            "sqlite" => TestDatabase {
                options: StorageOptions { data_dir, database_url: None, master_key_file: None },
                dir,
                postgres: None,
            },
            other => panic!("OSTOJA_TEST_ENGINE must be sqlite or postgres, not {other}"),
        }
    }

    /// A fresh PostgreSQL database owned by, and opened as, [`APPLICATION_ROLE`] whatever `OSTOJA_TEST_PLAIN_ROLE`
    /// says: what the row-level security tests need. `None` on SQLite.
    pub async fn new_as_application_role() -> Option<TestDatabase> {
        if engine() != "postgres" {
            return None;
        }
        Some(Self::create(true).await)
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// Creates [`APPLICATION_ROLE`] when it is missing. Tests run in parallel processes: another may create the role
/// between the check and the CREATE.
async fn create_application_role(conn: &mut sqlx::PgConnection) {
    let create = format!(
        "DO $$ BEGIN \
           IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APPLICATION_ROLE}') THEN \
             CREATE ROLE {APPLICATION_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; \
           END IF; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
    );
    sqlx::query(sqlx::AssertSqlSafe(create)).execute(&mut *conn).await.expect("create the application role");
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Drop runs outside async; a short-lived runtime on its own thread drops the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await {
                        let _ =
                            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Benchmarks of `ostoja audit verify` (docs/benchmarks.md, "Issue 14: audit chain"): appends `entries` keyed
/// entries to the trail in batches, as the store would have written them one by one, and moves the head. The
/// PostgreSQL path turns the head-moving trigger off while it runs (one head update per batch instead of per row);
/// run it only on a benchmark database.
pub async fn fill_audit_trail(store: &crate::Store, entries: i64) -> Result<(), crate::StoreError> {
    use crate::audit::{AuditEntry, CHAIN_KEYED};
    use crate::db::{Db, on_tx};

    const BATCH: i64 = 10_000;
    let keys = store.keys.audit_keys()?;
    let (mut seq, mut prev_hash): (i64, Vec<u8>) = crate::db::on_pool!(&store.db, p => sqlx::query_as(
        "SELECT seq, hash FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
    let start = crate::truncate(store.now());
    if let Db::Postgres(p) = &store.db {
        sqlx::query("ALTER TABLE audit_entry DISABLE TRIGGER audit_head_follows_entry").execute(p).await?;
    }
    let mut written = 0;
    while written < entries {
        let n = BATCH.min(entries - written);
        let mut batch = Vec::with_capacity(n as usize);
        for _ in 0..n {
            seq += 1;
            let mut entry = AuditEntry {
                seq,
                at: start + jiff::SignedDuration::from_micros(seq),
                tenant_id: None,
                actor_id: None,
                actor_login: Some("benchmark".into()),
                action: "read_personal_data".into(),
                object_kind: "procedure".into(),
                object_id: Some(uuid::Uuid::from_u128(seq as u128).to_string()),
                detail: String::new(),
                address: Some("192.0.2.10".into()),
                prev_hash: std::mem::take(&mut prev_hash),
                hash: Vec::new(),
                chain_version: CHAIN_KEYED,
            };
            entry.hash = entry.compute_mac(&keys);
            prev_hash = entry.hash.clone();
            batch.push(entry);
        }
        let mut tx = store.db.begin().await?;
        if let crate::Tx::Postgres(t) = &mut tx {
            let micros: Vec<i64> = batch.iter().map(|e| e.at.as_microsecond()).collect();
            sqlx::query(
                "INSERT INTO audit_entry (seq, at, actor_login, action, object_kind, object_id, detail, address, \
                 prev_hash, hash, chain_version) \
                 SELECT s, 'epoch'::timestamptz + m * interval '1 microsecond', 'benchmark', 'read_personal_data', \
                 'procedure', o, '', '192.0.2.10', p, h, 2 FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], \
                 $4::bytea[], $5::bytea[]) AS u(s, m, o, p, h)",
            )
            .bind(batch.iter().map(|e| e.seq).collect::<Vec<_>>())
            .bind(micros)
            .bind(batch.iter().map(|e| e.object_id.clone().unwrap_or_default()).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.prev_hash.clone()).collect::<Vec<_>>())
            .bind(batch.iter().map(|e| e.hash.clone()).collect::<Vec<_>>())
            .execute(&mut **t)
            .await?;
        } else {
            for e in &batch {
                on_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO audit_entry (seq, at, actor_login, action, object_kind, object_id, detail, address, \
                     prev_hash, hash, chain_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                    .bind(e.seq).bind(crate::ts(e.at)).bind(&e.actor_login).bind(&e.action).bind(&e.object_kind)
                    .bind(&e.object_id).bind(&e.detail).bind(&e.address).bind(&e.prev_hash).bind(&e.hash)
                    .bind(e.chain_version)
                    .execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE chain = 1")
            .bind(seq).bind(&prev_hash).execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        written += n;
    }
    if let Db::Postgres(p) = &store.db {
        sqlx::query("ALTER TABLE audit_entry ENABLE TRIGGER audit_head_follows_entry").execute(p).await?;
    }
    Ok(())
}

/// Records a confidentiality declaration (art. 9c ust. 3) for a tenant's account, signed long ago, as the team's
/// staff would on its page: what a test account needs before it reaches case data as staff or as a group member.
/// A current team member's declaration is the one on its record; this one does not replace it.
pub async fn sign_confidentiality(store: &crate::Store, account_id: uuid::Uuid) {
    // Test set-up, as the team's staff of the account's own municipality would do it on its page.
    let signing = async {
        crate::db::on_pool!(store.db(), p => sqlx::query(
        "INSERT INTO account_confidentiality (account_id, tenant_id, kind, signed_on, recorded_at) \
         SELECT id, tenant_id, 'declaration', '2000-01-01', created_at FROM account \
         WHERE id = $1 AND tenant_id IS NOT NULL ON CONFLICT (account_id) DO NOTHING")
        .bind(account_id).execute(p).await.map(|r| r.rows_affected()))
    };
    crate::row_security::crossing_tenants("test support: a declaration for any municipality's account", signing)
        .await
        .expect("declaration recorded");
}

/// The number of rows in every table, by name: what the authorization test compares before and after a refused
/// request, so that a refusal which still wrote something (an audit entry of a read, a draft, a grant) is caught.
pub async fn row_counts(store: &crate::Store) -> Vec<(String, i64)> {
    use crate::db::Db;
    let tables: Vec<(String,)> = match store.db() {
        Db::Sqlite(p, _) => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%' ORDER BY name",
        )
        .fetch_all(p)
        .await
        .expect("tables"),
        Db::Postgres(p) => sqlx::query_as(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name",
        )
        .fetch_all(p)
        .await
        .expect("tables"),
    };
    // One statement for all tables: the names come from the catalogue, never from a request.
    let sql = tables
        .iter()
        .map(|(t,)| format!("SELECT '{t}', COUNT(*) FROM \"{t}\""))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    // Every municipality's rows: a refusal that wrote into another tenant's rows must show too.
    let counting = async {
        crate::db::on_pool!(store.db(), p => sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await)
    };
    crate::row_security::crossing_tenants("test support: row counts of every table", counting)
        .await
        .expect("row counts")
}

/// Simulates a full disk on SQLite (issue 19): holds every connection of the pool at once and sets
/// `PRAGMA max_page_count` on each. `Some(extra)` caps the database at its current size plus `extra` pages, so SQLite
/// answers `SQLITE_FULL` exactly as when the disk is full (the pager refuses the next page, and a transaction may be
/// rolled back by SQLite itself); `None` lifts the cap, as freeing space does. A connection the pool opens later has
/// no cap: call it again before a check that must see the cap. Returns false on PostgreSQL, which has no such knob.
pub async fn cap_sqlite_pages(store: &crate::Store, cap: Option<i64>) -> bool {
    let crate::Db::Sqlite(pool, _) = &store.db else { return false };
    let mut held = Vec::new();
    for _ in 0..pool.options().get_max_connections() {
        let mut conn = pool.acquire().await.expect("connection");
        let (count,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(&mut *conn).await.expect("page count");
        let pages = cap.map_or(1_073_741_823, |extra| count + extra);
        sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {pages}")))
            .execute(&mut *conn)
            .await
            .expect("max_page_count");
        held.push(conn);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced_in_a_url() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h:5432", "x"), "postgres://u@h:5432/x");
    }
}
