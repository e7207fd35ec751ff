//! The password policy: long, not common, not made of the account's own names.
//!
//! Length beats composition rules (NIST SP 800-63B §5.1.1.2), and the same guideline asks that a new password be
//! checked against lists of common or breached ones. The list is compiled into the binary (`data/common-passwords.txt`,
//! about 30,000 passwords from leaked corpora plus Polish words people pick), so the check needs no network.
//!
//! A password is refused when, lower-cased and with Polish letters folded, it
//! - is on the list;
//! - is a listed password or word padded only with digits, punctuation or spaces ("password1234", "Warszawa2024!");
//! - is one short piece repeated ("haslohaslohaslo");
//! - contains the login or a word of the municipality's name (four letters or more, "gmina"/"miasto" left out).

use std::collections::HashSet;
use std::sync::LazyLock;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

const COMMON: &str = include_str!("../../data/common-passwords.txt");

/// Words Polish users pick, folded (no diacritics), beside the international list.
const POLISH: &[&str] = &[
    "haslo",
    "haselko",
    "polska",
    "polak",
    "kochamcie",
    "kocham",
    "kochanie",
    "misiek",
    "misio",
    "kotek",
    "kotki",
    "myszka",
    "slonko",
    "sloneczko",
    "zabka",
    "skarbie",
    "warszawa",
    "krakow",
    "gdansk",
    "wroclaw",
    "poznan",
    "lodz",
    "szczecin",
    "lublin",
    "katowice",
    "bialystok",
    "legia",
    "lechpoznan",
    "wislakrakow",
    "pilkanozna",
    "niebieska",
    "niebieskakarta",
    "niebieskiekarty",
    "ostoja",
    "zespol",
    "przemoc",
    "gmina",
    "urzad",
    "urzadgminy",
    "mops",
    "gops",
    "policja",
    "szkola",
    "pomoc",
    "rodzina",
    "dziecko",
    "mama",
    "tata",
    "babcia",
    "dziadek",
    "bartek",
    "mateusz",
    "michal",
    "lukasz",
    "tomek",
    "piotrek",
    "krzysiek",
    "marcin",
    "kasia",
    "ania",
    "magda",
    "monika",
    "agnieszka",
    "dominika",
    "natalia",
    "karolina",
    "zaq12wsx",
    "zaq1xsw2",
    "1qaz2wsx",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "wiosna",
    "jesien",
    "styczen",
    "luty",
    "marzec",
    "kwiecien",
    "czerwiec",
    "lipiec",
    "sierpien",
    "wrzesien",
    "pazdziernik",
    "listopad",
    "grudzien",
    "poniedzialek",
    "wtorek",
    "sroda",
    "czwartek",
    "piatek",
    "sobota",
    "niedziela",
    "witaj",
    "witamy",
    "dupa",
    "qwerty",
    "administrator",
    "sekretariat",
];

static COMMON_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .chain(POLISH.iter().copied())
        .collect()
});

/// Words of a municipality's name that say nothing about it.
const NAME_FILLERS: &[&str] = &["gmina", "miasto", "miejska", "wiejska", "miejsko", "powiat"];

/// Checks a new password against the policy. `login` is the account's login; `names` are further words the password
/// must not contain (the municipality's name). Returns the field and the message id of the first problem.
pub fn check_password_policy(
    password: &str,
    confirmation: &str,
    login: &str,
    names: &[&str],
) -> Result<(), (&'static str, &'static str)> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(("password", "err-password-short"));
    }
    if chars > 256 {
        return Err(("password", "err-password-long"));
    }
    let folded = fold(password);
    let login = fold(login);
    if !login.is_empty() && (folded == login || (folded.contains(&login) && login.chars().count() >= 4)) {
        return Err(("password", "err-password-is-login"));
    }
    let name_words = names.iter().flat_map(|n| n.split(|c: char| !c.is_alphanumeric())).map(fold);
    if name_words.filter(|w| w.chars().count() >= 4 && !NAME_FILLERS.contains(&w.as_str())).any(|w| folded.contains(&w))
    {
        return Err(("password", "err-password-has-name"));
    }
    if is_common(&folded) {
        return Err(("password", "err-password-common"));
    }
    if password != confirmation {
        return Err(("password_confirm", "err-password-mismatch"));
    }
    Ok(())
}

/// Lower case, Polish letters as their base letters, white space removed.
fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

fn is_common(folded: &str) -> bool {
    let set = &*COMMON_SET;
    if set.contains(folded) {
        return true;
    }
    // A listed password with only digits and punctuation around it.
    let core = folded.trim_matches(|c: char| !c.is_alphabetic());
    if core.is_empty() || set.contains(core) {
        return true;
    }
    // Letters only, digits and punctuation anywhere removed ("p4ssw0rd" stays itself; "pass-word-2024" → "password").
    let letters: String = folded.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.chars().count() < 4 || set.contains(letters.as_str()) {
        return true;
    }
    is_repetition(folded)
}

/// One piece of at most a third of the password, repeated to fill it ("abcabcabcabc").
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    (1..=n / 3).any(|len| {
        n.is_multiple_of(len) && chars.get(..len).is_some_and(|first| chars.chunks(len).all(|chunk| chunk == first))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), (&'static str, &'static str)> {
        check_password_policy(p, p, "anna.kowalska", &["Gmina Testowa"])
    }

    #[test]
    fn the_policy_names_the_field_at_fault() {
        assert_eq!(check_password_policy("short", "short", "x", &[]), Err(("password", "err-password-short")));
        assert_eq!(
            check_password_policy("administrator", "administrator", "Administrator", &[]),
            Err(("password", "err-password-is-login"))
        );
        assert_eq!(
            check_password_policy("długie hasło 1", "długie hasło 2", "x", &[]),
            Err(("password_confirm", "err-password-mismatch"))
        );
        assert_eq!(check_password_policy("długie hasło 1", "długie hasło 1", "x", &[]), Ok(()));
    }

    #[test]
    fn common_and_breached_passwords_are_refused_however_padded() {
        for p in [
            "qwerty123456",
            "1qaz2wsx3edc",
            "password1234",
            "Password!2024",
            "Warszawa2024!",
            "Niebieska-Karta-1",
            "kochamcie123",
            "haslohaslohaslo",
            "abcabcabcabc",
            "111111111111",
            "!!!!????####",
        ] {
            assert_eq!(check(p), Err(("password", "err-password-common")), "{p}");
        }
    }

    #[test]
    fn the_login_and_the_municipality_are_not_part_of_a_password() {
        assert_eq!(check("Anna.Kowalska 2026"), Err(("password", "err-password-is-login")));
        assert_eq!(check("testowa zespół pomocy"), Err(("password", "err-password-has-name")));
        assert_eq!(check("TESTOWA-gminna-27"), Err(("password", "err-password-has-name")));
        // "gmina" alone is not the municipality's name.
        assert_eq!(check("gmina ma kota w butach"), Ok(()));
    }

    #[test]
    fn a_few_words_or_a_random_string_pass() {
        for p in ["bardzo długie hasło 1", "zielony parasol nad Wisłą", "kT9#vQ2!mZ7@", "koń jaśnie pan w kapeluszu"]
        {
            assert_eq!(check(p), Ok(()), "{p}");
        }
    }

    #[test]
    fn the_bundled_list_is_read() {
        assert!(COMMON_SET.len() > 29_000);
        assert!(COMMON_SET.contains("password"));
        assert!(!COMMON_SET.iter().any(|p| p.starts_with('#')));
    }
}
