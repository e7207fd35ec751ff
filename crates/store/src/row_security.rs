//! The second wall on PostgreSQL: whose rows a connection may touch (issue 17, item 6).
//!
//! Every query filters by tenant itself; migration 0041 adds row-level security policies so that a query that
//! forgets its filter still sees and writes only the rows of the tenant the work is done for. The policies read two
//! settings of the connection: `ostoja.tenant` (the tenant's id) and `ostoja.bypass` (`on` for work that legitimately
//! crosses tenants). This module is the only place that sets them.
//!
//! The scope is carried by the task, not passed to every call: a web request runs inside [`acting_for`] (no tenant
//! until its session is known, then the principal's tenant through [`settle_request_tenant`]); the command line and
//! the scheduler run inside [`crossing_tenants`] with a reason. Work outside both runs with no tenant at all and so
//! sees no protected row: the wall fails closed. Each connection the pool hands out gets the settings of the task
//! that takes it (see `Db::open_postgres`); [`crate::Db::begin_for`] and [`crate::Db::begin_bypass`] set them for one
//! transaction (`set_config(…, true)`, as `SET LOCAL`) whatever the task's scope.
//!
//! The wall holds only when the connection's role is subject to row-level security: not a superuser, not
//! `BYPASSRLS` (the owner of the tables is held by `FORCE ROW LEVEL SECURITY`). [`crate::Db::can_bypass_row_security`]
//! says whether it is, for the start-up warning and `ostoja check`. SQLite has no row-level security: one
//! installation there serves one municipality in practice, and the settings are not sent.

use std::cell::Cell;
use std::future::Future;

use uuid::Uuid;

/// Whose rows the work in a task may touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowScope {
    /// No tenant: protected tables look empty and refuse writes.
    Nobody,
    /// One tenant's rows only.
    Tenant(Uuid),
    /// Every tenant's rows, for a named reason (administration, migrations, jobs, backup, key rotation).
    CrossingTenants(&'static str),
}

tokio::task_local! {
    static SCOPE: Cell<RowScope>;
}

/// The scope of the current task; [`RowScope::Nobody`] outside any.
pub fn current() -> RowScope {
    SCOPE.try_with(Cell::get).unwrap_or(RowScope::Nobody)
}

/// Runs `work` for `tenant` only (`None`: for no tenant, as an anonymous web request until its session is known).
pub async fn acting_for<F: Future>(tenant: Option<Uuid>, work: F) -> F::Output {
    let scope = tenant.map_or(RowScope::Nobody, RowScope::Tenant);
    SCOPE.scope(Cell::new(scope), work).await
}

/// Runs `work` across every tenant's rows. `reason` names why (it is logged): keep it to work that must cross
/// tenants by its nature, never to make a forgotten filter work.
pub async fn crossing_tenants<F: Future>(reason: &'static str, work: F) -> F::Output {
    tracing::debug!(reason, "crossing tenants");
    SCOPE.scope(Cell::new(RowScope::CrossingTenants(reason)), work).await
}

/// Narrows the current request to the tenant of the principal its session or token names, once that is known. Only a
/// scope still acting for nobody is narrowed: a tenant once settled, or a task crossing tenants, stays as it is.
pub fn settle_request_tenant(tenant: Option<Uuid>) {
    let _ = SCOPE.try_with(|scope| {
        if scope.get() == RowScope::Nobody {
            scope.set(tenant.map_or(RowScope::Nobody, RowScope::Tenant));
        }
    });
}

/// The values of `ostoja.tenant` and `ostoja.bypass` for `scope`: the empty tenant reads as NULL in the policies.
pub(crate) fn settings(scope: RowScope) -> (String, &'static str) {
    match scope {
        RowScope::Nobody => (String::new(), "off"),
        RowScope::Tenant(id) => (id.to_string(), "off"),
        RowScope::CrossingTenants(_) => (String::new(), "on"),
    }
}

/// Sets the settings for the session (`local = false`, on each connection the pool hands out) or for the current
/// transaction only (`local = true`).
pub(crate) async fn apply(conn: &mut sqlx::PgConnection, scope: RowScope, local: bool) -> Result<(), sqlx::Error> {
    let (tenant, bypass) = settings(scope);
    sqlx::query("SELECT set_config('ostoja.tenant', $1, $3), set_config('ostoja.bypass', $2, $3)")
        .bind(tenant)
        .bind(bypass)
        .bind(local)
        .execute(conn)
        .await?;
    Ok(())
}

/// `PGOPTIONS` for a PostgreSQL client tool (pg_dump, pg_restore) that must see every tenant's rows, keeping the
/// operator's own options.
pub(crate) fn client_options_crossing_tenants(reason: &'static str) -> String {
    tracing::debug!(reason, "a client tool crossing tenants");
    let own = std::env::var("PGOPTIONS").unwrap_or_default();
    format!("{own} -c ostoja.bypass=on").trim_start().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_outside_any_scope_acts_for_nobody() {
        assert_eq!(current(), RowScope::Nobody);
        assert_eq!(settings(current()), (String::new(), "off"));
    }

    #[tokio::test]
    async fn a_request_is_narrowed_to_its_tenant_once_and_never_widened() {
        let a = Uuid::new_v4();
        let b = Uuid::new_v4();
        acting_for(None, async {
            assert_eq!(current(), RowScope::Nobody);
            settle_request_tenant(Some(a));
            assert_eq!(current(), RowScope::Tenant(a));
            // A second principal in the same request (a forged second header) cannot move it to another tenant.
            settle_request_tenant(Some(b));
            assert_eq!(current(), RowScope::Tenant(a));
        })
        .await;
        assert_eq!(current(), RowScope::Nobody, "the scope ends with the request");
    }

    #[tokio::test]
    async fn settling_a_tenant_does_not_narrow_or_widen_a_crossing_task() {
        crossing_tenants("test", async {
            settle_request_tenant(Some(Uuid::new_v4()));
            assert_eq!(current(), RowScope::CrossingTenants("test"));
            assert_eq!(settings(current()).1, "on");
        })
        .await;
    }
}
