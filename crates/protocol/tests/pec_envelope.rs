//! The PEC provider's envelope: an AOO's answer is believed only inside a transport envelope
//! whose S/MIME signature verifies against the trust anchors, and each way of failing that is
//! refused by its own rule. The CAs, certificates and envelopes are made here by the test PKI.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, Utc};
use istanze_protocol::embedded::{EmbeddedRegister, RegisterIdentity};
use istanze_protocol::pec::test_pki::{answer_message, transport_content, Signer, TestCa};
use istanze_protocol::pec::{
    record, PecRecipient, PecRegister, PecSettings, Received, SegnaturaFormat, SmtpSecurity,
    TrustAnchors,
};
use istanze_protocol::segnatura::{Registrar, Seal};
use istanze_protocol::ProtocolError;
use sea_orm::{ActiveValue::Set, ConnectionTrait, Database, EntityTrait};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

const AOO_PEC: &str = "protocollo@pec.provincia.example.it";
const KEY: &str = "3f0c5d2e-0000-4000-8000-000000000042";

struct Migrator;
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        istanze_protocol::migration::migrations()
    }
}

struct Fixture {
    pec: PecRegister,
    /// The CA of the PEC providers, the one trust anchor.
    ca: TestCa,
    /// The AOO's provider, with a certificate that CA issued.
    provider: Signer,
    dir: tempfile::TempDir,
}

/// A PEC register trusting one test CA, with one application sent (our registration PROT
/// 0000042 of 2026) and not yet confirmed.
async fn fixture(anchors: Option<TrustAnchors>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = Database::connect(url).await.unwrap();
    db.execute_unprepared("PRAGMA journal_mode=WAL")
        .await
        .unwrap();
    Migrator::up(&db, None).await.unwrap();
    let ca = TestCa::new("CA dei gestori PEC di prova", 2048).unwrap();
    let provider = ca.issue("posta-certificata@pec.provider.example").unwrap();
    let anchors =
        anchors.unwrap_or_else(|| TrustAnchors::from_pem(&ca.cert_pem().unwrap()).unwrap());
    let embedded = EmbeddedRegister::new(
        db.clone(),
        RegisterIdentity {
            ipa_code: "p_pr".into(),
            aoo: "A1B2C3D".into(),
            register: "PROT".into(),
        },
    );
    let seal = Signer::self_signed("sigillo@provincia.example.it", 2048).unwrap();
    let settings = PecSettings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: 465,
        security: SmtpSecurity::Implicit,
        username: "istanze@pec.provincia.example.it".into(),
        password: "unused".into(),
        from: "istanze@pec.provincia.example.it".into(),
        recipient: PecRecipient {
            administration: "Provincia di Prova".into(),
            ipa_code: "p_aoo".into(),
            aoo: "A7A7A7A".into(),
            address: AOO_PEC.into(),
        },
        segnatura: SegnaturaFormat::Agid2021,
        ca_file: None,
        inbox_maildir: None,
        trust_anchors: Vec::new(),
        timeout_seconds: 5,
    };
    let pec = PecRegister::new(
        embedded,
        Registrar {
            administration: "Provincia di Prova".into(),
            ipa_code: "p_pr".into(),
            aoo: "A1B2C3D".into(),
        },
        Seal::from_pem(&seal.key_pem().unwrap(), &seal.cert_pem().unwrap()).unwrap(),
        settings,
        None,
        anchors,
    )
    .unwrap();
    // As if delivered: the row the adapter writes once the SMTP server accepted the message.
    record::Entity::insert(record::ActiveModel {
        idempotency_key: Set(KEY.into()),
        message_id: Set(format!("<istanze.{KEY}@pec.provincia.example.it>")),
        register: Set("PROT".into()),
        year: Set(2026),
        number: Set(42),
        segnatura_format: Set("2021".into()),
        sent_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&db)
    .await
    .unwrap();
    Fixture {
        pec,
        ca,
        provider,
        dir,
    }
}

/// The AOO's ConfermaRicezione of our PROT 0000042, registered by the AOO as `theirs`.
fn conferma(theirs: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<pec:ConfermaRicezione xmlns:pec="http://www.agid.gov.it/protocollo/pec/" xmlns:prot="http://www.agid.gov.it/protocollo/" pec:versione="3.0.0" pec:lang="it">
<pec:Identificatore><prot:CodiceAmministrazione>p_aoo</prot:CodiceAmministrazione><prot:CodiceAOO>A7A7A7A</prot:CodiceAOO><prot:CodiceRegistro>PG</prot:CodiceRegistro><prot:NumeroRegistrazione>{theirs}</prot:NumeroRegistrazione><prot:DataRegistrazione>2026-11-24</prot:DataRegistrazione></pec:Identificatore>
<pec:MessaggioRicevuto><pec:Identificatore><prot:CodiceAmministrazione>p_pr</prot:CodiceAmministrazione><prot:CodiceAOO>A1B2C3D</prot:CodiceAOO><prot:CodiceRegistro>PROT</prot:CodiceRegistro><prot:NumeroRegistrazione>0000042</prot:NumeroRegistrazione><prot:DataRegistrazione>2026-11-24</prot:DataRegistrazione></pec:Identificatore></pec:MessaggioRicevuto>
</pec:ConfermaRicezione>"#
    )
}

