//! Walks a form's schema into the flat render list of [`crate::render`]: objects as
//! fieldsets, arrays of objects as repeatable groups, conditional fields in their blocks, each
//! field with its value, error and constraints.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::definition::Widget;
use crate::load::Form;
use crate::render::{Button, ConditionView, FieldView, GroupEnd, OptionView, RenderItem, Section};
use crate::validate::FieldError;
use crate::words::Texts;
use crate::{conditions, groups, pointer};

pub(crate) struct Ctx<'a> {
    pub form: &'a Form,
    pub data: &'a Value,
    pub errors: &'a [FieldError],
    pub locked: &'a BTreeSet<String>,
}

impl Ctx<'_> {
    fn error_at(&self, ptr: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.pointer == ptr)
            .map(|e| e.message.clone())
    }

    /// The properties of an object, each wrapped in its conditional block when it has one;
    /// fields declared only by a branch follow the object's own, grouped by condition.
    /// `extra_required` are names a branch makes required inside this object.
    pub(crate) fn walk(
        &self,
        schema: &Value,
        ptr: &str,
        depth: usize,
        extra_required: &[&str],
        items: &mut Vec<RenderItem>,
    ) {
        let conditionals = conditions::of_object(schema, ptr);
        let mut required: Vec<&str> = names(schema.get("required"));
        required.extend_from_slice(extra_required);
        // Fields only a branch declares, grouped by condition; each block goes right after the
        // question that controls it, so that it appears where the citizen is.
        let mut blocks: Vec<(&Vec<conditions::Condition>, Vec<&conditions::Member>)> = Vec::new();
        for m in conditionals
            .members
            .iter()
            .filter(|m| !m.declared_here && m.branch_schema.is_some())
        {
            match blocks.last_mut() {
                Some((c, ms)) if *c == &m.conditions => ms.push(m),
                _ => blocks.push((&m.conditions, vec![m])),
            }
        }
        let mut placed = vec![false; blocks.len()];
        let own = schema.get("properties").and_then(Value::as_object);
        for (name, sub) in own.into_iter().flatten() {
            let member = conditionals.of(name);
            if let Some(m) = member {
                items.push(self.condition(&m.conditions, ptr, name));
            }
            let nested: Vec<&str> = member
                .and_then(|m| m.branch_schema)
                .map(|b| names(b.get("required")))
                .unwrap_or_default();
            let req = required.contains(&name.as_str()) || member.is_some_and(|m| m.required);
            self.property(name, sub, ptr, depth, req, &nested, items);
            if member.is_some() {
                items.push(RenderItem::ConditionEnd);
            }
            let here = format!("{ptr}/{}", pointer::escape(name));
            for (i, (conds, members)) in blocks.iter().enumerate() {
                if !placed[i] && conds.first().is_some_and(|c| c.controller == here) {
                    self.block(conds, members, ptr, depth, items);
                    placed[i] = true;
                }
            }
        }
        for (i, (conds, members)) in blocks.iter().enumerate() {
            if !placed[i] {
                self.block(conds, members, ptr, depth, items);
            }
        }
    }

    /// A conditional block of fields that only a branch declares.
    fn block(
        &self,
        conds: &[conditions::Condition],
        members: &[&conditions::Member],
        ptr: &str,
        depth: usize,
        items: &mut Vec<RenderItem>,
    ) {
        let Some(first) = members.first() else {
            return;
        };
        items.push(self.condition(conds, ptr, &first.name));
        for m in members {
            if let Some(sub) = m.branch_schema {
                self.property(&m.name, sub, ptr, depth, m.required, &[], items);
            }
        }
        items.push(RenderItem::ConditionEnd);
    }

    #[allow(clippy::too_many_arguments)]
    fn property(
        &self,
        name: &str,
        sub: &Value,
        ptr: &str,
        depth: usize,
        required: bool,
        nested_required: &[&str],
        items: &mut Vec<RenderItem>,
    ) {
        let p = format!("{ptr}/{}", pointer::escape(name));
        let hint = self
            .form
            .ui
            .get(&pointer::strip_indices(&p))
            .cloned()
            .unwrap_or_default();
        let label = hint.label.clone().unwrap_or_else(|| text(sub, "title"));
        let help = hint.help.clone().or_else(|| {
            sub.get("description")
                .and_then(Value::as_str)
                .map(str::to_owned)
        });
        let section = |pointer: String, legend: String, depth: usize| Section {
            id: html_id(&pointer),
            error: self.error_at(&pointer),
            pointer,
            legend,
            help: help.clone(),
            depth,
            remove: None,
            row: false,
        };
        match sub.get("type").and_then(Value::as_str) {
            Some("object") => {
                items.push(RenderItem::FieldsetStart(section(
                    p.clone(),
                    label,
                    depth + 1,
                )));
                self.walk(sub, &p, depth + 1, nested_required, items);
                items.push(RenderItem::FieldsetEnd);
                return;
            }
            Some("array") => {
                self.group(
                    sub,
                    &p,
                    label,
                    section(p.clone(), String::new(), depth + 1),
                    items,
                );
                return;
            }
            _ => {}
        }
        let options = self.options(sub, self.data.pointer(&p));
        let declaration = sub.get("const") == Some(&Value::Bool(true));
        let widget = hint
            .widget
            .unwrap_or_else(|| default_widget(sub, &options, declaration));
        let value = self
            .data
            .pointer(&p)
            .map(|v| display_for_input(sub, v))
            .unwrap_or_default();
        items.push(RenderItem::Field(FieldView {
            html_id: html_id(&p),
            label,
            help,
            widget,
            required: required || declaration,
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
            focus: false,
            value,
            name: p,
        }));
    }

    /// A repeatable group: at least `minItems` rows (and one, so that there is something to
    /// fill in), each with a remove button above the minimum, and an add button below
    /// `maxItems`.
    fn group(
        &self,
        sub: &Value,
        p: &str,
        label: String,
        mut section: Section,
        items: &mut Vec<RenderItem>,
    ) {
        let item_schema = sub.get("items").unwrap_or(&Value::Null);
        let (min, max) = groups::bounds(sub);
        let len = self
            .data
            .pointer(p)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let rows = len.max(min).max(1);
        let depth = section.depth;
        section.legend = label.clone();
        items.push(RenderItem::GroupStart(section));
        let t = self.form.say().texts();
        for i in 0..rows {
            let rp = format!("{p}/{i}");
            let legend = format!("{label} {} {}", t.number, i + 1);
            let remove = (rows > min.max(1)).then(|| Button {
                action: format!("{}{rp}", groups::REMOVE),
                label: format!("{} {legend}", t.remove),
            });
            items.push(RenderItem::FieldsetStart(Section {
                id: html_id(&rp),
                error: self.error_at(&rp),
                pointer: rp.clone(),
                legend,
                help: None,
                depth: depth + 1,
                remove,
                row: true,
            }));
            let start = items.len();
            self.walk(item_schema, &rp, depth + 1, &[], items);
            // An optional row left empty asks for nothing: its fields are required only once
            // the citizen starts filling it in (and validation says so then).
            let empty = self
                .data
                .pointer(&rp)
                .and_then(Value::as_object)
                .is_none_or(|m| m.is_empty());
            if i >= min && empty {
                for item in &mut items[start..] {
                    if let RenderItem::Field(f) = item {
                        f.required = false;
                    }
                }
            }
            items.push(RenderItem::FieldsetEnd);
        }
        items.push(RenderItem::GroupEnd(GroupEnd {
            add: (rows < max).then(|| Button {
                action: format!("{}{p}", groups::ADD),
                label: format!("{} {label}", t.add),
            }),
        }));
    }

    /// The opening of a conditional block for `name` (its id is derived from the field's).
    fn condition(&self, conds: &[conditions::Condition], ptr: &str, name: &str) -> RenderItem {
        let first = format!("{ptr}/{}", pointer::escape(name));
        let id = format!("{}-se", html_id(&first));
        let active = conds.iter().any(|c| c.holds(self.data));
        // The script and the note handle one condition; more than one (a field in two
        // branches) is shown with the first's note, and the server decides anyway.
        let Some(c) = conds.first() else {
            return RenderItem::ConditionStart(ConditionView {
                pointer: first,
                id,
                controller: String::new(),
                values: String::new(),
                when_empty: true,
                negate: false,
                active,
                scripted: false,
                note: String::new(),
            });
        };
        let scripted = conds
            .iter()
            .all(|x| x.controller == c.controller && x.negate == c.negate);
        let mut values: Vec<String> = Vec::new();
        for cond in conds
            .iter()
            .filter(|x| x.controller == c.controller && x.negate == c.negate)
        {
            values.extend(cond.values.iter().map(pointer::display_raw));
        }
        RenderItem::ConditionStart(ConditionView {
            pointer: first,
            id,
            controller: c.controller.clone(),
            values: values.join("\n"),
            when_empty: c.when_empty,
            negate: c.negate,
            active,
            scripted,
            note: self.note(c),
        })
    }

    /// "Da compilare solo se hai risposto «Ente» a «In qualità di»."
    fn note(&self, c: &conditions::Condition) -> String {
        let schema = pointer::schema_at(&self.form.schema, &c.controller).unwrap_or(&Value::Null);
        let question = self
            .form
            .ui
            .get(&pointer::strip_indices(&c.controller))
            .and_then(|h| h.label.clone())
            .unwrap_or_else(|| text(schema, "title"));
        let answers: Vec<String> = c
            .values
            .iter()
            .map(|v| {
                self.options(schema, None)
                    .into_iter()
                    .find(|o| o.value == pointer::display_raw(v))
                    .map(|o| o.label)
                    .unwrap_or_else(|| pointer::display_value(v))
            })
            .collect();
        self.form
            .say()
            .condition_note(&question, &answers, c.negate)
    }

    fn options(&self, schema: &Value, current: Option<&Value>) -> Vec<OptionView> {
        options(schema, current, self.form.say().texts())
    }
}

/// Reads `required` names.
fn names(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A value as an `<input>` holds it: `date-time` as the local `YYYY-MM-DDTHH:MM` of
/// `datetime-local`.
fn display_for_input(schema: &Value, v: &Value) -> String {
    if schema.get("format").and_then(Value::as_str) == Some("date-time") {
        if let Some(local) = v.as_str().and_then(crate::formats::to_local_input) {
            return local;
        }
    }
    pointer::display_raw(v)
}

fn text(schema: &Value, key: &str) -> String {
    schema
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn options(schema: &Value, current: Option<&Value>, t: &Texts) -> Vec<OptionView> {
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
                (Value::Bool(true), t.yes.clone()),
                (Value::Bool(false), t.no.clone()),
            ]
        } else {
            Vec::new()
        };
    pairs
        .into_iter()
        .map(|(v, label)| OptionView {
            selected: current.is_some_and(|c| pointer::same_value(c, &v)),
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
        (_, Some("date-time")) => Widget::DateTime,
        (_, Some("uri")) => Widget::Url,
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
