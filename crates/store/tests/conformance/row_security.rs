//! PostgreSQL row-level security, the second wall between municipalities on one installation (issue 17, item 6;
//! migration 0041, store/src/row_security.rs). The store is opened as a role the policies hold (not a superuser,
//! not BYPASSRLS, the tables' owner held by FORCE), as docs/operations.md tells operators to connect. On SQLite these
//! tests are skipped with a note: it has no row-level security.

use std::future::Future;
use store::Caller;

use domain::clock::ManualClock;
use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use jiff::SignedDuration;
use jiff::civil::date;
use store::identity::{NewAccount, Principal, ResetKind, ResetOutcome};
use store::procedure::{AppointmentBasis, FormAIntake};
use store::row_security::{acting_for, crossing_tenants};
use store::team::{DeclarationKind, MemberDraft};
use store::tenant::InstitutionRemoval;
use store::testing::TestDatabase;
use store::{Store, StoreError};
use uuid::Uuid;

use crate::procedure::{form_a, person, pesel};
use crate::support::*;

/// Tables that carry their own `tenant_id` under a policy.
const WITH_TENANT: &[&str] = &[
    "procedure",
    "procedure_form",
    "procedure_number",
    "form_a_intake",
    "form_draft",
    "case_record",
    "case_grant",
    "case_release",
    "procedure_closing",
    "procedure_transfer",
    "field_seal",
    "person_search",
    "person_match",
    "notification",
];

/// Tables of the team's registers and accounts protected by migration 0052, with their own `tenant_id`.
const REGISTERS_WITH_TENANT: &[&str] = &[
    "team_order",
    "team_member",
    "team_meeting",
    "team_recommendation",
    "team_project",
    "team_agreement",
    "team_document",
    "team_document_version",
    "team_document_acknowledgement",
    "team_member_training",
    "team_coordinator",
    "working_group",
    "working_group_task",
    "working_group_meeting",
    "activity",
    "programme",
    "account_confidentiality",
    "account_reset_request",
    "email_outbox",
    "erasure",
];

/// Tables under a policy through their parent: (table, its column naming the procedure, the SQL from it to the
/// procedure's id).
const THROUGH_PARENT: &[(&str, &str)] = &[
    ("procedure_command", "procedure_id"),
    ("group_member", "procedure_id"),
    ("field_seal_viewer", "(SELECT s.procedure_id FROM field_seal s WHERE s.id = seal_id)"),
];

/// A harness whose store connects as the application role, or `None` (with a note) on SQLite.
async fn harness() -> Option<Harness> {
    let Some(db) = TestDatabase::new_as_application_role().await else {
        eprintln!("skipped: row-level security is a PostgreSQL wall; run with OSTOJA_TEST_ENGINE=postgres");
        return None;
    };
    let clock = ManualClock::at(START.parse().expect("start instant"));
    let store = Store::open(&db.options, shared(&clock)).await.expect("the store opens as the application role");
    assert!(
        !store.db().can_bypass_row_security().await.unwrap(),
        "the test must connect as a role the policies hold, or it proves nothing"
    );
    Some(Harness { store, clock, db })
}

struct Municipality {
    id: Uuid,
    chair: Principal,
    worker: Principal,
    case: Uuid,
}

