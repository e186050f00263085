//! Entity: one row per citizen with uploads at an administration, written at the start of every quota transaction
//! so that the database puts that citizen's reservations one after the other (a row lock on
//! PostgreSQL, the write lock on SQLite), across server processes too.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "upload_owners")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub administration: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner: String,
    /// Bumped by each transaction: the write is what takes the lock.
    pub serial: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
