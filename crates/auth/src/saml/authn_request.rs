//! The AuthnRequest, sent over HTTP-Redirect with a signed query string (SAML Bindings 3.4.4.1).

use std::io::Write;

use base64::Engine;
use chrono::{DateTime, Utc};
use flate2::write::DeflateEncoder;
use flate2::Compression;

use super::{escape, instant, IdpDescriptor, ServiceProvider, FORMAT_ENTITY, FORMAT_TRANSIENT};
use crate::{AuthError, Level, Result};

/// One login attempt, as the SP decides it.
#[derive(Debug, Clone)]
pub struct AuthnRequest<'a> {
    /// Unique, unpredictable, starting with a letter or `_` (an XML ID). Store it: the response
    /// must answer it, once.
    pub id: &'a str,
    pub idp: &'a IdpDescriptor,
    /// The minimum level; `ForceAuthn` is set from level 2.
    pub level: Level,
    /// Index of the attribute set in the SP metadata.
    pub attribute_set: usize,
    /// Opaque key the IdP returns unchanged (never a URL).
    pub relay_state: &'a str,
    pub now: DateTime<Utc>,
}

/// The AuthnRequest XML (unsigned: over HTTP-Redirect the query string is signed instead).
pub fn xml(sp: &ServiceProvider, req: &AuthnRequest) -> String {
    let force = if req.level >= Level::SpidL2 {
        r#" ForceAuthn="true""#
    } else {
        ""
    };
    format!(
        concat!(
            r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
            r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" "#,
            r#"IssueInstant="{now}" Destination="{dest}"{force} AssertionConsumerServiceIndex="0" "#,
            r#"AttributeConsumingServiceIndex="{set}">"#,
            r#"<saml:Issuer Format="{entity_fmt}" NameQualifier="{sp}">{sp}</saml:Issuer>"#,
            r#"<samlp:NameIDPolicy Format="{transient}"/>"#,
            r#"<samlp:RequestedAuthnContext Comparison="minimum">"#,
            r#"<saml:AuthnContextClassRef>{level}</saml:AuthnContextClassRef>"#,
            r#"</samlp:RequestedAuthnContext></samlp:AuthnRequest>"#
        ),
        id = escape(req.id),
        now = instant(req.now),
        dest = escape(&req.idp.sso_redirect),
        force = force,
        set = req.attribute_set,
        entity_fmt = FORMAT_ENTITY,
        sp = escape(&sp.entity_id),
        transient = FORMAT_TRANSIENT,
        level = req.level.uri(),
    )
}

/// The URL to send the browser to: the IdP's SSO endpoint with `SAMLRequest` (deflated,
/// base64), `RelayState`, `SigAlg` (RSA-SHA256) and `Signature`.
pub fn redirect_url(sp: &ServiceProvider, req: &AuthnRequest) -> Result<String> {
    if req.relay_state.contains("http") {
        return Err(AuthError::Check(super::SamlRule::RelayStateUrl));
    }
    super::logout::signed_redirect(
        &req.idp.sso_redirect,
        "SAMLRequest",
        &xml(sp, req),
        Some(req.relay_state),
        &sp.key,
    )
}

/// Raw DEFLATE then base64, as the HTTP-Redirect binding wants.
pub(crate) fn deflate_base64(data: &[u8]) -> Result<String> {
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(data)
        .and_then(|_| enc.finish())
        .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
        .map_err(|e| AuthError::Malformed(e.to_string()))
}

/// Inverse of [`deflate_base64`], bounded so that a small message cannot inflate without limit.
pub(crate) fn inflate_base64(text: &str) -> Result<String> {
    use std::io::Read;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| AuthError::Malformed(format!("base64: {e}")))?;
    let mut out = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .take(512 * 1024)
        .read_to_string(&mut out)
        .map_err(|e| AuthError::Malformed(format!("deflate: {e}")))?;
    Ok(out)
}
