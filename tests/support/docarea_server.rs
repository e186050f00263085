//! A DOCAREA protocol web service, for the DOCAREA adapter's tests. It implements the published
//! contract of the SOAP 1.1 service (document/literal wrapped) exposed by ADS Prisma, Datagraph
//! and Halley: `Login` gives a DST token, `Inserimento` stores a file and gives its document id,
//! `Protocollazione` registers a Segnatura XML naming those ids and gives a number. Application
//! errors are answered in-band (HTTP 200) with the contract's codes: -2 (DST token), -4 (user),
//! -5 (password), -9 (ente), -52 (no file), -100 (identifier), -102 (unknown or reused document),
//! -106 (subject), -107 (main document), -109 (missing parameters), -110 (malformed segnatura).
//!
//! Both variants met in the field are served: `Classic` (PascalCase operations, SOAPAction
//! `<namespace>Op`, qualified parameters, files as SOAP-with-Attachments MIME parts) and `Base64`
//! (lower-case operations, empty SOAPAction, unqualified parameters, files in `strAttachment`).
//! A request that is not SOAP of the configured variant gets a 500 `soap:Client` Fault, so that a
//! client speaking the wrong dialect fails loudly. A fault plan makes registrations unavailable,
//! refused in-band, or answered too late; tokens can expire after a few uses.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use roxmltree::{Document, Node};

const SOAP_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const OK: &str = "Esito positivo dell'operazione richiesta";
/// The first document id handed out by `Inserimento`.
pub const FIRST_DOC_ID: i64 = 35_804_340;

/// An in-band error: `lngErrNumber` and `strErrString`.
type Failure = (i64, &'static str);
const BAD_DST: Failure = (
    -2,
    "DST non valido. Il token DST non è corretto o potrebbe essere scaduto",
);
const BAD_IDENTIFIER: Failure = (-100, "Identificatore della segnatura non valido");
const UNKNOWN_DOCUMENT: Failure = (-102, "Documento inesistente");
const MISSING: Failure = (-109, "parametri mancanti");
const MALFORMED: Failure = (-110, "Segnatura XML non valida");

/// The dialect of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `Login`/`Inserimento`/`Protocollazione`, SOAPAction `"<namespace>Login"`, qualified
    /// parameters, files as a MIME part (`multipart/related`).
    Classic,
    /// `login`/`inserimento`/`protocollazione`, SOAPAction `""`, unqualified parameters, files
    /// as base64 in `strAttachment`.
    Base64,
}

#[derive(Debug, Clone)]
pub struct DocareaConfig {
    pub ente: String,
    pub aoo: String,
    pub user: String,
    pub password: String,
    pub variant: Variant,
    /// A token expires after this many `Inserimento`/`Protocollazione` calls.
    pub token_uses: Option<usize>,
    /// The namespace of the wrapper elements (and of the parameters, in `Classic`).
    pub namespace: String,
    /// The year of the register (`lngAnnoPG`).
    pub year: i32,
}

impl Default for DocareaConfig {
    fn default() -> Self {
        DocareaConfig {
            ente: "p_pr".into(),
            aoo: "A1B2C3D".into(),
            user: "istanze".into(),
            password: "segreto-docarea".into(),
            variant: Variant::Classic,
            token_uses: None,
            namespace: "http://tempuri.org/".into(),
            year: 2026,
        }
    }
}

/// What the next `Protocollazione` request meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503 Service Unavailable, nothing registered.
    Unavailable,
    /// Registered, but the answer comes after this delay (past the client's timeout).
    SlowAnswer(Duration),
    /// This in-band error (`lngErrNumber`, `strErrString`), nothing registered.
    Error(i64, &'static str),
}

/// One registration held by the system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub number: i64,
    pub year: i32,
    /// `dd/MM/yyyy`.
    pub date: String,
    pub subject: String,
    pub flusso: String,
    pub mittente_cf: Option<String>,
    /// Id, `nome` and bytes: the main document first, then the attachments.
    pub documents: Vec<(i64, String, Vec<u8>)>,
    pub segnatura: String,
}

