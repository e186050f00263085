//! The staff's area, nested at `/ufficio`: every request to it passes the staff guard
//! ([`super::guards::StaffMember`]) before any route is looked at, so a page added here later
//! cannot be reached by a citizen or an anonymous visitor even if its handler forgot to ask.
//! The back office's pages (queues, cases) and the form designer (`/ufficio/moduli`) are
//! routes of this scope.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, FromRequest, HttpMessage, ResponseError};

mod cases;
mod documents;
mod home;
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
            .route("/domande/{id}", web::get().to(cases::show))
            .route("/domande/{id}/eventi", web::post().to(cases::post_event))
            .route(
                "/domande/{id}/documenti/{event}",
                web::get().to(documents::event_document),
            )
            .route("/domande/{id}/file/{file}", web::get().to(documents::file))
            .default_service(web::to(|| async {
                Err::<actix_web::HttpResponse, _>(ServerError::NotFound)
            })),
    );
}

async fn staff_only(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let guard = {
        let (http, payload) = req.parts_mut();
        StaffMember::from_request(http, payload)
    };
    match guard.await {
        Ok(member) => {
            // The handlers take the member from here: the roles are read once per request.
            req.extensions_mut().insert(member);
            Ok(next.call(req).await?.map_into_left_body())
        }
        Err(refusal) => Ok(req
            .into_response(refusal.error_response())
            .map_into_right_body()),
    }
}
