//! HTML form fields (named by JSON pointer) turned into the JSON data a form validates.

use serde_json::{Map, Value};

use crate::load::Form;
use crate::pointer;

impl Form {
    /// Builds the data object from `application/x-www-form-urlencoded` pairs whose names are
    /// JSON pointers (`/richiedente/nome`). Values are converted to the type the schema wants
    /// when they can be; a value that cannot (`"abc"` for a number) is kept as text so that
    /// validation reports it. Empty values are left out so that `required` reports them.
    /// Names that are not fields of the form (a CSRF token, a button) are ignored.
    pub fn data_from_fields(&self, fields: &[(String, String)]) -> Value {
        let mut data = Value::Object(Map::new());
        for (name, raw) in fields {
            let Some(schema) = self.field_schema(name).filter(|_| name.starts_with('/')) else {
                continue;
            };
            let text = raw.trim();
            if text.is_empty() {
                continue;
            }
            set_at(&mut data, name, convert(schema, text));
        }
        data
    }
}

fn convert(schema: &Value, text: &str) -> Value {
    let kind = schema.get("type").and_then(Value::as_str).or_else(|| {
        // A labelled enum (`oneOf` of `const`) takes the type of its constants.
        match schema.pointer("/oneOf/0/const") {
            Some(Value::Bool(_)) => Some("boolean"),
            Some(Value::Number(_)) => Some("number"),
            _ => None,
        }
    });
    match kind {
        Some("integer") => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        Some("number") => text
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_owned())),
        Some("boolean") => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
        _ => Value::String(text.to_owned()),
    }
}

/// Sets `value` at the JSON pointer `ptr` of `data`, creating the objects on the way.
pub fn set_at(data: &mut Value, ptr: &str, value: Value) {
    let tokens = pointer::tokens(ptr);
    let Some((last, parents)) = tokens.split_last() else {
        return;
    };
    let mut current = data;
    for token in parents {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(map) = current else {
            return;
        };
        current = map
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !current.is_object() {
        *current = Value::Object(Map::new());
    }
    if let Value::Object(map) = current {
        map.insert(last.clone(), value);
    }
}
