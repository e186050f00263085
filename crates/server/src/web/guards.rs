//! Guards: extractors that let a request reach a handler only when the person asking may use
//! it, so that a route cannot forget the check. [`StaffMember`] is the staff area's; the
//! citizen's routes take [`super::session::Citizen`] through `MaybeCitizen` and check the
//! form's level themselves. Roles per office join [`StaffMember`] with the back office.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest};
use istanze_domain::Acting;

use super::session::{Citizen, MaybeCitizen};
use crate::error::ServerError;

/// A logged-in member of the administration's staff (a session whose principal acts as
/// staff). Without a session: [`ServerError::LoginRequired`]; a citizen's session:
/// [`ServerError::StaffOnly`].
#[derive(Debug, Clone)]
pub struct StaffMember(pub Citizen);

impl FromRequest for StaffMember {
    type Error = ServerError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let session = MaybeCitizen::from_request(req, payload);
        Box::pin(async move {
            let Some(who) = session.await?.0 else {
                return Err(ServerError::LoginRequired);
            };
            match who.principal.acting {
                Acting::Staff => Ok(StaffMember(who)),
                Acting::Citizen => Err(ServerError::StaffOnly),
            }
        })
    }
}