/// A municipality with a team and one case worked on through the store's API, as its own requests would: form A,
/// the working group appointed, a meeting recorded.
async fn municipality(h: &Harness, teryt: &str, name: &str, prefix: &str) -> Municipality {
    // The administrator's part (no tenant): the tenant and its accounts.
    let tenant = h.store.create_tenant(&operator(), teryt, name, false).await.unwrap();
    let chair = person(h, tenant.id, &format!("{prefix}.przewodniczaca"), &[Role::Chair]).await;
    let initiator = person(h, tenant.id, &format!("{prefix}.dzielnicowy"), &[Role::Initiator]).await;
    let worker = person(h, tenant.id, &format!("{prefix}.pracownik"), &[Role::GroupMember]).await;
    let police = person(h, tenant.id, &format!("{prefix}.policjant"), &[Role::GroupMember]).await;
    let case = acting_for(Some(tenant.id), async {
        h.advance(SignedDuration::from_hours(1));
        let intake = h
            .store
            .open_procedure(&Caller::local(&initiator), &form_a(&pesel("8503120840"), &pesel("8301050571")), false)
            .await
            .unwrap();
        let FormAIntake::Opened { id, .. } = intake else { panic!("{intake:?}") };
        let access = h.store.case_access(&Caller::local(&chair), id).await.unwrap();
        let members =
            [(worker.account_id, GroupMemberKind::SocialWorker), (police.account_id, GroupMemberKind::PoliceOfficer)];
        h.store.appoint_group(&access, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
        let group = h.store.case_access(&Caller::local(&worker), id).await.unwrap();
        h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
        // The team's registers (0052): the chair's order, a member with a name and contacts, and the worker's signed
        // confidentiality declaration.
        h.store.create_team_order(&Caller::local(&chair), "12/2026", "2026-01-05").await.unwrap();
        let draft = MemberDraft {
            full_name: format!("Zofia Członkini {prefix}"),
            email: format!("{prefix}@example.org"),
            account_id: worker.account_id.to_string(),
            function: "member".into(),
            appointed_on: "2026-01-10".into(),
            confidentiality_signed_on: "2026-01-12".into(),
            ..MemberDraft::default()
        };
        h.store.create_team_member(&Caller::local(&chair), &draft.validate(h.store.today()).unwrap()).await.unwrap();
        let signed = date(2026, 1, 12);
        h.store
            .record_account_declaration(&Caller::local(&chair), worker.account_id, DeclarationKind::Declaration, signed)
            .await
            .unwrap();
        id
    })
    .await;
    Municipality { id: tenant.id, chair, worker, case }
}

async fn two_municipalities(h: &Harness) -> (Municipality, Municipality) {
    let a = municipality(h, TERYT, "Gmina Miasto Tomaszów Mazowiecki", "tomaszow").await;
    let b = municipality(h, OTHER_TERYT, "Gmina Miasto Jasło", "jaslo").await;
    (a, b)
}

/// The tenant ids of every row of `table` a query without any filter sees (for a table under its parent's policy,
/// the tenants of the procedures its rows belong to).
async fn tenants_seen(store: &Store, table: &str) -> Vec<Uuid> {
    let sql = match THROUGH_PARENT.iter().find(|(t, _)| *t == table) {
        Some((_, procedure)) => {
            format!("SELECT (SELECT p.tenant_id FROM procedure p WHERE p.id = {procedure}) FROM {table}")
        }
        None => format!("SELECT tenant_id FROM {table}"),
    };
    let rows: Vec<(Option<Uuid>,)> = on_postgres(store, &sql).await;
    rows.into_iter().map(|(t,)| t.expect("each row belongs to a tenant visible beside it")).collect()
}

/// Runs a query on the store's own pool, as a store query that forgot its tenant filter would.
async fn on_postgres<T>(store: &Store, sql: &str) -> Vec<T>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let store::Db::Postgres(pool) = store.db() else { panic!("PostgreSQL only") };
    sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(pool).await.unwrap()
}

fn every_protected_table() -> impl Iterator<Item = &'static str> {
    WITH_TENANT.iter().copied().chain(THROUGH_PARENT.iter().map(|(t, _)| *t))
}

async fn count_for<F: Future<Output = Vec<Uuid>>>(seen: F, tenant: Uuid) -> usize {
    seen.await.into_iter().filter(|t| *t == tenant).count()
}

