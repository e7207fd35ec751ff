//! An account's own position ("dzielnicowy", "pedagog szkolny"): what form A's part XIV asks of whoever fills it.
//! A team member's position is kept in the team's register; an initiator who is no member (a police officer, a
//! teacher, a nurse) has only their account, so the account keeps one of its own.
//!
//! Guarantees:
//! - The position is encrypted at rest under the account's scope key (`account.position`), like its name.
//! - The holder changes their own; the account's managers (the municipality's chair and secretary, the installation's
//!   administrator) change anyone's they manage, and nobody else learns whether an account exists.
//! - Every change is in the audit trail (who, whose, never the text itself).

use crate::Caller;
use domain::audit::AuditAction;
use uuid::Uuid;

use super::Principal;
use crate::db::on_tx;
use crate::keys::INSTALLATION_SCOPE;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// Longer than any real job title ("starszy specjalista pracy socjalnej w zespole ds. przeciwdziałania przemocy"),
/// short enough to fit part XIV's line.
pub const POSITION_MAX_CHARS: usize = 120;

/// The position as it is kept: trimmed, one line, at most [`POSITION_MAX_CHARS`]; empty means "none".
pub fn parse_position(raw: &str) -> Result<String, &'static str> {
    let position = raw.trim();
    if position.chars().any(char::is_control) {
        return Err("err-position-one-line");
    }
    if position.chars().count() > POSITION_MAX_CHARS {
        return Err("err-position-too-long");
    }
    Ok(position.to_owned())
}

impl Store {
    /// The logged-in person's own position as their account keeps it (empty when none). Reading one's own account
    /// is not a read of someone else's data and is not audited.
    pub async fn own_position(&self, principal: &Principal) -> Result<String, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let row: Option<(Option<Uuid>, Option<Vec<u8>>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT tenant_id, position_enc FROM account WHERE id = $1")
            .bind(principal.account_id).fetch_optional(c).await)?;
        let Some((tenant, blob)) = row else { return Err(StoreError::NotFound) };
        let Some(blob) = blob else { return Ok(String::new()) };
        let keys = self.keys.scope_keys(&mut tx, tenant.unwrap_or(INSTALLATION_SCOPE), self.now()).await?;
        let position = keys.decrypt("account.position", principal.account_id, &blob)?;
        tx.commit().await?;
        Ok(position)
    }

    /// Sets the logged-in person's own position (empty clears it).
    pub async fn set_own_position(&self, caller: &Caller<'_>, raw: &str) -> Result<(), StoreError> {
        let position = parse_position(raw).map_err(|code| StoreError::invalid("position", code))?;
        let mut tx = self.db.begin().await?;
        let row: Option<(Option<Uuid>,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT tenant_id FROM account WHERE id = $1").bind(caller.principal.account_id).fetch_optional(c).await)?;
        let Some((tenant,)) = row else { return Err(StoreError::NotFound) };
        self.write_position(&mut tx, caller, caller.principal.account_id, tenant, &position).await?;
        tx.commit().await
    }

    /// Sets the position of an account its manager manages (the municipality's chair or secretary, or the
    /// administrator); `NotFound` for any other account, as for one that does not exist.
    pub async fn set_account_position(&self, caller: &Caller<'_>, account: Uuid, raw: &str) -> Result<(), StoreError> {
        let position = parse_position(raw).map_err(|code| StoreError::invalid("position", code))?;
        let mut tx = self.db.begin().await?;
        let (_, target) = self.authority(&mut tx, caller.principal, account).await?;
        self.write_position(&mut tx, caller, account, target.tenant_id, &position).await?;
        tx.commit().await
    }

    async fn write_position(
        &self,
        tx: &mut Tx,
        caller: &Caller<'_>,
        account: Uuid,
        tenant: Option<Uuid>,
        position: &str,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let sealed = if position.is_empty() {
            None
        } else {
            let keys = self.keys.scope_keys(tx, tenant.unwrap_or(INSTALLATION_SCOPE), now).await?;
            Some(keys.encrypt("account.position", account, position)?)
        };
        on_tx!(tx, c => sqlx::query("UPDATE account SET position_enc = $2, updated_at = $3 WHERE id = $1")
            .bind(account).bind(sealed).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "account", account).in_tenant(tenant).detail("position"),
        )
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_trimmed_one_line_and_bounded() {
        assert_eq!(parse_position("  dzielnicowy "), Ok("dzielnicowy".to_owned()));
        assert_eq!(parse_position("   "), Ok(String::new()));
        assert_eq!(parse_position("pedagog\nszkolny"), Err("err-position-one-line"));
        assert_eq!(parse_position(&"ą".repeat(POSITION_MAX_CHARS)).map(|p| p.chars().count()), Ok(120));
        assert_eq!(parse_position(&"ą".repeat(POSITION_MAX_CHARS + 1)), Err("err-position-too-long"));
    }
}
