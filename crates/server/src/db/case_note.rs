//! Entity: a private note of staff on a case (never shown to the citizen).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub administration: String,
    pub submission_id: String,
    /// The author's fiscal code.
    pub author: String,
    pub at: DateTimeUtc,
    pub text: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
