//! Sessions in the database: an idle timeout and an absolute one, a new token at every change of stage (no session
//! fixation), and a per-session CSRF token for every form.

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::{Role, RoleSet};
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
    /// Unread notifications of the account, for the page header, counted up to [`UNREAD_COUNT_CAP`].
    pub unread: i64,
}

/// The header's unread count stops here: past it the badge says "99+" and nobody reads an exact figure, while
/// counting every unread notification of a member with thousands would cost a millisecond on every page.
pub const UNREAD_COUNT_CAP: i64 = 100;

/// One row of the session query: one per role of the account (or one with no role).
#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: Uuid,
    stage: String,
    csrf_token: String,
    created_at: jiff_sqlx::Timestamp,
    last_seen_at: jiff_sqlx::Timestamp,
    login: String,
    tenant_id: Option<Uuid>,
    teryt: Option<String>,
    tenant_name: Option<String>,
    is_demo: Option<bool>,
    demo_account: bool,
    active: bool,
    role: Option<String>,
    unread: i64,
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
    ///
    /// One query reads the session, its account, tenant and roles, and the unread-notification count (capped at
    /// [`UNREAD_COUNT_CAP`]): every page asks for all of them, and on PostgreSQL each round trip costs more than the
    /// reading.
    pub async fn session(&self, token: &str) -> Result<Result<SessionInfo, SessionEnd>, StoreError> {
        let hash = token_hash(token);
        // The session names the tenant, so it is read before any tenant is known; the unread count it carries is
        // the session's own account's (by account_id), never another's.
        let read = async {
            on_pool!(&self.db, p => sqlx::query_as(
            "SELECT s.account_id, s.stage, s.csrf_token, s.created_at, s.last_seen_at, a.login, a.tenant_id, t.teryt, \
               t.name AS tenant_name, t.is_demo, a.is_demo AS demo_account, a.active, r.role, \
               (SELECT COUNT(*) FROM (SELECT 1 FROM notification n WHERE n.account_id = s.account_id AND n.read_at IS NULL \
                 LIMIT $2) capped) AS unread \
             FROM session s JOIN account a ON a.id = s.account_id LEFT JOIN tenant t ON t.id = a.tenant_id \
             LEFT JOIN account_role r ON r.account_id = a.id WHERE s.token_hash = $1")
            .bind(&hash).bind(UNREAD_COUNT_CAP).fetch_all(p).await)
        };
        let rows: Vec<SessionRow> =
            crate::row_security::crossing_tenants("reading a session: the tenant is not known before it", read).await?;
        let Some(first) = rows.first() else { return Ok(Err(SessionEnd::Unknown)) };
        let now = self.now();
        if now - self.sessions.idle > first.last_seen_at.to_jiff()
            || now - self.sessions.absolute > first.created_at.to_jiff()
        {
            on_pool!(&self.db, p => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(&hash).execute(p).await.map(|r| r.rows_affected()))?;
            return Ok(Err(SessionEnd::Expired));
        }
        let Some(stage) = SessionStage::parse(&first.stage) else { return Ok(Err(SessionEnd::Unknown)) };
        // A deactivated account's sessions are worth nothing.
        if !first.active {
            return Ok(Err(SessionEnd::Unknown));
        }
        // Write the touch at most once a minute: a page with many requests should not write for each one.
        if now - SignedDuration::from_mins(1) > first.last_seen_at.to_jiff() {
            on_pool!(&self.db, p => sqlx::query("UPDATE session SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(&hash).bind(ts(now)).execute(p).await.map(|r| r.rows_affected()))?;
        }
        let roles = rows.iter().filter_map(|r| r.role.as_deref()).filter_map(|r| Role::parse(r).ok()).collect();
        let principal = Principal {
            account_id: first.account_id,
            login: first.login.clone(),
            tenant_id: first.tenant_id,
            tenant_teryt: first.teryt.clone(),
            tenant_name: first.tenant_name.clone(),
            tenant_is_demo: first.is_demo.unwrap_or(false),
            demo_account: first.demo_account,
            roles: RoleSet::new(roles),
        };
        Ok(Ok(SessionInfo { stage, csrf_token: first.csrf_token.clone(), principal, unread: first.unread }))
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
    pub async fn logout(&self, token: &str, caller: &Caller<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash(token)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Logout, "account", caller.principal.account_id),
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
