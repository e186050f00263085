//! `POST /api/v1/oauth/token`: the OAuth2 client credentials grant (RFC 6749 §4.4) for the
//! office API. The client authenticates with HTTP Basic (`client_id:client_secret`, each
//! form-urlencoded, §2.3.1) or with `client_id` and `client_secret` in the form; the answer is
//! a bearer access token for an hour (§5.1), or an error of §5.2.

use actix_web::{web, HttpRequest, HttpResponse};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api_tokens::{self, TokenError};
use crate::state::AppState;
use crate::web::tenant::Here;

/// The token request (form-urlencoded).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// `client_credentials`.
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Role codes, space-separated, among the client's: the token carries only these (all
    /// of the client's when absent).
    pub scope: Option<String>,
}

/// An access token (RFC 6749 §5.1).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// `Bearer`.
    pub token_type: &'static str,
    /// Seconds.
    pub expires_in: i64,
    /// The roles it carries, space-separated.
    pub scope: String,
}

/// An error of RFC 6749 §5.2.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenErrorBody {
    /// `invalid_request`, `invalid_client`, `invalid_scope` or `unsupported_grant_type`.
    pub error: &'static str,
    pub error_description: String,
}

fn refuse(
    status: actix_web::http::StatusCode,
    error: &'static str,
    description: &str,
) -> HttpResponse {
    let mut r = HttpResponse::build(status);
    r.insert_header(("Cache-Control", "no-store"));
    if error == "invalid_client" {
        r.insert_header(("WWW-Authenticate", "Basic realm=\"istanze\""));
    }
    r.json(TokenErrorBody {
        error,
        error_description: description.to_owned(),
    })
}

/// The client's id and secret from HTTP Basic.
fn basic(req: &HttpRequest) -> Option<(String, String)> {
    let value = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

/// Issues an access token to an OAuth2 client of the office API.
#[utoipa::path(post, path = "/api/v1/oauth/token", operation_id = "oauth_token", tag = "office",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token for an hour", body = TokenResponse),
        (status = 400, description = "A malformed request, a grant other than client_credentials, or a scope beyond the client's roles", body = TokenErrorBody),
        (status = 401, description = "An unknown, wrong or revoked client", body = TokenErrorBody)),
    security(("client_basic" = [])))]
pub(crate) async fn token(
    state: web::Data<AppState>,
    here: Here,
    req: HttpRequest,
    body: Result<web::Form<TokenRequest>, actix_web::Error>,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    let Ok(body) = body else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "a form-urlencoded body is expected",
        );
    };
    if body.grant_type.as_deref() != Some("client_credentials") {
        return refuse(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only client_credentials is supported",
        );
    }
    let (id, secret) = match (basic(&req), &body.client_id, &body.client_secret) {
        (Some(pair), None, None) => pair,
        (None, Some(id), Some(secret)) => (id.clone(), secret.clone()),
        // RFC 6749 §2.3: one way of authenticating at a time.
        _ => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "authenticate with HTTP Basic or with client_id and client_secret",
            )
        }
    };
    let db = state.scoped(&here.tenant.id);
    let ids = state.ids.clone();
    let draw = move |n: usize| ids.token(n);
    let scope = body.scope.as_deref();
    match api_tokens::client_credentials(&db, &id, &secret, scope, &draw, state.clock.now()).await {
        Ok(made) => HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .insert_header(("Pragma", "no-cache"))
            .json(TokenResponse {
                access_token: made.secret,
                token_type: "Bearer",
                expires_in: api_tokens::ACCESS_SECONDS,
                scope: made.credential.roles.replace(',', " "),
            }),
        Err(TokenError::Scope) => refuse(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "the scope names roles the client does not have",
        ),
        Err(TokenError::Store(e)) => actix_web::ResponseError::error_response(
            &crate::error::ApiError(crate::error::ServerError::Store(e)),
        ),
        Err(_) => refuse(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown, wrong or revoked client",
        ),
    }
}
