//! Rows for storage tests, as the application would write them.

use chrono::{DateTime, Utc};
use istanze_server::store::submissions::{Submission, SubmissionStatus};

/// A patronage application `id` by `owner`, submitted `at`, not filed yet (its
/// administration is the store's to set).
pub fn submission(id: &str, owner: &str, at: DateTime<Utc>) -> Submission {
    Submission {
        id: id.into(),
        administration: String::new(),
        form_id: "patrocinio".into(),
        form_version: "1".into(),
        form_version_id: String::new(),
        form_title: "Patrocinio".into(),
        owner: owner.into(),
        identity: "{}".into(),
        data: "{}".into(),
        subject: "Richiesta".into(),
        classification: "1.1".into(),
        document: "{}".into(),
        document_pdf: None,
        document_sha256: "00".into(),
        status: SubmissionStatus::Filing.as_str().into(),
        submitted_at: at,
        protocol_register: None,
        protocol_year: None,
        protocol_number: None,
        protocol_at: None,
        segnatura: None,
    }
}
