//! TERYT codes as typed: never a panic; an accepted code is a municipality's 7 digits, a county's 4 or a
//! voivodeship's 2 (issue 17), of an even voivodeship, and parses again as itself.
#![no_main]

use domain::tenant::Teryt;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(teryt) = Teryt::parse(raw) else { return };
    let code = teryt.as_str();
    assert!(matches!(code.len(), 2 | 4 | 7), "{code}");
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let voivodeship: u8 = code[..2].parse().unwrap();
    assert!((2..=32).contains(&voivodeship) && voivodeship % 2 == 0);
    assert_eq!(Teryt::parse(code), Ok(teryt.clone()));
});
