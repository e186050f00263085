//! The Segnatura XML: valid against AgID's schema (SegnaturaInformatica 3.0.0), sealed with a
//! XAdES baseline-B signature that verifies with the AOO's certificate and breaks on any change.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use istanze_protocol::embedded::entry;
use istanze_protocol::segnatura::{segnatura, verify, Registrar, Seal};
use istanze_protocol::segnatura_2013::{segnatura_2013, Addressee};
use libxml::parser::Parser;
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use openssl::{
    asn1::Asn1Time, hash::MessageDigest, pkey::PKey, rsa::Rsa, x509::X509NameBuilder, x509::X509,
};

fn seal() -> Seal {
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", "AOO Provincia di Prova - sigillo")
        .unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(&name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    b.sign(&key, MessageDigest::sha256()).unwrap();
    Seal::from_pem(
        &key.private_key_to_pem_pkcs8().unwrap(),
        &b.build().to_pem().unwrap(),
    )
    .unwrap()
}

fn entry() -> entry::Model {
    entry::Model {
        id: 1,
        aoo: "A1B2C3D".into(),
        register: "PROT".into(),
        year: 2026,
        number: 42,
        registered_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap(),
        direction: "A".into(),
        subject: "Richiesta di patrocinio per l'evento \"Festa della musica\" & altro".into(),
        classification: "1.8".into(),
        correspondent: r#"{"fiscal_number":"RSSMRA85T10A562S","name":"Mario Rossi","given_name":"Mario","family_name":"Rossi","email":"mario.rossi@example.it"}"#.into(),
        primary_name: "domanda.json".into(),
        primary_mime: "application/json".into(),
        primary_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        primary_size: 4,
        attachments: r#"[{"file_name":"programma.pdf","mime_type":"application/pdf","sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae","size":3,"description":"Programma dell'evento"}]"#.into(),
        attachment_count: 1,
        idempotency_key: "k".into(),
        segnatura: String::new(),
        case_file_code: String::new(),
        case_file_name: String::new(),
        prev_hash: String::new(),
        entry_hash: String::new(),
    }
}

fn registrar() -> Registrar {
    Registrar {
        administration: "Provincia di Prova".into(),
        ipa_code: "p_pr".into(),
        aoo: "A1B2C3D".into(),
    }
}

fn validate(xml: &str) -> Result<(), Vec<String>> {
    validate_with(xml, "segnatura_protocollo.xsd")
}

fn validate_with(xml: &str, schema: &str) -> Result<(), Vec<String>> {
    let xsd = format!(
        "{}/schemas/agid-protocollo/{schema}",
        env!("CARGO_MANIFEST_DIR")
    );
    // The seal's verification locks libxml2 out of the file system for the whole process
    // (istanze-xmlsig): the schemas' own directory is the one place it may read from.
    istanze_xmlsig::allow_local_dir(std::path::Path::new(&format!(
        "{}/schemas",
        env!("CARGO_MANIFEST_DIR")
    )))
    .unwrap();
    let mut parser = SchemaParserContext::from_file(&xsd);
    let mut ctx = SchemaValidationContext::from_parser(&mut parser).map_err(|e| {
        e.iter()
            .map(|x| format!("{:?}", x.message))
            .collect::<Vec<_>>()
    })?;
    let doc = Parser::default().parse_string(xml).unwrap();
    ctx.validate_document(&doc)
        .map_err(|e| e.iter().map(|x| format!("{:?}", x.message)).collect())
}

#[test]
fn the_segnatura_is_valid_against_agid_schema_and_sealed() {
    let seal = seal();
    let signing_time = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 1).unwrap();
    let xml = segnatura(&entry(), &registrar(), &seal, signing_time).unwrap();
    validate(&xml).unwrap_or_else(|e| panic!("schema errors: {e:?}\n{xml}"));
    for part in [
        "<prot:NumeroRegistrazione>0000042</prot:NumeroRegistrazione>",
        "<prot:DataRegistrazione>2026-11-23</prot:DataRegistrazione>",
        "<prot:OraRegistrazione>11:00:00</prot:OraRegistrazione>",
        "<prot:CodiceFiscale>RSSMRA85T10A562S</prot:CodiceFiscale>",
        // SHA-256 of "test", base64.
        "<prot:Impronta>n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=</prot:Impronta>",
        "<xades:SigningTime>2026-11-23T10:00:01Z</xades:SigningTime>",
        "http://uri.etsi.org/01903#SignedProperties",
    ] {
        assert!(xml.contains(part), "{part} missing in\n{xml}");
    }
    assert!(!xml.contains("DOCTYPE"), "no DTD in the output");
    verify(&xml, seal.certificate_der()).unwrap();
}

