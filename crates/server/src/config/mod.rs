//! Settings: built-in defaults (the demo), then a TOML file, then `ISTANZE__SECTION__KEY`
//! environment variables. Unknown keys are an error at start-up, not a silent default.

mod administration;
mod administrations;
mod attachments;
mod cpu;
mod drafts;
mod notifications;
mod protocol;
mod rate_limit;
mod spid;

pub use administration::Administration;
pub use administrations::{AdministrationConfig, AdministrationsSettings};
pub use attachments::{AttachmentSettings, AttachmentStorage};
pub use cpu::CpuSettings;
pub use drafts::DraftSettings;
pub use notifications::{AppIoSettings, EmailSettings, NotificationSettings};
pub use protocol::{Adapter, ProtocolSettings};
pub use rate_limit::{Limit, RateLimitSettings};
pub use spid::SpidSettings;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

/// All settings of a server.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub forms: FormsSettings,
    pub administration: Administration,
    pub administrations: AdministrationsSettings,
    pub spid: SpidSettings,
    pub session: SessionSettings,
    pub worker: WorkerSettings,
    pub protocol: ProtocolSettings,
    pub attachments: AttachmentSettings,
    pub notifications: NotificationSettings,
    pub drafts: DraftSettings,
    pub rate_limit: RateLimitSettings,
    pub cpu: CpuSettings,
    pub i18n: I18nSettings,
}

/// The interface's languages.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct I18nSettings {
    /// A directory of Fluent catalogues (`de.ftl`, `sl.ftl`, ...) read at start: languages
    /// beyond the built-in Italian and English, or an installation's own wording of them.
    pub locales_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// The public base URL (SAML entity id, ACS). Defaults to `http://<bound address>`.
    pub public_url: Option<String>,
    /// Demo mode: built-in demo IdP, generated keys, a visible banner. Loopback only.
    pub demo: bool,
    /// Where the SQLite database and generated demo keys live.
    pub data_dir: PathBuf,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Reverse proxies (IPs or CIDR ranges) whose `X-Forwarded-For` / `Forwarded` headers are
    /// believed for the client's address; from anyone else those headers are ignored.
    pub trusted_proxies: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            bind: "127.0.0.1:8080".into(),
            public_url: None,
            demo: true,
            data_dir: PathBuf::from("data"),
            max_body_bytes: 256 * 1024,
            trusted_proxies: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `sqlite://...` or `postgres://...`; defaults to `data_dir/istanze.db`.
    pub url: Option<String>,
    /// A file holding the URL (a secret when it carries a password).
    pub url_file: Option<PathBuf>,
    pub max_connections: u32,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: None,
            url_file: None,
            max_connections: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FormsSettings {
    pub dir: PathBuf,
}

