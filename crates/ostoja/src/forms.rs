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
