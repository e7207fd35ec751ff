//! Logging in and out, the first administrator's set-up, account activation, the second factor, password change.

pub mod account;
pub mod activate;
pub mod enrol;
pub mod login;
pub mod password;
pub mod second_factor;
pub mod settings;
pub mod setup;

use axum::routing::{get, post};

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/login", get(login::show).post(login::submit))
        .route("/login/second-factor", get(second_factor::show).post(second_factor::submit))
        .route("/enrol", get(enrol::show).post(enrol::submit))
        .route("/logout", post(login::logout))
        .route("/setup/{token}", get(setup::show).post(setup::submit))
        .route("/activate/{token}", get(activate::show).post(activate::submit))
        .route("/account/password", get(password::show).post(password::submit))
        .route(settings::PATH, get(settings::show).post(settings::submit))
        .route("/account/tokens", get(account::tokens).post(account::issue_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/account/approvals", get(account::approvals))
        .route("/account/approvals/{id}/{decision}", post(account::decide))
}
