//! The directory of help (baza instytucji i form wsparcia): institutions and the help they give, kept by the team's
//! staff, reviewed yearly, and published on the public `/pomoc` page. It describes institutions, not persons, so it
//! is kept in clear and its public part is read without a login.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{
    HelpKind, help_kinds_key, parse_date, parse_email, parse_help_kinds, parse_languages, parse_optional_text,
    parse_website,
};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DIRECTORY_ENTRY;
use super::{date_text, scope, text_date};
use crate::db::{on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Store, StoreError, ts};

/// An entry of the directory of help as typed (form or JSON), before validation. The name and the day it was last
/// checked are required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DirectoryDraft {
    pub name: String,
    /// The institution of the municipality this entry describes (its id), if any.
    pub institution_id: String,
    /// psychological, legal, social, medical, shelter, crisis_intervention, helpline,
    /// programme_for_persons_using_violence, addiction, family, police, other (keys of `domain::team::HelpKind`).
    pub help_kinds: Vec<String>,
    pub address: String,
    pub opening_hours: String,
    pub phone: String,
    pub email: String,
    /// An http or https address.
    pub website: String,
    /// ISO 639-1 codes separated by spaces or commas.
    pub languages: String,
    pub accessibility: String,
    pub description: String,
    /// Shown in the public directory of help (`/pomoc`).
    pub is_public: bool,
    /// YYYY-MM-DD, not in the future.
    pub last_checked_on: String,
}

/// A validated entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryInput {
    pub name: String,
    pub institution_id: Option<Uuid>,
    pub help_kinds: Vec<HelpKind>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub accessibility: Option<String>,
    pub description: Option<String>,
    pub is_public: bool,
    pub last_checked_on: Date,
}

impl DirectoryDraft {
    pub fn validate(&self, today: Date) -> Result<DirectoryInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", domain::tenant::parse_name(&self.name));
        let institution_id = e.check(
            "institution_id",
            match self.institution_id.trim() {
                "" => Ok(None),
                s => s.parse().map(Some).map_err(|_| "err-choice-unknown"),
            },
        );
        let help_kinds = e.check("help_kinds", parse_help_kinds(self.help_kinds.iter().map(String::as_str)));
        let address = e.check("address", parse_optional_text(&self.address, 300));
        let opening_hours = e.check("opening_hours", parse_optional_text(&self.opening_hours, 300));
        let phone = e.check("phone", parse_optional_text(&self.phone, 60));
        let email = e.check("email", parse_email(&self.email));
        let website = e.check("website", parse_website(&self.website));
        let languages = e.check("languages", parse_languages(&self.languages));
        let accessibility = e.check("accessibility", parse_optional_text(&self.accessibility, 500));
        let description = e.check("description", parse_optional_text(&self.description, 2000));
        let last_checked_on = e.check("last_checked_on", parse_date(&self.last_checked_on));
        if last_checked_on.is_some_and(|d| d > today) {
            e.add("last_checked_on", "err-date-in-future");
        }
        if !e.is_empty() {
            return Err(e);
        }
        match (
            name,
            institution_id,
            help_kinds,
            address,
            opening_hours,
            phone,
            email,
            website,
            languages,
            accessibility,
            description,
            last_checked_on,
        ) {
            (
                Some(name),
                Some(institution_id),
                Some(help_kinds),
                Some(address),
                Some(opening_hours),
                Some(phone),
                Some(email),
                Some(website),
                Some(languages),
                Some(accessibility),
                Some(description),
                Some(last_checked_on),
            ) => Ok(DirectoryInput {
                name,
                institution_id,
                help_kinds,
                address,
                opening_hours,
                phone,
                email,
                website,
                languages,
                accessibility,
                description,
                is_public: self.is_public,
                last_checked_on,
            }),
            _ => Err(e),
        }
    }
}

/// One entry of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryEntry {
    pub id: Uuid,
    pub institution_id: Option<Uuid>,
    pub name: String,
    pub help_kinds: Vec<HelpKind>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub accessibility: Option<String>,
    pub description: Option<String>,
    pub is_public: bool,
    pub last_checked_on: Date,
    pub archived: bool,
    /// The key of a national helpline seeded into every municipality's directory (`NATIONAL_HELPLINES`), `None` for
    /// the team's own entries.
    pub national_key: Option<String>,
    #[serde(skip)]
    pub version: i64,
}

