//! The two engines behind one handle.
//!
//! `Db` holds a concrete pool for each engine (sqlx's `Any` driver cannot decode UUIDs, dates or SQLite booleans,
//! see stack.md). Most SQL reads the same on both (`$n` placeholders, `RETURNING`, `ON CONFLICT`), so one body serves
//! both through `on_pool!` and `on_tx!`; where the engines truly differ, an area keeps each engine's SQL in its
//! `sqlite.rs` and `postgres.rs`.

mod batch;
mod sqlite_tx;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

use crate::StoreError;
use crate::row_security::{self, RowScope};
pub(crate) use batch::{Batch, Rows, Slot};
pub use sqlite_tx::SqliteTx;

#[derive(Clone, Debug)]
pub enum Db {
    /// The pool and the write gate: SQLite has one writer at a time, and writers that wait in SQLite's busy handler
    /// sleep and retry (long, unfair tails under load); queueing them on an async mutex first keeps waits short and
    /// in order. Readers never take the gate (WAL lets them run beside the writer).
    Sqlite(SqlitePool, Arc<WriteGate>),
    Postgres(PgPool),
}

/// SQLite's one writer at a time, queued in order. A read of a case is also a write (its audit entry), so with many
/// readers a user's write (a form A) would wait behind every read queued before it. Audited reads therefore queue
/// among themselves first: at most one of them waits at the writers' gate, and a write that comes later overtakes the
/// rest (issue 19 item 8).
#[derive(Debug, Default)]
pub struct WriteGate {
    writers: Arc<tokio::sync::Mutex<()>>,
    audited_reads: tokio::sync::Mutex<()>,
}

impl WriteGate {
    /// A writer's place: in order of arrival.
    async fn enter(&self) -> tokio::sync::OwnedMutexGuard<()> {
        Arc::clone(&self.writers).lock_owned().await
    }

    /// An audited read's place: behind the other audited reads, then at the writers' gate, where at most one of them
    /// stands at a time.
    async fn enter_after_writes(&self) -> tokio::sync::OwnedMutexGuard<()> {
        let _one_read_at_the_gate = self.audited_reads.lock().await;
        Arc::clone(&self.writers).lock_owned().await
    }
}

/// Where a write transaction queues at SQLite's [`WriteGate`].
#[derive(Clone, Copy)]
enum GatePlace {
    /// A user's write: in order of arrival.
    InOrder,
    /// A read that writes only its audit entry: behind the writes that arrive meanwhile.
    AfterWrites,
}

/// A transaction on whichever engine is configured. A SQLite write transaction holds the write gate until it ends.
pub enum Tx {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same block against whichever concrete pool is configured.
macro_rules! on_pool {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($p, _) => $body,
            $crate::db::Db::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Runs the same block against whichever concrete transaction is open; `$c` is `&mut Connection`.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            // Whatever the transaction wrote into its next round trip (its BEGIN, a deferred audit entry) goes first.
            $crate::db::Tx::Sqlite(t) => {
                let $c = t.ready().await?;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Opens (creating if needed) the embedded SQLite database in `data_dir`.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Db, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Io(format!("{}: {e}", data_dir.display())))?;
        let file = data_dir.join("ostoja.sqlite3");
        // Created by us with mode 0600 rather than by SQLite with the process's umask; its -wal and -shm follow it.
        if !file.exists() {
            crate::files::create_private(&file)?;
        }
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // No ping before each acquire: an embedded file has no network to go stale, a broken connection thread
        // still fails its next statement, and each ping is two thread hand-offs on the request's path (sqlx still
        // pings on release, off that path).
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .after_release(|conn, _| Box::pin(async move { Ok(sqlite_connection_is_clean(conn).await) }))
            .connect_with(options)
            .await?;
        Ok(Db::Sqlite(pool, Arc::default()))
    }

