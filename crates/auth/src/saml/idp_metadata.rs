//! Reading an identity provider's metadata: entity id, endpoints and signing certificates.

use roxmltree::{Document, Node};

use super::{BINDING_POST, BINDING_REDIRECT, NS_DS, NS_MD};
use crate::{AuthError, Result};

/// What the SP needs to know of one identity provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpDescriptor {
    pub entity_id: String,
    /// The IdP's display name (`OrganizationDisplayName`, Italian first), for the login button.
    pub display_name: Option<String>,
    /// SingleSignOnService with the HTTP-Redirect binding.
    pub sso_redirect: String,
    /// SingleLogoutService with the HTTP-Redirect binding, if any.
    pub slo_redirect: Option<String>,
    /// DER certificates of `KeyDescriptor use="signing"` (or without `use`).
    pub signing_certs: Vec<Vec<u8>>,
}

/// Parses every `IDPSSODescriptor` of a metadata document (one `EntityDescriptor` or an
/// `EntitiesDescriptor`). An IdP without a signing certificate is an error: SAML libraries that
/// skip verification in that case have let forged logins through.
pub fn parse(xml: &str) -> Result<Vec<IdpDescriptor>> {
    let doc = Document::parse(xml).map_err(|e| AuthError::Metadata(e.to_string()))?;
    let mut out = Vec::new();
    for entity in doc
        .descendants()
        .filter(|n| n.has_tag_name((NS_MD, "EntityDescriptor")))
    {
        let Some(idp) = entity
            .children()
            .find(|n| n.has_tag_name((NS_MD, "IDPSSODescriptor")))
        else {
            continue;
        };
        let entity_id = entity
            .attribute("entityID")
            .ok_or_else(|| AuthError::Metadata("EntityDescriptor without entityID".into()))?
            .to_owned();
        let sso_redirect = endpoint(idp, "SingleSignOnService", BINDING_REDIRECT)
            .or_else(|| endpoint(idp, "SingleSignOnService", BINDING_POST))
            .ok_or_else(|| AuthError::Metadata(format!("{entity_id}: no SingleSignOnService")))?;
        let slo_redirect = endpoint(idp, "SingleLogoutService", BINDING_REDIRECT);
        let mut signing_certs = Vec::new();
        for kd in idp
            .children()
            .filter(|n| n.has_tag_name((NS_MD, "KeyDescriptor")))
            .filter(|n| n.attribute("use").is_none_or(|u| u == "signing"))
        {
            for c in kd
                .descendants()
                .filter(|n| n.has_tag_name((NS_DS, "X509Certificate")))
            {
                let b64: String = c.text().unwrap_or_default().split_whitespace().collect();
                let der = openssl::base64::decode_block(&b64)
                    .map_err(|e| AuthError::Metadata(format!("{entity_id}: certificate: {e}")))?;
                openssl::x509::X509::from_der(&der)
                    .map_err(|e| AuthError::Metadata(format!("{entity_id}: certificate: {e}")))?;
                signing_certs.push(der);
            }
        }
        if signing_certs.is_empty() {
            return Err(AuthError::Metadata(format!(
                "{entity_id}: no signing certificate"
            )));
        }
        let names: Vec<Node> = entity
            .children()
            .filter(|n| n.has_tag_name((NS_MD, "Organization")))
            .flat_map(|o| o.children())
            .filter(|n| n.has_tag_name((NS_MD, "OrganizationDisplayName")))
            .collect();
        let display_name = names
            .iter()
            .find(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("it"))
            .or(names.first())
            .and_then(|n| n.text())
            .map(|t| t.trim().to_owned());
        out.push(IdpDescriptor {
            entity_id,
            display_name,
            sso_redirect,
            slo_redirect,
            signing_certs,
        });
    }
    if out.is_empty() {
        return Err(AuthError::Metadata("no IDPSSODescriptor found".into()));
    }
    Ok(out)
}

fn endpoint(idp: Node, name: &str, binding: &str) -> Option<String> {
    idp.children()
        .find(|n| n.has_tag_name((NS_MD, name)) && n.attribute("Binding") == Some(binding))
        .and_then(|n| n.attribute("Location"))
        .map(str::to_owned)
}
