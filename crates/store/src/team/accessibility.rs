//! The municipality's accessibility statement (deklaracja dostępności): art. 10 of the act of 4 April 2019 on the
//! digital accessibility of public bodies' websites and mobile applications wants one for every website of a public
//! body, drawn up on the model of Commission Implementing Decision (EU) 2018/1523. Its content is the
//! municipality's (status, what is not accessible and why, dates, how it was assessed, who to contact, the building);
//! the page around it, with the right to ask for accessibility and to complain, is the application's. It describes a
//! website, not persons, so it is kept in clear and read without a login.

use crate::Caller;
use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::identity::Permission;
use domain::team::{parse_date, parse_email, parse_optional_text};
use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use super::{date_text, scope, text_date};
use crate::db::{on_pool, on_tx};
use crate::{AuditRecord, Store, StoreError, ts};

/// The statement's conformity status, as the model of Decision 2018/1523 words it.
pub const STATUSES: [&str; 3] = ["full", "partial", "none"];

/// The statement as typed, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StatementDraft {
    /// full, partial or none
    pub status: String,
    pub inaccessible: String,
    pub published_on: String,
    pub updated_on: String,
    pub prepared_on: String,
    pub reviewed_on: String,
    pub method: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub architectural: String,
}

/// The municipality's statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub status: String,
    pub inaccessible: Option<String>,
    pub published_on: Option<Date>,
    pub updated_on: Option<Date>,
    pub prepared_on: Date,
    pub reviewed_on: Option<Date>,
    pub method: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub architectural: Option<String>,
    pub version: i64,
}

impl Statement {
    pub fn to_draft(&self) -> StatementDraft {
        let d = |v: Option<Date>| v.map(|d| d.to_string()).unwrap_or_default();
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        StatementDraft {
            status: self.status.clone(),
            inaccessible: o(&self.inaccessible),
            published_on: d(self.published_on),
            updated_on: d(self.updated_on),
            prepared_on: self.prepared_on.to_string(),
            reviewed_on: d(self.reviewed_on),
            method: o(&self.method),
            contact_name: o(&self.contact_name),
            contact_email: o(&self.contact_email),
            contact_phone: o(&self.contact_phone),
            architectural: o(&self.architectural),
        }
    }
}

fn optional_date(raw: &str) -> Result<Option<Date>, &'static str> {
    if raw.trim().is_empty() { Ok(None) } else { parse_date(raw).map(Some) }
}

impl StatementDraft {
    /// Checks every field; dates may not lie ahead of `today`.
    pub fn validate(&self, today: Date) -> Result<Statement, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = e.check(
            "status",
            STATUSES.iter().find(|s| **s == self.status.trim()).map(|s| (*s).to_owned()).ok_or("err-choice-unknown"),
        );
        let inaccessible = e.check("inaccessible", parse_optional_text(&self.inaccessible, 4000));
        let mut date = |field: &'static str, raw: &str| {
            let d = e.check(field, optional_date(raw)).flatten();
            if d.is_some_and(|d| d > today) {
                e.add(field, "err-date-in-future");
            }
            d
        };
        let published_on = date("published_on", &self.published_on);
        let updated_on = date("updated_on", &self.updated_on);
        let prepared_on = date("prepared_on", &self.prepared_on);
        let reviewed_on = date("reviewed_on", &self.reviewed_on);
        if self.prepared_on.trim().is_empty() {
            e.add("prepared_on", "err-required");
        }
        let method = e.check("method", parse_optional_text(&self.method, 2000));
        let contact_name = e.check("contact_name", parse_optional_text(&self.contact_name, 200));
        let contact_email = e.check("contact_email", parse_email(&self.contact_email));
        let contact_phone = e.check("contact_phone", parse_optional_text(&self.contact_phone, 60));
        let architectural = e.check("architectural", parse_optional_text(&self.architectural, 4000));
        if !e.is_empty() {
            return Err(e);
        }
        match (status, inaccessible, prepared_on, method, contact_name, contact_email, contact_phone, architectural) {
            (
                Some(status),
                Some(inaccessible),
                Some(prepared_on),
                Some(method),
                Some(contact_name),
                Some(contact_email),
                Some(contact_phone),
                Some(architectural),
            ) => Ok(Statement {
                status,
                inaccessible,
                published_on,
                updated_on,
                prepared_on,
                reviewed_on,
                method,
                contact_name,
                contact_email,
                contact_phone,
                architectural,
                version: 0,
            }),
            _ => Err(e),
        }
    }
}

