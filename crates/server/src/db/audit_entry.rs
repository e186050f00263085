//! Entity: one entry of an administration's audit log (who did or saw what, when, from where),
//! chained to the one before by its hash. Rows are never updated or deleted (triggers refuse it).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub administration: String,
    /// 1, 2, 3... within the administration, without gaps.
    pub seq: i64,
    pub at: DateTimeUtc,
    /// Who: a member of staff's fiscal code, or `cli:<user>` for the command line.
    pub actor: String,
    /// What: `GET /ufficio/domande/{id}`, `staff grant`, ...
    pub action: String,
    /// On what: an application's id, a fiscal code; empty for nothing in particular.
    pub object: String,
    /// From where: the client's address.
    pub origin: String,
    /// Particulars as JSON (the path asked for, the role granted).
    pub details: String,
    pub prev_hash: String,
    pub entry_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
