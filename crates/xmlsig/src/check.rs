//! The first line: the structure of every signature xmlsec will process, checked on a
//! pure-Rust parse of the document before any C library sees it.
//!
//! Only what the profile names is allowed; anything else is refused by name. The order of the
//! checks follows the order xmlsec would act: references and transforms (where it would fetch
//! or run code) before algorithms.

use roxmltree::{Document, Node, NodeType};

use crate::profile::{
    Profile, Scope, ENVELOPED, EXC_C14N, NS_DS, NS_DSIG11, NS_EXC_C14N, NS_XADES,
    XADES_SIGNED_PROPERTIES,
};
use crate::{Result, XmlSigError};

const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Checks every signature of `xml` that a verifier following `profile` would process.
///
/// ```
/// use istanze_xmlsig::{check, Profile, XmlSigError};
/// let external = r##"<r ID="a"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
///   <ds:SignedInfo>
///     <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
///     <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
///     <ds:Reference URI="http://169.254.169.254/latest/meta-data/">
///       <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
///       <ds:DigestValue>AA==</ds:DigestValue>
///     </ds:Reference>
///   </ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue>
/// </ds:Signature></r>"##;
/// assert_eq!(check(external, &Profile::SAML), Err(XmlSigError::ExternalReference));
/// ```
pub fn check(xml: &str, profile: &Profile) -> Result<()> {
    if xml.len() > profile.max_bytes {
        return Err(XmlSigError::TooLarge(profile.max_bytes));
    }
    // roxmltree reads text as UTF-8 whatever the declaration says, libxml2 obeys it: a
    // document declared in another encoding (UTF-7 turns a comment into elements) would be
    // two documents, one checked here and another verified by xmlsec.
    if let Some(encoding) = declared_encoding(xml) {
        if !encoding.eq_ignore_ascii_case("UTF-8") {
            return Err(XmlSigError::Malformed(format!(
                "encoding {encoding} declared: only UTF-8 is accepted"
            )));
        }
    }
    // roxmltree refuses DTDs by default: no entity, no external subset.
    let doc = Document::parse(xml).map_err(|e| XmlSigError::Malformed(e.to_string()))?;
    // xml:id is an ID to libxml2 wherever it appears: no SPID or AgID document uses it.
    if doc.descendants().any(|n| {
        n.attributes()
            .any(|a| a.namespace() == Some(NS_XML) && a.name() == "id")
    }) {
        return Err(XmlSigError::ForbiddenAttribute("xml:id".into()));
    }
    let signatures: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name((NS_DS, "Signature")))
        .collect();
    let processed: &[Node] = match profile.scope {
        Scope::Every => &signatures,
        Scope::First => signatures.get(..1).unwrap_or(&[]),
    };
    if processed.is_empty() {
        return Err(XmlSigError::Unsigned);
    }
    if processed.len() > profile.max_signatures {
        return Err(XmlSigError::TooManySignatures {
            found: processed.len(),
            max: profile.max_signatures,
        });
    }
    for signature in processed {
        if profile.scope == Scope::First && signature.parent() != Some(doc.root_element()) {
            return Err(XmlSigError::ReferenceTarget);
        }
        Signature {
            node: *signature,
            profile,
        }
        .check()?;
    }
    Ok(())
}

struct Signature<'a, 'input> {
    node: Node<'a, 'input>,
    profile: &'a Profile,
}

impl<'a, 'input> Signature<'a, 'input> {
    fn check(&self) -> Result<()> {
        only_attributes(self.node, &["Id"])?;
        let children = elements(self.node)?;
        let mut next = children.iter().copied();
        let signed_info = next
            .next()
            .filter(|n| is_ds(*n, "SignedInfo"))
            .ok_or_else(|| forbidden_or_missing(children.first(), "SignedInfo"))?;
        let value = next
            .next()
            .filter(|n| is_ds(*n, "SignatureValue"))
            .ok_or_else(|| forbidden_or_missing(children.get(1), "SignatureValue"))?;
        let mut rest: Vec<Node> = next.collect();
        if rest.first().is_some_and(|n| is_ds(*n, "KeyInfo")) {
            key_info(rest.remove(0))?;
        }
        let object = match (self.profile.xades, rest.as_slice()) {
            (_, []) => None,
            (true, [object]) if is_ds(*object, "Object") => Some(*object),
            (_, [other, ..]) => return Err(forbidden(*other)),
        };
        // References first: they are where xmlsec would fetch and transform.
        self.signed_info(signed_info, object)?;
        only_attributes(value, &["Id"])?;
        text_only(value)
    }

