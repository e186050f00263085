//! Entity: a piece of the bytes of a file kept in the database (`storage = "database"`), at
//! most `db::content::CHUNK` bytes, numbered from 0. Written while the upload streams in, so
//! that neither the upload nor a reader holds a whole file in memory.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment_chunks")]
pub struct Model {
    /// The `attachments.id` the chunk belongs to (or the upload's reservation, while it streams).
    #[sea_orm(primary_key, auto_increment = false)]
    pub attachment_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i32,
    /// The administration (IPA code) the row belongs to.
    pub administration: String,
    pub data: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
