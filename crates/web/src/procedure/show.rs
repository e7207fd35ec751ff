//! The procedure page: its deadlines with their legal basis, its timeline, who can see it, and its forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::forms::records::{RecordKind, record_definition};
use domain::forms::{FieldType, FormKind, FormVersion, Repeat, definition};
use domain::identity::Permission;
use domain::person::PersonRole;
use domain::procedure::deadlines::{DeadlineState, Due};
use domain::procedure::lifecycle::GroupMemberKind;
use domain::procedure::offers::Step;
use store::procedure::{AppointmentBasis, CaseAccess, ProcedureView};
use uuid::Uuid;

use super::owner::OwnerNames;
use crate::error::PageError;
use crate::extract::Ids;
use crate::i18n::Tr;
use crate::page::{Chrome, FormState};
use crate::session::User;
use crate::state::AppState;

pub struct DeadlineRow {
    pub rule_id: &'static str,
    pub name: &'static str,
    /// Whose turn it is, in words.
    pub responsible: String,
    /// Missed, and no reason recorded yet: the page offers to record one.
    pub unexplained_breach: bool,
    pub due: String,
    pub state: String,
    /// ok, soon, overdue: for the visual mark (the text says it too).
    pub class: &'static str,
    pub basis: &'static str,
    pub confidence: &'static str,
    /// "Unconfirmed reading" with its explanation, for a \[U\] rule the municipality does not treat as binding.
    pub unconfirmed: Option<String>,
}

pub struct AnswerRow {
    pub label: String,
    pub value: String,
}

pub struct FormBlock {
    pub title: String,
    pub answers: Vec<AnswerRow>,
    /// "Entered from a paper form by …", for a form A the team typed in.
    pub from_paper: Option<String>,
}

/// One record of the group on the page.
pub struct RecordRow {
    pub id: Uuid,
    pub title: String,
    pub when: String,
    pub status: String,
    pub answers: Vec<AnswerRow>,
    pub minutes: Vec<AnswerRow>,
    /// Earlier versions (a plan item's reviews), oldest first.
    pub history: Vec<(String, Vec<AnswerRow>)>,
    pub version: i64,
    /// A plan item or a planned meeting can be changed.
    pub editable: bool,
    /// A planned meeting can get its minutes, or be cancelled.
    pub planned_meeting: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/show.html")]
pub struct ProcedurePage {
    chrome: Chrome,
    id: Uuid,
    version: i64,
    /// The team may appoint the group (while none is appointed): the candidates by login.
    candidates: Vec<(Uuid, String)>,
    /// The group is due but no account can be appointed to it (no active group-member account exists yet): the page
    /// says why and, to whoever may add accounts, where (issue 16 item 11).
    appoint_blocked: bool,
    may_add_accounts: bool,
    member_kinds: Vec<&'static str>,
    /// The group's steps open now (command names), for the team and the group.
    steps: Vec<&'static str>,
    /// Forms that can be filled now (letters: a for a further incident, c, d).
    fillable: Vec<&'static str>,
    basis_options: Vec<&'static str>,
    group_basis: Option<String>,
    /// The records that can be added now: (kind, link text).
    addable: Vec<(&'static str, String)>,
    records: Vec<RecordRow>,
    phase: String,
    opened: String,
    deadlines: Vec<DeadlineRow>,
    timeline: Vec<(String, String)>,
    who_can_see: Vec<String>,
    forms: Vec<FormBlock>,
    /// The team may export the case for another municipality; `hand_over` when it is still running here.
    transfer: Option<TransferVm>,
    /// The documentation the case was received with from another municipality.
    received: Option<ReceivedVm>,
    /// The case's documents to print (PDF): (address, label).
    documents: Vec<(String, String)>,
    /// The support group's members and the team's changes to it (`procedure::group`).
    group: Option<super::group::GroupVm>,
    /// A step refused for its date: which step, the message beside its date field, the date as typed.
    step_error: Option<StepError>,
    /// Now in Polish time, as a date-time field's `max`.
    now_local: String,
    /// The procedure can be closed now (the closing page).
    can_close: bool,
    /// The closings recorded, with their records (none for an initiator).
    closings: Vec<ClosingVm>,
    /// The chair may undo a closing (within one working day).
    is_chair: bool,
    /// "Break-glass access until …" (or a chair's grant): on every page of a case read through a grant.
    grant_banner: Option<String>,
    /// Access outside the group: the grants and the chair's form (the team's staff).
    grants: Option<super::grants::GrantsVm>,
    /// The sealed fields ("Dane zastrzeżone"), for the team and the group.
    seals: Option<super::seal::SealsVm>,
    /// The case at a glance, above its sections (issue 16 item 3).
    summary: Summary,
}

/// The case at a glance: the people by role with their age, the next deadline and whose turn it is, the group and
/// its coordinator, the last and next meeting, the open plan items.
pub struct Summary {
    pub persons: Vec<PersonRow>,
    pub next_deadline: Option<DeadlineRow>,
    /// The coordinator's name, and how many members the group has now; `None` before the appointment (or for an
    /// initiator, who sees no group).
    pub group: Option<(Option<String>, usize)>,
    pub last_meeting: Option<String>,
    pub next_meeting: Option<String>,
    /// Plan items neither done nor given up; `None` for a reader who sees no records.
    pub open_plan_items: Option<usize>,
}

/// A person of the case's forms A.
pub struct PersonRow {
    pub role: String,
    pub name: String,
    /// "34 lata", "małoletnia", or empty when nothing about the age is known.
    pub age: String,
}

impl ProcedurePage {
    /// A refused change of the group: its reason beside the form it concerns (`extend`, `replace`, `coordinator`).
    pub(super) fn with_group_error(mut self, form: &'static str, message: String, typed: &[(String, String)]) -> Self {
        if let Some(group) = self.group.as_mut() {
            group.error = Some((form, message));
            group.typed = typed.iter().filter(|(name, _)| name != "csrf").cloned().collect();
        }
        self
    }

