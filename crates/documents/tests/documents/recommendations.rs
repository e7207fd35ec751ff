//! The recommendations to the mayor as a letter (PDF and ODT) and the annual report's sections on recommendations
//! and projects, read back as a reader gets them.

use std::io::Read;

use documents::{
    RecommendationsLetter, annual_report_odt, annual_report_pdf, recommendations_letter_odt, recommendations_letter_pdf,
};
use domain::programme::{ReportProject, ReportRecommendation};
use domain::team::{Funder, RecommendationStatus};

use crate::annual_report::report;
use crate::{ctx, read_back};

fn recommendation(status: RecommendationStatus, follow_up: &str) -> ReportRecommendation {
    ReportRecommendation {
        year: 2026,
        addressee: "Burmistrz Miasta Jasła".to_owned(),
        recommendation: "Utworzyć punkt konsultacyjny dla osób doznających przemocy.".to_owned(),
        justification: "W 2026 r. 40% osób czekało na konsultację dłużej niż miesiąc.".to_owned(),
        status,
        submitted_on: Some("2026-11-05".to_owned()),
        response: "Punkt zostanie utworzony w 2027 r.".to_owned(),
        responded_on: Some("2026-11-20".to_owned()),
        follow_up: follow_up.to_owned(),
    }
}

fn project() -> ReportProject {
    ReportProject {
        title: "Bezpieczny dom".to_owned(),
        funder: Funder::Ministry,
        funder_name: "Ministerstwo Rodziny".to_owned(),
        starts_on: "2026-02-01".to_owned(),
        ends_on: Some("2026-12-31".to_owned()),
        amount_granted: 2_000_000,
        amount_spent: 2_150_050,
        partners: "Komenda Powiatowa Policji".to_owned(),
        target_group: "Rodziny w procedurze".to_owned(),
        planned_results: "20 rodzin objętych wsparciem".to_owned(),
        achieved_results: "24 rodziny".to_owned(),
        serves: vec!["I.1 Prowadzenie procedury Niebieskie Karty".to_owned()],
    }
}

fn letter() -> RecommendationsLetter {
    RecommendationsLetter {
        tenant_name: "Gmina Miasto Jasło".to_owned(),
        year: 2026,
        place_and_date: "Jasło, 02.12.2026".to_owned(),
        recommendations: vec![recommendation(RecommendationStatus::Accepted, "")],
    }
}

#[test]
fn the_letter_to_the_mayor_reads_back_with_each_recommendation_its_addressee_and_the_answer() {
    let (text, _) = read_back(&recommendations_letter_pdf(&letter(), &ctx(None)).unwrap());
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Jasło, 02.12.2026",
        "Wnioski i rekomendacje Zespołu Interdyscyplinarnego za 2026 rok",
        "1. Utworzyć punkt konsultacyjny",
        "Burmistrz Miasta Jasła",
        "40% osób czekało",
        "przyjęta; przedstawiona 05.11.2026",
        "Punkt zostanie utworzony w 2027 r. (20.11.2026)",
        "przewodniczący(-a) zespołu interdyscyplinarnego",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn the_letter_as_odt_parses_and_carries_the_recommendation() {
    let bytes = recommendations_letter_odt(&letter(), "Zespół Interdyscyplinarny w Jaśle").unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("content.xml").unwrap().read_to_string(&mut xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let text: String = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    assert!(text.contains("Utworzyć punkt konsultacyjny") && text.contains("Burmistrz Miasta Jasła"), "{text}");
}

#[test]
fn the_annual_report_ends_with_the_recommendations_last_years_follow_up_and_the_projects_with_overspending_said() {
    let mut r = report();
    r.recommendations = vec![recommendation(RecommendationStatus::Submitted, "")];
    r.follow_ups = vec![ReportRecommendation {
        year: 2025,
        recommendation: "Przeszkolić pedagogów szkolnych.".to_owned(),
        ..recommendation(RecommendationStatus::Implemented, "Przeszkolono 32 pedagogów.")
    }];
    r.projects = vec![project()];
    let (text, pages) = read_back(&annual_report_pdf(&r, &ctx(None)).unwrap());
    assert_eq!(pages, 5, "two more pages: the recommendations, the projects");
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Wnioski i rekomendacje zespołu interdyscyplinarnego dla burmistrza",
        "przedstawiona, bez odpowiedzi",
        "Realizacja rekomendacji z 2025 roku",
        "Przeszkolono 32 pedagogów.",
        "Projekty i programy współfinansowane",
        "Bezpieczny dom",
        "20 000,00 zł",
        "21 500,50 zł (powyżej przyznanej kwoty)",
        "01.02.2026 –",
        "(ministerstwo)",
        "I.1 Prowadzenie procedury Niebieskie Karty",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }

    let bytes = annual_report_odt(&r, "Zespół Interdyscyplinarny w Jaśle").unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("content.xml").unwrap().read_to_string(&mut xml).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.tag_name().name() == "table").count(), 2);
    assert!(xml.contains("Realizacja rekomendacji z 2025 roku") && xml.contains("Przeszkolono 32 pedagogów."));
}
