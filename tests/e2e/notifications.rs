//! Once filed, the citizen hears of it: a confirmation e-mail through a real SMTP server on
//! loopback (the receipt PDF attached) and an App IO message through a server in the suite
//! that implements the Services API contract. Both survive their server refusing at first;
//! a citizen who is not on App IO gets no message and the reason is kept.

use std::time::Duration;

use istanze_server::config::AppIoSettings;
use istanze_tests::app_io::{self, KEY};
use istanze_tests::smtp::{Security, SmtpSink};
use istanze_tests::{pdf_text, test_settings, TestApp};
use mailparse::MailHeaderMap;
use sea_orm::{ConnectionTrait, Statement};

#[tokio::test]
async fn the_citizen_gets_an_email_with_the_receipt_and_an_app_io_message() {
    let sink = SmtpSink::start(Security::Implicit, 1);
    let io = app_io::spawn().await;
    {
        let mut s = io.state.lock().unwrap();
        s.allowed.push("RSSMRA85T10A562S".into());
        s.unavailable = 1;
    }
    let (mut s, dir) = test_settings().await;
    s.notifications.email = Some(sink.email_settings());
    s.notifications.app_io = Some(AppIoSettings {
        base_url: io.url.clone(),
        api_key: KEY.into(),
        timeout_seconds: 10,
    });
    let app = TestApp::spawn_with(s, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;
    let number = filed["protocol"]["number"].as_str().unwrap().to_owned();

    let mails = sink.wait_for(1).await;
    let (raw, envelope) = &mails[0];
    let mail = mailparse::parse_mail(raw).unwrap();
    let to = mail.headers.get_first_value("To").unwrap();
    assert!(to.contains('@'), "{to}");
    assert_eq!(
        envelope["rcpt_tos"][0].as_str().unwrap(),
        to.trim_matches(['<', '>'])
    );
    let subject = mail.headers.get_first_value("Subject").unwrap();
    assert!(subject.contains(&number), "{subject}");
    let text = mail.subparts[0].get_body().unwrap();
    assert!(text.contains(&format!("numero {number}")), "{text}");
    assert!(text.contains(&format!("/domande/{id}")), "{text}");
    let receipt = mail.subparts[1].get_body_raw().unwrap();
    assert_eq!(
        mail.subparts[1].get_content_disposition().params["filename"],
        format!("ricevuta-{id}.pdf")
    );
    assert!(pdf_text(&receipt).contains(&format!("Numero {number}")));

    app.wait_drained().await;
    let messages = io.state.lock().unwrap().messages.clone();
    assert_eq!(messages.len(), 1, "sent once, after a 503");
    assert_eq!(messages[0]["fiscal_code"], "RSSMRA85T10A562S");
    assert!(messages[0]["content"]["markdown"]
        .as_str()
        .unwrap()
        .contains(&number));

    // Lucia is not on App IO: no message, and the reason is recorded.
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;
    let other = app.submit_patrocinio(&lucia).await;
    app.wait_for_protocol(&lucia, &other).await;
    sink.wait_for(2).await;
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    let outcome: String = istanze_tests::wait_until(
        "the App IO job of the second application finished",
        Duration::from_secs(20),
        || {
            let db = db.clone();
            let other = other.clone();
            async move {
                db.query_one(Statement::from_string(
                    db.get_database_backend(),
                    format!(
                        "SELECT outcome FROM jobs WHERE submission_id = '{other}' AND kind = 'app_io' AND done_at IS NOT NULL"
                    ),
                ))
                .await
                .unwrap()
                .map(|row| row.try_get("", "outcome").unwrap())
            }
        },
    )
    .await;
    assert_eq!(outcome, "skipped: the citizen does not use App IO");
    assert_eq!(io.state.lock().unwrap().messages.len(), 1);
}

#[tokio::test]
async fn each_administration_writes_through_its_own_mail_server() {
    let province_mail = SmtpSink::start(Security::Implicit, 0);
    let municipality_mail = SmtpSink::start(Security::Implicit, 0);
    let (mut s, dir) = test_settings().await;
    s.notifications.email = Some(province_mail.email_settings());
    istanze_tests::add_municipality(&mut s, dir.path());
    // The municipality's file names its own mail server and sender.
    let own = municipality_mail.email_settings();
    let file = dir.path().join("administrations/c_b999.toml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(&format!(
        "\n[notifications.email]\nsmtp_host = {:?}\nsmtp_port = {}\nsecurity = \"implicit\"\n\
         username = {:?}\npassword = {:?}\nfrom = \"Comune di Borgo Esempio <noreply@borgo.example.it>\"\n\
         ca_file = {:?}\ntimeout_seconds = 10\n",
        own.smtp_host,
        own.smtp_port,
        own.username,
        own.password,
        own.ca_file.unwrap(),
    ));
    std::fs::write(&file, text).unwrap();
    let app = TestApp::spawn_with(s, dir).await;

    let mario = app.client();
    app.login(&mario, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&mario).await;
    app.wait_for_protocol(&mario, &id).await;
    let municipality = app.ente("c_b999");
    let lucia = municipality.client();
    municipality.login(&lucia, "BNCLCU92M55F205G", 2).await;
    let other = municipality.submit_patrocinio(&lucia).await;
    municipality.wait_for_protocol(&lucia, &other).await;
    app.wait_drained().await;

    let from = |mails: &[(Vec<u8>, serde_json::Value)]| {
        mails
            .iter()
            .map(|(raw, _)| {
                let mail = mailparse::parse_mail(raw).unwrap();
                let body = mail.subparts[0].get_body().unwrap();
                (
                    mail.headers.get_first_value("From").unwrap(),
                    body.contains(&other),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        from(&province_mail.messages()),
        [(
            r#""Provincia di Prova" <noreply@provincia.example.it>"#.to_owned(),
            false
        )],
        "the province's server carries the province's mail only"
    );
    assert_eq!(
        from(&municipality_mail.messages()),
        [(
            r#""Comune di Borgo Esempio" <noreply@borgo.example.it>"#.to_owned(),
            true
        )],
        "the municipality's mail goes through its own server, from its own sender"
    );
}
