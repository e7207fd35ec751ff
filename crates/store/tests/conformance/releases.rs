//! Issue 20, item 2 in the store: a copy of the case documentation released by the chair. The case read for it
//! withholds every sealed value unless the chair included them; the release is recorded (what, to whom, when, on
//! what basis, by whom) with its recipient encrypted and out of the clear audit detail; it is in the officer's
//! register; nobody but the chair or deputy releases or lists releases.

use domain::identity::Role;
use domain::procedure::release::{RawRelease, check_request};
use store::Caller;
use store::StoreError;
use store::audit::CaseRegisterQuery;
use store::procedure::ReleaseContents;

use crate::procedure::{person, team};
use crate::sealed_fields::{case, seal_address};
use crate::support::*;

const RECIPIENT: &str = "Jan Kowalski, ul. Stara 1, Kraków";
const PURPOSE: &str = "postępowanie rozwodowe przed Sądem Okręgowym";
const STREET: &str = "Ukryta";

fn request(include_sealed: bool) -> domain::procedure::release::ReleaseRequest {
    let raw = RawRelease {
        recipient: RECIPIENT.into(),
        purpose: PURPOSE.into(),
        basis: if include_sealed { "court_or_prosecutor" } else { "act_9c_5_suspected" }.into(),
        requester: if include_sealed { "authority" } else { "suspected_person" }.into(),
        requested_on: "2026-03-02".into(),
        include_sealed,
        sealed_reason: if include_sealed { "Sąd żąda pełnych danych".into() } else { String::new() },
        ..Default::default()
    };
    let day = "2026-03-02".parse().unwrap();
    check_request(&raw, day, day).unwrap()
}

fn address_on(view: &store::procedure::ProcedureView) -> Option<String> {
    view.forms.iter().find_map(|f| f.answers.get("affected_persons[0].residence_address").map(str::to_owned))
}

#[tokio::test]
async fn a_release_withholds_sealed_values_unless_included_and_is_recorded_for_the_register_without_its_recipient_in_clear()
 {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let dpo = person(&h, tenant, "iod", &[Role::DataProtectionOfficer]).await;
    let chair = case(&h, &t).await;
    seal_address(&h, &chair, "Osoba uciekła do schroniska", vec![]).await.unwrap();

    let view = h.store.release_view(&chair, false).await.unwrap();
    assert_eq!(address_on(&view), None, "the sealed address is withheld from the copy");
    assert!(view.forms[0].withheld.contains("affected_persons[0].residence_address"));
    let included = h.store.release_view(&chair, true).await.unwrap();
    assert!(address_on(&included).is_some_and(|a| a.contains(STREET)), "included by the chair's choice");

    // Nothing to release: refused beside the choice, nothing recorded.
    let empty = ReleaseContents::default();
    let refused = h.store.record_release(&chair, &request(false), &empty).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM case_release").await, 0);

    let contents = ReleaseContents {
        forms: vec![view.forms[0].id],
        records: vec![],
        revealed: vec![],
        redacted: 3,
        digest: "ab".repeat(32),
    };
    let id = h.store.record_release(&chair, &request(false), &contents).await.unwrap();
    let listed = h.store.case_releases(&chair).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, id);
    assert_eq!(listed[0].recipient, RECIPIENT);
    assert_eq!(listed[0].purpose, PURPOSE);
    assert_eq!(listed[0].contents.forms, vec![view.forms[0].id]);
    assert_eq!(listed[0].contents.redacted, 3);
    assert_eq!(listed[0].released_by.as_deref(), Some(t.chair.login.as_str()));
    assert_eq!(listed[0].sealed_reason, None);

    // The clear audit detail names codes and counts, never the recipient or the purpose.
    let created = audit_entries(&h.store, "create");
    let entry = created.await.into_iter().find(|e| e.object_kind == "case_release").expect("the release is audited");
    assert_eq!(entry.object_id.as_deref(), Some(id.to_string().as_str()));
    let detail = entry.detail;
    assert!(detail.contains("act_9c_5_suspected") && detail.contains("forms 1"), "{detail}");
    assert!(!detail.contains("Kowalski") && !detail.contains("rozwodowe"), "{detail}");
    // At rest, the recipient is ciphertext.
    let sql = "SELECT COUNT(*) FROM case_release WHERE CAST(recipient_enc AS TEXT) LIKE '%Kowalski%'";
    assert_eq!(scalar(&h.store, sql).await, 0);

    // The officer's register lists it per case, with the recipient.
    let number = view.number.clone();
    let query = CaseRegisterQuery { number, limit: 100, ..CaseRegisterQuery::default() };
    let register = h.store.case_register(&Caller::local(&dpo), &query).await.unwrap();
    assert_eq!(register.releases.len(), 1);
    assert_eq!(register.releases[0].recipient, RECIPIENT);
    assert_eq!(register.releases[0].requested_on.to_string(), "2026-03-02");
}

#[tokio::test]
async fn only_the_chair_or_deputy_releases_a_copy_or_lists_the_releases() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let chair = case(&h, &t).await;
    let secretary = person(&h, tenant, "sekretarz", &[Role::Secretary]).await;
    let deputy = person(&h, tenant, "zastepca", &[Role::DeputyChair]).await;
    let contents = ReleaseContents { forms: vec![uuid::Uuid::now_v7()], digest: "00".into(), ..Default::default() };
    for who in [&secretary, &t.social_worker] {
        let handle = h.store.case_access(&Caller::local(who), chair.procedure_id).await.unwrap();
        assert!(matches!(h.store.release_view(&handle, false).await, Err(StoreError::NotFound)));
        assert!(matches!(h.store.case_releases(&handle).await, Err(StoreError::NotFound)));
        let r = h.store.record_release(&handle, &request(false), &contents).await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{} may not release", who.login);
    }
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM case_release").await, 0);
    let handle = h.store.case_access(&Caller::local(&deputy), chair.procedure_id).await.unwrap();
    h.store.record_release(&handle, &request(true), &contents).await.unwrap();
    let listed = h.store.case_releases(&handle).await.unwrap();
    assert_eq!(listed[0].sealed_reason.as_deref(), Some("Sąd żąda pełnych danych"));
}
