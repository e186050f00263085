//! The columns of a form's table of applications (the back office's exports): one per
//! answer, in the form's order, with its label; a repeatable group is one column, whose cell
//! holds every element's answers.

use serde_json::Value;

use crate::{pointer, Form, SummaryItem};

/// A column: the JSON pointer of a field (or of a repeatable group) and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub pointer: String,
    pub label: String,
}

impl Form {
    /// The form's columns, conditional fields included; a repeatable group is one column, and
    /// [`Form::cells`] puts each element's answers in it.
    ///
    /// ```
    /// # use istanze_forms::Form;
    /// let form = Form::from_json("f.json", r#"{"id":"f","version":"1","title":"F",
    ///   "description":"Prova","office":"U","classification":"1","min_level":"SpidL1",
    ///   "subject_template":"x",
    ///   "schema":{"type":"object","properties":{
    ///     "chi":{"type":"object","title":"Richiedente","properties":{"nome":{"type":"string","title":"Nome"}}},
    ///     "ospiti":{"type":"array","title":"Ospiti","maxItems":5,"items":{"type":"object",
    ///       "properties":{"nome":{"type":"string","title":"Nome dell'ospite"}}}}}}}"#).unwrap();
    /// let columns = form.columns();
    /// let pointers: Vec<&str> = columns.iter().map(|c| c.pointer.as_str()).collect();
    /// assert_eq!(pointers, ["/chi/nome", "/ospiti"]);
    /// let data = serde_json::json!({"chi": {"nome": "Mario"},
    ///   "ospiti": [{"nome": "Anna"}, {"nome": "Luca"}]});
    /// assert_eq!(form.cells(&columns, &data), ["Mario", "Nome dell'ospite: Anna; Nome dell'ospite: Luca"]);
    /// ```
    pub fn columns(&self) -> Vec<Column> {
        let mut out = Vec::new();
        self.collect_columns(&self.schema, "", &mut out);
        out
    }

    fn collect_columns(&self, schema: &Value, ptr: &str, out: &mut Vec<Column>) {
        for (name, sub) in crate::summary::members(schema, ptr) {
            let p = format!("{ptr}/{}", pointer::escape(&name));
            if out.iter().any(|c| c.pointer == p) {
                continue;
            }
            match sub.get("type").and_then(Value::as_str) {
                Some("object") => self.collect_columns(sub, &p, out),
                _ => out.push(Column {
                    label: self.label(&p, sub),
                    pointer: p,
                }),
            }
        }
    }

    /// The cells of `columns` for the application `data`: each column's answers as text (the
    /// elements of a repeatable group one after the other, `label: value`, separated by `; `).
    pub fn cells(&self, columns: &[Column], data: &Value) -> Vec<String> {
        let summary = self.summary(data);
        columns
            .iter()
            .map(|c| {
                let nested = format!("{}/", c.pointer);
                let parts: Vec<String> = summary
                    .iter()
                    .filter_map(|i| match i {
                        SummaryItem::Answer { pointer, value, .. } if *pointer == c.pointer => {
                            Some(value.clone())
                        }
                        SummaryItem::Answer {
                            pointer,
                            label,
                            value,
                        } if pointer.starts_with(&nested) => Some(format!("{label}: {value}")),
                        _ => None,
                    })
                    .collect();
                parts.join("; ")
            })
            .collect()
    }
}
