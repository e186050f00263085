//! Login requests as storage: each request this server sent to an identity provider (a SAML
//! AuthnRequest now; an OpenID Connect authorisation request with the same shape next), kept
//! until its answer comes back. An answer is accepted only for a request listed here, taken
//! once, from the browser that started it and within its time.

use std::future::Future;

use chrono::{DateTime, Utc};
use istanze_domain::LevelOfAssurance as Level;

use super::StoreError;

/// A login request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRequest {
    /// The request's id (the AuthnRequest's `ID`), which the answer repeats.
    pub id: String,
    /// Entity id of the identity provider it went to.
    pub provider: String,
    pub level: Level,
    /// Local path to go back to after login.
    pub next: String,
    /// SHA-256 of the login cookie of the browser that started it.
    pub binding: String,
    pub created_at: DateTime<Utc>,
}

/// The login requests of one administration.
pub trait LoginRequestStore {
    fn remember(
        &self,
        request: LoginRequest,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes request `id` for its answer, once: `None` when it is unknown, already taken,
    /// started by another browser (`binding`) or made at or before `issued_after`. A taken
    /// request stays (until [`LoginRequestStore::purge_before`]) so that a replayed answer
    /// finds it used.
    fn take(
        &self,
        id: &str,
        binding: &str,
        issued_after: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<Option<LoginRequest>, StoreError>> + Send;

    /// Deletes the requests made before `before`, taken or not; how many.
    fn purge_before(
        &self,
        before: DateTime<Utc>,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
