//! The first line: every shape of signature outside the SPID/AgID profiles is refused by
//! name, before xmlsec sees the document; the shapes real messages use are accepted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use istanze_xmlsig::{check, Profile, XmlSigError};

const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// A `ds:Signature` with the given Reference(s) and what follows its SignatureValue.
fn signature(references: &str, after_value: &str) -> String {
    format!(
        concat!(
            r#"<ds:Signature xmlns:ds="{ds}"><ds:SignedInfo>"#,
            r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
            r#"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"#,
            "{refs}</ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue>{after}",
            "</ds:Signature>"
        ),
        ds = DS,
        refs = references,
        after = after_value
    )
}

/// `<r ID="r1">` signed by a signature with the given Reference(s).
fn doc(references: &str, after_value: &str) -> String {
    format!(
        r#"<r ID="r1"><c ID="c1">x</c>{}</r>"#,
        signature(references, after_value)
    )
}

fn reference(uri: &str, transforms: &str) -> String {
    format!(
        concat!(
            r#"<ds:Reference URI="{uri}"><ds:Transforms>{t}</ds:Transforms>"#,
            r#"<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>"#,
            "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference>"
        ),
        uri = uri,
        t = transforms
    )
}

const STANDARD: &str = concat!(
    r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#,
    r#"<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#">"#,
    r#"<ec:InclusiveNamespaces xmlns:ec="http://www.w3.org/2001/10/xml-exc-c14n#" PrefixList="xs"/>"#,
    "</ds:Transform>"
);
const KEY_INFO: &str =
    "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>AA==</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";

fn saml(d: &str) -> Result<(), XmlSigError> {
    check(d, &Profile::SAML)
}

#[test]
fn control_the_spid_shape_is_accepted() {
    saml(&doc(&reference("#r1", STANDARD), KEY_INFO)).unwrap();
    saml(&doc(&reference("#r1", STANDARD), "")).unwrap();
}

#[test]
fn a_reference_to_an_http_address_is_refused() {
    let d = doc(&reference("http://10.0.0.1/admin", STANDARD), KEY_INFO);
    assert_eq!(saml(&d), Err(XmlSigError::ExternalReference));
}

#[test]
fn a_reference_to_dev_zero_is_refused() {
    let d = doc(&reference("file:///dev/zero", ""), KEY_INFO);
    assert_eq!(saml(&d), Err(XmlSigError::ExternalReference));
}

#[test]
fn a_reference_to_a_local_file_is_refused() {
    let d = doc(&reference("/etc/passwd", ""), KEY_INFO);
    assert_eq!(saml(&d), Err(XmlSigError::ExternalReference));
    let d = doc(&reference("../../sp-key.pem", ""), KEY_INFO);
    assert_eq!(saml(&d), Err(XmlSigError::ExternalReference));
}

#[test]
fn an_xslt_transform_is_refused() {
    let xslt = concat!(
        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116">"#,
        r#"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0">"#,
        r#"<xsl:template match="/"><xsl:value-of select="document('http://10.0.0.1/')"/></xsl:template>"#,
        "</xsl:stylesheet></ds:Transform>"
    );
    let d = doc(&reference("#r1", xslt), KEY_INFO);
    assert_eq!(
        saml(&d),
        Err(XmlSigError::Transform(
            "http://www.w3.org/TR/1999/REC-xslt-19991116".into()
        ))
    );
}

#[test]
fn an_xpath_transform_is_refused() {
    let xpath = concat!(
        r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116">"#,
        "<ds:XPath>count(//. | //@* | //namespace::*)</ds:XPath></ds:Transform>"
    );
    let d = doc(&reference("#r1", xpath), KEY_INFO);
    assert_eq!(
        saml(&d),
        Err(XmlSigError::Transform(
            "http://www.w3.org/TR/1999/REC-xpath-19991116".into()
        ))
    );
    let filter2 = r#"<ds:Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"/>"#;
    assert_eq!(
        saml(&doc(&reference("#r1", filter2), "")),
        Err(XmlSigError::Transform(
            "http://www.w3.org/2002/06/xmldsig-filter2".into()
        ))
    );
}

#[test]
fn a_retrieval_method_is_refused() {
    let key_info = concat!(
        r#"<ds:KeyInfo><ds:RetrievalMethod URI="http://10.0.0.1/key" "#,
        r#"Type="http://www.w3.org/2000/09/xmldsig#X509Data"/></ds:KeyInfo>"#
    );
    let d = doc(&reference("#r1", STANDARD), key_info);
    assert_eq!(
        saml(&d),
        Err(XmlSigError::ForbiddenElement("RetrievalMethod".into()))
    );
}

