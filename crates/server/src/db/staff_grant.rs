//! Entity: one role granted to one person (by fiscal code) at an administration, for the
//! whole administration (`office` empty) or for one of its offices.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_grants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub administration: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub fiscal_code: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    /// An office code, or empty for the whole administration (a key column cannot be NULL).
    #[sea_orm(primary_key, auto_increment = false)]
    pub office: String,
    /// Who granted it: an administrator's fiscal code, or `cli:<user>` from the command line.
    pub granted_by: String,
    pub granted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