impl Default for FormsSettings {
    fn default() -> Self {
        FormsSettings {
            dir: PathBuf::from("forms"),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    /// A session ends after this much inactivity.
    pub idle_minutes: i64,
    /// And this long after the login, however active: a stolen cookie does not live forever.
    pub absolute_hours: i64,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle_minutes: 30,
            absolute_hours: 12,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkerSettings {
    /// Whether this process files submissions. Several processes may run workers on one
    /// PostgreSQL database; a process may also serve pages only.
    pub enabled: bool,
    /// How often the worker looks for due filings when nobody wakes it.
    pub poll_interval_ms: u64,
    /// First retry delay; doubled at each failure up to `max_backoff_seconds`, with jitter.
    pub base_backoff_seconds: i64,
    pub max_backoff_seconds: i64,
    /// How long a claimed filing is reserved for one worker before another may take it.
    pub lease_seconds: i64,
    /// A filing not done after this long is shown to staff as stuck (it is still retried).
    pub stuck_after_minutes: i64,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        WorkerSettings {
            enabled: true,
            poll_interval_ms: 1000,
            base_backoff_seconds: 5,
            max_backoff_seconds: 3600,
            lease_seconds: 120,
            stuck_after_minutes: 60,
        }
    }
}

/// A setting that makes no sense, found at start-up.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Defaults, then `file` (if given), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(ConfigError::Invalid(format!(
                    "{} does not exist",
                    file.display()
                )));
            }
            figment = figment.merge(Toml::file(file));
        }
        figment = figment.merge(Env::prefixed("ISTANZE__").split("__"));
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.check()?;
        Ok(settings)
    }

    /// Refuses dangerous or incomplete combinations.
    pub fn check(&self) -> Result<(), ConfigError> {
        let addr: SocketAddr = self.server.bind.parse().map_err(|_| {
            ConfigError::Invalid(format!(
                "server.bind {:?} is not an address",
                self.server.bind
            ))
        })?;
        if self.server.demo && !addr.ip().is_loopback() {
            return Err(ConfigError::Invalid(
                "demo mode (test identities, generated keys) only runs on a loopback address; \
                 set server.demo = false for a real deployment"
                    .into(),
            ));
        }
        rate_limit::check_trusted_proxies(&self.server.trusted_proxies, self.server.demo)?;
        self.rate_limit.check()?;
        self.spid.check_idps(self.server.demo)?;
        if !self.server.demo {
            if self.spid.key_file.is_none() || self.spid.cert_file.is_none() {
                return Err(ConfigError::Invalid(
                    "spid.key_file and spid.cert_file are required".into(),
                ));
            }
            if self.spid.test_idp_metadata.is_empty() && self.spid.registry_file.is_none() {
                return Err(ConfigError::Invalid(
                    "spid.registry_file (or spid.test_idp_metadata) must name the identity \
                     providers"
                        .into(),
                ));
            }
            match &self.server.public_url {
                Some(u) if u.starts_with("https://") => {}
                _ => {
                    return Err(ConfigError::Invalid(
                        "server.public_url must be an https:// URL".into(),
                    ))
                }
            }
        }
        if let Some(rest) = self
            .protocol
            .rest
            .as_ref()
            .filter(|_| self.protocol.adapter == Adapter::Rest)
        {
            // A filing makes up to three calls (token, lookup, registration): the lease must
            // outlast them, or a second worker could take the same filing meanwhile.
            let needed = 3 * i64::try_from(rest.timeout_seconds).unwrap_or(i64::MAX / 4) + 10;
            if self.worker.lease_seconds < needed {
                return Err(ConfigError::Invalid(format!(
                    "worker.lease_seconds must be at least {needed} with protocol.rest.timeout_seconds = {}",
                    rest.timeout_seconds
                )));
            }
        }
        if let Some(pec) = self
            .protocol
            .pec
            .as_ref()
            .filter(|_| self.protocol.adapter == Adapter::Pec)
        {
            let needed = i64::try_from(pec.timeout_seconds).unwrap_or(i64::MAX / 4) + 10;
            if self.worker.lease_seconds < needed {
                return Err(ConfigError::Invalid(format!(
                    "worker.lease_seconds must be at least {needed} with protocol.pec.timeout_seconds = {}",
                    pec.timeout_seconds
                )));
            }
        }
        if let Some(d) = self
            .protocol
            .docarea
            .as_ref()
            .filter(|_| self.protocol.adapter == Adapter::Docarea)
        {
            // Login, uploads and the registration: the lease should outlast a usual filing (a
            // second worker would find the registration marked as attempted and wait anyway).
            let needed = 3 * i64::try_from(d.timeout_seconds).unwrap_or(i64::MAX / 4) + 10;
            if self.worker.lease_seconds < needed {
                return Err(ConfigError::Invalid(format!(
                    "worker.lease_seconds must be at least {needed} with protocol.docarea.timeout_seconds = {}",
                    d.timeout_seconds
                )));
            }
        }
        if self.protocol.adapter == Adapter::Docarea && self.protocol.docarea.is_none() {
            return Err(ConfigError::Invalid(
                "protocol.adapter = \"docarea\" needs [protocol.docarea]".into(),
            ));
        }
        if self.protocol.adapter == Adapter::Pec && self.protocol.pec.is_none() {
            return Err(ConfigError::Invalid(
                "protocol.adapter = \"pec\" needs [protocol.pec]".into(),
            ));
        }
        if !(1..=86_400).contains(&self.protocol.pec_inbox_poll_seconds) {
            return Err(ConfigError::Invalid(
                "protocol.pec_inbox_poll_seconds must be between 1 and 86400".into(),
            ));
        }
        if self.protocol.adapter == Adapter::Rest && self.protocol.rest.is_none() {
            return Err(ConfigError::Invalid(
                "protocol.adapter = \"rest\" needs [protocol.rest]".into(),
            ));
        }
        if self.spid.registry_file.is_some() && self.spid.registry_cert.is_none() {
            return Err(ConfigError::Invalid(
                "spid.registry_cert (AgID's signing certificate) is required with spid.registry_file"
                    .into(),
            ));
        }
        let aoo = &self.administration.aoo;
        if aoo.len() != 7 || !aoo.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ConfigError::Invalid(
                "administration.aoo must be the 7-character IPA code of the AOO".into(),
            ));
        }
        if self.server.demo {
            if let Some(url) = &self.server.public_url {
                let loopback = url::Url::parse(url).ok().is_some_and(|u| {
                    u.scheme() == "http"
                        && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
                });
                if !loopback {
                    return Err(ConfigError::Invalid(
                        "demo mode only serves a loopback http:// public_url".into(),
                    ));
                }
            }
        }
        let ranges: [(&str, i64, i64, i64); 7] = [
            (
                "spid.request_ttl_seconds",
                self.spid.request_ttl_seconds,
                30,
                3600,
            ),
            (
                "session.idle_minutes",
                self.session.idle_minutes,
                1,
                24 * 60,
            ),
            (
                "session.absolute_hours",
                self.session.absolute_hours,
                1,
                7 * 24,
            ),
            (
                "worker.lease_seconds",
                self.worker.lease_seconds,
                10,
                24 * 3600,
            ),
            (
                "worker.stuck_after_minutes",
                self.worker.stuck_after_minutes,
                1,
                30 * 24 * 60,
            ),
            (
                "worker.base_backoff_seconds",
                self.worker.base_backoff_seconds,
                1,
                3600,
            ),
            (
                "worker.max_backoff_seconds",
                self.worker.max_backoff_seconds,
                1,
                7 * 24 * 3600,
            ),
        ];
        for (name, value, min, max) in ranges {
            if !(min..=max).contains(&value) {
                return Err(ConfigError::Invalid(format!(
                    "{name} must be between {min} and {max}"
                )));
            }
        }
        if !(0..=300).contains(&self.spid.clock_skew_seconds) {
            return Err(ConfigError::Invalid(
                "spid.clock_skew_seconds must be between 0 and 300".into(),
            ));
        }
        Ok(())
    }

    /// The database URL from `url`, `url_file` or the default SQLite file.
    pub fn database_url(&self) -> Result<String, ConfigError> {
        if let Some(path) = &self.database.url_file {
            crate::secure_files::check_private(path, "database.url_file")?;
            return std::fs::read_to_string(path)
                .map(|s| s.trim().to_owned())
                .map_err(|e| {
                    ConfigError::Invalid(format!("database.url_file {}: {e}", path.display()))
                });
        }
        Ok(self.database.url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.server.data_dir.join("istanze.db").display()
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_file(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../config")
            .join(name)
    }

    #[test]
    fn the_shipped_demo_file_is_the_defaults() {
        let loaded = Settings::load(Some(&config_file("default.toml"))).unwrap();
        let defaults = Settings::default();
        assert_eq!(
            serde_json::to_value(&loaded).unwrap(),
            serde_json::to_value(&defaults).unwrap()
        );
    }

    #[test]
    fn the_production_example_parses_and_passes_the_checks() {
        let s = Settings::load(Some(&config_file("production.example.toml"))).unwrap();
        assert!(!s.server.demo);
        assert_eq!(
            s.server.public_url.as_deref(),
            Some("https://istanze.provincia.esempio.it")
        );
    }

    #[test]
    fn unknown_keys_and_missing_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.toml");
        std::fs::write(&f, "[server]\nbnid = \"127.0.0.1:1\"\n").unwrap();
        let err = Settings::load(Some(&f)).unwrap_err().to_string();
        assert!(err.contains("bnid"), "{err}");
        assert!(Settings::load(Some(&dir.path().join("none.toml"))).is_err());
    }

    #[test]
    fn a_bad_aoo_or_plain_http_in_production_is_refused() {
        let mut s = Settings::default();
        s.administration.aoo = "A1".into();
        assert!(s.check().is_err());
        let mut s = Settings::default();
        s.server.demo = false;
        s.spid.key_file = Some("k".into());
        s.spid.cert_file = Some("c".into());
        s.spid.test_idp_metadata = vec!["i".into()];
        s.server.public_url = Some("http://x".into());
        assert!(s.check().unwrap_err().to_string().contains("https"));
        let mut s = Settings::default();
        s.worker.lease_seconds = 0;
        assert!(s.check().unwrap_err().to_string().contains("lease_seconds"));
        let mut s = Settings::default();
        s.server.public_url = Some("https://istanze.example.it".into());
        assert!(
            s.check().unwrap_err().to_string().contains("loopback"),
            "no demo on a public URL"
        );
    }
}
