//! The Assertion Consumer Service: the Response an IdP posts back, decoded, verified and checked.
//!
//! Two steps, because the pending request decides which IdP and level are expected:
//! [`decode`] reads the envelope without trusting it (only to find `InResponseTo`), the caller
//! consumes its pending request, then [`validate`] verifies the signature with the IdP's
//! registered certificates and runs every check on the signed content only. Unsigned parts of
//! the document are never read for identity data, which defeats signature wrapping.

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use istanze_xmlsig::Profile;
use roxmltree::{Document, Node, NodeType};

use super::logout::SamlSession;
use super::rule::Part;
use super::SamlRule;
use super::{
    IdpDescriptor, ServiceProvider, FORMAT_ENTITY, FORMAT_TRANSIENT, METHOD_BEARER, NS_DS, NS_SAML,
    NS_SAMLP, STATUS_SUCCESS,
};
use crate::{AuthError, Identity, Level, Result};
use istanze_domain::{EidasId, FiscalCode, Person, Subject};

/// Largest response accepted (base64 text).
const MAX_RESPONSE: usize = 256 * 1024;

/// A decoded, well-formed, not yet trusted Response.
#[derive(Debug, Clone)]
pub struct Envelope {
    xml: String,
    /// The request this response claims to answer (unverified).
    pub in_response_to: Option<String>,
}

/// What the SP expects: the pending request the response must answer.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub request_id: &'a str,
    pub request_instant: DateTime<Utc>,
    pub idp: &'a IdpDescriptor,
    pub level: Level,
    /// The IdP is the Italian eIDAS node (FICEP): a citizen of another country without an
    /// Italian fiscal code is then known by the eIDAS identifier it releases as `spidCode`.
    pub eidas_node: bool,
}

/// Decodes the `SAMLResponse` form field; refuses oversize input, DTDs and non-Responses.
pub fn decode(saml_response: &str) -> Result<Envelope> {
    if saml_response.len() > MAX_RESPONSE {
        return Err(AuthError::Malformed("response too large".into()));
    }
    let compact: String = saml_response.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| AuthError::Malformed(format!("base64: {e}")))?;
    let xml = String::from_utf8(bytes).map_err(|_| AuthError::Malformed("not UTF-8".into()))?;
    if xml.contains("<!DOCTYPE") || xml.contains("<!ENTITY") {
        return Err(AuthError::Dtd);
    }
    let doc = parse(&xml)?;
    let root = doc.root_element();
    if !root.has_tag_name((NS_SAMLP, "Response")) {
        return Err(AuthError::Malformed("root is not samlp:Response".into()));
    }
    let in_response_to = root.attribute("InResponseTo").map(str::to_owned);
    Ok(Envelope {
        xml: xml.clone(),
        in_response_to,
    })
}

fn parse(xml: &str) -> Result<Document<'_>> {
    // roxmltree refuses DTDs unless asked; the check in `decode` names the attack clearly.
    Document::parse(xml).map_err(|e| match e {
        roxmltree::Error::DtdDetected => AuthError::Dtd,
        other => AuthError::Malformed(other.to_string()),
    })
}

