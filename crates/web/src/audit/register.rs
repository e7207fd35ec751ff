//! The data protection officer's register (`/audit/register`, issue 20 item 7): for a case chosen by its number, every
//! read of its personal data (who by name and role, when in Polish time, what, from which address), its break-glass
//! openings and its seals with their reasons; and, for a period, the municipality's entries counted per account and
//! kind. Exportable (CSV, XLSX) for an inspection. Viewing and exporting are audited by the store.
//!
//! Releases of copies (item 2) and erasures (item 5) are not recorded yet; the page says so instead of showing empty
//! sections that would read as "none happened".

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::FieldErrors;
use domain::identity::{Permission, Role};
use jiff::civil::Date;
use serde::Deserialize;
use store::StoreError;
use store::audit::{CaseRegister, CaseRegisterQuery, RegisterActor, SummaryRow};

use super::{day_start, parse_day};
use crate::error::{ErrorPage, PageError};
use crate::i18n::Tr;
use crate::page::{Chrome, FormState};
use crate::procedure::grants::status_key;
use crate::procedure::show::warsaw;
use crate::session::User;
use crate::state::AppState;

/// Reads on one page of a case's register.
const PAGE_SIZE: i64 = 200;
/// At most this many reads in one export.
const EXPORT_MAX: i64 = 100_000;

/// Every object kind the store writes to the audit trail; each has words in both languages.
pub(crate) const OBJECT_KINDS: [&str; 72] = [
    "accessibility_statement",
    "account",
    "account_confidentiality",
    "activity",
    "api_token",
    "audit_trail",
    "backup",
    "calendar_feed",
    "case_grant",
    "case_list",
    "case_record",
    "case_release",
    "case_releases",
    "data_key",
    "dpo_register",
    "erasure",
    "field_seal",
    "form_a_intake",
    "form_draft",
    "group_member",
    "help_directory_entry",
    "indicator",
    "indicator_entry",
    "installation_setting",
    "institution",
    "local_diagnosis",
    "master_key",
    "one_time_link",
    "person_match",
    "procedure",
    "procedure_batch",
    "procedure_closing",
    "procedure_document",
    "procedure_form",
    "procedure_transfer",
    "programme",
    "programme_report_document",
    "regional_report",
    "region_announcement",
    "region_difficulty",
    "region_group_member",
    "region_meeting",
    "region_practice",
    "report_narrative",
    "retention_due",
    "statutory",
    "statutory_approval",
    "statutory_entry",
    "statutory_submission",
    "support_outcomes",
    "statutory_package",
    "statutory_package_key",
    "statutory_signing_key",
    "county_programme_edition",
    "county_certificate",
    "county_referral_reference",
    "team_meeting",
    "team_meeting_document",
    "team_member",
    "team_member_training",
    "team_order",
    "team_project",
    "team_document",
    "team_agreement",
    "team_recommendation",
    "tenant",
    "tenant_clock_setting",
    "tenant_retention_setting",
    "territorial_unit",
    "working_group",
    "working_group_meeting",
    "working_group_task",
];

/// An object kind in words; one the list does not know is "another record", never its code.
pub(crate) fn object_label(t: &Tr, kind: &str) -> String {
    if OBJECT_KINDS.contains(&kind) {
        t.get(&format!("register-object-{}", kind.replace('_', "-")))
    } else {
        t.get("register-object-other")
    }
}

fn action_label(t: &Tr, action: &str) -> String {
    match domain::audit::AuditAction::parse(action) {
        Some(a) => t.get(&format!("audit-action-{}", a.as_str().replace('_', "-"))),
        None => t.get("register-object-other"),
    }
}

fn roles(t: &Tr, roles: &[Role]) -> String {
    roles.iter().map(|r| t.role(r)).collect::<Vec<_>>().join(", ")
}

/// "Anna Nowak (anowak)", or the login alone.
fn who(a: &RegisterActor) -> String {
    if a.full_name.is_empty() { a.login.clone() } else { format!("{} ({})", a.full_name, a.login) }
}

pub struct ReadLine {
    pub time: String,
    pub who: String,
    pub roles: String,
    pub what: String,
    pub address: String,
}

pub struct DayGroup {
    pub day: String,
    pub reads: Vec<ReadLine>,
}

pub struct BreakGlassLine {
    pub who: String,
    pub when: String,
    pub until: String,
    pub status: String,
    pub reason: String,
    pub review: String,
}

pub struct SealLine {
    pub kind: String,
    pub sealed: String,
    pub reason: String,
    pub unsealed: Option<(String, String)>,
}

