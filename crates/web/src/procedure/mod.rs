//! The Blue Card procedure's pages: the case list, form A, the procedure page.

pub mod actions;
pub mod case_form;
pub mod clock_settings;
pub mod closing;
pub mod documents;
pub mod drafts;
pub mod form;
pub mod form_a;
pub mod form_a2011;
pub mod grants;
pub mod group;
pub mod intake;
pub mod list;
pub mod owner;
pub mod records;
pub mod referral;
pub mod release;
pub mod seal;
pub mod show;
pub mod timeliness;
pub mod transfer;

use axum::routing::get;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/procedures", get(list::show))
        .route("/procedures/export", get(list::export))
        .route("/procedures/search", axum::routing::post(list::search))
        .route("/procedures/new", get(form_a::show).post(form_a::submit))
        .route(form_a2011::PATH, get(form_a2011::show).post(form_a2011::submit))
        .route("/procedures/import", get(transfer::import_form).post(transfer::import))
        .route("/procedures/forwarded", get(intake::forwarded))
        .route("/procedures/intakes", get(intake::list))
        .route("/procedures/intakes/{id}", axum::routing::post(intake::resolve))
        .route("/procedures/emergency", get(grants::emergency_form).post(grants::emergency_submit))
        .route("/procedures/{id}", get(show::show))
        .route("/procedures/{id}/grants", axum::routing::post(grants::grant))
        .route("/procedures/{id}/grants/{grant}/end", axum::routing::post(grants::end))
        .route("/procedures/{id}/group", axum::routing::post(actions::appoint_group))
        .route("/procedures/{id}/group/extend", axum::routing::post(group::extend))
        .route("/procedures/{id}/group/replace", axum::routing::post(group::replace))
        .route("/procedures/{id}/group/coordinator", axum::routing::post(group::coordinator))
        .route("/procedures/{id}/seals", axum::routing::post(seal::seal))
        .route("/procedures/{id}/release", get(release::form).post(release::submit))
        .route("/procedures/{id}/seals/{seal}/unseal", axum::routing::post(seal::unseal))
        .route("/procedures/{id}/command", axum::routing::post(actions::command))
        .route("/procedures/{id}/close", get(closing::show).post(closing::submit))
        .route("/procedures/{id}/close/undo", axum::routing::post(closing::undo))
        .route("/procedures/{id}/forms/{kind}", get(case_form::show).post(case_form::submit))
        .route("/procedures/{id}/records/new/{kind}", get(records::new_form).post(records::create))
        .route("/procedures/{id}/records/{record}/edit", get(records::edit_form).post(records::update))
        .route("/procedures/{id}/records/{record}/minutes", get(records::minutes_form).post(records::hold))
        .route("/procedures/{id}/records/{record}/cancel", axum::routing::post(records::cancel))
        .route("/procedures/{id}/transfer", axum::routing::post(transfer::export))
        .route("/procedures/{id}/transfer/{transfer}/file", get(transfer::file))
        .route("/timeliness", get(timeliness::show))
        .route("/timeliness/settings", get(clock_settings::show).post(clock_settings::save))
        .route("/procedures/{id}/referrals", get(referral::show).post(referral::request))
        .route("/procedures/{id}/referrals/{referral}", axum::routing::post(referral::step))
        .route(
            "/procedures/{id}/referrals/{referral}/county-reference",
            axum::routing::post(referral::county_reference),
        )
        .route("/procedures/{id}/documents/forms/{form}", get(documents::form))
        .route("/procedures/{id}/documents/form-b/{lang}", get(documents::form_b))
        .route("/procedures/{id}/documents/minutes/{record}", get(documents::minutes))
        .route("/procedures/{id}/documents/plan.pdf", get(documents::plan))
        .route("/procedures/{id}/documents/case-file.pdf", get(documents::case_file))
}

/// The Polish name of a phase, for pages.
pub fn phase_label(t: &crate::i18n::Tr, phase: &str) -> String {
    t.get(&format!("phase-{phase}"))
}
