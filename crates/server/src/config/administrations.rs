//! `[administrations]`: the administrations an installation serves besides its own.
//!
//! The installation's `[administration]`, `[protocol]`, `[forms]` and `[spid]` keys describe
//! its default administration (served at `/` and at `/enti/<ipa_code>/`). Every other one is a
//! file `<ipa_code>.toml` under `dir`, with the same four sections and, if it has its own
//! mail server or App IO service, `[notifications]`: a province adds a municipality by
//! dropping one file, and each file says everything that differs (AOO and register, protocol
//! system and its credentials, forms, SPID keys, notifications). Secrets stay in files
//! (`file:/path` values, key files), never in these.

use std::path::{Path, PathBuf};

use figment::providers::{Format, Toml};
use figment::Figment;
use istanze_domain::AdministrationId;
use serde::{Deserialize, Serialize};

use super::{Administration, ConfigError, FormsSettings, ProtocolSettings, Settings};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdministrationsSettings {
    /// The directory of the administration files. A missing directory means none in demo mode
    /// and is an error outside it (a typo must not silently drop municipalities).
    pub dir: Option<PathBuf>,
}

impl Default for AdministrationsSettings {
    fn default() -> Self {
        AdministrationsSettings {
            dir: Some(PathBuf::from("config/administrations")),
        }
    }
}

/// One administration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdministrationFile {
    administration: Administration,
    #[serde(default)]
    protocol: ProtocolSettings,
    forms: Option<FormsSettings>,
    #[serde(default)]
    spid: OwnSpid,
    /// Its own mail server and App IO service; the installation's without it.
    notifications: Option<super::NotificationSettings>,
}

/// The administration's own Service Provider keys, or `aggregated = true`: the installation
/// is its SPID aggregator and its key signs. The trusted identity providers are the
/// installation's either way.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnSpid {
    key_file: Option<PathBuf>,
    cert_file: Option<PathBuf>,
    #[serde(default)]
    aggregated: bool,
}

/// An administration of the installation, with the settings as they apply to it: the
/// installation's, with its own administration, protocol, forms and SPID keys.
#[derive(Debug, Clone)]
pub struct AdministrationConfig {
    pub id: AdministrationId,
    /// Whether it is the installation's own (served at `/` too).
    pub default: bool,
    /// Whether the installation is its SPID aggregator (Avviso SPID n.19 v4) rather than it
    /// being a Service Provider of its own.
    pub aggregated: bool,
    pub settings: Settings,
    /// The file it comes from (`None` for the default administration).
    pub source: Option<PathBuf>,
}

impl Settings {
    /// Every administration of the installation, the default one first, each checked.
    pub fn administrations(&self) -> Result<Vec<AdministrationConfig>, ConfigError> {
        let id = parse_id(&self.administration.ipa_code, "administration.ipa_code")?;
        let mut all = vec![AdministrationConfig {
            id,
            default: true,
            aggregated: false,
            settings: self.clone(),
            source: None,
        }];
        for path in self.administration_files()? {
            let file: AdministrationFile = Figment::from(Toml::file(&path))
                .extract()
                .map_err(|e| invalid(&path, e))?;
            let id = parse_id(&file.administration.ipa_code, "administration.ipa_code")
                .map_err(|e| invalid(&path, e))?;
            if path.file_stem().and_then(|s| s.to_str()) != Some(id.as_str()) {
                return Err(invalid(&path, format!("the file must be named {id}.toml")));
            }
            let mut settings = self.clone();
            settings.administration = file.administration;
            settings.protocol = file.protocol;
            if let Some(forms) = file.forms {
                settings.forms = forms;
            }
            if let Some(notifications) = file.notifications {
                settings.notifications = notifications;
            }
            // Its own SP keys or none: another administration's certificate names another
            // entity id. Demo keys go to a directory of its own. An aggregated one signs with
            // the aggregator's key, the installation's.
            let aggregated = file.spid.aggregated;
            if aggregated && (file.spid.key_file.is_some() || file.spid.cert_file.is_some()) {
                return Err(invalid(
                    &path,
                    "an aggregated administration signs with the aggregator's key: \
                     leave spid.key_file and spid.cert_file out",
                ));
            }
            if !aggregated {
                settings.spid.key_file = file.spid.key_file;
                settings.spid.cert_file = file.spid.cert_file;
            }
            // One database for the installation, wherever the data directory now points.
            settings.database.url = Some(self.database_url()?);
            settings.database.url_file = None;
            settings.server.data_dir = self.server.data_dir.join("enti").join(id.as_str());
            settings.check().map_err(|e| invalid(&path, e))?;
            all.push(AdministrationConfig {
                id,
                default: false,
                aggregated,
                settings,
                source: Some(path),
            });
        }
        check_distinct(&all)?;
        Ok(all)
    }

