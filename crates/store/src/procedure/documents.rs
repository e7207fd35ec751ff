//! What a case's printed documents need besides the case itself: the tenant's public directory of help (printed in
//! form B) and the audit entry of every generated document (who printed what, when).

use domain::audit::AuditAction;
use uuid::Uuid;

use super::CaseHandle;
use crate::db::on_tx;
use crate::{AuditRecord, Store, StoreError};

/// One public, current entry of the directory of help, as form B prints it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HelpLine {
    pub name: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub opening_hours: Option<String>,
    pub email: Option<String>,
}

impl Store {
    /// The public entries of the case's tenant's directory of help that are not archived, by name. The directory
    /// names institutions, not people, and is stored in plain text.
    pub async fn help_directory_for_form_b(&self, handle: &CaseHandle) -> Result<Vec<HelpLine>, StoreError> {
        let mut tx = self.db.begin().await?;
        let rows: Vec<HelpLine> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT name, address, phone, opening_hours, email FROM help_directory_entry \
             WHERE tenant_id = $1 AND is_public AND archived_at IS NULL ORDER BY name, id")
            .bind(handle.tenant_id).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Records that `document` (`form_a`, `minutes`, `case_file`…) of the case was generated for the handle's
    /// account: a read of personal data, with the object it was made from.
    pub async fn record_case_document(
        &self,
        handle: &CaseHandle,
        document: &str,
        object_id: Option<Uuid>,
    ) -> Result<(), StoreError> {
        let detail = match object_id {
            Some(id) => format!("pdf {document} {id}"),
            None => format!("pdf {document}"),
        };
        let record = AuditRecord::new(AuditAction::ReadPersonalData, "procedure_document", handle.procedure_id)
            .in_tenant(Some(handle.tenant_id))
            .detail(detail);
        self.record_event(&handle.actor(), record).await
    }
}
