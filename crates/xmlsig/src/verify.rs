//! Verifying with xmlsec, only after the first line accepted the document's structure and the
//! second line is in place.

use samael::crypto::{CertificateDer, CryptoProvider, ReduceMode, XmlSec};

use crate::{check, lockdown, Profile, Result, XmlSigError};

/// Verifies every signature of `xml` with one of `certs_der` (DER X.509) and returns the
/// document reduced to what the signatures cover (samael's
/// `ValidateAndMarkNoAncestors`): the content to read identity data from.
pub fn reduce_to_signed(xml: &str, certs_der: &[Vec<u8>], profile: &Profile) -> Result<String> {
    check(xml, profile)?;
    lockdown()?;
    let certs: Vec<CertificateDer> = certs_der
        .iter()
        .cloned()
        .map(CertificateDer::from)
        .collect();
    XmlSec::reduce_xml_to_signed_with_allowed_algorithms(
        xml,
        &certs,
        ReduceMode::ValidateAndMarkNoAncestors,
        Some(profile.verifier_algorithms),
    )
    .map_err(|e| XmlSigError::Invalid(e.to_string()))
}

/// Verifies the first signature of `xml` (a child of the document element) with `cert_der`.
pub fn verify_first(xml: &str, cert_der: &[u8], profile: &Profile) -> Result<()> {
    check(xml, profile)?;
    lockdown()?;
    XmlSec::verify_signed_xml(
        xml,
        &CertificateDer::from(cert_der.to_vec()),
        Some(profile.id_attribute),
    )
    .map_err(|e| XmlSigError::Invalid(e.to_string()))
}
