//! Login sessions as storage. The store keeps the SHA-256 of the cookie's token, never the
//! token, so a copy of the database cannot be used to take over a session; the principal is
//! kept as JSON (see `crate::principal`), with the SAML session that single logout names.

use std::future::Future;

use chrono::{DateTime, Utc};
use istanze_auth::saml::logout::SamlSession;

use super::StoreError;

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSession {
    /// SHA-256 (hex) of the cookie's token.
    pub id: String,
    /// The principal, as JSON.
    pub principal: String,
    pub csrf: String,
    pub saml: Option<SamlSession>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The sessions of one administration.
pub trait SessionStore {
    fn open(&self, session: StoredSession) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The session `id` if it has not expired by `now` and began after `started_after` (the
    /// absolute limit).
    fn live(
        &self,
        id: &str,
        now: DateTime<Utc>,
        started_after: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<StoredSession>, StoreError>> + Send;

    /// Moves the end of session `id` to `until` (the idle window sliding).
    fn extend(
        &self,
        id: &str,
        until: DateTime<Utc>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    fn close(&self, id: &str) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Closes the sessions an identity provider's logout names: its NameID always, and the
    /// SessionIndex too when given, so that an IdP reusing index values cannot end other
    /// citizens' sessions. How many were closed.
    fn close_saml(
        &self,
        idp: &str,
        name_id: &str,
        session_index: Option<&str>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Deletes the sessions expired before `now`; how many.
    fn purge_expired(
        &self,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
