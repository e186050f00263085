//! JSON pointers between data and schema, and display of values.

use serde_json::Value;

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a JSON pointer into unescaped tokens; `""` gives no tokens.
pub(crate) fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The subschema that describes the data at `data_pointer`, following `properties` (and
/// `items` for array indexes).
pub(crate) fn schema_at<'a>(schema: &'a Value, data_pointer: &str) -> Option<&'a Value> {
    let mut current = schema;
    for token in tokens(data_pointer) {
        current = match property(current, &token) {
            Some(s) => s,
            None if token.parse::<usize>().is_ok() => current.get("items")?,
            // Hints for the fields of a repeatable group are keyed without the row index.
            None => property(current.get("items")?, &token)?,
        };
    }
    Some(current)
}

/// A property of an object schema: its own, or one a conditional branch declares (`then`,
/// `else`, `allOf`, `dependentSchemas`, `oneOf`).
fn property<'a>(schema: &'a Value, name: &str) -> Option<&'a Value> {
    if let Some(s) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(s);
    }
    let list = |k: &str| {
        schema
            .get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut branches: Vec<&Value> = Vec::new();
    for s in std::iter::once(schema).chain(list("allOf")) {
        branches.extend(s.get("then"));
        branches.extend(s.get("else"));
    }
    branches.extend(list("oneOf"));
    if let Some(deps) = schema.get("dependentSchemas").and_then(Value::as_object) {
        branches.extend(deps.values());
    }
    branches
        .into_iter()
        .find_map(|b| b.get("properties").and_then(|p| p.get(name)))
        // A branch's `{"const": ...}` narrowing of the object's own question is not a field.
        .filter(|s| s.get("title").is_some() || s.get("type").is_some())
}

/// Whether two answers are the same: numbers by value (`1` and `1.0` are), the rest exactly.
pub(crate) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A value as a citizen or a register entry would show it.
pub(crate) fn display_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(true) => "sì".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        other => other.to_string(),
    }
}

/// A value as an HTML form field holds it: booleans as `true`/`false`.
pub(crate) fn display_raw(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The pointer without array indices (`/ospiti/0/nome` → `/ospiti/nome`): how hints for the
/// fields of repeatable groups are keyed.
pub(crate) fn strip_indices(pointer: &str) -> String {
    pointer
        .split('/')
        .filter(|t| t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_unescape() {
        assert_eq!(tokens("/a~1b/c~0d"), vec!["a/b", "c~d"]);
        assert!(tokens("").is_empty());
        assert_eq!(escape("a/b~"), "a~1b~0");
    }

    #[test]
    fn finds_nested_and_array_schemas() {
        let schema = json!({"properties": {"a": {"properties": {"b": {"type": "string"}}},
                                           "l": {"items": {"type": "number"}}}});
        assert_eq!(schema_at(&schema, "/a/b"), Some(&json!({"type": "string"})));
        assert_eq!(schema_at(&schema, "/l/3"), Some(&json!({"type": "number"})));
        assert_eq!(schema_at(&schema, "/x"), None);
    }
}
