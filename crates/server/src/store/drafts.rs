//! Drafts as storage: one per citizen and form within an administration, found again from any
//! device, replaced by each save, deleted when the application is submitted or when it
//! expires (after a warning, claimed once even with several processes running).

use std::future::Future;

use chrono::{DateTime, Utc};

use super::StoreError;

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: String,
    /// The citizen's key (`Principal::owner`).
    pub owner: String,
    pub form_id: String,
    pub form_version: String,
    /// The content id of the form version it was made with (empty: made before versions).
    pub form_version_id: String,
    /// The answers so far, as JSON text (not validated).
    pub data: String,
    /// Where to warn before it expires, if known.
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub warned_at: Option<DateTime<Utc>>,
}

/// What a save writes; the rest is the store's.
#[derive(Debug, Clone)]
pub struct DraftContent<'a> {
    /// The id the draft gets if it is the citizen's first of this form.
    pub new_id: String,
    pub owner: &'a str,
    pub form_id: &'a str,
    pub form_version: &'a str,
    pub form_version_id: &'a str,
    pub data: String,
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// The drafts of one administration.
pub trait DraftStore {
    /// Saves `content` as the citizen's draft of its form, replacing an earlier one (which
    /// keeps its id and creation time; the expiry warning starts over), and returns it.
    fn save(
        &self,
        content: DraftContent<'_>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Draft, StoreError>> + Send;

    fn find(
        &self,
        owner: &str,
        form_id: &str,
    ) -> impl Future<Output = Result<Option<Draft>, StoreError>> + Send;

    fn drafts_of(&self, owner: &str)
        -> impl Future<Output = Result<Vec<Draft>, StoreError>> + Send;

    /// Every draft of the administration (for the files they still name).
    fn all_drafts(&self) -> impl Future<Output = Result<Vec<Draft>, StoreError>> + Send;

    /// Deletes the citizen's draft of a form; how many were deleted (0 or 1).
    fn discard(
        &self,
        owner: &str,
        form_id: &str,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Drafts with an address, not warned yet, expiring after `now` and by `by`.
    fn to_warn(
        &self,
        now: DateTime<Utc>,
        by: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<Draft>, StoreError>> + Send;

    /// Marks a draft warned unless someone did already; `true` for whoever marked it.
    fn claim_warning(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Undoes [`DraftStore::claim_warning`] after a warning that could not be sent.
    fn release_warning(&self, id: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes the drafts expired by `now`; how many.
    fn delete_expired(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}

pub use super::drafts_sql::discard_in;
