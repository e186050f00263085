//! Form definitions as storage: each administration's forms as immutable, content-addressed
//! versions. A version once stored never changes (its id is the digest of its content); the
//! designer's drafts and publishing will add to this store, not change what is in it.

use std::future::Future;

use chrono::{DateTime, Utc};
use istanze_domain::FormVersionId;

use super::StoreError;

/// A stored version of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormVersion {
    pub form_id: String,
    pub version_id: FormVersionId,
    /// The `version` the definition declares for people ("1.2").
    pub declared_version: String,
    /// The definition's JSON as it was written.
    pub definition: String,
    /// Where it came from: the file it was imported from, or who saved it.
    pub source: String,
    pub stored_at: DateTime<Utc>,
}

/// The form versions of one administration.
pub trait FormStore {
    /// Stores `version` unless the administration has it already: true if it is new. Two
    /// processes storing the same version at once store it once.
    fn store(&self, version: FormVersion) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Version `version_id` of form `form_id`, if the administration ever had it.
    fn version(
        &self,
        form_id: &str,
        version_id: &str,
    ) -> impl Future<Output = Result<Option<FormVersion>, StoreError>> + Send;

    /// The latest stored version of each form, by form id.
    fn latest(&self) -> impl Future<Output = Result<Vec<FormVersion>, StoreError>> + Send;
}
