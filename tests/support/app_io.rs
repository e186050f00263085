//! App IO's Services API for the tests, as its OpenAPI (pagopa/io-functions-services) describes
//! it: `POST /api/v1/profiles` {fiscal_code} -> 200 {sender_allowed} or 404, and
//! `POST /api/v1/messages` {fiscal_code, time_to_live?, content {subject 10-120, markdown
//! 80-10000}} -> 201 {id}; a missing or wrong `Ocp-Apim-Subscription-Key` is 401, a malformed
//! body 400. A fault plan answers 503 a few times first.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

pub const KEY: &str = "chiave-servizio-di-prova";

#[derive(Debug, Default)]
pub struct State {
    /// Citizens on App IO who accept the service's messages.
    pub allowed: Vec<String>,
    /// Citizens on App IO who turned the service off.
    pub blocked: Vec<String>,
    pub messages: Vec<Value>,
    /// The next this-many requests get 503.
    pub unavailable: usize,
}

#[derive(Debug)]
pub struct AppIo {
    pub url: String,
    pub state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for AppIo {
    fn drop(&mut self) {
        let h = self.handle.clone();
        tokio::spawn(async move { h.stop(false).await });
    }
}

fn problem(status: u16, detail: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .content_type("application/problem+json")
        .json(json!({"status": status, "title": detail, "detail": detail}))
}

fn gate(req: &HttpRequest, state: &Mutex<State>) -> Option<HttpResponse> {
    let mut s = state.lock().unwrap();
    if s.unavailable > 0 {
        s.unavailable -= 1;
        return Some(problem(503, "unavailable"));
    }
    let key = req
        .headers()
        .get("Ocp-Apim-Subscription-Key")
        .and_then(|v| v.to_str().ok());
    (key != Some(KEY)).then(|| problem(401, "Access denied due to invalid subscription key"))
}

fn fiscal_code(body: &Value) -> Option<String> {
    body["fiscal_code"]
        .as_str()
        .filter(|c| c.len() == 16 && c.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_owned)
}

async fn profiles(
    req: HttpRequest,
    state: web::Data<Arc<Mutex<State>>>,
    body: web::Json<Value>,
) -> HttpResponse {
    if let Some(r) = gate(&req, &state) {
        return r;
    }
    let Some(code) = fiscal_code(&body) else {
        return problem(400, "fiscal_code");
    };
    let s = state.lock().unwrap();
    if s.allowed.contains(&code) {
        HttpResponse::Ok().json(json!({"sender_allowed": true, "preferred_languages": ["it_IT"]}))
    } else if s.blocked.contains(&code) {
        HttpResponse::Ok().json(json!({"sender_allowed": false}))
    } else {
        problem(404, "Profile not found")
    }
}

async fn messages(
    req: HttpRequest,
    state: web::Data<Arc<Mutex<State>>>,
    body: web::Json<Value>,
) -> HttpResponse {
    if let Some(r) = gate(&req, &state) {
        return r;
    }
    let body = body.into_inner();
    let subject = body["content"]["subject"].as_str().unwrap_or_default();
    let markdown = body["content"]["markdown"].as_str().unwrap_or_default();
    let ttl_ok = body
        .get("time_to_live")
        .is_none_or(|t| t.as_u64().is_some_and(|t| (3600..=604_800).contains(&t)));
    if fiscal_code(&body).is_none()
        || !(10..=120).contains(&subject.chars().count())
        || !(80..=10_000).contains(&markdown.chars().count())
        || !ttl_ok
    {
        return problem(400, "Invalid message");
    }
    let mut s = state.lock().unwrap();
    s.messages.push(body);
    let id = format!("01J{:023}", s.messages.len());
    HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/messages/{id}")))
        .json(json!({ "id": id }))
}

pub async fn spawn() -> AppIo {
    let state = Arc::new(Mutex::new(State::default()));
    let data = web::Data::new(state.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/api/v1/profiles", web::post().to(profiles))
            .route("/api/v1/messages", web::post().to(messages))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let addr = server.addrs()[0];
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    AppIo {
        url: format!("http://{addr}"),
        state,
        handle,
    }
}
