//! `istanze-xmlsig`: XML signatures verified without letting the document steer the verifier.
//!
//! XML-DSig lets a signed document name what is signed (any URI, with transforms such as XSLT
//! and XPath) and where its key is. xmlsec, like most verifiers, resolves references and runs
//! transforms before it compares a single signature value, so an anonymous message can make it
//! fetch a URL in the administration's network or read `/dev/zero` until the process dies.
//! Two lines stop that:
//!
//! - [`check`]: the signature's structure, against a [`Profile`] (SPID/SAML, signed metadata,
//!   AgID's Segnatura with XAdES), on a pure-Rust parse, before any C library sees the
//!   document: a signature is a child of the element it signs, references it by `#` + its ID,
//!   uses only enveloped-signature and exclusive canonicalization, allowed algorithms, no
//!   Object (but XAdES's own), Manifest, RetrievalMethod or key material to use;
//! - [`lockdown`]: process-wide, libxml2 and xmlsec cannot open a URL or a file at all.
//!
//! [`reduce_to_signed`] and [`verify_first`] apply both, then verify with the caller's
//! certificates only (keys are never taken from the message).

mod check;
mod error;
mod lockdown;
mod profile;
mod verify;

pub use check::check;
pub use error::{Result, XmlSigError};
pub use lockdown::{allow_local_dir, lockdown};
pub use profile::{Profile, Scope};
pub use verify::{reduce_to_signed, verify_first};
