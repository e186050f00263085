//! The answers of a submission in form order, as people read them: section titles, field
//! labels, option titles instead of codes, Italian dates, declarations spelled out. Used for the
//! application document and for the page that shows everything before the final submit.

use serde::Serialize;
use serde_json::Value;

use crate::load::Form;
use crate::pointer;
use crate::words::Texts;

/// One line of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum SummaryItem {
    /// A section (nested object, or an element of a repeatable group); `depth` 1 is a section
    /// of the form.
    Section { title: String, depth: usize },
    /// An answer: the field's label and its value as text.
    Answer {
        pointer: String,
        label: String,
        value: String,
    },
}

impl Form {
    /// The answers in `data`, in the order of the form; fields without an answer are left out.
    ///
    /// ```
    /// # use istanze_forms::{Form, SummaryItem};
    /// let form = Form::from_json("f.json", r#"{"id":"f","version":"1","title":"F",
    ///   "description":"Prova","office":"U","classification":"1","min_level":"SpidL1",
    ///   "subject_template":"x",
    ///   "schema":{"type":"object","properties":{"quando":{"type":"string","title":"Data","format":"date"}}}}"#).unwrap();
    /// let items = form.summary(&serde_json::json!({"quando": "2026-12-01"}));
    /// assert_eq!(items[0], SummaryItem::Answer { pointer: "/quando".into(), label: "Data".into(), value: "01/12/2026".into() });
    /// ```
    pub fn summary(&self, data: &Value) -> Vec<SummaryItem> {
        let mut out = Vec::new();
        self.summarise(&self.schema, data, "", 0, &mut out);
        out
    }

    pub(crate) fn label(&self, ptr: &str, schema: &Value) -> String {
        let schema_ptr = pointer::strip_indices(ptr);
        self.ui
            .get(&schema_ptr)
            .and_then(|h| h.label.clone())
            .or_else(|| {
                schema
                    .get("title")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| ptr.rsplit('/').next().unwrap_or_default().to_owned())
    }

    fn summarise(
        &self,
        schema: &Value,
        data: &Value,
        ptr: &str,
        depth: usize,
        out: &mut Vec<SummaryItem>,
    ) {
        let t = self.say().texts();
        for (name, sub) in members(schema, ptr) {
            let name = name.as_str();
            let p = format!("{ptr}/{}", pointer::escape(name));
            let Some(value) = data.get(name) else {
                continue;
            };
            let label = self.label(&p, sub);
            match (sub.get("type").and_then(Value::as_str), value) {
                (Some("object"), Value::Object(_)) => {
                    let start = out.len();
                    out.push(SummaryItem::Section {
                        title: label,
                        depth: depth + 1,
                    });
                    self.summarise(sub, value, &p, depth + 1, out);
                    if out.len() == start + 1 {
                        out.truncate(start);
                    }
                }
                (Some("array"), Value::Array(items)) => {
                    let item_schema = sub.get("items").unwrap_or(&Value::Null);
                    for (i, item) in items.iter().enumerate() {
                        let ip = format!("{p}/{i}");
                        if item.is_object() {
                            out.push(SummaryItem::Section {
                                title: format!("{label} {} {}", t.number, i + 1),
                                depth: depth + 1,
                            });
                            self.summarise(item_schema, item, &ip, depth + 1, out);
                        } else {
                            out.push(SummaryItem::Answer {
                                pointer: ip,
                                label: format!("{label} {} {}", t.number, i + 1),
                                value: display(item_schema, item, t),
                            });
                        }
                    }
                }
                _ => out.push(SummaryItem::Answer {
                    pointer: p,
                    label,
                    value: display(sub, value, t),
                }),
            }
        }
    }
}

/// The members of object `schema` at `ptr`: its own properties, then those that only its
/// conditional branches declare.
pub(crate) fn members<'a>(schema: &'a Value, ptr: &str) -> Vec<(String, &'a Value)> {
    let conditionals = crate::conditions::of_object(schema, ptr);
    let own = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(n, s)| (n.clone(), s));
    let branch_only = conditionals
        .members
        .iter()
        .filter(|m| !m.declared_here)
        .filter_map(|m| Some((m.name.clone(), m.branch_schema?)));
    own.chain(branch_only).collect()
}

/// A value as text: the title of a `oneOf` option, `dd/mm/yyyy` dates, "Sì"/"No".
fn display(schema: &Value, value: &Value, t: &Texts) -> String {
    if let Some(title) = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .and_then(|opts| opts.iter().find(|o| o.get("const") == Some(value)))
        .and_then(|o| o.get("title"))
        .and_then(Value::as_str)
    {
        return title.to_owned();
    }
    match value {
        Value::Bool(true) if schema.get("const") == Some(&Value::Bool(true)) => {
            t.declared.to_owned()
        }
        Value::Bool(true) => t.yes.to_owned(),
        Value::Bool(false) => t.no.to_owned(),
        Value::String(s) if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
            match crate::formats::to_local_input(s)
                .and_then(|l| chrono::NaiveDateTime::parse_from_str(&l, "%Y-%m-%dT%H:%M").ok())
            {
                Some(d) => d.format("%d/%m/%Y %H:%M").to_string(),
                None => s.clone(),
            }
        }
        Value::String(s) if schema.get("format").and_then(Value::as_str) == Some("date") => {
            match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => d.format("%d/%m/%Y").to_string(),
                Err(_) => s.clone(),
            }
        }
        other => pointer::display_raw(other),
    }
}
