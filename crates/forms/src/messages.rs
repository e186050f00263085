//! Messages for validation failures, written for citizens rather than developers, in the
//! form's language (see [`crate::words`] for where the words come from).

use fluent_bundle::FluentValue;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::words::Say;

/// The message for text with characters that are not allowed (see [`crate::text`]).
pub(crate) fn illegal_text(say: Say<'_>) -> String {
    say.id("forms-illegal-text")
}

/// The message for a required declaration left unticked.
pub(crate) fn declaration_required(say: Say<'_>) -> String {
    say.id("forms-declaration-required")
}

/// The message for a required field left empty.
pub(crate) fn required(say: Say<'_>) -> String {
    say.id("forms-required")
}

/// The message for a choice that is not among the options.
pub(crate) fn choose(say: Say<'_>) -> String {
    say.id("forms-choose")
}

/// The message for one failure of the validator. `format` names are those of the schema.
pub(crate) fn message(kind: &ValidationErrorKind, say: Say<'_>) -> String {
    let count = |id: &str, limit: u64| say.with(id, &[("limit", FluentValue::from(limit))]);
    // A bound as the schema writes it; the languages that write decimals with a comma take
    // `$decimal_comma`.
    let bound = |id: &str, limit: &Value| {
        let decimal = limit.to_string();
        let comma = decimal.replace('.', ",");
        say.with(
            id,
            &[
                ("decimal", FluentValue::from(decimal)),
                ("decimal_comma", FluentValue::from(comma)),
            ],
        )
    };
    match kind {
        ValidationErrorKind::Required { .. } => required(say),
        ValidationErrorKind::MinLength { limit } if *limit <= 1 => required(say),
        ValidationErrorKind::MinLength { limit } => count("forms-min-length", *limit),
        ValidationErrorKind::MaxLength { limit } => count("forms-max-length", *limit),
        ValidationErrorKind::Minimum { limit } => bound("forms-minimum", limit),
        ValidationErrorKind::Maximum { limit } => bound("forms-maximum", limit),
        ValidationErrorKind::ExclusiveMinimum { limit } => bound("forms-exclusive-minimum", limit),
        ValidationErrorKind::ExclusiveMaximum { limit } => bound("forms-exclusive-maximum", limit),
        ValidationErrorKind::Format { format } => format_message(format, say),
        ValidationErrorKind::Type { kind } => type_message(kind, say),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::OneOfNotValid { .. } => choose(say),
        ValidationErrorKind::Constant { expected_value }
            if expected_value == &Value::Bool(true) =>
        {
            declaration_required(say)
        }
        ValidationErrorKind::Pattern { .. } => say.id("forms-pattern"),
        ValidationErrorKind::AdditionalProperties { .. }
        | ValidationErrorKind::UnevaluatedProperties { .. } => say.id("forms-unexpected-data"),
        ValidationErrorKind::MinItems { limit } => count("forms-min-items", *limit),
        ValidationErrorKind::MaxItems { limit } => count("forms-max-items", *limit),
        _ => say.id("forms-invalid"),
    }
}

fn format_message(format: &str, say: Say<'_>) -> String {
    match format {
        "email" | "date" | "date-time" | "uri" | "codice-fiscale" | "partita-iva" | "iban"
        | "cap" | "telefono" | "allegato" => say.id(&format!("forms-format-{format}")),
        _ => say.id("forms-pattern"),
    }
}

fn type_message(kind: &TypeKind, say: Say<'_>) -> String {
    let expected = match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(_) => String::new(),
    };
    match expected.as_str() {
        "integer" | "number" | "boolean" | "string" => say.id(&format!("forms-type-{expected}")),
        _ => say.id("forms-type-other"),
    }
}