/// A copy released on an access request, as the register lists it.
pub struct ReleaseLine {
    /// "when, by whom".
    pub released: String,
    pub recipient: String,
    pub purpose: String,
    pub basis: String,
    pub requested_on: String,
    /// What went: how many forms and records, how many values redacted and revealed, sealed values or not.
    pub contents: String,
}

/// The register's words for a release (also the export's).
pub(crate) fn release_line(t: &Tr, r: &store::procedure::ReleaseView) -> ReleaseLine {
    let basis = match &r.basis_other {
        Some(other) => format!("{}: {other}", t.get(&format!("release-basis-{}", r.basis.as_str().replace('_', "-")))),
        None => t.get(&format!("release-basis-{}", r.basis.as_str().replace('_', "-"))),
    };
    let sealed = match &r.sealed_reason {
        Some(reason) => t.arg("release-sealed-included", "reason", reason),
        None => t.get("release-sealed-withheld"),
    };
    let args = [
        ("forms", r.contents.forms.len().to_string()),
        ("records", r.contents.records.len().to_string()),
        ("redacted", r.contents.redacted.to_string()),
        ("revealed", r.contents.revealed.len().to_string()),
    ];
    ReleaseLine {
        released: format!("{}, {}", warsaw(r.released_at), r.released_by.clone().unwrap_or_default()),
        recipient: r.recipient.clone(),
        purpose: r.purpose.clone(),
        basis,
        requested_on: r.requested_on.strftime("%d.%m.%Y").to_string(),
        contents: format!("{}; {sealed}", t.args("release-contents", &args)),
    }
}

pub struct SummaryLine {
    pub who: String,
    pub roles: String,
    pub action: String,
    pub object: String,
    pub count: i64,
}

