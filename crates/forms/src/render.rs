//! The render model: what a template needs to draw an accessible HTML form that works without
//! JavaScript. Fields are named by their JSON pointer; nested objects become fieldsets.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::definition::Widget;
use crate::load::Form;
use crate::pointer;
use crate::validate::FieldError;

/// A form ready for a template: a flat list of items, fieldsets opened and closed in order.
#[derive(Debug, Clone, Serialize)]
pub struct FormView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub items: Vec<RenderItem>,
}

/// One item of the flat render list.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum RenderItem {
    /// Opens a `<fieldset>`; `depth` 1 is a section of the form.
    FieldsetStart {
        /// JSON pointer of the object.
        pointer: String,
        id: String,
        legend: String,
        help: Option<String>,
        depth: usize,
        /// An error on the section as a whole (a conditionally required section left empty).
        error: Option<String>,
    },
    FieldsetEnd,
    Field(FieldView),
}

/// One field with its current value and error.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// The input's `name`: the JSON pointer of the value.
    pub name: String,
    /// A valid, unique HTML id derived from the pointer.
    pub html_id: String,
    pub label: String,
    pub help: Option<String>,
    pub widget: Widget,
    pub required: bool,
    /// The current value as text.
    pub value: String,
    pub options: Vec<OptionView>,
    /// Filled from the verified identity: shown read-only.
    pub verified: bool,
    pub error: Option<String>,
    pub autocomplete: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    pub max_length: Option<u64>,
    /// `integer` fields step by 1, numbers by any amount.
    pub step: Option<String>,
    /// File fields: the accepted media types (for `accept`) and the largest size.
    pub accept: Vec<String>,
    pub max_bytes: Option<u64>,
}

impl FieldView {
    /// The id of the element an error summary links to (the first option of a group).
    pub fn anchor(&self) -> String {
        match self.widget {
            Widget::Radio => format!("{}-0", self.html_id),
            _ => self.html_id.clone(),
        }
    }

    /// Which control a template draws: `radio`, `select`, `checkbox`, `textarea` or `input`.
    pub fn control(&self) -> &'static str {
        match self.widget {
            Widget::Radio => "radio",
            Widget::Select => "select",
            Widget::Checkbox => "checkbox",
            Widget::Textarea => "textarea",
            Widget::File => "file",
            Widget::Text | Widget::Email | Widget::Tel | Widget::Date | Widget::Number => "input",
        }
    }

    /// The ids of the help and error texts, for `aria-describedby` (empty when neither).
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if self.help.is_some() {
            ids.push(format!("{}-help", self.html_id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.html_id));
        }
        ids.join(" ")
    }

    /// The `type` of the `<input>` for single-input widgets.
    pub fn input_type(&self) -> &'static str {
        match self.widget {
            Widget::Email => "email",
            Widget::Tel => "tel",
            Widget::Date => "date",
            Widget::Number => "number",
            _ => "text",
        }
    }
}

/// One choice of a select or radio group.
#[derive(Debug, Clone, Serialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Form {
    /// The render model for `data` (the values to show), `errors` (from validation) and the
    /// pointers locked by prefill.
    pub fn render(
        &self,
        data: &Value,
        errors: &[FieldError],
        locked: &BTreeSet<String>,
    ) -> FormView {
        let mut items = Vec::new();
        let ctx = Ctx {
            form: self,
            data,
            errors,
            locked,
        };
        ctx.walk(&self.schema, "", 0, &mut items);
        FormView {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            items,
        }
    }
}

struct Ctx<'a> {
    form: &'a Form,
    data: &'a Value,
    errors: &'a [FieldError],
    locked: &'a BTreeSet<String>,
}

