//! The e-mail outbox: rows queued with the notification they announce, claimed by the sending job, marked sent or
//! failed. Nothing is deleted; a row that used up its retries stays, with its last error, for the administrator.

use domain::audit::AuditAction;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

use crate::db::on_tx;
use crate::keys::INSTALLATION_SCOPE;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// After this many failed attempts an e-mail is given up (marked failed, kept); about two days of retrying.
pub const MAX_ATTEMPTS: i64 = 12;

/// How long a claimed e-mail is held for the job that claimed it before another run may try it again.
const LEASE: SignedDuration = SignedDuration::from_mins(10);

/// The wait before attempt `attempts + 1`: one minute, doubling, at most six hours.
pub fn backoff(attempts: i64) -> SignedDuration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    let minutes = 1i64.checked_shl(exponent).unwrap_or(i64::MAX).min(360);
    SignedDuration::from_mins(minutes)
}

/// A group meeting as a calendar invitation carries it: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// The same for every version of one meeting (the calendar entry's identity).
    pub uid: Uuid,
    /// 0 for the first invitation, one more for each change.
    pub sequence: u32,
    pub start: Timestamp,
    pub end: Timestamp,
    pub cancelled: bool,
}

/// An e-mail claimed for sending, with the recipient's decrypted address.
#[derive(Clone)]
pub struct OutgoingEmail {
    pub id: Uuid,
    pub to: String,
    pub procedure_id: Option<Uuid>,
    pub meeting: Option<Meeting>,
    pub created_at: Timestamp,
    pub attempts: i64,
}

impl std::fmt::Debug for OutgoingEmail {
    // The address is personal data: never in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingEmail").field("id", &self.id).field("attempts", &self.attempts).finish_non_exhaustive()
    }
}

/// The outbox at a glance, for /metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting for their first or a further attempt.
    pub queued: i64,
    /// Queued rows whose last attempt failed (a subset of `queued`).
    pub retrying: i64,
    /// Given up after [`MAX_ATTEMPTS`]; kept.
    pub failed: i64,
    pub sent: i64,
}