#[test]
fn an_outgoing_communication_comes_from_the_administration_in_its_case_file() {
    let seal = seal();
    let mut e = entry();
    e.direction = "P".into();
    e.case_file_code = "1.8/2026/01HZX".into();
    e.case_file_name = "Patrocinio: Festa della musica".into();
    let xml = segnatura(&e, &registrar(), &seal, Utc::now()).unwrap();
    validate(&xml).unwrap_or_else(|errors| panic!("schema errors: {errors:?}\n{xml}"));
    let from = &xml[xml.find("<prot:Mittente>").unwrap()..xml.find("</prot:Mittente>").unwrap()];
    let to =
        &xml[xml.find("<prot:Destinatario>").unwrap()..xml.find("</prot:Destinatario>").unwrap()];
    assert!(
        from.contains("<prot:CodiceIPAAmministrazione>p_pr"),
        "{from}"
    );
    assert!(to.contains("<prot:CodiceFiscale>RSSMRA85T10A562S"), "{to}");
    assert!(xml.contains(
        "<prot:Fascicolo><prot:Denominazione>Patrocinio: Festa della musica</prot:Denominazione>\
         <prot:CodiceFascicolo>1.8/2026/01HZX</prot:CodiceFascicolo></prot:Fascicolo>"
    ));
    verify(&xml, seal.certificate_der()).unwrap();
    // An incoming one without a case file names none, and the citizen sends it.
    let incoming = segnatura(&entry(), &registrar(), &seal, Utc::now()).unwrap();
    assert!(!incoming.contains("Fascicolo"));
    let from = &incoming
        [incoming.find("<prot:Mittente>").unwrap()..incoming.find("</prot:Mittente>").unwrap()];
    assert!(from.contains("<prot:PersonaFisica>"), "{from}");
}

#[test]
fn any_change_breaks_the_seal_and_another_key_does_not_verify() {
    let seal = seal();
    let xml = segnatura(&entry(), &registrar(), &seal, Utc::now()).unwrap();
    let altered = xml.replace("0000042", "0000043");
    assert!(verify(&altered, seal.certificate_der()).is_err());
    let signing = xml.replace(
        &xml[xml.find("<xades:SigningTime>").unwrap()..xml.find("</xades:SigningTime>").unwrap()],
        "<xades:SigningTime>2020-01-01T00:00:00Z",
    );
    assert!(
        verify(&signing, seal.certificate_der()).is_err(),
        "the signed properties are covered"
    );
    assert!(verify(&xml, self::seal().certificate_der()).is_err());
}

#[test]
fn a_segnatura_without_its_signature_is_not_valid() {
    let xml = segnatura(&entry(), &registrar(), &seal(), Utc::now()).unwrap();
    let start = xml.find("<ds:Signature").unwrap();
    let end = xml.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let unsigned = format!("{}{}", &xml[..start], &xml[end..]);
    assert!(validate(&unsigned).is_err());
}

#[test]
fn the_2013_segnatura_is_valid_against_the_circolare_60_schema() {
    let from = Addressee {
        registrar: Registrar {
            aoo: "A9Z8Y7X".into(),
            ..registrar()
        },
        address: "istanze@pec.provincia.example.it".into(),
    };
    let to = Addressee {
        registrar: registrar(),
        address: "protocollo@pec.provincia.example.it".into(),
    };
    let xml = segnatura_2013(&entry(), &from, &to).unwrap();
    validate_with(
        &xml,
        "previous_schemas/segnatura_protocollo_circolare_60_2013.xsd",
    )
    .unwrap_or_else(|e| panic!("schema errors: {e:?}\n{xml}"));
    for part in [
        "<CodiceAOO>A9Z8Y7X</CodiceAOO><CodiceRegistro>PROT</CodiceRegistro><NumeroRegistrazione>0000042</NumeroRegistrazione>",
        "<DataRegistrazione>2026-11-23</DataRegistrazione>",
        r#"<Destinazione confermaRicezione="si"><IndirizzoTelematico tipo="smtp">protocollo@pec.provincia.example.it</IndirizzoTelematico>"#,
        "<Livello>1</Livello><Livello>8</Livello>",
        "codice fiscale RSSMRA85T10A562S",
        r#"<Impronta algoritmo="SHA-256" codifica="base64">n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=</Impronta>"#,
        r#"nome="programma.pdf" tipoMIME="application/pdf""#,
        "&amp; altro",
    ] {
        assert!(xml.contains(part), "{part} missing in\n{xml}");
    }
    // The 2021 schema is a different language: the 2013 form must not pass for it.
    assert!(validate(&xml).is_err());
}
