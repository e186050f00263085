//! The embedded register's numbering rules, on SQLite (default) or on PostgreSQL when
//! `ISTANZE_TEST_DATABASE_URL` names a server (each test gets a fresh database).

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use istanze_protocol::embedded::{entry, EmbeddedRegister, RegisterIdentity};
use istanze_protocol::{
    CaseFile, Correspondent, Direction, DocumentRef, ProtocolError, Register, Registration,
};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait};
use sea_orm_migration::{MigrationTrait, MigratorTrait};

struct Migrator;
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        istanze_protocol::migration::migrations()
    }
}

struct TestDb {
    db: DatabaseConnection,
    _dir: Option<tempfile::TempDir>,
}

async fn fresh_db() -> TestDb {
    let (db, dir) = match std::env::var("ISTANZE_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => {
            let name = format!("istanze_t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(format!("{server}/postgres"))
                .await
                .unwrap();
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            (
                Database::connect(format!("{server}/{name}")).await.unwrap(),
                None,
            )
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
            let db = Database::connect(url).await.unwrap();
            db.execute_unprepared("PRAGMA journal_mode=WAL")
                .await
                .unwrap();
            (db, Some(dir))
        }
    };
    Migrator::up(&db, None).await.unwrap();
    TestDb { db, _dir: dir }
}

fn register(db: &TestDb) -> EmbeddedRegister {
    EmbeddedRegister::new(
        db.db.clone(),
        RegisterIdentity {
            ipa_code: "p_pr".into(),
            aoo: "A1B2C3D".into(),
            register: "PROT".into(),
        },
    )
}

fn registration(key: &str) -> Registration {
    Registration {
        idempotency_key: key.into(),
        direction: Direction::Incoming,
        subject: "Richiesta di patrocinio".into(),
        classification: "1.8".into(),
        correspondent: Correspondent {
            fiscal_number: "RSSMRA85T10A562S".into(),
            name: "Mario Rossi".into(),
            given_name: Some("Mario".into()),
            family_name: Some("Rossi".into()),
            email: Some("mario.rossi@example.it".into()),
        },
        primary: DocumentRef {
            file_name: "domanda.json".into(),
            mime_type: "application/json".into(),
            sha256: "a".repeat(64),
            size: 10,
            description: "Domanda".into(),
            content: b"{}".to_vec(),
        },
        attachments: vec![],
        case_file: None,
    }
}

fn t(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

#[tokio::test]
async fn numbers_are_progressive_and_seven_digits() {
    let db = fresh_db().await;
    let r = register(&db);
    let now = t(2026, 11, 23, 10, 0);
    let first = r.file(&registration("a"), &now).await.unwrap();
    let second = r.file(&registration("b"), &now).await.unwrap();
    assert_eq!(
        (first.year, first.number, first.number_text()),
        (2026, 1, "0000001".into())
    );
    assert_eq!(second.number, 2);
    assert_eq!(
        first.segnatura,
        "p_pr - A1B2C3D - PROT - Prot. N. 0000001 del 23/11/2026"
    );
}

#[tokio::test]
async fn the_same_key_returns_the_first_receipt() {
    let db = fresh_db().await;
    let r = register(&db);
    let now = t(2026, 11, 23, 10, 0);
    let first = r.file(&registration("same"), &now).await.unwrap();
    let again = r
        .file(&registration("same"), &(now + Duration::hours(1)))
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(r.lookup("same").await.unwrap(), Some(first));
    assert_eq!(r.lookup("other").await.unwrap(), None);
    assert_eq!(r.file(&registration("next"), &now).await.unwrap().number, 2);
}

#[tokio::test]
async fn the_sequence_restarts_on_first_january_italian_time() {
    let db = fresh_db().await;
    let r = register(&db);
    let a = r
        .file(&registration("a"), &t(2026, 12, 31, 22, 59))
        .await
        .unwrap();
    let b = r
        .file(&registration("b"), &t(2026, 12, 31, 23, 0))
        .await
        .unwrap();
    assert_eq!((a.year, a.number), (2026, 1));
    assert_eq!(
        (b.year, b.number),
        (2027, 1),
        "23:00 UTC is midnight in Rome"
    );
    assert!(b.segnatura.ends_with("del 01/01/2027"));
}

#[tokio::test]
async fn concurrent_filings_get_distinct_gapless_numbers() {
    let db = fresh_db().await;
    let r = Arc::new(register(&db));
    let now = t(2026, 11, 23, 10, 0);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let r = r.clone();
            tokio::spawn(async move { r.file(&registration(&format!("k{i}")), &now).await })
        })
        .collect();
    let mut numbers = Vec::new();
    for task in tasks {
        numbers.push(task.await.unwrap().unwrap().number);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=50).collect::<Vec<i64>>());
}

#[tokio::test]
async fn entries_cannot_be_updated_or_deleted() {
    let db = fresh_db().await;
    let r = register(&db);
    r.file(&registration("a"), &t(2026, 11, 23, 10, 0))
        .await
        .unwrap();
    let upd = db
        .db
        .execute_unprepared("UPDATE protocol_entries SET subject = 'altro'")
        .await;
    let del = db
        .db
        .execute_unprepared("DELETE FROM protocol_entries")
        .await;
    assert!(upd.unwrap_err().to_string().contains("immutable"));
    assert!(del.unwrap_err().to_string().contains("immutable"));
    assert_eq!(r.lookup("a").await.unwrap().unwrap().number, 1);
}

