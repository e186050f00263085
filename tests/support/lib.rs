//! Test support: a real server on a free port with a fresh database (SQLite in a temporary
//! directory, or a new PostgreSQL database when `ISTANZE_TEST_DATABASE_URL` names a server),
//! and an HTTP client that logs in through the demo identity provider like a browser.

// Test support: a failed set-up step is a failed test, so panicking is the right answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod administrations;
pub mod app_io;
pub mod clamd;
pub mod docarea_server;
pub mod rest_protocol;
pub mod rows;
pub mod smtp;

pub use administrations::{add_aggregated_municipality, add_municipality, scoped};

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use base64::Engine;
use istanze_server::config::Settings;
use istanze_server::Application;
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// A server reached over HTTP (in this process or another): the client-side helpers.
#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
}

/// A running server.
#[derive(Debug)]
pub struct TestApp {
    pub server: Server,
    pub url: String,
    pub settings: Settings,
    /// The server's state: tests call services (housekeeping passes) on it directly.
    pub state: std::sync::Arc<istanze_server::state::AppState>,
    _dir: tempfile::TempDir,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The workspace's `forms/` directory.
pub fn forms_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms")
}

/// Keys made once per test process (RSA 3072 generation is slow), copied into each server's
/// data directory where demo mode looks for them.
pub(crate) fn keys_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("istanze-test-keys-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("keys dir");
        // The municipality's SP has a key of its own, as each administration's SP does.
        for name in ["sp", "demo-idp", "c_b999-sp"] {
            let key = istanze_auth::keys::generate(&istanze_auth::keys::CertificateRequest {
                entity_id: format!("http://127.0.0.1/{name}"),
                organization: "Provincia di Prova".into(),
                ipa_code: "p_pr".into(),
                locality: "Roma".into(),
                days: 30,
            })
            .expect("key");
            // Copied with their mode: a key others can read stops the start.
            write_private(
                &dir.join(format!("{name}-key.pem")),
                &key.key_pem().expect("pem"),
            );
            std::fs::write(
                dir.join(format!("{name}-cert.pem")),
                key.cert_pem().expect("pem"),
            )
            .expect("write");
        }
        dir
    })
}

/// Writes a key or secret file readable by its owner only, as the server requires.
pub fn write_private(path: &Path, contents: &[u8]) {
    std::fs::write(path, contents).expect("write secret");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
    }
}

/// A fresh database URL: SQLite in `dir`, or a new PostgreSQL database.
pub async fn fresh_database(dir: &Path) -> String {
    match std::env::var("ISTANZE_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            use sea_orm::ConnectionTrait;
            let name = format!("istanze_e2e_{}", uuid::Uuid::new_v4().simple());
            let admin = sea_orm::Database::connect(format!("{server}/postgres"))
                .await
                .expect("postgres");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            admin.close().await.ok();
            format!("{server}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("istanze.db").display()),
    }
}

/// Demo settings on a free port, with a fresh database.
pub async fn test_settings() -> (Settings, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["sp", "demo-idp"] {
        for part in ["key", "cert"] {
            let file = format!("{name}-{part}.pem");
            std::fs::copy(keys_dir().join(&file), dir.path().join(file)).expect("copy key");
        }
    }
    let mut s = Settings::default();
    s.server.bind = "127.0.0.1:0".into();
    s.server.data_dir = dir.path().to_path_buf();
    s.forms.dir = forms_dir();
    // One administration unless a test adds others (`add_municipality`).
    s.administrations.dir = None;
    s.database.url = Some(fresh_database(dir.path()).await);
    s.worker.poll_interval_ms = 50;
    s.worker.base_backoff_seconds = 1;
    (s, dir)
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let (settings, dir) = test_settings().await;
        TestApp::spawn_with(settings, dir).await
    }

    pub async fn spawn_with(settings: Settings, dir: tempfile::TempDir) -> TestApp {
        let clock = istanze_server::clock::SystemClock;
        TestApp::spawn_with_clock(settings, dir, std::sync::Arc::new(clock)).await
    }

    /// A server on `clock`: a test that needs days to pass advances a
    /// [`istanze_server::clock::ShiftedClock`] it shares with the server.
    pub async fn spawn_with_clock(
        settings: Settings,
        dir: tempfile::TempDir,
        clock: std::sync::Arc<dyn istanze_server::clock::Clock>,
    ) -> TestApp {
        let ids = std::sync::Arc::new(istanze_server::ids::RandomIds);
        TestApp::spawn_with_parts(settings, dir, clock, ids).await
    }

    /// A server on `clock` drawing its ids from `ids`.
    pub async fn spawn_with_parts(
        settings: Settings,
        dir: tempfile::TempDir,
        clock: std::sync::Arc<dyn istanze_server::clock::Clock>,
        ids: std::sync::Arc<dyn istanze_server::ids::Ids>,
    ) -> TestApp {
        let app = Application::build_with(settings.clone(), clock, ids)
            .await
            .expect("application builds");
        let url = app.public_url().to_owned();
        let state = app.state();
        let task = tokio::spawn(app.run_until_stopped());
        TestApp {
            server: Server { url: url.clone() },
            url,
            settings,
            state,
            _dir: dir,
            task,
        }
    }
}

