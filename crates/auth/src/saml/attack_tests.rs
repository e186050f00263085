//! Attacks that AgID's validator does not try, each refused: SHA-1 signatures, namespaced
//! signature wrapping, an unexpected EncryptedAssertion, an Assertion signed only through the
//! Response. Responses are re-signed with the IdP's own key, so only the attack itself differs
//! from a response that is accepted (checked by the control case).

use base64::Engine;

use super::acs;
use super::sign::{RSA_SHA256, SHA256};
use super::test_fixture::*;
use super::SamlRule;
use crate::AuthError;
use istanze_xmlsig::XmlSigError;

#[test]
fn control_a_resigned_sha256_response_is_accepted() {
    let id = check(&resign(&genuine(), RSA_SHA256, SHA256)).unwrap();
    assert_eq!(id.person.subject.key(), "RSSMRA85T10A562S");
}

#[test]
fn sha1_signatures_are_refused() {
    let err = check(&resign(&genuine(), RSA_SHA1, SHA1)).unwrap_err();
    assert!(
        matches!(err, AuthError::SignatureProfile(XmlSigError::Algorithm(ref a)) if a == SHA1 || a == RSA_SHA1),
        "{err}"
    );
    let err = check(&resign(&genuine(), RSA_SHA256, SHA1)).unwrap_err();
    assert!(
        matches!(err, AuthError::SignatureProfile(XmlSigError::Algorithm(ref a)) if a == SHA1),
        "SHA-1 digest under an RSA-SHA256 signature: {err}"
    );
}

#[test]
fn an_assertion_signed_only_through_the_response_is_refused() {
    let bare = unsigned(&genuine());
    let only_response = sign_after(&bare, "<samlp:Response", "_resp", RSA_SHA256, SHA256);
    let err = check(&only_response).unwrap_err();
    assert!(matches!(err, AuthError::Signature(_)), "{err}");
}

#[test]
fn namespaced_signature_wrapping_is_refused() {
    let x = genuine();
    let a_start = x.find("<saml:Assertion").unwrap();
    let a_end = x.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let signed = &x[a_start..a_end];
    // An evil assertion with another prefix for the same namespace takes the signed one's
    // place; the signed one hides in an Extensions element of the Response.
    let evil = unsigned(signed)
        .replace("RSSMRA85T10A562S", "VRDGPP70A01H501S")
        .replace("saml:", "saml2:")
        .replace("xmlns:saml=", "xmlns:saml2=");
    let hidden = format!("<samlp:Extensions>{signed}</samlp:Extensions>");
    let wrapped = format!("{}{}{}{}", &x[..a_start], hidden, evil, &x[a_end..]);
    let err = check(&wrapped).unwrap_err();
    assert!(
        matches!(err, AuthError::Check(SamlRule::AssertionCount(2))),
        "{err}"
    );
    // An altered copy alone, keeping the signed one's ID and Signature element.
    let swapped = signed.replace("RSSMRA85T10A562S", "VRDGPP70A01H501S");
    let replaced = format!("{}{}{}", &x[..a_start], swapped, &x[a_end..]);
    assert!(matches!(check(&replaced), Err(AuthError::Signature(_))));
}

#[test]
fn an_unexpected_encrypted_assertion_is_refused() {
    let x = genuine();
    let at = x.find("<saml:Assertion").unwrap();
    let with_encrypted = format!(
        "{}<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedAssertion>{}",
        &x[..at],
        &x[at..]
    );
    let err = check(&with_encrypted).unwrap_err();
    assert!(
        matches!(err, AuthError::Check(SamlRule::EncryptedAssertion)),
        "{err}"
    );
}

#[test]
fn entity_expansion_is_refused_before_parsing() {
    let x = genuine();
    let bomb = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>{}",
        x.replacen("RSSMRA85T10A562S", "&b;", 1)
    );
    let err = acs::decode(&base64::engine::general_purpose::STANDARD.encode(bomb)).unwrap_err();
    assert!(matches!(err, AuthError::Dtd));
}

/// The genuine response with its Response signature's Reference URI set to `uri` (the
/// Assertion's own signature stays valid): what an attacker posts with no key at all.
fn with_response_reference(uri: &str) -> String {
    let x = genuine();
    let at = x.find("<ds:Reference URI=\"#").unwrap();
    let end = at + x[at..].find("\">").unwrap();
    let target = &x[at + "<ds:Reference URI=\"".len()..end];
    assert!(target.starts_with('#'), "fixture: {target}");
    format!("{}<ds:Reference URI=\"{uri}{}", &x[..at], &x[end..])
}

#[test]
fn a_reference_outside_the_document_is_refused_before_verification() {
    for uri in [
        "http://10.0.0.1/latest/meta-data/",
        "file:///dev/zero",
        "/etc/passwd",
    ] {
        let err = check(&with_response_reference(uri)).unwrap_err();
        assert!(
            matches!(
                err,
                AuthError::SignatureProfile(XmlSigError::ExternalReference)
            ),
            "{uri}: {err}"
        );
    }
}

#[test]
fn a_reference_to_the_assertion_from_the_response_signature_is_refused() {
    let err = check(&with_response_reference("#_assert")).unwrap_err();
    assert!(
        matches!(
            err,
            AuthError::SignatureProfile(XmlSigError::ReferenceTarget)
        ),
        "{err}"
    );
}