impl DirectoryEntry {
    pub fn to_draft(&self) -> DirectoryDraft {
        DirectoryDraft {
            name: self.name.clone(),
            institution_id: self.institution_id.map(|u| u.to_string()).unwrap_or_default(),
            help_kinds: self.help_kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            address: self.address.clone().unwrap_or_default(),
            opening_hours: self.opening_hours.clone().unwrap_or_default(),
            phone: self.phone.clone().unwrap_or_default(),
            email: self.email.clone().unwrap_or_default(),
            website: self.website.clone().unwrap_or_default(),
            languages: self.languages.join(" "),
            accessibility: self.accessibility.clone().unwrap_or_default(),
            description: self.description.clone().unwrap_or_default(),
            is_public: self.is_public,
            last_checked_on: self.last_checked_on.to_string(),
        }
    }

    pub fn review_overdue(&self, today: Date) -> bool {
        domain::team::directory_review_overdue(self.last_checked_on, today)
    }
}

/// Something that still points at an institution, so it may not be removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstitutionDependent {
    /// team_member or help_directory_entry
    pub kind: &'static str,
    pub id: Uuid,
    /// What to show: the entry's name; for a member only the function (no personal data here).
    pub label: String,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    institution_id: Option<Uuid>,
    name: String,
    help_kinds: String,
    address: Option<String>,
    opening_hours: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    languages: Option<String>,
    accessibility: Option<String>,
    description: Option<String>,
    is_public: bool,
    last_checked_on: String,
    archived: bool,
    national_key: Option<String>,
    version: i64,
}

impl EntryRow {
    fn into_entry(self) -> Result<DirectoryEntry, StoreError> {
        let help_kinds = self.help_kinds.split(' ').filter_map(|k| HelpKind::parse(k).ok()).collect();
        Ok(DirectoryEntry {
            id: self.id,
            institution_id: self.institution_id,
            name: self.name,
            help_kinds,
            address: self.address,
            opening_hours: self.opening_hours,
            phone: self.phone,
            email: self.email,
            website: self.website,
            languages: self
                .languages
                .unwrap_or_default()
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            accessibility: self.accessibility,
            description: self.description,
            is_public: self.is_public,
            last_checked_on: text_date(&self.last_checked_on)?,
            archived: self.archived,
            national_key: self.national_key,
            version: self.version,
        })
    }
}

const ENTRY_COLUMNS: &str = "id, institution_id, name, help_kinds, address, opening_hours, phone, email, website, \
     languages, accessibility, description, is_public, last_checked_on, archived_at IS NOT NULL AS archived, national_key, \
     version";

fn languages_text(input: &DirectoryInput) -> Option<String> {
    (!input.languages.is_empty()).then(|| input.languages.join(" "))
}

impl Store {
    /// Adds an entry to the directory.
    pub async fn create_directory_entry(
        &self,
        caller: &Caller<'_>,
        input: &DirectoryInput,
    ) -> Result<Uuid, StoreError> {
        let tenant = scope(caller.principal, Permission::ManageDirectory)?;
        let id = Uuid::now_v7();
        let now = self.now();
        let mut tx = self.db.begin().await?;
        check_institution(&mut tx, tenant, input.institution_id).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO help_directory_entry (id, tenant_id, institution_id, name, help_kinds, address, opening_hours, \
               phone, email, website, languages, accessibility, description, is_public, last_checked_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16)")
            .bind(id).bind(tenant).bind(input.institution_id).bind(&input.name).bind(help_kinds_key(&input.help_kinds))
            .bind(&input.address).bind(&input.opening_hours).bind(&input.phone).bind(&input.email).bind(&input.website)
            .bind(languages_text(input)).bind(&input.accessibility).bind(&input.description).bind(input.is_public)
            .bind(date_text(input.last_checked_on)).bind(ts(now))
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Create, "help_directory_entry", id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(id)
    }

