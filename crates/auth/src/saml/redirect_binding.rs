//! Verifying a message received over the HTTP-Redirect binding (SAML Bindings 3.4.4.1): the
//! signature covers the query parameters exactly as they were sent, so it is checked on the raw
//! query text, and a query that repeats a parameter is refused (otherwise one copy could be
//! verified and another one used).

use openssl::hash::MessageDigest;
use openssl::sign::Verifier;
use openssl::x509::X509;

use crate::{AuthError, Result};

/// Signature algorithms accepted on the query string.
fn digest_of(sig_alg: &str) -> Option<MessageDigest> {
    match sig_alg {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
        | "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => Some(MessageDigest::sha256()),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Some(MessageDigest::sha384()),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Some(MessageDigest::sha512()),
        _ => None,
    }
}

fn decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("x={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A verified redirect message: which parameter carried it and its (decoded) value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// `SAMLRequest` or `SAMLResponse`.
    pub param: &'static str,
    /// The deflated, base64 message, URL-decoded.
    pub message: String,
    pub relay_state: Option<String>,
}

/// Splits the raw query, refusing repeated SAML parameters.
fn raw_params(raw_query: &str) -> Result<Vec<(&str, &str)>> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for pair in raw_query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if [
            "SAMLRequest",
            "SAMLResponse",
            "RelayState",
            "SigAlg",
            "Signature",
        ]
        .contains(&k)
            && out.iter().any(|(n, _)| *n == k)
        {
            return Err(AuthError::Malformed(format!("{k} repeated")));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// The SAML message of `raw_query`, once its signature verifies with one of `certs` (DER).
pub fn verify(raw_query: &str, certs: &[Vec<u8>]) -> Result<Verified> {
    let params = raw_params(raw_query)?;
    let get = |k: &str| params.iter().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let (param, raw_message) = match (get("SAMLRequest"), get("SAMLResponse")) {
        (Some(m), None) => ("SAMLRequest", m),
        (None, Some(m)) => ("SAMLResponse", m),
        _ => {
            return Err(AuthError::Malformed(
                "one of SAMLRequest or SAMLResponse expected".into(),
            ))
        }
    };
    let raw_sig_alg = get("SigAlg").ok_or_else(|| AuthError::Signature("SigAlg missing".into()))?;
    let raw_signature =
        get("Signature").ok_or_else(|| AuthError::Signature("Signature missing".into()))?;
    let sig_alg = decode(raw_sig_alg);
    let digest = digest_of(&sig_alg)
        .ok_or_else(|| AuthError::Signature(format!("SigAlg {sig_alg} not accepted")))?;
    let mut signed = format!("{param}={raw_message}");
    if let Some(relay) = get("RelayState") {
        signed.push_str(&format!("&RelayState={relay}"));
    }
    signed.push_str(&format!("&SigAlg={raw_sig_alg}"));
    let compact: String = decode(raw_signature).split_whitespace().collect();
    let signature = openssl::base64::decode_block(&compact)
        .map_err(|_| AuthError::Signature("Signature is not base64".into()))?;
    let ok = certs.iter().any(|der| {
        X509::from_der(der)
            .and_then(|c| c.public_key())
            .and_then(|key| {
                let mut v = Verifier::new(digest, &key)?;
                v.update(signed.as_bytes())?;
                v.verify(&signature)
            })
            .unwrap_or(false)
    });
    if !ok {
        return Err(AuthError::Signature("query signature".into()));
    }
    Ok(Verified {
        param,
        message: decode(raw_message),
        relay_state: get("RelayState").map(decode),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> (openssl::pkey::PKey<openssl::pkey::Private>, Vec<u8>) {
        let k = crate::keys::generate(&crate::keys::CertificateRequest {
            entity_id: "https://x".into(),
            organization: "X".into(),
            ipa_code: "x".into(),
            locality: "Roma".into(),
            days: 1,
        })
        .unwrap();
        (k.private_key().clone(), k.certificate().to_der().unwrap())
    }

    fn signed_query(key: &openssl::pkey::PKey<openssl::pkey::Private>) -> String {
        let url =
            url::Url::parse("https://sp.example/slo?SAMLRequest=abc%2B%2F%3D&RelayState=r%20s")
                .unwrap();
        let signed = samael::crypto::sign_url(url, key).unwrap();
        signed.query().unwrap().to_owned()
    }

    #[test]
    fn accepts_a_signed_query_and_refuses_tricks() {
        let (k, cert) = key();
        let q = signed_query(&k);
        let v = verify(&q, std::slice::from_ref(&cert)).unwrap();
        assert_eq!(
            (v.param, v.message.as_str(), v.relay_state.as_deref()),
            ("SAMLRequest", "abc+/=", Some("r s"))
        );
        // A second message in front of the signed one.
        assert!(matches!(
            verify(
                &format!("SAMLRequest=evil&{q}"),
                std::slice::from_ref(&cert)
            ),
            Err(AuthError::Malformed(_))
        ));
        // Missing or unsupported algorithm, missing signature: refused, no panic.
        let without = |name: &str| {
            q.split('&')
                .filter(|p| !p.starts_with(name))
                .collect::<Vec<_>>()
                .join("&")
        };
        let refused = |query: &str, certs: &[Vec<u8>]| match verify(query, certs) {
            Err(AuthError::Signature(why)) => why,
            other => panic!("expected a signature refusal, got {other:?}"),
        };
        let own = std::slice::from_ref(&cert);
        assert_eq!(refused(&without("SigAlg="), own), "SigAlg missing");
        assert_eq!(refused(&without("Signature="), own), "Signature missing");
        let sha1 = q.replace("rsa-sha256", "rsa-sha1");
        assert_eq!(
            refused(&sha1, own),
            "SigAlg http://www.w3.org/2001/04/xmldsig-more#rsa-sha1 not accepted"
        );
        let mgf = q.replace("rsa-sha256", "sha256-rsa-MGF1");
        assert!(refused(&mgf, own).ends_with("sha256-rsa-MGF1 not accepted"));
        assert_eq!(
            refused(&q.replace("RelayState=r", "RelayState=x"), own),
            "query signature"
        );
        let (_, other) = key();
        assert_eq!(refused(&q, &[other]), "query signature");
    }
}
