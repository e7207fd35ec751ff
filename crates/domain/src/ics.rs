//! Meeting invitations as iCalendar (RFC 5545) with the scheduling method of iTIP (RFC 5546): one `VEVENT` with a
//! stable `UID`, so a rescheduling (`SEQUENCE` + 1) updates the same calendar entry and a cancellation removes it.
//!
//! What the text may hold is the caller's choice; Ostoja puts no personal data in it (a fixed summary, times, a link
//! to the procedure page by its id).

use jiff::Timestamp;
use uuid::Uuid;

/// One meeting invitation (or its cancellation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation<'a> {
    /// The same for every version of one meeting.
    pub uid: Uuid,
    /// 0 for the first invitation, one more for each change.
    pub sequence: u32,
    pub start: Timestamp,
    pub end: Timestamp,
    /// When this version was made (`DTSTAMP`).
    pub stamp: Timestamp,
    pub summary: &'a str,
    pub url: &'a str,
    /// The sender's address (`ORGANIZER`, required by iTIP for REQUEST and CANCEL).
    pub organizer: &'a str,
    /// The recipient's address (`ATTENDEE`).
    pub attendee: &'a str,
    /// `METHOD:CANCEL` instead of `METHOD:REQUEST`.
    pub cancelled: bool,
}

impl Invitation<'_> {
    /// The `METHOD` parameter for the e-mail part's content type.
    pub fn method(&self) -> &'static str {
        if self.cancelled { "CANCEL" } else { "REQUEST" }
    }

    /// The calendar object: CRLF line endings, lines folded at 75 octets, text escaped, times in UTC.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        let mut line = |l: String| {
            out.push_str(&fold(&l));
            out.push_str("\r\n");
        };
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//Ostoja//Ostoja//PL".into());
        line("CALSCALE:GREGORIAN".into());
        line(format!("METHOD:{}", self.method()));
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}@ostoja", self.uid));
        line(format!("SEQUENCE:{}", self.sequence));
        line(format!("DTSTAMP:{}", utc(self.stamp)));
        line(format!("DTSTART:{}", utc(self.start)));
        line(format!("DTEND:{}", utc(self.end)));
        line(format!("SUMMARY:{}", escape(self.summary)));
        line(format!("URL:{}", self.url));
        line(format!("ORGANIZER:mailto:{}", self.organizer));
        line(format!("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}", self.attendee));
        line(format!("STATUS:{}", if self.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        line("END:VEVENT".into());
        line("END:VCALENDAR".into());
        out
    }
}

/// One event of a calendar feed: no attendees, no organizer, only when and what kind of meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent<'a> {
    /// The meeting's id: the event's `UID`, stable across downloads so a calendar updates it in place.
    pub uid: Uuid,
    pub start: Timestamp,
    pub end: Timestamp,
    pub summary: &'a str,
    /// Where to see it (a page of the application that needs a login; no id of a case).
    pub url: &'a str,
}

/// A subscribed calendar (RFC 5545 `METHOD:PUBLISH`): the name it shows under, and its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed<'a> {
    pub name: &'a str,
    /// When it was made (every event's `DTSTAMP`).
    pub stamp: Timestamp,
    pub events: Vec<FeedEvent<'a>>,
}

impl Feed<'_> {
    /// The calendar object: CRLF line endings, lines folded at 75 octets, text escaped, times in UTC.
    pub fn to_ics(&self) -> String {
        let mut out = String::new();
        let mut line = |l: String| {
            out.push_str(&fold(&l));
            out.push_str("\r\n");
        };
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        line("PRODID:-//Ostoja//Ostoja//PL".into());
        line("CALSCALE:GREGORIAN".into());
        line("METHOD:PUBLISH".into());
        line(format!("X-WR-CALNAME:{}", escape(self.name)));
        line("REFRESH-INTERVAL;VALUE=DURATION:PT1H".into());
        for e in &self.events {
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}@ostoja", e.uid));
            line(format!("DTSTAMP:{}", utc(self.stamp)));
            line(format!("DTSTART:{}", utc(e.start)));
            line(format!("DTEND:{}", utc(e.end)));
            line(format!("SUMMARY:{}", escape(e.summary)));
            line(format!("URL:{}", e.url));
            line("CLASS:PRIVATE".into());
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }
}

