//! The regional cooperation platform (issue 17 item 7; seed 004, the Małopolska "Regionalna Platforma Współpracy"):
//! on a voivodeship's tenant, its regional group (members by institution and level, invited experts), the group's
//! meetings (agenda, minutes, attendance, remote link), a library of good practice, a register of the key difficulties
//! raised by municipalities and counties with the common solution the region works out, and the region's one-line
//! announcements shown on the home page of every account of the voivodeship's counties and municipalities.
//!
//! Guarantees:
//! - No case data: nothing here reads or links a case, a person of a case or a case's text. The forms say so.
//! - The platform of an account is its voivodeship's: the first two digits of its tenant's TERYT name the
//!   voivodeship's tenant. Without `ViewPlatform`, or without such a tenant, everything is `NotFound`.
//! - Need-to-know by level: the group and its meetings are the region's and the counties' (and the invited experts');
//!   a library document is read by the audience it names (region only, also the counties, all teams); a difficulty is
//!   read by the region, by the county of the municipality that raised it, by the one who raised it, and by everyone
//!   in the region once it is solved (the common solution is there to be spread).
//! - Only the region edits (`ManagePlatform`, an account of the voivodeship's tenant): a municipality's or county's
//!   account may only raise a difficulty (`RaiseDifficulty`) and dismiss an announcement for itself.
//! - Members' names and contacts and the meetings' texts name officials: one encrypted JSON document per row, every
//!   read audited. Every change is audited in its transaction; changes carry the row's version.
//! - Every date typed is a real date, validated: nothing recorded as done in the future, nothing before what it
//!   follows.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::{Permission, Role};
use domain::team::{parse_date, parse_email, parse_optional_date, parse_optional_text, parse_website};
use domain::territory::TerritorialLevel;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::db::on_tx;
use crate::identity::Principal;
use crate::team::{Versioned, date_text, text_date};
use crate::{AuditRecord, Store, StoreError, Tx, ts};

const MEMBER: Versioned = Versioned::new("region_group_member", "group member changed since it was read");
const MEETING: Versioned = Versioned::new("region_meeting", "meeting changed since it was read");
const DIFFICULTY: Versioned = Versioned::new("region_difficulty", "difficulty changed since it was read");

/// The earliest year the platform accepts (the group of seed 004 was formed in 2012; older papers are typed in too).
const FIRST_YEAR: i16 = 2000;
/// An announcement is one line on the home page.
pub const ANNOUNCEMENT_MAX_CHARS: usize = 160;

/// A member's place in the regional group (seed 004: county coordinators, the voivodeship office, the police, and
/// invited experts; municipalities' representatives where the region invites them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupLevel {
    Region,
    County,
    Municipality,
    Police,
    Expert,
}

impl GroupLevel {
    pub const ALL: [GroupLevel; 5] =
        [GroupLevel::Region, GroupLevel::County, GroupLevel::Municipality, GroupLevel::Police, GroupLevel::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupLevel::Region => "region",
            GroupLevel::County => "county",
            GroupLevel::Municipality => "municipality",
            GroupLevel::Police => "police",
            GroupLevel::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Result<GroupLevel, &'static str> {
        GroupLevel::ALL.into_iter().find(|l| l.as_str() == s.trim()).ok_or("err-choice-unknown")
    }
}

/// How a meeting is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingMode {
    InPerson,
    Remote,
}

impl MeetingMode {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingMode::InPerson => "in_person",
            MeetingMode::Remote => "remote",
        }
    }

    pub fn parse(s: &str) -> Result<MeetingMode, &'static str> {
        match s.trim() {
            "in_person" => Ok(MeetingMode::InPerson),
            "remote" => Ok(MeetingMode::Remote),
            _ => Err("err-choice-unknown"),
        }
    }
}

/// Who may read a document of the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The voivodeship's own accounts (and its invited experts).
    Region,
    /// Also the counties' coordinators.
    Counties,
    /// Also every municipality's team.
    All,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Region, Audience::Counties, Audience::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Region => "region",
            Audience::Counties => "counties",
            Audience::All => "all",
        }
    }

    pub fn parse(s: &str) -> Result<Audience, &'static str> {
        Audience::ALL.into_iter().find(|a| a.as_str() == s.trim()).ok_or("err-choice-unknown")
    }

    /// Whether an account of a tenant at `level` reads it.
    pub fn admits(self, level: TerritorialLevel) -> bool {
        match self {
            Audience::Region => level == TerritorialLevel::Region,
            Audience::Counties => level != TerritorialLevel::Municipality,
            Audience::All => true,
        }
    }
}

/// Where a difficulty stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DifficultyStatus {
    /// Raised, not yet taken up.
    Raised,
    /// The group is working on it.
    InProgress,
    /// A common solution is worked out (shown to the whole region).
    Solved,
    /// Not taken up, with the region's reason.
    Declined,
}

impl DifficultyStatus {
    pub const ALL: [DifficultyStatus; 4] =
        [DifficultyStatus::Raised, DifficultyStatus::InProgress, DifficultyStatus::Solved, DifficultyStatus::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            DifficultyStatus::Raised => "raised",
            DifficultyStatus::InProgress => "in_progress",
            DifficultyStatus::Solved => "solved",
            DifficultyStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Result<DifficultyStatus, &'static str> {
        DifficultyStatus::ALL.into_iter().find(|d| d.as_str() == s.trim()).ok_or("err-choice-unknown")
    }

    /// The region has given its answer: the solution (or the reason) and its date are required.
    pub fn answered(self) -> bool {
        matches!(self, DifficultyStatus::Solved | DifficultyStatus::Declined)
    }
}

/// The account's place on its voivodeship's platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformSeat {
    /// The voivodeship's tenant, which holds the platform.
    pub region: Uuid,
    pub region_name: String,
    pub region_code: String,
    /// The account's own tenant and its level.
    pub tenant: Uuid,
    pub teryt: String,
    pub level: TerritorialLevel,
    /// Keeps the platform (the region's coordinator).
    pub manages: bool,
    /// Raises difficulties (a municipality's team staff, a county's coordinator).
    pub raises: bool,
}

