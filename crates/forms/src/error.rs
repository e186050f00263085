//! The error type of the forms crate.

use std::path::PathBuf;

/// Everything that can go wrong while loading a form definition.
///
/// Validation of a citizen's data is not an error of this kind: it returns a list of
/// [`FieldError`](crate::FieldError) instead, because bad data is an expected outcome.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// A file of the forms directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A definition is not well-formed JSON or misses a metadata field.
    #[error("{file}: not a valid form definition: {message}")]
    Syntax { file: String, message: String },
    /// A definition is well-formed but wrong at one place, named by a JSON pointer.
    #[error("{file}: {pointer}: {message}")]
    Invalid {
        file: String,
        pointer: String,
        message: String,
    },
    /// Two files declare the same form id.
    #[error("{file}: form id {id:?} is already defined by {other}")]
    DuplicateId {
        file: String,
        id: String,
        other: String,
    },
}

/// Result alias of the forms crate.
pub type Result<T, E = FormError> = std::result::Result<T, E>;
