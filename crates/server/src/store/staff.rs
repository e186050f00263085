//! The staff's grants as storage: which roles a person holds at one administration, and where
//! (the whole administration or one office). Granted and revoked by the administration's
//! administrators in the back office and with `istanze staff grant|revoke`; read at every staff
//! login, so a revoked role ends with the member's next request.

use std::future::Future;

use chrono::{DateTime, Utc};
use istanze_domain::{FiscalCode, Reach, Role};

use super::StoreError;

/// One role held by one person at the store's administration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub person: FiscalCode,
    pub role: Role,
    pub reach: Reach,
    /// Who granted it (an administrator's fiscal code, or `cli:<user>`).
    pub granted_by: String,
    pub granted_at: DateTime<Utc>,
}

/// The grants of one administration.
pub trait StaffStore {
    /// Grants `role` to `person` with `reach`; `false` when they already held it (the first
    /// grant, its author and time, are kept).
    fn grant(
        &self,
        person: &FiscalCode,
        role: Role,
        reach: &Reach,
        by: &str,
        now: DateTime<Utc>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Revokes `role` with `reach` from `person`; `false` when they did not hold it.
    fn revoke(
        &self,
        person: &FiscalCode,
        role: Role,
        reach: &Reach,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The grants `person` holds here (none: not staff of this administration).
    fn grants_of(
        &self,
        person: &FiscalCode,
    ) -> impl Future<Output = Result<Vec<Grant>, StoreError>> + Send;

    /// Every grant here, by person, role and office.
    fn all_grants(&self) -> impl Future<Output = Result<Vec<Grant>, StoreError>> + Send;
}
