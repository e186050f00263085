//! Single logout over HTTP-Redirect (and HTTP-POST on receipt): the SP-initiated
//! LogoutRequest, the IdP-initiated one received, and the LogoutResponses of both ways.
//! Every message sent is signed (query signature, RSA-SHA256); every message received is
//! verified with the certificates of the IdP named by its Issuer before anything in it is used.

use chrono::{DateTime, Duration, Utc};
use roxmltree::Document;

use super::SamlRule;
use serde::{Deserialize, Serialize};

use super::authn_request::{deflate_base64, inflate_base64};
use super::redirect_binding;
use super::{
    escape, instant, IdpDescriptor, FORMAT_ENTITY, FORMAT_TRANSIENT, NS_SAML, NS_SAMLP,
    STATUS_SUCCESS,
};
use crate::keys::SigningKey;
use crate::{AuthError, Result};

/// What an SP must keep of a login to end it later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlSession {
    /// Entity id of the IdP that logged the citizen in.
    pub idp: String,
    /// The transient NameID and its NameQualifier.
    pub name_id: String,
    pub name_qualifier: String,
    pub session_index: Option<String>,
}

/// A LogoutRequest from `issuer` to `destination` for `session`.
pub fn logout_request_xml(
    issuer: &str,
    destination: &str,
    session: &SamlSession,
    id: &str,
    now: DateTime<Utc>,
) -> String {
    let index = session
        .session_index
        .as_deref()
        .map(|i| format!("<samlp:SessionIndex>{}</samlp:SessionIndex>", escape(i)))
        .unwrap_or_default();
    format!(
        concat!(
            r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
            r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" "#,
            r#"IssueInstant="{now}" Destination="{dest}">"#,
            r#"<saml:Issuer Format="{entity}" NameQualifier="{issuer}">{issuer}</saml:Issuer>"#,
            r#"<saml:NameID Format="{transient}" NameQualifier="{qualifier}">{name_id}</saml:NameID>"#,
            "{index}</samlp:LogoutRequest>"
        ),
        id = escape(id),
        now = instant(now),
        dest = escape(destination),
        entity = FORMAT_ENTITY,
        issuer = escape(issuer),
        transient = FORMAT_TRANSIENT,
        qualifier = escape(&session.name_qualifier),
        name_id = escape(&session.name_id),
        index = index,
    )
}

fn slo_of(idp: &IdpDescriptor) -> Result<&str> {
    idp.slo_redirect
        .as_deref()
        .ok_or_else(|| AuthError::Metadata(format!("{}: no SingleLogoutService", idp.entity_id)))
}

/// SP-initiated logout: the signed LogoutRequest redirect to the IdP's SLO endpoint.
pub fn request_url(
    sp: &super::ServiceProvider,
    idp: &IdpDescriptor,
    session: &SamlSession,
    id: &str,
    relay_state: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let slo = slo_of(idp)?;
    let xml = logout_request_xml(&sp.entity_id, slo, session, id, now);
    signed_redirect(slo, "SAMLRequest", &xml, Some(relay_state), &sp.key)
}

/// The SP's answer to an IdP-initiated LogoutRequest: the signed LogoutResponse redirect.
pub fn response_url(
    sp: &super::ServiceProvider,
    idp: &IdpDescriptor,
    in_response_to: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let slo = slo_of(idp)?;
    let xml = logout_response_xml(&sp.entity_id, slo, in_response_to, id, now);
    signed_redirect(slo, "SAMLResponse", &xml, None, &sp.key)
}

/// A successful LogoutResponse from `issuer` to `destination`.
pub fn logout_response_xml(
    issuer: &str,
    destination: &str,
    in_response_to: &str,
    id: &str,
    now: DateTime<Utc>,
) -> String {
    format!(
        concat!(
            r#"<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" "#,
            r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{id}" Version="2.0" "#,
            r#"IssueInstant="{now}" Destination="{dest}" InResponseTo="{irt}">"#,
            r#"<saml:Issuer Format="{entity}" NameQualifier="{issuer}">{issuer}</saml:Issuer>"#,
            r#"<samlp:Status><samlp:StatusCode Value="{success}"/></samlp:Status></samlp:LogoutResponse>"#
        ),
        id = escape(id),
        now = instant(now),
        dest = escape(destination),
        irt = escape(in_response_to),
        entity = FORMAT_ENTITY,
        issuer = escape(issuer),
        success = STATUS_SUCCESS,
    )
}

