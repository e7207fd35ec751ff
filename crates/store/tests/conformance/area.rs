//! County and region (issue 17): the municipalities' approved sets submitted upward, who is late and who corrected,
//! a submission returned with a comment the chair reads, the sums with disclosure control, the region's report, the
//! coordinators' roles bound to their level, and the TERC register.

use domain::disclosure::Shown;
use domain::identity::Role;
use domain::territory::TerritorialLevel;
use jiff::Timestamp;
use store::StoreError;
use store::area::SubmissionVia;
use store::identity::{NewAccount, Principal};
use uuid::Uuid;

use crate::support::*;

const YEAR: i16 = 2026;

/// An account with `roles` in `tenant`, activated (no confidentiality declaration: the coordinators see no case).
async fn account_in(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Result<Principal, StoreError> {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await?;
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    Ok(h.store.principal(id).await.unwrap())
}

fn move_to(h: &Harness, date: &str) {
    let target: Timestamp = date
        .parse::<jiff::civil::Date>()
        .unwrap()
        .at(9, 0, 0, 0)
        .to_zoned(domain::calendar::poland_zone())
        .unwrap()
        .timestamp();
    h.advance(target.duration_since(h.now()));
}

struct Region {
    voivodeship: Principal,
    county: Principal,
    other_county: Principal,
    /// Chairs of Tomaszów Mazowiecki (town), Tomaszów Mazowiecki (rural), Ujazd (all county 1016) and Jasło (1805).
    chairs: Vec<(Uuid, Principal)>,
}

async fn region(h: &Harness) -> Region {
    let op = operator();
    let lodzkie = h.store.create_tenant(&op, "10", "Województwo łódzkie", false).await.unwrap();
    let tomaszowski = h.store.create_tenant(&op, "1016", "Powiat tomaszowski", false).await.unwrap();
    let jasielski = h.store.create_tenant(&op, "1805", "Powiat jasielski", false).await.unwrap();
    let mut chairs = Vec::new();
    for (teryt, name, login) in [
        ("1016011", "Tomaszów Mazowiecki", "chair.miasto"),
        ("1016072", "Tomaszów Mazowiecki (gmina wiejska)", "chair.wies"),
        ("1016083", "Ujazd", "chair.ujazd"),
        ("1805021", "Jasło", "chair.jaslo"),
    ] {
        let t = h.store.create_tenant(&op, teryt, name, false).await.unwrap();
        chairs.push((t.id, account_in(h, t.id, login, &[Role::Chair]).await.unwrap()));
    }
    Region {
        voivodeship: account_in(h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await.unwrap(),
        county: account_in(h, tomaszowski.id, "koordynator.tomaszowski", &[Role::CountyCoordinator]).await.unwrap(),
        other_county: account_in(h, jasielski.id, "koordynator.jasielski", &[Role::CountyCoordinator]).await.unwrap(),
        chairs,
    }
}

#[tokio::test]
async fn the_county_sees_its_municipalities_submissions_who_is_late_and_who_corrected() {
    let h = Harness::new().await;
    let r = region(&h).await;
    // The town approves in January (on time), the rural one in February after the 10th, Ujazd never.
    move_to(&h, "2027-01-15");
    h.store.enter_statutory_line(&r.chairs[0].1, YEAR, "children_secured_elsewhere", "3", true).await.unwrap();
    assert_eq!(h.store.approve_statutory(&r.chairs[0].1, YEAR, "").await.unwrap(), 1);
    move_to(&h, "2027-02-20");
    h.store.enter_statutory_line(&r.chairs[1].1, YEAR, "children_secured_elsewhere", "7", true).await.unwrap();
    h.store.approve_statutory(&r.chairs[1].1, YEAR, "").await.unwrap();
    // Jasło (another county, another voivodeship) approves too: never in Łódź's figures.
    h.store.enter_statutory_line(&r.chairs[3].1, YEAR, "children_secured_elsewhere", "40", true).await.unwrap();
    h.store.approve_statutory(&r.chairs[3].1, YEAR, "").await.unwrap();

    let f = h.store.area_figures(&r.county, YEAR).await.unwrap();
    assert_eq!((f.level, f.name.as_str()), (TerritorialLevel::County, "powiat tomaszowski"));
    assert_eq!(f.deadline.to_string(), "2027-02-10");
    let status = |teryt: &str| f.statuses.iter().find(|s| s.teryt == teryt).unwrap().clone();
    assert_eq!(f.statuses.len(), 3, "Jasło is not in the county");
    let town = status("1016011");
    assert_eq!(
        (town.version, town.late, town.corrections, town.via),
        (Some(1), false, 0, Some(SubmissionVia::Installation))
    );
    assert_eq!((status("1016072").late, status("1016072").version), (true, Some(1)));
    assert_eq!((status("1016083").late, status("1016083").version), (true, None));

    // Sums: 3 and 7 are counts of children; the 3 is "<5" and the 7 is hidden with it, or 10 − 7 gives the 3.
    let line = f.line("children_secured_elsewhere").unwrap();
    assert_eq!(line.total, Shown::Value(10));
    assert_eq!(line.municipalities, 2);
    assert_eq!(line.by_municipality, vec![Shown::Small, Shown::Hidden]);
    // The national view adds Jasło.
    assert_eq!(line.country, Shown::Value(50));
    // Counts that are not about persons (teams) stay as they are.
    assert!(matches!(f.line("teams").unwrap().total, Shown::Value(_)));

    // A correction: the town approves again, a version 2.
    h.store.enter_statutory_line(&r.chairs[0].1, YEAR, "children_secured_elsewhere", "5", true).await.unwrap();
    assert_eq!(h.store.approve_statutory(&r.chairs[0].1, YEAR, "Korekta po zgłoszeniu OPS.").await.unwrap(), 2);
    let f = h.store.area_figures(&r.county, YEAR).await.unwrap();
    let town = f.statuses.iter().find(|s| s.teryt == "1016011").unwrap();
    assert_eq!((town.version, town.corrections, town.late), (Some(2), 1, false));
    let line = f.line("children_secured_elsewhere").unwrap();
    assert_eq!((line.total, line.by_municipality.clone()), (Shown::Value(12), vec![Shown::Value(5), Shown::Value(7)]));

    // The region holds the same municipalities (and not Jasło).
    let f = h.store.area_figures(&r.voivodeship, YEAR).await.unwrap();
    assert_eq!((f.level, f.statuses.len(), f.counted.len()), (TerritorialLevel::Region, 3, 2));
    assert_eq!(f.report_deadline.to_string(), "2027-03-30");
}

#[tokio::test]
async fn a_returned_submission_carries_its_comment_to_the_chair_and_leaves_the_sums() {
    let h = Harness::new().await;
    let r = region(&h).await;
    move_to(&h, "2027-01-15");
    for (_, chair) in &r.chairs[..2] {
        h.store.approve_statutory(chair, YEAR, "").await.unwrap();
    }
    let town = r.chairs[0].0;
    // Looked at before the return: both sets count (the figures are now kept; the return must not be hidden by that).
    let f = h.store.area_figures(&r.county, YEAR).await.unwrap();
    assert_eq!((f.counted.len(), f.line("teams").unwrap().municipalities), (2, 2));
    // The comment is required, and a coordinator of another county cannot reach the town.
    assert_eq!(
        field_error(h.store.return_submission(&r.county, town, YEAR, "krótko").await, "comment"),
        "err-submission-comment-required"
    );
    let comment = "Liczba zespołów nie zgadza się z zarządzeniem wójta.";
    assert!(matches!(h.store.return_submission(&r.other_county, town, YEAR, comment).await, Err(StoreError::NotFound)));
    // A municipality's chair returns nothing.
    assert!(matches!(h.store.return_submission(&r.chairs[1].1, town, YEAR, comment).await, Err(StoreError::NotFound)));
    h.store.return_submission(&r.county, town, YEAR, comment).await.unwrap();
    assert_eq!(
        field_error(h.store.return_submission(&r.voivodeship, town, YEAR, comment).await, "comment"),
        "err-submission-already-returned"
    );

    let (_, by, said) = h.store.submission_return(&r.chairs[0].1, YEAR).await.unwrap().unwrap();
    assert_eq!((by.as_str(), said.as_str()), ("Powiat tomaszowski", comment));
    assert!(h.store.submission_return(&r.chairs[1].1, YEAR).await.unwrap().is_none());
    // The comment is stored encrypted.
    let rows: i64 =
        scalar(&h.store, "SELECT COUNT(*) FROM statutory_submission WHERE return_comment_enc IS NOT NULL").await;
    assert_eq!(rows, 1);

    let f = h.store.area_figures(&r.county, YEAR).await.unwrap();
    let status = f.statuses.iter().find(|s| s.teryt == "1016011").unwrap();
    assert!(status.returned_at.is_some());
    assert_eq!(f.counted.len(), 1, "a returned set waits for its correction");
    assert_eq!(f.line("teams").unwrap().municipalities, 1, "the sums leave the returned set out at once");
    // The correction replaces the return.
    h.store.approve_statutory(&r.chairs[0].1, YEAR, "Poprawiono liczbę zespołów.").await.unwrap();
    assert!(h.store.submission_return(&r.chairs[0].1, YEAR).await.unwrap().is_none());
    assert_eq!(h.store.area_figures(&r.county, YEAR).await.unwrap().counted.len(), 2);
}

#[tokio::test]
async fn record_submission_is_the_one_entry_and_refuses_stale_versions() {
    let h = Harness::new().await;
    let r = region(&h).await;
    move_to(&h, "2027-01-15");
    let (town, chair) = &r.chairs[0];
    h.store.approve_statutory(chair, YEAR, "").await.unwrap();
    // Version 1 is already submitted (by the approval): a replay is refused, a version never approved too.
    assert_eq!(
        field_error(h.store.record_submission(*town, YEAR, 1, SubmissionVia::Package).await, "version"),
        "err-submission-stale"
    );
    assert_eq!(
        field_error(h.store.record_submission(*town, YEAR, 9, SubmissionVia::Package).await, "version"),
        "err-submission-no-approval"
    );
    let before = scalar(&h.store, "SELECT COUNT(*) FROM statutory_submission").await;
    assert_eq!(before, 1);
    assert_eq!(
        audit_entries(&h.store, "create").await.iter().filter(|e| e.object_kind == "statutory_submission").count(),
        1
    );
}

#[tokio::test]
async fn only_coordinators_of_a_county_or_region_see_area_figures_and_roles_keep_to_their_level() {
    let h = Harness::new().await;
    let r = region(&h).await;
    // A municipality's chair has no area.
    assert!(matches!(h.store.area_figures(&r.chairs[0].1, YEAR).await, Err(StoreError::NotFound)));
    // Only the region approves the region's report, and only for a year that has ended.
    assert!(matches!(h.store.approve_regional_report(&r.county, YEAR).await, Err(StoreError::NotFound)));
    assert_eq!(
        field_error(h.store.approve_regional_report(&r.voivodeship, YEAR).await, "year"),
        "err-regional-report-year"
    );
    move_to(&h, "2027-02-01");
    assert_eq!(
        field_error(h.store.approve_regional_report(&r.voivodeship, YEAR).await, "year"),
        "err-regional-report-empty"
    );
    h.store.approve_statutory(&r.chairs[0].1, YEAR, "").await.unwrap();
    assert_eq!(h.store.approve_regional_report(&r.voivodeship, YEAR).await.unwrap(), 1);
    let f = h.store.area_figures(&r.voivodeship, YEAR).await.unwrap();
    assert_eq!(f.approval.as_ref().map(|a| (a.version, a.municipalities)), Some((1, 1)));

    // The team's roles belong to a municipality, the coordinators to their level.
    let county_tenant = r.county.tenant_id.unwrap();
    assert_eq!(
        field_error(account_in(&h, county_tenant, "przewodniczacy.powiatu", &[Role::Chair]).await, "roles"),
        "err-role-level"
    );
    assert_eq!(
        field_error(account_in(&h, r.chairs[0].0, "koordynator.w.gminie", &[Role::CountyCoordinator]).await, "roles"),
        "err-role-level"
    );
    assert_eq!(
        field_error(account_in(&h, county_tenant, "koordynator.regionu", &[Role::RegionalCoordinator]).await, "roles"),
        "err-role-level"
    );
    let viewer = account_in(&h, county_tenant, "podglad.powiatu", &[Role::AggregateViewer]).await.unwrap();
    assert_eq!(h.store.area_figures(&viewer, YEAR).await.unwrap().counted.len(), 1);
    assert!(matches!(
        h.store.return_submission(&viewer, r.chairs[0].0, YEAR, "Proszę poprawić dane.").await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn the_register_compiled_in_answers_until_a_newer_terc_file_is_loaded() {
    let h = Harness::new().await;
    let units = h.store.territorial_units().await.unwrap();
    assert_eq!(units.len(), 396);
    assert!(units.iter().all(|u| u.as_of == "2024-01-01"));
    let newer = domain::territory::parse_terc(
        "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n10;;;;ŁÓDZKIE;województwo;2026-01-01\n10;16;;;tomaszowski;powiat;2026-01-01\n",
    )
    .unwrap();
    assert_eq!(h.store.load_territorial_units(&operator(), &newer).await.unwrap(), 2);
    let units = h.store.territorial_units().await.unwrap();
    assert_eq!((units.len(), units[1].as_of.as_str()), (2, "2026-01-01"));
    assert_eq!(
        audit_entries(&h.store, "update").await.iter().filter(|e| e.object_kind == "territorial_unit").count(),
        1
    );
}
