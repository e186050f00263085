//! Messages for validation failures, written for citizens rather than developers, in Italian
//! and English.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::Lang;

/// Picks the text of `lang` from an (Italian, English) pair: Italian in a language without
/// its own (the administration's language, which every citizen's page also offers).
fn pick(lang: Lang, it: String, en: String) -> String {
    if lang == Lang::EN {
        en
    } else {
        it
    }
}

/// The message for text with characters that are not allowed (see [`crate::text`]).
pub(crate) fn illegal_text(lang: Lang) -> String {
    pick(
        lang,
        "Il testo contiene caratteri non ammessi (ad esempio caratteri di controllo): eliminali \
         e riprova."
            .into(),
        "The text contains characters that are not allowed (such as control characters): \
         remove them and try again."
            .into(),
    )
}

/// The message for a required declaration left unticked.
pub(crate) fn declaration_required(lang: Lang) -> String {
    pick(
        lang,
        "Questa dichiarazione è obbligatoria: selezionare la casella per confermarla.".into(),
        "This declaration is required: tick the box to confirm it.".into(),
    )
}

/// The message for a required field left empty.
pub(crate) fn required(lang: Lang) -> String {
    pick(
        lang,
        "Questo campo è obbligatorio.".into(),
        "This field is required.".into(),
    )
}

/// The message for a choice that is not among the options.
pub(crate) fn choose(lang: Lang) -> String {
    pick(
        lang,
        "Scegliere una delle opzioni proposte.".into(),
        "Choose one of the options.".into(),
    )
}

/// The message for one failure of the validator. `format` names are those of the schema.
pub(crate) fn message(kind: &ValidationErrorKind, lang: Lang) -> String {
    let p = |it: String, en: String| pick(lang, it, en);
    match kind {
        ValidationErrorKind::Required { .. } => required(lang),
        ValidationErrorKind::MinLength { limit } if *limit <= 1 => required(lang),
        ValidationErrorKind::MinLength { limit } => p(
            format!("Inserire almeno {limit} caratteri."),
            format!("Enter at least {limit} characters."),
        ),
        ValidationErrorKind::MaxLength { limit } => p(
            format!("Inserire al massimo {limit} caratteri."),
            format!("Enter at most {limit} characters."),
        ),
        ValidationErrorKind::Minimum { limit } => p(
            format!("Il valore minimo è {}.", number(limit)),
            format!("The smallest value allowed is {limit}."),
        ),
        ValidationErrorKind::Maximum { limit } => p(
            format!("Il valore massimo è {}.", number(limit)),
            format!("The largest value allowed is {limit}."),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => p(
            format!("Il valore deve essere maggiore di {}.", number(limit)),
            format!("The value must be greater than {limit}."),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => p(
            format!("Il valore deve essere minore di {}.", number(limit)),
            format!("The value must be less than {limit}."),
        ),
        ValidationErrorKind::Format { format } => format_message(format, lang),
        ValidationErrorKind::Type { kind } => type_message(kind, lang),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            choose(lang)
        }
        ValidationErrorKind::Constant { expected_value }
            if expected_value == &Value::Bool(true) =>
        {
            declaration_required(lang)
        }
        ValidationErrorKind::Pattern { .. } => p(
            "Il formato del valore non è valido.".into(),
            "The value is not in the expected format.".into(),
        ),
        ValidationErrorKind::AdditionalProperties { .. }
        | ValidationErrorKind::UnevaluatedProperties { .. } => p(
            "Il modulo contiene dati non previsti.".into(),
            "The form contains data it does not expect.".into(),
        ),
        ValidationErrorKind::MinItems { limit } => p(
            format!("Inserire almeno {limit} elementi."),
            format!("Enter at least {limit} items."),
        ),
        ValidationErrorKind::MaxItems { limit } => p(
            format!("Inserire al massimo {limit} elementi."),
            format!("Enter at most {limit} items."),
        ),
        _ => p(
            "Il valore inserito non è valido.".into(),
            "The value entered is not valid.".into(),
        ),
    }
}

fn number(v: &Value) -> String {
    v.to_string().replace('.', ",")
}

fn format_message(format: &str, lang: Lang) -> String {
    let (it, en) = match format {
        "email" => (
            "Inserire un indirizzo e-mail valido, ad esempio nome@esempio.it.",
            "Enter a valid e-mail address, for example name@example.com.",
        ),
        "date" => ("Inserire una data valida.", "Enter a valid date."),
        "date-time" => (
            "Inserire una data e un'ora valide.",
            "Enter a valid date and time.",
        ),
        "uri" => (
            "Inserire un indirizzo web valido, ad esempio https://www.esempio.it.",
            "Enter a valid web address, for example https://www.example.com.",
        ),
        "codice-fiscale" => (
            "Il codice fiscale non è valido: controllare i 16 caratteri.",
            "The tax code (codice fiscale) is not valid: check its 16 characters.",
        ),
        "partita-iva" => (
            "La partita IVA non è valida: controllare le 11 cifre.",
            "The VAT number (partita IVA) is not valid: check its 11 digits.",
        ),
        "iban" => (
            "L'IBAN non è valido: controllare i caratteri (in Italia sono 27, iniziano con IT).",
            "The IBAN is not valid: check its characters (Italian IBANs have 27 and start with IT).",
        ),
        "cap" => (
            "Il CAP è fatto di 5 cifre.",
            "The postcode (CAP) has 5 digits.",
        ),
        "telefono" => (
            "Inserire un numero di telefono valido, ad esempio +39 06 1234567.",
            "Enter a valid telephone number, for example +39 06 1234567.",
        ),
        "allegato" => (
            "Allegare il file di nuovo: il riferimento non è valido.",
            "Attach the file again: the reference is not valid.",
        ),
        _ => (
            "Il formato del valore non è valido.",
            "The value is not in the expected format.",
        ),
    };
    pick(lang, it.into(), en.into())
}

fn type_message(kind: &TypeKind, lang: Lang) -> String {
    let expected = match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(_) => String::new(),
    };
    let (it, en) = match expected.as_str() {
        "integer" => ("Inserire un numero intero.", "Enter a whole number."),
        "number" => ("Inserire un numero.", "Enter a number."),
        "boolean" => (
            "Selezionare una delle opzioni.",
            "Select one of the options.",
        ),
        "string" => ("Inserire un testo.", "Enter some text."),
        _ => (
            "Il valore inserito non è del tipo previsto.",
            "The value entered is not of the expected kind.",
        ),
    };
    pick(lang, it.into(), en.into())
}