#[tokio::test]
async fn a_query_that_forgets_its_tenant_filter_sees_no_row_of_another_municipality() {
    let Some(h) = harness().await else { return };
    let (a, b) = two_municipalities(&h).await;

    // The other municipality's rows are there: without them the test below would prove nothing.
    let mut populated = Vec::new();
    for table in every_protected_table() {
        let rows_of_b = crossing_tenants("test: the rows exist", count_for(tenants_seen(&h.store, table), b.id)).await;
        if rows_of_b > 0 {
            populated.push(table);
        }
    }
    for expected in ["procedure", "procedure_form", "procedure_number", "procedure_command", "group_member"] {
        assert!(populated.contains(&expected), "the other municipality has {expected} rows: {populated:?}");
    }

    for table in every_protected_table() {
        let seen = acting_for(Some(a.id), tenants_seen(&h.store, table)).await;
        assert!(seen.iter().all(|t| *t == a.id), "{table}: a query for {} saw another tenant's rows", a.id);
        if populated.contains(&table) {
            assert!(!seen.is_empty(), "{table}: the municipality's own rows stay visible");
        }
        let unscoped = tenants_seen(&h.store, table).await;
        assert!(unscoped.is_empty(), "{table}: work outside any scope sees nothing, it saw {unscoped:?}");
    }
}

#[tokio::test]
async fn writing_another_municipalitys_rows_is_refused_or_touches_nothing() {
    let Some(h) = harness().await else { return };
    let (a, b) = two_municipalities(&h).await;

    // An insert carrying the other tenant's id fails the policy's WITH CHECK.
    let insert = format!("INSERT INTO procedure_number (tenant_id, year, last) VALUES ('{}', 2031, 1)", b.id);
    let refused = acting_for(Some(a.id), execute(&h.store, &insert)).await.unwrap_err();
    assert!(refused.to_string().contains("row-level security"), "{refused}");

    // So does moving one's own row to the other tenant.
    let moving = format!("UPDATE procedure SET tenant_id = '{}' WHERE id = '{}'", b.id, a.case);
    assert!(acting_for(Some(a.id), execute(&h.store, &moving)).await.is_err());

    // An update or delete that forgets its filter reaches the municipality's own rows only.
    let touched = acting_for(Some(a.id), execute(&h.store, "UPDATE procedure SET updated_at = updated_at")).await;
    assert_eq!(touched.unwrap(), 1, "only the municipality's own case");
    let members = acting_for(Some(a.id), execute(&h.store, "UPDATE group_member SET procedure_id = procedure_id"));
    assert_eq!(members.await.unwrap(), 2, "only the municipality's own two group members, through its case");
    let deleted = acting_for(Some(a.id), execute(&h.store, "DELETE FROM notification")).await.unwrap();
    let left = crossing_tenants("test", count_for(tenants_seen(&h.store, "notification"), b.id)).await;
    let own_left = crossing_tenants("test", count_for(tenants_seen(&h.store, "notification"), a.id)).await;
    assert_eq!(own_left, 0, "the municipality's own notifications went ({deleted})");
    assert!(left > 0, "the other municipality's notifications are untouched");
}

#[tokio::test]
async fn crossing_tenants_is_a_named_scope_and_a_transaction_can_be_narrowed_or_widened_by_name() {
    let Some(h) = harness().await else { return };
    let (a, b) = two_municipalities(&h).await;
    let both = |seen: Vec<Uuid>| (seen.contains(&a.id), seen.contains(&b.id));

    // The named scope sees every municipality.
    let seen = crossing_tenants("test: aggregates", tenants_seen(&h.store, "procedure")).await;
    assert_eq!(both(seen), (true, true));

    // A connection the crossing task used goes back to the pool and comes out again for nobody.
    assert!(tenants_seen(&h.store, "procedure").await.is_empty());

    // The explicit transactions: begin_bypass crosses tenants even in a request's scope; begin_for narrows even a
    // crossing task.
    let in_tx = |tx: store::Tx| async move {
        let store::Tx::Postgres(mut t) = tx else { panic!("PostgreSQL only") };
        let rows: Vec<(Uuid,)> = sqlx::query_as("SELECT tenant_id FROM procedure").fetch_all(&mut *t).await.unwrap();
        t.commit().await.unwrap();
        rows.into_iter().map(|(t,)| t).collect::<Vec<_>>()
    };
    let bypassing = acting_for(Some(a.id), async { in_tx(h.store.db().begin_bypass("test").await.unwrap()).await });
    assert_eq!(both(bypassing.await), (true, true));
    let narrowed = crossing_tenants("test", async { in_tx(h.store.db().begin_for(b.id).await.unwrap()).await });
    assert_eq!(both(narrowed.await), (false, true));
    // The narrowing ended with its transaction.
    let after = crossing_tenants("test", async { in_tx(h.store.db().begin().await.unwrap()).await }).await;
    assert_eq!(both(after), (true, true));
}

