//! Which protocol register files the applications, and each adapter's settings.

use serde::{Deserialize, Serialize};

/// Which protocol register files the applications.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProtocolSettings {
    pub adapter: Adapter,
    /// Settings of the REST adapter. A string value `file:/path` is read from that file at
    /// start-up (passwords, client secrets, tokens).
    pub rest: Option<istanze_protocol::rest::RestSettings>,
    /// Settings of the PEC adapter; `password` may be `file:/path`; `trust_anchors` (the PEC
    /// providers' CAs, PEM files) are read at start and required outside demo mode.
    pub pec: Option<istanze_protocol::pec::PecSettings>,
    /// Settings of the DOCAREA adapter; `password` may be `file:/path`.
    pub docarea: Option<istanze_protocol::docarea::DocareaSettings>,
    /// How often the PEC inbox (a Maildir) is read for the AOO's answers.
    pub pec_inbox_poll_seconds: u64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, Default, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Adapter {
    /// The register kept in the platform's own database.
    #[default]
    Embedded,
    /// An external protocol system with a JSON API.
    Rest,
    /// The platform's register, then delivery to the AOO's PEC mailbox.
    Pec,
    /// A protocol system with the DOCAREA SOAP service.
    Docarea,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            adapter: Adapter::Embedded,
            rest: None,
            pec: None,
            docarea: None,
            pec_inbox_poll_seconds: 60,
        }
    }
}