/// A DST token handed out by `Login`.
#[derive(Debug, Clone)]
pub struct Token {
    pub user: String,
    pub uses_left: Option<usize>,
}

#[derive(Debug, Default)]
pub struct State {
    pub faults: VecDeque<Fault>,
    pub registered: Vec<Registered>,
    pub documents: HashMap<i64, Vec<u8>>,
    pub tokens: HashMap<String, Token>,
    pub logins: usize,
    pub inserimenti: usize,
    pub protocollazioni: usize,
}

/// The running service.
#[derive(Debug)]
pub struct DocareaServer {
    /// The endpoint, `http://127.0.0.1:PORT/DOCAREAProto`.
    pub url: String,
    pub config: DocareaConfig,
    pub state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for DocareaServer {
    fn drop(&mut self) {
        let h = self.handle.clone();
        tokio::spawn(async move { h.stop(false).await });
    }
}

pub async fn spawn(config: DocareaConfig) -> DocareaServer {
    let state = Arc::new(Mutex::new(State::default()));
    let (data, settings) = (
        web::Data::new(state.clone()),
        web::Data::new(config.clone()),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/DOCAREAProto", listener.local_addr().unwrap());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(settings.clone())
            .app_data(web::PayloadConfig::new(64 << 20))
            .route("/DOCAREAProto", web::post().to(endpoint))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    DocareaServer {
        url,
        config,
        state,
        handle,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Login,
    Inserimento,
    Protocollazione,
}

impl Op {
    fn pascal(self) -> &'static str {
        match self {
            Op::Login => "Login",
            Op::Inserimento => "Inserimento",
            Op::Protocollazione => "Protocollazione",
        }
    }

    fn name(self, variant: Variant) -> String {
        match variant {
            Variant::Classic => self.pascal().to_owned(),
            Variant::Base64 => self.pascal().to_lowercase(),
        }
    }

    fn params(self, variant: Variant) -> &'static [&'static str] {
        match (self, variant) {
            (Op::Login, _) => &["strCodEnte", "strUserName", "strPassword"],
            (_, Variant::Classic) => &["strUserName", "strDST"],
            (_, Variant::Base64) => &["strUserName", "strDST", "strAttachment"],
        }
    }
}

/// A request understood: the operation, its parameters and the file it carries.
struct Call {
    op: Op,
    params: HashMap<String, String>,
    attachment: Option<Vec<u8>>,
}

impl Call {
    fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }
}

async fn endpoint(
    req: HttpRequest,
    body: web::Bytes,
    config: web::Data<DocareaConfig>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    let call = match read_call(&req, &body, &config) {
        Ok(call) => call,
        Err(message) => return fault(&message),
    };
    let result = match call.op {
        Op::Login => {
            login(&mut state.lock().unwrap(), &config, &call).map(|dst| vec![("strDST", dst)])
        }
        Op::Inserimento => inserimento(&mut state.lock().unwrap(), &call)
            .map(|id| vec![("lngDocID", id.to_string())]),
        Op::Protocollazione => return protocollazione(&config, &state, &call).await,
    };
    answer(&config, call.op, result)
}

fn login(s: &mut State, c: &DocareaConfig, call: &Call) -> Result<String, Failure> {
    s.logins += 1;
    if call.param("strCodEnte") != c.ente {
        return Err((-9, "Codice ente non valido"));
    }
    if call.param("strUserName") != c.user {
        return Err((-4, "Utente non valido"));
    }
    if call.param("strPassword") != c.password {
        return Err((-5, "Password non valida"));
    }
    let dst = format!("{:06}{}", s.logins, uuid::Uuid::new_v4().simple()).to_uppercase();
    let token = Token {
        user: c.user.clone(),
        uses_left: c.token_uses,
    };
    s.tokens.insert(dst.clone(), token);
    Ok(dst)
}

