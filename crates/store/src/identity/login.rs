//! Logging in: password, lock-out, the TOTP second factor and its enrolment, password change.

use domain::audit::AuditAction;
use domain::identity::{LockoutPolicy, Login, Role, RoleSet, check_password_policy, lockout_delay};
use jiff::Timestamp;
use totp_rs::{Builder, Totp};
use uuid::Uuid;

use super::{Principal, SessionStage, hash_password, verify_password};
use crate::db::{on_pool, on_tx};
use crate::keys::INSTALLATION_SCOPE;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// The result of a correct password: which session stage comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    pub account_id: Uuid,
    pub next: SessionStage,
}

/// What the enrolment page shows: the secret as text (to type in) and as an `otpauth://` URL (for the QR code).
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    pub secret_base32: String,
    pub otpauth_url: String,
}

/// login, tenant id, TERYT, tenant name, demo tenant, active.
type PrincipalRow = (String, Option<Uuid>, Option<String>, Option<String>, Option<bool>, bool);

#[derive(sqlx::FromRow)]
struct Credentials {
    id: Uuid,
    tenant_id: Option<Uuid>,
    password_hash: Option<String>,
    active: bool,
    totp_confirmed: bool,
}

impl Store {
    /// Checks a login and password, with lock-out per account and per address. Wrong login, wrong password, a
    /// locked, inactive or unactivated account all answer the same `AuthFailed`, so the answer tells nothing about
    /// which logins exist.
    pub async fn password_login(&self, login: &str, password: &str, address: &str) -> Result<LoginOutcome, StoreError> {
        let normalised = Login::parse(login).map(|l| l.to_string()).unwrap_or_else(|_| login.trim().to_lowercase());
        let keys = [format!("account:{normalised}"), format!("address:{address}")];
        let actor = Actor { login: normalised.clone(), ..Actor::anonymous(Some(address.to_owned())) };
        if let Some(until) = self.locked_until(&keys).await? {
            self.record_event(
                &actor,
                AuditRecord::new(AuditAction::LoginFailed, "account", &normalised).detail("locked out"),
            )
            .await?;
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let row: Option<Credentials> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, tenant_id, password_hash, active, totp_confirmed FROM account WHERE login = $1")
            .bind(&normalised).fetch_optional(p).await)?;
        let hash = row.as_ref().and_then(|r| r.password_hash.clone());
        let password_ok = verify_password(password.to_owned(), hash).await;
        let Some(row) = row.filter(|r| password_ok && r.active) else {
            let until = self.record_failure(&keys, &actor, "wrong login or password").await?;
            return Err(StoreError::AuthFailed { locked_until: until });
        };
        self.clear_failures(&keys[..1]).await?;
        let next = if self.skips_second_factor(row.tenant_id).await? {
            let mut tx = self.db.begin().await?;
            let actor = Actor { account_id: Some(row.id), tenant_id: row.tenant_id, ..actor };
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::LoginSucceeded, "account", row.id).detail("demo: no second factor"),
            )
            .await?;
            tx.commit().await?;
            SessionStage::Full
        } else if row.totp_confirmed {
            SessionStage::SecondFactor
        } else {
            SessionStage::Enrolment
        };
        Ok(LoginOutcome { account_id: row.id, next })
    }

    /// Demo accounts log in without a second factor, and only while the installation is in demo mode.
    async fn skips_second_factor(&self, tenant: Option<Uuid>) -> Result<bool, StoreError> {
        let Some(tenant) = tenant else { return Ok(false) };
        let row: Option<(bool,)> = on_pool!(&self.db, p => sqlx::query_as("SELECT is_demo FROM tenant WHERE id = $1")
            .bind(tenant).fetch_optional(p).await)?;
        Ok(row.is_some_and(|(demo,)| demo) && self.demo_mode().await?)
    }

    /// Checks a TOTP code of an account with a confirmed second factor. A code is accepted once.
    pub async fn verify_second_factor(&self, account: Uuid, code: &str, address: &str) -> Result<(), StoreError> {
        let principal = self.principal(account).await?;
        let keys = [format!("account:{}", principal.login)];
        let actor = principal.actor(Some(address.to_owned()));
        if let Some(until) = self.locked_until(&keys).await? {
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let mut tx = self.db.begin().await?;
        let (secret, last_step) = self.totp_secret(&mut tx, &principal, true).await?;
        let step = secret
            .and_then(|s| self.totp(&s, &principal.login).ok())
            .and_then(|t| t.check(code.trim(), unix_secs(self.now())));
        let fresh = step.filter(|s| last_step.is_none_or(|last| i64::try_from(*s).unwrap_or(i64::MAX) > last));
        let Some(step) = fresh else {
            drop(tx);
            let until = self.record_failure(&keys, &actor, "wrong or reused second-factor code").await?;
            return Err(StoreError::AuthFailed { locked_until: until });
        };
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET totp_last_step = $2 WHERE id = $1")
            .bind(account).bind(i64::try_from(step).unwrap_or(i64::MAX)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::LoginSucceeded, "account", account)).await?;
        tx.commit().await?;
        self.clear_failures(&keys).await
    }

    /// The pending second factor of an account that has none confirmed yet, created on first call.
    pub async fn totp_enrolment(&self, account: Uuid) -> Result<TotpEnrolment, StoreError> {
        let principal = self.principal(account).await?;
        let mut tx = self.db.begin().await?;
        let (secret, _) = self.totp_secret(&mut tx, &principal, false).await?;
        let secret = match secret {
            Some(s) => s,
            None => {
                let secret = totp_rs::Secret::generate().as_bytes().to_vec();
                let keys = self
                    .keys
                    .scope_keys(&mut tx, principal.tenant_id.unwrap_or(INSTALLATION_SCOPE), self.now())
                    .await?;
                let sealed = keys.encrypt_bytes("account.totp_secret", account, &secret)?;
                on_tx!(&mut tx, c => sqlx::query("UPDATE account SET totp_secret_enc = $2, totp_confirmed = FALSE WHERE id = $1")
                    .bind(account).bind(sealed).execute(c).await.map(|r| r.rows_affected()))?;
                secret
            }
        };
        tx.commit().await?;
        let totp = self.totp(&secret, &principal.login)?;
        Ok(TotpEnrolment {
            secret_base32: totp_rs::Secret::from(secret).to_base32(),
            otpauth_url: totp.to_url().map_err(|e| StoreError::Key(format!("{e:?}")))?,
        })
    }

    /// Confirms the pending second factor with a first code from the authenticator.
    pub async fn confirm_totp_enrolment(&self, account: Uuid, code: &str, address: &str) -> Result<(), StoreError> {
        let principal = self.principal(account).await?;
        let actor = principal.actor(Some(address.to_owned()));
        let mut tx = self.db.begin().await?;
        let (secret, _) = self.totp_secret(&mut tx, &principal, false).await?;
        let step = secret
            .and_then(|s| self.totp(&s, &principal.login).ok())
            .and_then(|t| t.check(code.trim(), unix_secs(self.now())));
        let Some(step) = step else { return Err(StoreError::invalid("code", "err-totp-wrong")) };
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET totp_confirmed = TRUE, totp_last_step = $2, updated_at = $3 WHERE id = $1")
            .bind(account).bind(i64::try_from(step).unwrap_or(i64::MAX)).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::SecondFactorEnrolled, "account", account)).await?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::LoginSucceeded, "account", account)).await?;
        tx.commit().await
    }

    /// The account's TOTP secret: the confirmed one (`confirmed = true`) or the pending one, and the last used step.
    async fn totp_secret(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        confirmed: bool,
    ) -> Result<(Option<Vec<u8>>, Option<i64>), StoreError> {
        let row: (Option<Vec<u8>>, bool, Option<i64>) = on_tx!(tx, c => sqlx::query_as(
            "SELECT totp_secret_enc, totp_confirmed, totp_last_step FROM account WHERE id = $1")
            .bind(principal.account_id).fetch_one(c).await)?;
        let (Some(sealed), true) = (row.0, row.1 == confirmed) else { return Ok((None, row.2)) };
        let keys = self.keys.scope_keys(tx, principal.tenant_id.unwrap_or(INSTALLATION_SCOPE), self.now()).await?;
        Ok((Some(keys.decrypt_bytes("account.totp_secret", principal.account_id, &sealed)?), row.2))
    }

    fn totp(&self, secret: &[u8], login: &str) -> Result<Totp, StoreError> {
        Builder::new()
            .with_secret(secret.to_vec())
            .with_account_name(login)
            .with_issuer(Some("Ostoja"))
            .build()
            .map_err(|e| StoreError::Key(format!("TOTP: {e:?}")))
    }

    /// Changes one's own password after checking the current one.
    pub async fn change_password(
        &self,
        principal: &Principal,
        current: &str,
        new: &str,
        confirmation: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        let hash: (Option<String>,) = on_pool!(&self.db, p => sqlx::query_as("SELECT password_hash FROM account WHERE id = $1")
            .bind(principal.account_id).fetch_one(p).await)?;
        if !verify_password(current.to_owned(), hash.0).await {
            return Err(StoreError::invalid("current_password", "err-password-wrong"));
        }
        check_password_policy(new, confirmation, &principal.login).map_err(|(f, c)| StoreError::invalid(f, c))?;
        let new_hash = hash_password(new.to_owned()).await?;
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(principal.account_id).bind(new_hash).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(Some(address.to_owned())),
            &AuditRecord::new(AuditAction::PasswordChanged, "account", principal.account_id),
        )
        .await?;
        tx.commit().await
    }

    /// Who the account is: login, tenant and roles.
    pub async fn principal(&self, account: Uuid) -> Result<Principal, StoreError> {
        let row: Option<PrincipalRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT a.login, a.tenant_id, t.teryt, t.name, t.is_demo, a.active FROM account a \
             LEFT JOIN tenant t ON t.id = a.tenant_id WHERE a.id = $1")
            .bind(account).fetch_optional(p).await)?;
        let Some((login, tenant_id, teryt, name, is_demo, true)) = row else { return Err(StoreError::NotFound) };
        let roles: Vec<(String,)> = on_pool!(&self.db, p => sqlx::query_as("SELECT role FROM account_role WHERE account_id = $1")
            .bind(account).fetch_all(p).await)?;
        Ok(Principal {
            account_id: account,
            login,
            tenant_id,
            tenant_teryt: teryt,
            tenant_name: name,
            tenant_is_demo: is_demo.unwrap_or(false),
            roles: RoleSet::new(roles.iter().filter_map(|(r,)| Role::parse(r).ok()).collect()),
        })
    }

    pub async fn demo_mode(&self) -> Result<bool, StoreError> {
        let row: Option<(String,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT value FROM installation_setting WHERE key = 'demo_mode'").fetch_optional(p).await)?;
        Ok(row.is_some_and(|(v,)| v == "true"))
    }

    pub async fn set_demo_mode(&self, on: bool) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO installation_setting (key, value) VALUES ('demo_mode', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(if on { "true" } else { "false" }).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &Actor::operator(),
            &AuditRecord::new(AuditAction::Update, "installation_setting", "demo_mode").detail(if on {
                "on"
            } else {
                "off"
            }),
        )
        .await?;
        tx.commit().await
    }

    // --- lock-out -----------------------------------------------------------------------------------------------

    async fn locked_until(&self, keys: &[String]) -> Result<Option<Timestamp>, StoreError> {
        let now = self.now();
        let mut latest: Option<Timestamp> = None;
        for key in keys {
            let row: Option<(Option<jiff_sqlx::Timestamp>,)> = on_pool!(&self.db, p => sqlx::query_as(
                "SELECT locked_until FROM login_throttle WHERE key = $1").bind(key).fetch_optional(p).await)?;
            if let Some((Some(until),)) = row {
                let until = until.to_jiff();
                if until > now && latest.is_none_or(|l| until > l) {
                    latest = Some(until);
                }
            }
        }
        Ok(latest)
    }

    /// Counts a failure against each key and records it; returns until when further attempts are refused.
    async fn record_failure(&self, keys: &[String], actor: &Actor, why: &str) -> Result<Option<Timestamp>, StoreError> {
        let now = self.now();
        let policy = LockoutPolicy::default();
        let mut tx = self.db.begin().await?;
        let mut locked: Option<Timestamp> = None;
        for key in keys {
            let (failures,): (i32,) = on_tx!(&mut tx, c => sqlx::query_as(
                "INSERT INTO login_throttle (key, failures, updated_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = excluded.updated_at \
                 RETURNING failures")
                .bind(key).bind(ts(now)).fetch_one(c).await)?;
            let delay = lockout_delay(&policy, u32::try_from(failures).unwrap_or(0));
            if !delay.is_zero() {
                let until = now + delay;
                on_tx!(&mut tx, c => sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE key = $1")
                    .bind(key).bind(ts(until)).execute(c).await.map(|r| r.rows_affected()))?;
                locked = Some(locked.map_or(until, |l: Timestamp| l.max(until)));
            }
        }
        let action =
            if why.contains("second-factor") { AuditAction::SecondFactorFailed } else { AuditAction::LoginFailed };
        let object = actor.account_id.map_or_else(|| actor.login.clone(), |a| a.to_string());
        self.audit(&mut tx, actor, &AuditRecord::new(action, "account", object).detail(why)).await?;
        tx.commit().await?;
        Ok(locked)
    }

    async fn clear_failures(&self, keys: &[String]) -> Result<(), StoreError> {
        for key in keys {
            on_pool!(&self.db, p => sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}

fn unix_secs(t: Timestamp) -> u64 {
    u64::try_from(t.as_second()).unwrap_or(0)
}
