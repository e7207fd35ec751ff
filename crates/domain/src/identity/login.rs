use serde::Serialize;

/// An account's login name: 3–64 characters of lower-case ASCII letters, digits, dot, hyphen and underscore.
///
/// Logins are not personal data by design (institutions hand out `jkowalska.ops`-style names), so they can be
/// stored in plain text and looked up directly; the person's name lives in encrypted fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Login, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("err-required");
        }
        if s.chars().count() < 3 || s.chars().count() > 64 {
            return Err("err-login-length");
        }
        if !s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')) {
            return Err("err-login-chars");
        }
        Ok(Login(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_trimmed_and_lower_cased() {
        assert_eq!(Login::parse("  JKowalska.OPS ").unwrap().as_str(), "jkowalska.ops");
    }

    #[test]
    fn bad_logins_are_refused_with_a_reason() {
        assert_eq!(Login::parse(""), Err("err-required"));
        assert_eq!(Login::parse("ab"), Err("err-login-length"));
        assert_eq!(Login::parse("zażółć"), Err("err-login-chars"));
        assert_eq!(Login::parse("a b c"), Err("err-login-chars"));
    }
}