/// Checks the token against the user and spends one of its uses.
fn use_token(s: &mut State, call: &Call) -> Result<(), Failure> {
    let token = s.tokens.get_mut(call.param("strDST"));
    let token = token
        .filter(|t| t.user == call.param("strUserName"))
        .ok_or(BAD_DST)?;
    match token.uses_left.as_mut() {
        Some(n) if *n == 0 => Err(BAD_DST),
        Some(n) => {
            *n -= 1;
            Ok(())
        }
        None => Ok(()),
    }
}

fn inserimento(s: &mut State, call: &Call) -> Result<i64, Failure> {
    s.inserimenti += 1;
    use_token(s, call)?;
    let file = call.attachment.as_deref().filter(|f| !f.is_empty());
    let file = file.ok_or((-52, "File da inserire mancante o vuoto"))?;
    let id = s
        .documents
        .keys()
        .max()
        .map_or(FIRST_DOC_ID, |last| last + 1);
    s.documents.insert(id, file.to_vec());
    Ok(id)
}

async fn protocollazione(c: &DocareaConfig, state: &Mutex<State>, call: &Call) -> HttpResponse {
    let fault = {
        let mut s = state.lock().unwrap();
        s.protocollazioni += 1;
        s.faults.pop_front()
    };
    let outcome = match fault {
        Some(Fault::Unavailable) => {
            return HttpResponse::ServiceUnavailable()
                .content_type("text/html")
                .body("<html><body><h1>503 Service Unavailable</h1></body></html>")
        }
        Some(Fault::Error(code, message)) => Err((code, message)),
        _ => {
            let mut s = state.lock().unwrap();
            register(&mut s, c, call)
        }
    };
    if let Some(Fault::SlowAnswer(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    let fields = |r: Registered| {
        let (number, year) = (r.number.to_string(), r.year.to_string());
        vec![
            ("lngNumPG", number),
            ("lngAnnoPG", year),
            ("strDataPG", r.date),
        ]
    };
    answer(c, call.op, outcome.map(fields))
}

fn register(s: &mut State, c: &DocareaConfig, call: &Call) -> Result<Registered, Failure> {
    use_token(s, call)?;
    let bytes = call.attachment.as_deref().filter(|b| !b.is_empty());
    let xml = std::str::from_utf8(bytes.ok_or(MISSING)?).map_err(|_| MALFORMED)?;
    let xml = xml.trim_start_matches('\u{feff}');
    let doc = Document::parse(xml).map_err(|_| MALFORMED)?;
    let seg = read_segnatura(&doc, c)?;
    let mut documents: Vec<(i64, String, Vec<u8>)> = Vec::new();
    for (id, nome) in seg.documents {
        let id = id.trim().parse::<i64>().map_err(|_| UNKNOWN_DOCUMENT)?;
        let used = s.registered.iter().flat_map(|r| &r.documents);
        if used.chain(&documents).any(|d| d.0 == id) {
            return Err(UNKNOWN_DOCUMENT);
        }
        let bytes = s.documents.get(&id).ok_or(UNKNOWN_DOCUMENT)?;
        documents.push((id, nome, bytes.clone()));
    }
    let registered = Registered {
        number: s.registered.len() as i64 + 1,
        year: c.year,
        date: chrono::Local::now().format("%d/%m/%Y").to_string(),
        subject: seg.subject,
        flusso: seg.flusso,
        mittente_cf: seg.mittente_cf,
        documents,
        segnatura: xml.to_owned(),
    };
    s.registered.push(registered.clone());
    Ok(registered)
}

/// What a valid Segnatura says.
struct Segnatura {
    subject: String,
    flusso: String,
    mittente_cf: Option<String>,
    /// `id` and `nome` of the main document, then of the attachments.
    documents: Vec<(String, String)>,
}

fn read_segnatura(doc: &Document, c: &DocareaConfig) -> Result<Segnatura, Failure> {
    let root = doc.root_element();
    if root.tag_name().name() != "Segnatura" || root.tag_name().namespace().is_some() {
        return Err(MALFORMED);
    }
    let head = child(root, "Intestazione").ok_or(MISSING)?;
    let subject = child(head, "Oggetto").map(text).unwrap_or_default();
    if subject.is_empty() {
        return Err((-106, "Compilare l'oggetto"));
    }
    let id = child(head, "Identificatore").ok_or(MISSING)?;
    let field = |name| child(id, name).map(text).unwrap_or_default();
    let flusso = field("Flusso");
    if field("CodiceAmministrazione") != c.ente
        || field("CodiceAOO") != c.aoo
        || field("NumeroRegistrazione") != "0"
        || field("DataRegistrazione") != "0"
        || !["E", "U", "I"].contains(&flusso.as_str())
    {
        return Err(BAD_IDENTIFIER);
    }
    if child(head, "Mittente").is_none() || child(head, "Destinatario").is_none() {
        return Err(MISSING);
    }
    let mittente_cf = children(head, "Mittente")
        .filter_map(|m| child(child(m, "Persona")?, "CodiceFiscale").map(text))
        .find(|cf| !cf.is_empty());
    let description = child(root, "Descrizione");
    let main = description
        .and_then(|d| child(d, "Documento"))
        .and_then(|d| Some((d.attribute("id")?, d.attribute("nome")?)));
    let main = main.ok_or((-107, "Inserire un documento principale"))?;
    let mut documents = vec![(main.0.to_owned(), main.1.to_owned())];
    let attachments = description.and_then(|d| child(d, "Allegati"));
    for a in attachments
        .into_iter()
        .flat_map(|a| children(a, "Documento"))
    {
        let attribute = |name: &str| a.attribute(name).unwrap_or_default().to_owned();
        documents.push((attribute("id"), attribute("nome")));
    }
    Ok(Segnatura {
        subject,
        flusso,
        mittente_cf,
        documents,
    })
}

/// The child elements of `n`, in any namespace.
fn elements<'a, 'i>(n: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    n.children().filter(Node::is_element).collect()
}

/// The child elements named `name` in no namespace.
fn children<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
        .filter(|c| c.tag_name().namespace().is_none())
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &'a str) -> Option<Node<'a, 'i>> {
    children(n, name).next()
}

fn text(n: Node) -> String {
    n.text().unwrap_or_default().trim().to_owned()
}

/// Reads the envelope (and the MIME attachment) of a request, checking the variant's rules.
/// XML is parsed with roxmltree's defaults, which refuse DTDs (and so entity tricks).
fn read_call(req: &HttpRequest, body: &[u8], c: &DocareaConfig) -> Result<Call, String> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let (mime, params) = content_type(header("content-type").unwrap_or_default());
    let (envelope, part) = match (mime.as_str(), c.variant) {
        ("text/xml", _) => (body.to_vec(), None),
        ("multipart/related", Variant::Classic) => soap_with_attachments(body, &params)?,
        _ => return Err(format!("Content-Type non supportato: {mime}")),
    };
    let envelope = std::str::from_utf8(&envelope).map_err(|_| "envelope non UTF-8")?;
    let (op, params) = read_envelope(envelope.trim_start_matches('\u{feff}'), c)?;
    let action = header("soapaction").ok_or("SOAPAction mancante")?;
    let expected = match c.variant {
        Variant::Classic if c.namespace.ends_with('/') => format!("{}{}", c.namespace, op.pascal()),
        Variant::Classic => format!("{}/{}", c.namespace, op.pascal()),
        Variant::Base64 => String::new(),
    };
    if action.trim().trim_matches('"') != expected {
        return Err(format!(
            "SOAPAction {action} non valida, attesa \"{expected}\""
        ));
    }
    let attachment = match (c.variant, params.get("strAttachment")) {
        (Variant::Base64, Some(b64)) => Some(base64(b64).map_err(|_| "strAttachment non base64")?),
        (Variant::Base64, None) => None,
        (Variant::Classic, _) => part,
    };
    Ok(Call {
        op,
        params,
        attachment,
    })
}

