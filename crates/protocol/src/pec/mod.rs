//! The PEC adapter: for administrations whose protocol system takes applications from its PEC
//! mailbox (AgID guidelines 2021, Allegato 6, Appendix C).
//!
//! A PEC message cannot return the receiving AOO's number: that arrives later, in the AOO's
//! `Conferma.xml`. So each application is first registered in the platform's own register
//! (the embedded register: the citizen gets a number and a date at once, and the Segnatura has
//! an `Identificatore` to send), then sent over SMTP with TLS to the AOO's PEC mailbox with the
//! application document, its attachments and `Segnatura.xml` (2021 sealed form, or the 2013
//! form of Circolare 60). The AOO's answers are read by [`PecRegister::receive`] from the
//! platform's PEC mailbox (a Maildir, or one message at a time from a mail fetcher):
//! ConfermaRicezione records the AOO's number beside ours; NotificaEccezione and
//! AnnullamentoProtocollazione are recorded for staff. An answer is believed only inside a PEC
//! provider's transport envelope whose S/MIME signature verifies against the configured trust
//! anchors, and only when the provider certifies the AOO's address as its sender.
//!
//! Delivery is at least once: the row in `pec_messages` is written after the SMTP server
//! accepted the message; a crash in between sends it again with the same Message-ID.

mod digests;
mod envelope;
mod inbound;
mod message;
pub mod record;
#[cfg(feature = "test-pki")]
pub mod test_pki;

pub use envelope::TrustAnchors;
pub use inbound::{answers, parse_answer, Answer, Identifier, Inbound, Subject};
pub use message::{build as build_message, message_id};

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::embedded::{entry, EmbeddedRegister};
use crate::segnatura::{Registrar, Seal};
use crate::segnatura_2013::{segnatura_2013, Addressee};
use crate::{Clock, ProtocolError, Receipt, Register, Registration, Result};

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// TLS from the first byte (SMTPS, port 465): what PEC providers offer.
    #[default]
    Implicit,
    /// STARTTLS on a plain connection (port 587); refused if the server does not offer it.
    Starttls,
}

/// Which Segnatura goes in `Segnatura.xml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegnaturaFormat {
    /// `SegnaturaInformatica` 3.0.0, sealed (AgID 2021).
    #[default]
    #[serde(rename = "2021")]
    Agid2021,
    /// `Segnatura` of Circolare 60/2013, for receiving systems that still expect it.
    #[serde(rename = "2013")]
    Circolare60,
}

impl SegnaturaFormat {
    fn code(self) -> &'static str {
        match self {
            SegnaturaFormat::Agid2021 => "2021",
            SegnaturaFormat::Circolare60 => "2013",
        }
    }
}

/// The receiving AOO.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PecRecipient {
    pub administration: String,
    pub ipa_code: String,
    pub aoo: String,
    /// The AOO's PEC address (its protocol mailbox).
    pub address: String,
}

/// The PEC adapter's settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PecSettings {
    pub smtp_host: String,
    #[serde(default = "default_port")]
    pub smtp_port: u16,
    #[serde(default)]
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    /// The platform's PEC address (sender, and where the AOO's answers arrive).
    pub from: String,
    pub recipient: PecRecipient,
    #[serde(default)]
    pub segnatura: SegnaturaFormat,
    /// A PEM file of extra trusted roots (a private CA); the public web roots are always trusted.
    #[serde(default)]
    pub ca_file: Option<String>,
    /// A Maildir whose new messages are the AOO's answers (filled by the provider's IMAP
    /// through a fetcher such as fetchmail or getmail).
    #[serde(default)]
    pub inbox_maildir: Option<String>,
    /// PEM files of the PEC providers' CAs (several certificates per file allowed): an answer
    /// is believed only in an envelope whose S/MIME signature chains to one of them. Read at
    /// start; required outside demo mode.
    #[serde(default)]
    pub trust_anchors: Vec<String>,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_port() -> u16 {
    465
}

fn default_timeout() -> u64 {
    60
}

/// What an incoming message meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// The AOO registered the application with `key`.
    Confirmed { key: String },
    /// The AOO updated its registration data.
    Updated { key: String },
    /// The AOO reported an exception for the application with `key`.
    Exception { key: String },
    /// The AOO annulled its registration of the application with `key`.
    Annulled { key: String },
    /// Nothing of ours (a provider's receipt, a stranger's message, an unknown reference).
    Ignored(String),
}

/// The PEC register: the embedded register plus delivery to the AOO's PEC mailbox.
#[derive(Debug)]
pub struct PecRegister {
    embedded: EmbeddedRegister,
    registrar: Registrar,
    seal: Seal,
    settings: PecSettings,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    anchors: TrustAnchors,
}

