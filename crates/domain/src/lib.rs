#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing))]

pub mod audit;
pub mod calendar;
pub mod clock;
pub mod disclosure;
pub mod forms;
pub mod ics;
pub mod identity;
pub mod parse;
pub mod person;
pub mod procedure;
pub mod programme;
pub mod retention;
pub mod team;
pub mod tenant;
pub mod territory;
pub mod validation;

pub use validation::{FieldError, FieldErrors};
