//! Dates and times as people type them (`domain::parse`, the birth date): never a panic; an accepted value is
//! written back in both accepted shapes and read again as the same day or moment.
#![no_main]

use domain::parse;
use domain::person::parse_birth_date;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(day) = parse::date(raw) {
        assert_eq!(parse::date(&day.strftime("%Y-%m-%d").to_string()), Ok(day), "{raw:?}");
        assert_eq!(parse::date(&day.strftime("%d.%m.%Y").to_string()), Ok(day), "{raw:?}");
        assert_eq!(parse::optional_date(raw), Ok(Some(day)));
        assert_eq!(parse_birth_date(raw), Ok(day));
    } else if raw.trim().is_empty() {
        assert_eq!(parse::optional_date(raw), Ok(None));
    } else {
        assert!(parse_birth_date(raw).is_err());
    }
    if let Ok(at) = parse::date_time(raw) {
        assert_eq!(parse::date_time(&at.strftime("%Y-%m-%dT%H:%M:%S").to_string()), Ok(at), "{raw:?}");
        assert_eq!(parse::date_time(&at.strftime("%d.%m.%Y %H:%M").to_string()).map(|t| t.date()), Ok(at.date()));
    }
    let _ = parse::instant_in_poland(raw);
});