impl PecRegister {
    /// The adapter; `ca_pem` is the content of `settings.ca_file` and `anchors` the
    /// certificates of `settings.trust_anchors`, read by the caller. Without anchors no answer
    /// is ever believed.
    pub fn new(
        embedded: EmbeddedRegister,
        registrar: Registrar,
        seal: Seal,
        settings: PecSettings,
        ca_pem: Option<&[u8]>,
        anchors: TrustAnchors,
    ) -> Result<PecRegister> {
        let bad = |e: lettre::transport::smtp::Error| ProtocolError::Invalid(format!("SMTP: {e}"));
        let mut tls = TlsParameters::builder(settings.smtp_host.clone());
        if let Some(pem) = ca_pem {
            tls = tls.add_root_certificate(Certificate::from_pem(pem).map_err(bad)?);
        }
        let tls = tls.build_rustls().map_err(bad)?;
        let tls = match settings.security {
            SmtpSecurity::Implicit => Tls::Wrapper(tls),
            SmtpSecurity::Starttls => Tls::Required(tls),
        };
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.smtp_host.clone())
                .port(settings.smtp_port)
                .tls(tls)
                .credentials(Credentials::new(
                    settings.username.clone(),
                    settings.password.clone(),
                ))
                .timeout(Some(Duration::from_secs(settings.timeout_seconds.max(1))))
                .build();
        Ok(PecRegister {
            embedded,
            registrar,
            seal,
            settings,
            transport,
            anchors,
        })
    }

    /// The settings (for the Maildir poller).
    pub fn settings(&self) -> &PecSettings {
        &self.settings
    }

    fn addressees(&self) -> (Addressee, Addressee) {
        let r = &self.settings.recipient;
        (
            Addressee {
                registrar: self.registrar.clone(),
                address: self.settings.from.clone(),
            },
            Addressee {
                registrar: Registrar {
                    administration: r.administration.clone(),
                    ipa_code: r.ipa_code.clone(),
                    aoo: r.aoo.clone(),
                },
                address: r.address.clone(),
            },
        )
    }

    /// The Segnatura.xml that goes with registration `e`.
    pub fn segnatura_for(&self, e: &entry::Model) -> Result<String> {
        match self.settings.segnatura {
            SegnaturaFormat::Agid2021 => {
                crate::segnatura::segnatura(e, &self.registrar, &self.seal, e.registered_at)
            }
            SegnaturaFormat::Circolare60 => {
                let (from, to) = self.addressees();
                segnatura_2013(e, &from, &to)
            }
        }
    }

    /// The delivery record of the application with `key`, with the AOO's answers.
    pub async fn status(&self, key: &str) -> Result<Option<record::Model>> {
        Ok(record::Entity::find_by_id(key.to_owned())
            .one(self.embedded.connection())
            .await?)
    }

    async fn send(&self, reg: &Registration, e: &entry::Model, now: DateTime<Utc>) -> Result<()> {
        for d in std::iter::once(&reg.primary).chain(&reg.attachments) {
            if hex(&sha2::Sha256::digest(&d.content)) != d.sha256 {
                return Err(ProtocolError::Invalid(format!(
                    "{}: content does not match its digest",
                    d.file_name
                )));
            }
        }
        let segnatura = self.segnatura_for(e)?;
        let message = message::build(
            reg,
            e,
            &segnatura,
            &self.settings.from,
            &self.settings.recipient.address,
            e.registered_at,
        )?;
        // lettre's own timeout bounds the connection only: the whole dialogue must end in time
        // too, or a stalled server would hold the filing past its lease.
        let limit = Duration::from_secs(self.settings.timeout_seconds.max(1));
        tokio::time::timeout(limit, self.transport.send(message))
            .await
            .map_err(|_| ProtocolError::Remote("SMTP: no answer in time".into()))?
            .map_err(|x| ProtocolError::Remote(format!("SMTP: {x}")))?;
        record::Entity::insert(record::ActiveModel {
            idempotency_key: Set(reg.idempotency_key.clone()),
            message_id: Set(message_id(&reg.idempotency_key, &self.settings.from)),
            register: Set(e.register.clone()),
            year: Set(e.year),
            number: Set(e.number),
            segnatura_format: Set(self.settings.segnatura.code().to_owned()),
            sent_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(record::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .do_nothing()
        .exec(self.embedded.connection())
        .await?;
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[async_trait]
impl Register for PecRegister {
    async fn file(&self, reg: &Registration, clock: &dyn Clock) -> Result<Receipt> {
        let receipt = self.embedded.file(reg, clock).await?;
        if self.status(&reg.idempotency_key).await?.is_none() {
            let e = self
                .embedded
                .entry_by_key(&reg.idempotency_key)
                .await?
                .ok_or(ProtocolError::NotFound)?;
            self.send(reg, &e, clock.now()).await?;
        }
        Ok(receipt)
    }

    /// Only a delivered application counts as filed: registered but unsent is retried.
    async fn lookup(&self, key: &str) -> Result<Option<Receipt>> {
        if self.status(key).await?.is_none() {
            return Ok(None);
        }
        self.embedded.lookup(key).await
    }
}

mod receive;