#[derive(sqlx::FromRow)]
struct StatementRow {
    status: String,
    inaccessible: Option<String>,
    published_on: Option<String>,
    updated_on: Option<String>,
    prepared_on: String,
    reviewed_on: Option<String>,
    method: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    architectural: Option<String>,
    version: i64,
}

impl StatementRow {
    fn into_statement(self) -> Result<Statement, StoreError> {
        let d = |v: Option<String>| v.map(|s| text_date(&s)).transpose();
        Ok(Statement {
            status: self.status,
            inaccessible: self.inaccessible,
            published_on: d(self.published_on)?,
            updated_on: d(self.updated_on)?,
            prepared_on: text_date(&self.prepared_on)?,
            reviewed_on: d(self.reviewed_on)?,
            method: self.method,
            contact_name: self.contact_name,
            contact_email: self.contact_email,
            contact_phone: self.contact_phone,
            architectural: self.architectural,
            version: self.version,
        })
    }
}

impl Store {
    /// The municipality's statement, `None` until the team fills it in. No login: it is published.
    pub async fn accessibility_statement(&self, tenant_id: Uuid) -> Result<Option<Statement>, StoreError> {
        let row: Option<StatementRow> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT status, inaccessible, published_on, updated_on, prepared_on, reviewed_on, method, contact_name, \
               contact_email, contact_phone, architectural, version FROM accessibility_statement WHERE tenant_id = $1")
            .bind(tenant_id).fetch_optional(p).await)?;
        row.map(StatementRow::into_statement).transpose()
    }

    /// Saves the statement read at `expected_version` (0 when there was none yet).
    pub async fn save_accessibility_statement(
        &self,
        caller: &Caller<'_>,
        statement: &Statement,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let tenant = scope(caller.principal, Permission::ManageDirectory)?;
        let now = self.now();
        let s = statement;
        let d = |v: Option<Date>| v.map(date_text);
        let mut tx = self.db.begin().await?;
        let current: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT version FROM accessibility_statement WHERE tenant_id = $1").bind(tenant).fetch_optional(c).await)?;
        if current.map_or(0, |(v,)| v) != expected_version {
            return Err(StoreError::Conflict("statement changed since it was read"));
        }
        if current.is_none() {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO accessibility_statement (tenant_id, status, inaccessible, published_on, updated_on, \
                   prepared_on, reviewed_on, method, contact_name, contact_email, contact_phone, architectural, \
                   updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                .bind(tenant).bind(&s.status).bind(&s.inaccessible).bind(d(s.published_on)).bind(d(s.updated_on))
                .bind(date_text(s.prepared_on)).bind(d(s.reviewed_on)).bind(&s.method).bind(&s.contact_name)
                .bind(&s.contact_email).bind(&s.contact_phone).bind(&s.architectural).bind(caller.principal.account_id)
                .bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        } else {
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE accessibility_statement SET status = $2, inaccessible = $3, published_on = $4, updated_on = $5, \
                   prepared_on = $6, reviewed_on = $7, method = $8, contact_name = $9, contact_email = $10, \
                   contact_phone = $11, architectural = $12, updated_by = $13, updated_at = $14, version = version + 1 \
                 WHERE tenant_id = $1")
                .bind(tenant).bind(&s.status).bind(&s.inaccessible).bind(d(s.published_on)).bind(d(s.updated_on))
                .bind(date_text(s.prepared_on)).bind(d(s.reviewed_on)).bind(&s.method).bind(&s.contact_name)
                .bind(&s.contact_email).bind(&s.contact_phone).bind(&s.architectural).bind(caller.principal.account_id)
                .bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))?;
        }
        self.audit(
            &mut tx,
            &caller.actor(),
            &AuditRecord::new(
                if current.is_none() { AuditAction::Create } else { AuditAction::Update },
                "accessibility_statement",
                tenant,
            )
            .in_tenant(Some(tenant)),
        )
        .await?;
        tx.commit().await
    }
}