impl PlatformSeat {
    /// The group and its meetings: the region's and the counties'.
    pub fn sees_group(&self) -> bool {
        self.level != TerritorialLevel::Municipality
    }
}

// --- The regional group ---

/// A group member's person: name, function, e-mail (encrypted together).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberDetails {
    pub full_name: String,
    pub function: Option<String>,
    pub email: Option<String>,
}

/// A group member as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GroupMemberDraft {
    pub full_name: String,
    pub function: String,
    pub email: String,
    pub level: String,
    pub institution: String,
    pub joined_on: String,
    pub left_on: String,
    /// An invited expert's account on the region's installation (its id), or empty: while the entry is current the
    /// account reaches the platform.
    pub account: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMemberInput {
    pub details: GroupMemberDetails,
    pub level: GroupLevel,
    pub institution: String,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub account_id: Option<Uuid>,
}

impl GroupMemberDraft {
    /// Every field, the message beside it: joining and leaving are real days, not ahead of `today`, leaving not before
    /// joining.
    pub fn validate(&self, today: Date) -> Result<GroupMemberInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let full_name = e.check("full_name", domain::tenant::parse_name(&self.full_name));
        let function = e.check("function", parse_optional_text(&self.function, 200));
        let email = e.check("email", parse_email(&self.email));
        let level = e.check("level", GroupLevel::parse(&self.level));
        let institution = e.check("institution", domain::tenant::parse_name(&self.institution));
        let joined_on = e.check("joined_on", parse_date(&self.joined_on).and_then(|d| not_after(d, today)));
        let left_on = e.check(
            "left_on",
            parse_optional_date(&self.left_on).and_then(|d| d.map(|d| not_after(d, today)).transpose()),
        );
        if let (Some(joined), Some(Some(left))) = (joined_on, left_on)
            && left < joined
        {
            e.add("left_on", "err-region-left-before-joined");
        }
        let account_id = e.check(
            "account",
            match self.account.trim() {
                "" => Ok(None),
                id => Uuid::parse_str(id).map(Some).map_err(|_| "err-choice-unknown"),
            },
        );
        match (full_name, function, email, level, institution, joined_on, left_on, account_id) {
            (
                Some(full_name),
                Some(function),
                Some(email),
                Some(level),
                Some(institution),
                Some(joined_on),
                Some(left_on),
                Some(account_id),
            ) if e.is_empty() => Ok(GroupMemberInput {
                details: GroupMemberDetails { full_name, function, email },
                level,
                institution,
                joined_on,
                left_on,
                account_id,
            }),
            _ => Err(e),
        }
    }
}

/// One member of the regional group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMember {
    pub id: Uuid,
    pub details: GroupMemberDetails,
    pub level: GroupLevel,
    pub institution: String,
    pub account_id: Option<Uuid>,
    pub joined_on: Date,
    pub left_on: Option<Date>,
    pub version: i64,
}

// --- Meetings ---

/// A meeting's texts: they name officials, so they are encrypted together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingTexts {
    pub topic: String,
    pub agenda: Option<String>,
    pub place: Option<String>,
    pub remote_link: Option<String>,
    pub minutes: Option<String>,
}

/// A meeting planned or typed in.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MeetingDraft {
    pub topic: String,
    pub held_on: String,
    pub mode: String,
    pub agenda: String,
    pub place: String,
    pub remote_link: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingInput {
    pub held_on: Date,
    pub mode: MeetingMode,
    pub texts: MeetingTexts,
}

impl MeetingDraft {
    /// A meeting may be planned ahead; a remote one needs its link, an in-person one its place.
    pub fn validate(&self) -> Result<MeetingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let topic = e.check("topic", domain::tenant::parse_name(&self.topic));
        let held_on = e.check("held_on", parse_date(&self.held_on).and_then(not_before_first_year));
        let mode = e.check("mode", MeetingMode::parse(&self.mode));
        let agenda = e.check("agenda", parse_optional_text(&self.agenda, 10_000));
        let place = e.check("place", parse_optional_text(&self.place, 300));
        let remote_link = e.check("remote_link", parse_website(&self.remote_link));
        if mode == Some(MeetingMode::Remote) && remote_link == Some(None) {
            e.add("remote_link", "err-region-remote-link-required");
        }
        if mode == Some(MeetingMode::InPerson) && place == Some(None) {
            e.add("place", "err-region-place-required");
        }
        match (topic, held_on, mode, agenda, place, remote_link) {
            (Some(topic), Some(held_on), Some(mode), Some(agenda), Some(place), Some(remote_link)) if e.is_empty() => {
                Ok(MeetingInput {
                    held_on,
                    mode,
                    texts: MeetingTexts { topic, agenda, place, remote_link, minutes: None },
                })
            }
            _ => Err(e),
        }
    }
}

/// One meeting of the regional group, with who attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionMeeting {
    pub id: Uuid,
    pub held_on: Date,
    pub mode: MeetingMode,
    pub texts: MeetingTexts,
    pub minutes_recorded_on: Option<Date>,
    /// The group members present.
    pub attended: Vec<Uuid>,
    pub version: i64,
}

// --- The library of good practice ---

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PracticeDraft {
    pub title: String,
    pub summary: String,
    pub link: String,
    /// Separated by commas or spaces.
    pub tags: String,
    /// The municipality it comes from: its TERYT code (7 digits, in this voivodeship), or blank.
    pub municipality: String,
    pub year: String,
    pub audience: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeInput {
    pub title: String,
    pub summary: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    pub municipality: Option<String>,
    pub year: i16,
    pub audience: Audience,
}

impl PracticeDraft {
    /// `region_code`: the voivodeship's 2 digits, which the municipality's code must start with.
    pub fn validate(&self, today: Date, region_code: &str) -> Result<PracticeInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let summary =
            e.check("summary", parse_optional_text(&self.summary, 20_000).and_then(|s| s.ok_or("err-required")));
        let link = e.check("link", parse_website(&self.link));
        let tags = e.check("tags", parse_tags(&self.tags));
        let municipality = e.check("municipality", parse_municipality(&self.municipality, region_code));
        let year = e.check("year", parse_year(&self.year, today));
        let audience = e.check("audience", Audience::parse(&self.audience));
        match (title, summary, link, tags, municipality, year, audience) {
            (Some(title), Some(summary), Some(link), Some(tags), Some(municipality), Some(year), Some(audience))
                if e.is_empty() =>
            {
                Ok(PracticeInput { title, summary, link, tags, municipality, year, audience })
            }
            _ => Err(e),
        }
    }
}

