//! The staff's area, nested at `/ufficio`: every request to it passes the staff guard
//! ([`super::guards::StaffMember`]) before any route is looked at, so a page added here later
//! cannot be reached by a citizen or an anonymous visitor even if its handler forgot to ask.
//! The back office's pages (queues, cases) and the form designer (`/ufficio/moduli`) are
//! routes of this scope. Every request that passes is first recorded in the audit log (who,
//! what, on which application, when, from where): one that cannot be recorded is not served.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, FromRequest, HttpMessage, ResponseError};

pub(in crate::web) mod api;
pub(in crate::web) mod api_bulk;
pub(in crate::web) mod api_registrations;
pub(in crate::web) mod api_types;
mod bulk;
mod cases;
mod credentials;
mod desk;
pub(in crate::web) mod documents;
mod export;
mod filings;
mod home;
mod registrations;
pub(in crate::web) mod views;

pub(crate) use home::role_label;

use super::guards::StaffMember;
use crate::error::ServerError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/ufficio")
            .wrap(from_fn(staff_only))
            .route("", web::get().to(home::home))
            .route("/", web::get().to(home::home))
            .route("/domande", web::get().to(cases::list))
            // Before `/domande/{id}`, which would take `esporta` for an id.
            .route("/domande/esporta", web::get().to(export::export))
            .route("/domande/azioni", web::post().to(bulk::post))
            .route("/domande/{id}", web::get().to(cases::show))
            .route("/domande/{id}/eventi", web::post().to(cases::post_event))
            .route("/domande/{id}/assegna", web::post().to(desk::assign))
            .route("/domande/{id}/note", web::post().to(desk::note))
            .route("/domande/{id}/etichette", web::post().to(desk::label))
            .route(
                "/domande/{id}/documenti/{event}",
                web::get().to(documents::event_document),
            )
            .route("/domande/{id}/file/{file}", web::get().to(documents::file))
            .route("/credenziali", web::get().to(credentials::list))
            .route("/credenziali", web::post().to(credentials::make))
            .route(
                "/credenziali/{id}/revoca",
                web::post().to(credentials::revoke),
            )
            .route("/protocollazioni", web::get().to(filings::list))
            .route(
                "/protocollazioni/{job}/riprova",
                web::post().to(filings::retry),
            )
            .route(
                "/registrazioni/{year}/{number}",
                web::get().to(registrations::show),
            )
            .route(
                "/registrazioni/{year}/{number}/annulla",
                web::post().to(registrations::annul),
            )
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ServerError::NotFound)
            })),
    );
}

pub(super) async fn staff_only(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let guard = {
        let (http, payload) = req.parts_mut();
        StaffMember::from_request(http, payload)
    };
    match guard.await {
        Ok(member) => {
            if let Err(e) = audit(&req, &member).await {
                let response = if req.path().contains("/api/") {
                    crate::error::ApiError(e).error_response()
                } else {
                    e.error_response()
                };
                return Ok(req.into_response(response).map_into_right_body());
            }
            // The handlers take the member from here: the roles are read once per request.
            req.extensions_mut().insert(member);
            Ok(next.call(req).await?.map_into_left_body())
        }
        // The API's refusals in JSON, the pages' as a page.
        Err(refusal) if req.path().contains("/api/") => Ok(req
            .into_response(crate::error::ApiError(refusal).error_response())
            .map_into_right_body()),
        Err(refusal) => Ok(req
            .into_response(refusal.error_response())
            .map_into_right_body()),
    }
}

/// Records the staff request in the administration's audit log.
async fn audit(req: &ServiceRequest, member: &StaffMember) -> Result<(), ServerError> {
    let state = req
        .app_data::<web::Data<crate::state::AppState>>()
        .cloned()
        .ok_or_else(|| ServerError::Internal("staff area outside the app".into()))?;
    let here = req
        .extensions()
        .get::<crate::web::tenant::Here>()
        .cloned()
        .ok_or_else(|| ServerError::Internal("staff area without its administration".into()))?;
    let actor = member
        .who
        .principal
        .person
        .subject
        .fiscal_code()
        .map(|cf| cf.to_string())
        .unwrap_or_else(|| member.who.principal.owner());
    let path = req.path();
    // The application a request is about: `/ufficio/domande/<id>[/...]` or
    // `/api/v1/office/applications/<id>[/...]` (an id is a UUID; `esporta` is none).
    let object = ["/ufficio/domande/", "/office/applications/"]
        .iter()
        .find_map(|p| path.split_once(p))
        .and_then(|(_, rest)| rest.split('/').next())
        .filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .unwrap_or_default();
    let origin = crate::web::client_addr::origin_of(&state, req.request());
    let entry = crate::store::audit::NewEntry {
        actor: &actor,
        action: &format!("{} {path}", req.method()),
        object,
        origin: &origin,
        // A request made with an API credential names it.
        details: match member.who.session_id.strip_prefix("api:") {
            Some(credential) => {
                serde_json::json!({ "query": req.query_string(), "credential": credential })
            }
            None => serde_json::json!({ "query": req.query_string() }),
        },
    };
    crate::audit::record(&state.scoped(&here.tenant.id), entry, state.clock.now()).await?;
    Ok(())
}
