//! Attacks that AgID's validator does not try, each refused: SHA-1 signatures, namespaced
//! signature wrapping, an unexpected EncryptedAssertion, an Assertion signed only through the
//! Response. Responses are re-signed with the IdP's own key, so only the attack itself differs
//! from a response that is accepted (checked by the control case).

use std::sync::OnceLock;

use base64::Engine;
use chrono::{DateTime, Duration, TimeZone, Utc};

use super::acs::{self, Expected};
use super::authn_request::{self, AuthnRequest};
use super::sign::{sign_enveloped, template_with, RSA_SHA256, SHA256};
use super::{AttributeSet, Organization, ServiceProvider};
use crate::demo_idp::{DemoIdp, ResponseIds};
use crate::keys::{generate, CertificateRequest, SigningKey};
use crate::{AuthError, Level};

const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
const REQ: &str = "_attack_request";

fn keys() -> &'static (SigningKey, SigningKey) {
    static KEYS: OnceLock<(SigningKey, SigningKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let req = |n: &str| CertificateRequest {
            entity_id: format!("https://{n}.example.it"),
            organization: "Prova".into(),
            ipa_code: "p_pr".into(),
            locality: "Roma".into(),
            days: 10,
        };
        (
            generate(&req("sp")).unwrap(),
            generate(&req("idp")).unwrap(),
        )
    })
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

fn sp() -> ServiceProvider {
    ServiceProvider {
        entity_id: "https://istanze.example.it".into(),
        acs_url: "https://istanze.example.it/spid/acs".into(),
        slo_url: "https://istanze.example.it/spid/slo".into(),
        organization: Organization {
            name: "Prova".into(),
            display_name: "Prova".into(),
            url: "https://www.example.it".into(),
            ipa_code: "p_pr".into(),
            municipality: "H501".into(),
            contact_email: "urp@example.it".into(),
        },
        attribute_sets: vec![AttributeSet {
            name: "Istanze".into(),
            attributes: vec!["fiscalNumber".into()],
        }],
        key: keys().0.clone(),
        clock_skew: Duration::seconds(30),
    }
}

fn idp() -> DemoIdp {
    DemoIdp::new(
        "https://idp.example.it".into(),
        "https://idp.example.it/sso".into(),
        keys().1.clone(),
    )
}

/// A genuine response (XML) to `REQ`, both Assertion and Response signed.
fn genuine() -> String {
    let idp = idp();
    let desc = idp.descriptor().unwrap();
    let url = authn_request::redirect_url(
        &sp(),
        &AuthnRequest {
            id: REQ,
            idp: &desc,
            level: Level::SpidL2,
            attribute_set: 0,
            relay_state: "k",
            now: t0(),
        },
    )
    .unwrap();
    let query = url.split_once('?').unwrap().1;
    let request = idp
        .receive_redirect(query, &keys().0.certificate().to_der().unwrap())
        .unwrap();
    let ids = ResponseIds {
        response_id: "_resp".into(),
        assertion_id: "_assert".into(),
        name_id: "_n".into(),
    };
    let b64 = idp
        .respond(&request, "RSSMRA85T10A562S", &sp().acs_url, &ids, t0())
        .unwrap();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

fn check(xml: &str) -> Result<crate::Identity, AuthError> {
    let desc = idp().descriptor().unwrap();
    let env = acs::decode(&base64::engine::general_purpose::STANDARD.encode(xml))?;
    acs::validate(
        &sp(),
        &env,
        &Expected {
            request_id: REQ,
            request_instant: t0(),
            idp: &desc,
            level: Level::SpidL2,
        },
        t0(),
    )
    .map(|login| login.identity)
}

/// Removes every `<ds:Signature>...</ds:Signature>`.
fn unsigned(xml: &str) -> String {
    let mut out = xml.to_owned();
    while let (Some(start), Some(end)) = (out.find("<ds:Signature"), out.find("</ds:Signature>")) {
        out.replace_range(start..end + "</ds:Signature>".len(), "");
    }
    out
}

/// Inserts a signature template after the Issuer that follows `after` and signs it.
fn sign_after(xml: &str, after: &str, id: &str, sig: &str, digest: &str) -> String {
    let issuer_end = xml.find(after).unwrap()
        + xml[xml.find(after).unwrap()..]
            .find("</saml:Issuer>")
            .unwrap()
        + "</saml:Issuer>".len();
    let cert = keys().1.certificate_base64().unwrap();
    let with_template = format!(
        "{}{}{}",
        &xml[..issuer_end],
        template_with(id, &cert, sig, digest),
        &xml[issuer_end..]
    );
    sign_enveloped(&with_template, &keys().1).unwrap()
}

/// Re-signs: the Assertion with `(sig, digest)`, then the Response with SHA-256.
fn resign(xml: &str, sig: &str, digest: &str) -> String {
    let bare = unsigned(xml);
    // Sign the Assertion on its own, then put it back and sign the Response.
    let a_start = bare.find("<saml:Assertion").unwrap();
    let a_end = bare.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let assertion = sign_after(
        &bare[a_start..a_end],
        "<saml:Assertion",
        "_assert",
        sig,
        digest,
    );
    let response = format!("{}{}{}", &bare[..a_start], assertion, &bare[a_end..]);
    sign_after(&response, "<samlp:Response", "_resp", RSA_SHA256, SHA256)
}

#[test]
fn control_a_resigned_sha256_response_is_accepted() {
    let id = check(&resign(&genuine(), RSA_SHA256, SHA256)).unwrap();
    assert_eq!(id.fiscal_number, "RSSMRA85T10A562S");
}

#[test]
fn sha1_signatures_are_refused() {
    let err = check(&resign(&genuine(), RSA_SHA1, SHA1)).unwrap_err();
    assert!(matches!(err, AuthError::Signature(_)), "{err}");
    let err = check(&resign(&genuine(), RSA_SHA256, SHA1)).unwrap_err();
    assert!(
        matches!(err, AuthError::Signature(_)),
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
        matches!(err, AuthError::Check(ref m) if m.contains("exactly one Assertion")),
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
        matches!(err, AuthError::Check(ref m) if m.contains("EncryptedAssertion")),
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
