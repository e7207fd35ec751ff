use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::tenant::InstitutionKind;
use serde::Deserialize;
use store::StoreError;
use store::tenant::{Institution, InstitutionRemoval, Tenant};

use crate::error::PageError;
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "admin/institutions.html")]
pub struct InstitutionsPage {
    chrome: Chrome,
    tenant: Tenant,
    institutions: Vec<Institution>,
    kinds: Vec<&'static str>,
    form: FormState,
    /// A refused removal: the institution's name and what still depends on it, in words.
    refused: Option<(String, Vec<String>)>,
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
        refused: None,
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
    name: String,
    #[serde(default)]
    kind: String,
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    Path(teryt): Path<String>,
    CsrfForm(form): CsrfForm<InstitutionForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageInstitutions)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let t = user.ctx.t();
    match state.store.create_institution(&user.actor(), tenant.id, &form.name, &form.kind).await {
        Ok(created) => {
            Ok(crate::flash::saved(&format!("/admin/tenants/{}/institutions#institution-{}", tenant.teryt, created.id)))
        }
        Err(StoreError::Invalid(errors)) => {
            let kept = FormState::new().with("name", &form.name).with("kind", &form.kind).with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page(&state, &user, tenant, kept, None).await?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RemoveForm {
    /// "yes" once the person confirmed on [`crate::page::ConfirmPage`].
    #[serde(default)]
    confirmed: String,
}

/// Removes an institution, or shows what still depends on it (nothing is removed then).
pub async fn remove(
    State(state): State<AppState>,
    user: User,
    Ids((teryt, id)): Ids<(String, Uuid)>,
    CsrfForm(form): CsrfForm<RemoveForm>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageInstitutions)?;
    let tenant = state.store.tenant_by_teryt(&teryt).await?;
    let t = user.ctx.t();
    let name = state.store.list_institutions(tenant.id).await?.into_iter().find(|i| i.id == id).map(|i| i.name);
    if form.confirmed != "yes" {
        let name = name.ok_or(crate::error::ErrorPage::NotFound)?;
        let base = format!("/admin/tenants/{}/institutions", tenant.teryt);
        let mut chrome = Chrome::for_user(&user, "confirm-title");
        chrome.notice = None;
        return Ok(crate::page::ConfirmPage {
            chrome,
            question: t.arg("confirm-institution-remove", "name", &name),
            action: format!("{base}/{id}/remove"),
            hidden: Vec::new(),
            confirm_label: t.get("institution-remove"),
            cancel: base,
        }
        .into_response());
    }
    match state.store.remove_institution(&user.actor(), tenant.id, id).await? {
        InstitutionRemoval::Removed => {
            Ok(crate::flash::saved(&format!("/admin/tenants/{}/institutions", tenant.teryt)))
        }
        InstitutionRemoval::Refused(dependents) => {
            let mut shown = page(&state, &user, tenant, FormState::new(), None).await?;
            let lines = dependents
                .iter()
                .map(|(kind, what)| format!("{}: {what}", t.get(&format!("dependent-{kind}"))))
                .collect();
            shown.refused = Some((name.unwrap_or_default(), lines));
            Ok((StatusCode::CONFLICT, shown).into_response())
        }
    }
}
