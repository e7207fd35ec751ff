//! PostgreSQL backups: a logical export with `pg_dump --format=custom`, restored with `pg_restore` in one
//! transaction. Operators of large installations should prefer continuous archiving (docs/operations.md).

use std::path::Path;

use crate::StoreError;

/// A backup holds every municipality: it crosses the row-level security policies by name (row_security.rs). Without
/// `--enable-row-security` pg_dump refuses a table whose policies its role is held by, rather than dump part of it.
pub(super) async fn backup(url: &str, out: &Path) -> Result<(), StoreError> {
    let out = out.to_string_lossy();
    run("pg_dump", &["--format=custom", "--no-owner", "--enable-row-security", "--file", &out, "--dbname", url]).await
}

pub(super) async fn restore(file: &Path, url: &str) -> Result<(), StoreError> {
    run(
        "pg_restore",
        &[
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--enable-row-security",
            "--dbname",
            url,
            &file.to_string_lossy(),
        ],
    )
    .await
}

async fn run(program: &str, args: &[&str]) -> Result<(), StoreError> {
    let output = tokio::process::Command::new(program)
        .args(args)
        .env("PGOPTIONS", crate::row_security::client_options_crossing_tenants("backup and restore"))
        .output()
        .await
        .map_err(|e| StoreError::Io(format!("cannot run {program}: {e} (install the PostgreSQL client tools)")))?;
    if !output.status.success() {
        return Err(StoreError::Io(format!("{program} failed: {}", String::from_utf8_lossy(&output.stderr).trim())));
    }
    Ok(())
}
