//! "Udostępnienie kopii dokumentacji" (issue 20, item 2): the chair's (or deputy chair's) answer to an access request
//! (art. 9c ust. 4–5) with a redacted copy of the chosen forms and records, watermarked on every page with its
//! recipient, purpose and date, and recorded for the data protection officer's register.
//!
//! Who may: `Permission::GrantCaseAccess` (chair, deputy chair), checked before the case is looked up, so anyone
//! else gets 403 and leaves no trace; then the store's need-to-know and its own chair check. Sealed values and
//! third parties' data are redacted by default (`domain::procedure::release`); the chair reveals third parties'
//! values one by one, and includes sealed values only explicitly with a reason (never for the suspected person).

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use documents::{CaseDocument, ReleaseFile, RenderContext};
use domain::forms::ValidatedAnswers;
use domain::identity::Permission;
use domain::procedure::release::{
    RawRelease, RedactableValue, ReleaseBasis, Requester, check_request, redactable_values,
};
use sha2::{Digest, Sha256};
use store::StoreError;
use store::procedure::{CaseAccess, CaseHandle, ProcedureView, ReleaseContents};
use uuid::Uuid;

use super::show::warsaw;
use crate::error::{ErrorPage, PageError};
use crate::extract::CsrfForm;
use crate::page::{Chrome, FormState, field, repeated};
use crate::session::User;
use crate::state::AppState;

/// A third party's value the chair may reveal: (`<document id>:<path>`, where it is in words).
pub struct RevealChoice {
    pub token: String,
    pub label: String,
}

/// A form or record the chair may release.
pub struct DocumentChoice {
    /// `form:<id>` or `record:<id>`.
    pub token: String,
    pub label: String,
    pub reveal: Vec<RevealChoice>,
}

/// A past release of the case.
pub struct ReleaseRow {
    pub released: String,
    pub recipient: String,
    pub purpose: String,
    pub basis: String,
    pub contents: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "procedure/release.html")]
pub struct ReleasePage {
    chrome: Chrome,
    id: Uuid,
    number: String,
    form: FormState,
    requesters: Options,
    bases: Options,
    documents: Vec<DocumentChoice>,
    releases: Vec<ReleaseRow>,
    /// Whether any field of the case is sealed (the page then offers to include them, with a reason).
    sealed: bool,
    today: String,
}

/// The case, after the permission check (403 before any look-up) and the store's need-to-know.
async fn chair_case(state: &AppState, user: &User, id: &str) -> Result<CaseHandle, PageError> {
    user.require(Permission::GrantCaseAccess)?;
    let id = Uuid::parse_str(id).map_err(|_| ErrorPage::NotFound)?;
    let handle = state.store.case_access(&user.caller(), id).await?;
    if handle.access != CaseAccess::Team {
        return Err(ErrorPage::NotFound.into());
    }
    Ok(handle)
}

fn form_answers(f: &store::procedure::FormView) -> Option<ValidatedAnswers> {
    use domain::forms::{FormKind, FormVersion, definition, validate};
    let kind = [FormKind::A, FormKind::C, FormKind::D].into_iter().find(|k| k.as_str() == f.kind)?;
    let version = [FormVersion::V2011, FormVersion::V2023].into_iter().find(|v| v.as_str() == f.version)?;
    validate(definition(kind, version)?, &f.answers).ok()
}

fn record_answers(r: &store::procedure::CaseRecord) -> Option<(ValidatedAnswers, Option<ValidatedAnswers>)> {
    use domain::forms::records::{RecordKind, record_definition};
    let answers = domain::forms::validate(record_definition(r.kind), &r.answers).ok()?;
    let minutes = match &r.minutes {
        Some(m) => Some(domain::forms::validate(record_definition(RecordKind::MeetingMinutes), m).ok()?),
        None => None,
    };
    Some((answers, minutes))
}

/// Stored answers that no longer validate against their definition: nothing is released, the operator is told.
fn unreadable() -> PageError {
    ErrorPage::Internal(crate::error::log_internal(&"stored answers do not validate against their definition")).into()
}

