//! The home page: who you are, your municipality and roles, and what to do next.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use domain::identity::{Permission, Role};

use crate::error::PageError;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    chrome: Chrome,
    /// The day's work; `None` when the role has no cases.
    day: Option<Day>,
    login: String,
    tenant: Option<(String, String)>,
    roles: Vec<Role>,
    admin_hint: bool,
    dpo_hint: bool,
    /// A new team's first steps, while one is open (the team's staff only).
    start: Option<crate::start::Checklist>,
    /// The region's announcements shown today and not dismissed, at most `HOME_ANNOUNCEMENTS` (one line each).
    announcements: Vec<store::platform::Announcement>,
    /// Announcements beyond those shown, counted only (the platform's page lists them all).
    more_announcements: usize,
    /// The agreements with member institutions lapsing soon and lapsed without a new one (the team's staff only;
    /// `None` when none needs them): the reminder before an agreement lapses, by each agreement's own lead.
    agreements: Option<(usize, usize)>,
}

/// The region's announcements the home page shows: more would push the day below the fold at 1280×800.
const HOME_ANNOUNCEMENTS: usize = 3;

/// The day on one screen (issue 16 item 1): counts first, then the open deadlines grouped by kind with repeats
/// folded, then the next meetings.
pub struct Day {
    pub overdue: usize,
    pub today: usize,
    /// Due today or within the next six days.
    pub week: usize,
    pub meetings_week: usize,
    /// New forms A waiting for the chair (staff only): forms A not yet attached to a case or opened as one (intakes),
    /// and cases whose group is not appointed yet.
    pub forms_waiting: Option<(usize, usize)>,
    pub groups: Vec<crate::day::KindGroup>,
    /// Kinds of deadlines beyond the first `HOME_GROUPS`, counted only (the full list is one link away).
    pub more_groups: usize,
    /// The next few meetings.
    pub meetings: Vec<MeetingRow>,
}

impl Day {
    pub fn forms_total(&self) -> usize {
        self.forms_waiting.map_or(0, |(i, o)| i + o)
    }
}

pub struct MeetingRow {
    pub id: uuid::Uuid,
    pub number: String,
    pub starts: String,
    pub with_whom: String,
}

/// The meetings listed by name on the home page; the count covers the whole week.
const HOME_MEETINGS: usize = 5;
/// The lines of the day's deadlines on the home page (one per kind and bucket), so the day fits 1280×800.
const HOME_GROUPS: usize = 8;
const WEEK_MEETINGS_MAX: i64 = 200;

async fn day(state: &AppState, user: &User) -> Result<Option<Day>, PageError> {
    if !user.can(Permission::ViewProcedures) {
        return Ok(None);
    }
    use crate::day::When;
    let t = user.ctx.t();
    let zone = domain::calendar::poland_zone();
    let now = state.store.now();
    let today = now.to_zoned(zone.clone()).date();
    let cases = state.store.running_cases(&user.principal).await?;
    let open = crate::day::open_deadlines(&cases, today);
    let count = |w: When| open.iter().filter(|o| o.when == w).count();
    let (overdue, due_today) = (count(When::Overdue), count(When::Today));
    let week = due_today + count(When::Week);
    let week_end = now.saturating_add(jiff::SignedDuration::from_hours(24 * 7)).unwrap_or(now);
    let upcoming = state.store.upcoming_meetings(&user.principal, WEEK_MEETINGS_MAX).await?;
    let meetings_week = upcoming.iter().filter(|m| m.starts_at < week_end).count();
    let meetings = upcoming
        .into_iter()
        .take(HOME_MEETINGS)
        .map(|m| MeetingRow {
            id: m.procedure_id,
            number: m.number,
            starts: m.starts_at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M").to_string(),
            with_whom: m.with_whom.map(|w| t.get(&format!("dashboard-with-whom-{w}"))).unwrap_or_default(),
        })
        .collect();
    let forms_waiting = if user.can(Permission::ManageProcedures) {
        // A staff role without current standing has no intakes to resolve: nothing waits for it.
        let intakes = match state.store.pending_intakes(&user.principal).await {
            Ok(list) => list.len(),
            Err(store::StoreError::NotFound) => 0,
            Err(e) => return Err(e.into()),
        };
        Some((intakes, cases.iter().filter(|c| c.summary.phase == "opened").count()))
    } else {
        None
    };
    let (groups, all_groups) = crate::day::groups(&t, &open, HOME_GROUPS);
    let more_groups = all_groups.saturating_sub(HOME_GROUPS);
    Ok(Some(Day { overdue, today: due_today, week, meetings_week, forms_waiting, groups, more_groups, meetings }))
}

pub async fn show(State(state): State<AppState>, user: User) -> Result<Response, PageError> {
    user.require(Permission::ViewDashboard)?;
    let p = &user.principal;
    let day = day(&state, &user).await?;
    let (start, agreements) = if user.can(Permission::ManageTeam) {
        let progress = state.store.start_progress(p).await?;
        let list = state.store.agreements(p).await?;
        let (lapsing, lapsed) = store::team::agreements_needing_attention(&list, state.store.today());
        (
            Some(crate::start::checklist(&user.ctx.t(), &user, &progress)).filter(|c| !c.complete()),
            Some((lapsing.len(), lapsed.len())).filter(|(a, b)| a + b > 0),
        )
    } else {
        (None, None)
    };
    let mut announcements = state.store.home_announcements(p).await?;
    let more_announcements = announcements.len().saturating_sub(HOME_ANNOUNCEMENTS);
    announcements.truncate(HOME_ANNOUNCEMENTS);
    Ok(HomePage {
        announcements,
        more_announcements,
        day,
        chrome: Chrome::for_user(&user, "home-title"),
        // The greeting names the person; the login only when the account has no name.
        login: Some(state.store.own_name(p.account_id).await?)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(p.login.clone()),
        tenant: p.tenant_name.clone().zip(p.tenant_teryt.clone()),
        roles: p.roles.iter().collect(),
        admin_hint: user.can(Permission::ManageTenants),
        dpo_hint: user.can(Permission::ReadAuditTrail),
        start,
        agreements,
    }
    .into_response())
}