/// A UTC date-time in the basic format (`20260302T080000Z`), RFC 5545 §3.3.5 form #2.
pub fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, and newlines as `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so no physical line exceeds 75 octets (RFC 5545 §3.1): a CRLF and one space before the
/// octet that would pass the limit, never inside a UTF-8 character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    // The first line holds 75 octets; each continuation line 74 after its leading space.
    let mut room = 75;
    for c in line.chars() {
        let n = c.len_utf8();
        if n > room {
            out.push_str("\r\n ");
            room = 74;
        }
        out.push(c);
        room -= n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invitation(cancelled: bool) -> Invitation<'static> {
        Invitation {
            uid: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
            sequence: 2,
            start: "2026-03-10T09:00:00Z".parse().unwrap(),
            end: "2026-03-10T10:30:00Z".parse().unwrap(),
            stamp: "2026-03-02T08:00:00.123456Z".parse().unwrap(),
            summary: "Posiedzenie grupy diagnostyczno-pomocowej",
            url: "https://ostoja.example.pl/procedures/0190000000007000800000000000000a",
            organizer: "ostoja@gmina.example.pl",
            attendee: "pracownik@ops.example.pl",
            cancelled,
        }
    }

    #[test]
    fn every_line_ends_with_crlf_and_none_is_longer_than_75_octets() {
        let ics = invitation(false).to_ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "a bare LF: {ics:?}");
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
    }

    #[test]
    fn a_request_carries_method_uid_sequence_and_utc_times() {
        let ics = invitation(false).to_ics();
        for expected in [
            "METHOD:REQUEST\r\n",
            "UID:01900000-0000-7000-8000-000000000001@ostoja\r\n",
            "SEQUENCE:2\r\n",
            "DTSTART:20260310T090000Z\r\n",
            "DTEND:20260310T103000Z\r\n",
            "DTSTAMP:20260302T080000Z\r\n",
            "STATUS:CONFIRMED\r\n",
        ] {
            assert!(ics.contains(expected), "{expected:?} missing in {ics}");
        }
        let cancel = invitation(true).to_ics();
        assert!(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n"));
        assert_eq!(invitation(true).method(), "CANCEL");
    }

    #[test]
    fn a_time_outside_utc_is_written_in_utc() {
        let warsaw: Timestamp = "2026-07-01T10:00:00+02:00".parse().unwrap();
        assert_eq!(utc(warsaw), "20260701T080000Z");
    }

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newlines() {
        assert_eq!(escape(r"a\b;c,d"), r"a\\b\;c\,d");
        assert_eq!(escape("one\ntwo\r\nthree"), r"one\ntwo\nthree");
        assert_eq!(escape("tab\there"), "tabhere");
    }

    #[test]
    fn folding_splits_at_75_octets_and_unfolds_to_the_original() {
        let long = format!("SUMMARY:{}", "x".repeat(200));
        let folded = fold(&long);
        let lines: Vec<&str> = folded.split("\r\n").collect();
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..].iter().all(|l| l.starts_with(' ') && l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), long);
        assert_eq!(fold("short"), "short");
    }

    #[test]
    fn folding_never_splits_a_polish_letter() {
        let long = format!("SUMMARY:{}", "ż".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75);
            assert!(std::str::from_utf8(l.as_bytes()).is_ok());
        }
        assert_eq!(folded.replace("\r\n ", ""), long);
        // 8 ASCII octets, then 33 letters of 2 octets fit in 75; the 34th would not.
        assert_eq!(folded.split("\r\n").next().unwrap().len(), 74);
    }

    #[test]
    fn a_feed_publishes_each_event_with_escaped_folded_text() {
        let summary = "Spotkanie grupy diagnostyczno-pomocowej; sala 2, piętro \\ II";
        let feed = Feed {
            name: "Ostoja — spotkania",
            stamp: "2026-12-01T08:00:00Z".parse().unwrap(),
            events: vec![FeedEvent {
                uid: Uuid::from_u128(7),
                start: "2026-12-07T09:00:00Z".parse().unwrap(),
                end: "2026-12-07T10:00:00Z".parse().unwrap(),
                summary,
                url: "https://ostoja.example.pl/calendar?view=week&date=2026-12-07",
            }],
        };
        let ics = feed.to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("METHOD:PUBLISH\r\n") && !ics.contains("ATTENDEE") && !ics.contains("ORGANIZER"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.contains("DTSTART:20261207T090000Z\r\n"));
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(r"SUMMARY:Spotkanie grupy diagnostyczno-pomocowej\; sala 2\, piętro \\ II"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
        }
        assert!(!ics.replace("\r\n", "").contains('\n'));
        let empty = Feed { events: Vec::new(), ..feed };
        assert!(
            empty.to_ics().ends_with(
                "X-WR-CALNAME:Ostoja — spotkania\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nEND:VCALENDAR\r\n"
            )
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_folds_into_short_lines_that_unfold_to_it(text in "\\PC{0,300}") {
            let line = format!("SUMMARY:{}", escape(&text));
            let folded = fold(&line);
            proptest::prop_assert!(folded.split("\r\n").all(|l| l.len() <= 75));
            proptest::prop_assert_eq!(folded.replace("\r\n ", ""), line);
        }
    }
}
