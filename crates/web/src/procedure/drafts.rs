//! Drafts on the form pages (form A, forms C and D): a "save draft" button that works without JavaScript, and
//! autosave (static/ostoja.js posts the same form with `autosave=1` a few seconds after the last change and gets the
//! draft's id back as JSON). Submitting the form deletes its draft. The store keeps drafts private to their author.

use axum::Json;
use axum::response::{IntoResponse, Response};
use domain::forms::Answers;
use jiff::Timestamp;
use serde::Serialize;
use store::drafts::{DraftOf, DraftSummary};
use uuid::Uuid;

use super::form::PostedForm;
use crate::error::{ErrorPage, PageError};
use crate::session::User;
use crate::state::AppState;

/// The draft part of a form page.
#[derive(Debug, Clone, Default)]
pub struct DraftVm {
    /// The draft's id once saved ("" before), posted back so the next save replaces it.
    pub id: String,
    /// "Szkic zapisany o 14:05", after a save.
    pub note: Option<String>,
    /// Saved drafts of this form to resume (on a fresh page only).
    pub saved: Vec<DraftLink>,
}

#[derive(Debug, Clone)]
pub struct DraftLink {
    pub href: String,
    pub label: String,
}

/// What the posted draft controls ask for.
pub enum DraftRequest {
    /// A plain submit (or "add another person").
    None,
    /// The "save draft" button: save and show the page again.
    Save,
    /// A background save from the script: save and answer with JSON.
    Autosave,
}

pub fn request(posted: &PostedForm<'_>) -> DraftRequest {
    if posted.control("autosave").is_some() {
        DraftRequest::Autosave
    } else if posted.control("save_draft").is_some() {
        DraftRequest::Save
    } else {
        DraftRequest::None
    }
}

/// The draft id posted with the form, if any. A malformed one is a bad request (the page never renders one).
pub fn posted_id(posted: &PostedForm<'_>) -> Result<Option<Uuid>, PageError> {
    match posted.control("draft").map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => Uuid::parse_str(raw).map(Some).map_err(|_| ErrorPage::BadRequest.into()),
    }
}

fn time_of_day(at: Timestamp) -> String {
    at.to_zoned(domain::calendar::poland_zone()).strftime("%H:%M").to_string()
}

fn saved_note(user: &User, at: Timestamp) -> String {
    user.ctx.t().arg("draft-saved-at", "time", &time_of_day(at))
}

#[derive(Serialize)]
struct Autosaved {
    draft: Uuid,
    message: String,
}

/// Saves the answers as the author's draft (a draft that is gone, e.g. submitted in another tab, starts a new one).
/// Returns what the page or the script needs.
pub async fn save(
    state: &AppState,
    user: &User,
    of: DraftOf,
    id: Option<Uuid>,
    answers: &Answers,
    how: DraftRequest,
) -> Result<SavedDraft, PageError> {
    let saved = match state.store.save_draft(&user.caller(), id, of, answers).await {
        Err(store::StoreError::NotFound) if id.is_some() => {
            state.store.save_draft(&user.caller(), None, of, answers).await?
        }
        other => other?,
    };
    let note = saved_note(user, state.store.now());
    Ok(match how {
        DraftRequest::Autosave => SavedDraft::Json(Json(Autosaved { draft: saved, message: note }).into_response()),
        _ => SavedDraft::Page(DraftVm { id: saved.to_string(), note: Some(note), saved: vec![] }),
    })
}

pub enum SavedDraft {
    /// Answer the script with this.
    Json(Response),
    /// Show the page again with this draft part.
    Page(DraftVm),
}

/// After a successful submit: the draft has become the form.
pub async fn submitted(state: &AppState, user: &User, id: Option<Uuid>) -> Result<(), PageError> {
    if let Some(id) = id {
        state.store.discard_draft(&user.caller(), id).await?;
    }
    Ok(())
}

/// The draft part of a fresh form page: the author's saved drafts of this form, each a link that resumes it.
pub async fn fresh(state: &AppState, user: &User, of: DraftOf, base: &str) -> Result<DraftVm, PageError> {
    let saved: Vec<DraftSummary> = state.store.drafts(&user.principal, Some(of)).await?;
    let zone = domain::calendar::poland_zone();
    let saved = saved
        .into_iter()
        .map(|d| DraftLink {
            href: format!("{base}?draft={}", d.id),
            label: user.ctx.t().arg(
                "draft-resume",
                "time",
                &d.updated_at.to_zoned(zone.clone()).strftime("%d.%m.%Y %H:%M").to_string(),
            ),
        })
        .collect();
    Ok(DraftVm { id: String::new(), note: None, saved })
}

/// Opens the author's draft `raw` (from `?draft=`) for this form. Another account's draft, or a draft of another
/// form or case, is "not found".
pub async fn resume(state: &AppState, user: &User, of: DraftOf, raw: &str) -> Result<(DraftVm, Answers), PageError> {
    let id = Uuid::parse_str(raw).map_err(|_| ErrorPage::NotFound)?;
    let (stored_of, answers) = state.store.draft(&user.caller(), id).await?;
    if stored_of != of {
        return Err(ErrorPage::NotFound.into());
    }
    Ok((DraftVm { id: id.to_string(), note: None, saved: vec![] }, answers))
}
