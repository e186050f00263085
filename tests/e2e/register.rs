//! The records manager's commands on a running installation: verify the register and the
//! documents it registered, annul a registration.

use chrono::Utc;
use istanze_protocol::embedded::Annulment;
use istanze_server::protocol_admin::RegisterAdminError;
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
    istanze_server::protocol_admin::annul(&app.settings, year, 2, &annulment, Utc::now())
        .await
        .unwrap();
    let again =
        istanze_server::protocol_admin::annul(&app.settings, year, 2, &annulment, Utc::now())
            .await
            .unwrap_err();
    assert!(
        matches!(
            again,
            RegisterAdminError::Register(istanze_protocol::ProtocolError::AlreadyAnnulled)
        ),
        "{again:?}"
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
    // The registered primary document is the PDF: one byte more changes its digest.
    let append = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "document_pdf || '\\x00'::bytea",
        _ => "document_pdf || X'00'",
    };
    db.execute_unprepared(&format!(
        "UPDATE submissions SET document_pdf = {append} WHERE id = '{second}'"
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
    let missing = istanze_server::protocol_admin::segnatura(&app.settings, year, 9)
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            RegisterAdminError::Register(istanze_protocol::ProtocolError::NotFound)
        ),
        "{missing:?}"
    );
}

#[tokio::test]
async fn the_daily_register_lists_the_day_with_digests_and_is_never_overwritten() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let first = app.submit_patrocinio(&c).await;
    let second = app.submit_patrocinio(&c).await;
    let filed_first = app.wait_for_protocol(&c, &first).await;
    let filed_second = app.wait_for_protocol(&c, &second).await;
    let year = filed_first["protocol"]["year"].as_i64().unwrap() as i32;
    let annulment = Annulment {
        authorising_act: "Provv. 2/2026".into(),
        operator: "Giulia Neri".into(),
        reason: "Doppione".into(),
    };
    istanze_server::protocol_admin::annul(&app.settings, year, 2, &annulment, Utc::now())
        .await
        .unwrap();

    let today = istanze_protocol::rome::local(chrono::Utc::now()).date_naive();
    let out = tempfile::tempdir().unwrap();
    let (path, digest) = istanze_server::protocol_admin::daily_register(
        &app.settings,
        today,
        out.path(),
        Utc::now(),
    )
    .await
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(istanze_server::random::sha256_hex(&bytes), digest);
    let daily: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(daily["count"], 2);
    assert_eq!(daily["entries"][0]["number"], "0000001");
    assert_eq!(
        daily["entries"][0]["primary_sha256"],
        filed_first["document_sha256"]
    );
    assert_eq!(
        daily["entries"][1]["primary_sha256"],
        filed_second["document_sha256"]
    );
    assert!(daily["entries"][1]["annulled"]
        .as_str()
        .unwrap()
        .contains("Provv. 2/2026"));
    assert!(daily["entries"][0]["annulled"].is_null());
    assert_eq!(daily["chain_head"], daily["entries"][1]["entry_hash"]);
    let pdf = std::fs::read(path.with_extension("pdf")).unwrap();
    assert!(
        pdf.starts_with(b"%PDF-"),
        "the PDF/A copy is beside the JSON"
    );
    assert!(pdf
        .windows(28)
        .any(|w| w == b"<pdfaid:part>2</pdfaid:part>"));
    let again = istanze_server::protocol_admin::daily_register(
        &app.settings,
        today,
        out.path(),
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&again, RegisterAdminError::File { source, .. }
            if source.kind() == std::io::ErrorKind::AlreadyExists),
        "never overwritten: {again:?}"
    );

    // The nightly job (run by the server at start and every ten minutes) wrote yesterday's
    // register once; asking again writes nothing.
    let yesterday = today.pred_opt().unwrap().format("%Y-%m-%d").to_string();
    let written = istanze_server::protocol_admin::daily_dir(&app.settings)
        .join(format!("registro-giornaliero-PROT-{yesterday}.json"));
    for _ in 0..100 {
        if written.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let previous: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&written).unwrap()).unwrap();
    assert_eq!(
        (
            previous["date"].as_str().unwrap(),
            previous["count"].as_u64().unwrap()
        ),
        (yesterday.as_str(), 0)
    );
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    assert!(istanze_server::protocol_admin::produce_yesterday(
        &db,
        &app.settings,
        chrono::Utc::now()
    )
    .await
    .unwrap()
    .is_none());
    // Stopped after the JSON copy: the next run makes the PDF, and only the PDF.
    let pdf = written.with_extension("pdf");
    std::fs::remove_file(&pdf).unwrap();
    let json_before = std::fs::read(&written).unwrap();
    let made =
        istanze_server::protocol_admin::produce_yesterday(&db, &app.settings, chrono::Utc::now())
            .await
            .unwrap();
    assert_eq!(made.as_deref(), Some(pdf.as_path()));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert_eq!(std::fs::read(&written).unwrap(), json_before);
}
