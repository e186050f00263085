//! Reading the AOO's answers: a PEC message (usually the provider's envelope around
//! `postacert.eml`) whose attachment `Conferma.xml`, `Aggiornamento.xml`, `Eccezione.xml` or
//! `Annullamento.xml` holds a ConfermaRicezione, AggiornamentoConferma, NotificaEccezione or
//! AnnullamentoProtocollazione, in the 2021 form (namespace `http://www.agid.gov.it/protocollo/pec/`)
//! or the 2013 one (`http://www.digitPa.gov.it/protocollo/`).
//!
//! Everything here is untrusted input. Nothing is read before the provider's S/MIME signature
//! on the envelope verifies against the trust anchors ([`super::envelope`]); then only the
//! signed content counts: the sender is the `mittente` that the provider certifies in the
//! `daticert.xml` of a transport envelope (type `posta-certificata`), never a `From` header.
//! The XML is parsed without DTDs and nested messages are followed to a fixed depth.

use chrono::{DateTime, Utc};
use mailparse::ParsedMail;

use super::envelope::{self, TrustAnchors, MAX_MESSAGE};
use crate::{ProtocolError, Result};

const NS_2021_PEC: &str = "http://www.agid.gov.it/protocollo/pec/";
const NS_2021: &str = "http://www.agid.gov.it/protocollo/";
const NS_2013: &str = "http://www.digitPa.gov.it/protocollo/";
/// Envelope, postacert.eml, and a forward: deeper nesting is not a PEC answer.
const MAX_DEPTH: usize = 4;
/// The `daticert.xml` types (DM 2 November 2005): a refusal names the type only when it is one
/// of these, so that no text written by a sender reaches the log.
const DATICERT_TYPES: [&str; 8] = [
    "accettazione",
    "non-accettazione",
    "presa-in-carico",
    "avvenuta-consegna",
    "posta-certificata",
    "errore-consegna",
    "preavviso-errore-consegna",
    "rilevazione-virus",
];

/// A registration identifier (Identificatore) as written by the AOO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub ipa_code: String,
    pub aoo: String,
    pub register: String,
    /// As written: usually seven digits.
    pub number: String,
    /// `YYYY-MM-DD`.
    pub date: String,
}

/// Which of our messages an answer is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// Our registration, as in the Segnatura we sent.
    Registration(Identifier),
    /// A free description (DescrizioneMessaggio), which may quote our Message-ID.
    Description(String),
}

/// An answer of the receiving AOO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// ConfermaRicezione (or AggiornamentoConferma when `update`): the AOO registered our
    /// message as `theirs`.
    Confirmed {
        theirs: Identifier,
        ours: Subject,
        update: bool,
    },
    /// NotificaEccezione: the AOO could not register our message.
    Exception { ours: Subject, reason: String },
    /// AnnullamentoProtocollazione: the AOO annulled its registration `theirs`.
    Annulled {
        theirs: Identifier,
        reason: String,
        act: String,
    },
}

/// A message from the PEC inbox, once its envelope verified: who sent it, and the answers it
/// carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The sender as the provider certifies it: the `mittente` of the transport envelope's
    /// `daticert.xml`, lower case. `None` for a provider's receipt without answers.
    pub sender: Option<String>,
    /// Each answer attachment found in the signed content, or why it could not be read.
    pub answers: Vec<std::result::Result<Answer, String>>,
}

/// Reads a raw message: verifies the provider's envelope at `now` against `anchors`, then
/// reads what the provider signed. Only the envelope's certification says who sent it: a
/// message enclosed in `postacert.eml` proves nothing about its own `From`.
///
/// A message without a verifying signature is refused with the rule that refused it
/// ([`ProtocolError::PecUnsigned`], [`ProtocolError::PecSignature`],
/// [`ProtocolError::PecUntrustedSigner`], [`ProtocolError::PecNoTrustAnchors`]); a verified
/// provider's message that is not a transport envelope may carry no answers
/// ([`ProtocolError::PecNotTransport`]).
pub fn answers(raw: &[u8], anchors: &TrustAnchors, now: DateTime<Utc>) -> Result<Inbound> {
    if raw.len() > MAX_MESSAGE {
        return Err(ProtocolError::Invalid(
            "message too large for an answer".into(),
        ));
    }
    let mail =
        mailparse::parse_mail(raw).map_err(|e| ProtocolError::Invalid(format!("message: {e}")))?;
    let signed = envelope::open(&mail, anchors, now)?;
    // What is read is parsed from the signed bytes themselves, not from the envelope's parse.
    let content = mailparse::parse_mail(&signed)
        .map_err(|e| ProtocolError::Invalid(format!("signed content: {e}")))?;
    let mut found = Vec::new();
    walk(&content, 0, &mut found);
    match certification(&content) {
        Ok(sender) => Ok(Inbound {
            sender,
            answers: found,
        }),
        // Receipts for our own messages arrive signed too, and carry nothing to believe.
        Err(_) if found.is_empty() => Ok(Inbound {
            sender: None,
            answers: found,
        }),
        Err(why) => Err(ProtocolError::PecNotTransport(why)),
    }
}

