//! The message sent to the AOO's PEC mailbox: a text part saying what it is, the application
//! document, its attachments and `Segnatura.xml` (AgID guidelines 2021, Allegato 6, Appendix C).
//!
//! The Message-ID is derived from the idempotency key: if the process dies after the SMTP server
//! accepted the message but before that was recorded, the resend carries the same Message-ID,
//! which lets the receiving system recognise the duplicate.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

use crate::embedded::entry;
use crate::{rome, ProtocolError, Registration, Result};

/// The Message-ID of the message that carries the registration with `key`.
///
/// ```
/// let id = istanze_protocol::pec::message_id("3f0c", "istanze@pec.example.it");
/// assert_eq!(id, "<istanze.3f0c@pec.example.it>");
/// ```
pub fn message_id(key: &str, from: &str) -> String {
    let domain = from.rsplit_once('@').map(|(_, d)| d).unwrap_or("localhost");
    let safe: String = key
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        .collect();
    format!("<istanze.{safe}@{domain}>")
}

fn mailbox(address: &str) -> Result<Mailbox> {
    address
        .parse()
        .map_err(|e| ProtocolError::Invalid(format!("PEC address {address}: {e}")))
}

fn content_type(mime: &str) -> Result<ContentType> {
    ContentType::parse(mime)
        .or_else(|_| ContentType::parse("application/octet-stream"))
        .map_err(|e| ProtocolError::Invalid(format!("content type {mime}: {e}")))
}

/// Builds the message for `registration`, registered as `e`, with its `segnatura` XML.
pub fn build(
    registration: &Registration,
    e: &entry::Model,
    segnatura: &str,
    from: &str,
    to: &str,
    date: DateTime<Utc>,
) -> Result<Message> {
    let local = rome::local(e.registered_at);
    let text = format!(
        "Istanza presentata online.\r\n\r\nOggetto: {}\r\nRegistrazione: {} n. {:07} del {}\r\n\
         Richiedente: {} ({})\r\n\r\nIn allegato il documento dell'istanza, {} allegati e la \
         segnatura di protocollo (Segnatura.xml) con le impronte SHA-256 dei documenti.\r\n\
         Si chiede conferma di ricezione (Conferma.xml).\r\n",
        registration.subject,
        e.register,
        e.number,
        local.format("%d/%m/%Y %H:%M"),
        registration.correspondent.name,
        registration.correspondent.fiscal_number,
        registration.attachments.len(),
    );
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    for d in std::iter::once(&registration.primary).chain(&registration.attachments) {
        parts = parts.singlepart(
            Attachment::new(d.file_name.clone())
                .body(d.content.clone(), content_type(&d.mime_type)?),
        );
    }
    parts = parts.singlepart(Attachment::new("Segnatura.xml".into()).body(
        segnatura.as_bytes().to_vec(),
        content_type("application/xml")?,
    ));
    Message::builder()
        .message_id(Some(message_id(&registration.idempotency_key, from)))
        .from(mailbox(from)?)
        .to(mailbox(to)?)
        .subject(format!("{} - {}", registration.subject, e.segnatura))
        .date(date.into())
        .multipart(parts)
        .map_err(|e| ProtocolError::Invalid(format!("PEC message: {e}")))
}
