//! The PEC adapter against a real SMTP server on loopback (aiosmtpd, implicit TLS, AUTH): the
//! application is registered in the platform's register, then delivered once to the AOO's
//! mailbox with its document, `Segnatura.xml` and matching digests, even when the server
//! first refuses; the AOO's Conferma.xml, arriving in the inbox Maildir inside a PEC envelope
//! signed under the test CA configured as trust anchor, puts the AOO's number on the receipt;
//! forged ones (another certified sender, an unsigned envelope) do not.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use base64::Engine;
use istanze_protocol::pec::test_pki::{answer_message, transport_content, Signer, TestCa};
use istanze_protocol::pec::{PecRecipient, PecSettings, SegnaturaFormat, SmtpSecurity};
use istanze_server::config::Adapter;
use istanze_tests::smtp::{Security, SmtpSink, PASSWORD, USER};
use istanze_tests::{test_settings, unescape, TestApp};
use mailparse::{MailHeaderMap, ParsedMail};
use sha2::Digest;

const AOO_PEC: &str = "protocollo@pec.provincia.example.it";

fn leaves<'a>(m: &'a ParsedMail<'a>, out: &mut Vec<&'a ParsedMail<'a>>) {
    if m.subparts.is_empty() {
        out.push(m);
    }
    for p in &m.subparts {
        leaves(p, out);
    }
}

fn filename(p: &ParsedMail<'_>) -> String {
    p.get_content_disposition()
        .params
        .get("filename")
        .cloned()
        .unwrap_or_default()
}

/// The AOO's answer as a PEC provider delivers it: a transport envelope signed by `provider`,
/// whose `daticert.xml` certifies `certified` as sender, around the original message
/// (postacert.eml, whose own From is `inner_from`) carrying Conferma.xml.
fn pec_answer(provider: &Signer, certified: &str, inner_from: &str, conferma: &str) -> Vec<u8> {
    provider
        .multipart_signed(&unsigned_content(certified, inner_from, conferma))
        .unwrap()
}

/// The same envelope's content, with no signature around it.
fn unsigned_content(certified: &str, inner_from: &str, conferma: &str) -> Vec<u8> {
    transport_content(
        "posta-certificata",
        certified,
        &answer_message(inner_from, "Conferma.xml", conferma),
    )
}

/// What anyone can drop into the Maildir: the provider's headers and a `daticert.xml` naming
/// the AOO, without the provider's signature. This used to be believed.
fn unsigned_pec_answer(conferma: &str) -> Vec<u8> {
    let mut raw = format!(
        "From: \"Per conto di: {AOO_PEC}\" <posta-certificata@pec.provider.example>\r\n\
         X-Trasporto: posta-certificata\r\nTo: {USER}\r\n\
         Subject: POSTA CERTIFICATA: Conferma di ricezione\r\nMIME-Version: 1.0\r\n"
    )
    .into_bytes();
    raw.extend_from_slice(&unsigned_content(AOO_PEC, AOO_PEC, conferma));
    raw
}

