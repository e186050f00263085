//! Guards: extractors that let a request reach a handler only when the person asking may use
//! it, so that a route cannot forget the check. [`StaffMember`] is the staff area's: a staff
//! session of this administration whose person still holds a role here (read at every
//! request, so a revoked role ends at once); the citizen's routes take
//! [`super::session::Citizen`] through `MaybeCitizen` and check the form's level themselves.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use istanze_domain::Acting;

use super::session::{Citizen, MaybeCitizen};
use super::tenant::Here;
use crate::error::ServerError;
use crate::state::AppState;
use crate::store::staff::Grant;

/// A logged-in member of the administration's staff (a session whose principal acts as
/// staff), with the roles they hold here. Without a session: [`ServerError::LoginRequired`]; a
/// citizen's session: [`ServerError::StaffOnly`]; a staff session whose roles were all revoked:
/// [`crate::staff::StaffError::NotStaff`].
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub who: Citizen,
    pub grants: Vec<Grant>,
}

impl FromRequest for StaffMember {
    type Error = ServerError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        // Checked already by the staff area's middleware for this request.
        if let Some(member) = req.extensions().get::<StaffMember>().cloned() {
            return Box::pin(async move { Ok(member) });
        }
        let session = MaybeCitizen::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let here = req.extensions().get::<Here>().cloned();
        Box::pin(async move {
            let Some(who) = session.await?.0 else {
                return Err(ServerError::LoginRequired);
            };
            match who.principal.acting {
                Acting::Staff => {}
                Acting::Citizen => return Err(ServerError::StaffOnly),
            }
            let (Some(state), Some(here)) = (state, here) else {
                return Err(ServerError::Internal("staff guard outside the app".into()));
            };
            let grants =
                crate::staff::grants_of(&state.scoped(&here.tenant.id), &who.principal).await?;
            Ok(StaffMember { who, grants })
        })
    }
}
