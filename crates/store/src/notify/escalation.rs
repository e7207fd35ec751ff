//! Escalation: the team's chair and deputy hear of every case deadline that is about to run out or has run out,
//! once per (procedure, rule, state). The deadlines are the ones the procedure page shows (`procedure::view`), so a
//! rule added there is escalated without a change here.

use domain::procedure::deadlines::DeadlineState;
use uuid::Uuid;

use super::{NewNotification, NotificationKind, notify_in};
use crate::db::on_tx;
use crate::procedure::{case_deadlines, replayed_many};
use crate::{Store, StoreError};

/// What one run of the escalation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EscalationReport {
    /// Cases whose deadlines were looked at.
    pub cases: usize,
    /// Notifications written (0 on a rerun with nothing new).
    pub notified: usize,
}

/// How many cases one transaction looks at; each batch commits, so a long run never holds the write lock long.
const BATCH: i64 = 100;

impl Store {
    /// Looks at the deadlines of every case not yet finished, as they stand at the store's clock, and notifies the
    /// chair and deputy chair of the case's municipality of each one due soon or overdue, once per
    /// (procedure, rule, state).
    pub async fn escalate_deadlines(&self) -> Result<EscalationReport, StoreError> {
        let mut report = EscalationReport::default();
        let mut after = Uuid::nil();
        loop {
            let now = self.now();
            let mut tx = self.db.begin().await?;
            let cases: Vec<(Uuid, Uuid)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id, tenant_id FROM procedure WHERE phase <> 'monitoring_ended' AND id > $1 ORDER BY id LIMIT $2")
                .bind(after).bind(BATCH).fetch_all(c).await)?;
            let Some(last) = cases.last().map(|(id, _)| *id) else {
                tx.commit().await?;
                return Ok(report);
            };
            let ids: Vec<Uuid> = cases.iter().map(|(id, _)| *id).collect();
            let mut replayed = replayed_many(&mut tx, &ids).await?;
            let mut chairs_of: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
            for (procedure_id, tenant_id) in &cases {
                let Some((state, facts)) = replayed.remove(procedure_id) else { continue };
                let urgent: Vec<_> = case_deadlines(&state, &facts, now)
                    .into_iter()
                    .filter_map(|d| match d.state {
                        DeadlineState::DueSoon { .. } => Some((d.rule_id, NotificationKind::DeadlineDueSoon)),
                        DeadlineState::Overdue { .. } => Some((d.rule_id, NotificationKind::DeadlineOverdue)),
                        _ => None,
                    })
                    .collect();
                if urgent.is_empty() {
                    continue;
                }
                // Asked once per municipality in a batch: at scale most urgent cases share their chairs.
                let chairs = match chairs_of.entry(*tenant_id) {
                    std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        let rows: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                            "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                             WHERE a.tenant_id = $1 AND a.active AND r.role IN ('chair', 'deputy_chair') ORDER BY a.id")
                            .bind(*tenant_id).fetch_all(c).await)?;
                        slot.insert(rows.into_iter().map(|(id,)| id).collect::<Vec<Uuid>>())
                    }
                };
                for (rule_id, kind) in urgent {
                    let note = NewNotification {
                        tenant_id: *tenant_id,
                        kind,
                        procedure_id: Some(*procedure_id),
                        rule_id: Some(rule_id),
                        once_key: Some(format!("escalation:{procedure_id}:{rule_id}:{}", kind.as_str())),
                    };
                    report.notified += notify_in(self, &mut tx, chairs, &note).await?.len();
                }
            }
            report.cases += cases.len();
            tx.commit().await?;
            after = last;
        }
    }
}
