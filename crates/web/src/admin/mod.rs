//! The installation administrator's pages: municipalities (tenants), their institutions and accounts.
//! The administrator manages who works in the system, never what is in the cases.

pub mod accounts;
pub mod institutions;
pub mod tenants;

use axum::routing::{get, post};

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/admin/tenants", get(tenants::list).post(tenants::create))
        .route("/admin/tenants/{teryt}/institutions", get(institutions::list).post(institutions::create))
        .route("/admin/tenants/{teryt}/institutions/{id}/remove", post(institutions::remove))
        .route("/admin/tenants/{teryt}/accounts", get(accounts::list).post(accounts::create))
        .route("/admin/tenants/{teryt}/accounts/{id}/{action}", post(accounts::act))
        .route("/team/accounts", get(accounts::team_list).post(accounts::team_create))
        .route("/team/accounts/{id}/{action}", post(accounts::team_act))
}
