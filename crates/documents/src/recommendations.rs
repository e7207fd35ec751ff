//! What the team learned, in writing: its conclusions and recommendations to the mayor as a letter (PDF and an
//! editable ODT), and the annual report's sections on the recommendations (with last year's followed up) and on the
//! projects and co-financed programmes. Polish, as the report is.

use domain::programme::{AnnualReport, ReportProject, ReportRecommendation};
use domain::team::{Funder, RecommendationStatus, format_amount};

use crate::Error;
use crate::form::{Lang, RenderContext};
use crate::layout::Layout;
use crate::odt::{Body, package};

/// The letter presenting a year's recommendations to the mayor.
#[derive(Debug, Clone)]
pub struct RecommendationsLetter {
    pub tenant_name: String,
    pub year: i16,
    /// "Jasło, 02.12.2026".
    pub place_and_date: String,
    pub recommendations: Vec<ReportRecommendation>,
}

/// A status in the words of the letter and the report.
pub fn status_words(status: RecommendationStatus) -> &'static str {
    match status {
        RecommendationStatus::Draft => "projekt",
        RecommendationStatus::Submitted => "przedstawiona, bez odpowiedzi",
        RecommendationStatus::Accepted => "przyjęta",
        RecommendationStatus::PartlyAccepted => "przyjęta częściowo",
        RecommendationStatus::Rejected => "nieprzyjęta",
        RecommendationStatus::Implemented => "zrealizowana",
    }
}

/// A funder in the report's words.
pub fn funder_words(funder: Funder) -> &'static str {
    match funder {
        Funder::Ministry => "ministerstwo",
        Funder::Voivodeship => "samorząd województwa / wojewoda",
        Funder::County => "powiat",
        Funder::Municipality => "gmina",
        Funder::Eu => "środki Unii Europejskiej",
        Funder::Other => "inne źródło",
    }
}

/// "12.03.2026" from an ISO date; anything else as it is.
fn day(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_owned(),
    }
}

fn letter_title(year: i16) -> String {
    format!("Wnioski i rekomendacje Zespołu Interdyscyplinarnego za {year} rok")
}

/// The lines of one recommendation: (label, text), empty parts left out.
fn recommendation_lines(r: &ReportRecommendation, with_follow_up: bool) -> Vec<(&'static str, String)> {
    let mut lines = vec![("Adresat", r.addressee.clone())];
    if !r.justification.trim().is_empty() {
        lines.push(("Uzasadnienie", r.justification.clone()));
    }
    let mut status = status_words(r.status).to_owned();
    if let Some(on) = &r.submitted_on {
        status.push_str(&format!("; przedstawiona {}", day(on)));
    }
    lines.push(("Status", status));
    if !r.response.trim().is_empty() || r.responded_on.is_some() {
        let when = r.responded_on.as_deref().map(|d| format!(" ({})", day(d))).unwrap_or_default();
        lines.push(("Odpowiedź burmistrza", format!("{}{when}", r.response.trim())));
    }
    if with_follow_up {
        let follow_up = if r.follow_up.trim().is_empty() { "nie odnotowano" } else { r.follow_up.trim() };
        lines.push(("Realizacja w kolejnym roku", follow_up.to_owned()));
    }
    lines
}

fn recommendations_pdf(layout: &mut Layout, list: &[ReportRecommendation], with_follow_up: bool) {
    for (i, r) in list.iter().enumerate() {
        layout.bold(&format!("{}. {}", i + 1, r.recommendation.trim()));
        for (label, text) in recommendation_lines(r, with_follow_up) {
            layout.labelled(label, None, Some(&text), 1);
        }
    }
}

fn recommendations_odt(body: &mut Body, list: &[ReportRecommendation], with_follow_up: bool) {
    for (i, r) in list.iter().enumerate() {
        body.paragraph(&format!("{}. {}", i + 1, r.recommendation.trim()));
        for (label, text) in recommendation_lines(r, with_follow_up) {
            body.labelled(label, &text);
        }
    }
}

/// The letter as PDF: the team, the place and date, the recommendations, the chair's signature line.
pub fn recommendations_letter_pdf(letter: &RecommendationsLetter, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let title = letter_title(letter.year);
    let mut layout = Layout::new();
    layout.paragraph(&letter.place_and_date);
    layout.paragraph(&ctx.institution);
    layout.space(12.0);
    layout.heading(&title, 14.0);
    layout.paragraph(&format!(
        "Na podstawie art. 9b ust. 2 ustawy o przeciwdziałaniu przemocy domowej Zespół Interdyscyplinarny \
         ({}) przedstawia wnioski i rekomendacje wynikające z jego pracy w {} roku.",
        letter.tenant_name, letter.year
    ));
    if letter.recommendations.is_empty() {
        layout.paragraph("Zespół nie przedstawił rekomendacji w tym roku.");
    }
    recommendations_pdf(&mut layout, &letter.recommendations, false);
    layout.signatures(&["przewodniczący(-a) zespołu interdyscyplinarnego"]);
    layout.finish(&ctx.meta(&title, Lang::Pl))
}

