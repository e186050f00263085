//! Loading and checking form definitions: a broken definition is refused with the file and the
//! JSON pointer of the fault, so that a server never starts with a form citizens cannot complete.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::prefill::KNOWN_ATTRIBUTES;
use crate::validate::{self, FieldError};
use crate::{pointer, FormDefinition, FormError, Result};

/// A checked form definition with its compiled validator; cheap to clone.
#[derive(Debug, Clone)]
pub struct Form {
    definition: Arc<FormDefinition>,
    validator: Arc<jsonschema::Validator>,
    /// The language of the texts this form writes (labels, messages).
    pub(crate) lang: crate::Lang,
    /// The definition in every language, made once at load (Italian as written first).
    variants: Arc<Vec<(crate::Lang, Arc<FormDefinition>)>>,
    /// Which version of the form this is (the SHA-256 of its canonical JSON).
    version_id: istanze_domain::FormVersionId,
    /// The definition as it was written, kept for storing and exporting it unchanged.
    source: Arc<str>,
    /// Where the words the form writes itself come from (see [`crate::words`]).
    words: Arc<crate::Words>,
}

impl Form {
    /// Parses and checks one definition; `file` names it in error messages.
    pub fn from_json(file: &str, text: &str) -> Result<Form> {
        let syntax = |e: serde_json::Error| FormError::Syntax {
            file: file.to_owned(),
            message: e.to_string(),
        };
        let value: Value = serde_json::from_str(text).map_err(syntax)?;
        let version_id = crate::version::version_id(&value);
        let definition: FormDefinition = serde_json::from_value(value).map_err(syntax)?;
        let invalid = |pointer: String, message: String| FormError::Invalid {
            file: file.to_owned(),
            pointer,
            message,
        };
        check_metadata(&definition).map_err(|(p, m)| invalid(p, m))?;
        if let Err(e) = jsonschema::draft202012::meta::validate(&definition.schema) {
            return Err(invalid(
                format!("/schema{}", e.instance_path.as_str()),
                e.to_string(),
            ));
        }
        let validator =
            validate::compile(&definition.schema).map_err(|m| invalid("/schema".into(), m))?;
        check_fields(&definition.schema, "", "/schema").map_err(|(p, m)| invalid(p, m))?;
        check_references(&definition).map_err(|(p, m)| invalid(p, m))?;
        check_pages(&definition).map_err(|(p, m)| invalid(p, m))?;
        crate::translate::check(&definition).map_err(|(p, m)| invalid(p, m))?;
        // Italian as written; English always (the crate's own words are English there); and
        // every language the form is translated into.
        let mut langs: Vec<crate::Lang> = crate::Lang::WITH_TEXTS.to_vec();
        langs.extend(
            definition
                .translations
                .keys()
                .filter(|l| !langs.contains(l))
                .copied()
                .collect::<Vec<_>>(),
        );
        let variants: Vec<(crate::Lang, Arc<FormDefinition>)> = langs
            .into_iter()
            .map(|lang| {
                let d = if lang == crate::Lang::IT {
                    definition.clone()
                } else {
                    crate::translate::apply(definition.clone(), lang)
                };
                (lang, Arc::new(d))
            })
            .collect();
        Ok(Form {
            definition: Arc::new(definition),
            validator: Arc::new(validator),
            lang: crate::Lang::IT,
            variants: Arc::new(variants),
            version_id,
            source: text.into(),
            words: crate::Words::shipped(),
        })
    }

    /// Which version of the form this is: two loads of the same definition (however
    /// formatted) have the same id, any change gives another.
    pub fn version_id(&self) -> &istanze_domain::FormVersionId {
        &self.version_id
    }

    /// The definition's JSON as it was written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The form in `lang`: its texts translated where the definition has translations, and
    /// its messages in that language. The data and its validation are the same.
    pub fn in_lang(&self, lang: crate::Lang) -> Form {
        if lang == self.lang {
            return self.clone();
        }
        let Some((_, definition)) = self.variants.iter().find(|(l, _)| *l == lang) else {
            // Not translated: its own texts stay Italian, the words it writes itself are in
            // `lang` where the installation has them.
            let mut form = self.clone();
            if self.words.speaks(lang) {
                form.lang = lang;
            }
            return form;
        };
        Form {
            definition: definition.clone(),
            validator: self.validator.clone(),
            lang,
            variants: self.variants.clone(),
            version_id: self.version_id.clone(),
            source: self.source.clone(),
            words: self.words.clone(),
        }
    }

    /// The form writing its own words (buttons, validation messages) with `words` instead of
    /// the shipped ones.
    pub fn with_words(mut self, words: Arc<crate::Words>) -> Form {
        self.words = words;
        self
    }

    /// Where the words the form writes itself come from.
    pub fn words(&self) -> &Arc<crate::Words> {
        &self.words
    }