    /// A refused export for another municipality: the messages beside their fields, the typed input kept.
    pub(super) fn with_transfer_error(
        mut self,
        errors: Vec<(&'static str, String)>,
        typed: &[(String, String)],
    ) -> Self {
        if let Some(transfer) = self.transfer.as_mut() {
            transfer.errors = errors;
            transfer.typed = typed.iter().filter(|(name, _)| name != "csrf").cloned().collect();
        }
        self
    }

    /// A refused seal or unseal: the message beside its field in `form` (`seal` or the seal's id), the typed data kept.
    pub(super) fn with_seal_error(
        mut self,
        form: String,
        name: String,
        message: String,
        typed: Vec<(String, String)>,
    ) -> Self {
        if let Some(seals) = self.seals.as_mut() {
            seals.error = Some((form, name, message));
            seals.typed = typed;
        }
        self
    }

    /// The refusal to show beside this step's date field.
    fn failed(&self, step: &str) -> Option<&StepError> {
        self.step_error.as_ref().filter(|e| e.step == step)
    }
}

/// A step refused beside its date field, the typed date kept.
pub struct StepError {
    pub step: String,
    pub message: String,
    pub typed: String,
}

/// A closing record on the case page.
pub struct ClosingVm {
    pub reason: String,
    pub justification: Option<String>,
    pub decided: String,
    pub meeting: Option<String>,
    pub recorded: String,
    pub warnings: Vec<String>,
    pub undone: Option<String>,
    pub undoable: bool,
}

pub struct TransferVm {
    pub hand_over: bool,
    /// A refused export: what was typed, and the message beside each field (`to`, `occurred_at`).
    pub typed: Vec<(String, String)>,
    pub errors: Vec<(&'static str, String)>,
    /// The chair or deputy may include the case's sealed values (issue 20), ticked explicitly.
    pub may_include_sealed: bool,
}

impl TransferVm {
    pub fn v(&self, name: &str) -> &str {
        self.typed.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn e(&self, name: &str) -> Option<&str> {
        self.errors.iter().find(|(n, _)| *n == name).map(|(_, m)| m.as_str())
    }
}

pub struct ReceivedVm {
    pub from: String,
    pub number: String,
    pub timeline: Vec<(String, String)>,
    pub forms: Vec<FormBlock>,
    /// (title, when, answers)
    pub records: Vec<(String, String, Vec<AnswerRow>)>,
}

fn received_vm(t: &Tr, p: &store::procedure::transfer::TransferPackage) -> ReceivedVm {
    let forms = p
        .forms
        .iter()
        .map(|f| {
            let view = store::procedure::FormView {
                id: Uuid::nil(),
                kind: f.kind.clone(),
                version: f.version.clone(),
                filled_at: f.filled_at,
                answers: f.answers.clone(),
                entered_from_paper_by: None,
                withheld: f.withheld.iter().cloned().collect(),
            };
            form_block(t, &view)
        })
        .collect();
    let records = p
        .records
        .iter()
        .filter_map(|r| {
            let kind = RecordKind::parse(&r.kind)?;
            let def = record_definition(kind);
            // The sending team's group members are not ours: their names are not known here.
            let none = OwnerNames::default();
            let mut answers = labelled(t, def, &r.answers, &none);
            if let Some(minutes) = &r.minutes {
                answers.extend(labelled(t, record_definition(RecordKind::MeetingMinutes), minutes, &none));
            }
            Some((t.form_title(def).to_owned(), warsaw(r.occurs_at), answers))
        })
        .collect();
    ReceivedVm {
        from: format!("{} ({})", p.from_name, p.from_teryt),
        number: p.number.clone(),
        timeline: p.timeline.iter().map(|(at, kind)| (warsaw(*at), t.get(&format!("event-{kind}")))).collect(),
        forms,
        records,
    }
}

/// An instant as a `datetime-local` field's value, in Polish time.
pub(crate) fn local_input(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

pub(crate) fn warsaw(t: jiff::Timestamp) -> String {
    let zone = domain::calendar::poland_zone();
    t.to_zoned(zone).strftime("%Y-%m-%d %H:%M").to_string()
}

pub(crate) fn deadline_row(t: &Tr, d: &store::procedure::DeadlineView) -> DeadlineRow {
    let lapse = domain::procedure::deadlines::DeadlineRule::by_id(d.rule_id).is_some_and(|r| r.is_lapse());
    let (due, key, class, n) = match &d.state {
        DeadlineState::Pending { due, days_left } if lapse => (due, "deadline-lapse-running", "ok", *days_left),
        DeadlineState::DueSoon { due, days_left } if lapse => (due, "deadline-lapse-soon", "soon", *days_left),
        DeadlineState::MetOnTime { due } if lapse => (due, "deadline-lapsed", "ok", 0),
        // An unconfirmed reading past its date is shown as what it is, never painted as a breach.
        DeadlineState::Overdue { due, by_days } if d.unconfirmed => {
            (due, "deadline-unconfirmed-overdue", "unconfirmed", *by_days)
        }
        DeadlineState::MetLate { due, by_days } if d.unconfirmed => {
            (due, "deadline-unconfirmed-late", "unconfirmed", *by_days)
        }
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
        rule_id: d.rule_id,
        name: t.rule_name(d.rule_id, d.name_pl),
        responsible: t.get(&format!("responsible-{}", d.responsible)),
        unexplained_breach: d.is_breach() && !d.explained,
        due,
        state: t.arg(key, "days", &n.to_string()),
        class,
        basis: d.legal_basis,
        confidence: d.confidence,
        unconfirmed: d.unconfirmed.then(|| t.get("deadline-unconfirmed-reading")),
    }
}

/// The stored answers in the order of the form's definition, labelled, with choices shown by their label.
fn form_block(t: &Tr, f: &store::procedure::FormView) -> FormBlock {
    let kind = [FormKind::A, FormKind::B, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == f.kind);
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == f.version);
    let Some(def) = kind.zip(version).and_then(|(k, v)| definition(k, v)) else {
        // A form of a version this build does not know: shown raw rather than hidden.
        let answers = f.answers.iter().map(|(p, v)| AnswerRow { label: p.to_owned(), value: v.to_owned() }).collect();
        return FormBlock { title: f.kind.clone(), answers, from_paper: None };
    };
    FormBlock {
        title: format!("{} ({})", t.form_title(def), f.version),
        answers: labelled_with(t, def, &f.answers, &f.withheld, &OwnerNames::default()),
        from_paper: f.entered_from_paper_by.as_deref().map(|login| t.arg("form-paper-entered", "login", login)),
    }
}

/// Answers in the order of their definition, each with its label; choices by their label.
pub(crate) fn labelled(
    t: &Tr,
    def: &domain::forms::FormDefinition,
    given: &domain::forms::Answers,
    owners: &OwnerNames,
) -> Vec<AnswerRow> {
    labelled_with(t, def, given, &std::collections::BTreeSet::new(), owners)
}

/// [`labelled`], with the values sealed from the reader (`withheld` paths) shown as „zastrzeżone” in their place.
pub(crate) fn labelled_with(
    t: &Tr,
    def: &domain::forms::FormDefinition,
    given: &domain::forms::Answers,
    withheld: &std::collections::BTreeSet<String>,
    owners: &OwnerNames,
) -> Vec<AnswerRow> {
    let sealed = t.get("seal-value");
    let mut answers = Vec::new();
    // Reused for every field's path: a heavy case page labels thousands of them.
    let mut path = String::new();
    let mut item = |prefix: &str, heading: &str, section: &domain::forms::Section| {
        for field in section.fields {
            path.clear();
            path.push_str(prefix);
            path.push('.');
            path.push_str(field.id);
            let value = match given.get(&path) {
                Some(raw) => shown(t, def, section.id, field, raw, owners),
                None if withheld.contains(path.as_str()) => sealed.clone(),
                None => continue,
            };
            // A heading that only repeats the field ("Działanie: Działanie"), or the one part of a record, is left out.
            let field_label = t.field_label(def, section.id, field);
            let label = if heading.is_empty() || redundant(heading, field_label) {
                field_label.to_owned()
            } else {
                format!("{heading}: {field_label}")
            };
            answers.push(AnswerRow { label, value });
        }
    };
    let single = def.sections.len() == 1;
    for section in def.sections {
        match section.repeat {
            Repeat::Once if single => item(section.id, "", section),
            Repeat::Once => item(section.id, t.section_title(def, section), section),
            Repeat::Many { max } => {
                for i in 0..usize::from(max) {
                    let prefix = format!("{}[{i}]", section.id);
                    // Most repeatable sections hold one or two of their `max` items.
                    if given.has_under(&format!("{prefix}.")) {
                        item(&prefix, &format!("{} {}", t.section_title(def, section), i + 1), section);
                    }
                }
            }
        }
    }
    answers
}

/// Whether a field's label already says what its part's heading says.
fn redundant(heading: &str, label: &str) -> bool {
    label.to_lowercase().starts_with(&heading.to_lowercase())
}

fn record_row(t: &Tr, r: &store::procedure::CaseRecord, owners: &OwnerNames) -> RecordRow {
    let def = record_definition(r.kind);
    let minutes = r.minutes.as_ref().map(|m| labelled(t, record_definition(RecordKind::MeetingMinutes), m, owners));
    RecordRow {
        id: r.id,
        title: t.form_title(def).to_owned(),
        when: warsaw(r.occurs_at),
        status: t.get(&format!("record-status-{}", r.status)),
        answers: labelled(t, def, &r.answers, owners),
        minutes: minutes.unwrap_or_default(),
        history: r.history.iter().map(|h| (warsaw(h.replaced_at), labelled(t, def, &h.answers, owners))).collect(),
        version: r.version,
        editable: r.is_editable(),
        planned_meeting: r.kind == RecordKind::Meeting && r.status == "planned",
    }
}

fn closing_vm(t: &Tr, c: store::procedure::ClosingRecord) -> ClosingVm {
    ClosingVm {
        reason: t.get(&format!("closing-{}", c.reason.as_str())),
        justification: c.justification,
        decided: warsaw(c.decided_at),
        meeting: c.meeting_at.map(warsaw),
        recorded: warsaw(c.recorded_at),
        warnings: c.warnings.iter().map(|w| t.get(&format!("closing-warning-{w}"))).collect(),
        undone: c.undone_at.map(|at| {
            t.arg2("closing-undone", "date", &warsaw(at), "reason", c.undo_reason.as_deref().unwrap_or_default())
        }),
        undoable: c.undoable,
    }
}

/// A stored answer as a person reads it, in the page's language: an option by its label, yes or no in words.
fn shown(
    t: &Tr,
    def: &domain::forms::FormDefinition,
    section: &str,
    field: &domain::forms::Field,
    raw: &str,
    owners: &OwnerNames,
) -> String {
    match field.field_type {
        FieldType::Choice(_) => t.option_value(def, section, field, raw),
        FieldType::MultiChoice(_) => {
            raw.split(',').map(|v| t.option_value(def, section, field, v.trim())).collect::<Vec<_>>().join(", ")
        }
        FieldType::Bool => t.get(if raw == "true" { "yes" } else { "no" }),
        FieldType::Owner => owners.shown_raw(t, raw),
        FieldType::DateTime => {
            let spaced = raw.replace('T', " ");
            spaced.strip_suffix(":00").filter(|s| s.len() == 16).map_or(spaced.clone(), str::to_owned)
        }
        _ => raw.to_owned(),
    }
}

/// The procedure's events and the group's records, in time order; a step typed in more than one working day after it
/// happened says so, with the day of entry.
pub(crate) fn timeline(t: &Tr, view: &ProcedureView) -> Vec<(String, String)> {
    let mut entries: Vec<(jiff::Timestamp, String)> = view
        .timeline
        .iter()
        .map(|e| {
            let what = t.get(&format!("event-{}", e.kind.as_str()));
            match e.recorded_at.filter(|_| e.entered_late) {
                Some(recorded) => {
                    (e.at, format!("{what} ({})", t.arg("timeline-entered-later", "date", &warsaw(recorded))))
                }
                None => (e.at, what),
            }
        })
        .collect();
    for r in &view.records {
        let what =
            format!("{} ({})", t.form_title(record_definition(r.kind)), t.get(&format!("record-status-{}", r.status)));
        entries.push((r.occurs_at, what));
    }
    entries.sort_by_key(|(at, _)| *at);
    entries.into_iter().map(|(at, what)| (warsaw(at), what)).collect()
}

pub async fn show(State(state): State<AppState>, user: User, Ids(id): Ids<Uuid>) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    match render(&state, &user, id, None).await {
        Ok(page) => Ok(page.into_response()),
        // Not theirs to see (or not there: the same answer): maybe an emergency opening (`procedure::grants`).
        Err(e) => super::grants::refused(&user, id, e),
    }
}

/// The page, with an optional message on top (a refused step, a conflict).
pub async fn render(
    state: &AppState,
    user: &User,
    id: Uuid,
    message: Option<String>,
) -> Result<ProcedurePage, PageError> {
    render_with(state, user, id, message, None).await
}

/// The page with a step refused beside its date field (the typed date kept).
pub async fn render_with(
    state: &AppState,
    user: &User,
    id: Uuid,
    message: Option<String>,
    step_error: Option<StepError>,
) -> Result<ProcedurePage, PageError> {
    render_full(state, user, id, message, step_error, FormState::new()).await
}

/// The page with the chair's grant refused beside its fields (the typed values kept).
pub async fn render_with_grants(
    state: &AppState,
    user: &User,
    id: Uuid,
    grant_form: FormState,
) -> Result<ProcedurePage, PageError> {
    render_full(state, user, id, None, None, grant_form).await
}

async fn render_full(
    state: &AppState,
    user: &User,
    id: Uuid,
    message: Option<String>,
    step_error: Option<StepError>,
    grant_form: FormState,
) -> Result<ProcedurePage, PageError> {
    // The access, the case, its closings and its seals in one transaction (`Store::procedure_page_of`).
    let (handle, store::procedure::ProcedurePage { view, closings, seals, grant_banner, grants, group_candidates }) =
        state.store.procedure_page_of(&user.caller(), id).await?;
    let t = user.ctx.t();
    let mut chrome = Chrome::for_user(user, "procedure-title").with_notice(message);
    chrome.title = t.arg("procedure-heading", "number", &view.number);
    let team = handle.access == CaseAccess::Team;
    // What to offer is the domain's decision (`domain::procedure::offers`), made in the store's view.
    let offers = &view.offers;
    let candidates = if offers.appoint_group { state.store.group_member_candidates(&handle).await? } else { vec![] };
    let mut steps: Vec<&'static str> = offers.steps.iter().map(|s| s.as_str()).collect();
    let addable = offers
        .records
        .iter()
        .map(|k| (k.as_str(), t.get(&format!("record-add-{}", k.as_str().replace('_', "-")))))
        .collect();
    let fillable: Vec<&'static str> = offers
        .forms
        .iter()
        .filter_map(|k| match k {
            FormKind::A => Some("a"),
            FormKind::C => Some("c"),
            FormKind::D => Some("d"),
            FormKind::B | FormKind::Record(_) => None,
        })
        .collect();
    // The accounts the team may add to the group or grant the case to, read with the page for both sections.
    let group_candidates = if team && (offers.change_group || user.can(Permission::GrantCaseAccess)) {
        group_candidates
    } else {
        Vec::new()
    };
    let group = super::group::section(&t, &handle, offers, &view.group, &group_candidates);
    let seals = super::seal::section(&t, &handle, seals, &view.group);
    let may_include_sealed = seals.as_ref().is_some_and(|s| !s.seals.is_empty() && !s.viewers.is_empty());
    let owners = OwnerNames::of(&t, &view.group);
    // Closing has its own confirmation page (`closing.rs`), linked rather than posted from the step list.
    let can_close = offers.offers_step(Step::Close);
    steps.retain(|s| *s != Step::Close.as_str());
    let works_on_case = matches!(handle.access, CaseAccess::Team | CaseAccess::Group);
    // A refused step whose form is not on the page (no longer offered) has its reason on top instead.
    let on_page = |step: &str| steps.contains(&step) || (step == "appoint_group" && !candidates.is_empty());
    if let Some(e) = step_error.as_ref().filter(|e| !on_page(&e.step)) {
        chrome = chrome.with_notice(Some(e.message.clone()));
    }
    let closings: Vec<ClosingVm> =
        if works_on_case { closings.into_iter().map(|c| closing_vm(&t, c)).collect() } else { vec![] };
    let mut timeline = timeline(&t, &view);
    for c in &closings {
        if let Some(undone) = &c.undone {
            timeline.push((c.recorded.clone(), undone.clone()));
        }
    }
    timeline.sort_by(|a, b| a.0.cmp(&b.0));
    let grant_banner = grant_banner.map(|b| super::grants::banner_text(&t, b));
    let grants = super::grants::section(state, user, grants, grant_form, &group_candidates);
    Ok(ProcedurePage {
        grant_banner,
        grants,
        step_error,
        is_chair: team && user.principal.roles.contains(domain::identity::Role::Chair),
        now_local: local_input(state.clock.now()),
        can_close,
        closings,
        fillable,
        id,
        version: view.version,
        appoint_blocked: offers.appoint_group && candidates.is_empty(),
        may_add_accounts: user.can(Permission::ManageTeamAccounts),
        candidates,
        member_kinds: GroupMemberKind::ALL.iter().map(|k| k.as_str()).collect(),
        steps,
        basis_options: AppointmentBasis::ALL.iter().map(|b| b.as_str()).collect(),
        group_basis: view.group_basis.as_ref().map(|b| t.get(&format!("group-basis-{b}"))),
        addable,
        records: view.records.iter().map(|r| record_row(&t, r, &owners)).collect(),
        phase: super::phase_label(&t, view.phase.as_str()),
        opened: warsaw(view.opened_at),
        deadlines: view.deadlines.iter().map(|d| deadline_row(&t, d)).collect(),
        timeline,
        who_can_see: view.who_can_see.clone(),
        forms: view.forms.iter().map(|f| form_block(&t, f)).collect(),
        transfer: team.then_some(TransferVm {
            hand_over: offers.hand_over,
            may_include_sealed,
            typed: Vec::new(),
            errors: Vec::new(),
        }),
        received: view.received.as_ref().map(|p| received_vm(&t, p)),
        documents: super::documents::links(&t, id, &view),
        summary: summary(&t, &view, state.store.now()),
        group,
        seals,
        chrome,
    })
}

/// The roles a summary lists, in this order; witnesses and the reporter stay in the forms below.
const SUMMARY_ROLES: [PersonRole; 3] =
    [PersonRole::AffectedPerson, PersonRole::SuspectedPerson, PersonRole::HouseholdMember];

fn summary(t: &Tr, view: &ProcedureView, now: jiff::Timestamp) -> Summary {
    let today = now.to_zoned(domain::calendar::poland_zone()).date();
    let mut persons: Vec<(usize, PersonRow)> = Vec::new();
    for form in view.forms.iter().filter(|f| f.kind == "A") {
        for (rank, row) in form_a_persons(t, form, today) {
            // The same person in a later form A of the case (a further incident) is listed once.
            if !persons.iter().any(|(r, p)| *r == rank && p.name == row.name && p.age == row.age) {
                persons.push((rank, row));
            }
        }
    }
    persons.sort_by_key(|(rank, _)| *rank);
    // The most pressing open deadline: a breach first, then the soonest; an unconfirmed reading past its date last.
    let next_deadline = view
        .deadlines
        .iter()
        .filter_map(|d| {
            let rank = match d.state {
                DeadlineState::Overdue { .. } if d.unconfirmed => 2,
                DeadlineState::Overdue { .. } => 0,
                DeadlineState::DueSoon { .. } | DeadlineState::Pending { .. } => 1,
                _ => return None,
            };
            let due = match d.state {
                DeadlineState::Overdue { due, .. }
                | DeadlineState::DueSoon { due, .. }
                | DeadlineState::Pending { due, .. } => due.day().ok(),
                _ => None,
            };
            Some(((rank, due), d))
        })
        .min_by_key(|(key, _)| *key)
        .map(|(_, d)| deadline_row(t, d));
    let current: Vec<_> = view.group.iter().filter(|m| m.left_at.is_none()).collect();
    let group = (!current.is_empty()).then(|| {
        let coordinator = current
            .iter()
            .find(|m| m.coordinator)
            .map(|m| t.arg2("owner-member", "login", &m.login, "kind", &t.get(&format!("member-kind-{}", m.kind))));
        (coordinator, current.len())
    });
    let meetings = view.records.iter().filter(|r| r.kind == RecordKind::Meeting);
    let last_meeting = meetings.clone().filter(|r| r.status == "held").map(|r| r.occurs_at).max().map(warsaw);
    let next_meeting =
        meetings.filter(|r| r.status == "planned" && r.occurs_at >= now).map(|r| r.occurs_at).min().map(warsaw);
    let works = matches!(view.access, CaseAccess::Team | CaseAccess::Group);
    let open_plan_items = works.then(|| {
        view.records
            .iter()
            .filter(|r| r.kind == RecordKind::PlanItem)
            .filter(|r| !matches!(r.tag.as_deref(), Some("done" | "not_done")))
            .count()
    });
    Summary {
        persons: persons.into_iter().map(|(_, p)| p).collect(),
        next_deadline,
        group,
        last_meeting,
        next_meeting,
        open_plan_items,
    }
}

/// The persons of one form A in the roles the summary lists, each with the rank of its role.
fn form_a_persons(t: &Tr, form: &store::procedure::FormView, today: jiff::civil::Date) -> Vec<(usize, PersonRow)> {
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == form.version);
    let Some(def) = version.and_then(|v| definition(FormKind::A, v)) else { return vec![] };
    let sealed = t.get("seal-value");
    let mut out = Vec::new();
    for section in def.sections {
        let Some(rank) = section.person_role.and_then(|r| SUMMARY_ROLES.iter().position(|x| *x == r)) else {
            continue;
        };
        let prefixes: Vec<String> = match section.repeat {
            Repeat::Once => vec![section.id.to_owned()],
            Repeat::Many { max } => (0..usize::from(max)).map(|i| format!("{}[{i}]", section.id)).collect(),
        };
        for prefix in prefixes {
            let get =
                |field: &str| form.answers.get(&format!("{prefix}.{field}")).map(str::trim).filter(|v| !v.is_empty());
            let withheld = |field: &str| form.withheld.contains(&format!("{prefix}.{field}"));
            let names: Vec<&str> = ["first_name", "last_name"].into_iter().filter_map(get).collect();
            if names.is_empty() && !withheld("first_name") && !withheld("last_name") {
                continue;
            }
            let name = if names.is_empty() { sealed.clone() } else { names.join(" ") };
            let birth = get("birth_date").and_then(|raw| domain::person::parse_birth_date(raw).ok()).or_else(|| {
                get("pesel").and_then(|raw| domain::person::Pesel::parse(raw).ok()).map(|p| p.birth_date())
            });
            let age = match birth.and_then(|b| domain::person::age_on(b, today)) {
                Some(years) => t.arg("summary-age", "years", &years.to_string()),
                None if get("is_minor") == Some("true") => t.get("summary-minor"),
                None => String::new(),
            };
            let role = t.get(&format!("person-role-{}", SUMMARY_ROLES[rank].as_str()));
            out.push((rank, PersonRow { role, name, age }));
        }
    }
    out
}
