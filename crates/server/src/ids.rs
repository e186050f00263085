//! Where the server's identifiers and secret tokens come from: one [`Ids`] in the application
//! state, as time comes from its clock. Production draws from the operating system's secure
//! generator ([`RandomIds`]); a test that wants to know the next id in advance gives the
//! application [`SequentialIds`] instead.

use std::sync::atomic::{AtomicU64, Ordering};

/// A source of identifiers and tokens.
pub trait Ids: Send + Sync + std::fmt::Debug {
    /// A new UUID: submissions, drafts, attachments.
    fn uuid(&self) -> uuid::Uuid;

    /// `bytes` unguessable bytes as lower-case hex: session and CSRF tokens, RelayState, the
    /// login cookie.
    fn token(&self, bytes: usize) -> String;

    /// An XML ID for a SAML message: a letter first, then 32 hex digits.
    fn saml_id(&self) -> String {
        format!("_{}", self.token(16))
    }
}

/// The operating system's secure random generator.
#[derive(Debug, Default, Clone, Copy)]
pub struct RandomIds;

impl Ids for RandomIds {
    fn uuid(&self) -> uuid::Uuid {
        uuid::Uuid::new_v4()
    }

    fn token(&self, bytes: usize) -> String {
        crate::random::token(bytes)
    }
}

/// Ids counted from 1, for tests only: the n-th UUID is `00000000-0000-4000-8000-<n>` and
/// tokens are the counter, padded. Never unguessable: nothing outside tests may use it.
#[derive(Debug, Default)]
pub struct SequentialIds(AtomicU64);

impl SequentialIds {
    fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

impl Ids for SequentialIds {
    fn uuid(&self) -> uuid::Uuid {
        uuid::Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 | u128::from(self.next()))
    }

    fn token(&self, bytes: usize) -> String {
        format!("{:0>width$x}", self.next(), width = bytes * 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequential_ids_are_version_4_uuids_counted_from_one() {
        let ids = SequentialIds::default();
        let first = ids.uuid();
        assert_eq!(first.to_string(), "00000000-0000-4000-8000-000000000001");
        assert_eq!(first.get_version_num(), 4);
        assert_eq!(ids.token(4), "00000002");
        assert_eq!(ids.saml_id(), "_00000000000000000000000000000003");
    }

    #[test]
    fn random_tokens_have_the_length_asked_for_and_differ() {
        let a = RandomIds.token(32);
        assert_eq!(a.len(), 64);
        assert_ne!(a, RandomIds.token(32));
        assert_eq!(RandomIds.uuid().get_version_num(), 4);
    }
}
