//! A municipality's accounts: one page for the installation's administrator (`/admin/tenants/{teryt}/accounts`) and
//! for the team's chair and secretary (`/team/accounts`). Which actions each may take is the store's decision
//! (`store::identity` lifecycle): the administrator creates only a first chair, and its reset of an account with case
//! access waits for the chair's or the data protection officer's approval.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::{Permission, Role};
use store::StoreError;
use store::identity::{AccountView, NewAccount, PersonalDetails, ResetKind, ResetOutcome};
use store::tenant::{Institution, Tenant};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::{Chrome, ConfirmPage, FormState, confirmed, field, repeated};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    chrome: Chrome,
    accounts: Vec<AccountView>,
    institutions: Vec<Institution>,
    roles: Vec<Role>,
    form: FormState,
    /// A message and, after creating an account or a reset, the one-time link to hand over.
    link: Option<(String, String)>,
    /// Why a row's action (deactivate, roles, reset) was refused; shown above the list, not as the new-account
    /// form's error.
    action_error: Option<String>,
    /// Where this page and its forms live.
    base: String,
    /// The team's staff change roles; the administrator does not.
    staff: bool,
    back: String,
}

impl AccountsPage {
    fn institution_name(&self, id: &Option<Uuid>) -> String {
        id.and_then(|id| self.institutions.iter().find(|i| i.id == id)).map(|i| i.name.clone()).unwrap_or_default()
    }

    /// When the account last logged in, or "never".
    fn last_login(&self, at: &Option<jiff::Timestamp>) -> String {
        match at {
            Some(t) => t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%d %H:%M").to_string(),
            None => self.chrome.t.get("account-never-logged-in"),
        }
    }
}

/// Whose page this is: the administrator's for a municipality, or the staff's for their own.
async fn scope(state: &AppState, user: &User, teryt: Option<&str>) -> Result<(Tenant, String, bool), PageError> {
    match teryt {
        Some(teryt) => {
            user.require(Permission::ManageAccounts)?;
            let tenant = state.store.tenant_by_teryt(teryt).await?;
            // A demo account never reaches a real municipality.
            if !user.principal.may_act_on(tenant.is_demo) {
                return Err(ErrorPage::NotFound.into());
            }
            let base = format!("/admin/tenants/{}/accounts", tenant.teryt);
            Ok((tenant, base, false))
        }
        None => {
            user.require(Permission::ManageTeamAccounts)?;
            let teryt = user.principal.tenant_teryt.as_deref().ok_or(ErrorPage::NotFound)?;
            let tenant = state.store.tenant_by_teryt(teryt).await?;
            Ok((tenant, "/team/accounts".to_owned(), true))
        }
    }
}

async fn page(
    state: &AppState,
    user: &User,
    teryt: Option<&str>,
    form: FormState,
    link: Option<(String, String)>,
) -> Result<AccountsPage, PageError> {
    let (tenant, base, staff) = scope(state, user, teryt).await?;
    let accounts = state.store.list_accounts(&user.actor(), Some(tenant.id)).await?;
    let institutions = state.store.list_institutions(tenant.id).await?;
    let mut chrome = Chrome::for_user(user, "manage-accounts");
    chrome.title = user.ctx.t().arg("accounts-title", "name", &tenant.name);
    let roles = Role::ALL.into_iter().filter(|r| *r != Role::SystemAdministrator).collect();
    let back = if staff { "/team".to_owned() } else { "/admin/tenants".to_owned() };
    Ok(AccountsPage { chrome, accounts, institutions, roles, form, link, action_error: None, base, staff, back })
}

pub async fn list(State(state): State<AppState>, user: User, Path(teryt): Path<String>) -> Result<Response, PageError> {
    Ok(page(&state, &user, Some(&teryt), FormState::new(), None).await?.into_response())
}

pub async fn team_list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    Ok(page(&state, &user, None, FormState::new(), None).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    Path(teryt): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    create_in(state, user, Some(teryt), body).await
}

pub async fn team_create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    create_in(state, user, None, body).await
}

