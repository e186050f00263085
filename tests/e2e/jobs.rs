//! The one job queue as storage: what a claim takes and leaves, leases, finishing once,
//! retries, one administration's jobs out of another's reach; and the upgrade that moves the
//! filings and notifications queued before it into the queue without losing or repeating one.

use chrono::{DateTime, TimeZone, Utc};
use istanze_server::db::submission;
use istanze_server::store::jobs::{self, Finished, JobKind, JobQueue};
use istanze_tests::{fresh_database, scoped};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel};
use sea_orm_migration::MigratorTrait;

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, minute, 0).unwrap()
}

/// A submission row of `admin` (jobs name one: the foreign key insists).
async fn submission_row(db: &DatabaseConnection, admin: &str, id: &str) {
    let mut row = istanze_tests::rows::submission(id, "RSSMRA85T10A562S", at(0));
    row.administration = admin.into();
    submission::Entity::insert(row.into_active_model())
        .exec_without_returning(&scoped(db, admin))
        .await
        .unwrap();
}

async fn database() -> (DatabaseConnection, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    (
        istanze_server::db::connect(&url, 4, None).await.unwrap(),
        dir,
    )
}

#[tokio::test]
async fn a_claim_takes_the_oldest_due_job_once_and_a_lapsed_lease_lets_it_go_again() {
    let (db, _dir) = database().await;
    let queue = scoped(&db, "p_es");
    for id in ["s1", "s2"] {
        submission_row(&db, "p_es", id).await;
    }
    let txn = queue.begin().await.unwrap();
    jobs::enqueue(&txn, queue.id(), JobKind::File, "s1", at(0))
        .await
        .unwrap();
    jobs::enqueue(&txn, queue.id(), JobKind::File, "s2", at(0))
        .await
        .unwrap();
    jobs::enqueue(&txn, queue.id(), JobKind::Email, "s1", at(0))
        .await
        .unwrap();
    // Queued twice in the same transaction: still one job.
    jobs::enqueue(&txn, queue.id(), JobKind::Email, "s1", at(1))
        .await
        .unwrap();
    txn.commit().await.unwrap();

    let files = [JobKind::File];
    let first = queue.claim(&files, at(1), at(3)).await.unwrap().unwrap();
    assert_eq!(
        (first.kind, first.submission_id.as_str(), first.attempts),
        (JobKind::File, "s1", 1)
    );
    let second = queue.claim(&files, at(1), at(3)).await.unwrap().unwrap();
    assert_eq!(
        second.submission_id, "s2",
        "a leased job is not taken again"
    );
    assert_eq!(
        queue.claim(&files, at(2), at(4)).await.unwrap(),
        None,
        "both leased"
    );

    let notices = queue
        .claim(&JobKind::NOTIFICATIONS, at(1), at(3))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (notices.kind, notices.submission_id.as_str()),
        (JobKind::Email, "s1")
    );
    assert_eq!(
        queue
            .claim(&JobKind::NOTIFICATIONS, at(1), at(3))
            .await
            .unwrap(),
        None,
        "the e-mail was queued once"
    );

    // s1's runner died: its lease lapses at minute 3 and the job is claimed again.
    let again = queue.claim(&files, at(4), at(6)).await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (first.id, 2));
    // The first runner wakes up: the job is the new runner's now, it neither finishes it nor
    // releases it.
    assert!(!queue.finish(&first, &Finished::Done, at(5)).await.unwrap());
    queue.retry_later(&first, "late", at(50)).await.unwrap();
    assert_eq!(queue.pending(&files).await.unwrap()[0].last_error, None);
    assert!(queue.finish(&again, &Finished::Done, at(5)).await.unwrap());
    assert!(
        !queue.finish(&again, &Finished::Done, at(6)).await.unwrap(),
        "once"
    );

    // s2 failed: due again later, its error kept for staff, not claimable before.
    queue
        .retry_later(&second, "register down", at(30))
        .await
        .unwrap();
    let pending = queue.pending(&JobKind::ALL).await.unwrap();
    let s2 = pending.iter().find(|j| j.submission_id == "s2").unwrap();
    assert_eq!(s2.last_error.as_deref(), Some("register down"));
    assert_eq!(s2.next_attempt_at, at(30));
    assert_eq!(
        pending
            .iter()
            .map(|j| (j.kind, j.submission_id.as_str()))
            .collect::<Vec<_>>(),
        [(JobKind::File, "s2"), (JobKind::Email, "s1")],
        "the finished filing is no longer pending"
    );
    assert_eq!(queue.claim(&files, at(10), at(12)).await.unwrap(), None);
    // Staff make it due now.
    assert!(queue.make_due(JobKind::File, "s2", at(10)).await.unwrap());
    assert!(
        !queue.make_due(JobKind::File, "s1", at(10)).await.unwrap(),
        "s1 is done"
    );
    let retried = queue.claim(&files, at(10), at(12)).await.unwrap().unwrap();
    assert_eq!(
        (retried.submission_id.as_str(), retried.attempts),
        ("s2", 2)
    );
    queue
        .finish(
            &retried,
            &Finished::Skipped("no longer wanted".into()),
            at(11),
        )
        .await
        .unwrap();
    // Through the administration's connection: on PostgreSQL an unscoped one sees no job.
    let outcome = queue
        .query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT outcome FROM jobs WHERE id = {}", retried.id),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "outcome")
        .unwrap();
    assert_eq!(outcome, "skipped: no longer wanted");
}

