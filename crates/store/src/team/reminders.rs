//! Where the team's own rules stand, for its page and for the background job that reminds the chair and deputy:
//! the two-monthly meeting, the 7-day notice, the members' training within 12 months and the directory's yearly
//! review, and the agreements with member institutions before they lapse. Reminders are notifications without personal data, written once per (rule, subject, state).

use domain::identity::Permission;
use domain::team::{MeetingRule, TrainingState, directory_review_overdue, meeting_rule, notice_late, training_state};
use jiff::civil::Date;
use uuid::Uuid;

use super::{scope, text_date};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::notify::{NewNotification, NotificationKind, notify_in};
use crate::{Store, StoreError, Tx};

/// The reminder rules, as `rule_id` of a `team_reminder` notification.
pub const RULE_MEETING_DUE: &str = "team-meeting-due";
pub const RULE_MEETING_MISSED: &str = "team-meeting-missed";
pub const RULE_NOTICE_LATE: &str = "team-notice-late";
pub const RULE_TRAINING_DUE: &str = "team-training-due";
pub const RULE_TRAINING_OVERDUE: &str = "team-training-overdue";
pub const RULE_DIRECTORY_REVIEW: &str = "directory-review";
pub const RULE_AGREEMENT_LAPSING: &str = "team-agreement-lapsing";

/// The team's rules on one day, without personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamOverview {
    pub meeting_rule: MeetingRule,
    /// Planned meetings less than 7 days away whose notice was not sent.
    pub notices_late: Vec<Uuid>,
    /// Current members whose training is due soon or overdue.
    pub trainings_due: usize,
    pub trainings_overdue: usize,
    /// Current members without a signed declaration.
    pub declarations_missing: usize,
    /// Directory entries (not archived) due for their yearly review.
    pub reviews_due: usize,
    /// Agreements with member institutions whose last day is within their reminder's lead.
    pub agreements_lapsing: usize,
}

/// What one run of the reminders did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamReminderReport {
    pub tenants: usize,
    pub notified: usize,
}

/// A meeting's id, status and clock columns.
type MeetingClock = (Uuid, String, jiff_sqlx::Timestamp, Option<jiff_sqlx::Timestamp>, Option<jiff_sqlx::Timestamp>);

/// One reminder to send: its rule and the subject that makes it unique.
struct Due {
    rule: &'static str,
    key: String,
}

