//! One test per SPID rule on the Response and the Assertion (the checks of AgID's validator,
//! numbered there 8-99): each changes one thing in a genuine response, re-signs it with the
//! IdP's key, and expects the refusal. Response-level changes are signed through the Assertion
//! only (the Response may be unsigned), so the check itself, not the signature, refuses them.

use super::test_fixture::*;
use super::SamlRule;
use crate::AuthError;

const ENTITY: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
const ISSUER: &str = "<saml:Issuer Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">https://idp.example.it</saml:Issuer>";

/// Replaces the `n`-th (0-based) occurrence of `from`.
fn nth(xml: &str, from: &str, to: &str, n: usize) -> String {
    let at = xml
        .match_indices(from)
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{from} #{n} not found"));
    format!("{}{}{}", &xml[..at], to, &xml[at + from.len()..])
}

fn between(xml: &str, start: &str, end: &str) -> String {
    let s = xml.find(start).unwrap();
    let e = xml[s..].find(end).unwrap() + s + end.len();
    format!("{}{}", &xml[..s], &xml[e..])
}

macro_rules! refused {
    ($($name:ident: $sign:ident, $mutate:expr, $pat:pat_param => ;)*) => {$(
        #[test]
        fn $name() {
            let mutate: fn(String) -> String = $mutate;
            let xml = mutate(unsigned(&genuine()));
            let err = check(&$sign(&xml)).unwrap_err();
            assert!(matches!(err, $pat), "{}: {err}", stringify!($name));
        }
    )*};
}

#[test]
fn control_both_ways_of_signing_are_accepted() {
    assert!(check(&resign_both(&genuine())).is_ok());
    assert!(check(&resign_assertion_only(&genuine())).is_ok());
}

