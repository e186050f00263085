//! A protocol system with a JSON API, for the REST adapter's tests: OAuth2 client credentials,
//! registration with an `Idempotency-Key`, lookup by key, digest check of the document, and a
//! fault plan (unavailable, or registering and then answering too late).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use serde_json::{json, Value};
use sha2::Digest;

/// What the next registration request meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 503 Service Unavailable, nothing registered.
    Unavailable,
    /// Registered, but the answer comes after this delay (past the client's timeout).
    SlowAnswer(Duration),
}

/// One registration held by the system.
#[derive(Debug, Clone)]
pub struct Held {
    pub key: String,
    pub number: i64,
    pub body: Value,
}

#[derive(Debug, Default)]
pub struct State {
    pub faults: VecDeque<Fault>,
    pub held: Vec<Held>,
    pub posts: usize,
}

/// The running system.
#[derive(Debug)]
pub struct RestProtocol {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for RestProtocol {
    fn drop(&mut self) {
        let h = self.handle.clone();
        tokio::spawn(async move { h.stop(false).await });
    }
}

const CLIENT_ID: &str = "istanze";
pub const CLIENT_SECRET: &str = "s3greto-di-prova";
const TOKEN: &str = "token-di-prova";

fn answer(h: &Held) -> Value {
    json!({"esito": "OK", "protocollo": {"numero": format!("{:07}", h.number), "anno": 2026, "data": "2026-11-23T10:00:00Z"}})
}

async fn token(form: web::Form<Vec<(String, String)>>) -> HttpResponse {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("grant_type") == Some("client_credentials")
        && get("client_id") == Some(CLIENT_ID)
        && get("client_secret") == Some(CLIENT_SECRET)
    {
        HttpResponse::Ok()
            .json(json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}))
    } else {
        HttpResponse::Unauthorized().json(json!({"error": "invalid_client"}))
    }
}

fn authorized(req: &HttpRequest) -> bool {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"))
}

async fn register(
    req: HttpRequest,
    body: web::Json<Value>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    if !authorized(&req) {
        return HttpResponse::Unauthorized().finish();
    }
    let Some(key) = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
    else {
        return HttpResponse::BadRequest()
            .json(json!({"esito": "KO", "errore": "Idempotency-Key mancante"}));
    };
    let content = body["documento"]["contenuto"].as_str().unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content)
        .unwrap_or_default();
    let digest: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if body["documento"]["impronta"].as_str() != Some(digest.as_str())
        || body["oggetto"].as_str().unwrap_or("").is_empty()
    {
        return HttpResponse::UnprocessableEntity()
            .json(json!({"esito": "KO", "errore": "impronta o oggetto non validi"}));
    }
    let (held, fault) = {
        let mut s = state.lock().unwrap();
        s.posts += 1;
        let fault = s.faults.pop_front();
        if fault == Some(Fault::Unavailable) {
            return HttpResponse::ServiceUnavailable()
                .json(json!({"esito": "KO", "errore": "servizio non disponibile"}));
        }
        // Like many real systems it does not deduplicate by key: the client must look up.
        let number = s.held.len() as i64 + 1;
        let held = Held {
            key,
            number,
            body: body.into_inner(),
        };
        s.held.push(held.clone());
        (held, fault)
    };
    if let Some(Fault::SlowAnswer(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    HttpResponse::Created().json(answer(&held))
}

async fn lookup(
    req: HttpRequest,
    key: web::Path<String>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    if !authorized(&req) {
        return HttpResponse::Unauthorized().finish();
    }
    let s = state.lock().unwrap();
    match s.held.iter().find(|h| h.key == *key) {
        Some(h) => HttpResponse::Ok().json(answer(h)),
        None => HttpResponse::NotFound().json(json!({"esito": "KO", "errore": "non trovato"})),
    }
}

impl RestProtocol {
    pub async fn start(faults: Vec<Fault>) -> RestProtocol {
        let state = Arc::new(Mutex::new(State {
            faults: faults.into(),
            ..Default::default()
        }));
        let data = web::Data::new(state.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/oauth/token", web::post().to(token))
                .route("/api/v1/protocolli", web::post().to(register))
                .route("/api/v1/protocolli/chiave/{key}", web::get().to(lookup))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        RestProtocol { url, state, handle }
    }

    /// The adapter settings for this system (the secret read from `secret_file`).
    pub fn settings(&self, secret_file: &std::path::Path) -> istanze_protocol::rest::RestSettings {
        serde_json::from_value(json!({
            "endpoint": format!("{}/api/v1/protocolli", self.url),
            "lookup_endpoint": format!("{}/api/v1/protocolli/chiave/{{key}}", self.url),
            "auth": {"type": "client_credentials", "token_url": format!("{}/oauth/token", self.url),
                     "client_id": CLIENT_ID, "client_secret": format!("file:{}", secret_file.display())},
            "request_template": {
                "oggetto": "{{subject}}", "classifica": "{{classification}}", "verso": "{{direction}}",
                "mittente": {"codice_fiscale": "{{correspondent.fiscal_number}}", "denominazione": "{{correspondent.name}}"},
                "documento": {"nome": "{{primary.file_name}}", "impronta": "{{primary.sha256}}", "contenuto": "{{primary.content_base64}}"},
                "allegati": "{{attachments}}",
                "note": "Istanza online {{idempotency_key}}"
            },
            "number_pointer": "/protocollo/numero",
            "date_pointer": "/protocollo/data",
            "year_pointer": "/protocollo/anno",
            "register": "PG",
            "timeout_seconds": 1
        }))
        .unwrap()
    }
}