type Params = HashMap<String, String>;

fn read_envelope(xml: &str, c: &DocareaConfig) -> Result<(Op, Params), String> {
    let doc = Document::parse(xml).map_err(|e| format!("XML: {e}"))?;
    let is = |n: &Node, ns: &str, name: &str| {
        n.tag_name().namespace() == Some(ns) && n.tag_name().name() == name
    };
    let envelope = doc.root_element();
    if !is(&envelope, SOAP_NS, "Envelope") {
        return Err("non è una busta SOAP 1.1".into());
    }
    let body = elements(envelope)
        .into_iter()
        .find(|n| is(n, SOAP_NS, "Body"));
    let [call] = elements(body.ok_or("soap:Body mancante")?)[..] else {
        return Err("soap:Body deve contenere un solo elemento".into());
    };
    let ops = [Op::Login, Op::Inserimento, Op::Protocollazione];
    let op = ops
        .into_iter()
        .find(|op| is(&call, &c.namespace, &op.name(c.variant)));
    let op = op.ok_or_else(|| format!("operazione sconosciuta: {:?}", call.tag_name()))?;
    let ns = (c.variant == Variant::Classic).then_some(c.namespace.as_str());
    let mut params = HashMap::new();
    for p in elements(call) {
        let name = p.tag_name().name();
        if p.tag_name().namespace() != ns || !op.params(c.variant).contains(&name) {
            return Err(format!("elemento inatteso: {:?}", p.tag_name()));
        }
        params.insert(name.to_owned(), text(p));
    }
    Ok((op, params))
}

