//! Need-to-know access to a case: the [`CaseHandle`] that only [`Store::case_access`] hands out, by the rule written
//! once in `crate::access`.

use uuid::Uuid;

use crate::Caller;
use crate::db::{Batch, Tx, on_pool};
use crate::identity::Principal;
use crate::{Store, StoreError, ts};

/// How the holder may see a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// The team's chair, deputy or secretary: the whole case.
    Team,
    /// A member of the case's support group: the whole case, until its monitoring has ended.
    Group,
    /// The person who filled its form A (or a further one): their own forms and the status.
    Initiator,
    /// A member of the team who opened it in an emergency (break-glass): the case as the group sees it, read-only,
    /// until the opening ends.
    BreakGlass,
    /// An account the chair let in (an expert, a new member): the case as the group sees it, read-only, until the
    /// grant ends.
    Granted,
}

impl CaseAccess {
    /// Whether the holder works on the case: takes its steps, adds its forms and records. The team and the group do;
    /// an initiator, a break-glass opening and a grant only read (a grant is for looking, not for acting in a case the
    /// group runs: whoever should act is made a member of the group).
    pub fn works_on_case(self) -> bool {
        matches!(self, CaseAccess::Team | CaseAccess::Group)
    }

    /// Whether access comes from a grant (break-glass or given by the chair), which ends by itself.
    pub fn is_grant(self) -> bool {
        matches!(self, CaseAccess::BreakGlass | CaseAccess::Granted)
    }
}

/// The right to reach one case, for one caller. Only [`Store::case_access`] makes one (and the store's own methods that
/// open a case for the caller who asked).
#[derive(Debug, Clone)]
pub struct CaseHandle {
    pub procedure_id: Uuid,
    pub tenant_id: Uuid,
    pub access: CaseAccess,
    pub(super) principal: Principal,
    /// The client's address of the [`Caller`] the handle was made for: the case's methods record it in their audit
    /// entries, so they take no address of their own.
    pub(super) address: Option<String>,
}

impl CaseHandle {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// Who holds the handle and from where, as the store's other methods take it.
    pub fn caller(&self) -> Caller<'_> {
        Caller::new(&self.principal, self.address.clone())
    }

    /// The audit trail's actor for a step on this case: the holder and the client's address.
    pub fn actor(&self) -> crate::Actor {
        self.principal.actor(self.address.clone())
    }
}

/// What [`Store::case_access`] reads of a case and the account.
#[derive(sqlx::FromRow)]
struct AccessRow {
    tenant_id: Uuid,
    as_staff: bool,
    as_group: bool,
    /// The kind of the current grant that lets the account in (`break_glass` before `granted`), if one does.
    as_grant: Option<String>,
    as_initiator: bool,
}

/// The SQL of [`Store::case_access`]: one query for every fact the decision needs (it runs before each page and API
/// call on a case); the rule itself is written once, in `crate::access`. Its values: the case, the account, whether
/// the account holds a staff role, whether it holds a member role, today, now.
macro_rules! access_sql {
    () => {
        concat!(
            "SELECT p.tenant_id, ",
            crate::access::staff_access_sql!("$2", "$3", "$5"),
            " AS as_staff, ",
            crate::access::group_access_sql!("$2", "$4", "$5"),
            " AS as_group, ",
            "CASE WHEN ",
            crate::access::grant_access_sql!("$2", "$4", "$5", "$6"),
            " THEN (SELECT MIN(cgk.kind) FROM case_grant cgk WHERE ",
            crate::access::grant_current_sql!("cgk", "$2", "$6"),
            ") END AS as_grant, ",
            crate::access::initiator_access_sql!("$2", "$5"),
            " AS as_initiator \
             FROM procedure p WHERE p.id = $1"
        )
    };
}

/// Binds the values of [`access_sql!`], in its order, to a query or a batched statement.
macro_rules! bind_access {
    ($query:expr, $store:expr, $principal:expr, $procedure_id:expr) => {
        $query
            .bind($procedure_id)
            .bind($principal.account_id)
            .bind(crate::access::holds_staff_role($principal))
            .bind(crate::access::holds_member_role($principal))
            .bind($store.today_text())
            .bind(ts($store.now()))
    };
}

impl Store {
    /// The right to reach a case, for those with a need to know; `NotFound` for everyone else.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "case_access", account = %caller.principal.account_id, procedure = %procedure_id))]
    pub async fn case_access(&self, caller: &Caller<'_>, procedure_id: Uuid) -> Result<CaseHandle, StoreError> {
        let row: Option<AccessRow> = on_pool!(&self.db, p =>
            bind_access!(sqlx::query_as(access_sql!()), self, caller.principal, procedure_id).fetch_optional(p).await)?;
        decide(caller, procedure_id, row)
    }

    /// [`Store::case_access`] inside an open transaction: the access is decided on the same snapshot as the read that
    /// follows, and on SQLite without a connection of its own (each is a round trip to its thread, and another when
    /// it goes back to the pool).
    pub(crate) async fn case_access_in(
        &self,
        tx: &mut Tx,
        caller: &Caller<'_>,
        procedure_id: Uuid,
    ) -> Result<CaseHandle, StoreError> {
        // In a batch of its own: on SQLite the transaction's BEGIN goes with it.
        let row =
            Batch::fetch_all(tx, |b| bind_access!(b.push(access_sql!()), self, caller.principal, procedure_id).slot())
                .await?
                .into_iter()
                .next();
        decide(caller, procedure_id, row)
    }
}

/// The decision of [`Store::case_access`] from what its query read.
fn decide(caller: &Caller<'_>, procedure_id: Uuid, row: Option<AccessRow>) -> Result<CaseHandle, StoreError> {
    let principal = caller.principal;
    let Some(row) = row else { return Err(StoreError::NotFound) };
    let tenant_id = row.tenant_id;
    let access = if principal.tenant_id != Some(tenant_id) {
        None
    } else if row.as_staff {
        Some(CaseAccess::Team)
    } else if row.as_group {
        Some(CaseAccess::Group)
    } else if let Some(kind) = row.as_grant.as_deref() {
        // A grant reads more than an initiator's own form A, so it comes first.
        Some(if kind == "break_glass" { CaseAccess::BreakGlass } else { CaseAccess::Granted })
    } else if row.as_initiator {
        Some(CaseAccess::Initiator)
    } else {
        None
    };
    access
        .map(|access| CaseHandle {
            procedure_id,
            tenant_id,
            access,
            principal: principal.clone(),
            address: caller.address.clone(),
        })
        .ok_or(StoreError::NotFound)
}
