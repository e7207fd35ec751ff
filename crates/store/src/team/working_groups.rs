//! The team's thematic working groups (issue 18 item 7; seed 000: the composition of working groups, seed 001:
//! groups that analyse the effects of their actions), apart from the support groups of cases: a name, a purpose, the
//! team members in it (one of them its chair), its tasks (owner, due date, status) and its meetings (agenda, minutes,
//! attendance).
//!
//! Guarantees:
//! - No case data: nothing here points to a procedure, and no case right follows from a working group.
//! - The team's staff (`ManageTeam`) set groups up and change anything in them. Otherwise an account reaches a group
//!   only as a current team member in it (through the member's account): its chair changes the group (name,
//!   purpose, members), its members record tasks and meetings. Anyone else gets `NotFound`, as for a group that does
//!   not exist.
//! - The members' names and a meeting's agenda and minutes are personal data: names stay sealed in the members'
//!   register, the agenda and minutes are one sealed JSON document per meeting; every read that opens them is
//!   audited, every change is audited in its transaction (`Store::commit_audited`), and changes carry the row's
//!   version (`Versioned`).
//! - Dates are real dates typed by the user: a group is not set up in the future; a meeting is not in the future nor
//!   before the group was set up.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{WorkingTaskStatus, parse_date, parse_optional_date, parse_optional_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Versioned, date_text, opt_text_date, text_date};
use crate::db::on_tx;
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, Tx, ts};

const GROUP: Versioned = Versioned { table: "working_group", conflict: "working group changed since it was read" };
const TASK: Versioned = Versioned { table: "working_group_task", conflict: "task changed since it was read" };
const MEETING: Versioned =
    Versioned { table: "working_group_meeting", conflict: "working group meeting changed since it was read" };

/// The sealed field's name, which binds the ciphertext to this column (rotation.rs re-encrypts it by this name).
const SEALED_MEETING: &str = "working_group_meeting.body";

/// What the reading account may do in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkingGroupRole {
    /// The team's staff: everything.
    Staff,
    /// The group's chair: the group itself, its tasks and meetings.
    Chair,
    /// A member: its tasks and meetings.
    Member,
}

impl WorkingGroupRole {
    /// Whether the group itself (name, purpose, chair, members) may be changed.
    pub fn manages(self) -> bool {
        matches!(self, WorkingGroupRole::Staff | WorkingGroupRole::Chair)
    }
}

fn parse_ids(raw: &[String]) -> Result<Vec<Uuid>, &'static str> {
    let mut out = Vec::new();
    for s in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let id: Uuid = s.parse().map_err(|_| "err-choice-unknown")?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn parse_optional_id(raw: &str) -> Result<Option<Uuid>, &'static str> {
    let s = raw.trim();
    if s.is_empty() { Ok(None) } else { s.parse().map(Some).map_err(|_| "err-choice-unknown") }
}

/// A working group as typed (form or JSON), before validation. It holds no case data.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkingGroupDraft {
    pub name: String,
    pub purpose: String,
    /// YYYY-MM-DD: the day the team set it up, not in the future.
    pub established_on: String,
    /// YYYY-MM-DD: the day it was closed, not in the future nor before `established_on`; empty while it works.
    pub closed_on: String,
    /// The team member who chairs it (their id); empty for none yet.
    pub chair_member_id: String,
    /// The team members in it (their ids); the chair is added when missing.
    pub member_ids: Vec<String>,
}

/// A validated working group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingGroupInput {
    pub name: String,
    pub purpose: Option<String>,
    pub established_on: Date,
    pub closed_on: Option<Date>,
    pub chair_member_id: Option<Uuid>,
    pub member_ids: Vec<Uuid>,
}