    /// Changes an entry read at `expected_version`.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "update_directory_entry", entry = %entry_id))]
    pub async fn update_directory_entry(
        &self,
        caller: &Caller<'_>,
        entry_id: Uuid,
        input: &DirectoryInput,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageDirectory)?;
        let mut tx = self.db.begin().await?;
        DIRECTORY_ENTRY.check_version(&mut tx, entry_id, tenant, expected_version).await?;
        check_institution(&mut tx, tenant, input.institution_id).await?;
        let n = on_tx!(&mut tx, c => sqlx::query(
            "UPDATE help_directory_entry SET institution_id = $3, name = $4, help_kinds = $5, address = $6, \
               opening_hours = $7, phone = $8, email = $9, website = $10, languages = $11, accessibility = $12, \
               description = $13, is_public = $14, last_checked_on = $15, updated_at = $16, version = version + 1 \
             WHERE id = $1 AND tenant_id = $2 AND version = $17")
            .bind(entry_id).bind(tenant).bind(input.institution_id).bind(&input.name).bind(help_kinds_key(&input.help_kinds))
            .bind(&input.address).bind(&input.opening_hours).bind(&input.phone).bind(&input.email).bind(&input.website)
            .bind(languages_text(input)).bind(&input.accessibility).bind(&input.description).bind(input.is_public)
            .bind(date_text(input.last_checked_on)).bind(ts(self.now())).bind(expected_version)
            .execute(c).await.map(|r| r.rows_affected()))?;
        DIRECTORY_ENTRY.changed(n)?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "help_directory_entry", entry_id).in_tenant(Some(tenant)),
        )
        .await?;
        Ok(())
    }

    /// Archives an entry (it leaves the public page and the lists) or brings it back.
    pub async fn archive_directory_entry(
        &self,
        caller: &Caller<'_>,
        entry_id: Uuid,
        archived: bool,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageDirectory)?;
        let mut tx = self.db.begin().await?;
        DIRECTORY_ENTRY.check_version(&mut tx, entry_id, tenant, expected_version).await?;
        let now = self.now();
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE help_directory_entry SET archived_at = $2, updated_at = $3, version = version + 1 WHERE id = $1")
            .bind(entry_id).bind(archived.then(|| ts(now))).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        self.commit_audited(
            tx,
            &caller.actor(),
            AuditRecord::new(AuditAction::Update, "help_directory_entry", entry_id)
                .in_tenant(Some(tenant))
                .detail(if archived { "archived" } else { "restored" }),
        )
        .await?;
        Ok(())
    }

    /// The whole directory of the account's municipality, by name (archived entries only when asked).
    pub async fn directory(
        &self,
        principal: &Principal,
        with_archived: bool,
    ) -> Result<Vec<DirectoryEntry>, StoreError> {
        let tenant = scope(principal, Permission::ViewHelpDirectory)?;
        self.directory_of(tenant, false, with_archived).await
    }

    /// One entry (for its edit page).
    pub async fn directory_entry(&self, principal: &Principal, entry_id: Uuid) -> Result<DirectoryEntry, StoreError> {
        let tenant = scope(principal, Permission::ViewHelpDirectory)?;
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM help_directory_entry WHERE id = $1 AND tenant_id = $2");
        let row: Option<EntryRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(entry_id).bind(tenant).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound)?.into_entry()
    }

    /// What the public `/pomoc` page shows: the public, not archived entries of the municipality. No login.
    pub async fn public_directory(&self, tenant_id: Uuid) -> Result<Vec<DirectoryEntry>, StoreError> {
        self.directory_of(tenant_id, true, false).await
    }

    async fn directory_of(
        &self,
        tenant: Uuid,
        only_public: bool,
        with_archived: bool,
    ) -> Result<Vec<DirectoryEntry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM help_directory_entry WHERE tenant_id = $1 AND (NOT $2 OR is_public) \
             AND ($3 OR archived_at IS NULL) ORDER BY name, id"
        );
        let rows: Vec<EntryRow> = on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(tenant).bind(only_public).bind(with_archived).fetch_all(p).await)?;
        rows.into_iter().map(EntryRow::into_entry).collect()
    }

    /// What in the team's registers still points at an institution: its members, directory entries, agreements and
    /// acknowledgements of standards. An institution with any of these may not be removed; the page lists them.
    pub async fn institution_team_dependents(
        &self,
        tenant_id: Uuid,
        institution_id: Uuid,
    ) -> Result<Vec<InstitutionDependent>, StoreError> {
        let mut out = Vec::new();
        let members: Vec<(Uuid, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, function FROM team_member WHERE tenant_id = $1 AND institution_id = $2 ORDER BY id")
            .bind(tenant_id).bind(institution_id).fetch_all(p).await)?;
        for (id, function) in members {
            out.push(InstitutionDependent { kind: "team_member", id, label: function });
        }
        let entries: Vec<(Uuid, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, name FROM help_directory_entry WHERE tenant_id = $1 AND institution_id = $2 ORDER BY name")
            .bind(tenant_id).bind(institution_id).fetch_all(p).await)?;
        for (id, name) in entries {
            out.push(InstitutionDependent { kind: "help_directory_entry", id, label: name });
        }
        let agreements: Vec<(Uuid, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, subject FROM team_agreement WHERE tenant_id = $1 AND institution_id = $2 ORDER BY signed_on")
            .bind(tenant_id).bind(institution_id).fetch_all(p).await)?;
        for (id, subject) in agreements {
            out.push(InstitutionDependent { kind: "team_agreement", id, label: subject });
        }
        // An acknowledgement of a standard names the standard, not the institution's own record.
        let acknowledged: Vec<(Uuid, String)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT DISTINCT d.id, d.title FROM team_document_acknowledgement a \
             JOIN team_document_version v ON v.id = a.version_id JOIN team_document d ON d.id = v.document_id \
             WHERE a.tenant_id = $1 AND a.institution_id = $2 ORDER BY d.title")
            .bind(tenant_id).bind(institution_id).fetch_all(p).await)?;
        for (id, title) in acknowledged {
            out.push(InstitutionDependent { kind: "team_document", id, label: title });
        }
        Ok(out)
    }
}

