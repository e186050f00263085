//! Which administration a request is for: `/enti/<ipa_code>/...` names it (and the prefix is
//! taken off before routing, so every route exists under every administration); otherwise a
//! host name configured for one of them, otherwise the installation's own.
//!
//! Handlers take [`Here`]: the administration and the base path their links and redirects
//! start with.

use std::future::{ready, Future, Ready};
use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::error::ServerError;
use crate::state::AppState;
use crate::tenant::Tenant;

/// The administration of this request and where its pages live.
#[derive(Debug, Clone)]
pub struct Here {
    pub tenant: Arc<Tenant>,
    /// `""` at the root (the default administration, or one on its own host name), or
    /// `/enti/<ipa_code>`.
    pub base: String,
}

impl Here {
    /// The administration's id, the scope of every query made for this request.
    pub fn admin(&self) -> &str {
        self.tenant.id.as_str()
    }
}

impl FromRequest for Here {
    type Error = ServerError;
    type Future = Ready<Result<Here, ServerError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<Here>()
                .cloned()
                .ok_or_else(|| ServerError::Internal("no administration for the request".into())),
        )
    }
}

/// Finds the administration, strips its prefix from the path, and stores a [`Here`].
pub fn middleware<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    // Decided before the call, so that the future owns everything it needs.
    let routed = match resolve(req) {
        Ok((req, base)) => Ok((srv.call(req), base)),
        Err(refused) => Err(refused),
    };
    async move {
        match routed {
            Err(refused) => Ok(refused.map_into_right_body()),
            Ok((call, base)) => {
                let mut res = call.await?;
                if !base.is_empty() {
                    relocate(&mut res, &base);
                }
                Ok(res.map_into_left_body())
            }
        }
    }
}

/// The request with its administration found (and its prefix taken off), and its base; or the
/// answer for an administration that does not exist.
fn resolve(mut req: ServiceRequest) -> Result<(ServiceRequest, String), Box<ServiceResponse>> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(refuse(req, ServerError::Internal("no state".into())));
    };
    let path = req.path().to_owned();
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .map(|h| {
            h.rsplit_once(':')
                .map_or(h, |(name, _)| name)
                .to_ascii_lowercase()
        });
    let on_own_host = host
        .as_deref()
        .and_then(|h| state.tenants.by_host(h))
        .cloned();
    let here = match path.strip_prefix("/enti/") {
        Some(rest) => {
            let (code, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let Some(tenant) = state.tenants.get(code) else {
                return Err(refuse(req, ServerError::NotFound));
            };
            // On an administration's own host name, no other administration is served.
            if on_own_host.as_ref().is_some_and(|t| t.id != tenant.id) {
                return Err(refuse(req, ServerError::NotFound));
            }
            let tail = if tail.is_empty() { "/" } else { tail };
            let uri = match req.uri().query() {
                Some(q) => format!("{tail}?{q}"),
                None => tail.to_owned(),
            };
            // An administration with a host name of its own lives there (its SP and cookies
            // do): its base path on the installation's host sends the browser over.
            if on_own_host.is_none() && !tenant.public_url.starts_with(&state.public_url) {
                let to = format!("{}{uri}", tenant.public_url);
                let response = actix_web::HttpResponse::PermanentRedirect()
                    .insert_header((actix_web::http::header::LOCATION, to))
                    .finish();
                return Err(Box::new(req.into_response(response)));
            }
            let Ok(uri) = uri.parse::<Uri>() else {
                return Err(refuse(req, ServerError::NotFound));
            };
            req.match_info_mut().get_mut().update(&uri);
            req.head_mut().uri = uri;
            Here {
                tenant: tenant.clone(),
                base: tenant.base_path.clone(),
            }
        }
        None => {
            let tenant = match on_own_host {
                Some(t) => t,
                // With host names configured, a request for none of them and not for the
                // installation's own is misdirected (a proxy that rewrites Host, say): it
                // must not silently become the installation's own administration's.
                None if state.tenants.has_hosts()
                    && host.as_deref() != installation_host(&state.public_url).as_deref() =>
                {
                    return Err(refuse(req, ServerError::NotFound));
                }
                None => state.tenants.default_tenant().clone(),
            };
            Here {
                tenant,
                base: String::new(),
            }
        }
    };
    let base = here.base.clone();
    req.extensions_mut().insert(here);
    Ok((req, base))
}

/// Handlers redirect to paths of the administration (`/domande/...`); under a base path the
/// browser must be sent to `<base>/domande/...`. Absolute URLs (an IdP) stay as they are.
fn relocate<B>(res: &mut ServiceResponse<B>, base: &str) {
    use actix_web::http::header::{HeaderValue, LOCATION};
    let Some(location) = res
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
    else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(&format!("{base}{location}")) {
        res.headers_mut().insert(LOCATION, v);
    }
}

fn installation_host(public_url: &str) -> Option<String> {
    url::Url::parse(public_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
}

fn refuse(req: ServiceRequest, e: ServerError) -> Box<ServiceResponse> {
    let response = super::error_response(req.path(), e);
    Box::new(req.into_response(response))
}
