//! The municipality's settings for the case clocks: whether deadlines resting on an unconfirmed reading of the law
//! (\[U\]) count as breaches and are escalated, and the interval of the monitoring checks. The team's staff read them;
//! only the chair changes them, and every change is in the audit trail.

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::procedure::reminders::{ClockSettings, MONITORING_CHECK_MONTHS};

use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

impl Store {
    /// The settings of the principal's municipality (the defaults until the chair saves them). The team's staff only.
    pub async fn clock_settings(&self, principal: &Principal) -> Result<ClockSettings, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin_read().await?;
        if !crate::access::is_current_staff(&mut tx, self, principal).await? {
            return Err(StoreError::NotFound);
        }
        let row: Option<(bool, i32)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT escalate_unconfirmed, monitoring_check_months FROM tenant_clock_setting WHERE tenant_id = $1")
            .bind(tenant_id).fetch_optional(c).await)?;
        tx.commit().await?;
        Ok(match row {
            Some((escalate_unconfirmed, months)) => ClockSettings {
                escalate_unconfirmed,
                monitoring_check_months: u32::try_from(months)
                    .unwrap_or(domain::procedure::reminders::DEFAULT_MONITORING_CHECK_MONTHS),
            },
            None => ClockSettings::default(),
        })
    }

    /// Saves the settings. The chair only (in good standing); anyone else gets `NotFound`. Audited with both values.
    pub async fn set_clock_settings(&self, caller: &Caller<'_>, settings: ClockSettings) -> Result<(), StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        if !caller.principal.roles.permits(Permission::ChairDecisions) {
            return Err(StoreError::NotFound);
        }
        if !MONITORING_CHECK_MONTHS.contains(&settings.monitoring_check_months) {
            return Err(StoreError::invalid("monitoring_check_months", "err-clock-interval-range"));
        }
        let months = i32::try_from(settings.monitoring_check_months).unwrap_or(3);
        let mut tx = self.db.begin().await?;
        if !crate::access::is_current_staff(&mut tx, self, caller.principal).await? {
            return Err(StoreError::NotFound);
        }
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO tenant_clock_setting (tenant_id, escalate_unconfirmed, monitoring_check_months, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE SET \
             escalate_unconfirmed = excluded.escalate_unconfirmed, monitoring_check_months = excluded.monitoring_check_months, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at")
            .bind(tenant_id).bind(settings.escalate_unconfirmed).bind(months).bind(caller.principal.account_id)
            .bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Update, "tenant_clock_setting", tenant_id)
                .in_tenant(Some(tenant_id))
                .detail(format!(
                    "escalate_unconfirmed: {}, monitoring_check_months: {}",
                    settings.escalate_unconfirmed, settings.monitoring_check_months
                )),
        )
        .await?;
        tx.commit().await
    }
}