/// One national helpline as seeded into a new municipality's directory of help.
pub struct NationalHelpline {
    pub key: &'static str,
    pub name: &'static str,
    pub help_kinds: &'static [HelpKind],
    pub phone: &'static str,
    pub hours: &'static str,
    pub languages: &'static [&'static str],
    pub description: &'static str,
}

/// The national helplines every municipality's public help page shows from the start, even with an empty directory
/// (issue 16 item 8). They are ordinary entries afterwards: the team edits or archives them. The numbers and hours
/// are listed in docs/legal-assumptions.md with their sources; migration 0033 seeds the same four into the
/// municipalities that existed before it.
pub const NATIONAL_HELPLINES: [NationalHelpline; 4] = [
    NationalHelpline {
        key: "niebieska_linia",
        name: "Ogólnopolski Telefon dla Osób Doznających Przemocy Domowej „Niebieska Linia”",
        help_kinds: &[HelpKind::Psychological, HelpKind::Legal, HelpKind::Helpline],
        phone: "800 120 002",
        hours: "całodobowo, bezpłatnie",
        languages: &["pl"],
        description: "Dla osób doznających przemocy domowej i świadków: wsparcie psychologiczne, informacja prawna, \
                      adresy miejsc pomocy.",
    },
    NationalHelpline {
        key: "crisis_116123",
        name: "Kryzysowy Telefon Zaufania",
        help_kinds: &[HelpKind::Psychological, HelpKind::CrisisIntervention, HelpKind::Helpline],
        phone: "116 123",
        hours: "całodobowo, bezpłatnie",
        languages: &["pl"],
        description: "Dla dorosłych w kryzysie emocjonalnym: rozmowa z psychologiem.",
    },
    NationalHelpline {
        key: "children_116111",
        name: "Telefon Zaufania dla Dzieci i Młodzieży",
        help_kinds: &[HelpKind::Psychological, HelpKind::Helpline],
        phone: "116 111",
        hours: "całodobowo, bezpłatnie",
        languages: &["pl"],
        description: "Dla dzieci i młodzieży: rozmowa o każdym kłopocie, także o przemocy w domu.",
    },
    NationalHelpline {
        key: "emergency_112",
        name: "Numer alarmowy 112",
        help_kinds: &[HelpKind::CrisisIntervention, HelpKind::Police],
        phone: "112",
        hours: "całodobowo, bezpłatnie",
        languages: &["pl", "en"],
        description: "Gdy życie lub zdrowie jest w niebezpieczeństwie: policja, pogotowie, straż pożarna.",
    },
];

/// Adds the national helplines to a municipality's directory, in the transaction that creates it; one already there
/// (by its key) is left as the team keeps it.
pub(crate) async fn seed_national_helplines(
    tx: &mut crate::Tx,
    tenant: Uuid,
    now: jiff::Timestamp,
) -> Result<(), StoreError> {
    let today = date_text(now.to_zoned(domain::calendar::poland_zone()).date());
    for h in &NATIONAL_HELPLINES {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO help_directory_entry (id, tenant_id, name, help_kinds, phone, opening_hours, languages, \
               description, is_public, last_checked_on, created_at, updated_at, national_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $10, $10, $11) \
             ON CONFLICT (tenant_id, national_key) DO NOTHING")
            .bind(Uuid::now_v7()).bind(tenant).bind(h.name).bind(help_kinds_key(h.help_kinds)).bind(h.phone)
            .bind(h.hours).bind(h.languages.join(" ")).bind(h.description).bind(&today).bind(ts(now)).bind(h.key)
            .execute(c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

async fn check_institution(tx: &mut crate::Tx, tenant: Uuid, institution: Option<Uuid>) -> Result<(), StoreError> {
    let Some(institution) = institution else { return Ok(()) };
    let ok: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM institution WHERE id = $1 AND tenant_id = $2")
        .bind(institution).bind(tenant).fetch_optional(c).await)?;
    if ok.is_none() { Err(StoreError::invalid("institution_id", "err-choice-unknown")) } else { Ok(()) }
}
