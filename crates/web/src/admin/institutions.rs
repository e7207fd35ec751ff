use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::tenant::InstitutionKind;
use serde::Deserialize;
use store::StoreError;
use store::tenant::{Institution, Tenant};

use crate::error::PageError;
use crate::page::{Chrome, FormState, PostForm};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/institutions.html")]
pub struct InstitutionsPage {
    chrome: Chrome,
    tenant: Tenant,
    institutions: Vec<Institution>,
    kinds: Vec<&'static str>,
    form: FormState,
}

async fn page(
    state: &AppState,
    user: &User,
    tenant: Tenant,
    form: FormState,
    notice: Option<String>,
) -> Result<InstitutionsPage, PageError> {
    let institutions = state.store.list_institutions(tenant.id).await?;
    let mut chrome = Chrome::for_user(user, "manage-institutions").with_notice(notice);
    chrome.title = user.ctx.t().arg("institutions-title", "name", &tenant.name);
    Ok(InstitutionsPage {
        chrome,
        tenant,
        institutions,
        kinds: InstitutionKind::ALL.iter().map(|k| k.as_str()).collect(),
        form,
    })
}

pub async fn list(State(state): State<AppState>, user: User, Path(teryt): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ManageInstitutions)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    Ok(page(&state, &user, tenant, FormState::new(), None).await?.into_response())
}

#[derive(Deserialize)]
pub struct InstitutionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    Path(teryt): Path<String>,
    PostForm(form): PostForm<InstitutionForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageInstitutions)?;
    user.ctx.check_csrf(&form.csrf)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let t = user.ctx.t();
    match state.store.create_institution(&user.actor(), tenant.id, &form.name, &form.kind).await {
        Ok(_) => {
            Ok(page(&state, &user, tenant, FormState::new(), Some(t.get("institution-created"))).await?.into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let kept = FormState::new().with("name", &form.name).with("kind", &form.kind).with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, &user, tenant, kept, None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
