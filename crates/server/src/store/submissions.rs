//! Submitted applications as storage: frozen at submission (data, form version, principal,
//! document), then given their protocol receipt once filed. Never deleted.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::StoreError;

/// A stored application, as its row. (The back office's case view will be a type of its own
/// over it.)
pub type Submission = crate::db::submission::Model;

/// Where an application is in its filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionStatus {
    /// Stored, its filing job queued.
    Filing,
    /// Registered: the protocol number and time are set.
    Filed,
}

impl SubmissionStatus {
    /// The value stored in the `status` column.
    pub const fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Filing => "filing",
            SubmissionStatus::Filed => "filed",
        }
    }
}

/// What the register gave back, to record on the application.
#[derive(Debug, Clone)]
pub struct Filed<'a> {
    pub register: &'a str,
    pub year: i32,
    pub number: i64,
    pub at: DateTime<Utc>,
    pub segnatura: &'a str,
}

/// How an insert ended.
#[derive(Debug)]
pub enum Inserted {
    New(Box<Submission>),
    /// The id is taken (a double click, a retried request): nothing was written.
    Duplicate,
}

/// The applications of one administration.
pub trait SubmissionStore {
    fn get(&self, id: &str) -> impl Future<Output = Result<Option<Submission>, StoreError>> + Send;

    /// Application `id` if `owner` submitted it; `None` for anyone else, as for a missing one.
    fn owned(
        &self,
        owner: &str,
        id: &str,
    ) -> impl Future<Output = Result<Option<Submission>, StoreError>> + Send;

    /// The applications `owner` submitted, newest first.
    fn submitted_by(
        &self,
        owner: &str,
    ) -> impl Future<Output = Result<Vec<Submission>, StoreError>> + Send;
}

pub use super::submissions_sql::{insert_in, record_filed_in};