refused! {
    response_version_not_2_0: resign_assertion_only, |x| x.replacen("Version=\"2.0\"", "Version=\"1.0\"", 1), AuthError::Check(SamlRule::Version("Response")) => ;
    response_issue_instant_missing: resign_assertion_only, |x| x.replacen(" IssueInstant=\"2026-11-23T10:00:00Z\"", "", 1), AuthError::Check(SamlRule::Missing { element: "Response", attribute: "IssueInstant" }) => ;
    response_issue_instant_not_utc: resign_assertion_only, |x| x.replacen("IssueInstant=\"2026-11-23T10:00:00Z\"", "IssueInstant=\"2026-11-23T11:00:00+01:00\"", 1), AuthError::Check(SamlRule::NotUtc { element: "Response", attribute: "IssueInstant" }) => ;
    response_issue_instant_malformed: resign_assertion_only, |x| x.replacen("IssueInstant=\"2026-11-23T10:00:00Z\"", "IssueInstant=\"2026-11-23T25:00:00Z\"", 1), AuthError::Check(SamlRule::BadInstant { element: "Response", attribute: "IssueInstant" }) => ;
    response_issue_instant_in_the_future: resign_assertion_only, |x| x.replacen("IssueInstant=\"2026-11-23T10:00:00Z\"", "IssueInstant=\"2026-11-23T10:05:00Z\"", 1), AuthError::Check(SamlRule::IssuedInTheFuture("Response")) => ;
    response_issue_instant_before_the_request: resign_assertion_only, |x| x.replacen("IssueInstant=\"2026-11-23T10:00:00Z\"", "IssueInstant=\"2026-11-23T09:55:00Z\"", 1), AuthError::Check(SamlRule::IssuedBeforeTheRequest("Response")) => ;
    response_in_response_to_another_request: resign_assertion_only, |x| x.replacen("InResponseTo=\"_attack_request\">", "InResponseTo=\"_other\">", 1), AuthError::UnknownRequest => ;
    response_in_response_to_missing: resign_assertion_only, |x| x.replacen(" InResponseTo=\"_attack_request\">", ">", 1), AuthError::UnknownRequest => ;
    response_destination_elsewhere: resign_assertion_only, |x| x.replacen("Destination=\"https://istanze.example.it/spid/acs\"", "Destination=\"https://evil.example/acs\"", 1), AuthError::Check(SamlRule::Destination) => ;
    response_destination_missing: resign_assertion_only, |x| x.replacen(" Destination=\"https://istanze.example.it/spid/acs\"", "", 1), AuthError::Check(SamlRule::Destination) => ;
    status_missing: resign_assertion_only, |x| between(&x, "<samlp:Status>", "</samlp:Status>"), AuthError::Check(SamlRule::StatusMissing) => ;
    status_code_missing: resign_assertion_only, |x| between(&x, "<samlp:StatusCode", "/>"), AuthError::Check(SamlRule::StatusCodeMissing) => ;
    status_not_success: resign_assertion_only, |x| x.replace("status:Success", "status:Requester"), AuthError::IdpStatus { .. } => ;
    response_issuer_missing: resign_assertion_only, |x| x.replacen(ISSUER, "", 1), AuthError::Check(SamlRule::IssuerMissing("Response")) => ;
    response_issuer_another_idp: resign_assertion_only, |x| nth(&x, ">https://idp.example.it</saml:Issuer>", ">https://evil.example</saml:Issuer>", 0), AuthError::Check(SamlRule::IssuerNotTheIdp("Response")) => ;
    response_issuer_wrong_format: resign_assertion_only, |x| nth(&x, ENTITY, "urn:oasis:names:tc:SAML:2.0:nameid-format:transient", 0), AuthError::Check(SamlRule::IssuerFormat("Response")) => ;
    assertion_version_not_2_0: resign_both, |x| x.replace("ID=\"_assert\" Version=\"2.0\"", "ID=\"_assert\" Version=\"1.0\""), AuthError::Check(SamlRule::Version("Assertion")) => ;
    assertion_issue_instant_in_the_future: resign_both, |x| x.replace("ID=\"_assert\" Version=\"2.0\" IssueInstant=\"2026-11-23T10:00:00Z\"", "ID=\"_assert\" Version=\"2.0\" IssueInstant=\"2026-11-23T10:09:00Z\""), AuthError::Check(SamlRule::IssuedInTheFuture("Assertion")) => ;
    assertion_issue_instant_missing: resign_both, |x| x.replace("ID=\"_assert\" Version=\"2.0\" IssueInstant=\"2026-11-23T10:00:00Z\"", "ID=\"_assert\" Version=\"2.0\""), AuthError::Check(SamlRule::Missing { element: "Assertion", attribute: "IssueInstant" }) => ;
    assertion_issuer_missing: resign_both, |x| nth(&x, ISSUER, "", 1), AuthError::Check(SamlRule::IssuerMissing("Assertion")) => ;
    assertion_issuer_another_idp: resign_both, |x| nth(&x, ">https://idp.example.it</saml:Issuer>", ">https://evil.example</saml:Issuer>", 1), AuthError::Check(SamlRule::IssuerNotTheIdp("Assertion")) => ;
    assertion_issuer_without_format: resign_both, |x| nth(&x, ISSUER, "<saml:Issuer>https://idp.example.it</saml:Issuer>", 1), AuthError::Check(SamlRule::IssuerFormat("Assertion")) => ;
    subject_missing: resign_both, |x| between(&x, "<saml:Subject>", "</saml:Subject>"), AuthError::Check(SamlRule::SubjectMissing) => ;
    name_id_missing: resign_both, |x| between(&x, "<saml:NameID", "</saml:NameID>"), AuthError::Check(SamlRule::NameIdMissing) => ;
    name_id_not_transient: resign_both, |x| x.replace("<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:transient\"", "<saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\""), AuthError::Check(SamlRule::NameIdFormat) => ;
    name_qualifier_missing: resign_both, |x| x.replace(" NameQualifier=\"https://idp.example.it\">_n", ">_n"), AuthError::Check(SamlRule::NameQualifierMissing) => ;
    subject_confirmation_not_bearer: resign_both, |x| x.replace("cm:bearer", "cm:holder-of-key"), AuthError::Check(SamlRule::SubjectConfirmationMethod) => ;
    subject_confirmation_data_missing: resign_both, |x| between(&x, "<saml:SubjectConfirmationData", "/>"), AuthError::Check(SamlRule::SubjectConfirmationDataMissing) => ;
    recipient_elsewhere: resign_both, |x| x.replace("Recipient=\"https://istanze.example.it/spid/acs\"", "Recipient=\"https://evil.example/acs\""), AuthError::Check(SamlRule::Recipient) => ;
    subject_in_response_to_another_request: resign_both, |x| x.replace("InResponseTo=\"_attack_request\" NotOnOrAfter", "InResponseTo=\"_other\" NotOnOrAfter"), AuthError::UnknownRequest => ;
    subject_not_on_or_after_missing: resign_both, |x| x.replace(" NotOnOrAfter=\"2026-11-23T10:05:00Z\" Recipient", " Recipient"), AuthError::Check(SamlRule::Missing { element: "SubjectConfirmationData", attribute: "NotOnOrAfter" }) => ;
    subject_expired: resign_both, |x| x.replace("NotOnOrAfter=\"2026-11-23T10:05:00Z\" Recipient", "NotOnOrAfter=\"2026-11-23T09:59:00Z\" Recipient"), AuthError::Check(SamlRule::Expired) => ;
    conditions_missing: resign_both, |x| between(&x, "<saml:Conditions", "</saml:Conditions>"), AuthError::Check(SamlRule::ConditionsMissing) => ;
    conditions_not_yet_valid: resign_both, |x| x.replace("NotBefore=\"2026-11-23T10:00:00Z\"", "NotBefore=\"2026-11-23T10:02:00Z\""), AuthError::Check(SamlRule::NotYetValid) => ;
    conditions_not_before_missing: resign_both, |x| x.replace(" NotBefore=\"2026-11-23T10:00:00Z\"", ""), AuthError::Check(SamlRule::Missing { element: "Conditions", attribute: "NotBefore" }) => ;
    conditions_expired: resign_both, |x| x.replace("<saml:Conditions NotBefore=\"2026-11-23T10:00:00Z\" NotOnOrAfter=\"2026-11-23T10:05:00Z\"", "<saml:Conditions NotBefore=\"2026-11-23T09:00:00Z\" NotOnOrAfter=\"2026-11-23T09:30:00Z\""), AuthError::Check(SamlRule::Expired) => ;
    audience_another_service: resign_both, |x| x.replace("<saml:Audience>https://istanze.example.it</saml:Audience>", "<saml:Audience>https://other.example.it</saml:Audience>"), AuthError::Check(SamlRule::Audience) => ;
    audience_missing: resign_both, |x| between(&x, "<saml:AudienceRestriction>", "</saml:AudienceRestriction>"), AuthError::Check(SamlRule::AudienceMissing) => ;
    authn_statement_missing: resign_both, |x| between(&x, "<saml:AuthnStatement", "</saml:AuthnStatement>"), AuthError::Check(SamlRule::AuthnContextMissing) => ;
    authn_context_old_urn: resign_both, |x| x.replace("https://www.spid.gov.it/SpidL2", "urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL2"), AuthError::Check(SamlRule::AuthnContextUnknown) => ;
    authn_context_unknown: resign_both, |x| x.replace("https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL9"), AuthError::Check(SamlRule::AuthnContextUnknown) => ;
    authn_context_below_the_requested_level: resign_both, |x| x.replace("https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL1"), AuthError::LevelTooLow => ;
    attribute_statement_missing: resign_both, |x| between(&x, "<saml:AttributeStatement>", "</saml:AttributeStatement>"), AuthError::Check(SamlRule::AttributeStatementMissing) => ;
    attribute_statement_empty: resign_both, |x| { let s = x.find("<saml:AttributeStatement>").unwrap() + "<saml:AttributeStatement>".len(); let e = x.find("</saml:AttributeStatement>").unwrap(); format!("{}{}", &x[..s], &x[e..]) }, AuthError::Check(SamlRule::AttributeStatementEmpty) => ;
    fiscal_number_missing: resign_both, |x| x.replace("Name=\"fiscalNumber\"", "Name=\"ivaCode\""), AuthError::Check(SamlRule::FiscalNumberMissing) => ;
    fiscal_number_with_a_wrong_check_character: resign_both, |x| x.replace("TINIT-RSSMRA85T10A562S", "TINIT-RSSMRA85T10A562T"), AuthError::Check(SamlRule::FiscalNumberInvalid) => ;
    fiscal_number_not_a_fiscal_code: resign_both, |x| x.replace("TINIT-RSSMRA85T10A562S", "TINIT-12345678901"), AuthError::Check(SamlRule::FiscalNumberInvalid) => ;
}

