//! Recomputes the audit chain from the first entry to the head.

use super::AuditEntry;
use crate::StoreError;
use crate::db::{Db, on_pool};

/// Where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries_checked: u64,
    pub first_break: Option<ChainBreak>,
}

const PAGE: i64 = 2000;

/// Walks the chain in pages. An edited entry fails its hash; a removed one leaves a gap in the sequence or a
/// `prev_hash` that no longer matches; a removed tail leaves the head pointing past the last entry.
pub async fn verify(db: &Db) -> Result<VerifyReport, StoreError> {
    let mut checked = 0u64;
    let mut expected_seq = 1i64;
    let mut prev_hash = vec![0u8; 32];
    loop {
        let page: Vec<AuditEntry> = on_pool!(db, p => sqlx::query_as(
            "SELECT seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, detail, address, prev_hash, hash \
             FROM audit_entry WHERE seq >= $1 ORDER BY seq LIMIT $2")
            .bind(expected_seq).bind(PAGE).fetch_all(p).await)?;
        let done = (page.len() as i64) < PAGE;
        for entry in page {
            if entry.seq != expected_seq {
                return broken(checked, expected_seq, "entry missing (gap in the sequence)");
            }
            if entry.prev_hash != prev_hash {
                return broken(
                    checked,
                    entry.seq,
                    "previous-hash link broken (an entry before it was removed or replaced)",
                );
            }
            if entry.compute_hash() != entry.hash {
                return broken(checked, entry.seq, "content does not match its hash (entry edited)");
            }
            prev_hash = entry.hash;
            expected_seq += 1;
            checked += 1;
        }
        if done {
            break;
        }
    }
    let (head_seq, head_hash): (i64, Vec<u8>) =
        on_pool!(db, p => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        return broken(
            checked,
            expected_seq,
            "entries after this point were removed (head does not match the last entry)",
        );
    }
    Ok(VerifyReport { entries_checked: checked, first_break: None })
}

fn broken(checked: u64, seq: i64, reason: &'static str) -> Result<VerifyReport, StoreError> {
    Ok(VerifyReport { entries_checked: checked, first_break: Some(ChainBreak { seq, reason }) })
}
