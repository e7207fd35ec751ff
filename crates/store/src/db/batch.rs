//! Several statements sent to the database at once (issue 19 item 9).
//!
//! sqlx runs each SQLite connection on a thread of its own: every statement is a round trip to that thread, two
//! thread hand-offs that cost more than a small statement itself. A [`Batch`] sends its statements to SQLite as
//! one multi-statement query, one round trip for all of them, and gives each statement's rows back apart (SQLite
//! reports the end of every statement, rows or none). On PostgreSQL, whose driver has no such path, the statements
//! run one after another in the same transaction; the result is the same.
//!
//! Each statement is written as on its own: `$1`, `$2`… numbered from one, bound in that order. The batch numbers
//! them on into the shared list of arguments. A statement is queued with [`Batch::push`] and its rows are taken by
//! the [`Slot`] it returns, decoded into the row type the slot names.

use std::borrow::Cow;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, LazyLock, RwLock};

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Either, Executor, FromRow, Postgres, Sqlite};

use super::Tx;
use crate::StoreError;

/// Statements queued to run together, in order, inside one transaction.
pub(crate) struct Batch {
    engine: Engine,
    /// The first mistake in binding (a value that did not encode, a placeholder left without one); reported by
    /// [`Batch::run`], where every caller already handles errors.
    error: Option<String>,
}

enum Engine {
    /// One SQL text of every statement, its placeholders numbered on, and the arguments of them all.
    Sqlite {
        sql: String,
        args: SqliteArguments,
        statements: usize,
    },
    Postgres(Vec<(Cow<'static, str>, PgArguments)>),
}

/// Where one statement's rows will be, decoded as `T`.
#[must_use = "a statement's rows are taken by its slot"]
pub(crate) struct Slot<T> {
    index: usize,
    row: PhantomData<fn() -> T>,
}

/// A statement being bound, in the order of its placeholders.
pub(crate) struct Statement<'b, T> {
    batch: &'b mut Batch,
    index: usize,
    placeholders: usize,
    bound: usize,
    row: PhantomData<fn() -> T>,
}

/// The rows of every statement of a run, each taken once by its slot.
pub(crate) enum Rows {
    Sqlite(Vec<Option<Vec<SqliteRow>>>),
    Postgres(Vec<Option<Vec<PgRow>>>),
}

impl Batch {
    /// An empty batch for the engine of `tx`.
    pub(crate) fn new(tx: &Tx) -> Batch {
        let engine = match tx {
            Tx::Sqlite(..) => Engine::Sqlite { sql: String::new(), args: SqliteArguments::default(), statements: 0 },
            Tx::Postgres(_) => Engine::Postgres(Vec::new()),
        };
        Batch { engine, error: None }
    }

    /// Queues `sql` (one statement, `$1`… from one), to be bound through the returned [`Statement`].
    pub(crate) fn push<T>(&mut self, sql: impl Into<Cow<'static, str>>) -> Statement<'_, T> {
        let sql = sql.into();
        let (placeholders, index) = match &mut self.engine {
            Engine::Sqlite { sql: all, args, statements } => {
                let (text, placeholders) = renumbered(&sql, args.len());
                all.push_str(&text);
                all.push_str(";\n");
                *statements += 1;
                (placeholders, *statements - 1)
            }
            Engine::Postgres(statements) => {
                let (_, placeholders) = renumbered(&sql, 0);
                statements.push((sql, PgArguments::default()));
                (placeholders, statements.len() - 1)
            }
        };
        Statement { batch: self, index, placeholders, bound: 0, row: PhantomData }
    }

    /// One statement's rows, on its own: a batch of that statement alone, for the callers that read only it.
    pub(crate) async fn fetch_all<T>(
        tx: &mut Tx,
        queue: impl FnOnce(&mut Batch) -> Slot<T>,
    ) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        let mut batch = Batch::new(tx);
        let slot = queue(&mut batch);
        batch.run(tx).await?.take(slot)
    }

