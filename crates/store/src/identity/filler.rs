//! The logged-in account's own name and institution, which a form prefills as "who filled it in" (form A, part XIV).

use uuid::Uuid;

use super::Principal;
use crate::db::on_tx;
use crate::keys::INSTALLATION_SCOPE;
use crate::{Store, StoreError};

/// Who is filling a form, as the account knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filler {
    pub full_name: String,
    /// The account's institution: its name and kind (`police`, `social_welfare`…), when the account has one.
    pub institution: Option<(String, String)>,
}

#[derive(sqlx::FromRow)]
struct FillerRow {
    full_name_enc: Option<Vec<u8>>,
    institution_name: Option<String>,
    institution_kind: Option<String>,
}

impl Store {
    /// The principal's own name and institution. Reading one's own account is not a read of someone else's data and
    /// is not audited (the page shows the person what they typed when the account was made).
    pub async fn filler(&self, principal: &Principal) -> Result<Filler, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: Option<FillerRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.full_name_enc, i.name AS institution_name, i.kind AS institution_kind \
             FROM account a LEFT JOIN institution i ON i.id = a.institution_id WHERE a.id = $1")
            .bind(principal.account_id).fetch_optional(c).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let scope: Uuid = principal.tenant_id.unwrap_or(INSTALLATION_SCOPE);
        let keys = self.keys.scope_keys(&mut tx, scope, self.now()).await?;
        let full_name = match row.full_name_enc.as_deref() {
            Some(blob) => keys.decrypt("account.full_name", principal.account_id, blob)?,
            None => String::new(),
        };
        tx.commit().await?;
        Ok(Filler { full_name, institution: row.institution_name.zip(row.institution_kind) })
    }
}
