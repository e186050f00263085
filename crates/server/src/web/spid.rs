//! SPID endpoints: SP metadata, the login redirect, the Assertion Consumer Service and the
//! logout endpoint.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use istanze_auth::saml::acs::{self, Expected};
use istanze_auth::saml::authn_request::{self, AuthnRequest};
use istanze_auth::saml::metadata;
use istanze_auth::{AuthError, Level};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde::Deserialize;

use super::see_other;
use super::session::{self, MaybeCitizen};
use crate::db::authn_request as pending;
use crate::error::ServerError;
use crate::random;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/spid/metadata", web::get().to(sp_metadata))
        .route("/cie/metadata", web::get().to(cie_metadata))
        .route("/spid/login", web::get().to(login))
        .route("/spid/acs", web::post().to(assertion_consumer))
        .route("/spid/slo", web::get().to(single_logout))
        .route("/spid/slo", web::post().to(single_logout));
}

async fn sp_metadata(state: web::Data<AppState>) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::Ok()
        .content_type("application/samlmetadata+xml")
        .body(metadata::sp_metadata(&state.sp)?))
}

/// The same service described for the CIE federation.
async fn cie_metadata(state: web::Data<AppState>) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::Ok()
        .content_type("application/samlmetadata+xml")
        .body(metadata::cie_metadata(&state.sp)?))
}

#[derive(Deserialize)]
struct LoginQuery {
    idp: String,
    next: Option<String>,
    level: Option<u8>,
}

/// Stores a pending request and sends the browser to the IdP with a signed AuthnRequest.
async fn login(
    state: web::Data<AppState>,
    q: web::Query<LoginQuery>,
) -> Result<HttpResponse, ServerError> {
    let idp = state.idp(&q.idp).ok_or(AuthError::UnknownIdp)?;
    let level = Level::from_number(q.level.unwrap_or(2))
        .ok_or_else(|| ServerError::BadRequest("level".into()))?;
    let next = session::local_path(q.next.as_deref());
    let id = random::saml_id();
    let now = Utc::now();
    // RelayState is opaque and carries no URL (SPID rule): the pending row knows where to go.
    let relay_state = random::token(16);
    let binding = random::token(32);
    let url = authn_request::redirect_url(
        &state.sp,
        &AuthnRequest {
            id: &id,
            idp,
            level,
            attribute_set: 0,
            relay_state: &relay_state,
            now,
        },
    )?;
    pending::Entity::insert(pending::ActiveModel {
        id: Set(id),
        idp: Set(idp.entity_id.clone()),
        level: Set(i16::from(level.number())),
        next: Set(next),
        binding: Set(random::sha256_hex(binding.as_bytes())),
        created_at: Set(now),
        used_at: Set(None),
    })
    .exec_without_returning(&state.db)
    .await?;
    // 302, not 303: the SAML HTTP-Redirect binding and the SPID validator expect Found.
    let mut resp = HttpResponse::Found()
        .insert_header(("Location", url))
        .finish();
    resp.add_cookie(&session::login_cookie(&state, binding))
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(resp)
}

#[derive(Deserialize)]
struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
}

/// Checks the IdP's Response. The pending request is consumed before the checks, so a
/// response (genuine or not) can be used at most once, and only by the browser that started
/// the login (its login cookie matches the request's binding).
async fn assertion_consumer(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<AcsForm>,
) -> Result<HttpResponse, ServerError> {
    let now = Utc::now();
    let envelope = acs::decode(&form.saml_response)?;
    let request_id = envelope
        .in_response_to
        .clone()
        .ok_or(AuthError::UnknownRequest)?;
    let binding = req
        .cookie(session::LOGIN_COOKIE)
        .map(|c| random::sha256_hex(c.value().as_bytes()))
        .unwrap_or_default();
    let ttl = Duration::seconds(state.settings.spid.request_ttl_seconds);
    let consumed = pending::Entity::update_many()
        .col_expr(pending::Column::UsedAt, Expr::value(Some(now)))
        .filter(pending::Column::Id.eq(&request_id))
        .filter(pending::Column::UsedAt.is_null())
        .filter(pending::Column::Binding.eq(binding))
        .filter(pending::Column::CreatedAt.gt(now - ttl))
        .exec(&state.db)
        .await?;
    if consumed.rows_affected != 1 {
        return Err(AuthError::UnknownRequest.into());
    }
    let request = pending::Entity::find_by_id(&request_id)
        .one(&state.db)
        .await?
        .ok_or(AuthError::UnknownRequest)?;
    let idp = state.idp(&request.idp).ok_or(AuthError::UnknownIdp)?;
    let level = u8::try_from(request.level)
        .ok()
        .and_then(Level::from_number)
        .ok_or_else(|| ServerError::Internal("stored level".into()))?;
    let expected = Expected {
        request_id: &request.id,
        request_instant: request.created_at,
        idp,
        level,
    };
    let identity = acs::validate(&state.sp, &envelope, &expected, now)?;
    tracing::info!(provider = %identity.provider, level = identity.level.number(), "login");
    let cookie = session::create(&state, &identity).await?;
    let mut resp = see_other(&request.next);
    let mut done = session::login_cookie(&state, String::new());
    done.make_removal();
    resp.add_cookie(&cookie)
        .and_then(|_| resp.add_cookie(&done))
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(resp)
}

/// Ends the local session. A LogoutResponse from the IdP arrives here too and lands on the
/// home page; SP-initiated signed LogoutRequest and IdP-initiated logout are still to come.
async fn single_logout(
    state: web::Data<AppState>,
    citizen: MaybeCitizen,
) -> Result<HttpResponse, ServerError> {
    let cookie = session::destroy(&state, citizen.0.as_ref()).await?;
    let mut resp = see_other("/");
    resp.add_cookie(&cookie)
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(resp)
}
