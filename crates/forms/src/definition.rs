//! The form definition: metadata, JSON Schema, presentation hints and prefill mapping.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::pointer;

/// Minimum SPID/CIE level of assurance a citizen needs to open a form: the one level type
/// that logins (`istanze-auth`) and the server use too.
pub use istanze_domain::LevelOfAssurance as MinLevel;

/// How a field is shown; when absent it is derived from the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Widget {
    Text,
    Textarea,
    Email,
    Tel,
    Date,
    /// A date and time (`datetime-local`), in Italian time.
    #[serde(rename = "datetime")]
    DateTime,
    /// A web address.
    Url,
    Number,
    Select,
    Radio,
    Checkbox,
    /// A file upload (fields with `"format": "allegato"`).
    File,
}

/// Presentation hints for one field, keyed in the definition by the field's JSON pointer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldHint {
    /// Replaces the schema's `title` as the label.
    #[serde(default)]
    pub label: Option<String>,
    /// Replaces the schema's `description` as the help text.
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub widget: Option<Widget>,
    /// The HTML `autocomplete` token (WCAG 1.3.5), e.g. `email`, `tel`, `postal-code`.
    #[serde(default)]
    pub autocomplete: Option<String>,
}

/// One form, as written by staff in `forms/<id>.json`.
///
/// Field labels and help texts come from the schema's `title` and `description`; the `ui` map
/// may override them and choose widgets. Sections are the object properties at the top level,
/// shown in the order they appear in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    /// Stable identifier, used in URLs: lower case letters, digits and `-`.
    pub id: String,
    /// Version of the definition; frozen with every submission.
    pub version: String,
    pub title: String,
    pub description: String,
    /// The office responsible for the procedure (shown to the citizen, sent to the register).
    pub office: String,
    /// Classification code of the administration's filing plan (titolario) for the register.
    pub classification: String,
    pub min_level: MinLevel,
    /// Subject of the register entry; `{/json/pointer}` is replaced by the submitted value.
    pub subject_template: String,
    /// JSON Schema (draft 2020-12) of the data.
    pub schema: Value,
    /// Presentation hints by JSON pointer.
    #[serde(default)]
    pub ui: BTreeMap<String, FieldHint>,
    /// Identity attribute to copy into a field, by the field's JSON pointer. Prefilled fields are
    /// shown as verified and cannot be changed by the citizen.
    #[serde(default)]
    pub prefill: BTreeMap<String, String>,
    /// The SPID attributes the service asks the identity provider for (an
    /// AttributeConsumingService of the SP metadata). Absent: the installation's default set.
    #[serde(default)]
    pub spid_attributes: Option<Vec<String>>,
    /// Steps of a multi-step form, each naming the top-level sections it shows, in order.
    /// Absent: the whole form on one page.
    #[serde(default)]
    pub pages: Vec<PageDefinition>,
    /// Translations of the form's texts, by language and then by the Italian text: every
    /// title, description, label, help text, option and page title whose Italian text is a key
    /// is shown translated. Texts without a translation stay in Italian; the application
    /// document filed in the register is always in Italian.
    ///
    /// ```json
    /// "translations": {"en": {"Richiedente": "Applicant", "Nome": "First name"}}
    /// ```
    #[serde(default)]
    pub translations: BTreeMap<crate::Lang, BTreeMap<String, String>>,
    /// The procedure's rules (L. 241/1990): the term to conclude, in calendar days from
    /// registration, and whether silence past it is consent (art. 20). Absent: 30 days, no
    /// tacit consent.
    ///
    /// ```json
    /// "procedure": {"term_days": 60, "tacit_consent": false}
    /// ```
    #[serde(default)]
    pub procedure: Option<istanze_domain::procedure::Rules>,
}

/// One step of a multi-step form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageDefinition {
    pub title: String,
    /// Names of top-level sections (properties of the root schema).
    pub sections: Vec<String>,
}

impl FormDefinition {
    /// The subject of the register entry for `data`, from [`FormDefinition::subject_template`].
    ///
    /// A placeholder whose value is missing becomes an empty string; the subject is trimmed and
    /// its white space collapsed, because it ends up in a register entry that cannot be changed.
    pub fn subject(&self, data: &Value) -> String {
        let mut out = String::new();
        let mut rest = self.subject_template.as_str();
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let ptr = &after[..end];
                    if let Some(v) = data.pointer(ptr) {
                        out.push_str(&pointer::display_value(v));
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The schema of the field at a data pointer (`/richiedente/nome`), if it exists.
    pub fn field_schema(&self, data_pointer: &str) -> Option<&Value> {
        pointer::schema_at(&self.schema, data_pointer)
    }
}
