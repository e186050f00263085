//! The content id of a definition: SHA-256 over its canonical JSON (object keys sorted, no
//! white space), so that reformatting a file is not a new version and any real change is.

use istanze_domain::FormVersionId;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The version id of a definition.
pub(crate) fn version_id(value: &Value) -> FormVersionId {
    let mut canonical = String::new();
    write(value, &mut canonical);
    FormVersionId::from_sha256(Sha256::digest(canonical.as_bytes()).into())
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn white_space_and_key_order_are_not_a_new_version_a_change_is() {
        let a: Value = serde_json::from_str(r#"{"id": "x", "title": "T", "n": [1, 2]}"#).unwrap();
        let b: Value =
            serde_json::from_str("{\"n\":[1,2],\n  \"title\":\"T\",\"id\":\"x\"}").unwrap();
        let c: Value = serde_json::from_str(r#"{"id": "x", "title": "T.", "n": [1, 2]}"#).unwrap();
        let d: Value = serde_json::from_str(r#"{"id": "x", "title": "T", "n": [2, 1]}"#).unwrap();
        assert_eq!(version_id(&a), version_id(&b));
        assert_ne!(version_id(&a), version_id(&c));
        assert_ne!(version_id(&a), version_id(&d), "order in a list matters");
    }
}