/// `destination?<param>=<deflated base64 xml>&RelayState=..&SigAlg=..&Signature=..`
pub fn signed_redirect(
    destination: &str,
    param: &str,
    xml: &str,
    relay_state: Option<&str>,
    key: &SigningKey,
) -> Result<String> {
    let mut url =
        url::Url::parse(destination).map_err(|e| AuthError::Metadata(format!("endpoint: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair(param, &deflate_base64(xml.as_bytes())?);
        if let Some(r) = relay_state {
            q.append_pair("RelayState", r);
        }
    }
    let signed = samael::crypto::sign_url(url, key.private_key())
        .map_err(|e| AuthError::Key(format!("signing: {e}")))?;
    Ok(signed.to_string())
}

/// A logout message received on the SLO endpoint, verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoutMessage {
    /// The IdP ends a session: find it by NameID / SessionIndex, close it, answer.
    Request {
        id: String,
        name_id: String,
        session_index: Option<String>,
    },
    /// The IdP answers our LogoutRequest.
    Response {
        in_response_to: String,
        success: bool,
    },
}

/// Reads a logout message from an HTTP-Redirect query (the raw query string) and verifies its
/// query signature with the certificates of the IdP named by its Issuer.
pub fn receive_redirect<'a>(
    raw_query: &str,
    idps: &'a [IdpDescriptor],
    slo_url: &str,
    now: DateTime<Utc>,
) -> Result<(LogoutMessage, &'a IdpDescriptor)> {
    // The Issuer of the (not yet trusted) message only chooses the certificates to try.
    let unverified = url::form_urlencoded::parse(raw_query.as_bytes())
        .find(|(k, _)| k == "SAMLRequest" || k == "SAMLResponse")
        .map(|(_, v)| v.into_owned())
        .ok_or_else(|| {
            AuthError::Malformed("one of SAMLRequest or SAMLResponse expected".into())
        })?;
    let idp = issuer_idp(&inflate_base64(&unverified)?, idps)?;
    let verified = redirect_binding::verify(raw_query, &idp.signing_certs)?;
    let xml = inflate_base64(&verified.message)?;
    if issuer_idp(&xml, idps)?.entity_id != idp.entity_id {
        return Err(AuthError::Signature(
            "the verified message names another IdP".into(),
        ));
    }
    let message = read(&xml, slo_url, now)?;
    let expected_kind =
        matches!(message, LogoutMessage::Request { .. }) == (verified.param == "SAMLRequest");
    if !expected_kind {
        return Err(AuthError::Malformed(
            "message kind does not match its parameter".into(),
        ));
    }
    Ok((message, idp))
}

/// Reads a logout message posted (HTTP-POST binding: base64, enveloped XML signature).
pub fn receive_post<'a>(
    encoded: &str,
    idps: &'a [IdpDescriptor],
    slo_url: &str,
    now: DateTime<Utc>,
) -> Result<(LogoutMessage, &'a IdpDescriptor)> {
    use base64::Engine;
    let compact: String = encoded.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| AuthError::Malformed(format!("base64: {e}")))?;
    let xml = String::from_utf8(bytes).map_err(|_| AuthError::Malformed("not UTF-8".into()))?;
    let idp = issuer_idp(&xml, idps)?;
    let signed =
        istanze_xmlsig::reduce_to_signed(&xml, &idp.signing_certs, &istanze_xmlsig::Profile::SAML)?;
    Ok((read(&signed, slo_url, now)?, idp))
}

/// The IdP named by the (not yet trusted) Issuer: only to choose the certificates to verify with.
fn issuer_idp<'a>(xml: &str, idps: &'a [IdpDescriptor]) -> Result<&'a IdpDescriptor> {
    if xml.contains("<!DOCTYPE") {
        return Err(AuthError::Dtd);
    }
    let doc = Document::parse(xml).map_err(|e| AuthError::Malformed(e.to_string()))?;
    let issuer = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((NS_SAML, "Issuer")))
        .and_then(|n| n.text())
        .map(str::trim)
        .ok_or_else(|| AuthError::Malformed("Issuer missing".into()))?;
    idps.iter()
        .find(|i| i.entity_id == issuer)
        .ok_or(AuthError::UnknownIdp)
}

fn read(xml: &str, slo_url: &str, now: DateTime<Utc>) -> Result<LogoutMessage> {
    let doc = Document::parse(xml).map_err(|e| AuthError::Malformed(e.to_string()))?;
    let root = doc.root_element();
    if root.attribute("Destination").is_some_and(|d| d != slo_url) {
        return Err(AuthError::Check(SamlRule::LogoutDestination));
    }
    let issued = root
        .attribute("IssueInstant")
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .ok_or(AuthError::Check(SamlRule::LogoutInstant))?;
    if (now - issued).abs() > Duration::minutes(5) {
        return Err(AuthError::Check(SamlRule::LogoutInstant));
    }
    let id = root.attribute("ID").unwrap_or_default().to_owned();
    let child_text = |ns: &str, name: &str| {
        root.children()
            .find(|n| n.has_tag_name((ns, name)))
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned())
    };
    if root.has_tag_name((NS_SAMLP, "LogoutRequest")) {
        let name_id =
            child_text(NS_SAML, "NameID").ok_or(AuthError::Check(SamlRule::NameIdMissing))?;
        Ok(LogoutMessage::Request {
            id,
            name_id,
            session_index: child_text(NS_SAMLP, "SessionIndex"),
        })
    } else if root.has_tag_name((NS_SAMLP, "LogoutResponse")) {
        let success = root
            .descendants()
            .find(|n| n.has_tag_name((NS_SAMLP, "StatusCode")))
            .and_then(|n| n.attribute("Value"))
            == Some(STATUS_SUCCESS);
        let in_response_to = root
            .attribute("InResponseTo")
            .ok_or(AuthError::Check(SamlRule::InResponseToMissing))?
            .to_owned();
        Ok(LogoutMessage::Response {
            in_response_to,
            success,
        })
    } else {
        Err(AuthError::Malformed("not a logout message".into()))
    }
}