impl WorkingGroupDraft {
    pub fn validate(&self, today: Date) -> Result<WorkingGroupInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", domain::tenant::parse_name(&self.name));
        let purpose = e.check("purpose", parse_optional_text(&self.purpose, 4000));
        let established_on = e.check("established_on", parse_date(&self.established_on));
        let closed_on = e.check("closed_on", parse_optional_date(&self.closed_on));
        let chair = e.check("chair_member_id", parse_optional_id(&self.chair_member_id));
        let members = e.check("member_ids", parse_ids(&self.member_ids));
        if established_on.is_some_and(|d| d > today) {
            e.add("established_on", "err-date-in-future");
        }
        if let Some(Some(closed)) = closed_on {
            if closed > today {
                e.add("closed_on", "err-date-in-future");
            } else if established_on.is_some_and(|d| closed < d) {
                e.add("closed_on", "err-working-group-closed-before-established");
            }
        }
        let (Some(name), Some(purpose), Some(established_on), Some(closed_on), Some(chair), Some(mut members)) =
            (name, purpose, established_on, closed_on, chair, members)
        else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        if let Some(chair) = chair
            && !members.contains(&chair)
        {
            members.insert(0, chair);
        }
        Ok(WorkingGroupInput { name, purpose, established_on, closed_on, chair_member_id: chair, member_ids: members })
    }
}

/// A working group as its pages show it (no personal data: the members are ids, named by [`GroupDetail`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkingGroup {
    pub id: Uuid,
    pub name: String,
    pub purpose: Option<String>,
    pub established_on: Date,
    pub closed_on: Option<Date>,
    pub chair_member_id: Option<Uuid>,
    pub member_ids: Vec<Uuid>,
    /// What the reader may do in it.
    pub role: WorkingGroupRole,
    pub open_tasks: i64,
    pub version: i64,
}

impl WorkingGroup {
    pub fn to_draft(&self) -> WorkingGroupDraft {
        WorkingGroupDraft {
            name: self.name.clone(),
            purpose: self.purpose.clone().unwrap_or_default(),
            established_on: date_text(self.established_on),
            closed_on: self.closed_on.map(date_text).unwrap_or_default(),
            chair_member_id: self.chair_member_id.map(|u| u.to_string()).unwrap_or_default(),
            member_ids: self.member_ids.iter().map(Uuid::to_string).collect(),
        }
    }
}

/// A working group's task as typed (form or JSON), before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GroupTaskDraft {
    pub title: String,
    /// A member of the group who owns it (their team-member id); empty for nobody yet.
    pub owner_member_id: String,
    /// YYYY-MM-DD; a due date may lie ahead; empty for none.
    pub due_on: String,
    /// open, in_progress, done or dropped.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTaskInput {
    pub title: String,
    pub owner_member_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub status: WorkingTaskStatus,
}

impl GroupTaskDraft {
    pub fn validate(&self) -> Result<GroupTaskInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let owner = e.check("owner_member_id", parse_optional_id(&self.owner_member_id));
        let due_on = e.check("due_on", parse_optional_date(&self.due_on));
        let status = e.check("status", WorkingTaskStatus::parse(&self.status));
        let (Some(title), Some(owner_member_id), Some(due_on), Some(status)) = (title, owner, due_on, status) else {
            return Err(e);
        };
        Ok(GroupTaskInput { title, owner_member_id, due_on, status })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupTask {
    pub id: Uuid,
    pub title: String,
    pub owner_member_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub status: WorkingTaskStatus,
    pub version: i64,
}

/// A meeting's agenda and minutes, sealed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMeetingBody {
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
}

/// A working group's meeting as typed (form or JSON), before validation. The agenda and the minutes are sealed.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct GroupMeetingDraft {
    /// YYYY-MM-DD: the day it was held, not in the future nor before the group was set up.
    pub held_on: String,
    pub agenda: String,
    pub minutes: String,
    /// The members of the group who attended (their team-member ids).
    pub attended: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMeetingInput {
    pub held_on: Date,
    pub body: GroupMeetingBody,
    pub attended: Vec<Uuid>,
}

impl GroupMeetingDraft {
    /// The day is not in the future (the store checks it is not before the group was set up).
    pub fn validate(&self, today: Date) -> Result<GroupMeetingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let held_on = e.check("held_on", parse_date(&self.held_on));
        let agenda = e.check("agenda", parse_optional_text(&self.agenda, 10_000));
        let minutes = e.check("minutes", parse_optional_text(&self.minutes, 50_000));
        let attended = e.check("attended", parse_ids(&self.attended));
        if held_on.is_some_and(|d| d > today) {
            e.add("held_on", "err-date-in-future");
        }
        let (Some(held_on), Some(agenda), Some(minutes), Some(attended)) = (held_on, agenda, minutes, attended) else {
            return Err(e);
        };
        if !e.is_empty() {
            return Err(e);
        }
        let body = GroupMeetingBody { agenda: agenda.unwrap_or_default(), minutes: minutes.unwrap_or_default() };
        Ok(GroupMeetingInput { held_on, body, attended })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMeeting {
    pub id: Uuid,
    pub held_on: Date,
    pub body: GroupMeetingBody,
    pub attended: Vec<Uuid>,
    pub version: i64,
}

/// One group with its members' names, tasks and meetings (decrypted; the read is audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDetail {
    pub group: WorkingGroup,
    /// The group's members: (team-member id, full name), the chair first.
    pub members: Vec<(Uuid, String)>,
    pub tasks: Vec<GroupTask>,
    /// Newest first.
    pub meetings: Vec<GroupMeeting>,
}

