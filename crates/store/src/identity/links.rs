//! One-time links: the installation's set-up link, and activation links (a new account, or after a second-factor
//! reset). Only the token's hash is stored; a link works once and expires.

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::{Login, Role, check_password_policy};
use jiff::SignedDuration;
use uuid::Uuid;

use super::{PersonalDetails, hash_password, new_token, token_hash};
use crate::db::on_tx;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Creates the first administrator.
    Setup,
    /// Sets an account's password and second factor.
    Activation,
    /// Sets a new password; the second factor stays.
    PasswordReset,
}

impl LinkPurpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Setup => "setup",
            LinkPurpose::Activation => "activation",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }

    fn validity(self) -> SignedDuration {
        match self {
            LinkPurpose::Setup => SignedDuration::from_hours(24),
            LinkPurpose::Activation => SignedDuration::from_hours(24 * 7),
            // A reset is asked for by someone who needs in now; a day is enough and a leaked link dies sooner.
            LinkPurpose::PasswordReset => SignedDuration::from_hours(24),
        }
    }
}

/// What a valid link is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    pub purpose: LinkPurpose,
    pub account_id: Option<Uuid>,
    pub login: Option<String>,
    /// The account's municipality, whose name a new password must not contain.
    pub tenant_name: Option<String>,
}

impl Store {
    pub(crate) async fn issue_link(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        purpose: LinkPurpose,
        account: Option<Uuid>,
        tenant: Option<Uuid>,
    ) -> Result<String, StoreError> {
        let (token, hash) = new_token("");
        let expires = self.now() + purpose.validity();
        // A new link replaces the account's (or the installation's) earlier unused ones.
        on_tx!(tx, c => sqlx::query("DELETE FROM one_time_link WHERE purpose = $1 AND account_id IS NOT DISTINCT FROM $2")
            .bind(purpose.as_str()).bind(account).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("INSERT INTO one_time_link (token_hash, purpose, account_id, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash).bind(purpose.as_str()).bind(account).bind(ts(expires)).execute(c).await.map(|r| r.rows_affected()))?;
        let object = account.map_or_else(|| "installation".to_owned(), |a| a.to_string());
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::ActivationIssued, "one_time_link", object)
                .in_tenant(tenant)
                .detail(purpose.as_str()),
        )
        .await?;
        Ok(token)
    }

    /// A fresh set-up link for the first administrator; earlier ones stop working.
    pub async fn issue_setup_link(&self) -> Result<String, StoreError> {
        let mut tx = self.db.begin().await?;
        let token = self.issue_link(&mut tx, &Actor::operator(), LinkPurpose::Setup, None, None).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// What the link is for, if it is valid, unused and unexpired; else `NotFound`.
    pub async fn inspect_link(&self, token: &str) -> Result<LinkInfo, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let info = self.valid_link(&mut tx, token).await?;
        tx.commit().await?;
        Ok(info)
    }

