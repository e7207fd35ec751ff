//! PESEL as typed: never a panic; a number accepted once is accepted again as itself, with the date and sex its
//! digits encode, and its check digit is the one `check_digit` computes.
#![no_main]

use domain::person::pesel::check_digit;
use domain::person::{Pesel, Sex};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(pesel) = Pesel::parse(raw) else { return };
    let digits = pesel.as_str();
    assert_eq!(digits.len(), 11);
    assert!(digits.bytes().all(|b| b.is_ascii_digit()));
    let last = u32::from(digits.as_bytes()[10] - b'0');
    assert_eq!(check_digit(&digits[..10]), Some(last));
    let again = Pesel::parse(digits).expect("an accepted PESEL parses again");
    assert!(again == pesel);
    assert_eq!(again.birth_date(), pesel.birth_date());
    let tenth = digits.as_bytes()[9] - b'0';
    assert_eq!(pesel.sex() == Sex::Female, tenth % 2 == 0);
    assert_eq!(i32::from(pesel.birth_date().year()) % 100, i32::from(digits[..2].parse::<u8>().unwrap()));
});
