//! The error type of the protocol crate.

/// Why a filing did not complete. The filing can be retried with the same key: registers make
/// that safe (the embedded register returns the first receipt; the PEC adapter sends what it
/// registered; the DOCAREA adapter refuses to call again after a lost answer).
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// The registration misses something the law requires (subject, digest, ...).
    #[error("invalid registration: {0}")]
    Invalid(String),
    /// The database refused or failed; the filing can be retried with the same key.
    #[error("register storage: {0}")]
    Storage(#[from] sea_orm::DbErr),
    /// The year ended while the filing waited for its number; it is retried in the new year.
    #[error("the register's year changed during the filing")]
    YearChanged,
    /// The external protocol system refused, failed or did not answer; retried later.
    #[error("protocol system: {0}")]
    Remote(String),
    /// No registration with that year and number.
    #[error("no such registration")]
    NotFound,
    /// The registration was annulled already.
    #[error("the registration is already annulled")]
    AlreadyAnnulled,
    /// Concurrent filings kept colliding; the filing can be retried with the same key.
    #[error("register busy, try again")]
    Busy,
    /// A PEC message that is not S/MIME signed (no provider's envelope): nothing in it is
    /// believed.
    #[error("PEC message without the provider's S/MIME signature")]
    PecUnsigned,
    /// The provider's envelope carries a signature that does not verify over its content
    /// (content altered after signing, or a malformed signature).
    #[error("PEC envelope signature does not verify: {0}")]
    PecSignature(String),
    /// The envelope's signature is intact, but its signer's certificate does not chain to a
    /// configured trust anchor for S/MIME signing (another CA, self-signed, expired).
    #[error("PEC envelope signed by an untrusted certificate: {0}")]
    PecUntrustedSigner(String),
    /// A verified provider's message that is not a transport envelope (its `daticert.xml` is
    /// missing or not of type `posta-certificata`, e.g. an anomaly envelope) but carries answers.
    #[error("PEC answers outside a transport envelope: {0}")]
    PecNotTransport(String),
    /// No trust anchors are configured (demo mode only), so no PEC answer can be believed.
    #[error("no PEC trust anchors configured: answers cannot be verified")]
    PecNoTrustAnchors,
}

/// Result alias of the protocol crate.
pub type Result<T, E = ProtocolError> = std::result::Result<T, E>;
