//! File fields: a string field with `"format": "allegato"` whose value is the id of a file the
//! citizen uploaded (`att-<uuid>`). The field declares what it accepts:
//!
//! ```json
//! "programma": {"type": "string", "format": "allegato", "title": "Programma dell'evento",
//!               "x-accept": ["application/pdf"], "x-max-bytes": 10485760}
//! ```
//!
//! Types are media types checked against the file's bytes by the server, never its name.

use serde::Serialize;
use serde_json::Value;

use crate::load::Form;
use crate::pointer;

/// The format of file fields.
pub const FORMAT: &str = "allegato";

/// The media types a file field may accept (those the server can recognise from the bytes).
pub const KNOWN_TYPES: [&str; 6] = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/pkcs7-mime",
];

/// The largest file a field may declare: 50 MB.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;

/// A file field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileField {
    /// JSON pointer of the field (its value is the attachment id).
    pub pointer: String,
    pub label: String,
    pub accept: Vec<String>,
    pub max_bytes: u64,
    pub required: bool,
}

/// Whether `value` is shaped like an attachment id: `att-` and a lower-case UUID.
pub fn is_attachment_id(value: &str) -> bool {
    value
        .strip_prefix("att-")
        .is_some_and(|u| u.len() == 36 && uuid_like(u))
}

fn uuid_like(u: &str) -> bool {
    u.bytes().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => b == b'-',
        _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
    })
}

/// The constraints of a file field schema, or why they are wrong (for the loader).
pub(crate) fn constraints(schema: &Value) -> Result<(Vec<String>, u64), String> {
    let accept: Vec<String> = schema
        .get("x-accept")
        .and_then(Value::as_array)
        .ok_or("a file field needs \"x-accept\": the media types it accepts")?
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or("x-accept holds strings")
        })
        .collect::<Result<_, _>>()?;
    if accept.is_empty() {
        return Err("x-accept is empty".into());
    }
    if let Some(t) = accept.iter().find(|t| !KNOWN_TYPES.contains(&t.as_str())) {
        return Err(format!(
            "media type {t:?} is not supported; known: {KNOWN_TYPES:?}"
        ));
    }
    let max = schema
        .get("x-max-bytes")
        .and_then(Value::as_u64)
        .ok_or("a file field needs \"x-max-bytes\"")?;
    if max == 0 || max > MAX_BYTES {
        return Err(format!("x-max-bytes must be between 1 and {MAX_BYTES}"));
    }
    Ok((accept, max))
}

pub(crate) fn is_file_field(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some(FORMAT)
}

impl Form {
    /// The form's file fields, in form order.
    pub fn file_fields(&self) -> Vec<FileField> {
        let mut out = Vec::new();
        collect(&self.schema, "", &mut out);
        out
    }

    /// The pointers of the e-mail fields, in form order (where to write to the citizen when
    /// the identity provider gave no address).
    pub fn email_fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        emails(&self.schema, "", &mut out);
        out
    }

    /// The file field at `pointer`, if there is one.
    pub fn file_field(&self, pointer: &str) -> Option<FileField> {
        self.file_fields()
            .into_iter()
            .find(|f| f.pointer == pointer)
    }
}

fn collect(schema: &Value, ptr: &str, out: &mut Vec<FileField>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // A file field may also sit in a conditional section that only a branch declares.
    let conditionals = crate::conditions::of_object(schema, ptr);
    let branch_only = conditionals
        .members
        .iter()
        .filter(|m| !m.declared_here)
        .filter_map(|m| Some((&m.name, m.branch_schema?)));
    for (name, sub) in props.iter().chain(branch_only) {
        let p = format!("{ptr}/{}", pointer::escape(name));
        if is_file_field(sub) {
            if let Ok((accept, max_bytes)) = constraints(sub) {
                out.push(FileField {
                    pointer: p,
                    label: sub
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    accept,
                    max_bytes,
                    required: required.contains(&name.as_str()),
                });
            }
        } else if sub.get("type").and_then(Value::as_str) == Some("object") {
            collect(sub, &p, out);
        }
    }
}

fn emails(schema: &Value, ptr: &str, out: &mut Vec<String>) {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (name, sub) in props {
        let p = format!("{ptr}/{}", pointer::escape(name));
        if sub.get("format").and_then(Value::as_str) == Some("email") {
            out.push(p);
        } else if sub.get("type").and_then(Value::as_str) == Some("object") {
            emails(sub, &p, out);
        }
    }
}