/// Verifies and checks the response; returns the identity from the signed assertion.
pub fn validate(
    sp: &ServiceProvider,
    envelope: &Envelope,
    expected: &Expected,
    now: DateTime<Utc>,
) -> Result<Login> {
    let original = parse(&envelope.xml)?;
    let root = original.root_element();
    let ctx = Ctx { sp, expected, now };

    // Status first: an IdP's refusal (e.g. the citizen cancelled) carries no assertion.
    check_status(root)?;
    let assertions: Vec<Node> = original
        .descendants()
        .filter(|n| n.has_tag_name((NS_SAML, "Assertion")))
        .collect();
    if original
        .descendants()
        .any(|n| n.has_tag_name((NS_SAML, "EncryptedAssertion")))
    {
        return Err(AuthError::Check(SamlRule::EncryptedAssertion));
    }
    let [assertion] = assertions.as_slice() else {
        return Err(AuthError::Check(SamlRule::AssertionCount(assertions.len())));
    };
    if assertion.parent() != Some(root) {
        return Err(AuthError::Check(SamlRule::AssertionPlace));
    }
    // SPID: the Assertion itself is always signed, not only the Response around it. Every
    // signature of the document is verified by the reduction below, so finding one that
    // references the Assertion here means the Assertion's own signature is checked.
    let assertion_ref = format!("#{}", assertion.attribute("ID").unwrap_or_default());
    let signed_itself = assertion
        .children()
        .filter(|n| n.has_tag_name((NS_DS, "Signature")))
        .flat_map(|sig| sig.descendants())
        .any(|n| {
            n.has_tag_name((NS_DS, "Reference"))
                && n.attribute("URI") == Some(assertion_ref.as_str())
        });
    if !signed_itself {
        return Err(AuthError::Signature("the Assertion is not signed".into()));
    }

    // The signature profile is checked before xmlsec sees the document; SHA-1 and anything
    // outside the SPID shape is refused there (istanze-xmlsig).
    let reduced = istanze_xmlsig::reduce_to_signed(
        &envelope.xml,
        &expected.idp.signing_certs,
        &Profile::SAML,
    )?;
    let signed = parse(&reduced)?;
    let signed_root = signed.root_element();
    let signed_assertion = if signed_root.has_tag_name((NS_SAML, "Assertion")) {
        signed_root
    } else {
        signed_root
            .children()
            .find(|n| n.has_tag_name((NS_SAML, "Assertion")))
            .ok_or_else(|| AuthError::Signature("the assertion is not signed".into()))?
    };
    if signed_assertion.attribute("ID") != assertion.attribute("ID") {
        return Err(AuthError::Signature(
            "the signed assertion is not the one in the response".into(),
        ));
    }
    // Response attributes come from the signed Response when it is signed, otherwise from the
    // envelope: they are cross-checked against the signed assertion's own copies below.
    let response = if signed_root.has_tag_name((NS_SAMLP, "Response")) {
        signed_root
    } else {
        root
    };
    ctx.check_response(response)?;
    ctx.check_assertion(signed_assertion)?;
    Ok(Login {
        identity: identity(signed_assertion, expected)?,
        session: saml_session(signed_assertion, expected)?,
    })
}

/// A successful login: who, and the SAML session to end at logout.
#[derive(Debug, Clone)]
pub struct Login {
    pub identity: Identity,
    pub session: SamlSession,
}

fn saml_session(a: Node, expected: &Expected) -> Result<SamlSession> {
    let name_id = child(a, NS_SAML, "Subject")
        .and_then(|s| child(s, NS_SAML, "NameID"))
        .ok_or_else(|| fail(SamlRule::NameIdMissing))?;
    Ok(SamlSession {
        idp: expected.idp.entity_id.clone(),
        name_id: text(name_id)?,
        name_qualifier: name_id
            .attribute("NameQualifier")
            .unwrap_or_default()
            .to_owned(),
        session_index: child(a, NS_SAML, "AuthnStatement")
            .and_then(|s| s.attribute("SessionIndex"))
            .map(str::to_owned),
    })
}

struct Ctx<'a> {
    sp: &'a ServiceProvider,
    expected: &'a Expected<'a>,
    now: DateTime<Utc>,
}

