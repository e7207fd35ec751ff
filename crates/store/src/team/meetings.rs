//! The team's meetings (art. 9a ust. 7–7g): planned, the notice sent to the members (in the application and by
//! e-mail with an .ics invitation), held with attendance, minutes and resolutions, or cancelled; and the letters to a
//! member's institution after 3 unexcused absences.

use crate::Caller;
use std::collections::HashMap;

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{
    Attendance, MeetingMode, MeetingStatus, absence_letter_due, absence_status, parse_optional_date,
    parse_optional_text,
};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::MEETING;
use super::{TeamMember, scope};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::notify::{Meeting, NotificationKind};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

/// How long a team meeting is taken to last in the calendar invitation.
const MEETING_HOURS: i64 = 2;

/// What is encrypted about a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MeetingBody {
    /// The room, for a meeting in person.
    pub place: String,
    /// The video link, for a remote meeting.
    pub video_link: String,
    pub agenda: String,
    pub minutes: String,
    /// The resolutions adopted, one per line.
    pub resolutions: String,
}

/// A meeting as typed, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeetingInput {
    /// Date and time in Poland, `YYYY-MM-DDTHH:MM`.
    pub scheduled_at: String,
    /// in_person or remote.
    pub mode: String,
    pub place: String,
    pub video_link: String,
    pub agenda: String,
}

impl MeetingInput {
    /// The instant, the mode and the body's planning part.
    pub fn validate(&self) -> Result<(Timestamp, MeetingMode, MeetingBody), FieldErrors> {
        let mut e = FieldErrors::new();
        let at = e.check("scheduled_at", parse_local_datetime(&self.scheduled_at));
        let mode = e.check("mode", MeetingMode::parse(&self.mode));
        let place = e.check("place", parse_optional_text(&self.place, 300));
        let link = e.check("video_link", domain::team::parse_website(&self.video_link));
        let agenda = e.check("agenda", parse_optional_text(&self.agenda, 10_000));
        if mode == Some(MeetingMode::Remote) && matches!(link, Some(None)) {
            e.add("video_link", "err-required");
        }
        match (at, mode, place, link, agenda) {
            (Some(at), Some(mode), Some(place), Some(link), Some(agenda)) if e.is_empty() => Ok((
                at,
                mode,
                MeetingBody {
                    place: place.unwrap_or_default(),
                    video_link: link.unwrap_or_default(),
                    agenda: agenda.unwrap_or_default(),
                    ..MeetingBody::default()
                },
            )),
            _ => Err(e),
        }
    }
}

/// A date and time as typed, read as a time in Poland ([`domain::parse::instant_in_poland`]).
pub fn parse_local_datetime(raw: &str) -> Result<Timestamp, &'static str> {
    domain::parse::instant_in_poland(raw)
}

/// One member's attendance as recorded when the meeting is held.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AttendanceInput {
    pub member_id: Uuid,
    pub present: bool,
    /// The day the absence was notified to the chair (YYYY-MM-DD), if it was.
    pub absence_notified_on: String,
    /// A late notice excused by special circumstances (art. 9a ust. 7f).
    pub special_circumstances: bool,
}

/// One member's attendance at a held meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceRow {
    pub member_id: Uuid,
    pub full_name: String,
    pub status: Attendance,
    pub absence_notified_on: Option<Date>,
    pub special_circumstances: bool,
}

/// A meeting as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamMeeting {
    pub id: Uuid,
    pub scheduled_at: Timestamp,
    pub mode: MeetingMode,
    pub status: MeetingStatus,
    pub held_at: Option<Timestamp>,
    pub notice_sent_at: Option<Timestamp>,
    pub version: i64,
    /// Decrypted only for the meeting's own page; empty in lists.
    pub body: MeetingBody,
    pub attendance: Vec<AttendanceRow>,
}

impl TeamMeeting {
    pub fn day(&self) -> Date {
        self.scheduled_at.to_zoned(domain::calendar::poland_zone()).date()
    }
}

/// A member with 3 or more unexcused absences: the letter to their institution (art. 9a ust. 7g).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AbsenceLetter {
    pub member: TeamMember,
    /// The days of the unexcused absences, oldest first.
    pub absences: Vec<Date>,
}

type MeetingRow = (
    Uuid,
    jiff_sqlx::Timestamp,
    String,
    String,
    Option<jiff_sqlx::Timestamp>,
    Option<jiff_sqlx::Timestamp>,
    i64,
    Vec<u8>,
);

