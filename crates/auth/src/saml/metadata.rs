//! The SP metadata for a public body (SPID Avviso 29 v3), signed with the SP key.

use super::sign::{sign_enveloped, template};
use super::{escape, ServiceProvider, BINDING_POST, BINDING_REDIRECT, FORMAT_TRANSIENT};
use crate::Result;

/// The signed `EntityDescriptor` of the SP.
///
/// Its `ID` is derived from the entity id so that the document is stable between restarts
/// (IdPs and AgID compare metadata by content).
pub fn sp_metadata(sp: &ServiceProvider) -> Result<String> {
    let id = format!("_{}", hex_sha256(sp.entity_id.as_bytes()));
    let cert = sp.key.certificate_base64()?;
    let mut acs_sets = String::new();
    for (index, set) in sp.attribute_sets.iter().enumerate() {
        acs_sets.push_str(&format!(
            r#"<md:AttributeConsumingService index="{index}"><md:ServiceName xml:lang="it">{}</md:ServiceName>"#,
            escape(&set.name)
        ));
        for a in &set.attributes {
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
            r#"<md:ContactPerson contactType="other"><md:Extensions><spid:IPACode>{ipa}</spid:IPACode>"#,
            r#"<spid:Public/></md:Extensions><md:EmailAddress>{email}</md:EmailAddress></md:ContactPerson>"#,
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
        ipa = escape(&o.ipa_code),
        email = escape(&o.contact_email),
    );
    sign_enveloped(&xml, &sp.key)
}

pub(crate) fn hex_sha256(data: &[u8]) -> String {
    openssl::sha::sha256(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
