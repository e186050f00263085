//! The staff's area, nested at `/ufficio`: every request to it passes the staff guard
//! ([`super::guards::StaffMember`]) before any route is looked at, so a page added here later
//! cannot be reached by a citizen or an anonymous visitor even if its handler forgot to ask.
//! The back office's pages (queues, cases) and the form designer (`/ufficio/moduli`) are
//! routes of this scope.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, FromRequest, ResponseError};

use super::guards::StaffMember;
use crate::error::ServerError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/ufficio")
            .wrap(from_fn(staff_only))
            // Nothing for staff yet: the back office's pages are the next routes here.
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
        Ok(_) => Ok(next.call(req).await?.map_into_left_body()),
        Err(refusal) => Ok(req
            .into_response(refusal.error_response())
            .map_into_right_body()),
    }
}
