//! The id of one version of a form definition: the SHA-256 of its canonical JSON.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which version of a form a submission or a draft was made with.
///
/// Content-addressed: two definitions that differ only in white space or key order have the
/// same id, any other change makes a new one. Published versions are immutable, so an id
/// names the same definition forever.
///
/// ```
/// use istanze_domain::FormVersionId;
///
/// let id = FormVersionId::parse(&"ab".repeat(32)).unwrap();
/// assert_eq!(id.short(), "abababababab");
/// assert!(FormVersionId::parse("1.0").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormVersionId(String);

impl FormVersionId {
    /// Takes a lowercase hex SHA-256 (64 characters).
    pub fn parse(hex: &str) -> Option<FormVersionId> {
        (hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| FormVersionId(hex.to_owned()))
    }

    /// The id of a definition whose canonical JSON has this SHA-256.
    pub fn from_sha256(digest: [u8; 32]) -> FormVersionId {
        FormVersionId(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 12 characters, for people (pages, logs).
    pub fn short(&self) -> &str {
        &self.0[..12]
    }
}

impl fmt::Display for FormVersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