/// The certified sender of a transport envelope, from the `daticert.xml` among the signed
/// content's own parts (the provider's), not one inside the enclosed message (the sender's).
/// An error says why the content is no transport envelope; it names no personal data.
fn certification(content: &ParsedMail<'_>) -> std::result::Result<Option<String>, String> {
    let mut daticert = content
        .subparts
        .iter()
        .filter(|p| attachment_name(p).eq_ignore_ascii_case("daticert.xml"));
    let (Some(daticert), None) = (daticert.next(), daticert.next()) else {
        return Err("not exactly one daticert.xml".into());
    };
    let xml = daticert
        .get_body_raw()
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or("daticert.xml unreadable")?;
    let doc = roxmltree::Document::parse(&xml).map_err(|_| "daticert.xml is not XML")?;
    let root = doc.root_element();
    if root.tag_name().name() != "postacert" {
        return Err("daticert.xml without postacert".into());
    }
    match root.attribute("tipo") {
        Some("posta-certificata") => {}
        Some(t) if DATICERT_TYPES.contains(&t) => return Err(format!("daticert.xml of type {t}")),
        _ => return Err("daticert.xml of no known type".into()),
    }
    Ok(child(root, "intestazione")
        .and_then(|i| child(i, "mittente"))
        .and_then(|m| m.text())
        .map(|t| t.trim().to_ascii_lowercase()))
}

fn attachment_name(part: &ParsedMail<'_>) -> String {
    part.get_content_disposition()
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .cloned()
        .unwrap_or_default()
}

fn walk(part: &ParsedMail<'_>, depth: usize, found: &mut Vec<std::result::Result<Answer, String>>) {
    if !part.subparts.is_empty() {
        for sub in &part.subparts {
            walk(sub, depth, found);
        }
        return;
    }
    if part.ctype.mimetype.eq_ignore_ascii_case("message/rfc822") {
        if depth + 1 >= MAX_DEPTH {
            return;
        }
        match part
            .get_body_raw()
            .ok()
            .as_deref()
            .map(mailparse::parse_mail)
        {
            Some(Ok(inner)) => walk(&inner, depth + 1, found),
            _ => found.push(Err("unreadable enclosed message".into())),
        }
        return;
    }
    let name = attachment_name(part).to_ascii_lowercase();
    let known = [
        "conferma.xml",
        "aggiornamento.xml",
        "eccezione.xml",
        "annullamento.xml",
    ];
    if known.contains(&name.as_str()) {
        let answer = part
            .get_body_raw()
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| format!("{name}: not UTF-8")))
            .and_then(|text| parse_answer(&text).map_err(|e| e.to_string()));
        found.push(answer);
    }
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(n: roxmltree::Node<'_, '_>, name: &str) -> Result<String> {
    child(n, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_owned())
        .ok_or_else(|| ProtocolError::Invalid(format!("answer: {name} missing")))
}

fn identifier(n: roxmltree::Node<'_, '_>) -> Result<Identifier> {
    Ok(Identifier {
        ipa_code: text_of(n, "CodiceAmministrazione")?,
        aoo: text_of(n, "CodiceAOO")?,
        register: text_of(n, "CodiceRegistro")?,
        number: text_of(n, "NumeroRegistrazione")?,
        date: text_of(n, "DataRegistrazione")?,
    })
}

fn subject(root: roxmltree::Node<'_, '_>) -> Result<Subject> {
    let m = child(root, "MessaggioRicevuto")
        .ok_or_else(|| ProtocolError::Invalid("answer: MessaggioRicevuto missing".into()))?;
    match child(m, "Identificatore") {
        Some(i) => Ok(Subject::Registration(identifier(i)?)),
        None => Ok(Subject::Description(text_of(m, "DescrizioneMessaggio")?)),
    }
}

/// Parses one answer document.
pub fn parse_answer(xml: &str) -> Result<Answer> {
    let doc = roxmltree::Document::parse(xml)
        .map_err(|e| ProtocolError::Invalid(format!("answer XML: {e}")))?;
    let root = doc.root_element();
    let ns = root.tag_name().namespace().unwrap_or_default();
    if ![NS_2021_PEC, NS_2021, NS_2013].contains(&ns) {
        return Err(ProtocolError::Invalid(format!("answer namespace {ns}")));
    }
    let identificatore = || {
        child(root, "Identificatore")
            .ok_or_else(|| ProtocolError::Invalid("answer: Identificatore missing".into()))
            .and_then(identifier)
    };
    match root.tag_name().name() {
        kind @ ("ConfermaRicezione" | "AggiornamentoConferma") => Ok(Answer::Confirmed {
            theirs: identificatore()?,
            ours: subject(root)?,
            update: kind == "AggiornamentoConferma",
        }),
        "NotificaEccezione" => Ok(Answer::Exception {
            ours: subject(root)?,
            reason: text_of(root, "Motivo")?,
        }),
        "AnnullamentoProtocollazione" => Ok(Answer::Annulled {
            theirs: identificatore()?,
            reason: text_of(root, "Motivo")?,
            act: text_of(root, "Provvedimento")?,
        }),
        other => Err(ProtocolError::Invalid(format!("answer element {other}"))),
    }
}
