//! SPID/CIE Service Provider over SAML 2.0, one file per protocol step.
//!
//! - [`metadata`]: the SP's signed metadata;
//! - [`idp_metadata`]: reading the identity providers' metadata;
//! - [`registry`]: AgID's signed registry of SPID identity providers;
//! - [`authn_request`]: the signed AuthnRequest over HTTP-Redirect;
//! - [`acs`]: checking the Response posted to the Assertion Consumer Service;
//! - [`logout`]: single logout, both ways;
//! - [`sign`]: enveloped XML signatures (RSA-SHA256) and XML escaping shared by the steps.

pub mod acs;
#[cfg(test)]
mod attack_tests;
pub mod authn_request;
pub mod idp_metadata;
pub mod logout;
pub mod metadata;
pub mod redirect_binding;
pub mod registry;
mod rule;
#[cfg(test)]
mod rule_tests;
pub mod sign;
#[cfg(test)]
mod test_fixture;

use crate::keys::SigningKey;

pub use idp_metadata::IdpDescriptor;
pub use rule::SamlRule;

pub(crate) const NS_SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub(crate) const NS_SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub(crate) const NS_MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub(crate) const NS_DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub(crate) const FORMAT_ENTITY: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
pub(crate) const FORMAT_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
pub(crate) const BINDING_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub(crate) const BINDING_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
pub(crate) const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
pub(crate) const METHOD_BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// The SPID attributes a service may request.
pub const SPID_ATTRIBUTES: &[&str] = &[
    "spidCode",
    "name",
    "familyName",
    "placeOfBirth",
    "countyOfBirth",
    "dateOfBirth",
    "gender",
    "companyName",
    "companyFiscalNumber",
    "registeredOffice",
    "fiscalNumber",
    "ivaCode",
    "idCard",
    "mobilePhone",
    "email",
    "address",
    "expirationDate",
    "digitalAddress",
    "domicileStreetAddress",
    "domicilePostalCode",
    "domicileMunicipality",
    "domicileProvince",
    "domicileNation",
];

/// The public body behind the Service Provider, as its metadata describes it.
#[derive(Debug, Clone)]
pub struct Organization {
    pub name: String,
    pub display_name: String,
    pub url: String,
    /// Code of the administration in the IPA index.
    pub ipa_code: String,
    /// Cadastral code of the municipality of the seat (e.g. `H501` for Rome), for CIE.
    pub municipality: String,
    pub contact_email: String,
}

/// One set of attributes a service asks for (`AttributeConsumingService`).
#[derive(Debug, Clone)]
pub struct AttributeSet {
    pub name: String,
    pub attributes: Vec<String>,
}

/// The Service Provider: identity, endpoints and signing key.
#[derive(Debug, Clone)]
pub struct ServiceProvider {
    /// The entity id (the public base URL of the service).
    pub entity_id: String,
    /// Where responses are posted (`/spid/acs`).
    pub acs_url: String,
    pub slo_url: String,
    pub organization: Organization,
    /// Index `n` of this list is `AttributeConsumingServiceIndex` `n`.
    pub attribute_sets: Vec<AttributeSet>,
    pub key: SigningKey,
    /// Tolerated clock difference with identity providers.
    pub clock_skew: chrono::Duration,
    /// The SPID aggregator that runs this SP for the administration in `organization`, if it
    /// is an aggregated one (its key is then the aggregator's).
    pub aggregator: Option<Aggregator>,
}

/// A SPID aggregator of public administrations ("soggetto aggregatore", Avviso SPID n.19 v4,
/// full aggregator of public services): whoever runs the service for the administrations
/// it aggregates, named in each aggregated SP's metadata next to the administration.
///
/// An aggregated SP's entity id has the form `https://<aggregator>/pub-ag-full/<ipa_code>`
/// (AgID's validator looks for `pub-ag-full`).
#[derive(Debug, Clone)]
pub struct Aggregator {
    /// Its name (`md:Company` of its contact).
    pub company: String,
    /// Its code in the IPA index, when it is a public administration itself.
    pub ipa_code: Option<String>,
    pub email: String,
}

/// XML-escapes text for element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// An instant as SAML wants it: UTC, seconds precision, `Z`.
pub(crate) fn instant(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
