//! The team's rules and agreements (issue 18 item 5): the rules and the standards for institutions as versions that
//! are never overwritten, each following the one before; the institutions' acknowledgements; the agreements with
//! member institutions, checked dates, changed at their version, and the chair reminded once before one lapses.
//! The harness's day is 2 March 2026.

use domain::identity::Role;
use store::Caller;
use store::StoreError;
use store::notify::{NotificationKind, NotificationView};
use store::team::{AgreementDraft, AgreementState, DocumentKind, DocumentVersionDraft};

use crate::procedure::{person, team};
use crate::support::*;

fn version(number: &str, adopted: &str, from: &str, body: &str) -> DocumentVersionDraft {
    DocumentVersionDraft {
        body: body.into(),
        resolution_number: number.into(),
        resolution_on: adopted.into(),
        in_force_from: from.into(),
    }
}

fn agreement(institution: uuid::Uuid, to: &str) -> AgreementDraft {
    AgreementDraft {
        institution_id: institution.to_string(),
        subject: "Wymiana informacji i udział w grupach diagnostyczno-pomocowych".into(),
        signed_on: "2025-01-10".into(),
        in_force_from: "2025-01-15".into(),
        in_force_to: to.into(),
        remind_days: String::new(),
    }
}

#[tokio::test]
async fn the_rules_keep_every_version_and_show_the_one_in_force() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let today = h.store.today();
    assert!(h.store.team_rules(&t.chair).await.unwrap().is_none());
    let first = version("1/2024", "2024-02-01", "2024-02-01", "§ 1. Zespół działa na podstawie art. 9a ustawy.")
        .validate(today)
        .unwrap();
    let id =
        h.store.create_team_document(&Caller::local(&t.chair), DocumentKind::Rules, "Regulamin", &first).await.unwrap();
    // One rules document per municipality: amendments are versions.
    assert!(matches!(
        h.store.create_team_document(&Caller::local(&t.chair), DocumentKind::Rules, "Regulamin", &first).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        h.store.create_team_document(&Caller::local(&t.social_worker), DocumentKind::Rules, "Regulamin", &first).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(h.store.team_rules(&t.social_worker).await, Err(StoreError::NotFound)));

    // An amendment adopted now, in force from April: today the first version still applies.
    let second = version("4/2026", "2026-02-20", "2026-04-01", "§ 1. Zespół działa na podstawie art. 9a i 9b ustawy.")
        .validate(today)
        .unwrap();
    assert_eq!(h.store.add_team_document_version(&Caller::local(&t.chair), id, &second, 1).await.unwrap(), 2);
    // Read at the old version: a conflict, never a second "version 2".
    assert!(matches!(
        h.store.add_team_document_version(&Caller::local(&t.chair), id, &second, 1).await,
        Err(StoreError::Conflict(_))
    ));
    // A version in force before the latest one does not follow it.
    let back = version("5/2026", "2026-02-25", "2026-03-01", "§ 1.").validate(today).unwrap();
    assert_eq!(
        field_error(h.store.add_team_document_version(&Caller::local(&t.chair), id, &back, 2).await, "in_force_from"),
        "err-document-in-force-before-previous"
    );

    let rules = h.store.team_rules(&t.chair).await.unwrap().unwrap();
    assert_eq!(rules.versions.len(), 2);
    assert_eq!(rules.latest().unwrap().number, 2);
    assert_eq!(rules.in_force(today).unwrap().resolution_number, "1/2024");
    assert_eq!(rules.in_force(jiff::civil::date(2026, 4, 1)).unwrap().resolution_number, "4/2026");
    assert_eq!(rules.versions[1].body, "§ 1. Zespół działa na podstawie art. 9a ustawy.", "history kept");
    assert_eq!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'team_document' AND action IN ('create', 'update')"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_standard_records_which_institutions_acknowledged_which_version_and_when() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let today = h.store.today();
    let mops = h.store.create_institution(&operator(), tenant, "MOPS", "social_welfare").await.unwrap();
    let other = other_tenant(&h.store).await;
    let foreign = h.store.create_institution(&operator(), other.id, "Obcy OPS", "social_welfare").await.unwrap();
    let v1 = version("2/2025", "2025-05-05", "2025-06-01", "Standard współpracy z placówkami oświatowymi.")
        .validate(today)
        .unwrap();
    let id = h
        .store
        .create_team_document(&Caller::local(&t.chair), DocumentKind::Standard, "Standard współpracy ze szkołami", &v1)
        .await
        .unwrap();
    let version_id = h.store.team_document(&t.chair, id).await.unwrap().versions[0].id;

    let chair = Caller::local(&t.chair);
    let ack =
        |institution, day: &'static str| h.store.acknowledge_team_document(&chair, id, version_id, institution, day);
    assert_eq!(field_error(ack(mops.id, "2026-03-03").await, "acknowledged_on"), "err-date-in-future");
    assert_eq!(
        field_error(ack(mops.id, "2025-05-04").await, "acknowledged_on"),
        "err-acknowledgement-before-resolution"
    );
    assert_eq!(field_error(ack(foreign.id, "2025-06-10").await, "institution_id"), "err-choice-unknown");
    ack(mops.id, "2025-06-10").await.unwrap();
    assert_eq!(field_error(ack(mops.id, "2025-06-11").await, "institution_id"), "err-acknowledgement-exists");

    let standards = h.store.team_standards(&t.chair).await.unwrap();
    assert_eq!(standards.len(), 1);
    let acks = &standards[0].versions[0].acknowledgements;
    assert_eq!(acks.len(), 1);
    assert_eq!((acks[0].institution_name.as_str(), acks[0].acknowledged_on), ("MOPS", jiff::civil::date(2025, 6, 10)));
    // Another municipality's team sees none of it.
    let other_chair = person(&h, other.id, "obcy.przewodniczacy", &[Role::Chair]).await;
    assert!(matches!(h.store.team_document(&other_chair, id).await, Err(StoreError::NotFound)));
    // The institution cannot be removed while its acknowledgement points at it.
    let dependents = h.store.institution_team_dependents(tenant, mops.id).await.unwrap();
    assert_eq!(dependents.iter().map(|d| d.kind).collect::<Vec<_>>(), vec!["team_document"]);
}

