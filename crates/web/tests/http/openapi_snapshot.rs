//! The API's shape is visible in review: the OpenAPI document the server serves is committed as
//! `tests/snapshots/openapi.json`, and this test fails with a line diff when the two drift apart.
//!
//! After an intended change to the API, update the snapshot and commit it with the change:
//! `OSTOJA_UPDATE_SNAPSHOTS=1 cargo nextest run -p web -E 'test(/openapi_snapshot/)'`.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

const UPDATE_VARIABLE: &str = "OSTOJA_UPDATE_SNAPSHOTS";

fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/openapi.json")
}

/// The document as committed: pretty-printed with its keys sorted (serde_json's map is ordered), one trailing newline.
fn normalised(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap();
    text.push('\n');
    text
}

#[tokio::test]
async fn the_served_openapi_document_matches_the_committed_snapshot() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let served = normalised(&response.json::<Value>().await.unwrap());

    let path = snapshot_path();
    if std::env::var_os(UPDATE_VARIABLE).is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &served).unwrap();
        eprintln!("updated {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != served {
        let diff = similar::TextDiff::from_lines(&committed, &served)
            .unified_diff()
            .context_radius(3)
            .header("committed tests/snapshots/openapi.json", "served /api/v1/openapi.json")
            .to_string();
        panic!(
            "the OpenAPI document differs from its committed snapshot ({} lines of diff below).\n\
             If the change is intended, run `{UPDATE_VARIABLE}=1 cargo nextest run -p web -E \
             'test(/openapi_snapshot/)'` and commit crates/web/tests/snapshots/openapi.json with it.\n\n{diff}",
            diff.lines().count()
        );
    }
}

#[test]
fn a_drifted_document_shows_as_a_readable_line_diff() {
    // The check must be able to fail: one changed summary shows as one removed and one added line, not as a wall.
    let before: Value = serde_json::json!({"paths": {"/a": {"get": {"summary": "Stara"}}, "/b": {}}});
    let mut after = before.clone();
    after["paths"]["/a"]["get"]["summary"] = Value::from("Nowa");
    let (before, after) = (normalised(&before), normalised(&after));
    assert_ne!(before, after);
    let diff = similar::TextDiff::from_lines(&before, &after).unified_diff().to_string();
    let changed: Vec<&str> = diff
        .lines()
        .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---") && !l.starts_with("+++"))
        .collect();
    assert_eq!(changed, ["-        \"summary\": \"Stara\"", "+        \"summary\": \"Nowa\""]);
}