/// A transport envelope's content: the provider certifies `certified` as the sender of the
/// AOO's message carrying Conferma.xml.
fn content(certified: &str, theirs: &str) -> Vec<u8> {
    transport_content(
        "posta-certificata",
        certified,
        &answer_message(AOO_PEC, "Conferma.xml", &conferma(theirs)),
    )
}

/// The AOO's number recorded for our application, if any.
async fn recorded(f: &Fixture) -> Option<String> {
    f.pec.status(KEY).await.unwrap().unwrap().remote_number
}

async fn receive(f: &Fixture, raw: &[u8]) -> Result<Vec<Received>, ProtocolError> {
    receive_at(f, raw, Utc::now()).await
}

async fn receive_at(
    f: &Fixture,
    raw: &[u8],
    now: DateTime<Utc>,
) -> Result<Vec<Received>, ProtocolError> {
    f.pec.receive(raw, now).await
}

#[tokio::test]
async fn an_answer_in_a_correctly_signed_envelope_is_believed() {
    let f = fixture(None).await;
    let raw = f
        .provider
        .multipart_signed(&content(AOO_PEC, "0004321"))
        .unwrap();
    assert_eq!(
        receive(&f, &raw).await.unwrap(),
        [Received::Confirmed { key: KEY.into() }]
    );
    assert_eq!(recorded(&f).await.as_deref(), Some("0004321"));
}

#[tokio::test]
async fn an_answer_in_an_opaque_signed_envelope_is_believed() {
    let f = fixture(None).await;
    let raw = f.provider.pkcs7_mime(&content(AOO_PEC, "0004321")).unwrap();
    assert_eq!(
        receive(&f, &raw).await.unwrap(),
        [Received::Confirmed { key: KEY.into() }]
    );
    assert_eq!(recorded(&f).await.as_deref(), Some("0004321"));
}

#[tokio::test]
async fn an_envelope_stored_with_bare_newlines_still_verifies() {
    // Mail fetchers often deliver to the Maildir with LF line ends; the signature was made over
    // CRLF, which the reader puts back.
    let f = fixture(None).await;
    let raw = f
        .provider
        .multipart_signed(&content(AOO_PEC, "0004321"))
        .unwrap();
    let lf = String::from_utf8(raw).unwrap().replace("\r\n", "\n");
    assert_eq!(
        receive(&f, lf.as_bytes()).await.unwrap(),
        [Received::Confirmed { key: KEY.into() }]
    );
}

