//! The day's deadlines across cases (issue 16 item 1): which bucket each open deadline is in (overdue, due today,
//! due within the week, an unconfirmed reading past its date), the home page's groups with repeats folded, and the
//! filtered, paged list each group links to (`/deadlines?kind=…&when=…`). Need-to-know is the store's
//! (`Store::running_cases`); a filter only narrows.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::identity::Permission;
use domain::procedure::deadlines::{DeadlineRule, DeadlineState};
use jiff::civil::Date;
use serde::Deserialize;
use store::procedure::{DashboardCase, DeadlineView};

use crate::error::{ErrorPage, PageError};
use crate::i18n::Tr;
use crate::page::Chrome;
use crate::procedure::show::{DeadlineRow, deadline_row};
use crate::session::User;
use crate::state::AppState;

/// Rows of the filtered list per page.
pub const PAGE_SIZE: usize = 25;
/// A group of more items than this is folded into one line ("96 × … — pokaż"): a repeat is one line, so the day's
/// kinds fit one screen.
pub const FOLD_ABOVE: usize = 1;
/// "This week": today and the next six days.
const WEEK_DAYS: i64 = 6;

/// Where an open deadline stands today. The order is the order of urgency on the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    Overdue,
    Today,
    Week,
    /// An unconfirmed (\[U\]) reading past its date: never painted as overdue (issue 15 item 2).
    Unconfirmed,
}

impl When {
    pub const ALL: [When; 4] = [When::Overdue, When::Today, When::Week, When::Unconfirmed];

    pub fn as_str(self) -> &'static str {
        match self {
            When::Overdue => "overdue",
            When::Today => "today",
            When::Week => "week",
            When::Unconfirmed => "unconfirmed",
        }
    }

    fn parse(raw: &str) -> Option<When> {
        When::ALL.into_iter().find(|w| w.as_str() == raw)
    }

    /// The CSS mark of the row (the words say it too).
    pub fn class(self) -> &'static str {
        match self {
            When::Overdue => "overdue",
            When::Today | When::Week => "soon",
            When::Unconfirmed => "unconfirmed",
        }
    }

    /// The bucket of one deadline on `today` (Polish calendar), or `None` when it is met or falls due later.
    pub fn of(d: &DeadlineView, today: Date) -> Option<When> {
        let due = match d.state {
            DeadlineState::Overdue { .. } if d.unconfirmed => return Some(When::Unconfirmed),
            DeadlineState::Overdue { .. } => return Some(When::Overdue),
            DeadlineState::DueSoon { due, .. } | DeadlineState::Pending { due, .. } => due.day().ok()?,
            _ => return None,
        };
        if due <= today {
            Some(When::Today)
        } else if due <= today.saturating_add(jiff::Span::new().days(WEEK_DAYS)) {
            Some(When::Week)
        } else {
            None
        }
    }
}

/// One open deadline of one case, in a bucket, worded for the page.
pub struct DayItem {
    pub id: uuid::Uuid,
    pub number: String,
    pub when: When,
    pub rule_id: &'static str,
    pub deadline: DeadlineRow,
}

/// One open deadline of one case in a bucket, not yet worded. A home page reaches thousands of them and shows a
/// handful: only those shown are worded (wording each one was most of the page's time at 10,000 procedures).
pub struct Open<'a> {
    pub case: &'a DashboardCase,
    pub deadline: &'a DeadlineView,
    pub when: When,
    due: Date,
}

impl Open<'_> {
    pub fn worded(&self, t: &Tr) -> DayItem {
        DayItem {
            id: self.case.summary.id,
            number: self.case.summary.number.clone(),
            when: self.when,
            rule_id: self.deadline.rule_id,
            deadline: deadline_row(t, self.deadline),
        }
    }
}

/// Every open deadline of the cases in a bucket, most urgent first, then by due day and number.
pub fn open_deadlines(cases: &[DashboardCase], today: Date) -> Vec<Open<'_>> {
    let mut out: Vec<Open<'_>> = cases
        .iter()
        .flat_map(|c| c.deadlines.iter().map(move |d| (c, d)))
        .filter_map(|(case, deadline)| {
            let when = When::of(deadline, today)?;
            let due = match deadline.state {
                DeadlineState::Overdue { due, .. }
                | DeadlineState::DueSoon { due, .. }
                | DeadlineState::Pending { due, .. } => due.day().ok()?,
                _ => return None,
            };
            Some(Open { case, deadline, when, due })
        })
        .collect();
    out.sort_by(|a, b| (a.when, a.due, &a.case.summary.number).cmp(&(b.when, b.due, &b.case.summary.number)));
    out
}

