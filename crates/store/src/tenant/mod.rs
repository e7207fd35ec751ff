//! Tenants (one municipality's team each) and their institutions.

use domain::FieldErrors;
use domain::audit::AuditAction;
use domain::tenant::{InstitutionKind, Teryt, parse_name};
use uuid::Uuid;

use crate::db::{on_pool, on_tx};
use crate::error::unique_as_field;
use crate::{Actor, AuditRecord, Store, StoreError, ts};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tenant {
    pub id: Uuid,
    pub teryt: String,
    pub name: String,
    pub is_demo: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Institution {
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub name: String,
    pub kind: String,
}

/// What removing an institution did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstitutionRemoval {
    Removed,
    /// Nothing was removed: these still depend on it, as (kind, what to show). Kinds: team_member,
    /// help_directory_entry, account, programme_version, indicator_entry.
    Refused(Vec<(&'static str, String)>),
}

impl Institution {
    pub fn kind(&self) -> Option<InstitutionKind> {
        InstitutionKind::parse(&self.kind).ok()
    }
}

impl Store {
    /// Creates a municipality's tenant with its own data key.
    pub async fn create_tenant(
        &self,
        actor: &Actor,
        teryt: &str,
        name: &str,
        is_demo: bool,
    ) -> Result<Tenant, StoreError> {
        let (teryt, name) = self.checked_new_tenant(teryt, name, is_demo).await?;
        let mut tx = self.db.begin().await?;
        let tenant = self.create_tenant_in(&mut tx, actor, &teryt, &name, is_demo).await?;
        tx.commit().await?;
        Ok(tenant)
    }

    /// The checks before a tenant is made, outside any transaction: a well-formed code and name, no real
    /// municipality on a demo installation, a county or voivodeship the register knows.
    pub(crate) async fn checked_new_tenant(
        &self,
        teryt: &str,
        name: &str,
        is_demo: bool,
    ) -> Result<(Teryt, String), StoreError> {
        let mut errors = FieldErrors::new();
        let teryt = errors.check("teryt", Teryt::parse(teryt));
        let name = errors.check("name", parse_name(name));
        let (Some(teryt), Some(name)) = (teryt, name) else { return Err(StoreError::Invalid(errors)) };
        // A demo installation publishes its accounts' password: no real municipality's data belongs on it.
        if !is_demo && self.demo_mode().await? {
            return Err(StoreError::invalid("teryt", "err-tenant-demo-installation"));
        }
        // A county or voivodeship is one the register knows (the loaded TERC file, else the copy compiled in): a
        // well-formed code such as "1234" names no county, and figures summed under it would reach no one. A demo's
        // invented units are exempt; a municipality's county is checked where a package names it.
        let level = domain::territory::TerritorialLevel::of_code(teryt.as_str());
        if !is_demo
            && level != domain::territory::TerritorialLevel::Municipality
            && !self.in_register(teryt.as_str()).await?
        {
            return Err(StoreError::invalid("teryt", "err-teryt-not-in-register"));
        }
        Ok((teryt, name))
    }

    /// Makes a tenant checked by [`Store::checked_new_tenant`] inside the caller's transaction: the row, its data
    /// key, the national helplines of its directory and the audit entry, all kept or all lost with the transaction
    /// (a statutory package received from a municipality not yet known makes it so, in the import's transaction).
    pub(crate) async fn create_tenant_in(
        &self,
        tx: &mut crate::Tx,
        actor: &Actor,
        teryt: &Teryt,
        name: &str,
        is_demo: bool,
    ) -> Result<Tenant, StoreError> {
        let id = Uuid::now_v7();
        let now = self.now();
        on_tx!(tx, c => sqlx::query("INSERT INTO tenant (id, teryt, name, is_demo, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(teryt.as_str()).bind(name).bind(is_demo).bind(ts(now)).execute(c).await.map(|r| r.rows_affected()))
            .map_err(|e| unique_as_field(e, "teryt", "err-teryt-taken"))?;
        self.keys.scope_keys(tx, id, now).await?;
        crate::team::directory::seed_national_helplines(tx, id, now).await?;
        self.audit(
            tx,
            actor,
            &AuditRecord::new(AuditAction::Create, "tenant", id).in_tenant(Some(id)).detail(teryt.as_str()),
        )
        .await?;
        Ok(Tenant { id, teryt: teryt.to_string(), name: name.to_owned(), is_demo })
    }

    /// Whether a county's or voivodeship's code is in the TERC register; a municipality's code is checked by its
    /// county's (the register holds no municipalities).
    pub async fn in_register(&self, teryt: &str) -> Result<bool, StoreError> {
        let units = self.territorial_units().await?;
        let code = match domain::territory::TerritorialLevel::of_code(teryt) {
            domain::territory::TerritorialLevel::Municipality => teryt.get(..4).unwrap_or(teryt),
            _ => teryt,
        };
        Ok(domain::territory::find(&units, code).is_some())
    }

    /// Whether the installation holds a municipality that is not a demo one (then `ostoja demo` refuses to run).
    pub async fn has_real_tenant(&self) -> Result<bool, StoreError> {
        let (n,): (i64,) = on_pool!(&self.db, p => sqlx::query_as("SELECT COUNT(*) FROM tenant WHERE NOT is_demo")
            .fetch_one(p).await)?;
        Ok(n > 0)
    }

    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        Ok(
            on_pool!(&self.db, p => sqlx::query_as("SELECT id, teryt, name, is_demo FROM tenant ORDER BY name").fetch_all(p).await)?,
        )
    }

    /// The municipalities whose team works on this installation, for the public help pages: a municipality with at
    /// least one account. On a region's installation a municipality known only from its received statutory packages
    /// has none; its directory and accessibility statement are on its own installation, so it is not listed here.
    pub async fn public_municipalities(&self) -> Result<Vec<Tenant>, StoreError> {
        Ok(on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, teryt, name, is_demo FROM tenant t WHERE LENGTH(teryt) = 7 \
               AND EXISTS (SELECT 1 FROM account a WHERE a.tenant_id = t.id) ORDER BY name")
            .fetch_all(p).await)?)
    }

    /// One of [`Store::public_municipalities`] by its TERYT code; any other code is not found.
    pub async fn public_municipality(&self, teryt: &str) -> Result<Tenant, StoreError> {
        let teryt = Teryt::parse(teryt).map_err(|_| StoreError::NotFound)?;
        let row = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, teryt, name, is_demo FROM tenant t WHERE teryt = $1 AND LENGTH(teryt) = 7 \
               AND EXISTS (SELECT 1 FROM account a WHERE a.tenant_id = t.id)")
            .bind(teryt.as_str()).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound)
    }

    pub async fn tenant_by_teryt(&self, teryt: &str) -> Result<Tenant, StoreError> {
        let teryt = Teryt::parse(teryt).map_err(|_| StoreError::NotFound)?;
        let row = on_pool!(&self.db, p => sqlx::query_as("SELECT id, teryt, name, is_demo FROM tenant WHERE teryt = $1")
            .bind(teryt.as_str()).fetch_optional(p).await)?;
        row.ok_or(StoreError::NotFound)
    }

    pub async fn create_institution(
        &self,
        actor: &Actor,
        tenant: Uuid,
        name: &str,
        kind: &str,
    ) -> Result<Institution, StoreError> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", parse_name(name));
        let kind = errors.check("kind", InstitutionKind::parse(kind));
        let (Some(name), Some(kind)) = (name, kind) else { return Err(StoreError::Invalid(errors)) };
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        let exists: Option<(Uuid,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM tenant WHERE id = $1").bind(tenant).fetch_optional(c).await)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        on_tx!(&mut tx, c => sqlx::query("INSERT INTO institution (id, tenant_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(tenant).bind(&name).bind(kind.as_str()).bind(ts(self.now())).execute(c).await.map(|r| r.rows_affected()))
            .map_err(|e| unique_as_field(e, "name", "err-institution-taken"))?;
        self.audit(&mut tx, actor, &AuditRecord::new(AuditAction::Create, "institution", id).in_tenant(Some(tenant)))
            .await?;
        tx.commit().await?;
        Ok(Institution { id, tenant_id: tenant, name, kind: kind.as_str().to_owned() })
    }

    /// Removes an institution of the municipality, unless something still depends on it: then nothing is removed
    /// and the dependents are named (team members by their function, directory entries, accounts by login, the
    /// programme's versions that make it responsible or ask it for values, the values it entered).
    pub async fn remove_institution(
        &self,
        actor: &Actor,
        tenant: Uuid,
        institution: Uuid,
    ) -> Result<InstitutionRemoval, StoreError> {
        // The administrator's request acts for no municipality; the dependents (team members, the programme, its
        // values) are the municipality's rows and must be seen, or the institution would look free to remove.
        crate::row_security::acting_for(Some(tenant), self.remove_institution_of(actor, tenant, institution)).await
    }

    async fn remove_institution_of(
        &self,
        actor: &Actor,
        tenant: Uuid,
        institution: Uuid,
    ) -> Result<InstitutionRemoval, StoreError> {
        let exists: Option<(Uuid,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id FROM institution WHERE id = $1 AND tenant_id = $2").bind(institution).bind(tenant).fetch_optional(p).await)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        let mut dependents: Vec<(&'static str, String)> = self
            .institution_team_dependents(tenant, institution)
            .await?
            .into_iter()
            .map(|d| (d.kind, d.label))
            .collect();
        let accounts: Vec<(String,)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT login FROM account WHERE tenant_id = $1 AND institution_id = $2 ORDER BY login")
            .bind(tenant).bind(institution).fetch_all(p).await)?;
        dependents.extend(accounts.into_iter().map(|(login,)| ("account", login)));
        // The programme's structure is one JSON document per version; the institution's id appears in it where a
        // task names it responsible or an indicator asks it for values.
        let pattern = format!("%{institution}%");
        let versions: Vec<(String, i64)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT p.title, v.number FROM programme_version v JOIN programme p ON p.id = v.programme_id \
             WHERE p.tenant_id = $1 AND v.content LIKE $2 ORDER BY p.title, v.number")
            .bind(tenant).bind(&pattern).fetch_all(p).await)?;
        dependents.extend(versions.into_iter().map(|(title, n)| ("programme_version", format!("{title}, wersja {n}"))));
        let entries: Vec<(String, i64)> = on_pool!(&self.db, p => sqlx::query_as(
            "SELECT indicator_id, year FROM indicator_entry WHERE institution_id = $1 ORDER BY year, indicator_id")
            .bind(institution).fetch_all(p).await)?;
        dependents
            .extend(entries.into_iter().map(|(indicator, year)| ("indicator_entry", format!("{indicator} ({year})"))));
        if !dependents.is_empty() {
            return Ok(InstitutionRemoval::Refused(dependents));
        }
        let mut tx = self.db.begin().await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM institution WHERE id = $1 AND tenant_id = $2")
            .bind(institution).bind(tenant).execute(c).await.map(|r| r.rows_affected()))?;
        self.audit(
            &mut tx,
            actor,
            &AuditRecord::new(AuditAction::Delete, "institution", institution).in_tenant(Some(tenant)),
        )
        .await?;
        tx.commit().await?;
        Ok(InstitutionRemoval::Removed)
    }

    pub async fn list_institutions(&self, tenant: Uuid) -> Result<Vec<Institution>, StoreError> {
        Ok(on_pool!(&self.db, p => sqlx::query_as(
            "SELECT id, tenant_id, name, kind FROM institution WHERE tenant_id = $1 ORDER BY name")
            .bind(tenant).fetch_all(p).await)?)
    }
}

/// Access to one municipality, handed out by [`Store::tenant_scope`] only to those entitled to it: the
/// installation's administrator (who manages every municipality), and the municipality's own team members for its
/// directory. Anyone else gets `NotFound`, exactly as for a municipality that does not exist, so another
/// municipality's team cannot even learn that it is there.
#[derive(Debug, Clone)]
pub struct TenantScope {
    pub tenant: Tenant,
    /// Whether the holder may change the municipality (institutions, accounts), not only read its directory.
    pub manage: bool,
}

impl Store {
    pub async fn tenant_scope(
        &self,
        principal: &crate::identity::Principal,
        teryt: &str,
    ) -> Result<TenantScope, StoreError> {
        use domain::identity::Permission;
        let tenant = self.tenant_by_teryt(teryt).await?;
        if principal.roles.permits(Permission::ManageTenants) {
            return Ok(TenantScope { tenant, manage: true });
        }
        if principal.tenant_id == Some(tenant.id) && principal.roles.permits(Permission::ViewTeamDirectory) {
            return Ok(TenantScope { tenant, manage: false });
        }
        Err(StoreError::NotFound)
    }
}
