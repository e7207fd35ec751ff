use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::{Permission, Role};
use store::StoreError;
use store::identity::{AccountView, NewAccount, PersonalDetails};
use store::tenant::{Institution, Tenant};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::page::{Chrome, FormState, PostForm, field, repeated};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    chrome: Chrome,
    tenant: Tenant,
    accounts: Vec<AccountView>,
    institutions: Vec<Institution>,
    roles: Vec<Role>,
    form: FormState,
    /// A one-time link to hand over, after creating an account or resetting its second factor.
    link: Option<(String, String)>,
}

impl AccountsPage {
    fn institution_name(&self, id: &Option<Uuid>) -> String {
        id.and_then(|id| self.institutions.iter().find(|i| i.id == id)).map(|i| i.name.clone()).unwrap_or_default()
    }
}

async fn page(
    state: &AppState,
    user: &User,
    tenant: Tenant,
    form: FormState,
    link: Option<(String, String)>,
) -> Result<AccountsPage, PageError> {
    let accounts = state.store.list_accounts(&user.actor(), Some(tenant.id)).await?;
    let institutions = state.store.list_institutions(tenant.id).await?;
    let mut chrome = Chrome::for_user(user, "manage-accounts");
    chrome.title = user.ctx.t().arg("accounts-title", "name", &tenant.name);
    let roles = Role::ALL.into_iter().filter(|r| *r != Role::SystemAdministrator).collect();
    Ok(AccountsPage { chrome, tenant, accounts, institutions, roles, form, link })
}

pub async fn list(State(state): State<AppState>, user: User, Path(teryt): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ManageAccounts)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    Ok(page(&state, &user, tenant, FormState::new(), None).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    Path(teryt): Path<String>,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAccounts)?;
    user.ctx.check_csrf(field(&body, "csrf"))?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let t = user.ctx.t();
    let mut errors = FieldErrors::new();
    let roles: Vec<Role> =
        repeated(&body, "roles").iter().filter_map(|r| errors.check("roles", Role::parse(r))).collect();
    // The administrator role is the installation's, not a municipality's.
    if roles.contains(&Role::SystemAdministrator) {
        errors.add("roles", "err-role-unknown");
    }
    let institution = match field(&body, "institution") {
        "" => None,
        raw => errors.check("institution", Uuid::parse_str(raw).map_err(|_| "err-institution-unknown")),
    };
    let new = NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: institution,
        login: field(&body, "login").to_owned(),
        roles,
        details: PersonalDetails {
            full_name: field(&body, "full_name").to_owned(),
            email: field(&body, "email").to_owned(),
            phone: field(&body, "phone").to_owned(),
        },
    };
    let result = if errors.is_empty() {
        state.store.create_account(&user.actor(), &new).await
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok((_, token)) => {
            let link = format!("{}/activate/{token}", state.config.public_url.trim_end_matches('/'));
            let message = t.arg("account-created", "login", &new.login.trim().to_lowercase());
            Ok(page(&state, &user, tenant, FormState::new(), Some((message, link))).await?.into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let mut kept = FormState::new();
            for key in ["login", "full_name", "email", "phone", "institution"] {
                kept = kept.with(key, field(&body, key));
            }
            kept = kept.with("roles", &repeated(&body, "roles").join(",")).with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, &user, tenant, kept, None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn reset_second_factor(
    State(state): State<AppState>,
    user: User,
    Path((teryt, id)): Path<(String, String)>,
    PostForm(body): PostForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageAccounts)?;
    user.ctx.check_csrf(field(&body, "csrf"))?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let id = Uuid::parse_str(&id).map_err(|_| ErrorPage::NotFound)?;
    let token = state.store.reset_second_factor(&user.actor(), id, Some(tenant.id)).await?;
    let link = format!("{}/activate/{token}", state.config.public_url.trim_end_matches('/'));
    let page = page(&state, &user, tenant, FormState::new(), None).await?;
    let login = page.accounts.iter().find(|a| a.id == id).map(|a| a.login.clone()).unwrap_or_default();
    let message = user.ctx.t().arg("second-factor-reset-done", "login", &login);
    Ok(AccountsPage { link: Some((message, link)), ..page }.into_response())
}
