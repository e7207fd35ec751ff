//! The team's own pages: its members and order (`/team`) with their training histories and the coordinators per
//! area, its working groups (`/team/working-groups`), its meetings (`/team/meetings`), the letters after 3
//! unexcused absences (`/team/letters`), the recommendations to the mayor (`/team/recommendations`), the projects and
//! co-financed programmes (`/team/projects`), its rules, standards for institutions and agreements with them
//! (`/team/rules`, `/team/standards`, `/team/agreements`), the directory of help (`/directory`), the register of prevention and
//! training activities (`/activities`), and the public directory page `/pomoc` (public.rs: no login, no cookies).

pub mod accessibility;
pub mod activities;
pub mod agreements;
pub mod declarations;
pub mod directory;
pub mod meetings;
pub mod members;
pub mod projects;
pub mod public;
pub mod recommendations;
pub mod rules;
pub mod working_groups;

use axum::routing::{get, post};
use domain::FieldErrors;
use jiff::civil::Date;

use crate::i18n::Tr;
use crate::page::FormState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/team", get(members::overview))
        .route("/team/orders", post(members::create_order))
        .route("/team/declarations", get(declarations::list).post(declarations::record))
        .route("/team/members/new", get(members::new_form).post(members::create))
        .route("/team/members/{id}", get(members::edit_form).post(members::update))
        .route("/team/members/{id}/trainings", get(members::trainings).post(members::add_training))
        .route("/team/members/{id}/trainings/{training}/delete", post(members::remove_training))
        .route("/team/working-groups", get(working_groups::list).post(working_groups::create))
        .route("/team/working-groups/{id}", get(working_groups::show).post(working_groups::update))
        .route("/team/working-groups/{id}/tasks", post(working_groups::add_task))
        .route("/team/working-groups/{id}/tasks/{task}", post(working_groups::update_task))
        .route("/team/working-groups/{id}/meetings", post(working_groups::record_meeting))
        .route("/team/meetings", get(meetings::list).post(meetings::plan))
        .route("/team/meetings/{id}", get(meetings::show).post(meetings::update))
        .route("/team/meetings/{id}/notice", post(meetings::notice))
        .route("/team/meetings/{id}/held", post(meetings::hold))
        .route("/team/meetings/{id}/cancel", post(meetings::cancel))
        .route("/team/meetings/{id}/minutes.pdf", get(meetings::minutes_pdf))
        .route("/team/letters", get(meetings::letters))
        .route("/team/recommendations", get(recommendations::list).post(recommendations::create))
        .route("/team/recommendations/{id}", get(recommendations::edit_form).post(recommendations::update))
        .route("/team/recommendations/letter/{file}", get(recommendations::letter))
        .route("/team/projects", get(projects::list).post(projects::create))
        .route("/team/projects/{id}", get(projects::edit_form).post(projects::update))
        .route("/team/rules", get(rules::rules).post(rules::create_rules))
        .route("/team/rules/versions", post(rules::add_rules_version))
        .route("/team/standards", get(rules::standards).post(rules::create_standard))
        .route("/team/standards/{id}", get(rules::standard))
        .route("/team/standards/{id}/versions", post(rules::add_standard_version))
        .route("/team/standards/{id}/acknowledgements", post(rules::acknowledge))
        .route("/team/agreements", get(agreements::list).post(agreements::create))
        .route("/team/agreements/{id}", get(agreements::edit_form).post(agreements::update))
        .route("/directory", get(directory::list))
        .route("/directory/new", get(directory::new_form).post(directory::create))
        .route("/directory/{id}", get(directory::edit_form).post(directory::update))
        .route("/directory/{id}/archive", post(directory::archive))
        .route("/activities", get(activities::list).post(activities::create))
        .route("/activities/{id}", get(activities::edit_form).post(activities::update))
        .route("/activities/{id}/delete", post(activities::delete))
        .route("/accessibility-statement", get(accessibility::edit_form).post(accessibility::save))
}

/// A form's raw fields kept for re-rendering, with the errors beside them; repeated keys are joined by commas (so
/// `FormState::checked` finds checkbox values).
pub(crate) fn kept(body: &[(String, String)], errors: Option<&FieldErrors>, t: &Tr) -> FormState {
    let mut joined: Vec<(String, String)> = Vec::new();
    for (k, v) in body {
        if k == "csrf" {
            continue;
        }
        match joined.iter_mut().find(|(key, _)| key == k) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            None => joined.push((k.clone(), v.clone())),
        }
    }
    let mut form = FormState::new();
    for (k, v) in &joined {
        form = form.with(k, v);
    }
    match errors {
        Some(e) => form.with_errors(e, t),
        None => form,
    }
}

/// A date as pages show it (DD.MM.RRRR).
pub(crate) fn day(d: Date) -> String {
    d.strftime("%d.%m.%Y").to_string()
}

pub(crate) fn opt_day(d: Option<Date>) -> String {
    d.map(day).unwrap_or_else(|| "—".to_owned())
}

/// An instant as pages show it, in Poland.
pub(crate) fn when(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%d.%m.%Y %H:%M").to_string()
}

/// The instant as a `datetime-local` value.
pub(crate) fn local_input(t: jiff::Timestamp) -> String {
    t.to_zoned(domain::calendar::poland_zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// A year from the query, or the current one with the reason it was not taken.
pub(crate) fn year_of(raw: Option<&str>, this_year: i16, t: &Tr) -> (i16, Option<String>) {
    match raw.map(str::trim).filter(|y| !y.is_empty()) {
        None => (this_year, None),
        Some(raw) => match raw.parse::<i16>() {
            Ok(y) if (2005..=9998).contains(&y) => (y, None),
            _ => (this_year, Some(t.get("err-year-format"))),
        },
    }
}

pub(crate) fn version_of(body: &[(String, String)]) -> i64 {
    crate::page::field(body, "version").trim().parse().unwrap_or(-1)
}