#[tokio::test]
async fn an_irregular_registration_is_refused_and_takes_no_number() {
    let db = fresh_db().await;
    let r = register(&db);
    let now = t(2026, 11, 23, 10, 0);
    let mut bad = registration("bad");
    bad.subject = "  ".into();
    assert!(matches!(
        r.file(&bad, &now).await,
        Err(ProtocolError::Invalid(_))
    ));
    let mut bad = registration("bad2");
    bad.primary.sha256 = "xyz".into();
    assert!(matches!(
        r.file(&bad, &now).await,
        Err(ProtocolError::Invalid(_))
    ));
    assert_eq!(r.file(&registration("good"), &now).await.unwrap().number, 1);
}

/// A clock that moves on at every reading, through the given instants.
struct Ticking {
    times: Vec<DateTime<Utc>>,
    next: std::sync::atomic::AtomicUsize,
}

impl istanze_protocol::Clock for Ticking {
    fn now(&self) -> DateTime<Utc> {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.times[i.min(self.times.len() - 1)]
    }
}

#[tokio::test]
async fn a_filing_that_waits_across_new_year_is_numbered_in_the_new_year() {
    let db = fresh_db().await;
    let r = register(&db);
    let clock = Ticking {
        times: vec![t(2026, 12, 31, 22, 59), t(2026, 12, 31, 23, 1)],
        next: Default::default(),
    };
    let receipt = r.file(&registration("late"), &clock).await.unwrap();
    assert_eq!((receipt.year, receipt.number), (2027, 1));
    assert_eq!(receipt.registered_at, t(2026, 12, 31, 23, 1));
    let old_year = r
        .file(&registration("old"), &t(2026, 12, 31, 22, 0))
        .await
        .unwrap();
    assert_eq!(
        (old_year.year, old_year.number),
        (2026, 1),
        "the abandoned attempt took no number"
    );
}

/// Removes the database's protection, as an attacker with database access could.
async fn drop_protection(db: &TestDb) {
    let sql = match db.db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            vec!["DROP TRIGGER protocol_entries_no_change ON protocol_entries"]
        }
        _ => vec![
            "DROP TRIGGER protocol_entries_no_update",
            "DROP TRIGGER protocol_entries_no_delete",
        ],
    };
    for s in sql {
        db.db.execute_unprepared(s).await.unwrap();
    }
}

#[tokio::test]
async fn the_hash_chain_verifies_and_names_the_altered_entry() {
    let db = fresh_db().await;
    let r = register(&db);
    for i in 0..5 {
        r.file(&registration(&format!("k{i}")), &t(2026, 12, 31, 10, i))
            .await
            .unwrap();
    }
    r.file(&registration("next-year"), &t(2027, 1, 2, 10, 0))
        .await
        .unwrap();
    assert_eq!(r.verify().await.unwrap(), Ok(6));
    drop_protection(&db).await;
    db.db
        .execute_unprepared("UPDATE protocol_entries SET subject = 'Altro oggetto' WHERE number = 3 AND year = 2026")
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert_eq!((err.year, err.number), (2026, 3));
    assert!(err.to_string().contains("altered"), "{err}");
}

#[tokio::test]
async fn a_case_file_is_kept_with_the_entry_and_covered_by_the_chain() {
    let db = fresh_db().await;
    let r = register(&db);
    r.file(&registration("before"), &t(2026, 12, 1, 10, 0))
        .await
        .unwrap();
    let mut reg = registration("in-file");
    reg.direction = Direction::Outgoing;
    reg.case_file = Some(CaseFile::of_procedure("1.8", 2026, "01HZX", "Patrocinio"));
    r.file(&reg, &t(2026, 12, 1, 10, 1)).await.unwrap();
    assert_eq!(r.verify().await.unwrap(), Ok(2));
    let rows: Vec<(String, String, String)> = entry::Entity::find()
        .all(&db.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.direction, e.case_file_code, e.case_file_name))
        .collect();
    assert_eq!(
        rows,
        [
            ("A".into(), String::new(), String::new()),
            ("P".into(), "1.8/2026/01HZX".into(), "Patrocinio".into())
        ]
    );
    drop_protection(&db).await;
    db.db
        .execute_unprepared(
            "UPDATE protocol_entries SET case_file_code = '1.8/2026/ALTRO' WHERE number = 2",
        )
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert_eq!((err.year, err.number), (2026, 2));
    // A case file with control characters is an irregular entry.
    let mut bad = registration("bad");
    bad.case_file = Some(CaseFile {
        code: "1.8\u{0}".into(),
        name: String::new(),
    });
    assert!(matches!(
        r.file(&bad, &t(2026, 12, 1, 10, 2)).await,
        Err(ProtocolError::Invalid(why)) if why.contains("fascicolo")
    ));
}