#[tokio::test]
async fn agreements_check_their_dates_change_at_their_version_and_remind_the_chair_once_before_they_lapse() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let today = h.store.today();
    let police = h.store.create_institution(&operator(), tenant, "Komenda Powiatowa Policji", "police").await.unwrap();

    let mut bad = agreement(police.id, "2025-01-15");
    bad.signed_on = "2026-03-03".into();
    let e = bad.validate(today).unwrap_err();
    assert_eq!(e.for_field("signed_on"), Some("err-date-in-future"));
    assert_eq!(e.for_field("in_force_to"), Some("err-agreement-end-not-after-start"));

    // Lapses on 31 March: 29 days ahead, inside the default 30-day lead.
    let input = agreement(police.id, "2026-03-31").validate(today).unwrap();
    let id = h.store.create_agreement(&Caller::local(&t.chair), &input).await.unwrap();
    assert!(matches!(
        h.store.create_agreement(&Caller::local(&t.social_worker), &input).await,
        Err(StoreError::NotFound)
    ));
    let read = h.store.agreement(&t.chair, id).await.unwrap();
    assert_eq!(read.state(today), AgreementState::Lapsing { last_day: jiff::civil::date(2026, 3, 31) });
    assert_eq!(h.store.team_overview(&t.chair).await.unwrap().agreements_lapsing, 1);

    let lapsing = |n: &NotificationView| n.rule_id.as_deref() == Some("team-agreement-lapsing");
    h.store.team_reminders().await.unwrap();
    let notes = h.store.notifications(&t.chair, 20).await.unwrap();
    assert_eq!(notes.iter().filter(|n| lapsing(n)).count(), 1);
    assert!(notes.iter().filter(|n| lapsing(n)).all(|n| n.kind == NotificationKind::TeamReminder));
    h.store.team_reminders().await.unwrap();
    assert_eq!(h.store.notifications(&t.chair, 20).await.unwrap().iter().filter(|n| lapsing(n)).count(), 1, "once");

    // Extended by a year: no longer lapsing; a stale version is a conflict.
    let extended = agreement(police.id, "2027-03-31").validate(today).unwrap();
    h.store.update_agreement(&Caller::local(&t.chair), id, &extended, 1).await.unwrap();
    assert!(matches!(
        h.store.update_agreement(&Caller::local(&t.chair), id, &extended, 1).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(h.store.agreement(&t.chair, id).await.unwrap().state(today), AgreementState::InForce);
    assert_eq!(h.store.team_overview(&t.chair).await.unwrap().agreements_lapsing, 0);
    assert_eq!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'team_agreement' AND action IN ('create', 'update')"
        )
        .await,
        2
    );
    let dependents = h.store.institution_team_dependents(tenant, police.id).await.unwrap();
    assert_eq!(dependents.iter().map(|d| d.kind).collect::<Vec<_>>(), vec!["team_agreement"]);
}
