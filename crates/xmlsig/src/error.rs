//! The error type of the XML signature crate: one variant per rule, so that a caller (and a
//! test) can tell which rule refused a document.

/// Why a signed XML document was refused.
///
/// The variants name elements, attributes and algorithms, never the document's content: they
/// are safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlSigError {
    /// Not well-formed XML, or XML with a DTD (entities and external subsets are refused).
    #[error("not well-formed XML or XML with a DTD: {0}")]
    Malformed(String),
    /// Larger than the profile allows.
    #[error("document larger than {0} bytes")]
    TooLarge(usize),
    /// No `ds:Signature` where the profile needs one.
    #[error("the document is not signed")]
    Unsigned,
    /// More signatures than the profile allows (each costs a public-key operation).
    #[error("{found} signatures, at most {max} allowed")]
    TooManySignatures { found: usize, max: usize },
    /// The element holding the signature has no ID to be referenced by.
    #[error("the signed element has no {0} attribute")]
    ParentWithoutId(&'static str),
    /// A Reference to anything outside the document (http, file, any URI that is not `#id`).
    #[error("reference to a resource outside the document")]
    ExternalReference,
    /// A Reference to an element other than the one the signature is a child of.
    #[error("reference to an element other than the signed one")]
    ReferenceTarget,
    /// Not the number of Reference elements the profile expects.
    #[error("{found} references, {expected} expected")]
    ReferenceCount { found: usize, expected: usize },
    /// A transform outside enveloped-signature and exclusive canonicalization.
    #[error("transform not allowed: {0}")]
    Transform(String),
    /// A canonicalization, digest or signature algorithm outside the allow-list.
    #[error("algorithm not allowed: {0}")]
    Algorithm(String),
    /// An element the profile does not allow (Object, Manifest, RetrievalMethod, KeyValue, ...).
    #[error("element not allowed in a signature: {0}")]
    ForbiddenElement(String),
    /// An attribute the profile does not allow on a signature element.
    #[error("attribute not allowed in a signature: {0}")]
    ForbiddenAttribute(String),
    /// The process lockdown of libxml2 and xmlsec could not be installed: nothing is verified.
    #[error("XML library lockdown failed: {0}")]
    Lockdown(String),
    /// The structure is allowed but the signature does not verify with the given keys.
    #[error("signature does not verify: {0}")]
    Invalid(String),
}

/// Result alias of the XML signature crate.
pub type Result<T, E = XmlSigError> = std::result::Result<T, E>;
