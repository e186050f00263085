//! The level of assurance of a login, as SPID defines it (CIE logins are level 3; an eIDAS
//! "substantial" login counts as 2, "high" as 3), and as a form asks for it.

use serde::{Deserialize, Serialize};

/// SPID level of assurance: what a login proved, and the minimum a form needs.
///
/// Ordered, so that a check reads as a comparison:
///
/// ```
/// use istanze_domain::LevelOfAssurance as Level;
///
/// let login = Level::from_uri("https://www.spid.gov.it/SpidL2").unwrap();
/// assert!(login >= Level::SpidL2 && login < Level::SpidL3);
/// assert_eq!(login.number(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LevelOfAssurance {
    /// Password login; for a form, no login is needed to read it (one is still needed to
    /// submit).
    SpidL1,
    /// Two-factor login: the usual level for applications.
    SpidL2,
    /// Hardware-backed login.
    SpidL3,
}

impl LevelOfAssurance {
    /// Every level, lowest first.
    pub const ALL: [LevelOfAssurance; 3] = [
        LevelOfAssurance::SpidL1,
        LevelOfAssurance::SpidL2,
        LevelOfAssurance::SpidL3,
    ];

    /// The `AuthnContextClassRef` URI of the level.
    pub fn uri(self) -> &'static str {
        match self {
            LevelOfAssurance::SpidL1 => "https://www.spid.gov.it/SpidL1",
            LevelOfAssurance::SpidL2 => "https://www.spid.gov.it/SpidL2",
            LevelOfAssurance::SpidL3 => "https://www.spid.gov.it/SpidL3",
        }
    }

    /// The level named by an `AuthnContextClassRef` (only the current `https://` form).
    pub fn from_uri(uri: &str) -> Option<LevelOfAssurance> {
        LevelOfAssurance::ALL.into_iter().find(|l| l.uri() == uri)
    }

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            LevelOfAssurance::SpidL1 => 1,
            LevelOfAssurance::SpidL2 => 2,
            LevelOfAssurance::SpidL3 => 3,
        }
    }

    /// The level for 1, 2 or 3.
    pub fn from_number(n: u8) -> Option<LevelOfAssurance> {
        LevelOfAssurance::ALL.into_iter().find(|l| l.number() == n)
    }
}

#[cfg(test)]
mod tests {
    use super::LevelOfAssurance as L;

    #[test]
    fn numbers_uris_and_names_round_trip() {
        for l in L::ALL {
            assert_eq!(L::from_number(l.number()), Some(l));
            assert_eq!(L::from_uri(l.uri()), Some(l));
            let json = serde_json::to_string(&l).unwrap();
            assert_eq!(json, format!("\"SpidL{}\"", l.number()));
            assert_eq!(serde_json::from_str::<L>(&json).unwrap(), l);
        }
        assert_eq!(L::from_number(0), None);
        assert_eq!(L::from_number(4), None);
        assert_eq!(
            L::from_uri("urn:oasis:names:tc:SAML:2.0:ac:classes:SpidL2"),
            None
        );
        assert!(L::SpidL1 < L::SpidL2 && L::SpidL2 < L::SpidL3);
    }
}
