//! Sessions: a random token in an HttpOnly, SameSite=Lax cookie (`__Host-`, so Secure and
//! host-only, outside demo); the database keeps only the token's SHA-256, the principal and a
//! CSRF token. Sessions end after a configurable idle time, and in any case a configurable
//! time after the login. Also the check of local redirect targets.

use std::future::Future;
use std::pin::Pin;

use crate::error::ServerError;
use crate::random;
use crate::state::AppState;
use crate::store::sessions::{SessionStore, StoredSession};
use crate::web::tenant::Here;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::Duration;
use istanze_auth::saml::logout::SamlSession;
use istanze_domain::Principal;

/// A cookie's name in demo mode and elsewhere. Outside demo the `__Host-` prefix makes the
/// browser refuse the cookie unless it is Secure, for `/` and without a Domain, so a sibling
/// site under the same parent domain cannot plant or shadow it. Demo runs plain http on
/// loopback, where a browser would refuse such a cookie: it keeps the plain names.
#[derive(Debug, Clone, Copy)]
pub struct CookieName {
    demo: &'static str,
    secure: &'static str,
}

impl CookieName {
    pub const fn new(demo: &'static str, secure: &'static str) -> CookieName {
        CookieName { demo, secure }
    }

    pub fn get(&self, demo: bool) -> &'static str {
        if demo {
            self.demo
        } else {
            self.secure
        }
    }

    /// The name for an administration: each has its own session, so a login at one is not
    /// a login at another. The installation's own keeps the plain name.
    pub fn of(&self, demo: bool, here: &Here) -> String {
        let name = self.get(demo);
        if here.tenant.default {
            name.to_owned()
        } else {
            format!("{name}_{}", here.tenant.id)
        }
    }
}

pub const COOKIE: CookieName = CookieName::new("istanze_session", "__Host-istanze_session");
/// Binds a login in progress to the browser that started it.
pub const LOGIN_COOKIE: CookieName = CookieName::new("istanze_login", "__Host-istanze_login");
/// Holds the ID of our LogoutRequest until the IdP answers it.
pub const LOGOUT_COOKIE: CookieName = CookieName::new("istanze_logout", "__Host-istanze_logout");

/// Whoever is logged in: a citizen, or (acting as staff) a member of staff.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub session_id: String,
    pub principal: Principal,
    pub csrf: String,
    /// The SAML session to end at logout, when the login came from a SAML IdP.
    pub saml: Option<SamlSession>,
}

impl Citizen {
    /// The name shown in the header.
    pub fn display_name(&self) -> String {
        self.principal.person.display_name()
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
        let here = req.extensions().get::<Here>().cloned();
        let token = state
            .as_ref()
            .zip(here.as_ref())
            .and_then(|(s, h)| req.cookie(&COOKIE.of(s.demo(), h)))
            .map(|c| c.value().to_owned());
        Box::pin(async move {
            let (Some(state), Some(here), Some(token)) = (state, here, token) else {
                return Ok(MaybeCitizen(None));
            };
            Ok(MaybeCitizen(load(&state, &here, &token).await?))
        })
    }
}

async fn load(state: &AppState, here: &Here, token: &str) -> Result<Option<Citizen>, ServerError> {
    let now = state.clock.now();
    let id = random::sha256_hex(token.as_bytes());
    let absolute = Duration::hours(state.settings.session.absolute_hours);
    let store = state.scoped(&here.tenant.id);
    let Some(row) = store.live(&id, now, now - absolute).await? else {
        return Ok(None);
    };
    let idle = Duration::minutes(state.settings.session.idle_minutes);
    // Slide the expiry, but write at most once per half window, and never past the absolute
    // end (so the purge of expired sessions also removes those that reached it).
    let end = (now + idle).min(row.created_at + absolute);
    if row.expires_at - now < idle / 2 && row.expires_at < end {
        store.extend(&id, end).await?;
    }
    // A session this version cannot read is no session: the citizen logs in again, rather
    // than meeting an error on every page (logout included).
    let principal = match crate::principal::from_stored(state, &row.principal) {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "unreadable session closed");
            store.close(&id).await?;
            return Ok(None);
        }
    };
    Ok(Some(Citizen {
        session_id: id,
        principal,
        csrf: row.csrf,
        saml: row.saml,
    }))
}

/// Starts a new session for `principal` (a fresh token at every login: no fixation) and
/// returns the cookie to set.
pub async fn create(
    state: &AppState,
    here: &Here,
    principal: &Principal,
    saml: Option<&SamlSession>,
) -> Result<Cookie<'static>, ServerError> {
    let token = state.ids.token(32);
    let now = state.clock.now();
    let session = StoredSession {
        id: random::sha256_hex(token.as_bytes()),
        principal: crate::principal::to_stored(principal)?,
        csrf: state.ids.token(32),
        saml: saml.cloned(),
        created_at: now,
        expires_at: now
            + Duration::minutes(state.settings.session.idle_minutes)
                .min(Duration::hours(state.settings.session.absolute_hours)),
    };
    state.scoped(&here.tenant.id).open(session).await?;
    Ok(cookie(state, here, token))
}

