//! The audit log: every staff request is recorded before it is served (who, what, on which
//! application, when, from where) in a hash-chained log that cannot be changed in place;
//! `istanze audit verify` checks the chain and names the entry altered or removed behind its
//! back, and `istanze audit export` gives the data protection officer what concerns one
//! citizen.

use istanze_server::store::audit::AuditStore;
use istanze_tests::{Server, TestApp};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use crate::administrations::CITIZEN;
use crate::cli::{config, run};

const OPERATOR: &str = "MRNLRA82C53L219U";

async fn execute(url: &str, sql: &str) -> Result<u64, sea_orm::DbErr> {
    let db = Database::connect(url).await.unwrap();
    db.execute(Statement::from_string(db.get_database_backend(), sql))
        .await
        .map(|r| r.rows_affected())
}

#[tokio::test]
async fn staff_work_is_logged_in_a_chain_that_names_the_entry_tampered_with() {
    let app = TestApp::spawn().await;
    let citizen = app.client();
    app.login(&citizen, CITIZEN, 2).await;
    let id = app.submit_patrocinio(&citizen).await;
    app.wait_for_protocol(&citizen, &id).await;
    let lucia = app.client();
    app.login(&lucia, "BNCLCU92M55F205G", 2).await;
    let other = app.submit_patrocinio(&lucia).await;
    app.wait_for_protocol(&lucia, &other).await;

    let operator = app.client();
    let server: &Server = &app;
    assert_eq!(
        server.staff_login(&operator, OPERATOR).await.status(),
        StatusCode::SEE_OTHER
    );
    app.page(&operator, "/ufficio/domande").await;
    app.page(&operator, &format!("/ufficio/domande/{id}")).await;
    app.page(&operator, &format!("/ufficio/domande/{other}"))
        .await;

    let admin = app.state.tenants.iter().next().unwrap().id.clone();
    let log = app.state.scoped(&admin);
    let entries = log.entries_after(0, 100).await.unwrap();
    let seen: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.object.as_str()))
        .collect();
    let case = format!("GET /ufficio/domande/{id}");
    assert!(
        seen.contains(&(OPERATOR, case.as_str(), id.as_str())),
        "{seen:?}"
    );
    assert!(seen.contains(&(OPERATOR, "GET /ufficio/domande", "")));
    assert!(
        entries.iter().all(|e| e.origin == "127.0.0.1"),
        "{entries:?}"
    );
    let n = entries.len() as u64;
    assert_eq!(istanze_server::audit::verify(&log).await.unwrap(), Ok(n));
    let url = app.settings.database.url.clone().unwrap();
    // In place, the log refuses changes and deletions.
    assert!(execute(&url, "UPDATE audit_log SET action = 'x'")
        .await
        .is_err());
    assert!(execute(&url, "DELETE FROM audit_log").await.is_err());

    // The data protection officer's export for Mario names his application, not Lucia's.
    let cfg = config(&app.settings);
    let today = istanze_protocol::rome::local(chrono::Utc::now())
        .date_naive()
        .to_string();
    let (ok, out) = run(&[
        "audit",
        "export",
        "--config",
        cfg.to_str().unwrap(),
        "--dal",
        &today,
        "--al",
        &today,
        "--codice-fiscale",
        CITIZEN,
    ]);
    assert!(ok, "{out}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{out}");
    assert_eq!(lines[0]["object"], id.as_str());
    assert_eq!(lines[0]["actor"], OPERATOR);
    let (ok, out) = run(&["audit", "verify", "--config", cfg.to_str().unwrap()]);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!("{admin}: {n} entries verified")),
        "{out}"
    );

    // Behind the log's back (the triggers dropped by someone with the database's keys): the
    // altered entry is named, and so is a removed one.
    let postgres = Database::connect(&url)
        .await
        .unwrap()
        .get_database_backend()
        == DbBackend::Postgres;
    let unprotect = if postgres {
        "ALTER TABLE audit_log DISABLE TRIGGER USER"
    } else {
        "DROP TRIGGER audit_log_no_update"
    };
    execute(&url, unprotect).await.unwrap();
    execute(
        &url,
        "UPDATE audit_log SET origin = '10.0.0.9' WHERE seq = 3",
    )
    .await
    .unwrap();
    let (ok, out) = run(&["audit", "verify", "--config", cfg.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(
        out.contains("audit log entry 3: it does not match its hash: it was altered"),
        "{out}"
    );
    assert_eq!(
        istanze_server::audit::verify(&log)
            .await
            .unwrap()
            .unwrap_err()
            .seq,
        3
    );
    if !postgres {
        execute(&url, "DROP TRIGGER audit_log_no_delete")
            .await
            .unwrap();
    }
    execute(
        &url,
        "UPDATE audit_log SET origin = '127.0.0.1' WHERE seq = 3",
    )
    .await
    .unwrap();
    execute(&url, &format!("DELETE FROM audit_log WHERE seq = {n}"))
        .await
        .unwrap();
    let broken = istanze_server::audit::verify(&log)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(broken.seq, n as i64);
    assert!(broken.problem.contains("missing"), "{broken}");
}
