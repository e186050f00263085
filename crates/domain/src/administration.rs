//! The administration (tenant) id: its code in the IPA index, checked on construction.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An administration's IPA code ("codice IPA"), the key of everything it owns.
///
/// IPA codes are short lowercase identifiers (`p_to`, `c_h501`, `agid`); the check keeps them
/// safe to use as a path segment (`/enti/<code>/`), a cookie-name suffix and a database key.
///
/// ```
/// use istanze_domain::AdministrationId;
///
/// let id = AdministrationId::parse("c_h501").unwrap();
/// assert_eq!(id.as_str(), "c_h501");
/// assert!(AdministrationId::parse("C H501").is_err());
/// assert!(AdministrationId::parse("../etc").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AdministrationId(String);

/// Why a text is not an IPA code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdministrationIdError {
    #[error("an IPA code has 2 to 16 characters, not {0}")]
    Length(usize),
    #[error("an IPA code starts with a lowercase letter")]
    First,
    #[error("an IPA code has only lowercase letters, digits and '_'")]
    Character,
}

impl AdministrationId {
    /// Checks `code` and makes it an id.
    pub fn parse(code: &str) -> Result<AdministrationId, AdministrationIdError> {
        if !(2..=16).contains(&code.len()) {
            return Err(AdministrationIdError::Length(code.chars().count()));
        }
        if !code.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(AdministrationIdError::First);
        }
        if !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(AdministrationIdError::Character);
        }
        Ok(AdministrationId(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AdministrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AdministrationId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AdministrationId::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn real_ipa_codes_pass() {
        for code in ["p_to", "c_h501", "agid", "r_lazio", "m_it"] {
            assert_eq!(AdministrationId::parse(code).unwrap().as_str(), code);
        }
    }

    #[test]
    fn each_rule_refuses_by_name() {
        use AdministrationIdError::*;
        assert_eq!(AdministrationId::parse("p"), Err(Length(1)));
        assert_eq!(AdministrationId::parse(&"a".repeat(17)), Err(Length(17)));
        assert_eq!(AdministrationId::parse("_pto"), Err(First));
        assert_eq!(AdministrationId::parse("1pto"), Err(First));
        assert_eq!(AdministrationId::parse("p_TO"), Err(Character));
        assert_eq!(AdministrationId::parse("p/to"), Err(Character));
        assert_eq!(AdministrationId::parse("p.to"), Err(Character));
    }

    #[test]
    fn deserializing_checks_too() {
        let ok: AdministrationId = serde_json::from_str("\"c_h501\"").unwrap();
        assert_eq!(ok.as_str(), "c_h501");
        let bad = serde_json::from_str::<AdministrationId>("\"c_H501\"").unwrap_err();
        assert!(bad.to_string().contains("lowercase letters"), "{bad}");
    }
}