impl Ctx<'_> {
    fn skew(&self) -> Duration {
        self.sp.clock_skew
    }

    /// An instant that must be present, in UTC, not in the future and not before the request.
    fn check_issue_instant(&self, node: Node, what: Part) -> Result<()> {
        let t = required_instant(node, "IssueInstant", what)?;
        if t > self.now + self.skew() {
            return Err(fail(SamlRule::IssuedInTheFuture(what)));
        }
        if t < self.expected.request_instant - self.skew() {
            return Err(fail(SamlRule::IssuedBeforeTheRequest(what)));
        }
        Ok(())
    }

    fn check_issuer(&self, parent: Node, what: Part, format_required: bool) -> Result<()> {
        let issuer =
            child(parent, NS_SAML, "Issuer").ok_or_else(|| fail(SamlRule::IssuerMissing(what)))?;
        if text(issuer)? != self.expected.idp.entity_id {
            return Err(fail(SamlRule::IssuerNotTheIdp(what)));
        }
        match issuer.attribute("Format") {
            Some(FORMAT_ENTITY) => Ok(()),
            None if !format_required => Ok(()),
            _ => Err(fail(SamlRule::IssuerFormat(what))),
        }
    }

    fn check_response(&self, r: Node) -> Result<()> {
        non_empty_attr(r, "ID", "Response")?;
        if r.attribute("Version") != Some("2.0") {
            return Err(fail(SamlRule::Version("Response")));
        }
        self.check_issue_instant(r, "Response")?;
        if r.attribute("InResponseTo") != Some(self.expected.request_id) {
            return Err(AuthError::UnknownRequest);
        }
        if r.attribute("Destination") != Some(self.sp.acs_url.as_str()) {
            return Err(fail(SamlRule::Destination));
        }
        self.check_issuer(r, "Response", false)
    }

    fn check_assertion(&self, a: Node) -> Result<()> {
        non_empty_attr(a, "ID", "Assertion")?;
        if a.attribute("Version") != Some("2.0") {
            return Err(fail(SamlRule::Version("Assertion")));
        }
        self.check_issue_instant(a, "Assertion")?;
        self.check_issuer(a, "Assertion", true)?;
        self.check_subject(a)?;
        self.check_conditions(a)?;
        let level = level_of(a)?;
        if level < self.expected.level {
            return Err(AuthError::LevelTooLow);
        }
        let statement = child(a, NS_SAML, "AttributeStatement")
            .ok_or_else(|| fail(SamlRule::AttributeStatementMissing))?;
        if !statement
            .children()
            .any(|n| n.has_tag_name((NS_SAML, "Attribute")))
        {
            return Err(fail(SamlRule::AttributeStatementEmpty));
        }
        Ok(())
    }

    fn check_subject(&self, a: Node) -> Result<()> {
        let subject = child(a, NS_SAML, "Subject").ok_or_else(|| fail(SamlRule::SubjectMissing))?;
        let name_id =
            child(subject, NS_SAML, "NameID").ok_or_else(|| fail(SamlRule::NameIdMissing))?;
        if text(name_id)?.is_empty() {
            return Err(fail(SamlRule::NameIdEmpty));
        }
        if name_id.attribute("Format") != Some(FORMAT_TRANSIENT) {
            return Err(fail(SamlRule::NameIdFormat));
        }
        if name_id.attribute("NameQualifier").is_none_or(str::is_empty) {
            return Err(fail(SamlRule::NameQualifierMissing));
        }
        let sc = child(subject, NS_SAML, "SubjectConfirmation")
            .ok_or_else(|| fail(SamlRule::SubjectConfirmationMissing))?;
        if sc.attribute("Method") != Some(METHOD_BEARER) {
            return Err(fail(SamlRule::SubjectConfirmationMethod));
        }
        let data = child(sc, NS_SAML, "SubjectConfirmationData")
            .ok_or_else(|| fail(SamlRule::SubjectConfirmationDataMissing))?;
        if data.attribute("Recipient") != Some(self.sp.acs_url.as_str()) {
            return Err(fail(SamlRule::Recipient));
        }
        if data.attribute("InResponseTo") != Some(self.expected.request_id) {
            return Err(AuthError::UnknownRequest);
        }
        let not_on_or_after = required_instant(data, "NotOnOrAfter", "SubjectConfirmationData")?;
        if not_on_or_after <= self.now - self.skew() {
            return Err(fail(SamlRule::Expired));
        }
        Ok(())
    }

    fn check_conditions(&self, a: Node) -> Result<()> {
        let c = child(a, NS_SAML, "Conditions").ok_or_else(|| fail(SamlRule::ConditionsMissing))?;
        let not_before = required_instant(c, "NotBefore", "Conditions")?;
        let not_on_or_after = required_instant(c, "NotOnOrAfter", "Conditions")?;
        if not_before > self.now + self.skew() {
            return Err(fail(SamlRule::NotYetValid));
        }
        if not_on_or_after <= self.now - self.skew() {
            return Err(fail(SamlRule::Expired));
        }
        let audience = child(c, NS_SAML, "AudienceRestriction")
            .and_then(|r| child(r, NS_SAML, "Audience"))
            .ok_or_else(|| fail(SamlRule::AudienceMissing))?;
        if text(audience)? != self.sp.entity_id {
            return Err(fail(SamlRule::Audience));
        }
        Ok(())
    }
}

fn check_status(root: Node) -> Result<()> {
    let status = child(root, NS_SAMLP, "Status").ok_or_else(|| fail(SamlRule::StatusMissing))?;
    let code = child(status, NS_SAMLP, "StatusCode")
        .and_then(|c| c.attribute("Value"))
        .ok_or_else(|| fail(SamlRule::StatusCodeMissing))?;
    if code == STATUS_SUCCESS {
        return Ok(());
    }
    let message = child(status, NS_SAMLP, "StatusMessage")
        .and_then(|m| m.text())
        .unwrap_or_default();
    Err(AuthError::IdpStatus {
        status: code.to_owned(),
        code: spid_error_code(message),
    })
}

