//! Lock-out after failed logins, with a delay that grows with each further failure.
//!
//! The same policy applies per account and per client address, so neither guessing one account's password from many
//! addresses nor many accounts' passwords from one address gets far.

use jiff::SignedDuration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures allowed before the first delay.
    pub free_attempts: u32,
    /// The first delay; each further failure doubles it.
    pub base_delay: SignedDuration,
    /// The longest delay.
    pub max_delay: SignedDuration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self::per_account()
    }
}

impl LockoutPolicy {
    /// One account: three attempts, then 30 s, doubling up to 30 minutes.
    pub fn per_account() -> Self {
        Self { free_attempts: 3, base_delay: SignedDuration::from_secs(30), max_delay: SignedDuration::from_mins(30) }
    }

    /// One client address: a municipal office's staff may all come from one address (its NAT), so ten attempts
    /// before the first delay; a password-spraying address is still slowed down after ten.
    pub fn per_address() -> Self {
        Self { free_attempts: 10, ..Self::per_account() }
    }

    /// Wrong calendar-feed addresses from one client address (issue 16): the only path where a stranger makes the
    /// server count something. A calendar app still polling a revoked address every few minutes stays under twenty
    /// an hour ([`FEED_REFUSAL_WINDOW`]); anything faster waits a minute, doubling up to 30 minutes.
    pub fn per_feed_address() -> Self {
        Self { free_attempts: 20, base_delay: SignedDuration::from_mins(1), max_delay: SignedDuration::from_mins(30) }
    }
}

impl LockoutPolicy {
    /// Wrong referral references typed by one county account (issue 17): a reference is copied from a
    /// municipality's letter, so a typo or two is normal; five within [`FEED_REFUSAL_WINDOW`] are free, then a
    /// minute, doubling up to 30 minutes, so nobody walks through other counties' or cases' references.
    pub fn per_reference_guesses() -> Self {
        Self { free_attempts: 5, base_delay: SignedDuration::from_mins(1), max_delay: SignedDuration::from_mins(30) }
    }
}

/// Refused calendar-feed reads are counted per client address within this window; a quiet hour starts the count
/// again, so a stale subscription never locks an office out.
pub const FEED_REFUSAL_WINDOW: SignedDuration = SignedDuration::from_hours(1);

/// How long to refuse further attempts after `failures` consecutive failures; zero while still within the free ones.
pub fn lockout_delay(policy: &LockoutPolicy, failures: u32) -> SignedDuration {
    if failures < policy.free_attempts {
        return SignedDuration::ZERO;
    }
    let doublings = (failures - policy.free_attempts).min(20);
    let factor = 1i32 << doublings;
    policy.base_delay.checked_mul(factor).map_or(policy.max_delay, |d| d.min(policy.max_delay))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_delay_starts_after_the_free_attempts_and_doubles() {
        let p = LockoutPolicy::default();
        assert_eq!(lockout_delay(&p, 2), SignedDuration::ZERO);
        assert_eq!(lockout_delay(&p, 3), SignedDuration::from_secs(30));
        assert_eq!(lockout_delay(&p, 4), SignedDuration::from_secs(60));
        assert_eq!(lockout_delay(&p, 5), SignedDuration::from_secs(120));
        assert_eq!(lockout_delay(&p, 1000), SignedDuration::from_mins(30));
    }

    proptest! {
        #[test]
        fn the_delay_never_shrinks_and_never_exceeds_the_cap(n in 0u32..10_000) {
            let p = LockoutPolicy::default();
            prop_assert!(lockout_delay(&p, n) <= lockout_delay(&p, n + 1));
            prop_assert!(lockout_delay(&p, n) <= p.max_delay);
        }
    }
}