    /// Runs every queued statement in `tx` later, with the transaction's next round trip or its COMMIT (on SQLite;
    /// on PostgreSQL now): for statements whose rows no one reads, as an audit entry. An error of theirs comes from
    /// that round trip, so the transaction fails before it commits all the same.
    pub(crate) async fn defer(self, tx: &mut Tx) -> Result<(), StoreError> {
        match (self.bound()?, tx) {
            (Engine::Sqlite { statements: 0, .. }, _) => Ok(()),
            (Engine::Sqlite { sql, args, .. }, Tx::Sqlite(t)) => Ok(t.defer(sql, args).await?),
            (engine, tx) => Batch { engine, error: None }.run(tx).await.map(drop),
        }
    }

    /// The queued statements, if every one was bound.
    fn bound(self) -> Result<Engine, StoreError> {
        match self.error {
            Some(error) => Err(StoreError::Internal(format!("a batched statement could not be bound: {error}"))),
            None => Ok(self.engine),
        }
    }

    /// Runs every queued statement in `tx`: on SQLite in one round trip.
    pub(crate) async fn run(self, tx: &mut Tx) -> Result<Rows, StoreError> {
        match (self.bound()?, tx) {
            (Engine::Sqlite { statements: 0, .. }, _) => Ok(Rows::Sqlite(Vec::new())),
            (Engine::Sqlite { sql, args, statements }, Tx::Sqlite(t)) => {
                // The transaction's first statements carry its BEGIN (one round trip less).
                let (conn, begin) = t.for_batch().await?;
                let (sql, mut controls) = match begin {
                    Some(begin) => (format!("{begin};\n{sql}"), 1),
                    None => (sql, 0),
                };
                let mut stream = conn.fetch_many(sqlx::query_with(sqlx::AssertSqlSafe(sql), args));
                let mut sets: Vec<Option<Vec<SqliteRow>>> = Vec::with_capacity(statements);
                let mut current = Vec::new();
                while let Some(step) = next(&mut stream).await {
                    match step? {
                        Either::Right(row) => current.push(row),
                        // The end of the BEGIN carried first.
                        Either::Left(_) if controls > 0 => controls -= 1,
                        // The end of one statement (SQLite reports it whether or not the statement gave rows).
                        Either::Left(_) => sets.push(Some(std::mem::take(&mut current))),
                    }
                }
                if sets.len() != statements || !current.is_empty() {
                    return Err(StoreError::Internal(format!(
                        "a batch of {statements} statements gave {} results",
                        sets.len()
                    )));
                }
                Ok(Rows::Sqlite(sets))
            }
            (Engine::Postgres(statements), Tx::Postgres(t)) => {
                let mut sets = Vec::with_capacity(statements.len());
                for (sql, args) in statements {
                    let rows = match sql {
                        Cow::Borrowed(sql) => sqlx::query_with(sql, args).fetch_all(&mut **t).await?,
                        Cow::Owned(sql) => sqlx::query_with(sqlx::AssertSqlSafe(sql), args).fetch_all(&mut **t).await?,
                    };
                    sets.push(Some(rows));
                }
                Ok(Rows::Postgres(sets))
            }
            _ => Err(StoreError::Internal("a batch run on the other engine's transaction".into())),
        }
    }
}

impl<'b, T> Statement<'b, T> {
    /// Binds the next placeholder.
    pub(crate) fn bind<V>(mut self, value: V) -> Self
    where
        V: for<'q> sqlx::Encode<'q, Sqlite>
            + sqlx::Type<Sqlite>
            + for<'q> sqlx::Encode<'q, Postgres>
            + sqlx::Type<Postgres>,
    {
        let added = match &mut self.batch.engine {
            Engine::Sqlite { args, .. } => args.add(value),
            // The statement being bound is the last one queued: it holds the batch until its slot is taken.
            Engine::Postgres(statements) => match statements.last_mut() {
                Some((_, args)) => args.add(value),
                None => Err("no statement queued".into()),
            },
        };
        if added.is_err() {
            // Not the encoder's message: it may quote the value.
            self.batch.error.get_or_insert(format!("value {} of statement {}", self.bound + 1, self.index + 1));
        }
        self.bound += 1;
        self
    }