/// The MIME type (lower case) and the parameters of a Content-Type header.
fn content_type(value: &str) -> (String, Params) {
    let (mut pieces, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for ch in value.chars() {
        match ch {
            '"' => quoted = !quoted,
            ';' if !quoted => pieces.push(std::mem::take(&mut current)),
            _ => current.push(ch),
        }
    }
    pieces.push(current);
    let mime = pieces[0].trim().to_ascii_lowercase();
    let params = pieces[1..].iter().filter_map(|p| p.split_once('='));
    let params = params.map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    (mime, params.collect())
}

/// Splits a `multipart/related` body into the root part (the envelope) and the attachment.
fn soap_with_attachments(body: &[u8], ct: &Params) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    if ct.get("type").map(|t| t.to_ascii_lowercase()).as_deref() != Some("text/xml") {
        return Err("multipart/related senza type=\"text/xml\"".into());
    }
    let boundary = ct.get("boundary").ok_or("boundary mancante")?;
    let mut parts = split_parts(body, boundary)?;
    let cid = |s: &str| {
        s.trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned()
    };
    let root = match ct.get("start") {
        Some(start) => parts
            .iter()
            .position(|(h, _)| h.get("content-id").map(|id| cid(id)) == Some(cid(start))),
        None => (!parts.is_empty()).then_some(0),
    };
    let (headers, envelope) = parts.remove(root.ok_or("parte radice assente")?);
    if content_type(headers.get("content-type").map_or("", String::as_str)).0 != "text/xml" {
        return Err("la parte radice non è text/xml".into());
    }
    let attachment = parts.into_iter().next().map(|(_, bytes)| bytes);
    Ok((envelope, attachment))
}

