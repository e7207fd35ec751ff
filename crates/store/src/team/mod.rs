//! The team's own registers: its appointing order, its members (function, institution, term, confidentiality
//! declaration, group coordinators; their training history and the areas they coordinate in qualifications.rs), its
//! working groups (working_groups.rs), its meetings with attendance (meetings.rs), the directory of
//! help (directory.rs), the register of prevention and training activities (activities.rs), the recommendations to
//! the mayor (recommendations.rs), the projects and co-financed programmes (projects.rs), and the team's rules,
//! standards for institutions and agreements with them (rules.rs).
//!
//! Guarantees:
//! - Only the municipality's team staff (`ManageTeam`: chair, deputy, secretary) read or change members and meetings;
//!   anyone else gets `NotFound`, as for a register that does not exist. Programme reporters and aggregate viewers
//!   never see a member's personal data; the counts the programme needs read only clear columns.
//! - A member's name and contacts and a meeting's place, agenda, minutes and resolutions are one encrypted JSON
//!   document per row; every read that decrypts them is audited, every change is audited in its transaction.
//! - No account reaches case data as staff or as a group member without a signed confidentiality declaration: a
//!   current member's is on the member's record, anyone else's is recorded for the account (confidentiality.rs).
//!   The rule is `crate::access`'s, asked by `case_access`, the case list, the dashboard and the team's reports.
//! - Changes carry the row's version; a stale one is a conflict, never a silent overwrite.

pub mod accessibility;
mod activities;
mod confidentiality;
pub(crate) mod directory;
mod meetings;
mod projects;
mod qualifications;
mod recommendations;
mod reminders;
mod rules;
mod start;
mod working_groups;

pub use activities::{Activity, ActivityDraft, ActivityInput};
pub use confidentiality::{AccountDeclaration, DeclarationDraft, DeclarationKind};
pub use directory::{
    DirectoryDraft, DirectoryEntry, DirectoryInput, InstitutionDependent, NATIONAL_HELPLINES, NationalHelpline,
};
pub use meetings::{AbsenceLetter, AttendanceInput, AttendanceRow, MeetingBody, MeetingInput, TeamMeeting};
pub use projects::{Project, ProjectDraft, ProjectInput, node_title};
pub use qualifications::{AreaCoordinators, TrainingDraft, TrainingEntry, TrainingInput};
pub use recommendations::{Recommendation, RecommendationBody, RecommendationDraft, RecommendationInput};
pub use reminders::{TeamOverview, TeamReminderReport};
pub use rules::{
    Acknowledgement, Agreement, AgreementDraft, AgreementInput, AgreementState, DEFAULT_REMIND_DAYS, DocumentKind,
    DocumentVersion, DocumentVersionDraft, DocumentVersionInput, TeamDocument, agreement_state,
    agreements_needing_attention, parse_document_title,
};
pub use start::{StartProgress, StartStep};
pub use working_groups::{
    GroupDetail, GroupMeeting, GroupMeetingBody, GroupMeetingDraft, GroupMeetingInput, GroupTask, GroupTaskDraft,
    GroupTaskInput, WorkingGroup, WorkingGroupDraft, WorkingGroupInput, WorkingGroupRole,
};

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{
    CoordinationArea, MemberFunction, TrainingState, parse_date, parse_email, parse_optional_date, parse_optional_text,
    training_state,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::{Actor, AuditRecord, Store, StoreError, Tx, ts};

/// The municipality whose registers `principal` may work with `permission`; `NotFound` for anyone else.
pub(crate) fn scope(principal: &Principal, permission: Permission) -> Result<Uuid, StoreError> {
    match principal.tenant_id {
        Some(tenant) if principal.roles.permits(permission) => Ok(tenant),
        _ => Err(StoreError::NotFound),
    }
}

pub(crate) fn date_text(d: Date) -> String {
    d.to_string()
}

pub(crate) fn text_date(s: &str) -> Result<Date, StoreError> {
    s.parse().map_err(|_| StoreError::Corrupt(format!("stored date {s:?}")))
}

fn opt_text_date(s: Option<String>) -> Result<Option<Date>, StoreError> {
    s.as_deref().map(text_date).transpose()
}

/// The mayor's order appointing the team (or amending its composition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamOrder {
    pub id: Uuid,
    pub number: String,
    pub issued_on: Date,
}

