//! One job queue: the filings (`outbox`) and the notifications (`notifications`) become rows
//! of `jobs`, told apart by their kind, with one way of claiming, leasing and retrying. The
//! rows of both tables move over as they are (attempts, due time, lease, last error, outcome),
//! so nothing queued before the upgrade is lost or done twice; the two tables go.
//!
//! A job belongs to a submission: the foreign key makes a job without one impossible.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Administration,
    Kind,
    SubmissionId,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    Outcome,
    CreatedAt,
    DoneAt,
}

pub(super) struct OneJobQueue;

impl MigrationName for OneJobQueue {
    fn name(&self) -> &str {
        "m20261203_000012_one_job_queue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for OneJobQueue {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let instant = |c: Jobs| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .not_null()
                .to_owned()
        };
        let optional_instant = |c: Jobs| {
            ColumnDef::new(c)
                .timestamp_with_time_zone()
                .null()
                .to_owned()
        };
        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .col(
                    ColumnDef::new(Jobs::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ColumnDef::new(Jobs::Administration).string().not_null())
                .col(ColumnDef::new(Jobs::Kind).string().not_null())
                .col(ColumnDef::new(Jobs::SubmissionId).string().not_null())
                .col(ColumnDef::new(Jobs::Attempts).integer().not_null())
                .col(instant(Jobs::NextAttemptAt))
                .col(optional_instant(Jobs::LeaseUntil))
                .col(ColumnDef::new(Jobs::LastError).text().null())
                .col(ColumnDef::new(Jobs::Outcome).text().null())
                .col(instant(Jobs::CreatedAt))
                .col(optional_instant(Jobs::DoneAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("jobs_submission")
                        .from(Jobs::Table, Jobs::SubmissionId)
                        .to(Alias::new("submissions"), Alias::new("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        // One job of each kind per submission: a filing queued twice would be filed once
        // anyway (idempotency key), but a notification queued twice would be sent twice.
        m.create_index(
            Index::create()
                .name("jobs_one_of_each_kind")
                .table(Jobs::Table)
                .col(Jobs::Administration)
                .col(Jobs::Kind)
                .col(Jobs::SubmissionId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("jobs_due")
                .table(Jobs::Table)
                .col(Jobs::Administration)
                .col(Jobs::DoneAt)
                .col(Jobs::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        // On PostgreSQL the old rows are behind row-level security: the tables' owner (or a
        // superuser) migrates, and with FORCE lifted sees them all; the tables go right after.
        let postgres = db.get_database_backend() == DbBackend::Postgres;
        if postgres {
            db.execute_unprepared(
                "ALTER TABLE outbox NO FORCE ROW LEVEL SECURITY; \
                 ALTER TABLE notifications NO FORCE ROW LEVEL SECURITY",
            )
            .await?;
        }
        db.execute_unprepared(
            "INSERT INTO jobs (administration, kind, submission_id, attempts, next_attempt_at, \
               lease_until, last_error, outcome, created_at, done_at) \
             SELECT administration, 'file', submission_id, attempts, next_attempt_at, \
               lease_until, last_error, CASE WHEN done_at IS NULL THEN NULL ELSE 'done' END, \
               created_at, done_at \
             FROM outbox WHERE submission_id IN (SELECT id FROM submissions) ORDER BY id",
        )
        .await?;
        // A notification's outcome was its last error while it was retried. The old table had
        // no unique key: of a notification queued twice the first is kept (the new index
        // allows one), and a row of no submission (none are written, but the foreign key would
        // refuse it) is not carried over, having nothing to file or tell. Both are filtered
        // rather than left to fail: SQLite runs migrations outside a transaction, and a failed
        // statement here would leave the schema half made.
        db.execute_unprepared(
            "INSERT INTO jobs (administration, kind, submission_id, attempts, next_attempt_at, \
               lease_until, last_error, outcome, created_at, done_at) \
             SELECT administration, channel, submission_id, attempts, next_attempt_at, \
               lease_until, CASE WHEN done_at IS NULL THEN outcome ELSE NULL END, \
               CASE WHEN done_at IS NULL THEN NULL \
                    WHEN outcome = 'sent' THEN 'done' ELSE outcome END, \
               created_at, done_at \
             FROM notifications \
             WHERE submission_id IN (SELECT id FROM submissions) \
               AND id IN (SELECT MIN(id) FROM notifications \
                          GROUP BY administration, channel, submission_id) \
             ORDER BY id",
        )
        .await?;
        m.drop_table(Table::drop().table(Alias::new("outbox")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Alias::new("notifications")).to_owned())
            .await?;
        super::rls::enable(db, "jobs").await
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "queued filings are never dropped by a migration".into(),
        ))
    }
}
