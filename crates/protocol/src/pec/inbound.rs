//! Reading the AOO's answers: a PEC message (usually the provider's envelope around
//! `postacert.eml`) whose attachment `Conferma.xml`, `Aggiornamento.xml`, `Eccezione.xml` or
//! `Annullamento.xml` holds a ConfermaRicezione, AggiornamentoConferma, NotificaEccezione or
//! AnnullamentoProtocollazione, in the 2021 form (namespace `http://www.agid.gov.it/protocollo/pec/`)
//! or the 2013 one (`http://www.digitPa.gov.it/protocollo/`).
//!
//! Everything here is untrusted input: the XML is parsed without DTDs, nested messages are
//! followed to a fixed depth, and only the AOO's own address, as the outermost envelope (the
//! provider's `daticert.xml` for a PEC) gives it, is believed as sender. The PEC provider's
//! S/MIME signature is not verified.

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

/// A message from the PEC inbox: who sent it, and the answers it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    /// The sender as certified: the `mittente` of the provider's `daticert.xml` for a PEC
    /// (`X-Trasporto` envelope), otherwise the address of the outermost `From`. Lower case.
    pub sender: Option<String>,
    /// Each answer attachment found, or why it could not be read.
    pub answers: Vec<std::result::Result<Answer, String>>,
}

/// Reads a raw message. Only the outermost envelope says who sent it: a forwarded message
/// inside proves nothing about its own `From`.
pub fn answers(raw: &[u8]) -> Result<Inbound> {
    let mail =
        mailparse::parse_mail(raw).map_err(|e| ProtocolError::Invalid(format!("message: {e}")))?;
    let mut found = Vec::new();
    walk(&mail, 0, &mut found);
    Ok(Inbound {
        sender: sender(&mail),
        answers: found,
    })
}

fn sender(mail: &ParsedMail<'_>) -> Option<String> {
    if mail.headers.get_first_value("X-Trasporto").is_some() {
        let daticert = mail
            .subparts
            .iter()
            .find(|p| attachment_name(p).eq_ignore_ascii_case("daticert.xml"))?;
        let xml = String::from_utf8(daticert.get_body_raw().ok()?).ok()?;
        let doc = roxmltree::Document::parse(&xml).ok()?;
        let mittente = doc
            .descendants()
            .find(|n| n.is_element() && n.tag_name().name() == "mittente")?;
        return mittente.text().map(|t| t.trim().to_ascii_lowercase());
    }
    let from = mail.headers.get_first_header("From")?;
    mailparse::addrparse_header(from)
        .ok()?
        .extract_single_info()
        .map(|single| single.addr.trim().to_ascii_lowercase())
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
