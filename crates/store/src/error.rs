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
    #[error("i/o error: {0}")]
    Io(String),
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

    /// True when the database could not be reached (the web layer answers 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_)))
    }
}

/// Turns a unique-constraint violation into a field error; passes anything else through.
pub(crate) fn unique_as_field(err: sqlx::Error, field: &'static str, code: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::invalid(field, code),
        _ => StoreError::Database(err),
    }
}
