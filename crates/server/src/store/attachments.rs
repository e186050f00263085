//! Uploaded files as storage: a citizen's file for one field of one form, kept apart until a
//! submit makes it part of the application (then never deleted with it). The bytes are the
//! business of [`crate::attachments`] (chunks in the database or files in a directory); this
//! is the catalogue of files. Storing a new file goes with the citizen's quota
//! ([`crate::db::quota::settle`]).

use std::future::Future;

use chrono::{DateTime, Utc};

use super::StoreError;

/// A stored file, as its row.
pub type Attachment = crate::db::attachment::Model;

/// A file not part of an application, as the housekeeping sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlinked {
    pub id: String,
    pub owner: String,
    /// Where directory storage keeps its bytes (none for chunks in the database).
    pub path: Option<String>,
}

/// The files of one administration.
pub trait AttachmentStore {
    /// File `id` if `owner` uploaded it; `None` for anyone else, as for a missing one.
    fn owned_file(
        &self,
        owner: &str,
        id: &str,
    ) -> impl Future<Output = Result<Option<Attachment>, StoreError>> + Send;

    /// Those of files `ids` that `owner` uploaded (the others are left out, unsaid).
    fn owned_files(
        &self,
        owner: &str,
        ids: Vec<String>,
    ) -> impl Future<Output = Result<Vec<Attachment>, StoreError>> + Send;

    /// The files of submission `submission_id`, oldest first.
    fn of_submission(
        &self,
        submission_id: &str,
    ) -> impl Future<Output = Result<Vec<Attachment>, StoreError>> + Send;

    /// Files uploaded before `before` and not part of an application.
    fn unlinked_before(
        &self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Unlinked>, StoreError>> + Send;

    /// Deletes file `id` with its chunks, on condition that it is still not part of an
    /// application: true if it went.
    fn delete_unlinked(&self, id: &str) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

pub use super::attachments_sql::link_in;
