//! The minutes of a meeting of the interdisciplinary team itself (not of a support group): when and how it met, who
//! came or was excused, the agenda, the course of the meeting and its resolutions, with signature lines.

use crate::Error;
use crate::form::{Lang, RenderContext};
use crate::layout::Layout;

/// A held team meeting as the minutes print it. Everything is already in words (labels, dates).
#[derive(Debug, Clone, Default)]
pub struct TeamMinutes {
    /// "02.12.2026 10:00".
    pub held: String,
    /// "stacjonarnie, sala 12" / "zdalnie: https://…".
    pub mode: String,
    /// (member's name, their attendance in words).
    pub attendance: Vec<(String, String)>,
    pub agenda: String,
    pub minutes: String,
    /// One resolution per line.
    pub resolutions: String,
}

/// The team meeting's minutes as PDF. Empty parts print as blank lines to fill in, never as "null".
pub fn team_minutes_pdf(m: &TeamMinutes, ctx: &RenderContext) -> Result<Vec<u8>, Error> {
    let mut layout = Layout::new();
    let title = "Protokół z posiedzenia zespołu interdyscyplinarnego";
    layout.heading(title, 15.0);
    layout.labelled("Zespół", None, Some(&ctx.institution), 1);
    layout.labelled("Data i godzina posiedzenia", None, Some(&m.held), 1);
    layout.labelled("Forma posiedzenia", None, Some(&m.mode), 1);
    layout.heading("Obecność", 12.0);
    if m.attendance.is_empty() {
        layout.paragraph("Nie odnotowano obecności.");
    } else {
        let rows: Vec<Vec<String>> = m.attendance.iter().map(|(who, how)| vec![who.clone(), how.clone()]).collect();
        layout.table(&["Członek zespołu", "Obecność"], &[0.6, 0.4], &rows);
    }
    let part = |layout: &mut Layout, heading: &str, text: &str| {
        layout.heading(heading, 12.0);
        let text = text.trim();
        layout.labelled("", None, (!text.is_empty()).then_some(text), 3);
    };
    part(&mut layout, "Porządek posiedzenia", &m.agenda);
    part(&mut layout, "Przebieg posiedzenia", &m.minutes);
    layout.heading("Podjęte uchwały i ustalenia", 12.0);
    let resolutions: Vec<&str> = m.resolutions.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    if resolutions.is_empty() {
        layout.labelled("", None, None, 2);
    }
    for (i, r) in resolutions.iter().enumerate() {
        layout.paragraph(&format!("{}. {r}", i + 1));
    }
    layout.signatures(&["protokołował(a)", "przewodniczący(-a) zespołu interdyscyplinarnego"]);
    layout.finish(&ctx.meta(title, Lang::Pl))
}
