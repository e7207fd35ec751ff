//! The confidentiality declaration (art. 9c ust. 3) of the accounts that are not current members of the team: group
//! members from outside the team and staff accounts not in the register. A team member's declaration is on the
//! member's record; these are recorded per account by the team's staff, with their kind and date. Without one, the
//! account reaches no case data as staff or as a group member (`crate::access`).

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::Permission;
use jiff::civil::Date;
use uuid::Uuid;

use super::{date_text, scope, text_date};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

/// What the account signed: a declaration (oświadczenie) or an authorisation (upoważnienie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclarationKind {
    Declaration,
    Authorisation,
}

impl DeclarationKind {
    pub const ALL: [DeclarationKind; 2] = [DeclarationKind::Declaration, DeclarationKind::Authorisation];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclarationKind::Declaration => "declaration",
            DeclarationKind::Authorisation => "authorisation",
        }
    }

    pub fn parse(s: &str) -> Result<DeclarationKind, &'static str> {
        DeclarationKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or("err-declaration-kind-required")
    }
}

/// A declaration as typed on the page or sent to the API, before it is checked. Every field is required.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclarationDraft {
    /// The account that signed (its id).
    pub account_id: String,
    /// declaration (oświadczenie) or authorisation (upoważnienie)
    pub kind: String,
    /// YYYY-MM-DD, not in the future
    pub signed_on: String,
}

impl DeclarationDraft {
    /// The account, the kind and the date, or each field's error.
    pub fn validate(&self) -> Result<(Uuid, DeclarationKind, Date), domain::FieldErrors> {
        let mut errors = domain::FieldErrors::new();
        let account = self.account_id.trim().parse::<Uuid>().map_err(|_| errors.add("account_id", "err-required")).ok();
        let kind = DeclarationKind::parse(&self.kind).map_err(|e| errors.add("kind", e)).ok();
        let signed_on = domain::team::parse_date(&self.signed_on).map_err(|e| errors.add("signed_on", e)).ok();
        match (account, kind, signed_on) {
            (Some(a), Some(k), Some(d)) if errors.is_empty() => Ok((a, k, d)),
            _ => Err(errors),
        }
    }
}

/// An account that works with case data outside the team's register, and its declaration if recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDeclaration {
    pub account_id: Uuid,
    pub login: String,
    pub kind: Option<DeclarationKind>,
    pub signed_on: Option<Date>,
}

impl Store {
    /// The municipality's active accounts with the group-member or a staff role that are not current members of the
    /// team, by login, each with its declaration if one is recorded. The team's staff only; others get `NotFound`.
    pub async fn account_declarations(&self, principal: &Principal) -> Result<Vec<AccountDeclaration>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(Uuid, String, Option<String>, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT a.id, a.login, d.kind, d.signed_on FROM account a \
             LEFT JOIN account_confidentiality d ON d.account_id = a.id \
             WHERE a.tenant_id = $1 AND a.active \
               AND EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = a.id \
                 AND r.role IN ('group_member', 'chair', 'deputy_chair', 'secretary')) \
               AND NOT ", crate::access::membership_current_sql!("a.id", "$2"),
            " ORDER BY a.login"))
            .bind(tenant).bind(self.today_text()).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(account_id, login, kind, signed_on)| {
                Ok(AccountDeclaration {
                    account_id,
                    login,
                    kind: kind.as_deref().and_then(|k| DeclarationKind::parse(k).ok()),
                    signed_on: signed_on.as_deref().map(text_date).transpose()?,
                })
            })
            .collect()
    }

    /// Records (or corrects) the declaration an account of the municipality signed, with its date (not in the
    /// future). The team's staff only; an account of another municipality is `NotFound`. Audited.
    pub async fn record_account_declaration(
        &self,
        caller: &Caller<'_>,
        account_id: Uuid,
        kind: DeclarationKind,
        signed_on: Date,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        self.record_declaration(&caller.actor(), Some(tenant), account_id, kind, signed_on).await
    }

    /// [`Store::record_account_declaration`] by the operator at the command line (`ostoja user add
    /// --declaration-signed-on`), for an account of any municipality: the paper was signed before the account was
    /// made. Audited as the operator's.
    pub async fn record_account_declaration_as_operator(
        &self,
        actor: &crate::Actor,
        account_id: Uuid,
        kind: DeclarationKind,
        signed_on: Date,
    ) -> Result<(), StoreError> {
        self.record_declaration(actor, None, account_id, kind, signed_on).await
    }

    /// Records the declaration of an account of `tenant` (any municipality's when `None`; never an account without
    /// one, such as the system administrator).
    async fn record_declaration(
        &self,
        actor: &crate::Actor,
        tenant: Option<Uuid>,
        account_id: Uuid,
        kind: DeclarationKind,
        signed_on: Date,
    ) -> Result<(), StoreError> {
        if signed_on > self.today() {
            return Err(StoreError::invalid("signed_on", "err-date-in-future"));
        }
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let found: Option<(Option<Uuid>,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT tenant_id FROM account WHERE id = $1")
            .bind(account_id).fetch_optional(c).await)?;
        let tenant = match (found, tenant) {
            (Some((Some(of_account),)), Some(wanted)) if of_account == wanted => of_account,
            (Some((Some(of_account),)), None) => of_account,
            _ => return Err(StoreError::NotFound),
        };
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO account_confidentiality (account_id, tenant_id, kind, signed_on, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account_id) DO UPDATE SET kind = $3, signed_on = $4, recorded_by = $5, recorded_at = $6")
            .bind(account_id).bind(tenant).bind(kind.as_str()).bind(date_text(signed_on))
            .bind(actor.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Update, "account_confidentiality", account_id)
                .in_tenant(Some(tenant))
                .detail(format!("{} signed on {signed_on}", kind.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