    fn signed_info(&self, signed_info: Node, object: Option<Node>) -> Result<()> {
        only_attributes(signed_info, &["Id"])?;
        let children = elements(signed_info)?;
        let references: Vec<Node> = children
            .iter()
            .copied()
            .filter(|n| is_ds(*n, "Reference"))
            .collect();
        if let Some(other) = children.iter().find(|n| {
            !["CanonicalizationMethod", "SignatureMethod", "Reference"]
                .iter()
                .any(|t| is_ds(**n, t))
        }) {
            return Err(forbidden(*other));
        }
        let expected = if self.profile.xades { 2 } else { 1 };
        // Walk the references before the methods, so that an external or transformed
        // reference is named as such whatever else is wrong.
        if references.len() != expected {
            for r in &references {
                self.reference_uri(*r)?;
            }
            return Err(XmlSigError::ReferenceCount {
                found: references.len(),
                expected,
            });
        }
        self.main_reference(references[0])?;
        if let Some(properties) = references.get(1) {
            self.properties_reference(*properties, object)?;
        } else if let Some(object) = object {
            return Err(forbidden(object));
        }
        let [c14n, method, ..] = children.as_slice() else {
            return Err(XmlSigError::ForbiddenElement("SignedInfo".into()));
        };
        if !is_ds(*c14n, "CanonicalizationMethod") {
            return Err(forbidden_or_missing(Some(c14n), "CanonicalizationMethod"));
        }
        canonicalization(*c14n)?;
        if !is_ds(*method, "SignatureMethod") {
            return Err(forbidden_or_missing(Some(method), "SignatureMethod"));
        }
        algorithm_in(*method, self.profile.signature_algorithms)?;
        no_children(*method)
    }

    /// The Reference's URI, checked to be `#` + the signed element's ID (or `""` for the
    /// document element where the profile allows it).
    fn reference_uri(&self, reference: Node) -> Result<()> {
        let uri = reference.attribute("URI").unwrap_or("");
        let Some(parent) = self.node.parent_element() else {
            return Err(XmlSigError::ReferenceTarget);
        };
        if uri.is_empty() {
            let is_root = parent
                .parent()
                .is_some_and(|p| p.node_type() == NodeType::Root);
            // A missing URI leaves the meaning to the application: refused like a wrong one.
            let whole = reference.attribute("URI").is_some()
                && self.profile.whole_document_reference
                && is_root;
            return if whole {
                Ok(())
            } else {
                Err(XmlSigError::ReferenceTarget)
            };
        }
        let Some(id) = uri.strip_prefix('#') else {
            return Err(XmlSigError::ExternalReference);
        };
        let own = parent
            .attribute(self.profile.id_attribute)
            .filter(|v| !v.is_empty())
            .ok_or(XmlSigError::ParentWithoutId(self.profile.id_attribute))?;
        if id != own {
            return Err(XmlSigError::ReferenceTarget);
        }
        // The value must name one element only, under any spelling of an ID attribute:
        // libxml2 and xmlsec keep the first element they registered for a value, which need
        // not be the parent checked here.
        let named = parent
            .document()
            .descendants()
            .filter(|n| {
                n.attributes()
                    .any(|a| a.name().eq_ignore_ascii_case("id") && a.value() == id)
            })
            .count();
        if named == 1 {
            Ok(())
        } else {
            Err(XmlSigError::ReferenceTarget)
        }
    }

    fn main_reference(&self, reference: Node) -> Result<()> {
        only_attributes(reference, &["URI", "Id"])?;
        self.reference_uri(reference)?;
        self.digest_parts(reference, &[ENVELOPED, EXC_C14N])
    }

