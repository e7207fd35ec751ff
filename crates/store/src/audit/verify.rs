//! Recomputes the audit chain from the first entry to the head, and checks it against the checkpoints kept outside
//! the database.

use std::sync::Arc;

use super::{AuditEntry, AuditKeys, CHAIN_KEYED, CHAIN_UNKEYED, Checkpoint};
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
    /// How many checkpoints the chain was held against.
    pub checkpoints_checked: usize,
    pub first_break: Option<ChainBreak>,
}

/// Entries per query. The next page is fetched while this one is hashed.
const PAGE: i64 = 10_000;

/// Walks the chain in pages. An edited entry fails its hash (its keyed hash, for entries written since migration
/// 0011: recomputing it takes the audit key); a removed one leaves a gap in the sequence or a `prev_hash` that no
/// longer matches; reordered entries break the links; a removed tail leaves the head pointing past the last entry, or,
/// when the head was moved back too, leaves a checkpoint beyond the head.
pub async fn verify(db: &Db, keys: &Arc<AuditKeys>, checkpoints: &[Checkpoint]) -> Result<VerifyReport, StoreError> {
    let mut checked = 0u64;
    let report = |checked: u64, first_break: Option<ChainBreak>| {
        Ok(VerifyReport { entries_checked: checked, checkpoints_checked: checkpoints.len(), first_break })
    };
    let broken = |checked: u64, seq: i64, reason: &'static str| report(checked, Some(ChainBreak { seq, reason }));

    if let Some(forged) = checkpoints.iter().find(|c| !c.is_authentic(keys)) {
        return broken(
            0,
            forged.seq,
            "a checkpoint's signature does not match (the checkpoint file was edited, or belongs to another installation)",
        );
    }
    let mut pending: Vec<&Checkpoint> = checkpoints.iter().collect();
    pending.sort_by_key(|c| c.seq);
    let mut pending = pending.into_iter().peekable();

    // The head first: entries appended while the walk runs come after it and are left for the next run.
    let (head_seq, head_hash, keyed_from, anchor_mac): (i64, Vec<u8>, Option<i64>, Option<Vec<u8>>) = on_pool!(db, p =>
        sqlx::query_as("SELECT seq, hash, keyed_from, anchor_mac FROM audit_head WHERE chain = 1").fetch_one(p).await)?;
    let (Some(keyed_from), Some(anchor_mac)) = (keyed_from, anchor_mac) else {
        return broken(0, 1, "the keyed chain's anchor was removed from the head");
    };
    if pending.clone().any(|c| c.keyed_from != keyed_from) {
        return broken(
            0,
            keyed_from,
            "the keyed chain's anchor differs from the checkpoints' (the chain was re-anchored)",
        );
    }

    let mut expected_seq = 1i64;
    let mut prev_hash = vec![0u8; 32];
    // Checkpoints of an empty chain (a fresh database anchors at sequence number 0).
    while let Some(c) = pending.next_if(|c| c.seq <= 0) {
        if c.seq < 0 || c.hash != prev_hash {
            return broken(0, 1, "the chain's first entries were replaced (they differ from a checkpoint)");
        }
    }
    let mut next = Some(tokio::spawn(fetch_page(db.clone(), 1, head_seq)));
    while let Some(fetching) = next.take() {
        let page =
            fetching.await.map_err(|e| StoreError::Internal(format!("the audit page reader stopped: {e}")))??;
        if let (Some(last), true) = (page.last(), page.len() as i64 == PAGE) {
            next = Some(tokio::spawn(fetch_page(db.clone(), last.seq + 1, head_seq)));
        }
        for entry in page {
            if entry.seq != expected_seq {
                return broken(checked, expected_seq, "entry missing (gap in the sequence)");
            }
            let version = if entry.seq < keyed_from { CHAIN_UNKEYED } else { CHAIN_KEYED };
            if entry.chain_version != version {
                return broken(
                    checked,
                    entry.seq,
                    "chain version out of place (an unkeyed entry where the chain is keyed, or the reverse)",
                );
            }
            if entry.prev_hash != prev_hash {
                return broken(
                    checked,
                    entry.seq,
                    "previous-hash link broken (an entry before it was removed, replaced or moved)",
                );
            }
            if entry.seq == keyed_from && keys.anchor_mac(keyed_from, &entry.prev_hash) != anchor_mac {
                return broken(checked, entry.seq, "the unkeyed entries before the keyed chain were rewritten");
            }
            if entry.expected_hash(keys) != entry.hash {
                return broken(
                    checked,
                    entry.seq,
                    "content does not match its hash (entry edited, or the chain recomputed without the key)",
                );
            }
            while let Some(c) = pending.next_if(|c| c.seq == entry.seq) {
                if c.hash != entry.hash {
                    return broken(
                        checked,
                        entry.seq,
                        "the entry differs from a checkpoint (the chain was rewritten after the checkpoint)",
                    );
                }
            }
            prev_hash = entry.hash;
            expected_seq += 1;
            checked += 1;
        }
    }
    if head_seq != expected_seq - 1 || head_hash != prev_hash {
        return broken(
            checked,
            expected_seq,
            "entries after this point were removed (head does not match the last entry)",
        );
    }
    if pending.peek().is_some() {
        return broken(
            checked,
            expected_seq,
            "entries after this point were removed and the head moved back (a checkpoint holds a later head)",
        );
    }
    if keyed_from > expected_seq
        || (keyed_from == expected_seq && keys.anchor_mac(keyed_from, &prev_hash) != anchor_mac)
    {
        return broken(checked, expected_seq, "the keyed chain's anchor does not match the head");
    }
    report(checked, None)
}

async fn fetch_page(db: Db, from_seq: i64, up_to: i64) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(on_pool!(&db, p => sqlx::query_as(
        "SELECT seq, at, tenant_id, actor_id, actor_login, action, object_kind, object_id, detail, address, prev_hash, \
         hash, chain_version FROM audit_entry WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3")
        .bind(from_seq).bind(up_to).bind(PAGE).fetch_all(p).await)?)
}
