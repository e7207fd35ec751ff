//! Accounts: creation with roles, the list with decrypted personal details, second-factor reset.

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::{Login, Role, RoleSet};
use jiff::Timestamp;
use uuid::Uuid;

use super::links::LinkPurpose;
use crate::db::on_tx;
use crate::error::unique_as_field;
use crate::keys::INSTALLATION_SCOPE;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// An account's personal details: encrypted at rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalDetails {
    pub full_name: String,
    pub email: String,
    pub phone: String,
}

impl PersonalDetails {
    /// Trims and checks the details; the name is required, e-mail and phone optional but well-formed.
    pub fn validate(&self, errors: &mut FieldErrors) -> PersonalDetails {
        let full_name = self.full_name.trim().to_owned();
        if full_name.is_empty() {
            errors.add("full_name", "err-required");
        } else if full_name.chars().count() > 200 || full_name.chars().any(char::is_control) {
            errors.add("full_name", "err-too-long");
        }
        let email = self.email.trim().to_owned();
        if !email.is_empty() && (email.len() > 254 || !is_plausible_email(&email)) {
            errors.add("email", "err-email-format");
        }
        let phone = self.phone.trim().to_owned();
        if !phone.is_empty() && (phone.len() > 32 || !phone.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)))
        {
            errors.add("phone", "err-phone-format");
        }
        PersonalDetails { full_name, email, phone }
    }
}

fn is_plausible_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub tenant_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    pub login: String,
    pub roles: Vec<Role>,
    pub details: PersonalDetails,
}

/// An account as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    pub id: Uuid,
    pub login: String,
    pub tenant_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    pub roles: RoleSet,
    pub details: PersonalDetails,
    pub active: bool,
    pub has_second_factor: bool,
    /// The last successful log-in (after the second factor), if any.
    pub last_login: Option<Timestamp>,
    /// The account's own position (form A's part XIV), empty when none; see `identity::position`.
    pub position: String,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: Uuid,
    login: String,
    tenant_id: Option<Uuid>,
    institution_id: Option<Uuid>,
    full_name_enc: Option<Vec<u8>>,
    email_enc: Option<Vec<u8>>,
    phone_enc: Option<Vec<u8>>,
    position_enc: Option<Vec<u8>>,
    active: bool,
    totp_confirmed: bool,
    last_login_at: Option<jiff_sqlx::Timestamp>,
}

