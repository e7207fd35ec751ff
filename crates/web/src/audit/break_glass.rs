//! The data protection officer's register of break-glass openings (`/audit/break-glass`, issue 20): who opened which
//! case, when, why, until when, and whether it has been reviewed; each is marked reviewed with a comment. Reading the
//! reasons and reviewing are audited by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use serde::Deserialize;
use store::StoreError;
use store::procedure::GrantView;
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::Chrome;
use crate::procedure::grants::status_key;
use crate::procedure::show::warsaw;
use crate::session::User;
use crate::state::AppState;

/// One opening as the officer reads it.
pub struct Entry {
    pub id: Uuid,
    pub who: String,
    pub number: String,
    pub when: String,
    pub reason: String,
    pub until: String,
    pub status: String,
    /// "Reviewed by … on …: comment", once reviewed.
    pub review: Option<(String, String, String)>,
    /// A refused review of this entry: the message and the comment as typed.
    pub error: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/break_glass.html")]
pub struct RegisterPage {
    chrome: Chrome,
    entries: Vec<Entry>,
    unreviewed_text: String,
}

const LIMIT: i64 = 500;

fn entry(t: &Tr, g: GrantView) -> Entry {
    Entry {
        id: g.id,
        who: g.account_login,
        number: g.number,
        when: warsaw(g.granted_at),
        reason: g.reason.unwrap_or_default(),
        until: g.ended_at.or(g.ends_at).map_or_else(|| t.get("grant-until-ended"), warsaw),
        status: t.get(status_key(g.status)),
        review: g
            .reviewed_at
            .map(|at| (g.reviewed_by_login.unwrap_or_default(), warsaw(at), g.review_comment.unwrap_or_default())),
        error: None,
    }
}

async fn page(state: &AppState, user: &User) -> Result<RegisterPage, PageError> {
    let t = user.ctx.t();
    let list = state.store.break_glass_register(&user.caller(), LIMIT).await?;
    let entries: Vec<Entry> = list.into_iter().map(|g| entry(&t, g)).collect();
    let unreviewed = entries.iter().filter(|e| e.review.is_none()).count();
    Ok(RegisterPage {
        chrome: Chrome::for_user(user, "break-glass-register-title"),
        entries,
        unreviewed_text: unreviewed.to_string(),
    })
}

/// `GET /audit/break-glass`: every opening, newest first.
pub async fn list(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    Ok(page(&state, &user).await?.into_response())
}

#[derive(Deserialize)]
pub struct ReviewPosted {
    #[serde(default)]
    comment: String,
}

/// `POST /audit/break-glass/{grant}/review`: marks one opening reviewed with the comment written.
pub async fn review(
    State(state): State<AppState>,
    user: User,
    Ids(grant): Ids<Uuid>,
    CsrfForm(posted): CsrfForm<ReviewPosted>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    match state.store.review_break_glass(&user.caller(), grant, &posted.comment).await {
        Ok(()) => Ok(crate::flash::saved(&format!("/audit/break-glass#grant-{grant}"))),
        Err(StoreError::Invalid(errors)) => {
            let t = user.ctx.t();
            let message = errors.iter().next().map(|e| t.get(e.code)).unwrap_or_default();
            let mut page = page(&state, &user).await?;
            let Some(e) = page.entries.iter_mut().find(|e| e.id == grant) else {
                return Err(ErrorPage::NotFound.into());
            };
            e.error = Some((message, posted.comment.clone()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