/// Tags: lower-case words (letters, digits, hyphens), at most 10 of at most 30 characters each, no repeats.
fn parse_tags(raw: &str) -> Result<Vec<String>, &'static str> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split([',', ' ', ';']).map(str::trim).filter(|t| !t.is_empty()) {
        let tag = tag.to_lowercase();
        if tag.chars().count() > 30 || !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err("err-region-tag");
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > 10 { Err("err-region-too-many-tags") } else { Ok(tags) }
}

fn parse_municipality(raw: &str, region_code: &str) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.len() == 7 && s.chars().all(|c| c.is_ascii_digit()) && s.starts_with(region_code) {
        Ok(Some(s.to_owned()))
    } else {
        Err("err-region-municipality")
    }
}

fn parse_year(raw: &str, today: Date) -> Result<i16, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("err-required");
    }
    let year: i16 = s.parse().map_err(|_| "err-region-year")?;
    if year < FIRST_YEAR {
        Err("err-region-year")
    } else if year > today.year() {
        Err("err-region-year-in-future")
    } else {
        Ok(year)
    }
}

/// One document of the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Practice {
    pub id: Uuid,
    pub title: String,
    pub summary: String,
    pub link: Option<String>,
    pub tags: Vec<String>,
    pub municipality: Option<String>,
    /// The municipality's name, when the installation knows it.
    pub municipality_name: Option<String>,
    pub year: i16,
    pub audience: Audience,
    pub version: i64,
}

// --- Difficulties ---

/// A key difficulty raised with the region, as typed (form or JSON), before validation; the title and the description
/// are required. No case data: no names, procedure numbers or details of cases.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DifficultyDraft {
    pub title: String,
    pub description: String,
    /// YYYY-MM-DD, not in the future.
    pub raised_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DifficultyInput {
    pub title: String,
    pub description: String,
    pub raised_on: Date,
}

impl DifficultyDraft {
    pub fn validate(&self, today: Date) -> Result<DifficultyInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", domain::tenant::parse_name(&self.title));
        let description = e
            .check("description", parse_optional_text(&self.description, 10_000).and_then(|s| s.ok_or("err-required")));
        let raised_on = e.check(
            "raised_on",
            parse_date(&self.raised_on).and_then(not_before_first_year).and_then(|d| not_after(d, today)),
        );
        match (title, description, raised_on) {
            (Some(title), Some(description), Some(raised_on)) => Ok(DifficultyInput { title, description, raised_on }),
            _ => Err(e),
        }
    }
}

/// The region's answer to a difficulty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AnswerDraft {
    pub status: String,
    pub solution: String,
    pub solution_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    pub status: DifficultyStatus,
    pub solution: Option<String>,
    pub solution_on: Option<Date>,
}

impl AnswerDraft {
    /// A solved or declined difficulty needs the solution (or reason) and its day; the day is not ahead of `today`
    /// (the date the difficulty was raised is checked by the store, which knows it).
    pub fn validate(&self, today: Date) -> Result<AnswerInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = e.check("status", DifficultyStatus::parse(&self.status));
        let solution = e.check("solution", parse_optional_text(&self.solution, 20_000));
        let solution_on = e.check(
            "solution_on",
            parse_optional_date(&self.solution_on).and_then(|d| d.map(|d| not_after(d, today)).transpose()),
        );
        if status.is_some_and(DifficultyStatus::answered) {
            if solution == Some(None) {
                e.add("solution", "err-region-solution-required");
            }
            if solution_on == Some(None) {
                e.add("solution_on", "err-required");
            }
        }
        match (status, solution, solution_on) {
            (Some(status), Some(solution), Some(solution_on)) if e.is_empty() => {
                Ok(AnswerInput { status, solution, solution_on })
            }
            _ => Err(e),
        }
    }
}

/// One difficulty with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difficulty {
    pub id: Uuid,
    pub raised_by_tenant: Uuid,
    /// The municipality's or county's name.
    pub raised_by_name: String,
    pub raised_by_teryt: String,
    pub raised_on: Date,
    pub title: String,
    pub description: String,
    pub status: DifficultyStatus,
    pub solution: Option<String>,
    pub solution_on: Option<Date>,
    pub version: i64,
}

