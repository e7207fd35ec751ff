//! The store's one error type. The web layer maps each variant to a response in `web/src/error.rs`.

use domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The object does not exist, or the actor has no need to know of it: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    /// The input broke a rule; each error names its field and a message id.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// Someone else changed the object first, or a unique value is taken.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Login refused: wrong credentials, or locked out until the given time.
    #[error("authentication failed")]
    AuthFailed { locked_until: Option<jiff::Timestamp> },
    /// A key could not be loaded, unwrapped or used.
    #[error("key error: {0}")]
    Key(String),
    /// A file or the disk: creating, reading, copying or renaming a file, or running an external program.
    #[error("i/o error: {0}")]
    Io(String),
    /// Stored data that does not read back: a value outside its known set, a JSON document or a command log that
    /// no longer decodes, a stored form that no longer validates. The text names the row and what was wrong with it,
    /// never the content (it may be personal data).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A value the program made itself could not be converted (its own types to JSON, a count or a time out of
    /// range): a bug, not the user's input and not the disk.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub fn invalid(field: &'static str, code: &'static str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, code);
        StoreError::Invalid(errors)
    }

    /// A stored JSON document that no longer decodes. Only the kind of error and its place are kept: serde's own
    /// message can quote the value, and the value may be personal data that must not reach a log.
    pub fn corrupt_json(what: impl std::fmt::Display, e: &serde_json::Error) -> Self {
        StoreError::Corrupt(format!("{what}: {:?} error at line {} column {}", e.classify(), e.line(), e.column()))
    }

    /// True when the database could not be reached (the web layer answers 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)))
    }

    /// True when the database refused a write because its storage is full: SQLite's `SQLITE_FULL` (a full disk, or
    /// the database at its `max_page_count`) or PostgreSQL's `disk_full` (53100). The web layer answers 503 and says
    /// so; a read fails too, because its audit entry cannot be written (failing closed).
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => db.code().is_some_and(|c| is_storage_full_code(&c)),
            _ => false,
        }
    }
}

/// SQLite reports its (extended) result code as a number, whose low byte is the primary code (`SQLITE_FULL` = 13);
/// PostgreSQL reports a SQLSTATE (`53100` = `disk_full`).
fn is_storage_full_code(code: &str) -> bool {
    code == "53100" || code.parse::<i32>().is_ok_and(|c| c & 0xff == 13)
}

/// Turns a unique-constraint violation into a field error; passes anything else through.
pub(crate) fn unique_as_field(err: sqlx::Error, field: &'static str, code: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::invalid(field, code),
        _ => StoreError::Database(err),
    }
}