#[tokio::test]
async fn one_administrations_jobs_are_out_of_anothers_reach() {
    let (db, _dir) = database().await;
    submission_row(&db, "p_es", "s1").await;
    let province = scoped(&db, "p_es");
    let municipality = scoped(&db, "c_b999");
    let txn = province.begin().await.unwrap();
    jobs::enqueue(&txn, province.id(), JobKind::File, "s1", at(0))
        .await
        .unwrap();
    txn.commit().await.unwrap();

    assert_eq!(
        municipality
            .claim(&JobKind::ALL, at(1), at(3))
            .await
            .unwrap(),
        None
    );
    assert!(municipality
        .pending(&JobKind::ALL)
        .await
        .unwrap()
        .is_empty());
    assert!(!municipality
        .make_due(JobKind::File, "s1", at(1))
        .await
        .unwrap());
    let job = province
        .claim(&JobKind::ALL, at(1), at(3))
        .await
        .unwrap()
        .unwrap();
    assert!(
        !municipality
            .finish(&job, &Finished::Done, at(2))
            .await
            .unwrap(),
        "another administration cannot finish it"
    );
    municipality
        .retry_later(&job, "not mine", at(2))
        .await
        .unwrap();
    let still = province.pending(&JobKind::ALL).await.unwrap();
    assert_eq!(still[0].last_error, None, "nor release it");
    assert!(province.finish(&job, &Finished::Done, at(2)).await.unwrap());
}

/// The columns of the two tables before the queue (migration 11), written as that version did.
async fn old_row(db: &DatabaseConnection, table: &str, columns: &[(&str, sea_orm::Value)]) {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns(columns.iter().map(|(c, _)| Alias::new(*c)))
        .values_panic(columns.iter().map(|(_, v)| v.clone().into()));
    let stmt = db.get_database_backend().build(&insert);
    db.execute(stmt).await.unwrap();
}

#[tokio::test]
async fn the_upgrade_moves_queued_filings_and_notifications_into_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let db = sea_orm::Database::connect(&url).await.unwrap();
    // Up to the migration before the queue's.
    let queue = istanze_server::db::Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261203_000012_one_job_queue")
        .expect("the queue's migration");
    istanze_server::db::Migrator::up(&db, Some(u32::try_from(queue).unwrap()))
        .await
        .unwrap();
    for id in ["done", "waiting"] {
        submission_row(&db, "p_es", id).await;
    }
    let none = || sea_orm::Value::ChronoDateTimeUtc(None);
    let when = |m| sea_orm::Value::from(at(m));
    let text = |s: &str| sea_orm::Value::from(s.to_owned());
    let absent = || sea_orm::Value::String(None);
    for (id, done, error) in [
        ("done", when(5), absent()),
        ("waiting", none(), text("register down")),
        // A filing of no submission: not carried over.
        ("gone", none(), absent()),
    ] {
        old_row(
            &db,
            "outbox",
            &[
                ("administration", text("p_es")),
                ("submission_id", text(id)),
                ("attempts", 3.into()),
                ("next_attempt_at", when(9)),
                ("lease_until", none()),
                ("last_error", error),
                ("created_at", when(1)),
                ("done_at", done),
            ],
        )
        .await;
    }
    for (channel, done, outcome) in [
        ("email", when(6), "sent"),
        (
            "app_io",
            when(6),
            "skipped: the citizen does not use App IO",
        ),
        ("email", none(), "smtp: connection refused"),
        // Queued twice (the old table allowed it): the first is kept.
        ("email", none(), "queued twice"),
    ] {
        let id = if done == none() { "waiting" } else { "done" };
        old_row(
            &db,
            "notifications",
            &[
                ("administration", text("p_es")),
                ("submission_id", text(id)),
                ("channel", text(channel)),
                ("attempts", 1.into()),
                ("next_attempt_at", when(7)),
                ("lease_until", none()),
                ("done_at", done),
                ("outcome", text(outcome)),
                ("created_at", when(2)),
            ],
        )
        .await;
    }
    db.close().await.unwrap();

    let db = istanze_server::db::connect(&url, 2, None).await.unwrap();
    let queue = scoped(&db, "p_es");
    let rows = queue
        .query_all(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT kind, submission_id, attempts, last_error, outcome FROM jobs ORDER BY id",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.try_get::<String>("", "kind").unwrap(),
                r.try_get::<String>("", "submission_id").unwrap(),
                r.try_get::<i32>("", "attempts").unwrap(),
                r.try_get::<Option<String>>("", "last_error").unwrap(),
                r.try_get::<Option<String>>("", "outcome").unwrap(),
            )
        })
        .collect::<Vec<_>>();
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        rows,
        [
            ("file".into(), "done".into(), 3, None, s("done")),
            ("file".into(), "waiting".into(), 3, s("register down"), None),
            ("email".into(), "done".into(), 1, None, s("done")),
            (
                "app_io".into(),
                "done".into(),
                1,
                None,
                s("skipped: the citizen does not use App IO")
            ),
            (
                "email".into(),
                "waiting".into(),
                1,
                s("smtp: connection refused"),
                None
            ),
        ]
    );
    // What was waiting is still to do, when it was due.
    let filing = queue
        .claim(&[JobKind::File], at(9), at(11))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (filing.submission_id.as_str(), filing.attempts),
        ("waiting", 4)
    );
    let mail = queue
        .claim(&JobKind::NOTIFICATIONS, at(9), at(11))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (mail.kind, mail.submission_id.as_str()),
        (JobKind::Email, "waiting")
    );
    for gone in ["outbox", "notifications"] {
        assert!(
            db.execute_unprepared(&format!("SELECT 1 FROM {gone}"))
                .await
                .is_err(),
            "{gone} is gone"
        );
    }
}
