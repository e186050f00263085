//! Entity: the annulment of a registration (DPR 445/2000 art. 54). The entry itself stays
//! untouched and readable; this row, also immutable, records who annulled it and why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "protocol_annulments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub entry_id: i64,
    /// Reference of the records manager's authorising act.
    pub authorising_act: String,
    pub operator: String,
    pub reason: String,
    pub annulled_at: DateTimeUtc,
    /// Hash of the previous annulment (64 zeros for the first; empty before the chain existed).
    pub prev_hash: String,
    /// See [`super::annulment_chain`].
    pub annulment_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
