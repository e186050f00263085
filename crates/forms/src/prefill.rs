//! Prefill: identity attributes copied into form fields, shown as verified and not editable.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::input::set_at;
use crate::load::Form;

/// Identity attributes a definition may map into its fields.
pub(crate) const KNOWN_ATTRIBUTES: &[&str] = &[
    "name",
    "family_name",
    "fiscal_number",
    "email",
    "date_of_birth",
];

/// The identity attributes of the logged-in citizen, by name (see the crate's prefill mapping).
pub type PrefillAttributes = BTreeMap<String, String>;

impl Form {
    /// Writes the verified identity attributes into `data`, overwriting whatever the citizen sent
    /// for those fields, and returns the pointers that are locked (verified).
    ///
    /// An attribute the identity provider did not release leaves its field editable.
    pub fn apply_prefill(
        &self,
        data: &mut Value,
        attributes: &PrefillAttributes,
    ) -> BTreeSet<String> {
        let mut locked = BTreeSet::new();
        for (ptr, attr) in &self.prefill {
            if let Some(value) = attributes.get(attr).filter(|v| !v.trim().is_empty()) {
                set_at(data, ptr, Value::String(value.trim().to_owned()));
                locked.insert(ptr.clone());
            }
        }
        locked
    }
}
