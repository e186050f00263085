//! A demo identity provider with test citizens, for local use and tests.
//!
//! It is a real SAML IdP in miniature: it verifies the signature of the SP's AuthnRequest
//! (HTTP-Redirect, RSA-SHA256) against the SP certificate, and answers with a Response whose
//! Assertion and Response are both signed with the demo key. It must never run in production:
//! the server only mounts it in demo mode, which is refused on non-loopback addresses.

use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use roxmltree::Document;
use serde::Serialize;

use crate::keys::SigningKey;
use crate::saml::authn_request::inflate_base64;
use crate::saml::logout;
use crate::saml::sign::{sign_enveloped, template};
use crate::saml::{
    escape, instant, IdpDescriptor, BINDING_REDIRECT, FORMAT_ENTITY, FORMAT_TRANSIENT, NS_SAML,
    NS_SAMLP,
};
use crate::{AuthError, Level, Result};

/// A test citizen.
#[derive(Debug, Clone, Serialize)]
pub struct DemoUser {
    pub fiscal_number: String,
    pub name: String,
    pub family_name: String,
    pub email: String,
    pub date_of_birth: NaiveDate,
}

/// An AuthnRequest the demo IdP accepted.
#[derive(Debug, Clone)]
pub struct ReceivedRequest {
    pub id: String,
    pub issuer: String,
    pub level: Level,
}

/// The identifiers a response needs; random in the server, fixed in tests.
#[derive(Debug, Clone)]
pub struct ResponseIds {
    pub response_id: String,
    pub assertion_id: String,
    pub name_id: String,
}

/// The demo identity provider.
#[derive(Debug, Clone)]
pub struct DemoIdp {
    pub entity_id: String,
    pub sso_url: String,
    /// Single logout endpoint (HTTP-Redirect), when the IdP offers one.
    pub slo_url: Option<String>,
    key: SigningKey,
    users: Vec<DemoUser>,
}

fn user(
    cf: &str,
    name: &str,
    family: &str,
    email: &str,
    (y, m, d): (i32, u32, u32),
) -> Option<DemoUser> {
    Some(DemoUser {
        fiscal_number: cf.into(),
        name: name.into(),
        family_name: family.into(),
        email: email.into(),
        date_of_birth: NaiveDate::from_ymd_opt(y, m, d)?,
    })
}

