//! The render model: what a template needs to draw an accessible HTML form that works without
//! JavaScript. Fields are named by their JSON pointer; nested objects become fieldsets.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::definition::Widget;
use crate::load::Form;
use crate::render_walk::Ctx;
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
    /// Opens a `<fieldset>` for a nested object or a row of a repeatable group.
    FieldsetStart(Section),
    FieldsetEnd,
    /// Opens a repeatable group (an array of objects); its rows follow as fieldsets.
    GroupStart(Section),
    /// Closes a repeatable group, with the button that adds a row when one more is allowed.
    GroupEnd(GroupEnd),
    /// Opens a block of fields that apply only under a condition.
    ConditionStart(ConditionView),
    ConditionEnd,
    Field(FieldView),
}

impl RenderItem {
    /// The fieldset this item opens, for templates.
    pub fn start(&self) -> Option<&Section> {
        match self {
            RenderItem::FieldsetStart(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this item closes a fieldset.
    pub fn is_end(&self) -> bool {
        matches!(self, RenderItem::FieldsetEnd)
    }

    /// The repeatable group this item opens.
    pub fn group_start(&self) -> Option<&Section> {
        match self {
            RenderItem::GroupStart(s) => Some(s),
            _ => None,
        }
    }

    /// The repeatable group this item closes.
    pub fn group_end(&self) -> Option<&GroupEnd> {
        match self {
            RenderItem::GroupEnd(g) => Some(g),
            _ => None,
        }
    }

    /// The conditional block this item opens.
    pub fn condition_start(&self) -> Option<&ConditionView> {
        match self {
            RenderItem::ConditionStart(c) => Some(c),
            _ => None,
        }
    }

    /// Whether this item closes a conditional block.
    pub fn is_condition_end(&self) -> bool {
        matches!(self, RenderItem::ConditionEnd)
    }

    /// The field this item shows.
    pub fn field(&self) -> Option<&FieldView> {
        match self {
            RenderItem::Field(f) => Some(f),
            _ => None,
        }
    }
}

/// A fieldset: a nested object, a repeatable group or one of its rows.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// JSON pointer of the object or array.
    pub pointer: String,
    pub id: String,
    pub legend: String,
    pub help: Option<String>,
    /// 1 is a section of the form.
    pub depth: usize,
    /// An error on the section as a whole (a conditionally required section left empty).
    pub error: Option<String>,
    /// Rows of a repeatable group: the button that removes this row, when allowed.
    pub remove: Option<Button>,
    /// A row of a repeatable group: the page sends an empty field named by its pointer, so the
    /// row is kept even when none of its answers is sent (radios and boxes left blank).
    pub row: bool,
}

/// The end of a repeatable group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupEnd {
    /// The button that adds a row, absent at `maxItems`.
    pub add: Option<Button>,
}

/// A submit button that changes the form's shape: its `_action` value and its text, which
/// names the group or row so that a screen reader user knows what it acts on.
#[derive(Debug, Clone, Serialize)]
pub struct Button {
    pub action: String,
    pub label: String,
}

/// A block of fields that apply only under a condition (see [`crate::Condition`]).
#[derive(Debug, Clone, Serialize)]
pub struct ConditionView {
    /// The data pointer of the block's first field.
    pub pointer: String,
    pub id: String,
    /// The `name` of the input the condition looks at (its data pointer).
    pub controller: String,
    /// The values for which the block applies, as the controller's inputs write them,
    /// joined by a line feed; empty means "any answer".
    pub values: String,
    /// Whether an empty answer makes the block apply.
    pub when_empty: bool,
    /// The block applies when the answer is *not* one of `values`.
    pub negate: bool,
    /// Whether it applies to the data shown.
    pub active: bool,
    /// Whether a script can decide it on the page (one controller, one sense); otherwise the
    /// server's decision (`active`) stands until the next submit.
    pub scripted: bool,
    /// When it applies, in words, for pages without the script.
    pub note: String,
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
    /// Takes the keyboard focus when the page loads (the first field of a row just added).
    pub focus: bool,
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
            Widget::Text
            | Widget::Email
            | Widget::Tel
            | Widget::Date
            | Widget::DateTime
            | Widget::Url
            | Widget::Number => "input",
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
            Widget::DateTime => "datetime-local",
            Widget::Url => "url",
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
        self.render_focused(data, errors, locked, None)
    }

    /// [`Form::render`], with the keyboard focus on the first field under `focus` (a row just
    /// added to a repeatable group).
    pub fn render_focused(
        &self,
        data: &Value,
        errors: &[FieldError],
        locked: &BTreeSet<String>,
        focus: Option<&str>,
    ) -> FormView {
        let mut items = Vec::new();
        let ctx = Ctx {
            form: self,
            data,
            errors,
            locked,
        };
        ctx.walk(&self.schema, "", 0, &[], &mut items);
        if let Some(prefix) = focus {
            let prefix = format!("{prefix}/");
            if let Some(RenderItem::Field(f)) = items
                .iter_mut()
                .find(|i| matches!(i, RenderItem::Field(f) if f.name.starts_with(&prefix)))
            {
                f.focus = true;
            }
        }
        FormView {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            items,
        }
    }
}