// --- Announcements ---

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AnnouncementDraft {
    pub text: String,
    pub shown_from: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementInput {
    pub text: String,
    pub shown_from: Date,
    pub expires_on: Date,
}

impl AnnouncementDraft {
    /// One line of at most [`ANNOUNCEMENT_MAX_CHARS`]; it expires on a day not before it is first shown nor before
    /// `today` (an announcement already expired would never be seen).
    pub fn validate(&self, today: Date) -> Result<AnnouncementInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = e.check(
            "text",
            domain::tenant::parse_name(&self.text).and_then(|t| {
                if t.chars().count() > ANNOUNCEMENT_MAX_CHARS { Err("err-region-announcement-too-long") } else { Ok(t) }
            }),
        );
        let shown_from = e.check("shown_from", parse_date(&self.shown_from).and_then(not_before_first_year));
        let expires_on = e.check("expires_on", parse_date(&self.expires_on));
        if let Some(expires) = expires_on {
            if expires < today {
                e.add("expires_on", "err-region-expires-in-past");
            } else if shown_from.is_some_and(|from| expires < from) {
                e.add("expires_on", "err-period-end-before-start");
            }
        }
        match (text, shown_from, expires_on) {
            (Some(text), Some(shown_from), Some(expires_on)) if e.is_empty() => {
                Ok(AnnouncementInput { text, shown_from, expires_on })
            }
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Announcement {
    pub id: Uuid,
    pub text: String,
    pub shown_from: Date,
    pub expires_on: Date,
}

fn not_after(d: Date, today: Date) -> Result<Date, &'static str> {
    if d > today { Err("err-date-in-future") } else { Ok(d) }
}

fn not_before_first_year(d: Date) -> Result<Date, &'static str> {
    if d.year() < FIRST_YEAR { Err("err-region-year") } else { Ok(d) }
}

fn corrupt<T>(what: &str, value: &str) -> impl FnOnce(T) -> StoreError {
    let message = format!("stored {what} {value:?}");
    move |_| StoreError::Corrupt(message)
}

type MemberRow = (Uuid, String, String, Vec<u8>, Option<Uuid>, String, Option<String>, i64);
type MeetingRow = (Uuid, String, String, Vec<u8>, Option<String>, i64);
type PracticeRow = (Uuid, String, String, Option<String>, String, Option<String>, Option<String>, i32, String, i64);
type DifficultyRow = (Uuid, Uuid, String, String, String, String, String, String, Option<String>, Option<String>, i64);

impl Store {
    /// The account's place on its voivodeship's platform; `NotFound` without `ViewPlatform` or without a platform.
    pub async fn platform_seat(&self, principal: &Principal) -> Result<PlatformSeat, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let seat = seat_in(&mut tx, principal, Permission::ViewPlatform, self.today()).await?;
        tx.commit().await?;
        Ok(seat)
    }

    // --- The group ---

    /// Adds a member to the regional group (the region only).
    pub async fn add_group_member(&self, caller: &Caller<'_>, input: &GroupMemberInput) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        check_expert_account(&mut tx, seat.region, input.account_id).await?;
        let id = Uuid::now_v7();
        let sealed =
            self.seal_platform(&mut tx, seat.region, "region_group_member.details", id, &input.details).await?;
        let now = ts(self.now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_group_member (id, tenant_id, level, institution, details_enc, joined_on, left_on, \
               created_at, updated_at, account_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)")
            .bind(id).bind(seat.region).bind(input.level.as_str()).bind(&input.institution).bind(sealed)
            .bind(date_text(input.joined_on)).bind(input.left_on.map(date_text)).bind(now).bind(input.account_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "region_group_member", id).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(id)
    }

    /// Changes a member read at `expected_version` (the region only); leaving the group is a change like any other.
    pub async fn update_group_member(
        &self,
        caller: &Caller<'_>,
        member: Uuid,
        input: &GroupMemberInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        MEMBER.check_version(&mut tx, member, seat.region, expected_version).await?;
        check_expert_account(&mut tx, seat.region, input.account_id).await?;
        let sealed =
            self.seal_platform(&mut tx, seat.region, "region_group_member.details", member, &input.details).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE region_group_member SET level = $3, institution = $4, details_enc = $5, joined_on = $6, \
               left_on = $7, updated_at = $8, version = version + 1, account_id = $10 \
             WHERE id = $1 AND tenant_id = $2 AND version = $9")
            .bind(member).bind(seat.region).bind(input.level.as_str()).bind(&input.institution).bind(sealed)
            .bind(date_text(input.joined_on)).bind(input.left_on.map(date_text)).bind(ts(self.now()))
            .bind(expected_version).bind(input.account_id).execute(c).await.map(|r| r.rows_affected()))?;
        MEMBER.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "region_group_member", member).in_tenant(Some(seat.region)),
        )
        .await
    }

    /// The regional group (current members first), decrypted; the read is audited. The region's and the counties'
    /// accounts only.
    pub async fn region_group(&self, caller: &Caller<'_>) -> Result<Vec<GroupMember>, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = seat_in(&mut tx, caller.principal, Permission::ViewPlatform, self.today()).await?;
        if !seat.sees_group() {
            return Err(StoreError::NotFound);
        }
        let members = self.members_of(&mut tx, seat.region).await?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "region_group_member", "list").in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(members)
    }

    async fn members_of(&self, tx: &mut Tx, region: Uuid) -> Result<Vec<GroupMember>, StoreError> {
        let rows: Vec<MemberRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, level, institution, details_enc, account_id, joined_on, left_on, version \
             FROM region_group_member WHERE tenant_id = $1 \
             ORDER BY left_on IS NOT NULL, CASE level WHEN 'region' THEN 0 WHEN 'county' THEN 1 \
               WHEN 'police' THEN 2 WHEN 'municipality' THEN 3 ELSE 4 END, institution, id")
            .bind(region).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, region, self.now()).await?;
        rows.into_iter()
            .map(|(id, level, institution, sealed, account_id, joined_on, left_on, version)| {
                let json = keys.decrypt_bytes("region_group_member.details", id, &sealed)?;
                let details: GroupMemberDetails =
                    serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("group member", &e))?;
                Ok(GroupMember {
                    id,
                    details,
                    level: GroupLevel::parse(&level).map_err(corrupt("group level", &level))?,
                    institution,
                    account_id,
                    joined_on: text_date(&joined_on)?,
                    left_on: left_on.as_deref().map(text_date).transpose()?,
                    version,
                })
            })
            .collect()
    }

    // --- Meetings ---

    /// Plans a meeting of the group, or types in one held (the region only).
    pub async fn plan_region_meeting(&self, caller: &Caller<'_>, input: &MeetingInput) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        let id = Uuid::now_v7();
        let sealed = self.seal_platform(&mut tx, seat.region, "region_meeting.body", id, &input.texts).await?;
        let now = ts(self.now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_meeting (id, tenant_id, held_on, mode, body_enc, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(id).bind(seat.region).bind(date_text(input.held_on)).bind(input.mode.as_str()).bind(sealed)
            .bind(caller.principal.account_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "region_meeting", id).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(id)
    }

    /// Records a held meeting's minutes and who of the group attended (the region only). A meeting ahead has no
    /// minutes yet (`err-region-minutes-before-meeting`); only the group's members can be marked present.
    pub async fn record_region_minutes(
        &self,
        caller: &Caller<'_>,
        meeting: Uuid,
        minutes: &str,
        attended: &[Uuid],
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let minutes = parse_optional_text(minutes, 50_000)
            .and_then(|m| m.ok_or("err-required"))
            .map_err(|code| StoreError::invalid("minutes", code))?;
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        let mut found = self.meetings_of(&mut tx, seat.region, Some(meeting)).await?;
        let Some(mut current) = found.pop() else { return Err(StoreError::NotFound) };
        MEETING.check_read(current.version, expected_version)?;
        let today = self.today();
        if current.held_on > today {
            return Err(StoreError::invalid("minutes", "err-region-minutes-before-meeting"));
        }
        let members = self.members_of(&mut tx, seat.region).await?;
        if attended.iter().any(|a| !members.iter().any(|m| m.id == *a)) {
            return Err(StoreError::invalid("attended", "err-choice-unknown"));
        }
        current.texts.minutes = Some(minutes);
        let sealed = self.seal_platform(&mut tx, seat.region, "region_meeting.body", meeting, &current.texts).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE region_meeting SET body_enc = $3, minutes_recorded_on = $4, updated_at = $5, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $6")
            .bind(meeting).bind(seat.region).bind(sealed).bind(date_text(today)).bind(ts(self.now()))
            .bind(expected_version).execute(c).await.map(|r| r.rows_affected()))?;
        MEETING.changed(n)?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM region_meeting_attendance WHERE meeting_id = $1")
            .bind(meeting).execute(c).await.map(|r| r.rows_affected()))?;
        for member in attended {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO region_meeting_attendance (meeting_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(meeting).bind(*member).execute(c).await.map(|r| r.rows_affected()))?;
        }
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "region_meeting", meeting).in_tenant(Some(seat.region)),
        )
        .await
    }

    /// The group's meetings, newest first, decrypted; the read is audited. The region's and the counties' accounts.
    pub async fn region_meetings(&self, caller: &Caller<'_>) -> Result<Vec<RegionMeeting>, StoreError> {
        self.read_meetings(caller, None).await
    }

    /// One meeting, decrypted; the read is audited.
    pub async fn region_meeting(&self, caller: &Caller<'_>, meeting: Uuid) -> Result<RegionMeeting, StoreError> {
        self.read_meetings(caller, Some(meeting)).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn read_meetings(&self, caller: &Caller<'_>, only: Option<Uuid>) -> Result<Vec<RegionMeeting>, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = seat_in(&mut tx, caller.principal, Permission::ViewPlatform, self.today()).await?;
        if !seat.sees_group() {
            return Err(StoreError::NotFound);
        }
        let meetings = self.meetings_of(&mut tx, seat.region, only).await?;
        if only.is_some() && meetings.is_empty() {
            return Err(StoreError::NotFound);
        }
        let object = only.map_or_else(|| "list".to_owned(), |id| id.to_string());
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::ReadPersonalData, "region_meeting", object).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(meetings)
    }

    async fn meetings_of(
        &self,
        tx: &mut Tx,
        region: Uuid,
        only: Option<Uuid>,
    ) -> Result<Vec<RegionMeeting>, StoreError> {
        let rows: Vec<MeetingRow> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, held_on, mode, body_enc, minutes_recorded_on, version FROM region_meeting \
             WHERE tenant_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY held_on DESC, id DESC")
            .bind(region).bind(only).fetch_all(c).await)?;
        let attendance: Vec<(Uuid, Uuid)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT a.meeting_id, a.member_id FROM region_meeting_attendance a \
             JOIN region_meeting m ON m.id = a.meeting_id WHERE m.tenant_id = $1 AND ($2 IS NULL OR m.id = $2)")
            .bind(region).bind(only).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, region, self.now()).await?;
        rows.into_iter()
            .map(|(id, held_on, mode, sealed, minutes_on, version)| {
                let json = keys.decrypt_bytes("region_meeting.body", id, &sealed)?;
                let texts: MeetingTexts =
                    serde_json::from_slice(&json).map_err(|e| StoreError::corrupt_json("region meeting", &e))?;
                Ok(RegionMeeting {
                    id,
                    held_on: text_date(&held_on)?,
                    mode: MeetingMode::parse(&mode).map_err(corrupt("meeting mode", &mode))?,
                    texts,
                    minutes_recorded_on: minutes_on.as_deref().map(text_date).transpose()?,
                    attended: attendance.iter().filter(|(m, _)| *m == id).map(|(_, member)| *member).collect(),
                    version,
                })
            })
            .collect()
    }

    // --- The library ---

    /// Adds a document of good practice (the region only).
    pub async fn add_practice(&self, caller: &Caller<'_>, input: &PracticeInput) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        let id = Uuid::now_v7();
        let now = ts(self.now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_practice (id, tenant_id, title, summary, link, tags, municipality, year, audience, \
               created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)")
            .bind(id).bind(seat.region).bind(&input.title).bind(&input.summary).bind(input.link.as_deref())
            .bind(input.tags.join(" ")).bind(input.municipality.as_deref()).bind(i32::from(input.year))
            .bind(input.audience.as_str()).bind(caller.principal.account_id).bind(now)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "region_practice", id).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(id)
    }

    /// The library as the account's level may read it, newest year first; `tag` narrows it to one tag.
    pub async fn practices(&self, principal: &Principal, tag: Option<&str>) -> Result<Vec<Practice>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let seat = seat_in(&mut tx, principal, Permission::ViewPlatform, self.today()).await?;
        let audiences: Vec<&str> =
            Audience::ALL.into_iter().filter(|a| a.admits(seat.level)).map(Audience::as_str).collect();
        let rows: Vec<PracticeRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT p.id, p.title, p.summary, p.link, p.tags, p.municipality, t.name, p.year, p.audience, p.version \
             FROM region_practice p LEFT JOIN tenant t ON t.teryt = p.municipality \
             WHERE p.tenant_id = $1 AND p.audience IN ($2, $3, $4) ORDER BY p.year DESC, p.title, p.id")
            .bind(seat.region).bind(audiences.first().copied().unwrap_or("-"))
            .bind(audiences.get(1).copied().unwrap_or("-")).bind(audiences.get(2).copied().unwrap_or("-"))
            .fetch_all(c).await)?;
        tx.commit().await?;
        let tag = tag.map(str::trim).filter(|t| !t.is_empty()).map(str::to_lowercase);
        let mut out = Vec::with_capacity(rows.len());
        for (id, title, summary, link, tags, municipality, municipality_name, year, audience, version) in rows {
            let tags: Vec<String> = tags.split_whitespace().map(str::to_owned).collect();
            if tag.as_ref().is_some_and(|t| !tags.contains(t)) {
                continue;
            }
            out.push(Practice {
                id,
                title,
                summary,
                link,
                tags,
                municipality,
                municipality_name,
                year: i16::try_from(year).map_err(corrupt("practice year", &year.to_string()))?,
                audience: Audience::parse(&audience).map_err(corrupt("audience", &audience))?,
                version,
            });
        }
        Ok(out)
    }

    // --- Difficulties ---

    /// A municipality's team or a county raises a key difficulty with its region. No case data: the form says so.
    pub async fn raise_difficulty(&self, caller: &Caller<'_>, input: &DifficultyInput) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = seat_in(&mut tx, caller.principal, Permission::ViewPlatform, self.today()).await?;
        if !seat.raises || seat.level == TerritorialLevel::Region {
            return Err(StoreError::NotFound);
        }
        let id = Uuid::now_v7();
        let now = ts(self.now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_difficulty (id, tenant_id, raised_by_tenant, raised_by, raised_on, title, description, \
               status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'raised', $8, $8)")
            .bind(id).bind(seat.region).bind(seat.tenant).bind(caller.principal.account_id).bind(date_text(input.raised_on))
            .bind(&input.title).bind(&input.description).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "region_difficulty", id).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(id)
    }

    /// The region answers a difficulty read at `expected_version`: its status and the common solution (or the reason
    /// it is declined), dated not before the day it was raised.
    pub async fn answer_difficulty(
        &self,
        caller: &Caller<'_>,
        difficulty: Uuid,
        input: &AnswerInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        let raised: Option<(String, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT raised_on, version FROM region_difficulty WHERE id = $1 AND tenant_id = $2")
            .bind(difficulty).bind(seat.region).fetch_optional(c).await)?;
        let Some((raised_on, version)) = raised else { return Err(StoreError::NotFound) };
        DIFFICULTY.check_read(version, expected_version)?;
        let raised_on = text_date(&raised_on)?;
        if input.solution_on.is_some_and(|d| d < raised_on) {
            return Err(StoreError::invalid("solution_on", "err-region-solution-before-raised"));
        }
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE region_difficulty SET status = $3, solution = $4, solution_on = $5, updated_at = $6, \
               version = version + 1 WHERE id = $1 AND tenant_id = $2 AND version = $7")
            .bind(difficulty).bind(seat.region).bind(input.status.as_str()).bind(input.solution.as_deref())
            .bind(input.solution_on.map(date_text)).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        DIFFICULTY.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "region_difficulty", difficulty).in_tenant(Some(seat.region)),
        )
        .await
    }

    /// The difficulties the account may read (see the module's guarantees), newest first.
    pub async fn difficulties(&self, principal: &Principal) -> Result<Vec<Difficulty>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let seat = seat_in(&mut tx, principal, Permission::ViewPlatform, self.today()).await?;
        // The region reads all; a county its own and its municipalities' (codes starting with its 4 digits); a
        // municipality its own; everyone the solved ones.
        let (prefix, own) = match seat.level {
            TerritorialLevel::Region => (format!("{}%", seat.region_code), seat.tenant),
            TerritorialLevel::County => (format!("{}%", seat.teryt), seat.tenant),
            TerritorialLevel::Municipality => ("-".to_owned(), seat.tenant),
        };
        let rows: Vec<DifficultyRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT d.id, d.raised_by_tenant, t.name, t.teryt, d.raised_on, d.title, d.description, d.status, \
               d.solution, d.solution_on, d.version \
             FROM region_difficulty d JOIN tenant t ON t.id = d.raised_by_tenant \
             WHERE d.tenant_id = $1 AND (d.raised_by_tenant = $2 OR t.teryt LIKE $3 OR d.status = 'solved') \
             ORDER BY d.raised_on DESC, d.id DESC")
            .bind(seat.region).bind(own).bind(prefix).fetch_all(c).await)?;
        tx.commit().await?;
        rows.into_iter()
            .map(|r| {
                Ok(Difficulty {
                    id: r.0,
                    raised_by_tenant: r.1,
                    raised_by_name: r.2,
                    raised_by_teryt: r.3,
                    raised_on: text_date(&r.4)?,
                    title: r.5,
                    description: r.6,
                    status: DifficultyStatus::parse(&r.7).map_err(corrupt("difficulty status", &r.7))?,
                    solution: r.8,
                    solution_on: r.9.as_deref().map(text_date).transpose()?,
                    version: r.10,
                })
            })
            .collect()
    }

    // --- Announcements ---

    /// Publishes a one-line announcement to the voivodeship's counties and municipalities (the region only).
    pub async fn publish_announcement(
        &self,
        caller: &Caller<'_>,
        input: &AnnouncementInput,
    ) -> Result<Uuid, StoreError> {
        let mut tx = self.db.begin().await?;
        let seat = managing_seat(&mut tx, caller.principal, self.today()).await?;
        let id = Uuid::now_v7();
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_announcement (id, tenant_id, text, shown_from, expires_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(seat.region).bind(&input.text).bind(date_text(input.shown_from))
            .bind(date_text(input.expires_on)).bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "region_announcement", id).in_tenant(Some(seat.region)),
        )
        .await?;
        Ok(id)
    }

    /// The region's announcements not yet expired (those ahead too), for the platform's page.
    pub async fn announcements(&self, principal: &Principal) -> Result<Vec<Announcement>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let seat = seat_in(&mut tx, principal, Permission::ViewPlatform, self.today()).await?;
        let rows: Vec<(Uuid, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, text, shown_from, expires_on FROM region_announcement \
             WHERE tenant_id = $1 AND expires_on >= $2 ORDER BY shown_from DESC, id DESC")
            .bind(seat.region).bind(date_text(self.today())).fetch_all(c).await)?;
        tx.commit().await?;
        announcements_of(rows)
    }

    /// What the home page shows the account: its voivodeship's announcements shown today and not dismissed by it.
    /// Any account of a tenant in a voivodeship with a platform (a team's every member, not only its staff); none for
    /// an account without a tenant or without a platform.
    pub async fn home_announcements(&self, principal: &Principal) -> Result<Vec<Announcement>, StoreError> {
        let Some(teryt) = principal.tenant_teryt.as_deref() else { return Ok(Vec::new()) };
        let Some(region_code) = teryt.get(..2) else { return Ok(Vec::new()) };
        let today = date_text(self.today());
        let rows: Vec<(Uuid, String, String, String)> = crate::db::on_pool!(&self.db, p => sqlx::query_as(
            "SELECT a.id, a.text, a.shown_from, a.expires_on FROM region_announcement a \
             JOIN tenant r ON r.id = a.tenant_id \
             WHERE r.teryt = $1 AND a.shown_from <= $2 AND a.expires_on >= $2 \
               AND NOT EXISTS (SELECT 1 FROM region_announcement_dismissal d \
                               WHERE d.announcement_id = a.id AND d.account_id = $3) \
             ORDER BY a.shown_from DESC, a.id DESC")
            .bind(region_code).bind(today).bind(principal.account_id).fetch_all(p).await)?;
        announcements_of(rows)
    }

    /// The account no longer sees the announcement on its home page. `NotFound` for an announcement of another
    /// voivodeship.
    pub async fn dismiss_announcement(&self, caller: &Caller<'_>, announcement: Uuid) -> Result<(), StoreError> {
        let region_code =
            caller.principal.tenant_teryt.as_deref().and_then(|t| t.get(..2)).ok_or(StoreError::NotFound)?;
        let mut tx = self.db.begin().await?;
        let found: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.tenant_id FROM region_announcement a JOIN tenant r ON r.id = a.tenant_id \
             WHERE a.id = $1 AND r.teryt = $2")
            .bind(announcement).bind(region_code).fetch_optional(c).await)?;
        let Some((region,)) = found else { return Err(StoreError::NotFound) };
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO region_announcement_dismissal (announcement_id, account_id, dismissed_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING")
            .bind(announcement).bind(caller.principal.account_id).bind(ts(self.now()))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "region_announcement", announcement)
                .in_tenant(Some(region))
                .detail("dismissed"),
        )
        .await
    }

    async fn seal_platform<T: Serialize>(
        &self,
        tx: &mut Tx,
        region: Uuid,
        column: &str,
        id: Uuid,
        value: &T,
    ) -> Result<Vec<u8>, StoreError> {
        let keys = self.keys.scope_keys(tx, region, self.now()).await?;
        let json = serde_json::to_vec(value).map_err(|e| StoreError::Internal(e.to_string()))?;
        keys.encrypt_bytes(column, id, &json)
    }
}