/// The settings the policies read are set by the store's one module and nowhere else: every other way round the
/// wall would have to name them.
#[test]
fn only_the_row_security_module_sets_the_bypass() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut setters = Vec::new();
    let mut stack = vec![crates];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("target") && !path.ends_with("tests") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path).unwrap().contains("ostoja.bypass")
            {
                setters.push(path.file_name().unwrap().to_string_lossy().into_owned());
            }
        }
    }
    assert_eq!(setters, vec!["row_security.rs".to_owned()]);
}

#[tokio::test]
async fn the_store_serves_two_municipalities_on_one_database_each_within_its_own_rows() {
    let Some(h) = harness().await else { return };
    let (a, b) = two_municipalities(&h).await;

    // Each chair works on its own case in its own request.
    for m in [&a, &b] {
        acting_for(Some(m.id), async {
            let access = h.store.case_access(&Caller::local(&m.chair), m.case).await.unwrap();
            h.store.apply_procedure_command(&access, &Command::RecordGroupMeeting, 3).await.unwrap();
        })
        .await;
    }

    // Need-to-know refuses the other municipality's case, as before.
    let other = acting_for(Some(a.id), h.store.case_access(&Caller::local(&a.chair), b.case)).await;
    assert!(matches!(other, Err(StoreError::NotFound)), "{other:?}");

    // And if the application ever ran a request for the wrong tenant, the wall leaves it nothing to show: B's chair
    // in a request set to A finds not even its own case.
    let wrong_scope = acting_for(Some(a.id), h.store.case_access(&Caller::local(&b.chair), b.case)).await;
    assert!(matches!(wrong_scope, Err(StoreError::NotFound)), "{wrong_scope:?}");
}

