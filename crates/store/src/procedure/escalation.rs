//! Escalation: each case deadline that is about to run out or has run out is told to whoever's turn it is, and to
//! the team's chair and deputy, once per (procedure, rule, state). The deadlines are the ones the procedure page shows
//! (`view`), so a rule added there is escalated without a change here. Whose turn it is follows the rule's
//! responsible role: the initiator for form A; the support group's members for the group's steps, the record clocks
//! and anything the group follows up (the person using violence's programme, the Police's escort). A deadline that
//! rests on an unconfirmed reading (\[U\]) is not escalated unless the municipality turned that on.
//!
//! A support-plan item's due day is told to its owner (`forms::owner`): the member who owns it, or the group's members
//! from the institution that owns it (the whole group when none of them is from it, or when the owner is free text from
//! before owners were chosen, or a member who has left). A member who left the group is reminded of nothing.
//!
//! During the 9 months of monitoring the group is reminded to check the case at the interval the team set.

use std::collections::HashMap;

use domain::procedure::deadlines::DeadlineState;
use domain::procedure::lifecycle::{GroupMemberKind, ProcedureState};
use domain::procedure::reminders::{DEFAULT_MONITORING_CHECK_MONTHS, monitoring_check_due};
use domain::tenant::InstitutionKind;
use jiff::Timestamp;
use uuid::Uuid;

use super::{DeadlineView, case_deadlines, replayed_many};
use crate::db::on_tx;
use crate::notify::{NewNotification, NotificationKind, notify_in};
use crate::{Store, StoreError, Tx};

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

/// Who, besides the chair and deputy, is told of a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    Initiator,
    Group,
    StaffOnly,
}

fn turn_of(deadline: &DeadlineView) -> Turn {
    match deadline.responsible {
        "initiator" => Turn::Initiator,
        "chair" | "team" => Turn::StaffOnly,
        // The group follows up the person using violence, the Police's escort, a social worker's notice and a
        // measure's lapse.
        _ => Turn::Group,
    }
}

/// The case's people whose turn it may be: the initiator and the group's current members, active accounts only.
#[derive(Debug, Default)]
struct CasePeople {
    initiator: Option<Uuid>,
    group: Vec<Uuid>,
    /// Each current member's institution: the one in the team's register, else the one their capacity usually
    /// means.
    institution_of: HashMap<Uuid, InstitutionKind>,
    /// The owners of the case's open plan items with a due day.
    plan_owners: Vec<PlanItemOwner>,
}

/// Who owns an open plan item due on `day`; neither for free text kept from before owners were chosen.
#[derive(Debug)]
struct PlanItemOwner {
    day: jiff::civil::Date,
    member: Option<Uuid>,
    institution: Option<InstitutionKind>,
}

impl CasePeople {
    /// Whom a plan item due on `day` is told to, besides the chair and deputy: each item's owner, a member or the
    /// members from the owning institution; the group when that finds nobody in the group now.
    fn plan_item_owners(&self, day: jiff::civil::Date) -> Vec<Uuid> {
        let mut out = Vec::new();
        for item in self.plan_owners.iter().filter(|i| i.day == day) {
            let owners: Vec<Uuid> = match (item.member, item.institution) {
                (Some(member), _) => self.group.iter().copied().filter(|m| *m == member).collect(),
                (None, Some(kind)) => {
                    self.group.iter().copied().filter(|m| self.institution_of.get(m) == Some(&kind)).collect()
                }
                (None, None) => Vec::new(),
            };
            if owners.is_empty() {
                out.extend(self.group.iter().copied());
            } else {
                out.extend(owners);
            }
        }
        if out.is_empty() {
            // No item read for that day (it changed since the clock was computed): the group, as before owners.
            out.extend(self.group.iter().copied());
        }
        out
    }
}

