//! The Segnatura of Circolare AgID 60/2013 (namespace `http://www.digitPa.gov.it/protocollo/`,
//! root `Segnatura`): the form that many protocol systems fed by PEC still expect in
//! `Segnatura.xml`, beside or instead of the 2021 `SegnaturaInformatica`.
//!
//! In that schema the sender (`Origine/Mittente`) is an administration and AOO, not a person:
//! the message goes from the platform's register to the protocol mailbox of the receiving AOO,
//! and the citizen is named in `Note`. The 2013 form carries no signature; the PEC envelope and
//! the digests of the documents are what bind it.
//!
//! ```
//! # use istanze_protocol::segnatura::Registrar;
//! # use istanze_protocol::segnatura_2013::Addressee;
//! let to = Addressee {
//!     registrar: Registrar { administration: "Provincia di Prova".into(), ipa_code: "p_pr".into(), aoo: "A1B2C3D".into() },
//!     address: "protocollo@pec.provincia.example.it".into(),
//! };
//! assert_eq!(to.address, "protocollo@pec.provincia.example.it");
//! ```

use crate::embedded::entry;
use crate::segnatura::{escape, hex_to_base64, Attachment, Registrar};
use crate::{rome, Correspondent, ProtocolError, Result};

/// An AOO with its PEC address: the sender (the platform's register) or the recipient.
#[derive(Debug, Clone)]
pub struct Addressee {
    pub registrar: Registrar,
    /// The PEC (or e-mail) address of the AOO.
    pub address: String,
}

fn amministrazione(a: &Addressee) -> String {
    let r = &a.registrar;
    format!(
        concat!(
            "<Amministrazione><Denominazione>{admin}</Denominazione>",
            "<CodiceAmministrazione>{ipa}</CodiceAmministrazione>",
            "<IndirizzoPostale><Denominazione>{admin}</Denominazione></IndirizzoPostale>",
            r#"<IndirizzoTelematico tipo="smtp">{address}</IndirizzoTelematico></Amministrazione>"#,
            "<AOO><Denominazione>{admin}</Denominazione><CodiceAOO>{aoo}</CodiceAOO></AOO>"
        ),
        admin = escape(&r.administration),
        ipa = escape(&r.ipa_code),
        address = escape(&a.address),
        aoo = escape(&r.aoo),
    )
}

fn documento(id: &str, title: &str, sha256_hex: &str, name: &str, mime: &str) -> String {
    format!(
        concat!(
            r#"<Documento id="{id}" nome="{name}" tipoMIME="{mime}" tipoRiferimento="MIME">"#,
            "<CollocazioneTelematica>{name}</CollocazioneTelematica>",
            r#"<Impronta algoritmo="SHA-256" codifica="base64">{digest}</Impronta>"#,
            "<TitoloDocumento>{title}</TitoloDocumento></Documento>"
        ),
        id = id,
        name = escape(name),
        mime = escape(mime),
        digest = hex_to_base64(sha256_hex),
        title = escape(title),
    )
}

/// The 2013 Segnatura of a registration of the platform's register, sent from `from` to `to`.
pub fn segnatura_2013(e: &entry::Model, from: &Addressee, to: &Addressee) -> Result<String> {
    let correspondent: Correspondent = serde_json::from_str(&e.correspondent)
        .map_err(|x| ProtocolError::Invalid(x.to_string()))?;
    let attachments: Vec<Attachment> =
        serde_json::from_str(&e.attachments).map_err(|x| ProtocolError::Invalid(x.to_string()))?;
    let local = rome::local(e.registered_at);
    let livelli: String = e
        .classification
        .split('.')
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("<Livello>{}</Livello>", escape(l.trim())))
        .collect();
    let classifica = if livelli.is_empty() {
        String::new()
    } else {
        format!("<Classifica>{livelli}</Classifica>")
    };
    let allegati: String = attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            documento(
                &format!("allegato-{}", i + 1),
                &a.description,
                &a.sha256,
                &a.file_name,
                &a.mime_type,
            )
        })
        .collect();
    let allegati = if allegati.is_empty() {
        String::new()
    } else {
        format!("<Allegati>{allegati}</Allegati>")
    };
    let richiedente = if correspondent.fiscal_number.is_empty() {
        format!("Richiedente: {}", correspondent.name)
    } else {
        format!(
            "Richiedente: {}, codice fiscale {}",
            correspondent.name, correspondent.fiscal_number
        )
    };
    Ok(format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            r#"<Segnatura xmlns="http://www.digitPa.gov.it/protocollo/" xml-lang="it">"#,
            "<Intestazione><Identificatore>",
            "<CodiceAmministrazione>{ipa}</CodiceAmministrazione><CodiceAOO>{aoo}</CodiceAOO>",
            "<CodiceRegistro>{register}</CodiceRegistro><NumeroRegistrazione>{number:07}</NumeroRegistrazione>",
            "<DataRegistrazione>{date}</DataRegistrazione></Identificatore>",
            "<OraRegistrazione>{time}</OraRegistrazione>",
            r#"<Origine><IndirizzoTelematico tipo="smtp">{from_address}</IndirizzoTelematico><Mittente>{mittente}</Mittente></Origine>"#,
            r#"<Destinazione confermaRicezione="si"><IndirizzoTelematico tipo="smtp">{to_address}</IndirizzoTelematico>"#,
            "<Destinatario>{destinatario}</Destinatario></Destinazione>",
            "<Oggetto>{subject}</Oggetto>{classifica}<Note>{note}</Note></Intestazione>",
            "<Descrizione>{primary}{allegati}</Descrizione></Segnatura>"
        ),
        ipa = escape(&from.registrar.ipa_code),
        aoo = escape(&from.registrar.aoo),
        register = escape(&e.register),
        number = e.number,
        date = local.format("%Y-%m-%d"),
        time = local.format("%H:%M:%S"),
        from_address = escape(&from.address),
        mittente = amministrazione(from),
        to_address = escape(&to.address),
        destinatario = amministrazione(to),
        subject = escape(&e.subject),
        classifica = classifica,
        note = escape(&richiedente),
        primary = documento(
            "documento-principale",
            "Documento principale",
            &e.primary_sha256,
            &e.primary_name,
            &e.primary_mime
        ),
        allegati = allegati,
    ))
}
