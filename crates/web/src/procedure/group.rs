//! The support group's section of the procedure page: its members present and past, and the team's changes after
//! the appointment (art. 9a ust. 12b–12c): extend, replace a member who left, name the coordinator. Each is a plain
//! form post with the version it was read at; a refusal comes back on the page with its Polish reason.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::procedure::lifecycle::GroupMemberKind;
use store::StoreError;
use store::procedure::{CaseAccess, CaseHandle, GroupCandidate, GroupMemberView};
use uuid::Uuid;

use super::show::{render, warsaw};
use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::i18n::Tr;
use crate::page::field;
use crate::session::User;
use crate::state::AppState;

pub struct MemberRow {
    pub login: String,
    pub kind: String,
    /// "in the group since", "joined by extension", "coordinator", "left ...": in words.
    pub notes: Vec<String>,
    pub left: bool,
}

/// What the group section shows: the members, and for the team the forms that change the group.
pub struct GroupVm {
    pub members: Vec<MemberRow>,
    /// The team may change the group now.
    pub editable: bool,
    /// Accounts not in the group now: (id, login with institution).
    pub others: Vec<(Uuid, String)>,
    /// Members in the group now: (id, login with capacity).
    pub current: Vec<(Uuid, String)>,
    pub kinds: Vec<(&'static str, String)>,
    /// A refused change: which form (`extend`, `replace`, `coordinator`) and why, shown beside it.
    pub error: Option<(&'static str, String)>,
    /// What the refused form posted, so its choices come back selected.
    pub typed: Vec<(String, String)>,
}

impl GroupVm {
    /// The refusal to show in `form`, if it is that form's.
    pub fn error_of(&self, form: &str) -> Option<&str> {
        self.error.as_ref().filter(|(f, _)| *f == form).map(|(_, m)| m.as_str())
    }

    /// Whether `value` was chosen in `name` of the refused form `form`: the choice is kept for the next try.
    pub fn picked(&self, form: &str, name: &str, value: impl std::fmt::Display) -> bool {
        let value = value.to_string();
        self.error_of(form).is_some() && self.typed.iter().any(|(n, v)| n == name && *v == value)
    }
}

/// The section for a case with a group; `None` before the appointment or for an initiator.
/// `candidates`: the accounts the team may add (read by the page when the group may be changed).
pub(super) fn section(
    t: &Tr,
    handle: &CaseHandle,
    offers: &domain::procedure::offers::Offers,
    list: &[GroupMemberView],
    candidates: &[GroupCandidate],
) -> Option<GroupVm> {
    if handle.access == CaseAccess::Initiator {
        return None;
    }
    if list.is_empty() {
        return None;
    }
    let kind_label = |k: &str| t.get(&format!("member-kind-{k}"));
    let members = list
        .iter()
        .map(|m| {
            let mut notes = Vec::new();
            if m.coordinator {
                notes.push(t.get("group-member-coordinator"));
            }
            if m.by_extension {
                notes.push(t.get("group-member-extension"));
            }
            if let Some(at) = m.joined_at {
                notes.push(t.arg("group-member-joined", "at", &warsaw(at)));
            }
            if let Some(at) = m.left_at {
                notes.push(t.arg("group-member-left", "at", &warsaw(at)));
            }
            MemberRow { login: m.login.clone(), kind: kind_label(&m.kind), notes, left: m.left_at.is_some() }
        })
        .collect();
    let editable = offers.change_group;
    let (others, current) = if editable {
        let others = candidates
            .iter()
            .filter(|c| c.in_group_as.is_none())
            .map(|c| {
                let label = match &c.institution {
                    Some(i) => format!("{} ({i})", c.login),
                    None => c.login.clone(),
                };
                (c.account_id, label)
            })
            .collect();
        let current = list
            .iter()
            .filter(|m| m.left_at.is_none())
            .map(|m| (m.account_id, format!("{} ({})", m.login, kind_label(&m.kind))))
            .collect();
        (others, current)
    } else {
        (vec![], vec![])
    };
    let kinds = GroupMemberKind::ALL.iter().map(|k| (k.as_str(), kind_label(k.as_str()))).collect();
    Some(GroupVm { members, editable, others, current, kinds, error: None, typed: Vec::new() })
}

/// The case, the version and the body of a group change, after the permission check (the CSRF token was checked by `CsrfForm`).
async fn read(
    state: &AppState,
    user: &User,
    id: &str,
    body: &[(String, String)],
) -> Result<(Uuid, CaseHandle, i64), PageError> {
    user.require(Permission::ManageProcedures)?;
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    let version = field(body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    Ok((id, handle, version))
}

/// After a change: back to the page (303). A refusal: the page with the reason beside the form (422); someone
/// else's change first: the page with the conflict explained beside it (409).
async fn outcome(
    state: &AppState,
    user: &User,
    id: Uuid,
    form: &'static str,
    body: &[(String, String)],
    result: Result<(), StoreError>,
) -> Result<Response, PageError> {
    let t = user.ctx.t();
    let (status, message) = match result {
        Ok(()) => return Ok(crate::flash::saved(&format!("/procedures/{id}"))),
        Err(StoreError::Invalid(errors)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors.iter().next().map_or_else(|| t.get("form-has-errors"), |e| t.get(e.code)),
        ),
        Err(StoreError::Conflict(_)) => (StatusCode::CONFLICT, t.get("procedure-conflict")),
        Err(e) => return Err(e.into()),
    };
    let page = render(state, user, id, None).await?.with_group_error(form, message, body);
    Ok((status, page).into_response())
}

fn account(body: &[(String, String)], name: &'static str, code: &'static str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(field(body, name)).map_err(|_| StoreError::invalid(name, code))
}

pub async fn extend(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, handle, version) = read(&state, &user, &id, &body).await?;
    let result = async {
        let account = account(&body, "account", "err-group-extension-empty")?;
        let kind = GroupMemberKind::parse(field(&body, "kind")).map_err(|code| StoreError::invalid("kind", code))?;
        state.store.extend_group(&handle, &[(account, kind)], version).await.map(|_| ())
    }
    .await;
    outcome(&state, &user, id, "extend", &body, result).await
}

pub async fn replace(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, handle, version) = read(&state, &user, &id, &body).await?;
    let result = async {
        let left = account(&body, "left", "err-group-member-not-in-group")?;
        let joined = account(&body, "joined", "err-group-member-unknown")?;
        let kind = match field(&body, "kind") {
            "" => None,
            raw => Some(GroupMemberKind::parse(raw).map_err(|code| StoreError::invalid("kind", code))?),
        };
        state.store.replace_group_member(&handle, left, joined, kind, version).await.map(|_| ())
    }
    .await;
    outcome(&state, &user, id, "replace", &body, result).await
}

pub async fn coordinator(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, handle, version) = read(&state, &user, &id, &body).await?;
    let result = async {
        let account = account(&body, "account", "err-group-member-not-in-group")?;
        state.store.name_group_coordinator(&handle, account, version).await.map(|_| ())
    }
    .await;
    outcome(&state, &user, id, "coordinator", &body, result).await
}
