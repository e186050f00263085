//! Entity: one stored version of a form definition of an administration (immutable).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub administration: String,
    pub form_id: String,
    /// The content id (SHA-256 of the canonical JSON, `istanze_domain::FormVersionId`).
    pub version_id: String,
    /// The `version` the definition declares for people ("1.2").
    pub declared_version: String,
    /// The definition's JSON as it was written.
    pub definition: String,
    /// Where it came from: the file it was imported from, or who saved it.
    pub source: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