/// A member's personal data, encrypted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberDetails {
    pub full_name: String,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A member as typed (form or JSON), before validation: dates YYYY-MM-DD, an empty or absent field for none.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberDraft {
    pub full_name: String,
    pub position: String,
    pub email: String,
    pub phone: String,
    /// The member's account in Ostoja, if any (its id).
    pub account_id: String,
    /// The institution the member represents (its id), if any.
    pub institution_id: String,
    /// The appointing order (its id), if any.
    pub order_id: String,
    /// chair, deputy_chair, secretary or member.
    pub function: String,
    /// YYYY-MM-DD
    pub appointed_on: String,
    /// YYYY-MM-DD, not before `appointed_on`; empty for a term without an end.
    pub term_ends_on: String,
    /// The day the confidentiality declaration was signed (YYYY-MM-DD, not in the future); empty while not signed.
    pub confidentiality_signed_on: String,
    pub group_coordinator: bool,
    /// The areas of work the member coordinates: children, elderly, persons_with_disabilities, programmes,
    /// support_groups, trainings, campaigns (keys of `domain::team::CoordinationArea`). The member's own trainings
    /// are recorded in their training history, not here.
    pub coordination_areas: Vec<String>,
    /// YYYY-MM-DD: the day the member left the team; empty while a member.
    pub left_on: String,
}

/// A validated member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInput {
    pub details: MemberDetails,
    pub account_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    pub order_id: Option<Uuid>,
    pub function: MemberFunction,
    pub appointed_on: Date,
    pub term_ends_on: Option<Date>,
    pub confidentiality_signed_on: Option<Date>,
    pub group_coordinator: bool,
    pub coordination_areas: Vec<CoordinationArea>,
    pub left_on: Option<Date>,
}

/// The areas as ticked: each known once, in the list's order.
fn parse_areas(raw: &[String]) -> Result<Vec<CoordinationArea>, &'static str> {
    let mut out = Vec::new();
    for key in raw.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        let area = CoordinationArea::parse(key)?;
        if !out.contains(&area) {
            out.push(area);
        }
    }
    out.sort_by_key(|a| CoordinationArea::ALL.iter().position(|x| x == a));
    Ok(out)
}

fn parse_uuid(raw: &str) -> Result<Option<Uuid>, &'static str> {
    let s = raw.trim();
    if s.is_empty() { Ok(None) } else { s.parse().map(Some).map_err(|_| "err-choice-unknown") }
}

impl MemberDraft {
    pub fn validate(&self, today: Date) -> Result<MemberInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let full_name = e.check("full_name", domain::tenant::parse_name(&self.full_name));
        let position = e.check("position", parse_optional_text(&self.position, 200));
        let email = e.check("email", parse_email(&self.email));
        let phone = e.check("phone", parse_optional_text(&self.phone, 40));
        let account_id = e.check("account_id", parse_uuid(&self.account_id));
        let institution_id = e.check("institution_id", parse_uuid(&self.institution_id));
        let order_id = e.check("order_id", parse_uuid(&self.order_id));
        let function = e.check("function", MemberFunction::parse(&self.function));
        let appointed_on = e.check("appointed_on", parse_date(&self.appointed_on));
        let term_ends_on = e.check("term_ends_on", parse_optional_date(&self.term_ends_on));
        let signed = e.check("confidentiality_signed_on", parse_optional_date(&self.confidentiality_signed_on));
        let coordination_areas = e.check("coordination_areas", parse_areas(&self.coordination_areas));
        let left_on = e.check("left_on", parse_optional_date(&self.left_on));
        if let (Some(appointed), Some(Some(end))) = (appointed_on, term_ends_on)
            && end < appointed
        {
            e.add("term_ends_on", "err-team-term-before-appointment");
        }
        if signed.flatten().is_some_and(|d| d > today) {
            e.add("confidentiality_signed_on", "err-date-in-future");
        }
        if !e.is_empty() {
            return Err(e);
        }
        let (
            Some(full_name),
            Some(position),
            Some(email),
            Some(phone),
            Some(account_id),
            Some(institution_id),
            Some(order_id),
            Some(function),
            Some(appointed_on),
            Some(term_ends_on),
            Some(confidentiality_signed_on),
            Some(coordination_areas),
            Some(left_on),
        ) = (
            full_name,
            position,
            email,
            phone,
            account_id,
            institution_id,
            order_id,
            function,
            appointed_on,
            term_ends_on,
            signed,
            coordination_areas,
            left_on,
        )
        else {
            return Err(e);
        };
        Ok(MemberInput {
            details: MemberDetails { full_name, position, email, phone },
            account_id,
            institution_id,
            order_id,
            function,
            appointed_on,
            term_ends_on,
            confidentiality_signed_on,
            group_coordinator: self.group_coordinator,
            coordination_areas,
            left_on,
        })
    }
}

