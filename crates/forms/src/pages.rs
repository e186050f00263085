//! Multi-step forms: the definition's `pages` split the top-level sections into steps. Each
//! step shows its sections only, validates its own fields, and the last step is followed by a
//! summary of everything before the final submit.

use serde_json::Value;

use crate::load::Form;
use crate::render::{FormView, RenderItem};
use crate::validate::FieldError;

impl Form {
    /// How many steps the form has (1 when it has no pages).
    pub fn page_count(&self) -> usize {
        self.pages.len().max(1)
    }

    /// The title of step `n` (0-based).
    pub fn page_title(&self, n: usize) -> Option<&str> {
        self.pages.get(n).map(|p| p.title.as_str())
    }

    /// Whether the data pointer `ptr` belongs to step `n` (every pointer does without pages).
    pub fn on_page(&self, ptr: &str, n: usize) -> bool {
        let Some(page) = self.pages.get(n) else {
            return self.pages.is_empty();
        };
        let first = ptr.trim_start_matches('/').split('/').next().unwrap_or("");
        page.sections.iter().any(|s| s == first)
    }

    /// The step holding the field at `ptr` (0 without pages).
    pub fn page_of(&self, ptr: &str) -> usize {
        (0..self.pages.len())
            .find(|n| self.on_page(ptr, *n))
            .unwrap_or(0)
    }

    /// The errors of step `n` only.
    pub fn page_errors(&self, errors: &[FieldError], n: usize) -> Vec<FieldError> {
        errors
            .iter()
            .filter(|e| self.on_page(&e.pointer, n))
            .cloned()
            .collect()
    }

    /// `data` with the sections of step `n` taken from `page_data` (the rest kept).
    pub fn merge_page(&self, data: &Value, page_data: &Value, n: usize) -> Value {
        let mut out = data.clone();
        if !out.is_object() {
            out = Value::Object(Default::default());
        }
        if let (Some(page), Value::Object(map)) = (self.pages.get(n), &mut out) {
            for section in &page.sections {
                match page_data.get(section) {
                    Some(v) => {
                        map.insert(section.clone(), v.clone());
                    }
                    None => {
                        map.remove(section);
                    }
                }
            }
        }
        out
    }

    /// The render model of step `n`: only its sections.
    pub fn render_page(&self, view: FormView, n: usize) -> FormView {
        let mut items = Vec::new();
        let mut shown: Vec<bool> = Vec::new();
        for item in view.items {
            let opens = match &item {
                RenderItem::FieldsetStart(s) | RenderItem::GroupStart(s) => Some(&s.pointer),
                RenderItem::ConditionStart(c) => Some(&c.pointer),
                _ => None,
            };
            if let Some(pointer) = opens {
                let show = shown
                    .last()
                    .copied()
                    .unwrap_or_else(|| self.on_page(pointer, n));
                shown.push(show);
                if show {
                    items.push(item);
                }
                continue;
            }
            let show = match &item {
                RenderItem::FieldsetEnd | RenderItem::GroupEnd(_) | RenderItem::ConditionEnd => {
                    shown.pop().unwrap_or(false)
                }
                RenderItem::Field(f) => shown
                    .last()
                    .copied()
                    .unwrap_or_else(|| self.on_page(&f.name, n)),
                _ => false,
            };
            if show {
                items.push(item);
            }
        }
        FormView { items, ..view }
    }
}
