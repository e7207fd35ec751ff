//! The day's work across cases (issue 16 item 1): every case an account may see that still runs clocks, with its
//! deadlines as they stand now, for the home page's counts and the filtered list of deadlines. No personal data is
//! read, so nothing is decrypted and nothing is audited, exactly as for the dashboard.

use std::collections::HashSet;
use std::sync::Arc;

use uuid::Uuid;

use super::CaseHandle;
use super::day_cache::{DayFingerprint, KeptCase, ReachKey, TenantDay};
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
        let print = day_fingerprint(&mut tx, tenant_id).await?;
        let visible = self.visible_running_cases(&mut tx, principal, tenant_id, &print, now).await?;
        if visible.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let day = match self.days.get(tenant_id, &print) {
            Some(day) => day,
            None => {
                let day = Arc::new(TenantDay::new(read_day(&mut tx, &self.replays, tenant_id).await?));
                self.days.keep(tenant_id, print, Arc::clone(&day));
                day
            }
        };
        tx.commit().await?;
        let computed = day.deadlines_at(now, |kept| deadlines(&kept.state, &kept.facts, now));
        Ok(day
            .cases
            .iter()
            .zip(computed.iter())
            .filter(|(kept, _)| visible.contains(&kept.summary.id))
            .map(|(kept, deadlines)| DashboardCase { deadlines: deadlines.clone(), summary: kept.summary.clone() })
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

/// Which running cases an account sees on its home page.
enum Visible {
    /// Every case of the municipality (the team's staff).
    All,
    /// The cases it reaches through its groups and forms A (kept between looks), and through grants (asked afresh).
    Some { kept: Arc<HashSet<Uuid>>, granted: HashSet<Uuid> },
}

impl Visible {
    fn is_empty(&self) -> bool {
        matches!(self, Visible::Some { kept, granted } if kept.is_empty() && granted.is_empty())
    }

    fn contains(&self, id: &Uuid) -> bool {
        match self {
            Visible::All => true,
            Visible::Some { kept, granted } => kept.contains(id) || granted.contains(id),
        }
    }
}

impl Store {
    /// The running cases of `tenant_id` that `principal` may see, by the rule in `crate::access`; all of them for
    /// the team's staff in good standing with a signed declaration, which spares listing thousands of ids on the
    /// chair's every look.
    ///
    /// Otherwise each way into a case is asked with its own fragment of the rule, over the rows that could satisfy it
    /// (the account's group places, forms A and grants), which only narrows what the fragment is asked about. The
    /// cases reached through groups and forms A are kept between looks (`DayCache::reached`): every write of
    /// `group_member` and `procedure_form` moves the day's fingerprint (triggers, migration 0049); what else those
    /// fragments ask (the group-member role, good standing, a signed declaration: the account, not the case) is asked
    /// afresh every time and is part of the key. Grants, which end at an instant, are asked on every look.
    async fn visible_running_cases(
        &self,
        tx: &mut Tx,
        principal: &Principal,
        tenant_id: Uuid,
        print: &DayFingerprint,
        now: jiff::Timestamp,
    ) -> Result<Visible, StoreError> {
        if crate::access::is_current_staff(tx, self, principal).await? {
            return Ok(Visible::All);
        }
        let member = crate::access::holds_member_role(principal);
        let today = self.today_text();
        let (standing, declared): (bool, bool) = on_tx!(tx, c => sqlx::query_as(concat!(
            "SELECT ", crate::access::standing_sql!("$1", "$2"), ", ", crate::access::declaration_signed_sql!("$1", "$2")))
            .bind(principal.account_id).bind(&today).fetch_one(c).await)?;
        let key =
            ReachKey { tenant_id, account_id: principal.account_id, today: today.clone(), member, standing, declared };
        let kept = match self.days.reached(&key, print) {
            Some(kept) => kept,
            None => {
                // Both fragments carry the account's conditions themselves; the key only says when to ask again.
                let ids: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(concat!(
                    "SELECT p.id FROM group_member g0 JOIN procedure p ON p.id = g0.procedure_id \
                     WHERE g0.account_id = $1 AND p.tenant_id = $2 AND ", running_sql!(), " AND ",
                    crate::access::group_access_sql!("$1", "$3", "$4"),
                    " UNION SELECT p.id FROM procedure_form f0 JOIN procedure p ON p.id = f0.procedure_id \
                     WHERE f0.entered_by = $1 AND f0.kind = 'A' AND p.tenant_id = $2 AND ", running_sql!(), " AND ",
                    crate::access::initiator_access_sql!("$1", "$4")))
                    .bind(principal.account_id).bind(tenant_id).bind(member).bind(&today)
                    .fetch_all(c).await)?;
                let kept: Arc<HashSet<Uuid>> = Arc::new(ids.into_iter().map(|(id,)| id).collect());
                self.days.keep_reached(key, print.clone(), Arc::clone(&kept));
                kept
            }
        };
        let ids: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(concat!(
            "SELECT p.id FROM case_grant c0 JOIN procedure p ON p.id = c0.procedure_id \
             WHERE c0.account_id = $1 AND p.tenant_id = $2 AND ", running_sql!(), " AND ",
            crate::access::grant_access_sql!("$1", "$3", "$4", "$5")))
            .bind(principal.account_id).bind(tenant_id).bind(member).bind(&today).bind(crate::ts(now))
            .fetch_all(c).await)?;
        Ok(Visible::Some { kept, granted: ids.into_iter().map(|(id,)| id).collect() })
    }
}

/// The fingerprint of `tenant_id`'s cases, records and groups (see `super::day_cache`): one row each.
async fn day_fingerprint(tx: &mut Tx, tenant_id: Uuid) -> Result<DayFingerprint, StoreError> {
    let (changes, escalate_unconfirmed): (i64, bool) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COALESCE((SELECT counter FROM tenant_case_change WHERE tenant_id = $1), 0), \
         COALESCE((SELECT escalate_unconfirmed FROM tenant_clock_setting WHERE tenant_id = $1), FALSE)")
        .bind(tenant_id).fetch_one(c).await)?;
    Ok(DayFingerprint { changes, escalate_unconfirmed })
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
