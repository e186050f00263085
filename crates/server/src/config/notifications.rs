//! How citizens are told that their application was filed: e-mail, App IO.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotificationSettings {
    pub email: Option<EmailSettings>,
    pub app_io: Option<AppIoSettings>,
}

/// The SMTP server that sends the confirmation e-mail.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    pub smtp_host: String,
    #[serde(default = "default_port")]
    pub smtp_port: u16,
    /// `implicit` (SMTPS), `starttls`.
    #[serde(default)]
    pub security: istanze_protocol::pec::SmtpSecurity,
    pub username: String,
    /// May be `file:/path`.
    pub password: String,
    /// The sender, e.g. `"Provincia di Esempio <noreply@provincia.example.it>"`.
    pub from: String,
    /// Extra trusted roots (PEM), for a private CA.
    #[serde(default)]
    pub ca_file: Option<String>,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

/// App IO (pagoPA's public services app): messages through its Services API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppIoSettings {
    /// `https://api.io.pagopa.it` in production.
    pub base_url: String,
    /// The service's subscription key (`Ocp-Apim-Subscription-Key`); may be `file:/path`.
    pub api_key: String,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_port() -> u16 {
    465
}

fn default_timeout() -> u64 {
    30
}