#[tokio::test]
async fn an_unsigned_envelope_is_refused() {
    // Exactly what used to be believed: X-Trasporto and a daticert.xml naming the AOO.
    let f = fixture(None).await;
    let mut raw =
        b"From: \"Per conto di: protocollo\" <posta-certificata@pec.provider.example>\r\n\
        X-Trasporto: posta-certificata\r\nMIME-Version: 1.0\r\n"
            .to_vec();
    raw.extend_from_slice(&content(AOO_PEC, "0009999"));
    assert!(
        matches!(receive(&f, &raw).await, Err(ProtocolError::PecUnsigned)),
        "refused as unsigned"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn an_envelope_signed_by_a_certificate_of_another_ca_is_refused() {
    let f = fixture(None).await;
    let other = TestCa::new("Altra CA", 2048).unwrap();
    let stranger = other.issue("posta-certificata@pec.altro.example").unwrap();
    let raw = stranger
        .multipart_signed(&content(AOO_PEC, "0009999"))
        .unwrap();
    let refused = receive(&f, &raw).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecUntrustedSigner(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn a_signed_content_altered_after_signing_is_refused() {
    // A stranger's own genuine PEC, its certified sender rewritten to the AOO's address.
    let f = fixture(None).await;
    let genuine = f
        .provider
        .multipart_signed(&content("someone@pec.elsewhere.example", "0009999"))
        .unwrap();
    let altered = String::from_utf8(genuine)
        .unwrap()
        .replace("someone@pec.elsewhere.example", AOO_PEC);
    let refused = receive(&f, altered.as_bytes()).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecSignature(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn a_self_signed_signer_is_refused() {
    let f = fixture(None).await;
    let forger = Signer::self_signed("posta-certificata@pec.provider.example", 2048).unwrap();
    let raw = forger
        .multipart_signed(&content(AOO_PEC, "0009999"))
        .unwrap();
    let refused = receive(&f, &raw).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecUntrustedSigner(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn a_certificate_of_the_trusted_ca_not_meant_for_signing_mail_is_refused() {
    let f = fixture(None).await;
    let tls = f.ca.issue_tls_only("smtp.pec.provider.example").unwrap();
    let raw = tls.multipart_signed(&content(AOO_PEC, "0009999")).unwrap();
    let refused = receive(&f, &raw).await;
    assert!(
        matches!(&refused, Err(ProtocolError::PecUntrustedSigner(why)) if why.contains("purpose")),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn a_provider_certificate_expired_at_reading_time_is_refused() {
    let f = fixture(None).await;
    let raw = f
        .provider
        .multipart_signed(&content(AOO_PEC, "0004321"))
        .unwrap();
    let later = Utc::now() + Duration::days(60);
    let refused = receive_at(&f, &raw, later).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecUntrustedSigner(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn a_correctly_signed_envelope_whose_certified_sender_is_not_the_aoo_is_ignored() {
    // A stranger's genuine PEC forwarding a message whose own From is the AOO.
    let f = fixture(None).await;
    let raw = f
        .provider
        .multipart_signed(&content("someone@pec.elsewhere.example", "0009999"))
        .unwrap();
    assert_eq!(
        receive(&f, &raw).await.unwrap(),
        [Received::Ignored("not from the AOO's address".into())]
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn answers_in_a_signed_message_that_is_no_transport_envelope_are_refused() {
    // A provider's receipt (or anomaly notice) is signed too, but certifies no sender.
    let f = fixture(None).await;
    let receipt = transport_content(
        "avvenuta-consegna",
        AOO_PEC,
        &answer_message(AOO_PEC, "Conferma.xml", &conferma("0009999")),
    );
    let raw = f.provider.multipart_signed(&receipt).unwrap();
    let refused = receive(&f, &raw).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecNotTransport(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
    // The same receipt without answers is read quietly: nothing to believe, nothing to flag.
    let quiet = transport_content("avvenuta-consegna", AOO_PEC, b"Subject: x\r\n\r\nx\r\n");
    let raw = f.provider.multipart_signed(&quiet).unwrap();
    assert_eq!(receive(&f, &raw).await.unwrap(), []);
}

#[tokio::test]
async fn a_part_added_beside_the_signed_content_is_refused() {
    let f = fixture(None).await;
    let raw = String::from_utf8(
        f.provider
            .multipart_signed(&content("someone@pec.elsewhere.example", "0009999"))
            .unwrap(),
    )
    .unwrap();
    let extra = String::from_utf8(content(AOO_PEC, "0009999")).unwrap();
    let boundary = "----istanze-test-pki-signed-7d1f";
    let tampered = raw.replacen(
        &format!("\r\n--{boundary}\r\n"),
        &format!("\r\n--{boundary}\r\n{extra}\r\n--{boundary}\r\n"),
        1,
    );
    assert_ne!(tampered, raw, "the part was added");
    let refused = receive(&f, tampered.as_bytes()).await;
    assert!(
        matches!(refused, Err(ProtocolError::PecSignature(_))),
        "{refused:?}"
    );
    assert_eq!(recorded(&f).await, None);
}

#[tokio::test]
async fn without_trust_anchors_nothing_is_believed() {
    let f = fixture(Some(TrustAnchors::default())).await;
    let raw = f
        .provider
        .multipart_signed(&content(AOO_PEC, "0004321"))
        .unwrap();
    assert!(matches!(
        receive(&f, &raw).await,
        Err(ProtocolError::PecNoTrustAnchors)
    ));
    assert_eq!(recorded(&f).await, None);
}

#[test]
fn a_trust_anchor_file_may_hold_several_certificates_and_must_hold_one() {
    let a = TestCa::new("A", 2048).unwrap();
    let b = TestCa::new("B", 2048).unwrap();
    let mut pem = a.cert_pem().unwrap();
    pem.extend_from_slice(&b.cert_pem().unwrap());
    assert_eq!(TrustAnchors::from_pem(&pem).unwrap().len(), 2);
    assert!(matches!(
        TrustAnchors::from_pem(b"not a certificate"),
        Err(ProtocolError::Invalid(_))
    ));
}

#[tokio::test]
async fn the_maildir_reader_flags_refused_messages_and_reads_the_genuine_one() {
    let f = fixture(None).await;
    let maildir = f.dir.path().join("inbox");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    let forged = Signer::self_signed("posta-certificata@pec.provider.example", 2048)
        .unwrap()
        .multipart_signed(&content(AOO_PEC, "0009999"))
        .unwrap();
    std::fs::write(maildir.join("new/1-forged"), forged).unwrap();
    std::fs::write(maildir.join("new/2-unsigned"), content(AOO_PEC, "0008888")).unwrap();
    let genuine = f
        .provider
        .multipart_signed(&content(AOO_PEC, "0004321"))
        .unwrap();
    std::fs::write(maildir.join("new/3-genuine"), genuine).unwrap();
    assert_eq!(
        f.pec.receive_maildir(&maildir, Utc::now()).await.unwrap(),
        3
    );
    let mut kept: Vec<String> = std::fs::read_dir(maildir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        ["1-forged:2,FS", "2-unsigned:2,FS", "3-genuine:2,S"],
        "refused messages kept and flagged for a person"
    );
    assert_eq!(recorded(&f).await.as_deref(), Some("0004321"));
}