/// A test app filing by PEC through `sink`, reading answers from a Maildir and trusting the
/// envelopes signed under `ca`; returns the app and the Maildir.
async fn pec_app(sink: &SmtpSink, ca: &TestCa) -> (TestApp, PathBuf) {
    let (mut s, dir) = test_settings().await;
    let password_file = dir.path().join("pec-password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&password_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let anchors_file = dir.path().join("pec-providers-ca.pem");
    std::fs::write(&anchors_file, ca.cert_pem().unwrap()).unwrap();
    let maildir = dir.path().join("pec-inbox");
    for sub in ["new", "cur", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    s.protocol.adapter = Adapter::Pec;
    s.protocol.pec_inbox_poll_seconds = 1;
    s.protocol.pec = Some(PecSettings {
        smtp_host: "127.0.0.1".into(),
        smtp_port: sink.port,
        security: SmtpSecurity::Implicit,
        username: USER.into(),
        password: format!("file:{}", password_file.display()),
        from: USER.into(),
        recipient: PecRecipient {
            administration: "Provincia di Prova".into(),
            ipa_code: "p_aoo".into(),
            aoo: "A7A7A7A".into(),
            address: AOO_PEC.into(),
        },
        segnatura: SegnaturaFormat::Agid2021,
        ca_file: Some(sink.cert_file.display().to_string()),
        inbox_maildir: Some(maildir.display().to_string()),
        trust_anchors: vec![anchors_file.display().to_string()],
        timeout_seconds: 10,
    });
    (TestApp::spawn_with(s, dir).await, maildir)
}

/// The names in the Maildir's `cur/`, sorted, once `new/` is empty (bounded wait).
async fn read_inbox(maildir: &Path) -> Vec<String> {
    for _ in 0..100 {
        if std::fs::read_dir(maildir.join("new")).unwrap().count() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        std::fs::read_dir(maildir.join("new")).unwrap().count(),
        0,
        "inbox read within 10 seconds"
    );
    let mut kept: Vec<String> = std::fs::read_dir(maildir.join("cur"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    kept
}

fn conferma(their_number: &str, our_register: &str, our_number: &str, date: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<pec:ConfermaRicezione xmlns:pec="http://www.agid.gov.it/protocollo/pec/" xmlns:prot="http://www.agid.gov.it/protocollo/" pec:versione="3.0.0" pec:lang="it">
<pec:Identificatore><prot:CodiceAmministrazione>p_aoo</prot:CodiceAmministrazione><prot:CodiceAOO>A7A7A7A</prot:CodiceAOO><prot:CodiceRegistro>PG</prot:CodiceRegistro><prot:NumeroRegistrazione>{their_number}</prot:NumeroRegistrazione><prot:DataRegistrazione>{date}</prot:DataRegistrazione></pec:Identificatore>
<pec:MessaggioRicevuto><pec:Identificatore><prot:CodiceAmministrazione>{ipa}</prot:CodiceAmministrazione><prot:CodiceAOO>{aoo}</prot:CodiceAOO><prot:CodiceRegistro>{our_register}</prot:CodiceRegistro><prot:NumeroRegistrazione>{our_number}</prot:NumeroRegistrazione><prot:DataRegistrazione>{date}</prot:DataRegistrazione></pec:Identificatore></pec:MessaggioRicevuto>
</pec:ConfermaRicezione>"#,
        ipa = istanze_server::config::Settings::default()
            .administration
            .ipa_code,
        aoo = istanze_server::config::Settings::default()
            .administration
            .aoo,
    )
}

async fn receipt_text(app: &TestApp, c: &reqwest::Client, id: &str) -> String {
    unescape(
        &c.get(app.at(&format!("/domande/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn an_application_is_delivered_once_by_pec_and_the_aoo_confirmation_reaches_the_receipt() {
    // The first delivery meets a temporary failure: the worker retries.
    let sink = SmtpSink::start(Security::Implicit, 1);
    let ca = TestCa::new("CA dei gestori PEC di prova", 2048).unwrap();
    let provider = ca.issue("posta-certificata@pec.provider.example").unwrap();
    let (app, maildir) = pec_app(&sink, &ca).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;
    let number = filed["protocol"]["number"].as_str().unwrap().to_owned();
    let register = filed["protocol"]["register"].as_str().unwrap().to_owned();

    let messages = sink.wait_for(1).await;
    app.wait_drained().await;
    assert_eq!(sink.messages().len(), 1, "delivered exactly once");
    let (raw, envelope) = &messages[0];
    assert_eq!(
        envelope["login"], USER,
        "authenticated with the configured credentials"
    );
    assert_eq!(envelope["rcpt_tos"][0], AOO_PEC);
    let mail = mailparse::parse_mail(raw).unwrap();
    assert_eq!(
        mail.headers.get_first_value("Message-ID").unwrap(),
        format!("<istanze.{id}@pec.provincia.example.it>")
    );
    assert!(mail
        .headers
        .get_first_value("Subject")
        .unwrap()
        .contains("patrocinio"));
    let mut parts = Vec::new();
    leaves(&mail, &mut parts);
    let names: Vec<String> = parts.iter().map(|p| filename(p)).collect();
    assert_eq!(
        names,
        [
            "".to_owned(),
            format!("domanda-{id}.pdf"),
            "Segnatura.xml".into()
        ],
        "text, application document, Segnatura.xml"
    );
    let document = parts[1].get_body_raw().unwrap();
    let digest = sha2::Sha256::digest(&document);
    assert_eq!(
        filed["document_sha256"].as_str().unwrap(),
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let segnatura = String::from_utf8(parts[2].get_body_raw().unwrap()).unwrap();
    let impronta = base64::engine::general_purpose::STANDARD.encode(digest);
    assert!(
        segnatura.contains(&format!("<prot:Impronta>{impronta}</prot:Impronta>")),
        "Segnatura.xml carries the document's digest"
    );
    assert!(segnatura.contains(&format!(
        "<prot:NumeroRegistrazione>{number}</prot:NumeroRegistrazione>"
    )));
    assert!(segnatura.contains("<ds:SignatureValue>"), "sealed");

    let page = receipt_text(&app, &c, &id).await;
    assert!(
        page.contains("in attesa della conferma di ricezione"),
        "{page}"
    );

    // Forged confirmations come first: a stranger's genuine PEC forwarding a message whose own
    // From is the AOO, and a plain e-mail whose display name quotes the AOO's address. Then the
    // AOO's.
    let date = istanze_protocol::rome::local(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string();
    let new = maildir.join("new");
    std::fs::write(
        new.join("1-forwarded"),
        pec_answer(
            &provider,
            "someone@pec.elsewhere.example",
            AOO_PEC,
            &conferma("0009999", &register, &number, &date),
        ),
    )
    .unwrap();
    let plain = String::from_utf8(unsigned_pec_answer(&conferma(
        "0008888", &register, &number, &date,
    )))
    .unwrap()
    .replace("X-Trasporto: posta-certificata\r\n", "")
    .replace(
        "<posta-certificata@pec.provider.example>",
        "<attacker@elsewhere.example>",
    );
    std::fs::write(new.join("2-display-name"), plain).unwrap();
    std::fs::write(
        new.join("3-genuine"),
        pec_answer(
            &provider,
            AOO_PEC,
            AOO_PEC,
            &conferma("0004321", &register, &number, &date),
        ),
    )
    .unwrap();
    let mut page = String::new();
    for _ in 0..100 {
        page = receipt_text(&app, &c, &id).await;
        if page.contains("Registrata dall'ufficio protocollo") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(page.contains("con numero 0004321 del"), "{page}");
    assert!(
        !page.contains("0009999") && !page.contains("0008888"),
        "the forged answers were ignored"
    );
    assert_eq!(
        read_inbox(&maildir).await,
        ["1-forwarded:2,FS", "2-display-name:2,FS", "3-genuine:2,S"],
        "messages kept; those not understood or not believed flagged for a person"
    );
}

#[tokio::test]
async fn a_forged_unsigned_confirmation_does_not_change_the_receipt() {
    let sink = SmtpSink::start(Security::Implicit, 0);
    let ca = TestCa::new("CA dei gestori PEC di prova", 2048).unwrap();
    let (app, maildir) = pec_app(&sink, &ca).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;
    let number = filed["protocol"]["number"].as_str().unwrap().to_owned();
    let register = filed["protocol"]["register"].as_str().unwrap().to_owned();
    sink.wait_for(1).await;
    let waiting = "in attesa della conferma di ricezione";
    let mut page = String::new();
    for _ in 0..100 {
        page = receipt_text(&app, &c, &id).await;
        if page.contains(waiting) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        page.contains(waiting),
        "delivered, not yet confirmed: {page}"
    );
    let date = istanze_protocol::rome::local(chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string();
    std::fs::write(
        maildir.join("new").join("1-forged"),
        unsigned_pec_answer(&conferma("0007777", &register, &number, &date)),
    )
    .unwrap();
    assert_eq!(
        read_inbox(&maildir).await,
        ["1-forged:2,FS"],
        "read, not believed, flagged for a person"
    );
    let page = receipt_text(&app, &c, &id).await;
    assert!(page.contains(waiting), "{page}");
    assert!(!page.contains("0007777"), "{page}");
}