#[tokio::test]
async fn removed_entries_are_detected() {
    let db = fresh_db().await;
    let r = register(&db);
    for i in 0..4 {
        r.file(&registration(&format!("k{i}")), &t(2026, 11, 23, 10, i))
            .await
            .unwrap();
    }
    drop_protection(&db).await;
    db.db
        .execute_unprepared("DELETE FROM protocol_entries WHERE number = 4")
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("removed"), "{err}");
    db.db
        .execute_unprepared("DELETE FROM protocol_entries WHERE number = 2")
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert_eq!(err.number, 3);
    assert!(err.to_string().contains("missing"), "{err}");
}

#[tokio::test]
async fn an_annulment_is_recorded_once_and_the_entry_stays_readable() {
    use istanze_protocol::embedded::Annulment;
    let db = fresh_db().await;
    let r = register(&db);
    let now = t(2026, 11, 23, 10, 0);
    r.file(&registration("a"), &now).await.unwrap();
    let annulment = Annulment {
        authorising_act: "Provvedimento del responsabile della gestione documentale n. 12/2026"
            .into(),
        operator: "Giulia Neri".into(),
        reason: "Domanda registrata due volte".into(),
    };
    let a = r.annul(2026, 1, &annulment, now).await.unwrap();
    assert_eq!(a.operator, "Giulia Neri");
    let (entry, recorded) = r.entry(2026, 1).await.unwrap().unwrap();
    assert_eq!(entry.subject, "Richiesta di patrocinio");
    assert_eq!(recorded.unwrap().reason, "Domanda registrata due volte");
    assert!(matches!(
        r.annul(2026, 1, &annulment, now).await,
        Err(ProtocolError::AlreadyAnnulled)
    ));
    assert!(matches!(
        r.annul(2026, 9, &annulment, now).await,
        Err(ProtocolError::NotFound)
    ));
    let empty = Annulment {
        reason: " ".into(),
        ..annulment
    };
    r.file(&registration("b"), &now).await.unwrap();
    assert!(matches!(
        r.annul(2026, 2, &empty, now).await,
        Err(ProtocolError::Invalid(_))
    ));
    let upd = db
        .db
        .execute_unprepared("UPDATE protocol_annulments SET reason = 'x'")
        .await;
    assert!(upd.unwrap_err().to_string().contains("immutable"));
    assert_eq!(
        r.verify().await.unwrap(),
        Ok(2),
        "an annulment leaves the entries' chain as it was"
    );
}

#[tokio::test]
async fn annulments_are_chained_and_a_forged_one_is_named() {
    use istanze_protocol::embedded::Annulment;
    let db = fresh_db().await;
    let r = register(&db);
    let now = t(2026, 11, 23, 10, 0);
    for k in ["a", "b", "c", "d"] {
        r.file(&registration(k), &now).await.unwrap();
    }
    let annulment = Annulment {
        authorising_act: "Provv. 3/2026".into(),
        operator: "Giulia Neri".into(),
        reason: "Doppione".into(),
    };
    // Concurrent annulments link one after the other.
    let (x, y) = tokio::join!(
        r.annul(2026, 1, &annulment, now),
        r.annul(2026, 2, &annulment, now)
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.prev_hash == y.annulment_hash || y.prev_hash == x.annulment_hash);
    assert_eq!(r.verify().await.unwrap(), Ok(4));
    // Inserting is not refused by the triggers: the chain is what shows it.
    let (entry, _) = r.entry(2026, 3).await.unwrap().unwrap();
    db.db
        .execute_unprepared(&format!(
            "INSERT INTO protocol_annulments (entry_id, authorising_act, operator, reason, annulled_at, prev_hash, annulment_hash) \
             VALUES ({}, 'Falso', 'Nessuno', 'Forgiato', '2026-11-23 11:00:00+00:00', '', '')",
            entry.id
        ))
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert_eq!(err.number, 3);
    assert!(err.to_string().contains("annulment"), "{err}");
}

#[tokio::test]
async fn a_register_year_emptied_entirely_is_detected() {
    let db = fresh_db().await;
    let r = register(&db);
    r.file(&registration("a"), &t(2026, 11, 23, 10, 0))
        .await
        .unwrap();
    r.file(&registration("b"), &t(2027, 1, 5, 10, 0))
        .await
        .unwrap();
    drop_protection(&db).await;
    db.db
        .execute_unprepared("DELETE FROM protocol_entries WHERE year = 2026")
        .await
        .unwrap();
    let err = r.verify().await.unwrap().unwrap_err();
    assert_eq!(err.year, 2026);
    assert!(err.to_string().contains("every entry"), "{err}");
}

#[tokio::test]
async fn truncate_is_refused_on_postgresql_too() {
    let db = fresh_db().await;
    let r = register(&db);
    r.file(&registration("a"), &t(2026, 11, 23, 10, 0))
        .await
        .unwrap();
    if db.db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let err = db
            .db
            .execute_unprepared("TRUNCATE protocol_annulments, protocol_entries")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("immutable"), "{err}");
    }
    assert_eq!(r.verify().await.unwrap(), Ok(1));
}
