//! The DOCAREA "segnatura" (profile XML) given to `Protocollazione`: root `Segnatura` with no
//! namespace, the registration's data, and the documents by the ids `Inserimento` returned.
//!
//! Some servers read it as ISO-8859-1: every character outside ASCII is written as a numeric
//! character reference, which every XML reader understands whatever the declared encoding.

use std::collections::BTreeMap;

use crate::{Direction, Registration};

/// What the receiving administration needs in the profile besides the registration.
#[derive(Debug, Clone)]
pub struct Profile<'a> {
    /// CodiceAmministrazione (the ente's code in the protocol system).
    pub administration_code: &'a str,
    pub administration_name: &'a str,
    pub aoo: &'a str,
    /// Organisational unit that receives the application, when the system wants one.
    pub unit: Option<&'a str>,
    /// `ApplicativoProtocollo`: vendor parameters (e.g. ADS `uo`, `tipoSmistamento`).
    pub application: Option<(&'a str, &'a BTreeMap<String, String>)>,
}

/// XML text: markup escaped, non-ASCII as character references.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_ascii() => out.push(c),
            c => out.push_str(&format!("&#{};", c as u32)),
        }
    }
    out
}

fn flusso(d: Direction) -> &'static str {
    match d {
        Direction::Incoming => "E",
        Direction::Outgoing => "U",
        Direction::Internal => "I",
    }
}

fn documento(id: i64, name: &str, description: &str) -> String {
    format!(
        r#"<Documento id="{id}" nome="{}"><DescrizioneDocumento>{}</DescrizioneDocumento></Documento>"#,
        text(name),
        text(description)
    )
}

/// The profile of `reg`, whose primary document and attachments were inserted as `doc_ids`
/// (primary first).
pub fn profile(reg: &Registration, p: &Profile<'_>, doc_ids: &[i64]) -> String {
    let c = &reg.correspondent;
    let (nome, cognome) = match (&c.given_name, &c.family_name) {
        (Some(n), Some(f)) => (n.clone(), f.clone()),
        _ => (String::new(), c.name.clone()),
    };
    let nome = if nome.is_empty() {
        String::new()
    } else {
        format!("<Nome>{}</Nome>", text(&nome))
    };
    let email = c
        .email
        .as_deref()
        .map(|e| {
            format!(
                r#"<IndirizzoTelematico tipo="smtp">{}</IndirizzoTelematico>"#,
                text(e)
            )
        })
        .unwrap_or_default();
    let persona = format!(
        r#"<Persona id="{cf}">{nome}<Cognome>{cognome}</Cognome><CodiceFiscale>{cf}</CodiceFiscale>{email}</Persona>"#,
        cf = text(&c.fiscal_number),
        cognome = text(&cognome),
    );
    let unit = p
        .unit
        .map(|u| format!(r#"<UnitaOrganizzativa id="{}"/>"#, text(u)))
        .unwrap_or_default();
    let ente = format!(
        "<Amministrazione><Denominazione>{}</Denominazione><CodiceAmministrazione>{}</CodiceAmministrazione>{unit}</Amministrazione><AOO><CodiceAOO>{}</CodiceAOO></AOO>",
        text(p.administration_name),
        text(p.administration_code),
        text(p.aoo)
    );
    // Incoming: the citizen sends, the administration receives; the reverse otherwise.
    let (mittente, destinatario) = match reg.direction {
        Direction::Incoming => (persona, ente),
        Direction::Outgoing | Direction::Internal => (ente, persona),
    };
    let classifica = if reg.classification.trim().is_empty() {
        String::new()
    } else {
        format!(
            "<Classifica><CodiceAmministrazione>{}</CodiceAmministrazione><CodiceAOO>{}</CodiceAOO><CodiceTitolario>{}</CodiceTitolario></Classifica>",
            text(p.administration_code),
            text(p.aoo),
            text(reg.classification.trim())
        )
    };
    let primary = doc_ids
        .first()
        .map(|id| documento(*id, &reg.primary.file_name, &reg.primary.description))
        .unwrap_or_default();
    let allegati: String = reg
        .attachments
        .iter()
        .zip(doc_ids.iter().skip(1))
        .map(|(a, id)| documento(*id, &a.file_name, &a.description))
        .collect();
    let allegati = if allegati.is_empty() {
        String::new()
    } else {
        format!("<Allegati>{allegati}</Allegati>")
    };
    let applicativo = p
        .application
        .map(|(name, params)| {
            let params: String = params
                .iter()
                .map(|(k, v)| format!(r#"<Parametro nome="{}" valore="{}"/>"#, text(k), text(v)))
                .collect();
            format!(
                r#"<ApplicativoProtocollo nome="{}">{params}</ApplicativoProtocollo>"#,
                text(name)
            )
        })
        .unwrap_or_default();
    format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Segnatura><Intestazione>",
            "<Oggetto>{oggetto}</Oggetto><Identificatore>",
            "<CodiceAmministrazione>{ente}</CodiceAmministrazione><CodiceAOO>{aoo}</CodiceAOO>",
            "<NumeroRegistrazione>0</NumeroRegistrazione><DataRegistrazione>0</DataRegistrazione>",
            "<Flusso>{flusso}</Flusso></Identificatore>",
            "<Mittente>{mittente}</Mittente><Destinatario>{destinatario}</Destinatario>{classifica}",
            "</Intestazione><Descrizione>{primary}{allegati}</Descrizione>{applicativo}</Segnatura>"
        ),
        oggetto = text(reg.subject.trim()),
        ente = text(p.administration_code),
        aoo = text(p.aoo),
        flusso = flusso(reg.direction),
        mittente = mittente,
        destinatario = destinatario,
        classifica = classifica,
        primary = primary,
        allegati = allegati,
        applicativo = applicativo,
    )
}