    /// XAdES: the SignedProperties in this signature's own Object, by their Id.
    fn properties_reference(&self, reference: Node, object: Option<Node>) -> Result<()> {
        only_attributes(reference, &["URI", "Id", "Type"])?;
        let uri = reference.attribute("URI").unwrap_or("");
        let Some(id) = uri.strip_prefix('#') else {
            return Err(XmlSigError::ExternalReference);
        };
        if reference.attribute("Type") != Some(XADES_SIGNED_PROPERTIES) {
            return Err(XmlSigError::ForbiddenAttribute("Type".into()));
        }
        let object = object.ok_or(XmlSigError::ReferenceTarget)?;
        qualifying_properties(object, self.node, id)?;
        self.digest_parts(reference, &[EXC_C14N])
    }

    /// Transforms (from `allowed`, each once), DigestMethod and DigestValue of a Reference.
    fn digest_parts(&self, reference: Node, allowed: &[&str]) -> Result<()> {
        let children = elements(reference)?;
        let mut at = 0;
        if let Some(transforms) = children.first().filter(|n| is_ds(**n, "Transforms")) {
            at = 1;
            only_attributes(*transforms, &[])?;
            let mut seen: Vec<&str> = Vec::new();
            for t in elements(*transforms)? {
                if !is_ds(t, "Transform") {
                    return Err(forbidden(t));
                }
                only_attributes(t, &["Algorithm"])?;
                let alg = t.attribute("Algorithm").unwrap_or("");
                if !allowed.contains(&alg) || seen.contains(&alg) {
                    return Err(XmlSigError::Transform(alg.to_owned()));
                }
                seen.push(alg);
                if alg == EXC_C14N {
                    inclusive_namespaces(t)?;
                } else {
                    no_children(t)?;
                }
            }
        }
        match &children[at..] {
            [method, value] if is_ds(*method, "DigestMethod") && is_ds(*value, "DigestValue") => {
                algorithm_in(*method, self.profile.digest_algorithms)?;
                no_children(*method)?;
                only_attributes(*value, &[])?;
                text_only(*value)
            }
            [other, ..] if !is_ds(*other, "DigestMethod") => Err(forbidden(*other)),
            _ => Err(XmlSigError::ForbiddenElement("Reference".into())),
        }
    }
}

fn canonicalization(c14n: Node) -> Result<()> {
    only_attributes(c14n, &["Algorithm"])?;
    let alg = c14n.attribute("Algorithm").unwrap_or("");
    if alg != EXC_C14N {
        return Err(XmlSigError::Algorithm(alg.to_owned()));
    }
    inclusive_namespaces(c14n)
}

/// Exclusive canonicalization may name prefixes to treat inclusively, nothing else.
fn inclusive_namespaces(node: Node) -> Result<()> {
    for child in elements(node)? {
        if !child.has_tag_name((NS_EXC_C14N, "InclusiveNamespaces")) {
            return Err(forbidden(child));
        }
        only_attributes(child, &["PrefixList"])?;
        no_children(child)?;
    }
    Ok(())
}

/// KeyInfo may carry certificates and public keys (ignored: keys come from configuration),
/// never a way to fetch a key (RetrievalMethod) or to agree or decrypt one.
fn key_info(node: Node) -> Result<()> {
    only_attributes(node, &["Id"])?;
    for child in elements(node)? {
        if is_ds(child, "KeyName") {
            text_only(child)?;
        } else if is_ds(child, "KeyValue") {
            // A public key written out (AgID's registry does): inert, since xmlsec is given the
            // configured key and then ignores KeyInfo; allowed only in its plain RSA/EC forms.
            for value in elements(child)? {
                if !is_ds(value, "RSAKeyValue") && !value.has_tag_name((NS_DSIG11, "ECKeyValue")) {
                    return Err(forbidden(value));
                }
                for part in elements(value)? {
                    text_only(part)?;
                }
            }
        } else if is_ds(child, "X509Data") {
            for item in elements(child)? {
                if is_ds(item, "X509Certificate") || is_ds(item, "X509SubjectName") {
                    text_only(item)?;
                } else if is_ds(item, "X509IssuerSerial") {
                    for part in elements(item)? {
                        if !is_ds(part, "X509IssuerName") && !is_ds(part, "X509SerialNumber") {
                            return Err(forbidden(part));
                        }
                        text_only(part)?;
                    }
                } else {
                    return Err(forbidden(item));
                }
            }
        } else {
            return Err(forbidden(child));
        }
    }
    Ok(())
}