async fn create_in(
    state: AppState,
    user: User,
    teryt: Option<String>,
    body: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (tenant, _, _) = scope(&state, &user, teryt.as_deref()).await?;
    let t = user.ctx.t();
    let mut errors = FieldErrors::new();
    let roles: Vec<Role> =
        repeated(&body, "roles").iter().filter_map(|r| errors.check("roles", Role::parse(r))).collect();
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
        state.store.create_account_as(&user.caller(), &new).await
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok((_, token)) => {
            let link = format!("{}/activate/{token}", state.config.public_url.trim_end_matches('/'));
            let message = t.arg("account-created", "login", &new.login.trim().to_lowercase());
            Ok(page(&state, &user, teryt.as_deref(), FormState::new(), Some((message, link))).await?.into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let mut kept = FormState::new();
            for key in ["login", "full_name", "email", "phone", "institution"] {
                kept = kept.with(key, field(&body, key));
            }
            kept = kept.with("roles", &repeated(&body, "roles").join(",")).with_errors(&errors, &t);
            let page = page(&state, &user, teryt.as_deref(), kept, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// One action on one account, posted from the list.
#[derive(Clone, Copy)]
enum Action {
    Deactivate,
    Reactivate,
    Roles,
    /// The account's own position (form A's part XIV): not a removal, so asked nothing.
    Position,
    Reset(ResetKind),
}

impl Action {
    fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "deactivate" => Action::Deactivate,
            "reactivate" => Action::Reactivate,
            "roles" => Action::Roles,
            "position" => Action::Position,
            "reset-password" => Action::Reset(ResetKind::Password),
            "reset-second-factor" => Action::Reset(ResetKind::SecondFactor),
            _ => return None,
        })
    }
}

pub async fn act(
    State(state): State<AppState>,
    user: User,
    Path((teryt, id, action)): Path<(String, String, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    act_on(state, user, Some(teryt), id, action, body).await
}

pub async fn team_act(
    State(state): State<AppState>,
    user: User,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    act_on(state, user, None, id, action, body).await
}

async fn act_on(
    state: AppState,
    user: User,
    teryt: Option<String>,
    id: String,
    action: String,
    body: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let (tenant, base, _) = scope(&state, &user, teryt.as_deref()).await?;
    let (Some(parsed), Ok(id)) = (Action::parse(&action), Uuid::parse_str(&id)) else {
        return Err(ErrorPage::NotFound.into());
    };
    let t = user.ctx.t();
    // A removal (a deactivation, a reset, a role taken away) is confirmed on a page of its own first.
    if !confirmed(&body) {
        let accounts = state.store.list_accounts(&user.actor(), Some(tenant.id)).await?;
        let account = accounts.into_iter().find(|a| a.id == id).ok_or(ErrorPage::NotFound)?;
        if let Some((question, label, hidden)) = confirmation(&user, &account, parsed, &body) {
            let mut chrome = Chrome::for_user(&user, "confirm-title");
            chrome.notice = None;
            let page = ConfirmPage {
                chrome,
                question,
                action: format!("{base}/{id}/{action}"),
                hidden,
                confirm_label: label,
                cancel: format!("{base}#account-{id}"),
            };
            return Ok(page.into_response());
        }
    }
    let store = &state.store;
    let saved = crate::flash::saved(&format!("{base}#account-{id}"));
    let outcome: Result<Option<(String, String)>, StoreError> = match parsed {
        Action::Deactivate => store.deactivate_account(&user.caller(), id).await.map(|()| None),
        Action::Reactivate => store.reactivate_account(&user.caller(), id).await.map(|()| None),
        Action::Roles => {
            let mut errors = FieldErrors::new();
            let roles: Vec<Role> =
                repeated(&body, "roles").iter().filter_map(|r| errors.check("roles", Role::parse(r))).collect();
            if errors.is_empty() {
                store.set_account_roles(&user.caller(), id, &roles).await.map(|()| None)
            } else {
                Err(StoreError::Invalid(errors))
            }
        }
        Action::Position => {
            store.set_account_position(&user.caller(), id, field(&body, "position")).await.map(|()| None)
        }
        Action::Reset(kind) => store.reset_account(&user.caller(), id, kind).await.map(|o| match o {
            ResetOutcome::Link(token) => {
                let link = format!("{}/activate/{token}", state.config.public_url.trim_end_matches('/'));
                Some((t.get("account-reset-done"), link))
            }
            ResetOutcome::AwaitingApproval => Some((t.get("account-reset-awaits-approval"), String::new())),
        }),
    };
    // A one-time link is shown once, on the answer itself; every other change goes back to the list at its row.
    let outcome = match outcome {
        Ok(None) => return Ok(saved),
        other => other,
    };
    match outcome {
        Ok(notice) => Ok(page(&state, &user, teryt.as_deref(), FormState::new(), notice).await?.into_response()),
        Err(StoreError::Invalid(errors)) => {
            // The refusal is shown at the top of the list: the form concerned is a row's button.
            let message = errors.iter().next().map(|e| t.get(e.code)).unwrap_or_default();
            let page = page(&state, &user, teryt.as_deref(), FormState::new(), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, AccountsPage { action_error: Some(message), ..page }).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// What a confirmation page asks: the question, the confirming button's label, the fields to post again.
type Confirmation = (String, String, Vec<(String, String)>);

/// The question, the button's label and the fields to send again, for an action that takes something away; `None`
/// for one that does not (a reactivation, roles only added).
fn confirmation(user: &User, account: &AccountView, action: Action, body: &[(String, String)]) -> Option<Confirmation> {
    let t = user.ctx.t();
    let who = if account.details.full_name.is_empty() {
        account.login.clone()
    } else {
        format!("{} ({})", account.details.full_name, account.login)
    };
    let ask = |id: &str| t.arg(id, "who", &who);
    match action {
        Action::Reactivate | Action::Position => None,
        Action::Deactivate => Some((ask("confirm-deactivate"), t.get("account-deactivate"), Vec::new())),
        Action::Reset(ResetKind::Password) => {
            Some((ask("confirm-reset-password"), t.get("reset-password"), Vec::new()))
        }
        Action::Reset(ResetKind::SecondFactor) => {
            Some((ask("confirm-reset-second-factor"), t.get("reset-second-factor"), Vec::new()))
        }
        Action::Roles => {
            let kept: Vec<Role> = repeated(body, "roles").iter().filter_map(|r| Role::parse(r).ok()).collect();
            let removed: Vec<String> = account.roles.iter().filter(|r| !kept.contains(r)).map(|r| t.role(&r)).collect();
            if removed.is_empty() {
                return None;
            }
            let question = t.arg2("confirm-roles-removed", "who", &who, "roles", &removed.join(", "));
            let hidden = kept.iter().map(|r| ("roles".to_owned(), r.as_str().to_owned())).collect();
            Some((question, t.get("account-roles-remove"), hidden))
        }
    }
}