    /// Connects to PostgreSQL at `url`.
    pub async fn open_postgres(url: &str) -> Result<Db, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("ostoja");
        // Each connection carries the row scope of the task that takes it (row_security.rs): both hooks run inside
        // that task's acquire, `after_connect` for a new connection and `before_acquire` for an idle one, so a
        // connection never keeps the settings of the task that used it before.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(|conn, _| {
                let scope = row_security::current();
                Box::pin(async move { row_security::apply(conn, scope, false).await })
            })
            .before_acquire(|conn, _| {
                let scope = row_security::current();
                Box::pin(async move { row_security::apply(conn, scope, false).await.map(|()| true) })
            })
            .connect_with(options)
            .await?;
        let db = Db::Postgres(pool);
        if db.can_bypass_row_security().await? {
            tracing::warn!(
                "the PostgreSQL role Ostoja connects as is a superuser or has BYPASSRLS: the row-level security \
                 policies (the second wall between municipalities) do not apply; connect as the role described in \
                 docs/operations.md"
            );
        }
        Ok(db)
    }

    /// Whether the row-level security policies are powerless on this connection: on PostgreSQL when the role is a
    /// superuser or has `BYPASSRLS`; SQLite has no such policies at all (one municipality per installation).
    pub async fn can_bypass_row_security(&self) -> Result<bool, StoreError> {
        match self {
            Db::Sqlite(..) => Ok(true),
            Db::Postgres(p) => {
                let (bypass,): (bool,) =
                    sqlx::query_as("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
                        .fetch_one(p)
                        .await?;
                Ok(bypass)
            }
        }
    }

    pub fn engine(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies the embedded migrations of this engine.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(p, _) => SQLITE_MIGRATIONS.run(p).await?,
            // A migration that moves data must see every tenant's rows.
            Db::Postgres(p) => row_security::crossing_tenants("migrations", POSTGRES_MIGRATIONS.run(p)).await?,
        }
        Ok(())
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads first and writes later can fail with "database is locked" instead of waiting.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.begin_writing(GatePlace::InOrder).await
    }

    /// Opens a write transaction for a read that writes only its audit entry (a case read): as [`Db::begin`], but on
    /// SQLite it lets users' writes that arrive meanwhile go first (see [`WriteGate`]).
    pub async fn begin_audited_read(&self) -> Result<Tx, StoreError> {
        self.begin_writing(GatePlace::AfterWrites).await
    }

    /// A write transaction; on SQLite `BEGIN IMMEDIATE` once the gate lets the caller through at `place`.
    async fn begin_writing(&self, place: GatePlace) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p, gate) => {
                let guard = match place {
                    GatePlace::InOrder => gate.enter().await,
                    GatePlace::AfterWrites => gate.enter_after_writes().await,
                };
                Tx::Sqlite(SqliteTx::new(p.acquire().await?, "BEGIN IMMEDIATE", Some(guard)))
            }
            Db::Postgres(p) => Tx::Postgres(timed("BEGIN", p.begin()).await?),
        })
    }

    /// Opens a read-only transaction: a consistent snapshot that takes no write lock (on SQLite a deferred
    /// transaction, so concurrent readers never queue behind `BEGIN IMMEDIATE`). Never write in it.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p, _) => Tx::Sqlite(SqliteTx::new(p.acquire().await?, "BEGIN", None)),
            Db::Postgres(p) => Tx::Postgres(timed("BEGIN", p.begin()).await?),
        })
    }

    /// Opens a write transaction that may touch `tenant`'s rows only, whatever the task's scope (`SET LOCAL`: it ends
    /// with the transaction).
    pub async fn begin_for(&self, tenant: Uuid) -> Result<Tx, StoreError> {
        self.begin_scoped(RowScope::Tenant(tenant)).await
    }

    /// Opens a write transaction across every tenant's rows, for `reason`: the named bypass of the second wall, for
    /// what crosses tenants by its nature (see row_security.rs).
    pub async fn begin_bypass(&self, reason: &'static str) -> Result<Tx, StoreError> {
        tracing::debug!(reason, "a transaction crossing tenants");
        self.begin_scoped(RowScope::CrossingTenants(reason)).await
    }

    /// Opens a read-only transaction across every tenant's rows, for `reason` (aggregates across municipalities).
    pub async fn begin_read_bypass(&self, reason: &'static str) -> Result<Tx, StoreError> {
        tracing::debug!(reason, "a read crossing tenants");
        let mut tx = self.begin_read().await?;
        if let Tx::Postgres(t) = &mut tx {
            row_security::apply(t, RowScope::CrossingTenants(reason), true).await?;
        }
        Ok(tx)
    }

    async fn begin_scoped(&self, scope: RowScope) -> Result<Tx, StoreError> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(t) = &mut tx {
            row_security::apply(t, scope, true).await?;
        }
        Ok(tx)
    }

    /// Whether the database can take a write now, for `/readyz`: a write transaction that takes the write lock and
    /// allocates space, then rolls back, so it leaves nothing behind. On SQLite it creates a table and puts 64 KiB
    /// into it (the pager must find 17 pages: refused with `SQLITE_FULL` when the database is at its size limit) and
    /// the data directory's file system must have at least [`MIN_FREE_BYTES`] free (a rolled-back write never reaches
    /// the disk, so a full disk is seen there). On PostgreSQL the server must accept writes (not a standby, not
    /// read-only); its disk is the server's to watch.
    pub async fn check_writable(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(p, gate) => {
                if let Some(dir) = sqlite_directory(p) {
                    check_free_space(&dir)?;
                }
                let _guard = gate.enter().await;
                let mut tx = p.begin_with("BEGIN IMMEDIATE").await?;
                sqlx::query("CREATE TABLE ostoja_write_probe (b BLOB NOT NULL)").execute(&mut *tx).await?;
                sqlx::query("INSERT INTO ostoja_write_probe (b) VALUES (zeroblob(65536))").execute(&mut *tx).await?;
                tx.rollback().await?;
            }
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                let (writable,): (bool,) = sqlx::query_as(
                    "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'",
                )
                .fetch_one(&mut *tx)
                .await?;
                tx.rollback().await?;
                if !writable {
                    return Err(StoreError::Io(
                        "the PostgreSQL server accepts no writes (standby or read-only)".into(),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A cheap round trip, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await);
    }
}

/// Runs one PostgreSQL transaction control statement (BEGIN, COMMIT) and logs how long it took, at debug level under
/// the target `store::tx`. sqlx logs each query (`sqlx::query`) but not these, though they are SQL the request waits
/// for; scripts/bench-pages counts them in a page's SQL time. (SQLite's are sent as queries by `SqliteTx`, and logged
/// as such.)
async fn timed<T>(statement: &'static str, work: impl std::future::Future<Output = T>) -> T {
    let started = std::time::Instant::now();
    let out = work.await;
    tracing::debug!(target: "store::tx", statement, elapsed_secs = started.elapsed().as_secs_f64(), "transaction control");
    out
}

/// Below this much free space on the SQLite data directory's file system the database is taken as unable to write
/// (`/readyz` fails): a few pages of WAL for the next transactions.
pub const MIN_FREE_BYTES: u64 = 1024 * 1024;

/// Whether a SQLite connection handed back to the pool may be used again, after a transaction of sqlx's own (only
/// `check_writable` opens one; the store's transactions, `SqliteTx`, clean up by themselves). A transaction that failed (a full disk
/// makes SQLite roll it back by itself, so the driver's own `ROLLBACK` then fails too) can leave the driver counting
/// an open transaction on a connection that has none; reused, every `BEGIN IMMEDIATE` on it would fail with
/// "attempted to call begin_with at non-zero transaction depth" until a restart. Such a connection is closed
/// instead (the pool opens a fresh one). The dropped transaction's rollback is queued on the connection's worker:
/// the ping waits for it, and is paid only when a transaction was still counted at release.
async fn sqlite_connection_is_clean(conn: &mut sqlx::SqliteConnection) -> bool {
    use sqlx::Connection;
    if !conn.is_in_transaction() {
        return true;
    }
    if conn.ping().await.is_err() {
        return false;
    }
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!("a SQLite connection came back inside a failed transaction; closed, the pool opens a new one");
    }
    clean
}

