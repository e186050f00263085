//! Reading the AOO's answers: a PEC message (usually the provider's envelope around
//! `postacert.eml`) whose attachment `Conferma.xml`, `Aggiornamento.xml`, `Eccezione.xml` or
//! `Annullamento.xml` holds a ConfermaRicezione, AggiornamentoConferma, NotificaEccezione or
//! AnnullamentoProtocollazione, in the 2021 form (namespace `http://www.agid.gov.it/protocollo/pec/`)
//! or the 2013 one (`http://www.digitPa.gov.it/protocollo/`).
//!
//! Everything here is untrusted input: the XML is parsed without DTDs, nested messages are
//! followed to a fixed depth, and only the AOO's own address is believed as sender.

use mailparse::{MailHeaderMap, ParsedMail};

use crate::{ProtocolError, Result};

const NS_2021_PEC: &str = "http://www.agid.gov.it/protocollo/pec/";
const NS_2021: &str = "http://www.agid.gov.it/protocollo/";
const NS_2013: &str = "http://www.digitPa.gov.it/protocollo/";
/// Envelope, postacert.eml, and a forward: deeper nesting is not a PEC answer.
const MAX_DEPTH: usize = 4;

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

/// The answers found in a raw message, each with the From addresses of the messages enclosing it
/// (outermost first).
pub fn answers(raw: &[u8]) -> Result<Vec<(Vec<String>, Answer)>> {
    let mail =
        mailparse::parse_mail(raw).map_err(|e| ProtocolError::Invalid(format!("message: {e}")))?;
    let mut found = Vec::new();
    walk(&mail, &mut Vec::new(), 0, &mut found)?;
    Ok(found)
}

fn walk(
    part: &ParsedMail<'_>,
    senders: &mut Vec<String>,
    depth: usize,
    found: &mut Vec<(Vec<String>, Answer)>,
) -> Result<()> {
    let from = part.headers.get_first_value("From");
    if let Some(f) = &from {
        senders.push(f.to_ascii_lowercase());
    }
    for sub in &part.subparts {
        walk_part(sub, senders, depth, found)?;
    }
    if part.subparts.is_empty() {
        walk_part(part, senders, depth, found)?;
    }
    if from.is_some() {
        senders.pop();
    }
    Ok(())
}

fn walk_part(
    part: &ParsedMail<'_>,
    senders: &mut Vec<String>,
    depth: usize,
    found: &mut Vec<(Vec<String>, Answer)>,
) -> Result<()> {
    let bad = |e: mailparse::MailParseError| ProtocolError::Invalid(format!("message: {e}"));
    if !part.subparts.is_empty() {
        for sub in &part.subparts {
            walk_part(sub, senders, depth, found)?;
        }
        return Ok(());
    }
    if part.ctype.mimetype.eq_ignore_ascii_case("message/rfc822") {
        if depth + 1 >= MAX_DEPTH {
            return Ok(());
        }
        let body = part.get_body_raw().map_err(bad)?;
        let inner = mailparse::parse_mail(&body).map_err(bad)?;
        return walk(&inner, senders, depth + 1, found);
    }
    let name = part
        .get_content_disposition()
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .cloned()
        .unwrap_or_default();
    let known = [
        "conferma.xml",
        "aggiornamento.xml",
        "eccezione.xml",
        "annullamento.xml",
    ];
    if known.contains(&name.to_ascii_lowercase().as_str()) {
        let body = part.get_body_raw().map_err(bad)?;
        let text = String::from_utf8(body)
            .map_err(|_| ProtocolError::Invalid(format!("{name}: not UTF-8")))?;
        found.push((senders.clone(), parse_answer(&text)?));
    }
    Ok(())
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