    /// The `*.toml` files of the administrations directory, sorted.
    fn administration_files(&self) -> Result<Vec<PathBuf>, ConfigError> {
        let Some(dir) = &self.administrations.dir else {
            return Ok(Vec::new());
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.server.demo => {
                return Ok(Vec::new())
            }
            Err(e) => return Err(invalid(dir, e)),
        };
        let mut files = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| invalid(dir, e))?.path();
            if path.extension().is_some_and(|x| x == "toml") {
                files.push(path);
            }
        }
        files.sort();
        Ok(files)
    }
}

/// Two administrations may share nothing that keys their data: IPA code, AOO (its register
/// sequences are keyed by AOO and register), host names.
fn check_distinct(all: &[AdministrationConfig]) -> Result<(), ConfigError> {
    for a in all {
        for h in &a.settings.administration.hosts {
            if !is_host_name(h) {
                return Err(ConfigError::Invalid(format!(
                    "administration {}: hosts: {h:?} is not a host name (no scheme, port or path)",
                    a.id
                )));
            }
            let installation = a
                .settings
                .server
                .public_url
                .as_deref()
                .and_then(|u| url::Url::parse(u).ok())
                .and_then(|u| u.host_str().map(str::to_owned));
            if installation.is_some_and(|i| i.eq_ignore_ascii_case(h)) {
                return Err(ConfigError::Invalid(format!(
                    "administration {}: hosts: {h} is the installation's own host name",
                    a.id
                )));
            }
        }
    }
    for (i, a) in all.iter().enumerate() {
        for b in &all[..i] {
            let (x, y) = (&a.settings.administration, &b.settings.administration);
            let clash = if a.id == b.id {
                Some(format!("the IPA code {}", a.id))
            } else if x.aoo == y.aoo {
                Some(format!("the AOO {}", x.aoo))
            } else {
                x.hosts
                    .iter()
                    .find(|h| y.hosts.iter().any(|o| o.eq_ignore_ascii_case(h)))
                    .map(|h| format!("the host name {h}"))
            };
            if let Some(what) = clash {
                return Err(ConfigError::Invalid(format!(
                    "administrations {} and {} share {what}",
                    b.id, a.id
                )));
            }
        }
    }
    Ok(())
}

