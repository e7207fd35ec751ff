//! The county's own figures (issue 17, item 4): editions of the county's programmes for persons using violence and
//! the certificates it sends back, linked to a municipality's referral by an opaque reference, so the municipality's
//! team sees the certificate arrive while the county never sees the case; the county's sums on its page and the
//! region's.

use domain::disclosure::Shown;
use domain::identity::Role;
use domain::procedure::lifecycle::{Command, GroupMemberKind};
use domain::procedure::referral::{ProgrammeKind, ReferralStep};
use jiff::SignedDuration;
use jiff::civil::Date;
use store::Caller;
use store::StoreError;
use store::county::{CertificateInput, CertificateKind, EditionInput};
use store::identity::{NewAccount, Principal};
use store::procedure::CaseHandle;
use uuid::Uuid;

use crate::procedure::{Team, open, team};
use crate::support::*;

async fn account_in(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Principal {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    h.store.principal(id).await.unwrap()
}

struct Area {
    county: Principal,
    other_county: Principal,
    region: Principal,
}

/// Łódzkie with the county of Tomaszów (1016, the harness's municipality's) and Jasło's county (1805, elsewhere).
async fn area(h: &Harness) -> Area {
    let op = operator();
    let lodzkie = h.store.create_tenant(&op, "10", "Województwo łódzkie", false).await.unwrap();
    let tomaszowski = h.store.create_tenant(&op, "1016", "Powiat tomaszowski", false).await.unwrap();
    let jasielski = h.store.create_tenant(&op, "1805", "Powiat jasielski", false).await.unwrap();
    Area {
        county: account_in(h, tomaszowski.id, "koordynator.tomaszowski", &[Role::CountyCoordinator]).await,
        other_county: account_in(h, jasielski.id, "koordynator.jasielski", &[Role::CountyCoordinator]).await,
        region: account_in(h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await,
    }
}

fn today(h: &Harness) -> Date {
    domain::calendar::warsaw_date(h.now()).unwrap()
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap()
}

fn edition(kind: &str, starts: Date, ends: Date, registrations: i32, completions: i32) -> EditionInput {
    EditionInput {
        kind: kind.into(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        registrations: registrations.to_string(),
        completions: completions.to_string(),
    }
}

fn certificate(kind: CertificateKind, on: Date, reference: &str) -> CertificateInput {
    CertificateInput {
        kind: kind.as_str().into(),
        issued_on: on.to_string(),
        edition: String::new(),
        reference: reference.into(),
    }
}

/// A case of the harness's municipality whose team has referred the suspected person to a programme.
async fn referred_case(h: &Harness, t: &Team) -> (CaseHandle, Uuid) {
    let (chair, referral) = requested_case(h, t).await;
    let v = h.store.procedure_version(&chair).await.unwrap();
    let refer = ReferralStep::Refer { provider: "Powiatowe Centrum Pomocy Rodzinie".into() };
    h.store.referral_step(&chair, referral, &refer, v).await.unwrap();
    (chair, referral)
}

/// A case whose group asked for a referral that the team has not made yet: the chair's handle and the referral.
async fn requested_case(h: &Harness, t: &Team) -> (CaseHandle, Uuid) {
    let id = open(h, t).await;
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let members = [
        (t.social_worker.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    h.store.appoint_group(&chair, &members, store::procedure::AppointmentBasis::TeamDecision, 1).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social_worker), id).await.unwrap();
    h.advance(SignedDuration::from_hours(24));
    h.store.apply_procedure_command(&group, &Command::RecordGroupMeeting, 2).await.unwrap();
    let person = h.store.referrals_view(&group).await.unwrap().suspected_persons[0].person;
    let referral = Uuid::now_v7();
    let request = ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person };
    let v = h.store.procedure_version(&group).await.unwrap();
    h.store.referral_step(&group, referral, &request, v).await.unwrap();
    (chair, referral)
}

#[tokio::test]
async fn the_county_records_its_editions_refused_beside_the_field_and_changed_at_their_version() {
    let h = Harness::new().await;
    let a = area(&h).await;
    let now = today(&h);
    let ce = "correctional_educational";
    let id = h
        .store
        .create_county_edition(&Caller::local(&a.county), &edition(ce, days(now, -60), days(now, -1), 12, 9))
        .await
        .unwrap();

    let refused = |r: Result<Uuid, StoreError>, field: &str| field_error(r, field);
    let future =
        h.store.create_county_edition(&Caller::local(&a.county), &edition(ce, days(now, 1), days(now, 30), 3, 0)).await;
    assert_eq!(refused(future, "starts_on"), "err-county-edition-start-future");
    let over = h
        .store
        .create_county_edition(&Caller::local(&a.county), &edition(ce, days(now, -9), days(now, -1), 3, 4))
        .await;
    assert_eq!(refused(over, "completions"), "err-county-completions-over");
    let running =
        h.store.create_county_edition(&Caller::local(&a.county), &edition(ce, days(now, -9), days(now, 9), 3, 1)).await;
    assert_eq!(refused(running, "completions"), "err-county-completions-before-end");
    let kind = h
        .store
        .create_county_edition(&Caller::local(&a.county), &edition("anger", days(now, -9), days(now, -1), 3, 1))
        .await;
    assert_eq!(refused(kind, "kind"), "err-referral-programme-unknown");
    assert_eq!(h.store.county_editions(&a.county).await.unwrap().len(), 1, "nothing refused was kept");

    // A change at the version read; the same stale version again is a conflict; another county's edition does not
    // exist for it; the region and a municipality's chair keep no editions.
    h.store
        .update_county_edition(&Caller::local(&a.county), id, 1, &edition(ce, days(now, -60), days(now, -1), 14, 10))
        .await
        .unwrap();
    let stale = h
        .store
        .update_county_edition(&Caller::local(&a.county), id, 1, &edition(ce, days(now, -60), days(now, -1), 15, 10))
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let foreign = h
        .store
        .update_county_edition(
            &Caller::local(&a.other_county),
            id,
            2,
            &edition(ce, days(now, -60), days(now, -1), 1, 0),
        )
        .await;
    assert!(matches!(foreign, Err(StoreError::NotFound)), "{foreign:?}");
    assert!(matches!(h.store.county_editions(&a.region).await, Err(StoreError::NotFound)));
    let editions = h.store.county_editions(&a.county).await.unwrap();
    assert_eq!((editions[0].registrations, editions[0].completions, editions[0].version), (14, 10, 2));
    let audited = audit_entries(&h.store, "update").await;
    assert!(audited.iter().any(|e| e.object_kind == "county_programme_edition"), "the change is audited");
}

#[tokio::test]
async fn a_certificate_reaches_the_municipalitys_referral_by_its_reference_and_the_county_never_sees_the_case() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let a = area(&h).await;
    let (chair, referral) = referred_case(&h, &t).await;
    let number = h.store.case_number(&chair).await.unwrap();

    // The team makes the reference once: asking again gives the same one.
    let reference = h.store.issue_county_reference(&chair, referral).await.unwrap();
    assert_eq!(h.store.issue_county_reference(&chair, referral).await.unwrap(), reference);
    assert_eq!(reference.len(), 14, "{reference}");
    let unknown = h.store.issue_county_reference(&chair, Uuid::now_v7()).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "a referral the case does not have");

    let now = today(&h);
    // Another county does not find it (as if it did not exist); a typo neither.
    let elsewhere = h
        .store
        .record_county_certificate(
            &Caller::local(&a.other_county),
            &certificate(CertificateKind::Registration, now, &reference),
        )
        .await;
    assert_eq!(field_error(elsewhere, "reference"), "err-county-reference-unknown");
    let typo = h
        .store
        .record_county_certificate(
            &Caller::local(&a.county),
            &certificate(CertificateKind::Registration, now, "ABCD-EFGH-JKMN"),
        )
        .await;
    assert_eq!(field_error(typo, "reference"), "err-county-reference-unknown");
    let future = h
        .store
        .record_county_certificate(
            &Caller::local(&a.county),
            &certificate(CertificateKind::Registration, days(now, 1), &reference),
        )
        .await;
    assert_eq!(field_error(future, "issued_on"), "err-date-in-future");

    // Typed in lower case with spaces, as read from paper.
    let typed = reference.to_lowercase().replace('-', " ");
    h.store
        .record_county_certificate(
            &Caller::new(&a.county, Some(ADDRESS.into())),
            &certificate(CertificateKind::Registration, now, &typed),
        )
        .await
        .unwrap();
    let twice = h
        .store
        .record_county_certificate(
            &Caller::local(&a.county),
            &certificate(CertificateKind::Registration, now, &reference),
        )
        .await;
    assert_eq!(field_error(twice, "reference"), "err-county-certificate-duplicate");
    let earlier = h
        .store
        .record_county_certificate(
            &Caller::local(&a.county),
            &certificate(CertificateKind::Completion, days(now, -1), &reference),
        )
        .await;
    assert_eq!(field_error(earlier, "issued_on"), "err-county-certificate-before-registration");

    // The municipality's team sees it arrive on the referral.
    let references = h.store.county_references(&chair).await.unwrap();
    assert_eq!(references.len(), 1);
    assert_eq!((references[0].referral_id, references[0].reference.as_str()), (referral, reference.as_str()));
    assert_eq!(references[0].certificates, vec![(CertificateKind::Registration, now)]);

    // What the county reads names the municipality and the reference, never the person, the PESEL or the case.
    let listed = h.store.county_certificates(&a.county).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].reference.as_deref(), Some(reference.as_str()));
    assert_eq!(listed[0].municipality.as_deref(), Some("Gmina Miasto Tomaszów Mazowiecki"));
    let county_view = format!(
        "{listed:?} {:?} {:?}",
        h.store.county_editions(&a.county).await.unwrap(),
        h.store.county_programme_figures(&a.county, now.year()).await.unwrap()
    );
    for secret in [
        "Kowalski",
        "8503120840",
        "8301050571",
        number.as_str(),
        &chair.procedure_id.to_string(),
        &referral.to_string(),
    ] {
        assert!(!county_view.contains(secret), "{secret} in {county_view}");
    }
    assert!(listed.iter().all(|c| c.kind == CertificateKind::Registration));
    let created = audit_entries(&h.store, "create").await;
    assert!(created.iter().any(|e| e.object_kind == "county_referral_reference"));
    assert!(created.iter().any(|e| e.object_kind == "county_certificate"));
}

