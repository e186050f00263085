//! Validation of submitted data against a form, with errors as (JSON pointer, Italian message).

use serde::Serialize;
use serde_json::Value;

use crate::words::Say;
use crate::{messages, pointer};

/// One thing wrong with a submission: where (a JSON pointer into the data) and why (Italian).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub pointer: String,
    pub message: String,
}

/// Builds the validator of a schema with the formats a form needs.
pub(crate) fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .with_format("codice-fiscale", crate::is_valid_codice_fiscale)
        .with_format(
            crate::attachment::FORMAT,
            crate::attachment::is_attachment_id,
        )
        .with_format("partita-iva", crate::formats::is_partita_iva)
        .with_format("iban", crate::formats::is_iban)
        .with_format("cap", crate::formats::is_cap)
        .with_format("telefono", crate::formats::is_telefono)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// Runs the validator and keeps one message per field, in document order.
///
/// A missing section (a required object) is reported on the fields it requires, so that the
/// citizen sees the message next to each empty field rather than once on the whole section.
pub(crate) fn run(
    validator: &jsonschema::Validator,
    schema: &Value,
    data: &Value,
    say: Say<'_>,
) -> Vec<FieldError> {
    let mut out: Vec<FieldError> = Vec::new();
    for ptr in crate::text::refused_pointers(data) {
        push(&mut out, ptr, messages::illegal_text(say));
    }
    let mut unexpected = Vec::new();
    for error in validator.iter_errors(data) {
        handle(&error, schema, data, say, &mut out, &mut unexpected);
    }
    // "Data not expected" is noise next to a real mistake (a branch that failed leaves its
    // fields unevaluated); alone, it is the answer.
    if out.is_empty() {
        for e in unexpected {
            push(&mut out, e.pointer, e.message);
        }
    }
    out
}

fn handle(
    error: &jsonschema::ValidationError<'_>,
    schema: &Value,
    data: &Value,
    say: Say<'_>,
    out: &mut Vec<FieldError>,
    unexpected: &mut Vec<FieldError>,
) {
    use jsonschema::error::ValidationErrorKind as Kind;
    let ptr = error.instance_path.as_str().to_owned();
    match &error.kind {
        Kind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let missing = format!("{ptr}/{}", pointer::escape(name));
            push_required(out, schema, &missing, &messages::required(say), say);
        }
        Kind::AdditionalProperties { .. } | Kind::UnevaluatedProperties { .. } => {
            unexpected.push(FieldError {
                pointer: ptr,
                message: messages::message(&error.kind, say),
            });
        }
        Kind::OneOfNotValid { context } => {
            // "Person or organisation": the errors of the branch the citizen chose.
            let object = pointer::schema_at(schema, &ptr);
            let Some(field) = object.and_then(crate::conditions::discriminator) else {
                push(out, ptr, messages::message(&error.kind, say));
                return;
            };
            let chosen = data.pointer(&format!("{ptr}/{}", pointer::escape(&field)));
            let branch = object
                .and_then(|o| o.get("oneOf"))
                .and_then(Value::as_array)
                .and_then(|list| {
                    list.iter().position(|b| {
                        let fixed = b
                            .get("properties")
                            .and_then(|p| p.get(&field))
                            .and_then(|s| s.get("const"));
                        matches!((fixed, chosen), (Some(f), Some(c)) if pointer::same_value(f, c))
                    })
                });
            match branch.and_then(|i| context.get(i)) {
                Some(errors) => {
                    for e in errors {
                        handle(e, schema, data, say, out, unexpected);
                    }
                }
                None => push(
                    out,
                    format!("{ptr}/{}", pointer::escape(&field)),
                    messages::choose(say),
                ),
            }
        }
        _ => push(out, ptr, messages::message(&error.kind, say)),
    }
}

fn push(out: &mut Vec<FieldError>, pointer: String, message: String) {
    if !out.iter().any(|e| e.pointer == pointer) {
        out.push(FieldError { pointer, message });
    }
}

fn push_required(
    out: &mut Vec<FieldError>,
    schema: &Value,
    missing: &str,
    message: &str,
    say: Say<'_>,
) {
    let children: Vec<&str> = pointer::schema_at(schema, missing)
        .and_then(|s| s.get("required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if children.is_empty() {
        let declaration = pointer::schema_at(schema, missing)
            .is_some_and(|s| s.get("const") == Some(&Value::Bool(true)));
        let message = if declaration {
            messages::declaration_required(say)
        } else {
            message.to_owned()
        };
        push(out, missing.to_owned(), message);
    }
    for child in children {
        push_required(
            out,
            schema,
            &format!("{missing}/{}", pointer::escape(child)),
            message,
            say,
        );
    }
}
