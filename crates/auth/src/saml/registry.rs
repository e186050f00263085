//! The SPID identity provider registry: AgID's signed list of every accredited IdP.
//!
//! The registry is one `EntitiesDescriptor` signed by AgID. It is trusted only after its
//! signature verifies against AgID's certificate, pinned by the operator (the certificate inside
//! the document is never used to verify the document itself).

use super::idp_metadata::{self, IdpDescriptor};
use super::NS_MD;
use crate::{AuthError, Result};

/// Verifies the registry's signature with `signing_cert_pem` and returns its IdPs.
pub fn verify(xml: &str, signing_cert_pem: &[u8]) -> Result<Vec<IdpDescriptor>> {
    if xml.contains("<!DOCTYPE") {
        return Err(AuthError::Dtd);
    }
    let cert = openssl::x509::X509::from_pem(signing_cert_pem)
        .map_err(|e| AuthError::Key(format!("registry signing certificate: {e}")))?;
    let doc = roxmltree::Document::parse(xml).map_err(|e| AuthError::Metadata(e.to_string()))?;
    if !doc
        .root_element()
        .has_tag_name((NS_MD, "EntitiesDescriptor"))
    {
        return Err(AuthError::Metadata(
            "the registry is not an EntitiesDescriptor".into(),
        ));
    }
    // The registry carries the IdPs' own signatures too, which AgID's key does not verify:
    // only the first signature is verified, and the profile requires it to be the root's,
    // covering the whole list ("" or the root's #ID). The certificate inside is never used.
    istanze_xmlsig::verify_first(
        xml,
        &cert.to_der()?,
        &istanze_xmlsig::Profile::SAML_METADATA,
    )?;
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
