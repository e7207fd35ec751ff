//! SQLite transactions that send their own `BEGIN` and `COMMIT` (issue 19 item 9).
//!
//! sqlx's `Transaction` sends `BEGIN` and `COMMIT` to the connection's thread as round trips of their own, two thread
//! hand-offs each; on a case's page that was a third of its round trips. Here:
//! - `BEGIN` waits for the transaction's first statement and goes with it: in the same multi-statement query when that
//!   is a [`super::Batch`], just before it otherwise;
//! - a batch whose rows no one reads (an audit entry) may be deferred ([`SqliteTx::defer`]): it goes with the next
//!   round trip, before anything else, or with `COMMIT`.
//!
//! The order of statements is the order they were written in; only the error of a deferred statement comes later
//! (from the round trip that carries it, before `COMMIT` at the latest).
//!
//! sqlx does not see these statements as transaction control, so it never counts a transaction on the connection.
//! This type does: a transaction that was begun and not committed is rolled back before its connection goes back to
//! the pool, and when the rollback fails (SQLite may have rolled back by itself, after a full disk) the connection is
//! closed instead, so no connection is ever handed out inside a transaction.

use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Executor, Sqlite, SqliteConnection};

/// One SQLite transaction on a pooled connection; on SQLite's write side it also holds the write gate until it ends.
pub struct SqliteTx {
    /// `None` only once the transaction has given its connection away (in `Drop`).
    conn: Option<PoolConnection<Sqlite>>,
    state: State,
    /// Statements written into the next round trip: their SQL (placeholders numbered from one) and arguments.
    deferred: Option<(String, SqliteArguments)>,
    gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Nothing has been sent yet; this `BEGIN` goes with the first statement.
    Pending(&'static str),
    /// `BEGIN` has been sent (whether it succeeded or not: a failed transaction is rolled back or its connection
    /// closed).
    Open,
    /// Committed: the connection is clean.
    Done,
}

impl SqliteTx {
    /// A transaction that `begin` (`BEGIN` or `BEGIN IMMEDIATE`) opens with its first statement.
    pub(super) fn new(
        conn: PoolConnection<Sqlite>,
        begin: &'static str,
        gate: Option<tokio::sync::OwnedMutexGuard<()>>,
    ) -> SqliteTx {
        SqliteTx { conn: Some(conn), state: State::Pending(begin), deferred: None, gate }
    }

    /// The connection, once everything written before has been sent: for a statement of its own.
    pub(crate) async fn ready(&mut self) -> Result<&mut SqliteConnection, sqlx::Error> {
        let prefix = self.take_prefix();
        let conn = self.conn.as_deref_mut().ok_or_else(ended)?;
        if let Some((sql, args)) = prefix {
            conn.execute(sqlx::query_with(sqlx::AssertSqlSafe(sql), args)).await?;
        }
        Ok(conn)
    }

    /// The connection for a batch, and the `BEGIN` the batch must carry first if the transaction has not begun.
    /// Deferred statements are sent before, on their own (they have arguments the batch's numbering does not know).
    pub(super) async fn for_batch(&mut self) -> Result<(&mut SqliteConnection, Option<&'static str>), sqlx::Error> {
        if self.deferred.is_some() {
            return Ok((self.ready().await?, None));
        }
        let begin = self.pending_begin();
        self.state = State::Open;
        Ok((self.conn.as_deref_mut().ok_or_else(ended)?, begin))
    }

    /// Writes `sql` (with `args`, placeholders from one) into the next round trip instead of sending it now: for
    /// statements whose rows no one reads. A statement deferred before is sent first.
    pub(super) async fn defer(&mut self, sql: String, args: SqliteArguments) -> Result<(), sqlx::Error> {
        if self.deferred.is_some() {
            self.ready().await?;
        }
        self.deferred = Some((sql, args));
        Ok(())
    }

    /// Commits, with whatever was deferred, in one round trip. A transaction that never sent anything has nothing to
    /// commit.
    pub(super) async fn commit(mut self) -> Result<(), sqlx::Error> {
        if matches!(self.state, State::Pending(_)) && self.deferred.is_none() {
            self.state = State::Done;
            return Ok(());
        }
        // Begun already and nothing deferred: the prefix is empty and COMMIT goes alone.
        let (mut sql, args) = self.take_prefix().unwrap_or_default();
        sql.push_str("COMMIT");
        let conn = self.conn.as_deref_mut().ok_or_else(ended)?;
        conn.execute(sqlx::query_with(sqlx::AssertSqlSafe(sql), args)).await?;
        self.state = State::Done;
        Ok(())
    }

    /// The `BEGIN` not sent yet, if the transaction has not begun.
    fn pending_begin(&self) -> Option<&'static str> {
        match self.state {
            State::Pending(begin) => Some(begin),
            State::Open | State::Done => None,
        }
    }

