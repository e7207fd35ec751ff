//! The public directory of help: `/pomoc/{teryt}` for one municipality (and `/pomoc`, which goes to the only one
//! or lists them), with its CSV and JSON export. No login, no cookies, no tracking, no third-party requests; a
//! quick-exit button replaces the page with a neutral site at once (also with the Escape key; a plain link without
//! JavaScript). These routes sit outside the page router, so its anonymous CSRF cookie is never set here. The page
//! is meant to be indexed: the law wants this information available.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::team::HelpKind;
use serde::{Deserialize, Serialize};
use store::StoreError;
use store::team::accessibility::Statement;
use store::team::{DirectoryEntry, NATIONAL_HELPLINES};
use store::tenant::Tenant;

use crate::i18n::{Lang, Tr};
use crate::state::AppState;

/// Where the quick-exit button leaves for: a neutral page (the weather) that says nothing of what was being read.
pub const QUICK_EXIT_URL: &str = "https://www.google.com/search?q=pogoda";

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/pomoc", get(choose))
        .route("/pomoc/{teryt}", get(show))
        .route("/pomoc/{teryt}/eksport.csv", get(export_csv))
        .route("/pomoc/{teryt}/eksport.json", get(export_json))
        .route("/pomoc/{teryt}/deklaracja-dostepnosci", get(statement))
        .route("/pomoc/zasoby/{*path}", get(crate::ops::static_file))
        .route("/deklaracja-dostepnosci", get(choose_statement))
}

/// The messages the public pages use: each has a Ukrainian text (checked by a test in `i18n`).
pub const MESSAGES: &[&str] = &[
    "public-title",
    "public-title-of",
    "public-choose",
    "public-not-found",
    "public-error",
    "public-emergency",
    "public-quick-exit",
    "public-quick-exit-hint",
    "public-export",
    "public-lang-nav",
    "public-national",
    "public-local",
    "public-local-none",
    "public-filter-title",
    "public-filter-kind",
    "public-filter-language",
    "public-filter-any-kind",
    "public-filter-any-language",
    "public-filter-apply",
    "public-filter-clear",
    "public-filter-count",
    "public-filter-none",
    "public-statement-link",
    "directory-field-address",
    "directory-field-hours",
    "directory-field-phone",
    "directory-field-website",
    "directory-field-languages",
    "directory-field-accessibility",
    "team-field-email",
    "national-hours",
    "statement-title",
    "statement-title-of",
    "statement-intro",
    "statement-scope",
    "statement-missing",
    "statement-published-on",
    "statement-updated-on",
    "statement-status-heading",
    "statement-status-full",
    "statement-status-partial",
    "statement-status-none",
    "statement-inaccessible",
    "statement-preparation",
    "statement-prepared-on",
    "statement-reviewed-on",
    "statement-method",
    "statement-contact",
    "statement-contact-name",
    "statement-contact-email",
    "statement-contact-phone",
    "statement-rights",
    "statement-procedure-heading",
    "statement-procedure",
    "statement-architectural",
    "statement-app-heading",
    "statement-app",
    "statement-not-given",
    "statement-back",
];

