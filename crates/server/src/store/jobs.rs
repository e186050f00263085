//! The one job queue: everything the server does after answering a citizen, filing a
//! submission into the register and telling the citizen by e-mail or App IO, is a [`Job`]
//! written in the transaction that makes it necessary, then claimed by a runner with a lease,
//! done, and finished or retried later with backoff. A runner that dies lets its lease lapse
//! and another takes the job again; the kinds' own idempotency (the filing's key, the
//! notification's single row) makes that safe.
//!
//! Later work (case events, conservation, payments) adds kinds, not queues.

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreError;

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// File the submission into the administration's register.
    File,
    /// File a case event's document (a communication to the citizen, or the citizen's reply)
    /// into the register, in the application's case file.
    FileEvent,
    /// Send the citizen the confirmation e-mail with the protocol number.
    Email,
    /// Send the citizen an App IO message.
    AppIo,
}

impl JobKind {
    pub const ALL: [JobKind; 4] = [
        JobKind::File,
        JobKind::FileEvent,
        JobKind::Email,
        JobKind::AppIo,
    ];

    /// The kinds that file something into the register.
    pub const FILINGS: [JobKind; 2] = [JobKind::File, JobKind::FileEvent];

    /// The kinds that tell the citizen something.
    pub const NOTIFICATIONS: [JobKind; 2] = [JobKind::Email, JobKind::AppIo];

    /// The name stored in the `kind` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            JobKind::File => "file",
            JobKind::FileEvent => "file_event",
            JobKind::Email => "email",
            JobKind::AppIo => "app_io",
        }
    }

    pub fn parse(s: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for JobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job not finished yet, as a runner claimed it or staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub submission_id: String,
    /// The case event it is about; 0 for the application itself.
    pub event_id: i64,
    /// Attempts so far, the claimed one included.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

/// How a finished job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finished {
    Done,
    /// Retrying cannot help (no address, the citizen not on App IO, a refusal): the reason.
    Skipped(String),
}

/// The queue of one administration.
pub trait JobQueue {
    /// Takes the oldest due job of one of `kinds` whose lease is free or lapsed, holding it
    /// until `lease_until` and counting the attempt; `None` when none is due. Two runners
    /// never take the same job (on PostgreSQL the candidate is locked `SKIP LOCKED`).
    fn claim(
        &self,
        kinds: &[JobKind],
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<Job>, StoreError>> + Send;

    /// Ends a job; `false` when it was already finished, or claimed again since `job` was
    /// (its lease lapsed), so that what follows a job happens once, by the latest runner.
    fn finish(
        &self,
        job: &Job,
        how: &Finished,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Releases a failed job, due again at `at`, keeping the error for staff (unless it was
    /// claimed again since: then it is the new runner's).
    fn retry_later(
        &self,
        job: &Job,
        error: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The jobs of `kinds` not finished yet, oldest first.
    fn pending(
        &self,
        kinds: &[JobKind],
    ) -> impl Future<Output = Result<Vec<Job>, StoreError>> + Send;

    /// Makes the unfinished job `id`, if of one of `kinds`, due at `now`; `false` when there
    /// is none.
    fn make_due_by_id(
        &self,
        id: i64,
        kinds: &[JobKind],
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Makes the unfinished job of `kind` for the application `submission_id` itself (not
    /// for one of its case events) due at `now`; `false` when there is none.
    fn make_due(
        &self,
        kind: JobKind,
        submission_id: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

pub use super::jobs_sql::{enqueue, enqueue_for_event, finish_in};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_as_they_are_stored() {
        for kind in JobKind::ALL {
            assert_eq!(JobKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(JobKind::parse("fax"), None);
    }
}
