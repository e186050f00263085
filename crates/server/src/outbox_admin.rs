//! Filings not done yet, for staff: which are waiting, which are stuck (older than
//! `worker.stuck_after_minutes`), with their attempts and last error; and the retry of one
//! now. Nothing is ever dropped: a stuck filing keeps being retried with backoff until it
//! succeeds; staff see it and can make it try again at once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::db::scope::Scoped;
use serde::Serialize;

use crate::db::outbox;

/// A filing still to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingFiling {
    pub submission_id: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// Waiting longer than the configured limit.
    pub stuck: bool,
}

/// Every filing of administration `admin` not done yet, oldest first.
pub async fn pending(
    db: &Scoped,
    now: DateTime<Utc>,
    stuck_after: Duration,
) -> Result<Vec<PendingFiling>, DbErr> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Administration.eq(db.admin()))
        .filter(outbox::Column::DoneAt.is_null())
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| PendingFiling {
            stuck: now - r.created_at > stuck_after,
            submission_id: r.submission_id,
            attempts: r.attempts,
            created_at: r.created_at,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
        })
        .collect())
}

/// Makes a pending filing due now. `false` when there is no such pending filing.
pub async fn retry(db: &Scoped, submission_id: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let r = outbox::Entity::update_many()
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Administration.eq(db.admin()))
        .filter(outbox::Column::SubmissionId.eq(submission_id))
        .filter(outbox::Column::DoneAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
