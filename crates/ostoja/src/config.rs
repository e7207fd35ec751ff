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
        }
    }
}

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
        ]));
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
        Ok(config)
    }

    pub fn storage(&self) -> store::StorageOptions {
        store::StorageOptions {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            master_key_file: self.master_key_file.clone(),
        }
    }

    pub fn public_url(&self) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{}", self.listen))
    }
}