#[tokio::test]
async fn the_administrator_acting_for_no_municipality_still_asks_its_chair_to_approve_a_reset() {
    let Some(h) = harness().await else { return };
    let (a, _) = two_municipalities(&h).await;
    let new = NewAccount { roles: vec![Role::SystemAdministrator], ..new_account(None, "admin", "Administrator") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    let admin = h.store.principal(id).await.unwrap();
    let unread_before = acting_for(Some(a.id), h.store.unread_notifications(a.chair.account_id)).await.unwrap();

    // The administrator's request acts for no municipality; the notice to the chair is the municipality's row.
    let asked =
        acting_for(None, h.store.reset_account(&Caller::local(&admin), a.worker.account_id, ResetKind::Password))
            .await
            .unwrap();

    assert_eq!(asked, ResetOutcome::AwaitingApproval);
    let unread = acting_for(Some(a.id), h.store.unread_notifications(a.chair.account_id)).await.unwrap();
    assert_eq!(unread, unread_before + 1, "the chair is told");
}

/// Migration 0052: the team's registers and the account tables. A query that forgets its filter on the team's members
/// (names, contacts) or on the signed declarations sees the municipality's own rows and none of the other's.
#[tokio::test]
async fn a_query_that_forgets_its_filter_sees_no_team_member_or_declaration_of_another_municipality() {
    let Some(h) = harness().await else { return };
    let (a, b) = two_municipalities(&h).await;

    for table in ["team_member", "account_confidentiality", "team_order"] {
        let of_b = crossing_tenants("test: the rows exist", count_for(tenants_seen(&h.store, table), b.id)).await;
        assert!(of_b > 0, "{table}: the other municipality has rows, or the test proves nothing");
        let of_a = crossing_tenants("test: the rows exist", count_for(tenants_seen(&h.store, table), a.id)).await;
        assert!(of_a > 0, "{table}: so has the municipality");

        let seen = acting_for(Some(a.id), tenants_seen(&h.store, table)).await;
        assert!(!seen.is_empty(), "{table}: the municipality's own rows stay visible");
        assert!(seen.iter().all(|t| *t == a.id), "{table}: a query for A saw another municipality's rows: {seen:?}");
        let unscoped = tenants_seen(&h.store, table).await;
        assert!(unscoped.is_empty(), "{table}: work outside any scope sees nothing, it saw {unscoped:?}");
    }

    // The policy holds writes too: a declaration for B's account written in A's request is refused.
    let insert = format!(
        "INSERT INTO account_confidentiality (account_id, tenant_id, kind, signed_on, recorded_at) \
         VALUES ('{}', '{}', 'declaration', '2026-01-01', now()) \
         ON CONFLICT (account_id) DO UPDATE SET signed_on = '2026-01-01'",
        b.chair.account_id, b.id
    );
    let refused = acting_for(Some(a.id), execute(&h.store, &insert)).await.unwrap_err();
    assert!(refused.to_string().contains("row-level security"), "{refused}");
}

/// Every table 0052 names is under a forced policy, so a table added to the list and forgotten in the migration (or
/// the reverse) shows here.
#[tokio::test]
async fn every_register_of_migration_0052_is_under_a_forced_policy() {
    let Some(h) = harness().await else { return };
    let rows: Vec<(String,)> = on_postgres(
        &h.store,
        "SELECT c.relname::text FROM pg_class c JOIN pg_policies p ON p.tablename = c.relname \
         WHERE c.relrowsecurity AND c.relforcerowsecurity AND p.policyname = 'one_tenant'",
    )
    .await;
    let protected: Vec<String> = rows.into_iter().map(|(t,)| t).collect();
    let through_parent = [
        "team_meeting_attendance",
        "working_group_member",
        "working_group_attendance",
        "programme_version",
        "indicator_entry",
        "report_narrative",
    ];
    for table in REGISTERS_WITH_TENANT.iter().chain(through_parent.iter()) {
        assert!(protected.iter().any(|t| t == table), "{table} is not under the one_tenant policy: {protected:?}");
    }
}

/// The administrator's request acts for no municipality. Removing a municipality's institution must still see the
/// team members who belong to it (rows behind the wall since 0052), or the institution would look free to remove.
#[tokio::test]
async fn the_administrator_acting_for_no_municipality_sees_the_team_members_of_an_institution_it_removes() {
    let Some(h) = harness().await else { return };
    let (a, _) = two_municipalities(&h).await;
    let institution =
        h.store.create_institution(&operator(), a.id, "Ośrodek Pomocy Społecznej", "social_welfare").await.unwrap();
    acting_for(Some(a.id), async {
        let draft = MemberDraft {
            full_name: "Jan Z Ośrodka".into(),
            institution_id: institution.id.to_string(),
            function: "member".into(),
            appointed_on: "2026-01-10".into(),
            ..MemberDraft::default()
        };
        h.store.create_team_member(&Caller::local(&a.chair), &draft.validate(h.store.today()).unwrap()).await.unwrap();
    })
    .await;

    let removal = acting_for(None, h.store.remove_institution(&operator(), a.id, institution.id)).await.unwrap();
    let InstitutionRemoval::Refused(dependents) = removal else { panic!("removed with a team member in it") };
    assert!(dependents.iter().any(|(kind, _)| *kind == "team_member"), "{dependents:?}");
}
