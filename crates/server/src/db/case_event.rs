//! Entity: one event of an application's procedure (taken in charge, integration requested,
//! decided, ...), with the communication it carries and, once filed, its registration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub administration: String,
    pub submission_id: String,
    /// An `EventKind` code.
    pub kind: String,
    /// Who caused it: a member of staff's fiscal code, or `citizen`.
    pub actor: String,
    /// The day it counts for (Europe/Rome), `YYYY-MM-DD`.
    pub on_date: String,
    pub at: DateTimeUtc,
    /// What the communication says to the citizen (reasons, what is missing).
    pub message: String,
    /// The event's particulars as JSON (the items asked for, a deadline).
    pub details: String,
    pub register: Option<String>,
    pub year: Option<i32>,
    pub number: Option<i64>,
    pub registered_at: Option<DateTimeUtc>,
    /// The filed document's name and digest (its bytes are in `case_documents`).
    pub document_name: Option<String>,
    pub document_sha256: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