/// A member as the team's pages show it (decrypted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamMember {
    pub id: Uuid,
    pub details: MemberDetails,
    pub account_id: Option<Uuid>,
    pub institution_id: Option<Uuid>,
    pub institution_name: Option<String>,
    pub order_id: Option<Uuid>,
    pub function: MemberFunction,
    pub appointed_on: Date,
    pub term_ends_on: Option<Date>,
    pub confidentiality_signed_on: Option<Date>,
    /// The mandatory training's completion, read from the training history (qualifications.rs).
    pub training_completed_on: Option<Date>,
    pub group_coordinator: bool,
    /// The areas of work the member coordinates, in the list's order.
    pub coordination_areas: Vec<CoordinationArea>,
    pub left_on: Option<Date>,
    pub version: i64,
}

impl TeamMember {
    pub fn training(&self, today: Date) -> TrainingState {
        training_state(self.appointed_on, self.training_completed_on, today)
    }

    /// Whether the member may work with case data (the declaration is signed).
    pub fn may_see_cases(&self) -> bool {
        self.confidentiality_signed_on.is_some()
    }

    /// The draft that re-creates this member, for an edit form.
    pub fn to_draft(&self) -> MemberDraft {
        let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
        MemberDraft {
            full_name: self.details.full_name.clone(),
            position: self.details.position.clone().unwrap_or_default(),
            email: self.details.email.clone().unwrap_or_default(),
            phone: self.details.phone.clone().unwrap_or_default(),
            account_id: self.account_id.map(|u| u.to_string()).unwrap_or_default(),
            institution_id: self.institution_id.map(|u| u.to_string()).unwrap_or_default(),
            order_id: self.order_id.map(|u| u.to_string()).unwrap_or_default(),
            function: self.function.as_str().to_owned(),
            appointed_on: self.appointed_on.to_string(),
            term_ends_on: d(self.term_ends_on),
            confidentiality_signed_on: d(self.confidentiality_signed_on),
            group_coordinator: self.group_coordinator,
            coordination_areas: self.coordination_areas.iter().map(|a| a.as_str().to_owned()).collect(),
            left_on: d(self.left_on),
        }
    }
}

type MemberRow = (
    Uuid,
    Vec<u8>,
    Option<Uuid>,
    Option<Uuid>,
    Option<String>,
    Option<Uuid>,
    String,
    String,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    i64,
);

const MEMBER_COLUMNS: &str = "m.id, m.details_enc, m.account_id, m.institution_id, i.name, m.order_id, m.function, \
     m.appointed_on, m.term_ends_on, m.confidentiality_signed_on, m.group_coordinator, m.left_on, m.version";

/// A row of the team's registers that changes only at the version it was read at: a stale version is a conflict,
/// never a silent overwrite. Its table is also the audit trail's object kind.
#[derive(Clone, Copy)]
pub(crate) struct Versioned {
    table: &'static str,
    /// The conflict's text (logs and the API's error); the pages word it themselves.
    conflict: &'static str,
}

pub(crate) const MEMBER: Versioned = Versioned { table: "team_member", conflict: "member changed since it was read" };
pub(crate) const MEETING: Versioned =
    Versioned { table: "team_meeting", conflict: "meeting changed since it was read" };
pub(crate) const ACTIVITY: Versioned = Versioned { table: "activity", conflict: "activity changed since it was read" };
pub(crate) const DIRECTORY_ENTRY: Versioned =
    Versioned { table: "help_directory_entry", conflict: "entry changed since it was read" };
pub(crate) const RECOMMENDATION: Versioned =
    Versioned { table: "team_recommendation", conflict: "recommendation changed since it was read" };
pub(crate) const PROJECT: Versioned =
    Versioned { table: "team_project", conflict: "project changed since it was read" };
/// The county's own register (crate::county): an edition of a programme for persons using violence.
pub(crate) const COUNTY_EDITION: Versioned =
    Versioned { table: "county_programme_edition", conflict: "edition changed since it was read" };

impl Versioned {
    /// A register outside this module (the regional platform) names its table and its conflict's text.
    pub(crate) const fn new(table: &'static str, conflict: &'static str) -> Versioned {
        Versioned { table, conflict }
    }