type GroupRow = (Uuid, String, Option<String>, String, Option<String>, Option<Uuid>, i64);
type TaskRow = (Uuid, String, Option<Uuid>, Option<String>, String, i64);

impl Store {
    /// Sets a working group up (the team's staff).
    pub async fn create_working_group(
        &self,
        caller: &Caller<'_>,
        input: &WorkingGroupInput,
    ) -> Result<Uuid, StoreError> {
        let tenant = super::scope(caller.principal, Permission::ManageTeam)?;
        let id = Uuid::now_v7();
        let now = ts(self.now());
        let mut tx = self.db.begin().await?;
        check_current_members(&mut tx, tenant, &input.member_ids, "member_ids").await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO working_group (id, tenant_id, name, purpose, chair_member_id, established_on, closed_on, \
               created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)")
            .bind(id).bind(tenant).bind(&input.name).bind(input.purpose.as_deref()).bind(input.chair_member_id)
            .bind(date_text(input.established_on)).bind(input.closed_on.map(date_text)).bind(caller.principal.account_id)
            .bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        write_members(&mut tx, id, &input.member_ids).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "working_group", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes a group read at `expected_version` (the staff or its chair). Its meetings must stay on or after the
    /// day it was set up.
    pub async fn update_working_group(
        &self,
        caller: &Caller<'_>,
        group_id: Uuid,
        input: &WorkingGroupInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, role) = role_in(&mut tx, caller.principal, group_id).await?;
        if !role.manages() {
            return Err(StoreError::NotFound);
        }
        GROUP.check_version(&mut tx, group_id, tenant, expected_version).await?;
        check_current_members(&mut tx, tenant, &input.member_ids, "member_ids").await?;
        let (earliest,): (Option<String>,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT MIN(held_on) FROM working_group_meeting WHERE group_id = $1")
            .bind(group_id).fetch_one(c).await)?;
        if earliest.is_some_and(|d| d < date_text(input.established_on)) {
            return Err(StoreError::invalid("established_on", "err-working-group-after-meetings"));
        }
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE working_group SET name = $3, purpose = $4, chair_member_id = $5, established_on = $6, closed_on = $7, \
               updated_at = $8, version = version + 1 WHERE id = $1 AND tenant_id = $2 AND version = $9")
            .bind(group_id).bind(tenant).bind(&input.name).bind(input.purpose.as_deref()).bind(input.chair_member_id)
            .bind(date_text(input.established_on)).bind(input.closed_on.map(date_text)).bind(ts(self.now()))
            .bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?;
        GROUP.changed(n)?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM working_group_member WHERE group_id = $1")
            .bind(group_id).execute(c).await.map(|r| r.rows_affected()))?;
        write_members(&mut tx, group_id, &input.member_ids).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "working_group", group_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// The groups the account may see (all of them for the staff, its own for a member), open ones first. No
    /// personal data: names, purposes, ids and counts.
    pub async fn working_groups(&self, principal: &Principal) -> Result<Vec<WorkingGroup>, StoreError> {
        let Some(tenant) = principal.tenant_id else { return Err(StoreError::NotFound) };
        let mut tx = self.db.begin_read().await?;
        let staff = principal.roles.permits(Permission::ManageTeam);
        let me = if staff { None } else { own_member(&mut tx, tenant, principal).await? };
        if !staff && me.is_none() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let rows: Vec<GroupRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT g.id, g.name, g.purpose, g.established_on, g.closed_on, g.chair_member_id, g.version \
             FROM working_group g WHERE g.tenant_id = $1 AND ($2 IS NULL OR EXISTS (\
               SELECT 1 FROM working_group_member w WHERE w.group_id = g.id AND w.member_id = $2)) \
             ORDER BY g.closed_on IS NOT NULL, g.name, g.id")
            .bind(tenant).bind(me).fetch_all(c).await)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let role = if staff {
                WorkingGroupRole::Staff
            } else if row.5.is_some() && row.5 == me {
                WorkingGroupRole::Chair
            } else {
                WorkingGroupRole::Member
            };
            out.push(group_of(&mut tx, row, role).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// One group with its members' names, tasks and meetings; the read is audited.
    pub async fn working_group(&self, caller: &Caller<'_>, group_id: Uuid) -> Result<GroupDetail, StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, role) = role_in(&mut tx, caller.principal, group_id).await?;
        let row: GroupRow = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, name, purpose, established_on, closed_on, chair_member_id, version FROM working_group \
             WHERE id = $1 AND tenant_id = $2").bind(group_id).bind(tenant).fetch_one(c).await)?;
        let group = group_of(&mut tx, row, role).await?;
        let named = self.members_in(&mut tx, tenant, None).await?;
        let mut members: Vec<(Uuid, String)> = group
            .member_ids
            .iter()
            .filter_map(|id| named.iter().find(|m| m.id == *id).map(|m| (m.id, m.details.full_name.clone())))
            .collect();
        members.sort_by_key(|(id, _)| Some(*id) != group.chair_member_id);
        let tasks: Vec<TaskRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, title, owner_member_id, due_on, status, version FROM working_group_task WHERE group_id = $1 \
             ORDER BY CASE status WHEN 'open' THEN 0 WHEN 'in_progress' THEN 0 ELSE 1 END, due_on IS NULL, due_on, id")
            .bind(group_id).fetch_all(c).await)?;
        let tasks = tasks
            .into_iter()
            .map(|(id, title, owner_member_id, due_on, status, version)| {
                Ok(GroupTask {
                    id,
                    title,
                    owner_member_id,
                    due_on: opt_text_date(due_on)?,
                    status: WorkingTaskStatus::parse(&status)
                        .map_err(|_| StoreError::Corrupt(format!("task status {status}")))?,
                    version,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let meetings: Vec<(Uuid, String, Vec<u8>, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, held_on, body_enc, version FROM working_group_meeting WHERE group_id = $1 \
             ORDER BY held_on DESC, id DESC").bind(group_id).fetch_all(c).await)?;
        let attendance: Vec<(Uuid, Uuid)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.meeting_id, a.member_id FROM working_group_attendance a \
             JOIN working_group_meeting m ON m.id = a.meeting_id WHERE m.group_id = $1")
            .bind(group_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(&mut tx, tenant, self.now()).await?;
        let mut opened = Vec::with_capacity(meetings.len());
        for (id, held_on, sealed, version) in meetings {
            let json = keys.decrypt_bytes(SEALED_MEETING, id, &sealed)?;
            let body: GroupMeetingBody =
                serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("working group meeting", &e))?;
            let attended = attendance.iter().filter(|(m, _)| *m == id).map(|(_, who)| *who).collect();
            opened.push(GroupMeeting { id, held_on: text_date(&held_on)?, body, attended, version });
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "working_group", group_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(GroupDetail { group, members, tasks, meetings: opened })
    }

    /// Adds a task to a group (its members, its chair, the staff).
    pub async fn add_group_task(
        &self,
        caller: &Caller<'_>,
        group_id: Uuid,
        input: &GroupTaskInput,
    ) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, _) = role_in(&mut tx, caller.principal, group_id).await?;
        check_in_group(&mut tx, group_id, input.owner_member_id.as_slice(), "owner_member_id").await?;
        let id = Uuid::now_v7();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO working_group_task (id, tenant_id, group_id, title, owner_member_id, due_on, status, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
            .bind(id).bind(tenant).bind(group_id).bind(&input.title).bind(input.owner_member_id)
            .bind(input.due_on.map(date_text)).bind(input.status.as_str()).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "working_group_task", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes a task read at `expected_version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_group_task(
        &self,
        caller: &Caller<'_>,
        group_id: Uuid,
        task_id: Uuid,
        input: &GroupTaskInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, _) = role_in(&mut tx, caller.principal, group_id).await?;
        check_in_group(&mut tx, group_id, input.owner_member_id.as_slice(), "owner_member_id").await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE working_group_task SET title = $4, owner_member_id = $5, due_on = $6, status = $7, updated_at = $8, \
               version = version + 1 WHERE id = $1 AND group_id = $2 AND tenant_id = $3 AND version = $9")
            .bind(task_id).bind(group_id).bind(tenant).bind(&input.title).bind(input.owner_member_id)
            .bind(input.due_on.map(date_text)).bind(input.status.as_str()).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n != 1 {
            // Which it was: a task of another group (or none) is not found, a stale version a conflict.
            TASK.check_version(&mut tx, task_id, tenant, expected_version).await?;
            return Err(StoreError::NotFound);
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "working_group_task", task_id)
                .in_tenant(Some(tenant))
                .detail(input.status.as_str()),
        )
        .await?;
        Ok(())
    }

    /// Records a meeting held (its members, its chair, the staff).
    pub async fn record_group_meeting(
        &self,
        caller: &Caller<'_>,
        group_id: Uuid,
        input: &GroupMeetingInput,
    ) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, _) = role_in(&mut tx, caller.principal, group_id).await?;
        check_meeting(&mut tx, group_id, input).await?;
        let id = Uuid::now_v7();
        let sealed = self.seal_group_meeting(&mut tx, tenant, id, &input.body).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO working_group_meeting (id, tenant_id, group_id, held_on, body_enc, created_by, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(id).bind(tenant).bind(group_id).bind(date_text(input.held_on)).bind(sealed)
            .bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        write_attendance(&mut tx, id, &input.attended).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "working_group_meeting", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes a meeting's day, agenda, minutes or attendance, read at `expected_version`.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_group_meeting(
        &self,
        caller: &Caller<'_>,
        group_id: Uuid,
        meeting_id: Uuid,
        input: &GroupMeetingInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let (tenant, _) = role_in(&mut tx, caller.principal, group_id).await?;
        let in_group: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT version FROM working_group_meeting WHERE id = $1 AND group_id = $2 AND tenant_id = $3")
            .bind(meeting_id).bind(group_id).bind(tenant).fetch_optional(c).await)?;
        let Some((version,)) = in_group else { return Err(StoreError::NotFound) };
        MEETING.check_read(version, expected_version)?;
        check_meeting(&mut tx, group_id, input).await?;
        let sealed = self.seal_group_meeting(&mut tx, tenant, meeting_id, &input.body).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE working_group_meeting SET held_on = $3, body_enc = $4, updated_at = $5, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $6")
            .bind(meeting_id).bind(tenant).bind(date_text(input.held_on)).bind(sealed).bind(ts(self.now()))
            .bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?;
        MEETING.changed(n)?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM working_group_attendance WHERE meeting_id = $1")
            .bind(meeting_id).execute(c).await.map(|r| r.rows_affected()))?;
        write_attendance(&mut tx, meeting_id, &input.attended).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "working_group_meeting", meeting_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    async fn seal_group_meeting(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        id: Uuid,
        body: &GroupMeetingBody,
    ) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = serde_json::to_vec(body).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes(SEALED_MEETING, id, &json)
    }

    /// The team's current members as (id, full name), to choose a group's members from (the staff and a group's
    /// chair); the read is audited.
    pub async fn working_group_member_choices(
        &self,
        caller: &Caller<'_>,
        group_id: Option<Uuid>,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let mut tx = self.db.begin().await?;
        let tenant = match group_id {
            Some(group) => match role_in(&mut tx, caller.principal, group).await? {
                (tenant, role) if role.manages() => tenant,
                _ => return Err(StoreError::NotFound),
            },
            None => super::scope(caller.principal, Permission::ManageTeam)?,
        };
        let members = self.members_in(&mut tx, tenant, None).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_member", "working group choices")
                .in_tenant(Some(tenant)),
        )
        .await?;
        Ok(members.into_iter().filter(|m| m.left_on.is_none()).map(|m| (m.id, m.details.full_name)).collect())
    }
}

/// The team member the account is, while a current member of its municipality's team.
async fn own_member(tx: &mut Tx, tenant: Uuid, principal: &Principal) -> Result<Option<Uuid>, StoreError> {
    let found: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id FROM team_member WHERE tenant_id = $1 AND account_id = $2 AND left_on IS NULL ORDER BY id LIMIT 1")
        .bind(tenant).bind(principal.account_id).fetch_optional(c).await)?;
    Ok(found.map(|(id,)| id))
}

/// The account's role in the group, or `NotFound` (for a group of another municipality, one that does not exist,
/// or one the account is not in).
async fn role_in(tx: &mut Tx, principal: &Principal, group_id: Uuid) -> Result<(Uuid, WorkingGroupRole), StoreError> {
    let Some(tenant) = principal.tenant_id else { return Err(StoreError::NotFound) };
    let group: Option<(Option<Uuid>,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT chair_member_id FROM working_group WHERE id = $1 AND tenant_id = $2")
        .bind(group_id).bind(tenant).fetch_optional(c).await)?;
    let Some((chair,)) = group else { return Err(StoreError::NotFound) };
    if principal.roles.permits(Permission::ManageTeam) {
        return Ok((tenant, WorkingGroupRole::Staff));
    }
    let Some(me) = own_member(tx, tenant, principal).await? else { return Err(StoreError::NotFound) };
    if chair == Some(me) {
        return Ok((tenant, WorkingGroupRole::Chair));
    }
    let member: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT member_id FROM working_group_member WHERE group_id = $1 AND member_id = $2")
        .bind(group_id).bind(me).fetch_optional(c).await)?;
    match member {
        Some(_) => Ok((tenant, WorkingGroupRole::Member)),
        None => Err(StoreError::NotFound),
    }
}

async fn group_of(tx: &mut Tx, row: GroupRow, role: WorkingGroupRole) -> Result<WorkingGroup, StoreError> {
    let (id, name, purpose, established_on, closed_on, chair_member_id, version) = row;
    let members: Vec<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT member_id FROM working_group_member WHERE group_id = $1 ORDER BY member_id")
        .bind(id).fetch_all(c).await)?;
    let (open_tasks,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*) FROM working_group_task WHERE group_id = $1 AND status IN ('open', 'in_progress')")
        .bind(id).fetch_one(c).await)?;
    Ok(WorkingGroup {
        id,
        name,
        purpose,
        established_on: text_date(&established_on)?,
        closed_on: opt_text_date(closed_on)?,
        chair_member_id,
        member_ids: members.into_iter().map(|(m,)| m).collect(),
        role,
        open_tasks,
        version,
    })
}

/// Every id is a current member of the municipality's team.
async fn check_current_members(tx: &mut Tx, tenant: Uuid, ids: &[Uuid], field: &'static str) -> Result<(), StoreError> {
    for id in ids {
        let found: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id FROM team_member WHERE id = $1 AND tenant_id = $2 AND left_on IS NULL")
            .bind(id).bind(tenant).fetch_optional(c).await)?;
        if found.is_none() {
            return Err(StoreError::invalid(field, "err-choice-unknown"));
        }
    }
    Ok(())
}

/// Every id is a member of the group.
async fn check_in_group(tx: &mut Tx, group_id: Uuid, ids: &[Uuid], field: &'static str) -> Result<(), StoreError> {
    for id in ids {
        let found: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT member_id FROM working_group_member WHERE group_id = $1 AND member_id = $2")
            .bind(group_id).bind(id).fetch_optional(c).await)?;
        if found.is_none() {
            return Err(StoreError::invalid(field, "err-working-group-not-a-member"));
        }
    }
    Ok(())
}

/// A meeting is not before the group was set up, and only its members attend.
async fn check_meeting(tx: &mut Tx, group_id: Uuid, input: &GroupMeetingInput) -> Result<(), StoreError> {
    let (established_on,): (String,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT established_on FROM working_group WHERE id = $1").bind(group_id).fetch_one(c).await)?;
    if input.held_on < text_date(&established_on)? {
        return Err(StoreError::invalid("held_on", "err-working-group-meeting-before-group"));
    }
    check_in_group(tx, group_id, &input.attended, "attended").await
}

async fn write_members(tx: &mut Tx, group_id: Uuid, members: &[Uuid]) -> Result<(), StoreError> {
    for member in members {
        on_tx!(tx, c => sqlx::query("INSERT INTO working_group_member (group_id, member_id) VALUES ($1, $2)")
            .bind(group_id).bind(member).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

async fn write_attendance(tx: &mut Tx, meeting_id: Uuid, members: &[Uuid]) -> Result<(), StoreError> {
    for member in members {
        on_tx!(tx, c => sqlx::query("INSERT INTO working_group_attendance (meeting_id, member_id) VALUES ($1, $2)")
            .bind(meeting_id).bind(member).execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