/// `ErrorCode nr22` -> 22.
fn spid_error_code(message: &str) -> Option<u8> {
    let rest = &message[message.find("ErrorCode nr")? + "ErrorCode nr".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn level_of(a: Node) -> Result<Level> {
    let class_ref = child(a, NS_SAML, "AuthnStatement")
        .and_then(|s| child(s, NS_SAML, "AuthnContext"))
        .and_then(|c| child(c, NS_SAML, "AuthnContextClassRef"))
        .ok_or_else(|| fail(SamlRule::AuthnContextMissing))?;
    Level::from_uri(&text(class_ref)?).ok_or_else(|| fail(SamlRule::AuthnContextUnknown))
}

fn identity(a: Node, expected: &Expected) -> Result<Identity> {
    let mut attributes = BTreeMap::new();
    if let Some(statement) = child(a, NS_SAML, "AttributeStatement") {
        for attr in statement
            .children()
            .filter(|n| n.has_tag_name((NS_SAML, "Attribute")))
        {
            let Some(name) = attr.attribute("Name") else {
                continue;
            };
            if let Some(v) = child(attr, NS_SAML, "AttributeValue") {
                attributes.insert(name.to_owned(), text(v)?);
            }
        }
    }
    let subject = subject(&attributes, expected.eidas_node)?;
    let date_of_birth = attributes
        .get("dateOfBirth")
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    Ok(Identity {
        person: Person {
            subject,
            name: attributes.get("name").cloned(),
            family_name: attributes.get("familyName").cloned(),
            email: attributes.get("email").cloned(),
            date_of_birth,
            attributes,
        },
        level: level_of(a)?,
        provider: expected.idp.entity_id.clone(),
    })
}

/// The person's identifier: `fiscalNumber` (`TINIT-` and a valid fiscal code), or, from the
/// eIDAS node only, the eIDAS identifier in `spidCode` when no Italian one is released (a
/// foreign tax number, `TIN` with another country, is no Italian fiscal code). Never the
/// transient NameID.
fn subject(attributes: &BTreeMap<String, String>, eidas_node: bool) -> Result<Subject> {
    let italian = attributes
        .get("fiscalNumber")
        .filter(|v| !v.is_empty())
        .filter(|v| !eidas_node || v.starts_with("TINIT-"));
    match italian {
        Some(v) => {
            let code = v.strip_prefix("TINIT-").unwrap_or(v);
            FiscalCode::parse(code)
                .map(Subject::FiscalCode)
                .map_err(|_| fail(SamlRule::FiscalNumberInvalid))
        }
        None if eidas_node => {
            let id = attributes
                .get("spidCode")
                .ok_or_else(|| fail(SamlRule::FiscalNumberMissing))?;
            EidasId::parse(id)
                .map(Subject::Eidas)
                .map_err(|_| fail(SamlRule::EidasIdentifierInvalid))
        }
        None => Err(fail(SamlRule::FiscalNumberMissing)),
    }
}

fn fail(rule: SamlRule) -> AuthError {
    AuthError::Check(rule)
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.has_tag_name((ns, name)))
}

/// The text of a leaf element, trimmed. Comments or elements inside are refused: a comment
/// splits the text and parsers disagree on which part is "the" value (comment injection).
fn text(node: Node) -> Result<String> {
    let mut out = String::new();
    for c in node.children() {
        match c.node_type() {
            NodeType::Text => out.push_str(c.text().unwrap_or_default()),
            _ => return Err(fail(SamlRule::ContentInsideValue)),
        }
    }
    Ok(out.trim().to_owned())
}

fn non_empty_attr(node: Node, attr: Part, what: Part) -> Result<()> {
    match node.attribute(attr) {
        Some(v) if !v.trim().is_empty() => Ok(()),
        _ => Err(fail(SamlRule::Missing {
            element: what,
            attribute: attr,
        })),
    }
}

fn required_instant(node: Node, attr: Part, what: Part) -> Result<DateTime<Utc>> {
    let (element, attribute) = (what, attr);
    let raw = node
        .attribute(attr)
        .ok_or_else(|| fail(SamlRule::Missing { element, attribute }))?;
    if !raw.ends_with('Z') {
        return Err(fail(SamlRule::NotUtc { element, attribute }));
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| fail(SamlRule::BadInstant { element, attribute }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spid_error_codes() {
        assert_eq!(spid_error_code("ErrorCode nr22"), Some(22));
        assert_eq!(spid_error_code("ErrorCode nr19 troppi tentativi"), Some(19));
        assert_eq!(spid_error_code("altro"), None);
    }

    #[test]
    fn values_with_comments_or_elements_are_refused() {
        let doc = Document::parse("<r><a> RSS<!---->MRA </a><b><c/></b><d> x </d></r>").unwrap();
        let kids: Vec<Node> = doc.root_element().children().collect();
        assert!(matches!(
            text(kids[0]),
            Err(AuthError::Check(SamlRule::ContentInsideValue))
        ));
        assert!(matches!(
            text(kids[1]),
            Err(AuthError::Check(SamlRule::ContentInsideValue))
        ));
        assert_eq!(text(kids[2]).unwrap(), "x");
    }
}