/// The directory of the SQLite database file, if it is a file.
fn sqlite_directory(pool: &SqlitePool) -> Option<std::path::PathBuf> {
    let file = pool.connect_options().get_filename().to_path_buf();
    file.parent().map(Path::to_path_buf).filter(|d| !d.as_os_str().is_empty())
}

/// Refuses when the file system holding `dir` has less than [`MIN_FREE_BYTES`] available to this process.
#[cfg(unix)]
fn check_free_space(dir: &Path) -> Result<(), StoreError> {
    let stat = rustix::fs::statvfs(dir).map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?;
    let free = stat.f_bavail.saturating_mul(stat.f_frsize);
    if free < MIN_FREE_BYTES {
        return Err(StoreError::Io(format!("{}: only {free} bytes free", dir.display())));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_free_space(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

/// An instant as bound into SQL (see [`crate::ts`]). PostgreSQL receives a `timestamptz`. SQLite keeps instants as
/// RFC 3339 text and compares them as text (`<`, `>=`, `ORDER BY`), so every instant is written with exactly six
/// fractional digits: in the shortest spelling, "08:00:00Z" would sort after "08:00:00.5Z", and ".5Z" after ".51Z".
#[derive(Debug, Clone, Copy)]
pub(crate) struct SqlTimestamp(pub(crate) jiff::Timestamp);

impl SqlTimestamp {
    fn sqlite_text(self) -> String {
        format!("{:.6}", self.0)
    }
}

impl sqlx::Type<Sqlite> for SqlTimestamp {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <str as sqlx::Type<Sqlite>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, Sqlite> for SqlTimestamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, Sqlite>>::encode(self.sqlite_text(), buf)
    }
}

impl sqlx::Type<Postgres> for SqlTimestamp {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <jiff_sqlx::Timestamp as sqlx::Type<Postgres>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, Postgres> for SqlTimestamp {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <jiff_sqlx::Timestamp as sqlx::Encode<'q, Postgres>>::encode_by_ref(&jiff_sqlx::Timestamp::from(self.0), buf)
    }
}

impl Tx {
    /// Narrows the rest of this transaction to `tenant`'s rows (`SET LOCAL`): a step taken on a municipality's behalf
    /// in a request that acts for none, as the installation's administrator asking its chair to approve a reset.
    pub(crate) async fn act_for(&mut self, tenant: Uuid) -> Result<(), StoreError> {
        if let Tx::Postgres(t) = self {
            row_security::apply(t, RowScope::Tenant(tenant), true).await?;
        }
        Ok(())
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => timed("COMMIT", t.commit()).await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::WriteGate;

    /// Three audited reads wait at a held gate, then a user's write arrives: the write goes second (behind the one
    /// read already at the writers' gate), not last.
    #[tokio::test]
    async fn a_users_write_overtakes_the_audited_reads_queued_before_it() {
        let gate = Arc::new(WriteGate::default());
        let held = gate.enter().await;
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for name in ["read 1", "read 2", "read 3", "write"] {
            let (gate, order) = (Arc::clone(&gate), Arc::clone(&order));
            waiting.push(tokio::spawn(async move {
                let _in = if name == "write" { gate.enter().await } else { gate.enter_after_writes().await };
                order.lock().unwrap().push(name);
            }));
            // Let each one reach its queue before the next arrives.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        drop(held);
        for w in waiting {
            w.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec!["read 1", "write", "read 2", "read 3"]);
    }

    fn names(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(format!("{}/migrations/{dir}", env!("CARGO_MANIFEST_DIR")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn sqlite_instants_have_a_fixed_width_so_text_order_is_time_order() {
        let at = |s: &str| super::SqlTimestamp(s.parse().unwrap()).sqlite_text();
        assert_eq!(at("2026-03-02T08:00:00Z"), "2026-03-02T08:00:00.000000Z");
        assert_eq!(at("2026-03-02T08:00:00.5Z"), "2026-03-02T08:00:00.500000Z");
        assert!(at("2026-03-02T08:00:00Z") < at("2026-03-02T08:00:00.5Z"));
        assert!(at("2026-03-02T08:00:00.5Z") < at("2026-03-02T08:00:00.51Z"));
    }

    /// Holds every connection of the pool at once and sets `PRAGMA max_page_count` on each: `Some(extra)` caps the
    /// database at its current size plus `extra` pages (SQLite then answers `SQLITE_FULL` as on a full disk), `None`
    /// lifts the cap.
    async fn cap_pages(pool: &sqlx::SqlitePool, cap: Option<i64>) {
        let mut held = Vec::new();
        for _ in 0..pool.options().get_max_connections() {
            let mut conn = pool.acquire().await.unwrap();
            let (count,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(&mut *conn).await.unwrap();
            let pages = cap.map_or(1_073_741_823, |extra| count + extra);
            sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {pages}")))
                .execute(&mut *conn)
                .await
                .unwrap();
            held.push(conn);
        }
    }

    /// A plain one-row insert (no trigger, so no statement journal) that meets `SQLITE_FULL` makes SQLite roll the
    /// whole transaction back by itself; the driver's `ROLLBACK` on drop then fails, and before the fix the
    /// connection went back to the pool still counting a transaction: every later `BEGIN IMMEDIATE` on it failed.
    #[tokio::test]
    async fn a_transaction_that_met_a_full_disk_gives_its_connection_back_clean() {
        // Arrange
        let dir = tempfile::tempdir().unwrap();
        let db = super::Db::open_sqlite(dir.path()).await.unwrap();
        let super::Db::Sqlite(pool, _) = &db else { unreachable!() };
        sqlx::query("CREATE TABLE filler (b BLOB NOT NULL)").execute(pool).await.unwrap();

        // Act: every connection meets the full disk inside a write transaction (capped again each time: the pool
        // replaces a discarded connection with a fresh one, which has no cap).
        let mut full = 0;
        for _ in 0..32 {
            cap_pages(pool, Some(0)).await;
            let mut tx = db.begin().await.unwrap();
            let err = async {
                super::on_tx!(&mut tx, c => sqlx::query("INSERT INTO filler (b) VALUES (zeroblob(65536))")
                    .execute(c).await.map(|r| r.rows_affected()))
            }
            .await
            .unwrap_err();
            assert!(crate::StoreError::from(err).is_storage_full());
            full += 1;
        }
        cap_pages(pool, None).await;

        // Assert: with space back, every transaction on every connection begins and commits.
        assert_eq!(full, 32);
        for n in 0..64 {
            let mut tx = db.begin().await.unwrap_or_else(|e| panic!("transaction {n} after space was freed: {e}"));
            async {
                super::on_tx!(&mut tx, c => sqlx::query("INSERT INTO filler (b) VALUES (zeroblob(100))")
                    .execute(c).await.map(|r| r.rows_affected()))
            }
            .await
            .unwrap();
            tx.commit().await.unwrap();
            let mut read = db.begin_read().await.unwrap_or_else(|e| panic!("read {n} after space was freed: {e}"));
            let (rows,): (i64,) = async {
                super::on_tx!(&mut read, c => sqlx::query_as("SELECT count(*) FROM filler").fetch_one(c).await)
            }
            .await
            .unwrap();
            assert_eq!(rows, n + 1);
        }
        db.check_writable().await.unwrap();
    }

    /// The quick check, without PostgreSQL; tests/migration_parity.rs compares the schemas the folders build.
    #[test]
    fn migration_folders_have_the_same_versions() {
        let sqlite = names("sqlite");
        let postgres = names("postgres");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must hold the same file names");
    }
}