/// The query of the public pages: the language (no cookie here, so it travels in the address) and the filters.
/// Unknown values are ignored, never an error.
#[derive(Debug, Default, Deserialize)]
pub struct PublicQuery {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

impl PublicQuery {
    fn lang(&self) -> Lang {
        self.lang.as_deref().and_then(Lang::from_public_code).unwrap_or_default()
    }
}

/// `?lang=uk` for a page in Ukrainian or English, nothing for Polish.
/// Only municipalities run a team with a directory of help and a statement; a county's or voivodeship's tenant
/// (issue 17) has neither, so the public lists leave them out.
fn lang_suffix(lang: Lang, first: bool) -> String {
    match lang {
        Lang::Pl => String::new(),
        other => format!("{}lang={}", if first { '?' } else { '&' }, other.code()),
    }
}

pub struct PublicEntry {
    pub e: DirectoryEntry,
    /// The name and description shown: a national helpline's in the page's language while the team keeps the
    /// seeded Polish text, else as typed.
    pub name: String,
    pub description: Option<String>,
    pub hours: Option<String>,
    pub kinds: String,
    pub languages: String,
}

/// One link of the language switch.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/public.html")]
pub struct PublicPage {
    t: Tr,
    title: String,
    tenant: Option<Tenant>,
    tenants: Vec<Tenant>,
    national: Vec<PublicEntry>,
    local: Vec<PublicEntry>,
    /// Whether the municipality has any entry of its own (before filtering).
    has_local: bool,
    exit_url: &'static str,
    langs: Vec<LangLink>,
    lang_field: Option<&'static str>,
    kinds: Vec<(&'static str, String)>,
    languages: Vec<(String, String)>,
    kind: String,
    language: String,
    filtered: bool,
    count: String,
    statement_href: String,
}

fn kinds_text(t: &Tr, e: &DirectoryEntry) -> String {
    e.help_kinds
        .iter()
        .map(|k| t.get(&format!("help-kind-{}", k.as_str().replace('_', "-"))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A language's name in the page's language ("ukraiński", "Ukrainian"); a code the catalogs do not know is shown
/// in capitals rather than dropped.
pub fn language_name(t: &Tr, code: &str) -> String {
    let id = format!("language-name-{code}");
    let name = t.get(&id);
    if name == id { code.to_uppercase() } else { name }
}

fn lang_links(lang: Lang, base: &str, query: &str) -> Vec<LangLink> {
    Lang::PUBLIC
        .into_iter()
        .map(|l| {
            let mut href = base.to_owned();
            let mut sep = '?';
            if l != Lang::Pl {
                href.push_str(&format!("?lang={}", l.code()));
                sep = '&';
            }
            if !query.is_empty() {
                href.push(sep);
                href.push_str(query);
            }
            LangLink { code: l.code(), name: l.own_name(), href, current: l == lang }
        })
        .collect()
}

fn empty_page(t: Tr, title: String) -> PublicPage {
    PublicPage {
        title,
        t,
        tenant: None,
        tenants: Vec::new(),
        national: Vec::new(),
        local: Vec::new(),
        has_local: false,
        exit_url: QUICK_EXIT_URL,
        langs: lang_links(t.lang, "/pomoc", ""),
        lang_field: None,
        kinds: Vec::new(),
        languages: Vec::new(),
        kind: String::new(),
        language: String::new(),
        filtered: false,
        count: String::new(),
        statement_href: format!("/deklaracja-dostepnosci{}", lang_suffix(t.lang, true)),
    }
}

fn not_found(t: &Tr) -> Response {
    (StatusCode::NOT_FOUND, empty_page(*t, t.get("public-not-found"))).into_response()
}

/// `/pomoc`: the one municipality's page, or the list of them.
pub async fn choose(State(state): State<AppState>, Query(q): Query<PublicQuery>) -> Result<Response, Response> {
    let t = Tr::new(q.lang());
    let tenants = state.store.public_municipalities().await.map_err(|e| internal(&t, e))?;
    if let [only] = tenants.as_slice() {
        return Ok(Redirect::to(&format!("/pomoc/{}{}", only.teryt, lang_suffix(t.lang, true))).into_response());
    }
    let mut page = empty_page(t, t.get("public-title"));
    page.tenants = tenants;
    Ok(page.into_response())
}

fn internal(t: &Tr, e: StoreError) -> Response {
    let id = crate::error::log_internal(&e);
    (StatusCode::INTERNAL_SERVER_ERROR, format!("{} ({id})", t.get("public-error"))).into_response()
}

async fn load_tenant(state: &AppState, teryt: &str, t: &Tr) -> Result<Tenant, Response> {
    match state.store.public_municipality(teryt).await {
        Ok(tenant) => Ok(tenant),
        Err(StoreError::NotFound) => Err(not_found(t)),
        Err(e) => Err(internal(t, e)),
    }
}

async fn load(state: &AppState, teryt: &str, t: &Tr) -> Result<(Tenant, Vec<DirectoryEntry>), Response> {
    let tenant = load_tenant(state, teryt, t).await?;
    let entries = state.store.public_directory(tenant.id).await.map_err(|e| internal(t, e))?;
    Ok((tenant, entries))
}

/// What the page shows of one entry in its language.
fn public_entry(t: &Tr, e: DirectoryEntry) -> PublicEntry {
    let seeded = e.national_key.as_deref().and_then(|k| NATIONAL_HELPLINES.iter().find(|h| h.key == k));
    let (mut name, mut description, mut hours) = (e.name.clone(), e.description.clone(), e.opening_hours.clone());
    if let (Some(h), true) = (seeded, t.lang != Lang::Pl) {
        // Translated only while the team keeps the seeded text; its own words are shown as typed.
        if e.name == h.name {
            name = t.get(&format!("national-{}-name", h.key));
        }
        if e.description.as_deref() == Some(h.description) {
            description = Some(t.get(&format!("national-{}-description", h.key)));
        }
        if e.opening_hours.as_deref() == Some(h.hours) {
            hours = Some(t.get("national-hours"));
        }
    }
    let languages = e.languages.iter().map(|c| language_name(t, c)).collect::<Vec<_>>().join(", ");
    PublicEntry { kinds: kinds_text(t, &e), languages, name, description, hours, e }
}

pub async fn show(
    State(state): State<AppState>,
    Path(teryt): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, Response> {
    let t = Tr::new(q.lang());
    let (tenant, entries) = load(&state, &teryt, &t).await?;
    let total = entries.len();
    let has_local = entries.iter().any(|e| e.national_key.is_none());
    // The filters offer what the entries hold: the kinds in the statute's order, the languages by name.
    let kinds: Vec<(&'static str, String)> = HelpKind::ALL
        .iter()
        .filter(|k| entries.iter().any(|e| e.help_kinds.contains(k)))
        .map(|k| (k.as_str(), t.get(&format!("help-kind-{}", k.as_str().replace('_', "-")))))
        .collect();
    let mut languages: Vec<(String, String)> = Vec::new();
    for code in entries.iter().flat_map(|e| e.languages.iter()) {
        if !languages.iter().any(|(c, _)| c == code) {
            languages.push((code.clone(), language_name(&t, code)));
        }
    }
    languages.sort_by(|a, b| (a.0 != "pl", &a.1).cmp(&(b.0 != "pl", &b.1)));
    let kind = q.kind.as_deref().and_then(|k| HelpKind::parse(k).ok());
    let language = q.language.as_deref().filter(|l| languages.iter().any(|(c, _)| c == l)).map(str::to_owned);
    let shown: Vec<PublicEntry> = entries
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.help_kinds.contains(&k)))
        .filter(|e| language.as_ref().is_none_or(|l| e.languages.contains(l)))
        .map(|e| public_entry(&t, e))
        .collect();
    let filtered = kind.is_some() || language.is_some();
    let count = t.args("public-filter-count", &[("shown", shown.len().to_string()), ("total", total.to_string())]);
    let (national, local): (Vec<_>, Vec<_>) = shown.into_iter().partition(|e| e.e.national_key.is_some());
    let title = t.arg("public-title-of", "name", &tenant.name);
    let mut query = Vec::new();
    if let Some(k) = kind {
        query.push(format!("kind={}", k.as_str()));
    }
    if let Some(l) = &language {
        query.push(format!("language={l}"));
    }
    let base = format!("/pomoc/{}", tenant.teryt);
    let statement_href = format!("{base}/deklaracja-dostepnosci{}", lang_suffix(t.lang, true));
    Ok(PublicPage {
        langs: lang_links(t.lang, &base, &query.join("&")),
        lang_field: (t.lang != Lang::Pl).then(|| t.lang.code()),
        t,
        title,
        tenant: Some(tenant),
        tenants: Vec::new(),
        national,
        local,
        has_local,
        exit_url: QUICK_EXIT_URL,
        kinds,
        languages,
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        language: language.unwrap_or_default(),
        filtered,
        count,
        statement_href,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "team/statement.html")]
pub struct StatementPage {
    t: Tr,
    title: String,
    tenant: Tenant,
    statement: Option<Statement>,
    exit_url: &'static str,
    langs: Vec<LangLink>,
    back_href: String,
    status_text: String,
    dates: Vec<(String, String)>,
    preparation: Vec<(String, String)>,
    contact: Vec<(String, String)>,
}

/// `/deklaracja-dostepnosci`, linked from every page: the one municipality's statement, or the list of them.
pub async fn choose_statement(
    State(state): State<AppState>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, Response> {
    let t = Tr::new(q.lang());
    let tenants = state.store.public_municipalities().await.map_err(|e| internal(&t, e))?;
    if let [only] = tenants.as_slice() {
        let to = format!("/pomoc/{}/deklaracja-dostepnosci{}", only.teryt, lang_suffix(t.lang, true));
        return Ok(Redirect::to(&to).into_response());
    }
    // Several municipalities (or none yet): choose on the help page's list, each of which links its statement.
    let mut page = empty_page(t, t.get("statement-title"));
    page.tenants = tenants;
    Ok(page.into_response())
}

/// `/pomoc/{teryt}/deklaracja-dostepnosci`: the municipality's accessibility statement, in the page's language
/// around the municipality's own (Polish) content.
pub async fn statement(
    State(state): State<AppState>,
    Path(teryt): Path<String>,
    Query(q): Query<PublicQuery>,
) -> Result<Response, Response> {
    let t = Tr::new(q.lang());
    let tenant = load_tenant(&state, &teryt, &t).await?;
    let statement = state.store.accessibility_statement(tenant.id).await.map_err(|e| internal(&t, e))?;
    let day = |d: Option<jiff::civil::Date>| d.map(crate::team::day).unwrap_or_else(|| t.get("statement-not-given"));
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| t.get("statement-not-given"));
    let (status_text, dates, preparation, contact) = match &statement {
        Some(s) => (
            t.get(&format!("statement-status-{}", s.status)),
            vec![
                (t.get("statement-published-on"), day(s.published_on)),
                (t.get("statement-updated-on"), day(s.updated_on)),
            ],
            vec![
                (t.get("statement-prepared-on"), day(Some(s.prepared_on))),
                (t.get("statement-reviewed-on"), day(s.reviewed_on)),
                (t.get("statement-method"), text(&s.method)),
            ],
            vec![
                (t.get("statement-contact-name"), text(&s.contact_name)),
                (t.get("statement-contact-email"), text(&s.contact_email)),
                (t.get("statement-contact-phone"), text(&s.contact_phone)),
            ],
        ),
        None => (String::new(), Vec::new(), Vec::new(), Vec::new()),
    };
    let base = format!("/pomoc/{}", tenant.teryt);
    Ok(StatementPage {
        title: t.arg("statement-title-of", "name", &tenant.name),
        langs: lang_links(t.lang, &format!("{base}/deklaracja-dostepnosci"), ""),
        back_href: format!("{base}{}", lang_suffix(t.lang, true)),
        t,
        tenant,
        statement,
        exit_url: QUICK_EXIT_URL,
        status_text,
        dates,
        preparation,
        contact,
    }
    .into_response())
}

/// One entry as exported: what the public page shows, nothing more.
#[derive(Serialize)]
pub struct ExportEntry {
    pub name: String,
    pub help_kinds: Vec<&'static str>,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub languages: Vec<String>,
    pub accessibility: Option<String>,
    pub description: Option<String>,
    pub last_checked_on: String,
}

fn export_entry(e: DirectoryEntry) -> ExportEntry {
    ExportEntry {
        name: e.name,
        help_kinds: e.help_kinds.iter().map(|k| k.as_str()).collect(),
        address: e.address,
        opening_hours: e.opening_hours,
        phone: e.phone,
        email: e.email,
        website: e.website,
        languages: e.languages,
        accessibility: e.accessibility,
        description: e.description,
        last_checked_on: e.last_checked_on.to_string(),
    }
}

pub async fn export_json(State(state): State<AppState>, Path(teryt): Path<String>) -> Result<Response, Response> {
    let t = Tr::new(Lang::default());
    let (_, entries) = load(&state, &teryt, &t).await?;
    let list: Vec<ExportEntry> = entries.into_iter().map(export_entry).collect();
    Ok(axum::Json(list).into_response())
}

/// One CSV field (RFC 4180): always quoted, quotes doubled; a leading `=`, `+`, `-` or `@` is prefixed with `'` so
/// a spreadsheet never runs it as a formula.
fn csv_field(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

pub fn to_csv(entries: &[ExportEntry]) -> String {
    let mut out = String::from(
        "\"name\",\"help_kinds\",\"address\",\"opening_hours\",\"phone\",\"email\",\"website\",\"languages\",\"accessibility\",\"description\",\"last_checked_on\"\r\n",
    );
    for e in entries {
        let o = |v: &Option<String>| csv_field(v.as_deref().unwrap_or(""));
        let row = [
            csv_field(&e.name),
            csv_field(&e.help_kinds.join(" ")),
            o(&e.address),
            o(&e.opening_hours),
            o(&e.phone),
            o(&e.email),
            o(&e.website),
            csv_field(&e.languages.join(" ")),
            o(&e.accessibility),
            o(&e.description),
            csv_field(&e.last_checked_on),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

pub async fn export_csv(State(state): State<AppState>, Path(teryt): Path<String>) -> Result<Response, Response> {
    let t = Tr::new(Lang::default());
    let (tenant, entries) = load(&state, &teryt, &t).await?;
    let list: Vec<ExportEntry> = entries.into_iter().map(export_entry).collect();
    let disposition = format!("attachment; filename=\"pomoc-{}.csv\"", tenant.teryt);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        to_csv(&list),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_every_field_and_defuses_formulas() {
        assert_eq!(csv_field("a \"b\", c"), "\"a \"\"b\"\", c\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(csv_field("+48 800"), "\"'+48 800\"");
    }
}
