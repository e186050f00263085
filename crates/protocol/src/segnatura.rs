//! The Segnatura XML of a registration (AgID guidelines 2021, Allegato 6:
//! `SegnaturaInformatica` 3.0.0), sealed with an enveloped XAdES baseline-B signature made with
//! the AOO's key (RSA-SHA256, signing time and signing certificate digest as signed
//! properties).

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use samael::crypto::{CryptoProvider, XmlSec};
use serde::Deserialize;

use crate::embedded::entry;
use crate::{rome, Correspondent, ProtocolError, Result};

/// Who registered: the administration and AOO, for `Identificatore` and `Destinatario`.
#[derive(Debug, Clone)]
pub struct Registrar {
    pub administration: String,
    pub ipa_code: String,
    pub aoo: String,
}

/// The AOO's electronic seal: private key and certificate (PEM).
#[derive(Clone)]
pub struct Seal {
    key_der: Vec<u8>,
    cert_der: Vec<u8>,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seal").finish_non_exhaustive()
    }
}

impl Seal {
    pub fn from_pem(key_pem: &[u8], cert_pem: &[u8]) -> Result<Seal> {
        let bad = |e: openssl::error::ErrorStack| ProtocolError::Invalid(format!("seal: {e}"));
        let key = openssl::pkey::PKey::private_key_from_pem(key_pem).map_err(bad)?;
        let cert = openssl::x509::X509::from_pem(cert_pem).map_err(bad)?;
        Ok(Seal {
            key_der: key.private_key_to_der().map_err(bad)?,
            cert_der: cert.to_der().map_err(bad)?,
        })
    }

