//! Entity: a label staff put on a case (`urgente`, `da-verificare`, ...), to find it again.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_labels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub administration: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub submission_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub label: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
