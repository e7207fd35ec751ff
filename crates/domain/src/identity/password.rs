/// The shortest password accepted. Length beats composition rules (NIST SP 800-63B §5.1.1.2).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new password against the policy: at least [`MIN_PASSWORD_CHARS`] characters, at most 256, not equal to
/// the login, and the confirmation must match. Returns the field and the message id of the first problem.
pub fn check_password_policy(
    password: &str,
    confirmation: &str,
    login: &str,
) -> Result<(), (&'static str, &'static str)> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(("password", "err-password-short"));
    }
    if chars > 256 {
        return Err(("password", "err-password-long"));
    }
    if password.trim().eq_ignore_ascii_case(login.trim()) {
        return Err(("password", "err-password-is-login"));
    }
    if password != confirmation {
        return Err(("password_confirm", "err-password-mismatch"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_the_field_at_fault() {
        assert_eq!(check_password_policy("short", "short", "x"), Err(("password", "err-password-short")));
        assert_eq!(
            check_password_policy("administrator", "administrator", "Administrator"),
            Err(("password", "err-password-is-login"))
        );
        assert_eq!(
            check_password_policy("długie hasło 1", "długie hasło 2", "x"),
            Err(("password_confirm", "err-password-mismatch"))
        );
        assert_eq!(check_password_policy("długie hasło 1", "długie hasło 1", "x"), Ok(()));
    }
}
