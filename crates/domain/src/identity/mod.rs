//! Accounts: roles and what they permit, login names, the password policy and the lock-out policy.

mod login;
mod password;
mod role;
mod throttle;

pub use login::Login;
pub use password::{MIN_PASSWORD_CHARS, check_password_policy};
pub use role::{Permission, Role, RoleSet};
pub use throttle::{FEED_REFUSAL_WINDOW, LockoutPolicy, lockout_delay};
