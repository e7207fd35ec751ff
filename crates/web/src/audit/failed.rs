//! The data protection officer's view of attacks on their staff: failed log-ins of the last seven days in their
//! municipality, per account and per client address, with bursts (five or more within ten minutes) marked.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use jiff::{SignedDuration, Timestamp};
use store::{AuditEntry, AuditFilter};

use crate::error::PageError;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

/// Failures this close together make a burst.
const BURST_WINDOW: SignedDuration = SignedDuration::from_mins(10);
const BURST_SIZE: usize = 5;
const LOOK_BACK_DAYS: i64 = 7;

/// Failed log-ins of one account or one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureGroup {
    pub key: String,
    pub count: usize,
    pub first: Timestamp,
    pub last: Timestamp,
    /// The most failures within any ten minutes.
    pub densest: usize,
}

impl FailureGroup {
    pub fn is_burst(&self) -> bool {
        self.densest >= BURST_SIZE
    }
}

/// Groups failures by `key_of`, most failures in ten minutes first.
pub fn group(entries: &[AuditEntry], key_of: impl Fn(&AuditEntry) -> String) -> Vec<FailureGroup> {
    let mut by_key: std::collections::BTreeMap<String, Vec<Timestamp>> = std::collections::BTreeMap::new();
    for e in entries {
        by_key.entry(key_of(e)).or_default().push(e.at);
    }
    let mut groups: Vec<FailureGroup> = by_key
        .into_iter()
        .filter_map(|(key, mut times)| {
            times.sort();
            let (first, last) = (*times.first()?, *times.last()?);
            let mut densest = 0;
            let mut start = 0;
            for (end, t) in times.iter().enumerate() {
                while times.get(start).is_some_and(|s| t.duration_since(*s) > BURST_WINDOW) {
                    start += 1;
                }
                densest = densest.max(end + 1 - start);
            }
            Some(FailureGroup { key, count: times.len(), first, last, densest })
        })
        .collect();
    groups.sort_by(|a, b| b.densest.cmp(&a.densest).then(b.count.cmp(&a.count)).then(a.key.cmp(&b.key)));
    groups
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/failed.html")]
pub struct FailedLoginsPage {
    chrome: Chrome,
    /// "By account" and "by address", each with its groups.
    sections: Vec<(String, Vec<FailureGroup>)>,
}

impl FailedLoginsPage {
    fn time(&self, t: &Timestamp) -> String {
        t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%d %H:%M").to_string()
    }
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let since = state.clock.now() - SignedDuration::from_hours(24 * LOOK_BACK_DAYS);
    let mut entries = Vec::new();
    for action in ["login_failed", "second_factor_failed"] {
        let filter = AuditFilter {
            tenant_id: user.principal.tenant_id,
            action: Some(action.to_owned()),
            from: Some(since),
            limit: 10_000,
            ..AuditFilter::default()
        };
        entries.extend(state.store.audit_entries(&user.actor(), &filter).await?);
    }
    let unknown = user.ctx.t().get("unknown");
    let accounts = group(&entries, |e| e.actor_login.clone().unwrap_or_else(|| unknown.clone()));
    let addresses = group(&entries, |e| e.address.clone().unwrap_or_else(|| unknown.clone()));
    let t = user.ctx.t();
    let sections = vec![(t.get("failed-logins-by-account"), accounts), (t.get("failed-logins-by-address"), addresses)];
    Ok(FailedLoginsPage { chrome: Chrome::for_user(&user, "failed-logins-title"), sections }.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(login: &str, address: &str, at: &str) -> AuditEntry {
        AuditEntry {
            seq: 0,
            at: at.parse().unwrap(),
            tenant_id: None,
            actor_id: None,
            actor_login: Some(login.into()),
            action: "login_failed".into(),
            object_kind: "account".into(),
            object_id: None,
            detail: String::new(),
            address: Some(address.into()),
            prev_hash: vec![],
            hash: vec![],
            chain_version: 2,
        }
    }

    #[test]
    fn five_failures_within_ten_minutes_are_a_burst_and_spread_ones_are_not() {
        let mut entries: Vec<AuditEntry> =
            (0..5).map(|i| entry("anna", "203.0.113.9", &format!("2026-12-01T10:0{i}:00Z"))).collect();
        for day in 1..=6 {
            entries.push(entry("jan", "198.51.100.7", &format!("2026-12-0{day}T08:00:00Z")));
        }
        let accounts = group(&entries, |e| e.actor_login.clone().unwrap());
        assert_eq!(accounts[0].key, "anna");
        assert!(accounts[0].is_burst());
        assert_eq!(accounts[1].key, "jan");
        assert_eq!((accounts[1].count, accounts[1].densest), (6, 1));
        assert!(!accounts[1].is_burst());
    }
}
