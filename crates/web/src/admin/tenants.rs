use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use serde::Deserialize;
use store::StoreError;
use store::tenant::Tenant;

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/tenants.html")]
pub struct TenantsPage {
    chrome: Chrome,
    tenants: Vec<Tenant>,
    form: FormState,
}

pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageTenants)?;
    let tenants = state.store.list_tenants().await?;
    Ok(TenantsPage { chrome: Chrome::for_user(&user, "tenants-title"), tenants, form: FormState::new() }
        .into_response())
}

#[derive(Deserialize)]
pub struct TenantForm {
    #[serde(default)]
    teryt: String,
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(form): CsrfForm<TenantForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageTenants)?;
    let t = user.ctx.t();
    match state.store.create_tenant(&user.actor(), &form.teryt, &form.name, false).await {
        Ok(_) => {
            let tenants = state.store.list_tenants().await?;
            let chrome = Chrome::for_user(&user, "tenants-title").with_notice(Some(t.get("tenant-created")));
            Ok(TenantsPage { chrome, tenants, form: FormState::new() }.into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let tenants = state.store.list_tenants().await?;
            let form = FormState::new().with("teryt", &form.teryt).with("name", &form.name).with_errors(&errors, &t);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                TenantsPage { chrome: Chrome::for_user(&user, "tenants-title"), tenants, form },
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
