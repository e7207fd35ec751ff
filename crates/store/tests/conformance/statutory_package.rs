//! Signed statutory packages (issue 17, item 5): a municipality's installation exports its approved set signed with
//! its own key, and a region's installation (a second database) registers that key, verifies and imports the
//! package as a version of the municipality's figures; every refusal names what is wrong.

use std::collections::BTreeMap;
use store::Caller;

use domain::identity::Role;
use domain::programme::package::{FORMAT, Package, fingerprint_for_people};
use ed25519_dalek::{Signer, SigningKey};
use jiff::SignedDuration;
use store::StoreError;
use store::identity::Principal;
use store::programme::package::fingerprint_of;

use crate::procedure::{open, pesel, team};
use crate::support::*;

/// Until the harness's clock moves, the current year is 2026: 2025 has ended.
const ENDED: i16 = 2025;

fn figures(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// A test municipality's key, from a fixed seed.
fn test_key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn public_hex(key: &SigningKey) -> String {
    hex::encode(key.verifying_key().as_bytes())
}

/// A package as another installation would sign it.
fn signed(key: &SigningKey, teryt: &str, year: i16, version: i32, figures: BTreeMap<String, i64>) -> Package {
    let mut p = Package {
        format: FORMAT.into(),
        teryt: teryt.into(),
        name: "Gmina Testowa".into(),
        year,
        version,
        approved_at: "2026-01-20T10:00:00Z".into(),
        figures,
        key_fingerprint: fingerprint_of(&key.verifying_key()),
        signature: String::new(),
    };
    p.signature = hex::encode(key.sign(&p.signed_bytes()).to_bytes());
    p
}

/// One text value from a query run directly on the database.
async fn query_text(store: &store::Store, sql: &str) -> String {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let (text,): (String,) = match store.db() {
        store::Db::Sqlite(p, _) => sqlx::query_as(sql).fetch_one(p).await,
        store::Db::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await,
    }
    .expect("text query");
    text
}

fn bytes(p: &Package) -> Vec<u8> {
    serde_json::to_vec_pretty(p).unwrap()
}

fn refusal<T: std::fmt::Debug>(result: Result<T, StoreError>) -> (&'static str, Vec<(&'static str, String)>) {
    match result {
        Err(StoreError::Invalid(errors)) => {
            let e = errors.iter().next().unwrap_or_else(|| panic!("no error: {errors:?}")).clone();
            (e.code, e.args)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_approved_year_goes_up_signed_with_figures_only_and_comes_in_as_the_municipalitys_version() {
    // Arrange: a municipality with a case naming people with PESEL numbers, its year approved once it has ended.
    let sender = Harness::new().await;
    let t = team(&sender).await;
    let tenant = t.chair.tenant_id.unwrap();
    let case = open(&sender, &t).await;
    let number =
        sender.store.procedure_view(&sender.store.case_access(&Caller::local(&t.chair), case).await.unwrap()).await;
    let number = number.unwrap().number;
    assert_eq!(
        field_error(sender.store.export_statutory_package(&operator(), tenant, 2026).await, "package"),
        "err-package-year-not-ended"
    );
    sender.advance(SignedDuration::from_hours(24 * 320));
    assert_eq!(
        field_error(sender.store.export_statutory_package(&operator(), tenant, 2026).await, "package"),
        "err-package-not-approved"
    );
    sender.store.approve_statutory(&t.chair, 2026, "Braki uzupełnimy w korekcie.").await.unwrap();
    // The chair's page reads the key without making one, and the chair's download needs the key made first.
    assert_eq!(sender.store.statutory_signing_key(&t.chair).await.unwrap(), None);
    assert_eq!(
        field_error(sender.store.export_statutory_package_for(&t.chair, 2026).await, "package"),
        "err-package-no-key"
    );
    assert!(audit_entries(&sender.store, "key_created").await.iter().all(|e| e.object_kind != "statutory_signing_key"));

    // Act
    let package = sender.store.export_statutory_package(&operator(), tenant, 2026).await.unwrap();

    // Assert: figures, and not one of the case's names, PESEL numbers, institutions or its number.
    for personal in [
        "Anna",
        "Kowalsk",
        "Maria",
        "Nowak",
        "Piotr",
        "Wiśniewski",
        "Komenda",
        &pesel("8503120840"),
        &pesel("8301050571"),
        &number,
    ] {
        assert!(!contains_bytes(&package, personal.as_bytes()), "the package holds {personal}");
    }
    let envelope: Package = serde_json::from_slice(&package).unwrap();
    assert_eq!((envelope.teryt.as_str(), envelope.year, envelope.version), (TERYT, 2026, 1));
    assert_eq!(envelope.figures.get("procedures_opened"), Some(&1));
    let key = sender.store.statutory_signing_key(&t.chair).await.unwrap().expect("made by the export");
    assert_eq!(envelope.key_fingerprint, key.fingerprint);
    assert!(matches!(sender.store.statutory_signing_key(&t.initiator).await, Err(StoreError::NotFound)));
    // The private half is sealed: its column is ciphertext, and a data-key rotation keeps the same key.
    sender.store.rotate_data_key(&operator(), tenant, 50, |_| {}).await.unwrap();
    assert_eq!(sender.store.statutory_signing_key(&t.chair).await.unwrap(), Some(key.clone()));

    // The region registers the key (its fingerprint read out in groups) and imports the package.
    let region = Harness::new().await;
    region.advance(SignedDuration::from_hours(24 * 320));
    let fingerprint = fingerprint_for_people(&key.fingerprint);
    let registered =
        region.store.register_package_key(&operator(), TERYT, &key.public_key, Some(&fingerprint)).await.unwrap();
    assert!(registered.push_token.starts_with("ostoja-push-"));
    let imported = region.store.import_statutory_package(&operator(), &package).await.unwrap();
    assert_eq!((imported.approval_version, imported.correction, imported.tenant_created), (1, false, true));
    let hosted = region.store.tenant_by_teryt(TERYT).await.unwrap();
    assert_eq!(hosted.name, "Gmina Miasto Tomaszów Mazowiecki");
    assert_eq!(scalar(&region.store, "SELECT COUNT(*) FROM procedure").await, 0);
    let stored: serde_json::Value = serde_json::from_str(
        &query_text(&region.store, "SELECT figures FROM statutory_approval WHERE year = 2026 AND version = 1").await,
    )
    .unwrap();
    assert_eq!(stored, serde_json::to_value(&envelope.figures).unwrap());

    // The same package again is a replay; a re-approval on the sender's side arrives as a correction version.
    assert_eq!(
        refusal(region.store.import_statutory_package(&operator(), &package).await),
        ("err-package-replay", vec![("version", "1".to_owned())])
    );
    sender.store.approve_statutory(&t.chair, 2026, "Korekta po uzupełnieniu formularzy.").await.unwrap();
    let second = sender.store.export_statutory_package(&operator(), tenant, 2026).await.unwrap();
    let imported = region.store.import_statutory_package(&operator(), &second).await.unwrap();
    assert_eq!((imported.package_version, imported.approval_version, imported.correction), (2, 2, true));
    assert_eq!(scalar(&region.store, "SELECT COUNT(*) FROM statutory_package_received").await, 2);
    assert_eq!(scalar(&region.store, "SELECT COUNT(*) FROM statutory_approval").await, 2);
    // Every step is in both audit trails.
    assert!(audit_entries(&sender.store, "key_created").await.iter().any(|e| e.object_kind == "statutory_signing_key"));
    assert_eq!(
        all_audit_entries(&region.store).await.iter().filter(|e| e.object_kind == "statutory_package").count(),
        2
    );
}

#[tokio::test]
async fn a_package_is_refused_naming_what_is_wrong() {
    let h = Harness::new().await;
    let key = test_key(7);
    let good = figures(&[("persons_affected", 5), ("affected_women", 3), ("forms_c", 2)]);
    let import = |p: &Package| {
        let b = bytes(p);
        let store = h.store.clone();
        async move { refusal(store.import_statutory_package(&operator(), &b).await) }
    };

    // An unknown key, named by its fingerprint as people read it.
    let unknown = signed(&key, TERYT, ENDED, 1, good.clone());
    let (code, args) = import(&unknown).await;
    assert_eq!(code, "err-package-unknown-key");
    assert_eq!(args, vec![("fingerprint", fingerprint_for_people(&unknown.key_fingerprint))]);

    // Registered: a fingerprint read out wrong is refused; then the key is registered for TERYT.
    assert_eq!(
        field_error(
            h.store.register_package_key(&operator(), TERYT, &public_hex(&key), Some("0000 1111")).await,
            "fingerprint"
        ),
        "err-package-fingerprint-mismatch"
    );
    assert_eq!(
        field_error(h.store.register_package_key(&operator(), TERYT, "zz", None).await, "key"),
        "err-package-key-format"
    );
    // A municipality of a county the register does not know (12 is Małopolska, which has no county 34): refused.
    assert_eq!(
        field_error(h.store.register_package_key(&operator(), "1234011", &public_hex(&key), None).await, "teryt"),
        "err-teryt-not-in-register"
    );
    h.store.register_package_key(&operator(), TERYT, &public_hex(&key), None).await.unwrap();
    assert_eq!(
        field_error(h.store.register_package_key(&operator(), TERYT, &public_hex(&key), None).await, "key"),
        "err-package-key-taken"
    );

    // A figure changed after signing.
    let mut tampered = signed(&key, TERYT, ENDED, 1, good.clone());
    tampered.figures.insert("forms_c".into(), 20);
    assert_eq!(import(&tampered).await.0, "err-package-signature");
    // Another municipality's code under this key.
    assert_eq!(
        import(&signed(&key, OTHER_TERYT, ENDED, 1, good.clone())).await,
        ("err-package-teryt", vec![("teryt", OTHER_TERYT.to_owned()), ("expected", TERYT.to_owned())])
    );
    // The year still running.
    assert_eq!(
        import(&signed(&key, TERYT, 2026, 1, good.clone())).await,
        ("err-package-year-not-ended", vec![("year", "2026".to_owned())])
    );
    // A negative figure and an "of which" above its total, each naming its line.
    assert_eq!(
        import(&signed(&key, TERYT, ENDED, 1, figures(&[("forms_c", -2)]))).await,
        ("err-package-negative", vec![("line", "forms_c".to_owned())])
    );
    assert_eq!(
        import(&signed(&key, TERYT, ENDED, 1, figures(&[("persons_affected", 2), ("affected_women", 3)]))).await,
        ("err-package-of-which", vec![("line", "affected_women".to_owned()), ("total", "persons_affected".to_owned())])
    );
    // Not JSON: the file's line is named; another format is refused as such.
    assert_eq!(
        refusal(h.store.import_statutory_package(&operator(), b"{\n\"format\": \n}").await),
        ("err-package-json", vec![("file_line", "3".to_owned())])
    );
    let mut other = signed(&key, TERYT, ENDED, 1, good.clone());
    other.format = "ostoja-statutory-package/9".into();
    assert_eq!(import(&other).await.0, "err-package-format-version");

    // Nothing of the refused ones was kept; a good one is, and an older version after it is stale.
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_package_received").await, 0);
    let v2 = signed(&key, TERYT, ENDED, 2, good.clone());
    h.store.import_statutory_package(&operator(), &bytes(&v2)).await.unwrap();
    assert_eq!(
        import(&signed(&key, TERYT, ENDED, 1, good)).await,
        ("err-package-stale", vec![("version", "1".to_owned()), ("latest", "2".to_owned())])
    );
}

#[tokio::test]
async fn a_push_token_admits_only_its_own_municipalitys_packages() {
    let h = Harness::new().await;
    let (ours, theirs) = (test_key(1), test_key(2));
    let token = h.store.register_package_key(&operator(), TERYT, &public_hex(&ours), None).await.unwrap().push_token;
    h.store.register_package_key(&operator(), OTHER_TERYT, &public_hex(&theirs), None).await.unwrap();
    let f = figures(&[("teams", 1)]);

    assert!(matches!(
        h.store
            .import_pushed_package("ostoja-push-wrong", &bytes(&signed(&ours, TERYT, ENDED, 1, f.clone())), None)
            .await,
        Err(StoreError::NotFound)
    ));
    // The other municipality's valid package, pushed with our token.
    let (code, _) = refusal(
        h.store.import_pushed_package(&token, &bytes(&signed(&theirs, OTHER_TERYT, ENDED, 1, f.clone())), None).await,
    );
    assert_eq!(code, "err-package-teryt");
    let imported =
        h.store.import_pushed_package(&token, &bytes(&signed(&ours, TERYT, ENDED, 1, f)), None).await.unwrap();
    assert_eq!(imported.approval_version, 1);
    assert_eq!(query_text(&h.store, "SELECT via FROM statutory_package_received").await, "push");
}

#[tokio::test]
async fn a_municipality_with_its_own_cases_here_is_not_overwritten_by_a_package() {
    // Arrange: the municipality works on this installation; someone registers a key for its TERYT.
    let h = Harness::new().await;
    let t = team(&h).await;
    open(&h, &t).await;
    let key = test_key(3);
    h.store.register_package_key(&operator(), TERYT, &public_hex(&key), None).await.unwrap();

    // Act
    let result =
        h.store.import_statutory_package(&operator(), &bytes(&signed(&key, TERYT, ENDED, 1, figures(&[])))).await;

    // Assert
    assert_eq!(refusal(result), ("err-package-hosted", vec![("teryt", TERYT.to_owned())]));
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_approval").await, 0);
}

/// Speed goal (issue 17): verifying and importing 180 signed packages under 10 s. Run on purpose:
/// `cargo nextest run -p store -E 'test(/importing_180/)' --run-ignored only --no-capture`.
#[tokio::test]
#[ignore = "benchmark: run on purpose (docs/benchmarks.md)"]
async fn importing_180_signed_packages() {
    let h = Harness::new().await;
    let full: BTreeMap<String, i64> =
        domain::programme::statutory::template().iter().map(|l| (l.id.to_owned(), 0)).collect();
    let mut packages = Vec::new();
    for i in 0..180u32 {
        let teryt = format!("{:02}{:02}{:02}2", 2 + 2 * (i % 16), 1 + i / 16, 1 + i % 16);
        let key = SigningKey::from_bytes(&{
            let mut seed = [9u8; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            seed
        });
        h.store.register_package_key(&operator(), &teryt, &public_hex(&key), None).await.unwrap();
        packages.push(bytes(&signed(&key, &teryt, ENDED, 1, full.clone())));
    }
    let started = std::time::Instant::now();
    for p in &packages {
        h.store.import_statutory_package(&operator(), p).await.unwrap();
    }
    let elapsed = started.elapsed();
    println!("imported 180 signed packages in {:.2} s ({})", elapsed.as_secs_f64(), h.store.db().engine());
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_package_received").await, 180);
}

#[tokio::test]
async fn wrong_push_tokens_are_throttled_per_address_and_audited_once_per_window() {
    let h = Harness::new().await;
    let ours = test_key(1);
    let token = h.store.register_package_key(&operator(), TERYT, &public_hex(&ours), None).await.unwrap().push_token;
    let package = bytes(&signed(&ours, TERYT, ENDED, 1, figures(&[("teams", 1)])));
    let from = |a: &str| Some(a.to_owned());
    // Twenty wrong tokens from one address within the hour: refused as unknown, then the address waits.
    for n in 0..20 {
        let r = h.store.import_pushed_package(&format!("ostoja-push-guess{n}"), &package, from("203.0.113.9")).await;
        assert!(matches!(r, Err(StoreError::NotFound)), "{n}: {r:?}");
    }
    let locked = h.store.import_pushed_package(&token, &package, from("203.0.113.9")).await;
    assert!(matches!(locked, Err(StoreError::AuthFailed { locked_until: Some(_) })), "{locked:?}");
    // Another address with the right token is not held up by the guesser.
    h.store.import_pushed_package(&token, &package, from("198.51.100.7")).await.unwrap();
    // The trail holds the first refusal and the pause, not twenty entries.
    let refused: Vec<_> = audit_entries(&h.store, "login_failed")
        .await
        .into_iter()
        .filter(|e| e.object_kind == "statutory_package_key")
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused.iter().all(|e| e.address.as_deref() == Some("203.0.113.9")));
    // After the pause the address may try again.
    h.advance(SignedDuration::from_mins(31));
    let again = h.store.import_pushed_package("ostoja-push-again", &package, from("203.0.113.9")).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
}

/// An account of the given roles in `tenant`, activated, as its principal.
async fn principal_in(h: &Harness, tenant: uuid::Uuid, login: &str, roles: &[domain::identity::Role]) -> Principal {
    let new =
        store::identity::NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    h.store.principal(id).await.unwrap()
}

const REASON: &str = "Laptop z kluczem skradziony z urzędu gminy.";

#[tokio::test]
async fn a_revoked_keys_packages_are_refused_with_its_reason_while_what_it_sent_stays_kept() {
    // Arrange: the voivodeship of TERYT (łódzkie) received version 1 under the municipality's first key.
    let h = Harness::new().await;
    let lodzkie = h.store.create_tenant(&operator(), "10", "Województwo łódzkie", false).await.unwrap();
    let coordinator = principal_in(&h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let first = test_key(11);
    let token = h.store.register_package_key(&operator(), TERYT, &public_hex(&first), None).await.unwrap().push_token;
    let f = figures(&[("teams", 1)]);
    h.store.import_statutory_package(&operator(), &bytes(&signed(&first, TERYT, ENDED, 1, f.clone()))).await.unwrap();
    let keys = h.store.package_keys(&coordinator).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!((keys[0].municipality.as_deref(), keys[0].registered_by.as_deref()), (Some("Gmina Testowa"), None));
    assert_eq!(keys[0].packages.iter().map(|p| (p.year, p.package_version)).collect::<Vec<_>>(), [(ENDED, 1)]);
    assert_eq!(keys[0].revocation, None);
    let fingerprint = keys[0].fingerprint.clone();

    // A reason too short, or none, is refused beside its field and revokes nothing.
    for reason in ["", "  skradzion ", "kradzież"] {
        assert_eq!(
            field_error(h.store.revoke_package_key(&Caller::local(&coordinator), &fingerprint, reason).await, "reason"),
            "err-package-revoke-reason",
            "{reason:?}"
        );
    }
    assert!(h.store.package_keys(&coordinator).await.unwrap()[0].revocation.is_none());

    // Act: revoked (typed in groups, as people read it).
    let typed = fingerprint_for_people(&fingerprint);
    h.store.revoke_package_key(&Caller::new(&coordinator, Some("192.0.2.4".into())), &typed, REASON).await.unwrap();

    // Assert: the next package under it, from a file or pushed with its token, is refused naming the reason.
    let second = bytes(&signed(&first, TERYT, ENDED, 2, f.clone()));
    let (code, args) = refusal(h.store.import_statutory_package(&operator(), &second).await);
    assert_eq!(code, "err-package-key-revoked");
    assert!(args.contains(&("reason", REASON.to_owned())), "{args:?}");
    assert!(args.contains(&("fingerprint", typed.clone())), "{args:?}");
    assert!(args.iter().any(|(k, v)| *k == "date" && v.len() == 10), "{args:?}");
    assert_eq!(refusal(h.store.import_pushed_package(&token, &second, None).await).0, "err-package-key-revoked");
    assert_eq!(
        field_error(h.store.revoke_package_key(&Caller::local(&coordinator), &fingerprint, REASON).await, "reason"),
        "err-package-key-already-revoked"
    );
    // What arrived before stays: the package, its version and the submission the county and region count.
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_package_received").await, 1);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_approval").await, 1);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_submission WHERE status = 'submitted'").await, 1);
    let revoked = &h.store.package_keys(&coordinator).await.unwrap()[0];
    let revocation = revoked.revocation.clone().expect("revoked");
    assert_eq!((revocation.by.as_deref(), revocation.reason.as_str()), (Some("koordynator.regionalny"), REASON));
    assert_eq!(revoked.packages.len(), 1);
    let trail = audit_entries(&h.store, "update").await;
    let entry = trail.iter().find(|e| e.object_kind == "statutory_package_key").expect("the revocation is audited");
    assert!(entry.detail.contains(REASON), "{entry:?}");

    // The same key cannot come back; a new one can, and its package is the municipality's correction.
    assert_eq!(
        field_error(h.store.register_package_key(&operator(), TERYT, &public_hex(&first), None).await, "key"),
        "err-package-key-taken"
    );
    let new = test_key(12);
    h.store.register_package_key(&operator(), TERYT, &public_hex(&new), None).await.unwrap();
    let imported =
        h.store.import_statutory_package(&operator(), &bytes(&signed(&new, TERYT, ENDED, 2, f))).await.unwrap();
    assert_eq!((imported.approval_version, imported.correction), (2, true));
    let keys = h.store.package_keys(&coordinator).await.unwrap();
    assert_eq!(
        keys.iter().map(|k| (k.revocation.is_some(), k.packages.len())).collect::<Vec<_>>(),
        [(true, 1), (false, 1)]
    );
}

#[tokio::test]
async fn only_the_voivodeships_coordinator_sees_and_revokes_its_municipalities_keys() {
    // Arrange: keys of a municipality of łódzkie (TERYT) and of podkarpackie (OTHER_TERYT).
    let h = Harness::new().await;
    let lodzkie = h.store.create_tenant(&operator(), "10", "Województwo łódzkie", false).await.unwrap();
    let podkarpackie = h.store.create_tenant(&operator(), "18", "Województwo podkarpackie", false).await.unwrap();
    let county = h.store.create_tenant(&operator(), "1016", "Powiat tomaszowski", false).await.unwrap();
    let ours = principal_in(&h, lodzkie.id, "koordynator.lodzki", &[Role::RegionalCoordinator]).await;
    let theirs = principal_in(&h, podkarpackie.id, "koordynator.podkarpacki", &[Role::RegionalCoordinator]).await;
    let county_coordinator = principal_in(&h, county.id, "koordynator.powiatu", &[Role::CountyCoordinator]).await;
    let viewer = principal_in(&h, lodzkie.id, "podglad.wojewodztwa", &[Role::AggregateViewer]).await;
    let municipality = tenant(&h.store).await;
    let chair = principal_in(&h, municipality.id, "przewodniczaca", &[Role::Chair]).await;
    h.store.register_package_key(&operator(), TERYT, &public_hex(&test_key(21)), None).await.unwrap();
    h.store.register_package_key(&operator(), OTHER_TERYT, &public_hex(&test_key(22)), None).await.unwrap();

    // Act and assert: each voivodeship sees its own municipality's key.
    let mine = h.store.package_keys(&ours).await.unwrap();
    assert_eq!(mine.iter().map(|k| k.teryt.as_str()).collect::<Vec<_>>(), [TERYT]);
    let other = h.store.package_keys(&theirs).await.unwrap();
    assert_eq!(other.iter().map(|k| k.teryt.as_str()).collect::<Vec<_>>(), [OTHER_TERYT]);
    // Another voivodeship's key does not exist for the coordinator; the other roles have no register at all.
    let result = h.store.revoke_package_key(&Caller::local(&theirs), &mine[0].fingerprint, REASON).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    for p in [&county_coordinator, &viewer, &chair] {
        assert!(matches!(h.store.package_keys(p).await, Err(StoreError::NotFound)), "{}", p.login);
        let result = h.store.revoke_package_key(&Caller::local(p), &mine[0].fingerprint, REASON).await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{}", p.login);
    }
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_package_key WHERE revoked_at IS NOT NULL").await, 0);
}

#[tokio::test]
async fn a_first_receipt_that_fails_half_way_leaves_no_municipality_behind() {
    // Arrange: the package's municipality is not known here, and keeping the package will fail.
    let h = Harness::new().await;
    let key = test_key(31);
    h.store.register_package_key(&operator(), TERYT, &public_hex(&key), None).await.unwrap();
    let refuse = if is_postgres(&h.store) {
        vec![
            "CREATE FUNCTION refuse_package() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$",
            "CREATE TRIGGER refuse_package BEFORE INSERT ON statutory_package_received \
             FOR EACH ROW EXECUTE FUNCTION refuse_package()",
        ]
    } else {
        vec![
            "CREATE TRIGGER refuse_package BEFORE INSERT ON statutory_package_received \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ]
    };
    for sql in refuse {
        execute(&h.store, sql).await.unwrap();
    }
    let tenants = scalar(&h.store, "SELECT COUNT(*) FROM tenant").await;
    let package = bytes(&signed(&key, TERYT, ENDED, 1, figures(&[("teams", 1)])));

    // Act
    let result = h.store.import_statutory_package(&operator(), &package).await;

    // Assert: nothing of the municipality made for it is left (its row, key, helplines, audit entry).
    assert!(result.is_err(), "{result:?}");
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM tenant").await, tenants);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_approval").await, 0);
    assert_eq!(tenants_made(&h.store).await, 0, "no audit entry of a municipality made");
    // Once keeping works again, the same package makes the municipality and is kept, in one go.
    execute(&h.store, "DROP TRIGGER refuse_package ON statutory_package_received").await.ok();
    execute(&h.store, "DROP TRIGGER IF EXISTS refuse_package").await.ok();
    let imported = h.store.import_statutory_package(&operator(), &package).await.unwrap();
    assert!(imported.tenant_created);
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM tenant").await, tenants + 1);
    assert_eq!(tenants_made(&h.store).await, 1);
}

/// How many municipalities the audit trail says were made.
async fn tenants_made(store: &store::Store) -> usize {
    audit_entries(store, "create").await.into_iter().filter(|e| e.object_kind == "tenant").count()
}

/// Every refusal of a result, field by field.
fn refusals<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Vec<(&'static str, &'static str)> {
    match result {
        Err(StoreError::Invalid(errors)) => errors.iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_regions_coordinator_registers_a_key_of_its_own_municipality_with_the_fingerprint_read_out() {
    // Arrange: łódzkie (TERYT's voivodeship) and podkarpackie, each with its coordinator; a county's and a
    // municipality's accounts.
    let h = Harness::new().await;
    let lodzkie = h.store.create_tenant(&operator(), "10", "Województwo łódzkie", false).await.unwrap();
    let podkarpackie = h.store.create_tenant(&operator(), "18", "Województwo podkarpackie", false).await.unwrap();
    let county = h.store.create_tenant(&operator(), "1016", "Powiat tomaszowski", false).await.unwrap();
    let ours = principal_in(&h, lodzkie.id, "koordynator.lodzki", &[Role::RegionalCoordinator]).await;
    let theirs = principal_in(&h, podkarpackie.id, "koordynator.podkarpacki", &[Role::RegionalCoordinator]).await;
    let county_coordinator = principal_in(&h, county.id, "koordynator.powiatu", &[Role::CountyCoordinator]).await;
    let chair = principal_in(&h, tenant(&h.store).await.id, "przewodniczaca", &[Role::Chair]).await;
    let key = test_key(41);
    let fingerprint = fingerprint_for_people(&fingerprint_of(&key.verifying_key()));
    let register = |p: &Principal, teryt: &str, key: &str, fingerprint: &str| {
        let (store, p, teryt, key, fingerprint) =
            (h.store.clone(), p.clone(), teryt.to_owned(), key.to_owned(), fingerprint.to_owned());
        async move {
            store.register_package_key_for(&Caller::new(&p, Some("192.0.2.8".into())), &teryt, &key, &fingerprint).await
        }
    };

    // Everything missing: each field refused at once, the fingerprint required here (optional at the console).
    assert_eq!(
        refusals(register(&ours, " ", "", "").await),
        [("teryt", "err-required"), ("key", "err-required"), ("fingerprint", "err-package-fingerprint-required")]
    );
    // A fingerprint that does not match, a key that is not one, a county's code.
    assert_eq!(
        refusals(register(&ours, TERYT, &public_hex(&key), "0000 1111").await),
        [("fingerprint", "err-package-fingerprint-mismatch")]
    );
    assert_eq!(refusals(register(&ours, TERYT, "zz", &fingerprint).await), [("key", "err-package-key-format")]);
    assert_eq!(
        refusals(register(&ours, "1016", &public_hex(&key), &fingerprint).await),
        [("teryt", "err-package-key-teryt-municipality")]
    );
    // Another voivodeship's municipality is refused exactly like a code that names no municipality (no county 34
    // in łódzkie), for either coordinator.
    let outside = refusals(register(&ours, OTHER_TERYT, &public_hex(&key), &fingerprint).await);
    assert_eq!(outside, [("teryt", "err-package-key-teryt-unknown")]);
    assert_eq!(refusals(register(&ours, "1034011", &public_hex(&key), &fingerprint).await), outside);
    assert_eq!(refusals(register(&theirs, TERYT, &public_hex(&key), &fingerprint).await), outside);
    // A county's coordinator and a municipality's chair have no register at all.
    for p in [&county_coordinator, &chair] {
        let result = register(p, TERYT, &public_hex(&key), &fingerprint).await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{}: {result:?}", p.login);
    }
    assert_eq!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_package_key").await, 0);

    // Act: the right municipality, key and fingerprint (typed in groups, upper case, as read out).
    let registered = register(&ours, "10-16-011", &public_hex(&key), &fingerprint.to_uppercase()).await.unwrap();

    // Assert: the token admits the municipality's package; the register names who registered it; the trail has
    // the registration with the coordinator and the address.
    assert!(registered.push_token.starts_with("ostoja-push-"));
    assert_eq!(registered.teryt, TERYT);
    let package = bytes(&signed(&key, TERYT, ENDED, 1, figures(&[("teams", 1)])));
    h.store.import_pushed_package(&registered.push_token, &package, None).await.unwrap();
    let keys = h.store.package_keys(&ours).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].registered_by.as_deref(), Some("koordynator.lodzki"));
    let trail = audit_entries(&h.store, "create").await;
    let entry = trail.iter().find(|e| e.object_kind == "statutory_package_key").expect("the registration is audited");
    assert_eq!(
        (entry.actor_login.as_deref(), entry.address.as_deref()),
        (Some("koordynator.lodzki"), Some("192.0.2.8"))
    );
    assert!(!entry.detail.contains(&registered.push_token), "the token is never in the trail");
}

#[tokio::test]
async fn a_municipality_holds_one_key_in_force_and_a_new_one_waits_for_the_old_ones_revocation() {
    // Arrange: the municipality's first key, registered at the console.
    let h = Harness::new().await;
    let lodzkie = h.store.create_tenant(&operator(), "10", "Województwo łódzkie", false).await.unwrap();
    let coordinator = principal_in(&h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let (first, second) = (test_key(51), test_key(52));
    h.store.register_package_key(&operator(), TERYT, &public_hex(&first), None).await.unwrap();
    let second_fingerprint = fingerprint_of(&second.verifying_key());

    // Act and assert: a second key is refused, at the console and on the page, naming the municipality; the same
    // key again is "already registered".
    let at_console = h.store.register_package_key(&operator(), TERYT, &public_hex(&second), None).await;
    assert_eq!(refusal(at_console), ("err-package-key-in-force", vec![("teryt", TERYT.to_owned())]));
    let on_page = h
        .store
        .register_package_key_for(&Caller::local(&coordinator), TERYT, &public_hex(&second), &second_fingerprint)
        .await;
    assert_eq!(refusal(on_page), ("err-package-key-in-force", vec![("teryt", TERYT.to_owned())]));
    assert_eq!(
        field_error(h.store.register_package_key(&operator(), TERYT, &public_hex(&first), None).await, "key"),
        "err-package-key-taken"
    );
    // Another municipality is not held up by this one's key.
    h.store.register_package_key(&operator(), "1016022", &public_hex(&test_key(53)), None).await.unwrap();
    // The database refuses a second key in force by itself too (two registrations at once).
    let direct = format!(
        "INSERT INTO statutory_package_key (fingerprint, teryt, public_key, push_token_hash, registered_at) \
         SELECT '{second_fingerprint}', teryt, public_key, 'another-hash', registered_at FROM statutory_package_key \
         WHERE teryt = '{TERYT}'"
    );
    assert!(execute(&h.store, &direct).await.is_err(), "the unique index on teryt where not revoked");

    // Once the old key is revoked, the new one is registered.
    let old = h.store.package_keys(&coordinator).await.unwrap().into_iter().find(|k| k.teryt == TERYT).unwrap();
    h.store.revoke_package_key(&Caller::local(&coordinator), &old.fingerprint, REASON).await.unwrap();
    h.store
        .register_package_key_for(&Caller::local(&coordinator), TERYT, &public_hex(&second), &second_fingerprint)
        .await
        .unwrap();
    let in_force = scalar(
        &h.store,
        &format!("SELECT COUNT(*) FROM statutory_package_key WHERE teryt = '{TERYT}' AND revoked_at IS NULL"),
    )
    .await;
    assert_eq!(in_force, 1);
}

#[tokio::test]
async fn the_migration_keeps_the_newest_of_several_keys_in_force_and_revokes_the_others_with_a_reason() {
    // Arrange: a register as it could be before migration 0050, two keys in force for one municipality (made
    // here by undoing a revocation with the index dropped) and one for another.
    let h = Harness::new().await;
    let lodzkie = h.store.create_tenant(&operator(), "10", "Województwo łódzkie", false).await.unwrap();
    let coordinator = principal_in(&h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await;
    let (older, newer) = (test_key(61), test_key(62));
    h.store.register_package_key(&operator(), TERYT, &public_hex(&older), None).await.unwrap();
    h.store.register_package_key(&operator(), "1016022", &public_hex(&test_key(63)), None).await.unwrap();
    let older_fingerprint = fingerprint_of(&older.verifying_key());
    h.store.revoke_package_key(&Caller::local(&coordinator), &older_fingerprint, REASON).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    h.store.register_package_key(&operator(), TERYT, &public_hex(&newer), None).await.unwrap();
    // Act: the migration's own statements, run on that data. The schema changes run on one connection, so that
    // no pooled SQLite connection prepares against a schema older than the one before it.
    let migration = if is_postgres(&h.store) {
        include_str!("../../migrations/postgres/0050_package_key_one_in_force.sql")
    } else {
        include_str!("../../migrations/sqlite/0050_package_key_one_in_force.sql")
    };
    let statements: String =
        migration.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    let mut run = vec![
        "DROP INDEX statutory_package_key_in_force".to_owned(),
        "UPDATE statutory_package_key SET revoked_at = NULL, revoked_by = NULL, revoke_reason = NULL".to_owned(),
    ];
    run.extend(statements.split(';').filter(|s| !s.trim().is_empty()).map(str::to_owned));
    on_one_connection(&h.store, &run).await;

    // Assert: the newest key stays in force, the older one is revoked with the reason its sender will read, the
    // other municipality's key is untouched, and the index holds from now on.
    let keys = h.store.package_keys(&coordinator).await.unwrap();
    let state: Vec<_> =
        keys.iter().map(|k| (k.teryt.as_str(), k.fingerprint.as_str(), k.revocation.is_some())).collect();
    let newer_fingerprint = fingerprint_of(&newer.verifying_key());
    assert!(state.contains(&(TERYT, older_fingerprint.as_str(), true)), "{state:?}");
    assert!(state.contains(&(TERYT, newer_fingerprint.as_str(), false)), "{state:?}");
    assert!(state.contains(&("1016022", fingerprint_of(&test_key(63).verifying_key()).as_str(), false)), "{state:?}");
    let revocation = keys.iter().find_map(|k| k.revocation.clone()).unwrap();
    assert!(revocation.reason.contains("więcej niż jeden ważny klucz"), "{revocation:?}");
    let package = bytes(&signed(&older, TERYT, ENDED, 1, figures(&[("teams", 1)])));
    assert_eq!(refusal(h.store.import_statutory_package(&operator(), &package).await).0, "err-package-key-revoked");
    let again = h.store.register_package_key(&operator(), TERYT, &public_hex(&test_key(64)), None).await;
    assert_eq!(refusal(again).0, "err-package-key-in-force");
}

/// Runs `statements` in order on one connection of the store's pool, panicking with the one that fails.
async fn on_one_connection(store: &store::Store, statements: &[String]) {
    macro_rules! run {
        ($pool:expr) => {{
            let mut c = $pool.acquire().await.expect("a connection");
            for s in statements {
                sqlx::query(sqlx::AssertSqlSafe(s.clone()))
                    .execute(&mut *c)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }};
    }
    match store.db() {
        store::Db::Sqlite(p, _) => run!(p),
        store::Db::Postgres(p) => run!(p),
    }
}
