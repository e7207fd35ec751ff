//! The municipal programme written in the browser (issue 16 item 6): a programme with its strategic goal, specific
//! goals, tasks (responsible institutions, time frame), indicators (computed by Ostoja or entered by institutions)
//! and yearly targets; and an amendment, which is the same editor filled with the version in force, saved as a new
//! version with the council's resolution and the date it applies from.
//!
//! The page works without a script: "add a goal", "add a task", "add an indicator" and "remove" are submit buttons
//! that send everything typed and come back with one element more or less, so nothing is lost. Saving goes through
//! the store calls the API uses (`Store::create_programme`, `Store::amend_programme`); the page first parses the
//! typed values at the edge (years, targets, the date) and asks the domain's `check_content`, so every problem is
//! shown beside its field, in Polish, with everything typed kept.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::identity::Permission;
use domain::programme::{
    COMPUTED, ComputedKey, Goal, ProgrammeContent, ProgrammeIndicator, ProgrammeIndicatorSource, Task, check_content,
    parse_entered_value,
};
use store::StoreError;
use uuid::Uuid;

use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, field};
use crate::session::User;
use crate::state::AppState;

/// The most goals, tasks per goal and indicators per task a form may carry (the reference programme has 4 goals
/// and about 35 indicators); an index above it is a malformed request.
const MAX_INDEX: usize = 100;
/// The value of an indicator's source that means "entered by the institutions".
const ENTERED: &str = "entered";

/// One indicator as typed.
#[derive(Debug, Clone, Default)]
pub struct IndicatorForm {
    /// The form's name prefix ("g0.t1.i2").
    pub key: String,
    pub id: String,
    pub name: String,
    /// `ENTERED` ("entered") or a computed key.
    pub source: String,
    pub institutions: Vec<String>,
    /// Targets as typed, by year.
    pub targets: BTreeMap<i16, String>,
}

/// One task as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskForm {
    pub key: String,
    pub id: String,
    pub title: String,
    pub from_year: String,
    pub to_year: String,
    pub institutions: Vec<String>,
    pub indicators: Vec<IndicatorForm>,
}

/// One specific goal as typed.
#[derive(Debug, Clone, Default)]
pub struct GoalForm {
    pub key: String,
    pub id: String,
    pub title: String,
    pub tasks: Vec<TaskForm>,
}

/// The whole editor as typed.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub applies_from: String,
    pub resolution: String,
    pub strategic_goal: String,
    pub goals: Vec<GoalForm>,
}

