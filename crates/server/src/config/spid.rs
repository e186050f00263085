//! `[spid]`: the SP's key and the identity providers it trusts.
//!
//! Real SPID identity providers come from AgID's signed registry (`registry_file`); CIE and
//! eIDAS have their own keys. Any other IdP metadata is a test IdP (AgID's validator, a
//! provider's test instance): outside demo mode it is accepted only when listed as such, under
//! `test_idp_metadata`, and then every page says that test IdPs are active. Otherwise one
//! metadata file dropped into the configuration would let its holder log in as any citizen.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::ConfigError;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpidSettings {
    /// SP private key (PEM). In demo mode it is generated under `data_dir` when absent.
    pub key_file: Option<PathBuf>,
    pub cert_file: Option<PathBuf>,
    /// Metadata files of other trusted SPID identity providers: demo mode only (outside it,
    /// test IdPs go in `test_idp_metadata`).
    pub idp_metadata: Vec<PathBuf>,
    /// Metadata files of test identity providers (e.g. AgID's validator `spid-sp-test`),
    /// accepted in any mode; while any is configured every page carries a banner saying so.
    pub test_idp_metadata: Vec<PathBuf>,
    /// AgID's signed registry of SPID identity providers (a snapshot ships in config/idp/).
    pub registry_file: Option<PathBuf>,
    /// The certificate AgID signs the registry with (pinned).
    pub registry_cert: Option<PathBuf>,
    /// Where `istanze spid-registry` downloads a fresh registry from.
    pub registry_url: String,
    /// Metadata of the CIE identity provider (Ministero dell'Interno), for the CIE button.
    pub cie_metadata: Option<PathBuf>,
    /// Metadata of the Italian eIDAS node (FICEP), for the eIDAS button.
    pub eidas_metadata: Option<PathBuf>,
    pub clock_skew_seconds: i64,
    /// How long a login may take between the AuthnRequest and the Response.
    pub request_ttl_seconds: i64,
}

impl Default for SpidSettings {
    fn default() -> Self {
        SpidSettings {
            key_file: None,
            cert_file: None,
            idp_metadata: Vec::new(),
            test_idp_metadata: Vec::new(),
            registry_file: None,
            registry_cert: None,
            registry_url: "https://registry.spid.gov.it/entities-idp?&output=xml".into(),
            cie_metadata: None,
            eidas_metadata: None,
            clock_skew_seconds: 30,
            request_ttl_seconds: 600,
        }
    }
}

impl SpidSettings {
    /// Refuses IdP metadata from outside the registry that is not marked as test, outside demo.
    pub fn check_idps(&self, demo: bool) -> Result<(), ConfigError> {
        if demo {
            return Ok(());
        }
        if let Some(file) = self.idp_metadata.first() {
            return Err(ConfigError::Invalid(format!(
                "spid.idp_metadata lists {}: outside demo mode identity providers come from \
                 AgID's registry (spid.registry_file); a test IdP (a validator such as \
                 spid-sp-test, a provider's test instance) goes in spid.test_idp_metadata, and \
                 every page will then say that test identity providers are active",
                file.display()
            )));
        }
        Ok(())
    }

    /// Whether test identity providers are trusted: those listed as such, and in demo mode the
    /// other metadata files too.
    pub fn test_idps(&self, demo: bool) -> bool {
        !self.test_idp_metadata.is_empty() || (demo && !self.idp_metadata.is_empty())
    }

    /// Every metadata file of IdPs from outside the registry (CIE and eIDAS apart).
    pub fn extra_idp_metadata(&self) -> impl Iterator<Item = &PathBuf> {
        self.idp_metadata.iter().chain(&self.test_idp_metadata)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn extra_metadata_outside_demo_must_be_marked_as_test() {
        let mut s = SpidSettings {
            idp_metadata: vec!["/etc/istanze/idp/validator.xml".into()],
            ..SpidSettings::default()
        };
        let err = s.check_idps(false).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "configuration: spid.idp_metadata lists /etc/istanze/idp/validator.xml:"
            ),
            "{err}"
        );
        assert!(err.contains("spid.test_idp_metadata"), "{err}");
        s.check_idps(true).unwrap();
        assert!(s.test_idps(true), "in demo they are test IdPs");
        assert!(!s.test_idps(false));
        s.test_idp_metadata = std::mem::take(&mut s.idp_metadata);
        s.check_idps(false).unwrap();
        assert!(s.test_idps(false));
        assert_eq!(s.extra_idp_metadata().count(), 1);
        assert!(!SpidSettings::default().test_idps(true));
    }
}