    /// Refuses unless the row is the tenant's (else `NotFound`, as for a row that does not exist) and still at
    /// `expected` (else `Conflict`).
    pub(crate) async fn check_version(
        self,
        tx: &mut Tx,
        id: Uuid,
        tenant: Uuid,
        expected: i64,
    ) -> Result<(), StoreError> {
        // The table name is one of the constants above, never input.
        let current: Option<(i64,)> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT version FROM {} WHERE id = $1 AND tenant_id = $2", self.table)))
            .bind(id).bind(tenant).fetch_optional(c).await)?;
        let Some((version,)) = current else { return Err(StoreError::NotFound) };
        self.check_read(version, expected)
    }

    /// The same for a version already read with the row.
    pub(crate) fn check_read(self, version: i64, expected: i64) -> Result<(), StoreError> {
        if version == expected { Ok(()) } else { Err(StoreError::Conflict(self.conflict)) }
    }

    /// An UPDATE guarded by `version = expected` changed exactly one row, or someone changed it in between.
    pub(crate) fn changed(self, rows: u64) -> Result<(), StoreError> {
        if rows == 1 { Ok(()) } else { Err(StoreError::Conflict(self.conflict)) }
    }
}

impl Store {
    /// Writes the change's (or the read's) audit entry in its transaction and commits both: the last step of every
    /// change to the team's registers.
    pub(crate) async fn commit_audited(
        &self,
        mut tx: Tx,
        actor: &Actor,
        record: AuditRecord,
    ) -> Result<(), StoreError> {
        self.audit(&mut tx, actor, &record).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Records the mayor's order appointing the team (number and date).
    pub async fn create_team_order(
        &self,
        caller: &Caller<'_>,
        number: &str,
        issued_on: &str,
    ) -> Result<TeamOrder, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut e = FieldErrors::new();
        let number = e.check("number", domain::tenant::parse_name(number));
        let issued_on = e.check("issued_on", parse_date(issued_on));
        let (Some(number), Some(issued_on)) = (number, issued_on) else { return Err(StoreError::Invalid(e)) };
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_order (id, tenant_id, number, issued_on, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(tenant).bind(&number).bind(date_text(issued_on)).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_order", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(TeamOrder { id, number, issued_on })
    }

    /// The team's orders, newest first (no personal data).
    pub async fn team_orders(&self, principal: &Principal) -> Result<Vec<TeamOrder>, StoreError> {
        let tenant = scope(principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(Uuid, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, number, issued_on FROM team_order WHERE tenant_id = $1 ORDER BY issued_on DESC, id DESC")
            .bind(tenant).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, number, issued_on)| Ok(TeamOrder { id, number, issued_on: text_date(&issued_on)? }))
            .collect()
    }

    /// Adds a member to the team.
    pub async fn create_team_member(&self, caller: &Caller<'_>, input: &MemberInput) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        check_references(&mut tx, tenant, input).await?;
        let sealed = self.seal_member(&mut tx, tenant, id, &input.details).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO team_member (id, tenant_id, account_id, institution_id, order_id, function, details_enc, \
               appointed_on, term_ends_on, confidentiality_signed_on, group_coordinator, left_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)")
            .bind(id).bind(tenant).bind(input.account_id).bind(input.institution_id).bind(input.order_id)
            .bind(input.function.as_str()).bind(sealed).bind(date_text(input.appointed_on))
            .bind(input.term_ends_on.map(date_text)).bind(input.confidentiality_signed_on.map(date_text))
            .bind(input.group_coordinator).bind(input.left_on.map(date_text)).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        qualifications::set_coordination(&mut tx, tenant, id, &input.coordination_areas).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "team_member", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes a member read at `expected_version`.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_team_member", member = %member_id))]
    pub async fn update_team_member(
        &self,
        caller: &Caller<'_>,
        member_id: Uuid,
        input: &MemberInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageTeam)?;
        let mut tx = self.db.begin().await?;
        MEMBER.check_version(&mut tx, member_id, tenant, expected_version).await?;
        check_references(&mut tx, tenant, input).await?;
        let sealed = self.seal_member(&mut tx, tenant, member_id, &input.details).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE team_member SET account_id = $3, institution_id = $4, order_id = $5, function = $6, details_enc = $7, \
               appointed_on = $8, term_ends_on = $9, confidentiality_signed_on = $10, group_coordinator = $11, \
               left_on = $12, updated_at = $13, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $14")
            .bind(member_id).bind(tenant).bind(input.account_id).bind(input.institution_id).bind(input.order_id)
            .bind(input.function.as_str()).bind(sealed).bind(date_text(input.appointed_on))
            .bind(input.term_ends_on.map(date_text)).bind(input.confidentiality_signed_on.map(date_text))
            .bind(input.group_coordinator).bind(input.left_on.map(date_text)).bind(ts(self.now()))
            .bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        MEMBER.changed(n)?;
        qualifications::set_coordination(&mut tx, tenant, member_id, &input.coordination_areas).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "team_member", member_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// The team's members (those who left last), decrypted; the read is audited.
    pub async fn team_members(&self, caller: &Caller<'_>) -> Result<Vec<TeamMember>, StoreError> {
        let tenant = scope(caller.principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin().await?;
        let members = self.members_in(&mut tx, tenant, None).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_member", "list").in_tenant(Some(tenant)),
        )
        .await?;
        Ok(members)
    }

    /// One member, decrypted; the read is audited.
    pub async fn team_member(&self, caller: &Caller<'_>, member_id: Uuid) -> Result<TeamMember, StoreError> {
        let tenant = scope(caller.principal, Permission::ViewTeam)?;
        let mut tx = self.db.begin().await?;
        let member = self.members_in(&mut tx, tenant, Some(member_id)).await?.pop().ok_or(StoreError::NotFound)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "team_member", member_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(member)
    }

    /// The members of `tenant` (or the one `only`), decrypted. The caller audits.
    pub(crate) async fn members_in(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        only: Option<Uuid>,
    ) -> Result<Vec<TeamMember>, StoreError> {
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM team_member m LEFT JOIN institution i ON i.id = m.institution_id \
             WHERE m.tenant_id = $1 AND ($2 IS NULL OR m.id = $2) \
             ORDER BY m.left_on IS NOT NULL, CASE m.function WHEN 'chair' THEN 0 WHEN 'deputy_chair' THEN 1 \
               WHEN 'secretary' THEN 2 ELSE 3 END, m.appointed_on, m.id"
        );
        let rows: Vec<MemberRow> = on_tx!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(tenant).bind(only).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let trained = qualifications::mandatory_completions(tx, tenant).await?;
        let mut coordination = qualifications::coordination_of(tx, tenant).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let json = keys.decrypt_bytes("team_member.details", r.0, &r.1)?;
            let details: MemberDetails =
                serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("team member", &e))?;
            out.push(TeamMember {
                id: r.0,
                details,
                account_id: r.2,
                institution_id: r.3,
                institution_name: r.4,
                order_id: r.5,
                function: MemberFunction::parse(&r.6).map_err(|_| StoreError::Corrupt(format!("function {}", r.6)))?,
                appointed_on: text_date(&r.7)?,
                term_ends_on: opt_text_date(r.8)?,
                confidentiality_signed_on: opt_text_date(r.9)?,
                training_completed_on: trained.get(&r.0).copied(),
                group_coordinator: r.10,
                coordination_areas: coordination.remove(&r.0).unwrap_or_default(),
                left_on: opt_text_date(r.11)?,
                version: r.12,
            });
        }
        Ok(out)
    }

    async fn seal_member(
        &self,
        tx: &mut Tx,
        tenant: Uuid,
        id: Uuid,
        details: &MemberDetails,
    ) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, tenant, self.now()).await?;
        let json = serde_json::to_vec(details).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes("team_member.details", id, &json)
    }

    /// Whether `principal`'s account is held back from case data for want of a signed declaration.
    pub async fn confidentiality_declaration_missing(&self, principal: &Principal) -> Result<bool, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let missing = crate::access::declaration_missing(&mut tx, self, principal.account_id).await?;
        tx.commit().await?;
        Ok(missing)
    }
}

