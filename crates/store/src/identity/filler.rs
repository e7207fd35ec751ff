//! The logged-in account's own name, position and institution, which a form prefills as "who filled it in" (form A,
//! part XIV). The position is the account's own (`identity::position`, set by the person or their account's
//! manager), else the one the team's register keeps for the account's member; the institution is the account's, else
//! the member's.

use uuid::Uuid;

use super::Principal;
use crate::db::on_tx;
use crate::keys::INSTALLATION_SCOPE;
use crate::team::MemberDetails;
use crate::{Store, StoreError};

/// Who is filling a form, as the account knows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filler {
    pub full_name: String,
    /// The position or function the person holds in their institution ("dzielnicowy", "pracownik socjalny"): the
    /// account's own, else the team's register's for this account's current member; empty when neither has one.
    pub position: String,
    /// The account's institution (or its team member's): its name and kind (`police`, `social_welfare`…).
    pub institution: Option<(String, String)>,
}

#[derive(sqlx::FromRow)]
struct FillerRow {
    full_name_enc: Option<Vec<u8>>,
    position_enc: Option<Vec<u8>>,
    institution_name: Option<String>,
    institution_kind: Option<String>,
}

/// The account's current team membership: its encrypted details (the position) and its institution.
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: Uuid,
    details_enc: Vec<u8>,
    institution_name: Option<String>,
    institution_kind: Option<String>,
}

impl Store {
    /// The principal's own name, position and institution. Reading one's own account is not a read of someone else's data and
    /// is not audited (the page shows the person what they typed when the account was made).
    pub async fn filler(&self, principal: &Principal) -> Result<Filler, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: Option<FillerRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.full_name_enc, a.position_enc, i.name AS institution_name, i.kind AS institution_kind \
             FROM account a LEFT JOIN institution i ON i.id = a.institution_id WHERE a.id = $1")
            .bind(principal.account_id).fetch_optional(c).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let scope: Uuid = principal.tenant_id.unwrap_or(INSTALLATION_SCOPE);
        let keys = self.keys.scope_keys(&mut tx, scope, self.now()).await?;
        let full_name = match row.full_name_enc.as_deref() {
            Some(blob) => keys.decrypt("account.full_name", principal.account_id, blob)?,
            None => String::new(),
        };
        // The account's current team membership, for the position (encrypted) and, failing the account's own, the
        // institution.
        let member: Option<MemberRow> = match principal.tenant_id {
            Some(tenant) => on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT m.id, m.details_enc, i.name AS institution_name, i.kind AS institution_kind FROM team_member m \
                 LEFT JOIN institution i ON i.id = m.institution_id \
                 WHERE m.tenant_id = $1 AND m.account_id = $2 AND m.left_on IS NULL \
                 ORDER BY m.appointed_on DESC, m.id LIMIT 1")
                .bind(tenant).bind(principal.account_id).fetch_optional(c).await)?,
            None => None,
        };
        // The account's own position wins: its holder keeps it current; the register's is the team's record of a
        // member and may lag behind.
        let mut position = match row.position_enc.as_deref() {
            Some(blob) => keys.decrypt("account.position", principal.account_id, blob)?,
            None => String::new(),
        };
        let mut institution = row.institution_name.zip(row.institution_kind);
        if let Some(MemberRow { id, details_enc, institution_name: name, institution_kind: kind }) = member {
            let json = keys.decrypt_bytes("team_member.details", id, &details_enc)?;
            let details: MemberDetails =
                serde_json::from_slice(&json).map_err(|e| StoreError::Io(format!("team member: {e}")))?;
            if position.is_empty() {
                position = details.position.unwrap_or_default();
            }
            institution = institution.or(name.zip(kind));
        }
        tx.commit().await?;
        Ok(Filler { full_name, position, institution })
    }
}
