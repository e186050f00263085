//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 document of the JSON API, citizen and office,
//! derived from the handlers' annotations and the bodies' types (utoipa), so that it says what
//! the code does. CI validates it (`openapi-spec-validator`) and a test checks that every
//! route of the API is in it.

use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::web::{api, office};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "istanze",
        description = "Online applications to Italian public administrations: the citizen's \
            API (forms, applications, replies) and the back office's (queues, cases, events, \
            bulk actions, the register). Every address is under the administration's base \
            path (see /api/v1/administrations). Messages are in the request's language \
            (Accept-Language; Italian by default).",
        license(name = "EUPL-1.2")
    ),
    paths(
        api::list_administrations,
        api::list_forms,
        api::get_form,
        api::create_submission,
        api::get_submission,
        api::replies::post_reply,
        api::replies::get_event_document,
        api::get_document,
        api::get_receipt,
        office::api::list,
        office::api_bulk::post,
        office::api::show,
        office::api::post_event,
        office::api::event_document,
        office::api_registrations::show,
        office::api_registrations::annul,
        api::oauth::token,
        openapi_json,
    ),
    modifiers(&Sessions),
    tags(
        (name = "citizen", description = "The citizen's applications, after a SPID or CIE login"),
        (name = "office", description = "The back office, for the administration's staff")
    )
)]
#[derive(Debug)]
pub struct ApiDoc;

/// The session cookies the API is used with.
struct Sessions;

impl Modify for Sessions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        // The first administration's name; another's adds `_<ipa code>`, and demo mode (plain
        // HTTP) drops the `__Host-` prefix.
        let cookie = crate::web::session::COOKIE.get(false).to_owned();
        let scheme = |description: &str| {
            let mut value = ApiKeyValue::new(cookie.clone());
            value.description = Some(description.to_owned());
            SecurityScheme::ApiKey(ApiKey::Cookie(value))
        };
        components.add_security_scheme(
            "session",
            scheme("A citizen's session, after logging in with SPID, CIE or eIDAS"),
        );
        components.add_security_scheme(
            "staff_session",
            scheme("A member of staff's session, after logging in to /ufficio"),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal token made in /ufficio/credenziali, or an access token \
                         from /api/v1/oauth/token: `ist_<id>_<secret>`",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("An OAuth2 client's id and secret"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON.
pub fn document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json()
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "get_openapi", tag = "citizen",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub(crate) async fn openapi_json() -> Result<HttpResponse, crate::error::ApiError> {
    let body = document().map_err(|e| crate::error::ServerError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paths a module's `routes` registers under `prefix`, read from its source.
    fn routes(source: &str, prefix: &str) -> Vec<String> {
        source
            .split(".route(")
            .skip(1)
            .filter_map(|rest| {
                let start = rest.find('"')? + 1;
                let end = start + rest[start..].find('"')?;
                Some(format!("{prefix}{}", &rest[start..end]))
            })
            .collect()
    }

    #[test]
    fn every_route_of_the_api_is_in_the_document() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let mut routed = routes(include_str!("api/mod.rs"), "/api/v1");
        routed.extend(routes(include_str!("office/api.rs"), "/api/v1/office"));
        assert!(routed.len() >= 15, "{routed:?}");
        for path in &routed {
            assert!(
                paths.contains_key(path),
                "{path} is routed but not documented"
            );
        }
        for path in paths.keys() {
            assert!(routed.contains(path), "{path} is documented but not routed");
        }
    }
}