/// Problems by field name, in the order of the page, for the summary and beside each field.
#[derive(Debug, Clone, Default)]
pub struct Problems(Vec<(String, String)>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: String) {
        let field = field.into();
        if !self.0.iter().any(|(f, _)| *f == field) {
            self.0.push((field, message));
        }
    }

    /// The message for `prefix.name` (or `name` when the prefix is empty).
    pub fn at(&self, prefix: &str, name: &str) -> Option<&str> {
        let key = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}.{name}") };
        self.0.iter().find(|(f, _)| *f == key).map(|(_, m)| m.as_str())
    }

    /// The message for a target of `year`.
    pub fn target(&self, prefix: &str, year: &str) -> Option<&str> {
        self.at(prefix, &format!("target.{year}"))
    }

    pub fn list(&self) -> &[(String, String)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl IndicatorForm {
    pub fn has_institution(&self, id: &str) -> bool {
        self.institutions.iter().any(|i| i == id)
    }

    /// The target typed for `year` (a year from the page's list).
    pub fn target(&self, year: &str) -> &str {
        year.parse::<i16>().ok().and_then(|y| self.targets.get(&y)).map_or("", String::as_str)
    }
}

impl TaskForm {
    pub fn has_institution(&self, id: &str) -> bool {
        self.institutions.iter().any(|i| i == id)
    }
}

/// The index in "g3", "t0", "i12" with its letter; anything else is `None`.
fn index(part: &str, letter: char) -> Option<usize> {
    let rest = part.strip_prefix(letter)?;
    if rest.is_empty() || rest.len() > 3 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok().filter(|i| *i < MAX_INDEX)
}

/// Reads the editor from a form body. Names that do not fit the scheme are a malformed request (400).
fn parse(body: &[(String, String)]) -> Result<Editor, ErrorPage> {
    type Indicators = BTreeMap<usize, IndicatorForm>;
    type Tasks = BTreeMap<usize, (TaskForm, Indicators)>;
    let mut goals: BTreeMap<usize, (GoalForm, Tasks)> = BTreeMap::new();
    let mut editor = Editor::default();
    for (k, v) in body {
        let parts: Vec<&str> = k.split('.').collect();
        let bad = || ErrorPage::BadRequest;
        match parts.as_slice() {
            ["title"] => editor.title.clone_from(v),
            ["period_from"] => editor.period_from.clone_from(v),
            ["period_to"] => editor.period_to.clone_from(v),
            ["applies_from"] => editor.applies_from.clone_from(v),
            ["resolution"] => editor.resolution.clone_from(v),
            ["strategic_goal"] => editor.strategic_goal.clone_from(v),
            [g, rest @ ..] if g.starts_with('g') && !rest.is_empty() => {
                let gi = index(g, 'g').ok_or_else(bad)?;
                let (goal, tasks) = goals.entry(gi).or_default();
                match rest {
                    ["id"] => goal.id.clone_from(v),
                    ["title"] => goal.title.clone_from(v),
                    [t, rest @ ..] if !rest.is_empty() => {
                        let ti = index(t, 't').ok_or_else(bad)?;
                        let (task, indicators) = tasks.entry(ti).or_default();
                        match rest {
                            ["id"] => task.id.clone_from(v),
                            ["title"] => task.title.clone_from(v),
                            ["from_year"] => task.from_year.clone_from(v),
                            ["to_year"] => task.to_year.clone_from(v),
                            ["inst"] => task.institutions.push(v.clone()),
                            [i, rest @ ..] if !rest.is_empty() => {
                                let ii = index(i, 'i').ok_or_else(bad)?;
                                let indicator = indicators.entry(ii).or_default();
                                match rest {
                                    ["id"] => indicator.id.clone_from(v),
                                    ["name"] => indicator.name.clone_from(v),
                                    ["source"] => indicator.source.clone_from(v),
                                    ["inst"] => indicator.institutions.push(v.clone()),
                                    ["target", year] => {
                                        let year = year.parse::<i16>().map_err(|_| bad())?;
                                        indicator.targets.insert(year, v.clone());
                                    }
                                    _ => return Err(bad()),
                                }
                            }
                            _ => return Err(bad()),
                        }
                    }
                    _ => return Err(bad()),
                }
            }
            // The CSRF token, the version shown, the button pressed.
            _ => {}
        }
    }
    editor.goals = goals
        .into_values()
        .map(|(mut goal, tasks)| {
            goal.tasks = tasks
                .into_values()
                .map(|(mut task, indicators)| {
                    task.indicators = indicators.into_values().collect();
                    task
                })
                .collect();
            goal
        })
        .collect();
    editor.rekey();
    Ok(editor)
}

impl Editor {
    /// Numbers the names from 0 again (after a removal), so a name always says where the element is.
    fn rekey(&mut self) {
        for (g, goal) in self.goals.iter_mut().enumerate() {
            goal.key = format!("g{g}");
            for (t, task) in goal.tasks.iter_mut().enumerate() {
                task.key = format!("g{g}.t{t}");
                for (i, indicator) in task.indicators.iter_mut().enumerate() {
                    indicator.key = format!("g{g}.t{t}.i{i}");
                }
            }
        }
    }

    /// The editor filled with a version's content (for an amendment).
    fn from_content(content: &ProgrammeContent) -> Editor {
        let mut editor = Editor {
            strategic_goal: content.strategic_goal.clone(),
            goals: content
                .goals
                .iter()
                .map(|g| GoalForm {
                    key: String::new(),
                    id: g.id.clone(),
                    title: g.title.clone(),
                    tasks: g
                        .tasks
                        .iter()
                        .map(|t| TaskForm {
                            key: String::new(),
                            id: t.id.clone(),
                            title: t.title.clone(),
                            from_year: t.from_year.to_string(),
                            to_year: t.to_year.to_string(),
                            institutions: t.institutions.iter().map(Uuid::to_string).collect(),
                            indicators: t
                                .indicators
                                .iter()
                                .map(|i| IndicatorForm {
                                    key: String::new(),
                                    id: i.id.clone(),
                                    name: i.name.clone(),
                                    source: match &i.source {
                                        ProgrammeIndicatorSource::Computed { key } => key.as_str().to_owned(),
                                        ProgrammeIndicatorSource::Entered { .. } => ENTERED.to_owned(),
                                    },
                                    institutions: match &i.source {
                                        ProgrammeIndicatorSource::Entered { institutions } => {
                                            institutions.iter().map(Uuid::to_string).collect()
                                        }
                                        ProgrammeIndicatorSource::Computed { .. } => Vec::new(),
                                    },
                                    targets: i.targets.iter().map(|(y, v)| (*y, v.to_string())).collect(),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            ..Editor::default()
        };
        editor.rekey();
        editor
    }

    fn ids(&self) -> impl Iterator<Item = &str> {
        self.goals.iter().flat_map(|g| {
            std::iter::once(g.id.as_str()).chain(
                g.tasks
                    .iter()
                    .flat_map(|t| std::iter::once(t.id.as_str()).chain(t.indicators.iter().map(|i| i.id.as_str()))),
            )
        })
    }

    /// Applies an "add" or "remove" button. New elements get an id no version of the programme used, so values
    /// entered under a removed indicator never attach to a new one.
    fn apply(&mut self, action: &str, used: &BTreeSet<String>, default_years: (String, String)) -> bool {
        let mut taken: BTreeSet<String> = used.clone();
        taken.extend(self.ids().map(str::to_owned));
        let fresh = |prefix: &str, letter: char| {
            (1..).map(|n| format!("{prefix}{letter}{n}")).find(|id| !taken.contains(id)).unwrap_or_default()
        };
        let target = |key: &str| key.split('.').map(str::to_owned).collect::<Vec<_>>();
        let position = |parts: &[String]| -> Option<Vec<usize>> {
            parts
                .iter()
                .zip(['g', 't', 'i'])
                .map(|(p, letter)| index(p, letter))
                .collect::<Option<Vec<usize>>>()
                .filter(|v| v.len() == parts.len())
        };
        if action == "add-goal" {
            let id = fresh("", 'g');
            self.goals.push(GoalForm { id, ..GoalForm::default() });
        } else if let Some(key) = action.strip_prefix("add-task:") {
            let Some(pos) = position(&target(key)) else { return false };
            let [g] = pos.as_slice() else { return false };
            let Some(goal) = self.goals.get_mut(*g) else { return false };
            let id = fresh(&goal.id, 't');
            goal.tasks.push(TaskForm {
                id,
                from_year: default_years.0,
                to_year: default_years.1,
                ..TaskForm::default()
            });
        } else if let Some(key) = action.strip_prefix("add-indicator:") {
            let Some(pos) = position(&target(key)) else { return false };
            let [g, t] = pos.as_slice() else { return false };
            let Some(task) = self.goals.get_mut(*g).and_then(|goal| goal.tasks.get_mut(*t)) else { return false };
            let id = fresh(&task.id, 'i');
            task.indicators.push(IndicatorForm { id, source: ENTERED.to_owned(), ..IndicatorForm::default() });
        } else if let Some(key) = action.strip_prefix("remove:") {
            let Some(pos) = position(&target(key)) else { return false };
            match pos.as_slice() {
                [g] if *g < self.goals.len() => {
                    self.goals.remove(*g);
                }
                [g, t] if self.goals.get(*g).is_some_and(|goal| *t < goal.tasks.len()) => {
                    self.goals[*g].tasks.remove(*t);
                }
                [g, t, i] => {
                    let Some(task) = self.goals.get_mut(*g).and_then(|goal| goal.tasks.get_mut(*t)) else {
                        return false;
                    };
                    if *i >= task.indicators.len() {
                        return false;
                    }
                    task.indicators.remove(*i);
                }
                _ => return false,
            }
        } else {
            return false;
        }
        self.rekey();
        true
    }

    /// The typed programme as the domain's content, or every problem found (by field name, with its message).
    /// `period` is the programme's period (typed for a new programme, fixed for an amendment).
    fn content(&self, t: &Tr, period: Option<(i16, i16)>) -> (ProgrammeContent, Problems) {
        let mut problems = Problems::default();
        let year = |raw: &str, name: String, problems: &mut Problems| match raw.trim().parse::<i16>() {
            Ok(y) if (2000..=2100).contains(&y) => Some(y),
            _ => {
                problems.add(name, t.get("err-year-format"));
                None
            }
        };
        let mut goals = Vec::new();
        for goal in &self.goals {
            let mut tasks = Vec::new();
            for task in &goal.tasks {
                let from = year(&task.from_year, format!("{}.from_year", task.key), &mut problems);
                let to = year(&task.to_year, format!("{}.to_year", task.key), &mut problems);
                let mut indicators = Vec::new();
                for indicator in &task.indicators {
                    let source = if indicator.source == ENTERED {
                        ProgrammeIndicatorSource::Entered { institutions: uuids(&indicator.institutions) }
                    } else if let Some(key) = ComputedKey::parse(&indicator.source) {
                        ProgrammeIndicatorSource::Computed { key }
                    } else {
                        problems.add(format!("{}.source", indicator.key), t.get("err-required"));
                        ProgrammeIndicatorSource::Entered { institutions: Vec::new() }
                    };
                    let mut targets = BTreeMap::new();
                    for (y, raw) in &indicator.targets {
                        if raw.trim().is_empty() {
                            continue;
                        }
                        match parse_entered_value(raw) {
                            Ok(v) => {
                                targets.insert(*y, v);
                            }
                            Err(code) => problems.add(format!("{}.target.{y}", indicator.key), t.get(code)),
                        }
                    }
                    indicators.push(ProgrammeIndicator {
                        id: indicator.id.clone(),
                        name: indicator.name.trim().to_owned(),
                        source,
                        targets,
                    });
                }
                tasks.push(Task {
                    id: task.id.clone(),
                    title: task.title.trim().to_owned(),
                    institutions: uuids(&task.institutions),
                    from_year: from.unwrap_or(0),
                    to_year: to.unwrap_or(0),
                    indicators,
                });
            }
            goals.push(Goal { id: goal.id.clone(), title: goal.title.trim().to_owned(), tasks });
        }
        let content = ProgrammeContent { strategic_goal: self.strategic_goal.trim().to_owned(), goals };
        if let Some((from, to)) = period {
            for (path, code) in check_content(&content, from, to) {
                let name = field_of_path(&path);
                // A year already refused as typed keeps that message.
                if let Some(task) = name.strip_suffix(".from_year")
                    && (problems.at(task, "from_year").is_some() || problems.at(task, "to_year").is_some())
                {
                    continue;
                }
                problems.add(name, t.get(code));
            }
        }
        (content, problems)
    }
}

/// The form's name for a path of `check_content` ("goals[0].tasks[1].indicators[2].name" is "g0.t1.i2.name").
fn field_of_path(path: &str) -> String {
    path.replace("goals[", "g").replace("tasks[", "t").replace("indicators[", "i").replace(']', "")
}

/// The institutions ticked; a value that is not an id cannot come from the page and is dropped here, the store
/// refusing any id that is not the municipality's.
fn uuids(raw: &[String]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = raw.iter().filter_map(|r| Uuid::parse_str(r).ok()).collect();
    out.dedup();
    out
}

/// Whether the editor adopts a new programme or amends one.
pub enum Mode {
    New,
    Amend { id: Uuid, version: i64, title: String, period: (i16, i16) },
}

#[derive(Template, WebTemplate)]
#[template(path = "programme/editor.html")]
pub struct EditorPage {
    chrome: Chrome,
    mode: Mode,
    editor: Editor,
    problems: Problems,
    /// A problem of the whole form (another amendment meanwhile, an institution not of the municipality).
    form_error: Option<String>,
    institutions: Vec<(String, String)>,
    computed: Vec<(&'static str, &'static str)>,
    /// The years targets are asked for: the programme's period when it is known.
    years: Vec<String>,
}

impl EditorPage {
    pub fn action(&self) -> String {
        match &self.mode {
            Mode::New => "/programme/new".to_owned(),
            Mode::Amend { id, .. } => format!("/programme/{id}/amend"),
        }
    }

    pub fn is_new(&self) -> bool {
        matches!(self.mode, Mode::New)
    }

    /// The version an amendment was opened on.
    pub fn version(&self) -> Option<i64> {
        match &self.mode {
            Mode::New => None,
            Mode::Amend { version, .. } => Some(*version),
        }
    }
}

fn typed_period(editor: &Editor) -> Option<(i16, i16)> {
    let from = editor.period_from.trim().parse::<i16>().ok()?;
    let to = editor.period_to.trim().parse::<i16>().ok()?;
    ((2000..=2100).contains(&from) && (2000..=2100).contains(&to) && from <= to && to - from <= 20)
        .then_some((from, to))
}

async fn page(
    state: &AppState,
    user: &User,
    mode: Mode,
    editor: Editor,
    problems: Problems,
    form_error: Option<String>,
) -> Result<EditorPage, PageError> {
    let tenant = user.principal.tenant_id.ok_or(ErrorPage::Forbidden)?;
    let institutions =
        state.store.list_institutions(tenant).await?.into_iter().map(|i| (i.id.to_string(), i.name)).collect();
    let t = user.ctx.t();
    let computed =
        COMPUTED.iter().map(|d| (d.key.as_str(), if t.lang == Lang::En { d.name_en } else { d.name_pl })).collect();
    let period = match &mode {
        Mode::New => typed_period(&editor),
        Mode::Amend { period, .. } => Some(*period),
    };
    let years = period.map(|(from, to)| (from..=to).map(|y| y.to_string()).collect()).unwrap_or_default();
    let mut chrome = Chrome::for_user(user, "programme-editor-title");
    if let Mode::Amend { title, .. } = &mode {
        chrome.title = t.arg("programme-amend-heading", "title", title);
    }
    Ok(EditorPage { chrome, mode, editor, problems, form_error, institutions, computed, years })
}

/// The empty editor for a new programme, its period this year and the six after (the reference programme's
/// 2024–2030), which the coordinator changes.
pub async fn new(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let year = super::this_year(&state);
    let editor = Editor { period_from: year.to_string(), period_to: (year + 6).to_string(), ..Editor::default() };
    Ok(page(&state, &user, Mode::New, editor, Problems::default(), None).await?.into_response())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let mut editor = parse(&body)?;
    let action = field(&body, "action");
    let t = user.ctx.t();
    if action != "save" {
        let period = typed_period(&editor).map(|(f, t)| (f.to_string(), t.to_string())).unwrap_or_default();
        if !editor.apply(action, &BTreeSet::new(), period) {
            return Err(ErrorPage::BadRequest.into());
        }
        return Ok(page(&state, &user, Mode::New, editor, Problems::default(), None).await?.into_response());
    }
    let period = typed_period(&editor);
    let (content, mut problems) = editor.content(&t, period);
    if editor.title.trim().is_empty() {
        problems.add("title", t.get("err-required"));
    }
    if period.is_none() {
        let message = match (editor.period_from.trim().parse::<i16>(), editor.period_to.trim().parse::<i16>()) {
            (Ok(_), Ok(_)) => "err-programme-time-frame",
            _ => "err-year-format",
        };
        problems.add("period_to", t.get(message));
    }
    check_adoption(&editor, &t, &mut problems);
    if !problems.is_empty() {
        return refused(&state, &user, Mode::New, editor, problems, None).await;
    }
    let (from, to) = period.unwrap_or_default();
    let result = state
        .store
        .create_programme(&user.principal, &editor.title, from, to, &editor.applies_from, &editor.resolution, &content)
        .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/programme/{id}?saved=1")).into_response()),
        Err(e) => {
            let (problems, form_error) = store_problems(e, &t)?;
            refused(&state, &user, Mode::New, editor, problems, form_error).await
        }
    }
}

/// The date the version applies from and the council's resolution, asked of both a new programme and an amendment.
fn check_adoption(editor: &Editor, t: &Tr, problems: &mut Problems) {
    if let Err(code) = domain::parse::date(&editor.applies_from) {
        problems.add("applies_from", t.get(code));
    }
    if editor.resolution.trim().is_empty() {
        problems.add("resolution", t.get("err-required"));
    }
}

/// A store refusal as problems beside fields, or one for the whole form; anything else is an error page.
fn store_problems(e: StoreError, t: &Tr) -> Result<(Problems, Option<String>), PageError> {
    match e {
        StoreError::Invalid(errors) => {
            let mut problems = Problems::default();
            let mut form_error = None;
            for e in errors.iter() {
                if e.field == "content" {
                    form_error = Some(t.field_error(e));
                } else {
                    let name = if e.field == "period_from" { "period_to" } else { e.field };
                    problems.add(name, t.field_error(e));
                }
            }
            Ok((problems, form_error))
        }
        StoreError::Conflict(_) => Ok((Problems::default(), Some(t.get("programme-amended-meanwhile")))),
        other => Err(other.into()),
    }
}

async fn refused(
    state: &AppState,
    user: &User,
    mode: Mode,
    editor: Editor,
    problems: Problems,
    form_error: Option<String>,
) -> Result<Response, PageError> {
    let status = if form_error.is_some() && problems.is_empty() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(state, user, mode, editor, problems, form_error).await?).into_response())
}

async fn amend_mode(
    state: &AppState,
    user: &User,
    id: &str,
) -> Result<(Mode, store::programme::ProgrammeView), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    let view = state.store.programme(&user.principal, id).await?;
    let version = view.latest().map_or(0, |v| v.number);
    let mode = Mode::Amend { id, version, title: view.title.clone(), period: (view.period_from, view.period_to) };
    Ok((mode, view))
}

/// The editor filled with the version in force, for an amendment.
pub async fn amend_form(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let (mode, view) = amend_mode(&state, &user, &id).await?;
    let latest = view.latest().ok_or(ErrorPage::NotFound)?;
    let editor = Editor::from_content(&latest.content);
    Ok(page(&state, &user, mode, editor, Problems::default(), None).await?.into_response())
}

pub async fn amend(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ManageProgramme)?;
    let (mut mode, view) = amend_mode(&state, &user, &id).await?;
    // The version the page was opened on, so an amendment made meanwhile is a conflict, not an overwrite.
    let shown = field(&body, "version").parse::<i64>().map_err(|_| ErrorPage::BadRequest)?;
    if let Mode::Amend { version, .. } = &mut mode {
        *version = shown;
    }
    let mut editor = parse(&body)?;
    let action = field(&body, "action");
    let t = user.ctx.t();
    let period = (view.period_from, view.period_to);
    if action != "save" {
        let used: BTreeSet<String> = view
            .versions
            .iter()
            .flat_map(|v| Editor::from_content(&v.content).ids().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        if !editor.apply(action, &used, (period.0.to_string(), period.1.to_string())) {
            return Err(ErrorPage::BadRequest.into());
        }
        return Ok(page(&state, &user, mode, editor, Problems::default(), None).await?.into_response());
    }
    let (content, mut problems) = editor.content(&t, Some(period));
    check_adoption(&editor, &t, &mut problems);
    if !problems.is_empty() {
        return refused(&state, &user, mode, editor, problems, None).await;
    }
    let Mode::Amend { id, .. } = mode else { return Err(ErrorPage::NotFound.into()) };
    let result = state
        .store
        .amend_programme(&user.principal, id, &editor.applies_from, &editor.resolution, &content, shown)
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/programme/{id}?saved=1")).into_response()),
        Err(e) => {
            let (problems, form_error) = store_problems(e, &t)?;
            refused(&state, &user, mode, editor, problems, form_error).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_typed_programme_reads_back_in_order_with_its_targets_and_a_removal_renumbers_the_names() {
        let form = body(&[
            ("strategic_goal", "Mniej przemocy"),
            ("g0.id", "g1"),
            ("g0.title", "Profilaktyka"),
            ("g0.t0.id", "g1t1"),
            ("g0.t0.title", "Kampania"),
            ("g0.t0.from_year", "2024"),
            ("g0.t0.to_year", "2030"),
            ("g0.t0.i0.id", "g1t1i1"),
            ("g0.t0.i0.name", "Liczba ulotek"),
            ("g0.t0.i0.source", "entered"),
            ("g0.t0.i0.target.2025", "1 000"),
            ("g1.id", "g2"),
            ("g1.title", "Pomoc"),
        ]);
        let mut editor = parse(&form).unwrap();
        let (content, problems) = editor.content(&Tr::default(), Some((2024, 2030)));
        assert_eq!(content.goals.len(), 2);
        assert_eq!(content.goals[0].tasks[0].indicators[0].targets.get(&2025), Some(&1000));
        // An entered indicator without an institution is refused beside its source.
        assert!(problems.at("g0.t0.i0", "source").is_some(), "{problems:?}");
        assert!(editor.apply("remove:g0", &BTreeSet::new(), (String::new(), String::new())));
        assert_eq!(editor.goals[0].key, "g0");
        assert_eq!(editor.goals[0].id, "g2");
    }

    #[test]
    fn new_elements_never_reuse_an_id_an_earlier_version_had() {
        let mut editor = Editor::default();
        let used: BTreeSet<String> = ["g1".to_owned()].into();
        assert!(editor.apply("add-goal", &used, (String::new(), String::new())));
        assert_eq!(editor.goals[0].id, "g2");
        assert!(editor.apply("add-task:g0", &used, ("2024".into(), "2030".into())));
        assert!(editor.apply("add-indicator:g0.t0", &used, (String::new(), String::new())));
        assert_eq!(editor.goals[0].tasks[0].indicators[0].id, "g2t1i1");
        assert!(!editor.apply("add-task:g9", &used, (String::new(), String::new())));
        assert!(!editor.apply("remove:x", &used, (String::new(), String::new())));
    }

    #[test]
    fn malformed_names_are_refused_and_wrong_targets_are_named_beside_their_year() {
        assert!(parse(&body(&[("g999.title", "x")])).is_err());
        assert!(parse(&body(&[("g0.t0.zz", "x")])).is_err());
        let editor = parse(&body(&[
            ("strategic_goal", "x"),
            ("g0.id", "g1"),
            ("g0.title", "x"),
            ("g0.t0.id", "g1t1"),
            ("g0.t0.title", "x"),
            ("g0.t0.from_year", "20x4"),
            ("g0.t0.to_year", "2030"),
            ("g0.t0.i0.id", "g1t1i1"),
            ("g0.t0.i0.name", "x"),
            ("g0.t0.i0.source", "home_visits"),
            ("g0.t0.i0.target.2025", "-3"),
        ]))
        .unwrap();
        let (_, problems) = editor.content(&Tr::default(), Some((2024, 2030)));
        assert_eq!(problems.at("g0.t0", "from_year"), Some(Tr::default().get("err-year-format").as_str()));
        assert!(problems.at("g0.t0.i0", "target.2025").is_some());
    }
}