fn announcements_of(rows: Vec<(Uuid, String, String, String)>) -> Result<Vec<Announcement>, StoreError> {
    rows.into_iter()
        .map(|(id, text, from, until)| {
            Ok(Announcement { id, text, shown_from: text_date(&from)?, expires_on: text_date(&until)? })
        })
        .collect()
}

/// The account's seat, if `permission` is among its roles' and its voivodeship has a tenant; else `NotFound`.
async fn seat_in(
    tx: &mut Tx,
    principal: &Principal,
    permission: Permission,
    today: Date,
) -> Result<PlatformSeat, StoreError> {
    if !principal.roles.permits(permission) {
        return Err(StoreError::NotFound);
    }
    let (Some(tenant), Some(teryt)) = (principal.tenant_id, principal.tenant_teryt.clone()) else {
        return Err(StoreError::NotFound);
    };
    let region_code = teryt.get(..2).ok_or(StoreError::NotFound)?.to_owned();
    let region: Option<(Uuid, String, bool)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, name, is_demo FROM tenant WHERE teryt = $1")
        .bind(&region_code).fetch_optional(c).await)?;
    let Some((region, region_name, region_is_demo)) = region else { return Err(StoreError::NotFound) };
    // A demo account never reaches a real region's platform (nor a real account a demo one's: it would not be there).
    if !principal.may_act_on(region_is_demo) {
        return Err(StoreError::NotFound);
    }
    // An invited expert's account reaches the platform only while the expert is in the group: the entry linked to
    // the account, joined and not yet left. A member who left keeps no door open.
    let only_as_expert = principal.roles.contains(Role::RegionalExpert)
        && !principal.roles.iter().any(|r| r != Role::RegionalExpert && r.grants(permission));
    if only_as_expert {
        let today = date_text(today);
        let current: Option<(i32,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT 1 FROM region_group_member WHERE tenant_id = $1 AND account_id = $2 AND joined_on <= $3 \
               AND (left_on IS NULL OR left_on > $3) LIMIT 1")
            .bind(region).bind(principal.account_id).bind(&today).fetch_optional(c).await)?;
        if current.is_none() {
            return Err(StoreError::NotFound);
        }
    }
    let level = TerritorialLevel::of_code(&teryt);
    Ok(PlatformSeat {
        region,
        region_name,
        region_code,
        tenant,
        level,
        manages: level == TerritorialLevel::Region && principal.roles.permits(Permission::ManagePlatform),
        raises: level != TerritorialLevel::Region && principal.roles.permits(Permission::RaiseDifficulty),
        teryt,
    })
}

