//! The case's printed documents (PDF): a form as filled, form B in a language with the directory of help, a group
//! meeting's minutes, the support plan, and the whole case file for a court or prosecutor's request.
//!
//! Access is the procedure page's: the `ViewProcedures` permission, then the store's need-to-know handle; the
//! documents are made only from what the procedure page would show that account (an initiator sees their forms A
//! only). Every document is recorded in the audit trail, and every page of one with personal data carries who
//! printed it and when. A document that cannot be made answers with the procedure page and a Polish message, never
//! with half a file.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use documents::{CaseDocument, CaseFile, Lang, RenderContext};
use domain::forms::records::{RecordKind, record_definition};
use domain::forms::{FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Permission;
use store::procedure::{CaseAccess, CaseRecord, ProcedureView};
use uuid::Uuid;

use super::owner::OwnerNames;
use crate::error::{ErrorPage, PageError};
use crate::session::User;
use crate::state::AppState;

/// The links of the procedure page's "documents" part: (address, label).
pub fn links(t: &crate::i18n::Tr, id: Uuid, view: &ProcedureView) -> Vec<(String, String)> {
    let mut links = Vec::new();
    if view.access.is_grant() {
        return links;
    }
    for f in &view.forms {
        if f.kind != "B" {
            links.push((
                format!("/procedures/{id}/documents/forms/{}.pdf", f.id),
                t.arg2("document-form", "kind", &f.kind, "when", &super::show::warsaw(f.filled_at)),
            ));
        }
    }
    // Form B in the language chosen when it was handed over comes first, and says so (the latest hand-over wins).
    let chosen = view
        .records
        .iter()
        .rev()
        .find(|r| r.kind == RecordKind::FormBHandover)
        .and_then(|r| r.answers.get("handover.language"))
        .and_then(|l| Lang::ALL.into_iter().find(|lang| lang.as_str() == l));
    let mut langs: Vec<Lang> = Lang::ALL.to_vec();
    if let Some(chosen) = chosen {
        langs.retain(|l| *l != chosen);
        langs.insert(0, chosen);
    }
    for lang in langs {
        let mut label = t.get(&format!("document-form-b-{}", lang.as_str()));
        if Some(lang) == chosen {
            label = format!("{label} — {}", t.get("document-form-b-chosen"));
        }
        links.push((format!("/procedures/{id}/documents/form-b/{}.pdf", lang.as_str()), label));
    }
    for r in &view.records {
        if r.kind == RecordKind::Meeting && r.minutes.is_some() {
            links.push((
                format!("/procedures/{id}/documents/minutes/{}.pdf", r.id),
                t.arg("document-minutes", "when", &super::show::warsaw(r.occurs_at)),
            ));
        }
    }
    if view.access.works_on_case() {
        links.push((format!("/procedures/{id}/documents/plan.pdf"), t.get("document-plan")));
        links.push((format!("/procedures/{id}/documents/case-file.pdf"), t.get("document-case-file")));
    }
    links
}

/// What a case document is made from, read once through the need-to-know handle (the read is audited).
struct Case {
    handle: store::procedure::CaseHandle,
    view: ProcedureView,
}

async fn case(state: &AppState, user: &User, id: &str) -> Result<Case, PageError> {
    let handle = printable_case(state, user, id).await?;
    let view = state.store.procedure_view(&handle).await?;
    Ok(Case { handle, view })
}

/// [`case`] as a document going outside the group reads it (issue 20): every sealed value withheld.
async fn case_for_outside(state: &AppState, user: &User, id: &str) -> Result<Case, PageError> {
    let handle = printable_case(state, user, id).await?;
    let view = state.store.procedure_view_for_outside(&handle).await?;
    Ok(Case { handle, view })
}

/// The case's handle when the user may print from it. Every printed document goes through here, so the rule
/// cannot be missed by a new document.
async fn printable_case(state: &AppState, user: &User, id: &str) -> Result<store::procedure::CaseHandle, PageError> {
    user.require(Permission::ViewProcedures)?;
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    // A break-glass opening or a grant reads the case on screen only: no printed copy leaves with it.
    if handle.access.is_grant() {
        return Err(ErrorPage::NotFound.into());
    }
    Ok(handle)
}

/// The issuing team, the time and the watermark naming the account that prints: shared by every printed document.
pub(crate) fn context(state: &AppState, user: &User) -> RenderContext {
    let now = state.clock.now().to_zoned(domain::calendar::poland_zone());
    let printed = now.strftime("%d.%m.%Y, %H:%M").to_string();
    RenderContext {
        institution: user
            .principal
            .tenant_name
            .as_ref()
            .map_or_else(|| "Zespół interdyscyplinarny".to_owned(), |n| format!("Zespół interdyscyplinarny – {n}")),
        created_at: now,
        watermark: Some(format!("Wydrukował(a) {} dnia {printed}", user.principal.login)),
    }
}

/// Renders off the async threads, records the document in the audit trail, and answers with the whole file; on
/// failure, the procedure page with a Polish message and nothing recorded as printed.
async fn respond(
    state: &AppState,
    user: &User,
    case: &Case,
    document: &'static str,
    object: Option<Uuid>,
    filename: String,
    render: impl FnOnce() -> Result<Vec<u8>, documents::Error> + Send + 'static,
) -> Result<Response, PageError> {
    let rendered = tokio::task::spawn_blocking(render).await;
    let pdf = match rendered {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(e)) => return failed(state, user, case, e.to_string()).await,
        Err(e) => return failed(state, user, case, e.to_string()).await,
    };
    state.store.record_case_document(&case.handle, document, object).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

async fn failed(state: &AppState, user: &User, case: &Case, e: String) -> Result<Response, PageError> {
    let id = crate::error::log_internal(&e);
    let message = user.ctx.t().arg("document-failed", "id", &id.to_string());
    let page = super::show::render(state, user, case.handle.procedure_id, Some(message)).await?;
    Ok((StatusCode::INTERNAL_SERVER_ERROR, page).into_response())
}

fn file_name(number: &str, what: &str) -> String {
    let number: String = number.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("{what}-{number}.pdf")
}

fn form_answers(f: &store::procedure::FormView) -> Option<ValidatedAnswers> {
    let kind = [FormKind::A, FormKind::B, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == f.kind)?;
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == f.version)?;
    validate(definition(kind, version)?, &f.answers).ok()
}

