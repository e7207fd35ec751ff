//! The municipal programme's pages: the computed indicators with how each is counted (and, for the team, the cases
//! behind a figure), the programme and its versions, the reporters' entry form, the coordinator's completeness view
//! with reminders, the annual report preview with inline SVG bars, the statutory set (page and CSV), and the
//! programme written and amended in the browser (editor.rs, show.rs).

mod editor;
mod entries;
mod indicators;
mod learning;
mod package;
mod report;
mod show;
mod statutory;

use axum::routing::{get, post};

use crate::state::AppState;

pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new()
        .route("/programme", get(report::list))
        .route("/programme/indicators", get(indicators::show))
        .route("/programme/indicators/{year}/{key}", get(indicators::records))
        .route("/programme/diagnosis", get(learning::diagnosis))
        .route("/programme/diagnosis/pdf", get(learning::diagnosis_pdf))
        .route("/programme/diagnosis/odt", get(learning::diagnosis_odt))
        .route("/programme/outcomes", get(learning::outcomes))
        .route("/programme/outcomes/{year}/{figure}", get(learning::outcome_cases))
        .route("/programme/statutory", get(statutory::show))
        .route("/programme/statutory/{year}/csv", get(statutory::csv))
        .route("/programme/statutory/{year}/xlsx", get(statutory::xlsx))
        .route("/programme/statutory/{year}/entry", post(statutory::enter))
        .route("/programme/statutory/{year}/approve", post(statutory::approve))
        .route("/programme/statutory/{year}/gaps", get(statutory::gaps))
        .route("/programme/statutory/package", get(package::show))
        .route("/programme/statutory/package/download", get(package::download))
        .route("/programme/statutory/package/key", axum::routing::post(package::create_key))
        .route("/programme/{id}/report/{year}", get(report::show).post(report::narrative))
        .route("/programme/{id}/entries/{year}", get(entries::show).post(entries::submit))
        .route("/programme/{id}/missing/{year}", get(entries::missing).post(entries::remind))
        .route("/programme/new", get(editor::new).post(editor::create))
        .route("/programme/{id}", get(show::show))
        .route("/programme/{id}/amend", get(editor::amend_form).post(editor::amend))
}

/// The year in a query (`?year=2025`), the current year when absent; a year typed wrong gives the message id.
pub(crate) fn year_param(raw: Option<&str>, this_year: i16) -> (i16, Option<&'static str>) {
    match raw.map(str::trim).filter(|y| !y.is_empty()) {
        None => (this_year, None),
        Some(raw) => match raw.parse::<i16>() {
            Ok(y) if (2000..=2100).contains(&y) => (y, None),
            _ => (this_year, Some("err-year-format")),
        },
    }
}

pub(crate) fn this_year(state: &AppState) -> i16 {
    state.store.now().to_zoned(domain::calendar::poland_zone()).year()
}

/// Inline SVG bars for a series of yearly values with their targets: drawn on the server, no script. Only numbers
/// and years go into it.
pub(crate) fn bars_svg(values: &[(i16, Option<i64>, Option<i64>)], label: &str) -> String {
    let max = values.iter().flat_map(|(_, v, t)| [v.unwrap_or(0), t.unwrap_or(0)]).max().unwrap_or(0).max(1);
    let bar = 34;
    let gap = 14;
    let height = 90;
    let width = values.len() * (bar + gap) + gap;
    let mut svg = format!(
        "<svg class=\"bars\" role=\"img\" aria-label=\"{}\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\">",
        askama::filters::escape(label, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default(),
        height + 34,
        height + 34
    );
    for (i, (year, value, target)) in values.iter().enumerate() {
        let x = gap + i * (bar + gap);
        let v = value.unwrap_or(0);
        let h = usize::try_from(v.saturating_mul(height as i64) / max).unwrap_or(0);
        let y = height + 14 - h;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"#2b5f8a\"></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\">{year}</text>",
            x + bar / 2,
            y.saturating_sub(2),
            value.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            x + bar / 2,
            height + 30
        ));
        if let Some(t) = target {
            let ty = height + 14 - usize::try_from(t.saturating_mul(height as i64) / max).unwrap_or(0);
            svg.push_str(&format!(
                "<line x1=\"{}\" x2=\"{}\" y1=\"{ty}\" y2=\"{ty}\" stroke=\"#b03a2e\" stroke-width=\"2\" stroke-dasharray=\"4 2\"></line>",
                x.saturating_sub(3),
                x + bar + 3
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_hold_only_numbers_and_years_and_scale_to_the_largest() {
        let svg = bars_svg(&[(2024, Some(100), Some(200)), (2025, None, None)], "wizyty <b>");
        assert!(svg.contains("wizyty &#60;b&#62;") || svg.contains("wizyty &lt;b&gt;"), "{svg}");
        assert!(svg.contains(">100</text>") && svg.contains(">—</text>") && svg.contains("stroke-dasharray"));
        assert_eq!(year_param(Some("20x5"), 2026), (2026, Some("err-year-format")));
        assert_eq!(year_param(Some("2025"), 2026), (2025, None));
    }
}
