//! The store's conformance suite: one set of tests that every engine must pass.
//!
//! The engine comes from `OSTOJA_TEST_ENGINE` (`sqlite`, the default, or `postgres`); each test gets a fresh database
//! from `store::testing::TestDatabase` and a `ManualClock`, so expiry and lock-out are tested by moving the clock, not
//! by waiting. Run it once per engine:
//!
//! ```text
//! OSTOJA_TEST_ENGINE=sqlite   cargo test -p store
//! OSTOJA_TEST_ENGINE=postgres cargo test -p store
//! ```

mod support;

mod access_lifecycle;
mod accounts;
mod api_tokens;
mod area;
mod audit;
mod backup;
mod calendar_feed;
mod case_list;
mod case_records;
mod clocks;
mod county;
mod dpo_register;
mod event_time;
mod faults;
mod grants;
mod group_changes;
mod keys;
mod learning;
mod login;
mod need_to_know;
mod notify;
mod person_search;
mod platform;
mod procedure;
mod programme;
mod referral;
mod releases;
mod retention;
mod rotation;
mod row_security;
mod sealed_fields;
mod sessions;
mod special_cases;
mod statutory;
mod statutory_package;
mod team;
mod team_learns;
mod team_members;
mod team_rules;
mod tenant;
mod transfer;
