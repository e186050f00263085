//! [`JobQueue`] over sea-orm: the `jobs` table, scoped to one administration.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
};

use super::jobs::{Finished, Job, JobKind, JobQueue};
use super::StoreError;
use crate::db::job;
use crate::db::scope::Scoped;
use istanze_domain::AdministrationId;

/// Queues a job of `kind` for `submission_id`, due at `now`, inside the caller's transaction
/// (the one that stores what makes the job necessary). A job of that kind already queued for
/// the submission is left as it is: the unique index answers, and nothing is queued twice.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    kind: JobKind,
    submission_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    enqueue_for_event(conn, admin, kind, submission_id, 0, now).await
}

/// [`enqueue`] for case event `event_id` of the application: one job of each kind per event.
pub async fn enqueue_for_event(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    kind: JobKind,
    submission_id: &str,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    job::Entity::insert(job::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        administration: Set(admin.to_string()),
        kind: Set(kind.as_str().to_owned()),
        submission_id: Set(submission_id.to_owned()),
        event_id: Set(event_id),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        outcome: Set(None),
        created_at: Set(now),
        done_at: Set(None),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::columns([
            job::Column::Administration,
            job::Column::Kind,
            job::Column::SubmissionId,
            job::Column::EventId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .do_nothing()
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// [`JobQueue::finish`] inside the caller's transaction (the filing's, which records the
/// receipt in the same commit).
pub async fn finish_in(
    conn: &impl ConnectionTrait,
    admin: &AdministrationId,
    job: &Job,
    how: &Finished,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let outcome = match how {
        Finished::Done => "done".to_owned(),
        Finished::Skipped(why) => format!("skipped: {why}"),
    };
    let r = job::Entity::update_many()
        .col_expr(job::Column::DoneAt, Expr::value(Some(now)))
        .col_expr(
            job::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(job::Column::Outcome, Expr::value(Some(outcome)))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Administration.eq(admin.as_str()))
        .filter(job::Column::DoneAt.is_null())
        // Only the runner of the latest claim: one whose lease lapsed and was claimed again
        // leaves the job to the new runner.
        .filter(job::Column::Attempts.eq(job.attempts))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

fn kind_names(kinds: &[JobKind]) -> Vec<&'static str> {
    kinds.iter().map(|k| k.as_str()).collect()
}

fn to_job(row: job::Model) -> Result<Job, StoreError> {
    let kind = JobKind::parse(&row.kind).ok_or_else(|| StoreError::Corrupt {
        table: "jobs",
        why: format!("unknown kind {:?}", row.kind),
    })?;
    Ok(Job {
        id: row.id,
        kind,
        submission_id: row.submission_id,
        event_id: row.event_id,
        attempts: row.attempts,
        created_at: row.created_at,
        next_attempt_at: row.next_attempt_at,
        last_error: row.last_error,
    })
}

impl JobQueue for Scoped {
    async fn claim(
        &self,
        kinds: &[JobKind],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<Job>, StoreError> {
        let mut candidate = Query::select();
        candidate
            .column(job::Column::Id)
            .from(job::Entity)
            .and_where(job::Column::Administration.eq(self.admin()))
            .and_where(job::Column::Kind.is_in(kind_names(kinds)))
            .and_where(job::Column::DoneAt.is_null())
            .and_where(job::Column::NextAttemptAt.lte(now))
            .and_where(
                job::Column::LeaseUntil
                    .is_null()
                    .or(job::Column::LeaseUntil.lt(now)),
            )
            .order_by(job::Column::Id, sea_orm::Order::Asc)
            .limit(1);
        // SQLite has one writer at a time, which gives the same guarantee.
        if self.get_database_backend() == DbBackend::Postgres {
            candidate.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let claimed = job::Entity::update_many()
            .col_expr(job::Column::LeaseUntil, Expr::value(Some(lease_until)))
            .col_expr(
                job::Column::Attempts,
                Expr::col(job::Column::Attempts).add(1),
            )
            .filter(job::Column::Id.in_subquery(candidate))
            .filter(job::Column::Administration.eq(self.admin()))
            .exec_with_returning(self)
            .await?;
        claimed.into_iter().next().map(to_job).transpose()
    }

    async fn finish(
        &self,
        job: &Job,
        how: &Finished,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        finish_in(self, self.id(), job, how, now).await
    }

    async fn retry_later(
        &self,
        job: &Job,
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        job::Entity::update_many()
            .col_expr(
                job::Column::LeaseUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(job::Column::NextAttemptAt, Expr::value(at))
            .col_expr(job::Column::LastError, Expr::value(Some(error.to_owned())))
            .filter(job::Column::Id.eq(job.id))
            .filter(job::Column::Administration.eq(self.admin()))
            .filter(job::Column::DoneAt.is_null())
            .filter(job::Column::Attempts.eq(job.attempts))
            .exec(self)
            .await?;
        Ok(())
    }

    async fn pending(&self, kinds: &[JobKind]) -> Result<Vec<Job>, StoreError> {
        job::Entity::find()
            .filter(job::Column::Administration.eq(self.admin()))
            .filter(job::Column::Kind.is_in(kind_names(kinds)))
            .filter(job::Column::DoneAt.is_null())
            .order_by_asc(job::Column::Id)
            .all(self)
            .await?
            .into_iter()
            .map(to_job)
            .collect()
    }

    async fn make_due_by_id(
        &self,
        id: i64,
        kinds: &[JobKind],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let r = job::Entity::update_many()
            .col_expr(job::Column::NextAttemptAt, Expr::value(now))
            .filter(job::Column::Administration.eq(self.admin()))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::Kind.is_in(kind_names(kinds)))
            .filter(job::Column::DoneAt.is_null())
            .exec(self)
            .await?;
        Ok(r.rows_affected == 1)
    }

    async fn make_due(
        &self,
        kind: JobKind,
        submission_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let r = job::Entity::update_many()
            .col_expr(job::Column::NextAttemptAt, Expr::value(now))
            .filter(job::Column::Administration.eq(self.admin()))
            .filter(job::Column::Kind.eq(kind.as_str()))
            .filter(job::Column::SubmissionId.eq(submission_id))
            .filter(job::Column::EventId.eq(0))
            .filter(job::Column::DoneAt.is_null())
            .exec(self)
            .await?;
        Ok(r.rows_affected == 1)
    }
}
