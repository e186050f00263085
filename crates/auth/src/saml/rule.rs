//! The SPID rules a SAML message can break, one variant each, so that a refusal says which
//! rule refused it (in the logs, and in the tests that prove each rule).
//!
//! The texts are for logs and operators, in English like the rest of the crate's errors;
//! citizens see the server's Italian page.

use std::fmt;

/// Which part of a message a rule is about.
pub type Part = &'static str;

/// A SPID rule on a Response, an Assertion, a logout message or an AuthnRequest.
///
/// ```
/// use istanze_auth::saml::SamlRule;
///
/// let rule = SamlRule::Missing { element: "Response", attribute: "ID" };
/// assert_eq!(rule.to_string(), "Response ID missing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamlRule {
    /// An `EncryptedAssertion`: SPID assertions are signed, not encrypted.
    EncryptedAssertion,
    /// Not exactly one Assertion (how many there were).
    AssertionCount(usize),
    /// The Assertion is not a child of the Response.
    AssertionPlace,
    /// A required attribute is absent or empty.
    Missing {
        element: Part,
        attribute: Part,
    },
    /// An instant not in UTC (`Z`).
    NotUtc {
        element: Part,
        attribute: Part,
    },
    /// An instant that is not one.
    BadInstant {
        element: Part,
        attribute: Part,
    },
    /// `IssueInstant` later than now (beyond the clock skew).
    IssuedInTheFuture(Part),
    /// `IssueInstant` earlier than our request.
    IssuedBeforeTheRequest(Part),
    /// `Version` other than 2.0.
    Version(Part),
    /// No `Issuer`.
    IssuerMissing(Part),
    /// An `Issuer` other than the identity provider the request went to.
    IssuerNotTheIdp(Part),
    /// An `Issuer` without the entity `Format` where SPID requires it.
    IssuerFormat(Part),
    /// `Destination` other than our ACS.
    Destination,
    /// No `Status`, or no `StatusCode` in it.
    StatusMissing,
    StatusCodeMissing,
    SubjectMissing,
    NameIdMissing,
    NameIdEmpty,
    /// `NameID` not transient.
    NameIdFormat,
    NameQualifierMissing,
    SubjectConfirmationMissing,
    /// `SubjectConfirmation` method other than bearer.
    SubjectConfirmationMethod,
    SubjectConfirmationDataMissing,
    /// `Recipient` other than our ACS.
    Recipient,
    /// Past its `NotOnOrAfter`.
    Expired,
    /// Before its `NotBefore`.
    NotYetValid,
    ConditionsMissing,
    AudienceMissing,
    /// An `Audience` other than this service.
    Audience,
    AuthnContextMissing,
    /// An `AuthnContextClassRef` that is not a SPID level.
    AuthnContextUnknown,
    AttributeStatementMissing,
    AttributeStatementEmpty,
    /// `fiscalNumber` not released.
    FiscalNumberMissing,
    /// `fiscalNumber` is not `TINIT-` and a valid personal fiscal code.
    FiscalNumberInvalid,
    /// From the eIDAS node, without an Italian fiscal code: `spidCode` is not an eIDAS
    /// person identifier.
    EidasIdentifierInvalid,
    /// A comment or an element inside a value (comment injection).
    ContentInsideValue,
    /// A logout message for another endpoint than our SLO.
    LogoutDestination,
    /// A logout message too old, from the future, or without a valid `IssueInstant`.
    LogoutInstant,
    /// A LogoutResponse without `InResponseTo`.
    InResponseToMissing,
    /// A RelayState carrying a URL (SPID: it is opaque).
    RelayStateUrl,
}

impl fmt::Display for SamlRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SamlRule::*;
        match self {
            EncryptedAssertion => f.write_str("EncryptedAssertion not expected"),
            AssertionCount(n) => write!(f, "exactly one Assertion expected, found {n}"),
            AssertionPlace => f.write_str("the Assertion must be a child of the Response"),
            Missing { element, attribute } => write!(f, "{element} {attribute} missing"),
            NotUtc { element, attribute } => write!(f, "{element} {attribute} must be in UTC"),
            BadInstant { element, attribute } => {
                write!(f, "{element} {attribute} is not a valid instant")
            }
            IssuedInTheFuture(p) => write!(f, "{p} IssueInstant is in the future"),
            IssuedBeforeTheRequest(p) => write!(f, "{p} IssueInstant is before the request"),
            Version(p) => write!(f, "{p} Version must be 2.0"),
            IssuerMissing(p) => write!(f, "{p} Issuer missing"),
            IssuerNotTheIdp(p) => write!(f, "{p} Issuer is not the identity provider"),
            IssuerFormat(p) => write!(
                f,
                "{p} Issuer Format must be urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
            ),
            Destination => f.write_str("Response Destination is not our ACS"),
            StatusMissing => f.write_str("Status missing"),
            StatusCodeMissing => f.write_str("StatusCode missing"),
            SubjectMissing => f.write_str("Subject missing"),
            NameIdMissing => f.write_str("NameID missing"),
            NameIdEmpty => f.write_str("NameID is empty"),
            NameIdFormat => f.write_str("NameID Format must be transient"),
            NameQualifierMissing => f.write_str("NameID NameQualifier missing"),
            SubjectConfirmationMissing => f.write_str("SubjectConfirmation missing"),
            SubjectConfirmationMethod => f.write_str("SubjectConfirmation Method must be bearer"),
            SubjectConfirmationDataMissing => f.write_str("SubjectConfirmationData missing"),
            Recipient => f.write_str("SubjectConfirmationData Recipient is not our ACS"),
            Expired => f.write_str("the assertion has expired"),
            NotYetValid => f.write_str("the assertion is not valid yet"),
            ConditionsMissing => f.write_str("Conditions missing"),
            AudienceMissing => f.write_str("Audience missing"),
            Audience => f.write_str("Audience is not this service"),
            AuthnContextMissing => f.write_str("AuthnContextClassRef missing"),
            AuthnContextUnknown => f.write_str("unknown AuthnContextClassRef"),
            AttributeStatementMissing => f.write_str("AttributeStatement missing"),
            AttributeStatementEmpty => f.write_str("AttributeStatement is empty"),
            FiscalNumberMissing => f.write_str("fiscalNumber not released"),
            FiscalNumberInvalid => f.write_str("fiscalNumber is not a valid Italian fiscal code"),
            EidasIdentifierInvalid => f.write_str("spidCode is not an eIDAS person identifier"),
            ContentInsideValue => f.write_str("unexpected content inside a value"),
            LogoutDestination => f.write_str("logout Destination is not our SLO endpoint"),
            LogoutInstant => f.write_str("logout message too old, from the future or undated"),
            InResponseToMissing => f.write_str("InResponseTo missing"),
            RelayStateUrl => f.write_str("RelayState must not contain a URL"),
        }
    }
}
