//! The confirmation e-mail: protocol number and date, what was submitted, the receipt PDF
//! attached, a link to the receipt page. Sent over SMTP with TLS.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::submission;
use crate::store::jobs::Finished;

pub(super) async fn send(
    tenant: &crate::tenant::Tenant,
    sub: &submission::Model,
) -> Result<Finished, String> {
    if tenant.settings.notifications.email.is_none() {
        return Ok(Finished::Skipped("e-mail not configured".into()));
    }
    let Some(to) = super::address(tenant, sub) else {
        return Ok(Finished::Skipped("no e-mail address".into()));
    };
    let (Some(number), Some(at)) = (sub.protocol_number, sub.protocol_at) else {
        return Err("not filed yet".into());
    };
    let when = istanze_protocol::rome::local(at).format("%d/%m/%Y alle %H:%M");
    let administration = &tenant.admin().name;
    let text = format!(
        "Gentile cittadina, gentile cittadino,\r\n\r\nla tua domanda \"{title}\" è stata \
         protocollata con numero {number:07} del {when}.\r\n\r\nOggetto: {subject}\r\nCodice \
         della domanda: {id}\r\nImpronta del documento (SHA-256): {digest}\r\n\r\nIn allegato la \
         ricevuta. Puoi seguire la domanda e scaricare i documenti qui:\r\n{url}/domande/{id}\r\n\r\n\
         {administration}\r\n\r\nQuesto messaggio è inviato automaticamente: non rispondere.\r\n",
        title = sub.form_title,
        subject = sub.subject,
        id = sub.id,
        digest = sub.document_sha256,
        url = tenant.public_url,
    );
    let receipt = crate::receipt::render(sub, administration).map_err(|e| e.to_string())?;
    match deliver(
        tenant,
        &to,
        &format!("Domanda protocollata: n. {number:07} - {}", sub.form_title),
        text,
        Some((format!("ricevuta-{}.pdf", sub.id), receipt)),
    )
    .await
    {
        Ok(()) => {}
        Err(Failure::Permanent(why)) => return Ok(Finished::Skipped(why)),
        Err(Failure::Temporary(why)) => return Err(why),
    }
    Ok(Finished::Done)
}

/// The e-mail of a communication of the procedure (`event`), with its document attached.
pub(super) async fn send_event(
    tenant: &crate::tenant::Tenant,
    sub: &submission::Model,
    event: &crate::store::cases::CaseEvent,
    document: Vec<u8>,
) -> Result<Finished, String> {
    if tenant.settings.notifications.email.is_none() {
        return Ok(Finished::Skipped("e-mail not configured".into()));
    }
    let Some(to) = super::address(tenant, sub) else {
        return Ok(Finished::Skipped("no e-mail address".into()));
    };
    let Some((_, year, number, at)) = &event.registration else {
        return Err("not filed yet".into());
    };
    let title = crate::communication::title(event.kind);
    let details = crate::communication::Details::of(event);
    let answer = details
        .reply_by
        .as_deref()
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| {
            format!(
                "DEVI RISPONDERE ENTRO IL {}: nella pagina della domanda trovi cosa inviare e il \
                 modulo per farlo.\r\n\r\n",
                d.format("%d/%m/%Y")
            )
        })
        .unwrap_or_default();
    let text = format!(
        "Gentile cittadina, gentile cittadino,\r\n\r\nl'ente ti ha inviato una comunicazione \
         sulla tua domanda \"{form}\": {title}.\r\n\r\nProtocollo n. {number:07}/{year} del \
         {when}.\r\nOggetto della domanda: {subject}\r\n\r\n{answer}Il documento è in allegato \
         e nella pagina della domanda:\r\n{url}/domande/{id}\r\n\r\n{administration}\r\n\r\n\
         Questo messaggio è inviato automaticamente: non rispondere.\r\n",
        form = sub.form_title,
        when = istanze_protocol::rome::local(*at).format("%d/%m/%Y"),
        subject = sub.subject,
        url = tenant.public_url,
        id = sub.id,
        administration = tenant.admin().name,
    );
    let name = event
        .document
        .as_ref()
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| format!("comunicazione-{}.pdf", event.id));
    match deliver(
        tenant,
        &to,
        &format!("{title}: n. {number:07}/{year} - {}", sub.form_title),
        text,
        Some((name, document)),
    )
    .await
    {
        Ok(()) => Ok(Finished::Done),
        Err(Failure::Permanent(why)) => Ok(Finished::Skipped(why)),
        Err(Failure::Temporary(why)) => Err(why),
    }
}

/// Why an e-mail was not sent; the texts never hold the address (personal data).
#[derive(Debug)]
pub(crate) enum Failure {
    /// Retrying cannot help: a malformed address, a permanent SMTP refusal.
    Permanent(String),
    Temporary(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Permanent(w) | Failure::Temporary(w) => f.write_str(w),
        }
    }
}

/// Sends a text e-mail to `to`, with a PDF attached if given.
pub(crate) async fn deliver(
    tenant: &crate::tenant::Tenant,
    to: &str,
    subject: &str,
    text: String,
    pdf: Option<(String, Vec<u8>)>,
) -> Result<(), Failure> {
    let temporary = |e: String| Failure::Temporary(e);
    let Some(settings) = &tenant.settings.notifications.email else {
        return Err(Failure::Permanent("e-mail not configured".into()));
    };
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    if let Some((name, bytes)) = pdf {
        let kind = ContentType::parse("application/pdf").map_err(|e| temporary(e.to_string()))?;
        parts = parts.singlepart(Attachment::new(name).body(bytes, kind));
    }
    let message = Message::builder()
        .from(
            settings
                .from
                .parse()
                .map_err(|e| temporary(format!("from: {e}")))?,
        )
        .to(to
            .parse()
            .map_err(|_| Failure::Permanent("the address is not valid".into()))?)
        .subject(subject)
        .multipart(parts)
        .map_err(|e| temporary(e.to_string()))?;
    let mut tls = TlsParameters::builder(settings.smtp_host.clone());
    if let Some(file) = &settings.ca_file {
        let pem = std::fs::read(file).map_err(|e| temporary(format!("{file}: {e}")))?;
        tls = tls.add_root_certificate(
            Certificate::from_pem(&pem).map_err(|e| temporary(e.to_string()))?,
        );
    }
    let tls = tls.build_rustls().map_err(|e| temporary(e.to_string()))?;
    let tls = match settings.security {
        istanze_protocol::pec::SmtpSecurity::Implicit => Tls::Wrapper(tls),
        istanze_protocol::pec::SmtpSecurity::Starttls => Tls::Required(tls),
    };
    let password = crate::secret(&settings.password).map_err(|e| temporary(e.to_string()))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.smtp_host)
        .port(settings.smtp_port)
        .tls(tls)
        .credentials(Credentials::new(settings.username.clone(), password))
        .build();
    let limit = Duration::from_secs(settings.timeout_seconds.max(1));
    let sent = tokio::time::timeout(limit, transport.send(message))
        .await
        .map_err(|_| temporary("SMTP: no answer in time".into()))?;
    // The server's text may quote the address: only the code is kept.
    sent.map(|_| ()).map_err(|e| {
        let code = e.status().map(|c| c.to_string()).unwrap_or_default();
        if e.is_permanent() {
            Failure::Permanent(format!("SMTP: permanent refusal {code}"))
        } else {
            Failure::Temporary(format!("SMTP: temporary failure {code}"))
        }
    })
}
