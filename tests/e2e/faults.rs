//! The register refuses for a while, then recovers: every application is filed exactly once,
//! with gapless numbers; meanwhile staff see the filings waiting and stuck, and can retry.

use istanze_server::store::jobs::JobKind;
use istanze_tests::TestApp;
use sea_orm::{ConnectionTrait, DbBackend};
use serde_json::Value;

async fn register_down(db: &sea_orm::DatabaseConnection, down: bool) {
    let sql: &[&str] = match (db.get_database_backend(), down) {
        (DbBackend::Postgres, true) => &[
            "CREATE FUNCTION register_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'register unavailable'; END; $$",
            "CREATE TRIGGER register_down BEFORE INSERT ON protocol_entries FOR EACH ROW EXECUTE FUNCTION register_down()",
        ],
        (DbBackend::Postgres, false) => &["DROP TRIGGER register_down ON protocol_entries", "DROP FUNCTION register_down()"],
        (_, true) => &["CREATE TRIGGER register_down BEFORE INSERT ON protocol_entries BEGIN SELECT RAISE(ABORT, 'register unavailable'); END"],
        (_, false) => &["DROP TRIGGER register_down"],
    };
    for s in sql {
        db.execute_unprepared(s).await.unwrap();
    }
}

#[tokio::test]
async fn a_register_outage_delays_but_never_loses_or_duplicates() {
    let app = TestApp::spawn().await;
    let db = sea_orm::Database::connect(app.settings.database.url.clone().unwrap())
        .await
        .unwrap();
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    register_down(&db, true).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(app.submit_patrocinio(&c).await);
    }
    // The worker tries, fails, and backs off; the citizen is told filing is in progress.
    let pending = istanze_tests::wait_until(
        "five filings tried and failed on the register",
        std::time::Duration::from_secs(30),
        || async {
            let p = istanze_server::jobs_admin::pending(
                &istanze_tests::scoped(&db, "p_es"),
                &[JobKind::File],
                chrono::Utc::now(),
                chrono::Duration::zero(),
            )
            .await
            .unwrap();
            let tried = p.len() == 5
                && p.iter().all(|f| {
                    f.attempts >= 1 && f.last_error.as_deref().unwrap_or("").contains("register")
                });
            tried.then_some(p)
        },
    )
    .await;
    assert!(
        pending.iter().all(|p| p.stuck),
        "older than the (zero) limit: shown as stuck"
    );
    let s: Value = c
        .get(app.at(&format!("/api/v1/submissions/{}", ids[0])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["status"], "filing");
    assert!(s["protocol"].is_null());
    let receipt = c
        .get(app.at(&format!("/domande/{}", ids[0])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("protocollazione in corso"));

    register_down(&db, false).await;
    let now = chrono::Utc::now();
    assert!(istanze_server::jobs_admin::retry(
        &istanze_tests::scoped(&db, "p_es"),
        JobKind::File,
        &ids[0],
        now
    )
    .await
    .unwrap());
    assert!(!istanze_server::jobs_admin::retry(
        &istanze_tests::scoped(&db, "p_es"),
        JobKind::File,
        "no-such-id",
        now
    )
    .await
    .unwrap());
    let mut numbers = Vec::new();
    for id in &ids {
        let filed = app.wait_for_protocol(&c, id).await;
        numbers.push(
            filed["protocol"]["number"]
                .as_str()
                .unwrap()
                .parse::<u32>()
                .unwrap(),
        );
    }
    numbers.sort_unstable();
    assert_eq!(numbers, vec![1, 2, 3, 4, 5]);
    assert!(istanze_server::jobs_admin::pending(
        &istanze_tests::scoped(&db, "p_es"),
        &[JobKind::File],
        chrono::Utc::now(),
        chrono::Duration::zero()
    )
    .await
    .unwrap()
    .is_empty());
    assert_eq!(
        istanze_server::protocol_admin::verify(&app.settings)
            .await
            .unwrap(),
        Ok(5)
    );
}

#[tokio::test]
async fn an_external_protocol_system_down_then_slow_then_up_registers_each_application_once() {
    use istanze_tests::rest_protocol::{Fault, RestProtocol, CLIENT_SECRET};
    use std::time::Duration;
    let remote = RestProtocol::start(vec![
        Fault::Unavailable,
        Fault::Unavailable,
        Fault::SlowAnswer(Duration::from_secs(2)),
        Fault::Unavailable,
    ])
    .await;
    let (mut settings, dir) = istanze_tests::test_settings().await;
    let secret = dir.path().join("client-secret");
    istanze_tests::write_private(&secret, format!("{CLIENT_SECRET}\n").as_bytes());
    settings.protocol.adapter = istanze_server::config::Adapter::Rest;
    settings.protocol.rest = Some(remote.settings(&secret));
    let app = TestApp::spawn_with(settings, dir).await;
    let c = app.client();
    app.login(&c, "RSSMRA85T10A562S", 2).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(app.submit_patrocinio(&c).await);
    }
    let mut numbers = Vec::new();
    for id in &ids {
        let filed = app.wait_for_protocol(&c, id).await;
        assert_eq!(filed["protocol"]["register"], "PG");
        numbers.push(filed["protocol"]["number"].as_str().unwrap().to_owned());
    }
    let state = remote.state.lock().unwrap();
    assert_eq!(
        state.held.len(),
        5,
        "each application registered once, the slow one too"
    );
    let mut keys: Vec<&str> = state.held.iter().map(|h| h.key.as_str()).collect();
    keys.sort_unstable();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(keys, expected);
    for (id, number) in ids.iter().zip(&numbers) {
        let held = state.held.iter().find(|h| h.key == *id).unwrap();
        assert_eq!(
            format!("{:07}", held.number),
            *number,
            "the receipt carries the system's number"
        );
        assert_eq!(held.body["mittente"]["codice_fiscale"], "RSSMRA85T10A562S");
        assert!(held.body["note"].as_str().unwrap().ends_with(id.as_str()));
    }
    assert!(
        state.posts >= 8,
        "the failed attempts reached the system: {}",
        state.posts
    );
}
