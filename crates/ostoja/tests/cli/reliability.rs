//! Reliability (issue 19, item 5), on the engine `OSTOJA_TEST_ENGINE` names: the server killed with SIGKILL while it
//! writes loses no acknowledged write and leaves an audit trail that verifies; a backup taken while it writes
//! restores to a database that holds every write acknowledged before the backup began, and verifies too.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::testing::TestDatabase;

use crate::{ostoja, serve, stdout};

const TERYT: &str = "1016011";
const PASSWORD: &str = "bardzo długie hasło 1";

/// A municipality and an administrator's API token, written before the server starts.
async fn prepare(db: &TestDatabase) -> String {
    let store = crate::open(db).await;
    let operator = store::Actor::operator();
    store.create_tenant(&operator, TERYT, "Gmina Testowa", false).await.unwrap();
    let account = store::identity::NewAccount {
        tenant_id: None,
        institution_id: None,
        login: "admin.api".into(),
        roles: vec![domain::identity::Role::SystemAdministrator],
        details: store::identity::PersonalDetails { full_name: "Administrator".into(), ..Default::default() },
    };
    let (_, link) = store.create_account(&operator, &account).await.unwrap();
    store.activate(&link, PASSWORD, PASSWORD, None).await.unwrap();
    let token = store.issue_api_token(&operator, "admin.api", "niezawodność").await.unwrap();
    store.close().await;
    token
}

/// Four clients creating institutions until told to stop (or the server dies); the names the server acknowledged
/// with 201 are collected.
fn writers(
    base: &str,
    token: &str,
    prefix: &str,
    acked: &Arc<Mutex<BTreeSet<String>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..4)
        .map(|w| {
            let (base, token, prefix, acked) = (base.to_owned(), token.to_owned(), prefix.to_owned(), acked.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                for n in 0.. {
                    let name = format!("{prefix} {w}-{n}");
                    let sent = client
                        .post(format!("{base}/api/v1/tenants/{TERYT}/institutions"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(format!(r#"{{"name": "{name}", "kind": "police"}}"#))
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                            acked.lock().unwrap().insert(name);
                        }
                        Ok(r) => panic!("a write failed with {}: {}", r.status(), r.text().await.unwrap_or_default()),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect()
}

async fn institutions(db: &TestDatabase) -> BTreeSet<String> {
    let store = crate::open(db).await;
    let tenant = store.tenant_by_teryt(TERYT).await.unwrap();
    let names = store.list_institutions(tenant.id).await.unwrap().into_iter().map(|i| i.name).collect();
    store.close().await;
    names
}

async fn acked_count(acked: &Arc<Mutex<BTreeSet<String>>>, at_least: usize) {
    for _ in 0..600 {
        if acked.lock().unwrap().len() >= at_least {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the writers did not get {at_least} writes acknowledged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_while_writing_loses_no_acknowledged_write_and_the_audit_trail_verifies() {
    // Arrange
    let db = TestDatabase::new().await;
    let token = prepare(&db).await;
    let acked = Arc::new(Mutex::new(BTreeSet::new()));

    for round in 0..2 {
        // Act: writes in flight, then SIGKILL.
        let (mut server, base) = serve(&db).await;
        let tasks = writers(&base, &token, &format!("Komenda {round}"), &acked);
        acked_count(&acked, 60 * (round + 1)).await;
        server.kill().unwrap();
        server.wait().unwrap();
        for task in tasks {
            task.await.unwrap();
        }

        // Assert: after the restart every acknowledged write is there, and the chain verifies.
        let stored = institutions(&db).await;
        let lost: Vec<_> = acked.lock().unwrap().difference(&stored).cloned().collect();
        assert!(lost.is_empty(), "round {round}: acknowledged and lost: {lost:?}");
        let verify = ostoja(&db, &["audit", "verify"]);
        assert!(verify.status.success(), "round {round}: {}", stdout(&verify));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_every_write_acknowledged_before_it() {
    // Arrange
    let db = TestDatabase::new().await;
    let token = prepare(&db).await;
    let acked = Arc::new(Mutex::new(BTreeSet::new()));
    let (mut server, base) = serve(&db).await;
    let tasks = writers(&base, &token, "Ośrodek", &acked);
    acked_count(&acked, 40).await;

    // Act: a backup while the writers run.
    let before_backup = acked.lock().unwrap().clone();
    let file = db.dir().join("w-trakcie.backup");
    let backup = ostoja(&db, &["backup", "--out", file.to_str().unwrap()]);
    acked_count(&acked, before_backup.len() + 20).await;
    Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    server.wait().unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let target = TestDatabase::new().await;
    std::fs::create_dir_all(&target.options.data_dir).unwrap();
    let restore = ostoja(&target, &["restore", file.to_str().unwrap()]);
    assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
    std::fs::copy(db.options.data_dir.join("master.key"), target.options.data_dir.join("master.key")).unwrap();

    // Assert: the restored database holds what was acknowledged before the backup, nothing that was never written,
    // and its audit trail verifies.
    let restored = institutions(&target).await;
    let all = institutions(&db).await;
    let missing: Vec<_> = before_backup.difference(&restored).collect();
    assert!(missing.is_empty(), "acknowledged before the backup, missing from it: {missing:?}");
    assert!(restored.is_subset(&all), "the backup holds writes the database never had");
    assert!(acked.lock().unwrap().is_subset(&all));
    let verify = ostoja(&target, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", stdout(&verify));
}
