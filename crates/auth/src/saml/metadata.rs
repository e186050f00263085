//! The SP metadata for a public body, signed with the SP key: the SPID flavour (Avviso 29 v3,
//! `spid:` contact extensions; for an aggregated SP, Avviso 19 v4: the aggregator's contact and
//! the administration's) and the CIE flavour (CIE SAML manual: an administrative contact with
//! `cie:` extensions and only the attributes CIE releases).

use super::sign::{sign_enveloped, template};
use super::{escape, ServiceProvider, BINDING_POST, BINDING_REDIRECT, FORMAT_TRANSIENT};
use crate::Result;

/// Which federation the metadata is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Spid,
    Cie,
}

/// The attributes CIE releases over SAML.
pub const CIE_ATTRIBUTES: &[&str] = &["name", "familyName", "fiscalNumber", "dateOfBirth"];

/// The signed SPID `EntityDescriptor` of the SP.
///
/// Its `ID` is derived from the entity id so that the document is stable between restarts
/// (IdPs and AgID compare metadata by content).
pub fn sp_metadata(sp: &ServiceProvider) -> Result<String> {
    metadata(sp, Flavour::Spid)
}

/// The signed CIE `EntityDescriptor` of the SP (same endpoints and key).
pub fn cie_metadata(sp: &ServiceProvider) -> Result<String> {
    metadata(sp, Flavour::Cie)
}

fn metadata(sp: &ServiceProvider, flavour: Flavour) -> Result<String> {
    let id = format!("_{}", hex_sha256(sp.entity_id.as_bytes()));
    let cert = sp.key.certificate_base64()?;
    let mut acs_sets = String::new();
    for (index, set) in sp.attribute_sets.iter().enumerate() {
        acs_sets.push_str(&format!(
            r#"<md:AttributeConsumingService index="{index}"><md:ServiceName xml:lang="it">{}</md:ServiceName>"#,
            escape(&set.name)
        ));
        for a in set
            .attributes
            .iter()
            .filter(|a| flavour == Flavour::Spid || CIE_ATTRIBUTES.contains(&a.as_str()))
        {
            acs_sets.push_str(&format!(r#"<md:RequestedAttribute Name="{}"/>"#, escape(a)));
        }
        acs_sets.push_str("</md:AttributeConsumingService>");
    }
    let o = &sp.organization;
    let xml = format!(
        concat!(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" "#,
            r#"xmlns:spid="https://spid.gov.it/saml-extensions" entityID="{entity}" ID="{id}">"#,
            "{signature}",
            r#"<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" "#,
            r#"AuthnRequestsSigned="true" WantAssertionsSigned="true">"#,
            r#"<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">"#,
            r#"<ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"#,
            r#"</md:KeyDescriptor>"#,
            r#"<md:SingleLogoutService Binding="{redirect}" Location="{slo}"/>"#,
            r#"<md:SingleLogoutService Binding="{post}" Location="{slo}"/>"#,
            r#"<md:NameIDFormat>{transient}</md:NameIDFormat>"#,
            r#"<md:AssertionConsumerService Binding="{post}" Location="{acs}" index="0" isDefault="true"/>"#,
            "{sets}</md:SPSSODescriptor>",
            r#"<md:Organization><md:OrganizationName xml:lang="it">{oname}</md:OrganizationName>"#,
            r#"<md:OrganizationDisplayName xml:lang="it">{odisplay}</md:OrganizationDisplayName>"#,
            r#"<md:OrganizationURL xml:lang="it">{ourl}</md:OrganizationURL></md:Organization>"#,
            "{contact}",
            "</md:EntityDescriptor>"
        ),
        entity = escape(&sp.entity_id),
        id = id,
        signature = template(&id, &cert),
        cert = cert,
        redirect = BINDING_REDIRECT,
        post = BINDING_POST,
        slo = escape(&sp.slo_url),
        acs = escape(&sp.acs_url),
        transient = FORMAT_TRANSIENT,
        sets = acs_sets,
        oname = escape(&o.name),
        odisplay = escape(&o.display_name),
        ourl = escape(&o.url),
        contact = contact(sp, flavour),
    );
    sign_enveloped(&xml, &sp.key)
}

fn contact(sp: &ServiceProvider, flavour: Flavour) -> String {
    let o = &sp.organization;
    match (flavour, &sp.aggregator) {
        // Avviso SPID n.19 v4: the aggregator's contact (what it does: full aggregation of
        // public services), then the aggregated administration's, whose Company is the
        // Organization's name.
        (Flavour::Spid, Some(ag)) => format!(
            concat!(
                r#"<md:ContactPerson contactType="other" spid:entityType="spid:aggregator">"#,
                r#"<md:Extensions>{ag_ipa}<spid:PublicServicesFullAggregator/></md:Extensions>"#,
                r#"<md:Company>{ag_company}</md:Company><md:EmailAddress>{ag_email}</md:EmailAddress>"#,
                r#"</md:ContactPerson>"#,
                r#"<md:ContactPerson contactType="other" spid:entityType="spid:aggregated">"#,
                r#"<md:Extensions><spid:IPACode>{ipa}</spid:IPACode><spid:Public/></md:Extensions>"#,
                r#"<md:Company>{company}</md:Company><md:EmailAddress>{email}</md:EmailAddress>"#,
                r#"</md:ContactPerson>"#
            ),
            ag_ipa = ag
                .ipa_code
                .as_deref()
                .map(|c| format!("<spid:IPACode>{}</spid:IPACode>", escape(c)))
                .unwrap_or_default(),
            ag_company = escape(&ag.company),
            ag_email = escape(&ag.email),
            ipa = escape(&o.ipa_code),
            company = escape(&o.name),
            email = escape(&o.contact_email),
        ),
        (Flavour::Spid, None) => format!(
            concat!(
                r#"<md:ContactPerson contactType="other"><md:Extensions><spid:IPACode>{ipa}</spid:IPACode>"#,
                r#"<spid:Public/></md:Extensions><md:EmailAddress>{email}</md:EmailAddress></md:ContactPerson>"#
            ),
            ipa = escape(&o.ipa_code),
            email = escape(&o.contact_email),
        ),
        (Flavour::Cie, _) => format!(
            concat!(
                r#"<md:ContactPerson contactType="administrative">"#,
                r#"<md:Extensions xmlns:cie="https://www.cartaidentita.interno.gov.it/saml-extensions">"#,
                r#"<cie:Public/><cie:IPACode>{ipa}</cie:IPACode><cie:Municipality>{municipality}</cie:Municipality>"#,
                r#"<cie:Country>IT</cie:Country></md:Extensions><md:Company>{company}</md:Company>"#,
                r#"<md:EmailAddress>{email}</md:EmailAddress></md:ContactPerson>"#
            ),
            ipa = escape(&o.ipa_code),
            municipality = escape(&o.municipality),
            company = escape(&o.name),
            email = escape(&o.contact_email),
        ),
    }
}

pub(crate) fn hex_sha256(data: &[u8]) -> String {
    openssl::sha::sha256(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