/// A DNS name: dot-separated labels of letters, digits and inner hyphens.
fn is_host_name(h: &str) -> bool {
    h.len() <= 253
        && h.contains('.')
        && h.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn parse_id(code: &str, key: &str) -> Result<AdministrationId, ConfigError> {
    AdministrationId::parse(code).map_err(|e| ConfigError::Invalid(format!("{key}: {e}")))
}

fn invalid(path: &Path, e: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn with_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let mut s = Settings::default();
        s.administrations.dir = Some(dir.path().to_owned());
        (dir, s)
    }

    const COMUNE: &str = r#"
[administration]
name = "Comune di Prova"
ipa_code = "c_x001"
aoo = "AOOX001"
register = "PROT"
url = "https://www.comune.prova.it"
municipality = "X001"
contact_email = "urp@comune.prova.it"
hosts = ["istanze.comune.prova.it"]
"#;

    #[test]
    fn a_file_adds_an_administration_with_its_own_sections() {
        let (_d, s) = with_files(&[("c_x001.toml", COMUNE), ("README.md", "not a file of ours")]);
        let all = s.administrations().unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].default && all[0].id.as_str() == "p_es");
        let c = &all[1];
        assert_eq!(c.id.as_str(), "c_x001");
        assert_eq!(c.settings.administration.aoo, "AOOX001");
        assert!(c.settings.server.data_dir.ends_with("enti/c_x001"));
        assert_eq!(
            c.settings.forms.dir, s.forms.dir,
            "forms default to the installation's"
        );
        assert_eq!(
            c.settings.database_url().unwrap(),
            s.database_url().unwrap(),
            "one database for all"
        );
    }

    #[test]
    fn each_clash_and_mistake_is_named() {
        let same_aoo = COMUNE
            .replace("c_x001", "c_x002")
            .replace("X001", "X002")
            .replace("AOOX002", "AOO0001");
        let cases: [(&str, String, &str); 5] = [
            (
                "c_x001.toml",
                same_aoo.replace("c_x002", "c_x001"),
                "share the AOO AOO0001",
            ),
            ("c_x009.toml", COMUNE.into(), "must be named c_x001.toml"),
            (
                "c_x001.toml",
                COMUNE.replace("c_x001\"", "C X\""),
                "ipa_code",
            ),
            ("c_x001.toml", format!("{COMUNE}\nunknown = 1"), "unknown"),
            (
                "c_x001.toml",
                COMUNE.replace("AOOX001", "A1"),
                "7-character",
            ),
        ];
        for (name, text, needle) in cases {
            let (_d, s) = with_files(&[(name, &text)]);
            let err = s.administrations().unwrap_err().to_string();
            assert!(err.contains(needle), "{name}: {err}");
        }
    }

    #[test]
    fn a_host_name_is_a_bare_dns_name() {
        for bad in [
            "https://x.it",
            "x.it:8443",
            "x.it/path",
            "X.IT",
            "x.it.",
            "-x.it",
            "localhost",
        ] {
            let text = COMUNE.replace("istanze.comune.prova.it", bad);
            let (_d, s) = with_files(&[("c_x001.toml", &text)]);
            let err = s.administrations().unwrap_err().to_string();
            assert!(err.contains("is not a host name"), "{bad}: {err}");
        }
    }

    #[test]
    fn two_files_may_not_share_a_host_name() {
        let other = COMUNE
            .replace("c_x001", "c_x002")
            .replace("AOOX001", "AOOX002");
        let (_d, s) = with_files(&[("c_x001.toml", COMUNE), ("c_x002.toml", &other)]);
        let err = s.administrations().unwrap_err().to_string();
        assert!(
            err.contains("share the host name istanze.comune.prova.it"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_directory_is_none_in_demo_and_an_error_outside() {
        let mut s = Settings::default();
        s.administrations.dir = Some(PathBuf::from("/nonexistent/administrations"));
        assert_eq!(s.administrations().unwrap().len(), 1);
        s.server.demo = false;
        let err = s.administration_files().unwrap_err().to_string();
        assert!(err.contains("/nonexistent/administrations"), "{err}");
    }

    #[test]
    fn outside_demo_each_administration_needs_its_own_sp_keys() {
        let (_d, mut s) = with_files(&[("c_x001.toml", COMUNE)]);
        s.server.demo = false;
        s.server.bind = "0.0.0.0:8080".into();
        s.server.public_url = Some("https://istanze.provincia.esempio.it".into());
        s.spid.key_file = Some("/etc/istanze/sp-key.pem".into());
        s.spid.cert_file = Some("/etc/istanze/sp-cert.pem".into());
        s.spid.test_idp_metadata = vec!["/etc/istanze/test-idp.xml".into()];
        let err = s.administrations().unwrap_err().to_string();
        assert!(
            err.contains("c_x001.toml") && err.contains("spid.key_file"),
            "{err}"
        );
    }
}
