//! The error type of the auth crate.

/// Why a login, a key or a metadata document was refused.
///
/// The variants carry no personal data and no token: they are safe to log.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The message is not decodable, not XML, or not the expected element.
    #[error("malformed SAML message: {0}")]
    Malformed(String),
    /// A DOCTYPE or entity declaration was found (XXE and entity expansion are refused).
    #[error("DTD in SAML message")]
    Dtd,
    /// `InResponseTo` does not name a request this server issued and has not used yet.
    #[error("response to an unknown, expired or already used request")]
    UnknownRequest,
    /// The response comes from an identity provider that is not registered.
    #[error("unknown identity provider")]
    UnknownIdp,
    /// The assertion is not signed by the identity provider's registered key.
    #[error("signature missing or invalid: {0}")]
    Signature(String),
    /// The signature's structure is outside the SPID profile (an external reference, a
    /// transform, an Object, ...): refused before any signature is verified.
    #[error("signature not allowed by the SPID profile: {0}")]
    SignatureProfile(istanze_xmlsig::XmlSigError),
    /// One of the SPID rules on a SAML message failed: which one.
    #[error("SAML check failed: {0}")]
    Check(crate::saml::SamlRule),
    /// The identity provider answered with a non-success status; `code` is the SPID ErrorCode
    /// (19 too many attempts, 20 level, 21 timeout, 22 consent denied, 23 identity suspended,
    /// 25 cancelled by the user), when it gave one.
    #[error("identity provider status {status} (ErrorCode {code:?})")]
    IdpStatus { status: String, code: Option<u8> },
    /// The level of the login is below what the service needs.
    #[error("authentication level too low")]
    LevelTooLow,
    /// A key or certificate could not be read or made.
    #[error("key or certificate: {0}")]
    Key(String),
    /// Identity provider metadata could not be used.
    #[error("identity provider metadata: {0}")]
    Metadata(String),
}

impl From<istanze_xmlsig::XmlSigError> for AuthError {
    fn from(e: istanze_xmlsig::XmlSigError) -> Self {
        use istanze_xmlsig::XmlSigError as X;
        match e {
            X::Invalid(why) => AuthError::Signature(why),
            X::Unsigned => AuthError::Signature("not signed".into()),
            X::Malformed(why) => AuthError::Malformed(why),
            X::Lockdown(why) => AuthError::Key(why),
            other @ (X::TooLarge(_)
            | X::TooManySignatures { .. }
            | X::ParentWithoutId(_)
            | X::ExternalReference
            | X::ReferenceTarget
            | X::ReferenceCount { .. }
            | X::Transform(_)
            | X::Algorithm(_)
            | X::ForbiddenElement(_)
            | X::ForbiddenAttribute(_)) => AuthError::SignatureProfile(other),
        }
    }
}

impl From<openssl::error::ErrorStack> for AuthError {
    fn from(e: openssl::error::ErrorStack) -> Self {
        AuthError::Key(e.to_string())
    }
}

/// Result alias of the auth crate.
pub type Result<T, E = AuthError> = std::result::Result<T, E>;
