//! Staff's own work on a case as storage: private notes, in order, and labels.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::StoreError;

/// A stored note.
pub type Note = crate::db::case_note::Model;

/// The notes and labels of one administration's cases.
pub trait DeskStore {
    fn add_note(
        &self,
        id: &str,
        author: &str,
        text: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Note, StoreError>> + Send;

    /// The case's notes, oldest first.
    fn notes(&self, id: &str) -> impl Future<Output = Result<Vec<Note>, StoreError>> + Send;

    /// Puts `label` on the case; `false` when it was there already.
    fn add_label(
        &self,
        id: &str,
        label: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Takes `label` off the case; `false` when it was not there.
    fn remove_label(
        &self,
        id: &str,
        label: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The case's labels, in alphabetical order.
    fn labels(&self, id: &str) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send;
}
