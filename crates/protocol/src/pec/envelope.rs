//! The PEC provider's envelope (busta di trasporto): an S/MIME signed message, either
//! `multipart/signed` (the content first, the detached PKCS#7 signature second) or
//! `application/pkcs7-mime` (the content inside the signature).
//!
//! Its signature is verified against the configured trust anchors (the PEC providers' CAs)
//! before anything inside is read, and only the bytes that were signed are handed on: the
//! envelope's own headers (From, X-Trasporto, Subject) are outside the signature, so they prove
//! nothing and are never used.

use chrono::{DateTime, Utc};
use mailparse::ParsedMail;
use openssl::error::ErrorStack;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::stack::Stack;
use openssl::x509::store::{X509Store, X509StoreBuilder};
use openssl::x509::verify::{X509VerifyFlags, X509VerifyParam};
use openssl::x509::{X509PurposeId, X509};

use crate::{ProtocolError, Result};

/// Larger messages are not answers (those are a few kilobytes); they are left for a person.
pub(crate) const MAX_MESSAGE: usize = 20 * 1024 * 1024;
/// A detached signature with its certificate chain takes a few kilobytes.
const MAX_SIGNATURE: usize = 256 * 1024;

/// The certificates that make a PEC envelope's signature believable: the PEC providers' CAs
/// (or a provider's own signing certificate). Each is trusted because it is configured,
/// whether it is a self-signed root or not.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    certs: Vec<X509>,
}

impl TrustAnchors {
    /// The anchors of one PEM file (one or more certificates).
    pub fn from_pem(pem: &[u8]) -> Result<TrustAnchors> {
        let mut anchors = TrustAnchors::default();
        anchors.add_pem(pem)?;
        Ok(anchors)
    }

    /// Adds every certificate of a PEM file; returns how many it held (at least one).
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize> {
        let certs = X509::stack_from_pem(pem)
            .map_err(|e| ProtocolError::Invalid(format!("trust anchor PEM: {}", why(&e))))?;
        if certs.is_empty() {
            return Err(ProtocolError::Invalid(
                "trust anchor PEM: no certificate in it".into(),
            ));
        }
        let n = certs.len();
        self.certs.extend(certs);
        Ok(n)
    }

    /// How many certificates are trusted.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// True when nothing is trusted (then no envelope verifies).
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// A store of the anchors only, checking S/MIME signing at `now` (the caller's clock, so
    /// that an expired provider certificate is refused however late the message is read).
    fn store(&self, now: DateTime<Utc>) -> Result<X509Store> {
        let setup = |e: ErrorStack| ProtocolError::Invalid(format!("trust store: {}", why(&e)));
        let mut builder = X509StoreBuilder::new().map_err(setup)?;
        for cert in &self.certs {
            builder.add_cert(cert.clone()).map_err(setup)?;
        }
        let mut param = X509VerifyParam::new().map_err(setup)?;
        param
            .set_purpose(X509PurposeId::SMIME_SIGN)
            .map_err(setup)?;
        // A configured intermediate is an anchor too; certificates carried by the message are
        // only ever untrusted links of the chain, never anchors.
        param
            .set_flags(X509VerifyFlags::PARTIAL_CHAIN)
            .map_err(setup)?;
        // time_t is i64 here but narrower on some platforms: keep the checked conversion.
        #[allow(clippy::useless_conversion)]
        let time = now
            .timestamp()
            .try_into()
            .map_err(|_| ProtocolError::Invalid("trust store: time out of range".into()))?;
        param.set_time(time);
        builder.set_param(&param).map_err(setup)?;
        Ok(builder.build())
    }
}

/// Verifies the envelope `mail` (the whole message) and returns its signed content, exactly
/// the bytes that were signed.
pub(crate) fn open(
    mail: &ParsedMail<'_>,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    if anchors.is_empty() {
        return Err(ProtocolError::PecNoTrustAnchors);
    }
    match mail.ctype.mimetype.to_ascii_lowercase().as_str() {
        "multipart/signed" => detached(mail, anchors, now),
        "application/pkcs7-mime" | "application/x-pkcs7-mime" => opaque(mail, anchors, now),
        _ => Err(ProtocolError::PecUnsigned),
    }
}

fn is_pkcs7_signature(mime: &str) -> bool {
    mime.eq_ignore_ascii_case("application/pkcs7-signature")
        || mime.eq_ignore_ascii_case("application/x-pkcs7-signature")
}