/// Queues an e-mail to `account` inside `tx`, if the account has an address.
pub(super) async fn queue(
    store: &Store,
    tx: &mut Tx,
    account: Uuid,
    tenant_id: Uuid,
    notification_id: Option<Uuid>,
    procedure_id: Option<Uuid>,
    meeting: Option<&Meeting>,
) -> Result<(), StoreError> {
    let now = ts(store.now());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO email_outbox (id, tenant_id, account_id, notification_id, kind, procedure_id, meeting_uid, \
           meeting_seq, meeting_start, meeting_end, meeting_cancel, created_at, next_attempt_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12 \
         WHERE EXISTS (SELECT 1 FROM account WHERE id = $3 AND email_enc IS NOT NULL)")
        .bind(Uuid::now_v7()).bind(tenant_id).bind(account).bind(notification_id)
        .bind(if meeting.is_some() { "meeting" } else { "notice" }).bind(procedure_id)
        .bind(meeting.map(|m| m.uid)).bind(meeting.map(|m| i64::from(m.sequence)))
        .bind(meeting.map(|m| ts(m.start))).bind(meeting.map(|m| ts(m.end))).bind(meeting.map(|m| m.cancelled))
        .bind(now)
        .execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: Uuid,
    account_id: Uuid,
    procedure_id: Option<Uuid>,
    meeting_uid: Option<Uuid>,
    meeting_seq: Option<i64>,
    meeting_start: Option<jiff_sqlx::Timestamp>,
    meeting_end: Option<jiff_sqlx::Timestamp>,
    meeting_cancel: Option<bool>,
    created_at: jiff_sqlx::Timestamp,
    attempts: i64,
    account_tenant: Option<Uuid>,
    email_enc: Option<Vec<u8>>,
    active: bool,
}

impl Store {
    /// Claims up to `limit` e-mails that are due, holding them for a while so a second sender does not take them
    /// too, and decrypts their addresses (each read is in the audit trail). An e-mail whose account has lost its
    /// address or was deactivated is marked failed with that reason, not sent and not lost.
    pub async fn claim_due_emails(&self, limit: i64) -> Result<Vec<OutgoingEmail>, StoreError> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let rows: Vec<DueRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT o.id, o.account_id, o.procedure_id, o.meeting_uid, o.meeting_seq, o.meeting_start, o.meeting_end, \
               o.meeting_cancel, o.created_at, o.attempts, a.tenant_id AS account_tenant, a.email_enc, a.active \
             FROM email_outbox o JOIN account a ON a.id = o.account_id \
             WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= $1 \
             ORDER BY o.next_attempt_at, o.id LIMIT $2")
            .bind(ts(now)).bind(limit.clamp(1, 1000)).fetch_all(c).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(blob), true) = (&row.email_enc, row.active) else {
                give_up(&mut tx, row.id, now, "the account has no e-mail address or is inactive").await?;
                continue;
            };
            let keys = self.keys.scope_keys(&mut tx, row.account_tenant.unwrap_or(INSTALLATION_SCOPE), now).await?;
            let to = keys.decrypt("account.email", row.account_id, blob)?;
            on_tx!(&mut tx, c => sqlx::query("UPDATE email_outbox SET next_attempt_at = $2 WHERE id = $1")
                .bind(row.id).bind(ts(now + LEASE)).execute(c).await.map(|r| r.rows_affected()))?;
            self.audit(
                &mut tx,
                &Actor {
                    account_id: None,
                    login: "system (e-mail notifications)".into(),
                    tenant_id: None,
                    address: None,
                },
                &AuditRecord::new(AuditAction::ReadPersonalData, "account", row.account_id)
                    .in_tenant(row.account_tenant)
                    .detail(format!("e-mail address for notification e-mail {}", row.id)),
            )
            .await?;
            let meeting = match (row.meeting_uid, row.meeting_start, row.meeting_end) {
                (Some(uid), Some(start), Some(end)) => Some(Meeting {
                    uid,
                    sequence: u32::try_from(row.meeting_seq.unwrap_or(0)).unwrap_or(0),
                    start: start.to_jiff(),
                    end: end.to_jiff(),
                    cancelled: row.meeting_cancel.unwrap_or(false),
                }),
                _ => None,
            };
            out.push(OutgoingEmail {
                id: row.id,
                to,
                procedure_id: row.procedure_id,
                meeting,
                created_at: row.created_at.to_jiff(),
                attempts: row.attempts,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The SMTP server accepted the e-mail.
    pub async fn email_sent(&self, id: Uuid) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE email_outbox SET sent_at = $2, attempts = attempts + 1 WHERE id = $1 AND sent_at IS NULL")
            .bind(id).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// Sending failed: records the error, schedules the next attempt with back-off, or gives up after
    /// [`MAX_ATTEMPTS`] (the row stays, marked failed). `error` must hold no secret; it is cut to 500 characters.
    pub async fn email_failed(&self, id: Uuid, error: &str) -> Result<(), StoreError> {
        let now = self.now();
        let error: String = error.chars().filter(|c| !c.is_control()).take(500).collect();
        let mut tx = self.db.begin().await?;
        let attempts: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "UPDATE email_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1 AND sent_at IS NULL \
             RETURNING attempts")
            .bind(id).bind(&error).fetch_optional(c).await)?;
        if let Some((attempts,)) = attempts {
            if attempts >= MAX_ATTEMPTS {
                on_tx!(&mut tx, c => sqlx::query("UPDATE email_outbox SET failed_at = $2 WHERE id = $1")
                    .bind(id).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
            } else {
                on_tx!(&mut tx, c => sqlx::query("UPDATE email_outbox SET next_attempt_at = $2 WHERE id = $1")
                    .bind(id).bind(ts(now + backoff(attempts))).execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        tx.commit().await
    }

    /// How many e-mails are queued, retrying, given up and sent.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let (queued, retrying, failed, sent): (i64, i64, i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT \
               COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM email_outbox")
            .fetch_one(c).await)?;
        tx.commit().await?;
        Ok(OutboxCounts { queued, retrying, failed, sent })
    }

    /// The e-mails whose last attempt failed (still retrying or given up), newest first: what the administrator
    /// looks at when the outbox count in /metrics grows. No address, no content: the error and the counts.
    pub async fn outbox_problems(&self, limit: i64) -> Result<Vec<OutboxProblem>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<ProblemRow> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id, attempts, last_error, failed_at, created_at FROM email_outbox \
                 WHERE sent_at IS NULL AND last_error IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT $1")
                .bind(limit.clamp(1, 500)).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(id, attempts, error, failed_at, created_at)| OutboxProblem {
                id,
                attempts,
                error: error.unwrap_or_default(),
                given_up: failed_at.is_some(),
                created_at: created_at.to_jiff(),
            })
            .collect())
    }
}

type ProblemRow = (Uuid, i64, Option<String>, Option<jiff_sqlx::Timestamp>, jiff_sqlx::Timestamp);

/// An e-mail that could not be sent (yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxProblem {
    pub id: Uuid,
    pub attempts: i64,
    pub error: String,
    /// Retries used up; it will not be tried again.
    pub given_up: bool,
    pub created_at: Timestamp,
}

async fn give_up(tx: &mut Tx, id: Uuid, now: Timestamp, reason: &str) -> Result<(), StoreError> {
    on_tx!(tx, c => sqlx::query("UPDATE email_outbox SET failed_at = $2, last_error = $3 WHERE id = $1")
        .bind(id).bind(ts(now)).bind(reason).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_to_at_most_six_hours() {
        assert_eq!(backoff(1), SignedDuration::from_mins(1));
        assert_eq!(backoff(2), SignedDuration::from_mins(2));
        assert_eq!(backoff(5), SignedDuration::from_mins(16));
        assert_eq!(backoff(11), SignedDuration::from_mins(360));
        assert_eq!(backoff(1000), SignedDuration::from_mins(360));
        assert_eq!(backoff(0), SignedDuration::from_mins(1));
    }
}
