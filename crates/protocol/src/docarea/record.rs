//! Entity: the state of one filing through DOCAREA, so that a retry never registers twice.
//!
//! `attempt_started_at` is set, and committed, before `Protocollazione` is called, and cleared
//! when the server's answer says nothing was registered. A filing left with it set and no number
//! lost its answer: the protocol system may hold the registration, and DOCAREA has no lookup,
//! so the filing waits for a person (`istanze protocol docarea-resolve`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "docarea_filings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    pub attempt_started_at: Option<DateTimeUtc>,
    pub number: Option<i64>,
    pub year: Option<i32>,
    pub registered_at: Option<DateTimeUtc>,
    /// The system's date as it wrote it (`dd/MM/yyyy`).
    pub date_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
