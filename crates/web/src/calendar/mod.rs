//! The calendar (issue 16 item 10): `/calendar`, a month or a week of the group meetings of one's cases and, for the
//! team's staff, the team's meetings; and the personal calendar feed, issued and revoked on the same page
//! (`/calendar/feed`, `/calendar/feed/revoke`) and read without a login at its secret address
//! (`/feeds/calendar/{token}.ics`, outside the page router: no session, no cookie).
//!
//! The feed's titles are the kind of meeting only ("Spotkanie grupy diagnostyczno-pomocowej"), without the case
//! number: a case number is an identifier of the persons in the case (pseudonymous data is still personal data), a
//! subscribed calendar is copied to the phone's and often a cloud provider's servers, and the member finds the case
//! from the link, after logging in. The signed-in page shows the number and links the case.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::identity::Permission;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Deserialize;
use store::StoreError;
use store::calendar::{CalendarEvent, CalendarEventKind};

use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::page::Chrome;
use crate::session::User;
use crate::state::AppState;

/// A group meeting has no end time in the record; the calendar gives it an hour, a team meeting two \[U\].
const GROUP_MEETING_MINUTES: i64 = 60;
const TEAM_MEETING_MINUTES: i64 = 120;
/// How far the feed reaches: 60 days back, a year ahead.
const FEED_DAYS_BACK: i64 = 60;
const FEED_DAYS_AHEAD: i64 = 366;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/calendar", get(show))
        .route("/calendar/feed", post(issue_feed))
        .route("/calendar/feed/revoke", post(revoke_feed))
}

/// The feed's address, outside the page router.
pub fn feed_routes() -> crate::routes::Routes {
    crate::routes::Routes::new().route("/feeds/calendar/{token}", get(feed))
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    view: Option<String>,
    #[serde(default)]
    date: Option<String>,
}

/// One meeting as the page lists it.
pub struct EventRow {
    pub time: String,
    pub title: String,
    pub held: bool,
    /// The case's number and page, or the team meeting's page.
    pub link: Option<(String, String)>,
}