fn record_document(r: &CaseRecord, t: &crate::i18n::Tr, owners: &OwnerNames) -> Option<CaseDocument> {
    let answers = validate(record_definition(r.kind), &r.answers).ok()?;
    let minutes = match &r.minutes {
        Some(m) => Some(validate(record_definition(RecordKind::MeetingMinutes), m).ok()?),
        None => None,
    };
    let caption = format!("{}, {}", super::show::warsaw(r.occurs_at), t.get(&format!("record-status-{}", r.status)));
    let owner = r.answers.get("item.responsible").map(|raw| owners.shown_raw(t, raw));
    Some(CaseDocument { caption, answers, minutes, withheld: Default::default(), owner })
}

/// `GET /procedures/{id}/documents/forms/{form}.pdf`: form A, C or D as filled.
pub async fn form(
    State(state): State<AppState>,
    user: User,
    Path((id, form)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let case = case(&state, &user, &id).await?;
    let form_id = form.strip_suffix(".pdf").and_then(|f| Uuid::parse_str(f).ok()).ok_or(ErrorPage::NotFound)?;
    let f = case.view.forms.iter().find(|f| f.id == form_id && f.kind != "B").ok_or(ErrorPage::NotFound)?;
    let Some(answers) = form_answers(f) else {
        return failed(&state, &user, &case, "stored answers do not validate against their definition".to_owned())
            .await;
    };
    let ctx = context(&state, &user);
    let name = file_name(&case.view.number, &format!("formularz-{}", f.kind.to_lowercase()));
    // The values sealed from the one printing are not in the view; the form says „zastrzeżone” in their place.
    let withheld = f.withheld.clone();
    respond(&state, &user, &case, "form", Some(form_id), name, move || {
        documents::filled_form_sealed(&answers, &withheld, &ctx)
    })
    .await
}

/// `GET /procedures/{id}/documents/form-b/{lang}.pdf`: form B in Polish, Ukrainian or English with the tenant's
/// directory of help, in the version of the case's form A.
pub async fn form_b(
    State(state): State<AppState>,
    user: User,
    Path((id, lang)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let case = case(&state, &user, &id).await?;
    let lang = lang.strip_suffix(".pdf").and_then(Lang::parse).ok_or(ErrorPage::NotFound)?;
    let version = case
        .view
        .forms
        .iter()
        .find(|f| f.kind == "A")
        .and_then(|f| [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == f.version))
        .unwrap_or(FormVersion::CURRENT);
    // A translation exists for the 2023 form only: a 2011 case gets the current form B in another language.
    let version = if lang == Lang::Pl { version } else { FormVersion::V2023 };
    let def = definition(FormKind::B, version).ok_or(ErrorPage::NotFound)?;
    let directory: Vec<documents::HelpEntry> = state
        .store
        .help_directory_for_form_b(&case.handle)
        .await?
        .into_iter()
        .map(|h| documents::HelpEntry {
            name: h.name,
            address: h.address,
            phone: h.phone,
            opening_hours: h.opening_hours,
            email: h.email,
        })
        .collect();
    // Form B carries no personal data of the case: no watermark, but the print is recorded all the same.
    let ctx = RenderContext { watermark: None, ..context(&state, &user) };
    let name = file_name(&case.view.number, &format!("formularz-b-{}", lang.as_str()));
    respond(&state, &user, &case, "form_b", None, name, move || documents::form_b(def, lang, &directory, &ctx)).await
}

/// `GET /procedures/{id}/documents/minutes/{record}.pdf`: a held meeting with its minutes and attendance.
pub async fn minutes(
    State(state): State<AppState>,
    user: User,
    Path((id, record)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let case = case(&state, &user, &id).await?;
    let record_id = record.strip_suffix(".pdf").and_then(|r| Uuid::parse_str(r).ok()).ok_or(ErrorPage::NotFound)?;
    let r = case
        .view
        .records
        .iter()
        .find(|r| r.id == record_id && r.kind == RecordKind::Meeting && r.minutes.is_some())
        .ok_or(ErrorPage::NotFound)?;
    let t = user.ctx.t();
    let Some(doc) = record_document(r, &t, &OwnerNames::default()) else {
        return failed(&state, &user, &case, "stored record does not validate against its definition".to_owned()).await;
    };
    let ctx = context(&state, &user);
    let number = case.view.number.clone();
    let name = file_name(&number, "protokol");
    respond(&state, &user, &case, "minutes", Some(record_id), name, move || documents::minutes_pdf(&number, &doc, &ctx))
        .await
}

/// `GET /procedures/{id}/documents/plan.pdf`: the support plan's items as they now stand.
pub async fn plan(State(state): State<AppState>, user: User, Path(id): Path<String>) -> Result<Response, PageError> {
    let case = case(&state, &user, &id).await?;
    if case.handle.access == CaseAccess::Initiator {
        return Err(ErrorPage::NotFound.into());
    }
    let t = user.ctx.t();
    let owners = OwnerNames::of(&t, &case.view.group);
    let items: Option<Vec<CaseDocument>> = case
        .view
        .records
        .iter()
        .filter(|r| r.kind == RecordKind::PlanItem)
        .map(|r| record_document(r, &t, &owners))
        .collect();
    let Some(items) = items else {
        return failed(&state, &user, &case, "stored record does not validate against its definition".to_owned()).await;
    };
    let ctx = context(&state, &user);
    let number = case.view.number.clone();
    let name = file_name(&number, "plan-pomocy");
    respond(&state, &user, &case, "support_plan", None, name, move || {
        documents::support_plan_pdf(&number, &items, &ctx)
    })
    .await
}

/// `GET /procedures/{id}/documents/case-file.pdf`: the whole case file (timeline, forms, records with minutes).
pub async fn case_file(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    // The case file goes to a court or prosecutor, outside the group: every sealed value is withheld, whoever prints.
    let case = case_for_outside(&state, &user, &id).await?;
    if case.handle.access == CaseAccess::Initiator {
        return Err(ErrorPage::NotFound.into());
    }
    let t = user.ctx.t();
    let owners = OwnerNames::of(&t, &case.view.group);
    let forms: Option<Vec<CaseDocument>> = case
        .view
        .forms
        .iter()
        .filter(|f| f.kind != "B")
        .map(|f| {
            Some(CaseDocument {
                caption: t.arg("document-filled-at", "when", &super::show::warsaw(f.filled_at)),
                answers: form_answers(f)?,
                minutes: None,
                withheld: f.withheld.clone(),
                owner: None,
            })
        })
        .collect();
    let records: Option<Vec<CaseDocument>> =
        case.view.records.iter().map(|r| record_document(r, &t, &owners)).collect();
    let (Some(forms), Some(records)) = (forms, records) else {
        return failed(&state, &user, &case, "stored answers do not validate against their definition".to_owned())
            .await;
    };
    let file = CaseFile {
        number: case.view.number.clone(),
        phase: super::phase_label(&t, case.view.phase.as_str()),
        opened: super::show::warsaw(case.view.opened_at),
        timeline: super::show::timeline(&t, &case.view),
        forms,
        records,
    };
    let ctx = context(&state, &user);
    let name = file_name(&file.number, "akta-sprawy");
    respond(&state, &user, &case, "case_file", None, name, move || documents::case_file_pdf(&file, &ctx)).await
}
