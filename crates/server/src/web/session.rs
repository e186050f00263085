//! Sessions: a random token in an HttpOnly, SameSite=Lax cookie (Secure outside demo); the
//! database keeps only the token's SHA-256, the identity and a CSRF token. Sessions end after
//! a configurable idle time.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpRequest};
use chrono::{Duration, Utc};
use istanze_auth::saml::logout::SamlSession;
use istanze_auth::Identity;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::db::session;
use crate::error::ServerError;
use crate::random;
use crate::state::AppState;

pub const COOKIE: &str = "istanze_session";
/// Binds a login in progress to the browser that started it.
pub const LOGIN_COOKIE: &str = "istanze_login";
/// Holds the ID of our LogoutRequest until the IdP answers it.
pub const LOGOUT_COOKIE: &str = "istanze_logout";

/// A logged-in citizen.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub session_id: String,
    pub identity: Identity,
    pub csrf: String,
    /// The SAML session to end at logout, when the login came from a SAML IdP.
    pub saml: Option<SamlSession>,
}

impl Citizen {
    /// The name shown in the header.
    pub fn display_name(&self) -> String {
        let i = &self.identity;
        match (&i.name, &i.family_name) {
            (Some(n), Some(f)) => format!("{n} {f}"),
            _ => i.fiscal_number.clone(),
        }
    }
}

/// The citizen, if the request carries a valid session cookie.
#[derive(Debug, Clone)]
pub struct MaybeCitizen(pub Option<Citizen>);

impl FromRequest for MaybeCitizen {
    type Error = ServerError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req.cookie(COOKIE).map(|c| c.value().to_owned());
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Ok(MaybeCitizen(None));
            };
            Ok(MaybeCitizen(load(&state, &token).await?))
        })
    }
}

async fn load(state: &AppState, token: &str) -> Result<Option<Citizen>, ServerError> {
    let now = Utc::now();
    let id = random::sha256_hex(token.as_bytes());
    let Some(row) = session::Entity::find_by_id(&id)
        .filter(session::Column::ExpiresAt.gt(now))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let idle = Duration::minutes(state.settings.session.idle_minutes);
    // Slide the expiry, but write at most once per half window.
    if row.expires_at - now < idle / 2 {
        session::Entity::update_many()
            .col_expr(
                session::Column::ExpiresAt,
                sea_orm::sea_query::Expr::value(now + idle),
            )
            .filter(session::Column::Id.eq(&id))
            .exec(&state.db)
            .await?;
    }
    let identity: Identity =
        serde_json::from_str(&row.identity).map_err(|e| ServerError::Internal(e.to_string()))?;
    let saml = match (row.saml_idp, row.saml_name_id) {
        (Some(idp), Some(name_id)) => Some(SamlSession {
            idp,
            name_id,
            name_qualifier: row.saml_name_qualifier.unwrap_or_default(),
            session_index: row.saml_session_index,
        }),
        _ => None,
    };
    Ok(Some(Citizen {
        session_id: id,
        identity,
        csrf: row.csrf,
        saml,
    }))
}

/// Starts a new session for `identity` (a fresh token at every login: no fixation) and
/// returns the cookie to set.
pub async fn create(
    state: &AppState,
    identity: &Identity,
    saml: Option<&SamlSession>,
) -> Result<Cookie<'static>, ServerError> {
    let token = random::token(32);
    let now = Utc::now();
    session::Entity::insert(session::ActiveModel {
        id: Set(random::sha256_hex(token.as_bytes())),
        identity: Set(
            serde_json::to_string(identity).map_err(|e| ServerError::Internal(e.to_string()))?
        ),
        csrf: Set(random::token(32)),
        saml_idp: Set(saml.map(|s| s.idp.clone())),
        saml_name_id: Set(saml.map(|s| s.name_id.clone())),
        saml_name_qualifier: Set(saml.map(|s| s.name_qualifier.clone())),
        saml_session_index: Set(saml.and_then(|s| s.session_index.clone())),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(state.settings.session.idle_minutes)),
    })
    .exec_without_returning(&state.db)
    .await?;
    Ok(cookie(state, token))
}

/// Ends the session and returns the cookie that clears it.
pub async fn destroy(
    state: &AppState,
    citizen: Option<&Citizen>,
) -> Result<Cookie<'static>, ServerError> {
    if let Some(c) = citizen {
        session::Entity::delete_by_id(&c.session_id)
            .exec(&state.db)
            .await?;
    }
    let mut c = cookie(state, String::new());
    c.make_removal();
    Ok(c)
}

/// The cookie that binds a login to this browser. The IdP posts the response cross-site, so
/// outside demo it must be SameSite=None (and therefore Secure); it carries no identity.
pub fn login_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(LOGIN_COOKIE, token)
        .path("/spid/")
        .http_only(true)
        .secure(!state.demo())
        .same_site(if state.demo() {
            SameSite::Lax
        } else {
            SameSite::None
        })
        .finish()
}

/// The cookie that remembers our pending LogoutRequest (same constraints as the login one).
pub fn logout_cookie(state: &AppState, request_id: String) -> Cookie<'static> {
    let mut c = login_cookie(state, request_id);
    c.set_name(LOGOUT_COOKIE);
    c
}

fn cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(!state.demo())
        .same_site(SameSite::Lax)
        .finish()
}

/// Compares the form's CSRF token with the session's, in constant time.
pub fn check_csrf(citizen: &Citizen, submitted: Option<&str>) -> Result<(), ServerError> {
    let submitted = submitted.unwrap_or_default().as_bytes();
    let expected = citizen.csrf.as_bytes();
    let same = submitted.len() == expected.len()
        && submitted
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ServerError::Csrf)
    }
}

/// For cookie-authenticated JSON writes: refuse requests that a browser marks as cross-site.
/// JSON bodies already need a CORS preflight cross-origin, and the cookie is SameSite=Lax;
/// this is the third lock.
pub fn check_same_origin(req: &HttpRequest, public_url: &str) -> Result<(), ServerError> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Err(ServerError::Csrf);
        }
    }
    if let Some(origin) = header("origin") {
        if origin != public_url {
            return Err(ServerError::Csrf);
        }
    }
    Ok(())
}

/// A `next` parameter that is safe to redirect to: a local absolute path.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.contains('\\')
                && p.len() < 512
                && p.is_ascii()
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}