/// One day of the month grid or the week list.
pub struct DayCell {
    pub date: String,
    pub label: String,
    pub day: i8,
    pub in_month: bool,
    pub today: bool,
    pub events: Vec<EventRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar/calendar.html")]
pub struct CalendarPage {
    chrome: Chrome,
    week_view: bool,
    heading: String,
    weekdays: Vec<String>,
    /// Month view: the weeks (Monday first); week view: one week.
    weeks: Vec<Vec<DayCell>>,
    prev_href: String,
    next_href: String,
    today_href: String,
    month_href: String,
    week_href: String,
    count: usize,
    count_text: String,
    feed: Option<store::calendar::FeedStatus>,
    feed_created: String,
    feed_used: String,
    new_feed_url: Option<String>,
}

fn zone() -> jiff::tz::TimeZone {
    domain::calendar::poland_zone()
}

fn start_of(d: Date) -> Timestamp {
    d.to_zoned(zone()).map(|z| z.timestamp()).unwrap_or(Timestamp::UNIX_EPOCH)
}

fn monday_of(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(back.days()).unwrap_or(d)
}

fn title(t: &crate::i18n::Tr, kind: CalendarEventKind) -> String {
    match kind {
        CalendarEventKind::GroupMeeting => t.get("calendar-group-meeting"),
        CalendarEventKind::TeamMeeting => t.get("calendar-team-meeting"),
    }
}

fn row(t: &crate::i18n::Tr, e: &CalendarEvent) -> EventRow {
    let link = match (e.kind, e.procedure_id, &e.number) {
        (CalendarEventKind::GroupMeeting, Some(id), Some(number)) => {
            Some((t.arg("calendar-case", "number", number), format!("/procedures/{id}")))
        }
        (CalendarEventKind::TeamMeeting, _, _) => Some((String::new(), format!("/team/meetings/{}", e.id))),
        _ => None,
    };
    EventRow {
        time: e.starts_at.to_zoned(zone()).strftime("%H:%M").to_string(),
        title: title(t, e.kind),
        held: e.status == "held",
        link,
    }
}

async fn page(
    state: &AppState,
    user: &User,
    q: &CalendarQuery,
    new_feed_url: Option<String>,
    notice: Option<String>,
) -> Result<CalendarPage, PageError> {
    let chrome = Chrome::for_user(user, "calendar-title").with_notice(notice);
    let t = chrome.t;
    let today = state.store.today();
    // A date that cannot be read shows today's month rather than an error: the address came from our own links.
    let anchor = q.date.as_deref().and_then(|d| d.parse::<Date>().ok()).unwrap_or(today);
    let week_view = q.view.as_deref() == Some("week");
    let (first, last, heading, prev, next) = if week_view {
        let first = monday_of(anchor);
        let last = first.checked_add(6.days()).unwrap_or(first);
        let heading = t.args("calendar-week-of", &[("from", crate::team::day(first)), ("to", crate::team::day(last))]);
        (first, last, heading, first.checked_sub(7.days()).ok(), first.checked_add(7.days()).ok())
    } else {
        let month_first = anchor.first_of_month();
        let first = monday_of(month_first);
        let last_of_month = anchor.last_of_month();
        let last = monday_of(last_of_month).checked_add(6.days()).unwrap_or(last_of_month);
        let heading = format!("{} {}", t.get(&format!("calendar-month-{}", anchor.month())), anchor.year());
        let prev = month_first.checked_sub(1.month()).ok();
        let next = month_first.checked_add(1.month()).ok();
        (first, last, heading, prev, next)
    };
    let to_day = last.checked_add(1.day()).unwrap_or(last);
    let events = state.store.calendar_events(&user.principal, start_of(first), start_of(to_day)).await?;
    let view = if week_view { "week" } else { "month" };
    let href = |d: Option<Date>, v: &str| format!("/calendar?view={v}&date={}", d.unwrap_or(anchor));
    let mut weeks = Vec::new();
    let mut day = first;
    while day <= last {
        let mut week = Vec::new();
        for _ in 0..7 {
            let from = start_of(day);
            let next_day = day.checked_add(1.day()).unwrap_or(day);
            let until = start_of(next_day);
            week.push(DayCell {
                date: day.to_string(),
                label: format!(
                    "{}, {}",
                    t.get(&format!("calendar-wd-{}", day.weekday().to_monday_one_offset())),
                    crate::team::day(day)
                ),
                day: day.day(),
                in_month: week_view || day.month() == anchor.month(),
                today: day == today,
                events: events
                    .iter()
                    .filter(|e| e.starts_at >= from && e.starts_at < until)
                    .map(|e| row(&t, e))
                    .collect(),
            });
            day = next_day;
        }
        weeks.push(week);
    }
    let weekdays = (1..=7).map(|n| t.get(&format!("calendar-wd-{n}"))).collect();
    let feed = state.store.calendar_feed_status(&user.principal).await?;
    let feed_created = feed.as_ref().map(|f| crate::team::when(f.created_at)).unwrap_or_default();
    let feed_used = feed.as_ref().and_then(|f| f.last_used_at).map(crate::team::when).unwrap_or_default();
    Ok(CalendarPage {
        week_view,
        heading,
        weekdays,
        weeks,
        prev_href: href(prev, view),
        next_href: href(next, view),
        today_href: format!("/calendar?view={view}&date={today}"),
        month_href: format!("/calendar?view=month&date={anchor}"),
        week_href: format!("/calendar?view=week&date={anchor}"),
        count: events.len(),
        count_text: t.arg("calendar-count", "count", &events.len().to_string()),
        feed,
        feed_created,
        feed_used,
        new_feed_url,
        chrome,
    })
}

pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    Ok(page(&state, &user, &q, None, None).await?.into_response())
}