    /// The statement bound: where its rows will be. Every placeholder must have its value, or the run fails.
    pub(crate) fn slot(self) -> Slot<T> {
        if self.bound != self.placeholders {
            self.batch.error.get_or_insert(format!(
                "statement {} has {} placeholders and {} values",
                self.index + 1,
                self.placeholders,
                self.bound
            ));
        }
        Slot { index: self.index, row: PhantomData }
    }
}

impl Rows {
    /// Every row of the slot's statement.
    pub(crate) fn take<T>(&mut self, slot: Slot<T>) -> Result<Vec<T>, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        let taken =
            || StoreError::Internal(format!("the rows of batched statement {} were taken twice", slot.index + 1));
        Ok(match self {
            Rows::Sqlite(sets) => {
                let rows = sets.get_mut(slot.index).and_then(Option::take).ok_or_else(taken)?;
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
            Rows::Postgres(sets) => {
                let rows = sets.get_mut(slot.index).and_then(Option::take).ok_or_else(taken)?;
                rows.iter().map(T::from_row).collect::<Result<_, _>>()?
            }
        })
    }

    /// The first row of the slot's statement, if it gave one.
    pub(crate) fn take_optional<T>(&mut self, slot: Slot<T>) -> Result<Option<T>, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        Ok(self.take(slot)?.into_iter().next())
    }

    /// The one row of the slot's statement; `RowNotFound` (as sqlx's `fetch_one`) if it gave none.
    pub(crate) fn take_one<T>(&mut self, slot: Slot<T>) -> Result<T, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    {
        self.take_optional(slot)?.ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }
}

async fn next<S, I>(stream: &mut S) -> Option<I>
where
    S: futures_core::Stream<Item = I> + Unpin,
{
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *stream).poll_next(cx)).await
}

/// `sql` with every `$n` as `$(n + offset)`, and its highest `$n` (how many values it takes). A text the program
/// holds for good (`&'static str`, most statements) is scanned once per offset and kept: the procedure page queues the
/// same texts at the same offsets on every request, and scanning them each time was 1 % of its CPU. The kept set is
/// bounded by the program's statements and the batches they are queued in.
#[allow(clippy::ptr_arg)] // the Cow itself is the question: only a borrowed (static) text is kept
fn renumbered(sql: &Cow<'static, str>, offset: usize) -> (Arc<str>, usize) {
    // Read on every queued statement by every request; written once per text and offset.
    type Kept = RwLock<HashMap<(usize, usize, usize), (Arc<str>, usize)>>;
    static KEPT: LazyLock<Kept> = LazyLock::new(Kept::default);
    let Cow::Borrowed(text) = sql else { return renumber(sql, offset) };
    // A static text is the same text wherever its address and length are.
    let key = (text.as_ptr() as usize, text.len(), offset);
    if let Some(kept) = KEPT.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return kept.clone();
    }
    let scanned = renumber(text, offset);
    KEPT.write().unwrap_or_else(|e| e.into_inner()).insert(key, scanned.clone());
    scanned
}

fn renumber(sql: &str, offset: usize) -> (Arc<str>, usize) {
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut copied, mut highest) = (0, 0);
    each_placeholder(sql, |at, n| {
        out.push_str(sql.get(copied..at.start).unwrap_or_default());
        out.push('$');
        out.push_str(&(n + offset).to_string());
        copied = at.end;
        highest = highest.max(n);
    });
    out.push_str(sql.get(copied..).unwrap_or_default());
    (out.into(), highest)
}