    /// What must go before the next statement: the pending `BEGIN` and the deferred statements, as one text (each
    /// ended by `;\n`). Taking it marks the transaction begun.
    fn take_prefix(&mut self) -> Option<(String, SqliteArguments)> {
        let begin = self.pending_begin();
        if begin.is_none() && self.deferred.is_none() {
            return None;
        }
        self.state = State::Open;
        let (deferred, args) = self.deferred.take().unwrap_or_default();
        let mut sql = String::with_capacity(deferred.len() + 24);
        if let Some(begin) = begin {
            sql.push_str(begin);
            sql.push_str(";\n");
        }
        sql.push_str(&deferred);
        Some((sql, args))
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        if self.state != State::Open {
            // Nothing begun, or committed: the connection goes back as it came.
            return;
        }
        // Rolled back before the connection (and the write gate) are let go, so the next writer finds it clean.
        let gate = self.gate.take();
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(async move {
                    if let Err(error) = conn.execute(sqlx::raw_sql("ROLLBACK")).await {
                        tracing::warn!(%error, "a SQLite transaction could not be rolled back; its connection is closed");
                        conn.close_on_drop();
                    }
                    drop(gate);
                });
            }
            // No runtime left (shutting down): closing the connection rolls the transaction back.
            Err(_) => conn.close_on_drop(),
        }
    }
}

fn ended() -> sqlx::Error {
    sqlx::Error::Protocol("the SQLite transaction has ended".into())
}

#[cfg(test)]
mod tests {
    use crate::db::{Batch, Db, Slot, on_tx};

    /// A SQLite database in a temporary directory with a table `t (n INTEGER PRIMARY KEY)`.
    async fn database() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_sqlite(dir.path()).await.unwrap();
        let Db::Sqlite(pool, _) = &db else { unreachable!() };
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)").execute(pool).await.unwrap();
        (dir, db)
    }

    async fn rows(db: &Db) -> Vec<i64> {
        let Db::Sqlite(pool, _) = db else { unreachable!() };
        sqlx::query_scalar("SELECT n FROM t ORDER BY n").fetch_all(pool).await.unwrap()
    }

    async fn defer_insert(tx: &mut crate::Tx, n: i64) {
        let mut batch = Batch::new(tx);
        let _: Slot<()> = batch.push("INSERT INTO t (n) VALUES ($1)").bind(n).slot();
        batch.defer(tx).await.unwrap();
    }

    #[tokio::test]
    async fn a_deferred_statement_goes_with_the_commit_and_in_order_before_later_statements() {
        let (_dir, db) = database().await;
        let mut tx = db.begin().await.unwrap();
        defer_insert(&mut tx, 1).await;
        // A later statement sees the deferred one: it went first.
        let seen: Vec<(i64,)> = Batch::fetch_all(&mut tx, |b| b.push("SELECT n FROM t").slot()).await.unwrap();
        assert_eq!(seen, vec![(1,)]);
        defer_insert(&mut tx, 2).await;
        assert_eq!(rows(&db).await, Vec::<i64>::new(), "nothing is seen outside before the commit");
        tx.commit().await.unwrap();
        assert_eq!(rows(&db).await, vec![1, 2]);
    }

    #[tokio::test]
    async fn a_deferred_statements_error_fails_the_commit_and_nothing_of_the_transaction_stays() {
        let (_dir, db) = database().await;
        let mut tx = db.begin().await.unwrap();
        async { on_tx!(&mut tx, c => sqlx::query("INSERT INTO t (n) VALUES (7)").execute(c).await.map(|r| r.rows_affected())) }
            .await
            .unwrap();
        // The same key again: the primary key refuses it, at the commit that carries it.
        defer_insert(&mut tx, 7).await;
        assert!(tx.commit().await.is_err());
        // The failed transaction was rolled back before its connection was reused: every connection begins afresh.
        for n in 0..16 {
            let mut tx = db.begin().await.unwrap();
            defer_insert(&mut tx, 100 + n).await;
            tx.commit().await.unwrap();
        }
        assert_eq!(rows(&db).await, (100..116).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_transaction_dropped_unfinished_leaves_nothing_and_its_connection_clean() {
        let (_dir, db) = database().await;
        for n in 0..16 {
            let mut tx = db.begin().await.unwrap();
            async { on_tx!(&mut tx, c => sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(c).await.map(|r| r.rows_affected())) }
                .await
                .unwrap();
            defer_insert(&mut tx, 1000 + n).await;
            drop(tx);
        }
        // A transaction never used sends nothing, and commits.
        db.begin().await.unwrap().commit().await.unwrap();
        db.begin_read().await.unwrap().commit().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        defer_insert(&mut tx, 5).await;
        tx.commit().await.unwrap();
        assert_eq!(rows(&db).await, vec![5]);
    }
}
