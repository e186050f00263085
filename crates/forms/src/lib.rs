//! `istanze-forms`: online application forms defined as JSON.
//!
//! A form definition is one JSON file: metadata (id, version, title, office, classification for
//! the protocol register, minimum SPID level, subject template), a JSON Schema (draft 2020-12) for
//! the data, presentation hints and a prefill mapping from identity attributes. This crate loads
//! and checks definitions, validates submissions with Italian messages, turns HTML form fields into
//! the JSON data and builds a render model that any template engine can turn into an accessible
//! form. It knows nothing of HTTP frameworks.
//!
//! ```
//! use istanze_forms::Form;
//! let json = r#"{
//!   "id": "prova", "version": "1", "title": "Prova", "description": "Un modulo di prova",
//!   "office": "Ufficio prova", "classification": "1.1", "min_level": "SpidL1",
//!   "subject_template": "Prova di {/nome}",
//!   "schema": {"type": "object", "required": ["nome"],
//!              "properties": {"nome": {"type": "string", "title": "Nome", "minLength": 1}}}
//! }"#;
//! let form = Form::from_json("prova.json", json).unwrap();
//! let errors = form.validate(&serde_json::json!({})).unwrap_err();
//! assert_eq!(errors[0].pointer, "/nome");
//! assert_eq!(form.subject(&serde_json::json!({"nome": "Ada"})), "Prova di Ada");
//! ```

pub mod attachment;
mod columns;
mod conditions;
mod definition;
mod error;
pub mod formats;
mod groups;
mod input;
pub use input::set_at;
mod lang;
mod load;
mod messages;
mod pages;
mod pointer;
mod prefill;
mod render;
mod render_walk;
mod summary;
pub mod text;
mod translate;
mod validate;
mod version;
pub mod words;

pub use attachment::FileField;
pub use columns::Column;
/// Whether `code` is a personal fiscal code (see [`istanze_domain::FiscalCode`]).
///
/// ```
/// use istanze_forms::is_valid_codice_fiscale;
/// assert!(is_valid_codice_fiscale("RSSMRA85T10A562S"));
/// assert!(!is_valid_codice_fiscale("RSSMRA85T10A562T"));
/// ```
pub fn is_valid_codice_fiscale(code: &str) -> bool {
    istanze_domain::FiscalCode::parse(code).is_ok()
}
pub use conditions::Condition;
pub use definition::{FieldHint, FormDefinition, MinLevel, PageDefinition, Widget};
pub use error::{FormError, Result};
pub use groups::{is_group_action, ADD as GROUP_ADD, MAX_ROWS, REMOVE as GROUP_REMOVE};
pub use lang::Lang;
pub use load::{load_dir, Form, FormCatalog};
pub use prefill::PrefillAttributes;
pub use render::{
    Button, ConditionView, FieldView, FormView, GroupEnd, OptionView, RenderItem, Section,
};
pub use summary::SummaryItem;
pub use validate::FieldError;
pub use words::Words;
