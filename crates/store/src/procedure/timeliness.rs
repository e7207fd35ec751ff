//! The chair's view of the whole team's timeliness, and the meetings ahead on a member's dashboard.
//!
//! The 2024 NIK audit found support groups formed up to 47 days after form A and first meetings up to 55 days after
//! it, with nobody noticing. The report below puts every clock of every case opened in a period on one page: counts
//! per rule, every breach with its recorded reason (or the lack of one), and the average days from form A to the group
//! and to its first meeting. Only the team (chair, deputy, secretary) may see it; the reasons are personal data and
//! their read is audited.

use crate::Caller;
use std::collections::BTreeMap;

use domain::audit::AuditAction;
use domain::forms::records::RecordKind;
use domain::procedure::deadlines::DeadlineState;
use jiff::Timestamp;
use uuid::Uuid;

use super::view::{deadlines, replayed_many};
use super::{CaseAccess, CaseHandle, DeadlineView};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError};

/// One rule's record over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleTally {
    pub rule_id: &'static str,
    pub name_pl: &'static str,
    pub legal_basis: &'static str,
    pub met_on_time: u32,
    pub met_late: u32,
    pub overdue: u32,
    pub running: u32,
    /// The rule is an unconfirmed reading (\[U\]) the municipality does not treat as binding: its late and overdue
    /// clocks are shown apart, not counted as breaches.
    pub unconfirmed: bool,
}

/// One missed deadline.
#[derive(Debug, Clone)]
pub struct Breach {
    pub procedure_id: Uuid,
    pub number: String,
    pub deadline: DeadlineView,
    /// The recorded reason (decrypted), if any.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct TimelinessReport {
    pub cases: u32,
    pub rules: Vec<RuleTally>,
    pub breaches: Vec<Breach>,
    /// Clocks past their date by an unconfirmed reading (\[U\]) of the law: shown apart, never as breaches, unless
    /// the municipality turned on `escalate_unconfirmed` (then they are among `breaches`).
    pub unconfirmed: Vec<Breach>,
    /// Mean days from the filling of form A to the group's appointment, over the cases that have a group.
    pub avg_days_to_group: Option<f64>,
    /// Mean days from the filling of form A to the first group meeting, over the cases that have had one.
    pub avg_days_to_first_meeting: Option<f64>,
    /// The longest of each, to compare with the NIK findings (47 and 55 days).
    pub max_days_to_group: Option<f64>,
    pub max_days_to_first_meeting: Option<f64>,
}

/// A planned group meeting, without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingMeeting {
    pub procedure_id: Uuid,
    pub number: String,
    pub starts_at: Timestamp,
    /// group_only, affected_person or suspected_person.
    pub with_whom: Option<String>,
}

fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    // Seconds to days with one decimal of meaning; the f64 is for display and averages only.
    to.duration_since(from).as_secs_f64() / 86_400.0
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn max(values: &[f64]) -> Option<f64> {
    values.iter().copied().reduce(f64::max)
}