impl Ctx<'_> {
    fn error_at(&self, ptr: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.pointer == ptr)
            .map(|e| e.message.clone())
    }

    fn walk(&self, schema: &Value, ptr: &str, depth: usize, items: &mut Vec<RenderItem>) {
        let Some(props) = schema.get("properties").and_then(Value::as_object) else {
            return;
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, sub) in props {
            let p = format!("{ptr}/{}", pointer::escape(name));
            let hint = self.form.ui.get(&p).cloned().unwrap_or_default();
            let label = hint.label.clone().unwrap_or_else(|| text(sub, "title"));
            let help = hint.help.clone().or_else(|| {
                sub.get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
            if sub.get("type").and_then(Value::as_str) == Some("object") {
                let error = self.error_at(&p);
                items.push(RenderItem::FieldsetStart {
                    pointer: p.clone(),
                    id: html_id(&p),
                    legend: label,
                    help,
                    depth: depth + 1,
                    error,
                });
                self.walk(sub, &p, depth + 1, items);
                items.push(RenderItem::FieldsetEnd);
                continue;
            }
            let options = options(sub, self.data.pointer(&p));
            let declaration = sub.get("const") == Some(&Value::Bool(true));
            let widget = hint
                .widget
                .unwrap_or_else(|| default_widget(sub, &options, declaration));
            let value = self
                .data
                .pointer(&p)
                .map(pointer::display_raw)
                .unwrap_or_default();
            items.push(RenderItem::Field(FieldView {
                html_id: html_id(&p),
                label,
                help,
                widget,
                required: required.contains(&name.as_str()) || declaration,
                options,
                verified: self.locked.contains(&p),
                error: self.error_at(&p),
                autocomplete: hint.autocomplete.clone(),
                min: sub
                    .get("minimum")
                    .or_else(|| sub.get("formatMinimum"))
                    .map(pointer::display_raw),
                max: sub
                    .get("maximum")
                    .or_else(|| sub.get("formatMaximum"))
                    .map(pointer::display_raw),
                max_length: sub.get("maxLength").and_then(Value::as_u64),
                step: match sub.get("type").and_then(Value::as_str) {
                    Some("integer") => Some("1".into()),
                    Some("number") => Some("any".into()),
                    _ => None,
                },
                accept: crate::attachment::constraints(sub)
                    .map(|c| c.0)
                    .unwrap_or_default(),
                max_bytes: crate::attachment::constraints(sub).ok().map(|c| c.1),
                value,
                name: p,
            }));
        }
    }
}

fn text(schema: &Value, key: &str) -> String {
    schema
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn options(schema: &Value, current: Option<&Value>) -> Vec<OptionView> {
    let pairs: Vec<(Value, String)> =
        if let Some(list) = schema.get("oneOf").and_then(Value::as_array) {
            list.iter()
                .filter_map(|o| Some((o.get("const")?.clone(), text(o, "title"))))
                .collect()
        } else if let Some(list) = schema.get("enum").and_then(Value::as_array) {
            list.iter()
                .map(|v| (v.clone(), pointer::display_value(v)))
                .collect()
        } else if schema.get("type").and_then(Value::as_str) == Some("boolean")
            && schema.get("const").is_none()
        {
            vec![
                (Value::Bool(true), "Sì".into()),
                (Value::Bool(false), "No".into()),
            ]
        } else {
            Vec::new()
        };
    pairs
        .into_iter()
        .map(|(v, label)| OptionView {
            selected: current == Some(&v),
            value: pointer::display_raw(&v),
            label,
        })
        .collect()
}

fn default_widget(schema: &Value, options: &[OptionView], declaration: bool) -> Widget {
    if declaration {
        return Widget::Checkbox;
    }
    if !options.is_empty() {
        return if options.len() <= 5 {
            Widget::Radio
        } else {
            Widget::Select
        };
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (_, Some(crate::attachment::FORMAT)) => Widget::File,
        (Some("integer" | "number"), _) => Widget::Number,
        (_, Some("email")) => Widget::Email,
        (_, Some("date")) => Widget::Date,
        (_, Some("telefono")) => Widget::Tel,
        _ if schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| m > 200) =>
        {
            Widget::Textarea
        }
        _ => Widget::Text,
    }
}

/// `/richiedente/nome` -> `f-richiedente-nome`; other characters become `_`.
fn html_id(ptr: &str) -> String {
    let mut id = String::from("f");
    for c in ptr.chars() {
        id.push(match c {
            '/' => '-',
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => c,
            _ => '_',
        });
    }
    id
}
