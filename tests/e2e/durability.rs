//! Nothing accepted is lost: a submission committed by a server that stops before filing is
//! filed by the next one; demo mode refuses to run on a public address.

use istanze_tests::{patrocinio, test_settings, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn a_submission_survives_a_stop_before_filing() {
    let (mut settings, dir) = test_settings().await;
    settings.worker.enabled = false;
    // `dir` (keys and SQLite file) outlives both servers; each gets a throwaway dir to own.
    let first = TestApp::spawn_with(settings.clone(), tempfile::tempdir().unwrap()).await;
    let c = first.client();
    first.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = first.submit(&c, "patrocinio", &patrocinio()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert!(created["protocol"].is_null());
    assert_eq!(created["status"], "filing");
    let id = created["id"].as_str().unwrap().to_owned();
    let receipt = c
        .get(first.at(&format!("/domande/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("protocollazione in corso"));

    // The first server goes away without filing; a second one on the same database files it.
    drop(first);

    settings.worker.enabled = true;
    let second = TestApp::spawn_with(settings, tempfile::tempdir().unwrap()).await;
    let c = second.client();
    second.login(&c, "RSSMRA85T10A562S", 2).await;
    let filed = second.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["protocol"]["number"], "0000001");
    drop(dir);
}

#[tokio::test]
async fn demo_mode_is_refused_on_a_public_address() {
    let (mut settings, _dir) = test_settings().await;
    settings.server.bind = "0.0.0.0:0".into();
    let err = settings.check().unwrap_err().to_string();
    assert!(err.contains("loopback"), "{err}");
    settings.server.demo = false;
    let err = settings.check().unwrap_err().to_string();
    assert!(
        err.contains("key_file"),
        "production needs real keys: {err}"
    );
}
