//! The three SOAP 1.1 calls of the DOCAREA contract, in the two wire forms servers use:
//! - classic: PascalCase operations, parameters qualified in the service namespace, SOAPAction
//!   `<namespace>Operation`, files as a SOAP-with-Attachments MIME part;
//! - base64: lower-case operations, unqualified parameters, SOAPAction `""`, files as a base64
//!   `strAttachment` element (ADS Prisma and its successors).
//!
//! Answers are read by local name. An answer with `lngErrNumber` is the server's word (HTTP
//! 200); a SOAP Fault or a 503 is a [`CallError::Refused`]; anything else (no answer, a
//! gateway error, a garbled body) is [`CallError::NoAnswer`], after which nobody knows whether
//! the server acted.

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::segnatura::text;

const SOAP_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The wire form of the server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    #[default]
    Classic,
    Base64,
}

/// A file sent with `Inserimento` or `Protocollazione`.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
}

/// An answer of the server: the fields of the `...Result` element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answer {
    pub err_number: i64,
    pub err_string: String,
    pub fields: std::collections::BTreeMap<String, String>,
}

impl Answer {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Why a call gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The server answered, but not with a result (HTTP error, SOAP Fault, unreadable body):
    /// the operation did not happen.
    Refused(String),
    /// No answer (connection, timeout): the operation may or may not have happened.
    NoAnswer(String),
}

/// A DOCAREA endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
    pub namespace: String,
    pub variant: Variant,
    pub client: reqwest::Client,
}

impl Endpoint {
    fn operation(&self, name: &str) -> String {
        match self.variant {
            Variant::Classic => name.to_owned(),
            Variant::Base64 => name.to_ascii_lowercase(),
        }
    }

    fn envelope(&self, op: &str, params: &[(&str, String)]) -> String {
        // A default namespace qualifies the parameters too; a prefix leaves them unqualified.
        let (open, close) = match self.variant {
            Variant::Classic => (
                format!(r#"<{op} xmlns="{}">"#, text(&self.namespace)),
                format!("</{op}>"),
            ),
            Variant::Base64 => (
                format!(r#"<tns:{op} xmlns:tns="{}">"#, text(&self.namespace)),
                format!("</tns:{op}>"),
            ),
        };
        let body: String = params
            .iter()
            .map(|(k, v)| format!("<{k}>{v}</{k}>"))
            .collect();
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>{open}{body}{close}</soap:Body></soap:Envelope>"#
        )
    }

    /// Calls `name` (PascalCase) with text parameters and an optional file.
    pub async fn call(
        &self,
        name: &str,
        params: &[(&str, &str)],
        file: Option<File<'_>>,
    ) -> Result<Answer, CallError> {
        let op = self.operation(name);
        let mut params: Vec<(&str, String)> = params.iter().map(|(k, v)| (*k, text(v))).collect();
        if let (Variant::Base64, Some(f)) = (self.variant, file) {
            params.push((
                "strAttachment",
                base64::engine::general_purpose::STANDARD.encode(f.bytes),
            ));
        }
        let envelope = self.envelope(&op, &params);
        let action = match self.variant {
            Variant::Classic => format!("\"{}{name}\"", self.namespace),
            Variant::Base64 => "\"\"".to_owned(),
        };
        let request = self.client.post(&self.url).header("SOAPAction", action);
        let request = match (self.variant, file) {
            (Variant::Classic, Some(f)) => {
                let (content_type, body) = multipart(&envelope, f);
                request.header("Content-Type", content_type).body(body)
            }
            _ => request
                .header("Content-Type", "text/xml; charset=utf-8")
                .body(envelope),
        };
        let response = request
            .send()
            .await
            .map_err(|e| CallError::NoAnswer(e.without_url().to_string()))?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| CallError::NoAnswer(e.without_url().to_string()))?;
        // Only the service's own word proves that nothing happened: a SOAP Fault, or 503 (the
        // service could not take the request). A gateway's 502/504 or a garbled answer may come
        // after the service acted.
        if !status.is_success() {
            return Err(match fault_string(&body) {
                Some(fault) => CallError::Refused(format!("HTTP {status}: {fault}")),
                None if status == reqwest::StatusCode::SERVICE_UNAVAILABLE => {
                    CallError::Refused(format!("HTTP {status}"))
                }
                None => CallError::NoAnswer(format!("HTTP {status} without a SOAP answer")),
            });
        }
        parse_answer(&body).map_err(|why| match fault_string(&body) {
            Some(fault) => CallError::Refused(fault),
            None => CallError::NoAnswer(why),
        })
    }
}

/// A SOAP-with-Attachments request: the envelope, then the file.
fn multipart(envelope: &str, f: File<'_>) -> (String, Vec<u8>) {
    let digest = sha2::Sha256::digest(f.bytes);
    let mut boundary: String = format!("=_istanze_{}", hex(&digest[..12]));
    while contains(f.bytes, boundary.as_bytes()) {
        boundary.push('x');
    }
    let mut body = Vec::with_capacity(f.bytes.len() + envelope.len() + 400);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\nContent-ID: <envelope>\r\n\r\n{envelope}\r\n--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <{}>\r\n\r\n",
            f.mime.replace(['\r', '\n'], ""),
            f.name.replace(['\r', '\n', '<', '>'], "")
        )
        .as_bytes(),
    );
    body.extend_from_slice(f.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (
        format!(r#"multipart/related; type="text/xml"; start="<envelope>"; boundary="{boundary}""#),
        body,
    )
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn fault_string(body: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(body).ok()?;
    doc.descendants()
        .find(|n| n.tag_name().name() == "faultstring")
        .and_then(|n| n.text())
        .map(|t| t.chars().take(300).collect())
}

/// Reads the result fields of an answer envelope.
fn parse_answer(body: &str) -> Result<Answer, String> {
    let doc = roxmltree::Document::parse(body).map_err(|e| format!("answer: {e}"))?;
    let envelope = doc.root_element();
    if envelope.tag_name().namespace() != Some(SOAP_ENV) || envelope.tag_name().name() != "Envelope"
    {
        return Err("answer is not a SOAP 1.1 envelope".into());
    }
    let number = doc
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "lngErrNumber")
        .ok_or_else(|| {
            fault_string(body).unwrap_or_else(|| "answer without lngErrNumber".into())
        })?;
    let result = number.parent_element().ok_or("answer without a result")?;
    let mut answer = Answer::default();
    for child in result.children().filter(|c| c.is_element()) {
        answer.fields.insert(
            child.tag_name().name().to_owned(),
            child.text().unwrap_or_default().trim().to_owned(),
        );
    }
    answer.err_number = answer
        .fields
        .get("lngErrNumber")
        .and_then(|v| v.parse().ok())
        .ok_or("lngErrNumber is not a number")?;
    answer.err_string = answer
        .fields
        .get("strErrString")
        .cloned()
        .unwrap_or_default();
    Ok(answer)
}