    /// The form's words in its language.
    pub(crate) fn say(&self) -> crate::words::Say<'_> {
        crate::words::Say {
            words: &self.words,
            lang: self.lang,
        }
    }

    /// The language of this form's texts.
    pub fn lang(&self) -> crate::Lang {
        self.lang
    }

    /// The definition in this form's language.
    /// The procedure's rules: the term and whether silence is consent (30 days, no tacit
    /// consent, unless the definition says otherwise).
    pub fn procedure(&self) -> istanze_domain::procedure::Rules {
        self.definition.procedure.unwrap_or_default()
    }

    pub fn definition(&self) -> &FormDefinition {
        &self.definition
    }

    /// Checks `data` against the schema; on failure, one Italian message per field.
    pub fn validate(&self, data: &Value) -> std::result::Result<(), Vec<FieldError>> {
        let errors = validate::run(&self.validator, &self.definition.schema, data, self.say());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl std::ops::Deref for Form {
    type Target = FormDefinition;
    fn deref(&self) -> &FormDefinition {
        &self.definition
    }
}

/// All forms of an installation, in catalogue order (by title).
#[derive(Debug, Clone, Default)]
pub struct FormCatalog {
    forms: Vec<Form>,
}

impl FormCatalog {
    /// Builds a catalogue from already loaded forms, refusing duplicate ids.
    pub fn new(forms: Vec<(String, Form)>) -> Result<FormCatalog> {
        let mut seen: Vec<(String, String)> = Vec::new();
        let mut out = Vec::new();
        for (file, form) in forms {
            if let Some((_, other)) = seen.iter().find(|(id, _)| *id == form.id) {
                return Err(FormError::DuplicateId {
                    file,
                    id: form.id.clone(),
                    other: other.clone(),
                });
            }
            seen.push((form.id.clone(), file));
            out.push(form);
        }
        out.sort_by(|a, b| a.title.cmp(&b.title));
        Ok(FormCatalog { forms: out })
    }

    /// The catalogue with every form writing its own words with `words` (see
    /// [`Form::with_words`]).
    pub fn with_words(self, words: &Arc<crate::Words>) -> FormCatalog {
        FormCatalog {
            forms: self
                .forms
                .into_iter()
                .map(|f| f.with_words(words.clone()))
                .collect(),
        }
    }

    /// The form with this id.
    pub fn get(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.id == id)
    }

    /// Every form, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = &Form> {
        self.forms.iter()
    }
}

/// Loads every `*.json` file of a directory; the first broken one stops the load.
pub fn load_dir(dir: &Path) -> Result<FormCatalog> {
    let io = |source| FormError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(io)?
        .into_iter()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut forms = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| FormError::Io {
            path: path.clone(),
            source,
        })?;
        let file = path.display().to_string();
        let form = Form::from_json(&file, &text)?;
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if stem != form.id {
            return Err(FormError::Invalid {
                file,
                pointer: "/id".into(),
                message: format!("the id must be the file name ({stem:?})"),
            });
        }
        forms.push((file, form));
    }
    FormCatalog::new(forms)
}

type Fault = (String, String);

fn check_metadata(d: &FormDefinition) -> std::result::Result<(), Fault> {
    let id_ok = !d.id.is_empty()
        && d.id.len() <= 64
        && d.id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Err((
            "/id".into(),
            "use 1-64 lower case letters, digits and '-'".into(),
        ));
    }
    for (ptr, value) in [
        ("/version", &d.version),
        ("/title", &d.title),
        ("/office", &d.office),
        ("/classification", &d.classification),
        ("/subject_template", &d.subject_template),
    ] {
        if value.trim().is_empty() {
            return Err((ptr.into(), "must not be empty".into()));
        }
    }
    if d.schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err(("/schema/type".into(), "the root must be an object".into()));
    }
    if let Some(rules) = &d.procedure {
        // A term past two years is a typing mistake, not a procedure.
        if !(1..=730).contains(&rules.term_days) {
            return Err((
                "/procedure/term_days".into(),
                "the term is 1 to 730 days".into(),
            ));
        }
    }
    Ok(())
}