/// The account, institution and order a member points to must be the municipality's own.
async fn check_references(tx: &mut Tx, tenant: Uuid, input: &MemberInput) -> Result<(), StoreError> {
    if let Some(account) = input.account_id {
        let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM account WHERE id = $1 AND tenant_id = $2")
            .bind(account).bind(tenant).fetch_optional(c).await)?;
        if ok.is_none() {
            return Err(StoreError::invalid("account_id", "err-choice-unknown"));
        }
    }
    if let Some(institution) = input.institution_id {
        let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM institution WHERE id = $1 AND tenant_id = $2")
            .bind(institution).bind(tenant).fetch_optional(c).await)?;
        if ok.is_none() {
            return Err(StoreError::invalid("institution_id", "err-choice-unknown"));
        }
    }
    if let Some(order) = input.order_id {
        let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM team_order WHERE id = $1 AND tenant_id = $2")
            .bind(order).bind(tenant).fetch_optional(c).await)?;
        if ok.is_none() {
            return Err(StoreError::invalid("order_id", "err-choice-unknown"));
        }
    }
    Ok(())
}

impl Store {
    /// The municipality's active accounts (id and login only), to link a member to their account.
    pub async fn team_account_choices(&self, principal: &Principal) -> Result<Vec<(Uuid, String)>, StoreError> {
        let tenant = scope(principal, Permission::ManageTeam)?;
        Ok(crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, login FROM account WHERE tenant_id = $1 AND active ORDER BY login")
            .bind(tenant).fetch_all(p).await)?)
    }
}
