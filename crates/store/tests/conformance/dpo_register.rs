//! The data protection officer's register (issue 20, item 7): per case, who read it and when, its break-glass
//! openings and its seals with their reasons; a count per account for a period; only for the officer.

use domain::identity::Role;
use jiff::SignedDuration;
use store::Caller;
use store::StoreError;
use store::audit::CaseRegisterQuery;

use crate::procedure::{form_a, person, pesel, team};
use crate::sealed_fields::{case, seal_address};
use crate::support::*;
use store::procedure::FormAIntake;

const SEAL_REASON: &str = "Osoba uciekła do schroniska, sprawca szuka adresu";

fn query(number: &str) -> CaseRegisterQuery {
    CaseRegisterQuery { number: number.to_owned(), limit: 100, ..CaseRegisterQuery::default() }
}

#[tokio::test]
async fn a_read_appears_under_its_case_and_not_another_with_name_role_and_address() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let first = case(&h, &t).await;
    // Another case, of other persons.
    let other_persons = form_a(&pesel("7801010024"), &pesel("7001011230"));
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), &other_persons, false).await.unwrap()
    else {
        panic!("not opened")
    };
    let second = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let (n1, n2) =
        (h.store.procedure_view(&first).await.unwrap().number, h.store.procedure_view(&second).await.unwrap().number);
    let before = h.store.case_register(&Caller::local(&dpo), &query(&n2)).await.unwrap().reads.len();

    let worker =
        h.store.case_access(&Caller::new(&t.social_worker, Some("10.1.2.3".into())), first.procedure_id).await.unwrap();
    h.store.procedure_view(&worker).await.unwrap();

    let register = h.store.case_register(&Caller::local(&dpo), &query(&n1.to_lowercase())).await.unwrap();
    assert_eq!(register.procedure_id, first.procedure_id);
    let read = register.reads.iter().find(|r| r.actor.login == t.social_worker.login).expect("the worker's read");
    assert_eq!(read.address.as_deref(), Some("10.1.2.3"));
    assert_eq!(read.object_kind, "procedure");
    assert_eq!(read.actor.full_name, "Osoba Testowa");
    assert!(!read.actor.roles.is_empty(), "the reader's role is named");
    let other = h.store.case_register(&Caller::local(&dpo), &query(&n2)).await.unwrap();
    assert_eq!(other.reads.len(), before, "the read is not under the other case");
    assert!(other.reads.iter().all(|r| r.actor.login != t.social_worker.login));
}

#[tokio::test]
async fn seal_reasons_show_for_the_officer_and_reading_them_is_audited() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let chair = case(&h, &t).await;
    let number = h.store.procedure_view(&chair).await.unwrap().number;
    let seal = seal_address(&h, &chair, SEAL_REASON, vec![]).await.unwrap();
    h.store.unseal_field(&chair, seal, "Sprawca wyprowadził się z miasta.").await.unwrap();
    let audited = scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'dpo_register'").await;

    let register = h.store.case_register(&Caller::local(&dpo), &query(&number)).await.unwrap();
    assert_eq!(register.seals.len(), 1);
    assert_eq!(register.seals[0].reason, SEAL_REASON);
    assert_eq!(register.seals[0].unseal_reason.as_deref(), Some("Sprawca wyprowadził się z miasta."));
    assert_eq!(register.seals[0].sealed_by.as_deref(), Some(t.chair.login.as_str()));
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'dpo_register'").await,
        audited + 1,
        "the officer's read is in the trail"
    );
}

#[tokio::test]
async fn only_the_officer_of_the_municipality_reads_the_register() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let chair = case(&h, &t).await;
    let number = h.store.procedure_view(&chair).await.unwrap().number;
    assert!(matches!(
        h.store.case_register(&Caller::local(&t.chair), &query(&number)).await,
        Err(StoreError::NotFound)
    ));
    let now = h.store.now();
    assert!(matches!(
        h.store.register_summary(&Caller::local(&t.chair), now - SignedDuration::from_hours(1), now, false).await,
        Err(StoreError::NotFound)
    ));
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    assert!(matches!(
        h.store.case_register(&Caller::local(&dpo), &query("NK/1999/9999")).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn reads_page_backwards_without_gaps_or_repeats_and_the_summary_counts_them() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let chair = case(&h, &t).await;
    let number = h.store.procedure_view(&chair).await.unwrap().number;
    let start = h.store.now();
    let worker = h.store.case_access(&Caller::local(&t.social_worker), chair.procedure_id).await.unwrap();
    for _ in 0..7 {
        h.store.procedure_view(&worker).await.unwrap();
    }
    let all = h.store.case_register(&Caller::local(&dpo), &query(&number)).await.unwrap().reads;
    let mut paged = Vec::new();
    let mut before = None;
    loop {
        let q = CaseRegisterQuery { before_seq: before, limit: 3, ..query(&number) };
        let page = h.store.case_register(&Caller::local(&dpo), &q).await.unwrap().reads;
        assert!(page.len() <= 3);
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        paged.extend(page.into_iter().map(|r| r.seq));
    }
    assert_eq!(paged, all.iter().map(|r| r.seq).collect::<Vec<_>>());
    assert!(paged.len() >= 8, "{paged:?}");

    let summary = h
        .store
        .register_summary(&Caller::local(&dpo), start, h.store.now() + SignedDuration::from_secs(1), false)
        .await
        .unwrap();
    let worker_reads = summary
        .iter()
        .find(|r| {
            r.actor.login == t.social_worker.login && r.action == "read_personal_data" && r.object_kind == "procedure"
        })
        .expect("the worker's reads are counted");
    assert_eq!(worker_reads.count, 7);
}
