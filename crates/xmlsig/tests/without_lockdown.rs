//! Controls for the lockdown tests: in a process without the lockdown, the same documents do
//! make xmlsec fetch a URL and read a local file. This is what the lockdown tests would see if
//! the second line were missing, so they can fail. (Its own test binary: the lockdown is
//! process-wide and these tests must run where it was never installed.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use samael::crypto::{CertificateDer, CryptoProvider, XmlSec};

#[test]
fn without_the_lockdown_xmlsec_fetches_a_reference_over_http() {
    let (key, cert) = key();
    let listener = Listener::start();
    let doc = signed(&listener.url, "", b"whatever", &key);
    let verified = bounded(Duration::from_secs(30), move || {
        XmlSec::verify_signed_xml(doc, &CertificateDer::from(cert), Some("ID")).is_ok()
    });
    assert!(!verified);
    assert!(
        listener.connections(Duration::from_millis(500)) >= 1,
        "xmlsec did not fetch: the lockdown tests would prove nothing"
    );
}

#[test]
fn without_the_lockdown_xmlsec_reads_a_local_file_and_the_signature_verifies() {
    let (key, cert) = key();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("segreto.txt");
    std::fs::write(&path, b"password=hunter2\n").unwrap();
    let digest = openssl::sha::sha256(b"password=hunter2\n");
    let doc = signed(&format!("file://{}", path.display()), "", &digest, &key);
    XmlSec::verify_signed_xml(doc, &CertificateDer::from(cert), Some("ID"))
        .expect("without the lockdown, a signature over a local file verifies");
}

/// Found on review: the xmlsec/libxslt build of Debian 12 does not fetch from an XSLT
/// `document()` call even without the lockdown, so `lockdown.rs`'s XSLT test cannot fail here
/// and proves nothing about the lockdown (the profile check, the first line, refuses every XSLT
/// transform by name). This test records that fact and fails on a build where `document()` does
/// fetch: there, the lockdown's XSLT test becomes the real proof.
#[test]
fn this_xmlsec_build_runs_no_xslt_fetch_even_without_the_lockdown() {
    let (key, cert) = key();
    let listener = Listener::start();
    let doc = signed("", &xslt_transform(&listener.url), b"x", &key);
    let _ = bounded(Duration::from_secs(30), move || {
        XmlSec::verify_signed_xml(doc, &CertificateDer::from(cert), Some("ID")).is_ok()
    });
    assert_eq!(
        listener.connections(Duration::from_millis(500)),
        0,
        "this xmlsec fetches from XSLT document(): lockdown.rs's XSLT test now matters"
    );
}