pub struct CaseSection {
    pub number: String,
    pub days: Vec<DayGroup>,
    pub shown: usize,
    pub older: Option<String>,
    pub break_glass: Vec<BreakGlassLine>,
    pub seals: Vec<SealLine>,
    pub releases: Vec<ReleaseLine>,
    pub export: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/register.html")]
pub struct RegisterPage {
    chrome: Chrome,
    form: FormState,
    period: String,
    case: Option<CaseSection>,
    summary: Vec<SummaryLine>,
    summary_export: String,
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    #[serde(default)]
    number: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: Option<i64>,
    /// Export only: `csv`, `csv-semicolon` (Polish Excel) or `xlsx`.
    #[serde(default)]
    format: String,
}

/// The period asked for, by default from 1 January of this year to today; both days included.
fn period(q: &RegisterQuery, today: Date, errors: &mut FieldErrors) -> (String, String, Option<(Date, Date)>) {
    let from_raw = if q.from.trim().is_empty() {
        Date::new(today.year(), 1, 1).unwrap_or(today).to_string()
    } else {
        q.from.clone()
    };
    let until_raw = if q.until.trim().is_empty() { today.to_string() } else { q.until.clone() };
    let from = errors.check("from", parse_day(&from_raw)).flatten();
    let until = errors.check("until", parse_day(&until_raw)).flatten();
    let range = match (from, until) {
        (Some(f), Some(u)) if f > u => {
            errors.add("until", "err-register-period-order");
            None
        }
        (Some(f), Some(u)) => Some((f, u)),
        _ => None,
    };
    (from_raw, until_raw, range)
}

fn bounds((from, until): (Date, Date)) -> Result<(jiff::Timestamp, jiff::Timestamp), ErrorPage> {
    let start = day_start(from).ok_or(ErrorPage::BadRequest)?;
    let end = until.tomorrow().ok().and_then(day_start).ok_or(ErrorPage::BadRequest)?;
    Ok((start, end))
}

fn link(path: &str, pairs: &[(&str, &str)]) -> String {
    format!("{path}?{}", serde_urlencoded::to_string(pairs).unwrap_or_default())
}

fn case_section(t: &Tr, r: CaseRegister, range: (Date, Date), limit: i64) -> CaseSection {
    let (from, until) = (range.0.to_string(), range.1.to_string());
    let older = (r.reads.len() as i64 == limit).then(|| {
        let last = r.reads.last().map_or(0, |e| e.seq).to_string();
        link("/audit/register", &[("number", &r.number), ("from", &from), ("until", &until), ("before", &last)])
    });
    let zone = domain::calendar::poland_zone();
    let mut days: Vec<DayGroup> = Vec::new();
    let shown = r.reads.len();
    for read in r.reads {
        let at = read.at.to_zoned(zone.clone());
        let day = at.strftime("%Y-%m-%d").to_string();
        let line = ReadLine {
            time: at.strftime("%H:%M:%S").to_string(),
            who: who(&read.actor),
            roles: roles(t, &read.actor.roles),
            what: object_label(t, &read.object_kind),
            address: read.address.unwrap_or_default(),
        };
        match days.last_mut() {
            Some(g) if g.day == day => g.reads.push(line),
            _ => days.push(DayGroup { day, reads: vec![line] }),
        }
    }
    let break_glass = r
        .break_glass
        .into_iter()
        .map(|g| BreakGlassLine {
            who: g.account_login,
            when: warsaw(g.granted_at),
            until: g.ended_at.or(g.ends_at).map_or_else(|| t.get("grant-until-ended"), warsaw),
            status: t.get(status_key(g.status)),
            reason: g.reason.unwrap_or_default(),
            review: match g.reviewed_at {
                Some(at) => format!(
                    "{}, {}: {}",
                    g.reviewed_by_login.unwrap_or_default(),
                    warsaw(at),
                    g.review_comment.unwrap_or_default()
                ),
                None => t.get("register-not-reviewed"),
            },
        })
        .collect();
    let seals = r
        .seals
        .into_iter()
        .map(|s| SealLine {
            kind: t.get(&format!("seal-kind-{}", s.kind.as_str().replace('_', "-"))),
            sealed: format!("{}, {}", warsaw(s.sealed_at), s.sealed_by.unwrap_or_default()),
            reason: s.reason,
            unsealed: s.unsealed_at.map(|at| {
                (format!("{}, {}", warsaw(at), s.unsealed_by.unwrap_or_default()), s.unseal_reason.unwrap_or_default())
            }),
        })
        .collect();
    let export = link("/audit/register/export", &[("number", &r.number), ("from", &from), ("until", &until)]);
    let releases = r.releases.iter().map(|x| release_line(t, x)).collect();
    CaseSection { number: r.number, days, shown, older, break_glass, seals, releases, export }
}

fn summary_lines(t: &Tr, rows: Vec<SummaryRow>) -> Vec<SummaryLine> {
    rows.into_iter()
        .map(|r| SummaryLine {
            who: who(&r.actor),
            roles: roles(t, &r.actor.roles),
            action: action_label(t, &r.action),
            object: object_label(t, &r.object_kind),
            count: r.count,
        })
        .collect()
}

/// `GET /audit/register`: the case chooser, the chosen case's register, and the period's summary.
pub async fn show(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let t = user.ctx.t();
    let mut errors = FieldErrors::new();
    let (from_raw, until_raw, range) = period(&q, state.store.today(), &mut errors);
    let number = q.number.trim().to_owned();
    let mut case = None;
    let mut summary = Vec::new();
    if let Some(range) = range {
        let (from, until) = bounds(range)?;
        if !number.is_empty() {
            let query = CaseRegisterQuery {
                number: number.clone(),
                from: Some(from),
                until: Some(until),
                before_seq: q.before,
                limit: PAGE_SIZE,
                export: false,
            };
            match state.store.case_register(&user.caller(), &query).await {
                Ok(r) => case = Some(case_section(&t, r, range, PAGE_SIZE)),
                // The officer may read every case of their municipality: not found means no such number.
                Err(StoreError::NotFound) => errors.add("number", "err-register-case-not-found"),
                Err(e) => return Err(e.into()),
            }
        }
        summary = summary_lines(&t, state.store.register_summary(&user.caller(), from, until, false).await?);
    }
    let form = FormState::new()
        .with("number", &q.number)
        .with("from", &from_raw)
        .with("until", &until_raw)
        .with_errors(&errors, &t);
    let page = RegisterPage {
        chrome: Chrome::for_user(&user, "register-title"),
        form,
        period: t.arg2("register-period", "from", &from_raw, "until", &until_raw),
        case,
        summary,
        summary_export: link("/audit/register/export", &[("from", &from_raw), ("until", &until_raw)]),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, page).into_response())
}

