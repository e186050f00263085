//! Enveloped XML signatures with RSA-SHA256 and exclusive canonicalization, made by xmlsec.
//!
//! samael's own signing template digests with SHA-1, which SPID forbids; we insert our own
//! template and let xmlsec fill it in.

use samael::crypto::{CryptoProvider, XmlSec};

use crate::keys::SigningKey;
use crate::{AuthError, Result};

/// The `<ds:Signature>` template for the element whose `ID` is `id`, with the certificate.
pub(crate) fn template(id: &str, cert_base64: &str) -> String {
    template_with(id, cert_base64, RSA_SHA256, SHA256)
}

pub(crate) const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub(crate) const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// The same template with other algorithms (tests use it to forge what we must refuse).
pub(crate) fn template_with(
    id: &str,
    cert_base64: &str,
    signature_alg: &str,
    digest_alg: &str,
) -> String {
    format!(
        concat!(
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"<ds:SignatureMethod Algorithm="{sig_alg}"/>"#,
            r##"<ds:Reference URI="#{id}"><ds:Transforms>"##,
            r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"</ds:Transforms><ds:DigestMethod Algorithm="{digest_alg}"/>"#,
            r#"<ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>"#,
            r#"<ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data>"#,
            r#"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"#,
            r#"</ds:Signature>"#
        ),
        id = id,
        cert = cert_base64,
        sig_alg = signature_alg,
        digest_alg = digest_alg
    )
}

/// Signs `xml`, which must contain exactly one template made by [`template`] (the first
/// `ds:Signature` is the one signed). Returns the signed document without XML declaration.
pub(crate) fn sign_enveloped(xml: &str, key: &SigningKey) -> Result<String> {
    let der = key.private_key_der()?;
    let signed =
        XmlSec::sign_xml(xml, &der).map_err(|e| AuthError::Key(format!("signing: {e}")))?;
    Ok(strip_declaration(&signed).to_owned())
}

/// Removes a leading `<?xml ...?>` declaration so that the result can be embedded.
pub(crate) fn strip_declaration(xml: &str) -> &str {
    let t = xml.trim_start();
    if t.starts_with("<?xml") {
        if let Some(end) = t.find("?>") {
            return t[end + 2..].trim_start();
        }
    }
    t
}
