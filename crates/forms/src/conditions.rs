//! Conditional sections: fields that apply only when an earlier answer makes them apply.
//!
//! Three JSON Schema constructs are understood, on any object of the form:
//!
//! - `if` / `then` / `else` (also inside `allOf`), where `if` tests one answer with `const` or
//!   `enum` (the answer may sit deeper: `{"properties": {"richiedente": {"properties":
//!   {"qualita": {"const": "ente"}}}}}`);
//! - `dependentSchemas`: the branch applies when the named field has an answer;
//! - `oneOf` of branches told apart by one field with a `const` in each ("person or
//!   organisation"): that field is a normal question of the object, each branch adds its fields.
//!
//! A property is *conditional* when a branch declares it (`properties`) or requires it
//! (`required`) and the object itself does not require it. The server renders such fields inside
//! a block that a small script shows or hides; without the script every block is shown with a
//! note saying when it applies. Answers to blocks that do not apply are dropped
//! ([`Form::prune`]) so that nothing the citizen no longer sees is filed.

use serde_json::Value;

use crate::load::Form;
use crate::pointer;

/// When a conditional block applies: a test on the answer at `controller`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The data pointer of the answer the condition looks at.
    pub controller: String,
    /// The answers for which the test holds; empty means "any answer" (`dependentSchemas`).
    pub values: Vec<Value>,
    /// Whether an empty answer satisfies the test (an `if` that does not require its field).
    pub when_empty: bool,
    /// The `else` branch: the block applies when the test fails.
    pub negate: bool,
}

impl Condition {
    /// Whether the block applies to `data` (the whole form's data).
    pub fn holds(&self, data: &Value) -> bool {
        let answer = data
            .pointer(&self.controller)
            .filter(|v| !v.is_null() && v.as_str() != Some(""));
        let test = match answer {
            None => self.when_empty,
            Some(_) if self.values.is_empty() => true,
            Some(v) => self.values.iter().any(|x| pointer::same_value(x, v)),
        };
        test != self.negate
    }
}

/// The conditional properties of one object: each name with the conditions under which it
/// applies (any of them), and the branch schema that declares it when the object does not.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditionals<'a> {
    pub members: Vec<Member<'a>>,
}

#[derive(Debug, Clone)]
pub(crate) struct Member<'a> {
    pub name: String,
    pub conditions: Vec<Condition>,
    /// The property's schema in the branch: the whole schema when only the branch declares
    /// it, or what the branch adds (nested `required`) to the object's own.
    pub branch_schema: Option<&'a Value>,
    /// Whether the object itself declares the property (it is then shown in its place).
    pub declared_here: bool,
    /// Whether the branch requires it (shown with an asterisk).
    pub required: bool,
}

impl<'a> Conditionals<'a> {
    /// The conditions of property `name`, if it is conditional.
    pub fn of(&self, name: &str) -> Option<&Member<'a>> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Whether `name` applies to `data` (always true for properties that are not conditional).
    pub fn applies(&self, name: &str, data: &Value) -> bool {
        self.of(name)
            .is_none_or(|m| m.conditions.iter().any(|c| c.holds(data)))
    }
}

/// Reads the conditional constructs of the object `schema` whose data sits at `ptr`.
/// Constructs it cannot turn into a block are reported with [`unsupported`] at load.
pub(crate) fn of_object<'a>(schema: &'a Value, ptr: &str) -> Conditionals<'a> {
    let mut out = Conditionals::default();
    for (cond, branch) in branches(schema, ptr) {
        add_branch(&mut out, schema, cond, branch);
    }
    out
}

/// Every (condition, branch schema) pair of an object.
fn branches<'a>(schema: &'a Value, ptr: &str) -> Vec<(Condition, &'a Value)> {
    let mut out = Vec::new();
    let mut if_then = |s: &'a Value| {
        if let Some(test) = s.get("if").and_then(|i| if_condition(i, ptr)) {
            if let Some(then) = s.get("then") {
                out.push((test.clone(), then));
            }
            if let Some(otherwise) = s.get("else") {
                out.push((
                    Condition {
                        negate: true,
                        ..test
                    },
                    otherwise,
                ));
            }
        }
    };
    if_then(schema);
    for s in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if_then(s);
    }
    if let Some(deps) = schema.get("dependentSchemas").and_then(Value::as_object) {
        for (name, branch) in deps {
            out.push((
                Condition {
                    controller: format!("{ptr}/{}", pointer::escape(name)),
                    values: Vec::new(),
                    when_empty: false,
                    negate: false,
                },
                branch,
            ));
        }
    }
    if let Some(list) = schema.get("oneOf").and_then(Value::as_array) {
        if let Some(field) = discriminator(schema) {
            for branch in list {
                if let Some(value) = branch
                    .get("properties")
                    .and_then(|p| p.get(&field))
                    .and_then(|s| s.get("const"))
                {
                    out.push((
                        Condition {
                            controller: format!("{ptr}/{}", pointer::escape(&field)),
                            values: vec![value.clone()],
                            when_empty: false,
                            negate: false,
                        },
                        branch,
                    ));
                }
            }
        }
    }
    out
}

