//! Repeatable groups (arrays of objects): rows are added and removed by submit buttons, so that
//! they work without JavaScript. A button's `_action` value names what it does and where:
//! `aggiungi:/ospiti` adds a row at the end, `rimuovi:/ospiti/1` removes the second row.

use serde_json::{Map, Value};

use crate::load::Form;
use crate::pointer;

/// Prefix of the `_action` value that adds a row.
pub const ADD: &str = "aggiungi:";
/// Prefix of the `_action` value that removes a row.
pub const REMOVE: &str = "rimuovi:";

/// Whether a button's `_action` value adds or removes a row (for [`Form::apply_group_action`]).
///
/// ```
/// assert!(istanze_forms::is_group_action("aggiungi:/ospiti"));
/// assert!(!istanze_forms::is_group_action("bozza"));
/// ```
pub fn is_group_action(action: &str) -> bool {
    action.starts_with(ADD) || action.starts_with(REMOVE)
}

/// The largest number of rows a group may declare, to bound what one submission holds.
pub const MAX_ROWS: usize = 100;

/// `(minItems, maxItems)` of a group, defaults 0 and [`MAX_ROWS`].
pub(crate) fn bounds(schema: &Value) -> (usize, usize) {
    let get = |k: &str| {
        schema
            .get(k)
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    (
        get("minItems").unwrap_or(0),
        get("maxItems").unwrap_or(MAX_ROWS).min(MAX_ROWS),
    )
}

impl Form {
    /// Applies a group button's `_action` to `data`. Returns the pointer of the row to focus
    /// (the new row, or the group after a removal), or `None` when `action` is not a group
    /// action of this form or is out of bounds: then `data` is unchanged.
    ///
    /// ```
    /// # use istanze_forms::Form;
    /// let form = Form::from_json("f.json", r#"{"id":"f","version":"1","title":"F",
    ///   "description":"Prova","office":"U","classification":"1","min_level":"SpidL1",
    ///   "subject_template":"x","schema":{"type":"object","properties":{"ospiti":{
    ///   "type":"array","title":"Ospite","maxItems":3,"items":{"type":"object",
    ///   "properties":{"nome":{"type":"string","title":"Nome"}}}}}}}"#).unwrap();
    /// let mut data = serde_json::json!({"ospiti": [{"nome": "Ada"}]});
    /// assert_eq!(form.apply_group_action(&mut data, "aggiungi:/ospiti").as_deref(), Some("/ospiti/1"));
    /// assert_eq!(data["ospiti"].as_array().unwrap().len(), 2);
    /// assert_eq!(form.apply_group_action(&mut data, "rimuovi:/ospiti/0").as_deref(), Some("/ospiti"));
    /// assert_eq!(data["ospiti"][0], serde_json::json!({}));
    /// ```
    pub fn apply_group_action(&self, data: &mut Value, action: &str) -> Option<String> {
        if let Some(group) = action.strip_prefix(ADD) {
            let (_, max) = bounds(self.group_schema(group)?);
            let shown = self.rows_shown(data, group);
            let rows = ensure_array(data, group)?;
            while rows.len() < shown {
                rows.push(Value::Object(Map::new()));
            }
            if rows.len() >= max {
                return None;
            }
            rows.push(Value::Object(Map::new()));
            return Some(format!("{group}/{}", rows.len() - 1));
        }
        let row = action.strip_prefix(REMOVE)?;
        let (group, index) = row.rsplit_once('/')?;
        let index: usize = index.parse().ok()?;
        let (min, _) = bounds(self.group_schema(group)?);
        let rows = data.pointer_mut(group)?.as_array_mut()?;
        if index >= rows.len() || rows.len() <= min {
            return None;
        }
        rows.remove(index);
        Some(group.to_owned())
    }

    /// The schema of the repeatable group at `ptr`, if there is one.
    fn group_schema(&self, ptr: &str) -> Option<&Value> {
        let schema = pointer::schema_at(&self.schema, ptr)?;
        (schema.get("type").and_then(Value::as_str) == Some("array")).then_some(schema)
    }

    /// How many rows the page showed: what the data holds, at least `minItems` and one.
    fn rows_shown(&self, data: &Value, ptr: &str) -> usize {
        let min = self.group_schema(ptr).map_or(0, |s| bounds(s).0);
        let len = data
            .pointer(ptr)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        len.max(min).max(1)
    }
}

/// The array at `ptr`, created (with its parent objects) when missing.
fn ensure_array<'a>(data: &'a mut Value, ptr: &str) -> Option<&'a mut Vec<Value>> {
    if data.pointer(ptr).is_none_or(|v| !v.is_array()) {
        crate::set_at(data, ptr, Value::Array(Vec::new()));
    }
    data.pointer_mut(ptr)?.as_array_mut()
}
