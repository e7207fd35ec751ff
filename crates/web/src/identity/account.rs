//! One's own account: API tokens (named, with an expiry, revocable), and the resets waiting for one's approval (the
//! chair's and the data protection officer's four eyes on the administrator).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use store::StoreError;
use store::identity::{ApiTokenView, DEFAULT_TOKEN_DAYS, ResetRequestView};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::page::{Chrome, FormState, field};
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "identity/tokens.html")]
pub struct TokensPage {
    chrome: Chrome,
    tokens: Vec<ApiTokenView>,
    now: jiff::Timestamp,
    form: FormState,
    /// A token just issued: shown this once.
    issued: Option<String>,
}

impl TokensPage {
    fn day(&self, t: &jiff::Timestamp) -> String {
        t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%d %H:%M").to_string()
    }
}

async fn tokens_page(
    state: &AppState,
    user: &User,
    form: FormState,
    issued: Option<String>,
) -> Result<TokensPage, PageError> {
    let tokens = state.store.list_api_tokens(user.principal.account_id).await?;
    let form = if form.v("days").is_empty() { form.with("days", &DEFAULT_TOKEN_DAYS.to_string()) } else { form };
    Ok(TokensPage { chrome: Chrome::for_user(user, "tokens-title"), tokens, now: state.clock.now(), form, issued })
}

pub async fn tokens(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    Ok(tokens_page(&state, &user, FormState::new(), None).await?.into_response())
}

pub async fn issue_token(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let t = user.ctx.t();
    let kept = FormState::new().with("name", field(&body, "name")).with("days", field(&body, "days"));
    let result = match field(&body, "days").trim().parse::<i64>() {
        Ok(days) => {
            state.store.issue_api_token_for(&user.actor(), &user.principal.login, field(&body, "name"), days).await
        }
        Err(_) => Err(StoreError::invalid("days", "err-token-days")),
    };
    match result {
        Ok(token) => Ok(tokens_page(&state, &user, FormState::new(), Some(token)).await?.into_response()),
        Err(StoreError::Invalid(errors)) => {
            let page = tokens_page(&state, &user, kept.with_errors(&errors, &t), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    state.store.revoke_own_api_token(&user.caller(), id).await?;
    let mut page = tokens_page(&state, &user, FormState::new(), None).await?;
    page.chrome = page.chrome.with_notice(Some(user.ctx.t().get("token-revoked")));
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "identity/approvals.html")]
pub struct ApprovalsPage {
    chrome: Chrome,
    pending: Vec<ResetRequestView>,
    /// After an approval: the one-time link to hand to the account's holder.
    link: Option<String>,
}

impl ApprovalsPage {
    fn kind_label(&self, r: &ResetRequestView) -> String {
        self.chrome.t.get(match r.kind {
            store::identity::ResetKind::Password => "reset-kind-password",
            store::identity::ResetKind::SecondFactor => "reset-kind-second-factor",
        })
    }

    fn time(&self, t: &jiff::Timestamp) -> String {
        t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%d %H:%M").to_string()
    }
}

pub async fn approvals(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let pending = state.store.pending_resets(&user.principal).await?;
    Ok(ApprovalsPage { chrome: Chrome::for_user(&user, "approvals-title"), pending, link: None }.into_response())
}

pub async fn decide(
    State(state): State<AppState>,
    user: User,
    Ids((id, decision)): Ids<(Uuid, String)>,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewOwnAccount)?;
    let approve = match decision.as_str() {
        "approve" => true,
        "refuse" => false,
        _ => return Err(ErrorPage::NotFound.into()),
    };
    let token = state.store.decide_reset(&user.caller(), id, approve).await?;
    let t = user.ctx.t();
    let notice = t.get(if approve { "reset-approved" } else { "reset-refused" });
    let link = token.map(|tok| format!("{}/activate/{tok}", state.config.public_url.trim_end_matches('/')));
    let pending = state.store.pending_resets(&user.principal).await?;
    let chrome = Chrome::for_user(&user, "approvals-title").with_notice(Some(notice));
    Ok(ApprovalsPage { chrome, pending, link }.into_response())
}
