//! Shared fixture for the ACS tests: an SP, a demo IdP, a genuine signed response, and
//! helpers that strip and redo signatures so that a test changes only what it means to test.

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

pub(super) const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
pub(super) const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
pub(super) const REQ: &str = "_attack_request";

pub(super) fn keys() -> &'static (SigningKey, SigningKey) {
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

pub(super) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

pub(super) fn sp() -> ServiceProvider {
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
        aggregator: None,
    }
}

pub(super) fn idp() -> DemoIdp {
    DemoIdp::new(
        "https://idp.example.it".into(),
        "https://idp.example.it/sso".into(),
        keys().1.clone(),
    )
}

/// A genuine response (XML) to `REQ`, both Assertion and Response signed.
pub(super) fn genuine() -> String {
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

pub(super) fn check(xml: &str) -> Result<crate::Identity, AuthError> {
    check_from(xml, false)
}

/// [`check`] of a response from the eIDAS node when `eidas_node`.
pub(super) fn check_from(xml: &str, eidas_node: bool) -> Result<crate::Identity, AuthError> {
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
            eidas_node,
        },
        t0(),
    )
    .map(|login| login.identity)
}

/// Removes every `<ds:Signature>...</ds:Signature>`.
pub(super) fn unsigned(xml: &str) -> String {
    let mut out = xml.to_owned();
    while let (Some(start), Some(end)) = (out.find("<ds:Signature"), out.find("</ds:Signature>")) {
        out.replace_range(start..end + "</ds:Signature>".len(), "");
    }
    out
}

/// Inserts a signature template after the Issuer that follows `after` (or, without an Issuer,
/// after the start tag of `after`) and signs it.
pub(super) fn sign_after(xml: &str, after: &str, id: &str, sig: &str, digest: &str) -> String {
    let start = xml.find(after).unwrap();
    let issuer_end = match xml[start..].find("</saml:Issuer>") {
        // Only an Issuer that is the element's first child (not a nested one further on).
        Some(i) if !xml[start..start + i].contains("<saml:Subject") => {
            start + i + "</saml:Issuer>".len()
        }
        _ => start + xml[start..].find('>').unwrap() + 1,
    };
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
pub(super) fn resign(xml: &str, sig: &str, digest: &str) -> String {
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

/// Re-signs only the Assertion, leaving the Response unsigned (allowed by SPID).
pub(super) fn resign_assertion_only(xml: &str) -> String {
    let bare = unsigned(xml);
    let a_start = bare.find("<saml:Assertion").unwrap();
    let a_end = bare.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let assertion = sign_after(
        &bare[a_start..a_end],
        "<saml:Assertion",
        "_assert",
        RSA_SHA256,
        SHA256,
    );
    format!("{}{}{}", &bare[..a_start], assertion, &bare[a_end..])
}

/// Re-signs both with RSA-SHA256.
pub(super) fn resign_both(xml: &str) -> String {
    resign(xml, RSA_SHA256, SHA256)
}
