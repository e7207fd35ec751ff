//! Access beyond the standing roles (issue 20): the emergency opening of a case ("Dostęp awaryjny",
//! `/procedures/emergency`), the banner on a case read so, and the chair's time-boxed grants on the case page.
//!
//! A case page refused to an account that may break glass offers the emergency opening, for any id alike, existing
//! or not: the link says nothing of the case. Everyone else gets the plain "not found".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::procedure::access_grant::BREAK_GLASS_DEFAULT_HOURS;
use serde::Deserialize;
use store::StoreError;
use store::procedure::{CaseHandle, CaseRef, GrantBanner, GrantKind, GrantStatus, GrantView, GroupCandidate};
use uuid::Uuid;

use super::show::warsaw;
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

/// The page refused to an account that may break glass: "not found", with the way to the emergency opening.
#[derive(Template, WebTemplate)]
#[template(path = "procedure/emergency_refused.html")]
pub struct RefusedPage {
    chrome: Chrome,
    id: Uuid,
}

/// What `/procedures/{id}` answers when the case is not theirs to see: for an account that may break glass, the
/// page offering it (the same for any id); for anyone else, the plain error.
pub(super) fn refused(user: &User, id: Uuid, e: PageError) -> Result<Response, PageError> {
    if matches!(e, PageError::Page(ErrorPage::NotFound)) && user.principal.roles.permits(Permission::BreakGlass) {
        let page = RefusedPage { chrome: Chrome::for_user(user, "not-found-title"), id };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    }
    Err(e)
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/emergency.html")]
pub struct EmergencyPage {
    chrome: Chrome,
    form: FormState,
    /// The case of the refused link, when the person came from one; else they type its number.
    case_id: Option<Uuid>,
    hours: String,
}

#[derive(Deserialize)]
pub struct EmergencyQuery {
    #[serde(default)]
    case: Option<String>,
}

#[derive(Deserialize)]
pub struct EmergencyPosted {
    #[serde(default)]
    case: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
}

fn emergency_page(user: &User, form: FormState, case_id: Option<Uuid>) -> EmergencyPage {
    EmergencyPage {
        chrome: Chrome::for_user(user, "break-glass-title"),
        form,
        case_id,
        hours: BREAK_GLASS_DEFAULT_HOURS.to_string(),
    }
}

/// `GET /procedures/emergency`: the form, with the refused link's case when there was one.
pub async fn emergency_form(user: User, Query(q): Query<EmergencyQuery>) -> Result<Response, PageError> {
    user.require(Permission::BreakGlass)?;
    let case_id = q.case.as_deref().map(Uuid::parse_str).transpose().map_err(|_| ErrorPage::NotFound)?;
    Ok(emergency_page(&user, FormState::new(), case_id).into_response())
}

/// `POST /procedures/emergency`: opens the case for 24 hours with the reason written, then shows it.
pub async fn emergency_submit(
    State(state): State<AppState>,
    user: User,
    CsrfForm(posted): CsrfForm<EmergencyPosted>,
) -> Result<Response, PageError> {
    user.require(Permission::BreakGlass)?;
    let t = user.ctx.t();
    let case_id = Some(posted.case.trim())
        .filter(|c| !c.is_empty())
        .map(Uuid::parse_str)
        .transpose()
        .map_err(|_| ErrorPage::BadRequest)?;
    let mut form = FormState::new().with("reason", &posted.reason).with("number", &posted.number);
    if case_id.is_none() && posted.number.trim().is_empty() {
        form = form.error("number", t.get("err-required"));
    }
    if posted.confirm.as_deref() != Some("on") {
        form = form.error("confirm", t.get("err-break-glass-confirm"));
    }
    // The reason is checked with the rest, so every error shows at once (the store checks it again).
    if let Err(code) = domain::procedure::access_grant::break_glass_reason(&posted.reason) {
        form = form.error("reason", t.get(code));
    }
    if form.has_errors() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, emergency_page(&user, form, case_id)).into_response());
    }
    let case = match case_id {
        Some(id) => CaseRef::Id(id),
        None => CaseRef::Number(&posted.number),
    };
    match state.store.break_glass(&user.caller(), case, &posted.reason, BREAK_GLASS_DEFAULT_HOURS).await {
        Ok(handle) => Ok(crate::flash::saved(&format!("/procedures/{}", handle.procedure_id))),
        Err(StoreError::Invalid(errors)) => {
            let form = form.with_errors(&errors, &t);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, emergency_page(&user, form, case_id)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The banner on every page of a case read through a grant: which kind, until when.
pub(crate) async fn banner(state: &AppState, t: &Tr, handle: &CaseHandle) -> Result<Option<String>, PageError> {
    Ok(state.store.grant_banner(handle).await?.map(|b| banner_text(t, b)))
}

/// The banner's sentence for a reader in by a grant.
pub(crate) fn banner_text(t: &Tr, GrantBanner { kind, ends_at }: GrantBanner) -> String {
    let key = match kind {
        GrantKind::BreakGlass => "break-glass-banner",
        GrantKind::Granted => "grant-banner",
    };
    let until = ends_at.map_or_else(|| t.get("grant-until-ended"), warsaw);
    t.arg(key, "until", &until)
}

/// One grant in the case page's list.
pub struct GrantRow {
    pub id: Uuid,
    pub who: String,
    pub kind: String,
    pub reason: Option<String>,
    pub granted_by: String,
    pub from: String,
    pub until: String,
    pub status: String,
    pub current: bool,
}

/// The case page's section on access outside the group, for the team's staff.
pub struct GrantsVm {
    pub rows: Vec<GrantRow>,
    /// The chair (or deputy) may grant and end: the accounts outside the group to choose from, by login.
    pub candidates: Option<Vec<(Uuid, String)>>,
    pub form: FormState,
    /// The first day a grant may end on (today), as a date field's `min`.
    pub today: String,
}

fn grant_row(t: &Tr, g: GrantView) -> GrantRow {
    GrantRow {
        id: g.id,
        who: g.account_login,
        kind: t.get(match g.kind {
            GrantKind::BreakGlass => "grant-kind-break-glass",
            GrantKind::Granted => "grant-kind-granted",
        }),
        reason: g.reason,
        granted_by: g.granted_by_login,
        from: warsaw(g.granted_at),
        until: g.ended_at.or(g.ends_at).map_or_else(|| t.get("grant-until-ended"), warsaw),
        status: t.get(status_key(g.status)),
        current: g.status == GrantStatus::Current,
    }
}

pub(crate) fn status_key(status: GrantStatus) -> &'static str {
    match status {
        GrantStatus::Current => "grant-status-current",
        GrantStatus::Lapsed => "grant-status-lapsed",
        GrantStatus::Ended => "grant-status-ended",
    }
}

/// The section for the case page from the grants read with it: the team's staff only (`None` for anyone else, to
/// whom the page's read gives no grants).
pub(super) fn section(
    state: &AppState,
    user: &User,
    grants: Option<Vec<GrantView>>,
    form: FormState,
    group_candidates: &[GroupCandidate],
) -> Option<GrantsVm> {
    let grants = grants?;
    let t = user.ctx.t();
    let candidates = if user.principal.roles.permits(Permission::GrantCaseAccess) {
        Some(
            group_candidates
                .iter()
                .filter(|c| c.in_group_as.is_none())
                .map(|c| (c.account_id, c.login.clone()))
                .collect(),
        )
    } else {
        None
    };
    Some(GrantsVm {
        rows: grants.into_iter().map(|g| grant_row(&t, g)).collect(),
        candidates,
        form,
        today: state.store.today().to_string(),
    })
}

#[derive(Deserialize)]
pub struct GrantPosted {
    #[serde(default)]
    account: String,
    #[serde(default)]
    last_day: String,
}

/// `POST /procedures/{id}/grants`: the chair lets an account outside the group in, until a last day or until ended.
pub async fn grant(
    State(state): State<AppState>,
    user: User,
    Ids(id): Ids<Uuid>,
    CsrfForm(posted): CsrfForm<GrantPosted>,
) -> Result<Response, PageError> {
    user.require(Permission::GrantCaseAccess)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let t = user.ctx.t();
    let mut form = FormState::new().with("account", &posted.account).with("last_day", &posted.last_day);
    let account = Uuid::parse_str(posted.account.trim()).ok();
    if account.is_none() {
        form = form.error("account", t.get("err-grant-account-unknown"));
    }
    let last_day = match domain::parse::optional_date(&posted.last_day) {
        Ok(day) => day,
        Err(code) => {
            form = form.error("last_day", t.get(code));
            None
        }
    };
    let result = match account {
        Some(account) if !form.has_errors() => {
            state.store.grant_case_access(&handle, account, last_day).await.map(|_| ())
        }
        _ => Ok(()),
    };
    match result {
        Ok(()) if !form.has_errors() => Ok(crate::flash::saved(&format!("/procedures/{id}#grants-title"))),
        Ok(()) => refused_grant(&state, &user, id, form).await,
        Err(StoreError::Invalid(errors)) => refused_grant(&state, &user, id, form.with_errors(&errors, &t)).await,
        Err(e) => Err(e.into()),
    }
}

async fn refused_grant(state: &AppState, user: &User, id: Uuid, form: FormState) -> Result<Response, PageError> {
    let page = super::show::render_with_grants(state, user, id, form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Deserialize)]
pub struct EndPosted {}

/// `POST /procedures/{id}/grants/{grant}/end`: the chair ends a current grant now.
pub async fn end(
    State(state): State<AppState>,
    user: User,
    Ids((id, grant)): Ids<(Uuid, Uuid)>,
    CsrfForm(_posted): CsrfForm<EndPosted>,
) -> Result<Response, PageError> {
    user.require(Permission::GrantCaseAccess)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    state.store.end_case_grant(&handle, grant).await?;
    Ok(crate::flash::saved(&format!("/procedures/{id}#grants-title")))
}