#[test]
fn key_material_other_than_a_plain_public_key_is_refused() {
    let key_info = "<ds:KeyInfo><ds:KeyValue><ds:DSAKeyValue/></ds:KeyValue></ds:KeyInfo>";
    let d = doc(&reference("#r1", STANDARD), key_info);
    assert_eq!(
        saml(&d),
        Err(XmlSigError::ForbiddenElement("DSAKeyValue".into()))
    );
    let agreement = "<ds:KeyInfo><xenc:AgreementMethod xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></ds:KeyInfo>";
    let d = doc(&reference("#r1", STANDARD), agreement);
    assert_eq!(
        saml(&d),
        Err(XmlSigError::ForbiddenElement("AgreementMethod".into()))
    );
    // AgID's registry writes its public key out: inert, accepted.
    let rsa = "<ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue><ds:Modulus>AA==</ds:Modulus><ds:Exponent>AQAB</ds:Exponent></ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>";
    saml(&doc(&reference("#r1", STANDARD), rsa)).unwrap();
}

#[test]
fn a_second_reference_is_refused() {
    let two = format!(
        "{}{}",
        reference("#r1", STANDARD),
        reference("#r1", STANDARD)
    );
    assert_eq!(
        saml(&doc(&two, KEY_INFO)),
        Err(XmlSigError::ReferenceCount {
            found: 2,
            expected: 1
        })
    );
    // A second reference that points outside is named as such.
    let outside = format!(
        "{}{}",
        reference("#r1", STANDARD),
        reference("http://10.0.0.1/", "")
    );
    assert_eq!(
        saml(&doc(&outside, KEY_INFO)),
        Err(XmlSigError::ExternalReference)
    );
}

#[test]
fn a_reference_to_another_elements_id_is_refused() {
    let d = doc(&reference("#c1", STANDARD), KEY_INFO);
    assert_eq!(saml(&d), Err(XmlSigError::ReferenceTarget));
    let xpointer = doc(&reference("#xpointer(/)", STANDARD), KEY_INFO);
    assert_eq!(saml(&xpointer), Err(XmlSigError::ReferenceTarget));
    let whole = doc(&reference("", STANDARD), KEY_INFO);
    assert_eq!(saml(&whole), Err(XmlSigError::ReferenceTarget));
}

#[test]
fn an_object_is_refused() {
    let object = concat!(
        "<ds:Object><ds:Manifest><ds:Reference URI=\"http://10.0.0.1/\">",
        "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
        "<ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:Manifest></ds:Object>"
    );
    let d = doc(&reference("#r1", STANDARD), &format!("{KEY_INFO}{object}"));
    assert_eq!(
        saml(&d),
        Err(XmlSigError::ForbiddenElement("Object".into()))
    );
}

#[test]
fn weak_or_unknown_algorithms_are_refused() {
    let sha1 = doc(&reference("#r1", STANDARD), KEY_INFO).replace(
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2000/09/xmldsig#sha1",
    );
    assert_eq!(
        saml(&sha1),
        Err(XmlSigError::Algorithm(
            "http://www.w3.org/2000/09/xmldsig#sha1".into()
        ))
    );
    let rsa_sha1 = doc(&reference("#r1", STANDARD), KEY_INFO).replace(
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    );
    assert!(matches!(saml(&rsa_sha1), Err(XmlSigError::Algorithm(_))));
    let hmac = doc(&reference("#r1", STANDARD), KEY_INFO).replace(
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    );
    assert!(matches!(saml(&hmac), Err(XmlSigError::Algorithm(_))));
    let with_comments = doc(&reference("#r1", STANDARD), KEY_INFO).replacen(
        r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>"#,
        r#"<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#WithComments"/>"#,
        1,
    );
    assert!(matches!(
        saml(&with_comments),
        Err(XmlSigError::Algorithm(_))
    ));
}

