//! Guards: extractors that let a request reach a handler only when the person asking may use
//! it, so that a route cannot forget the check. [`StaffMember`] is the staff area's: a staff
//! session of this administration whose person still holds a role here (read at every
//! request, so a revoked role ends at once); the citizen's routes take
//! [`super::session::Citizen`] through `MaybeCitizen` and check the form's level themselves.
//! The office API also takes a bearer credential (see [`crate::api_tokens`]) in place of the
//! session: the same member, with the roles the credential names among those they hold.

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
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let here = req.extensions().get::<Here>().cloned();
        // Credentials are for the API only: a page is reached through a login.
        // The administration's base path is already taken off the request's path.
        if req.path().starts_with("/api/v1/office/") {
            if let Some(token) = bearer(req) {
                return Box::pin(async move {
                    let (Some(state), Some(here)) = (state, here) else {
                        return Err(ServerError::Internal("staff guard outside the app".into()));
                    };
                    by_credential(&state, &here, &token).await
                });
            }
        }
        let session = MaybeCitizen::from_request(req, payload);
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

/// The bearer credential of the request's `Authorization` header, if it has one.
pub(crate) fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?;
    let value = value.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// The member a bearer credential acts for, with its roles among those they hold now.
async fn by_credential(
    state: &AppState,
    here: &Here,
    token: &str,
) -> Result<StaffMember, ServerError> {
    use istanze_domain::{
        FiscalCode, LevelOfAssurance, Login, LoginMethod, Person, Principal, Subject,
    };
    let db = state.scoped(&here.tenant.id);
    let c = crate::api_tokens::bearer(&db, token, state.clock.now()).await?;
    let cf = FiscalCode::parse(&c.person).map_err(|_| crate::api_tokens::TokenError::Invalid)?;
    let principal = Principal {
        person: Person {
            subject: Subject::FiscalCode(cf),
            name: Some(c.given_name.clone()),
            family_name: Some(c.family_name.clone()),
            email: None,
            date_of_birth: None,
            attributes: Default::default(),
        },
        login: Login {
            method: LoginMethod::ApiCredential,
            level: LevelOfAssurance::SpidL2,
            provider: format!("api:{}", c.id),
        },
        acting: Acting::Staff,
    };
    let grants = crate::staff::grants_of(&db, &principal).await?;
    let grants = crate::api_tokens::narrowed(grants, &c);
    if grants.is_empty() {
        return Err(crate::staff::StaffError::NotStaff.into());
    }
    Ok(StaffMember {
        who: Citizen {
            session_id: format!("api:{}", c.id),
            principal,
            // Never matched: a bearer request carries no cookie for a forged form to ride on.
            csrf: state.ids.token(16),
            saml: None,
        },
        grants,
    })
}
