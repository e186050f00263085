//! Staff API credentials as storage: personal tokens, OAuth2 clients and their access tokens,
//! one administration's. Secrets are never stored, only their SHA-256.

use std::future::Future;

use chrono::{DateTime, Utc};

use super::StoreError;

/// A stored credential.
pub type Credential = crate::db::api_token::Model;

/// The API credentials of one administration.
pub trait TokenStore {
    fn add_credential(
        &self,
        credential: Credential,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn credential(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<Credential>, StoreError>> + Send;

    /// The personal tokens and clients of `person` (access tokens are not listed), newest
    /// first.
    fn credentials_of(
        &self,
        person: &str,
    ) -> impl Future<Output = Result<Vec<Credential>, StoreError>> + Send;

    /// Revokes credential `id` of `person` and the access tokens it obtained, at `at`;
    /// `false` when `person` has no such credential not yet revoked.
    fn revoke_credential(
        &self,
        person: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}
