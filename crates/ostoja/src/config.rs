//! Configuration: defaults < the TOML file < `OSTOJA_*` environment < command-line flags.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::cli::StorageArgs;

/// Everything the binary can be configured with.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub master_key_file: Option<PathBuf>,
    pub listen: String,
    /// The address users reach the server at; default `http://<listen>`.
    pub public_url: Option<String>,
    /// Set when the server sits behind TLS (cookies get `Secure`).
    pub secure_cookies: bool,
    /// Minutes of inactivity that end a session.
    pub session_idle_minutes: i64,
    /// Hours after login that end a session in any case.
    pub session_absolute_hours: i64,
    /// Minutes between two runs of the deadline escalation to the chair.
    pub escalation_minutes: u64,
    /// E-mail over SMTP; without it, notifications are in the application only.
    pub smtp: Option<SmtpConfig>,
    /// Reverse proxies (addresses or CIDR ranges, e.g. `["127.0.0.1", "10.0.0.0/24"]`) whose `X-Forwarded-For` or
    /// `Forwarded` header names the real client. Empty: the connection's own address is the client's.
    pub trusted_proxies: Vec<String>,
    /// A bearer token that opens `/metrics` from elsewhere than loopback; without it, loopback only.
    pub metrics_token: Option<Secret>,
    /// Seconds a client may take to send a request's headers before its connection is closed.
    pub header_read_timeout_seconds: u64,
    /// Connections served at once (keep it well below `LimitNOFILE`; docs/operations.md).
    pub max_connections: usize,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required; port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or a test server.
    None,
}

/// The `[smtp]` section.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    /// Default: 587 for starttls, 465 for tls, 25 for none.
    pub port: Option<u16>,
    #[serde(default = "default_security")]
    pub security: SmtpSecurity,
    pub username: Option<String>,
    /// Prefer `password_file` (or `OSTOJA_SMTP_PASSWORD_FILE`): a file readable by the service only.
    pub password: Option<Secret>,
    pub password_file: Option<PathBuf>,
    /// The sender, e.g. `Ostoja <ostoja@gmina.example.pl>`.
    pub from: String,
}

fn default_security() -> SmtpSecurity {
    SmtpSecurity::Starttls
}

impl SmtpConfig {
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port())
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[REDACTED]"))
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// A secret setting: never printed (`Debug` says `[REDACTED]`).
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl std::fmt::Debug for Config {
    // The database URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_ref().map(|_| "[REDACTED]"))
            .field("master_key_file", &self.master_key_file)
            .field("listen", &self.listen)
            .field("public_url", &self.public_url)
            .field("smtp", &self.smtp)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./ostoja-data"),
            database_url: None,
            master_key_file: None,
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            secure_cookies: false,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            escalation_minutes: 15,
            smtp: None,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            header_read_timeout_seconds: 15,
            max_connections: 512,
        }
    }
}

/// Where `ostoja serve` notes the address it serves at, in the data directory.
const SERVED_URL_FILE: &str = "served-url";

