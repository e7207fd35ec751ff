//! Sessions in the database: an idle timeout and an absolute one, a new token at every change of stage (no session
//! fixation), and a per-session CSRF token for every form.

use domain::audit::AuditAction;
use jiff::SignedDuration;
use uuid::Uuid;

use super::{Principal, new_token, token_hash};
use crate::db::{on_pool, on_tx};
use crate::{AuditRecord, Store, StoreError, ts};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused this long ends (default 30 minutes).
    pub idle: SignedDuration,
    /// A session ends this long after login, used or not (default 12 hours).
    pub absolute: SignedDuration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: SignedDuration::from_mins(30), absolute: SignedDuration::from_hours(12) }
    }
}

/// How far a login has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    /// The password was right; the TOTP code is awaited.
    SecondFactor,
    /// The password was right and no second factor exists yet: the authenticator must be enrolled.
    Enrolment,
    /// Fully logged in.
    Full,
}

impl SessionStage {
    fn as_str(self) -> &'static str {
        match self {
            SessionStage::SecondFactor => "second_factor",
            SessionStage::Enrolment => "enrolment",
            SessionStage::Full => "full",
        }
    }

    fn parse(s: &str) -> Option<SessionStage> {
        [SessionStage::SecondFactor, SessionStage::Enrolment, SessionStage::Full]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub stage: SessionStage,
    pub csrf_token: String,
    pub principal: Principal,
}

/// Why a session token did not yield a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEnd {
    Unknown,
    Expired,
}

impl Store {
    /// Starts a session; returns the token for the cookie.
    pub async fn create_session(&self, account: Uuid, stage: SessionStage) -> Result<String, StoreError> {
        let (token, hash) = new_token("");
        let (csrf, _) = new_token("");
        let now = ts(self.now());
        on_pool!(&self.db, p => sqlx::query(
            "INSERT INTO session (token_hash, account_id, stage, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(hash).bind(account).bind(stage.as_str()).bind(csrf).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(token)
    }

    /// The session for a cookie's token, if it is alive; touching it resets the idle timer.
    pub async fn session(&self, token: &str) -> Result<Result<SessionInfo, SessionEnd>, StoreError> {
        let hash = token_hash(token);
        let row: Option<(Uuid, String, String, jiff_sqlx::Timestamp, jiff_sqlx::Timestamp)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT account_id, stage, csrf_token, created_at, last_seen_at FROM session WHERE token_hash = $1")
            .bind(&hash).fetch_optional(p).await)?;
        let Some((account, stage, csrf_token, created, last_seen)) = row else { return Ok(Err(SessionEnd::Unknown)) };
        let now = self.now();
        if now - self.sessions.idle > last_seen.to_jiff() || now - self.sessions.absolute > created.to_jiff() {
            on_pool!(&self.db, p => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(&hash).execute(p).await.map(|r| r.rows_affected()))?;
            return Ok(Err(SessionEnd::Expired));
        }
        let Some(stage) = SessionStage::parse(&stage) else { return Ok(Err(SessionEnd::Unknown)) };
        let principal = match self.principal(account).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => return Ok(Err(SessionEnd::Unknown)),
            Err(e) => return Err(e),
        };
        // Write the touch at most once a minute: a page with many requests should not write for each one.
        if now - SignedDuration::from_mins(1) > last_seen.to_jiff() {
            on_pool!(&self.db, p => sqlx::query("UPDATE session SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(&hash).bind(ts(now)).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(Ok(SessionInfo { stage, csrf_token, principal }))
    }

    /// Moves a session to the next stage under a new token (the old one stops working).
    pub async fn advance_session(
        &self,
        old_token: &str,
        account: Uuid,
        stage: SessionStage,
    ) -> Result<String, StoreError> {
        self.end_session(old_token).await?;
        self.create_session(account, stage).await
    }

    /// Ends a session without recording anything (stage changes).
    async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, p => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash(token)).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Logs out: ends the session and records it.
    pub async fn logout(&self, token: &str, principal: &Principal, address: Option<String>) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash(token)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(address),
            &AuditRecord::new(AuditAction::Logout, "account", principal.account_id),
        )
        .await?;
        tx.commit().await
    }

    /// Removes expired sessions (a periodic chore).
    pub async fn purge_sessions(&self) -> Result<u64, StoreError> {
        let idle_cutoff = ts(self.now() - self.sessions.idle);
        let absolute_cutoff = ts(self.now() - self.sessions.absolute);
        let done = on_pool!(&self.db, p => sqlx::query("DELETE FROM session WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_cutoff).bind(absolute_cutoff).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(done)
    }
}