fn detached(mail: &ParsedMail<'_>, anchors: &TrustAnchors, now: DateTime<Utc>) -> Result<Vec<u8>> {
    // multipart/signed with another protocol (PGP) is no S/MIME signature.
    if !mail
        .ctype
        .params
        .get("protocol")
        .is_some_and(|p| is_pkcs7_signature(p))
    {
        return Err(ProtocolError::PecUnsigned);
    }
    // Exactly content and signature: anything beside them would be unsigned.
    let [content, signature] = mail.subparts.as_slice() else {
        return Err(ProtocolError::PecSignature(
            "multipart/signed without exactly two parts".into(),
        ));
    };
    if !is_pkcs7_signature(&signature.ctype.mimetype) {
        return Err(ProtocolError::PecSignature(
            "second part is not a PKCS#7 signature".into(),
        ));
    }
    let p7 = pkcs7(signature, MAX_SIGNATURE)?;
    let signed = canonical(content.raw_bytes);
    // A signature that also embeds content would leave open which of the two was signed.
    verify(
        &p7,
        anchors,
        now,
        Some(&signed),
        None,
        Pkcs7Flags::NO_DUAL_CONTENT,
    )?;
    Ok(signed)
}

fn opaque(mail: &ParsedMail<'_>, anchors: &TrustAnchors, now: DateTime<Utc>) -> Result<Vec<u8>> {
    // Encrypted (enveloped-data) or certificate-only messages are no signed envelope.
    if mail
        .ctype
        .params
        .get("smime-type")
        .is_some_and(|t| !t.eq_ignore_ascii_case("signed-data"))
    {
        return Err(ProtocolError::PecUnsigned);
    }
    let p7 = pkcs7(mail, MAX_MESSAGE)?;
    if p7.signed().is_none() {
        return Err(ProtocolError::PecUnsigned);
    }
    let mut content = Vec::new();
    verify(
        &p7,
        anchors,
        now,
        None,
        Some(&mut content),
        Pkcs7Flags::empty(),
    )?;
    Ok(content)
}

/// The PKCS#7 structure in `part`'s body (base64, as S/MIME sends it), at most `limit` bytes.
fn pkcs7(part: &ParsedMail<'_>, limit: usize) -> Result<Pkcs7> {
    let too_large = || ProtocolError::PecSignature("signature part too large".into());
    // Base64 takes 4 bytes for 3, plus line ends: bound the work before decoding.
    if part.raw_bytes.len() / 2 > limit {
        return Err(too_large());
    }
    let der = part
        .get_body_raw()
        .map_err(|_| ProtocolError::PecSignature("signature part not decodable".into()))?;
    if der.len() > limit {
        return Err(too_large());
    }
    let p7 = Pkcs7::from_der(&der)
        .map_err(|e| ProtocolError::PecSignature(format!("not a PKCS#7 structure: {}", why(&e))))?;
    // OpenSSL's own DER of what it read, so the check sees what verification will use.
    let reencoded = p7
        .to_der()
        .map_err(|e| ProtocolError::PecSignature(format!("not a PKCS#7 structure: {}", why(&e))))?;
    super::digests::check(&reencoded)?;
    Ok(p7)
}

/// Verifies signature and chain; on failure, tells which of the two refused.
fn verify(
    p7: &Pkcs7,
    anchors: &TrustAnchors,
    now: DateTime<Utc>,
    indata: Option<&[u8]>,
    out: Option<&mut Vec<u8>>,
    flags: Pkcs7Flags,
) -> Result<()> {
    let store = anchors.store(now)?;
    // No extra certificates: the signer is the one the message names, and it must chain to an
    // anchor in `store`.
    let extra = Stack::<X509>::new()
        .map_err(|e| ProtocolError::Invalid(format!("trust store: {}", why(&e))))?;
    let Err(refused) = p7.verify(&extra, &store, indata, out, flags) else {
        return Ok(());
    };
    // The decision is the full verification above; this second pass, without the chain, only
    // says whether the signature itself (content and signer's key) holds.
    match p7.verify(&extra, &store, indata, None, flags | Pkcs7Flags::NOVERIFY) {
        Ok(()) => Err(ProtocolError::PecUntrustedSigner(why(&refused))),
        Err(e) => Err(ProtocolError::PecSignature(why(&e))),
    }
}

/// S/MIME signs content with CRLF line ends (RFC 8551, 3.1.1), but mailboxes often store
/// messages with bare LF: those are put back before verifying.
pub(crate) fn canonical(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    let mut previous = 0u8;
    for &b in bytes {
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        previous = b;
    }
    out
}

/// OpenSSL's reasons, without file names: what an operator needs to tell the rules apart.
fn why(e: &ErrorStack) -> String {
    let reasons: Vec<String> = e
        .errors()
        .iter()
        .map(|x| match (x.reason(), x.data()) {
            (Some(r), Some(d)) => format!("{r} ({d})"),
            (Some(r), None) => r.to_owned(),
            (None, Some(d)) => d.to_owned(),
            (None, None) => "unspecified".to_owned(),
        })
        .collect();
    if reasons.is_empty() {
        "unspecified".to_owned()
    } else {
        reasons.join("; ")
    }
}
