//! The "Niebieskie Karty" (Blue Card) procedure: its lifecycle and its statutory deadlines.

pub mod access_grant;
pub mod closing;
pub mod deadlines;
pub mod group;
pub mod intake;
pub mod lifecycle;
pub mod offers;
pub mod records;
pub mod referral;
pub mod release;
pub mod reminders;
pub mod timing;
