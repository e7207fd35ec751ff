//! Notifications in the application, the e-mail outbox behind them and meeting invitations.
//!
//! This area knows nothing of cases: it writes a notification about a procedure id it is given. Deciding who hears
//! of a case's deadline (`procedure::escalation`) or meeting (`procedure::meeting_notice`) belongs to the procedure
//! area, which calls in here; nothing here imports `crate::procedure`, so the dependency runs one way.
//!
//! Guarantees:
//! - A notification is written in the same transaction as the change it reports (`notify_in` and
//!   `meeting_notice_in` take the `Tx`), and so is its e-mail: committed together or not at all.
//! - Neither holds personal data: a kind, the procedure's id (pages show its number), a deadline rule's id. The
//!   e-mail says only that there is something new to see; the address stays encrypted on the account until sending.
//! - An escalation is written once per (procedure, rule, state, recipient): a unique key makes a rerun insert nothing.
//! - An e-mail is never dropped: it stays queued, is retried with back-off, and a failure is recorded on its row.

mod outbox;
mod settings;

pub use outbox::{MAX_ATTEMPTS, Meeting, OutboxCounts, OutboxProblem, OutgoingEmail, backoff};

use jiff::Timestamp;
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::{Store, StoreError, Tx, ts};

/// What a notification tells; the page words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// You were appointed to the support group of a case.
    GroupAppointed,
    /// A group meeting was scheduled (or moved).
    MeetingScheduled,
    /// A group meeting was cancelled.
    MeetingCancelled,
    /// A deadline of a case is near.
    DeadlineDueSoon,
    /// A deadline of a case has passed.
    DeadlineOverdue,
    /// A team meeting's notice (or its move).
    TeamMeetingScheduled,
    /// A team meeting was cancelled.
    TeamMeetingCancelled,
    /// A rule of the team's own work is about to be missed or was missed (`rule_id` says which).
    TeamReminder,
    /// The institution has not yet entered some of the programme's indicators for the year.
    IndicatorsMissing,
    /// The administrator asked to reset an account of the municipality; the chair or the data protection officer
    /// approves or refuses it (four eyes).
    ResetAwaitsApproval,
    /// A form A about people already in a case waits for the team's staff (`/procedures/intakes`).
    IntakePending,
    /// A monitored case is due its check at the interval the team set (art. 9h ust. 2–3).
    MonitoringCheckDue,
    /// A member of the team opened a case by break-glass (issue 20): to the chair(s) and the data protection
    /// officer(s), at once. The reason is not in it; the officer's register shows it.
    BreakGlass,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 13] = [
        NotificationKind::GroupAppointed,
        NotificationKind::MeetingScheduled,
        NotificationKind::MeetingCancelled,
        NotificationKind::DeadlineDueSoon,
        NotificationKind::DeadlineOverdue,
        NotificationKind::TeamMeetingScheduled,
        NotificationKind::TeamMeetingCancelled,
        NotificationKind::TeamReminder,
        NotificationKind::IndicatorsMissing,
        NotificationKind::ResetAwaitsApproval,
        NotificationKind::IntakePending,
        NotificationKind::MonitoringCheckDue,
        NotificationKind::BreakGlass,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::GroupAppointed => "group_appointed",
            NotificationKind::MeetingScheduled => "meeting_scheduled",
            NotificationKind::MeetingCancelled => "meeting_cancelled",
            NotificationKind::DeadlineDueSoon => "deadline_due_soon",
            NotificationKind::DeadlineOverdue => "deadline_overdue",
            NotificationKind::TeamMeetingScheduled => "team_meeting_scheduled",
            NotificationKind::TeamMeetingCancelled => "team_meeting_cancelled",
            NotificationKind::TeamReminder => "team_reminder",
            NotificationKind::IndicatorsMissing => "indicators_missing",
            NotificationKind::ResetAwaitsApproval => "reset_awaits_approval",
            NotificationKind::IntakePending => "intake_pending",
            NotificationKind::MonitoringCheckDue => "monitoring_check_due",
            NotificationKind::BreakGlass => "break_glass",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub tenant_id: Uuid,
    pub kind: NotificationKind,
    pub procedure_id: Option<Uuid>,
    pub rule_id: Option<&'a str>,
    /// Written once only: a second notification with the same key for the same account is not inserted.
    pub once_key: Option<String>,
}

/// A notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: NotificationKind,
    pub procedure_id: Option<Uuid>,
    pub procedure_number: Option<String>,
    pub rule_id: Option<String>,
    pub created_at: Timestamp,
    pub read: bool,
}

type NotificationRow = (Uuid, String, Option<Uuid>, Option<String>, Option<String>, jiff_sqlx::Timestamp, bool);

/// Writes `note` for each recipient inside `tx`, and queues a plain "something new" e-mail for those with an
/// address when the outbox is enabled. Returns the accounts actually notified (fewer than `recipients` when a
/// `once_key` was already used for some of them).
pub(crate) async fn notify_in(
    store: &Store,
    tx: &mut Tx,
    recipients: &[Uuid],
    note: &NewNotification<'_>,
) -> Result<Vec<Uuid>, StoreError> {
    let mut notified = Vec::with_capacity(recipients.len());
    for account in recipients {
        let Some(id) = insert_notification(store, tx, *account, note).await? else { continue };
        if store.email_outbox {
            outbox::queue(store, tx, *account, note.tenant_id, Some(id), note.procedure_id, None).await?;
        }
        notified.push(*account);
    }
    Ok(notified)
}

