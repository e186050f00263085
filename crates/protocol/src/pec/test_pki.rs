//! A PKI for tests and fuzzing (feature `test-pki`, never in a normal build): certificate
//! authorities made on the spot, the provider certificates they issue, self-signed signers, and
//! the messages a PEC provider delivers: the transport envelope's content (`daticert.xml` and
//! `postacert.eml`), signed as `multipart/signed` or `application/pkcs7-mime`.
//!
//! Everything returns OpenSSL's error rather than panicking, so that callers decide.

use base64::Engine;
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::stack::Stack;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509Builder, X509Name, X509NameBuilder, X509NameRef, X509Ref, X509};

use super::envelope::canonical;

/// OpenSSL's result.
pub type Result<T> = std::result::Result<T, ErrorStack>;

/// A certificate authority made for a test, valid from now for 30 days.
#[derive(Debug)]
pub struct TestCa {
    cert: X509,
    key: PKey<Private>,
    bits: u32,
}

/// A certificate with its key, signing envelopes (a PEC provider's signing certificate).
#[derive(Debug)]
pub struct Signer {
    cert: X509,
    key: PKey<Private>,
}

fn name(common_name: &str) -> Result<X509Name> {
    let mut n = X509NameBuilder::new()?;
    n.append_entry_by_text("C", "IT")?;
    n.append_entry_by_text("O", "Test PKI")?;
    n.append_entry_by_text("CN", common_name)?;
    Ok(n.build())
}

fn serial() -> Result<Asn1Integer> {
    let mut bn = BigNum::new()?;
    bn.rand(64, MsbOption::MAYBE_ZERO, false)?;
    bn.to_asn1_integer()
}

/// A builder with everything but issuer, extensions and signature.
fn builder(subject: &X509Name, key: &PKey<Private>, days: u32) -> Result<X509Builder> {
    let mut b = X509Builder::new()?;
    b.set_version(2)?;
    let serial = serial()?;
    b.set_serial_number(&serial)?;
    b.set_subject_name(subject)?;
    b.set_pubkey(key)?;
    let (from, until) = (Asn1Time::days_from_now(0)?, Asn1Time::days_from_now(days)?);
    b.set_not_before(&from)?;
    b.set_not_after(&until)?;
    Ok(b)
}

/// A leaf for `email`, issued by `issuer` (itself when `None`): for S/MIME signing, or for a
/// TLS server only when `smime` is false.
fn leaf(email: &str, bits: u32, issuer: Option<&TestCa>, smime: bool) -> Result<Signer> {
    let key = PKey::from_rsa(Rsa::generate(bits)?)?;
    let subject = name(email)?;
    let mut b = builder(&subject, &key, 30)?;
    let issuer_cert: Option<&X509Ref> = issuer.map(|ca| &*ca.cert);
    let issuer_name: &X509NameRef = match issuer {
        Some(ca) => ca.cert.subject_name(),
        None => &subject,
    };
    let issuer_key = issuer.map_or(&key, |ca| &ca.key);
    b.set_issuer_name(issuer_name)?;
    b.append_extension(BasicConstraints::new().build()?)?;
    b.append_extension(
        KeyUsage::new()
            .critical()
            .digital_signature()
            .non_repudiation()
            .build()?,
    )?;
    let mut eku = ExtendedKeyUsage::new();
    if smime {
        eku.email_protection();
    } else {
        eku.server_auth();
    }
    b.append_extension(eku.build()?)?;
    let context = b.x509v3_context(issuer_cert, None);
    let san = SubjectAlternativeName::new().email(email).build(&context)?;
    let ski = SubjectKeyIdentifier::new().build(&context)?;
    let aki = match issuer_cert {
        Some(_) => Some(AuthorityKeyIdentifier::new().keyid(true).build(&context)?),
        None => None,
    };
    b.append_extension(san)?;
    b.append_extension(ski)?;
    if let Some(aki) = aki {
        b.append_extension(aki)?;
    }
    b.sign(issuer_key, MessageDigest::sha256())?;
    Ok(Signer {
        cert: b.build(),
        key,
    })
}

impl TestCa {
    /// A self-signed CA named `common_name` with an RSA key of `bits` (its certificates get
    /// keys of the same size).
    pub fn new(common_name: &str, bits: u32) -> Result<TestCa> {
        let key = PKey::from_rsa(Rsa::generate(bits)?)?;
        let subject = name(common_name)?;
        let mut b = builder(&subject, &key, 30)?;
        b.set_issuer_name(&subject)?;
        b.append_extension(BasicConstraints::new().critical().ca().build()?)?;
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()?,
        )?;
        let ski = SubjectKeyIdentifier::new().build(&b.x509v3_context(None, None))?;
        b.append_extension(ski)?;
        b.sign(&key, MessageDigest::sha256())?;
        Ok(TestCa {
            cert: b.build(),
            key,
            bits,
        })
    }

    /// The CA's certificate.
    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    /// The CA's certificate as PEM (a trust anchor file).
    pub fn cert_pem(&self) -> Result<Vec<u8>> {
        self.cert.to_pem()
    }

    /// A provider's signing certificate for `email`, issued by this CA.
    pub fn issue(&self, email: &str) -> Result<Signer> {
        leaf(email, self.bits, Some(self), true)
    }

    /// A certificate issued by this CA for a TLS server only, not for signing mail.
    pub fn issue_tls_only(&self, name: &str) -> Result<Signer> {
        leaf(name, self.bits, Some(self), false)
    }
}

impl Signer {
    /// A signer whose certificate is signed by its own key, issued by no CA.
    pub fn self_signed(email: &str, bits: u32) -> Result<Signer> {
        leaf(email, bits, None, true)
    }