/// The items of one kind in one bucket: folded into one line when there are many.
pub struct KindGroup {
    pub rule_id: &'static str,
    pub name: &'static str,
    pub when: When,
    pub when_label: String,
    pub count: usize,
    /// The filtered list of exactly these items.
    pub href: String,
    /// The items themselves when few enough to show; empty when folded.
    pub items: Vec<DayItem>,
}

impl KindGroup {
    pub fn folded(&self) -> bool {
        self.items.is_empty()
    }
}

/// The first `shown` groups by bucket then kind (in the order the deadlines come, so the most urgent bucket first),
/// and how many groups there are in all.
pub fn groups(t: &Tr, open: &[Open<'_>], shown: usize) -> (Vec<KindGroup>, usize) {
    // (when, rule, the deadlines' positions in `open`), in order of first appearance.
    let mut keys: Vec<(When, &'static str, Vec<usize>)> = Vec::new();
    for (i, o) in open.iter().enumerate() {
        match keys.iter_mut().find(|(w, r, _)| *w == o.when && *r == o.deadline.rule_id) {
            Some((_, _, at)) => at.push(i),
            None => keys.push((o.when, o.deadline.rule_id, vec![i])),
        }
    }
    let all = keys.len();
    let groups = keys
        .into_iter()
        .take(shown)
        .filter_map(|(when, rule_id, at)| {
            let first = open.get(*at.first()?)?;
            let items = if at.len() > FOLD_ABOVE {
                Vec::new()
            } else {
                at.iter().filter_map(|&i| open.get(i)).map(|o| o.worded(t)).collect()
            };
            Some(KindGroup {
                rule_id,
                name: t.rule_name(rule_id, first.deadline.name_pl),
                when,
                when_label: t.get(&format!("day-when-{}", when.as_str())),
                count: at.len(),
                href: format!("/deadlines?kind={rule_id}&when={}", when.as_str()),
                items,
            })
        })
        .collect();
    (groups, all)
}

#[derive(Deserialize, Default)]
pub struct DeadlinesQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    when: String,
    #[serde(default)]
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "deadlines.html")]
pub struct DeadlinesPage {
    chrome: Chrome,
    /// What the list is narrowed to, in words.
    filter: String,
    rows: Vec<DayItem>,
    total: usize,
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

/// `/deadlines`: every open deadline needing attention within the week (or overdue) in the cases the account may
/// see, narrowed by kind (a rule) and bucket, 25 a page.
pub async fn list(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<DeadlinesQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let kind = match q.kind.trim() {
        "" => None,
        k => Some(DeadlineRule::by_id(k).ok_or(ErrorPage::BadRequest)?),
    };
    let when = match q.when.trim() {
        "" => None,
        w => Some(When::parse(w).ok_or(ErrorPage::BadRequest)?),
    };
    let page: usize = match q.page.trim() {
        "" => 1,
        p => p.parse().ok().filter(|n| *n >= 1).ok_or(ErrorPage::BadRequest)?,
    };
    let t = user.ctx.t();
    let today = state.store.now().to_zoned(domain::calendar::poland_zone()).date();
    let cases = state.store.running_cases(&user.principal).await?;
    let open: Vec<Open<'_>> = open_deadlines(&cases, today)
        .into_iter()
        .filter(|o| kind.is_none_or(|k| k.id == o.deadline.rule_id) && when.is_none_or(|w| w == o.when))
        .collect();
    let total = open.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = page.min(pages);
    let rows: Vec<DayItem> = open.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|o| o.worded(&t)).collect();
    let link = |p: usize| {
        let mut href = format!("/deadlines?page={p}");
        if let Some(k) = kind {
            href.push_str(&format!("&kind={}", k.id));
        }
        if let Some(w) = when {
            href.push_str(&format!("&when={}", w.as_str()));
        }
        href
    };
    let filter = match (kind, when) {
        (Some(k), _) => t.rule(k).to_owned(),
        (None, Some(_)) => String::new(),
        (None, None) => t.get("day-filter-all"),
    };
    let mut chrome = Chrome::for_user(&user, "day-list-title");
    if let Some(w) = when {
        chrome.title = t.get(&format!("day-list-{}", w.as_str()));
    }
    Ok(DeadlinesPage {
        chrome,
        filter,
        rows,
        total,
        page,
        pages,
        prev: (page > 1).then(|| link(page - 1)),
        next: (page < pages).then(|| link(page + 1)),
    }
    .into_response())
}
