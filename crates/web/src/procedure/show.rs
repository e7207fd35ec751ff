//! The procedure page: its deadlines with their legal basis, its timeline, who can see it, and its forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::forms::{FieldType, FormKind, FormVersion, Repeat, definition};
use domain::identity::Permission;
use domain::procedure::deadlines::{DeadlineState, Due};
use domain::procedure::lifecycle::{ClosingReason, GroupMemberKind};
use store::procedure::{CaseAccess, ProcedureView};
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::i18n::Tr;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

pub struct DeadlineRow {
    pub name: &'static str,
    pub due: String,
    pub state: String,
    /// ok, soon, overdue: for the visual mark (the text says it too).
    pub class: &'static str,
    pub basis: &'static str,
    pub confidence: &'static str,
}

pub struct AnswerRow {
    pub label: String,
    pub value: String,
}

pub struct FormBlock {
    pub title: String,
    pub answers: Vec<AnswerRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/show.html")]
pub struct ProcedurePage {
    chrome: Chrome,
    id: Uuid,
    version: i64,
    /// The team may appoint the group (while none is appointed): the candidates by login.
    candidates: Vec<(Uuid, String)>,
    member_kinds: Vec<&'static str>,
    /// The group's steps open now (command names), for the team and the group.
    steps: Vec<&'static str>,
    /// Forms that can be filled now (letters: a for a further incident, c, d).
    fillable: Vec<&'static str>,
    closing_reasons: Vec<&'static str>,
    phase: String,
    opened: String,
    deadlines: Vec<DeadlineRow>,
    timeline: Vec<(String, String)>,
    who_can_see: Vec<String>,
    forms: Vec<FormBlock>,
}

fn warsaw(t: jiff::Timestamp) -> String {
    let zone = domain::calendar::poland_zone();
    t.to_zoned(zone).strftime("%Y-%m-%d %H:%M").to_string()
}

pub(crate) fn deadline_row(t: &Tr, d: &store::procedure::DeadlineView) -> DeadlineRow {
    let (due, key, class, n) = match &d.state {
        DeadlineState::Pending { due, days_left } => (due, "deadline-pending", "ok", *days_left),
        DeadlineState::DueSoon { due, days_left } => (due, "deadline-due-soon", "soon", *days_left),
        DeadlineState::Overdue { due, by_days } => (due, "deadline-overdue", "overdue", *by_days),
        DeadlineState::MetOnTime { due } => (due, "deadline-met", "ok", 0),
        DeadlineState::MetLate { due, by_days } => (due, "deadline-met-late", "overdue", *by_days),
    };
    let due = match due {
        Due::EndOfDay(date) => date.to_string(),
        Due::At(at) => warsaw(*at),
    };
    DeadlineRow {
        name: d.name_pl,
        due,
        state: t.arg(key, "days", &n.to_string()),
        class,
        basis: d.legal_basis,
        confidence: d.confidence,
    }
}

/// The stored answers in the order of the form's definition, labelled, with choices shown by their label.
fn form_block(t: &Tr, f: &store::procedure::FormView) -> FormBlock {
    let kind = [FormKind::A, FormKind::B, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == f.kind);
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == f.version);
    let Some(def) = kind.zip(version).and_then(|(k, v)| definition(k, v)) else {
        // A form of a version this build does not know: shown raw rather than hidden.
        let answers = f.answers.iter().map(|(p, v)| AnswerRow { label: p.to_owned(), value: v.to_owned() }).collect();
        return FormBlock { title: f.kind.clone(), answers };
    };
    let mut answers = Vec::new();
    for section in def.sections {
        let items: Vec<(String, String)> = match section.repeat {
            Repeat::Once => vec![(section.id.to_owned(), section.title_pl.to_owned())],
            Repeat::Many { max } => (0..usize::from(max))
                .map(|i| (format!("{}[{i}]", section.id), format!("{} {}", section.title_pl, i + 1)))
                .collect(),
        };
        for (prefix, heading) in items {
            for field in section.fields {
                let Some(raw) = f.answers.get(&format!("{prefix}.{}", field.id)) else { continue };
                answers.push(AnswerRow {
                    label: format!("{heading}: {}", field.label_pl),
                    value: shown(t, &field.field_type, raw),
                });
            }
        }
    }
    FormBlock { title: format!("{} ({})", def.title_pl, f.version), answers }
}

fn shown(t: &Tr, field_type: &FieldType, raw: &str) -> String {
    let label = |opts: &[domain::forms::Opt], v: &str| {
        opts.iter().find(|o| o.value == v).map_or(v.to_owned(), |o| o.label_pl.to_owned())
    };
    match field_type {
        FieldType::Choice(opts) => label(opts, raw),
        FieldType::MultiChoice(opts) => raw.split(',').map(|v| label(opts, v.trim())).collect::<Vec<_>>().join(", "),
        FieldType::Bool => t.get(if raw == "true" { "yes" } else { "no" }),
        FieldType::DateTime => {
            let spaced = raw.replace('T', " ");
            spaced.strip_suffix(":00").filter(|s| s.len() == 16).map_or(spaced.clone(), str::to_owned)
        }
        _ => raw.to_owned(),
    }
}

pub async fn show(State(state): State<AppState>, user: User, Path(id): Path<String>) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let id = Uuid::parse_str(&id).map_err(|_| ErrorPage::NotFound)?;
    Ok(render(&state, &user, id, None).await?.into_response())
}

/// The page, with an optional message on top (a refused step, a conflict).
pub async fn render(
    state: &AppState,
    user: &User,
    id: Uuid,
    message: Option<String>,
) -> Result<ProcedurePage, PageError> {
    let handle = state.store.case_access(&user.principal, id).await?;
    let view: ProcedureView = state.store.procedure_view(&handle, Some(user.ctx.address.clone())).await?;
    let t = user.ctx.t();
    let mut chrome = Chrome::for_user(user, "procedure-title").with_notice(message);
    chrome.title = t.arg("procedure-heading", "number", &view.number);
    let team = handle.access == CaseAccess::Team;
    let works_on_case = team || handle.access == CaseAccess::Group;
    let candidates =
        if team && view.phase == "opened" { state.store.group_member_candidates(&handle).await? } else { vec![] };
    let steps: Vec<&'static str> = if !works_on_case {
        vec![]
    } else {
        match view.phase.as_str() {
            "group_appointed" => vec!["record_group_meeting", "record_firearm"],
            "in_progress" => vec!["record_group_meeting", "record_firearm", "close"],
            "closed" => vec!["record_group_meeting", "end_monitoring"],
            _ => vec![],
        }
    };
    let fillable: Vec<&'static str> = match (works_on_case, view.phase.as_str()) {
        (true, "in_progress") => vec!["c", "d", "a"],
        (true, "opened" | "group_appointed") => vec!["a"],
        _ => vec![],
    };
    Ok(ProcedurePage {
        fillable,
        id,
        version: view.version,
        candidates,
        member_kinds: GroupMemberKind::ALL.iter().map(|k| k.as_str()).collect(),
        steps,
        closing_reasons: ClosingReason::ALL.iter().map(|r| r.as_str()).collect(),
        phase: super::phase_label(&t, &view.phase),
        opened: warsaw(view.opened_at),
        deadlines: view.deadlines.iter().map(|d| deadline_row(&t, d)).collect(),
        timeline: view.timeline.iter().map(|e| (warsaw(e.at), t.get(&format!("event-{}", e.kind.as_str())))).collect(),
        who_can_see: view.who_can_see.clone(),
        forms: view.forms.iter().map(|f| form_block(&t, f)).collect(),
        chrome,
    })
}
