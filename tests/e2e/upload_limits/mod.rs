//! Uploads and bodies: the per-citizen quota holds under parallel uploads (bytes are reserved
//! before a file streams in), a refused file is not read to its end, a request body has a hard
//! cap answered with 413 while the client is still sending, and files kept in the database go
//! in and come out in chunks, byte for byte.
//!
//! Bodies of hundreds of megabytes are made lazily by the client and the tests count what the
//! client had been asked for when the answer came: the server's reading stops there, so neither
//! its memory nor the test's grows with the body. This module has what the tests share.

mod chunks;
mod quota;
mod streams;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use istanze_tests::{patrocinio, small_pdf, TestApp};
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use sha2::Digest;

const FIELD: &str = "/evento/programma";
const MB: u64 = 1024 * 1024;
const QUOTA_MESSAGE: &str = "I tuoi file non ancora inviati raggiungono già il limite di 1 MB: \
                             invia o elimina le bozze, oppure riprova tra qualche giorno.";
/// What the client may have handed to the connection beyond what the server read: the socket
/// buffers of both ends on loopback and the client's own write buffer.
const IN_FLIGHT: u64 = 16 * MB;
/// Every lazily made body is this long: far beyond any limit in play.
const HUGE: u64 = 300 * MB;

fn pdf_of(len: usize) -> Vec<u8> {
    let mut pdf = small_pdf("Programma della Festa della musica");
    assert!(pdf.len() < len);
    pdf.resize(len, b' ');
    pdf
}

fn incomplete() -> Value {
    let mut data = patrocinio();
    data["evento"].as_object_mut().unwrap().remove("titolo");
    data
}

fn api_form(data: &Value, file: Vec<u8>) -> Form {
    Form::new()
        .percent_encode_noop()
        .part(
            "data",
            Part::text(data.to_string())
                .mime_str("application/json")
                .unwrap(),
        )
        .part(FIELD, Part::bytes(file).file_name("programma.pdf"))
}

async fn db(app: &TestApp) -> sea_orm::DatabaseConnection {
    sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap()
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let db = db(app).await;
    let row = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// A multipart body made as it is sent: `head` (the parts before), then a part with `header`
/// whose content is `first` followed by `filler` up to `len` bytes, then the end. `pulled`
/// counts the bytes the client has asked for so far.
struct Lazy {
    boundary: &'static str,
    head: Vec<(String, String)>,
    header: String,
    first: Vec<u8>,
    len: u64,
    /// Where the client breaks the body off (with an error), if it does.
    cut_at: Option<u64>,
    pulled: Arc<AtomicU64>,
}

impl Lazy {
    fn new(head: Vec<(String, String)>, header: String, first: &[u8], len: u64) -> Lazy {
        Lazy {
            boundary: "istanzeLazyBoundary7e1f",
            head,
            header,
            first: first.to_vec(),
            len,
            cut_at: None,
            pulled: Arc::new(AtomicU64::new(0)),
        }
    }

    fn file(head: Vec<(String, String)>, name: &str, first: &[u8], len: u64) -> Lazy {
        let header = format!(
            "Content-Disposition: form-data; name=\"{name}\"; filename=\"programma.pdf\"\r\n\
             Content-Type: application/pdf"
        );
        Lazy::new(head, header, first, len)
    }

    fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn total(&self) -> u64 {
        self.prefix().len() as u64 + self.len + self.suffix().len() as u64
    }

    fn prefix(&self) -> Vec<u8> {
        let mut out = String::new();
        for (name, value) in &self.head {
            out.push_str(&format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            ));
        }
        out.push_str(&format!("--{}\r\n{}\r\n\r\n", self.boundary, self.header));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&self.first);
        bytes
    }

    fn suffix(&self) -> Vec<u8> {
        format!("\r\n--{}--\r\n", self.boundary).into_bytes()
    }

    fn body(&self) -> reqwest::Body {
        const CHUNK: u64 = 64 * 1024;
        let prefix = bytes_of(self.prefix());
        let suffix = bytes_of(self.suffix());
        let filler = self.len - self.first.len() as u64;
        let pulled = self.pulled.clone();
        let cut_at = self.cut_at;
        let chunks = filler.div_ceil(CHUNK);
        let middle = futures::stream::iter(0..chunks).map(move |i| {
            let n = CHUNK.min(filler - i * CHUNK) as usize;
            bytes_of(vec![b' '; n])
        });
        let all = futures::stream::iter([prefix])
            .chain(middle)
            .chain(futures::stream::iter([suffix]))
            .then(move |b| {
                let total = pulled.fetch_add(b.len() as u64, Ordering::SeqCst);
                async move {
                    if cut_at.is_some_and(|cut| total >= cut) {
                        return Err(std::io::Error::other("the client breaks the upload off"));
                    }
                    // A pause every 1 MiB lets the answer be looked at as soon as it comes,
                    // rather than after whatever the connection takes meanwhile.
                    if total % MB + b.len() as u64 >= MB {
                        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    }
                    Ok::<_, std::io::Error>(b)
                }
            });
        reqwest::Body::wrap_stream(all)
    }
}

fn bytes_of(v: Vec<u8>) -> actix_web::web::Bytes {
    actix_web::web::Bytes::from(v)
}

use futures::StreamExt;

/// Sends `lazy` (with a declared length when `declare`) and returns the answer with the bytes
/// the client had been asked for when it came.
async fn send_lazy(
    c: &reqwest::Client,
    url: &str,
    lazy: &Lazy,
    declare: bool,
) -> (StatusCode, String, u64) {
    let mut request = c
        .post(url)
        .header("content-type", lazy.content_type())
        .body(lazy.body());
    if declare {
        request = request.header("content-length", lazy.total().to_string());
    }
    let r = request
        .send()
        .await
        .expect("an answer while the body is sent");
    let pulled = lazy.pulled.load(Ordering::SeqCst);
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    (status, text, pulled)
}

fn data_head() -> Vec<(String, String)> {
    vec![("data".into(), patrocinio().to_string())]
}

async fn logged_in(app: &TestApp, who: &str) -> reqwest::Client {
    let c = app.client();
    app.login(&c, who, 2).await;
    c
}

fn api(app: &TestApp) -> String {
    app.at("/api/v1/forms/patrocinio/submissions")
}

fn field_message(body: &Value, pointer: &str) -> Option<String> {
    body["errors"]
        .as_array()?
        .iter()
        .find(|e| e["pointer"] == pointer)
        .and_then(|e| e["message"].as_str())
        .map(str::to_owned)
}

fn sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sql` with `?` placeholders as the backend wants them.
fn placeholders(backend: sea_orm::DbBackend, sql: &str) -> String {
    if backend != sea_orm::DbBackend::Postgres {
        return sql.to_owned();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}