/// A group entry links only to an invited expert's account of the region's own installation.
async fn check_expert_account(tx: &mut Tx, region: Uuid, account: Option<Uuid>) -> Result<(), StoreError> {
    let Some(account) = account else { return Ok(()) };
    let found: Option<(i32,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT 1 FROM account a JOIN account_role r ON r.account_id = a.id \
         WHERE a.id = $1 AND a.tenant_id = $2 AND r.role = $3")
        .bind(account).bind(region).bind(Role::RegionalExpert.as_str()).fetch_optional(c).await)?;
    if found.is_none() {
        return Err(StoreError::invalid("account", "err-region-account-not-expert"));
    }
    Ok(())
}

impl Store {
    /// The region's invited experts' accounts, for the group entry's choice: (id, login), by login. The region's
    /// coordinator only.
    pub async fn region_expert_accounts(&self, principal: &Principal) -> Result<Vec<(Uuid, String)>, StoreError> {
        let mut tx = self.db.begin_read().await?;
        let seat = managing_seat(&mut tx, principal, self.today()).await?;
        let rows: Vec<(Uuid, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT a.id, a.login FROM account a JOIN account_role r ON r.account_id = a.id \
             WHERE a.tenant_id = $1 AND r.role = $2 ORDER BY a.login")
            .bind(seat.region).bind(Role::RegionalExpert.as_str()).fetch_all(c).await)?;
        tx.commit().await?;
        Ok(rows)
    }
}