/// The parts of a MIME body: headers (names in lower case) and decoded bytes.
fn split_parts(body: &[u8], boundary: &str) -> Result<Vec<(Params, Vec<u8>)>, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let next = [b"\r\n".as_slice(), &delimiter].concat();
    let mut pos = find(body, &delimiter, 0).ok_or("boundary assente dal corpo")? + delimiter.len();
    let mut parts = Vec::new();
    while !body[pos..].starts_with(b"--") {
        let start = find(body, b"\r\n", pos).ok_or("delimitatore troncato")? + 2;
        let end = find(body, &next, start).ok_or("parte MIME non terminata")?;
        let part = &body[start..end];
        let (head, content) = match part.strip_prefix(b"\r\n") {
            Some(content) => (&[][..], content),
            None => {
                let split = find(part, b"\r\n\r\n", 0).ok_or("intestazioni MIME non terminate")?;
                (&part[..split], &part[split + 4..])
            }
        };
        let headers = mime_headers(head);
        let encoding = headers
            .get("content-transfer-encoding")
            .map(|e| e.to_ascii_lowercase());
        let bytes = match encoding.as_deref().map(str::trim) {
            None | Some("binary" | "8bit" | "7bit") => content.to_vec(),
            Some("base64") => {
                base64(&String::from_utf8_lossy(content)).map_err(|_| "base64 non valido")?
            }
            Some(other) => {
                return Err(format!("Content-Transfer-Encoding non supportato: {other}"))
            }
        };
        parts.push((headers, bytes));
        pos = end + next.len();
    }
    Ok(parts)
}

fn mime_headers(head: &[u8]) -> Params {
    let mut lines: Vec<String> = Vec::new();
    for line in String::from_utf8_lossy(head).split("\r\n") {
        match lines.last_mut() {
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
            _ => lines.push(line.to_owned()),
        }
    }
    let pairs = lines.iter().filter_map(|l| l.split_once(':'));
    pairs
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let tail = haystack.get(from..)?;
    tail.windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(compact)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

type Fields = Vec<(&'static str, String)>;

/// The `<Op>Response` of an operation: its fields (empty ones for an error) and the outcome,
/// after `strDST` in Login's answer and before the other fields otherwise.
fn answer(c: &DocareaConfig, op: Op, result: Result<Fields, Failure>) -> HttpResponse {
    let ((code, message), fields): (Failure, Fields) = match (result, op) {
        (Ok(fields), _) => ((0, OK), fields),
        (Err(e), Op::Login) => (e, vec![("strDST", String::new())]),
        (Err(e), Op::Inserimento) => (e, vec![("lngDocID", "0".into())]),
        (Err(e), Op::Protocollazione) => {
            let zero = || "0".to_owned();
            (
                e,
                vec![
                    ("lngNumPG", zero()),
                    ("lngAnnoPG", zero()),
                    ("strDataPG", String::new()),
                ],
            )
        }
    };
    let outcome = vec![
        ("lngErrNumber", code.to_string()),
        ("strErrString", message.into()),
    ];
    let fields = match op {
        Op::Login => [outcome, fields].concat(),
        _ => [fields, outcome].concat(),
    };
    let inner: String = fields
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", escape(v)))
        .collect();
    let (name, result, ns) = (op.name(c.variant), op.pascal(), escape(&c.namespace));
    let result = format!("<{result}Result>{inner}</{result}Result>");
    let call = match c.variant {
        Variant::Classic => format!("<{name}Response xmlns=\"{ns}\">{result}</{name}Response>"),
        Variant::Base64 => {
            format!("<ns:{name}Response xmlns:ns=\"{ns}\">{result}</ns:{name}Response>")
        }
    };
    soap(StatusCode::OK, &call)
}

fn fault(message: &str) -> HttpResponse {
    let body = format!(
        "<soap:Fault><faultcode>soap:Client</faultcode><faultstring>{}</faultstring></soap:Fault>",
        escape(message)
    );
    soap(StatusCode::INTERNAL_SERVER_ERROR, &body)
}

fn soap(status: StatusCode, body: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/xml; charset=utf-8")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{SOAP_NS}\"><soap:Body>{body}</soap:Body></soap:Envelope>"
        ))
}
