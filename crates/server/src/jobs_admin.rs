//! Jobs not finished yet, for staff: which filings and notifications are waiting, which are
//! stuck (older than `worker.stuck_after_minutes`), with their attempts and last error; and
//! the retry of one now. Nothing is ever dropped: a stuck job keeps being retried with backoff
//! until it succeeds; staff see it and can make it try again at once.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::store::jobs::{JobKind, JobQueue};
use crate::store::StoreError;

/// A job still to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingJob {
    pub id: i64,
    pub kind: JobKind,
    /// The case event it files or tells (0: the application itself).
    pub event_id: i64,
    pub submission_id: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// Waiting longer than the configured limit.
    pub stuck: bool,
}

/// Every job of `kinds` of the queue's administration not finished yet, oldest first.
pub async fn pending(
    queue: &impl JobQueue,
    kinds: &[JobKind],
    now: DateTime<Utc>,
    stuck_after: Duration,
) -> Result<Vec<PendingJob>, StoreError> {
    Ok(queue
        .pending(kinds)
        .await?
        .into_iter()
        .map(|j| PendingJob {
            stuck: now - j.created_at > stuck_after,
            id: j.id,
            event_id: j.event_id,
            kind: j.kind,
            submission_id: j.submission_id,
            attempts: j.attempts,
            created_at: j.created_at,
            next_attempt_at: j.next_attempt_at,
            last_error: j.last_error,
        })
        .collect())
}

/// Makes the pending job of `kind` for `submission_id` due now. `false` when there is none.
pub async fn retry(
    queue: &impl JobQueue,
    kind: JobKind,
    submission_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    queue.make_due(kind, submission_id, now).await
}

/// Makes pending job `id`, if of one of `kinds`, due now. `false` when there is none (done
/// meanwhile, or never).
pub async fn retry_job(
    queue: &impl JobQueue,
    id: i64,
    kinds: &[JobKind],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    queue.make_due_by_id(id, kinds, now).await
}

/// Whether `grants` let a member watch and retry every filing of the administration: its
/// administrators and records managers, for the whole administration (a filing not yet done
/// belongs to no office's case yet).
pub fn may_oversee(grants: &[crate::store::staff::Grant]) -> bool {
    grants.iter().any(|g| {
        matches!(
            g.role,
            istanze_domain::Role::Administrator | istanze_domain::Role::RecordsManager
        ) && g.reach == istanze_domain::Reach::Administration
    })
}