#[test]
fn a_signature_away_from_the_element_it_signs_is_refused() {
    // Signature inside <c>, referencing the document element.
    let d = doc(&reference("#r1", STANDARD), KEY_INFO);
    let moved = d
        .replacen("<c ID=\"c1\">x</c>", "", 1)
        .replacen("<ds:Signature", "<c ID=\"c1\"><ds:Signature", 1)
        .replacen("</ds:Signature>", "</ds:Signature></c>", 1);
    assert_eq!(saml(&moved), Err(XmlSigError::ReferenceTarget));
    let no_id = d.replacen("<r ID=\"r1\">", "<r>", 1);
    assert_eq!(saml(&no_id), Err(XmlSigError::ParentWithoutId("ID")));
}

#[test]
fn a_dtd_and_too_many_signatures_are_refused() {
    let d = doc(&reference("#r1", STANDARD), KEY_INFO);
    let dtd = format!("<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{d}");
    assert!(matches!(saml(&dtd), Err(XmlSigError::Malformed(_))));
    let sig_start = d.find("<ds:Signature").unwrap();
    let sig = &d[sig_start..d.find("</r>").unwrap()];
    let three = d.replacen(
        "<c ID=\"c1\">x</c>",
        &format!(
            "<c ID=\"c1\">x{0}</c><c ID=\"c2\">{0}</c>",
            sig.replace("#r1", "#c1")
        ),
        1,
    );
    assert_eq!(
        saml(&three),
        Err(XmlSigError::TooManySignatures { found: 3, max: 2 })
    );
    assert_eq!(saml("<r ID=\"r1\"/>"), Err(XmlSigError::Unsigned));
}

#[test]
fn a_signature_that_is_not_processed_is_not_checked_but_the_first_is() {
    // Signed metadata: the registry's own signature (first, a child of the root, by "" or #ID)
    // is checked; the entries' signatures are never given to xmlsec.
    let root = signature(&reference("", STANDARD), KEY_INFO);
    let inner = signature(&reference("http://10.0.0.1/", ""), "");
    let registry = format!(r#"<r ID="r1">{root}<e ID="e1">{inner}</e></r>"#);
    check(&registry, &Profile::SAML_METADATA).unwrap();
    // Where every signature is processed, the inner one is refused.
    let by_id = registry.replacen(r#"URI="""#, r##"URI="#r1""##, 1);
    check(&by_id, &Profile::SAML_METADATA).unwrap();
    assert_eq!(saml(&by_id), Err(XmlSigError::ExternalReference));
    let only_inner = format!(
        r#"<r ID="r1"><e ID="e1">{}</e></r>"#,
        signature(&reference("#e1", STANDARD), "")
    );
    assert_eq!(
        check(&only_inner, &Profile::SAML_METADATA),
        Err(XmlSigError::ReferenceTarget)
    );
}

#[test]
fn a_declared_encoding_other_than_utf8_is_refused() {
    let body = doc(&reference("#r1", STANDARD), KEY_INFO);
    // UTF-7 would make libxml2 read `+ADw-` as `<`: a second document under the checked one.
    for encoding in ["UTF-7", "utf-16", "ISO-8859-1", "EBCDIC-US"] {
        for quote in ['"', '\''] {
            let d = format!("<?xml version=\"1.0\" encoding={quote}{encoding}{quote}?>{body}");
            assert_eq!(
                saml(&d),
                Err(XmlSigError::Malformed(format!(
                    "encoding {encoding} declared: only UTF-8 is accepted"
                ))),
                "{d}"
            );
        }
    }
    // UTF-8, declared in any case or not at all, with or without a BOM, is the control.
    for declaration in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\" encoding = 'utf-8'?>",
        "<?xml version=\"1.0\"?>",
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "",
    ] {
        saml(&format!("{declaration}{body}")).unwrap();
    }
}

#[test]
fn the_referenced_id_names_one_element_and_xml_id_is_refused() {
    // Another element carrying the parent's ID value (under any spelling of the attribute)
    // could be what libxml2 and xmlsec resolve `#r1` to.
    for attribute in ["ID", "Id", "id"] {
        let d = format!(
            r#"<r ID="r1"><c {attribute}="r1">x</c>{}</r>"#,
            signature(&reference("#r1", STANDARD), KEY_INFO)
        );
        assert_eq!(saml(&d), Err(XmlSigError::ReferenceTarget), "{attribute}");
    }
    let d = format!(
        r#"<r ID="r1"><c xml:id="c1">x</c>{}</r>"#,
        signature(&reference("#r1", STANDARD), KEY_INFO)
    );
    assert_eq!(
        saml(&d),
        Err(XmlSigError::ForbiddenAttribute("xml:id".into()))
    );
}
