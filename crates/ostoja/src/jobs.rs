//! The background jobs `ostoja serve` runs beside the web server: housekeeping, the deadline escalation to the
//! chair, the team's own reminders, and sending the e-mail outbox. Each job logs and carries on after an error; none reads the clock itself
//! (the store's clock decides what is due).

use std::time::Duration;

use store::Store;
use tokio::task::JoinHandle;

use crate::mail::{Mailer, send_due};

/// How often the outbox is looked at.
const OUTBOX_EVERY: Duration = Duration::from_secs(30);

/// How often the audit head is pinned in the checkpoint file beside the master key: entries removed from the end of
/// the trail after a checkpoint are caught by `ostoja audit verify`, so this bounds what an insider could remove
/// unnoticed.
const AUDIT_CHECKPOINT_EVERY: Duration = Duration::from_secs(300);

/// Starts the jobs; abort the handles to stop them.
///
/// Each job works through every municipality's rows (expired drafts, deadlines, reminders, the outbox, key rotation),
/// so each runs across tenants by name: a spawned task does not inherit its parent's row scope, and without one it
/// would see no case row on PostgreSQL (store/src/row_security.rs).
pub fn spawn(store: &Store, escalation_every: Duration, mailer: Option<Mailer>) -> Vec<JoinHandle<()>> {
    use store::row_security::crossing_tenants;
    let mut jobs = vec![
        tokio::spawn(crossing_tenants("scheduler: housekeeping", chores(store.clone()))),
        tokio::spawn(crossing_tenants("scheduler: deadline escalation", escalation(store.clone(), escalation_every))),
    ];
    jobs.push(tokio::spawn(crossing_tenants("scheduler: audit checkpoints", audit_checkpoints(store.clone()))));
    jobs.push(tokio::spawn(crossing_tenants("scheduler: person search index", search_index(store.clone()))));
    jobs.push(tokio::spawn(crossing_tenants("scheduler: data-key rotation", resume_rotations(store.clone()))));
    jobs.push(tokio::spawn(crossing_tenants(
        "scheduler: team reminders",
        team_reminders(store.clone(), escalation_every),
    )));
    if let Some(mailer) = mailer {
        jobs.push(tokio::spawn(crossing_tenants("scheduler: e-mail outbox", outbox(store.clone(), mailer))));
    }
    jobs
}

/// Finishes a data-key rotation an earlier run left unfinished (killed, or the machine stopped), once, at start. It
/// steps in short transactions, so pages keep answering meanwhile; an `ostoja keys rotate-data` run at the same time
/// shares the work (each step moves the persisted cursor under a lock).
async fn resume_rotations(store: Store) {
    match store.resume_data_key_rotations(store::rotation::DEFAULT_BATCH).await {
        Ok(done) => {
            for p in done {
                tracing::info!(tenant = %p.tenant_id, version = p.to_version, rows = p.rows_done, "resumed data-key rotation finished");
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "resuming an interrupted data-key rotation failed; run ostoja keys rotate-data")
        }
    }
}

/// Periodic housekeeping: expired sessions, and drafts untouched for a month.
async fn chores(store: Store) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = store.purge_sessions().await {
            tracing::warn!(error = %e, "purging expired sessions failed");
        }
        if let Err(e) = store.purge_drafts().await {
            tracing::warn!(error = %e, "purging old drafts failed");
        }
    }
}

/// Indexes for search by person the forms stored before the index existed (after an upgrade), once at start, in
/// batches beside the server: a municipality with thousands of forms can search while it runs (the page says the
/// answer may be incomplete until it ends). New forms are indexed when they are stored.
async fn search_index(store: Store) {
    match store.index_pending_forms().await {
        Ok(0) => {}
        Ok(forms) => tracing::info!(forms, "stored forms indexed for search by person"),
        Err(e) => {
            tracing::warn!(error = %e, "indexing stored forms for search failed; it runs again at the next start")
        }
    }
}

/// Pins the audit head outside the database at start and every few minutes, when it has moved.
async fn audit_checkpoints(store: Store) {
    let mut tick = tokio::time::interval(AUDIT_CHECKPOINT_EVERY);
    let mut last_seq = None;
    loop {
        tick.tick().await;
        match store.audit_head_seq().await {
            Ok(seq) if Some(seq) == last_seq => {}
            Ok(_) => match store.audit_checkpoint().await {
                Ok(checkpoint) => last_seq = Some(checkpoint.seq),
                Err(e) => {
                    tracing::warn!(error = %e, "writing an audit checkpoint failed; trying again at the next interval")
                }
            },
            Err(e) => tracing::warn!(error = %e, "reading the audit head failed; trying again at the next interval"),
        }
    }
}

/// Notifies the chair and deputy of deadlines due soon or overdue (once per procedure, rule and state).
async fn escalation(store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match store.escalate_deadlines().await {
            Ok(report) if report.notified > 0 => {
                tracing::info!(cases = report.cases, notified = report.notified, "deadline escalation")
            }
            // Still said at debug level: a benchmark waits for the first run to end (scripts/bench-pages).
            Ok(report) => tracing::debug!(cases = report.cases, notified = 0, "deadline escalation"),
            Err(e) => tracing::warn!(error = %e, "deadline escalation failed; it runs again at the next interval"),
        }
    }
}

/// Reminds the chair and deputy of the team's own rules (the two-monthly meeting, the 7-day notice, members'
/// training within 12 months, the directory's yearly review), once per rule and subject.
async fn team_reminders(store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match store.team_reminders().await {
            Ok(report) if report.notified > 0 => {
                tracing::info!(tenants = report.tenants, notified = report.notified, "team reminders")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "team reminders failed; they run again at the next interval"),
        }
    }
}

/// Sends what the outbox holds; failures stay queued with their error and are retried with back-off.
async fn outbox(store: Store, mailer: Mailer) {
    let mut tick = tokio::time::interval(OUTBOX_EVERY);
    loop {
        tick.tick().await;
        match send_due(&store, &mailer).await {
            Ok((sent, failed)) if sent + failed > 0 => tracing::info!(sent, failed, "notification e-mails"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the e-mail outbox could not be read; trying again shortly"),
        }
    }
}
