//! `ostoja forms blank`: the same renderer as the web, from the command line.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, anyhow};
use documents::{Lang, RenderContext};
use domain::forms::{FormKind, FormVersion, definition};

/// Writes the blank form to `out`: into a temporary file beside it, renamed into place only once whole, so a failed
/// run leaves no half-written file.
pub fn blank(form: &str, version: &str, lang: &str, out: &Path, now: jiff::Timestamp) -> anyhow::Result<()> {
    let kind = match form {
        "A" => FormKind::A,
        "B" => FormKind::B,
        "C" => FormKind::C,
        "D" => FormKind::D,
        other => return Err(anyhow!("nieznany formularz {other} (A, B, C lub D)")),
    };
    let version = match version {
        "2023" => FormVersion::V2023,
        "2011" => FormVersion::V2011,
        other => return Err(anyhow!("nieznana wersja {other} (2023 lub 2011)")),
    };
    let lang = Lang::parse(lang).ok_or_else(|| anyhow!("nieznany język {lang} (pl, uk lub en)"))?;
    let def =
        definition(kind, version).ok_or_else(|| anyhow!("brak formularza {form} w wersji {}", version.as_str()))?;
    if lang != Lang::Pl && kind != FormKind::B {
        return Err(anyhow!("formularz {form} istnieje tylko po polsku; tłumaczenia ma formularz B"));
    }
    let ctx = RenderContext {
        institution: "Zespół interdyscyplinarny".to_owned(),
        created_at: now.to_zoned(domain::calendar::poland_zone()),
        watermark: None,
    };
    let pdf =
        if kind == FormKind::B { documents::form_b(def, lang, &[], &ctx) } else { documents::blank_form(def, &ctx) }
            .map_err(|e| match e {
                documents::Error::NoTranslation { .. } => {
                    anyhow!("formularz B w wersji {} nie ma tłumaczenia na język {}", version.as_str(), lang.as_str())
                }
                e => anyhow!("nie udało się utworzyć dokumentu: {e}"),
            })?;
    write_whole(out, &pdf)
}

/// `ostoja report annual`: the annual report of the programme whose period holds `year`, written whole to `out`.
/// The command line acts as the operator with the aggregate viewer's reading rights in the one municipality; the
/// generation is recorded in the audit trail.
pub async fn annual_report(
    store: &store::Store,
    teryt: &str,
    year: i16,
    format: &str,
    out: &Path,
    now: jiff::Timestamp,
) -> anyhow::Result<()> {
    let tenant = store.tenant_by_teryt(teryt).await.map_err(|_| anyhow!("nie ma gminy o kodzie TERYT {teryt}"))?;
    let operator = store::Actor { tenant_id: Some(tenant.id), ..store::Actor::operator() };
    let principal = store::identity::Principal {
        account_id: uuid::Uuid::nil(),
        login: operator.login.clone(),
        tenant_id: Some(tenant.id),
        tenant_teryt: Some(tenant.teryt.clone()),
        tenant_name: Some(tenant.name.clone()),
        tenant_is_demo: tenant.is_demo,
        demo_account: false,
        roles: domain::identity::RoleSet::new(vec![domain::identity::Role::AggregateViewer]),
    };
    let programme = store
        .programmes(&principal)
        .await?
        .into_iter()
        .find(|p| p.period_from <= i32::from(year) && i32::from(year) <= p.period_to)
        .ok_or_else(|| anyhow!("gmina {teryt} nie ma programu obejmującego rok {year}"))?;
    let report = store.annual_report(&principal, programme.id, year).await?;
    let institution = format!("Zespół interdyscyplinarny – {}", tenant.name);
    let ctx = RenderContext {
        institution: institution.clone(),
        created_at: now.to_zoned(domain::calendar::poland_zone()),
        watermark: None,
    };
    let bytes = match format {
        "pdf" => documents::annual_report_pdf(&report, &ctx),
        "xlsx" => documents::annual_report_xlsx(&report),
        "odt" => documents::annual_report_odt(&report, &institution),
        other => return Err(anyhow!("nieznany format {other} (pdf, xlsx lub odt)")),
    }
    .map_err(|e| anyhow!("nie udało się utworzyć dokumentu: {e}"))?;
    write_whole(out, &bytes)?;
    store.record_report_document(&operator, programme.id, year, format).await?;
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("nie można pisać w katalogu {}", dir.display()))?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).context("zapis pliku nie powiódł się")?;
    tmp.persist(path).map_err(|e| anyhow!("nie można zapisać {}: {}", path.display(), e.error))?;
    Ok(())
}
