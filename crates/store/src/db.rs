//! The two engines behind one handle.
//!
//! `Db` holds a concrete pool for each engine (sqlx's `Any` driver cannot decode UUIDs, dates or SQLite booleans,
//! see stack.md). Most SQL reads the same on both (`$n` placeholders, `RETURNING`, `ON CONFLICT`), so one body serves
//! both through `on_pool!` and `on_tx!`; where the engines truly differ, an area keeps each engine's SQL in its
//! `sqlite.rs` and `postgres.rs`.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use crate::StoreError;

#[derive(Clone, Debug)]
pub enum Db {
    /// The pool and the write gate: SQLite has one writer at a time, and writers that wait in SQLite's busy handler
    /// sleep and retry (long, unfair tails under load); queueing them on an async mutex first keeps waits short and
    /// in order. Readers never take the gate (WAL lets them run beside the writer).
    Sqlite(SqlitePool, WriteGate),
    Postgres(PgPool),
}

pub type WriteGate = Arc<tokio::sync::Mutex<()>>;

/// A transaction on whichever engine is configured. A SQLite write transaction holds the write gate until it ends.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>, Option<tokio::sync::OwnedMutexGuard<()>>),
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
            $crate::db::Tx::Sqlite(t, _) => {
                let $c = &mut **t;
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
        let pool = SqlitePoolOptions::new().max_connections(8).test_before_acquire(false).connect_with(options).await?;
        Ok(Db::Sqlite(pool, Arc::default()))
    }

    /// Connects to PostgreSQL at `url`.
    pub async fn open_postgres(url: &str) -> Result<Db, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("ostoja");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
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
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
    /// transaction that reads first and writes later can fail with "database is locked" instead of waiting.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p, gate) => {
                let guard = gate.clone().lock_owned().await;
                Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?, Some(guard))
            }
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Opens a read-only transaction: a consistent snapshot that takes no write lock (on SQLite a deferred
    /// transaction, so concurrent readers never queue behind `BEGIN IMMEDIATE`). Never write in it.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(p, _) => Tx::Sqlite(p.begin().await?, None),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
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
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t, _gate) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

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

    /// The quick check, without PostgreSQL; tests/migration_parity.rs compares the schemas the folders build.
    #[test]
    fn migration_folders_have_the_same_versions() {
        let sqlite = names("sqlite");
        let postgres = names("postgres");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres, "migrations/sqlite and migrations/postgres must hold the same file names");
    }
}
