//! The second line alone: with the structural checks bypassed (samael called directly), the
//! process lockdown stops every way out of the document: a Reference to an http server, to
//! `/dev/zero`, to a local file, and an XSLT `document()` call.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use samael::crypto::{CertificateDer, CryptoProvider, XmlSec};

fn verify(doc: String, cert: Vec<u8>) -> Result<(), String> {
    istanze_xmlsig::lockdown().unwrap();
    bounded(Duration::from_secs(30), move || {
        XmlSec::verify_signed_xml(doc, &CertificateDer::from(cert), Some("ID"))
            .map_err(|e| e.to_string())
    })
}

#[test]
fn a_reference_to_an_http_server_makes_no_request() {
    let (key, cert) = key();
    let listener = Listener::start();
    let err = verify(signed(&listener.url, "", b"x", &key), cert);
    assert!(err.is_err());
    assert_eq!(listener.connections(Duration::from_millis(500)), 0);
}

#[test]
fn a_reference_to_dev_zero_returns_at_once() {
    let (key, cert) = key();
    assert!(verify(signed("file:///dev/zero", "", b"x", &key), cert).is_err());
}

#[test]
fn a_reference_to_a_local_file_is_not_read() {
    let (key, cert) = key();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("segreto.txt");
    std::fs::write(&path, b"password=hunter2\n").unwrap();
    let digest = openssl::sha::sha256(b"password=hunter2\n");
    // The same document verifies in a process without the lockdown (without_lockdown.rs).
    let doc = signed(&format!("file://{}", path.display()), "", &digest, &key);
    assert!(verify(doc.clone(), cert.clone()).is_err());
    let plain_path = signed(&path.display().to_string(), "", &digest, &key);
    assert!(verify(plain_path, cert).is_err());
}

#[test]
// On Debian 12's xmlsec this holds without the lockdown too (see without_lockdown.rs):
// kept for builds whose libxslt does fetch.
fn an_xslt_document_call_makes_no_request() {
    let (key, cert) = key();
    let listener = Listener::start();
    let doc = signed("", &xslt_transform(&listener.url), b"x", &key);
    assert!(verify(doc, cert).is_err());
    assert_eq!(listener.connections(Duration::from_millis(500)), 0);
}

#[test]
fn same_document_references_still_verify() {
    // The lockdown must not break what it protects: a genuine enveloped signature made by
    // xmlsec verifies after it.
    istanze_xmlsig::lockdown().unwrap();
    let (key, cert) = key();
    let template = format!(
        concat!(
            r#"<r ID="r1"><v>ok</v><ds:Signature xmlns:ds="{ds}"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="{exc}"/><ds:SignatureMethod Algorithm="{alg}"/>"#,
            r##"<ds:Reference URI="#r1"><ds:Transforms><ds:Transform Algorithm="{env}"/>"##,
            r#"<ds:Transform Algorithm="{exc}"/></ds:Transforms><ds:DigestMethod Algorithm="{sha}"/>"#,
            r#"<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/></ds:Signature></r>"#
        ),
        ds = DS,
        exc = EXC,
        alg = RSA_SHA256,
        env = ENV,
        sha = SHA256
    );
    let signed = XmlSec::sign_xml(template, &key.private_key_to_der().unwrap()).unwrap();
    istanze_xmlsig::verify_first(&signed, &cert, &istanze_xmlsig::Profile::SAML).unwrap();
    let tampered = signed.replace("<v>ok</v>", "<v>ko</v>");
    assert!(matches!(
        istanze_xmlsig::verify_first(&tampered, &cert, &istanze_xmlsig::Profile::SAML),
        Err(istanze_xmlsig::XmlSigError::Invalid(_))
    ));
}
