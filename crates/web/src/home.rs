//! The home page: who you are, your municipality and roles, and what to do next.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use domain::identity::{Permission, Role};

use crate::error::PageError;
use crate::page::Chrome;
use crate::session::User;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    chrome: Chrome,
    login: String,
    tenant: Option<(String, String)>,
    roles: Vec<Role>,
    admin_hint: bool,
    dpo_hint: bool,
}

pub async fn show(user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewDashboard)?;
    let p = &user.principal;
    Ok(HomePage {
        chrome: Chrome::for_user(&user, "home-title"),
        login: p.login.clone(),
        tenant: p.tenant_name.clone().zip(p.tenant_teryt.clone()),
        roles: p.roles.iter().collect(),
        admin_hint: user.can(Permission::ManageTenants),
        dpo_hint: user.can(Permission::ReadAuditTrail),
    }
    .into_response())
}
