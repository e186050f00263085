//! Signature profiles: what a signature may contain, per kind of document.
//!
//! SPID (Avviso 29 and the SAML technical rules) and AgID's guidelines on documents allow one
//! shape of enveloped signature; XAdES baseline-B adds its signed properties. Everything else
//! that XML-DSig permits (external references, XSLT and XPath transforms, Manifests, key
//! retrieval) is refused before xmlsec sees the document.

use samael::crypto::AllowedSignatureAlgorithm;

pub(crate) const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub(crate) const NS_DSIG11: &str = "http://www.w3.org/2009/xmldsig11#";
pub(crate) const NS_EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub(crate) const NS_XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
pub(crate) const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub(crate) const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
pub(crate) const XADES_SIGNED_PROPERTIES: &str = "http://uri.etsi.org/01903#SignedProperties";

/// Which signatures of a document the verifier processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every `ds:Signature` anywhere in the document (a SAML Response and its Assertion).
    Every,
    /// Only the first `ds:Signature` in document order, which must be a child of the document
    /// element (a metadata registry whose entries carry their own signatures, a Segnatura).
    First,
}

/// What a signature may contain.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// Name of the attribute that identifies the signed element (`ID` in SAML, `Id` in AgID's
    /// Segnatura).
    pub id_attribute: &'static str,
    /// Signature algorithms accepted (URIs), the same as `verifier_algorithms`.
    pub signature_algorithms: &'static [&'static str],
    /// Digest algorithms accepted (URIs).
    pub digest_algorithms: &'static [&'static str],
    /// The same allow-list handed to xmlsec, which checks it again.
    pub verifier_algorithms: &'static [AllowedSignatureAlgorithm],
    /// `URI=""` (the whole document) is accepted for a signature of the document element.
    pub whole_document_reference: bool,
    /// XAdES baseline-B: a second Reference to the SignedProperties in the signature's own
    /// `ds:Object`.
    pub xades: bool,
    pub scope: Scope,
    /// Most signatures a document may carry.
    pub max_signatures: usize,
    /// Largest document accepted, in bytes.
    pub max_bytes: usize,
}

const SIGNATURES: &[&str] = &[
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
];
const DIGESTS: &[&str] = &[
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
];
const VERIFIER: &[AllowedSignatureAlgorithm] = &[
    AllowedSignatureAlgorithm::RsaSha256,
    AllowedSignatureAlgorithm::RsaSha384,
    AllowedSignatureAlgorithm::RsaSha512,
    AllowedSignatureAlgorithm::EcdsaSha256,
    AllowedSignatureAlgorithm::EcdsaSha384,
    AllowedSignatureAlgorithm::EcdsaSha512,
];

impl Profile {
    /// A SAML protocol message (Response with its Assertion, LogoutRequest, LogoutResponse):
    /// every signature is checked, each signs the element it is a child of, by `#ID`.
    pub const SAML: Profile = Profile {
        id_attribute: "ID",
        signature_algorithms: SIGNATURES,
        digest_algorithms: DIGESTS,
        verifier_algorithms: VERIFIER,
        whole_document_reference: false,
        xades: false,
        scope: Scope::Every,
        max_signatures: 2,
        max_bytes: 256 * 1024,
    };

    /// Signed SAML metadata (AgID's registry of SPID identity providers): the document
    /// element's signature, by `#ID` or `""`; the entries' own signatures are not processed.
    pub const SAML_METADATA: Profile = Profile {
        id_attribute: "ID",
        whole_document_reference: true,
        scope: Scope::First,
        max_signatures: 1,
        max_bytes: 8 * 1024 * 1024,
        ..Profile::SAML
    };

    /// AgID's Segnatura (SegnaturaInformatica 3.0.0) sealed with XAdES baseline-B.
    pub const SEGNATURA: Profile = Profile {
        id_attribute: "Id",
        whole_document_reference: true,
        xades: true,
        scope: Scope::First,
        max_signatures: 1,
        max_bytes: 1024 * 1024,
        ..Profile::SAML
    };
}