    /// The certificate (DER), to verify seals with.
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert_der
    }
}

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(crate) fn hex_to_base64(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[derive(Deserialize)]
pub(crate) struct Attachment {
    pub(crate) file_name: String,
    pub(crate) mime_type: String,
    pub(crate) sha256: String,
    pub(crate) description: String,
}

fn documento(tag: &str, description: &str, sha256_hex: &str, name: &str, mime: &str) -> String {
    format!(
        r#"<prot:{tag} prot:nomeFile="{}" prot:mimeType="{}"><prot:Descrizione>{}</prot:Descrizione><prot:Impronta>{}</prot:Impronta></prot:{tag}>"#,
        escape(name),
        escape(mime),
        escape(description),
        hex_to_base64(sha256_hex)
    )
}

fn persona(c: &Correspondent) -> String {
    let (nome, cognome) = match (&c.given_name, &c.family_name) {
        (Some(n), Some(f)) => (n.clone(), f.clone()),
        _ => match c.name.split_once(' ') {
            Some((n, f)) => (n.to_owned(), f.to_owned()),
            None => (c.name.clone(), String::new()),
        },
    };
    let cf = if c.fiscal_number.is_empty() {
        String::new()
    } else {
        format!(
            "<prot:CodiceFiscale>{}</prot:CodiceFiscale>",
            escape(&c.fiscal_number)
        )
    };
    let contatti = c
        .email
        .as_deref()
        .map(|e| format!(r#"<prot:Contatti><prot:IndirizzoTelematico prot:tipo="smtp">{}</prot:IndirizzoTelematico></prot:Contatti>"#, escape(e)))
        .unwrap_or_default();
    format!(
        "<prot:PersonaFisica><prot:Nome>{}</prot:Nome><prot:Cognome>{}</prot:Cognome>{cf}{contatti}</prot:PersonaFisica>",
        escape(&nome),
        escape(&cognome)
    )
}

fn amministrazione(r: &Registrar) -> String {
    format!(
        "<prot:Amministrazione><prot:DenominazioneAmministrazione>{}</prot:DenominazioneAmministrazione>\
         <prot:CodiceIPAAmministrazione>{}</prot:CodiceIPAAmministrazione><prot:CodiceIPAAOO>{}</prot:CodiceIPAAOO>\
         </prot:Amministrazione>",
        escape(&r.administration),
        escape(&r.ipa_code),
        escape(&r.aoo)
    )
}

/// Mittente and Destinatario: the citizen writes to the administration (A), the
/// administration to the citizen (P).
fn parties(direction: &str, c: &Correspondent, r: &Registrar) -> String {
    let (from, to) = if direction == crate::Direction::Outgoing.code() {
        (amministrazione(r), persona(c))
    } else {
        (persona(c), amministrazione(r))
    };
    format!("<prot:Mittente>{from}</prot:Mittente><prot:Destinatario>{to}</prot:Destinatario>")
}

fn fascicolo(e: &entry::Model) -> String {
    if e.case_file_code.is_empty() {
        return String::new();
    }
    let name = if e.case_file_name.is_empty() {
        &e.case_file_code
    } else {
        &e.case_file_name
    };
    format!(
        "<prot:Fascicolo><prot:Denominazione>{}</prot:Denominazione><prot:CodiceFascicolo>{}</prot:CodiceFascicolo></prot:Fascicolo>",
        escape(name),
        escape(&e.case_file_code)
    )
}

/// The unsigned Segnatura of a registration, with a signature template.
fn unsigned(
    e: &entry::Model,
    registrar: &Registrar,
    seal: &Seal,
    signing_time: DateTime<Utc>,
) -> Result<String> {
    let correspondent: Correspondent = serde_json::from_str(&e.correspondent)
        .map_err(|x| ProtocolError::Invalid(x.to_string()))?;
    let attachments: Vec<Attachment> =
        serde_json::from_str(&e.attachments).map_err(|x| ProtocolError::Invalid(x.to_string()))?;
    let local = rome::local(e.registered_at);
    let allegati: String = attachments
        .iter()
        .map(|a| {
            documento(
                "Allegato",
                &a.description,
                &a.sha256,
                &a.file_name,
                &a.mime_type,
            )
        })
        .collect();
    let cert_b64 = base64::engine::general_purpose::STANDARD.encode(&seal.cert_der);
    let cert_digest =
        base64::engine::general_purpose::STANDARD.encode(openssl::sha::sha256(&seal.cert_der));
    let id = format!("segnatura-{}-{}-{}", e.register, e.year, e.number);
    Ok(format!(
        concat!(
            "<!DOCTYPE prot:SegnaturaInformatica [<!ATTLIST xades:SignedProperties Id ID #IMPLIED>]>",
            r#"<prot:SegnaturaInformatica xmlns:prot="http://www.agid.gov.it/protocollo/" "#,
            r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#" prot:versione="3.0.0" prot:lang="it">"#,
            "<prot:Intestazione><prot:Identificatore>",
            "<prot:CodiceAmministrazione>{ipa}</prot:CodiceAmministrazione><prot:CodiceAOO>{aoo}</prot:CodiceAOO>",
            "<prot:CodiceRegistro>{register}</prot:CodiceRegistro><prot:NumeroRegistrazione>{number:07}</prot:NumeroRegistrazione>",
            "<prot:DataRegistrazione>{date}</prot:DataRegistrazione><prot:OraRegistrazione>{time}</prot:OraRegistrazione>",
            "</prot:Identificatore><prot:Oggetto>{subject}</prot:Oggetto>",
            "<prot:Classifica><prot:Denominazione>Titolario, voce {class}</prot:Denominazione><prot:CodiceFlat>{class}</prot:CodiceFlat></prot:Classifica>",
            "{fascicolo}</prot:Intestazione><prot:Descrizione>{parties}{primary}{allegati}</prot:Descrizione>",
            r#"<ds:Signature Id="{id}-firma"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            r#"<ds:Reference URI=""><ds:Transforms>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>"#,
            r##"<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#{id}-proprieta">"##,
            r#"<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>"#,
            "</ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>",
            r##"<ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#{id}-firma">"##,
            r#"<xades:SignedProperties Id="{id}-proprieta"><xades:SignedSignatureProperties>"#,
            "<xades:SigningTime>{signing_time}</xades:SigningTime>",
            r#"<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
            "<ds:DigestValue>{cert_digest}</ds:DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>",
            "</xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object>",
            "</ds:Signature></prot:SegnaturaInformatica>"
        ),
        ipa = escape(&registrar.ipa_code),
        aoo = escape(&registrar.aoo),
        register = escape(&e.register),
        number = e.number,
        date = local.format("%Y-%m-%d"),
        time = local.format("%H:%M:%S"),
        subject = escape(&e.subject),
        class = escape(&e.classification),
        fascicolo = fascicolo(e),
        parties = parties(&e.direction, &correspondent, registrar),
        primary = documento("DocumentoPrimario", "Documento principale", &e.primary_sha256, &e.primary_name, &e.primary_mime),
        allegati = allegati,
        id = id,
        cert = cert_b64,
        signing_time = signing_time.to_rfc3339_opts(SecondsFormat::Secs, true),
        cert_digest = cert_digest,
    ))
}

/// The sealed Segnatura XML of a registration.
pub fn segnatura(
    e: &entry::Model,
    registrar: &Registrar,
    seal: &Seal,
    signing_time: DateTime<Utc>,
) -> Result<String> {
    let xml = unsigned(e, registrar, seal, signing_time)?;
    let signed = XmlSec::sign_xml(&xml, &seal.key_der)
        .map_err(|x| ProtocolError::Invalid(format!("seal: {x}")))?;
    // The internal DTD only told xmlsec that `Id` is an ID; canonical forms never include it.
    let body = signed
        .find("<prot:SegnaturaInformatica")
        .map(|i| &signed[i..])
        .unwrap_or(&signed);
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"
    ))
}

/// Verifies a Segnatura's seal with the AOO's certificate, after checking that the signature
/// has the XAdES baseline-B shape the AgID guidelines describe (nothing external, no
/// transform but enveloped-signature and exclusive canonicalization).
pub fn verify(xml: &str, cert_der: &[u8]) -> Result<()> {
    istanze_xmlsig::verify_first(xml, cert_der, &istanze_xmlsig::Profile::SEGNATURA)
        .map_err(|x| ProtocolError::Invalid(format!("seal: {x}")))
}
