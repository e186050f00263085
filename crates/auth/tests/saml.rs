//! The SAML path end to end inside the crate: SP metadata, a signed AuthnRequest received by the
//! demo IdP, its signed Response checked by the ACS; then forged and altered responses refused.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use base64::Engine;
use chrono::{DateTime, Duration, TimeZone, Utc};
use istanze_auth::demo_idp::{DemoIdp, ResponseIds};
use istanze_auth::keys::{generate, CertificateRequest, SigningKey};
use istanze_auth::saml::acs::{self, Expected};
use istanze_auth::saml::authn_request::{self, AuthnRequest};
use istanze_auth::saml::SamlRule;
use istanze_auth::saml::{idp_metadata, metadata, AttributeSet, Organization, ServiceProvider};
use istanze_auth::{AuthError, Level};

fn key(n: usize) -> SigningKey {
    static KEYS: OnceLock<Vec<SigningKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..3)
            .map(|i| {
                generate(&CertificateRequest {
                    entity_id: format!("https://test{i}.example.it"),
                    organization: "Provincia di Prova".into(),
                    ipa_code: "p_pr".into(),
                    locality: "Roma".into(),
                    days: 10,
                })
                .unwrap()
            })
            .collect()
    })[n]
        .clone()
}

fn sp() -> ServiceProvider {
    ServiceProvider {
        entity_id: "https://istanze.example.it".into(),
        acs_url: "https://istanze.example.it/spid/acs".into(),
        slo_url: "https://istanze.example.it/spid/slo".into(),
        organization: Organization {
            name: "Provincia di Prova".into(),
            display_name: "Provincia di Prova".into(),
            url: "https://www.provincia.example.it".into(),
            ipa_code: "p_pr".into(),
            municipality: "H501".into(),
            contact_email: "urp@provincia.example.it".into(),
        },
        attribute_sets: vec![AttributeSet {
            name: "Istanze".into(),
            attributes: vec!["name".into(), "familyName".into(), "fiscalNumber".into()],
        }],
        key: key(0),
        clock_skew: Duration::seconds(30),
        aggregator: None,
    }
}

