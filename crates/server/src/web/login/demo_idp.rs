//! The demo identity provider's endpoints (mounted only in demo mode; 404 otherwise).

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};

use istanze_auth::demo_idp::{DemoIdp, ResponseIds};
use serde::Deserialize;

use crate::error::ServerError;
use crate::state::AppState;
use crate::tenant::Tenant;
use crate::web::session::MaybeCitizen;
use crate::web::tenant::Here;
use crate::web::{page, views};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/demo-idp/metadata", web::get().to(metadata))
        .route("/demo-idp/users", web::get().to(users))
        .route("/demo-idp/sso", web::get().to(sso_redirect))
        .route("/demo-idp/sso", web::post().to(sso_post))
        .route("/demo-idp/slo", web::get().to(slo));
}

/// The installation's Service Provider that sent the message in `raw_query` (an installation
/// runs one per administration, and aggregated ones share the aggregator's key), with its
/// certificate: the message's Issuer picks it, and that certificate must then verify it.
fn sender(state: &AppState, raw_query: &str) -> Result<(Arc<Tenant>, Vec<u8>), ServerError> {
    let issuer = demo(state)?.issuer_of(raw_query)?;
    let tenant = state
        .tenants
        .by_entity_id(&issuer)
        .cloned()
        .ok_or_else(|| {
            ServerError::BadRequest("the demo IdP only serves this installation's services".into())
        })?;
    let cert = tenant
        .sp
        .key
        .certificate()
        .to_der()
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok((tenant, cert))
}

fn demo(state: &AppState) -> Result<&DemoIdp, ServerError> {
    state.demo_idp.as_ref().ok_or(ServerError::NotFound)
}

async fn metadata(state: web::Data<AppState>) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::Ok()
        .content_type("application/samlmetadata+xml")
        .body(demo(&state)?.metadata()?))
}

/// The test people, each with `staff_role`: the role code a demo member of staff holds at
/// every administration of the demo, or `null` for a citizen.
async fn users(state: web::Data<AppState>) -> Result<HttpResponse, ServerError> {
    let users = demo(&state)?
        .users()
        .iter()
        .map(|u| {
            let mut v =
                serde_json::to_value(u).map_err(|e| ServerError::Internal(e.to_string()))?;
            v["staff_role"] = serde_json::json!(
                crate::staff::demo_role(&u.fiscal_number).map(istanze_domain::Role::code)
            );
            Ok(v)
        })
        .collect::<Result<Vec<serde_json::Value>, ServerError>>()?;
    Ok(HttpResponse::Ok().json(users))
}

/// Receives the AuthnRequest over HTTP-Redirect, verifies its signature with the SP's
/// certificate, and lets the user pick a test citizen.
async fn sso_redirect(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    citizen: MaybeCitizen,
) -> Result<HttpResponse, ServerError> {
    let idp = demo(&state)?;
    let (_, sp_cert) = sender(&state, req.query_string())?;
    // Signature verification: on the CPU pool (see crate::cpu), like the SP's own.
    {
        let (state, query) = (state.clone(), req.query_string().to_owned());
        state
            .cpu
            .clone()
            .run(move || {
                demo(&state)?
                    .receive_redirect(&query, &sp_cert)
                    .map_err(ServerError::from)
            })
            .await??;
    }
    let param = |name: &str| {
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    views::html(&views::DemoUsersTemplate {
        page: page(
            &state,
            &here,
            citizen.0.as_ref(),
            "identity-provider-dimostrativo",
        ),
        saml_request: param("SAMLRequest"),
        relay_state: param("RelayState"),
        users: idp
            .users()
            .iter()
            .map(|u| views::DemoChoice {
                fiscal_number: u.fiscal_number.clone(),
                name: u.name.clone(),
                family_name: u.family_name.clone(),
                staff_role: crate::staff::demo_role(&u.fiscal_number)
                    .map(crate::web::office::role_label),
            })
            .collect(),
    })
}

#[derive(Deserialize)]
struct SsoForm {
    #[serde(rename = "SAMLRequest")]
    saml_request: String,
    #[serde(rename = "RelayState")]
    relay_state: Option<String>,
    user: String,
}

/// Answers with a signed Response in a page that posts it to the ACS.
async fn sso_post(
    state: web::Data<AppState>,
    here: Here,
    form: web::Form<SsoForm>,
) -> Result<HttpResponse, ServerError> {
    let idp = demo(&state)?;
    let request = idp.read_request(&form.saml_request)?;
    let Some(tenant) = state.tenants.by_entity_id(&request.issuer).cloned() else {
        return Err(ServerError::BadRequest(
            "the demo IdP only serves this installation's services".into(),
        ));
    };
    let ids = ResponseIds {
        response_id: state.ids.saml_id(),
        assertion_id: state.ids.saml_id(),
        name_id: state.ids.saml_id(),
    };
    let response = {
        let (state, user, acs) = (state.clone(), form.user.clone(), tenant.sp.acs_url.clone());
        state
            .cpu
            .clone()
            .run(move || {
                demo(&state)?
                    .respond(&request, &user, &acs, &ids, state.clock.now())
                    .map_err(ServerError::from)
            })
            .await??
    };
    views::html(&views::DemoPostTemplate {
        page: page(&state, &here, None, "ritorno-servizio"),
        acs_url: tenant.sp.acs_url.clone(),
        saml_response: response,
        relay_state: form.relay_state.clone().unwrap_or_default(),
    })
}

/// Answers the service's signed LogoutRequest with a signed LogoutResponse.
async fn slo(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ServerError> {
    let (tenant, sp_cert) = sender(&state, req.query_string())?;
    let (pool_state, query) = (state.clone(), req.query_string().to_owned());
    let response_id = state.ids.saml_id();
    let url = state
        .cpu
        .run(move || {
            demo(&pool_state)?
                .answer_logout(
                    &query,
                    &sp_cert,
                    &tenant.sp.slo_url,
                    &response_id,
                    pool_state.clock.now(),
                )
                .map_err(ServerError::from)
        })
        .await??;
    Ok(HttpResponse::Found()
        .insert_header(("Location", url))
        .finish())
}
