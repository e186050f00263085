//! SPID endpoints: SP metadata, the login redirect, the Assertion Consumer Service and the
//! logout endpoint.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Duration;
use istanze_auth::saml::acs::{self, Expected};
use istanze_auth::saml::authn_request::{self, AuthnRequest};
use istanze_auth::saml::logout::{self, LogoutMessage};
use istanze_auth::{AuthError, Level};
use serde::Deserialize;

use crate::error::ServerError;
use crate::random;
use crate::state::AppState;
use crate::store::login_requests::{LoginRequest, LoginRequestStore};
use crate::store::sessions::SessionStore;
use crate::web::see_other;
use crate::web::session;
use crate::web::tenant::Here;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/spid/metadata", web::get().to(sp_metadata))
        .route("/cie/metadata", web::get().to(cie_metadata))
        .route("/spid/login", web::get().to(login))
        .route("/spid/acs", web::post().to(assertion_consumer))
        .route("/spid/slo", web::get().to(single_logout))
        .route("/spid/slo", web::post().to(single_logout));
}

async fn sp_metadata(here: Here) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::Ok()
        .content_type("application/samlmetadata+xml")
        .body(here.tenant.metadata.spid.to_string()))
}

/// The same service described for the CIE federation.
async fn cie_metadata(here: Here) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::Ok()
        .content_type("application/samlmetadata+xml")
        .body(here.tenant.metadata.cie.to_string()))
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
    here: Here,
    q: web::Query<LoginQuery>,
) -> Result<HttpResponse, ServerError> {
    let idp = state.idp(&q.idp).ok_or(AuthError::UnknownIdp)?;
    let level = Level::from_number(q.level.unwrap_or(2))
        .ok_or_else(|| ServerError::BadRequest("level".into()))?;
    let next = session::local_path(q.next.as_deref());
    // The attributes asked for are those of the form the citizen is going to.
    let attribute_set = next
        .strip_prefix("/servizi/")
        .and_then(|form| here.tenant.form_attribute_sets.get(form))
        .copied()
        .unwrap_or(0);
    let id = state.ids.saml_id();
    let now = state.clock.now();
    // RelayState is opaque and carries no URL (SPID rule): the pending row knows where to go.
    let relay_state = state.ids.token(16);
    let binding = state.ids.token(32);
    let idp = idp.clone();
    let (url, idp, id) = {
        let tenant = here.tenant.clone();
        // RSA signing: on the CPU pool.
        state
            .cpu
            .clone()
            .run(move || {
                authn_request::redirect_url(
                    &tenant.sp,
                    &AuthnRequest {
                        id: &id,
                        idp: &idp,
                        level,
                        attribute_set,
                        relay_state: &relay_state,
                        now,
                    },
                )
                .map(|url| (url, idp, id))
            })
            .await??
    };
    state
        .scoped(&here.tenant.id)
        .remember(LoginRequest {
            id,
            provider: idp.entity_id.clone(),
            level,
            next,
            binding: random::sha256_hex(binding.as_bytes()),
            created_at: now,
        })
        .await?;
    // 302, not 303: the SAML HTTP-Redirect binding and the SPID validator expect Found.
    let mut resp = HttpResponse::Found()
        .insert_header(("Location", url))
        .finish();
    resp.add_cookie(&session::login_cookie(&state, &here, binding))
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
    here: Here,
    req: HttpRequest,
    form: web::Form<AcsForm>,
) -> Result<HttpResponse, ServerError> {
    let now = state.clock.now();
    let envelope = acs::decode(&form.saml_response)?;
    let request_id = envelope
        .in_response_to
        .clone()
        .ok_or(AuthError::UnknownRequest)?;
    let binding = req
        .cookie(&session::LOGIN_COOKIE.of(state.demo(), &here))
        .map(|c| random::sha256_hex(c.value().as_bytes()))
        .unwrap_or_default();
    let ttl = Duration::seconds(state.settings.spid.request_ttl_seconds);
    let request = state
        .scoped(&here.tenant.id)
        .take(&request_id, &binding, now - ttl, now)
        .await?
        .ok_or(AuthError::UnknownRequest)?;
    let idp = state.idp(&request.provider).ok_or(AuthError::UnknownIdp)?;
    let level = request.level;
    let expected = Expected {
        request_id: &request.id,
        request_instant: request.created_at,
        idp,
        level,
        eidas_node: state.eidas_idp.as_deref() == Some(idp.entity_id.as_str()),
    };
    // Signature verification: on the CPU pool, with what it needs moved there.
    let login = {
        let (tenant, idp, request_id, request_instant, eidas_node) = (
            here.tenant.clone(),
            idp.clone(),
            expected.request_id.to_owned(),
            expected.request_instant,
            expected.eidas_node,
        );
        state
            .cpu
            .clone()
            .run(move || {
                let expected = Expected {
                    request_id: &request_id,
                    request_instant,
                    idp: &idp,
                    level,
                    eidas_node,
                };
                acs::validate(&tenant.sp, &envelope, &expected, now)
            })
            .await??
    };
    let mut principal = crate::principal::citizen(&state, login.identity);
    // A login into the staff's area makes a staff session, for a person who holds a role
    // here; anyone else gets no session at all.
    if crate::staff::is_staff_area(&request.next) {
        principal = crate::staff::as_staff(&state.scoped(&here.tenant.id), principal)
            .await?
            .0;
    }
    tracing::info!(
        provider = %principal.login.provider,
        method = principal.login.method.label(),
        level = principal.level().number(),
        staff = principal.acting == istanze_domain::Acting::Staff,
        "login"
    );
    let cookie = session::create(&state, &here, &principal, Some(&login.session)).await?;
    // Checked again: a login started before an upgrade was stored with the older check.
    let mut resp = see_other(&session::local_path(Some(&request.next)));
    let mut done = session::login_cookie(&state, &here, String::new());
    done.make_removal();
    resp.add_cookie(&cookie)
        .and_then(|_| resp.add_cookie(&done))
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(resp)
}