    /// The signing certificate.
    pub fn certificate(&self) -> &X509 {
        &self.cert
    }

    /// The private key as PEM (to use the signer as a seal too).
    pub fn key_pem(&self) -> Result<Vec<u8>> {
        self.key.private_key_to_pem_pkcs8()
    }

    /// The certificate as PEM.
    pub fn cert_pem(&self) -> Result<Vec<u8>> {
        self.cert.to_pem()
    }

    fn sign(&self, content: &[u8], flags: Pkcs7Flags) -> Result<Vec<u8>> {
        let none = Stack::new()?;
        // BINARY: the content is signed as given, already with CRLF line ends.
        Pkcs7::sign(
            &self.cert,
            &self.key,
            &none,
            content,
            flags | Pkcs7Flags::BINARY,
        )?
        .to_der()
    }

    /// `content` (a MIME entity, line ends made CRLF) in a `multipart/signed` envelope with a
    /// detached signature, under the headers a provider writes.
    pub fn multipart_signed(&self, content: &[u8]) -> Result<Vec<u8>> {
        let content = canonical(content);
        let signature = wrap(&self.sign(&content, Pkcs7Flags::DETACHED)?);
        let mut out = format!(
            "{ENVELOPE_HEADERS}Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; \
             micalg=\"sha-256\"; boundary=\"{SIGNED}\"\r\n\r\n\
             This is an S/MIME signed message\r\n--{SIGNED}\r\n"
        )
        .into_bytes();
        out.extend_from_slice(&content);
        out.extend_from_slice(
            format!(
                "\r\n--{SIGNED}\r\nContent-Type: application/pkcs7-signature; name=\"smime.p7s\"\r\n\
                 Content-Transfer-Encoding: base64\r\n\
                 Content-Disposition: attachment; filename=\"smime.p7s\"\r\n\r\n\
                 {signature}--{SIGNED}--\r\n"
            )
            .as_bytes(),
        );
        Ok(out)
    }

    /// `content` (line ends made CRLF) inside an `application/pkcs7-mime` signed-data envelope.
    pub fn pkcs7_mime(&self, content: &[u8]) -> Result<Vec<u8>> {
        let signed = wrap(&self.sign(&canonical(content), Pkcs7Flags::empty())?);
        Ok(format!(
            "{ENVELOPE_HEADERS}Content-Type: application/pkcs7-mime; smime-type=signed-data; \
             name=\"smime.p7m\"\r\nContent-Transfer-Encoding: base64\r\n\
             Content-Disposition: attachment; filename=\"smime.p7m\"\r\n\r\n{signed}"
        )
        .into_bytes())
    }
}

/// The boundary of the signed envelope: unlikely in any content.
const SIGNED: &str = "----istanze-test-pki-signed-7d1f";

/// The envelope's own headers, outside the signature, as a provider writes them.
const ENVELOPE_HEADERS: &str =
    "From: \"Per conto di: mittente\" <posta-certificata@pec.provider.example>\r\n\
     X-Trasporto: posta-certificata\r\n\
     To: istanze@pec.provincia.example.it\r\n\
     Subject: POSTA CERTIFICATA: Conferma di ricezione\r\n\
     MIME-Version: 1.0\r\n";

/// Base64 in 76-character lines, each ended by CRLF.
fn wrap(bytes: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / 38 + 2);
    for line in b64.as_bytes().chunks(76) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push_str("\r\n");
    }
    out
}

/// The content of a provider's envelope: a text, `daticert.xml` of type `tipo`
/// (`posta-certificata` for a transport envelope) certifying `certified` as sender, and the
/// original message as `postacert.eml`.
pub fn transport_content(tipo: &str, certified: &str, postacert: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "Content-Type: multipart/mixed; boundary=\"ENV\"\r\n\r\n\
         --ENV\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nMessaggio di posta certificata.\r\n\
         --ENV\r\nContent-Type: application/xml; name=\"daticert.xml\"\r\n\
         Content-Disposition: attachment; filename=\"daticert.xml\"\r\n\r\n\
         <?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n\
         <postacert tipo=\"{tipo}\" errore=\"nessuno\"><intestazione>\
         <mittente>{certified}</mittente>\
         <destinatari tipo=\"certificato\">istanze@pec.provincia.example.it</destinatari>\
         <oggetto>Conferma di ricezione</oggetto></intestazione>\
         <dati><gestore-emittente>Gestore di prova</gestore-emittente>\
         <identificativo>test-pki@pec.provider.example</identificativo></dati></postacert>\r\n\
         --ENV\r\nContent-Type: message/rfc822; name=\"postacert.eml\"\r\n\
         Content-Disposition: attachment; filename=\"postacert.eml\"\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(postacert);
    out.extend_from_slice(b"\r\n--ENV--\r\n");
    out
}

/// An original message from `from` with one answer attachment `file_name` (base64) holding
/// `xml`: what the AOO's protocol system sends.
pub fn answer_message(from: &str, file_name: &str, xml: &str) -> Vec<u8> {
    let body = wrap(xml.as_bytes());
    format!(
        "From: {from}\r\nTo: istanze@pec.provincia.example.it\r\nSubject: Conferma di ricezione\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"IN\"\r\n\r\n\
         --IN\r\nContent-Type: text/plain\r\n\r\nRisposta dell'ufficio protocollo.\r\n\
         --IN\r\nContent-Type: application/xml; name=\"{file_name}\"\r\n\
         Content-Disposition: attachment; filename=\"{file_name}\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{body}--IN--\r\n"
    )
    .into_bytes()
}
