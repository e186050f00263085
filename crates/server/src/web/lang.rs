//! Chooses the language of each request among those its administration offers: `?lang=<code>`
//! (then remembered in a cookie), else the cookie, else `Accept-Language`, else Italian; see
//! [`crate::i18n`]. Also the links to this page in the other languages, which are built from
//! the request's own path and so must not become links to another site.

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, ACCEPT_LANGUAGE, SET_COOKIE};
use actix_web::web;
use actix_web::HttpMessage;
use istanze_forms::Lang;

use super::session::{self, CookieName};
use crate::i18n;
use crate::state::AppState;

/// `__Host-` outside demo, like the session's (see [`CookieName`]).
const COOKIE: CookieName = CookieName::new(i18n::COOKIE, "__Host-istanze_lang");

/// What pages built deep inside a request need of it.
#[derive(Debug, Clone)]
struct Here {
    demo: bool,
    /// Whether test identity providers are trusted (their banner, like the demo's).
    test_idps: bool,
    /// The page's path and query without `lang`, for the links to the other languages.
    path: String,
    /// The languages offered, Italian first.
    offered: Vec<Lang>,
    /// The administration the request is for, when it names a known one.
    administration: Option<super::tenant::Here>,
}

tokio::task_local! {
    static HERE: Here;
}

/// Whether the request is served by a demo installation (for pages built without the state,
/// such as error pages, which must still carry the demo banner).
pub(crate) fn demo() -> bool {
    HERE.try_with(|h| h.demo).unwrap_or(false)
}

/// Whether the installation trusts test identity providers (for pages built without the
/// state, which must still say so).
pub(crate) fn test_idps() -> bool {
    HERE.try_with(|h| h.test_idps).unwrap_or(false)
}

/// The administration the request is for, for pages built without the request (error pages
/// keep its header, look and way back).
pub(crate) fn administration() -> Option<super::tenant::Here> {
    HERE.try_with(|h| h.administration.clone()).ok().flatten()
}

/// The languages the request's administration offers, each with its own name for itself
/// (asked of the catalogues only by the pages that show the switch).
pub(crate) fn offered() -> Vec<(Lang, String)> {
    HERE.try_with(|h| h.offered.clone())
        .unwrap_or_else(|_| vec![Lang::IT])
        .into_iter()
        .map(|l| (l, i18n::tr_in(l, "language-name")))
        .collect()
}

/// This page in language `code`: the same path and query, with `lang` set.
pub(crate) fn link_in(code: &str) -> String {
    let path = HERE
        .try_with(|h| h.path.clone())
        .unwrap_or_else(|_| "/".into());
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={code}")
}

/// The request's path and query without `lang`; `/` when the path is one that a browser could
/// read as another site's (`//evil.example/x`, `/\evil.example`, their encoded forms).
fn without_lang(req: &ServiceRequest) -> String {
    let query: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    let link = if query.is_empty() {
        req.path().to_owned()
    } else {
        format!("{}?{}", req.path(), query.join("&"))
    };
    if session::is_local(&link) {
        link
    } else {
        "/".to_owned()
    }
}

/// The language asked for in the query string, if any.
fn from_query(req: &ServiceRequest) -> Option<Lang> {
    req.query_string()
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::from_code)
}

fn chosen(req: &ServiceRequest, demo: bool, offered: &[Lang]) -> Lang {
    from_query(req)
        .filter(|l| offered.contains(l))
        .or_else(|| {
            req.cookie(COOKIE.get(demo))
                .and_then(|c| Lang::from_code(c.value()))
                .filter(|l| offered.contains(l))
        })
        .or_else(|| {
            req.headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| Lang::from_accept_language(v, offered))
        })
        .unwrap_or_default()
}

/// Runs the request in its language and remembers a language chosen with `?lang=`.
pub(super) fn middleware<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, actix_web::Error>>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let secure = state.as_ref().is_some_and(|s| !s.demo());
    let catalogues = state
        .as_ref()
        .map_or_else(i18n::built_in, |s| s.catalogues.clone());
    // An unknown administration's refusal is offered in Italian and English.
    let languages = req.extensions().get::<super::tenant::Here>().map_or_else(
        || vec![Lang::IT, Lang::EN],
        |h| h.tenant.languages().to_vec(),
    );
    let lang = chosen(&req, !secure, &languages);
    let remember = from_query(&req).filter(|l| languages.contains(l));

    let here = Here {
        demo: !secure,
        test_idps: req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.test_idps()),
        // Under `/enti/<ipa_code>/` the path has lost its prefix by now (see web::tenant).
        path: format!(
            "{}{}",
            req.extensions()
                .get::<super::tenant::Here>()
                .map(|h| h.base.clone())
                .unwrap_or_default(),
            without_lang(&req)
        ),
        offered: languages,
        administration: req.extensions().get::<super::tenant::Here>().cloned(),
    };
    let fut = HERE.scope(here, srv.call(req));
    i18n::scope(lang, catalogues, async move {
        let mut res = fut.await?;
        // Pages differ by the language asked for and the one remembered.
        res.headers_mut().insert(
            actix_web::http::header::VARY,
            HeaderValue::from_static("Accept-Language, Cookie"),
        );
        if let Some(lang) = remember {
            let cookie = Cookie::build(COOKIE.get(!secure), lang.code())
                .path("/")
                .http_only(true)
                .secure(secure)
                .same_site(SameSite::Lax)
                .max_age(Duration::days(365))
                .finish();
            if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
                res.headers_mut().append(SET_COOKIE, v);
            }
        }
        Ok(res)
    })
}