impl Store {
    /// Creates an account with its roles and returns its id and a one-time activation token (valid 7 days), with
    /// which the person sets a password and enrols the second factor.
    pub async fn create_account(&self, actor: &Actor, new: &NewAccount) -> Result<(Uuid, String), StoreError> {
        let mut errors = FieldErrors::new();
        let login = errors.check("login", Login::parse(&new.login));
        let details = new.details.validate(&mut errors);
        if new.roles.is_empty() {
            errors.add("roles", "err-roles-required");
        }
        if new.tenant_id.is_none() && new.roles.iter().any(|r| !r.may_be_tenantless()) {
            errors.add("tenant", "err-tenant-required-for-role");
        }
        let Some(login) = login.filter(|_| errors.is_empty()) else {
            return Err(StoreError::Invalid(errors));
        };
        let mut tx = self.db.begin().await?;
        if let Some(institution) = new.institution_id {
            let found: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id FROM institution WHERE id = $1 AND tenant_id = $2")
                .bind(institution).bind(new.tenant_id).fetch_optional(c).await)?;
            if found.is_none() {
                return Err(StoreError::invalid("institution", "err-institution-unknown"));
            }
        }
        let id = self.insert_account(&mut tx, actor, new.tenant_id, new.institution_id, &login, &details).await?;
        for role in RoleSet::new(new.roles.clone()).iter() {
            self.grant_role(&mut tx, actor, id, new.tenant_id, role).await?;
        }
        let token = self.issue_link(&mut tx, actor, LinkPurpose::Activation, Some(id), new.tenant_id).await?;
        tx.commit().await?;
        Ok((id, token))
    }

    pub(crate) async fn insert_account(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        tenant_id: Option<Uuid>,
        institution_id: Option<Uuid>,
        login: &Login,
        details: &PersonalDetails,
    ) -> Result<Uuid, StoreError> {
        let now = self.now();
        let id = Uuid::now_v7();
        let keys = self.keys.scope_keys(tx, tenant_id.unwrap_or(INSTALLATION_SCOPE), now).await?;
        let enc = |column: &str, value: &str| -> Result<Option<Vec<u8>>, StoreError> {
            if value.is_empty() { Ok(None) } else { keys.encrypt(column, id, value).map(Some) }
        };
        let (name, email, phone) = (
            enc("account.full_name", &details.full_name)?,
            enc("account.email", &details.email)?,
            enc("account.phone", &details.phone)?,
        );
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO account (id, tenant_id, institution_id, login, full_name_enc, email_enc, phone_enc, active, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8)")
            .bind(id).bind(tenant_id).bind(institution_id).bind(login.as_str()).bind(name).bind(email).bind(phone)
            .bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))
        .map_err(|e| unique_as_field(e, "login", "err-login-taken"))?;
        self.audit(tx, actor, &AuditRecord::new(AuditAction::Create, "account", id).in_tenant(tenant_id)).await?;
        Ok(id)
    }

    pub(crate) async fn grant_role(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        account: Uuid,
        tenant: Option<Uuid>,
        role: Role,
    ) -> Result<(), StoreError> {
        // The team's roles belong to a municipality, the coordinators to their county or voivodeship.
        if let Some(tenant) = tenant {
            let (teryt,): (String,) = on_tx!(tx, c => sqlx::query_as("SELECT teryt FROM tenant WHERE id = $1")
                .bind(tenant).fetch_one(c).await)?;
            if !role.fits_level(domain::territory::TerritorialLevel::of_code(&teryt)) {
                return Err(StoreError::invalid("roles", "err-role-level"));
            }
        }
        on_tx!(tx, c => sqlx::query("INSERT INTO account_role (account_id, role) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(account).bind(role.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::RoleGranted, "account", account).in_tenant(tenant).detail(role.as_str()),
        )
        .await?;
        Ok(())
    }

    /// The accounts of a tenant (or the tenantless ones, with `None`), with their personal details decrypted. The
    /// read is recorded in the audit trail.
    pub async fn list_accounts(&self, actor: &Actor, tenant_id: Option<Uuid>) -> Result<Vec<AccountView>, StoreError> {
        let mut tx = self.db.begin().await?;
        let rows: Vec<AccountRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, login, tenant_id, institution_id, full_name_enc, email_enc, phone_enc, position_enc, active, \
             totp_confirmed, last_login_at FROM account WHERE tenant_id IS NOT DISTINCT FROM $1 ORDER BY login")
            .bind(tenant_id).fetch_all(c).await)?;
        let roles: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.account_id, r.role FROM account_role r JOIN account a ON a.id = r.account_id \
             WHERE a.tenant_id IS NOT DISTINCT FROM $1")
            .bind(tenant_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(&mut tx, tenant_id.unwrap_or(INSTALLATION_SCOPE), self.now()).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let dec = |column: &str, blob: &Option<Vec<u8>>| -> Result<String, StoreError> {
                blob.as_deref().map_or(Ok(String::new()), |b| keys.decrypt(column, row.id, b))
            };
            let account_roles =
                roles.iter().filter(|(a, _)| *a == row.id).filter_map(|(_, r)| Role::parse(r).ok()).collect();
            views.push(AccountView {
                id: row.id,
                details: PersonalDetails {
                    full_name: dec("account.full_name", &row.full_name_enc)?,
                    email: dec("account.email", &row.email_enc)?,
                    phone: dec("account.phone", &row.phone_enc)?,
                },
                login: row.login,
                tenant_id: row.tenant_id,
                institution_id: row.institution_id,
                roles: RoleSet::new(account_roles),
                active: row.active,
                has_second_factor: row.totp_confirmed,
                last_login: row.last_login_at.map(|t| t.to_jiff()),
                position: dec("account.position", &row.position_enc)?,
            });
        }
        let ids: Vec<String> = views.iter().map(|v| v.id.to_string()).collect();
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::ReadPersonalData, "account", "list")
                .in_tenant(tenant_id)
                .detail(format!("accounts: {}", ids.join(","))),
        )
        .await?;
        tx.commit().await?;
        Ok(views)
    }

    /// The account holder's own name, for greeting them (empty when none was given). Reading one's own name is not
    /// a read of someone's personal data, so it is not recorded in the audit trail.
    pub async fn own_name(&self, account: Uuid) -> Result<String, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let row: Option<(Option<Uuid>, Option<Vec<u8>>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT tenant_id, full_name_enc FROM account WHERE id = $1").bind(account).fetch_optional(c).await)?;
        let Some((tenant, Some(blob))) = row else { return Ok(String::new()) };
        let keys = self.keys.scope_keys(&mut tx, tenant.unwrap_or(INSTALLATION_SCOPE), self.now()).await?;
        let name = keys.decrypt("account.full_name", account, &blob)?;
        tx.commit().await?;
        Ok(name)
    }

    /// Notes a successful log-in on the account, for the accounts list.
    pub(crate) async fn note_login(&self, tx: &mut Tx, account: Uuid) -> Result<(), StoreError> {
        on_tx!(tx, c => sqlx::query("UPDATE account SET last_login_at = $2 WHERE id = $1")
            .bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The id and tenant of the account with this login.
    pub async fn account_by_login(&self, login: &str) -> Result<(Uuid, Option<Uuid>), StoreError> {
        let login = Login::parse(login).map_err(|code| StoreError::invalid("login", code))?;
        let mut tx = self.db.begin_read().await?;
        let row: Option<(Uuid, Option<Uuid>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, tenant_id FROM account WHERE login = $1").bind(login.as_str()).fetch_optional(c).await)?;
        tx.commit().await?;
        row.ok_or(StoreError::NotFound)
    }

    /// Clears an account's second factor and password, ends its sessions, and returns a one-time link with which its
    /// holder sets a new password and enrols a new authenticator. Used when a phone is lost. This is the operator's
    /// (command line) path; pages go through [`Store::reset_account`], which applies who may and the four eyes.
    pub async fn reset_second_factor(
        &self,
        actor: &Actor,
        account: Uuid,
        scope_tenant: Option<Uuid>,
    ) -> Result<String, StoreError> {
        let mut tx = self.db.begin().await?;
        let tenant: Option<(Option<Uuid>,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT tenant_id FROM account WHERE id = $1")
            .bind(account).fetch_optional(c).await)?;
        let Some((tenant,)) = tenant else { return Err(StoreError::NotFound) };
        if scope_tenant.is_some() && scope_tenant != tenant {
            return Err(StoreError::NotFound);
        }
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE account SET totp_secret_enc = NULL, totp_confirmed = FALSE, totp_last_step = NULL, password_hash = NULL, \
             updated_at = $2 WHERE id = $1").bind(account).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.end_all_access(&mut tx, actor, account, tenant, "second factor reset").await?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::SecondFactorReset, "account", account).in_tenant(tenant),
        )
        .await?;
        let token = self.issue_link(&mut tx, actor, LinkPurpose::Activation, Some(account), tenant).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Whether an active system administrator exists (else the console shows the set-up link).
    pub async fn administrator_exists(&self) -> Result<bool, StoreError> {
        let row: (i64,) = crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT COUNT(*) FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE r.role = 'system_administrator' AND a.active AND a.password_hash IS NOT NULL")
            .fetch_one(p).await)?;
        Ok(row.0 > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_details_are_trimmed_and_checked() {
        let mut errors = FieldErrors::new();
        let d = PersonalDetails {
            full_name: "  Anna Wiśniewska ".into(),
            email: "a@gmina.pl".into(),
            phone: "+48 (12) 345-67-89".into(),
        }
        .validate(&mut errors);
        assert!(errors.is_empty());
        assert_eq!(d.full_name, "Anna Wiśniewska");

        let mut errors = FieldErrors::new();
        PersonalDetails { full_name: " ".into(), email: "not-an-email".into(), phone: "call me".into() }
            .validate(&mut errors);
        assert_eq!(errors.for_field("full_name"), Some("err-required"));
        assert_eq!(errors.for_field("email"), Some("err-email-format"));
        assert_eq!(errors.for_field("phone"), Some("err-phone-format"));
    }
}
