//! The SPID identity provider registry: AgID's signed list of every accredited IdP.
//!
//! The registry is one `EntitiesDescriptor` signed by AgID. It is trusted only after its
//! signature verifies against AgID's certificate, pinned by the operator (the certificate inside
//! the document is never used to verify the document itself).

use samael::crypto::{CertificateDer, CryptoProvider, XmlSec};

use super::idp_metadata::{self, IdpDescriptor};
use super::{NS_DS, NS_MD};
use crate::{AuthError, Result};

/// Verifies the registry's signature with `signing_cert_pem` and returns its IdPs.
pub fn verify(xml: &str, signing_cert_pem: &[u8]) -> Result<Vec<IdpDescriptor>> {
    if xml.contains("<!DOCTYPE") {
        return Err(AuthError::Dtd);
    }
    let cert = openssl::x509::X509::from_pem(signing_cert_pem)
        .map_err(|e| AuthError::Key(format!("registry signing certificate: {e}")))?;
    // The registry carries the IdPs' own signatures too, which AgID's key does not verify:
    // only the root's signature is checked, and it must cover the whole document.
    let doc = roxmltree::Document::parse(xml).map_err(|e| AuthError::Metadata(e.to_string()))?;
    let root = doc.root_element();
    if !root.has_tag_name((NS_MD, "EntitiesDescriptor")) {
        return Err(AuthError::Metadata(
            "the registry is not an EntitiesDescriptor".into(),
        ));
    }
    let signature = root
        .children()
        .find(|n| n.has_tag_name((NS_DS, "Signature")))
        .ok_or_else(|| AuthError::Signature("the registry is not signed".into()))?;
    if root
        .descendants()
        .find(|n| n.has_tag_name((NS_DS, "Signature")))
        != Some(signature)
    {
        return Err(AuthError::Signature(
            "the registry's signature must come first".into(),
        ));
    }
    let root_ref = format!("#{}", root.attribute("ID").unwrap_or_default());
    let references: Vec<&str> = signature
        .descendants()
        .filter(|n| n.has_tag_name((NS_DS, "Reference")))
        .filter_map(|n| n.attribute("URI"))
        .collect();
    if references.len() != 1 || !(references[0].is_empty() || references[0] == root_ref) {
        return Err(AuthError::Signature(
            "the registry's signature does not cover the whole list".into(),
        ));
    }
    let algorithm = signature
        .descendants()
        .find(|n| n.has_tag_name((NS_DS, "SignatureMethod")))
        .and_then(|n| n.attribute("Algorithm"))
        .unwrap_or_default();
    if !algorithm.contains("rsa-sha256")
        && !algorithm.contains("rsa-sha384")
        && !algorithm.contains("rsa-sha512")
    {
        return Err(AuthError::Signature(format!(
            "registry signature algorithm {algorithm}"
        )));
    }
    // xmlsec verifies the first ds:Signature of the document (the root's, checked above) with
    // the pinned certificate only.
    XmlSec::verify_signed_xml(xml, &CertificateDer::from(cert.to_der()?), Some("ID"))
        .map_err(|e| AuthError::Signature(format!("registry: {e}")))?;
    idp_metadata::parse(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = include_str!("../../../../config/idp/spid-registry.xml");
    const AGID: &[u8] = include_bytes!("../../../../config/idp/agid-registry-signing.pem");

    #[test]
    fn the_shipped_snapshot_verifies_and_lists_the_idps() {
        let idps = verify(REGISTRY, AGID).unwrap();
        assert_eq!(idps.len(), 10);
        let poste = idps
            .iter()
            .find(|i| i.entity_id == "https://posteid.poste.it")
            .unwrap();
        assert!(poste.display_name.as_deref().unwrap().contains("Poste"));
        assert!(idps
            .iter()
            .all(|i| !i.signing_certs.is_empty() && i.sso_redirect.starts_with("https://")));
    }

    #[test]
    fn another_certificate_or_an_altered_list_is_refused() {
        let other = crate::keys::generate(&crate::keys::CertificateRequest {
            entity_id: "https://x".into(),
            organization: "X".into(),
            ipa_code: "x".into(),
            locality: "Roma".into(),
            days: 1,
        })
        .unwrap();
        let err = verify(REGISTRY, &other.cert_pem().unwrap()).unwrap_err();
        assert!(matches!(err, AuthError::Signature(_)), "{err}");
        let altered = REGISTRY.replacen(
            "https://posteid.poste.it/jod-fs/ssoservicepost",
            "https://evil.example/sso",
            1,
        );
        assert_ne!(altered, REGISTRY, "the fixture must change something");
        assert!(matches!(
            verify(&altered, AGID),
            Err(AuthError::Signature(_))
        ));
    }
}
