//! Hostile XML signatures posted anonymously to the ACS (after a free login start) and to the
//! SLO endpoint: each refused with 400 before anything is fetched or verified, no request
//! reaches a server the message names, and the server keeps answering.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use istanze_tests::{decode, encode, unsigned_logout_request, TestApp};
use reqwest::StatusCode;

/// A loopback HTTP server that counts the connections made to it.
struct Listener {
    url: String,
    count: Arc<AtomicUsize>,
}

impl Listener {
    async fn start() -> Listener {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let count = Arc::new(AtomicUsize::new(0));
        let counted = count.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                use tokio::io::AsyncWriteExt;
                let _ = stream.write_all(b"HTTP/1.0 200 OK\r\n\r\nok").await;
            }
        });
        Listener { url, count }
    }

    fn connections(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

/// One way to make a signature reach outside or run code; applied to the first signature.
#[derive(Clone, Copy, Debug)]
enum Attack {
    HttpReference,
    DevZero,
    LocalFile,
    XsltDocument,
    XPath,
    RetrievalMethod,
    SecondReference,
    OtherElement,
    Object,
}

fn replace_first_uri(xml: &str, uri: &str) -> String {
    let at = xml.find("<ds:Reference URI=\"").unwrap() + "<ds:Reference URI=\"".len();
    let end = at + xml[at..].find('"').unwrap();
    format!("{}{uri}{}", &xml[..at], &xml[end..])
}

fn insert_after_first(xml: &str, marker: &str, what: &str) -> String {
    let at = xml.find(marker).unwrap() + marker.len();
    format!("{}{what}{}", &xml[..at], &xml[at..])
}

impl Attack {
    /// `xml` with its first signature made hostile; `url` is the test's listener,
    /// `other_id` the ID of another element of the document.
    fn apply(self, xml: &str, url: &str, other_id: &str) -> String {
        match self {
            Attack::HttpReference => replace_first_uri(xml, url),
            Attack::DevZero => replace_first_uri(xml, "file:///dev/zero"),
            Attack::LocalFile => replace_first_uri(xml, "file:///etc/passwd"),
            Attack::XsltDocument => insert_after_first(
                xml,
                "<ds:Transforms>",
                &format!(
                    concat!(
                        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">"#,
                        r#"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">"#,
                        r#"<xsl:template match="/"><xsl:value-of select="document('{}')"/></xsl:template>"#,
                        "</xsl:stylesheet></ds:Transform>"
                    ),
                    url
                ),
            ),
            Attack::XPath => insert_after_first(
                xml,
                "<ds:Transforms>",
                concat!(
                    r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">"#,
                    "<ds:XPath>count(//. | //@* | //namespace::*)</ds:XPath></ds:Transform>"
                ),
            ),
            Attack::RetrievalMethod => insert_after_first(
                xml,
                "<ds:KeyInfo>",
                &format!(
                    r#"<ds:RetrievalMethod URI="{url}" Type="http://www.w3.org/2000/09/xmldsig#X509Data"/>"#
                ),
            ),
            Attack::SecondReference => {
                let start = xml.find("<ds:Reference ").unwrap();
                let end = xml.find("</ds:Reference>").unwrap() + "</ds:Reference>".len();
                let second = replace_first_uri(&xml[start..end], url);
                format!("{}{second}{}", &xml[..end], &xml[end..])
            }
            Attack::OtherElement => replace_first_uri(xml, &format!("#{other_id}")),
            Attack::Object => insert_after_first(
                xml,
                "</ds:SignatureValue>",
                &format!(
                    concat!(
                        "<ds:Object><ds:Manifest><ds:Reference URI=\"{}\">",
                        r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
                        "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:Manifest></ds:Object>"
                    ),
                    url
                ),
            ),
        }
    }
}

/// The refusal is a 400 answered well within the client's bound, nothing was fetched, and the
/// server still answers.
async fn assert_refused(app: &TestApp, response: reqwest::Response, listener: &Listener) {
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("non è valida"),
        "the citizen is told the answer was not valid: {body}"
    );
    // A fetch made while handling the request has already connected by now; allow the
    // listener's task a moment to count it.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(listener.connections(), 0, "the server fetched a URL");
    let health = app.client().get(app.at("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}

async fn acs_attack(attack: Attack) {
    let app = TestApp::spawn().await;
    let listener = Listener::start().await;
    let c = app.client();
    // What an attacker gets for free: a login start, and a response to it (here the demo
    // IdP's, so that only the signature's shape is wrong).
    let answer = decode(
        &app.idp_answer(&c, &[("next", "/")], "RSSMRA85T10A562S")
            .await,
    );
    // The Response's signature comes first; the other element is the Assertion.
    let assertion = &answer[answer.find("<saml:Assertion").unwrap()..];
    let assertion_id = assertion
        .split("ID=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        answer.find("<ds:Signature").unwrap() < answer.find("<saml:Assertion").unwrap(),
        "fixture: the Response's signature is the first"
    );
    let hostile = attack.apply(&answer, &listener.url, assertion_id);
    assert_ne!(hostile, answer, "the attack must change the message");
    let r = app.post_acs(&c, &encode(&hostile), "x").await;
    assert_refused(&app, r, &listener).await;
}

fn logout_request(app: &TestApp) -> String {
    unsigned_logout_request(app, "#_lr1")
}

async fn slo_attack(attack: Attack) {
    let app = TestApp::spawn().await;
    let listener = Listener::start().await;
    let request = logout_request(&app);
    let hostile = attack.apply(&request, &listener.url, "_name");
    assert_ne!(hostile, request, "the attack must change the message");
    let r = app
        .client()
        .post(app.at("/spid/slo"))
        .form(&[("SAMLRequest", encode(&hostile))])
        .send()
        .await
        .unwrap();
    assert_refused(&app, r, &listener).await;
}

macro_rules! attacks {
    ($($name:ident: $attack:expr;)*) => {
        mod acs {
            use super::*;
            $(#[tokio::test] async fn $name() { acs_attack($attack).await })*
        }
        mod slo {
            use super::*;
            $(#[tokio::test] async fn $name() { slo_attack($attack).await })*
        }
    };
}

attacks! {
    reference_to_an_http_server: Attack::HttpReference;
    reference_to_dev_zero: Attack::DevZero;
    reference_to_a_local_file: Attack::LocalFile;
    xslt_transform_calling_document: Attack::XsltDocument;
    xpath_transform: Attack::XPath;
    retrieval_method: Attack::RetrievalMethod;
    second_reference: Attack::SecondReference;
    reference_to_another_element: Attack::OtherElement;
    object: Attack::Object;
}

#[tokio::test]
async fn control_the_untouched_slo_template_is_refused_only_for_its_signature() {
    // The template above is refused for its (absent) signature value, not for its shape: so
    // the attacks' 400 comes from the shape they add.
    let app = TestApp::spawn().await;
    let r = app
        .client()
        .post(app.at("/spid/slo"))
        .form(&[("SAMLRequest", encode(&logout_request(&app)))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