/// Every field needs a label (accessibility) and a type the renderer knows.
fn check_fields(
    schema: &Value,
    data_ptr: &str,
    schema_ptr: &str,
) -> std::result::Result<(), Fault> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Ok(());
    };
    if let Some((keyword, message)) = crate::conditions::unsupported(schema) {
        return Err((format!("{schema_ptr}/{keyword}"), message));
    }
    let branch_only: Vec<(String, &Value)> = crate::conditions::of_object(schema, data_ptr)
        .members
        .iter()
        .filter(|m| !m.declared_here)
        .filter_map(|m| Some((m.name.clone(), m.branch_schema?)))
        .collect();
    let own = props.iter().map(|(n, s)| (n.clone(), s));
    for (name, sub) in own.chain(branch_only) {
        let name = &name;
        let sp = format!("{schema_ptr}/properties/{}", pointer::escape(name));
        let dp = format!("{data_ptr}/{}", pointer::escape(name));
        if crate::input::is_index(name) || name.bytes().all(|b| b.is_ascii_digit()) {
            return Err((sp, "a field's name cannot be only digits".into()));
        }
        if sub
            .get("title")
            .and_then(Value::as_str)
            .is_none_or(|t| t.trim().is_empty())
        {
            return Err((sp, "every field needs a \"title\" (its label)".into()));
        }
        // An unknown format is ignored by JSON Schema: a typo would silently check nothing.
        if let Some(f) = sub.get("format").and_then(Value::as_str) {
            const KNOWN: [&str; 11] = [
                "email",
                "date",
                "date-time",
                "time",
                "uri",
                "codice-fiscale",
                "partita-iva",
                "iban",
                "cap",
                "telefono",
                crate::attachment::FORMAT,
            ];
            if !KNOWN.contains(&f) {
                return Err((
                    format!("{sp}/format"),
                    format!("unknown format {f:?}; known: {KNOWN:?}"),
                ));
            }
        }
        if crate::attachment::is_file_field(sub) {
            crate::attachment::constraints(sub).map_err(|m| (sp.clone(), m))?;
            // Files are filed and checked by their field's pointer; rows have no fixed one.
            if data_ptr.split('/').any(crate::input::is_index) {
                return Err((
                    sp,
                    "a file field cannot be inside a repeatable group (yet)".into(),
                ));
            }
        }
        match sub.get("type").and_then(Value::as_str) {
            Some("object") => check_fields(sub, &dp, &sp)?,
            Some("array") => {
                let items = sub.get("items").filter(|i| {
                    i.get("type").and_then(Value::as_str) == Some("object")
                        && i.get("properties").is_some()
                });
                let Some(items) = items else {
                    return Err((
                        format!("{sp}/items"),
                        "a repeatable group needs \"items\" of type object with properties".into(),
                    ));
                };
                match sub.get("maxItems").and_then(Value::as_u64) {
                    Some(n) if n as usize <= crate::groups::MAX_ROWS => {}
                    _ => {
                        return Err((
                            format!("{sp}/maxItems"),
                            format!(
                                "a repeatable group needs \"maxItems\" (at most {})",
                                crate::groups::MAX_ROWS
                            ),
                        ))
                    }
                }
                let min = sub.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = sub.get("maxItems").and_then(Value::as_u64).unwrap_or(0);
                if min > max {
                    return Err((
                        format!("{sp}/minItems"),
                        "\"minItems\" is larger than \"maxItems\"".into(),
                    ));
                }
                check_fields(items, &format!("{dp}/0"), &format!("{sp}/items"))?;
            }
            Some("string" | "number" | "integer" | "boolean") => {}
            Some(other) => {
                return Err((
                    format!("{sp}/type"),
                    format!("fields of type {other:?} are not supported"),
                ));
            }
            None if sub.get("oneOf").is_some() || sub.get("enum").is_some() => {}
            None => return Err((format!("{sp}/type"), "every field needs a \"type\"".into())),
        }
    }
    Ok(())
}

/// Pages, when given, cover every top-level section exactly once.
fn check_pages(d: &FormDefinition) -> std::result::Result<(), Fault> {
    if d.pages.is_empty() {
        return Ok(());
    }
    let sections: Vec<&String> = d
        .schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().collect())
        .unwrap_or_default();
    let mut seen: Vec<&str> = Vec::new();
    for (i, page) in d.pages.iter().enumerate() {
        if page.title.trim().is_empty() || page.sections.is_empty() {
            return Err((
                format!("/pages/{i}"),
                "a page needs a title and sections".into(),
            ));
        }
        for s in &page.sections {
            if !sections.contains(&s) {
                return Err((format!("/pages/{i}/sections"), format!("no section {s:?}")));
            }
            if seen.contains(&s.as_str()) {
                return Err((
                    format!("/pages/{i}/sections"),
                    format!("{s:?} is on two pages"),
                ));
            }
            seen.push(s);
        }
    }
    if let Some(missing) = sections.iter().find(|s| !seen.contains(&s.as_str())) {
        return Err((
            "/pages".into(),
            format!("section {missing:?} is on no page"),
        ));
    }
    Ok(())
}

fn check_references(d: &FormDefinition) -> std::result::Result<(), Fault> {
    for key in d.ui.keys() {
        if d.field_schema(key).is_none() || key.is_empty() {
            return Err((
                format!("/ui/{}", pointer::escape(key)),
                "no such field".into(),
            ));
        }
    }
    for (key, attr) in &d.prefill {
        let at = format!("/prefill/{}", pointer::escape(key));
        if d.field_schema(key).is_none() || key.is_empty() {
            return Err((at, "no such field".into()));
        }
        if !KNOWN_ATTRIBUTES.contains(&attr.as_str()) {
            return Err((
                at,
                format!("unknown identity attribute {attr:?}; known: {KNOWN_ATTRIBUTES:?}"),
            ));
        }
    }
    let mut rest = d.subject_template.as_str();
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(("/subject_template".into(), "a '{' is not closed".into()));
        };
        if d.field_schema(&after[..end]).is_none() {
            return Err((
                "/subject_template".into(),
                format!("no such field {}", &after[..end]),
            ));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}
