//! API tokens for integrations: named bearer tokens limited to their account's roles, with an expiry.
//!
//! Guarantees:
//! - A token is shown once and stored only as a hash.
//! - Every token expires: 90 days by default, a year at most. Tokens from before expiries existed count as expiring
//!   90 days after their creation.
//! - A token dies when it is revoked (from the account's page, the API or `ostoja token revoke`), when its owner is
//!   deactivated, or when their password or second factor is reset.

use crate::Caller;
use domain::audit::AuditAction;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use super::{Principal, new_token, token_hash};
use crate::db::{on_pool, on_tx};
use crate::{Actor, AuditRecord, Store, StoreError, ts};

const PREFIX: &str = "ostoja_";

/// How long a token lives when nobody says otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 365;

/// A token's `last_used_at` is written at most this often: a read through the API need not queue a write each time.
pub const LAST_USE_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// A token as its owner's page lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl ApiTokenView {
    pub fn live_at(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

type TokenRow = (
    Uuid,
    String,
    jiff_sqlx::Timestamp,
    Option<jiff_sqlx::Timestamp>,
    Option<jiff_sqlx::Timestamp>,
    Option<jiff_sqlx::Timestamp>,
);

fn expiry(created: Timestamp, expires: Option<Timestamp>) -> Timestamp {
    expires.unwrap_or_else(|| created + SignedDuration::from_hours(24 * DEFAULT_TOKEN_DAYS))
}

impl Store {
    /// Issues a token for the account with `login`, valid [`DEFAULT_TOKEN_DAYS`]; shown once, stored as a hash.
    pub async fn issue_api_token(&self, actor: &Actor, login: &str, name: &str) -> Result<String, StoreError> {
        self.issue_api_token_for(actor, login, name, DEFAULT_TOKEN_DAYS).await
    }

    /// Issues a token valid `days` days (1 to [`MAX_TOKEN_DAYS`]). Its name must be unique among the account's
    /// live tokens, so it can be revoked by name.
    pub async fn issue_api_token_for(
        &self,
        actor: &Actor,
        login: &str,
        name: &str,
        days: i64,
    ) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(StoreError::invalid("name", "err-required"));
        }
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            return Err(StoreError::invalid("days", "err-token-days"));
        }
        let (account, tenant) = self.account_by_login(login).await?;
        let now = self.now();
        if self.list_api_tokens(account).await?.iter().any(|t| t.live_at(now) && t.name == name) {
            return Err(StoreError::invalid("name", "err-token-name-taken"));
        }
        let (token, hash) = new_token(PREFIX);
        let id = Uuid::now_v7();
        let expires = now + SignedDuration::from_hours(24 * days);
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO api_token (id, account_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(account).bind(name).bind(hash).bind(ts(now)).bind(ts(expires))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::ApiTokenIssued, "api_token", id)
                .in_tenant(tenant)
                .detail(format!("account {account}, {days} days")),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account's tokens, newest first, revoked and expired ones included.
    pub async fn list_api_tokens(&self, account: Uuid) -> Result<Vec<ApiTokenView>, StoreError> {
        let rows: Vec<TokenRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_token \
             WHERE account_id = $1 ORDER BY created_at DESC, id DESC")
            .bind(account).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, created, expires, used, revoked)| ApiTokenView {
                id,
                name,
                created_at: created.to_jiff(),
                expires_at: expiry(created.to_jiff(), expires.map(|e| e.to_jiff())),
                last_used_at: used.map(|u| u.to_jiff()),
                revoked_at: revoked.map(|r| r.to_jiff()),
            })
            .collect())
    }

    /// Revokes one of the principal's own tokens (from their page or the API).
    pub async fn revoke_own_api_token(&self, caller: &Caller<'_>, token: Uuid) -> Result<(), StoreError> {
        self.revoke_api_token(&caller.actor(), caller.principal.account_id, caller.principal.tenant_id, token).await
    }

    /// Revokes the live token named `name` of the account with `login` (the command line).
    pub async fn revoke_api_token_by_name(&self, actor: &Actor, login: &str, name: &str) -> Result<(), StoreError> {
        let (account, tenant) = self.account_by_login(login).await?;
        let now = self.now();
        let tokens = self.list_api_tokens(account).await?;
        let Some(found) = tokens.iter().find(|t| t.live_at(now) && t.name == name.trim()) else {
            return Err(StoreError::NotFound);
        };
        self.revoke_api_token(actor, account, tenant, found.id).await
    }

    async fn revoke_api_token(
        &self,
        actor: &Actor,
        account: Uuid,
        tenant: Option<Uuid>,
        token: Uuid,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let done = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE api_token SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL")
            .bind(token).bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        if done != 1 {
            return Err(StoreError::NotFound);
        }
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::ApiTokenRevoked, "api_token", token).in_tenant(tenant).detail("revoked"),
        )
        .await?;
        tx.commit().await
    }

    /// The account behind a bearer token; a wrong, revoked, expired or malformed token is recorded and answers
    /// `NotFound`. The token's last use is written at most once per [`LAST_USE_EVERY`] (the tokens page shows the
    /// day), through the write gate: on SQLite every API call otherwise queued a write beside the writers.
    pub async fn authenticate_api_token(&self, token: &str, address: &str) -> Result<Principal, StoreError> {
        type Row = (Uuid, Uuid, jiff_sqlx::Timestamp, Option<jiff_sqlx::Timestamp>, Option<jiff_sqlx::Timestamp>);
        let row: Option<Row> = if token.starts_with(PREFIX) && token.len() < 200 {
            on_pool!(&self.db, p => sqlx::query_as(
                "SELECT t.id, t.account_id, t.created_at, t.expires_at, t.last_used_at FROM api_token t \
                 JOIN account a ON a.id = t.account_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active")
                .bind(token_hash(token)).fetch_optional(p).await)?
        } else {
            None
        };
        let now = self.now();
        let live =
            row.filter(|(_, _, created, expires, _)| expiry(created.to_jiff(), expires.map(|e| e.to_jiff())) > now);
        let Some((id, account, _, _, last_used)) = live else {
            // Only a short, non-secret prefix of the presented token is recorded.
            let shown: String = token.chars().take(10).collect();
            self.record_event(
                &Actor::anonymous(Some(address.to_owned())),
                AuditRecord::new(AuditAction::ApiTokenRejected, "api_token", "unknown")
                    .detail(format!("prefix {shown}…")),
            )
            .await?;
            return Err(StoreError::NotFound);
        };
        if last_used.is_none_or(|at| now.duration_since(at.to_jiff()) >= LAST_USE_EVERY) {
            let mut tx = self.db.begin().await?;
            on_tx!(&mut tx, c => sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE id = $1")
                .bind(id).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
            tx.commit().await?;
        }
        self.principal(account).await
    }
}