/// XAdES baseline-B: the Object holds only the QualifyingProperties of this signature, whose
/// SignedProperties have the referenced Id; inside, XAdES elements and the digest of the
/// signing certificate only.
fn qualifying_properties(object: Node, signature: Node, properties_id: &str) -> Result<()> {
    only_attributes(object, &["Id"])?;
    let children = elements(object)?;
    let [qp] = children.as_slice() else {
        return Err(XmlSigError::ForbiddenElement("Object".into()));
    };
    if !qp.has_tag_name((NS_XADES, "QualifyingProperties")) {
        return Err(forbidden(*qp));
    }
    let target = format!("#{}", signature.attribute("Id").unwrap_or_default());
    if qp.attribute("Target") != Some(target.as_str()) || target == "#" {
        return Err(XmlSigError::ReferenceTarget);
    }
    let mut found = false;
    for n in qp.descendants().filter(|n| n.is_element()) {
        let ns = n.tag_name().namespace();
        let allowed = ns == Some(NS_XADES)
            || [
                "DigestMethod",
                "DigestValue",
                "X509IssuerName",
                "X509SerialNumber",
            ]
            .iter()
            .any(|t| is_ds(n, t));
        if !allowed {
            return Err(forbidden(n));
        }
        if n.has_tag_name((NS_XADES, "SignedProperties"))
            && n.attribute("Id") == Some(properties_id)
        {
            found = n.parent() == Some(*qp);
        }
    }
    if found {
        Ok(())
    } else {
        Err(XmlSigError::ReferenceTarget)
    }
}

fn is_ds(n: Node, name: &str) -> bool {
    n.has_tag_name((NS_DS, name))
}

/// The element children of `node`; text other than whitespace and processing instructions
/// are refused (comments are dropped by canonicalization and allowed).
fn elements<'a, 'i>(node: Node<'a, 'i>) -> Result<Vec<Node<'a, 'i>>> {
    let mut out = Vec::new();
    for child in node.children() {
        match child.node_type() {
            NodeType::Element => out.push(child),
            NodeType::Text if child.text().is_some_and(|t| t.trim().is_empty()) => {}
            NodeType::Comment => {}
            _ => {
                return Err(XmlSigError::ForbiddenElement(format!(
                    "content of {}",
                    name(node)
                )))
            }
        }
    }
    Ok(out)
}

fn text_only(node: Node) -> Result<()> {
    if node.children().all(|c| c.is_text()) {
        Ok(())
    } else {
        Err(XmlSigError::ForbiddenElement(format!(
            "content of {}",
            name(node)
        )))
    }
}

fn no_children(node: Node) -> Result<()> {
    if elements(node)?.is_empty() {
        Ok(())
    } else {
        Err(XmlSigError::ForbiddenElement(format!(
            "content of {}",
            name(node)
        )))
    }
}

fn only_attributes(node: Node, allowed: &[&str]) -> Result<()> {
    match node
        .attributes()
        .find(|a| a.namespace().is_some() || !allowed.contains(&a.name()))
    {
        Some(a) => Err(XmlSigError::ForbiddenAttribute(a.name().to_owned())),
        None => Ok(()),
    }
}

fn algorithm_in(node: Node, allowed: &[&str]) -> Result<()> {
    only_attributes(node, &["Algorithm"])?;
    let alg = node.attribute("Algorithm").unwrap_or("");
    if allowed.contains(&alg) {
        Ok(())
    } else {
        Err(XmlSigError::Algorithm(alg.to_owned()))
    }
}

fn name(node: Node) -> String {
    node.tag_name().name().to_owned()
}

fn forbidden(node: Node) -> XmlSigError {
    XmlSigError::ForbiddenElement(name(node))
}

fn forbidden_or_missing(found: Option<&Node>, expected: &str) -> XmlSigError {
    match found {
        Some(n) => forbidden(*n),
        None => XmlSigError::ForbiddenElement(format!("missing {expected}")),
    }
}

/// The `encoding` of the XML declaration, when there is one (after an optional UTF-8 BOM).
fn declared_encoding(xml: &str) -> Option<&str> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let declaration = &xml[..xml.find("?>")?];
    if !declaration.starts_with("<?xml") {
        return None;
    }
    let after = &declaration[declaration.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next()?;
    if quote != '"' && quote != '\'' {
        // Not a well-formed declaration: the parser below refuses it.
        return Some(after);
    }
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}