/// Calls `found` with the byte range and number of each `$n` placeholder of `sql`, skipping quoted text. By bytes:
/// every placeholder, quote and digit is ASCII, and the page's batch scans a few kilobytes of SQL per request.
fn each_placeholder(sql: &str, mut found: impl FnMut(std::ops::Range<usize>, usize)) {
    let bytes = sql.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b'$' => {
                let digits =
                    bytes.get(i + 1..).map_or(0, |rest| rest.iter().take_while(|d| d.is_ascii_digit()).count());
                if digits > 0 {
                    let end = i + 1 + digits;
                    found(i..end, sql.get(i + 1..end).and_then(|d| d.parse().ok()).unwrap_or(usize::MAX));
                    i = end;
                    continue;
                }
            }
            None => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    /// A fresh database on the engine of the run (`OSTOJA_TEST_ENGINE`); the first value keeps it alive.
    async fn database() -> (crate::testing::TestDatabase, Db) {
        let test = crate::testing::TestDatabase::new().await;
        let db = match &test.options.database_url {
            Some(url) => Db::open_postgres(url).await.unwrap(),
            None => Db::open_sqlite(&test.options.data_dir).await.unwrap(),
        };
        (test, db)
    }

    /// Statements with no rows, one row and many, placeholders
    /// used twice and out of order, each slot gets its own rows in its own order.
    #[tokio::test]
    async fn each_statement_of_a_batch_gets_its_own_rows_back() {
        // Arrange
        let (_test, db) = database().await;
        db.migrate().await.unwrap();
        let mut tx = db.begin().await.unwrap();
        let mut batch = Batch::new(&tx);
        let logins: Slot<(String,)> = batch
            .push("SELECT login FROM account WHERE login = $2 OR login = $1 ORDER BY login")
            .bind("nobody-b")
            .bind("nobody-a")
            .slot();
        let numbers: Slot<(i64, String)> = batch
            .push(
                "SELECT n, $1 || CAST(n AS TEXT) FROM (SELECT CAST(1 AS BIGINT) AS n UNION ALL SELECT 2 UNION ALL SELECT 3) t \
                 WHERE n >= $2 ORDER BY n DESC",
            )
            .bind("n=")
            .bind(2_i64)
            .slot();
        let one: Slot<(bool,)> = batch.push("SELECT $1 = 'it''s $1'").bind("it's $1").slot();

        // Act
        let mut rows = batch.run(&mut tx).await.unwrap();

        // Assert
        assert_eq!(rows.take(numbers).unwrap(), vec![(3, "n=3".to_owned()), (2, "n=2".to_owned())]);
        assert!(rows.take(logins).unwrap().is_empty());
        assert_eq!(rows.take_one(one).unwrap(), (true,));
        tx.commit().await.unwrap();
    }

    /// A statement bound with fewer values than its placeholders fails the run instead of reading NULL (which is
    /// what SQLite would do with a missing value).
    #[tokio::test]
    async fn a_statement_missing_a_value_fails_the_batch() {
        let (_test, db) = database().await;
        let mut tx = db.begin_read().await.unwrap();
        let mut batch = Batch::new(&tx);
        let _ignored: Slot<(i64,)> = batch.push("SELECT CAST($1 AS BIGINT) + CAST($2 AS BIGINT)").bind(1_i64).slot();
        let err = batch.run(&mut tx).await.err().expect("the run fails");
        assert!(err.to_string().contains("2 placeholders and 1 values"), "{err}");
    }

    #[test]
    fn placeholders_are_numbered_on_past_the_statements_before_and_quoted_text_is_left_alone() {
        let (out, highest) = renumber("SELECT $1, '$2', $2 WHERE a = $1 AND b = \"$3\" AND c = $10", 4);
        assert_eq!(&*out, "SELECT $5, '$2', $6 WHERE a = $5 AND b = \"$3\" AND c = $14");
        assert_eq!(highest, 10);
        assert_eq!(renumber("SELECT $1, '$9', $2", 0).1, 2);
        assert_eq!(renumber("SELECT 1", 3), ("SELECT 1".into(), 0));
        // Kept per offset: the same static text at two offsets.
        let text: Cow<'static, str> = Cow::Borrowed("SELECT $1");
        assert_eq!(&*renumbered(&text, 2).0, "SELECT $3");
        assert_eq!(&*renumbered(&text, 0).0, "SELECT $1");
        assert_eq!(&*renumbered(&text, 2).0, "SELECT $3");
    }
}