impl Store {
    /// Looks at the deadlines of every case not yet finished, as they stand at the store's clock, and notifies each
    /// one due soon or overdue to whoever's turn it is and to the chair and deputy chair of the case's municipality,
    /// once per (procedure, rule, state); then reminds the groups of monitored cases due their check.
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
            // Who may be reminded, and the monitoring checks made, for the whole batch at once (one query each rather
            // than one per case: the job runs over every open case of every municipality).
            let mut people_of = batch_people(&mut tx, &ids).await?;
            let checks_of = batch_monitoring_checks(&mut tx, &ids).await?;
            let mut chairs_of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
            let mut interval_of: HashMap<Uuid, u32> = HashMap::new();
            for (procedure_id, tenant_id) in &cases {
                let Some((state, facts)) = replayed.remove(procedure_id) else { continue };
                let urgent: Vec<(&'static str, NotificationKind, Turn, String, Option<jiff::civil::Date>)> =
                    case_deadlines(&state, &facts, now)
                        .into_iter()
                        // An unconfirmed reading is nobody's alarm unless the municipality chose so (`unconfirmed`).
                        .filter(|d| !d.unconfirmed)
                        .filter_map(|d| {
                            let (kind, due) = match d.state {
                                DeadlineState::DueSoon { due, .. } => (NotificationKind::DeadlineDueSoon, due),
                                DeadlineState::Overdue { due, .. } => (NotificationKind::DeadlineOverdue, due),
                                _ => return None,
                            };
                            // A case has one clock per rule, except the plan's items: each is told by its own day.
                            let (discriminator, plan_day) = match d.rule_id {
                                "plan_item_due" => {
                                    let day = due.day().ok()?;
                                    (format!(":{day}"), Some(day))
                                }
                                _ => (String::new(), None),
                            };
                            Some((d.rule_id, kind, turn_of(&d), discriminator, plan_day))
                        })
                        .collect();
                let monitoring = if state.is_monitoring() {
                    let months = match interval_of.get(tenant_id) {
                        Some(m) => *m,
                        None => {
                            let m = monitoring_interval(&mut tx, *tenant_id).await?;
                            interval_of.insert(*tenant_id, m);
                            m
                        }
                    };
                    let checks = checks_of.get(procedure_id).map(Vec::as_slice).unwrap_or_default();
                    monitoring_mark(&state, months, checks, now)
                } else {
                    None
                };
                if urgent.is_empty() && monitoring.is_none() {
                    continue;
                }
                let chairs = chairs(&mut tx, &mut chairs_of, *tenant_id).await?.clone();
                let people = people_of.remove(procedure_id).unwrap_or_default();
                for (rule_id, kind, turn, discriminator, plan_day) in urgent {
                    let mut recipients = chairs.clone();
                    match (turn, plan_day) {
                        (_, Some(day)) => recipients.extend(people.plan_item_owners(day)),
                        (Turn::Initiator, None) => recipients.extend(people.initiator),
                        (Turn::Group, None) => recipients.extend(people.group.iter().copied()),
                        (Turn::StaffOnly, None) => {}
                    }
                    recipients.sort_unstable();
                    recipients.dedup();
                    let note = NewNotification {
                        tenant_id: *tenant_id,
                        kind,
                        procedure_id: Some(*procedure_id),
                        rule_id: Some(rule_id),
                        once_key: Some(format!("escalation:{procedure_id}:{rule_id}{discriminator}:{}", kind.as_str())),
                    };
                    report.notified += notify_in(self, &mut tx, &recipients, &note).await?.len();
                }
                if let Some(mark) = monitoring {
                    // The group does the checks; the chair hears of it only when the monitoring's own deadline runs.
                    let note = NewNotification {
                        tenant_id: *tenant_id,
                        kind: NotificationKind::MonitoringCheckDue,
                        procedure_id: Some(*procedure_id),
                        rule_id: None,
                        once_key: Some(format!("monitoring-check:{procedure_id}:{mark}")),
                    };
                    let recipients = if people.group.is_empty() { chairs.clone() } else { people.group.clone() };
                    report.notified += notify_in(self, &mut tx, &recipients, &note).await?.len();
                }
            }
            report.cases += cases.len();
            tx.commit().await?;
            after = last;
        }
    }
}

/// The municipality's chair and deputy, asked once per municipality in a batch (at scale most urgent cases share
/// their chairs).
async fn chairs<'a>(
    tx: &mut Tx,
    known: &'a mut HashMap<Uuid, Vec<Uuid>>,
    tenant_id: Uuid,
) -> Result<&'a Vec<Uuid>, StoreError> {
    Ok(match known.entry(tenant_id) {
        std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => {
            let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
                "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.tenant_id = $1 AND a.active AND r.role IN ('chair', 'deputy_chair') ORDER BY a.id")
                .bind(tenant_id).fetch_all(c).await)?;
            slot.insert(rows.into_iter().map(|(id,)| id).collect())
        }
    })
}