/// The seat of an account that keeps the platform: the region's coordinator; `NotFound` for anyone else.
async fn managing_seat(tx: &mut Tx, principal: &Principal, today: Date) -> Result<PlatformSeat, StoreError> {
    let seat = seat_in(tx, principal, Permission::ManagePlatform, today).await?;
    if seat.manages { Ok(seat) } else { Err(StoreError::NotFound) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn an_announcement_is_one_short_line_that_expires_after_it_starts_and_not_in_the_past() {
        let today = day("2026-12-06");
        let ok = AnnouncementDraft {
            text: "Spotkanie grupy 15 stycznia".into(),
            shown_from: "2026-12-06".into(),
            expires_on: "2027-01-15".into(),
        };
        assert!(ok.validate(today).is_ok());
        let long = AnnouncementDraft { text: "x".repeat(ANNOUNCEMENT_MAX_CHARS + 1), ..ok.clone() };
        assert_eq!(long.validate(today).unwrap_err().for_field("text"), Some("err-region-announcement-too-long"));
        let past = AnnouncementDraft { expires_on: "2026-12-05".into(), shown_from: "2026-12-01".into(), ..ok.clone() };
        assert_eq!(past.validate(today).unwrap_err().for_field("expires_on"), Some("err-region-expires-in-past"));
        let inverted = AnnouncementDraft { shown_from: "2027-02-01".into(), ..ok };
        assert_eq!(inverted.validate(today).unwrap_err().for_field("expires_on"), Some("err-period-end-before-start"));
    }

    #[test]
    fn a_difficulty_is_not_raised_in_the_future_and_an_answer_needs_its_solution_and_day() {
        let today = day("2026-12-06");
        let d = DifficultyDraft {
            title: "Brak psychologa".into(),
            description: "Opis".into(),
            raised_on: "2026-12-07".into(),
        };
        assert_eq!(d.validate(today).unwrap_err().for_field("raised_on"), Some("err-date-in-future"));
        let a = AnswerDraft { status: "solved".into(), solution: String::new(), solution_on: String::new() };
        let e = a.validate(today).unwrap_err();
        assert_eq!(e.for_field("solution"), Some("err-region-solution-required"));
        assert_eq!(e.for_field("solution_on"), Some("err-required"));
        let progress = AnswerDraft { status: "in_progress".into(), ..a };
        assert!(progress.validate(today).is_ok());
    }

    #[test]
    fn a_remote_meeting_needs_its_link_and_a_member_cannot_leave_before_joining() {
        let m = MeetingDraft {
            topic: "Spotkanie".into(),
            held_on: "2027-01-15".into(),
            mode: "remote".into(),
            ..Default::default()
        };
        assert_eq!(m.validate().unwrap_err().for_field("remote_link"), Some("err-region-remote-link-required"));
        let m = MeetingDraft { remote_link: "https://meet.example/abc".into(), ..m };
        assert!(m.validate().is_ok(), "a meeting may be planned ahead");
        let g = GroupMemberDraft {
            full_name: "Anna Nowak".into(),
            level: "county".into(),
            institution: "PCPR".into(),
            joined_on: "2026-03-01".into(),
            left_on: "2026-02-01".into(),
            ..Default::default()
        };
        assert_eq!(
            g.validate(day("2026-12-06")).unwrap_err().for_field("left_on"),
            Some("err-region-left-before-joined")
        );
    }

    #[test]
    fn tags_municipality_and_year_of_a_practice_are_checked() {
        let today = day("2026-12-06");
        let p = PracticeDraft {
            title: "Procedura".into(),
            summary: "Tekst".into(),
            tags: "Dzieci, szkoła dzieci".into(),
            municipality: "1099011".into(),
            year: "2025".into(),
            audience: "all".into(),
            ..Default::default()
        };
        let ok = p.validate(today, "10").unwrap();
        assert_eq!(ok.tags, vec!["dzieci".to_owned(), "szkoła".to_owned()]);
        assert_eq!(p.validate(today, "12").unwrap_err().for_field("municipality"), Some("err-region-municipality"));
        let future = PracticeDraft { year: "2027".into(), ..p };
        assert_eq!(future.validate(today, "10").unwrap_err().for_field("year"), Some("err-region-year-in-future"));
        assert!(!Audience::Counties.admits(TerritorialLevel::Municipality));
        assert!(Audience::All.admits(TerritorialLevel::Municipality));
    }
}
