//! The identity of a logged-in citizen.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// SPID level of assurance (also used for CIE, whose logins are level 3): the one level type
/// that forms (`istanze-forms`) and the server use too.
pub use istanze_domain::LevelOfAssurance as Level;

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