/// `GET /audit/register/export`: with a case number, that case's whole register for the period; without, the
/// period's summary. CSV or XLSX, the period (and case) in the file name; audited by the store as an export.
pub async fn export(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, PageError> {
    user.require(Permission::ReadAuditTrail)?;
    let t = user.ctx.t();
    let (content_type, extension) = match q.format.as_str() {
        "" | "csv" | "csv-semicolon" => ("text/csv; charset=utf-8", "csv"),
        "xlsx" => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        _ => return Err(ErrorPage::BadRequest.into()),
    };
    let mut errors = FieldErrors::new();
    let (_, _, range) = period(&q, state.store.today(), &mut errors);
    let Some(range) = range.filter(|_| errors.is_empty()) else { return Err(ErrorPage::BadRequest.into()) };
    let (from, until) = bounds(range)?;
    let number = q.number.trim();
    let (name, table) = if number.is_empty() {
        let rows = state.store.register_summary(&user.caller(), from, until, true).await?;
        let table = documents::Table {
            name: t.get("register-summary-title"),
            headers: [
                "col-actor",
                "register-col-name",
                "register-col-roles",
                "col-action",
                "col-object",
                "register-col-count",
            ]
            .iter()
            .map(|h| t.get(h))
            .collect(),
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        r.actor.login.clone(),
                        r.actor.full_name.clone(),
                        roles(&t, &r.actor.roles),
                        action_label(&t, &r.action),
                        object_label(&t, &r.object_kind),
                        r.count.to_string(),
                    ]
                })
                .collect(),
        };
        (format!("rejestr-iod-{}-{}", range.0, range.1), table)
    } else {
        let query = CaseRegisterQuery {
            number: number.to_owned(),
            from: Some(from),
            until: Some(until),
            before_seq: None,
            limit: EXPORT_MAX,
            export: true,
        };
        let r = state.store.case_register(&user.caller(), &query).await?;
        let zone = domain::calendar::poland_zone();
        let time = |at: jiff::Timestamp| at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M:%S").to_string();
        let mut rows = Vec::new();
        for read in &r.reads {
            rows.push(vec![
                t.get("register-kind-read"),
                time(read.at),
                read.actor.login.clone(),
                read.actor.full_name.clone(),
                roles(&t, &read.actor.roles),
                object_label(&t, &read.object_kind),
                read.address.clone().unwrap_or_default(),
                String::new(),
            ]);
        }
        for g in &r.break_glass {
            rows.push(vec![
                t.get("register-kind-break-glass"),
                time(g.granted_at),
                g.account_login.clone(),
                String::new(),
                String::new(),
                t.get(status_key(g.status)),
                String::new(),
                g.reason.clone().unwrap_or_default(),
            ]);
        }
        for s in &r.seals {
            let kind = t.get(&format!("seal-kind-{}", s.kind.as_str().replace('_', "-")));
            rows.push(vec![
                t.get("register-kind-seal"),
                time(s.sealed_at),
                s.sealed_by.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                kind.clone(),
                String::new(),
                s.reason.clone(),
            ]);
            if let Some(at) = s.unsealed_at {
                rows.push(vec![
                    t.get("register-kind-unseal"),
                    time(at),
                    s.unsealed_by.clone().unwrap_or_default(),
                    String::new(),
                    String::new(),
                    kind,
                    String::new(),
                    s.unseal_reason.clone().unwrap_or_default(),
                ]);
            }
        }
        for x in &r.releases {
            let line = release_line(&t, x);
            rows.push(vec![
                t.get("register-kind-release"),
                time(x.released_at),
                x.released_by.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                format!("{}: {}; {}", t.get("release-recipient"), line.recipient, line.contents),
                String::new(),
                format!("{}; {}; {}", line.basis, line.purpose, line.requested_on),
            ]);
        }
        let table = documents::Table {
            name: r.number.clone(),
            headers: [
                "register-col-kind",
                "col-at",
                "col-actor",
                "register-col-name",
                "register-col-roles",
                "register-col-what",
                "col-address",
                "register-col-reason",
            ]
            .iter()
            .map(|h| t.get(h))
            .collect(),
            rows,
        };
        let safe: String = r.number.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        (format!("rejestr-iod-{safe}-{}-{}", range.0, range.1), table)
    };
    let bytes = match q.format.as_str() {
        "csv-semicolon" => documents::to_csv(&table, documents::Delimiter::Semicolon),
        "xlsx" => documents::to_xlsx(&table).map_err(|e| ErrorPage::Internal(crate::error::log_internal(&e)))?,
        _ => documents::to_csv(&table, documents::Delimiter::Comma),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{extension}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::OBJECT_KINDS;
    use crate::i18n::{Lang, Tr};

    #[test]
    fn every_object_kind_has_words_in_both_languages() {
        for lang in [Lang::Pl, Lang::En] {
            for kind in OBJECT_KINDS.iter().chain(&["other"]) {
                let key = format!("register-object-{}", kind.replace('_', "-"));
                assert_ne!(Tr::new(lang).get(&key), key, "{key} in {lang:?}");
            }
        }
    }
}
