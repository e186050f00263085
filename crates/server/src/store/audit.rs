//! The audit log as storage: entries appended one after the other per administration, each
//! with the next number and the hash of the one before, so that changing, removing or
//! inserting an entry breaks the chain where it happened.

use std::future::Future;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::StoreError;

/// A stored entry.
pub type Entry = crate::db::audit_entry::Model;

/// The hash before an administration's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub origin: &'a str,
    pub details: serde_json::Value,
}

#[derive(Serialize)]
struct Canonical<'a> {
    administration: &'a str,
    seq: i64,
    at: String,
    actor: &'a str,
    action: &'a str,
    object: &'a str,
    origin: &'a str,
    details: &'a str,
    prev_hash: &'a str,
}

/// The hash of an entry (its `entry_hash` is not part of it): SHA-256 over its fields and the
/// previous entry's hash.
pub fn entry_hash(e: &Entry) -> String {
    let canonical = Canonical {
        administration: &e.administration,
        seq: e.seq,
        at: e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        actor: &e.actor,
        action: &e.action,
        object: &e.object,
        origin: &e.origin,
        details: &e.details,
        prev_hash: &e.prev_hash,
    };
    let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
    crate::random::hex(&Sha256::digest(bytes))
}

/// One administration's audit log.
pub trait AuditStore {
    /// Appends an entry at `at` (taken to the microsecond, as both databases keep it).
    fn append(
        &self,
        entry: NewEntry<'_>,
        at: DateTime<Utc>,
    ) -> impl Future<Output = Result<Entry, StoreError>> + Send;

    /// Up to `limit` entries after number `after`, in order.
    fn entries_after(
        &self,
        after: i64,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Entry>, StoreError>> + Send;

    /// The last entry's number and hash as the head records them (`None` before the first).
    fn head(&self) -> impl Future<Output = Result<Option<(i64, String)>, StoreError>> + Send;
}
