//! An account's life after creation: deactivation, roles, password and second-factor resets, and who may do which.
//!
//! Guarantees:
//! - Deactivating an account ends all its sessions and revokes its API tokens in the same transaction; it can no
//!   longer log in and its one-time links die. Its history (audit trail, forms, records) stays.
//! - A reset (password or second factor) ends the account's sessions and revokes its tokens, so whoever held them
//!   before holds nothing after.
//! - Who may act: the municipality's chair and secretary on its accounts; the system administrator on any account,
//!   but an administrator's reset of an account with case access only takes effect when the municipality's chair or
//!   data protection officer approves it (four eyes), so the administrator never gets into case content alone.
//! - A change that would leave a municipality without an active chair is refused.
//! - A demo account (made by `ostoja demo`) acts on demo municipalities only.
//! - Every change is in the audit trail.

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::{Role, RoleSet};
use jiff::Timestamp;
use uuid::Uuid;

use super::links::LinkPurpose;
use super::{NewAccount, Principal};
use crate::db::{on_pool, on_tx};
use crate::notify::{NewNotification, NotificationKind, notify_in};
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// Roles whose holder reaches case content.
pub const CASE_ROLES: [Role; 5] = [Role::Chair, Role::DeputyChair, Role::Secretary, Role::GroupMember, Role::Initiator];

/// What a reset renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetKind {
    /// A new password; the second factor stays.
    Password,
    /// A new password and a new authenticator (a lost phone).
    SecondFactor,
}

impl ResetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResetKind::Password => "password",
            ResetKind::SecondFactor => "second_factor",
        }
    }

    fn parse(s: &str) -> Option<ResetKind> {
        [ResetKind::Password, ResetKind::SecondFactor].into_iter().find(|k| k.as_str() == s)
    }
}

/// What asking for a reset did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetOutcome {
    /// Done: the one-time link to hand to the account's holder.
    Link(String),
    /// Waiting for the chair's or the data protection officer's approval; they were told.
    AwaitingApproval,
}

/// A reset waiting for approval, as the approver sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetRequestView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub login: String,
    pub kind: ResetKind,
    pub requested_by: String,
    pub requested_at: Timestamp,
}

/// Who is acting on an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Authority {
    Administrator,
    /// The chair or secretary of the account's municipality.
    TeamStaff,
}

/// The target account, as the checks need it.
#[derive(sqlx::FromRow)]
pub(super) struct Target {
    pub(super) tenant_id: Option<Uuid>,
    active: bool,
    tenant_is_demo: Option<bool>,
    actor_is_demo: bool,
}

impl Store {
    /// Decides whether `principal` may manage `account`; `NotFound` otherwise, as for an account that does not exist.
    pub(super) async fn authority(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        account: Uuid,
    ) -> Result<(Authority, Target), StoreError> {
        let target: Option<Target> = on_tx!(tx, c => sqlx::query_as(
            "SELECT a.tenant_id, a.active, t.is_demo AS tenant_is_demo, \
               (SELECT me.is_demo FROM account me WHERE me.id = $2) AS actor_is_demo \
             FROM account a LEFT JOIN tenant t ON t.id = a.tenant_id WHERE a.id = $1")
            .bind(account).bind(principal.account_id).fetch_optional(c).await)?;
        let Some(target) = target else { return Err(StoreError::NotFound) };
        // A demo account never reaches a real municipality's accounts.
        if target.actor_is_demo && target.tenant_is_demo != Some(true) {
            return Err(StoreError::NotFound);
        }
        let authority = if principal.roles.contains(Role::SystemAdministrator) {
            Authority::Administrator
        } else if target.tenant_id.is_some()
            && target.tenant_id == principal.tenant_id
            && (principal.roles.contains(Role::Chair) || principal.roles.contains(Role::Secretary))
        {
            Authority::TeamStaff
        } else {
            return Err(StoreError::NotFound);
        };
        // The administrator's request acts for no municipality; what it does to a municipality's account (ending its
        // case access, asking its chair, checking its erasure) is done for that municipality, in its rows only.
        if let Some(tenant) = target.tenant_id {
            tx.act_for(tenant).await?;
        }
        Ok((authority, target))
    }