/// The initiator, the group's current members (active accounts only) and the owners of the open plan items of each
/// case of a batch.
async fn batch_people(tx: &mut Tx, ids: &[Uuid]) -> Result<HashMap<Uuid, CasePeople>, StoreError> {
    let mut out: HashMap<Uuid, CasePeople> = HashMap::new();
    let initiators: Vec<(Uuid, Uuid)> = on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT p.id, a.id FROM procedure p JOIN account a ON a.id = p.initiator_id AND a.tenant_id = p.tenant_id \
             WHERE a.active AND p.id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(&mut *c).await
    })?;
    for (procedure_id, account) in initiators {
        out.entry(procedure_id).or_default().initiator = Some(account);
    }
    // A member who left the group no longer reaches the case (`crate::access`), so is no longer reminded of it. The
    // institution is the one the group's candidate list shows (the account's, else its record in the register).
    let members: Vec<(Uuid, Uuid, String, Option<String>)> = on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT g.procedure_id, a.id, g.kind, i.kind FROM group_member g JOIN account a ON a.id = g.account_id \
             LEFT JOIN institution i ON i.id = COALESCE(a.institution_id, \
                (SELECT tm.institution_id FROM team_member tm WHERE tm.account_id = a.id \
                  AND tm.institution_id IS NOT NULL ORDER BY tm.appointed_on DESC LIMIT 1)) \
             WHERE a.active AND g.left_at IS NULL AND g.procedure_id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(") ORDER BY g.procedure_id, a.id");
        q.build_query_as().fetch_all(&mut *c).await
    })?;
    for (procedure_id, account, capacity, registered) in members {
        let people = out.entry(procedure_id).or_default();
        people.group.push(account);
        let institution = registered
            .and_then(|k| InstitutionKind::parse(&k).ok())
            .or_else(|| GroupMemberKind::parse(&capacity).ok().and_then(GroupMemberKind::usual_institution));
        if let Some(institution) = institution {
            people.institution_of.insert(account, institution);
        }
    }
    type OwnerRow = (Uuid, jiff_sqlx::Timestamp, Option<Uuid>, Option<String>);
    let owners: Vec<OwnerRow> = on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT procedure_id, due_at, owner_account_id, owner_institution FROM case_record \
             WHERE kind = 'plan_item' AND due_at IS NOT NULL AND clock_done_at IS NULL AND procedure_id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(&mut *c).await
    })?;
    let zone = domain::calendar::poland_zone();
    for (procedure_id, due_at, member, institution) in owners {
        out.entry(procedure_id).or_default().plan_owners.push(PlanItemOwner {
            day: due_at.to_jiff().to_zoned(zone.clone()).date(),
            member,
            institution: institution.and_then(|k| InstitutionKind::parse(&k).ok()),
        });
    }
    Ok(out)
}

/// The days of the monitoring checks recorded in each case of a batch.
async fn batch_monitoring_checks(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<jiff::civil::Date>>, StoreError> {
    let rows: Vec<(Uuid, jiff_sqlx::Timestamp)> = on_tx!(tx, c => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT procedure_id, occurs_at FROM case_record WHERE kind = 'monitoring_check' AND procedure_id IN (");
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        q.build_query_as().fetch_all(&mut *c).await
    })?;
    let zone = domain::calendar::poland_zone();
    let mut out: HashMap<Uuid, Vec<jiff::civil::Date>> = HashMap::new();
    for (procedure_id, at) in rows {
        out.entry(procedure_id).or_default().push(at.to_jiff().to_zoned(zone.clone()).date());
    }
    Ok(out)
}

/// The months between monitoring checks the municipality set (3 unless it chose otherwise).
pub(crate) async fn monitoring_interval(tx: &mut Tx, tenant_id: Uuid) -> Result<u32, StoreError> {
    let row: Option<(i32,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT monitoring_check_months FROM tenant_clock_setting WHERE tenant_id = $1")
        .bind(tenant_id).fetch_optional(c).await)?;
    Ok(row.and_then(|(m,)| u32::try_from(m).ok()).unwrap_or(DEFAULT_MONITORING_CHECK_MONTHS))
}

/// The monitoring check a monitored case is due, by its closing day and the days of the checks recorded.
fn monitoring_mark(
    state: &ProcedureState,
    months: u32,
    checks: &[jiff::civil::Date],
    now: Timestamp,
) -> Option<jiff::civil::Date> {
    let closing = state.closing()?;
    let zone = domain::calendar::poland_zone();
    let day = |t: Timestamp| t.to_zoned(zone.clone()).date();
    monitoring_check_due(day(closing.at()), months, checks, day(now))
}
