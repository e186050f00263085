//! Entity: one registration of the embedded register. Rows are never updated or deleted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "protocol_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub aoo: String,
    pub register: String,
    pub year: i32,
    pub number: i64,
    pub registered_at: DateTimeUtc,
    pub direction: String,
    pub subject: String,
    pub classification: String,
    /// JSON of the correspondent.
    pub correspondent: String,
    pub primary_name: String,
    pub primary_mime: String,
    pub primary_sha256: String,
    pub primary_size: i64,
    /// JSON list of attachments (name, type, digest, size, description).
    pub attachments: String,
    pub attachment_count: i32,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub segnatura: String,
    /// The case file (fascicolo) the entry belongs to; empty for none (and for entries made
    /// before case files existed).
    pub case_file_code: String,
    pub case_file_name: String,
    /// Hash of the previous entry of the same register and year (64 zeros for the first).
    pub prev_hash: String,
    /// SHA-256 over `prev_hash` and every registration field: see [`super::chain`].
    pub entry_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