impl Store {
    /// Every clock of the municipality's cases opened in `[from, to)`. Team only; anyone else gets `NotFound`.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "timeliness", account = %caller.principal.account_id))]
    pub async fn timeliness(
        &self,
        caller: &Caller<'_>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<TimelinessReport, StoreError> {
        let Some(tenant_id) = caller.principal.tenant_id else { return Err(StoreError::NotFound) };
        let now = self.now();
        let mut tx = self.db.begin().await?;
        // Staff today (role, standing in the register, declaration), by the rule in `crate::access`.
        if !crate::access::is_current_staff(&mut tx, self, caller.principal).await? {
            return Err(StoreError::NotFound);
        }
        let cases: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, number FROM procedure WHERE tenant_id = $1 AND opened_at >= $2 AND opened_at < $3 ORDER BY opened_at, id")
            .bind(tenant_id).bind(crate::ts(from)).bind(crate::ts(to)).fetch_all(c).await)?;
        // The explained rules of every case of the period in one query, rather than one per case.
        let explained: Vec<(Uuid, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.procedure_id, r.tag FROM case_record r JOIN procedure p ON p.id = r.procedure_id \
             WHERE r.tenant_id = $1 AND r.kind = 'breach_reason' AND p.opened_at >= $2 AND p.opened_at < $3")
            .bind(tenant_id).bind(crate::ts(from)).bind(crate::ts(to)).fetch_all(c).await)?;
        let mut report =
            TimelinessReport { cases: u32::try_from(cases.len()).unwrap_or(u32::MAX), ..Default::default() };
        let mut tallies: BTreeMap<&'static str, RuleTally> = BTreeMap::new();
        let (mut to_group, mut to_meeting) = (Vec::new(), Vec::new());
        let mut with_reasons: Vec<Uuid> = Vec::new();
        let ids: Vec<Uuid> = cases.iter().map(|(id, _)| *id).collect();
        let mut replayed = replayed_many(&mut tx, &ids).await?;
        for (id, number) in cases {
            let Some((state, mut facts)) = replayed.remove(&id) else { continue };
            facts.explained_rules =
                explained.iter().filter(|(p, _)| *p == id).filter_map(|(_, tag)| tag.clone()).collect();
            if let Some(group) = state.group() {
                to_group.push(days_between(state.opened_at(), group.appointed_at()));
            }
            if let Some(first) = state.first_meeting_at() {
                to_meeting.push(days_between(state.opened_at(), first));
            }
            for deadline in deadlines(&state, &facts, now) {
                let tally = tallies.entry(deadline.rule_id).or_insert_with(|| RuleTally {
                    rule_id: deadline.rule_id,
                    name_pl: deadline.name_pl,
                    legal_basis: deadline.legal_basis,
                    unconfirmed: deadline.unconfirmed,
                    ..Default::default()
                });
                match deadline.state {
                    DeadlineState::MetOnTime { .. } => tally.met_on_time += 1,
                    DeadlineState::MetLate { .. } => tally.met_late += 1,
                    DeadlineState::Overdue { .. } => tally.overdue += 1,
                    DeadlineState::Pending { .. } | DeadlineState::DueSoon { .. } => tally.running += 1,
                }
                if deadline.is_breach() {
                    if deadline.explained && !with_reasons.contains(&id) {
                        with_reasons.push(id);
                    }
                    report.breaches.push(Breach { procedure_id: id, number: number.clone(), deadline, reason: None });
                } else if deadline.is_past_due() {
                    report.unconfirmed.push(Breach {
                        procedure_id: id,
                        number: number.clone(),
                        deadline,
                        reason: None,
                    });
                }
            }
        }
        // The reasons are read only for the cases with an explained breach, and that read is audited.
        for id in &with_reasons {
            let handle = CaseHandle {
                procedure_id: *id,
                tenant_id,
                access: CaseAccess::Team,
                principal: caller.principal.clone(),
                address: caller.address.clone(),
            };
            let reasons = self.records_in(&mut tx, &handle, Some(RecordKind::BreachReason)).await?;
            for record in &reasons {
                let rule = record.answers.get("breach.rule_id").unwrap_or_default();
                let text = record.answers.get("breach.reason").unwrap_or_default();
                for breach in report.breaches.iter_mut().filter(|b| b.procedure_id == *id && b.deadline.rule_id == rule)
                {
                    breach.reason = Some(match breach.reason.take() {
                        Some(earlier) => format!("{earlier}\n{text}"),
                        None => text.to_owned(),
                    });
                }
            }
            self.audit(
                &mut tx,
                &caller.actor(),
                &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", *id)
                    .in_tenant(Some(tenant_id))
                    .detail("timeliness: breach reasons"),
            )
            .await?;
        }
        tx.commit().await?;
        report.rules = tallies.into_values().collect();
        report.avg_days_to_group = mean(&to_group);
        report.avg_days_to_first_meeting = mean(&to_meeting);
        report.max_days_to_group = max(&to_group);
        report.max_days_to_first_meeting = max(&to_meeting);
        Ok(report)
    }

    /// The planned group meetings from now on in the cases this account may see (as `list_procedures` decides),
    /// soonest first; no personal data is read.
    pub async fn upcoming_meetings(
        &self,
        principal: &Principal,
        limit: i64,
    ) -> Result<Vec<UpcomingMeeting>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(Vec::new()) };
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(Uuid, String, jiff_sqlx::Timestamp, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT p.id, p.number, r.occurs_at, r.tag FROM case_record r JOIN procedure p ON p.id = r.procedure_id \
             WHERE r.tenant_id = $1 AND r.kind = 'meeting' AND r.status = 'planned' AND r.occurs_at >= $2 AND (",
            crate::access::staff_access_sql!("$5", "$3", "$7"), " OR ",
            crate::access::group_access_sql!("$5", "$4", "$7"),
            ") ORDER BY r.occurs_at LIMIT $6"))
            .bind(tenant_id).bind(crate::ts(self.now()))
            .bind(crate::access::holds_staff_role(principal)).bind(crate::access::holds_member_role(principal))
            .bind(principal.account_id).bind(limit.clamp(1, 200)).bind(self.today_text()).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(procedure_id, number, at, with_whom)| UpcomingMeeting {
                procedure_id,
                number,
                starts_at: at.to_jiff(),
                with_whom,
            })
            .collect())
    }
}
