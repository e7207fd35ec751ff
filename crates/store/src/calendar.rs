//! The calendar (issue 16 item 10): the group meetings of the cases an account may see and, for the team's staff,
//! the team's meetings, between two moments; and the account's personal calendar feed (.ics) at a secret address.
//!
//! The feed's address holds a 256-bit random token; only its SHA-256 is stored, one per account. Issuing again
//! replaces it (the old address stops working at once), revoking deletes it. Every use of the feed is in the audit
//! trail under the account, with no personal data: the events carry no names and no case numbers (see
//! `domain::ics::Feed`).

use crate::Caller;
use domain::audit::AuditAction;
use domain::identity::{FEED_REFUSAL_WINDOW, LockoutPolicy, Permission};
use jiff::Timestamp;
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::identity::{Principal, new_token, token_hash};
use crate::{Actor, AuditRecord, Store, StoreError, ts};

/// The prefix of a feed token, so a leaked one is recognised for what it is.
const PREFIX: &str = "ostoja_cal_";

/// What a calendar entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarEventKind {
    /// A meeting of a case's support group (grupa diagnostyczno-pomocowa).
    GroupMeeting,
    /// A meeting of the interdisciplinary team.
    TeamMeeting,
}

/// One meeting in the calendar. The case number is for the signed-in pages only; the feed leaves it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The meeting's own id (the case record or the team meeting): the feed's stable `UID`.
    pub id: Uuid,
    pub kind: CalendarEventKind,
    pub starts_at: Timestamp,
    /// planned or held
    pub status: String,
    /// The case, for a group meeting.
    pub procedure_id: Option<Uuid>,
    pub number: Option<String>,
}

/// Whether the account has a feed, and when it was made and last used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedStatus {
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

