//! The day's work across cases (issue 16 item 1): every case an account may see that still runs clocks, with its
//! deadlines as they stand now, for the home page's counts and the filtered list of deadlines. No personal data is
//! read, so nothing is decrypted and nothing is audited, exactly as for the dashboard.

use super::CaseHandle;
use super::view::{DashboardCase, ProcedureSummary, ReplayRow, deadlines, replayed_cached};
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{Store, StoreError};

/// A running case: the columns a replay needs, and its phase for the summary.
#[derive(sqlx::FromRow)]
struct RunningRow {
    #[sqlx(flatten)]
    case: ReplayRow,
    phase: String,
}

impl Store {
    /// Every case `principal` may see (by the one rule in `crate::access`) whose clocks may still run (not ended
    /// after monitoring, not handed to another municipality), with its deadlines now; the newest case first.
    /// Unlike [`Store::dashboard`] there is no limit: the home page's counts must be true for the whole caseload.
    /// The cases' states come through the store's cache of replayed logs (`super::replay_cache`), so a home page
    /// replays only the logs that changed since the last one; deadlines are computed for now on every call.
    pub async fn running_cases(&self, principal: &Principal) -> Result<Vec<DashboardCase>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(Vec::new()) };
        let rows: Vec<RunningRow> = on_pool!(&self.db, c => sqlx::query_as(concat!(
            "SELECT p.id, p.number, p.phase, p.opened_at, p.version, p.created_at, p.initiator_category, \
             p.suspects_present, p.group_basis, COALESCE(tcs.escalate_unconfirmed, FALSE) AS escalate_unconfirmed \
             FROM procedure p LEFT JOIN tenant_clock_setting tcs ON tcs.tenant_id = p.tenant_id WHERE p.tenant_id = $1 \
             AND p.phase NOT IN ('monitoring_ended', 'transferred_out') AND ",
            crate::access::case_visible_sql!("$4", "$2", "$3", "$5", "$6"),
            " ORDER BY p.opened_at DESC, p.id DESC"))
            .bind(tenant_id)
            .bind(crate::access::holds_staff_role(principal))
            .bind(crate::access::holds_member_role(principal))
            .bind(principal.account_id)
            .bind(self.today_text())
            .bind(crate::ts(self.now()))
            .fetch_all(c).await)?;
        let now = self.now();
        let (cases, phases): (Vec<ReplayRow>, Vec<String>) = rows.into_iter().map(|r| (r.case, r.phase)).unzip();
        let mut tx = self.db.begin_read().await?;
        let mut replayed = replayed_cached(&mut tx, &self.replays, &cases).await?;
        tx.commit().await?;
        Ok(cases
            .into_iter()
            .zip(phases)
            .filter_map(|(row, phase)| {
                // A case that vanished between the two reads (a purge) is left out.
                let (state, facts) = replayed.remove(&row.id)?;
                let summary =
                    ProcedureSummary { id: row.id, number: row.number, phase, opened_at: row.opened_at.to_jiff() };
                Some(DashboardCase { deadlines: deadlines(&state, &facts, now), summary })
            })
            .collect())
    }

    /// The case's number, for the pages of its forms and records that name it and link back.
    pub async fn case_number(&self, handle: &CaseHandle) -> Result<String, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let row: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT number FROM procedure WHERE id = $1 AND tenant_id = $2")
            .bind(handle.procedure_id).bind(handle.tenant_id).fetch_optional(c).await)?;
        tx.commit().await?;
        row.map(|(n,)| n).ok_or(StoreError::NotFound)
    }
}
