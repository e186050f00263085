//! Submitting through the JSON API and receiving gapless protocol numbers.

use std::collections::BTreeSet;

use chrono::Datelike;
use istanze_tests::{patrocinio, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The register counts years in Italian time.
fn this_year() -> i64 {
    i64::from(istanze_protocol::rome::local(chrono::Utc::now()).year())
}

#[tokio::test]
async fn submit_patrocinio_and_receive_numbers_one_and_two() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;

    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["document_sha256"].as_str().unwrap().len(), 64);
    let filed = app.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["status"], "filed");
    assert_eq!(filed["protocol"]["number"], "0000001");
    assert_eq!(filed["protocol"]["register"], "PROT");
    assert_eq!(filed["protocol"]["year"].as_i64().unwrap(), this_year());

    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    let second: Value = r.json().await.unwrap();
    let filed = app
        .wait_for_protocol(&c, second["id"].as_str().unwrap())
        .await;
    assert_eq!(filed["protocol"]["number"], "0000002");
}

#[tokio::test]
async fn verified_identity_fields_cannot_be_changed_by_the_citizen() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut data = patrocinio();
    data["richiedente"]["codice_fiscale"] = json!("VRDGPP70A01H501S");
    data["richiedente"]["nome"] = json!("Giuseppe");
    let r = app.submit(&c, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let receipt = c
        .get(app.at(&format!("/domande/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("Festa della musica"));
    // The frozen data carries the verified identity, not what was sent.
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    use sea_orm::EntityTrait;
    let s = istanze_server::db::submission::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let stored: Value = serde_json::from_str(&s.data).unwrap();
    assert_eq!(stored["richiedente"]["codice_fiscale"], "RSSMRA85T10A562S");
    assert_eq!(stored["richiedente"]["nome"], "Mario");
}

#[tokio::test]
async fn an_invalid_submission_gets_422_with_pointers_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut data = patrocinio();
    data["evento"]["data_inizio"] = json!("21/06/2027");
    data["evento"].as_object_mut().unwrap().remove("luogo");
    data["dichiarazioni"]["privacy"] = json!(false);
    let r = app.submit(&c, "patrocinio", &data).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    let pointers: BTreeSet<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        BTreeSet::from([
            "/evento/data_inizio",
            "/evento/luogo",
            "/dichiarazioni/privacy"
        ])
    );
    assert!(body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| !e["message"].as_str().unwrap().is_empty()));
    let mine = c
        .get(app.at("/domande"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("Non hai ancora presentato domande"));
    // The next valid submission still gets number 1: nothing was consumed.
    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.wait_for_protocol(&c, &id).await["protocol"]["number"],
        "0000001"
    );
}

#[tokio::test]
async fn fifty_concurrent_submissions_get_fifty_distinct_gapless_numbers() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            let url = app.at("/api/v1/forms/patrocinio/submissions");
            tokio::spawn(async move { c.post(url).json(&patrocinio()).send().await.unwrap() })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        ids.push(
            r.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let mut numbers = Vec::new();
    for id in &ids {
        let s = app.wait_for_protocol(&c, id).await;
        numbers.push(
            s["protocol"]["number"]
                .as_str()
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=50).collect::<Vec<u32>>());
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retried_submit_return_the_first() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let key = uuid::Uuid::new_v4().to_string();
    let send = || {
        c.post(app.at("/api/v1/forms/patrocinio/submissions"))
            .header("Idempotency-Key", &key)
            .json(&patrocinio())
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK, "the retry finds the first");
    let again: Value = again.json().await.unwrap();
    let id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(again["id"], id.as_str());
    let filed = app.wait_for_protocol(&c, &id).await;
    assert_eq!(filed["protocol"]["number"], "0000001");
    // The key is the citizen's own: another citizen sending the same one makes an application
    // of their own, and learns nothing of the first.
    let other = app.client();
    app.login(&other, "BNCLCU92M55F205G", 2).await;
    let r = other
        .post(app.at("/api/v1/forms/patrocinio/submissions"))
        .header("Idempotency-Key", &key)
        .json(&patrocinio())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let theirs: Value = r.json().await.unwrap();
    assert_ne!(theirs["id"], id.as_str());
    let filed = app
        .wait_for_protocol(&other, theirs["id"].as_str().unwrap())
        .await;
    assert_eq!(filed["protocol"]["number"], "0000002");
}

#[tokio::test]
async fn a_concorso_application_is_filed_with_its_subject() {
    let app = TestApp::spawn().await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let r = app.submit(&c, "concorso", &istanze_tests::concorso()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        app.wait_for_protocol(&c, &id).await["protocol"]["number"],
        "0000001"
    );
    let receipt = istanze_tests::unescape(
        &c.get(app.at(&format!("/domande/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(
        receipt.contains("Domanda di partecipazione al concorso IST-AMM-2026 - Rossi Mario"),
        "{receipt}"
    );
}

#[tokio::test]
async fn submission_and_login_request_ids_come_from_the_applications_id_source() {
    let (settings, dir) = istanze_tests::test_settings().await;
    let app = TestApp::spawn_with_parts(
        settings,
        dir,
        std::sync::Arc::new(istanze_server::clock::SystemClock),
        std::sync::Arc::new(istanze_server::ids::SequentialIds::default()),
    )
    .await;
    let c = app.client();
    let response = istanze_tests::decode(&app.login(&c, "RSSMRA85T10A562S", 2).await);
    assert!(
        response.contains(&format!("InResponseTo=\"_{}", "0".repeat(24))),
        "the AuthnRequest's id is the counter's: {response}"
    );
    let r = app.submit(&c, "patrocinio", &patrocinio()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    assert!(
        id.starts_with("00000000-0000-4000-8000-0000000000"),
        "the id is the counter's: {id}"
    );
    app.wait_for_protocol(&c, id).await;
}
