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

/// login, tenant id, TERYT, tenant name, demo tenant, demo account, active.
type PrincipalRow = (String, Option<Uuid>, Option<String>, Option<String>, Option<bool>, bool, bool);

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
    ///
    /// The attempt is counted before the password is checked, atomically per key (`reserve_attempt`): a
    /// burst of parallel attempts gets exactly the policy's free attempts checked, however many arrive at once.
    /// A failure for a known account is recorded in its municipality, so its data protection officer sees it.
    pub async fn password_login(&self, login: &str, password: &str, address: &str) -> Result<LoginOutcome, StoreError> {
        let normalised = Login::parse(login).map(|l| l.to_string()).unwrap_or_else(|_| login.trim().to_lowercase());
        let keys = [account_key(&normalised), (format!("address:{address}"), LockoutPolicy::per_address())];
        let row: Option<Credentials> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, tenant_id, password_hash, active, totp_confirmed FROM account WHERE login = $1")
            .bind(&normalised).fetch_optional(p).await)?;
        let actor = Actor {
            login: normalised.clone(),
            tenant_id: row.as_ref().and_then(|r| r.tenant_id),
            ..Actor::anonymous(Some(address.to_owned()))
        };
        let object = row.as_ref().map_or_else(|| normalised.clone(), |r| r.id.to_string());
        if let Err(until) = self.reserve_attempt(&keys).await? {
            self.record_event(
                &actor,
                AuditRecord::new(AuditAction::LoginFailed, "account", &object)
                    .in_tenant(actor.tenant_id)
                    .detail("locked out"),
            )
            .await?;
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let hash = row.as_ref().and_then(|r| r.password_hash.clone());
        let password_ok = verify_password(password.to_owned(), hash).await;
        let Some(row) = row.filter(|r| password_ok && r.active) else {
            let until = self.record_failure(&keys, &actor, &object, "wrong login or password").await?;
            return Err(StoreError::AuthFailed { locked_until: until });
        };
        self.attempt_succeeded(&keys).await?;
        let next = if self.skips_second_factor(row.tenant_id).await? {
            let mut tx = self.db.begin().await?;
            let actor = Actor { account_id: Some(row.id), tenant_id: row.tenant_id, ..actor };
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::LoginSucceeded, "account", row.id).detail("demo: no second factor"),
            )
            .await?;
            self.note_login(&mut tx, row.id).await?;
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

    /// Checks a TOTP code of an account with a confirmed second factor. A code is accepted once: the last used
    /// step is read under a row lock on PostgreSQL (SQLite has one writer at a time), so two simultaneous log-ins
    /// cannot both use it. A code may be typed with spaces, as authenticator apps show it ("123 456").
    pub async fn verify_second_factor(&self, account: Uuid, code: &str, address: &str) -> Result<(), StoreError> {
        let principal = self.principal(account).await?;
        let keys = [account_key(&principal.login)];
        let actor = principal.actor(Some(address.to_owned()));
        if let Err(until) = self.reserve_attempt(&keys).await? {
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let mut tx = self.db.begin().await?;
        let (secret, last_step) = self.totp_secret(&mut tx, &principal, true).await?;
        let step = secret
            .and_then(|s| self.totp(&s, &principal.login).ok())
            .and_then(|t| t.check(&code, unix_secs(self.now())));
        let fresh = step.filter(|s| last_step.is_none_or(|last| i64::try_from(*s).unwrap_or(i64::MAX) > last));
        let Some(step) = fresh else {
            drop(tx);
            let object = account.to_string();
            let until = self.record_failure(&keys, &actor, &object, "wrong or reused second-factor code").await?;
            return Err(StoreError::AuthFailed { locked_until: until });
        };
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET totp_last_step = $2 WHERE id = $1")
            .bind(account).bind(i64::try_from(step).unwrap_or(i64::MAX)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::LoginSucceeded, "account", account)).await?;
        self.note_login(&mut tx, account).await?;
        tx.commit().await?;
        self.attempt_succeeded(&keys).await
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
            .and_then(|t| t.check(&code.split_whitespace().collect::<String>(), unix_secs(self.now())));
        let Some(step) = step else { return Err(StoreError::invalid("code", "err-totp-wrong")) };
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET totp_confirmed = TRUE, totp_last_step = $2, updated_at = $3 WHERE id = $1")
            .bind(account).bind(i64::try_from(step).unwrap_or(i64::MAX)).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::SecondFactorEnrolled, "account", account)).await?;
        self.audit(&mut tx, &actor, &AuditRecord::new(AuditAction::LoginSucceeded, "account", account)).await?;
        self.note_login(&mut tx, account).await?;
        tx.commit().await
    }

    /// The account's TOTP secret: the confirmed one (`confirmed = true`) or the pending one, and the last used step.
    async fn totp_secret(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        confirmed: bool,
    ) -> Result<(Option<Vec<u8>>, Option<i64>), StoreError> {
        // FOR UPDATE on PostgreSQL: the last used step must not change between this read and the write after it.
        let row: (Option<Vec<u8>>, bool, Option<i64>) = match tx {
            Tx::Sqlite(t) => {
                sqlx::query_as("SELECT totp_secret_enc, totp_confirmed, totp_last_step FROM account WHERE id = $1")
                    .bind(principal.account_id)
                    .fetch_one(t.ready().await?)
                    .await?
            }
            Tx::Postgres(c) => {
                sqlx::query_as(
                    "SELECT totp_secret_enc, totp_confirmed, totp_last_step FROM account WHERE id = $1 FOR UPDATE",
                )
                .bind(principal.account_id)
                .fetch_one(&mut **c)
                .await?
            }
        };
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

    /// Changes one's own password after checking the current one. Throttled like logging in (a wrong current
    /// password counts against the account), and every other session of the account ends: whoever else was logged in
    /// as this person is out.
    pub async fn change_password(
        &self,
        principal: &Principal,
        session_token: &str,
        current: &str,
        new: &str,
        confirmation: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        let keys = [account_key(&principal.login)];
        let actor = principal.actor(Some(address.to_owned()));
        if let Err(until) = self.reserve_attempt(&keys).await? {
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let hash: (Option<String>,) = on_pool!(&self.db, p => sqlx::query_as("SELECT password_hash FROM account WHERE id = $1")
            .bind(principal.account_id).fetch_one(p).await)?;
        if !verify_password(current.to_owned(), hash.0).await {
            let object = principal.account_id.to_string();
            if let Some(until) = self.record_failure(&keys, &actor, &object, "wrong current password").await? {
                return Err(StoreError::AuthFailed { locked_until: Some(until) });
            }
            return Err(StoreError::invalid("current_password", "err-password-wrong"));
        }
        self.attempt_succeeded(&keys).await?;
        let names: Vec<&str> = principal.tenant_name.as_deref().into_iter().collect();
        check_password_policy(new, confirmation, &principal.login, &names)
            .map_err(|(f, c)| StoreError::invalid(f, c))?;
        let new_hash = hash_password(new.to_owned()).await?;
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET password_hash = $2, updated_at = $3 WHERE id = $1")
            .bind(principal.account_id).bind(new_hash).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        let ended = on_tx!(&mut tx, c => sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_hash <> $2")
            .bind(principal.account_id).bind(super::token_hash(session_token)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &actor,
            &AuditRecord::new(AuditAction::PasswordChanged, "account", principal.account_id)
                .in_tenant(principal.tenant_id)
                .detail(format!("other sessions ended: {ended}")),
        )
        .await?;
        tx.commit().await
    }

    /// Who the account is: login, tenant and roles.
    pub async fn principal(&self, account: Uuid) -> Result<Principal, StoreError> {
        let row: Option<PrincipalRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT a.login, a.tenant_id, t.teryt, t.name, t.is_demo, a.is_demo, a.active FROM account a \
             LEFT JOIN tenant t ON t.id = a.tenant_id WHERE a.id = $1")
            .bind(account).fetch_optional(p).await)?;
        let Some((login, tenant_id, teryt, name, is_demo, demo_account, true)) = row else {
            return Err(StoreError::NotFound);
        };
        let roles: Vec<(String,)> = on_pool!(&self.db, p => sqlx::query_as("SELECT role FROM account_role WHERE account_id = $1")
            .bind(account).fetch_all(p).await)?;
        Ok(Principal {
            account_id: account,
            login,
            tenant_id,
            tenant_teryt: teryt,
            tenant_name: name,
            tenant_is_demo: is_demo.unwrap_or(false),
            demo_account,
            roles: RoleSet::new(roles.iter().filter_map(|(r,)| Role::parse(r).ok()).collect()),
        })
    }

    pub async fn demo_mode(&self) -> Result<bool, StoreError> {
        let row: Option<(String,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT value FROM installation_setting WHERE key = 'demo_mode'").fetch_optional(p).await)?;
        Ok(row.is_some_and(|(v,)| v == "true"))
    }

    /// Marks an account as made by `ostoja demo`.
    pub async fn mark_demo_account(&self, account: Uuid) -> Result<(), StoreError> {
        on_pool!(&self.db, p => sqlx::query("UPDATE account SET is_demo = TRUE WHERE id = $1")
            .bind(account).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends a demo installation: demo mode off and every demo account deactivated (sessions and tokens ended), so
    /// real municipalities can be created and nobody holding the published password gets in.
    pub async fn end_demo(&self) -> Result<u64, StoreError> {
        let mut tx = self.db.begin().await?;
        let accounts: Vec<(Uuid, Option<Uuid>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "UPDATE account SET active = FALSE, deactivated_at = $1 WHERE is_demo AND active RETURNING id, tenant_id")
            .bind(ts(self.now())).fetch_all(c).await)?;
        let actor = Actor::operator();
        for (id, tenant) in &accounts {
            self.end_all_access(&mut tx, &actor, *id, *tenant, "demo ended").await?;
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::AccountDeactivated, "account", id)
                    .in_tenant(*tenant)
                    .detail("demo ended"),
            )
            .await?;
        }
        tx.commit().await?;
        self.set_demo_mode(false).await?;
        Ok(accounts.len() as u64)
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

    /// Counts one attempt against each key before any password or code is checked, or answers until when a key is
    /// locked. Atomic per key: the upsert only counts while the key is unlocked (PostgreSQL re-checks that condition
    /// on the row it has locked; SQLite has one writer at a time), and the attempt that reaches the policy's limit
    /// sets the lock in the same transaction, so parallel attempts past the limit find it locked. A success lifts
    /// what its own attempt counted ([`Store::attempt_succeeded`]).
    async fn reserve_attempt(&self, keys: &[(String, LockoutPolicy)]) -> Result<Result<(), Timestamp>, StoreError> {
        let now = self.now();
        let mut tx = self.throttle_tx().await?;
        for (key, policy) in keys {
            let counted: Option<(i32,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "INSERT INTO login_throttle (key, failures, updated_at) VALUES ($1, 1, $2) \
                 ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, updated_at = excluded.updated_at \
                 WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= excluded.updated_at \
                 RETURNING failures")
                .bind(key).bind(ts(now)).fetch_optional(c).await)?;
            let Some((attempts,)) = counted else {
                let (until,): (Option<jiff_sqlx::Timestamp>,) = on_tx!(&mut tx, c => sqlx::query_as(
                    "SELECT locked_until FROM login_throttle WHERE key = $1").bind(key).fetch_one(c).await)?;
                drop(tx);
                return Ok(Err(until.map_or(now, |u| u.to_jiff())));
            };
            let delay = lockout_delay(policy, u32::try_from(attempts).unwrap_or(0));
            if !delay.is_zero() {
                on_tx!(&mut tx, c => sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE key = $1")
                    .bind(key).bind(ts(now + delay)).execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Records a failed attempt (already counted by [`Store::reserve_attempt`]); returns until when further attempts
    /// are refused.
    async fn record_failure(
        &self,
        keys: &[(String, LockoutPolicy)],
        actor: &Actor,
        object: &str,
        why: &str,
    ) -> Result<Option<Timestamp>, StoreError> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let mut locked: Option<Timestamp> = None;
        for (key, _) in keys {
            let row: Option<(Option<jiff_sqlx::Timestamp>,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT locked_until FROM login_throttle WHERE key = $1").bind(key).fetch_optional(c).await)?;
            if let Some((Some(until),)) = row {
                let until = until.to_jiff();
                if until > now {
                    locked = Some(locked.map_or(until, |l: Timestamp| l.max(until)));
                }
            }
        }
        let action =
            if why.contains("second-factor") { AuditAction::SecondFactorFailed } else { AuditAction::LoginFailed };
        self.audit(&mut tx, actor, &AuditRecord::new(action, "account", object).in_tenant(actor.tenant_id).detail(why))
            .await?;
        tx.commit().await?;
        Ok(locked)
    }

    /// After a success: the account's counter starts again; the address gives back the one attempt this success
    /// counted (many people may log in from one office address).
    async fn attempt_succeeded(&self, keys: &[(String, LockoutPolicy)]) -> Result<(), StoreError> {
        let mut tx = self.throttle_tx().await?;
        for (key, _) in keys {
            if key.starts_with("account:") {
                on_tx!(&mut tx, c => sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key).execute(c).await.map(|r| r.rows_affected()))?;
            } else {
                on_tx!(&mut tx, c => sqlx::query(
                    "UPDATE login_throttle SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END, \
                     locked_until = NULL WHERE key = $1").bind(key).execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        tx.commit().await
    }

    /// Until when a throttle key is locked, if it is now. Reads only.
    pub(crate) async fn throttle_locked_until(&self, key: &str) -> Result<Option<Timestamp>, StoreError> {
        let now = self.now();
        let row: Option<(Option<jiff_sqlx::Timestamp>,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT locked_until FROM login_throttle WHERE key = $1").bind(key).fetch_optional(p).await)?;
        Ok(row.and_then(|(u,)| u).map(|u| u.to_jiff()).filter(|u| *u > now))
    }

    /// Counts one refusal against `key` within a window (a count whose last refusal is older than `window` starts
    /// again at one), in the log-in throttle's table and with its policy, and locks the key once the free
    /// refusals are used. Answers the count, or `Err(until)` when the key was locked and nothing was counted.
    pub(crate) async fn count_refusal(
        &self,
        key: &str,
        policy: &LockoutPolicy,
        window: jiff::SignedDuration,
    ) -> Result<Result<u32, Timestamp>, StoreError> {
        let now = self.now();
        let stale = now.checked_sub(window).unwrap_or(now);
        let mut tx = self.throttle_tx().await?;
        let counted: Option<(i32,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "INSERT INTO login_throttle (key, failures, updated_at) VALUES ($1, 1, $2) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN login_throttle.updated_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END, \
               locked_until = NULL, updated_at = excluded.updated_at \
             WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= excluded.updated_at \
             RETURNING failures")
            .bind(key).bind(ts(now)).bind(ts(stale)).fetch_optional(c).await)?;
        let Some((count,)) = counted else {
            drop(tx);
            return Ok(Err(self.throttle_locked_until(key).await?.unwrap_or(now)));
        };
        let count = u32::try_from(count).unwrap_or(0);
        let delay = lockout_delay(policy, count);
        if !delay.is_zero() {
            on_tx!(&mut tx, c => sqlx::query("UPDATE login_throttle SET locked_until = $2 WHERE key = $1")
                .bind(key).bind(ts(now + delay)).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(Ok(count))
    }

    /// A transaction for the throttle's counters. On PostgreSQL its commit does not wait for the disk
    /// (`synchronous_commit` off for it alone): a crash could forget the last few milliseconds of counting, which
    /// costs nothing, while waiting for two flushes would add milliseconds to every log-in. SQLite in WAL mode with
    /// `synchronous = NORMAL` does not flush at commit anyway.
    async fn throttle_tx(&self) -> Result<Tx, StoreError> {
        let mut tx = self.db.begin().await?;
        if let Tx::Postgres(c) = &mut tx {
            sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut **c).await?;
        }
        Ok(tx)
    }
}

/// The throttle's key and policy for one account (by its normalised login).
fn account_key(login: &str) -> (String, LockoutPolicy) {
    (format!("account:{login}"), LockoutPolicy::per_account())
}

fn unix_secs(t: Timestamp) -> u64 {
    u64::try_from(t.as_second()).unwrap_or(0)
}