/// From the eIDAS node, a person without an Italian fiscal code is known by `spidCode`; a
/// SPID IdP gets no such leeway, and the node's Italian codes are checked like any other.
#[test]
fn the_eidas_node_identifies_foreigners_by_their_eidas_identifier() {
    use istanze_domain::Subject;
    let foreign = |x: &str| x.replace("TINIT-RSSMRA85T10A562S", "TINDE-123456789");
    let xml = resign_both(&foreign(&unsigned(&genuine())));
    let id = check_from(&xml, true).unwrap();
    let Subject::Eidas(eidas) = &id.person.subject else {
        panic!("{:?}", id.person.subject)
    };
    assert!(!eidas.as_str().is_empty());
    assert_eq!(id.person.subject.key(), format!("eidas:{}", eidas.as_str()));
    assert!(matches!(
        check_from(&xml, false).unwrap_err(),
        AuthError::Check(SamlRule::FiscalNumberInvalid)
    ));

    let italian = check_from(&resign_both(&unsigned(&genuine())), true).unwrap();
    assert_eq!(italian.person.subject.key(), "RSSMRA85T10A562S");

    let spaced =
        resign_both(&foreign(&unsigned(&genuine())).replace(">DEMORSSMRA<", ">DEMO RSSMRA<"));
    assert!(matches!(
        check_from(&spaced, true).unwrap_err(),
        AuthError::Check(SamlRule::EidasIdentifierInvalid)
    ));

    let no_code = resign_both(
        &foreign(&unsigned(&genuine())).replace("Name=\"spidCode\"", "Name=\"ivaCode\""),
    );
    assert!(matches!(
        check_from(&no_code, true).unwrap_err(),
        AuthError::Check(SamlRule::FiscalNumberMissing)
    ));
}