/// A team meeting's notice, move or cancellation: a notification to each recipient inside `tx` and, with the outbox
/// enabled, an e-mail with the .ics invitation (no case, no personal data).
pub(crate) async fn notify_team_meeting_in(
    store: &Store,
    tx: &mut Tx,
    tenant_id: Uuid,
    recipients: &[Uuid],
    kind: NotificationKind,
    meeting: &Meeting,
) -> Result<(), StoreError> {
    let note = NewNotification { tenant_id, kind, procedure_id: None, rule_id: None, once_key: None };
    for account in recipients {
        let Some(id) = insert_notification(store, tx, *account, &note).await? else { continue };
        if store.email_outbox {
            outbox::queue(store, tx, *account, tenant_id, Some(id), None, Some(meeting)).await?;
        }
    }
    Ok(())
}

async fn insert_notification(
    store: &Store,
    tx: &mut Tx,
    account: Uuid,
    note: &NewNotification<'_>,
) -> Result<Option<Uuid>, StoreError> {
    let id = Uuid::now_v7();
    // Only to an account of the same municipality: a notification names a case by its number.
    let inserted = on_tx!(tx, c => sqlx::query(
        "INSERT INTO notification (id, tenant_id, account_id, kind, procedure_id, rule_id, once_key, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM account WHERE id = $3 AND tenant_id = $2) \
         ON CONFLICT (account_id, once_key) DO NOTHING")
        .bind(id).bind(note.tenant_id).bind(account).bind(note.kind.as_str()).bind(note.procedure_id)
        .bind(note.rule_id).bind(note.once_key.as_deref()).bind(ts(store.now()))
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok((inserted == 1).then_some(id))
}

impl Store {
    /// The unread notifications of this account: one indexed COUNT, for the page header.
    pub async fn unread_notifications(&self, account_id: Uuid) -> Result<i64, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM notification WHERE account_id = $1 AND read_at IS NULL")
            .bind(account_id).fetch_one(c).await)?;
        tx.commit().await?;
        Ok(n)
    }

    /// This account's notifications, newest first (at most `limit`).
    pub async fn notifications(&self, principal: &Principal, limit: i64) -> Result<Vec<NotificationView>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<NotificationRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT n.id, n.kind, n.procedure_id, p.number, n.rule_id, n.created_at, n.read_at IS NOT NULL \
             FROM notification n LEFT JOIN procedure p ON p.id = n.procedure_id \
             WHERE n.account_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2")
            .bind(principal.account_id).bind(limit.clamp(1, 500)).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kind, procedure_id, procedure_number, rule_id, created_at, read)| {
                // A kind this version does not know (written by a newer one) is skipped, not shown wrongly.
                Some(NotificationView {
                    id,
                    kind: NotificationKind::parse(&kind)?,
                    procedure_id,
                    procedure_number,
                    rule_id,
                    created_at: created_at.to_jiff(),
                    read,
                })
            })
            .collect())
    }

    /// Marks all of this account's notifications read; returns how many were unread.
    pub async fn mark_notifications_read(&self, principal: &Principal) -> Result<u64, StoreError> {
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE notification SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL")
            .bind(principal.account_id).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(n)
    }
}

/// A group meeting's invitation, move or cancellation about `procedure_id`: a notification to each recipient inside
/// `tx` and, with the outbox enabled, an e-mail with the .ics invitation. Who may send it is checked by the caller
/// (`Store::notify_meeting_in` in the procedure area, which holds the case's handle). A recipient who is not an
/// account of the municipality is refused, not skipped: the meeting's invitation must reach everyone it names.
pub(crate) async fn meeting_notice_in(
    store: &Store,
    tx: &mut Tx,
    tenant_id: Uuid,
    procedure_id: Uuid,
    recipients: &[Uuid],
    meeting: &Meeting,
) -> Result<(), StoreError> {
    let kind = if meeting.cancelled { NotificationKind::MeetingCancelled } else { NotificationKind::MeetingScheduled };
    let note = NewNotification { tenant_id, kind, procedure_id: Some(procedure_id), rule_id: None, once_key: None };
    for account in recipients {
        let Some(id) = insert_notification(store, tx, *account, &note).await? else {
            return Err(StoreError::invalid("recipients", "err-group-member-unknown"));
        };
        if store.email_outbox {
            outbox::queue(store, tx, *account, tenant_id, Some(id), Some(procedure_id), Some(meeting)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The dependency between the two areas runs one way, procedure → notify (docs/ARCHITECTURE.md): a `use` of the
    /// procedure area in here would close the circle again that issue 19 removed.
    #[test]
    fn the_notify_area_does_not_import_the_procedure_area() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/notify");
        // Spelled at run time, so this test's own text is not a match.
        let needles = [["crate", "procedure"].join("::"), ["super", "super", "procedure"].join("::")];
        let mut offenders = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("the notify folder") {
            let path = entry.expect("a notify file").path();
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                let grouped = code.trim_start().starts_with("use crate::{") && code.contains("procedure");
                if grouped || needles.iter().any(|needle| code.contains(needle.as_str())) {
                    offenders.push(format!("{}:{}", path.display(), n + 1));
                }
            }
        }
        assert!(offenders.is_empty(), "notify imports the procedure area at {offenders:?}");
    }
}
