//! The web application: routes, security headers, body limits, static assets.
//!
//! The routes are grouped by audience, each group a module with its own guards:
//! - [`citizen`]: the citizen's pages (catalogue, service form and steps, my applications);
//! - [`login`]: SPID/CIE/eIDAS over SAML (`/spid/...`, `/cie/metadata`) and the demo IdP;
//! - [`api`]: the JSON API under `/api/v1`;
//! - [`office`]: the staff's area under `/ufficio`, every route behind the staff guard.
//!
//! Shared by them: [`tenant`] (which administration a request is for), [`session`] and
//! [`guards`] (who is asking, and what they may do), [`client_addr`] and [`ratelimit`] (from
//! where, how often), [`lang`], [`views`] (templates), assets and the logo.

pub mod api;
mod assets;
pub mod citizen;
pub mod client_addr;
pub mod guards;
mod lang;
pub mod login;
pub mod logo;
pub mod office;
pub mod openapi;
pub mod ratelimit;
mod reply_body;
pub mod session;
pub mod tenant;
mod urlencoded;
pub mod views;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::error::{JsonPayloadError, UrlencodedError};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, App, HttpResponse, HttpServer};
use sea_orm::ConnectionTrait;

use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use session::Citizen;
use views::Page;

/// Builds the HTTP server on an already bound listener.
pub fn server(state: Arc<AppState>, listener: TcpListener) -> Result<Server, ServerError> {
    let data = web::Data::from(state);
    let limit = data.settings.server.max_body_bytes;
    let demo = data.demo();
    let proxies = client_addr::TrustedProxies::parse(&data.settings.server.trusted_proxies)
        .map_err(ServerError::Internal)?;
    let limiter = Arc::new(ratelimit::Limiter::new(
        &data.settings.rate_limit,
        demo,
        proxies,
    ));
    let server = HttpServer::new(move || {
        let limiter = limiter.clone();
        App::new()
            .app_data(data.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(|e, _| ApiError(json_error(e)).into()),
            )
            .app_data(
                web::FormConfig::default()
                    .limit(limit)
                    .error_handler(|e, _| form_error(e).into()),
            )
            // Listed from the innermost: a refusal by the first two still gets the security
            // headers and the request's language.
            .wrap_fn(move |req, srv| ratelimit::middleware(&limiter, req, srv))
            .wrap_fn(client_addr::refuse_proxied_demo)
            .wrap_fn(lang::middleware)
            .wrap_fn(tenant::middleware)
            // Outside the administration's: its refusals (an unknown one) get them too.
            .wrap(security_headers(demo))
            .wrap(tracing_actix())
            .route("/healthz", web::get().to(healthz))
            .configure(citizen::routes)
            .configure(login::routes)
            // The office's API before the citizen's: `/api/v1` would take `/api/v1/office`.
            .configure(office::api::routes)
            .configure(api::routes)
            .configure(office::routes)
            .route("/static/{path:.*}", web::get().to(assets::serve))
            .route("/logo", web::get().to(logo::serve))
            .route("/tema.css", web::get().to(logo::theme))
            .default_service(web::to(not_found))
    })
    .workers(2)
    .listen(listener)
    .map_err(|e| ServerError::Internal(e.to_string()))?
    .run();
    Ok(server)
}

fn security_headers(demo: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ));
    if demo {
        // Plain http on loopback: a browser would ignore it anyway, and remembering it for
        // 127.0.0.1 would break other local development servers.
        headers
    } else {
        headers.add((
            "Strict-Transport-Security",
            "max-age=31536000; includeSubDomains",
        ))
    }
}

fn tracing_actix() -> actix_web::middleware::Logger {
    // Path only, never the query string: it can carry SAML messages.
    actix_web::middleware::Logger::new("%m %U %s %Dms").exclude("/healthz")
}

fn json_error(e: JsonPayloadError) -> ServerError {
    match e {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ServerError::TooLarge
        }
        JsonPayloadError::ContentType => ServerError::UnsupportedMediaType,
        other => ServerError::BadRequest(other.to_string()),
    }
}

fn form_error(e: UrlencodedError) -> ServerError {
    match e {
        UrlencodedError::Overflow { .. } => ServerError::TooLarge,
        UrlencodedError::ContentType => ServerError::UnsupportedMediaType,
        other => ServerError::BadRequest(other.to_string()),
    }
}

/// 200 when the database answers.
async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => HttpResponse::Ok().json(serde_json::json!({"status": "ok"})),
        Err(_) => HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({"status": "database unavailable"})),
    }
}

async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    error_response(req.path(), ServerError::NotFound)
}

/// An error answered outside a handler: JSON under `/api/`, the error page elsewhere.
pub(crate) fn error_response(path: &str, e: ServerError) -> HttpResponse {
    use actix_web::ResponseError;
    let local = path
        .strip_prefix("/enti/")
        .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or(path);
    if local.starts_with("/api/") {
        ApiError(e).error_response()
    } else {
        e.error_response()
    }
}

/// The layout data for a page.
pub fn page(state: &AppState, here: &tenant::Here, citizen: Option<&Citizen>, title: &str) -> Page {
    Page {
        title: crate::i18n::tr(title),
        base: here.base.clone(),
        admin: here.tenant.admin().name.clone(),
        admin_url: here.tenant.admin().url.clone(),
        demo: state.demo(),
        test_idps: state.test_idps(),
        user: citizen.map(Citizen::display_name),
        csrf: citizen.map(|c| c.csrf.clone()).unwrap_or_default(),
        lang: crate::i18n::current(),
        logo: here.tenant.logo.is_some(),
    }
}

/// A 303 redirect.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// Routes a `multipart/form-data` request (a form with files) to its own handler.
pub(crate) fn multipart() -> impl actix_web::guard::Guard {
    actix_web::guard::fn_guard(|ctx| {
        ctx.head()
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"))
    })
}
