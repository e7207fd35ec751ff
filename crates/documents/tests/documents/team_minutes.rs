//! The team meeting's minutes, read back with pdftotext.

use documents::{TeamMinutes, team_minutes_pdf};

use crate::{body, ctx, read_back};

#[test]
fn team_minutes_print_attendance_and_numbered_resolutions_and_leave_empty_parts_blank() {
    let m = TeamMinutes {
        held: "02.12.2026 10:00".into(),
        mode: "stacjonarnie, sala 12".into(),
        attendance: vec![
            ("Zofia Żółkiewska".into(), "obecna".into()),
            ("Jan O'Brien".into(), "nieobecność usprawiedliwiona".into()),
        ],
        agenda: "Sprawozdanie z realizacji programu za rok 2026.".into(),
        minutes: String::new(),
        resolutions: "Przyjęto sprawozdanie.\n\n  Powołano grupę roboczą ds. szkoleń.".into(),
    };
    let (text, pages) = read_back(&team_minutes_pdf(&m, &ctx(Some("Wydrukował(a): demo.chair"))).unwrap());
    assert_eq!(pages, 1);
    assert!(text.contains("Wydrukował(a): demo.chair"), "the watermark: {text}");
    let text = body(&text);
    for expected in [
        "Protokół z posiedzenia zespołu interdyscyplinarnego",
        "Zespół Interdyscyplinarny w Jaśle",
        "Zofia Żółkiewska",
        "Jan O'Brien",
        "nieobecność usprawiedliwiona",
        "1. Przyjęto sprawozdanie.",
        "2. Powołano grupę roboczą ds. szkoleń.",
    ] {
        assert!(text.contains(expected), "{expected:?} missing in:\n{text}");
    }
    for absent in ["null", "None", "undefined", "3."] {
        assert!(!text.contains(absent), "{absent:?} in:\n{text}");
    }
}
