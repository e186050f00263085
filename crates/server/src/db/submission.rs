//! Entity: a submitted application, frozen at the moment of submission.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    /// UUID; also the idempotency key of the filing.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    pub form_id: String,
    pub form_version: String,
    /// The content id of the form version it was made with (empty: made before versions).
    pub form_version_id: String,
    pub form_title: String,
    /// The applicant's key, `Principal::owner` (a fiscal code, or `eidas:<id>`).
    pub owner: String,
    /// The `Principal` at submission time, as JSON.
    pub identity: String,
    /// The data, as JSON.
    pub data: String,
    /// Subject and classification for the register, computed at submission.
    pub subject: String,
    pub classification: String,
    /// The application data as a JSON document (machine-readable copy).
    pub document: String,
    /// The application document as PDF/A-2b: the primary document of the registration. Absent
    /// for submissions made before it existed, whose primary document is the JSON.
    pub document_pdf: Option<Vec<u8>>,
    /// SHA-256 of the primary document (the PDF when present).
    pub document_sha256: String,
    /// `filing` or `filed` (see `store::submissions::SubmissionStatus`).
    pub status: String,
    pub submitted_at: DateTimeUtc,
    pub protocol_register: Option<String>,
    pub protocol_year: Option<i32>,
    pub protocol_number: Option<i64>,
    pub protocol_at: Option<DateTimeUtc>,
    pub segnatura: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The primary document: bytes, file name and media type.
    pub fn primary_document(&self) -> (&[u8], String, &'static str) {
        match &self.document_pdf {
            Some(pdf) => (pdf, format!("domanda-{}.pdf", self.id), "application/pdf"),
            None => (
                self.document.as_bytes(),
                format!("domanda-{}.json", self.id),
                "application/json",
            ),
        }
    }
}
