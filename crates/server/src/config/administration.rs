//! `[administration]`: who runs a service and owns its register (the installation's own in
//! the main file, each other one in its file under `[administrations] dir`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The administration that runs the service and owns the register.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Administration {
    pub name: String,
    /// Code in the IPA index.
    pub ipa_code: String,
    /// IPA code of the AOO (7 characters).
    pub aoo: String,
    /// Register code.
    pub register: String,
    pub url: String,
    /// Cadastral code of the municipality of the seat (CIE metadata), e.g. `H501`.
    pub municipality: String,
    pub contact_email: String,
    /// The AOO's electronic seal (PEM key and certificate) for the Segnatura XML; generated
    /// under `data_dir` in demo mode.
    pub seal_key_file: Option<PathBuf>,
    pub seal_cert_file: Option<PathBuf>,
    /// The administration's logo (SVG or PNG, at most 512 KiB), shown in every page's header.
    pub logo_file: Option<PathBuf>,
    /// Host names that serve this administration at their root, besides `/enti/<ipa_code>/`.
    pub hosts: Vec<String>,
    /// The languages its pages are offered in (ISO 639 codes), Italian first and always; each
    /// must have a catalogue (built in: `it`, `en`; others from `i18n.locales_dir`).
    pub languages: Vec<String>,
    /// The pages' colour, by name, from the palette of `branding::PALETTE` (every one keeps
    /// the contrast that accessibility asks for).
    pub colour: String,
}

impl Default for Administration {
    fn default() -> Self {
        Administration {
            name: "Provincia di Esempio".into(),
            ipa_code: "p_es".into(),
            aoo: "AOO0001".into(),
            register: "PROT".into(),
            url: "https://www.provincia.esempio.it".into(),
            municipality: "H501".into(),
            contact_email: "urp@provincia.esempio.it".into(),
            seal_key_file: None,
            seal_cert_file: None,
            logo_file: None,
            hosts: Vec::new(),
            languages: vec!["it".into(), "en".into()],
            colour: "blu-italia".into(),
        }
    }
}