    async fn valid_link(&self, tx: &mut Tx, token: &str) -> Result<LinkInfo, StoreError> {
        type LinkRow = (String, Option<Uuid>, jiff_sqlx::Timestamp, Option<String>, Option<bool>, Option<String>);
        let row: Option<LinkRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT l.purpose, l.account_id, l.expires_at, a.login, a.active, t.name FROM one_time_link l \
             LEFT JOIN account a ON a.id = l.account_id LEFT JOIN tenant t ON t.id = a.tenant_id \
             WHERE l.token_hash = $1 AND l.used_at IS NULL")
            .bind(token_hash(token)).fetch_optional(c).await)?;
        let Some((purpose, account_id, expires, login, active, tenant_name)) = row else {
            return Err(StoreError::NotFound);
        };
        // A deactivated account's links are dead, whatever their expiry.
        if expires.to_jiff() <= self.now() || active == Some(false) {
            return Err(StoreError::NotFound);
        }
        let purpose = match purpose.as_str() {
            "setup" => LinkPurpose::Setup,
            "activation" => LinkPurpose::Activation,
            "password_reset" => LinkPurpose::PasswordReset,
            _ => return Err(StoreError::NotFound),
        };
        Ok(LinkInfo { purpose, account_id, login, tenant_name })
    }

    async fn use_link(&self, tx: &mut Tx, token: &str) -> Result<(), StoreError> {
        on_tx!(tx, c => sqlx::query("UPDATE one_time_link SET used_at = $2 WHERE token_hash = $1")
            .bind(token_hash(token)).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Creates the installation's first administrator through the set-up link.
    pub async fn complete_setup(
        &self,
        token: &str,
        login: &str,
        details: &PersonalDetails,
        password: &str,
        confirmation: &str,
        address: Option<String>,
    ) -> Result<Uuid, StoreError> {
        let mut errors = FieldErrors::new();
        let parsed_login = errors.check("login", Login::parse(login));
        let details = details.validate(&mut errors);
        if let Err((field, code)) = check_password_policy(password, confirmation, login, &[]) {
            errors.add(field, code);
        }
        let Some(login) = parsed_login.filter(|_| errors.is_empty()) else { return Err(StoreError::Invalid(errors)) };
        let hash = hash_password(password.to_owned()).await?;
        let mut tx = self.db.begin().await?;
        let info = self.valid_link(&mut tx, token).await?;
        if info.purpose != LinkPurpose::Setup {
            return Err(StoreError::NotFound);
        }
        let actor = Actor { login: login.to_string(), ..Actor::anonymous(address) };
        let id = self.insert_account(&mut tx, &actor, None, None, &login, &details).await?;
        self.grant_role(&mut tx, &actor, id, None, Role::SystemAdministrator).await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET password_hash = $2 WHERE id = $1").bind(id).bind(hash).execute(c).await.map(|r| r.rows_affected()))?;
        self.use_link(&mut tx, token).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets the password of the account the activation or password-reset link was issued for. Activation also
    /// clears the second factor (enrolled next); a password reset keeps it. Either ends the account's sessions and
    /// revokes its API tokens: whoever held them before the reset holds nothing now.
    pub async fn activate(
        &self,
        token: &str,
        password: &str,
        confirmation: &str,
        address: Option<String>,
    ) -> Result<Uuid, StoreError> {
        let info = self.inspect_link(token).await?;
        let (Some(account), Some(login)) = (info.account_id, info.login) else { return Err(StoreError::NotFound) };
        if info.purpose == LinkPurpose::Setup {
            return Err(StoreError::NotFound);
        }
        let names: Vec<&str> = info.tenant_name.as_deref().into_iter().collect();
        check_password_policy(password, confirmation, &login, &names)
            .map_err(|(field, code)| StoreError::invalid(field, code))?;
        let hash = hash_password(password.to_owned()).await?;
        let mut tx = self.db.begin().await?;
        // Checked again inside the transaction: the link may have been used in the meantime.
        self.valid_link(&mut tx, token).await?;
        let clears_second_factor = info.purpose == LinkPurpose::Activation;
        let tenant: (Option<Uuid>,) = on_tx!(&mut tx, c => sqlx::query_as(
            "UPDATE account SET password_hash = $2, \
               totp_secret_enc = CASE WHEN $4 THEN NULL ELSE totp_secret_enc END, \
               totp_confirmed = CASE WHEN $4 THEN FALSE ELSE totp_confirmed END, updated_at = $3 \
             WHERE id = $1 RETURNING tenant_id")
            .bind(account).bind(hash).bind(ts(self.now())).bind(clears_second_factor).fetch_one(c).await)?;
        self.use_link(&mut tx, token).await?;
        let actor = Actor { account_id: Some(account), login, tenant_id: tenant.0, address };
        self.end_all_access(&mut tx, &actor, account, tenant.0, "password set by one-time link").await?;
        self.audit(
            &mut tx,
            &actor,
            &AuditRecord::new(AuditAction::PasswordChanged, "account", account)
                .in_tenant(tenant.0)
                .detail(info.purpose.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(account)
    }
}
