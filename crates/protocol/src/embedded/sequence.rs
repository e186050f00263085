//! Entity: the last number given per AOO, register and year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "protocol_sequences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub aoo: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub register: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub last_number: i64,
    /// `entry_hash` of the last entry: the next entry links to it.
    pub last_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
