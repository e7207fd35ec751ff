//! The public directory of help: `/pomoc/{teryt}` for one municipality (and `/pomoc`, which goes to the only one
//! or lists them), with its CSV and JSON export. No login, no cookies, no tracking, no third-party requests; a
//! quick-exit button replaces the page with a neutral site at once (also with the Escape key; a plain link without
//! JavaScript). These routes sit outside the page router, so its anonymous CSRF cookie is never set here. The page
//! is meant to be indexed: the law wants this information available.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Serialize;
use store::StoreError;
use store::team::DirectoryEntry;
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
        .route("/pomoc/zasoby/{*path}", get(crate::ops::static_file))
}

pub struct PublicEntry {
    pub e: DirectoryEntry,
    pub kinds: String,
    pub languages: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "team/public.html")]
pub struct PublicPage {
    t: Tr,
    title: String,
    tenant: Option<Tenant>,
    tenants: Vec<Tenant>,
    entries: Vec<PublicEntry>,
    exit_url: &'static str,
}

fn kinds_text(t: &Tr, e: &DirectoryEntry) -> String {
    e.help_kinds
        .iter()
        .map(|k| t.get(&format!("help-kind-{}", k.as_str().replace('_', "-"))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn not_found(t: &Tr) -> Response {
    let page = PublicPage {
        title: t.get("public-not-found"),
        t: *t,
        tenant: None,
        tenants: Vec::new(),
        entries: Vec::new(),
        exit_url: QUICK_EXIT_URL,
    };
    (StatusCode::NOT_FOUND, page).into_response()
}

/// `/pomoc`: the one municipality's page, or the list of them.
pub async fn choose(State(state): State<AppState>) -> Result<Response, Response> {
    let t = Tr::new(Lang::default());
    let tenants = state.store.list_tenants().await.map_err(|e| internal(&t, e))?;
    if let [only] = tenants.as_slice() {
        return Ok(Redirect::to(&format!("/pomoc/{}", only.teryt)).into_response());
    }
    Ok(PublicPage {
        title: t.get("public-title"),
        t,
        tenant: None,
        tenants,
        entries: Vec::new(),
        exit_url: QUICK_EXIT_URL,
    }
    .into_response())
}

fn internal(t: &Tr, e: StoreError) -> Response {
    let id = crate::error::log_internal(&e);
    (StatusCode::INTERNAL_SERVER_ERROR, format!("{} ({id})", t.get("public-error"))).into_response()
}

async fn load(state: &AppState, teryt: &str, t: &Tr) -> Result<(Tenant, Vec<DirectoryEntry>), Response> {
    let tenant = match state.store.tenant_by_teryt(teryt).await {
        Ok(tenant) => tenant,
        Err(StoreError::NotFound) => return Err(not_found(t)),
        Err(e) => return Err(internal(t, e)),
    };
    let entries = state.store.public_directory(tenant.id).await.map_err(|e| internal(t, e))?;
    Ok((tenant, entries))
}

pub async fn show(State(state): State<AppState>, Path(teryt): Path<String>) -> Result<Response, Response> {
    let t = Tr::new(Lang::default());
    let (tenant, entries) = load(&state, &teryt, &t).await?;
    let entries = entries
        .into_iter()
        .map(|e| PublicEntry { kinds: kinds_text(&t, &e), languages: e.languages.join(", "), e })
        .collect();
    let title = t.arg("public-title-of", "name", &tenant.name);
    Ok(PublicPage { t, title, tenant: Some(tenant), tenants: Vec::new(), entries, exit_url: QUICK_EXIT_URL }
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
