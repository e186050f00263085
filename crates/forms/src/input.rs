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
                keep_row(&mut data, name);
                continue;
            }
            set_at(&mut data, name, convert(schema, text));
        }
        data
    }
}

/// A row of a repeatable group whose fields are all empty still counts as shown: the citizen
/// may be adding rows. [`Form::prune`] drops it when it matters.
fn keep_row(data: &mut Value, name: &str) {
    let tokens = pointer::tokens(name);
    let Some(last_index) = tokens.iter().rposition(|t| is_index(t)) else {
        return;
    };
    let row: String = tokens[..=last_index]
        .iter()
        .map(|t| format!("/{}", pointer::escape(t)))
        .collect();
    if data.pointer(&row).is_none() {
        set_at(data, &row, Value::Object(Map::new()));
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
        _ if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
            Value::String(crate::formats::from_local_input(text).unwrap_or_else(|| text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    }
}

/// Sets `value` at the JSON pointer `ptr` of `data`, creating the objects on the way; a token
/// of digits followed by more tokens is a row of an array (at most
/// [`crate::groups::MAX_ROWS`] rows: a larger index changes nothing).
///
/// ```
/// let mut data = serde_json::json!({});
/// istanze_forms::set_at(&mut data, "/ospiti/1/nome", serde_json::json!("Ada"));
/// assert_eq!(data, serde_json::json!({"ospiti": [{}, {"nome": "Ada"}]}));
/// ```
pub fn set_at(data: &mut Value, ptr: &str, value: Value) {
    let tokens = pointer::tokens(ptr);
    let _ = place(data, &tokens, value);
}

fn place(data: &mut Value, tokens: &[String], value: Value) -> Option<()> {
    let (last, parents) = tokens.split_last()?;
    let mut current = data;
    for (i, token) in parents.iter().enumerate() {
        let array_next = tokens.get(i + 1).is_some_and(|t| is_index(t));
        let empty = || {
            if array_next {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        current = match current {
            Value::Array(rows) => row(rows, token)?,
            Value::Object(map) => map.entry(token.clone()).or_insert_with(empty),
            other => {
                *other = Value::Object(Map::new());
                let Value::Object(map) = other else {
                    return None;
                };
                map.entry(token.clone()).or_insert_with(empty)
            }
        };
        // A scalar in the way is replaced; a container of the other kind is someone else's
        // data (a crafted name) and is left alone.
        match (array_next, &*current) {
            (true, Value::Array(_)) | (false, Value::Object(_)) => {}
            (_, Value::Array(_) | Value::Object(_)) => return None,
            _ => *current = empty(),
        }
    }
    match current {
        Value::Array(rows) => *row(rows, last)? = value,
        other => {
            if !other.is_object() {
                *other = Value::Object(Map::new());
            }
            if let Value::Object(map) = other {
                map.insert(last.clone(), value);
            }
        }
    }
    Some(())
}

/// Row `token` of `rows`, with the rows before it added empty; `None` past
/// [`crate::groups::MAX_ROWS`] or when `token` is no index.
fn row<'a>(rows: &'a mut Vec<Value>, token: &str) -> Option<&'a mut Value> {
    let index: usize = token.parse().ok()?;
    if index >= crate::groups::MAX_ROWS {
        return None;
    }
    while rows.len() <= index {
        rows.push(Value::Object(Map::new()));
    }
    rows.get_mut(index)
}

/// A token that indexes a row: digits only, no leading zero.
pub(crate) fn is_index(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= 3
        && token.bytes().all(|b| b.is_ascii_digit())
        && (token == "0" || !token.starts_with('0'))
}
