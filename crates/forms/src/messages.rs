//! Italian messages for validation failures, written for citizens rather than developers.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

/// The message for text with invisible control characters.
pub(crate) const CONTROL_CHARACTERS: &str =
    "Il testo contiene caratteri non ammessi: cancellarlo e scriverlo di nuovo.";

/// The message for a required declaration left unticked.
pub(crate) const DECLARATION_REQUIRED: &str =
    "Questa dichiarazione è obbligatoria: selezionare la casella per confermarla.";

/// The message for one failure of the validator. `format` names are those of the schema.
pub(crate) fn italian(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Required { .. } => "Questo campo è obbligatorio.".to_owned(),
        ValidationErrorKind::MinLength { limit } if *limit <= 1 => {
            "Questo campo è obbligatorio.".to_owned()
        }
        ValidationErrorKind::MinLength { limit } => format!("Inserire almeno {limit} caratteri."),
        ValidationErrorKind::MaxLength { limit } => {
            format!("Inserire al massimo {limit} caratteri.")
        }
        ValidationErrorKind::Minimum { limit } => format!("Il valore minimo è {}.", number(limit)),
        ValidationErrorKind::Maximum { limit } => format!("Il valore massimo è {}.", number(limit)),
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("Il valore deve essere maggiore di {}.", number(limit))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("Il valore deve essere minore di {}.", number(limit))
        }
        ValidationErrorKind::Format { format } => format_message(format),
        ValidationErrorKind::Type { kind } => type_message(kind),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            "Scegliere una delle opzioni proposte.".to_owned()
        }
        ValidationErrorKind::Constant { expected_value }
            if expected_value == &Value::Bool(true) =>
        {
            "Questa dichiarazione è obbligatoria: selezionare la casella per confermarla."
                .to_owned()
        }
        ValidationErrorKind::Pattern { .. } => "Il formato del valore non è valido.".to_owned(),
        ValidationErrorKind::AdditionalProperties { .. }
        | ValidationErrorKind::UnevaluatedProperties { .. } => {
            "Il modulo contiene dati non previsti.".to_owned()
        }
        ValidationErrorKind::MinItems { limit } => format!("Inserire almeno {limit} elementi."),
        ValidationErrorKind::MaxItems { limit } => format!("Inserire al massimo {limit} elementi."),
        _ => "Il valore inserito non è valido.".to_owned(),
    }
}

fn number(v: &Value) -> String {
    v.to_string().replace('.', ",")
}

fn format_message(format: &str) -> String {
    match format {
        "email" => "Inserire un indirizzo e-mail valido, ad esempio nome@esempio.it.",
        "date" => "Inserire una data valida.",
        "date-time" => "Inserire una data e un'ora valide.",
        "uri" => "Inserire un indirizzo web valido, ad esempio https://www.esempio.it.",
        "codice-fiscale" => "Il codice fiscale non è valido: controllare i 16 caratteri.",
        "partita-iva" => "La partita IVA non è valida: controllare le 11 cifre.",
        "iban" => {
            "L'IBAN non è valido: controllare i caratteri (in Italia sono 27, iniziano con IT)."
        }
        "cap" => "Il CAP è fatto di 5 cifre.",
        "telefono" => "Inserire un numero di telefono valido, ad esempio +39 06 1234567.",
        "allegato" => "Allegare il file di nuovo: il riferimento non è valido.",
        _ => "Il formato del valore non è valido.",
    }
    .to_owned()
}

fn type_message(kind: &TypeKind) -> String {
    let expected = match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(_) => String::new(),
    };
    match expected.as_str() {
        "integer" => "Inserire un numero intero.",
        "number" => "Inserire un numero.",
        "boolean" => "Selezionare una delle opzioni.",
        "string" => "Inserire un testo.",
        _ => "Il valore inserito non è del tipo previsto.",
    }
    .to_owned()
}