/// Where a value the chair may reveal is, in the page's language: its part (with the person's number) and its field
/// (`affected_persons[1].pesel` → "Persons experiencing domestic violence 2: PESEL number"); the domain's Polish words
/// when the path does not name a field.
fn reveal_label(t: &crate::i18n::Tr, def: &domain::forms::FormDefinition, value: RedactableValue) -> String {
    let (container, field) = value.path.split_once('.').unwrap_or((&value.path, ""));
    let (section, index) = match container.split_once('[') {
        Some((id, rest)) => (id, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (container, None),
    };
    let Some((section, field)) = def.section(section).and_then(|s| Some((s, s.field(field)?))) else {
        return value.label_pl;
    };
    let title = t.section_title(def, section);
    let title = match index {
        Some(i) => format!("{title} {}", i + 1),
        None => title.to_owned(),
    };
    format!("{title}: {}", t.field_label(def, section.id, field))
}

/// The forms and records of the case to choose from, each with the third parties' values the chair may reveal
/// (every person's, so the list does not depend on the requester chosen).
fn choices(t: &crate::i18n::Tr, view: &ProcedureView) -> Vec<DocumentChoice> {
    let mut out = Vec::new();
    for f in view.forms.iter().filter(|f| f.kind != "B") {
        let reveal = form_answers(f)
            .map(|a| {
                let def = a.definition();
                let values = redactable_values(&a, Requester::Other).into_iter();
                values.map(|v| RevealChoice { token: format!("{}:{}", f.id, v.path), label: reveal_label(t, def, v) })
            })
            .into_iter()
            .flatten()
            .collect();
        out.push(DocumentChoice {
            token: format!("form:{}", f.id),
            label: t.arg2("release-document-form", "kind", &f.kind, "when", &warsaw(f.filled_at)),
            reveal,
        });
    }
    for r in &view.records {
        let title = t.form_title(domain::forms::records::record_definition(r.kind));
        out.push(DocumentChoice {
            token: format!("record:{}", r.id),
            label: format!("{title}, {}", warsaw(r.occurs_at)),
            reveal: Vec::new(),
        });
    }
    out
}

/// The most characters of the recipient the watermark's footer line holds with the date and room for the purpose.
const WATERMARK_RECIPIENT_CHARS: usize = 60;

/// `text` cut to `max` characters, marked with an ellipsis when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

/// A select's options: (code posted, words shown).
type Options = Vec<(&'static str, String)>;

/// The requesters and the legal bases, in words.
fn options(t: &crate::i18n::Tr) -> (Options, Options) {
    let requesters = Requester::ALL
        .into_iter()
        .map(|r| (r.as_str(), t.get(&format!("release-requester-{}", r.as_str().replace('_', "-")))))
        .collect();
    let bases = ReleaseBasis::ALL
        .into_iter()
        .map(|b| (b.as_str(), t.get(&format!("release-basis-{}", b.as_str().replace('_', "-")))))
        .collect();
    (requesters, bases)
}

async fn page(
    state: &AppState,
    user: &User,
    handle: &CaseHandle,
    view: &ProcedureView,
    form: FormState,
) -> Result<ReleasePage, PageError> {
    let t = user.ctx.t();
    let (requesters, bases) = options(&t);
    let releases = state
        .store
        .case_releases(handle)
        .await?
        .iter()
        .map(|r| {
            let line = crate::audit::register::release_line(&t, r);
            ReleaseRow {
                released: line.released,
                recipient: line.recipient,
                purpose: line.purpose,
                basis: line.basis,
                contents: line.contents,
            }
        })
        .collect();
    let sealed = !state.store.case_seals(handle).await?.seals.is_empty();
    Ok(ReleasePage {
        chrome: Chrome::for_user(user, "release-title"),
        id: handle.procedure_id,
        number: view.number.clone(),
        form,
        requesters,
        bases,
        documents: choices(&t, view),
        releases,
        sealed,
        today: state.clock.now().to_zoned(domain::calendar::poland_zone()).date().to_string(),
    })
}

/// `GET /procedures/{id}/release`: the request form and the case's earlier releases.
pub async fn form(State(state): State<AppState>, user: User, Path(id): Path<String>) -> Result<Response, PageError> {
    let handle = chair_case(&state, &user, &id).await?;
    let view = state.store.release_view(&handle, false).await?;
    Ok(page(&state, &user, &handle, &view, FormState::new()).await?.into_response())
}

/// `POST /procedures/{id}/release`: checks the request, makes the copy, records the release and hands the PDF over;
/// a refusal shows the page again with each message beside its field and everything typed kept.
pub async fn submit(
    State(state): State<AppState>,
    user: User,
    Path(id): Path<String>,
    CsrfForm(body): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    user.require(Permission::GrantCaseAccess)?;
    let handle = chair_case(&state, &user, &id).await?;
    let t = user.ctx.t();
    let raw = RawRelease {
        recipient: field(&body, "recipient").to_owned(),
        purpose: field(&body, "purpose").to_owned(),
        basis: field(&body, "basis").to_owned(),
        basis_other: field(&body, "basis_other").to_owned(),
        requester: field(&body, "requester").to_owned(),
        requested_on: field(&body, "requested_on").to_owned(),
        include_sealed: field(&body, "include_sealed") == "on",
        sealed_reason: field(&body, "sealed_reason").to_owned(),
    };
    let chosen: BTreeSet<String> = repeated(&body, "documents").into_iter().collect();
    let revealed: BTreeSet<String> = repeated(&body, "reveal").into_iter().collect();
    let mut form = FormState::new();
    for name in ["recipient", "purpose", "basis", "basis_other", "requester", "requested_on", "sealed_reason"] {
        form = form.with(name, field(&body, name));
    }
    form = form
        .with("include_sealed", if raw.include_sealed { "on" } else { "" })
        .with("documents", &chosen.iter().cloned().collect::<Vec<_>>().join(","))
        .with("reveal", &revealed.iter().cloned().collect::<Vec<_>>().join(","));

    let view = state.store.release_view(&handle, false).await?;
    let zone = domain::calendar::poland_zone();
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let opened_on = view.opened_at.to_zoned(zone.clone()).date();
    let checked = check_request(&raw, today, opened_on);
    if let Err(errors) = &checked {
        for (name, code) in errors {
            if form.e(name).is_none() {
                form = form.error(name, t.get(code));
            }
        }
    }
    let known = |token: &String| {
        view.forms.iter().any(|f| f.kind != "B" && *token == format!("form:{}", f.id))
            || view.records.iter().any(|r| *token == format!("record:{}", r.id))
    };
    if chosen.is_empty() || !chosen.iter().all(known) {
        form = form.error("documents", t.get("err-release-documents-required"));
    }
    let request = match checked {
        Ok(request) if !form.has_errors() => request,
        _ => {
            let page = page(&state, &user, &handle, &view, form).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    // The sealed values are read only when the chair included them (with a reason, never for the suspected person).
    let view = if request.sealed_reason.is_some() { state.store.release_view(&handle, true).await? } else { view };

    let mut contents = ReleaseContents::default();
    let mut docs = Vec::new();
    for f in view.forms.iter().filter(|f| chosen.contains(&format!("form:{}", f.id))) {
        let Some(answers) = form_answers(f) else { return Err(unreadable()) };
        let mut redacted = BTreeSet::new();
        for v in redactable_values(&answers, request.requester) {
            let token = format!("{}:{}", f.id, v.path);
            if revealed.contains(&token) {
                contents.revealed.push(token);
            } else {
                redacted.insert(v.path);
            }
        }
        contents.redacted += redacted.len();
        contents.forms.push(f.id);
        let caption = t.arg("document-filled-at", "when", &warsaw(f.filled_at));
        docs.push((
            CaseDocument { caption, answers, minutes: None, withheld: f.withheld.clone(), owner: None },
            redacted,
        ));
    }
    for r in view.records.iter().filter(|r| chosen.contains(&format!("record:{}", r.id))) {
        let Some((answers, minutes)) = record_answers(r) else { return Err(unreadable()) };
        contents.records.push(r.id);
        let caption = warsaw(r.occurs_at);
        // A member stored as a plan item's owner is printed by role, never by account id.
        let doc = CaseDocument { caption, answers, minutes, withheld: BTreeSet::new(), owner: None };
        docs.push((doc, BTreeSet::new()));
    }

    let now = state.clock.now().to_zoned(zone);
    let released_on = now.strftime("%d.%m.%Y").to_string();
    let file = ReleaseFile {
        number: view.number.clone(),
        recipient: request.recipient.clone(),
        purpose: request.purpose.clone(),
        basis: request.basis_pl(),
        requested_on: request.requested_on.strftime("%d.%m.%Y").to_string(),
        released_on: released_on.clone(),
        documents: docs,
    };
    let ctx = RenderContext {
        // In Polish like the copy itself. The date and the recipient come first: the footer line, cut to the page's
        // width, keeps them whole on every page (a long recipient is shortened there); the diagonal carries it all.
        watermark: Some(format!(
            "Kopia z {released_on} dla: {} · cel: {}",
            shortened(&request.recipient, WATERMARK_RECIPIENT_CHARS),
            request.purpose
        )),
        ..super::documents::context(&state, &user)
    };
    let rendered = tokio::task::spawn_blocking(move || documents::release_pdf(&file, &ctx)).await;
    let pdf = match rendered {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(e)) => return Err(ErrorPage::Internal(crate::error::log_internal(&e)).into()),
        Err(e) => return Err(ErrorPage::Internal(crate::error::log_internal(&e)).into()),
    };
    contents.digest = hex::encode(Sha256::digest(&pdf));
    match state.store.record_release(&handle, &request, &contents).await {
        Ok(_) => {}
        Err(StoreError::Invalid(errors)) => {
            let form = form.with_errors(&errors, &t);
            let page = page(&state, &user, &handle, &view, form).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    let number: String = view.number.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"kopia-dokumentacji-{number}.pdf\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_requester_and_basis_has_words_in_both_languages_never_its_code() {
        for lang in [crate::i18n::Lang::Pl, crate::i18n::Lang::En] {
            let t = crate::i18n::Tr::new(lang);
            let (requesters, bases) = options(&t);
            for (code, label) in requesters.iter().chain(&bases) {
                assert!(!label.starts_with("release-") && label != code && !label.contains('_'), "{code}: {label}");
            }
        }
    }
}
