//! Every route × every role: the router's own table of routes (pages and API) against the expected gate of each,
//! allowed or refused as the permission table in `domain::identity` says, and a refused request leaves no trace.

use domain::identity::Permission::{self, *};
use domain::identity::{Role, RoleSet};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, client, csrf_of, location};
use crate::procedures::{form_a, open_case};

/// What lets a request through to its handler.
#[derive(Clone, Copy, Debug)]
enum Gate {
    /// No account: the login flow, the probes, static files, the public directory of help.
    Public,
    /// Any valid bearer token (the API's own-account routes, which hold nothing beyond the caller's account).
    AnyToken,
    /// One permission of the table in `domain::identity`.
    Needs(Permission),
    /// Any one of these permissions.
    AnyOf(&'static [Permission]),
}

use Gate::*;

/// The expected gate of every route the router registers. A route added without a line here fails
/// [`every_registered_route_has_an_expected_gate`].
const EXPECTED: &[(&str, &str, Gate)] = &[
    // Probes, static files, language switch, the public directory of help.
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/metrics", Public),
    ("GET", "/static/{*path}", Public),
    ("GET", "/lang/{code}", Public),
    ("GET", "/pomoc", Public),
    ("GET", "/pomoc/{teryt}", Public),
    ("GET", "/pomoc/{teryt}/eksport.csv", Public),
    ("GET", "/pomoc/{teryt}/eksport.json", Public),
    ("GET", "/pomoc/zasoby/{*path}", Public),
    ("GET", "/pomoc/{teryt}/deklaracja-dostepnosci", Public),
    ("GET", "/deklaracja-dostepnosci", Public),
    // The calendar feed: its secret address is the credential (a wrong one answers 404).
    ("GET", "/feeds/calendar/{token}", Public),
    ("GET", "/api/v1/openapi.json", Public),
    // The way in: each checks its own stage of the session or its one-time link.
    ("GET", "/login", Public),
    ("POST", "/login", Public),
    ("GET", "/login/second-factor", Public),
    ("POST", "/login/second-factor", Public),
    ("GET", "/enrol", Public),
    ("POST", "/enrol", Public),
    ("POST", "/logout", Public),
    ("GET", "/setup/{token}", Public),
    ("POST", "/setup/{token}", Public),
    ("GET", "/activate/{token}", Public),
    ("POST", "/activate/{token}", Public),
    // One's own account.
    ("GET", "/", Needs(ViewDashboard)),
    ("GET", "/account/password", Needs(ViewOwnAccount)),
    ("POST", "/account/password", Needs(ViewOwnAccount)),
    ("GET", "/account/settings", Needs(ViewOwnAccount)),
    ("POST", "/account/settings", Needs(ViewOwnAccount)),
    ("GET", "/account/tokens", Needs(ViewOwnAccount)),
    ("POST", "/account/tokens", Needs(ViewOwnAccount)),
    ("POST", "/account/tokens/{id}/revoke", Needs(ViewOwnAccount)),
    ("GET", "/account/approvals", Needs(ViewOwnAccount)),
    ("POST", "/account/approvals/{id}/{decision}", Needs(ViewOwnAccount)),
    ("GET", "/notifications", Needs(ViewOwnAccount)),
    ("GET", "/calendar", Needs(ViewProcedures)),
    ("POST", "/calendar/feed", Needs(ViewProcedures)),
    ("POST", "/calendar/feed/revoke", Needs(ViewProcedures)),
    ("GET", "/accessibility-statement", Needs(ManageDirectory)),
    ("POST", "/accessibility-statement", Needs(ManageDirectory)),
    ("POST", "/notifications/read", Needs(ViewOwnAccount)),
    ("GET", "/api/v1/me", AnyToken),
    ("GET", "/api/v1/me/tokens", AnyToken),
    ("POST", "/api/v1/me/tokens/{id}/revoke", AnyToken),
    ("GET", "/api/v1/notifications", Needs(ViewOwnAccount)),
    ("POST", "/api/v1/notifications/read", Needs(ViewOwnAccount)),
    // The installation and the municipality's accounts.
    ("GET", "/admin/tenants", Needs(ManageTenants)),
    ("POST", "/admin/tenants", Needs(ManageTenants)),
    ("GET", "/admin/tenants/{teryt}/institutions", Needs(ManageInstitutions)),
    ("POST", "/admin/tenants/{teryt}/institutions", Needs(ManageInstitutions)),
    ("POST", "/admin/tenants/{teryt}/institutions/{id}/remove", Needs(ManageInstitutions)),
    ("GET", "/admin/tenants/{teryt}/accounts", Needs(ManageAccounts)),
    ("POST", "/admin/tenants/{teryt}/accounts", Needs(ManageAccounts)),
    ("POST", "/admin/tenants/{teryt}/accounts/{id}/{action}", Needs(ManageAccounts)),
    ("GET", "/team/accounts", Needs(ManageTeamAccounts)),
    ("POST", "/team/accounts", Needs(ManageTeamAccounts)),
    ("POST", "/team/accounts/{id}/{action}", Needs(ManageTeamAccounts)),
    ("GET", "/api/v1/tenants", Needs(ManageTenants)),
    ("POST", "/api/v1/tenants", Needs(ManageTenants)),
    // The own team's institutions, or any municipality's for the administrator.
    ("GET", "/api/v1/tenants/{teryt}/institutions", AnyOf(&[ViewTeamDirectory, ManageInstitutions])),
    ("POST", "/api/v1/tenants/{teryt}/institutions", Needs(ManageInstitutions)),
    // The audit trail and the data protection officer's registers.
    ("GET", "/audit", Needs(ReadAuditTrail)),
    ("GET", "/audit/failed-logins", Needs(ReadAuditTrail)),
    ("GET", "/audit/break-glass", Needs(ReadAuditTrail)),
    ("POST", "/audit/break-glass/{grant}/review", Needs(ReadAuditTrail)),
    ("GET", "/audit/register", Needs(ReadAuditTrail)),
    ("GET", "/audit/register/export", Needs(ReadAuditTrail)),
    ("GET", "/audit/retention", Needs(ReadAuditTrail)),
    ("POST", "/audit/retention/settings", Needs(ReadAuditTrail)),
    ("POST", "/audit/retention/erase", Needs(ReadAuditTrail)),
    ("GET", "/api/v1/break-glass", Needs(ReadAuditTrail)),
    ("POST", "/api/v1/break-glass/{grant}/review", Needs(ReadAuditTrail)),
    // Procedures: the list, opening, intake, emergency access.
    ("GET", "/procedures", Needs(ViewProcedures)),
    ("GET", "/procedures/export", Needs(ViewProcedures)),
    ("POST", "/procedures/search", Needs(ViewProcedures)),
    ("GET", "/deadlines", Needs(ViewProcedures)),
    // A new team's first steps (issue 16 item 11).
    ("GET", "/start", Needs(ManageTeam)),
    ("GET", "/procedures/new", Needs(OpenProcedure)),
    ("POST", "/procedures/new", Needs(OpenProcedure)),
    ("GET", "/procedures/new-2011", Needs(ManageProcedures)),
    ("POST", "/procedures/new-2011", Needs(ManageProcedures)),
    ("GET", "/procedures/import", Needs(ManageProcedures)),
    ("POST", "/procedures/import", Needs(ManageProcedures)),
    ("GET", "/procedures/forwarded", Needs(OpenProcedure)),
    ("GET", "/procedures/intakes", Needs(ManageProcedures)),
    ("POST", "/procedures/intakes/{id}", Needs(ManageProcedures)),
    ("GET", "/procedures/emergency", Needs(BreakGlass)),
    ("POST", "/procedures/emergency", Needs(BreakGlass)),
    ("GET", "/timeliness", Needs(ManageProcedures)),
    ("GET", "/timeliness/settings", Needs(ManageProcedures)),
    // The deadlines of the whole municipality: the chair alone changes them.
    ("POST", "/timeliness/settings", Needs(ChairDecisions)),
    ("GET", "/api/v1/procedures", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures", Needs(OpenProcedure)),
    ("POST", "/api/v1/procedures/search", Needs(ViewProcedures)),
    ("GET", "/api/v1/procedures/intakes", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/intakes/{id}", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/emergency", Needs(BreakGlass)),
    ("POST", "/api/v1/procedures/import", Needs(ManageProcedures)),
    ("GET", "/api/v1/timeliness", Needs(ManageProcedures)),
    ("GET", "/api/v1/record-definitions/{kind}", Needs(ViewProcedures)),
    // One case: the permission first, then need-to-know on the case (`{id}` is a real case).
    ("GET", "/procedures/{id}", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/grants", Needs(GrantCaseAccess)),
    ("POST", "/procedures/{id}/grants/{grant}/end", Needs(GrantCaseAccess)),
    ("GET", "/procedures/{id}/release", Needs(GrantCaseAccess)),
    ("POST", "/procedures/{id}/release", Needs(GrantCaseAccess)),
    ("POST", "/procedures/{id}/group", Needs(ManageProcedures)),
    ("POST", "/procedures/{id}/group/extend", Needs(ManageProcedures)),
    ("POST", "/procedures/{id}/group/replace", Needs(ManageProcedures)),
    ("POST", "/procedures/{id}/group/coordinator", Needs(ManageProcedures)),
    ("POST", "/procedures/{id}/seals", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/seals/{seal}/unseal", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/command", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/close", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/close", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/close/undo", Needs(ChairDecisions)),
    ("GET", "/procedures/{id}/forms/{kind}", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/forms/{kind}", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/records/new/{kind}", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/records/new/{kind}", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/records/{record}/edit", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/records/{record}/edit", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/records/{record}/minutes", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/records/{record}/minutes", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/records/{record}/cancel", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/transfer", Needs(ManageProcedures)),
    ("GET", "/procedures/{id}/transfer/{transfer}/file", Needs(ManageProcedures)),
    ("GET", "/procedures/{id}/referrals", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/referrals", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/referrals/{referral}", Needs(ViewProcedures)),
    ("POST", "/procedures/{id}/referrals/{referral}/county-reference", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/documents/forms/{form}", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/documents/form-b/{lang}", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/documents/minutes/{record}", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/documents/plan.pdf", Needs(ViewProcedures)),
    ("GET", "/procedures/{id}/documents/case-file.pdf", Needs(ViewProcedures)),
    ("GET", "/api/v1/procedures/{id}", Needs(ViewProcedures)),
    ("GET", "/api/v1/procedures/{id}/grants", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/grants", Needs(GrantCaseAccess)),
    ("POST", "/api/v1/procedures/{id}/grants/{grant}/end", Needs(GrantCaseAccess)),
    ("GET", "/api/v1/procedures/{id}/group", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/group", Needs(ManageProcedures)),
    ("GET", "/api/v1/procedures/{id}/group/candidates", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/group/extend", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/group/replace", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/group/coordinator", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/forms/{kind}", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/commands", Needs(ViewProcedures)),
    ("GET", "/api/v1/procedures/{id}/closing", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/close", Needs(ViewProcedures)),
    // Undoing a closing is the chair's (the store refuses anyone else; the API says so first).
    ("POST", "/api/v1/procedures/{id}/close/undo", Needs(ChairDecisions)),
    ("POST", "/api/v1/procedures/{id}/transfer", Needs(ManageProcedures)),
    ("POST", "/api/v1/procedures/{id}/records", Needs(ViewProcedures)),
    ("PUT", "/api/v1/procedures/{id}/records/{record}", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/records/{record}/minutes", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/records/{record}/cancel", Needs(ViewProcedures)),
    ("GET", "/api/v1/procedures/{id}/referrals", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/referrals", Needs(ViewProcedures)),
    ("POST", "/api/v1/procedures/{id}/referrals/{referral}/steps", Needs(ViewProcedures)),
    // The team's register, the directory of help, the activities.
    ("GET", "/team", Needs(ViewTeam)),
    ("POST", "/team/orders", Needs(ManageTeam)),
    ("GET", "/team/declarations", Needs(ManageTeam)),
    ("POST", "/team/declarations", Needs(ManageTeam)),
    ("GET", "/team/members/new", Needs(ManageTeam)),
    ("POST", "/team/members/new", Needs(ManageTeam)),
    ("GET", "/team/members/{id}", Needs(ManageTeam)),
    ("POST", "/team/members/{id}", Needs(ManageTeam)),
    ("GET", "/team/meetings", Needs(ViewTeam)),
    ("POST", "/team/meetings", Needs(ManageTeam)),
    ("GET", "/team/meetings/{id}", Needs(ViewTeam)),
    ("POST", "/team/meetings/{id}", Needs(ManageTeam)),
    ("POST", "/team/meetings/{id}/notice", Needs(ManageTeam)),
    ("POST", "/team/meetings/{id}/held", Needs(ManageTeam)),
    ("POST", "/team/meetings/{id}/cancel", Needs(ManageTeam)),
    ("GET", "/team/meetings/{id}/minutes.pdf", Needs(ViewTeam)),
    ("GET", "/team/letters", Needs(ManageTeam)),
    ("GET", "/directory", Needs(ViewHelpDirectory)),
    ("GET", "/directory/new", Needs(ManageDirectory)),
    ("POST", "/directory/new", Needs(ManageDirectory)),
    ("GET", "/directory/{id}", Needs(ManageDirectory)),
    ("POST", "/directory/{id}", Needs(ManageDirectory)),
    ("POST", "/directory/{id}/archive", Needs(ManageDirectory)),
    ("GET", "/team/recommendations", Needs(ManageTeam)),
    ("POST", "/team/recommendations", Needs(ManageTeam)),
    ("GET", "/team/recommendations/{id}", Needs(ManageTeam)),
    ("POST", "/team/recommendations/{id}", Needs(ManageTeam)),
    ("GET", "/team/recommendations/letter/{file}", Needs(ManageTeam)),
    ("GET", "/team/projects", Needs(ManageTeam)),
    ("POST", "/team/projects", Needs(ManageTeam)),
    ("GET", "/team/projects/{id}", Needs(ManageTeam)),
    ("POST", "/team/projects/{id}", Needs(ManageTeam)),
    ("GET", "/team/rules", Needs(ManageTeam)),
    ("POST", "/team/rules", Needs(ManageTeam)),
    ("POST", "/team/rules/versions", Needs(ManageTeam)),
    ("GET", "/team/standards", Needs(ManageTeam)),
    ("POST", "/team/standards", Needs(ManageTeam)),
    ("GET", "/team/standards/{id}", Needs(ManageTeam)),
    ("POST", "/team/standards/{id}/versions", Needs(ManageTeam)),
    ("POST", "/team/standards/{id}/acknowledgements", Needs(ManageTeam)),
    ("GET", "/team/agreements", Needs(ManageTeam)),
    ("POST", "/team/agreements", Needs(ManageTeam)),
    ("GET", "/team/agreements/{id}", Needs(ManageTeam)),
    ("POST", "/team/agreements/{id}", Needs(ManageTeam)),
    // Members' qualifications and the working groups (issue 18 items 6–7): a working group's pages take any team
    // account; the store answers "not found" unless it is the staff's or the account's own group.
    ("GET", "/team/members/{id}/trainings", Needs(ManageTeam)),
    ("POST", "/team/members/{id}/trainings", Needs(ManageTeam)),
    ("POST", "/team/members/{id}/trainings/{training}/delete", Needs(ManageTeam)),
    ("GET", "/team/working-groups", Needs(ViewTeamDirectory)),
    ("POST", "/team/working-groups", Needs(ManageTeam)),
    ("GET", "/team/working-groups/{id}", Needs(ViewTeamDirectory)),
    ("POST", "/team/working-groups/{id}", Needs(ViewTeamDirectory)),
    ("POST", "/team/working-groups/{id}/tasks", Needs(ViewTeamDirectory)),
    ("POST", "/team/working-groups/{id}/tasks/{task}", Needs(ViewTeamDirectory)),
    ("POST", "/team/working-groups/{id}/meetings", Needs(ViewTeamDirectory)),
    ("GET", "/activities", Needs(ManageActivities)),
    ("POST", "/activities", Needs(ManageActivities)),
    ("GET", "/activities/{id}", Needs(ManageActivities)),
    ("POST", "/activities/{id}", Needs(ManageActivities)),
    ("POST", "/activities/{id}/delete", Needs(ManageActivities)),
    ("GET", "/api/v1/team/orders", Needs(ViewTeam)),
    ("POST", "/api/v1/team/orders", Needs(ManageTeam)),
    ("GET", "/api/v1/team/declarations", Needs(ManageTeam)),
    ("POST", "/api/v1/team/declarations", Needs(ManageTeam)),
    ("GET", "/api/v1/team/members", Needs(ViewTeam)),
    ("POST", "/api/v1/team/members", Needs(ManageTeam)),
    ("PUT", "/api/v1/team/members/{id}", Needs(ManageTeam)),
    ("GET", "/api/v1/team/meetings", Needs(ViewTeam)),
    ("POST", "/api/v1/team/meetings", Needs(ManageTeam)),
    ("GET", "/api/v1/team/meetings/{id}", Needs(ViewTeam)),
    ("PUT", "/api/v1/team/meetings/{id}", Needs(ManageTeam)),
    ("POST", "/api/v1/team/meetings/{id}/notice", Needs(ManageTeam)),
    ("POST", "/api/v1/team/meetings/{id}/held", Needs(ManageTeam)),
    ("POST", "/api/v1/team/meetings/{id}/cancel", Needs(ManageTeam)),
    ("GET", "/api/v1/team/absence-letters", Needs(ManageTeam)),
    ("GET", "/api/v1/directory", Needs(ViewHelpDirectory)),
    ("POST", "/api/v1/directory", Needs(ManageDirectory)),
    ("PUT", "/api/v1/directory/{id}", Needs(ManageDirectory)),
    ("POST", "/api/v1/directory/{id}/archive", Needs(ManageDirectory)),
    ("GET", "/api/v1/recommendations", Needs(ManageTeam)),
    ("POST", "/api/v1/recommendations", Needs(ManageTeam)),
    ("GET", "/api/v1/recommendations/{id}", Needs(ManageTeam)),
    ("PUT", "/api/v1/recommendations/{id}", Needs(ManageTeam)),
    ("GET", "/api/v1/projects", Needs(ManageTeam)),
    ("POST", "/api/v1/projects", Needs(ManageTeam)),
    ("GET", "/api/v1/projects/{id}", Needs(ManageTeam)),
    ("PUT", "/api/v1/projects/{id}", Needs(ManageTeam)),
    ("GET", "/api/v1/team/members/{id}/trainings", Needs(ViewTeam)),
    ("POST", "/api/v1/team/members/{id}/trainings", Needs(ManageTeam)),
    ("DELETE", "/api/v1/team/members/{id}/trainings/{training}", Needs(ManageTeam)),
    ("GET", "/api/v1/team/coordinators", Needs(ViewTeam)),
    ("GET", "/api/v1/team/rules", Needs(ManageTeam)),
    ("POST", "/api/v1/team/rules", Needs(ManageTeam)),
    ("POST", "/api/v1/team/rules/versions", Needs(ManageTeam)),
    ("GET", "/api/v1/team/standards", Needs(ManageTeam)),
    ("POST", "/api/v1/team/standards", Needs(ManageTeam)),
    ("GET", "/api/v1/team/standards/{id}", Needs(ManageTeam)),
    ("POST", "/api/v1/team/standards/{id}/versions", Needs(ManageTeam)),
    ("POST", "/api/v1/team/standards/{id}/acknowledgements", Needs(ManageTeam)),
    ("GET", "/api/v1/team/agreements", Needs(ManageTeam)),
    ("POST", "/api/v1/team/agreements", Needs(ManageTeam)),
    ("GET", "/api/v1/team/agreements/{id}", Needs(ManageTeam)),
    ("PUT", "/api/v1/team/agreements/{id}", Needs(ManageTeam)),
    ("GET", "/api/v1/team/working-groups", Needs(ViewTeamDirectory)),
    ("POST", "/api/v1/team/working-groups", Needs(ManageTeam)),
    ("GET", "/api/v1/team/working-groups/{id}", Needs(ViewTeamDirectory)),
    ("PUT", "/api/v1/team/working-groups/{id}", Needs(ViewTeamDirectory)),
    ("POST", "/api/v1/team/working-groups/{id}/tasks", Needs(ViewTeamDirectory)),
    ("PUT", "/api/v1/team/working-groups/{id}/tasks/{task}", Needs(ViewTeamDirectory)),
    ("POST", "/api/v1/team/working-groups/{id}/meetings", Needs(ViewTeamDirectory)),
    ("PUT", "/api/v1/team/working-groups/{id}/meetings/{meeting}", Needs(ViewTeamDirectory)),
    ("GET", "/api/v1/activities", Needs(ManageActivities)),
    ("POST", "/api/v1/activities", Needs(ManageActivities)),
    ("PUT", "/api/v1/activities/{id}", Needs(ManageActivities)),
    ("DELETE", "/api/v1/activities/{id}", Needs(ManageActivities)),
    // The municipal programme and the statutory set: figures, never persons.
    ("GET", "/programme", AnyOf(&[ViewAggregates, EnterIndicators, ManageProgramme])),
    ("GET", "/programme/indicators", Needs(ViewAggregates)),
    ("GET", "/programme/indicators/{year}/{key}", Needs(ManageProgramme)),
    ("GET", "/programme/diagnosis", AnyOf(&[ViewAggregates, EnterIndicators])),
    ("GET", "/programme/diagnosis/pdf", AnyOf(&[ViewAggregates, EnterIndicators])),
    ("GET", "/programme/diagnosis/odt", Needs(ManageProgramme)),
    ("GET", "/programme/outcomes", Needs(ViewAggregates)),
    ("GET", "/programme/outcomes/{year}/{figure}", Needs(ManageProgramme)),
    // The county's and region's page of its municipalities' reports (issue 17).
    ("GET", "/area", Needs(ViewAreaFigures)),
    ("GET", "/area/{year}/json", Needs(ViewAreaFigures)),
    ("GET", "/area/{year}/xlsx", Needs(ViewAreaFigures)),
    ("POST", "/area/{year}/return", Needs(ReturnSubmissions)),
    ("POST", "/area/{year}/approve", Needs(ApproveRegionalReport)),
    ("GET", "/area/keys", Needs(ManagePackageKeys)),
    ("POST", "/area/keys", Needs(ManagePackageKeys)),
    ("GET", "/area/keys/{fingerprint}/revoke", Needs(ManagePackageKeys)),
    ("POST", "/area/keys/{fingerprint}/revoke", Needs(ManagePackageKeys)),
    ("GET", "/area/programmes", Needs(ManageCountyProgrammes)),
    ("POST", "/area/programmes/editions", Needs(ManageCountyProgrammes)),
    ("POST", "/area/programmes/editions/{id}", Needs(ManageCountyProgrammes)),
    ("POST", "/area/programmes/certificates", Needs(ManageCountyProgrammes)),
    // The regional cooperation platform (issue 17 item 7): the store decides what each level reads of it.
    ("GET", "/region", Needs(ViewPlatform)),
    ("POST", "/region/announcements", Needs(ManagePlatform)),
    ("POST", "/region/announcements/{id}/dismiss", Needs(ViewDashboard)),
    ("GET", "/region/group", Needs(ViewPlatform)),
    ("POST", "/region/group", Needs(ManagePlatform)),
    ("GET", "/region/group/{id}", Needs(ManagePlatform)),
    ("POST", "/region/group/{id}", Needs(ManagePlatform)),
    ("GET", "/region/meetings", Needs(ViewPlatform)),
    ("POST", "/region/meetings", Needs(ManagePlatform)),
    ("GET", "/region/meetings/{id}", Needs(ViewPlatform)),
    ("POST", "/region/meetings/{id}", Needs(ManagePlatform)),
    ("GET", "/region/library", Needs(ViewPlatform)),
    ("POST", "/region/library", Needs(ManagePlatform)),
    ("GET", "/region/difficulties", Needs(ViewPlatform)),
    ("POST", "/region/difficulties", Needs(RaiseDifficulty)),
    ("GET", "/region/difficulties/{id}", Needs(ViewPlatform)),
    ("POST", "/region/difficulties/{id}", Needs(ManagePlatform)),
    ("GET", "/api/v1/region/library", Needs(ViewPlatform)),
    ("GET", "/api/v1/region/difficulties", Needs(ViewPlatform)),
    ("POST", "/api/v1/region/difficulties", Needs(RaiseDifficulty)),
    ("GET", "/programme/statutory", Needs(ViewAggregates)),
    ("GET", "/programme/statutory/{year}/csv", Needs(ViewAggregates)),
    ("GET", "/programme/statutory/{year}/xlsx", Needs(ViewAggregates)),
    ("POST", "/programme/statutory/{year}/entry", AnyOf(&[ManageProgramme, EnterIndicators])),
    ("POST", "/programme/statutory/{year}/approve", Needs(ChairDecisions)),
    ("GET", "/programme/statutory/package", Needs(ChairDecisions)),
    ("GET", "/programme/statutory/package/download", Needs(ChairDecisions)),
    ("POST", "/programme/statutory/package/key", Needs(ChairDecisions)),
    ("GET", "/programme/statutory/{year}/gaps", Needs(ManageProgramme)),
    ("GET", "/programme/{id}/report/{year}", AnyOf(&[ViewAggregates, ManageProgramme])),
    ("POST", "/programme/{id}/report/{year}", Needs(ManageProgramme)),
    ("GET", "/programme/{id}/entries/{year}", Needs(EnterIndicators)),
    ("POST", "/programme/{id}/entries/{year}", Needs(EnterIndicators)),
    ("GET", "/programme/{id}/missing/{year}", Needs(ViewAggregates)),
    ("POST", "/programme/{id}/missing/{year}", Needs(ManageProgramme)),
    // The programme written and amended in the browser (issue 16 item 6).
    ("GET", "/programme/new", Needs(ManageProgramme)),
    ("POST", "/programme/new", Needs(ManageProgramme)),
    ("GET", "/programme/{id}", AnyOf(&[ViewAggregates, ManageProgramme])),
    ("GET", "/programme/{id}/amend", Needs(ManageProgramme)),
    ("POST", "/programme/{id}/amend", Needs(ManageProgramme)),
    ("GET", "/api/v1/indicators/{year}", Needs(ViewAggregates)),
    ("GET", "/api/v1/indicators/{year}/{key}/records", Needs(ManageProgramme)),
    ("GET", "/api/v1/programmes", AnyOf(&[ViewAggregates, EnterIndicators, ManageProgramme])),
    ("POST", "/api/v1/programmes", Needs(ManageProgramme)),
    ("GET", "/api/v1/programmes/{id}", AnyOf(&[ViewAggregates, EnterIndicators, ManageProgramme])),
    ("POST", "/api/v1/programmes/{id}/versions", Needs(ManageProgramme)),
    ("GET", "/api/v1/programmes/{id}/entries/{year}", Needs(EnterIndicators)),
    ("PUT", "/api/v1/programmes/{id}/entries/{year}/{indicator}", Needs(EnterIndicators)),
    ("GET", "/api/v1/programmes/{id}/missing/{year}", Needs(ViewAggregates)),
    ("POST", "/api/v1/programmes/{id}/missing/{year}/reminders", Needs(ManageProgramme)),
    ("GET", "/api/v1/programmes/{id}/report/{year}", Needs(ViewAggregates)),
    ("PUT", "/api/v1/programmes/{id}/report/{year}/narrative/{node}", Needs(ManageProgramme)),
    ("GET", "/api/v1/statutory/{year}", Needs(ViewAggregates)),
    ("PUT", "/api/v1/statutory/{year}/lines/{line}", AnyOf(&[ManageProgramme, EnterIndicators])),
    ("POST", "/api/v1/statutory/{year}/approvals", Needs(ChairDecisions)),
    // A pushed statutory package: its push token is the credential (an API token or none answers 401).
    ("POST", "/api/v1/statutory/packages", Public),
];

/// Routes that may refuse with "not found" instead of 403, by design: another municipality's team does not learn
/// that a municipality or a programme exists.
/// The region's register of municipal keys answers anyone but the region's coordinator as if it did not exist.
const REFUSED_AS_NOT_FOUND: &[(&str, &str)] = &[
    ("GET", "/api/v1/tenants/{teryt}/institutions"),
    ("GET", "/api/v1/programmes/{id}"),
    ("GET", "/area/keys"),
    ("POST", "/area/keys"),
    ("GET", "/area/keys/{fingerprint}/revoke"),
    ("POST", "/area/keys/{fingerprint}/revoke"),
];

/// Routes whose form is multipart (a file): sent as such, so the extractor reads it and the handler decides.
const MULTIPART: &[(&str, &str)] = &[("POST", "/procedures/import")];

impl Gate {
    fn admits(self, role: Role) -> bool {
        let roles = RoleSet::new(vec![role]);
        match self {
            Public | AnyToken => true,
            Needs(p) => roles.permits(p),
            AnyOf(ps) => ps.iter().any(|p| roles.permits(*p)),
        }
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// A case route: `{id}` is the fixture's case, which only the team's staff may see.
fn is_case_route(path: &str) -> bool {
    path.starts_with("/procedures/{id}") || path.starts_with("/api/v1/procedures/{id}")
}

/// The path with real values: the case, the test municipality, an account, this year; any other id is one that
/// names nothing (an allowed role reaches the handler and is told "not found").
fn fill(template: &str, case: &str, teryt: &str, account: &str) -> String {
    let nothing = uuid::Uuid::now_v7().to_string();
    let mut path = template.to_owned();
    let case_param = is_case_route(template);
    for (param, value) in [
        ("{*path}", "missing.css"),
        ("{code}", "pl"),
        ("{teryt}", teryt),
        ("{token}", "0000000000000000000000000000000000000000000000000000000000000000"),
        ("{year}", "2026"),
        ("{key}", "cases_opened"),
        ("{form}", "a"),
        ("{lang}", "pl"),
        ("{decision}", "approve"),
        ("{action}", "reset-password"),
        ("{line}", "1"),
        ("{node}", "1"),
        ("{indicator}", "1"),
        ("{figure}", "closed"),
        ("{file}", "2026.pdf"),
        ("{fingerprint}", "0000000000000000000000000000000000000000000000000000000000000000"),
    ] {
        path = path.replace(param, value);
    }
    if case_param {
        path = path.replacen("{id}", case, 1);
        path = path.replace("{kind}", if template.contains("/records/") { "meeting" } else { "c" });
    } else if template.starts_with("/admin/tenants/{teryt}/accounts/") || template.starts_with("/team/accounts/") {
        path = path.replace("{id}", account);
    }
    path = path.replace("{kind}", "meeting");
    for param in
        ["{id}", "{grant}", "{seal}", "{record}", "{transfer}", "{referral}", "{training}", "{task}", "{meeting}"]
    {
        path = path.replace(param, &nothing);
    }
    assert!(!path.contains('{'), "a parameter left unfilled in {template}: {path}");
    // A deletion names the version it read, in the query.
    if template == "/api/v1/activities/{id}" {
        path.push_str("?version=1");
    }
    path
}

#[test]
fn every_registered_route_has_an_expected_gate() {
    let registered: std::collections::BTreeSet<(String, String)> =
        web::route_table().into_iter().map(|r| (r.method, r.path)).collect();
    let expected: std::collections::BTreeSet<(String, String)> =
        EXPECTED.iter().map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned())).collect();
    assert_eq!(EXPECTED.len(), expected.len(), "a route is listed twice in EXPECTED");
    let unlisted: Vec<_> = registered.difference(&expected).collect();
    let gone: Vec<_> = expected.difference(&registered).collect();
    assert!(
        unlisted.is_empty() && gone.is_empty(),
        "routes without an expected gate: {unlisted:?}; listed but not registered: {gone:?}"
    );
}

/// A body of the right shape for a JSON route, from its OpenAPI schema: every required field with a value of its
/// type (the first of an enumeration), so the body is read and the handler's own checks decide. The values mean
/// nothing, so an admitted role is refused by the handler's validation at worst.
fn request_body(doc: &Value, method: &str, template: &str) -> Value {
    // Fields documented only as `Object` (a tagged command or step, the programme's content): shaped by hand.
    let content = json!({"strategic_goal": "1", "goals": []});
    match (method, template) {
        ("POST", "/api/v1/procedures/{id}/commands") => {
            return json!({"command": {"command": "record_group_meeting"}, "version": 1});
        }
        ("POST", "/api/v1/procedures/{id}/referrals/{referral}/steps") => {
            return json!({"step": {"step": "deliver", "on": "2026-11-20"}, "version": 1});
        }
        ("POST", "/api/v1/programmes") => {
            return json!({"title": "1", "period_from": 2026, "period_to": 2027, "applies_from": "2026-01-01",
                "resolution": "1", "content": content});
        }
        ("POST", "/api/v1/programmes/{id}/versions") => {
            return json!({"applies_from": "2026-01-01", "resolution": "1", "content": content, "version": 1});
        }
        _ => {}
    }
    let schema = &doc["paths"][template][method.to_lowercase()]["requestBody"]["content"]["application/json"]["schema"];
    if schema.is_null() { json!({}) } else { example(doc, schema, 0) }
}

fn example(doc: &Value, schema: &Value, depth: usize) -> Value {
    if depth > 10 {
        return Value::Null;
    }
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return example(doc, &doc["components"]["schemas"][name], depth + 1);
    }
    if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        // Every part holds (a flattened draft beside its own fields): the body is the union of their fields.
        let mut object = serde_json::Map::new();
        for part in parts {
            if let Value::Object(fields) = example(doc, part, depth + 1) {
                object.extend(fields);
            }
        }
        return Value::Object(object);
    }
    for k in ["oneOf", "anyOf"] {
        if let Some(alternatives) = schema.get(k).and_then(Value::as_array)
            && let Some(s) = alternatives.iter().find(|s| s.get("type") != Some(&json!("null")))
        {
            return example(doc, s, depth + 1);
        }
    }
    let ty = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().find(|t| *t != "null").and_then(Value::as_str),
        Some(t) => t.as_str(),
        None => None,
    };
    match (ty, schema.get("format").and_then(Value::as_str)) {
        (Some("string"), Some("date")) => json!("2026-11-20"),
        (Some("string"), Some("date-time")) => json!("2026-11-20T10:00:00Z"),
        (Some("string"), Some("uuid")) => json!(uuid::Uuid::now_v7().to_string()),
        (Some("string"), _) => json!("1"),
        (Some("integer" | "number"), _) => json!(1),
        (Some("boolean"), _) => json!(false),
        (Some("array"), _) => json!([]),
        _ => {
            let mut object = serde_json::Map::new();
            let required = schema.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            for name in required.iter().filter_map(Value::as_str) {
                object.insert(name.to_owned(), example(doc, &schema["properties"][name], depth + 1));
            }
            Value::Object(object)
        }
    }
}

/// Sends `route` (method, pattern) at `path`: a form post carries `csrf`, an API call the bearer `token` and a body
/// of the right shape (`doc` is the OpenAPI document).
async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    (method, template): (&str, &str),
    path: &str,
    csrf: &str,
    token: Option<&str>,
    doc: &Value,
) -> reqwest::Response {
    let json = request_body(doc, method, template);
    let multipart = MULTIPART.contains(&(method, template));
    let url = app.url(path);
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let request = c.request(method.clone(), url);
    let request = match token {
        Some(t) => request.bearer_auth(t),
        None => request,
    };
    let request = if method == reqwest::Method::GET {
        request
    } else if is_api(path) {
        request.json(&json)
    } else if multipart {
        request.multipart(reqwest::multipart::Form::new().text("csrf", csrf.to_owned()))
    } else {
        request.form(&[("csrf", csrf)])
    };
    request.send().await.unwrap()
}

/// Every route × every role: a role the gate admits reaches the handler (never 401/403 or the login page, never a
/// server error), a role it does not admit is refused with 403 and nothing is written, not even an audit entry of
/// a read. On a case route a role admitted by its permission but outside the case gets "not found", again
/// without a trace.
#[tokio::test]
async fn every_route_answers_each_role_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let opener = {
        let _ = app.login_as("dzielnicowy", &[Role::Initiator]).await;
        app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "test").await.unwrap()
    };
    let case = open_case(&app, &opener, form_a()).await;
    let (account, _) = {
        let _ = app.login_as("ofiara.resetu", &[Role::Initiator]).await;
        app.store.account_by_login("ofiara.resetu").await.unwrap()
    };
    let account = account.to_string();
    let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    // The trace check counts real tables, the audit trail among them (the case's opening is in it).
    let counts = store::testing::row_counts(&app.store).await;
    assert!(counts.len() > 20 && counts.iter().any(|(t, n)| t == "audit_entry" && *n > 0), "{counts:?}");
    let mut failures = Vec::new();
    for role in Role::ALL {
        let login = format!("rola.{}", role.as_str().replace('_', "-"));
        let c = app.login_as(&login, &[role]).await;
        let token = app.store.issue_api_token(&store::Actor::operator(), &login, "test").await.unwrap();
        let mut known = None;
        let csrf = csrf_of(&app.get_with(&c, "/").await.text().await.unwrap());
        let sees_case = matches!(role, Role::Chair | Role::DeputyChair | Role::Secretary);
        for &(method, template, gate) in EXPECTED {
            if matches!(gate, Public) {
                continue;
            }
            let path = fill(template, &case, &app.teryt, &account);
            let allowed = gate.admits(role);
            let outside_case = allowed && is_case_route(template) && !sees_case;
            // Counting every table is the slow part (PostgreSQL): the count after one refusal is the count before
            // the next, unless an admitted request ran in between.
            let before = if allowed && !outside_case {
                known = None;
                None
            } else {
                match known.take() {
                    Some(counts) => Some(counts),
                    None => Some(store::testing::row_counts(&app.store).await),
                }
            };
            let api_token = is_api(template).then_some(token.as_str());
            let r = send(&app, &c, (method, template), &path, &csrf, api_token, &doc).await;
            let status = r.status();
            let to_login = status == StatusCode::SEE_OTHER && location(&r).starts_with("/login");
            let what = format!("{role} {method} {path}: {status}");
            if outside_case {
                if status != StatusCode::NOT_FOUND && status != StatusCode::FORBIDDEN {
                    failures.push(format!("{what}, expected not found (outside the case)"));
                }
            } else if allowed {
                // The fixture's case is real: the staff read it (so "not found" for the others means need-to-know).
                let the_case = method == "GET" && matches!(template, "/procedures/{id}" | "/api/v1/procedures/{id}");
                if the_case && status != StatusCode::OK {
                    failures.push(format!("{what}, expected the case"));
                }
                if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
                    || to_login
                    || status.is_server_error()
                {
                    failures.push(format!("{what}, expected to reach the handler"));
                }
            } else {
                let hidden = REFUSED_AS_NOT_FOUND.contains(&(method, template)) && status == StatusCode::NOT_FOUND;
                if status != StatusCode::FORBIDDEN && !hidden {
                    failures.push(format!("{what}, expected 403"));
                }
            }
            if let Some(before) = before {
                let after = store::testing::row_counts(&app.store).await;
                if after != before {
                    failures.push(format!("{what}: the refused request wrote something"));
                }
                known = Some(after);
            }
        }
    }
    // Without an account: the pages send to the login, the API answers 401; the public routes answer.
    let anonymous = client();
    for &(method, template, gate) in EXPECTED {
        let path = fill(template, &case, &app.teryt, &account);
        let r = send(&app, &anonymous, (method, template), &path, "x", None, &doc).await;
        let status = r.status();
        let what = format!("anonymous {method} {path}: {status}");
        match gate {
            Public => {
                if status.is_server_error() {
                    failures.push(what);
                }
            }
            _ if is_api(template) => {
                if status != StatusCode::UNAUTHORIZED {
                    failures.push(format!("{what}, expected 401"));
                }
            }
            _ => {
                if !(status == StatusCode::SEE_OTHER && location(&r).starts_with("/login")) {
                    failures.push(format!("{what}, expected the login page"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} unexpected answers:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let before = store::testing::row_counts(&app.store).await;
    let r = admin
        .post(app.url("/admin/tenants"))
        .form(&[("csrf", "0".repeat(64).as_str()), ("teryt", "1805021"), ("name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Formularz wygasł"));
    // A cross-site post is stopped by the Fetch-Metadata check before any handler.
    let r = admin
        .post(app.url("/admin/tenants"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("teryt", "1805021"), ("name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(store::testing::row_counts(&app.store).await, before);
}
