//! The "Dane zastrzeżone" section of the procedure page (issue 20): the seals in force on the case, who sees them,
//! and for the chair, deputy chair and the group's coordinator the forms to seal (with a reason) and to unseal. Who
//! sees a sealed value, and who may seal, is the store's decision (`store::procedure::seal`); this only shows it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::forms::seal::SealKind;
use domain::identity::Permission;
use store::StoreError;
use store::procedure::{CaseAccess, CaseHandle, CaseSeals, GroupMemberView, NewSeal};
use uuid::Uuid;

use super::show::{render, warsaw};
use crate::error::{ErrorPage, PageError};
use crate::extract::{CsrfForm, Ids};
use crate::i18n::Tr;
use crate::page::field;
use crate::session::User;
use crate::state::AppState;

pub struct SealRow {
    pub id: Uuid,
    pub person: String,
    pub kind: String,
    /// "sealed on … by …".
    pub sealed: String,
    /// Who sees the values, in words.
    pub seen_by: String,
    /// Whether the reader is among them.
    pub visible: bool,
}

pub struct SealsVm {
    pub seals: Vec<SealRow>,
    /// (token, name) of the persons who may be sealed.
    pub persons: Vec<(String, String)>,
    pub kinds: Vec<(&'static str, String)>,
    pub may_seal: bool,
    /// For the chair and deputy: the accounts to name instead of the defaults, (id, label).
    pub viewers: Vec<(Uuid, String)>,
    /// A refusal: the form (`seal` or a seal's id), the field and the message shown beside it.
    pub error: Option<(String, String, String)>,
    /// What the refused form posted, kept for the next try.
    pub typed: Vec<(String, String)>,
}

impl SealsVm {
    /// The message to show beside `name` of form `form`, if the refusal is that field's.
    pub fn error_of(&self, form: &str, name: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, n, _)| f == form && n == name).map(|(_, _, m)| m.as_str())
    }

    /// A refusal of form `form` about no field on it (shown on top of the form).
    pub fn form_error(&self, form: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, n, _)| f == form && !["person", "kind", "reason", "viewers"].contains(&n.as_str()))
            .map(|(_, _, m)| m.as_str())
    }

    /// What the refused form `form` posted in `name`.
    pub fn typed(&self, form: &str, name: &str) -> &str {
        if self.error.as_ref().is_none_or(|(f, _, _)| f != form) {
            return "";
        }
        self.typed.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    /// Whether `value` was chosen in `name` of the refused form `form`.
    pub fn picked(&self, form: &str, name: &str, value: impl std::fmt::Display) -> bool {
        let value = value.to_string();
        self.error.as_ref().is_some_and(|(f, _, _)| f == form)
            && self.typed.iter().any(|(n, v)| n == name && *v == value)
    }
}

fn kind_label(t: &Tr, kind: SealKind) -> String {
    t.get(&format!("seal-kind-{}", kind.as_str().replace('_', "-")))
}

/// The section for the team and the group, from the seals the page read with the case (`Store::procedure_page_of`)
/// and the case's group; `None` for an initiator.
pub(super) fn section(
    t: &Tr,
    handle: &CaseHandle,
    case: Option<CaseSeals>,
    members: &[GroupMemberView],
) -> Option<SealsVm> {
    if handle.access == CaseAccess::Initiator {
        return None;
    }
    let case = case?;
    let seals = case
        .seals
        .iter()
        .map(|s| SealRow {
            id: s.id,
            person: s.person_name.clone(),
            kind: kind_label(t, s.kind),
            sealed: t.arg2(
                "seal-sealed-on",
                "date",
                &warsaw(s.sealed_at),
                "login",
                s.sealed_by.as_deref().unwrap_or_default(),
            ),
            seen_by: if s.named.is_empty() { t.get("seal-seen-by-default") } else { s.named.join(", ") },
            visible: s.visible_to_reader,
        })
        .collect();
    let viewers = if case.may_name_viewers {
        let mut out: Vec<(Uuid, String)> = members
            .iter()
            .filter(|m| m.left_at.is_none())
            .map(|m| (m.account_id, format!("{} ({})", m.login, t.get(&format!("member-kind-{}", m.kind)))))
            .collect();
        out.push((handle.principal().account_id, format!("{} ({})", handle.principal().login, t.get("seal-me"))));
        out
    } else {
        Vec::new()
    };
    Some(SealsVm {
        seals,
        persons: case.persons.into_iter().map(|p| (p.token, p.name)).collect(),
        kinds: SealKind::ALL.into_iter().map(|k| (k.as_str(), kind_label(t, k))).collect(),
        may_seal: case.may_seal,
        viewers,
        error: None,
        typed: Vec::new(),
    })
}

/// The case of a seal change, after the permission check (the CSRF token was checked by `CsrfForm`).
async fn read(state: &AppState, user: &User, id: &str, _body: &[(String, String)]) -> Result<CaseHandle, PageError> {
    user.require(Permission::ViewProcedures)?;
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    Ok(state.store.case_access(&user.caller(), id).await?)
}

/// After a change: back to the page (303). A refusal: the page with the reason beside its field (422), the typed
/// data kept.
async fn outcome(
    state: &AppState,
    user: &User,
    id: Uuid,
    form: String,
    body: &[(String, String)],
    result: Result<(), StoreError>,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    let (name, message) = match result {
        Ok(()) => return Ok(crate::flash::saved(&format!("/procedures/{id}#seals-title"))),
        Err(StoreError::Invalid(errors)) => match errors.iter().next() {
            Some(e) => (e.field.to_string(), t.get(e.code)),
            None => (String::new(), t.get("form-has-errors")),
        },
        Err(e) => return Err(e.into()),
    };
    let typed: Vec<(String, String)> = body.iter().filter(|(n, _)| n != "csrf").cloned().collect();
    let page = render(state, user, id, None).await?.with_seal_error(form, name, message, typed);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn seal(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let handle = read(&state, &user, &id, &body).await?;
    let result = async {
        let kind = SealKind::parse(field(&body, "kind")).map_err(|code| StoreError::invalid("kind", code))?;
        let mut viewers = Vec::new();
        for (_, raw) in body.iter().filter(|(n, _)| n == "viewers") {
            viewers
                .push(Uuid::parse_str(raw).map_err(|_| StoreError::invalid("viewers", "err-seal-viewer-not-allowed"))?);
        }
        let seal = NewSeal {
            person: field(&body, "person").to_owned(),
            kind,
            reason: field(&body, "reason").to_owned(),
            viewers,
        };
        state.store.seal_field(&handle, &seal).await.map(|_| ())
    }
    .await;
    outcome(&state, &user, handle.procedure_id, "seal".to_owned(), &body, result).await
}

pub async fn unseal(
    State(state): State<AppState>,
    user: User,
    Ids((id, seal)): Ids<(String, Uuid)>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let handle = read(&state, &user, &id, &body).await?;
    let result = state.store.unseal_field(&handle, seal, field(&body, "reason")).await;
    outcome(&state, &user, handle.procedure_id, seal.to_string(), &body, result).await
}
