//! The day's work across cases (issue 16 item 1): every case an account may see that still runs clocks, with its
//! deadlines as they stand now, for the home page's counts and the filtered list of deadlines. No personal data is
//! read, so nothing is decrypted and nothing is audited, exactly as for the dashboard.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;

use super::CaseHandle;
use super::day_cache::{DayFingerprint, KeptCase};
use super::replay_cache::ReplayCache;
use super::view::{DashboardCase, ProcedureSummary, ReplayRow, deadlines, replayed_cached};
use crate::db::{Tx, on_tx};
use crate::identity::Principal;
use crate::{Store, StoreError};

/// A running case: the columns a replay needs, and its phase for the summary.
#[derive(sqlx::FromRow)]
struct RunningRow {
    #[sqlx(flatten)]
    case: ReplayRow,
    phase: String,
}

/// The phases whose clocks have stopped for this municipality: the monitoring ended, or the case went to another
/// municipality.
macro_rules! running_sql {
    () => {
        "p.phase NOT IN ('monitoring_ended', 'transferred_out')"
    };
}

impl Store {
    /// Every case `principal` may see (by the one rule in `crate::access`) whose clocks may still run (not ended
    /// after monitoring, not handed to another municipality), with its deadlines now; the newest case first.
    /// Unlike [`Store::dashboard`] there is no limit: the home page's counts must be true for the whole caseload.
    ///
    /// Who may see which case is asked of the database on every call. The cases themselves (their rows, replayed
    /// states and records' clocks) come from the municipality's list kept in `super::day_cache` while its
    /// fingerprint is unchanged, so a home page reads three small answers instead of every running case; deadlines
    /// are computed for now on every call.
    pub async fn running_cases(&self, principal: &Principal) -> Result<Vec<DashboardCase>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(Vec::new()) };
        let now = self.now();
        let mut tx = self.db.begin_read().await?;
        let visible = visible_running_cases(&mut tx, principal, tenant_id, &self.today_text(), now).await?;
        if visible.as_ref().is_some_and(HashSet::is_empty) {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let print = day_fingerprint(&mut tx, tenant_id).await?;
        let day = match self.days.get(tenant_id, &print) {
            Some(day) => day,
            None => {
                let day = Arc::new(read_day(&mut tx, &self.replays, tenant_id).await?);
                self.days.keep(tenant_id, print, Arc::clone(&day));
                day
            }
        };
        tx.commit().await?;
        Ok(day
            .iter()
            .filter(|kept| visible.as_ref().is_none_or(|v| v.contains(&kept.summary.id)))
            .map(|kept| DashboardCase {
                deadlines: deadlines(&kept.state, &kept.facts, now),
                summary: kept.summary.clone(),
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

/// The running cases of `tenant_id` that `principal` may see, by the one rule in `crate::access`; `None` when that
/// is every case of the municipality (the team's staff in good standing with a signed declaration), which spares
/// listing thousands of ids on the chair's every look.
async fn visible_running_cases(
    tx: &mut Tx,
    principal: &Principal,
    tenant_id: Uuid,
    today: &str,
    now: jiff::Timestamp,
) -> Result<Option<HashSet<Uuid>>, StoreError> {
    let staff = crate::access::holds_staff_role(principal);
    if staff {
        let (sees_all,): (bool,) = on_tx!(tx, c => sqlx::query_as(concat!(
            "SELECT ", crate::access::staff_access_sql!("$1", "$2", "$3")))
            .bind(principal.account_id).bind(staff).bind(today).fetch_one(c).await)?;
        if sees_all {
            return Ok(None);
        }
    }
    let ids: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(concat!(
        "SELECT p.id FROM procedure p WHERE p.tenant_id = $1 AND ", running_sql!(), " AND ",
        crate::access::case_visible_sql!("$4", "$2", "$3", "$5", "$6")))
        .bind(tenant_id)
        .bind(staff)
        .bind(crate::access::holds_member_role(principal))
        .bind(principal.account_id)
        .bind(today)
        .bind(crate::ts(now))
        .fetch_all(c).await)?;
    Ok(Some(ids.into_iter().map(|(id,)| id).collect()))
}

/// The fingerprint of `tenant_id`'s cases and clock-keeping records (see `super::day_cache`), in one statement that
/// reads only indexed columns.
async fn day_fingerprint(tx: &mut Tx, tenant_id: Uuid) -> Result<DayFingerprint, StoreError> {
    type Row = (i64, i64, Option<jiff_sqlx::Timestamp>, i64, i64, Option<jiff_sqlx::Timestamp>, bool);
    let row: Row = on_tx!(tx, c => sqlx::query_as(concat!(
        "SELECT pf.n, pf.v, pf.newest, rf.n, rf.v, rf.newest, \
         COALESCE((SELECT escalate_unconfirmed FROM tenant_clock_setting WHERE tenant_id = $1), FALSE) \
         FROM (SELECT COUNT(*) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v, MAX(created_at) AS newest \
               FROM procedure WHERE tenant_id = $1) pf, \
              (SELECT COUNT(*) AS n, CAST(COALESCE(SUM(version), 0) AS BIGINT) AS v, MAX(updated_at) AS newest \
               FROM case_record WHERE tenant_id = $1 AND kind IN ", super::view::clock_record_kinds!(), ") rf"))
        .bind(tenant_id).fetch_one(c).await)?;
    let (procedures, versions, newest, records, record_versions, record_newest, escalate_unconfirmed) = row;
    Ok(DayFingerprint {
        procedures,
        versions,
        newest: newest.map(|t| t.to_jiff()),
        records,
        record_versions,
        record_newest: record_newest.map(|t| t.to_jiff()),
        escalate_unconfirmed,
    })
}

/// Every running case of `tenant_id`, whoever may see it, with its replayed state and its records' clocks; the
/// newest case first.
async fn read_day(tx: &mut Tx, replays: &ReplayCache, tenant_id: Uuid) -> Result<Vec<KeptCase>, StoreError> {
    let rows: Vec<RunningRow> = on_tx!(tx, c => sqlx::query_as(concat!(
        "SELECT p.id, p.number, p.phase, p.opened_at, p.version, p.created_at, p.initiator_category, \
         p.suspects_present, p.group_basis, COALESCE(tcs.escalate_unconfirmed, FALSE) AS escalate_unconfirmed \
         FROM procedure p LEFT JOIN tenant_clock_setting tcs ON tcs.tenant_id = p.tenant_id WHERE p.tenant_id = $1 \
         AND ", running_sql!(), " ORDER BY p.opened_at DESC, p.id DESC"))
        .bind(tenant_id)
        .fetch_all(c).await)?;
    let (cases, phases): (Vec<ReplayRow>, Vec<String>) = rows.into_iter().map(|r| (r.case, r.phase)).unzip();
    let mut replayed = replayed_cached(tx, replays, &cases).await?;
    Ok(cases
        .into_iter()
        .zip(phases)
        .filter_map(|(row, phase)| {
            // A case that vanished between the two reads (a purge) is left out.
            let (state, facts) = replayed.remove(&row.id)?;
            let summary =
                ProcedureSummary { id: row.id, number: row.number, phase, opened_at: row.opened_at.to_jiff() };
            Some(KeptCase { summary, state, facts })
        })
        .collect())
}
