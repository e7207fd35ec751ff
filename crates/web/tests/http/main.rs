//! The web layer's integration tests: the real server on a random port, spoken to over HTTP. One binary (link time
//! on a 2-core machine). The engine comes from `OSTOJA_TEST_ENGINE`, as for the store's conformance suite.

mod helpers;

mod account_position;
mod admin;
mod api;
mod api_parity;
mod area;
mod authorization;
mod calendar;
mod case_list;
mod case_records;
mod clocks;
mod day;
mod documents;
mod dpo_register;
mod drafts;
mod event_time;
mod form_review;
mod form_steps;
mod grants;
mod identity;
mod language;
mod need_to_know;
mod notify;
mod openapi_snapshot;
mod ops;
mod person_search;
mod procedures;
mod programme;
mod programme_editor;
mod public_help;
mod referrals;
mod region;
mod releases;
mod retention;
mod sealed_fields;
mod security;
mod statutory;
mod statutory_package;
mod team;
mod team_learns;
mod team_members;
mod team_rules;
mod transfer;
