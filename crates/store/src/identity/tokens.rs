//! API tokens for integrations: bearer tokens limited to their account's roles.

use domain::audit::AuditAction;
use uuid::Uuid;

use super::{Principal, new_token, token_hash};
use crate::db::{on_pool, on_tx};
use crate::{Actor, AuditRecord, Store, StoreError, ts};

const PREFIX: &str = "ostoja_";

impl Store {
    /// Issues a token for the account with `login`; the token is shown once and stored only as a hash.
    pub async fn issue_api_token(&self, actor: &Actor, login: &str, name: &str) -> Result<String, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid("name", "err-required"));
        }
        let (account, tenant) = self.account_by_login(login).await?;
        let (token, hash) = new_token(PREFIX);
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO api_token (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(account).bind(name).bind(hash).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::ApiTokenIssued, "api_token", id)
                .in_tenant(tenant)
                .detail(format!("account {account}")),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The account behind a bearer token; a wrong, revoked or malformed token is recorded and answers `NotFound`.
    pub async fn authenticate_api_token(&self, token: &str, address: &str) -> Result<Principal, StoreError> {
        let row: Option<(Uuid, Uuid)> = if token.starts_with(PREFIX) && token.len() < 200 {
            on_pool!(&self.db, p => sqlx::query_as(
                "SELECT t.id, t.account_id FROM api_token t JOIN account a ON a.id = t.account_id \
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.active")
                .bind(token_hash(token)).fetch_optional(p).await)?
        } else {
            None
        };
        let Some((id, account)) = row else {
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
        on_pool!(&self.db, p => sqlx::query("UPDATE api_token SET last_used_at = $2 WHERE id = $1")
            .bind(id).bind(ts(self.now())).execute(p).await.map(|r| r.rows_affected()))?;
        self.principal(account).await
    }
}
