//! The DOCAREA adapter against a server in the suite that implements the published contract
//! (login / inserimento / protocollazione, in-band error codes, both wire forms): documents
//! uploaded with their bytes, a profile naming them, re-login when the token expires, refusals
//! retried until filed exactly once, and a lost answer never filed again until staff record
//! what the protocol system holds.

use istanze_server::store::jobs::JobKind;
use std::time::Duration;

use istanze_protocol::docarea::{soap, DocareaSettings, Outcome};
use istanze_server::config::{Adapter, Settings};
use istanze_tests::docarea_server::{spawn, DocareaConfig, DocareaServer, Fault, Variant};
use istanze_tests::{test_settings, TestApp};
use sha2::Digest;

fn settings_for(server: &DocareaServer, s: &mut Settings, password: String) {
    s.protocol.adapter = Adapter::Docarea;
    s.protocol.docarea = Some(DocareaSettings {
        endpoint: server.url.clone(),
        variant: match server.config.variant {
            Variant::Classic => soap::Variant::Classic,
            Variant::Base64 => soap::Variant::Base64,
        },
        namespace: server.config.namespace.clone(),
        ente: server.config.ente.clone(),
        administration_name: "Provincia di Prova".into(),
        aoo: server.config.aoo.clone(),
        username: server.config.user.clone(),
        password,
        unit: Some("URP".into()),
        application: None,
        application_parameters: Default::default(),
        register: "PG".into(),
        timeout_seconds: 2,
    });
}

async fn app_on(server: &DocareaServer) -> TestApp {
    let (mut s, dir) = test_settings().await;
    let file = dir.path().join("docarea-password");
    istanze_tests::write_private(&file, server.config.password.as_bytes());
    settings_for(server, &mut s, format!("file:{}", file.display()));
    TestApp::spawn_with(s, dir).await
}

#[tokio::test]
async fn classic_docarea_receives_documents_and_profile_and_tokens_are_renewed() {
    let server = spawn(DocareaConfig {
        token_uses: Some(2),
        ..Default::default()
    })
    .await;
    let app = app_on(&server).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut filed = Vec::new();
    for _ in 0..3 {
        let id = app.submit_patrocinio(&c).await;
        filed.push(app.wait_for_protocol(&c, &id).await);
    }
    let state = server.state.lock().unwrap();
    assert_eq!(
        state.registered.len(),
        3,
        "each application registered once"
    );
    assert!(
        state.logins >= 3,
        "expired tokens were renewed: {}",
        state.logins
    );
    for (f, r) in filed.iter().zip(&state.registered) {
        assert_eq!(f["protocol"]["number"], format!("{:07}", r.number));
        assert_eq!(f["protocol"]["register"], "PG");
        assert_eq!(r.flusso, "E");
        assert_eq!(r.mittente_cf.as_deref(), Some("RSSMRA85T10A562S"));
        assert!(r.subject.contains("patrocinio"), "{}", r.subject);
        let (_, name, bytes) = &r.documents[0];
        assert!(name.starts_with("domanda-"), "{name}");
        let digest: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            f["document_sha256"].as_str().unwrap(),
            digest,
            "bytes intact"
        );
        assert!(r.segnatura.contains(r#"<UnitaOrganizzativa id="URP"/>"#));
    }
    let numbers: Vec<i64> = state.registered.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
}

#[tokio::test]
async fn base64_docarea_refusals_are_retried_and_filed_exactly_once() {
    let server = spawn(DocareaConfig {
        variant: Variant::Base64,
        ..Default::default()
    })
    .await;
    server.state.lock().unwrap().faults.extend([
        Fault::Unavailable,
        Fault::Error(-100, "Errore in fase di protocollazione"),
    ]);
    let app = app_on(&server).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    let filed = app.wait_for_protocol(&c, &id).await;
    let state = server.state.lock().unwrap();
    assert_eq!(
        state.protocollazioni, 3,
        "two refusals, then the registration"
    );
    assert_eq!(state.registered.len(), 1);
    assert_eq!(filed["protocol"]["number"], "0000001");
}

#[tokio::test]
async fn a_lost_answer_is_never_filed_again_until_staff_record_the_outcome() {
    let server = spawn(DocareaConfig::default()).await;
    server
        .state
        .lock()
        .unwrap()
        .faults
        .push_back(Fault::SlowAnswer(Duration::from_secs(4)));
    let app = app_on(&server).await;
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let id = app.submit_patrocinio(&c).await;
    // The server registered it; the answer came after the client's timeout. Later attempts
    // must not call Protocollazione again.
    // Wait for an attempt after the lost one: it must refuse to call again.
    let mut error = String::new();
    for _ in 0..100 {
        let p = istanze_server::jobs_admin::pending(
            &istanze_tests::scoped(&db, "p_es"),
            &[JobKind::File],
            chrono::Utc::now(),
            chrono::Duration::zero(),
        )
        .await
        .unwrap();
        error = p[0].last_error.clone().unwrap_or_default();
        if error.contains("docarea-resolve") {
            break;
        }
        istanze_server::jobs_admin::retry(
            &istanze_tests::scoped(&db, "p_es"),
            JobKind::File,
            &id,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(error.contains("docarea-resolve"), "{error}");
    {
        let state = server.state.lock().unwrap();
        assert_eq!(state.protocollazioni, 1, "never called again");
        assert_eq!(state.registered.len(), 1);
    }
    let (number, date) = {
        let state = server.state.lock().unwrap();
        let r = &state.registered[0];
        (
            r.number,
            chrono::NaiveDate::parse_from_str(&r.date, "%d/%m/%Y").unwrap(),
        )
    };
    istanze_server::protocol_admin::docarea_resolve(
        &app.settings,
        &id,
        Outcome::Registered { number, date },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    istanze_server::jobs_admin::retry(
        &istanze_tests::scoped(&db, "p_es"),
        JobKind::File,
        &id,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let filed = app.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["protocol"]["number"], format!("{number:07}"));
    assert_eq!(server.state.lock().unwrap().registered.len(), 1);
}