async fn overview_in(tx: &mut Tx, tenant: Uuid, today: Date) -> Result<(TeamOverview, Vec<Due>), StoreError> {
    let zone = domain::calendar::poland_zone();
    let day = |t: jiff_sqlx::Timestamp| t.to_jiff().to_zoned(zone.clone()).date();
    let meetings: Vec<MeetingClock> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, status, scheduled_at, held_at, notice_sent_at FROM team_meeting \
             WHERE tenant_id = $1 AND status <> 'cancelled'").bind(tenant).fetch_all(c).await)?;
    let last_held = meetings.iter().filter(|m| m.1 == "held").map(|m| day(m.3.unwrap_or(m.2))).max();
    let planned: Vec<(Uuid, Date, bool)> =
        meetings.iter().filter(|m| m.1 == "planned").map(|m| (m.0, day(m.2), m.4.is_some())).collect();
    let appointed: Option<(Option<String>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT MIN(issued_on) FROM team_order WHERE tenant_id = $1").bind(tenant).fetch_optional(c).await)?;
    let appointed = appointed.and_then(|(d,)| d).map(|d| text_date(&d)).transpose()?;
    let planned_days: Vec<Date> = planned.iter().map(|p| p.1).collect();
    let rule = meeting_rule(last_held, appointed, &planned_days, today);
    let mut due = Vec::new();
    match rule {
        MeetingRule::DueSoon { due: d } => due.push(Due { rule: RULE_MEETING_DUE, key: d.to_string() }),
        MeetingRule::Missed { due: d } => due.push(Due { rule: RULE_MEETING_MISSED, key: d.to_string() }),
        MeetingRule::Kept { .. } => {}
    }
    let mut notices_late = Vec::new();
    for (id, d, sent) in &planned {
        if notice_late(*d, sent.then_some(*d), today) {
            notices_late.push(*id);
            due.push(Due { rule: RULE_NOTICE_LATE, key: id.to_string() });
        }
    }
    let members: Vec<(Uuid, String, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, appointed_on, confidentiality_signed_on FROM team_member \
         WHERE tenant_id = $1 AND left_on IS NULL").bind(tenant).fetch_all(c).await)?;
    // The clock reads the training history (qualifications.rs), not the former single date.
    let completed = super::qualifications::mandatory_completions(tx, tenant).await?;
    let (mut trainings_due, mut trainings_overdue, mut declarations_missing) = (0, 0, 0);
    for (id, appointed_on, signed) in members {
        match training_state(text_date(&appointed_on)?, completed.get(&id).copied(), today) {
            TrainingState::DueSoon { .. } => {
                trainings_due += 1;
                due.push(Due { rule: RULE_TRAINING_DUE, key: id.to_string() });
            }
            TrainingState::Overdue { .. } => {
                trainings_overdue += 1;
                due.push(Due { rule: RULE_TRAINING_OVERDUE, key: id.to_string() });
            }
            _ => {}
        }
        if signed.is_none() {
            declarations_missing += 1;
        }
    }
    let entries: Vec<(Uuid, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, last_checked_on FROM help_directory_entry WHERE tenant_id = $1 AND archived_at IS NULL")
        .bind(tenant).fetch_all(c).await)?;
    let mut reviews_due = 0;
    for (id, checked) in entries {
        let checked = text_date(&checked)?;
        if directory_review_overdue(checked, today) {
            reviews_due += 1;
            due.push(Due { rule: RULE_DIRECTORY_REVIEW, key: format!("{id}:{checked}") });
        }
    }
    // Keyed by the last day, so an agreement extended to a new end is reminded of again before that one.
    let lapsing = super::rules::agreements_lapsing(tx, tenant, today).await?;
    for (id, last_day) in &lapsing {
        due.push(Due { rule: RULE_AGREEMENT_LAPSING, key: format!("{id}:{last_day}") });
    }
    let overview = TeamOverview {
        meeting_rule: rule,
        notices_late,
        trainings_due,
        trainings_overdue,
        declarations_missing,
        reviews_due,
        agreements_lapsing: lapsing.len(),
    };
    Ok((overview, due))
}

impl Store {
    /// The team's rules as they stand today, for its page.
    pub async fn team_overview(&self, principal: &Principal) -> Result<TeamOverview, StoreError> {
        let tenant = scope(principal, Permission::ViewTeam)?;
        let today = self.today();
        let mut tx = self.db.begin_read().await?;
        let (overview, _) = overview_in(&mut tx, tenant, today).await?;
        tx.commit().await?;
        Ok(overview)
    }

    /// Reminds the chair and deputy chair of every municipality of the team's rules about to be missed or missed,
    /// once per (rule, subject): a rerun writes nothing new.
    pub async fn team_reminders(&self) -> Result<TeamReminderReport, StoreError> {
        let today = self.today();
        let mut report = TeamReminderReport::default();
        let mut tx = self.db.begin().await?;
        let tenants: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT DISTINCT tenant_id FROM team_member UNION SELECT DISTINCT tenant_id FROM help_directory_entry \
             UNION SELECT DISTINCT tenant_id FROM team_agreement")
            .fetch_all(c).await)?;
        for (tenant,) in tenants {
            report.tenants += 1;
            let (_, due) = overview_in(&mut tx, tenant, today).await?;
            if due.is_empty() {
                continue;
            }
            let chairs: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT DISTINCT a.id FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE a.tenant_id = $1 AND a.active AND r.role IN ('chair', 'deputy_chair') ORDER BY a.id")
                .bind(tenant).fetch_all(c).await)?;
            let chairs: Vec<Uuid> = chairs.into_iter().map(|(id,)| id).collect();
            for d in due {
                let note = NewNotification {
                    tenant_id: tenant,
                    kind: NotificationKind::TeamReminder,
                    procedure_id: None,
                    rule_id: Some(d.rule),
                    once_key: Some(format!("team:{}:{}", d.rule, d.key)),
                };
                report.notified += notify_in(self, &mut tx, &chairs, &note).await?.len();
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Today in Poland, by the store's clock.
    pub fn today(&self) -> Date {
        self.now().to_zoned(domain::calendar::poland_zone()).date()
    }
}