/// Ends the session and returns the cookie that clears it.
pub async fn destroy(
    state: &AppState,
    here: &Here,
    citizen: Option<&Citizen>,
) -> Result<Cookie<'static>, ServerError> {
    if let Some(c) = citizen {
        state.scoped(&here.tenant.id).close(&c.session_id).await?;
    }
    let mut c = cookie(state, here, String::new());
    c.make_removal();
    Ok(c)
}

/// The cookie that binds a login to this browser. The IdP posts the response cross-site, so
/// outside demo it must be SameSite=None (and therefore Secure); it carries no identity.
/// `__Host-` requires the path `/`; the demo keeps it to the administration's `/spid/`.
pub fn login_cookie(state: &AppState, here: &Here, token: String) -> Cookie<'static> {
    Cookie::build(LOGIN_COOKIE.of(state.demo(), here), token)
        .path(if state.demo() {
            // Where this administration's ACS is: the IdP posts there, whatever base path
            // the login started from.
            let sp = url::Url::parse(&here.tenant.public_url)
                .map(|u| u.path().trim_end_matches('/').to_owned())
                .unwrap_or_default();
            format!("{sp}/spid/")
        } else {
            "/".to_owned()
        })
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
pub fn logout_cookie(state: &AppState, here: &Here, request_id: String) -> Cookie<'static> {
    let mut c = login_cookie(state, here, request_id);
    c.set_name(LOGOUT_COOKIE.of(state.demo(), here));
    c
}

fn cookie(state: &AppState, here: &Here, value: String) -> Cookie<'static> {
    Cookie::build(COOKIE.of(state.demo(), here), value)
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
pub fn check_same_origin(
    req: &HttpRequest,
    state: &AppState,
    here: &Here,
) -> Result<(), ServerError> {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if site != "same-origin" && site != "none" {
            return Err(ServerError::Csrf);
        }
    }
    if let Some(origin) = header("origin") {
        // The installation's own origin, or one of the administration's host names.
        let own_host = here.tenant.admin().hosts.iter().any(|h| {
            origin
                .strip_prefix("https://")
                .is_some_and(|o| o.eq_ignore_ascii_case(h))
        });
        if origin != state.public_url && !own_host {
            return Err(ServerError::Csrf);
        }
    }
    Ok(())
}

/// A `next` parameter that is safe to redirect to: a local absolute path, else `/`.
pub fn local_path(next: Option<&str>) -> String {
    next.filter(|p| is_local(p))
        .map_or_else(|| "/".to_owned(), str::to_owned)
}

/// Whether `link` (a path with its query) stays on this site whatever a browser or a proxy
/// makes of it. Refused: anything but a path starting with one `/`; `//` and `\` in the path,
/// also percent-encoded (a proxy or a framework may decode once or twice more, and browsers
/// read `\` as `/`, so `/\evil.example` is `//evil.example`, another site); control
/// characters, raw or encoded (browsers drop tabs and newlines, which would join two slashes);
/// non-ASCII; very long links.
pub fn is_local(link: &str) -> bool {
    if link.len() >= 512
        || !link.is_ascii()
        || link.contains('\\')
        || percent_decode(link).chars().any(char::is_control)
    {
        return false;
    }
    let path = link.split(['?', '#']).next().unwrap_or_default();
    if !path.starts_with('/') {
        return false;
    }
    let mut path = path.to_owned();
    // Three rounds of decoding are more than any honest link carries.
    for _ in 0..3 {
        if path.contains("//") || path.contains('\\') || path.chars().any(char::is_control) {
            return false;
        }
        let decoded = percent_decode(&path);
        if decoded == path {
            return true;
        }
        path = decoded;
    }
    false
}

/// `%XX` escapes decoded (invalid ones left as they are; bytes that are not UTF-8 replaced).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => match (hex(h), hex(l)) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_pass() {
        for ok in [
            "/",
            "/domande",
            "/servizi/patrocinio",
            "/accedi?next=/domande&level=2",
            "/spid/login?idp=https%3A%2F%2Fposteid.poste.it",
            "/servizi/caf%C3%A8",
            "/domande#ricevuta",
        ] {
            assert!(is_local(ok), "{ok} refused");
            assert_eq!(local_path(Some(ok)), ok);
        }
    }

    #[test]
    fn links_to_other_sites_and_odd_paths_fall_back_to_the_home_page() {
        for bad in [
            "//evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "http:/evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%252F%252Fevil.example",
            "/%25252F%25252Fevil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/x\r\nSet-Cookie: a=b",
            "/x%0D%0ASet-Cookie:%20a=b",
            "/domande?x=%00",
            "/caffè",
            "/servizi//patrocinio",
        ] {
            assert!(!is_local(bad), "{bad:?} accepted");
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
        assert_eq!(local_path(Some(&format!("/{}", "a".repeat(600)))), "/");
    }
}