impl Config {
    pub fn load(args: &StorageArgs, listen: Option<&str>) -> anyhow::Result<Config> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = &args.config {
            if !file.exists() {
                anyhow::bail!("the configuration file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file(file));
        } else if Path::new("ostoja.toml").exists() {
            figment = figment.merge(Toml::file("ostoja.toml"));
        }
        // Only the keys that are settings; OSTOJA_TEST_* and the like are not.
        figment = figment.merge(Env::prefixed("OSTOJA_").only(&[
            "data_dir",
            "database_url",
            "master_key_file",
            "listen",
            "public_url",
            "secure_cookies",
            "session_idle_minutes",
            "session_absolute_hours",
            "escalation_minutes",
            "trusted_proxies",
            "metrics_token",
            "header_read_timeout_seconds",
            "max_connections",
        ]));
        // OSTOJA_SMTP_HOST, OSTOJA_SMTP_PASSWORD_FILE, …: the [smtp] section's keys.
        figment = figment.merge(
            Env::prefixed("OSTOJA_SMTP_")
                .only(&["host", "port", "security", "username", "password", "password_file", "from"])
                .map(|k| format!("smtp.{k}").into()),
        );
        let mut config: Config = figment
            .extract()
            .map_err(|e| anyhow::anyhow!("configuration error: {e} (see docs/operations.md for the settings)"))?;
        if let Some(d) = &args.data_dir {
            config.data_dir = d.clone();
        }
        if let Some(u) = &args.database_url {
            config.database_url = Some(u.clone());
        }
        if let Some(k) = &args.master_key_file {
            config.master_key_file = Some(k.clone());
        }
        if let Some(l) = listen {
            config.listen = l.to_owned();
        }
        if config.session_idle_minutes < 1 || config.session_absolute_hours < 1 {
            anyhow::bail!("session_idle_minutes and session_absolute_hours must be at least 1");
        }
        if config.escalation_minutes < 1 {
            anyhow::bail!("escalation_minutes must be at least 1");
        }
        if config.header_read_timeout_seconds < 1 || config.max_connections < 1 {
            anyhow::bail!("header_read_timeout_seconds and max_connections must be at least 1");
        }
        config.trusted_proxy_nets()?;
        if config.metrics_token.as_ref().is_some_and(|t| t.expose().len() < 16) {
            anyhow::bail!("metrics_token must be at least 16 characters");
        }
        if let Some(smtp) = &mut config.smtp {
            if let Some(file) = &smtp.password_file {
                let text = std::fs::read_to_string(file)
                    .map_err(|e| anyhow::anyhow!("smtp.password_file {}: {e}", file.display()))?;
                smtp.password = Some(Secret::new(text.trim_end_matches(['\r', '\n']).to_owned()));
            }
            if smtp.username.is_some() != smtp.password.is_some() {
                anyhow::bail!("smtp: username and password (or password_file) go together");
            }
            if smtp.from.parse::<lettre::message::Mailbox>().is_err() {
                anyhow::bail!("smtp.from is not an e-mail address: {}", smtp.from);
            }
        }
        Ok(config)
    }

    pub fn storage(&self) -> store::StorageOptions {
        store::StorageOptions {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            master_key_file: self.master_key_file.clone(),
        }
    }

    /// `trusted_proxies` as networks; a plain address is a network of one.
    pub fn trusted_proxy_nets(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .map(|raw| {
                let raw = raw.trim();
                raw.parse::<ipnet::IpNet>()
                    .or_else(|_| raw.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| anyhow::anyhow!("trusted_proxies: {raw:?} is neither an address nor a CIDR range"))
            })
            .collect()
    }

    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen))
    }

    /// The address for links printed by the command line (activation, reset): the configured `public_url`; else
    /// the address the server last served at (`ostoja serve --listen …` notes it in the data directory, so a
    /// server on another port than 8080 gets working links); else `http://<listen>`.
    pub fn links_url(&self) -> String {
        if let Some(url) = &self.public_url {
            return url.clone();
        }
        std::fs::read_to_string(self.data_dir.join(SERVED_URL_FILE))
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
            .unwrap_or_else(|| self.public_url())
    }

    /// Notes the address the server answers at, for [`Config::links_url`].
    pub fn remember_served_url(&self, url: &str) -> std::io::Result<()> {
        if !self.data_dir.is_dir() {
            return Ok(());
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Like every file in the data directory, readable by the service only (the start-up check warns otherwise).
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        std::io::Write::write_all(
            &mut options.open(self.data_dir.join(SERVED_URL_FILE))?,
            format!("{url}\n").as_bytes(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> anyhow::Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ostoja.toml");
        std::fs::write(&file, toml.replace("DIR", &dir.path().display().to_string())).unwrap();
        std::fs::write(dir.path().join("smtp-password"), "tajne-hasło\n").unwrap();
        let args = StorageArgs { data_dir: None, database_url: None, master_key_file: None, config: Some(file) };
        Config::load(&args, None)
    }

    #[test]
    fn printed_links_use_the_address_the_server_served_at_unless_public_url_is_set() {
        let dir = tempfile::tempdir().unwrap();
        let served = Config { data_dir: dir.path().to_owned(), listen: "127.0.0.1:3000".into(), ..Config::default() };
        let cli = Config { data_dir: dir.path().to_owned(), ..Config::default() };
        assert_eq!(cli.links_url(), "http://127.0.0.1:8080", "nothing served yet: the default");
        served.remember_served_url("http://127.0.0.1:3000").unwrap();
        assert_eq!(cli.links_url(), "http://127.0.0.1:3000", "user add without --listen follows the server");
        assert!(store::files::readable_by_others(dir.path()).is_empty(), "the note is readable by the service only");
        let explicit = Config { public_url: Some("https://ostoja.gmina.pl".into()), ..cli };
        assert_eq!(explicit.links_url(), "https://ostoja.gmina.pl");
    }

    #[test]
    fn smtp_is_off_by_default_and_read_from_its_section_with_the_password_from_a_file() {
        let none = load("").unwrap();
        assert!(none.smtp.is_none());
        assert_eq!(none.escalation_minutes, 15);
        let config = load(
            "escalation_minutes = 5\n[smtp]\nhost = \"smtp.example.pl\"\nusername = \"ostoja\"\n\
             password_file = \"DIR/smtp-password\"\nfrom = \"Ostoja <ostoja@example.pl>\"\n",
        )
        .unwrap();
        let smtp = config.smtp.as_ref().unwrap();
        assert_eq!((smtp.security, smtp.port()), (SmtpSecurity::Starttls, 587));
        assert_eq!(smtp.password.as_ref().unwrap().expose(), "tajne-hasło");
        assert_eq!(config.escalation_minutes, 5);
        let printed = format!("{config:?}");
        assert!(!printed.contains("tajne") && printed.contains("[REDACTED]"), "{printed}");
    }

    #[test]
    fn a_bad_smtp_section_is_refused_with_a_message() {
        let no_from = load("[smtp]\nhost = \"h\"\n");
        assert!(no_from.is_err());
        let bad_from = load("[smtp]\nhost = \"h\"\nfrom = \"not an address\"\n").err().unwrap().to_string();
        assert!(bad_from.contains("smtp.from"), "{bad_from}");
        let half = load("[smtp]\nhost = \"h\"\nfrom = \"a@b.pl\"\nusername = \"u\"\n").err().unwrap().to_string();
        assert!(half.contains("username and password"), "{half}");
        let unknown = load("[smtp]\nhost = \"h\"\nfrom = \"a@b.pl\"\nsecurity = \"ssl\"\n");
        assert!(unknown.is_err());
    }

    #[test]
    fn trusted_proxies_take_addresses_and_ranges_and_the_metrics_token_is_never_printed() {
        let config = load(
            "trusted_proxies = [\"127.0.0.1\", \"10.0.0.0/24\", \"::1\"]\nmetrics_token = \"a-long-metrics-secret\"\n",
        )
        .unwrap();
        let nets = config.trusted_proxy_nets().unwrap();
        assert_eq!(nets.len(), 3);
        assert!(nets[1].contains(&"10.0.0.77".parse::<std::net::IpAddr>().unwrap()));
        assert!(!format!("{config:?}").contains("a-long-metrics-secret"));
        let bad = load("trusted_proxies = [\"proxy.local\"]\n").err().unwrap().to_string();
        assert!(bad.contains("trusted_proxies"), "{bad}");
        assert!(load("metrics_token = \"short\"\n").is_err());
    }
}
