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
}

/// Result alias of the protocol crate.
pub type Result<T, E = ProtocolError> = std::result::Result<T, E>;