fn meeting_from(row: MeetingRow, body: MeetingBody) -> Result<TeamMeeting, StoreError> {
    let bad = |what: &str| StoreError::Corrupt(format!("team meeting {what}"));
    Ok(TeamMeeting {
        id: row.0,
        scheduled_at: row.1.to_jiff(),
        mode: MeetingMode::parse(&row.2).map_err(|_| bad("mode"))?,
        status: MeetingStatus::parse(&row.3).map_err(|_| bad("status"))?,
        held_at: row.4.map(|t| t.to_jiff()),
        notice_sent_at: row.5.map(|t| t.to_jiff()),
        version: row.6,
        body,
        attendance: Vec::new(),
    })
}

const MEETING_COLUMNS: &str = "id, scheduled_at, mode, status, held_at, notice_sent_at, version, body_enc";

impl Store {
    /// Plans a team meeting. Members are told when the notice is sent ([`Store::send_team_meeting_notice`]).
    pub async fn plan_team_meeting(&self, caller: &Caller<'_>, input: &MeetingInput) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let (at, mode, body) = input.validate().map_err(StoreError::Invalid)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let sealed = self.seal_meeting(&mut tx, tenant, id, &body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_meeting (id, tenant_id, scheduled_at, mode, status, body_enc, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'planned', $5, $6, $7, $7)")
            .bind(id).bind(tenant).bind(ts(at)).bind(mode.as_str()).bind(sealed).bind(caller.principal.account_id).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_meeting", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Moves or changes a planned meeting; if the notice was already sent, the members' calendars move it.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_team_meeting", meeting = %meeting_id))]
    pub async fn update_team_meeting(
        &self,
        caller: &Caller<'_>,
        meeting_id: Uuid,
        input: &MeetingInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let (at, mode, planning) = input.validate().map_err(StoreError::Invalid)?;
        let mut tx = self.db.begin().await?;
        let meeting = self.open_meeting(&mut tx, tenant, meeting_id).await?;
        if meeting.status != MeetingStatus::Planned {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        MEETING.check_read(meeting.version, expected_version)?;
        let body = MeetingBody {
            place: planning.place,
            video_link: planning.video_link,
            agenda: planning.agenda,
            ..meeting.body
        };
        let sealed = self.seal_meeting(&mut tx, tenant, meeting_id, &body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_meeting SET scheduled_at = $2, mode = $3, body_enc = $4, updated_at = $5, version = version + 1 \
             WHERE id = $1")
            .bind(meeting_id).bind(ts(at)).bind(mode.as_str()).bind(sealed).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        if meeting.notice_sent_at.is_some() {
            let sequence = u32::try_from(expected_version).unwrap_or(u32::MAX);
            self.invite_team(&mut tx, tenant, caller.principal, meeting_id, sequence, at, false).await?;
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_meeting", meeting_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// Sends the notice of a planned meeting to every current member with an account: a notification in the
    /// application and, with e-mail configured, an e-mail with an .ics invitation (no personal data in either).
    pub async fn send_team_meeting_notice(
        &self,
        caller: &Caller<'_>,
        meeting_id: Uuid,
        expected_version: i64,
    ) -> Result<usize, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let meeting = self.open_meeting(&mut tx, tenant, meeting_id).await?;
        if meeting.status != MeetingStatus::Planned || meeting.scheduled_at < self.now() {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        MEETING.check_read(meeting.version, expected_version)?;
        let sequence = u32::try_from(expected_version).unwrap_or(u32::MAX);
        let told = self
            .invite_team(&mut tx, tenant, caller.principal, meeting_id, sequence, meeting.scheduled_at, false)
            .await?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_meeting SET notice_sent_at = $2, updated_at = $2, version = version + 1 WHERE id = $1")
            .bind(meeting_id).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_meeting", meeting_id)
                .in_tenant(Some(tenant))
                .detail(format!("notice sent to {told}")),
        )
        .await?;
        Ok(told)
    }

    /// Records a planned meeting as held: when, its minutes and resolutions, and each current member's attendance
    /// (an absence is excused or not by the 2-working-day rule, `domain::team::absence_status`).
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "hold_team_meeting", meeting = %meeting_id))]
    pub async fn hold_team_meeting(
        &self,
        caller: &Caller<'_>,
        meeting_id: Uuid,
        held_at: &str,
        minutes: &str,
        resolutions: &str,
        attendance: &[AttendanceInput],
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut e = FieldErrors::new();
        let held = e.check("held_at", parse_local_datetime(held_at));
        let minutes = e.check("minutes", parse_optional_text(minutes, 100_000));
        let resolutions = e.check("resolutions", parse_optional_text(resolutions, 100_000));
        if held.is_some_and(|h| h > self.now()) {
            e.add("held_at", "err-date-in-future");
        }
        let mut notified = Vec::with_capacity(attendance.len());
        for a in attendance {
            notified.push(e.check("attendance", parse_optional_date(&a.absence_notified_on)).flatten());
        }
        let (Some(held), Some(minutes), Some(resolutions)) = (held, minutes, resolutions) else {
            return Err(StoreError::Invalid(e));
        };
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let mut tx = self.db.begin().await?;
        let meeting = self.open_meeting(&mut tx, tenant, meeting_id).await?;
        if meeting.status != MeetingStatus::Planned {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        MEETING.check_read(meeting.version, expected_version)?;
        let day = held.to_zoned(domain::calendar::poland_zone()).date();
        let members: Vec<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id FROM team_member WHERE tenant_id = $1").bind(tenant).fetch_all(c).await)?;
        for (a, notified_on) in attendance.iter().zip(notified) {
            if !members.iter().any(|(id,)| *id == a.member_id) {
                return Err(StoreError::invalid("attendance", "err-choice-unknown"));
            }
            let status =
                if a.present { Attendance::Present } else { absence_status(day, notified_on, a.special_circumstances) };
            let notified_at =
                notified_on.and_then(|d| d.to_zoned(domain::calendar::poland_zone()).ok()).map(|z| z.timestamp());
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO team_meeting_attendance (meeting_id, member_id, status, absence_notified_at, special_circumstances) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = $3, \
                 absence_notified_at = $4, special_circumstances = $5")
                .bind(meeting_id).bind(a.member_id).bind(status.as_str()).bind(notified_at.map(ts))
                .bind(a.special_circumstances && !a.present)
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        let body = MeetingBody {
            minutes: minutes.unwrap_or_default(),
            resolutions: resolutions.unwrap_or_default(),
            ..meeting.body
        };
        let sealed = self.seal_meeting(&mut tx, tenant, meeting_id, &body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_meeting SET status = 'held', held_at = $2, body_enc = $3, updated_at = $4, version = version + 1 \
             WHERE id = $1")
            .bind(meeting_id).bind(ts(held)).bind(sealed).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_meeting", meeting_id).in_tenant(Some(tenant)).detail("held"),
        )
        .await?;
        Ok(())
    }

    /// Cancels a planned meeting; members who had the notice get the cancellation.
    pub async fn cancel_team_meeting(
        &self,
        caller: &Caller<'_>,
        meeting_id: Uuid,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let meeting = self.open_meeting(&mut tx, tenant, meeting_id).await?;
        if meeting.status != MeetingStatus::Planned {
            return Err(StoreError::invalid("form", "err-record-not-editable"));
        }
        MEETING.check_read(meeting.version, expected_version)?;
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_meeting SET status = 'cancelled', updated_at = $2, version = version + 1 WHERE id = $1")
            .bind(meeting_id).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))?;
        if meeting.notice_sent_at.is_some() {
            let sequence = u32::try_from(expected_version).unwrap_or(u32::MAX);
            self.invite_team(&mut tx, tenant, caller.principal, meeting_id, sequence, meeting.scheduled_at, true)
                .await?;
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_meeting", meeting_id)
                .in_tenant(Some(tenant))
                .detail("cancelled"),
        )
        .await?;
        Ok(())
    }

    /// The meetings scheduled in `year` (all years when `None`), newest first, without decrypting anything.
    pub async fn team_meetings(
        &self,
        principal: &Principal,
        year: Option<i16>,
    ) -> Result<Vec<TeamMeeting>, StoreError> {
        let tenant = scope(principal, Permission::ViewTeam)?;
        let (from, to) = year_bounds(year)?;
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<MeetingRow> = on_tx!(&mut tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {MEETING_COLUMNS} FROM team_meeting WHERE tenant_id = $1 AND scheduled_at >= $2 AND scheduled_at < $3 \
             ORDER BY scheduled_at DESC, id DESC")))
            .bind(tenant).bind(ts(from)).bind(ts(to)).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter().map(|r| meeting_from(r, MeetingBody::default())).collect()
    }

    /// One meeting with its decrypted body and attendance; the read is audited.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "team_meeting", meeting = %meeting_id))]
    pub async fn team_meeting(&self, caller: &Caller<'_>, meeting_id: Uuid) -> Result<TeamMeeting, StoreError> {
        let tenant = scope(caller.principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin().await?;
        let mut meeting = self.open_meeting(&mut tx, tenant, meeting_id).await?;
        let members: HashMap<Uuid, TeamMember> =
            self.members_in(&mut tx, tenant, None).await?.into_iter().map(|m| (m.id, m)).collect();
        let rows: Vec<(Uuid, String, Option<jiff_sqlx::Timestamp>, bool)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT member_id, status, absence_notified_at, special_circumstances FROM team_meeting_attendance \
             WHERE meeting_id = $1").bind(meeting_id).fetch_all(c).await)?;
        let zone = domain::calendar::poland_zone();
        for (member_id, status, notified, special) in rows {
            meeting.attendance.push(AttendanceRow {
                member_id,
                full_name: members.get(&member_id).map(|m| m.details.full_name.clone()).unwrap_or_default(),
                status: Attendance::parse(&status).map_err(|_| StoreError::Corrupt(format!("attendance {status}")))?,
                absence_notified_on: notified.map(|t| t.to_jiff().to_zoned(zone.clone()).date()),
                special_circumstances: special,
            });
        }
        meeting.attendance.sort_by(|a, b| a.full_name.cmp(&b.full_name));
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_meeting", meeting_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(meeting)
    }

    /// The current members with 3 or more unexcused absences, with the days of those absences: the letters the chair
    /// sends to their institutions (art. 9a ust. 7g). The read is audited.
    pub async fn absence_letters(&self, caller: &Caller<'_>) -> Result<Vec<AbsenceLetter>, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        let rows: Vec<(Uuid, jiff_sqlx::Timestamp)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.member_id, COALESCE(m.held_at, m.scheduled_at) FROM team_meeting_attendance a \
             JOIN team_meeting m ON m.id = a.meeting_id \
             WHERE m.tenant_id = $1 AND m.status = 'held' AND a.status = 'unexcused' ORDER BY 2")
            .bind(tenant).fetch_all(c).await)?;
        let zone = domain::calendar::poland_zone();
        let mut by_member: HashMap<Uuid, Vec<Date>> = HashMap::new();
        for (member, at) in rows {
            by_member.entry(member).or_default().push(at.to_jiff().to_zoned(zone.clone()).date());
        }
        let mut out = Vec::new();
        if by_member.values().any(|days| absence_letter_due(days.len())) {
            for member in self.members_in(&mut tx, tenant, None).await? {
                if member.left_on.is_some() {
                    continue;
                }
                if let Some(days) = by_member.remove(&member.id).filter(|d| absence_letter_due(d.len())) {
                    out.push(AbsenceLetter { member, absences: days });
                }
            }
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_member", "absence_letters").in_tenant(Some(tenant)),
        )
        .await?;
        Ok(out)
    }

    async fn open_meeting(&self, tx: &mut Tx, tenant: Uuid, meeting_id: Uuid) -> Result<TeamMeeting, StoreError> {
        let row: Option<MeetingRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {MEETING_COLUMNS} FROM team_meeting WHERE id = $1 AND tenant_id = $2")))
            .bind(meeting_id).bind(tenant).fetch_optional(c).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = keys.decrypt_bytes("team_meeting.body", row.0, &row.7)?;
        let body: MeetingBody =
            serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("team meeting", &e))?;
        meeting_from(row, body)
    }

    async fn seal_meeting(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        id: Uuid,
        body: &MeetingBody,
    ) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = serde_json::to_vec(body).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes("team_meeting.body", id, &json)
    }

    /// Tells every current member with an account (but the one acting) of the meeting; returns how many.
    #[allow(clippy::too_many_arguments)]
    async fn invite_team(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        principal: &Principal,
        meeting_id: Uuid,
        sequence: u32,
        start: Timestamp,
        cancelled: bool,
    ) -> Result<usize, StoreError> {
        let rows: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT DISTINCT m.account_id FROM team_member m JOIN account a ON a.id = m.account_id \
             WHERE m.tenant_id = $1 AND m.left_on IS NULL AND a.active AND m.account_id <> $2 ORDER BY m.account_id")
            .bind(tenant).bind(principal.account_id).fetch_all(c).await)?;
        let recipients: Vec<Uuid> = rows.into_iter().map(|(id,)| id).collect();
        let end = start.checked_add(jiff::SignedDuration::from_hours(MEETING_HOURS)).unwrap_or(start);
        let meeting = Meeting { uid: meeting_id, sequence, start, end, cancelled };
        let kind =
            if cancelled { NotificationKind::TeamMeetingCancelled } else { NotificationKind::TeamMeetingScheduled };
        crate::notify::notify_team_meeting_in(self, tx, tenant, &recipients, kind, &meeting).await?;
        Ok(recipients.len())
    }
}

/// `[1 January year, 1 January year + 1)` in Poland, or all time.
pub(crate) fn year_bounds(year: Option<i16>) -> Result<(Timestamp, Timestamp), StoreError> {
    let Some(year) = year else {
        return year_bounds(Some(1900)).and_then(|(from, _)| Ok((from, year_bounds(Some(3000))?.0)));
    };
    let zone = domain::calendar::poland_zone();
    let start = |y: i16| {
        jiff::civil::Date::new(y, 1, 1)
            .and_then(|d| d.to_zoned(zone.clone()))
            .map(|z| z.timestamp())
            .map_err(|_| StoreError::invalid("year", "err-year-format"))
    };
    let (from, to) = (start(year)?, start(year.saturating_add(1))?);
    // All time: from 1900 to the year 3000, both within what either engine stores as text or TIMESTAMPTZ.
    Ok((from, if to > from { to } else { from }))
}
