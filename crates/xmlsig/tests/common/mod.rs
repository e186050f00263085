//! Test helpers: documents signed by hand (SignedInfo written in canonical form, signed with
//! openssl) so that a signature can reference what no signing library would produce, and a
//! listener that counts the connections the verifier makes.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use openssl::x509::{X509NameBuilder, X509};

pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const ENV: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A key and its self-signed certificate (DER).
pub fn key() -> (PKey<Private>, Vec<u8>) {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "idp di prova").unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&openssl::asn1::Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&openssl::asn1::Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    (key, b.build().to_der().unwrap())
}

/// `<r ID="r1">` holding a signature with one Reference to `uri` (transforms `transforms`,
/// already serialised in canonical form) whose digest is `digest`, validly signed by `key`.
pub fn signed(uri: &str, transforms: &str, digest: &[u8], key: &PKey<Private>) -> String {
    let signed_info = format!(
        concat!(
            r#"<ds:SignedInfo xmlns:ds="{ds}"><ds:CanonicalizationMethod Algorithm="{exc}"></ds:CanonicalizationMethod>"#,
            r#"<ds:SignatureMethod Algorithm="{alg}"></ds:SignatureMethod><ds:Reference URI="{uri}">{transforms}"#,
            r#"<ds:DigestMethod Algorithm="{sha}"></ds:DigestMethod><ds:DigestValue>{digest}</ds:DigestValue>"#,
            r#"</ds:Reference></ds:SignedInfo>"#
        ),
        ds = DS,
        exc = EXC,
        alg = RSA_SHA256,
        uri = uri,
        transforms = transforms,
        sha = SHA256,
        digest = b64(digest),
    );
    let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
    signer.update(signed_info.as_bytes()).unwrap();
    let value = b64(&signer.sign_to_vec().unwrap());
    format!(
        r#"<r ID="r1"><ds:Signature xmlns:ds="{DS}">{signed_info}<ds:SignatureValue>{value}</ds:SignatureValue></ds:Signature></r>"#
    )
}

/// A loopback HTTP server that answers every request and counts them.
pub struct Listener {
    count: Arc<AtomicUsize>,
    pub url: String,
}

impl Listener {
    pub fn start() -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let counted = count.clone();
        std::thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = stream.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        Listener { count, url }
    }

    /// Requests received until now, after `wait` (a fetch made by a call that has returned is
    /// already accepted or queued: the wait only covers a slow scheduler).
    pub fn connections(&self, wait: Duration) -> usize {
        std::thread::sleep(wait);
        self.count.load(Ordering::SeqCst)
    }
}

/// Runs `f` on a thread and fails the test if it takes longer than `limit` (a verifier
/// reading `/dev/zero` would never return).
pub fn bounded<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the verifier did not return within {limit:?}"))
}

/// An XSLT transform whose stylesheet calls `document()` on `url`.
pub fn xslt_transform(url: &str) -> String {
    format!(
        concat!(
            r#"<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">"#,
            r#"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">"#,
            r#"<xsl:template match="/"><xsl:value-of select="document('{url}')"></xsl:value-of></xsl:template>"#,
            r#"</xsl:stylesheet></ds:Transform></ds:Transforms>"#
        ),
        url = url
    )
}