#[tokio::test]
async fn the_countys_figures_are_its_own_exactly_and_the_region_sums_them_with_small_counts_suppressed() {
    let h = Harness::new().await;
    let a = area(&h).await;
    let now = today(&h);
    let year = now.year();
    let start = Date::new(year, 1, 2).unwrap();
    let (ce, pt) = ("correctional_educational", "psychological_therapeutic");
    // Started and ended this year: counted with its registrations and completions.
    h.store.create_county_edition(&Caller::local(&a.county), &edition(ce, start, start, 12, 9)).await.unwrap();
    h.store.create_county_edition(&Caller::local(&a.county), &edition(pt, start, start, 3, 2)).await.unwrap();
    h.store.create_county_edition(&Caller::local(&a.other_county), &edition(ce, start, start, 20, 15)).await.unwrap();
    // Began last year: its registrations count there; it ended this year, so its completions count here.
    let last = Date::new(year - 1, 11, 1).unwrap();
    h.store.create_county_edition(&Caller::local(&a.county), &edition(ce, last, start, 6, 6)).await.unwrap();
    h.store
        .record_county_certificate(&Caller::local(&a.county), &certificate(CertificateKind::Completion, start, ""))
        .await
        .unwrap();

    let own = h.store.county_programme_figures(&a.county, year).await.unwrap();
    assert_eq!(own.counties.len(), 1, "a county reads itself only");
    let v = Shown::Value;
    assert_eq!(own.total[0], [v(1), v(12), v(15), v(0), v(1)], "correctional-educational");
    assert_eq!(own.total[1], [v(1), v(3), v(2), v(0), v(0)], "its own small counts exact");
    let before = h.store.county_programme_figures(&a.county, year - 1).await.unwrap();
    assert_eq!(before.total[0], [v(1), v(6), v(0), v(0), v(0)]);

    // Łódzkie holds Tomaszów's county only (Jasło's 1805 is Podkarpackie): the sum is Tomaszów's; its 3 and 2
    // persons of the psychological-therapeutic programme are "<5".
    let region = h.store.county_programme_figures(&a.region, year).await.unwrap();
    assert_eq!(region.counties.len(), 1);
    assert_eq!(region.total[0][1], v(12));
    assert_eq!(region.total[1][0], v(1), "editions are not persons");
    assert_eq!((region.total[1][1], region.total[1][2]), (Shown::Small, Shown::Small));
    // A municipality's chair has no area.
    let t = team(&h).await;
    assert!(matches!(h.store.county_programme_figures(&t.chair, year).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_county_or_voivodeship_the_register_does_not_know_is_refused() {
    let h = Harness::new().await;
    let op = operator();
    // "1234" is well formed (12 is Małopolska) but Małopolska has no county 34; "34" is no voivodeship at all.
    assert_eq!(
        field_error(h.store.create_tenant(&op, "1234", "Powiat zmyślony", false).await, "teryt"),
        "err-teryt-not-in-register"
    );
    assert!(h.store.create_tenant(&op, "1261", "Miasto Kraków (powiat)", false).await.is_ok());
    assert!(h.store.create_tenant(&op, "12", "Województwo małopolskie", false).await.is_ok());
    // A demo's invented unit is its own business.
    assert!(h.store.create_tenant(&op, "1298", "Powiat Demonstracyjny (DEMO)", true).await.is_ok());
    assert!(!h.store.in_register("1234011").await.unwrap() && h.store.in_register("1261011").await.unwrap());
}

#[tokio::test]
async fn the_chair_makes_the_signing_key_by_asking_for_it_once_and_it_is_audited() {
    let h = Harness::new().await;
    let t = team(&h).await;
    assert_eq!(h.store.statutory_signing_key(&t.chair).await.unwrap(), None, "reading makes nothing");
    assert_eq!(h.store.statutory_signing_key(&t.chair).await.unwrap(), None);
    assert!(matches!(
        h.store.create_statutory_signing_key(&Caller::local(&t.initiator)).await,
        Err(StoreError::NotFound)
    ));
    let made = h.store.create_statutory_signing_key(&Caller::new(&t.chair, Some(ADDRESS.into()))).await.unwrap();
    assert_eq!(
        h.store.create_statutory_signing_key(&Caller::local(&t.chair)).await.unwrap(),
        made,
        "asking again: the same key"
    );
    assert_eq!(h.store.statutory_signing_key(&t.chair).await.unwrap(), Some(made));
    let created: Vec<_> = audit_entries(&h.store, "key_created")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "statutory_signing_key")
        .collect();
    assert_eq!(created.len(), 1, "made once, audited once");
}

#[tokio::test]
async fn a_reference_is_made_only_for_a_referral_the_team_has_referred() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let (chair, referral) = requested_case(&h, &t).await;

    // Asked for by the group, not yet referred by the team: no reference (the page offers none either).
    let early = h.store.issue_county_reference(&chair, referral).await;
    assert_eq!(field_error(early, "referral"), "err-county-reference-not-referred");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM county_referral_reference").await, 0);

    // Once referred, it is made.
    let v = h.store.procedure_version(&chair).await.unwrap();
    let refer = ReferralStep::Refer { provider: "Powiatowe Centrum Pomocy Rodzinie".into() };
    h.store.referral_step(&chair, referral, &refer, v).await.unwrap();
    let reference = h.store.issue_county_reference(&chair, referral).await.unwrap();
    assert_eq!(reference.len(), 14, "{reference}");
}

#[tokio::test]
async fn wrong_references_are_audited_without_their_text_and_the_account_waits_after_five() {
    // Arrange: a real reference of the county of Tomaszów, typed by the county of Jasło.
    let h = Harness::new().await;
    let t = team(&h).await;
    let a = area(&h).await;
    let (chair, referral) = referred_case(&h, &t).await;
    let reference = h.store.issue_county_reference(&chair, referral).await.unwrap();
    let now = today(&h);
    let record = |p: &Principal, typed: &str| {
        let (store, p, input) = (h.store.clone(), p.clone(), certificate(CertificateKind::Registration, now, typed));
        async move { store.record_county_certificate(&Caller::new(&p, Some("192.0.2.77".into())), &input).await }
    };

    // Act: four wrong tries (another county's real reference, a malformed one) are refused as unknown...
    for typed in [reference.as_str(), reference.as_str(), "ABCD-EFGH", reference.as_str()] {
        assert_eq!(field_error(record(&a.other_county, typed).await, "reference"), "err-county-reference-unknown");
    }
    // ...the fifth pauses the account, and while paused even a right reference is not looked up.
    assert_eq!(field_error(record(&a.other_county, &reference).await, "reference"), "err-county-reference-paused");
    assert_eq!(field_error(record(&a.other_county, &reference).await, "reference"), "err-county-reference-paused");
    let paused = record(&a.other_county, &reference).await;
    let Err(StoreError::Invalid(errors)) = paused else { panic!("{paused:?}") };
    let args = &errors.iter().next().unwrap().args;
    assert!(args.iter().any(|(k, v)| *k == "time" && v.len() == 5), "{args:?}");

    // Assert: each refusal that was looked up is in the trail with the account and address, never the text.
    let refused = audit_entries(&h.store, "reference_refused").await;
    assert_eq!(refused.len(), 5, "{refused:?}");
    let compact = reference.replace('-', "");
    for e in &refused {
        assert_eq!(
            (e.actor_login.as_deref(), e.address.as_deref()),
            (Some("koordynator.jasielski"), Some("192.0.2.77"))
        );
        assert!(!e.detail.contains(&reference) && !e.detail.contains(&compact), "{e:?}");
        assert!(!e.detail.contains("ABCD"), "{e:?}");
    }
    assert!(refused.iter().any(|e| e.detail.contains("paused")), "{refused:?}");
    // The pause is the account's: the county whose reference it is records its certificate, and the paused
    // account still records one without a reference.
    record(&a.county, &reference).await.unwrap();
    record(&a.other_county, "").await.unwrap();
    // After a quiet hour the count starts again.
    h.advance(SignedDuration::from_mins(61));
    assert_eq!(field_error(record(&a.other_county, &reference).await, "reference"), "err-county-reference-unknown");
}
