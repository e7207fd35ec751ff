//! The key of this tab's copy of a form (ostoja.js keeps what is typed in a case form in the tab's sessionStorage,
//! so a session that runs out loses nothing). The copy is encrypted in the browser with a key that only pages
//! rendered for the same account on the same day carry: after a logout, an expiry or another person's log-in at a
//! shared office PC, what is left in the tab is ciphertext nobody can read, and the next account's pages drop it.
//!
//! The key is an HMAC of the account and the Warsaw date under a secret drawn when the process starts: nothing is
//! stored, and a restart only costs an unfinished copy its restore.

use std::sync::OnceLock;

use hmac::{KeyInit, Mac};
use rand::RngCore;
use uuid::Uuid;

fn process_secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(|| {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        bytes
    })
}

/// The tab key (64 hex digits, an AES-256 key for the browser) of `account` on the day of `now` in Poland.
pub fn for_account(account: Uuid, now: jiff::Timestamp) -> String {
    let day = now.to_zoned(domain::calendar::poland_zone()).date();
    let Ok(mut mac) = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(process_secret()) else {
        return String::new();
    };
    mac.update(format!("ostoja tab draft v1:{account}:{day}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_account_and_day_has_its_own_key() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let morning: jiff::Timestamp = "2026-12-04T07:00:00Z".parse().unwrap();
        let evening: jiff::Timestamp = "2026-12-04T21:00:00Z".parse().unwrap();
        let next_day: jiff::Timestamp = "2026-12-04T23:30:00Z".parse().unwrap(); // 00:30 in Warsaw
        assert_eq!(for_account(a, morning), for_account(a, evening));
        assert_eq!(for_account(a, morning).len(), 64);
        assert_ne!(for_account(a, morning), for_account(b, morning));
        assert_ne!(for_account(a, evening), for_account(a, next_day));
    }
}