impl Store {
    /// The group meetings (planned or held, not cancelled) of the cases this account may see, as `list_procedures`
    /// decides, and the team's meetings for those who see the team, from `from` up to `to`, soonest first. Nothing
    /// is decrypted.
    pub async fn calendar_events(
        &self,
        principal: &Principal,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<CalendarEvent>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(Vec::new()) };
        if !principal.roles.permits(Permission::ViewProcedures) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(Uuid, Uuid, String, jiff_sqlx::Timestamp, String)> = on_tx!(&mut tx, c => sqlx::query_as(concat!(
            "SELECT r.id, p.id, p.number, r.occurs_at, r.status FROM case_record r JOIN procedure p ON p.id = r.procedure_id \
             WHERE r.tenant_id = $1 AND r.kind = 'meeting' AND r.status IN ('planned', 'held') \
             AND r.occurs_at >= $2 AND r.occurs_at < $6 AND (",
            crate::access::staff_access_sql!("$5", "$3", "$7"), " OR ",
            crate::access::group_access_sql!("$5", "$4", "$7"),
            ") ORDER BY r.occurs_at LIMIT 1000"))
            .bind(tenant_id).bind(ts(from))
            .bind(crate::access::holds_staff_role(principal)).bind(crate::access::holds_member_role(principal))
            .bind(principal.account_id).bind(ts(to)).bind(self.today_text()).fetch_all(c).await)?;
        let mut events: Vec<CalendarEvent> = rows
            .into_iter()
            .map(|(id, procedure_id, number, at, status)| CalendarEvent {
                id,
                kind: CalendarEventKind::GroupMeeting,
                starts_at: at.to_jiff(),
                status,
                procedure_id: Some(procedure_id),
                number: Some(number),
            })
            .collect();
        if principal.roles.permits(Permission::ViewTeam) {
            let team: Vec<(Uuid, jiff_sqlx::Timestamp, String)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT id, scheduled_at, status FROM team_meeting WHERE tenant_id = $1 AND status IN ('planned', 'held') \
                 AND scheduled_at >= $2 AND scheduled_at < $3 ORDER BY scheduled_at LIMIT 200")
                .bind(tenant_id).bind(ts(from)).bind(ts(to)).fetch_all(c).await)?;
            events.extend(team.into_iter().map(|(id, at, status)| CalendarEvent {
                id,
                kind: CalendarEventKind::TeamMeeting,
                starts_at: at.to_jiff(),
                status,
                procedure_id: None,
                number: None,
            }));
        }
        tx.commit().await?;
        events.sort_by_key(|e| (e.starts_at, e.id));
        Ok(events)
    }

    /// The account's feed, if it has one.
    pub async fn calendar_feed_status(&self, principal: &Principal) -> Result<Option<FeedStatus>, StoreError> {
        let row: Option<(jiff_sqlx::Timestamp, Option<jiff_sqlx::Timestamp>)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT created_at, last_used_at FROM calendar_feed WHERE account_id = $1")
            .bind(principal.account_id).fetch_optional(p).await)?;
        Ok(row.map(|(created, used)| FeedStatus {
            created_at: created.to_jiff(),
            last_used_at: used.map(|u| u.to_jiff()),
        }))
    }

    /// Makes the account's feed address, replacing any earlier one; the token is shown once and never stored.
    pub async fn issue_calendar_feed(&self, caller: &Caller<'_>) -> Result<String, StoreError> {
        let tenant = match caller.principal.tenant_id {
            Some(t) if caller.principal.roles.permits(Permission::ViewProcedures) => t,
            _ => return Err(StoreError::NotFound),
        };
        let (token, hash) = new_token(PREFIX);
        let now = self.now();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM calendar_feed WHERE account_id = $1")
            .bind(caller.principal.account_id).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO calendar_feed (account_id, tenant_id, token_hash, created_at) VALUES ($1, $2, $3, $4)")
            .bind(caller.principal.account_id).bind(tenant).bind(hash).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Create, "calendar_feed", caller.principal.account_id)
                .in_tenant(Some(tenant)),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Ends the account's feed: its address answers 404 from now on.
    pub async fn revoke_calendar_feed(&self, caller: &Caller<'_>) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query("DELETE FROM calendar_feed WHERE account_id = $1")
            .bind(caller.principal.account_id).execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(AuditAction::Delete, "calendar_feed", caller.principal.account_id)
                .in_tenant(caller.principal.tenant_id)
                .detail("revoked"),
        )
        .await?;
        tx.commit().await
    }

    /// The events behind a feed token, from `from` to `to`, read with the rights the account has today (a
    /// deactivated account or one that lost its role sees nothing more). A good token is recorded as the account's
    /// use of its feed.
    ///
    /// A wrong token answers `NotFound`. It is the one request a stranger can send that makes the server write, so
    /// it is throttled per client address like a failed log-in (`feed:<address>` in the same table,
    /// [`LockoutPolicy::per_feed_address`], counted within [`FEED_REFUSAL_WINDOW`]): past the free refusals the
    /// address gets `AuthFailed` with the time it may ask again, and nothing is counted or written. The audit trail
    /// gets one entry for the first refusal of a window and one when the address is locked, never one per request.
    pub async fn calendar_feed(
        &self,
        token: &str,
        address: Option<String>,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<CalendarEvent>, StoreError> {
        let key = format!("feed:{}", address.as_deref().unwrap_or("unknown"));
        if let Some(until) = self.throttle_locked_until(&key).await? {
            return Err(StoreError::AuthFailed { locked_until: Some(until) });
        }
        let row: Option<(Uuid,)> = if token.starts_with(PREFIX) && token.len() < 200 {
            on_pool!(&self.db, p => sqlx::query_as("SELECT account_id FROM calendar_feed WHERE token_hash = $1")
                .bind(token_hash(token)).fetch_optional(p).await)?
        } else {
            None
        };
        let Some((account,)) = row else {
            let policy = LockoutPolicy::per_feed_address();
            let count = match self.count_refusal(&key, &policy, FEED_REFUSAL_WINDOW).await? {
                Ok(count) => count,
                Err(until) => return Err(StoreError::AuthFailed { locked_until: Some(until) }),
            };
            let detail = if count == 1 {
                let shown: String = token.chars().take(12).collect();
                Some(format!("refused, prefix {shown}…"))
            } else if count == policy.free_attempts {
                Some(format!("{count} refused within the hour: this address is paused"))
            } else {
                None
            };
            if let Some(detail) = detail {
                self.record_event(
                    &Actor::anonymous(address),
                    AuditRecord::new(AuditAction::FeedRead, "calendar_feed", "unknown").detail(detail),
                )
                .await?;
            }
            return Err(StoreError::NotFound);
        };
        let principal = self.principal(account).await?;
        // The token named the account, and so its tenant: the feed's request acts for that tenant from here on.
        crate::row_security::settle_request_tenant(principal.tenant_id);
        let events = self.calendar_events(&principal, from, to).await?;
        let now = self.now();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE calendar_feed SET last_used_at = $2 WHERE account_id = $1")
            .bind(account).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            &principal.actor(address),
            &AuditRecord::new(AuditAction::FeedRead, "calendar_feed", account)
                .in_tenant(principal.tenant_id)
                .detail(format!("{} events", events.len())),
        )
        .await?;
        tx.commit().await?;
        Ok(events)
    }
}