    /// Creates an account on behalf of a logged-in manager. The administrator creates a municipality's first chair
    /// only; once it has an active chair, its accounts are made by its chair or secretary.
    pub async fn create_account_as(&self, caller: &Caller<'_>, new: &NewAccount) -> Result<(Uuid, String), StoreError> {
        let Some(tenant) = new.tenant_id else {
            return Err(StoreError::invalid("tenant", "err-tenant-required-for-role"));
        };
        if new.roles.contains(&Role::SystemAdministrator) {
            return Err(StoreError::invalid("roles", "err-role-unknown"));
        }
        if new.roles.is_empty() {
            // The whole form's errors at once, as for any account.
            return self.create_account(&caller.actor(), new).await;
        }
        let (has_chair, tenant_is_demo, actor_is_demo): (bool, bool, bool) = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM account a JOIN account_role r ON r.account_id = a.id \
               WHERE a.tenant_id = t.id AND a.active AND r.role = 'chair'), t.is_demo, \
               COALESCE((SELECT me.is_demo FROM account me WHERE me.id = $2), FALSE) \
             FROM tenant t WHERE t.id = $1")
            .bind(tenant).bind(caller.principal.account_id).fetch_optional(p).await)?
        .ok_or(StoreError::NotFound)?;
        if actor_is_demo && !tenant_is_demo {
            return Err(StoreError::NotFound);
        }
        if caller.principal.roles.contains(Role::SystemAdministrator) {
            if has_chair {
                return Err(StoreError::invalid("roles", "err-admin-tenant-has-chair"));
            }
            if !new.roles.contains(&Role::Chair) {
                return Err(StoreError::invalid("roles", "err-admin-first-chair-only"));
            }
        } else if caller.principal.tenant_id != Some(tenant)
            || !(caller.principal.roles.contains(Role::Chair) || caller.principal.roles.contains(Role::Secretary))
        {
            return Err(StoreError::NotFound);
        }
        let actor = caller.actor();
        let created = self.create_account(&actor, new).await?;
        if actor_is_demo {
            on_pool!(&self.db, p => sqlx::query("UPDATE account SET is_demo = TRUE WHERE id = $1")
                .bind(created.0).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(created)
    }

    /// Deactivates an account: its sessions end and its tokens are revoked at once; it can no longer log in.
    pub async fn deactivate_account(&self, caller: &Caller<'_>, account: Uuid) -> Result<(), StoreError> {
        if account == caller.principal.account_id {
            return Err(StoreError::invalid("account", "err-account-self"));
        }
        let mut tx = self.db.begin().await?;
        let (_, target) = self.authority(&mut tx, caller.principal, account).await?;
        if !target.active {
            return Ok(());
        }
        let actor = caller.actor();
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET active = FALSE, deactivated_at = $2, updated_at = $2 WHERE id = $1")
            .bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        if let Some(tenant) = target.tenant_id {
            self.ensure_a_chair_remains(&mut tx, tenant).await?;
        }
        self.end_all_access(&mut tx, &actor, account, target.tenant_id, "account deactivated").await?;
        self.audit(
            &mut tx,
            &actor,
            &AuditRecord::new(AuditAction::AccountDeactivated, "account", account).in_tenant(target.tenant_id),
        )
        .await?;
        tx.commit().await
    }

    /// Lets a deactivated account log in again (with its old password and second factor; its tokens stay revoked).
    pub async fn reactivate_account(&self, caller: &Caller<'_>, account: Uuid) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let (_, target) = self.authority(&mut tx, caller.principal, account).await?;
        if target.active {
            return Ok(());
        }
        // An account erased after its retention period has no holder any more: bringing it back would let a chair
        // reset it and hand it to someone else, who would then stand as the author of the departed person's work.
        let erased: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id FROM erasure WHERE kind = 'departed_account' AND object_id = $1")
            .bind(account).fetch_optional(c).await)?;
        if erased.is_some() {
            return Err(StoreError::invalid("account", "err-account-erased"));
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE account SET active = TRUE, deactivated_at = NULL, updated_at = $2 WHERE id = $1")
            .bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::AccountReactivated, "account", account).in_tenant(target.tenant_id),
        )
        .await?;
        tx.commit().await
    }

    /// Replaces an account's roles. Only the municipality's chair or secretary may (an administrator who could grant
    /// case roles could then reset that account alone); refused when no active chair would remain.
    pub async fn set_account_roles(
        &self,
        caller: &Caller<'_>,
        account: Uuid,
        roles: &[Role],
    ) -> Result<(), StoreError> {
        if roles.is_empty() {
            return Err(StoreError::invalid("roles", "err-roles-required"));
        }
        if roles.contains(&Role::SystemAdministrator) {
            return Err(StoreError::invalid("roles", "err-role-unknown"));
        }
        let mut tx = self.db.begin().await?;
        let (authority, target) = self.authority(&mut tx, caller.principal, account).await?;
        let Some(tenant) = target.tenant_id.filter(|_| authority == Authority::TeamStaff) else {
            return Err(StoreError::NotFound);
        };
        let current = roles_of(&mut tx, account).await?;
        let wanted = RoleSet::new(roles.to_vec());
        let actor = caller.actor();
        for role in current.iter().filter(|r| !wanted.contains(*r)) {
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM account_role WHERE account_id = $1 AND role = $2")
                .bind(account).bind(role.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::RoleRevoked, "account", account)
                    .in_tenant(Some(tenant))
                    .detail(role.as_str()),
            )
            .await?;
        }
        for role in wanted.iter().filter(|r| !current.contains(*r)) {
            self.grant_role(&mut tx, &actor, account, Some(tenant), role).await?;
        }
        self.ensure_a_chair_remains(&mut tx, tenant).await?;
        tx.commit().await
    }

    async fn ensure_a_chair_remains(&self, tx: &mut Tx, tenant: Uuid) -> Result<(), StoreError> {
        let (chairs,): (i64,) = on_tx!(tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active AND r.role = 'chair'")
            .bind(tenant).fetch_one(c).await)?;
        if chairs == 0 { Err(StoreError::invalid("roles", "err-last-chair")) } else { Ok(()) }
    }

    /// Resets an account's password or second factor. The chair or secretary gets the one-time link at once; so
    /// does the administrator for an account without case access. An administrator's reset of an account with case
    /// access waits for the municipality's chair or data protection officer, who are told in the application (and
    /// by e-mail where it is set up).
    pub async fn reset_account(
        &self,
        caller: &Caller<'_>,
        account: Uuid,
        kind: ResetKind,
    ) -> Result<ResetOutcome, StoreError> {
        let mut tx = self.db.begin().await?;
        let (authority, target) = self.authority(&mut tx, caller.principal, account).await?;
        if !target.active {
            return Err(StoreError::invalid("account", "err-account-inactive"));
        }
        let actor = caller.actor();
        let roles = roles_of(&mut tx, account).await?;
        // A secretary resets neither a chair nor the data protection officer: with the link they would hold those
        // accounts' powers (the officer's reading of the trail about them).
        let guarded = roles.contains(Role::Chair) || roles.contains(Role::DataProtectionOfficer);
        if authority == Authority::TeamStaff && !caller.principal.roles.contains(Role::Chair) && guarded {
            return Err(StoreError::invalid("account", "err-reset-needs-chair"));
        }
        let has_case_role = CASE_ROLES.iter().any(|r| roles.contains(*r));
        if let (Authority::Administrator, true, Some(tenant)) = (authority, has_case_role, target.tenant_id) {
            let id = Uuid::now_v7();
            // A newer request replaces an undecided one for the same account.
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM account_reset_request WHERE account_id = $1 AND decided_at IS NULL")
                .bind(account).execute(c).await.map(|r| r.rows_affected()))?;
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO account_reset_request (id, account_id, tenant_id, kind, requested_by, requested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(account).bind(tenant).bind(kind.as_str()).bind(caller.principal.account_id)
                .bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
            let approvers: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.tenant_id = $1 AND a.active AND a.id <> $2 AND r.role IN ('chair', 'data_protection_officer')")
                .bind(tenant).bind(account).fetch_all(c).await)?;
            let approvers: Vec<Uuid> = approvers.into_iter().map(|(a,)| a).collect();
            // Nobody could approve it: say so now rather than leave a request that waits for ever.
            if approvers.is_empty() {
                return Err(StoreError::invalid("account", "err-reset-no-approver"));
            }
            let note = NewNotification {
                tenant_id: tenant,
                kind: NotificationKind::ResetAwaitsApproval,
                procedure_id: None,
                rule_id: None,
                once_key: Some(format!("reset:{id}")),
            };
            // The administrator acts for no municipality; the notice is the target's municipality's row.
            tx.act_for(tenant).await?;
            notify_in(self, &mut tx, &approvers, &note).await?;
            self.audit(
                &mut tx,
                &actor,
                &AuditRecord::new(AuditAction::ResetRequested, "account", account)
                    .in_tenant(Some(tenant))
                    .detail(format!("{}, request {id}, approvers told: {}", kind.as_str(), approvers.len())),
            )
            .await?;
            tx.commit().await?;
            return Ok(ResetOutcome::AwaitingApproval);
        }
        let link = self.perform_reset(&mut tx, &actor, account, target.tenant_id, kind).await?;
        tx.commit().await?;
        Ok(ResetOutcome::Link(link))
    }

    /// Resets waiting for this principal's approval: the chair or data protection officer of their municipality.
    pub async fn pending_resets(&self, principal: &Principal) -> Result<Vec<ResetRequestView>, StoreError> {
        let Some(tenant) = principal.tenant_id else { return Ok(Vec::new()) };
        if !(principal.roles.contains(Role::Chair) || principal.roles.contains(Role::DataProtectionOfficer)) {
            return Ok(Vec::new());
        }
        type Row = (Uuid, Uuid, String, String, String, jiff_sqlx::Timestamp);
        let rows: Vec<Row> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT q.id, q.account_id, a.login, q.kind, r.login, q.requested_at FROM account_reset_request q \
             JOIN account a ON a.id = q.account_id JOIN account r ON r.id = q.requested_by \
             WHERE q.tenant_id = $1 AND q.decided_at IS NULL AND q.account_id <> $2 ORDER BY q.requested_at")
            .bind(tenant).bind(principal.account_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, account_id, login, kind, requested_by, at)| {
                Some(ResetRequestView {
                    id,
                    account_id,
                    login,
                    kind: ResetKind::parse(&kind)?,
                    requested_by,
                    requested_at: at.to_jiff(),
                })
            })
            .collect())
    }

    /// The chair or data protection officer approves (the reset happens now and the link is theirs to hand over) or
    /// refuses an administrator's reset. Nobody decides on a reset of their own account.
    pub async fn decide_reset(
        &self,
        caller: &Caller<'_>,
        request: Uuid,
        approve: bool,
    ) -> Result<Option<String>, StoreError> {
        let pending = self.pending_resets(caller.principal).await?;
        let Some(found) = pending.into_iter().find(|r| r.id == request) else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin().await?;
        let decided = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE account_reset_request SET decided_by = $2, decided_at = $3, approved = $4 WHERE id = $1 AND decided_at IS NULL")
            .bind(request).bind(caller.principal.account_id).bind(ts(self.now())).bind(approve)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if decided != 1 {
            return Err(StoreError::NotFound);
        }
        let actor = caller.actor();
        self.audit(
            &mut tx,
            &actor,
            &AuditRecord::new(AuditAction::ResetDecided, "account", found.account_id)
                .in_tenant(caller.principal.tenant_id)
                .detail(format!("request {request}: {}", if approve { "approved" } else { "refused" })),
        )
        .await?;
        let link = if approve {
            Some(self.perform_reset(&mut tx, &actor, found.account_id, caller.principal.tenant_id, found.kind).await?)
        } else {
            None
        };
        tx.commit().await?;
        Ok(link)
    }

    /// The operator's reset from the server's console (`ostoja user reset`): no four eyes, since whoever runs it
    /// holds the database and the master key already; recorded as the operator.
    pub async fn reset_account_as_operator(&self, account: Uuid, kind: ResetKind) -> Result<String, StoreError> {
        let mut tx = self.db.begin().await?;
        let tenant: Option<(Option<Uuid>, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT tenant_id, active FROM account WHERE id = $1").bind(account).fetch_optional(c).await)?;
        let Some((tenant, active)) = tenant else { return Err(StoreError::NotFound) };
        if !active {
            return Err(StoreError::invalid("account", "err-account-inactive"));
        }
        let link = self.perform_reset(&mut tx, &Actor::operator(), account, tenant, kind).await?;
        tx.commit().await?;
        Ok(link)
    }

    async fn perform_reset(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        account: Uuid,
        tenant: Option<Uuid>,
        kind: ResetKind,
    ) -> Result<String, StoreError> {
        let (sql, action, purpose) = match kind {
            ResetKind::Password => (
                "UPDATE account SET password_hash = NULL, updated_at = $2 WHERE id = $1",
                AuditAction::PasswordChanged,
                LinkPurpose::PasswordReset,
            ),
            ResetKind::SecondFactor => (
                "UPDATE account SET totp_secret_enc = NULL, totp_confirmed = FALSE, totp_last_step = NULL, \
                 password_hash = NULL, updated_at = $2 WHERE id = $1",
                AuditAction::SecondFactorReset,
                LinkPurpose::Activation,
            ),
        };
        on_tx!(tx, c => sqlx::query(sql).bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.end_all_access(tx, actor, account, tenant, "reset").await?;
        self.audit(tx, actor, &AuditRecord::new(action, "account", account).in_tenant(tenant).detail("reset")).await?;
        self.issue_link(tx, actor, purpose, Some(account), tenant).await
    }

    /// Ends every session of the account and revokes every live API token, recording the revocations.
    pub(crate) async fn end_all_access(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        account: Uuid,
        tenant: Option<Uuid>,
        why: &str,
    ) -> Result<(), StoreError> {
        on_tx!(tx, c => sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account).execute(c).await.map(|r| r.rows_affected()))?;
        let revoked: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "UPDATE api_token SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL RETURNING id")
            .bind(account).bind(ts(self.now())).fetch_all(c).await)?;
        for (id,) in revoked {
            self.audit(
                tx,
                actor,
                &AuditRecord::new(AuditAction::ApiTokenRevoked, "api_token", id).in_tenant(tenant).detail(why),
            )
            .await?;
        }
        Ok(())
    }
}

/// The roles an account holds, read inside `tx`.
async fn roles_of(tx: &mut Tx, account: Uuid) -> Result<RoleSet, StoreError> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT role FROM account_role WHERE account_id = $1")
        .bind(account).fetch_all(c).await)?;
    Ok(RoleSet::new(rows.iter().filter_map(|(r,)| Role::parse(r).ok()).collect()))
}