impl std::ops::Deref for TestApp {
    type Target = Server;
    fn deref(&self) -> &Server {
        &self.server
    }
}

impl Server {
    /// A browser-like client: cookies kept, redirects not followed (tests look at them).
    pub fn client(&self) -> Client {
        Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client")
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    /// The installation's own URL (where the demo IdP lives), without an administration's
    /// `/enti/<ipa_code>` base.
    pub fn root(&self) -> &str {
        self.url
            .split_once("/enti/")
            .map_or(&self.url, |(root, _)| root)
    }

    /// The administration's base path (`""` for the installation's own at `/`).
    pub fn base(&self) -> &str {
        &self.url[self.root().len()..]
    }

    /// The same server, seen at administration `ipa_code`'s base path.
    pub fn ente(&self, ipa_code: &str) -> Server {
        Server {
            url: format!("{}/enti/{ipa_code}", self.root()),
        }
    }

    /// Starts a login (`/spid/login` with `query`), lets the demo IdP answer for
    /// `fiscal_number`, and returns the signed `SAMLResponse` without posting it.
    pub async fn idp_answer(
        &self,
        client: &Client,
        query: &[(&str, &str)],
        fiscal_number: &str,
    ) -> String {
        self.idp_answer_to(client, query, fiscal_number).await.0
    }

    /// [`Server::idp_answer`], with the address the IdP's page posts it to (the SP's ACS).
    pub async fn idp_answer_to(
        &self,
        client: &Client,
        query: &[(&str, &str)],
        fiscal_number: &str,
    ) -> (String, String) {
        let idp = format!("{}/demo-idp", self.root());
        let mut q = vec![("idp", idp.as_str())];
        q.extend_from_slice(query);
        let r = client
            .get(self.at("/spid/login"))
            .query(&q)
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), StatusCode::FOUND);
        let to_idp = header(&r, "location");
        assert!(
            to_idp.starts_with(&format!("{}/demo-idp/sso?SAMLRequest=", self.root())),
            "{to_idp}"
        );
        let page = client.get(&to_idp).send().await.expect("idp page");
        assert_eq!(
            page.status(),
            StatusCode::OK,
            "the demo IdP accepts our signed request"
        );
        let page = page.text().await.expect("text");
        let answer = client
            .post(format!("{}/demo-idp/sso", self.root()))
            .form(&[
                ("SAMLRequest", hidden(&page, "SAMLRequest").as_str()),
                ("RelayState", &hidden(&page, "RelayState")),
                ("user", fiscal_number),
            ])
            .send()
            .await
            .expect("idp answer");
        assert_eq!(answer.status(), StatusCode::OK);
        let page = answer.text().await.expect("text");
        let acs = page
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the page's form action")
            .to_owned();
        (hidden(&page, "SAMLResponse"), unescape(&acs))
    }

    /// Logs `client` in to the staff's area as the demo person `fiscal_number` and returns
    /// the ACS's answer: a 303 to `/ufficio` for a person who holds a role here, the refusal
    /// otherwise.
    pub async fn staff_login(&self, client: &Client, fiscal_number: &str) -> reqwest::Response {
        let (saml_response, to) = self
            .idp_answer_to(
                client,
                &[("next", "/ufficio"), ("level", "2")],
                fiscal_number,
            )
            .await;
        client
            .post(&to)
            .form(&[
                ("SAMLResponse", saml_response.as_str()),
                ("RelayState", "x"),
            ])
            .send()
            .await
            .expect("acs")
    }

    /// A new client logged in to the staff's area as the demo person `fiscal_number`.
    pub async fn staff_client(&self, fiscal_number: &str) -> Client {
        let c = self.client();
        let acs = self.staff_login(&c, fiscal_number).await;
        assert_eq!(
            acs.status(),
            StatusCode::SEE_OTHER,
            "{fiscal_number} logs in as staff"
        );
        c
    }

    /// Posts `fields`, with the case page's CSRF token, to `/ufficio/domande/{id}/{what}`
    /// (`eventi`, `assegna`, `note`, `etichette`): the status and the body (apostrophes
    /// unescaped, as a person reads it).
    pub async fn post_case_form(
        &self,
        c: &Client,
        id: &str,
        what: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let page = self.page(c, &format!("/ufficio/domande/{id}")).await;
        let token = hidden(&page, "_csrf");
        let mut form = vec![("_csrf", token.as_str())];
        form.extend_from_slice(fields);
        let r = c
            .post(self.at(&format!("/ufficio/domande/{id}/{what}")))
            .form(&form)
            .send()
            .await
            .expect("case form");
        let status = r.status();
        let text = r
            .text()
            .await
            .expect("body")
            .replace("&#39;", "'")
            .replace("&#x27;", "'");
        (status, text)
    }

    /// Logs `client` in as the demo citizen `fiscal_number` at `level`; returns the
    /// `SAMLResponse` that did it (for replay tests).
    pub async fn login(&self, client: &Client, fiscal_number: &str, level: u8) -> String {
        let level = level.to_string();
        let (saml_response, to) = self
            .idp_answer_to(
                client,
                &[("next", "/domande"), ("level", &level)],
                fiscal_number,
            )
            .await;
        // Where a browser would post it: the ACS of the administration's SP.
        let acs = client
            .post(&to)
            .form(&[
                ("SAMLResponse", saml_response.as_str()),
                ("RelayState", "x"),
            ])
            .send()
            .await
            .expect("acs");
        assert_eq!(acs.status(), StatusCode::SEE_OTHER, "login accepted");
        let sp_base = to
            .strip_prefix(self.root())
            .and_then(|p| p.strip_suffix("/spid/acs"))
            .expect("an ACS of this server");
        assert_eq!(header(&acs, "location"), format!("{sp_base}/domande"));
        saml_response
    }

    /// POSTs an application to a form through the JSON API.
    pub async fn submit(&self, client: &Client, form: &str, data: &Value) -> reqwest::Response {
        client
            .post(self.at(&format!("/api/v1/forms/{form}/submissions")))
            .json(data)
            .send()
            .await
            .expect("submit")
    }

    /// Submits a valid patrocinio application and returns its id (asserting 201).
    pub async fn submit_patrocinio(&self, client: &Client) -> String {
        let r = self.submit(client, "patrocinio", &patrocinio()).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let body: Value = r.json().await.expect("json");
        body["id"].as_str().expect("id").to_owned()
    }

    pub async fn post_acs(
        &self,
        client: &Client,
        saml_response: &str,
        relay_state: &str,
    ) -> reqwest::Response {
        client
            .post(self.at("/spid/acs"))
            .form(&[("SAMLResponse", saml_response), ("RelayState", relay_state)])
            .send()
            .await
            .expect("acs")
    }

    /// The text of a page, HTML character references decoded.
    pub async fn page(&self, client: &Client, path: &str) -> String {
        let body = client
            .get(self.at(path))
            .send()
            .await
            .expect("get page")
            .text()
            .await
            .expect("page text");
        unescape(&body)
    }

    /// A submission's PDF: `which` is `document` (the application) or `receipt`.
    pub async fn pdf(&self, client: &Client, id: &str, which: &str) -> Vec<u8> {
        client
            .get(self.at(&format!("/api/v1/submissions/{id}/{which}")))
            .send()
            .await
            .expect("get pdf")
            .bytes()
            .await
            .expect("pdf bytes")
            .to_vec()
    }

    /// Polls a submission until it has a protocol number.
    pub async fn wait_for_protocol(&self, client: &Client, id: &str) -> Value {
        for _ in 0..400 {
            let s: Value = client
                .get(self.at(&format!("/api/v1/submissions/{id}")))
                .send()
                .await
                .expect("get submission")
                .json()
                .await
                .expect("json");
            if !s["protocol"].is_null() {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("submission {id} was not filed within 20 seconds");
    }
}

impl TestApp {
    /// Waits (at most 30 s) until the job queues are drained: no filing and no notification
    /// left to do. "Sent exactly once" is counted after this, when nothing more can be sent.
    pub async fn wait_drained(&self) {
        let url = self.settings.database.url.clone().expect("database url");
        wait_until(
            "the filing and notification queues drained",
            Duration::from_secs(30),
            || {
                let url = url.clone();
                async move {
                    let filings =
                        count_rows(&url, "jobs WHERE kind = 'file' AND done_at IS NULL").await;
                    let notices =
                        count_rows(&url, "jobs WHERE kind <> 'file' AND done_at IS NULL").await;
                    (filings == 0 && notices == 0).then_some(())
                }
            },
        )
        .await
    }
}

/// Polls `check` every 50 ms until it gives a value; fails the test naming `what` if it has not
/// after `limit`. Every wait in the suite ends, with a message saying what never happened.
pub async fn wait_until<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {} s",
            limit.as_secs_f64()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The value of a hidden input named `name` in an HTML page (values are HTML-escaped base64
/// or hex, so only `&#x2f;`-style escapes need undoing).
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no {name} in page"));
    let end = html[start..].find('"').expect("closing quote") + start;
    unescape(&html[start..end])
}

/// Undoes the HTML escaping of a page, so that tests can look for plain text.
pub fn unescape(s: &str) -> String {
    s.replace("&#x2b;", "+")
        .replace("&#x2f;", "/")
        .replace("&#x3d;", "=")
        .replace("&#43;", "+")
        .replace("&#47;", "/")
        .replace("&#61;", "=")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Decodes a base64 SAML message.
pub fn decode(b64: &str) -> String {
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64"),
    )
    .expect("utf8")
}

/// The AuthnRequest XML carried by an HTTP-Redirect URL (deflated, base64 `SAMLRequest`).
pub fn authn_request_in(location: &str) -> String {
    use std::io::Read;
    let url = url::Url::parse(location).expect("redirect URL");
    let encoded = url
        .query_pairs()
        .find(|(k, _)| k == "SAMLRequest")
        .expect("SAMLRequest")
        .1
        .into_owned();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    let mut xml = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_string(&mut xml)
        .expect("deflate");
    xml
}

pub fn encode(xml: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(xml)
}

/// A valid patrocinio application.
pub fn patrocinio() -> Value {
    serde_json::json!({
        "richiedente": {"nome": "Mario", "cognome": "Rossi", "codice_fiscale": "RSSMRA85T10A562S",
                        "email": "mario.rossi@example.it", "qualita": "persona"},
        "evento": {"titolo": "Festa della musica", "tipologia": "culturale", "data_inizio": "2027-06-21",
                   "data_fine": "2027-06-21", "luogo": "Piazza del Popolo, Roma",
                   "descrizione": "Concerti gratuiti di band locali in piazza per tutta la giornata.",
                   "partecipanti_previsti": 500, "ingresso": "gratuito"},
        "dichiarazioni": {"senza_lucro": true, "logo_conforme": true, "responsabilita": true, "privacy": true}
    })
}

/// A valid concorso application (identity fields are filled from the login anyway).
pub fn concorso() -> Value {
    serde_json::json!({
        "concorso": {"codice": "IST-AMM-2026"},
        "anagrafica": {"nome": "Mario", "cognome": "Rossi", "codice_fiscale": "RSSMRA85T10A562S",
                       "data_nascita": "1985-12-10", "luogo_nascita": "Roma", "cittadinanza": "italiana"},
        "residenza": {"indirizzo": "Via Roma 1", "cap": "00100", "comune": "Roma", "provincia": "RM"},
        "recapiti": {"email": "mario.rossi@example.it", "telefono": "+39 06 1234567"},
        "titolo_studio": {"tipo": "diploma", "descrizione": "Diploma di ragioniere",
                          "istituto": "ITC Roma", "anno": 2004, "voto": "80/100"},
        "requisiti": {"diritti_politici": true, "condanne": true, "destituzione": true,
                      "idoneita": true, "obblighi_militari": true},
        "privacy": {"bando": true, "informativa": true}
    })
}

/// The text of a PDF, as `pdftotext` (poppler-utils, installed by scripts/test-tools.sh) reads
/// it, with runs of white space made single spaces.
pub fn pdf_text(pdf: &[u8]) -> String {
    pdf_tool("pdftotext", pdf, &["-layout"], true)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What `pdfinfo` says of a PDF.
pub fn pdf_info(pdf: &[u8]) -> String {
    pdf_tool("pdfinfo", pdf, &[], false)
}

fn pdf_tool(tool: &str, pdf: &[u8], args: &[&str], to_stdout: bool) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).arg(&file);
    if to_stdout {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("{tool}: {e} (run ./scripts/test.sh: it installs poppler-utils)")
    });
    assert!(
        out.status.success(),
        "{tool} refused the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The HTML form fields (named by JSON pointer) of the sections of `data`, all of them or only
/// those named in `sections`.
pub fn section_fields(data: &Value, sections: Option<&[&str]>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (section, values) in data.as_object().expect("object") {
        if sections.is_some_and(|s| !s.contains(&section.as_str())) {
            continue;
        }
        for (k, v) in values.as_object().expect("section") {
            let value = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push((format!("/{section}/{k}"), value));
        }
    }
    out
}

/// A small, valid PDF with `title`, to upload.
pub fn small_pdf(title: &str) -> Vec<u8> {
    let when = chrono::DateTime::from_timestamp(1_790_000_000, 0).expect("date");
    istanze_protocol::pdf::render_blocks(
        title,
        &[istanze_protocol::pdf::Block::Title(title.to_owned())],
        title,
        when,
    )
    .expect("pdf")
}

/// How many rows `table` has in the database at `url`.
pub async fn count_rows(url: &str, table: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(url).await.expect("database");
    let row = db
        .query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "n").expect("count")
}

/// An IdP-initiated LogoutRequest (HTTP-POST) naming the demo IdP, with a signature template
/// whose Reference points at `reference_uri` and whose values are not a real signature: what
/// anyone can post to `/spid/slo` without a key.
pub fn unsigned_logout_request(server: &Server, reference_uri: &str) -> String {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    format!(
        concat!(
            r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
            r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" "#,
            r#"IssueInstant="{now}" Destination="{slo}">"#,
            r#"<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">{idp}</saml:Issuer>"#,
            r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            r#"<ds:Reference URI="{uri}"><ds:Transforms>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
            r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>"#,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
            "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>",
            "<ds:SignatureValue>AA==</ds:SignatureValue><ds:KeyInfo><ds:X509Data>",
            "<ds:X509Certificate>AA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>",
            r#"<saml:NameID ID="_name" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">x</saml:NameID>"#,
            "</samlp:LogoutRequest>"
        ),
        now = now,
        slo = server.at("/spid/slo"),
        idp = server.at("/demo-idp"),
        uri = reference_uri,
    )
}
