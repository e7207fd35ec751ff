//! `ostoja aggregates …` as operators on two installations run it (issue 17, item 5): the municipality shows its key
//! and exports its approved year; the region registers the key by its fingerprint and imports the package once. Every
//! refusal is a Polish sentence.

use domain::clock::Clock;
use domain::identity::Role;
use store::testing::TestDatabase;

use crate::{open, ostoja, stdout};

pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The text after `label` up to the end of its line.
pub fn after(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("{label} in {out}"))
        .trim()
        .to_owned()
}

pub const TERYT: &str = "1016011";
const CHAIR: &str = "przewodniczaca";

/// A municipality (TERYT 1016011, with its cases here) whose chair approved last year's statutory set; the year.
pub async fn approved_municipality() -> (TestDatabase, i16) {
    let this_year = domain::clock::SystemClock.now().to_zoned(domain::calendar::poland_zone()).year();
    let municipality = TestDatabase::new().await;
    let store = open(&municipality).await;
    let tenant = store.create_tenant(&store::Actor::operator(), TERYT, "Gmina Testowa", false).await.unwrap();
    let new = store::identity::NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: None,
        login: CHAIR.into(),
        roles: vec![Role::Chair],
        details: store::identity::PersonalDetails {
            full_name: "Anna Przewodnicząca".into(),
            email: String::new(),
            phone: String::new(),
        },
    };
    let (_, token) = store.create_account(&store::Actor::operator(), &new).await.unwrap();
    let password = "długie hasło przewodniczącej 2026";
    store.activate(&token, password, password, None).await.unwrap();
    store.close().await;
    approve(&municipality, this_year - 1).await;
    (municipality, this_year - 1)
}

/// The chair approves `year` (again: a new version).
pub async fn approve(municipality: &TestDatabase, year: i16) {
    let store = open(municipality).await;
    let (id, _) = store.account_by_login(CHAIR).await.unwrap();
    let chair = store.principal(id).await.unwrap();
    store.approve_statutory(&chair, year, "").await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn a_municipality_exports_its_approved_year_and_the_region_imports_it_once() {
    // Arrange: a municipality whose chair approved last year.
    let this_year = domain::clock::SystemClock.now().to_zoned(domain::calendar::poland_zone()).year();
    let (municipality, last_year) = approved_municipality().await;
    let last_year = last_year.to_string();
    let file = municipality.dir().join("pakiet.json");
    let file_arg = file.to_str().unwrap();

    // Act and assert: the key, a refused export of the running year, the export of last year.
    let o = ostoja(&municipality, &["aggregates", "key", "--tenant", "1016011"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public_key = after(&stdout(&o), "klucz publiczny:");
    let fingerprint = after(&stdout(&o), "odcisk (SHA-256):");
    let running = this_year.to_string();
    let o =
        ostoja(&municipality, &["aggregates", "export", "--tenant", "1016011", "--year", &running, "--out", file_arg]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(&format!("Rok {running} jeszcze się nie zakończył")), "{}", stderr(&o));
    assert!(!file.exists(), "nothing written for a refused export");
    let o = ostoja(
        &municipality,
        &["aggregates", "export", "--tenant", "1016011", "--year", &last_year, "--out", file_arg],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Zapisano podpisany pakiet"), "{}", stdout(&o));

    // The region: an unknown key first, then the key registered by its fingerprint, one import, a replay.
    let region = TestDatabase::new().await;
    let o = ostoja(&region, &["aggregates", "import", file_arg]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("kluczem, którego ta instalacja nie zna"), "{}", stderr(&o));
    let args =
        ["aggregates", "register-key", "--teryt", "1016011", "--key", &public_key, "--fingerprint", &fingerprint];
    let o = ostoja(&region, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ostoja-push-"), "{}", stdout(&o));
    let o = ostoja(&region, &["aggregates", "import", file_arg]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("Przyjęto dane gminy Gmina Testowa (1016011) za rok {last_year}")),
        "{}",
        stdout(&o)
    );
    let o = ostoja(&region, &["aggregates", "import", file_arg]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Ten pakiet (wersja 1) został już przyjęty."), "{}", stderr(&o));
}