/// The letter as ODT, for the chair to finish before signing.
pub fn recommendations_letter_odt(letter: &RecommendationsLetter, institution: &str) -> Result<Vec<u8>, Error> {
    let title = letter_title(letter.year);
    let mut body = Body(String::new());
    body.paragraph(&letter.place_and_date);
    body.paragraph(institution);
    body.heading(1, &title);
    body.paragraph(&format!(
        "Na podstawie art. 9b ust. 2 ustawy o przeciwdziałaniu przemocy domowej Zespół Interdyscyplinarny \
         ({}) przedstawia wnioski i rekomendacje wynikające z jego pracy w {} roku.",
        letter.tenant_name, letter.year
    ));
    if letter.recommendations.is_empty() {
        body.paragraph("Zespół nie przedstawił rekomendacji w tym roku.");
    }
    recommendations_odt(&mut body, &letter.recommendations, false);
    body.paragraph("");
    body.paragraph("………………………………………………");
    body.paragraph("przewodniczący(-a) zespołu interdyscyplinarnego");
    package(&title, institution, &body)
}

fn project_rows(projects: &[ReportProject]) -> Vec<Vec<String>> {
    projects
        .iter()
        .map(|p| {
            let funder = if p.funder_name.trim().is_empty() {
                funder_words(p.funder).to_owned()
            } else {
                format!("{} ({})", p.funder_name.trim(), funder_words(p.funder))
            };
            let period = format!("{} – {}", day(&p.starts_on), p.ends_on.as_deref().map(day).unwrap_or_default());
            let mut spent = format_amount(p.amount_spent);
            if p.overspent() {
                spent.push_str(" (powyżej przyznanej kwoty)");
            }
            vec![p.title.clone(), period, funder, format_amount(p.amount_granted), spent]
        })
        .collect()
}

const PROJECT_HEADERS: [&str; 5] = ["Projekt", "Okres", "Finansujący", "Kwota przyznana", "Kwota wydana"];

fn project_details(p: &ReportProject) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    for (label, text) in [
        ("Partnerzy", &p.partners),
        ("Grupa docelowa", &p.target_group),
        ("Planowane rezultaty", &p.planned_results),
        ("Osiągnięte rezultaty", &p.achieved_results),
    ] {
        if !text.trim().is_empty() {
            lines.push((label, text.clone()));
        }
    }
    if !p.serves.is_empty() {
        lines.push(("Zadania i wskaźniki programu", p.serves.join("; ")));
    }
    lines
}

/// The report's last sections in the PDF: recommendations of the year, last year's followed up, the projects.
pub(crate) fn report_sections_pdf(layout: &mut Layout, report: &AnnualReport) {
    if !report.recommendations.is_empty() || !report.follow_ups.is_empty() {
        layout.new_page();
        layout.heading("Wnioski i rekomendacje zespołu interdyscyplinarnego dla burmistrza", 13.0);
        if report.recommendations.is_empty() {
            layout.paragraph(&format!("Zespół nie przedstawił rekomendacji w {} roku.", report.year));
        }
        recommendations_pdf(layout, &report.recommendations, false);
        if !report.follow_ups.is_empty() {
            layout.heading(&format!("Realizacja rekomendacji z {} roku", report.year - 1), 11.0);
            recommendations_pdf(layout, &report.follow_ups, true);
        }
    }
    if !report.projects.is_empty() {
        layout.new_page();
        layout.heading("Projekty i programy współfinansowane", 13.0);
        layout.table(&PROJECT_HEADERS, &[0.28, 0.17, 0.21, 0.16, 0.18], &project_rows(&report.projects));
        for p in &report.projects {
            let details = project_details(p);
            if !details.is_empty() {
                layout.bold(&p.title);
                for (label, text) in details {
                    layout.labelled(label, None, Some(&text), 1);
                }
            }
        }
    }
}

/// The same sections in the ODT.
pub(crate) fn report_sections_odt(body: &mut Body, report: &AnnualReport, table_number: &mut usize) {
    if !report.recommendations.is_empty() || !report.follow_ups.is_empty() {
        body.heading(2, "Wnioski i rekomendacje zespołu interdyscyplinarnego dla burmistrza");
        if report.recommendations.is_empty() {
            body.paragraph(&format!("Zespół nie przedstawił rekomendacji w {} roku.", report.year));
        }
        recommendations_odt(body, &report.recommendations, false);
        if !report.follow_ups.is_empty() {
            body.heading(3, &format!("Realizacja rekomendacji z {} roku", report.year - 1));
            recommendations_odt(body, &report.follow_ups, true);
        }
    }
    if !report.projects.is_empty() {
        body.heading(2, "Projekty i programy współfinansowane");
        *table_number += 1;
        let headers: Vec<String> = PROJECT_HEADERS.iter().map(|h| (*h).to_owned()).collect();
        body.table(&format!("Tabela{table_number}"), &headers, &project_rows(&report.projects));
        for p in &report.projects {
            let details = project_details(p);
            if !details.is_empty() {
                body.heading(3, &p.title);
                for (label, text) in details {
                    body.labelled(label, &text);
                }
            }
        }
    }
}
