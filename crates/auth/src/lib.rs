//! `istanze-auth`: citizen login for Italian public services.
//!
//! - [`saml`]: a SPID/CIE Service Provider over SAML 2.0 (signed metadata, signed AuthnRequest
//!   over HTTP-Redirect, and an ACS that verifies the IdP's signature and enforces the SPID
//!   rules on the signed content only);
//! - [`demo_idp`]: an identity provider with test citizens for local use and tests, answering
//!   real signed SAML Responses;
//! - [`keys`]: loading keys and making SP certificates (`istanze keygen`);
//! - [`Identity`]: who logged in, how and at which level.
//!
//! Nothing here knows a web framework; time and identifiers are parameters, so that checks of
//! validity windows and one-time request IDs are deterministic in tests.

pub mod demo_idp;
mod error;
mod identity;
pub mod keys;
pub mod saml;

pub use error::{AuthError, Result};
pub use identity::{Identity, Level};