pub async fn issue_feed(
    State(state): State<AppState>,
    user: User,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    let token = state.store.issue_calendar_feed(&user.caller()).await?;
    let url = format!("{}/feeds/calendar/{token}.ics", state.config.public_url.trim_end_matches('/'));
    Ok(page(&state, &user, &CalendarQuery::default(), Some(url), None).await?.into_response())
}

pub async fn revoke_feed(
    State(state): State<AppState>,
    user: User,
    CsrfForm(_body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::ViewProcedures)?;
    match state.store.revoke_calendar_feed(&user.caller()).await {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e.into()),
    }
    let notice = Some(user.ctx.t().get("calendar-feed-revoked"));
    Ok(page(&state, &user, &CalendarQuery::default(), None, notice).await?.into_response())
}

/// `/feeds/calendar/{token}.ics`: the account's meetings as iCalendar, read with its rights of today. A wrong or
/// revoked address answers 404 with no body worth reading; too many of them from one client, 429 (the store's throttle).
pub async fn feed(State(state): State<AppState>, Path(token): Path<String>, parts: Parts) -> Response {
    let address = crate::client::address(&parts, &state.config.trusted_proxies);
    let not_found =
        || (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "404").into_response();
    let Some(token) = token.strip_suffix(".ics") else { return not_found() };
    let now = state.store.now();
    let from = now.checked_sub(SignedDuration::from_hours(24 * FEED_DAYS_BACK)).unwrap_or(now);
    let to = now.checked_add(SignedDuration::from_hours(24 * FEED_DAYS_AHEAD)).unwrap_or(now);
    let events = match state.store.calendar_feed(token, Some(address), from, to).await {
        Ok(events) => events,
        Err(StoreError::NotFound) => return not_found(),
        // Too many wrong addresses from this client: it may ask again later (RFC 6585).
        Err(StoreError::AuthFailed { locked_until }) => {
            let wait = locked_until.map_or(60, |u| u.duration_since(now).as_secs().max(1));
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                    (header::RETRY_AFTER, wait.to_string()),
                ],
                "429",
            )
                .into_response();
        }
        Err(e) => {
            let id = crate::error::log_internal(&e);
            return (StatusCode::INTERNAL_SERVER_ERROR, format!("error {id}")).into_response();
        }
    };
    // The feed is read by calendar apps, not people: Polish titles, the language of the municipality's team.
    let t = crate::i18n::Tr::default();
    let (group, team) = (t.get("calendar-group-meeting"), t.get("calendar-team-meeting"));
    let base = state.config.public_url.trim_end_matches('/').to_owned();
    let urls: Vec<String> = events
        .iter()
        .map(|e| {
            let date = e.starts_at.to_zoned(zone()).date();
            format!("{base}/calendar?view=week&date={date}")
        })
        .collect();
    let feed = domain::ics::Feed {
        name: &t.get("calendar-feed-name"),
        stamp: now,
        events: events
            .iter()
            .zip(&urls)
            .map(|(e, url)| {
                let (summary, minutes) = match e.kind {
                    CalendarEventKind::GroupMeeting => (group.as_str(), GROUP_MEETING_MINUTES),
                    CalendarEventKind::TeamMeeting => (team.as_str(), TEAM_MEETING_MINUTES),
                };
                domain::ics::FeedEvent {
                    uid: e.id,
                    start: e.starts_at,
                    end: e.starts_at.checked_add(SignedDuration::from_mins(minutes)).unwrap_or(e.starts_at),
                    summary,
                    url,
                }
            })
            .collect(),
    }
    .to_ics();
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"ostoja.ics\""),
        ],
        feed,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use jiff::civil::Weekday;

    use super::*;

    #[test]
    fn a_week_starts_on_monday() {
        let sunday: Date = "2026-12-06".parse().unwrap();
        assert_eq!(monday_of(sunday).to_string(), "2026-11-30");
        let monday: Date = "2026-12-07".parse().unwrap();
        assert_eq!(monday_of(monday), monday);
        assert_eq!(monday_of(monday).weekday(), Weekday::Monday);
    }
}