fn add_branch<'a>(
    out: &mut Conditionals<'a>,
    object: &'a Value,
    cond: Condition,
    branch: &'a Value,
) {
    let own_required = names(object.get("required"));
    let own_props = object.get("properties").and_then(Value::as_object);
    let branch_props = branch.get("properties").and_then(Value::as_object);
    let branch_required = names(branch.get("required"));
    let mut candidates: Vec<&str> = branch_props
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for r in &branch_required {
        if !candidates.contains(r) {
            candidates.push(r);
        }
    }
    for name in candidates {
        if own_required.contains(&name) {
            continue;
        }
        let declared_here = own_props.is_some_and(|p| p.contains_key(name));
        // A branch that only narrows a question of the object (the discriminator's `const`)
        // does not make that question conditional.
        let branch_schema = branch_props.and_then(|p| p.get(name));
        let narrows =
            branch_schema.is_some_and(|b| b.get("const").is_some() || b.get("enum").is_some());
        if declared_here && !branch_required.contains(&name) && narrows {
            continue;
        }
        let required = branch_required.contains(&name);
        match out.members.iter_mut().find(|m| m.name == name) {
            Some(m) => {
                m.conditions.push(cond.clone());
                m.required |= required;
            }
            None => out.members.push(Member {
                name: name.to_owned(),
                conditions: vec![cond.clone()],
                branch_schema,
                declared_here,
                required,
            }),
        }
    }
}

/// The field that tells the branches of an object's `oneOf` apart: a property of the object
/// that every branch fixes with `const`.
pub(crate) fn discriminator(schema: &Value) -> Option<String> {
    let list = schema.get("oneOf")?.as_array()?;
    let own = schema.get("properties")?.as_object()?;
    own.keys()
        .find(|k| {
            list.iter().all(|b| {
                b.get("properties")
                    .and_then(|p| p.get(k))
                    .and_then(|s| s.get("const"))
                    .is_some()
            })
        })
        .cloned()
}

/// An `if` that tests one answer: nested `properties` down to a `const` or an `enum`, each
/// level either requiring its property or none doing so (so that "no answer" means the same
/// to the server, the script and JSON Schema). Anything else is refused at load.
fn if_condition(schema: &Value, ptr: &str) -> Option<Condition> {
    let mut current = schema;
    let mut path = ptr.to_owned();
    let mut required_levels: Vec<bool> = Vec::new();
    loop {
        let keys_ok = current
            .as_object()?
            .keys()
            .all(|k| matches!(k.as_str(), "properties" | "required" | "type"));
        let props = current.get("properties")?.as_object()?;
        if !keys_ok || props.len() != 1 {
            return None;
        }
        let (name, sub) = props.iter().next()?;
        required_levels.push(names(current.get("required")).contains(&name.as_str()));
        path = format!("{path}/{}", pointer::escape(name));
        let leaf = sub
            .get("const")
            .map(|v| vec![v.clone()])
            .or_else(|| sub.get("enum").and_then(Value::as_array).cloned());
        if let Some(values) = leaf {
            let only_test = sub
                .as_object()?
                .keys()
                .all(|k| matches!(k.as_str(), "const" | "enum" | "type"));
            let all = required_levels.iter().all(|r| *r);
            let none = required_levels.iter().all(|r| !*r);
            if !only_test || !(all || none) {
                return None;
            }
            return Some(Condition {
                controller: path,
                values,
                when_empty: none,
                negate: false,
            });
        }
        current = sub;
    }
}

fn names(v: Option<&Value>) -> Vec<&str> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A construct the renderer cannot show, for the loader to refuse: `(keyword, reason)`.
pub(crate) fn unsupported(schema: &Value) -> Option<(&'static str, String)> {
    let ifs = std::iter::once(schema).chain(
        schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten(),
    );
    for s in ifs {
        if let Some(i) = s.get("if") {
            if if_condition(i, "").is_none() {
                return Some((
                    "if",
                    "an \"if\" must test one field with \"const\" or \"enum\", through \
                     \"properties\" that are all required or none"
                        .into(),
                ));
            }
        }
    }
    if schema.get("oneOf").is_some()
        && schema.get("type").and_then(Value::as_str) == Some("object")
        && discriminator(schema).is_none()
    {
        return Some((
            "oneOf",
            "each branch must fix, with \"const\", one field the object declares".into(),
        ));
    }
    if schema.get("additionalProperties") == Some(&Value::Bool(false))
        && !of_object(schema, "")
            .members
            .iter()
            .all(|m| m.declared_here)
    {
        return Some((
            "additionalProperties",
            "fields declared in a branch need \"unevaluatedProperties\": false instead".into(),
        ));
    }
    None
}

impl Form {
    /// Drops what the citizen no longer sees: answers to conditional fields whose conditions
    /// do not hold, and rows of repeatable groups left completely empty.
    pub fn prune(&self, data: &mut Value) {
        // Again until nothing changes: dropping a block may drop the answer another block's
        // condition looks at. Each pass removes something, so a few passes suffice.
        for _ in 0..16 {
            let before = data.clone();
            prune_object(&self.schema, data, "", &before);
            if *data == before {
                break;
            }
        }
    }
}

fn prune_object(schema: &Value, data: &mut Value, ptr: &str, whole: &Value) {
    let Value::Object(map) = data else {
        return;
    };
    let conditionals = of_object(schema, ptr);
    map.retain(|name, _| conditionals.applies(name, whole));
    for (name, value) in map.iter_mut() {
        let p = format!("{ptr}/{}", pointer::escape(name));
        let sub = schema
            .get("properties")
            .and_then(|p| p.get(name))
            .or_else(|| conditionals.of(name).and_then(|m| m.branch_schema));
        let Some(sub) = sub else { continue };
        match value {
            Value::Object(_) => prune_object(sub, value, &p, whole),
            Value::Array(rows) => {
                let items = sub.get("items").unwrap_or(&Value::Null);
                for (i, row) in rows.iter_mut().enumerate() {
                    prune_object(items, row, &format!("{p}/{i}"), whole);
                }
                rows.retain(|r| !is_empty_row(r));
            }
            _ => {}
        }
    }
    map.retain(|_, v| !matches!(v, Value::Object(m) if m.is_empty()));
}

fn is_empty_row(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().all(is_empty_row),
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}
