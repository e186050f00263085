//! The records manager's commands on a running installation: verify the register and the
//! documents it registered, annul a registration.

use istanze_protocol::embedded::Annulment;
use istanze_tests::TestApp;
use sea_orm::ConnectionTrait;

#[tokio::test]
async fn verify_checks_the_chain_and_the_registered_documents() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let first = app.submit_patrocinio(&c).await;
    let second = app.submit_patrocinio(&c).await;
    app.wait_for_protocol(&c, &first).await;
    app.wait_for_protocol(&c, &second).await;
    assert_eq!(
        istanze_server::protocol_admin::verify(&app.settings)
            .await
            .unwrap(),
        Ok(2)
    );

    let annulment = Annulment {
        authorising_act: "Provv. 1/2026".into(),
        operator: "Giulia Neri".into(),
        reason: "Prova".into(),
    };
    let year = istanze_protocol::rome::local(chrono::Utc::now())
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();
    istanze_server::protocol_admin::annul(&app.settings, year, 2, &annulment)
        .await
        .unwrap();
    assert!(
        istanze_server::protocol_admin::annul(&app.settings, year, 2, &annulment)
            .await
            .is_err()
    );
    assert_eq!(
        istanze_server::protocol_admin::verify(&app.settings)
            .await
            .unwrap(),
        Ok(2)
    );

    // Someone edits a stored application after it was registered: its digest no longer matches.
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    db.execute_unprepared(&format!(
        "UPDATE submissions SET document = document || ' ' WHERE id = '{second}'"
    ))
    .await
    .unwrap();
    let err = istanze_server::protocol_admin::verify(&app.settings)
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.contains("0000002") && err.contains(&second), "{err}");
}

#[tokio::test]
async fn the_segnatura_of_a_filed_application_is_sealed_and_reproducible() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;
    let year = filed["protocol"]["year"].as_i64().unwrap() as i32;
    let xml = istanze_server::protocol_admin::segnatura(&app.settings, year, 1)
        .await
        .unwrap();
    assert!(xml.contains("<prot:NumeroRegistrazione>0000001</prot:NumeroRegistrazione>"));
    assert!(xml.contains("<prot:Nome>Mario</prot:Nome><prot:Cognome>Rossi</prot:Cognome>"));
    let again = istanze_server::protocol_admin::segnatura(&app.settings, year, 1)
        .await
        .unwrap();
    assert_eq!(
        xml, again,
        "the same registration gives the same sealed document"
    );
    let cert = std::fs::read(app.settings.server.data_dir.join("aoo-seal-cert.pem")).unwrap();
    let cert = openssl::x509::X509::from_pem(&cert)
        .unwrap()
        .to_der()
        .unwrap();
    istanze_protocol::segnatura::verify(&xml, &cert).unwrap();
    assert!(
        istanze_server::protocol_admin::segnatura(&app.settings, year, 9)
            .await
            .is_err()
    );
}