impl DemoIdp {
    /// A demo IdP with the built-in test citizens.
    pub fn new(entity_id: String, sso_url: String, key: SigningKey) -> DemoIdp {
        let users = [
            user(
                "RSSMRA85T10A562S",
                "Mario",
                "Rossi",
                "mario.rossi@example.it",
                (1985, 12, 10),
            ),
            user(
                "BNCLCU92M55F205G",
                "Lucia",
                "Bianchi",
                "lucia.bianchi@example.it",
                (1992, 8, 15),
            ),
            user(
                "VRDGPP70A01H501S",
                "Giuseppe",
                "Verdi",
                "giuseppe.verdi@example.it",
                (1970, 1, 1),
            ),
            user(
                "ESPSLV01E60L219Z",
                "Silvia",
                "Esposito",
                "silvia.esposito@example.it",
                (2001, 5, 20),
            ),
            user(
                "CLMNDR88C12G273E",
                "Andrea",
                "Colombo",
                "andrea.colombo@example.it",
                (1988, 3, 12),
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        DemoIdp {
            entity_id,
            sso_url,
            slo_url: None,
            key,
            users,
        }
    }

    /// The same IdP with more test people after the built-in ones (a server adds its demo
    /// staff, say).
    pub fn with_users(mut self, more: impl IntoIterator<Item = DemoUser>) -> DemoIdp {
        self.users.extend(more);
        self
    }

    /// The same IdP with a single logout endpoint.
    pub fn with_slo(mut self, slo_url: String) -> DemoIdp {
        self.slo_url = Some(slo_url);
        self
    }

    /// Answers the SP's signed LogoutRequest (the raw redirect query) with a signed
    /// LogoutResponse: the URL to send the browser back to the SP's `sp_slo_url`.
    pub fn answer_logout(
        &self,
        raw_query: &str,
        sp_cert_der: &[u8],
        sp_slo_url: &str,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let verified = crate::saml::redirect_binding::verify(raw_query, &[sp_cert_der.to_vec()])?;
        if verified.param != "SAMLRequest" {
            return Err(AuthError::Malformed("SAMLRequest expected".into()));
        }
        let encoded = verified.message;
        let xml = inflate_base64(&encoded)?;
        let doc = Document::parse(&xml).map_err(|e| AuthError::Malformed(e.to_string()))?;
        let root = doc.root_element();
        if !root.has_tag_name((NS_SAMLP, "LogoutRequest")) {
            return Err(AuthError::Malformed("not a LogoutRequest".into()));
        }
        let request_id = root.attribute("ID").unwrap_or_default();
        let response =
            logout::logout_response_xml(&self.entity_id, sp_slo_url, request_id, id, now);
        logout::signed_redirect(
            sp_slo_url,
            "SAMLResponse",
            &response,
            verified.relay_state.as_deref(),
            &self.key,
        )
    }

    /// The `Issuer` of the SAML message in a redirect query, read before anything is verified:
    /// it says which SP's certificate the signature is then checked with (an installation runs
    /// several SPs). Nothing else in the message is believed at this point.
    pub fn issuer_of(&self, raw_query: &str) -> Result<String> {
        let encoded = url::form_urlencoded::parse(raw_query.as_bytes())
            .find(|(k, _)| k == "SAMLRequest")
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| AuthError::Malformed("SAMLRequest expected".into()))?;
        let xml = inflate_base64(&encoded)?;
        let doc = Document::parse(&xml).map_err(|e| AuthError::Malformed(e.to_string()))?;
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name((NS_SAML, "Issuer")))
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned())
            .ok_or_else(|| AuthError::Malformed("message without Issuer".into()))
    }

    /// An IdP-initiated logout of `session`: the signed LogoutRequest redirect to the SP.
    pub fn logout_request_url(
        &self,
        sp_slo_url: &str,
        session: &logout::SamlSession,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let xml = logout::logout_request_xml(&self.entity_id, sp_slo_url, session, id, now);
        logout::signed_redirect(sp_slo_url, "SAMLRequest", &xml, None, &self.key)
    }

    pub fn users(&self) -> &[DemoUser] {
        &self.users
    }

    /// What an SP needs to trust this IdP.
    pub fn descriptor(&self) -> Result<IdpDescriptor> {
        Ok(IdpDescriptor {
            entity_id: self.entity_id.clone(),
            display_name: Some("Identity provider dimostrativo".into()),
            sso_redirect: self.sso_url.clone(),
            slo_redirect: self.slo_url.clone(),
            signing_certs: vec![self.key.certificate().to_der()?],
        })
    }

    /// Signed IdP metadata.
    pub fn metadata(&self) -> Result<String> {
        let cert = self.key.certificate_base64()?;
        let id = format!(
            "_{}",
            crate::saml::metadata::hex_sha256(self.entity_id.as_bytes())
        );
        let xml = format!(
            concat!(
                r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity}" ID="{id}">"#,
                "{sig}",
                r#"<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="true">"#,
                r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>"#,
                r#"<ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"#,
                r#"<md:NameIDFormat>{transient}</md:NameIDFormat>"#,
                "{slo}",
                r#"<md:SingleSignOnService Binding="{redirect}" Location="{sso}"/>"#,
                r#"</md:IDPSSODescriptor><md:Organization>"#,
                r#"<md:OrganizationName xml:lang="it">Identity provider dimostrativo</md:OrganizationName>"#,
                r#"<md:OrganizationDisplayName xml:lang="it">Identity provider dimostrativo</md:OrganizationDisplayName>"#,
                r#"<md:OrganizationURL xml:lang="it">{entity}</md:OrganizationURL></md:Organization>"#,
                r#"</md:EntityDescriptor>"#
            ),
            entity = escape(&self.entity_id),
            id = id,
            sig = template(&id, &cert),
            cert = cert,
            transient = FORMAT_TRANSIENT,
            redirect = BINDING_REDIRECT,
            sso = escape(&self.sso_url),
            slo = self
                .slo_url
                .as_deref()
                .map(|u| format!(
                    r#"<md:SingleLogoutService Binding="{BINDING_REDIRECT}" Location="{}"/>"#,
                    escape(u)
                ))
                .unwrap_or_default(),
        );
        sign_enveloped(&xml, &self.key)
    }

    /// Verifies the signed query string of an HTTP-Redirect AuthnRequest (the raw query, as
    /// received) against the SP's certificate, and reads the request.
    pub fn receive_redirect(&self, raw_query: &str, sp_cert_der: &[u8]) -> Result<ReceivedRequest> {
        let verified = crate::saml::redirect_binding::verify(raw_query, &[sp_cert_der.to_vec()])?;
        if verified.param != "SAMLRequest" {
            return Err(AuthError::Malformed("SAMLRequest expected".into()));
        }
        self.read_request(&verified.message)
    }

    /// Reads a deflated, base64 AuthnRequest (as carried by the redirect and the user form).
    pub fn read_request(&self, saml_request: &str) -> Result<ReceivedRequest> {
        let xml = inflate_base64(saml_request)?;
        let doc = Document::parse(&xml).map_err(|e| AuthError::Malformed(e.to_string()))?;
        let root = doc.root_element();
        if !root.has_tag_name((NS_SAMLP, "AuthnRequest")) {
            return Err(AuthError::Malformed("not an AuthnRequest".into()));
        }
        let id = root
            .attribute("ID")
            .ok_or_else(|| AuthError::Malformed("AuthnRequest without ID".into()))?;
        let issuer = root
            .children()
            .find(|n| n.has_tag_name((NS_SAML, "Issuer")))
            .and_then(|n| n.text())
            .map(str::trim)
            .ok_or_else(|| AuthError::Malformed("AuthnRequest without Issuer".into()))?;
        let level = root
            .descendants()
            .find(|n| n.has_tag_name((NS_SAML, "AuthnContextClassRef")))
            .and_then(|n| n.text())
            .and_then(|t| Level::from_uri(t.trim()))
            .unwrap_or(Level::SpidL1);
        Ok(ReceivedRequest {
            id: id.to_owned(),
            issuer: issuer.to_owned(),
            level,
        })
    }

    /// A signed Response (base64, for the `SAMLResponse` field) logging `fiscal_number` in.
    pub fn respond(
        &self,
        request: &ReceivedRequest,
        fiscal_number: &str,
        acs_url: &str,
        ids: &ResponseIds,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let user = self
            .users
            .iter()
            .find(|u| u.fiscal_number == fiscal_number)
            .ok_or_else(|| AuthError::Malformed("unknown demo user".into()))?;
        let cert = self.key.certificate_base64()?;
        let issue = instant(now);
        let expires = instant(now + Duration::minutes(5));
        let attr = |name: &str, value: &str| {
            format!(
                r#"<saml:Attribute Name="{name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue>{}</saml:AttributeValue></saml:Attribute>"#,
                escape(value)
            )
        };
        let attributes = [
            attr("spidCode", &format!("DEMO{}", &user.fiscal_number[..6])),
            attr("name", &user.name),
            attr("familyName", &user.family_name),
            attr("fiscalNumber", &format!("TINIT-{}", user.fiscal_number)),
            attr("email", &user.email),
            attr(
                "dateOfBirth",
                &user.date_of_birth.format("%Y-%m-%d").to_string(),
            ),
        ]
        .concat();
        let assertion = format!(
            concat!(
                r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{aid}" Version="2.0" IssueInstant="{issue}">"#,
                r#"<saml:Issuer Format="{entity_fmt}">{idp}</saml:Issuer>{sig}"#,
                r#"<saml:Subject><saml:NameID Format="{transient}" NameQualifier="{idp}">{name_id}</saml:NameID>"#,
                r#"<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">"#,
                r#"<saml:SubjectConfirmationData InResponseTo="{req}" NotOnOrAfter="{expires}" Recipient="{acs}"/>"#,
                r#"</saml:SubjectConfirmation></saml:Subject>"#,
                r#"<saml:Conditions NotBefore="{issue}" NotOnOrAfter="{expires}"><saml:AudienceRestriction>"#,
                r#"<saml:Audience>{sp}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"#,
                r#"<saml:AuthnStatement AuthnInstant="{issue}" SessionIndex="{aid}"><saml:AuthnContext>"#,
                r#"<saml:AuthnContextClassRef>{level}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"#,
                r#"<saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"#
            ),
            aid = escape(&ids.assertion_id),
            issue = issue,
            entity_fmt = FORMAT_ENTITY,
            idp = escape(&self.entity_id),
            sig = template(&ids.assertion_id, &cert),
            transient = FORMAT_TRANSIENT,
            name_id = escape(&ids.name_id),
            req = escape(&request.id),
            expires = expires,
            acs = escape(acs_url),
            sp = escape(&request.issuer),
            level = request.level.uri(),
            attributes = attributes,
        );
        let signed_assertion = sign_enveloped(&assertion, &self.key)?;
        let response = format!(
            concat!(
                r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" "#,
                r#"ID="{rid}" Version="2.0" IssueInstant="{issue}" Destination="{acs}" InResponseTo="{req}">"#,
                r#"<saml:Issuer Format="{entity_fmt}">{idp}</saml:Issuer>{sig}"#,
                r#"<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#,
                "{assertion}</samlp:Response>"
            ),
            rid = escape(&ids.response_id),
            issue = issue,
            acs = escape(acs_url),
            req = escape(&request.id),
            entity_fmt = FORMAT_ENTITY,
            idp = escape(&self.entity_id),
            sig = template(&ids.response_id, &cert),
            assertion = signed_assertion,
        );
        let signed = sign_enveloped(&response, &self.key)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(signed))
    }
}
