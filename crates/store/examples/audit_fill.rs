//! Fills a benchmark database's audit trail with keyed entries, for timing `ostoja audit verify`
//! (docs/benchmarks.md, "Issue 14: audit chain"). Never point it at a real installation.
//!
//! cargo run --release -p store --features testing --example audit_fill -- DATA_DIR DATABASE_URL ENTRIES

use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: audit_fill DATA_DIR DATABASE_URL|sqlite ENTRIES";
    let data_dir: std::path::PathBuf = args.next().ok_or(usage)?.into();
    let url = args.next().ok_or(usage)?;
    let entries: i64 = args.next().ok_or(usage)?.parse()?;
    let options =
        store::StorageOptions { data_dir, database_url: (url != "sqlite").then_some(url), master_key_file: None };
    let store = store::Store::open(&options, Arc::new(domain::clock::SystemClock)).await?;
    let started = std::time::Instant::now();
    store::testing::fill_audit_trail(&store, entries).await?;
    println!("appended {entries} entries in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