/// The SLO endpoint. A LogoutResponse must answer the LogoutRequest this browser sent (its
/// ID is in the logout cookie); a LogoutRequest from an IdP closes the sessions it names and
/// is answered with a signed LogoutResponse. Without a SAML message nothing happens, so that a
/// cross-site link cannot log anyone out.
async fn single_logout(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    form: Option<web::Form<SloForm>>,
) -> Result<HttpResponse, ServerError> {
    let now = state.clock.now();
    let posted = form.and_then(|f| f.into_inner().message());
    let query = req.query_string().to_owned();
    if posted.is_none() && !query.contains("SAMLRequest=") && !query.contains("SAMLResponse=") {
        return Ok(see_other("/"));
    }
    // Signature verification: on the CPU pool.
    let (message, idp_id) = {
        let (state, tenant) = (state.clone(), here.tenant.clone());
        state
            .cpu
            .clone()
            .run(move || {
                let slo = &tenant.sp.slo_url;
                let (message, idp) = match posted {
                    Some(encoded) => logout::receive_post(&encoded, &state.idps, slo, now)?,
                    None => logout::receive_redirect(&query, &state.idps, slo, now)?,
                };
                Ok::<_, AuthError>((message, idp.entity_id.clone()))
            })
            .await??
    };
    let idp = state.idp(&idp_id).ok_or(AuthError::UnknownIdp)?;
    match message {
        LogoutMessage::Response {
            in_response_to,
            success,
        } => {
            let pending = req
                .cookie(&session::LOGOUT_COOKIE.of(state.demo(), &here))
                .map(|c| c.value().to_owned());
            if pending.as_deref() != Some(in_response_to.as_str()) {
                return Err(AuthError::UnknownRequest.into());
            }
            if !success {
                tracing::warn!(idp = %idp.entity_id, "the IdP did not confirm the logout");
            }
            let mut done = session::logout_cookie(&state, &here, String::new());
            done.make_removal();
            let mut resp = see_other("/");
            resp.add_cookie(&done)
                .map_err(|e| ServerError::Internal(e.to_string()))?;
            Ok(resp)
        }
        LogoutMessage::Request {
            id,
            name_id,
            session_index,
        } => {
            // NameID always, SessionIndex too when given: an IdP that reuses index values
            // must not end other citizens' sessions.
            let closed = state
                .scoped(&here.tenant.id)
                .close_saml(&idp.entity_id, &name_id, session_index.as_deref())
                .await?;
            tracing::info!(idp = %idp.entity_id, closed, "IdP-initiated logout");
            let (sp, idp) = (here.tenant.sp.clone(), idp.clone());
            let response_id = state.ids.saml_id();
            let url = state
                .cpu
                .run(move || logout::response_url(&sp, &idp, &id, &response_id, now))
                .await??;
            Ok(HttpResponse::Found()
                .insert_header(("Location", url))
                .finish())
        }
    }
}

#[derive(Deserialize)]
struct SloForm {
    #[serde(rename = "SAMLRequest")]
    request: Option<String>,
    #[serde(rename = "SAMLResponse")]
    response: Option<String>,
}

impl SloForm {
    fn message(self) -> Option<String> {
        self.request.or(self.response)
    }
}

/// Local logout, then the SP-initiated SAML logout when the IdP offers one.
pub(crate) async fn logout_redirect(
    state: &AppState,
    here: &Here,
    citizen: Option<&session::Citizen>,
) -> Result<HttpResponse, ServerError> {
    let cookie = session::destroy(state, here, citizen).await?;
    let saml = citizen.and_then(|c| c.saml.as_ref());
    let idp = saml
        .and_then(|s| state.idp(&s.idp))
        .filter(|i| i.slo_redirect.is_some());
    let mut resp = match (saml, idp) {
        (Some(saml), Some(idp)) => {
            let id = state.ids.saml_id();
            let (sp, idp, saml, request_id) = (
                here.tenant.sp.clone(),
                idp.clone(),
                saml.clone(),
                id.clone(),
            );
            let now = state.clock.now();
            let relay_state = state.ids.token(16);
            let url = state
                .cpu
                .run(move || logout::request_url(&sp, &idp, &saml, &request_id, &relay_state, now))
                .await??;
            let mut resp = HttpResponse::Found()
                .insert_header(("Location", url))
                .finish();
            resp.add_cookie(&session::logout_cookie(state, here, id))
                .map_err(|e| ServerError::Internal(e.to_string()))?;
            resp
        }
        _ => see_other("/"),
    };
    resp.add_cookie(&cookie)
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(resp)
}