fn idp() -> DemoIdp {
    DemoIdp::new(
        "https://idp.example.it".into(),
        "https://idp.example.it/sso".into(),
        key(1),
    )
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

const REQ: &str = "_req0123456789abcdef";

/// A response of the demo IdP to a request of `level`, made at `t0`, as base64.
fn response(level: Level) -> String {
    let idp = idp();
    let desc = idp.descriptor().unwrap();
    let sp = sp();
    let url = authn_request::redirect_url(
        &sp,
        &AuthnRequest {
            id: REQ,
            idp: &desc,
            level,
            attribute_set: 0,
            relay_state: "abc",
            now: t0(),
        },
    )
    .unwrap();
    let query = url.split_once('?').unwrap().1;
    let received = idp
        .receive_redirect(query, &sp.key.certificate().to_der().unwrap())
        .unwrap();
    assert_eq!(received.id, REQ);
    assert_eq!(received.level, level);
    let ids = ResponseIds {
        response_id: "_resp1".into(),
        assertion_id: "_assert1".into(),
        name_id: "_nameid1".into(),
    };
    idp.respond(&received, "RSSMRA85T10A562S", &sp.acs_url, &ids, t0())
        .unwrap()
}

fn check(b64: &str, level: Level, now: DateTime<Utc>) -> Result<istanze_auth::Identity, AuthError> {
    let idp = idp().descriptor().unwrap();
    let env = acs::decode(b64)?;
    let expected = Expected {
        request_id: REQ,
        request_instant: t0(),
        idp: &idp,
        level,
        eidas_node: false,
    };
    acs::validate(&sp(), &env, &expected, now).map(|login| login.identity)
}

fn xml(b64: &str) -> String {
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
    .unwrap()
}

fn b64(xml: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(xml)
}

#[test]
fn a_genuine_response_logs_the_citizen_in() {
    let id = check(
        &response(Level::SpidL2),
        Level::SpidL2,
        t0() + Duration::seconds(5),
    )
    .unwrap();
    assert_eq!(id.person.subject.key(), "RSSMRA85T10A562S");
    assert_eq!(id.person.name.as_deref(), Some("Mario"));
    assert_eq!(id.person.family_name.as_deref(), Some("Rossi"));
    assert_eq!(id.level, Level::SpidL2);
    assert_eq!(id.provider, "https://idp.example.it");
    assert_eq!(id.person.date_of_birth.unwrap().to_string(), "1985-12-10");
}

#[test]
fn the_authn_request_follows_the_spid_rules() {
    let idp = idp().descriptor().unwrap();
    let x = authn_request::xml(
        &sp(),
        &AuthnRequest {
            id: REQ,
            idp: &idp,
            level: Level::SpidL2,
            attribute_set: 0,
            relay_state: "k",
            now: t0(),
        },
    );
    for part in [
        r#"ForceAuthn="true""#,
        r#"AssertionConsumerServiceIndex="0""#,
        r#"AttributeConsumingServiceIndex="0""#,
        r#"IssueInstant="2026-11-23T10:00:00Z""#,
        r#"NameQualifier="https://istanze.example.it""#,
        r#"<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"/>"#,
        r#"Comparison="minimum""#,
        "https://www.spid.gov.it/SpidL2",
    ] {
        assert!(x.contains(part), "{part} missing in {x}");
    }
    assert!(!x.contains("AllowCreate") && !x.contains("IsPassive"));
    let url = authn_request::redirect_url(
        &sp(),
        &AuthnRequest {
            id: REQ,
            idp: &idp,
            level: Level::SpidL1,
            attribute_set: 0,
            relay_state: "https://evil",
            now: t0(),
        },
    );
    match url {
        Err(AuthError::Check(rule)) => assert_eq!(rule, SamlRule::RelayStateUrl),
        other => panic!("a URL in RelayState is refused: {other:?}"),
    }
}

#[test]
fn the_demo_idp_refuses_a_request_signed_by_another_key() {
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
    let other = key(2).certificate().to_der().unwrap();
    assert!(matches!(
        idp.receive_redirect(query, &other),
        Err(AuthError::Signature(_))
    ));
    let tampered = query.replacen("RelayState=k", "RelayState=x", 1);
    let own = key(0).certificate().to_der().unwrap();
    assert!(matches!(
        idp.receive_redirect(&tampered, &own),
        Err(AuthError::Signature(why)) if why == "query signature"
    ));
}

#[test]
fn metadata_is_signed_and_readable() {
    let m = metadata::sp_metadata(&sp()).unwrap();
    for part in [
        r#"AuthnRequestsSigned="true""#,
        r#"WantAssertionsSigned="true""#,
        "<spid:IPACode>p_pr</spid:IPACode>",
        "<spid:Public/>",
        r#"index="0" isDefault="true""#,
        "<ds:SignatureValue>",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    ] {
        assert!(m.contains(part), "{part} missing");
    }
    assert!(
        !m.contains("<ds:SignatureValue></ds:SignatureValue>"),
        "template filled in"
    );
    let idps = idp_metadata::parse(&idp().metadata().unwrap()).unwrap();
    assert_eq!(idps, vec![idp().descriptor().unwrap()]);
}

#[test]
fn idp_metadata_without_signing_certificate_is_refused() {
    let m = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://x">
      <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://x/sso"/>
      </md:IDPSSODescriptor></md:EntityDescriptor>"#;
    assert!(matches!(
        idp_metadata::parse(m),
        Err(AuthError::Metadata(_))
    ));
}

#[test]
fn an_altered_attribute_breaks_the_signature() {
    let forged =
        xml(&response(Level::SpidL2)).replace("TINIT-RSSMRA85T10A562S", "TINIT-VRDGPP70A01H501S");
    let err = check(&b64(&forged), Level::SpidL2, t0()).unwrap_err();
    assert!(matches!(err, AuthError::Signature(_)), "{err}");
}

#[test]
fn a_response_signed_by_another_key_is_refused() {
    let other = DemoIdp::new(
        "https://idp.example.it".into(),
        "https://idp.example.it/sso".into(),
        key(2),
    );
    let sp = sp();
    let received = other
        .read_request(&{
            let u = authn_request::redirect_url(
                &sp,
                &AuthnRequest {
                    id: REQ,
                    idp: &other.descriptor().unwrap(),
                    level: Level::SpidL2,
                    attribute_set: 0,
                    relay_state: "k",
                    now: t0(),
                },
            )
            .unwrap();
            url::Url::parse(&u)
                .unwrap()
                .query_pairs()
                .find(|(k, _)| k == "SAMLRequest")
                .unwrap()
                .1
                .into_owned()
        })
        .unwrap();
    let ids = ResponseIds {
        response_id: "_r".into(),
        assertion_id: "_a".into(),
        name_id: "_n".into(),
    };
    let forged = other
        .respond(&received, "RSSMRA85T10A562S", &sp.acs_url, &ids, t0())
        .unwrap();
    assert!(matches!(
        check(&forged, Level::SpidL2, t0()),
        Err(AuthError::Signature(_))
    ));
}

#[test]
fn an_injected_second_assertion_is_refused() {
    let x = xml(&response(Level::SpidL2));
    let start = x.find("<saml:Assertion").unwrap();
    let end = x.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let evil = x[start..end]
        .replace("RSSMRA85T10A562S", "VRDGPP70A01H501S")
        .replace("_assert1", "_evil");
    let wrapped = format!("{}{}{}", &x[..start], evil, &x[start..]);
    assert!(matches!(
        check(&b64(&wrapped), Level::SpidL2, t0()),
        Err(AuthError::Check(SamlRule::AssertionCount(2)))
    ));
}

#[test]
fn a_dtd_is_refused() {
    let x = xml(&response(Level::SpidL2));
    let evil = format!("<!DOCTYPE r [<!ENTITY e \"x\">]>{x}");
    assert!(matches!(acs::decode(&b64(&evil)), Err(AuthError::Dtd)));
}

#[test]
fn timing_level_and_request_are_enforced() {
    let r = response(Level::SpidL2);
    // Five minutes of validity, thirty seconds of skew.
    assert!(check(&r, Level::SpidL2, t0() + Duration::seconds(320)).is_ok());
    assert!(matches!(
        check(&r, Level::SpidL2, t0() + Duration::seconds(331)),
        Err(AuthError::Check(SamlRule::Expired))
    ));
    assert!(matches!(
        check(&r, Level::SpidL2, t0() - Duration::seconds(60)),
        Err(AuthError::Check(SamlRule::IssuedInTheFuture("Response")))
    ));
    assert!(matches!(
        check(&r, Level::SpidL3, t0()),
        Err(AuthError::LevelTooLow)
    ));

    let idp = idp().descriptor().unwrap();
    let env = acs::decode(&r).unwrap();
    assert_eq!(env.in_response_to.as_deref(), Some(REQ));
    let other = Expected {
        request_id: "_another",
        request_instant: t0(),
        idp: &idp,
        level: Level::SpidL2,
        eidas_node: false,
    };
    assert!(matches!(
        acs::validate(&sp(), &env, &other, t0()),
        Err(AuthError::UnknownRequest)
    ));

    let mut elsewhere = sp();
    elsewhere.acs_url = "https://other.example.it/acs".into();
    let expected = Expected {
        request_id: REQ,
        request_instant: t0(),
        idp: &idp,
        level: Level::SpidL2,
        eidas_node: false,
    };
    assert!(matches!(
        acs::validate(&elsewhere, &env, &expected, t0()),
        Err(AuthError::Check(SamlRule::Destination))
    ));
    let mut audience = sp();
    audience.entity_id = "https://other.example.it".into();
    assert!(matches!(
        acs::validate(&audience, &env, &expected, t0()),
        Err(AuthError::Check(SamlRule::Audience))
    ));
}

#[test]
fn an_idp_error_status_is_reported_with_its_code() {
    let x = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_e" Version="2.0" IssueInstant="2026-11-23T10:00:00Z" Destination="https://istanze.example.it/spid/acs" InResponseTo="{REQ}"><saml:Issuer>https://idp.example.it</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode><samlp:StatusMessage>ErrorCode nr25</samlp:StatusMessage></samlp:Status></samlp:Response>"#
    );
    match check(&b64(&x), Level::SpidL2, t0()) {
        Err(AuthError::IdpStatus { code, .. }) => assert_eq!(code, Some(25)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_comment_inside_a_value_is_refused() {
    // Exclusive canonicalization drops comments, so a comment added inside a signed value keeps
    // the digest valid: this is the comment-injection attack. The reduction of the signed
    // content refuses it, and the value reader would refuse it too (unit test in acs.rs).
    let x = xml(&response(Level::SpidL2))
        .replace("TINIT-RSSMRA85T10A562S", "TINIT-RSSMRA85<!---->T10A562S");
    let err = check(&b64(&x), Level::SpidL2, t0()).unwrap_err();
    assert!(matches!(err, AuthError::Signature(_)), "{err}");
}

mod single_logout {
    use super::*;
    use istanze_auth::saml::logout::{self, LogoutMessage, SamlSession};

    fn idp_with_slo() -> DemoIdp {
        idp().with_slo("https://idp.example.it/slo".into())
    }

    fn session() -> SamlSession {
        SamlSession {
            idp: "https://idp.example.it".into(),
            name_id: "_nameid1".into(),
            name_qualifier: "https://idp.example.it".into(),
            session_index: Some("_assert1".into()),
        }
    }

    fn query(url: &str) -> &str {
        url.split_once('?').unwrap().1
    }

    #[test]
    fn sp_initiated_logout_round_trip() {
        let sp = sp();
        let idp = idp_with_slo();
        let desc = idp.descriptor().unwrap();
        let url = logout::request_url(&sp, &desc, &session(), "_logout1", "rs", t0()).unwrap();
        assert!(url.starts_with("https://idp.example.it/slo?SAMLRequest="));
        let sp_cert = sp.key.certificate().to_der().unwrap();
        let back = idp
            .answer_logout(query(&url), &sp_cert, &sp.slo_url, "_lr1", t0())
            .unwrap();
        assert!(back.starts_with(&format!("{}?SAMLResponse=", sp.slo_url)));
        let (msg, from) =
            logout::receive_redirect(query(&back), std::slice::from_ref(&desc), &sp.slo_url, t0())
                .unwrap();
        assert_eq!(from.entity_id, desc.entity_id);
        assert_eq!(
            msg,
            LogoutMessage::Response {
                in_response_to: "_logout1".into(),
                success: true
            }
        );
        // A LogoutRequest signed by another key is not answered.
        let other = DemoIdp::new("x".into(), "https://x/sso".into(), key(2));
        assert!(matches!(
            other.answer_logout(
                query(&url),
                &key(2).certificate().to_der().unwrap(),
                &sp.slo_url,
                "_x",
                t0()
            ),
            Err(AuthError::Signature(why)) if why == "query signature"
        ));
        assert!(matches!(
            idp.answer_logout(
                &query(&url).replace("RelayState=rs", "RelayState=xx"),
                &sp_cert,
                &sp.slo_url,
                "_x",
                t0()
            ),
            Err(AuthError::Signature(why)) if why == "query signature"
        ));
    }

    #[test]
    fn idp_initiated_logout_is_verified_before_use() {
        let sp = sp();
        let idp = idp_with_slo();
        let desc = idp.descriptor().unwrap();
        let url = idp
            .logout_request_url(&sp.slo_url, &session(), "_idplogout", t0())
            .unwrap();
        let idps = std::slice::from_ref(&desc);
        let (msg, _) = logout::receive_redirect(query(&url), idps, &sp.slo_url, t0()).unwrap();
        assert_eq!(
            msg,
            LogoutMessage::Request {
                id: "_idplogout".into(),
                name_id: "_nameid1".into(),
                session_index: Some("_assert1".into())
            }
        );
        // Signed by a key the IdP's metadata does not list: refused.
        let impostor = DemoIdp::new(
            "https://idp.example.it".into(),
            "https://idp.example.it/sso".into(),
            key(2),
        );
        let forged = impostor
            .logout_request_url(&sp.slo_url, &session(), "_f", t0())
            .unwrap();
        assert!(matches!(
            logout::receive_redirect(query(&forged), idps, &sp.slo_url, t0()),
            Err(AuthError::Signature(_))
        ));
        // Too old, or for another SP's endpoint: refused.
        assert!(matches!(
            logout::receive_redirect(query(&url), idps, &sp.slo_url, t0() + Duration::minutes(10)),
            Err(AuthError::Check(SamlRule::LogoutInstant))
        ));
        assert!(matches!(
            logout::receive_redirect(query(&url), idps, "https://other.example.it/slo", t0()),
            Err(AuthError::Check(SamlRule::LogoutDestination))
        ));
        let answer = logout::response_url(&sp, &desc, "_idplogout", "_resp", t0()).unwrap();
        assert!(answer.starts_with("https://idp.example.it/slo?SAMLResponse="));
        assert!(answer.contains("&Signature="));
    }
}
