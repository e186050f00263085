//! The identity of a logged-in citizen.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// SPID level of assurance (also used for CIE, whose logins are level 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    SpidL1,
    SpidL2,
    SpidL3,
}

impl Level {
    /// The `AuthnContextClassRef` URI of the level.
    pub fn uri(self) -> &'static str {
        match self {
            Level::SpidL1 => "https://www.spid.gov.it/SpidL1",
            Level::SpidL2 => "https://www.spid.gov.it/SpidL2",
            Level::SpidL3 => "https://www.spid.gov.it/SpidL3",
        }
    }

    /// The level named by an `AuthnContextClassRef` (only the current `https://` form).
    pub fn from_uri(uri: &str) -> Option<Level> {
        [Level::SpidL1, Level::SpidL2, Level::SpidL3]
            .into_iter()
            .find(|l| l.uri() == uri)
    }

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            Level::SpidL1 => 1,
            Level::SpidL2 => 2,
            Level::SpidL3 => 3,
        }
    }

    /// The level for 1, 2 or 3.
    pub fn from_number(n: u8) -> Option<Level> {
        match n {
            1 => Some(Level::SpidL1),
            2 => Some(Level::SpidL2),
            3 => Some(Level::SpidL3),
            _ => None,
        }
    }
}

/// Who logged in: taken from the signed assertion only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// The Italian fiscal code, without the `TINIT-` prefix.
    pub fiscal_number: String,
    pub name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub level: Level,
    /// The identity provider's entity id.
    pub provider: String,
    /// Every attribute released, by SPID name, trimmed.
    pub attributes: BTreeMap<String, String>,
}

impl Identity {
    /// The attributes in the shape the forms' prefill mapping uses.
    pub fn prefill_attributes(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        out.insert("fiscal_number".to_owned(), self.fiscal_number.clone());
        for (k, v) in [
            ("name", &self.name),
            ("family_name", &self.family_name),
            ("email", &self.email),
        ] {
            if let Some(v) = v {
                out.insert(k.to_owned(), v.clone());
            }
        }
        if let Some(d) = self.date_of_birth {
            out.insert("date_of_birth".to_owned(), d.format("%Y-%m-%d").to_string());
        }
        out
    }
}
